"""Small builders for program rows, straight into the database (no domain rules).

Like tests/registry/factories.py: a test of a domain function builds its world
with these and calls only the function under test. Call them inside a province
scope or with scopes disabled.
"""

import datetime
import itertools

from niaga.programs.models import (
    Cohort,
    Course,
    CurriculumModule,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Indicator,
    IndicatorKey,
    IndicatorSource,
    Program,
    SupportAspect,
)
from niaga.regions.models import Province
from niaga.registry.models import Pillar

_serial = itertools.count(1)


def make_program(province: Province, **fields) -> Program:
    number = next(_serial)
    fields.setdefault("slug", f"opop-uji-{number}")
    fields.setdefault("name", f"OPOP Uji {number}")
    fields.setdefault("launch_date", datetime.date(2019, 8, 7))
    fields.setdefault("pillars", list(Pillar.values))
    fields.setdefault("aspects", list(SupportAspect.values))
    fields.setdefault("delivery_modes", [DeliveryMode.IN_CLASS])
    return Program.objects.create(province=province, **fields)


def make_module(program: Program, **fields) -> CurriculumModule:
    fields.setdefault("order", program.modules.count() + 1)
    fields.setdefault("title", f"Modul {fields['order']}")
    fields.setdefault("hours", 8)
    return CurriculumModule.objects.create(province=program.province, program=program, **fields)


def make_course(program: Program, **fields) -> Course:
    fields.setdefault("title", f"Pelatihan Santripreneur {next(_serial)}")
    fields.setdefault("delivery_mode", DeliveryMode.IN_CLASS)
    return Course.objects.create(province=program.province, program=program, **fields)


def make_cohort(course: Course, **fields) -> Cohort:
    fields.setdefault("name", f"Angkatan {next(_serial)}")
    fields.setdefault("starts_on", datetime.date(2024, 3, 4))
    fields.setdefault("ends_on", fields["starts_on"] + datetime.timedelta(days=4))
    fields.setdefault("venue", "UNUSA, Surabaya")
    fields.setdefault("capacity", 20)
    return Cohort.objects.create(province=course.province, course=course, **fields)


def make_enrolment(cohort: Cohort, person, **fields) -> Enrolment:
    fields.setdefault("status", EnrolmentStatus.ENROLLED)
    return Enrolment.objects.create(
        province=cohort.province, cohort=cohort, person=person, **fields
    )


def make_indicator(program: Program, key: str, **fields) -> Indicator:
    fields.setdefault("name", str(IndicatorKey(key).label))
    fields.setdefault("source", IndicatorSource.COMPUTED)
    return Indicator.objects.create(province=program.province, program=program, key=key, **fields)
