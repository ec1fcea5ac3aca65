"""Replicating East Java's program into South Kalimantan: the structure is copied
exactly, nothing personal or historical crosses, the origin is recorded, and only
South Kalimantan's admin may do it, from another province's program."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from niaga.audit.models import AuditEvent
from niaga.programs.domain import programs as domain
from niaga.programs.models import (
    Assistance,
    Cohort,
    Course,
    CurriculumModule,
    Grant,
    Indicator,
    IndicatorFigure,
    Program,
    Target,
    TeamMember,
)
from tests.programs.programs_world import JATIM_MODULES, furnish_jatim, life_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def source(opop_jatim, jatim_admin):
    return furnish_jatim(opop_jatim, officer=jatim_admin)


def replicate(actor, source, province, **fields):
    fields.setdefault("slug", "opop-kalsel")
    fields.setdefault("name", "OPOP Kalimantan Selatan")
    fields.setdefault("launch_date", dt.date(2022, 8, 17))
    return domain.program_replicate(actor=actor, source=source, province=province, **fields)


def structure(program: Program) -> dict:
    """Everything a replica should share with its source, without ids or provinces."""
    with scopes_disabled():
        modules = list(
            CurriculumModule.objects.filter(program=program)
            .order_by("order")
            .values_list("order", "title", "description", "hours", "learning_outcomes")
        )
        courses = []
        for course in Course.objects.filter(program=program).order_by("title"):
            linked = list(course.modules.order_by("order").values_list("program_id", "order"))
            assert {program_id for program_id, _ in linked} <= {program.pk}
            courses.append(
                (
                    course.title,
                    course.description,
                    course.delivery_mode,
                    course.min_attendance_percent,
                    course.passing_score,
                    [order for _, order in linked],
                )
            )
        indicators = list(
            Indicator.objects.filter(program=program)
            .order_by("order")
            .values_list("key", "name", "source", "order")
        )
        targets = list(
            Target.objects.filter(indicator__program=program, regency__isnull=True)
            .order_by("indicator__order", "year")
            .values_list("indicator__key", "year", "value")
        )
    return {
        "pillars": program.pillars,
        "aspects": program.aspects,
        "delivery_modes": program.delivery_modes,
        "description": program.description,
        "modules": modules,
        "courses": courses,
        "indicators": indicators,
        "targets": targets,
    }


def test_the_structure_is_copied_exactly(kalsel, kalsel_admin, source):
    today = timezone.localdate(timezone=kalsel.zone)
    copy = replicate(
        kalsel_admin,
        source.program,
        kalsel,
        legal_basis_number="Pergub Kalsel 033/2022",
        legal_basis_title="OPOP Kalimantan Selatan",
    )

    expected = structure(source.program)
    assert structure(copy) == expected
    # What the world built, spelled out, so that a wrong world cannot pass the test.
    assert expected["modules"] == [
        (order, title, "", hours, outcomes)
        for order, (title, hours, outcomes) in enumerate(JATIM_MODULES, 1)
    ]
    assert expected["courses"] == [
        ("Santripreneur Dasar", "Kelas dasar lima hari.", "in_class", 80, 70, [1, 2]),
        ("Santripreneur Penuh", "", "full_program", 90, 75, [3, 4, 5]),
    ]
    assert expected["indicators"] == [
        ("santripreneurs", "Santripreneurs", "computed", 1),
        ("products", "Produk OPOP", "entered", 2),
        ("training_graduates", "Training graduates", "computed", 3),
    ]
    assert expected["targets"] == [
        ("santripreneurs", 2023, 500_000),
        ("santripreneurs", 2024, 1_000_000),
        ("products", 2024, 1_000),
    ]
    assert expected["delivery_modes"] == ["in_class", "full_program"]
    # The new program's own facts and its origin.
    with scope(province=kalsel):
        stored = Program.objects.get(pk=copy.pk)
    assert (stored.province, stored.slug, stored.name, stored.launch_date, stored.status) == (
        kalsel,
        "opop-kalsel",
        "OPOP Kalimantan Selatan",
        dt.date(2022, 8, 17),
        "active",
    )
    assert (stored.legal_basis_number, stored.legal_basis_title) == (
        "Pergub Kalsel 033/2022",
        "OPOP Kalimantan Selatan",
    )
    assert stored.replicated_from_id == source.program.pk
    assert stored.replicated_from_label == "OPOP Jawa Timur (Jawa Timur)"
    assert stored.replicated_on in {today, timezone.localdate(timezone=kalsel.zone)}
    assert stored.version == 1


def test_every_copied_row_belongs_to_the_new_province(kalsel, kalsel_admin, source):
    copy = replicate(kalsel_admin, source.program, kalsel)
    with scopes_disabled():
        for model, link in [
            (CurriculumModule, "program"),
            (Course, "program"),
            (Indicator, "program"),
            (Target, "indicator__program"),
        ]:
            rows = model.objects.filter(**{link: copy})
            assert rows.exists(), model
            assert set(rows.values_list("province", flat=True)) == {kalsel.pk}, model
    # Read in South Kalimantan's scope, the copy is whole; in East Java's, invisible.
    with scope(province=kalsel):
        assert CurriculumModule.objects.filter(program=copy).count() == 5
        assert Course.modules.through.objects.filter(course__program=copy).count() == 5
    with scope(province=source.program.province):
        assert not Program.objects.filter(pk=copy.pk).exists()


def test_nothing_personal_or_historical_is_copied(kalsel, kalsel_admin, source):
    before = life_counts()
    with scopes_disabled():
        source_rows = {
            "modules": CurriculumModule.objects.filter(program=source.program).count(),
            "targets": Target.objects.filter(indicator__program=source.program).count(),
            "team": TeamMember.objects.filter(program=source.program).count(),
        }
    assert min(before.values()) >= 1, before  # the source really has a life

    copy = replicate(kalsel_admin, source.program, kalsel)

    assert life_counts() == before
    with scopes_disabled():
        assert not TeamMember.objects.filter(program=copy).exists()
        assert not Cohort.objects.filter(course__program=copy).exists()
        assert not Grant.objects.filter(program=copy).exists()
        assert not Assistance.objects.filter(program=copy).exists()
        assert not IndicatorFigure.objects.filter(indicator__program=copy).exists()
        # The regency target (Surabaya) stays behind: regencies belong to East Java.
        assert not Target.objects.filter(indicator__program=copy, regency__isnull=False).exists()
        assert Target.objects.filter(indicator__program=copy).count() == 3
        # The source is untouched.
        assert source_rows == {
            "modules": CurriculumModule.objects.filter(program=source.program).count(),
            "targets": Target.objects.filter(indicator__program=source.program).count(),
            "team": TeamMember.objects.filter(program=source.program).count(),
        }
    assert copy.copied == domain.Copied(
        source_name="OPOP Jawa Timur",
        source_province="Jawa Timur",
        modules=5,
        courses=2,
        indicators=3,
        targets=3,
        regency_targets_left=1,
    )


def test_the_replication_is_audited_with_its_origin_and_counts(kalsel, kalsel_admin, source):
    copy = replicate(kalsel_admin, source.program, kalsel)
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(action="programs.program.replicate")
        assert AuditEvent.objects.filter(province=source.program.province).count() == 0
    assert (event.actor, event.province, event.object_id) == (kalsel_admin, kalsel, str(copy.pk))
    assert event.after == {
        "slug": "opop-kalsel",
        "name": "OPOP Kalimantan Selatan",
        "launch_date": "2022-08-17",
        "legal_basis_number": "",
        "legal_basis_title": "",
        "description": "Program ekonomi pesantren Jawa Timur.\nTiga pilar, lima aspek.",
        "pillars": ["santripreneur", "pesantrenpreneur", "sosiopreneur"],
        "aspects": ["institution", "human_resources", "product", "financing", "marketing"],
        "delivery_modes": ["in_class", "full_program"],
        "status": "active",
        "replicated_from": source.program.pk,
        "replicated_from_label": "OPOP Jawa Timur (Jawa Timur)",
        "replicated_on": copy.replicated_on.isoformat(),
        "copied": {
            "modules": 5,
            "courses": 2,
            "indicators": 3,
            "targets": 3,
            "regency_targets_left": 1,
        },
    }


def test_a_replica_not_launched_yet_is_planned(kalsel, kalsel_admin, source):
    later = timezone.localdate(timezone=kalsel.zone) + dt.timedelta(days=30)
    assert replicate(kalsel_admin, source.program, kalsel, launch_date=later).status == "planned"
    assert (
        replicate(kalsel_admin, source.program, kalsel, slug="opop-kalsel-2", launch_date=None)
    ).status == "planned"


def test_a_province_may_replicate_one_source_twice_under_two_slugs(kalsel, kalsel_admin, source):
    first = replicate(kalsel_admin, source.program, kalsel)
    second = replicate(kalsel_admin, source.program, kalsel, slug="opop-kalsel-santri")
    assert structure(first) == structure(second)
    with scope(province=kalsel):
        assert Program.objects.count() == 2


def test_a_replica_can_be_replicated_on(kalsel, kalsel_admin, source, jatim, jatim_admin):
    """Origin chains: East Java may in turn replicate Kalsel's copy (as "OPOP Kalsel")."""
    copy = replicate(kalsel_admin, source.program, kalsel)
    again = domain.program_replicate(
        actor=jatim_admin, source=copy.pk, province=jatim, slug="opop-jatim-2", name="OPOP 2"
    )
    assert again.replicated_from_label == "OPOP Kalimantan Selatan (Kalimantan Selatan)"
    assert structure(again)["modules"] == structure(source.program)["modules"]


# --- Refused --------------------------------------------------------------------------------


def test_a_province_cannot_replicate_its_own_program(jatim, jatim_admin, source):
    with pytest.raises(ValidationError) as info:
        replicate(jatim_admin, source.program, jatim, slug="opop-jatim-copy")
    assert {
        f: [(e.code, e.messages[0]) for e in es] for f, es in info.value.error_dict.items()
    } == {
        "source": [
            (
                "same_province",
                "This program is already Jawa Timur's own; replicate another province's.",
            )
        ]
    }
    with scopes_disabled():
        assert Program.objects.count() == 1


def test_bad_input_names_every_field_and_copies_nothing(kalsel, kalsel_admin, source):
    with pytest.raises(ValidationError) as info:
        replicate(
            kalsel_admin,
            source.program,
            kalsel,
            slug="opop-jatim",
            name="",
            launch_date="2019-13-01",
        )
    assert {f: [e.code for e in es] for f, es in info.value.error_dict.items()} == {
        "slug": ["slug_taken"],
        "name": ["required"],
        "launch_date": ["invalid"],
    }
    with pytest.raises(ValidationError) as info:
        replicate(kalsel_admin, 999_999, kalsel)
    assert info.value.message_dict == {"source": ["Choose a program of another province."]}
    with scopes_disabled():
        assert Program.objects.count() == 1
        assert CurriculumModule.objects.count() == 5
        assert AuditEvent.objects.filter(action="programs.program.replicate").count() == 0


def test_only_the_replicating_provinces_admin_may_replicate(
    kalsel, jatim_admin, kalsel_program_officer, national_viewer, kalsel_viewer, source
):
    for actor in (jatim_admin, kalsel_program_officer, national_viewer, kalsel_viewer):
        with pytest.raises(PermissionDenied):
            replicate(actor, source.program, kalsel)
    with scopes_disabled():
        assert Program.objects.count() == 1


def test_only_the_system_backdates_a_replication(kalsel, kalsel_admin, source):
    with pytest.raises(TypeError):
        replicate(kalsel_admin, source.program, kalsel, replicated_on=dt.date(2022, 8, 17))
    copy = replicate(None, source.program, kalsel, replicated_on=dt.date(2022, 8, 17))
    assert copy.replicated_on == dt.date(2022, 8, 17)


def test_the_label_keeps_the_origin_as_it_was_replicated(kalsel, kalsel_admin, source):
    copy = replicate(kalsel_admin, source.program, kalsel)
    with scopes_disabled():
        Program.objects.filter(pk=source.program.pk).update(name="Nama baru")
        copy.refresh_from_db()
    assert (copy.replicated_from_id, copy.replicated_from_label) == (
        source.program.pk,
        "OPOP Jawa Timur (Jawa Timur)",
    )
