"""The public catalogue as a buyer and an officer use it.

A visitor who is not logged in finds a product by a word in another form than
the product's own ("kerajinan" for a bag made by "pengrajin"), opens it and
sends an inquiry; a registry officer then logs in, opens the inquiry inbox,
reads the buyer's contact and records the answer. Pages are in Indonesian.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_scopes import scopes_disabled
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from niaga.catalog.models import Inquiry
from niaga.registry.domain import products as product_domain
from tests.browser.conftest import log_in, screenshot
from tests.catalog.conftest import build_catalogue
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def t(message: str, context: str | None = None) -> str:
    """The Indonesian the page shows for a message."""
    with translation.override("id"):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def photo(colour: tuple[int, int, int], name: str) -> SimpleUploadedFile:
    """A plain product photo: a coloured field with a lighter band, as a JPEG."""
    image = Image.new("RGB", (960, 720), colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 70) for c in colour)
    draw.rectangle((0, 470, 960, 560), fill=light)
    draw.ellipse((330, 150, 630, 450), fill=light, outline=(255, 255, 255), width=12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def shop(jatim, kalsel, jatim_registry, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    catalogue = build_catalogue(jatim, kalsel)
    colours = {
        "tas": (150, 102, 60),
        "anyaman": (181, 145, 82),
        "tudung": (74, 122, 70),
        "batik": (96, 62, 110),
        "madu": (196, 140, 30),
        "robusta": (90, 60, 40),
    }
    for key, colour in colours.items():
        with scopes_disabled():
            product = catalogue[key]
            product.province  # noqa: B018 - loaded before the domain opens its scope
        product_domain.photo_add(
            actor=jatim_registry, product=product, upload=photo(colour, f"{key}.jpg")
        )
    # A second photo of the honey, for the product page's gallery.
    product_domain.photo_add(
        actor=jatim_registry, product=catalogue["madu"], upload=photo((150, 110, 25), "madu-2.jpg")
    )
    return catalogue


def test_a_visitor_finds_a_product_by_a_stemmed_word_and_an_officer_answers(new_page, shop):
    visitor = new_page(width=412, height=915)  # a phone
    visitor.goto("/katalog/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(t("OPOP product catalogue"))
    visitor.get_by_label(t("Search products")).fill("kerajinan")
    visitor.get_by_role("button", name=t("Search"), exact=True).click()
    expect(visitor).to_have_url(re.compile(r"/katalog/\?q=kerajinan"))
    with translation.override("id"):
        three = translation.ngettext("%(shown)s product", "%(shown)s products", 3) % {"shown": 3}
    expect(visitor.locator("#result-count")).to_have_text(three)
    cards = visitor.locator("#results h2")
    expect(cards).to_have_text(
        ["Kerajinan Anyaman Bambu", "Tudung Saji Pandan", "Tas Rotan Jinjing"]
    )
    # Thumbnails load (the images are served to visitors), lazily and sized.
    first = visitor.locator("#results img").first
    expect(first).to_have_attribute("loading", "lazy")
    expect(first).to_have_js_property("complete", True)
    assert first.evaluate("img => img.naturalWidth") == 400

    desktop = new_page()
    desktop.goto("/katalog/?q=kerajinan")
    expect(desktop.locator("#results img")).to_have_count(3)
    for image in desktop.locator("#results img").all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
    screenshot(desktop, "catalogue")

    visitor.get_by_role("link", name="Tas Rotan Jinjing").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Tas Rotan Jinjing")
    expect(visitor.locator("#seller")).to_contain_text("Pondok Pesantren Darul Ulum")
    visitor.get_by_label(t("Your name")).fill("Budi Santoso")
    visitor.get_by_label(t("Organisation or shop")).fill("Toko Oleh-Oleh Surya")
    visitor.get_by_label(t("Phone or WhatsApp")).fill("0812-3456-7890")
    visitor.get_by_label(t("Quantity wanted")).fill("50")
    visitor.get_by_label(t("Message")).fill("Apakah bisa kirim 50 tas ke Banjarmasin bulan depan?")
    visitor.get_by_role("button", name=t("Send inquiry")).click()
    expect(visitor.get_by_role("status")).to_contain_text(
        t(
            "Thank you. Your inquiry has been sent; the seller or the province's officers "
            "will contact you."
        )
    )
    assert visitor.console_errors == []
    with scopes_disabled():
        (inquiry,) = Inquiry.objects.all()
    assert (inquiry.name, inquiry.phone, inquiry.quantity, inquiry.product_id) == (
        "Budi Santoso",
        "+6281234567890",
        50,
        shop["tas"].pk,
    )

    product_page = new_page()
    product_page.goto(f"/katalog/produk/{shop['madu'].pk}/")
    expect(product_page.locator("img.product-photo")).to_have_js_property("complete", True)
    screenshot(product_page, "product")

    officer = new_page()
    log_in(officer, "jatim-registry", PASSWORD)
    expect(officer).to_have_url(re.compile(r"/province/jatim/$"))
    officer.get_by_role("link", name=t("Inquiries"), exact=True).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(t("Buyers' inquiries"))
    row = officer.locator("#inquiry-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Tas Rotan Jinjing")
    expect(row).to_contain_text("Budi Santoso")
    expect(row).to_contain_text(t("New"))
    row.get_by_role("link").click()
    expect(officer.locator("#buyer")).to_contain_text("0812-3456-7890")
    expect(officer.locator("#message")).to_have_text(
        "Apakah bisa kirim 50 tas ke Banjarmasin bulan depan?"
    )
    officer.get_by_label(t("Reply note")).fill(
        "Sudah ditelepon; penawaran harga dikirim lewat WhatsApp."
    )
    officer.get_by_label(t("Answered")).check()
    officer.get_by_role("button", name=t("Record the answer")).click()
    expect(officer.get_by_role("status")).to_contain_text(t("The answer has been recorded."))
    expect(officer.locator("#inquiry-status")).to_have_text(t("Answered"))
    assert officer.console_errors == []
    with scopes_disabled():
        inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.reply_note) == (
        "answered",
        "Sudah ditelepon; penawaran harga dikirim lewat WhatsApp.",
    )
