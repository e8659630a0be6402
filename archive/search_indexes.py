from haystack import indexes

from archive.models import Article
from archive.search.analysis import ChineseAnalyzer


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True, analyzer=ChineseAnalyzer())
    headline = indexes.CharField(model_attr="headline", analyzer=ChineseAnalyzer(), boost=3.0)
    issue_date = indexes.DateField(model_attr="issue__publication_date")

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return self.get_model().objects.for_listing()
