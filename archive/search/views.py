"""The search page: a query, filters with counts, sort, pages, snippets."""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.utils.http import urlencode

from archive.models import ArticleKind
from archive.pagecache import cache_public_page
from archive.search.query import FACETS, SORT_LABELS, SORTS, search_articles, suggestions

FACET_TITLES = {"year": "年份", "topic": "主题", "reporter": "记者", "kind": "体裁", "section": "版面"}
FILTER_TITLES = {**FACET_TITLES, "date_from": "起始日期", "date_to": "结束日期"}
PARAMETERS = ("q", "topic", "reporter", "kind", "section", "year", "from", "to", "sort")


def _date(value: str, label: str, errors: list[str]):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        errors.append(f"{label}“{value[:20]}”不是有效日期，请用 YYYY-MM-DD 格式。")
        return None


def _year(value: str, errors: list[str]):
    if not value:
        return None
    if value.strip().isdigit() and 1800 <= int(value) <= 2200:
        return int(value)
    errors.append(f"年份“{value[:20]}”无效。")
    return None


def _link(params: dict, **changes) -> str:
    merged = {key: value for key, value in {**params, **changes}.items() if value not in (None, "")}
    merged.pop("page", None) if "page" not in changes else None
    return "?" + urlencode(merged)


def run_search(request):
    """(parameters, result, errors) of the search a request asks for; the
    results page and its RIS/BibTeX downloads show the same hits."""
    get = request.GET
    errors: list[str] = []
    params = {name: get.get(name, "").strip()[:400] for name in PARAMETERS}
    page_number = get.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() else 1
    kind = params["kind"] if params["kind"] in ArticleKind.values else None
    if params["kind"] and not kind:
        errors.append("体裁无效，已忽略。")
    result = search_articles(
        params["q"],
        topic=params["topic"] or None,
        reporter=params["reporter"] or None,
        kind=kind,
        section=params["section"] or None,
        year=_year(params["year"], errors),
        date_from=_date(params["from"], "起始日期", errors),
        date_to=_date(params["to"], "结束日期", errors),
        sort=params["sort"] or "relevance",
        page=page_number,
    )
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
    active_filters = [
        {
            "title": FILTER_TITLES[name],
            "value": ArticleKind(value).label if name == "kind" else value,
            "remove_url": _link(params, **{keys.get(name, name): ""}),
        }
        for name, value in result.filters.active().items()
    ]
    searched = bool(params["q"] or result.filters.active())
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
        "help": help_rows,
        "previous_url": _link(params, page=result.page - 1) if result.has_previous else "",
        "next_url": _link(params, page=result.page + 1) if result.has_next else "",
        "first_rank": (result.page - 1) * result.per_page + 1,
        "export_query": _link(params, page=result.page if result.page > 1 else None)[1:],
    }
    status = 400 if result.error or errors else 200
    return render(request, "search/search.html", context, status=status)
