"""The styled pages for an unknown address (404) and a server error (500)."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse

from archive.views import errors as error_views
from tests.site_pages import html


def test_unknown_url_gets_the_styled_404(db, client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = html(response)
    assert "页面不存在" in page and "按日期浏览" in page and "<title>页面不存在" in page
    assert reverse("archive:paper_list") in page


def test_server_error_page_is_styled_and_needs_no_database(settings):
    request = RequestFactory().get("/")
    response = error_views.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错了" in page and "css/site.css" in page and 'href="/"' in page
