"""The missions API's contract: every status it promises, with exact bodies."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled

from niaga.audit.models import AuditEvent
from niaga.missions import domain, queries
from niaga.missions import ledger as ledger_module
from niaga.missions.domain import DealInput, LedgerBusy
from niaga.missions.models import Deal, MissionStatus
from tests.api.conftest import bearer, key, new_mission, post_json, problem, utc_text
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}
VALIDATION = problem(
    "validation",
    422,
    "The request has invalid fields",
    "Correct the fields listed in errors; nothing was changed.",
)
NOT_FOUND = problem(
    "not-found", 404, "Not found", "There is nothing here, or your token may not see it."
)
UNAUTHORIZED = problem(
    "unauthorized",
    401,
    "A valid API token is needed",
    "Send a valid API token as 'Authorization: Bearer <token>'. "
    "Tokens are made on the API tokens page or with 'niaga token create'.",
)


def url(world_or_slug, tail: str = "totals") -> str:
    slug = getattr(getattr(world_or_slug, "mission", None), "slug", world_or_slug)
    return f"/api/v1/missions/{slug}/{tail}"


def ledger(mission) -> list[Deal]:
    with scopes_disabled():
        return list(Deal.objects.filter(mission=mission).order_by("id"))


def record(world, user, **fields) -> Deal:
    data = {
        "direction": "sell",
        "seller_id": world.organisers[0].pk,
        "buyer_id": world.hosts[0].pk,
        "commodity": "Telur ayam ras",
        "value_idr": 2_500_000_000,
        "stage": "komitmen",
        **fields,
    }
    deal, _created = domain.deal_record(
        actor=user, mission=world.mission, key=key(), data=DealInput(**data)
    )
    return deal


def expected_deal(deal: Deal, **fields) -> dict:
    """A ledger row as the API must show it; the literal fields come from the test."""
    return {
        "id": deal.pk,
        "kind": "original",
        "corrects": None,
        "hs_code": "",
        "volume": None,
        "unit": "",
        "note": "",
        "reason": "",
        "is_late": False,
        "recorded_at": utc_text(deal.recorded_at),
        **fields,
    }


def assert_problem(response, expected: dict) -> None:
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == expected


# --- Totals -------------------------------------------------------------------------


def test_totals_of_a_public_mission_need_no_token(client, jatim, kalsel, jatim_admin):
    mission = new_mission(jatim_admin, jatim, kalsel, slug="misi-publik", is_public=True)
    from tests.api.conftest import World, join

    world = World(
        mission,
        [join(jatim_admin, mission, "UD Telur Makmur", "35.05", "organiser")],
        [join(jatim_admin, mission, "PT Borneo Pangan", "63.71", "host")],
    )
    record(world, jatim_admin, value_idr=2_500_000_000)
    record(
        world,
        jatim_admin,
        direction="buy",
        seller_id=world.hosts[0].pk,
        buyer_id=world.organisers[0].pk,
        value_idr=7_000_000_000,
    )
    before = timezone.now()
    response = client.get(url("misi-publik"))
    after = timezone.now()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    as_of = dt.datetime.fromisoformat(body.pop("as_of"))
    assert before <= as_of <= after and as_of.utcoffset() == dt.timedelta(0)
    assert body == {
        "mission": "misi-publik",
        "total_idr": 9_500_000_000,
        "count": 2,
        "by_direction": {"sell": 2_500_000_000, "buy": 7_000_000_000, "invest": 0},
        "timezone": "WITA",
    }


def test_totals_of_a_private_mission_need_a_token_that_may_see_it(client, jatim_world, jatim_desk):
    record(jatim_world, jatim_desk, value_idr=1_250_000_000)
    # Without a token a private mission is as absent as an unknown one.
    response = client.get(url(jatim_world), headers=EN)
    assert response.status_code == 404
    assert_problem(response, NOT_FOUND)
    for tail in ("participants", "deals"):
        response = client.get(url(jatim_world, tail), headers=EN)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="niaga"'
        assert_problem(response, UNAUTHORIZED)

    response = client.get(url(jatim_world), headers=bearer(jatim_desk))
    assert response.status_code == 200
    body = response.json()
    del body["as_of"]
    assert body == {
        "mission": "misi-jatim",
        "total_idr": 1_250_000_000,
        "count": 1,
        "by_direction": {"sell": 1_250_000_000, "buy": 0, "invest": 0},
        "timezone": "WITA",
    }


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer niaga_00000000_" + "A" * 43,  # well formed, unknown
        "Bearer something-else",
        "Bearer ",
        "Basic amF0aW0tZGVzazp4",
        "Token niaga_00000000_x",
    ],
)
def test_a_wrong_token_is_401_even_on_a_public_mission(
    client, jatim, kalsel, jatim_admin, authorization
):
    new_mission(jatim_admin, jatim, kalsel, slug="misi-publik", is_public=True)
    response = client.get(url("misi-publik"), headers={"Authorization": authorization, **EN})
    assert response.status_code == 401
    assert_problem(response, UNAUTHORIZED)


def test_an_unknown_mission_is_404(client, jatim_desk):
    response = client.get(url("tidak-ada"), headers={**bearer(jatim_desk), **EN})
    assert response.status_code == 404
    assert_problem(response, NOT_FOUND)
    # Without a token too: nothing tells a stranger which slugs exist.
    response = client.get(url("tidak-ada"), headers=EN)
    assert response.status_code == 404
    assert_problem(response, NOT_FOUND)


# --- Recording deals ------------------------------------------------------------------


def test_recording_a_deal_answers_201_with_the_entry(client, jatim_world, jatim_desk):
    body = jatim_world.sale(
        value_idr=3_750_000_000,
        hs_code="04072100",
        volume="5000",
        unit="kg",
        note="Pengiriman Mei",
    )
    response = post_json(
        client, url(jatim_world, "deals"), body, bearer(jatim_desk), idempotency_key=key()
    )
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Idempotent-Replayed" not in response
    [deal] = ledger(jatim_world.mission)
    assert response.json() == expected_deal(
        deal,
        direction="sell",
        seller_id=jatim_world.organisers[0].pk,
        buyer_id=jatim_world.hosts[0].pk,
        commodity="Telur ayam ras",
        hs_code="04072100",
        volume="5000.000",
        unit="kg",
        value_idr=3_750_000_000,
        stage="komitmen",
        note="Pengiriman Mei",
        recorded_by="jatim-desk",
    )
    assert deal.recorded_by.username == "jatim-desk" and deal.value_idr == 3_750_000_000
    totals = queries.totals(jatim_world.mission)
    assert (totals.total_idr, totals.count) == (3_750_000_000, 1)


def test_a_replay_answers_200_with_the_same_entry_and_writes_nothing(
    client, jatim_world, jatim_desk
):
    headers, same = bearer(jatim_desk), key()
    first = post_json(
        client, url(jatim_world, "deals"), jatim_world.sale(), headers, idempotency_key=same
    )
    again = post_json(
        client, url(jatim_world, "deals"), jatim_world.sale(), headers, idempotency_key=same
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert [d.pk for d in ledger(jatim_world.mission)] == [first.json()["id"]]
    totals = queries.totals(jatim_world.mission)
    assert (totals.total_idr, totals.count) == (2_500_000_000, 1)
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="missions.deal.recorded").count() == 1


def test_the_same_key_with_another_payload_is_422(client, jatim_world, jatim_desk):
    headers, same = {**bearer(jatim_desk), **EN}, key()
    first = post_json(
        client, url(jatim_world, "deals"), jatim_world.sale(), headers, idempotency_key=same
    )
    other = post_json(
        client,
        url(jatim_world, "deals"),
        jatim_world.sale(value_idr=2_600_000_000),
        headers,
        idempotency_key=same,
    )
    assert other.status_code == 422
    existing = first.json()["id"]
    assert_problem(
        other,
        problem(
            "idempotency-conflict",
            422,
            "The Idempotency-Key was used for a different request",
            f"This Idempotency-Key was already used for a different request (entry {existing}). "
            "Use a new key for a new entry; nothing was changed.",
            existing_id=existing,
        ),
    )
    assert [d.value_idr for d in ledger(jatim_world.mission)] == [2_500_000_000]


@pytest.mark.parametrize("idempotency_key", [None, "", "pendek", "x" * 81])
def test_a_missing_or_malformed_idempotency_key_is_400(
    client, jatim_world, jatim_desk, idempotency_key
):
    response = post_json(
        client,
        url(jatim_world, "deals"),
        jatim_world.sale(),
        {**bearer(jatim_desk), **EN},
        idempotency_key=idempotency_key,
    )
    assert response.status_code == 400
    assert_problem(
        response,
        problem(
            "idempotency-key",
            400,
            "The Idempotency-Key header is missing or invalid",
            "Send an Idempotency-Key header of 8 to 76 printable characters, "
            "generated once per new entry (a UUID is a good key).",
        ),
    )
    assert ledger(jatim_world.mission) == []


def test_a_key_with_control_characters_is_400_with_the_domain_rule(client, jatim_world, jatim_desk):
    response = post_json(
        client,
        url(jatim_world, "deals"),
        jatim_world.sale(),
        {**bearer(jatim_desk), **EN},
        idempotency_key="kunci\tdengan-tab",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "The idempotency key must be 8 to 76 printable characters, not ending in “:new”."
    )
    assert ledger(jatim_world.mission) == []


def test_bad_types_are_422_naming_each_field_and_rule(client, jatim_world, jatim_desk):
    body = {
        "direction": "jual",
        "seller_id": str(jatim_world.organisers[0].pk),
        "buyer_id": jatim_world.hosts[0].pk,
        "commodity": "Telur",
        "value_idr": 2.5e9,
        "stage": "kontrak",
        "volume": "12.3456",
        "unit": "u" * 31,
        "confirm_large": "yes",
        "valeu_idr": 1,
    }
    response = post_json(
        client, url(jatim_world, "deals"), body, {**bearer(jatim_desk), **EN}, idempotency_key=key()
    )
    assert response.status_code == 422
    assert_problem(
        response,
        {
            **VALIDATION,
            "errors": [
                {
                    "field": "direction",
                    "rule": "choice",
                    "message": "Choose one of: sell, buy, invest.",
                },
                {
                    "field": "seller_id",
                    "rule": "integer",
                    "message": "Enter a whole number (a JSON integer, without quotes or decimals).",
                },
                {
                    "field": "volume",
                    "rule": "decimal_places",
                    "message": "At most 3 digits after the decimal point.",
                },
                {"field": "unit", "rule": "max_length", "message": "At most 30 characters."},
                {
                    "field": "value_idr",
                    "rule": "integer",
                    "message": "Enter a whole number (a JSON integer, without quotes or decimals).",
                },
                {"field": "confirm_large", "rule": "boolean", "message": "Enter true or false."},
                {
                    "field": "valeu_idr",
                    "rule": "unknown_field",
                    "message": "This field is not part of the request; check its spelling.",
                },
            ],
        },
    )
    assert ledger(jatim_world.mission) == []


def test_missing_fields_are_422_required(client, jatim_world, jatim_desk):
    response = post_json(
        client,
        url(jatim_world, "deals"),
        {"commodity": "Telur"},
        {**bearer(jatim_desk), **EN},
        idempotency_key=key(),
    )
    assert response.status_code == 422
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [
        ("direction", "required"),
        ("seller_id", "required"),
        ("buyer_id", "required"),
        ("value_idr", "required"),
        ("stage", "required"),
    ]
    assert {e["message"] for e in response.json()["errors"]} == {"This field is required."}


def test_rules_of_the_ledger_are_422_naming_each_field(
    client, jatim_world, kalsel_world, jatim_desk
):
    body = jatim_world.sale(
        seller_id=kalsel_world.organisers[0].pk,  # another mission's participant
        value_idr=100 * 10**12 + 1,
        hs_code="0407",
        commodity=" ",
    )
    response = post_json(
        client, url(jatim_world, "deals"), body, {**bearer(jatim_desk), **EN}, idempotency_key=key()
    )
    assert response.status_code == 422
    assert_problem(
        response,
        {
            **VALIDATION,
            "errors": [
                {
                    "field": "commodity",
                    "rule": "required",
                    "message": "Name the commodity, e.g. telur ayam ras.",
                },
                {
                    "field": "hs_code",
                    "rule": "hs_code",
                    "message": "An HS code has exactly 8 digits (BTKI 2022), e.g. 04072100.",
                },
                {
                    "field": "value_idr",
                    "rule": "max_value",
                    "message": "Values above IDR 100,000,000,000,000 are refused; "
                    "check the number of digits.",
                },
                {
                    "field": "seller_id",
                    "rule": "participant",
                    "message": "The seller is not a participant of this mission.",
                },
            ],
        },
    )
    assert ledger(jatim_world.mission) == []


def test_a_value_above_one_triliun_needs_confirm_large(client, jatim_world, jatim_desk):
    headers = {**bearer(jatim_desk), **EN}
    big = jatim_world.sale(value_idr=2 * 10**12)
    refused = post_json(client, url(jatim_world, "deals"), big, headers, idempotency_key=key())
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "value_idr",
            "rule": "confirm",
            "message": "The value is above IDR 1,000,000,000,000: "
            "confirm that IDR 2,000,000,000,000 is right.",
        }
    ]
    confirmed = post_json(
        client,
        url(jatim_world, "deals"),
        {**big, "confirm_large": True},
        headers,
        idempotency_key=key(),
    )
    assert confirmed.status_code == 201 and confirmed.json()["value_idr"] == 2 * 10**12
    assert [d.value_idr for d in ledger(jatim_world.mission)] == [2 * 10**12]


def test_a_closed_mission_is_409_for_a_desk_and_takes_late_entries_from_a_manager(
    client, jatim_world, jatim_desk, jatim_admin
):
    domain.mission_set_status(
        actor=jatim_admin, mission=jatim_world.mission, status=MissionStatus.CLOSED
    )
    response = post_json(
        client,
        url(jatim_world, "deals"),
        jatim_world.sale(),
        {**bearer(jatim_desk), **EN},
        idempotency_key=key(),
    )
    assert response.status_code == 409
    assert_problem(
        response,
        problem(
            "mission-not-open",
            409,
            "The mission does not accept this entry",
            "This mission is closed; only a mission manager can add late entries.",
        ),
    )
    assert ledger(jatim_world.mission) == []
    late = post_json(
        client,
        url(jatim_world, "deals"),
        jatim_world.sale(),
        bearer(jatim_admin),
        idempotency_key=key(),
    )
    assert late.status_code == 201
    assert late.json()["is_late"] is True and late.json()["recorded_by"] == "jatim-admin"


def test_a_planned_mission_is_409(client, jatim, kalsel, jatim_admin):
    new_mission(jatim_admin, jatim, kalsel, slug="misi-rencana", status=MissionStatus.PLANNED)
    response = post_json(
        client,
        url("misi-rencana", "deals"),
        {
            "direction": "sell",
            "seller_id": 1,
            "buyer_id": 2,
            "commodity": "Telur",
            "value_idr": 1000,
            "stage": "potensi",
        },
        {**bearer(jatim_admin), **EN},
        idempotency_key=key(),
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "This mission is not open yet."


def test_a_busy_ledger_is_409_with_retry_after(client, jatim_world, jatim_desk, monkeypatch):
    def locked(mission):
        raise LedgerBusy()

    monkeypatch.setattr(ledger_module, "_lock_ledger", locked)
    response = post_json(
        client,
        url(jatim_world, "deals"),
        jatim_world.sale(),
        {**bearer(jatim_desk), **EN},
        idempotency_key=key(),
    )
    assert response.status_code == 409
    assert response["Retry-After"] == "1"
    assert_problem(
        response,
        problem(
            "ledger-busy",
            409,
            "The ledger is busy; retry shortly",
            "Many desks are recording at once. Send the same request again in a second.",
        ),
    )
    assert ledger(jatim_world.mission) == []


def test_a_token_without_the_right_to_record_gets_404(client, jatim, jatim_world, kalsel_viewer):
    jatim_viewer = make_user("jatim-lihat", province=jatim, roles=["viewer"])
    for user in (kalsel_viewer, jatim_viewer):
        headers = {**bearer(user), **EN}
        assert client.get(url(jatim_world), headers=headers).status_code == 200
        response = post_json(
            client, url(jatim_world, "deals"), jatim_world.sale(), headers, idempotency_key=key()
        )
        assert response.status_code == 404
        assert_problem(response, NOT_FOUND)
    assert ledger(jatim_world.mission) == []


def test_a_body_that_is_not_json_is_400(client, jatim_world, jatim_desk):
    response = client.post(
        url(jatim_world, "deals"),
        data="{direction: sell",
        content_type="application/json",
        headers={**bearer(jatim_desk), **EN, "Idempotency-Key": key()},
    )
    assert response.status_code == 400
    assert_problem(
        response,
        problem(
            "malformed",
            400,
            "The request body is not valid JSON",
            "Send the body as JSON with Content-Type application/json.",
        ),
    )


def test_a_wrong_method_is_405_and_an_unknown_address_404(client, jatim_world, jatim_desk):
    response = client.put(url(jatim_world, "deals"), headers=EN)
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert_problem(
        response,
        problem(
            "method-not-allowed", 405, "Method not allowed", "This address answers only: GET, POST."
        ),
    )
    for address in ("/api/v1/", "/api/v1/nothing", "/api/v1/missions/misi-jatim/unknown"):
        response = client.get(address, headers=EN)
        assert response.status_code == 404, address
        assert_problem(response, NOT_FOUND)


def test_an_unexpected_error_is_a_500_problem(client, jatim_world, jatim_desk, monkeypatch):
    def broken(mission):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(queries, "totals", broken)
    response = client.get(url(jatim_world), headers={**bearer(jatim_desk), **EN})
    assert response.status_code == 500
    assert_problem(
        response,
        problem(
            "server-error",
            500,
            "Something went wrong on the server",
            "The error was logged. Retrying with the same Idempotency-Key is safe.",
        ),
    )
    assert b"disk on fire" not in response.content


# --- Lists ----------------------------------------------------------------------------


def test_participants_list_by_name_with_codes(client, jatim_world, jatim_desk):
    response = client.get(url(jatim_world, "participants"), headers=bearer(jatim_desk))
    assert response.status_code == 200
    organisers, hosts = jatim_world.organisers, jatim_world.hosts
    assert response.json() == {
        "count": 4,
        "items": [
            {
                "id": hosts[1].pk,
                "business_id": hosts[1].business_id,
                "name": "CV Batubara Tanah Laut",
                "side": "host",
                "province": "63",
                "regency": "63.01",
            },
            {
                "id": organisers[1].pk,
                "business_id": organisers[1].business_id,
                "name": "CV Kopi Ijen",
                "side": "organiser",
                "province": "35",
                "regency": "35.10",
            },
            {
                "id": hosts[0].pk,
                "business_id": hosts[0].business_id,
                "name": "PT Borneo Pangan",
                "side": "host",
                "province": "63",
                "regency": "63.71",
            },
            {
                "id": organisers[0].pk,
                "business_id": organisers[0].business_id,
                "name": "UD Telur Makmur",
                "side": "organiser",
                "province": "35",
                "regency": "35.05",
            },
        ],
    }
    second = client.get(
        url(jatim_world, "participants") + "?page=2&page_size=3", headers=bearer(jatim_desk)
    ).json()
    assert second["count"] == 4
    assert [p["name"] for p in second["items"]] == ["UD Telur Makmur"]
    beyond = client.get(url(jatim_world, "participants") + "?page=9", headers=bearer(jatim_desk))
    assert beyond.json() == {"count": 4, "items": []}


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (
            "page_size=501",
            {"field": "page_size", "rule": "max_value", "message": "Must be at most 500."},
        ),
        (
            "page_size=0",
            {"field": "page_size", "rule": "min_value", "message": "Must be at least 1."},
        ),
        ("page=0", {"field": "page", "rule": "min_value", "message": "Must be at least 1."}),
        (
            "page=dua",
            {
                "field": "page",
                "rule": "integer",
                "message": "Enter a whole number (a JSON integer, without quotes or decimals).",
            },
        ),
    ],
)
def test_list_pages_are_checked(client, jatim_world, jatim_desk, query, error):
    for tail in ("participants", "deals"):
        response = client.get(
            url(jatim_world, tail) + "?" + query, headers={**bearer(jatim_desk), **EN}
        )
        assert response.status_code == 422
        assert_problem(response, {**VALIDATION, "errors": [error]})


def test_the_deals_list_filters_by_direction_stage_and_time(client, jatim_world, jatim_desk):
    w = jatim_world
    sale = record(w, jatim_desk, value_idr=1_000_000, stage="komitmen")
    purchase = record(
        w,
        jatim_desk,
        direction="buy",
        seller_id=w.hosts[1].pk,
        buyer_id=w.organisers[1].pk,
        commodity="Batubara",
        value_idr=7_000_000_000,
        stage="kontrak",
        volume="5000",
        unit="ton",
    )
    investment = record(
        w,
        jatim_desk,
        direction="invest",
        commodity="Pabrik pakan",
        value_idr=9_000,
        stage="potensi",
    )
    headers = bearer(jatim_desk)
    everything = client.get(url(w, "deals"), headers=headers)
    assert everything.status_code == 200
    common = {"recorded_by": "jatim-desk"}
    assert everything.json() == {
        "count": 3,
        "items": [
            expected_deal(
                sale,
                direction="sell",
                seller_id=w.organisers[0].pk,
                buyer_id=w.hosts[0].pk,
                commodity="Telur ayam ras",
                value_idr=1_000_000,
                stage="komitmen",
                **common,
            ),
            expected_deal(
                purchase,
                direction="buy",
                seller_id=w.hosts[1].pk,
                buyer_id=w.organisers[1].pk,
                commodity="Batubara",
                volume="5000.000",
                unit="ton",
                value_idr=7_000_000_000,
                stage="kontrak",
                **common,
            ),
            expected_deal(
                investment,
                direction="invest",
                seller_id=w.organisers[0].pk,
                buyer_id=w.hosts[0].pk,
                commodity="Pabrik pakan",
                value_idr=9_000,
                stage="potensi",
                **common,
            ),
        ],
    }

    def ids(query: str) -> list[int]:
        response = client.get(url(w, "deals"), query, headers=headers)
        assert response.status_code == 200, response.content
        return [d["id"] for d in response.json()["items"]]

    assert ids({"direction": "buy"}) == [purchase.pk]
    assert ids({"stage": "potensi"}) == [investment.pk]
    assert ids({"since": purchase.recorded_at.isoformat()}) == [purchase.pk, investment.pk]
    assert ids({"until": purchase.recorded_at.isoformat()}) == [sale.pk]
    assert ids(
        {"since": utc_text(sale.recorded_at), "until": utc_text(investment.recorded_at)}
    ) == [
        sale.pk,
        purchase.pk,
    ]
    assert ids({"page_size": 2, "page": 2}) == [investment.pk]
    naive = client.get(url(w, "deals"), {"since": "2022-04-13T11:00:00"}, headers={**headers, **EN})
    assert naive.status_code == 422
    assert naive.json()["errors"] == [
        {
            "field": "since",
            "rule": "datetime",
            "message": "Enter a date and time in ISO 8601 with its zone, "
            "e.g. 2022-04-13T11:00:00+08:00.",
        }
    ]
    wrong = client.get(url(w, "deals"), {"direction": "jual"}, headers={**headers, **EN})
    assert wrong.json()["errors"] == [
        {"field": "direction", "rule": "choice", "message": "Choose one of: sell, buy, invest."}
    ]


# --- Corrections ----------------------------------------------------------------------


def test_a_correction_answers_201_with_reversal_and_correction(client, jatim_world, jatim_desk):
    w = jatim_world
    deal = record(w, jatim_desk, value_idr=2_500_000_000)
    body = {"reason": "Nilai salah ketik", "corrected": w.sale(value_idr=250_000_000)}
    headers, same = bearer(jatim_desk), key()
    response = post_json(
        client, url(w, f"deals/{deal.pk}/corrections"), body, headers, idempotency_key=same
    )
    assert response.status_code == 201
    original, reversal, correction = ledger(w.mission)
    assert original.pk == deal.pk
    shared = {
        "corrects": deal.pk,
        "direction": "sell",
        "seller_id": w.organisers[0].pk,
        "buyer_id": w.hosts[0].pk,
        "commodity": "Telur ayam ras",
        "stage": "komitmen",
        "reason": "Nilai salah ketik",
        "recorded_by": "jatim-desk",
    }
    assert response.json() == {
        "reversal": expected_deal(reversal, kind="reversal", value_idr=-2_500_000_000, **shared),
        "correction": expected_deal(correction, kind="correction", value_idr=250_000_000, **shared),
    }
    totals = queries.totals(w.mission)
    assert (totals.total_idr, totals.count) == (250_000_000, 1)

    replay = post_json(
        client, url(w, f"deals/{deal.pk}/corrections"), body, headers, idempotency_key=same
    )
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert replay.json() == response.json()
    assert len(ledger(w.mission)) == 3

    again = post_json(
        client,
        url(w, f"deals/{deal.pk}/corrections"),
        body,
        {**headers, **EN},
        idempotency_key=key(),
    )
    assert again.status_code == 409
    assert_problem(
        again,
        problem(
            "ledger-conflict",
            409,
            "The ledger does not allow this change",
            "This deal has already been corrected.",
        ),
    )
    reverse_reversal = post_json(
        client,
        url(w, f"deals/{reversal.pk}/corrections"),
        {"reason": "coba"},
        {**headers, **EN},
        idempotency_key=key(),
    )
    assert reverse_reversal.status_code == 409
    assert reverse_reversal.json()["detail"] == "A reversal entry cannot itself be corrected."
    assert len(ledger(w.mission)) == 3


def test_cancelling_a_deal_is_a_correction_without_a_corrected_deal(
    client, jatim_world, jatim_desk
):
    deal = record(jatim_world, jatim_desk, value_idr=700_000)
    response = post_json(
        client,
        url(jatim_world, f"deals/{deal.pk}/corrections"),
        {"reason": "Dicatat ganda"},
        bearer(jatim_desk),
        idempotency_key=key(),
    )
    assert response.status_code == 201
    assert response.json()["correction"] is None
    assert response.json()["reversal"]["value_idr"] == -700_000
    totals = queries.totals(jatim_world.mission)
    assert (totals.total_idr, totals.count) == (0, 0)


def test_correction_errors(client, jatim_world, kalsel_world, jatim_desk):
    deal = record(jatim_world, jatim_desk)
    headers = {**bearer(jatim_desk), **EN}
    corrections = url(jatim_world, f"deals/{deal.pk}/corrections")

    no_reason = post_json(client, corrections, {}, headers, idempotency_key=key())
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"] == [
        {"field": "reason", "rule": "required", "message": "This field is required."}
    ]
    blank = post_json(client, corrections, {"reason": "  "}, headers, idempotency_key=key())
    assert blank.status_code == 422
    assert blank.json()["errors"] == [
        {"field": "reason", "rule": "required", "message": "Say why the deal is corrected."}
    ]
    bad_corrected = post_json(
        client,
        corrections,
        {"reason": "salah", "corrected": jatim_world.sale(value_idr=0, stage="deal")},
        headers,
        idempotency_key=key(),
    )
    assert bad_corrected.status_code == 422
    assert bad_corrected.json()["errors"] == [
        {
            "field": "corrected.stage",
            "rule": "choice",
            "message": "Choose one of: potensi, komitmen, kontrak.",
        }
    ]
    zero = post_json(
        client,
        corrections,
        {"reason": "salah", "corrected": jatim_world.sale(value_idr=0)},
        headers,
        idempotency_key=key(),
    )
    assert zero.status_code == 422
    assert zero.json()["errors"] == [
        {
            "field": "corrected.value_idr",
            "rule": "min_value",
            "message": "The value must be above zero.",
        }
    ]
    no_key = post_json(client, corrections, {"reason": "salah"}, headers)
    assert no_key.status_code == 400
    assert no_key.json()["type"] == "/api/v1/docs#problem-idempotency-key"
    # Another mission's deal, through this mission's address, and an unknown id.
    [foreign] = ledger(kalsel_world.mission)
    for deal_id in (foreign.pk, 999_999, 2**70):
        missing = post_json(
            client,
            url(jatim_world, f"deals/{deal_id}/corrections"),
            {"reason": "salah"},
            headers,
            idempotency_key=key(),
        )
        assert missing.status_code == 404, deal_id
        assert_problem(missing, NOT_FOUND)
    assert len(ledger(jatim_world.mission)) == 1
    assert len(ledger(kalsel_world.mission)) == 1


# --- Language -------------------------------------------------------------------------


def test_messages_are_indonesian_unless_english_is_asked_for(client, jatim_world, jatim_desk):
    token = bearer(jatim_desk)
    indonesian = client.get(url("tidak-ada"), headers=token)
    assert indonesian["Content-Language"] == "id"
    with translation.override("id"):
        assert indonesian.json()["title"] == gettext("Not found")
        assert indonesian.json()["detail"] == gettext(
            "There is nothing here, or your token may not see it."
        )
    english = client.get(
        url("tidak-ada"), headers={**token, "Accept-Language": "en-GB,en;q=0.9,id;q=0.5"}
    )
    assert english["Content-Language"] == "en"
    assert english.json()["detail"] == "There is nothing here, or your token may not see it."


def test_a_user_who_chose_english_gets_english_without_asking(client, jatim, jatim_world):
    user = make_user("jatim-en", province=jatim, roles=["desk_officer"], language="en")
    response = client.get(url("tidak-ada"), headers=bearer(user))
    assert response["Content-Language"] == "en"
    assert response.json()["detail"] == "There is nothing here, or your token may not see it."
    # The request's own header still wins.
    response = client.get(url("tidak-ada"), headers={**bearer(user), "Accept-Language": "id"})
    assert response["Content-Language"] == "id"


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ("", [{"field": None, "rule": "object", "message": "Send a JSON object."}]),
        ("[]", [{"field": None, "rule": "object", "message": "Send a JSON object."}]),
        ("null", [{"field": None, "rule": "object", "message": "Send a JSON object."}]),
        (
            {"volume": "1234567890123456"},
            [
                {
                    "field": "volume",
                    "rule": "whole_digits",
                    "message": "At most 15 digits before the decimal point.",
                }
            ],
        ),
        (
            {"commodity": "Telur\x00ayam", "seller_id": 2**63},
            [
                {
                    "field": "seller_id",
                    "rule": "max_value",
                    "message": "Must be at most 9223372036854775807.",
                },
                {
                    "field": "commodity",
                    "rule": "text",
                    "message": "Enter text without control characters.",
                },
            ],
        ),
    ],
)
def test_odd_bodies_are_422_and_change_nothing(client, jatim_world, jatim_desk, data, errors):
    if isinstance(data, dict):
        data = json.dumps(jatim_world.sale(**data))
    response = client.post(
        url(jatim_world, "deals"),
        data=data,
        content_type="application/json",
        headers={**bearer(jatim_desk), **EN, "Idempotency-Key": key()},
    )
    assert response.status_code == 422
    assert_problem(response, {**VALIDATION, "errors": errors})
    assert ledger(jatim_world.mission) == []
