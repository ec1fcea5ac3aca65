"""Agreements journey: a mission manager records a PKS with two parties and finds it
in the province's list, flagged by its validity.

The manager reads Niaga in English (their own setting), so the steps do not
depend on the state of the Indonesian catalogue.
"""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from niaga.accounts.models import Role
from niaga.agreements.models import Agreement
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_records_a_pks_with_two_parties_and_sees_it_in_the_list(new_page, jatim, kalsel):
    make_user("jatim-pks", province=jatim, roles=[Role.MISSION_MANAGER], language="en")
    page = new_page()
    log_in(page, "jatim-pks", PASSWORD)
    page.goto("/province/jatim/agreements/")
    expect(page.locator("#agreement-count")).to_have_text("0 agreements")
    page.get_by_role("link", name="Record an agreement").click()

    page.locator("#id_kind").select_option("pks")
    page.get_by_label("Title").fill("PKS Peningkatan Perdagangan Antardaerah")
    page.get_by_label("Date signed").fill("2022-04-13")
    page.get_by_label("Place signed").fill("Banjarmasin")
    page.get_by_label("Valid until").fill("2027-04-12")
    page.locator("#id_parties-0-name").fill(
        "Dinas Perindustrian dan Perdagangan Provinsi Jawa Timur"
    )
    page.locator("#id_parties-0-province").select_option("35")
    page.locator("#id_parties-0-number").fill("12.23/86/PKS/011.3/2022")
    page.locator("#id_parties-1-name").fill(
        "Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Selatan"
    )
    page.locator("#id_parties-1-province").select_option("63")
    page.locator("#id_parties-1-number").fill("510/087/PKS/DISPERINDAG/2022")
    page.get_by_role("button", name="Record the agreement").click()

    expect(page.get_by_role("status")).to_contain_text("The agreement has been recorded.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "PKS Peningkatan Perdagangan Antardaerah"
    )
    expect(page.locator("#party-table tbody tr")).to_have_count(2)
    expect(page.locator("#party-table")).to_contain_text("12.23/86/PKS/011.3/2022")

    page.get_by_role("link", name="← Agreements").click()
    rows = page.locator("#agreement-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("PKS Peningkatan Perdagangan Antardaerah")
    expect(rows.first).to_contain_text("510/087/PKS/DISPERINDAG/2022")
    expect(rows.first.locator(".validity-badge")).to_be_visible()
    screenshot(page, "agreements")
    assert page.console_errors == []
    with scopes_disabled():
        agreement = Agreement.all_objects.get()
        assert [p.province_id for p in agreement.parties.order_by("position")] == ["35", "63"]
