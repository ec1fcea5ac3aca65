"""Indonesian is Niaga's first language: every message has an Indonesian translation.

The compiled catalogue (.mo) is committed, so a fresh install needs no gettext
tools; these tests keep it in step with the .po file and with the source.
"""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import niaga

PACKAGE = Path(niaga.__file__).parent
CATALOGUE = PACKAGE / "locale" / "id" / "LC_MESSAGES"


def _entries():
    with open(CATALOGUE / "django.po", "rb") as handle:
        return [m for m in read_po(handle) if m.id]


def test_every_message_is_translated():
    untranslated = [
        m.id
        for m in _entries()
        if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]
    fuzzy = [m.id for m in _entries() if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _entries():
        if isinstance(message.id, tuple):
            continue
        if message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def test_the_catalogue_holds_every_message_in_the_source(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is missing in CI; .ci/run installs it")
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "niaga"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "niaga.cli",
            "makemessages",
            "-l",
            "id",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with open(copy / "locale" / "id" / "LC_MESSAGES" / "django.po", "rb") as handle:
        extracted = {(m.context, m.id) for m in read_po(handle) if m.id}
    committed = {(m.context, m.id) for m in _entries()}
    assert sorted(extracted - committed, key=str) == [], (
        "run `niaga makemessages -l id --no-location --no-obsolete` in src/niaga, translate, "
        "and `niaga compilemessages`"
    )
