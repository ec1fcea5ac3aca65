"""Every change to what happens to a mission's commitments afterwards: stage
moves, deliveries and payments, verification findings, follow-up contacts,
the responsible officer and a province's follow-up settings. Views, the API,
commands and the demo call only these.

Shared rules:
- Only *live* ledger entries (`queries.live_deals`: an original or correction
  not reversed) move through the lifecycle or take realization entries.
- Nothing is edited: a stage move is a new `DealEvent`, a mistaken entry is
  cancelled by its reversal (a negative entry linked to it, at most once).
- Dates (`occurred_on`, `contacted_on`) may not lie in the future (the later
  of the organiser's and the host's local date at `now`) nor before the
  mission opened (its local date in the host province).
- Errors: `ValidationError({field: [ValidationError(message, code=...)]})`,
  every message naming the field and the rule; nothing is written then.
- Each write runs in one transaction with its audit event
  (`realization.<entity>.<verb>`) and inside the organiser's scope.
- `now` (default `timezone.now()`) is when the row is recorded; the demo
  back-dates with it and tests fix the clock.
- Idempotency: a replay with the same key and payload returns the first row
  (with `row.replayed = True`) and writes nothing; the same key with another
  payload is refused (`idempotency_key`, code `idempotency_conflict`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.accounts.queries import roles_by_province
from niaga.audit.domain import record
from niaga.core.money import format_rupiah
from niaga.missions.ledger import MAX_VALUE_IDR
from niaga.missions.models import Deal, EntryKind, Mission
from niaga.programs import evidence as evidence_files
from niaga.realization.models import (
    STAGE_ORDER,
    ContactChannel,
    ContactLog,
    ContactParty,
    DealAssignment,
    DealEvent,
    FollowUpPolicy,
    LifecycleStage,
    RealizationEntry,
    RealizationEntryKind,
    RealizationKind,
    Verification,
    VerificationStatus,
)
from niaga.realization.rules import FOLLOW_UP_ROLES
from niaga.regions.models import Province

REASON_MAX = 300
NOTE_MAX = 2000
OUTCOME_MAX = 300
KEY_MIN, KEY_MAX = 8, 80
MIN_STALE_DAYS, MAX_STALE_DAYS = 1, 365
EVIDENCE_FOLDER = "private/realization/"
DELIVERED = STAGE_ORDER[LifecycleStage.TERKIRIM]
PAID = STAGE_ORDER[LifecycleStage.DIBAYAR]


# --- Helpers -------------------------------------------------------------------------


class Errors:
    """Errors per field, collected so that one answer names every bad field."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, code=code))

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _mission(deal: Deal) -> Mission:
    return (
        Mission.objects.with_scopes_disabled()
        .select_related("organiser", "host")
        .get(pk=deal.mission_id)
    )


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def local_today(mission: Mission, now: dt.datetime | None = None) -> dt.date:
    """The latest local date at `now` of the mission's two provinces (WITA runs ahead of WIB)."""
    now = now or timezone.now()
    return max(
        now.astimezone(mission.organiser.zone).date(), now.astimezone(mission.host.zone).date()
    )


def mission_day(mission: Mission) -> dt.date:
    """The date the mission opened, in the host province."""
    return mission.opens_at.astimezone(mission.host.zone).date()


def _check_date(errors: Errors, field: str, label: str, value, mission: Mission, now) -> None:
    if value is None or value == "":
        errors.add(field, _("%(label)s: enter a date.") % {"label": label}, "required")
        return
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors.add(field, _("%(label)s: enter a date.") % {"label": label}, "invalid")
        return
    if value > local_today(mission, now):
        errors.add(
            field, _("%(label)s: the date cannot be in the future.") % {"label": label}, "future"
        )
    elif value < mission_day(mission):
        errors.add(
            field,
            _("%(label)s: the date cannot be before the mission opened (%(day)s).")
            % {"label": label, "day": mission_day(mission).isoformat()},
            "before_mission",
        )


def _check_length(errors: Errors, field: str, label: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.add(
            field,
            _("%(label)s: at most %(limit)s characters.") % {"label": label, "limit": limit},
            "max_length",
        )


def _check_key(key, *, required: bool) -> str:
    key = _text(key)
    if not key and not required:
        return ""
    if not KEY_MIN <= len(key) <= KEY_MAX or not key.isprintable():
        raise _error(
            "idempotency_key",
            _("Idempotency key: 8 to 80 printable characters, generated once per new entry."),
            "idempotency_key",
        )
    return key


def _idempotency_conflict() -> ValidationError:
    return _error(
        "idempotency_key",
        _(
            "Idempotency key: it was already used for a different request on this deal. "
            "Use a new key for a new entry; nothing was changed."
        ),
        "idempotency_conflict",
    )


def _live_state(deal_id: int) -> Deal | None:
    """The deal with the figures of `live_deals` (current stage, delivered and paid
    sums), or None when it is not live.

    Read with a few primary-key and indexed queries rather than `live_deals()`:
    every write calls this once or twice, and compiling that queryset's
    correlated subqueries cost about ten times as much as these reads.
    `test_the_state_read_matches_live_deals` keeps the two equal.
    """
    deals = Deal.objects.with_scopes_disabled()
    deal = deals.exclude(kind=EntryKind.REVERSAL).filter(pk=deal_id).first()
    if deal is None or deals.filter(kind=EntryKind.REVERSAL, corrects_id=deal_id).exists():
        return None
    latest = (
        DealEvent.objects.with_scopes_disabled()
        .filter(deal_id=deal_id)
        .order_by("-recorded_at", "-id")
        .values_list("to_stage", flat=True)
        .first()
    )
    deal.current_stage = latest or deal.stage
    sums = dict(
        RealizationEntry.objects.with_scopes_disabled()
        .filter(deal_id=deal_id)
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("value_idr"))
    )
    deal.delivered_idr = sums.get(RealizationKind.DELIVERY) or 0
    deal.paid_idr = sums.get(RealizationKind.PAYMENT) or 0
    return deal


def _lock(deal: Deal) -> None:
    """Serialise writes on one deal (PostgreSQL row lock; SQLite serialises writers)."""
    list(Deal.objects.with_scopes_disabled().select_for_update().filter(pk=deal.pk).values("pk"))


def _require_live(deal: Deal) -> Deal:
    state = _live_state(deal.pk)
    if state is None:
        raise _error(
            "deal",
            _(
                "Deal: this ledger entry was reversed or is a reversal; follow up its "
                "correction instead."
            ),
            "not_live",
        )
    return state


def _append_event(
    *,
    actor,
    deal: Deal,
    mission: Mission,
    from_stage: str,
    to_stage: str,
    occurred_on: dt.date,
    reason: str = "",
    note: str = "",
    is_correction: bool = False,
    is_automatic: bool = False,
    idempotency_key: str = "",
    now: dt.datetime,
) -> DealEvent:
    event = DealEvent.objects.create(
        deal=deal,
        from_stage=from_stage,
        to_stage=to_stage,
        occurred_on=occurred_on,
        reason=reason,
        note=note,
        is_correction=is_correction,
        is_automatic=is_automatic,
        recorded_by=actor,
        recorded_at=now,
        idempotency_key=idempotency_key,
    )
    record(
        actor=actor,
        action="realization.deal.stage_moved",
        province=mission.organiser,
        obj=event,
        before={"stage": from_stage},
        after={
            "deal": deal.pk,
            "stage": to_stage,
            "occurred_on": occurred_on,
            "reason": reason,
            "is_correction": is_correction,
            "is_automatic": is_automatic,
        },
    )
    event.replayed = False
    return event


# --- Stage moves -----------------------------------------------------------------------


def move_error(current: str, to_stage: str, *, is_correction: bool, reason: str):
    """Why a move from `current` to `to_stage` is refused, as (field, code, message), or None.

    The lifecycle rules in one place (the page offers only allowed targets from them):
    forward moves (skipping stages too) are free; a move back, out of batal or
    out of dibayar only as a correction with a reason; batal from any stage
    before dibayar, with a reason.
    """
    if to_stage not in LifecycleStage.values:
        return (
            "to_stage",
            "choice",
            _("New stage: choose one of %(choices)s.")
            % {"choices": ", ".join(LifecycleStage.values)},
        )
    if to_stage == current:
        return ("to_stage", "same_stage", _("New stage: the deal is already at this stage."))
    if is_correction:
        if not reason:
            return (
                "reason",
                "required",
                _("Reason: a correction needs a reason (what was recorded wrongly)."),
            )
        return None
    if current == LifecycleStage.BATAL:
        return (
            "to_stage",
            "cancelled",
            _(
                "New stage: the deal is cancelled (batal); it can leave that stage only "
                "as a correction with a reason."
            ),
        )
    if current == LifecycleStage.DIBAYAR:
        return (
            "to_stage",
            "paid",
            _(
                "New stage: the deal is fully paid (dibayar); nothing follows that stage "
                "except a correction with a reason."
            ),
        )
    if to_stage == LifecycleStage.BATAL:
        if not reason:
            return ("reason", "required", _("Reason: say why the deal was cancelled."))
        return None
    if STAGE_ORDER[to_stage] < STAGE_ORDER[current]:
        return (
            "to_stage",
            "backwards",
            _(
                "New stage: a deal moves back only as a correction (tick “correction” "
                "and give a reason)."
            ),
        )
    return None


def allowed_targets(current: str) -> list[str]:
    """Stages an ordinary (not correcting) move may go to from `current`."""
    return [
        stage
        for stage in LifecycleStage.values
        if move_error(current, stage, is_correction=False, reason="x") is None
    ]


def deal_move_stage(
    *,
    actor,
    deal: Deal,
    to_stage: str,
    occurred_on: dt.date,
    reason: str = "",
    note: str = "",
    is_correction: bool = False,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> DealEvent:
    """Move a live deal to another lifecycle stage, as a dated event.

    Preconditions: the caller checked `realization.record_progress` on the
    deal's mission. Rules: `move_error` (forward free, back only as a
    correction with a reason, batal before dibayar with a reason, out of batal
    or dibayar only as a correction); `occurred_on` neither in the future nor
    before the mission opened. `idempotency_key` (optional, 8–80 characters):
    the same key and payload return the first event (`replayed = True`).
    Errors: ValidationError on deal (not_live), to_stage (choice, same_stage,
    cancelled, paid, backwards), reason (required, max_length), note
    (max_length), occurred_on (required, future, before_mission) or
    idempotency_key (idempotency_key, idempotency_conflict).
    Side effects: a DealEvent and the audit event `realization.deal.stage_moved`.
    """
    now = now or timezone.now()
    mission = _mission(deal)
    key = _check_key(idempotency_key, required=False)
    reason, note, to_stage = _text(reason), _text(note), _text(to_stage)
    is_correction = bool(is_correction)
    with scope(province=mission.organiser), transaction.atomic():
        _lock(deal)
        if key:
            existing = DealEvent.objects.filter(deal_id=deal.pk, idempotency_key=key).first()
            if existing is not None:
                same = (
                    existing.to_stage == to_stage
                    and existing.occurred_on == occurred_on
                    and existing.reason == reason
                    and existing.note == note
                    and existing.is_correction == is_correction
                )
                if not same:
                    raise _idempotency_conflict()
                existing.replayed = True
                return existing
        state = _require_live(deal)
        errors = Errors()
        problem = move_error(
            state.current_stage, to_stage, is_correction=is_correction, reason=reason
        )
        if problem:
            errors.add(problem[0], problem[2], problem[1])
        _check_length(errors, "reason", _("Reason"), reason, REASON_MAX)
        _check_length(errors, "note", _("Note"), note, NOTE_MAX)
        _check_date(errors, "occurred_on", _("Date"), occurred_on, mission, now)
        errors.raise_any()
        return _append_event(
            actor=actor,
            deal=state,
            mission=mission,
            from_stage=state.current_stage,
            to_stage=to_stage,
            occurred_on=occurred_on,
            reason=reason,
            note=note,
            is_correction=is_correction,
            idempotency_key=key,
            now=now,
        )


# --- Realization entries ------------------------------------------------------------------


def _volume(errors: Errors, volume) -> Decimal | None:
    if volume is None or volume == "":
        return None
    try:
        value = Decimal(str(volume))
    except (InvalidOperation, ValueError):
        errors.add("volume", _("Volume: enter a number."), "invalid")
        return None
    if not value.is_finite():
        errors.add("volume", _("Volume: enter a number."), "invalid")
    elif value <= 0:
        errors.add("volume", _("Volume: must be above zero."), "min_value")
    elif value != value.quantize(Decimal("0.001")) or value >= Decimal(10) ** 15:
        errors.add(
            "volume",
            _("Volume: at most 15 digits before the decimal comma and 3 after it."),
            "max_digits",
        )
    return value


def _fingerprint(**data) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _sums(deal_id: int) -> tuple[int, int]:
    rows = dict(
        RealizationEntry.objects.with_scopes_disabled()
        .filter(deal_id=deal_id)
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("value_idr"))
    )
    return rows.get(RealizationKind.DELIVERY, 0) or 0, rows.get(RealizationKind.PAYMENT, 0) or 0


def _auto_moves(*, actor, deal: Deal, mission: Mission, occurred_on: dt.date, now) -> None:
    """After an entry: delivered ≥ committed moves a deal before terkirim to terkirim;
    paid ≥ committed moves a deal before dibayar to dibayar (automatic events)."""
    state = _live_state(deal.pk)
    stage = state.current_stage
    committed = state.value_idr
    for target, total in (
        (LifecycleStage.TERKIRIM, state.delivered_idr),
        (LifecycleStage.DIBAYAR, state.paid_idr),
    ):
        if stage in STAGE_ORDER and STAGE_ORDER[stage] < STAGE_ORDER[target] and total >= committed:
            _append_event(
                actor=actor,
                deal=state,
                mission=mission,
                from_stage=stage,
                to_stage=target,
                occurred_on=occurred_on,
                is_automatic=True,
                now=now,
            )
            stage = target


def _auto_move_back(*, actor, deal: Deal, mission: Mission, entry_id: int, day, now) -> None:
    """After a reversal: if the latest move was automatic and its condition no longer
    holds (paid or delivered fell below the committed value), an automatic
    correction moves the deal back to where that move started."""
    state = _live_state(deal.pk)
    if state is None:
        return
    latest = DealEvent.objects.filter(deal_id=deal.pk).order_by("-recorded_at", "-id").first()
    if latest is None or not latest.is_automatic or latest.is_correction:
        return
    total = {
        LifecycleStage.DIBAYAR: state.paid_idr,
        LifecycleStage.TERKIRIM: state.delivered_idr,
    }.get(latest.to_stage)
    if total is None or total >= state.value_idr or latest.to_stage != state.current_stage:
        return
    _append_event(
        actor=actor,
        deal=state,
        mission=mission,
        from_stage=latest.to_stage,
        to_stage=latest.from_stage,
        occurred_on=max(day, latest.occurred_on),
        reason=_("Entry %(id)s reversed") % {"id": entry_id},
        is_correction=True,
        is_automatic=True,
        now=now,
    )


def _delete_stored(names: list[str]) -> None:
    for name in names:
        private = name.startswith(EVIDENCE_FOLDER) and ".." not in name.split("/")
        if private and default_storage.exists(name):
            default_storage.delete(name)


def realization_record(
    *,
    actor,
    deal: Deal,
    kind: str,
    occurred_on: dt.date,
    value_idr: int,
    volume=None,
    note: str = "",
    evidence=None,
    idempotency_key: str,
    now: dt.datetime | None = None,
) -> RealizationEntry:
    """Record a (partial) delivery or payment of a live deal, exactly once per key.

    Preconditions: the caller checked `realization.record_progress`. Rules:
    - not on a cancelled (batal) deal: no delivery or payment on a cancelled deal
      (a potensi or komitmen deal may take entries: goods and money sometimes
      move before the paperwork);
    - `value_idr` a whole number of rupiah above zero and at most Rp 100 triliun;
      `volume` (optional) above zero with at most 3 decimals;
    - the deal's total of this kind may exceed its committed value only when the
      `note` explains why (a price rise, an extra order); without a note such an
      entry is refused (code `exceeds_committed`), which catches a typed extra zero;
    - `evidence` (optional): an uploaded PDF, JPEG or PNG checked by
      `niaga.programs.evidence.check_upload` (size limit, content sniffed),
      stored privately under a random name;
    - `occurred_on` neither in the future nor before the mission opened.
    Stage: partial entries never move the stage (a delivery does not prove a
    contract). When the deliveries reach the committed value, a deal before
    terkirim moves to terkirim; when the payments reach it, a deal before
    dibayar moves to dibayar (automatic events, dated `occurred_on`).
    Idempotency: see the module docstring (payload = kind, date, value,
    volume, note and the evidence's name and size).
    Errors: ValidationError on deal (not_live, cancelled), kind, value_idr,
    volume, note, occurred_on, evidence (the evidence codes) or idempotency_key.
    Side effects: the entry, automatic events, audit `realization.entry.recorded`.
    """
    now = now or timezone.now()
    mission = _mission(deal)
    key = _check_key(idempotency_key, required=True)
    kind, note = _text(kind), _text(note)
    errors = Errors()
    if kind not in RealizationKind.values:
        errors.add("kind", _("Kind: choose delivery or payment."), "choice")
    if isinstance(value_idr, bool) or not isinstance(value_idr, int):
        errors.add("value_idr", _("Value: a whole number of rupiah."), "integer")
    elif value_idr <= 0:
        errors.add("value_idr", _("Value: must be above zero."), "min_value")
    elif value_idr > MAX_VALUE_IDR:
        errors.add(
            "value_idr",
            _("Value: amounts above %(limit)s are refused; check the number of digits.")
            % {"limit": format_rupiah(MAX_VALUE_IDR)},
            "max_value",
        )
    clean_volume = _volume(errors, volume)
    _check_length(errors, "note", _("Note"), note, NOTE_MAX)
    _check_date(errors, "occurred_on", _("Date"), occurred_on, mission, now)
    checked = None
    if evidence:
        try:
            checked = evidence_files.check_upload(evidence)
        except ValidationError as error:
            errors.by_field.setdefault("evidence", []).extend(error.error_list)
    fingerprint = _fingerprint(
        kind=kind,
        occurred_on=occurred_on,
        value_idr=value_idr,
        volume=None if clean_volume is None else str(clean_volume.normalize()),
        note=note,
        evidence=None if checked is None else [checked.original_name, checked.size],
    )
    stored: list[str] = []
    try:
        with scope(province=mission.organiser), transaction.atomic():
            _lock(deal)
            existing = RealizationEntry.objects.filter(deal_id=deal.pk, idempotency_key=key).first()
            if existing is not None:
                if existing.payload_hash != fingerprint:
                    raise _idempotency_conflict()
                existing.replayed = True
                return existing
            state = _require_live(deal)
            if state.current_stage == LifecycleStage.BATAL:
                message = (
                    _("Deal: no payment on a cancelled (batal) deal.")
                    if kind == RealizationKind.PAYMENT
                    else _("Deal: no delivery on a cancelled (batal) deal.")
                )
                errors.add("deal", message, "cancelled")
            elif "value_idr" not in errors.by_field and "kind" not in errors.by_field:
                done = state.paid_idr if kind == RealizationKind.PAYMENT else state.delivered_idr
                if done + value_idr > state.value_idr and not note:
                    errors.add(
                        "value_idr",
                        _(
                            "Value: with this entry the deal's %(what)s would total %(total)s, "
                            "above its committed value of %(committed)s. Check the amount, or "
                            "explain the difference in the note (e.g. a price rise)."
                        )
                        % {
                            "what": _("payments")
                            if kind == RealizationKind.PAYMENT
                            else _("deliveries"),
                            "total": format_rupiah(done + value_idr),
                            "committed": format_rupiah(state.value_idr),
                        },
                        "exceeds_committed",
                    )
            errors.raise_any()
            entry = RealizationEntry(
                deal=state,
                kind=kind,
                occurred_on=occurred_on,
                volume=clean_volume,
                value_idr=value_idr,
                note=note,
                recorded_by=actor,
                recorded_at=now,
                idempotency_key=key,
                payload_hash=fingerprint,
            )
            if checked is not None:
                checked.upload.seek(0)
                entry.evidence.save(
                    evidence_files.new_name(checked.kind), File(checked.upload), save=False
                )
                stored.append(entry.evidence.name)
                entry.evidence_name = checked.original_name
                entry.evidence_content_type = checked.content_type
                entry.evidence_size = checked.size
            entry.save()
            record(
                actor=actor,
                action="realization.entry.recorded",
                province=mission.organiser,
                obj=entry,
                after={
                    "deal": state.pk,
                    "kind": kind,
                    "occurred_on": occurred_on,
                    "value_idr": value_idr,
                    "volume": clean_volume,
                    "note": note,
                    "evidence": entry.evidence_name,
                },
            )
            _auto_moves(actor=actor, deal=state, mission=mission, occurred_on=occurred_on, now=now)
    except BaseException:
        _delete_stored(stored)
        raise
    entry.replayed = False
    return entry


def realization_reverse(
    *, actor, entry: RealizationEntry, reason: str, now: dt.datetime | None = None
) -> RealizationEntry:
    """Cancel a mistaken entry by appending its negative, linked to it (once).

    Preconditions: the caller checked `realization.record_progress`. The
    reversal is dated today (local) and keeps no evidence. If the latest stage
    move was automatic and no longer holds (payments or deliveries fell below
    the committed value), an automatic correction moves the deal back.
    Errors: ValidationError on reason (required, max_length) or entry
    (reversal: a reversal cannot be reversed; already_reversed).
    Side effects: the reversal entry, maybe an event, audit `realization.entry.reversed`.
    """
    now = now or timezone.now()
    deal = Deal.objects.with_scopes_disabled().get(pk=entry.deal_id)
    mission = _mission(deal)
    reason = _text(reason)
    errors = Errors()
    if not reason:
        errors.add("reason", _("Reason: say what was wrong with the entry."), "required")
    _check_length(errors, "reason", _("Reason"), reason, REASON_MAX)
    errors.raise_any()
    with scope(province=mission.organiser), transaction.atomic():
        _lock(deal)
        current = RealizationEntry.objects.get(pk=entry.pk)
        if current.entry_kind != RealizationEntryKind.ORIGINAL:
            raise _error("entry", _("Entry: a reversal cannot be reversed."), "reversal")
        if RealizationEntry.objects.filter(reverses=current).exists():
            raise _error("entry", _("Entry: this entry was already reversed."), "already_reversed")
        day = max(local_today(mission, now), current.occurred_on)
        try:
            with transaction.atomic():
                reversal = RealizationEntry.objects.create(
                    deal=deal,
                    kind=current.kind,
                    entry_kind=RealizationEntryKind.REVERSAL,
                    reverses=current,
                    occurred_on=day,
                    volume=None if current.volume is None else -current.volume,
                    value_idr=-current.value_idr,
                    reason=reason,
                    recorded_by=actor,
                    recorded_at=now,
                    idempotency_key=f"reverse:{current.pk}",
                )
        except IntegrityError as error:
            raise _error(
                "entry", _("Entry: this entry was already reversed."), "already_reversed"
            ) from error
        record(
            actor=actor,
            action="realization.entry.reversed",
            province=mission.organiser,
            obj=reversal,
            before={"entry": current.pk, "value_idr": current.value_idr},
            after={"deal": deal.pk, "value_idr": reversal.value_idr, "reason": reason},
        )
        _auto_move_back(
            actor=actor, deal=deal, mission=mission, entry_id=current.pk, day=day, now=now
        )
    return reversal


# --- Verification ------------------------------------------------------------------------


def verification_record(
    *,
    actor,
    deal: Deal,
    status: str,
    note: str = "",
    entry: RealizationEntry | None = None,
    now: dt.datetime | None = None,
) -> Verification:
    """A verifier's finding on a live deal, or on one of its entries: verified or disputed.

    Checked here (not only by the caller): `realization.verify` on the deal's
    mission (a verifier of the organising or host province who does not also
    follow the deals up), else PermissionDenied. Whoever recorded the entry (or,
    for a deal-level finding, the deal or any of its entries or stage moves)
    cannot verify it: ValidationError (code `own_record`). A dispute needs a
    note. Errors: ValidationError on status (choice), note (required,
    max_length), entry (entry: not this deal's, or a reversal), deal
    (not_live, own_record).
    Side effects: the Verification row, audit `realization.verification.recorded`.
    """
    now = now or timezone.now()
    mission = _mission(deal)
    if not actor.has_perm("realization.verify", mission):
        raise PermissionDenied(
            _("Only a verifier of this mission's provinces can verify its deals.")
        )
    status, note = _text(status), _text(note)
    errors = Errors()
    if status not in VerificationStatus.values:
        errors.add("status", _("Finding: choose verified or disputed."), "choice")
    if status == VerificationStatus.DISPUTED and not note:
        errors.add("note", _("Note: say what is disputed and what is needed."), "required")
    _check_length(errors, "note", _("Note"), note, NOTE_MAX)
    with scope(province=mission.organiser), transaction.atomic():
        state = _require_live(deal)
        target = None
        if entry is not None:
            target = RealizationEntry.objects.filter(pk=getattr(entry, "pk", entry)).first()
            if target is None or target.deal_id != deal.pk:
                errors.add("entry", _("Entry: choose one of this deal's entries."), "entry")
            elif target.entry_kind != RealizationEntryKind.ORIGINAL:
                errors.add("entry", _("Entry: a reversal is not verified on its own."), "entry")
            elif target.recorded_by_id == actor.pk:
                errors.add(
                    "entry",
                    _("Entry: you recorded this entry; someone else must verify it."),
                    "own_record",
                )
        else:
            own = (
                state.recorded_by_id == actor.pk
                or RealizationEntry.objects.filter(deal_id=deal.pk, recorded_by=actor).exists()
                or DealEvent.objects.filter(deal_id=deal.pk, recorded_by=actor)
                .filter(Q(is_automatic=False))
                .exists()
            )
            if own:
                errors.add(
                    "deal",
                    _("Deal: you recorded this deal or its progress; someone else must verify it."),
                    "own_record",
                )
        errors.raise_any()
        finding = Verification.objects.create(
            deal=state,
            entry=target,
            status=status,
            note=note,
            verified_by=actor,
            verified_at=now,
        )
        record(
            actor=actor,
            action="realization.verification.recorded",
            province=mission.organiser,
            obj=finding,
            after={
                "deal": deal.pk,
                "entry": target.pk if target else None,
                "status": status,
                "note": note,
            },
        )
    return finding


# --- Follow-up ---------------------------------------------------------------------------


def contact_record(
    *,
    actor,
    deal: Deal,
    channel: str,
    party: str,
    contacted_on: dt.date,
    outcome: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> ContactLog:
    """Log a follow-up contact (call, visit, message, e-mail) about a live deal and its outcome.

    A contact is not progress: it does not take the deal off the follow-up
    list. Preconditions: the caller checked `realization.record_progress`.
    Errors: ValidationError on channel, party (choice), contacted_on
    (required, future, before_mission), outcome (required, max_length), note,
    deal (not_live). Side effects: the row, audit `realization.contact.recorded`.
    """
    now = now or timezone.now()
    mission = _mission(deal)
    channel, party, outcome, note = _text(channel), _text(party), _text(outcome), _text(note)
    errors = Errors()
    if channel not in ContactChannel.values:
        errors.add("channel", _("Channel: choose call, visit, message or e-mail."), "choice")
    if party not in ContactParty.values:
        errors.add("party", _("Contacted: choose the seller, the buyer or both."), "choice")
    if not outcome:
        errors.add("outcome", _("Outcome: say what came of the contact."), "required")
    _check_length(errors, "outcome", _("Outcome"), outcome, OUTCOME_MAX)
    _check_length(errors, "note", _("Note"), note, NOTE_MAX)
    _check_date(errors, "contacted_on", _("Date"), contacted_on, mission, now)
    with scope(province=mission.organiser), transaction.atomic():
        state = _require_live(deal)
        errors.raise_any()
        contact = ContactLog.objects.create(
            deal=state,
            channel=channel,
            party=party,
            contacted_on=contacted_on,
            outcome=outcome,
            note=note,
            recorded_by=actor,
            recorded_at=now,
        )
        record(
            actor=actor,
            action="realization.contact.recorded",
            province=mission.organiser,
            obj=contact,
            after={
                "deal": deal.pk,
                "channel": channel,
                "party": party,
                "contacted_on": contacted_on,
                "outcome": outcome,
            },
        )
    return contact


def follows_up_in(user, province: Province) -> bool:
    """Whether `user` may be responsible for deals of `province`'s missions."""
    if user is None or not getattr(user, "is_active", False):
        return False
    return bool(roles_by_province(user).get(province.pk, frozenset()) & FOLLOW_UP_ROLES)


def deal_assign(*, actor, deal: Deal, officer, now: dt.datetime | None = None) -> DealAssignment:
    """Make `officer` responsible for following a live deal up (replacing whoever was).

    Preconditions: the caller checked `realization.manage_follow_up`. The
    officer must follow up (admin, mission manager or desk officer) in the
    mission's organising province. Assigning the same officer again changes
    nothing. Errors: ValidationError on officer (not_follow_up) or deal
    (not_live). Side effects: the row, audit `realization.assignment.changed`.
    """
    now = now or timezone.now()
    mission = _mission(deal)
    if not follows_up_in(officer, mission.organiser):
        raise _error(
            "officer",
            _("Responsible officer: choose someone who follows deals up in %(province)s.")
            % {"province": mission.organiser.name},
            "not_follow_up",
        )
    with scope(province=mission.organiser), transaction.atomic():
        state = _require_live(deal)
        current = DealAssignment.objects.select_for_update().filter(deal_id=deal.pk).first()
        if current is not None and current.officer_id == officer.pk:
            return current
        before = {"officer": current.officer_id} if current else None
        if current is None:
            current = DealAssignment(deal=state)
        current.officer = officer
        current.assigned_by = actor
        current.assigned_at = now
        current.save()
        record(
            actor=actor,
            action="realization.assignment.changed",
            province=mission.organiser,
            obj=current,
            before=before,
            after={"deal": deal.pk, "officer": officer.pk},
        )
    return current


def followup_policy_set(
    *, actor, province: Province, stale_after_days, send_email_reminders
) -> FollowUpPolicy:
    """Set after how many days without progress a deal of `province`'s missions
    needs follow-up (1–365), and whether reminders go out by e-mail.

    Preconditions: the caller checked `realization.configure` on the province.
    Errors: ValidationError on stale_after_days (integer, min_value, max_value).
    Side effects: the province's row, audit `realization.policy.changed`.
    """
    errors = Errors()
    if isinstance(stale_after_days, bool) or not isinstance(stale_after_days, int):
        errors.add("stale_after_days", _("Days without progress: a whole number."), "integer")
    elif stale_after_days < MIN_STALE_DAYS:
        errors.add(
            "stale_after_days",
            _("Days without progress: at least %(limit)s.") % {"limit": MIN_STALE_DAYS},
            "min_value",
        )
    elif stale_after_days > MAX_STALE_DAYS:
        errors.add(
            "stale_after_days",
            _("Days without progress: at most %(limit)s.") % {"limit": MAX_STALE_DAYS},
            "max_value",
        )
    errors.raise_any()
    send = bool(send_email_reminders)
    with scope(province=province), transaction.atomic():
        policy = FollowUpPolicy.objects.select_for_update().filter(province=province).first()
        before = (
            {
                "stale_after_days": policy.stale_after_days,
                "send_email_reminders": policy.send_email_reminders,
            }
            if policy
            else None
        )
        if policy is None:
            policy = FollowUpPolicy(province=province)
        policy.stale_after_days = stale_after_days
        policy.send_email_reminders = send
        policy.save()
        record(
            actor=actor,
            action="realization.policy.changed",
            province=province,
            obj=policy,
            before=before,
            after={"stale_after_days": stale_after_days, "send_email_reminders": send},
        )
    return policy
