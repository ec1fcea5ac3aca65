"""Dashboard journey: a program officer opens East Java's OPOP dashboard and sees
each indicator's progress bar against its target, the yearly chart with the
forecast and its verdict, drills down to the regencies, sorts them, and
downloads the PDF.

The officer reads Niaga in Indonesian, the site's language. Texts that come
from the translation catalogue are compared with what the dashboard module
says in the same language, so the test holds before and after the
Indonesian catalogue has the dashboard's strings; numbers are formatted by
Babel ("452.800") either way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from niaga.accounts.models import Role
from niaga.programs import dashboard
from niaga.programs.models import IndicatorKey, IndicatorSource
from niaga.regions.models import Regency
from niaga.registry.models import Pillar
from tests.browser.conftest import SCREENSHOTS, log_in
from tests.conftest import PASSWORD, make_user
from tests.programs.dashboard_world import (
    CY,
    TODAY,
    add_standard_indicators,
    at,
    backdate,
    figure,
    graduate,
    grant,
    target,
)
from tests.programs.factories import make_cohort, make_course, make_program
from tests.registry.factories import make_person, make_pesantren

pytestmark = pytest.mark.django_db(transaction=True)
K = IndicatorKey
SOURCE = "Dinas Koperasi dan UKM Jawa Timur"


def build_program(jatim):
    """East Java's program with the history it would have: figures entered from
    2019 on, targets, and a little of the registry and training behind the
    computed indicators."""
    with scopes_disabled():
        program = make_program(
            jatim, slug="opop-jatim", name="OPOP Jawa Timur", launch_date=dt.date(2019, 8, 7)
        )
        ind = add_standard_indicators(program)
        names = {
            K.SANTRIPRENEURS: "Santripreneur",
            K.PESANTRENPRENEURS: "Pesantrenpreneur",
            K.SOSIOPRENEURS: "Sosiopreneur",
            K.PRODUCTS: "Produk",
            K.CURATED_PRODUCTS: "Produk terkurasi",
            K.PESANTREN_ASSISTED: "Pesantren terbina",
            K.TRAINING_GRADUATES: "Lulusan pelatihan",
            K.GRANTS_DISBURSED: "Hibah tersalurkan (Rp)",
        }
        for key, row in ind.items():
            row.name = names[key]
            if key in (K.SANTRIPRENEURS, K.PESANTRENPRENEURS, K.PESANTREN_ASSISTED):
                row.source = IndicatorSource.ENTERED
            row.save()
        history = {
            K.SANTRIPRENEURS: [11_250, 78_400, 161_700, 239_993, 311_500, 384_200, 452_800],
            K.PESANTRENPRENEURS: [150, 370, 560, 750, 905, 1_060, 1_190],
            K.PRODUCTS: [120, 260, 450, 610, 760, 880, 990],
            K.CURATED_PRODUCTS: [40, 70, 150, 210, 260, 300, 340],
            K.PESANTREN_ASSISTED: [90, 310, 520, 687, 940, 1_180, 1_420],
        }
        for key, values in history.items():
            for year, value in zip(range(2019, 2026), values, strict=True):
                figure(ind[key], dt.date(year, 12, 31), value, SOURCE)
        # This year's count of products, entered over the (small) computed one.
        figure(ind[K.PRODUCTS], dt.date(CY, 1, 31), 1_045, SOURCE)
        figure(ind[K.CURATED_PRODUCTS], dt.date(CY, 1, 31), 372, SOURCE)
        target(ind[K.SANTRIPRENEURS], 2024, 1_000_000)
        target(ind[K.SANTRIPRENEURS], CY + 4, 1_000_000)
        target(ind[K.PESANTRENPRENEURS], CY + 2, 1_500)
        target(ind[K.PRODUCTS], CY + 2, 1_500)
        target(ind[K.CURATED_PRODUCTS], CY + 1, 500)
        target(ind[K.PESANTREN_ASSISTED], 2030, 2_000)
        target(ind[K.GRANTS_DISBURSED], CY + 1, 300_000_000)
        # The registry and the program's own records behind the computed ones.
        jombang = Regency.objects.get(code="35.17")
        surabaya = Regency.objects.get(code="35.78")
        malang = Regency.objects.get(code="35.07")
        cohort = make_cohort(make_course(program), starts_on=dt.date(CY - 1, 3, 4))
        for n, (regency, year) in enumerate(
            [(jombang, 2021), (jombang, 2022), (surabaya, 2023), (malang, 2024), (surabaya, 2025)]
            * 3
        ):
            person = make_person(jatim, pillar=Pillar.SOSIOPRENEUR, regency=regency)
            backdate(person, at(year))
            if n % 2:
                graduate(cohort, person, dt.date(CY - 1, 3, 9))
        for n, (regency, amount) in enumerate(
            [(jombang, 50_000_000), (surabaya, 40_000_000), (malang, 35_000_000)] * 2
        ):
            pesantren = make_pesantren(jatim, regency=regency)
            grant(program, pesantren, amount, dt.date(2021 + n, 4, 1))
        target(ind[K.SOSIOPRENEURS], CY, 5, regency=jombang)
    return program


def test_an_officer_sees_progress_and_the_forecast(new_page, jatim):
    program = build_program(jatim)
    make_user("jatim-program", province=jatim, roles=[Role.PROGRAM_OFFICER], language="id")
    with translation.override("id"):
        expected = {s.key: s for s in dashboard.build(program).indicators}
        texts = {
            key: (s.actual_text, s.verdict_text, s.forecast_text) for key, s in expected.items()
        }

    page = new_page(width=1280, height=1800)
    log_in(page, "jatim-program", PASSWORD)
    page.goto("/province/jatim/programs/opop-jatim/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("OPOP Jawa Timur")

    # At a glance: a progress bar per indicator with a target, with its numbers.
    overview = page.locator("#overview-table")
    expect(overview.get_by_role("progressbar")).to_have_count(6)
    santri = overview.locator('tr[data-key="santripreneurs"]')
    expect(santri.locator('[data-figure="actual"]')).to_have_text("452.800")
    expect(santri.locator('[data-figure="percent"]')).to_have_text("45,3%")
    expect(santri.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "45")
    expect(santri.locator('[data-figure="verdict"]')).to_have_text(texts[K.SANTRIPRENEURS][1])
    # 2022–2025 rise by 71.602 a year on average: 2030 comes to about 810.000.
    assert expected[K.SANTRIPRENEURS].verdict.kind == "short"
    assisted = overview.locator('tr[data-key="pesantren_assisted"] [data-figure="verdict"]')
    expect(assisted).to_have_text(texts[K.PESANTREN_ASSISTED][1])
    assert expected[K.PESANTREN_ASSISTED].verdict.kind == "on_track"

    # Each indicator's card: the chart with its target line and forecast range.
    card = page.locator("#indicator-santripreneurs")
    expect(card.locator('[data-figure="forecast"]')).to_have_text(texts[K.SANTRIPRENEURS][2])
    chart = card.locator("svg.chart")
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_have_text("Santripreneur")
    expect(card.locator("table tr[data-year='2022'] [data-figure='value']")).to_have_text("239.993")
    products = page.locator("#indicator-products [data-figure='actual']")
    expect(products).to_have_text("1.045")

    if SCREENSHOTS:
        from pathlib import Path

        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / "program-dashboard.png"))

    # Drill down to the regencies of sosiopreneurs, sort by name, then by value.
    page.locator("#selector-form select[name='indicator']").select_option("sosiopreneurs")
    page.locator("#selector-form button[type='submit']").click()
    rows = page.locator("#regency-table tbody tr")
    expect(rows.first.locator("th")).to_have_text("Kabupaten Jombang")
    expect(rows.first.locator('[data-figure="value"]')).to_have_text("6")
    expect(rows.first.locator('[data-figure="percent"]')).to_have_text("120,0%")
    expect(page.locator("#chart-regencies")).to_be_visible()
    page.locator("#sort-name").click()
    expect(rows.first.locator("th")).to_have_text("Kabupaten Bangkalan")
    page.locator("#sort-name").click()
    expect(rows.first.locator("th")).to_have_text("Kota Surabaya")

    # The PDF of what is on the page.
    with page.expect_download() as download:
        page.locator("#export-pdf").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename == f"dasbor-opop-jatim-{TODAY.isoformat()}.pdf"
    assert page.console_errors == []
