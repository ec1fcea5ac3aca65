"""Browser journey: make an API token on its page, use it, revoke it; read the API docs."""

import re

import pytest
from playwright.sync_api import expect

from tests.api.conftest import new_mission
from tests.browser.conftest import browser, log_in, new_page, page, screenshot  # noqa: F401
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_make_use_and_revoke_a_token(page, jatim, kalsel, jatim_admin, jatim_desk):  # noqa: F811
    new_mission(jatim_admin, jatim, kalsel, slug="misi-halaman")
    log_in(page, "jatim-desk", PASSWORD)
    expect(page).to_have_url(re.compile(r"/province/jatim/$"))
    page.goto("/accounts/tokens/")
    page.locator("#id_name").fill("tablet meja 3")
    page.locator("#token-create button[type=submit]").click()
    secret = page.locator("#new-token")
    expect(secret).to_have_text(re.compile(r"^niaga_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$"))
    token = secret.inner_text()
    screenshot(page, "api-token-created")

    totals = "/api/v1/missions/misi-halaman/totals"
    answer = page.request.get(totals, headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and answer.json()["mission"] == "misi-halaman"

    page.locator("main a.btn-primary").click()
    prefix = token.split("_")[1]
    row = page.locator(f"#token-{prefix}")
    expect(row).to_contain_text("tablet meja 3")
    expect(page.locator("main")).not_to_contain_text(token)
    screenshot(page, "api-tokens")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#token-{prefix} .badge")).to_be_visible()
    expect(page.locator(f"#token-{prefix} button")).to_have_count(0)
    answer = page.request.get(totals, headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert page.console_errors == []  # no CSP violations or script errors


def test_the_docs_page_reads_without_scripts_from_elsewhere(page):  # noqa: F811
    page.goto("/api/v1/docs")
    expect(page.locator("#niaga_missions_api_deal_create-title")).to_contain_text(
        "/api/v1/missions/{slug}/deals"
    )
    expect(page.locator("#problem-validation")).to_contain_text("422")
    screenshot(page, "api-docs")
    assert page.console_errors == []
