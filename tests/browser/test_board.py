"""The big-screen board updates by itself, and survives a dropped connection."""

import uuid

import pytest
from playwright.sync_api import expect

from niaga.missions import domain
from niaga.missions.domain import DealInput
from niaga.missions.models import Mission
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def record(mission, seller, buyer, user, value, commodity):
    domain.deal_record(
        actor=user,
        mission=mission,
        key=str(uuid.uuid4()),
        data=DealInput(
            direction="sell",
            seller_id=seller.pk,
            buyer_id=buyer.pk,
            commodity=commodity,
            value_idr=value,
            stage="komitmen",
        ),
    )


def test_board_shows_a_new_deal_within_two_seconds(new_page, mission, sellers, buyers, jatim_desk):
    Mission.objects.with_scopes_disabled().filter(pk=mission.pk).update(is_public=True)
    record(mission, sellers[0], buyers[0], jatim_desk, 147_312_766_000, "Telur ayam ras")
    board = new_page(width=1920, height=1080)
    board.goto("/board/uji-misi/")
    expect(board.locator("#board-total")).to_have_text("Rp 147,3 miliar")
    expect(board.locator("#board-count")).to_have_text("1")

    record(mission, sellers[1], buyers[1], jatim_desk, 2_500_000_000, "Kopi robusta")
    # No reload: the page asks for fresh figures by itself.
    expect(board.locator("#board-total")).to_have_text("Rp 149,8 miliar", timeout=2000)
    expect(board.locator("#board-count")).to_have_text("2", timeout=2000)
    expect(board.locator("#board-recent li").first).to_contain_text("CV Kopi Ijen")
    screenshot(board, "board")

    board.context.set_offline(True)
    expect(board.locator("#board-status")).to_have_class("board-status offline", timeout=4000)
    expect(board.locator("#board-total")).to_have_text("Rp 149,8 miliar")  # last figures stay
    record(mission, sellers[0], buyers[1], jatim_desk, 200_000_000, "Beras")
    board.context.set_offline(False)
    expect(board.locator("#board-total")).to_have_text("Rp 150 miliar", timeout=7000)
    expect(board.locator("#board-status")).to_have_class("board-status", timeout=7000)
    assert board.console_errors == [] or all(
        "ERR_INTERNET_DISCONNECTED" in e or "Failed to fetch" in e for e in board.console_errors
    )
