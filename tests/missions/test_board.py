"""The public big-screen board and its data feed."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from niaga.missions import board, domain
from niaga.missions.domain import DealInput
from niaga.missions.models import Mission
from tests.missions.conftest import make_mission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_feed_copies():
    """Each test asks the view itself, unless it tests the per-process copy."""
    board.forget_feed_copies()
    yield
    board.forget_feed_copies()


@pytest.fixture
def public(mission):
    Mission.objects.with_scopes_disabled().filter(pk=mission.pk).update(is_public=True)
    mission.is_public = True
    return mission


def record(mission, sellers, buyers, user, value, commodity="Telur ayam ras", direction="sell"):
    seller, buyer = (sellers[0], buyers[0]) if direction != "buy" else (buyers[0], sellers[0])
    return domain.deal_record(
        actor=user,
        mission=mission,
        key=str(uuid.uuid4()),
        data=DealInput(
            direction=direction,
            seller_id=seller.pk,
            buyer_id=buyer.pk,
            commodity=commodity,
            value_idr=value,
            stage="komitmen",
        ),
    )[0]


def test_board_needs_no_login_and_shows_the_headline(client, public, sellers, buyers, jatim_desk):
    record(public, sellers, buyers, jatim_desk, 147_312_766_000)
    record(public, sellers, buyers, jatim_desk, 9_000_000, "Kopi", "buy")
    page = client.get("/board/uji-misi/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="board-total">Rp 147,3 miliar<' in text
    assert 'id="board-total-full">Rp 147.321.766.000<' in text
    assert 'id="board-count">2<' in text
    assert "per pukul" in text and "WITA" in text
    assert "UD Telur Makmur → PT Borneo Pangan" in text


def test_only_public_missions_have_a_board(client, mission):
    assert client.get("/board/uji-misi/").status_code == 404
    assert client.get("/board/uji-misi/data.json").status_code == 404
    assert client.get("/board/tidak-ada/").status_code == 404


def test_data_feed_is_exact_and_answers_304_when_unchanged(
    client, public, sellers, buyers, jatim_desk
):
    record(public, sellers, buyers, jatim_desk, 2_500_000_000)
    first = client.get("/board/uji-misi/data.json")
    data = first.json()
    assert (data["total_idr"], data["count"], data["total_short"]) == (
        2_500_000_000,
        1,
        "Rp 2,5 miliar",
    )
    assert [d["total_idr"] for d in data["directions"]] == [2_500_000_000, 0, 0]
    etag = first["ETag"]
    assert client.get("/board/uji-misi/data.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    record(public, sellers, buyers, jatim_desk, 500_000_000)
    board.forget_feed_copies()  # as if half a second had passed
    changed = client.get("/board/uji-misi/data.json", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["total_short"] == "Rp 3 miliar"


def test_data_feed_in_english(client, public, sellers, buyers, jatim_desk):
    record(public, sellers, buyers, jatim_desk, 147_321_766_000)
    client.cookies["django_language"] = "en"
    data = client.get("/board/uji-misi/data.json").json()
    assert data["total_short"] == "IDR 147.3 billion"
    assert data["as_of"].startswith("as of ") and data["as_of"].endswith("WITA")


def test_feed_queries_do_not_grow_with_deals(client, public, sellers, buyers, jatim_desk):
    def count(**headers):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/board/uji-misi/data.json", **headers)
        return len(captured), response

    record(public, sellers, buyers, jatim_desk, 1_000_000)
    client.get("/board/uji-misi/data.json")  # warm the cache for this version
    for n in range(25):
        record(public, sellers, buyers, jatim_desk, 1_000_000 + n, f"Komoditas {n}")
    board.forget_feed_copies()
    built, response = count()
    board.forget_feed_copies()
    unchanged, not_modified = count(HTTP_IF_NONE_MATCH=response["ETag"])
    assert not_modified.status_code == 304
    assert unchanged <= 2  # the mission and its ledger row
    record(public, sellers, buyers, jatim_desk, 7)
    board.forget_feed_copies()
    assert count()[0] == built


def test_a_fresh_copy_answers_without_the_database(client, public, sellers, buyers, jatim_desk):
    record(public, sellers, buyers, jatim_desk, 2_500_000_000)
    first = client.get("/board/uji-misi/data.json")
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/board/uji-misi/data.json", HTTP_IF_NONE_MATCH=first["ETag"])
        fresh = client.get("/board/uji-misi/data.json")
    assert len(captured) == 0
    assert again.status_code == 304 and fresh.json() == first.json()
    # A language has its own copy.
    client.cookies["django_language"] = "en"
    assert client.get("/board/uji-misi/data.json").json()["total_short"] == "IDR 2.5 billion"


def test_another_provinces_mission_board_is_public_only_by_choice(
    client, jatim, kalsel, jatim_admin
):
    make_mission(jatim_admin, jatim, kalsel, slug="tertutup")
    assert client.get("/board/tertutup/").status_code == 404
