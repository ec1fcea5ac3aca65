"""Stage moves: every transition allowed or refused, dates, idempotency, audit."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from niaga.audit.models import AuditEvent
from niaga.missions import domain as missions
from niaga.realization import domain
from niaga.realization.models import STAGE_ORDER, DealEvent, LifecycleStage
from niaga.realization.queries import deal_state
from tests.realization.conftest import NOW, TODAY, at

pytestmark = pytest.mark.django_db

STAGES = LifecycleStage.values
ORDERED = [s for s in STAGES if s in STAGE_ORDER]


def codes(error: ValidationError) -> dict[str, set[str]]:
    return {field: {e.code for e in errors} for field, errors in error.error_dict.items()}


def expected_ordinary(current: str, target: str, reason: str) -> str | None:
    """The rules of the issue, written out independently of the code under test."""
    if target == current:
        return "same_stage"
    if current == "batal":
        return "cancelled"
    if current == "dibayar":
        return "paid"
    if target == "batal":
        return None if reason else "required"
    if ORDERED.index(target) < ORDERED.index(current):
        return "backwards"
    return None


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STAGES, STAGES)))
@pytest.mark.parametrize("reason", ["", "Harga tidak disepakati"])
def test_every_ordinary_move_follows_the_rules(current, target, reason):
    problem = domain.move_error(current, target, is_correction=False, reason=reason)
    assert (problem[1] if problem else None) == expected_ordinary(current, target, reason)


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STAGES, STAGES)))
def test_a_correction_may_go_anywhere_else_but_needs_a_reason(current, target):
    with_reason = domain.move_error(current, target, is_correction=True, reason="Salah catat")
    without = domain.move_error(current, target, is_correction=True, reason="")
    if current == target:
        assert with_reason[1] == without[1] == "same_stage"
    else:
        assert with_reason is None
        assert without[:2] == ("reason", "required")


def test_the_page_offers_forward_moves_and_cancelling():
    assert domain.allowed_targets("komitmen") == ["kontrak", "terkirim", "dibayar", "batal"]
    assert domain.allowed_targets("terkirim") == ["dibayar", "batal"]
    assert domain.allowed_targets("dibayar") == []
    assert domain.allowed_targets("batal") == []


def move(actor, deal, to_stage, day=dt.date(2022, 5, 2), **extra):
    extra.setdefault("now", at(day, 14))
    return domain.deal_move_stage(
        actor=actor, deal=deal, to_stage=to_stage, occurred_on=day, **extra
    )


def stage_of(deal) -> str:
    return deal_state(deal.pk).current_stage


def test_a_deal_moves_forward_skipping_stages_and_keeps_its_history(eggs, jatim_desk):
    assert stage_of(eggs) == "komitmen"
    event = move(jatim_desk, eggs, "terkirim", note="Dikirim dengan truk")
    assert (event.from_stage, event.to_stage, event.is_automatic) == ("komitmen", "terkirim", False)
    assert stage_of(eggs) == "terkirim"
    move(jatim_desk, eggs, "dibayar", dt.date(2022, 5, 20))
    assert stage_of(eggs) == "dibayar"
    with scopes_disabled():
        history = list(DealEvent.objects.filter(deal=eggs).values_list("from_stage", "to_stage"))
        # The ledger entry itself is never edited.
        assert eggs.__class__.objects.get(pk=eggs.pk).stage == "komitmen"
    assert history == [("komitmen", "terkirim"), ("terkirim", "dibayar")]


def test_moving_back_is_refused_unless_a_correction_with_a_reason(eggs, jatim_desk):
    move(jatim_desk, eggs, "kontrak")
    with pytest.raises(ValidationError) as refused:
        move(jatim_desk, eggs, "komitmen", dt.date(2022, 5, 3))
    assert codes(refused.value) == {"to_stage": {"backwards"}}
    with pytest.raises(ValidationError) as refused:
        move(jatim_desk, eggs, "komitmen", dt.date(2022, 5, 3), is_correction=True)
    assert codes(refused.value) == {"reason": {"required"}}
    assert stage_of(eggs) == "kontrak"
    event = move(
        jatim_desk, eggs, "komitmen", dt.date(2022, 5, 3), is_correction=True, reason="Salah pilih"
    )
    assert event.is_correction and stage_of(eggs) == "komitmen"


def test_cancelling_needs_a_reason_and_ends_the_deal(eggs, jatim_desk):
    with pytest.raises(ValidationError) as refused:
        move(jatim_desk, eggs, "batal")
    assert codes(refused.value) == {"reason": {"required"}}
    move(jatim_desk, eggs, "batal", reason="Pembeli mundur")
    for target in ("kontrak", "dibayar", "komitmen"):
        with pytest.raises(ValidationError) as refused:
            move(jatim_desk, eggs, target, dt.date(2022, 5, 4))
        assert codes(refused.value) == {"to_stage": {"cancelled"}}
    move(jatim_desk, eggs, "kontrak", dt.date(2022, 5, 4), is_correction=True, reason="Batal urung")
    assert stage_of(eggs) == "kontrak"


def test_nothing_follows_paid_but_a_correction(eggs, jatim_desk):
    move(jatim_desk, eggs, "dibayar")
    for target in ("batal", "terkirim"):
        with pytest.raises(ValidationError) as refused:
            move(jatim_desk, eggs, target, dt.date(2022, 5, 5), reason="x")
        assert codes(refused.value) == {"to_stage": {"paid"}}


@pytest.mark.parametrize(
    ("day", "code"),
    [(dt.date(2022, 4, 12), "before_mission"), (TODAY + dt.timedelta(days=1), "future")],
)
def test_the_date_lies_between_the_mission_and_today(eggs, jatim_desk, day, code):
    with pytest.raises(ValidationError) as refused:
        domain.deal_move_stage(
            actor=jatim_desk, deal=eggs, to_stage="kontrak", occurred_on=day, now=NOW
        )
    assert codes(refused.value) == {"occurred_on": {code}}
    # The mission day itself and today are fine.
    domain.deal_move_stage(
        actor=jatim_desk, deal=eggs, to_stage="kontrak", occurred_on=TODAY, now=NOW
    )


def test_a_reversed_ledger_entry_is_not_followed_up(eggs, jatim_admin, jatim_desk):
    missions.deal_correct(actor=jatim_admin, deal=eggs, key="koreksi-telur-1", reason="Dobel")
    with pytest.raises(ValidationError) as refused:
        move(jatim_desk, eggs, "kontrak")
    assert codes(refused.value) == {"deal": {"not_live"}}


def test_the_same_key_and_move_is_recorded_once(eggs, jatim_desk):
    first = move(jatim_desk, eggs, "kontrak", idempotency_key="langkah-kontrak-01")
    again = move(jatim_desk, eggs, "kontrak", idempotency_key="langkah-kontrak-01")
    assert again.pk == first.pk and again.replayed and not first.replayed
    with pytest.raises(ValidationError) as refused:
        move(jatim_desk, eggs, "terkirim", idempotency_key="langkah-kontrak-01")
    assert codes(refused.value) == {"idempotency_key": {"idempotency_conflict"}}
    with scopes_disabled():
        assert DealEvent.objects.filter(deal=eggs).count() == 1


def test_a_move_is_audited(eggs, jatim_desk):
    event = move(jatim_desk, eggs, "batal", reason="Pembeli mundur")
    with scopes_disabled():
        audit = AuditEvent.objects.get(action="realization.deal.stage_moved")
    assert audit.object_id == str(event.pk)
    assert audit.actor == jatim_desk
    assert audit.before == {"stage": "komitmen"}
    assert audit.after["stage"] == "batal" and audit.after["reason"] == "Pembeli mundur"


def test_the_state_read_matches_live_deals(eggs, jatim_desk):
    """The domain's quick state read gives the figures `live_deals` gives."""
    from niaga.realization.domain import _live_state
    from niaga.realization.queries import live_deals

    move(jatim_desk, eggs, "kontrak")
    domain.realization_record(
        actor=jatim_desk,
        deal=eggs,
        kind="delivery",
        occurred_on=dt.date(2022, 5, 3),
        value_idr=1_000_000,
        idempotency_key="state-read-1",
        now=at(dt.date(2022, 5, 3)),
    )
    quick = _live_state(eggs.pk)
    with scopes_disabled():
        full = live_deals().get(pk=eggs.pk)
    fields = ("current_stage", "delivered_idr", "paid_idr", "value_idr")
    assert [getattr(quick, f) for f in fields] == [getattr(full, f) for f in fields]
    assert (quick.current_stage, quick.delivered_idr, quick.paid_idr) == ("kontrak", 1_000_000, 0)
