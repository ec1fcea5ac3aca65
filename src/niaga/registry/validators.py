"""Checks for the identifiers the OPOP registry keeps, by Indonesian data standards.

Each `validate_*` function takes what a person typed or an import cell held,
normalises it (separators and labels removed, letters in upper case) and
returns the clean value, or raises `django.core.exceptions.ValidationError`
with a specific `code` and a translated message that names the rule and shows
an example. Forms, imports and domain functions store what these return, so one
identifier has one spelling in the database. All are pure functions except
`validate_nik`, which reads the regency codes (once per process).

Error codes (what callers may branch on):

    nspp_format, nib_format, kbli_format, kbli_version, hs_format, hs_chapter,
    nik_format, nik_region, nik_district, nik_birth_date, nik_serial, nik_mismatch,
    phone_format, phone_country, phone_extension, pirt_format, bpom_format,
    halal_format, halal_application, sni_format, trademark_format,
    year_format, year_range

NIKs and phone numbers are personal data (UU PDP): their messages never repeat
the value, because messages end up in import reports and logs.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from niaga.audit import masking

# The longest piece of a rejected value a message repeats: an import cell can
# hold a paragraph, and the message must stay readable.
_SHOWN_LENGTH = 40

# Separators people type inside numeric identifiers: spaces (also the
# non-breaking kind spreadsheets produce), dots and dashes.
_SEPARATORS = re.compile(r"[\s.\-]+")
_DIGITS = {n: re.compile(rf"[0-9]{{{n}}}") for n in (5, 8, 12, 13, 15, 16)}


def _text(value: Any) -> str:
    """The value as stripped text; None is empty text."""
    if value is None:
        return ""
    return str(value).strip()


def _shown(text: str) -> str:
    """The value as a message repeats it: cut short when long."""
    if len(text) > _SHOWN_LENGTH:
        return text[:_SHOWN_LENGTH] + "…"
    return text


def _fixed_digits(value: Any, length: int, message, code: str) -> str:
    """`length` ASCII digits once separators are removed, else ValidationError(code)."""
    text = _text(value)
    digits = _SEPARATORS.sub("", text)
    if not _DIGITS[length].fullmatch(digits):
        raise ValidationError(message, code=code, params={"value": _shown(text)})
    return digits


# --- Pesantren, business and classification numbers -------------------------


def validate_nspp(value: Any) -> str:
    """A pesantren's statistic number (NSPP, Ministry of Religious Affairs): 12 digits.

    Spaces, dots and dashes are removed. Raises ValidationError "nspp_format".
    """
    return _fixed_digits(
        value,
        12,
        _("NSPP is 12 digits, like 510035780001; “%(value)s” is not."),
        "nspp_format",
    )


def validate_nib(value: Any) -> str:
    """A business identification number (NIB, issued by OSS): 13 digits.

    Spaces, dots and dashes are removed. Raises ValidationError "nib_format".
    """
    return _fixed_digits(
        value,
        13,
        _("NIB is 13 digits, like 9120001234567; “%(value)s” is not."),
        "nib_format",
    )


KBLI_VERSIONS = ("2020", "2025")
KBLI_VERSION_CHOICES = [(version, f"KBLI {version}") for version in KBLI_VERSIONS]
DEFAULT_KBLI_VERSION = "2020"


def validate_kbli(code: Any, version: Any = DEFAULT_KBLI_VERSION) -> str:
    """A KBLI business classification code: 5 digits, in a known KBLI version.

    Both KBLI 2020 and KBLI 2025 use 5-digit codes; the version is kept beside
    the code because the same number can mean different activities in each.
    The code's existence in the classification is not checked (Niaga does not
    hold the tables). Raises ValidationError "kbli_version" or "kbli_format".
    """
    version_text = _text(version)
    if version_text not in KBLI_VERSIONS:
        raise ValidationError(
            _("The KBLI version is one of %(versions)s; “%(value)s” is not."),
            code="kbli_version",
            params={"versions": ", ".join(KBLI_VERSIONS), "value": _shown(version_text)},
        )
    return _fixed_digits(
        code,
        5,
        _("A KBLI code is 5 digits, like 10792; “%(value)s” is not."),
        "kbli_format",
    )


# Chapter 77 of the Harmonized System is reserved for future use.
_HS_CHAPTERS = frozenset(f"{n:02d}" for n in range(1, 98)) - {"77"}


def validate_hs_code(value: Any) -> str:
    """An HS code as BTKI 2022 writes it: 8 digits, returned without dots.

    "0901.11.10" and "0901 11 10" become "09011110". The first two digits are the
    chapter, 01–97 without the unused chapter 77. Raises ValidationError
    "hs_format" or "hs_chapter".
    """
    digits = _fixed_digits(
        value,
        8,
        _("An HS code is 8 digits, like 0901.11.10 or 09011110; “%(value)s” is not."),
        "hs_format",
    )
    if digits[:2] not in _HS_CHAPTERS:
        raise ValidationError(
            _(
                "An HS code begins with its chapter, 01–97 (chapter 77 is unused); "
                "“%(value)s” begins with %(chapter)s."
            ),
            code="hs_chapter",
            params={"value": _shown(_text(value)), "chapter": digits[:2]},
        )
    return digits


# --- NIK ---------------------------------------------------------------------


@dataclass(frozen=True)
class NikParts:
    """What a NIK says about its holder."""

    regency_code: str  # "PP.KK", where the NIK was issued
    district_code: str  # "PP.KK.CC"
    birth_date: dt.date
    is_female: bool
    serial: str  # "0001"–"9999"

    @property
    def province_code(self) -> str:
        return self.regency_code[:2]


# Days in a NIK: 01–31 for men, 41–71 for women (the day plus 40).
_FEMALE_OFFSET = 40


# Provinces that lost regencies to a new province after NIKs were first issued
# (2006 onwards), so NIKs carry regency codes of theirs that the current table
# no longer lists: Papua (91) and Papua Barat (92) split in 2022, Kalimantan
# Timur (64) in 2012 (Kalimantan Utara).
PROVINCES_SPLIT_SINCE_NIK = frozenset({"64", "91", "92"})


@functools.lru_cache(maxsize=1)
def _cached_regency_codes() -> frozenset[str]:
    from niaga.regions.models import Regency

    return frozenset(Regency.objects.values_list("code", flat=True))


def regency_codes() -> frozenset[str]:
    """The codes ("PP.KK") of every regency and city, read once per process.

    Regions are reference data that only a migration changes. An empty answer
    (a flushed test database, migrations not yet run) is not kept, so the next
    call reads again.
    """
    codes = _cached_regency_codes()
    if not codes:
        _cached_regency_codes.cache_clear()
    return codes


def forget_regency_codes() -> None:
    """Drop the cached regency codes (after regions are reloaded, or between tests)."""
    _cached_regency_codes.cache_clear()


def _nik_digits(value: Any) -> str:
    text = _text(value)
    digits = _SEPARATORS.sub("", text)
    if not re.fullmatch(r"[0-9]*", digits):
        raise ValidationError(
            _("A NIK is 16 digits, like 3578014107900001, with no letters or other signs."),
            code="nik_format",
        )
    if len(digits) != 16:
        raise ValidationError(
            ngettext_lazy(
                "A NIK is 16 digits, like 3578014107900001; this one has %(count)s digit.",
                "A NIK is 16 digits, like 3578014107900001; this one has %(count)s digits.",
                "count",
            ),
            code="nik_format",
            params={"count": len(digits)},
        )
    return digits


def _latest_date(day: int, month: int, yy: int, today: dt.date) -> dt.date | None:
    """The latest real date with this day, month and 2-digit year not after today.

    Only the two latest centuries count: None when neither has such a date.
    """
    year = today.year - (today.year - yy) % 100
    # A date after today, or 29 February of a century year that is no leap year
    # (2100), is a century earlier.
    for candidate in (year, year - 100):
        try:
            date = dt.date(candidate, month, day)
        except ValueError:
            continue
        if date <= today:
            return date
    return None


def _nik_birth_error() -> ValidationError:
    return ValidationError(
        _(
            "Digits 7–12 of a NIK are the birth date as DDMMYY, with 40 added to the day "
            "for women; those of this NIK are not a real date."
        ),
        code="nik_birth_date",
    )


def parse_nik(value: Any, *, today: dt.date | None = None) -> NikParts:
    """Read a NIK's parts without the database.

    A NIK is PP KK CC DDMMYY SSSS: province, regency/city and district where it
    was issued, birth date (day + 40 for women) and a serial. The century is
    that of the latest such date not after `today` (default: today in the
    server's zone), so a NIK never says someone is born in the future.

    Raises ValidationError "nik_format" (not 16 digits), "nik_region" (province
    00, or a regency number outside 01–69 and 71–99), "nik_district" (00),
    "nik_birth_date" (not a real date) or "nik_serial" (0000).
    """
    digits = _nik_digits(value)
    province, regency, district = digits[0:2], digits[2:4], digits[4:6]
    regency_code = f"{province}.{regency}"
    number = int(regency)
    if province == "00" or not (1 <= number <= 69 or 71 <= number <= 99):
        raise _nik_region_error(regency_code)
    if district == "00":
        raise ValidationError(
            _("Digits 5–6 of a NIK are the district number, 01–99; they cannot be 00."),
            code="nik_district",
        )
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    is_female = day > _FEMALE_OFFSET
    if is_female:
        day -= _FEMALE_OFFSET
    birth_date = _latest_date(day, month, yy, today or timezone.localdate())
    if birth_date is None:
        raise _nik_birth_error()
    serial = digits[12:16]
    if serial == "0000":
        raise ValidationError(
            _("The last 4 digits of a NIK are a serial number, 0001–9999; they cannot be 0000."),
            code="nik_serial",
        )
    return NikParts(
        regency_code=regency_code,
        district_code=f"{regency_code}.{district}",
        birth_date=birth_date,
        is_female=is_female,
        serial=serial,
    )


def _nik_region_error(regency_code: str) -> ValidationError:
    return ValidationError(
        _(
            "A NIK begins with the code of the regency or city where it was issued; "
            "there is no regency or city %(region)s."
        ),
        code="nik_region",
        params={"region": regency_code},
    )


def validate_nik(value: Any, *, today: dt.date | None = None) -> str:
    """A NIK (national identity number) as 16 digits, its region checked in the database.

    Everything `parse_nik` checks, and that digits 1–4 name a regency or city
    that exists (`niaga.regions.models.Regency`; codes cached, see
    `forget_regency_codes`). Raises ValidationError with parse_nik's codes.

    The district is not looked up: districts split and are renumbered while a
    NIK never changes. The same holds for regencies moved to a new province
    (Mimika was 91.09, is 94.04 since 2022): NIKs issued before keep the old
    code, which the current table no longer has. So in a province that has
    since been split (`PROVINCES_SPLIT_SINCE_NIK`), a regency number that is
    in range but no longer listed is accepted; elsewhere it is refused.
    """
    parts = parse_nik(value, today=today)
    known = regency_codes()
    if parts.regency_code not in known and parts.regency_code[:2] not in PROVINCES_SPLIT_SINCE_NIK:
        raise _nik_region_error(parts.regency_code)
    return _SEPARATORS.sub("", _text(value))


def check_nik_matches(
    nik: Any, *, birth_date: dt.date | None = None, is_female: bool | None = None
) -> None:
    """Check that a person's birth date and gender agree with their NIK.

    The birth date is compared by day, month and the year's last two digits, as
    the NIK holds them, so no century has to be guessed. A None argument is not
    compared. Raises parse_nik's errors, or ValidationError "nik_mismatch".
    """
    digits = _nik_digits(nik)
    parse_nik(digits)
    day = int(digits[6:8])
    nik_is_female = day > _FEMALE_OFFSET
    if is_female is not None and is_female != nik_is_female:
        raise ValidationError(
            _(
                "The gender does not match the NIK: for women, 40 is added to the day "
                "of birth in digits 7–8 of the NIK."
            ),
            code="nik_mismatch",
        )
    if birth_date is not None:
        day -= _FEMALE_OFFSET if nik_is_female else 0
        if (day, int(digits[8:10]), int(digits[10:12])) != (
            birth_date.day,
            birth_date.month,
            birth_date.year % 100,
        ):
            raise ValidationError(
                _(
                    "The birth date does not match the NIK: digits 7–12 of the NIK are "
                    "the birth date as DDMMYY (with 40 added to the day for women)."
                ),
                code="nik_mismatch",
            )


def mask_nik(nik: Any) -> str:
    """'3578014107900001' → '3578********0001'; None or empty → ''.

    Uses the audit log's masking, so a NIK looks the same in lists, exports
    and the audit log.
    """
    if nik is None:
        return ""
    return masking.mask_nik(nik)


# --- Phone numbers -----------------------------------------------------------

_ID = "ID"
_ID_COUNTRY_CODE = 62
_LETTER = re.compile(r"[^\W\d_]")
# Phone numbers written with a country code but no "+": "62 812…" or "0062 812…".
_BARE_COUNTRY_CODE = re.compile(r"(?:00)?62")


def _phone_format_error() -> ValidationError:
    return ValidationError(
        _(
            "A phone number is an Indonesian mobile or landline number, like "
            "0812-3456-7890 or (031) 5678901; the number given is not valid."
        ),
        code="phone_format",
    )


def validate_phone(value: Any) -> str:
    """An Indonesian phone number in E.164 form, e.g. "+6281234567890".

    Accepts national forms (0812-3456-7890, (031) 5678901, 021-5551234), the
    international form (+62 812 3456 7890) and the country code without "+"
    (6281234567890, 0062…). The number must be valid for Indonesia by the
    `phonenumbers` metadata. Raises ValidationError "phone_format",
    "phone_country" (another country's code) or "phone_extension".
    """
    text = _text(value)
    compact = re.sub(r"[\s().\-/]+", "", text)
    if _BARE_COUNTRY_CODE.match(compact):
        # No national number starts with 62 or 00, so these are country codes.
        text = "+" + compact.removeprefix("00")
    try:
        number = phonenumbers.parse(text, _ID)
    except phonenumbers.NumberParseException:
        raise _phone_format_error() from None
    if number.extension:
        raise ValidationError(
            _("Give the phone number without an extension, like (031) 5678901."),
            code="phone_extension",
        )
    # phonenumbers reads letters as keypad digits (0812-CALL-NOW); nobody means that here.
    if _LETTER.search(text):
        raise _phone_format_error()
    if number.country_code != _ID_COUNTRY_CODE:
        raise ValidationError(
            _(
                "Only Indonesian numbers (+62) are accepted, like +62 812-3456-7890; "
                "this number has country code +%(country)s."
            ),
            code="phone_country",
            params={"country": number.country_code},
        )
    if not phonenumbers.is_valid_number_for_region(number, _ID):
        raise _phone_format_error()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parsed_phone(e164: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(e164, _ID)
    except phonenumbers.NumberParseException:
        return None


def format_phone_display(e164: Any) -> str:
    """A stored number as people write it: "0812-3456-7890", "(031) 5678901".

    Numbers of other countries show in international form; None or empty
    gives ""; text that is no number is returned unchanged.
    """
    text = _text(e164)
    if not text:
        return ""
    number = _parsed_phone(text)
    if number is None:
        return text
    if number.country_code == _ID_COUNTRY_CODE:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def mask_phone(e164: Any) -> str:
    """A stored number for lists: "0812-****-7890", "(031) ****901".

    The first group (operator prefix or area code) stays, and of the rest at
    most the last 4 digits while at least 4 stay hidden. None or empty gives
    ""; a value that is no number is masked by the audit log's rule.
    """
    text = _text(e164)
    if not text:
        return ""
    number = _parsed_phone(text)
    if number is None:
        return masking.mask_phone(text)
    display = format_phone_display(text)
    first_group = re.match(r"\D*\d+", display)
    head = display[: first_group.end()] if first_group else ""
    rest = display[len(head) :]
    rest_digits = sum(ch.isdigit() for ch in rest)
    shown = max(0, min(4, rest_digits - 4))
    masked, seen = [], 0
    for ch in rest:
        if ch.isdigit():
            seen += 1
            masked.append(ch if seen > rest_digits - shown else "*")
        else:
            masked.append(ch)
    return head + "".join(masked)


# --- Product permits and certificates -----------------------------------------

_PIRT_PREFIX = re.compile(r"(?:P\s*[-.]?\s*IRT)?\s*(?:NOMOR|NO)?\s*[.:]?\s*", re.IGNORECASE)


def validate_pirt(value: Any) -> str:
    """A home-industry food permit number (SPP-IRT): 15 digits.

    Accepts labels ("P-IRT", "PIRT", "No.", "P-IRT No.") and spaces, dots and
    dashes, as printed on labels: "P-IRT No. 2063578010123-26" becomes
    "206357801012326". Raises ValidationError "pirt_format".
    """
    text = _text(value)
    body = _PIRT_PREFIX.sub("", text, count=1)
    digits = _SEPARATORS.sub("", body)
    if not _DIGITS[15].fullmatch(digits):
        raise ValidationError(
            _("A P-IRT number is 15 digits, like P-IRT No. 2063578010123-26; “%(value)s” is not."),
            code="pirt_format",
            params={"value": _shown(text)},
        )
    return digits


_BPOM = re.compile(
    r"(?:BPOM\s*(?:[-.]?\s*RI)?\s*[-:.]?\s*)?(MD|ML)\s*[-:.]?\s*([0-9][0-9\s.\-]*)",
    re.IGNORECASE,
)


def validate_bpom(value: Any) -> str:
    """A BPOM processed-food registration: MD (domestic) or ML (imported) and 12 digits.

    Accepts "BPOM RI MD 224510001234", spaces, dots, dashes and lower case;
    returns "MD224510001234". Raises ValidationError "bpom_format".
    """
    text = _text(value)
    match = _BPOM.fullmatch(text)
    digits = _SEPARATORS.sub("", match.group(2)) if match else ""
    if not _DIGITS[12].fullmatch(digits):
        raise ValidationError(
            _(
                "A BPOM registration number is MD or ML followed by 12 digits, "
                "like MD 224510001234; “%(value)s” is not."
            ),
            code="bpom_format",
            params={"value": _shown(text)},
        )
    return match.group(1).upper() + digits


_HALAL_CERTIFICATE = re.compile(r"ID([0-9]{14,20})")
# BPJPH application (registration) numbers: "SH2021-1-000123".
_HALAL_APPLICATION = re.compile(r"SH\s*[0-9]{4}\s*-", re.IGNORECASE)


def validate_halal_number(value: Any) -> str:
    """A halal certificate number (BPJPH): "ID" and 14–20 digits, e.g. ID35110000123450921.

    Spaces, dots and dashes are removed and letters put in upper case. An
    application number ("SH2021-1-000123") is refused with its own message: a
    product is halal-certified only once the certificate is issued. Raises
    ValidationError "halal_application" or "halal_format".
    """
    text = _text(value)
    if _HALAL_APPLICATION.match(text):
        raise ValidationError(
            _(
                "“%(value)s” is a halal certification application number, not a "
                "certificate number; certificate numbers begin with ID, like "
                "ID35110000123450921."
            ),
            code="halal_application",
            params={"value": _shown(text)},
        )
    compact = _SEPARATORS.sub("", text).upper()
    if not _HALAL_CERTIFICATE.fullmatch(compact):
        raise ValidationError(
            _(
                "A halal certificate number is ID followed by 14 to 20 digits, like "
                "ID35110000123450921; “%(value)s” is not."
            ),
            code="halal_format",
            params={"value": _shown(text)},
        )
    return compact


# Adopted international standards keep their body's name: SNI ISO 22000:2018.
_SNI_BODIES = ("ISO/IEC", "ISO", "IEC", "CODEX", "CAC", "ASTM", "OIML")
_SNI = re.compile(
    r"(?:SNI\s*)?"
    r"(?:(?P<body>" + "|".join(re.escape(b) for b in _SNI_BODIES) + r")\s*)?"
    r"(?:"
    r"(?P<old>[0-9]{2}-[0-9]{4}-(?:19|20)[0-9]{2})"
    r"|(?P<number>[0-9]{1,5}(?:[.\-][0-9]{1,4})*)\s*:\s*(?P<year>(?:19|20)[0-9]{2})"
    r")",
    re.IGNORECASE,
)


def validate_sni(value: Any) -> str:
    """An Indonesian National Standard number, returned as "SNI <number>".

    Accepted forms, with or without the "SNI" prefix, in any case:
      - the current form, number (with parts after dots or dashes), colon, year:
        "SNI 3140.3:2010", "SNI 7388:2009", "SNI 8985-1:2021";
      - an adopted standard, its body before the number: "SNI ISO 22000:2018",
        "SNI ISO/IEC 17025:2017" (bodies: ISO/IEC, ISO, IEC, CODEX, CAC, ASTM, OIML);
      - the older form, field-number-year: "SNI 01-3553-2006".
    Spaces around the colon are dropped. Amendments ("/Amd1:2011") are not
    accepted: give the standard itself. Raises ValidationError "sni_format".
    """
    text = _text(value)
    match = _SNI.fullmatch(re.sub(r"\s+", " ", text))
    if match is None:
        raise ValidationError(
            _(
                "An SNI number is written like SNI 3140.3:2010 or SNI 01-3553-2006; "
                "“%(value)s” is not."
            ),
            code="sni_format",
            params={"value": _shown(text)},
        )
    number = match["old"] or f"{match['number']}:{match['year']}"
    body = f"{match['body'].upper()} " if match["body"] else ""
    return f"SNI {body}{number}"


_TRADEMARK_REGISTRATION = re.compile(r"IDM[0-9]{9}")
# Applications: D (national) or J (Madrid protocol), ID, the filing year and 6 digits.
_TRADEMARK_APPLICATION = re.compile(r"[DJ]ID(?:19|20)[0-9]{2}[0-9]{6}")


def validate_trademark(value: Any) -> str:
    """A DJKI trademark number, in upper case without separators.

    A registration is "IDM" and 9 digits (IDM000123456); an application is "D"
    (national) or "J" (international), "ID", the 4-digit filing year and 6
    digits (DID2021012345). Raises ValidationError "trademark_format".
    """
    text = _text(value)
    compact = _SEPARATORS.sub("", text).upper()
    if not (
        _TRADEMARK_REGISTRATION.fullmatch(compact) or _TRADEMARK_APPLICATION.fullmatch(compact)
    ):
        raise ValidationError(
            _(
                "A trademark number is a registration number, IDM followed by 9 digits "
                "like IDM000123456, or an application number like DID2021012345; "
                "“%(value)s” is not."
            ),
            code="trademark_format",
            params={"value": _shown(text)},
        )
    return compact


# --- Years ---------------------------------------------------------------------


def validate_year(value: Any, *, minimum: int = 1700, maximum: int | None = None) -> int:
    """A year such as a pesantren's founding or a member's joining year, as an int.

    Accepts an int or 4 digits as text; `maximum` defaults to this year (in
    the server's zone), because these years are in the past. Raises
    ValidationError "year_format" or "year_range".
    """
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    else:
        text = _text(value)
        if not re.fullmatch(r"[0-9]{4}", text):
            raise ValidationError(
                _("A year is written in 4 digits, like 2019; “%(value)s” is not."),
                code="year_format",
                params={"value": _shown(text)},
            )
        year = int(text)
    if maximum is None:
        maximum = timezone.localdate().year
    if not minimum <= year <= maximum:
        raise ValidationError(
            _("The year must be from %(minimum)s to %(maximum)s; %(value)s is not."),
            code="year_range",
            params={"minimum": minimum, "maximum": maximum, "value": year},
        )
    return year
