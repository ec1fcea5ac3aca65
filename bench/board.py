"""Benchmark: the big-screen board's data feed under many viewers, against a static file.

    uv run python -m bench.board [--viewers 200] [--seconds 10] [--workers 2]

V viewers poll `/board/<slug>/data.json` as board.js does (If-None-Match with
the last ETag) while a writer records a deal every half second; then the same
viewers fetch a static file of the same size from the same server. Freshness
is the time from a deal's commit to the first viewer that sees its version.
Last line: RESULT name=board board_rps=… static_rps=… ratio=… freshness_p99_ms=…
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
import uuid
from pathlib import Path

from bench._server import open_mission, percentile, prepare_environment, production_server

BOARD_SLUG = f"bench-board-{uuid.uuid4().hex[:8]}"


def set_up_mission():
    manager, mission, sides = open_mission(BOARD_SLUG, public=True)
    return manager, mission, [sides["organiser"], sides["host"]]


def record(manager, mission, parties, value: int):
    from niaga.missions import domain
    from niaga.missions.domain import DealInput

    data = DealInput(
        direction="sell",
        seller_id=parties[0].pk,
        buyer_id=parties[1].pk,
        commodity=f"Telur {value % 7}",
        value_idr=value,
        stage="komitmen",
    )
    deal, _ = domain.deal_record(actor=manager, mission=mission, key=str(uuid.uuid4()), data=data)
    return deal


def viewers(base: str, path: str, count: int, seconds: float, paced: bool, seen: dict):
    """`count` viewers asking for `path` with If-None-Match, as board.js does.

    Paced viewers ask once a second and note when each ledger version first
    appears; unpaced ones ask as fast as the server answers (throughput).
    """
    host, port = base.removeprefix("http://").split(":")
    done = time.monotonic() + seconds
    totals = {"requests": 0, "errors": 0}
    lock = threading.Lock()

    def viewer():
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        etag, requests, errors = None, 0, 0
        while time.monotonic() < done:
            headers = {"If-None-Match": etag} if etag else {}
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=10)
                continue
            if response.status not in (200, 304):
                errors += 1
                continue
            requests += 1
            if response.status == 200:
                etag = response.getheader("ETag")
                if paced:
                    version = json.loads(body)["version"]
                    with lock:
                        seen.setdefault(version, time.monotonic())
            if paced:
                time.sleep(1.0)  # board.js asks once a second
        connection.close()
        with lock:
            totals["requests"] += requests
            totals["errors"] += errors

    threads = [threading.Thread(target=viewer) for _ in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return totals, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    data_dir = prepare_environment()
    from django.conf import settings

    manager, mission, parties = set_up_mission()
    for n in range(50):
        record(manager, mission, parties, 1_000_000 * (n + 1))
    print(f"data in {data_dir}; {args.viewers} viewers for {args.seconds:.0f} s", flush=True)

    # A static file as large as the feed's answer, in place before the server starts
    # (WhiteNoise indexes static files at start-up).
    from django.core.serializers.json import DjangoJSONEncoder

    from niaga.missions import queries
    from niaga.missions.board import board_payload

    size = len(json.dumps(board_payload(mission, queries.totals(mission)), cls=DjangoJSONEncoder))
    static_name = "bench-board-size.json"
    Path(settings.STATIC_ROOT, static_name).write_bytes(b"x" * size)
    with production_server(workers=args.workers) as base:
        # Polling viewers (a request a second each, like board.js) while deals arrive.
        seen: dict[int, float] = {}
        commits: dict[int, float] = {}
        stop = threading.Event()

        def writer():
            from django.db import connections

            n = 0
            while not stop.wait(0.5):
                n += 1
                record(manager, mission, parties, 7_000_000 + n)
                commits[queries.totals(mission).version] = time.monotonic()
            connections.close_all()

        writing = threading.Thread(target=writer)
        writing.start()
        polled, _ = viewers(
            base, f"/board/{BOARD_SLUG}/data.json", args.viewers, args.seconds, True, seen
        )
        stop.set()
        writing.join()
        # A version can be overtaken before any screen shows it; what counts is when a
        # screen first shows that version or a newer one.
        freshness = []
        for version, committed in commits.items():
            shown = [moment for v, moment in seen.items() if v >= version and moment >= committed]
            if shown:
                freshness.append(1000 * (min(shown) - committed))
        print(
            f"polling: {polled['requests']} requests, {polled['errors']} errors; "
            f"{len(freshness)} of {len(commits)} new deals shown before the end",
            flush=True,
        )
        # Throughput while deals keep arriving: the feed and a static file of the same
        # size, both asked with If-None-Match as fast as the viewers can (the server's
        # limit, measured side by side).
        stop.clear()
        writing = threading.Thread(target=writer)
        writing.start()
        board, board_seconds = viewers(
            base, f"/board/{BOARD_SLUG}/data.json", args.viewers, args.seconds / 2, False, {}
        )
        stop.set()
        writing.join()
        static, static_seconds = viewers(
            base, f"/static/{static_name}", args.viewers, args.seconds / 2, False, {}
        )
    board_rps = board["requests"] / board_seconds
    static_rps = static["requests"] / static_seconds
    print(
        f"board {board_rps:.0f} req/s ({board['errors']} errors), "
        f"static {static_rps:.0f} req/s ({static['errors']} errors), {size} bytes",
        flush=True,
    )
    print(
        f"RESULT name=board board_rps={board_rps:.0f} static_rps={static_rps:.0f} "
        f"ratio={board_rps / static_rps:.2f} freshness_p99_ms={percentile(freshness, 0.99):.0f} "
        f"freshness_p50_ms={percentile(freshness, 0.5):.0f} viewers={args.viewers}"
    )


if __name__ == "__main__":
    main()
