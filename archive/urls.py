from django.urls import path, register_converter

from archive import views
from archive.search import views as search_views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        import datetime

        return datetime.date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("issues/<isodate:day>/", views.issue_detail, name="issue_detail"),
    path("archive/<int:year>/", views.archive_year, name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.archive_month, name="archive_month"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("reporters/", views.reporter_list, name="reporter_list"),
    path("reporters/<slug:slug>/", views.reporter_detail, name="reporter_detail"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("search/", search_views.search, name="search"),
]
