"""The agreements API: agreements, their parties, action items and progress notes.

`/api/v1/agreements/{province}/…` where `province` is the province's
Kemendagri code (`35`) or short name (`jatim`), as in the registry API. A
token acts as its user, with the same rules as the pages: a province's team
reads the agreements it recorded or is party to, national viewers read
every province's, the recording province's managers create and change
agreements, and the managers of any party's province manage action items.
Another province, an agreement not visible there, an unknown id and a missing
right all answer 404, the same. Writes go through `niaga.agreements.domain`.

`POST /{province}` needs an Idempotency-Key header: the first request answers
201; a replay with the same key and body answers 200 with the same agreement
(and `Idempotent-Replayed: true`) and writes nothing; the same key with
another body answers 422 (idempotency-conflict). A stale `version` on an
update answers 422 with the rule `conflict`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import AfterValidator, ConfigDict, StrictInt
from pydantic_core import PydanticCustomError

from niaga.agreements import domain, queries
from niaga.agreements.models import (
    ActionItem,
    ActionItemStatus,
    Agreement,
    AgreementKind,
    AgreementParty,
    PartyKind,
)
from niaga.api.auth import TokenAuth
from niaga.api.main import problem_responses
from niaga.api.problems import Problem, created_or_replayed, validation_errors
from niaga.missions.models import Mission
from niaga.regions.models import Province

router = Router(tags=["agreements"])
TOKEN = TokenAuth()
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 500
MAX_ID = 2**63 - 1


def _no_control_characters(value: str | None) -> str | None:
    if value is not None and any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise PydanticCustomError("nul_character", "control characters are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_control_characters)]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
KindName = Literal[tuple(AgreementKind.values)]  # type: ignore[valid-type]
PartyKindName = Literal[tuple(PartyKind.values)]  # type: ignore[valid-type]
ItemStatusName = Literal[tuple(ActionItemStatus.values)]  # type: ignore[valid-type]
ValidityName = Literal["active", "expiring", "expired", "terminated"]

# --- Schemas -------------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX)


class AgreementQuery(PageQuery):
    party_province: str | None = Field(
        None, max_length=20, description="A province party to the agreement: code or short name."
    )
    party: str | None = Field(
        None, max_length=100, description="Words in a party's name or number."
    )
    status: ValidityName | None = Field(
        None, description="In force, expiring (within 90 days), expired or terminated."
    )
    year: int | None = Field(None, ge=1945, le=2100, description="Year signed.")
    mission: str | None = Field(None, max_length=60, description="The mission's short name.")
    kind: KindName | None = None


class PartyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: PartyKindName = "office"
    name: Annotated[Text, Field(max_length=200)] = ""
    province: str | None = Field(None, max_length=20, description="Code (35) or short name.")
    business_id: Id | None = None
    number: Annotated[Text, Field(max_length=100)] = ""
    signatory: Annotated[Text, Field(max_length=150)] = ""
    signatory_title: Annotated[Text, Field(max_length=150)] = ""


class AgreementIn(Schema):
    """A new agreement; the domain checks the rules between fields."""

    model_config = ConfigDict(extra="forbid")

    kind: KindName
    title: Annotated[Text, Field(max_length=300)]
    signed_on: dt.date
    place: Annotated[Text, Field(max_length=150)] = ""
    valid_from: dt.date | None = Field(None, description="Empty: the date signed.")
    valid_until: dt.date | None = None
    scope: Text = ""
    mission: str | None = Field(None, max_length=60, description="The mission's short name.")
    parties: list[PartyIn] = Field(..., max_length=20)


class ActionItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[Text, Field(max_length=300)]
    owner_name: Annotated[Text, Field(max_length=200)] = ""
    owner_party_id: Id | None = None
    due_on: dt.date | None = None
    status: ItemStatusName = "open"


class ActionItemPatch(Schema):
    """Only the fields sent change; `version` is the one the client read."""

    model_config = ConfigDict(extra="forbid")

    version: StrictInt
    title: Annotated[Text, Field(max_length=300)] | None = None
    owner_name: Annotated[Text, Field(max_length=200)] | None = None
    owner_party_id: Id | None = None
    due_on: dt.date | None = None
    status: ItemStatusName | None = None


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[Text, Field(max_length=5000)]
    written_on: dt.date | None = Field(None, description="Empty: today.")
    status: ItemStatusName | None = Field(None, description="The item's status afterwards.")


class PartyOut(Schema):
    id: int
    kind: str
    name: str
    province: str | None = Field(description="Kemendagri province code, or null.")
    business_id: int | None
    number: str
    signatory: str
    signatory_title: str


class NoteOut(Schema):
    id: int
    written_on: dt.date
    text: str
    status_after: str
    written_by: str
    written_at: dt.datetime


class ActionItemOut(Schema):
    id: int
    title: str
    owner_name: str
    owner_party_id: int | None
    due_on: dt.date | None
    status: str
    done_on: dt.date | None
    overdue: bool
    version: int
    notes: list[NoteOut]


class AgreementOut(Schema):
    id: int
    kind: str
    title: str
    owner: str = Field(description="The recording province's code.")
    signed_on: dt.date
    place: str
    valid_from: dt.date
    valid_until: dt.date | None
    scope: str
    mission: str | None
    status: str
    validity: ValidityName
    terminated_on: dt.date | None
    has_document: bool
    parties: list[PartyOut]
    open_items: int
    overdue_items: int
    version: int


class AgreementDetail(AgreementOut):
    action_items: list[ActionItemOut]


class AgreementList(Schema):
    count: int
    items: list[AgreementOut]


class ActionItemList(Schema):
    count: int
    items: list[ActionItemOut]


IdempotencyKey = Header(
    ...,
    alias="Idempotency-Key",
    min_length=8,
    max_length=80,
    description="Generated by the client once per new agreement and sent again on every retry.",
)

# --- Helpers -------------------------------------------------------------------


def _province(request: HttpRequest, code: str) -> Province:
    """The province if the caller may read its agreements; otherwise 404."""
    lookup = {"code": code} if code.isdigit() else {"slug": code}
    found = Province.objects.filter(**lookup).first()
    user = request.auth
    if (
        found is None
        or not user.has_perm("regions.view_province", found)
        or not user.has_perm("agreements.list_agreements", found)
    ):
        raise Http404("no such province")
    return found


def _agreement(request: HttpRequest, province: Province, pk: int, permission: str) -> Agreement:
    """A visible agreement of the province's space the caller may use; otherwise 404.
    Must run inside the province's scope."""
    found = queries.agreement_with_items(pk)
    if found is None or not request.auth.has_perm(permission, found):
        raise Http404("no such agreement")
    return found


def _today(province: Province) -> dt.date:
    return domain.local_today(province)


def _party_json(party: AgreementParty) -> dict:
    return {
        "id": party.pk,
        "kind": party.kind,
        "name": party.name,
        "province": party.province_id,
        "business_id": party.business_id,
        "number": party.number,
        "signatory": party.signatory,
        "signatory_title": party.signatory_title,
    }


def _item_json(item: ActionItem, today: dt.date) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "owner_name": item.owner_name,
        "owner_party_id": item.owner_party_id,
        "due_on": item.due_on,
        "status": item.status,
        "done_on": item.done_on,
        "overdue": queries.is_overdue(item, today),
        "version": item.version,
        "notes": [
            {
                "id": note.pk,
                "written_on": note.written_on,
                "text": note.text,
                "status_after": note.status_after,
                "written_by": note.written_by.get_username(),
                "written_at": note.written_at,
            }
            for note in item.notes.all()
        ],
    }


def _agreement_json(agreement: Agreement, today: dt.date, *, items: bool = False) -> dict:
    body = {
        "id": agreement.pk,
        "kind": agreement.kind,
        "title": agreement.title,
        "owner": agreement.owner_id,
        "signed_on": agreement.signed_on,
        "place": agreement.place,
        "valid_from": agreement.valid_from,
        "valid_until": agreement.valid_until,
        "scope": agreement.scope,
        "mission": agreement.mission.slug if agreement.mission_id else None,
        "status": agreement.status,
        "validity": queries.validity(agreement, today),
        "terminated_on": agreement.terminated_on,
        "has_document": bool(agreement.document),
        "parties": [_party_json(p) for p in agreement.parties.all()],
    }
    if items:
        rows = list(agreement.action_items.all())
        body["action_items"] = [_item_json(item, today) for item in rows]
        body["open_items"] = sum(1 for i in rows if i.status in queries.OPEN_STATUSES)
        body["overdue_items"] = sum(1 for i in rows if queries.is_overdue(i, today))
    else:
        body["open_items"] = agreement.open_count
        body["overdue_items"] = agreement.overdue_count
    return {**body, "version": agreement.version}


def _invalid(error: ValidationError) -> Problem:
    return Problem(
        "validation",
        422,
        _("Correct the fields listed in errors; nothing was changed."),
        errors=validation_errors(error),
    )


def _field_error(field: str, message: str, code: str = "invalid") -> Problem:
    return _invalid(ValidationError({field: [ValidationError(message, code=code)]}))


def _party_rows(body: AgreementIn) -> list[dict]:
    rows = []
    for index, party in enumerate(body.parties, start=1):
        province = None
        if party.province:
            lookup = (
                {"code": party.province} if party.province.isdigit() else {"slug": party.province}
            )
            province = Province.objects.filter(**lookup).first()
            if province is None:
                raise _field_error(
                    f"parties.{index - 1}.province",
                    _("Party %(n)s: no province %(code)s.") % {"n": index, "code": party.province},
                    "province",
                )
        rows.append(
            {
                "kind": party.kind,
                "name": party.name,
                "province": province,
                "business": party.business_id,
                "number": party.number,
                "signatory": party.signatory,
                "signatory_title": party.signatory_title,
            }
        )
    return rows


# --- Endpoints -----------------------------------------------------------------


@router.get(
    "/{province}",
    response=AgreementList,
    auth=TOKEN,
    summary=gettext_lazy("A province's agreements"),
    description=gettext_lazy(
        "Agreements the province recorded or is party to, newest signing first, with "
        "their parties and counts of open and overdue action items. Filter by a province "
        "party, a party's name or number, status (in force, expiring, expired, "
        "terminated), year signed, mission and kind."
    ),
    openapi_extra=problem_responses(401, 404, 422),
)
def agreement_list(request: HttpRequest, province: str, query: Query[AgreementQuery]):
    found = _province(request, province)
    party_province = None
    if query.party_province:
        code = query.party_province
        party_province = Province.objects.filter(
            **({"code": code} if code.isdigit() else {"slug": code})
        ).first()
        if party_province is None:
            raise _field_error("party_province", _("No such province."), "province")
    today = _today(found)
    filters = queries.Filters(
        province=party_province,
        party=(query.party or "").strip(),
        status=query.status or "",
        year=query.year,
        mission=query.mission or "",
        kind=query.kind or "",
    )
    with scope(province=found):
        rows = queries.agreement_list(today=today, filters=filters)
        count = rows.count()
        start = (query.page - 1) * query.page_size
        page = list(rows[start : start + query.page_size])
        return {"count": count, "items": [_agreement_json(a, today) for a in page]}


@router.get(
    "/{province}/{int:agreement_id}",
    response=AgreementDetail,
    auth=TOKEN,
    summary=gettext_lazy("An agreement with its parties and action items"),
    openapi_extra=problem_responses(401, 404),
)
def agreement_detail(request: HttpRequest, province: str, agreement_id: int):
    found = _province(request, province)
    with scope(province=found):
        agreement = _agreement(request, found, agreement_id, "agreements.view_agreement")
        return _agreement_json(agreement, _today(found), items=True)


@router.post(
    "/{province}",
    response={200: AgreementDetail, 201: AgreementDetail},
    auth=TOKEN,
    summary=gettext_lazy("Record an agreement"),
    description=gettext_lazy(
        "Records an agreement of the province with at least two parties. 201 with the new "
        "agreement; 200 with the first one when the same Idempotency-Key and body are sent "
        "again (nothing is written). The signed PDF is uploaded on the agreement's page."
    ),
    openapi_extra=problem_responses(400, 401, 404, 422),
)
def agreement_create(
    request: HttpRequest,
    response: HttpResponse,
    province: str,
    body: AgreementIn,
    idempotency_key: str = IdempotencyKey,
):
    found = _province(request, province)
    if not request.auth.has_perm("agreements.create_agreement", found):
        raise Http404("no such page for this token")
    mission = None
    if body.mission:
        mission = Mission.objects.with_scopes_disabled().filter(slug=body.mission).first()
        if mission is None:
            raise _field_error(
                "mission", _("Mission: no mission %(slug)s.") % {"slug": body.mission}
            )
    fields = body.dict(exclude={"parties", "mission"})
    try:
        agreement, created = domain.agreement_create_once(
            actor=request.auth,
            owner=found,
            key=idempotency_key,
            parties=_party_rows(body),
            mission=mission,
            **fields,
        )
    except domain.IdempotencyConflict as conflict:
        raise Problem(
            "idempotency-conflict",
            422,
            _(
                "This Idempotency-Key was already used for a different agreement (%(id)s). "
                "Use a new key for a new agreement; nothing was changed."
            )
            % {"id": conflict.existing.pk},
            extra={"existing_id": conflict.existing.pk},
        ) from None
    except ValidationError as error:
        raise _invalid(error) from None
    with scope(province=found):
        agreement = queries.agreement_with_items(agreement.pk)
        return created_or_replayed(
            response, created, _agreement_json(agreement, _today(found), items=True)
        )


@router.get(
    "/{province}/{int:agreement_id}/items",
    response=ActionItemList,
    auth=TOKEN,
    summary=gettext_lazy("An agreement's action items with their progress notes"),
    openapi_extra=problem_responses(401, 404),
)
def action_item_list(request: HttpRequest, province: str, agreement_id: int):
    found = _province(request, province)
    today = _today(found)
    with scope(province=found):
        agreement = _agreement(request, found, agreement_id, "agreements.view_agreement")
        rows = [_item_json(item, today) for item in agreement.action_items.all()]
    return {"count": len(rows), "items": rows}


def _item_body(agreement: Agreement, item_id: int) -> ActionItem:
    for item in agreement.action_items.all():
        if item.pk == item_id:
            return item
    raise Http404("no such action item")


def _item_answer(found: Province, agreement_id: int, item_id: int) -> dict:
    with scope(province=found):
        agreement = queries.agreement_with_items(agreement_id)
        return _item_json(_item_body(agreement, item_id), _today(found))


@router.post(
    "/{province}/{int:agreement_id}/items",
    response={201: ActionItemOut},
    auth=TOKEN,
    summary=gettext_lazy("Add an action item"),
    openapi_extra=problem_responses(401, 404, 422),
)
def action_item_create(request: HttpRequest, province: str, agreement_id: int, body: ActionItemIn):
    found = _province(request, province)
    with scope(province=found):
        agreement = _agreement(request, found, agreement_id, "agreements.update_action_item")
    try:
        item = domain.action_item_create(
            actor=request.auth,
            agreement=agreement,
            title=body.title,
            owner_name=body.owner_name,
            owner_party=body.owner_party_id,
            due_on=body.due_on,
            status=body.status,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _item_answer(found, agreement.pk, item.pk))


@router.patch(
    "/{province}/{int:agreement_id}/items/{int:item_id}",
    response=ActionItemOut,
    auth=TOKEN,
    summary=gettext_lazy("Change an action item's status, due date or owner"),
    description=gettext_lazy(
        "Send the version you read; a stale version answers 422 with the rule conflict. "
        "Status done sets done_on to today."
    ),
    openapi_extra=problem_responses(401, 404, 422),
)
def action_item_update(
    request: HttpRequest, province: str, agreement_id: int, item_id: int, body: ActionItemPatch
):
    found = _province(request, province)
    with scope(province=found):
        agreement = _agreement(request, found, agreement_id, "agreements.update_action_item")
        item = _item_body(agreement, item_id)
    changes = body.dict(exclude_unset=True, exclude={"version"})
    if "owner_party_id" in changes:
        changes["owner_party"] = changes.pop("owner_party_id")
    for name in ("title", "status"):
        if name in changes and changes[name] is None:
            raise _field_error(name, _("This field may not be null."), "required")
    try:
        domain.action_item_update(actor=request.auth, item=item, version=body.version, **changes)
    except ValidationError as error:
        raise _invalid(error) from None
    return _item_answer(found, agreement.pk, item.pk)


@router.post(
    "/{province}/{int:agreement_id}/items/{int:item_id}/notes",
    response={201: ActionItemOut},
    auth=TOKEN,
    summary=gettext_lazy("Add a progress note to an action item"),
    description=gettext_lazy(
        "A dated note, never edited; with status, the item moves to it (done sets done_on "
        "to the note's date). Answers the item with all its notes."
    ),
    openapi_extra=problem_responses(401, 404, 422),
)
def action_item_note(
    request: HttpRequest, province: str, agreement_id: int, item_id: int, body: NoteIn
):
    found = _province(request, province)
    with scope(province=found):
        agreement = _agreement(request, found, agreement_id, "agreements.update_action_item")
        item = _item_body(agreement, item_id)
    try:
        domain.action_item_note_add(
            actor=request.auth,
            item=item,
            text=body.text,
            written_on=body.written_on,
            status=body.status or "",
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _item_answer(found, agreement.pk, item.pk))
