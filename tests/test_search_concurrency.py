"""Several processes on one real Whoosh directory: writers wait for each other
and lose nothing; readers never see an error while a writer commits and
merges segments."""

from __future__ import annotations

import datetime
import multiprocessing
import traceback

import pytest
from haystack import connections

WRITERS = 4
DOCUMENTS = 100
READERS = 3
WRITE_ROUNDS = 40


def _document(number: int) -> dict:
    return {
        "id": f"archive.article.{number}",
        "django_ct": "archive.article",
        "django_id": str(number),
        "text": f"第{number}号文章 养老服务 呼和浩特 发展 编号{number}",
        "headline": f"测试标题{number}",
        "issue_date": datetime.datetime(2024, 1, 1) + datetime.timedelta(days=number % 30),
        "kind_exact": "news",
    }


def _fresh_backend():
    # A forked child must not share the parent's open searcher.
    connections.reload("default")
    return connections["default"].get_backend()


def _write(numbers) -> None:
    backend = _fresh_backend()
    with backend.writer(len(numbers)) as writer:
        for number in numbers:
            writer.update_document(**_document(number))


def _remove_one_by_one(numbers, errors) -> None:
    try:
        backend = _fresh_backend()
        for number in numbers:
            backend.remove(f"archive.article.{number}")
    except Exception:
        errors.put(traceback.format_exc()[-3000:])


def _keep_writing(rounds, errors) -> None:
    try:
        for round_number in range(rounds):
            base = 1000 + round_number * 5
            _write(range(base, base + 5))
            backend = _fresh_backend()
            backend.remove(f"archive.article.{base}")
    except Exception:
        errors.put(traceback.format_exc()[-3000:])


def _keep_reading(stop, errors, counts) -> None:
    try:
        backend = _fresh_backend()
        seen = 0
        searches = 0
        while not stop.is_set() or searches == 0:
            searches += 1
            everything = backend.search("*", end_offset=5, facets=["kind_exact"])
            text = backend.search("养老服务", end_offset=10)
            # Never an empty or partial view: the first 50 documents stay.
            if everything["hits"] < 50 or text["hits"] < 50 or len(text["results"]) != 10:
                raise AssertionError(f"saw {everything['hits']} / {text['hits']} documents")
            seen = max(seen, everything["hits"])
        counts.put((searches, seen))
    except Exception:
        errors.put(traceback.format_exc()[-3000:])


def _live_count() -> int:
    backend = _fresh_backend()
    return backend.search("*", end_offset=1)["hits"]


@pytest.fixture
def context(clean_index):
    return multiprocessing.get_context("fork")


def _join(processes, timeout=120):
    for process in processes:
        process.join(timeout)
        assert process.exitcode == 0, f"{process.name} exited with {process.exitcode}"


def test_concurrent_removes_are_never_lost(context):
    _write(range(DOCUMENTS))
    assert _live_count() == DOCUMENTS
    errors = context.Queue()
    share = DOCUMENTS // WRITERS
    processes = [
        context.Process(target=_remove_one_by_one, args=(range(i * share, (i + 1) * share), errors), name=f"remover{i}")
        for i in range(WRITERS)
    ]
    for process in processes:
        process.start()
    _join(processes)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == [], "\n".join(problems)
    assert _live_count() == 0


def test_readers_see_no_error_while_a_writer_commits_and_merges(context):
    _write(range(50))
    errors, counts, stop = context.Queue(), context.Queue(), context.Event()
    writer = context.Process(target=_keep_writing, args=(WRITE_ROUNDS, errors), name="writer")
    readers = [
        context.Process(target=_keep_reading, args=(stop, errors, counts), name=f"reader{i}") for i in range(READERS)
    ]
    for process in [*readers, writer]:
        process.start()
    _join([writer])
    stop.set()
    _join(readers)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == [], "\n".join(problems)
    results = [counts.get(timeout=5) for _reader in readers]
    # Every reader searched many times while the writer was committing.
    assert all(searches > 10 for searches, _seen in results)
    assert _live_count() == 50 + WRITE_ROUNDS * 4
