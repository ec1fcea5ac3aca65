"""The checking helpers that every program domain module shares, and the audit
of a versioned update (`record_update`).

The domain modules (`programs`, `program_replication`, `training`,
`training_sessions`, `certificates`, `indicators`, `support`) were written
side by side and each grew its own copy of these small helpers; they live
here once, so that a permission, a version conflict or a field's error reads
the same everywhere. What is specific to one part stays with it:
`program_checks` (a program's own fields), `training_checks` (cohorts and
their numbers), and the private cleaners of `indicators` and `support`.

`require` raises PermissionDenied unless the actor holds the permission in
the province (an actor of None is the system itself: demo loading,
replication and commands). The `clean_*` helpers collect errors per field in
`Errors`, so that one answer names every bad field, each with a code and a
message in the active (the user's) language. Message texts and codes are
asserted by tests and translated: change them only with both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from niaga.audit.domain import record, snapshot
from niaga.regions.models import Province

# --- Collecting errors ---------------------------------------------------------


class Errors:
    """Errors per field, collected so that one answer names every bad field."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message, code: str, params: dict | None = None) -> None:
        self.by_field.setdefault(field, []).append(
            ValidationError(message, code=code, params=params)
        )

    def extend(self, field: str, errors: Iterable[ValidationError]) -> None:
        """Add errors already made (by another check) to `field`."""
        for error in errors:
            self.by_field.setdefault(field, []).append(error)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# --- Permission, rows and versions ---------------------------------------------


def require(actor, permission: str, province: Province) -> None:
    """PermissionDenied unless `actor` holds `permission` there (None: the system)."""
    if actor is not None and not actor.has_perm(permission, province):
        raise PermissionDenied(permission)


def province_of(row: models.Model) -> Province:
    """The province of any row that carries it (a program, cohort, grant, figure…)."""
    return Province.objects.get(pk=row.province_id)


def reject_unknown(given, allowed) -> None:
    """TypeError naming the fields in `given` that are not `allowed` (a programming error)."""
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def conflict_error() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this record while you were editing it. Nothing was "
            "saved; the form now shows their version."
        ),
        code="conflict",
    )


def locked(
    model: type[models.Model],
    row: models.Model,
    version: Any | None = None,
    *,
    require_version: bool = False,
):
    """The row re-read under a write lock (select_for_update).

    With `version` (the one the editor read), a conflict if the row's version
    moved on. Without one the version is not checked, unless
    `require_version`: then a missing version is a conflict too (a program's
    forms may send none).
    """
    current = model.objects.select_for_update().get(pk=row.pk)
    if version is not None or require_version:
        try:
            read = int(version)
        except (TypeError, ValueError):
            read = None
        if read != current.version:
            raise conflict_error()
    return current


def apply_changes(current: models.Model, clean: dict, fields: list[str]) -> tuple[dict, dict]:
    """Set the cleaned values; (before, after) of the fields that changed."""
    before = snapshot(current, fields)
    for name, value in clean.items():
        setattr(current, name, value)
    after = snapshot(current, fields)
    changed = [name for name in fields if before[name] != after[name]]
    return {n: before[n] for n in changed}, {n: after[n] for n in changed}


def record_update(
    actor, action: str, province: Province, current: models.Model, before, after, version
) -> None:
    """Audit a versioned update: the changed fields (`apply_changes`), with the
    version the editor read before and the row's new version after."""
    record(
        actor=actor,
        action=action,
        province=province,
        obj=current,
        before={**before, "version": version},
        after={**after, "version": current.version},
    )


# --- Cleaning fields -----------------------------------------------------------


def clean_text(
    errors: Errors, model, field: str, value: Any, *, required=False, lines=False
) -> str:
    """Text with spaces tidied, within the model field's max_length; `lines` keeps
    one item per line (empty lines dropped)."""
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


def paragraphs(value: Any) -> str:
    """Free text whose line breaks matter (a description): trailing spaces and outer blank
    lines dropped."""
    return "\n".join(line.rstrip() for line in str(value or "").strip().splitlines())


def clean_choice(errors: Errors, field: str, value: Any, allowed) -> str:
    """One of `allowed` (surrounding spaces dropped), or an "invalid_choice" error."""
    text = "" if value is None else str(value).strip()
    if text not in allowed:
        errors.add(
            field,
            _("Choose one of the offered values; “%(value)s” is not one."),
            "invalid_choice",
            {"value": text[:40]},
        )
    return text


def as_date(value: Any) -> dt.date:
    """A date from a date, a datetime (its date) or ISO text; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def clean_past_date(
    errors: Errors,
    field: str,
    value: Any,
    province: Province,
    *,
    earliest: dt.date,
    future_message: str | None = None,
) -> dt.date | None:
    """A required date from `earliest` to today where the province is (WIT is ahead
    of WIB); `future_message` says why a later one is refused."""
    if value in (None, ""):
        errors.add(field, _("Give the date."), "required")
        return None
    try:
        value = as_date(value)
    except ValueError:
        errors.add(field, _("Give a date like 2024-03-17."), "invalid")
        return None
    if value > timezone.localdate(timezone=province.zone):
        errors.add(field, future_message or _("The date cannot be in the future."), "date_future")
    elif value < earliest:
        errors.add(
            field,
            _("The date cannot be before %(earliest)s."),
            "date_too_early",
            {"earliest": earliest.isoformat()},
        )
    return value
