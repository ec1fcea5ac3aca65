"""Report journey: a mission manager opens the realization of East Java's mission
to South Kalimantan, goes on to the mission report, finds the press summary
ready to copy, and downloads the PDF.

Screenshots (with NIAGA_SCREENSHOTS set): the mission's realization page
(`realization-dashboard`) and the report's first page (`mission-report`), the
latter rendered from the very HTML and stylesheet that WeasyPrint prints.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from niaga.core.money import format_rupiah
from niaga.missions.models import Mission, Side
from niaga.reports import exports, report
from tests.browser.conftest import SCREENSHOTS, log_in, screenshot
from tests.conftest import PASSWORD, make_user
from tests.missions.conftest import add_business
from tests.reports import helpers as h
from tests.reports.conftest import M, make_world

pytestmark = pytest.mark.django_db(transaction=True)

GOODS = [
    ("Telur ayam ras", "kg"),
    ("Beras premium", "ton"),
    ("Kopi robusta", "kg"),
    ("Gula kristal", "ton"),
    ("Bawang merah", "ton"),
    ("Sapi potong", "ekor"),
]


def _demo_like(mission, actor, sellers, buyers):
    """A dozen more commitments with a year of deliveries and payments (seeded)."""
    rng = random.Random(2022)
    more_sellers = [
        add_business(actor, mission, name, code, Side.ORGANISER)
        for name, code in (("KUD Sumber Rejeki", "35.07"), ("CV Bawang Nganjuk", "35.18"))
    ]
    for i in range(12):
        commodity, unit = GOODS[i % len(GOODS)]
        seller = (sellers + more_sellers)[i % 4]
        value = rng.randrange(5, 60) * 100_000_000
        deal = h.record_deal(
            actor,
            mission,
            seller,
            buyers[i % 2],
            value,
            commodity=commodity,
            unit=unit,
            volume=h.Decimal(rng.randrange(10, 500)),
        )
        share = rng.choice([1, 1, 1, 0.5, 0])
        if share:
            h.deliver(deal, actor, int(value * share), dt.date(2022, 5 + i % 6, 10))
            h.pay(deal, actor, int(value * share), dt.date(2022, 6 + i % 6, 20))


def test_a_manager_downloads_the_mission_report(
    new_page, mission, sellers, buyers, jatim_admin, kalsel, kalsel_admin
):
    from niaga.regions.models import Province

    sulsel = Province.objects.get(slug="sulsel")
    jatim = mission.organiser
    verifier = make_user("jatim-verifier", province=jatim, roles=["verifier"])
    manager = make_user("jatim-manager", province=jatim, roles=["mission_manager"])
    make_world(mission, sellers, buyers, jatim_admin, verifier, kalsel, sulsel, kalsel_admin)
    _demo_like(mission, jatim_admin, sellers, buyers)
    built = report.build(
        Mission.objects.with_scopes_disabled()
        .select_related("organiser", "host", "host_regency")
        .get(pk=mission.pk),
        include_contacts=True,
    )
    paid = built.totals.paid_idr
    assert paid > 42 * M

    page = new_page()
    log_in(page, manager.username, PASSWORD)
    page.goto("/province/jatim/realization/missions/uji-misi/")
    expect(page.locator("#realized-paid")).to_have_text(format_rupiah(paid, language="id"))
    expect(page.locator("#realized-committed")).to_have_text(
        format_rupiah(built.totals.committed_idr, language="id")
    )
    expect(page.locator("#chart-totals")).to_be_visible()
    screenshot(page, "realization-dashboard")
    page.goto("/province/jatim/realization/")
    expect(page.locator("#mission-table")).to_contain_text("Misi uji uji-misi")
    screenshot(page, "realization-province")
    page.goto("/province/jatim/realization/missions/uji-misi/")

    page.locator("#report-link").click()
    expect(page).to_have_url(re.compile(r"/realization/missions/uji-misi/report/$"))
    summary = page.locator("#press-summary")
    expect(summary).to_have_attribute("readonly", "")
    expect(summary).to_contain_text("18.30 WITA")
    expect(summary).to_contain_text("Rp 58 miliar")

    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    download = download_info.value
    assert download.suggested_filename.startswith("laporan-misi-uji-misi-")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    if SCREENSHOTS:
        with translation.override("id"):
            document = exports.html(built)
        sheet = new_page(width=794, height=1123)  # A4 at 96 dpi
        sheet.set_content(document)
        sheet.add_style_tag(content=exports.stylesheet() + "body { margin: 48px; }")
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        sheet.screenshot(path=str(Path(SCREENSHOTS) / "mission-report.png"))
