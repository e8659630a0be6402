"""Full-text search: the one interface the rest of the archive uses.

Code outside this package imports from here (and query objects from
:mod:`archive.search.query`), never from the engine's own modules.
"""

from archive.search.indexing import index_version

__all__ = ["index_version"]
