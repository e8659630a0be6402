"""What the search index holds for an article.

``text`` is the full-text document (a data template, so a larger engine gets
the same text); the headline is also a field of its own with a boost, so a
word in the headline ranks above the same word in the body. The rest are
filter and facet fields, named as the search page's parameters.
"""

import datetime

from haystack import indexes

from archive.models import Article
from archive.search.analysis import ChineseAnalyzer

HEADLINE_BOOST = 4.0


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True, analyzer=ChineseAnalyzer(), stored=False)
    headline = indexes.CharField(analyzer=ChineseAnalyzer(), boost=HEADLINE_BOOST, stored=False)
    issue_date = indexes.DateField(model_attr="issue__publication_date", stored=False)
    event_date = indexes.DateField(model_attr="event_date", null=True, stored=False)
    year = indexes.IntegerField(faceted=True, stored=False)
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
        return self.get_model().objects.for_listing().prefetch_related("topics")

    def get_updated_field(self):
        return "updated_at"

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
