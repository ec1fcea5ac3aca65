"""Replicating another province's OPOP program: its structure, never its people.

South Kalimantan launched its OPOP in August 2022 by copying East Java's. A
replica is a NEW program of the replicating province with the source's
pillars, aspects of support, delivery modes, description, curriculum modules,
courses (title, description, delivery mode, completion rules and module
links), indicator definitions and province-level targets, and a record of
where it came from. Nothing personal or historical crosses: no team, people,
pesantren, cohorts, enrolments, attendance, scores, certificates, grants,
assistance, evidence or indicator figures. Regency-level targets stay behind
too: regencies belong to the source province.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from niaga.audit.domain import record, snapshot
from niaga.programs.domain.checks import Errors, require
from niaga.programs.domain.program_checks import (
    PROGRAM_FIELDS,
    REPLICATE,
    clean_program,
    save_program,
)
from niaga.programs.models import (
    Course,
    CurriculumModule,
    DeliveryMode,
    Indicator,
    Program,
    ProgramStatus,
    SupportAspect,
    Target,
)
from niaga.regions.models import Province
from niaga.registry.models import Pillar

COURSE_FIELDS = [
    "title",
    "description",
    "delivery_mode",
    "min_attendance_percent",
    "passing_score",
]
MODULE_FIELDS = ["order", "title", "description", "hours", "learning_outcomes"]
INDICATOR_FIELDS = ["key", "name", "source", "order"]


@dataclass(frozen=True)
class Copied:
    """What a replication copied, for the message that follows it."""

    source_name: str
    source_province: str
    modules: int
    courses: int
    indicators: int
    targets: int
    # The source's regency-level targets, which stay behind.
    regency_targets_left: int


def _known(values, choices) -> list[str]:
    # A value the source holds but the choices no longer offer is dropped, so
    # that the replicating admin is not blamed for the source's old data.
    return [value for value in values or [] if value in choices.values]


def _source_errors(errors: Errors, source: Program | None, province: Province) -> None:
    if source is None:
        errors.add("source", _("Choose a program of another province."), "invalid")
    elif source.province_id == province.pk:
        errors.add(
            "source",
            _("This program is already %(province)s's own; replicate another province's."),
            "same_province",
            {"province": province.name},
        )


def program_replicate(
    *,
    actor,
    source: Program | int,
    province: Province,
    slug: str,
    name: str,
    launch_date: dt.date | str | None = None,
    legal_basis_number: str = "",
    legal_basis_title: str = "",
    replicated_on: dt.date | None = None,
) -> Program:
    """Create a NEW program of `province` with the structure of `source`, another
    province's program (instance or id).

    Copied: pillars, aspects, delivery modes and description; the curriculum
    modules (order, title, description, hours, learning outcomes); the courses
    (title, description, delivery mode, minimum attendance, passing score and
    their module links, mapped to the new modules); the indicator definitions
    (key, name, source, order) and each indicator's province-level targets
    (year and value). Never copied: the team, people, pesantren, cohorts and
    everything in them, certificates, grants, assistance, indicator figures,
    and regency-level targets (regencies belong to the source's province).
    The new program records its origin: `replicated_from`,
    `replicated_from_label` ("OPOP Jawa Timur (Jawa Timur)") and
    `replicated_on`, today in the province's zone. `replicated_on` may be
    given by the system only (actor None: the demo's history).

    Rules: `source` exists and belongs to another province ("invalid",
    "same_province" on `source`); `slug`, `name`, `launch_date` and the legal
    basis as in `program_create`. Its status is active when it has launched
    (launch date today or earlier), planned otherwise. Side effect: audit
    `programs.program.replicate` with the source and the counts copied.
    Returns the new program, with `program.copied` (a `Copied`) saying what
    was copied. Errors: PermissionDenied without programs.replicate_program
    in `province`; ValidationError per field.
    """
    if replicated_on is not None and actor is not None:
        raise TypeError("only the system (actor None) gives replicated_on")
    require(actor, REPLICATE, province)
    today = timezone.localdate(timezone=province.zone)
    with transaction.atomic():
        # A deliberate cross-province read: replicating means reading another
        # province's program, which its scope would hide. Only its structure
        # is read (no person, pesantren or figure), and it is locked so that
        # its curriculum cannot be renumbered halfway through the copy.
        with scopes_disabled():
            found = (
                Program.objects.select_for_update().filter(pk=getattr(source, "pk", source)).first()
            )
            origin_province = Province.objects.get(pk=found.province_id) if found else None
        errors = Errors()
        _source_errors(errors, found, province)
        data = {
            "slug": slug,
            "name": name,
            "launch_date": launch_date,
            "legal_basis_number": legal_basis_number,
            "legal_basis_title": legal_basis_title,
            "description": found.description if found else "",
            "pillars": _known(found.pillars, Pillar) if found else [],
            "aspects": _known(found.aspects, SupportAspect) if found else [],
            "delivery_modes": _known(found.delivery_modes, DeliveryMode) if found else [],
        }
        try:
            clean = clean_program(data, province=province, current_pk=None)
        except ValidationError as error:
            for field, messages in error.error_dict.items():
                errors.extend(field, messages)
        errors.raise_any()
        launched = clean["launch_date"] is not None and clean["launch_date"] <= today
        clean["status"] = ProgramStatus.ACTIVE if launched else ProgramStatus.PLANNED
        with scopes_disabled():
            modules = list(CurriculumModule.objects.filter(program=found).order_by("order", "pk"))
            courses = list(Course.objects.filter(program=found).order_by("pk"))
            links = list(
                Course.modules.through.objects.filter(course__program=found)
                .order_by("pk")
                .values_list("course_id", "curriculummodule_id")
            )
            indicators = list(Indicator.objects.filter(program=found).order_by("order", "pk"))
            targets = list(
                Target.objects.filter(indicator__program=found, regency__isnull=True).order_by(
                    "indicator_id", "year"
                )
            )
            regency_targets = Target.objects.filter(
                indicator__program=found, regency__isnull=False
            ).count()
        with scope(province=province):
            program = Program(
                province=province,
                replicated_from=found,
                replicated_from_label=f"{found.name} ({origin_province.name})"[:250],
                replicated_on=replicated_on or today,
                **clean,
            )
            save_program(program)
            copied = _copy(program, modules, courses, links, indicators, targets)
            program.copied = Copied(
                source_name=found.name,
                source_province=origin_province.name,
                regency_targets_left=regency_targets,
                **copied,
            )
            record(
                actor=actor,
                action="programs.program.replicate",
                province=province,
                obj=program,
                after={
                    **snapshot(program, PROGRAM_FIELDS),
                    "replicated_from": found.pk,
                    "replicated_from_label": program.replicated_from_label,
                    "replicated_on": program.replicated_on,
                    "copied": {**copied, "regency_targets_left": regency_targets},
                },
            )
    return program


def _copy(program: Program, modules, courses, links, indicators, targets) -> dict[str, int]:
    """Write the copies into `program`; {what: how many}. Inside the caller's transaction."""
    province = program.province
    new_modules = CurriculumModule.objects.bulk_create(
        CurriculumModule(
            province=province,
            program=program,
            **{field: getattr(module, field) for field in MODULE_FIELDS},
        )
        for module in modules
    )
    module_of = {old.pk: new.pk for old, new in zip(modules, new_modules, strict=True)}
    new_courses = Course.objects.bulk_create(
        Course(
            province=province,
            program=program,
            **{field: getattr(course, field) for field in COURSE_FIELDS},
        )
        for course in courses
    )
    course_of = {old.pk: new.pk for old, new in zip(courses, new_courses, strict=True)}
    Course.modules.through.objects.bulk_create(
        Course.modules.through(course_id=course_of[course], curriculummodule_id=module_of[module])
        for course, module in links
        # A link to another program's module would be bad data in the source; it
        # is not carried over (the copy links only its own modules).
        if module in module_of
    )
    new_indicators = Indicator.objects.bulk_create(
        Indicator(
            province=province,
            program=program,
            **{field: getattr(indicator, field) for field in INDICATOR_FIELDS},
        )
        for indicator in indicators
    )
    indicator_of = {old.pk: new.pk for old, new in zip(indicators, new_indicators, strict=True)}
    Target.objects.bulk_create(
        Target(
            province=province,
            indicator_id=indicator_of[target.indicator_id],
            year=target.year,
            value=target.value,
        )
        for target in targets
    )
    return {
        "modules": len(new_modules),
        "courses": len(new_courses),
        "indicators": len(new_indicators),
        "targets": len(targets),
    }
