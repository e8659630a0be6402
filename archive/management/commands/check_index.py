"""Report articles missing from the search index or indexed in an old version."""

from django.core.management.base import BaseCommand, CommandError

from archive import search

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Compare the search index with the database (missing, stale and orphaned articles) and report the index queue."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="apply the index queue, re-index missing and stale articles, drop orphaned ones",
        )

    def handle(self, *args, fix, **options):
        if fix:
            try:
                drained = search.drain_queue()
            except Exception as exc:
                raise CommandError(f"search index not updated, the changes stay queued ({exc})") from exc
            if drained:
                self.stdout.write(f"Applied {drained.rows} queued changes")
        status = search.queue_status()
        if status.length:
            self.stdout.write(
                f"{status.length} changes wait in the index queue, the oldest for {status.age_seconds:.0f} s"
            )
        else:
            self.stdout.write("The index queue is empty.")
        result = search.check()
        self.stdout.write(f"{result.database} articles in the database, {result.indexed} in the search index")
        for label, ids in (
            ("missing from the index", result.missing),
            ("stale in the index", result.stale),
            ("in the index but not in the database", result.orphaned),
        ):
            if ids:
                shown = ", ".join(str(pk) for pk in ids[:SHOWN]) + (" …" if len(ids) > SHOWN else "")
                self.stdout.write(f"{len(ids)} {label}: {shown}")
        if result.ok:
            self.stdout.write("The search index is up to date.")
            return
        if not fix:
            raise CommandError("the search index is out of step with the database; run check_index --fix")
        search.update_articles(result.missing + result.stale)
        search.remove_articles(result.orphaned)
        self.stdout.write(f"Fixed: {len(result.missing) + len(result.stale)} indexed, {len(result.orphaned)} removed")
