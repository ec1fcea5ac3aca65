"""The follow-up pages: lists, the deal page and its forms, evidence, settings, home."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.audit.models import AuditEvent
from niaga.missions.models import Business
from niaga.realization import domain
from niaga.realization.models import (
    ContactLog,
    DealAssignment,
    DealEvent,
    RealizationEntry,
    Verification,
)
from niaga.realization.queries import deal_state
from tests.programs.support_world import executable_upload, pdf_bytes, pdf_upload
from tests.realization.conftest import login, record_deal

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 5, 10)


def deal_url(deal, province="jatim"):
    return f"/province/{province}/realization/deals/{deal.pk}/"


def entry_form(kind, value, **extra):
    data = {
        "form": kind,
        f"{kind}-idempotency_key": uuid.uuid4().hex,
        f"{kind}-occurred_on": DAY.isoformat(),
        f"{kind}-value_idr": value,
    }
    data.update({f"{kind}-{k}": v for k, v in extra.items()})
    return data


def counts(deal):
    with scopes_disabled():
        return tuple(
            model.objects.filter(deal=deal).count()
            for model in (DealEvent, RealizationEntry, Verification, ContactLog, DealAssignment)
        )


# --- The follow-up lists ------------------------------------------------------------------


def test_the_follow_up_list_shows_stale_deals_with_contacts_and_links(deals, jatim_desk):
    with scopes_disabled():
        Business.objects.filter(name="UD Telur Makmur").update(
            contact_name="Bu Sri", contact_phone="081234567890"
        )
    response = login(jatim_desk).get("/province/jatim/realization/followup/")
    assert response.status_code == 200
    html = response.content.decode()
    for deal in deals.values():
        assert deal_url(deal) in html
    assert "Bu Sri" in html and "0812*****890" in html and "081234567890" not in html
    assert 'id="followup-count">3 ' in html


def test_filters_narrow_the_list(deals, jatim_admin, jatim_desk):
    domain.deal_assign(actor=jatim_admin, deal=deals["eggs"], officer=jatim_desk)
    domain.deal_move_stage(
        actor=jatim_desk, deal=deals["coal"], to_stage="batal", occurred_on=DAY, reason="Mundur"
    )
    client = login(jatim_admin)
    base = "/province/jatim/realization/followup/"
    html = client.get(base, {"officer": jatim_desk.pk}).content.decode()
    assert deal_url(deals["eggs"]) in html and deal_url(deals["coffee"]) not in html
    html = client.get(base, {"officer": "none"}).content.decode()
    assert deal_url(deals["coffee"]) in html and deal_url(deals["eggs"]) not in html
    # Cancelled: not on the list of deals to chase, but under "all".
    assert deal_url(deals["coal"]) not in client.get(base).content.decode()
    html = client.get(base, {"show": "all", "stage": "batal"}).content.decode()
    assert deal_url(deals["coal"]) in html and deal_url(deals["eggs"]) not in html
    html = client.get(base, {"mission": "uji-misi", "stage": "potensi"}).content.decode()
    assert deal_url(deals["coffee"]) in html and deal_url(deals["eggs"]) not in html


def test_the_mission_list_and_province_isolation(deals, kalsel_world, jatim_desk, kalsel_admin):
    jatim = login(jatim_desk)
    response = jatim.get("/province/jatim/realization/missions/uji-misi/followup/")
    assert response.status_code == 200 and deal_url(deals["eggs"]) in response.content.decode()
    assert (
        jatim.get("/province/jatim/realization/missions/kalsel-bali/followup/").status_code == 404
    )
    assert jatim.get("/province/kalsel/realization/followup/").status_code == 404
    kalsel = login(kalsel_admin)
    html = kalsel.get("/province/kalsel/realization/followup/").content.decode()
    assert deal_url(kalsel_world["deal"], "kalsel") in html
    assert f"/deals/{deals['eggs'].pk}/" not in html


def test_the_lists_need_a_follow_up_role(deals, kalsel_viewer, jatim, jatim_curator):
    assert login(jatim_curator).get("/province/jatim/realization/followup/").status_code == 404
    assert login(kalsel_viewer).get("/province/kalsel/realization/followup/").status_code == 404


def test_the_list_reads_a_fixed_number_of_queries(mission, sellers, buyers, deals, jatim_admin):
    client = login(jatim_admin)
    url = "/province/jatim/realization/followup/"
    domain.contact_record(
        actor=jatim_admin,
        deal=deals["eggs"],
        channel="call",
        party="both",
        contacted_on=DAY,
        outcome="Belum ada kabar",
    )
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(12):
        deal = record_deal(
            jatim_admin,
            mission,
            sellers[number % 2],
            buyers[number % 2],
            value=1_000_000 + number,
            stage="komitmen",
            commodity=f"Barang {number}",
        )
        domain.deal_assign(actor=jatim_admin, deal=deal, officer=jatim_admin)
        domain.contact_record(
            actor=jatim_admin,
            deal=deal,
            channel="call",
            party="both",
            contacted_on=DAY,
            outcome="Belum ada kabar",
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert 'id="followup-count">15 ' in response.content.decode()
    assert len(many) == len(few)


# --- The deal page --------------------------------------------------------------------------


def test_the_deal_page_shows_the_facts_and_the_figures(eggs, jatim_desk, media):
    client = login(jatim_desk)
    response = client.post(deal_url(eggs), entry_form("delivery", "Rp 60.000.000"))
    assert response.status_code == 302
    response = client.post(
        deal_url(eggs),
        entry_form("payment", "Rp 25.000.000", evidence=pdf_upload("transfer-bca.pdf")),
    )
    assert response.status_code == 302
    state = deal_state(eggs.pk)
    assert (state.delivered_idr, state.paid_idr) == (60_000_000, 25_000_000)
    html = client.get(deal_url(eggs)).content.decode()
    assert 'id="deal-committed">Rp 100.000.000<' in html
    assert 'id="deal-paid">Rp 25.000.000 (25%)<' in html
    assert 'id="deal-delivered">Rp 60.000.000 (60%)<' in html
    assert 'value="25"' in html  # the progress bar
    assert "transfer-bca.pdf" in html
    assert "UD Telur Makmur" in html and "PT Borneo Pangan" in html


@pytest.mark.parametrize(
    ("value", "field_error"),
    [("", "value_idr"), ("25,5 juta rupiah", "value_idr"), ("Rp 0", "value_idr")],
)
def test_a_bad_payment_changes_nothing_and_names_the_field(eggs, jatim_desk, value, field_error):
    response = login(jatim_desk).post(deal_url(eggs), entry_form("payment", value))
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_payment-{field_error}_errors"' in html
    assert counts(eggs) == (0, 0, 0, 0, 0)


def test_a_payment_above_the_commitment_is_refused_on_its_field(eggs, jatim_desk):
    response = login(jatim_desk).post(deal_url(eggs), entry_form("payment", "Rp 150.000.000"))
    assert response.status_code == 422
    assert 'id="id_payment-value_idr_errors"' in response.content.decode()
    assert counts(eggs) == (0, 0, 0, 0, 0)


def test_a_disguised_evidence_file_is_refused(eggs, jatim_desk, media):
    response = login(jatim_desk).post(
        deal_url(eggs), entry_form("payment", "Rp 5.000.000", evidence=executable_upload())
    )
    assert response.status_code == 422
    assert 'id="id_payment-evidence_errors"' in response.content.decode()
    assert counts(eggs) == (0, 0, 0, 0, 0)


def test_a_double_click_records_once(eggs, jatim_desk):
    client = login(jatim_desk)
    data = entry_form("payment", "Rp 10.000.000")
    assert client.post(deal_url(eggs), data).status_code == 302
    assert client.post(deal_url(eggs), data).status_code == 302
    assert deal_state(eggs.pk).paid_idr == 10_000_000


def test_moves_reversals_contacts_and_assignment_from_the_page(eggs, jatim_admin, jatim_desk):
    admin = login(jatim_admin)
    response = admin.post(
        deal_url(eggs),
        {"form": "move", "move-idempotency_key": "langkah-0001", "move-to_stage": "komitmen"},
    )
    # The current stage is not offered.
    assert response.status_code == 422
    assert 'id="id_move-to_stage_errors"' in response.content.decode()
    response = admin.post(
        deal_url(eggs),
        {
            "form": "move",
            "move-idempotency_key": "langkah-0002",
            "move-to_stage": "potensi",
            "move-occurred_on": DAY.isoformat(),
        },
    )
    assert response.status_code == 422
    assert 'id="id_move-to_stage_errors"' in response.content.decode()
    response = admin.post(
        deal_url(eggs),
        {
            "form": "move",
            "move-idempotency_key": "langkah-0003",
            "move-to_stage": "kontrak",
            "move-occurred_on": DAY.isoformat(),
        },
    )
    assert response.status_code == 302 and deal_state(eggs.pk).current_stage == "kontrak"
    admin.post(deal_url(eggs), entry_form("payment", "Rp 10.000.000"))
    with scopes_disabled():
        entry = RealizationEntry.objects.get(deal=eggs)
    response = admin.post(
        deal_url(eggs), {"form": "reverse", "reverse-entry": entry.pk, "reverse-reason": "Salah"}
    )
    assert response.status_code == 302 and deal_state(eggs.pk).paid_idr == 0
    response = admin.post(
        deal_url(eggs),
        {
            "form": "contact",
            "contact-channel": "visit",
            "contact-party": "seller",
            "contact-contacted_on": DAY.isoformat(),
            "contact-outcome": "Gudang sedang diperbaiki",
        },
    )
    assert response.status_code == 302
    response = admin.post(deal_url(eggs), {"form": "assign", "assign-officer": jatim_desk.pk})
    assert response.status_code == 302
    html = admin.get(deal_url(eggs)).content.decode()
    assert "Gudang sedang diperbaiki" in html
    assert f'id="deal-officer">{jatim_desk.display_name}<' in html
    assert counts(eggs) == (1, 2, 0, 1, 1)


def test_a_desk_officer_cannot_assign_and_a_verifier_records_nothing(
    eggs, jatim_desk, jatim_verifier
):
    assert (
        login(jatim_desk).post(deal_url(eggs), {"form": "assign", "assign-officer": jatim_desk.pk})
    ).status_code == 403
    verifier = login(jatim_verifier)
    html = verifier.get(deal_url(eggs)).content.decode()
    assert 'id="verify-form"' in html and 'id="payment-form"' not in html
    assert verifier.post(deal_url(eggs), entry_form("payment", "Rp 1.000")).status_code == 403
    assert counts(eggs) == (0, 0, 0, 0, 0)


def test_a_verifier_verifies_and_a_dispute_needs_a_note(eggs, jatim_verifier, jatim_desk):
    client = login(jatim_verifier)
    response = client.post(
        deal_url(eggs), {"form": "verify", "verify-target": "deal", "verify-status": "disputed"}
    )
    assert response.status_code == 422
    assert 'id="id_verify-note_errors"' in response.content.decode()
    response = client.post(
        deal_url(eggs), {"form": "verify", "verify-target": "deal", "verify-status": "verified"}
    )
    assert response.status_code == 302
    assert deal_state(eggs.pk).verification == "verified"
    assert 'id="deal-verification"' in client.get(deal_url(eggs)).content.decode()
    assert 'id="verify-form"' not in login(jatim_desk).get(deal_url(eggs)).content.decode()


def test_the_host_province_reads_but_another_province_gets_404(
    eggs, kalsel_world, kalsel_admin, jatim_desk
):
    kalsel = login(kalsel_admin)
    response = kalsel.get(deal_url(eggs, "kalsel"))
    assert response.status_code == 200
    assert 'id="payment-form"' not in response.content.decode()
    assert (
        kalsel.post(deal_url(eggs, "kalsel"), entry_form("payment", "Rp 1.000")).status_code == 403
    )
    jatim = login(jatim_desk)
    assert jatim.get(deal_url(kalsel_world["deal"])).status_code == 404
    assert jatim.get(deal_url(kalsel_world["deal"], "kalsel")).status_code == 404
    assert jatim.get("/province/jatim/realization/deals/999999/").status_code == 404


def test_phones_are_masked_until_revealed_and_the_reveal_is_logged(eggs, jatim_desk):
    with scopes_disabled():
        Business.objects.filter(name="UD Telur Makmur").update(
            contact_name="Bu Sri", contact_phone="081234567890"
        )
    client = login(jatim_desk)
    html = client.get(deal_url(eggs)).content.decode()
    assert "0812*****890" in html and "081234567890" not in html
    html = client.post(deal_url(eggs), {"form": "reveal"}).content.decode()
    assert "081234567890" in html
    with scopes_disabled():
        audit = AuditEvent.objects.get(action="realization.contact_phones.revealed")
    assert audit.actor == jatim_desk


def test_the_deal_page_reads_a_fixed_number_of_queries(eggs, jatim_admin, jatim_desk):
    client = login(jatim_admin)
    client.get(deal_url(eggs))
    with CaptureQueriesContext(connection) as few:
        client.get(deal_url(eggs))
    for number in range(6):
        entry = domain.realization_record(
            actor=jatim_desk,
            deal=eggs,
            kind="payment",
            occurred_on=DAY,
            value_idr=1_000_000,
            idempotency_key=f"bayar-{number:04d}",
        )
        domain.contact_record(
            actor=jatim_desk,
            deal=eggs,
            channel="call",
            party="buyer",
            contacted_on=DAY,
            outcome=f"Kontak {number}",
        )
        if number % 2:
            domain.realization_reverse(actor=jatim_desk, entry=entry, reason="uji")
    with CaptureQueriesContext(connection) as many:
        assert client.get(deal_url(eggs)).status_code == 200
    assert len(many) == len(few)


# --- Evidence, settings, home ---------------------------------------------------------------


def test_evidence_downloads_as_an_attachment_to_those_who_may_read(
    eggs, jatim_desk, kalsel_world, kalsel_admin, media
):
    entry = domain.realization_record(
        actor=jatim_desk,
        deal=eggs,
        kind="payment",
        occurred_on=DAY,
        value_idr=5_000_000,
        evidence=pdf_upload("bukti.pdf"),
        idempotency_key="bayar-bukti-01",
    )
    url = f"/province/jatim/realization/entries/{entry.pk}/evidence/"
    response = login(jatim_desk).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bukti.pdf"')
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert login(kalsel_admin).get(url).status_code == 404  # not a member of jatim
    other = domain.realization_record(
        actor=kalsel_admin,
        deal=kalsel_world["deal"],
        kind="payment",
        occurred_on=DAY,
        value_idr=5_000_000,
        evidence=pdf_upload("lain.pdf"),
        idempotency_key="bayar-lain-01",
    )
    assert (
        login(jatim_desk)
        .get(f"/province/jatim/realization/entries/{other.pk}/evidence/")
        .status_code
        == 404
    )
    assert not (media / "private/realization").rglob("*.pdf").__next__().name.startswith("bukti")


def test_settings_for_managers_only(jatim, jatim_admin, jatim_desk):
    url = "/province/jatim/realization/settings/"
    assert login(jatim_desk).get(url).status_code == 404
    admin = login(jatim_admin)
    response = admin.post(url, {"stale_after_days": "0"})
    assert response.status_code == 422
    assert 'id="id_stale_after_days_errors"' in response.content.decode()
    response = admin.post(url, {"stale_after_days": "14", "send_email_reminders": "on"})
    assert response.status_code == 302
    from niaga.realization.followup import policy_of

    policy = policy_of(jatim)
    assert (policy.stale_after_days, policy.send_email_reminders) == (14, True)


def test_the_home_page_reminds_officers_of_their_stale_deals(deals, jatim_admin, jatim_desk):
    domain.deal_assign(actor=jatim_admin, deal=deals["eggs"], officer=jatim_desk)
    html = login(jatim_desk).get("/province/jatim/").content.decode()
    assert 'id="followup-reminders"' in html
    assert deal_url(deals["eggs"]) in html and deal_url(deals["coal"]) not in html
    html = login(jatim_admin).get("/province/jatim/").content.decode()
    assert deal_url(deals["coal"]) in html and deal_url(deals["eggs"]) not in html


def test_no_reminders_for_people_who_do_not_follow_up(deals, jatim_curator):
    html = login(jatim_curator).get("/province/jatim/").content.decode()
    assert 'id="followup-reminders"' not in html


def test_recorded_times_use_the_real_clock_by_default(eggs, jatim_desk):
    before = timezone.now()
    login(jatim_desk).post(deal_url(eggs), entry_form("payment", "Rp 1.000.000"))
    with scopes_disabled():
        assert RealizationEntry.objects.get(deal=eggs).recorded_at >= before
