"""The desk page: where an officer records a mission's deals on a tablet.

Every page and endpoint here sits under /province/<slug>/missions/<mission>/desk/
and needs `missions.record_deal` on the mission (anyone else gets 404, as for a
mission that does not exist):

- GET  desk/                       the page; its form carries a fresh idempotency key.
- GET  desk/participants/?q=&side= the type-ahead: at most 10 matching participants (JSON).
- POST desk/deals/                 one deal (JSON or form data); answers JSON, see `desk_deal`.
- GET  desk/recent/                the officer's recent deals and the totals (htmx partial).
- POST desk/deals/<id>/correct/    a correction of one of those deals (htmx partial).

Recording exactly once: the key is made when the form opens (by the server, then
by desk.js for each next entry) and travels with the entry wherever it goes: a
double tap, a retry after a dropped response, or an entry kept in the browser
while the connection was down and sent later all reach `deal_record` with the
same key, which records the first and answers every later one with that same
entry ("replayed"). desk.js treats a replay as recorded. See desk.js for the
browser's side (the queue of waiting entries).
"""

from __future__ import annotations

import json
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from niaga.core.money import format_rupiah, format_rupiah_short
from niaga.missions import domain, queries
from niaga.missions.desk_forms import DeskCorrectionForm, DeskDealForm
from niaga.missions.domain import CONFIRM_ABOVE_IDR, MAX_VALUE_IDR, IdempotencyConflict, LedgerBusy
from niaga.missions.models import (
    Deal,
    Direction,
    EntryKind,
    Mission,
    MissionStatus,
    Participant,
    Side,
    Stage,
)
from niaga.missions.views import mission_or_404
from niaga.regions.clock import format_clock

RECORD = "missions.record_deal"
MATCHES = 10  # type-ahead suggestions at most
RECENT = 10  # the officer's recent deals shown with a "correct" action
MAX_TERMS = 5  # words of a type-ahead query that are matched


def _desk_mission(request, slug: str) -> Mission:
    return mission_or_404(request, slug, RECORD)


def may_write(user, mission: Mission) -> bool:
    """Deals are taken while the mission is open; a manager adds late ones after it closed."""
    if mission.status == MissionStatus.OPEN:
        return True
    return mission.status == MissionStatus.CLOSED and user.has_perm(
        "missions.manage_mission", mission
    )


def _closed_message(mission: Mission) -> str:
    if mission.status == MissionStatus.PLANNED:
        return _("This mission is not open yet.")
    return _("This mission is closed; only a mission manager can add late entries.")


# --- What the page gives desk.js -------------------------------------------------


def money_config(language: str | None = None) -> dict:
    """How the active language writes rupiah, read off the one formatting helper,
    so that desk.js echoes a value exactly as `format_rupiah_short` would."""
    zero = format_rupiah(0, language=language)
    thousand = format_rupiah(1000, language=language)
    one_and_half = format_rupiah_short(1_500_000, language=language)
    prefix = zero[:-1]
    return {
        "prefix": prefix,
        "group": thousand[len(prefix) + 1],
        "decimal": one_and_half[len(prefix) + 1],
        "units": {
            str(exponent): format_rupiah_short(10**exponent, language=language).split()[-1]
            for exponent in (6, 9, 12)
        },
    }


def _strings(mission: Mission) -> dict:
    organiser, host = mission.organiser.name, mission.host.name
    return {
        "waiting": pgettext("desk entry", "waiting"),
        "refused": pgettext("desk entry", "refused"),
        "waiting_note": _("Kept on this tablet; it is sent when the connection returns."),
        "sending": _("Sending…"),
        "online": _("Connected"),
        "offline": _(
            "No connection. New entries are kept on this tablet and sent when it returns."
        ),
        "kept": _(
            "No answer from the server: the entry is kept on this tablet and will be sent "
            "again. It will be counted once."
        ),
        "recorded": _("Recorded at %(clock)s."),
        "replayed": _("Already recorded at %(clock)s; it was counted once."),
        "invalid": _("Check the marked fields; nothing was recorded."),
        "session": _(
            "The server asks for a new login. Log in again in another tab; the waiting "
            "entries stay on this tablet."
        ),
        "unload": _("Some entries are still waiting to be sent."),
        "gone": _(
            "The server no longer takes entries for this mission from this account; "
            "nothing was recorded."
        ),
        "discard_confirm": _("Discard this entry? It has not been recorded."),
        "edit": _("Edit"),
        "discard": _("Discard"),
        "no_match": _("No participant matches."),
        "search_offline": _("No connection: searching the list kept on this tablet."),
        "value_prompt": _("Type the value in rupiah."),
        "value_unreadable": _(
            "Not readable yet: write e.g. 2500000000, 2.500.000.000 or 2,5 miliar."
        ),
        "value_zero": _("The value must be above zero."),
        "value_too_large": _("Values above %(limit)s are refused; check the number of digits.")
        % {"limit": format_rupiah(MAX_VALUE_IDR)},
        "confirm_needed": _("The value is above %(limit)s: confirm that %(value)s is right.")
        % {"limit": format_rupiah(CONFIRM_ABOVE_IDR), "value": "%(value)s"},
        "direction_required": _("Choose sell, buy or investment."),
        "stage_required": _("Choose potensi, komitmen or kontrak."),
        "seller_required": _("Choose the seller from the suggestions: type part of the name."),
        "buyer_required": _("Choose the buyer from the suggestions: type part of the name."),
        "commodity_required": _("Name the commodity, e.g. telur ayam ras."),
        "correct_offline": _(
            "The correction was not sent: no connection. Try again when it is back."
        ),
        "side": {
            Side.ORGANISER: _("%(province)s delegation") % {"province": organiser},
            Side.HOST: _("Host side (%(province)s)") % {"province": host},
        },
        "hint": {
            Side.ORGANISER: _("From the %(province)s delegation.") % {"province": organiser},
            Side.HOST: _("From the host side (%(province)s).") % {"province": host},
            "any": _("From either side."),
            "opposite": _("From the side opposite the investor."),
        },
        "label": {
            "seller": _("Seller"),
            "buyer": _("Buyer"),
            "investor": _("Investor"),
            "target": _("Investment target"),
        },
    }


def _participant_json(participant: Participant) -> dict:
    return {
        "id": participant.pk,
        "name": participant.business.name,
        "side": participant.side,
        "regency": participant.business.regency.name,
    }


def participant_matches(mission: Mission, text: str, side: str = "") -> list[Participant]:
    """At most MATCHES participants whose name contains every word of `text`, by name.

    One query, whatever the number of participants. `side` ("organiser" or
    "host") narrows to one side of the mission; anything else means both.
    """
    participants = Participant.objects.filter(mission=mission).select_related("business__regency")
    if side in Side.values:
        participants = participants.filter(side=side)
    for term in text.split()[:MAX_TERMS]:
        participants = participants.filter(business__name__icontains=term)
    return list(participants.order_by("business__name", "pk")[:MATCHES])


def recent_entries(mission: Mission, user) -> list[Deal]:
    """The user's latest deals in the mission (recorded or corrected entries, not
    reversals), newest first, each marked `is_reversed` once corrected. One query."""
    reversal = Deal.objects.filter(corrects=OuterRef("pk"), kind=EntryKind.REVERSAL)
    return list(
        Deal.objects.filter(mission=mission, recorded_by=user)
        .exclude(kind=EntryKind.REVERSAL)
        .select_related("seller__business", "buyer__business")
        .annotate(is_reversed=Exists(reversal))
        .order_by("-recorded_at", "-id")[:RECENT]
    )


def _correction_forms(entries: list[Deal], bound: DeskCorrectionForm | None = None) -> list:
    """Each entry with its correction form, which carries its own fresh key; a form
    sent back with errors stays bound (and open) at its deal, listed first if the
    deal has meanwhile left the recent list."""
    if bound is not None and all(deal.pk != bound.deal.pk for deal in entries):
        entries = [bound.deal, *entries]
    rows = []
    for deal in entries:
        if bound is not None and bound.deal.pk == deal.pk:
            form = bound
        else:
            form = DeskCorrectionForm(
                prefix=f"c{deal.pk}", deal=deal, initial={"key": str(uuid.uuid4())}
            )
        rows.append((deal, form))
    return rows


def _recent_context(request, mission: Mission, **extra) -> dict:
    entries = recent_entries(mission, request.user)
    return {
        "mission": mission,
        "totals": queries.totals(mission),
        "rows": _correction_forms(entries, extra.pop("bound", None)),
        "can_write": may_write(request.user, mission),
        "oob": True,
        **extra,
    }


# --- Views ---------------------------------------------------------------------------


@never_cache  # a page from the browser's cache would carry a key already used
@require_GET
def desk(request, slug: str):
    mission = _desk_mission(request, slug)
    can_write = may_write(request.user, mission)
    participants = (
        Participant.objects.filter(mission=mission)
        .select_related("business__regency")
        .order_by("business__name", "pk")
    )
    base = reverse("province:desk", kwargs={"province": request.province.slug, "slug": slug})
    config = {
        "urls": {
            "participants": base + "participants/",
            "deals": base + "deals/",
            "recent": base + "recent/",
        },
        # Waiting entries are kept per mission and per officer: another officer
        # logging in on the same tablet never sends them under their own name.
        "storage": f"niaga.desk.{mission.pk}.{request.user.pk}",
        "zone": mission.host.time_zone,
        "zone_label": mission.host.zone_label,
        "language": translation.get_language(),
        "money": money_config(),
        "confirm_above": CONFIRM_ABOVE_IDR,
        "max_value": MAX_VALUE_IDR,
    }
    return TemplateResponse(
        request,
        "missions/desk.html",
        {
            "mission": mission,
            "totals": queries.totals(mission),
            "key": str(uuid.uuid4()),
            "can_write": can_write,
            "closed_message": None if can_write else _closed_message(mission),
            "is_late": can_write and mission.status == MissionStatus.CLOSED,
            "directions": Direction.choices,
            "stages": Stage.choices,
            "config": config,
            "strings": _strings(mission),
            "participants": [_participant_json(p) for p in participants] if can_write else [],
            "rows": _correction_forms(recent_entries(mission, request.user)),
            "oob": False,
        },
    )


@require_GET
def desk_participants(request, slug: str):
    """The type-ahead: {"results": [{id, name, side, regency}]}, at most MATCHES."""
    mission = _desk_mission(request, slug)
    text = request.GET.get("q", "")[:100]
    matches = participant_matches(mission, text, request.GET.get("side", ""))
    return JsonResponse({"results": [_participant_json(p) for p in matches]})


def _payload(request) -> dict | None:
    """The posted fields: a JSON object of plain values, or form data; None if unreadable."""
    if request.content_type != "application/json":
        return request.POST
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    if not all(value is None or isinstance(value, str | int | bool) for value in data.values()):
        return None
    return data


def _error(status: int, kind: str, message: str, errors: dict | None = None, **headers):
    response = JsonResponse(
        {"status": kind, "message": message, "errors": errors or {}}, status=status
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _invalid(errors: dict) -> JsonResponse:
    fields = {field: [str(m) for m in messages] for field, messages in errors.items()}
    return _error(422, "invalid", _("Check the marked fields; nothing was recorded."), fields)


def deal_json(deal: Deal, mission: Mission) -> dict:
    return {
        "id": deal.pk,
        "key": deal.idempotency_key,
        "clock": format_clock(deal.recorded_at, mission.host),
        "direction": deal.direction,
        "direction_label": str(deal.get_direction_display()),
        "seller": deal.seller.business.name,
        "buyer": deal.buyer.business.name,
        "commodity": deal.commodity,
        "value_idr": deal.value_idr,
        "value_full": format_rupiah(deal.value_idr),
        "value_short": format_rupiah_short(deal.value_idr),
        "stage": deal.stage,
        "stage_label": str(deal.get_stage_display()),
        "is_late": deal.is_late,
    }


def totals_json(totals: queries.Totals) -> dict:
    return {
        "version": totals.version,
        "total_idr": totals.total_idr,
        "total_short": format_rupiah_short(totals.total_idr),
        "total_full": format_rupiah(totals.total_idr),
        "count": totals.count,
    }


@require_POST
def desk_deal(request, slug: str):
    """Record one deal from the desk, exactly once per key.

    Answers JSON: 201 {"status": "recorded", "replayed": false, "deal", "totals"}
    for a new entry; 200 with "replayed": true and the first entry when the key
    was recorded before with the same payload; 422 {"status": "invalid",
    "message", "errors": {field: [messages]}} naming each field (the names of
    DealInput, as in the form); 422 "conflict" for a key reused with another
    payload; 409 "closed" when the mission takes no entries from this user;
    503 "busy" with Retry-After when the ledger stayed locked (send it again);
    400 "invalid" for a body that is not a JSON object of plain values.
    """
    mission = _desk_mission(request, slug)
    data = _payload(request)
    if data is None:
        return _error(400, "invalid", _("The entry could not be read; nothing was recorded."))
    form = DeskDealForm(data)
    if not form.is_valid():
        return _invalid(form.errors)
    try:
        deal, created = domain.deal_record(
            actor=request.user,
            mission=mission,
            key=form.cleaned_data["key"],
            data=form.deal_input(),
            confirm_large=form.cleaned_data["confirm_large"],
        )
    except IdempotencyConflict as conflict:
        return _error(
            422,
            "conflict",
            _(
                "This entry's key was already used for a different deal (recorded at "
                "%(clock)s). Nothing was changed; enter the deal again as a new entry."
            )
            % {"clock": format_clock(conflict.existing.recorded_at, mission.host)},
        )
    except LedgerBusy:
        return _error(
            503,
            "busy",
            _("Many desks are recording at once; the entry is sent again in a moment."),
            Retry_After="1",
        )
    except ValidationError as error:
        errors = error.message_dict
        if "mission" in errors:
            return _error(409, "closed", " ".join(errors["mission"]))
        return _invalid(errors)
    deal = Deal.objects.select_related("seller__business", "buyer__business").get(pk=deal.pk)
    return JsonResponse(
        {
            "status": "recorded",
            "replayed": not created,
            "deal": deal_json(deal, mission),
            "totals": totals_json(queries.totals(mission)),
        },
        status=201 if created else 200,
    )


@never_cache
@require_GET
def desk_recent(request, slug: str):
    mission = _desk_mission(request, slug)
    return TemplateResponse(request, "missions/desk.html#recent", _recent_context(request, mission))


@require_POST
def desk_correct(request, slug: str, deal_id: int):
    """Correct one of the officer's recent deals; answers the refreshed recent list.

    200 with the list and the new totals; 422 with the form and its errors;
    409 when the mission takes no entries from this user any more.
    """
    mission = _desk_mission(request, slug)
    deal = (
        Deal.objects.filter(mission=mission, recorded_by=request.user, pk=deal_id)
        .exclude(kind=EntryKind.REVERSAL)
        .select_related("seller__business", "buyer__business")
        .first()
    )
    if deal is None:
        raise Http404("no such deal of this desk")
    form = DeskCorrectionForm(request.POST, prefix=f"c{deal.pk}", deal=deal)
    if not may_write(request.user, mission):
        form.is_valid()
        form.add_error(None, _closed_message(mission))
        return _correction_response(request, mission, form, 409)
    if not form.is_valid():
        return _correction_response(request, mission, form, 422)
    try:
        _reversal, correction, _created = domain.deal_correct(
            actor=request.user,
            deal=deal,
            key=form.cleaned_data["key"],
            reason=form.cleaned_data["reason"],
            corrected=form.corrected(),
            confirm_large=form.cleaned_data["confirm_large"],
        )
    except IdempotencyConflict:
        form.add_error(
            None,
            _("This correction form was already used for a different correction; reload the page."),
        )
        return _correction_response(request, mission, form, 422)
    except LedgerBusy:
        form.add_error(None, _("Many desks are recording at once; send the correction again."))
        return _correction_response(request, mission, form, 503)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return _correction_response(request, mission, form, 422)
    if correction is None:
        message = _("The deal is cancelled: %(value)s taken off the total.") % {
            "value": format_rupiah(deal.value_idr)
        }
    else:
        message = _("Corrected: %(old)s is now %(new)s.") % {
            "old": format_rupiah(deal.value_idr),
            "new": format_rupiah(correction.value_idr),
        }
    return TemplateResponse(
        request,
        "missions/desk.html#recent",
        _recent_context(request, mission, message=message),
    )


def _correction_response(request, mission, form, status):
    return TemplateResponse(
        request,
        "missions/desk.html#recent",
        _recent_context(request, mission, bound=form),
        status=status,
    )
