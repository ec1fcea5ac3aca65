"""The registry's data-standard validators: properties over generated values, and exact examples.

Every valid value built from an identifier's structure is accepted and comes
back in one normal form (validating it again changes nothing); wrong lengths,
letters and broken parts are refused with their specific code. Only the NIK
checks touch the database (its regency must exist).
"""

import datetime as dt
import re
import string

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from niaga.regions.models import District, Province, Regency
from niaga.registry.validators import (
    KBLI_VERSION_CHOICES,
    KBLI_VERSIONS,
    PROVINCES_SPLIT_SINCE_NIK,
    NikParts,
    check_nik_matches,
    forget_regency_codes,
    format_phone_display,
    mask_nik,
    mask_phone,
    parse_nik,
    regency_codes,
    validate_bpom,
    validate_halal_number,
    validate_hs_code,
    validate_kbli,
    validate_nib,
    validate_nik,
    validate_nspp,
    validate_phone,
    validate_pirt,
    validate_sni,
    validate_trademark,
    validate_year,
)

FAST = settings(max_examples=150, deadline=None)
TODAY = dt.date(2026, 4, 13)


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are checked against their English msgids."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_regency_codes():
    """A test that adds a regency must not leave it in the process-wide cache."""
    forget_regency_codes()
    yield
    forget_regency_codes()


def refusal(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value


def code_of(call, *args, **kwargs) -> str:
    return refusal(call, *args, **kwargs).code


def message_of(call, *args, **kwargs) -> str:
    (message,) = refusal(call, *args, **kwargs).messages
    return message


# --- Strategies ----------------------------------------------------------------


def digit_strings(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=size, max_size=size)


@st.composite
def written(draw, compact: str, separators=("", "", "", " ", ".", "-")) -> str:
    """`compact` as a person might type it: separators between characters, spaces around."""
    gaps = draw(
        st.lists(st.sampled_from(separators), min_size=len(compact) - 1, max_size=len(compact) - 1)
    )
    text = compact[0] + "".join(gap + ch for gap, ch in zip(gaps, compact[1:], strict=True))
    return draw(st.sampled_from(["", " ", "  "])) + text + draw(st.sampled_from(["", " ", "\t"]))


@st.composite
def with_a_foreign_character(draw, compact: str) -> str:
    """`compact` with one character replaced by a letter, a sign or a non-ASCII digit."""
    position = draw(st.integers(0, len(compact) - 1))
    foreign = draw(st.sampled_from(["a", "O", "l", "x", "#", "/", "+", "٣", "５", "é"]))
    return compact[:position] + foreign + compact[position + 1 :]


def wrong_length_digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, max_size=30).filter(lambda s: len(s) != size)


# --- Fixed-length numbers: NSPP, NIB, KBLI ----------------------------------------

FIXED_DIGITS = [
    pytest.param(validate_nspp, 12, "nspp_format", id="nspp"),
    pytest.param(validate_nib, 13, "nib_format", id="nib"),
    pytest.param(validate_kbli, 5, "kbli_format", id="kbli"),
]


@pytest.mark.parametrize(("validate", "size", "code"), FIXED_DIGITS)
@FAST
@given(data=st.data())
def test_fixed_digit_numbers_are_accepted_however_written(validate, size, code, data):
    digits = data.draw(digit_strings(size))
    typed = data.draw(written(digits))
    assert validate(typed) == digits
    assert validate(validate(typed)) == digits


@pytest.mark.parametrize(("validate", "size", "code"), FIXED_DIGITS)
@FAST
@given(data=st.data())
def test_fixed_digit_numbers_of_another_length_are_refused(validate, size, code, data):
    assert code_of(validate, data.draw(wrong_length_digits(size))) == code


@pytest.mark.parametrize(("validate", "size", "code"), FIXED_DIGITS)
@FAST
@given(data=st.data())
def test_fixed_digit_numbers_with_letters_are_refused(validate, size, code, data):
    assert (
        code_of(validate, data.draw(with_a_foreign_character(data.draw(digit_strings(size)))))
        == code
    )


def test_numbers_stored_as_integers_are_read_as_their_digits():
    assert validate_nspp(510035780001) == "510035780001"
    assert validate_nib(9120001234567) == "9120001234567"


@pytest.mark.parametrize(
    ("call", "value", "code", "message"),
    [
        (
            validate_nspp,
            "51003578000",
            "nspp_format",
            "NSPP is 12 digits, like 510035780001; “51003578000” is not.",
        ),
        (
            validate_nib,
            "NIB 9120001234567",
            "nib_format",
            "NIB is 13 digits, like 9120001234567; “NIB 9120001234567” is not.",
        ),
        (
            validate_kbli,
            "1079",
            "kbli_format",
            "A KBLI code is 5 digits, like 10792; “1079” is not.",
        ),
        (
            validate_nspp,
            "5" * 60,
            "nspp_format",
            "NSPP is 12 digits, like 510035780001; “" + "5" * 40 + "…” is not.",
        ),
        (validate_nspp, None, "nspp_format", "NSPP is 12 digits, like 510035780001; “” is not."),
    ],
)
def test_fixed_digit_refusals_name_the_rule_and_show_an_example(call, value, code, message):
    assert code_of(call, value) == code
    assert message_of(call, value) == message


def test_kbli_versions():
    assert KBLI_VERSIONS == ("2020", "2025")
    assert KBLI_VERSION_CHOICES == [("2020", "KBLI 2020"), ("2025", "KBLI 2025")]
    assert validate_kbli("10792") == "10792"
    assert validate_kbli("10792", "2025") == "10792"
    assert validate_kbli("10792", 2025) == "10792"
    assert code_of(validate_kbli, "10792", "2017") == "kbli_version"
    assert (
        message_of(validate_kbli, "10792", "2017")
        == "The KBLI version is one of 2020, 2025; “2017” is not."
    )
    # The version is checked first: a wrong version is the form's mistake, not the user's.
    assert code_of(validate_kbli, "1", "2009") == "kbli_version"


# --- HS codes ----------------------------------------------------------------------

HS_CHAPTERS = [f"{n:02d}" for n in range(1, 98) if n != 77]


@FAST
@given(chapter=st.sampled_from(HS_CHAPTERS), rest=digit_strings(6), data=st.data())
def test_hs_codes_are_accepted_dotted_or_not(chapter, rest, data):
    digits = chapter + rest
    dotted = f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"
    assert validate_hs_code(dotted) == digits
    assert validate_hs_code(data.draw(written(digits))) == digits
    assert validate_hs_code(validate_hs_code(dotted)) == digits


@FAST
@given(chapter=st.sampled_from(["00", "77", "98", "99"]), rest=digit_strings(6))
def test_hs_codes_outside_the_chapters_are_refused(chapter, rest):
    assert code_of(validate_hs_code, chapter + rest) == "hs_chapter"


@FAST
@given(data=st.data())
def test_hs_codes_of_another_length_or_with_letters_are_refused(data):
    assert code_of(validate_hs_code, data.draw(wrong_length_digits(8))) == "hs_format"
    digits = data.draw(st.sampled_from(HS_CHAPTERS)) + data.draw(digit_strings(6))
    assert code_of(validate_hs_code, data.draw(with_a_foreign_character(digits))) == "hs_format"


def test_hs_code_messages():
    assert validate_hs_code("0901.11.10") == "09011110"
    assert validate_hs_code("0407.21.00") == "04072100"
    assert (
        message_of(validate_hs_code, "0901.11")
        == "An HS code is 8 digits, like 0901.11.10 or 09011110; “0901.11” is not."
    )
    assert message_of(validate_hs_code, "7701.11.10") == (
        "An HS code begins with its chapter, 01–97 (chapter 77 is unused); "
        "“7701.11.10” begins with 77."
    )


# --- NIK -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def regency_list() -> list[str]:
    """The regencies the migration loads, read from the shipped table once.

    Not from the database: tests without a database mark run after the
    transactional ones, which leave the tables flushed.
    """
    import csv

    from niaga.regions.loading import DATA

    with open(DATA / "regencies.csv", encoding="utf-8", newline="") as handle:
        return sorted(row["code"] for row in csv.DictReader(handle))


def nik_of(regency: str, district: int, birth: dt.date, female: bool, serial: int) -> str:
    day = birth.day + (40 if female else 0)
    return (
        f"{regency.replace('.', '')}{district:02d}"
        f"{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
    )


@st.composite
def nik_cases(draw, regencies: list[str]):
    """A NIK and the parts it was built from, for a birth within the century up to `today`."""
    today = draw(st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)))
    # A date over 99 full years back shares its DDMMYY with a later one: not recoverable.
    birth = draw(st.dates(dt.date(today.year - 99, 1, 1), today))
    regency = draw(st.sampled_from(regencies))
    district = draw(st.integers(1, 99))
    female = draw(st.booleans())
    serial = draw(st.integers(1, 9999))
    parts = NikParts(
        regency_code=regency,
        district_code=f"{regency}.{district:02d}",
        birth_date=birth,
        is_female=female,
        serial=f"{serial:04d}",
    )
    return nik_of(regency, district, birth, female, serial), parts, today


@FAST
@given(data=st.data())
def test_a_nik_built_from_its_parts_gives_them_back(regency_list, data):
    nik, parts, today = data.draw(nik_cases(regency_list))
    assert parse_nik(nik, today=today) == parts
    assert parse_nik(data.draw(written(nik, separators=("", "", " ", "-"))), today=today) == parts
    # Women's day of birth is written with 40 added.
    assert int(nik[6:8]) == parts.birth_date.day + (40 if parts.is_female else 0)
    assert parts.province_code == nik[:2]


@FAST
@given(data=st.data())
def test_a_masked_nik_hides_birth_date_and_district(regency_list, data):
    nik, _, _ = data.draw(nik_cases(regency_list))
    masked = mask_nik(nik)
    assert masked == nik[:4] + "********" + nik[12:]
    assert nik[4:12] not in masked
    assert sum(ch.isdigit() for ch in masked) == 8


@pytest.mark.django_db
@FAST
@given(data=st.data())
def test_valid_niks_pass_the_database_check_and_stay_as_they_are(regency_list, data):
    nik, _, today = data.draw(nik_cases(regency_list))
    typed = data.draw(written(nik, separators=("", "", " ", ".")))
    assert validate_nik(typed, today=today) == nik
    assert validate_nik(validate_nik(typed, today=today), today=today) == nik


@pytest.mark.django_db
@FAST
@given(data=st.data())
def test_niks_of_regencies_that_do_not_exist_are_refused(regency_list, data):
    existing = set(regency_list)
    province = data.draw(
        st.integers(1, 99).filter(lambda p: f"{p:02d}" not in PROVINCES_SPLIT_SINCE_NIK)
    )
    number = data.draw(st.sampled_from([*range(1, 70), *range(71, 100)]))
    regency = f"{province:02d}.{number:02d}"
    if regency in existing:
        regency = "99.99"
    nik = nik_of(regency, 1, dt.date(1990, 7, 1), True, 1)
    assert parse_nik(nik, today=TODAY).regency_code == regency
    error = refusal(validate_nik, nik, today=TODAY)
    assert error.code == "nik_region"
    assert error.messages == [
        "A NIK begins with the code of the regency or city where it was issued; "
        f"there is no regency or city {regency}."
    ]


@FAST
@given(
    day=st.integers(0, 99),
    month=st.integers(0, 99),
    yy=st.integers(0, 99),
    today=st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)),
)
def test_birth_digits_must_be_a_real_date(day, month, yy, today):
    nik = f"357801{day:02d}{month:02d}{yy:02d}0001"
    real_day = day - 40 if day > 40 else day
    matching = []
    for year in range(1800, today.year + 1):
        if year % 100 == yy:
            try:
                matching.append(dt.date(year, month, real_day))
            except ValueError:
                continue
    matching = [date for date in matching if date <= today]
    if matching:
        parts = parse_nik(nik, today=today)
        assert parts.birth_date == max(matching)
        assert parts.is_female == (day > 40)
    else:
        assert code_of(parse_nik, nik, today=today) == "nik_birth_date"


@pytest.mark.parametrize(
    ("nik", "birth_date", "is_female"),
    [
        ("3578014107900001", dt.date(1990, 7, 1), True),
        ("3578010107900001", dt.date(1990, 7, 1), False),
        ("3578017112850123", dt.date(1985, 12, 31), True),
        ("3578013112850123", dt.date(1985, 12, 31), False),
        # Today's date in the NIK is today; one day later is a century back.
        ("3578011304260001", dt.date(2026, 4, 13), False),
        ("3578011404260001", dt.date(1926, 4, 14), False),
        ("3578016902240001", dt.date(2024, 2, 29), True),
        ("3578012902000001", dt.date(2000, 2, 29), False),
    ],
)
def test_nik_birth_dates_and_gender(nik, birth_date, is_female):
    parts = parse_nik(nik, today=TODAY)
    assert (parts.birth_date, parts.is_female) == (birth_date, is_female)


def test_a_century_year_that_is_no_leap_year_points_a_century_back():
    assert parse_nik("3578012902000001", today=dt.date(2100, 6, 1)).birth_date == dt.date(
        2000, 2, 29
    )
    assert parse_nik("3578012902000001", today=dt.date(2000, 3, 1)).birth_date == dt.date(
        2000, 2, 29
    )
    # Neither 29 February 2000 (not yet) nor 1900 (no leap year).
    assert code_of(parse_nik, "3578012902000001", today=dt.date(2000, 2, 28)) == "nik_birth_date"


@pytest.mark.parametrize(
    ("nik", "code", "message"),
    [
        (
            "357801410790000",
            "nik_format",
            "A NIK is 16 digits, like 3578014107900001; this one has 15 digits.",
        ),
        ("3", "nik_format", "A NIK is 16 digits, like 3578014107900001; this one has 1 digit."),
        (
            "35780141079O0001",
            "nik_format",
            "A NIK is 16 digits, like 3578014107900001, with no letters or other signs.",
        ),
        (
            "3578003102900001",
            "nik_district",
            "Digits 5–6 of a NIK are the district number, 01–99; they cannot be 00.",
        ),
        (
            "3578013102900001",
            "nik_birth_date",
            "Digits 7–12 of a NIK are the birth date as DDMMYY, with 40 added to the day "
            "for women; those of this NIK are not a real date.",
        ),
        ("3578017102900001", "nik_birth_date", None),  # 31 February, a woman
        ("3578012902230001", "nik_birth_date", None),  # 29 February 2023 and 1923
        ("3578014002900001", "nik_birth_date", None),  # day 40: neither a man's nor a woman's
        ("3578017202900001", "nik_birth_date", None),
        ("3578010113900001", "nik_birth_date", None),
        (
            "3578010107900000",
            "nik_serial",
            "The last 4 digits of a NIK are a serial number, 0001–9999; they cannot be 0000.",
        ),
        (
            "3570010107900001",
            "nik_region",
            "A NIK begins with the code of the regency or city where it was issued; "
            "there is no regency or city 35.70.",
        ),
        ("0001010107900001", "nik_region", None),
    ],
)
def test_nik_refusals_without_the_database(nik, code, message):
    error = refusal(parse_nik, nik, today=TODAY)
    assert error.code == code
    if message is not None:
        assert error.messages == [message]


def test_nik_messages_do_not_repeat_the_nik():
    for nik in ("63710165120000039", "6371006512000003", "6371013102000003", "6371016512000000"):
        (message,) = refusal(parse_nik, nik, today=TODAY).messages
        assert nik not in message
        assert nik[:12] not in message


@pytest.mark.django_db
def test_niks_issued_before_a_province_split_keep_their_old_regency_code():
    # Mimika was 91.09 until Papua Tengah (94) was formed in 2022; 91.09 is no longer listed.
    assert "91.09" not in regency_codes()
    assert validate_nik("9109014107900001", today=TODAY) == "9109014107900001"
    # A province that was never split still refuses an unknown regency.
    assert code_of(validate_nik, "3598014107900001", today=TODAY) == "nik_region"


@pytest.mark.django_db
def test_validate_nik_examples():
    assert validate_nik("3578014107900001", today=TODAY) == "3578014107900001"
    assert validate_nik("3578 0141 0790 0001", today=TODAY) == "3578014107900001"
    assert validate_nik("6371016512000003", today=TODAY) == "6371016512000003"
    assert code_of(validate_nik, "9999014107900001", today=TODAY) == "nik_region"
    assert code_of(validate_nik, "3578013102900001", today=TODAY) == "nik_birth_date"


@pytest.mark.django_db
def test_regency_codes_are_read_once_and_can_be_forgotten(django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = regency_codes()
        validate_nik("3578014107900001", today=TODAY)
        validate_nik("6371016512000003", today=TODAY)
    assert len(codes) == Regency.objects.count() == 514
    Regency.objects.create(
        code="35.98", province=Province.objects.get(code="35"), name="Kota Uji", kind="kota"
    )
    # Still the remembered set until it is forgotten.
    assert code_of(validate_nik, "3598014107900001", today=TODAY) == "nik_region"
    forget_regency_codes()
    assert validate_nik("3598014107900001", today=TODAY) == "3598014107900001"


@pytest.mark.django_db
def test_an_empty_regency_table_is_not_remembered(jatim):
    """A flushed database answers with no regencies; the next call must read again."""
    District.objects.all().delete()
    Regency.objects.all().delete()
    assert regency_codes() == frozenset()
    Regency.objects.create(code="35.78", province=jatim, name="Kota Surabaya", kind="kota")
    assert regency_codes() == {"35.78"}
    assert validate_nik("3578014107900001", today=TODAY) == "3578014107900001"


@FAST
@given(data=st.data())
def test_check_nik_matches_the_person_it_was_built_for(regency_list, data):
    nik, parts, _ = data.draw(nik_cases(regency_list))
    check_nik_matches(nik, birth_date=parts.birth_date, is_female=parts.is_female)
    check_nik_matches(nik)
    # Another century is the same DDMMYY: the NIK cannot tell them apart.
    check_nik_matches(nik, birth_date=parts.birth_date.replace(year=parts.birth_date.year - 400))
    error = refusal(check_nik_matches, nik, is_female=not parts.is_female)
    assert error.code == "nik_mismatch"
    other = data.draw(
        st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)).filter(
            lambda d: (
                (d.day, d.month, d.year % 100)
                != (parts.birth_date.day, parts.birth_date.month, parts.birth_date.year % 100)
            )
        )
    )
    assert code_of(check_nik_matches, nik, birth_date=other) == "nik_mismatch"


def test_check_nik_matches_messages():
    assert message_of(check_nik_matches, "3578014107900001", is_female=False) == (
        "The gender does not match the NIK: for women, 40 is added to the day of birth "
        "in digits 7–8 of the NIK."
    )
    assert message_of(check_nik_matches, "3578014107900001", birth_date=dt.date(1990, 1, 7)) == (
        "The birth date does not match the NIK: digits 7–12 of the NIK are the birth date "
        "as DDMMYY (with 40 added to the day for women)."
    )
    # A broken NIK is reported as such, not as a mismatch.
    assert code_of(check_nik_matches, "3578", birth_date=dt.date(1990, 7, 1)) == "nik_format"


def test_mask_nik_tolerates_nothing():
    assert mask_nik(None) == ""
    assert mask_nik("") == ""
    assert mask_nik("3578014107900001") == "3578********0001"


# --- Phone numbers -------------------------------------------------------------------

MOBILE_OPERATORS = [
    "11", "12", "13", "21", "22", "23", "51", "52", "53", "14", "15", "16", "55", "56", "57",
    "58", "17", "18", "19", "59", "77", "78", "95", "96", "97", "98", "99", "81", "82", "83",
    "84", "85", "86", "87", "88", "89", "31", "32", "33", "38",
]  # fmt: skip


@st.composite
def mobile_numbers(draw):
    """(national significant number, how someone typed it)."""
    operator = draw(st.sampled_from(MOBILE_OPERATORS))
    subscriber = draw(st.text(alphabet=string.digits, min_size=7, max_size=9))
    nsn = "8" + operator + subscriber
    forms = [
        "0" + nsn,
        "+62" + nsn,
        "62" + nsn,
        "0062" + nsn,
        f"0{nsn[:3]}-{subscriber[:4]}-{subscriber[4:]}",
        f"+62 {nsn[:3]} {subscriber[:4]} {subscriber[4:]}",
        f"+62 (0) {nsn[:3]} {subscriber}",
        f" 0{nsn[:3]} {subscriber} ",
    ]
    return nsn, draw(st.sampled_from(forms))


@FAST
@given(case=mobile_numbers())
def test_mobile_numbers_become_e164_however_written(case):
    nsn, typed = case
    e164 = validate_phone(typed)
    assert e164 == "+62" + nsn
    assert validate_phone(e164) == e164
    display = format_phone_display(e164)
    assert display.startswith("0" + nsn[:3] + "-")
    assert display.replace("-", "") == "0" + nsn
    assert validate_phone(display) == e164
    masked = mask_phone(e164)
    subscriber = nsn[3:]
    shown = min(4, len(subscriber) - 4)
    assert masked.startswith("0" + nsn[:3] + "-")
    assert masked.endswith(subscriber[-shown:])
    assert masked.count("*") == len(subscriber) - shown
    assert masked.replace("*", "0").replace("-", "").isdigit()


PHONES_ACCEPTED = [
    ("0812-3456-7890", "+6281234567890", "0812-3456-7890", "0812-****-7890"),
    ("081234567890", "+6281234567890", "0812-3456-7890", "0812-****-7890"),
    ("+62 812 3456 7890", "+6281234567890", "0812-3456-7890", "0812-****-7890"),
    ("6281234567890", "+6281234567890", "0812-3456-7890", "0812-****-7890"),
    ("0062 812 3456 7890", "+6281234567890", "0812-3456-7890", "0812-****-7890"),
    ("0811 1234 567", "+628111234567", "0811-1234-567", "0811-****-567"),
    ("(031) 5678901", "+62315678901", "(031) 5678901", "(031) ****901"),
    ("021-5551234", "+62215551234", "(021) 5551234", "(021) ****234"),
    ("62 21 5551234", "+62215551234", "(021) 5551234", "(021) ****234"),
    ("(0341) 551234", "+62341551234", "(0341) 551234", "(0341) ****34"),
    ("0511.3301234", "+625113301234", "(0511) 3301234", "(0511) ****234"),
]


@pytest.mark.parametrize(("typed", "e164", "display", "masked"), PHONES_ACCEPTED)
def test_phones_accepted(typed, e164, display, masked):
    assert validate_phone(typed) == e164
    assert format_phone_display(e164) == display
    assert mask_phone(e164) == masked


PHONES_REFUSED = [
    ("", "phone_format"),
    ("12345", "phone_format"),
    ("0812", "phone_format"),
    ("08123456789012345", "phone_format"),
    ("0812-CALL-NOW", "phone_format"),
    ("nomor hp", "phone_format"),
    ("0812-3456-7890 / 0813-1111-2222", "phone_format"),
    ("+62 812 345", "phone_format"),
    ("+1 650 253 0000", "phone_country"),
    ("+60 12-345 6789", "phone_country"),
    ("+65 6123 4567", "phone_country"),
    ("021 5551234 ext 12", "phone_extension"),
]


@pytest.mark.parametrize(("typed", "code"), PHONES_REFUSED)
def test_phones_refused(typed, code):
    assert code_of(validate_phone, typed) == code


def test_phone_messages():
    assert message_of(validate_phone, "12345") == (
        "A phone number is an Indonesian mobile or landline number, like 0812-3456-7890 "
        "or (031) 5678901; the number given is not valid."
    )
    assert message_of(validate_phone, "+60 12-345 6789") == (
        "Only Indonesian numbers (+62) are accepted, like +62 812-3456-7890; "
        "this number has country code +60."
    )
    assert message_of(validate_phone, "021 5551234 ext 12") == (
        "Give the phone number without an extension, like (031) 5678901."
    )


def test_phone_display_and_mask_tolerate_nothing():
    for empty in (None, ""):
        assert format_phone_display(empty) == ""
        assert mask_phone(empty) == ""
    assert format_phone_display("+16502530000") == "+1 650-253-0000"


# --- P-IRT, BPOM, halal ----------------------------------------------------------------


@FAST
@given(
    digits=digit_strings(15),
    prefix=st.sampled_from(["", "P-IRT ", "PIRT ", "P-IRT No. ", "No. ", "p-irt no.", "PIRT: "]),
    data=st.data(),
)
def test_pirt_numbers_are_accepted_with_their_labels(digits, prefix, data):
    printed = f"{digits[:13]}-{digits[13:]}"
    typed = prefix + data.draw(st.sampled_from([printed, digits, data.draw(written(digits))]))
    assert validate_pirt(typed) == digits
    assert validate_pirt(validate_pirt(typed)) == digits


@FAST
@given(data=st.data())
def test_pirt_numbers_of_another_length_or_with_letters_are_refused(data):
    assert code_of(validate_pirt, "P-IRT " + data.draw(wrong_length_digits(15))) == "pirt_format"
    mangled = data.draw(with_a_foreign_character(data.draw(digit_strings(15))))
    assert code_of(validate_pirt, mangled) == "pirt_format"


@FAST
@given(
    kind=st.sampled_from(["MD", "ML"]),
    digits=digit_strings(12),
    prefix=st.sampled_from(["", "BPOM RI ", "BPOM ", "BPOM-RI ", "bpom ri: "]),
    gap=st.sampled_from(["", " ", "-"]),
    lower=st.booleans(),
    data=st.data(),
)
def test_bpom_numbers_are_accepted_and_normalised(kind, digits, prefix, gap, lower, data):
    typed = f"{prefix}{kind}{gap}{data.draw(written(digits, separators=('', '', ' ', '.')))}"
    if lower:
        typed = typed.lower()
    assert validate_bpom(typed) == kind + digits
    assert validate_bpom(validate_bpom(typed)) == kind + digits


@FAST
@given(
    kind=st.sampled_from(["MD", "ML", "MK", "SP", "PIRT", ""]),
    digits=st.text(alphabet=string.digits, max_size=20),
)
def test_bpom_numbers_refused(kind, digits):
    if kind in ("MD", "ML") and len(digits) == 12:
        return
    assert code_of(validate_bpom, kind + digits) == "bpom_format"


@FAST
@given(digits=st.text(alphabet=string.digits, min_size=14, max_size=20), data=st.data())
def test_halal_certificate_numbers_are_accepted(digits, data):
    typed = data.draw(st.sampled_from(["ID", "id", "Id"])) + data.draw(
        st.sampled_from(["", " ", "-"])
    )
    typed += data.draw(written(digits, separators=("", "", " ")))
    assert validate_halal_number(typed) == "ID" + digits
    assert validate_halal_number(validate_halal_number(typed)) == "ID" + digits


@FAST
@given(
    year=st.integers(2019, 2030),
    route=st.integers(1, 9),
    serial=digit_strings(6),
    low=st.booleans(),
)
def test_halal_application_numbers_are_named_as_such(year, route, serial, low):
    number = f"SH{year}-{route}-{serial}"
    if low:
        number = number.lower()
    assert code_of(validate_halal_number, number) == "halal_application"


@FAST
@given(
    head=st.sampled_from(["ID", "", "IDN", "LPPOM", "MUI"]),
    digits=st.text(alphabet=string.digits, max_size=25),
)
def test_halal_numbers_refused(head, digits):
    if head == "ID" and 14 <= len(digits) <= 20:
        return
    assert code_of(validate_halal_number, head + digits) == "halal_format"


def test_permit_messages():
    assert validate_pirt("P-IRT No. 2063578010123-26") == "206357801012326"
    assert validate_bpom("BPOM RI MD 224510001234") == "MD224510001234"
    assert validate_halal_number("ID35110000123450921") == "ID35110000123450921"
    assert message_of(validate_pirt, "P-IRT 1234") == (
        "A P-IRT number is 15 digits, like P-IRT No. 2063578010123-26; “P-IRT 1234” is not."
    )
    assert message_of(validate_bpom, "MK 224510001234") == (
        "A BPOM registration number is MD or ML followed by 12 digits, like MD 224510001234; "
        "“MK 224510001234” is not."
    )
    assert message_of(validate_halal_number, "SH2021-1-000123") == (
        "“SH2021-1-000123” is a halal certification application number, not a certificate "
        "number; certificate numbers begin with ID, like ID35110000123450921."
    )
    assert message_of(validate_halal_number, "ID123") == (
        "A halal certificate number is ID followed by 14 to 20 digits, like "
        "ID35110000123450921; “ID123” is not."
    )


# --- SNI and trademarks ------------------------------------------------------------------

sni_numbers = st.builds(
    lambda main, parts, year: (str(main) + "".join(sep + str(n) for sep, n in parts), year),
    st.integers(1, 99999),
    st.lists(st.tuples(st.sampled_from([".", "-"]), st.integers(1, 99)), max_size=2),
    st.integers(1950, 2030),
)


@FAST
@given(
    number=sni_numbers,
    prefix=st.sampled_from(["SNI ", "sni ", "SNI", ""]),
    body=st.sampled_from(["", "ISO ", "iso/iec ", "IEC ", "CODEX "]),
    colon=st.sampled_from([":", " : ", ": "]),
)
def test_sni_numbers_in_the_current_form(number, prefix, body, colon):
    main, year = number
    normal = f"SNI {body.upper()}{main}:{year}"
    assert validate_sni(f"{prefix}{body}{main}{colon}{year}") == normal
    assert validate_sni(normal) == normal


@FAST
@given(
    field=digit_strings(2),
    number=digit_strings(4),
    year=st.integers(1950, 2007),
    prefix=st.sampled_from(["SNI ", "sni ", "SNI", ""]),
)
def test_sni_numbers_in_the_old_form(field, number, year, prefix):
    normal = f"SNI {field}-{number}-{year}"
    assert validate_sni(f"{prefix}{field}-{number}-{year}") == normal
    assert validate_sni(normal) == normal


@pytest.mark.parametrize(
    "value",
    ["", "SNI", "SNI 3140.3", "SNI 3140.3:10", "SNI 3140.3:1850", "SNI 3140.3:2010/Amd1:2011",
     "SNI 1-3553-2006", "SNI ABC:2010", "ISO 9001", "3140,3:2010", "SNI 123456:2010"],
)  # fmt: skip
def test_sni_numbers_refused(value):
    assert code_of(validate_sni, value) == "sni_format"


def test_sni_examples_and_message():
    assert validate_sni("SNI 3140.3:2010") == "SNI 3140.3:2010"
    assert validate_sni("sni 01-3553-2006") == "SNI 01-3553-2006"
    assert validate_sni("SNI ISO/IEC 17025:2017") == "SNI ISO/IEC 17025:2017"
    assert validate_sni("  SNI   8985-1 : 2021 ") == "SNI 8985-1:2021"
    assert message_of(validate_sni, "SNI 3140.3") == (
        "An SNI number is written like SNI 3140.3:2010 or SNI 01-3553-2006; “SNI 3140.3” is not."
    )


@FAST
@given(
    kind=st.sampled_from(["registration", "D", "J"]),
    year=st.integers(1990, 2030),
    digits=digit_strings(9),
    lower=st.booleans(),
    data=st.data(),
)
def test_trademark_numbers_are_accepted_and_normalised(kind, year, digits, lower, data):
    normal = "IDM" + digits if kind == "registration" else f"{kind}ID{year}{digits[:6]}"
    typed = data.draw(written(normal, separators=("", "", "", " ", "-")))
    if lower:
        typed = typed.lower()
    assert validate_trademark(typed) == normal
    assert validate_trademark(validate_trademark(typed)) == normal


@pytest.mark.parametrize(
    "value",
    ["", "IDM", "IDM12345678", "IDM0001234567", "ID000123456", "DID21012345", "DID2021-12345",
     "XID2021012345", "DID1821012345", "D2021012345", "IDMABCDEFGHI", "000123456"],
)  # fmt: skip
def test_trademark_numbers_refused(value):
    assert code_of(validate_trademark, value) == "trademark_format"


def test_trademark_message():
    assert validate_trademark("idm 000-123-456") == "IDM000123456"
    assert message_of(validate_trademark, "IDM12345") == (
        "A trademark number is a registration number, IDM followed by 9 digits like "
        "IDM000123456, or an application number like DID2021012345; “IDM12345” is not."
    )


# --- Years -------------------------------------------------------------------------------


@FAST
@given(year=st.integers(1700, 2026), as_text=st.booleans())
def test_years_in_range_are_accepted(year, as_text):
    value = f" {year} " if as_text else year
    assert validate_year(value, maximum=2026) == year
    assert validate_year(validate_year(value, maximum=2026), maximum=2026) == year


@FAST
@given(year=st.integers(1000, 9999).filter(lambda y: not 1700 <= y <= 2026))
def test_years_out_of_range_are_refused(year):
    assert code_of(validate_year, year, maximum=2026) == "year_range"
    assert code_of(validate_year, str(year), maximum=2026) == "year_range"


@FAST
@given(text=st.text(max_size=8).filter(lambda t: not re.fullmatch(r"[0-9]{4}", t.strip())))
def test_years_not_written_in_four_digits_are_refused(text):
    assert code_of(validate_year, text) == "year_format"


def test_year_limits_and_messages():
    this_year = dt.date.today().year
    assert validate_year(this_year) == this_year
    assert code_of(validate_year, this_year + 1) == "year_range"
    assert validate_year(1850, minimum=1800) == 1850
    assert code_of(validate_year, 1799, minimum=1800) == "year_range"
    assert code_of(validate_year, True) == "year_format"
    assert code_of(validate_year, 2019.0) == "year_format"
    assert (
        message_of(validate_year, "19") == "A year is written in 4 digits, like 2019; “19” is not."
    )
    assert message_of(validate_year, 1600, maximum=2026) == (
        "The year must be from 1700 to 2026; 1600 is not."
    )


# --- Any text at all -------------------------------------------------------------------------

CODES = {
    validate_nspp: {"nspp_format"},
    validate_nib: {"nib_format"},
    validate_kbli: {"kbli_format"},
    validate_hs_code: {"hs_format", "hs_chapter"},
    parse_nik: {"nik_format", "nik_region", "nik_district", "nik_birth_date", "nik_serial"},
    validate_phone: {"phone_format", "phone_country", "phone_extension"},
    validate_pirt: {"pirt_format"},
    validate_bpom: {"bpom_format"},
    validate_halal_number: {"halal_format", "halal_application"},
    validate_sni: {"sni_format"},
    validate_trademark: {"trademark_format"},
    validate_year: {"year_format", "year_range"},
}


@pytest.mark.parametrize("validate", CODES, ids=lambda f: f.__name__)
@settings(max_examples=100, deadline=None)
@given(
    text=st.one_of(st.text(max_size=40), st.text(alphabet="0123456789 .-+()IDMSHNLPR", max_size=25))
)
def test_any_text_is_either_normalised_for_good_or_refused_with_a_known_code(validate, text):
    try:
        clean = validate(text)
    except ValidationError as error:
        assert error.code in CODES[validate]
        return
    if isinstance(clean, NikParts):
        return
    assert validate(clean) == clean
