"""The follow-up API: each commitment's lifecycle state, stage moves, deliveries and
payments, reversals and verification findings (mounted at /api/v1/missions/).

Same rules as the web: every endpoint finds the mission without a scope and
answers 404 alike for an unknown slug, another province's mission or a
missing right (`realization.view_realization` to read,
`realization.record_progress` to move stages and record entries,
`realization.verify` to give findings); writes go only through
`niaga.realization.domain`.

Idempotency: `POST …/events` and `POST …/realization` need an Idempotency-Key
header: the first request answers 201, a replay with the same key and payload
200 with the same row (`Idempotent-Replayed: true`), the same key with another
payload 422 (idempotency-conflict). A reversal is keyed by its entry (an entry
is reversed once): repeating it with the same reason answers 200 with the
reversal, with another reason 409. A finding repeated by the same verifier
(same target, status and note as the latest finding there) answers 200 with
that finding. Evidence files are uploaded on the deal's web page only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Header, Query, Router, Schema
from pydantic import AwareDatetime, ConfigDict, StrictBool, StrictInt

from niaga.api.auth import TokenAuth
from niaga.api.main import problem_responses
from niaga.api.problems import (
    Problem,
    created_or_replayed,
    idempotency_key_problem,
    validation_errors,
)
from niaga.missions.api import Id, Text
from niaga.missions.models import Deal, Mission
from niaga.realization import domain
from niaga.realization.models import (
    DealEvent,
    RealizationEntry,
    Verification,
)
from niaga.realization.queries import live_deals

router = Router(tags=["realization"])
TOKEN = TokenAuth()
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 500

StageName = Literal["potensi", "komitmen", "kontrak", "terkirim", "dibayar", "batal"]
KindName = Literal["delivery", "payment"]
StatusName = Literal["verified", "disputed"]

# --- Schemas -------------------------------------------------------------------


class EventBody(Schema):
    model_config = ConfigDict(extra="forbid")

    to_stage: StageName
    occurred_on: dt.date
    reason: Annotated[Text, Field(max_length=300)] | None = None
    note: Annotated[Text, Field(max_length=2000)] | None = None
    is_correction: StrictBool = False


class EntryBody(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: KindName
    occurred_on: dt.date
    value_idr: StrictInt = Field(description="Integer rupiah, above zero.")
    volume: Annotated[Decimal, Field(max_digits=18, decimal_places=3)] | None = None
    note: Annotated[Text, Field(max_length=2000)] | None = None


class ReverseBody(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[Text, Field(max_length=300)]


class VerificationBody(Schema):
    model_config = ConfigDict(extra="forbid")

    status: StatusName
    note: Annotated[Text, Field(max_length=2000)] | None = None
    entry_id: Id | None = Field(None, description="A finding on one entry; omit for the deal.")


class Party(Schema):
    participant_id: int
    name: str


class EventOut(Schema):
    id: int
    from_stage: StageName
    to_stage: StageName
    occurred_on: dt.date
    reason: str
    note: str
    is_correction: bool
    is_automatic: bool
    recorded_at: AwareDatetime
    recorded_by: str


class EntryOut(Schema):
    id: int
    kind: KindName
    entry_kind: Literal["original", "reversal"]
    reverses: int | None
    occurred_on: dt.date
    value_idr: int = Field(description="Integer rupiah; negative only on a reversal.")
    volume: str | None
    note: str
    reason: str
    has_evidence: bool
    recorded_at: AwareDatetime
    recorded_by: str


class FindingOut(Schema):
    id: int
    entry_id: int | None
    status: StatusName
    note: str
    verified_at: AwareDatetime
    verified_by: str


class DealStateOut(Schema):
    id: int
    commodity: str
    direction: Literal["sell", "buy", "invest"]
    seller: Party
    buyer: Party
    committed_idr: int
    delivered_idr: int
    paid_idr: int
    stage: StageName
    fully_paid: bool
    verification: StatusName | None
    last_progress_at: AwareDatetime
    officer: str | None


class DealDetailOut(DealStateOut):
    events: list[EventOut]
    entries: list[EntryOut]
    findings: list[FindingOut]


class DealStateList(Schema):
    count: int
    items: list[DealStateOut]


class LifecycleQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX)
    stage: StageName | None = None


IdempotencyKey = Header(
    ...,
    alias="Idempotency-Key",
    min_length=8,
    max_length=80,
    description="Generated by the client once per new row and sent again on every retry.",
)

# --- Helpers -------------------------------------------------------------------


def _mission(request: HttpRequest, slug: str, permission: str) -> Mission:
    mission = (
        Mission.objects.with_scopes_disabled()
        .select_related("organiser", "host")
        .filter(slug=slug)
        .first()
    )
    user = request.auth
    if mission is None or not user.has_perm(permission, mission):
        raise Http404("no such mission")
    return mission


def _deal(mission: Mission, deal_id: int) -> Deal:
    deal = (
        live_deals(mission_ids=[mission.pk])
        .select_related("seller__business", "buyer__business", "assignment__officer")
        .filter(pk=deal_id)
        .first()
    )
    if deal is None:
        raise Http404("no such live deal in this mission")
    deal.mission = mission
    return deal


def state_json(deal: Deal) -> dict:
    assignment = getattr(deal, "assignment", None)
    return {
        "id": deal.pk,
        "commodity": deal.commodity,
        "direction": deal.direction,
        "seller": {"participant_id": deal.seller_id, "name": deal.seller.business.name},
        "buyer": {"participant_id": deal.buyer_id, "name": deal.buyer.business.name},
        "committed_idr": deal.value_idr,
        "delivered_idr": deal.delivered_idr,
        "paid_idr": deal.paid_idr,
        "stage": deal.current_stage,
        "fully_paid": deal.paid_idr >= deal.value_idr,
        "verification": deal.verification,
        "last_progress_at": deal.last_progress_at,
        "officer": assignment.officer.get_username() if assignment else None,
    }


def event_json(event: DealEvent) -> dict:
    return {
        "id": event.pk,
        "from_stage": event.from_stage,
        "to_stage": event.to_stage,
        "occurred_on": event.occurred_on,
        "reason": event.reason,
        "note": event.note,
        "is_correction": event.is_correction,
        "is_automatic": event.is_automatic,
        "recorded_at": event.recorded_at,
        "recorded_by": event.recorded_by.get_username(),
    }


def entry_json(entry: RealizationEntry) -> dict:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "entry_kind": entry.entry_kind,
        "reverses": entry.reverses_id,
        "occurred_on": entry.occurred_on,
        "value_idr": entry.value_idr,
        "volume": None
        if entry.volume is None
        else str(Decimal(entry.volume).quantize(Decimal("0.001"))),
        "note": entry.note,
        "reason": entry.reason,
        "has_evidence": bool(entry.evidence),
        "recorded_at": entry.recorded_at,
        "recorded_by": entry.recorded_by.get_username(),
    }


def finding_json(finding: Verification) -> dict:
    return {
        "id": finding.pk,
        "entry_id": finding.entry_id,
        "status": finding.status,
        "note": finding.note,
        "verified_at": finding.verified_at,
        "verified_by": finding.verified_by.get_username(),
    }


_CONFLICT_CODES = {"not_live", "cancelled", "already_reversed", "reversal"}


def _problem(error: ValidationError) -> Problem:
    """A domain refusal as its problem: key misuse, a state conflict, or bad fields."""
    fields = getattr(error, "error_dict", {})
    codes = {single.code for errors in fields.values() for single in errors}
    if "idempotency_key" in fields:
        message = " ".join(error.message_dict["idempotency_key"])
        if "idempotency_conflict" in codes:
            return Problem("idempotency-conflict", 422, message)
        return idempotency_key_problem(message)
    if codes & _CONFLICT_CODES:
        detail = " ".join(
            message for field in ("deal", "entry") for message in error.message_dict.get(field, [])
        )
        return Problem("ledger-conflict", 409, detail)
    return Problem(
        "validation",
        422,
        _("Correct the fields listed in errors; nothing was changed."),
        errors=validation_errors(error),
    )


# --- Endpoints -----------------------------------------------------------------


@router.get(
    "/{slug:slug}/lifecycle",
    response=DealStateList,
    auth=TOKEN,
    summary=gettext_lazy("The lifecycle state of a mission's deals"),
    description=gettext_lazy(
        "Each live deal (not reversed) with its current stage, committed, delivered "
        "and paid values, latest verification and responsible officer; filter by stage."
    ),
    openapi_extra=problem_responses(401, 404, 422),
)
def lifecycle_list(request: HttpRequest, slug: str, query: Query[LifecycleQuery]):
    mission = _mission(request, slug, "realization.view_realization")
    deals = live_deals(mission_ids=[mission.pk]).select_related(
        "seller__business", "buyer__business", "assignment__officer"
    )
    if query.stage:
        deals = deals.filter(current_stage=query.stage)
    deals = deals.order_by("recorded_at", "id")
    start = (query.page - 1) * query.page_size
    rows = list(deals[start : start + query.page_size])
    return {"count": deals.count(), "items": [state_json(d) for d in rows]}


@router.get(
    "/{slug:slug}/deals/{int:deal_id}",
    response=DealDetailOut,
    auth=TOKEN,
    summary=gettext_lazy("A deal's lifecycle"),
    description=gettext_lazy(
        "The deal's state with its stage moves, deliveries and payments (reversals "
        "included) and verification findings, oldest first."
    ),
    openapi_extra=problem_responses(401, 404),
)
def deal_detail(request: HttpRequest, slug: str, deal_id: int):
    mission = _mission(request, slug, "realization.view_realization")
    deal = _deal(mission, deal_id)
    events = (
        DealEvent.objects.with_scopes_disabled().filter(deal=deal).select_related("recorded_by")
    )
    entries = (
        RealizationEntry.objects.with_scopes_disabled()
        .filter(deal=deal)
        .select_related("recorded_by")
        .order_by("occurred_on", "recorded_at", "id")
    )
    findings = (
        Verification.objects.with_scopes_disabled().filter(deal=deal).select_related("verified_by")
    )
    return {
        **state_json(deal),
        "events": [event_json(e) for e in events.order_by("recorded_at", "id")],
        "entries": [entry_json(e) for e in entries],
        "findings": [finding_json(f) for f in findings.order_by("verified_at", "id")],
    }


@router.post(
    "/{slug:slug}/deals/{int:deal_id}/events",
    response={200: EventOut, 201: EventOut},
    auth=TOKEN,
    summary=gettext_lazy("Move a deal to another stage"),
    description=gettext_lazy(
        "Forward moves are free (stages may be skipped); batal before dibayar needs a "
        "reason; a move back, out of batal or out of dibayar only with is_correction "
        "and a reason. 201 with the event; 200 for a replay of the same request."
    ),
    openapi_extra=problem_responses(400, 401, 404, 409, 422),
)
def event_create(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    deal_id: int,
    payload: EventBody,
    idempotency_key: str = IdempotencyKey,
):
    mission = _mission(request, slug, "realization.record_progress")
    deal = _deal(mission, deal_id)
    try:
        event = domain.deal_move_stage(
            actor=request.auth,
            deal=deal,
            to_stage=payload.to_stage,
            occurred_on=payload.occurred_on,
            reason=payload.reason or "",
            note=payload.note or "",
            is_correction=payload.is_correction,
            idempotency_key=idempotency_key,
        )
    except ValidationError as error:
        raise _problem(error) from None
    return created_or_replayed(response, not event.replayed, event_json(event))


@router.post(
    "/{slug:slug}/deals/{int:deal_id}/realization",
    response={200: EntryOut, 201: EntryOut},
    auth=TOKEN,
    summary=gettext_lazy("Record a delivery or a payment"),
    description=gettext_lazy(
        "A (partial) delivery or payment in integer rupiah. Refused on a cancelled "
        "deal (409). A total above the committed value needs a note. When deliveries "
        "or payments reach the committed value the deal moves to terkirim or dibayar "
        "by itself. Evidence files are uploaded on the web page."
    ),
    openapi_extra=problem_responses(400, 401, 404, 409, 422),
)
def entry_create(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    deal_id: int,
    payload: EntryBody,
    idempotency_key: str = IdempotencyKey,
):
    mission = _mission(request, slug, "realization.record_progress")
    deal = _deal(mission, deal_id)
    try:
        entry = domain.realization_record(
            actor=request.auth,
            deal=deal,
            kind=payload.kind,
            occurred_on=payload.occurred_on,
            value_idr=payload.value_idr,
            volume=payload.volume,
            note=payload.note or "",
            idempotency_key=idempotency_key,
        )
    except ValidationError as error:
        raise _problem(error) from None
    return created_or_replayed(response, not entry.replayed, entry_json(entry))


@router.post(
    "/{slug:slug}/realization/{int:entry_id}/reverse",
    response={200: EntryOut, 201: EntryOut},
    auth=TOKEN,
    summary=gettext_lazy("Reverse a delivery or payment"),
    description=gettext_lazy(
        "Appends the entry's negative, linked to it; an entry is reversed once. The "
        "same request again answers 200 with the reversal; another reason 409."
    ),
    openapi_extra=problem_responses(401, 404, 409, 422),
)
def entry_reverse(
    request: HttpRequest, response: HttpResponse, slug: str, entry_id: int, payload: ReverseBody
):
    mission = _mission(request, slug, "realization.record_progress")
    entry = (
        RealizationEntry.objects.with_scopes_disabled()
        .filter(pk=entry_id, deal__mission=mission)
        .first()
    )
    if entry is None:
        raise Http404("no such entry in this mission")
    earlier = (
        RealizationEntry.objects.with_scopes_disabled()
        .filter(reverses=entry)
        .select_related("recorded_by")
        .first()
    )
    if earlier is not None and earlier.reason == (payload.reason or "").strip():
        return created_or_replayed(response, False, entry_json(earlier))
    try:
        reversal = domain.realization_reverse(
            actor=request.auth, entry=entry, reason=payload.reason
        )
    except ValidationError as error:
        raise _problem(error) from None
    return created_or_replayed(response, True, entry_json(reversal))


@router.post(
    "/{slug:slug}/deals/{int:deal_id}/verifications",
    response={200: FindingOut, 201: FindingOut},
    auth=TOKEN,
    summary=gettext_lazy("Verify or dispute a deal or an entry"),
    description=gettext_lazy(
        "For a verifier of the mission's provinces who does not follow its deals up and "
        "did not record what is checked. A dispute needs a note. The same finding "
        "again answers 200 with the first."
    ),
    openapi_extra=problem_responses(401, 404, 409, 422),
)
def verification_create(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    deal_id: int,
    payload: VerificationBody,
):
    mission = _mission(request, slug, "realization.verify")
    deal = _deal(mission, deal_id)
    entry = None
    if payload.entry_id is not None:
        entry = (
            RealizationEntry.objects.with_scopes_disabled()
            .filter(pk=payload.entry_id, deal=deal)
            .first()
        )
        if entry is None:
            raise Problem(
                "validation",
                422,
                _("Correct the fields listed in errors; nothing was changed."),
                errors=[
                    {
                        "field": "entry_id",
                        "rule": "entry",
                        "message": _("Entry: choose one of this deal's entries."),
                    }
                ],
            )
    note = (payload.note or "").strip()
    latest = (
        Verification.objects.with_scopes_disabled()
        .filter(deal=deal, entry=entry)
        .select_related("verified_by")
        .order_by("-verified_at", "-id")
        .first()
    )
    if (
        latest is not None
        and latest.verified_by_id == request.auth.pk
        and latest.status == payload.status
        and latest.note == note
    ):
        return created_or_replayed(response, False, finding_json(latest))
    try:
        finding = domain.verification_record(
            actor=request.auth, deal=deal, status=payload.status, note=note, entry=entry
        )
    except PermissionDenied:
        raise Http404("no such mission") from None
    except ValidationError as error:
        raise _problem(error) from None
    return created_or_replayed(response, True, finding_json(finding))
