"""`niaga reindex_catalogue [--batch-size N]`: rebuild the catalogue's search index.

The index follows every product change made through the domain functions;
this is for loads that bypass them (the demo's bulk data, a restore, the
benchmark) and to repair the index if it ever drifted. It reads every
curated product, writes its terms anew and tells every app server that the
vocabulary changed. Running it again gives the same index.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from niaga.catalog.indexing import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the public catalogue's search index from the curated products."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="products per transaction (2000)"
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        verbosity = options["verbosity"]

        def progress(done: int, total: int) -> None:
            if verbosity >= 1:
                self.stdout.write(f"{done} of {total} curated products indexed")

        done = rebuild_index(batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Catalogue index rebuilt: {done} curated products."))
