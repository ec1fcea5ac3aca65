"""Backups of a SQLite installation: a consistent database copy, the uploads, a manifest.

A backup folder holds three things:

    manifest.json     what the backup holds, with checksums (written last)
    niaga.sqlite3     the database, copied with SQLite's online backup API
    media/            the uploads, file by file

Guarantees:
- The database copy is one transactionally consistent snapshot, taken while
  the application may be running and committing (WAL mode lets writers go on
  while the snapshot is read). It is a single self-contained file (rollback
  journal mode) that passed `PRAGMA integrity_check` before the manifest names it.
- A folder without `manifest.json` is an unfinished backup; restore refuses it.
- A restore checks the whole backup first (manifest, checksums, integrity,
  migrations, uploads) and changes nothing when any check fails.
- The restore writes the copy into the live database through the backup API
  as well, in one write transaction: a running server's connections see the
  old database or the restored one, never a mixture.
- The uploads are copied into a sibling folder first and swapped in by
  renaming, so a failure while copying leaves the old uploads in place.

The database snapshot and the uploads are read one after the other; an upload
saved during the backup may or may not be in it. PostgreSQL installations use
`pg_dump`/`pg_restore` instead (docs/operations.md).

Nothing here needs Django's command machinery; `MigrationCatalogue.from_disk`
needs Django's apps to be loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

FORMAT = "niaga-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
UPLOADS_FOLDER = "media"
# Seconds a connection waits for another connection's lock before giving up.
BUSY_TIMEOUT = 20.0
OPERATIONS_DOC = "docs/operations.md"

_CHUNK = 1024 * 1024
MAX_LISTED_PROBLEMS = 10


class BackupError(Exception):
    """A backup or restore that cannot go ahead. The message is for the operator.

    Unless the message says otherwise, nothing was changed: a failed backup
    removes what it wrote, a refused restore touched neither the database nor
    the uploads.
    """


class UnsupportedDatabase(BackupError):
    """The installation's database is not a SQLite file."""


@dataclass(frozen=True)
class UploadFile:
    path: str  # relative, with forward slashes
    size: int
    sha256: str

    def as_manifest(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    database: Path
    database_size: int
    migrations: tuple[str, ...]
    uploads: tuple[UploadFile, ...]
    # Uploads not copied: symbolic links and other entries that are not plain files.
    skipped: tuple[str, ...]
    manifest: dict[str, Any]

    @property
    def uploads_size(self) -> int:
        return sum(upload.size for upload in self.uploads)


@dataclass(frozen=True)
class MigrationCatalogue:
    """The migrations this installation ships, named `app_label.migration_name`.

    `nodes` maps each migration of the graph to the migrations it replaces
    (a squashed migration replaces several; an ordinary one replaces none).
    """

    nodes: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_disk(cls) -> MigrationCatalogue:
        """The migrations of the installed apps, read from disk (no database needed)."""
        from django.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(None, ignore_no_migrations=True)
        # Without a connection the loader counts nothing as applied, so each
        # squashed migration stands in the graph for the ones it replaces.
        return cls(
            nodes={
                _migration_name(key): tuple(_migration_name(r) for r in migration.replaces)
                for key, migration in loader.graph.nodes.items()
            }
        )

    def known(self) -> frozenset[str]:
        names = set(self.nodes)
        for replaced in self.nodes.values():
            names.update(replaced)
        return frozenset(names)

    def unknown(self, applied: Iterable[str]) -> list[str]:
        """Applied migrations this installation does not know (made by a newer Niaga)."""
        known = self.known()
        return [name for name in applied if name not in known]

    def pending(self, applied: Iterable[str]) -> list[str]:
        """Migrations `niaga migrate` would still apply to a database with `applied`.

        A squashed migration counts as applied when all the migrations it
        replaces are, as Django's migration loader counts it.
        """
        done = set(applied)
        return sorted(
            name
            for name, replaces in self.nodes.items()
            if name not in done and not (replaces and all(r in done for r in replaces))
        )


def _migration_name(key: tuple[str, str]) -> str:
    return f"{key[0]}.{key[1]}"


def count_label(count: int, noun: str) -> str:
    """`1 file`, `3 files`: English plurals for the commands' reports."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def size_label(size: int) -> str:
    """A byte count as an operator reads it: `1.5 MB (1,572,864 bytes)`."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            break
        value /= 1024
    if unit == "bytes":
        return f"{size:,} bytes"
    return f"{value:.1f} {unit} ({size:,} bytes)"


# --- Where the live data is ---------------------------------------------------


def sqlite_database_path(
    database: Mapping[str, Any], *, action: Literal["backup", "restore"]
) -> Path:
    """The SQLite file of a Django database setting, or UnsupportedDatabase for anything else."""
    engine = str(database.get("ENGINE", ""))
    if "postgresql" in engine:
        if action == "backup":
            advice = "back it up with `pg_dump -Fc` and copy NIAGA_DATA_DIR/media separately"
        else:
            advice = "restore a `pg_dump -Fc` file with `pg_restore` and copy the uploads back"
        raise UnsupportedDatabase(
            f"This installation uses PostgreSQL (DATABASE_URL), and `niaga {action}` "
            f"handles SQLite only: {advice}, as {OPERATIONS_DOC} describes."
        )
    if engine != "django.db.backends.sqlite3":
        raise UnsupportedDatabase(
            f"`niaga {action}` handles SQLite databases only; this one uses {engine!r}."
        )
    name = str(database.get("NAME", ""))
    if not name or name == ":memory:" or "mode=memory" in name:
        raise UnsupportedDatabase(f"The SQLite database {name!r} is not a file.")
    return Path(name)


# --- Backup ---------------------------------------------------------------------


def create_backup(
    *,
    database: Path,
    media_root: Path,
    dest: Path,
    niaga_version: str,
    on_snapshot: Callable[[], None] | None = None,
    busy_timeout: float = BUSY_TIMEOUT,
) -> BackupResult:
    """Write a backup of `database` and the uploads in `media_root` into `dest`.

    Preconditions: `dest` does not exist or is an empty folder, and is not
    inside `media_root`; `database` exists. The live database is only read.
    `on_snapshot` is called while the database snapshot is held, before any
    page is copied (tests commit rows there to prove they stay out).
    Errors: BackupError; whatever was written to `dest` is removed again.
    """
    dest = Path(dest).absolute()
    media_root = Path(media_root).absolute()
    database = Path(database).absolute()
    _check_destination(dest, media_root)
    if not database.is_file():
        raise BackupError(f"There is no database at {database}; run `niaga migrate` to create one.")

    created = not dest.exists()
    try:
        # A backup holds session keys, password hashes and personal data: owner only.
        dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Cannot create {dest}: {error.strerror}.") from error
    try:
        return _write_backup(
            database=database,
            media_root=media_root,
            dest=dest,
            niaga_version=niaga_version,
            on_snapshot=on_snapshot,
            busy_timeout=busy_timeout,
        )
    except BaseException:
        _remove_written(dest, remove_folder=created)
        raise


def _check_destination(dest: Path, media_root: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise BackupError(f"{dest} exists and is not a folder; name a new or empty folder.")
    if dest.is_dir() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty; name a new or empty folder.")
    if dest.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(
            f"{dest} is inside the uploads folder {media_root}; "
            "a backup cannot be kept among the files it copies."
        )


def _write_backup(
    *,
    database: Path,
    media_root: Path,
    dest: Path,
    niaga_version: str,
    on_snapshot: Callable[[], None] | None,
    busy_timeout: float,
) -> BackupResult:
    copy = dest / database.name
    snapshot_at = _snapshot_database(
        database, copy, on_snapshot=on_snapshot, busy_timeout=busy_timeout
    )
    problems = integrity_problems(copy)
    if problems:
        raise BackupError(
            "The copy of the database fails PRAGMA integrity_check, so the live database "
            f"{database} is probably damaged: {listing(problems)}"
        )
    migrations = applied_migrations(copy)
    size, digest = size_and_sha256(copy)

    uploads, skipped = _copy_uploads(media_root, dest / UPLOADS_FOLDER)

    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "niaga_version": niaga_version,
        "created_at": snapshot_at.isoformat(timespec="seconds"),
        "database": {
            "file": copy.name,
            "size": size,
            "sha256": digest,
            "sqlite_version": sqlite3.sqlite_version,
        },
        "migrations": list(migrations),
        "uploads": {
            "folder": UPLOADS_FOLDER,
            "count": len(uploads),
            "size": sum(upload.size for upload in uploads),
            "files": [upload.as_manifest() for upload in uploads],
        },
    }
    # The manifest is written last and renamed into place: its presence says
    # the backup is complete.
    partial = dest / (MANIFEST_NAME + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, dest / MANIFEST_NAME)
    return BackupResult(
        folder=dest,
        database=copy,
        database_size=size,
        migrations=migrations,
        uploads=uploads,
        skipped=skipped,
        manifest=manifest,
    )


def _snapshot_database(
    database: Path,
    target: Path,
    *,
    on_snapshot: Callable[[], None] | None,
    busy_timeout: float,
) -> datetime:
    """Copy the database from one snapshot; returns when (UTC) the snapshot was taken."""
    source = sqlite3.connect(database, isolation_level=None, timeout=busy_timeout)
    try:
        # The first read of an open transaction fixes the snapshot; the backup
        # API copies from this connection's open read transaction, so every page
        # comes from the same committed state. In WAL mode writers go on meanwhile.
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        snapshot_at = datetime.now(UTC)
        if on_snapshot is not None:
            on_snapshot()
        copy = sqlite3.connect(target, isolation_level=None)
        try:
            source.backup(copy, progress=give_up_when_busy(database, busy_timeout))
            # A single file that can be copied, checksummed and opened read-only.
            copy.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            copy.close()
        source.execute("ROLLBACK")
        return snapshot_at
    except sqlite3.Error as error:
        raise BackupError(f"Copying the database {database} failed: {error}.") from error
    finally:
        source.close()


def give_up_when_busy(database: Path, busy_timeout: float) -> Callable[[int, int, int], None]:
    """A backup progress callback that stops a copy blocked by another connection's lock.

    SQLite has already waited `busy_timeout` (the connection's busy handler)
    before a step reports BUSY or LOCKED; Python's backup loop would retry forever.
    """

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise BackupError(
                f"The database {database} stayed locked by another connection for "
                f"{busy_timeout:g} s; nothing was changed. Try again when it is less busy."
            )

    return progress


def integrity_problems(database: Path) -> list[str]:
    """What `PRAGMA integrity_check` reports for a database file; empty when it is ok."""
    try:
        connection = open_read_only(database)
    except sqlite3.Error as error:
        return [str(error)]
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        connection.close()
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


def applied_migrations(database: Path) -> tuple[str, ...]:
    """The migrations recorded in a database's `django_migrations`, in the order applied."""
    connection = open_read_only(database)
    try:
        exists = connection.execute(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
        if not exists:
            return ()
        rows = connection.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return tuple(f"{app}.{name}" for app, name in rows)
    finally:
        connection.close()


def open_read_only(database: Path) -> sqlite3.Connection:
    uri = Path(database).absolute().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def _copy_uploads(media_root: Path, target: Path) -> tuple[tuple[UploadFile, ...], tuple[str, ...]]:
    target.mkdir()
    uploads: list[UploadFile] = []
    skipped: list[str] = []
    if not media_root.is_dir():
        return (), ()
    for folder, subfolders, files in os.walk(media_root):
        subfolders.sort()
        here = Path(folder)
        for name in sorted(files):
            source = here / name
            relative = source.relative_to(media_root).as_posix()
            if source.is_symlink() or not source.is_file():
                skipped.append(relative)
                continue
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                size, digest = copy_hashing(source, destination)
            except FileNotFoundError:
                continue  # deleted since the folder was listed: it is no longer an upload
            uploads.append(UploadFile(path=relative, size=size, sha256=digest))
        # Symbolic links to folders are not followed (os.walk's default) but reported.
        for name in subfolders:
            if (here / name).is_symlink():
                skipped.append((here / name).relative_to(media_root).as_posix())
    uploads.sort(key=lambda upload: upload.path)
    return tuple(uploads), tuple(skipped)


def copy_hashing(source: Path, destination: Path) -> tuple[int, str]:
    """Copy a file, returning the size and SHA-256 of the bytes written.

    Hashing what is written (not the source before or after) keeps the
    checksum true to the copy even if the source changes meanwhile.
    """
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, destination.open("wb") as writer:
        while chunk := reader.read(_CHUNK):
            writer.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    shutil.copystat(source, destination)
    return size, digest.hexdigest()


def size_and_sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as reader:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _remove_written(dest: Path, *, remove_folder: bool) -> None:
    if remove_folder:
        shutil.rmtree(dest, ignore_errors=True)
        return
    for child in dest.iterdir() if dest.is_dir() else ():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def listing(items: list[str]) -> str:
    shown = "; ".join(items[:MAX_LISTED_PROBLEMS])
    more = len(items) - MAX_LISTED_PROBLEMS
    return f"{shown}{f' (and {more} more)' if more > 0 else ''}."
