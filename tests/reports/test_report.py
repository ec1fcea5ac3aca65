"""The mission report: one build feeds the page, the PDF and the XLSX, so their
figures are the dashboard's; the press summary's figures; the public version
carries no contact data."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from niaga.agreements.models import Agreement, AgreementKind, AgreementParty, PartyKind
from niaga.core.money import format_rupiah
from niaga.realization import dashboard
from niaga.reports import exports, report
from niaga.reports.press import press_summary
from tests.reports import helpers as h
from tests.reports.conftest import M

pytestmark = pytest.mark.django_db

FULL_PHONES = ("081234567890", "+62 811 5000 4321", "085100000001")


def _build(world, *, contacts=True):
    return report.build(world.mission, include_contacts=contacts, today=h.TODAY)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def _workbook(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data), read_only=True)


def _rows(book, title):
    return [list(r) for r in book[title].iter_rows(values_only=True)]


def test_the_report_uses_the_dashboards_figures(world):
    built = _build(world)
    board = dashboard.for_mission(world.mission, today=h.TODAY)
    assert built.totals == board.totals
    assert [(t.seller.name, t.value_idr) for t in built.top] == [
        ("UD Telur Makmur", 40 * M),
        ("CV Kopi Ijen", 10 * M),
        ("PT Borneo Pangan", 5 * M),
        ("CV Kopi Ijen", 3 * M),
        ("UD Telur Makmur", 1 * M),
    ]
    first = built.top[0]
    assert (first.seller.city, first.buyer.name, first.buyer.city) == (
        "Kabupaten Blitar",
        "PT Borneo Pangan",
        "Kota Banjarmasin",
    )
    assert first.volume in ("400.000 kg", "400,000 kg")
    assert first.seller.contact == "Budi Santoso, 0812*****890"
    assert [(s.clock, s.total_idr, s.count) for s in built.snapshots] == [("18.30 WITA", 58 * M, 4)]
    assert (built.organiser_count, built.host_count) == (2, 2)


def test_public_report_has_no_contact_data(world):
    built = _build(world, contacts=False)
    assert {t.seller.contact for t in built.top} | {p.contact for p in built.participants} == {""}
    for data in (exports.xlsx(built), exports.html(built).encode()):
        text = data.decode(errors="ignore") if data[:2] != b"PK" else _all_cells(_workbook(data))
        for secret in ("Budi Santoso", "Siti Rahmah", "0812", "5000 4321", "*****"):
            assert secret not in text
    text = _pdf_text(exports.pdf(built))
    assert "Budi Santoso" not in text and "0812" not in text
    # The internal version names the contact, with the phone masked.
    internal = exports.html(_build(world))
    assert "Budi Santoso, 0812*****890" in internal
    assert all(phone not in internal for phone in FULL_PHONES)


def _all_cells(book) -> str:
    return " ".join(
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def test_pdf_reads_back_with_the_dashboards_figures(world):
    built = _build(world)
    with translation.override("id"):
        text = _pdf_text(exports.pdf(built))
    for amount in (59 * M, 43 * M, 42 * M):
        assert format_rupiah(amount, language="id") in text
    assert "Misi uji uji-misi" in text
    assert "18.30 WITA" in text
    assert "PT Borneo Pangan" in text
    # The realization rate, as the page shows it.
    assert "71,2 %" in text


def test_pdf_in_english(world):
    built = _build(world)
    with translation.override("en"):
        text = _pdf_text(exports.pdf(built))
    assert "IDR 59,000,000,000" in text
    assert "Mission report" in text
    assert "The ten largest commitments" in text


def test_xlsx_reads_back_with_the_dashboards_figures(world):
    built = _build(world)
    board = built.realization
    with translation.override("en"):
        book = _workbook(exports.xlsx(built))
        titles = book.sheetnames
        assert titles == [
            "Mission",
            "Announced totals",
            "By direction",
            "Top ten",
            "By commodity",
            "By regency",
            "Participants",
            "Agreements",
            "Realization",
            "Press summary",
        ]
        realization = {r[0]: r[1] for r in _rows(book, "Realization") if r and r[0]}
        assert realization["Committed (Rp)"] == board.totals.committed_idr == 59 * M
        assert realization["Delivered (Rp)"] == 43 * M
        assert realization["Paid (Rp)"] == 42 * M
        assert realization["Realization rate (%)"] == 71.2
        direction = _rows(book, "By direction")
        assert direction[1][:5] == ["Sell (jual)", 4, 54 * M, 43 * M, 42 * M]
        top = _rows(book, "Top ten")
        assert top[0][:4] == ["Rank", "Seller", "Seller's city", "Seller's contact"]
        assert top[1][0] == 1 and top[1][1] == "UD Telur Makmur" and 40 * M in top[1]
        commodity = _rows(book, "By commodity")
        assert [r[0] for r in commodity[1:]] == ["Telur ayam ras", "Beras", "Kopi"]
        assert sum(r[2] for r in commodity[1:]) == 59 * M
        snapshots = _rows(book, "Announced totals")
        assert snapshots[1] == ["April 13, 2022, 18:30 WITA", 58 * M, 4]
        assert len(_rows(book, "Participants")) == 5


def test_xlsx_neutralises_formulas_and_lists_agreements(world, jatim_admin):
    with scopes_disabled():
        agreement = Agreement.all_objects.create(
            owner=world.mission.organiser,
            kind=AgreementKind.PKS,
            title='=HYPERLINK("http://x")',
            signed_on=dt.date(2022, 4, 13),
            valid_from=dt.date(2022, 4, 13),
            mission=world.mission,
            created_by=jatim_admin,
        )
        AgreementParty.all_objects.create(
            agreement=agreement,
            kind=PartyKind.OFFICE,
            name="Disperindag Jatim",
            number="12.23/86/PKS/011.3/2022",
        )
    with translation.override("en"):
        rows = _rows(_workbook(exports.xlsx(_build(world))), "Agreements")
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][2] == "12.23/86/PKS/011.3/2022"


def test_press_summary_figures(world):
    built = _build(world)
    text = press_summary(built)
    # The latest announced total, its clock time with the zone label, its count.
    assert "Rp 58 miliar" in text
    assert "18.30 WITA" in text
    assert "13 April 2022" in text
    assert " 4 " in text
    # The ledger moved after the announcement: where it stands now.
    assert "Rp 59 miliar" in text and " 5 " in text
    assert "Rp 54 miliar" in text and "Rp 5 miliar" in text  # sales and purchases
    assert "Telur ayam ras (Rp 50 miliar)" in text
    assert "Rp 42 miliar" in text and "71,2 %" in text and "Rp 43 miliar" in text


def test_press_summary_in_english_reads_as_sentences(world):
    text = press_summary(_build(world), language="en")
    assert text.startswith(
        "Misi uji uji-misi recorded 4 transactions worth IDR 58 billion as of 18:30 WITA, "
        "April 13, 2022. The ledger now stands at IDR 59 billion in 5 transactions. "
        "Sales by Jawa Timur came to IDR 54 billion and purchases to IDR 5 billion. "
        "The largest commodities were Telur ayam ras (IDR 50 billion), Beras (IDR 5 billion) "
        "and Kopi (IDR 4 billion). As of November 28, 2026, IDR 42 billion (71.2 % of the "
        "commitments) has been paid and IDR 43 billion delivered."
    )


def test_press_summary_without_announcement_uses_the_ledger(mission, sellers, buyers, jatim_admin):
    h.record_deal(jatim_admin, mission, sellers[0], buyers[0], 147_321_766_000)
    mission.refresh_from_db()
    text = press_summary(
        report.build(mission, include_contacts=False, today=h.TODAY), language="en"
    )
    assert text == (
        "Misi uji uji-misi recorded 1 transaction worth IDR 147.3 billion as of 15:00 WITA, "
        "April 13, 2022. Sales by Jawa Timur came to IDR 147.3 billion and purchases to IDR 0. "
        "The largest commodities were Telur ayam ras (IDR 147.3 billion)."
    )
    id_text = press_summary(report.build(mission, include_contacts=False, today=h.TODAY))
    assert "Rp 147,3 miliar" in id_text and "15.00 WITA" in id_text


def test_press_summary_of_an_empty_mission(mission):
    text = press_summary(report.build(mission, include_contacts=False), language="en")
    assert text == "Misi uji uji-misi has not recorded any transaction yet."
