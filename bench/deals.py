"""Benchmark: deals recorded through the HTTP API by concurrent desks, against raw inserts.

    uv run python -m bench.deals [--clients 16] [--seconds 10] [--workers 2]

C clients post deals with idempotency keys to the production server (gunicorn,
the server `niaga demo` uses) for D seconds, one in ten a deliberate replay of
an earlier key; then the same number of rows is inserted into a bare table of
the same database by raw single-row transactions with the same concurrency.
The clients' log is reconciled against the ledger: a deal the server confirmed
but the ledger lacks is lost; a key counted twice is duplicated.
Runs on the database DATABASE_URL names, or SQLite in a temporary folder.
Last line: RESULT name=deals db=… api_per_s=… raw_per_s=… ratio=… p50_ms=… p99_ms=…
errors=… lost=… duplicated=…
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
import uuid

from bench._server import (
    database_kind,
    open_mission,
    percentile,
    prepare_environment,
    production_server,
)


def set_up():
    from niaga.api.domain import token_create

    manager, mission, sides = open_mission(f"bench-{uuid.uuid4().hex[:8]}")
    _token, secret = token_create(actor=manager, user=manager, name="bench")
    return mission, sides, secret


def post_deals(base, mission, sides, secret, clients: int, seconds: float):
    host, port = base.removeprefix("http://").split(":")
    path = f"/api/v1/missions/{mission.slug}/deals"
    done = time.monotonic() + seconds
    log: list[tuple[str, int, int, float]] = []  # key, value, status, ms
    lock = threading.Lock()

    def client(index: int):
        rng = random.Random(index)
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        sent: list[tuple[str, int]] = []
        entries = []
        while time.monotonic() < done:
            if sent and rng.random() < 0.1:
                key, value = rng.choice(sent)  # a retry of a deal already sent
            else:
                key, value = str(uuid.uuid4()), rng.randint(1, 5_000) * 1_000_000
                sent.append((key, value))
            body = json.dumps(
                {
                    "direction": "sell",
                    "seller_id": sides["organiser"].pk,
                    "buyer_id": sides["host"].pk,
                    "commodity": "Telur ayam ras",
                    "value_idr": value,
                    "stage": "komitmen",
                }
            )
            headers = {
                "Authorization": f"Bearer {secret}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            }
            started = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
            entries.append((key, value, status, 1000 * (time.perf_counter() - started)))
        connection.close()
        with lock:
            log.extend(entries)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return log, time.monotonic() - started


def raw_inserts(rows: int, clients: int) -> float:
    """The same number of single-row transactions into a bare table, same concurrency."""
    from django.db import connection, connections, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute(
            "CREATE TABLE bench_raw (id BIGINT PRIMARY KEY, k VARCHAR(80) UNIQUE, v BIGINT)"
        )
    counter = iter(range(1, rows + 1))
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_raw (id, k, v) VALUES (%s, %s, %s)",
                    [n, str(uuid.uuid4()), n * 1000],
                )
        connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return rows / (time.monotonic() - started)


def reconcile(mission, log):
    from django_scopes import scopes_disabled

    from niaga.missions import queries
    from niaga.missions.models import Deal

    confirmed = {key: value for key, value, status, _ms in log if status in (200, 201)}
    with scopes_disabled():
        ledger = list(
            Deal.objects.filter(mission=mission).values_list("idempotency_key", "value_idr")
        )
    ledger_keys = [key for key, _v in ledger]
    lost = len(set(confirmed) - set(ledger_keys))
    duplicated = len(ledger_keys) - len(set(ledger_keys))
    totals = queries.totals(mission)
    exact = totals.total_idr == sum(v for _k, v in ledger) and totals.count == len(ledger)
    return lost, duplicated, exact, len(ledger)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    data_dir = prepare_environment()
    db = database_kind()
    mission, sides, secret = set_up()
    print(f"{db}, data in {data_dir}; {args.clients} clients for {args.seconds:.0f} s", flush=True)
    with production_server(workers=args.workers) as base:
        log, elapsed = post_deals(base, mission, sides, secret, args.clients, args.seconds)
    statuses: dict[int, int] = {}
    for _key, _value, status, _ms in log:
        statuses[status] = statuses.get(status, 0) + 1
    created = statuses.get(201, 0)
    errors = sum(count for status, count in statuses.items() if status not in (200, 201))
    latencies = [ms for *_rest, ms in log]
    lost, duplicated, exact, ledger_rows = reconcile(mission, log)
    api_per_s = created / elapsed
    print(f"statuses {statuses}; ledger {ledger_rows} rows, totals exact: {exact}", flush=True)
    raw_per_s = raw_inserts(max(created, 1), args.clients)
    print(f"api {api_per_s:.0f} new deals/s, raw {raw_per_s:.0f} inserts/s", flush=True)
    print(
        f"RESULT name=deals db={db} api_per_s={api_per_s:.0f} raw_per_s={raw_per_s:.0f} "
        f"ratio={api_per_s / raw_per_s:.2f} p50_ms={percentile(latencies, 0.5):.0f} "
        f"p99_ms={percentile(latencies, 0.99):.0f} errors={errors} lost={lost} "
        f"duplicated={duplicated} exact={str(exact).lower()} clients={args.clients}"
    )


if __name__ == "__main__":
    main()
