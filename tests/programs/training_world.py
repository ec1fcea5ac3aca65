"""A small named world for the training tests, built straight into the database.

East Java's program has a course "Santripreneur Berbasis Koperasi" (attendance
80 %, passing score 70) with a cohort of three seats and five sessions, and
five registered people; South Kalimantan's program has its own course, cohort,
participant and certificate, which must never show to East Java's team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django_scopes import scopes_disabled

from niaga.programs.models import (
    Attendance,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    EnrolmentStatus,
    Program,
    TrainingSession,
)
from niaga.regions.models import Province
from niaga.registry.models import Person
from tests.programs.factories import make_cohort, make_course, make_enrolment, make_module
from tests.registry.factories import make_person, make_pesantren

JATIM_NAMES = ["Ahmad Fauzi", "Siti Aminah", "Muhammad Rizki", "Nur Hidayah", "Dewi Lestari"]
START = dt.date(2024, 3, 4)


@dataclass
class Side:
    province: Province
    program: Program
    course: Course
    cohort: Cohort
    people: list[Person]
    sessions: list[TrainingSession] = field(default_factory=list)


def build_side(
    province: Province,
    program: Program,
    names: list[str],
    *,
    capacity: int = 3,
    sessions: int = 5,
    title: str = "Santripreneur Berbasis Koperasi",
) -> Side:
    with scopes_disabled():
        pesantren = make_pesantren(province, name=f"Pondok Pesantren {province.name}")
        module = make_module(program, title="Koperasi pesantren")
        make_module(program, title="Pemasaran digital")
        course = make_course(program, title=title, min_attendance_percent=80, passing_score=70)
        course.modules.set([module])
        cohort = make_cohort(
            course,
            name="Angkatan 2024-1",
            capacity=capacity,
            starts_on=START,
            ends_on=START + dt.timedelta(days=4),
            trainers="Dr. Hasan Basri\nIbu Laila Rahmawati",
        )
        people = [make_person(province, full_name=name, pesantren=pesantren) for name in names]
        made = [
            TrainingSession.objects.create(
                province=province,
                cohort=cohort,
                number=n,
                held_on=START + dt.timedelta(days=n - 1),
                topic=f"Pertemuan {n}",
            )
            for n in range(1, sessions + 1)
        ]
    return Side(province, program, course, cohort, people, made)


def seat(side: Side, people: list[Person]) -> list[Enrolment]:
    """Enrol people straight into the cohort (no capacity check), in order."""
    with scopes_disabled():
        return [make_enrolment(side.cohort, person) for person in people]


def attend(enrolment: Enrolment, sessions: list[TrainingSession], present: int) -> None:
    """Mark the enrolment present at the first `present` sessions, absent at the rest."""
    with scopes_disabled():
        Attendance.objects.bulk_create(
            Attendance(
                province_id=enrolment.province_id,
                session=session,
                enrolment=enrolment,
                present=i < present,
            )
            for i, session in enumerate(sessions)
        )


def issue(enrolment: Enrolment, code: str, *, completed_on=dt.date(2024, 3, 8)) -> Certificate:
    """A completed enrolment with its certificate, as completion leaves them."""
    with scopes_disabled():
        Enrolment.objects.filter(pk=enrolment.pk).update(
            status=EnrolmentStatus.COMPLETED, completed_on=completed_on, score=85
        )
        return Certificate.objects.create(
            province_id=enrolment.province_id, enrolment=enrolment, code=code
        )
