"""The signed document: a real PDF only, within its own size limit, served only
as an attachment to those who may read the agreement."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from niaga.agreements import domain
from niaga.agreements.models import Agreement
from tests.agreements.conftest import NOW, make_agreement, party, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def record(actor, jatim, kalsel, document):
    return make_agreement(
        actor,
        jatim,
        [party("Pemprov Jatim", jatim), party("Pemprov Kalsel", kalsel)],
        document=document,
    )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def refused(actor, jatim, kalsel, document) -> list[str]:
    with pytest.raises(ValidationError) as error:
        record(actor, jatim, kalsel, document)
    assert list(error.value.error_dict) == ["document"]
    return [e.code for e in error.value.error_dict["document"]]


def test_a_pdf_is_stored_privately_under_a_random_name(settings, jatim, kalsel, jatim_manager):
    agreement = record(jatim_manager, jatim, kalsel, upload("PKS Jatim Kalsel.pdf", pdf_bytes()))
    assert agreement.document_name == "PKS Jatim Kalsel.pdf"
    assert agreement.document_size == len(pdf_bytes())
    assert agreement.document.name.startswith("private/agreements/")
    assert "Jatim" not in agreement.document.name
    assert stored_files(settings) == [agreement.document.name]


def test_other_files_are_refused_and_nothing_is_stored(settings, jatim, kalsel, jatim_manager):
    assert refused(jatim_manager, jatim, kalsel, upload("scan.png", png_bytes())) == [
        "document_not_pdf"
    ]
    # A file named .pdf that is an Office document or an image is not a PDF.
    assert refused(jatim_manager, jatim, kalsel, upload("naskah.pdf", zip_bytes())) == [
        "evidence_type"
    ]
    assert refused(jatim_manager, jatim, kalsel, upload("naskah.pdf", png_bytes())) == [
        "evidence_mismatch"
    ]
    # A PDF cut off in transit (no %%EOF) and an empty file.
    assert refused(jatim_manager, jatim, kalsel, upload("naskah.pdf", pdf_bytes()[:-7])) == [
        "evidence_damaged"
    ]
    assert refused(jatim_manager, jatim, kalsel, upload("naskah.pdf", b"")) == ["evidence_empty"]
    assert Agreement.all_objects.count() == 0
    assert stored_files(settings) == []


def test_the_size_limit_is_the_agreement_documents_own(settings, jatim, kalsel, jatim_manager):
    content = pdf_bytes() + b"%" + b"x" * 3000 + b"\n%%EOF\n"
    settings.NIAGA_AGREEMENT_DOCUMENT_MAX_BYTES = len(content) - 1
    with pytest.raises(ValidationError) as large:
        record(jatim_manager, jatim, kalsel, upload("besar.pdf", content))
    assert [e.code for e in large.value.error_dict["document"]] == ["evidence_too_large"]
    # Larger than the support evidence limit, within the agreement limit: accepted.
    settings.NIAGA_AGREEMENT_DOCUMENT_MAX_BYTES = len(content)
    settings.NIAGA_SUPPORT_EVIDENCE_MAX_BYTES = 100
    agreement = record(jatim_manager, jatim, kalsel, upload("besar.pdf", content))
    assert agreement.document_size == len(content)


def test_the_default_limit_is_twenty_megabytes(settings):
    del settings.NIAGA_AGREEMENT_DOCUMENT_MAX_BYTES
    assert domain.document_max_bytes() == 20 * 1024 * 1024


def test_replacing_the_document_deletes_the_old_file_after_the_commit(
    settings, jatim, kalsel, jatim_manager, django_capture_on_commit_callbacks
):
    agreement = record(jatim_manager, jatim, kalsel, upload("v1.pdf", pdf_bytes("v1")))
    old = agreement.document.name
    with django_capture_on_commit_callbacks(execute=True):
        updated = domain.agreement_update(
            actor=jatim_manager,
            agreement=agreement,
            version=1,
            document=upload("v2.pdf", pdf_bytes("v2")),
            now=NOW,
        )
    assert updated.document_name == "v2.pdf"
    assert stored_files(settings) == [updated.document.name]
    assert old != updated.document.name


def test_the_download_is_an_attachment_for_parties_and_404_for_others(
    jatim, kalsel, jatim_manager, kalsel_viewer, national_viewer
):
    agreement = record(jatim_manager, jatim, kalsel, upload("PKS final.pdf", pdf_bytes()))
    url = f"/province/jatim/agreements/{agreement.pk}/document/"
    client = Client()
    client.force_login(jatim_manager)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="PKS final.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes()
    # South Kalimantan is party to it: its viewer reads it in its own space.
    client.force_login(kalsel_viewer)
    assert client.get(url).status_code == 404  # not a member of East Java's space
    assert client.get(f"/province/kalsel/agreements/{agreement.pk}/document/").status_code == 200
    client.force_login(national_viewer)
    assert client.get(url).status_code == 200


def test_no_document_answers_404(jatim, kalsel, jatim_manager):
    agreement = record(jatim_manager, jatim, kalsel, None)
    client = Client()
    client.force_login(jatim_manager)
    assert client.get(f"/province/jatim/agreements/{agreement.pk}/document/").status_code == 404
