"""Certificates: codes, public verification (valid, revoked, unknown), the PDF
and the QR code it carries."""

import base64
import datetime as dt
import io
import re

import pytest
import segno
from django.conf import settings
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from niaga.programs import certificate_pdf
from niaga.programs.domain import certificates as domain
from niaga.programs.models import Certificate
from niaga.registry.domain import people as people_domain
from tests.conftest import make_user
from tests.programs import certificate_reading as reading
from tests.programs.training_world import JATIM_NAMES, build_side, issue, seat

pytestmark = pytest.mark.django_db

CODE = "7K3MQ9TX2HBD"
SHOWN = "7K3M-Q9TX-2HBD"
URL = f"http://testserver/sertifikat/{SHOWN}/"


@pytest.fixture
def certificate(jatim, opop_jatim):
    side = build_side(jatim, opop_jatim, JATIM_NAMES)
    enrolment = seat(side, side.people[:1])[0]
    return issue(enrolment, CODE, completed_on=dt.date(2024, 3, 8))


@pytest.fixture
def client_en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def revoke(certificate, when=dt.datetime(2024, 6, 30, 17, 30, tzinfo=dt.UTC)):
    """Revoked on 1 July 2024 in East Java (00.30 WIB), 30 June in UTC."""
    with scopes_disabled():
        Certificate.objects.filter(pk=certificate.pk).update(
            revoked_at=when, revoked_reason="Identitas peserta tidak sesuai"
        )


# --- Codes ----------------------------------------------------------------------


def test_new_codes_are_12_crockford_characters_and_differ():
    codes = {domain.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[0-9ABCDEFGHJKMNPQRSTVWXYZ]{12}", code) for code in codes)
    assert domain.format_code("7K3MQ9TX2HBD") == "7K3M-Q9TX-2HBD"


@pytest.mark.parametrize(
    "typed",
    ["7K3M-Q9TX-2HBD", "7k3m-q9tx-2hbd", "7K3MQ9TX2HBD", " 7K3M Q9TX 2HBD ", "7k3m_q9tx.2hbd"],
)
def test_typed_codes_are_normalised(typed):
    assert domain.normalise_code(typed) == CODE


def test_look_alike_letters_read_as_digits():
    assert domain.normalise_code("1OlI-abcd") == "1011ABCD"


@given(st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZ", min_size=12, max_size=12))
def test_a_formatted_code_reads_back_as_itself(code):
    assert domain.normalise_code(domain.format_code(code)) == code
    assert domain.normalise_code(domain.format_code(code).lower()) == code


# --- Look-up and public status ------------------------------------------------------


def test_lookup_finds_a_certificate_in_any_province_without_a_scope(certificate):
    found = domain.certificate_lookup("7k3m q9tx 2hbd")
    assert found.pk == certificate.pk
    assert domain.certificate_public_status(found) == {
        "status": "valid",
        "holder": "Ahmad Fauzi",
        "course": "Santripreneur Berbasis Koperasi",
        "program": "OPOP Jawa Timur",
        "completed_on": "2024-03-08",
    }
    assert domain.certificate_lookup("7K3M-Q9TX-2HBE") is None
    assert domain.certificate_lookup("7K3M-Q9TX") is None
    assert domain.certificate_lookup("<script>") is None


def test_a_revoked_certificate_says_so_without_the_reason(certificate):
    revoke(certificate)
    status = domain.certificate_public_status(domain.certificate_lookup(SHOWN))
    assert status["status"] == "revoked"
    assert "Identitas" not in repr(status)


# --- The public page ------------------------------------------------------------------


def test_the_page_of_a_valid_certificate_needs_no_login(client_en, certificate):
    response = client_en.get(f"/sertifikat/{SHOWN}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'id="verify-status" data-status="valid">\s*<strong>Valid certificate.', page)
    assert '<dd class="col-sm-8" id="verify-holder">Ahmad Fauzi</dd>' in page
    assert 'id="verify-course">Santripreneur Berbasis Koperasi</dd>' in page
    assert 'id="verify-program">OPOP Jawa Timur · Jawa Timur</dd>' in page
    assert 'id="verify-completed-on">8 March 2024</dd>' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_page_speaks_indonesian_by_default(client, certificate):
    page = client.get(f"/sertifikat/{SHOWN}/").content.decode()
    assert 'lang="id"' in page
    assert 'id="verify-completed-on">8 Maret 2024</dd>' in page


@pytest.mark.parametrize("typed", ["7k3m-q9tx-2hbd", "7K3MQ9TX2HBD", "7K3M%20Q9TX%202HBD"])
def test_the_page_matches_codes_as_typed(client_en, certificate, typed):
    response = client_en.get(f"/sertifikat/{typed}/")
    assert response.status_code == 200
    assert "<code>7K3M-Q9TX-2HBD</code>" in response.content.decode()


def test_a_revoked_certificate_shows_the_date_not_the_reason(client_en, certificate):
    revoke(certificate)
    response = client_en.get(f"/sertifikat/{SHOWN}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="revoked"' in page
    assert "This certificate was revoked on 1 July 2024 and is no longer valid." in page
    assert "Identitas" not in page
    assert 'id="verify-holder">Ahmad Fauzi</dd>' in page


@pytest.mark.parametrize("typed", ["7K3M-Q9TX-2HBE", "ABCD", "0000-0000-0000", "%3Cb%3Ex"])
def test_an_unknown_or_forged_code_is_404_with_a_clear_page(client_en, certificate, typed):
    response = client_en.get(f"/sertifikat/{typed}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-status="unknown"' in page
    assert "Unknown code." in page
    assert "Ahmad Fauzi" not in page and "<b>x" not in page


def test_an_erased_holder_shows_with_the_anonymised_name(client_en, certificate, jatim):
    privacy = make_user("jatim-dpo", province=jatim, roles=["privacy_officer"])
    with scopes_disabled():
        person = certificate.enrolment.person
    people_domain.person_erase(actor=privacy, person=person)
    page = client_en.get(f"/sertifikat/{SHOWN}/").content.decode()
    assert f'id="verify-holder">Dihapus #{person.pk}</dd>' in page
    assert "Ahmad Fauzi" not in page


# --- The PDF and its QR code ------------------------------------------------------------


@pytest.fixture
def loaded(certificate):
    with scopes_disabled():
        return domain.certificate_lookup(CODE)


def test_the_pdf_holds_the_holder_course_program_date_and_code(loaded):
    pdf = certificate_pdf.pdf(loaded, verify_url=URL)
    document = reading.read(pdf)
    assert len(document.pages) == 1
    box = document.pages[0].mediabox
    # A4 landscape: 297 × 210 mm in points.
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = reading.text(pdf)
    for expected in [
        "PEMERINTAH PROVINSI JAWA TIMUR OPOP Jawa Timur SERTIFIKAT",
        "Diberikan kepada Ahmad Fauzi yang telah menyelesaikan pelatihan "
        "Santripreneur Berbasis Koperasi",
        "Angkatan 2024-1 · 4 Maret 2024 – 8 Maret 2024 · UNUSA, Surabaya",
        "Jawa Timur, 8 Maret 2024",
        "Pelatih: Dr. Hasan Basri, Ibu Laila Rahmawati",
        "Kode verifikasi 7K3M-Q9TX-2HBD",
    ]:
        assert expected in text
    # The printed address may wrap at the end of the line.
    assert URL in text.replace("- ", "-").replace("/ ", "/")
    assert reading.link_uris(pdf) == [URL]


def test_the_qr_code_in_the_pdf_encodes_the_verification_url(loaded):
    pdf = certificate_pdf.pdf(loaded, verify_url=URL)
    (image,) = reading.images(pdf)
    assert reading.encodes(image, URL)
    assert not reading.encodes(image, URL.replace("2HBD", "2HBE"))


def test_the_qr_code_on_the_sheet_is_the_symbol_of_the_url(loaded):
    html = certificate_pdf.html(loaded, verify_url=URL)
    uri = re.search(r'id="certificate-qr-link"><img src="data:image/png;base64,([^"]+)"', html)
    image = Image.open(io.BytesIO(base64.b64decode(uri.group(1))))
    assert reading.encodes(image, URL)
    expected = segno.make_qr(URL, error="m")
    assert reading.modules(image, len(expected.matrix)) == [list(r) for r in expected.matrix]


def test_a_revoked_certificate_prints_marked_revoked(loaded, certificate):
    revoke(certificate)
    with scopes_disabled():
        again = domain.certificate_lookup(CODE)
    assert "DICABUT 1 JULI 2024" in reading.text(certificate_pdf.pdf(again, verify_url=URL))


def test_the_certificate_is_in_indonesian_whatever_the_language(loaded):
    from django.utils import translation

    with translation.override("en"):
        html = certificate_pdf.html(loaded, verify_url=URL)
        # The reader's language is untouched afterwards.
        assert translation.get_language() == "en"
    assert '<html lang="id">' in html
    assert "Diberikan kepada" in html and "8 Maret 2024" in html
