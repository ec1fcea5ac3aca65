"""Catalogue search relevance on a fixed set of Indonesian products and queries.

Expected results are worked out from the rules (stems, weights 3/1 for name and
description, doubled for the word's own stem, every word must match, ties
newest first), not copied from the output.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from niaga.catalog.queries import catalogue_page
from niaga.catalog.search import Criteria, criteria, parse_query

pytestmark = pytest.mark.django_db


def names(q: str = "", **filters) -> list[str]:
    page = catalogue_page(criteria(q=q, **filters))
    assert page.count == len(page.items)  # every set here fits one page
    return [product.name for product in page.items]


def test_kerajinan_finds_pengrajin_and_perajin_with_the_name_first(catalogue):
    assert names("kerajinan") == [
        "Kerajinan Anyaman Bambu",  # rajin in the name: 3 × 2
        "Tudung Saji Pandan",  # perajin in the description: 1 × 2, newer than …
        "Tas Rotan Jinjing",  # … pengrajin in the description
    ]
    # The affixed forms are the same word, whichever one is typed.
    assert names("pengrajin") == names("kerajinan") == names("perajin")


def test_batik_tulis_finds_membatik_and_every_word_must_match(catalogue):
    assert names("batik tulis") == ["Kain Batik Tulis Pesisiran", "Kain Sarung Motif Parang"]
    # "tulis" alone also finds the sasirangan, which is not batik.
    assert names("tulis") == [
        "Kain Sasirangan Tulis",
        "Kain Batik Tulis Pesisiran",
        "Kain Sarung Motif Parang",
    ]
    assert names("membatik") == ["Kain Batik Tulis Pesisiran", "Kain Sarung Motif Parang"]
    assert names("pekerjaan") == ["Kain Sarung Motif Parang"]  # kerja, as in "dikerjakan"


@pytest.mark.parametrize("typed", ["kripik", "keripk", "KERIPIK", "keripiknya"])
def test_a_typo_or_an_affix_still_finds_keripik(catalogue, typed):
    assert names(typed) == ["Keripik Pisang Kepok", "Keripik Singkong Balado"]


def test_an_exact_word_beats_a_typo_correction_and_the_name_beats_the_description(catalogue):
    # "bambu": in the anyaman's name, in the tudung's description; the keripik's
    # "berbumbu" (bumbu, one letter away) counts least.
    assert names("bambu") == [
        "Kerajinan Anyaman Bambu",
        "Tudung Saji Pandan",
        "Keripik Singkong Balado",
    ]
    words = parse_query("bambu")
    assert [(w.word, w.stem, w.candidates) for w in words] == [
        ("bambu", "bambu", ("bambu", "bumbu"))
    ]
    page = catalogue_page(criteria(q="bambu"))
    assert [p.score for p in page.items] == [6, 2, 1]


def test_short_words_are_never_widened(catalogue):
    assert parse_query("kopi")[0].candidates == ("kopi",)
    assert names("kopi") == ["Kopi Arabika Ijen", "Kopi Robusta Bubuk"]
    assert names("kapi") == []


def test_stop_words_and_numbers_are_ignored(catalogue):
    assert names("kopi dan yang 250") == names("kopi")
    assert [w.stem for w in parse_query("yang dan di 250 gram")] == ["gram"]


def test_products_that_are_not_curated_never_appear(catalogue):
    for q in ("keripik", "tempe", "kerajinan", "batik tulis", "madu", "kopi"):
        found = names(q)
        assert "Keripik Tempe Kerajinan Batik" not in found
        assert "Keripik Kopi Madu Batik Tulis" not in found
    assert names("tempe") == []
    assert len(names()) == 12  # the twelve curated products, nothing else


def test_without_words_the_newest_come_first(catalogue):
    assert names()[:3] == ["Kain Sasirangan Tulis", "Keripik Pisang Kepok", "Sabun Sereh Wangi"]


def test_each_filter_is_exact(catalogue):
    assert names(province="63") == ["Kain Sasirangan Tulis", "Keripik Pisang Kepok"]
    assert names(regency="35.78") == [
        "Sabun Sereh Wangi",
        "Kopi Arabika Ijen",
        "Kain Sarung Motif Parang",
        "Tudung Saji Pandan",
        "Tas Rotan Jinjing",
    ]
    assert names(category="craft") == [
        "Tudung Saji Pandan",
        "Tas Rotan Jinjing",
        "Kerajinan Anyaman Bambu",
    ]
    assert names(level="export") == ["Madu Hutan Murni"]
    assert names(level="modern_retail") == ["Kopi Robusta Bubuk", "Tudung Saji Pandan"]
    # Halal: a certificate that has not expired (the arabika's expired yesterday).
    assert names(halal=True) == ["Madu Hutan Murni", "Kopi Robusta Bubuk"]
    assert "Kopi Arabika Ijen" in names(halal=False)
    assert len(names(halal=False)) == 10


def test_filters_combine_with_words(catalogue):
    assert names("kopi", halal=True) == ["Kopi Robusta Bubuk"]
    assert names("kopi", halal=False) == ["Kopi Arabika Ijen"]
    assert names("keripik", province="63") == ["Keripik Pisang Kepok"]
    assert names("keripik", province="35") == ["Keripik Singkong Balado"]
    assert names("keripik", regency="35.07") == ["Keripik Singkong Balado"]
    assert names("kerajinan", category="craft", regency="35.78") == [
        "Tudung Saji Pandan",
        "Tas Rotan Jinjing",
    ]
    assert names("kerajinan", level="modern_retail") == ["Tudung Saji Pandan"]
    assert names("kain", category="fashion", province="63") == ["Kain Sasirangan Tulis"]
    assert names("kain", category="food") == []


def test_a_pesantren_filter_lists_its_products(catalogue):
    page = catalogue_page(Criteria(pesantren=catalogue.banjar.pk))
    assert [p.name for p in page.items] == ["Kain Sasirangan Tulis", "Keripik Pisang Kepok"]


def test_result_cards_carry_what_the_page_shows(catalogue):
    page = catalogue_page(criteria(q="madu"))
    (madu,) = page.items
    assert (madu.name, madu.category, madu.level, madu.halal) == (
        "Madu Hutan Murni",
        "food",
        "export",
        True,
    )
    assert (madu.province.name, madu.regency.name) == ("Jawa Timur", "Kabupaten Malang")
    assert madu.owner_label == "Kopontren Al-Hikmah"
    assert madu.photo_id is None


def test_pages_of_24(catalogue):
    from tests.catalog.conftest import listed

    for n in range(30):
        listed(catalogue.hikmah_coop, f"Gula Aren Cetak {n:02d}", "Gula aren dari nira.")
    first = catalogue_page(criteria(q="gula aren"), 1)
    second = catalogue_page(criteria(q="gula aren"), 2)
    past = catalogue_page(criteria(q="gula aren"), 3)
    assert (first.count, len(first.items), first.num_pages) == (30, 24, 2)
    assert (second.count, len(second.items), second.start_index, second.end_index) == (
        30,
        6,
        25,
        30,
    )
    assert (past.count, past.items) == (30, [])
    names_in_order = [p.name for p in first.items + second.items]
    assert names_in_order == [f"Gula Aren Cetak {n:02d}" for n in reversed(range(30))]
    browse_second = catalogue_page(Criteria(), 2)
    assert (browse_second.count, len(browse_second.items)) == (42, 18)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("province", "99", "Not a Kemendagri province code"),
        ("province", "jatim", "Not a Kemendagri province code"),
        ("regency", "35.99", "Not a Kemendagri regency/city code"),
        ("category", "sepatu", "Choose one of: food, fashion"),
        ("level", "gold", "Choose one of: local, modern_retail, export"),
        ("q", "x" * 101, "At most 100 characters."),
    ],
)
def test_bad_filters_are_refused_naming_the_field(db, field, value, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        criteria(**{field: value})
    assert list(raised.value.message_dict) == [field]
    assert raised.value.message_dict[field][0].startswith(message)


def test_a_regency_outside_the_province_is_refused(db):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        criteria(province="63", regency="35.78")
    assert raised.value.message_dict == {
        "regency": ["This regency/city is not in the chosen province."]
    }


def test_a_person_is_named_only_when_an_adult(catalogue, jatim):
    import datetime as dt

    from django.utils import timezone

    from tests.catalog.conftest import listed
    from tests.registry.factories import make_person

    today = timezone.localdate()
    with scopes_disabled():
        adult = make_person(
            jatim, full_name="Siti Aminah", pesantren=catalogue.ulum, birth_date=dt.date(1990, 3, 1)
        )
        minor = make_person(
            jatim,
            full_name="Ahmad Kecil",
            pesantren=catalogue.hikmah,
            birth_date=today.replace(year=today.year - 15),
        )
        unknown = make_person(
            jatim, full_name="Tanpa Tanggal", birth_date=None, pesantren=catalogue.ulum
        )
        erased = make_person(
            jatim, full_name="Sudah Dihapus", pesantren=catalogue.ulum, erased_at=timezone.now()
        )
    for person, name in (
        (adult, "Jamu Kunyit Asam"),
        (minor, "Jamu Beras Kencur"),
        (unknown, "Jamu Temulawak"),
        (erased, "Jamu Sirih"),
    ):
        listed(person, name, "Jamu tradisional.", category="cosmetics")
    page = catalogue_page(criteria(q="jamu"))
    assert {p.name: p.owner_label for p in page.items} == {
        "Jamu Kunyit Asam": "Siti Aminah",
        "Jamu Beras Kencur": "Pondok Pesantren Al-Hikmah",  # a minor: the pesantren instead
        "Jamu Temulawak": "Pondok Pesantren Darul Ulum",  # age unknown: treated as a minor
        "Jamu Sirih": "Pondok Pesantren Darul Ulum",  # erased
    }
    from niaga.catalog.queries import public_product

    assert public_product(page.items[0].pk).owner_label == page.items[0].owner_label
