"""A registry officer registers a pesantren (regency, then its district) and its cooperative."""

import re

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from niaga.audit.models import AuditEvent
from niaga.registry.models import Cooperative, Pesantren
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_registers_a_pesantren_and_its_cooperative(page, jatim, jatim_registry):
    def field(name):
        return page.get_by_role("textbox", name=name, exact=True)

    def number(name):
        return page.get_by_role("spinbutton", name=name, exact=True)

    def choice(name):
        return page.get_by_role("combobox", name=name, exact=True)

    log_in(page, "jatim-registry", PASSWORD)
    expect(page).to_have_url(re.compile(r"/province/jatim/$"))
    # These pages' Indonesian texts come with the catalogue; the journey reads English.
    page.get_by_role("button", name="EN").click()
    page.get_by_role("button", name="OPOP registry").click()
    page.get_by_role("link", name="Pesantren", exact=True).click()
    expect(page.locator("#pesantren-count")).to_have_text("0 pesantren")
    page.get_by_role("link", name="Register a pesantren").click()

    field("Name").fill("Pondok Pesantren Tebuireng")
    field("NSPP").fill("5100 3517 0001")
    field("Leader (pengasuh)").fill("KH. Abdul Hakim Mahfudz")
    choice("Typology").select_option(label="Combined")
    number("Male santri").fill("2500")
    number("Female santri").fill("1800")
    district = choice("District")
    # No regency yet: nothing to choose but the prompt.
    expect(district.locator("option")).to_have_count(1)
    expect(district).to_contain_text("Choose the regency/city first")
    choice("Regency/city").select_option(label="Kabupaten Jombang")
    # The district list is refilled from the server with Jombang's 21 districts.
    expect(district.locator("option")).to_have_count(22)
    expect(district.locator("option", has_text="Wonocolo")).to_have_count(0)
    district.select_option(label="Diwek")
    field("Address").fill("Jl. Irian Jaya No. 10, Cukir")
    field("Year joined OPOP").fill("2019")
    page.get_by_role("checkbox", name="Pesantrenpreneur (cooperative)").check()
    field("Phone").fill("(0321) 861719")
    page.get_by_role("button", name="Register the pesantren").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Pondok Pesantren Tebuireng")
    expect(page.get_by_role("status")).to_contain_text("The pesantren has been registered.")
    profile = page.locator("#pesantren-profile")
    expect(profile).to_contain_text("510035170001")
    expect(profile).to_contain_text("District Diwek, Kabupaten Jombang")
    expect(profile).to_contain_text("(0321) 861719")
    expect(page.locator("#santri-total")).to_have_text("4300")
    expect(page.locator("#cooperative")).to_contain_text("No cooperative registered yet.")

    page.get_by_role("link", name="Register its cooperative").click()
    expect(field("Name")).to_have_value("Kopontren Pondok Pesantren Tebuireng")
    field("Name").fill("Kopontren Tebuireng")
    choice("Legal form").select_option(label="Primary cooperative (koperasi primer)")
    field("Deed number").fill("518/12/BH/XVI/2019")
    field("Deed date").fill("2019-07-01")
    field("NIB").fill("9120001234567")
    field("KBLI code").fill("47111")
    number("Members").fill("320")
    page.get_by_role("button", name="Register the cooperative").click()

    expect(page.get_by_role("status")).to_contain_text("The cooperative has been registered.")
    cooperative = page.locator("#cooperative")
    expect(cooperative).to_contain_text("Kopontren Tebuireng")
    expect(cooperative).to_contain_text("Primary cooperative (koperasi primer)")
    expect(cooperative).to_contain_text("9120001234567")
    expect(cooperative).to_contain_text("47111 (KBLI 2020)")
    expect(cooperative).to_contain_text("320")
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Cooperative registered")
    expect(history.nth(1)).to_contain_text("Pesantren registered")
    expect(history.nth(0)).to_contain_text("jatim-registry")

    page.get_by_role("link", name="← Pesantren").click()
    expect(page.locator("#pesantren-count")).to_have_text("1 pesantren")
    expect(page.locator("#pesantren-table")).to_contain_text("Kopontren Tebuireng")
    assert page.console_errors == []  # no CSP violations or script errors

    with scope(province=jatim):
        stored = Pesantren.objects.get()
        assert (stored.regency_id, stored.district_id, stored.phone) == (
            "35.17",
            "35.17.08",
            "+62321861719",
        )
        assert Cooperative.objects.get().pesantren_id == stored.pk
        assert AuditEvent.objects.filter(action__startswith="registry.").count() == 2
