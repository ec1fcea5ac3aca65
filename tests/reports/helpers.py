"""A small follow-up world for the report tests: ledger deals recorded through the
missions domain, and lifecycle, realization and verification rows written
directly with the models (the realization domain functions are tested with
their own app), on fixed dates."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.missions import domain as missions_domain
from niaga.missions.domain import DealInput
from niaga.missions.models import Business, Deal, LedgerState
from niaga.realization.models import (
    DealEvent,
    RealizationEntry,
    RealizationEntryKind,
    RealizationKind,
    Verification,
)

_keys = itertools.count(1)
WITA = dt.timezone(dt.timedelta(hours=8))
# The test world's "today" (the brief's date) and the mission's day.
TODAY = dt.date(2026, 11, 28)
MISSION_AT = dt.datetime(2022, 4, 13, 15, 0, tzinfo=WITA)


def record_deal(
    actor,
    mission,
    seller,
    buyer,
    value_idr: int,
    *,
    commodity: str = "Telur ayam ras",
    direction: str = "sell",
    stage: str = "kontrak",
    volume: Decimal | None = None,
    unit: str = "",
    at: dt.datetime = MISSION_AT,
    confirm: bool = False,
) -> Deal:
    """A ledger deal, recorded as a desk would, then dated to `at` (the mission day)."""
    deal, _created = missions_domain.deal_record(
        actor=actor,
        mission=mission,
        key=f"uji-{next(_keys):06d}",
        data=DealInput(
            direction=direction,
            seller_id=seller.pk,
            buyer_id=buyer.pk,
            commodity=commodity,
            value_idr=value_idr,
            stage=stage,
            volume=volume,
            unit=unit,
        ),
        confirm_large=confirm,
    )
    with scopes_disabled():
        Deal.objects.filter(pk=deal.pk).update(recorded_at=at)
        LedgerState.objects.filter(mission=mission).update(last_recorded_at=at)
    deal.recorded_at = at
    return deal


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=WITA)


def move(deal, actor, to_stage: str, on: dt.date, *, from_stage: str | None = None):
    with scopes_disabled():
        return DealEvent.objects.create(
            deal=deal,
            from_stage=from_stage or deal.stage,
            to_stage=to_stage,
            occurred_on=on,
            reason="batal: uji" if to_stage == "batal" else "",
            recorded_by=actor,
            recorded_at=_noon(on),
        )


def entry(deal, actor, kind: str, value_idr: int, on: dt.date) -> RealizationEntry:
    with scopes_disabled():
        return RealizationEntry.objects.create(
            deal=deal,
            kind=kind,
            occurred_on=on,
            value_idr=value_idr,
            recorded_by=actor,
            recorded_at=_noon(on),
            idempotency_key=f"entry-{next(_keys):06d}",
        )


def deliver(deal, actor, value_idr: int, on: dt.date) -> RealizationEntry:
    return entry(deal, actor, RealizationKind.DELIVERY, value_idr, on)


def pay(deal, actor, value_idr: int, on: dt.date) -> RealizationEntry:
    return entry(deal, actor, RealizationKind.PAYMENT, value_idr, on)


def reverse(original: RealizationEntry, actor, on: dt.date) -> RealizationEntry:
    with scopes_disabled():
        return RealizationEntry.objects.create(
            deal=original.deal,
            kind=original.kind,
            entry_kind=RealizationEntryKind.REVERSAL,
            reverses=original,
            occurred_on=on,
            value_idr=-original.value_idr,
            reason="salah catat",
            recorded_by=actor,
            recorded_at=_noon(on),
            idempotency_key=f"entry-{next(_keys):06d}",
        )


def verify(deal, actor, status: str, on: dt.date) -> Verification:
    with scopes_disabled():
        return Verification.objects.create(
            deal=deal, status=status, verified_by=actor, verified_at=_noon(on)
        )


def set_contact(participant, name: str, phone: str) -> None:
    with scopes_disabled():
        Business.objects.filter(pk=participant.business_id).update(
            contact_name=name, contact_phone=phone
        )


def entry_sums(mission) -> dict[str, int]:
    """The realization entries of the mission summed directly, per kind."""
    with scopes_disabled():
        rows = (
            RealizationEntry.objects.filter(deal__mission=mission)
            .values("kind")
            .annotate(total=Sum("value_idr"))
        )
        sums = {r["kind"]: r["total"] for r in rows}
    return {"delivery": sums.get("delivery", 0), "payment": sums.get("payment", 0)}


def now_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)), WITA)
