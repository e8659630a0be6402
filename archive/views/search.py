"""The search page (a query, filters with counts, sort, pages, snippets) and
the advanced search form that writes the search box's query for it.

Search itself is reached through its public interface only
(:mod:`archive.search.query`); this module reads the request and lays out the
answer."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from archive import params as parameters
from archive.models import ArticleKind, Section
from archive.pagecache import cache_public_page
from archive.search.query import FACETS, SORT_LABELS, SORTS, SearchPage, paper_names, search_articles, suggestions

FACET_TITLES = {"paper": "报纸", "year": "年份", "topic": "主题", "reporter": "记者", "kind": "体裁", "section": "版面"}
FILTER_TITLES = {**FACET_TITLES, "date_from": "起始日期", "date_to": "结束日期"}
PARAMETERS = ("q", "paper", "topic", "reporter", "kind", "section", "year", "from", "to", "sort")


def _link(params: dict, **changes) -> str:
    merged = {key: value for key, value in {**params, **changes}.items() if value not in (None, "")}
    merged.pop("page", None) if "page" not in changes else None
    return "?" + urlencode(merged)


def run_search(request):
    """(parameters, result, errors) of the search a request asks for; the
    results page and its RIS/BibTeX downloads show the same hits."""
    get = request.GET
    errors: list[str] = []
    params = {name: parameters.text(get, name) for name in PARAMETERS}

    def read(parse, *args, **kwargs):
        # Every bad parameter is reported, not only the first.
        try:
            return parse(get, *args, **kwargs)
        except parameters.BadParameter as exc:
            errors.append(exc.message_zh)
            return None

    filters = {
        "paper": params["paper"] or None,
        "topic": params["topic"] or None,
        "reporter": params["reporter"] or None,
        "section": params["section"] or None,
        "kind": read(parameters.choice, "kind", ArticleKind.values, label="体裁") or None,
        "year": read(parameters.year, "year"),
        "sort": read(parameters.choice, "sort", list(SORTS), default="relevance", label="排序") or "relevance",
        "page": read(parameters.page) or 1,
    }
    filters["date_from"], filters["date_to"] = read(parameters.date_range) or (None, None)
    # With a bad parameter nothing is searched: results without the filter the
    # reader asked for would look like an answer to the question.
    result = SearchPage(query=params["q"], sort=filters["sort"]) if errors else search_articles(params["q"], **filters)
    return params, result, errors


@cache_public_page(search_index=True)
def search(request):
    params, result, errors = run_search(request)
    # Which parameter each facet and filter is set by on this page.
    keys = {"date_from": "from", "date_to": "to"}
    facet_blocks = []
    for name in FACETS:
        rows = result.facets.get(name, [])
        selected = params[name]
        facet_blocks.append(
            {
                "name": name,
                "title": FACET_TITLES[name],
                "rows": [
                    {
                        "value": value,
                        "label": label,
                        "count": count,
                        "selected": value == selected,
                        "url": _link(params, **{name: "" if value == selected else value}),
                    }
                    for value, label, count in rows
                ],
            }
        )
    papers = paper_names()
    labels = {"kind": dict(ArticleKind.choices), "paper": papers}
    active_filters = [
        {
            "title": FILTER_TITLES[name],
            "value": labels[name].get(value, value) if name in labels else value,
            "remove_url": _link(params, **{keys.get(name, name): ""}),
        }
        for name, value in result.filters.active().items()
    ]
    searched = bool((params["q"] or result.filters.active()) and not errors)
    help_rows = suggestions(result) if searched and not result.total and not result.error else None
    if help_rows:
        for row in help_rows["filters"]:
            name = row[0]
            row_key = keys.get(name, name)
            help_rows.setdefault("filter_links", []).append(
                {"title": FILTER_TITLES[name], "value": row[1], "count": row[2], "url": _link(params, **{row_key: ""})}
            )
    context = {
        "query": params["q"],
        "params": params,
        "result": result,
        "errors": errors,
        "searched": searched,
        "facet_blocks": facet_blocks,
        "active_filters": active_filters,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        "kinds": ArticleKind.choices,
        "papers": sorted(papers.items(), key=lambda item: item[1]),
        "help": help_rows,
        "previous_url": _link(params, page=result.page - 1) if result.has_previous else "",
        "next_url": _link(params, page=result.page + 1) if result.has_next else "",
        "first_rank": (result.page - 1) * result.per_page + 1,
        "export_query": _link(params, page=result.page if result.page > 1 else None)[1:],
    }
    status = 503 if result.unavailable else 400 if result.error or errors else 200
    return render(request, "search/search.html", context, status=status)


# Advanced search -------------------------------------------------------------

# The fields of the advanced form, each written into the box's own syntax.
ADVANCED_TEXT_FIELDS = ("title", "all", "phrase", "any", "exclude")


def _words(text: str) -> list[str]:
    return [word for word in text.replace('"', " ").split() if word not in ("OR", "|")]


def compose_query(fields: dict) -> str:
    """The query the search box would take for the advanced form's text fields:
    标题:word for title words, words as typed, "the phrase", a OR b, -word."""
    parts = [f"标题:{word}" for word in _words(fields.get("title", ""))]
    parts += _words(fields.get("all", ""))
    phrase = fields.get("phrase", "").replace('"', " ").strip()
    if phrase:
        parts.append(f'"{phrase}"')
    alternatives = _words(fields.get("any", ""))
    if alternatives:
        parts.append(" OR ".join(alternatives))
    parts += [f"-{word}" for word in _words(fields.get("exclude", ""))]
    return " ".join(parts)


def advanced_search(request):
    """A form with fields that writes the search box's query and filters,
    then shows the ordinary results page for them."""
    get = request.GET
    fields = {name: get.get(name, "").strip()[:200] for name in ADVANCED_TEXT_FIELDS}
    filters = {name: get.get(name, "").strip()[:100] for name in ("paper", "reporter", "section", "kind", "from", "to")}
    if any(fields.values()) or any(filters.values()):
        query = compose_query(fields)
        wanted = {"q": query or ("*" if any(filters.values()) else ""), **filters}
        return redirect(reverse("archive:search") + "?" + urlencode({k: v for k, v in wanted.items() if v}))
    return render(
        request,
        "search/advanced.html",
        {
            "papers": sorted(paper_names().items(), key=lambda item: item[1]),
            "kinds": ArticleKind.choices,
            "sections": list(Section.objects.values_list("name", flat=True)),
        },
    )
