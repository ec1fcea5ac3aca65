"""The realization figures and the mission report over the API, under /api/v1/missions/.

- `GET /{slug}/realization`: committed, delivered and paid (integer rupiah)
  and the count of live deals per current stage. Token and
  `realization.view_realization`; a mission whose public transparency page is
  published may be read without a token.
- `GET /{slug}/report.pdf`, `GET /{slug}/report.xlsx`: the mission report
  (`niaga.reports.report.build`, the same figures as the web). A public mission
  (`Mission.is_public`) needs no token, and then the report leaves out
  contact persons and phone numbers; otherwise a token and
  `realization.view_realization`. Languages: `?lang=en`, else Accept-Language,
  else Indonesian.

An unknown slug, another province's mission and a missing right all answer the
same 404 problem.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy
from ninja import Router, Schema

from niaga.api.auth import TokenAuth
from niaga.api.main import problem_responses
from niaga.missions.models import Mission
from niaga.missions.rules import in_organiser_or_host_team
from niaga.realization import dashboard
from niaga.reports import exports, queries, report

router = Router(tags=["reports"])
TOKEN_OR_PUBLIC = TokenAuth(optional=True)
VIEW = "realization.view_realization"


class StageCounts(Schema):
    potensi: int
    komitmen: int
    kontrak: int
    terkirim: int
    dibayar: int
    batal: int


class RealizationOut(Schema):
    committed_idr: int
    delivered_idr: int
    paid_idr: int
    count_by_stage: StageCounts


def _find(slug: str) -> Mission:
    mission = (
        Mission.objects.with_scopes_disabled()
        .select_related("organiser", "host", "host_regency")
        .filter(slug=slug)
        .first()
    )
    if mission is None:
        raise Http404("no such mission")
    return mission


def _may_view(request: HttpRequest, mission: Mission) -> bool:
    user = request.auth
    return bool(user.is_authenticated and user.has_perm(VIEW, mission))


@router.get(
    "/{slug:slug}/realization",
    response=RealizationOut,
    auth=TOKEN_OR_PUBLIC,
    summary=gettext_lazy("A mission's realization"),
    description=gettext_lazy(
        "Committed (the ledger's sum), delivered and paid values in integer rupiah, and "
        "the number of live deals at each stage. A mission with a published public "
        "realization page needs no token."
    ),
    openapi_extra={"security": [{}], **problem_responses(401, 404)},
)
def mission_realization(request: HttpRequest, slug: str):
    mission = _find(slug)
    if not _may_view(request, mission) and not queries.is_published(mission):
        raise Http404("no such mission")
    board = dashboard.for_mission(mission)
    return {
        "committed_idr": board.totals.committed_idr,
        "delivered_idr": board.totals.delivered_idr,
        "paid_idr": board.totals.paid_idr,
        "count_by_stage": board.count_by_stage,
    }


def _report(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    mission = _find(slug)
    allowed = _may_view(request, mission)
    if not allowed and not mission.is_public:
        raise Http404("no such mission")
    contacts = allowed and bool(in_organiser_or_host_team(request.auth, mission))
    asked = request.GET.get("lang", "")
    language = asked if asked in dict(settings.LANGUAGES) else translation.get_language()
    with translation.override(language):
        built = report.build(mission, include_contacts=contacts)
        if extension == "pdf":
            body, content_type = exports.pdf(built), "application/pdf"
        else:
            body, content_type = exports.xlsx(built), exports.XLSX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    name = report.filename(mission, extension, today=built.realization.today)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


_REPORT_DOC = gettext_lazy(
    "The mission report (the same figures as the web page). A public mission needs "
    "no token and then leaves out contact persons and phone numbers. ?lang=en for English."
)


@router.get(
    "/{slug:slug}/report.pdf",
    auth=TOKEN_OR_PUBLIC,
    summary=gettext_lazy("The mission report as PDF"),
    description=_REPORT_DOC,
    openapi_extra={"security": [{}], **problem_responses(401, 404)},
)
def mission_report_pdf(request: HttpRequest, slug: str):
    return _report(request, slug, "pdf")


@router.get(
    "/{slug:slug}/report.xlsx",
    auth=TOKEN_OR_PUBLIC,
    summary=gettext_lazy("The mission report as XLSX"),
    description=_REPORT_DOC,
    openapi_extra={"security": [{}], **problem_responses(401, 404)},
)
def mission_report_xlsx(request: HttpRequest, slug: str):
    return _report(request, slug, "xlsx")
