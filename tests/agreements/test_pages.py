"""The agreement pages: isolation, permissions, recording with parties, the list."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation
from django_scopes import scopes_disabled

from niaga.agreements.models import ActionItem, ActionItemNote, Agreement
from tests.agreements.conftest import NUMBER, make_agreement, party

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def agreement_urls(slug: str, agreement) -> list[tuple[str, str]]:
    """(method, url) of every page of one agreement."""
    with scopes_disabled():
        item = ActionItem.all_objects.filter(agreement=agreement).first()
    base = f"/province/{slug}/agreements/{agreement.pk}/"
    urls = [
        ("get", base),
        ("get", base + "edit/"),
        ("get", base + "terminate/"),
        ("post", base + "terminate/"),
        ("get", base + "document/"),
        ("post", base + "items/"),
    ]
    if item is not None:
        urls += [
            ("get", base + f"items/{item.pk}/"),
            ("post", base + f"items/{item.pk}/notes/"),
        ]
    return urls


def party_post(rows: list[dict], *, initial: int = 0, total: int = 4) -> dict:
    data = {
        "parties-TOTAL_FORMS": str(total),
        "parties-INITIAL_FORMS": str(initial),
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"parties-{index}-{key}"] = value
    for index in range(len(rows), total):
        data[f"parties-{index}-kind"] = "office"
    return data


def agreement_post(**extra) -> dict:
    return {
        "kind": "pks",
        "title": "PKS Pengembangan Kopi Ijen",
        "signed_on": "2025-09-17",
        "place": "Surabaya",
        "valid_from": "",
        "valid_until": "2028-09-16",
        "scope": "Pasokan kopi",
        "mission": "",
        **extra,
    }


def test_another_provinces_agreement_answers_404_on_every_page(
    jatim_manager, kalsel_manager, pks, bali_mou, kalsel_own
):
    jatim = client_for(jatim_manager)
    for method, url in agreement_urls("jatim", kalsel_own):
        assert getattr(jatim, method)(url).status_code == 404, url
    # Through Kalsel's address too: East Java's managers are not members there.
    for method, url in agreement_urls("kalsel", pks):
        assert getattr(jatim, method)(url).status_code == 404, url
    kalsel = client_for(kalsel_manager)
    for method, url in agreement_urls("kalsel", bali_mou):
        assert getattr(kalsel, method)(url).status_code == 404, url
    for url in ("/province/jatim/agreements/", "/province/jatim/agreements/new/"):
        assert kalsel.get(url).status_code == 404
    assert kalsel.get(f"/province/kalsel/agreements/{pks.pk}/").status_code == 200


def test_a_viewer_reads_but_changes_nothing(jatim_viewer, national_viewer, pks):
    for user in (jatim_viewer, national_viewer):
        client = client_for(user)
        assert client.get("/province/jatim/agreements/").status_code == 200
        page = client.get(f"/province/jatim/agreements/{pks.pk}/")
        assert page.status_code == 200
        assert b"Temu bisnis lanjutan di Surabaya" in page.content
        assert b'id="new-item"' not in page.content
        assert client.get("/province/jatim/agreements/new/").status_code == 404
        for method, url in agreement_urls("jatim", pks)[1:]:
            if url.endswith("/document/"):
                continue
            assert getattr(client, method)(url).status_code == 404, (user, url)
    with scopes_disabled():
        assert ActionItemNote.objects.count() == 0
        assert Agreement.all_objects.get(pk=pks.pk).status == "active"


def test_the_other_partys_manager_adds_notes_but_does_not_edit(kalsel_manager, pks):
    client = client_for(kalsel_manager)
    base = f"/province/kalsel/agreements/{pks.pk}/"
    with scopes_disabled():
        item = ActionItem.all_objects.get(agreement=pks, title="Temu bisnis lanjutan di Surabaya")
    response = client.post(
        base + f"items/{item.pk}/notes/",
        {
            f"note-{item.pk}-text": "Jadwal disepakati: Februari 2027.",
            f"note-{item.pk}-status": "in_progress",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == base + f"#item-{item.pk}"
    item.refresh_from_db()
    assert item.status == "in_progress"
    page = client.get(base)
    assert "Jadwal disepakati: Februari 2027." in page.content.decode()
    response = client.post(
        base + "items/",
        {
            "item-title": "Kunjungan balasan",
            "item-owner_name": "Disperindag Kalsel",
            "item-status": "open",
        },
    )
    assert response.status_code == 302
    for url in (base + "edit/", base + "terminate/"):
        assert client.get(url).status_code == 404


def test_a_manager_records_a_pks_with_two_parties(jatim, kalsel, jatim_manager, mission):
    client = client_for(jatim_manager)
    data = agreement_post(mission=mission.pk) | party_post(
        [
            {
                "kind": "office",
                "name": "Disperindag Jatim",
                "province": "35",
                "number": NUMBER,
                "signatory": "Kepala Dinas",
                "signatory_title": "Kepala",
            },
            {
                "kind": "business",
                "name": "PT Kopi Ijen Lestari",
                "province": "",
                "number": "001/KIL/2025",
            },
        ]
    )
    response = client.post("/province/jatim/agreements/new/", data)
    assert response.status_code == 302
    with scopes_disabled():
        agreement = Agreement.all_objects.get()
        parties = [
            (p.name, p.province_id, p.number) for p in agreement.parties.order_by("position")
        ]
    assert response["Location"] == f"/province/jatim/agreements/{agreement.pk}/"
    assert (agreement.valid_from, agreement.mission) == (dt.date(2025, 9, 17), mission)
    assert parties == [
        ("Disperindag Jatim", "35", NUMBER),
        ("PT Kopi Ijen Lestari", None, "001/KIL/2025"),
    ]


def test_a_taken_number_is_shown_on_its_partys_row(jatim, kalsel, jatim_manager):
    make_agreement(
        jatim_manager, jatim, [party("Disperindag Jatim", jatim, NUMBER), party("B", kalsel)]
    )
    client = client_for(jatim_manager)
    data = agreement_post() | party_post(
        [
            {"kind": "office", "name": "Disperindag Kalsel", "province": "63", "number": NUMBER},
            {"kind": "office", "name": "Disperindag Jatim", "province": "35", "number": NUMBER},
        ]
    )
    response = client.post("/province/jatim/agreements/new/", data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    # The officer's language (Indonesian, the default).
    assert formset.forms[1].errors["number"] == [
        f"Disperindag Jatim sudah memiliki perjanjian bernomor {NUMBER}; "
        "nomor setiap pihak harus unik."
    ]
    with scopes_disabled():
        assert Agreement.all_objects.count() == 1


def test_one_party_is_refused_with_a_message(jatim_manager):
    client = client_for(jatim_manager)
    data = agreement_post() | party_post([{"kind": "office", "name": "Disperindag Jatim"}])
    response = client.post("/province/jatim/agreements/new/", data)
    assert response.status_code == 200
    assert response.context["party_errors"] and 'id="party-errors"' in response.content.decode()
    with scopes_disabled():
        assert Agreement.all_objects.count() == 0


def test_editing_a_changed_agreement_is_a_conflict(jatim, jatim_manager, pks):
    client = client_for(jatim_manager)
    with scopes_disabled():
        parties = list(pks.parties.order_by("position"))
    rows = [
        {"id": p.pk, "kind": p.kind, "name": p.name, "province": p.province_id, "number": p.number}
        for p in parties
    ]
    data = agreement_post(title="Judul baru", version="1") | party_post(rows, initial=2, total=4)
    url = f"/province/jatim/agreements/{pks.pk}/edit/"
    assert client.post(url, data).status_code == 302
    stale = client.post(
        url, agreement_post(title="Judul lain", version="1") | party_post(rows, initial=2)
    )
    assert stale.status_code == 302 and stale["Location"] == url
    with scopes_disabled():
        current = Agreement.all_objects.get(pk=pks.pk)
        assert (current.title, current.version) == ("Judul baru", 2)
        assert [p.pk for p in current.parties.order_by("position")] == [p.pk for p in parties]


def test_terminating_from_the_page(jatim_manager, pks):
    client = client_for(jatim_manager)
    url = f"/province/jatim/agreements/{pks.pk}/terminate/"
    assert client.post(url, {"reason": "", "version": "1"}).status_code == 200
    response = client.post(url, {"reason": "Diganti PKS 2026", "version": "1"})
    assert response.status_code == 302
    page = client.get(f"/province/jatim/agreements/{pks.pk}/")
    assert "Diganti PKS 2026" in page.content.decode()
    assert page.context["validity"] == "terminated"
    assert page.context["can_update"] is False


def test_the_list_flags_overdue_items_and_validity(jatim_manager, pks, bali_mou):
    client = client_for(jatim_manager)
    with translation.override("en"):
        page = client.get("/province/jatim/agreements/", headers={"Accept-Language": "en"})
    rows = {a.pk: a for a in page.context["page"]}
    assert rows[pks.pk].overdue_count == 1
    body = page.content.decode()
    assert body.count('class="badge text-bg-danger overdue-badge"') == 1
    filtered = client.get("/province/jatim/agreements/", {"party": "011.3"})
    assert [a.pk for a in filtered.context["page"]] == [pks.pk]
    by_mission = client.get("/province/jatim/agreements/", {"mission": pks.mission.slug})
    assert [a.pk for a in by_mission.context["page"]] == [pks.pk]


def test_the_list_does_not_query_per_agreement(
    jatim, kalsel, jatim_manager, django_assert_max_num_queries
):
    client = client_for(jatim_manager)

    def add(first: int, count: int) -> None:
        for n in range(first, first + count):
            agreement = make_agreement(
                jatim_manager,
                jatim,
                [party(f"Dinas {n}", jatim, f"{n}/PKS"), party(f"Mitra {n}", kalsel)],
                title=f"PKS {n}",
            )
            with scopes_disabled():
                ActionItem.all_objects.create(
                    agreement=agreement, title="x", owner_name="y", due_on=dt.date(2020, 1, 1)
                )

    add(0, 1)
    client.get("/province/jatim/agreements/")  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/province/jatim/agreements/")
    add(1, 12)
    with django_assert_max_num_queries(len(one)):
        response = client.get("/province/jatim/agreements/")
    assert len(response.context["page"]) == 13
