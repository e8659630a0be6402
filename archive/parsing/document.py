"""What the parser returns: plain dataclasses, free of Django.

``ParsedIssue.to_contract()`` is the JSON shape documented in
``docs/parse-contract.md`` and printed by ``manage.py parse_issue --json``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Values shared with archive.models (ArticleKind / BylineRole); kept here as
# plain strings so the parser has no Django dependency.
# The kinds of article and the roles of a byline, with the names readers and
# editors see; the models' choices are made from these (archive.models).
KINDS = {
    "news": "消息",
    "commentary": "评论",
    "interview": "专访",
    "photo": "图片",
    "continuation": "转版",
    "notice": "公告",
    "other": "其他",
}
ROLES = {
    "reporter": "记者",
    "intern_reporter": "实习记者",
    "correspondent": "通讯员",
    "photographer": "摄影",
    "author": "作者",
}
# Why an editor should check an article the parser was unsure of (see docs/parse-contract.md),
# with what the admin calls each reason.
DOUBTS = {
    "boundary": "分篇依据不足",  # where it begins or ends was decided on weak evidence
    "no_headline": "没有标题",
    "long": "篇幅异常长",  # far longer than the issue's other articles: two stories run together?
    "shape": "格式与同期稿件不同",  # e.g. no dateline where the issue's other stories all have one
}
TOPICS = (
    "时政",
    "经济",
    "民生",
    "社会",
    "文化",
    "教育",
    "科技",
    "民族",
    "生态",
    "法治",
    "政务",
    "交通",
    "旅游",
    "卫生健康",
    "体育",
    "农牧业",
)


@dataclass
class Byline:
    name: str
    role: str  # one of ROLES

    def to_contract(self) -> dict:
        return {"name": self.name, "role": self.role}


@dataclass
class ParsedArticle:
    headline: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    column: str | None = None
    kind: str = "news"
    paragraphs: list[str] = field(default_factory=list)
    bylines: list[Byline] = field(default_factory=list)
    event_date: datetime.date | None = None
    continued_from: str | None = None  # "第1版" for "(上接第1版)"
    continued_to: str | None = None  # "第3版" for "(下转第3版)"
    section: str | None = None  # printed page or section label, where the dump tells
    topics: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # The input lines this article was built from, in input order, exactly as
    # they were in the file (after decoding); editors see them in the admin.
    source_lines: list[str] = field(default_factory=list)
    # Lines read into bylines or markers rather than text, as printed: photo
    # credits, signatures, byline lines, "(下转第3版)".
    credits: list[str] = field(default_factory=list)
    # Reasons, from DOUBTS, to have an editor look at the article; empty when the parse is sure.
    doubts: list[str] = field(default_factory=list)

    def to_contract(self) -> dict:
        return {
            "headline": self.headline,
            "kicker": self.kicker,
            "subtitle": self.subtitle,
            "column": self.column,
            "kind": self.kind,
            "paragraphs": list(self.paragraphs),
            "bylines": [b.to_contract() for b in self.bylines],
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "continued_from": self.continued_from,
            "topics": list(self.topics),
            "keywords": list(self.keywords),
            "doubts": list(self.doubts),
        }


@dataclass
class ParsedIssue:
    source: str
    issue_date: datetime.date | None = None
    issue_date_inferred: bool = False
    articles: list[ParsedArticle] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)

    def to_contract(self) -> dict:
        return {
            "source": self.source,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "issue_date_inferred": self.issue_date_inferred,
            "articles": [a.to_contract() for a in self.articles],
            "unassigned": list(self.unassigned),
        }
