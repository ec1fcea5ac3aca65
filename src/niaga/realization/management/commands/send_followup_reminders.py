"""`niaga send_followup_reminders [--base-url URL] [--dry-run]`: today's follow-up e-mails.

Sends each responsible officer (or, for deals nobody is assigned, the
province's managers) one digest of the deals needing follow-up, at most once
a day per province: run it from cron as often as you like. See
`niaga.realization.reminders` and docs/operations.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from niaga.realization.reminders import send_followup_reminders


class Command(BaseCommand):
    help = (
        "E-mail each officer today's deals needing follow-up (one digest a day per "
        "province; safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="the site's address for links in the mail, e.g. https://niaga.example.go.id",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list the digests, send and record nothing"
        )

    def handle(self, *args, base_url: str, dry_run: bool, **options):
        outcome = send_followup_reminders(base_url=base_url, dry_run=dry_run)
        for line in outcome.lines:
            self.stdout.write(line)
        self.stdout.write(
            f"sent {outcome.sent}, already sent today {outcome.already_sent}, "
            f"without an e-mail address {outcome.no_address}, failed {outcome.failed}"
        )
