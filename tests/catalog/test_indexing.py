"""The search index: words, stems and weights, and keeping it in step with products."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.catalog import indexing
from niaga.catalog.indexing import (
    product_terms,
    rebuild_index,
    refresh_product,
    stem,
    stems,
    vocabulary,
    words,
)
from niaga.catalog.models import ProductTerm
from niaga.catalog.queries import catalogue_page
from niaga.catalog.search import criteria
from niaga.registry.domain import products as product_domain
from niaga.registry.models import Product

pytestmark = pytest.mark.django_db


def terms_of(product: Product) -> dict[str, int]:
    return dict(ProductTerm.objects.filter(product=product).values_list("term", "weight"))


def names(q: str = "", **filters) -> list[str]:
    return [p.name for p in catalogue_page(criteria(q=q, **filters)).items]


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("kerajinan", "rajin"),
        ("pengrajin", "rajin"),
        ("perajin", "rajin"),
        ("membatik", "batik"),
        ("dikerjakan", "kerja"),
        ("pekerjaan", "kerja"),
        ("keripiknya", "keripik"),
        ("olahan", "olah"),
        ("kopi", "kopi"),
    ],
)
def test_sastrawi_stems(word, root):
    assert stem(word) == root


def test_words_are_lowercased_split_on_anything_but_letters_and_digits():
    assert words("Kopi-Bubuk ROBUSTA, 250 gram; kemasan_ziplock & é-café") == [
        "kopi",
        "bubuk",
        "robusta",
        "gram",
        "kemasan",
        "ziplock",
        "café",
    ]
    # Stop words, numbers and single letters say nothing about a product.
    assert words("yang dan di ke dari untuk 2026 a b") == []
    assert stems("Pengrajin dan perajin: kerajinan para pengrajin") == ["rajin"]


def test_name_words_weigh_3_description_words_1_the_name_wins():
    assert product_terms("Keripik Singkong", "Keripik renyah dari singkong pilihan") == {
        "keripik": 3,
        "singkong": 3,
        "renyah": 1,
        "pilih": 1,
    }


def test_a_curated_product_is_indexed_with_its_filters_as_terms(catalogue):
    assert terms_of(catalogue["madu"]) == {
        "madu": 3,
        "hutan": 3,
        "murni": 3,
        "lebah": 1,
        "panas": 1,
        "@p:35": 0,
        "@r:35.07": 0,
        "@c:food": 0,
        "@l:export": 0,
        "@h": 32767,  # a halal certificate that does not expire
    }
    # The robusta's certificate runs 900 days more; the arabika's ended yesterday.
    today = timezone.localdate()
    robusta, arabika = terms_of(catalogue["robusta"]), terms_of(catalogue["arabika"])
    assert robusta["@h"] == (today - dt.date(2000, 1, 1)).days + 900
    assert arabika["@h"] == (today - dt.date(2000, 1, 1)).days - 1
    assert "@h" not in terms_of(catalogue["keripik"])  # a P-IRT is no halal certificate
    assert terms_of(catalogue["draft"]) == {}
    assert terms_of(catalogue["submitted"]) == {}


def test_the_vocabulary_holds_words_not_filters(catalogue):
    found = vocabulary()
    assert "keripik" in found.terms and "rajin" in found.terms
    assert not [term for term in found.terms if term.startswith("@")]
    assert found.frequencies["keripik"] == 2
    assert found.frequencies["@p:63"] == 2


def test_the_index_follows_curation_and_edits_through_the_domain(
    catalogue, jatim_registry, jatim_curator, django_capture_on_commit_callbacks
):
    coop = catalogue.hikmah_coop
    with scopes_disabled():
        coop.province  # noqa: B018 - loaded before the domain opens its scope
    product = product_domain.product_create(
        actor=jatim_registry,
        province=coop.province,
        owner=coop,
        name="Dodol Nangka Legit",
        category="food",
        unit="kotak",
        description="Dodol dimasak berjam-jam di wajan besar.",
    )
    assert terms_of(product) == {} and names("dodol") == []
    product_domain.product_submit(actor=jatim_registry, product=product)
    product_domain.product_review_start(actor=jatim_curator, product=product)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        product_domain.product_curate(actor=jatim_curator, product=product, level="local")
    # "dodol" and "nangka" are new words: every server must reload its vocabulary.
    assert indexing.bump_vocabulary_version in callbacks
    assert names("dodol") == ["Dodol Nangka Legit"]
    assert names("dodoll") == ["Dodol Nangka Legit"]  # the new word is in the vocabulary

    # A price change keeps it curated and listed; a new level moves its filter term.
    with scopes_disabled():
        product.refresh_from_db()
    product_domain.product_update(
        actor=jatim_registry, product=product, version=product.version, price_min=20_000
    )
    assert names("dodol") == ["Dodol Nangka Legit"]
    product_domain.product_recurate(actor=jatim_curator, product=product, level="export")
    assert names("dodol", level="export") == ["Dodol Nangka Legit"]
    assert names("dodol", level="local") == []

    # A halal certificate makes it show under the halal filter.
    assert names("dodol", halal=True) == []
    product_domain.legal_document_set(
        actor=jatim_registry,
        product=product,
        kind="halal",
        number="ID35110000123450999",
        halal_scheme="regular",
        issued_on=dt.date(2025, 1, 2),
    )
    assert names("dodol", halal=True) == ["Dodol Nangka Legit"]

    # A new name sends it back to curation: out of the catalogue at once.
    with scopes_disabled():
        product.refresh_from_db()
    product_domain.product_update(
        actor=jatim_registry, product=product, version=product.version, name="Dodol Durian"
    )
    with scopes_disabled():
        product.refresh_from_db()
    assert product.status == "submitted"
    assert terms_of(product) == {} and names("dodol") == []

    product_domain.product_review_start(actor=jatim_curator, product=product)
    product_domain.product_curate(actor=jatim_curator, product=product, level="local")
    assert names("durian") == ["Dodol Durian"]
    # The old name's words are gone; "nangka" now only reaches the tudung's "rangka".
    assert names("nangka") == ["Tudung Saji Pandan"]

    # Withdrawn by the curator: gone again.
    product_domain.product_withdraw(actor=jatim_curator, product=product, notes="Label salah.")
    assert terms_of(product) == {} and names("dodol") == []


def test_an_edit_with_known_words_leaves_the_vocabulary_version_alone(
    catalogue, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        product = Product.objects.get(pk=catalogue["keripik"].pk)
        product.description += " Dengan madu."  # a word other products have
        with django_capture_on_commit_callbacks() as callbacks:
            refresh_product(product)
    assert callbacks == []
    assert terms_of(product)["madu"] == 1


def test_the_vocabulary_version_is_shared_through_the_cache(catalogue):
    before = vocabulary()
    assert vocabulary() is before  # same version: this process keeps its copy
    indexing.bump_vocabulary_version()
    after = vocabulary()
    assert after.version != before.version
    assert after.terms == before.terms


def test_rebuild_and_the_command_give_the_same_index(catalogue, capsys):
    before = sorted(ProductTerm.objects.values_list("product_id", "term", "weight"))
    ProductTerm.objects.all().delete()
    assert rebuild_index(batch_size=5) == 12
    assert sorted(ProductTerm.objects.values_list("product_id", "term", "weight")) == before
    ProductTerm.objects.filter(term="keripik").delete()  # drift
    call_command("reindex_catalogue", batch_size=100)
    assert sorted(ProductTerm.objects.values_list("product_id", "term", "weight")) == before
    assert "Catalogue index rebuilt: 12 curated products." in capsys.readouterr().out
