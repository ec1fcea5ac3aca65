"""Test-run environment, set before Django reads its settings.

Each test run (and each xdist worker) gets its own data folder, so tests
never touch ./var and never share a SQLite file or a generated key.
"""

import os
import tempfile

if "NIAGA_TEST_DATA_DIR" not in os.environ:
    os.environ["NIAGA_TEST_DATA_DIR"] = tempfile.mkdtemp(prefix="niaga-test-")
    _OWN_FOLDER = True
else:
    _OWN_FOLDER = False
os.environ["NIAGA_DATA_DIR"] = os.environ["NIAGA_TEST_DATA_DIR"]
# Tests speak plain HTTP to the live server; production defaults to HTTPS.
os.environ.setdefault("NIAGA_HTTPS", "false")
# Playwright's sync API runs an event loop in the test thread; the tests'
# own database calls are synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_unconfigure(config):
    """The run that made the data folder removes it (xdist workers share their parent's)."""
    if hasattr(config, "workerinput") or not _OWN_FOLDER:
        return
    folder = os.environ["NIAGA_TEST_DATA_DIR"]
    if os.path.basename(folder).startswith("niaga-test-"):
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
