"""Datelines, bylines, photo credits and signatures.

The forms vary between papers and decades: 本报讯(记者 A B), 本报1月11日讯,
本报北京3月15日电(记者 A), 【新华社北京1月11日电】, 【本市讯】, 据新华社消息,
full-width and half-width brackets, names separated by spaces, 、 or ，, and
several roles in one bracket (记者 A 通讯员 B). Each function here takes one
line (or the start of one) and returns what it names, or ``None``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from archive.parsing.charsets import HAN
from archive.parsing.document import Byline
from archive.parsing.topics import DICTIONARY_DIR, tokenizer

# Role words in the order they must be tried (longest first), with the role
# each one gives to the names after it.
_ROLE_WORDS = (
    ("本报特约通讯员", "correspondent"),
    ("特约通讯员", "correspondent"),
    ("本报通讯员", "correspondent"),
    ("通讯员", "correspondent"),
    ("实习记者", "intern_reporter"),
    ("见习记者", "intern_reporter"),
    ("实习生", "intern_reporter"),
    ("摄影记者", "photographer"),
    ("本报摄影记者", "photographer"),
    ("首席记者", "reporter"),
    ("特约记者", "reporter"),
    ("全媒体记者", "reporter"),
    ("融媒体记者", "reporter"),
    ("本报记者", "reporter"),
    # Evening and city papers name themselves: 晚报记者, 都市报记者, 商报记者.
    ("晚报记者", "reporter"),
    ("日报记者", "reporter"),
    ("早报记者", "reporter"),
    ("晨报记者", "reporter"),
    ("商报记者", "reporter"),
    ("都市报记者", "reporter"),
    ("新华社记者", "reporter"),
    ("中新社记者", "reporter"),
    ("记者", "reporter"),
    ("本报评论员", "author"),
    ("评论员", "author"),
    ("作者", "author"),
    ("撰稿", "author"),
    ("文/图", "reporter"),
    ("图/文", "reporter"),
    ("文/", "reporter"),
    ("图/", "photographer"),
    ("摄影", "photographer"),
)
# Hong Kong and Taiwan papers print the same role words in traditional characters.
_TRADITIONAL = str.maketrans("报讯记员实习见摄约闻评论华体", "報訊記員實習見攝約聞評論華體")
_ROLE_WORDS += tuple(
    (word.translate(_TRADITIONAL), role) for word, role in _ROLE_WORDS if word.translate(_TRADITIONAL) != word
)
_ROLE_BY_WORD = dict(_ROLE_WORDS)
_ROLE_PATTERN = "|".join(re.escape(word) for word, _ in sorted(_ROLE_WORDS, key=lambda item: -len(item[0])))
_ROLE_SPLIT = re.compile(rf"({_ROLE_PATTERN})\s*[：:/]?")
# Who issued the story: the paper itself, a news agency or another paper.
_ISSUER = (
    r"本[报報]|本刊|本台|新[华華]社|中新社|中新网|人民网|新华网|央视网|央广网|光明网|中国新闻社"
    r"|[^\s，,。()（）【】]{2,8}(?:[日晚新商早时時][报報]|通[讯訊]社)"
)
# 讯/电 and 报道 in simplified and traditional characters.
_SENT = r"[讯电訊電]"
_REPORTED = r"(?:报道|報道|報導|报导)"
_NUMBER = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_BRACKET_CONTENT = r"[^()（）]{1,60}"
_DATELINE_BRACKETED = re.compile(rf"^\s*【(?P<head>[^】]{{1,40}}?(?:{_SENT}|{_REPORTED}|消息))】")
# Taiwan papers open with reporter and place in tortoise-shell brackets: 〔記者林小明／台北報導〕.
_DATELINE_SIGNED = re.compile(
    rf"^\s*[〔［](?P<names>[^〕］／/]{{2,30}})[／/](?P<head>[^〕］]{{1,20}}?(?:{_REPORTED}|{_SENT}))[〕］]"
)
# Issuer, then optionally a place and a date, then 讯 or 电: 本报讯, 本报1月11日讯,
# 本报北京3月15日电, 新华社呼和浩特1月11日电, 新华社北京电(记者 …).
_DATELINE_PLAIN = re.compile(
    rf"^\s*(?P<head>(?:{_ISSUER})(?:[{HAN}]{{0,10}}?(?:{_NUMBER}月)?{_NUMBER}日"
    rf"|[{HAN}]{{2,10}}?(?={_SENT}\s*[（(【])|){_SENT})"
)
_DATELINE_REPORTED = re.compile(
    rf"^\s*(?P<head>[据據][^\s，,。；()（）]{{1,16}}?(?:消息|{_REPORTED}|{_SENT}))(?=[\s，,:：（(]|$)\s*[，,:：]?"
)
_BYLINE_BRACKET = re.compile(rf"\s*[（(](?P<names>{_BRACKET_CONTENT})[)）]")
# "本报讯 记者张三 李四报道：" — names without brackets, closed by 报道 and a colon.
_PLAIN_NAME = r"[^\s，,。：:]{2,6}"
_BYLINE_REPORTS = re.compile(
    rf"\s*(?P<names>(?:{_ROLE_PATTERN})\s*{_PLAIN_NAME}(?:[\s、]+{_PLAIN_NAME})*?)\s*{_REPORTED}\s*[：:]"
)
_MONTH_DAY = re.compile(rf"(?:(?P<month>{_NUMBER})月)?(?P<day>{_NUMBER})日")
_NAME_SEPARATORS = re.compile(r"[\s、，,;；/|]+")
# A personal name: Han characters (Mongolian and other names transcribed into
# Han can run to six or more), optionally with the middle dot of foreign
# names, or a Latin name.
_NAME = re.compile(rf"^(?:[{HAN}]{{2,8}}(?:[·・•][{HAN}]{{1,8}})*|[A-Za-z][A-Za-z .'-]{{1,30}})$")
# Bracketed notes that look like short names but are not: (综合), (待续), (据新华社),
# and the stage notes of printed speeches, (掌声).
_NOT_A_NAME = re.compile(
    r"综合|整理|供稿|报道|報道|待续|新华|新華|资料|图片|编辑|来源|本报|本報|摘自|^据|记者|記者|通讯员|通訊員|上接|下转|掌声|笑声"
)
_BULLETS = "■□●◆▲★☆◇△▶►○◎ \u3000"
_PHOTO_VERB = r"[摄攝]\s*(?:影)?\s*(?:报道|報道)?"
# "Sent by" an agency: 新华社发 before the bracket or inside it, "（新华社发 李四摄）".
_AGENCY_SENT = r"新华社发|新華社發|中新社发|中新社發|本报发|本報發"
_LEADING_AGENCY = re.compile(rf"^\s*(?:{_AGENCY_SENT})\s*")
# "■本报记者 刘清羽摄", "(张三 摄)", "新华社发（李四 摄）", "本报记者 王五 摄影报道".
_CAPTION = re.compile(
    rf"^[{_BULLETS}]*(?:{_AGENCY_SENT})?\s*[（(]?\s*(?:{_AGENCY_SENT})?\s*(?P<credit>[^()（）]{{1,40}}?)\s*{_PHOTO_VERB}\s*[)）]?\s*$"
)
# A credit closing a paragraph: "…活动现场。(本报记者 张三 摄)", "…现场。■本报记者 张三 摄".
_INLINE_CAPTION = re.compile(
    rf"(?:[（(]\s*(?P<bracketed>[^()（）]{{1,40}}?)\s*{_PHOTO_VERB}\s*[)）]"
    rf"|(?<=[。！？!?”…\s{_BULLETS}])(?P<plain>[^。！？!?”…()（）]{{2,40}}?)\s*{_PHOTO_VERB})\s*$"
)
# A photo credit that names no one: "(资料图片)", "本报资料图", "(图片由市文旅局提供)".
NAMELESS_CREDIT = re.compile(
    r"^[（(]?\s*(?:资料图片|资料图|本报资料图片?|新华社发|中新社发|图片由[^()（）]{1,20}提供|[^()（）\s]{1,12}供图"
    r"|本版图片[^()（）]{0,16})\s*[)）]?$"
)
_SIGNATURE = re.compile(r"^[（(]\s*(?P<names>[^()（）]{1,24}?)\s*[)）]$")
_TRAILING_SIGNATURE = re.compile(r"[。！？!?”…]\s*(?P<signature>[（(][^()（）]{1,24}[)）])\s*$")
# Place or standing of the writer, then the name: "市区阳光花园小区　王建华", "辽宁沈阳 读者 刘芳".
_ADDRESSED_SIGNATURE = re.compile(
    r"^(?:(?:[^\s()（）]{1,16}(?:省|市|县|区|旗|盟|州|镇|乡|村|街道|社区|小区|里|巷|路|公社|大队|农场|厂|矿|学校|中学|小学|大学|医院|公司|读者|居民|村民|职工|教师|学生)[\s\u3000]+)+"
    r"|[^()（）]{0,20}?(?:读者|網友|网友|市民|居民)[\s\u3000]*)"
    rf"(?P<name>[{HAN}]{{2,4}})$"
)
_SIGNATURE_VERB = re.compile(r"\s*(?:整理|报道|報道|報導|采写|撰稿|执笔|供稿)$")
_SIGNATURE_BARE = re.compile(r"^[■□●◆▲★☆—\-\s]*(?P<names>本报评论员|本报特约评论员|[^\s]{2,12}评论员)$")
_BYLINE_LINE = re.compile(
    rf"^[{_BULLETS}]*(?P<names>(?:本[报報]|新[华華]社|中新社)?(?:{_ROLE_PATTERN})\s*[：:/]?\s*[^。，,！？!?；;()（）]{{2,40}})$"
)
# Credit lines are short; a longer line ending in 摄 is a sentence.
CREDIT_MAX_CHARS = 48
# In a credit every word must be a name, and names are short: Han names have
# two to four characters, transcribed Mongolian names up to six.
STRICT_NAME_MAX_CHARS = 6
# A signature in brackets is a name or pen name; longer text is a note.
SIGNATURE_NAME_MAX_CHARS = 5
_BULLET_RUN = re.compile(rf"[{_BULLETS}]+")
_ISSUER_PREFIXES = ("本报", "本報", "新华社", "新華社", "中新社", "晚报", "日报", "早报", "晨报", "商报", "都市报")
# "孙伟/文　周涛/图": the slash after the name says what each did.
_NAME_THEN_SLASH_ROLE = re.compile(rf"(?P<name>[{HAN}·]{{2,8}})\s*[/／]\s*(?P<role>文图|图文|文|图|摄)(?=[\s\u3000]|$)")
_ROLE_THEN_BREAK = re.compile(rf"^(?:{_ROLE_PATTERN})(?:\s|[：:/])")
# "文/记者 A 图/记者 B": the slash forms are role words of their own, and the
# credit word after them only says who the person is, not what they did.
_SLASH_ROLE = re.compile(r"^(?:文|图|摄影|摄|文图|图文)\s*[/／]")
_SLASH_ROLES = frozenset(("文/", "图/", "文/图", "图/文"))
SURNAMES_FILE = DICTIONARY_DIR / "surnames.txt"
# A name line under a headline: "□ 刘文韬", "■ 王海燕", "王海燕", "李 拯"
# (two-character names are spaced out to three places).
_AUTHOR_LINE = re.compile(rf"^(?P<bullet>[{_BULLETS}]*)\s*(?P<name>[{HAN}](?:[\s\u3000]?[{HAN}]){{1,3}})$")
AUTHOR_NAME_MAX_CHARS = 4
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@functools.cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Single-character and compound surnames from ``surnames.txt``."""
    single, compound = set(), set()
    with SURNAMES_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            for word in line.split():
                (single if len(word) == 1 else compound).add(word)
    return frozenset(single), frozenset(compound)


def starts_with_surname(name: str) -> bool:
    single, compound = surnames()
    return name[:2] in compound or name[:1] in single


def is_common_word(name: str) -> bool:
    """A dictionary word that is no one's name: "调查" in "■ 记者调查" is a subhead, not a reporter.

    Names the dictionary happens to know (王海燕) start with a surname; words
    mostly do not.
    """
    return tokenizer().has_word(name) and not starts_with_surname(name)


@dataclass
class Dateline:
    end: int  # offset in the line where the article text proper starts
    bylines: list[Byline]
    month: int | None
    day: int | None


def chinese_number(text: str) -> int | None:
    """Digits or simple Chinese numerals up to 99 (十一, 二十三)."""
    if text.isdigit():
        return int(text)
    if not text or any(char not in _CHINESE_DIGITS for char in text):
        return None
    if "十" not in text:
        return _CHINESE_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    value = (_CHINESE_DIGITS[tens] if tens else 1) * 10
    return value + (_CHINESE_DIGITS[units] if units else 0)


def month_day(text: str) -> tuple[int | None, int | None]:
    match = _MONTH_DAY.search(text)
    if not match:
        return None, None
    month = chinese_number(match["month"]) if match["month"] else None
    day = chinese_number(match["day"])
    if month is not None and not 1 <= month <= 12:
        return None, None
    if day is None or not 1 <= day <= 31:
        return None, None
    return month, day


def _is_name(name: str) -> bool:
    return bool(_NAME.match(name)) and not _NOT_A_NAME.search(name)


def _merge_spaced_letters(pieces: list[str]) -> list[str]:
    """Two-character names are often set with a space to fill three places ("吴　敏")."""
    merged: list[str] = []
    for piece in pieces:
        if len(piece) == 1 and merged and len(merged[-1]) == 1:
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def split_names(text: str, default_role: str, *, strict: bool = False) -> list[Byline] | None:
    """Names and roles from a byline: "记者 A 通讯员 B C", "实习记者 A、B".

    Words that are not names are skipped; with ``strict`` any such word makes
    the whole text no byline (``None``), which tells a credit from a sentence.
    """
    result: list[Byline] = []
    role = default_role
    slash_role = False  # a "图/" just set the role and no name has followed yet
    for piece in _ROLE_SPLIT.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if piece in _ROLE_BY_WORD:
            # "图/记者 B": B took the picture; 记者 only says B is a reporter.
            if not slash_role:
                role = _ROLE_BY_WORD[piece]
            slash_role = piece in _SLASH_ROLES
            continue
        slash_role = False
        for word in _merge_spaced_letters(_NAME_SEPARATORS.split(piece)):
            name = word.strip(" ：:·・")
            if name.endswith(("报道", "報道", "報導")) and len(name) > 2:
                name = name[:-2]
            if not name:
                continue
            if _is_name(name) and (not strict or len(name) <= STRICT_NAME_MAX_CHARS):
                result.append(Byline(name=name, role=role))
            elif strict:
                return None
    if strict and not result:
        return None
    return result


def _with_role(names: list[Byline] | None, role: str) -> list[Byline] | None:
    return [Byline(name=byline.name, role=role) for byline in names] if names else None


def match_dateline(text: str) -> Dateline | None:
    """The dateline opening ``text``, with the reporters it names and its date."""
    signed = _DATELINE_SIGNED.match(text)
    if signed:
        month, day = month_day(signed["head"])
        return Dateline(end=signed.end(), bylines=split_names(signed["names"], "reporter"), month=month, day=day)
    for pattern in (_DATELINE_BRACKETED, _DATELINE_PLAIN, _DATELINE_REPORTED):
        match = pattern.match(text)
        if match:
            break
    else:
        return None
    head = match["head"]
    end = match.end()
    names: list[Byline] = []
    bracket = _BYLINE_BRACKET.match(text, end) or _BYLINE_REPORTS.match(text, end)
    if bracket:
        names = split_names(bracket["names"], "reporter")
        # A bracket with no name in it ("(记者)", "(综合)") is still the dateline's.
        end = bracket.end()
    month, day = month_day(head)
    return Dateline(end=end, bylines=names, month=month, day=day)


def parse_caption(text: str) -> list[Byline] | None:
    """Photographers of a credit line such as "■本报记者 刘清羽摄" or "(张三 摄)"."""
    if len(text) > CREDIT_MAX_CHARS:
        return None
    match = _CAPTION.match(text)
    if not match:
        return None
    credit = match["credit"]
    names = split_names(credit, "photographer", strict=True)
    if not names:
        return None
    # Without a role word, a bullet or a bracket, only a bare short name makes a
    # credit ("张三 摄"); "他在现场拍摄" is a sentence.
    marked = text[0] in _BULLETS + "（(" or _ROLE_SPLIT.search(credit)
    if not marked and (len(names) > 2 or any(len(b.name) > 4 for b in names)):
        return None
    return _with_role(names, "photographer")


_ISSUER_THEN_NAME = re.compile(rf"^\s*(?:本报|本報|新华社|新華社|中新社)[\s\u3000]+(?=[{HAN}])")


def _inline_caption(text: str) -> tuple[int, list[Byline]] | None:
    if not text.rstrip(")） \u3000").endswith(("摄", "摄影", "报道", "攝", "攝影", "報道")):
        return None  # cheap test first: this runs on every paragraph
    match = _INLINE_CAPTION.search(text)
    if not match:
        return None
    credit = _LEADING_AGENCY.sub("", match["bracketed"] or _BULLET_RUN.sub("", match["plain"]))
    issuer = _ISSUER_THEN_NAME.match(match["plain"] or "")
    if issuer:
        # "本报  王志渊摄": older papers name the paper, then the photographer.
        credit = _BULLET_RUN.sub("", match["plain"][issuer.end() :])
    elif match["plain"] and not _ROLE_SPLIT.search(credit):
        return None  # unbracketed, only "本报记者 张三 摄" is a credit, not "…拍摄"
    names = _with_role(split_names(credit, "photographer", strict=True), "photographer")
    return (match.start(), names) if names else None


def parse_inline_caption(text: str) -> list[Byline] | None:
    """A photo credit closing a paragraph: "…现场。(本报记者 张三 摄)", "…现场。■本报记者 张三 摄"."""
    found = _inline_caption(text)
    return found[1] if found else None


def without_credits(text: str) -> str:
    """``text`` without a photo credit or bracketed signature at its end."""
    found = _inline_caption(text)
    if found:
        return text[: found[0]]
    match = _TRAILING_SIGNATURE.search(text)
    return text[: match.start("signature")] if match else text


def parse_signature(text: str) -> list[Byline] | None:
    """The author of a signed piece: "(刘沙沙)", "（弘心）", "■本报评论员"."""
    match = _SIGNATURE.match(text) or _SIGNATURE_BARE.match(text)
    if not match:
        return None
    # "(本报记者 高娃 整理)": the verb after the names says what they did.
    content = _SIGNATURE_VERB.sub("", match["names"].strip())
    if "评论员" in content:
        return [Byline(name=content.lstrip(_BULLETS + "—"), role="author")]
    addressed = _ADDRESSED_SIGNATURE.match(content)
    if addressed and starts_with_surname(addressed["name"]) and not is_common_word(addressed["name"]):
        # A reader's letter is signed with where the writer lives: "（河东区　孙桂兰）".
        return [Byline(name=addressed["name"], role="author")]
    # "(作者单位：…)", "(综合)", "(完)" are notes, not names.
    names = split_names(content, "author", strict=True)
    if not names or any(len(b.name) > SIGNATURE_NAME_MAX_CHARS for b in names):
        return None
    return names


# A credit that names the writer first, then what they did: "王小川/文", "孙伟/文　周涛/图".
_NAMES_THEN_SLASH_ROLES = re.compile(
    rf"^[{_BULLETS}]*(?:[{HAN}·]{{2,8}}\s*[/／]\s*(?:文图|图文|文|图|摄)[\s\u3000]*)+$"
)


def parse_byline_line(text: str) -> list[Byline] | None:
    """A line that only names the reporters: "本报记者 张三 李四", "□ 新华社记者 王五", "王小川/文"."""
    if len(text) > CREDIT_MAX_CHARS:
        return None
    if _NAMES_THEN_SLASH_ROLES.match(text):
        credits = list(_NAME_THEN_SLASH_ROLE.finditer(text))
        # Each name must look like one: a surname first, and not an ordinary word.
        if credits and all(starts_with_surname(m["name"]) and not is_common_word(m["name"]) for m in credits):
            return [Byline(name=m["name"], role="reporter" if m["role"] == "文" else "photographer") for m in credits]
        return None
    match = _BYLINE_LINE.match(text)
    if not match:
        return None
    # "本报记者 张三", "□记者 李四", "记者：王五" — but not "记者了解到".
    unbulleted = text.lstrip(_BULLETS)
    spaced = bool(_ROLE_THEN_BREAK.match(unbulleted) or _SLASH_ROLE.match(unbulleted))
    if not (text[0] in _BULLETS or text.startswith(_ISSUER_PREFIXES) or spaced):
        return None
    # "孙伟/文" keeps the role named before it; "周涛/图" took the pictures.
    credit = _NAME_THEN_SLASH_ROLE.sub(
        lambda m: m["name"] if m["role"] == "文" else f"{m['role']}/{m['name']}",
        _SIGNATURE_VERB.sub("", match["names"]),
    )
    names = split_names(credit, "reporter", strict=True)
    # "■ 记者调查" is a subhead: the role word runs straight into an ordinary word.
    if names and not spaced and any(is_common_word(byline.name) for byline in names):
        return None
    return names


# "（作者系县农牧业局局长　韩明）": the note on the author ends with the author's name.
_ATTRIBUTED_AUTHOR = re.compile(
    rf"^[（(]\s*作者(?:系|为|是)[^()（）]{{2,40}}[\s\u3000](?P<name>[{HAN}]{{2,4}})\s*[)）]$"
)


def parse_attributed_author(paragraph: str) -> list[Byline] | None:
    """The author named at the end of a note on the author: "（作者系县农牧业局局长　韩明）"."""
    match = _ATTRIBUTED_AUTHOR.match(paragraph.strip())
    if not match or not starts_with_surname(match["name"]) or is_common_word(match["name"]):
        return None
    return [Byline(name=match["name"], role="author")]


def parse_trailing_signature(paragraph: str) -> list[Byline] | None:
    """A signature in brackets closing the last paragraph: "…取得实效。(刘沙沙)"."""
    match = _TRAILING_SIGNATURE.search(paragraph)
    return parse_signature(match["signature"]) if match else None


# A signature of names alone closing an item: "李兆江　王由礼", "彭远光" (at most this many names).
NAMES_LINE_MAX_NAMES = 3


def parse_names_line(text: str) -> list[Byline] | None:
    """Writers' names alone on a line, "李兆江　王由礼": each a surname first, and no ordinary word."""
    pieces = _merge_spaced_letters([piece for piece in re.split(r"[\s\u3000、]+", text.strip()) if piece])
    if not 1 <= len(pieces) <= NAMES_LINE_MAX_NAMES:
        return None
    _single, compound = surnames()
    for name in pieces:
        if not re.fullmatch(rf"[{HAN}]{{2,4}}", name) or not starts_with_surname(name):
            return None
        # Four characters make a name only with a two-character surname (欧阳文华); else a phrase (蒋匪增税).
        if len(name) == 4 and name[:2] not in compound:
            return None
        # A compound surname cuts off as a word of its own: 欧阳/文华 is still a name.
        if is_common_word(name) or _NOT_A_NAME.search(name) or (_cut_as_words(name) and name[:2] not in compound):
            return None
    return [Byline(name=name, role="author") for name in pieces]


def parse_author_line(text: str, *, bare: bool = False) -> list[Byline] | None:
    """The author of a line that is only a name: "□ 刘文韬", "■ 王海燕", and with ``bare`` "王海燕".

    Commentaries and theory pieces print their author under the headline this
    way. A bullet marks the line as a credit; a bare line is a name only in
    the title block (the caller knows), and either way the name must start
    with a common surname and not be an ordinary word, so that short subheads
    ("■ 观点", "现场") are not taken for names.
    """
    match = _AUTHOR_LINE.match(text)
    if not match or (not bare and not match["bullet"]):
        return None
    name = compact_name(match["name"])
    if not 2 <= len(name) <= AUTHOR_NAME_MAX_CHARS or not starts_with_surname(name):
        return None
    if is_common_word(name) or _NOT_A_NAME.search(name) or _cut_as_words(name):
        return None
    return [Byline(name=name, role="author")]


def compact_name(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _cut_as_words(name: str) -> bool:
    """Whether the text cuts into ordinary words ("丰收/时节"), which a name does not."""
    tokens = tokenizer().cut(name, False)
    return len(tokens) > 1 and all(len(token) >= 2 for token in tokens)
