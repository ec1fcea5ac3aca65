"""Pages of the registry import: upload, column mapping, progress, preview, commit.

Every page needs `registry.manage_registry` in the province (templates only
`registry.view_registry`); a job of another province is not found (404)
because the province scope hides it. Writes go through
`niaga.registry.domain.imports`. The progress page polls `import_progress`
with htmx every second; each poll checks the next chunk of rows, so the
checking goes on as long as the page is open and resumes when it is opened
again. Without JavaScript, the "Continue checking" button does the same.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from niaga.core.scoping import require_province_perm
from niaga.registry import importing
from niaga.registry.domain import imports as domain
from niaga.registry.exporting import template_response
from niaga.registry.models import ImportJob
from niaga.registry.models.imports import ImportResource, ImportStatus
from niaga.registry.resources import RESOURCES

VIEW = "registry.view_registry"
MANAGE = "registry.manage_registry"
ISSUES_PER_PAGE = 50
JOBS_SHOWN = 30


class UploadForm(forms.Form):
    resource = forms.ChoiceField(
        label=gettext_lazy("What the file holds"), choices=ImportResource.choices
    )
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy("The first line names the columns; the official template is best."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )


def _job_or_404(request, job_id: int) -> ImportJob:
    """A job of this province space (the scope hides every other)."""
    job = ImportJob.objects.select_related("created_by", "committed_by").filter(pk=job_id).first()
    if job is None:
        raise Http404("no such import in this province space")
    return job


def _job_url(request, job: ImportJob) -> str:
    return reverse(
        "province:import_job", kwargs={"province": request.province.slug, "job_id": job.pk}
    )


@require_province_perm(MANAGE)
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = domain.import_job_create(
                actor=request.user,
                province=request.province,
                resource=form.cleaned_data["resource"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect(_job_url(request, job))
    jobs = ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")[
        :JOBS_SHOWN
    ]
    return TemplateResponse(
        request,
        "registry/imports/list.html",
        {
            "form": form,
            "jobs": jobs,
            "resources": list(RESOURCES.values()),
            "max_mb": importing.max_bytes() // 2**20,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@require_province_perm(VIEW)
def import_template(request, resource: str, fmt: str):
    return template_response(resource=resource, fmt=fmt)


def _mapping_rows(job: ImportJob, mapping: dict[str, str]) -> list[dict]:
    return [
        {
            "index": index,
            "name": f"column-{index}",
            "header": header,
            "key": mapping.get(str(index), ""),
        }
        for index, header in enumerate(job.header)
    ]


def _detail(request, job: ImportJob, *, mapping=None, mapping_errors=(), status=200):
    spec = RESOURCES[job.resource]
    context = {
        "job": job,
        "spec": spec,
        "columns": spec.import_columns,
        "official": importing.is_official_template(spec, job.header),
        "mapping_rows": _mapping_rows(job, mapping if mapping is not None else job.mapping),
        "mapping_errors": mapping_errors,
        "remap": request.GET.get("remap") == "1" or bool(mapping_errors),
        "notices": [line for line in job.notice.splitlines() if line],
    }
    if job.status in (ImportStatus.READY, ImportStatus.INVALID):
        issues = job.issues.order_by("line", "id")
        context["issues"] = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "registry/imports/detail.html", context, status=status)


@require_GET
@require_province_perm(MANAGE)
def import_job(request, job_id: int):
    return _detail(request, _job_or_404(request, job_id))


@require_POST
@require_province_perm(MANAGE)
def import_map(request, job_id: int):
    job = _job_or_404(request, job_id)
    mapping = {
        str(index): request.POST.get(f"column-{index}", "").strip()
        for index in range(len(job.header))
    }
    mapping = {index: key for index, key in mapping.items() if key}
    try:
        domain.import_job_map(actor=request.user, job=job, mapping=mapping)
    except ValidationError as error:
        return _detail(request, job, mapping=mapping, mapping_errors=error.messages, status=400)
    return redirect(_job_url(request, job))


@require_POST
@require_province_perm(MANAGE)
def import_progress(request, job_id: int):
    job = domain.import_job_check_step(job=_job_or_404(request, job_id))
    if request.htmx:
        if job.status == ImportStatus.VALIDATING:
            return TemplateResponse(request, "registry/imports/_progress.html", {"job": job})
        return HttpResponseClientRedirect(_job_url(request, job))
    return redirect(_job_url(request, job))


@require_POST
@require_province_perm(MANAGE)
def import_commit(request, job_id: int):
    job = _job_or_404(request, job_id)
    job = domain.import_job_commit(actor=request.user, job=job)
    if job.status == ImportStatus.COMMITTED:
        messages.success(
            request,
            ngettext("%(count)s row was saved.", "%(count)s rows were saved.", job.created_rows)
            % {"count": job.created_rows},
        )
    elif job.status == ImportStatus.INVALID:
        messages.error(
            request,
            _(
                "Nothing was saved: the registry changed since the check and some rows "
                "have problems now. They are listed below."
            ),
        )
    return redirect(_job_url(request, job))


@require_POST
@require_province_perm(MANAGE)
def import_discard(request, job_id: int):
    job = domain.import_job_discard(actor=request.user, job=_job_or_404(request, job_id))
    if job.status == ImportStatus.DISCARDED:
        messages.success(request, _("The import was discarded and its file deleted."))
    return redirect(_job_url(request, job))
