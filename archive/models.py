"""The archive's data: issues, the articles printed in them, who wrote them.

Query rules live on the QuerySets below so that views, feeds, the API and the
search index all agree on what "an article by this reporter" or "the articles
of that day" means.
"""

from __future__ import annotations

import json
import re
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Max, Min, Prefetch, Q, Value, When
from django.db.models.functions import ExtractYear
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin
from simple_history.models import HistoricalRecords

from archive import titles
from archive.parsing.document import DOUBTS, KINDS, ROLES, TOPICS
from archive.parsing.lines import CONTINUED_FROM


class UnicodeJSONEncoder(json.JSONEncoder):
    """Store Chinese as characters, not \\u escapes, so text lookups work."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


def _choices(name: str, vocabulary: dict[str, str]):
    """Django choices made from one of the parser's vocabularies, so the two never drift."""
    return models.TextChoices(name, [(value.upper(), (value, label)) for value, label in vocabulary.items()])


# ArticleKind.NEWS == "news", with the label "消息"; see archive.parsing.document.
ArticleKind = _choices("ArticleKind", KINDS)
BylineRole = _choices("BylineRole", ROLES)


_URL_TEMPLATES: dict[tuple, tuple[str, str]] = {}


def object_url(name: str, placeholder, value) -> str:
    """``reverse(name, args=[value])`` for one-argument routes, reversed once
    per route (with a placeholder that fits the route's converter) and then
    filled in: listings link every article, issue, reporter and topic they
    show, and a full ``reverse()`` each time is a large part of rendering."""
    key = (name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    parts = _URL_TEMPLATES.get(key)
    if parts is None:
        head, _, tail = reverse(name, args=[placeholder]).rpartition(str(placeholder))
        parts = _URL_TEMPLATES[key] = (head, tail)
    return f"{parts[0]}{value}{parts[1]}"


def id_batches(ids: list[int], size: int = 500):
    """``ids`` in slices of ``size``: few enough for one SQL ``IN`` clause on any
    database, and one index commit's worth of articles."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# {title id: slug} of this process: issue and article URLs carry their title's
# slug, and a listing should not join for it. Read again after a title is
# saved here, and at most a minute after one is saved by another process (an
# address with the old slug meanwhile redirects to the new one).
_PAPER_SLUGS: dict = {"read_at": None, "slugs": {}}
PAPER_SLUGS_MAX_AGE = 60.0


def paper_slugs() -> dict[int, str]:
    read_at = _PAPER_SLUGS["read_at"]
    if read_at is None or time.monotonic() - read_at > PAPER_SLUGS_MAX_AGE:
        _PAPER_SLUGS["slugs"] = dict(Newspaper.objects.values_list("pk", "slug"))
        _PAPER_SLUGS["read_at"] = time.monotonic()
    return _PAPER_SLUGS["slugs"]


def forget_paper_slugs() -> None:
    _PAPER_SLUGS["read_at"] = None


def paper_object_url(name: str, paper_id: int, placeholder, value) -> str:
    """``reverse(name, args=[slug, value])`` for the routes under a title, like
    :func:`object_url`."""
    key = (name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    parts = _URL_TEMPLATES.get(key)
    if parts is None:
        url = reverse(name, args=["paper-slug-placeholder", placeholder])
        head, _, rest = url.partition("paper-slug-placeholder")
        middle, _, tail = rest.rpartition(str(placeholder))
        parts = _URL_TEMPLATES[key] = (head, middle, tail)
    slug = paper_slugs().get(paper_id)
    if slug is None:
        # A title created since the map was read.
        forget_paper_slugs()
        slug = paper_slugs().get(paper_id, "-")
    return f"{parts[0]}{slug}{parts[1]}{value}{parts[2]}"


def pinyin_slug(text: str) -> str:
    """A readable ASCII slug for a Chinese name: 耿欣 -> geng-xin."""
    slug = slugify("-".join(lazy_pinyin(text, errors="default")))
    return slug or "x"


def unique_slug(model, text: str, exclude_pk=None) -> str:
    base = pinyin_slug(text)[:70]
    slug, n = base, 1
    others = model._default_manager.exclude(pk=exclude_pk) if exclude_pk else model._default_manager.all()
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Topic(models.Model):
    name = models.CharField("名称", max_length=20, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField("排序", default=0)
    description = models.TextField("说明", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = verbose_name_plural = "主题"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return object_url("archive:topic_detail", "slug-placeholder", self.slug)

    @classmethod
    def ensure_fixed_list(cls):
        """Create the fixed topic list (idempotent); returns {name: topic}."""
        existing = {t.name: t for t in cls.objects.all()}
        for position, name in enumerate(TOPICS):
            if name not in existing:
                existing[name] = cls.objects.create(name=name, slug=unique_slug(cls, name), position=position)
        return existing


class Section(models.Model):
    """A printed page or section (版面/栏目) an article ran in."""

    name = models.CharField("名称", max_length=60, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "版面"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Section, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)


class ReporterQuerySet(models.QuerySet):
    def with_stats(self):
        return self.annotate(
            article_count=Count("bylines__article", distinct=True),
            first_year=Min(ExtractYear("bylines__article__issue_date")),
            last_year=Max(ExtractYear("bylines__article__issue_date")),
        )

    def with_role(self, role):
        return self.filter(bylines__role=role).distinct()

    def with_initial(self, letter):
        return self.filter(initial=letter.upper())

    def for_byline_name(self, name):
        """The reporter a printed name stands for: the one of that name, or the
        one an editor merged that name (an alias, an OCR variant) into."""
        exact_first = Case(When(name=name, then=Value(0)), default=Value(1))
        return self.filter(Q(name=name) | Q(aliases__name=name)).distinct().order_by(exact_first, "pk")


class Reporter(models.Model):
    name = models.CharField("姓名", max_length=50, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    # First letter of the name's pinyin, for the A–Z index.
    initial = models.CharField(max_length=1, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReporterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = verbose_name_plural = "记者"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Reporter, self.name, exclude_pk=self.pk)
        letters = lazy_pinyin(self.name[:1], style=Style.FIRST_LETTER, errors="default")
        first = (letters[0][:1] if letters and letters[0] else "#").upper()
        self.initial = first if first.isascii() and first.isalpha() else "#"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return object_url("archive:reporter_detail", "slug-placeholder", self.slug)


class ReporterAlias(models.Model):
    """Another spelling of a reporter's name, kept when an editor merges or
    renames reporters so that the old spelling, if printed again, means them."""

    name = models.CharField("别名", max_length=50, unique=True)
    reporter = models.ForeignKey(Reporter, on_delete=models.CASCADE, related_name="aliases", verbose_name="记者")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "记者别名"

    def __str__(self):
        return self.name


class Frequency(models.TextChoices):
    DAILY = "daily", "日报"
    WEEKDAYS = "weekdays", "周一至周五"
    SEMIWEEKLY = "semiweekly", "每周两期"
    WEEKLY = "weekly", "周报"
    IRREGULAR = "irregular", "不定期"


# A Chinese domestic serial number (国内统一连续出版物号, "CN15-0003" or
# "CN11-0065/Z") or an ISSN ("1002-8110"), as printed in the masthead.
CN_SERIAL = re.compile(r"^CN\d{2}-\d{4}(?:/[A-Z]{1,2})?$")
ISSN = re.compile(r"^\d{4}-\d{3}[\dX]$")


def validate_identifier(value: str) -> None:
    if not value:
        return
    if CN_SERIAL.match(value):
        return
    if ISSN.match(value):
        digits = value.replace("-", "")
        total = sum((8 - i) * int(ch) for i, ch in enumerate(digits[:7]))
        check = (11 - total % 11) % 11
        if digits[7] == ("X" if check == 10 else str(check)):
            return
        raise ValidationError(f"“{value}”的 ISSN 校验位不对", code="issn_check")
    raise ValidationError(
        f"“{value}”既不是国内统一连续出版物号（如 CN15-0003），也不是 ISSN（如 1002-8110）", code="identifier"
    )


class NewspaperQuerySet(models.QuerySet):
    def named(self, name: str):
        """The title whose name or short name is ``name`` (a masthead as printed)."""
        return self.filter(Q(name=name) | Q(short_name=name))


class Newspaper(models.Model):
    """A title (报纸): the archive holds the issues of one or more papers."""

    name = models.CharField("报名", max_length=60, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="网址中的名称，如 hu-he-hao-te-ri-bao")
    place = models.CharField("出版地", max_length=60, blank=True)
    language = models.CharField("语言", max_length=20, default="zh-Hans", help_text="BCP 47 语言标记")
    publisher = models.CharField("主办单位", max_length=120, blank=True)
    first_issue = models.DateField("创刊日期", null=True, blank=True)
    last_issue = models.DateField("停刊日期", null=True, blank=True, help_text="仍在出版则留空")
    frequency = models.CharField("刊期", max_length=20, choices=Frequency.choices, blank=True)
    description = models.TextField("简介", blank=True)
    identifier = models.CharField(
        "刊号", max_length=20, blank=True, validators=[validate_identifier], help_text="CN15-0003 或 ISSN 1002-8110"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NewspaperQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "报纸"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget_paper_slugs()

    def get_absolute_url(self):
        return object_url("archive:paper_detail", "slug-placeholder", self.slug)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_paper_slugs()
        return result

    def clean(self):
        if self.first_issue and self.last_issue and self.last_issue < self.first_issue:
            raise ValidationError({"last_issue": "停刊日期早于创刊日期"})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @classmethod
    def for_setting(cls, save: bool = True) -> Newspaper:
        """The title named by the ``NEWSPAPER_NAME`` setting, created if missing
        (``save=False``: not saved yet): the paper an archive of one title has
        always held."""
        paper = cls.objects.filter(name=settings.NEWSPAPER_NAME).first()
        if paper is None:
            paper = cls(name=settings.NEWSPAPER_NAME, slug=unique_slug(cls, settings.NEWSPAPER_NAME))
            if save:
                paper.save()
        return paper


class IssueQuerySet(models.QuerySet):
    def in_year(self, year):
        return self.filter(publication_date__year=year)

    def in_month(self, year, month):
        return self.filter(publication_date__year=year, publication_date__month=month)

    def newest(self):
        return self.order_by("-publication_date").first()


class Issue(models.Model):
    paper = models.ForeignKey(Newspaper, on_delete=models.PROTECT, related_name="issues", verbose_name="报纸")
    publication_date = models.DateField("出版日期")
    date_inferred = models.BooleanField("日期为推断", default=False)
    source_name = models.CharField("源文件", max_length=255)
    source_sha256 = models.CharField("内容 SHA-256", max_length=64, unique=True)
    source_encoding = models.CharField("源文件编码", max_length=20, default="utf-8")
    source_text = models.TextField("原始文本")
    # Text the parser kept but could not place in an article.
    unassigned = models.JSONField("未归属文本", default=list, blank=True, encoder=UnicodeJSONEncoder)
    ingested_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["source_text"])

    class Meta:
        ordering = ["-publication_date", "paper_id"]
        # One issue a day per title; two titles may share a date.
        constraints = [models.UniqueConstraint(fields=["paper", "publication_date"], name="issue_unique_paper_date")]
        indexes = [models.Index(fields=["publication_date"], name="issue_date")]
        verbose_name = verbose_name_plural = "期次"

    def __str__(self):
        return f"{self.publication_date:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        moved = self.pk is not None and self.publication_date != getattr(self, "_loaded_date", self.publication_date)
        refiled = self.pk is not None and self.paper_id != getattr(self, "_loaded_paper_id", self.paper_id)
        super().save(*args, **kwargs)
        if moved:
            # Articles carry a copy of the date (see Article.issue_date); a
            # corrected date (editing.change_issue_date, a history revert) moves them too.
            self.articles.update(issue_date=self.publication_date)
        if refiled:
            # And of the title (editing.move_issue).
            self.articles.update(paper_id=self.paper_id)
        self._loaded_date = self.publication_date
        self._loaded_paper_id = self.paper_id

    def get_absolute_url(self):
        return paper_object_url("archive:issue_detail", self.paper_id, "1000-01-01", self.publication_date.isoformat())

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_date = instance.__dict__.get("publication_date")
        instance._loaded_paper_id = instance.__dict__.get("paper_id")
        return instance


class BylineQuerySet(models.QuerySet):
    def names_by_article(self, article_ids) -> dict[int, list[str]]:
        """{article id: reporter names in printed order}, in one narrow query."""
        names: dict[int, list[str]] = {}
        rows = self.filter(article_id__in=article_ids).order_by("article_id", "position", "pk")
        for article_id, name in rows.values_list("article_id", "reporter__name"):
            names.setdefault(article_id, []).append(name)
        return names


# Defined before Article: the article's history keeps its bylines with each version.
class Byline(models.Model):
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="bylines")
    reporter = models.ForeignKey(Reporter, on_delete=models.CASCADE, related_name="bylines", verbose_name="记者")
    role = models.CharField("身份", max_length=20, choices=BylineRole.choices, default=BylineRole.REPORTER)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    objects = BylineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "reporter", "role"], name="byline_unique_reporter_role")
        ]
        # A reporter's articles and roles read from the index alone.
        indexes = [models.Index(fields=["reporter", "article", "role"], name="byline_reporter_article")]
        verbose_name = verbose_name_plural = "署名"

    def __str__(self):
        return f"{self.reporter.name}({self.get_role_display()})"


class ArticleQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # Bulk inserts skip save(): copy each article's issue date and title here too.
        objs = list(objs)
        missing = {
            obj.issue_id
            for obj in objs
            if (obj.issue_date is None or obj.paper_id is None) and not Article.issue.is_cached(obj)
        }
        rows = Issue.objects.filter(pk__in=missing).values_list("pk", "publication_date", "paper_id") if missing else []
        copies = {pk: (day, paper_id) for pk, day, paper_id in rows}
        for obj in objs:
            if Article.issue.is_cached(obj):
                day, paper_id = obj.issue.publication_date, obj.issue.paper_id
            else:
                day, paper_id = copies.get(obj.issue_id, (None, None))
            if obj.issue_date is None:
                obj.issue_date = day
            if obj.paper_id is None:
                obj.paper_id = paper_id
        return super().bulk_create(objs, *args, **kwargs)

    def needs_review(self):
        """Articles the parser was unsure of that no editor has reviewed yet."""
        return self.exclude(doubts=[]).filter(reviewed=False)

    def for_listing(self):
        """Everything a list of articles shows, in a fixed number of queries
        (without the issue's whole source text, which no listing shows)."""
        return (
            self.select_related("issue", "paper", "primary_topic", "section")
            .defer("issue__source_text", "issue__unassigned")
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("reporter").order_by("position", "pk"))
            )
        )

    def for_search_hits(self):
        """What a search hit shows (headline, date, section, kind, and the
        body the snippet is cut from), without the columns it does not: a
        results page loads twenty articles for every query. Reporter names
        come from :meth:`BylineQuerySet.names_by_article`."""
        return (
            self.with_story_parts()
            .select_related("issue", "section", "paper")
            .only(
                "headline",
                "paragraphs",
                "continued_to",
                "kind",
                "issue_id",
                "issue_date",
                "section_id",
                "issue__publication_date",
                "section__name",
                "paper__name",
                "paper__short_name",
                "paper__slug",
            )
        )

    def with_story_parts(self):
        """The text of the parts that continue each story on later pages
        (``Article.story_body``), in one more query."""
        # Ordered by position alone (``following_parts`` sorts each level so):
        # the default order joins the issues, and SQLite then walks the date
        # index instead of looking the few ids up (0.9 s at a million articles).
        parts = Article.objects.only(
            "pk", "position", "paragraphs", "continued_from", "continued_to", "continues_id"
        ).order_by("position", "pk")
        return self.prefetch_related(Prefetch("continuations", queryset=parts))

    def searched_alone(self):
        """The articles search holds as documents of their own: all but the
        continued parts of a story, which are in their first part's."""
        return self.filter(continues__isnull=True)

    def printed_order(self):
        return self.order_by("issue_date", "position", "pk")

    def newest_first(self):
        return self.order_by("-issue_date", "position", "pk")

    def published_on(self, day):
        return self.filter(issue_date=day)

    def published_between(self, start=None, end=None):
        qs = self
        if start:
            qs = qs.filter(issue_date__gte=start)
        if end:
            qs = qs.filter(issue_date__lte=end)
        return qs

    def in_year(self, year):
        return self.filter(issue_date__year=year)

    def by_reporter(self, reporter):
        return self.filter(bylines__reporter=reporter).distinct()

    def with_topic(self, topic):
        return self.filter(topics=topic).distinct()

    def count_by_year(self):
        return (
            self.annotate(year=ExtractYear("issue_date"))
            .values("year")
            .annotate(count=Count("pk", distinct=True))
            .order_by("year")
        )


# The longest chain of parts followed from one article; printed stories run
# over two or three pages, and a longer chain means marks paired wrongly.
MAX_STORY_PARTS = 10


class Article(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="articles", verbose_name="期次")
    position = models.PositiveIntegerField("版面顺序")
    # The issue's publication date, copied so that "newest first" is an index
    # scan instead of a join and a sort; kept in step by save(), bulk_create()
    # and editing.change_issue_date().
    issue_date = models.DateField("出版日期", editable=False)
    # The issue's title, copied for the same reason: a title's articles,
    # newest first, from one index. Kept in step with the issue like the date.
    paper = models.ForeignKey(
        Newspaper, on_delete=models.PROTECT, related_name="articles", editable=False, verbose_name="报纸"
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name="版面"
    )
    headline = models.CharField("标题", max_length=500, blank=True)
    kicker = models.CharField("引题", max_length=500, blank=True)
    subtitle = models.CharField("副题", max_length=500, blank=True)
    column = models.CharField("栏目", max_length=200, blank=True)
    kind = models.CharField("体裁", max_length=20, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    paragraphs = models.JSONField("正文段落", default=list, encoder=UnicodeJSONEncoder)
    event_date = models.DateField("事件日期", null=True, blank=True)
    continued_from = models.CharField("上接", max_length=50, blank=True)
    continued_to = models.CharField("下转", max_length=50, blank=True)
    # The earlier part of a story printed across pages, linked from the marks
    # by archive.continuations; a part with this set is searched as part of
    # the story's first part, not on its own.
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="continuations",
        verbose_name="上接的文章",
    )
    primary_topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_articles",
        verbose_name="主要主题",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles", verbose_name="主题")
    keywords = models.JSONField("关键词", default=list, blank=True, encoder=UnicodeJSONEncoder)
    reporters = models.ManyToManyField(Reporter, through=Byline, related_name="articles", verbose_name="署名")
    # The lines of the dump this article was built from, shown to editors.
    source_text = models.TextField("原文", blank=True)
    reviewed = models.BooleanField("已审核", default=False)
    # Why the parser was unsure of this article (keys of parsing.document.DOUBTS); until an
    # editor marks it reviewed it is on the "needs review" list.
    doubts = models.JSONField("解析存疑", default=list, blank=True, encoder=UnicodeJSONEncoder)
    # Names of fields an editor changed; a re-parse keeps their values.
    edited_fields = models.JSONField("人工修改的字段", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    # Bylines are kept with each version too, so a revert restores them.
    # The link between the parts of a story is derived from their marks
    # (archive.continuations), not an editor's change, and is not versioned.
    history = HistoricalRecords(m2m_fields=[topics, reporters], excluded_fields=["issue_date", "paper", "continues"])

    class Meta:
        ordering = ["issue", "position"]
        constraints = [models.UniqueConstraint(fields=["issue", "position"], name="article_unique_position")]
        indexes = [
            models.Index(fields=["event_date"]),
            models.Index(fields=["kind"]),
            # Every listing's order, newest first, read straight from the index.
            models.Index(fields=["-issue_date", "position", "id"], name="article_newest_first"),
            # A title's articles in the same order.
            models.Index(fields=["paper", "-issue_date", "position", "id"], name="article_paper_newest_first"),
            # Joins from bylines or topics to articles, sorted or grouped by
            # date, are answered from this index without reading the rows.
            models.Index(fields=["id", "issue_date", "position"], name="article_id_date"),
            # The sitemap's pages of 500 ids skip through this narrow index,
            # not through the rows with their text.
            models.Index(fields=["id", "updated_at"], name="article_id_updated"),
        ]
        verbose_name = verbose_name_plural = "文章"

    def __str__(self):
        return self.title or "(无标题)"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if Article.issue.is_cached(self) and self.issue is not None:
            self.issue_date, self.paper_id = self.issue.publication_date, self.issue.paper_id
        elif (
            self.issue_date is None or self.paper_id is None or self.issue_id != getattr(self, "_loaded_issue_id", None)
        ):
            copy = Issue.objects.filter(pk=self.issue_id).values_list("publication_date", "paper_id").first()
            self.issue_date, self.paper_id = copy or (None, None)
        if update_fields is not None and {"issue", "issue_id"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "issue_date", "paper"}
        super().save(*args, **kwargs)
        self._loaded_issue_id = self.issue_id

    def get_absolute_url(self):
        return paper_object_url("archive:article_detail", self.paper_id, 918273645, self.pk)

    @property
    def issue_url(self) -> str:
        """The URL of the issue the article ran in, from the article's own row."""
        return paper_object_url("archive:issue_detail", self.paper_id, "1000-01-01", self.issue_date.isoformat())

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_issue_id = instance.__dict__.get("issue_id")
        return instance

    @property
    def title(self) -> str:
        """The headline; for untitled photo news 图片新闻 and the caption's
        first clause (see :mod:`archive.titles`)."""
        if self.headline:
            return self.headline
        first = self.paragraphs[0] if self.paragraphs else ""
        if self.kind == ArticleKind.PHOTO:
            return titles.caption_title(first)
        return titles.untitled_title(first)

    @property
    def text_paragraphs(self) -> list[str]:
        """The paragraphs as a reader sees them: a continued part does not
        open with its printed "（上接第1版）", which the page shows as a link."""
        paragraphs = list(self.paragraphs)
        if self.continued_from and paragraphs:
            paragraphs[0] = CONTINUED_FROM.sub("", paragraphs[0], count=1).lstrip()
            if not paragraphs[0]:
                paragraphs.pop(0)
        return paragraphs

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def story_body(self) -> str:
        """The body with the text of the parts that continue it on later
        pages (what search matched for the story), each without its mark."""
        parts = [self.body] + ["\n\n".join(part.text_paragraphs) for part in self.following_parts()]
        return "\n\n".join(part for part in parts if part)

    def following_parts(self) -> list[Article]:
        """The parts that continue this story on later pages, in printed
        order (see ``archive.continuations``)."""
        parts: list[Article] = []
        level = [self]
        for _ in range(MAX_STORY_PARTS):
            # Only a part marked "下转" can be continued: the others cost no query.
            following = (part for earlier in level if earlier.continued_to for part in earlier.continuations.all())
            level = sorted(following, key=lambda a: a.position)
            if not level:
                break
            parts.extend(level)
        return parts

    @property
    def doubt_labels(self) -> list[str]:
        """The parser's doubts as an editor reads them."""
        return [DOUBTS.get(doubt, doubt) for doubt in self.doubts]


class PendingIndex(models.Model):
    """An article whose search-index entry must be brought in step with the
    database: a row of the durable index queue (see ``archive.indexqueue``).

    Written in the same transaction as the change, so a crash after the
    commit leaves the row behind instead of a stale index. ``article_id`` is
    a plain number, not a foreign key: a deleted article's row stays and
    tells the drainer to remove it from the index.
    """

    article_id = models.BigIntegerField()
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["article_id"])]
        verbose_name = verbose_name_plural = "待索引文章"

    def __str__(self):
        return f"article {self.article_id} queued at {self.queued_at:%Y-%m-%d %H:%M:%S}"
