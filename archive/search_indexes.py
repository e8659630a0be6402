"""What the search index holds for an article.

``text`` is the full-text document (a data template, so a larger engine gets
the same text; a story printed across pages is one document, holding the
text of every part), cut into words by the archive's own analysis on every engine
(``analyzer=CHINESE_WORDS``); the headline is also a field of its own with a boost, so a
word in the headline ranks above the same word in the body. The rest are
filter and facet fields, named as the search page's parameters.

:meth:`ArticleIndex.full_prepare` builds the same document as haystack's
generic preparation (template render, then field by field) in one pass from
the fetched article; a test compares the two.
"""

import datetime

from haystack import indexes
from haystack.constants import DJANGO_CT, DJANGO_ID, ID

from archive.models import Article
from archive.search.analysis import CHINESE_WORDS

HEADLINE_BOOST = 4.0


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True, analyzer=CHINESE_WORDS, stored=False)
    headline = indexes.CharField(analyzer=CHINESE_WORDS, boost=HEADLINE_BOOST, stored=False)
    issue_date = indexes.DateField(model_attr="issue__publication_date", stored=False)
    event_date = indexes.DateField(model_attr="event_date", null=True, stored=False)
    year = indexes.IntegerField(faceted=True, stored=False)
    # The title's slug: the search page's paper=SLUG filter and its facet.
    paper = indexes.CharField(model_attr="paper__slug", faceted=True, stored=False)
    reporter = indexes.MultiValueField(faceted=True, stored=False)
    role = indexes.MultiValueField(faceted=True, stored=False)
    topic = indexes.MultiValueField(faceted=True, stored=False)
    section = indexes.CharField(model_attr="section__name", null=True, faceted=True, stored=False)
    kind = indexes.CharField(model_attr="kind", faceted=True, stored=False)
    keyword = indexes.MultiValueField(stored=False)
    # Only this is stored (besides the ids): when the article was indexed as
    # it then was, which check_index compares.
    updated_at = indexes.DateTimeField(model_attr="updated_at", indexed=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        # The source texts are never indexed; an issue's is the whole issue,
        # fetched once per article through the join. A story printed across
        # pages is one document, its first part's, holding the text of the
        # parts that continue it (archive.continuations); those are not
        # indexed on their own.
        return (
            self.get_model()
            .objects.for_listing()
            .searched_alone()
            .with_story_parts()
            .prefetch_related("topics")
            .defer("source_text", "issue__source_text")
        )

    def get_updated_field(self):
        return "updated_at"

    def printed_place(self, article) -> tuple[int, int]:
        """Where an article stands among its day's: its position in the
        issue, then its id. Every engine sorts a day's articles by it."""
        return article.position or 0, article.pk

    def prepare_headline(self, article):
        return " ".join(part for part in (article.kicker, article.title, article.subtitle) if part)

    def prepare_year(self, article):
        return article.issue.publication_date.year

    def prepare_reporter(self, article):
        return list(dict.fromkeys(byline.reporter.name for byline in article.bylines.all()))

    def prepare_role(self, article):
        return sorted({byline.role for byline in article.bylines.all()})

    def prepare_topic(self, article):
        names = [topic.name for topic in article.topics.all()]
        if article.primary_topic and article.primary_topic.name not in names:
            names.insert(0, article.primary_topic.name)
        return names

    def prepare_keyword(self, article):
        return [str(word) for word in article.keywords]

    def prepare_event_date(self, article):
        value = article.event_date
        return value if isinstance(value, datetime.date) else None

    def full_prepare(self, obj, with_string_facet=True):
        """The document haystack's ``full_prepare`` makes, without rendering
        the data template or resolving each field generically (together about
        a fifth of a rebuild's time). ``article_text`` is the template's text;
        facet fields (``*_exact``) repeat their source field's value and
        empty nullable fields are left out, as haystack does."""
        pk = obj.pk
        bylines = list(obj.bylines.all())
        topics = list(obj.topics.all())
        reporters = list(dict.fromkeys(byline.reporter.name for byline in bylines))
        roles = sorted({byline.role for byline in bylines})
        topic_names = [topic.name for topic in topics]
        if obj.primary_topic and obj.primary_topic.name not in topic_names:
            topic_names.insert(0, obj.primary_topic.name)
        year = obj.issue.publication_date.year
        section = obj.section.name if obj.section is not None else None
        kind = None if obj.kind is None else str(obj.kind)
        document = {
            ID: f"archive.article.{pk}",
            DJANGO_CT: "archive.article",
            DJANGO_ID: str(pk),
            "text": article_text(obj, bylines, topics),
            "headline": self.prepare_headline(obj),
            "issue_date": obj.issue.publication_date,
            "event_date": self.prepare_event_date(obj),
            "year": year,
            "year_exact": year,
            "paper": obj.paper.slug,
            "paper_exact": obj.paper.slug,
            "reporter": reporters,
            "reporter_exact": reporters,
            "role": roles,
            "role_exact": roles,
            "topic": topic_names,
            "topic_exact": topic_names,
            "section": section,
            "section_exact": section,
            "kind": kind,
            "kind_exact": kind,
            "keyword": self.prepare_keyword(obj),
            "updated_at": obj.updated_at,
        }
        for name in ("event_date", "section", "section_exact", "kind_exact"):
            if document[name] is None:
                del document[name]
        self.prepared_data = document
        return document


def article_text(article, bylines=None, topics=None) -> str:
    """The text ``templates/search/indexes/archive/article_text.txt`` renders
    for ``article``."""
    if bylines is None:
        bylines = article.bylines.all()
    if topics is None:
        topics = article.topics.all()
    parts = [article.kicker, "\n", article.title, "\n", article.subtitle, "\n", article.column, "\n"]
    for paragraph in article.paragraphs:
        parts.append(str(paragraph))
        parts.append("\n")
    for part in article.following_parts():
        for paragraph in part.text_paragraphs:
            parts.append(str(paragraph))
            parts.append("\n")
    for byline in bylines:
        parts.append(byline.reporter.name)
        parts.append(" ")
    parts.append("\n")
    for topic in topics:
        parts.append(topic.name)
        parts.append(" ")
    parts.append(" ".join(article.keywords))
    # The template file ends with a newline.
    parts.append("\n")
    return "".join(parts)
