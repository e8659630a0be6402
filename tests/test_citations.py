"""Citations of an article: GB/T 7714-2015, APA and MLA on the article page,
RIS and BibTeX downloads (read back by rispy and bibtexparser, as reference
managers would), citation_* meta tags for Zotero and Google Scholar, and
photo news titles used in lists and citations."""

from __future__ import annotations

import datetime
import re
from html import unescape

import bibtexparser
import pytest
import rispy
from django.utils import timezone

from archive.models import Article, ArticleKind, Byline, BylineRole, Issue, Newspaper, Reporter, Section
from archive.titles import caption_title

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(db):
    """An article by two reporters on page 3 of a day's paper."""
    paper, day = Newspaper.for_setting(), datetime.date(2023, 3, 7)
    issue = Issue.objects.create(paper=paper, publication_date=day, source_name="t.txt", source_sha256="c")
    section = Section.objects.create(name="第3版 要闻")
    article = Article.objects.create(
        issue=issue,
        position=1,
        section=section,
        headline="全市春季植树造林工作全面启动",
        paragraphs=["本报讯 3月6日，全市春季植树造林工作全面启动。"],
        keywords=["植树造林", "绿化"],
    )
    for position, (name, role) in enumerate([("陈静", BylineRole.REPORTER), ("李涛", BylineRole.CORRESPONDENT)]):
        reporter = Reporter.objects.create(name=name)
        Byline.objects.create(article=article, reporter=reporter, role=role, position=position)
    return article


def text_of(page, element_id):
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', page, re.S)
    return unescape(re.sub(r"<[^>]+>", "", found[1])).strip()


def test_the_article_page_cites_it_in_gbt_7714_apa_and_mla(cited, client):
    page = client.get(cited.get_absolute_url()).content.decode()
    url = f"http://testserver{cited.get_absolute_url()}"
    today = timezone.localdate().isoformat()
    assert text_of(page, "citation-gbt7714") == (
        f"陈静, 李涛. 全市春季植树造林工作全面启动[N/OL]. 呼和浩特日报, 2023-03-07(3)[{today}]. {url}."
    )
    title = "全市春季植树造林工作全面启动"
    assert text_of(page, "citation-apa") == f"陈静, & 李涛. (2023, March 7). {title}. 呼和浩特日报, 3. {url}"
    assert text_of(page, "citation-mla") == f"陈静, and 李涛. “{title}.” 呼和浩特日报, 7 Mar. 2023, p. 3, {url}."
    # The newspaper's name in italics, as APA and MLA set it.
    assert "<i>呼和浩特日报</i>" in page
    for label in ("GB/T 7714-2015", "APA", "MLA"):
        assert f"复制 {label} 格式" in page


def test_an_article_without_byline_or_page_is_cited_by_its_title(cited, client):
    cited.bylines.all().delete()
    cited.section = None
    cited.save()
    page = client.get(cited.get_absolute_url()).content.decode()
    assert text_of(page, "citation-gbt7714").startswith("全市春季植树造林工作全面启动[N/OL]. 呼和浩特日报, 2023-03-07[")
    assert text_of(page, "citation-apa").startswith("全市春季植树造林工作全面启动. (2023, March 7). 呼和浩特日报. http")
    assert text_of(page, "citation-mla").startswith("“全市春季植树造林工作全面启动.” 呼和浩特日报, 7 Mar. 2023, http")


def test_meta_tags_let_zotero_and_scholar_read_the_article(cited, client):
    page = client.get(cited.get_absolute_url()).content.decode()
    meta = re.findall(r'<meta name="(citation_\w+)" content="([^"]*)">', page)
    assert ("citation_title", "全市春季植树造林工作全面启动") in meta
    assert [value for name, value in meta if name == "citation_author"] == ["陈静", "李涛"]
    assert ("citation_publication_date", "2023/03/07") in meta
    assert ("citation_journal_title", "呼和浩特日报") in meta
    assert ("citation_firstpage", "3") in meta
    ris_type = 'type="application/x-research-info-systems"'
    ris_link = f'<link rel="alternate" {ris_type} title="RIS" href="{cited.get_absolute_url()}cite.ris">'
    assert ris_link in page
    assert f'type="application/x-bibtex" title="BibTeX" href="{cited.get_absolute_url()}cite.bib"' in page


def test_ris_download_reads_back_as_a_newspaper_article(cited, client):
    response = client.get(f"{cited.get_absolute_url()}cite.ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    [entry] = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "NEWS"
    assert entry["title"] == "全市春季植树造林工作全面启动"
    assert entry["authors"] == ["陈静", "李涛"]
    assert entry["date"] == "2023/03/07"
    assert entry["secondary_title"] == "呼和浩特日报"
    assert entry["start_page"] == "3"
    assert entry["urls"] == [f"http://testserver{cited.get_absolute_url()}"]
    assert entry["keywords"] == ["植树造林", "绿化"]


def test_bibtex_download_reads_back_with_its_fields(cited, client):
    cited.headline = "50%的树苗{成活} & 更多"
    cited.save()
    response = client.get(f"{cited.get_absolute_url()}cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    [entry] = library.entries
    fields = {field.key: field.value for field in entry.fields}
    assert entry.entry_type == "article"
    assert fields["author"] == "陈静 and 李涛"
    assert fields["journal"] == "呼和浩特日报"
    assert fields["date"] == "2023-03-07" and fields["pages"] == "3"
    assert fields["title"] == r"50\%的树苗\{成活\} \& 更多"
    assert fields["url"] == f"http://testserver{cited.get_absolute_url()}"


def test_unknown_reference_format_is_404(cited, client):
    assert client.get(f"{cited.get_absolute_url()}cite.doc").status_code == 404


def test_a_search_result_page_downloads_as_ris_and_bibtex(ingested_samples, client):
    page = client.get("/search/", {"q": "民政"}).content.decode()
    ris_type = 'type="application/x-research-info-systems"'
    link = re.search(rf'<link rel="alternate" {ris_type} title="RIS" href="([^"]+)">', page)
    assert link, "the results page links its RIS file"
    assert 'type="application/x-bibtex"' in page
    hits = re.findall(r'<h3 class="headline"><a href="(/papers/[\w-]+/articles/\d+/)">', page)
    assert hits
    entries = rispy.loads(client.get(unescape(link[1])).content.decode())
    assert [entry["urls"][0].removeprefix("http://testserver") for entry in entries] == hits
    bib = client.get(unescape(link[1]).replace("cite.ris", "cite.bib")).content.decode()
    assert len(bibtexparser.parse_string(bib).entries) == len(hits)


def test_a_search_with_bad_input_downloads_nothing(ingested_samples, client):
    response = client.get("/search/cite.ris", {"q": "民政", "from": "2023-99-01"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("caption", "title"),
    [
        (
            "11月20日，在江苏省南京市某社区，民警向居民讲解防范电信网络诈骗知识。",
            "图片新闻：民警向居民讲解防范电信网络诈骗知识",
        ),
        (
            "6月10日，市民在市博物馆参观“非遗里的端午”主题展览。端午节前夕，",
            "图片新闻：市民在市博物馆参观“非遗里的端午”主题展览",
        ),
        (
            "“我们的节日·春节，欢乐祥和过大年”活动现场，孩子们写福字。",
            "图片新闻：“我们的节日·春节，欢乐祥和过大年”活动现场",
        ),
        ("市民在新华广场参加升国旗仪式。本报记者 巴图 摄", "图片新闻：市民在新华广场参加升国旗仪式"),
    ],
)
def test_photo_news_is_titled_by_its_captions_first_clause(caption, title):
    assert caption_title(caption) == title


def test_a_long_clause_is_cut_outside_its_quotes():
    title = caption_title("市民在“第十二届呼和浩特市民间艺术节暨非物质文化遗产展示展演活动”现场观看表演并拍照留念")
    assert title.endswith("…")
    body = title.removeprefix("图片新闻：").removesuffix("…")
    assert body.count("“") == body.count("”")


def test_the_photo_title_is_used_in_lists_and_in_the_citation(ingested_samples, client):
    photo = Article.objects.filter(kind=ArticleKind.PHOTO, headline="").first()
    assert photo.title.startswith("图片新闻：")
    issue_page = unescape(client.get(photo.issue.get_absolute_url()).content.decode())
    assert photo.title in issue_page
    article_page = client.get(photo.get_absolute_url()).content.decode()
    assert f"{photo.title}[N/OL]" in text_of(article_page, "citation-gbt7714")
