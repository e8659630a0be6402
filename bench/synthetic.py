"""A seeded synthetic archive for benchmarks: N articles in realistic Chinese.

Sentences come from the sample issues and the parser's golden issues,
recombined with their numbers changed, so jieba cuts the same kind of text it
cuts in production. Issues run one a day from 1985 with about nine articles
each; reporters are drawn from a pool of made-up names with a skewed
distribution (a few prolific reporters, many occasional ones); every article
gets its topics and keywords from the parser's own analysis
(``archive.parsing.topics.analyse``), as ingest gives them. Two titles
print side by side: every day has one issue of each (see ``TITLES``); with
``titles=1`` the first title alone prints the same articles, one issue a day,
so a one-title and a two-title archive can be measured side by side. The
same seed always gives the same archive.

    from bench.synthetic import SyntheticArchive, populate

    archive = SyntheticArchive(seed=0)
    populate(archive, articles=10_000)   # needs Django set up; bulk inserts
    archive.search_terms(50)             # words that occur in the text

Writing goes straight to the database with bulk inserts (parsing real dumps
is the parse benchmark's business); indexing goes through
``archive.search.indexing.update_articles``, the same path ingest uses.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archive.parsing.charsets import HAN

PROJECT_DIR = Path(__file__).resolve().parent.parent
TEXT_SOURCES = [
    *sorted((PROJECT_DIR / "samples").glob("*.txt")),
    *sorted((PROJECT_DIR / "tests" / "data").glob("*.txt")),
]
# Part of cached data directories' names: bump when the generated data changes.
GENERATOR_VERSION = 3
FIRST_DAY = datetime.date(1985, 1, 1)
ARTICLES_PER_ISSUE = (6, 12)

_SENTENCE = re.compile(r"[^。！？!?\n]{8,120}[。！？!?]")
_DIGITS = re.compile(r"\d+")
_CJK = re.compile(f"[{HAN}]")

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏宇浩凯鑫欣雪琳晨阳蕾薇婷颖峰岩博文"
    "宁丹瑞瑶佳琪慧嘉怡蒙格日乐巴特尔乌兰其木"
)
SECTIONS = ["要闻", "综合新闻", "经济", "社会", "文化", "体育", "评论", "首府新闻", "专题"]
ROLES = ["reporter", "reporter", "reporter", "correspondent", "intern_reporter", "photographer"]
# (slug, name) of the synthetic archive's titles; the first is the archive's
# own (NEWSPAPER_NAME), the second an evening paper of the same city.
TITLES = [(None, None), ("qing-cheng-wan-bao", "青城晚报")]


def rare_codes(articles: int) -> int:
    """How many distinct project codes an archive of ``articles`` has."""
    return max(1, articles // 20)


def rare_code(number: int) -> str:
    return f"QK{number:06d}"


@dataclass
class SyntheticArticle:
    headline: str
    kicker: str
    paragraphs: list[str]
    section: str
    topics: list[str]
    keywords: list[str]
    bylines: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SyntheticIssue:
    day: datetime.date
    articles: list[SyntheticArticle]
    title: int = 0  # index into TITLES


class SyntheticArchive:
    def __init__(self, seed: int = 0, reporters: int = 400, titles: int = len(TITLES)):
        if not 1 <= titles <= len(TITLES):
            raise ValueError(f"titles: between 1 and {len(TITLES)}")
        self.seed = seed
        self.titles = titles
        self.sentences = self._load_sentences()
        words: dict[str, int] = {}
        for sentence in self.sentences:
            for word in re.findall(f"[{HAN}]{{2,4}}", sentence):
                words[word] = words.get(word, 0) + 1
        # Words that recur, as searchers type them.
        self.words = sorted((w for w, n in words.items() if n >= 3), key=lambda w: (-words[w], w))[:2000]
        rng = random.Random(f"reporters-{seed}")
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < reporters:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            if name not in seen:
                seen.add(name)
                names.append(name)
        self.reporters = names

    @staticmethod
    def _load_sentences() -> list[str]:
        sentences: list[str] = []
        for path in TEXT_SOURCES:
            text = path.read_text(encoding="utf-8", errors="replace")
            sentences.extend(s.strip() for s in _SENTENCE.findall(text) if len(_CJK.findall(s)) >= 6)
        if not sentences:
            raise RuntimeError("no sample text found to build synthetic articles from")
        return sorted(set(sentences))

    def _sentence(self, rng: random.Random) -> str:
        sentence = rng.choice(self.sentences)
        return _DIGITS.sub(lambda m: str(rng.randint(1, 12) if len(m[0]) <= 2 else rng.randint(10, 9999)), sentence)

    def _article(self, rng: random.Random, codes: int) -> SyntheticArticle:
        from archive.parsing.topics import analyse

        paragraphs = ["".join(self._sentence(rng) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(2, 8))]
        headline_words = rng.sample(self.words[:800], k=rng.randint(2, 4))
        headline = "".join(headline_words)[:24]
        kicker = "".join(rng.sample(self.words[:400], k=2)) if rng.random() < 0.2 else ""
        # Skewed: a few reporters write most articles.
        bylines = []
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
            index = min(int(rng.paretovariate(1.2)) - 1, len(self.reporters) - 1)
            bylines.append((self.reporters[index * 7 % len(self.reporters)], rng.choice(ROLES)))
        topics, keywords = analyse(headline, "\n".join(paragraphs))
        # A project code shared by about 20 articles: a rare word at any size.
        paragraphs[-1] += f"（项目编号{rare_code(rng.randrange(codes))}）"
        return SyntheticArticle(
            headline=headline,
            kicker=kicker,
            paragraphs=paragraphs,
            section=rng.choice(SECTIONS),
            topics=list(topics),
            keywords=list(keywords),
            bylines=bylines,
        )

    def issues(self, articles: int) -> Iterator[SyntheticIssue]:
        """Issues, one a day of each title from 1985, holding ``articles`` articles in all."""
        rng = random.Random(f"articles-{self.seed}")
        made, day, title = 0, FIRST_DAY, 0
        while made < articles:
            count = min(rng.randint(*ARTICLES_PER_ISSUE), articles - made)
            yield SyntheticIssue(day, [self._article(rng, rare_codes(articles)) for _ in range(count)], title)
            made += count
            title = (title + 1) % self.titles
            if title == 0:
                day += datetime.timedelta(days=1)

    def search_terms(self, count: int, seed: int | None = None) -> list[str]:
        """Single words, two-word queries and reporter names, in a fixed mix."""
        rng = random.Random(f"terms-{self.seed if seed is None else seed}")
        terms = []
        for _ in range(count):
            roll = rng.random()
            if roll < 0.6:
                terms.append(rng.choice(self.words[:1000]))
            elif roll < 0.85:
                terms.append(" ".join(rng.sample(self.words[:1000], k=2)))
            else:
                terms.append(rng.choice(self.reporters[:100]))
        return terms


def populate(
    archive: SyntheticArchive,
    articles: int,
    *,
    batch_issues: int = 200,
    index: bool = True,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Write ``articles`` synthetic articles into the configured database
    (which should be empty) and index them. Returns the article count."""
    from django.db import transaction

    from archive.models import Article, Byline, Issue, Newspaper, Reporter, Section, Topic, pinyin_slug

    topics = Topic.ensure_fixed_list()
    sections = {name: Section.objects.get_or_create(name=name)[0] for name in SECTIONS}
    papers = [
        Newspaper.objects.get_or_create(slug=slug, defaults={"name": name})[0] if slug else Newspaper.for_setting()
        for slug, name in TITLES[: archive.titles]
    ]
    reporters: dict[str, Reporter] = {}
    slugs: set[str] = set(Reporter.objects.values_list("slug", flat=True))
    for name in archive.reporters:
        slug, n = pinyin_slug(name), 1
        while slug in slugs:
            n += 1
            slug = f"{pinyin_slug(name)}-{n}"
        slugs.add(slug)
        reporter = Reporter(name=name, slug=slug)
        reporter.initial = (slug[:1] or "#").upper()
        reporters[name] = reporter
    Reporter.objects.bulk_create(reporters.values(), batch_size=1000)
    reporters = {r.name: r for r in Reporter.objects.filter(name__in=archive.reporters)}

    written = 0
    batch: list[SyntheticIssue] = []

    def flush():
        nonlocal written
        with transaction.atomic():
            issues = Issue.objects.bulk_create(
                [
                    Issue(
                        paper=papers[item.title],
                        publication_date=item.day,
                        source_name=f"synthetic-{item.title}-{item.day:%Y%m%d}.txt",
                        source_sha256=f"synthetic{archive.seed:04d}{item.title}{item.day:%Y%m%d}".ljust(64, "0"),
                        source_text="",
                    )
                    for item in batch
                ]
            )
            rows, plans = [], []
            for issue, item in zip(issues, batch, strict=True):
                for position, synthetic in enumerate(item.articles, start=1):
                    rows.append(
                        Article(
                            issue=issue,
                            position=position,
                            section=sections[synthetic.section],
                            headline=synthetic.headline,
                            kicker=synthetic.kicker,
                            paragraphs=synthetic.paragraphs,
                            primary_topic=topics.get(synthetic.topics[0]) if synthetic.topics else None,
                            keywords=synthetic.keywords,
                            source_text="\n".join(synthetic.paragraphs),
                        )
                    )
                    plans.append(synthetic)
            stored = Article.objects.bulk_create(rows, batch_size=1000)
            through = Article.topics.through
            through.objects.bulk_create(
                [
                    through(article_id=a.pk, topic_id=topics[name].pk)
                    for a, s in zip(stored, plans, strict=True)
                    for name in dict.fromkeys(s.topics)
                    if name in topics
                ],
                batch_size=2000,
            )
            bylines, seen = [], set()
            for article, synthetic in zip(stored, plans, strict=True):
                for position, (name, role) in enumerate(synthetic.bylines):
                    if (article.pk, name, role) not in seen:
                        seen.add((article.pk, name, role))
                        bylines.append(Byline(article=article, reporter=reporters[name], role=role, position=position))
            Byline.objects.bulk_create(bylines, batch_size=2000)
        written += len(stored)
        if index:
            from archive.search import indexing

            indexing.update_articles([a.pk for a in stored])
        if progress:
            progress(f"{written}/{articles} articles")
        batch.clear()

    for item in archive.issues(articles):
        batch.append(item)
        if len(batch) >= batch_issues:
            flush()
    if batch:
        flush()
    return written
