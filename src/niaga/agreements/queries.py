"""Reads about agreements: the filtered list, validity, overdue action items.

Whether an agreement in force is *expiring* (its validity ends within
`EXPIRING_DAYS` days) or *expired* (it ended before today) follows from its
dates and today, so it is derived here, never stored; every function takes
`today` explicitly (pages pass the province's local date, tests a fixed one).
An action item is *overdue* when it is neither done nor dropped and its due
date is before today.

`agreement_list` and `agreement_with_items` read through the scoped manager and
so run inside a province scope (pages under /province/<slug>/ do);
`signed_at_mission` and `overdue_action_items` cross provinces on purpose and
open the scope themselves, each for exactly the rows it names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import pgettext_lazy
from django_scopes import scopes_disabled

from niaga.agreements.models import (
    ActionItem,
    ActionItemNote,
    ActionItemStatus,
    Agreement,
    AgreementParty,
    AgreementStatus,
)
from niaga.regions.models import Province

EXPIRING_DAYS = 90

ACTIVE = "active"
EXPIRING = "expiring"
EXPIRED = "expired"
TERMINATED = "terminated"
VALIDITY_LABELS = {
    ACTIVE: pgettext_lazy("agreement validity", "In force"),
    EXPIRING: pgettext_lazy("agreement validity", "Expiring"),
    EXPIRED: pgettext_lazy("agreement validity", "Expired"),
    TERMINATED: pgettext_lazy("agreement validity", "Terminated"),
}
OPEN_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


def validity(agreement: Agreement, today: dt.date) -> str:
    """active, expiring, expired or terminated, for one agreement on `today`."""
    if agreement.status == AgreementStatus.TERMINATED:
        return TERMINATED
    if agreement.valid_until is None:
        return ACTIVE
    if agreement.valid_until < today:
        return EXPIRED
    if agreement.valid_until <= today + dt.timedelta(days=EXPIRING_DAYS):
        return EXPIRING
    return ACTIVE


def validity_expression(today: dt.date) -> Case:
    """The same as `validity`, as a database expression (to filter and annotate)."""
    return Case(
        When(status=AgreementStatus.TERMINATED, then=Value(TERMINATED)),
        When(valid_until__lt=today, then=Value(EXPIRED)),
        When(
            valid_until__lte=today + dt.timedelta(days=EXPIRING_DAYS),
            then=Value(EXPIRING),
        ),
        default=Value(ACTIVE),
        output_field=CharField(),
    )


def overdue_condition(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}due_on__lt": today})


def is_overdue(item: ActionItem, today: dt.date) -> bool:
    return item.status in OPEN_STATUSES and item.due_on is not None and item.due_on < today


def days_overdue(item: ActionItem, today: dt.date) -> int:
    return (today - item.due_on).days if is_overdue(item, today) else 0


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; empty values do not filter."""

    province: Province | None = None  # a party to the agreement
    party: str = ""  # words in a party's name
    status: str = ""  # active, expiring, expired, terminated
    year: int | None = None  # signed in
    mission: str = ""  # the mission's slug
    kind: str = ""


def _ordered_parties() -> Prefetch:
    return Prefetch(
        "parties",
        queryset=AgreementParty.all_objects.select_related("province").order_by("position", "id"),
    )


def agreement_list(*, today: dt.date, filters: Filters | None = None) -> QuerySet[Agreement]:
    """The agreements visible in the current scope, newest signing first.

    Each row has `validity` and the counts `overdue_count`, `open_count` and
    `item_count` of its action items (one query for all rows), its owner and
    mission, and its parties prefetched in signing order: the query count does
    not grow with the rows.
    """
    filters = filters or Filters()
    rows = (
        Agreement.objects.select_related("owner", "mission")
        .annotate(
            validity=validity_expression(today),
            overdue_count=Count(
                "action_items", filter=overdue_condition(today, "action_items__"), distinct=True
            ),
            open_count=Count(
                "action_items",
                filter=Q(action_items__status__in=OPEN_STATUSES),
                distinct=True,
            ),
            item_count=Count("action_items", distinct=True),
        )
        .prefetch_related(_ordered_parties())
        .order_by("-signed_on", "-id")
    )
    if filters.province is not None:
        rows = rows.filter(
            Exists(
                AgreementParty.all_objects.filter(
                    agreement=OuterRef("pk"), province=filters.province
                )
            )
        )
    if filters.party:
        rows = rows.filter(
            Exists(
                AgreementParty.all_objects.filter(
                    Q(name__icontains=filters.party) | Q(number__icontains=filters.party),
                    agreement=OuterRef("pk"),
                )
            )
        )
    if filters.status:
        rows = rows.filter(validity=filters.status)
    if filters.year:
        rows = rows.filter(signed_on__year=filters.year)
    if filters.mission:
        rows = rows.filter(mission__slug=filters.mission)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows


def years_signed() -> list[int]:
    """The years in which the visible agreements were signed, newest first."""
    return sorted(
        set(
            Agreement.objects.annotate(year=ExtractYear("signed_on")).values_list("year", flat=True)
        ),
        reverse=True,
    )


def agreement_with_items(pk: int) -> Agreement | None:
    """One visible agreement with its parties, action items (each with its
    responsible party and notes, oldest note first) prefetched; None if not visible."""
    notes = ActionItemNote.all_objects.select_related("written_by").order_by(
        "written_on", "written_at", "id"
    )
    # Items without a due date last, on every database (SQLite sorts NULL first).
    items = (
        ActionItem.all_objects.select_related("owner_party")
        .prefetch_related(Prefetch("notes", queryset=notes))
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )
    return (
        Agreement.objects.select_related("owner", "mission", "created_by")
        .prefetch_related(_ordered_parties(), Prefetch("action_items", queryset=items))
        .filter(pk=pk)
        .first()
    )


def signed_at_mission(mission) -> list[Agreement]:
    """The agreements signed at `mission`, by signing date, parties prefetched.

    For the mission report: every agreement recorded with this mission, by
    whichever province recorded it (the organiser or the host). The scope is
    disabled only for this one mission's agreements.
    """
    with scopes_disabled():
        return list(
            Agreement.all_objects.filter(mission_id=mission.pk)
            .select_related("owner")
            .prefetch_related(_ordered_parties())
            .order_by("signed_on", "id")
        )


def overdue_action_items(province: Province, today: dt.date) -> list[ActionItem]:
    """Overdue action items of agreements in force that `province` recorded or is
    party to, most overdue first, with their agreement (for reminders).

    Crosses the scope on purpose (an officer's home page): only this province's
    agreements are read.
    """
    with scopes_disabled():
        parties = AgreementParty.all_objects.filter(province=province).values("agreement_id")
        return list(
            ActionItem.all_objects.filter(overdue_condition(today))
            .filter(
                Q(agreement__owner=province) | Q(agreement_id__in=parties),
                agreement__status=AgreementStatus.ACTIVE,
            )
            .select_related("agreement", "owner_party")
            .order_by("due_on", "id")
        )
