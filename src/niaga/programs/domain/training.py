"""Every write about training: courses, cohorts, enrolment with a waiting list;
sessions, the roll call and scores (in `training_sessions`, re-exported here).
Completion and certificates are in `niaga.programs.domain.certificates`.

Each function checks the actor's permission (`programs.run_training` in the
row's province; an actor of None is the system itself: demo loading and
commands), validates all of its input first, then writes inside one
transaction and records an audit event `programs.<entity>.<verb>` in the same
transaction. Bad input raises `ValidationError` keyed by the model field
name, each error with a code, and changes nothing. Every function opens the
province scope of the row it is given, so commands and tests cannot forget it.

People are named in audit entries by their record id only (an enrolment's
own text is "<cohort> · #<person id>"), never by name or NIK.

Seats: a cohort holds at most `capacity` people with status "enrolled"; the
next ones wait, served in the order of `waiting_since` (then id). The cohort
row is locked (`select_for_update`) before seats are counted, so two officers
enrolling at once cannot both take the last seat.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.audit.domain import record, snapshot
from niaga.programs.domain.checks import (
    Errors,
    apply_changes,
    clean_text,
    locked,
    paragraphs,
    province_of,
    record_update,
    reject_unknown,
    require,
)
from niaga.programs.domain.training_checks import (
    ACTIVE_STATUSES,
    RUN_TRAINING,
    clean_date,
    require_open,
    whole_number,
)
from niaga.programs.domain.training_sessions import (  # noqa: F401 - one import place
    RollCall,
    attendance_record,
    score_record,
    scores_record,
    session_create,
)
from niaga.programs.models import (
    Cohort,
    Course,
    CurriculumModule,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Program,
)
from niaga.registry.models import Person

COURSE_FIELDS = [
    "title",
    "description",
    "delivery_mode",
    "min_attendance_percent",
    "passing_score",
]
COHORT_FIELDS = [
    "name",
    "starts_on",
    "ends_on",
    "venue",
    "online",
    "online_link",
    "trainers",
    "capacity",
]
MAX_CAPACITY = 10_000


# --- Courses --------------------------------------------------------------------


def _modules(errors: Errors, program: Program, value: Iterable | None) -> list[CurriculumModule]:
    wanted = {getattr(item, "pk", item) for item in (value or [])}
    found = list(CurriculumModule.objects.filter(program=program, pk__in=wanted))
    if len(found) != len(wanted):
        errors.add(
            "modules",
            _("Choose modules of this program's curriculum only."),
            "invalid_module",
        )
    return sorted(found, key=lambda module: (module.order, module.pk))


def _clean_course(data: dict, program: Program) -> tuple[dict, list[CurriculumModule]]:
    errors = Errors()
    clean: dict[str, Any] = {
        "title": clean_text(errors, Course, "title", data.get("title"), required=True),
        "description": paragraphs(data.get("description")),
    }
    mode = str(data.get("delivery_mode") or "")
    allowed = [m for m in program.delivery_modes if m in DeliveryMode.values] or DeliveryMode.values
    if mode not in allowed:
        errors.add(
            "delivery_mode",
            _("Choose one of the delivery modes of this program: %(modes)s."),
            "invalid_choice",
            {"modes": ", ".join(str(DeliveryMode(m).label) for m in allowed)},
        )
    clean["delivery_mode"] = mode
    clean["min_attendance_percent"] = whole_number(
        errors, "min_attendance_percent", data.get("min_attendance_percent"), low=0, high=100
    )
    clean["passing_score"] = whole_number(
        errors, "passing_score", data.get("passing_score"), low=0, high=100
    )
    modules = _modules(errors, program, data.get("modules"))
    errors.raise_any()
    return clean, modules


def course_create(
    *,
    actor,
    program: Program,
    title: str,
    delivery_mode: str,
    description: str = "",
    modules: Iterable[CurriculumModule | int] = (),
    min_attendance_percent: int = 80,
    passing_score: int = 70,
) -> Course:
    """Create a course of `program`: what is taught and how a participant passes.

    Rules: a title; a delivery mode the program runs (any DeliveryMode when the
    program lists none); modules of the same program's curriculum only;
    minimum attendance and passing score each 0–100. Side effects: the course,
    its modules and audit `programs.course.create`. Errors: PermissionDenied
    without programs.run_training; ValidationError per field.
    """
    province = province_of(program)
    require(actor, RUN_TRAINING, province)
    with scope(province=province):
        clean, chosen = _clean_course(
            {
                "title": title,
                "description": description,
                "delivery_mode": delivery_mode,
                "min_attendance_percent": min_attendance_percent,
                "passing_score": passing_score,
                "modules": modules,
            },
            program,
        )
        with transaction.atomic():
            course = Course.objects.create(province=province, program=program, **clean)
            course.modules.set(chosen)
            record(
                actor=actor,
                action="programs.course.create",
                province=province,
                obj=course,
                after={
                    "program": program.pk,
                    **snapshot(course, COURSE_FIELDS),
                    "modules": [m.pk for m in chosen],
                },
            )
    return course


def course_update(*, actor, course: Course, version: int, **changes) -> Course:
    """Change a course's fields (COURSE_FIELDS and `modules`).

    `version` is the one the editor read: if the course changed since,
    ValidationError(code="conflict") and nothing is written. The same rules as
    `course_create`. A changed rule applies to cohorts completed from now on;
    certificates already issued stay. Side effects: version + 1 and audit
    `programs.course.update` with the changed fields. Errors: as in create.
    """
    reject_unknown(changes, [*COURSE_FIELDS, "modules"])
    province = province_of(course)
    require(actor, RUN_TRAINING, province)
    with scope(province=province), transaction.atomic():
        current = locked(Course, course, version)
        program = Program.objects.get(pk=current.program_id)
        held = sorted(current.modules.values_list("pk", flat=True))
        data = {
            **{f: getattr(current, f) for f in COURSE_FIELDS},
            "modules": held,
            **changes,
        }
        clean, chosen = _clean_course(data, program)
        before, after = apply_changes(current, clean, COURSE_FIELDS)
        new_modules = sorted(m.pk for m in chosen)
        if new_modules != held:
            before["modules"], after["modules"] = held, new_modules
        if not after:
            return current
        current.version += 1
        current.save()
        current.modules.set(chosen)
        record_update(actor, "programs.course.update", province, current, before, after, version)
    return current


# --- Cohorts --------------------------------------------------------------------


def _clean_cohort(data: dict) -> dict:
    errors = Errors()
    clean: dict[str, Any] = {
        "name": clean_text(errors, Cohort, "name", data.get("name"), required=True),
        "starts_on": clean_date(errors, "starts_on", data.get("starts_on")),
        "ends_on": clean_date(errors, "ends_on", data.get("ends_on")),
        "venue": clean_text(errors, Cohort, "venue", data.get("venue")),
        "online": bool(data.get("online")),
        "online_link": str(data.get("online_link") or "").strip(),
        "trainers": clean_text(errors, Cohort, "trainers", data.get("trainers"), lines=True),
        "capacity": whole_number(
            errors, "capacity", data.get("capacity"), low=1, high=MAX_CAPACITY
        ),
    }
    if clean["starts_on"] and clean["ends_on"] and clean["ends_on"] < clean["starts_on"]:
        errors.add("ends_on", _("The cohort cannot end before it starts."), "dates")
    if clean["online"]:
        if not clean["online_link"]:
            errors.add(
                "online_link", _("Give the link participants use to join online."), "required"
            )
    elif not clean["venue"]:
        errors.add("venue", _("Give the place, or mark the cohort as online."), "required")
    if clean["online_link"]:
        try:
            URLValidator(schemes=["http", "https"])(clean["online_link"])
        except ValidationError:
            errors.add(
                "online_link",
                _("Give a web address starting with https:// or http://."),
                "invalid",
            )
        if len(clean["online_link"]) > Cohort._meta.get_field("online_link").max_length:
            errors.add("online_link", _("The link is too long."), "max_length")
    errors.raise_any()
    return clean


def cohort_create(
    *,
    actor,
    course: Course,
    name: str,
    starts_on,
    ends_on,
    capacity: int,
    venue: str = "",
    online: bool = False,
    online_link: str = "",
    trainers: str = "",
) -> Cohort:
    """Open a cohort of `course` (status planned).

    Rules: a name; dates with the end not before the start; a place, or
    online with a link (https:// or http://), or both; trainers by name, one
    per line (empty lines dropped); capacity 1–MAX_CAPACITY. Side effects:
    the cohort and audit `programs.cohort.create`. Errors: PermissionDenied
    without programs.run_training; ValidationError per field.
    """
    province = province_of(course)
    require(actor, RUN_TRAINING, province)
    clean = _clean_cohort(
        {
            "name": name,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "venue": venue,
            "online": online,
            "online_link": online_link,
            "trainers": trainers,
            "capacity": capacity,
        }
    )
    with scope(province=province), transaction.atomic():
        cohort = Cohort.objects.create(province=province, course=course, **clean)
        record(
            actor=actor,
            action="programs.cohort.create",
            province=province,
            obj=cohort,
            after={"course": course.pk, **snapshot(cohort, COHORT_FIELDS)},
        )
    return cohort


def _waiting(cohort: Cohort | int):
    return Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.WAITING).order_by(
        "waiting_since", "id"
    )


def _enrolled_count(cohort: Cohort) -> int:
    return Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).count()


def _promote(actor, cohort: Cohort, seats: int, *, because: str) -> list[Enrolment]:
    """Give up to `seats` free seats to the first people waiting, in order; audited."""
    promoted = list(_waiting(cohort).select_for_update()[: max(seats, 0)])
    province = province_of(cohort)
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.version += 1
        enrolment.save(update_fields=["status", "version", "updated_at"])
        record(
            actor=actor,
            action="programs.enrolment.promote",
            province=province,
            obj=enrolment,
            before={"status": EnrolmentStatus.WAITING},
            after={
                "status": EnrolmentStatus.ENROLLED,
                "person": enrolment.person_id,
                "because": because,
            },
        )
    return promoted


def cohort_update(*, actor, cohort: Cohort, version: int, **changes) -> Cohort:
    """Change a cohort's fields (COHORT_FIELDS); the rules of `cohort_create` apply.

    Capacity cannot go below the number of people enrolled (code
    "capacity_below_enrolled"): withdraw people first. A larger capacity
    gives the new seats to the first people waiting, in order (audit
    `programs.enrolment.promote` each). A completed or cancelled cohort
    cannot change ("cohort_closed"). `version` as in `course_update`. Side
    effects: version + 1 and audit `programs.cohort.update`.
    """
    reject_unknown(changes, COHORT_FIELDS)
    province = province_of(cohort)
    require(actor, RUN_TRAINING, province)
    with scope(province=province), transaction.atomic():
        current = locked(Cohort, cohort, version)
        require_open(current)
        clean = _clean_cohort({**{f: getattr(current, f) for f in COHORT_FIELDS}, **changes})
        enrolled = _enrolled_count(current)
        if clean["capacity"] < enrolled:
            raise ValidationError(
                {
                    "capacity": ValidationError(
                        _(
                            "%(count)s people are enrolled: the capacity cannot be lower. "
                            "Withdraw participants first."
                        ),
                        code="capacity_below_enrolled",
                        params={"count": enrolled},
                    )
                }
            )
        before, after = apply_changes(current, clean, COHORT_FIELDS)
        if not after:
            return current
        current.version += 1
        current.save()
        promoted = _promote(actor, current, current.capacity - enrolled, because="capacity")
        if promoted:
            after["promoted"] = [e.pk for e in promoted]
        record_update(actor, "programs.cohort.update", province, current, before, after, version)
    return current


# --- Enrolment and the waiting list ---------------------------------------------


def waiting_position(enrolment: Enrolment) -> int | None:
    """1 for the first person waiting; None when the person is not waiting.
    A read: call it inside the enrolment's province scope (pages run in it)."""
    if enrolment.status != EnrolmentStatus.WAITING:
        return None
    ahead = (
        _waiting(enrolment.cohort_id)
        .filter(
            models.Q(waiting_since__lt=enrolment.waiting_since)
            | models.Q(waiting_since=enrolment.waiting_since, pk__lt=enrolment.pk)
        )
        .count()
    )
    return ahead + 1


def enrol(*, actor, cohort: Cohort, person: Person) -> Enrolment:
    """Enrol `person` in `cohort`: a seat while one is free, else the waiting list.

    Rules: the person is registered in the cohort's province and their data
    was not erased; the cohort is planned or running; the person is not
    already enrolled or waiting (code "already_enrolled", the error says
    which) nor completed in this cohort. A person who withdrew may enrol
    again: their enrolment row comes back, at the end of the waiting list if
    the cohort is full. Side effects: the enrolment and audit
    `programs.enrolment.create` (status and, when waiting, position).
    Errors: PermissionDenied without programs.run_training; ValidationError.
    """
    province = province_of(cohort)
    require(actor, RUN_TRAINING, province)
    if person.province_id != cohort.province_id:
        raise ValidationError(
            {
                "person": ValidationError(
                    _("Choose a person registered in this province."), code="other_province"
                )
            }
        )
    if person.erased_at is not None:
        raise ValidationError(
            {
                "person": ValidationError(
                    _("This person's personal data has been erased; they cannot be enrolled."),
                    code="erased",
                )
            }
        )
    with scope(province=province), transaction.atomic():
        current = locked(Cohort, cohort)
        require_open(current)
        held = Enrolment.objects.select_for_update().filter(cohort=current, person=person).first()
        if held is not None and held.status != EnrolmentStatus.WITHDRAWN:
            messages = {
                EnrolmentStatus.ENROLLED: _("%(person)s is already enrolled in this cohort."),
                EnrolmentStatus.WAITING: _(
                    "%(person)s is already on this cohort's waiting list (number %(position)s)."
                ),
            }
            message = messages.get(
                held.status, _("%(person)s has already taken part in this cohort.")
            ) % {"person": person.full_name, "position": waiting_position(held)}
            raise ValidationError({"person": ValidationError(message, code="already_enrolled")})
        seat_free = _enrolled_count(current) < current.capacity
        status = EnrolmentStatus.ENROLLED if seat_free else EnrolmentStatus.WAITING
        waiting_since = None if seat_free else timezone.now()
        if held is None:
            enrolment = Enrolment.objects.create(
                province=province,
                cohort=current,
                person=person,
                status=status,
                waiting_since=waiting_since,
            )
            before = None
        else:
            enrolment = held
            before = {"status": held.status}
            enrolment.status, enrolment.waiting_since = status, waiting_since
            enrolment.version += 1
            enrolment.save(update_fields=["status", "waiting_since", "version", "updated_at"])
        after = {"cohort": current.pk, "person": person.pk, "status": status}
        if not seat_free:
            after["position"] = waiting_position(enrolment)
        record(
            actor=actor,
            action="programs.enrolment.create",
            province=province,
            obj=enrolment,
            before=before,
            after=after,
        )
    return enrolment


def withdraw(*, actor, enrolment: Enrolment) -> tuple[Enrolment, Enrolment | None]:
    """Take a person out of a cohort (enrolled or waiting); the row stays, withdrawn.

    A freed seat goes to the first person waiting (audit
    `programs.enrolment.promote` for them; the withdrawal's audit names the
    promoted enrolment and person by id). Returns (the withdrawn enrolment,
    the promoted one or None). Errors: PermissionDenied; ValidationError
    "not_active" when the person is no longer enrolled or waiting,
    "cohort_closed" for a completed or cancelled cohort.
    """
    province = province_of(enrolment)
    require(actor, RUN_TRAINING, province)
    with scope(province=province), transaction.atomic():
        cohort = locked(Cohort, Cohort(pk=enrolment.cohort_id))
        require_open(cohort)
        current = locked(Enrolment, enrolment)
        if current.status not in ACTIVE_STATUSES:
            raise ValidationError(
                _("This person is not enrolled or waiting in this cohort (%(status)s).")
                % {"status": EnrolmentStatus(current.status).label.lower()},
                code="not_active",
            )
        was = current.status
        current.status = EnrolmentStatus.WITHDRAWN
        current.version += 1
        current.save(update_fields=["status", "version", "updated_at"])
        promoted = None
        if was == EnrolmentStatus.ENROLLED:
            free = cohort.capacity - _enrolled_count(cohort)
            promoted_list = _promote(actor, cohort, min(free, 1), because="withdrawal")
            promoted = promoted_list[0] if promoted_list else None
        after: dict[str, Any] = {"status": EnrolmentStatus.WITHDRAWN, "person": current.person_id}
        if promoted is not None:
            after["promoted_enrolment"] = promoted.pk
            after["promoted_person"] = promoted.person_id
        record(
            actor=actor,
            action="programs.enrolment.withdraw",
            province=province,
            obj=current,
            before={"status": was},
            after=after,
        )
    return current, promoted
