"""The programs API: OPOP programs, their training, certificates, indicators and dashboard.

`/api/v1/programs/{slug}/…` names a program by its slug (unique across
provinces). A token acts as its user: a program of a province the user may not
read, an unknown program and a missing right all answer 404, the same. Reads
run inside the program's province scope; writes go through
`niaga.programs.domain`, the same functions the pages use.

`/api/v1/certificates/{code}` is public (no token): anyone holding a
certificate's code may check it, as on the page the certificate's QR code
opens.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy
from django_scopes import scope, scopes_disabled
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from niaga.api.auth import TokenAuth
from niaga.api.main import problem_responses
from niaga.programs import dashboard as dashboard_figures
from niaga.programs.domain import certificates as certificates_domain
from niaga.programs.domain import indicators as indicators_domain
from niaga.programs.domain import training as training_domain
from niaga.programs.models import (
    Certificate,
    Cohort,
    CurriculumModule,
    Enrolment,
    EnrolmentStatus,
    Indicator,
    IndicatorFigure,
    Program,
    Target,
)
from niaga.registry.models import Person

router = Router(tags=["programs"])
certificate_router = Router(tags=["programs"])
TOKEN = TokenAuth()
_READ = problem_responses(401, 404)
_WRITE = problem_responses(401, 404, 422)


# --- Schemas -------------------------------------------------------------------


class ModuleOut(Schema):
    order: int
    title: str
    description: str
    hours: int
    learning_outcomes: list[str]


class ProgramOut(Schema):
    slug: str
    name: str
    province: str = Field(description="Kemendagri province code, e.g. 35.")
    launch_date: datetime.date | None
    legal_basis_number: str
    legal_basis_title: str
    pillars: list[str]
    aspects: list[str]
    delivery_modes: list[str]
    status: str
    replicated_from: str | None = Field(description="The slug of the program it was copied from.")
    replicated_from_label: str
    replicated_on: datetime.date | None
    modules: list[ModuleOut]


class ProgramList(Schema):
    count: int
    items: list[ProgramOut]


class CohortOut(Schema):
    id: int
    course: str
    delivery_mode: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    venue: str
    online: bool
    trainers: list[str]
    capacity: int
    status: str
    enrolled: int = Field(description="Participants holding a seat (enrolled or completed).")
    waiting: int
    sessions: int


class CohortList(Schema):
    count: int
    items: list[CohortOut]


class EnrolmentOut(Schema):
    id: int
    person_id: int
    full_name: str
    status: Literal[tuple(EnrolmentStatus.values)]  # type: ignore[valid-type]
    waiting_position: int | None
    sessions_attended: int
    score: int | None
    completed_on: datetime.date | None
    certificate_code: str | None


class EnrolmentList(Schema):
    count: int
    items: list[EnrolmentOut]


class EnrolmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person_id: int = Field(..., ge=1, description="A person of the program's province registry.")


class CertificateOut(Schema):
    code: str
    status: Literal["valid", "revoked"]
    holder: str
    course: str
    cohort: str
    completed_on: datetime.date | None
    issued_at: datetime.datetime
    revoked_at: datetime.datetime | None


class CertificateList(Schema):
    count: int
    items: list[CertificateOut]


class ForecastOut(Schema):
    year: int = Field(description="The target year the trend is projected to.")
    value: int
    low: int
    high: int
    method: str = Field(description="linear_trend: least squares over the last yearly values.")
    years_used: list[int]


class VerdictOut(Schema):
    kind: Literal["no_target", "no_forecast", "no_value", "reached", "missed", "on_track", "short"]
    gap: int = Field(description="How much is missing (missed, short); 0 otherwise.")


class SeriesPointOut(Schema):
    year: int
    value: int | None
    origin: str = Field(description="figure (entered), computed, or none (a gap).")


class DashboardIndicatorOut(Schema):
    key: str
    name: str
    source: Literal["computed", "entered"]
    unit: Literal["count", "idr"]
    actual: int | None
    target: int | None
    target_year: int | None
    forecast: ForecastOut | None
    verdict: VerdictOut
    series: list[SeriesPointOut]


class DashboardOut(Schema):
    program: str
    province: str
    as_of: datetime.date
    indicators: list[DashboardIndicatorOut]


class FigureOut(Schema):
    id: int
    as_of: datetime.date
    regency: str | None
    value: int
    source_note: str


class TargetOut(Schema):
    year: int
    regency: str | None
    value: int


class IndicatorOut(Schema):
    key: str
    name: str
    source: Literal["computed", "entered"]
    figures: list[FigureOut]
    targets: list[TargetOut]


class IndicatorList(Schema):
    count: int
    items: list[IndicatorOut]


class FigureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    as_of: datetime.date
    value: int = Field(..., ge=0)
    source_note: str = Field(
        ..., max_length=300, description='Where it comes from, e.g. "Dinas KUKM Jatim".'
    )
    regency: str | None = Field(
        None, pattern=r"^\d{2}\.\d{2}$", description="e.g. 35.17; none for the province."
    )


class CertificateStatusOut(Schema):
    status: Literal["valid", "revoked"]
    holder: str
    course: str
    program: str
    completed_on: datetime.date | None


# --- Helpers -------------------------------------------------------------------


def program_for(request: HttpRequest, slug: str, permission: str = "programs.view_program"):
    """The program if the token's user holds `permission` in its province; otherwise 404."""
    # The slug names one program across provinces, so the lookup itself cannot
    # run in a province scope; the permission check below is the isolation.
    with scopes_disabled():
        program = Program.objects.select_related("province", "replicated_from").filter(slug=slug)
        program = program.first()
    if program is None or not request.auth.has_perm(permission, program.province):
        raise Http404("no such program")
    return program


def _program_json(program: Program, modules: list) -> dict:
    return {
        "slug": program.slug,
        "name": program.name,
        "province": program.province.code,
        "launch_date": program.launch_date,
        "legal_basis_number": program.legal_basis_number,
        "legal_basis_title": program.legal_basis_title,
        "pillars": program.pillars,
        "aspects": program.aspects,
        "delivery_modes": program.delivery_modes,
        "status": program.status,
        "replicated_from": program.replicated_from.slug if program.replicated_from else None,
        "replicated_from_label": program.replicated_from_label,
        "replicated_on": program.replicated_on,
        "modules": [
            {
                "order": m.order,
                "title": m.title,
                "description": m.description,
                "hours": m.hours,
                "learning_outcomes": m.outcomes,
            }
            for m in modules
        ],
    }


def _cohort(program: Program, cohort_id: int) -> Cohort:
    cohort = (
        Cohort.objects.select_related("course")
        .filter(pk=cohort_id, course__program=program)
        .first()
    )
    if cohort is None:
        raise Http404("no such cohort")
    return cohort


def _enrolment_rows(cohort: Cohort) -> list[dict]:
    rows = list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("person")
        .annotate(attended=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("status", "waiting_since", "id")
    )
    codes = dict(
        Certificate.objects.filter(enrolment__cohort=cohort).values_list("enrolment_id", "code")
    )
    waiting = sorted(
        (r for r in rows if r.status == EnrolmentStatus.WAITING),
        key=lambda r: (r.waiting_since, r.pk),
    )
    position = {r.pk: index for index, r in enumerate(waiting, start=1)}
    return [
        {
            "id": r.pk,
            "person_id": r.person_id,
            "full_name": r.person.full_name,
            "status": r.status,
            "waiting_position": position.get(r.pk),
            "sessions_attended": r.attended,
            "score": r.score,
            "completed_on": r.completed_on,
            "certificate_code": (
                certificates_domain.format_code(codes[r.pk]) if r.pk in codes else None
            ),
        }
        for r in rows
    ]


# --- Programs ------------------------------------------------------------------


@router.get(
    "",
    response=ProgramList,
    auth=TOKEN,
    summary=gettext_lazy("The OPOP programs the token's user may read"),
    openapi_extra=_READ,
)
def program_list(request: HttpRequest):
    # Every province's programs are listed and filtered by the user's rights:
    # there are a few dozen programs at most, one or two per province.
    with scopes_disabled():
        programs = list(
            Program.objects.select_related("province", "replicated_from").order_by(
                "province__code", "name", "id"
            )
        )
        visible = [
            p for p in programs if request.auth.has_perm("programs.view_program", p.province)
        ]
        modules: dict[int, list] = {p.pk: [] for p in visible}
        for module in CurriculumModule.objects.filter(program__in=visible).order_by(
            "program", "order"
        ):
            modules[module.program_id].append(module)
    return {"count": len(visible), "items": [_program_json(p, modules[p.pk]) for p in visible]}


@router.get(
    "/{slug}",
    response=ProgramOut,
    auth=TOKEN,
    summary=gettext_lazy("One OPOP program with its curriculum"),
    openapi_extra=_READ,
)
def program_detail(request: HttpRequest, slug: str):
    program = program_for(request, slug)
    with scope(province=program.province):
        return _program_json(program, list(program.modules.order_by("order")))


# --- Training --------------------------------------------------------------------


@router.get(
    "/{slug}/cohorts",
    response=CohortList,
    auth=TOKEN,
    summary=gettext_lazy("A program's training cohorts"),
    openapi_extra=_READ,
)
def cohort_list(request: HttpRequest, slug: str):
    program = program_for(request, slug)
    seated = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
    with scope(province=program.province):
        cohorts = list(
            Cohort.objects.filter(course__program=program)
            .select_related("course")
            .annotate(
                enrolled_count=Count(
                    "enrolments", filter=Q(enrolments__status__in=seated), distinct=True
                ),
                waiting_count=Count(
                    "enrolments",
                    filter=Q(enrolments__status=EnrolmentStatus.WAITING),
                    distinct=True,
                ),
                session_count=Count("sessions", distinct=True),
            )
            .order_by("starts_on", "id")
        )
    return {
        "count": len(cohorts),
        "items": [
            {
                "id": c.pk,
                "course": c.course.title,
                "delivery_mode": c.course.delivery_mode,
                "name": c.name,
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "venue": c.venue,
                "online": c.online,
                "trainers": c.trainer_names,
                "capacity": c.capacity,
                "status": c.status,
                "enrolled": c.enrolled_count,
                "waiting": c.waiting_count,
                "sessions": c.session_count,
            }
            for c in cohorts
        ],
    }


@router.get(
    "/{slug}/cohorts/{cohort_id}/enrolments",
    response=EnrolmentList,
    auth=TOKEN,
    summary=gettext_lazy("A cohort's participants and waiting list"),
    openapi_extra=_READ,
)
def enrolment_list(request: HttpRequest, slug: str, cohort_id: int):
    program = program_for(request, slug)
    with scope(province=program.province):
        rows = _enrolment_rows(_cohort(program, cohort_id))
    return {"count": len(rows), "items": rows}


@router.post(
    "/{slug}/cohorts/{cohort_id}/enrolments",
    response={201: EnrolmentOut},
    auth=TOKEN,
    summary=gettext_lazy("Enrol a person: a seat while one is free, else the waiting list"),
    openapi_extra=_WRITE,
)
def enrolment_create(request: HttpRequest, slug: str, cohort_id: int, body: EnrolmentIn):
    program = program_for(request, slug, "programs.run_training")
    with scope(province=program.province):
        cohort = _cohort(program, cohort_id)
        person = Person.objects.filter(pk=body.person_id).first()
        if person is None:
            raise ValidationError(
                {
                    "person_id": ValidationError(
                        gettext_lazy("No person with this id in the province's registry."),
                        code="unknown_person",
                    )
                }
            )
        try:
            enrolment = training_domain.enrol(actor=request.auth, cohort=cohort, person=person)
        except PermissionDenied:
            raise Http404("no such page for this token") from None
        row = next(r for r in _enrolment_rows(cohort) if r["id"] == enrolment.pk)
    return Status(201, row)


@router.get(
    "/{slug}/certificates",
    response=CertificateList,
    auth=TOKEN,
    summary=gettext_lazy("The certificates a program has issued"),
    openapi_extra=_READ,
)
def certificate_list(request: HttpRequest, slug: str):
    program = program_for(request, slug)
    with scope(province=program.province):
        rows = list(
            Certificate.objects.filter(enrolment__cohort__course__program=program)
            .select_related("enrolment__person", "enrolment__cohort__course")
            .order_by("issued_at", "id")
        )
    return {
        "count": len(rows),
        "items": [
            {
                "code": certificates_domain.format_code(c.code),
                "status": "revoked" if c.is_revoked else "valid",
                "holder": c.enrolment.person.full_name,
                "course": c.enrolment.cohort.course.title,
                "cohort": c.enrolment.cohort.name,
                "completed_on": c.enrolment.completed_on,
                "issued_at": c.issued_at,
                "revoked_at": c.revoked_at,
            }
            for c in rows
        ],
    }


# --- Indicators and the dashboard ---------------------------------------------------


@router.get(
    "/{slug}/dashboard",
    response=DashboardOut,
    auth=TOKEN,
    summary=gettext_lazy("Each indicator's actual, target, target year and forecast"),
    openapi_extra=_READ,
)
def dashboard(request: HttpRequest, slug: str):
    program = program_for(request, slug)
    built = dashboard_figures.build(program)
    return {
        "program": program.slug,
        "province": program.province.code,
        "as_of": built.today,
        "indicators": [
            {
                "key": summary.key,
                "name": summary.name,
                "source": summary.source,
                "unit": "idr" if summary.is_money else "count",
                "actual": summary.actual,
                "target": summary.target,
                "target_year": summary.target_year,
                "forecast": (
                    {
                        "year": summary.forecast.year,
                        "value": summary.forecast.value_int,
                        "low": summary.forecast.low_int,
                        "high": summary.forecast.high_int,
                        "method": summary.forecast.method,
                        "years_used": list(summary.forecast.years_used),
                    }
                    if summary.forecast is not None
                    else None
                ),
                "verdict": {"kind": summary.verdict.kind, "gap": summary.verdict.gap},
                "series": [
                    {"year": p.year, "value": p.value, "origin": p.origin} for p in summary.series
                ],
            }
            for summary in built.indicators
        ],
    }


@router.get(
    "/{slug}/indicators",
    response=IndicatorList,
    auth=TOKEN,
    summary=gettext_lazy("A program's indicators with their dated figures and targets"),
    openapi_extra=_READ,
)
def indicator_list(request: HttpRequest, slug: str):
    program = program_for(request, slug)
    with scope(province=program.province):
        indicators = list(
            Indicator.objects.filter(program=program)
            .prefetch_related(
                Prefetch("figures", queryset=IndicatorFigure.objects.order_by("as_of", "id")),
                Prefetch("targets", queryset=Target.objects.order_by("year", "regency", "id")),
            )
            .order_by("order", "id")
        )
    return {"count": len(indicators), "items": [_indicator_json(i) for i in indicators]}


def _indicator_json(indicator: Indicator) -> dict:
    return {
        "key": indicator.key,
        "name": indicator.name,
        "source": indicator.source,
        "figures": [
            {
                "id": f.pk,
                "as_of": f.as_of,
                "regency": f.regency_id,
                "value": f.value,
                "source_note": f.source_note,
            }
            for f in indicator.figures.all()
        ],
        "targets": [
            {"year": t.year, "regency": t.regency_id, "value": t.value}
            for t in indicator.targets.all()
        ],
    }


@router.post(
    "/{slug}/indicators/{key}/figures",
    response={201: FigureOut},
    auth=TOKEN,
    summary=gettext_lazy("Record an indicator's figure as of a date, with its source"),
    openapi_extra=_WRITE,
)
def figure_create(request: HttpRequest, slug: str, key: str, body: FigureIn):
    program = program_for(request, slug, "programs.manage_indicators")
    with scope(province=program.province):
        indicator = Indicator.objects.filter(program=program, key=key).first()
        if indicator is None:
            raise Http404("no such indicator")
        try:
            figure = indicators_domain.figure_record(
                actor=request.auth,
                indicator=indicator,
                as_of=body.as_of,
                value=body.value,
                source_note=body.source_note,
                regency=body.regency,
            )
        except PermissionDenied:
            raise Http404("no such page for this token") from None
    return Status(
        201,
        {
            "id": figure.pk,
            "as_of": figure.as_of,
            "regency": figure.regency_id,
            "value": figure.value,
            "source_note": figure.source_note,
        },
    )


@certificate_router.get(
    "/{code}",
    response=CertificateStatusOut,
    auth=None,
    summary=gettext_lazy("Verify a certificate by its code (public, no token)"),
    openapi_extra=problem_responses(404),
)
def certificate_verify(request: HttpRequest, code: str):
    certificate = certificates_domain.certificate_lookup(code)
    if certificate is None:
        raise Http404("no such certificate")
    return certificates_domain.certificate_public_status(certificate)
