"""The forecast's arithmetic on series worked out by hand, and its properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from niaga.programs import forecast as fc

# --- Known series, worked out by hand --------------------------------------------------


def test_a_four_year_series():
    # Years 2021–2024: 100, 200, 250, 400. Mean year 2022.5, mean value 237.5.
    # Deviations: years -1.5 -0.5 0.5 1.5; values -137.5 -37.5 12.5 162.5.
    # Sxy = 206.25 + 18.75 + 6.25 + 243.75 = 475; Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5.
    # Slope 95 a year; at 2026: 237.5 + 95 × 3.5 = 570.
    # Changes per year: 100, 50, 150; from 400 over two years: 500 and 700.
    result = fc.forecast([(2021, 100), (2022, 200), (2023, 250), (2024, 400)], 2026)
    assert result.slope == 95
    assert result.value == 570
    assert (result.low, result.high) == (500, 700)
    assert result.years_used == (2021, 2022, 2023, 2024)
    assert result.method == "linear_trend"


def test_a_series_with_a_gap_uses_the_change_per_year():
    # 2019: 10, 2021: 30, 2022: 50. Mean year 6062/3, mean value 30.
    # Deviations: years -5/3 1/3 4/3; values -20 0 20. Sxy = 100/3 + 80/3 = 60;
    # Sxx = 25/9 + 1/9 + 16/9 = 14/3. Slope 60 / (14/3) = 90/7.
    # At 2024: 30 + 90/7 × (6072 - 6062)/3 = 30 + 300/7 = 510/7 ≈ 72.857 → 73.
    # Changes per year: (30 - 10)/2 = 10 and 20; from 50 over two years: 70 and 90.
    result = fc.forecast([(2022, 50), (2019, 10), (2021, 30)], 2024)
    assert result.slope == Fraction(90, 7)
    assert result.value == Fraction(510, 7)
    assert result.value_int == 73
    assert (result.low, result.high) == (70, 90)


def test_only_the_last_four_known_years_count():
    series = [(2018, 1000), (2019, 5), (2020, 0), (2021, 10), (2022, 20), (2023, 30), (2024, 40)]
    result = fc.forecast(series, 2026)
    assert result.years_used == (2021, 2022, 2023, 2024)
    assert result.value == result.low == result.high == 60
    assert fc.forecast(series, 2026, last=2).years_used == (2023, 2024)


def test_the_range_always_holds_the_forecast():
    # 2020–2023: 0, 0, 0, 100, read at 2023. Mean 25; value deviations -25 -25 -25 75;
    # Sxy = 37.5 + 12.5 - 12.5 + 112.5 = 150, Sxx = 5: slope 30; at 2023:
    # 25 + 30 × 1.5 = 70. The last value carried forward zero years is 100 whatever
    # the change, so the range is widened down to 70.
    result = fc.forecast([(2020, 0), (2021, 0), (2022, 0), (2023, 100)], 2023)
    assert result.value == 70
    assert (result.low, result.high) == (70, 100)


def test_no_projection_goes_below_zero():
    # 100, 0, 0, 0: slope -30, at 2024: 25 - 30 × 2.5 = -50 → 0; the ends 0 - 100 → 0 and 0.
    result = fc.forecast([(2020, 100), (2021, 0), (2022, 0), (2023, 0)], 2024)
    assert result.slope == -30
    assert (result.value, result.low, result.high) == (0, 0, 0)


def test_fewer_than_two_values_give_no_forecast():
    assert fc.forecast([], 2026) is None
    assert fc.forecast([(2024, 10)], 2026) is None
    with pytest.raises(ValueError):
        fc.forecast([(2023, 1), (2024, 2)], 2026, last=1)


def test_rounding_is_half_up():
    assert fc.round_half_up(Fraction(5, 2)) == 3
    assert fc.round_half_up(Fraction(249, 100)) == 2
    assert fc.round_half_up(Fraction(0)) == 0


# --- Verdicts ------------------------------------------------------------------------


def _judge(**kwargs):
    defaults = {
        "target": 600,
        "target_year": 2026,
        "current_year": 2025,
        "actual": 400,
        "value_at_target_year": None,
        "projection": fc.forecast([(2021, 100), (2022, 200), (2023, 250), (2024, 400)], 2026),
    }
    return fc.judge(**{**defaults, **kwargs})


def test_short_by_the_gap_at_this_pace():
    verdict = _judge()
    assert (verdict.kind, verdict.gap, verdict.compared) == ("short", 30, 570)
    assert not verdict.is_good


def test_on_track_when_the_forecast_meets_the_target():
    assert _judge(target=570).kind == "on_track"
    assert _judge(target=570).is_good


def test_reached_when_the_actual_already_meets_it():
    assert _judge(actual=600).kind == "reached"


def test_a_past_target_year_compares_the_value_of_that_year():
    missed = _judge(target_year=2024, current_year=2026, value_at_target_year=450, target=500)
    assert (missed.kind, missed.gap, missed.compared) == ("missed", 50, 450)
    reached = _judge(target_year=2024, current_year=2026, value_at_target_year=500, target=500)
    assert reached.kind == "reached"
    unknown = _judge(target_year=2024, current_year=2026, value_at_target_year=None)
    assert unknown.kind == "no_value"


def test_without_a_target_or_a_forecast():
    assert _judge(target=None, target_year=None).kind == "no_target"
    assert _judge(projection=None).kind == "no_forecast"


# --- Properties ------------------------------------------------------------------------

years = st.integers(min_value=1990, max_value=2060)
gaps = st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=7)


@given(
    start=years,
    steps=gaps,
    base=st.integers(min_value=0, max_value=10**7),
    slope=st.integers(min_value=0, max_value=10**5),
    ahead=st.integers(min_value=0, max_value=15),
)
def test_a_perfectly_linear_series_is_forecast_exactly(start, steps, base, slope, ahead):
    year_list = [start]
    for step in steps:
        year_list.append(year_list[-1] + step)
    series = [(year, base + slope * (year - start)) for year in year_list]
    target_year = year_list[-1] + ahead
    result = fc.forecast(series, target_year)
    expected = base + slope * (target_year - start)
    assert result.value == expected
    assert result.low == result.high == expected
    assert result.slope == slope


@given(
    start=years,
    count=st.integers(min_value=2, max_value=6),
    base=st.integers(min_value=0, max_value=10**7),
    slope=st.integers(min_value=-(10**4), max_value=-1),
    ahead=st.integers(min_value=0, max_value=15),
)
def test_a_falling_linear_series_too_while_it_stays_above_zero(start, count, base, slope, ahead):
    series = [(start + i, base + slope * i) for i in range(count)]
    assume(all(value >= 0 for _, value in series))
    target_year = start + count - 1 + ahead
    expected = base + slope * (target_year - start)
    assume(expected >= 0)
    result = fc.forecast(series, target_year)
    assert result.value == result.low == result.high == expected


values = st.lists(st.integers(min_value=0, max_value=10**7), min_size=2, max_size=8)


@given(
    series_values=values,
    start=years,
    ahead=st.integers(min_value=0, max_value=15),
    raise_by=st.integers(min_value=1, max_value=10**6),
)
def test_raising_the_last_value_never_lowers_the_forecast(series_values, start, ahead, raise_by):
    series = [(start + i, v) for i, v in enumerate(series_values)]
    higher = [*series[:-1], (series[-1][0], series[-1][1] + raise_by)]
    target_year = series[-1][0] + ahead
    before, after = fc.forecast(series, target_year), fc.forecast(higher, target_year)
    assert after.value >= before.value
    assert after.low >= before.low
    assert after.high >= before.high


@given(series_values=values, start=years, ahead=st.integers(min_value=0, max_value=15))
def test_the_range_holds_the_forecast_and_nothing_is_negative(series_values, start, ahead):
    series = [(start + i, v) for i, v in enumerate(series_values)]
    result = fc.forecast(series, series[-1][0] + ahead)
    assert 0 <= result.low <= result.value <= result.high
    assert result.low_int <= result.value_int <= result.high_int
