import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from archive import search
from archive.caching import bump_cache_generation
from archive.ingest import IngestError, ingest_file
from archive.issue_files import find_issue_files
from archive.management.arguments import iso_date

# Each issue's commit queues its articles for the index; the queue is drained
# every this many seconds (and at the end), so one index commit serves
# several issues, and readers keep their cached pages and searches between
# drains instead of losing them at every issue.
INDEX_INTERVAL = 5.0
# Ingest yields the processors to the web workers serving readers.
NICENESS = 10


class Command(BaseCommand):
    help = "Ingest issue files (files, directories or globs) into the archive and the search index."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--date",
            dest="issue_date",
            metavar="YYYY-MM-DD",
            type=iso_date,
            help="publication date YYYY-MM-DD (only with a single file)",
        )
        parser.add_argument("--replace", action="store_true", help="update an issue whose file content changed")
        parser.add_argument(
            "--paper",
            metavar="SLUG",
            help="the title the issues belong to (see add_paper); else a paper.toml beside the files names it",
        )
        parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
        parser.add_argument(
            "--nice",
            type=int,
            default=NICENESS,
            help=f"lower this process's scheduling priority by this much while it runs (default {NICENESS})",
        )
        parser.add_argument(
            "--index-interval",
            type=float,
            default=INDEX_INTERVAL,
            help=f"seconds between index commits while ingesting (default {INDEX_INTERVAL:g}; 0: after every file)",
        )

    def handle(self, *args, paths, issue_date, replace, paper, no_progress, index_interval, nice, **options):
        try:
            found = find_issue_files(paths)
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        for skipped in found.skipped:
            self.stderr.write(self.style.ERROR(f"error: {skipped.message}"))
        files = found.files
        if not files and not found.skipped:
            raise CommandError("no issue files found")
        if issue_date and len(files) > 1:
            raise CommandError("--date applies to one file; give a single file with it")

        progress = None
        if len(files) > 1 and not no_progress and sys.stderr.isatty():
            from tqdm import tqdm

            progress = tqdm(total=len(files), unit="file", file=sys.stderr)

        if nice > 0:
            os.nice(nice)
        # Articles an earlier run committed but did not get into the index
        # (it was killed, or the index was busy) go in first.
        self._drain(progress)
        counts = {"ingested": 0, "unchanged": 0, "failed": 0, "articles": 0, "flagged": 0}
        last_drain = time.monotonic()
        for path in files:
            try:
                # Pages go stale at each drain below, not at every issue.
                result = ingest_file(path, issue_date=issue_date, replace=replace, refresh_pages=False, paper=paper)
            except IngestError as exc:
                counts["failed"] += 1
                self._write(progress, self.style.ERROR(f"error: {exc}"), error=True)
            else:
                if result.status == "unchanged":
                    counts["unchanged"] += 1
                else:
                    counts["ingested"] += 1
                    counts["articles"] += result.articles_created
                    counts["flagged"] += result.articles_flagged
                self._write(progress, result.message)
            if progress:
                progress.update(1)
            if time.monotonic() - last_drain >= index_interval:
                self._drain(progress)
                last_drain = time.monotonic()
        index_ok = self._drain(progress, last=True)
        if counts["ingested"] and not index_ok:
            # The drains make pages stale; none did, but the issues are stored.
            bump_cache_generation()
        if progress:
            progress.close()

        summary = (
            f"{counts['ingested']} ingested, {counts['unchanged']} unchanged, {counts['failed']} failed; "
            f"{counts['articles']} articles created, {counts['flagged']} flagged for review"
        )
        if not index_ok:
            waiting = search.queue_status().length
            summary += f"; {waiting} articles wait for the search index: run manage.py drain_index"
        if found.skipped:
            summary += f"; {len(found.skipped)} skipped"
        if counts["failed"] or found.skipped or not index_ok:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    _index_failed = False

    def _drain(self, progress, *, last=False) -> bool:
        """Apply the index queue; an index error is reported in one line and
        the rows stay queued for the next drain. After a failure only the
        last drain tries again, so a locked index does not stall each file."""
        if self._index_failed and not last:
            return False
        try:
            search.drain_queue()
        except Exception as exc:
            self._index_failed = True
            self._write(
                progress,
                self.style.ERROR(f"error: search index not updated, the articles stay queued ({exc})"),
                error=True,
            )
            return False
        return True

    def _write(self, progress, message, error=False):
        if progress:
            progress.write(message, file=sys.stderr if error else sys.stdout)
        elif error:
            self.stderr.write(message)
        else:
            self.stdout.write(message)
