"""Every request parameter of the site and the API, read and checked here.

One function per kind of parameter (page number, page size, year, date, date
range, choice, slug, initial letter, search text). Each takes the request's
query (``request.GET``) and the parameter's name, and returns the value or
``None``/the default when the parameter is absent; a value that is present
but wrong raises :class:`BadParameter`, which the pages and the API answer
with status 400 and the message (see :class:`BadParameterMiddleware` and
``archive.api.api_view``).

Numbers are ASCII digits only: ``str.isdigit()`` and ``int()`` accept
superscripts, circled and full-width digits (``²``, ``①``, ``３``)
differently, so neither is trusted with raw input.
"""

from __future__ import annotations

import datetime
import re

from django.shortcuts import render

from archive.search.query import INDEX_DATES, clamp_to_index

ASCII_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}", re.ASCII)

# A page number beyond any listing the archive can have; larger numbers are
# answered with the last page like every number past the end.
MAX_PAGE = 100_000
MAX_TEXT = 400


# The query parameters the archive's pages and API read, by name. The fuzzing
# test (tests/test_params.py) and bench/fuzz_requests.py try hostile values
# of each on every route.
QUERY_PARAMETERS = (
    "page",
    "page_size",
    "year",
    "from",
    "to",
    "date",
    "q",
    "topic",
    "reporter",
    "kind",
    "section",
    "paper",
    "sort",
    "role",
    "initial",
)


class BadParameter(Exception):
    """A parameter present with a value the site cannot use.

    ``message`` is English (the API's language), ``message_zh`` Chinese (the
    pages'); both name the parameter and the value received."""

    def __init__(self, parameter: str, message: str, message_zh: str, status: int = 400):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.message_zh = message_zh
        self.status = status


def _raw(query, name: str) -> str:
    return query.get(name, "").strip()


def _shown(raw: str) -> str:
    # Enough of the value to recognise it; a hostile value can be megabytes long.
    return raw if len(raw) <= 40 else raw[:40] + "…"


def number(query, name: str, default=None, *, minimum: int = 1, maximum: int | None = None, label: str = ""):
    """A whole number written with ASCII digits, within bounds."""
    raw = _raw(query, name)
    if not raw:
        return default
    label = label or name
    if not ASCII_NUMBER.fullmatch(raw):
        raise BadParameter(
            name,
            f"{name} must be a whole number written with the digits 0-9, got {_shown(raw)!r}",
            f"{label}“{_shown(raw)}”无效：请用阿拉伯数字 0-9 填写整数。",
        )
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        bounds_zh = f"{minimum} 到 {maximum} 之间" if maximum is not None else f"不小于 {minimum}"
        raise BadParameter(name, f"{name} must be {bounds}, got {value}", f"{label}应在{bounds_zh}，收到 {value}。")
    return value


def page(query, name: str = "page") -> int:
    """A page number, 1 when absent. Numbers past the last page are the
    caller's to handle (the pages show the last page, the API answers 404)."""
    return number(query, name, 1, minimum=1, maximum=MAX_PAGE, label="页码")


def page_or_none(query, name: str = "page") -> int | None:
    """The page number if the parameter is a valid one, else None; for code
    that only mentions the page (the canonical address of every page), where a
    bad value is the view's to refuse, not a reason to fail."""
    try:
        return page(query, name)
    except BadParameter:
        return None


def page_size(query, name: str = "page_size", default: int = 20, maximum: int = 100) -> int:
    return number(query, name, default, minimum=1, maximum=maximum, label="每页条数")


def year(query, name: str = "year", *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A year the index can hold (see :data:`archive.search.query.INDEX_DATES`)."""
    first, last = INDEX_DATES
    return number(
        query,
        name,
        None,
        minimum=minimum if minimum is not None else first.year,
        maximum=maximum if maximum is not None else last.year,
        label="年份",
    )


def date(query, name: str, label: str = "") -> datetime.date | None:
    """A calendar date written YYYY-MM-DD with ASCII digits."""
    raw = _raw(query, name)
    if not raw:
        return None
    label = label or name
    match = ISO_DATE.fullmatch(raw)
    try:
        if match is None:
            raise ValueError(raw)
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise BadParameter(
            name,
            f"{name} must be a date written YYYY-MM-DD, got {_shown(raw)!r}",
            f"{label}“{_shown(raw)}”不是有效日期，请用 YYYY-MM-DD 格式，例如 2024-01-12。",
        ) from None


def date_range(query, first: str = "from", last: str = "to", labels=("起始日期", "结束日期")):
    """(from, to), each None when absent, clamped to the dates the search index
    can hold: an earlier ``from`` or a later ``to`` asks for nothing more than
    the whole archive, while Whoosh cannot represent it."""
    start = date(query, first, labels[0])
    end = date(query, last, labels[1])
    if start and end and start > end:
        raise BadParameter(
            first,
            f"{first} must not be after {last}",
            f"{labels[0]}晚于{labels[1]}，请检查日期范围。",
        )
    return clamp_to_index(start), clamp_to_index(end)


def choice(query, name: str, choices, default: str = "", label: str = "") -> str:
    """One value of a fixed list (a sort order, a kind, a role)."""
    raw = _raw(query, name)
    if not raw:
        return default
    if raw not in choices:
        listed = ", ".join(choices)
        raise BadParameter(
            name,
            f"{name} must be one of {listed}; got {_shown(raw)!r}",
            f"{label or name}“{_shown(raw)}”无效，可选：{listed}。",
        )
    return raw


def slug(query, name: str, label: str = "") -> str:
    """An address name of a topic or reporter (ASCII letters, digits, - and _)."""
    raw = _raw(query, name)
    if raw and not SLUG.fullmatch(raw):
        raise BadParameter(
            name,
            f"{name} must be a slug (letters a-z, digits, - and _), got {_shown(raw)!r}",
            f"{label or name}“{_shown(raw)}”无效。",
        )
    return raw


def initial(query, name: str = "initial") -> str:
    """The first letter of a name's pinyin, A-Z, or # for the others."""
    raw = _raw(query, name).upper()
    if raw and not (len(raw) == 1 and (("A" <= raw <= "Z") or raw == "#")):
        raise BadParameter(
            name,
            f"{name} must be one letter A-Z or #, got {_shown(raw)!r}",
            f"首字母“{_shown(raw)}”无效：请用一个字母 A-Z 或 #。",
        )
    return raw


def text(query, name: str = "q", max_length: int = MAX_TEXT) -> str:
    """Free text (a search query), cut to ``max_length`` characters; control
    characters other than whitespace removed."""
    raw = query.get(name, "")[: max_length * 4]
    cleaned = "".join(char if char.isprintable() or char.isspace() else " " for char in raw)
    return cleaned.strip()[:max_length]


class BadParameterMiddleware:
    """Answers a :class:`BadParameter` raised by a page with status 400 and
    its message on the site's error page (the API answers in JSON itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BadParameter):
            return None
        response = render(
            request,
            "400.html",
            {"message": exception.message_zh, "parameter": exception.parameter},
            status=exception.status,
        )
        response["Cache-Control"] = "no-store"
        return response
