"""Reads of the reports app: which missions have a published transparency page."""

from __future__ import annotations

from django_scopes import scopes_disabled

from niaga.missions.models import Mission
from niaga.realization.models import MissionTransparency


def is_published(mission: Mission) -> bool:
    """True when the mission is public and its transparency page is published."""
    if not mission.is_public:
        return False
    with scopes_disabled():
        return MissionTransparency.objects.filter(mission=mission, is_published=True).exists()


def published_mission(slug: str) -> Mission | None:
    """The public mission with a published transparency page, found without a
    province scope (for the page that needs no login), or None."""
    with scopes_disabled():
        return (
            Mission.objects.select_related("organiser", "host", "host_regency")
            .filter(slug=slug, is_public=True, transparency__is_published=True)
            .first()
        )
