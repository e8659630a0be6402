"""A read-only JSON API mirroring the listings and the search (see docs/api.md).

Every list is paginated with a fixed order and ``next``/``previous`` links;
a bad parameter is answered with status 400 and a message naming it.
"""

from __future__ import annotations

import functools
import math

from django.db.models import Count
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from archive import params
from archive.addresses import absolute_url, permanent_redirect
from archive.listings import (
    REPORTER_SORTS,
    legacy_paper,
    newest_first_ids,
    paper_summaries,
    reporter_table,
    topic_counts,
)
from archive.models import Article, ArticleKind, Byline, BylineRole, Issue, Newspaper, Reporter, Topic, paper_slugs
from archive.pagecache import cache_public_page
from archive.search.query import search_articles

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
EXCERPT_LENGTH = 120


def json_response(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300" if status == 200 else "no-store"
    return response


def error_response(status, message, parameter=None):
    error = {"status": status, "message": message}
    if parameter:
        error["parameter"] = parameter
    return json_response({"error": error}, status=status)


def api_view(view=None, *, search_index: bool = False):
    """GET only; turns :class:`BadParameter` into a 400 (or 404) JSON answer.
    ``search_index``: the answer can come from the search engine (see
    :func:`archive.pagecache.cache_public_page`)."""
    if view is None:
        return functools.partial(api_view, search_index=search_index)

    @require_GET
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except params.BadParameter as exc:
            return error_response(exc.status, exc.message, exc.parameter)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return cache_public_page(wrapper, search_index=search_index)


# Parameters -----------------------------------------------------------------


def object_parameter(request, name, model):
    """The topic or reporter a slug parameter names."""
    raw = params.slug(request.GET, name)
    if not raw:
        return None
    found = model.objects.filter(slug=raw).first()
    if found is None:
        listing = reverse(f"archive:api_{name}s")
        raise params.BadParameter(
            name, f"no {name} with the slug {raw!r}; see {listing}", f"没有地址名为“{raw}”的{name}。"
        )
    return found


def page_past_the_end(page, pages):
    english = f"page {page} does not exist; there are {pages} pages"
    return params.BadParameter("page", english, f"第 {page} 页不存在，共 {pages} 页。", status=404)


def page_link(request, number):
    parameters = request.GET.copy()
    parameters["page"] = number
    return absolute_url(request, f"{request.path}?{parameters.urlencode()}")


def paginated(request, items, count, serialize):
    """One page of ``items`` (a sliceable sequence of ``count`` entries) with links."""
    page_size = params.page_size(request.GET, default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    page = params.page(request.GET)
    pages = max(1, math.ceil(count / page_size))
    if page > pages:
        raise page_past_the_end(page, pages)
    start = (page - 1) * page_size
    window = items[start : start + page_size]

    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": page_size,
        "next": page_link(request, page + 1) if page < pages else None,
        "previous": page_link(request, page - 1) if page > 1 else None,
        "results": [serialize(request, item) for item in window],
    }


# Serializers ----------------------------------------------------------------


def absolute(request, path):
    return absolute_url(request, path)


def serialize_byline(request, byline):
    return {
        "name": byline.reporter.name,
        "slug": byline.reporter.slug,
        "role": byline.role,
        "role_label": byline.get_role_display(),
        "url": absolute(request, byline.reporter.get_absolute_url()),
    }


def serialize_topic(request, topic):
    return {"name": topic.name, "slug": topic.slug, "url": absolute(request, topic.get_absolute_url())}


def serialize_paper(request, paper):
    return {
        "name": paper.name,
        "slug": paper.slug,
        "url": absolute(request, paper.get_absolute_url()),
        "api_url": absolute(request, reverse("archive:api_paper", args=[paper.slug])),
    }


def serialize_paper_summary(request, row):
    paper = row["paper"]
    data = serialize_paper(request, paper)
    data.update(
        {
            "short_name": paper.short_name or None,
            "place": paper.place or None,
            "language": paper.language,
            "publisher": paper.publisher or None,
            "frequency": paper.frequency or None,
            "identifier": paper.identifier or None,
            "first_issue": paper.first_issue.isoformat() if paper.first_issue else None,
            "last_issue": paper.last_issue.isoformat() if paper.last_issue else None,
            "description": paper.description or None,
            "issue_count": row["issue_count"],
            "article_count": row["article_count"],
            "first_date": row["first"].isoformat() if row["first"] else None,
            "last_date": row["last"].isoformat() if row["last"] else None,
        }
    )
    return data


def serialize_article_summary(request, article):
    text = "".join(article.paragraphs)
    return {
        "id": article.pk,
        "paper": serialize_paper(request, article.paper),
        "url": absolute(request, article.get_absolute_url()),
        "api_url": absolute(request, reverse("archive:api_article", args=[article.pk])),
        "title": article.title,
        "headline": article.headline,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "column": article.column,
        "kind": article.kind,
        "kind_label": article.get_kind_display(),
        "issue_date": article.issue.publication_date.isoformat(),
        "position": article.position,
        "section": article.section.name if article.section else None,
        "event_date": article.event_date.isoformat() if article.event_date else None,
        "primary_topic": serialize_topic(request, article.primary_topic) if article.primary_topic else None,
        "bylines": [serialize_byline(request, byline) for byline in article.bylines.all()],
        "excerpt": text[:EXCERPT_LENGTH] + ("…" if len(text) > EXCERPT_LENGTH else ""),
    }


def serialize_article(request, article):
    data = serialize_article_summary(request, article)
    del data["excerpt"]
    data.update(
        {
            "issue_url": absolute(request, article.issue.get_absolute_url()),
            "continued_from": article.continued_from or None,
            "continued_to": article.continued_to or None,
            "topics": [serialize_topic(request, topic) for topic in article.topics.all()],
            "keywords": list(article.keywords),
            "paragraphs": list(article.paragraphs),
            "updated_at": article.updated_at.isoformat(),
        }
    )
    return data


def serialize_issue(request, issue, article_count):
    day = issue.publication_date.isoformat()
    slug = paper_slugs()[issue.paper_id]
    return {
        "date": day,
        "paper": slug,
        "url": absolute(request, issue.get_absolute_url()),
        "api_url": absolute(request, reverse("archive:api_issue", args=[slug, issue.publication_date])),
        "article_count": article_count,
    }


def serialize_reporter_row(request, row):
    return {
        "name": row["name"],
        "slug": row["slug"],
        "initial": row["initial"],
        "article_count": row["article_count"],
        "first_year": row["first_year"],
        "last_year": row["last_year"],
        "roles": [value for value in BylineRole.values if value in row["roles"]],
        "url": absolute(request, reverse("archive:reporter_detail", args=[row["slug"]])),
        "api_url": absolute(request, reverse("archive:api_reporter", args=[row["slug"]])),
    }


# Views ----------------------------------------------------------------------


@api_view
def api_root(request):
    """Where everything is."""
    names = ["api_papers", "api_articles", "api_issues", "api_reporters", "api_topics"]
    return json_response({name.removeprefix("api_"): absolute(request, reverse(f"archive:{name}")) for name in names})


def article_filters(request):
    filters = {
        "paper": object_parameter(request, "paper", Newspaper),
        "topic": object_parameter(request, "topic", Topic),
        "reporter": object_parameter(request, "reporter", Reporter),
        "kind": params.choice(request.GET, "kind", ArticleKind.values),
    }
    filters["date_from"], filters["date_to"] = params.date_range(request.GET)
    return filters


def filtered_articles(filters):
    articles = Article.objects.published_between(filters["date_from"], filters["date_to"])
    if filters["paper"]:
        articles = articles.filter(paper=filters["paper"])
    if filters["topic"]:
        articles = articles.filter(topics=filters["topic"])
    if filters["reporter"]:
        articles = articles.filter(pk__in=Byline.objects.filter(reporter=filters["reporter"]).values("article_id"))
    if filters["kind"]:
        articles = articles.filter(kind=filters["kind"])
    return articles


@api_view(search_index=True)
def article_list(request):
    """Articles, newest first; with ``q`` the search engine's ranking."""
    filters = article_filters(request)
    query = params.text(request.GET, "q")
    if query:
        return searched_articles(request, query, filters)
    ids = newest_first_ids(filters_key(filters), filtered_articles(filters))
    return json_response(paginated(request, ArticlesById(ids), len(ids), serialize_article_summary))


def searched_articles(request, query, filters):
    sort = params.choice(request.GET, "sort", ["relevance", "newest", "oldest"], default="relevance")
    page_size = params.page_size(request.GET, default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    page = params.page(request.GET)
    found = search_articles(
        query,
        paper=filters["paper"].slug if filters["paper"] else None,
        topic=filters["topic"].name if filters["topic"] else None,
        reporter=filters["reporter"].name if filters["reporter"] else None,
        kind=filters["kind"] or None,
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        sort=sort,
        page=page,
        per_page=page_size,
        facets=False,
        # The summary shows everything a listing does.
        articles=Article.objects.for_listing().defer("source_text"),
    )
    if found.unavailable:
        return json_response({"error": found.error}, status=503)
    if found.error:
        raise params.BadParameter("q", found.error, found.error)
    if found.total and page > found.num_pages:
        raise page_past_the_end(page, found.num_pages)

    results = []
    for hit in found.hits:
        item = serialize_article_summary(request, hit.article)
        item["score"] = round(hit.score, 4)
        item["snippet_html"] = str(hit.snippet_html)
        results.append(item)
    return json_response(
        {
            "query": query,
            "sort": found.sort,
            "notes": list(found.notes),
            "count": found.total,
            "page": found.page,
            "pages": found.num_pages,
            "page_size": found.per_page,
            "next": page_link(request, found.page + 1) if found.has_next else None,
            "previous": page_link(request, found.page - 1) if found.has_previous else None,
            "results": results,
        }
    )


def filters_key(filters):
    parts = [
        f"paper={filters['paper'].pk if filters['paper'] else ''}",
        f"topic={filters['topic'].pk if filters['topic'] else ''}",
        f"reporter={filters['reporter'].pk if filters['reporter'] else ''}",
        f"kind={filters['kind']}",
        f"from={filters['date_from'] or ''}",
        f"to={filters['date_to'] or ''}",
    ]
    return "api:" + "&".join(parts)


class ArticlesById:
    """Articles in the order of an id list, fetched a window at a time."""

    def __init__(self, ids):
        self.ids = ids

    def __getitem__(self, window):
        ids = self.ids[window]
        found = Article.objects.filter(pk__in=ids).for_listing().defer("source_text").in_bulk()
        return [found[pk] for pk in ids if pk in found]


@api_view
def article_detail(request, pk):
    article = Article.objects.for_listing().prefetch_related("topics").filter(pk=pk).first()
    if article is None:
        return error_response(404, f"no article with id {pk}")
    return json_response(serialize_article(request, article))


@api_view
def paper_list(request):
    """The titles with their runs in the archive."""
    results = [serialize_paper_summary(request, row) for row in paper_summaries()]
    return json_response({"count": len(results), "results": results})


@api_view
def paper_detail(request, paper):
    row = next((row for row in paper_summaries() if row["paper"].slug == paper), None)
    if row is None:
        return error_response(404, f"no title with the slug {paper!r}")
    data = serialize_paper_summary(request, row)
    data["issues_api_url"] = absolute(request, reverse("archive:api_issues") + f"?paper={paper}")
    data["articles_api_url"] = absolute(request, reverse("archive:api_articles") + f"?paper={paper}")
    data["feed_url"] = absolute(request, reverse("archive:feed_paper", args=[paper]))
    return json_response(data)


@api_view
def issue_list(request):
    """Issues, newest first, optionally of one title and of one year."""
    issues = Issue.objects.order_by("-publication_date", "paper_id").only("paper_id", "publication_date")
    paper = object_parameter(request, "paper", Newspaper)
    if paper:
        issues = issues.filter(paper=paper)
    year = params.number(request.GET, "year", None, minimum=1, maximum=9999)
    if year:
        issues = issues.in_year(year)
    count = issues.count()

    class CountedIssues:
        # Article counts for the page's issues only, in one query.
        def __getitem__(self, window):
            page = list(issues[window])
            counts = dict(
                Article.objects.filter(issue__in=page).values_list("issue_id").annotate(n=Count("pk")).order_by()
            )
            return [(issue, counts.get(issue.pk, 0)) for issue in page]

    return json_response(
        paginated(request, CountedIssues(), count, lambda request, row: serialize_issue(request, *row))
    )


@api_view
def issue_detail(request, paper, day):
    issue = Issue.objects.filter(paper__slug=paper, publication_date=day).first()
    if issue is None:
        return error_response(404, f"no issue of {day.isoformat()} of the title {paper!r}")
    articles = list(issue.articles.for_listing().defer("source_text").order_by("position", "pk"))
    data = serialize_issue(request, issue, len(articles))
    issues = Issue.objects.filter(paper_id=issue.paper_id).only("publication_date")
    previous_issue = issues.filter(publication_date__lt=day).order_by("-publication_date").first()
    next_issue = issues.filter(publication_date__gt=day).order_by("publication_date").first()
    data.update(
        {
            "previous": previous_issue.publication_date.isoformat() if previous_issue else None,
            "next": next_issue.publication_date.isoformat() if next_issue else None,
            "articles": [serialize_article_summary(request, article) for article in articles],
        }
    )
    return json_response(data)


@api_view
def legacy_issue_detail(request, day):
    """An issue's API address from before the archive held several titles."""
    paper = legacy_paper()
    if paper is None:
        return error_response(404, f"no issue of {day.isoformat()}")
    return permanent_redirect(request, reverse("archive:api_issue", args=[paper.slug, day]))


@api_view
def reporter_list(request):
    """Reporters with counts and active years; filters role and initial, sort as on the page."""
    role = params.choice(request.GET, "role", BylineRole.values)
    initial = params.initial(request.GET)
    sort = params.choice(request.GET, "sort", list(REPORTER_SORTS), default="name")
    rows = [
        row
        for row in reporter_table()
        if (not role or role in row["roles"]) and (not initial or row["initial"] == initial)
    ]
    rows.sort(key=REPORTER_SORTS[sort][1])
    return json_response(paginated(request, rows, len(rows), serialize_reporter_row))


@api_view
def reporter_detail(request, slug):
    row = next((row for row in reporter_table() if row["slug"] == slug), None)
    if row is None:
        return error_response(404, f"no reporter with the slug {slug!r}")
    data = serialize_reporter_row(request, row)
    data["articles_api_url"] = absolute(request, reverse("archive:api_articles") + f"?reporter={slug}")
    data["feed_url"] = absolute(request, reverse("archive:feed_reporter", args=[slug]))
    return json_response(data)


@api_view
def topic_list(request):
    """The fixed topic list with article counts."""
    results = []
    for topic, count in topic_counts():
        item = serialize_topic(request, topic)
        item.update(
            {
                "article_count": count,
                "articles_api_url": absolute(request, reverse("archive:api_articles") + f"?topic={topic.slug}"),
                "feed_url": absolute(request, reverse("archive:feed_topic", args=[topic.slug])),
            }
        )
        results.append(item)
    return json_response({"count": len(results), "results": results})
