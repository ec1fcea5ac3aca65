"""`niaga backup DEST`: a consistent copy of the SQLite database and the uploads.

The logic lives in `niaga.core.backup`; this command finds the live data in
the settings and reports what it wrote. PostgreSQL installations are refused
with a pointer to `pg_dump` (docs/operations.md).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import niaga
from niaga.core.backup import (
    BackupError,
    count_label,
    create_backup,
    size_label,
    sqlite_database_path,
)


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the SQLite database, the uploads and a manifest with "
        "checksums into DEST (a new or empty folder). Safe while Niaga is running."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path, help="a folder that does not exist yet or is empty")

    def handle(self, *args, dest: Path, **options):
        try:
            database = sqlite_database_path(settings.DATABASES["default"], action="backup")
            result = create_backup(
                database=database,
                media_root=Path(settings.MEDIA_ROOT),
                dest=dest,
                niaga_version=niaga.__version__,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(
            f"Database: {result.database} ({size_label(result.database_size)}, "
            f"{count_label(len(result.migrations), 'migration')} applied, integrity ok)"
        )
        self.stdout.write(
            f"Uploads:  {result.folder / result.manifest['uploads']['folder']} "
            f"({count_label(len(result.uploads), 'file')}, {size_label(result.uploads_size)})"
        )
        for skipped in result.skipped:
            self.stderr.write(f"Not copied (not a plain file): {skipped}")
        self.stdout.write(f"Manifest: {result.folder / 'manifest.json'}")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {result.folder}"))
