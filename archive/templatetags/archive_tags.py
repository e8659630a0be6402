"""Small formatting helpers for the archive's templates."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()

WEEKDAYS = "一二三四五六日"


@register.filter
def cn_date(value):
    """2024-01-12 -> 2024年1月12日, the way the paper prints its dates."""
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_month(value):
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.year}年{value.month}月"


@register.filter
def cn_weekday(value):
    if not isinstance(value, datetime.date):
        return ""
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
