"""The suite's shared test data, in one place: the sample issues under
``samples/`` and factory-boy factories for the rows a test builds by hand.

A factory fills in what a test does not care about (an issue's source file
and checksum, an article's place in its issue) and leaves the rest to the
test: ``ArticleFactory(issue__publication_date=day, headline=..., paragraphs=[...])``.
Articles of one day share that day's issue, as in the archive. Tests that
need real text ingest the sample issues instead (``ingested_samples`` in
conftest.py)."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import factory
from factory.django import DjangoModelFactory

from archive.models import Article, Byline, Issue, Newspaper, Reporter

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_DIR / "samples"
SAMPLE_FILES = sorted(SAMPLES_DIR.glob("*.txt"))


class IssueFactory(DjangoModelFactory):
    """One day's issue; asking again for a day gives that day's issue."""

    class Meta:
        model = Issue
        django_get_or_create = ("publication_date",)

    # The archive's one title (named by NEWSPAPER_NAME) unless a test names another.
    paper = factory.LazyFunction(lambda: Newspaper.for_setting())
    publication_date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    source_name = factory.LazyAttribute(lambda issue: f"{issue.publication_date:%Y%m%d}.txt")
    source_sha256 = factory.LazyAttribute(lambda issue: hashlib.sha256(issue.source_name.encode()).hexdigest())
    source_text = "……"


class ArticleFactory(DjangoModelFactory):
    """An article of an issue. ``reporter="王二"`` signs it (the reporter is
    created if new)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    issue = factory.SubFactory(IssueFactory)
    position = factory.Sequence(lambda n: n + 1)
    headline = factory.Sequence(lambda n: f"第{n + 1}篇报道")
    paragraphs = factory.LazyAttribute(lambda article: [f"{article.headline}的正文。"])

    @factory.post_generation
    def reporter(article, create, name, **kwargs):
        if create and name:
            reporter, _ = Reporter.objects.get_or_create(name=name)
            Byline.objects.create(article=article, reporter=reporter)
