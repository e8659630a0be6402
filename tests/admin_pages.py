"""Driving the admin as an editor's browser would: the form data a rendered
admin form sends back, the edit of one article through its change form, and
what the public search finds afterwards (the oracle the admin tests compare
with)."""

from __future__ import annotations

from django.urls import reverse

from archive.models import Article
from archive.search.query import search_articles

PASSWORD = "编辑-correct-horse-9"


def form_data(response) -> dict:
    """The POST data a browser would send back for an admin form as rendered."""
    data = {}

    def put(form, name):
        field = form.fields[name]
        value = field.prepare_value(form[name].value())
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        elif value is None:
            data[key] = ""
        else:
            data[key] = str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for subform in formset.forms:
            for name in subform.fields:
                put(subform, name)
    return data


def search_ids(query) -> set[int]:
    """Articles the public search finds for ``query``."""
    page = search_articles(query, facets=False, per_page=100)
    assert not page.error, page.error
    return set(page.article_ids)


def filtered_ids(**filters) -> set[int]:
    """Articles the public search lists under a filter (reporter, topic, …)."""
    page = search_articles("", facets=False, per_page=100, **filters)
    assert not page.error, page.error
    return set(page.article_ids)


def reporter_ids(name) -> set[int]:
    return filtered_ids(reporter=name)


def change_url(article):
    return reverse("admin:archive_article_change", args=[article.pk])


def edit_article(client, commit, article, **changes):
    url = change_url(article)
    data = form_data(client.get(url))
    data.update(changes)
    return commit(client.post, url, data)


def first_news_article():
    return Article.objects.exclude(headline="").filter(bylines__isnull=False).order_by("pk").first()
