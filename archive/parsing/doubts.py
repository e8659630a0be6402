"""Which articles of an issue an editor should check.

A leaf of the parser: it reads finished articles (and the doubts the
segmenter left on them) and adds the ones only the whole issue shows: an
article with no headline where the paper prints headlines, one far longer
than the issue's others (two stories run together), and a story that breaks
the shape the issue's other stories share (no dateline in a paper that
dates its news). See ``DOUBTS`` in ``document.py``.
"""

from __future__ import annotations

from archive.parsing.document import ParsedArticle

# An article this many times the median length, and at least this long, is suspect.
LONG_FACTOR = 4
LONG_MIN_CHARS = 3000
# A paper "dates its news" when this share of its news stories, of at least this many, carry a dateline.
DATED_SHARE = 0.75
DATED_MIN_STORIES = 4
# Kinds that have no headline as a matter of course.
_UNTITLED_KINDS = ("photo", "continuation")


def mark_doubts(articles: list[ParsedArticle], dated: list[bool]) -> None:
    """Add issue-wide doubts to ``articles``; ``dated[i]`` tells whether article i opens with a dateline."""
    lengths = sorted(sum(map(len, article.paragraphs)) for article in articles)
    median = lengths[len(lengths) // 2] if lengths else 0
    news = [is_dated for article, is_dated in zip(articles, dated, strict=True) if article.kind == "news"]
    dates_its_news = len(news) >= DATED_MIN_STORIES and sum(news) >= DATED_SHARE * len(news)
    for article, is_dated in zip(articles, dated, strict=True):
        doubts = list(article.doubts)
        # Items under a rubric ("简讯") have no headline of their own by design.
        if article.headline is None and article.column is None and article.kind not in _UNTITLED_KINDS:
            doubts.append("no_headline")
        length = sum(map(len, article.paragraphs))
        if length >= LONG_MIN_CHARS and length >= LONG_FACTOR * median:
            doubts.append("long")
        if dates_its_news and article.kind == "news" and not is_dated:
            doubts.append("shape")
        article.doubts = doubts
