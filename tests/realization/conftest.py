"""A mission world for follow-up tests, on a fixed clock.

East Java's open mission to South Kalimantan (tests/conftest.py `mission`)
with three deals recorded on the mission day (13 April 2022, 19.00 WITA):
an egg sale of Rp 100.000.000 (komitmen), a coffee sale of Rp 40.000.000
(potensi) and a purchase of coal of Rp 250.000.000 (kontrak). South
Kalimantan organises its own mission to Bali with one deal: the rows an East
Java user must never reach. `NOW` is 1 June 2022, 10.00 WITA.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from niaga.missions import domain as missions
from niaga.missions.domain import DealInput
from niaga.missions.models import Deal, Direction, Side
from niaga.regions.models import Province
from tests.conftest import make_user
from tests.missions.conftest import add_business, make_mission

WITA = dt.timezone(dt.timedelta(hours=8))
MISSION_EVENING = dt.datetime(2022, 4, 13, 19, 0, tzinfo=WITA)
NOW = dt.datetime(2022, 6, 1, 10, 0, tzinfo=WITA)
TODAY = NOW.date()


def key() -> str:
    return uuid.uuid4().hex


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=WITA)


def record_deal(actor, mission, seller, buyer, *, value, stage, commodity, direction="sell"):
    deal, _created = missions.deal_record(
        actor=actor,
        mission=mission,
        key=key(),
        data=DealInput(
            direction=direction,
            seller_id=seller.pk,
            buyer_id=buyer.pk,
            commodity=commodity,
            value_idr=value,
            stage=stage,
        ),
    )
    # Set-up only: the deal was recorded on the mission evening of the fixed clock.
    with scopes_disabled():
        Deal.objects.filter(pk=deal.pk).update(recorded_at=MISSION_EVENING)
        return Deal.objects.select_related("mission").get(pk=deal.pk)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def deals(mission, sellers, buyers, jatim_admin):
    eggs = record_deal(
        jatim_admin,
        mission,
        sellers[0],
        buyers[0],
        value=100_000_000,
        stage="komitmen",
        commodity="Telur ayam ras",
    )
    coffee = record_deal(
        jatim_admin,
        mission,
        sellers[1],
        buyers[1],
        value=40_000_000,
        stage="potensi",
        commodity="Kopi arabika",
    )
    coal = record_deal(
        jatim_admin,
        mission,
        buyers[1],
        sellers[0],
        value=250_000_000,
        stage="kontrak",
        commodity="Batubara",
        direction=Direction.BUY,
    )
    return {"eggs": eggs, "coffee": coffee, "coal": coal}


@pytest.fixture
def eggs(deals):
    return deals["eggs"]


@pytest.fixture
def jatim_verifier(jatim):
    return make_user("jatim-verifikator", province=jatim, roles=[Role.VERIFIER])


@pytest.fixture
def jatim_manager(jatim):
    return make_user("jatim-manager", province=jatim, roles=[Role.MISSION_MANAGER])


@pytest.fixture
def kalsel_verifier(kalsel):
    return make_user("kalsel-verifikator", province=kalsel, roles=[Role.VERIFIER])


@pytest.fixture
def bali_verifier(db):
    bali = Province.objects.get(slug="bali")
    return make_user("bali-verifikator", province=bali, roles=[Role.VERIFIER])


@pytest.fixture
def kalsel_world(kalsel, kalsel_admin):
    """South Kalimantan's own mission to Bali, with one deal."""
    bali = Province.objects.get(slug="bali")
    other = make_mission(kalsel_admin, kalsel, bali, slug="kalsel-bali")
    seller = add_business(kalsel_admin, other, "CV Purun Banjar", "63.71", Side.ORGANISER)
    buyer = add_business(kalsel_admin, other, "PT Bali Kriya", "51.71", Side.HOST)
    deal = record_deal(
        kalsel_admin,
        other,
        seller,
        buyer,
        value=75_000_000,
        stage="komitmen",
        commodity="Anyaman purun",
    )
    return {"mission": other, "deal": deal}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
