"""The program dashboard as a PDF and as an XLSX workbook.

Both are made from the figures of one `dashboard.build` call, as the page is:

- the PDF is the page's own HTML partials (the same SVG charts inline,
  the same tables) printed by WeasyPrint on A4 with the stylesheet of the
  dashboard (`programs/dashboard.css`), in the reader's language;
- the XLSX has a sheet of the indicators (actual, target, forecast,
  verdict), a sheet per indicator with its yearly series, and a sheet of
  the regency drill-down for the year chosen on the page, one row per
  indicator and regency/city. Every text cell goes through
  `niaga.core.exports.neutralise` (a text that a spreadsheet would run as a
  formula is written with a leading apostrophe); numbers stay numbers.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from niaga.core.exports import neutralise
from niaga.programs.dashboard import (
    COMPUTED,
    FIGURE,
    Dashboard,
    IndicatorSummary,
    RegencyBreakdown,
)
from niaga.programs.models import IndicatorSource, Program

STYLESHEET = "programs/dashboard.css"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def filename(program: Program, board: Dashboard, extension: str) -> str:
    """dasbor-opop-jatim-2026-11-28.pdf"""
    return f"dasbor-{program.slug}-{board.today.isoformat()}.{extension}"


# --- PDF -------------------------------------------------------------------------------


def html(context: dict) -> str:
    """The standalone HTML document the PDF is printed from."""
    return render_to_string("programs/dashboard/pdf.html", context)


def pdf(context: dict) -> bytes:
    """The dashboard as A4 pages (bytes beginning with %PDF)."""
    from weasyprint import CSS, HTML

    stylesheet = CSS(string=Path(finders.find(STYLESHEET)).read_text(encoding="utf-8"))
    # No base_url: the document fetches nothing, so WeasyPrint opens no file or URL.
    return HTML(string=html(context)).write_pdf(stylesheets=[stylesheet])


# --- XLSX ------------------------------------------------------------------------------


def _origin(origin: str) -> str:
    if origin == FIGURE:
        return _("Entered figure")
    if origin == COMPUTED:
        return _("Computed")
    return ""


def _source(summary: IndicatorSummary) -> str:
    if summary.source == IndicatorSource.COMPUTED:
        return str(IndicatorSource.COMPUTED.label)
    return str(IndicatorSource.ENTERED.label)


def _percent(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_UNSAFE.sub(" ", name).strip()[:28] or "Sheet"
    title, n = base, 2
    while title.casefold() in taken:
        title = f"{base[:26]} {n}"
        n += 1
    taken.add(title.casefold())
    return title


def _row(values: list) -> list:
    return [neutralise(value) if value is not None else None for value in values]


def indicator_rows(board: Dashboard) -> list[list]:
    """The first sheet's rows (header first), as the page shows them."""
    header = [
        _("Indicator"),
        _("Source"),
        _("Actual"),
        _("As of"),
        _("Target"),
        _("Target year"),
        _("% of target"),
        _("Forecast"),
        _("Forecast low"),
        _("Forecast high"),
        _("Verdict"),
        _("How this is counted"),
    ]
    rows = [header]
    for s in board.indicators:
        forecast = s.forecast
        rows.append(
            [
                s.name,
                _source(s),
                s.actual,
                s.actual_as_of.isoformat() if s.actual_as_of else None,
                s.target,
                s.target_year,
                _percent(s.percent),
                forecast.value_int if forecast else None,
                forecast.low_int if forecast else None,
                forecast.high_int if forecast else None,
                s.verdict_text,
                s.definition,
            ]
        )
    return rows


def series_rows(summary: IndicatorSummary) -> list[list]:
    targets = dict(summary.targets)
    rows = [[_("Year"), _("Value"), _("Origin"), _("As of"), _("Source"), _("Target")]]
    for point in summary.series:
        rows.append(
            [
                point.year,
                point.value,
                _origin(point.origin),
                point.as_of.isoformat() if point.as_of else None,
                point.source_note or None,
                targets.get(point.year),
            ]
        )
    # Target years after the series (the years still ahead).
    for year, value in summary.targets:
        if year > summary.series[-1].year:
            rows.append([year, None, None, None, None, value])
    if summary.forecast is not None:
        rows.append([])
        rows.append([summary.forecast_text])
        rows.append([summary.method_text])
    return rows


def regency_rows(board: Dashboard, year: int, sort: str, descending: bool) -> list[list]:
    rows = [
        [_("Year"), year],
        [
            _("Indicator"),
            _("Regency/city"),
            _("Code"),
            _("Value"),
            _("Origin"),
            _("Target"),
            _("Target year"),
            _("% of target"),
        ],
    ]
    for summary in board.indicators:
        breakdown = board.regencies(summary.key, year, sort=sort, descending=descending)
        for row in breakdown.rows:
            rows.append(
                [
                    summary.name,
                    row.name,
                    row.code,
                    row.value,
                    _origin(row.origin),
                    row.target,
                    row.target_year,
                    _percent(row.percent),
                ]
            )
    return rows


def xlsx(board: Dashboard, breakdown: RegencyBreakdown | None) -> bytes:
    """The workbook (see the module docstring); the drill-down sheet is of the
    year (and order) of `breakdown`, else the current year by value."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    taken: set[str] = set()
    bold = Font(bold=True)

    def fill(sheet, rows: list[list], header_rows: int = 1) -> None:
        for row in rows:
            sheet.append(_row(row))
        for row in sheet.iter_rows(min_row=1, max_row=header_rows):
            for cell in row:
                cell.font = bold
        sheet.column_dimensions["A"].width = 28

    first = book.active
    first.title = _sheet_title(_("Indicators"), taken)
    fill(first, indicator_rows(board))
    for summary in board.indicators:
        fill(book.create_sheet(_sheet_title(summary.name, taken)), series_rows(summary))
    year = breakdown.year if breakdown else board.current_year
    sort = breakdown.sort if breakdown else "value"
    descending = breakdown.descending if breakdown else True
    fill(
        book.create_sheet(_sheet_title(_("Regencies"), taken)),
        regency_rows(board, year, sort, descending),
        header_rows=2,
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
