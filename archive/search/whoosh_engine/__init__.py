"""The archive's embedded search engine: haystack's Whoosh backend, with
query evaluation, scoring and facet counting done on Whoosh's own index
files, proven against Whoosh's own searcher and writer (the differential
tests in ``tests/test_search_differential.py``).

Modules, by job (each states its invariants at the top):

* :mod:`.backend` — haystack's hooks: the schema, ``search()``, the writer;
* :mod:`.reader` — the version of the index a worker reads, and the caches
  tied to a version or to a segment;
* :mod:`.postings` — reading Whoosh's posting blocks, columns and deletions
  (every private attribute of Whoosh's reading side is used there only);
* :mod:`.evaluation` — queries as sets of documents, phrases, date order;
* :mod:`.scoring` — BM25F scores and the top of a ranking;
* :mod:`.facets` — facet value sets and counts;
* :mod:`.bulk_writer` — the rebuild's segment writer;
* :mod:`.generations` — generation directories and the symlink swap;
* :mod:`.version` — the Whoosh version all this was proven against.

Nothing outside ``archive/search/`` imports these modules; settings name
:class:`ArchiveWhooshEngine` as haystack's engine.
"""

from archive.search.whoosh_engine.backend import ArchiveWhooshBackend, ArchiveWhooshEngine, IndexBusyError

__all__ = ["ArchiveWhooshBackend", "ArchiveWhooshEngine", "IndexBusyError"]
