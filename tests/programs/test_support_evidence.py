"""Evidence files: what an upload must be (by content, not name), the size limit,
and who may download a stored file (with province and program isolation)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.programs import evidence
from niaga.programs.domain import support as domain
from niaga.programs.models import Grant, SupportEvidence
from tests.conftest import make_user
from tests.programs import support_world
from tests.programs.factories import make_program
from tests.programs.support_world import (
    executable_upload,
    image_bytes,
    jpeg_upload,
    make_assistance,
    make_evidence,
    make_grant,
    pdf_bytes,
    pdf_upload,
    png_upload,
    stored_files,
)

# Fixtures of the shared support world.
world = support_world.world
media = support_world.media

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused(upload) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        evidence.check_upload(upload)
    return raised.value


# --- What an evidence file must be ------------------------------------------------------


def test_pdf_jpeg_and_png_are_known_by_their_content():
    assert evidence.check_upload(pdf_upload("SK.PDF")).kind is evidence.PDF
    assert evidence.check_upload(jpeg_upload("foto.jpeg")).kind is evidence.JPEG
    assert evidence.check_upload(png_upload("foto.png")).content_type == "image/png"
    checked = evidence.check_upload(pdf_upload("bukti.pdf"))
    assert (checked.original_name, checked.size) == ("bukti.pdf", len(pdf_bytes()))


def test_a_program_called_pdf_is_refused():
    error = refused(executable_upload("kwitansi.pdf"))
    assert error.code == "evidence_type"
    assert error.messages == [
        "“kwitansi.pdf” is named as a PDF file but is really a Windows program; "
        "only PDF, JPEG and PNG files are accepted."
    ]
    linux = SimpleUploadedFile("foto.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 100)
    assert refused(linux).code == "evidence_type"
    unknown = SimpleUploadedFile("scan.jpg", b"just some text, not a photo")
    assert refused(unknown).messages == [
        "“scan.jpg” is named as a JPEG file but is not one (whatever its name says); "
        "only PDF, JPEG and PNG files are accepted."
    ]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("laporan.docx", b"PK\x03\x04" + b"\x00" * 50, "evidence_extension"),
        ("laporan", pdf_bytes(), "evidence_extension"),
        ("foto.gif", b"GIF89a" + b"\x00" * 50, "evidence_extension"),
        ("foto.pdf", image_bytes("PNG"), "evidence_mismatch"),
        ("foto.png", image_bytes("JPEG"), "evidence_mismatch"),
        ("bukti.pdf", pdf_bytes()[:-7], "evidence_damaged"),  # cut off: no %%EOF
        ("foto.png", image_bytes("PNG")[:40], "evidence_damaged"),
        ("kosong.pdf", b"", "evidence_empty"),
    ],
)
def test_other_files_are_refused_with_the_rule(name, content, code):
    assert refused(SimpleUploadedFile(name, content)).code == code


def test_the_size_limit_is_ten_megabytes_unless_set(settings):
    assert settings.NIAGA_SUPPORT_EVIDENCE_MAX_BYTES == 10 * 1024 * 1024
    assert evidence.max_bytes() == 10 * 1024 * 1024
    body = pdf_bytes()
    padded = body[:-6] + b"0" * (10 * 1024 * 1024 - len(body)) + body[-6:]
    assert len(padded) == 10 * 1024 * 1024
    assert evidence.check_upload(SimpleUploadedFile("besar.pdf", padded)).size == len(padded)
    over = body[:-6] + b"0" * (10 * 1024 * 1024 + 1 - len(body)) + body[-6:]
    error = refused(SimpleUploadedFile("terlalu-besar.pdf", over))
    assert error.code == "evidence_too_large"
    assert error.messages == [
        "“terlalu-besar.pdf” is 10.1 MB; an evidence file may be at most 10.0 MB."
    ]


def test_the_size_limit_is_a_setting(settings):
    settings.NIAGA_SUPPORT_EVIDENCE_MAX_BYTES = 1000
    assert refused(SimpleUploadedFile("a.pdf", pdf_bytes() + b" " * 1000)).code == (
        "evidence_too_large"
    )


def test_a_refused_file_saves_nothing(world, jatim_program_officer, media, settings):
    settings.NIAGA_SUPPORT_EVIDENCE_MAX_BYTES = 2048
    big = SimpleUploadedFile("besar.pdf", pdf_bytes() + b" " * 4096)
    for bad in (executable_upload(), big):
        with pytest.raises(ValidationError) as raised:
            domain.grant_record(
                actor=jatim_program_officer,
                program=world.program,
                pesantren=world.tebuireng,
                amount_idr=5_000_000,
                granted_on=datetime.date(2024, 1, 2),
                purpose="Modal",
                source="apbd",
                evidence_files=[pdf_upload("baik.pdf"), bad],
            )
        assert list(raised.value.message_dict) == ["evidence_files"]
    with scopes_disabled():
        assert (
            Grant.objects.filter(program=world.program).count(),
            SupportEvidence.objects.count(),
        ) == (0, 0)
    assert stored_files(media) == []


def test_stored_names_are_random_and_private(world, jatim_program_officer, media):
    grant = domain.grant_record(
        actor=jatim_program_officer,
        program=world.program,
        pesantren=world.tebuireng,
        amount_idr=5_000_000,
        granted_on=datetime.date(2024, 1, 2),
        purpose="Modal",
        source="apbd",
        evidence_files=[pdf_upload("../../etc/SK Gubernur.pdf")],
    )
    with scopes_disabled():
        row = SupportEvidence.objects.get(grant=grant)
    parts = row.file.name.split("/")
    assert parts[:2] == ["private", "support"] and len(parts) == 5
    assert parts[4].endswith(".pdf") and len(parts[4]) == 32 + 4
    assert row.original_name == "SK Gubernur.pdf"
    assert (media / row.file.name).read_bytes() == pdf_bytes()
    assert evidence.orphaned_files({row.file.name}) == []
    (media / "private/support/2024/01").mkdir(parents=True, exist_ok=True)
    (media / "private/support/2024/01/sisa.pdf").write_bytes(b"%PDF-")
    assert evidence.orphaned_files({row.file.name}) == ["private/support/2024/01/sisa.pdf"]


# --- Downloads ---------------------------------------------------------------------------


def download_url(province, program, evidence_id):
    return reverse(
        "province:support_evidence",
        kwargs={"province": province, "program": program, "evidence_id": evidence_id},
    )


@pytest.fixture
def files(world):
    with scopes_disabled():
        grant = make_grant(world.program, world.tebuireng, 5_000_000, datetime.date(2024, 1, 2))
        jatim_file = make_evidence(grant, name="Kwitansi hibah.pdf", content=pdf_bytes("jatim"))
        kalsel_file = make_evidence(world.kalsel_grant, name="kalsel.pdf", content=pdf_bytes("ks"))
        other_program = make_program(world.jatim, slug="opop-lain")
        other_grant = make_grant(other_program, world.ampel, 1_000_000, datetime.date(2024, 1, 2))
        other_file = make_evidence(other_grant, name="lain.pdf")
    return jatim_file, kalsel_file, other_file


def test_the_team_downloads_evidence_as_an_attachment(client, world, files, jatim):
    jatim_file, _kalsel, _other = files
    viewer = make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER])
    client.force_login(viewer)
    response = client.get(download_url("jatim", "opop-jatim", jatim_file.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("jatim")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Kwitansi hibah.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_evidence_is_isolated_by_province_and_program(client, world, files, jatim, kalsel_admin):
    jatim_file, kalsel_file, other_file = files
    officer = make_user("jatim-po", province=jatim, roles=[Role.PROGRAM_OFFICER])
    client.force_login(officer)
    # Kalsel's file through Jatim's space, or through Kalsel's space: not found either way.
    assert client.get(download_url("jatim", "opop-jatim", kalsel_file.pk)).status_code == 404
    assert client.get(download_url("jatim", "opop-kalsel", kalsel_file.pk)).status_code == 404
    assert client.get(download_url("kalsel", "opop-kalsel", kalsel_file.pk)).status_code == 404
    # A file of another Jatim program is not reachable under this program.
    assert client.get(download_url("jatim", "opop-jatim", other_file.pk)).status_code == 404
    assert client.get(download_url("jatim", "opop-lain", other_file.pk)).status_code == 200
    client.force_login(kalsel_admin)
    assert client.get(download_url("jatim", "opop-jatim", jatim_file.pk)).status_code == 404
    assert client.get(download_url("kalsel", "opop-kalsel", kalsel_file.pk)).status_code == 200


def test_evidence_is_never_at_a_public_address(client, world, files, jatim):
    jatim_file, _k, _o = files
    assert client.get(download_url("jatim", "opop-jatim", jatim_file.pk)).status_code == 302
    assert client.get("/media/" + jatim_file.file.name).status_code == 404
    pesantren_account = make_user("akun-pesantren", province=jatim, roles=[Role.PESANTREN])
    client.force_login(pesantren_account)
    assert client.get(download_url("jatim", "opop-jatim", jatim_file.pk)).status_code == 404


def test_a_missing_file_answers_404(client, world, files, jatim, media):
    jatim_file, _k, _o = files
    (media / jatim_file.file.name).unlink()
    client.force_login(make_user("jatim-po", province=jatim, roles=[Role.PROGRAM_OFFICER]))
    assert client.get(download_url("jatim", "opop-jatim", jatim_file.pk)).status_code == 404


def test_evidence_of_assistance_downloads_too(client, world, jatim):
    with scope(province=world.jatim):
        assistance = make_assistance(
            world.program, world.ampel, "marketing", datetime.date(2024, 2, 1)
        )
        row = make_evidence(assistance, name="foto.pdf", content=pdf_bytes("expo"))
    client.force_login(make_user("jatim-po", province=jatim, roles=[Role.PROGRAM_OFFICER]))
    response = client.get(download_url("jatim", "opop-jatim", row.pk))
    assert b"".join(response.streaming_content) == pdf_bytes("expo")


def test_uploads_without_a_name_get_one():
    upload = io.BytesIO(pdf_bytes())
    assert evidence.clean_name(getattr(upload, "name", "")) == "bukti"
    assert evidence.clean_name("C:\\Users\\budi\\SK\x07.pdf") == "SK.pdf"
