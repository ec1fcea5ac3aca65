"""Helpers for a small mission world; its fixtures (mission, sellers, buyers) are in
tests/conftest.py so that browser and API tests share them."""

import datetime as dt

from niaga.missions import domain
from niaga.missions.models import MissionStatus
from niaga.regions.models import Regency

WITA = dt.timezone(dt.timedelta(hours=8))


def make_mission(actor, organiser, host, *, slug="uji-misi", status=MissionStatus.OPEN, **extra):
    mission = domain.mission_create(
        actor=actor,
        organiser=organiser,
        slug=slug,
        name=f"Misi uji {slug}",
        host=host,
        host_regency=Regency.objects.get(code="63.71" if host.code == "63" else f"{host.code}.71"),
        venue="Galaxy Hotel",
        opens_at=dt.datetime(2022, 4, 13, 11, 0, tzinfo=WITA),
        closes_at=dt.datetime(2022, 4, 13, 22, 0, tzinfo=WITA),
        **extra,
    )
    if status != MissionStatus.PLANNED:
        domain.mission_set_status(actor=actor, mission=mission, status=MissionStatus.OPEN)
    if status == MissionStatus.CLOSED:
        domain.mission_set_status(actor=actor, mission=mission, status=MissionStatus.CLOSED)
    return mission


def add_business(actor, mission, name, regency_code, side):
    regency = Regency.objects.select_related("province").get(code=regency_code)
    business = domain.business_create(
        actor=actor,
        owner=mission.organiser,
        name=name,
        province=regency.province,
        regency=regency,
        sector="Pangan",
        commodities="telur, beras",
    )
    return domain.participant_add(actor=actor, mission=mission, business=business, side=side)
