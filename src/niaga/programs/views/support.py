"""Pages of a program's support records: the list (with CSV/XLSX export), totals
per regency and year, recording grants and assistance with evidence, a
record's page (evidence, reversal of a grant, correction of assistance), a
pesantren's support page, evidence downloads, and the "Support received"
section of a pesantren's profile.

All run inside the province's scope (`core.scoping.province_patterns`): a
program, record, pesantren or file of another province is simply not found
and answers 404, as does a record of another program under this program's
address. Reading needs `programs.view_program`, writing
`programs.record_support` (404 without it, like every province page). Writes
go through `niaga.programs.domain.support`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from niaga.core.exports import csv_response, xlsx_response
from niaga.core.form_errors import add_errors as _add_errors
from niaga.core.scoping import require_province_perm
from niaga.programs import support_queries as queries
from niaga.programs.domain import support as domain
from niaga.programs.forms_support import (
    AssistanceEditForm,
    AssistanceForm,
    EvidenceForm,
    GrantForm,
    ReasonForm,
    SupportFilterForm,
    TotalsFilterForm,
    pesantren_options,
)
from niaga.programs.models import (
    Assistance,
    FundSource,
    Grant,
    Program,
    SupportAspect,
    SupportEvidence,
)
from niaga.registry.models import Pesantren

VIEW = "programs.view_program"
RECORD = "programs.record_support"
PER_PAGE = 50


# --- Finding rows (another province's or program's rows are not found) ------------


def _program_or_404(slug: str) -> Program:
    found = Program.objects.filter(slug=slug).first()
    if found is None:
        raise Http404("no such program in this province space")
    return found


def _grant_or_404(program: Program, grant_id: int) -> Grant:
    found = (
        Grant.objects.select_related("pesantren__regency", "cooperative", "recorded_by")
        .filter(program=program, pk=grant_id)
        .first()
    )
    if found is None:
        raise Http404("no such grant in this program")
    return found


def _assistance_or_404(program: Program, assistance_id: int) -> Assistance:
    found = (
        Assistance.objects.select_related("pesantren__regency", "cooperative", "recorded_by")
        .filter(program=program, pk=assistance_id)
        .first()
    )
    if found is None:
        raise Http404("no such assistance record in this program")
    return found


def _pesantren_or_404(pesantren_id: int) -> Pesantren:
    found = Pesantren.objects.select_related("regency").filter(pk=pesantren_id).first()
    if found is None:
        raise Http404("no such pesantren in this province space")
    return found


def _context(request, program: Program, **extra) -> dict:
    return {
        "program": program,
        "can_record": request.user.has_perm(RECORD, request.province),
        "aspect_choices": SupportAspect.choices,
        **extra,
    }


def _url(request, name: str, program: Program, **kwargs) -> str:
    return reverse(
        f"province:{name}",
        kwargs={"province": request.province.slug, "program": program.slug, **kwargs},
    )


def _page(request, rows):
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return page, query.urlencode()


# --- The list and its export ---------------------------------------------------------


def _export(program: Program, rows, fmt: str):
    kinds = {queries.GRANT: _("Grant"), queries.ASSISTANCE: _("Assistance")}
    aspects = dict(SupportAspect.choices)
    sources = dict(FundSource.choices)
    header = [
        _("Date"),
        _("Kind"),
        _("Record no."),
        _("Pesantren"),
        _("NSPP"),
        _("Regency/city"),
        _("Cooperative"),
        _("Aspect"),
        _("Amount (Rp)"),
        _("Purpose or description"),
        _("Source of funds"),
        _("Source detail"),
        _("Reverses record no."),
        _("Reversed"),
        _("Reason for the correction"),
        _("Evidence files"),
    ]
    body = (
        [
            row["date"].isoformat(),
            kinds[row["kind"]],
            row["pk"],
            row["pesantren_name"],
            row["nspp"] or "",
            row["regency_name"],
            row["cooperative_name"] or "",
            str(aspects.get(row["aspect"], row["aspect"])),
            row["amount_idr"],
            row["text"],
            str(sources.get(row["source"], row["source"])),
            row["source_detail"],
            row["reverses_id"],
            bool(row["is_reversed"]) if row["kind"] == queries.GRANT else None,
            row["reason"],
            row["evidence_count"],
        ]
        for row in rows
    )
    name = f"dukungan-{program.slug}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        return xlsx_response(name, _("Support records"), header, body)
    return csv_response(name, header, body)


@require_GET
@require_province_perm(VIEW)
def support_list(request, program: str):
    program = _program_or_404(program)
    filters = SupportFilterForm(request.GET or None, program=program, province=request.province)
    rows = queries.support_records(program, filters.filters())
    if request.GET.get("export") in ("csv", "xlsx"):
        return _export(program, rows, request.GET["export"])
    page, query = _page(request, rows)
    return TemplateResponse(
        request,
        "programs/support/list.html",
        _context(request, program, filters=filters, page=page, query=query),
    )


@require_GET
@require_province_perm(VIEW)
def support_totals(request, program: str):
    program = _program_or_404(program)
    form = TotalsFilterForm(request.GET or None, program=program, province=request.province)
    year, regency = form.chosen()
    label = _("All regencies/cities")
    return TemplateResponse(
        request,
        "programs/support/totals.html",
        _context(
            request,
            program,
            form=form,
            year=year,
            regency_name=dict(form.fields["regency"].choices).get(regency) if regency else "",
            by_regency=queries.totals_by_regency(program, year, total_label=label),
            by_year=queries.totals_by_year(program, regency, total_label=_("All years")),
        ),
    )


# --- Recording ----------------------------------------------------------------------


def _record_form(request, form_class, **kwargs):
    return form_class(
        request.POST or None,
        request.FILES or None,
        province=request.province,
        search=request.GET.get("q", ""),
        initial={"pesantren": request.GET.get("pesantren") or None},
        **kwargs,
    )


@require_province_perm(RECORD)
def grant_create(request, program: str):
    program = _program_or_404(program)
    form = _record_form(request, GrantForm)
    if request.method == "POST" and form.is_valid():
        try:
            grant = domain.grant_record(actor=request.user, program=program, **form.domain_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The grant has been recorded."))
            return redirect(_url(request, "support_grant", program, grant_id=grant.pk))
    return TemplateResponse(
        request,
        "programs/support/form.html",
        _context(request, program, form=form, kind=queries.GRANT),
        status=400 if form.errors else 200,
    )


@require_province_perm(RECORD)
def assistance_create(request, program: str):
    program = _program_or_404(program)
    form = _record_form(request, AssistanceForm, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            assistance = domain.assistance_record(
                actor=request.user, program=program, **form.domain_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The assistance has been recorded."))
            return redirect(
                _url(request, "support_assistance", program, assistance_id=assistance.pk)
            )
    return TemplateResponse(
        request,
        "programs/support/form.html",
        _context(request, program, form=form, kind=queries.ASSISTANCE),
        status=400 if form.errors else 200,
    )


@require_GET
@require_province_perm(VIEW)
def pesantren_options_view(request, program: str):
    """The <option>s of the pesantren matching ?q= (for the search box, through htmx)."""
    _program_or_404(program)
    selected = request.GET.get("pesantren", "")
    selected = int(selected) if selected.isdigit() else None
    options = pesantren_options(
        request.province, search=request.GET.get("q", ""), selected=selected
    )
    return TemplateResponse(
        request,
        "programs/support/_pesantren_options.html",
        {"options": options, "selected": selected},
    )


# --- A record's page ------------------------------------------------------------------


def _evidence_of(record) -> list[SupportEvidence]:
    link = {"grant": record} if isinstance(record, Grant) else {"assistance": record}
    return list(SupportEvidence.objects.filter(**link).select_related("uploaded_by"))


def _grant_page(request, program, grant, *, reverse_form=None, evidence_form=None, status=200):
    reversal = Grant.objects.filter(reverses=grant).select_related("recorded_by").first()
    original = Grant.objects.filter(pk=grant.reverses_id).first() if grant.reverses_id else None
    return TemplateResponse(
        request,
        "programs/support/grant_detail.html",
        _context(
            request,
            program,
            grant=grant,
            evidence=_evidence_of(grant),
            reversal=reversal,
            original=original,
            reverse_form=reverse_form or ReasonForm(),
            evidence_form=evidence_form or EvidenceForm(),
        ),
        status=status,
    )


@require_GET
@require_province_perm(VIEW)
def grant_detail(request, program: str, grant_id: int):
    program = _program_or_404(program)
    return _grant_page(request, program, _grant_or_404(program, grant_id))


@require_POST
@require_province_perm(RECORD)
def grant_reverse(request, program: str, grant_id: int):
    program = _program_or_404(program)
    grant = _grant_or_404(program, grant_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            reversal = domain.grant_reverse(
                actor=request.user, grant=grant, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The grant has been reversed by entry #%(number)s; its totals are now zero.")
                % {"number": reversal.pk},
            )
            return redirect(_url(request, "support_grant", program, grant_id=grant.pk))
    return _grant_page(request, program, grant, reverse_form=form, status=400)


def _assistance_page(request, program, assistance, *, evidence_form=None, status=200):
    return TemplateResponse(
        request,
        "programs/support/assistance_detail.html",
        _context(
            request,
            program,
            assistance=assistance,
            evidence=_evidence_of(assistance),
            evidence_form=evidence_form or EvidenceForm(),
        ),
        status=status,
    )


@require_GET
@require_province_perm(VIEW)
def assistance_detail(request, program: str, assistance_id: int):
    program = _program_or_404(program)
    return _assistance_page(request, program, _assistance_or_404(program, assistance_id))


@require_province_perm(RECORD)
def assistance_edit(request, program: str, assistance_id: int):
    program = _program_or_404(program)
    assistance = _assistance_or_404(program, assistance_id)
    form = AssistanceEditForm(
        request.POST or None,
        province=request.province,
        program=program,
        assistance=assistance,
        search=request.GET.get("q", ""),
        initial=AssistanceEditForm.initial_for(
            assistance, domain.assistance_fingerprint(assistance)
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.assistance_update(
                actor=request.user,
                assistance=assistance,
                fingerprint=form.cleaned_data["fingerprint"],
                **form.domain_fields(),
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict") and error.error_list[0].code == "conflict":
                messages.error(request, error.messages[0])
                return redirect(
                    _url(request, "support_assistance_edit", program, assistance_id=assistance.pk)
                )
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(
                _url(request, "support_assistance", program, assistance_id=assistance.pk)
            )
    return TemplateResponse(
        request,
        "programs/support/form.html",
        _context(request, program, form=form, kind=queries.ASSISTANCE, assistance=assistance),
        status=400 if form.errors else 200,
    )


@require_province_perm(RECORD)
def assistance_delete(request, program: str, assistance_id: int):
    program = _program_or_404(program)
    assistance = _assistance_or_404(program, assistance_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.assistance_delete(
                actor=request.user, assistance=assistance, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The assistance record has been deleted."))
            return redirect(_url(request, "support_list", program))
    return TemplateResponse(
        request,
        "programs/support/assistance_delete.html",
        _context(request, program, assistance=assistance, form=form),
        status=400 if form.errors else 200,
    )


@require_POST
@require_province_perm(RECORD)
def grant_evidence_add(request, program: str, grant_id: int):
    program = _program_or_404(program)
    grant = _grant_or_404(program, grant_id)
    form = _evidence_add(request, grant)
    if form is None:
        return redirect(_url(request, "support_grant", program, grant_id=grant.pk))
    return _grant_page(request, program, grant, evidence_form=form, status=400)


@require_POST
@require_province_perm(RECORD)
def assistance_evidence_add(request, program: str, assistance_id: int):
    program = _program_or_404(program)
    assistance = _assistance_or_404(program, assistance_id)
    form = _evidence_add(request, assistance)
    if form is None:
        return redirect(_url(request, "support_assistance", program, assistance_id=assistance.pk))
    return _assistance_page(request, program, assistance, evidence_form=form, status=400)


def _evidence_add(request, record) -> EvidenceForm | None:
    """Add the posted file to `record`; None when done, else the form with its errors."""
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            domain.evidence_add(actor=request.user, record=record, file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error.message_dict.get("evidence_files", error.messages))
        else:
            messages.success(request, _("The evidence file has been added."))
            return None
    return form


@require_GET
@require_province_perm(VIEW)
def evidence_download(request, program: str, evidence_id: int):
    """An evidence file, as an attachment, to whoever may read the program."""
    program = _program_or_404(program)
    found = (
        SupportEvidence.objects.filter(pk=evidence_id)
        .filter(Q(grant__program=program) | Q(assistance__program=program))
        .first()
    )
    if found is None:
        raise Http404("no such evidence file in this program")
    try:
        handle = default_storage.open(found.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404("evidence file missing") from error
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Pesantren -------------------------------------------------------------------------


@require_GET
@require_province_perm(VIEW)
def pesantren_support(request, program: str, pesantren_id: int):
    program = _program_or_404(program)
    pesantren = _pesantren_or_404(pesantren_id)
    rows = queries.support_records(program, queries.RecordFilters(pesantren=pesantren.pk))
    page, query = _page(request, rows)
    return TemplateResponse(
        request,
        "programs/support/pesantren.html",
        _context(
            request,
            program,
            pesantren=pesantren,
            summary=queries.pesantren_support(program, pesantren),
            aspects=dict(SupportAspect.choices),
            page=page,
            query=query,
        ),
    )


@require_GET
@require_province_perm(VIEW)
def support_received(request, pesantren_id: int):
    """What a pesantren received from the province's programs: the section of its
    profile (loaded by htmx) or, without JavaScript, a page of its own."""
    pesantren = _pesantren_or_404(pesantren_id)
    received = queries.received_by_pesantren(pesantren)
    template = (
        "programs/support/_received.html"
        if getattr(request, "htmx", False)
        else "programs/support/received.html"
    )
    return TemplateResponse(
        request,
        template,
        {
            "pesantren": pesantren,
            "received": received,
            "aspects": dict(SupportAspect.choices),
            "can_record": request.user.has_perm(RECORD, request.province),
        },
    )
