"""The dashboard page: what it shows, the drill-down's selector and sorting,
who may see it, province isolation, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from niaga.registry.models import CurationStatus, Pillar
from tests.conftest import make_user
from tests.programs import dashboard_world
from tests.programs.dashboard_world import CY, at, backdate, graduate
from tests.programs.factories import make_cohort, make_course
from tests.registry.factories import make_person, make_product

pytestmark = pytest.mark.django_db

# The world's fixtures, used by name.
board = dashboard_world.board
world = dashboard_world.world
JATIM_DASHBOARD = "/province/jatim/programs/opop-jatim/dashboard/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(jatim):
    return make_user(
        "jatim-program-en", province=jatim, roles=[Role.PROGRAM_OFFICER], language="en"
    )


@pytest.fixture
def page(board, officer):
    response = client_for(officer).get(JATIM_DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def overview(html: str, key: str) -> dict:
    """The figures of an indicator's row in the overview table."""
    row = re.search(rf'<tr data-key="{key}">(.*?)</tr>', html, re.S).group(1)
    found = {}
    for name in ("actual", "target", "percent", "verdict"):
        match = re.search(rf'data-figure="{name}">(.*?)</(?:td|span)>', row, re.S)
        found[name] = (
            re.sub(r"<[^>]+>", "", match.group(1)).split("(")[0].strip() if match else None
        )
    return found


def regency_rows(html: str) -> list[tuple[str, str]]:
    table = re.search(r'<table[^>]*id="regency-table".*?</table>', html, re.S).group(0)
    rows = re.findall(
        r'<tr data-regency="[^"]*">\s*<th[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>', table, re.S
    )
    return [
        (name.strip(), re.sub(r"\s*<span.*", "", value, flags=re.S).strip()) for name, value in rows
    ]


def test_the_overview_shows_actual_target_progress_and_verdict(page):
    assert overview(page, "sosiopreneurs") == {
        "actual": "4,000",
        "target": "6,000",
        "percent": "66.7%",
        "verdict": "Short by 300 at this pace",
    }
    assert overview(page, "curated_products")["verdict"] == "Target for 2024 missed by 6"
    assert overview(page, "santripreneurs")["verdict"] == f"Target for {CY + 2} reached"
    assert overview(page, "training_graduates") == {
        "actual": "4",
        "target": "–",
        "percent": None,
        "verdict": "No target set",
    }
    assert overview(page, "grants_disbursed")["actual"] == "IDR 80,000,000"


def test_each_indicator_has_its_forecast_method_chart_and_table(page):
    assert f"Forecast for {CY + 1}: 5,700 (range 5,000 to 7,000)." in page
    assert f"through the last 4 yearly values ({CY - 4}–{CY - 1}), read at {CY + 1}" in page
    assert "Target for 2024: the latest target year, already past." in page
    assert f"Target for {CY + 1}: the nearest target year from now." in page
    # The chart, named and described for screen readers, and its figures in a table.
    assert '<title id="chart-sosiopreneurs-title">Sosiopreneurs</title>' in page
    desc = re.search(r'<desc id="chart-sosiopreneurs-desc">(.*?)</desc>', page).group(1)
    assert f"{CY - 1}: 4,000" in desc and f"Target for {CY + 1}: 6,000." in desc
    table = re.search(r'<table[^>]*id="table-sosiopreneurs".*?</table>', page, re.S).group(0)
    row = re.search(rf'<tr data-year="{CY - 2}">(.*?)</tr>', table, re.S).group(1)
    assert '<td class="num" data-figure="value">2,500</td>' in row
    assert "How this is counted" in page
    assert "plus people who completed a cohort of this program" in page


def test_progress_bars_draw_the_share_of_the_target(page):
    row = re.search(r'<tr data-key="sosiopreneurs">(.*?)</tr>', page, re.S).group(1)
    assert 'aria-valuenow="67"' in row
    assert '<rect x="0" y="0" width="66.67" height="6"' in row


def test_no_inline_style_or_script(page):
    assert " style=" not in page
    assert "<style" not in page
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))


def test_the_drill_down_defaults_to_the_first_computed_indicator_now(page):
    assert f"Regencies and cities: Santripreneurs, {CY}" in page
    assert regency_rows(page)[:3] == [
        ("Kota Surabaya", "4"),
        ("Kabupaten Jombang", "3"),
        ("Regency not recorded", "1"),
    ]
    assert "Whole province: 8." in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 640' in page
    assert 'id="chart-regencies"' in page


def test_the_selector_and_the_sort_links(board, officer):
    client = client_for(officer)
    html = client.get(JATIM_DASHBOARD, {"indicator": "products", "year": "2022"}).content.decode()
    rows = dict(regency_rows(html))
    assert rows["Kota Surabaya"] == "9"
    assert rows["Kabupaten Jombang"] == "3"
    assert "(figure of December 31, 2022)" in html
    # The header links sort on the server; the current column says how.
    link = re.search(r'<a href="\?([^"]*)#regencies" id="sort-name">', html).group(1)
    assert "sort=name" in link and "dir=asc" in link and "indicator=products" in link
    by_name = client.get(f"{JATIM_DASHBOARD}?{link.replace('&amp;', '&')}").content.decode()
    names = [name for name, _ in regency_rows(by_name)]
    assert names == sorted(names, key=str.casefold)
    assert 'aria-sort="ascending"><a href="?' in by_name
    reverse = re.search(r'<a href="\?([^"]*)#regencies" id="sort-name">', by_name).group(1)
    assert "dir=desc" in reverse


def test_bad_selector_values_fall_back_to_the_defaults(board, officer):
    response = client_for(officer).get(
        JATIM_DASHBOARD, {"indicator": "x", "year": "dua", "sort": "?"}
    )
    assert response.status_code == 200
    assert f"Regencies and cities: Santripreneurs, {CY}" in response.content.decode()


def test_in_indonesian_numbers_group_with_dots(board, jatim):
    user = make_user(
        "jatim-program-id", province=jatim, roles=[Role.PROGRAM_OFFICER], language="id"
    )
    html = client_for(user).get(JATIM_DASHBOARD).content.decode()
    assert overview(html, "sosiopreneurs")["actual"] == "4.000"
    assert overview(html, "sosiopreneurs")["percent"] == "66,7%"
    assert overview(html, "grants_disbursed")["actual"] == "Rp 80.000.000"


def test_a_program_without_indicators_says_so(world, officer):
    html = client_for(officer).get(JATIM_DASHBOARD).content.decode()
    assert "This program has no indicators yet." in html


# --- Who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PROVINCE_ADMIN, Role.CURATOR])
def test_the_province_team_sees_the_dashboard(board, jatim, role):
    user = make_user(f"jatim-{role}", province=jatim, roles=[role], language="en")
    response = client_for(user).get(JATIM_DASHBOARD)
    assert response.status_code == 200
    assert overview(response.content.decode(), "sosiopreneurs")["actual"] == "4,000"


def test_a_national_viewer_sees_it_and_a_pesantren_account_does_not(board, jatim, national_viewer):
    assert client_for(national_viewer).get(JATIM_DASHBOARD).status_code == 200
    account = make_user("pesantren-akun", province=jatim, roles=[Role.PESANTREN])
    assert client_for(account).get(JATIM_DASHBOARD).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(board):
    response = Client().get(JATIM_DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("suffix", ["", "pdf/", "xlsx/"])
def test_another_provinces_program_answers_404(board, officer, kalsel_program_officer, suffix):
    jatim_client = client_for(officer)
    assert (
        jatim_client.get(f"/province/jatim/programs/opop-kalsel/dashboard/{suffix}").status_code
        == 404
    )
    assert (
        jatim_client.get(f"/province/kalsel/programs/opop-kalsel/dashboard/{suffix}").status_code
        == 404
    )
    kalsel_client = client_for(kalsel_program_officer)
    assert (
        kalsel_client.get(f"/province/kalsel/programs/opop-jatim/dashboard/{suffix}").status_code
        == 404
    )
    assert (
        kalsel_client.get(f"/province/jatim/programs/opop-jatim/dashboard/{suffix}").status_code
        == 404
    )


def test_each_province_sees_only_its_own_figures(board, kalsel_program_officer):
    html = client_for(kalsel_program_officer).get(
        "/province/kalsel/programs/opop-kalsel/dashboard/"
    )
    html = html.content.decode()
    assert overview(html, "santripreneurs")["actual"] == "2"
    assert overview(html, "pesantrenpreneurs")["actual"] == "1"
    assert "Kabupaten Jombang" not in html


# --- Cost ---------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_with_more_people(board, officer):
    client = client_for(officer)
    client.get(JATIM_DASHBOARD)  # warm the session and caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(JATIM_DASHBOARD, {"year": "2023"}).status_code == 200
        return len(queries.captured_queries)

    few = count()
    w = board.world
    with scopes_disabled():
        cohort = make_cohort(make_course(w.program), starts_on=dt.date(2023, 2, 1))
        for n in range(20):
            person = make_person(w.jatim, pillar=Pillar.SANTRIPRENEUR, regency=w.surabaya)
            backdate(person, at(2021 + n % 3))
            make_product(person, status=CurationStatus.CURATED if n % 2 else CurationStatus.DRAFT)
            graduate(cohort, person, dt.date(2023, 2, 6))
    assert count() == few
