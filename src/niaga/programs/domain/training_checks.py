"""The checks and helpers that the training domain modules share.

`require` raises PermissionDenied unless the actor holds the permission in
the row's province (an actor of None is the system itself: demo loading and
commands). The `clean_*` helpers collect errors per field in `Errors`, so
that one answer names every bad field, each with a code.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from babel.numbers import format_decimal
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from niaga.audit.domain import snapshot
from niaga.programs.models import Cohort, CohortStatus, EnrolmentStatus
from niaga.regions.models import Province

RUN_TRAINING = "programs.run_training"
# Cohorts whose participants, sessions and scores may still change.
OPEN_STATUSES = (CohortStatus.PLANNED, CohortStatus.RUNNING)
# Enrolments that hold or wait for a seat: enrolling such a person again is refused.
ACTIVE_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


class Errors:
    """Errors per field, collected so that one answer names every bad field."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message, code: str, params: dict | None = None) -> None:
        self.by_field.setdefault(field, []).append(
            ValidationError(message, code=code, params=params)
        )

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def province_of(row: models.Model) -> Province:
    return Province.objects.get(pk=row.province_id)


def require(actor, permission: str, province: Province) -> None:
    """PermissionDenied unless `actor` holds `permission` there (None: the system)."""
    if actor is not None and not actor.has_perm(permission, province):
        raise PermissionDenied(permission)


def conflict_error() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this record while you were editing it. Nothing was "
            "saved; the form now shows their version."
        ),
        code="conflict",
    )


def locked(model: type[models.Model], row: models.Model, version: Any | None = None):
    """The row re-read under a write lock; with `version`, a conflict if it moved on."""
    current = model.objects.select_for_update().get(pk=row.pk)
    if version is not None:
        try:
            read = int(version)
        except (TypeError, ValueError):
            read = None
        if read != current.version:
            raise conflict_error()
    return current


def closed_error(cohort: Cohort) -> ValidationError:
    return ValidationError(
        _("This cohort is %(status)s: its participants, sessions and scores can no longer change.")
        % {"status": CohortStatus(cohort.status).label.lower()},
        code="cohort_closed",
    )


def require_open(cohort: Cohort) -> None:
    if cohort.status not in OPEN_STATUSES:
        raise closed_error(cohort)


def clean_text(
    errors: Errors, model, field: str, value: Any, *, required=False, lines=False
) -> str:
    """Text with spaces tidied; `lines` keeps line breaks (one item per line)."""
    raw = "" if value is None else str(value)
    if lines:
        text = "\n".join(" ".join(line.split()) for line in raw.splitlines() if line.strip())
    else:
        text = " ".join(raw.split())
    if required and not text:
        errors.add(field, _("This field is required."), "required")
    limit = model._meta.get_field(field).max_length
    if limit and len(text) > limit:
        errors.add(
            field,
            _("At most %(limit)s characters; this has %(count)s."),
            "max_length",
            {"limit": limit, "count": len(text)},
        )
    return text


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


def apply_changes(current: models.Model, clean: dict, fields: list[str]) -> tuple[dict, dict]:
    """Set the cleaned values; (before, after) of the fields that changed."""
    before = snapshot(current, fields)
    for name, value in clean.items():
        setattr(current, name, value)
    after = snapshot(current, fields)
    changed = [name for name in fields if before[name] != after[name]]
    return {n: before[n] for n in changed}, {n: after[n] for n in changed}


def reject_unknown(given, allowed) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def percent_text(value: float) -> str:
    """A percentage for reading, rounded down to one decimal so that it never
    shows a share as reaching a threshold it misses (79.96 → '79,9')."""
    shown = math.floor(value * 10 + 1e-9) / 10
    locale = "en" if (translation.get_language() or "id").startswith("en") else "id"
    return format_decimal(shown, format="#,##0.#", locale=locale)
