"""The archive's embedded Whoosh engine over its life: what it caches across
commits and merges, what a refreshed searcher sees, that reading never
writes, and the Whoosh version it was proven against.

These tests write documents straight into the configured index with
Whoosh's own writer (no database), and are skipped when another engine is
configured."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from haystack import connections
from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

PROJECT_DIR = Path(__file__).resolve().parent.parent


def embedded_backend():
    backend = connections["default"].get_backend()
    if not hasattr(backend, "segment_cache"):
        pytest.skip("the archive's embedded Whoosh engine is not the configured engine")
    return backend


def document(number: int, topic: str = "经济") -> dict:
    return {
        "id": f"archive.article.{number}",
        "django_ct": "archive.article",
        "django_id": str(number),
        "text": f"第{number}号文章 养老服务 呼和浩特 发展 编号{number}",
        "headline": f"测试标题{number}",
        "issue_date": datetime.datetime(2024, 1, 1) + datetime.timedelta(days=number % 30),
        "topic_exact": topic,
        "kind_exact": "news",
    }


def commit(path, numbers=(), delete=(), mergetype=None, topic: str = "经济") -> None:
    """One commit of Whoosh's own writer: add ``numbers`` (under ``topic``),
    delete ``delete``, no merge unless ``mergetype`` says which segments to
    merge."""
    if not whoosh_index.exists_in(str(path)):
        os.makedirs(path, exist_ok=True)
        backend = embedded_backend()
        backend.setup()
        whoosh_index.create_in(str(path), backend.schema)
    writer = whoosh_index.open_dir(str(path)).writer()
    for number in delete:
        writer.delete_by_term("id", f"archive.article.{number}")
    for number in numbers:
        writer.add_document(**document(number, topic))
    if mergetype is None:
        writer.commit(merge=False)
    else:
        writer.commit(mergetype=mergetype)


def merge_first_segment(writer, segments):
    """A merge policy: the first segment's documents move into the new
    segment, so every later segment starts at a lower document number."""
    writer.add_reader(SegmentReader(writer.storage, writer.schema, segments[0]))
    return segments[1:]


def found(backend, text: str) -> set[str]:
    results = backend.search(text, end_offset=100)["results"]
    return {result.pk for result in results}


def test_a_merge_keeps_one_cache_entry_per_segment_and_value(clean_index):
    backend = embedded_backend()
    path = os.path.realpath(clean_index)
    commit(path, range(0, 3))
    commit(path, range(3, 40))
    commit(path, range(40, 43))
    assert backend.search("养老", facets=["topic_exact"])["facets"]["fields"]["topic_exact"] == [("经济", 43)]
    # The first segment merges away: the second one now starts at 0.
    commit(path, mergetype=merge_first_segment)
    assert backend.search("养老", facets=["topic_exact"])["facets"]["fields"]["topic_exact"] == [("经济", 43)]
    live = {leaf.segment().segment_id() for leaf, _offset in backend.searcher().reader().leaf_readers()}
    entries = backend.segment_cache.entries()
    assert {segment for segment, _what in entries} <= live
    assert len(entries) == len(set(entries)), entries


def test_a_phrase_is_matched_after_every_document_of_its_words_in_a_segment_is_deleted(clean_index):
    # The words' documents are kept per segment, deleted ones included; the
    # phrase check then reads the words' positions afresh. Whoosh's reader
    # skips deleted documents at the head of a posting list (all of it, here),
    # and the engine must still read the list whole.
    backend = embedded_backend()
    path = os.path.realpath(clean_index)
    commit(path, range(0, 40))
    writer = whoosh_index.open_dir(path).writer()
    for number in (40, 41, 42):
        fields = document(number)
        if number != 42:
            fields["text"] += " 草原 牧歌"
        writer.add_document(**fields)
    writer.commit(merge=False)
    assert found(backend, "草原") == found(backend, "牧歌") == {"40", "41"}
    commit(path, delete=[40, 41])
    assert found(backend, '"草原 牧歌"') == set()
    assert found(backend, "草原") == set()
    assert found(backend, "编号42") == {"42"}


# Every kind of answer the engine keeps per segment: a word's documents and
# BM25F postings, a phrase, a NOT, facet sets, lengths, date order.
EVERY_KIND = [
    ("养老", {"facets": ["topic_exact", "kind_exact"]}),
    ('"养老服务 呼和浩特"', {}),
    ("发展 NOT 编号7", {}),
    ("呼和浩特", {"sort_by": ["-issue_date"], "facets": ["topic_exact"]}),
    ("编号5", {}),
]


def search_every_kind(backend) -> list:
    return [backend.search(text, end_offset=100, **options) for text, options in EVERY_KIND]


def pks(result) -> list[str]:
    return [hit.pk for hit in result["results"]]


def test_a_small_commit_reads_only_its_new_segment_and_the_deletions_are_seen(clean_index):
    backend = embedded_backend()
    path = os.path.realpath(clean_index)
    commit(path, range(0, 40))
    commit(path, range(40, 80))
    search_every_kind(backend)
    surviving = {leaf.segment().segment_id() for leaf, _offset in backend.searcher().reader().leaf_readers()}
    builds = {segment: backend.segment_cache.builds[segment] for segment in surviving}
    assert all(builds.values()), builds

    # An editor's save: article 5 deleted from its segment, written again
    # (under another topic) into a new one.
    commit(path, [5], delete=[5], topic="文化")
    leaves = backend.searcher().reader().leaf_readers()
    new = {leaf.segment().segment_id() for leaf, _offset in leaves} - surviving
    assert len(new) == 1
    rare, phrase, negated, dated, single = search_every_kind(backend)
    assert {segment: backend.segment_cache.builds[segment] for segment in surviving} == builds
    assert backend.segment_cache.builds[new.pop()] > 0
    # The deletion is seen: article 5 once, under its new topic.
    assert rare["hits"] == 80 and pks(rare).count("5") == 1
    assert rare["facets"]["fields"]["topic_exact"] == [("经济", 79), ("文化", 1)]
    assert rare["facets"]["fields"]["kind_exact"] == [("news", 80)]
    assert phrase["hits"] == 80 and negated["hits"] == 79 and "7" not in pks(negated)
    assert sorted(pks(dated), key=int) == [str(number) for number in range(80)]
    assert dated["facets"]["fields"]["topic_exact"] == [("经济", 79), ("文化", 1)]
    assert pks(single) == ["5"]

    # A commit that only deletes reads nothing again.
    builds = dict(backend.segment_cache.builds)
    commit(path, delete=[6, 45])
    rare, phrase, negated, dated, single = search_every_kind(backend)
    assert dict(backend.segment_cache.builds) == builds
    assert rare["hits"] == 78 and not {"6", "45"} & set(pks(rare))
    assert rare["facets"]["fields"]["topic_exact"] == [("经济", 77), ("文化", 1)]
    assert phrase["hits"] == 78 and negated["hits"] == 77
    assert len(pks(dated)) == 78 and not {"6", "45"} & set(pks(dated))


def test_a_merge_of_small_segments_leaves_the_large_ones_where_they_were(clean_index):
    backend = embedded_backend()
    path = os.path.realpath(clean_index)
    commit(path, range(0, 40))
    commit(path, range(40, 60))
    for number in range(60, 68):
        commit(path, [number])
    search_every_kind(backend)
    leaves = backend.searcher().reader().leaf_readers()
    large = {leaf.segment().segment_id(): offset for leaf, offset in leaves if leaf.doc_count_all() >= 20}
    assert sorted(large.values()) == [0, 40]
    builds = {segment: backend.segment_cache.builds[segment] for segment in large}

    # An editor's save through the archive's own writer: with ten segments
    # it merges the small ones (Whoosh's policy would sort the rest by size,
    # putting the 20-article segment first).
    with backend.writer() as writer:
        writer.update_document(**document(68))
    leaves = backend.searcher().reader().leaf_readers()
    assert len(leaves) < 10
    assert {leaf.segment().segment_id(): offset for leaf, offset in leaves if leaf.doc_count() >= 20} == large
    rare, *_ = search_every_kind(backend)
    assert {segment: backend.segment_cache.builds[segment] for segment in large} == builds
    assert rare["hits"] == 69


def test_a_refreshed_searcher_sees_deletions_when_whoosh_reuses_segment_readers(clean_index, monkeypatch):
    backend = embedded_backend()
    path = os.path.realpath(clean_index)
    commit(path, range(0, 5))
    commit(path, range(5, 10))
    assert found(backend, "编号3") == {"3"}

    # Whoosh 2.7.5 (whoosh-reloaded) reuses the open reader of every segment
    # still in the index on refresh, keyed by segment id; the reader keeps
    # the deletions its segment had when it was opened.
    original = whoosh_index.FileIndex._reader.__func__

    def reader_reusing_segments(cls, storage, schema, segments, generation, reuse=None):
        if reuse is None:
            return original(cls, storage, schema, segments, generation)
        reusable = {leaf.segment().segment_id(): leaf for leaf, _offset in reuse.leaf_readers()}
        leaves = [
            reusable.get(segment.segment_id()) or SegmentReader(storage, schema, segment, generation=generation)
            for segment in segments
        ]
        from whoosh.reading import MultiReader

        return leaves[0] if len(leaves) == 1 else MultiReader(leaves, generation=generation)

    monkeypatch.setattr(whoosh_index.FileIndex, "_reader", classmethod(reader_reusing_segments))
    commit(path, delete=[3])
    assert found(backend, "编号3") == set()
    assert backend.search("养老", end_offset=1)["hits"] == 9


def test_a_search_never_creates_the_index(db, tmp_path, settings, client):
    missing = tmp_path / "not-built"
    original = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(missing)
    connections.reload("default")
    try:
        backend = connections["default"].get_backend()
        result = backend.search("养老", facets=["topic_exact"])
        assert result["hits"] == 0 and result["results"] == []
        assert backend.index_version() is not None
        response = client.get("/search/", {"q": "养老"})
        assert response.status_code == 200
        assert not missing.exists()
        empty = tmp_path / "empty"
        empty.mkdir()
        settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(empty)
        connections.reload("default")
        assert connections["default"].get_backend().search("养老")["hits"] == 0
        assert list(empty.iterdir()) == []
    finally:
        settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = original
        connections.reload("default")


@pytest.mark.parametrize("version", ["(2, 7, 5)", "(2, 8, 0)"])
def test_start_up_refuses_a_whoosh_the_engine_was_not_proven_against(version):
    script = f"import whoosh, django\nwhoosh.__version__ = {version}\ndjango.setup()\nprint('started')\n"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "ALLOW_INSECURE_DEV_KEY": "1"}
    finished = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, env=environment, capture_output=True, text=True, timeout=120
    )
    assert finished.returncode != 0
    assert "started" not in finished.stdout
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1, finished.stderr
    assert "Whoosh" in lines[0] and "2.7.4" in lines[0] and "pip install" in lines[0]


def test_start_up_accepts_the_proven_whoosh():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "ALLOW_INSECURE_DEV_KEY": "1"}
    finished = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "started"
