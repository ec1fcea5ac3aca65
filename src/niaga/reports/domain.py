"""Writes of the reports app: publishing a mission's realization on its public
transparency page (/transparansi/<slug>/)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from niaga.audit.domain import record
from niaga.missions.models import Mission
from niaga.realization.models import MissionTransparency


def transparency_set(
    *, actor, mission: Mission, is_published: bool, now: dt.datetime | None = None
) -> MissionTransparency:
    """Publish (or withdraw) the mission's public transparency page.

    Preconditions: `actor` holds `realization.manage_follow_up` for the mission
    (the organising province's admin or mission manager), else PermissionDenied.
    Errors: ValidationError on `is_published` when publishing a mission that is
    not public (`Mission.is_public`); withdrawing is always allowed. Setting the
    state it already has changes nothing and writes no audit event.
    Side effects: the MissionTransparency row and an audit event
    `reports.transparency.published` / `reports.transparency.withdrawn`.
    """
    if not actor.has_perm("realization.manage_follow_up", mission):
        raise PermissionDenied("realization.manage_follow_up")
    if is_published and not mission.is_public:
        raise ValidationError(
            {
                "is_published": [
                    ValidationError(
                        _(
                            "Public realization page: only a public mission can have one. "
                            "Make the mission's board public first."
                        ),
                        code="not_public",
                    )
                ]
            }
        )
    now = now or timezone.now()
    with scopes_disabled(), transaction.atomic():
        row = MissionTransparency.objects.select_for_update().filter(mission=mission).first()
        before = row.is_published if row else False
        if before == is_published:
            # Nothing changes (withdrawing a page never published included).
            return row or MissionTransparency(mission=mission, is_published=False)
        if row is None:
            row = MissionTransparency(mission=mission)
        row.is_published = is_published
        row.changed_by = actor
        row.changed_at = now
        row.save()
        record(
            actor=actor,
            action="reports.transparency." + ("published" if is_published else "withdrawn"),
            province=mission.organiser,
            obj=mission,
            before={"is_published": before},
            after={"is_published": is_published},
        )
    return row
