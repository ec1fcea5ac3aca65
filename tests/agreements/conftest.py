"""A small agreements world.

- `jatim_manager` (East Java mission manager), `kalsel_manager` (South
  Kalimantan mission manager), `jatim_viewer`; the shared fixtures give the
  admins, `kalsel_viewer` and `national_viewer`.
- `pks`: a PKS recorded by East Java between Disperindag Jatim (number
  12.23/86/PKS/011.3/2022) and Disperindag Kalsel, at the shared `mission`,
  with an open action item (overdue on TODAY), a done one and one without a
  due date.
- `bali_mou`: an MoU East Java recorded with Bali only: South Kalimantan is
  not party to it and must never see it.
- `kalsel_own`: South Kalimantan's own agreement with Bali: East Java must
  never see it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from niaga.accounts.models import Role
from niaga.agreements import domain
from niaga.regions.models import Province
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 28)
# Noon in Surabaya on TODAY: the domain's "today" in WIB and WITA alike.
NOW = dt.datetime(2026, 11, 28, 5, 0, tzinfo=dt.UTC)
NUMBER = "12.23/86/PKS/011.3/2022"


def pdf_bytes(text: str = "Naskah PKS") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def party(name: str, province: Province | None = None, number: str = "", **extra) -> dict:
    return {
        "kind": extra.pop("kind", "office"),
        "name": name,
        "province": province,
        "number": number,
        "signatory": extra.pop("signatory", ""),
        "signatory_title": extra.pop("signatory_title", ""),
        **extra,
    }


def make_agreement(actor, owner, parties, **fields):
    values = {
        "kind": "pks",
        "title": "PKS Perdagangan Antar Daerah",
        "signed_on": dt.date(2022, 4, 13),
        "place": "Banjarmasin",
        "valid_from": dt.date(2022, 4, 13),
        "valid_until": dt.date(2027, 4, 12),
        "scope": "Kerja sama perdagangan",
        **fields,
    }
    return domain.agreement_create(actor=actor, owner=owner, parties=parties, now=NOW, **values)


@pytest.fixture
def jatim_manager(jatim):
    return make_user("jatim-manager", province=jatim, roles=[Role.MISSION_MANAGER])


@pytest.fixture
def kalsel_manager(kalsel):
    return make_user("kalsel-manager", province=kalsel, roles=[Role.MISSION_MANAGER])


@pytest.fixture
def jatim_viewer(jatim):
    return make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER])


@pytest.fixture
def bali(db) -> Province:
    return Province.objects.get(code="51")


@pytest.fixture
def pks(jatim, kalsel, jatim_manager, mission):
    agreement = make_agreement(
        jatim_manager,
        jatim,
        [
            party("Dinas Perindustrian dan Perdagangan Provinsi Jawa Timur", jatim, NUMBER),
            party(
                "Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Selatan",
                kalsel,
                "503/117/PKS/DISPERINDAG/2022",
            ),
        ],
        mission=mission,
    )
    parties = list(agreement.parties.order_by("position"))
    domain.action_item_create(
        actor=jatim_manager,
        agreement=agreement,
        title="Temu bisnis lanjutan di Surabaya",
        owner_party=parties[0],
        due_on=dt.date(2026, 10, 31),
        now=NOW,
    )
    domain.action_item_create(
        actor=jatim_manager,
        agreement=agreement,
        title="Pertukaran data harga komoditas",
        owner_party=parties[1],
        due_on=dt.date(2022, 12, 31),
        status="done",
        now=NOW,
    )
    domain.action_item_create(
        actor=jatim_manager,
        agreement=agreement,
        title="Evaluasi tahunan",
        owner_name="Biro Perekonomian",
        now=NOW,
    )
    return agreement


@pytest.fixture
def bali_mou(jatim, bali, jatim_manager):
    return make_agreement(
        jatim_manager,
        jatim,
        [
            party("Pemerintah Provinsi Jawa Timur", jatim, kind="government"),
            party("Pemerintah Provinsi Bali", bali, kind="government"),
        ],
        kind="mou",
        title="MoU Jawa Timur – Bali",
        signed_on=dt.date(2024, 3, 1),
        valid_from=dt.date(2024, 3, 1),
        valid_until=dt.date(2027, 1, 31),
    )


@pytest.fixture
def kalsel_own(kalsel, bali, kalsel_manager):
    return make_agreement(
        kalsel_manager,
        kalsel,
        [
            party("Pemerintah Provinsi Kalimantan Selatan", kalsel, kind="government"),
            party("Pemerintah Provinsi Bali", bali, kind="government"),
        ],
        kind="mou",
        title="MoU Kalimantan Selatan – Bali",
        signed_on=dt.date(2025, 6, 2),
        valid_from=dt.date(2025, 6, 2),
        valid_until=dt.date(2026, 6, 1),
    )
