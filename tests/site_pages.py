"""What the tests of the public pages share: a response's text, the samples'
title, its addresses, and articles found by headline."""

from __future__ import annotations

from django.urls import reverse

from archive.models import Article, Issue, Newspaper


def html(response):
    return response.content.decode()


def newest_issue():
    return Issue.objects.order_by("-publication_date").first()


def paper():
    """The one title the samples go under (named by NEWSPAPER_NAME)."""
    return Newspaper.objects.get()


def at(route, *args):
    """A URL under the samples' title."""
    return reverse(f"archive:{route}", args=[paper().slug, *args])


def article_by_headline(headline):
    return Article.objects.get(headline=headline)
