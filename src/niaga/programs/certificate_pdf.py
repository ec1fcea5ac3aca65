"""A certificate as a document: the same HTML sheet shown on screen and printed
to an A4 landscape PDF by WeasyPrint, with a QR code of its verification URL.

The certificate is an Indonesian document: it is always rendered in
Indonesian (dates by Babel's "id" locale), whatever language the officer who
downloads it reads the site in. The QR code is drawn by segno as a PNG in a
data: URI, which the strict CSP allows on screen and which WeasyPrint embeds
as it is; around it a link to the same URL, so that a PDF reader can open it.

The verification URL is absolute, built from the request's host (Niaga has
no site-URL setting: a province installation is reached under whatever host
its users type, which is the host its certificates must point to).
"""

from __future__ import annotations

from pathlib import Path

import segno
from babel.dates import format_date
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from niaga.programs.domain.certificates import format_code
from niaga.programs.models import Certificate

STYLESHEET = "programs/css/certificate.css"
# Error correction M (15 % of the symbol may be damaged) survives a crease or a
# smudge on paper and keeps the symbol small; 8 px modules print sharply at the
# 36 mm the stylesheet gives the image.
QR_ERROR = "m"
QR_SCALE = 8
QR_BORDER = 2


def verification_path(code: str) -> str:
    """/sertifikat/7K3M-Q9TX-2HBD/"""
    return reverse("certificate_verify", kwargs={"code": format_code(code)})


def verification_url(request, code: str) -> str:
    """The absolute verification URL on the host the request came to."""
    return request.build_absolute_uri(verification_path(code))


def qr_code(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=QR_ERROR)


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as a PNG data: URI (black on white)."""
    return qr_code(url).png_data_uri(scale=QR_SCALE, border=QR_BORDER)


def filename(certificate: Certificate) -> str:
    """`sertifikat-<code>.pdf`: no name in it, a download folder is not private."""
    return f"sertifikat-{format_code(certificate.code)}.pdf"


def context(certificate: Certificate, *, verify_url: str) -> dict:
    """What the sheet shows. `certificate` comes with enrolment, person, cohort,
    course, program and province loaded (`certificate_lookup`, `certificate_of`)."""
    enrolment = certificate.enrolment
    cohort = enrolment.cohort
    course = cohort.course
    province = certificate.province
    revoked_on = (
        certificate.revoked_at.astimezone(province.zone).date() if certificate.revoked_at else None
    )
    return {
        "certificate": certificate,
        "code": format_code(certificate.code),
        "holder": enrolment.person.full_name,
        "course": course,
        "program": course.program,
        "cohort": cohort,
        "province": province,
        "completed_on": _long_date(enrolment.completed_on),
        "cohort_dates": f"{_long_date(cohort.starts_on)} – {_long_date(cohort.ends_on)}",
        "revoked_on": _long_date(revoked_on),
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
    }


def _long_date(day) -> str:
    return format_date(day, format="long", locale="id") if day else ""


def html(certificate: Certificate, *, verify_url: str) -> str:
    """The standalone HTML document the PDF is printed from."""
    with translation.override("id"):
        return render_to_string(
            "programs/certificate/pdf.html", context(certificate, verify_url=verify_url)
        )


def pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as an A4 landscape PDF (bytes beginning with %PDF)."""
    from weasyprint import CSS, HTML

    stylesheet = CSS(string=Path(finders.find(STYLESHEET)).read_text(encoding="utf-8"))
    # No base_url: the document fetches nothing, so WeasyPrint opens no file or URL.
    return HTML(string=html(certificate, verify_url=verify_url)).write_pdf(stylesheets=[stylesheet])
