"""The realization pages and the mission report pages: what they show, who may
open them, province isolation (404), query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scopes_disabled

from niaga.core.money import format_rupiah
from tests.reports import helpers as h
from tests.reports.conftest import M

pytestmark = pytest.mark.django_db

MISSION = "/province/jatim/realization/missions/uji-misi/"
DASHBOARD = "/province/jatim/realization/"
REPORT = "/province/jatim/realization/missions/uji-misi/report/"


def _login(client, user):
    client.force_login(user)


def _text(response) -> str:
    return response.content.decode()


def test_the_mission_page_shows_the_totals_in_their_places(client, world, jatim_desk):
    _login(client, jatim_desk)
    response = client.get(MISSION)
    assert response.status_code == 200
    html = _text(response)
    assert f'id="realized-committed">{format_rupiah(59 * M)}<' in html
    assert f'id="realized-delivered">{format_rupiah(43 * M)}<' in html
    assert f'id="realized-paid">{format_rupiah(42 * M)}<' in html
    assert 'id="realized-rate">71,2 %<' in html
    assert 'href="/province/jatim/realization/missions/uji-misi/followup/"' in html
    # Deals at risk link to their follow-up page.
    assert f'href="/province/jatim/realization/deals/{world.deals["d2"].pk}/"' in html
    assert 'id="risk-count">2<' in html
    assert "<svg" in html and 'id="chart-totals"' in html and 'id="chart-rate"' in html


def test_the_host_province_and_the_national_viewer_read_it_too(
    client, world, kalsel_admin, national_viewer
):
    for user, province in ((kalsel_admin, "kalsel"), (national_viewer, "jatim")):
        client.force_login(user)
        response = client.get(f"/province/{province}/realization/missions/uji-misi/")
        assert response.status_code == 200
        assert f'id="realized-paid">{format_rupiah(42 * M)}<' in _text(response)


def test_province_isolation_on_every_page(client, world, jatim_admin, kalsel_admin, sulsel_admin):
    _login(client, jatim_admin)
    # Kalsel's own mission is not in Jatim's space.
    for tail in ("", "report/", "report.pdf", "report.xlsx"):
        assert (
            client.get(f"/province/jatim/realization/missions/kalsel-sulsel/{tail}").status_code
            == 404
        )
    assert (
        client.post(
            "/province/jatim/realization/missions/kalsel-sulsel/transparency/",
            {"is_published": "1"},
        ).status_code
        == 404
    )
    # Nor is another province's space open to Jatim.
    assert client.get("/province/kalsel/realization/").status_code == 404
    client.logout()
    _login(client, sulsel_admin)
    for tail in ("", "report/", "report.pdf", "report.xlsx"):
        assert (
            client.get(f"/province/sulsel/realization/missions/uji-misi/{tail}").status_code == 404
        )
    # Sulsel hosts Kalsel's mission, so it sees that one.
    assert client.get("/province/sulsel/realization/missions/kalsel-sulsel/").status_code == 200
    response = client.get("/province/sulsel/realization/")
    assert response.status_code == 200
    assert "uji-misi" not in _text(response) and "kalsel-sulsel" not in _text(response)


def test_the_province_dashboard_lists_its_missions_and_its_record(client, world, jatim_desk):
    _login(client, jatim_desk)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = _text(response)
    assert 'href="/province/jatim/realization/missions/uji-misi/"' in html
    assert "kalsel-sulsel" not in html
    assert f'id="realized-paid">{format_rupiah(42 * M)}<' in html
    assert 'data-year="2022"' in html and 'data-year="2019"' in html
    assert 'id="chart-series"' in html
    # A year without missions leaves the table empty, keeping the record.
    response = client.get(DASHBOARD + "?year=2022")
    assert 'data-mission="uji-misi"' in _text(response)


def test_a_pesantren_account_cannot_open_the_dashboard(client, world, jatim):
    from niaga.accounts.models import Role
    from tests.conftest import make_user

    user = make_user("pesantren-x", province=jatim, roles=[Role.PESANTREN])
    _login(client, user)
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(MISSION).status_code == 404


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_page_queries_do_not_grow_with_deals(client, world, jatim_admin, sellers, buyers):
    _login(client, jatim_admin)
    urls = [MISSION, DASHBOARD, REPORT]
    before = [_count(client, url) for url in urls]
    for i in range(10):
        deal = h.record_deal(
            jatim_admin,
            world.mission,
            sellers[i % 2],
            buyers[i % 2],
            (i + 1) * M,
            commodity=f"Barang {i}",
        )
        h.pay(deal, jatim_admin, M // 4, dt.date(2023, 2, 1))
        h.move(deal, jatim_admin, "terkirim", dt.date(2023, 1, 2))
    assert [_count(client, url) for url in urls] == before


def test_the_report_page_has_the_press_summary_and_downloads(client, world, jatim_admin):
    _login(client, jatim_admin)
    response = client.get(REPORT)
    assert response.status_code == 200
    html = _text(response)
    textarea = 'class="form-control press-summary" id="press-summary" rows="6" readonly lang="id">'
    assert "<textarea " + textarea in html
    summary = response.context["press_summary"]
    assert "Rp 58 miliar" in summary and "18.30 WITA" in summary
    assert summary in html
    assert 'href="/province/jatim/realization/missions/uji-misi/report.pdf?lang=id"' in html
    assert 'href="/province/jatim/realization/missions/uji-misi/report.xlsx"' in html
    assert f'id="realized-paid">{format_rupiah(42 * M)}<' in html


def test_pdf_download_in_the_asked_language(client, world, jatim_admin):
    from pypdf import PdfReader

    _login(client, jatim_admin)
    response = client.get(REPORT.replace("report/", "report.pdf") + "?lang=en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="laporan-misi-uji-misi-'
    )
    assert response.content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "IDR 42,000,000,000" in text
    # The manager's copy names the contact, with the phone masked.
    assert "0812*****890" in text and "081234567890" not in text


def test_xlsx_download(client, world, kalsel_admin):
    from openpyxl import load_workbook

    _login(client, kalsel_admin)
    response = client.get("/province/kalsel/realization/missions/uji-misi/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    with translation.override("id"):
        assert len(book.sheetnames) == 10


def test_the_national_viewer_gets_no_contacts(client, world, national_viewer):
    from pypdf import PdfReader

    _login(client, national_viewer)
    response = client.get("/province/jatim/realization/missions/uji-misi/report.pdf")
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Budi Santoso" not in text and "0812" not in text


def test_pages_have_no_inline_scripts_or_styles(client, world, jatim_admin):
    from niaga.missions.models import Mission
    from niaga.reports import domain

    with scopes_disabled():
        Mission.objects.filter(pk=world.mission.pk).update(is_public=True)
    world.mission.is_public = True
    domain.transparency_set(actor=jatim_admin, mission=world.mission, is_published=True)
    client.force_login(jatim_admin)
    for url in (MISSION, DASHBOARD, REPORT, "/transparansi/uji-misi/"):
        text = _text(client.get(url))
        assert "style=" not in text, url
        assert "<style" not in text, url
        for chunk in text.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), url
