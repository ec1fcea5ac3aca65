"""Reads of missions and their ledgers: totals, breakdowns, lists.

Totals come from `LedgerState` (one row, kept equal to the ledger's sum by the
domain functions). Breakdowns are computed from the ledger and cached under
the ledger's version, so a cached figure is never older than the ledger:
every app server reads the version from the database before using its cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Case, F, IntegerField, Min, Sum, Value, When
from django.db.models.functions import ExtractHour, Lower
from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.missions.models import Deal, LedgerState, Mission, Snapshot
from niaga.regions.models import Regency

BREAKDOWN_CACHE_SECONDS = 600


@dataclass(frozen=True)
class Totals:
    mission: Mission
    version: int
    total_idr: int
    count: int
    sell_idr: int
    buy_idr: int
    invest_idr: int
    last_recorded_at: datetime | None
    as_of: datetime

    @property
    def by_direction(self) -> dict[str, int]:
        return {"sell": self.sell_idr, "buy": self.buy_idr, "invest": self.invest_idr}


def totals(mission: Mission) -> Totals:
    """The mission's running totals; one primary-key read."""
    state = LedgerState.objects.with_scopes_disabled().get(mission_id=mission.pk)
    return Totals(
        mission=mission,
        version=state.version,
        total_idr=state.total_idr,
        count=state.count,
        sell_idr=state.sell_idr,
        buy_idr=state.buy_idr,
        invest_idr=state.invest_idr,
        last_recorded_at=state.last_recorded_at,
        as_of=timezone.now(),
    )


def public_mission(slug: str) -> Mission | None:
    """A mission whose board is public, found by slug without any province scope."""
    with scopes_disabled():
        return (
            Mission.objects.select_related("organiser", "host", "host_regency")
            .filter(slug=slug, is_public=True)
            .first()
        )


def _cached(mission: Mission, version: int, name: str, compute):
    key = f"missions:{mission.pk}:v{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, BREAKDOWN_CACHE_SECONDS)
    return value


def _ledger(mission: Mission):
    return Deal.objects.with_scopes_disabled().filter(mission_id=mission.pk)


def by_commodity(mission: Mission, version: int, limit: int | None = None) -> list[dict]:
    """[{commodity, total_idr, count}] largest first; spelling differences in case merge."""

    def compute():
        rows = (
            _ledger(mission)
            .annotate(key=Lower("commodity"))
            .values("key")
            .annotate(total_idr=Sum("value_idr"), count=Sum(_net_count()), name=_first_name())
            .filter(total_idr__gt=0)
            .order_by("-total_idr", "key")
        )
        return [
            {"commodity": r["name"], "total_idr": r["total_idr"], "count": r["count"]} for r in rows
        ]

    rows = _cached(mission, version, "commodity", compute)
    return rows[:limit] if limit else rows


def by_regency(mission: Mission, version: int) -> list[dict]:
    """[{regency, name, total_idr, count}] by the regency/city of origin: where the
    organising province's business in each deal comes from (the seller in a sale,
    the buyer in a purchase), which is what the organiser reports on."""

    def compute():
        organiser_regency = Case(
            When(seller__side="organiser", then=F("seller__business__regency")),
            default=F("buyer__business__regency"),
        )
        rows = (
            _ledger(mission)
            .annotate(origin=organiser_regency)
            .values("origin")
            .annotate(total_idr=Sum("value_idr"), count=Sum(_net_count()))
            .filter(total_idr__gt=0)
            .order_by("-total_idr", "origin")
        )
        rows = list(rows)
        names = dict(
            Regency.objects.filter(code__in=[r["origin"] for r in rows]).values_list("code", "name")
        )
        return [
            {
                "regency": r["origin"],
                "name": names.get(r["origin"], r["origin"]),
                "total_idr": r["total_idr"],
                "count": r["count"],
            }
            for r in rows
        ]

    return _cached(mission, version, "regency", compute)


def by_stage(mission: Mission, version: int) -> dict[str, int]:
    def compute():
        rows = _ledger(mission).values("stage").annotate(total=Sum("value_idr"))
        return {r["stage"]: r["total"] for r in rows}

    return _cached(mission, version, "stage", compute)


def by_hour(mission: Mission, version: int) -> list[dict]:
    """[{hour, total_idr, count}] by the hour of the day in the host's zone."""

    def compute():
        rows = (
            _ledger(mission)
            .annotate(hour=ExtractHour("recorded_at", tzinfo=mission.host.zone))
            .values("hour")
            .annotate(total_idr=Sum("value_idr"), count=Sum(_net_count()))
            .order_by("hour")
        )
        return [dict(r) for r in rows]

    return _cached(mission, version, "hour", compute)


def snapshots(mission: Mission) -> list[Snapshot]:
    return list(
        Snapshot.objects.with_scopes_disabled()
        .filter(mission_id=mission.pk)
        .order_by("announced_at")
    )


def recent_deals(mission: Mission, limit: int = 10) -> list[Deal]:
    return list(
        _ledger(mission)
        .select_related("seller__business__regency", "buyer__business__regency")
        .order_by("-recorded_at", "-id")[:limit]
    )


def _net_count():
    """+1 for a recorded or corrected deal, -1 for a reversal: the count of live deals."""
    return Case(
        When(kind="reversal", then=Value(-1)), default=Value(1), output_field=IntegerField()
    )


def _first_name():
    return Min("commodity")


def ledger_sums(mission: Mission) -> dict[str, int]:
    """The ledger summed directly (for reconciliation and tests): total and live count."""
    result = _ledger(mission).aggregate(total=Sum("value_idr"), count=Sum(_net_count()))
    return {"total_idr": result["total"] or 0, "count": result["count"] or 0}
