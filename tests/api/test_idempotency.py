"""Idempotency over HTTP: retries, replays from many threads, reused keys."""

import threading
import uuid

import pytest
from django.db import connections
from django.test import Client
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from niaga.missions import queries
from niaga.missions.models import Deal
from tests.api.conftest import World, bearer, join, new_mission, post_json
from tests.conftest import make_user


def ledger_rows(mission) -> list[tuple[str, int]]:
    with scopes_disabled():
        return list(
            Deal.objects.filter(mission=mission)
            .order_by("id")
            .values_list("idempotency_key", "value_idr")
        )


def run_threads(target, count: int) -> list[Exception]:
    errors: list[Exception] = []
    barrier = threading.Barrier(count)

    def wrapped(index):
        try:
            barrier.wait(timeout=20)
            target(index)
        except Exception as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_of_one_key_record_one_deal(jatim, kalsel, jatim_admin):
    mission = new_mission(jatim_admin, jatim, kalsel, slug="serentak-api")
    world = World(
        mission,
        [join(jatim_admin, mission, "UD Satu", "35.05", "organiser")],
        [join(jatim_admin, mission, "CV Dua", "63.71", "host")],
    )
    desk = make_user("meja-api", province=jatim, roles=["desk_officer"])
    headers, same, body = bearer(desk), str(uuid.uuid4()), world.sale(value_idr=4_200_000)
    answers: list[tuple[int, int]] = []
    lock = threading.Lock()

    def send(index):
        response = post_json(
            Client(), f"/api/v1/missions/{mission.slug}/deals", body, headers, idempotency_key=same
        )
        with lock:
            answers.append((response.status_code, response.json().get("id")))

    assert run_threads(send, 8) == []
    statuses = sorted(status for status, _id in answers)
    assert statuses == [200] * 7 + [201]
    assert len({deal_id for _status, deal_id in answers}) == 1
    assert ledger_rows(mission) == [(same, 4_200_000)]
    totals = queries.totals(mission)
    assert (totals.total_idr, totals.count) == (4_200_000, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_desks_with_retries_stay_exact(jatim, kalsel, jatim_admin):
    mission = new_mission(jatim_admin, jatim, kalsel, slug="ramai-api")
    world = World(
        mission,
        [join(jatim_admin, mission, "UD Satu", "35.05", "organiser")],
        [join(jatim_admin, mission, "CV Dua", "63.71", "host")],
    )
    desks = [
        bearer(make_user(f"meja-{n}", province=jatim, roles=["desk_officer"])) for n in range(5)
    ]
    shared = [f"bersama-{n:04d}" for n in range(6)]
    sent: dict[str, int] = {}
    failures: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def desk(index):
        client = Client()
        for n in range(12):
            # Every third send is a retry of a deal that every desk also sends.
            deal_key = shared[n % len(shared)] if n % 3 == 0 else f"meja-{index}-{n:04d}"
            value = 1_000_000 * (1 + int(deal_key.rsplit("-", 1)[-1]))
            response = post_json(
                client,
                f"/api/v1/missions/{mission.slug}/deals",
                world.sale(value_idr=value),
                desks[index],
                idempotency_key=deal_key,
            )
            with lock:
                if response.status_code in (200, 201):
                    sent[deal_key] = value
                else:
                    failures.append((response.status_code, response.content))

    assert run_threads(desk, len(desks)) == []
    assert failures == []
    assert sorted(ledger_rows(mission)) == sorted(sent.items())
    totals = queries.totals(mission)
    assert (totals.total_idr, totals.count) == (sum(sent.values()), len(sent))


@pytest.mark.django_db
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sends=st.lists(
        st.tuples(st.integers(min_value=0, max_value=3), st.sampled_from([1_000, 2_000, 3_000])),
        min_size=1,
        max_size=10,
    )
)
def test_any_sequence_of_sends_matches_the_first_payload_per_key(jatim, kalsel, jatim_admin, sends):
    """Model: the first payload under a key is recorded; the same again is a 200
    replay of that entry; another payload under the key is a 422 that changes nothing."""
    mission = new_mission(jatim_admin, jatim, kalsel, slug=f"p-{uuid.uuid4().hex[:10]}")
    world = World(
        mission,
        [join(jatim_admin, mission, f"UD Satu {mission.slug}", "35.05", "organiser")],
        [join(jatim_admin, mission, f"CV Dua {mission.slug}", "63.71", "host")],
    )
    client, headers = Client(), bearer(jatim_admin)
    keys = [f"{mission.slug}-kunci-{n}" for n in range(4)]
    first: dict[str, tuple[int, int]] = {}
    for key_index, value in sends:
        deal_key = keys[key_index]
        response = post_json(
            client,
            f"/api/v1/missions/{mission.slug}/deals",
            world.sale(value_idr=value),
            headers,
            idempotency_key=deal_key,
        )
        if deal_key not in first:
            assert response.status_code == 201
            first[deal_key] = (value, response.json()["id"])
        elif first[deal_key][0] == value:
            assert response.status_code == 200
            assert response.json()["id"] == first[deal_key][1]
        else:
            assert response.status_code == 422
            assert response.json()["existing_id"] == first[deal_key][1]
    assert sorted(ledger_rows(mission)) == sorted((k, v) for k, (v, _id) in first.items())
    totals = queries.totals(mission)
    assert (totals.total_idr, totals.count) == (sum(v for v, _id in first.values()), len(first))
