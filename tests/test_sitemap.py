"""The sitemap: an index of sections that together list every title, issue
and article."""

from __future__ import annotations

from archive.models import Article
from tests.site_pages import at, paper


def test_sitemap_index_and_sections_cover_every_issue_and_article(samples, client):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    body = index.content.decode()
    for section in ("pages", "papers", "issues", "articles", "reporters", "topics"):
        assert f"/sitemap-{section}.xml" in body
    articles = client.get("/sitemap-articles.xml").content.decode()
    assert articles.count("<url>") == Article.objects.count()
    assert f"<loc>http://testserver{Article.objects.first().get_absolute_url()}</loc>" in articles
    issues = client.get("/sitemap-issues.xml").content.decode()
    assert f"<loc>http://testserver{at('issue_detail', '2024-01-12')}</loc>" in issues
    papers = client.get("/sitemap-papers.xml").content.decode()
    assert f"<loc>http://testserver{paper().get_absolute_url()}</loc>" in papers
