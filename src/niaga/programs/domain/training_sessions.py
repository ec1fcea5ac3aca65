"""Sessions of a cohort, the roll call and assessment scores.

The rules of `niaga.programs.domain.training` hold here too: permission
`programs.run_training`, everything validated first, one transaction, an
audit event per change, people named by record id only. Sessions, roll calls
and scores change only while the cohort is planned or running.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.audit.domain import record, snapshot
from niaga.programs.domain.checks import Errors, clean_text, locked, province_of, require
from niaga.programs.domain.training_checks import (
    RUN_TRAINING,
    clean_date,
    require_open,
    whole_number,
)
from niaga.programs.models import (
    Attendance,
    Cohort,
    CohortStatus,
    Course,
    CurriculumModule,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
)


def session_create(
    *,
    actor,
    cohort: Cohort,
    held_on,
    number: int | None = None,
    topic: str = "",
    module: CurriculumModule | None = None,
) -> TrainingSession:
    """Add a session (meeting) to a cohort, numbered `number` (default: the next).

    Rules: the cohort is planned or running; the date lies within the
    cohort's dates; the number (1–999) is not taken in the cohort; the module,
    if any, is of the course's program. Side effects: the session and audit
    `programs.session.create`. Errors: PermissionDenied; ValidationError.
    """
    province = province_of(cohort)
    require(actor, RUN_TRAINING, province)
    with scope(province=province), transaction.atomic():
        current = locked(Cohort, cohort)
        require_open(current)
        errors = Errors()
        taken = set(TrainingSession.objects.filter(cohort=current).values_list("number", flat=True))
        if number in (None, ""):
            number = max(taken, default=0) + 1
        number = whole_number(errors, "number", number, low=1, high=999)
        if number is not None and number in taken:
            errors.add(
                "number",
                _("This cohort already has a session number %(number)s."),
                "number_taken",
                {"number": number},
            )
        held_on = clean_date(errors, "held_on", held_on)
        if held_on is not None and not current.starts_on <= held_on <= current.ends_on:
            errors.add(
                "held_on",
                _("Choose a date within the cohort's dates, %(start)s to %(end)s."),
                "outside_cohort",
                {
                    "start": current.starts_on.strftime("%d-%m-%Y"),
                    "end": current.ends_on.strftime("%d-%m-%Y"),
                },
            )
        topic = clean_text(errors, TrainingSession, "topic", topic)
        if module is not None:
            program_id = Course.objects.filter(pk=current.course_id).values_list(
                "program_id", flat=True
            )[0]
            if not CurriculumModule.objects.filter(
                pk=getattr(module, "pk", module), program_id=program_id
            ).exists():
                errors.add(
                    "module", _("Choose a module of this program's curriculum."), "invalid_module"
                )
        errors.raise_any()
        session = TrainingSession.objects.create(
            province=province,
            cohort=current,
            number=number,
            held_on=held_on,
            topic=topic,
            module_id=getattr(module, "pk", module),
        )
        record(
            actor=actor,
            action="programs.session.create",
            province=province,
            obj=session,
            after={
                "cohort": current.pk,
                **snapshot(session, ["number", "held_on", "topic", "module"]),
            },
        )
    return session


@dataclass(frozen=True)
class RollCall:
    """What a roll call recorded: how many present and absent, and how many changed."""

    present: int
    absent: int
    changed: int


def attendance_record(*, actor, session: TrainingSession, present_ids: Iterable[int]) -> RollCall:
    """Record a whole roll call: each enrolled participant present or absent.

    `present_ids` are the ids of the Enrolments present; every other enrolled
    participant of the cohort is recorded absent. Idempotent: submitting the
    same roll call again changes no row and writes no audit entry (it returns
    changed=0). The first roll call of a planned cohort marks it running.
    Errors: PermissionDenied; ValidationError {"present": …} code
    "not_enrolled" when an id is not an enrolled participant of this cohort
    (waiting, withdrawn or elsewhere); "cohort_closed" after completion.
    Side effects: Attendance rows created or changed, audit
    `programs.attendance.record` with the enrolment ids present and absent.
    """
    province = province_of(session)
    require(actor, RUN_TRAINING, province)
    wanted: set[int] = set()
    for value in present_ids:
        try:
            wanted.add(int(value))
        except (TypeError, ValueError):
            raise ValidationError(
                {"present": ValidationError(_("Unknown participant."), code="not_enrolled")}
            ) from None
    with scope(province=province), transaction.atomic():
        cohort = locked(Cohort, Cohort(pk=session.cohort_id))
        require_open(cohort)
        enrolled = set(
            Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).values_list(
                "pk", flat=True
            )
        )
        strangers = wanted - enrolled
        if strangers:
            raise ValidationError(
                {
                    "present": ValidationError(
                        _(
                            "Only participants enrolled in this cohort can be marked present; "
                            "%(count)s of those marked are not."
                        ),
                        code="not_enrolled",
                        params={"count": len(strangers)},
                    )
                }
            )
        held = {row.enrolment_id: row for row in Attendance.objects.filter(session_id=session.pk)}
        now = timezone.now()
        recorder = actor if getattr(actor, "is_authenticated", False) else None
        new, changed = [], []
        for enrolment_id in sorted(enrolled):
            present = enrolment_id in wanted
            row = held.get(enrolment_id)
            if row is None:
                new.append(
                    Attendance(
                        province=province,
                        session_id=session.pk,
                        enrolment_id=enrolment_id,
                        present=present,
                        recorded_by=recorder,
                    )
                )
            elif row.present != present:
                row.present, row.recorded_by, row.recorded_at = present, recorder, now
                changed.append(row)
        Attendance.objects.bulk_create(new)
        # bulk_update skips auto_now: recorded_at is set above.
        Attendance.objects.bulk_update(changed, ["present", "recorded_by", "recorded_at"])
        result = RollCall(
            present=len(wanted), absent=len(enrolled - wanted), changed=len(new) + len(changed)
        )
        if result.changed:
            if cohort.status == CohortStatus.PLANNED:
                cohort.status = CohortStatus.RUNNING
                cohort.save(update_fields=["status", "updated_at"])
            record(
                actor=actor,
                action="programs.attendance.record",
                province=province,
                obj=TrainingSession.objects.get(pk=session.pk),
                after={
                    "present": sorted(wanted),
                    "absent": sorted(enrolled - wanted),
                    "changed": result.changed,
                },
            )
    return result


# --- Scores ---------------------------------------------------------------------


def _score(errors: Errors, field: str, value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return whole_number(errors, field, value, low=0, high=100)


def scores_record(*, actor, cohort: Cohort, scores: Mapping[int, Any]) -> int:
    """Record the assessment scores of several participants at once, all or nothing.

    `scores` maps Enrolment ids of enrolled participants to a score 0–100, or
    None (or "") to clear it. Errors: PermissionDenied; ValidationError keyed
    "score-<enrolment id>" per bad score ("invalid", "range"), or "score"
    ("not_enrolled") for an id that is not an enrolled participant;
    "cohort_closed" after completion. Returns how many scores changed; each
    change writes audit `programs.enrolment.score` (before and after).
    """
    province = province_of(cohort)
    require(actor, RUN_TRAINING, province)
    with scope(province=province), transaction.atomic():
        current = locked(Cohort, cohort)
        require_open(current)
        errors = Errors()
        clean = {}
        for key, value in scores.items():
            clean[int(key)] = _score(errors, f"score-{int(key)}", value)
        rows = {
            row.pk: row
            for row in Enrolment.objects.select_for_update().filter(
                cohort=current, status=EnrolmentStatus.ENROLLED, pk__in=list(clean)
            )
        }
        if set(clean) - set(rows):
            errors.add(
                "score",
                _("Scores can be recorded only for participants enrolled in this cohort."),
                "not_enrolled",
            )
        errors.raise_any()
        changed = 0
        for pk, score in sorted(clean.items()):
            row = rows[pk]
            if row.score == score:
                continue
            was = row.score
            row.score = score
            row.version += 1
            row.save(update_fields=["score", "version", "updated_at"])
            changed += 1
            record(
                actor=actor,
                action="programs.enrolment.score",
                province=province,
                obj=row,
                before={"score": was},
                after={"score": score, "person": row.person_id},
            )
    return changed


def score_record(*, actor, enrolment: Enrolment, score: int | None) -> Enrolment:
    """Record one participant's score (0–100; None clears it). See `scores_record`;
    errors are keyed "score" here. Returns the enrolment as stored."""
    with scope(province=province_of(enrolment)):
        cohort = Cohort.objects.get(pk=enrolment.cohort_id)
    try:
        scores_record(actor=actor, cohort=cohort, scores={enrolment.pk: score})
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {"score": [e for errs in error.error_dict.values() for e in errs]}
            ) from None
        raise
    with scope(province=province_of(enrolment)):
        return Enrolment.objects.get(pk=enrolment.pk)
