"""The mission report pages of a province space (under /province/<slug>/realization/):
the report page with the press summary, its PDF and XLSX downloads, and the
switch of the public transparency page.

Reading needs `realization.view_realization` on the mission (a mission the
province neither organises nor hosts is not found, 404). The downloads are in
the language asked for with `?lang=en` / `?lang=id`, else the reader's.
Contact persons and (masked) phone numbers are included only for the
organising and host provinces' teams; everyone else gets the public version.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from niaga.missions.rules import in_organiser_or_host_team
from niaga.realization.dashboard_views import board_context, mission_for_realization
from niaga.reports import domain, exports, queries, report
from niaga.reports.press import press_summary

MANAGE = "realization.manage_follow_up"


def _language(request) -> str:
    asked = request.GET.get("lang", "")
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language() or settings.LANGUAGE_CODE


def _build(request, mission) -> report.MissionReport:
    return report.build(
        mission, include_contacts=bool(in_organiser_or_host_team(request.user, mission))
    )


@require_GET
def mission_report(request, slug: str):
    mission = mission_for_realization(request, slug)
    built = _build(request, mission)
    context = board_context(built.realization)
    context.update(
        {
            "mission": mission,
            "report": built,
            "press_summary": press_summary(built),
            "can_manage": request.user.has_perm(MANAGE, mission),
            "is_published": queries.is_published(mission),
        }
    )
    return TemplateResponse(request, "reports/mission_report.html", context)


def _download(request, slug: str, extension: str) -> HttpResponse:
    mission = mission_for_realization(request, slug)
    with translation.override(_language(request)):
        built = _build(request, mission)
        if extension == "pdf":
            body, content_type = exports.pdf(built), "application/pdf"
        else:
            body, content_type = exports.xlsx(built), exports.XLSX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    name = report.filename(mission, extension, today=built.realization.today)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def mission_report_pdf(request, slug: str):
    return _download(request, slug, "pdf")


@require_GET
def mission_report_xlsx(request, slug: str):
    return _download(request, slug, "xlsx")


@require_POST
def mission_transparency_toggle(request, slug: str):
    mission = mission_for_realization(request, slug, MANAGE)
    publish = request.POST.get("is_published") == "1"
    try:
        domain.transparency_set(actor=request.user, mission=mission, is_published=publish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if publish:
            messages.success(request, _("The public realization page is published."))
        else:
            messages.success(request, _("The public realization page is withdrawn."))
    return redirect("province:mission_report", province=request.province.slug, slug=mission.slug)
