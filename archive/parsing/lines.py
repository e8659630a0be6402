"""Classify the lines of an issue dump.

A dump is the text of the printed pages in reading order: headlines,
datelines, paragraphs, photo captions and signatures each on a line of
their own, usually with blank lines between. Layout leaves scars: a
paragraph cut in two by a column break, a column label dropped into the
middle of a paragraph, a paragraph printed twice. This module only looks at
one line at a time; ``segment`` decides what the lines mean together.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from archive.parsing import bylines
from archive.parsing.charsets import HAN


class LineKind(Enum):
    BODY = "body"  # a paragraph or a piece of one
    TITLE = "title"  # short, unpunctuated: headline, kicker, label or subhead
    DATELINE = "dateline"  # 本报讯(记者 …) and the like: opens an article
    BYLINE = "byline"  # a line of its own naming the reporters: 本报记者 A B
    CAPTION = "caption"  # photo credit: ■本报记者 X 摄
    SIGNATURE = "signature"  # (刘沙沙) closing a commentary or interview
    CONTINUED_TO = "continued_to"  # (下转第3版) on a line of its own
    END_MARK = "end_mark"  # (完), (待续), (本报综合): the story ends here
    HEADER = "header"  # page header or editor credit, not part of any article
    ROW = "row"  # a paragraph of its own shaped like no sentence: table row, notice field, date alone


# A paragraph is finished when it ends with one of these; anything else
# (a character, a digit, a comma, an opening bracket) means the text goes on.
CLOSING_PUNCTUATION = frozenset("。！？!?…；;：:”’」』）)】》.")
SENTENCE_END = frozenset("。！？!?…；;")
# Endings a headline never has: they leave a sentence open.
OPEN_ENDINGS = frozenset("。；;，,、：:")

# Headlines run long in Chinese papers (up to ~48 characters on one line), but
# a real paragraph almost always contains a full stop or several commas.
TITLE_MAX_CHARS = 50
TITLE_MAX_COMMAS = 2
# Right above a dateline a line is a headline even when it runs this long.
LONG_TITLE_MAX_CHARS = 90
LABEL_MAX_CHARS = 16
# A title-shaped line this long with a comma in it is more likely a piece of a
# paragraph cut by a column break than a headline.
SENTENCE_MIN_CHARS = 20
_CLAUSE_PUNCTUATION = re.compile(r"[，,、；;]")
# Quotes and brackets a headline always closes; a line that leaves one open goes on.
_PAIRS = (("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"), ("(", ")"), ("【", "】"))

_SPACES = re.compile(r"\s+")
_COMMAS = re.compile(r"[，,]")
SUBTITLE = re.compile(r"^\s*(?:——|—|--|－－)\s*\S")
# 评论/短评/时评/社论/评论员文章: a genre tag set above (or beside) a commentary.
GENRE_LABEL = re.compile(
    r"^(?:[■□●◆▲★]\s*)?(?:短评|时评|评论|社论|评论员文章|快评|微评|社评|短評|時評|評論|社論|社評|快評)$"
)
# Standing rubrics and series announce themselves with these endings.
SERIES_LABEL = re.compile(
    r"(?:系列报道|系列评论|系列述评|系列访谈|系列|专栏|专题报道|专题|特刊|专刊|进行时|走基层|在行动|巡礼|回眸\S*|纪实|两会|手记|札记|随笔|简讯|快讯|短讯|速递|简报)$"
)
# A whole line in lenticular brackets is a rubric: 【奋进新征程 建功新时代】.
_BRACKETED_RUBRIC = re.compile(r"^[【〖［\[][^】〗］\]]{2,20}[】〗］\]]$")
_YEAR_LABEL = re.compile(r"(?:19|20)\d{2}(?!\d|\s*年)")
# Numbered or bulleted subheads inside an article: 一、 (一) 1. ■ ●
SUBHEAD = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[、.．]"
    r"|第[一二三四五六七八九十\d]+[章节部分篇]|[■□●○◎◆◇▲△★☆▶►]\s*)"
)
# The label of a box printed inside a story: editor's note, background, links, tips.
BOX_LABEL = re.compile(
    r"^[■□●◆▲★【\[]?\s*(?:编者按|编后(?:语|记)?|(?:相关|新闻|知识|背景|政策)?链接|背景(?:资料)?|延伸阅读|小贴士|温馨提示)"
    r"\s*[】\]：:]?$"
)
# A question or answer of an interview printed as dialogue: 记者：… 答：…
SPEAKER = re.compile(r"^\s*(?:本报记者|记者|主持人|问|答)(?:问|答)?\s*[：:]")
CONTINUED_FROM = re.compile(r"^\s*[（(]\s*上接\s*(?P<page>[^)）]{1,8}?)\s*[)）]")
CONTINUED_TO_TAIL = re.compile(r"[（(]\s*下转\s*(?P<page>[^)）]{1,8}?)\s*[)）]\s*$")
END_MARK = re.compile(
    r"^[（(]\s*(?:完|全文完|待续|未完待续|续完|本报综合|综合|综合报道|据[^()（）]{1,20}|[^()（）]{1,12}供稿|新华社发"
    # The body that supplied the text: "（市城市管理局）", "（市气象台）".
    r"|[^()（）\s]{1,14}(?:局|委|办|厅|署|部|院|会|公司|中心|站|台|所|处|支队|大队)"
    # The paper's own correspondent, unnamed: "（本报驻昆明记者）", "（本报记者）".
    r"|本[报報](?:驻[^()（）\s]{1,8})?(?:特约)?(?:记者|記者|通讯员|通訊員)(?:站)?)\s*[)）]$"
)
# How the headline of a notice ends: 公告, 启事, 通知 …
NOTICE_TITLE = re.compile(
    r"(?:公告|启事|启示|通告|声明|公示|通知|讣告|招聘|征集|征文|倡议书|告知书|须知|简章|名单|广告)$"
)
# A date standing alone: the sign-off of a notice or open letter.
DATE_ONLY = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[〇零一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
    r"|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2})\s*$"
)
# Page furniture. A page label ("第2版 要闻", "A03 要闻") names the section of
# the articles after it; the date line and editors' credits name nothing.
PAGE_LABEL = re.compile(
    rf"^\s*(?:[{HAN}]{{2,10}}报\s*)?(?:(?:19|20)\d{{2}}年\d{{1,2}}月\d{{1,2}}日\s*(?:星期[一二三四五六日天])?\s*)?"
    r"(?:第\s*[A-Z]?[\d一二三四五六七八九十]+\s*版|[A-Z]\d{1,2}\s*版?(?=[\s/／|｜·•]|$))"
    # "A03 / 城事", "A04｜民生": the section name may follow a slash or bar.
    rf"(?:\s*[/／|｜·•]?\s*[{HAN}·]{{1,12}})?\s*$"
)
PAGE_FURNITURE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日\s*(?:星期|周)[一二三四五六日天](?:\s*\S{0,20})?"
    r"|(?:本版)?(?:责任编辑|责编|编辑|主编|美编|校对|版式|版式设计|组版|审读|值班编委|版面编辑|图片编辑|制图)"
    r"\s*[：:]\s*\S.{0,60}|(?:新闻热线|投稿邮箱|投稿信箱|报料热线|广告热线|发行热线)\s*[：:].{0,60}"
    # The masthead: the paper's name alone, issue number, page count, serial numbers.
    rf"|[{HAN}]{{2,8}}(?:日报|晚报|商报|早报)|第\s*\d+\s*期|今日\s*\d+\s*版|(?:国内统一连续出版物号|邮发代号).{{0,40}}"
    # The source line of a web edition: "《 人民日报 》（ 2024年03月05日 第 01 版）".
    rf"|《\s*[{HAN}]{{2,10}}\s*》\s*[（(]\s*(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*(?:第\s*)?[A-Z]?\d{{1,3}}\s*版\s*[)）])\s*$"
)
# A field of a notice or box: "联系电话：0312—5678123", "联系人：王老师", "报名地点：…".
FIELD = re.compile(
    r"^(?:联系|咨询|报名|服务|举报|监督|投诉|办公|报到|领取|比赛|活动|开放|办理|受理)?"
    r"(?:电话|热线|联系人|地址|邮箱|电子邮箱|邮编|传真|网址|时间|地点|方式|手机|微信)\s*[：:]\s*\S.{0,50}$"
)
# A month and day alone, or a span of days: "7月27日至29日", "3月5日".
MONTH_DAY_ONLY = re.compile(
    r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
    r"(?:\s*(?:至|到|—|-|－|~|～)\s*(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})月)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})日)?$"
)
# The cells of a table printed as text are set apart by spaces: "上海海港 3∶1 成都蓉城",
# "1.上海申花 20场 48分". A row has three cells or more, with a score or several numbers.
_CELL_GAP = re.compile(r"[ \t\u3000]+")
_SCORE_CELL = re.compile(r"^\d{1,3}\s*[∶:：比]\s*\d{1,3}$")
TABLE_MIN_CELLS = 3
TABLE_MAX_CHARS = 60
# The note closing a signed article about its author or source: "（作者单位：…）",
# "（作者为…）", "（本文系…）". It is the last paragraph of the piece above,
# never a title of the next.
ATTRIBUTION = re.compile(
    r"^[（(]\s*(?:作者(?:单位|系|为|是|简介|供职于)|本文(?:系|为|作者|来源|原载)|原载|来源|摘自|转自|选自)"
    r"[^()（）]{0,80}[)）]$"
)
# Two or three parallel phrases set apart by a space, unbulleted: how a headline
# is printed ("雨雪天气将至 请注意防范"); a subhead of that shape carries a bullet.
PAIRED_PHRASES = re.compile(rf"^[{HAN}“”‘’《》]{{3,}}(?:[ \u3000]+[{HAN}“”‘’《》]{{3,}}){{1,2}}$")
# A rule ("————", "※※※") or a bare page number ("- 3 -") prints no words.
_RULE_OR_PAGE_NUMBER = re.compile(r"^(?:[\W_]+|[\W_]*\d{1,3}[\W_]*)$")
# How the tail of a sentence left alone on a line ends.
_SENTENCE_TAIL = frozenset("。！？!?；;，,、：:”’）)》」』")
_LABEL_CHARS = re.compile(r"^[\w\s“”\"'‘’《》·・\-—]+$")


@dataclass
class Line:
    index: int  # position in the input, counting every line
    raw: str  # exactly as in the input
    text: str  # stripped of surrounding whitespace
    blank_before: int  # blank lines right above it
    kind: LineKind = LineKind.BODY
    subtitle: bool = False  # TITLE starting with ——
    genre: bool = False  # TITLE naming a commentary genre
    subhead: bool = False  # TITLE numbered or bulleted like a subhead
    sentence_like: bool = False  # TITLE long and comma-punctuated like running text
    running_text: bool = False  # TITLE whose punctuation only running text has: a list inside a clause
    author: bool = False  # BYLINE that is a bare name under the headline: the author
    credit_tail: bool = False  # BODY ending with a photo credit: "…现场。(本报记者 张三 摄)"
    table: bool = False  # ROW that is a row of a table
    continues: bool = False  # BODY going on with the paragraph above even after a full stop: a wrapped line

    @property
    def closed(self) -> bool:
        """Whether the line ends a sentence, so the next line may start a new paragraph."""
        return bool(self.text) and self.text[-1] in CLOSING_PUNCTUATION


def compact(text: str) -> str:
    return _SPACES.sub("", text)


def is_rule_or_page_number(text: str) -> bool:
    """A rule or a bare page number; not the last characters of a wrapped sentence ("%。", "”。")."""
    return bool(_RULE_OR_PAGE_NUMBER.match(text)) and text[-1] not in _SENTENCE_TAIL


def is_label_shaped(text: str) -> bool:
    """Short and free of sentence punctuation: what a column label looks like."""
    return len(compact(text)) <= LABEL_MAX_CHARS and bool(_LABEL_CHARS.match(text))


def is_series_label(text: str) -> bool:
    """A rubric or series name rather than a kicker, judged by its own wording."""
    stripped = compact(text)
    if GENRE_LABEL.match(stripped):
        return False
    if _BRACKETED_RUBRIC.match(stripped):
        return True
    if SERIES_LABEL.search(stripped):
        return True
    # "回眸2023", "2024全国两会": a short label built around a year.
    return len(stripped) <= 10 and bool(_YEAR_LABEL.search(stripped)) and is_label_shaped(stripped)


def is_table_row(text: str) -> bool:
    """A row of a table printed as text: three cells or more, with a score or two numbers."""
    if len(text) > TABLE_MAX_CHARS or not _CELL_GAP.search(text):
        return False
    cells = _CELL_GAP.split(text.strip())
    if len(cells) < TABLE_MIN_CELLS:
        return False
    return any(_SCORE_CELL.match(cell) for cell in cells) or sum(any(c.isdigit() for c in cell) for cell in cells) >= 2


def is_title_shaped(text: str) -> bool:
    stripped = compact(text)
    if not stripped or len(stripped) > TITLE_MAX_CHARS:
        return False
    if stripped[-1] in OPEN_ENDINGS:
        return False
    # A quotation that ends its sentence inside the quotes is speech, not a title.
    if len(stripped) >= 2 and stripped[-1] in "”’」』" and stripped[-2] in SENTENCE_END:
        return False
    if "。" in stripped[:-1]:
        return False
    # A headline closes its quotes; a line that opens one and stops is the
    # first half of a sentence cut by a column break: 李强说：“今年我们
    if stripped.count("“") > stripped.count("”") or stripped.count("‘") > stripped.count("’"):
        return False
    if _CLAUSE_PUNCTUATION.search(stripped) and any(
        stripped.count(opening) > stripped.count(closing) for opening, closing in _PAIRS
    ):
        return False  # a clause that opens a quote it does not close: running text
    return len(_COMMAS.findall(stripped)) <= TITLE_MAX_COMMAS


def classify(line: Line) -> Line:
    text = line.text
    if PAGE_LABEL.match(text) or PAGE_FURNITURE.match(text) or is_rule_or_page_number(text):
        line.kind = LineKind.HEADER
    elif GENRE_LABEL.match(compact(text)):
        line.kind = LineKind.TITLE
        line.genre = True
    elif bylines.match_dateline(text):
        line.kind = LineKind.DATELINE
    elif bylines.parse_caption(text) is not None or bylines.NAMELESS_CREDIT.match(text):
        line.kind = LineKind.CAPTION
    elif bylines.parse_signature(text) is not None:
        line.kind = LineKind.SIGNATURE
    elif bylines.parse_byline_line(text) is not None or bylines.parse_author_line(text) is not None:
        line.kind = LineKind.BYLINE
    elif ATTRIBUTION.match(text):
        line.kind = LineKind.BODY
    elif END_MARK.match(text):
        line.kind = LineKind.END_MARK
    elif CONTINUED_TO_TAIL.match(text):
        line.kind = LineKind.CONTINUED_TO
    elif len(text) <= TABLE_MAX_CHARS and (
        (table := is_table_row(text)) or FIELD.match(text) or MONTH_DAY_ONLY.match(text)
    ):
        line.kind = LineKind.ROW
        line.table = table
    elif is_title_shaped(text) and not CONTINUED_FROM.match(text) and not SPEAKER.match(text):
        line.kind = LineKind.TITLE
        line.subtitle = bool(SUBTITLE.match(text))
        line.subhead = bool(SUBHEAD.match(text) or BOX_LABEL.match(text))
        line.sentence_like = len(compact(text)) > SENTENCE_MIN_CHARS and bool(_CLAUSE_PUNCTUATION.search(text))
        commas = len(_COMMAS.findall(text))
        line.running_text = line.sentence_like and (commas >= 2 or (commas >= 1 and "、" in text))
    else:
        line.kind = LineKind.BODY
        line.credit_tail = bylines.parse_inline_caption(text) is not None
    return line


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, classified, with the blank lines above each."""
    result: list[Line] = []
    blanks = 0
    for index, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if not stripped:
            blanks += 1
            continue
        line = classify(Line(index=index, raw=raw, text=stripped, blank_before=blanks))
        if line.kind is LineKind.DATELINE and result and _is_long_title(result[-1]):
            result[-1].kind = LineKind.TITLE
        result.append(line)
        blanks = 0
    _mark_bare_author_lines(result)
    _mark_closing_names(result)
    _mark_header_labels(result)
    _mark_wrapped_lines(result)
    return result


# A paragraph indent: one or two ideographic spaces, or two to four plain ones
# (a centred headline or a credit pushed right has more).
PARAGRAPH_INDENT = re.compile(r"^(?:\u3000{1,2}|[ ]{2,4}|\t)(?=\S)")
# A dump marks its paragraphs by indenting them when this many of its text lines are indented.
INDENTED_MIN_LINES = 3
INDENTED_MIN_SHARE = 0.1
# The width of a full line of a hard-wrapped column: most lines reach it, a few run
# a little wider (half-width digits); a line this close to it was wrapped, not ended.
FULL_LINE_PERCENTILE = 0.9
FULL_LINE_SHARE = 0.85
HARD_WRAP_MAX_SPREAD = 1.3
# The kinds of line that carry running text, which a paragraph can continue.
RUNNING_KINDS = (LineKind.BODY, LineKind.DATELINE)


def _mark_wrapped_lines(lines: list[Line]) -> None:
    """In a dump that indents its paragraphs, an unindented line of running text continues the one above.

    OCR and PDF dumps keep the printed line breaks of a column and mark each
    paragraph only by its indent: there, a line that starts flush and reads
    like a sentence (commas, no indent) is the rest of the paragraph, even
    when the line above happened to end at a full stop, and an indented line
    reading so is a paragraph, not a headline.
    """
    text_lines = [line for line in lines if line.kind in RUNNING_KINDS or line.kind is LineKind.TITLE]
    widths = sorted(display_width(line.raw) for line in text_lines if line.kind in RUNNING_KINDS)
    # Hard-wrapped lines are nearly all as wide as the column; a dump with a
    # paragraph a line has widths all over the place.
    wide, usual = (widths[int(len(widths) * FULL_LINE_PERCENTILE)], widths[len(widths) // 2]) if widths else (0, 0)
    hard_wrapped = wide <= usual * HARD_WRAP_MAX_SPREAD
    full_width = wide * FULL_LINE_SHARE if hard_wrapped else float("inf")
    indented = [line for line in text_lines if PARAGRAPH_INDENT.match(line.raw)]
    if len(indented) < INDENTED_MIN_LINES or len(indented) < INDENTED_MIN_SHARE * len(text_lines):
        if hard_wrapped:
            _join_blocks(lines, full_width)
        return
    for previous, line in itertools.pairwise(lines):
        reads_on = line.kind is LineKind.BODY or (line.kind is LineKind.TITLE and line.sentence_like)
        if PARAGRAPH_INDENT.match(line.raw):
            if reads_on:
                line.kind = LineKind.BODY
            continue
        if line.blank_before or previous.kind not in RUNNING_KINDS:
            continue
        # A full stop at the very end of a full line says nothing: the column
        # wrapped there. Under a shorter line a flush line starts a paragraph
        # whose indent the dump lost.
        wrapped = not previous.closed or display_width(previous.raw) >= full_width
        # Under a wrapped line, a title-shaped line as wide as the column is running text too.
        if reads_on or (wrapped and line.kind is LineKind.TITLE and display_width(line.raw) >= full_width):
            line.kind = LineKind.BODY
            line.continues = wrapped


# Share of text lines that go on from the line above without a blank line
# when a dump keeps the column's line breaks and puts blank lines between paragraphs.
BLOCK_CONTINUATION_MIN_SHARE = 0.3
BLOCK_SEPARATED_MIN_SHARE = 0.1


def _join_blocks(lines: list[Line], full_width: float) -> None:
    """A column-wrapped dump with blank lines between paragraphs: the lines of a block are one paragraph.

    PDF text keeps each printed line and leaves a blank line between
    paragraphs: there, text right under a line of text with no blank line
    between goes on with its paragraph, whatever punctuation the line above
    happened to end on.
    """
    after_text = [line for previous, line in itertools.pairwise(lines) if previous.kind in _TEXT_KINDS]
    glued = [line for line in after_text if not line.blank_before and line.kind in _TEXT_KINDS]
    separated = sum(line.blank_before > 0 for line in after_text)
    if len(glued) < BLOCK_CONTINUATION_MIN_SHARE * len(lines) or separated < BLOCK_SEPARATED_MIN_SHARE * len(lines):
        return  # blank lines do not part the paragraphs: nothing tells a wrapped line from a new one
    for previous, line in itertools.pairwise(lines):
        # A block that opens with a line as wide as the column, wrapped onto the
        # next line, is a paragraph: headlines are not set across the whole column.
        if (
            previous.kind is LineKind.TITLE
            and previous.sentence_like
            and not line.blank_before
            and line.kind in _TEXT_KINDS
            and display_width(previous.raw) >= full_width
        ):
            previous.kind = LineKind.BODY
        if not line.blank_before and line.kind in _TEXT_KINDS and previous.kind in RUNNING_KINDS:
            line.kind = LineKind.BODY
            line.continues = True


_TEXT_KINDS = (LineKind.BODY, LineKind.DATELINE, LineKind.TITLE)


def display_width(text: str) -> int:
    """Width in half-width cells: a Han character or full-width sign takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


# The section name of a page header printed on a line of its own is a short word: 要闻, 国际, 体育新闻.
HEADER_LABEL_MAX_CHARS = 6


def _mark_header_labels(lines: list[Line]) -> None:
    """A short label between two lines of page furniture is part of the page header.

    Dumps of PDF pages print the header one item a line ("第4版" / "要闻" /
    "2023年3月7日 星期二") on every page; the section name in the middle would
    otherwise read as a headline or be taken for a column dropped into the text.
    """
    for position in range(1, len(lines) - 1):
        line = lines[position]
        if (
            line.kind is LineKind.TITLE
            and lines[position - 1].kind is LineKind.HEADER
            and lines[position + 1].kind is LineKind.HEADER
            and len(compact(line.text)) <= HEADER_LABEL_MAX_CHARS
            and is_label_shaped(line.text)
        ):
            line.kind = LineKind.HEADER


def _mark_closing_names(lines: list[Line]) -> None:
    """Names alone on a line between the end of an item and the next title sign the item: "李兆江　王由礼".

    A headline is followed by its text; a signature by the next piece's title,
    a page header or nothing.
    """
    for position, line in enumerate(lines):
        if line.kind is not LineKind.TITLE or position == 0:
            continue
        previous = lines[position - 1]
        following = lines[position + 1] if position + 1 < len(lines) else None
        if previous.kind not in (LineKind.BODY, LineKind.DATELINE) or not previous.closed:
            continue
        if following is not None and following.kind not in (LineKind.TITLE, LineKind.HEADER):
            continue
        if bylines.parse_names_line(line.text) is not None:
            line.kind = LineKind.SIGNATURE


def _mark_bare_author_lines(lines: list[Line]) -> None:
    """A lone name between a headline and the text is the author: "以人才振兴…" / "王海燕" / "乡村振兴，…".

    Theory pages and commentaries print the author's bare name under the
    headline; read as a title line it would become the headline itself.
    """
    for position in range(1, len(lines) - 1):
        line = lines[position]
        if (
            line.kind is LineKind.TITLE
            and lines[position - 1].kind is LineKind.TITLE
            and not lines[position - 1].subhead
            and lines[position + 1].kind is LineKind.BODY
            and bylines.parse_author_line(line.text, bare=True) is not None
        ):
            line.kind = LineKind.BYLINE
            line.author = True


def _is_long_title(line: Line) -> bool:
    """A line too long for a headline on its own, but directly above a dateline and unpunctuated like one."""
    stripped = compact(line.text)
    return (
        line.kind is LineKind.BODY
        and len(stripped) <= LONG_TITLE_MAX_CHARS
        and stripped[-1] not in OPEN_ENDINGS
        and not any(mark in stripped for mark in "。；;")
    )
