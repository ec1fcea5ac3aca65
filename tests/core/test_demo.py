"""`niaga demo` as a newcomer runs it: a real server with accounts that can log in."""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.slow
EXPECTED_ACCOUNTS = {
    "jatim-admin",
    "jatim-desk",
    "jatim-registry",
    "jatim-kurator",
    "jatim-dpo",
    "jatim-opop",
    "jatim-verifikator",
    "pesantren-demo",
    "kalsel-admin",
    "kalsel-viewer",
    "nasional",
}


def demo_environment(data_dir):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "NIAGA_TEST_DATA_DIR", "DJANGO_SETTINGS_MODULE")
    }
    environment["NIAGA_DATA_DIR"] = str(data_dir)
    return environment


def run_demo(data_dir, *arguments, timeout=180):
    return subprocess.run(
        [sys.executable, "-m", "niaga.cli", "demo", *arguments],
        env=demo_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def printed_accounts(output: str) -> dict[str, str]:
    found = dict(re.findall(r"^\s+([a-z-]+)\s+(\S+)\s{2,}\S", output, flags=re.MULTILINE))
    return {user: password for user, password in found.items() if user in EXPECTED_ACCOUNTS}


def start_demo(data_dir, port) -> subprocess.Popen:
    """`niaga demo --port N` in its own process group, so it and gunicorn stop together."""
    return subprocess.Popen(
        [sys.executable, "-m", "niaga.cli", "demo", "--port", str(port)],
        env=demo_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process, deadline_seconds=240) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the demo exited early:\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except OSError:  # refused while gunicorn starts, or a first slow answer
            time.sleep(0.2)  # polling a condition with a deadline, not a fixed wait
    raise AssertionError(f"{url} did not answer within {deadline_seconds} s")


def log_in(base: str, username: str, password: str) -> str:
    """Log in like a browser; return the page the login lands on."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    with opener.open(f"{base}/accounts/login/", data=data, timeout=10) as response:
        return response.geturl() + "\n" + response.read().decode()


def test_demo_serves_and_its_accounts_log_in(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_demo(tmp_path, port)
    try:
        wait_for(f"{base}/healthz", process)
        with urllib.request.urlopen(f"{base}/", timeout=10) as response:
            assert response.headers["Server"].startswith("gunicorn")
            assert "One Pesantren One Product" in response.read().decode()
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
        process = None
        accounts = printed_accounts(output)
        assert set(accounts) == EXPECTED_ACCOUNTS, output
        assert f"{base}/province/jatim/" in output
        # Serve again from the same folder: the data is kept, and every account logs in.
        process = start_demo(tmp_path, port)
        wait_for(f"{base}/healthz", process)
        landing = {user: log_in(base, user, password) for user, password in accounts.items()}
        assert landing["jatim-desk"].startswith(f"{base}/province/jatim/")
        assert landing["kalsel-viewer"].startswith(f"{base}/province/kalsel/")
        assert "Semua provinsi" in landing["nasional"] or "All provinces" in landing["nasional"]
        for page in landing.values():
            assert "/accounts/login/" not in page.split("\n", 1)[0]
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.communicate(timeout=30)


def _fingerprint(data_dir) -> list:
    with sqlite3.connect(data_dir / "niaga.sqlite3") as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'django_%' "
                "AND name NOT LIKE 'axes_%' ORDER BY name"
            )
        ]
        return [
            (table, db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall())
            for table in tables
        ]


def test_demo_is_idempotent_and_reset_starts_over(tmp_path):
    first = run_demo(tmp_path, "--no-serve")
    before = _fingerprint(tmp_path)
    run_demo(tmp_path, "--no-serve")
    assert _fingerprint(tmp_path) == before
    # A change made while using the demo is kept by a plain run, dropped by --reset.
    with sqlite3.connect(tmp_path / "niaga.sqlite3") as db:
        db.execute("UPDATE accounts_user SET full_name = 'Diubah' WHERE username = 'jatim-desk'")
    run_demo(tmp_path, "--no-serve")
    assert _fingerprint(tmp_path) != before
    reset = run_demo(tmp_path, "--no-serve", "--reset")
    assert "reset:" in reset.stdout
    assert printed_accounts(reset.stdout) == printed_accounts(first.stdout)
    after = dict(_fingerprint(tmp_path))
    users = {row[4]: row for row in after["accounts_user"]}  # username column
    assert set(users) == EXPECTED_ACCOUNTS
