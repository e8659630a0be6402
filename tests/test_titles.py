"""Titles: an archive of several newspapers.

The migration from an archive of one paper, creating titles, and ingest filing
each issue under the right title (or refusing a dump that names another paper).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from archive.editing import EditingError, change_issue_date, move_issue
from archive.ingest import IngestError, ingest_file, ingest_text
from archive.models import Article, Issue, Newspaper, Reporter
from archive.search.query import search_articles
from tests.conftest import SAMPLE_FILES

BEFORE_TITLES = ("archive", "0008_pending_index")
WITH_TITLES = ("archive", "0011_issue_paper_required")


def sample_text(index=0, masthead=None):
    text = SAMPLE_FILES[index].read_text(encoding="utf-8")
    return f"{masthead}\n\n{text}" if masthead else text


def add_paper(*args):
    call_command("add_paper", *args)
    return Newspaper.objects.get(slug=args[0])


# The migration ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_files_an_archive_of_one_paper_under_the_title_the_setting_names(settings):
    settings.NEWSPAPER_NAME = "青城日报"
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("archive")
    executor.migrate([BEFORE_TITLES])
    try:
        old = executor.loader.project_state([BEFORE_TITLES]).apps
        OldIssue = old.get_model("archive", "Issue")
        OldArticle = old.get_model("archive", "Article")
        days = [datetime.date(2024, 1, 11), datetime.date(2024, 1, 12)]
        for n, day in enumerate(days):
            issue = OldIssue.objects.create(
                publication_date=day, source_name=f"{n}.txt", source_sha256=str(n) * 64, source_text="……"
            )
            OldArticle.objects.create(issue=issue, position=1, issue_date=day, headline=f"标题{n}", paragraphs=[])
        old.get_model("archive", "HistoricalIssue").objects.create(
            id=1, publication_date=days[0], source_name="0.txt", source_sha256="0" * 64, history_type="+",
            history_date=datetime.datetime(2024, 1, 12, tzinfo=datetime.UTC), date_inferred=False,
            source_encoding="utf-8", unassigned=[], ingested_at=datetime.datetime(2024, 1, 12, tzinfo=datetime.UTC),
            updated_at=datetime.datetime(2024, 1, 12, tzinfo=datetime.UTC),
        )  # fmt: skip

        executor = MigrationExecutor(connection)
        executor.migrate([WITH_TITLES])
        new = executor.loader.project_state([WITH_TITLES]).apps
        papers = list(new.get_model("archive", "Newspaper").objects.values_list("name", "slug"))
        assert papers == [("青城日报", "qing-cheng-ri-bao")]
        Issue_ = new.get_model("archive", "Issue")
        assert sorted(Issue_.objects.values_list("paper__name", "publication_date")) == [
            ("青城日报", days[0]),
            ("青城日报", days[1]),
        ]
        articles = new.get_model("archive", "Article").objects.values_list("paper__name", flat=True)
        assert list(articles) == ["青城日报", "青城日报"]
        history = new.get_model("archive", "HistoricalIssue").objects.values_list("paper__name", flat=True)
        assert list(history) == ["青城日报"]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)


# add_paper ----------------------------------------------------------------


def test_add_paper_creates_a_title_with_its_details(db, capsys):
    paper = add_paper(
        "ren-min-ri-bao",
        "人民日报",
        "--short-name",
        "人民日报",
        "--place",
        "北京",
        "--publisher",
        "人民日报社",
        "--first-issue",
        "1948-06-15",
        "--frequency",
        "daily",
        "--cn",
        "CN11-0065",
    )
    assert "created title ren-min-ri-bao: 人民日报" in capsys.readouterr().out
    assert (paper.place, paper.publisher, paper.identifier) == ("北京", "人民日报社", "CN11-0065")
    assert paper.first_issue == datetime.date(1948, 6, 15)
    assert paper.language == "zh-Hans"

    call_command("add_paper", "ren-min-ri-bao", "人民日报", "--place", "北京")
    assert "unchanged" in capsys.readouterr().out
    call_command("add_paper", "ren-min-ri-bao", "人民日报", "--issn", "0254-6507")
    assert "updated" in capsys.readouterr().out
    assert Newspaper.objects.get().identifier == "0254-6507"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--issn", "0254-6508"], "ISSN"),
        (["--identifier", "ABC"], "CN15-0003"),
        (["--first-issue", "2000-01-01", "--last-issue", "1999-01-01"], "--last-issue"),
    ],
)
def test_add_paper_refuses_bad_details_in_one_line(db, args, message):
    with pytest.raises(CommandError) as error:
        call_command("add_paper", "x-bao", "某报", *args)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert not Newspaper.objects.exists()


def test_add_paper_refuses_a_name_another_title_has(db):
    add_paper("a-bao", "某日报")
    with pytest.raises(CommandError, match="NAME"):
        call_command("add_paper", "b-bao", "某日报")


# Ingest -------------------------------------------------------------------


def test_two_titles_ingest_side_by_side_on_the_same_date(db, clean_index, tmp_path):
    daily = add_paper("hu-he-hao-te-ri-bao", "呼和浩特日报")
    evening = add_paper("qing-cheng-wan-bao", "青城晚报")
    day = datetime.date(2024, 1, 12)
    first = ingest_text(sample_text(0), source_name="a.txt", issue_date=day, paper=daily.slug)
    second = ingest_text(sample_text(0, "青城晚报"), source_name="b.txt", issue_date=day, paper=evening.slug)
    assert first.status == second.status == "created"
    assert "of 青城晚报" in second.message
    assert sorted(Issue.objects.filter(publication_date=day).values_list("paper__slug", flat=True)) == [
        "hu-he-hao-te-ri-bao",
        "qing-cheng-wan-bao",
    ]
    assert Article.objects.filter(issue__paper=evening).count() == Article.objects.filter(issue__paper=daily).count()
    # The same date again for one title is still one issue.
    with pytest.raises(IngestError, match="already stored"):
        ingest_text(sample_text(1, "青城晚报"), source_name="c.txt", issue_date=day, paper=evening.slug)


def test_a_dump_whose_masthead_names_another_paper_is_refused(db, clean_index, capsys, tmp_path):
    add_paper("hu-he-hao-te-ri-bao", "呼和浩特日报")
    dump = tmp_path / "2024-01-12.txt"
    dump.write_text(sample_text(0, "人民日报"), encoding="utf-8")
    with pytest.raises(CommandError, match="1 failed"):
        call_command("ingest", str(dump), "--paper", "hu-he-hao-te-ri-bao", "--no-progress")
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "masthead names 人民日报, not 呼和浩特日报" in lines[0]
    assert "manage.py add_paper ren-min-ri-bao 人民日报" in lines[0]
    assert not Issue.objects.exists()
    assert not Article.objects.exists()

    # Named in the masthead, a known title is the one the issue goes under.
    add_paper("ren-min-ri-bao", "人民日报")
    result = ingest_file(dump)
    assert result.issue.paper.slug == "ren-min-ri-bao"


def test_a_page_header_naming_another_paper_is_refused_too(db, clean_index):
    add_paper("hu-he-hao-te-ri-bao", "呼和浩特日报", "--short-name", "首府日报")
    text = sample_text(0).replace("\n\n", "\n\n河北日报　2024年1月12日　第2版\n\n", 1)
    with pytest.raises(IngestError, match="masthead names 河北日报"):
        ingest_text(text, source_name="x.txt", issue_date=datetime.date(2024, 1, 12), paper="hu-he-hao-te-ri-bao")
    # Its own name, or its short name, is welcome.
    own = sample_text(0, "呼和浩特日报").replace("\n\n", "\n\n首府日报　2024年1月12日　第1版\n\n", 1)
    assert ingest_text(own, source_name="x.txt", issue_date=datetime.date(2024, 1, 12)).status == "created"


def test_an_unknown_title_gives_the_command_that_creates_it(db, clean_index, tmp_path, capsys):
    dump = tmp_path / "2024-01-12.txt"
    dump.write_text(sample_text(0, "青城晚报"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("ingest", str(dump), "--paper", "qing-cheng-wan-bao", "--no-progress")
    err = capsys.readouterr().err
    assert "no title 'qing-cheng-wan-bao'" in err
    assert "manage.py add_paper qing-cheng-wan-bao 青城晚报" in err
    assert not Newspaper.objects.exists()


def test_a_paper_toml_names_the_title_of_its_folder(db, clean_index, tmp_path, capsys):
    add_paper("hu-he-hao-te-ri-bao", "呼和浩特日报")
    evening = add_paper("qing-cheng-wan-bao", "青城晚报")
    folder = tmp_path / "evening"
    folder.mkdir()
    (folder / "paper.toml").write_text('# 青城晚报的版面文本\npaper = "qing-cheng-wan-bao"\n', encoding="utf-8")
    (folder / "2024-01-12.txt").write_text(sample_text(0), encoding="utf-8")
    (folder / "2024-01-13.txt").write_text(sample_text(1), encoding="utf-8")
    call_command("ingest", str(tmp_path), "--no-progress")
    assert "2 ingested" in capsys.readouterr().out
    assert set(Issue.objects.values_list("paper", flat=True)) == {evening.pk}

    # --paper disagreeing with the folder's rule is refused, not guessed.
    (folder / "2024-01-14.txt").write_text(sample_text(1, "青城晚报"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("ingest", str(folder / "2024-01-14.txt"), "--paper", "hu-he-hao-te-ri-bao", "--no-progress")
    assert "names qing-cheng-wan-bao" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [('paper = "', "not a readable TOML file"), ('title = "x"', "unknown key 'title'"), ("paper = 3", "paper =")],
)
def test_a_bad_paper_toml_is_one_clear_line(db, clean_index, tmp_path, capsys, content, message):
    (tmp_path / "paper.toml").write_text(content, encoding="utf-8")
    (tmp_path / "2024-01-12.txt").write_text(sample_text(0), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path), "--no-progress")
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], lines
    assert not Issue.objects.exists()


def test_several_titles_and_none_named_asks_which(db, clean_index):
    add_paper("hu-he-hao-te-ri-bao", "呼和浩特日报")
    add_paper("qing-cheng-wan-bao", "青城晚报")
    with pytest.raises(IngestError, match=r"several titles \(hu-he-hao-te-ri-bao, qing-cheng-wan-bao\).*--paper"):
        ingest_text(sample_text(0), source_name="a.txt", issue_date=datetime.date(2024, 1, 12))
    assert not Issue.objects.exists()


def test_an_empty_archive_starts_with_the_setting_title_only_when_an_issue_goes_in(db, clean_index, settings):
    settings.NEWSPAPER_NAME = "呼和浩特日报"
    with pytest.raises(IngestError):
        ingest_text("第2版\n\n要闻\n", source_name="labels.txt", issue_date=datetime.date(2024, 1, 12))
    assert not Newspaper.objects.exists()
    result = ingest_text(sample_text(0), source_name="a.txt", issue_date=datetime.date(2024, 1, 12))
    assert result.issue.paper.name == "呼和浩特日报"


def test_the_same_file_under_another_title_is_refused(db, clean_index):
    add_paper("hu-he-hao-te-ri-bao", "呼和浩特日报")
    add_paper("qing-cheng-wan-bao", "青城晚报")
    day = datetime.date(2024, 1, 12)
    ingest_text(sample_text(0), source_name="a.txt", issue_date=day, paper="hu-he-hao-te-ri-bao")
    # Without a title named, a stored file is recognised as it is.
    assert ingest_text(sample_text(0), source_name="a.txt", issue_date=day).status == "unchanged"
    with pytest.raises(IngestError, match="already stored as the issue of 2024-01-12 of 呼和浩特日报"):
        ingest_text(sample_text(0), source_name="a.txt", issue_date=day, paper="qing-cheng-wan-bao")


def test_an_issue_date_is_corrected_within_its_title(db, clean_index):
    daily = add_paper("hu-he-hao-te-ri-bao", "呼和浩特日报")
    evening = add_paper("qing-cheng-wan-bao", "青城晚报")
    first = ingest_text(sample_text(0), source_name="a.txt", issue_date=datetime.date(2024, 1, 12), paper=daily.slug)
    ingest_text(sample_text(1), source_name="b.txt", issue_date=datetime.date(2024, 1, 13), paper=daily.slug)
    ingest_text(
        sample_text(1, "青城晚报"), source_name="c.txt", issue_date=datetime.date(2024, 1, 14), paper=evening.slug
    )
    # The evening paper's date is free for the daily…
    change_issue_date(first.issue, datetime.date(2024, 1, 14))
    # …its own next issue's is not.
    with pytest.raises(EditingError):
        change_issue_date(first.issue, datetime.date(2024, 1, 13))


# Pages --------------------------------------------------------------------

DAY = datetime.date(2024, 1, 12)


@pytest.fixture
def two_titles(db, clean_index, settings):
    """The samples' newest issue in the daily and, on the same day, in the evening paper."""
    settings.NEWSPAPER_NAME = "呼和浩特日报"
    cache.clear()
    daily = add_paper("hu-he-hao-te-ri-bao", "呼和浩特日报", "--place", "呼和浩特")
    evening = add_paper("qing-cheng-wan-bao", "青城晚报", "--place", "呼和浩特", "--frequency", "daily")
    ingest_text(sample_text(0), source_name="a.txt", issue_date=DAY, paper=daily.slug)
    ingest_text(sample_text(1), source_name="b.txt", issue_date=datetime.date(2023, 5, 25), paper=daily.slug)
    ingest_text(sample_text(0, "青城晚报"), source_name="c.txt", issue_date=DAY, paper=evening.slug)
    # Ingest queues its articles for the index; the command drains the queue after it.
    from archive import search

    search.drain_queue()
    return daily, evening


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_titles_page_and_the_front_door_list_both_titles_with_counts(two_titles, client):
    daily, evening = two_titles
    listing = page(client, reverse("archive:paper_list"))
    for paper, issues in ((daily, 2), (evening, 1)):
        articles = Article.objects.filter(issue__paper=paper).count()
        assert f'<a href="{paper.get_absolute_url()}">{paper.name}</a>' in listing
        assert f'<td class="num">{issues}</td>\n    <td class="num">{articles}</td>' in listing
    home = page(client, reverse("archive:home"))
    assert "<strong>2</strong> 种报纸" in home
    for paper in two_titles:
        assert paper.get_absolute_url() in home
        assert reverse("archive:issue_detail", args=[paper.slug, DAY]) in home


def test_each_title_has_its_own_home_issue_dates_and_feed(two_titles, client):
    daily, evening = two_titles
    home = page(client, evening.get_absolute_url())
    evening_issue = Issue.objects.get(paper=evening)
    for article in evening_issue.articles.all():
        assert article.get_absolute_url() in home
    assert reverse("archive:archive_year", args=[evening.slug, 2024]) in home
    assert reverse("archive:archive_year", args=[evening.slug, 2023]) not in home

    issue = page(client, evening_issue.get_absolute_url())
    assert "青城晚报" in issue
    # The same day's issue of the other title is one link away.
    assert (
        f'<a href="{Issue.objects.get(paper=daily, publication_date=DAY).get_absolute_url()}">呼和浩特日报</a>' in issue
    )
    assert "已是最早一期" in issue and "已是最新一期" in issue
    page(client, reverse("archive:issue_detail", args=[evening.slug, datetime.date(2023, 5, 25)]), status=404)

    year = page(client, reverse("archive:archive_year", args=[daily.slug, 2023]))
    assert reverse("archive:issue_detail", args=[daily.slug, datetime.date(2023, 5, 25)]) in year
    page(client, reverse("archive:archive_year", args=[evening.slug, 2023]), status=404)

    feed = page(client, reverse("archive:feed_paper", args=[evening.slug]))
    assert feed.count("<entry>") == evening_issue.articles.count()
    assert f"/papers/{evening.slug}/articles/" in feed and f"/papers/{daily.slug}/" not in feed
    page(client, "/papers/no-such-paper/", status=404)
    page(client, "/papers/no-such-paper/feed/", status=404)


def test_article_pages_carry_their_title_and_the_citation_names_it(two_titles, client):
    daily, evening = two_titles
    article = Article.objects.filter(paper=evening).order_by("position").first()
    url = article.get_absolute_url()
    assert url == f"/papers/{evening.slug}/articles/{article.pk}/"
    body = page(client, url)
    assert '<meta name="citation_journal_title" content="青城晚报">' in body
    assert "[N/OL]. 青城晚报, 2024-01-12" in body  # GB/T 7714
    reference = client.get(reverse("archive:article_reference", args=[evening.slug, article.pk, "ris"]))
    assert "T2  - 青城晚报" in reference.content.decode()
    # Under another title's address, the article sends the reader to its own.
    wrong = client.get(f"/papers/{daily.slug}/articles/{article.pk}/")
    assert wrong.status_code == 301 and wrong["Location"] == url


def test_old_addresses_redirect_permanently_to_the_title_they_meant(two_titles, client):
    daily, evening = two_titles
    article = Article.objects.filter(paper=evening).first()
    expected = {
        "/issues/2024-01-12/": f"/papers/{daily.slug}/issues/2024-01-12/",
        "/issues/?date=2024-01-10": f"/papers/{daily.slug}/issues/?date=2024-01-10",
        "/archive/": f"/papers/{daily.slug}/archive/",
        "/archive/2023/": f"/papers/{daily.slug}/archive/2023/",
        "/archive/2024/1/": f"/papers/{daily.slug}/archive/2024/1/",
        f"/articles/{article.pk}/": f"/papers/{evening.slug}/articles/{article.pk}/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get("/articles/999999/").status_code == 404
    assert client.get("/issues/1999-01-01/").status_code == 404


def test_a_renamed_title_keeps_its_old_addresses(two_titles, client):
    _, evening = two_titles
    old = reverse("archive:archive_year", args=[evening.slug, 2024])
    evening.slug = "qing-cheng-wan-bao-she"
    evening.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == reverse("archive:archive_year", args=["qing-cheng-wan-bao-she", 2024])


def test_a_reporter_page_shows_the_titles_they_wrote_for_by_year(two_titles, client):
    reporter = Reporter.objects.filter(bylines__article__paper=two_titles[1]).distinct().first()
    body = page(client, reporter.get_absolute_url())
    table = body[body.index('class="data-table papers-by-year"') :]
    table = table[: table.index("</table>")]
    written = Article.objects.filter(bylines__reporter=reporter)
    years = sorted({day.year for day in written.values_list("issue_date", flat=True)})
    assert "".join(f'<th scope="col" class="num">{year}</th>' for year in years) in table
    for paper in two_titles:
        counts = [written.filter(paper=paper, issue_date__year=year).distinct().count() for year in years]
        cells = "".join(f'<td class="num">{count or "—"}</td>' for count in counts)
        assert f'<a href="{paper.get_absolute_url()}">{paper.name}</a></th>{cells}</tr>' in table


# Search -------------------------------------------------------------------


def test_search_counts_each_title_and_filters_by_one(two_titles, client):
    daily, evening = two_titles
    word = "民政"
    everything = search_articles(word, per_page=100)
    counts = {value: count for value, _, count in everything.facets["paper"]}
    assert set(counts) == {daily.slug, evening.slug}
    assert {label for _, label, _ in everything.facets["paper"]} == {"呼和浩特日报", "青城晚报"}
    assert sum(counts.values()) == everything.total
    by_paper = {
        paper.slug: {hit.article.pk for hit in everything.hits if hit.article.paper_id == paper.pk}
        for paper in two_titles
    }
    assert {slug: len(ids) for slug, ids in by_paper.items()} == counts

    only = search_articles(word, paper=evening.slug, per_page=100)
    assert {hit.article.pk for hit in only.hits} == by_paper[evening.slug]
    # The evening issue is a copy of the daily's of the same day: the same matches.
    same_day = search_articles(word, paper=daily.slug, date_from=DAY, date_to=DAY)
    assert same_day.total == only.total > 0
    # The facet still offers the other title, with its count.
    assert {value: count for value, _, count in only.facets["paper"]}[daily.slug] == counts[daily.slug]

    body = page(client, reverse("archive:search") + f"?q={word}&paper={evening.slug}")
    assert "报纸：青城晚报" in body
    assert f'<option value="{evening.slug}" selected>青城晚报</option>' in body
    links = re.findall(r'class="headline"><a href="([^"]+)"', body)
    assert links and all(link.startswith(f"/papers/{evening.slug}/articles/") for link in links)

    api = client.get(reverse("archive:api_articles"), {"q": word, "paper": evening.slug}).json()
    assert api["count"] == only.total
    assert {item["paper"]["slug"] for item in api["results"]} == {evening.slug}
    listing = client.get(reverse("archive:api_articles"), {"paper": daily.slug, "page_size": 100}).json()
    assert listing["count"] == Article.objects.filter(issue__paper=daily).count()
    bad = client.get(reverse("archive:api_articles"), {"paper": "no-such-paper"})
    assert bad.status_code == 400 and bad.json()["error"]["parameter"] == "paper"


# Admin --------------------------------------------------------------------


@pytest.fixture
def chief_client(client, db):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "a-long-password-1"))
    return client


def test_moving_an_issue_to_another_title_takes_its_articles_index_and_history(
    two_titles, chief_client, django_capture_on_commit_callbacks
):
    from tests.admin_pages import filtered_ids, form_data

    daily, evening = two_titles
    issue = Issue.objects.get(paper=daily, publication_date=datetime.date(2023, 5, 25))
    ids = set(issue.articles.values_list("pk", flat=True))
    versions = issue.history.count()
    url = reverse("admin:archive_issue_change", args=[issue.pk])
    data = form_data(chief_client.get(url))
    data["paper"] = str(evening.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert chief_client.post(url, data).status_code == 302

    issue.refresh_from_db()
    assert issue.paper == evening
    assert set(Article.objects.filter(paper=evening, issue=issue).values_list("pk", flat=True)) == ids
    # The index files its articles under the new title, the pages at its address.
    assert ids <= filtered_ids(paper=evening.slug)
    assert not ids & filtered_ids(paper=daily.slug)
    article = Article.objects.get(pk=min(ids))
    assert article.get_absolute_url().startswith(f"/papers/{evening.slug}/")
    assert chief_client.get(f"/papers/{daily.slug}/articles/{article.pk}/")["Location"] == article.get_absolute_url()
    assert chief_client.get(issue.get_absolute_url()).status_code == 200
    # The history keeps the earlier versions and says what happened.
    assert issue.history.count() == versions + 1
    assert issue.history.first().history_change_reason == "改归报纸：呼和浩特日报 → 青城晚报"
    assert issue.history.last().paper_id == daily.pk


def test_an_issue_cannot_move_to_a_title_that_has_that_day(two_titles, chief_client):
    from tests.admin_pages import form_data

    daily, evening = two_titles
    issue = Issue.objects.get(paper=daily, publication_date=DAY)
    url = reverse("admin:archive_issue_change", args=[issue.pk])
    data = form_data(chief_client.get(url))
    data["paper"] = str(evening.pk)
    response = chief_client.post(url, data)
    assert response.status_code == 200
    assert "包含 报纸 和 出版日期 的 期次 已经存在" in response.content.decode()
    issue.refresh_from_db()
    assert issue.paper == daily
    with pytest.raises(EditingError, match="同一天只能有一期"):
        move_issue(issue, evening)


def test_editors_see_per_title_counts_and_edit_a_title(two_titles, chief_client, django_capture_on_commit_callbacks):
    from tests.admin_pages import filtered_ids, form_data

    _, evening = two_titles
    listing = chief_client.get(reverse("admin:archive_newspaper_changelist")).content.decode()
    for paper in two_titles:
        issues = Issue.objects.filter(paper=paper).count()
        articles = Article.objects.filter(paper=paper).count()
        row = listing[listing.index(f">{paper.name}</a>") :]
        row = row[: row.index("</tr>")]
        assert f'<td class="field-issue_count">{issues}</td><td class="field-article_count">{articles}</td>' in row

    url = reverse("admin:archive_newspaper_change", args=[evening.pk])
    data = form_data(chief_client.get(url))
    data.update({"slug": "wan-bao", "identifier": "CN15-0099", "place": "呼和浩特市"})
    with django_capture_on_commit_callbacks(execute=True):
        assert chief_client.post(url, data).status_code == 302
    evening.refresh_from_db()
    assert (evening.slug, evening.identifier) == ("wan-bao", "CN15-0099")
    # A new slug is in the articles' addresses and in the index at once.
    assert filtered_ids(paper="wan-bao") == set(Article.objects.filter(paper=evening).values_list("pk", flat=True))
    data["identifier"] = "ISSN 12"  # neither form
    assert "刊号" in chief_client.post(url, data).content.decode()


def test_the_second_sample_title_goes_in_under_its_folder_rule(db, clean_index, capsys):
    call_command("add_paper", "ren-min-ri-bao", "人民日报", "--place", "北京", "--cn", "CN11-0065")
    call_command("ingest", str(SAMPLE_FILES[0].parent / "ren-min-ri-bao"), "--no-progress")
    assert "2 ingested, 0 unchanged, 0 failed" in capsys.readouterr().out
    issues = Issue.objects.filter(paper__slug="ren-min-ri-bao").order_by("publication_date")
    assert [issue.publication_date.isoformat() for issue in issues] == ["2019-10-22", "2019-10-23"]
    assert all(issue.articles.count() >= 5 for issue in issues)
