"""E-mail reminders: one digest per officer a day, never twice."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from niaga.accounts.models import User
from niaga.realization import domain
from niaga.realization.reminders import send_followup_reminders
from tests.realization.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def addressed(jatim_admin, jatim_desk, deals):
    User.objects.filter(pk=jatim_admin.pk).update(email="siti@jatimprov.go.id", language="en")
    User.objects.filter(pk=jatim_desk.pk).update(email="ahmad@jatimprov.go.id")
    jatim_admin.refresh_from_db()
    jatim_desk.refresh_from_db()
    domain.deal_assign(actor=jatim_admin, deal=deals["eggs"], officer=jatim_desk)
    return deals


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_each_officer_gets_one_digest_of_their_deals(addressed, jatim):
    outcome = send_followup_reminders(now=NOW, base_url="https://niaga.example.go.id/")
    assert (outcome.sent, outcome.already_sent) == (2, 0)
    messages = by_recipient()
    desk = messages["ahmad@jatimprov.go.id"]
    assert "Telur ayam ras" in desk.body and "Batubara" not in desk.body
    assert (
        f"https://niaga.example.go.id/province/jatim/realization/deals/{addressed['eggs'].pk}/"
        in desk.body
    )
    manager = messages["siti@jatimprov.go.id"]
    # Unassigned deals go to the managers.
    assert "Batubara" in manager.body and "Kopi arabika" in manager.body
    assert "Telur ayam ras" not in manager.body
    # In the language the person chose.
    assert manager.subject == f"Niaga: 2 deals of {jatim.name} need follow-up"


def test_nothing_is_sent_twice_the_same_day(addressed):
    send_followup_reminders(now=NOW)
    assert len(mail.outbox) == 2
    again = send_followup_reminders(now=NOW + dt.timedelta(hours=6))
    assert (again.sent, again.already_sent) == (0, 2)
    assert len(mail.outbox) == 2
    next_day = send_followup_reminders(now=NOW + dt.timedelta(days=1))
    assert next_day.sent == 2 and len(mail.outbox) == 4


def test_a_province_may_turn_e_mail_off(addressed, jatim, jatim_admin):
    domain.followup_policy_set(
        actor=jatim_admin, province=jatim, stale_after_days=30, send_email_reminders=False
    )
    assert send_followup_reminders(now=NOW).sent == 0
    assert mail.outbox == []


def test_nothing_is_sent_before_deals_are_stale(addressed):
    assert send_followup_reminders(now=NOW - dt.timedelta(days=40)).sent == 0


def test_people_without_an_address_are_skipped(deals, jatim_admin):
    outcome = send_followup_reminders(now=NOW)
    assert (outcome.sent, outcome.no_address) == (0, 1)
    assert mail.outbox == []


def test_the_command_sends_and_reports(addressed):
    out = io.StringIO()
    call_command("send_followup_reminders", "--dry-run", stdout=out)
    assert mail.outbox == [] and "would send" in out.getvalue()
    call_command("send_followup_reminders", stdout=out)
    assert len(mail.outbox) == 2
    assert "sent 2, already sent today 0" in out.getvalue()
