"""Indonesian rupiah: the one place that formats and parses money.

Money is always a whole number of rupiah held in a Python ``int`` (a
``BigIntegerField`` in the database). Rupiah has no sen in circulation, and a
float or Decimal in the API invites rounding drift in totals.

Display follows Indonesian convention: ``Rp 147.321.766.000`` in full, with a
dot grouping thousands, and ``Rp 147,3 miliar`` in headlines, with a comma
marking decimals. English shows ``IDR 147,321,766,000`` and ``IDR 147.3 billion``.

Parsing accepts only what cannot be misread. The same text means different
amounts to an Indonesian and an English reader (``1,500`` is one and a half
rupiah or fifteen hundred; ``M`` is miliar or million), and a misread amount is
off by a factor of a thousand. So the grammar is Indonesian only (a dot groups
thousands, a comma marks decimals), and anything ambiguous is refused with a
message that says how to write it instead.
"""

import re
from decimal import localcontext

from babel.numbers import format_compact_decimal, format_decimal
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

__all__ = [
    "MAX_AMOUNT",
    "MoneyError",
    "format_rupiah",
    "format_rupiah_digits",
    "format_rupiah_short",
    "parse_rupiah",
]

# Far above any real figure (national GDP is about 2 * 10**16) and below the
# BigIntegerField limit (about 9.2 * 10**18), so a sum of a few parsed amounts
# still fits the column.
MAX_AMOUNT = 10**18

_PREFIX = {"id": "Rp ", "en": "IDR "}


class MoneyError(ValueError):
    """An amount of rupiah that cannot be read, with the rule it breaks.

    ``code`` is stable (tests and API clients may rely on it); ``message`` is
    a lazy translatable string with ``%(name)s`` placeholders filled from
    ``params``; ``str(error)`` renders it in the active language.
    """

    def __init__(self, message, *, code: str, params: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params or {}

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


def _check_amount(amount) -> None:
    # bool is an int subclass; True rupiah is always a bug, never an amount.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"An amount of rupiah is an int, not {type(amount).__name__}.")


def _resolve_language(language: str | None) -> str:
    explicit = language is not None
    code = language if explicit else (get_language() or "id")
    primary = code.replace("_", "-").split("-")[0].lower()
    if primary in _PREFIX:
        return primary
    if explicit:
        raise ValueError(f"Money is formatted in 'id' or 'en', not {language!r}.")
    # Only id and en are configured; anything else active is a misconfiguration
    # that should still show money the national way rather than fail a page.
    return "id"


def _precision(number: int) -> int:
    # Babel quantizes through the current decimal context, whose default 28
    # digits make format_decimal raise InvalidOperation from 10**26 up. A
    # context with room for every digit (bits / 3 > decimal digits) avoids it.
    return number.bit_length() // 3 + 10


def _group(magnitude: int, locale: str) -> str:
    with localcontext(prec=_precision(magnitude)):
        return format_decimal(magnitude, locale=locale)


def format_rupiah(amount: int, *, language: str | None = None) -> str:
    """The full amount, every digit shown: ``Rp 147.321.766.000``.

    ``language`` is "id" or "en" (a region suffix such as "en-gb" is ignored);
    None means the active Django language, Indonesian when none is active.
    English gives ``IDR 147,321,766,000``. A negative amount (a reversing
    entry) puts the sign before the currency: ``-Rp 5.000``.

    Raises TypeError if ``amount`` is not an int (or is a bool), ValueError
    for an explicit language other than id or en.
    """
    _check_amount(amount)
    language = _resolve_language(language)
    sign = "-" if amount < 0 else ""
    return f"{sign}{_PREFIX[language]}{_group(abs(amount), language)}"


def format_rupiah_digits(amount: int) -> str:
    """The amount as digits with Indonesian grouping and no currency: ``147.321.766.000``.

    This is what an input field shows, in every language, because it is the
    form parse_rupiah reads back unchanged (``147,321,766,000`` would be
    refused as ambiguous). Raises TypeError if ``amount`` is not an int.
    """
    _check_amount(amount)
    sign = "-" if amount < 0 else ""
    return sign + _group(abs(amount), "id")


def _round_for_headline(magnitude: int) -> int:
    """Round to the digits a headline shows, half up, in whole rupiah.

    Two fraction digits while the leading number is below 10 (1,66 triliun),
    one from 10 up (147,3 miliar). Babel rounds half to even (147,25 miliar
    would show as 147,2 and 1,005 miliar as 1), which understates an announced
    figure; integer arithmetic rounds half up exactly, at any size.
    """
    exponent = 12 if magnitude >= 10**12 else 9 if magnitude >= 10**9 else 6
    fraction_digits = 2 if magnitude < 10 ** (exponent + 1) else 1
    step = 10 ** (exponent - fraction_digits)
    return (magnitude + step // 2) // step * step


_LEADING_DIGITS = re.compile(r"[0-9]+")


def format_rupiah_short(amount: int, *, language: str | None = None) -> str:
    """The headline form: ``Rp 147,3 miliar``, ``Rp 1,66 triliun``, ``Rp 950 juta``.

    Two fraction digits while the leading number is below 10, one otherwise,
    trailing zeros dropped, rounded half up (147,35 miliar shows as 147,4).
    A rounding that reaches the next unit moves to it (999.950.000 shows as
    ``Rp 1 miliar``). Below one million the full form is shown
    (``Rp 950.000``): "ribu" saves no space. English: ``IDR 147.3 billion``.
    ``language`` and the sign work as in format_rupiah; the same errors apply.

    The Indonesian headline parses back with parse_rupiah to within half a
    unit of its last shown digit.
    """
    _check_amount(amount)
    language = _resolve_language(language)
    magnitude = abs(amount)
    if magnitude < 1_000_000:
        return format_rupiah(amount, language=language)
    rounded = _round_for_headline(magnitude)
    # `rounded` has at most two significant fraction digits in its unit, so
    # Babel's own (half-even) rounding to two digits leaves it unchanged and
    # Babel only supplies the unit word and the separators.
    with localcontext(prec=_precision(rounded)):
        text = format_compact_decimal(
            rounded, locale=language, format_type="long", fraction_digits=2
        )
    if rounded >= 10**15:
        # Trillions are Babel's largest unit, and it prints the number before
        # them ungrouped ("12345 triliun"); group it as the press does
        # ("12.345 triliun"), which parse_rupiah reads back.
        leading = _LEADING_DIGITS.match(text)
        text = _group(rounded // 10**12, language) + text[leading.end() :]
    sign = "-" if amount < 0 else ""
    return f"{sign}{_PREFIX[language]}{text}"


# --- Parsing ----------------------------------------------------------------

_MESSAGES = {
    "empty": _("Enter an amount in rupiah, e.g. 147.321.766.000."),
    "negative": _("The amount cannot be negative; enter zero or more."),
    "too_large": _("The amount is too large; the most accepted is %(limit)s."),
    "ambiguous_abbreviation": _(
        "Abbreviation “%(abbr)s” is ambiguous (“M”, for one, means miliar in Indonesian but "
        "million in English). Write the full number, e.g. 147.321.766.000, or the whole "
        "word, e.g. 147,3 miliar."
    ),
    "decimal_not_allowed": _(
        "Amounts are whole rupiah, without sen: leave out the decimal part after the comma. "
        "A dot groups thousands, e.g. 147.321.766.000."
    ),
    "not_whole": _(
        "That is not a whole number of rupiah; amounts are whole rupiah, without sen. "
        "Write the full number, e.g. 147.321.766.000."
    ),
    "bad_grouping": _(
        "Group the digits in threes with dots, e.g. 147.321.766.000; a comma marks "
        "decimals, e.g. 2,5 miliar."
    ),
    "ambiguous_comma": _(
        "A comma marks decimals in Indonesian, so a comma between thousands is ambiguous. "
        "Group thousands with dots, e.g. 1.500.000."
    ),
    "invalid": _(
        "Enter an amount in rupiah with digits, e.g. 147.321.766.000, or with a word, "
        "e.g. 147,3 miliar."
    ),
}


def _error(key: str, *, code: str | None = None, **params) -> MoneyError:
    return MoneyError(_MESSAGES[key], code=code or key, params=params)


# The limit is formatted when the message is shown, in the language then active.
_format_rupiah_lazy = lazy(format_rupiah, str)

# Power of ten each word multiplies by. "milyar" is a common (non-standard)
# spelling of "miliar" and means the same, so it is safe to accept.
_WORDS = {
    "ribu": 3,
    "juta": 6,
    "miliar": 9,
    "milyar": 9,
    "triliun": 12,
    "thousand": 3,
    "million": 6,
    "billion": 9,
    "trillion": 12,
}

# Short forms people type. Some differ between the languages (M, B, mil); the
# rest are refused too so that one rule holds: write the number or the word.
_ABBREVIATIONS = frozenset(
    {"k", "rb", "rbu", "jt", "jta", "m", "mm", "mn", "mln", "mio", "mil", "mld", "mrd"}
    | {"b", "bn", "bil", "t", "tn", "tr", "trl", "tril"}
)

_MINUS_SIGNS = "-\u2212"
_CURRENCY = re.compile(r"(?:rp\.?|idr) ?", re.IGNORECASE)
# A number (digits, possibly with dots, commas and spaces between them), then
# either the price-tag ending ",-" ("Rp 5.000,-": no sen) or a word or
# abbreviation. Each part is checked separately so each mistake gets its own
# message. Linear: the separator run cannot cross the letters of the unit.
_AMOUNT = re.compile(
    r"(?P<number>[0-9](?:[0-9., ]*[0-9])?)(?:(?P<dash>,-)|(?: ?(?P<unit>[^\W\d_]+)\.?))?"
)
_INTEGER = re.compile(r"[0-9]+|[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?: [0-9]{3})+")
# "1,500" or "1,500,000.50": a comma before a group of three digits reads as
# an English thousands separator just as well as an Indonesian decimal comma.
_COMMA_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def _strip_minus(text: str) -> tuple[str, bool]:
    if text and text[0] in _MINUS_SIGNS:
        return text[1:].lstrip(), True
    return text, False


def parse_rupiah(text: str) -> int:
    """Read an amount of rupiah as people type it; return whole rupiah.

    Accepted: an optional ``Rp``, ``Rp.`` or ``IDR`` prefix (any case, space
    optional); then digits, plain (``147321766000``) or grouped in threes by
    dots or spaces (``147.321.766.000``, ``147 321 766 000``), optionally
    ending in ``,-``; or a number with an optional decimal comma followed by
    a word, ribu / juta / miliar (milyar) / triliun or thousand / million /
    billion / trillion (``2,5 miliar``, ``950 juta``), when the result is a
    whole number of rupiah. Any Unicode whitespace counts as a space.

    Raises TypeError if ``text`` is not a str, and otherwise only MoneyError,
    whose ``code`` is one of: "empty"; "negative"; "too_large" (above
    MAX_AMOUNT); "ambiguous_abbreviation" (M, jt, rb, K, B, ...);
    "decimal_not_allowed" (a decimal part on a plain number, or words that
    come to a fraction of a rupiah); "bad_grouping" (``1.50``, ``1.5000``,
    ``2.5 miliar``); "ambiguous_comma" (``1,500,000``, ``1,500``);
    "invalid" (anything else).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_rupiah reads a str, not {type(text).__name__}.")
    rest = " ".join(text.split())
    rest, negative = _strip_minus(rest)
    currency = _CURRENCY.match(rest)
    if currency:
        rest = rest[currency.end() :]
    rest, negative_after_currency = _strip_minus(rest)
    if negative and negative_after_currency:
        raise _error("invalid")
    if not rest:
        raise _error("empty")
    match = _AMOUNT.fullmatch(rest)
    if match is None:
        raise _error("invalid")
    amount = _amount(match["number"], match["unit"])
    # Checked after the digits so that "-1,5" hears about the comma first: the
    # sign is the easier fix. Negative amounts never come from typing; a
    # correction is recorded as a reversing entry.
    if negative or negative_after_currency:
        raise _error("negative")
    if amount > MAX_AMOUNT:
        raise _error("too_large", limit=_format_rupiah_lazy(MAX_AMOUNT))
    return amount


def _amount(number: str, unit: str | None) -> int:
    exponent = 0
    if unit is not None:
        word = unit.lower()
        # Before the number is checked: "147,3 M" is about the M, whatever
        # else is wrong with it.
        if word in _ABBREVIATIONS:
            raise _error("ambiguous_abbreviation", abbr=unit)
        if word not in _WORDS:
            raise _error("invalid")
        exponent = _WORDS[word]

    integer, comma, fraction = number.partition(",")
    if "," in fraction or "." in fraction or _COMMA_GROUPED.fullmatch(number):
        raise _error("ambiguous_comma")
    if not _INTEGER.fullmatch(integer):
        raise _error("bad_grouping")
    if " " in fraction:
        raise _error("invalid")

    digits = integer.replace(".", "").replace(" ", "").lstrip("0")
    # int() of thousands of digits is slow and, past 4300, a ValueError.
    if len(digits) > len(str(MAX_AMOUNT)):
        raise _error("too_large", limit=_format_rupiah_lazy(MAX_AMOUNT))
    amount = int(digits or "0") * 10**exponent
    if comma:
        if exponent == 0:
            raise _error("decimal_not_allowed")
        # Exact integer arithmetic: a fraction with more significant digits
        # than the word has zeros would leave a fraction of a rupiah.
        significant = fraction.rstrip("0")
        if len(significant) > exponent:
            raise _error("not_whole", code="decimal_not_allowed")
        amount += int(significant or "0") * 10 ** (exponent - len(significant))
    return amount
