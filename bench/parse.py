"""Parse speed: MB of issue text per second on one core.

Builds about 5 MB of text from the sample issues, repeated with variations
(articles shuffled, numbers and dates changed, paragraphs split and
repeated the way dumps do), and times ``parse_issue`` on it, once as many
issue-sized texts and once as a single large text. Prints the figures and,
last, one line of JSON with ``mb_per_s`` (the slower of the two).

    .venv/bin/python bench/parse.py [--megabytes 5]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from archive.parsing import parse_issue, topics  # noqa: E402

SAMPLES_DIR = PROJECT_DIR / "samples"
_DIGITS = re.compile(r"\d+")


def _articles(text: str) -> list[str]:
    """Blocks of the sample that start at a headline-like line (good enough to shuffle)."""
    blocks = re.split(r"\n{3,}", text)
    return [block.strip("\n") for block in blocks if block.strip()]


def _vary(block: str, rng: random.Random) -> str:
    block = _DIGITS.sub(lambda match: str(rng.randint(1, 12) if len(match[0]) <= 2 else rng.randint(10, 9999)), block)
    paragraphs = block.split("\n\n")
    if len(paragraphs) > 3 and rng.random() < 0.3:
        # A dump repeating a paragraph.
        position = rng.randrange(1, len(paragraphs))
        paragraphs.insert(position, paragraphs[position])
    if rng.random() < 0.3:
        # A column break in the middle of a long paragraph.
        position = rng.randrange(len(paragraphs))
        paragraph = paragraphs[position]
        if len(paragraph) > 60:
            cut = rng.randrange(20, len(paragraph) - 20)
            paragraphs[position] = paragraph[:cut] + "\n\n" + paragraph[cut:]
    return "\n\n".join(paragraphs)


def build_issues(megabytes: float, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    blocks = [block for path in sorted(SAMPLES_DIR.glob("*.txt")) for block in _articles(path.read_text("utf-8"))]
    issues, size, target = [], 0, megabytes * 1_000_000
    while size < target:
        chosen = rng.sample(blocks, k=min(len(blocks), 8))
        issue = "\n\n\n\n".join(_vary(block, rng) for block in chosen) + "\n"
        issues.append(issue)
        size += len(issue.encode("utf-8"))
    return issues


def measure(texts: list[str]) -> tuple[float, float, int]:
    size = sum(len(text.encode("utf-8")) for text in texts)
    articles = 0
    started = time.perf_counter()
    for number, text in enumerate(texts):
        articles += len(parse_issue(text, source=f"bench_{number}.txt").articles)
    elapsed = time.perf_counter() - started
    return size / 1_000_000, elapsed, articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()

    started = time.perf_counter()
    topics.tokenizer()
    topics.idf_table()
    warmup = time.perf_counter() - started
    issues = build_issues(args.megabytes)

    many_mb, many_seconds, many_articles = measure(issues)
    one_mb, one_seconds, one_articles = measure(["\n\n\n".join(issues)])
    many_rate = many_mb / many_seconds
    one_rate = one_mb / one_seconds
    print(f"dictionaries loaded in {warmup:.2f} s (once per process)")
    print(
        f"{len(issues)} issues, {many_mb:.2f} MB, {many_articles} articles: {many_seconds:.2f} s, {many_rate:.2f} MB/s"
    )
    print(f"one text of {one_mb:.2f} MB, {one_articles} articles: {one_seconds:.2f} s, {one_rate:.2f} MB/s")
    result = {
        "mb_per_s": round(min(many_rate, one_rate), 3),
        "issues_mb_per_s": round(many_rate, 3),
        "single_text_mb_per_s": round(one_rate, 3),
        "megabytes": round(many_mb, 3),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
