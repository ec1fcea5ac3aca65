"""Follow-up journeys.

(a) A desk officer opens a deal from the follow-up list, records a delivery
and a payment (typed as rupiah text), and the mission's realization dashboard
then shows the new paid value. (b) The central bank's verifier verifies the
deal and sees the finding on the deal page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from niaga.core.money import format_rupiah
from niaga.realization.queries import deal_state
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.realization.conftest import jatim_verifier, record_deal  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eggs(mission, sellers, buyers, jatim_admin):
    return record_deal(
        jatim_admin,
        mission,
        sellers[0],
        buyers[0],
        value=100_000_000,
        stage="komitmen",
        commodity="Telur ayam ras",
    )


def test_an_officer_records_a_delivery_and_a_payment(page, eggs, jatim_desk):
    log_in(page, jatim_desk.username, PASSWORD)
    page.goto("/province/jatim/realization/followup/")
    page.get_by_role("link", name="Telur ayam ras").click()
    expect(page.locator("#deal-committed")).to_have_text("Rp 100.000.000")

    day = dt.date(2022, 5, 10).isoformat()
    delivery = page.locator("#delivery-form")
    delivery.locator("input[name=delivery-occurred_on]").fill(day)
    delivery.locator("input[name=delivery-value_idr]").fill("Rp 100.000.000")
    delivery.locator("button[type=submit]").click()
    expect(page.locator("#deal-delivered")).to_have_text("Rp 100.000.000 (100%)")

    payment = page.locator("#payment-form")
    payment.locator("input[name=payment-occurred_on]").fill(day)
    payment.locator("input[name=payment-value_idr]").fill("Rp 25.000.000")
    payment.locator("button[type=submit]").click()
    expect(page.locator("#deal-paid")).to_have_text("Rp 25.000.000 (25%)")
    state = deal_state(eggs.pk)
    assert (state.delivered_idr, state.paid_idr, state.current_stage) == (
        100_000_000,
        25_000_000,
        "terkirim",
    )
    screenshot(page, "followup-deal")

    page.goto("/province/jatim/realization/missions/uji-misi/")
    expect(page.locator("#realized-paid")).to_have_text(format_rupiah(25_000_000, language="id"))


def test_a_verifier_verifies_a_deal(page, eggs, jatim_verifier):  # noqa: F811 - fixture
    log_in(page, jatim_verifier.username, PASSWORD)
    page.goto(f"/province/jatim/realization/deals/{eggs.pk}/")
    form = page.locator("#verify-form")
    form.locator("select[name=verify-target]").select_option("deal")
    form.locator("select[name=verify-status]").select_option("verified")
    form.locator("textarea[name=verify-note]").fill("Sesuai kontrak dan faktur")
    form.locator("button[type=submit]").click()
    badge = page.locator("#deal-verification")
    expect(badge).to_be_visible()
    expect(page.locator("#finding-list")).to_contain_text("Sesuai kontrak dan faktur")
    assert deal_state(eggs.pk).verification == "verified"
    # The label shown is the status's own, in the page's language.
    from django.utils import translation

    from niaga.realization.models import VerificationStatus

    with translation.override("id"):
        expect(badge).to_have_text(str(VerificationStatus.VERIFIED.label))
