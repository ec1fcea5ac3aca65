"""Reading a participant list from CSV or XLSX, checking all of it before anything is saved.

`read_participants` returns every row it understood and every problem it found
(line, column, rule), so the preview can list them all at once; the import is
committed by `domain.participants_import` only when the list has no problem.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from niaga.missions.models import Side
from niaga.regions.models import Province, Regency

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# Column → the header names people write for it, in Indonesian and English.
COLUMNS = {
    "name": ("name", "nama", "nama usaha", "nama pelaku usaha", "business"),
    "province": ("province", "provinsi", "kode provinsi", "province code"),
    "regency": (
        "regency",
        "kabupaten/kota",
        "kabupaten",
        "kota",
        "kode kabupaten/kota",
        "regency code",
    ),
    "sector": ("sector", "sektor", "bidang usaha"),
    "side": ("side", "pihak"),
    "contact_name": ("contact", "contact name", "narahubung", "kontak"),
    "contact_phone": ("phone", "contact phone", "telepon", "no hp", "nomor telepon"),
    "commodities": ("commodities", "komoditas"),
    "nib": ("nib",),
    "address": ("address", "alamat"),
}
REQUIRED = ("name", "province", "regency", "sector", "side")
SIDES = {
    "organiser": Side.ORGANISER,
    "organizer": Side.ORGANISER,
    "penyelenggara": Side.ORGANISER,
    "delegasi": Side.ORGANISER,
    "host": Side.HOST,
    "tuan rumah": Side.HOST,
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PHONE = re.compile(r"^(\+62|62|0)8\d{7,11}$")


@dataclass(frozen=True)
class Problem:
    line: int  # 1 is the header line
    column: str
    message: str


@dataclass
class ParticipantRows:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _header_key(text: str) -> str | None:
    cleaned = " ".join(str(text or "").strip().lower().replace("_", " ").split())
    for key, names in COLUMNS.items():
        if cleaned in names:
            return key
    return None


def _table(content: bytes, filename: str) -> list[list[str]]:
    """The file's cells as text. Raises ValueError with a message for the user."""
    if len(content) > MAX_BYTES:
        raise ValueError(_("The file is larger than 2 MB; split it into smaller files."))
    if not content.strip():
        raise ValueError(_("The file is empty."))
    if filename.lower().endswith(".xlsx"):
        return _xlsx_table(content)
    if not filename.lower().endswith(".csv"):
        raise ValueError(_("Upload a .csv or .xlsx file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            _(
                "The file is not UTF-8 text (byte %(position)s). In Excel, save it as "
                "“CSV UTF-8 (Comma delimited)”."
            )
            % {"position": error.start + 1}
        ) from error
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_table(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValueError(_("The file is not a readable .xlsx spreadsheet.")) from error
    sheet = workbook.worksheets[0]
    table = []
    for row in sheet.iter_rows(values_only=True):
        table.append(["" if cell is None else str(cell) for cell in row])
    workbook.close()
    return table


def read_participants(content: bytes, filename: str) -> ParticipantRows:
    """Parse and check a participant list. Never raises for bad content: it reports it."""
    result = ParticipantRows()
    try:
        table = _table(content, filename)
    except ValueError as error:
        result.problems.append(Problem(0, "", str(error)))
        return result
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        result.problems.append(Problem(0, "", _("The file is empty.")))
        return result
    header = [_header_key(cell) for cell in table[0]]
    missing = [key for key in REQUIRED if key not in header]
    unknown = [
        cell for cell, key in zip(table[0], header, strict=True) if key is None and cell.strip()
    ]
    if missing or unknown:
        if missing:
            result.problems.append(
                Problem(
                    1,
                    ", ".join(missing),
                    _(
                        "Missing columns: %(columns)s. The first line must name the columns "
                        "name, province, regency, sector and side (or nama, provinsi, "
                        "kabupaten/kota, sektor, pihak)."
                    )
                    % {"columns": ", ".join(missing)},
                )
            )
        if unknown:
            result.problems.append(
                Problem(
                    1,
                    ", ".join(unknown),
                    _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)},
                )
            )
        return result
    if len(table) - 1 > MAX_ROWS:
        result.problems.append(
            Problem(0, "", _("At most %(count)s rows per file.") % {"count": MAX_ROWS})
        )
        return result
    provinces = {p.code: p for p in Province.objects.all()}
    regencies = {r.code: r for r in Regency.objects.all()}
    seen: dict[tuple[str, str], int] = {}
    for line, cells in enumerate(table[1:], start=2):
        row = {
            key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(header) if key
        }
        problems_before = len(result.problems)

        def problem(column: str, message: str, line=line) -> None:
            result.problems.append(Problem(line, column, message))

        for column, value in row.items():
            if value.startswith(FORMULA_START):
                problem(
                    column,
                    _("Starts like a spreadsheet formula (= + - @); write it as plain text."),
                )
        if any(p.line == line for p in result.problems[problems_before:]):
            continue
        if not row["name"]:
            problem("name", _("The business name is empty."))
        elif len(row["name"]) > 200:
            problem("name", _("At most 200 characters."))
        province = provinces.get(row["province"])
        if province is None:
            problem(
                "province",
                _("“%(code)s” is not a province code (two digits, e.g. 35).")
                % {"code": row["province"]},
            )
        regency = regencies.get(row["regency"])
        if regency is None:
            problem(
                "regency",
                _("“%(code)s” is not a regency/city code (e.g. 35.78).") % {"code": row["regency"]},
            )
        elif province is not None and regency.province_id != province.code:
            problem(
                "regency",
                _("%(regency)s is not in province %(province)s.")
                % {"regency": regency.name, "province": province.name},
            )
        if not row["sector"]:
            problem("sector", _("The sector is empty."))
        side = SIDES.get(row["side"].lower())
        if side is None:
            problem("side", _("Write “penyelenggara” (organiser) or “tuan rumah” (host)."))
        nib = row.get("nib", "")
        if nib and not (len(nib) == 13 and nib.isdigit()):
            problem("nib", _("An NIB has exactly 13 digits."))
        phone = re.sub(r"[\s-]", "", row.get("contact_phone", ""))
        if phone and not PHONE.match(phone):
            problem("contact_phone", _("Not an Indonesian mobile number, e.g. 081234567890."))
        if regency is not None and row["name"]:
            identity = (row["name"].lower(), regency.code)
            if identity in seen:
                problem(
                    "name", _("The same business is on line %(line)s.") % {"line": seen[identity]}
                )
            else:
                seen[identity] = line
        if len(result.problems) == problems_before:
            result.rows.append(
                {
                    "line": line,
                    "name": row["name"],
                    "province": province,
                    "regency": regency,
                    "sector": row["sector"],
                    "side": side,
                    "contact_name": row.get("contact_name", ""),
                    "contact_phone": phone,
                    "commodities": row.get("commodities", ""),
                    "nib": nib,
                    "address": row.get("address", ""),
                }
            )
    if not table[1:]:
        result.problems.append(Problem(0, "", _("The file has a header line but no rows.")))
    return result
