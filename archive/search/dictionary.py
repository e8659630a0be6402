"""The word list the search tokenizer cuts with, loaded once per process.

rjieba's built-in dictionary plus the regional place and institution names
(``archive/dictionaries/places.txt``) and every reporter name in the
database, so that 赛罕区 or a reporter's full name stays one word at index
and at query time. Documents and queries must be cut with the same words; a
name that was added after an article was indexed (where it was cut into
pieces) is still found through the query's fallback to the phrase of its
pieces (:func:`archive.search.query.fallback_pieces`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable

import rjieba

from archive.parsing.topics import PLACES_FILE, dictionary_lines

# Frequency that makes a name win over jieba's cut of its characters.
NAME_FREQUENCY = 2000

_lock = threading.Lock()
_known_names: set[str] = set()
_reporters_loaded = False
# Counts changes to the word list, so caches of cuts know when to empty.
_version = 0


def version() -> int:
    return _version


@functools.cache
def segmenter() -> rjieba.Jieba:
    """The process's rjieba instance with the regional dictionary.

    It is not the parser's (``archive.parsing.topics.tokenizer``), which also
    keeps the topic lexicon's terms whole: documents and queries must be cut
    with one word list, and editing the topic lexicon must not change it."""
    instance = rjieba.Jieba()
    for fields in dictionary_lines(PLACES_FILE):
        frequency = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else NAME_FREQUENCY
        tag = fields[2] if len(fields) > 2 else "ns"
        instance.add_word(fields[0], frequency, tag)
    return instance


def add_names(names: Iterable[str]) -> int:
    """Add person names to the segmenter; returns how many were new."""
    global _version
    instance = segmenter()
    added = 0
    with _lock:
        for name in names:
            name = name.strip()
            if len(name) < 2 or name in _known_names:
                continue
            _known_names.add(name)
            instance.add_word(name, NAME_FREQUENCY, "nr")
            _version += 1
            added += 1
    return added


def load_reporter_names(force: bool = False) -> int:
    """Add every reporter name in the database, once per process."""
    global _reporters_loaded
    if _reporters_loaded and not force:
        return 0
    from archive.models import Reporter

    added = add_names(Reporter.objects.values_list("name", flat=True).iterator(chunk_size=5000))
    _reporters_loaded = True
    return added
