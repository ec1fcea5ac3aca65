"""The program domain: creating and changing a program, its team and its curriculum.

Exact errors (field, code, message), edit conflicts, audit events, and who may
and who may not. Messages are read in English unless a test says otherwise.
"""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.programs.domain import programs as domain
from niaga.programs.models import CurriculumModule, Program, TeamMember
from tests.conftest import make_user
from tests.programs.factories import make_course, make_module, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def errors_of(info) -> dict[str, list[tuple[str, str]]]:
    """{field: [(code, message)]} of a raised ValidationError."""
    return {
        field: [(e.code, e.message % (e.params or {})) for e in errors]
        for field, errors in info.value.error_dict.items()
    }


def events(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def audit_count(**filters) -> int:
    with scopes_disabled():
        return AuditEvent.objects.filter(**filters).count()


def orders(program) -> list[tuple[int, str]]:
    with scopes_disabled():
        return list(program.modules.order_by("order").values_list("order", "title"))


KALSEL_FIELDS = {
    "slug": "opop-kalsel",
    "name": "  OPOP   Kalimantan Selatan ",
    "launch_date": dt.date(2022, 8, 17),
    "legal_basis_number": "Pergub Kalsel 033/2022",
    "legal_basis_title": "Program Satu Pesantren Satu Produk",
    "description": "Ekonomi pesantren Banua.\n\n",
    # Given out of order and twice: stored once each, in declared order.
    "pillars": ["sosiopreneur", "santripreneur", "sosiopreneur"],
    "aspects": ["marketing", "institution"],
    "delivery_modes": ["in_class"],
}


# --- Creating a program -----------------------------------------------------------------


def test_an_admin_creates_a_program_and_it_is_audited(kalsel, kalsel_admin):
    program = domain.program_create(actor=kalsel_admin, province=kalsel, **KALSEL_FIELDS)

    with scope(province=kalsel):
        stored = Program.objects.get(slug="opop-kalsel")
    assert stored.pk == program.pk
    assert (stored.name, stored.launch_date, stored.status) == (
        "OPOP Kalimantan Selatan",
        dt.date(2022, 8, 17),
        "active",
    )
    assert stored.description == "Ekonomi pesantren Banua."
    assert stored.pillars == ["santripreneur", "sosiopreneur"]
    assert stored.aspects == ["institution", "marketing"]
    assert stored.delivery_modes == ["in_class"]
    assert (stored.replicated_from, stored.replicated_from_label, stored.version) == (None, "", 1)
    [event] = events("programs.program.create")
    assert (event.actor, event.province, event.object_id) == (kalsel_admin, kalsel, str(program.pk))
    assert event.after == {
        "slug": "opop-kalsel",
        "name": "OPOP Kalimantan Selatan",
        "launch_date": "2022-08-17",
        "legal_basis_number": "Pergub Kalsel 033/2022",
        "legal_basis_title": "Program Satu Pesantren Satu Produk",
        "description": "Ekonomi pesantren Banua.",
        "pillars": ["santripreneur", "sosiopreneur"],
        "aspects": ["institution", "marketing"],
        "delivery_modes": ["in_class"],
        "status": "active",
    }


def test_every_bad_field_is_named_with_its_rule_and_nothing_is_written(kalsel, kalsel_admin):
    too_late = timezone.localdate(timezone=kalsel.zone) + dt.timedelta(days=367)
    with pytest.raises(ValidationError) as info:
        domain.program_create(
            actor=kalsel_admin,
            province=kalsel,
            slug="OPOP Kalsel",
            name="   ",
            launch_date=too_late,
            legal_basis_number="x" * 101,
            pillars=["santripreneur", "pedagang"],
            aspects=["marketing", "tourism"],
            delivery_modes=["online"],
            status="paused",
        )
    latest = (too_late - dt.timedelta(days=1)).isoformat()
    assert errors_of(info) == {
        "slug": [
            (
                "invalid",
                "Use at most 50 lowercase letters, digits and single hyphens between them, "
                "like opop-kalsel.",
            )
        ],
        "name": [("required", "This field is required.")],
        "launch_date": [
            ("too_late", f"A launch can be planned at most a year ahead, until {latest}.")
        ],
        "legal_basis_number": [("max_length", "At most 100 characters; this has 101.")],
        "pillars": [("invalid_choice", "Choose among the offered values; “pedagang” is not one.")],
        "aspects": [("invalid_choice", "Choose among the offered values; “tourism” is not one.")],
        "delivery_modes": [
            ("invalid_choice", "Choose among the offered values; “online” is not one.")
        ],
        "status": [("invalid_choice", "Choose among the offered values; “paused” is not one.")],
    }
    with scopes_disabled():
        assert Program.objects.count() == 0
    assert audit_count() == 0


@pytest.mark.parametrize(
    ("slug", "code", "message"),
    [
        ("", "required", "This field is required."),
        ("new", "reserved", "“new” is reserved; choose another."),
        ("replicate", "reserved", "“replicate” is reserved; choose another."),
        ("opop--kalsel", "invalid", None),
        ("-opop", "invalid", None),
        ("opop_kalsel", "invalid", None),
        ("o" * 51, "invalid", None),
        (
            "opop-jatim",
            "slug_taken",
            "This short name is already used by another program; choose another.",
        ),
    ],
)
def test_the_slug_rules(kalsel, kalsel_admin, opop_jatim, slug, code, message):
    with pytest.raises(ValidationError) as info:
        domain.program_create(actor=kalsel_admin, province=kalsel, slug=slug, name="OPOP Kalsel")
    [(got_code, got_message)] = errors_of(info)["slug"]
    assert got_code == code
    if message:
        assert got_message == message


def test_a_launch_before_opop_began_is_refused(kalsel, kalsel_admin):
    with pytest.raises(ValidationError) as info:
        domain.program_create(
            actor=kalsel_admin,
            province=kalsel,
            slug="opop-kalsel",
            name="OPOP Kalsel",
            launch_date="2018-12-31",
        )
    assert errors_of(info) == {
        "launch_date": [("too_early", "OPOP began in 2019; give a launch date from 2019-01-01.")]
    }


def test_a_launch_planned_within_a_year_is_accepted(kalsel, kalsel_admin):
    planned = timezone.localdate(timezone=kalsel.zone) + dt.timedelta(days=366)
    program = domain.program_create(
        actor=kalsel_admin,
        province=kalsel,
        slug="opop-kalsel",
        name="OPOP Kalsel",
        launch_date=planned.isoformat(),
        status="planned",
    )
    assert (program.launch_date, program.status) == (planned, "planned")


def test_the_messages_follow_the_users_language(kalsel, kalsel_admin):
    with translation.override("id"), pytest.raises(ValidationError) as info:
        domain.program_create(actor=kalsel_admin, province=kalsel, slug="opop-kalsel", name="")
    assert errors_of(info) == {"name": [("required", "Isian ini wajib diisi.")]}


def test_unknown_fields_are_a_programming_error(kalsel, kalsel_admin):
    with pytest.raises(TypeError, match="unknown fields: colour"):
        domain.program_create(
            actor=kalsel_admin, province=kalsel, slug="a", name="b", colour="green"
        )


# --- Changing a program ---------------------------------------------------------------------


def test_an_update_changes_the_fields_and_records_them(jatim, jatim_admin, opop_jatim):
    changed = domain.program_update(
        actor=jatim_admin,
        program=opop_jatim,
        version=1,
        legal_basis_number="Pergub Jatim 62/2019",
        aspects=["financing"],
    )
    assert (changed.version, changed.legal_basis_number, changed.aspects) == (
        2,
        "Pergub Jatim 62/2019",
        ["financing"],
    )
    [event] = events("programs.program.update")
    assert event.before == {
        "legal_basis_number": "",
        "aspects": ["institution", "human_resources", "product", "financing", "marketing"],
        "version": 1,
    }
    assert event.after == {
        "legal_basis_number": "Pergub Jatim 62/2019",
        "aspects": ["financing"],
        "version": 2,
    }


def test_an_update_from_a_stale_version_is_a_conflict(jatim, jatim_admin, opop_jatim):
    domain.program_update(actor=jatim_admin, program=opop_jatim, version=1, name="OPOP Jatim")
    with pytest.raises(ValidationError) as info:
        domain.program_update(actor=jatim_admin, program=opop_jatim, version=1, name="Lain")
    assert [e.code for e in info.value.error_list] == ["conflict"]
    assert info.value.messages == [
        "Someone else changed this record while you were editing it. Nothing was saved; the "
        "form now shows their version."
    ]
    with scope(province=jatim):
        assert Program.objects.get(pk=opop_jatim.pk).name == "OPOP Jatim"
    assert len(events("programs.program.update")) == 1


def test_an_update_that_changes_nothing_records_nothing(jatim_admin, opop_jatim):
    same = domain.program_update(
        actor=jatim_admin, program=opop_jatim, version=1, name=" OPOP  Jawa Timur"
    )
    assert same.version == 1
    assert events("programs.program.update") == []


def test_a_slug_may_not_take_another_programs(jatim_admin, opop_jatim, opop_kalsel):
    with pytest.raises(ValidationError) as info:
        domain.program_update(actor=jatim_admin, program=opop_jatim, version=1, slug="opop-kalsel")
    assert [code for code, _ in errors_of(info)["slug"]] == ["slug_taken"]


# --- Who may ----------------------------------------------------------------------------------


@pytest.fixture
def refused(jatim, kalsel_admin, jatim_program_officer, national_viewer):
    """Everyone who may not change East Java's program, with a pesantren account of Jatim."""
    return {
        "kalsel admin": kalsel_admin,
        "jatim program officer": jatim_program_officer,
        "national viewer": national_viewer,
        "jatim pesantren": make_user("pp-jatim", province=jatim, roles=[Role.PESANTREN]),
        "jatim viewer": make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER]),
    }


def writes(program, module, member, officer):
    """Every write of this module, each as a function of the actor."""
    return {
        "program_create": lambda actor: domain.program_create(
            actor=actor, province=program.province, slug="opop-baru", name="OPOP Baru"
        ),
        "program_update": lambda actor: domain.program_update(
            actor=actor, program=program, version=program.version, name="Nama baru"
        ),
        "team_member_add": lambda actor: domain.team_member_add(
            actor=actor, program=program, user=officer, duty="trainer"
        ),
        "team_member_remove": lambda actor: domain.team_member_remove(actor=actor, member=member),
        "module_create": lambda actor: domain.module_create(
            actor=actor, program=program, title="Modul baru"
        ),
        "module_update": lambda actor: domain.module_update(
            actor=actor, module=module, version=module.version, title="Judul baru"
        ),
        "module_move": lambda actor: domain.module_move(actor=actor, module=module, position=2),
        "module_delete": lambda actor: domain.module_delete(actor=actor, module=module),
    }


@pytest.fixture
def jatim_rows(jatim, opop_jatim, jatim_admin):
    officer = make_user("jatim-trainer", province=jatim, roles=[Role.PROGRAM_OFFICER])
    with scopes_disabled():
        module = make_module(opop_jatim, title="Satu")
        make_module(opop_jatim, title="Dua")
        member = TeamMember.objects.create(
            province=jatim, program=opop_jatim, user=jatim_admin, duty="head"
        )
    return opop_jatim, module, member, officer


@pytest.mark.parametrize(
    "write",
    [
        "program_create",
        "program_update",
        "team_member_add",
        "team_member_remove",
        "module_create",
        "module_update",
        "module_move",
        "module_delete",
    ],
)
def test_only_the_provinces_admin_may_write(jatim_rows, refused, jatim_admin, write):
    calls = writes(*jatim_rows)
    for who, actor in refused.items():
        with pytest.raises(PermissionDenied):
            calls[write](actor)
        assert audit_count() == 0, who
    calls[write](jatim_admin)
    assert audit_count(actor=jatim_admin) == 1


def test_the_system_may_write_without_an_actor(jatim, opop_jatim):
    module = domain.module_create(actor=None, program=opop_jatim, title="Modul sistem")
    assert module.order == 1
    [event] = events("programs.module.create")
    assert (event.actor, event.actor_label) == (None, "system")


# --- The team ---------------------------------------------------------------------------------


def test_an_officer_of_the_province_joins_and_leaves_the_team(
    jatim, jatim_admin, jatim_program_officer, opop_jatim
):
    member = domain.team_member_add(
        actor=jatim_admin, program=opop_jatim, user=jatim_program_officer, duty="coordinator"
    )
    with scope(province=jatim):
        assert list(opop_jatim.team.values_list("user__username", "duty")) == [
            ("jatim-program", "coordinator")
        ]
    [added] = events("programs.team_member.add")
    assert added.after == {
        "program": opop_jatim.pk,
        "user": jatim_program_officer.pk,
        "username": "jatim-program",
        "duty": "coordinator",
    }

    domain.team_member_remove(actor=jatim_admin, member=member)
    with scope(province=jatim):
        assert opop_jatim.team.count() == 0
    [removed] = events("programs.team_member.remove")
    assert (removed.object_id, removed.before) == (str(member.pk), added.after)


def test_who_cannot_join_the_team(jatim, kalsel_program_officer, jatim_admin, opop_jatim):
    pesantren_account = make_user("pp-tebuireng", province=jatim, roles=[Role.PESANTREN])
    gone = make_user(
        "jatim-gone",
        province=jatim,
        roles=[Role.PROGRAM_OFFICER],
        full_name="Budi",
        is_active=False,
    )
    for user in (kalsel_program_officer, pesantren_account, gone):
        with pytest.raises(ValidationError) as info:
            domain.team_member_add(actor=jatim_admin, program=opop_jatim, user=user, duty="trainer")
        assert errors_of(info) == {
            "user": [("not_in_province", "Choose an officer of the Jawa Timur team.")]
        }
    domain.team_member_add(actor=jatim_admin, program=opop_jatim, user=jatim_admin, duty="head")
    with pytest.raises(ValidationError) as info:
        domain.team_member_add(
            actor=jatim_admin, program=opop_jatim, user=jatim_admin, duty="chief"
        )
    assert errors_of(info) == {
        "user": [("already_member", "jatim-admin is already on this program's team.")],
        "duty": [("invalid_choice", "Choose among the offered values; “chief” is not one.")],
    }
    with scopes_disabled():
        assert TeamMember.objects.count() == 1


# --- The curriculum ---------------------------------------------------------------------------


def test_modules_are_appended_in_order_and_audited(jatim, jatim_admin, opop_jatim):
    first = domain.module_create(
        actor=jatim_admin,
        program=opop_jatim,
        title=" Jiwa  santripreneur ",
        hours="12",
        description="Kewirausahaan dalam tradisi pesantren.",
        learning_outcomes="  Menjelaskan nilai berniaga \n\n Memetakan peluang usaha\n",
    )
    second = domain.module_create(actor=jatim_admin, program=opop_jatim, title="Koperasi")
    assert (first.order, second.order) == (1, 2)
    assert first.learning_outcomes == "Menjelaskan nilai berniaga\nMemetakan peluang usaha"
    assert first.outcomes == ["Menjelaskan nilai berniaga", "Memetakan peluang usaha"]
    assert (first.title, first.hours, second.hours) == ("Jiwa santripreneur", 12, 0)
    assert [e.after for e in events("programs.module.create")] == [
        {
            "program": opop_jatim.pk,
            "order": 1,
            "title": "Jiwa santripreneur",
            "description": "Kewirausahaan dalam tradisi pesantren.",
            "hours": 12,
            "learning_outcomes": "Menjelaskan nilai berniaga\nMemetakan peluang usaha",
        },
        {
            "program": opop_jatim.pk,
            "order": 2,
            "title": "Koperasi",
            "description": "",
            "hours": 0,
            "learning_outcomes": "",
        },
    ]


@pytest.mark.parametrize(
    ("hours", "code", "message"),
    [
        ("enam", "invalid", "Give a whole number of hours, like 16."),
        ("-3", "invalid", "Give a whole number of hours, like 16."),
        (2.5, "invalid", "Give a whole number of hours, like 16."),
        (1001, "range", "Give a number of hours from 0 to 1000."),
    ],
)
def test_module_hours_rules(jatim_admin, opop_jatim, hours, code, message):
    with pytest.raises(ValidationError) as info:
        domain.module_create(actor=jatim_admin, program=opop_jatim, title="", hours=hours)
    assert errors_of(info) == {
        "title": [("required", "This field is required.")],
        "hours": [(code, message)],
    }
    assert orders(opop_jatim) == []


def test_a_module_update_records_the_change_and_refuses_a_stale_version(
    jatim, jatim_admin, opop_jatim
):
    with scopes_disabled():
        module = make_module(opop_jatim, title="Koperasi", hours=8)
    changed = domain.module_update(actor=jatim_admin, module=module, version=1, hours=16)
    assert (changed.version, changed.hours) == (2, 16)
    [event] = events("programs.module.update")
    assert (event.before, event.after) == ({"hours": 8, "version": 1}, {"hours": 16, "version": 2})
    with pytest.raises(ValidationError) as info:
        domain.module_update(actor=jatim_admin, module=module, version=1, title="Lain")
    assert [e.code for e in info.value.error_list] == ["conflict"]
    assert orders(opop_jatim) == [(1, "Koperasi")]


def five_modules(program) -> list[CurriculumModule]:
    with scopes_disabled():
        return [make_module(program, title=title) for title in "ABCDE"]


@pytest.mark.parametrize(("start", "to"), list(itertools.product(range(1, 6), range(1, 6))))
def test_a_move_keeps_the_orders_one_to_n(jatim_admin, opop_jatim, start, to):
    """Every move of a five-module curriculum: the module lands at `to`, the others
    keep their sequence, orders stay 1..5 (on PostgreSQL too, where the unique
    constraint is checked row by row)."""
    modules = five_modules(opop_jatim)
    domain.module_move(actor=jatim_admin, module=modules[start - 1], position=to)
    expected = list("ABCDE")
    expected.insert(to - 1, expected.pop(start - 1))
    assert orders(opop_jatim) == list(enumerate(expected, 1))
    moves = events("programs.module.move")
    if start == to:
        assert moves == []
    else:
        assert [(m.before, m.after) for m in moves] == [({"order": start}, {"order": to})]


def test_a_move_out_of_range_is_refused(jatim_admin, opop_jatim):
    modules = five_modules(opop_jatim)
    for position in (0, 6, "x"):
        with pytest.raises(ValidationError) as info:
            domain.module_move(actor=jatim_admin, module=modules[0], position=position)
        assert errors_of(info) == {"order": [("range", "Give a place from 1 to 5.")]}
    assert orders(opop_jatim) == list(enumerate("ABCDE", 1))


def test_deleting_a_module_closes_the_gap(jatim_admin, opop_jatim):
    modules = five_modules(opop_jatim)
    domain.module_delete(actor=jatim_admin, module=modules[1])
    assert orders(opop_jatim) == [(1, "A"), (2, "C"), (3, "D"), (4, "E")]
    domain.module_delete(actor=jatim_admin, module=modules[0])
    domain.module_delete(actor=jatim_admin, module=modules[4])
    assert orders(opop_jatim) == [(1, "C"), (2, "D")]
    [first, *_] = events("programs.module.delete")
    assert first.before == {
        "program": opop_jatim.pk,
        "order": 2,
        "title": "B",
        "description": "",
        "hours": 8,
        "learning_outcomes": "",
    }
    # Appending after deletions continues the sequence.
    assert domain.module_create(actor=jatim_admin, program=opop_jatim, title="F").order == 3


def test_a_module_that_a_course_teaches_is_not_deleted(jatim_admin, opop_jatim):
    modules = five_modules(opop_jatim)
    with scopes_disabled():
        for title in ("Santripreneur Dasar", "Kelas Koperasi"):
            make_course(opop_jatim, title=title).modules.set([modules[2]])
    with pytest.raises(ValidationError) as info:
        domain.module_delete(actor=jatim_admin, module=modules[2])
    assert [e.code for e in info.value.error_list] == ["module_in_use"]
    assert info.value.messages == [
        "This module is taught in “Kelas Koperasi”, “Santripreneur Dasar”; take it out of "
        "them first."
    ]
    assert len(orders(opop_jatim)) == 5
    assert events("programs.module.delete") == []


def test_another_provinces_program_is_out_of_reach_of_a_module_write(
    kalsel_admin, opop_jatim, opop_kalsel
):
    """An admin of Kalsel cannot add a module to Jatim's program even through the domain."""
    with pytest.raises(PermissionDenied):
        domain.module_create(actor=kalsel_admin, program=opop_jatim, title="Sisipan")
    assert orders(opop_jatim) == []


def test_programs_keep_their_own_numbering(jatim_admin, kalsel_admin, opop_jatim, opop_kalsel):
    domain.module_create(actor=jatim_admin, program=opop_jatim, title="J1")
    domain.module_create(actor=kalsel_admin, program=opop_kalsel, title="K1")
    domain.module_create(actor=jatim_admin, program=opop_jatim, title="J2")
    assert orders(opop_jatim) == [(1, "J1"), (2, "J2")]
    assert orders(opop_kalsel) == [(1, "K1")]


def test_make_program_defaults_are_valid_for_update(jatim, jatim_admin):
    with scopes_disabled():
        program = make_program(jatim)
    assert (
        domain.program_update(actor=jatim_admin, program=program, version=1, status="closed").status
        == "closed"
    )
