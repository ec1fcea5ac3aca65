"""Reads about programs themselves: the province's list, one program's page, the
officers who may join its team, and other provinces' programs to replicate.

Training, support and the dashboard have their own query modules. Every read
here runs in the current province scope, except `replication_sources` and
`replication_source`, which cross provinces on purpose (see there). Each
function costs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import format_date
from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import translation
from django_scopes import scopes_disabled

from niaga.accounts.models import Membership, Role
from niaga.programs.models import (
    Course,
    CurriculumModule,
    Indicator,
    Program,
    TeamMember,
)
from niaga.regions.models import Province


def month_year(day, *, language: str | None = None) -> str:
    """'Agustus 2022' in Indonesian, 'August 2022' in English (the reader's language)."""
    lang = (language or translation.get_language() or "id").split("-")[0]
    return format_date(day, format="LLLL y", locale="en" if lang == "en" else "id")


def origin_name(program: Program) -> str:
    """The name of the program this one was replicated from: its name today when it
    still exists (joined in by `program_by_slug`), else the label kept at replication."""
    source = program.replicated_from
    return source.name if source is not None else program.replicated_from_label


def programs_of_province():
    """The province's programs by name, each with `module_count`. One query."""
    return Program.objects.annotate(
        module_count=Count("modules", distinct=True),
    ).order_by("name", "pk")


def program_by_slug(slug: str) -> Program | None:
    """A program of the current province, with the program it was replicated from.

    The join reaches across provinces on purpose: the origin line names the
    source program ("replicated from OPOP Jawa Timur"); nothing else of it is read.
    """
    return Program.objects.select_related("replicated_from").filter(slug=slug).first()


@dataclass
class ProgramPage:
    team: list[TeamMember]
    modules: list[CurriculumModule]
    total_hours: int


def program_page(program: Program) -> ProgramPage:
    """The team (by duty, then name) and the curriculum (in order). Two queries."""
    team = list(
        TeamMember.objects.filter(program=program)
        .select_related("user")
        .order_by("duty", "user__full_name", "user__username", "pk")
    )
    modules = list(CurriculumModule.objects.filter(program=program).order_by("order", "pk"))
    return ProgramPage(
        team=team, modules=modules, total_hours=sum(module.hours for module in modules)
    )


def team_candidates(program: Program):
    """Active officers of the program's province (any role but a pesantren account)
    who are not on its team yet, by name."""
    officers = Membership.objects.filter(province_id=program.province_id).exclude(
        role=Role.PESANTREN
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=officers.values("user_id"))
        .exclude(pk__in=TeamMember.objects.filter(program=program).values("user_id"))
        .order_by("full_name", "username")
    )


def _count_of(model, link: str = "program"):
    rows = (
        model.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _with_counts(rows):
    return rows.select_related("province").annotate(
        module_count=_count_of(CurriculumModule),
        course_count=_count_of(Course),
        indicator_count=_count_of(Indicator),
        total_hours=Coalesce(
            Subquery(
                CurriculumModule.objects.filter(program=OuterRef("pk"))
                .order_by()
                .values("program")
                .annotate(h=Sum("hours"))
                .values("h"),
                output_field=IntegerField(),
            ),
            0,
        ),
    )


def replication_sources(province: Province) -> list[Program]:
    """Every other province's programs, by province and name, with `module_count`,
    `course_count`, `indicator_count` and `total_hours`. One query.

    A deliberate cross-province read: a province admin chooses which program to
    replicate among other provinces' programs, so their scopes are opened here,
    read-only, for these facts only (no people, pesantren or figures).
    """
    with scopes_disabled():
        rows = Program.objects.filter(~Q(province=province))
        return list(_with_counts(rows).order_by("province__name", "name", "pk"))


def replication_source(province: Province, slug: str) -> Program | None:
    """One of `replication_sources` by slug, with its counts and its curriculum
    (`source_modules`), or None. Two queries; crosses provinces as that does."""
    with scopes_disabled():
        source = (
            _with_counts(Program.objects.filter(~Q(province=province))).filter(slug=slug).first()
        )
        if source is not None:
            source.source_modules = list(
                CurriculumModule.objects.filter(program=source).order_by("order", "pk")
            )
    return source
