"""Demo content: three earlier East Java missions, so the province's record
(missions, committed and realised value per year since 2019) has a series.

The missions, businesses and figures are fictional; the commodities follow
the domain brief (what East Java sells, what each host province sells it).
As in `niaga.missions.demo`, everything goes through the domain functions,
rows are found by natural keys, and a second run adds nothing. Deals are
generated from a fixed seed per mission, so every run builds the same ledger.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Max

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

WITA = ZoneInfo("Asia/Makassar")


@dataclass(frozen=True)
class Goods:
    commodity: str
    hs_code: str
    unit: str
    price_idr: int  # per unit
    volumes: tuple[int, int]  # smallest and largest order


@dataclass(frozen=True)
class PastMission:
    slug: str
    name: str
    host: str  # province slug
    host_regency: str
    venue: str
    day: dt.date
    seed: int
    deals: int
    host_businesses: tuple[tuple[str, str, str, str], ...]  # name, regency, sector, contact
    sells: tuple[Goods, ...]  # what East Java sells there
    buys: tuple[Goods, ...]  # what East Java buys there


# What East Java sells, at plausible prices of the years concerned.
_EGGS = Goods("Telur ayam ras", "04072100", "ton", 24_000_000, (20, 160))
_RICE = Goods("Beras medium", "10063099", "ton", 10_500_000, (50, 600))
_SUGAR = Goods("Gula kristal putih", "17019990", "ton", 12_000_000, (40, 400))
_COFFEE = Goods("Kopi bubuk", "09012120", "ton", 95_000_000, (2, 20))
_FEED = Goods("Pakan ternak", "23099019", "ton", 7_500_000, (40, 300))
_FERTILISER = Goods("Pupuk organik", "31010099", "ton", 2_400_000, (100, 800))
_CEMENT = Goods("Semen", "25232990", "ton", 1_150_000, (300, 3000))
_BATIK = Goods("Batik tulis", "62114990", "lembar", 450_000, (200, 3000))

PAST_MISSIONS = (
    PastMission(
        slug="jatim-sulsel-2019",
        name="Misi Dagang dan Investasi Jawa Timur – Sulawesi Selatan",
        host="sulsel",
        host_regency="73.71",
        venue="Hotel Claro Makassar",
        day=dt.date(2019, 10, 24),
        seed=2019,
        deals=24,
        host_businesses=(
            ("CV Makassar Niaga Pangan", "73.71", "Distribusi sembako", "Andi Baso Tenri"),
            ("PT Celebes Rumput Laut", "73.71", "Pengolahan rumput laut", "Hj. Nurhayati Daeng"),
            ("UD Sinar Kakao Luwu", "73.17", "Perdagangan kakao", "Muh. Arifin Pallawa"),
            ("PT Bone Tambak Lestari", "73.08", "Tambak udang", "Andi Syamsul Bahri"),
            ("CV Pare Beras Sejahtera", "73.72", "Penggilingan padi", "Ismail Lawang"),
            ("UD Gowa Bangunan Jaya", "73.06", "Bahan bangunan", "Rahmat Daeng Tata"),
        ),
        sells=(_EGGS, _SUGAR, _COFFEE, _FEED, _CEMENT, _BATIK),
        buys=(
            Goods("Rumput laut kering", "12122190", "ton", 18_000_000, (10, 120)),
            Goods("Biji kakao", "18010000", "ton", 32_000_000, (5, 60)),
            Goods("Udang vaname beku", "03061719", "ton", 85_000_000, (2, 25)),
        ),
    ),
    PastMission(
        slug="jatim-ntb-2021",
        name="Misi Dagang Jawa Timur – Nusa Tenggara Barat",
        host="ntb",
        host_regency="52.71",
        venue="Hotel Lombok Raya Mataram",
        day=dt.date(2021, 11, 18),
        seed=2021,
        deals=18,
        host_businesses=(
            ("CV Mataram Sembako Mandiri", "52.71", "Distribusi sembako", "Lalu Muhammad Zaini"),
            ("PT Sumbawa Ternak Nusantara", "52.04", "Peternakan sapi", "H. Syarifuddin Umar"),
            ("UD Jagung Dompu Makmur", "52.05", "Perdagangan jagung", "Baiq Rahmawati"),
            ("CV Bima Garam Lestari", "52.72", "Produksi garam", "Abdul Gani Yasin"),
            ("UD Lombok Bangunan Sentosa", "52.01", "Bahan bangunan", "Lalu Ahmad Fauzi"),
        ),
        sells=(_EGGS, _RICE, _FEED, _FERTILISER, _CEMENT),
        buys=(
            Goods("Sapi bakalan", "01022990", "ekor", 14_500_000, (50, 400)),
            Goods("Jagung pipil kering", "10059090", "ton", 4_300_000, (100, 900)),
            Goods("Garam rakyat", "25010099", "ton", 1_200_000, (100, 600)),
        ),
    ),
    PastMission(
        slug="jatim-kaltim-2023",
        name="Misi Dagang dan Investasi Jawa Timur – Kalimantan Timur",
        host="kaltim",
        host_regency="64.72",
        venue="Hotel Mercure Samarinda",
        day=dt.date(2023, 6, 15),
        seed=2023,
        deals=30,
        host_businesses=(
            ("PT Mahakam Energi Prima", "64.72", "Perdagangan batu bara", "Muhammad Ridwan Saleh"),
            ("PT Kutai Sawit Lestari", "64.02", "Perkebunan kelapa sawit", "Hj. Siti Aisyah"),
            ("CV Samarinda Kayu Olahan", "64.72", "Pengolahan kayu", "Yohanes Lagho"),
            ("CV Balikpapan Niaga Pangan", "64.71", "Distribusi sembako", "Dedi Kurniawan"),
            ("UD Berau Perikanan Mandiri", "64.03", "Perikanan tangkap", "Rusdiansyah"),
            ("PT Bontang Bangun Persada", "64.74", "Kontraktor bangunan", "Agus Salim Hasibuan"),
        ),
        sells=(_EGGS, _RICE, _SUGAR, _COFFEE, _FEED, _CEMENT, _BATIK),
        buys=(
            Goods("Batu bara", "27011900", "ton", 1_650_000, (2000, 20000)),
            Goods("Minyak sawit mentah (CPO)", "15111000", "ton", 11_800_000, (100, 1200)),
            Goods("Kayu gergajian", "44072990", "m3", 4_200_000, (100, 900)),
            Goods("Ikan tongkol beku", "03038990", "ton", 21_000_000, (10, 80)),
        ),
    ),
)


@dataclass(frozen=True)
class PastDeal:
    key: str
    at: dt.datetime
    direction: str
    seller: str
    buyer: str
    goods: Goods
    volume: int
    value_idr: int


def past_deals(mission: PastMission, jatim_names: list[str]) -> list[PastDeal]:
    """The mission's deals in time order: two thirds East Java selling, the rest buying."""
    rng = random.Random(mission.seed)  # noqa: S311 - demo data, not secrets
    hosts = [name for name, *_ in mission.host_businesses]
    delegation = rng.sample(jatim_names, k=min(len(jatim_names), 14))
    start = dt.datetime.combine(mission.day, dt.time(10, 30), tzinfo=WITA)
    result = []
    for number in range(1, mission.deals + 1):
        selling = rng.random() < 0.68
        goods = rng.choice(mission.sells if selling else mission.buys)
        volume = rng.randint(*goods.volumes)
        ours, theirs = rng.choice(delegation), rng.choice(hosts)
        result.append(
            PastDeal(
                key=f"demo-{mission.slug}-{number:03d}",
                at=start + dt.timedelta(minutes=12 * number + rng.randrange(10)),
                direction="sell" if selling else "buy",
                seller=ours if selling else theirs,
                buyer=theirs if selling else ours,
                goods=goods,
                volume=volume,
                value_idr=volume * goods.price_idr,
            )
        )
    return result


def _host_businesses(actor, owner: Province, mission: PastMission) -> dict[str, Business]:
    regencies = {
        r.code: r for r in Regency.objects.filter(code__in=[b[1] for b in mission.host_businesses])
    }
    result = {}
    for name, regency_code, sector, contact in mission.host_businesses:
        regency = regencies[regency_code]
        business = Business.objects.filter(owner=owner, name__iexact=name, regency=regency).first()
        if business is None:
            business = business_create(
                actor=actor,
                owner=owner,
                name=name,
                province_id=regency.province_id,
                regency=regency,
                sector=sector,
                commodities=", ".join(g.commodity.lower() for g in mission.buys),
                contact_name=contact,
            )
        result[name] = business
    return result


def _load_one(manager, desk, jatim: Province, past: PastMission, jatim_businesses) -> Mission:
    mission = Mission.objects.filter(slug=past.slug).first()
    if mission is None:
        mission = mission_create(
            actor=manager,
            organiser=jatim,
            host=Province.objects.get(slug=past.host),
            host_regency=Regency.objects.get(code=past.host_regency),
            slug=past.slug,
            name=past.name,
            venue=past.venue,
            opens_at=dt.datetime.combine(past.day, dt.time(9, 0), tzinfo=WITA),
            closes_at=dt.datetime.combine(past.day, dt.time(21, 0), tzinfo=WITA),
        )
    hosts = _host_businesses(manager, jatim, past)
    plan = past_deals(past, sorted(jatim_businesses))
    recorded = set(Deal.objects.filter(mission=mission).values_list("idempotency_key", flat=True))
    if all(deal.key in recorded for deal in plan):
        return mission
    businesses = {**{name: b for name, (b, _side) in jatim_businesses.items()}, **hosts}
    taking_part = dict(Participant.objects.filter(mission=mission).values_list("business_id", "pk"))
    participant_ids = {}
    for deal in plan:
        for name, side in ((deal.seller, None), (deal.buyer, None)):
            business = businesses[name]
            if business.pk not in taking_part:
                side = "host" if name in hosts else "organiser"
                taking_part[business.pk] = participant_add(
                    actor=manager, mission=mission, business=business, side=side
                ).pk
            participant_ids[name] = taking_part[business.pk]
    if mission.status != MissionStatus.OPEN:
        mission_set_status(actor=manager, mission=mission, status=MissionStatus.OPEN)
    for deal in plan:
        if deal.key in recorded:
            continue
        entry, _created = deal_record(
            actor=desk,
            mission=mission,
            key=deal.key,
            data=DealInput(
                direction=deal.direction,
                seller_id=participant_ids[deal.seller],
                buyer_id=participant_ids[deal.buyer],
                commodity=deal.goods.commodity,
                value_idr=deal.value_idr,
                stage="komitmen",
                hs_code=deal.goods.hs_code,
                volume=Decimal(deal.volume),
                unit=deal.goods.unit,
            ),
        )
        # Demo seeding only, as in `niaga.missions.demo`: back to the mission day.
        Deal.objects.filter(pk=entry.pk).update(recorded_at=deal.at)
    if not Snapshot.objects.filter(mission=mission).exists():
        announced = snapshot_announce(actor=manager, mission=mission)
        Snapshot.objects.filter(pk=announced.pk).update(announced_at=plan[-1].at)
    last = Deal.objects.filter(mission=mission).aggregate(last=Max("recorded_at"))["last"]
    LedgerState.objects.filter(mission=mission).update(last_recorded_at=last)
    mission_set_status(actor=manager, mission=mission, status=MissionStatus.CLOSED)
    return mission


def load(manager, desk, jatim: Province, jatim_businesses) -> list[Mission]:
    """Create the earlier missions (inside `scopes_disabled()`, as the caller runs)."""
    return [_load_one(manager, desk, jatim, past, jatim_businesses) for past in PAST_MISSIONS]
