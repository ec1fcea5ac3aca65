"""The missions API: totals, participants, the deal ledger and corrections.

Every endpoint finds the mission without a scope, checks the caller's right to
it (another province's mission, an unknown slug and a missing right all answer
404, the same), then reads inside the organiser's scope or calls the domain
functions, which open it themselves. Writes go only through
`niaga.missions.domain`, the same functions the desk page uses.

Idempotency: `POST …/deals` and `POST …/corrections` need an Idempotency-Key
header. The first request answers 201; a replay with the same key and payload
answers 200 with the same entry (and `Idempotent-Replayed: true`) and writes
nothing; the same key with another payload answers 422.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope
from ninja import Field, Header, Query, Router, Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from niaga.api.auth import TokenAuth
from niaga.api.main import problem_responses
from niaga.api.problems import (
    Problem,
    created_or_replayed,
    idempotency_key_problem,
    validation_errors,
)
from niaga.missions import domain, queries
from niaga.missions.domain import DealInput, IdempotencyConflict, LedgerBusy
from niaga.missions.models import Deal, Mission, Participant

router = Router(tags=["missions"])
TOKEN = TokenAuth()
TOKEN_OR_PUBLIC = TokenAuth(optional=True)
MAX_ID = 2**63 - 1
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 500

# --- Schemas -------------------------------------------------------------------


def _no_control_characters(value: str | None) -> str | None:
    # PostgreSQL refuses NUL in text; other control characters (but line breaks
    # and tabs in a note) are never meant.
    if value is not None and any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise PydanticCustomError("nul_character", "control characters are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_control_characters)]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
DirectionName = Literal["sell", "buy", "invest"]
StageName = Literal["potensi", "komitmen", "kontrak"]


class DealBody(Schema):
    """One deal as a client sends it; the domain checks the rules between fields."""

    model_config = ConfigDict(extra="forbid")

    direction: DirectionName
    seller_id: Id
    buyer_id: Id
    commodity: Text
    hs_code: Text | None = None
    volume: Annotated[Decimal, Field(max_digits=18, decimal_places=3)] | None = None
    unit: Annotated[Text, Field(max_length=30)] | None = None
    value_idr: StrictInt
    stage: StageName
    note: Text | None = None
    confirm_large: StrictBool = False

    def to_input(self) -> DealInput:
        return DealInput(
            direction=self.direction,
            seller_id=self.seller_id,
            buyer_id=self.buyer_id,
            commodity=self.commodity,
            value_idr=self.value_idr,
            stage=self.stage,
            hs_code=self.hs_code or "",
            volume=self.volume,
            unit=self.unit or "",
            note=self.note or "",
        )


class CorrectionBody(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[Text, Field(max_length=300)]
    corrected: DealBody | None = None


class DealOut(Schema):
    id: int
    kind: Literal["original", "reversal", "correction"]
    corrects: int | None
    direction: DirectionName
    seller_id: int
    buyer_id: int
    commodity: str
    hs_code: str
    volume: str | None = Field(description="Decimal with 3 places, as a string, or null.")
    unit: str
    value_idr: int = Field(description="Integer rupiah; negative only on a reversal.")
    stage: StageName
    note: str
    reason: str
    is_late: bool
    recorded_at: AwareDatetime
    recorded_by: str


class CorrectionOut(Schema):
    reversal: DealOut
    correction: DealOut | None


class DirectionTotals(Schema):
    sell: int
    buy: int
    invest: int


class TotalsOut(Schema):
    mission: str
    total_idr: int
    count: int
    by_direction: DirectionTotals
    as_of: AwareDatetime
    timezone: str = Field(description="The host province's zone: WIB, WITA or WIT.")


class ParticipantOut(Schema):
    id: int
    business_id: int
    name: str
    side: Literal["organiser", "host"]
    province: str = Field(description="Kemendagri province code, e.g. 63.")
    regency: str = Field(description="Kemendagri regency/city code, e.g. 63.71.")


class ParticipantList(Schema):
    count: int
    items: list[ParticipantOut]


class DealList(Schema):
    count: int
    items: list[DealOut]


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX)


class DealQuery(PageQuery):
    direction: DirectionName | None = None
    stage: StageName | None = None
    since: AwareDatetime | None = Field(None, description="recorded_at ≥ since")
    until: AwareDatetime | None = Field(None, description="recorded_at < until")


IdempotencyKey = Header(
    ...,
    alias="Idempotency-Key",
    min_length=8,
    max_length=80,
    description="Generated by the client once per new entry and sent again on every retry.",
)

# --- Helpers -------------------------------------------------------------------


def _mission(request: HttpRequest, slug: str, permission: str, *, public: bool = False) -> Mission:
    """The mission if the caller may use it for `permission`; otherwise 404."""
    mission = (
        Mission.objects.with_scopes_disabled()
        .select_related("organiser", "host")
        .filter(slug=slug)
        .first()
    )
    if mission is None:
        raise Http404("no such mission")
    if public and mission.is_public:
        return mission
    user = request.auth
    if not user.is_authenticated or not user.has_perm(permission, mission):
        raise Http404("no such mission")
    return mission


def deal_json(deal: Deal) -> dict:
    return {
        "id": deal.pk,
        "kind": deal.kind,
        "corrects": deal.corrects_id,
        "direction": deal.direction,
        "seller_id": deal.seller_id,
        "buyer_id": deal.buyer_id,
        "commodity": deal.commodity,
        "hs_code": deal.hs_code,
        "volume": None
        if deal.volume is None
        else str(Decimal(deal.volume).quantize(Decimal("0.001"))),
        "unit": deal.unit,
        "value_idr": deal.value_idr,
        "stage": deal.stage,
        "note": deal.note,
        "reason": deal.reason,
        "is_late": deal.is_late,
        "recorded_at": deal.recorded_at,
        "recorded_by": deal.recorded_by.get_username(),
    }


def _page(queryset, query: PageQuery) -> tuple[int, list]:
    start = (query.page - 1) * query.page_size
    return queryset.count(), list(queryset[start : start + query.page_size])


def _ledger_problem(error: ValidationError, *, prefix: str = "") -> Problem:
    """A domain ValidationError as the problem it is: a state conflict or bad fields."""
    fields = getattr(error, "error_dict", {})
    if "idempotency_key" in fields:
        return idempotency_key_problem(" ".join(error.message_dict["idempotency_key"]))
    if "mission" in fields:
        return Problem("mission-not-open", 409, " ".join(error.message_dict["mission"]))
    if "deal" in fields:
        return Problem("ledger-conflict", 409, " ".join(error.message_dict["deal"]))
    items = validation_errors(error, prefix=prefix)
    for item in items:
        if item["field"] == prefix + "reason":
            item["field"] = "reason"
    return Problem(
        "validation",
        422,
        _("Correct the fields listed in errors; nothing was changed."),
        errors=items,
    )


def _conflict(conflict: IdempotencyConflict) -> Problem:
    return Problem(
        "idempotency-conflict",
        422,
        _(
            "This Idempotency-Key was already used for a different request (entry %(id)s). "
            "Use a new key for a new entry; nothing was changed."
        )
        % {"id": conflict.existing.pk},
        extra={"existing_id": conflict.existing.pk},
    )


def _busy() -> Problem:
    return Problem(
        "ledger-busy",
        409,
        _("Many desks are recording at once. Send the same request again in a second."),
        headers={"Retry-After": "1"},
    )


# --- Endpoints -----------------------------------------------------------------


@router.get(
    "/{slug:slug}/totals",
    response=TotalsOut,
    auth=TOKEN_OR_PUBLIC,
    summary=gettext_lazy("A mission's running totals"),
    description=gettext_lazy(
        "Total value, count of live deals and the split by direction, equal to the "
        "ledger's sum. A public mission needs no token."
    ),
    openapi_extra={"security": [{}], **problem_responses(401, 404)},
)
def mission_totals(request: HttpRequest, slug: str):
    mission = _mission(request, slug, "missions.view_mission", public=True)
    totals = queries.totals(mission)
    return {
        "mission": mission.slug,
        "total_idr": totals.total_idr,
        "count": totals.count,
        "by_direction": totals.by_direction,
        "as_of": totals.as_of,
        "timezone": mission.host.zone_label,
    }


@router.get(
    "/{slug:slug}/participants",
    response=ParticipantList,
    auth=TOKEN,
    summary=gettext_lazy("A mission's participants"),
    description=gettext_lazy("Businesses taking part, by name, paginated."),
    openapi_extra=problem_responses(401, 404, 422),
)
def mission_participants(request: HttpRequest, slug: str, query: Query[PageQuery]):
    mission = _mission(request, slug, "missions.view_mission")
    with scope(province=mission.organiser):
        participants = (
            Participant.objects.filter(mission=mission)
            .select_related("business")
            .order_by("business__name", "id")
        )
        count, rows = _page(participants, query)
    return {
        "count": count,
        "items": [
            {
                "id": p.pk,
                "business_id": p.business_id,
                "name": p.business.name,
                "side": p.side,
                "province": p.business.province_id,
                "regency": p.business.regency_id,
            }
            for p in rows
        ],
    }


@router.get(
    "/{slug:slug}/deals",
    response=DealList,
    auth=TOKEN,
    summary=gettext_lazy("A mission's ledger entries"),
    description=gettext_lazy(
        "Every entry in recording order, reversals and corrections included "
        "(see kind and corrects). Filter by direction, stage and time."
    ),
    openapi_extra=problem_responses(401, 404, 422),
)
def mission_deals(request: HttpRequest, slug: str, query: Query[DealQuery]):
    mission = _mission(request, slug, "missions.view_mission")
    with scope(province=mission.organiser):
        deals = Deal.objects.filter(mission=mission).select_related("recorded_by")
        if query.direction:
            deals = deals.filter(direction=query.direction)
        if query.stage:
            deals = deals.filter(stage=query.stage)
        if query.since:
            deals = deals.filter(recorded_at__gte=query.since)
        if query.until:
            deals = deals.filter(recorded_at__lt=query.until)
        count, rows = _page(deals.order_by("recorded_at", "id"), query)
    return {"count": count, "items": [deal_json(d) for d in rows]}


@router.post(
    "/{slug:slug}/deals",
    response={200: DealOut, 201: DealOut},
    auth=TOKEN,
    summary=gettext_lazy("Record a deal"),
    description=gettext_lazy(
        "201 with the new entry; 200 with the first entry when the same "
        "Idempotency-Key and payload are sent again (nothing is written). "
        "Values above Rp 1 triliun need confirm_large: true."
    ),
    openapi_extra=problem_responses(400, 401, 404, 409, 422),
)
def deal_create(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    payload: DealBody,
    idempotency_key: str = IdempotencyKey,
):
    mission = _mission(request, slug, "missions.record_deal")
    try:
        deal, created = domain.deal_record(
            actor=request.auth,
            mission=mission,
            key=idempotency_key,
            data=payload.to_input(),
            confirm_large=payload.confirm_large,
        )
    except IdempotencyConflict as conflict:
        raise _conflict(conflict) from None
    except LedgerBusy:
        raise _busy() from None
    except ValidationError as error:
        raise _ledger_problem(error) from None
    return created_or_replayed(response, created, deal_json(deal))


@router.post(
    "/{slug:slug}/deals/{int:deal_id}/corrections",
    response={200: CorrectionOut, 201: CorrectionOut},
    auth=TOKEN,
    summary=gettext_lazy("Correct a deal"),
    description=gettext_lazy(
        "Appends a reversal of the deal and, when corrected is given, the right deal. "
        "Idempotent on the Idempotency-Key like recording."
    ),
    openapi_extra=problem_responses(400, 401, 404, 409, 422),
)
def deal_correction(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    deal_id: int,
    payload: CorrectionBody,
    idempotency_key: str = IdempotencyKey,
):
    mission = _mission(request, slug, "missions.record_deal")
    deal = Deal.objects.with_scopes_disabled().filter(mission=mission, pk=deal_id).first()
    if deal is None:
        raise Http404("no such deal in this mission")
    deal.mission = mission
    corrected = payload.corrected
    try:
        reversal, correction, created = domain.deal_correct(
            actor=request.auth,
            deal=deal,
            key=idempotency_key,
            reason=payload.reason,
            corrected=corrected.to_input() if corrected else None,
            confirm_large=corrected.confirm_large if corrected else False,
        )
    except IdempotencyConflict as conflict:
        raise _conflict(conflict) from None
    except LedgerBusy:
        raise _busy() from None
    except ValidationError as error:
        raise _ledger_problem(error, prefix="corrected.") from None
    body = {
        "reversal": deal_json(reversal),
        "correction": deal_json(correction) if correction else None,
    }
    return created_or_replayed(response, created, body)
