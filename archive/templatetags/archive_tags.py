"""Small formatting helpers for the archive's templates."""

from __future__ import annotations

import datetime
import functools

from django import template

register = template.Library()

WEEKDAYS = "一二三四五六日"


def date_filter(format_date):
    """A template filter of dates: anything else (an empty field, a string)
    shows as nothing rather than an error in the page."""

    @functools.wraps(format_date)
    def apply(value):
        return format_date(value) if isinstance(value, datetime.date) else ""

    return register.filter(format_date.__name__, apply)


@date_filter
def cn_date(value):
    """2024-01-12 -> 2024年1月12日, the way the paper prints its dates."""
    return f"{value.year}年{value.month}月{value.day}日"


@date_filter
def cn_month(value):
    return f"{value.year}年{value.month}月"


@date_filter
def cn_weekday(value):
    return f"星期{WEEKDAYS[value.weekday()]}"


@register.simple_tag
def weekday_names():
    return list(WEEKDAYS)


QUOTE_MARKS = frozenset("\"'“”‘’「」『』")


@register.filter
def quoted_query(query):
    """A query inside “…” for a title; one with quotes of its own (a phrase
    search) stands as typed, so its quotes are not doubled."""
    query = str(query or "")
    return query if QUOTE_MARKS & set(query) else f"“{query}”"
