"""Topics and sections renamed or described anew: their articles are
indexed (and faceted) by those names."""

from __future__ import annotations

from django.db.models import Q

from archive.editing.common import refresh_public_copies
from archive.models import Article, Section, Topic


def topic_changed(topic: Topic) -> None:
    """A topic was renamed or described anew: its articles are indexed by its name."""
    ids = Article.objects.filter(Q(primary_topic=topic) | Q(topics=topic)).values_list("pk", flat=True)
    refresh_public_copies(ids)


def section_changed(section: Section) -> None:
    """A section was renamed: its articles are indexed (and faceted) by its name."""
    refresh_public_copies(section.articles.values_list("pk", flat=True))
