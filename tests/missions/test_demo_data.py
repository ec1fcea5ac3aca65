"""The demo mission of 13 April 2022: exact totals, snapshots, participants, repeatable loading."""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Sum
from django_scopes import scopes_disabled

from niaga.accounts.demo import load as load_accounts
from niaga.accounts.models import User
from niaga.audit.models import AuditEvent
from niaga.missions import demo, demo_data
from niaga.missions.domain import DealInput, deal_record
from niaga.missions.models import (
    Business,
    Deal,
    LedgerState,
    Mission,
    MissionStatus,
    Participant,
    Snapshot,
)

WITA = demo_data.WITA
AT_1800 = dt.datetime(2022, 4, 13, 18, 0, tzinfo=WITA)
AT_1830 = dt.datetime(2022, 4, 13, 18, 30, tzinfo=WITA)
OPENING = dt.datetime(2022, 4, 13, 11, 0, tzinfo=WITA)


def load_demo() -> list[str]:
    lines: list[str] = []
    load_accounts(out=lines.append)
    assert demo.load(out=lines.append) == []
    return lines


def row_counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (Business, Mission, Participant, Deal, LedgerState, Snapshot, AuditEvent)
        }


@pytest.fixture
def mission(db) -> Mission:
    """The demo loaded once (about 2 s: every row goes through the domain functions)."""
    load_demo()
    with scopes_disabled():
        return Mission.objects.select_related("ledger", "host_regency").get(
            slug="jatim-kalsel-2022"
        )


# Loading takes seconds, so one test checks the whole demo through these helpers.
def test_the_demo_missions(mission):
    check_the_day_adds_up_to_the_announced_rupiah(mission)
    check_the_mission_and_its_participants(mission)
    check_the_practice_mission_is_open_for_the_desk(mission)


def check_the_day_adds_up_to_the_announced_rupiah(mission):
    with scopes_disabled():
        state = LedgerState.objects.get(mission=mission)
        deals = Deal.objects.filter(mission=mission)
        total = deals.aggregate(total=Sum("value_idr"))["total"]
        by_1800 = deals.filter(recorded_at__lte=AT_1800).aggregate(total=Sum("value_idr"))
        by_direction = {
            direction: deals.filter(direction=direction).aggregate(total=Sum("value_idr"))["total"]
            for direction in ("sell", "buy", "invest")
        }
        times = list(deals.values_list("recorded_at", flat=True))
        recorders = set(deals.values_list("recorded_by__username", flat=True))
        keys = list(deals.values_list("idempotency_key", flat=True))
        snapshots = list(Snapshot.objects.filter(mission=mission).order_by("announced_at"))

    assert state.total_idr == total == 147_321_766_000
    assert state.count == deals.count() == len(times)
    assert by_1800["total"] == 147_312_766_000
    assert (state.sell_idr, state.buy_idr, state.invest_idr) == (
        by_direction["sell"],
        by_direction["buy"],
        by_direction["invest"],
    )
    # Most of the value is sold (jual), a good share bought (beli), a little invested.
    assert state.sell_idr > state.buy_idr > state.invest_idr > 0
    assert 100 <= state.count <= 200
    assert all(OPENING <= at <= AT_1830 for at in times)
    assert state.last_recorded_at == max(times)
    assert recorders == {"jatim-desk"}
    assert len(set(keys)) == len(keys)
    assert all(key.startswith("demo-jatim-kalsel-2022-") for key in keys)

    count_1800 = sum(1 for at in times if at <= AT_1800)
    assert [(s.announced_at, s.total_idr, s.count) for s in snapshots] == [
        (AT_1800, 147_312_766_000, count_1800),
        (AT_1830, 147_321_766_000, len(times)),
    ]


def check_the_mission_and_its_participants(mission):
    assert mission.name == "Misi Dagang dan Investasi Jawa Timur – Kalimantan Selatan"
    assert (mission.organiser.slug, mission.host.slug) == ("jatim", "kalsel")
    assert mission.host_regency.code == "63.71"
    assert mission.venue == "Galaxy Hotel Banjarmasin"
    assert mission.opens_at == OPENING
    assert mission.closes_at == dt.datetime(2022, 4, 13, 22, 0, tzinfo=WITA)
    assert mission.status == MissionStatus.CLOSED and mission.is_public

    with scopes_disabled():
        participants = list(Participant.objects.filter(mission=mission).select_related("business"))
    sides = Counter(p.side for p in participants)
    assert sides == {"organiser": 72, "host": 100}
    for participant in participants:
        business = participant.business
        assert business.owner_id == "35"
        assert business.province_id == ("35" if participant.side == "organiser" else "63")
        assert business.regency_id.startswith(business.province_id + ".")
        assert business.sector and business.commodities and business.contact_name
        assert business.contact_phone.startswith("08") and len(business.contact_phone) == 12
        assert business.nib == "" or (len(business.nib) == 13 and business.nib.isdigit())
    regencies = Counter(p.business.regency_id[:2] for p in participants)
    assert len({p.business.regency_id for p in participants if p.side == "organiser"}) >= 30
    assert len({p.business.regency_id for p in participants if p.side == "host"}) == 13
    assert regencies == {"35": 72, "63": 100}


def test_loading_again_changes_nothing(mission):
    before = row_counts()
    with scopes_disabled():
        totals = LedgerState.objects.filter(mission=mission).values().get()
        snapshots = list(Snapshot.objects.values_list("announced_at", "total_idr", "count"))

    load_demo()

    assert row_counts() == before
    with scopes_disabled():
        assert LedgerState.objects.filter(mission=mission).values().get() == totals
        assert list(Snapshot.objects.values_list("announced_at", "total_idr", "count")) == (
            snapshots
        )
        assert Mission.objects.get(pk=mission.pk).status == MissionStatus.CLOSED


def check_the_practice_mission_is_open_for_the_desk(mission):
    desk = User.objects.get(username="jatim-desk")
    with scopes_disabled():
        practice = Mission.objects.get(slug="simulasi")
        participants = {p.side: p for p in Participant.objects.filter(mission=practice)}
        assert Participant.objects.filter(mission=practice).count() == 172
        assert set(
            Participant.objects.filter(mission=practice).values_list("business", flat=True)
        ) == set(Participant.objects.filter(mission=mission).values_list("business", flat=True))
        assert not Deal.objects.filter(mission=practice).exists()
    assert practice.status == MissionStatus.OPEN and not practice.is_public
    assert (practice.organiser_id, practice.host_id, practice.host_regency_id) == (
        "35",
        "63",
        "63.71",
    )
    assert desk.has_perm("missions.record_deal", practice)

    deal, created = deal_record(
        actor=desk,
        mission=practice,
        key="latihan-0001",
        data=DealInput(
            direction="sell",
            seller_id=participants["organiser"].pk,
            buyer_id=participants["host"].pk,
            commodity="Telur ayam ras",
            value_idr=250_000_000,
            stage="komitmen",
        ),
    )
    assert created and deal.mission == practice


def test_the_plan_is_the_same_every_time_and_plausible():
    plan = demo_data.deal_plan()
    assert plan == demo_data.deal_plan()
    assert demo_data.businesses() == demo_data.businesses()
    assert len({b.name for b in demo_data.businesses()}) == 172

    assert sum(d.value_idr for d in plan) == demo_data.TOTAL_IDR
    assert sum(d.value_idr for d in plan if d.at <= AT_1800) == demo_data.TOTAL_AT_1800_IDR
    assert sum(d.value_idr for d in plan if d.at > AT_1800) == 9_000_000
    assert [d.at for d in plan] == sorted(d.at for d in plan)
    assert Counter(d.stage for d in plan).most_common(1)[0][0] == "komitmen"
    assert {d.stage for d in plan} == {"potensi", "komitmen", "kontrak"}
    # From tens of millions to tens of billions (the two small deals after 18.00 aside).
    values = [d.value_idr for d in plan if d.at <= AT_1800]
    assert 10_000_000 <= min(values) < 100_000_000
    assert 10_000_000_000 <= max(values) < 100_000_000_000
    assert all(d.hs_code == "" or (len(d.hs_code) == 8 and d.hs_code.isdigit()) for d in plan)
    assert all(d.unit and d.volume > 0 for d in plan if d.direction != "invest")
