"""The rules of recording agreements, their parties and action items."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scopes_disabled

from niaga.agreements import domain
from niaga.agreements.domain import agreements as agreements_domain
from niaga.agreements.models import ActionItem, ActionItemStatus, Agreement, AgreementParty
from niaga.audit.models import AuditEvent
from tests.agreements.conftest import NOW, NUMBER, make_agreement, party
from tests.api.conftest import new_mission

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def two_parties(jatim, kalsel, number=""):
    return [
        party("Dinas Perindustrian dan Perdagangan Provinsi Jawa Timur", jatim, number),
        party("Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Selatan", kalsel),
    ]


def test_an_agreement_is_recorded_with_its_parties_in_order_and_audited(
    jatim, kalsel, jatim_manager, mission
):
    agreement = make_agreement(
        jatim_manager, jatim, two_parties(jatim, kalsel, NUMBER), mission=mission
    )
    with scopes_disabled():
        parties = list(agreement.parties.order_by("position"))
        event = AuditEvent.objects.get(action="agreements.agreement.created")
    assert [(p.name, p.province_id, p.number, p.position) for p in parties] == [
        ("Dinas Perindustrian dan Perdagangan Provinsi Jawa Timur", "35", NUMBER, 0),
        ("Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Selatan", "63", "", 1),
    ]
    assert (agreement.owner, agreement.mission, agreement.version) == (jatim, mission, 1)
    assert event.after["parties"][0]["number"] == NUMBER
    assert event.actor == jatim_manager


def test_an_agreement_needs_two_distinct_parties(jatim, kalsel, jatim_manager):
    with translation.override("en"), pytest.raises(ValidationError) as one:
        make_agreement(jatim_manager, jatim, [party("Pemerintah Provinsi Jawa Timur", jatim)])
    assert codes(one.value) == {"parties": ["parties_min"]}
    assert "at least two parties" in one.value.message_dict["parties"][0]
    with pytest.raises(ValidationError) as twice:
        make_agreement(
            jatim_manager,
            jatim,
            [party("Pemprov Jatim", jatim), party("PEMPROV JATIM", jatim)],
        )
    assert codes(twice.value) == {"parties": ["party_duplicate"]}
    with translation.override("en"), pytest.raises(ValidationError) as unnamed:
        make_agreement(jatim_manager, jatim, [party("Pemprov Jatim", jatim), party("", kalsel)])
    assert codes(unnamed.value) == {"parties": ["required"]}
    assert unnamed.value.message_dict["parties"][0].startswith("Party 2:")
    assert Agreement.all_objects.count() == 0


def test_the_official_number_is_unique_per_party_not_across_the_country(
    jatim, kalsel, jatim_manager, kalsel_manager
):
    make_agreement(jatim_manager, jatim, two_parties(jatim, kalsel, NUMBER))
    # The same party (whatever the case of its name) may not use the number again.
    parties = [
        party("dinas perindustrian dan perdagangan provinsi jawa timur", jatim, NUMBER),
        party("PT Sumber Pangan Lestari", None, kind="business"),
    ]
    with pytest.raises(ValidationError) as taken:
        make_agreement(jatim_manager, jatim, parties, title="PKS kedua")
    assert codes(taken.value) == {"number": ["number_taken"]}
    message = taken.value.message_dict["number"][0]
    assert "dinas perindustrian dan perdagangan provinsi jawa timur" in message
    assert NUMBER in message
    assert taken.value.error_dict["number"][0].params["index"] == 1
    # Another party may have the same text as its own number.
    other = [
        party("Pemerintah Provinsi Kalimantan Selatan", kalsel, NUMBER),
        party("Pemerintah Provinsi Jawa Timur", jatim),
    ]
    make_agreement(kalsel_manager, kalsel, other, title="PKS Kalsel")
    with scopes_disabled():
        assert AgreementParty.objects.filter(number=NUMBER).count() == 2


def test_a_number_lost_to_a_concurrent_writer_is_still_a_field_error(
    jatim, kalsel, jatim_manager, monkeypatch
):
    """The pre-check passes (the other writer has not committed yet); the
    database constraint then refuses, and the answer names the party's number."""
    make_agreement(jatim_manager, jatim, two_parties(jatim, kalsel, NUMBER))
    real = agreements_domain._check_numbers
    calls = []

    def blind_first(errors, parties, *, agreement_pk):
        calls.append(1)
        if len(calls) > 1:
            real(errors, parties, agreement_pk=agreement_pk)

    monkeypatch.setattr(agreements_domain, "_check_numbers", blind_first)
    with pytest.raises(ValidationError) as taken:
        make_agreement(jatim_manager, jatim, two_parties(jatim, kalsel, NUMBER), title="Kedua")
    assert codes(taken.value) == {"number": ["number_taken"]}
    assert Agreement.all_objects.count() == 1


def test_dates_validity_and_signing(jatim, kalsel, jatim_manager):
    with pytest.raises(ValidationError) as period:
        make_agreement(
            jatim_manager,
            jatim,
            two_parties(jatim, kalsel),
            valid_from=dt.date(2022, 4, 13),
            valid_until=dt.date(2022, 4, 12),
        )
    assert codes(period.value) == {"valid_until": ["valid_period"]}
    # NOW is 28 November 2026 in Surabaya: the 29th is tomorrow.
    with pytest.raises(ValidationError) as future:
        make_agreement(
            jatim_manager,
            jatim,
            two_parties(jatim, kalsel),
            signed_on=dt.date(2026, 11, 29),
            valid_from=dt.date(2026, 11, 29),
        )
    assert codes(future.value) == {"signed_on": ["future"]}
    today = make_agreement(
        jatim_manager,
        jatim,
        two_parties(jatim, kalsel),
        signed_on=dt.date(2026, 11, 28),
        valid_from=None,
        valid_until=dt.date(2026, 11, 28),
    )
    assert today.valid_from == dt.date(2026, 11, 28)  # from the signing date


def test_the_mission_must_be_visible_in_the_recording_province(
    jatim, kalsel, bali, jatim_manager, kalsel_admin, mission
):
    kalsel_bali = new_mission(kalsel_admin, kalsel, bali, slug="kalsel-bali")
    with pytest.raises(ValidationError) as hidden:
        make_agreement(jatim_manager, jatim, two_parties(jatim, kalsel), mission=kalsel_bali)
    assert codes(hidden.value) == {"mission": ["mission_scope"]}
    # The host may record an agreement at the organiser's mission.
    hosted = make_agreement(
        kalsel_admin,
        kalsel,
        [party("Pemprov Kalsel", kalsel), party("Pemprov Jatim", jatim)],
        mission=mission,
    )
    assert hosted.mission == mission


def test_update_checks_the_version_and_keeps_parties_by_id(jatim, kalsel, jatim_manager, pks):
    with scopes_disabled():
        first, second = pks.parties.order_by("position")
    rows = [
        {"id": first.pk, **party(first.name, jatim, "12.23/86/PKS/011.3/2022-REV")},
        {"id": second.pk, **party(second.name, kalsel, second.number)},
        party("PT Sumber Pangan Lestari", None, kind="business"),
    ]
    updated = domain.agreement_update(
        actor=jatim_manager, agreement=pks, version=1, parties=rows, title="PKS (revisi)", now=NOW
    )
    with scopes_disabled():
        after = list(updated.parties.order_by("position"))
        event = AuditEvent.objects.get(action="agreements.agreement.changed")
    assert (updated.version, updated.title) == (2, "PKS (revisi)")
    assert [p.pk for p in after[:2]] == [first.pk, second.pk]
    assert after[0].number == "12.23/86/PKS/011.3/2022-REV"
    assert after[2].name == "PT Sumber Pangan Lestari"
    assert event.before["title"] == "PKS Perdagangan Antar Daerah"
    assert event.after["version"] == 2
    with pytest.raises(ValidationError) as stale:
        domain.agreement_update(actor=jatim_manager, agreement=pks, version=1, title="Lagi")
    assert stale.value.code == "conflict"
    assert Agreement.all_objects.get(pk=pks.pk).title == "PKS (revisi)"


def test_a_party_responsible_for_an_action_item_cannot_be_removed(jatim, jatim_manager, pks):
    with scopes_disabled():
        first, second = pks.parties.order_by("position")
    with pytest.raises(ValidationError) as in_use:
        domain.agreement_update(
            actor=jatim_manager,
            agreement=pks,
            version=1,
            parties=[
                {"id": first.pk, **party(first.name, jatim, first.number)},
                party("Pemerintah Provinsi Kalimantan Selatan", None),
            ],
        )
    assert codes(in_use.value) == {"parties": ["party_in_use"]}
    assert second.name in in_use.value.message_dict["parties"][0]


def test_terminating_needs_a_reason_and_freezes_the_agreement(jatim_manager, pks):
    with pytest.raises(ValidationError) as no_reason:
        domain.agreement_terminate(
            actor=jatim_manager, agreement=pks, version=1, reason=" ", now=NOW
        )
    assert codes(no_reason.value) == {"reason": ["required"]}
    ended = domain.agreement_terminate(
        actor=jatim_manager,
        agreement=pks,
        version=1,
        reason="Digantikan PKS baru",
        terminated_on=dt.date(2026, 11, 1),
        now=NOW,
    )
    assert (ended.status, ended.terminated_on, ended.version) == (
        "terminated",
        dt.date(2026, 11, 1),
        2,
    )
    with pytest.raises(ValidationError) as frozen:
        domain.agreement_update(actor=jatim_manager, agreement=ended, version=2, title="X")
    assert frozen.value.code == "terminated"
    item = ActionItem.all_objects.filter(agreement=pks).first()
    with pytest.raises(ValidationError) as no_notes:
        domain.action_item_note_add(actor=jatim_manager, item=item, text="Masih jalan", now=NOW)
    assert no_notes.value.code == "terminated"


def test_action_item_status_done_sets_the_done_date(jatim_manager, pks):
    item = ActionItem.all_objects.get(agreement=pks, title="Evaluasi tahunan")
    assert (item.status, item.done_on, item.owner_name) == ("open", None, "Biro Perekonomian")
    done = domain.action_item_update(
        actor=jatim_manager, item=item, version=1, status=ActionItemStatus.DONE, now=NOW
    )
    assert (done.status, done.done_on, done.version) == ("done", dt.date(2026, 11, 28), 2)
    reopened = domain.action_item_update(
        actor=jatim_manager, item=done, version=2, status=ActionItemStatus.IN_PROGRESS, now=NOW
    )
    assert (reopened.status, reopened.done_on) == ("in_progress", None)
    with pytest.raises(ValidationError) as stale:
        domain.action_item_update(actor=jatim_manager, item=item, version=1, due_on=None)
    assert stale.value.code == "conflict"


def test_a_party_from_another_agreement_cannot_be_responsible(jatim, kalsel, jatim_manager, pks):
    other = make_agreement(jatim_manager, jatim, two_parties(jatim, kalsel), title="Lain")
    with scopes_disabled():
        stranger = other.parties.first()
    with pytest.raises(ValidationError) as wrong:
        domain.action_item_create(
            actor=jatim_manager, agreement=pks, title="X", owner_party=stranger, now=NOW
        )
    assert codes(wrong.value) == {"owner_party": ["owner_party"], "owner_name": ["required"]}


def test_a_progress_note_is_dated_and_may_close_the_item(jatim_manager, kalsel_manager, pks):
    item = ActionItem.all_objects.get(agreement=pks, title="Temu bisnis lanjutan di Surabaya")
    with pytest.raises(ValidationError) as future:
        domain.action_item_note_add(
            actor=jatim_manager, item=item, text="Besok", written_on=dt.date(2026, 11, 29), now=NOW
        )
    assert codes(future.value) == {"written_on": ["future"]}
    with pytest.raises(ValidationError) as empty:
        domain.action_item_note_add(actor=jatim_manager, item=item, text="  ", now=NOW)
    assert codes(empty.value) == {"text": ["required"]}
    note = domain.action_item_note_add(
        actor=kalsel_manager,
        item=item,
        text="Temu bisnis terlaksana; 20 pasang pertemuan.",
        written_on=dt.date(2026, 11, 20),
        status="done",
        now=NOW,
    )
    item.refresh_from_db()
    assert (note.status_after, note.written_by, note.written_on) == (
        "done",
        kalsel_manager,
        dt.date(2026, 11, 20),
    )
    assert (item.status, item.done_on, item.version) == ("done", dt.date(2026, 11, 20), 2)
    plain = domain.action_item_note_add(
        actor=jatim_manager, item=item, text="Laporan dikirim", now=NOW
    )
    assert (plain.status_after, plain.written_on) == ("", dt.date(2026, 11, 28))
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="agreements.action_item_note.added").count() == 2
