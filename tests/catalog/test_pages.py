"""The public catalogue pages: search, product, pesantren profile and photos, no login.

Visitors here read English (the language cookie), so the assertions do not
depend on the Indonesian catalogue; one test checks the Indonesian default.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from niaga.registry.models import ProductPhoto
from tests.catalog.conftest import listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text(response) -> str:
    """The page's visible text, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def card_names(response) -> list[str]:
    return re.findall(
        r'<h2 class="card-title" id="product-\d+-name"><a [^>]*>([^<]+)</a>',
        response.content.decode(),
    )


def add_photo(product, *, position=0) -> ProductPhoto:
    with scopes_disabled():
        photo = ProductPhoto(
            province=product.province, product=product, width=800, height=600, position=position
        )
        photo.image.save("foto.webp", ContentFile(b"RIFF-image-bytes"), save=False)
        photo.thumbnail.save("foto-kecil.webp", ContentFile(b"RIFF-thumb-bytes"), save=False)
        photo.save()
    return photo


def test_a_visitor_searches_without_logging_in(visitor, catalogue):
    response = visitor.get("/katalog/", {"q": "kerajinan"})
    assert response.status_code == 200
    assert card_names(response) == [
        "Kerajinan Anyaman Bambu",
        "Tudung Saji Pandan",
        "Tas Rotan Jinjing",
    ]
    page = text(response)
    assert "3 products" in page
    assert (
        "Kerajinan Anyaman Bambu Craft Kabupaten Malang, Jawa Timur Kopontren Al-Hikmah "
        "Local market" in page
    )
    assert (
        "Tudung Saji Pandan Craft Kota Surabaya, Jawa Timur Kopontren Darul Ulum Modern retail"
        in page
    )
    assert "Tempe" not in page
    # The search box keeps the words; the form is a GET form (shareable addresses).
    assert 'name="q" value="kerajinan"' in response.content.decode()


def test_cards_show_the_halal_badge_and_level(visitor, catalogue):
    response = visitor.get("/katalog/", {"q": "madu"})
    assert (
        "Madu Hutan Murni Food and beverage Kabupaten Malang, Jawa Timur Kopontren Al-Hikmah "
        "Halal Export-ready" in text(response)
    )
    response = visitor.get("/katalog/", {"q": "kopi"})
    page = text(response)
    assert (
        "Kopi Arabika Ijen Food and beverage Kota Surabaya, Jawa Timur Kopontren Darul Ulum "
        "Local market" in page
    )
    assert (
        "Kopi Robusta Bubuk Food and beverage Kabupaten Malang, Jawa Timur Kopontren Al-Hikmah "
        "Halal Modern retail" in page
    )


def test_filters_on_the_page(visitor, catalogue):
    response = visitor.get("/katalog/", {"province": "63"})
    assert card_names(response) == ["Kain Sasirangan Tulis", "Keripik Pisang Kepok"]
    html = response.content.decode()
    # With a province chosen, its regencies are offered.
    assert '<option value="63.71">Kota Banjarmasin</option>' in html
    assert '<option value="35.78">' not in html
    response = visitor.get("/katalog/", {"regency": "35.78", "category": "craft"})
    assert card_names(response) == ["Tudung Saji Pandan", "Tas Rotan Jinjing"]
    assert '<option value="35" selected>Jawa Timur</option>' in response.content.decode()
    response = visitor.get("/katalog/", {"halal": "on", "q": "kopi"})
    assert card_names(response) == ["Kopi Robusta Bubuk"]
    response = visitor.get("/katalog/", {"level": "export"})
    assert card_names(response) == ["Madu Hutan Murni"]


def test_bad_filters_get_a_clear_error_and_no_results(visitor, catalogue):
    response = visitor.get("/katalog/", {"province": "99", "q": "kopi"})
    assert response.status_code == 400
    page = text(response)
    assert "Not a Kemendagri province code; use two digits, e.g. 35 for Jawa Timur." in page
    assert card_names(response) == []
    response = visitor.get("/katalog/", {"province": "63", "regency": "35.78"})
    assert "This regency/city is not in the chosen province." in text(response)


def test_nothing_found_says_so(visitor, catalogue):
    response = visitor.get("/katalog/", {"q": "sepatu kulit buaya"})
    assert response.status_code == 200
    assert "No curated product matches. Try fewer words or other filters." in text(response)


def test_pagination_links_keep_the_search(visitor, catalogue):
    for n in range(30):
        listed(catalogue.hikmah_coop, f"Gula Aren Cetak {n:02d}", "Gula aren dari nira.")
    response = visitor.get("/katalog/", {"q": "gula", "page": "2"})
    assert len(card_names(response)) == 6
    page = text(response)
    assert "30 products · showing 25–30" in page and "Page 2 of 2" in page
    assert 'href="?q=gula&amp;page=1"' in response.content.decode()


def test_the_product_page(visitor, catalogue):
    product = catalogue["keripik"]
    response = visitor.get(f"/katalog/produk/{product.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert (
        "Keripik Singkong Balado Food and beverage · Kabupaten Malang, Jawa Timur "
        "Curated: Local market" in page
    )
    assert (
        "Keripik singkong renyah berbumbu balado pedas, digoreng setiap pagi oleh santri." in page
    )
    assert "Seller Pondok Pesantren Al-Hikmah Kopontren Al-Hikmah" in page
    assert "Price IDR 15,000 – IDR 25,000 / pak" in page
    assert "Capacity 1,200 pak a month" in page
    assert "P-IRT (home-industry food permit) 207350701234526" in page
    html = response.content.decode()
    assert f'href="/katalog/pesantren/{catalogue.hikmah.pk}/"' in html
    # The inquiry form, with its honeypot hidden by the stylesheet.
    assert '<div class="catalog-hp" aria-hidden="true">' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html
    assert " style=" not in html and "<script>" not in html


def test_halal_legality_shows_scheme_and_validity(visitor, catalogue):
    page = text(visitor.get(f"/katalog/produk/{catalogue['arabika'].pk}/"))
    assert "Halal certificate ID35110000123450922 · Regular · expired on" in page
    page = text(visitor.get(f"/katalog/produk/{catalogue['madu'].pk}/"))
    assert "Halal certificate ID35110000123450923 · Self-declare" in page
    assert "Halal Curated: Export-ready" in page


def test_products_that_are_not_curated_have_no_page(visitor, catalogue):
    for status in ("draft", "submitted"):
        response = visitor.get(f"/katalog/produk/{catalogue[status].pk}/")
        assert response.status_code == 404
    assert visitor.get("/katalog/produk/999999/").status_code == 404
    # Another province's curated product is public like any other.
    response = visitor.get(f"/katalog/produk/{catalogue['pisang'].pk}/")
    assert response.status_code == 200 and "Kota Banjarmasin, Kalimantan Selatan" in text(response)


def test_the_public_pesantren_profile(visitor, catalogue):
    with scopes_disabled():
        hikmah = catalogue.hikmah
        hikmah.leader_name = "KH. Abdullah Faqih"
        hikmah.phone = "+62341555123"
        hikmah.email = "hikmah@contoh.id"
        hikmah.founded_year = 1952
        hikmah.save()
    response = visitor.get(f"/katalog/pesantren/{hikmah.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert (
        "Pondok Pesantren Al-Hikmah Kabupaten Malang, Jawa Timur · Combined · founded 1952" in page
    )
    assert "5 curated products" in page
    assert card_names(response) == [
        "Madu Hutan Murni",
        "Kopi Robusta Bubuk",
        "Kain Batik Tulis Pesisiran",
        "Kerajinan Anyaman Bambu",
        "Keripik Singkong Balado",
    ]
    for private in ("Abdullah", "555123", "hikmah@contoh.id", "Tempe"):
        assert private not in page


def test_a_pesantren_without_curated_products_has_no_public_profile(visitor, catalogue, jatim):
    from tests.registry.factories import make_cooperative, make_pesantren, make_product

    with scopes_disabled():
        quiet = make_pesantren(jatim, name="Pondok Pesantren Sunyi")
        make_product(make_cooperative(quiet), name="Terasi Udang", status="submitted")
    assert visitor.get(f"/katalog/pesantren/{quiet.pk}/").status_code == 404


def test_photos_of_curated_products_only_with_long_cache(visitor, catalogue):
    photo = add_photo(catalogue["madu"])
    response = visitor.get(f"/katalog/foto/{photo.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"RIFF-image-bytes"
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=2592000"
    thumbnail = visitor.get(f"/katalog/foto/{photo.pk}/kecil/")
    assert b"".join(thumbnail.streaming_content) == b"RIFF-thumb-bytes"
    # The card shows the thumbnail, lazily, with its size set.
    html = visitor.get("/katalog/", {"q": "madu"}).content.decode()
    assert (
        f'<img class="product-thumb" src="/katalog/foto/{photo.pk}/kecil/" alt="" width="400" '
        'height="300" loading="lazy" decoding="async">' in html
    )
    hidden = add_photo(catalogue["draft"])
    assert visitor.get(f"/katalog/foto/{hidden.pk}/").status_code == 404
    assert visitor.get(f"/katalog/foto/{hidden.pk}/kecil/").status_code == 404
    assert visitor.post(f"/katalog/foto/{photo.pk}/").status_code == 405


def test_the_catalogue_speaks_indonesian_by_default(catalogue):
    response = Client().get("/katalog/", {"q": "kerajinan"})
    page = text(response)
    assert '<html lang="id">' in response.content.decode()
    assert "Katalog produk OPOP" in page
    assert "3 produk" in page
    assert "Kerajinan Anyaman Bambu Kerajinan Kabupaten Malang, Jawa Timur" in page


def queries_for(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_the_catalogue_costs_the_same_queries_with_more_rows(visitor, catalogue):
    def add(count, start):
        for n in range(start, start + count):
            product = listed(
                catalogue.ulum_coop if n % 2 else catalogue.hikmah_coop,
                f"Keripik Tempe Rasa {n}",
                "Keripik tempe renyah.",
                category="food",
            )
            if n % 3 == 0:
                add_photo(product)

    add(30, 0)  # more than a page: the count is needed in both cases
    searches = [
        {"q": "keripik"},
        {"q": "keripik", "province": "35", "halal": "on"},
        {"province": "35"},
        {},
    ]
    for params in searches:  # warm what a server reads once: vocabulary, regions, index
        visitor.get("/katalog/", params)
    few = [queries_for(visitor, "/katalog/", params) for params in searches]
    add(60, 100)
    many = [queries_for(visitor, "/katalog/", params) for params in searches]
    assert few == many


def test_a_product_page_costs_the_same_queries_with_more_photos(visitor, catalogue):
    product = catalogue["robusta"]
    add_photo(product)
    one = queries_for(visitor, f"/katalog/produk/{product.pk}/")
    for position in range(1, 4):
        add_photo(product, position=position)
    assert queries_for(visitor, f"/katalog/produk/{product.pk}/") == one
