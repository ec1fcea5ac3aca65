"""Keeping the catalogue's search index (`ProductTerm`) in step with products.

The index holds only curated products: one row per distinct stem of a
product's name and description, weighted 3 when the stem is in the name and 1
when it is only in the description. Words are split on anything that is not a
Unicode letter or digit, lowercased, stripped of Indonesian stop words and
stemmed with Sastrawi, so "kerajinan", "pengrajin" and "perajin" all become
"rajin", and "membatik" becomes "batik".

Every domain function that creates or changes a product (its fields, status or
photos) calls `refresh_product` after the write, inside its transaction: the
index changes, or not, together with the product.

The vocabulary (the distinct stems in the index) is what the search expands a
mistyped word against. Each app-server process keeps a copy; a version number
in the shared Django cache tells every process when its copy is stale. The
version moves only when a stem appears in or disappears from the index, after
the transaction commits, so an ordinary edit does not make every server reload.
"""

from __future__ import annotations

import datetime
import functools
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django_scopes import scopes_disabled

from niaga.catalog.models import ProductTerm
from niaga.registry.models import CurationStatus, LegalDocument, LegalKind, Product

NAME_WEIGHT = 3
DESCRIPTION_WEIGHT = 1
MAX_TERM_LENGTH = ProductTerm._meta.get_field("term").max_length
VOCABULARY_VERSION_KEY = "catalog:vocabulary-version"

# Sastrawi's own list (the usual Indonesian function words) and the short
# forms people type in product descriptions and searches.
_EXTRA_STOP_WORDS = {"yg", "dgn", "utk", "dg", "dr", "tdk", "krn", "sbg", "pd", "tsb", "nya"}

_WORD = re.compile(r"[^\W_]+")


class _Dictionary:
    """Sastrawi's root-word dictionary as a set: its own keeps a list and looks each
    candidate root up by scanning 28,000 words, which made one word cost 16 ms."""

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(word for word in words if word.strip())

    def contains(self, word: str) -> bool:
        return word in self.words


@functools.cache
def _stemmer():
    """Sastrawi's stemmer, built once per process. It keeps no state between words
    (each word gets its own context), so threads may share it."""
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return Stemmer(_Dictionary(StemmerFactory().get_words()))


@functools.cache
def stop_words() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words()) | _EXTRA_STOP_WORDS


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Sastrawi stem of one lowercased word (memoised: stemming is not cheap)."""
    return _stemmer().stem(word) or word


def words(text: str) -> list[str]:
    """Lowercased words of `text` that can be searched for, in order.

    Pure numbers and one-letter words are left out (a "250" in "250 gram" says
    nothing about the product), as are stop words and anything longer than an
    index term can hold.
    """
    normalised = unicodedata.normalize("NFKC", text or "").casefold()
    found = []
    for word in _WORD.findall(normalised):
        if len(word) < 2 or word.isdigit() or len(word) > MAX_TERM_LENGTH:
            continue
        if word in stop_words():
            continue
        found.append(word)
    return found


def stems(text: str) -> list[str]:
    """The distinct stems of the searchable words of `text`, in order of appearance."""
    seen: dict[str, None] = {}
    for word in words(text):
        root = stem(word)
        if len(root) >= 2 and root not in stop_words():
            seen.setdefault(root[:MAX_TERM_LENGTH], None)
    return list(seen)


def product_terms(name: str, description: str) -> dict[str, int]:
    """Stem → weight for a product: 3 for the name's stems, 1 for the description's."""
    terms = dict.fromkeys(stems(description), DESCRIPTION_WEIGHT)
    for root in stems(name):
        terms[root] = NAME_WEIGHT
    return terms


# Filters are index terms too, in a namespace no word can enter (a word never
# holds "@"): "@p:35" province, "@r:35.78" regency, "@c:food" category,
# "@l:export" level, all of weight 0. A search with filters is then answered
# from the index alone, whichever filter it uses; none of them needs an index
# on products.
#
# "@h" marks a halal certificate. Its weight is not a score but the
# certificate's last valid day, as days since 1 January 2000 (32767, the
# largest the column holds, for "does not expire" or after 2089), so "halal
# today" is one probe of the (term, product, weight) index:
# term = "@h" and weight >= today's day number. It needs no re-indexing when
# a certificate expires; the legality document functions re-index on change.
FACET_MARK = "@"
FACET_WEIGHT = 0
HALAL_TERM = "@h"
DAY_ZERO = datetime.date(2000, 1, 1)
NO_EXPIRY = 32767


def facet(kind: str, value: str) -> str:
    return f"{FACET_MARK}{kind}:{value}"


def is_facet(term: str) -> bool:
    return term.startswith(FACET_MARK)


def day_number(day: datetime.date | None) -> int:
    """A day as the halal term's weight: days since 1 January 2000, capped at 32767."""
    if day is None:
        return NO_EXPIRY
    return max(0, min(NO_EXPIRY, (day - DAY_ZERO).days))


def product_facets(
    *,
    province_id: str,
    regency_id: str | None,
    category: str,
    level: str,
    halal: bool = False,
    halal_expires_on: datetime.date | None = None,
) -> dict[str, int]:
    facets = {
        facet("p", province_id): FACET_WEIGHT,
        facet("c", category): FACET_WEIGHT,
        facet("l", level): FACET_WEIGHT,
    }
    if regency_id:
        facets[facet("r", regency_id)] = FACET_WEIGHT
    if halal:
        facets[HALAL_TERM] = day_number(halal_expires_on)
    return facets


def index_rows(product_id: int, name: str, description: str, **facet_fields) -> list[ProductTerm]:
    terms = product_terms(name, description)
    terms.update(product_facets(**facet_fields))
    return [ProductTerm(product_id=product_id, term=term, weight=w) for term, w in terms.items()]


def _halal_certificates(product_ids) -> dict[int, datetime.date | None]:
    """Product id → expiry of its halal certificate (None: does not expire)."""
    return dict(
        LegalDocument.objects.filter(product_id__in=product_ids, kind=LegalKind.HALAL).values_list(
            "product_id", "expires_on"
        )
    )


# --- The index -------------------------------------------------------------------


def refresh_product(product: Product) -> None:
    """Re-index one product after any change; call it inside the writing transaction.

    A curated product gets its terms rewritten from its current name,
    description, province, regency, category, level and halal certificate
    (call it after a legality document changes too); any other product
    (draft, submitted, returned, or one whose curation was withdrawn) loses its
    terms, so it leaves the catalogue in the same transaction. Side effect:
    when a word's stem enters or leaves the index, the vocabulary version moves
    once the transaction commits. Touches nothing province-scoped.
    """
    old = set(ProductTerm.objects.filter(product_id=product.pk).values_list("term", flat=True))
    rows = []
    if product.is_public:
        with scopes_disabled():  # legality documents are province-owned; this is one product's
            halal = _halal_certificates([product.pk])
        rows = index_rows(
            product.pk,
            product.name,
            product.description,
            province_id=product.province_id,
            regency_id=product.regency_id,
            category=product.category,
            level=product.level,
            halal=product.pk in halal,
            halal_expires_on=halal.get(product.pk),
        )
    ProductTerm.objects.filter(product_id=product.pk).delete()
    ProductTerm.objects.bulk_create(rows)
    changed = {
        term for term in old.symmetric_difference(r.term for r in rows) if not is_facet(term)
    }
    if changed and _vocabulary_moves(changed, product.pk):
        transaction.on_commit(bump_vocabulary_version)


def _vocabulary_moves(changed: set[str], product_id: int) -> bool:
    """Whether a stem that this product added or dropped is not used by any other product."""
    shared = set(
        ProductTerm.objects.filter(term__in=changed)
        .exclude(product_id=product_id)
        .values_list("term", flat=True)
        .distinct()
    )
    return shared != changed


def rebuild_index(
    *, batch_size: int = 2000, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rebuild the whole index from the curated products; returns how many were indexed.

    For `niaga reindex_catalogue`, the demo and the benchmark, after loads that
    bypass the domain functions. Works through products in primary-key
    batches so memory stays flat; each batch is its own transaction, so a
    search during a rebuild may miss products not yet re-indexed.
    """
    with scopes_disabled():
        total = Product.objects.filter(status=CurationStatus.CURATED).count()
        ProductTerm.objects.all().delete()
        done = 0
        for batch in _curated_batches(batch_size):
            halal = _halal_certificates([row[0] for row in batch])
            rows = [
                term
                for pk, name, description, province_id, regency_id, category, level in batch
                for term in index_rows(
                    pk,
                    name,
                    description,
                    province_id=province_id,
                    regency_id=regency_id,
                    category=category,
                    level=level,
                    halal=pk in halal,
                    halal_expires_on=halal.get(pk),
                )
            ]
            with transaction.atomic():
                ProductTerm.objects.bulk_create(rows, batch_size=5000)
            done += len(batch)
            if progress is not None:
                progress(done, total)
    bump_vocabulary_version()
    return done


def _curated_batches(size: int) -> Iterator[list[tuple]]:
    last = 0
    columns = ("pk", "name", "description", "province_id", "regency_id", "category", "level")
    while True:
        batch = list(
            Product.objects.filter(status=CurationStatus.CURATED, pk__gt=last)
            .order_by("pk")
            .values_list(*columns)[:size]
        )
        if not batch:
            return
        yield batch
        last = batch[-1][0]


# --- The vocabulary ----------------------------------------------------------------


def bump_vocabulary_version() -> None:
    """Tell every app-server process that its copy of the vocabulary is stale."""
    try:
        cache.incr(VOCABULARY_VERSION_KEY)
    except ValueError:  # not in the cache yet (or evicted): any new value will do
        cache.set(VOCABULARY_VERSION_KEY, _fresh_version(), timeout=None)


def vocabulary_version() -> int:
    version = cache.get(VOCABULARY_VERSION_KEY)
    if version is None:
        version = _fresh_version()
        # add, not set: another process may have just chosen its own value.
        cache.add(VOCABULARY_VERSION_KEY, version, timeout=None)
        version = cache.get(VOCABULARY_VERSION_KEY, version)
    return version


def _fresh_version() -> int:
    # A value no earlier version had, even after the cache lost the key.
    return time.time_ns() // 1000


class Vocabulary:
    """The index's distinct terms and how many products have each, as of `version`.

    The counts are for planning only (which word of a query to start from);
    they may lag behind the index until the version next moves.
    """

    def __init__(self, version: int | None = None, frequencies: dict[str, int] | None = None):
        self.version = version
        self.frequencies = frequencies or {}
        # What a mistyped word may be corrected to: words only, not filters.
        self.terms = tuple(sorted(term for term in self.frequencies if not is_facet(term)))

    def frequency(self, terms: Iterable[str]) -> int:
        return sum(self.frequencies.get(term, 0) for term in terms)


class _VocabularyCopy:
    """This process's copy of the vocabulary, reloaded when the shared version moves."""

    def __init__(self) -> None:
        self.vocabulary = Vocabulary()
        self.lock = threading.Lock()

    def current(self) -> Vocabulary:
        version = vocabulary_version()
        if version != self.vocabulary.version:
            with self.lock:
                if version != self.vocabulary.version:
                    self.vocabulary = Vocabulary(version, term_frequencies())
        return self.vocabulary


_copy = _VocabularyCopy()


def vocabulary() -> Vocabulary:
    """The vocabulary of the index as this process last read it (reloaded when stale)."""
    return _copy.current()


def term_frequencies() -> dict[str, int]:
    """Every stem of the index with the number of products that have it.

    One pass over the (term, product) index: about 0.15 s for 100,000 products
    on SQLite, paid once per process each time the vocabulary version moves.
    """
    rows = ProductTerm.objects.values_list("term").annotate(n=Count("*")).order_by()
    return dict(rows.values_list("term", "n"))
