"""The follow-up list: which commitments need a call, and who makes it.

A deal *needs follow-up* (is stale) when it is still open (neither cancelled
nor fully paid: its stage is not batal or dibayar and its payments are below
its committed value) and nothing has moved for N days: no stage move, no
realization entry, counted from the deal's own recording. N is the
organising province's `FollowUpPolicy.stale_after_days`, or
DEFAULT_STALE_AFTER_DAYS. Days count in the mission's host province's
calendar: a deal whose last progress was on 1 March is stale with N = 30 from
31 March. A contact logged with the seller or buyer is *not* progress.

Everything takes an explicit `today` (a date) so tests run on a fixed clock;
None means today in the organising province's zone. Two queries read any
number of deals (the deals with their businesses, mission and officer, then
their latest contacts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from niaga.accounts.models import User
from niaga.missions.models import Business, Deal, Mission
from niaga.realization.models import (
    DEFAULT_STALE_AFTER_DAYS,
    ContactLog,
    FollowUpPolicy,
    LifecycleStage,
)
from niaga.realization.queries import live_deals
from niaga.regions.models import Province

CLOSED_STAGES = (LifecycleStage.BATAL, LifecycleStage.DIBAYAR)


def stale_after_days(province: Province) -> int:
    """The province's follow-up period in days (its settings, else the default)."""
    policy = FollowUpPolicy.objects.with_scopes_disabled().filter(province_id=province.pk).first()
    return policy.stale_after_days if policy else DEFAULT_STALE_AFTER_DAYS


def policy_of(province: Province) -> FollowUpPolicy:
    """The province's settings row, or an unsaved one with the defaults."""
    policy = FollowUpPolicy.objects.with_scopes_disabled().filter(province_id=province.pk).first()
    return policy or FollowUpPolicy(province=province)


def local_today(province: Province, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(province.zone).date()


def is_open(deal: Deal) -> bool:
    """Neither cancelled nor fully paid: still to be followed up (a `live_deals` row)."""
    return deal.current_stage not in CLOSED_STAGES and deal.paid_idr < deal.value_idr


def is_stale(days_without_progress: int, stale_after_days: int) -> bool:
    """The follow-up rule for an open deal (module docstring); the dashboard's
    "no progress" risk uses it too."""
    return days_without_progress >= stale_after_days


@dataclass
class Row:
    """One deal on the follow-up list, with what the officer needs to call."""

    deal: Deal
    mission: Mission
    stage: str
    progress_on: dt.date
    days_without_progress: int
    stale_after_days: int
    officer: User | None
    last_contact: ContactLog | None

    @property
    def is_stale(self) -> bool:
        return self.is_open and is_stale(self.days_without_progress, self.stale_after_days)

    @property
    def is_open(self) -> bool:
        return is_open(self.deal)

    @property
    def stage_label(self) -> str:
        return LifecycleStage(self.stage).label

    @property
    def seller(self) -> Business:
        return self.deal.seller.business

    @property
    def buyer(self) -> Business:
        return self.deal.buyer.business

    @property
    def outstanding_idr(self) -> int:
        return max(self.deal.value_idr - self.deal.paid_idr, 0)


def _missions(missions: Iterable[Mission]) -> dict[int, Mission]:
    return {m.pk: m for m in missions}


def rows(
    missions: Iterable[Mission],
    *,
    today: dt.date | None = None,
    only_stale: bool = True,
    stage: str | None = None,
    officer: User | None = None,
    unassigned: bool = False,
    officer_or_unassigned: User | None = None,
) -> list[Row]:
    """Follow-up rows of the missions' live deals, longest without progress first.

    `only_stale` keeps the deals needing follow-up (module docstring); else
    every live deal is listed (cancelled and paid ones too). `stage` keeps one
    current stage; `officer` the deals that officer is responsible for;
    `unassigned` the deals nobody is; `officer_or_unassigned` both at once
    (a manager's reminders). The missions' organisers' settings give N.
    """
    by_id = _missions(missions)
    if not by_id:
        return []
    periods: dict[str, int] = {}
    organisers = {m.organiser_id: m.organiser for m in by_id.values()}
    policies = dict(
        FollowUpPolicy.objects.with_scopes_disabled()
        .filter(province_id__in=list(organisers))
        .values_list("province_id", "stale_after_days")
    )
    for code in organisers:
        periods[code] = policies.get(code, DEFAULT_STALE_AFTER_DAYS)
    latest_contact = (
        ContactLog.objects.with_scopes_disabled()
        .filter(deal=OuterRef("pk"))
        .order_by("-contacted_on", "-recorded_at", "-id")
        .values("pk")[:1]
    )
    deals = (
        live_deals(mission_ids=list(by_id))
        .select_related("seller__business", "buyer__business", "assignment__officer")
        .annotate(last_contact_id=Subquery(latest_contact))
    )
    if only_stale:
        deals = deals.exclude(current_stage__in=CLOSED_STAGES).filter(paid_idr__lt=F("value_idr"))
    if stage:
        deals = deals.filter(current_stage=stage)
    if officer is not None:
        deals = deals.filter(assignment__officer=officer)
    if unassigned:
        deals = deals.filter(assignment__isnull=True)
    if officer_or_unassigned is not None:
        deals = deals.filter(
            Q(assignment__officer=officer_or_unassigned) | Q(assignment__isnull=True)
        )
    deals = list(deals.order_by("last_progress_at", "id"))
    contact_ids = [d.last_contact_id for d in deals if d.last_contact_id]
    contacts = {
        c.pk: c
        for c in ContactLog.objects.with_scopes_disabled()
        .filter(pk__in=contact_ids)
        .select_related("recorded_by")
    }
    found = []
    for deal in deals:
        mission = by_id[deal.mission_id]
        deal.mission = mission
        day = today or local_today(mission.organiser)
        progress_on = deal.last_progress_at.astimezone(mission.host.zone).date()
        assignment = getattr(deal, "assignment", None)
        row = Row(
            deal=deal,
            mission=mission,
            stage=deal.current_stage,
            progress_on=progress_on,
            days_without_progress=max((day - progress_on).days, 0),
            stale_after_days=periods[mission.organiser_id],
            officer=assignment.officer if assignment else None,
            last_contact=contacts.get(deal.last_contact_id),
        )
        if only_stale and not row.is_stale:
            continue
        found.append(row)
    found.sort(key=lambda r: (-r.days_without_progress, -r.deal.value_idr, r.deal.pk))
    return found


def province_missions(province: Province) -> list[Mission]:
    """The missions `province` organises (its officers follow their deals up), newest first."""
    return list(
        Mission.objects.with_scopes_disabled()
        .filter(organiser=province)
        .select_related("organiser", "host")
        .order_by("-opens_at")
    )


def stale_deals_of_mission(mission: Mission, *, today: dt.date | None = None) -> list[Row]:
    """The mission's deals needing follow-up."""
    return rows([mission], today=today)


def stale_deals_of_province(province: Province, *, today: dt.date | None = None) -> list[Row]:
    """The deals needing follow-up across the missions `province` organises."""
    return rows(province_missions(province), today=today)


def reminders_for(
    user: User, province: Province, *, manager: bool, today: dt.date | None = None
) -> list[Row]:
    """The stale deals `user` should chase in `province`: those assigned to them,
    and, for a manager, those nobody is assigned to."""
    missions = province_missions(province)
    if manager:
        return rows(missions, today=today, officer_or_unassigned=user)
    return rows(missions, today=today, officer=user)
