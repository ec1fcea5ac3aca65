"""Exports of participants and deals: CSV with comma or semicolon, XLSX, formulas neutralised."""

import csv
import io
import uuid

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from niaga.core.exports import neutralise
from niaga.missions import domain
from niaga.missions.domain import DealInput

pytestmark = pytest.mark.django_db


@given(st.text())
def test_no_exported_text_can_start_a_formula(text):
    shown = neutralise(text)
    assert not shown.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert shown.removeprefix("'") == text or shown == text


def test_numbers_stay_numbers():
    assert neutralise(147_321_766_000) == 147_321_766_000
    assert neutralise(-5000) == -5000  # a reversal's value is a number, not text
    assert neutralise(None) == ""


@pytest.fixture
def ledger(mission, sellers, buyers, jatim_desk):
    data = DealInput(
        direction="sell",
        seller_id=sellers[0].pk,
        buyer_id=buyers[0].pk,
        commodity='=HYPERLINK("http://jahat.example")',
        value_idr=2_500_000_000,
        stage="komitmen",
        note="@SUM(A1)",
    )
    deal, _ = domain.deal_record(
        actor=jatim_desk, mission=mission, key=str(uuid.uuid4()), data=data
    )
    domain.deal_correct(actor=jatim_desk, deal=deal, key=str(uuid.uuid4()), reason="-batal")
    return deal


def export(client, name, fmt, **params):
    url = reverse(
        f"province:{name}_export", kwargs={"province": "jatim", "slug": "uji-misi", "fmt": fmt}
    )
    return client.get(url, params)


@pytest.mark.parametrize(("sep", "delimiter"), [("comma", ","), ("semicolon", ";")])
def test_deals_csv(client, ledger, jatim_admin, sep, delimiter):
    client.force_login(jatim_admin)
    response = export(client, "deals", "csv", sep=sep)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(rows) == 3  # header, the deal, its reversal
    header, original, reversal = rows
    assert header[0] == "Nomor"
    assert original[9] == '\'=HYPERLINK("http://jahat.example")'
    assert original[13] == "2500000000" and reversal[13] == "-2500000000"
    assert original[17] == "'@SUM(A1)" and reversal[18] == "'-batal"


def test_deals_xlsx_reads_back(client, ledger, jatim_admin):
    client.force_login(jatim_admin)
    response = export(client, "deals", "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][9] == '\'=HYPERLINK("http://jahat.example")'
    assert values[1][13] == 2_500_000_000 and values[2][13] == -2_500_000_000
    assert sum(row[13] for row in values[1:]) == 0  # the ledger's total after the reversal


def test_participants_export_masks_phones(client, mission, jatim_admin):
    from niaga.missions.models import Side
    from tests.missions.conftest import add_business

    participant = add_business(jatim_admin, mission, "UD Kopi", "35.10", Side.ORGANISER)
    participant.business.__class__.objects.with_scope(province=mission.organiser).filter(
        pk=participant.business_id
    ).update(contact_phone="081234567890")
    client.force_login(jatim_admin)
    text = export(client, "participants", "csv").content.decode("utf-8-sig")
    assert "0812*****890" in text and "081234567890" not in text


def test_exports_follow_the_mission_rights(client, ledger, kalsel_viewer):
    client.force_login(kalsel_viewer)  # the host may read the mission…
    url = reverse(
        "province:deals_export", kwargs={"province": "kalsel", "slug": "uji-misi", "fmt": "csv"}
    )
    assert client.get(url).status_code == 200
    # …but not through another province's space, and only in known formats.
    url = reverse(
        "province:deals_export", kwargs={"province": "jatim", "slug": "uji-misi", "fmt": "csv"}
    )
    assert client.get(url).status_code == 404
    url = reverse(
        "province:deals_export", kwargs={"province": "kalsel", "slug": "uji-misi", "fmt": "pdf"}
    )
    assert client.get(url).status_code == 404
