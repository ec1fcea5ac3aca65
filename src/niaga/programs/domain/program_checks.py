"""What is specific to a program's own fields (`programs`, `program_replication`):
its permissions, the rules of its slug, launch date and choices, and saving it.

The helpers every domain module shares (`Errors`, `require`, `locked`,
`clean_text`…) are in `checks`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from niaga.programs.domain.checks import Errors, as_date, clean_text, paragraphs
from niaga.programs.models import DeliveryMode, Program, ProgramStatus, SupportAspect
from niaga.regions.models import Province
from niaga.registry.models import Pillar

MANAGE = "programs.manage_program"
REPLICATE = "programs.replicate_program"
PROGRAM_FIELDS = [
    "slug",
    "name",
    "launch_date",
    "legal_basis_number",
    "legal_basis_title",
    "description",
    "pillars",
    "aspects",
    "delivery_modes",
    "status",
]
# OPOP began in 2019 (East Java on 7 August, West Java the same year): an
# earlier launch date is a typing mistake. A launch may be planned, but not
# further ahead than a year.
EARLIEST_LAUNCH = dt.date(2019, 1, 1)
LAUNCH_AHEAD_DAYS = 366
# The path segments that follow /programs/ besides a program's slug.
RESERVED_SLUGS = frozenset({"new", "replicate"})
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- Checking input ------------------------------------------------------------


def slug_taken(slug: str, current_pk: int | None) -> bool:
    # Slugs are unique across provinces (the API and public pages name a
    # program by slug alone), so the check looks past the province scope.
    with scopes_disabled():
        return Program.objects.filter(slug=slug).exclude(pk=current_pk).exists()


def slug_taken_error() -> ValidationError:
    return ValidationError(
        _("This short name is already used by another program; choose another."),
        code="slug_taken",
    )


def clean_slug(errors: Errors, value: Any, current_pk: int | None) -> str:
    slug = "" if value is None else str(value).strip()
    if not slug:
        errors.add("slug", _("This field is required."), "required")
    elif len(slug) > Program._meta.get_field("slug").max_length or not SLUG_PATTERN.match(slug):
        errors.add(
            "slug",
            _(
                "Use at most 50 lowercase letters, digits and single hyphens between them, "
                "like opop-kalsel."
            ),
            "invalid",
        )
    elif slug in RESERVED_SLUGS:
        errors.add("slug", _("“%(slug)s” is reserved; choose another."), "reserved", {"slug": slug})
    elif slug_taken(slug, current_pk):
        errors.extend("slug", [slug_taken_error()])
    return slug


def clean_launch_date(errors: Errors, value: Any, province: Province) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        value = as_date(value)
    except ValueError:
        errors.add("launch_date", _("Give a date like 2019-08-07."), "invalid")
        return None
    # "Today" where the program runs: WIT is two hours ahead of WIB.
    latest = timezone.localdate(timezone=province.zone) + dt.timedelta(days=LAUNCH_AHEAD_DAYS)
    if value < EARLIEST_LAUNCH:
        errors.add(
            "launch_date",
            _("OPOP began in 2019; give a launch date from %(earliest)s."),
            "too_early",
            {"earliest": EARLIEST_LAUNCH.isoformat()},
        )
    elif value > latest:
        errors.add(
            "launch_date",
            _("A launch can be planned at most a year ahead, until %(latest)s."),
            "too_late",
            {"latest": latest.isoformat()},
        )
    return value


def clean_subset(errors: Errors, field: str, value: Any, choices) -> list[str]:
    """Values of `choices`, each once, in their declared order."""
    if value in (None, ""):
        value = []
    if isinstance(value, str):
        value = [value]
    given = [str(item) for item in value]
    unknown = [item for item in given if item not in choices.values]
    if unknown:
        errors.add(
            field,
            _("Choose among the offered values; “%(value)s” is not one."),
            "invalid_choice",
            {"value": unknown[0][:40]},
        )
    return [item for item in choices.values if item in given]


def clean_program(data: dict, *, province: Province, current_pk: int | None) -> dict:
    """The stored form of every program field, or ValidationError naming each bad field."""
    errors = Errors()
    clean: dict[str, Any] = {
        "slug": clean_slug(errors, data.get("slug"), current_pk),
        "name": clean_text(errors, Program, "name", data.get("name"), required=True),
        "launch_date": clean_launch_date(errors, data.get("launch_date"), province),
        "legal_basis_number": clean_text(
            errors, Program, "legal_basis_number", data.get("legal_basis_number")
        ),
        "legal_basis_title": clean_text(
            errors, Program, "legal_basis_title", data.get("legal_basis_title")
        ),
        "description": paragraphs(data.get("description")),
        "pillars": clean_subset(errors, "pillars", data.get("pillars"), Pillar),
        "aspects": clean_subset(errors, "aspects", data.get("aspects"), SupportAspect),
        "delivery_modes": clean_subset(
            errors, "delivery_modes", data.get("delivery_modes"), DeliveryMode
        ),
    }
    status = str(data.get("status") or ProgramStatus.ACTIVE)
    if status not in ProgramStatus.values:
        errors.add(
            "status",
            _("Choose among the offered values; “%(value)s” is not one."),
            "invalid_choice",
            {"value": status[:40]},
        )
    clean["status"] = status
    errors.raise_any()
    return clean


def save_program(program: Program) -> None:
    """Save in a savepoint; a slug taken meanwhile by a concurrent writer becomes
    the field's error instead of a database error."""
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:
        if slug_taken(program.slug, program.pk):
            raise ValidationError({"slug": slug_taken_error()}) from None
        raise
