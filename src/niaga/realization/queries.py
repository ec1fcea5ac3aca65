"""The state of each commitment, computed from the ledger and the realization
rows (never stored twice): the building block of the follow-up list, the
realization dashboard, the report and the API.

`live_deals(...)` returns the live ledger entries (originals and corrections
not reversed) annotated with:

- `current_stage`: the latest lifecycle event's `to_stage`, else the recorded stage;
- `delivered_idr`, `paid_idr`: sums of the deal's delivery and payment entries
  (reversals included, so a reversed entry counts zero);
- `last_event_at`, `last_entry_at`: when the latest stage move and realization
  entry were recorded; `last_progress_at`: the later of these and the deal's
  own `recorded_at` (a contact is not progress: it is logged, not counted);
- `verification`: the latest deal-level finding ('verified', 'disputed' or None).

Each annotation is a correlated subquery, so one query reads any number of
deals; callers add `select_related` for what they show.
"""

from __future__ import annotations

from django.db.models import (
    BigIntegerField,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from niaga.missions.models import Deal, EntryKind
from niaga.realization.models import (
    DealEvent,
    RealizationEntry,
    RealizationKind,
    Verification,
)


def _entry_sum(kind: str):
    rows = (
        RealizationEntry.objects.with_scopes_disabled()
        .filter(deal=OuterRef("pk"), kind=kind)
        .order_by()
        .values("deal")
        .annotate(total=Sum("value_idr"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=BigIntegerField()), Value(0))


def live_deals(*, mission_ids=None) -> QuerySet[Deal]:
    """Live ledger entries (of the given missions, or all), annotated (module docstring).

    Scopes are not applied here: callers pass mission ids they have already
    checked the user may see."""
    reversed_entries = Deal.objects.with_scopes_disabled().filter(
        kind=EntryKind.REVERSAL, corrects=OuterRef("pk")
    )
    latest_event = (
        DealEvent.objects.with_scopes_disabled()
        .filter(deal=OuterRef("pk"))
        .order_by("-recorded_at", "-id")
    )
    latest_entry = (
        RealizationEntry.objects.with_scopes_disabled()
        .filter(deal=OuterRef("pk"))
        .order_by("-recorded_at", "-id")
    )
    latest_finding = (
        Verification.objects.with_scopes_disabled()
        .filter(deal=OuterRef("pk"), entry__isnull=True)
        .order_by("-verified_at", "-id")
    )
    deals = Deal.objects.with_scopes_disabled().exclude(kind=EntryKind.REVERSAL)
    if mission_ids is not None:
        deals = deals.filter(mission_id__in=list(mission_ids))
    deals = deals.exclude(Exists(reversed_entries)).annotate(
        current_stage=Coalesce(Subquery(latest_event.values("to_stage")[:1]), "stage"),
        delivered_idr=_entry_sum(RealizationKind.DELIVERY),
        paid_idr=_entry_sum(RealizationKind.PAYMENT),
        last_event_at=Subquery(latest_event.values("recorded_at")[:1]),
        last_entry_at=Subquery(latest_entry.values("recorded_at")[:1]),
        verification=Subquery(latest_finding.values("status")[:1]),
    )
    return deals.annotate(
        last_progress_at=Greatest(
            "recorded_at",
            Coalesce("last_event_at", "recorded_at"),
            Coalesce("last_entry_at", "recorded_at"),
        )
    )


def deal_state(deal_id: int) -> Deal | None:
    """One live deal with the annotations of `live_deals`, or None if not live."""
    return live_deals().filter(pk=deal_id).first()
