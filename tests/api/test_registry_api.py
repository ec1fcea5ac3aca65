"""The registry API: exact bodies, masking, province isolation and constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tests.api.conftest import bearer
from tests.registry.factories import (
    make_cooperative,
    make_legal_document,
    make_nik,
    make_person,
    make_pesantren,
    make_product,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jatim_world(jatim):
    with scope(province=jatim):
        pesantren = make_pesantren(
            jatim,
            name="Pondok Pesantren Darul Ulum",
            nspp="510035170001",
            santri_male=120,
            santri_female=80,
            takes_santripreneur=True,
            takes_pesantrenpreneur=True,
        )
        cooperative = make_cooperative(pesantren, nib="1234567890123", members_count=45)
        nik = make_nik(pesantren.regency, dt.date(2001, 5, 7), female=True, serial=12)
        person = make_person(
            jatim,
            nik=nik,
            full_name="Siti Aminah",
            gender="female",
            birth_date=dt.date(2001, 5, 7),
            pesantren=pesantren,
            phone="+6281234567890",
        )
        product = make_product(cooperative, name="Keripik Tempe", price_min=15000, price_max=20000)
        make_legal_document(product, "pirt", "206357801012325")
    return pesantren, cooperative, person, product, nik


@pytest.fixture
def kalsel_world(kalsel):
    with scope(province=kalsel):
        pesantren = make_pesantren(kalsel, name="Pondok Pesantren Kalsel")
        cooperative = make_cooperative(pesantren)
        product = make_product(cooperative, name="Amplang Haruan")
    return pesantren, cooperative, product


def test_pesantren_list_and_detail_exact(client, jatim_world, jatim_registry):
    pesantren, cooperative, _person, _product, _nik = jatim_world
    response = client.get("/api/v1/registry/jatim/pesantren", headers=bearer(jatim_registry))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "id": pesantren.pk,
        "name": "Pondok Pesantren Darul Ulum",
        "nspp": "510035170001",
        "province": "35",
        "regency": pesantren.regency_id,
        "district": None,
        "address": "",
        "leader_name": "",
        "santri_male": 120,
        "santri_female": 80,
        "typology": "kombinasi",
        "founded_year": None,
        "pillars": ["santripreneur", "pesantrenpreneur"],
        "opop_joined_year": None,
        "status": "active",
        "cooperative_id": cooperative.pk,
        "people_count": 1,
        "product_count": 1,
        "version": 1,
    }
    by_code = client.get(
        f"/api/v1/registry/35/pesantren/{pesantren.pk}", headers=bearer(jatim_registry)
    )
    assert by_code.json() == body["items"][0]


def test_people_are_masked(client, jatim_world, jatim_registry):
    _pesantren, _cooperative, _person, _product, nik = jatim_world
    response = client.get("/api/v1/registry/jatim/people", headers=bearer(jatim_registry))
    item = response.json()["items"][0]
    assert item["nik_masked"] == nik[:4] + "********" + nik[-4:]
    assert item["birth_year"] == 2001
    assert item["is_minor"] is False
    assert "81234567890" not in response.content.decode()
    assert nik not in response.content.decode()
    assert item["phone_masked"] and "*" in item["phone_masked"]
    assert set(item) == {
        "id",
        "full_name",
        "role",
        "pillar",
        "gender",
        "birth_year",
        "is_minor",
        "nik_masked",
        "phone_masked",
        "pesantren_id",
        "regency",
        "erased",
        "version",
    }


def test_products_with_legality(client, jatim_world, jatim_registry):
    _pesantren, cooperative, _person, product, _nik = jatim_world
    response = client.get(
        f"/api/v1/registry/jatim/products/{product.pk}", headers=bearer(jatim_registry)
    )
    body = response.json()
    assert body["owner_cooperative_id"] == cooperative.pk
    assert body["price_min_idr"] == 15000 and body["price_max_idr"] == 20000
    assert body["status"] == "draft" and body["level"] == ""
    assert body["legal_documents"] == [
        {
            "kind": "pirt",
            "number": "206357801012325",
            "halal_scheme": "",
            "issued_on": None,
            "expires_on": None,
        }
    ]
    filtered = client.get(
        "/api/v1/registry/jatim/products?status=curated", headers=bearer(jatim_registry)
    )
    assert filtered.json() == {"count": 0, "items": []}


def test_cooperatives(client, jatim_world, jatim_registry):
    _pesantren, _cooperative, *_ = jatim_world
    body = client.get("/api/v1/registry/jatim/cooperatives", headers=bearer(jatim_registry)).json()
    assert body["count"] == 1
    assert body["items"][0]["nib"] == "1234567890123"
    assert body["items"][0]["members_count"] == 45


@pytest.mark.parametrize("tail", ["pesantren", "cooperatives", "people", "products"])
def test_another_province_answers_404(client, jatim_world, kalsel_world, kalsel_admin, tail):
    response = client.get(f"/api/v1/registry/jatim/{tail}", headers=bearer(kalsel_admin))
    assert response.status_code == 404
    own = client.get(f"/api/v1/registry/kalsel/{tail}", headers=bearer(kalsel_admin)).json()
    names = {item.get("name") or item.get("full_name") for item in own["items"]}
    assert "Pondok Pesantren Darul Ulum" not in names and "Keripik Tempe" not in names


def test_another_provinces_object_by_id_answers_404(
    client, jatim_world, kalsel_admin, kalsel_world
):
    pesantren, cooperative, person, product, _nik = jatim_world
    for tail in (
        f"pesantren/{pesantren.pk}",
        f"cooperatives/{cooperative.pk}",
        f"people/{person.pk}",
        f"products/{product.pk}",
    ):
        response = client.get(f"/api/v1/registry/kalsel/{tail}", headers=bearer(kalsel_admin))
        assert response.status_code == 404, tail


def test_a_token_is_needed_and_a_pesantren_account_is_refused(client, jatim_world, jatim):
    from niaga.accounts.models import Role
    from tests.conftest import make_user

    assert client.get("/api/v1/registry/jatim/pesantren").status_code == 401
    account = make_user("akun-pesantren", province=jatim, roles=[Role.PESANTREN])
    assert (
        client.get("/api/v1/registry/jatim/pesantren", headers=bearer(account)).status_code == 404
    )


def test_national_viewer_reads_every_province(client, jatim_world, kalsel_world, national_viewer):
    for province in ("jatim", "kalsel"):
        response = client.get(
            f"/api/v1/registry/{province}/products", headers=bearer(national_viewer)
        )
        assert response.json()["count"] == 1


def test_list_query_counts_do_not_grow(client, jatim, jatim_registry):
    headers = bearer(jatim_registry)

    def add(n):
        with scope(province=jatim):
            for _ in range(n):
                pesantren = make_pesantren(jatim)
                cooperative = make_cooperative(pesantren)
                product = make_product(cooperative)
                make_legal_document(product, "pirt", "206357801012325")
                make_person(jatim, pesantren=pesantren)

    def counts():
        result = []
        for tail in ("pesantren", "cooperatives", "people", "products"):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                assert (
                    client.get(f"/api/v1/registry/jatim/{tail}", headers=headers).status_code == 200
                )
            result.append(len(captured))
        return result

    add(2)
    # The token's first use is recorded once; count the steady state.
    client.get("/api/v1/registry/jatim/pesantren", headers=headers)
    few = counts()
    add(6)
    assert counts() == few


# --- Writes ----------------------------------------------------------------------


def post(client, url, body, user):
    import json

    return client.post(
        url, data=json.dumps(body), content_type="application/json", headers=bearer(user)
    )


def test_register_a_pesantren_through_the_api(client, jatim, jatim_registry):
    from niaga.audit.models import AuditEvent
    from niaga.registry.models import Pesantren

    response = post(
        client,
        "/api/v1/registry/jatim/pesantren",
        {
            "name": "Pondok Pesantren Bahrul Ulum",
            "nspp": "510035170009",
            "regency": "35.17",
            "typology": "salafiyah",
            "santri_male": 300,
            "pillars": ["santripreneur", "sosiopreneur"],
            "opop_joined_year": 2020,
        },
        jatim_registry,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Pondok Pesantren Bahrul Ulum"
    assert body["nspp"] == "510035170009"
    assert body["pillars"] == ["santripreneur", "sosiopreneur"]
    with scope(province=jatim):
        assert Pesantren.objects.get(pk=body["id"]).santri_male == 300
        assert AuditEvent.objects.filter(action="registry.pesantren.create").count() == 1


def test_bad_fields_are_named_and_nothing_is_saved(client, jatim, jatim_registry):
    from niaga.registry.models import Pesantren

    response = post(
        client,
        "/api/v1/registry/jatim/pesantren",
        {"name": "PP Uji", "nspp": "12345", "regency": "63.71", "typology": "salafiyah"},
        jatim_registry,
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"nspp", "regency"} <= fields
    with scope(province=jatim):
        assert not Pesantren.objects.exists()


def test_a_viewer_cannot_write(client, jatim, kalsel_viewer, kalsel):
    response = post(
        client,
        "/api/v1/registry/kalsel/pesantren",
        {"name": "PP Uji", "regency": "63.71", "typology": "salafiyah"},
        kalsel_viewer,
    )
    assert response.status_code == 404


def test_register_a_person_and_the_nik_comes_back_masked(
    client, jatim, jatim_registry, jatim_world
):
    pesantren = jatim_world[0]
    nik = make_nik(pesantren.regency, dt.date(1999, 3, 4), serial=7)
    response = post(
        client,
        "/api/v1/registry/jatim/people",
        {
            "full_name": "Ahmad Fauzi",
            "role": "alumnus",
            "gender": "male",
            "pillar": "sosiopreneur",
            "birth_date": "1999-03-04",
            "nik": nik,
            "pesantren_id": pesantren.pk,
        },
        jatim_registry,
    )
    assert response.status_code == 201, response.content
    assert nik not in response.content.decode()
    assert response.json()["nik_masked"] == nik[:4] + "********" + nik[-4:]
    again = post(
        client,
        "/api/v1/registry/jatim/people",
        {
            "full_name": "Orang Lain",
            "role": "alumnus",
            "gender": "male",
            "birth_date": "1999-03-04",
            "nik": nik,
        },
        jatim_registry,
    )
    assert again.status_code == 422
    assert [e["field"] for e in again.json()["errors"]] == ["nik"]


def test_product_then_curation_moves_with_roles(
    client, jatim, jatim_registry, jatim_curator, jatim_world
):
    cooperative = jatim_world[1]
    created = post(
        client,
        "/api/v1/registry/jatim/products",
        {
            "name": "Kopi Robusta Dampit",
            "category": "food",
            "unit": "kg",
            "owner_cooperative_id": cooperative.pk,
            "price_min_idr": 90000,
            "price_max_idr": 120000,
        },
        jatim_registry,
    )
    assert created.status_code == 201, created.content
    product_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    url = f"/api/v1/registry/jatim/products/{product_id}/curation"
    assert post(client, url, {"move": "submit"}, jatim_registry).json()["status"] == "submitted"
    # A registry officer may not review; a curator may.
    assert post(client, url, {"move": "start_review"}, jatim_registry).status_code == 404
    assert (
        post(client, url, {"move": "start_review"}, jatim_curator).json()["status"] == "in_review"
    )
    missing_level = post(client, url, {"move": "curate"}, jatim_curator)
    assert missing_level.status_code == 422
    curated = post(client, url, {"move": "curate", "level": "modern_retail"}, jatim_curator).json()
    assert (curated["status"], curated["level"]) == ("curated", "modern_retail")


def test_products_need_exactly_one_owner(client, jatim, jatim_registry, jatim_world):
    response = post(
        client,
        "/api/v1/registry/jatim/products",
        {"name": "Tanpa Pemilik", "category": "food", "unit": "kg"},
        jatim_registry,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner_cooperative_id"


def test_another_provinces_owner_is_not_found(client, kalsel, kalsel_registry, jatim_world):
    cooperative = jatim_world[1]
    response = post(
        client,
        "/api/v1/registry/kalsel/products",
        {
            "name": "Curian",
            "category": "food",
            "unit": "kg",
            "owner_cooperative_id": cooperative.pk,
        },
        kalsel_registry,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner_cooperative_id"
