"""The program pages: list, program page, program form, team, curriculum, and
replication; who may see and change them, province isolation, query counts.

Pages are read in English (the language cookie): their Indonesian texts come
with the catalogue; the month of the origin line is checked in Indonesian too.
"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.programs import queries
from niaga.programs.domain import programs as domain
from niaga.programs.models import CurriculumModule, Program, TeamMember
from niaga.regions.models import Province
from tests.conftest import make_user
from tests.programs.factories import make_course, make_module, make_program
from tests.programs.programs_world import furnish_jatim

pytestmark = pytest.mark.django_db


def url(name, province="kalsel", **kwargs):
    return reverse(f"province:{name}", kwargs={"province": province, **kwargs})


def program_url(name, program="opop-kalsel", province="kalsel", **kwargs):
    return url(name, province=province, program=program, **kwargs)


def squash(html) -> str:
    """The page's text with tags dropped and spaces collapsed, for phrase assertions."""
    if not isinstance(html, str):
        html = html.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(response, element_id: str) -> str:
    """The squashed text of the element with `element_id` (to its closing tag)."""
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>', html)
    assert match, element_id
    tag = match.group(1)
    rest = html[match.end() :]
    depth, position = 1, 0
    for found in re.finditer(rf"<(/?){tag}\b[^>]*>", rest):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            position = found.start()
            break
    return squash(rest[:position])


def flashes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def as_user(client):
    def log_in(user):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def world(jatim, kalsel, jatim_admin, kalsel_admin, opop_jatim):
    """East Java's furnished program and South Kalimantan's copy of it, made in
    August 2022 (the system backdates it, as the demo does), with a team."""
    source = furnish_jatim(opop_jatim, officer=jatim_admin)
    copy = domain.program_replicate(
        actor=None,
        source=source.program,
        province=kalsel,
        slug="opop-kalsel",
        name="OPOP Kalimantan Selatan",
        launch_date=dt.date(2022, 8, 17),
        legal_basis_number="Pergub Kalsel 033/2022",
        legal_basis_title="Program OPOP Kalimantan Selatan",
        replicated_on=dt.date(2022, 8, 17),
    )
    officer = make_user(
        "kalsel-trainer",
        province=kalsel,
        roles=[Role.PROGRAM_OFFICER],
        full_name="Rahmat Hidayat",
    )
    with scopes_disabled():
        TeamMember.objects.create(province=kalsel, program=copy, user=officer, duty="trainer")
        TeamMember.objects.create(province=kalsel, program=copy, user=kalsel_admin, duty="head")
    return {"source": source, "copy": copy, "officer": officer}


# --- The list ------------------------------------------------------------------------------


def test_the_list_shows_the_provinces_programs_with_their_origin(as_user, world, kalsel_viewer):
    response = as_user(kalsel_viewer).get(url("program_list"))
    assert response.status_code == 200
    assert section(response, "program-table") == (
        "Programs of this province, by name Program Launch date Status Modules Origin "
        "OPOP Kalimantan Selatan 17 August 2022 Active 5 "
        "Replicated from OPOP Jawa Timur, August 2022"
    )
    page = response.content.decode()
    assert f'href="{program_url("program_detail")}"' in page
    # A viewer reads only: no buttons to create or replicate.
    assert "New program" not in page and "Replicate a program" not in page


def test_east_javas_list_has_its_own_program_only(as_user, world, jatim_program_officer):
    response = as_user(jatim_program_officer).get(url("program_list", province="jatim"))
    assert section(response, "program-table").endswith("OPOP Jawa Timur 7 August 2019 Active 5 —")
    assert "Kalimantan" not in squash(response)


def test_the_list_leads_to_the_national_comparison(as_user, world, kalsel_viewer):
    page = as_user(kalsel_viewer).get(url("program_list")).content.decode()
    link = re.search(r'<a [^>]*id="compare-programs"[^>]*>([^<]*)</a>', page)
    assert 'href="/programs/"' in link.group(0)
    assert link.group(1) == "Compare every province's programs"


def test_an_admin_sees_the_buttons_to_create_and_replicate(as_user, world, kalsel_admin):
    page = as_user(kalsel_admin).get(url("program_list")).content.decode()
    assert f'href="{url("program_create")}">New program</a>' in page
    assert f'href="{url("program_replicate_sources")}">Replicate a program</a>' in page


def test_the_navigation_offers_the_programs_to_whoever_may_read_them(
    as_user, world, kalsel_viewer, kalsel
):
    pesantren = make_user("pp-banjar", province=kalsel, roles=[Role.PESANTREN])
    link = f'href="{url("program_list")}">OPOP programs</a>'
    assert link in as_user(kalsel_viewer).get(url("home")).content.decode()
    assert link not in as_user(pesantren).get(url("home")).content.decode()


# --- A program's page ------------------------------------------------------------------------


def test_the_program_page_shows_facts_origin_team_and_curriculum(as_user, world, kalsel_viewer):
    response = as_user(kalsel_viewer).get(program_url("program_detail"))
    assert response.status_code == 200
    page = response.content.decode()
    assert section(response, "program-status") == "Active"
    assert section(response, "program-origin") == "Replicated from OPOP Jawa Timur, August 2022"
    assert section(response, "program-facts") == (
        "Launch date 17 August 2022 "
        "Legal basis Pergub Kalsel 033/2022: Program OPOP Kalimantan Selatan "
        "Pillars Santripreneur (santri) Pesantrenpreneur (cooperative) "
        "Sosiopreneur (alumni and community) "
        "Aspects of support Institution, Human resources, Product, Financing, Marketing "
        "Delivery modes In class, Full program "
        "Status Active "
        "Origin OPOP Jawa Timur (Jawa Timur), 17 August 2022"
    )
    assert section(response, "program-description") == (
        "Program ekonomi pesantren Jawa Timur. Tiga pilar, lima aspek."
    )
    assert section(response, "program-team") == (
        "kalsel-admin · Head of program Rahmat Hidayat · Trainer"
    )
    assert section(response, "module-table") == (
        "Curriculum modules, in the order they are taught No. Module Hours Learning outcomes "
        "1 Jiwa santripreneur 12 Menjelaskan nilai berniaga dalam Islam Memetakan peluang usaha "
        "2 Koperasi pondok pesantren 16 Menyusun AD/ART koperasi Mengurus NIB melalui OSS "
        "3 Produk dan kurasi 16 Menyiapkan produk untuk kurasi "
        "4 Pemasaran digital 12 Membuka toko daring "
        "5 Keuangan usaha 8 Menyusun laporan laba rugi sederhana "
        "5 modules in all 64 hours"
    )
    for name, label in [
        ("course_list", "Training"),
        ("support_list", "Support"),
        ("indicator_list", "Indicators and targets"),
        ("program_dashboard", "Dashboard"),
    ]:
        assert f'href="{program_url(name)}">{label}</a>' in page
    # A viewer reads only.
    assert "Edit the program" not in page and "Add a module" not in page
    assert program_url("program_module_move", module_id=1).rsplit("/", 3)[0] not in page


def test_the_origin_month_follows_the_readers_language():
    day = dt.date(2022, 8, 17)
    assert queries.month_year(day, language="id") == "Agustus 2022"
    assert queries.month_year(day, language="en") == "August 2022"
    assert queries.month_year(dt.date(2019, 12, 1), language="id") == "Desember 2019"


def test_an_original_program_has_no_origin_line(as_user, world, jatim_program_officer):
    response = as_user(jatim_program_officer).get(
        program_url("program_detail", program="opop-jatim", province="jatim")
    )
    assert 'id="program-origin"' not in response.content.decode()
    assert "Replicated from" not in squash(response)
    assert section(response, "program-team") == "jatim-admin · Head of program"


def test_an_admin_sees_the_buttons_to_change_it(as_user, world, kalsel_admin):
    page = as_user(kalsel_admin).get(program_url("program_detail")).content.decode()
    assert f'href="{program_url("program_edit")}">Edit the program</a>' in page
    assert f'href="{program_url("program_team")}">Manage the team</a>' in page
    assert f'href="{program_url("program_module_create")}">Add a module</a>' in page
    # Five modules: the first cannot go up, the last cannot go down.
    assert page.count('value="up"') == 4 and page.count('value="down"') == 4


def test_a_program_without_modules_says_so(as_user, kalsel, kalsel_admin):
    with scopes_disabled():
        make_program(kalsel, slug="opop-kalsel", name="OPOP Kalsel", launch_date=None)
    response = as_user(kalsel_admin).get(program_url("program_detail"))
    assert "The curriculum has no modules yet." in squash(response)
    assert "No officers on the team yet." in squash(response)
    assert section(response, "program-facts").startswith("Launch date — Legal basis —")


# --- The program form ----------------------------------------------------------------------


def test_an_admin_creates_a_program(as_user, kalsel, kalsel_admin):
    client = as_user(kalsel_admin)
    form = client.get(url("program_create"))
    assert form.status_code == 200
    response = client.post(
        url("program_create"),
        {
            "name": "OPOP Kalimantan Selatan",
            "slug": "opop-kalsel",
            "launch_date": "2022-08-17",
            "status": "active",
            "legal_basis_number": "Pergub Kalsel 033/2022",
            "pillars": ["santripreneur", "pesantrenpreneur"],
            "aspects": ["institution"],
            "delivery_modes": ["in_class"],
        },
        follow=True,
    )
    assert response.redirect_chain == [(program_url("program_detail"), 302)]
    assert flashes(response) == ["The program has been created."]
    with scope(province=kalsel):
        program = Program.objects.get(slug="opop-kalsel")
    assert (program.name, program.launch_date, program.pillars) == (
        "OPOP Kalimantan Selatan",
        dt.date(2022, 8, 17),
        ["santripreneur", "pesantrenpreneur"],
    )


def test_bad_input_names_the_fields_and_creates_nothing(as_user, kalsel, kalsel_admin, opop_jatim):
    response = as_user(kalsel_admin).post(
        url("program_create"),
        {"name": "OPOP Kalsel", "slug": "opop-jatim", "launch_date": "2018-05-01", "status": "x"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {
        "status": ["Select a valid choice. x is not one of the available choices."],
    }
    response = as_user(kalsel_admin).post(
        url("program_create"),
        {
            "name": "OPOP Kalsel",
            "slug": "opop-jatim",
            "launch_date": "2018-05-01",
            "status": "active",
        },
    )
    assert response.context["form"].errors == {
        "slug": ["This short name is already used by another program; choose another."],
        "launch_date": ["OPOP began in 2019; give a launch date from 2019-01-01."],
    }
    page = squash(response)
    assert "Please correct the fields marked below." in page
    with scope(province=kalsel):
        assert Program.objects.count() == 0


def test_an_admin_edits_a_program_and_meets_a_conflict(as_user, world, kalsel, kalsel_admin):
    client = as_user(kalsel_admin)
    form = client.get(program_url("program_edit")).context["form"]
    assert "slug" not in form.fields  # a program's address stays
    data = {
        "name": "OPOP Kalsel",
        "launch_date": "2022-08-17",
        "status": "active",
        "pillars": ["santripreneur"],
        "version": "1",
    }
    response = client.post(program_url("program_edit"), data, follow=True)
    assert flashes(response) == ["The changes have been saved."]
    with scope(province=kalsel):
        program = Program.objects.get(slug="opop-kalsel")
    assert (program.name, program.pillars, program.aspects, program.version) == (
        "OPOP Kalsel",
        ["santripreneur"],
        [],
        2,
    )
    stale = client.post(program_url("program_edit"), {**data, "name": "Lain"}, follow=True)
    assert stale.redirect_chain == [(program_url("program_edit"), 302)]
    assert flashes(stale) == [
        "Someone else changed this record while you were editing it. Nothing was saved; the "
        "form now shows their version."
    ]
    assert stale.context["form"].initial["name"] == "OPOP Kalsel"


# --- The team ----------------------------------------------------------------------------------


def test_an_admin_adds_and_removes_an_officer(as_user, world, kalsel, kalsel_admin):
    newcomer = make_user(
        "kalsel-kurator", province=kalsel, roles=[Role.CURATOR], full_name="Siti Rahmah"
    )
    make_user("pp-banjar", province=kalsel, roles=[Role.PESANTREN])
    client = as_user(kalsel_admin)
    page = client.get(program_url("program_team"))
    # Only officers of Kalsel not on the team yet are offered.
    assert [str(label) for _, label in page.context["form"].fields["user"].choices] == [
        "— choose —",
        "Siti Rahmah (kalsel-kurator)",
    ]
    response = client.post(
        program_url("program_team"), {"user": newcomer.pk, "duty": "curator"}, follow=True
    )
    assert flashes(response) == ["Siti Rahmah has joined the team as curator."]
    assert section(response, "team-table") == (
        "Team members by duty Officer Duty Actions "
        "Siti Rahmah (kalsel-kurator) Curator Remove Siti Rahmah "
        "kalsel-admin (kalsel-admin) Head of program Remove kalsel-admin "
        "Rahmat Hidayat (kalsel-trainer) Trainer Remove Rahmat Hidayat"
    )
    with scope(province=kalsel):
        member = TeamMember.objects.get(user=newcomer)
    response = client.post(program_url("program_team_remove", member_id=member.pk), follow=True)
    assert flashes(response) == ["Siti Rahmah has left the team."]
    with scope(province=kalsel):
        assert not TeamMember.objects.filter(user=newcomer).exists()


def test_adding_without_choosing_names_the_fields(as_user, world, kalsel_admin):
    response = as_user(kalsel_admin).post(program_url("program_team"), {"user": "", "duty": ""})
    assert response.context["form"].errors == {
        "user": ["This field is required."],
        "duty": ["This field is required."],
    }


# --- The curriculum ----------------------------------------------------------------------------


def module_titles(program) -> list[tuple[int, str]]:
    with scopes_disabled():
        return list(
            CurriculumModule.objects.filter(program=program)
            .order_by("order")
            .values_list("order", "title")
        )


def test_an_admin_adds_edits_moves_and_removes_modules(as_user, world, kalsel_admin):
    client, copy = as_user(kalsel_admin), world["copy"]
    response = client.post(
        program_url("program_module_create"),
        {
            "title": "Ekonomi Banua",
            "hours": "6",
            "description": "",
            "learning_outcomes": "Mengenal produk unggulan Banua",
        },
        follow=True,
    )
    assert response.redirect_chain == [(program_url("program_detail") + "#curriculum", 302)]
    assert flashes(response) == ["The module has been added to the curriculum."]
    assert module_titles(copy)[-1] == (6, "Ekonomi Banua")
    assert section(response, "total-hours") == "70"

    with scopes_disabled():
        added = CurriculumModule.objects.get(program=copy, order=6)
        first = CurriculumModule.objects.get(program=copy, order=1)
    response = client.post(
        program_url("program_module_move", module_id=added.pk), {"direction": "up"}, follow=True
    )
    assert response.redirect_chain == [(program_url("program_detail") + f"#module-{added.pk}", 302)]
    assert module_titles(copy)[4:] == [(5, "Ekonomi Banua"), (6, "Keuangan usaha")]
    client.post(program_url("program_module_move", module_id=first.pk), {"direction": "down"})
    assert module_titles(copy)[:2] == [(1, "Koperasi pondok pesantren"), (2, "Jiwa santripreneur")]

    form = client.get(program_url("program_module_edit", module_id=added.pk)).context["form"]
    assert form.initial["title"] == "Ekonomi Banua" and form.initial["version"] == 1
    response = client.post(
        program_url("program_module_edit", module_id=added.pk),
        {"title": "Ekonomi Banua", "hours": "abc", "version": "1"},
    )
    assert response.context["form"].errors == {"hours": ["Give a whole number of hours, like 16."]}
    client.post(
        program_url("program_module_edit", module_id=added.pk),
        {"title": "Ekonomi Banua", "hours": "10", "version": "1"},
    )
    with scopes_disabled():
        assert CurriculumModule.objects.get(pk=added.pk).hours == 10

    confirm = client.get(program_url("program_module_delete", module_id=added.pk))
    assert "Remove module 5, “Ekonomi Banua”, from the curriculum?" in squash(confirm)
    response = client.post(program_url("program_module_delete", module_id=added.pk), follow=True)
    assert flashes(response) == ["The module “Ekonomi Banua” has been removed from the curriculum."]
    assert [order for order, _ in module_titles(copy)] == [1, 2, 3, 4, 5]


def test_a_module_a_course_teaches_stays_with_a_message(as_user, world, kalsel_admin):
    with scopes_disabled():
        module = CurriculumModule.objects.get(program=world["copy"], order=1)
    response = as_user(kalsel_admin).post(
        program_url("program_module_delete", module_id=module.pk), follow=True
    )
    assert flashes(response) == [
        "This module is taught in “Santripreneur Dasar”; take it out of them first."
    ]
    assert len(module_titles(world["copy"])) == 5


# --- Replication ---------------------------------------------------------------------------------


def test_the_replicate_page_lists_other_provinces_programs_read_only(as_user, world, kalsel_admin):
    response = as_user(kalsel_admin).get(url("program_replicate_sources"))
    assert response.status_code == 200
    assert section(response, "source-table") == (
        "Other provinces' programs, by province Program Province Launch date Modules Courses "
        "Indicators Actions "
        "OPOP Jawa Timur Jawa Timur 7 August 2019 5 2 3 Replicate OPOP Jawa Timur"
    )
    detail = as_user(kalsel_admin).get(url("program_replicate", source="opop-jatim"))
    assert section(detail, "source-facts") == (
        "Province Jawa Timur Launch date 7 August 2019 "
        "Pillars Santripreneur (santri), Pesantrenpreneur (cooperative), "
        "Sosiopreneur (alumni and community) "
        "Aspects of support Institution, Human resources, Product, Financing, Marketing "
        "Delivery modes In class, Full program "
        "Curriculum 5 modules, 64 hours Courses 2 Indicators 3"
    )
    assert section(detail, "source-modules") == (
        "Jiwa santripreneur (12 hours) Koperasi pondok pesantren (16 hours) "
        "Produk dan kurasi (16 hours) Pemasaran digital (12 hours) Keuangan usaha (8 hours)"
    )
    # Nothing personal of East Java shows: no team, people or pesantren.
    assert "jatim-admin" not in detail.content.decode()
    assert "Tebuireng" not in detail.content.decode()


def test_an_admin_replicates_and_lands_on_the_new_program(as_user, jatim, kalsel, kalsel_admin):
    with scopes_disabled():
        source = furnish_jatim(make_program(jatim, slug="opop-jatim", name="OPOP Jawa Timur"))
    client = as_user(kalsel_admin)
    form = client.get(url("program_replicate", source="opop-jatim")).context["form"]
    assert (form.initial["name"], form.initial["slug"]) == (
        "OPOP Kalimantan Selatan",
        "opop-kalsel",
    )
    response = client.post(
        url("program_replicate", source="opop-jatim"),
        {"name": "OPOP Kalimantan Selatan", "slug": "opop-kalsel", "launch_date": "2022-08-17"},
        follow=True,
    )
    assert response.redirect_chain == [(program_url("program_detail"), 302)]
    assert flashes(response) == [
        "OPOP Kalimantan Selatan has been created from OPOP Jawa Timur (Jawa Timur). Copied: "
        "5 curriculum modules, 2 courses, 3 indicators and 3 province targets; no people, "
        "pesantren, cohorts, support or figures. Review the targets: they are the ones OPOP "
        "Jawa Timur set. 1 regency target was not copied: its regency belongs to Jawa Timur."
    ]
    with scope(province=kalsel):
        program = Program.objects.get(slug="opop-kalsel")
    assert program.replicated_from_id == source.program.pk
    assert section(response, "program-origin").startswith("Replicated from OPOP Jawa Timur, ")
    assert section(response, "program-origin").endswith(
        queries.month_year(program.replicated_on, language="en")
    )


def test_replication_errors_show_on_the_form(as_user, world, kalsel_admin):
    response = as_user(kalsel_admin).post(
        url("program_replicate", source="opop-jatim"),
        {"name": "", "slug": "opop-kalsel", "launch_date": ""},
    )
    assert response.context["form"].errors == {
        "name": ["This field is required."],
    }
    response = as_user(kalsel_admin).post(
        url("program_replicate", source="opop-jatim"),
        {"name": "OPOP Kalsel 2", "slug": "opop-kalsel", "launch_date": ""},
    )
    assert response.context["form"].errors == {
        "slug": ["This short name is already used by another program; choose another."],
    }
    # The suggested slug is left empty when the province already uses it.
    assert response.context["form"].initial["slug"] == ""


def test_a_province_cannot_pick_its_own_program_to_replicate(as_user, world, jatim_admin):
    response = as_user(jatim_admin).get(
        url("program_replicate", province="jatim", source="opop-jatim")
    )
    assert response.status_code == 404
    sources = as_user(jatim_admin).get(url("program_replicate_sources", province="jatim"))
    assert "OPOP Jawa Timur" not in section(sources, "source-table")
    assert "OPOP Kalimantan Selatan Kalimantan Selatan 17 August 2022 5 2 3" in section(
        sources, "source-table"
    )


# --- Who may ------------------------------------------------------------------------------


def write_pages(world) -> list[tuple[str, str]]:
    """(method, url) of every page that changes Kalsel's program, for a Kalsel URL."""
    with scopes_disabled():
        module = CurriculumModule.objects.filter(program=world["copy"]).first()
        member = TeamMember.objects.filter(program=world["copy"]).first()
    return [
        ("get", url("program_create")),
        ("get", url("program_replicate_sources")),
        ("get", url("program_replicate", source="opop-jatim")),
        ("get", program_url("program_edit")),
        ("get", program_url("program_team")),
        ("post", program_url("program_team_remove", member_id=member.pk)),
        ("get", program_url("program_module_create")),
        ("get", program_url("program_module_edit", module_id=module.pk)),
        ("get", program_url("program_module_delete", module_id=module.pk)),
        ("post", program_url("program_module_delete", module_id=module.pk)),
        ("post", program_url("program_module_move", module_id=module.pk)),
    ]


def test_readers_read_and_change_nothing(
    as_user, world, kalsel_viewer, kalsel_program_officer, national_viewer
):
    for reader in (kalsel_viewer, kalsel_program_officer, national_viewer):
        client = as_user(reader)
        assert client.get(url("program_list")).status_code == 200
        assert client.get(program_url("program_detail")).status_code == 200
        for method, address in write_pages(world):
            assert getattr(client, method)(address).status_code == 404, (reader, address)
    assert module_titles(world["copy"])[0] == (1, "Jiwa santripreneur")
    with scopes_disabled():
        assert TeamMember.objects.filter(program=world["copy"]).count() == 2
        assert (
            AuditEvent.objects.exclude(action__startswith="programs.program.replicate")
            .filter(action__startswith="programs.")
            .count()
            == 0
        )


def test_the_admin_reaches_every_page(as_user, world, kalsel_admin):
    client = as_user(kalsel_admin)
    for method, address in write_pages(world):
        if method == "get":
            assert client.get(address).status_code == 200, address


def test_another_provinces_program_answers_404_everywhere(as_user, world, jatim_admin, jatim):
    """Every URL of Kalsel's program, opened by Jatim's admin, under Kalsel's space and
    under Jatim's own (where Kalsel's slug and ids must not be found either)."""
    client = as_user(jatim_admin)
    own_paths = [("get", url("program_list")), ("get", program_url("program_detail"))]
    for method, address in own_paths + write_pages(world):
        assert getattr(client, method)(address).status_code == 404, address
        if "/opop-kalsel/" in address:
            inside_jatim = address.replace("/province/kalsel/", "/province/jatim/")
            assert getattr(client, method)(inside_jatim).status_code == 404, inside_jatim
    # Kalsel's module ids under Jatim's own program are not found either.
    with scopes_disabled():
        module = CurriculumModule.objects.filter(program=world["copy"]).first()
    for name, method in [
        ("program_module_edit", "get"),
        ("program_module_delete", "post"),
        ("program_module_move", "post"),
    ]:
        address = program_url(name, program="opop-jatim", province="jatim", module_id=module.pk)
        assert getattr(client, method)(address, {"direction": "up"}).status_code == 404
    assert module_titles(world["copy"])[0] == (1, "Jiwa santripreneur")


# --- Query counts ---------------------------------------------------------------------------------


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


def add_programs(province, n, *, modules=3):
    with scopes_disabled():
        for _ in range(n):
            program = make_program(province)
            for _ in range(modules):
                make_module(program)
            make_course(program)


def test_the_list_costs_the_same_with_more_programs(as_user, kalsel, kalsel_admin):
    client = as_user(kalsel_admin)
    add_programs(kalsel, 1)
    few = count_queries(client, url("program_list"))
    add_programs(kalsel, 6)
    assert count_queries(client, url("program_list")) == few


def test_the_program_page_costs_the_same_with_more_modules_and_team(
    as_user, world, kalsel, kalsel_admin
):
    client = as_user(kalsel_admin)
    few = count_queries(client, program_url("program_detail"))
    with scopes_disabled():
        for n in range(8):
            make_module(world["copy"], learning_outcomes="Satu\nDua")
            user = make_user(f"kalsel-extra-{n}", province=kalsel, roles=[Role.VIEWER])
            TeamMember.objects.create(
                province=kalsel, program=world["copy"], user=user, duty="officer"
            )
    assert count_queries(client, program_url("program_detail")) == few


def test_the_replicate_and_team_pages_cost_the_same_with_more_rows(
    as_user, world, jatim, kalsel, kalsel_admin
):
    client = as_user(kalsel_admin)
    few = (
        count_queries(client, url("program_replicate_sources")),
        count_queries(client, program_url("program_team")),
    )
    add_programs(jatim, 5)
    add_programs(Province.objects.get(slug="jabar"), 3)
    for n in range(5):
        make_user(f"kalsel-more-{n}", province=kalsel, roles=[Role.VIEWER])
    assert (
        count_queries(client, url("program_replicate_sources")),
        count_queries(client, program_url("program_team")),
    ) == few
