"""`niaga demo [--port N] [--reset]`: the product with demo data, served for real.

Migrates the database, loads every app's demo content (idempotent), collects
static files, prints the demo accounts and main addresses, then replaces
itself with gunicorn on 127.0.0.1 – the same server used in production, not
Django's development server.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from niaga.core.demo_registry import load_all

HOST = "127.0.0.1"


def _static_files_current() -> bool:
    """True when the collected files are newer than every source static file.

    Collecting hashes and compresses every file again (gzip and brotli, about
    20 seconds on two cores), so a second `niaga demo` skips it when nothing
    changed; a new or edited file (a newer mtime) makes it run again.
    """
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    collected_at = manifest.stat().st_mtime
    for finder in get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > collected_at:
                return False
    return True


class Command(BaseCommand):
    help = "Set up the demo data on SQLite and serve Niaga at http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (8000)")
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo database and uploads first"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare the data, print it, do not serve"
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")

    def handle(self, *args, port, reset, no_serve, workers, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port must be between 1 and 65535, not {port}")
        database = settings.DATABASES["default"]
        is_sqlite = database["ENGINE"].endswith("sqlite3")
        if reset:
            if not is_sqlite:
                raise CommandError(
                    "--reset deletes the SQLite demo database; it refuses to touch "
                    "the PostgreSQL database named by DATABASE_URL."
                )
            self._reset(Path(database["NAME"]))

        self.stdout.write(f"Niaga demo: data in {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("  database migrated")
        accounts = load_all(out=self.stdout.write)
        if _static_files_current():
            self.stdout.write("  static files up to date")
        else:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("  static files collected")
        connections.close_all()

        base = f"http://{HOST}:{port}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (username / password):"))
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<16} {account.password:<18} {account.description}"
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Main pages:"))
        for label, path in self._addresses():
            self.stdout.write(f"  {label:<34} {base}{path}")
        self.stdout.write("")
        if no_serve:
            return
        self.stdout.write(f"Serving on {base} with gunicorn; stop with Ctrl+C.")
        self.stdout.flush()
        self._serve(port, workers)

    def _reset(self, database: Path) -> None:
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = database.with_name(database.name + suffix)
            path.unlink(missing_ok=True)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        self.stdout.write(f"  reset: removed {database} and the uploads")

    def _addresses(self) -> list[tuple[str, str]]:
        return [
            ("Home", "/"),
            ("Log in", "/accounts/login/"),
            ("East Java space", "/province/jatim/"),
            ("East Java team (jatim-admin)", "/province/jatim/team/"),
            ("East Java audit log", "/province/jatim/audit/"),
            ("Missions of East Java", "/province/jatim/missions/"),
            (
                "The Banjarmasin mission (13 Apr 2022)",
                "/province/jatim/missions/jatim-kalsel-2022/",
            ),
            ("Its big-screen board (no login)", "/board/jatim-kalsel-2022/"),
            ("Desk for practice (jatim-desk)", "/province/jatim/missions/simulasi/desk/"),
            (
                "Its realization (after the day)",
                "/province/jatim/realization/missions/jatim-kalsel-2022/",
            ),
            (
                "Its report and press summary",
                "/province/jatim/realization/missions/jatim-kalsel-2022/report/",
            ),
            ("Its public realization page", "/transparansi/jatim-kalsel-2022/"),
            ("Follow-up list (jatim-desk)", "/province/jatim/realization/followup/"),
            ("Agreements (MoU, PKS)", "/province/jatim/agreements/"),
            ("East Java's record since 2019", "/province/jatim/realization/"),
            ("API: the mission's totals", "/api/v1/missions/jatim-kalsel-2022/totals"),
            ("API documentation", "/api/v1/docs"),
            ("Public product catalogue", "/katalog/"),
            ("OPOP Jawa Timur (jatim-opop)", "/province/jatim/programs/opop-jatim/"),
            ("Its progress dashboard", "/province/jatim/programs/opop-jatim/dashboard/"),
            ("OPOP programs compared", "/programs/"),
            ("South Kalimantan space", "/province/kalsel/"),
            ("All provinces (nasional)", "/national/"),
            ("About, licences, data", "/about/"),
            ("Health check", "/healthz"),
        ]

    def _serve(self, port: int, workers: int) -> None:
        env = dict(os.environ)
        env["NIAGA_DATA_DIR"] = str(settings.DATA_DIR)
        # The demo speaks plain HTTP on the loopback address, so cookies
        # cannot be HTTPS-only there.
        env["NIAGA_HTTPS"] = "false"
        env.setdefault("ALLOWED_HOSTS", f"{HOST},localhost")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "niaga.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            # Several demos (tests, a second checkout) may run side by side.
            "--no-control-socket",
            "--graceful-timeout",
            "10",
            # Each request is logged once, with its timing, by Niaga itself.
            "--error-logfile",
            "-",
        ]
        os.execvpe(argv[0], argv, env)  # noqa: S606 - our own interpreter, fixed arguments
