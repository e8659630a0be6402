"""Rebuild the search index beside the live one and swap it in.

Replaces haystack's ``rebuild_index`` (which clears the index first, so
searches come back empty until it has finished).
"""

from django.core.management.base import BaseCommand, CommandError

from archive import search


class Command(BaseCommand):
    help = "Index every article into a fresh directory, then swap it in; search keeps working meanwhile."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=search.BATCH_SIZE)
        parser.add_argument("--workers", type=int, default=None, help="indexing processes (default: one per core)")
        # Accepted for compatibility with haystack's command; there is nothing to confirm.
        parser.add_argument("--noinput", "--no-input", action="store_true", help=argparse_suppress())
        parser.add_argument("--quiet", action="store_true", help="print only the summary")

    def handle(self, *args, batch_size, workers, quiet, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1")

        def progress(done, total):
            if not quiet and (done == total or done % (batch_size * 20) == 0):
                self.stderr.write(f"  {done}/{total} articles")

        try:
            result = search.rebuild(batch_size=batch_size, progress=progress, workers=workers)
        except search.IndexBusyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Indexed {result.articles} articles in {result.seconds:.1f} s "
            f"({result.rate:.0f}/s; {result.caught_up} changed during the build) into {result.directory}"
        )


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
