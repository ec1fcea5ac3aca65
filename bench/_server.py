"""Shared pieces of the benchmarks: a data folder, Django in-process, the production server.

Benchmarks run against the same server `niaga demo` uses (gunicorn, gthread
workers) on the database `DATABASE_URL` names, or on SQLite in a temporary
data folder when it is unset.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def prepare_environment() -> Path:
    """A fresh data folder for this run; Django is set up against it (and DATABASE_URL)."""
    data_dir = Path(tempfile.mkdtemp(prefix="niaga-bench-"))
    os.environ["NIAGA_DATA_DIR"] = str(data_dir)
    os.environ["NIAGA_HTTPS"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niaga.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return data_dir


def database_kind() -> str:
    from django.db import connection

    return connection.vendor


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def production_server(workers: int = 2, threads: int = 8):
    """gunicorn serving niaga on a free loopback port; yields its base URL."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "niaga.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "NIAGA_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        argv, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def open_mission(slug: str, *, public: bool = False):
    """An open East Java mission to South Kalimantan with one business a side.

    Returns (manager, mission, {"organiser": participant, "host": participant}).
    Names carry the slug, so runs against one PostgreSQL database do not collide.
    """
    import datetime as dt
    import uuid

    from django_scopes import scopes_disabled

    from niaga.accounts.models import Membership, Role, User
    from niaga.missions import domain
    from niaga.missions.models import Side
    from niaga.regions.models import Province, Regency

    jatim, kalsel = Province.objects.get(slug="jatim"), Province.objects.get(slug="kalsel")
    manager = User.objects.create_user(
        f"bench-{uuid.uuid4().hex[:8]}", password="bench-password-123"
    )
    with scopes_disabled():
        Membership.objects.create(user=manager, province=jatim, role=Role.MISSION_MANAGER)
    wita = dt.timezone(dt.timedelta(hours=8))
    mission = domain.mission_create(
        actor=manager,
        organiser=jatim,
        slug=slug,
        name=f"Bench {slug}",
        host=kalsel,
        host_regency=Regency.objects.get(code="63.71"),
        venue="Galaxy Hotel",
        opens_at=dt.datetime(2022, 4, 13, 11, tzinfo=wita),
        closes_at=dt.datetime(2022, 4, 13, 22, tzinfo=wita),
        is_public=public,
    )
    domain.mission_set_status(actor=manager, mission=mission, status="open")
    sides = {}
    for code, side in (("35.05", Side.ORGANISER), ("63.71", Side.HOST)):
        regency = Regency.objects.get(code=code)
        business = domain.business_create(
            actor=manager,
            owner=jatim,
            name=f"Bench {side} {slug}",
            province=regency.province,
            regency=regency,
            sector="Pangan",
        )
        sides[side] = domain.participant_add(
            actor=manager, mission=mission, business=business, side=side
        )
    return manager, mission, sides
