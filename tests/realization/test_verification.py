"""Verification findings: who may give them, what they need."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from niaga.accounts.models import Membership, Role
from niaga.accounts.queries import forget_roles
from niaga.audit.models import AuditEvent
from niaga.realization import domain
from niaga.realization.models import Verification
from niaga.realization.queries import deal_state
from tests.conftest import make_user
from tests.realization.conftest import at
from tests.realization.test_lifecycle import codes

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 5, 10)


def pay(actor, deal, value=40_000_000):
    return domain.realization_record(
        actor=actor,
        deal=deal,
        kind="payment",
        occurred_on=DAY,
        value_idr=value,
        idempotency_key=f"bayar-{deal.pk}-{value}",
        now=at(DAY),
    )


def test_the_mission_provinces_verifiers_may_verify(eggs, jatim_verifier, kalsel_verifier):
    finding = domain.verification_record(actor=jatim_verifier, deal=eggs, status="verified")
    assert deal_state(eggs.pk).verification == "verified"
    # The host province's verifier (Bank Indonesia Kalsel) too; the latest finding counts.
    domain.verification_record(
        actor=kalsel_verifier, deal=eggs, status="disputed", note="Faktur tidak cocok"
    )
    assert deal_state(eggs.pk).verification == "disputed"
    with scopes_disabled():
        audit = AuditEvent.objects.filter(action="realization.verification.recorded")
        assert audit.count() == 2
        assert audit.order_by("id").first().object_id == str(finding.pk)


@pytest.mark.parametrize("who", ["jatim_desk", "jatim_admin", "bali_verifier", "kalsel_admin"])
def test_others_may_not_verify(request, eggs, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        domain.verification_record(actor=user, deal=eggs, status="verified")
    with scopes_disabled():
        assert not Verification.objects.exists()


def test_a_verifier_who_also_follows_up_may_not_verify(eggs, jatim, jatim_verifier):
    with scopes_disabled():
        Membership.objects.create(user=jatim_verifier, province=jatim, role=Role.DESK_OFFICER)
    forget_roles(jatim_verifier)
    with pytest.raises(PermissionDenied):
        domain.verification_record(actor=jatim_verifier, deal=eggs, status="verified")


def test_the_recorder_cannot_verify_their_own_entry_or_deal(eggs, jatim):
    # Was a desk officer when recording, became a verifier later.
    former = make_user("mantan-petugas", province=jatim, roles=[Role.DESK_OFFICER])
    entry = pay(former, eggs)
    with scopes_disabled():
        Membership.objects.filter(user=former).update(role=Role.VERIFIER)
    forget_roles(former)
    with pytest.raises(ValidationError) as refused:
        domain.verification_record(actor=former, deal=eggs, entry=entry, status="verified")
    assert codes(refused.value) == {"entry": {"own_record"}}
    with pytest.raises(ValidationError) as refused:
        domain.verification_record(actor=former, deal=eggs, status="verified")
    assert codes(refused.value) == {"deal": {"own_record"}}


def test_an_entry_finding_and_its_rules(deals, jatim_desk, jatim_verifier):
    eggs, coffee = deals["eggs"], deals["coffee"]
    entry = pay(jatim_desk, eggs)
    finding = domain.verification_record(
        actor=jatim_verifier, deal=eggs, entry=entry, status="verified", note="Rekening koran"
    )
    assert finding.entry_id == entry.pk
    # An entry-level finding is not the deal's status.
    assert deal_state(eggs.pk).verification is None
    with pytest.raises(ValidationError) as refused:
        domain.verification_record(
            actor=jatim_verifier, deal=coffee, entry=entry, status="verified"
        )
    assert codes(refused.value) == {"entry": {"entry"}}
    with pytest.raises(ValidationError) as refused:
        domain.verification_record(actor=jatim_verifier, deal=eggs, status="disputed", note=" ")
    assert codes(refused.value) == {"note": {"required"}}
    with pytest.raises(ValidationError) as refused:
        domain.verification_record(actor=jatim_verifier, deal=eggs, status="ok")
    assert codes(refused.value) == {"status": {"choice"}}
