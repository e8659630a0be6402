"""haystack's Whoosh engine with the archive's Chinese analysis."""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend


class ArchiveWhooshBackend(WhooshSearchBackend):
    pass


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
