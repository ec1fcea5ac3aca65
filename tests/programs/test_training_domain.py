"""Training writes: courses, cohorts, capacity and the waiting list, sessions,
the roll call and scores; permissions and audit entries."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.programs.domain import training as domain
from niaga.programs.models import (
    Attendance,
    Cohort,
    CohortStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
)
from tests.conftest import make_user
from tests.programs.training_world import JATIM_NAMES, START, build_side, seat
from tests.registry.factories import default_regency, make_nik, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def side(jatim, opop_jatim):
    return build_side(jatim, opop_jatim, JATIM_NAMES)


@pytest.fixture
def officer(jatim_program_officer):
    return jatim_program_officer


def errors_of(info) -> dict[str, list[str]]:
    return info.value.message_dict


def codes_of(info) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in info.value.error_dict.items()}


def statuses(side) -> list[tuple[str, str]]:
    with scopes_disabled():
        rows = Enrolment.objects.filter(cohort=side.cohort).select_related("person")
        rows = rows.order_by("status", "id")
        return [(row.person.full_name, row.status) for row in rows]


def actions(province, prefix="programs.") -> list[str]:
    with scope(province=province):
        return list(
            AuditEvent.objects.filter(action__startswith=prefix)
            .order_by("id")
            .values_list("action", flat=True)
        )


# --- Courses --------------------------------------------------------------------


def test_a_course_is_created_with_its_rules_and_modules(officer, side, opop_jatim):
    with scopes_disabled():
        modules = list(opop_jatim.modules.order_by("order"))
    course = domain.course_create(
        actor=officer,
        program=opop_jatim,
        title="  Pemasaran   Digital Santri ",
        delivery_mode="in_class",
        description="Lima pertemuan.",
        modules=[modules[1], modules[0].pk],
        min_attendance_percent=75,
        passing_score="65",
    )
    with scopes_disabled():
        course.refresh_from_db()
        assert course.title == "Pemasaran Digital Santri"
        assert (course.min_attendance_percent, course.passing_score) == (75, 65)
        assert sorted(course.modules.values_list("title", flat=True)) == [
            "Koperasi pesantren",
            "Pemasaran digital",
        ]
        event = AuditEvent.objects.get(action="programs.course.create")
    assert event.after["modules"] == [modules[0].pk, modules[1].pk]
    assert event.after["passing_score"] == 65


def test_a_course_refuses_bad_rules_and_modules_of_another_program(
    officer, side, opop_jatim, kalsel, opop_kalsel
):
    other = build_side(kalsel, opop_kalsel, ["Rahmat Banjar"])
    with scopes_disabled():
        foreign = other.course.modules.get()
    with pytest.raises(ValidationError) as info:
        domain.course_create(
            actor=officer,
            program=opop_jatim,
            title="",
            delivery_mode="by_pigeon",
            modules=[foreign],
            min_attendance_percent=101,
            passing_score=-1,
        )
    assert errors_of(info) == {
        "title": ["This field is required."],
        "delivery_mode": ["Choose one of the delivery modes of this program: In class."],
        "min_attendance_percent": ["Give a number from 0 to 100."],
        "passing_score": ["Give a number from 0 to 100."],
        "modules": ["Choose modules of this program's curriculum only."],
    }
    with scopes_disabled():
        assert Course.objects.filter(program=opop_jatim).count() == 1


def test_a_course_update_checks_the_version_and_audits_the_change(officer, side):
    course = domain.course_update(
        actor=officer, course=side.course, version=1, passing_score=75, modules=[]
    )
    assert (course.version, course.passing_score) == (2, 75)
    with pytest.raises(ValidationError) as info:
        domain.course_update(actor=officer, course=side.course, version=1, passing_score=60)
    assert info.value.code == "conflict"
    with scopes_disabled():
        event = AuditEvent.objects.get(action="programs.course.update")
        assert Course.objects.get(pk=side.course.pk).passing_score == 75
    assert event.before["passing_score"] == 70 and event.after["passing_score"] == 75
    assert event.after["modules"] == [] and len(event.before["modules"]) == 1


# --- Cohorts --------------------------------------------------------------------


def test_a_cohort_is_created_with_trainers_one_per_line(officer, side):
    cohort = domain.cohort_create(
        actor=officer,
        course=side.course,
        name="Angkatan Daring",
        starts_on=dt.date(2024, 5, 1),
        ends_on=dt.date(2024, 5, 3),
        capacity="25",
        online=True,
        online_link="https://meet.example.org/opop",
        trainers="  Dr. Hasan Basri \n\n Ibu  Laila\n",
    )
    assert cohort.trainer_names == ["Dr. Hasan Basri", "Ibu Laila"]
    assert (cohort.capacity, cohort.status, cohort.venue) == (25, CohortStatus.PLANNED, "")
    assert actions(side.province) == ["programs.cohort.create"]


def test_a_cohort_refuses_bad_dates_place_and_capacity(officer, side):
    with pytest.raises(ValidationError) as info:
        domain.cohort_create(
            actor=officer,
            course=side.course,
            name="Salah",
            starts_on=dt.date(2024, 5, 3),
            ends_on=dt.date(2024, 5, 1),
            capacity=0,
        )
    assert errors_of(info) == {
        "ends_on": ["The cohort cannot end before it starts."],
        "venue": ["Give the place, or mark the cohort as online."],
        "capacity": ["Give a number from 1 to 10000."],
    }
    with pytest.raises(ValidationError) as info:
        domain.cohort_create(
            actor=officer,
            course=side.course,
            name="Daring",
            starts_on=START,
            ends_on=START,
            capacity=10,
            online=True,
            online_link="javascript:alert(1)",
        )
    assert errors_of(info) == {
        "online_link": ["Give a web address starting with https:// or http://."]
    }
    with scopes_disabled():
        assert Cohort.objects.count() == 1


# --- Capacity and the waiting list ----------------------------------------------


def test_enrolment_fills_the_seats_then_the_waiting_list_in_order(officer, side):
    results = [domain.enrol(actor=officer, cohort=side.cohort, person=p) for p in side.people]
    assert [r.status for r in results] == ["enrolled"] * 3 + ["waiting"] * 2
    assert [r.waiting_since is None for r in results] == [True] * 3 + [False] * 2
    with scopes_disabled():
        assert [domain.waiting_position(r) for r in results] == [None, None, None, 1, 2]
        events = AuditEvent.objects.filter(action="programs.enrolment.create").order_by("id")
        assert [e.after.get("position") for e in events] == [None, None, None, 1, 2]
        assert [e.after["person"] for e in events] == [p.pk for p in side.people]


def test_withdrawing_promotes_the_first_in_line_and_keeps_the_order(officer, side):
    _ahmad, siti, _rizki, nur, _dewi = side.people
    enrolments = [domain.enrol(actor=officer, cohort=side.cohort, person=p) for p in side.people]
    withdrawn, promoted = domain.withdraw(actor=officer, enrolment=enrolments[1])
    assert withdrawn.status == EnrolmentStatus.WITHDRAWN
    assert promoted.pk == enrolments[3].pk  # Nur Hidayah was first in line
    assert statuses(side) == [
        ("Ahmad Fauzi", "enrolled"),
        ("Muhammad Rizki", "enrolled"),
        ("Nur Hidayah", "enrolled"),
        ("Dewi Lestari", "waiting"),
        ("Siti Aminah", "withdrawn"),
    ]
    with scopes_disabled():
        dewi_row = Enrolment.objects.get(pk=enrolments[4].pk)
        assert domain.waiting_position(dewi_row) == 1
        event = AuditEvent.objects.get(action="programs.enrolment.withdraw")
        promote = AuditEvent.objects.get(action="programs.enrolment.promote")
    assert event.after == {
        "status": "withdrawn",
        "person": siti.pk,
        "promoted_enrolment": enrolments[3].pk,
        "promoted_person": nur.pk,
    }
    assert promote.after == {"status": "enrolled", "person": nur.pk, "because": "withdrawal"}

    # Someone waiting withdraws: nobody moves into a seat.
    _w, promoted = domain.withdraw(actor=officer, enrolment=dewi_row)
    assert promoted is None
    # Siti enrols again: the cohort is full, so she waits at the end of the line.
    again = domain.enrol(actor=officer, cohort=side.cohort, person=siti)
    assert (again.pk, again.status) == (enrolments[1].pk, EnrolmentStatus.WAITING)


def test_enrolling_twice_is_refused_with_the_reason(officer, side):
    ahmad = side.people[0]
    for person in side.people:
        domain.enrol(actor=officer, cohort=side.cohort, person=person)
    with pytest.raises(ValidationError) as info:
        domain.enrol(actor=officer, cohort=side.cohort, person=ahmad)
    assert errors_of(info) == {"person": ["Ahmad Fauzi is already enrolled in this cohort."]}
    assert codes_of(info) == {"person": ["already_enrolled"]}
    with pytest.raises(ValidationError) as info:
        domain.enrol(actor=officer, cohort=side.cohort, person=side.people[4])
    assert errors_of(info) == {
        "person": ["Dewi Lestari is already on this cohort's waiting list (number 2)."]
    }
    with scopes_disabled():
        assert Enrolment.objects.filter(cohort=side.cohort).count() == 5


def test_only_people_of_the_cohorts_province_can_enrol(officer, side, kalsel):
    with scopes_disabled():
        borneo = make_person(kalsel, full_name="Rahmat Banjar")
    with pytest.raises(ValidationError) as info:
        domain.enrol(actor=officer, cohort=side.cohort, person=borneo)
    assert errors_of(info) == {"person": ["Choose a person registered in this province."]}
    with scopes_disabled():
        assert not Enrolment.objects.exists()


def test_capacity_cannot_drop_below_the_enrolled_and_a_rise_promotes(officer, side):
    for person in side.people:
        domain.enrol(actor=officer, cohort=side.cohort, person=person)
    with pytest.raises(ValidationError) as info:
        domain.cohort_update(actor=officer, cohort=side.cohort, version=1, capacity=2)
    assert errors_of(info) == {
        "capacity": [
            "3 people are enrolled: the capacity cannot be lower. Withdraw participants first."
        ]
    }
    cohort = domain.cohort_update(actor=officer, cohort=side.cohort, version=1, capacity=4)
    assert (cohort.capacity, cohort.version) == (4, 2)
    assert statuses(side)[3:] == [("Nur Hidayah", "enrolled"), ("Dewi Lestari", "waiting")]
    with scopes_disabled():
        event = AuditEvent.objects.get(action="programs.cohort.update")
    assert event.before == {"capacity": 3, "version": 1}
    assert event.after["capacity"] == 4 and len(event.after["promoted"]) == 1


# --- Sessions, roll call, scores --------------------------------------------------


def test_a_session_takes_the_next_number_and_a_date_within_the_cohort(officer, side):
    session = domain.session_create(
        actor=officer, cohort=side.cohort, held_on=START, topic="Praktik"
    )
    assert session.number == 6
    with pytest.raises(ValidationError) as info:
        domain.session_create(
            actor=officer, cohort=side.cohort, number=2, held_on=dt.date(2024, 4, 1)
        )
    assert errors_of(info) == {
        "number": ["This cohort already has a session number 2."],
        "held_on": ["Choose a date within the cohort's dates, 04-03-2024 to 08-03-2024."],
    }


def test_the_roll_call_is_recorded_whole_and_is_idempotent(officer, side):
    enrolments = seat(side, side.people[:3])
    session = side.sessions[0]
    result = domain.attendance_record(
        actor=officer, session=session, present_ids=[enrolments[0].pk, str(enrolments[2].pk)]
    )
    assert result == domain.RollCall(present=2, absent=1, changed=3)
    with scopes_disabled():
        rows = dict(
            Attendance.objects.filter(session=session).values_list("enrolment_id", "present")
        )
        stamps = list(Attendance.objects.order_by("id").values_list("recorded_at", flat=True))
        assert Cohort.objects.get(pk=side.cohort.pk).status == CohortStatus.RUNNING
    assert rows == {enrolments[0].pk: True, enrolments[1].pk: False, enrolments[2].pk: True}

    again = domain.attendance_record(
        actor=officer, session=session, present_ids=[enrolments[2].pk, enrolments[0].pk]
    )
    assert again == domain.RollCall(present=2, absent=1, changed=0)
    with scopes_disabled():
        assert (
            list(Attendance.objects.order_by("id").values_list("recorded_at", flat=True)) == stamps
        )
        assert Attendance.objects.count() == 3
    assert actions(side.province) == ["programs.attendance.record"]

    changed = domain.attendance_record(
        actor=officer, session=session, present_ids=[enrolments[1].pk]
    )
    assert changed == domain.RollCall(present=1, absent=2, changed=3)
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="programs.attendance.record").order_by("id").last()
    assert event.after == {
        "present": [enrolments[1].pk],
        "absent": [enrolments[0].pk, enrolments[2].pk],
        "changed": 3,
    }


def test_the_roll_call_takes_only_enrolled_participants(officer, side):
    enrolments = seat(side, side.people[:2])
    with scopes_disabled():
        waiting = Enrolment.objects.create(
            province=side.province,
            cohort=side.cohort,
            person=side.people[2],
            status=EnrolmentStatus.WAITING,
        )
    with pytest.raises(ValidationError) as info:
        domain.attendance_record(
            actor=officer, session=side.sessions[0], present_ids=[enrolments[0].pk, waiting.pk]
        )
    assert errors_of(info) == {
        "present": [
            "Only participants enrolled in this cohort can be marked present; "
            "1 of those marked are not."
        ]
    }
    with scopes_disabled():
        assert not Attendance.objects.exists()


def test_scores_are_recorded_all_or_nothing_from_0_to_100(officer, side):
    a, b = seat(side, side.people[:2])
    with pytest.raises(ValidationError) as info:
        domain.scores_record(actor=officer, cohort=side.cohort, scores={a.pk: 80, b.pk: 101})
    assert errors_of(info) == {f"score-{b.pk}": ["Give a number from 0 to 100."]}
    with scopes_disabled():
        assert list(Enrolment.objects.values_list("score", flat=True)) == [None, None]
    assert domain.scores_record(actor=officer, cohort=side.cohort, scores={a.pk: 0, b.pk: 100}) == 2
    assert (
        domain.scores_record(actor=officer, cohort=side.cohort, scores={a.pk: 0, b.pk: "100"}) == 0
    )
    one = domain.score_record(actor=officer, enrolment=a, score=None)
    assert one.score is None
    with pytest.raises(ValidationError) as info:
        domain.score_record(actor=officer, enrolment=b, score="tujuh puluh")
    assert errors_of(info) == {"score": ["Give a whole number, like 100."]}
    with scopes_disabled():
        events = AuditEvent.objects.filter(action="programs.enrolment.score").order_by("id")
        assert [(e.before, e.after["score"]) for e in events] == [
            ({"score": None}, 0),
            ({"score": None}, 100),
            ({"score": 0}, None),
        ]


# --- Permissions and personal data --------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REGISTRY_OFFICER, Role.CURATOR])
def test_only_program_officers_and_admins_run_training(role, side, jatim, kalsel_program_officer):
    outsider = make_user(f"jatim-{role}", province=jatim, roles=[role])
    enrolments = seat(side, side.people[:1])
    calls = [
        lambda actor: domain.attendance_record(
            actor=actor, session=side.sessions[0], present_ids=[enrolments[0].pk]
        ),
        lambda actor: domain.enrol(actor=actor, cohort=side.cohort, person=side.people[1]),
        lambda actor: domain.withdraw(actor=actor, enrolment=enrolments[0]),
        lambda actor: domain.score_record(actor=actor, enrolment=enrolments[0], score=90),
        lambda actor: domain.session_create(actor=actor, cohort=side.cohort, held_on=START),
        lambda actor: domain.cohort_update(actor=actor, cohort=side.cohort, version=1, capacity=9),
    ]
    for call in calls:
        for actor in (outsider, kalsel_program_officer):
            with pytest.raises(PermissionDenied):
                call(actor)
    with scopes_disabled():
        assert not Attendance.objects.exists()
        assert Enrolment.objects.get().status == EnrolmentStatus.ENROLLED
        assert TrainingSession.objects.count() == 5
    assert actions(side.province) == []


def test_the_audit_names_people_by_id_never_by_name_or_nik(officer, side, jatim):
    nik = make_nik(default_regency(jatim), dt.date(2001, 5, 17), serial=7)
    with scopes_disabled():
        person = make_person(jatim, full_name="Zainab Nur Kholifah", nik=nik)
    enrolment = domain.enrol(actor=officer, cohort=side.cohort, person=person)
    domain.score_record(actor=officer, enrolment=enrolment, score=88)
    domain.attendance_record(actor=officer, session=side.sessions[0], present_ids=[enrolment.pk])
    with scopes_disabled():
        events = list(AuditEvent.objects.filter(action__startswith="programs.").order_by("id"))
    assert [e.action for e in events] == [
        "programs.enrolment.create",
        "programs.enrolment.score",
        "programs.attendance.record",
    ]
    text = repr([(e.object_repr, e.before, e.after) for e in events])
    assert "Zainab" not in text and nik not in text and nik[-4:] + "'" not in text
    assert events[0].object_repr == f"Angkatan 2024-1 · #{person.pk}"
    assert events[0].after["person"] == person.pk


@pytest.mark.django_db(transaction=True)
def test_two_officers_racing_for_the_last_seat_get_one_seat_and_one_wait(jatim, opop_jatim):
    import threading

    from django.db import connection

    side = build_side(jatim, opop_jatim, JATIM_NAMES, capacity=2)
    seat(side, side.people[:1])
    officers = [
        make_user(f"jatim-program-{n}", province=jatim, roles=[Role.PROGRAM_OFFICER])
        for n in (1, 2)
    ]
    start = threading.Barrier(2)
    outcomes, failures = [], []

    def enrol(officer, person):
        try:
            start.wait(timeout=10)
            outcomes.append(domain.enrol(actor=officer, cohort=side.cohort, person=person).status)
        except Exception as error:  # reported below, in the test thread
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=enrol, args=(officer, person))
        for officer, person in zip(officers, side.people[1:3], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert sorted(outcomes) == ["enrolled", "waiting"]
    with scopes_disabled():
        assert Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED).count() == 2
