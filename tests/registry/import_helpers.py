"""Builders for import files and a helper that runs an upload through the whole pipeline."""

from __future__ import annotations

import csv
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import Workbook

from niaga.audit.models import AuditEvent
from niaga.registry.domain import imports as domain
from niaga.registry.models import (
    Consent,
    Cooperative,
    CurationEvent,
    Enterprise,
    ImportJob,
    LegalDocument,
    Person,
    Pesantren,
    Product,
)
from niaga.registry.resources import RESOURCES

PEOPLE_HEADER = [c.header for c in RESOURCES["people"].import_columns]


def csv_bytes(rows: list[list], *, delimiter=",", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], *, title="Data") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def registry_counts() -> dict[str, int]:
    """Rows in every registry table: a failed import must leave them all unchanged."""
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (
                Pesantren,
                Cooperative,
                Enterprise,
                Person,
                Consent,
                Product,
                LegalDocument,
                CurationEvent,
            )
        }


def run_import(actor, province, resource: str, content: bytes, name: str, *, rows=None):
    """Upload, accept the detected mapping, check every chunk; the job, not committed."""
    job = domain.import_job_create(
        actor=actor, province=province, resource=resource, upload=upload(content, name)
    )
    job = domain.import_job_map(actor=actor, job=job, mapping=job.mapping)
    return domain.import_job_check_all(job=job, rows=rows or domain.CHUNK_ROWS)


def issues_of(job: ImportJob) -> list[tuple[int, str, str]]:
    with scopes_disabled():
        return list(job.issues.order_by("line", "id").values_list("line", "column", "code"))


def audit_actions(province) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(province=province)
            .order_by("id")
            .values_list("action", flat=True)
        )


def person_row(
    name: str,
    nik: str = "",
    *,
    role="santri",
    gender="L",
    birth: str | datetime.date = "",
    phone="",
    email="",
    regency="",
    address="",
    nspp="",
    consent_on="",
    consent_by="",
    guardian="",
    relation="",
    pillar="",
) -> list:
    values = {
        "Nama Lengkap": name,
        "NIK": nik,
        "Peran": role,
        "Pilar": pillar,
        "Jenis Kelamin": gender,
        "Tanggal Lahir": birth.isoformat() if isinstance(birth, datetime.date) else birth,
        "Telepon": phone,
        "Email": email,
        "Kode Kabupaten/Kota Domisili": regency,
        "Alamat": address,
        "NSPP Pesantren": nspp,
        "Tanggal Persetujuan": consent_on,
        "Persetujuan Oleh": consent_by,
        "Nama Wali": guardian,
        "Hubungan Wali": relation,
    }
    return [values[h] for h in PEOPLE_HEADER]
