"""The dashboard's figures (`niaga.programs.dashboard`): the series rule (an
entered figure wins over the computed value), actuals, the choice of target,
forecasts and verdicts, the regency drill-down, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from niaga.programs import dashboard
from niaga.programs import forecast as fc
from niaga.programs.models import IndicatorKey
from niaga.registry.models import CurationStatus, Pillar
from tests.programs import dashboard_world
from tests.programs.dashboard_world import (
    CY,
    JOMBANG,
    SOURCE,
    SURABAYA,
    at,
    backdate,
    figure,
    graduate,
    grant,
)
from tests.programs.factories import make_cohort, make_course
from tests.registry.factories import make_person, make_pesantren, make_product

pytestmark = pytest.mark.django_db

# The world's fixtures, used by name.
board = dashboard_world.board
world = dashboard_world.world
K = IndicatorKey


@pytest.fixture
def built(board):
    return dashboard.build(board.world.program)


def values(summary) -> dict:
    return {p.year: p.value for p in summary.series}


def test_the_series_runs_from_the_launch_year_to_the_current_year(built):
    assert built.years == list(range(2019, CY + 1))
    assert [s.key for s in built.indicators] == list(K)


def test_an_entered_figure_wins_over_the_computed_value_of_its_year(built):
    products = built.summary(K.PRODUCTS)
    points = {p.year: p for p in products.series}
    # 2021: two province figures; the later one (31 December, 450) counts.
    assert (points[2021].value, points[2021].origin) == (450, dashboard.FIGURE)
    assert points[2021].as_of == dt.date(2021, 12, 31)
    assert points[2021].source_note == SOURCE
    # The other years are computed; the regency figure of 2022 does not touch
    # the province's value.
    assert (points[2020].value, points[2020].origin) == (1, dashboard.COMPUTED)
    assert (points[2022].value, points[2022].origin) == (5, dashboard.COMPUTED)
    assert (points[CY].value, points[CY].origin) == (6, dashboard.COMPUTED)
    assert products.actual == 6
    assert products.actual_origin == dashboard.COMPUTED


def test_a_figure_of_the_current_year_is_the_actual_of_a_computed_indicator(board):
    with scopes_disabled():
        figure(board.indicators[K.PRODUCTS], dt.date(CY, 1, 2), 480, "Laporan triwulan")
    products = dashboard.build(board.world.program).summary(K.PRODUCTS)
    assert (products.actual, products.actual_origin) == (480, dashboard.FIGURE)
    assert products.actual_source_note == "Laporan triwulan"


def test_an_entered_indicator_has_gaps_and_its_latest_figure_is_the_actual(built):
    sosio = built.summary(K.SOSIOPRENEURS)
    expected = {year: None for year in range(2019, CY + 1)}
    expected.update({CY - 4: 1_000, CY - 3: 2_000, CY - 2: 2_500, CY - 1: 4_000})
    assert values(sosio) == expected
    assert sosio.point(CY).origin == dashboard.NONE
    assert (sosio.actual, sosio.actual_as_of) == (4_000, dt.date(CY - 1, 12, 31))
    assert sosio.actual_source_note == SOURCE


def test_the_forecast_and_verdict_of_an_entered_indicator(built):
    """1.000, 2.000, 2.500, 4.000 in four years; the target year is two years on.
    By hand (as in test_forecast): slope 950 a year; at the target year
    2.375 + 950 × 3.5 = 5.700; changes 1.000, 500, 1.500 from 4.000 over two
    years: 5.000 and 7.000. Target 6.000: short by 300."""
    sosio = built.summary(K.SOSIOPRENEURS)
    assert (sosio.target, sosio.target_year, sosio.target_rule) == (6_000, CY + 1, "next")
    assert sosio.forecast.years_used == (CY - 4, CY - 3, CY - 2, CY - 1)
    assert sosio.forecast.slope == 950
    assert (sosio.forecast.value, sosio.forecast.low, sosio.forecast.high) == (5_700, 5_000, 7_000)
    assert sosio.verdict == fc.Verdict(fc.SHORT, gap=300, compared=5_700)
    assert sosio.percent == Fraction(200, 3)


def test_a_past_target_year_is_judged_by_the_value_of_that_year(built):
    curated = built.summary(K.CURATED_PRODUCTS)
    assert (curated.target, curated.target_year, curated.target_rule) == (10, 2024, "latest")
    assert curated.forecast is None
    assert curated.verdict == fc.Verdict(fc.MISSED, gap=6, compared=4)


def test_the_nearest_target_year_ahead_is_chosen(built):
    santri = built.summary(K.SANTRIPRENEURS)
    assert (santri.target, santri.target_year) == (8, CY + 2)
    assert santri.targets[0] == (CY + 2, 8)
    assert santri.verdict.kind == fc.REACHED  # 8 of 8 already


def test_a_flat_series_is_short_at_this_pace(built):
    # Three pesantren assisted in every year from 2023 on: the forecast stays 3.
    assisted = built.summary(K.PESANTREN_ASSISTED)
    assert assisted.forecast.value == assisted.forecast.low == assisted.forecast.high == 3
    assert assisted.verdict == fc.Verdict(fc.SHORT, gap=2, compared=3)


def test_without_a_target_there_is_no_forecast_and_no_verdict(built):
    graduates = built.summary(K.TRAINING_GRADUATES)
    assert (graduates.target, graduates.forecast, graduates.percent) == (None, None, None)
    assert graduates.verdict.kind == fc.NO_TARGET
    assert graduates.actual == 4


def test_fewer_than_two_values_give_no_forecast(board):
    with scopes_disabled():
        # Only one figure of sosiopreneurs is left.
        board.indicators[K.SOSIOPRENEURS].figures.exclude(as_of=dt.date(CY - 1, 12, 31)).delete()
    sosio = dashboard.build(board.world.program).summary(K.SOSIOPRENEURS)
    assert sosio.forecast is None
    assert sosio.verdict.kind == fc.NO_FORECAST


def test_choose_target():
    targets = {2024: 10, 2028: 30, 2026: 20}
    assert dashboard.choose_target(targets, 2025) == (2026, 20, "next")
    assert dashboard.choose_target(targets, 2026) == (2026, 20, "next")
    assert dashboard.choose_target(targets, 2029) == (2028, 30, "latest")
    assert dashboard.choose_target({}, 2026) is None


def test_program_dashboard_gives_what_the_api_needs(board):
    summaries = dashboard.program_dashboard(board.world.program)
    sosio = next(s for s in summaries if s.key == K.SOSIOPRENEURS)
    assert (sosio.name, sosio.actual, sosio.target, sosio.target_year) == (
        "Sosiopreneurs",
        4_000,
        6_000,
        CY + 1,
    )
    assert (sosio.forecast.value_int, sosio.forecast.low_int, sosio.forecast.high_int) == (
        5_700,
        5_000,
        7_000,
    )
    assert sosio.forecast.method == "linear_trend"
    assert sosio.verdict.kind == "short"
    assert len(sosio.series) == CY - 2019 + 1


# --- Regencies -------------------------------------------------------------------------


def _rows(breakdown):
    return [(r.code, r.value) for r in breakdown.rows if r.value]


def test_regencies_of_a_computed_indicator_sorted_by_value(built):
    santri = built.regencies(K.SANTRIPRENEURS)
    assert santri.year == CY
    assert _rows(santri) == [(SURABAYA, 4), (JOMBANG, 3), (None, 1)]
    # Built in the site's language, Indonesian.
    assert santri.rows[2].name == "Kabupaten/kota tidak tercatat"
    assert santri.province_value == 8
    # Every other regency of East Java is there with zero, in name order.
    zeros = [r for r in santri.rows if r.value == 0]
    assert len(zeros) == 38 - 2
    assert [r.name for r in zeros] == sorted(r.name for r in zeros)


def test_a_regency_figure_wins_for_its_year(built):
    products = built.regencies(K.PRODUCTS, 2022)
    by_code = {r.code: r for r in products.rows}
    assert (by_code[SURABAYA].value, by_code[SURABAYA].origin) == (9, dashboard.FIGURE)
    assert (by_code[JOMBANG].value, by_code[JOMBANG].origin) == (3, dashboard.COMPUTED)
    assert products.province_value == 5


def test_regency_targets_and_percent_sorting(built):
    assisted = built.regencies(K.PESANTREN_ASSISTED, sort="percent")
    first, second = assisted.rows[0], assisted.rows[1]
    assert (first.code, first.value, first.target, first.target_year) == (JOMBANG, 2, 3, CY)
    assert first.percent == Fraction(200, 3)
    assert (second.code, second.value, second.target, second.percent) == (SURABAYA, 1, 2, 50)
    assert all(r.percent is None for r in assisted.rows[2:])
    ascending = built.regencies(K.PESANTREN_ASSISTED, sort="percent", descending=False)
    assert [r.code for r in ascending.rows[:2]] == [SURABAYA, JOMBANG]
    by_name = built.regencies(K.PESANTREN_ASSISTED, sort="name", descending=False)
    assert [r.name for r in by_name.rows] == sorted(
        (r.name for r in by_name.rows), key=str.casefold
    )


def test_regencies_of_an_entered_indicator_are_its_regency_figures(built):
    now = built.regencies(K.SOSIOPRENEURS)
    assert _rows(now) == [(JOMBANG, 40)]
    assert [r.value for r in now.rows if r.code != JOMBANG] == [None] * 37
    assert _rows(built.regencies(K.SOSIOPRENEURS, CY - 1)) == [(JOMBANG, 40)]
    assert _rows(built.regencies(K.SOSIOPRENEURS, CY - 2)) == []
    assert built.regencies(K.SOSIOPRENEURS, CY - 2).province_value == 2_500


def test_a_year_of_the_past_counts_to_the_end_of_that_year(built):
    assert _rows(built.regencies(K.SANTRIPRENEURS, 2021)) == [
        (JOMBANG, 2),
        (SURABAYA, 2),
        (None, 1),
    ]


# --- Cost ---------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_people_and_products(board):
    w = board.world

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            built = dashboard.build(w.program)
            for summary in built.indicators:
                built.regencies(summary.key, 2022)
        return len(queries.captured_queries)

    few = count()
    with scopes_disabled():
        cohort = make_cohort(make_course(w.program), starts_on=dt.date(2024, 2, 1))
        for n in range(25):
            pesantren = make_pesantren(w.jatim, regency=w.surabaya)
            person = make_person(
                w.jatim, pillar=Pillar.SANTRIPRENEUR, regency=w.jombang, full_name=f"Baru {n}"
            )
            backdate(person, at(2020 + n % 5))
            make_product(person, status=CurationStatus.CURATED)
            graduate(cohort, person, dt.date(2024, 2, 6))
            grant(w.program, pesantren, 1_000_000, dt.date(2024, 3, 1))
    many = count()
    assert many == few
    assert dashboard.build(w.program).summary(K.SANTRIPRENEURS).actual == 8 + 25
