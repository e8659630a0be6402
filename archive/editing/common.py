"""What every editing action shares: the one-line error an editor reads,
and the step that ends each change that alters what readers see (its
articles queued for the search index in the change's own transaction, the
cached public pages made stale once it commits)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from archive import continuations, indexqueue


class EditingError(Exception):
    """An edit that cannot be made; the message is one line for the editor."""


# Up to this many articles are re-indexed before the editor's response goes
# out (the web layer drains the rows its request queued); more are left to
# the server's index drainer: re-indexing runs at roughly 150-250 articles a
# second, and a merge of a prolific reporter touches tens of thousands.
INLINE_INDEX_LIMIT = 500


def refresh_public_copies(article_ids: Iterable[int] = (), *, removed_ids: Iterable[int] = ()) -> None:
    """Queue ``article_ids`` (changed) and ``removed_ids`` (deleted) for the
    search index in the current transaction, and make cached public pages
    stale once it commits.

    The queue rows commit with the change, so a worker killed after the
    commit cannot leave search behind: the next drain applies them. The web
    layer drains a request's own rows after it (up to ``INLINE_INDEX_LIMIT``);
    the server's drainer takes the rest.
    """
    from archive.caching import bump_cache_generation

    # A changed part changes its whole story's index document (the first
    # part holds the text of all), and an edited mark can relink the issue.
    indexqueue.enqueue([*continuations.relink(article_ids), *removed_ids])
    transaction.on_commit(bump_cache_generation)
