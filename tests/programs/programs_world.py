"""A small world for the program tests: East Java's OPOP with its whole structure
and a life of its own, built straight into the database (no domain rules).

Structure (what a replica copies): the five chapters of cooperative-based
santripreneurship, two courses with module links, three indicators and their
province targets. Life (what a replica never copies): a team, a regency
target, pesantren and registry people, a cohort with sessions, enrolments,
attendance, scores and a certificate, a grant, an assistance, and dated
indicator figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django_scopes import scopes_disabled

from niaga.accounts.models import User
from niaga.programs.models import (
    Assistance,
    Attendance,
    Certificate,
    Cohort,
    Course,
    CurriculumModule,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Grant,
    Indicator,
    IndicatorFigure,
    IndicatorKey,
    Program,
    SupportAspect,
    Target,
    TeamDuty,
    TeamMember,
    TrainingSession,
)
from niaga.regions.models import Regency
from niaga.registry.models import Pillar
from tests.programs.factories import (
    make_cohort,
    make_course,
    make_enrolment,
    make_indicator,
    make_module,
)
from tests.registry.factories import make_person, make_pesantren

SURABAYA = "35.78"

# (title, hours, outcomes), in order.
JATIM_MODULES = [
    ("Jiwa santripreneur", 12, "Menjelaskan nilai berniaga dalam Islam\nMemetakan peluang usaha"),
    ("Koperasi pondok pesantren", 16, "Menyusun AD/ART koperasi\nMengurus NIB melalui OSS"),
    ("Produk dan kurasi", 16, "Menyiapkan produk untuk kurasi"),
    ("Pemasaran digital", 12, "Membuka toko daring"),
    ("Keuangan usaha", 8, "Menyusun laporan laba rugi sederhana"),
]

# Every table that holds a program's life rather than its structure.
LIFE_MODELS = [
    TeamMember,
    Cohort,
    Enrolment,
    TrainingSession,
    Attendance,
    Certificate,
    Grant,
    Assistance,
    IndicatorFigure,
]


@dataclass
class Source:
    program: Program
    modules: list[CurriculumModule]
    courses: list[Course]
    indicators: list[Indicator]


def furnish_jatim(program: Program, *, officer: User | None = None) -> Source:
    """Give East Java's program its structure and a life: see the module docstring."""
    province = program.province
    with scopes_disabled():
        Program.objects.filter(pk=program.pk).update(
            description="Program ekonomi pesantren Jawa Timur.\nTiga pilar, lima aspek.",
            legal_basis_number="Pergub Jatim 62/2019",
            legal_basis_title="Program One Pesantren One Product",
            pillars=list(Pillar.values),
            aspects=list(SupportAspect.values),
            delivery_modes=[DeliveryMode.IN_CLASS, DeliveryMode.FULL_PROGRAM],
        )
        program.refresh_from_db()
        modules = [
            make_module(program, title=title, hours=hours, learning_outcomes=outcomes)
            for title, hours, outcomes in JATIM_MODULES
        ]
        basic = make_course(
            program,
            title="Santripreneur Dasar",
            description="Kelas dasar lima hari.",
            delivery_mode=DeliveryMode.IN_CLASS,
            min_attendance_percent=80,
            passing_score=70,
        )
        basic.modules.set(modules[:2])
        full = make_course(
            program,
            title="Santripreneur Penuh",
            delivery_mode=DeliveryMode.FULL_PROGRAM,
            min_attendance_percent=90,
            passing_score=75,
        )
        full.modules.set(modules[2:])
        santri = make_indicator(program, IndicatorKey.SANTRIPRENEURS, order=1)
        products = make_indicator(
            program, IndicatorKey.PRODUCTS, order=2, name="Produk OPOP", source="entered"
        )
        make_indicator(program, IndicatorKey.TRAINING_GRADUATES, order=3)
        for indicator, year, value in [
            (santri, 2023, 500_000),
            (santri, 2024, 1_000_000),
            (products, 2024, 1_000),
        ]:
            Target.objects.create(province=province, indicator=indicator, year=year, value=value)
        surabaya = Regency.objects.get(code=SURABAYA)
        Target.objects.create(
            province=province, indicator=santri, year=2024, regency=surabaya, value=50_000
        )
        _live(program, basic, santri, surabaya, officer)
        indicators = list(Indicator.objects.filter(program=program).order_by("order"))
    return Source(program, modules, [basic, full], indicators)


def _live(program, course, indicator, regency, officer) -> None:
    province = program.province
    if officer is not None:
        TeamMember.objects.create(
            province=province, program=program, user=officer, duty=TeamDuty.HEAD
        )
    pesantren = make_pesantren(province, name="PP Tebuireng", regency=regency)
    people = [
        make_person(province, full_name=name, pesantren=pesantren)
        for name in ("Ahmad Fauzi", "Siti Aminah")
    ]
    cohort = make_cohort(course, name="Angkatan 2024-1")
    session = TrainingSession.objects.create(
        province=province, cohort=cohort, number=1, held_on=cohort.starts_on
    )
    for person in people:
        enrolment = make_enrolment(
            cohort,
            person,
            status=EnrolmentStatus.COMPLETED,
            score=88,
            completed_on=dt.date(2024, 3, 8),
        )
        Attendance.objects.create(
            province=province, session=session, enrolment=enrolment, present=True
        )
    Certificate.objects.create(
        province=province, enrolment=enrolment, code=f"JATIM{program.pk:07d}"
    )
    Grant.objects.create(
        province=province,
        program=program,
        pesantren=pesantren,
        amount_idr=25_000_000,
        granted_on=dt.date(2023, 5, 2),
        purpose="Modal usaha koperasi",
        source="apbd",
    )
    Assistance.objects.create(
        province=province,
        program=program,
        pesantren=pesantren,
        aspect=SupportAspect.MARKETING,
        given_on=dt.date(2023, 6, 1),
        description="OPOP Expo",
    )
    IndicatorFigure.objects.create(
        province=province,
        indicator=indicator,
        as_of=dt.date(2022, 12, 31),
        value=239_993,
        source_note="Dinas KUKM Jatim",
    )
    IndicatorFigure.objects.create(
        province=province,
        indicator=indicator,
        as_of=dt.date(2022, 12, 31),
        regency=regency,
        value=12_000,
        source_note="Dinas KUKM Jatim",
    )


def life_counts() -> dict[str, int]:
    """How many rows each table of a program's life holds, across every province."""
    with scopes_disabled():
        return {model.__name__: model.objects.count() for model in LIFE_MODELS}
