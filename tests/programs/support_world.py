"""A small world for the support tests: East Java's program with pesantren in
two regencies (one with a cooperative), and South Kalimantan's program with a
pesantren and a grant of its own that could leak into East Java's pages.

Rows are built straight into the database (no domain rules) except where a
test says otherwise; evidence files are built in memory.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from PIL import Image

from niaga.programs.models import Assistance, Grant, Program, SupportEvidence
from niaga.regions.models import Province, Regency
from niaga.registry.models import Cooperative, Pesantren
from tests.registry.factories import make_cooperative, make_pesantren

JOMBANG, SURABAYA, BANJARMASIN = "35.17", "35.78", "63.71"


def pdf_bytes(text: str = "Bukti transfer hibah") -> bytes:
    """A small, valid one-page PDF (enough for the header and trailer checks)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def image_bytes(kind: str = "PNG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (12, 120, 80)).save(buffer, kind)
    return buffer.getvalue()


def pdf_upload(name: str = "bukti-transfer.pdf", content: bytes | None = None):
    return SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")


def png_upload(name: str = "serah-terima.png"):
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def jpeg_upload(name: str = "foto.jpg"):
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def executable_upload(name: str = "bukti.pdf"):
    """A Windows program dressed as a PDF: the browser even says application/pdf."""
    content = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class World:
    jatim: Province
    kalsel: Province
    program: Program
    kalsel_program: Program
    tebuireng: Pesantren  # Jombang, with a cooperative
    cooperative: Cooperative
    ampel: Pesantren  # Surabaya, no cooperative
    kalsel_pesantren: Pesantren
    kalsel_grant: Grant


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    """Every file under MEDIA_ROOT, as relative paths."""
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def world(jatim, kalsel, opop_jatim, opop_kalsel, media) -> World:
    with scopes_disabled():
        tebuireng = make_pesantren(
            jatim,
            name="PP Tebuireng",
            nspp="510035170001",
            regency=Regency.objects.get(code=JOMBANG),
        )
        cooperative = make_cooperative(tebuireng, name="Kopontren Tebuireng")
        ampel = make_pesantren(
            jatim, name="PP Sunan Ampel", regency=Regency.objects.get(code=SURABAYA)
        )
        kalsel_pesantren = make_pesantren(
            kalsel, name="PP Darussalam Martapura", regency=Regency.objects.get(code=BANJARMASIN)
        )
        kalsel_grant = make_grant(
            opop_kalsel, kalsel_pesantren, 75_000_000, datetime.date(2023, 5, 2)
        )
    return World(
        jatim=jatim,
        kalsel=kalsel,
        program=opop_jatim,
        kalsel_program=opop_kalsel,
        tebuireng=tebuireng,
        cooperative=cooperative,
        ampel=ampel,
        kalsel_pesantren=kalsel_pesantren,
        kalsel_grant=kalsel_grant,
    )


def make_grant(program, pesantren, amount, granted_on, **fields) -> Grant:
    fields.setdefault("purpose", "Modal usaha koperasi")
    fields.setdefault("source", "apbd")
    return Grant.objects.create(
        province_id=program.province_id,
        program=program,
        pesantren=pesantren,
        amount_idr=amount,
        granted_on=granted_on,
        **fields,
    )


def make_reversal(grant: Grant, reason: str = "Salah catat") -> Grant:
    return Grant.objects.create(
        province_id=grant.province_id,
        program_id=grant.program_id,
        pesantren_id=grant.pesantren_id,
        cooperative_id=grant.cooperative_id,
        amount_idr=-grant.amount_idr,
        granted_on=grant.granted_on,
        purpose=grant.purpose,
        source=grant.source,
        reverses=grant,
        reason=reason,
    )


def make_assistance(program, pesantren, aspect, given_on, **fields) -> Assistance:
    fields.setdefault("description", "Pendampingan")
    return Assistance.objects.create(
        province_id=program.province_id,
        program=program,
        pesantren=pesantren,
        aspect=aspect,
        given_on=given_on,
        **fields,
    )


def make_evidence(record, name="bukti.pdf", content: bytes | None = None) -> SupportEvidence:
    """An evidence row with its file stored (no checks): for download and list tests."""
    from django.core.files.base import ContentFile

    data = content or pdf_bytes()
    link = {"grant": record} if isinstance(record, Grant) else {"assistance": record}
    row = SupportEvidence(
        province_id=record.province_id,
        original_name=name,
        content_type="application/pdf",
        size=len(data),
        **link,
    )
    row.file.save("uji.pdf", ContentFile(data), save=False)
    row.save()
    return row
