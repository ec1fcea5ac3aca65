"""The mission report as a PDF (WeasyPrint) and as an XLSX workbook (openpyxl).

Both print one `report.build` result, in the active language (the caller
chooses it: `?lang=en` or the reader's own):

- the PDF is `reports/report_pdf.html` on A4 with `reports/report_pdf.css`,
  with the same SVG charts as the web pages (`niaga.realization.charts`);
- the workbook has one sheet per section. Money is whole rupiah in number
  cells; every text cell goes through `niaga.core.exports.neutralise`, so a
  business named "=HYPERLINK(…)" is shown, never run.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from niaga.core.exports import neutralise
from niaga.realization import charts
from niaga.realization.dashboard import Group
from niaga.reports.press import press_summary
from niaga.reports.report import MissionReport

STYLESHEET = "reports/report_pdf.css"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def context(report: MissionReport) -> dict:
    """What the PDF template (and the report page) shows besides the report itself."""
    board = report.realization
    return {
        "report": report,
        "board": board,
        "mission": report.mission,
        "totals_chart": charts.totals_chart(board.totals, chart_id="report-totals"),
        "rate_chart": charts.rate_chart(board.over_time, chart_id="report-rate"),
        "press_summary": press_summary(report),
    }


def html(report: MissionReport) -> str:
    """The standalone HTML document the PDF is printed from."""
    return render_to_string("reports/report_pdf.html", context(report))


def stylesheet() -> str:
    return Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")


def pdf(report: MissionReport) -> bytes:
    """The report as A4 pages (bytes beginning with %PDF)."""
    from weasyprint import CSS, HTML

    # No base_url: the document fetches nothing, so WeasyPrint opens no file or URL.
    return HTML(string=html(report)).write_pdf(stylesheets=[CSS(string=stylesheet())])


# --- XLSX ----------------------------------------------------------------------------


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _group_rows(first: str, rows: list[Group]) -> list[list]:
    out = [
        [first, _("Deals"), _("Committed (Rp)"), _("Delivered (Rp)"), _("Paid (Rp)"), _("Rate (%)")]
    ]
    for row in rows:
        f = row.figures
        out.append(
            [row.name, f.count, f.committed_idr, f.delivered_idr, f.paid_idr, _percent(f.rate)]
        )
    return out


def sheets(report: MissionReport) -> list[tuple[str, list[list]]]:
    """(sheet title, rows) per section, header row first."""
    board = report.realization
    contacts = report.include_contacts
    top_header = [_("Rank"), _("Seller"), _("Seller's city")]
    if contacts:
        top_header.append(_("Seller's contact"))
    top_header += [_("Buyer"), _("Buyer's city")]
    if contacts:
        top_header.append(_("Buyer's contact"))
    top_header += [_("Commodity"), _("Volume"), _("Value (Rp)"), _("Stage"), _("Paid (Rp)")]
    top = [top_header]
    for row in report.top:
        line = [row.rank, row.seller.name, row.seller.city]
        if contacts:
            line.append(row.seller.contact)
        line += [row.buyer.name, row.buyer.city]
        if contacts:
            line.append(row.buyer.contact)
        line += [row.commodity, row.volume, row.value_idr, row.stage_label, row.paid_idr]
        top.append(line)
    people_header = [_("Business"), _("Side"), _("Regency/city"), _("Sector")]
    if contacts:
        people_header.append(_("Contact"))
    people = [people_header]
    for p in report.participants:
        line = [p.name, p.side_label, p.city, p.sector]
        if contacts:
            line.append(p.contact)
        people.append(line)
    totals = board.totals
    realization = [
        [_("As of"), board.today.isoformat()],
        [_("Committed (Rp)"), totals.committed_idr],
        [_("Delivered (Rp)"), totals.delivered_idr],
        [_("Paid (Rp)"), totals.paid_idr],
        [_("Realization rate (%)"), _percent(totals.rate)],
        [_("Deals"), totals.count],
        [_("Deals fully paid"), totals.fully_paid_count],
        [_("Deals at risk"), len(board.at_risk)],
        [],
        [_("Stage"), _("Deals"), _("Committed (Rp)")],
        *[[row.label, row.count, row.value_idr] for row in board.by_stage],
        [],
        [_("Since commitment"), _("Deals"), _("Committed (Rp)"), _("Not yet paid (Rp)")],
        *[[b.label, b.count, b.committed_idr, b.outstanding_idr] for b in board.ageing],
        [],
        [_("Month"), _("Committed (Rp)"), _("Delivered (Rp)"), _("Paid (Rp)"), _("Rate (%)")],
        *[
            [
                p.month.strftime("%Y-%m"),
                p.committed_idr,
                p.delivered_idr,
                p.paid_idr,
                _percent(p.rate),
            ]
            for p in board.over_time
        ],
    ]
    return [
        (_("Mission"), [[_("Fact"), _("Value")], *[list(f) for f in report.facts()]]),
        (
            _("Announced totals"),
            [
                [_("Announced at"), _("Total (Rp)"), _("Transactions")],
                *[[s.when, s.total_idr, s.count] for s in report.snapshots],
            ],
        ),
        (_("By direction"), _group_rows(_("Direction"), board.by_direction)),
        (_("Top ten"), top),
        (_("By commodity"), _group_rows(_("Commodity"), board.by_commodity)),
        (_("By regency"), _group_rows(_("Regency/city"), board.by_regency)),
        (_("Participants"), people),
        (
            _("Agreements"),
            [
                [_("Kind"), _("Title"), _("Numbers"), _("Parties"), _("Date signed"), _("Place")],
                *[
                    [a.kind, a.title, a.numbers, a.parties, a.signed_on.isoformat(), a.place]
                    for a in report.agreements
                ],
            ],
        ),
        (_("Realization"), realization),
        (_("Press summary"), [[press_summary(report)]]),
    ]


def xlsx(report: MissionReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)
    book.remove(book.active)
    for title, rows in sheets(report):
        sheet = book.create_sheet(_SHEET_UNSAFE.sub(" ", title)[:31])
        for row in rows:
            sheet.append([neutralise(v) if v is not None else None for v in row])
        for cell in sheet[1]:
            cell.font = bold
        sheet.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
