"""Demo content: the agreements signed at the Banjarmasin mission of 13 April 2022.

The governors' MoU between the Provincial Governments of East Java and South
Kalimantan, and two cooperation agreements (PKS) between provincial offices:
Disperindag Jatim's, numbered `12.23/86/PKS/011.3/2022` (the number in the
domain brief), and one between the livestock and food-security offices. The
other numbers are invented in the offices' usual pattern. Signatories are
named by their office only. Action items are some done, some in progress and
some overdue on the demo's "today" (`DEMO_TODAY`, the project's date, late
November 2026); every date is fixed, so the demo is the same on every run.

Everything goes through `niaga.agreements.domain` with back-dated `now=`
(creation on the signing day, each note on its date). An agreement already
recorded (same recording province and title) is left alone, so a second run
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from niaga.accounts.models import User
from niaga.agreements import domain
from niaga.agreements.models import ActionItem, Agreement
from niaga.missions.models import Mission
from niaga.regions.models import Province

DEMO_TODAY = dt.date(2026, 11, 28)
MISSION_SLUG = "jatim-kalsel-2022"
SIGNED_ON = dt.date(2022, 4, 13)
DISPERINDAG_JATIM_NUMBER = "12.23/86/PKS/011.3/2022"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment on `day` in WIB (UTC+7): the time an officer wrote it."""
    return dt.datetime(
        day.year, day.month, day.day, hour, tzinfo=dt.timezone(dt.timedelta(hours=7))
    )


@dataclass(frozen=True)
class Note:
    on: dt.date
    text: str
    status: str = ""
    by: str = "jatim-admin"


@dataclass(frozen=True)
class Item:
    title: str
    party: int  # index of the responsible party
    owner_name: str
    due_on: dt.date | None
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Plan:
    kind: str
    title: str
    valid_until: dt.date
    scope: str
    parties: list[dict]
    items: tuple[Item, ...] = ()
    document: str = ""  # the demo PDF's file name
    place: str = "Galaxy Hotel Banjarmasin"
    extra: dict = field(default_factory=dict)


def _government(name: str, code: str, number: str, title: str) -> dict:
    return {
        "kind": "government",
        "name": name,
        "province": code,
        "number": number,
        "signatory": title,
        "signatory_title": "Gubernur",
    }


def _office(name: str, code: str, number: str, head: str) -> dict:
    return {
        "kind": "office",
        "name": name,
        "province": code,
        "number": number,
        "signatory": f"Kepala {head}",
        "signatory_title": "Kepala Dinas",
    }


def plans() -> list[Plan]:
    disperindag_jatim = "Dinas Perindustrian dan Perdagangan Provinsi Jawa Timur"
    disperindag_kalsel = "Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Selatan"
    return [
        Plan(
            kind="mou",
            title=(
                "Nota Kesepakatan Kerja Sama Perdagangan, Investasi dan Pembangunan Daerah "
                "Jawa Timur – Kalimantan Selatan"
            ),
            valid_until=dt.date(2027, 4, 12),
            scope=(
                "Kerja sama perdagangan antardaerah, promosi investasi, ketahanan pangan, "
                "pengembangan UMKM, dan pertukaran informasi pasar antara kedua provinsi "
                "selama lima tahun."
            ),
            parties=[
                _government(
                    "Pemerintah Provinsi Jawa Timur",
                    "35",
                    "120/25/NK/012/2022",
                    "Gubernur Jawa Timur",
                ),
                _government(
                    "Pemerintah Provinsi Kalimantan Selatan",
                    "63",
                    "075/014/KSDD/Pem/2022",
                    "Gubernur Kalimantan Selatan",
                ),
            ],
            document="Nota Kesepakatan Jatim-Kalsel 2022.pdf",
            items=(
                Item(
                    "Menyusun rencana aksi kerja sama perdagangan dan investasi",
                    0,
                    "Biro Perekonomian Setdaprov Jawa Timur",
                    dt.date(2022, 7, 31),
                    (
                        Note(
                            dt.date(2022, 6, 14),
                            "Rapat koordinasi pertama kedua biro perekonomian secara daring.",
                            "in_progress",
                        ),
                        Note(
                            dt.date(2022, 7, 28),
                            "Rencana aksi 2022–2024 ditandatangani kedua Sekda.",
                            "done",
                        ),
                    ),
                ),
                Item(
                    "Misi dagang balasan Kalimantan Selatan di Surabaya",
                    1,
                    "Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Selatan",
                    dt.date(2023, 6, 30),
                    (
                        Note(
                            dt.date(2023, 5, 24),
                            "Misi dagang balasan terlaksana di Surabaya; "
                            "38 pelaku usaha Kalsel hadir.",
                            "done",
                            "kalsel-admin",
                        ),
                    ),
                ),
                Item(
                    "Evaluasi pelaksanaan nota kesepakatan tahun ketiga",
                    0,
                    "Biro Perekonomian Setdaprov Jawa Timur",
                    dt.date(2025, 6, 30),
                    (
                        Note(
                            dt.date(2025, 5, 20),
                            "Bahan evaluasi dari perangkat daerah mulai dihimpun.",
                            "in_progress",
                        ),
                    ),
                ),
            ),
        ),
        Plan(
            kind="pks",
            title="Perjanjian Kerja Sama Peningkatan Perdagangan Antardaerah",
            valid_until=dt.date(2026, 12, 31),
            scope=(
                "Fasilitasi temu bisnis, pertukaran data harga dan pasokan komoditas, serta "
                "promosi produk unggulan kedua provinsi."
            ),
            parties=[
                _office(disperindag_jatim, "35", DISPERINDAG_JATIM_NUMBER, disperindag_jatim),
                _office(
                    disperindag_kalsel,
                    "63",
                    "510/087/PKS/DISPERINDAG/2022",
                    disperindag_kalsel,
                ),
            ],
            items=(
                Item(
                    "Temu bisnis lanjutan pelaku usaha kedua provinsi",
                    0,
                    disperindag_jatim,
                    dt.date(2022, 10, 31),
                    (
                        Note(
                            dt.date(2022, 10, 19),
                            "Temu bisnis virtual: 64 pasang pertemuan, 11 kontrak baru.",
                            "done",
                        ),
                    ),
                ),
                Item(
                    "Pertukaran data harga dan pasokan komoditas setiap bulan",
                    1,
                    disperindag_kalsel,
                    dt.date(2026, 12, 31),
                    (
                        Note(
                            dt.date(2022, 6, 2),
                            "Format data harga disepakati; pengiriman bulanan dimulai.",
                            "in_progress",
                            "kalsel-admin",
                        ),
                        Note(
                            dt.date(2026, 11, 3),
                            "Data Oktober 2026 diterima lengkap.",
                            "",
                            "kalsel-admin",
                        ),
                    ),
                ),
                Item(
                    "Membuka gerai produk unggulan Jawa Timur di Banjarmasin",
                    0,
                    disperindag_jatim,
                    dt.date(2023, 12, 31),
                    (
                        Note(
                            dt.date(2023, 9, 12),
                            "Calon lokasi di Duta Mall ditinjau; menunggu anggaran perubahan.",
                        ),
                    ),
                ),
            ),
        ),
        Plan(
            kind="pks",
            title="Perjanjian Kerja Sama Pemenuhan Kebutuhan Telur dan Daging Ayam Ras",
            valid_until=dt.date(2024, 4, 12),
            scope=(
                "Pasokan telur dan daging ayam ras dari Jawa Timur untuk menjaga stabilitas "
                "harga di Kalimantan Selatan, termasuk pengawasan kesehatan hewan."
            ),
            parties=[
                _office(
                    "Dinas Peternakan Provinsi Jawa Timur",
                    "35",
                    "524/1123/PKS/122.4/2022",
                    "Dinas Peternakan Provinsi Jawa Timur",
                ),
                _office(
                    "Dinas Ketahanan Pangan Provinsi Kalimantan Selatan",
                    "63",
                    "521/219/PKS/DKP/2022",
                    "Dinas Ketahanan Pangan Provinsi Kalimantan Selatan",
                ),
            ],
            items=(
                Item(
                    "Kontrak pasokan telur 100 ton per bulan",
                    0,
                    "Dinas Peternakan Provinsi Jawa Timur",
                    dt.date(2022, 8, 31),
                    (
                        Note(
                            dt.date(2022, 8, 15),
                            "Kontrak tiga pemasok Blitar dengan dua distributor "
                            "Banjarmasin ditandatangani.",
                            "done",
                        ),
                    ),
                ),
                Item(
                    "Laporan realisasi pasokan per semester",
                    1,
                    "Dinas Ketahanan Pangan Provinsi Kalimantan Selatan",
                    dt.date(2023, 10, 31),
                    (
                        Note(
                            dt.date(2023, 2, 6),
                            "Laporan semester II 2022 diterima.",
                            "in_progress",
                            "kalsel-admin",
                        ),
                    ),
                ),
            ),
        ),
    ]


def demo_pdf(title: str) -> bytes:
    """A one-page PDF standing for the scanned, signed agreement."""
    from weasyprint import HTML

    html = (
        "<html><body style='font-family: sans-serif'>"
        "<p style='color:#a00'>CONTOH – dokumen demo Niaga, bukan naskah asli</p>"
        f"<h1 style='font-size:18pt'>{title}</h1>"
        "<p>Ditandatangani di Banjarmasin, 13 April 2022.</p></body></html>"
    )
    buffer = BytesIO()
    HTML(string=html).write_pdf(buffer)
    return buffer.getvalue()


def _record(plan: Plan, *, jatim: Province, mission: Mission, users: dict) -> Agreement:
    document = None
    if plan.document:
        document = SimpleUploadedFile(
            plan.document, demo_pdf(plan.title), content_type="application/pdf"
        )
    parties = [{**p, "province": Province.objects.get(code=p["province"])} for p in plan.parties]
    agreement = domain.agreement_create(
        actor=users["jatim-admin"],
        owner=jatim,
        kind=plan.kind,
        title=plan.title,
        signed_on=SIGNED_ON,
        place=plan.place,
        valid_from=SIGNED_ON,
        valid_until=plan.valid_until,
        scope=plan.scope,
        mission=mission,
        parties=parties,
        document=document,
        now=_at(SIGNED_ON, 16),
    )
    ordered = list(agreement.parties.order_by("position", "id"))
    for item_plan in plan.items:
        item = domain.action_item_create(
            actor=users["jatim-admin"],
            agreement=agreement,
            title=item_plan.title,
            owner_name=item_plan.owner_name,
            owner_party=ordered[item_plan.party],
            due_on=item_plan.due_on,
            now=_at(SIGNED_ON, 17),
        )
        for note in item_plan.notes:
            domain.action_item_note_add(
                actor=users[note.by],
                item=item,
                text=note.text,
                written_on=note.on,
                status=note.status,
                now=_at(note.on),
            )
    return agreement


def load(*, out) -> list:
    with scopes_disabled():
        jatim = Province.objects.get(slug="jatim")
        mission = Mission.objects.filter(slug=MISSION_SLUG).first()
        if mission is None:
            out("  agreements: the Banjarmasin mission is missing; nothing recorded")
            return []
        users = {
            u.username: u for u in User.objects.filter(username__in=["jatim-admin", "kalsel-admin"])
        }
        added = 0
        for plan in plans():
            if Agreement.all_objects.filter(owner=jatim, title=plan.title).exists():
                continue
            _record(plan, jatim=jatim, mission=mission, users=users)
            added += 1
        agreements = Agreement.all_objects.filter(mission=mission).count()
        overdue = sum(
            1
            for item in ActionItem.all_objects.filter(agreement__mission=mission)
            if item.status in ("open", "in_progress") and item.due_on and item.due_on < DEMO_TODAY
        )
    out(
        f"  agreements: {agreements} signed at {mission.slug} ({added} recorded now), "
        f"{overdue} action items overdue on {DEMO_TODAY.isoformat()}"
    )
    return []
