"""Reading import files: storing the upload, finding its columns, reading rows in chunks.

An upload is checked and stored once (`store_upload`): size, type, encoding,
header, row count. What is stored is always a UTF-8 CSV under a private
storage path (`private/imports/…`, never served at a URL): a UTF-8 CSV as it
came, a Windows-1252 CSV converted (with a notice that says so), an XLSX
converted row by row from openpyxl's read-only mode. Every later pass reads
that file with the csv module, streaming, from a byte offset, so a job can be
resumed by any app server and memory does not grow with the file.

Cells are read by the resource's columns (`niaga.registry.resources`):
`read_row` gives the clean values of one row and the problems of its cells.
Rules across rows and against the database are in
`niaga.registry.domain.imports`.

Error codes of `FileRejected` (what tests and callers may rely on):
too_large, empty, no_rows, file_type, not_spreadsheet, encoding, not_text,
too_many_rows, too_many_columns, malformed.
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from niaga.audit import masking
from niaga.core.exports import neutralise
from niaga.registry.resources import (
    Column,
    ImportContext,
    Resource,
    cell_text,
    header_key,
    is_masked,
)

PRIVATE_FOLDER = "private/imports"
MAX_COLUMNS = 200
MAX_CELL = 32_767  # what a spreadsheet cell holds; longer text is no template of ours
DELIMITERS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old binary .xls (or any OLE document)

csv.field_size_limit(MAX_CELL * 4)


def max_bytes() -> int:
    """The largest upload accepted (settings.NIAGA_IMPORT_MAX_BYTES, default 50 MB)."""
    return int(getattr(settings, "NIAGA_IMPORT_MAX_BYTES", 50 * 2**20))


def max_rows() -> int:
    """The most data rows one file may hold (settings.NIAGA_IMPORT_MAX_ROWS, default 1,000,000)."""
    return int(getattr(settings, "NIAGA_IMPORT_MAX_ROWS", 1_000_000))


class FileRejected(Exception):
    """A file that cannot be imported at all; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}".replace(".", ",")


@dataclass
class StoredFile:
    """What `store_upload` learnt about a file it accepted."""

    name: str  # storage name of the UTF-8 CSV
    source_format: str  # "csv" or "xlsx"
    delimiter: str
    header: list[str]
    header_line: int  # the line the header is on (1 unless blank lines come first)
    data_offset: int  # byte offset of the first row after the header
    total_rows: int
    notices: list[str] = field(default_factory=list)


# --- Storing and inspecting an upload -------------------------------------------


def _source_format(filename: str, head: bytes) -> str:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        if not head.startswith(_ZIP_MAGIC):
            raise FileRejected(
                "not_spreadsheet",
                _(
                    "The file is called .xlsx but is not an Excel workbook. Open it in a "
                    "spreadsheet program and save it as “Excel Workbook (.xlsx)” or as CSV."
                ),
            )
        return "xlsx"
    if lower.endswith(".xls") or head.startswith(_OLE_MAGIC):
        raise FileRejected(
            "file_type",
            _("Old Excel files (.xls) are not read. Save the file as .xlsx or as CSV UTF-8."),
        )
    if lower.endswith((".csv", ".txt")):
        if head.startswith(_ZIP_MAGIC):
            raise FileRejected(
                "not_text",
                _(
                    "The file is called .csv but holds a compressed archive (perhaps an "
                    "Excel workbook). Name it .xlsx, or save it as CSV."
                ),
            )
        return "csv"
    raise FileRejected("file_type", _("Upload a .csv or .xlsx file."))


def store_upload(upload, *, province) -> StoredFile:
    """Check an uploaded file and store it as a UTF-8 CSV under the private folder.

    Raises FileRejected (and stores nothing) for a file that is too large,
    empty, of another type, not a readable spreadsheet, not text in UTF-8 or
    Windows-1252, without a header and rows, or with too many rows or columns.
    """
    size = upload.size
    if size > max_bytes():
        raise FileRejected(
            "too_large",
            _("The file is %(size)s MB; at most %(limit)s MB can be imported. Split it in parts.")
            % {"size": _megabytes(size), "limit": _megabytes(max_bytes())},
        )
    if size == 0:
        raise FileRejected("empty", _("The file is empty."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    source_format = _source_format(upload.name or "", head)
    folder = f"{PRIVATE_FOLDER}/{province.code}"
    if source_format == "xlsx":
        return _store_xlsx(upload, folder)
    return _store_csv(upload, folder)


def _new_name(folder: str) -> str:
    return f"{folder}/{uuid.uuid4().hex}.csv"


def _store_csv(upload, folder: str) -> StoredFile:
    name = default_storage.save(_new_name(folder), File(upload))
    try:
        encoding, notices = _detect_encoding(name)
        if encoding != "utf-8":
            converted = _convert_encoding(name, encoding, folder)
            default_storage.delete(name)
            name = converted
        stored = _inspect_csv(name)
    except BaseException:
        default_storage.delete(name)
        raise
    stored.notices = notices + stored.notices
    return stored


def _detect_encoding(name: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without byte order mark), else Windows-1252 with a notice.

    Excel's "CSV (Comma delimited)" writes Windows-1252; names with é or ’ then
    fail as UTF-8. Windows-1252 reads every byte but five, so a file that fails
    both is no text file. UTF-16 (Excel's "Unicode text") is refused: its
    conversion is one click for the user and guessing it is unreliable.
    """
    with default_storage.open(name, "rb") as stored:
        raw = getattr(stored, "file", stored)
        head = raw.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileRejected(
                "encoding",
                _(
                    "The file is UTF-16 text. In Excel, save it as “CSV UTF-8 (Comma "
                    "delimited)” and upload it again."
                ),
            )
        raw.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for block in iter(lambda: raw.read(1 << 20), b""):
                if b"\x00" in block:
                    raise FileRejected(
                        "not_text",
                        _(
                            "The file is not a text file (it holds binary data). "
                            "Upload CSV or XLSX."
                        ),
                    )
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8", []
        except UnicodeDecodeError:
            pass
        raw.seek(0)
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            for block in iter(lambda: raw.read(1 << 20), b""):
                decoder.decode(block)
        except UnicodeDecodeError:
            raise FileRejected(
                "encoding",
                _(
                    "The file is neither UTF-8 nor Windows-1252 text. In Excel, save it as "
                    "“CSV UTF-8 (Comma delimited)” and upload it again."
                ),
            ) from None
    return "cp1252", [
        _(
            "The file was not UTF-8 and was read as Windows-1252 (what Excel's “CSV (Comma "
            "delimited)” writes). Check that names with accents look right in the preview; "
            "to be sure, save it as “CSV UTF-8”."
        )
    ]


def _convert_encoding(name: str, encoding: str, folder: str) -> str:
    with default_storage.open(name, "rb") as stored, tempfile.TemporaryFile() as target:
        raw = getattr(stored, "file", stored)
        reader = codecs.getreader(encoding)(raw)
        for block in iter(lambda: reader.read(1 << 20), ""):
            target.write(block.encode("utf-8"))
        target.seek(0)
        return default_storage.save(_new_name(folder), File(target))


def _delimiter_of(line: str) -> str:
    """The delimiter that splits the header line into the most columns."""
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _lines(raw, position: dict) -> Iterator[str]:
    """Lines of a binary UTF-8 file as text, counting the bytes read in `position`."""
    first = position["offset"] == 0
    for chunk in raw:
        position["offset"] += len(chunk)
        text = chunk.decode("utf-8")
        if first:
            text = text.removeprefix("\ufeff")
            first = False
        yield text


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _inspect_csv(name: str, *, source_format: str = "csv", notices=None) -> StoredFile:
    """Find the header and count the rows of a stored UTF-8 CSV."""
    limit = max_rows()
    with default_storage.open(name, "rb") as stored:
        raw = getattr(stored, "file", stored)
        position = {"offset": 0}
        lines = _lines(raw, position)
        header, header_line, delimiter, data_offset = None, 0, ",", 0
        declared = None
        for line, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            # Excel writes and reads a first line "sep=;" that names the delimiter.
            hint = text.strip()
            if declared is None and len(hint) == 5 and hint.lower().startswith("sep="):
                declared = hint[4]
                continue
            delimiter = declared or _delimiter_of(text)
            header = next(csv.reader([text], delimiter=delimiter))
            header_line = line
            data_offset = position["offset"]
            break
        if header is None:
            raise FileRejected("empty", _("The file is empty."))
        if len(header) > MAX_COLUMNS:
            raise FileRejected(
                "too_many_columns",
                _("The file has %(count)s columns; at most %(limit)s are read.")
                % {"count": len(header), "limit": MAX_COLUMNS},
            )
        rows = 0
        reader = csv.reader(lines, delimiter=delimiter)
        record = header_line
        try:
            for cells in reader:
                record += 1
                if _blank(cells):
                    continue
                rows += 1
                if rows > limit:
                    raise FileRejected(
                        "too_many_rows",
                        _("The file has more than %(limit)s rows; split it in parts.")
                        % {"limit": f"{limit:,}".replace(",", ".")},
                    )
        except csv.Error as error:
            raise FileRejected(
                "malformed",
                _("Line %(line)s cannot be read as CSV (%(error)s).")
                % {"line": record + 1, "error": error},
            ) from None
    if rows == 0:
        raise FileRejected(
            "no_rows", _("The file has a header line but no rows under it: nothing to import.")
        )
    header = [cell.strip() for cell in header]
    return StoredFile(
        name=name,
        source_format=source_format,
        delimiter=delimiter,
        header=header,
        header_line=header_line,
        data_offset=data_offset,
        total_rows=rows,
        notices=list(notices or []),
    )


def _xlsx_cell(value: Any) -> str:
    # Text as it is (a formula's text included: it is kept, never run);
    # numbers without a ".0"; dates as ISO dates.
    return cell_text(value) if not isinstance(value, str) else value


def _check_unpacked_size(path: str) -> None:
    """Refuse a workbook that unpacks to far more than any real sheet of the size limit.

    openpyxl keeps a workbook's shared strings in memory even in read-only
    mode, so a small "zip bomb" could exhaust it. XML compresses about ten
    times; twenty times the upload limit leaves room for any honest file.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says what is wrong with it
    if unpacked > 20 * max_bytes():
        raise FileRejected(
            "too_large",
            _(
                "The workbook unpacks to %(size)s MB, more than a sheet of %(limit)s MB can "
                "hold. Save it again as .xlsx, or split it in parts."
            )
            % {"size": _megabytes(unpacked), "limit": _megabytes(max_bytes())},
        )


def _store_xlsx(upload, folder: str) -> StoredFile:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    limit = max_rows()
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as source:
        for chunk in upload.chunks():
            source.write(chunk)
        source.flush()
        _check_unpacked_size(source.name)
        try:
            # read_only streams the sheet; data_only=False keeps a formula as
            # its text ("=…"), so nothing in the file is ever calculated.
            book = load_workbook(source.name, read_only=True, data_only=False)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
            raise FileRejected(
                "not_spreadsheet",
                _(
                    "The file cannot be read as an Excel workbook (.xlsx); it may be damaged "
                    "or another kind of file. Save it again as .xlsx or as CSV."
                ),
            ) from error
        with tempfile.TemporaryFile() as target:
            text = io.TextIOWrapper(target, encoding="utf-8", newline="")
            writer = csv.writer(text, lineterminator="\r\n")
            rows_written = 0
            try:
                sheet = book.worksheets[0]
                for values in sheet.iter_rows(values_only=True):
                    cells = [_xlsx_cell(v) for v in values]
                    while cells and cells[-1] == "":
                        cells.pop()
                    if len(cells) > MAX_COLUMNS:
                        raise FileRejected(
                            "too_many_columns",
                            _("The file has %(count)s columns; at most %(limit)s are read.")
                            % {"count": len(cells), "limit": MAX_COLUMNS},
                        )
                    writer.writerow(cells)
                    rows_written += 1
                    if rows_written > limit + 1:
                        raise FileRejected(
                            "too_many_rows",
                            _("The file has more than %(limit)s rows; split it in parts.")
                            % {"limit": f"{limit:,}".replace(",", ".")},
                        )
            except FileRejected:
                raise
            except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as error:
                raise FileRejected(
                    "not_spreadsheet",
                    _(
                        "The file cannot be read as an Excel workbook (.xlsx); it may be "
                        "damaged or another kind of file. Save it again as .xlsx or as CSV."
                    ),
                ) from error
            finally:
                book.close()
            text.flush()
            text.detach()
            target.seek(0)
            name = default_storage.save(_new_name(folder), File(target))
    try:
        return _inspect_csv(name, source_format="xlsx")
    except BaseException:
        default_storage.delete(name)
        raise


def delete_stored(name: str) -> None:
    """Remove a stored upload; a name already gone is fine."""
    if name and default_storage.exists(name):
        default_storage.delete(name)


def stored_path_is_private(name: str) -> bool:
    return name.startswith(PRIVATE_FOLDER + "/") and ".." not in name.split("/")


# --- Reading rows -------------------------------------------------------------------


def iter_records(
    name: str, *, delimiter: str, offset: int, line: int
) -> Iterator[tuple[int, list[str], int]]:
    """(line, cells, offset after the row) for each row from byte `offset` on.

    `line` is the line number of the row at `offset` as a spreadsheet shows it
    (1 is the header). Blank rows are skipped but counted. Raises FileRejected
    "malformed" for CSV the csv module cannot read.
    """
    with default_storage.open(name, "rb") as stored:
        raw = getattr(stored, "file", stored)
        raw.seek(offset)
        position = {"offset": offset}
        reader = csv.reader(_lines(raw, position), delimiter=delimiter)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise FileRejected(
                    "malformed",
                    _("Line %(line)s cannot be read as CSV (%(error)s).")
                    % {"line": line, "error": error},
                ) from None
            if not _blank(cells):
                yield line, cells, position["offset"]
            line += 1


# --- Columns ------------------------------------------------------------------------


def detect_mapping(resource: Resource, header: list[str]) -> dict[str, str]:
    """File column index (as text) → column key, for headers that name a column.

    A header matches a column by its official template header or an alias
    (case, spaces and punctuation ignored); each column is taken once, by the
    first file column that names it. Export-only columns are not mapped.
    """
    names: dict[str, str] = {}
    for column in resource.import_columns:
        for name in (column.header, *column.aliases):
            names.setdefault(header_key(name), column.key)
    # The official header wins over another column's alias of the same words.
    for column in resource.import_columns:
        names[header_key(column.header)] = column.key
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, text in enumerate(header):
        key = names.get(header_key(text))
        if key is not None and key not in taken:
            mapping[str(index)] = key
            taken.add(key)
    return mapping


def is_official_template(resource: Resource, header: list[str]) -> bool:
    """Whether the header carries every import column's official header
    (export-only columns may follow)."""
    given = {header_key(text) for text in header}
    return all(header_key(c.header) in given for c in resource.import_columns)


def mapping_problems(resource: Resource, mapping: dict[str, str], width: int) -> list[str]:
    """What is wrong with a column mapping: columns mapped twice, required ones missing."""
    problems = []
    keys = list(mapping.values())
    columns = {c.key: c for c in resource.import_columns}
    for key in sorted(set(keys), key=keys.index):
        if key not in columns:
            problems.append(_("“%(key)s” is not a column of this import.") % {"key": key})
        elif keys.count(key) > 1:
            problems.append(
                _("Two file columns are mapped to “%(column)s”; map one.")
                % {"column": columns[key].header}
            )
    for index in mapping:
        if not index.isdigit() or int(index) >= width:
            problems.append(_("The mapping names a column the file does not have."))
            break
    missing = [c.header for c in resource.import_columns if c.required and c.key not in keys]
    if missing:
        problems.append(
            _(
                "Required columns are missing: %(columns)s. Map a file column to each, "
                "or add it to the file."
            )
            % {"columns": ", ".join(missing)}
        )
    return problems


# --- Cells ------------------------------------------------------------------------


@dataclass
class CellProblem:
    column: str  # the header as the template names it
    code: str
    message: str
    value: str  # shown value: cut short, masked for personal columns


@dataclass
class RowData:
    """One row as the checks see it: clean values, cell texts, problems."""

    resource: Resource
    line: int
    values: dict[str, Any]
    texts: dict[str, str]  # column key → the cell's stripped text
    problems: list[CellProblem] = field(default_factory=list)
    masked: set[str] = field(default_factory=set)  # keys whose cell held a masked value

    @property
    def ok(self) -> bool:
        return not self.problems

    def shown(self, key: str) -> str:
        return shown_value(self.resource.column(key), self.texts.get(key, ""))

    def problem(self, key: str, code: str, message) -> None:
        """Note a problem of the cell of column `key` ("" for the row as a whole)."""
        if key:
            column = self.resource.column(key)
            self.problems.append(CellProblem(column.header, code, str(message), self.shown(key)))
        else:
            self.problems.append(CellProblem("", code, str(message), ""))


_MASKERS = {
    "nik": masking.mask_nik,
    "phone": masking.mask_phone,
    "email": masking.mask_email,
    "birth_date": masking.mask_date,
}


def shown_value(column: Column, text: str) -> str:
    """A cell as an error list or preview may show it: masked if personal, neutralised, short."""
    if not text:
        return ""
    if column.personal and not is_masked(text):
        text = _MASKERS[column.personal](text)
    shown = str(neutralise(text))
    return shown if len(shown) <= 100 else shown[:99] + "…"


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    out = []
    for item in error.error_list:
        message = item.message
        if item.params:
            message = message % item.params
        out.append((item.code or "invalid", str(message)))
    return out


def read_row(
    resource: Resource, line: int, cells: list[str], mapping: dict[int, str], ctx: ImportContext
) -> RowData:
    """The clean values of one row by the mapping (index → key), with each cell's problems.

    An empty cell gets the column's default, or "required" when the column is
    required. A masked personal value (from an export) counts as empty and is
    noted in `masked`. A cell that starts like a formula is kept as text.
    """
    width = len(cells)
    texts: dict[str, str] = {}
    for index, key in mapping.items():
        if index < width:
            texts[key] = cells[index].strip()
    row = RowData(resource=resource, line=line, values={}, texts=texts)
    values = row.values
    for column in resource.import_columns:
        key = column.key
        text = texts.get(key, "")
        # An apostrophe an export put before a formula-like text is taken off again.
        if text.startswith("'") and text[1:2] in _FORMULA_CHARS:
            text = text[1:]
        if text and column.personal and "*" in text:
            row.masked.add(key)
            text = ""
        if not text:
            if column.required:
                row.problem(key, "required", _("This column is required; the cell is empty."))
            values[key] = column.default
            continue
        try:
            values[key] = column.parse(text, ctx)
        except ValidationError as error:
            for code, message in _messages(error):
                row.problem(key, code, message)
            values[key] = None
    return row


_FORMULA_CHARS = frozenset("=+-@\t\r")


def context_for(province) -> ImportContext:
    """The reference data a row check needs for `province`, read once."""
    from django.utils import timezone

    from niaga.regions.models import District, Regency
    from niaga.registry import validators

    regencies = {r.code: r for r in Regency.objects.filter(province=province)}
    districts = {
        d.code: (d, d.regency_id) for d in District.objects.filter(regency__province=province)
    }
    return ImportContext(
        province=province,
        regencies=regencies,
        all_regency_codes=validators.regency_codes(),
        districts=districts,
        today=timezone.localdate(timezone=province.zone),
    )


def storage_path(name: str) -> str | None:
    """The file-system path of a stored file, when the storage has one (for tests)."""
    try:
        return default_storage.path(name)
    except NotImplementedError:
        return None


__all__ = [
    "FileRejected",
    "RowData",
    "StoredFile",
    "context_for",
    "delete_stored",
    "detect_mapping",
    "is_official_template",
    "iter_records",
    "mapping_problems",
    "max_bytes",
    "max_rows",
    "read_row",
    "store_upload",
]
