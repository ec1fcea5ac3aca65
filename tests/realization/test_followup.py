"""Follow-up: contacts, the responsible officer, settings, stale deals on a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from niaga.audit.models import AuditEvent
from niaga.realization import domain, followup
from niaga.realization.models import DEFAULT_STALE_AFTER_DAYS, DealAssignment
from tests.realization.conftest import at
from tests.realization.test_lifecycle import codes

pytestmark = pytest.mark.django_db
MISSION_DAY = dt.date(2022, 4, 13)


def stale_ids(mission, today):
    return {row.deal.pk for row in followup.stale_deals_of_mission(mission, today=today)}


def test_deals_become_stale_after_n_days_without_progress(mission, deals):
    assert DEFAULT_STALE_AFTER_DAYS == 30
    everything = {d.pk for d in deals.values()}
    assert stale_ids(mission, MISSION_DAY + dt.timedelta(days=29)) == set()
    assert stale_ids(mission, MISSION_DAY + dt.timedelta(days=30)) == everything


def test_progress_resets_the_clock_but_a_contact_does_not(mission, deals, jatim_desk):
    eggs, coffee = deals["eggs"], deals["coffee"]
    day = dt.date(2022, 5, 1)
    domain.deal_move_stage(
        actor=jatim_desk, deal=eggs, to_stage="kontrak", occurred_on=day, now=at(day)
    )
    domain.contact_record(
        actor=jatim_desk,
        deal=coffee,
        channel="call",
        party="buyer",
        contacted_on=day,
        outcome="Menunggu anggaran",
        now=at(day),
    )
    today = dt.date(2022, 5, 20)  # 37 days after the mission, 19 after the move
    assert stale_ids(mission, today) == {coffee.pk, deals["coal"].pk}
    row = next(r for r in followup.stale_deals_of_mission(mission, today=today) if r.deal == coffee)
    assert row.days_without_progress == 37
    assert row.last_contact.outcome == "Menunggu anggaran"
    assert (row.seller.name, row.buyer.name) == ("CV Kopi Ijen", "CV Batubara Tanah Laut")


def test_cancelled_and_fully_paid_deals_are_never_stale(mission, deals, jatim_desk):
    day = dt.date(2022, 4, 20)
    domain.deal_move_stage(
        actor=jatim_desk,
        deal=deals["eggs"],
        to_stage="batal",
        occurred_on=day,
        reason="Mundur",
        now=at(day),
    )
    domain.realization_record(
        actor=jatim_desk,
        deal=deals["coffee"],
        kind="payment",
        occurred_on=day,
        value_idr=40_000_000,
        idempotency_key="lunas-kopi-01",
        now=at(day),
    )
    assert stale_ids(mission, dt.date(2023, 1, 1)) == {deals["coal"].pk}


def test_each_province_sets_its_own_period(
    mission, deals, jatim, kalsel, jatim_admin, kalsel_world
):
    domain.followup_policy_set(
        actor=jatim_admin, province=jatim, stale_after_days=10, send_email_reminders=False
    )
    assert followup.stale_after_days(jatim) == 10
    assert followup.stale_after_days(kalsel) == DEFAULT_STALE_AFTER_DAYS
    day = MISSION_DAY + dt.timedelta(days=10)
    assert len(followup.stale_deals_of_province(jatim, today=day)) == 3
    assert followup.stale_deals_of_province(kalsel, today=day) == []
    assert len(followup.stale_deals_of_province(kalsel, today=day + dt.timedelta(days=20))) == 1
    with scopes_disabled():
        audit = AuditEvent.objects.get(action="realization.policy.changed")
    assert audit.after == {"stale_after_days": 10, "send_email_reminders": False}


@pytest.mark.parametrize(("days", "code"), [(0, "min_value"), (366, "max_value"), ("7", "integer")])
def test_the_period_is_one_day_to_a_year(jatim, jatim_admin, days, code):
    with pytest.raises(ValidationError) as refused:
        domain.followup_policy_set(
            actor=jatim_admin, province=jatim, stale_after_days=days, send_email_reminders=True
        )
    assert codes(refused.value) == {"stale_after_days": {code}}


def test_contacts_are_checked(eggs, jatim_desk):
    with pytest.raises(ValidationError) as refused:
        domain.contact_record(
            actor=jatim_desk,
            deal=eggs,
            channel="fax",
            party="nobody",
            contacted_on=dt.date(2030, 1, 1),
            outcome="",
        )
    assert codes(refused.value) == {
        "channel": {"choice"},
        "party": {"choice"},
        "contacted_on": {"future"},
        "outcome": {"required"},
    }


def test_the_responsible_officer_follows_up_in_the_organising_province(
    eggs, jatim_admin, jatim_desk, kalsel_admin, jatim_verifier
):
    first = domain.deal_assign(
        actor=jatim_admin, deal=eggs, officer=jatim_desk, now=at(MISSION_DAY)
    )
    assert first.officer == jatim_desk
    again = domain.deal_assign(actor=jatim_admin, deal=eggs, officer=jatim_admin)
    assert again.pk == first.pk and again.officer == jatim_admin
    for outsider in (kalsel_admin, jatim_verifier):
        with pytest.raises(ValidationError) as refused:
            domain.deal_assign(actor=jatim_admin, deal=eggs, officer=outsider)
        assert codes(refused.value) == {"officer": {"not_follow_up"}}
    with scopes_disabled():
        assert DealAssignment.objects.get().officer == jatim_admin
        audits = list(
            AuditEvent.objects.filter(action="realization.assignment.changed").order_by("id")
        )
    assert [a.after["officer"] for a in audits] == [jatim_desk.pk, jatim_admin.pk]
    assert audits[1].before == {"officer": jatim_desk.pk}


def test_reminders_go_to_the_officer_and_unassigned_deals_to_managers(
    mission, deals, jatim, jatim_admin, jatim_desk
):
    domain.deal_assign(actor=jatim_admin, deal=deals["eggs"], officer=jatim_desk)
    today = dt.date(2022, 6, 1)
    mine = followup.reminders_for(jatim_desk, jatim, manager=False, today=today)
    assert [r.deal.pk for r in mine] == [deals["eggs"].pk]
    managed = followup.reminders_for(jatim_admin, jatim, manager=True, today=today)
    assert {r.deal.pk for r in managed} == {deals["coffee"].pk, deals["coal"].pk}
