"""`niaga backup` and `niaga restore`: consistent snapshots, exact round trips, safe refusals.

The round trips run on SQLite files of their own in `tmp_path` (not the test
database), so they run the same whether the suite runs on SQLite or on
PostgreSQL. Each such "site" is a WAL database with a `django_migrations`
table that records this installation's migrations, a `deal` table with its
`deal_line`s, and an uploads folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

import niaga
from niaga.core.backup import (
    FORMAT_VERSION,
    BackupError,
    MigrationCatalogue,
    UnsupportedDatabase,
    create_backup,
    sqlite_database_path,
)
from niaga.core.restore import check_backup, restore_backup

REPO = Path(__file__).resolve().parents[2]
WAIT = 15.0  # seconds any wait on the writer thread may take before the test fails


# --- A small live site on its own SQLite file ------------------------------------


@dataclass(frozen=True)
class Site:
    database: Path
    media_root: Path


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas Niaga's settings use."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=20)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA busy_timeout=20000")
    return connection


def deal_payload(n: int) -> tuple[str, int]:
    return f"deal-{n:05d}-{'x' * (n % 17)}", n * 1_000_003


def expected_deals(count: int) -> list[tuple]:
    """The rows `read_deals` returns after deals 1..count were committed."""
    return [(n, *deal_payload(n), n, deal_payload(n)[1]) for n in range(1, count + 1)]


def insert_deal(connection: sqlite3.Connection, n: int) -> None:
    """Deal n and its line, in one transaction: a torn snapshot would split them."""
    payload, amount = deal_payload(n)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO deal(seq, payload) VALUES (?, ?)", (n, payload))
    connection.execute("INSERT INTO deal_line(deal_seq, amount) VALUES (?, ?)", (n, amount))
    connection.execute("COMMIT")


def read_deals(path: Path) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT deal.seq, deal.payload, deal_line.amount, deal_line.deal_seq, deal_line.amount"
            " FROM deal FULL OUTER JOIN deal_line ON deal_line.deal_seq = deal.seq"
            " ORDER BY coalesce(deal.seq, deal_line.deal_seq)"
        ).fetchall()
    finally:
        connection.close()


def query(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def media_tree(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def catalogue() -> MigrationCatalogue:
    return MigrationCatalogue.from_disk()


def make_site(folder: Path, catalogue: MigrationCatalogue, *, deals: int = 3) -> Site:
    """A site whose database records every migration of this installation."""
    folder.mkdir(parents=True)
    site = Site(database=folder / "niaga.sqlite3", media_root=folder / "media")
    connection = connect(site.database)
    connection.executescript(
        """
        CREATE TABLE django_migrations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            app VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, applied DATETIME NOT NULL
        );
        CREATE TABLE deal (id INTEGER PRIMARY KEY, seq INTEGER UNIQUE NOT NULL, payload TEXT);
        CREATE TABLE deal_line (
            id INTEGER PRIMARY KEY, deal_seq INTEGER NOT NULL, amount INTEGER NOT NULL
        );
        CREATE INDEX deal_line_seq ON deal_line(deal_seq);
        """
    )
    for name in sorted(catalogue.nodes):
        app, migration = name.split(".", 1)
        connection.execute(
            "INSERT INTO django_migrations(app, name, applied) VALUES (?, ?, ?)",
            (app, migration, "2026-01-01 00:00:00"),
        )
    for n in range(1, deals + 1):
        insert_deal(connection, n)
    connection.close()
    (site.media_root / "catalogue" / "2026").mkdir(parents=True)
    (site.media_root / "catalogue" / "2026" / "kopi.jpg").write_bytes(b"\xff\xd8kopi" * 1000)
    (site.media_root / "agreements").mkdir()
    (site.media_root / "agreements" / "mou jatim-kalsel.pdf").write_bytes(b"%PDF-1.7 mou")
    (site.media_root / "empty.txt").write_bytes(b"")
    return site


def site_state(site: Site) -> dict:
    """Everything a refused restore must leave as it was."""
    return {
        "database": dump(site.database),
        "media": media_tree(site.media_root),
        "beside_media": sorted(os.listdir(site.media_root.parent)),
    }


def backup_of(site: Site, dest: Path, **options) -> Path:
    create_backup(
        database=site.database,
        media_root=site.media_root,
        dest=dest,
        niaga_version=niaga.__version__,
        **options,
    )
    return dest


def rewrite_manifest(folder: Path, change) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def reseal_database(folder: Path) -> None:
    """Make the manifest describe the database copy as it now is (a forger's move)."""
    database = folder / "niaga.sqlite3"
    data = database.read_bytes()

    def change(manifest):
        manifest["database"].update(size=len(data), sha256=sha256(data))
        connection = sqlite3.connect(database)
        rows = connection.execute("SELECT app || '.' || name FROM django_migrations ORDER BY id")
        manifest["migrations"] = [row[0] for row in rows]
        connection.close()

    rewrite_manifest(folder, change)


class Writer(threading.Thread):
    """Commits deal 1, 2, 3, … (each with its line) into a database until stopped."""

    def __init__(self, path: Path, *, first: int):
        super().__init__(daemon=True)
        self.path = path
        self.next = first
        self.committed = first - 1  # the last deal known committed
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.changed = threading.Condition()

    def run(self):
        try:
            connection = connect(self.path)
            try:
                while not self.stop.is_set():
                    insert_deal(connection, self.next)
                    with self.changed:
                        self.committed = self.next
                        self.changed.notify_all()
                    self.next += 1
            finally:
                connection.close()
        except BaseException as error:
            with self.changed:
                self.error = error
                self.changed.notify_all()

    def wait_for(self, count: int) -> int:
        """Wait until deal `count` is committed; returns the last committed deal."""
        with self.changed:
            reached = self.changed.wait_for(
                lambda: self.committed >= count or self.error is not None, timeout=WAIT
            )
            if self.error is not None:
                raise AssertionError(f"the writer failed: {self.error!r}")
            assert reached, f"the writer reached deal {self.committed}, not {count}, in {WAIT} s"
            return self.committed


# --- The round trip while writes go on --------------------------------------------


def test_backup_during_writes_is_a_consistent_prefix_and_restores_exactly(tmp_path, catalogue):
    site = make_site(tmp_path / "live", catalogue, deals=0)
    original_media = media_tree(site.media_root)
    writer = Writer(site.database, first=1)
    writer.start()
    marks = {}
    try:
        marks["before_backup"] = writer.wait_for(40)

        def while_snapshot_is_open():
            # The backup holds its snapshot; 30 more deals commit before any page
            # is copied. None of them may appear in the copy.
            marks["at_snapshot"] = writer.committed
            marks["during_backup"] = writer.wait_for(marks["at_snapshot"] + 30)

        result = create_backup(
            database=site.database,
            media_root=site.media_root,
            dest=tmp_path / "backup",
            niaga_version=niaga.__version__,
            on_snapshot=while_snapshot_is_open,
        )
        marks["after_backup"] = writer.wait_for(marks["during_backup"] + 10)
    finally:
        writer.stop.set()
        writer.join(timeout=WAIT)
    assert not writer.is_alive()
    assert writer.error is None

    copied = read_deals(result.database)
    k = len(copied)
    # Exactly deals 1..k, each with its line: a committed prefix, no torn transaction.
    assert copied == expected_deals(k)
    # Every deal committed before the backup started is in it; the counter can
    # trail the database by the one commit in flight when the snapshot was taken.
    assert marks["before_backup"] <= k <= marks["at_snapshot"] + 1
    assert marks["during_backup"] - k >= 29  # committed during the backup, left out
    assert query(result.database, "PRAGMA integrity_check") == [("ok",)]
    # The copy is one self-contained file in rollback-journal mode.
    assert sorted(p.name for p in result.folder.iterdir()) == [
        "manifest.json",
        "media",
        "niaga.sqlite3",
    ]
    assert query(result.database, "PRAGMA journal_mode") == [("delete",)]
    assert read_deals(site.database) == expected_deals(writer.committed)
    assert writer.committed > marks["during_backup"] >= k + 29

    # The site moves on: its uploads change too.
    (site.media_root / "catalogue" / "2026" / "kopi.jpg").write_bytes(b"changed")
    (site.media_root / "empty.txt").unlink()
    (site.media_root / "late upload.png").write_bytes(b"late")

    # A server's connection stays open across the restore.
    server = connect(site.database)
    assert server.execute("SELECT count(*) FROM deal").fetchone() == (writer.committed,)
    restored = restore_backup(
        check_backup(result.folder, catalogue=catalogue),
        database=site.database,
        media_root=site.media_root,
        catalogue=catalogue,
    )
    assert read_deals(site.database) == expected_deals(k)
    assert server.execute("SELECT count(*), max(seq) FROM deal").fetchone() == (k, k)
    assert server.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert server.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    server.close()
    assert media_tree(site.media_root) == original_media
    # Neither the staged nor the old uploads folder is left beside the new one.
    assert [name for name in os.listdir(site.media_root.parent) if "media" in name] == ["media"]
    assert restored.uploads == 3
    assert restored.pending_migrations == ()


def test_manifest_describes_the_backup(tmp_path, catalogue):
    site = make_site(tmp_path / "live", catalogue, deals=5)
    before = datetime.now(UTC).replace(microsecond=0)
    folder = backup_of(site, tmp_path / "backup")
    after = datetime.now(UTC)

    manifest = json.loads((folder / "manifest.json").read_text())
    database = (folder / "niaga.sqlite3").read_bytes()
    created = datetime.fromisoformat(manifest.pop("created_at"))
    assert created.utcoffset() == timedelta(0)
    assert before <= created <= after
    kopi = b"\xff\xd8kopi" * 1000
    assert manifest == {
        "format": "niaga-backup",
        "format_version": FORMAT_VERSION,
        "niaga_version": niaga.__version__,
        "database": {
            "file": "niaga.sqlite3",
            "size": len(database),
            "sha256": sha256(database),
            "sqlite_version": sqlite3.sqlite_version,
        },
        "migrations": sorted(catalogue.nodes),  # in the order make_site applied them
        "uploads": {
            "folder": "media",
            "count": 3,
            "size": len(kopi) + 12,
            "files": [
                {
                    "path": "agreements/mou jatim-kalsel.pdf",
                    "size": 12,
                    "sha256": sha256(b"%PDF-1.7 mou"),
                },
                {"path": "catalogue/2026/kopi.jpg", "size": len(kopi), "sha256": sha256(kopi)},
                {"path": "empty.txt", "size": 0, "sha256": sha256(b"")},
            ],
        },
    }
    assert media_tree(folder / "media") == media_tree(site.media_root)
    assert read_deals(folder / "niaga.sqlite3") == expected_deals(5)


def test_backup_without_uploads_folder_restores_an_empty_one(tmp_path, catalogue):
    site = make_site(tmp_path / "live", catalogue, deals=2)
    shutil.rmtree(site.media_root)
    folder = backup_of(site, tmp_path / "backup")
    assert json.loads((folder / "manifest.json").read_text())["uploads"]["files"] == []

    connection = connect(site.database)
    insert_deal(connection, 3)
    connection.close()
    site.media_root.mkdir()
    (site.media_root / "new.txt").write_bytes(b"new")
    restore_backup(
        check_backup(folder, catalogue=catalogue),
        database=site.database,
        media_root=site.media_root,
        catalogue=catalogue,
    )
    assert read_deals(site.database) == expected_deals(2)
    assert site.media_root.is_dir()
    assert media_tree(site.media_root) == {}


def test_restore_into_an_empty_data_folder(tmp_path, catalogue):
    source = make_site(tmp_path / "source", catalogue, deals=4)
    folder = backup_of(source, tmp_path / "backup")
    fresh = Site(
        database=tmp_path / "fresh" / "niaga.sqlite3", media_root=tmp_path / "fresh" / "media"
    )
    result = restore_backup(
        check_backup(folder, catalogue=catalogue),
        database=fresh.database,
        media_root=fresh.media_root,
        catalogue=catalogue,
    )
    assert dump(fresh.database) == dump(source.database)
    assert media_tree(fresh.media_root) == media_tree(source.media_root)
    assert sorted(os.listdir(fresh.media_root.parent)) == ["media", "niaga.sqlite3"]
    assert result.pending_migrations == ()


def test_restore_reports_the_migrations_the_backup_lacks(tmp_path, catalogue):
    site = make_site(tmp_path / "live", catalogue)
    latest = {}
    for name in catalogue.nodes:
        app = name.split(".")[0]
        latest[app] = max(latest.get(app, ""), name)
    dropped = sorted(latest.values())[:2]
    connection = connect(site.database)
    for name in dropped:
        app, migration = name.split(".", 1)
        connection.execute(
            "DELETE FROM django_migrations WHERE app = ? AND name = ?", (app, migration)
        )
    connection.close()
    folder = backup_of(site, tmp_path / "backup")

    target = make_site(tmp_path / "target", catalogue)
    result = restore_backup(
        check_backup(folder, catalogue=catalogue),
        database=target.database,
        media_root=target.media_root,
        catalogue=catalogue,
    )
    assert result.pending_migrations == tuple(dropped)


def test_catalogue_counts_a_squash_applied_when_its_originals_are():
    catalogue = MigrationCatalogue(
        nodes={"a.0001_squashed_0003": ("a.0001", "a.0002", "a.0003"), "a.0004": ()}
    )
    assert catalogue.pending(["a.0001", "a.0002", "a.0003"]) == ["a.0004"]
    assert catalogue.pending(["a.0001"]) == ["a.0001_squashed_0003", "a.0004"]
    assert catalogue.pending(["a.0001_squashed_0003", "a.0004"]) == []
    assert catalogue.unknown(["a.0002", "a.0004", "a.0005", "b.0001"]) == ["a.0005", "b.0001"]


# --- Backup refusals --------------------------------------------------------------


def test_backup_refuses_a_destination_that_is_not_empty(tmp_path, catalogue):
    site = make_site(tmp_path / "live", catalogue)
    dest = tmp_path / "backup"
    dest.mkdir()
    (dest / "keep.txt").write_text("keep")
    with pytest.raises(BackupError, match="is not empty"):
        backup_of(site, dest)
    assert sorted(os.listdir(dest)) == ["keep.txt"]


def test_backup_refuses_a_destination_inside_the_uploads(tmp_path, catalogue):
    site = make_site(tmp_path / "live", catalogue)
    before = media_tree(site.media_root)
    with pytest.raises(BackupError, match="inside the uploads folder"):
        backup_of(site, site.media_root / "backups" / "today")
    assert media_tree(site.media_root) == before
    assert not (site.media_root / "backups").exists()


def test_backup_refuses_a_missing_database(tmp_path):
    dest = tmp_path / "backup"
    with pytest.raises(BackupError, match="run `niaga migrate`"):
        create_backup(
            database=tmp_path / "none.sqlite3",
            media_root=tmp_path / "media",
            dest=dest,
            niaga_version="x",
        )
    assert not dest.exists()
    assert not (tmp_path / "none.sqlite3").exists()


def test_backup_of_a_damaged_database_fails_and_leaves_nothing(tmp_path, catalogue):
    site = make_site(tmp_path / "live", catalogue)
    damage_index(site.database)
    dest = tmp_path / "backup"
    dest.mkdir()
    with pytest.raises(
        BackupError,
        match=r"fails PRAGMA integrity_check, .* damaged: row 1 missing from index deal_line_seq",
    ):
        backup_of(site, dest)
    assert os.listdir(dest) == []


def damage_index(path: Path) -> None:
    """Point an index's definition at another column: integrity_check then fails."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA writable_schema=ON")
    connection.execute(
        "UPDATE sqlite_schema SET sql = 'CREATE INDEX deal_line_seq ON deal_line(amount)'"
        " WHERE name = 'deal_line_seq'"
    )
    connection.close()


# --- Restore refusals: each changes nothing ----------------------------------------


def remove(relative):
    return lambda folder: (folder / relative).unlink()


def overwrite_manifest(text):
    return lambda folder: (folder / "manifest.json").write_text(text)


def flip_a_byte(relative):
    def breaker(folder):
        path = folder / relative
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))

    return breaker


def damaged_but_resealed(folder):
    damage_index(folder / "niaga.sqlite3")
    reseal_database(folder)


def from_a_newer_niaga(folder):
    connection = sqlite3.connect(folder / "niaga.sqlite3", isolation_level=None)
    connection.execute(
        "INSERT INTO django_migrations(app, name, applied)"
        " VALUES ('regions', '0999_from_a_newer_niaga', '2027-01-01 00:00:00')"
    )
    connection.close()
    reseal_database(folder)

    def newer(manifest):
        manifest["niaga_version"] = "9.0.0"

    rewrite_manifest(folder, newer)


def newer_format(manifest):
    manifest["format_version"] = FORMAT_VERSION + 1


def escaping_upload_path(manifest):
    manifest["uploads"]["files"][0]["path"] = "../niaga.sqlite3"


REFUSALS = {
    "manifest missing": (remove("manifest.json"), "There is no manifest.json"),
    "manifest not JSON": (overwrite_manifest("{not json"), "manifest.json cannot be read"),
    "manifest not a backup's": (
        overwrite_manifest('{"format": "something-else"}'),
        "format must be 'niaga-backup'",
    ),
    "manifest format too new": (
        lambda folder: rewrite_manifest(folder, newer_format),
        "format_version is 2, newer than the 1",
    ),
    "upload path leaves the folder": (
        lambda folder: rewrite_manifest(folder, escaping_upload_path),
        "uploads.files[0].path must be a relative path inside the uploads folder",
    ),
    "database missing": (remove("niaga.sqlite3"), "niaga.sqlite3 named in the manifest is missing"),
    "database checksum": (flip_a_byte("niaga.sqlite3"), "does not match the manifest's checksum"),
    "database damaged": (
        damaged_but_resealed,
        "fails PRAGMA integrity_check: row 1 missing from index deal_line_seq",
    ),
    "migrations from a newer Niaga": (
        from_a_newer_niaga,
        "made by Niaga 9.0.0 and has 1 migration(s) applied that this installation does not "
        "know: regions.0999_from_a_newer_niaga",
    ),
    "upload missing": (
        remove("media/catalogue/2026/kopi.jpg"),
        "cannot be restored: catalogue/2026/kopi.jpg is missing.",
    ),
    "upload checksum": (
        flip_a_byte("media/agreements/mou jatim-kalsel.pdf"),
        "cannot be restored: agreements/mou jatim-kalsel.pdf does not match its checksum.",
    ),
}


@pytest.fixture
def sqlite_settings(monkeypatch):
    """Point the commands at a SQLite site in tmp_path, whatever the suite runs on.

    DATABASES is replaced on the settings object only; Django's open
    connections keep theirs (and these tests use no Django connection).
    """

    def point_at(site: Site) -> None:
        monkeypatch.setattr(
            django_settings,
            "DATABASES",
            {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": site.database}},
        )
        monkeypatch.setattr(django_settings, "MEDIA_ROOT", site.media_root)

    return point_at


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    case, tmp_path, catalogue, sqlite_settings
):
    breaker, message = REFUSALS[case]
    source = make_site(tmp_path / "source", catalogue, deals=5)
    folder = backup_of(source, tmp_path / "backup")
    breaker(folder)
    live = make_site(tmp_path / "live", catalogue, deals=8)
    (live.media_root / "only-live.txt").write_bytes(b"live")
    before = site_state(live)
    sqlite_settings(live)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(folder), "--yes")
    assert message in str(refused.value)
    assert str(refused.value).endswith("Nothing was changed.")
    assert site_state(live) == before
    assert read_deals(live.database) == expected_deals(8)


def test_restore_gives_up_on_a_locked_database_and_changes_nothing(tmp_path, catalogue):
    folder = backup_of(make_site(tmp_path / "source", catalogue, deals=2), tmp_path / "backup")
    live = make_site(tmp_path / "live", catalogue, deals=4)
    (live.media_root / "only-live.txt").write_bytes(b"live")
    checked = check_backup(folder, catalogue=catalogue)
    before = site_state(live)

    holder = connect(live.database)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        with pytest.raises(BackupError, match=r"stayed locked by another connection for 0\.2 s"):
            restore_backup(
                checked,
                database=live.database,
                media_root=live.media_root,
                catalogue=catalogue,
                busy_timeout=0.2,
            )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert site_state(live) == before


# --- The commands -------------------------------------------------------------------


def test_backup_command_reports_what_it_wrote(tmp_path, catalogue, sqlite_settings, capsys):
    site = make_site(tmp_path / "live", catalogue, deals=3)
    sqlite_settings(site)
    dest = tmp_path / "backup"
    call_command("backup", str(dest))

    out = capsys.readouterr().out.splitlines()
    size = (dest / "niaga.sqlite3").stat().st_size
    uploads = len(b"\xff\xd8kopi" * 1000) + len(b"%PDF-1.7 mou")
    assert out == [
        f"Database: {dest / 'niaga.sqlite3'} ({size / 1024:.1f} KB ({size:,} bytes), "
        f"{len(catalogue.nodes)} migrations applied, integrity ok)",
        f"Uploads:  {dest / 'media'} (3 files, {uploads / 1024:.1f} KB ({uploads:,} bytes))",
        f"Manifest: {dest / 'manifest.json'}",
        f"Backup written to {dest}",
    ]
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["niaga_version"] == niaga.__version__
    assert read_deals(dest / "niaga.sqlite3") == expected_deals(3)


def test_backup_command_refuses_a_folder_that_is_not_empty(tmp_path, catalogue, sqlite_settings):
    sqlite_settings(make_site(tmp_path / "live", catalogue))
    dest = tmp_path / "backup"
    dest.mkdir()
    (dest / "old.txt").write_text("old")
    with pytest.raises(CommandError, match=re.escape(f"{dest} is not empty")):
        call_command("backup", str(dest))
    assert os.listdir(dest) == ["old.txt"]


@pytest.mark.parametrize("answer", ["no", "", "y", "YES please"])
def test_restore_command_cancels_unless_told_yes(
    answer, tmp_path, catalogue, sqlite_settings, monkeypatch, capsys
):
    folder = backup_of(make_site(tmp_path / "source", catalogue, deals=2), tmp_path / "backup")
    live = make_site(tmp_path / "live", catalogue, deals=6)
    before = site_state(live)
    sqlite_settings(live)
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or answer)

    with pytest.raises(CommandError, match=r"^Restore cancelled; nothing was changed\.$"):
        call_command("restore", str(folder))
    assert prompts == ["Type 'yes' to restore, anything else to cancel: "]
    assert f"This replaces the database {live.database}" in capsys.readouterr().out
    assert site_state(live) == before


def test_restore_command_restores_after_yes(
    tmp_path, catalogue, sqlite_settings, monkeypatch, capsys
):
    source = make_site(tmp_path / "source", catalogue, deals=2)
    folder = backup_of(source, tmp_path / "backup")
    live = make_site(tmp_path / "live", catalogue, deals=6)
    (live.media_root / "only-live.txt").write_bytes(b"live")
    sqlite_settings(live)
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")

    call_command("restore", str(folder))
    out = capsys.readouterr().out
    assert read_deals(live.database) == expected_deals(2)
    assert media_tree(live.media_root) == media_tree(source.media_root)
    assert f"Restored the database {live.database} and 3 uploaded files" in out
    assert "The restored database has every migration of this installation." in out


def test_restore_command_tells_to_migrate(tmp_path, catalogue, sqlite_settings, capsys):
    source = make_site(tmp_path / "source", catalogue, deals=1)
    newest = max(name for name in catalogue.nodes if name.startswith("regions."))
    app, name = newest.split(".", 1)
    connection = connect(source.database)
    connection.execute("DELETE FROM django_migrations WHERE app = ? AND name = ?", (app, name))
    connection.close()
    folder = backup_of(source, tmp_path / "backup")
    live = make_site(tmp_path / "live", catalogue)
    sqlite_settings(live)

    call_command("restore", str(folder), "--noinput")
    assert (
        f"The restored database lacks 1 migration of this installation ({newest}): "
        "run `niaga migrate` now." in capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("command", "tool"), [("backup", "pg_dump -Fc"), ("restore", "pg_restore")]
)
def test_commands_refuse_postgresql(command, tool, tmp_path, monkeypatch):
    if os.environ.get("DATABASE_URL"):
        # The suite's PostgreSQL run: the real settings, untouched.
        assert django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    else:
        monkeypatch.setattr(
            django_settings,
            "DATABASES",
            {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "niaga"}},
        )
    target = tmp_path / "folder"
    arguments = [str(target)] + (["--yes"] if command == "restore" else [])
    with pytest.raises(CommandError) as refused:
        call_command(command, *arguments)
    message = str(refused.value)
    assert f"uses PostgreSQL (DATABASE_URL), and `niaga {command}` handles SQLite only" in message
    assert tool in message
    assert "docs/operations.md" in message
    assert not target.exists()


def test_only_sqlite_files_are_accepted():
    assert sqlite_database_path(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": "/data/niaga.sqlite3"}, action="backup"
    ) == Path("/data/niaga.sqlite3")
    with pytest.raises(UnsupportedDatabase, match="is not a file"):
        sqlite_database_path(
            {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}, action="backup"
        )
    with pytest.raises(UnsupportedDatabase, match="handles SQLite databases only"):
        sqlite_database_path({"ENGINE": "django.db.backends.mysql"}, action="restore")


# --- End to end, as an operator runs it ------------------------------------------------


def niaga_command() -> list[str]:
    uv = shutil.which("uv")
    if uv:
        return [uv, "run", "--no-sync", "niaga"]
    return [str(Path(sys.executable).parent / "niaga")]


@pytest.mark.slow
def test_commands_end_to_end_on_a_fresh_installation(tmp_path):
    data = tmp_path / "data"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "NIAGA_TEST_DATA_DIR")
    }
    env["NIAGA_DATA_DIR"] = str(data)

    def niaga_run(*arguments: str, stdin: str | None = None) -> str:
        finished = subprocess.run(
            [*niaga_command(), *arguments],
            cwd=REPO,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert finished.returncode == 0, finished.stderr[-3000:]
        return finished.stdout

    niaga_run("migrate", "--noinput")
    database = data / "niaga.sqlite3"
    connection = connect(database)
    counts = connection.execute(
        "SELECT (SELECT count(*) FROM regions_province), (SELECT count(*) FROM regions_regency),"
        " (SELECT count(*) FROM django_migrations)"
    ).fetchone()
    connection.close()
    assert counts[:2] == (38, 514)
    (data / "media" / "catalogue").mkdir(parents=True)
    (data / "media" / "catalogue" / "batik.png").write_bytes(b"\x89PNG batik")
    media_at_backup = media_tree(data / "media")
    database_at_backup = dump(database)

    backup = tmp_path / "backups" / "2026-05-09"
    out = niaga_run("backup", str(backup))
    assert f"Backup written to {backup}" in out
    assert f"Uploads:  {backup / 'media'} (1 file, {len(b'\x89PNG batik')} bytes)" in out

    # Things go wrong after the backup: rows lost, uploads changed.
    connection = connect(database)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("DELETE FROM regions_regency WHERE code LIKE '35.%'")
    connection.close()
    (data / "media" / "catalogue" / "batik.png").write_bytes(b"overwritten")
    (data / "media" / "stray.txt").write_bytes(b"stray")

    out = niaga_run("restore", "--yes", str(backup))
    assert "Checks passed." in out
    assert "The restored database has every migration of this installation." in out
    assert dump(database) == database_at_backup
    assert media_tree(data / "media") == media_at_backup
    connection = connect(database)
    assert connection.execute("SELECT count(*) FROM regions_regency").fetchone() == (514,)
    assert connection.execute("SELECT count(*) FROM django_migrations").fetchone() == (counts[2],)
    connection.close()
