"""`niaga rotate_personal_keys [--batch-size N] [--dry-run]`: personal data under the current keys.

After a new key was put first in NIAGA_PERSONAL_DATA_KEYS (and every app
server restarted with it), this re-encrypts every registered encrypted column
(`niaga.core.personal_data.ENCRYPTED_COLUMNS`) under that key. After a change
of NIAGA_LOOKUP_KEY it recomputes every look-up hash. Then the old keys may
be removed. Running it again changes nothing; `--dry-run` only counts, which
is how to check that nothing is left before removing a key.
`--new-key` prints a fresh Fernet key and touches nothing.

The logic lives in `niaga.core.personal_data.rotate_column`; this command
walks the registry, reports counts and writes one audit event per run.
"""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from niaga.audit.domain import record
from niaga.core import personal_data
from niaga.core.backup import count_label


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data under the first key of NIAGA_PERSONAL_DATA_KEYS and "
        "recompute look-up hashes with NIAGA_LOOKUP_KEY. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=personal_data.DEFAULT_BATCH_SIZE,
            help=f"rows per transaction ({personal_data.DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would change, change nothing"
        )
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="print a new key for NIAGA_PERSONAL_DATA_KEYS and stop",
        )

    def handle(self, *args, batch_size: int, dry_run: bool, new_key: bool, **options):
        if new_key:
            # Alone on its line, so a script can take it with `tail -n 1`.
            self.stdout.write(Fernet.generate_key().decode("ascii"))
            return
        if batch_size < 1:
            raise CommandError(f"--batch-size must be at least 1, not {batch_size}")

        previous = personal_data.has_previous_lookup_key()
        self.stdout.write(
            f"Keys: {count_label(personal_data.key_count(), 'personal-data key')} "
            "(the first encrypts); look-up key"
            + (" and NIAGA_LOOKUP_KEY_PREVIOUS" if previous else "")
        )
        if dry_run:
            self.stdout.write("Dry run: nothing will be changed.")
        if not personal_data.ENCRYPTED_COLUMNS:
            self.stdout.write("No encrypted columns are registered.")

        results = []
        for column in personal_data.ENCRYPTED_COLUMNS:
            try:
                model = apps.get_model(column.model)
            except (LookupError, ValueError) as error:
                raise CommandError(f"Registered column {column.model}: {error}") from error
            try:
                result = personal_data.rotate_column(
                    model,
                    column.encrypted_field,
                    column.hash_field,
                    column.kind,
                    batch_size=batch_size,
                    dry_run=dry_run,
                )
            except personal_data.DecryptionError as error:
                raise CommandError(str(error)) from error
            results.append(result)
            self.stdout.write(self._line(result, dry_run=dry_run))

        if dry_run:
            pending = sum(result.changed for result in results)
            self.stdout.write(
                f"{count_label(pending, 'row')} to change."
                if pending
                else "Nothing to change: every value is under the current keys."
            )
            return

        with transaction.atomic(), scopes_disabled():
            record(
                actor=None,
                action="core.personal_keys.rotated",
                province=None,
                after={
                    "columns": [result.as_dict() for result in results],
                    "personal_data_keys": personal_data.key_count(),
                    "lookup_key_previous_set": previous,
                },
            )
        self.stdout.write(self.style.SUCCESS("Every value is under the current keys."))
        if personal_data.key_count() > 1:
            self.stdout.write(
                "The keys after the first in NIAGA_PERSONAL_DATA_KEYS (or the key file) "
                "are no longer needed: remove them, then restart the app servers."
            )
        if previous:
            self.stdout.write(
                "NIAGA_LOOKUP_KEY_PREVIOUS is no longer needed: unset it, then restart "
                "the app servers."
            )

    def _line(self, result: personal_data.ColumnRotation, *, dry_run: bool) -> str:
        if dry_run:
            words = ("to re-encrypt", "hashes to recompute", "hashes to repair")
        else:
            words = ("re-encrypted", "hashes recomputed", "hashes repaired")
        return (
            f"{result.label}: {count_label(result.values, 'value')}, "
            f"{words[0]} {result.reencrypted:,}, "
            f"{words[1]} {result.rehashed:,} (from NIAGA_LOOKUP_KEY_PREVIOUS), "
            f"{words[2]} {result.repaired:,} (missing, or matching neither look-up key)"
        )
