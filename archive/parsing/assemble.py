"""Turn an article draft into a :class:`ParsedArticle`.

Title lines get their roles (column, kicker, headline, subtitle), the text
lines are joined back into printed paragraphs, repeated paragraphs are
dropped, and bylines, kind and continuation pages are read off the lines.
"""

from __future__ import annotations

import functools
import re

from archive.parsing import bylines as byline_parsing
from archive.parsing.document import Byline, ParsedArticle
from archive.parsing.lines import (
    CLOSING_PUNCTUATION,
    CONTINUED_FROM,
    CONTINUED_TO_TAIL,
    NOTICE_TITLE,
    Line,
    LineKind,
    compact,
    is_label_shaped,
    is_series_label,
)
from archive.parsing.segment import Draft, Role
from archive.parsing.topics import DICTIONARY_DIR, dictionary_lines

_OPEN_PHRASE_ENDINGS = frozenset("的之与和及在为对把让向从给将被于以")
RUBRIC_ALONE_MAX_CHARS = 8
# Paragraphs opening with these bullets are the items of a box; this many make one.
_ITEM_BULLETS = "▲△■□●◆★☆"
BULLETED_BOX_MIN_ITEMS = 2
# An editor's note announcing a column ("本报推出“X”专栏") stands in the first paragraphs.
ANNOUNCEMENT_PARAGRAPHS = 3
_ANNOUNCED_COLUMN = re.compile(r"专栏|栏目|系列报道|专题|主题报道")
# A last title line this short under one this long is the wrapped end of the headline.
WRAPPED_TAIL_MAX_CHARS = 5
WRAPPED_HEAD_MIN_CHARS = 12
# Shorter repeats (a "——" rule, "同上") may be printed twice on purpose.
MIN_DEDUPLICATED_CHARS = 10
_NOTICE_CLOSING = re.compile(r"特此(?:公告|通知|声明|公示|通告)")
# "——访…" introduces an interview; "——记…" a profile, which is reportage.
_INTERVIEW_SUBTITLE = re.compile(r"^\s*(?:——|—|--)\s*(?:访|专访|对话)")
_INTERVIEW_TITLE = re.compile(r"专访|访谈|对话|访谈录|面对面")
_QUESTION = re.compile(r"^(?:记者|问|答|主持人)\s*[：:]")
_COMMENTARY_SUBTITLE = re.compile(r"^\s*(?:——|—|--)\s*[一二三四五六七八九十\d]+(?:谈|评|论)")
_COMMENTARY_TITLE = re.compile(r"评论员文章|短评|时评|社论|述评|快评|评论|社评|短評|時評|社論|社評|評論")
# A letter to the paper opens by addressing the editors: 编辑同志：, 编辑部：, 尊敬的编辑：
_LETTER_SALUTATION = re.compile(r"^(?:尊敬的)?(?:编辑|編輯)(?:同志|部|老师|先生|您好|：|:)[^。]{0,8}[：:，,]?$")
# Modal and evaluative wording of opinion pieces, against the reporting verbs of news.
_OPINION_WORDS = re.compile(
    r"应当|应该|必须|不能|不应|需要|值得|务必|切实|理应|不妨|关键在|才能|就是要|要让|要在|要从|要把"
)
_REPORTING_WORDS = re.compile(r"说|介绍|告诉|表示|据悉|获悉|了解到|记者|采访")
OPINION_MIN_WORDS = 2
COLUMNS_FILE = DICTIONARY_DIR / "columns.txt"
# A column name is a short label: 今日谈, 人民时评, 理论观察.
COLUMN_MAX_CHARS = 6
# How standing columns of opinion and analysis are named: …谈, …论坛, …观察, …时评.
COLUMN_SUFFIX = re.compile(
    r"(?:谈|论坛|观察|时评|快评|锐评|热评|论见|随笔|手记|笔记|札记|视点|纵横|观点|声音|传真|来信|动态|说法)$"
)
# Columns whose pieces are opinion rather than news.
_OPINION_COLUMN = re.compile(r"(?:谈|论坛|论见|评|观点|观察|纵横|随笔|札记|社论|新论|钟声|望海楼)$|^理论")


@functools.cache
def column_names() -> frozenset[str]:
    """The standing column names of ``columns.txt``."""
    return frozenset(name for fields in dictionary_lines(COLUMNS_FILE) for name in fields)


def is_column_label(text: str, *, authored: bool = False) -> bool:
    """Whether a short first title line is a standing column rather than the story's own kicker.

    A column name is short, has no space (kickers often pair two phrases:
    "历时半年改造 惠及1260户居民") and is a known column or named like one;
    above a piece signed under its headline any such short label is.
    """
    if " " in text.strip() or "\u3000" in text.strip():
        return False
    label = compact(text)
    if not label or len(label) > COLUMN_MAX_CHARS or not is_label_shaped(label):
        return False
    return label in column_names() or bool(COLUMN_SUFFIX.search(label)) or authored


def _page(text: str) -> str:
    """ "第1版" as printed, with 第 added when the marker leaves it out ("上接1版")."""
    page = compact(text)
    if not page.endswith("版"):
        page += "版"
    if not page.startswith("第") and re.match(r"^[\d一二三四五六七八九十]", page):
        page = "第" + page
    return page


def build_paragraphs(draft: Draft) -> list[str]:
    """The printed paragraphs: halves split by a column break joined, repeats dropped."""
    paragraphs: list[str] = []
    pending: str | None = None
    for line, role in draft.entries:
        if role is Role.TEXT:
            if pending is not None and (
                line.continues or pending[-1] not in CLOSING_PUNCTUATION or CONTINUED_FROM.fullmatch(pending)
            ):
                pending += line.text
            else:
                if pending is not None:
                    paragraphs.append(pending)
                pending = line.text
        elif role is Role.STANDALONE:
            if pending is not None:
                paragraphs.append(pending)
                pending = None
            paragraphs.append(line.text)
    if pending is not None:
        paragraphs.append(pending)
    seen: set[str] = set()
    unique = []
    for paragraph in paragraphs:
        key = compact(paragraph)
        if len(key) >= MIN_DEDUPLICATED_CHARS:
            if key in seen:
                continue
            seen.add(key)
        unique.append(paragraph)
    return unique


def assign_titles(
    titles: list[Line], recurs, *, authored: bool = False, announced=None, bulleted: bool = False
) -> dict[str, str | None]:
    """Column, kicker, headline and subtitle from the title lines, in print order.

    ``recurs(text)`` tells whether a short label also appears in other
    articles of the issue: a standing rubric does, a kicker belongs to its story.
    """
    announced = announced or (lambda _label: False)
    column_parts: list[str] = []
    subtitle_parts: list[str] = []
    rest: list[str] = []
    for line in titles:
        if line.subtitle and rest:
            subtitle_parts.append(line.text)
        elif line.genre or is_series_label(line.text):
            column_parts.append(line.text)
        else:
            rest.append(line.text)
    if not rest and subtitle_parts:
        rest.append(subtitle_parts.pop(0))
    # A rubric alone ("简讯", "短评") heads items without headlines of their own;
    # a longer lone line with a rubric's ending ("…成就巡礼") is the headline, and so
    # is the rubric over a box of bulleted items ("国际简讯" over "▲…", "▲…"): the box is its piece.
    if not rest and column_parts and (len(compact(column_parts[-1])) > RUBRIC_ALONE_MAX_CHARS or bulleted):
        rest.append(column_parts.pop())
    # A standing column's name alone ("图片新闻") heads items that have no headline of their own.
    standing_alone = len(rest) == 1 and not column_parts and not subtitle_parts and not bulleted
    if standing_alone and compact(rest[0]) in column_names():
        column_parts.append(rest.pop())
    # A line ending in a particle or preposition ("草原深处的") is cut mid-phrase:
    # the headline goes on in the next line.
    for position in range(len(rest) - 2, -1, -1):
        if rest[position][-1] in _OPEN_PHRASE_ENDINGS:
            rest[position : position + 2] = [rest[position] + rest[position + 1]]
    # A headline too long for one line wraps, and the dump prints the few characters
    # left over on a line of their own ("…支持民营经济" / "高质量发展"): a kicker is
    # the smaller line, never several times the headline's length.
    if (
        len(rest) >= 2
        and len(compact(rest[-1])) <= WRAPPED_TAIL_MAX_CHARS
        and len(compact(rest[-2])) >= WRAPPED_HEAD_MIN_CHARS
        and not any(space in text for text in rest[-2:] for space in " \u3000")
    ):
        rest[-2:] = [rest[-2] + rest[-1]]
    # A line the text itself announces as its column: "本报推出“喜迎二十大 奋进新征程”专栏".
    while len(rest) >= 2 and announced(rest[0]):
        column_parts.append(rest.pop(0))
    # A short first line that other articles of the issue come back to is a rubric;
    # a kicker belongs to its own story.
    while len(rest) >= 2 and is_label_shaped(rest[0]) and recurs(rest[0]):
        column_parts.append(rest.pop(0))
    # A column name above the headline ("今日谈", "理论观察") is not the story's kicker.
    if len(rest) >= 2 and not column_parts and is_column_label(rest[0], authored=authored):
        column_parts.append(rest.pop(0))
    return {
        "column": " ".join(column_parts) or None,
        "kicker": " ".join(rest[:-1]) or None,
        "headline": rest[-1] if rest else None,
        "subtitle": " ".join(subtitle_parts) or None,
    }


def _announces(text: str, label: str) -> bool:
    """Whether ``text`` announces ``label`` as a column: "…推出“喜迎二十大 奋进新征程”专栏"."""
    quoted = f"“{compact(label)}”"
    position = text.find(quoted)
    return position >= 0 and bool(_ANNOUNCED_COLUMN.match(text, position + len(quoted)))


def _dedupe(names: list[Byline]) -> list[Byline]:
    seen = set()
    result = []
    for byline in names:
        key = (byline.name, byline.role)
        if key not in seen:
            seen.add(key)
            result.append(byline)
    return result


def _byline_line_names(line: Line) -> list[Byline] | None:
    """Names of a byline line, or of an author line ("□ 刘文韬", a bare name under the headline)."""
    return byline_parsing.parse_byline_line(line.text) or byline_parsing.parse_author_line(line.text, bare=line.author)


_NAME_PARSERS = {
    LineKind.SIGNATURE: lambda line: (
        byline_parsing.parse_signature(line.text) or byline_parsing.parse_names_line(line.text)
    ),
    LineKind.BYLINE: _byline_line_names,
}


def collect_bylines(draft: Draft, paragraphs: list[str]) -> tuple[list[Byline], bool]:
    """The article's bylines, and whether it is signed at the end."""
    names: list[Byline] = []
    signed = False
    after_text = False
    for line, role in draft.entries:
        if role in (Role.TEXT, Role.STANDALONE):
            after_text = True
            if line.kind is LineKind.DATELINE:
                dateline = byline_parsing.match_dateline(line.text)
                names.extend(dateline.bylines if dateline else [])
        elif role is Role.CREDIT:
            if line.kind is LineKind.CAPTION:
                names.extend(byline_parsing.parse_caption(line.text) or [])
            elif line.kind in _NAME_PARSERS:
                names.extend(_NAME_PARSERS[line.kind](line) or [])
                # Names after the text sign the piece; under the headline they are a byline.
                signed = signed or after_text
    if paragraphs:
        photographers = byline_parsing.parse_inline_caption(paragraphs[-1])
        names.extend(photographers or [])
        trailing = None if photographers else byline_parsing.parse_trailing_signature(paragraphs[-1])
        trailing = trailing or byline_parsing.parse_attributed_author(paragraphs[-1])
        if trailing:
            names.extend(trailing)
            signed = True
    return _dedupe(names), signed


def argues(paragraphs: list[str]) -> bool:
    """Whether the text reads as an argument: what should be done, more than who said what."""
    text = "".join(paragraphs)
    opinion = len(_OPINION_WORDS.findall(text))
    return opinion >= OPINION_MIN_WORDS and opinion > len(_REPORTING_WORDS.findall(text))


def decide_kind(
    draft: Draft, titles: dict, paragraphs: list[str], signed: bool, bylines: list[Byline], authored: bool = False
) -> str:
    headline = titles["headline"] or ""
    subtitle = titles["subtitle"] or ""
    labels = " ".join(filter(None, (titles["column"], titles["kicker"])))
    if paragraphs and CONTINUED_FROM.match(paragraphs[0]):
        return "continuation"
    if draft.photo:
        return "photo"
    # A notice is the issuer's own text; a story datelined by the paper about a
    # call for entries ("…项目征集") is news.
    if (NOTICE_TITLE.search(compact(headline)) and not draft.has_dateline) or any(
        _NOTICE_CLOSING.search(p) for p in paragraphs[-3:]
    ):
        return "notice"
    if _INTERVIEW_SUBTITLE.match(subtitle) or _INTERVIEW_TITLE.search(headline + labels):
        return "interview"
    if sum(bool(_QUESTION.match(p)) for p in paragraphs) >= 2:
        return "interview"
    if paragraphs and _LETTER_SALUTATION.match(compact(paragraphs[0])):
        return "commentary"  # a reader's letter: the reader's own view, not the paper's report
    genre_tagged = any(line.genre for line in draft.lines(Role.TITLE, Role.LABEL))
    author_is_commentator = any(b.role == "author" and "评论员" in b.name for b in bylines)
    if genre_tagged or author_is_commentator or _COMMENTARY_TITLE.search(labels):
        return "commentary"
    if signed and _COMMENTARY_SUBTITLE.match(subtitle):
        return "commentary"
    # A piece with no dateline signed only by its author is opinion when the
    # author stands under the headline ("□ 刘文韬": news names a 记者 there), or
    # when it signs off at the end ("(任立新)") and argues rather than reports;
    # a signed feature of an older paper tells what people said and did.
    signed_by_author = bool(bylines) and all(b.role == "author" for b in bylines)
    if not draft.has_dateline and signed_by_author and (authored or argues(paragraphs)):
        return "commentary"
    if titles["column"] and _OPINION_COLUMN.search(compact(titles["column"])) and not draft.has_dateline:
        return "commentary"
    return "news"


# Pages of essays, poems and book notes: 副刊, 文艺, 读书 …
_LITERARY_SECTION = re.compile(r"副刊|文艺|文学|文苑|读书|书香|书评|散文|诗歌|诗词")


def on_literary_page(draft: Draft) -> bool:
    return bool(draft.section) and not draft.has_dateline and bool(_LITERARY_SECTION.search(draft.section))


def literary_kind(draft: Draft, kind: str) -> str:
    """An essay, poem or book note on a literary page is neither news nor the paper's opinion."""
    return "other" if kind in ("news", "commentary") and on_literary_page(draft) else kind


def literary_roles(draft: Draft, names: list[Byline]) -> list[Byline]:
    """On a literary page a writer signed "文/王小川" is the author, unless the credit says 记者."""
    if not on_literary_page(draft) or any("记者" in line.text for line in draft.lines(Role.CREDIT)):
        return names
    return [Byline(name=b.name, role="author") if b.role == "reporter" else b for b in names]


def continued_pages(draft: Draft, paragraphs: list[str]) -> tuple[str | None, str | None]:
    continued_from = continued_to = None
    if paragraphs:
        match = CONTINUED_FROM.match(paragraphs[0])
        if match:
            continued_from = _page(match["page"])
        match = CONTINUED_TO_TAIL.search(paragraphs[-1])
        if match:
            continued_to = _page(match["page"])
    for line in draft.lines(Role.CREDIT):
        if line.kind is LineKind.CONTINUED_TO:
            continued_to = _page(CONTINUED_TO_TAIL.search(line.text)["page"])
    return continued_from, continued_to


def _signed_under_headline(draft: Draft) -> bool:
    """Whether an author line ("□ 刘文韬", a bare name) stands between the titles and the text."""
    for line, role in draft.entries:
        if role in (Role.TEXT, Role.STANDALONE):
            return False
        if role is Role.CREDIT and line.kind is LineKind.BYLINE:
            return byline_parsing.parse_author_line(line.text, bare=line.author) is not None
    return False


def assemble(draft: Draft, recurs) -> tuple[ParsedArticle, list[Line]]:
    """The article, and the dropped labels it had no room for (they go to ``unassigned``)."""
    paragraphs = build_paragraphs(draft)
    # A name under the headline ("□ 刘文韬") signs a commentary or theory piece.
    authored = _signed_under_headline(draft)
    opening = compact("".join(paragraphs[:ANNOUNCEMENT_PARAGRAPHS]))
    titles = assign_titles(
        draft.lines(Role.TITLE),
        recurs,
        authored=authored,
        announced=functools.partial(_announces, opening),
        bulleted=sum(paragraph[:1] in _ITEM_BULLETS for paragraph in paragraphs) >= BULLETED_BOX_MIN_ITEMS,
    )
    labels = draft.lines(Role.LABEL)
    if labels and titles["column"] is None:
        titles["column"] = labels.pop(0).text
    names, signed = collect_bylines(draft, paragraphs)
    names = literary_roles(draft, names)
    continued_from, continued_to = continued_pages(draft, paragraphs)
    article = ParsedArticle(
        headline=titles["headline"],
        kicker=titles["kicker"],
        subtitle=titles["subtitle"],
        column=titles["column"],
        kind=literary_kind(draft, decide_kind(draft, titles, paragraphs, signed, names, authored)),
        paragraphs=paragraphs,
        bylines=names,
        continued_from=continued_from,
        continued_to=continued_to,
        section=draft.section,
        credits=[line.text for line in draft.lines(Role.CREDIT)],
        source_lines=draft.source_lines(),
        doubts=["boundary"] if draft.doubtful else [],
    )
    return article, labels


# The label of a block of short news items; it heads every item of the block.
_BRIEFS_LABEL = re.compile(
    r"^(?:[■□●◆▲★]\s*)?(?:\S{0,4}(?:简讯|快讯|短讯|简报|速递|速览|传真|动态)|一句话新闻|新闻速览)$"
)
# A brief is a paragraph or two; a longer story ends the block.
BRIEF_MAX_PARAGRAPHS = 2


def carry_briefs_label(articles: list[ParsedArticle]) -> None:
    """Give every item of a briefs block ("简讯" over three short items) the block's label as column.

    The label is printed once, above the first item; the block runs on while the
    items stay short and on the same page, with no column of their own.
    """
    label = None
    section = None
    for article in articles:
        if article.column and _BRIEFS_LABEL.match(compact(article.column)):
            label, section = article.column, article.section
        elif (
            label is not None
            and article.column is None
            and article.section == section
            and article.kind == "news"
            and len(article.paragraphs) <= BRIEF_MAX_PARAGRAPHS
        ):
            article.column = label
        else:
            label = None
