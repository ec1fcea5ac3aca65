"""Registry journey: an officer registers a cooperative's product, with a photo and a halal
certificate, and submits it; a curator takes it from the queue and curates it.

The two officers read Niaga in English (their own language setting), so the
steps do not depend on the state of the Indonesian catalogue.
"""

import io
import re

import pytest
from django_scopes import scope, scopes_disabled
from PIL import Image
from playwright.sync_api import expect

from niaga.regions.models import Regency
from niaga.registry.models import CurationEvent, Product
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.registry.factories import make_cooperative, make_pesantren

pytestmark = pytest.mark.django_db(transaction=True)


def phone_photo() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KameraPonsel"
    exif[0x8825] = {1: "S", 2: (8.0, 12.0, 1.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (160, 90, 40)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_an_officer_registers_a_product_and_a_curator_curates_it(
    new_page, jatim, jatim_registry, jatim_curator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    for user in (jatim_registry, jatim_curator):
        user.language = "en"
        user.save(update_fields=["language"])
    with scopes_disabled():
        pesantren = make_pesantren(
            jatim, name="Pondok Pesantren Sunan Drajat", regency=Regency.objects.get(code="35.24")
        )
        make_cooperative(pesantren, name="Kopontren Sunan Drajat")

    officer = new_page()
    log_in(officer, "jatim-registry", PASSWORD)
    officer.goto("/province/jatim/registry/products/")
    officer.get_by_role("link", name="Add a product").click()
    officer.get_by_label("Product name").fill("Jamu Temulawak Sunan Drajat")
    officer.get_by_label("Category").select_option(label="Cosmetics and herbal")
    officer.get_by_label("Owner").select_option(
        label="Kopontren Sunan Drajat · Pondok Pesantren Sunan Drajat"
    )
    officer.get_by_label("Description").fill("Jamu temulawak racikan santri, tanpa pengawet.")
    officer.get_by_label("Lowest price (Rp)").fill("15.000")
    officer.get_by_label("Highest price (Rp)").fill("18.500")
    officer.get_by_label(re.compile(r"^Unit")).fill("botol")
    officer.get_by_label("Monthly capacity").fill("1200")
    officer.get_by_role("button", name="Save").click()

    expect(officer.get_by_role("heading", level=1)).to_have_text("Jamu Temulawak Sunan Drajat")
    expect(officer.get_by_role("status")).to_contain_text("registered as a draft")
    facts = officer.locator("#product-facts")
    expect(facts).to_contain_text("Pondok Pesantren Sunan Drajat")
    expect(facts).to_contain_text("Kabupaten Lamongan")
    expect(facts).to_contain_text("IDR 15,000 – IDR 18,500 / botol")

    officer.get_by_label(re.compile(r"^Photo")).set_input_files(
        files=[{"name": "jamu.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}]
    )
    officer.get_by_label("Caption").fill("Botol 250 ml")
    officer.get_by_role("button", name="Upload").click()
    expect(officer.get_by_role("status")).to_contain_text("The photo has been added.")
    thumbnail = officer.locator("#photo-list img")
    expect(thumbnail).to_have_attribute("alt", "Botol 250 ml")
    officer.wait_for_function(
        "() => { const i = document.querySelector('#photo-list img'); "
        "return i && i.complete && i.naturalWidth === 400; }"
    )

    documents = officer.get_by_role("form", name="Add a legality document")
    documents.get_by_label("Document").select_option(label="Halal certificate")
    documents.get_by_label("Number").fill("ID35240000123450921")
    documents.get_by_label("Halal scheme").select_option(label="Self-declare")
    documents.get_by_label("Issued on").fill("2025-06-01")
    documents.get_by_role("button", name="Add the document").click()
    expect(officer.get_by_role("status")).to_contain_text("Saved: Halal certificate.")
    row = officer.locator("#document-table tr[data-kind=halal]")
    expect(row).to_contain_text("ID35240000123450921")
    expect(row).to_contain_text("Self-declare")
    expect(row).to_contain_text("Valid")

    officer.get_by_role("button", name="Submit for curation").click()
    expect(officer.get_by_role("status")).to_contain_text(
        "Jamu Temulawak Sunan Drajat is now: Submitted."
    )
    expect(officer.locator("#curation-history li")).to_have_count(1)
    assert officer.console_errors == []

    curator = new_page()
    log_in(curator, "jatim-curator", PASSWORD)
    curator.goto("/province/jatim/registry/curation/")
    queue = curator.locator("#queue-table tbody tr")
    expect(queue).to_have_count(1)
    expect(queue).to_contain_text("Kopontren Sunan Drajat")
    expect(queue).to_contain_text("Submitted")
    curator.get_by_role("link", name="Jamu Temulawak Sunan Drajat").click()
    curator.get_by_role("button", name="Start the review").click()
    expect(curator.get_by_role("status")).to_contain_text("is now: In review.")
    curator.get_by_label("Curation level").select_option(label="Modern retail")
    curator.get_by_label("Notes (optional)").fill("Kemasan dan label sudah layak ritel.")
    curator.get_by_role("button", name="Curate", exact=True).click()
    expect(curator.get_by_role("status")).to_contain_text("is now: Curated (Modern retail).")
    expect(curator.locator(".page-subtitle")).to_contain_text("Curated · Modern retail")

    history = curator.locator("#curation-history li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("jatim-registry")
    expect(history.nth(0)).to_contain_text("Draft → Submitted")
    expect(history.nth(1)).to_contain_text("jatim-curator")
    expect(history.nth(1)).to_contain_text("Submitted → In review")
    expect(history.nth(2)).to_contain_text("jatim-curator")
    expect(history.nth(2)).to_contain_text("In review → Curated · Modern retail")
    expect(history.nth(2)).to_contain_text("Kemasan dan label sudah layak ritel.")
    for entry in range(3):
        expect(history.nth(entry)).to_contain_text(re.compile(r"\d{4}, \d\d:\d\d WIB"))
    assert curator.console_errors == []

    with scope(province=jatim):
        product = Product.objects.get(name="Jamu Temulawak Sunan Drajat")
        assert (product.status, product.level, product.price_min) == (
            "curated",
            "modern_retail",
            15_000,
        )
        assert product.curated_at is not None
        photo = product.photos.get()
        assert b"KameraPonsel" not in photo.image.read()
        assert CurationEvent.objects.filter(product=product).count() == 3
