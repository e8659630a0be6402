"""Find where articles begin and end.

The lines of a dump are walked once. Datelines, captions, signatures and
"continued" markers are unambiguous; runs of short unpunctuated lines
(``LineKind.TITLE``) are not: the same shape is a headline, a kicker, a
column label the layout dropped into a paragraph, a subhead inside the text
or the first half of a paragraph cut by a column break. Each run is judged
by what surrounds it (see :func:`Segmenter.judge_titles`), and only strong
evidence starts a new article: a wrongly split article costs more than a
subhead kept in the text.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from archive.parsing.bylines import match_dateline
from archive.parsing.charsets import HAN
from archive.parsing.lines import (
    BOX_LABEL,
    CONTINUED_FROM,
    DATE_ONLY,
    NOTICE_TITLE,
    PAGE_FURNITURE,
    PAGE_LABEL,
    PAIRED_PHRASES,
    RUNNING_KINDS,
    SUBHEAD,
    Line,
    LineKind,
    compact,
    is_label_shaped,
    is_series_label,
)
from archive.parsing.topics import tokenizer

# A page label that ends at its number: "第4版", "A03".
_UNNAMED_PAGE = re.compile(r"(?:版|[A-Z]\d{1,2})\s*$")


class Role(Enum):
    TITLE = "title"  # kicker, headline, subtitle or column label above the text
    TEXT = "text"  # a paragraph or part of one; joins the next when left open
    STANDALONE = "standalone"  # a paragraph of its own: subhead, sign-off
    LABEL = "label"  # a label the layout dropped inside the text
    CREDIT = "credit"  # caption, signature, byline or continued-to line


class Verdict(Enum):
    START = "start"  # the run titles a new article
    MORE_TITLES = "more_titles"  # further title lines of the article just begun
    INSIDE_PARAGRAPH = "inside"  # pieces of an unfinished paragraph, and labels dropped in it
    FRAGMENT = "fragment"  # the last line is the first half of the next paragraph
    STANDALONE = "standalone"  # subheads or a sign-off inside the current article
    SIGN_OFF = "sign_off"  # the issuer and date closing a notice or letter
    TRAILING = "trailing"  # title lines with no text after them
    VERSE = "verse"  # lines of a poem: the text of the current article
    VERSE_START = "verse_start"  # a poem's title, then its first lines


@dataclass
class Draft:
    """The lines of one article before their meaning is worked out."""

    entries: list[tuple[Line, Role]] = field(default_factory=list)
    section: str | None = None
    closed: bool = False  # a signature, caption or "continued" marker ended it
    signed: bool = False  # closed by a signature, which text may still follow
    photo: bool = False
    # Where it begins or ends was decided on weak evidence: an editor should look.
    doubtful: bool = False
    verse: bool = False  # a poem: its short unpunctuated lines are text, stanza after stanza

    def add(self, line: Line, role: Role) -> None:
        self.entries.append((line, role))

    def lines(self, *roles: Role) -> list[Line]:
        return [line for line, role in self.entries if role in roles]

    @property
    def has_text(self) -> bool:
        return any(role in (Role.TEXT, Role.STANDALONE) for _, role in self.entries)

    @property
    def in_preface(self) -> bool:
        """Whether the text so far is an editor's note or box set before the story proper."""
        text = [line for line, role in self.entries if role in (Role.TEXT, Role.STANDALONE)]
        return bool(text) and bool(BOX_LABEL.match(text[0].text)) and not self.has_dateline

    @property
    def has_dateline(self) -> bool:
        return any(line.kind is LineKind.DATELINE for line, _ in self.entries)

    @property
    def has_byline_line(self) -> bool:
        return any(line.kind is LineKind.BYLINE and role is Role.CREDIT for line, role in self.entries)

    def source_lines(self) -> list[str]:
        """The input lines of the article, as printed and in input order."""
        return [line.raw for line in sorted((line for line, _ in self.entries), key=lambda line: line.index)]

    def paragraph_starts(self) -> list[int]:
        """Entry positions where a printed paragraph begins."""
        starts = []
        open_paragraph = False
        for position, (line, role) in enumerate(self.entries):
            if role is Role.TEXT:
                if not open_paragraph and not line.continues:
                    starts.append(position)
                open_paragraph = not line.closed
            elif role is Role.STANDALONE:
                starts.append(position)
                open_paragraph = False
        return starts


# A photo story is a caption to a picture: one or two paragraphs at most.
PHOTO_MAX_PARAGRAPHS = 2
# How the captions of a picture group are numbered: ①, 图①, 图1, 左图, 上图.
PICTURE_NUMBER = re.compile(r"^\s*(?:图\s*)?[①-⑳]|^\s*图\s*\d{1,2}\s*[：:、.．]|^\s*[左右上下中]图\s*[：:]?")
# A photo item without headline is looked for among the last paragraphs only.
PHOTO_LOOKBACK_PARAGRAPHS = 3
# Rows under a title that make it the heading of a table of its own.
TABLE_HEADING_ROWS = 2
# How far ahead a signature is looked for to decide whether a title starts a signed piece.
SIGNATURE_LOOKAHEAD_LINES = 80
_CROSSING_WINDOW = 4
# From this many datelines on, an issue is taken to date its news stories.
DATELINES_FOR_STYLE = 2
# A line at least this share of the usual paragraph width is text, not a label.
WRAPPED_LINE_SHARE = 0.6
# Subheads part a story of at least this many paragraphs, come in a series of lines whose
# lengths differ by less than this factor, and the next is looked for this far ahead.
SUBHEAD_STORY_MIN_PARAGRAPHS = 2
SUBHEAD_LENGTH_SPREAD = 2
SUBHEAD_LOOKAHEAD_LINES = 60
# A headline block is three lines at most (kicker, headline, subtitle); a run of this
# many short lines is verse. A line of verse is short.
VERSE_MIN_LINES = 4
VERSE_MAX_CHARS = 20
# A headline restates its story's lead: this many distinct two-character pieces of a
# lone title line recur in the opening of the paragraph under it.
LEAD_ECHO_MIN_BIGRAMS = 2
LEAD_WINDOW_CHARS = 80
# A note in brackets closing a paragraph after its last sentence ("…投入生产。（据新华社）",
# "（本报驻重庆记者）", "（沙野）"): who wrote or sent the item, which ends there.
CLOSING_NOTE = re.compile(r"[。！？!?”…]\s*[（(][^()（）]{1,24}[)）]\s*$")
_HAN_BIGRAM = re.compile(rf"(?=([{HAN}]{{2}}))")


_NUMERALS = str.maketrans("一二三四五六七八九十0123456789", "NNNNNNNNNNNNNNNNNNNN")


def subhead_mark(text: str) -> str:
    """How a subhead is numbered or bulleted, whatever its number: "一、" and "二、" share "N、"."""
    match = SUBHEAD.match(text)
    return compact(match[0]).translate(_NUMERALS) if match else ""


def continues_subheads(draft: Draft, line: Line) -> bool:
    """Whether ``line`` is the next of a series of subheads the draft already holds ("一、", then "二、")."""
    mark = subhead_mark(line.text)
    return bool(mark) and any(
        subhead_mark(other.text) == mark for other in draft.lines(Role.STANDALONE) if other.kind is LineKind.TITLE
    )


_ISSUER = re.compile(r"^[【\[（(]?\s*(?:据)?\s*(新华社|新華社|中新社|本报|本報)")


def unsourced_report(text: str) -> bool:
    """A paragraph opening "据…报道" that names neither the paper nor an agency, nor a day."""
    dateline = match_dateline(text)
    return (
        dateline is not None and dateline.day is None and dateline_issuer(text) is None and text.lstrip()[:1] in "据據"
    )


def dateline_issuer(text: str) -> str | None:
    """Who sent a dated story: the agency or the paper named at the head of its dateline."""
    match = _ISSUER.match(text)
    return match[1] if match else None


def echoes_lead(title: str, paragraph: str) -> bool:
    """Whether a title line restates the opening of the paragraph under it, as a headline does its lead."""
    pieces = set(_HAN_BIGRAM.findall(compact(title)))
    opening = compact(paragraph)[:LEAD_WINDOW_CHARS]
    return sum(piece in opening for piece in pieces) >= LEAD_ECHO_MIN_BIGRAMS


def crosses_word(left: str, right: str) -> bool:
    """Whether a dictionary word spans the seam when ``left`` and ``right`` are joined.

    "交流交" + "融工作" cuts as 交流/交融/工作: the seam falls inside 交融, so the
    two lines are halves of one sentence, not a title and its text.
    """
    head = left[-_CROSSING_WINDOW:]
    tail = right[:_CROSSING_WINDOW]
    if not head or not tail:
        return False
    seam = len(head)
    position = 0
    for token in tokenizer().cut(head + tail, False):
        if position < seam < position + len(token):
            return True
        position += len(token)
    return False


# Last characters that leave a clause open: particles, prepositions, pronoun plurals
# and 说 before the quotation. A headline or subhead does not end on them, so
# a short line ending so is the first half of a paragraph, however short.
_OPEN_CLAUSE_ENDINGS = frozenset("的之与和及在为对把让向从给将被于以们说")


def ends_mid_sentence(text: str) -> bool:
    """Whether ``text`` stops where a sentence cannot: "市住建局负责人李强说今年我们"."""
    stripped = compact(text)
    return len(stripped) > 2 and stripped[-1] in _OPEN_CLAUSE_ENDINGS


class Segmenter:
    def __init__(self, lines: list[Line]):
        self.lines = lines
        # Lines a wrapped paragraph goes on with are no gap between paragraphs.
        runs = Counter(line.blank_before for line in lines[1:] if not line.continues)
        # The usual gap between paragraphs; a wider one is a deliberate break.
        self.usual_gap = runs.most_common(1)[0][0] if runs else 0
        widths = sorted(len(line.text) for line in lines if line.kind is LineKind.BODY)
        self.usual_width = widths[len(widths) // 2] if widths else 0
        # A paper that prints datelines gives nearly every news story one; in a paper
        # (or decade) that does not, a lone short line between paragraphs is a headline
        # far more often than an unnumbered subhead.
        # A byline line right under a headline ("本报记者 A", "文/记者 A 图/B") marks a story
        # as surely as a dateline: an evening paper that prints no 本报讯 gives its
        # stories these instead, so a lone short line between paragraphs is a subhead there too.
        story_marks = sum(line.kind is LineKind.DATELINE for line in lines) + sum(
            line.kind is LineKind.BYLINE and not line.author and before.kind is LineKind.TITLE
            for before, line in itertools.pairwise(lines)
        )
        self.uses_datelines = story_marks >= DATELINES_FOR_STYLE
        # A paper whose stories all stand under headlines prints a second dispatch under
        # the same headline with only its dateline ("【新华社…电】" after the first one's text):
        # there a dateline that follows text, with no title between, goes on with the story.
        titled = sum(
            before.kind is LineKind.TITLE and line.kind is LineKind.DATELINE
            for before, line in itertools.pairwise(lines)
        )
        untitled = sum(
            before.kind is LineKind.BODY and line.kind is LineKind.DATELINE
            for before, line in itertools.pairwise(lines)
        )
        self.headlined_stories = titled >= DATELINES_FOR_STYLE and titled >= untitled
        self.drafts: list[Draft] = []
        self.unassigned: list[Line] = []
        self.current: Draft | None = None
        self.previous: Line | None = None
        self.section: str | None = None
        # A page label without the page's name ("第4版"): the next header line
        # on its own ("要闻") names the page.
        self.page_unnamed = False
        self.page_break = False  # page furniture came after the last line of text
        self.weak_verdict = False  # the last run of title lines was judged on circumstantial evidence

    # -- helpers -------------------------------------------------------------

    def wide_gap_before(self, line: Line) -> bool:
        return line.blank_before > self.usual_gap

    @staticmethod
    def names_page(text: str) -> bool:
        """A header line that is a page's name ("要闻"), not its date or an editor's credit."""
        return is_label_shaped(text) and not PAGE_FURNITURE.match(text) and not DATE_ONLY.match(text)

    def start(self) -> Draft:
        self.current = Draft(section=self.section)
        self.drafts.append(self.current)
        return self.current

    def text_target(self) -> Draft:
        """The draft new text goes into: the current one unless it is finished.

        Text right after a signature, with no headline between, goes on with the
        signed article: a signature can sit inside a story (at the end of one of its
        parts), while a new story would come with a headline or a dateline.
        """
        if self.current is not None and self.current.signed:
            self.current.closed = self.current.signed = False
        if self.current is None or self.current.closed:
            return self.start()
        return self.current

    def is_dropped_label(self, line: Line, text_before: str) -> bool:
        """Whether ``line``, found inside an unfinished paragraph, is a label rather than its next piece.

        A label is short and unpunctuated; a piece of the paragraph continues the
        word the text before it broke off ("改" + "革"), and in a dump with
        hard-wrapped lines it is as wide as the other lines.
        """
        if not is_label_shaped(line.text) or line.sentence_like:
            return False
        if len(compact(line.text)) >= self.usual_width * WRAPPED_LINE_SHARE:
            return False
        return not crosses_word(text_before, line.text)

    def judge_verse(self, run: list[Line], following: Line | None) -> Verdict | None:
        """Lines of a poem, or ``None`` when the run is no verse.

        A headline block has three lines at most; four short lines or more in a row
        are verse, and once a poem has begun its next stanzas are too, until
        something opens another piece (a dateline, a byline, a wider gap).
        """
        current = self.current
        if following is not None and (
            following.kind in (LineKind.DATELINE, LineKind.BYLINE) or CONTINUED_FROM.match(following.text)
        ):
            return None
        if any(line.subtitle or line.genre or line.subhead for line in run):
            return None
        if (
            current is not None
            and current.verse
            and not current.closed
            and self.previous is not None
            and self.previous.kind is LineKind.TITLE
            and not self.wide_gap_before(run[0])
        ):
            return Verdict.VERSE
        if len(run) < VERSE_MIN_LINES or any(len(compact(line.text)) > VERSE_MAX_CHARS for line in run):
            return None
        if current is not None and not current.has_text and not current.closed:
            return Verdict.VERSE  # under the poem's title and its author
        return Verdict.VERSE_START

    def verse_before_title(self, run: list[Line], following: Line | None) -> int:
        """How many lines of ``run`` are verse when its last line is the title of the piece that follows."""
        opens = following is not None and (
            following.kind in (LineKind.DATELINE, LineKind.BYLINE) or bool(CONTINUED_FROM.match(following.text))
        )
        if not opens or len(run) < 2:
            return 0
        head = run[:-1]
        return len(head) if self.judge_verse(head, run[-1]) is not None else 0

    def in_subhead_series(self, line: Line, following: Line, following_index: int) -> bool:
        """Whether ``line`` is one of a series of subheads of the current story.

        A subhead does not restate the paragraph under it (a headline does), and it
        comes in a series of lines of like length within one story of several
        paragraphs: one already among the story's text, or the next lone short line
        ahead, before anything that opens another piece.
        """
        current = self.current
        if echoes_lead(line.text, following.text) or len(current.paragraph_starts()) < SUBHEAD_STORY_MIN_PARAGRAPHS:
            return False

        def alike(other: Line) -> bool:
            size, other_size = len(compact(line.text)), len(compact(other.text))
            return other_size * SUBHEAD_LENGTH_SPREAD >= size and size * SUBHEAD_LENGTH_SPREAD >= other_size

        earlier = [other for other in current.lines(Role.STANDALONE) if other.kind is LineKind.TITLE]
        if any(alike(other) and not other.subhead for other in earlier):
            return True
        lines = self.lines
        for position in range(following_index, min(len(lines) - 1, following_index + SUBHEAD_LOOKAHEAD_LINES)):
            ahead = lines[position]
            if ahead.kind is LineKind.BODY:
                continue
            if ahead.kind is not LineKind.TITLE:
                return False  # a dateline, byline, caption or page header first
            after = lines[position + 1]
            return after.kind is LineKind.BODY and alike(ahead) and not echoes_lead(ahead.text, after.text)
        return False

    def second_dispatch(self, current: Draft, line: Line) -> bool:
        """Whether a dateline right after the text of a headlined story is another dispatch under that headline."""
        previous = self.previous
        if previous is not None and previous.kind in RUNNING_KINDS and unsourced_report(line.text):
            # "据保加利亚《经济生活报》报道，……" inside a story: the story quoting a source,
            # not a dispatch of its own (that names the paper or an agency, or a date).
            return bool(current.lines(Role.TITLE))
        if not self.headlined_stories or previous is None or previous.kind not in RUNNING_KINDS:
            return False
        titles = current.lines(Role.TITLE)
        # Items under a rubric alone ("简讯", "国际简讯") have no headline of their own to share.
        if not titles or all(is_series_label(line.text) or line.genre for line in titles):
            return False
        # Dispatches grouped under one headline come from the same wire; the paper's
        # own story after an agency's ("本报…电" after "新华社…电") is a story of its own.
        datelines = [line for line in current.lines(Role.TEXT) if line.kind is LineKind.DATELINE]
        return bool(datelines) and dateline_issuer(datelines[0].text) == dateline_issuer(line.text)

    def photo_follows(self, index: int) -> bool:
        """A caption after at most two paragraphs: the lines from ``index`` are a photo story."""
        for paragraphs, line in enumerate(self.lines[index : index + PHOTO_MAX_PARAGRAPHS + 1]):
            if line.kind is LineKind.CAPTION:
                return paragraphs > 0
            if line.kind not in (LineKind.BODY, LineKind.DATELINE):
                return False
            if line.credit_tail:
                return True
        return False

    def table_follows(self, index: int) -> bool:
        """Whether the lines from ``index`` are rows of a table (two at least, a date line may head them)."""
        rows = 0
        for line in self.lines[index : index + TABLE_HEADING_ROWS + 1]:
            if line.kind is not LineKind.ROW:
                break
            rows += line.table
        return rows >= TABLE_HEADING_ROWS

    def signature_follows(self, index: int) -> bool:
        """Whether the text from ``index`` runs into a signature before any other article mark."""
        for line in self.lines[index : index + SIGNATURE_LOOKAHEAD_LINES]:
            if line.kind in (LineKind.SIGNATURE, LineKind.END_MARK):
                return True
            if line.kind not in (LineKind.BODY, LineKind.TITLE) or (line.kind is LineKind.TITLE and not line.subhead):
                return False
        return False

    # -- judging a run of title-shaped lines ------------------------------------

    def judge_titles(self, run: list[Line], following: Line | None, following_index: int) -> Verdict:
        current, previous = self.current, self.previous
        verse = self.judge_verse(run, following)
        if verse is not None:
            return verse
        if current is None:
            return Verdict.START if following is not None else Verdict.TRAILING
        if following is None:
            return Verdict.STANDALONE if current.has_text and not current.closed else Verdict.TRAILING
        if PAGE_FURNITURE.match(following.text) and previous is not None and previous.closed:
            # The label of a box of page furniture: "晚报热线" over "新闻热线：…".
            return Verdict.TRAILING
        opens_article = following.kind in (LineKind.DATELINE, LineKind.BYLINE) or bool(
            CONTINUED_FROM.match(following.text)
        )
        if DATE_ONLY.match(run[-1].text) and not opens_article:
            return Verdict.SIGN_OFF
        if opens_article or any(line.genre for line in run) or NOTICE_TITLE.search(compact(run[-1].text)):
            return Verdict.START
        if not current.has_text and not current.closed:
            # A box label opens the text ("编者按" under the headline); other title lines
            # continue the headline block after a byline line.
            return Verdict.STANDALONE if run[0].subhead else Verdict.MORE_TITLES
        if current.closed:
            return Verdict.START
        if previous is not None and previous.kind in (LineKind.BODY, LineKind.DATELINE) and not previous.closed:
            # The paragraph above is unfinished, so the run sits inside it: pieces of
            # the paragraph and, between them, labels the layout dropped there.
            return Verdict.INSIDE_PARAGRAPH
        if len(run) == 1 and run[0].subhead and continues_subheads(current, run[0]):
            # "二、…" after "一、…" of the same story: the story goes on, even across a page break.
            return Verdict.STANDALONE
        if self.page_break:
            # A finished text, then a page header, a page number or a rule: the title
            # after them heads the next piece, not a subhead of the one before.
            return Verdict.START
        if is_series_label(run[-1].text) and previous is not None and previous.closed:
            # A rubric after finished text ("国际简讯", "……巡礼") opens a box of its own.
            self.weak_verdict = True
            return Verdict.START
        if any(line.subhead for line in run):
            return Verdict.STANDALONE  # numbered subheads and boxes ("相关链接") stay in the story
        if any(line.subtitle for line in run[1:]) or self.photo_follows(following_index):
            return Verdict.START
        if self.table_follows(following_index):
            return Verdict.START  # a table with its own heading: a results box, a standings list
        # The first half of a paragraph cut short by a column break: the seam splits a
        # word, or the line reads like running text (any comma will do where headlines
        # come with datelines; elsewhere only a clause with a list in it).
        if (
            len(run) == 1
            and following.kind is LineKind.BODY
            and (
                run[0].running_text
                or (run[0].sentence_like and self.uses_datelines)
                or crosses_word(run[0].text, following.text)
                or ends_mid_sentence(run[0].text)
            )
        ):
            return Verdict.FRAGMENT
        if (
            not self.uses_datelines
            and len(run) == 1
            and following.kind is LineKind.BODY
            and not self.wide_gap_before(run[0])
            and self.in_subhead_series(run[0], following, following_index)
        ):
            # No dateline to tell stories apart, but the line is one of a series of short
            # lines parting one story, none restating the text under it: subheads.
            self.weak_verdict = True
            return Verdict.STANDALONE
        if len(run) >= 2 or self.wide_gap_before(run[0]) or not self.uses_datelines:
            return Verdict.START
        if PAIRED_PHRASES.match(run[0].text) and following.kind is LineKind.BODY:
            return Verdict.START
        if (current.has_dateline or current.has_byline_line) and self.signature_follows(following_index):
            return Verdict.START
        # From here on the evidence is circumstantial either way: the article is marked for review.
        self.weak_verdict = True
        if previous is not None and previous.kind is LineKind.BODY and CLOSING_NOTE.search(previous.text):
            return Verdict.START  # the item above signed off: a short line after it heads the next
        if len(run) == 1 and following.kind is LineKind.BODY and echoes_lead(run[0].text, following.text):
            return Verdict.START  # a headline restates its lead; a subhead seldom does
        if not current.has_dateline and not current.has_byline_line and len(current.paragraph_starts()) == 1:
            # A subhead parts a story of several paragraphs; after a one-paragraph item
            # with no dateline (a brief) the next short line heads the next brief.
            return Verdict.START
        return Verdict.STANDALONE

    def take_titles(self, run: list[Line], following: Line | None, following_index: int) -> None:
        self.weak_verdict = False
        verdict = self.judge_titles(run, following, following_index)
        self.page_break = False
        if self.weak_verdict and self.current is not None:
            # Either the article above goes on, or it ended here: both get a look.
            self.current.doubtful = True
        if verdict is Verdict.START:
            previous_draft = self.current
            draft = self.start()
            draft.doubtful = self.weak_verdict
            for line in run:
                # A genre tag printed after a signed piece belongs to that piece when the
                # new article turns out to be a photo story.
                if (
                    line.genre
                    and line is run[0]
                    and previous_draft is not None
                    and self.previous is not None
                    and self.previous.kind in (LineKind.SIGNATURE, LineKind.END_MARK)
                    and self.photo_follows(following_index)
                ):
                    previous_draft.add(line, Role.LABEL)
                    continue
                draft.add(line, Role.TITLE)
        elif verdict is Verdict.MORE_TITLES:
            for line in run:
                self.current.add(line, Role.TITLE)
        elif verdict is Verdict.INSIDE_PARAGRAPH:
            text_before = self.previous.text
            for line in run:
                role = Role.LABEL if self.is_dropped_label(line, text_before) else Role.TEXT
                self.current.add(line, role)
                if role is Role.TEXT:
                    text_before = line.text
        elif verdict is Verdict.FRAGMENT:
            for line in run[:-1]:
                self.current.add(line, Role.STANDALONE)
            self.current.add(run[-1], Role.TEXT)
        elif verdict is Verdict.VERSE_START:
            draft = self.start()
            draft.verse = True
            draft.add(run[0], Role.TITLE)
            for line in run[1:]:
                draft.add(line, Role.STANDALONE)
        elif verdict is Verdict.VERSE:
            self.current.verse = True
            for line in run:
                self.current.add(line, Role.STANDALONE)
        elif verdict in (Verdict.STANDALONE, Verdict.SIGN_OFF):
            for line in run:
                self.current.add(line, Role.STANDALONE)
            # Nothing follows the dated sign-off of a notice or letter.
            self.current.closed = verdict is Verdict.SIGN_OFF
        else:
            self.unassigned.extend(run)
        self.previous = run[-1]

    # -- captions -------------------------------------------------------------

    def end_photo(self, credit: Line | None) -> None:
        """A photo credit ends the current piece: a photo story, or the photo printed after a story.

        ``credit`` is the credit line, or ``None`` when the credit closed the last paragraph.
        """
        current = self.current
        starts = current.paragraph_starts()
        # The numbered captions of a picture group ("①搏克手在比赛中角力。") belong to the
        # group's text above them, however many pictures there are.
        numbered = 0
        while numbered < len(starts) and PICTURE_NUMBER.match(current.entries[starts[-1 - numbered]][0].text):
            numbered += 1
        if numbered:
            starts = starts[: len(starts) - numbered]
        if not current.closed and len(starts) > PHOTO_MAX_PARAGRAPHS:
            # A caption under a long story: the paragraph(s) just above it are the
            # text of a photo printed after the story, not the story's end.
            split_at = self.photo_split(current, starts)
            moved = current.entries[split_at:]
            del current.entries[split_at:]
            current = self.start()
            current.entries.extend(moved)
        current.photo = current.photo or not current.closed
        if credit is not None:
            current.add(credit, Role.CREDIT)
        current.closed = True

    def photo_split(self, draft: Draft, starts: list[int]) -> int:
        """Where the photo text at the end of ``draft`` begins: after a wider gap, else its last paragraph."""
        for position in reversed(starts[-PHOTO_LOOKBACK_PARAGRAPHS:]):
            if position > 0 and self.wide_gap_before(draft.entries[position][0]):
                return position
        return starts[-1]

    # -- the walk ---------------------------------------------------------------

    def run(self) -> tuple[list[Draft], list[Line]]:
        lines = self.lines
        index = 0
        while index < len(lines):
            line = lines[index]
            kind = line.kind
            if kind is LineKind.TITLE:
                end = index + 1
                # A date alone closes a sign-off ("XX局" / "2023年12月30日") and a box label
                # ("编者按") opens text: either way the title lines stop there.
                while (
                    end < len(lines)
                    and lines[end].kind is LineKind.TITLE
                    and not DATE_ONLY.match(lines[end - 1].text)
                    and not BOX_LABEL.match(lines[end].text)
                ):
                    end += 1
                following = lines[end] if end < len(lines) else None
                verse_lines = self.verse_before_title(lines[index:end], following)
                if verse_lines:
                    # The last stanza of a poem runs straight into the next piece's title.
                    self.take_titles(
                        lines[index : index + verse_lines], lines[index + verse_lines], index + verse_lines
                    )
                    index += verse_lines
                    continue
                self.take_titles(lines[index:end], following, end)
                index = end
                continue
            if kind is LineKind.HEADER:
                self.unassigned.append(line)
                self.page_break = True
                if PAGE_LABEL.match(line.text):
                    self.section = line.text
                    self.page_unnamed = bool(_UNNAMED_PAGE.search(line.text))
                elif self.page_unnamed and self.section and self.names_page(line.text):
                    self.section = f"{self.section.strip()} {compact(line.text)}"
                    self.page_unnamed = False
            elif kind is LineKind.DATELINE:
                current = self.current
                if current is None or current.closed or (current.has_text and not current.in_preface):
                    if current is not None and not current.closed and self.second_dispatch(current, line):
                        current.doubtful = True  # two stories, or one story of two dispatches
                    else:
                        self.start()
                self.current.add(line, Role.TEXT)
            elif kind is LineKind.ROW:
                self.text_target().add(line, Role.STANDALONE)
            elif kind is LineKind.BODY:
                self.text_target().add(line, Role.TEXT)
                if line.credit_tail:
                    self.end_photo(None)  # caption text and credit in one paragraph
            elif kind is LineKind.CAPTION:
                if self.current is None:
                    self.unassigned.append(line)
                else:
                    self.end_photo(line)
            elif kind is LineKind.BYLINE and (self.current is None or (self.current.closed and self.current.has_text)):
                self.start().add(line, Role.CREDIT)
            elif kind in (LineKind.BYLINE, LineKind.SIGNATURE, LineKind.CONTINUED_TO, LineKind.END_MARK):
                if self.current is None:
                    self.unassigned.append(line)
                else:
                    self.current.add(line, Role.CREDIT)
                    # Under the headline a name is a byline; after the text it ends the piece.
                    self.current.closed = self.current.has_text
                    self.current.signed = self.current.closed and kind in (LineKind.BYLINE, LineKind.SIGNATURE)
            if kind is not LineKind.HEADER:
                self.page_unnamed = False
                self.previous = line
                self.page_break = False
            index += 1
        return self.drafts, self.unassigned


def segment(lines: list[Line]) -> tuple[list[Draft], list[Line]]:
    """Group classified lines into article drafts; lines in no article come back apart."""
    return Segmenter(lines).run()
