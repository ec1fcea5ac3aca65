"""The follow-up API: lifecycle state, events, entries, reversals, findings."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from niaga.realization.models import DealEvent, RealizationEntry, Verification
from tests.api.conftest import bearer, key

pytestmark = pytest.mark.django_db
DAY = "2022-05-10"


def post(client, url, body, headers, idempotency=True):
    extra = dict(headers)
    if idempotency:
        extra["Idempotency-Key"] = idempotency if isinstance(idempotency, str) else key()
    return client.post(url, body, content_type="application/json", headers=extra)


@pytest.fixture
def api():
    return Client()


def base(deal):
    return f"/api/v1/missions/uji-misi/deals/{deal.pk}"


def test_the_lifecycle_list_and_a_deal(api, deals, jatim_desk):
    headers = bearer(jatim_desk)
    eggs = deals["eggs"]
    post(
        api,
        f"{base(eggs)}/realization",
        {"kind": "payment", "occurred_on": DAY, "value_idr": 100_000_000},
        headers,
    )
    response = api.get("/api/v1/missions/uji-misi/lifecycle", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[eggs.pk]["stage"] == "dibayar"
    assert (by_id[eggs.pk]["committed_idr"], by_id[eggs.pk]["paid_idr"]) == (
        100_000_000,
        100_000_000,
    )
    assert by_id[eggs.pk]["fully_paid"] is True
    assert by_id[deals["coffee"].pk]["stage"] == "potensi"
    filtered = api.get("/api/v1/missions/uji-misi/lifecycle?stage=kontrak", headers=headers).json()
    assert [item["id"] for item in filtered["items"]] == [deals["coal"].pk]
    detail = api.get(base(eggs), headers=headers).json()
    assert [e["to_stage"] for e in detail["events"]] == ["dibayar"]
    assert detail["events"][0]["is_automatic"] is True
    assert [e["value_idr"] for e in detail["entries"]] == [100_000_000]


def test_a_move_with_replay_and_conflict(api, eggs, jatim_desk):
    headers = bearer(jatim_desk)
    body = {"to_stage": "kontrak", "occurred_on": DAY}
    first = post(api, f"{base(eggs)}/events", body, headers, idempotency="langkah-api-01")
    assert first.status_code == 201 and first.json()["from_stage"] == "komitmen"
    again = post(api, f"{base(eggs)}/events", body, headers, idempotency="langkah-api-01")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    other = post(
        api,
        f"{base(eggs)}/events",
        {"to_stage": "batal", "occurred_on": DAY, "reason": "x"},
        headers,
        idempotency="langkah-api-01",
    )
    assert other.status_code == 422 and other.json()["type"].endswith("idempotency-conflict")
    back = post(api, f"{base(eggs)}/events", {"to_stage": "potensi", "occurred_on": DAY}, headers)
    assert back.status_code == 422
    assert back.json()["errors"] == [
        {"field": "to_stage", "rule": "backwards", "message": back.json()["errors"][0]["message"]}
    ]
    with scopes_disabled():
        assert DealEvent.objects.filter(deal=eggs).count() == 1


def test_entries_their_errors_and_the_cancelled_deal(api, eggs, jatim_desk):
    headers = bearer(jatim_desk)
    url = f"{base(eggs)}/realization"
    assert (
        post(
            api, url, {"kind": "payment", "occurred_on": DAY, "value_idr": "5000"}, headers
        ).status_code
        == 422
    )
    missing_key = post(
        api,
        url,
        {"kind": "payment", "occurred_on": DAY, "value_idr": 5000},
        headers,
        idempotency=False,
    )
    assert missing_key.status_code == 400
    too_much = post(
        api, url, {"kind": "delivery", "occurred_on": DAY, "value_idr": 200_000_000}, headers
    )
    assert too_much.status_code == 422
    assert too_much.json()["errors"][0]["rule"] == "exceeds_committed"
    post(
        api,
        f"{base(eggs)}/events",
        {"to_stage": "batal", "occurred_on": DAY, "reason": "Mundur"},
        headers,
    )
    cancelled = post(api, url, {"kind": "payment", "occurred_on": DAY, "value_idr": 5000}, headers)
    assert cancelled.status_code == 409 and cancelled.json()["type"].endswith("ledger-conflict")
    with scopes_disabled():
        assert not RealizationEntry.objects.exists()


def test_an_entry_replay_and_its_reversal(api, eggs, jatim_desk):
    headers = bearer(jatim_desk)
    body = {"kind": "payment", "occurred_on": DAY, "value_idr": 25_000_000, "volume": "1.5"}
    first = post(api, f"{base(eggs)}/realization", body, headers, idempotency="bayar-api-0001")
    assert first.status_code == 201 and first.json()["volume"] == "1.500"
    again = post(api, f"{base(eggs)}/realization", body, headers, idempotency="bayar-api-0001")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    url = f"/api/v1/missions/uji-misi/realization/{first.json()['id']}/reverse"
    reversal = post(api, url, {"reason": "Salah nominal"}, headers, idempotency=False)
    assert reversal.status_code == 201 and reversal.json()["value_idr"] == -25_000_000
    replay = post(api, url, {"reason": "Salah nominal"}, headers, idempotency=False)
    assert replay.status_code == 200 and replay.json()["id"] == reversal.json()["id"]
    conflict = post(api, url, {"reason": "Lain"}, headers, idempotency=False)
    assert conflict.status_code == 409
    state = api.get(base(eggs), headers=headers).json()
    assert state["paid_idr"] == 0


def test_findings_by_the_verifier_only(api, eggs, jatim_desk, jatim_verifier, bali_verifier):
    url = f"{base(eggs)}/verifications"
    desk = post(api, url, {"status": "verified"}, bearer(jatim_desk), idempotency=False)
    assert desk.status_code == 404
    outsider = post(api, url, {"status": "verified"}, bearer(bali_verifier), idempotency=False)
    assert outsider.status_code == 404
    headers = bearer(jatim_verifier)
    disputed = post(api, url, {"status": "disputed"}, headers, idempotency=False)
    assert disputed.status_code == 422 and disputed.json()["errors"][0]["field"] == "note"
    first = post(api, url, {"status": "verified", "note": "Cocok"}, headers, idempotency=False)
    assert first.status_code == 201
    again = post(api, url, {"status": "verified", "note": "Cocok"}, headers, idempotency=False)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    with scopes_disabled():
        assert Verification.objects.count() == 1
    assert api.get(base(eggs), headers=headers).json()["verification"] == "verified"


def test_another_provinces_mission_and_deals_answer_404(
    api, deals, kalsel_world, jatim_desk, kalsel_admin
):
    headers = bearer(jatim_desk)
    kalsel_deal = kalsel_world["deal"]
    for path in (
        "/api/v1/missions/kalsel-bali/lifecycle",
        f"/api/v1/missions/kalsel-bali/deals/{kalsel_deal.pk}",
        f"/api/v1/missions/uji-misi/deals/{kalsel_deal.pk}",
    ):
        assert api.get(path, headers=headers).status_code == 404
    body = {"to_stage": "kontrak", "occurred_on": DAY}
    assert (
        post(
            api, f"/api/v1/missions/kalsel-bali/deals/{kalsel_deal.pk}/events", body, headers
        ).status_code
        == 404
    )
    assert (
        post(
            api, f"/api/v1/missions/uji-misi/deals/{kalsel_deal.pk}/events", body, headers
        ).status_code
        == 404
    )
    entry_body = {"kind": "payment", "occurred_on": DAY, "value_idr": 5000}
    for path in (
        f"/api/v1/missions/kalsel-bali/deals/{kalsel_deal.pk}/realization",
        f"/api/v1/missions/uji-misi/deals/{kalsel_deal.pk}/realization",
    ):
        assert post(api, path, entry_body, headers).status_code == 404
    kalsel_entry = post(
        api,
        f"/api/v1/missions/kalsel-bali/deals/{kalsel_deal.pk}/realization",
        entry_body,
        bearer(kalsel_admin),
    ).json()["id"]
    for path in (
        f"/api/v1/missions/kalsel-bali/realization/{kalsel_entry}/reverse",
        f"/api/v1/missions/uji-misi/realization/{kalsel_entry}/reverse",
    ):
        assert post(api, path, {"reason": "x"}, headers, idempotency=False).status_code == 404
    verify = f"/api/v1/missions/kalsel-bali/deals/{kalsel_deal.pk}/verifications"
    assert post(api, verify, {"status": "verified"}, headers, idempotency=False).status_code == 404
    with scopes_disabled():
        assert RealizationEntry.objects.filter(reversals__isnull=False).count() == 0
    # The host province reads East Java's mission but records nothing on it.
    kalsel = bearer(kalsel_admin)
    assert api.get("/api/v1/missions/uji-misi/lifecycle", headers=kalsel).status_code == 200
    assert post(api, f"{base(deals['eggs'])}/events", body, kalsel).status_code == 404
    assert api.get("/api/v1/missions/uji-misi/lifecycle").status_code == 401
