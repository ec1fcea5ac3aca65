"""What is specific to training (`training`, `training_sessions`, `certificates`):
its permission, the statuses that keep a cohort open, whole numbers and dates
of its forms, and percentages as a participant reads them.

The helpers every domain module shares (`Errors`, `require`, `locked`,
`clean_text`…) are in `checks`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from babel.numbers import format_decimal
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from niaga.programs.domain.checks import Errors
from niaga.programs.models import Cohort, CohortStatus, EnrolmentStatus

RUN_TRAINING = "programs.run_training"
# Cohorts whose participants, sessions and scores may still change.
OPEN_STATUSES = (CohortStatus.PLANNED, CohortStatus.RUNNING)
# Enrolments that hold or wait for a seat: enrolling such a person again is refused.
ACTIVE_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


def closed_error(cohort: Cohort) -> ValidationError:
    return ValidationError(
        _("This cohort is %(status)s: its participants, sessions and scores can no longer change.")
        % {"status": CohortStatus(cohort.status).label.lower()},
        code="cohort_closed",
    )


def require_open(cohort: Cohort) -> None:
    if cohort.status not in OPEN_STATUSES:
        raise closed_error(cohort)


def whole_number(errors: Errors, field: str, value: Any, *, low: int, high: int) -> int | None:
    """A whole number from `low` to `high` (an int, or digits as text)."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    if number is None:
        errors.add(field, _("Give a whole number, like %(example)s."), "invalid", {"example": high})
        return None
    if not low <= number <= high:
        errors.add(
            field,
            _("Give a number from %(low)s to %(high)s."),
            "range",
            {"low": low, "high": high},
        )
        return None
    return number


def clean_date(errors: Errors, field: str, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors.add(field, _("Give a date."), "required" if value in (None, "") else "invalid")
        return None
    return value


def percent_text(value: float) -> str:
    """A percentage for reading, rounded down to one decimal so that it never
    shows a share as reaching a threshold it misses (79.96 → '79,9')."""
    shown = math.floor(value * 10 + 1e-9) / 10
    locale = "en" if (translation.get_language() or "id").startswith("en") else "id"
    return format_decimal(shown, format="#,##0.#", locale=locale)
