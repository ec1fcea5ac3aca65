"""The report tests' world: East Java's mission to South Kalimantan with five live
deals and a year of follow-up, a corrected (dead) deal, an announced total, and
South Kalimantan's own mission to South Sulawesi whose rows must never leak.

Figures (today = 2026-11-28, follow-up period 30 days):

| deal | direction | commodity       | value  | stage now | delivered | paid      |
| d1   | sell      | Telur ayam ras  | 40 M   | dibayar   | 40 M      | 40 M      |
| d2   | sell      | telur ayam ras  | 10 M   | komitmen  | 3 M       | 2 M (+1-1)|
| d3   | buy       | Beras           | 5 M    | kontrak   | 0         | 0         |
| d4   | sell      | Kopi            | 3 M    | batal     | 0         | 0         |
| d5   | sell      | Kopi (8 days)   | 1 M    | kontrak   | 0         | 0         |
(M = miliar.) Committed 59 M, delivered 43 M, paid 42 M.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from niaga.missions import domain as missions_domain
from niaga.missions.models import Side, Snapshot
from niaga.regions.models import Province
from tests.conftest import make_user
from tests.missions.conftest import add_business, make_mission
from tests.reports import helpers as h

M = 10**9


@dataclass
class World:
    mission: object
    deals: dict
    other_mission: object
    other_deal: object


@pytest.fixture
def sulsel(db) -> Province:
    return Province.objects.get(slug="sulsel")


@pytest.fixture
def sulsel_admin(sulsel):
    return make_user("sulsel-admin", province=sulsel, roles=[Role.PROVINCE_ADMIN])


@pytest.fixture
def jatim_verifier(jatim):
    return make_user("jatim-verifier", province=jatim, roles=[Role.VERIFIER])


@pytest.fixture
def world(mission, sellers, buyers, jatim_admin, jatim_verifier, kalsel, sulsel, kalsel_admin):
    return make_world(
        mission, sellers, buyers, jatim_admin, jatim_verifier, kalsel, sulsel, kalsel_admin
    )


def make_world(mission, sellers, buyers, jatim_admin, jatim_verifier, kalsel, sulsel, kalsel_admin):
    actor = jatim_admin
    s0, s1 = sellers
    b0, b1 = buyers
    h.set_contact(s0, "Budi Santoso", "081234567890")
    h.set_contact(b0, "Siti Rahmah", "+62 811 5000 4321")
    d1 = h.record_deal(actor, mission, s0, b0, 40 * M, volume=h.Decimal("400000"), unit="kg")
    d2 = h.record_deal(actor, mission, s1, b1, 10 * M, commodity="telur ayam ras", stage="komitmen")
    d3 = h.record_deal(actor, mission, b0, s0, 5 * M, commodity="Beras", direction="buy")
    d4 = h.record_deal(actor, mission, s1, b0, 3 * M, commodity="Kopi", stage="potensi")
    snap = missions_domain.snapshot_announce(actor=actor, mission=mission)
    with scopes_disabled():
        Snapshot.objects.filter(pk=snap.pk).update(
            announced_at=dt.datetime(2022, 4, 13, 18, 30, tzinfo=h.WITA)
        )
    d5 = h.record_deal(
        actor,
        mission,
        s0,
        b1,
        1 * M,
        commodity="Kopi",
        at=dt.datetime(2026, 11, 20, 10, 0, tzinfo=h.WITA),
    )
    dead = h.record_deal(actor, mission, s1, b1, 7 * M, commodity="Salah catat")
    missions_domain.deal_correct(actor=actor, deal=dead, key="koreksi-0001", reason="salah input")

    # d1: delivered, paid in two instalments, verified.
    h.move(d1, actor, "terkirim", dt.date(2022, 6, 1))
    h.deliver(d1, actor, 40 * M, dt.date(2022, 6, 1))
    h.pay(d1, actor, 25 * M, dt.date(2022, 7, 15))
    h.pay(d1, actor, 15 * M, dt.date(2022, 9, 1))
    h.move(d1, actor, "dibayar", dt.date(2022, 9, 1), from_stage="terkirim")
    h.verify(d1, jatim_verifier, "verified", dt.date(2022, 9, 10))
    # d2: part delivered and paid, a payment recorded by mistake and reversed, disputed.
    h.deliver(d2, actor, 3 * M, dt.date(2022, 8, 1))
    h.pay(d2, actor, 2 * M, dt.date(2022, 8, 10))
    wrong = h.pay(d2, actor, 1 * M, dt.date(2022, 9, 20))
    h.reverse(wrong, actor, dt.date(2022, 10, 1))
    h.verify(d2, jatim_verifier, "disputed", dt.date(2022, 10, 5))
    # d3 silent; d4 cancelled; d5 recorded eight days ago.
    h.move(d4, actor, "batal", dt.date(2022, 5, 2))

    # South Kalimantan's own mission (to South Sulawesi), with a payment.
    other = make_mission(kalsel_admin, kalsel, sulsel, slug="kalsel-sulsel")
    ks = add_business(kalsel_admin, other, "CV Intan Banjar", "63.71", Side.ORGANISER)
    kb = add_business(kalsel_admin, other, "PT Makassar Jaya", "73.71", Side.HOST)
    h.set_contact(ks, "Rahmat", "085100000001")
    other_deal = h.record_deal(kalsel_admin, other, ks, kb, 9 * M, commodity="Batu bara")
    h.pay(other_deal, kalsel_admin, 4 * M, dt.date(2022, 8, 1))
    mission.refresh_from_db()
    return World(
        mission=mission,
        deals={"d1": d1, "d2": d2, "d3": d3, "d4": d4, "d5": d5, "dead": dead},
        other_mission=other,
        other_deal=other_deal,
    )
