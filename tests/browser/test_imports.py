"""A registry officer imports people from a CSV: upload, columns, progress, preview, save."""

import datetime
import re

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from niaga.regions.models import Regency
from niaga.registry.models import Person
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.registry.factories import make_nik
from tests.registry.import_helpers import PEOPLE_HEADER, csv_bytes, person_row

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_officer_imports_people_and_watches_the_check(
    page, jatim, jatim_registry, tmp_path, monkeypatch
):
    from niaga.registry.domain import imports as domain

    # Small chunks, so that the progress page polls several times.
    monkeypatch.setattr(domain, "CHUNK_ROWS", 4)
    surabaya = Regency.objects.get(code="35.78")
    niks = [make_nik(surabaya, datetime.date(1995, 1, n + 1), serial=n + 1) for n in range(10)]
    rows = [PEOPLE_HEADER] + [
        person_row(f"Santri Impor {n}", nik, birth=f"1995-01-{n + 1:02d}")
        for n, nik in enumerate(niks)
    ]
    path = tmp_path / "santri.csv"
    path.write_bytes(csv_bytes(rows, delimiter=";"))

    log_in(page, "jatim-registry", PASSWORD)
    expect(page).to_have_url(re.compile(r"/province/jatim/$"))
    page.get_by_role("button", name="EN").click()
    page.goto("/province/jatim/registry/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import data")
    page.get_by_label("What the file holds").select_option(label="People")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check the columns").click()

    expect(page.locator("#import-official")).to_have_text(
        "This is the official template: every column was recognised."
    )
    expect(page.get_by_role("combobox", name="NIK", exact=True)).to_have_value("nik")
    page.get_by_role("button", name="Check every row").click()

    # htmx polls the progress endpoint every second until the check ends,
    # then sends the browser back to the job page with the preview.
    expect(page.locator("#import-ready")).to_contain_text(
        "All 10 rows have no problem and can be saved together.", timeout=20_000
    )
    expect(page.locator("#valid-rows")).to_have_text("10")
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("Santri Impor 0")
    expect(preview).to_contain_text(f"{niks[0][:4]}********{niks[0][-4:]}")
    expect(preview).not_to_contain_text(niks[0])
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Save 10 rows").click()
    expect(page.locator("#import-done")).to_contain_text("10 rows were saved on")
    assert page.console_errors == []
    with scope(province=jatim):
        assert Person.objects.filter(full_name__startswith="Santri Impor").count() == 10
