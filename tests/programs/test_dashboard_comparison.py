"""The national comparison of programs, /programs/: every province's programs,
the same figures as each program's dashboard, who may see it, and a fixed
number of queries however many provinces and programs there are."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from niaga.programs import comparison, dashboard
from niaga.programs.domain.indicators import STANDARD_KEYS
from niaga.programs.models import IndicatorKey
from niaga.regions.models import Province
from niaga.registry.models import Pillar
from tests.conftest import make_user
from tests.programs import dashboard_world
from tests.programs.dashboard_world import CY, add_standard_indicators, figure, target
from tests.programs.factories import make_program
from tests.registry.factories import make_person

pytestmark = pytest.mark.django_db

# The world's fixtures, used by name.
board = dashboard_world.board
world = dashboard_world.world
URL = "/programs/"


def get(user, path=URL):
    client = Client()
    client.force_login(user)
    return client.get(path)


def cells(html: str, slug: str) -> list[str]:
    row = re.search(rf'<tr data-program="{slug}">(.*?)</tr>', html, re.S).group(1)
    found = re.findall(r'<td class="num comparison-cell">(.*?)</td>', row, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in found]


def test_every_province_program_is_a_row_with_its_figures(board, national_viewer):
    national_viewer.language = "en"
    national_viewer.save()
    html = get(national_viewer).content.decode()
    programs = re.findall(r'<tr data-program="([^"]+)">', html)
    assert programs == ["opop-jatim", "opop-jatim-lain", "opop-kalsel"]
    assert cells(html, "opop-jatim")[2] == f"4,000 / 6,000 ({CY + 1}) 66.7%"
    kalsel = re.search(r'<tr data-program="opop-kalsel">(.*?)</tr>', html, re.S).group(1)
    assert "Kalimantan Selatan" in kalsel
    assert cells(html, "opop-kalsel")[0] == f"2 / 1,000 ({CY + 1}) 0.2%"
    # The second East Java program defines no indicator: every cell says so.
    other = re.search(r'<tr data-program="opop-jatim-lain">(.*?)</tr>', html, re.S).group(1)
    assert other.count("not defined for this program") == 8


def test_the_origin_of_a_replicated_program_is_shown(board, national_viewer):
    with scopes_disabled():
        kalsel = board.world.kalsel_program
        kalsel.replicated_from = board.world.program
        kalsel.replicated_from_label = "OPOP Jawa Timur, Agustus 2022"
        kalsel.save()
    html = get(national_viewer).content.decode()
    row = re.search(r'<tr data-program="opop-kalsel">(.*?)</tr>', html, re.S).group(1)
    assert "OPOP Jawa Timur, Agustus 2022" in row


def test_the_same_figures_as_each_dashboard(board):
    rows = {row.program.slug: row for row in comparison.national_comparison()}
    for program in (board.world.program, board.world.kalsel_program):
        built = dashboard.build(program)
        for key in STANDARD_KEYS:
            cell, summary = rows[program.slug].cell(key), built.summary(key)
            assert (cell.actual, cell.target, cell.target_year) == (
                summary.actual,
                summary.target,
                summary.target_year,
            ), (program.slug, key)
            assert cell.percent == summary.percent


def test_a_figure_of_this_year_counts_for_a_computed_indicator(board):
    with scopes_disabled():
        figure(board.indicators[IndicatorKey.PRODUCTS], dt.date(CY, 1, 5), 470)
    rows = {row.program.slug: row for row in comparison.national_comparison()}
    assert rows["opop-jatim"].cell(IndicatorKey.PRODUCTS).actual == 470


def test_who_may_see_it(board, jatim, national_viewer, jatim_program_officer, kalsel_viewer):
    assert get(national_viewer).status_code == 200
    assert get(jatim_program_officer).status_code == 200
    assert get(kalsel_viewer).status_code == 200
    account = make_user("pesantren-akun", province=jatim, roles=[Role.PESANTREN])
    assert get(account).status_code == 404
    nobody = make_user("tanpa-peran")
    assert get(nobody).status_code == 404
    assert Client().get(URL).status_code == 302


def test_links_open_only_the_dashboards_one_may_see(board, jatim_program_officer):
    html = get(jatim_program_officer).content.decode()
    assert 'href="/province/jatim/programs/opop-jatim/dashboard/"' in html
    assert "/province/kalsel/programs/opop-kalsel/dashboard/" not in html
    assert "OPOP Kalimantan Selatan" in html  # read-only, but there


def test_the_number_of_queries_does_not_grow_with_provinces_and_programs(board, national_viewer):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = comparison.national_comparison()
        return len(queries.captured_queries), len(rows)

    few, rows = count()
    with scopes_disabled():
        for slug in ("jabar", "jateng", "ntb"):
            province = Province.objects.get(slug=slug)
            program = make_program(province, slug=f"opop-{slug}", name=f"OPOP {province.name}")
            indicators = add_standard_indicators(program)
            target(indicators[IndicatorKey.SANTRIPRENEURS], CY + 1, 500)
            figure(indicators[IndicatorKey.PRODUCTS], dt.date(2023, 12, 31), 42)
            for _ in range(3):
                make_person(province, pillar=Pillar.SANTRIPRENEUR)
    many, more_rows = count()
    assert (many, more_rows) == (few, rows + 3)
    rows = {row.program.slug: row for row in comparison.national_comparison()}
    assert rows["opop-jabar"].cell(IndicatorKey.SANTRIPRENEURS).actual == 3
