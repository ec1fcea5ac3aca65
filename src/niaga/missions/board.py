"""The big-screen board: the running total of a public mission, seen across a ballroom.

The page loads once; board.js then asks for `data.json` every second. The data
carries the ledger version as its ETag, so an unchanged board costs one
primary-key read and a 304; a changed one is built once per version and
language and cached (never stale: the version comes from the database).
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from niaga.core.money import format_rupiah, format_rupiah_short
from niaga.missions import queries
from niaga.missions.models import Direction, EntryKind, Mission
from niaga.regions.clock import format_clock, format_local_datetime

RECENT_DEALS = 8
TOP_COMMODITIES = 6


def _public_or_404(slug: str) -> Mission:
    mission = queries.public_mission(slug)
    if mission is None:
        raise Http404("no public board with this name")
    return mission


@require_GET
def board(request, slug: str):
    mission = _public_or_404(slug)
    return TemplateResponse(
        request,
        "missions/board.html",
        {"mission": mission, "data": board_payload(mission, queries.totals(mission))},
    )


@require_GET
def board_data(request, slug: str):
    mission = _public_or_404(slug)
    totals = queries.totals(mission)
    language = translation.get_language()
    etag = f'"{mission.pk}-{totals.version}-{language}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        key = f"board:{mission.pk}:v{totals.version}:{language}"
        payload = cache.get(key)
        if payload is None:
            payload = board_payload(mission, totals)
            cache.set(key, payload, 600)
        response = JsonResponse(payload)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def board_payload(mission: Mission, totals: queries.Totals) -> dict:
    """Everything the board shows, already formatted in the active language."""
    host = mission.host
    recent = queries.recent_deals(mission, RECENT_DEALS)
    directions = dict(Direction.choices)
    # "per pukul 18.30 WITA": the time of the latest entry, in the host's zone.
    clock_moment = totals.last_recorded_at or totals.as_of
    return {
        "version": totals.version,
        "total_idr": totals.total_idr,
        "total_short": format_rupiah_short(totals.total_idr),
        "total_full": format_rupiah(totals.total_idr),
        "count": totals.count,
        "as_of": _("as of %(clock)s") % {"clock": format_clock(clock_moment, host)},
        "directions": [
            {
                "key": key,
                "label": str(directions[key]),
                "total_short": format_rupiah_short(value),
                "total_idr": value,
            }
            for key, value in totals.by_direction.items()
        ],
        "commodities": [
            {"name": row["commodity"], "total_short": format_rupiah_short(row["total_idr"])}
            for row in queries.by_commodity(mission, totals.version, limit=TOP_COMMODITIES)
        ],
        "recent": [
            {
                "clock": format_clock(deal.recorded_at, host),
                "seller": deal.seller.business.name,
                "buyer": deal.buyer.business.name,
                "commodity": deal.commodity,
                "value_short": format_rupiah_short(deal.value_idr),
                "is_reversal": deal.kind == EntryKind.REVERSAL,
            }
            for deal in recent
        ],
        "snapshots": [
            {
                "clock": format_clock(s.announced_at, host),
                "total_full": format_rupiah(s.total_idr),
            }
            for s in queries.snapshots(mission)
        ],
        "date": format_local_datetime(mission.opens_at, host).split(",")[0],
    }
