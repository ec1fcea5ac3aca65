"""Deliveries and payments: rules, automatic stage moves, reversals, sums, evidence."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from niaga.audit.models import AuditEvent
from niaga.realization import domain
from niaga.realization.models import DealEvent, RealizationEntry
from niaga.realization.queries import deal_state, live_deals
from tests.programs.support_world import (
    executable_upload,
    jpeg_upload,
    pdf_bytes,
    pdf_upload,
    png_upload,
)
from tests.realization.conftest import NOW, at
from tests.realization.test_lifecycle import codes

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 5, 10)


def enter(actor, deal, kind, value, day=DAY, **extra):
    extra.setdefault("idempotency_key", uuid.uuid4().hex)
    extra.setdefault("now", at(day, 11))
    return domain.realization_record(
        actor=actor, deal=deal, kind=kind, occurred_on=day, value_idr=value, **extra
    )


def stage_of(deal) -> str:
    return deal_state(deal.pk).current_stage


def test_partial_entries_add_up_and_do_not_move_the_stage(eggs, jatim_desk):
    enter(jatim_desk, eggs, "delivery", 30_000_000)
    enter(jatim_desk, eggs, "payment", 25_000_000)
    enter(jatim_desk, eggs, "payment", 5_000_000, dt.date(2022, 5, 11))
    state = deal_state(eggs.pk)
    assert (state.delivered_idr, state.paid_idr) == (30_000_000, 30_000_000)
    assert state.current_stage == "komitmen"


def test_reaching_the_committed_value_moves_the_deal_by_itself(eggs, jatim_desk):
    enter(jatim_desk, eggs, "delivery", 60_000_000)
    enter(jatim_desk, eggs, "delivery", 40_000_000, dt.date(2022, 5, 12))
    assert stage_of(eggs) == "terkirim"
    enter(jatim_desk, eggs, "payment", 100_000_000, dt.date(2022, 5, 20))
    assert stage_of(eggs) == "dibayar"
    with scopes_disabled():
        automatic = list(
            DealEvent.objects.filter(deal=eggs).values_list(
                "from_stage", "to_stage", "is_automatic", "occurred_on"
            )
        )
    assert automatic == [
        ("komitmen", "terkirim", True, dt.date(2022, 5, 12)),
        ("terkirim", "dibayar", True, dt.date(2022, 5, 20)),
    ]


def test_full_payment_before_delivery_goes_straight_to_paid(eggs, jatim_desk):
    enter(jatim_desk, eggs, "payment", 100_000_000)
    assert stage_of(eggs) == "dibayar"


def test_no_payment_or_delivery_on_a_cancelled_deal(eggs, jatim_desk):
    domain.deal_move_stage(
        actor=jatim_desk,
        deal=eggs,
        to_stage="batal",
        occurred_on=DAY,
        reason="Mundur",
        now=at(DAY, 9),
    )
    for kind in ("payment", "delivery"):
        with pytest.raises(ValidationError) as refused:
            enter(jatim_desk, eggs, kind, 1_000_000)
        assert codes(refused.value) == {"deal": {"cancelled"}}
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        enter(jatim_desk, eggs, "payment", 1_000_000)
    assert refused.value.message_dict["deal"] == ["Deal: no payment on a cancelled (batal) deal."]
    with scopes_disabled():
        assert not RealizationEntry.objects.filter(deal=eggs).exists()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0, "min_value"),
        (-5, "min_value"),
        (10**15, "max_value"),
        (1.5, "integer"),
        (True, "integer"),
    ],
)
def test_the_value_is_whole_rupiah_above_zero(eggs, jatim_desk, value, code):
    with pytest.raises(ValidationError) as refused:
        enter(jatim_desk, eggs, "payment", value)
    assert codes(refused.value)["value_idr"] == {code}


def test_a_total_above_the_committed_value_needs_a_note(eggs, jatim_desk):
    enter(jatim_desk, eggs, "payment", 90_000_000)
    with pytest.raises(ValidationError) as refused:
        enter(jatim_desk, eggs, "payment", 20_000_000)
    assert codes(refused.value) == {"value_idr": {"exceeds_committed"}}
    assert deal_state(eggs.pk).paid_idr == 90_000_000
    enter(jatim_desk, eggs, "payment", 20_000_000, note="Tambahan pesanan 2 ton")
    assert deal_state(eggs.pk).paid_idr == 110_000_000


def test_fields_are_checked_together(eggs, jatim_desk):
    with pytest.raises(ValidationError) as refused:
        domain.realization_record(
            actor=jatim_desk,
            deal=eggs,
            kind="gift",
            occurred_on=dt.date(2021, 1, 1),
            value_idr=0,
            volume="-1",
            idempotency_key="kunci-uji-001",
            now=NOW,
        )
    assert codes(refused.value) == {
        "kind": {"choice"},
        "occurred_on": {"before_mission"},
        "value_idr": {"min_value"},
        "volume": {"min_value"},
    }


def test_the_same_key_records_once_and_another_payload_is_refused(eggs, jatim_desk):
    first = enter(jatim_desk, eggs, "payment", 10_000_000, idempotency_key="bayar-telur-01")
    again = enter(jatim_desk, eggs, "payment", 10_000_000, idempotency_key="bayar-telur-01")
    assert again.pk == first.pk and again.replayed
    with pytest.raises(ValidationError) as refused:
        enter(jatim_desk, eggs, "payment", 11_000_000, idempotency_key="bayar-telur-01")
    assert codes(refused.value) == {"idempotency_key": {"idempotency_conflict"}}
    assert deal_state(eggs.pk).paid_idr == 10_000_000


def test_a_reversal_cancels_an_entry_once_and_moves_an_automatic_stage_back(eggs, jatim_desk):
    enter(jatim_desk, eggs, "delivery", 100_000_000)
    payment = enter(jatim_desk, eggs, "payment", 100_000_000, dt.date(2022, 5, 15))
    assert stage_of(eggs) == "dibayar"
    reversal = domain.realization_reverse(
        actor=jatim_desk,
        entry=payment,
        reason="Transfer ditolak bank",
        now=at(dt.date(2022, 5, 16)),
    )
    assert (reversal.value_idr, reversal.reverses_id) == (-100_000_000, payment.pk)
    state = deal_state(eggs.pk)
    assert state.paid_idr == 0 and state.current_stage == "terkirim"
    with pytest.raises(ValidationError) as refused:
        domain.realization_reverse(actor=jatim_desk, entry=payment, reason="lagi")
    assert codes(refused.value) == {"entry": {"already_reversed"}}
    with pytest.raises(ValidationError) as refused:
        domain.realization_reverse(actor=jatim_desk, entry=reversal, reason="lagi")
    assert codes(refused.value) == {"entry": {"reversal"}}
    with pytest.raises(ValidationError) as refused:
        domain.realization_reverse(actor=jatim_desk, entry=payment, reason=" ")
    assert codes(refused.value) == {"reason": {"required"}}
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="realization.entry.reversed").count() == 1


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["delivery", "payment"]),
            st.integers(min_value=1, max_value=60_000_000),
            st.booleans(),  # reverse it afterwards
        ),
        min_size=1,
        max_size=8,
    )
)
def test_realised_sums_equal_the_entries(deals, jatim_desk, steps):
    """Random entries and reversals: live_deals' sums equal a direct sum of the rows."""
    with scopes_disabled():
        RealizationEntry.objects.filter(reverses__isnull=False).delete()
        RealizationEntry.objects.all().delete()
        DealEvent.objects.all().delete()
    deal = deals["coal"]
    expected = {"delivery": 0, "payment": 0}
    for number, (kind, value, reverse) in enumerate(steps):
        entry = enter(jatim_desk, deal, kind, value, note="uji")
        expected[kind] += value
        if reverse and number % 2 == 0:
            domain.realization_reverse(actor=jatim_desk, entry=entry, reason="uji")
            expected[kind] -= value
    state = live_deals(mission_ids=[deal.mission_id]).get(pk=deal.pk)
    with scopes_disabled():
        rows = list(RealizationEntry.objects.filter(deal=deal).values_list("kind", "value_idr"))
    direct = {k: sum(v for kind, v in rows if kind == k) for k in expected}
    assert (state.delivered_idr, state.paid_idr) == (direct["delivery"], direct["payment"])
    assert (state.delivered_idr, state.paid_idr) == (expected["delivery"], expected["payment"])
    fully_paid = expected["payment"] >= deal.value_idr
    assert (state.current_stage == "dibayar") == fully_paid


# --- Evidence ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", [pdf_upload, png_upload, jpeg_upload])
def test_evidence_is_kept_privately_under_a_random_name(eggs, jatim_desk, media, make):
    upload = make()
    entry = enter(jatim_desk, eggs, "payment", 1_000_000, evidence=upload)
    assert entry.evidence.name.startswith("private/realization/")
    assert upload.name not in entry.evidence.name
    assert entry.evidence_name == upload.name
    upload.seek(0)
    assert (media / entry.evidence.name).read_bytes() == upload.read()


def test_a_program_dressed_as_a_pdf_is_refused_and_nothing_is_kept(eggs, jatim_desk, media):
    with pytest.raises(ValidationError) as refused:
        enter(jatim_desk, eggs, "payment", 1_000_000, evidence=executable_upload())
    assert codes(refused.value) == {"evidence": {"evidence_type"}}
    with scopes_disabled():
        assert not RealizationEntry.objects.exists()
    assert not (media / "private").exists()


@override_settings(NIAGA_SUPPORT_EVIDENCE_MAX_BYTES=len(pdf_bytes()) - 1)
def test_evidence_above_the_size_limit_is_refused(eggs, jatim_desk, media):
    with pytest.raises(ValidationError) as refused:
        enter(jatim_desk, eggs, "payment", 1_000_000, evidence=pdf_upload())
    assert codes(refused.value) == {"evidence": {"evidence_too_large"}}


def test_a_file_stored_before_a_refusal_is_removed(eggs, jatim_desk, media):
    domain.deal_move_stage(
        actor=jatim_desk,
        deal=eggs,
        to_stage="batal",
        occurred_on=DAY,
        reason="Mundur",
        now=at(DAY, 9),
    )
    with pytest.raises(ValidationError):
        enter(jatim_desk, eggs, "payment", 1_000_000, evidence=pdf_upload())
    stored = list((media / "private").rglob("*.pdf")) if (media / "private").exists() else []
    assert stored == []
