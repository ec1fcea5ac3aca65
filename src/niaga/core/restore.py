"""Restoring a backup made by `niaga.core.backup` into a SQLite installation.

See `niaga.core.backup` for what a backup folder holds. Guarantees:
- `check_backup` checks the whole backup first (manifest, checksums, integrity,
  migrations, uploads) and a restore changes nothing when any check fails.
- The restore writes the copy into the live database through SQLite's backup
  API, in one write transaction: a running server's connections see the old
  database or the restored one, never a mixture.
- The uploads are copied into a sibling folder first and swapped in by
  renaming, so a failure while copying leaves the old uploads in place.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from niaga.core.backup import (
    BUSY_TIMEOUT,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    OPERATIONS_DOC,
    BackupError,
    MigrationCatalogue,
    UploadFile,
    applied_migrations,
    copy_hashing,
    give_up_when_busy,
    integrity_problems,
    listing,
    open_read_only,
    size_and_sha256,
)


@dataclass(frozen=True)
class CheckedBackup:
    """A backup folder that passed every check of `check_backup`."""

    folder: Path
    manifest: dict[str, Any]
    database: Path
    database_size: int
    migrations: tuple[str, ...]
    uploads: tuple[UploadFile, ...]

    @property
    def uploads_size(self) -> int:
        return sum(upload.size for upload in self.uploads)


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    media_root: Path
    uploads: int
    # Migrations this installation has and the restored database has not applied.
    pending_migrations: tuple[str, ...]


# --- Checking a backup -----------------------------------------------------------


def check_backup(src: Path, *, catalogue: MigrationCatalogue) -> CheckedBackup:
    """Check a backup folder completely; BackupError names the first failed check.

    Checks, in order: the manifest is there and well formed; the database copy
    is there with the manifest's size and SHA-256; it passes `PRAGMA
    integrity_check`; its applied migrations are those the manifest lists and
    all known to `catalogue`; every upload is there with its size and SHA-256.
    Reads only; changes nothing.
    """
    src = Path(src).absolute()
    if not src.is_dir():
        raise BackupError(f"{src} is not a folder.")
    manifest = _read_manifest(src)
    database_entry = manifest["database"]
    database = src / database_entry["file"]
    if not database.is_file():
        raise BackupError(f"The database copy {database} named in the manifest is missing.")
    size, digest = size_and_sha256(database)
    if (size, digest) != (database_entry["size"], database_entry["sha256"]):
        raise BackupError(
            f"The database copy {database} does not match the manifest's checksum "
            f"(SHA-256 {digest}, {size} bytes; the manifest says "
            f"{database_entry['sha256']}, {database_entry['size']} bytes): "
            "it changed or was damaged after the backup was made."
        )
    problems = integrity_problems(database)
    if problems:
        raise BackupError(
            f"The database copy {database} fails PRAGMA integrity_check: {listing(problems)}"
        )
    try:
        migrations = applied_migrations(database)
    except sqlite3.Error as error:
        raise BackupError(f"Cannot read the migrations of {database}: {error}.") from error
    if list(migrations) != manifest["migrations"]:
        raise BackupError(
            f"The migrations recorded in {database} differ from those the manifest lists."
        )
    unknown = catalogue.unknown(migrations)
    if unknown:
        raise BackupError(
            f"This backup was made by Niaga {manifest['niaga_version']} and has "
            f"{len(unknown)} migration(s) applied that this installation does not know: "
            f"{listing(unknown)} Install that Niaga version (or a newer one) first, "
            "then restore."
        )
    uploads = _check_uploads(src / manifest["uploads"]["folder"], manifest["uploads"]["files"])
    return CheckedBackup(
        folder=src,
        manifest=manifest,
        database=database,
        database_size=size,
        migrations=migrations,
        uploads=uploads,
    )


def _read_manifest(src: Path) -> dict[str, Any]:
    path = src / MANIFEST_NAME
    if not path.is_file():
        raise BackupError(
            f"There is no {MANIFEST_NAME} in {src}: it is not a Niaga backup, "
            "or the backup did not finish."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} cannot be read: {error}.") from error
    try:
        _validate_manifest(manifest)
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"{path} is not a valid backup manifest: {error}") from error
    return manifest


def _validate_manifest(manifest: Any) -> None:
    """Raise ValueError (or KeyError, TypeError) naming the first field that is wrong."""

    def require(condition: bool, field: str, rule: str) -> None:
        if not condition:
            raise ValueError(f"{field} {rule}.")

    require(isinstance(manifest, dict), "the manifest", "must be a JSON object")
    require(manifest.get("format") == FORMAT, "format", f"must be {FORMAT!r}")
    version = manifest.get("format_version")
    require(isinstance(version, int), "format_version", "must be a whole number")
    require(
        version <= FORMAT_VERSION,
        "format_version",
        f"is {version}, newer than the {FORMAT_VERSION} this Niaga reads; "
        "restore with the Niaga version that made the backup (or a newer one)",
    )
    require(isinstance(manifest.get("niaga_version"), str), "niaga_version", "must be text")
    database = manifest.get("database")
    require(isinstance(database, dict), "database", "must be an object")
    name = database.get("file")
    require(
        isinstance(name, str) and _is_safe_relative(name) and "/" not in name,
        "database.file",
        "must be a file name",
    )
    require(_is_size(database.get("size")), "database.size", "must be a byte count")
    require(_is_sha256(database.get("sha256")), "database.sha256", "must be a SHA-256")
    migrations = manifest.get("migrations")
    require(
        isinstance(migrations, list) and all(isinstance(m, str) for m in migrations),
        "migrations",
        "must be a list of names",
    )
    uploads = manifest.get("uploads")
    require(isinstance(uploads, dict), "uploads", "must be an object")
    folder = uploads.get("folder")
    require(
        isinstance(folder, str) and _is_safe_relative(folder) and "/" not in folder,
        "uploads.folder",
        "must be a folder name",
    )
    files = uploads.get("files")
    require(isinstance(files, list), "uploads.files", "must be a list")
    seen = set()
    for index, entry in enumerate(files):
        field = f"uploads.files[{index}]"
        require(isinstance(entry, dict), field, "must be an object")
        path = entry.get("path")
        require(
            isinstance(path, str) and _is_safe_relative(path),
            f"{field}.path",
            "must be a relative path inside the uploads folder",
        )
        require(path not in seen, f"{field}.path", "is listed twice")
        seen.add(path)
        require(_is_size(entry.get("size")), f"{field}.size", "must be a byte count")
        require(_is_sha256(entry.get("sha256")), f"{field}.sha256", "must be a SHA-256")


def _is_safe_relative(path: str) -> bool:
    if not path or "\\" in path or "\x00" in path:
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and all(part not in ("", ".", "..") for part in pure.parts)


def _is_size(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_sha256(value: Any) -> bool:
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )


def _check_uploads(folder: Path, entries: list[dict[str, Any]]) -> tuple[UploadFile, ...]:
    uploads = []
    problems = []
    for entry in entries:
        path = folder / entry["path"]
        if path.is_symlink() or not path.is_file():
            problems.append(f"{entry['path']} is missing")
            continue
        size, digest = size_and_sha256(path)
        if (size, digest) != (entry["size"], entry["sha256"]):
            problems.append(f"{entry['path']} does not match its checksum")
            continue
        uploads.append(UploadFile(path=entry["path"], size=size, sha256=digest))
    if problems:
        raise BackupError(
            f"{len(problems)} of the {len(entries)} uploads in {folder} cannot be restored: "
            f"{listing(problems)}"
        )
    return tuple(uploads)


# --- Restore ----------------------------------------------------------------------


def restore_backup(
    checked: CheckedBackup,
    *,
    database: Path,
    media_root: Path,
    catalogue: MigrationCatalogue,
    busy_timeout: float = BUSY_TIMEOUT,
) -> RestoreResult:
    """Replace the live database and uploads with those of a checked backup.

    Steps: copy the uploads into a new sibling folder of `media_root` (checking
    each checksum again); write the database copy into `database` with the
    backup API, in one write transaction; swap the new uploads folder in by
    renaming and delete the old one.
    Errors: BackupError. Before the database is written a failure changes
    nothing; a failure of the final swap says so and where the uploads are.
    """
    database = Path(database).absolute()
    media_root = Path(os.path.realpath(media_root))
    if media_root.exists() and not media_root.is_dir():
        raise BackupError(f"The uploads folder {media_root} is not a folder.")
    if media_root.is_dir() and os.path.ismount(media_root):
        raise BackupError(
            f"The uploads folder {media_root} is a mount point and cannot be swapped; "
            f"mount its parent instead ({OPERATIONS_DOC})."
        )
    try:
        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent)
        )
    except OSError as error:
        raise BackupError(
            f"Cannot create a folder beside {media_root} for the restored uploads: "
            f"{error.strerror}."
        ) from error

    try:
        _stage_uploads(checked, staging, like=media_root)
        _write_live_database(checked.database, database, busy_timeout=busy_timeout)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    try:
        _swap_in(staging, media_root)
    except OSError as error:
        raise BackupError(
            f"The database was restored, but the uploads could not be swapped in "
            f"({error}). The restored uploads are in {staging}; the old ones are still "
            f"in {media_root}. Replace the one with the other by hand."
        ) from error

    pending = catalogue.pending(applied_migrations(database))
    return RestoreResult(
        database=database,
        media_root=media_root,
        uploads=len(checked.uploads),
        pending_migrations=tuple(pending),
    )


def _stage_uploads(checked: CheckedBackup, staging: Path, *, like: Path) -> None:
    source_folder = checked.folder / checked.manifest["uploads"]["folder"]
    for upload in checked.uploads:
        destination = staging / upload.path
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            size, digest = copy_hashing(source_folder / upload.path, destination)
        except OSError as error:
            raise BackupError(
                f"Copying the upload {upload.path} failed: {error}; nothing was changed."
            ) from error
        if (size, digest) != (upload.size, upload.sha256):
            raise BackupError(
                f"The upload {upload.path} changed in the backup while it was being "
                "restored; nothing was changed."
            )
    # mkdtemp makes a private folder; the uploads folder keeps its usual permissions.
    mode = like.stat().st_mode & 0o7777 if like.is_dir() else 0o755
    staging.chmod(mode)


def _write_live_database(source: Path, database: Path, *, busy_timeout: float) -> None:
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        backup = open_read_only(source)
        try:
            live = sqlite3.connect(database, isolation_level=None, timeout=busy_timeout)
            try:
                # One write transaction on the live database: other connections
                # see the old content until it commits and the restored content after.
                backup.backup(live, progress=give_up_when_busy(database, busy_timeout))
                # Move the restored pages from the WAL into the database file if no
                # reader is in the way; otherwise a later checkpoint does it.
                live.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                live.close()
        finally:
            backup.close()
    except sqlite3.Error as error:
        raise BackupError(
            f"Writing the backup into {database} failed ({error}); the database is unchanged."
        ) from error


def _swap_in(staging: Path, media_root: Path) -> None:
    if not media_root.exists():
        os.rename(staging, media_root)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-old-", dir=media_root.parent))
    old.rmdir()  # only the unique name is wanted; rename needs it free
    os.rename(media_root, old)
    try:
        os.rename(staging, media_root)
    except OSError:
        os.rename(old, media_root)
        raise
    shutil.rmtree(old, ignore_errors=True)
