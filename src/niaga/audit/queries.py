"""Reading the audit log of the current province scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from niaga.audit.models import AuditEvent
from niaga.regions.models import Province


def events(
    *,
    province: Province,
    action: str = "",
    actor_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The province's events, newest first, filtered.

    `action` matches a dotted prefix: "accounts" finds every accounts event,
    "accounts.role" both grants and revocations. Dates are whole days in the
    province's own zone, both ends included.
    """
    queryset = AuditEvent.objects.filter(province=province).select_related("actor")
    if action:
        queryset = queryset.filter(action__startswith=action.rstrip("."))
    if actor_id:
        queryset = queryset.filter(actor_id=actor_id)
    zone = province.zone
    if date_from:
        queryset = queryset.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, zone))
    if date_to:
        next_day = date_to + dt.timedelta(days=1)
        queryset = queryset.filter(at__lt=dt.datetime.combine(next_day, dt.time.min, zone))
    return queryset.order_by("-at", "-id")


def action_names(province: Province) -> list[str]:
    """Every action recorded in the province, for the filter's choices."""
    return list(
        AuditEvent.objects.filter(province=province)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )


def actors(province: Province) -> list[tuple[int, str]]:
    """(user id, username) of everyone who has an event in the province, for the filter."""
    rows = (
        AuditEvent.objects.filter(province=province, actor__isnull=False)
        .values_list("actor_id", "actor_label")
        .distinct()
        .order_by("actor_label")
    )
    return list(dict(rows).items())
