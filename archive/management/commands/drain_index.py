"""Apply the durable index queue to the search index (and, first, remove
the directories a killed rebuild_index left)."""

import os
import signal

from django.core.management.base import BaseCommand, CommandError

from archive import search


class Command(BaseCommand):
    help = (
        "Bring the search index in step with the database: apply the queued changes. "
        "With --follow, keep doing so as changes arrive (the server's drainer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--follow", action="store_true", help="keep draining until stopped (SIGTERM or SIGINT)")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between looks at the queue with --follow")
        parser.add_argument(
            "--parent",
            type=int,
            default=None,
            help="with --follow, stop when the process with this id (the server) is gone",
        )

    def handle(self, *args, follow, poll, parent, **options):
        if poll <= 0:
            raise CommandError("--poll must be more than 0")
        # At the server's start: what a killed rebuild_index left behind.
        for directory in search.remove_abandoned_builds():
            self.stdout.write(f"removed {directory}, left by a rebuild that was stopped")
        if not follow:
            try:
                result = search.drain_queue()
            except Exception as exc:
                raise CommandError(f"search index not updated, the changes stay queued ({exc})") from exc
            status = search.queue_status()
            self.stdout.write(
                f"{result.rows} queued changes applied: {result.indexed} articles indexed, "
                f"{result.removed} removed; {status.length} waiting"
            )
            return
        # Stopping mid-batch is safe: the batch's rows stay queued until the
        # index has committed them, so there is nothing to finish first.
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, _exit)

        def should_stop():
            return parent is not None and os.getppid() != parent

        def report(result):
            self.stdout.write(f"index queue: {result.indexed} articles indexed, {result.removed} removed")
            self.stdout.flush()

        self.stdout.write(f"draining the index queue every {poll:g} s until stopped")
        self.stdout.flush()
        search.follow_queue(poll_seconds=poll, should_stop=should_stop, on_drained=report)


def _exit(number, frame):
    raise SystemExit(0)
