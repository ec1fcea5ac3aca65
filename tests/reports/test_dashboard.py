"""The realization dashboard's figures: equal to the ledger and the entries summed
directly, per stage, ageing, at risk, over time and the province's record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from niaga.missions.queries import ledger_sums
from niaga.realization import dashboard
from niaga.realization.models import FollowUpPolicy
from tests.reports import helpers as h
from tests.reports.conftest import M

pytestmark = pytest.mark.django_db


def test_totals_equal_the_ledger_and_the_entries_summed_directly(world):
    board = dashboard.for_mission(world.mission, today=h.TODAY)
    ledger = ledger_sums(world.mission)
    entries = h.entry_sums(world.mission)
    assert board.totals.committed_idr == ledger["total_idr"] == 59 * M
    assert board.totals.count == ledger["count"] == 5
    assert board.totals.delivered_idr == entries["delivery"] == 43 * M
    assert board.totals.paid_idr == entries["payment"] == 42 * M
    assert board.totals.delivered_count == 2
    assert board.totals.paid_count == 2
    assert board.totals.fully_paid_count == 1
    assert board.totals.rate == pytest.approx(100 * 42 / 59)
    # Every breakdown adds up to the totals.
    for rows in (board.by_direction, board.by_commodity, board.by_regency, board.by_business):
        assert sum(r.figures.committed_idr for r in rows) == 59 * M
        assert sum(r.figures.paid_idr for r in rows) == 42 * M
        assert sum(r.figures.delivered_idr for r in rows) == 43 * M


def test_breakdowns_follow_the_ledgers_rules(world):
    board = dashboard.for_mission(world.mission, today=h.TODAY)
    direction = {g.key: (g.figures.committed_idr, g.figures.paid_idr) for g in board.by_direction}
    assert direction == {"sell": (54 * M, 42 * M), "buy": (5 * M, 0), "invest": (0, 0)}
    # "Telur ayam ras" and "telur ayam ras" are one commodity.
    assert [(g.name, g.figures.committed_idr, g.figures.count) for g in board.by_commodity] == [
        ("Telur ayam ras", 50 * M, 2),
        ("Beras", 5 * M, 1),
        ("Kopi", 4 * M, 2),
    ]
    # Regency of origin: the organising province's side (the buyer in a purchase).
    assert [(g.key, g.figures.committed_idr) for g in board.by_regency] == [
        ("35.05", 46 * M),
        ("35.10", 13 * M),
    ]
    assert [(g.name, g.figures.committed_idr) for g in board.by_business] == [
        ("UD Telur Makmur", 46 * M),
        ("CV Kopi Ijen", 13 * M),
    ]


def test_count_by_stage_uses_the_latest_lifecycle_event(world):
    board = dashboard.for_mission(world.mission, today=h.TODAY)
    assert board.count_by_stage == {
        "potensi": 0,
        "komitmen": 1,
        "kontrak": 2,
        "terkirim": 0,
        "dibayar": 1,
        "batal": 1,
    }
    values = {row.stage: row.value_idr for row in board.by_stage}
    assert values["batal"] == 3 * M and values["kontrak"] == 6 * M


def test_ageing_counts_open_deals_by_days_since_commitment(world):
    board = dashboard.for_mission(world.mission, today=h.TODAY)
    buckets = {(b.low, b.high): (b.count, b.committed_idr, b.outstanding_idr) for b in board.ageing}
    assert buckets == {
        (0, 30): (1, 1 * M, 1 * M),  # d5, eight days old
        (31, 90): (0, 0, 0),
        (91, 180): (0, 0, 0),
        (181, 365): (0, 0, 0),
        (366, None): (2, 15 * M, 13 * M),  # d2 (8 M left) and d3
    }


def test_bucket_edges(world):
    # d5 was recorded on 2026-11-20: 30 days later it is still in the first bucket.
    board = dashboard.for_mission(world.mission, today=dt.date(2026, 12, 20))
    assert board.ageing[0].count == 1
    board = dashboard.for_mission(world.mission, today=dt.date(2026, 12, 21))
    assert board.ageing[0].count == 0 and board.ageing[1].count == 1


def test_deals_at_risk_and_why(world):
    board = dashboard.for_mission(world.mission, today=h.TODAY)
    risk = [(r.deal.pk, r.reasons) for r in board.at_risk]
    assert risk == [
        (world.deals["d2"].pk, ("stale", "disputed")),
        (world.deals["d3"].pk, ("stale", "unpaid")),
    ]
    # d5 goes stale after the province's period; a longer period keeps it off.
    later = dt.date(2026, 12, 20)
    assert world.deals["d5"].pk in [
        r.deal.pk for r in dashboard.for_mission(world.mission, today=later).at_risk
    ]
    with scopes_disabled():
        FollowUpPolicy.objects.create(province=world.mission.organiser, stale_after_days=60)
    board = dashboard.for_mission(world.mission, today=later)
    assert board.stale_after_days == 60
    assert world.deals["d5"].pk not in [r.deal.pk for r in board.at_risk]


def test_realization_rate_over_time_is_cumulative_by_payment_date(world):
    board = dashboard.for_mission(world.mission, today=h.TODAY)
    points = {p.month: p for p in board.over_time}
    assert board.over_time[0].month == dt.date(2022, 4, 1)
    assert board.over_time[-1].month == dt.date(2026, 11, 1)
    assert len(board.over_time) == 12 * 4 + 8
    assert points[dt.date(2022, 4, 1)].paid_idr == 0
    assert points[dt.date(2022, 7, 1)].paid_idr == 25 * M
    assert points[dt.date(2022, 9, 1)].paid_idr == 43 * M  # 25 + 2 + 15 + 1 (later reversed)
    assert points[dt.date(2022, 10, 1)].paid_idr == 42 * M
    assert points[dt.date(2022, 10, 1)].committed_idr == 58 * M
    assert points[dt.date(2022, 10, 1)].rate == pytest.approx(100 * 42 / 58)
    last = board.over_time[-1]
    assert (last.committed_idr, last.delivered_idr, last.paid_idr) == (59 * M, 43 * M, 42 * M)


def test_province_dashboard_covers_its_own_missions_only(world, jatim, kalsel):
    board = dashboard.for_province(jatim, today=h.TODAY)
    assert [row.mission.slug for row in board.mission_rows] == ["uji-misi"]
    assert board.totals.committed_idr == 59 * M
    assert board.mission_rows[0].at_risk == 2
    series = {s.year: (s.missions, s.committed_idr, s.paid_idr) for s in board.series}
    assert list(series) == list(range(2019, 2027))
    assert series[2022] == (1, 59 * M, 42 * M)
    assert series[2019] == (0, 0, 0)
    other = dashboard.for_province(kalsel, today=h.TODAY)
    assert [row.mission.slug for row in other.mission_rows] == ["kalsel-sulsel"]
    assert (other.totals.committed_idr, other.totals.paid_idr) == (9 * M, 4 * M)


def test_year_filter(world, jatim, jatim_admin, kalsel):
    from tests.missions.conftest import make_mission

    later = make_mission(
        jatim_admin,
        jatim,
        kalsel,
        slug="uji-2024",
    )
    from niaga.missions.models import Mission

    with scopes_disabled():
        Mission.objects.filter(pk=later.pk).update(
            opens_at=dt.datetime(2024, 5, 1, 9, tzinfo=h.WITA),
            closes_at=dt.datetime(2024, 5, 1, 20, tzinfo=h.WITA),
        )
    board = dashboard.for_province(jatim, today=h.TODAY, year=2024)
    assert board.year == 2024 and board.years == [2024, 2022]
    assert [r.mission.slug for r in board.mission_rows] == ["uji-2024"]
    assert board.totals.committed_idr == 0
    # The record always shows every year.
    assert {s.year: s.missions for s in board.series}[2022] == 1
    assert dashboard.for_province(jatim, today=h.TODAY, year=2031).year is None


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_query_count_does_not_grow_with_deals(world, jatim_admin, sellers, buyers, jatim):
    mission = world.mission
    dashboard.for_mission(mission, today=h.TODAY)  # loads mission.organiser and .host once
    before_mission = _queries(lambda: dashboard.for_mission(mission, today=h.TODAY))
    before_province = _queries(lambda: dashboard.for_province(jatim, today=h.TODAY))
    for i in range(12):
        deal = h.record_deal(
            jatim_admin,
            mission,
            sellers[i % 2],
            buyers[i % 2],
            (i + 1) * M,
            commodity=f"Barang {i}",
        )
        h.pay(deal, jatim_admin, M // 2, dt.date(2023, 1 + i % 12, 1))
        h.move(deal, jatim_admin, "terkirim", dt.date(2023, 1, 2))
    assert _queries(lambda: dashboard.for_mission(mission, today=h.TODAY)) == before_mission
    assert _queries(lambda: dashboard.for_province(jatim, today=h.TODAY)) == before_province
    assert before_mission <= 3  # policy, deals, entries


def test_the_table_beside_the_rate_chart_keeps_the_months_that_changed(world):
    board = dashboard.for_mission(world.mission, today=h.TODAY)
    assert [p.month for p in board.over_time_changes] == [
        dt.date(2026, 11, 1),
        dt.date(2022, 10, 1),
        dt.date(2022, 9, 1),
        dt.date(2022, 8, 1),
        dt.date(2022, 7, 1),
        dt.date(2022, 6, 1),
        dt.date(2022, 4, 1),
    ]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    deals=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=10**13),  # value
            st.sampled_from(["sell", "buy"]),
            st.lists(st.tuples(st.booleans(), st.integers(1, 10**12), st.booleans()), max_size=3),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_totals_always_equal_the_direct_sums(mission, sellers, buyers, jatim_admin, deals):
    """Whatever is recorded (deliveries, payments, reversals), the dashboard's totals
    are the ledger's sum and the entries' sums, and the breakdowns add up to them."""
    for value, direction, entries in deals:
        seller, buyer = (sellers[0], buyers[0]) if direction == "sell" else (buyers[1], sellers[1])
        deal = h.record_deal(
            jatim_admin, mission, seller, buyer, value, direction=direction, confirm=True
        )
        for is_payment, amount, reversed_ in entries:
            made = (h.pay if is_payment else h.deliver)(deal, jatim_admin, amount, h.TODAY)
            if reversed_:
                h.reverse(made, jatim_admin, h.TODAY)
    board = dashboard.for_mission(mission, today=h.TODAY)
    ledger, sums = ledger_sums(mission), h.entry_sums(mission)
    assert (board.totals.committed_idr, board.totals.count) == (
        ledger["total_idr"],
        ledger["count"],
    )
    assert board.totals.delivered_idr == sums["delivery"]
    assert board.totals.paid_idr == sums["payment"]
    for rows in (board.by_direction, board.by_commodity, board.by_regency, board.by_business):
        assert sum(r.figures.paid_idr for r in rows) == sums["payment"]
        assert sum(r.figures.committed_idr for r in rows) == ledger["total_idr"]
    assert sum(row.count for row in board.by_stage) == ledger["count"]
    assert board.over_time[-1].paid_idr == sums["payment"]
