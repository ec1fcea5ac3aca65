"""The public catalogue API: no token, curated products only, problems for bad filters."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from niaga.registry.models import ProductPhoto
from tests.api.conftest import bearer
from tests.catalog.conftest import build_catalogue, listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(jatim, kalsel):
    return build_catalogue(jatim, kalsel)


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


def item(product, owner: str, halal: bool) -> dict:
    return {
        "id": product.pk,
        "name": product.name,
        "category": product.category,
        "province": product.province_id,
        "regency": product.regency_id,
        "owner": owner,
        "halal": halal,
        "level": product.level,
    }


def test_search_answers_the_exact_shape_without_a_token(client, catalogue):
    response = client.get("/api/v1/catalog/products", {"q": "kopi"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "count": 2,
        "items": [
            {
                "id": catalogue["arabika"].pk,
                "name": "Kopi Arabika Ijen",
                "category": "food",
                "province": "35",
                "regency": "35.78",
                "owner": "Kopontren Darul Ulum",
                "halal": False,  # its certificate expired yesterday
                "level": "local",
            },
            {
                "id": catalogue["robusta"].pk,
                "name": "Kopi Robusta Bubuk",
                "category": "food",
                "province": "35",
                "regency": "35.07",
                "owner": "Kopontren Al-Hikmah",
                "halal": True,
                "level": "modern_retail",
            },
        ],
    }


def test_stemming_filters_and_paging(client, catalogue):
    def ids(**params):
        body = client.get("/api/v1/catalog/products", params).json()
        return body["count"], [row["id"] for row in body["items"]]

    c = catalogue
    assert ids(q="pengrajin") == (3, [c["anyaman"].pk, c["tudung"].pk, c["tas"].pk])
    assert ids(q="batik tulis", province="35") == (2, [c["batik"].pk, c["sarung"].pk])
    assert ids(q="keripk") == (2, [c["pisang"].pk, c["keripik"].pk])
    assert ids(province="63") == (2, [c["sasirangan"].pk, c["pisang"].pk])
    assert ids(regency="63.71", category="food") == (1, [c["pisang"].pk])
    assert ids(halal="true") == (2, [c["madu"].pk, c["robusta"].pk])
    assert ids(halal="false", q="kopi") == (1, [c["arabika"].pk])
    assert ids(level="export") == (1, [c["madu"].pk])
    assert ids(q="tempe") == (0, [])
    for n in range(30):
        listed(c.hikmah_coop, f"Gula Aren Cetak {n:02d}", "Gula aren dari nira.")
    count, first = ids(q="gula aren")
    count2, second = ids(q="gula aren", page=2)
    assert (count, len(first), count2, len(second)) == (30, 24, 30, 6)
    assert ids(q="gula aren", page=3) == (30, [])


def test_a_token_is_not_needed_but_a_valid_one_does_no_harm(client, catalogue, jatim_desk):
    with_token = client.get("/api/v1/catalog/products", {"q": "madu"}, headers=bearer(jatim_desk))
    without = client.get("/api/v1/catalog/products", {"q": "madu"})
    assert with_token.status_code == without.status_code == 200
    assert (
        with_token.json()
        == without.json()
        == {
            "count": 1,
            "items": [item(catalogue["madu"], "Kopontren Al-Hikmah", True)],
        }
    )


@pytest.mark.parametrize(
    ("params", "field", "rule", "message"),
    [
        (
            {"province": "jatim"},
            "province",
            "pattern",
            r"This value does not have the required format (pattern ^\d{2}$).",
        ),
        (
            {"province": "99"},
            "province",
            "region_code",
            "Not a Kemendagri province code; use two digits, e.g. 35 for Jawa Timur.",
        ),
        (
            {"regency": "3578"},
            "regency",
            "pattern",
            r"This value does not have the required format (pattern ^\d{2}\.\d{2}$).",
        ),
        (
            {"regency": "35.99"},
            "regency",
            "region_code",
            "Not a Kemendagri regency/city code; use the form 35.78 (Kota Surabaya).",
        ),
        (
            {"province": "63", "regency": "35.78"},
            "regency",
            "not_in_province",
            "This regency/city is not in the chosen province.",
        ),
        (
            {"category": "shoes"},
            "category",
            "choice",
            "Choose one of: food, fashion, craft, agriculture, cosmetics, services, other.",
        ),
        ({"level": "gold"}, "level", "choice", "Choose one of: local, modern_retail, export."),
        ({"halal": "maybe"}, "halal", "boolean", "Enter true or false."),
        ({"page": "0"}, "page", "min_value", "Must be at least 1."),
        ({"q": "x" * 101}, "q", "max_length", "At most 100 characters."),
    ],
)
def test_bad_filters_are_problems_naming_the_field(client, catalogue, params, field, rule, message):
    response = client.get("/api/v1/catalog/products", params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["type"], body["status"]) == ("/api/v1/docs#problem-validation", 422)
    assert body["detail"] == "Correct the fields listed in errors; nothing was changed."
    (error,) = body["errors"]
    assert (error["field"], error["rule"]) == (field, rule)
    if message is not None:
        assert error["message"] == message


def test_a_product_by_id(client, catalogue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = catalogue["keripik"]
    with scopes_disabled():
        photo = ProductPhoto(
            province=product.province, product=product, width=1200, height=900, caption="Kemasan"
        )
        photo.image.save("k.webp", ContentFile(b"x"), save=False)
        photo.thumbnail.save("k-kecil.webp", ContentFile(b"x"), save=False)
        photo.save()
    response = client.get(f"/api/v1/catalog/products/{product.pk}")
    assert response.status_code == 200
    assert response.json() == {
        **item(product, "Kopontren Al-Hikmah", False),
        "description": (
            "Keripik singkong renyah berbumbu balado pedas, digoreng setiap pagi oleh santri."
        ),
        "pesantren": {"id": catalogue.hikmah.pk, "name": "Pondok Pesantren Al-Hikmah"},
        "unit": "pak",
        "price_min_idr": 15000,
        "price_max_idr": 25000,
        "monthly_capacity": 1200,
        "hs_code": "",
        "legal_documents": [
            {
                "kind": "pirt",
                "number": "207350701234526",
                "halal_scheme": "",
                "expires_on": None,
                "valid": True,
            }
        ],
        "photos": [
            {
                "id": photo.pk,
                "url": f"/katalog/foto/{photo.pk}/",
                "thumbnail_url": f"/katalog/foto/{photo.pk}/kecil/",
                "width": 1200,
                "height": 900,
                "caption": "Kemasan",
            }
        ],
        "url": f"/katalog/produk/{product.pk}/",
    }
    expired = client.get(f"/api/v1/catalog/products/{catalogue['arabika'].pk}").json()
    assert [(d["kind"], d["valid"]) for d in expired["legal_documents"]] == [("halal", False)]


def test_a_product_outside_the_catalogue_is_not_found(client, catalogue):
    for product_id in (catalogue["draft"].pk, catalogue["submitted"].pk, 999_999):
        response = client.get(f"/api/v1/catalog/products/{product_id}")
        assert response.status_code == 404
        assert response.json() == {
            "type": "/api/v1/docs#problem-not-found",
            "title": "Not found",
            "status": 404,
            "detail": "There is nothing here, or your token may not see it.",
        }


def test_a_pesantren_profile_without_personal_data(client, catalogue):
    with scopes_disabled():
        banjar = catalogue.banjar
        banjar.leader_name = "KH. Ahmad Banjari"
        banjar.phone = "+62511555123"
        banjar.founded_year = 1980
        banjar.save()
    response = client.get(f"/api/v1/catalog/pesantren/{banjar.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": banjar.pk,
        "name": "Pondok Pesantren Banjar",
        "province": "63",
        "regency": "63.71",
        "typology": "kombinasi",
        "founded_year": 1980,
        "product_count": 2,
        "products": [
            item(catalogue["sasirangan"], "Kopontren Banjar", False),
            item(catalogue["pisang"], "Kopontren Banjar", False),
        ],
    }
    assert "Banjari" not in response.content.decode() and "555123" not in response.content.decode()


def test_a_pesantren_without_curated_products_is_not_found(client, catalogue, jatim):
    from tests.registry.factories import make_pesantren

    with scopes_disabled():
        quiet = make_pesantren(jatim, name="Pondok Pesantren Sunyi")
    assert client.get(f"/api/v1/catalog/pesantren/{quiet.pk}").status_code == 404


def test_the_search_costs_the_same_queries_with_more_rows(client, catalogue):
    def cost(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/catalog/products", params).status_code == 200
        return len(captured)

    searches = [{"q": "keripik"}, {"province": "35"}, {"q": "keripik", "halal": "false"}]
    for n in range(30):
        listed(catalogue.ulum_coop, f"Keripik Tempe {n}", "Keripik tempe renyah.")
    for params in searches:  # warm what a server reads once: vocabulary, regions, index
        cost(params)
    few = [cost(params) for params in searches]
    for n in range(60):
        listed(catalogue.ulum_coop, f"Keripik Tempe {n + 100}", "Keripik tempe renyah.")
    many = [cost(params) for params in searches]
    assert few == many


def test_the_openapi_document_marks_the_catalogue_public(client):
    document = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/catalog/products",
        "/api/v1/catalog/products/{product_id}",
        "/api/v1/catalog/pesantren/{pesantren_id}",
    ):
        operation = document["paths"][path]["get"]
        assert "security" not in operation
    parameters = document["paths"]["/api/v1/catalog/products"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == [
        "q",
        "province",
        "regency",
        "category",
        "halal",
        "level",
        "page",
    ]
