"""Certificate pages: a certificate as the province team sees it (the sheet, its
PDF, revoking it) and the public verification page /sertifikat/<code>/.

The verification page needs no login and reads across provinces through
`certificate_lookup` only. It says "valid" or "revoked" (with the date) and
shows what the printed certificate shows: holder, course, program, date. The
reason for a revocation stays inside the province team: reasons such as
"identity fraud" or "plagiarised assessment" are accusations about a named
person, and a public page that anyone holding the code can open is no place
for them; the date and "ask the issuing office" are enough for a verifier.
An unknown code (mistyped or forged) answers 404 with a page that says so.
The page is not cached and asks search engines not to index holders' names.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from niaga.core.form_errors import add_errors
from niaga.core.scoping import require_province_perm
from niaga.programs import certificate_pdf
from niaga.programs import training_queries as queries
from niaga.programs.domain import certificates as domain
from niaga.programs.forms_training import RevokeForm
from niaga.programs.views.training import cohort_url, program_or_404

NOINDEX = "noindex, nofollow"


def _certificate_or_404(request, program: str, certificate_id: int):
    """(program, certificate) of this province space, or 404."""
    found = program_or_404(request, program)
    certificate = queries.certificate_of(found, certificate_id)
    if certificate is None:
        raise Http404("no such certificate in this program")
    return found, certificate


def _sheet_context(request, certificate) -> dict:
    url = certificate_pdf.verification_url(request, certificate.code)
    return certificate_pdf.context(certificate, verify_url=url)


@require_province_perm("programs.view_program")
def certificate_detail(request, program: str, certificate_id: int):
    """The certificate as it prints, with its download and (admins) revoke."""
    found, certificate = _certificate_or_404(request, program, certificate_id)
    return TemplateResponse(
        request,
        "programs/certificate/detail.html",
        {
            **_sheet_context(request, certificate),
            "program": found,
            "cohort_url": cohort_url(request, certificate.enrolment.cohort),
            "verify_path": certificate_pdf.verification_path(certificate.code),
            "can_revoke": request.user.has_perm("programs.revoke_certificate", request.province),
        },
    )


@require_province_perm("programs.view_program")
def certificate_download(request, program: str, certificate_id: int):
    """The certificate as an A4 landscape PDF."""
    _found, certificate = _certificate_or_404(request, program, certificate_id)
    if request.method not in ("GET", "HEAD"):  # after the look-up: elsewhere it is a 404
        return HttpResponseNotAllowed(["GET", "HEAD"])
    url = certificate_pdf.verification_url(request, certificate.code)
    response = HttpResponse(
        certificate_pdf.pdf(certificate, verify_url=url), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate_pdf.filename(certificate)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_province_perm("programs.revoke_certificate")
def certificate_revoke(request, program: str, certificate_id: int):
    found, certificate = _certificate_or_404(request, program, certificate_id)
    detail = _sheet_context(request, certificate)
    if certificate.is_revoked:
        messages.info(request, _already_revoked_text(detail))
        return redirect(
            "province:certificate_detail",
            province=request.province.slug,
            program=found.slug,
            certificate_id=certificate.pk,
        )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.certificate_revoke(
                actor=request.user,
                certificate=certificate,
                reason=form.cleaned_data["revoked_reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The certificate has been revoked."))
            return redirect(
                "province:certificate_detail",
                province=request.province.slug,
                program=found.slug,
                certificate_id=certificate.pk,
            )
    return TemplateResponse(
        request,
        "programs/certificate/revoke.html",
        {**detail, "program": found, "form": form},
    )


def _already_revoked_text(detail: dict) -> str:
    return _("This certificate was already revoked on %(date)s.") % {"date": detail["revoked_on"]}


@never_cache
@require_safe
def certificate_verify(request, code: str):
    """Public: is the certificate with this code valid, revoked, or unknown (404)?"""
    certificate = domain.certificate_lookup(code)
    if certificate is None:
        response = TemplateResponse(
            request,
            "programs/certificate/unknown.html",
            {"code": code[:40]},
            status=404,
        )
    else:
        status = domain.certificate_public_status(certificate)
        province = certificate.province
        revoked_on = (
            certificate.revoked_at.astimezone(province.zone).date()
            if certificate.revoked_at
            else None
        )
        response = TemplateResponse(
            request,
            "programs/certificate/verify.html",
            {
                "status": status,
                "code": domain.format_code(certificate.code),
                "completed_on": certificate.enrolment.completed_on,
                "revoked_on": revoked_on,
                "province": province,
            },
        )
    response["X-Robots-Tag"] = NOINDEX
    return response
