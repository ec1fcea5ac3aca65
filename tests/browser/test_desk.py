"""The desk page as officers use it: typing names, reading the value back,
double taps, a dropped connection, a dropped answer, corrections, a 768 px tablet
driven by keyboard alone."""

import random
import re
import uuid

import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from niaga.core.money import MoneyError, format_rupiah, format_rupiah_short, parse_rupiah
from niaga.missions import desk, domain, queries
from niaga.missions.domain import DealInput
from niaga.missions.models import Deal, Mission
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

DESK = "/province/jatim/missions/uji-misi/desk/"
KEPT = (
    "No answer from the server: the entry is kept on this tablet and will be sent again. "
    "It will be counted once."
)


def t(message: str, context: str | None = None) -> str:
    """The Indonesian the page shows for a message."""
    with translation.override("id"):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def before(message: str, placeholder: str) -> str:
    """The fixed text of a message before its placeholder."""
    return t(message).split(placeholder)[0]


def ledger(mission) -> list[tuple[str, int]]:
    with scopes_disabled():
        return list(
            Deal.objects.filter(mission=mission)
            .order_by("id")
            .values_list("idempotency_key", "value_idr")
        )


def open_desk(page):
    log_in(page, "jatim-desk", PASSWORD)
    page.goto(DESK)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Deal desk"))


def choose(page, party: str, typed: str, name: str):
    """Type part of a name into the party's box and pick the suggestion."""
    box = page.locator(f"#desk-{party}")
    box.click()
    box.press_sequentially(typed)
    page.locator(f"#desk-{party}-list").get_by_role("option", name=re.compile(name)).click()
    expect(box).to_have_value(name)


def fill_deal(page, *, direction="Jual", seller, buyer, commodity, value, stage="Komitmen"):
    page.locator(".desk-choice", has_text=re.compile(f"^{direction}$")).click()
    choose(page, "seller", *seller)
    choose(page, "buyer", *buyer)
    page.get_by_role("textbox", name=t("Commodity"), exact=True).fill(commodity)
    page.locator("#desk-value").fill(value)
    page.locator(".desk-choice", has_text=re.compile(f"^{stage}$")).click()


def submit(page):
    page.get_by_role("button", name=t("Record the deal")).click()


def test_a_desk_officer_records_a_deal(new_page, mission, sellers, buyers, jatim_desk):
    with scopes_disabled():
        Mission.objects.filter(pk=mission.pk).update(is_public=True)
    board = new_page(width=1920, height=1080)
    board.goto("/board/uji-misi/")
    expect(board.locator("#board-total")).to_have_text("Rp 0")
    page = new_page()
    open_desk(page)
    key = page.locator("#desk-key").input_value()
    page.locator(".desk-choice", has_text=re.compile("^Jual$")).click()
    expect(page.get_by_role("radio", name="Jual")).to_be_checked()
    # In a sale the seller comes from the organiser's delegation: a host business is not offered.
    seller = page.get_by_role("combobox", name=t("Seller"))
    seller.press_sequentially("borneo")
    expect(page.locator("#desk-seller-list")).to_contain_text(t("No participant matches."))
    seller.fill("")
    seller.press_sequentially("tel")
    page.get_by_role("option", name=re.compile("UD Telur Makmur")).click()
    expect(seller).to_have_value("UD Telur Makmur")
    buyer = page.get_by_role("combobox", name=t("Buyer"))
    buyer.press_sequentially("born")
    expect(page.locator("#desk-buyer-list [role=option]")).to_have_count(1)
    page.get_by_role("option", name=re.compile("PT Borneo Pangan")).click()
    page.get_by_role("textbox", name=t("Commodity"), exact=True).fill("Telur ayam ras")
    page.get_by_label(t("HS code")).fill("04072100")
    value = page.locator("#desk-value")
    expect(value).to_have_attribute("inputmode", "numeric")
    value.press_sequentially("2500000000")
    expect(page.locator("#desk-value-echo")).to_contain_text("Rp 2,5 miliar")
    expect(page.locator("#desk-value-echo")).to_contain_text("Rp 2.500.000.000")
    expect(page.locator("#desk-value-confirm")).to_be_hidden()
    page.locator(".desk-choice", has_text=re.compile("^Komitmen$")).click()
    submit(page)

    last = page.locator("#desk-last")
    expect(last).to_contain_text(before("Recorded at %(clock)s.", "%(clock)s"))
    expect(last).to_contain_text("UD Telur Makmur → PT Borneo Pangan")
    expect(last).to_contain_text("Rp 2,5 miliar (Rp 2.500.000.000)")
    expect(page.locator("#desk-total-short")).to_have_text("Rp 2,5 miliar")
    expect(page.locator("#desk-total-count")).to_have_text("1")
    entries = page.locator("#desk-recent-list li.desk-entry")
    expect(entries).to_have_count(1)
    expect(entries.first).to_have_attribute("data-key", key)
    expect(entries.first).to_contain_text("Telur ayam ras")
    expect(entries.first.locator(".desk-state")).to_have_text(t("recorded", "desk entry"))
    # Ready for the next deal: a new key, empty parties, the direction kept.
    expect(page.locator("#desk-key")).not_to_have_value(key)
    expect(seller).to_have_value("")
    expect(page.get_by_role("radio", name="Jual")).to_be_checked()
    expect(seller).to_be_focused()
    assert ledger(mission) == [(key, 2_500_000_000)]
    # The big screen in the ballroom shows it without a reload.
    expect(board.locator("#board-total")).to_have_text("Rp 2,5 miliar", timeout=2000)
    expect(board.locator("#board-count")).to_have_text("1")
    assert page.console_errors == []  # no CSP violations or script errors


def test_the_echo_reads_and_writes_rupiah_like_the_server(
    new_page, mission, sellers, buyers, jatim_desk
):
    page = new_page()
    open_desk(page)
    rng = random.Random(20220413)
    values = [0, 999_999, 1_000_000, 999_950_000, 999_949_999, 1_005_000_000, 9_995_000_000]
    values += [147_321_766_000, 147_250_000_000, 1_655_000_000_000, 12_345_600_000_000_000]
    values += [rng.randrange(10 ** rng.randrange(1, 19)) for _ in range(400)]
    for language in ("id", "en"):
        shown = page.evaluate(
            "([values, money]) => values.map(v => window.niagaDesk.formatShort(BigInt(v), money))",
            [[str(v) for v in values], desk.money_config(language)],
        )
        expected = [format_rupiah_short(v, language=language) for v in values]
        assert shown == expected
    texts = ["2500000000", "2.500.000.000", "2 500 000 000", "Rp 2,5 miliar", "rp2,5 MILIAR"]
    texts += ["147,3 miliar", "1,66 triliun", "950 juta", "Rp 5.000,-", "IDR 1.5 billion", "2,5 M"]
    texts += ["1,500", "1.50", "12,5", "-5", "", "satu juta", "2,5 milyar", "0,0000001 miliar"]
    texts += ["1" + "0" * 19, "007", "3 ribu", "1.000.000 rb"]
    texts += [f"{rng.randrange(1, 10**15):,}".replace(",", ".") for _ in range(100)]
    read = page.evaluate(
        """texts => texts.map(t => {
             const r = window.niagaDesk.parseRupiah(t);
             return r.error ? null : r.value.toString();
           })""",
        texts,
    )

    def server(text):
        try:
            return str(parse_rupiah(text))
        except MoneyError:
            return None

    assert read == [server(text) for text in texts]
    assert page.console_errors == []


def test_a_double_tap_records_one_deal(new_page, mission, sellers, buyers, jatim_desk):
    page = new_page()
    open_desk(page)
    fill_deal(
        page,
        seller=("kopi", "CV Kopi Ijen"),
        buyer=("batu", "CV Batubara Tanah Laut"),
        commodity="Kopi robusta",
        value="750000000",
    )
    page.get_by_role("button", name=t("Record the deal")).dblclick()
    expect(page.locator("#desk-recent-list li.desk-entry")).to_have_count(1)
    expect(page.locator("#desk-total-short")).to_have_text("Rp 750 juta")
    # Two submits in the same instant (a double tap faster than the page): still one.
    fill_deal(
        page,
        seller=("telur", "UD Telur Makmur"),
        buyer=("borneo", "PT Borneo Pangan"),
        commodity="Telur ayam ras",
        value="2.500.000.000",
    )
    page.locator("#desk-form").evaluate("form => { form.requestSubmit(); form.requestSubmit(); }")
    expect(page.locator("#desk-recent-list li.desk-entry")).to_have_count(2)
    expect(page.locator("#desk-total-count")).to_have_text("2")
    assert [value for _key, value in ledger(mission)] == [750_000_000, 2_500_000_000]
    assert queries.ledger_sums(mission) == {"total_idr": 3_250_000_000, "count": 2}
    assert page.console_errors == []


def test_offline_entries_wait_and_are_recorded_once_when_the_network_returns(
    new_page, mission, sellers, buyers, jatim_desk
):
    page = new_page()
    open_desk(page)
    status = page.locator("#desk-connection")
    expect(status).to_have_text(t("Connected"))
    page.context.set_offline(True)
    expect(status).to_have_attribute("data-state", "offline")

    # The names still come up: from the list that came with the page.
    fill_deal(
        page,
        seller=("telur", "UD Telur Makmur"),
        buyer=("borneo", "PT Borneo Pangan"),
        commodity="Telur ayam ras",
        value="2500000000",
    )
    submit(page)
    waiting = page.locator("#desk-outbox-list > li")
    expect(page.locator("#desk-last")).to_contain_text(t(KEPT))
    expect(waiting).to_have_count(1)
    fill_deal(
        page,
        seller=("kopi", "CV Kopi Ijen"),
        buyer=("batubara", "CV Batubara Tanah Laut"),
        commodity="Kopi robusta",
        value="750.000.000",
    )
    submit(page)
    expect(waiting).to_have_count(2)
    for entry in waiting.all():
        expect(entry.locator(".desk-state")).to_have_text(t("waiting", "desk entry"))
    expect(waiting.nth(0)).to_contain_text("UD Telur Makmur → PT Borneo Pangan")
    expect(waiting.nth(1)).to_contain_text("Rp 750 juta")
    expect(page.locator("#desk-outbox-count")).to_have_text("2")
    keys = [entry.get_attribute("data-key") for entry in waiting.all()]
    assert len(set(keys)) == 2
    stored = page.evaluate(
        """() => {
             const storage = JSON.parse(document.getElementById("desk-config").textContent).storage;
             return JSON.parse(localStorage.getItem(storage)).map(entry => entry.key);
           }"""
    )
    assert stored == keys  # each kept in the browser with its key
    expect(page.locator("#desk-total-count")).to_have_text("0")
    screenshot(page, "desk-offline")
    assert ledger(mission) == []

    # Closing the page now asks first.
    with page.expect_event("dialog") as dialog_info:
        page.close(run_before_unload=True)
    dialog = dialog_info.value
    assert dialog.type == "beforeunload"
    dialog.dismiss()
    expect(waiting).to_have_count(2)

    page.context.set_offline(False)
    expect(page.locator("#desk-outbox")).to_be_hidden(timeout=10_000)
    recorded = page.locator("#desk-recent-list li.desk-entry")
    expect(recorded).to_have_count(2)
    assert sorted(entry.get_attribute("data-key") for entry in recorded.all()) == sorted(keys)
    expect(page.locator("#desk-total-short")).to_have_text("Rp 3,25 miliar")
    expect(page.locator("#desk-total-count")).to_have_text("2")
    expect(status).to_have_text(t("Connected"))
    assert sorted(ledger(mission)) == sorted(zip(keys, [2_500_000_000, 750_000_000], strict=True))
    assert page.evaluate("() => Object.keys(localStorage).length") == 0
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_a_dropped_answer_and_a_reload_still_record_once(
    new_page, mission, sellers, buyers, jatim_desk
):
    page = new_page()
    open_desk(page)
    answers = []

    def drop_the_answer(route):
        # The server gets the entry (and records it) but the tablet never hears back.
        if not answers:
            answers.append(route.fetch().status)
        route.abort("connectionreset")

    page.route("**/desk/deals/", drop_the_answer)
    fill_deal(
        page,
        seller=("telur", "UD Telur Makmur"),
        buyer=("borneo", "PT Borneo Pangan"),
        commodity="Telur ayam ras",
        value="2500000000",
    )
    submit(page)
    waiting = page.locator("#desk-outbox-list > li")
    expect(page.locator("#desk-last")).to_contain_text(t(KEPT))
    expect(waiting).to_have_count(1)
    key = waiting.first.get_attribute("data-key")
    assert answers == [201]
    assert ledger(mission) == [(key, 2_500_000_000)]

    # The officer reloads the page (and confirms leaving): the entry is still there.
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(waiting).to_have_count(1)
    expect(waiting.first).to_have_attribute("data-key", key)
    expect(waiting.first.locator(".desk-state")).to_have_text(t("waiting", "desk entry"))

    page.unroute("**/desk/deals/")
    expect(page.locator("#desk-outbox")).to_be_hidden(timeout=10_000)
    expect(page.locator("#desk-last")).to_contain_text(
        before("Already recorded at %(clock)s; it was counted once.", "%(clock)s")
    )
    expect(page.locator("#desk-recent-list li.desk-entry")).to_have_count(1)
    expect(page.locator("#desk-total-short")).to_have_text("Rp 2,5 miliar")
    assert ledger(mission) == [(key, 2_500_000_000)]


def test_the_server_refusal_names_the_field_and_nothing_is_lost(
    new_page, mission, sellers, buyers, jatim_desk
):
    page = new_page()
    open_desk(page)
    fill_deal(
        page,
        seller=("telur", "UD Telur Makmur"),
        buyer=("borneo", "PT Borneo Pangan"),
        commodity="Telur ayam ras",
        value="2500000000",
    )
    page.get_by_label(t("HS code")).fill("0407")
    submit(page)
    hs_field = page.locator('[data-field="hs_code"]')
    expect(hs_field.locator("[data-errors]")).to_have_text(
        "Kode HS terdiri atas tepat 8 digit (BTKI 2022), mis. 04072100."
    )
    expect(page.get_by_label(t("HS code"))).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#desk-form-error")).to_contain_text(
        t("HS code") + ": Kode HS terdiri atas tepat 8 digit"
    )
    # The entry stays in the form, to be fixed there; nothing waits, nothing was recorded.
    expect(page.locator("#desk-seller")).to_have_value("UD Telur Makmur")
    expect(page.locator("#desk-outbox")).to_be_hidden()
    assert ledger(mission) == []
    page.get_by_label(t("HS code")).fill("04072100")
    submit(page)
    expect(page.locator("#desk-total-short")).to_have_text("Rp 2,5 miliar")
    assert [value for _key, value in ledger(mission)] == [2_500_000_000]

    # Above Rp 1 triliun the officer confirms first.
    fill_deal(
        page,
        seller=("kopi", "CV Kopi Ijen"),
        buyer=("batu", "CV Batubara Tanah Laut"),
        commodity="Batubara",
        value="1500000000000",
    )
    expect(page.locator("#desk-value-echo")).to_contain_text("Rp 1,5 triliun")
    confirm = page.locator("#desk-value-confirm")
    expect(confirm).to_be_visible()
    submit(page)
    expect(confirm.locator("[data-errors]")).to_contain_text("Rp 1.500.000.000.000")
    assert len(ledger(mission)) == 1
    confirm.get_by_role("checkbox").check()
    submit(page)
    expect(page.locator("#desk-total-count")).to_have_text("2")
    assert [value for _key, value in ledger(mission)] == [2_500_000_000, 1_500_000_000_000]
    # Chromium logs each refused request (422) as an error; nothing else may appear.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_an_entry_refused_after_the_connection_returns_is_shown_and_can_be_fixed(
    new_page, mission, sellers, buyers, jatim_desk
):
    page = new_page()
    open_desk(page)
    page.context.set_offline(True)
    expect(page.locator("#desk-connection")).to_have_attribute("data-state", "offline")
    fill_deal(
        page,
        seller=("telur", "UD Telur Makmur"),
        buyer=("borneo", "PT Borneo Pangan"),
        commodity="Telur ayam ras",
        value="2500000000",
    )
    page.get_by_label(t("HS code")).fill("0407")  # only the server knows this rule
    submit(page)
    expect(page.locator("#desk-last")).to_contain_text(t(KEPT))
    page.context.set_offline(False)

    entry = page.locator("#desk-outbox-list > li")
    expect(entry.locator(".desk-state")).to_have_text(t("refused", "desk entry"))
    expect(entry).to_contain_text(
        t("HS code") + ": Kode HS terdiri atas tepat 8 digit (BTKI 2022), mis. 04072100."
    )
    assert ledger(mission) == []
    entry.get_by_role("button", name=t("Edit")).click()
    expect(page.locator("#desk-outbox")).to_be_hidden()
    expect(page.locator("#desk-seller")).to_have_value("UD Telur Makmur")
    expect(page.locator("#desk-value")).to_have_value("2500000000")
    hs = page.get_by_label(t("HS code"))
    expect(hs).to_have_attribute("aria-invalid", "true")
    hs.fill("04072100")
    submit(page)
    expect(page.locator("#desk-total-short")).to_have_text("Rp 2,5 miliar")
    assert [value for _key, value in ledger(mission)] == [2_500_000_000]
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_a_correction_changes_the_total(new_page, mission, sellers, buyers, jatim_desk):
    deals = []
    for value, commodity in ((2_500_000_000, "Telur ayam ras"), (500_000_000, "Kopi robusta")):
        deal, _created = domain.deal_record(
            actor=jatim_desk,
            mission=mission,
            key=str(uuid.uuid4()),
            data=DealInput(
                direction="sell",
                seller_id=sellers[0].pk,
                buyer_id=buyers[0].pk,
                commodity=commodity,
                value_idr=value,
                stage="komitmen",
            ),
        )
        deals.append(deal)
    page = new_page()
    open_desk(page)
    expect(page.locator("#desk-total-short")).to_have_text("Rp 3 miliar")
    entry = page.locator(f'li.desk-entry[data-deal="{deals[0].pk}"]')
    entry.get_by_text(t("Correct", "desk action"), exact=True).click()
    entry.locator(f'[name="c{deals[0].pk}-reason"]').fill("Salah ketik: 250 juta")
    value = entry.locator(f'[name="c{deals[0].pk}-value_idr"]')
    value.fill("250.000.000")
    expect(entry.locator("output")).to_contain_text("Rp 250 juta")
    entry.get_by_role("button", name=t("Save the correction")).click()

    expect(page.locator("#desk-total-short")).to_have_text(format_rupiah_short(750_000_000))
    expect(page.locator("#desk-total-full")).to_have_text(format_rupiah(750_000_000))
    expect(page.locator("#desk-recent-message")).to_contain_text("Rp 250.000.000")
    expect(page.locator(f'li.desk-entry[data-deal="{deals[0].pk}"]')).to_have_class(
        re.compile("is-reversed")
    )
    expect(page.locator("#desk-total-count")).to_have_text("2")
    assert queries.ledger_sums(mission) == {"total_idr": 750_000_000, "count": 2}
    assert queries.totals(mission).total_idr == 750_000_000
    assert page.console_errors == []


def test_a_tablet_records_a_deal_by_keyboard_alone(new_page, mission, sellers, buyers, jatim_desk):
    page = new_page(width=768, height=1024)
    open_desk(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    for target in [
        page.locator(".desk-choice").first,
        page.locator("#desk-seller"),
        page.locator("#desk-value"),
        page.get_by_role("button", name=t("Record the deal")),
    ]:
        assert target.bounding_box()["height"] >= 44

    # From the top of the page, Tab to the direction choices.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == "direction":
            break
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Jual")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#desk-seller")).to_be_focused()
    page.keyboard.type("kopi")
    expect(page.locator("#desk-seller-list [role=option]")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#desk-seller")).to_have_value("CV Kopi Ijen")
    page.keyboard.press("Tab")
    page.keyboard.type("ba")
    expect(page.locator("#desk-buyer-list [role=option]")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#desk-buyer")).to_have_value("CV Batubara Tanah Laut")
    page.keyboard.press("Tab")
    page.keyboard.type("Kopi arabika")
    page.keyboard.press("Tab")
    page.keyboard.type("09011100")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("ton")
    page.keyboard.press("Tab")
    expect(page.locator("#desk-value")).to_be_focused()
    page.keyboard.type("1275000000")
    expect(page.locator("#desk-value-echo")).to_contain_text("Rp 1,28 miliar")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # from potensi to komitmen
    expect(page.get_by_role("radio", name="Komitmen")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Kontrak ditandatangani minggu depan")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=t("Record the deal"))).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#desk-total-short")).to_have_text("Rp 1,28 miliar")
    expect(page.locator("#desk-recent-list li.desk-entry")).to_have_count(1)
    expect(page.locator("#desk-seller")).to_be_focused()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    page.keyboard.press("Escape")  # the suggestions that open for the next deal
    expect(page.locator("#desk-seller-list")).to_be_hidden()
    screenshot(page, "desk")
    with scopes_disabled():
        deal = Deal.objects.get(mission=mission)
    assert (deal.commodity, deal.hs_code, deal.unit, deal.value_idr, deal.stage) == (
        "Kopi arabika",
        "09011100",
        "ton",
        1_275_000_000,
        "komitmen",
    )
    assert deal.note == "Kontrak ditandatangani minggu depan"
    assert page.console_errors == []
