"""Full-text search: the one interface the rest of the archive uses.

Code outside this package imports from here (and query objects from
:mod:`archive.search.query`), never from the engine's own modules.
"""

from archive.search.backend import IndexBusyError
from archive.search.indexing import index_version
from archive.search.queue import DrainResult, QueueStatus, drain_queue, follow_queue, queue_status

__all__ = [
    "DrainResult",
    "IndexBusyError",
    "QueueStatus",
    "drain_queue",
    "follow_queue",
    "index_version",
    "queue_status",
]
