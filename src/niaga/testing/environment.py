"""pytest plugin (loaded with `-p niaga.testing.environment`): the test run's environment.

It must run before pytest-django reads Django's settings, which happens before
any conftest.py is imported; a `-p` plugin is imported earlier still. Each test
run (and its xdist workers) gets its own data folder, so tests never touch
./var and never share a SQLite file or a generated key.
"""

import os
import shutil
import tempfile

if "NIAGA_TEST_DATA_DIR" not in os.environ:
    os.environ["NIAGA_TEST_DATA_DIR"] = tempfile.mkdtemp(prefix="niaga-test-")
    _OWN_FOLDER = True
else:
    _OWN_FOLDER = False
os.environ["NIAGA_DATA_DIR"] = os.environ["NIAGA_TEST_DATA_DIR"]
# WhiteNoise warns about a missing STATIC_ROOT; tests serve from the apps instead.
os.makedirs(os.path.join(os.environ["NIAGA_DATA_DIR"], "static"), exist_ok=True)
# xdist workers run side by side: each gets its own Redis database (the one
# named in REDIS_URL for gw0, the ones below it for gw1, gw2, …), because tests
# clear the cache and count rate limits, which must not reach another worker.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if os.environ.get("REDIS_URL") and _worker.startswith("gw") and _worker[2:].isdigit():
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(os.environ["REDIS_URL"])
    _base = int(_url.path.strip("/") or 0)
    _db = _base - int(_worker[2:])
    if _db < 0:
        raise RuntimeError(f"REDIS_URL's database {_base} leaves no Redis database for {_worker}")
    os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{_db}"))
# Tests speak plain HTTP to the test client and the live server.
os.environ["NIAGA_HTTPS"] = "false"


def pytest_unconfigure(config):
    """The run that made the data folder removes it (xdist workers share their parent's)."""
    if hasattr(config, "workerinput") or not _OWN_FOLDER:
        return
    folder = os.environ["NIAGA_TEST_DATA_DIR"]
    if os.path.basename(folder).startswith("niaga-test-"):
        shutil.rmtree(folder, ignore_errors=True)
