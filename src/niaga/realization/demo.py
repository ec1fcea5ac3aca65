"""Demo content: a year of follow-up for East Java's demo missions.

For each closed demo mission the commitments are followed up as they would
be: most move to a contract and are delivered and paid (in one to three
instalments), some only partly, some are cancelled with a reason, and some
stay silent (no news since the mission day, so they sit on the follow-up
list). Officers log calls and visits; the central bank's verifier checks the
larger deals, and disputes one. The Banjarmasin mission's year runs from
April 2022 to April 2023; earlier missions follow the same pattern from their
own day, with fewer deals complete the more recent the mission.

Everything goes through `niaga.realization.domain` with back-dated times
(`now=`), decided per deal by a generator seeded with the deal's key, so every
run builds the same history. A deal that already has any follow-up row is
left alone, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef
from django_scopes import scopes_disabled

from niaga.accounts.models import User
from niaga.core.money import format_rupiah
from niaga.missions.models import Mission
from niaga.realization import domain
from niaga.realization.models import (
    ContactLog,
    DealAssignment,
    DealEvent,
    LifecycleStage,
    MissionTransparency,
    RealizationEntry,
    RealizationKind,
    Verification,
    VerificationStatus,
)
from niaga.realization.queries import live_deals
from niaga.reports.domain import transparency_set

WIB = ZoneInfo("Asia/Jakarta")
VERIFIER = "jatim-verifikator"
VERIFY_FROM_IDR = 2_000_000_000  # the verifier checks deals of Rp 2 miliar and more

# Share of deals (fully paid; delivered but not yet fully paid; partly delivered;
# cancelled); the rest stay silent.
OUTCOME_SHARES = {
    "jatim-sulsel-2019": (0.68, 0.05, 0.09, 0.10),
    "jatim-ntb-2021": (0.57, 0.07, 0.12, 0.10),
    "jatim-kalsel-2022": (0.52, 0.08, 0.14, 0.10),
    "jatim-kaltim-2023": (0.38, 0.10, 0.20, 0.08),
}
CANCEL_REASONS = (
    "Harga tidak disepakati setelah kenaikan harga pakan",
    "Pembeli membatalkan pesanan karena gudang belum siap",
    "Penjual tidak sanggup memenuhi volume",
    "Biaya angkut antarpulau terlalu tinggi",
)
CONTACT_OUTCOMES = {
    "silent": (
        "Nomor tidak dapat dihubungi; akan dicoba lagi",
        "Pembeli masih menunggu anggaran cair",
        "Penjual menunggu kepastian jadwal kapal",
    ),
    "delivered": (
        "Barang sudah diterima; pembayaran terakhir menunggu pencairan anggaran pembeli",
        "Pembeli meminta tempo pembayaran 60 hari",
    ),
    "partial": (
        "Sisa pengiriman dijadwalkan bulan depan",
        "Pembayaran kedua menunggu faktur",
        "Pembeli meminta pengiriman dipecah dua kali",
    ),
}


@dataclass(frozen=True)
class Officers:
    manager: User
    desk: User
    verifier: User | None


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` rupiah in `parts` instalments (whole thousands but the last), summing exactly."""
    if parts == 1:
        return [total]
    shares = sorted(rng.uniform(0.25, 0.75) for _ in range(parts - 1))
    amounts, done = [], 0
    for share in shares:
        amount = (int(total * share) - done) // 1000 * 1000
        amounts.append(max(amount, 1000))
        done += amounts[-1]
    amounts.append(total - done)
    return [amount for amount in amounts if amount > 0]


def _outcome(mission: Mission, rng: random.Random) -> str:
    draw, threshold = rng.random(), 0.0
    shares = OUTCOME_SHARES.get(mission.slug, (0.5, 0.08, 0.15, 0.1))
    for outcome, share in zip(("paid", "delivered", "partial", "cancelled"), shares, strict=True):
        threshold += share
        if draw < threshold:
            return outcome
    return "silent"


def _follow_one(deal, mission: Mission, officers: Officers, rng: random.Random) -> str:
    """Write one deal's year of follow-up; returns its outcome."""
    outcome = _outcome(mission, rng)
    day0 = deal.recorded_at.astimezone(WIB).date()
    officer = officers.desk if rng.random() < 0.75 else officers.manager
    key = f"demo-{deal.idempotency_key}"
    domain.deal_assign(
        actor=officers.manager, deal=deal, officer=officer, now=_at(day0 + dt.timedelta(days=3))
    )

    def move(to_stage: str, day: dt.date, reason: str = "") -> None:
        domain.deal_move_stage(
            actor=officer,
            deal=deal,
            to_stage=to_stage,
            occurred_on=day,
            reason=reason,
            idempotency_key=f"{key}-{to_stage}",
            now=_at(day, 14),
        )

    if outcome == "silent":
        contact_day = day0 + dt.timedelta(days=rng.randrange(35, 80))
        domain.contact_record(
            actor=officer,
            deal=deal,
            channel=rng.choice(["call", "message"]),
            party=rng.choice(["seller", "buyer"]),
            contacted_on=contact_day,
            outcome=rng.choice(CONTACT_OUTCOMES["silent"]),
            now=_at(contact_day, 15),
        )
        return outcome

    if deal.stage == LifecycleStage.POTENSI:
        move(LifecycleStage.KOMITMEN, day0 + dt.timedelta(days=rng.randrange(7, 20)))
    if outcome == "cancelled":
        move(
            LifecycleStage.BATAL,
            day0 + dt.timedelta(days=rng.randrange(30, 120)),
            reason=rng.choice(CANCEL_REASONS),
        )
        return outcome

    contract_day = day0 + dt.timedelta(days=rng.randrange(20, 50))
    if deal.stage != LifecycleStage.KONTRAK:
        move(LifecycleStage.KONTRAK, contract_day)

    value = deal.value_idr
    if outcome == "partial":
        value = value * rng.choice([30, 40, 50, 60, 75]) // 100
    # A buyer who has everything but has not paid in full: the last instalment
    # (or, for a single delivery, all of it) is still owed.
    owes_last = outcome == "delivered" or (outcome == "partial" and rng.random() < 0.4)
    day = contract_day
    entries = []
    instalments = _split(value, rng.choice([1, 2, 2, 3]), rng)
    for number, amount in enumerate(instalments, 1):
        day += dt.timedelta(days=rng.randrange(10, 60))
        entries.append(
            domain.realization_record(
                actor=officer,
                deal=deal,
                kind=RealizationKind.DELIVERY,
                occurred_on=day,
                value_idr=amount,
                note=f"Pengiriman ke-{number}",
                idempotency_key=f"{key}-delivery-{number}",
                now=_at(day, 11),
            )
        )
        if owes_last and number == len(instalments):
            break
        pay_day = day + dt.timedelta(days=rng.randrange(7, 30))
        entries.append(
            domain.realization_record(
                actor=officer,
                deal=deal,
                kind=RealizationKind.PAYMENT,
                occurred_on=pay_day,
                value_idr=amount,
                note=f"Pembayaran ke-{number} (transfer bank)",
                idempotency_key=f"{key}-payment-{number}",
                now=_at(pay_day, 11),
            )
        )
    if outcome in ("partial", "delivered"):
        contact_day = day + dt.timedelta(days=rng.randrange(30, 60))
        domain.contact_record(
            actor=officer,
            deal=deal,
            channel=rng.choice(["call", "visit", "message"]),
            party="both",
            contacted_on=contact_day,
            outcome=rng.choice(CONTACT_OUTCOMES[outcome]),
            now=_at(contact_day, 15),
        )
    if officers.verifier is not None and deal.value_idr >= VERIFY_FROM_IDR:
        check_day = day + dt.timedelta(days=rng.randrange(20, 45))
        disputed = rng.random() < 0.15
        domain.verification_record(
            actor=officers.verifier,
            deal=deal,
            status=VerificationStatus.DISPUTED if disputed else VerificationStatus.VERIFIED,
            note=(
                "Nilai faktur lebih kecil dari nilai komitmen; mohon dokumen pendukung"
                if disputed
                else "Sesuai kontrak, faktur dan bukti transfer"
            ),
            now=_at(check_day, 9),
        )
        payment = next((e for e in entries if e.kind == RealizationKind.PAYMENT), None)
        if payment is None:
            return outcome
        domain.verification_record(
            actor=officers.verifier,
            deal=deal,
            entry=payment,
            status=VerificationStatus.VERIFIED,
            note="Bukti transfer dicocokkan dengan rekening koran",
            now=_at(check_day, 9, 30),
        )
    return outcome


def _untouched(mission: Mission):
    """The mission's live deals with no follow-up row yet, in ledger order."""
    rows = (DealEvent, RealizationEntry, Verification, ContactLog, DealAssignment)
    deals = live_deals(mission_ids=[mission.pk])
    for model in rows:
        deals = deals.exclude(Exists(model.objects.filter(deal=OuterRef("pk"))))
    return list(deals.order_by("recorded_at", "id"))


def load(*, out) -> list:
    with scopes_disabled():
        officers = Officers(
            manager=User.objects.get(username="jatim-admin"),
            desk=User.objects.get(username="jatim-desk"),
            verifier=User.objects.filter(username=VERIFIER).first(),
        )
        missions = Mission.objects.filter(slug__in=OUTCOME_SHARES).order_by("opens_at")
        summary = []
        for mission in missions:
            outcomes: dict[str, int] = {}
            for deal in _untouched(mission):
                rng = random.Random(deal.idempotency_key)  # noqa: S311 - demo data
                with transaction.atomic():
                    outcome = _follow_one(deal, mission, officers, rng)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            paid = sum(d.paid_idr for d in live_deals(mission_ids=[mission.pk]))
            summary.append(f"{mission.slug} paid {format_rupiah(paid, language='id')}")
            if outcomes:
                summary[-1] += f" ({', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))})"
        # The Banjarmasin mission's board is public; its organiser has also
        # published the realization page (once: a withdrawal is not undone).
        banjarmasin = Mission.objects.get(slug="jatim-kalsel-2022")
        if not MissionTransparency.objects.filter(mission=banjarmasin).exists():
            transparency_set(
                actor=officers.manager,
                mission=banjarmasin,
                is_published=True,
                now=_at(dt.date(2023, 5, 2)),
            )
            summary.append("public realization page of jatim-kalsel-2022 published")
    out("  realization: " + "; ".join(summary))
    return []
