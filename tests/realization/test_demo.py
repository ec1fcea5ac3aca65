"""The demo's year of follow-up: every kind of outcome is there, the sums add up,
and loading it again changes nothing."""

import datetime as dt
from collections import Counter

from django.db.models import Sum
from django_scopes import scopes_disabled

from niaga.missions.models import Mission
from niaga.realization import demo
from niaga.realization.models import (
    ContactLog,
    DealAssignment,
    DealEvent,
    MissionTransparency,
    RealizationEntry,
    Verification,
)
from niaga.realization.queries import live_deals
from tests.missions.test_demo_data import load_demo as load_missions

FOLLOW_UP_MODELS = (
    DealEvent,
    RealizationEntry,
    Verification,
    ContactLog,
    DealAssignment,
    MissionTransparency,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in FOLLOW_UP_MODELS}


def test_a_year_of_follow_up_with_every_outcome(db):
    load_missions()
    lines = []
    assert demo.load(out=lines.append) == []
    with scopes_disabled():
        mission = Mission.objects.get(slug="jatim-kalsel-2022")
        deals = list(live_deals(mission_ids=[mission.pk]))
        stages = Counter(d.current_stage for d in deals)
        assert stages["dibayar"] > stages["batal"] > 0
        assert stages["terkirim"] > 0  # delivered, payment still owed
        assert stages["kontrak"] > 0  # partly realised
        silent = [d for d in deals if d.last_progress_at == d.recorded_at]
        assert len(silent) > 10
        delivered = sum(d.delivered_idr for d in deals)
        paid = sum(d.paid_idr for d in deals)
        assert 0 < paid < delivered < sum(d.value_idr for d in deals)
        entries = RealizationEntry.objects.filter(deal__mission=mission)
        assert paid == entries.filter(kind="payment").aggregate(s=Sum("value_idr"))["s"]
        assert all(d.paid_idr <= d.value_idr for d in deals)
        findings = Counter(
            Verification.objects.filter(deal__mission=mission).values_list("status", flat=True)
        )
        assert findings["verified"] > 0 and findings["disputed"] > 0
        assert all(d.value_idr >= demo.VERIFY_FROM_IDR for d in deals if d.verification is not None)
        cancelled = DealEvent.objects.filter(deal__mission=mission, to_stage="batal")
        assert all(event.reason for event in cancelled)
        # Every date is in the past: the follow-up happened before today.
        last_day = max(entries.values_list("occurred_on", flat=True))
        assert last_day < dt.date(2024, 1, 1)
        # Every earlier mission has a realised share for the province's record.
        for slug in ("jatim-sulsel-2019", "jatim-ntb-2021", "jatim-kaltim-2023"):
            earlier = Mission.objects.get(slug=slug)
            assert sum(d.paid_idr for d in live_deals(mission_ids=[earlier.pk])) > 0
        assert MissionTransparency.objects.get(mission=mission).is_published
        before = counts()

    assert demo.load(out=lines.append) == []
    with scopes_disabled():
        assert counts() == before
    assert lines[0].startswith("  realization: jatim-sulsel-2019 paid Rp ")
