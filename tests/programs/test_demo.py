"""The demo OPOP programs: East Java's since 2019 and South Kalimantan's replicated
from it in August 2022, built through the domain functions, the same every time.

The accounts, the registry and the programs are loaded once for the module,
inside a transaction rolled back at the end.
"""

import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from niaga.accounts.demo import load as load_accounts
from niaga.audit.models import AuditEvent
from niaga.programs import dashboard, demo
from niaga.programs.domain.certificates import certificate_lookup, certificate_public_status
from niaga.programs.models import (
    Assistance,
    Attendance,
    Certificate,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Grant,
    Indicator,
    IndicatorFigure,
    Program,
    Target,
    TrainingSession,
)
from niaga.registry import demo as registry_demo


def load_demo() -> list[str]:
    lines: list[str] = []
    load_accounts(out=lines.append)
    registry_demo.load(out=lines.append)
    demo.load(out=lines.append)
    return lines


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        lines = load_demo()
        yield lines
        transaction.set_rollback(True)


@pytest.fixture
def world(loaded, db):
    with scopes_disabled():
        yield loaded


def digest() -> str:
    tables = [
        (Program, ["slug", "name", "launch_date", "replicated_from_id", "replicated_on"]),
        (Cohort, ["course_id", "name", "starts_on", "ends_on", "status"]),
        (Enrolment, ["cohort_id", "person_id", "status", "score", "completed_on"]),
        (TrainingSession, ["cohort_id", "number", "held_on"]),
        (Attendance, ["session_id", "enrolment_id", "present"]),
        (Certificate, ["enrolment_id"]),
        (Grant, ["pesantren_id", "amount_idr", "granted_on"]),
        (Assistance, ["pesantren_id", "aspect", "given_on"]),
        (IndicatorFigure, ["indicator_id", "as_of", "value", "source_note"]),
        (Target, ["indicator_id", "year", "value"]),
    ]
    hashed = hashlib.sha256()
    for model, fields in tables:
        hashed.update(repr(list(model.objects.order_by("pk").values_list("pk", *fields))).encode())
    return hashed.hexdigest()


def test_loading_again_changes_nothing(world):
    before = digest()
    events = AuditEvent.objects.count()
    load_demo()
    assert digest() == before
    assert AuditEvent.objects.count() == events


def test_east_javas_program_and_its_curriculum(world):
    program = Program.objects.get(slug="opop-jatim")
    assert (program.name, program.launch_date, program.province.slug) == (
        "OPOP Jawa Timur",
        dt.date(2019, 8, 7),
        "jatim",
    )
    assert program.pillars == ["santripreneur", "pesantrenpreneur", "sosiopreneur"]
    assert len(program.aspects) == 5
    modules = list(program.modules.order_by("order").values_list("order", "title"))
    assert [order for order, _title in modules] == [1, 2, 3, 4, 5]
    assert modules[1] == (2, "Koperasi pondok pesantren")


def test_cohorts_from_2019_to_2024_with_registry_people_and_certificates(world):
    program = Program.objects.get(slug="opop-jatim")
    cohorts = list(Cohort.objects.filter(course__program=program))
    assert sorted({c.starts_on.year for c in cohorts}) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert {c.status for c in cohorts} == {CohortStatus.COMPLETED}
    enrolments = Enrolment.objects.filter(cohort__course__program=program).select_related(
        "person", "cohort"
    )
    assert {e.person.province.slug for e in enrolments} == {"jatim"}
    # Nobody takes the same program's training twice in the demo.
    assert max(Counter(e.person_id for e in enrolments).values()) == 1
    graduates = [e for e in enrolments if e.status == EnrolmentStatus.COMPLETED]
    assert len(graduates) > len(enrolments) / 2
    # Closed after the fact, each cohort's graduates completed on its last day.
    assert all(e.completed_on == e.cohort.ends_on for e in graduates)
    assert Certificate.objects.filter(enrolment__in=graduates).count() == len(graduates)
    certificate = Certificate.objects.filter(enrolment__in=graduates).order_by("pk").first()
    status = certificate_public_status(certificate_lookup(certificate.code))
    assert status["status"] == "valid" and status["program"] == "OPOP Jawa Timur"


def test_east_javas_figures_targets_and_dashboard(world):
    program = Program.objects.get(slug="opop-jatim")
    santri = Indicator.objects.get(program=program, key="santripreneurs")
    figure_2022 = IndicatorFigure.objects.get(indicator=santri, as_of=dt.date(2022, 12, 31))
    assert (figure_2022.value, figure_2022.source_note) == (
        239_993,
        "Dinas Koperasi dan UKM Jawa Timur",
    )
    targets = {
        (t.indicator.key, t.year): t.value
        for t in Target.objects.filter(indicator__program=program).select_related("indicator")
    }
    assert targets[("santripreneurs", 2024)] == 1_000_000
    assert targets[("products", 2024)] == 1_000
    summaries = {
        s.key: s for s in dashboard.program_dashboard(program, today=dt.date(2026, 11, 28))
    }
    assert summaries["santripreneurs"].target == 1_000_000
    assert summaries["santripreneurs"].verdict.kind == "missed"
    # 1,040 products at the end of 2024 against 1,000; today the registry
    # demo's own products count.
    assert summaries["products"].verdict.kind == "reached"
    assert summaries["products"].point(2024).value == 1_040
    assert summaries["products"].actual > 1_000
    assert (
        summaries["training_graduates"].actual
        == Enrolment.objects.filter(
            cohort__course__program=program, status=EnrolmentStatus.COMPLETED
        ).count()
    )
    grants = Grant.objects.filter(program=program)
    assert summaries["grants_disbursed"].actual == sum(g.amount_idr for g in grants)


def test_south_kalimantan_replicated_east_javas_structure_in_august_2022(world):
    source = Program.objects.get(slug="opop-jatim")
    program = Program.objects.get(slug="opop-kalsel")
    assert (program.replicated_from_id, program.replicated_on) == (source.pk, dt.date(2022, 8, 18))
    assert "OPOP Jawa Timur" in program.replicated_from_label
    assert list(program.modules.order_by("order").values_list("title", flat=True)) == list(
        source.modules.order_by("order").values_list("title", flat=True)
    )
    targets = {
        (t.indicator.key, t.year): t.value
        for t in Target.objects.filter(indicator__program=program).select_related("indicator")
    }
    assert targets[("santripreneurs", 2024)] == 1_000
    (cohort,) = Cohort.objects.filter(course__program=program)
    people = [e.person for e in Enrolment.objects.filter(cohort=cohort).select_related("person")]
    assert {p.province.slug for p in people} == {"kalsel"}
    assert len({p.pesantren_id for p in people}) == 10
    assert not Grant.objects.filter(program=program).exists()
