"""Every change to a mission's deal ledger: recording, correcting, announcing totals.
Views, the API, the desk and commands call only these (re-exported by `domain`).

The ledger's guarantees:
- A deal carries its client's idempotency key. Recording the same key again with
  the same payload returns the first entry and writes nothing; the same key
  with another payload is refused (`IdempotencyConflict`).
- Entries are only inserted. A correction appends a reversal (the negative of
  the original) and, if given, the corrected deal; an entry is reversed once.
- `LedgerState` changes in the same transaction as each entry, under a lock on
  that row, so the totals always equal the ledger's sum and concurrent desks
  are serialised per mission (on SQLite, BEGIN IMMEDIATE does the same).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.audit.domain import record, snapshot
from niaga.core.money import format_rupiah
from niaga.missions.models import (
    Deal,
    Direction,
    EntryKind,
    LedgerState,
    Mission,
    MissionStatus,
    Participant,
    Side,
    Snapshot,
    Stage,
)

MAX_VALUE_IDR = 100 * 10**12  # above Rp 100 triliun: refused
CONFIRM_ABOVE_IDR = 10**12  # above Rp 1 triliun: the officer confirms
DEAL_FIELDS = [
    "kind",
    "corrects",
    "direction",
    "seller",
    "buyer",
    "commodity",
    "hs_code",
    "volume",
    "unit",
    "value_idr",
    "stage",
    "note",
    "reason",
    "is_late",
    "recorded_at",
    "idempotency_key",
]


class IdempotencyConflict(Exception):
    """The key was used before for a different payload."""

    def __init__(self, existing: Deal):
        super().__init__("idempotency key reused with a different payload")
        self.existing = existing


class LedgerBusy(Exception):
    """The mission's ledger stayed locked too long; the client should retry."""


@dataclass(frozen=True)
class DealInput:
    """What a desk or the API sends for one deal. `value_idr` is integer rupiah."""

    direction: str
    seller_id: int
    buyer_id: int
    commodity: str
    value_idr: int
    stage: str
    hs_code: str = ""
    volume: Decimal | None = None
    unit: str = ""
    note: str = ""

    def fingerprint(self, **extra) -> str:
        data = {**asdict(self), **extra}
        data["volume"] = None if self.volume is None else str(Decimal(self.volume).normalize())
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _scoped(mission: Mission):
    return scope(province=mission.organiser)


def _validate(
    mission: Mission, data: DealInput, *, confirm_large: bool
) -> tuple[Participant, Participant]:
    """Check a deal's fields; every problem is reported at once, keyed by field,
    each with a stable code (the API reports it as the rule)."""
    errors: dict[str, list[ValidationError]] = {}

    def error(field: str, code: str, message: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if data.direction not in Direction.values:
        error("direction", "choice", _("Choose sell, buy or investment."))
    if data.stage not in Stage.values:
        error("stage", "choice", _("Choose potensi, komitmen or kontrak."))
    commodity = data.commodity.strip()
    if not commodity:
        error("commodity", "required", _("Name the commodity, e.g. telur ayam ras."))
    elif len(commodity) > 120:
        error("commodity", "max_length", _("A commodity name has at most 120 characters."))
    if data.hs_code and not (len(data.hs_code) == 8 and data.hs_code.isdigit()):
        error(
            "hs_code", "hs_code", _("An HS code has exactly 8 digits (BTKI 2022), e.g. 04072100.")
        )
    if data.volume is not None:
        volume = Decimal(data.volume)
        if volume < 0:
            error("volume", "min_value", _("The volume cannot be negative."))
        elif volume != volume.quantize(Decimal("0.001")) or volume >= Decimal(10) ** 15:
            error(
                "volume",
                "max_digits",
                _("A volume has at most 15 digits before the decimal comma and 3 after it."),
            )
    if len(data.unit.strip()) > 30:
        error("unit", "max_length", _("A unit has at most 30 characters, e.g. ton or karton."))
    value = data.value_idr
    if isinstance(value, bool) or not isinstance(value, int):
        error("value_idr", "integer", _("The value is a whole number of rupiah."))
    elif value <= 0:
        error("value_idr", "min_value", _("The value must be above zero."))
    elif value > MAX_VALUE_IDR:
        error(
            "value_idr",
            "max_value",
            _("Values above %(limit)s are refused; check the number of digits.")
            % {"limit": format_rupiah(MAX_VALUE_IDR)},
        )
    elif value > CONFIRM_ABOVE_IDR and not confirm_large:
        error(
            "value_idr",
            "confirm",
            _("The value is above %(limit)s: confirm that %(value)s is right.")
            % {"limit": format_rupiah(CONFIRM_ABOVE_IDR), "value": format_rupiah(value)},
        )

    participants = {
        p.pk: p
        for p in Participant.objects.filter(
            mission=mission, pk__in=[data.seller_id, data.buyer_id]
        ).select_related("business")
    }
    seller, buyer = participants.get(data.seller_id), participants.get(data.buyer_id)
    if seller is None:
        error("seller_id", "participant", _("The seller is not a participant of this mission."))
    if buyer is None:
        error("buyer_id", "participant", _("The buyer is not a participant of this mission."))
    if seller is not None and buyer is not None and data.direction in Direction.values:
        if seller.side == buyer.side:
            error(
                "buyer_id", "side", _("Seller and buyer must be on opposite sides of the mission.")
            )
        elif data.direction == Direction.SELL and seller.side != Side.ORGANISER:
            error(
                "seller_id",
                "side",
                _("In a sale (jual) the seller is from the organising province."),
            )
        elif data.direction == Direction.BUY and seller.side != Side.HOST:
            error(
                "seller_id", "side", _("In a purchase (beli) the seller is from the host province.")
            )
    if errors:
        raise ValidationError(errors)
    return seller, buyer


def _append(
    mission: Mission,
    *,
    actor,
    key: str,
    fingerprint: str,
    kind: str,
    data: DealInput,
    value_idr: int,
    corrects: Deal | None,
    reason: str,
    is_late: bool,
    now,
) -> Deal:
    """Insert one ledger entry and move the totals with it. Caller holds the ledger lock."""
    deal = Deal.objects.create(
        mission=mission,
        kind=kind,
        corrects=corrects,
        direction=data.direction,
        seller_id=data.seller_id,
        buyer_id=data.buyer_id,
        commodity=data.commodity.strip(),
        hs_code=data.hs_code,
        volume=data.volume,
        unit=data.unit.strip(),
        value_idr=value_idr,
        stage=data.stage,
        note=data.note.strip(),
        reason=reason,
        is_late=is_late,
        recorded_by=actor,
        recorded_at=now,
        idempotency_key=key,
        payload_hash=fingerprint,
    )
    direction_total = {
        Direction.SELL: "sell_idr",
        Direction.BUY: "buy_idr",
        Direction.INVEST: "invest_idr",
    }[data.direction]
    LedgerState.objects.filter(mission=mission).update(
        version=F("version") + 1,
        total_idr=F("total_idr") + value_idr,
        count=F("count") + (-1 if kind == EntryKind.REVERSAL else 1),
        last_recorded_at=now,
        **{direction_total: F(direction_total) + value_idr},
    )
    return deal


def _replay(mission: Mission, key: str, fingerprint: str) -> Deal | None:
    existing = Deal.objects.filter(mission=mission, idempotency_key=key).first()
    if existing is None:
        return None
    if existing.payload_hash != fingerprint:
        raise IdempotencyConflict(existing)
    return existing


CORRECTION_KEY_SUFFIX = ":new"  # the corrected deal's key: "<correction key>:new"


def _check_key(key: str) -> str:
    key = (key or "").strip()
    # 76 leaves room for the suffix within the column's 80 characters.
    if not 8 <= len(key) <= 76 or not key.isprintable() or key.endswith(CORRECTION_KEY_SUFFIX):
        raise ValidationError(
            {
                "idempotency_key": ValidationError(
                    _(
                        "The idempotency key must be 8 to 76 printable characters, "
                        "not ending in “:new”."
                    ),
                    code="idempotency_key",
                )
            }
        )
    return key


def _lock_ledger(mission: Mission) -> None:
    try:
        LedgerState.objects.select_for_update().get(mission=mission)
    except OperationalError as error:  # lock or busy timeout
        raise LedgerBusy() from error


def deal_record(
    *, actor, mission: Mission, key: str, data: DealInput, confirm_large: bool = False
) -> tuple[Deal, bool]:
    """Record one deal in the mission's ledger, exactly once per idempotency key.

    Returns (deal, created). A replay of the same key and payload returns the
    first entry with created=False. Preconditions: the caller checked
    `missions.record_deal`. Errors: ValidationError (fields, closed mission),
    IdempotencyConflict, LedgerBusy. Writes the deal, the totals and an audit event.
    """
    key = _check_key(key)
    fingerprint = data.fingerprint(kind=EntryKind.ORIGINAL)
    with _scoped(mission):
        existing = _replay(mission, key, fingerprint)
        if existing is not None:
            return existing, False
        late = mission.status == MissionStatus.CLOSED
        if mission.status == MissionStatus.PLANNED:
            raise ValidationError(
                {"mission": ValidationError(_("This mission is not open yet."), code="not_open")}
            )
        if late and not actor.has_perm("missions.manage_mission", mission):
            raise ValidationError(
                {
                    "mission": ValidationError(
                        _("This mission is closed; only a mission manager can add late entries."),
                        code="closed",
                    )
                }
            )
        _validate(mission, data, confirm_large=confirm_large)
        try:
            with transaction.atomic():
                _lock_ledger(mission)
                # Another request with this key may have committed while we waited.
                existing = _replay(mission, key, fingerprint)
                if existing is not None:
                    return existing, False
                deal = _append(
                    mission,
                    actor=actor,
                    key=key,
                    fingerprint=fingerprint,
                    kind=EntryKind.ORIGINAL,
                    data=data,
                    value_idr=data.value_idr,
                    corrects=None,
                    reason="",
                    is_late=late,
                    now=timezone.now(),
                )
                record(
                    actor=actor,
                    action="missions.deal.recorded",
                    province=mission.organiser,
                    obj=deal,
                    after=snapshot(deal, DEAL_FIELDS),
                )
        except IntegrityError:
            existing = _replay(mission, key, fingerprint)
            if existing is None:
                raise
            return existing, False
        return deal, True


def deal_correct(
    *,
    actor,
    deal: Deal,
    key: str,
    reason: str,
    corrected: DealInput | None = None,
    confirm_large: bool = False,
) -> tuple[Deal, Deal | None, bool]:
    """Reverse a recorded deal and, when `corrected` is given, record the right one.

    Returns (reversal, correction or None, created). Idempotent on `key` like
    `deal_record`. Errors: ValidationError (no reason, not an original or
    correction entry, already reversed, bad corrected fields), IdempotencyConflict.
    """
    key = _check_key(key)
    mission = deal.mission
    reason = (reason or "").strip()
    extra = {"corrects": deal.pk, "reason": reason, "corrected": corrected is not None}
    fingerprint = (corrected or _as_input(deal)).fingerprint(kind="correct", **extra)
    with _scoped(mission):
        existing = _replay(mission, key, fingerprint)
        if existing is not None:
            return existing, _correction_of(existing), False
        if not reason:
            raise ValidationError(
                {"reason": ValidationError(_("Say why the deal is corrected."), code="required")}
            )
        if len(reason) > 300:
            raise ValidationError(
                {
                    "reason": ValidationError(
                        _("A reason has at most 300 characters."), code="max_length"
                    )
                }
            )
        if mission.status == MissionStatus.CLOSED and not actor.has_perm(
            "missions.manage_mission", mission
        ):
            raise ValidationError(
                {
                    "mission": ValidationError(
                        _("This mission is closed; only a mission manager can correct its deals."),
                        code="closed",
                    )
                }
            )
        if deal.kind == EntryKind.REVERSAL:
            raise ValidationError({"deal": _("A reversal entry cannot itself be corrected.")})
        if corrected is not None:
            _validate(mission, corrected, confirm_large=confirm_large)
        late = mission.status == MissionStatus.CLOSED
        try:
            with transaction.atomic():
                _lock_ledger(mission)
                existing = _replay(mission, key, fingerprint)
                if existing is not None:
                    return existing, _correction_of(existing), False
                if Deal.objects.filter(corrects=deal, kind=EntryKind.REVERSAL).exists():
                    raise ValidationError({"deal": _("This deal has already been corrected.")})
                now = timezone.now()
                reversal = _append(
                    mission,
                    actor=actor,
                    key=key,
                    fingerprint=fingerprint,
                    kind=EntryKind.REVERSAL,
                    data=_as_input(deal),
                    value_idr=-deal.value_idr,
                    corrects=deal,
                    reason=reason,
                    is_late=late,
                    now=now,
                )
                correction = None
                if corrected is not None:
                    correction = _append(
                        mission,
                        actor=actor,
                        key=key + CORRECTION_KEY_SUFFIX,
                        fingerprint=fingerprint,
                        kind=EntryKind.CORRECTION,
                        data=corrected,
                        value_idr=corrected.value_idr,
                        corrects=deal,
                        reason=reason,
                        is_late=late,
                        now=now,
                    )
                record(
                    actor=actor,
                    action="missions.deal.corrected",
                    province=mission.organiser,
                    obj=deal,
                    before=snapshot(deal, DEAL_FIELDS),
                    after=snapshot(correction, DEAL_FIELDS) if correction else {"reversed": True},
                )
        except IntegrityError:
            existing = _replay(mission, key, fingerprint)
            if existing is None:
                raise
            return existing, _correction_of(existing), False
        return reversal, correction, True


def _as_input(deal: Deal) -> DealInput:
    return DealInput(
        direction=deal.direction,
        seller_id=deal.seller_id,
        buyer_id=deal.buyer_id,
        commodity=deal.commodity,
        value_idr=abs(deal.value_idr),
        stage=deal.stage,
        hs_code=deal.hs_code,
        volume=deal.volume,
        unit=deal.unit,
        note=deal.note,
    )


def _correction_of(reversal: Deal) -> Deal | None:
    return Deal.objects.filter(
        mission=reversal.mission, idempotency_key=reversal.idempotency_key + CORRECTION_KEY_SUFFIX
    ).first()


def snapshot_announce(*, actor, mission: Mission) -> Snapshot:
    """Record the current total and count as announced now ("Umumkan total")."""
    with _scoped(mission), transaction.atomic():
        state = LedgerState.objects.select_for_update().get(mission=mission)
        announced = Snapshot.objects.create(
            mission=mission,
            announced_at=timezone.now(),
            total_idr=state.total_idr,
            count=state.count,
            announced_by=actor,
        )
        record(
            actor=actor,
            action="missions.snapshot.announced",
            province=mission.organiser,
            obj=mission,
            after={"total_idr": state.total_idr, "count": state.count},
        )
    return announced
