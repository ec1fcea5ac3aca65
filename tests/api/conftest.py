"""A small API world.

- `jatim_mission`: East Java's open mission hosted by South Kalimantan (not public),
  with two East Java businesses on the organiser's side and two South Kalimantan
  businesses on the host side.
- `kalsel_mission`: South Kalimantan's own open mission to Bali, with its own
  participants and a deal: the rows an East Java token must never see.
- `bearer(user)`: a fresh API token for a user, as request headers.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client

from niaga.api import domain as api_domain
from niaga.missions import domain
from niaga.missions.domain import DealInput
from niaga.missions.models import MissionStatus, Side
from niaga.regions.models import Province, Regency

WITA = dt.timezone(dt.timedelta(hours=8))


def new_mission(actor, organiser, host, *, slug, status=MissionStatus.OPEN, is_public=False):
    host_regency = Regency.objects.filter(province=host).order_by("code").last()
    mission = domain.mission_create(
        actor=actor,
        organiser=organiser,
        slug=slug,
        name=f"Misi {slug}",
        host=host,
        host_regency=host_regency,
        venue="Galaxy Hotel",
        opens_at=dt.datetime(2022, 4, 13, 11, 0, tzinfo=WITA),
        closes_at=dt.datetime(2022, 4, 13, 22, 0, tzinfo=WITA),
        is_public=is_public,
    )
    if status in (MissionStatus.OPEN, MissionStatus.CLOSED):
        domain.mission_set_status(actor=actor, mission=mission, status=MissionStatus.OPEN)
    if status == MissionStatus.CLOSED:
        domain.mission_set_status(actor=actor, mission=mission, status=MissionStatus.CLOSED)
    return mission


def join(actor, mission, name: str, regency_code: str, side: str):
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


def key() -> str:
    return str(uuid.uuid4())


def bearer(user, name: str = "uji") -> dict[str, str]:
    _row, token = api_domain.token_create(actor=user, user=user, name=name)
    return {"Authorization": f"Bearer {token}"}


class World:
    def __init__(self, mission, organisers, hosts):
        self.mission = mission
        self.organisers = organisers
        self.hosts = hosts

    def sale(self, value_idr: int = 2_500_000_000, **extra) -> dict:
        """A valid JSON body for a sale (jual) from the first organiser business."""
        return {
            "direction": "sell",
            "seller_id": self.organisers[0].pk,
            "buyer_id": self.hosts[0].pk,
            "commodity": "Telur ayam ras",
            "value_idr": value_idr,
            "stage": "komitmen",
            **extra,
        }


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def jatim_world(jatim, kalsel, jatim_admin) -> World:
    mission = new_mission(jatim_admin, jatim, kalsel, slug="misi-jatim")
    organisers = [
        join(jatim_admin, mission, "UD Telur Makmur", "35.05", Side.ORGANISER),
        join(jatim_admin, mission, "CV Kopi Ijen", "35.10", Side.ORGANISER),
    ]
    hosts = [
        join(jatim_admin, mission, "PT Borneo Pangan", "63.71", Side.HOST),
        join(jatim_admin, mission, "CV Batubara Tanah Laut", "63.01", Side.HOST),
    ]
    return World(mission, organisers, hosts)


@pytest.fixture
def kalsel_world(kalsel, kalsel_admin) -> World:
    bali = Province.objects.get(code="51")
    mission = new_mission(kalsel_admin, kalsel, bali, slug="misi-kalsel")
    organisers = [join(kalsel_admin, mission, "UD Intan Banjar", "63.71", Side.ORGANISER)]
    hosts = [join(kalsel_admin, mission, "CV Dewata Niaga", "51.71", Side.HOST)]
    world = World(mission, organisers, hosts)
    domain.deal_record(
        actor=kalsel_admin,
        mission=mission,
        key=key(),
        data=DealInput(
            direction="sell",
            seller_id=organisers[0].pk,
            buyer_id=hosts[0].pk,
            commodity="Intan",
            value_idr=9_000_000_000,
            stage="kontrak",
        ),
    )
    return world


# --- Requests and expected bodies ---------------------------------------------------


def post_json(client, url: str, body, headers: dict | None = None, *, idempotency_key=None):
    headers = dict(headers or {})
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def utc_text(moment: dt.datetime) -> str:
    """How the API writes a time: UTC, microseconds, Z."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def problem(kind: str, status: int, title: str, detail: str, **extra) -> dict:
    return {
        "type": f"/api/v1/docs#problem-{kind}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
