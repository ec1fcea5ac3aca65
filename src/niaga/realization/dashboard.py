"""The realization dashboard: what became of a mission's commitments, for one
mission or every mission a province organised (reads only).

Every figure is computed from one read of the live ledger entries
(`queries.live_deals`, with their delivered and paid sums) and one read of the
realization entries behind the over-time series, so the number of queries does
not grow with the number of deals; breakdowns are summed in Python.

Definitions (the page, the report, the PDF, the XLSX and the API all use these):

- *committed*: the sum of the live deals' values, i.e. the ledger's sum
  (`missions.queries.ledger_sums`); cancelled (batal) deals stay in it, as
  they do in the announced totals, and show in the stage table;
- *delivered* / *paid*: the sums of the delivery / payment entries (reversals
  included, so a reversed entry counts zero); the realization rate is
  paid ÷ committed;
- *commitment date*: the day the deal was recorded in the ledger, in the host
  province's zone; ageing counts whole days from it to `today`;
- *regency of origin* and *business*: of the organising province's side of the
  deal (the seller in a sale, the buyer in a purchase), as
  `missions.queries.by_regency` counts them;
- *commodity*: spellings that differ only in case are one row, named by the
  first spelling in sort order, as `missions.queries.by_commodity` does.

A deal is **at risk** (`AT_RISK_RULE`) when it is neither fully paid nor
cancelled and at least one holds: no progress (a stage move or a realization
entry) for the province's follow-up period or longer (`FollowUpPolicy`, else
`DEFAULT_STALE_AFTER_DAYS`); the verifier's latest finding on it is "disputed";
more than `UNPAID_AFTER_DAYS` days since commitment with nothing paid.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niaga.missions.models import Deal, Direction, Mission, Side
from niaga.realization.followup import is_open, is_stale, local_today, stale_after_days
from niaga.realization.models import (
    LifecycleStage,
    RealizationEntry,
    RealizationKind,
    VerificationStatus,
)
from niaga.realization.queries import live_deals
from niaga.regions.models import Province

FIRST_SERIES_YEAR = 2019
UNPAID_AFTER_DAYS = 180
# (low, high) whole days since commitment; None: no upper bound.
AGE_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 30),
    (31, 90),
    (91, 180),
    (181, 365),
    (366, None),
)
STAGES = [
    LifecycleStage.POTENSI,
    LifecycleStage.KOMITMEN,
    LifecycleStage.KONTRAK,
    LifecycleStage.TERKIRIM,
    LifecycleStage.DIBAYAR,
    LifecycleStage.BATAL,
]

AT_RISK_RULE = _(
    "A deal is at risk when it is neither fully paid nor cancelled and it has had no "
    "progress (a stage move, a delivery or a payment) for %(days)s days or more, or the "
    "verifier disputed it, or more than %(unpaid)s days have passed since the commitment "
    "with nothing paid."
)
COMMITTED_RULE = _(
    "Committed is the sum of the mission ledger (cancelled deals included, as announced); "
    "delivered and paid are the sums of the recorded deliveries and payments; the "
    "realization rate is paid divided by committed."
)

# Reasons a deal is at risk, as codes (for tests and the API) with their labels.
STALE = "stale"
DISPUTED = "disputed"
UNPAID = "unpaid"
RISK_LABELS = {
    STALE: pgettext_lazy("deal at risk", "No progress"),
    DISPUTED: pgettext_lazy("deal at risk", "Disputed"),
    UNPAID: pgettext_lazy("deal at risk", "Nothing paid after 180 days"),
}


# --- Figures ------------------------------------------------------------------------


@dataclass
class Figures:
    """Committed, delivered and paid values of a set of deals, and their counts."""

    committed_idr: int = 0
    delivered_idr: int = 0
    paid_idr: int = 0
    count: int = 0  # live deals
    delivered_count: int = 0  # with any delivery
    paid_count: int = 0  # with any payment
    fully_paid_count: int = 0  # paid value reached the committed value

    def add(self, deal: Deal) -> None:
        self.committed_idr += deal.value_idr
        self.delivered_idr += deal.delivered_idr
        self.paid_idr += deal.paid_idr
        self.count += 1
        self.delivered_count += deal.delivered_idr > 0
        self.paid_count += deal.paid_idr > 0
        self.fully_paid_count += deal.paid_idr >= deal.value_idr

    @property
    def rate(self) -> float | None:
        """Paid as a percentage of committed (None when nothing is committed)."""
        if self.committed_idr <= 0:
            return None
        return 100 * self.paid_idr / self.committed_idr

    @property
    def delivered_rate(self) -> float | None:
        if self.committed_idr <= 0:
            return None
        return 100 * self.delivered_idr / self.committed_idr

    @property
    def outstanding_idr(self) -> int:
        return max(self.committed_idr - self.paid_idr, 0)


@dataclass(frozen=True)
class Group:
    """One row of a breakdown (a direction, commodity, regency or business)."""

    key: str
    name: str
    figures: Figures


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    count: int
    value_idr: int


@dataclass(frozen=True)
class AgeBucket:
    low: int
    high: int | None
    count: int
    committed_idr: int
    outstanding_idr: int  # committed minus paid

    @property
    def label(self) -> str:
        if self.high is None:
            return str(_("more than %(days)s days") % {"days": self.low - 1})
        return str(_("%(low)s–%(high)s days") % {"low": self.low, "high": self.high})


@dataclass(frozen=True)
class RatePoint:
    """Cumulative figures at the end of a month (the current month: up to today)."""

    month: dt.date  # the first day of the month
    committed_idr: int
    delivered_idr: int
    paid_idr: int

    @property
    def rate(self) -> float | None:
        if self.committed_idr <= 0:
            return None
        return 100 * self.paid_idr / self.committed_idr


@dataclass(frozen=True)
class RiskRow:
    deal: Deal
    reasons: tuple[str, ...]
    days_since_progress: int
    days_since_commitment: int

    @property
    def reason_labels(self) -> list[str]:
        return [str(RISK_LABELS[r]) for r in self.reasons]


@dataclass(frozen=True)
class SeriesYear:
    """The province's record for one year: missions organised (by their opening
    day), their committed value and what has been paid of it so far."""

    year: int
    missions: int
    committed_idr: int
    paid_idr: int

    @property
    def rate(self) -> float | None:
        if self.committed_idr <= 0:
            return None
        return 100 * self.paid_idr / self.committed_idr


@dataclass(frozen=True)
class MissionRow:
    mission: Mission
    figures: Figures
    at_risk: int


@dataclass
class Realization:
    """Everything the dashboard shows, for one mission or a province's missions."""

    today: dt.date
    missions: list[Mission]
    stale_after_days: int
    totals: Figures
    deals: list[Deal]  # the live deals read, largest value first
    by_direction: list[Group]
    by_commodity: list[Group]
    by_regency: list[Group]
    by_business: list[Group]
    by_stage: list[StageRow]
    ageing: list[AgeBucket]
    over_time: list[RatePoint]
    at_risk: list[RiskRow]
    mission_rows: list[MissionRow] = field(default_factory=list)
    series: list[SeriesYear] = field(default_factory=list)
    year: int | None = None
    years: list[int] = field(default_factory=list)

    @property
    def count_by_stage(self) -> dict[str, int]:
        return {row.stage: row.count for row in self.by_stage}

    @property
    def over_time_changes(self) -> list[RatePoint]:
        """The months in which a figure changed (and the latest), newest first: the
        table beside the rate chart, without the flat stretches."""
        rows, previous = [], None
        for point in self.over_time:
            key = (point.committed_idr, point.delivered_idr, point.paid_idr)
            if key != previous or point is self.over_time[-1]:
                rows.append(point)
            previous = key
        return rows[::-1]

    @property
    def at_risk_rule(self) -> str:
        return str(AT_RISK_RULE % {"days": self.stale_after_days, "unpaid": UNPAID_AFTER_DAYS})

    @property
    def committed_rule(self) -> str:
        return str(COMMITTED_RULE)

    def top(self, limit: int = 10) -> list[Deal]:
        return self.deals[:limit]


# --- Helpers ----------------------------------------------------------------------


def organiser_side(deal: Deal):
    """The organising province's participant in the deal (seller in a sale, buyer in a purchase)."""
    return deal.seller if deal.seller.side == Side.ORGANISER else deal.buyer


def _local_date(moment: dt.datetime, mission: Mission) -> dt.date:
    return moment.astimezone(mission.host.zone).date()


def _mission_day(mission: Mission) -> dt.date:
    return _local_date(mission.opens_at, mission)


def _read_deals(missions: list[Mission]) -> list[Deal]:
    """The live deals of the missions, each with `mission` set from the list; one query."""
    if not missions:
        return []
    by_id = {m.pk: m for m in missions}
    deals = list(
        live_deals(mission_ids=by_id)
        .select_related("seller__business__regency", "buyer__business__regency")
        .order_by("-value_idr", "id")
    )
    for deal in deals:
        deal.mission = by_id[deal.mission_id]
        deal.committed_on = _local_date(deal.recorded_at, deal.mission)
        deal.progress_on = _local_date(deal.last_progress_at, deal.mission)
        deal.current_stage_label = LifecycleStage(deal.current_stage).label
    return deals


def _group(deals: Iterable[Deal], key: Callable[[Deal], tuple[str, str]]) -> list[Group]:
    """Rows by key, largest committed first; `key` gives (key, display name)."""
    figures: dict[str, Figures] = defaultdict(Figures)
    names: dict[str, str] = {}
    for deal in deals:
        k, name = key(deal)
        figures[k].add(deal)
        names[k] = min(names.get(k, name), name)
    rows = [Group(k, names[k], f) for k, f in figures.items()]
    rows.sort(key=lambda g: (-g.figures.committed_idr, g.name.casefold(), g.key))
    return rows


def _by_direction(deals: list[Deal]) -> list[Group]:
    figures = {d: Figures() for d in Direction.values}
    for deal in deals:
        figures[deal.direction].add(deal)
    # Labels stay lazy: the report may be printed in another language than it was built in.
    return [Group(d, Direction(d).label, figures[d]) for d in Direction.values]


def _commodity_key(deal: Deal) -> tuple[str, str]:
    return deal.commodity.lower(), deal.commodity


def _regency_key(deal: Deal) -> tuple[str, str]:
    regency = organiser_side(deal).business.regency
    return regency.code, regency.name


def _business_key(deal: Deal) -> tuple[str, str]:
    business = organiser_side(deal).business
    return str(business.pk), business.name


def _by_stage(deals: list[Deal]) -> list[StageRow]:
    counts = dict.fromkeys(STAGES, 0)
    values = dict.fromkeys(STAGES, 0)
    for deal in deals:
        counts[deal.current_stage] += 1
        values[deal.current_stage] += deal.value_idr
    return [
        StageRow(stage, LifecycleStage(stage).label, counts[stage], values[stage])
        for stage in STAGES
    ]


def _ageing(deals: list[Deal], today: dt.date) -> list[AgeBucket]:
    """Open deals (neither fully paid nor cancelled) by whole days since commitment."""
    inside: dict[int, list[Deal]] = defaultdict(list)
    for deal in deals:
        if not is_open(deal):
            continue
        age = max((today - deal.committed_on).days, 0)
        for index, (low, high) in enumerate(AGE_BUCKETS):
            if age >= low and (high is None or age <= high):
                inside[index].append(deal)
                break
    return [
        AgeBucket(
            low=low,
            high=high,
            count=len(inside[index]),
            committed_idr=sum(d.value_idr for d in inside[index]),
            outstanding_idr=sum(d.value_idr - d.paid_idr for d in inside[index]),
        )
        for index, (low, high) in enumerate(AGE_BUCKETS)
    ]


def _at_risk(deals: list[Deal], today: dt.date, stale_days: int) -> list[RiskRow]:
    rows = []
    for deal in deals:
        if not is_open(deal):
            continue
        since_progress = (today - deal.progress_on).days
        since_commitment = (today - deal.committed_on).days
        reasons = []
        if is_stale(since_progress, stale_days):
            reasons.append(STALE)
        if deal.verification == VerificationStatus.DISPUTED:
            reasons.append(DISPUTED)
        if since_commitment > UNPAID_AFTER_DAYS and deal.paid_idr <= 0:
            reasons.append(UNPAID)
        if reasons:
            rows.append(RiskRow(deal, tuple(reasons), since_progress, since_commitment))
    # Largest outstanding value first: where follow-up matters most.
    rows.sort(key=lambda r: (-(r.deal.value_idr - r.deal.paid_idr), r.deal.pk))
    return rows


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _over_time(missions: list[Mission], deals: list[Deal], today: dt.date) -> list[RatePoint]:
    """Cumulative committed, delivered and paid at each month's end since the first
    mission (entries by their `occurred_on`, deals by their commitment date)."""
    if not missions or not deals:
        return []
    entries = (
        RealizationEntry.objects.with_scopes_disabled()
        .filter(deal_id__in=Subquery(live_deals(mission_ids=[m.pk for m in missions]).values("pk")))
        .values_list("kind", "occurred_on", "value_idr")
    )
    delivered: dict[dt.date, int] = defaultdict(int)
    paid: dict[dt.date, int] = defaultdict(int)
    for kind, occurred_on, value in entries:
        month = occurred_on.replace(day=1)
        (paid if kind == RealizationKind.PAYMENT else delivered)[month] += value
    committed: dict[dt.date, int] = defaultdict(int)
    for deal in deals:
        committed[deal.committed_on.replace(day=1)] += deal.value_idr
    first = min(_mission_day(m) for m in missions)
    first = min([first, *committed, *paid, *delivered])
    points, c, d, p = [], 0, 0, 0
    # Everything after today (a mis-dated entry) still counts in the last point.
    last = max([today, *committed, *paid, *delivered])
    for month in _months(first, min(last, today)):
        c, d, p = c + committed[month], d + delivered[month], p + paid[month]
        points.append(RatePoint(month, c, d, p))
    if last > today and points:
        later = [m for m in set(committed) | set(paid) | set(delivered) if m > points[-1].month]
        c += sum(committed[m] for m in later)
        d += sum(delivered[m] for m in later)
        p += sum(paid[m] for m in later)
        points[-1] = RatePoint(points[-1].month, c, d, p)
    return points


def _build(
    missions: list[Mission], deals: list[Deal], *, today: dt.date, stale_days: int
) -> Realization:
    totals = Figures()
    for deal in deals:
        totals.add(deal)
    return Realization(
        today=today,
        missions=missions,
        stale_after_days=stale_days,
        totals=totals,
        deals=deals,
        by_direction=_by_direction(deals),
        by_commodity=_group(deals, _commodity_key),
        by_regency=_group(deals, _regency_key),
        by_business=_group(deals, _business_key),
        by_stage=_by_stage(deals),
        ageing=_ageing(deals, today),
        over_time=_over_time(missions, deals, today),
        at_risk=_at_risk(deals, today, stale_days),
    )


# --- Entry points -----------------------------------------------------------------


def for_mission(mission: Mission, *, today: dt.date | None = None) -> Realization:
    """The dashboard of one mission. `mission.organiser` and `.host` should be
    loaded (select_related); the caller has checked `realization.view_realization`."""
    today = today or local_today(mission.organiser)
    deals = _read_deals([mission])
    return _build([mission], deals, today=today, stale_days=stale_after_days(mission.organiser))


def mission_year(mission: Mission) -> int:
    return _mission_day(mission).year


def for_province(
    province: Province, *, today: dt.date | None = None, year: int | None = None
) -> Realization:
    """The dashboard of every mission `province` organised (those opening in `year`
    when given), with a row per mission and the province's yearly record since 2019
    (always of all its missions). The caller has checked `realization.view_dashboard`."""
    today = today or local_today(province)
    missions = list(
        Mission.objects.with_scopes_disabled()
        .filter(organiser_id=province.pk)
        .select_related("organiser", "host", "host_regency")
        .order_by("-opens_at", "id")
    )
    years = sorted({mission_year(m) for m in missions}, reverse=True)
    if year not in years:
        year = None  # an unknown year shows every mission, as without a filter
    stale_days = stale_after_days(province)
    all_deals = _read_deals(missions)
    chosen = [m for m in missions if year is None or mission_year(m) == year]
    chosen_ids = {m.pk for m in chosen}
    deals = [d for d in all_deals if d.mission_id in chosen_ids]
    board = _build(chosen, deals, today=today, stale_days=stale_days)
    board.year = year
    board.years = years
    per_mission: dict[int, list[Deal]] = defaultdict(list)
    for deal in deals:
        per_mission[deal.mission_id].append(deal)
    at_risk = defaultdict(int)
    for row in board.at_risk:
        at_risk[row.deal.mission_id] += 1
    for mission in chosen:
        figures = Figures()
        for deal in per_mission[mission.pk]:
            figures.add(deal)
        board.mission_rows.append(MissionRow(mission, figures, at_risk[mission.pk]))
    board.series = program_series(missions, all_deals, today=today)
    return board


def program_series(
    missions: list[Mission], deals: list[Deal], *, today: dt.date
) -> list[SeriesYear]:
    """One row per year from 2019 (or the first mission, if earlier) to this year."""
    years = [mission_year(m) for m in missions]
    first = min([FIRST_SERIES_YEAR, *years])
    last = max([today.year, *years])
    count: dict[int, int] = defaultdict(int)
    committed: dict[int, int] = defaultdict(int)
    paid: dict[int, int] = defaultdict(int)
    year_of = {m.pk: mission_year(m) for m in missions}
    for mission in missions:
        count[year_of[mission.pk]] += 1
    for deal in deals:
        committed[year_of[deal.mission_id]] += deal.value_idr
        paid[year_of[deal.mission_id]] += deal.paid_idr
    return [
        SeriesYear(year, count[year], committed[year], paid[year])
        for year in range(first, last + 1)
    ]
