"""The program dashboard, /province/<slug>/programs/<program>/dashboard/, its PDF
and XLSX exports, and the national comparison of programs, /programs/.

The dashboard pages run in the province scope (`province_patterns`): another
province's program is not found (404); reading needs `programs.view_program`.
The page, the PDF and the XLSX show the figures of one `dashboard.build`
call and the same charts (`charts`), so they always agree.

The national comparison is the one deliberate cross-province read of
programs: it opens no province scope but disables scopes explicitly (in
`niaga.programs.comparison`), shows figures only (no personal data), and
needs `programs.view_national_comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from niaga.core.scoping import require_province_perm
from niaga.programs import charts, comparison, dashboard_exports
from niaga.programs.dashboard import (
    FIGURES_WIN_RULE,
    REGENCY_RULE,
    Dashboard,
    IndicatorSummary,
    RegencyBreakdown,
    build,
)
from niaga.programs.forms_indicators import DashboardForm
from niaga.programs.models import Program

VIEW = "programs.view_program"
MANAGE_INDICATORS = "programs.manage_indicators"
COMPARE = "programs.view_national_comparison"
SORT_LABELS = ("name", "value", "target", "percent")


def program_or_404(slug: str) -> Program:
    """A program of the current province space (the scope hides every other)."""
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404("no such program in this province space")
    return program


@dataclass(frozen=True)
class Card:
    """One indicator on the page: its figures, its chart and its progress bar."""

    summary: IndicatorSummary
    chart: SafeString
    bar: SafeString


@dataclass(frozen=True)
class SortLink:
    key: str
    query: str
    aria_sort: str  # "ascending", "descending" or "none"


def _sort_links(request, breakdown: RegencyBreakdown | None) -> dict[str, SortLink]:
    links = {}
    for key in SORT_LABELS:
        query = request.GET.copy()
        current = breakdown is not None and breakdown.sort == key
        if current:
            direction = "asc" if breakdown.descending else "desc"
            aria = "descending" if breakdown.descending else "ascending"
        else:
            direction = "asc" if key == "name" else "desc"
            aria = "none"
        query["sort"], query["dir"] = key, direction
        if breakdown is not None:
            query["indicator"], query["year"] = breakdown.indicator.key, str(breakdown.year)
        links[key] = SortLink(key, query.urlencode(), aria)
    return links


def dashboard_context(request, program: Program, board: Dashboard | None = None) -> dict:
    """Everything the page and the PDF show, from one `build` (query string:
    indicator, year, sort, dir for the drill-down)."""
    board = board or build(program)
    form = DashboardForm(request.GET or None, indicators=board.indicators, years=board.years)
    key, year, sort, descending = form.choice()
    breakdown = board.regencies(key, year, sort=sort, descending=descending) if key else None
    cards = [
        Card(
            summary=summary,
            chart=charts.series_chart(summary, chart_id=f"chart-{summary.key}"),
            bar=charts.progress_bar(summary),
        )
        for summary in board.indicators
    ]
    selection = {}
    if breakdown is not None:
        selection = {
            "indicator": breakdown.indicator.key,
            "year": breakdown.year,
            "sort": breakdown.sort,
            "dir": "desc" if breakdown.descending else "asc",
        }
    return {
        "program": program,
        "province": board.province,
        "board": board,
        "cards": cards,
        "form": form,
        "breakdown": breakdown,
        "regency_chart": (
            charts.regency_chart(breakdown, chart_id="chart-regencies") if breakdown else None
        ),
        "regency_rule": REGENCY_RULE,
        "figures_rule": FIGURES_WIN_RULE,
        "sort_links": _sort_links(request, breakdown),
        "export_query": urlencode(selection),
        "can_manage": request.user.has_perm(MANAGE_INDICATORS, request.province),
    }


@require_GET
@require_province_perm(VIEW)
def program_dashboard(request, program: str):
    found = program_or_404(program)
    return TemplateResponse(
        request, "programs/dashboard/dashboard.html", dashboard_context(request, found)
    )


@require_GET
@require_province_perm(VIEW)
def program_dashboard_pdf(request, program: str):
    found = program_or_404(program)
    context = dashboard_context(request, found)
    response = HttpResponse(dashboard_exports.pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{dashboard_exports.filename(found, context["board"], "pdf")}"'
    )
    return response


@require_GET
@require_province_perm(VIEW)
def program_dashboard_xlsx(request, program: str):
    found = program_or_404(program)
    context = dashboard_context(request, found)
    response = HttpResponse(
        dashboard_exports.xlsx(context["board"], context["breakdown"]),
        content_type=dashboard_exports.XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{dashboard_exports.filename(found, context["board"], "xlsx")}"'
    )
    return response


@require_GET
@login_required
def program_comparison(request):
    """Every province's programs side by side (read-only, figures only)."""
    if not request.user.has_perm(COMPARE):
        raise Http404("no national comparison for this account")
    rows = comparison.national_comparison()
    return TemplateResponse(
        request,
        "programs/dashboard/comparison.html",
        {"rows": rows, "keys": comparison.STANDARD_KEYS, "names": comparison.key_names()},
    )
