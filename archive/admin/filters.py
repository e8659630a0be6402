"""How an editor narrows the article list: a date typed into the search box,
and the list of articles the parser was unsure of."""

from __future__ import annotations

import datetime
import re

from django.contrib import admin

SEARCH_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def search_date(term: str):
    """The day an admin search box names, or None when it names none."""
    match = SEARCH_DATE.match(term or "")
    if match is None:
        return None
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None


class NeedsReviewFilter(admin.SimpleListFilter):
    """The articles the parser was unsure of; marking one reviewed takes it off the list."""

    title = "解析存疑"
    parameter_name = "doubts"

    def lookups(self, request, model_admin):
        return [("open", "待核查"), ("any", "存疑（含已审核）")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.needs_review()
        if self.value() == "any":
            return queryset.exclude(doubts=[])
        return queryset
