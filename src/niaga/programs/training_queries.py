"""Reads of the training pages: lists and participant tables in a fixed number
of queries, whatever the number of rows. Call inside the province scope (the
pages run in it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from niaga.programs.domain.training_checks import percent_text
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
from niaga.registry.models import Person

SEARCH_LIMIT = 20
# Enrolments that took (or take) part: their attendance counts.
PARTICIPATING = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)


def courses(program: Program):
    """The program's courses with how many cohorts each has, by title."""
    return (
        Course.objects.filter(program=program)
        .annotate(cohorts_count=Count("cohorts"))
        .order_by("title", "id")
    )


def cohorts(course: Course):
    """The course's cohorts, newest first, with seats taken and people waiting."""
    return (
        Cohort.objects.filter(course=course)
        .annotate(
            enrolled_count=Count("enrolments", filter=Q(enrolments__status__in=PARTICIPATING)),
            waiting_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
        )
        .order_by("-starts_on", "name", "id")
    )


@dataclass
class Participants:
    """A cohort's people: those who took a seat, the waiting list in order, and
    those who withdrew; with the number of sessions for attendance shares."""

    sessions: int
    seated: list[Enrolment]
    waiting: list[Enrolment]
    withdrawn: list[Enrolment]


def participants(cohort: Cohort) -> Participants:
    """Everyone in `cohort`, each with `attended` (sessions present), `percent`
    (text), `position` (on the waiting list) and their certificate if any.
    Two queries: the sessions count and the enrolments."""
    sessions = TrainingSession.objects.filter(cohort=cohort).count()
    rows = (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("person", "person__pesantren", "certificate")
        .annotate(attended=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("person__full_name", "id")
    )
    seated, waiting, withdrawn = [], [], []
    for row in rows:
        row.percent = percent_text(100 * row.attended / sessions) if sessions else None
        if row.status == EnrolmentStatus.WAITING:
            waiting.append(row)
        elif row.status == EnrolmentStatus.WITHDRAWN:
            withdrawn.append(row)
        else:
            seated.append(row)
    waiting.sort(key=lambda row: (row.waiting_since, row.pk))
    for position, row in enumerate(waiting, start=1):
        row.position = position
    return Participants(sessions=sessions, seated=seated, waiting=waiting, withdrawn=withdrawn)


def sessions(cohort: Cohort):
    """The cohort's sessions by number, with how many were recorded present and
    whether a roll call was taken."""
    return (
        TrainingSession.objects.filter(cohort=cohort)
        .select_related("module")
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            recorded_count=Count("attendance"),
        )
        .order_by("number", "id")
    )


def roll_call(session: TrainingSession) -> list[Enrolment]:
    """The enrolled participants of the session's cohort by name, each with
    `present`: True or False as recorded, None before the first roll call."""
    present = Attendance.objects.filter(session=session, enrolment=OuterRef("pk")).values(
        "present"
    )[:1]
    return list(
        Enrolment.objects.filter(cohort_id=session.cohort_id, status=EnrolmentStatus.ENROLLED)
        .select_related("person", "person__pesantren")
        .annotate(present=Subquery(present))
        .order_by("person__full_name", "id")
    )


def people_to_enrol(cohort: Cohort, text: str, *, limit: int = SEARCH_LIMIT) -> list[Person]:
    """People of the cohort's province whose name holds every word of `text`,
    not erased and not already enrolled or waiting in the cohort; by name."""
    words = text.split()[:5]
    if not words:
        return []
    people = Person.objects.filter(province_id=cohort.province_id, erased_at__isnull=True)
    for word in words:
        people = people.filter(full_name__icontains=word)
    active = Enrolment.objects.filter(cohort=cohort).exclude(status=EnrolmentStatus.WITHDRAWN)
    return list(
        people.exclude(pk__in=active.values("person_id"))
        .select_related("pesantren")
        .order_by("full_name", "id")[:limit]
    )


def certificate_of(program: Program, certificate_id: int) -> Certificate | None:
    """A certificate of one of the program's cohorts, with what its pages show."""
    return (
        Certificate.objects.filter(pk=certificate_id, enrolment__cohort__course__program=program)
        .select_related("province", "enrolment__person", "enrolment__cohort__course__program")
        .first()
    )
