"""The big-screen board: the running total of a public mission, seen across a ballroom.

The page loads once; board.js then asks for `data.json` every second. The data
carries the ledger version as its ETag, so an unchanged board costs one
primary-key read and a 304; a changed one is built once per version and
language and cached (never stale: the version comes from the database).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseNotModified
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
# How long an app-server process may answer the feed from its own copy. Hundreds of
# screens ask every second; within this half second they cost no database query.
FEED_FRESH_SECONDS = 0.5
FEED_PATH = re.compile(r"/board/(?P<slug>[-a-zA-Z0-9_]+)/data\.json")


@dataclass(frozen=True)
class _FeedCopy:
    expires: float
    etag: str
    body: bytes


_feed_copies: dict[tuple[str, str], _FeedCopy] = {}
_feed_lock = threading.Lock()


def forget_feed_copies() -> None:
    """Drop this process's feed copies (tests; nothing else needs it)."""
    with _feed_lock:
        _feed_copies.clear()


def _remember(slug: str, language: str, etag: str, body: bytes) -> None:
    with _feed_lock:
        _feed_copies[(slug, language)] = _FeedCopy(
            time.monotonic() + FEED_FRESH_SECONDS, etag, body
        )


class BoardFeedMiddleware:
    """Answers the board feed from this process's copy while it is younger than
    FEED_FRESH_SECONDS, before sessions, authentication and the database are touched.

    The feed is public and the same for every viewer of a language, so the copy
    is safe to share; it is at most half a second behind the ledger.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        match = FEED_PATH.fullmatch(request.path_info) if request.method == "GET" else None
        if match:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
            copy = _feed_copies.get((match["slug"], language))
            if copy is not None and copy.expires > time.monotonic():
                return _feed_response(request, copy.etag, copy.body)
        return self.get_response(request)


def _feed_response(request, etag: str, body: bytes):
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


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
    key = f"board:{mission.pk}:v{totals.version}:{language}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(board_payload(mission, totals), cls=DjangoJSONEncoder).encode()
        cache.set(key, body, 600)
    _remember(slug, language, etag, body)
    return _feed_response(request, etag, body)


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
