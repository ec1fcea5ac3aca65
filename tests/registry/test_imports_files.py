"""Broken import files: each gives one clear error (code and message) and saves nothing."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import translation
from django_scopes import scope, scopes_disabled

from niaga.regions.models import Regency
from niaga.registry.domain import imports as domain
from niaga.registry.models import ImportJob, Person, Pesantren
from niaga.registry.models.imports import ImportStatus
from tests.registry.factories import make_nik
from tests.registry.import_helpers import (
    PEOPLE_HEADER,
    csv_bytes,
    issues_of,
    person_row,
    registry_counts,
    run_import,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads of the test go to a temporary folder, not the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


PESANTREN_HEADER = ["Nama Pesantren", "NSPP", "Kode Kabupaten/Kota", "Tipologi"]


def rejected(actor, province, content: bytes, name: str, resource="people") -> ValidationError:
    before = registry_counts()
    with pytest.raises(ValidationError) as caught:
        domain.import_job_create(
            actor=actor, province=province, resource=resource, upload=upload(content, name)
        )
    assert registry_counts() == before
    with scopes_disabled():
        assert ImportJob.objects.count() == 0
    return caught.value.error_dict["file"][0]


def stored_files(media) -> list:
    folder = media / "private" / "imports"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def test_file_over_the_size_limit(jatim, jatim_registry, settings, private_media, en):
    settings.NIAGA_IMPORT_MAX_BYTES = 1024
    error = rejected(jatim_registry, jatim, b"Nama Lengkap\n" + b"x" * 2000 + b"\n", "b.csv")
    assert (error.code, error.message) == (
        "too_large",
        "The file is 0,0 MB; at most 0,0 MB can be imported. Split it in parts.",
    )
    assert stored_files(private_media) == []


def test_size_limit_message_names_both_sizes(jatim, jatim_registry, settings, en):
    settings.NIAGA_IMPORT_MAX_BYTES = 2 * 2**20
    error = rejected(jatim_registry, jatim, b"a" * (3 * 2**20), "b.csv")
    assert (error.code, error.message) == (
        "too_large",
        "The file is 3,0 MB; at most 2,0 MB can be imported. Split it in parts.",
    )


def test_empty_file(jatim, jatim_registry, private_media, en):
    error = rejected(jatim_registry, jatim, b"", "kosong.csv")
    assert (error.code, error.message) == ("empty", "The file is empty.")
    error = rejected(jatim_registry, jatim, b"\xef\xbb\xbf\r\n \r\n", "kosong.csv")
    assert (error.code, error.message) == ("empty", "The file is empty.")
    assert stored_files(private_media) == []


def test_header_only_file(jatim, jatim_registry, private_media, en):
    error = rejected(jatim_registry, jatim, csv_bytes([PEOPLE_HEADER]), "kepala.csv")
    assert (error.code, error.message) == (
        "no_rows",
        "The file has a header line but no rows under it: nothing to import.",
    )
    assert stored_files(private_media) == []


def test_header_only_xlsx(jatim, jatim_registry, private_media, en):
    error = rejected(jatim_registry, jatim, xlsx_bytes([PEOPLE_HEADER]), "kepala.xlsx")
    assert error.code == "no_rows"
    assert stored_files(private_media) == []


def test_renamed_text_file_is_not_a_spreadsheet(jatim, jatim_registry, private_media, en):
    error = rejected(jatim_registry, jatim, csv_bytes([PEOPLE_HEADER, ["a"]]), "orang.xlsx")
    assert (error.code, error.message) == (
        "not_spreadsheet",
        "The file is called .xlsx but is not an Excel workbook. Open it in a spreadsheet "
        "program and save it as “Excel Workbook (.xlsx)” or as CSV.",
    )


def test_zip_garbage_is_not_a_spreadsheet(jatim, jatim_registry, private_media, en):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    error = rejected(jatim_registry, jatim, buffer.getvalue(), "orang.xlsx")
    assert (error.code, error.message) == (
        "not_spreadsheet",
        "The file cannot be read as an Excel workbook (.xlsx); it may be damaged or another "
        "kind of file. Save it again as .xlsx or as CSV.",
    )
    truncated = xlsx_bytes([PEOPLE_HEADER, ["x"]])[:300]
    assert rejected(jatim_registry, jatim, truncated, "orang.xlsx").code == "not_spreadsheet"
    assert stored_files(private_media) == []


def test_other_file_types(jatim, jatim_registry, en):
    assert rejected(jatim_registry, jatim, b"\xd0\xcf\x11\xe0rest", "lama.xls").code == "file_type"
    error = rejected(jatim_registry, jatim, b"%PDF-1.7", "surat.pdf")
    assert (error.code, error.message) == ("file_type", "Upload a .csv or .xlsx file.")
    assert rejected(jatim_registry, jatim, b"\x00\x01\x02 binary", "x.csv").code == "not_text"


def test_utf16_is_refused(jatim, jatim_registry, en):
    content = "Nama Lengkap\r\nSiti\r\n".encode("utf-16")
    error = rejected(jatim_registry, jatim, content, "orang.csv")
    assert error.code == "encoding"
    assert "CSV UTF-8" in error.message


def test_windows_1252_is_read_with_a_visible_notice(jatim, jatim_registry, en):
    """Decision: Excel's plain "CSV (Comma delimited)" is Windows-1252; it is read
    as such and the job says so, rather than refused, because officers cannot
    always choose how a partner saved a file."""
    rows = [["Nama Lengkap", "Peran", "Jenis Kelamin"], ["Fran\u00e7ois Ad\u00e9", "santri", "L"]]
    content = csv_bytes(rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    job = run_import(jatim_registry, jatim, "people", content, "lama.csv")
    assert job.notice.startswith("The file was not UTF-8 and was read as Windows-1252")
    assert job.status == ImportStatus.READY
    assert job.preview[0]["cells"][0] == "Fran\u00e7ois Ad\u00e9"
    domain.import_job_commit(actor=jatim_registry, job=job)
    with scope(province=jatim):
        assert Person.objects.get().full_name == "Fran\u00e7ois Ad\u00e9"


def test_utf8_with_bom_and_semicolons(jatim, jatim_registry):
    rows = [["Nama Lengkap", "Peran", "Jenis Kelamin"], ["Siti Nur\u2019aini", "santri", "P"]]
    job = run_import(
        jatim_registry, jatim, "people", csv_bytes(rows, delimiter=";"), "titikkoma.csv"
    )
    assert (job.notice, job.delimiter, job.status) == ("", ";", ImportStatus.READY)
    assert job.preview[0]["cells"][0] == "Siti Nur\u2019aini"


def test_required_column_missing(jatim, jatim_registry, en):
    rows = [["Nama Lengkap", "NIK"], ["Siti", ""]]
    job = domain.import_job_create(
        actor=jatim_registry, province=jatim, resource="people", upload=upload(csv_bytes(rows))
    )
    assert job.mapping == {"0": "full_name", "1": "nik"}
    before = registry_counts()
    with pytest.raises(ValidationError) as caught:
        domain.import_job_map(actor=jatim_registry, job=job, mapping=job.mapping)
    assert caught.value.messages == [
        "Required columns are missing: Peran, Jenis Kelamin. Map a file column to each, or "
        "add it to the file."
    ]
    assert caught.value.error_list[0].code == "mapping"
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING
    assert registry_counts() == before


def test_a_column_mapped_twice(jatim, jatim_registry, en):
    rows = [["Nama", "Nama Lengkap", "Peran", "L/P"], ["a", "b", "santri", "L"]]
    job = domain.import_job_create(
        actor=jatim_registry, province=jatim, resource="people", upload=upload(csv_bytes(rows))
    )
    assert job.mapping == {"0": "full_name", "2": "role", "3": "gender"}
    with pytest.raises(ValidationError) as caught:
        domain.import_job_map(
            actor=jatim_registry,
            job=job,
            mapping={"0": "full_name", "1": "full_name", "2": "role", "3": "gender"},
        )
    assert caught.value.messages == ["Two file columns are mapped to “Nama Lengkap”; map one."]


def test_bad_region_codes(jatim, jatim_registry, en):
    rows = [
        PESANTREN_HEADER,
        ["Pesantren A", "", "35.78", "salafiyah"],
        ["Pesantren B", "", "63.71", "salafiyah"],  # Banjarmasin: Kalsel, not Jatim
        ["Pesantren C", "", "35.00", "salafiyah"],
        ["Pesantren D", "", "Surabaya", "salafiyah"],
    ]
    before = registry_counts()
    job = run_import(jatim_registry, jatim, "pesantren", csv_bytes(rows), "p.csv")
    assert issues_of(job) == [
        (3, "Kode Kabupaten/Kota", "regency_province"),
        (4, "Kode Kabupaten/Kota", "regency_code"),
        (5, "Kode Kabupaten/Kota", "regency_code"),
    ]
    with scopes_disabled():
        messages = list(job.issues.order_by("line").values_list("message", flat=True))
    assert messages == [
        "Regency/city 63.71 is not in Jawa Timur; this import is for Jawa Timur.",
        "“35.00” is not a regency/city code; write it like 35.78 (Kemendagri code).",
        "“Surabaya” is not a regency/city code; write it like 35.78 (Kemendagri code).",
    ]
    assert domain.import_job_commit(actor=jatim_registry, job=job).status == ImportStatus.INVALID
    assert registry_counts() == before


def test_duplicate_rows(jatim, jatim_registry, en):
    rows = [
        PESANTREN_HEADER,
        ["Pesantren A", "510035780001", "35.78", "salafiyah"],
        ["Pesantren B", "510035780001", "35.78", "salafiyah"],
        ["pesantren  a", "", "35.78", "salafiyah"],
    ]
    before = registry_counts()
    job = run_import(jatim_registry, jatim, "pesantren", csv_bytes(rows), "p.csv")
    assert issues_of(job) == [
        (3, "NSPP", "duplicate_in_file"),
        (4, "Nama Pesantren", "duplicate_in_file"),
    ]
    with scopes_disabled():
        assert job.issues.get(line=3).message == "The same NSPP is on line 2 of the file."
        assert job.issues.get(line=4).message == (
            "The same pesantren name and regency/city is on line 2 of the file."
        )
    assert registry_counts() == before


def test_invalid_nik(jatim, jatim_registry, en):
    surabaya = Regency.objects.get(code="35.78")
    good = make_nik(surabaya, datetime.date(1990, 1, 1))
    rows = [PEOPLE_HEADER, person_row("Siti", good[:-1] + "X"), person_row("Ani", good[:15])]
    before = registry_counts()
    job = run_import(jatim_registry, jatim, "people", csv_bytes(rows), "o.csv")
    with scopes_disabled():
        problems = list(job.issues.order_by("line").values_list("line", "code", "message", "value"))
    # The cell is shown masked: region and last digits only, never the birth date.
    assert problems == [
        (
            2,
            "nik_format",
            "A NIK is 16 digits, like 3578014107900001, with no letters or other signs.",
            good[:4] + "*" * 7 + good[11:15],
        ),
        (
            3,
            "nik_format",
            "A NIK is 16 digits, like 3578014107900001; this one has 15 digits.",
            good[:4] + "*" * 7 + good[11:15],
        ),
    ]
    assert registry_counts() == before


def test_formula_looking_cells_are_kept_as_text_and_neutralised_in_the_preview(
    jatim, jatim_registry
):
    formula = "=cmd|' /C calc'!A0"
    rows = [
        [*PESANTREN_HEADER, "Pengasuh", "Alamat"],
        [formula, "", "35.78", "salafiyah", "@SUM(1+1)", "+62 jalan"],
    ]
    job = run_import(jatim_registry, jatim, "pesantren", csv_bytes(rows), "f.csv")
    assert job.status == ImportStatus.READY
    assert job.preview[0]["cells"][0] == "'" + formula
    domain.import_job_commit(actor=jatim_registry, job=job)
    with scope(province=jatim):
        stored = Pesantren.objects.get()
    assert (stored.name, stored.leader_name, stored.address) == (formula, "@SUM(1+1)", "+62 jalan")


def test_formula_cells_in_xlsx_are_never_evaluated(jatim, jatim_registry):
    rows = [PESANTREN_HEADER, ["=1+1", "", "35.78", "salafiyah"]]
    job = run_import(jatim_registry, jatim, "pesantren", xlsx_bytes(rows), "f.xlsx")
    assert job.status == ImportStatus.READY
    domain.import_job_commit(actor=jatim_registry, job=job)
    with scope(province=jatim):
        assert Pesantren.objects.get().name == "=1+1"


def test_discard_deletes_the_stored_file(
    jatim, jatim_registry, private_media, django_capture_on_commit_callbacks
):
    rows = [PEOPLE_HEADER, person_row("Siti", "", gender="P")]
    job = run_import(jatim_registry, jatim, "people", csv_bytes(rows), "o.csv")
    assert default_storage.exists(job.stored_name)
    assert len(stored_files(private_media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        job = domain.import_job_discard(actor=jatim_registry, job=job)
    assert (job.status, job.stored_name) == (ImportStatus.DISCARDED, "")
    assert stored_files(private_media) == []
    assert domain.import_job_commit(actor=jatim_registry, job=job).status == ImportStatus.DISCARDED


def test_abandoned_jobs_are_discarded_when_a_new_one_starts(
    jatim, jatim_registry, private_media, django_capture_on_commit_callbacks
):
    rows = [PEOPLE_HEADER, person_row("Siti", "", gender="P")]
    old = run_import(jatim_registry, jatim, "people", csv_bytes(rows), "lama.csv")
    with scopes_disabled():
        ImportJob.objects.filter(pk=old.pk).update(
            updated_at=old.updated_at - domain.ABANDONED_AFTER - datetime.timedelta(hours=1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        run_import(jatim_registry, jatim, "people", csv_bytes(rows), "baru.csv")
    old.refresh_from_db()
    assert (old.status, old.stored_name) == (ImportStatus.DISCARDED, "")
    assert len(stored_files(private_media)) == 1


def test_excel_separator_line_is_honoured(jatim, jatim_registry):
    rows = [["Nama Lengkap", "Peran", "Jenis Kelamin"], ["Siti, S.Pd.", "santri", "P"]]
    content = b"sep=;\r\n" + csv_bytes(rows, delimiter=";", encoding="utf-8")
    job = run_import(jatim_registry, jatim, "people", content, "excel.csv")
    assert (job.delimiter, job.header_line, job.status) == (";", 2, ImportStatus.READY)
    assert job.preview == [
        {"line": 3, "cells": ["Siti, S.Pd."] + [""] + ["santri"] + [""] + ["P"] + [""] * 10}
    ]


def test_xlsx_that_unpacks_to_far_more_than_the_limit(jatim, jatim_registry, settings, en):
    settings.NIAGA_IMPORT_MAX_BYTES = 50_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "a" * 2_000_000)  # compresses to a few KB
    content = buffer.getvalue()
    assert len(content) < 50_000
    error = rejected(jatim_registry, jatim, content, "bom.xlsx")
    assert (error.code, error.message) == (
        "too_large",
        "The workbook unpacks to 1,9 MB, more than a sheet of 0,0 MB can hold. Save it again "
        "as .xlsx, or split it in parts.",
    )
