"""The public transparency page of a mission, /transparansi/<slug>/ (no login).

Only a public mission whose organiser published the page (`transparency_set`)
has one; any other slug answers 404. It shows committed, delivered and paid
totals, the deals per stage and the largest commitments, never a contact
person or phone number (the report is built with include_contacts=False).
"""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from niaga.realization import charts
from niaga.reports import queries, report


@require_GET
def mission_transparency(request, slug: str):
    mission = queries.published_mission(slug)
    if mission is None:
        raise Http404("no published transparency page for this mission")
    built = report.build(mission, include_contacts=False)
    board = built.realization
    return TemplateResponse(
        request,
        "reports/transparency.html",
        {
            "mission": mission,
            "report": built,
            "board": board,
            "totals_chart": charts.totals_chart(board.totals, chart_id="public-totals"),
        },
    )
