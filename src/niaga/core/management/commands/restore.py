"""`niaga restore SRC`: put a backup made by `niaga backup` back in place.

The whole backup is checked before anything changes; then the database is
written through SQLite's backup API and the uploads folder is swapped. The
logic lives in `niaga.core.backup`. PostgreSQL installations are refused with
a pointer to `pg_restore` (docs/operations.md).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from niaga.core.backup import (
    BackupError,
    MigrationCatalogue,
    count_label,
    size_label,
    sqlite_database_path,
)
from niaga.core.restore import check_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the SQLite database and the uploads with a backup made by `niaga backup`, "
        "after checking the backup completely."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path, help="a folder written by `niaga backup`")
        parser.add_argument(
            "--yes",
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, src: Path, interactive: bool, **options):
        try:
            database = sqlite_database_path(settings.DATABASES["default"], action="restore")
            catalogue = MigrationCatalogue.from_disk()
            checked = check_backup(src, catalogue=catalogue)
        except BackupError as error:
            raise CommandError(f"{error} Nothing was changed.") from error

        media_root = Path(settings.MEDIA_ROOT)
        manifest = checked.manifest
        self.stdout.write(
            f"Backup {checked.folder}: made {manifest['created_at']} by Niaga "
            f"{manifest['niaga_version']}; database {size_label(checked.database_size)}, "
            f"{count_label(len(checked.migrations), 'migration')}, "
            f"{count_label(len(checked.uploads), 'uploaded file')} "
            f"({size_label(checked.uploads_size)}). Checks passed."
        )
        if interactive:
            self.stdout.write(
                f"This replaces the database {database} and everything in {media_root}."
            )
            try:
                answer = input("Type 'yes' to restore, anything else to cancel: ")
            except EOFError:
                answer = ""
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")

        # This process holds no connection of its own into the file being replaced.
        connections.close_all()
        try:
            result = restore_backup(
                checked, database=database, media_root=media_root, catalogue=catalogue
            )
        except BackupError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database {result.database} and "
                f"{count_label(result.uploads, 'uploaded file')} into {result.media_root}."
            )
        )
        pending = result.pending_migrations
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    f"The restored database lacks {count_label(len(pending), 'migration')} of this "
                    f"installation ({', '.join(pending)}): run `niaga migrate` now."
                )
            )
        else:
            self.stdout.write("The restored database has every migration of this installation.")
