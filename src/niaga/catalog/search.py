"""Catalogue search: Indonesian words in, a ranked queryset of curated products out.

Each word of the query is stemmed the way the index was built (see
`niaga.catalog.indexing`), then widened to the stems of the index within a
small edit distance, so "kripik" and "keripk" still find "keripik":

- stems of 1 to 3 letters match only exactly (a typo there is another word);
- 4 to 7 letters: one edit (insert, delete or change a letter);
- 8 letters or more: two edits;
- at most `MAX_FUZZY_CANDIDATES` nearest stems per word, so that a short,
  common stem cannot turn one word into a scan of half the index.

Every word must match (AND). A product's score is the sum over the words of
the best match of each: the stem's weight (3 in the name, 1 in the
description), doubled when the stem is the word's own rather than a typo
correction. Ties are broken by name, then id, so pages never shuffle.

The statements themselves are in `niaga.catalog.sql`: indexed SQL, the same on
SQLite and PostgreSQL, answered from the search index; no list of matching
ids passes through Python.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools

from django.core.exceptions import ValidationError
from django.db.models import (
    Exists,
    OuterRef,
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from niaga.catalog.indexing import stem, vocabulary, words
from niaga.regions.models import Province, Regency
from niaga.registry.models import (
    Category,
    CurationLevel,
    LegalDocument,
    LegalKind,
)

MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 100
MAX_FUZZY_CANDIDATES = 6
EXACT_FACTOR = 2


@dataclasses.dataclass(frozen=True)
class QueryWord:
    """One word of a query: its stem and the index stems it may match."""

    word: str
    stem: str
    candidates: tuple[str, ...]  # the stem itself first


@dataclasses.dataclass(frozen=True)
class Criteria:
    """A catalogue search: words and filters, already checked (see `criteria`)."""

    q: str = ""
    province: str | None = None  # Kemendagri code, "35"
    regency: str | None = None  # "35.78"
    category: str | None = None
    halal: bool | None = None  # True: a valid halal certificate; False: none
    level: str | None = None
    pesantren: int | None = None

    @property
    def is_empty(self) -> bool:
        return self == Criteria()


def allowed_distance(term: str) -> int:
    """Edits allowed for a stem: none up to 4 letters, 1 up to 8, then 2.

    Four-letter stems stay exact: they have many one-edit neighbours that are
    other words ("ukir" carve / "ukur" measure, "kopi" / "kapi").
    """
    if len(term) <= 4:
        return 0
    if len(term) <= 8:
        return 1
    return 2


@functools.lru_cache(maxsize=4096)
def _fuzzy(term: str, version: int | None) -> tuple[str, ...]:
    """Index stems near `term`, nearest first, as of vocabulary `version`."""
    distance = allowed_distance(term)
    terms = vocabulary().terms
    if distance == 0 or not terms:
        return ()
    found = process.extract(
        term,
        terms,
        scorer=Levenshtein.distance,
        score_cutoff=distance,
        limit=MAX_FUZZY_CANDIDATES + 1,
    )
    # Nearest first, then alphabetical: the same query always expands the same way.
    ordered = sorted((score, match) for match, score, _index in found if match != term)
    return tuple(match for _score, match in ordered[:MAX_FUZZY_CANDIDATES])


def parse_query(q: str) -> list[QueryWord]:
    """The distinct searchable words of `q`, each with its stem and candidates."""
    version = vocabulary().version
    parsed: list[QueryWord] = []
    seen: set[str] = set()
    for word in words(q):
        root = stem(word)
        if root in seen:
            continue
        seen.add(root)
        parsed.append(QueryWord(word, root, (root, *_fuzzy(root, version))))
        if len(parsed) == MAX_QUERY_WORDS:
            break
    return parsed


# --- Checking filters ----------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _province_codes() -> frozenset[str]:
    return frozenset(Province.objects.values_list("code", flat=True))


@functools.lru_cache(maxsize=1)
def _regency_codes() -> frozenset[str]:
    return frozenset(Regency.objects.values_list("code", flat=True))


def criteria(
    *,
    q: str | None = None,
    province: str | None = None,
    regency: str | None = None,
    category: str | None = None,
    halal: bool | None = None,
    level: str | None = None,
    pesantren: int | None = None,
) -> Criteria:
    """Checked search criteria; ValidationError naming each bad field otherwise.

    Region codes must be Kemendagri codes that exist ("35", "35.78"); a regency
    given with a province must lie in it. Category and level must be one of
    their choices. Empty strings count as "not given".
    """
    errors: dict[str, ValidationError] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors[field] = ValidationError(message, code=code)

    q = (q or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        refuse("q", _("At most %(count)s characters.") % {"count": MAX_QUERY_LENGTH}, "max_length")
    province = (province or "").strip() or None
    regency = (regency or "").strip() or None
    if province is not None and province not in _province_codes():
        refuse(
            "province",
            _("Not a Kemendagri province code; use two digits, e.g. 35 for Jawa Timur."),
            "region_code",
        )
    if regency is not None:
        if regency not in _regency_codes():
            refuse(
                "regency",
                _("Not a Kemendagri regency/city code; use the form 35.78 (Kota Surabaya)."),
                "region_code",
            )
        elif province is not None and not regency.startswith(province + "."):
            refuse(
                "regency", _("This regency/city is not in the chosen province."), "not_in_province"
            )
    category = category or None
    if category is not None and category not in Category.values:
        choices = ", ".join(Category.values)
        refuse("category", _("Choose one of: %(choices)s.") % {"choices": choices}, "choice")
    level = level or None
    if level is not None and level not in CurationLevel.values:
        choices = ", ".join(CurationLevel.values)
        refuse("level", _("Choose one of: %(choices)s.") % {"choices": choices}, "choice")
    if errors:
        raise ValidationError(errors)
    return Criteria(
        q=q,
        province=province,
        regency=regency,
        category=category,
        halal=halal,
        level=level,
        pesantren=pesantren,
    )


# --- The queries ------------------------------------------------------------------------


def valid_halal(today: datetime.date | None = None, *, product: str = "pk") -> Exists:
    """A halal certificate that has not expired (no expiry date, or not before today).

    `product` names the outer column holding the product's id.
    """
    today = today or timezone.localdate()
    return Exists(
        LegalDocument.objects.filter(product=OuterRef(product), kind=LegalKind.HALAL).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )
    )
