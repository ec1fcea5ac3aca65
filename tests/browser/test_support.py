"""Support journey: a program officer records a grant with an evidence file for a
pesantren found by searching, sees it on the grant's page, in the totals per
regency and year (in rupiah, Indonesian style), and on the pesantren's profile.

The officer reads Niaga in English (their own setting) while recording, so the
steps do not depend on the state of the Indonesian catalogue; the totals are
then read in Indonesian, where money is written `Rp 25.000.000`.
"""

import datetime
import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from niaga.accounts.models import Role
from niaga.programs.models import Grant, SupportEvidence
from niaga.regions.models import Regency
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD, make_user
from tests.programs.factories import make_program
from tests.programs.support_world import make_grant, pdf_bytes
from tests.registry.factories import make_cooperative, make_pesantren

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_records_a_grant_with_evidence_and_sees_it_in_the_totals(
    new_page, jatim, kalsel, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer_user = make_user(
        "jatim-program", province=jatim, roles=[Role.PROGRAM_OFFICER], language="en"
    )
    with scopes_disabled():
        program = make_program(jatim, slug="opop-jatim", name="OPOP Jawa Timur")
        tebuireng = make_pesantren(
            jatim, name="PP Tebuireng", regency=Regency.objects.get(code="35.17")
        )
        make_cooperative(tebuireng, name="Kopontren Tebuireng")
        for name in ("PP Lirboyo", "PP Sidogiri", "PP Sunan Drajat"):
            make_pesantren(jatim, name=name, regency=Regency.objects.get(code="35.78"))
        ampel = make_pesantren(
            jatim, name="PP Sunan Ampel", regency=Regency.objects.get(code="35.78")
        )
        make_grant(program, ampel, 10_000_000, datetime.date(2023, 9, 1))
        kalsel_program = make_program(kalsel, slug="opop-kalsel")
        make_pesantren(
            kalsel, name="PP Tebuireng Banjar", regency=Regency.objects.get(code="63.71")
        )
        del kalsel_program

    page = new_page()
    log_in(page, "jatim-program", PASSWORD)
    page.goto("/province/jatim/programs/opop-jatim/support/")
    expect(page.locator("#support-count")).to_have_text("1 record")
    page.get_by_role("link", name="Record a grant").first.click()

    # Search narrows the list of pesantren (Kalsel's namesake is never offered).
    select = page.get_by_role("combobox", name="Pesantren", exact=True)
    expect(select.locator("option")).to_have_count(6)
    page.get_by_label("Find the pesantren (name or NSPP)").fill("tebu")
    expect(select.locator("option")).to_have_count(2)
    expect(select).to_contain_text("PP Tebuireng · Kabupaten Jombang")
    expect(select).not_to_contain_text("Banjar")
    select.select_option(label="PP Tebuireng · Kabupaten Jombang")
    page.get_by_label("Received by the pesantren's cooperative (kopontren)").check()
    page.get_by_label("Amount (Rp)").fill("Rp 25.000.000")
    page.get_by_label("Date of the grant").fill("2024-03-04")
    page.get_by_role("textbox", name="Purpose", exact=True).fill(
        "Modal usaha kopontren: mesin pengemas"
    )
    page.get_by_label("Source of funds").select_option(label="Provincial budget (APBD)")
    page.get_by_label("Evidence files").set_input_files(
        files=[{"name": "SK Hibah 2024.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    screenshot(page, "support-grant-form")
    page.get_by_role("button", name="Record the grant").click()

    expect(page.get_by_role("status")).to_contain_text("The grant has been recorded.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"Grant #\d+"))
    expect(page.locator("#grant-amount")).to_have_text("IDR 25,000,000")
    expect(page.locator("#grant-facts")).to_contain_text("Kopontren Tebuireng")
    expect(page.locator("#evidence-list")).to_contain_text("SK Hibah 2024.pdf")
    with page.expect_download() as download:
        page.get_by_role("link", name="SK Hibah 2024.pdf").click()
    assert download.value.suggested_filename == "SK Hibah 2024.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == pdf_bytes()
    screenshot(page, "support-grant")

    page.get_by_role("link", name="Totals per regency and year").click()
    regency_rows = page.locator("#totals-by-regency tbody tr")
    expect(regency_rows).to_have_count(2)
    expect(regency_rows.nth(0)).to_contain_text("Kabupaten Jombang")
    expect(regency_rows.nth(0)).to_contain_text("IDR 25,000,000")
    # The totals in Indonesian: money as Indonesians write it.
    page.get_by_role("button", name="ID", exact=True).click()
    expect(page.locator("#totals-by-regency tbody tr").nth(0)).to_contain_text("Rp 25.000.000")
    expect(page.locator("#totals-by-regency tfoot")).to_contain_text("Rp 35.000.000")
    expect(page.locator("#totals-by-year tbody tr").nth(1)).to_contain_text("2024")
    expect(page.locator("#totals-by-year tbody tr").nth(1)).to_contain_text("Rp 25.000.000")
    screenshot(page, "support-totals")

    page.get_by_role("link", name="Catatan", exact=True).click()  # "Records", now in Indonesian
    expect(page.locator("#support-count")).to_contain_text("2")
    expect(page.locator("#support-table tbody tr").first).to_contain_text("Rp 25.000.000")

    # The pesantren's profile shows what it received (loaded by htmx).
    page.goto(f"/province/jatim/registry/pesantren/{tebuireng.pk}/")
    expect(page.locator("#support-received-totals")).to_contain_text("Rp 25.000.000")
    expect(page.locator("#support-received-latest")).to_contain_text("25.000.000")
    assert page.console_errors == []

    with scopes_disabled():
        grant = Grant.objects.get(pesantren=tebuireng)
        assert (grant.amount_idr, grant.recorded_by, grant.cooperative.name) == (
            25_000_000,
            officer_user,
            "Kopontren Tebuireng",
        )
        assert SupportEvidence.objects.get(grant=grant).original_name == "SK Hibah 2024.pdf"
