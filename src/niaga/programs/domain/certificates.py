"""Completing a cohort, and certificates: their codes, issue, revocation and
public verification.

Completion rule (per course): a participant completes when they attended at
least `min_attendance_percent` of the cohort's sessions and scored at least
`passing_score`. The attendance test is done in whole numbers,
`attended × 100 ≥ min_attendance_percent × sessions`, so 4 of 5 sessions is
exactly 80 % and passes an 80 % rule with no rounding in between. A
participant without a score does not pass. The confirmation page shows
`completion_outcomes`, the very function `cohort_complete` applies, so what
the officer confirms is what happens.

Codes: 12 characters of Crockford's base32 (no I, L, O, U) drawn with
`secrets`, 60 random bits, unique across provinces, stored without dashes
and shown as three groups (`7K3M-Q9TX-2HBD`). A code typed by a person is
matched case-insensitively, ignoring dashes and spaces, and reading I and L
as 1 and O as 0, as Crockford's base32 intends.

Verification is public by design: `certificate_lookup` reads across
provinces (scopes disabled) and `certificate_public_status` says only what a
printed certificate already shows.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from niaga.audit.domain import record
from niaga.programs.domain.checks import locked, province_of, require
from niaga.programs.domain.training_checks import RUN_TRAINING, closed_error, percent_text
from niaga.programs.models import (
    Certificate,
    Cohort,
    CohortStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
)

REVOKE_CERTIFICATE = "programs.revoke_certificate"
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
CODE_GROUP = 4
REVOKE_REASON_MIN_LENGTH = 10
# Crockford's decoding: letters that look like digits read as those digits.
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_IGNORED = re.compile(r"[\s\-_.]+")


# --- Codes ----------------------------------------------------------------------


def new_code() -> str:
    """A fresh random code (not checked for uniqueness)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: Any) -> str:
    """The stored form of a typed code: upper case, no dashes or spaces, look-alikes read."""
    return _IGNORED.sub("", str(text or "")).upper().translate(_LOOKALIKES)


def format_code(code: str) -> str:
    """'7K3MQ9TX2HBD' → '7K3M-Q9TX-2HBD'."""
    code = normalise_code(code)
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def is_well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


# --- Completion -----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How one enrolled participant fares under the course's completion rule."""

    enrolment: Enrolment
    attended: int
    sessions: int
    min_attendance_percent: int
    passing_score: int

    @property
    def score(self) -> int | None:
        return self.enrolment.score

    @property
    def attendance_percent(self) -> float:
        return 100 * self.attended / self.sessions if self.sessions else 0.0

    @property
    def attendance_ok(self) -> bool:
        return self.sessions > 0 and self.attended * 100 >= self.min_attendance_percent * (
            self.sessions
        )

    @property
    def score_ok(self) -> bool:
        return self.score is not None and self.score >= self.passing_score

    @property
    def passes(self) -> bool:
        return self.attendance_ok and self.score_ok

    @property
    def reasons(self) -> list[str]:
        """Why the participant does not complete, in the reader's language (empty: passes)."""
        reasons = []
        if not self.attendance_ok:
            reasons.append(
                _(
                    "attended %(attended)s of %(sessions)s sessions (%(percent)s%%); "
                    "%(needed)s%% needed"
                )
                % {
                    "attended": self.attended,
                    "sessions": self.sessions,
                    "percent": percent_text(self.attendance_percent),
                    "needed": self.min_attendance_percent,
                }
            )
        if self.score is None:
            reasons.append(_("no score recorded"))
        elif not self.score_ok:
            reasons.append(
                _("score %(score)s; %(needed)s needed")
                % {"score": self.score, "needed": self.passing_score}
            )
        return reasons


def completion_outcomes(cohort: Cohort) -> list[Outcome]:
    """Every enrolled participant of `cohort` with the outcome the rule gives now,
    by name. Call inside the cohort's province scope. Three queries whatever the size."""
    course = Course.objects.only("min_attendance_percent", "passing_score").get(pk=cohort.course_id)
    sessions = TrainingSession.objects.filter(cohort_id=cohort.pk).count()
    rows = (
        Enrolment.objects.filter(cohort_id=cohort.pk, status=EnrolmentStatus.ENROLLED)
        .select_related("person")
        .annotate(attended=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("person__full_name", "id")
    )
    return [
        Outcome(
            enrolment=row,
            attended=row.attended,
            sessions=sessions,
            min_attendance_percent=course.min_attendance_percent,
            passing_score=course.passing_score,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Completion:
    outcomes: list[Outcome]
    certificates: list[Certificate]

    @property
    def completed(self) -> list[Enrolment]:
        return [o.enrolment for o in self.outcomes if o.passes]

    @property
    def not_completed(self) -> list[Enrolment]:
        return [o.enrolment for o in self.outcomes if not o.passes]


def _issue(province, enrolment: Enrolment) -> Certificate:
    """A certificate with a fresh unique code (a clash, once in 2^60, draws again)."""
    for _attempt in range(5):
        code = new_code()
        with scopes_disabled():
            if Certificate.objects.filter(code=code).exists():
                continue
        try:
            with transaction.atomic():
                return Certificate.objects.create(province=province, enrolment=enrolment, code=code)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a unique certificate code")


def cohort_complete(
    *, actor, cohort: Cohort, expected: Mapping[int, bool] | None = None
) -> Completion:
    """Close a cohort: each enrolled participant completed or not, certificates issued.

    Each enrolled participant becomes "completed" (with `completed_on`: the date in the
    province's zone, or the cohort's last day if that is earlier) when
    `completion_outcomes` says they pass, else "not_completed"; each completed one gets
    a Certificate with a new code. People still waiting stay on the waiting list (they
    took no part). The cohort becomes "completed" with `completed_at`; it can be
    completed once only, so nothing is issued twice. `expected`, when given, maps each
    enrolment id the officer saw on the confirmation page to whether it passed there: if
    the outcome differs now (a score or roll call changed meanwhile), nothing is written
    and ValidationError "changed" asks to look again. Errors: PermissionDenied without
    programs.run_training; ValidationError "already_completed" / "cohort_closed"
    (cancelled), "no_sessions" (a cohort without sessions cannot be assessed),
    "no_participants". Side effects: the rows above, audit `programs.cohort.complete`
    (enrolment ids completed and not) and `programs.certificate.issue` per certificate.
    """
    province = province_of(cohort)
    require(actor, RUN_TRAINING, province)
    with scope(province=province), transaction.atomic():
        current = locked(Cohort, cohort)
        if current.status == CohortStatus.COMPLETED:
            raise ValidationError(
                _("This cohort was already completed; its certificates have been issued."),
                code="already_completed",
            )
        if current.status == CohortStatus.CANCELLED:
            raise closed_error(current)
        if not TrainingSession.objects.filter(cohort=current).exists():
            raise ValidationError(
                _(
                    "This cohort has no sessions, so attendance cannot be assessed. Add its "
                    "sessions and take the roll call first."
                ),
                code="no_sessions",
            )
        outcomes = completion_outcomes(current)
        if not outcomes:
            raise ValidationError(
                _("Nobody is enrolled in this cohort: there is no one to complete."),
                code="no_participants",
            )
        if expected is not None and dict(expected) != {o.enrolment.pk: o.passes for o in outcomes}:
            raise ValidationError(
                _(
                    "Scores or attendance changed since the list was shown. Nothing was "
                    "completed: check the list again and confirm."
                ),
                code="changed",
            )
        now = timezone.now()
        today = now.astimezone(province.zone).date()
        # A cohort closed after its last day was completed on that day: its
        # graduates count as santripreneurs of the cohort's year, not of the
        # day an officer got round to closing it.
        completed_on = min(today, current.ends_on)
        certificates = []
        for outcome in outcomes:
            enrolment = outcome.enrolment
            enrolment.status = (
                EnrolmentStatus.COMPLETED if outcome.passes else EnrolmentStatus.NOT_COMPLETED
            )
            enrolment.completed_on = completed_on if outcome.passes else None
            enrolment.version += 1
            enrolment.save(update_fields=["status", "completed_on", "version", "updated_at"])
            if outcome.passes:
                certificate = _issue(province, enrolment)
                certificates.append(certificate)
                record(
                    actor=actor,
                    action="programs.certificate.issue",
                    province=province,
                    obj=certificate,
                    after={"enrolment": enrolment.pk, "person": enrolment.person_id},
                )
        was = current.status
        current.status = CohortStatus.COMPLETED
        current.completed_at = now
        current.version += 1
        current.save(update_fields=["status", "completed_at", "version", "updated_at"])
        completion = Completion(outcomes=outcomes, certificates=certificates)
        record(
            actor=actor,
            action="programs.cohort.complete",
            province=province,
            obj=current,
            before={"status": was},
            after={
                "status": CohortStatus.COMPLETED,
                "completed_on": completed_on,
                "completed": [e.pk for e in completion.completed],
                "not_completed": [e.pk for e in completion.not_completed],
                "certificates": [c.pk for c in certificates],
            },
        )
    return completion


# --- Revocation -----------------------------------------------------------------


def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate: it stays, and its code answers "revoked" from now on.

    `reason` (at least REVOKE_REASON_MIN_LENGTH characters) is kept for the
    province team and the audit log; the public page shows only the date.
    Errors: PermissionDenied without programs.revoke_certificate;
    ValidationError {"revoked_reason": …} for a missing or short reason;
    ValidationError "revoked" when it already is. Side effects: the row and
    audit `programs.certificate.revoke`.
    """
    province = province_of(certificate)
    require(actor, REVOKE_CERTIFICATE, province)
    reason = " ".join(str(reason or "").split())
    limit = Certificate._meta.get_field("revoked_reason").max_length
    if len(reason) < REVOKE_REASON_MIN_LENGTH or len(reason) > limit:
        raise ValidationError(
            {
                "revoked_reason": ValidationError(
                    _("Say why the certificate is revoked, in %(low)s to %(high)s characters."),
                    code="reason",
                    params={"low": REVOKE_REASON_MIN_LENGTH, "high": limit},
                )
            }
        )
    with scope(province=province), transaction.atomic():
        current = locked(Certificate, certificate)
        if current.revoked_at is not None:
            raise ValidationError(
                _("This certificate was already revoked on %(date)s.")
                % {"date": current.revoked_at.astimezone(province.zone).strftime("%d-%m-%Y")},
                code="revoked",
            )
        current.revoked_at = timezone.now()
        current.revoked_reason = reason
        current.save(update_fields=["revoked_at", "revoked_reason"])
        record(
            actor=actor,
            action="programs.certificate.revoke",
            province=province,
            obj=current,
            before={"revoked_at": None},
            after={"revoked_at": current.revoked_at, "reason": reason},
        )
    return current


# --- Public verification --------------------------------------------------------


def certificate_lookup(code: str) -> Certificate | None:
    """The certificate with this code, in any province, or None (unknown or forged).

    Public by design: scopes are disabled on purpose. The code is normalised
    (`normalise_code`) first. The certificate comes with its province,
    enrolment, person, cohort, course and program loaded, so reading them
    needs no scope and no further query.
    """
    key = normalise_code(code)
    if not is_well_formed(key):
        return None
    with scopes_disabled():
        return (
            Certificate.objects.select_related(
                "province",
                "enrolment__person",
                "enrolment__cohort__course__program",
            )
            .filter(code=key)
            .first()
        )


def certificate_public_status(certificate: Certificate) -> dict[str, Any]:
    """What anyone may learn from a code, JSON-ready:
    {"status": "valid"|"revoked", "holder", "course", "program", "completed_on"}.

    `completed_on` is an ISO date. The holder is the name as the registry
    holds it now: after an erasure, the anonymised name. The reason for a
    revocation is not included (see `certificate_revoke`).
    """
    enrolment = certificate.enrolment
    course = enrolment.cohort.course
    return {
        "status": "revoked" if certificate.is_revoked else "valid",
        "holder": enrolment.person.full_name,
        "course": course.title,
        "program": course.program.name,
        "completed_on": enrolment.completed_on.isoformat() if enrolment.completed_on else None,
    }
