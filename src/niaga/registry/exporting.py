"""Downloads of registry lists as CSV (comma or semicolon) and XLSX, in template columns.

An export has the columns of the resource's import template
(`niaga.registry.resources`), so the file can be edited and imported again,
plus a few columns for reading only (names, curation status) that an import
ignores. Every cell goes through `niaga.core.exports.neutralise`: text that a
spreadsheet would run as a formula (= + - @ tab CR) is written with a leading
apostrophe. NIK is always masked (`3578********0001`); a person's phone,
e-mail and birth date are masked too (architecture rule 8).

Big lists do not sit in memory: CSV is streamed row by row, XLSX is written by
openpyxl's write-only mode into a temporary file. Rows are read with
`iterator(chunk_size=…)` and `select_related` plus subqueries, so the number
of queries does not grow with the rows (one per chunk on SQLite, one
server-side cursor on PostgreSQL).

List views call `maybe_export(request, …)` (or `export_response` directly) and
include "registry/imports/_export_links.html" for the three download links.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterator

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from niaga.core.exports import neutralise
from niaga.registry.resources import Resource, get_resource

# fmt → CSV delimiter (None: XLSX).
FORMATS: dict[str, str | None] = {"csv": ",", "csv-semicolon": ";", "xlsx": None}
CHUNK_SIZE = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Line:
    """A file-like object whose write returns what was written: csv.writer → one line."""

    def write(self, text: str) -> str:
        return text


def _safe_filename(filename: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-.")
    return cleaned or "ekspor"


def export_rows(resource: Resource, queryset) -> Iterator[list]:
    """Every row of `queryset` as the resource's export cells (not yet neutralised)."""
    columns = resource.columns
    for obj in resource.export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
        yield [column.export(obj) for column in columns]


def _csv_stream(resource: Resource, queryset, delimiter: str) -> Iterator[bytes]:
    writer = csv.writer(_Line(), delimiter=delimiter, lineterminator="\r\n")
    # UTF-8 with a byte order mark: Excel then reads accents and "–" right.
    yield ("\ufeff" + writer.writerow([c.header for c in resource.columns])).encode("utf-8")
    lines = []
    for row in export_rows(resource, queryset):
        lines.append(writer.writerow([neutralise(cell) for cell in row]))
        if len(lines) >= 500:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


def write_xlsx(resource: Resource, rows, target) -> None:
    """Write a one-sheet workbook with the resource's headers and `rows` into `target`
    (a path or a binary file), in openpyxl's write-only mode (rows are not kept)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=resource.sheet_title[:31])
    bold = Font(bold=True)
    header = []
    for column in resource.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    book.save(target)


def export_response(*, resource: str, queryset, fmt: str, filename: str) -> HttpResponse:
    """A download of `queryset` (already filtered and scoped by the caller) as a file.

    `resource` is "pesantren", "cooperatives", "people" or "products"; `fmt` is
    "csv" (comma), "csv-semicolon" (semicolon, what Excel in Indonesian
    settings expects) or "xlsx". `filename` is the name without extension
    (unsafe characters are replaced). Errors: Http404 for an unknown `fmt`
    (it comes from the query string); KeyError for an unknown `resource` (a
    programming error). Side effects: none (reads only).
    """
    if fmt not in FORMATS:
        raise Http404("unknown export format")
    spec = get_resource(resource)
    name = _safe_filename(filename)
    delimiter = FORMATS[fmt]
    if delimiter is not None:
        response = StreamingHttpResponse(
            _csv_stream(spec, queryset, delimiter), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    # A zip archive is written at the end, so XLSX cannot stream; the
    # temporary file keeps it out of memory and is removed when closed.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_xlsx(spec, export_rows(spec, queryset), target)
    target.seek(0)
    response = FileResponse(
        target, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
    return response


def default_filename(resource: str, province) -> str:
    """`pesantren-jatim-2026-11-28`: what a download of a province's list is called."""
    return f"{resource}-{province.slug}-{timezone.localdate().isoformat()}"


def maybe_export(request, *, resource: str, queryset, filename: str | None = None):
    """The export the request asks for with `?export=<fmt>`, or None when it asks for none.

    For list views: build the filtered queryset, then
    `if (response := maybe_export(request, resource=…, queryset=qs)): return response`.
    An unknown format answers 404.
    """
    fmt = request.GET.get("export")
    if not fmt:
        return None
    return export_response(
        resource=resource,
        queryset=queryset,
        fmt=fmt,
        filename=filename or default_filename(resource, request.province),
    )


# --- Templates ----------------------------------------------------------------------


def template_response(*, resource: str, fmt: str) -> HttpResponse:
    """The official import template of `resource`: the header and one example row.

    "csv" and "csv-semicolon" give a UTF-8 CSV with a byte order mark; "xlsx"
    gives a workbook whose first sheet is the data sheet (identifier columns
    formatted as text, so Excel keeps leading zeros and all 16 NIK digits)
    and whose second sheet, "Petunjuk", explains each column. Errors: Http404
    for an unknown format or resource.
    """
    from niaga.registry.resources import RESOURCES

    if fmt not in FORMATS or resource not in RESOURCES:
        raise Http404("unknown template")
    spec = RESOURCES[resource]
    columns = spec.import_columns
    name = f"template-{resource}"
    delimiter = FORMATS[fmt]
    if delimiter is not None:
        writer = csv.writer(_Line(), delimiter=delimiter, lineterminator="\r\n")
        text = (
            "\ufeff"
            + writer.writerow([c.header for c in columns])
            + writer.writerow([neutralise(c.example) for c in columns])
        )
        response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    import io

    from django.utils.translation import gettext as _
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = spec.sheet_title
    sheet.append([c.header for c in columns])
    sheet.append([neutralise(c.example) for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        if column.text_format:
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(title="Petunjuk")
    notes.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns:
        notes.append(
            [
                column.header,
                _("yes") if column.required else _("no"),
                str(column.note or column.label),
                str(column.example),
            ]
        )
    notes.append([])
    notes.append(
        [
            _(
                "Fill one row per record on the first sheet, from line 2; delete the example "
                "row. Keep the header line. Codes of regencies/cities and districts are "
                "Kemendagri codes. Dates are written 2024-08-17 or 17/08/2024."
            )
        ]
    )
    notes.column_dimensions["A"].width = 32
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 80
    notes.column_dimensions["D"].width = 28
    for row in notes.iter_rows(min_row=2):
        row[min(2, len(row) - 1)].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
