"""The realization dashboards: a province's missions (/province/<slug>/realization/)
and one mission (/province/<slug>/realization/missions/<mission>/).

Both run in the province scope (`province_patterns`): a mission the province
neither organises nor hosts is not found (404), as is a page the user may not
read (`realization.view_dashboard` for the province page,
`realization.view_realization` for a mission). The figures come from one
`dashboard.for_province` / `dashboard.for_mission` call and the charts from
`charts`, as in the mission report, so the two always agree.
"""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from niaga.core.scoping import require_province_perm
from niaga.missions.models import Mission
from niaga.realization import charts, dashboard

VIEW_MISSION = "realization.view_realization"
VIEW_PROVINCE = "realization.view_dashboard"
TABLE_ROWS = 15
RISK_ROWS = 15


def mission_for_realization(request, slug: str, permission: str = VIEW_MISSION) -> Mission:
    """A mission of this province space (organiser or host) the user may use for
    `permission`; otherwise 404, the same for every reason."""
    mission = (
        Mission.objects.select_related("organiser", "host", "host_regency")
        .filter(slug=slug)
        .first()
    )
    if mission is None or not request.user.has_perm(permission, mission):
        raise Http404("no such mission in this province space")
    return mission


def board_context(board: dashboard.Realization, *, prefix: str = "chart") -> dict:
    """The charts and trimmed tables that every realization page shows."""
    return {
        "board": board,
        "totals_chart": charts.totals_chart(board.totals, chart_id=f"{prefix}-totals"),
        "rate_chart": charts.rate_chart(board.over_time, chart_id=f"{prefix}-rate"),
        "table_rows": TABLE_ROWS,
        "risk_rows": board.at_risk[:RISK_ROWS],
    }


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


@require_GET
@require_province_perm(VIEW_PROVINCE)
def realization_dashboard(request):
    province = request.province
    board = dashboard.for_province(province, year=_year(request))
    context = board_context(board)
    context["series_chart"] = charts.series_chart(board.series, chart_id="chart-series")
    context["can_follow_up"] = request.user.has_perm("realization.view_followup", province)
    return TemplateResponse(request, "realization/dashboard.html", context)


@require_GET
def mission_realization(request, slug: str):
    mission = mission_for_realization(request, slug)
    board = dashboard.for_mission(mission)
    context = board_context(board)
    context.update(
        {
            "mission": mission,
            "can_follow_up": request.user.has_perm("realization.record_progress", mission)
            or request.user.has_perm("realization.verify", mission),
        }
    )
    return TemplateResponse(request, "realization/dashboard_mission.html", context)
