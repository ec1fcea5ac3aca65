"""The deal ledger: exact totals, idempotency, corrections and the rules of recording."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from niaga.audit.models import AuditEvent
from niaga.missions import domain, queries
from niaga.missions.domain import DealInput, IdempotencyConflict
from niaga.missions.models import Deal, EntryKind, Mission, MissionStatus
from tests.conftest import make_user
from tests.missions.conftest import make_mission

pytestmark = pytest.mark.django_db


def sale(sellers, buyers, value=2_500_000_000, **extra):
    return DealInput(
        direction=extra.pop("direction", "sell"),
        seller_id=sellers[0].pk,
        buyer_id=buyers[0].pk,
        commodity=extra.pop("commodity", "Telur ayam ras"),
        value_idr=value,
        stage=extra.pop("stage", "komitmen"),
        **extra,
    )


def key() -> str:
    return str(uuid.uuid4())


def assert_exact(mission):
    state = queries.totals(mission)
    direct = queries.ledger_sums(mission)
    assert (state.total_idr, state.count) == (direct["total_idr"], direct["count"])
    with scopes_disabled():
        by_direction = {
            d: sum(x.value_idr for x in Deal.objects.filter(mission=mission, direction=d))
            for d in ("sell", "buy", "invest")
        }
    assert state.by_direction == by_direction
    return state


def test_recording_moves_the_totals(mission, sellers, buyers, jatim_desk):
    deal, created = domain.deal_record(
        actor=jatim_desk, mission=mission, key=key(), data=sale(sellers, buyers)
    )
    assert created and deal.value_idr == 2_500_000_000 and deal.recorded_by == jatim_desk
    purchase = DealInput(
        direction="buy",
        seller_id=buyers[1].pk,
        buyer_id=sellers[1].pk,
        commodity="Batubara",
        value_idr=7_000_000_000,
        stage="kontrak",
        volume=Decimal("5000"),
        unit="ton",
    )
    domain.deal_record(actor=jatim_desk, mission=mission, key=key(), data=purchase)
    state = assert_exact(mission)
    assert (state.total_idr, state.count) == (9_500_000_000, 2)
    assert state.by_direction == {"sell": 2_500_000_000, "buy": 7_000_000_000, "invest": 0}
    with scope(province=mission.organiser):
        assert AuditEvent.objects.filter(action="missions.deal.recorded").count() == 2


def test_a_replay_returns_the_first_entry_and_writes_nothing(mission, sellers, buyers, jatim_desk):
    same = key()
    first, created = domain.deal_record(
        actor=jatim_desk, mission=mission, key=same, data=sale(sellers, buyers)
    )
    again, created_again = domain.deal_record(
        actor=jatim_desk, mission=mission, key=same, data=sale(sellers, buyers)
    )
    assert created and not created_again and again.pk == first.pk
    assert queries.totals(mission).count == 1
    with pytest.raises(IdempotencyConflict) as raised:
        domain.deal_record(
            actor=jatim_desk,
            mission=mission,
            key=same,
            data=sale(sellers, buyers, value=3_000_000_000),
        )
    assert raised.value.existing.pk == first.pk
    assert assert_exact(mission).total_idr == 2_500_000_000


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"value": 0}, "value_idr", "di atas nol"),
        ({"value": -5}, "value_idr", "di atas nol"),
        ({"value": 100 * 10**12 + 1}, "value_idr", "ditolak"),
        ({"value": 2 * 10**12}, "value_idr", "pastikan"),
        ({"commodity": "  "}, "commodity", "komoditas"),
        ({"hs_code": "0407"}, "hs_code", "8 digit"),
        ({"volume": Decimal("-1")}, "volume", "negatif"),
        ({"direction": "buy"}, "seller_id", "pembelian"),
        ({"stage": "lunas"}, "stage", "potensi"),
    ],
)
def test_bad_deals_are_refused_naming_the_field(
    mission, sellers, buyers, jatim_desk, change, field, words
):
    value = change.pop("value", 2_500_000_000)
    with pytest.raises(ValidationError) as raised:
        domain.deal_record(
            actor=jatim_desk,
            mission=mission,
            key=key(),
            data=sale(sellers, buyers, value=value, **change),
        )
    messages = raised.value.message_dict
    assert field in messages, messages
    assert words in " ".join(messages[field]).lower()
    assert queries.totals(mission).count == 0
    with scopes_disabled():
        assert not Deal.objects.exists()


def test_large_values_need_confirmation(mission, sellers, buyers, jatim_desk):
    data = sale(sellers, buyers, value=1_661_000_000_000)
    deal, _ = domain.deal_record(
        actor=jatim_desk, mission=mission, key=key(), data=data, confirm_large=True
    )
    assert deal.value_idr == 1_661_000_000_000


def test_seller_and_buyer_must_face_each_other(mission, sellers, buyers, jatim_desk, kalsel):
    same_side = DealInput(
        direction="sell",
        seller_id=sellers[0].pk,
        buyer_id=sellers[1].pk,
        commodity="Kopi",
        value_idr=1_000_000,
        stage="potensi",
    )
    with pytest.raises(ValidationError) as raised:
        domain.deal_record(actor=jatim_desk, mission=mission, key=key(), data=same_side)
    assert "buyer_id" in raised.value.message_dict
    other = make_mission(jatim_desk, mission.organiser, kalsel, slug="lain")
    stranger = DealInput(
        direction="sell",
        seller_id=sellers[0].pk,
        buyer_id=buyers[0].pk,
        commodity="Kopi",
        value_idr=1_000_000,
        stage="potensi",
    )
    with pytest.raises(ValidationError) as raised:
        domain.deal_record(actor=jatim_desk, mission=other, key=key(), data=stranger)
    assert set(raised.value.message_dict) == {"seller_id", "buyer_id"}


def test_closed_missions_take_late_entries_from_managers_only(
    mission, sellers, buyers, jatim_desk, jatim_admin
):
    domain.mission_set_status(actor=jatim_admin, mission=mission, status=MissionStatus.CLOSED)
    with pytest.raises(ValidationError, match="ditutup"):
        domain.deal_record(actor=jatim_desk, mission=mission, key=key(), data=sale(sellers, buyers))
    late, _ = domain.deal_record(
        actor=jatim_admin, mission=mission, key=key(), data=sale(sellers, buyers)
    )
    assert late.is_late
    domain.mission_set_status(actor=jatim_admin, mission=mission, status=MissionStatus.OPEN)
    on_time, _ = domain.deal_record(
        actor=jatim_desk, mission=mission, key=key(), data=sale(sellers, buyers)
    )
    assert not on_time.is_late
    with scope(province=mission.organiser):
        assert AuditEvent.objects.filter(action="missions.mission.reopened").count() == 1


def test_a_planned_mission_takes_no_deals(jatim, kalsel, jatim_admin, jatim_desk):
    planned = make_mission(jatim_admin, jatim, kalsel, slug="rencana", status=MissionStatus.PLANNED)
    with pytest.raises(ValidationError, match="belum dibuka"):
        domain.deal_record(
            actor=jatim_desk,
            mission=planned,
            key=key(),
            data=DealInput(
                direction="sell",
                seller_id=1,
                buyer_id=2,
                commodity="x",
                value_idr=1,
                stage="potensi",
            ),
        )


def test_corrections_reverse_and_replace(mission, sellers, buyers, jatim_desk):
    deal, _ = domain.deal_record(
        actor=jatim_desk, mission=mission, key=key(), data=sale(sellers, buyers)
    )
    other, _ = domain.deal_record(
        actor=jatim_desk, mission=mission, key=key(), data=sale(sellers, buyers, value=900_000_000)
    )
    fixed = sale(sellers, buyers, value=250_000_000)  # a digit too many was typed
    correction_key = key()
    reversal, correction, created = domain.deal_correct(
        actor=jatim_desk, deal=deal, key=correction_key, reason="Salah ketik nilai", corrected=fixed
    )
    assert created
    assert (reversal.kind, reversal.value_idr, reversal.corrects_id) == (
        EntryKind.REVERSAL,
        -2_500_000_000,
        deal.pk,
    )
    assert (correction.kind, correction.value_idr) == (EntryKind.CORRECTION, 250_000_000)
    state = assert_exact(mission)
    assert (state.total_idr, state.count) == (1_150_000_000, 2)
    # A replay of the correction changes nothing; a second correction is refused.
    again = domain.deal_correct(
        actor=jatim_desk, deal=deal, key=correction_key, reason="Salah ketik nilai", corrected=fixed
    )
    assert (again[0].pk, again[1].pk, again[2]) == (reversal.pk, correction.pk, False)
    with pytest.raises(ValidationError, match="sudah dikoreksi"):
        domain.deal_correct(actor=jatim_desk, deal=deal, key=key(), reason="lagi")
    with pytest.raises(ValidationError):
        domain.deal_correct(actor=jatim_desk, deal=reversal, key=key(), reason="x")
    with pytest.raises(ValidationError) as raised:
        domain.deal_correct(actor=jatim_desk, deal=other, key=key(), reason=" ")
    assert "reason" in raised.value.message_dict
    # Cancelling a deal outright: only the reversal.
    domain.deal_correct(actor=jatim_desk, deal=other, key=key(), reason="Batal, dicatat ganda")
    state = assert_exact(mission)
    assert (state.total_idr, state.count) == (250_000_000, 1)
    with scopes_disabled():
        assert Deal.objects.filter(mission=mission).count() == 5  # nothing was deleted


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    operations=st.lists(
        st.tuples(
            st.sampled_from(["record", "replay", "correct", "cancel"]),
            st.integers(min_value=1, max_value=10**13),
            st.sampled_from(["sell", "buy", "invest"]),
        ),
        max_size=12,
    )
)
def test_totals_equal_the_ledger_after_any_sequence(
    jatim, kalsel, jatim_admin, jatim_desk, operations
):
    mission = make_mission(jatim_admin, jatim, kalsel, slug=f"p-{uuid.uuid4().hex[:10]}")
    from tests.missions.conftest import add_business

    organiser = add_business(jatim_admin, mission, f"UD Satu {mission.slug}", "35.05", "organiser")
    host = add_business(jatim_admin, mission, f"CV Dua {mission.slug}", "63.71", "host")
    keys, live, expected_total = [], [], 0
    for action, value, direction in operations:
        seller, buyer = (host, organiser) if direction == "buy" else (organiser, host)
        data = DealInput(
            direction=direction,
            seller_id=seller.pk,
            buyer_id=buyer.pk,
            commodity="Beras",
            value_idr=value,
            stage="komitmen",
        )
        if action == "replay" and keys:
            old_key, old_data = keys[-1]
            domain.deal_record(
                actor=jatim_desk, mission=mission, key=old_key, data=old_data, confirm_large=True
            )
        elif action in ("correct", "cancel") and live:
            deal = live.pop(0)
            corrected = data if action == "correct" else None
            _, correction, _ = domain.deal_correct(
                actor=jatim_desk,
                deal=deal,
                key=key(),
                reason="uji",
                corrected=corrected,
                confirm_large=True,
            )
            expected_total -= deal.value_idr
            if correction is not None:
                live.append(correction)
                expected_total += correction.value_idr
        else:
            new_key = key()
            deal, _ = domain.deal_record(
                actor=jatim_desk, mission=mission, key=new_key, data=data, confirm_large=True
            )
            keys.append((new_key, data))
            live.append(deal)
            expected_total += value
    state = assert_exact(mission)
    assert (state.total_idr, state.count) == (expected_total, len(live))


@pytest.mark.django_db(transaction=True)
def test_concurrent_desks_with_replays_stay_exact(jatim, kalsel, jatim_admin):
    from tests.missions.conftest import add_business

    mission = make_mission(jatim_admin, jatim, kalsel, slug="serentak")
    organiser = add_business(jatim_admin, mission, "UD Satu", "35.05", "organiser")
    host = add_business(jatim_admin, mission, "CV Dua", "63.71", "host")
    desks = [make_user(f"meja-{n}", province=jatim, roles=["desk_officer"]) for n in range(6)]
    per_desk, shared_keys = 15, [f"ulang-{n:04d}" for n in range(10)]
    barrier = threading.Barrier(len(desks))
    errors, sent = [], []
    lock = threading.Lock()

    def desk(index, user):
        from django.db import connections

        try:
            barrier.wait(timeout=20)
            for n in range(per_desk):
                # Every desk also sends the shared keys: the same deal from many
                # retries, which must be recorded exactly once.
                deal_key = (
                    shared_keys[n % len(shared_keys)] if n % 3 == 0 else f"meja-{index}-{n:04d}"
                )
                value = 1_000_000 * (1 + int(deal_key.rsplit("-", 1)[-1]))
                data = DealInput(
                    direction="sell",
                    seller_id=organiser.pk,
                    buyer_id=host.pk,
                    commodity="Telur",
                    value_idr=value,
                    stage="komitmen",
                )
                domain.deal_record(actor=user, mission=mission, key=deal_key, data=data)
                with lock:
                    sent.append((deal_key, value))
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=desk, args=(i, u)) for i, u in enumerate(desks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    distinct = dict(sent)
    state = assert_exact(mission)
    assert state.count == len(distinct)
    assert state.total_idr == sum(distinct.values())
    with scopes_disabled():
        keys = list(Deal.objects.filter(mission=mission).values_list("idempotency_key", flat=True))
    assert sorted(keys) == sorted(distinct)


def test_missions_show_in_the_organiser_and_host_scopes_only(mission, jatim, kalsel):
    from niaga.regions.models import Province

    for province, visible in (
        (jatim, True),
        (kalsel, True),
        (Province.objects.get(slug="bali"), False),
    ):
        with scope(province=province):
            assert Mission.objects.filter(pk=mission.pk).exists() is visible
