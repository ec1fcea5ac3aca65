"""Rupiah formatting and parsing: exact strings, every refusal, and round trips.

No database: money is pure functions plus one form field.
"""

import re
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from niaga.core.money import (
    MAX_AMOUNT,
    MoneyError,
    format_rupiah,
    format_rupiah_digits,
    format_rupiah_short,
    parse_rupiah,
)
from niaga.core.money_fields import RupiahFormField

FAST = settings(max_examples=300, deadline=None)


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are checked against their English msgids; formatting takes explicit languages."""
    with translation.override("en"):
        yield


# --- Full form ---------------------------------------------------------------

FULL = [
    (0, "Rp 0", "IDR 0"),
    (1, "Rp 1", "IDR 1"),
    (999, "Rp 999", "IDR 999"),
    (1000, "Rp 1.000", "IDR 1,000"),
    (999_999, "Rp 999.999", "IDR 999,999"),
    (1_000_000, "Rp 1.000.000", "IDR 1,000,000"),
    (950_000_000, "Rp 950.000.000", "IDR 950,000,000"),
    (147_321_766_000, "Rp 147.321.766.000", "IDR 147,321,766,000"),
    (1_661_000_000_000, "Rp 1.661.000.000.000", "IDR 1,661,000,000,000"),
    (10**18, "Rp 1.000.000.000.000.000.000", "IDR 1,000,000,000,000,000,000"),
    (-5000, "-Rp 5.000", "-IDR 5,000"),
    (-147_321_766_000, "-Rp 147.321.766.000", "-IDR 147,321,766,000"),
]


@pytest.mark.parametrize(("amount", "indonesian", "english"), FULL)
def test_full_form(amount, indonesian, english):
    assert format_rupiah(amount, language="id") == indonesian
    assert format_rupiah(amount, language="en") == english


def test_full_form_beyond_babels_default_decimal_precision():
    # Babel's format_decimal alone raises decimal.InvalidOperation from 10**26 up.
    assert format_rupiah(10**30, language="id") == "Rp 1" + ".000" * 10


def test_digits_are_indonesian_without_currency():
    assert format_rupiah_digits(147_321_766_000) == "147.321.766.000"
    assert format_rupiah_digits(0) == "0"
    assert format_rupiah_digits(-5000) == "-5.000"


def test_language_follows_the_active_language():
    with translation.override("id"):
        assert format_rupiah(5000) == "Rp 5.000"
        assert format_rupiah_short(2_500_000_000) == "Rp 2,5 miliar"
    with translation.override("en"):
        assert format_rupiah(5000) == "IDR 5,000"
        assert format_rupiah_short(2_500_000_000) == "IDR 2.5 billion"
    with translation.override(None):
        assert format_rupiah(5000) == "Rp 5.000"


def test_language_region_is_ignored_and_others_refused():
    assert format_rupiah(5000, language="en-gb") == "IDR 5,000"
    assert format_rupiah(5000, language="id-ID") == "Rp 5.000"
    with pytest.raises(ValueError, match="'fr'"):
        format_rupiah(5000, language="fr")


@pytest.mark.parametrize("function", [format_rupiah, format_rupiah_short, format_rupiah_digits])
@pytest.mark.parametrize("amount", [True, False, 5.0, Decimal(5), "5000", None])
def test_formatting_refuses_anything_but_int(function, amount):
    with pytest.raises(TypeError, match="int"):
        function(amount)


# --- Headline form -------------------------------------------------------------

SHORT = [
    (0, "Rp 0", "IDR 0"),
    (1, "Rp 1", "IDR 1"),
    (999, "Rp 999", "IDR 999"),
    (1000, "Rp 1.000", "IDR 1,000"),
    (950_000, "Rp 950.000", "IDR 950,000"),
    (999_999, "Rp 999.999", "IDR 999,999"),
    (1_000_000, "Rp 1 juta", "IDR 1 million"),
    (950_000_000, "Rp 950 juta", "IDR 950 million"),
    (2_500_000_000, "Rp 2,5 miliar", "IDR 2.5 billion"),
    (147_321_766_000, "Rp 147,3 miliar", "IDR 147.3 billion"),
    (1_661_000_000_000, "Rp 1,66 triliun", "IDR 1.66 trillion"),
    # Half up, not Babel's half to even (which gives 147,2 and 1 miliar here).
    (147_350_000_000, "Rp 147,4 miliar", "IDR 147.4 billion"),
    (147_250_000_000, "Rp 147,3 miliar", "IDR 147.3 billion"),
    (1_005_000_000, "Rp 1,01 miliar", "IDR 1.01 billion"),
    (147_349_999_999, "Rp 147,3 miliar", "IDR 147.3 billion"),
    # Rounding that reaches the next unit moves to it.
    (999_950_000, "Rp 1 miliar", "IDR 1 billion"),
    (999_949_999, "Rp 999,9 juta", "IDR 999.9 million"),
    (9_995_000_000, "Rp 10 miliar", "IDR 10 billion"),
    # Beyond Babel's largest unit the number is grouped (Babel: "12345 triliun").
    (12_345_000_000_000_000, "Rp 12.345 triliun", "IDR 12,345 trillion"),
    (1_234_560_000_000_000, "Rp 1.234,6 triliun", "IDR 1,234.6 trillion"),
    (10**18, "Rp 1.000.000 triliun", "IDR 1,000,000 trillion"),
    (-5000, "-Rp 5.000", "-IDR 5,000"),
    (-147_321_766_000, "-Rp 147,3 miliar", "-IDR 147.3 billion"),
    (-147_250_000_000, "-Rp 147,3 miliar", "-IDR 147.3 billion"),
]


@pytest.mark.parametrize(("amount", "indonesian", "english"), SHORT)
def test_headline_form(amount, indonesian, english):
    assert format_rupiah_short(amount, language="id") == indonesian
    assert format_rupiah_short(amount, language="en") == english


# --- Parsing: accepted ---------------------------------------------------------

ACCEPTED = [
    ("147.321.766.000", 147_321_766_000),
    ("147321766000", 147_321_766_000),
    ("Rp 147.321.766.000", 147_321_766_000),
    ("Rp147.321.766.000", 147_321_766_000),
    ("rp 147.321.766.000", 147_321_766_000),
    ("RP. 5.000", 5000),
    ("IDR 147.321.766.000", 147_321_766_000),
    ("idr147321766000", 147_321_766_000),
    ("147 321 766 000", 147_321_766_000),
    ("Rp\u00a0147\u202f321\u202f766\u202f000", 147_321_766_000),
    ("  Rp 5.000  ", 5000),
    ("Rp 5.000,-", 5000),
    ("0", 0),
    ("Rp 0", 0),
    ("1.000", 1000),
    ("2,5 miliar", 2_500_000_000),
    ("Rp 147,3 miliar", 147_300_000_000),
    ("950 juta", 950_000_000),
    ("950juta", 950_000_000),
    ("1,66 triliun", 1_660_000_000_000),
    ("15 ribu", 15_000),
    ("1,5 ribu", 1_500),
    ("2 Milyar", 2_000_000_000),
    ("3 JUTA", 3_000_000),
    ("0,5 juta", 500_000),
    ("1,2500 juta", 1_250_000),
    ("1.234,6 triliun", 1_234_600_000_000_000),
    ("1.000.000 triliun", MAX_AMOUNT),
    ("2,5 billion", 2_500_000_000),
    ("950 million", 950_000_000),
    ("15 thousand", 15_000),
    ("1 trillion", 10**12),
    ("1.000.000.000.000.000.000", MAX_AMOUNT),
]


@pytest.mark.parametrize(("text", "amount"), ACCEPTED)
def test_parse_accepts(text, amount):
    assert parse_rupiah(text) == amount


# --- Parsing: refused ----------------------------------------------------------

REFUSED = [
    # (text, code, words the message must contain)
    ("", "empty", ["Enter an amount"]),
    ("   ", "empty", ["Enter an amount"]),
    ("Rp", "empty", ["Enter an amount"]),
    ("-5.000", "negative", ["negative"]),
    ("-Rp 5.000", "negative", ["negative"]),
    ("Rp -5.000", "negative", ["negative"]),
    ("\u22125000", "negative", ["negative"]),
    ("-2,5 miliar", "negative", ["negative"]),
    ("Rp 147,3 M", "ambiguous_abbreviation", ["“M”", "miliar", "million", "147.321.766.000"]),
    ("147,3M", "ambiguous_abbreviation", ["“M”", "ambiguous"]),
    ("1,66 T", "ambiguous_abbreviation", ["“T”", "full number"]),
    ("15 jt", "ambiguous_abbreviation", ["“jt”", "ambiguous"]),
    ("1,5jt.", "ambiguous_abbreviation", ["“jt”", "ambiguous"]),
    ("15rb", "ambiguous_abbreviation", ["“rb”", "ambiguous"]),
    ("15K", "ambiguous_abbreviation", ["“K”", "ambiguous"]),
    ("2,5 B", "ambiguous_abbreviation", ["“B”", "ambiguous"]),
    ("2 bn", "ambiguous_abbreviation", ["“bn”", "ambiguous"]),
    ("147.321,50", "decimal_not_allowed", ["whole rupiah", "sen"]),
    ("1,5", "decimal_not_allowed", ["whole rupiah", "sen"]),
    ("5.000,00", "decimal_not_allowed", ["whole rupiah", "sen"]),
    ("1,2345 ribu", "decimal_not_allowed", ["whole number of rupiah", "sen"]),
    ("0,0000000000001 triliun", "decimal_not_allowed", ["whole number of rupiah"]),
    ("1.50", "bad_grouping", ["threes", "147.321.766.000"]),
    ("1.5000", "bad_grouping", ["threes"]),
    ("12.34.567", "bad_grouping", ["threes"]),
    ("0.500", "bad_grouping", ["threes"]),
    ("147.321 766", "bad_grouping", ["threes"]),
    ("1 50", "bad_grouping", ["threes"]),
    ("2.5 miliar", "bad_grouping", ["comma marks decimals", "2,5 miliar"]),
    ("1,500,000", "ambiguous_comma", ["comma", "ambiguous", "1.500.000"]),
    ("1,500", "ambiguous_comma", ["comma", "ambiguous"]),
    ("IDR 147,321,766,000", "ambiguous_comma", ["ambiguous"]),
    ("1,500.50", "ambiguous_comma", ["ambiguous"]),
    ("1,500 juta", "ambiguous_comma", ["ambiguous"]),
    ("1,50,000", "ambiguous_comma", ["ambiguous"]),
    ("abc", "invalid", ["Enter an amount", "digits"]),
    ("Rp abc", "invalid", ["digits"]),
    ("5000 rupees", "invalid", ["digits"]),
    ("1e6", "invalid", ["digits"]),
    ("5.000.", "invalid", ["digits"]),
    ("+5000", "invalid", ["digits"]),
    ("--5000", "invalid", ["digits"]),
    ("(5.000)", "invalid", ["digits"]),
    ("\u0665\u0660\u0660\u0660", "invalid", ["digits"]),  # Arabic-Indic 5000: int() takes it
    ("5 juta,-", "invalid", ["digits"]),
    ("1 miliar 500 juta", "invalid", ["digits"]),
    ("1.000.000.000.000.000.001", "too_large", ["too large", "IDR 1,000,000,000,000,000,000"]),
    ("1,0000000000005 triliun", "decimal_not_allowed", ["whole number"]),
    ("1.000.001 triliun", "too_large", ["too large"]),
    ("1" * 5000, "too_large", ["too large"]),
]


@pytest.mark.parametrize(("text", "code", "words"), REFUSED)
def test_parse_refuses(text, code, words):
    with pytest.raises(MoneyError) as caught:
        parse_rupiah(text)
    assert caught.value.code == code
    message = str(caught.value)
    for word in words:
        assert word in message


def test_money_error_is_a_value_error_with_a_lazy_message():
    with pytest.raises(ValueError, match="ambiguous") as caught:
        parse_rupiah("15K")
    error = caught.value
    assert error.params == {"abbr": "K"}
    assert str(error) == str(error.message) % error.params


def test_too_large_names_the_limit_in_the_language_shown():
    with pytest.raises(MoneyError) as caught:
        parse_rupiah("9" * 19)
    assert "IDR 1,000,000,000,000,000,000" in str(caught.value)
    with translation.override("id"):
        assert "Rp 1.000.000.000.000.000.000" in str(caught.value)


def test_parse_refuses_non_str():
    with pytest.raises(TypeError):
        parse_rupiah(5000)


# --- Properties ----------------------------------------------------------------


@FAST
@given(st.integers(min_value=0, max_value=10**15))
def test_full_form_parses_back(amount):
    assert parse_rupiah(format_rupiah(amount, language="id")) == amount


@FAST
@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_plain_digits_parse(amount):
    assert parse_rupiah(str(amount)) == amount
    assert parse_rupiah(format_rupiah_digits(amount)) == amount


_HEADLINE = re.compile(r"Rp [0-9.]+(?:,(?P<fraction>[0-9]+))? (?P<word>juta|miliar|triliun)")
_EXPONENT = {"juta": 6, "miliar": 9, "triliun": 12}


@FAST
@given(st.integers(min_value=1_000_000, max_value=MAX_AMOUNT))
def test_headline_parses_back_within_its_last_digit(amount):
    headline = format_rupiah_short(amount, language="id")
    shown = _HEADLINE.fullmatch(headline)
    assert shown, headline
    last_digit = 10 ** (_EXPONENT[shown["word"]] - len(shown["fraction"] or ""))
    error = abs(parse_rupiah(headline) - amount)
    assert 2 * error <= last_digit
    # Two digits below 10 and one from 10 up: never more than half a percent off.
    assert 200 * error <= amount


_TO_ENGLISH = str.maketrans({".": ",", ",": "."})
_ENGLISH_WORDS = {"juta": "million", "miliar": "billion", "triliun": "trillion"}


def _as_english(indonesian: str) -> str:
    english = indonesian.translate(_TO_ENGLISH).replace("Rp ", "IDR ")
    for word, translated in _ENGLISH_WORDS.items():
        english = english.replace(word, translated)
    return english


@FAST
@given(st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT))
def test_english_differs_only_in_separators_and_words(amount):
    assert format_rupiah(amount, language="en") == _as_english(format_rupiah(amount, language="id"))
    assert format_rupiah_short(amount, language="en") == _as_english(
        format_rupiah_short(amount, language="id")
    )


@FAST
@given(st.text())
def test_parse_raises_only_money_error(text):
    try:
        amount = parse_rupiah(text)
    except MoneyError as error:
        assert str(error)
    else:
        assert 0 <= amount <= MAX_AMOUNT


_TYPED = st.text(alphabet="0123456789.,- RpIDRmiliarjutK\u00a0", max_size=20)


@FAST
@given(_TYPED)
def test_parse_of_near_misses_raises_only_money_error(text):
    # Plain st.text() rarely lands near the grammar; these strings mostly do.
    try:
        amount = parse_rupiah(text)
    except MoneyError as error:
        assert error.code in {
            "empty",
            "negative",
            "too_large",
            "ambiguous_abbreviation",
            "decimal_not_allowed",
            "bad_grouping",
            "ambiguous_comma",
            "invalid",
        }
    else:
        assert 0 <= amount <= MAX_AMOUNT


# --- Form field ----------------------------------------------------------------


class AmountForm(forms.Form):
    amount = RupiahFormField(min_value=1000, max_value=10**15)
    optional = RupiahFormField(required=False)


def test_field_cleans_to_int():
    form = AmountForm(data={"amount": "Rp 147.321.766.000", "optional": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"amount": 147_321_766_000, "optional": None}


def test_field_words_are_accepted():
    assert RupiahFormField().clean("2,5 miliar") == 2_500_000_000


def test_field_carries_the_money_error_code_and_message():
    field = RupiahFormField()
    with pytest.raises(ValidationError) as caught:
        field.clean("Rp 147,3 M")
    assert caught.value.code == "ambiguous_abbreviation"
    assert "Abbreviation “M” is ambiguous" in caught.value.messages[0]


def test_field_required():
    with pytest.raises(ValidationError) as caught:
        RupiahFormField().clean("  ")
    assert caught.value.code == "required"


@pytest.mark.parametrize(
    ("text", "code", "english", "indonesian"),
    [
        ("999", "min_value", "at least IDR 1,000", "sekurang-kurangnya Rp 1.000"),
        (
            "1.000.000.000.000.001",
            "max_value",
            "at most IDR 1,000,000",
            "paling banyak Rp 1.000.000",
        ),
    ],
)
def test_field_limits_name_the_limit_in_full(text, code, english, indonesian):
    with translation.override("en"):
        form = AmountForm(data={"amount": text})
        assert not form.is_valid()
        assert form.errors.as_data()["amount"][0].code == code
        assert english in form.errors["amount"][0]
    with translation.override("id"):
        form = AmountForm(data={"amount": text})
        assert indonesian in form.errors["amount"][0]


def test_field_limits_are_inclusive():
    field = RupiahFormField(min_value=1000, max_value=2000)
    assert field.clean("1.000") == 1000
    assert field.clean("2.000") == 2000


def test_field_refuses_bad_options():
    with pytest.raises(TypeError):
        RupiahFormField(min_value=1.5)
    with pytest.raises(TypeError):
        RupiahFormField(max_length=20)
    with pytest.raises(ValueError, match="min_value"):
        RupiahFormField(min_value=10, max_value=1)


def test_field_widget_and_redisplay():
    form = AmountForm(initial={"amount": 147_321_766_000})
    html = str(form["amount"])
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="off"' in html
    assert 'value="147.321.766.000"' in html
    assert "Rp" not in html


def test_field_redisplays_in_indonesian_grouping_in_english_too():
    field = RupiahFormField()
    assert field.prepare_value(147_321_766_000) == "147.321.766.000"
    assert field.prepare_value("typed text") == "typed text"
    assert field.prepare_value(None) is None


def test_field_keeps_explicit_widget_attrs():
    field = RupiahFormField(widget=forms.TextInput(attrs={"autocomplete": "transaction-amount"}))
    assert field.widget.attrs["autocomplete"] == "transaction-amount"
    assert field.widget.attrs["inputmode"] == "numeric"


def test_field_has_changed_compares_amounts():
    field = RupiahFormField()
    assert not field.has_changed(147_321_766_000, "Rp 147.321.766.000")
    assert field.has_changed(147_321_766_000, "147.321.766.001")
    assert field.has_changed(5000, "5 K")
