"""The figures of a program's dashboard, assembled once for the page, the PDF,
the XLSX and the API, so that they always agree.

`build(program)` reads the program's indicators, their figures and targets,
and the live computations (`niaga.programs.indicators`) in a fixed number of
queries, then assembles for each indicator (`IndicatorSummary`):

- the **yearly series**, from the program's launch year (or its earliest
  province figure, if earlier) to the current year: for each year the
  province figure entered for that year (the latest as of date in it) if
  there is one, else, for a computed indicator, the computed value at the
  end of the year (the current year: now); an entered indicator has gaps
  where no figure was entered (`models.indicators`);
- the **actual**: the series' value for the current year for a computed
  indicator (computed now, unless a figure was entered this year), the
  latest province figure for an entered one;
- the **target**: the province target of the nearest target year from the
  current year on, else that of the latest target year (which has passed);
- the **forecast** to the target year (`niaga.programs.forecast`) and the
  **verdict**.

`Dashboard.regencies(key, year)` gives the drill-down to regencies/cities.
`program_dashboard(program)` is what the API returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.programs import forecast as fc
from niaga.programs.dashboard_texts import (  # noqa: F401 - the dashboard's texts, one import place
    DEFINITIONS,
    ENTERED_RULE,
    FIGURES_WIN_RULE,
    REGENCY_RULE,
    format_day,
    format_percent,
    format_short,
    format_value,
    method_text,
    verdict_text,
)
from niaga.programs.indicators import Tally, tallies, today_in
from niaga.programs.models import (
    Indicator,
    IndicatorFigure,
    IndicatorSource,
    Program,
    Target,
)
from niaga.regions.models import Province, Regency

FIGURE = "figure"
COMPUTED = "computed"
NONE = "none"
# How a target year was chosen.
NEXT_TARGET = "next"  # the nearest target year from the current year on
LATEST_TARGET = "latest"  # no target year ahead: the latest one, already past
SORTS = ("name", "value", "target", "percent")

# --- The figures -------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    value: int | None
    origin: str  # FIGURE, COMPUTED or NONE (a gap)
    as_of: dt.date | None = None
    source_note: str = ""


@dataclass(frozen=True)
class IndicatorSummary:
    indicator_id: int
    key: str
    name: str
    source: str  # IndicatorSource
    is_money: bool
    current_year: int
    actual: int | None
    actual_origin: str
    actual_as_of: dt.date | None
    actual_source_note: str
    target: int | None
    target_year: int | None
    target_rule: str | None
    targets: tuple[tuple[int, int], ...]  # every province target (year, value)
    forecast: fc.Forecast | None
    verdict: fc.Verdict
    series: tuple[SeriesPoint, ...]

    @property
    def percent(self) -> Fraction | None:
        if self.actual is None or not self.target:
            return None
        return Fraction(self.actual * 100, self.target)

    @property
    def bar_percent(self) -> float:
        """The progress bar's fill, 0–100."""
        return 0.0 if self.percent is None else min(100.0, float(self.percent))

    @property
    def is_computed(self) -> bool:
        return self.source == IndicatorSource.COMPUTED

    def point(self, year: int) -> SeriesPoint | None:
        return next((p for p in self.series if p.year == year), None)

    @property
    def table(self) -> list[dict]:
        """The chart's figures as table rows: each year of the series, then the
        target years after it."""
        targets = dict(self.targets)
        rows = [
            {
                "year": p.year,
                "value": p.value,
                "value_text": self.fmt(p.value) if p.value is not None else "",
                "origin": p.origin,
                "as_of_text": format_day(p.as_of) if p.origin == FIGURE else "",
                "year_end": p.as_of == dt.date(p.year, 12, 31),
                "source_note": p.source_note,
                "target_text": self.fmt(targets[p.year]) if p.year in targets else "",
            }
            for p in self.series
        ]
        last = self.series[-1].year if self.series else self.current_year
        rows += [
            {
                "year": year,
                "value": None,
                "value_text": "",
                "origin": NONE,
                "as_of_text": "",
                "year_end": False,
                "source_note": "",
                "target_text": self.fmt(value),
            }
            for year, value in self.targets
            if year > last
        ]
        return rows

    # Texts, in the active language.
    def fmt(self, value: int | None) -> str:
        return format_value(value, money=self.is_money)

    @property
    def actual_text(self) -> str:
        return self.fmt(self.actual)

    @property
    def target_text(self) -> str:
        return self.fmt(self.target)

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def definition(self) -> str:
        if not self.is_computed:
            return str(ENTERED_RULE)
        return f"{DEFINITIONS[self.key]} {FIGURES_WIN_RULE}"

    @property
    def target_rule_text(self) -> str:
        if self.target_year is None:
            return _("No target set.")
        if self.target_rule == NEXT_TARGET:
            return _("Target for %(year)s: the nearest target year from now.") % {
                "year": self.target_year
            }
        return _("Target for %(year)s: the latest target year, already past.") % {
            "year": self.target_year
        }

    @property
    def verdict_text(self) -> str:
        return verdict_text(self.verdict, target_year=self.target_year, money=self.is_money)

    @property
    def forecast_text(self) -> str:
        if self.forecast is None:
            return ""
        return _("Forecast for %(year)s: %(value)s (range %(low)s to %(high)s).") % {
            "year": self.forecast.year,
            "value": self.fmt(self.forecast.value_int),
            "low": self.fmt(self.forecast.low_int),
            "high": self.fmt(self.forecast.high_int),
        }

    @property
    def method_text(self) -> str:
        return method_text(self.forecast)

    @property
    def actual_note(self) -> str:
        """Where the actual comes from."""
        if self.actual is None:
            return _("No figure entered yet.")
        if self.actual_origin == FIGURE:
            return _("Figure as of %(date)s, source: %(source)s.") % {
                "date": format_day(self.actual_as_of),
                "source": self.actual_source_note,
            }
        return _("Computed from the registry, as of %(date)s.") % {
            "date": format_day(self.actual_as_of)
        }


def choose_target(targets: dict[int, int], year: int) -> tuple[int, int, str] | None:
    """(year, value, rule): the nearest target year ≥ `year`, else the latest one."""
    if not targets:
        return None
    ahead = [y for y in targets if y >= year]
    chosen = min(ahead) if ahead else max(targets)
    return chosen, targets[chosen], NEXT_TARGET if ahead else LATEST_TARGET


def _latest(figures: list[IndicatorFigure]) -> IndicatorFigure | None:
    return max(figures, key=lambda f: (f.as_of, f.pk), default=None)


@dataclass(frozen=True)
class RegencyRow:
    code: str | None  # None: rows with no regency recorded
    name: str
    value: int | None
    origin: str
    as_of: dt.date | None
    source_note: str
    target: int | None
    target_year: int | None
    money: bool = False

    @property
    def percent(self) -> Fraction | None:
        if self.value is None or not self.target:
            return None
        return Fraction(self.value * 100, self.target)

    @property
    def value_text(self) -> str:
        return format_value(self.value, money=self.money)

    @property
    def target_text(self) -> str:
        return format_value(self.target, money=self.money) if self.target else ""

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent) if self.percent is not None else ""

    @property
    def as_of_text(self) -> str:
        return format_day(self.as_of)


@dataclass
class RegencyBreakdown:
    indicator: IndicatorSummary
    year: int
    rows: list[RegencyRow]
    sort: str
    descending: bool
    province_value: int | None

    @property
    def has_values(self) -> bool:
        return any(row.value for row in self.rows)

    @property
    def province_value_text(self) -> str:
        return self.indicator.fmt(self.province_value)


def _sort_rows(rows: list[RegencyRow], sort: str, descending: bool) -> list[RegencyRow]:
    if sort == "name":
        return sorted(rows, key=lambda r: r.name.casefold(), reverse=descending)
    attribute = {"value": "value", "target": "target", "percent": "percent"}[sort]
    known = [r for r in rows if getattr(r, attribute) is not None]
    unknown = [r for r in rows if getattr(r, attribute) is None]
    known.sort(key=lambda r: r.name.casefold())
    known.sort(key=lambda r: getattr(r, attribute), reverse=descending)
    # Rows without a value go last in either direction.
    return known + sorted(unknown, key=lambda r: r.name.casefold())


@dataclass
class Dashboard:
    program: Program
    province: Province
    today: dt.date
    indicators: list[IndicatorSummary]
    _figures: dict[int, list[IndicatorFigure]] = field(repr=False)
    _targets: dict[int, list[Target]] = field(repr=False)
    _tallies: dict[str, Tally] = field(repr=False)

    @property
    def current_year(self) -> int:
        return self.today.year

    @property
    def years(self) -> list[int]:
        if not self.indicators:
            return [self.current_year]
        return [p.year for p in self.indicators[0].series]

    def summary(self, key: str) -> IndicatorSummary | None:
        return next((s for s in self.indicators if s.key == key), None)

    @cached_property
    def _regencies(self) -> list[Regency]:
        return list(Regency.objects.filter(province=self.province).order_by("name", "code"))

    def regencies(
        self, key: str, year: int | None = None, *, sort: str = "value", descending: bool = True
    ) -> RegencyBreakdown | None:
        """Each regency/city's value of indicator `key` at the end of `year`
        (default and current year: now), with its own target (the nearest
        target year from `year` on, else the latest), sorted by `sort`."""
        summary = self.summary(key)
        if summary is None:
            return None
        year = self.current_year if year is None else min(year, self.current_year)
        sort = sort if sort in SORTS else "value"
        figures = [f for f in self._figures.get(summary.indicator_id, []) if f.regency_id]
        by_regency: dict[str, list[IndicatorFigure]] = {}
        for figure in figures:
            by_regency.setdefault(figure.regency_id, []).append(figure)
        targets: dict[str, dict[int, int]] = {}
        for target in self._targets.get(summary.indicator_id, []):
            if target.regency_id:
                targets.setdefault(target.regency_id, {})[target.year] = target.value
        tally = self._tallies.get(key) if summary.is_computed else None
        computed = tally.by_regency(year) if tally is not None else {}
        rows = []
        areas = [(r.pk, r.name) for r in self._regencies]
        if computed.get(None):
            areas.append((None, _("Regency not recorded")))
        for code, name in areas:
            own = by_regency.get(code, []) if code else []
            if summary.is_computed or year != self.current_year:
                figure = _latest([f for f in own if f.as_of.year == year])
            else:
                figure = _latest(own)
            if figure is not None:
                value, origin = figure.value, FIGURE
            elif tally is not None:
                value, origin = computed.get(code, 0), COMPUTED
            else:
                value, origin = None, NONE
            chosen = choose_target(targets.get(code, {}), year) if code else None
            rows.append(
                RegencyRow(
                    code=code,
                    name=name,
                    value=value,
                    origin=origin,
                    as_of=figure.as_of if figure else None,
                    source_note=figure.source_note if figure else "",
                    target=chosen[1] if chosen else None,
                    target_year=chosen[0] if chosen else None,
                    money=summary.is_money,
                )
            )
        point = summary.point(year)
        province_value = summary.actual if year == self.current_year else None
        if year != self.current_year and point is not None:
            province_value = point.value
        return RegencyBreakdown(
            indicator=summary,
            year=year,
            rows=_sort_rows(rows, sort, descending),
            sort=sort,
            descending=descending,
            province_value=province_value,
        )


def _series(
    indicator: Indicator,
    figures: list[IndicatorFigure],
    tally: Tally | None,
    years: range,
    today: dt.date,
) -> tuple[SeriesPoint, ...]:
    own = [f for f in figures if f.regency_id is None]
    points = []
    for year in years:
        figure = _latest([f for f in own if f.as_of.year == year])
        if figure is not None:
            points.append(SeriesPoint(year, figure.value, FIGURE, figure.as_of, figure.source_note))
        elif tally is not None:
            as_of = today if year == today.year else dt.date(year, 12, 31)
            points.append(SeriesPoint(year, tally.at(year), COMPUTED, as_of))
        else:
            points.append(SeriesPoint(year, None, NONE))
    return tuple(points)


def _summary(
    indicator: Indicator,
    figures: list[IndicatorFigure],
    targets: list[Target],
    tally: Tally | None,
    years: range,
    today: dt.date,
) -> IndicatorSummary:
    current_year = today.year
    series = _series(indicator, figures, tally, years, today)
    if indicator.source == IndicatorSource.COMPUTED:
        now = series[-1]
        actual, origin, as_of, note = now.value, now.origin, now.as_of, now.source_note
    else:
        latest = _latest([f for f in figures if f.regency_id is None])
        actual = latest.value if latest else None
        origin = FIGURE if latest else NONE
        as_of = latest.as_of if latest else None
        note = latest.source_note if latest else ""
    province_targets = {t.year: t.value for t in targets if t.regency_id is None}
    chosen = choose_target(province_targets, current_year)
    target_year, target, rule = chosen if chosen else (None, None, None)
    projection = None
    if target_year is not None and target_year >= current_year:
        known = [(p.year, p.value) for p in series if p.value is not None]
        projection = fc.forecast(known, target_year)
    at_target_year = None
    if target_year is not None and target_year < current_year:
        point = next((p for p in series if p.year == target_year), None)
        at_target_year = point.value if point else None
    verdict = fc.judge(
        target=target,
        target_year=target_year,
        current_year=current_year,
        actual=actual,
        value_at_target_year=at_target_year,
        projection=projection,
    )
    return IndicatorSummary(
        indicator_id=indicator.pk,
        key=indicator.key,
        name=indicator.name,
        source=indicator.source,
        is_money=indicator.is_money,
        current_year=current_year,
        actual=actual,
        actual_origin=origin,
        actual_as_of=as_of,
        actual_source_note=note,
        target=target,
        target_year=target_year,
        target_rule=rule,
        targets=tuple(sorted(province_targets.items())),
        forecast=projection,
        verdict=verdict,
        series=series,
    )


def first_year(program: Program, figures: list[IndicatorFigure], today: dt.date) -> int:
    """The series' first year: the launch year, or an earlier province figure's year."""
    years = [f.as_of.year for f in figures if f.regency_id is None]
    if program.launch_date is not None:
        years.append(program.launch_date.year)
    return min(min(years, default=today.year), today.year)


def build(program: Program, *, today: dt.date | None = None) -> Dashboard:
    """Every figure of `program`'s dashboard (see the module docstring), in a
    fixed number of queries. `today` (default: today in the province) fixes
    the current year and "now"."""
    province = Province.objects.get(pk=program.province_id)
    today = today or today_in(province)
    with scope(province=province):
        indicators = list(Indicator.objects.filter(program=program).order_by("order", "id"))
        figures: dict[int, list[IndicatorFigure]] = {}
        for figure in IndicatorFigure.objects.filter(
            indicator__program=program, as_of__lte=today
        ).order_by("as_of", "id"):
            figures.setdefault(figure.indicator_id, []).append(figure)
        targets: dict[int, list[Target]] = {}
        for target in Target.objects.filter(indicator__program=program):
            targets.setdefault(target.indicator_id, []).append(target)
        computed = [i.key for i in indicators if i.source == IndicatorSource.COMPUTED]
        talls = tallies(program, computed, today=today)
    all_figures = [f for rows in figures.values() for f in rows]
    years = range(first_year(program, all_figures, today), today.year + 1)
    summaries = [
        _summary(
            indicator,
            figures.get(indicator.pk, []),
            targets.get(indicator.pk, []),
            talls.get(indicator.key) if indicator.source == IndicatorSource.COMPUTED else None,
            years,
            today,
        )
        for indicator in indicators
    ]
    return Dashboard(
        program=program,
        province=province,
        today=today,
        indicators=summaries,
        _figures=figures,
        _targets=targets,
        _tallies=talls,
    )


def program_dashboard(program: Program, *, today: dt.date | None = None) -> list[IndicatorSummary]:
    """Each indicator of `program` with key, name, actual, target, target_year,
    forecast (value, low, high, method; None when there is none), verdict and
    yearly series: what the API returns as the program's dashboard figures."""
    return build(program, today=today).indicators
