"""Forecasting an indicator to its target year, and judging the target. Pure:
no Django, no database, exact arithmetic (fractions), so a test can state
the expected numbers by hand.

The method, in words (the dashboard says the same):

- Take the last N yearly values of the series (default 4; years without a
  value are skipped, so the last N *known* values).
- Fit a straight line through them by least squares and read it at the
  target year: that is the forecast.
- For the range, take the change from one known year to the next among those
  values, per year (a change over a gap of two years counts half per year),
  and project the last value to the target year once with the smallest and
  once with the largest of those changes. The range always contains the
  forecast itself.
- Indicators count things, so no projection goes below zero.
- With fewer than two values there is no trend, and no forecast.

A perfectly linear series is forecast exactly, and its range collapses to
the forecast. Raising the last value never lowers the forecast (for a target
year at or after the last value's year).

Verdicts: with no target, none. When the target year is already past, the
value at that year is compared with the target ("reached" or "missed by N").
Otherwise the target is "reached" when the actual value already meets it,
"on track" when the forecast (rounded to a whole number) meets it, and
"short by N at this pace" when it does not.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

DEFAULT_LAST = 4
METHOD = "linear_trend"

Point = tuple[int, int]  # (year, value)


def round_half_up(value: Fraction) -> int:
    """The nearest whole number, halves away from zero for non-negative values."""
    return math.floor(value + Fraction(1, 2))


@dataclass(frozen=True)
class Forecast:
    """A projection to `year` from `points` (the values it used, oldest first)."""

    year: int
    value: Fraction
    low: Fraction
    high: Fraction
    slope: Fraction  # the trend's change per year
    points: tuple[Point, ...]
    method: str = METHOD

    @property
    def value_int(self) -> int:
        return round_half_up(self.value)

    @property
    def low_int(self) -> int:
        return round_half_up(self.low)

    @property
    def high_int(self) -> int:
        return round_half_up(self.high)

    @property
    def years_used(self) -> tuple[int, ...]:
        return tuple(year for year, _ in self.points)


def linear_fit(points: list[Point] | tuple[Point, ...]) -> tuple[Fraction, Fraction]:
    """Least-squares (slope, intercept) of y = intercept + slope·year; needs two
    points with different years."""
    if len(points) < 2:
        raise ValueError("a line needs two points")
    n = len(points)
    mean_x = Fraction(sum(year for year, _ in points), n)
    mean_y = Fraction(sum(value for _, value in points), n)
    sxx = sum((year - mean_x) ** 2 for year, _ in points)
    if sxx == 0:
        raise ValueError("the points have one year only")
    sxy = sum((year - mean_x) * (value - mean_y) for year, value in points)
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def yearly_changes(points: list[Point] | tuple[Point, ...]) -> list[Fraction]:
    """The change per year from each known year to the next."""
    return [
        Fraction(later - earlier, later_year - year)
        for (year, earlier), (later_year, later) in itertools.pairwise(points)
    ]


def forecast(
    points: list[Point] | tuple[Point, ...], target_year: int, *, last: int = DEFAULT_LAST
) -> Forecast | None:
    """Project the series to `target_year` (see the module docstring). `points`
    are (year, value) pairs of the known years in any order; None with fewer
    than two of them."""
    if last < 2:
        raise ValueError("a trend needs at least two values")
    known = sorted(points)[-last:]
    if len(known) < 2:
        return None
    slope, intercept = linear_fit(known)
    value = max(Fraction(0), intercept + slope * target_year)
    last_year, last_value = known[-1]
    ahead = target_year - last_year
    ends = [max(Fraction(0), last_value + change * ahead) for change in yearly_changes(known)]
    return Forecast(
        year=target_year,
        value=value,
        low=min(*ends, value),
        high=max(*ends, value),
        slope=slope,
        points=tuple(known),
    )


# --- Judging a target --------------------------------------------------------------

NO_TARGET = "no_target"
NO_FORECAST = "no_forecast"
NO_VALUE = "no_value"  # the target year is past and has no value
REACHED = "reached"
MISSED = "missed"
ON_TRACK = "on_track"
SHORT = "short"


@dataclass(frozen=True)
class Verdict:
    kind: str
    gap: int = 0  # how much is missing (missed, short); 0 otherwise
    compared: int | None = None  # the value compared with the target

    @property
    def is_good(self) -> bool:
        return self.kind in (REACHED, ON_TRACK)


def judge(
    *,
    target: int | None,
    target_year: int | None,
    current_year: int,
    actual: int | None,
    value_at_target_year: int | None,
    projection: Forecast | None,
) -> Verdict:
    """Whether the target is met or will be at this pace (module docstring).

    `actual` is the value now; `value_at_target_year` the series' value at
    the target year (used when that year is past); `projection` the
    forecast to the target year.
    """
    if target is None or target_year is None:
        return Verdict(NO_TARGET)
    if target_year < current_year:
        if value_at_target_year is None:
            return Verdict(NO_VALUE)
        if value_at_target_year >= target:
            return Verdict(REACHED, compared=value_at_target_year)
        return Verdict(MISSED, gap=target - value_at_target_year, compared=value_at_target_year)
    if actual is not None and actual >= target:
        return Verdict(REACHED, compared=actual)
    if projection is None:
        return Verdict(NO_FORECAST)
    projected = projection.value_int
    if projected >= target:
        return Verdict(ON_TRACK, compared=projected)
    return Verdict(SHORT, gap=target - projected, compared=projected)
