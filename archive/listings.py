"""Ordered article id lists and the reporter and topic tables, computed once per cache generation.

Listing pages fetch only their own rows from these lists instead of sorting
the whole set again; the JSON API and the article page's related articles
share them.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from django.conf import settings
from django.db.models import Count, Max, Min

from archive.caching import cached_value
from archive.models import Article, Byline, Issue, Newspaper, Reporter, Topic


def newest_first_ids(name, articles):
    """The ids of ``articles`` newest first (issue date, printed position, id),
    computed once per cache generation: pages of a long listing then fetch
    only their own rows instead of sorting the whole set again."""
    return cached_value(f"ids:{name}", lambda: list(articles.newest_first().values_list("pk", flat=True)))


def newest_first_listing(name, articles):
    """(ids newest first, [(year, article count)]) of ``articles``, from one
    query (dates read from the covering index) once per cache generation: a
    reporter's or topic's pages and its per-year chart."""

    def compute():
        ids, years = [], Counter()
        for pk, day in articles.newest_first().values_list("pk", "issue_date"):
            ids.append(pk)
            years[day.year] += 1
        return ids, sorted(years.items())

    return cached_value(f"listing:{name}", compute)


def topic_listing(topic_id):
    return newest_first_listing(f"topic:{topic_id}", Article.objects.filter(topics=topic_id))


def reporter_listing(reporter_id):
    return newest_first_listing(
        f"reporter:{reporter_id}",
        Article.objects.filter(pk__in=Byline.objects.filter(reporter_id=reporter_id).values("article_id")),
    )


def topic_article_ids(topic_id):
    """A topic's article ids, newest first, once per cache generation."""
    return topic_listing(topic_id)[0]


# Reporters and topics: aggregates the pages and the API share -------------


def topic_counts(paper=None):
    """[(topic, article count)] in the topics' own order, of one title or all."""

    def compute():
        links = Article.topics.through.objects.all()
        if paper is not None:
            links = links.filter(article__paper=paper)
        counts = dict(links.values_list("topic_id").annotate(n=Count("pk")).order_by())
        return [(topic, counts.get(topic.pk, 0)) for topic in Topic.objects.all()]

    return cached_value("topic-counts" if paper is None else f"topic-counts:{paper.pk}", compute)


def paper_summaries():
    """Every title with its run in the archive: [{paper, issue_count,
    article_count, first, last}] in the titles' order, once per generation."""

    def compute():
        issues = {
            row["paper_id"]: row
            for row in Issue.objects.values("paper_id")
            .annotate(issue_count=Count("pk"), first=Min("publication_date"), last=Max("publication_date"))
            .order_by()
        }
        articles = dict(Article.objects.values_list("paper_id").annotate(count=Count("pk")).order_by())
        empty = {"issue_count": 0, "first": None, "last": None}
        return [
            {
                "paper": paper,
                **{key: issues.get(paper.pk, empty)[key] for key in empty},
                "article_count": articles.get(paper.pk, 0),
            }
            for paper in Newspaper.objects.all()
        ]

    return cached_value("paper-summaries", compute)


REPORTER_SORTS = {
    "name": ("按姓名拼音", lambda row: (row["slug"],)),
    "count": ("按文章数", lambda row: (-row["article_count"], row["slug"])),
    "recent": ("按最近发稿", lambda row: (-(row["last_year"] or 0), row["slug"])),
    "first": ("按最早发稿", lambda row: (row["first_year"] or 9999, row["slug"])),
}


# Sorts that need every reporter's active years before a page can be cut.
SORTS_BY_YEAR = {"recent", "first"}


def reporter_counts():
    """Every reporter with article count and roles (no years), once per cache
    generation, from the byline table's covering index alone."""

    def compute():
        rows = {
            reporter_id: {
                "pk": reporter_id,
                "name": name,
                "slug": slug,
                "initial": initial,
                "article_count": 0,
                "roles": set(),
            }
            for reporter_id, name, slug, initial in Reporter.objects.values_list("pk", "name", "slug", "initial")
        }
        counts = Byline.objects.values_list("reporter_id").annotate(count=Count("article_id", distinct=True)).order_by()
        for reporter_id, count in counts:
            rows[reporter_id]["article_count"] = count
        for reporter_id, role in Byline.objects.values_list("reporter_id", "role").distinct().order_by():
            rows[reporter_id]["roles"].add(role)
        return sorted(rows.values(), key=lambda row: row["slug"])

    return cached_value("reporter-counts", compute)


def reporter_years(reporter_ids=None):
    """{reporter id: (first year, last year)} of the given reporters (all if
    None), once per cache generation. Years join every byline with its
    article's date, the costly part of the reporter index: a page sorted by
    name or count asks only for its own hundred reporters."""

    def compute():
        bylines = Byline.objects.all() if reporter_ids is None else Byline.objects.filter(reporter_id__in=ids)
        spans = (
            bylines.values_list("reporter_id")
            .annotate(first=Min("article__issue_date"), last=Max("article__issue_date"))
            .order_by()
        )
        return {reporter_id: (first.year, last.year) for reporter_id, first, last in spans}

    if reporter_ids is None:
        return cached_value("reporter-years", compute)
    ids = sorted(reporter_ids)
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:24]
    return cached_value(f"reporter-years:{digest}", compute)


def with_years(rows, years):
    """Copies of ``rows`` (shared, read-only) with first_year and last_year."""
    return [
        {**row, "first_year": years.get(row["pk"], (None, None))[0], "last_year": years.get(row["pk"], (None, None))[1]}
        for row in rows
    ]


def reporter_table():
    """Every reporter with article count, active years and roles."""
    return cached_value("reporter-table", lambda: with_years(reporter_counts(), reporter_years()))


def legacy_paper():
    """The title the archive's addresses meant when it held one paper: the one
    the NEWSPAPER_NAME setting names (the one existing issues were filed
    under), else the oldest title."""
    return Newspaper.objects.filter(name=settings.NEWSPAPER_NAME).first() or Newspaper.objects.order_by("pk").first()
