"""The agreements API: the same rules as the pages, problem details, idempotent creates."""

import importlib

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from niaga.agreements.models import ActionItem, ActionItemNote, Agreement
from tests.agreements.conftest import NUMBER, TODAY
from tests.api.conftest import bearer, key, post_json

pytestmark = pytest.mark.django_db
BASE = "/api/v1/agreements"


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def fixed_today(monkeypatch):
    """The API's "today" is TODAY (the API package first: it imports every router)."""
    import niaga.api.main  # noqa: F401

    agreements_api = importlib.import_module("niaga.agreements.api")

    monkeypatch.setattr(agreements_api, "_today", lambda province: TODAY)


def body(**extra) -> dict:
    return {
        "kind": "pks",
        "title": "PKS Pasokan Telur",
        "signed_on": "2025-09-17",
        "valid_until": "2027-09-16",
        "parties": [
            {
                "kind": "office",
                "name": "Dinas Peternakan Provinsi Jawa Timur",
                "province": "35",
                "number": "524/88/PKS/2025",
                "signatory": "Kepala Dinas",
            },
            {
                "kind": "office",
                "name": "Dinas Ketahanan Pangan Provinsi Kalimantan Selatan",
                "province": "kalsel",
            },
        ],
        **extra,
    }


def patch_json(client, url, data, headers):
    import json

    return client.patch(
        url, data=json.dumps(data), content_type="application/json", headers=headers
    )


def test_list_and_detail_with_filters(client, jatim_manager, pks, bali_mou, fixed_today):
    headers = bearer(jatim_manager)
    listed = client.get(f"{BASE}/jatim", headers=headers).json()
    assert listed["count"] == 2
    assert [a["title"] for a in listed["items"]] == [
        "MoU Jawa Timur – Bali",
        "PKS Perdagangan Antar Daerah",
    ]
    row = listed["items"][1]
    assert (row["open_items"], row["overdue_items"], row["mission"]) == (2, 1, "uji-misi")
    assert row["parties"][0]["number"] == NUMBER
    assert row["parties"][1]["province"] == "63"
    by_party = client.get(f"{BASE}/35", {"party_province": "kalsel"}, headers=headers).json()
    assert [a["id"] for a in by_party["items"]] == [pks.pk]
    by_kind = client.get(f"{BASE}/jatim", {"kind": "mou", "year": 2024}, headers=headers).json()
    assert [a["id"] for a in by_kind["items"]] == [bali_mou.pk]
    detail = client.get(f"{BASE}/jatim/{pks.pk}", headers=headers).json()
    assert [i["title"] for i in detail["action_items"]] == [
        "Pertukaran data harga komoditas",
        "Temu bisnis lanjutan di Surabaya",
        "Evaluasi tahunan",
    ]
    assert detail["action_items"][0]["done_on"] is not None
    bad = client.get(f"{BASE}/jatim", {"status": "lost"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_create_replay_and_reused_key(client, jatim, jatim_manager):
    headers, same = bearer(jatim_manager), key()
    first = post_json(client, f"{BASE}/jatim", body(), headers, idempotency_key=same)
    assert first.status_code == 201, first.content
    created = first.json()
    assert created["parties"][0]["name"] == "Dinas Peternakan Provinsi Jawa Timur"
    assert created["parties"][1]["province"] == "63"
    assert (created["valid_from"], created["validity"], created["owner"]) == (
        "2025-09-17",
        "active",
        "35",
    )
    again = post_json(client, f"{BASE}/jatim", body(), headers, idempotency_key=same)
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == created
    other = post_json(client, f"{BASE}/jatim", body(title="Lain"), headers, idempotency_key=same)
    assert other.status_code == 422
    assert other.json()["type"] == "/api/v1/docs#problem-idempotency-conflict"
    assert other.json()["existing_id"] == created["id"]
    missing = post_json(client, f"{BASE}/jatim", body(), headers)
    assert missing.status_code == 400
    with scopes_disabled():
        assert Agreement.all_objects.count() == 1


def test_create_errors_name_the_field_and_rule(client, jatim, kalsel, jatim_manager, kalsel_admin):
    headers = bearer(jatim_manager)
    one = post_json(
        client, f"{BASE}/jatim", body(parties=body()["parties"][:1]), headers, idempotency_key=key()
    )
    assert one.status_code == 422
    assert [(e["field"], e["rule"]) for e in one.json()["errors"]] == [("parties", "parties_min")]
    dates = post_json(
        client,
        f"{BASE}/jatim",
        body(valid_from="2025-09-17", valid_until="2025-09-01", signed_on="2099-01-01"),
        headers,
        idempotency_key=key(),
    )
    assert sorted((e["field"], e["rule"]) for e in dates.json()["errors"]) == [
        ("signed_on", "future"),
        ("valid_until", "valid_period"),
    ]
    assert (
        post_json(client, f"{BASE}/jatim", body(), headers, idempotency_key=key()).status_code
        == 201
    )
    taken = post_json(client, f"{BASE}/jatim", body(title="Kedua"), headers, idempotency_key=key())
    assert [(e["field"], e["rule"]) for e in taken.json()["errors"]] == [("number", "number_taken")]
    assert "Dinas Peternakan Provinsi Jawa Timur" in taken.json()["errors"][0]["message"]
    unknown = post_json(
        client, f"{BASE}/jatim", body(mission="tidak-ada"), headers, idempotency_key=key()
    )
    assert unknown.json()["errors"][0]["field"] == "mission"


def test_isolation_and_permissions(
    client, jatim_manager, jatim_viewer, kalsel_manager, national_viewer, pks, bali_mou, kalsel_own
):
    jatim_headers = bearer(jatim_manager)
    kalsel_headers = bearer(kalsel_manager)
    # Another province's space, an agreement not visible there, an unknown one: 404.
    assert client.get(f"{BASE}/kalsel", headers=jatim_headers).status_code == 404
    assert client.get(f"{BASE}/jatim/{kalsel_own.pk}", headers=jatim_headers).status_code == 404
    assert client.get(f"{BASE}/kalsel/{bali_mou.pk}", headers=kalsel_headers).status_code == 404
    assert (
        client.get(f"{BASE}/kalsel/{bali_mou.pk}/items", headers=kalsel_headers).status_code == 404
    )
    assert client.get(f"{BASE}/jatim/999999", headers=jatim_headers).status_code == 404
    assert client.get(f"{BASE}/kalsel/{pks.pk}", headers=kalsel_headers).status_code == 200
    assert client.get(f"{BASE}/jatim").status_code == 401
    # Writes: a viewer and another province answer 404 and nothing changes.
    viewer = bearer(jatim_viewer)
    assert (
        post_json(client, f"{BASE}/jatim", body(), viewer, idempotency_key=key()).status_code == 404
    )
    assert (
        post_json(
            client, f"{BASE}/kalsel", body(), jatim_headers, idempotency_key=key()
        ).status_code
        == 404
    )
    with scopes_disabled():
        item = ActionItem.all_objects.filter(agreement=pks).first()
        own_item = ActionItem.all_objects.create(agreement=kalsel_own, title="x", owner_name="y")
    note_url = f"{BASE}/jatim/{pks.pk}/items/{item.pk}/notes"
    assert post_json(client, note_url, {"text": "x"}, viewer).status_code == 404
    assert post_json(client, note_url, {"text": "x"}, bearer(national_viewer)).status_code == 404
    foreign = f"{BASE}/jatim/{kalsel_own.pk}/items/{own_item.pk}/notes"
    assert post_json(client, foreign, {"text": "x"}, jatim_headers).status_code == 404
    wrong_pair = f"{BASE}/jatim/{pks.pk}/items/{own_item.pk}"
    assert (
        patch_json(client, wrong_pair, {"version": 1, "status": "done"}, jatim_headers).status_code
        == 404
    )
    national = client.get(f"{BASE}/kalsel", headers=bearer(national_viewer)).json()
    assert {a["id"] for a in national["items"]} == {pks.pk, kalsel_own.pk}
    with scopes_disabled():
        assert ActionItemNote.objects.count() == 0
        assert Agreement.all_objects.count() == 3


def test_action_items_create_update_and_notes(
    client, jatim_manager, kalsel_manager, pks, fixed_today
):
    jatim_headers, kalsel_headers = bearer(jatim_manager), bearer(kalsel_manager)
    with scopes_disabled():
        kalsel_party = pks.parties.order_by("position")[1]
    created = post_json(
        client,
        f"{BASE}/kalsel/{pks.pk}/items",
        {"title": "Kunjungan balasan", "owner_party_id": kalsel_party.pk, "due_on": "2026-12-15"},
        kalsel_headers,
    )
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["owner_name"], item["status"], item["version"]) == (kalsel_party.name, "open", 1)
    url = f"{BASE}/jatim/{pks.pk}/items/{item['id']}"
    changed = patch_json(client, url, {"version": 1, "due_on": "2027-01-15"}, jatim_headers)
    assert changed.status_code == 200
    assert (changed.json()["due_on"], changed.json()["version"]) == ("2027-01-15", 2)
    stale = patch_json(client, url, {"version": 1, "status": "dropped"}, jatim_headers)
    assert stale.status_code == 422
    assert stale.json()["errors"][0]["rule"] == "conflict"
    noted = post_json(
        client,
        f"{BASE}/kalsel/{pks.pk}/items/{item['id']}/notes",
        {"text": "Kunjungan terlaksana.", "written_on": "2026-11-20", "status": "done"},
        kalsel_headers,
    )
    assert noted.status_code == 201
    answer = noted.json()
    assert (answer["status"], answer["done_on"], answer["overdue"]) == ("done", "2026-11-20", False)
    assert answer["notes"][0]["written_by"] == "kalsel-manager"
    assert answer["notes"][0]["status_after"] == "done"
    empty = post_json(
        client, f"{BASE}/jatim/{pks.pk}/items/{item['id']}/notes", {"text": " "}, jatim_headers
    )
    assert [(e["field"], e["rule"]) for e in empty.json()["errors"]] == [("text", "required")]
    items = client.get(f"{BASE}/jatim/{pks.pk}/items", headers=jatim_headers).json()
    assert items["count"] == 4
    overdue = [i["title"] for i in items["items"] if i["overdue"]]
    assert overdue == ["Temu bisnis lanjutan di Surabaya"]
