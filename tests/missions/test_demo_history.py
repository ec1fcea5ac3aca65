"""The earlier East Java demo missions: one per year of the province's record, fixed figures."""

from django_scopes import scopes_disabled

from niaga.missions import demo_data, demo_history
from niaga.missions.models import Deal, LedgerState, Mission, MissionStatus, Snapshot
from tests.missions.test_demo_data import load_demo, row_counts

DELEGATION = sorted(b.name for b in demo_data.businesses() if b.side == "organiser")


def test_the_plans_are_fixed_and_plausible():
    for past in demo_history.PAST_MISSIONS:
        plan = demo_history.past_deals(past, DELEGATION)
        assert plan == demo_history.past_deals(past, DELEGATION)
        assert len(plan) == past.deals
        assert len({deal.key for deal in plan}) == past.deals
        assert all(deal.value_idr == deal.volume * deal.goods.price_idr for deal in plan)
        assert {deal.direction for deal in plan} == {"sell", "buy"}
        assert all(deal.at.date() == past.day for deal in plan)


def test_the_earlier_missions_are_closed_with_their_ledgers(db):
    load_demo()
    before = row_counts()
    with scopes_disabled():
        for past in demo_history.PAST_MISSIONS:
            mission = Mission.objects.get(slug=past.slug)
            plan = demo_history.past_deals(past, DELEGATION)
            assert (mission.organiser_id, mission.status) == ("35", MissionStatus.CLOSED)
            assert mission.host.slug == past.host and mission.opens_at.date() == past.day
            state = LedgerState.objects.get(mission=mission)
            assert state.total_idr == sum(deal.value_idr for deal in plan)
            assert state.count == Deal.objects.filter(mission=mission).count() == past.deals
            snapshot = Snapshot.objects.get(mission=mission)
            assert (snapshot.total_idr, snapshot.count) == (state.total_idr, state.count)
        years = sorted(
            m.opens_at.year
            for m in Mission.objects.filter(organiser="35", deals__isnull=False).distinct()
        )
    assert years == [2019, 2021, 2022, 2023]

    load_demo()
    assert row_counts() == before
