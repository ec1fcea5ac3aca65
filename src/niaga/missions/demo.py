"""Demo content: the Jatim–Kalsel trade mission of 13 April 2022 and a practice mission.

Everything goes through the domain functions (so totals, audit and
idempotency are the real ones); rows are looked up by natural keys (mission
slug, business name and regency, participant's business, deal idempotency
key, snapshot time) and only what is missing is created, so a second run
changes nothing. The data itself is in `demo_data`.
"""

from __future__ import annotations

from django.db.models import Max
from django_scopes import scopes_disabled

from niaga.accounts.models import User
from niaga.core.money import format_rupiah
from niaga.missions import demo_data as data
from niaga.missions import demo_history
from niaga.missions.domain import (
    DealInput,
    business_create,
    deal_record,
    mission_create,
    mission_set_status,
    participant_add,
    snapshot_announce,
)
from niaga.missions.models import (
    Business,
    Deal,
    LedgerState,
    Mission,
    MissionStatus,
    Participant,
    Snapshot,
)
from niaga.regions.models import Province, Regency


def _businesses(actor, owner: Province) -> dict[str, tuple[Business, str]]:
    """Every demo business by name, with its side, registered in `owner`'s space."""
    regencies = {r.code: r for r in Regency.objects.filter(province__in=["35", "63"])}
    existing = {(b.name.lower(), b.regency_id): b for b in Business.objects.filter(owner=owner)}
    result = {}
    for seed in data.businesses():
        business = existing.get((seed.name.lower(), seed.regency))
        if business is None:
            regency = regencies[seed.regency]
            business = business_create(
                actor=actor,
                owner=owner,
                name=seed.name,
                province_id=regency.province_id,
                regency=regency,
                address=seed.address,
                sector=seed.sector,
                commodities=seed.commodities,
                contact_name=seed.contact_name,
                contact_phone=seed.contact_phone,
                nib=seed.nib,
            )
        result[seed.name] = (business, seed.side)
    return result


def _mission(actor, organiser: Province, host: Province, fields: dict) -> tuple[Mission, bool]:
    mission = Mission.objects.filter(slug=fields["slug"]).first()
    if mission is not None:
        return mission, False
    mission = mission_create(
        actor=actor,
        organiser=organiser,
        host=host,
        host_regency=Regency.objects.get(code=data.HOST_REGENCY),
        **fields,
    )
    return mission, True


def _participants(actor, mission: Mission, businesses) -> tuple[dict[str, int], int]:
    """The mission's participant id for each demo business name; adds the missing ones."""
    taking_part = dict(Participant.objects.filter(mission=mission).values_list("business_id", "pk"))
    ids, added = {}, 0
    for name, (business, side) in businesses.items():
        pk = taking_part.get(business.pk)
        if pk is None:
            pk = participant_add(actor=actor, mission=mission, business=business, side=side).pk
            added += 1
        ids[name] = pk
    return ids, added


def _announce(manager, mission: Mission, at, plan: list[data.PlannedDeal]) -> None:
    """The total as announced at `at`, from the planned deals up to then.

    `snapshot_announce` takes the ledger as it is now and stamps the current
    time; when the demo calls it, the ledger holds exactly the deals up to
    `at`, and the update below only moves the time back to the announcement
    (and, should a run ever find the ledger further along, sets the figures
    the announcement made).
    """
    announced = snapshot_announce(actor=manager, mission=mission)
    upto = [deal for deal in plan if deal.at <= at]
    Snapshot.objects.filter(pk=announced.pk).update(
        announced_at=at, total_idr=sum(d.value_idr for d in upto), count=len(upto)
    )


def _deals(manager, desk, mission: Mission, participants: dict[str, int]) -> int:
    """Record the day's missing deals as `desk`, in time order, with the two announcements."""
    plan = data.deal_plan()
    recorded = set(
        Deal.objects.filter(
            mission=mission, idempotency_key__startswith=data.KEY_PREFIX
        ).values_list("idempotency_key", flat=True)
    )
    announced = set(Snapshot.objects.filter(mission=mission).values_list("announced_at", flat=True))
    pending = [at for at in data.SNAPSHOT_TIMES if at not in announced]
    if not pending and all(deal.key in recorded for deal in plan):
        return 0
    if mission.status != MissionStatus.OPEN:
        mission_set_status(actor=manager, mission=mission, status=MissionStatus.OPEN)
    added = 0
    for deal in plan:
        while pending and deal.at > pending[0]:
            _announce(manager, mission, pending.pop(0), plan)
        if deal.key in recorded:
            continue
        entry, created = deal_record(
            actor=desk,
            mission=mission,
            key=deal.key,
            data=DealInput(
                direction=deal.direction,
                seller_id=participants[deal.seller],
                buyer_id=participants[deal.buyer],
                commodity=deal.commodity,
                value_idr=deal.value_idr,
                stage=deal.stage,
                hs_code=deal.hs_code,
                volume=deal.volume,
                unit=deal.unit,
                note=deal.note,
            ),
        )
        # Demo seeding only (we run under `scopes_disabled()`, see `load`): the
        # ledger is append-only and `deal_record` stamps the server's time, but
        # the demo replays a day in 2022, so each entry is moved back to the
        # time it was recorded that day. The totals are untouched; the audit
        # event keeps the real time of seeding.
        Deal.objects.filter(pk=entry.pk).update(recorded_at=deal.at)
        added += created
    for at in pending:
        _announce(manager, mission, at, plan)
    last = Deal.objects.filter(mission=mission).aggregate(last=Max("recorded_at"))["last"]
    LedgerState.objects.filter(mission=mission).update(last_recorded_at=last)
    mission_set_status(actor=manager, mission=mission, status=MissionStatus.CLOSED)
    return added


def load(*, out) -> list:
    with scopes_disabled():
        jatim = Province.objects.get(slug="jatim")
        kalsel = Province.objects.get(slug="kalsel")
        manager = User.objects.get(username="jatim-admin")
        desk = User.objects.get(username="jatim-desk")
        businesses = _businesses(manager, jatim)

        mission, _ = _mission(manager, jatim, kalsel, data.MISSION)
        participants, _ = _participants(manager, mission, businesses)
        added = _deals(manager, desk, mission, participants)

        practice, practice_created = _mission(manager, jatim, kalsel, data.PRACTICE)
        _participants(manager, practice, businesses)
        if practice_created:
            mission_set_status(actor=manager, mission=practice, status=MissionStatus.OPEN)

        delegation = {name: pair for name, pair in businesses.items() if pair[1] == "organiser"}
        earlier = demo_history.load(manager, desk, jatim, delegation)

        state = LedgerState.objects.get(mission=mission)
    out(
        f"  missions: {mission.slug} with {len(participants)} participants and "
        f"{state.count} deals, {format_rupiah(state.total_idr, language='id')} "
        f"({added} recorded now); practice mission {practice.slug} ({practice.status}); "
        f"earlier missions: {', '.join(m.slug for m in earlier)}"
    )
    return []
