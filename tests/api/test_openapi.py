"""The OpenAPI document, the docs page, and query counts that do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from niaga.missions import domain
from niaga.missions.domain import DealInput
from tests.api.conftest import bearer, join, key

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/missions/{slug}/totals": {"get"},
    "/api/v1/missions/{slug}/participants": {"get"},
    "/api/v1/missions/{slug}/deals": {"get", "post"},
    "/api/v1/missions/{slug}/deals/{deal_id}/corrections": {"post"},
    "/api/v1/missions/{slug}/realization": {"get"},
    "/api/v1/missions/{slug}/lifecycle": {"get"},
    "/api/v1/missions/{slug}/deals/{deal_id}": {"get"},
    "/api/v1/missions/{slug}/deals/{deal_id}/events": {"post"},
    "/api/v1/missions/{slug}/deals/{deal_id}/realization": {"post"},
    "/api/v1/missions/{slug}/realization/{entry_id}/reverse": {"post"},
    "/api/v1/missions/{slug}/deals/{deal_id}/verifications": {"post"},
    "/api/v1/missions/{slug}/report.pdf": {"get"},
    "/api/v1/missions/{slug}/report.xlsx": {"get"},
    "/api/v1/agreements/{province}": {"get", "post"},
    "/api/v1/agreements/{province}/{agreement_id}": {"get"},
    "/api/v1/agreements/{province}/{agreement_id}/items": {"get", "post"},
    "/api/v1/agreements/{province}/{agreement_id}/items/{item_id}": {"patch"},
    "/api/v1/agreements/{province}/{agreement_id}/items/{item_id}/notes": {"post"},
    "/api/v1/registry/{province}/pesantren": {"get", "post"},
    "/api/v1/registry/{province}/pesantren/{pesantren_id}": {"get"},
    "/api/v1/registry/{province}/cooperatives": {"get"},
    "/api/v1/registry/{province}/cooperatives/{cooperative_id}": {"get"},
    "/api/v1/registry/{province}/people": {"get", "post"},
    "/api/v1/registry/{province}/people/{person_id}": {"get"},
    "/api/v1/registry/{province}/products": {"get", "post"},
    "/api/v1/registry/{province}/products/{product_id}": {"get"},
    "/api/v1/registry/{province}/products/{product_id}/curation": {"post"},
    "/api/v1/catalog/products": {"get"},
    "/api/v1/catalog/products/{product_id}": {"get"},
    "/api/v1/catalog/pesantren/{pesantren_id}": {"get"},
    "/api/v1/programs/": {"get"},
    "/api/v1/programs/{slug}": {"get"},
    "/api/v1/programs/{slug}/cohorts": {"get"},
    "/api/v1/programs/{slug}/cohorts/{cohort_id}/enrolments": {"get", "post"},
    "/api/v1/programs/{slug}/certificates": {"get"},
    "/api/v1/programs/{slug}/dashboard": {"get"},
    "/api/v1/programs/{slug}/indicators": {"get"},
    "/api/v1/programs/{slug}/indicators/{key}/figures": {"post"},
    "/api/v1/certificates/{code}": {"get"},
}


def test_the_openapi_document_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert {path: set(methods) for path, methods in document["paths"].items()} == PATHS
    post = document["paths"]["/api/v1/missions/{slug}/deals"]["post"]
    assert {(p["name"], p["in"], p["required"]) for p in post["parameters"]} == {
        ("slug", "path", True),
        ("Idempotency-Key", "header", True),
    }
    assert set(post["responses"]) == {"200", "201", "400", "401", "404", "409", "422"}
    assert post["responses"]["422"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    assert post["security"] == [{"TokenAuth": []}]
    totals = document["paths"]["/api/v1/missions/{slug}/totals"]["get"]
    assert totals["security"] == [{"TokenAuth": []}, {}]
    schemas = document["components"]["schemas"]
    assert schemas["Problem"]["required"] == ["type", "title", "status", "detail"]
    assert set(schemas["DealOut"]["properties"]) == {
        "id", "kind", "corrects", "direction", "seller_id", "buyer_id", "commodity", "hs_code",
        "volume", "unit", "value_idr", "stage", "note", "reason", "is_late", "recorded_at",
        "recorded_by",
    }  # fmt: skip
    assert document["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }


def test_the_docs_page_lists_the_endpoints_without_external_assets(client):
    response = client.get("/api/v1/docs", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    for path in PATHS:
        assert f"<code>{path}</code>" in html
    assert 'href="/api/v1/openapi.json"' in html
    assert 'id="problem-validation"' in html and 'id="problem-idempotency-conflict"' in html
    assert "swagger" not in html.lower() and "cdn" not in html.lower()


def test_list_queries_do_not_grow_with_the_rows(client, jatim_world, jatim_admin, jatim_desk):
    headers = bearer(jatim_desk)
    w = jatim_world
    addresses = [
        f"/api/v1/missions/misi-jatim/{tail}" for tail in ("deals", "participants", "totals")
    ]

    def add_deals(count: int) -> None:
        for _n in range(count):
            domain.deal_record(
                actor=jatim_admin,
                mission=w.mission,
                key=key(),
                data=DealInput(
                    direction="sell",
                    seller_id=w.organisers[0].pk,
                    buyer_id=w.hosts[0].pk,
                    commodity="Telur",
                    value_idr=1_000,
                    stage="potensi",
                ),
            )

    def counts() -> list[int]:
        result = []
        for address in addresses:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(address, headers=headers)
            assert response.status_code == 200
            result.append(len(queries))
        return result

    # The token's first use writes last_used_at; measure after it.
    assert client.get(addresses[2], headers=headers).status_code == 200
    add_deals(1)
    few = counts()
    add_deals(30)
    for n in range(20):
        join(jatim_admin, w.mission, f"UD Tambahan {n}", "35.05", "organiser")
    many = counts()
    assert many == few
    items = client.get(addresses[0], headers=headers).json()["items"]
    assert len(items) == 31 and {d["recorded_by"] for d in items} == {"jatim-admin"}
