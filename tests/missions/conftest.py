"""A small mission world: East Java hosts nothing, visits South Kalimantan."""

import datetime as dt

import pytest

from niaga.missions import domain
from niaga.missions.models import MissionStatus, Side
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


@pytest.fixture
def mission(jatim, kalsel, jatim_admin):
    return make_mission(jatim_admin, jatim, kalsel)


@pytest.fixture
def sellers(mission, jatim_admin):
    return [
        add_business(jatim_admin, mission, "UD Telur Makmur", "35.05", Side.ORGANISER),
        add_business(jatim_admin, mission, "CV Kopi Ijen", "35.10", Side.ORGANISER),
    ]


@pytest.fixture
def buyers(mission, jatim_admin):
    return [
        add_business(jatim_admin, mission, "PT Borneo Pangan", "63.71", Side.HOST),
        add_business(jatim_admin, mission, "CV Batubara Tanah Laut", "63.01", Side.HOST),
    ]
