"""A province admin of South Kalimantan replicates East Java's OPOP program and
lands on the new program, with its origin and East Java's curriculum."""

import re

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from niaga.programs import queries
from niaga.programs.models import Cohort, Program, TeamMember
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.programs.factories import make_program
from tests.programs.programs_world import JATIM_MODULES, furnish_jatim

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_province_admin_replicates_east_javas_program(page, jatim, kalsel, kalsel_admin):
    with scopes_disabled():
        source = make_program(jatim, slug="opop-jatim", name="OPOP Jawa Timur")
    furnish_jatim(source)

    def field(name):
        return page.get_by_role("textbox", name=name, exact=True)

    log_in(page, "kalsel-admin", PASSWORD)
    expect(page).to_have_url(re.compile(r"/province/kalsel/$"))
    # These pages' Indonesian texts come with the catalogue; the journey reads English.
    page.get_by_role("button", name="EN").click()
    page.get_by_role("link", name="OPOP programs", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("OPOP programs")
    expect(page.locator("#program-table")).to_contain_text(
        "This province runs no OPOP program yet."
    )

    page.get_by_role("link", name="Replicate a program").click()
    sources = page.locator("#source-table tbody tr")
    expect(sources).to_have_count(1)
    expect(sources.first).to_contain_text("OPOP Jawa Timur")
    expect(sources.first).to_contain_text("Jawa Timur")
    expect(sources.first).to_contain_text("7 August 2019")
    page.get_by_role("link", name="Replicate OPOP Jawa Timur").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Replicate OPOP Jawa Timur")
    expect(page.locator("#source-facts")).to_contain_text("5 modules, 64 hours")
    expect(page.locator("#source-modules li")).to_have_count(5)
    field("Name").fill("OPOP Kalimantan Selatan")
    field("Short name").fill("opop-kalsel")
    page.get_by_label("Launch date").fill("2022-08-17")
    field("Legal basis number").fill("Pergub Kalsel 033/2022")
    page.get_by_role("button", name="Replicate the program").click()

    expect(page).to_have_url(re.compile(r"/province/kalsel/programs/opop-kalsel/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("OPOP Kalimantan Selatan")
    message = page.get_by_role("status")
    expect(message).to_contain_text("Copied: 5 curriculum modules, 2 courses, 3 indicators")
    expect(message).to_contain_text("Review the targets")
    month = queries.month_year(timezone.localdate(timezone=kalsel.zone), language="en")
    expect(page.locator("#program-origin")).to_have_text(
        f"Replicated from OPOP Jawa Timur, {month}"
    )
    expect(page.locator("#program-facts")).to_contain_text("17 August 2022")
    expect(page.locator("#program-facts")).to_contain_text("Pergub Kalsel 033/2022")
    rows = page.locator("#module-table tbody tr")
    expect(rows).to_have_count(5)
    for row, (order, (title, hours, _)) in enumerate(enumerate(JATIM_MODULES, 1)):
        expect(rows.nth(row).locator("td").nth(0)).to_have_text(str(order))
        expect(rows.nth(row).locator("td").nth(1)).to_contain_text(title)
        expect(rows.nth(row).locator("td").nth(2)).to_have_text(str(hours))
    expect(page.locator("#total-hours")).to_have_text("64")
    expect(page.locator("#program-team")).to_have_count(0)
    screenshot(page, "program-replicated")

    with scope(province=kalsel):
        program = Program.objects.get(slug="opop-kalsel")
        assert program.replicated_from_label == "OPOP Jawa Timur (Jawa Timur)"
        assert not TeamMember.objects.filter(program=program).exists()
        assert not Cohort.objects.filter(course__program=program).exists()
    assert page.console_errors == []
