"""Province isolation: another province's mission answers 404, exactly like no mission."""

import pytest
from django_scopes import scopes_disabled

from niaga.missions.models import Deal
from tests.api.conftest import bearer, key, new_mission, post_json

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def reads(slug: str) -> list[str]:
    return [f"/api/v1/missions/{slug}/{tail}" for tail in ("totals", "participants", "deals")]


def count_deals(mission) -> int:
    with scopes_disabled():
        return Deal.objects.filter(mission=mission).count()


def test_an_east_java_token_cannot_see_south_kalimantans_mission(
    client, jatim_world, kalsel_world, jatim_admin, jatim_desk
):
    absent = client.get("/api/v1/missions/tidak-ada/totals", headers={**bearer(jatim_admin), **EN})
    for user in (jatim_admin, jatim_desk):
        headers = {**bearer(user), **EN}
        for address in reads("misi-kalsel"):
            response = client.get(address, headers=headers)
            assert response.status_code == 404, address
            assert response.content == absent.content
        write = post_json(
            client,
            "/api/v1/missions/misi-kalsel/deals",
            kalsel_world.sale(),
            headers,
            idempotency_key=key(),
        )
        assert write.status_code == 404 and write.content == absent.content
        with scopes_disabled():
            [deal] = Deal.objects.filter(mission=kalsel_world.mission)
        correct = post_json(
            client,
            f"/api/v1/missions/misi-kalsel/deals/{deal.pk}/corrections",
            {"reason": "coba"},
            headers,
            idempotency_key=key(),
        )
        assert correct.status_code == 404 and correct.content == absent.content
        # Their own mission still answers.
        assert client.get(reads("misi-jatim")[0], headers=headers).status_code == 200
    assert count_deals(kalsel_world.mission) == 1


def test_a_host_province_member_reads_but_cannot_record(
    client, jatim_world, kalsel_world, kalsel_viewer, kalsel_admin, jatim_desk
):
    post_json(
        client,
        "/api/v1/missions/misi-jatim/deals",
        jatim_world.sale(),
        bearer(jatim_desk),
        idempotency_key=key(),
    )
    for user in (kalsel_viewer, kalsel_admin):
        headers = bearer(user)
        totals, participants, deals = (client.get(a, headers=headers) for a in reads("misi-jatim"))
        assert (totals.status_code, participants.status_code, deals.status_code) == (200, 200, 200)
        assert totals.json()["total_idr"] == 2_500_000_000
        assert participants.json()["count"] == 4
        assert [d["value_idr"] for d in deals.json()["items"]] == [2_500_000_000]
        write = post_json(
            client,
            "/api/v1/missions/misi-jatim/deals",
            jatim_world.sale(),
            headers,
            idempotency_key=key(),
        )
        assert write.status_code == 404
        deal_id = deals.json()["items"][0]["id"]
        correct = post_json(
            client,
            f"/api/v1/missions/misi-jatim/deals/{deal_id}/corrections",
            {"reason": "coba"},
            headers,
            idempotency_key=key(),
        )
        assert correct.status_code == 404
    assert count_deals(jatim_world.mission) == 1
    # Kalsel's own mission to Bali is theirs to record in.
    own = post_json(
        client,
        "/api/v1/missions/misi-kalsel/deals",
        kalsel_world.sale(),
        bearer(kalsel_admin),
        idempotency_key=key(),
    )
    assert own.status_code == 201


def test_a_public_mission_shows_its_totals_only(client, kalsel, kalsel_admin, jatim_admin):
    from niaga.regions.models import Province

    new_mission(kalsel_admin, kalsel, Province.objects.get(code="51"), slug="papan", is_public=True)
    headers = bearer(jatim_admin)
    totals, participants, deals = (client.get(a, headers=headers) for a in reads("papan"))
    assert (totals.status_code, participants.status_code, deals.status_code) == (200, 404, 404)


def test_a_national_viewer_reads_every_mission_and_records_nowhere(
    client, jatim_world, kalsel_world, national_viewer
):
    headers = bearer(national_viewer)
    for slug, world in (("misi-jatim", jatim_world), ("misi-kalsel", kalsel_world)):
        assert [client.get(a, headers=headers).status_code for a in reads(slug)] == [200] * 3
        write = post_json(
            client,
            f"/api/v1/missions/{slug}/deals",
            world.sale(),
            headers,
            idempotency_key=key(),
        )
        assert write.status_code == 404
