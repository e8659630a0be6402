"""Tests of the issue parser: golden issues, the byline and date rules, and properties.

Golden issues live in ``tests/data`` as ``NAME.txt`` with the contract JSON
the parser must print for it in ``NAME.expected.json``. A new layout is one
more pair of files. After a deliberate change of the parser, rewrite the
expected files with ``UPDATE_PARSER_GOLDEN=1 pytest tests/test_parsing.py``:
every golden test then fails, naming the file it wrote, until the variable is
unset; read the diff before committing it.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.parsing import parse_issue
from archive.parsing.bylines import (
    match_dateline,
    parse_byline_line,
    parse_caption,
    parse_inline_caption,
    parse_names_line,
    parse_signature,
)
from archive.parsing.dates import date_from_source, infer_issue_date, resolve_year
from archive.parsing.document import DOUBTS, KINDS, ROLES, TOPICS, ParsedIssue
from archive.parsing.lines import LineKind, split_lines
from tests.factories import SAMPLE_FILES

DATA_DIR = Path(__file__).resolve().parent / "data"
GOLDEN_TEXTS = sorted(path for path in DATA_DIR.glob("*.txt") if path.with_suffix(".expected.json").exists())
_WHITESPACE = re.compile(r"\s+")


def parse_file(path: Path) -> ParsedIssue:
    return parse_issue(path.read_text(encoding="utf-8"), source=path.name)


# -- golden issues ---------------------------------------------------------------


def test_every_golden_text_has_its_expected_file():
    texts = sorted(DATA_DIR.glob("*.txt"))
    assert texts, "no golden issues in tests/data"
    assert [path.name for path in texts] == [path.name for path in GOLDEN_TEXTS]


@pytest.mark.parametrize("path", GOLDEN_TEXTS, ids=lambda path: path.stem)
def test_golden_issue(path):
    produced = parse_file(path).to_contract()
    expected_path = path.with_suffix(".expected.json")
    if os.environ.get("UPDATE_PARSER_GOLDEN"):
        # Rewriting is never a pass: the new file is only right once a person
        # has read its diff, and a run that sets the variable checks nothing.
        text = json.dumps(produced, ensure_ascii=False, indent=2) + "\n"
        changed = not expected_path.exists() or expected_path.read_text(encoding="utf-8") != text
        expected_path.write_text(text, encoding="utf-8")
        relative = expected_path.relative_to(DATA_DIR.parent.parent)
        pytest.fail(
            f"UPDATE_PARSER_GOLDEN: wrote {relative} ({'changed' if changed else 'unchanged'}); "
            f"review `git diff {relative}`, then run the tests again without UPDATE_PARSER_GOLDEN"
        )
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert produced["issue_date"] == expected["issue_date"]
    assert [a["headline"] for a in produced["articles"]] == [a["headline"] for a in expected["articles"]]
    for number, (got, want) in enumerate(zip(produced["articles"], expected["articles"], strict=True)):
        assert got == want, f"article {number + 1} ({want['headline']})"
    assert produced == expected


@pytest.mark.parametrize("path", GOLDEN_TEXTS + SAMPLE_FILES, ids=lambda path: path.stem)
def test_contract_values_are_from_the_fixed_lists(path):
    issue = parse_file(path)
    for article in issue.articles:
        assert article.kind in KINDS
        assert {byline.role for byline in article.bylines} <= set(ROLES)
        assert article.topics and set(article.topics) <= set(TOPICS)
        assert len(article.keywords) <= 8
        if len("".join(article.paragraphs)) >= 60:
            assert len(article.keywords) >= 3
        assert article.source_lines
        assert set(article.doubts) <= set(DOUBTS)


# -- what the rules must get right, one case each ------------------------------


def parse_text(text: str, issue_date: datetime.date | None = None):
    """``text`` parsed as the dump of one issue, from a file whose name has no date."""
    return parse_issue(text, source="test.txt", issue_date=issue_date)


def one_article(text: str, **kwargs):
    issue = parse_text(text, kwargs.pop("issue_date", datetime.date(2024, 1, 12)))
    assert len(issue.articles) == 1, [a.headline for a in issue.articles]
    return issue.articles[0]


def test_split_paragraph_is_joined_and_dropped_label_becomes_column():
    article = one_article(
        "社会救助服务取得新进展\n\n本报讯(记者 耿欣)1月11日,社会救助服务“放管服”改\n\n回眸2023\n\n"
        "革深入推进,小程序上线开通。\n\n下一步,将持续提升服务水平。\n"
    )
    assert article.column == "回眸2023"
    assert article.paragraphs == [
        "本报讯(记者 耿欣)1月11日,社会救助服务“放管服”改革深入推进,小程序上线开通。",
        "下一步,将持续提升服务水平。",
    ]


def test_paragraph_ending_with_comma_continues():
    article = one_article(
        "新就业群体有了“家”\n\n本报讯(记者 张三)社区建起了驿站。\n\n“棚城社区一半商圈一半居民楼,\n\n"
        "在这里,快递小哥数量近年来陡然上升。”\n"
    )
    assert article.paragraphs[1] == "“棚城社区一半商圈一半居民楼,在这里,快递小哥数量近年来陡然上升。”"


def test_repeated_paragraphs_appear_once():
    repeated = "考生须凭本人准考证、有效身份证件,经人脸识别验证通过后,方可进入考场参加考试。"
    article = one_article(f"考前提醒发布\n\n本报讯(记者 苗青)考试将于5月27日举行。\n\n{repeated}\n\n{repeated}\n")
    assert article.paragraphs.count(repeated) == 1
    assert len(article.source_lines) == 4


def test_continuation_markers():
    article = one_article("增强核心动力\n\n(上接第1版)隆冬时节,风机转动。\n\n今年将继续扩大优势。(下转第3版)\n")
    assert article.kind == "continuation"
    assert article.continued_from == "第1版"
    assert article.continued_to == "第3版"


def test_page_label_names_the_section_and_is_kept_unassigned():
    issue = parse_text(
        "第2版 要闻\n\n我市召开会议\n\n本报讯(记者 张三)1月11日,我市召开会议。\n",
        issue_date=datetime.date(2024, 1, 12),
    )
    assert issue.unassigned == ["第2版 要闻"]
    assert issue.articles[0].section == "第2版 要闻"


def test_photo_news_without_headline_is_split_from_the_article_above():
    issue = parse_text(
        "我市举办培训班\n\n本报讯(记者 张三)1月11日,我市举办培训班。\n\n培训为期两天。\n\n\n\n"
        "日前,玉泉区一所小学开辟校园农场,组织学生体验播种。\n\n■本报通讯员 丁根厚 摄\n",
        issue_date=datetime.date(2024, 1, 12),
    )
    news, photo = issue.articles
    assert news.paragraphs[-1] == "培训为期两天。"
    assert photo.headline is None and photo.kind == "photo"
    assert [(b.name, b.role) for b in photo.bylines] == [("丁根厚", "photographer")]


def test_photo_with_headline_and_no_text():
    text = "冰雪节开幕\n\n■本报记者 王磊 摄\n\n我市召开会议\n\n本报讯(记者 张三)会议召开。\n"
    issue = parse_issue(text, source="x.txt")
    photo, news = issue.articles
    assert (photo.headline, photo.kind, photo.paragraphs) == ("冰雪节开幕", "photo", [])
    assert (news.headline, news.kind) == ("我市召开会议", "news")


def test_text_after_a_signature_without_headline_stays_with_the_signed_piece():
    article = one_article("基层见闻\n\n村里修起了新路。\n\n(张三)\n\n乡里又建起了文化站。\n\n(李四)\n")
    assert article.paragraphs == ["村里修起了新路。", "乡里又建起了文化站。"]
    assert [(b.name, b.role) for b in article.bylines] == [("张三", "author"), ("李四", "author")]


def test_author_line_under_headline_signs_a_commentary_and_starts_it():
    issue = parse_text(
        "我市召开会议\n\n本报讯(记者 张三)1月11日,我市召开会议。\n\n会议要求狠抓落实。\n\n"
        "今日谈\n\n小事见初心\n\n□ 赵明远\n\n办好一件件小事,才能赢得民心。\n\n干部要多下基层,多听群众声音。\n",
        issue_date=datetime.date(2024, 1, 12),
    )
    news, comment = issue.articles
    assert news.paragraphs[-1] == "会议要求狠抓落实。"
    assert (comment.column, comment.kicker, comment.headline, comment.kind) == (
        "今日谈",
        None,
        "小事见初心",
        "commentary",
    )
    assert [(b.name, b.role) for b in comment.bylines] == [("赵明远", "author")]


def test_bare_name_under_headline_is_the_author():
    article = one_article(
        "学术前沿\n\n以文化繁荣助推城市发展\n\n孙丽华\n\n文化是城市的灵魂。要把文化建设摆在更加突出的位置。\n\n"
        "（作者单位：某某大学文学院）\n"
    )
    assert (article.column, article.headline, article.kind) == ("学术前沿", "以文化繁荣助推城市发展", "commentary")
    assert [(b.name, b.role) for b in article.bylines] == [("孙丽华", "author")]
    assert article.paragraphs[-1] == "（作者单位：某某大学文学院）"


@pytest.mark.parametrize("text", ["■ 观点", "□ 现场直击", "■ 记者调查", "丰收时节"])
def test_short_subheads_are_not_author_lines(text):
    from archive.parsing.bylines import parse_author_line

    assert parse_author_line(text, bare=True) is None
    assert parse_byline_line(text) is None


def test_attribution_tail_stays_with_the_article_before():
    issue = parse_text(
        "论基层治理\n\n□ 周文\n\n基层治理需要久久为功。\n\n（作者为市委党校教授）\n\n"
        "春耕时节\n\n农民在田间播种。\n\n本报记者 王五 摄\n",
        issue_date=datetime.date(2024, 4, 2),
    )
    essay, photo = issue.articles
    assert essay.paragraphs[-1] == "（作者为市委党校教授）"
    assert (photo.headline, photo.kicker, photo.kind) == ("春耕时节", None, "photo")


def test_known_column_above_headline_is_column_not_kicker():
    article = one_article("人民时评\n\n让服务更贴心\n\n服务群众要用心用情。各地需要拿出实招。\n\n（钱 进）\n")
    assert (article.column, article.kicker, article.headline) == ("人民时评", None, "让服务更贴心")
    assert [(b.name, b.role) for b in article.bylines] == [("钱进", "author")]
    assert article.kind == "commentary"


def test_signed_piece_without_dateline_is_commentary_only_when_it_argues():
    argued = one_article("节约贵在坚持\n\n节约不能一阵风。要让节约成为习惯,必须久久为功。\n\n(吴言)\n")
    told = one_article("草原上的书车\n\n每到一处,牧民们都赶来借书。一位老牧民说,现在每月都有新书看。\n\n(巴特尔)\n")
    assert argued.kind == "commentary"
    assert told.kind == "news"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("文/记者 张蕾 图/记者 刘畅", [("张蕾", "reporter"), ("刘畅", "photographer")]),
        ("文/张蕾 图/刘畅", [("张蕾", "reporter"), ("刘畅", "photographer")]),
        ("记者 张蕾 摄影 刘畅", [("张蕾", "reporter"), ("刘畅", "photographer")]),
    ],
)
def test_text_and_picture_byline_lines(text, names):
    assert [(b.name, b.role) for b in parse_byline_line(text)] == names


def test_text_and_picture_byline_line_opens_the_story_under_kicker_and_headline():
    article = one_article(
        "改造半年 惠及千户\n\n老街换新颜\n\n文/记者 张蕾 图/记者 刘畅\n\n走进老街,记者看到路面焕然一新。\n"
    )
    assert (article.kicker, article.headline) == ("改造半年 惠及千户", "老街换新颜")
    assert [(b.name, b.role) for b in article.bylines] == [("张蕾", "reporter"), ("刘畅", "photographer")]


def test_subhead_in_a_paper_whose_stories_carry_byline_lines_stays_in_the_story():
    issue = parse_text(
        "新桥通车\n\n本报记者 王五\n\n昨天,新桥正式通车。\n\n"
        "老街换新颜\n\n本报记者 赵六\n\n老街改造完成。\n\n记者调查\n\n记者走访发现,管理仍有难题。\n",
        issue_date=datetime.date(2024, 1, 12),
    )
    assert [a.headline for a in issue.articles] == ["新桥通车", "老街换新颜"]
    assert issue.articles[1].paragraphs == ["老街改造完成。", "记者调查", "记者走访发现,管理仍有难题。"]
    assert [(b.name, b.role) for b in issue.articles[1].bylines] == [("赵六", "reporter")]


@pytest.mark.parametrize("first_half", ["负责人说:“今年我们", "负责人说今年我们", "负责人说今年我们将"])
def test_short_first_half_of_a_split_paragraph_is_joined(first_half):
    article = one_article(
        f"小区改造启动\n\n本报讯(记者 刘悦)1月11日,小区改造启动。\n\n{first_half}\n\n坚持先地下后地上的原则。\n"
    )
    assert article.paragraphs[1] == f"{first_half}坚持先地下后地上的原则。"


@pytest.mark.parametrize("header", ["A03 / 城事", "A04｜民生", "B2/体育"])
def test_page_code_and_section_header_is_unassigned(header):
    assert split_lines(header)[0].kind is LineKind.HEADER


def test_briefs_label_is_the_column_of_every_item_in_its_block():
    issue = parse_text(
        "第3版 要闻\n\n简讯\n\n书展开幕\n\n本报讯(记者 李媛)书展开幕。\n\n公交开通\n\n本报讯(记者 王娜)公交开通。\n\n"
        "第4版 城事\n\n老街改造\n\n本报讯(记者 赵六)老街改造完成。\n",
        issue_date=datetime.date(2024, 3, 5),
    )
    assert [a.column for a in issue.articles] == ["简讯", "简讯", None]


def test_event_date_only_from_a_dateline():
    issue = parse_text(
        "春到江南\n\n3月14日,油菜花竞相开放。\n\n新华社记者 李博 摄\n\n"
        "学雷锋常态化\n\n3月5日是学雷锋纪念日。学雷锋不能只在三月,要融入日常。\n\n(某某)\n",
        issue_date=datetime.date(2024, 3, 15),
    )
    assert [a.event_date for a in issue.articles] == [None, None]


def test_issue_date_from_a_notice_signature_when_nothing_else_dates_the_issue():
    issue = parse_issue(
        "停电通知\n\n因检修需要,定于2019年11月10日对部分区域停电。\n\n市供电公司\n\n2019年11月7日\n", source="x.txt"
    )
    assert issue.issue_date == datetime.date(2019, 11, 8)
    assert issue.issue_date_inferred


def test_december_dateline_in_a_january_issue_is_last_year():
    article = one_article("年末访企业\n\n本报讯(记者 李娜)12月29日,记者走进一家企业。\n")
    assert article.event_date == datetime.date(2023, 12, 29)


# -- datelines, bylines, captions, signatures --------------------------------------


@pytest.mark.parametrize(
    ("text", "names", "month_day"),
    [
        ("本报讯(记者 耿欣)1月11日,自治区", [("耿欣", "reporter")], (None, None)),
        (
            "本报讯（实习记者 若谷 齐欣茹）5月23日",
            [("若谷", "intern_reporter"), ("齐欣茹", "intern_reporter")],
            (None, None),
        ),
        ("本报讯(记者宋向华)今年是", [("宋向华", "reporter")], (None, None)),
        (
            "本报讯 (记者 张一、李二，王三)",
            [("张一", "reporter"), ("李二", "reporter"), ("王三", "reporter")],
            (None, None),
        ),
        (
            "本报1月11日讯（记者 王一 通讯员 赵二 钱三）",
            [("王一", "reporter"), ("赵二", "correspondent"), ("钱三", "correspondent")],
            (1, 11),
        ),
        ("本报北京3月15日电(记者 张三 李四)", [("张三", "reporter"), ("李四", "reporter")], (3, 15)),
        ("【新华社北京1月11日电】(记者 王五)今天", [("王五", "reporter")], (1, 11)),
        (
            "新华社呼和浩特1月11日电（记者 哈斯、乌云毕力格）",
            [("哈斯", "reporter"), ("乌云毕力格", "reporter")],
            (1, 11),
        ),
        ("【本市讯】近日,市交通运输局", [], (None, None)),
        ("据新华社消息,国家统计局", [], (None, None)),
        ("本报11月19日讯　今年以来", [], (11, 19)),
        ("本报讯（记者　孟克　苏和）市八届", [("孟克", "reporter"), ("苏和", "reporter")], (None, None)),
        ("新华社北京五日电　国务院今天", [], (None, 5)),
        ("本报讯　通讯员王文报道：邯郸专区", [("王文", "correspondent")], (None, None)),
        ("【本報訊】記者陳家偉報道：特區政府", [("陳家偉", "reporter")], (None, None)),
        ("〔記者林小明／台北報導〕台北燈節", [("林小明", "reporter")], (None, None)),
        ("據《明報》報道，", [], (None, None)),
    ],
)
def test_dateline(text, names, month_day):
    dateline = match_dateline(text)
    assert dateline is not None
    assert [(b.name, b.role) for b in dateline.bylines] == names
    assert (dateline.month, dateline.day) == month_day


@pytest.mark.parametrize(
    "text",
    [
        "据了解,团队由学生组成。",
        "本报记者从市电力公司获悉,",
        "记者见到负责人吴江。",
        "本报今年推出新栏目。",
        "据悉,活动将持续一周。",
    ],
)
def test_not_a_dateline(text):
    assert match_dateline(text) is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("■本报记者 刘清羽摄", ["刘清羽"]),
        ("■本报通讯员 丁根厚 摄", ["丁根厚"]),
        ("(本报记者 王磊 摄)", ["王磊"]),
        ("（张三 摄）", ["张三"]),
        ("新华社记者 王五 摄", ["王五"]),
        ("本报记者 张三 李四 摄", ["张三", "李四"]),
        ("（新华社发　李然摄）", ["李然"]),
        ("（記者李志強攝）", ["李志強"]),
    ],
)
def test_caption(text, names):
    credits = parse_caption(text)
    assert credits is not None
    assert [(b.name, b.role) for b in credits] == [(name, "photographer") for name in names]


@pytest.mark.parametrize("text", ["他在现场拍摄", "游客纷纷拿出手机拍摄,记录美好瞬间。摄"])
def test_not_a_caption(text):
    assert parse_caption(text) is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("(刘沙沙)", [("刘沙沙", "author")]),
        ("（弘心）", [("弘心", "author")]),
        ("（吴　敏）", [("吴敏", "author")]),
        ("■本报评论员", [("本报评论员", "author")]),
        ("(本报记者 高娃 整理)", [("高娃", "reporter")]),
        ("（市区阳光花园小区　王建华）", [("王建华", "author")]),
        ("（河东区　孙桂兰）", [("孙桂兰", "author")]),
        ("(辽宁沈阳 读者 刘芳)", [("刘芳", "author")]),
        ("（河北省定县东亭公社　张秀兰）", [("张秀兰", "author")]),
    ],
)
def test_signature(text, names):
    assert [(b.name, b.role) for b in parse_signature(text)] == names


@pytest.mark.parametrize(
    "text", ["(综合)", "(完)", "(上接第1版)", "(作者单位：市委党校)", "(以下简称“包车游”)", "（市城市管理局）"]
)
def test_not_a_signature(text):
    assert parse_signature(text) is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("本报记者 张三 李四", [("张三", "reporter"), ("李四", "reporter")]),
        ("□ 新华社记者 王五", [("王五", "reporter")]),
        ("记者：王五", [("王五", "reporter")]),
        ("实习记者 刘艳霞 通讯员 王芳", [("刘艳霞", "intern_reporter"), ("王芳", "correspondent")]),
        ("本报特约通讯员　赵明", [("赵明", "correspondent")]),
        ("記者　林美琪", [("林美琪", "reporter")]),
        ("晚报记者　赵磊", [("赵磊", "reporter")]),
        ("本报记者　孙伟/文　周涛/图", [("孙伟", "reporter"), ("周涛", "photographer")]),
        ("王小川/文", [("王小川", "reporter")]),
        ("孙伟/文　周涛/图", [("孙伟", "reporter"), ("周涛", "photographer")]),
    ],
)
def test_byline_line(text, names):
    assert [(b.name, b.role) for b in parse_byline_line(text)] == names


@pytest.mark.parametrize("text", ["记者了解到", "记者节里话记者", "文明城市创建", "春天/文", "读书/图"])
def test_not_a_byline_line(text):
    assert parse_byline_line(text) is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("图为活动现场。本报记者 张三 摄", [("张三", "photographer")]),
        ("现场气氛热烈。(本报记者 张三 李四 摄)", [("张三", "photographer"), ("李四", "photographer")]),
        ("他在观看演出后，同演员谈话。  本报  王志渊摄", [("王志渊", "photographer")]),
        ("游客纷纷拿出手机拍摄", None),
        ("他说:“我喜欢拍摄。”", None),
    ],
)
def test_credit_closing_a_paragraph(text, names):
    found = parse_inline_caption(text)
    assert (None if found is None else [(b.name, b.role) for b in found]) == names


def test_byline_named_before_reports_colon():
    dateline = match_dateline("本报讯 记者张三 李四报道：近日,")
    assert [(b.name, b.role) for b in dateline.bylines] == [("张三", "reporter"), ("李四", "reporter")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我区民政事业高质量发展取得新成效", LineKind.TITLE),
        ("——访市民委党组书记、主任李强", LineKind.TITLE),
        ("“我们一定把工作做好！”", LineKind.BODY),
        ("记者:新的一年,乳业发展的重点是什么?", LineKind.BODY),
        ("第3版 要闻", LineKind.HEADER),
        ("责任编辑：张三", LineKind.HEADER),
        ("(下转第4版)", LineKind.CONTINUED_TO),
        ("本报记者 张三 李四", LineKind.BYLINE),
        ("呼和浩特日报", LineKind.HEADER),
        ("本版责编：张三 美编：李四", LineKind.HEADER),
        ("(完)", LineKind.END_MARK),
        ("（本报综合）", LineKind.END_MARK),
        ("(资料图片)", LineKind.CAPTION),
        ("————————", LineKind.HEADER),
        ("- 3 -", LineKind.HEADER),
        ("新华社发（李四 摄）", LineKind.CAPTION),
        ("（市城市管理局）", LineKind.END_MARK),
        ("上海海港 3∶1 成都蓉城", LineKind.ROW),
        ("1.上海申花 20场 48分", LineKind.ROW),
        ("联系电话：0312—5678123", LineKind.ROW),
        ("7月27日至29日", LineKind.ROW),
        ("海港主场3∶1力克蓉城", LineKind.TITLE),
        ("社評", LineKind.TITLE),
        ("第A2版　今日关注", LineKind.HEADER),
        ("%。", LineKind.BODY),
        ("”。", LineKind.BODY),
        ("《 人民日报 》（ 2024年03月05日　第 01 版）", LineKind.HEADER),
    ],
)
def test_line_kind(text, kind):
    assert split_lines(text)[0].kind is kind


def test_long_line_above_a_dateline_is_a_headline():
    headline = "关于进一步加强新时代城乡社区治理工作促进基层治理体系和治理能力现代化的实施意见全文发布"
    lines = split_lines(f"{headline}\n本报讯(记者 张三)今天,实施意见全文发布。")
    assert [line.kind for line in lines] == [LineKind.TITLE, LineKind.DATELINE]


def test_box_label_stays_in_the_story():
    article = one_article(
        "国庆假期景区人气旺\n\n本报讯(记者 乌日娜)10月1日,景区迎来客流高峰。\n\n相关链接\n\n"
        "今年国庆假期,我市推出主题旅游线路12条。\n"
    )
    assert article.paragraphs[1:] == ["相关链接", "今年国庆假期,我市推出主题旅游线路12条。"]


def test_editors_note_under_the_headline_opens_the_text():
    article = one_article(
        "让文明之花处处绽放\n\n编者按\n\n今天起,本报推出系列报道。\n\n本报讯(记者 张三)近日,我市开展活动。\n"
    )
    assert article.headline == "让文明之花处处绽放"
    assert article.paragraphs[:2] == ["编者按", "今天起,本报推出系列报道。"]


def test_headline_without_dateline_in_a_paper_without_datelines():
    issue = parse_issue(
        "春播时节话农机\n\n进入五月,农民开始忙着春播。\n\n少年宫里的欢声笑语\n\n星期天的市少年宫格外热闹。\n",
        source="x.txt",
    )
    assert [article.headline for article in issue.articles] == ["春播时节话农机", "少年宫里的欢声笑语"]


def test_subhead_in_a_paper_with_datelines_stays_in_the_story():
    issue = parse_issue(
        "我市召开会议\n\n本报讯(记者 张三)1月11日,我市召开会议。\n\n会议要求加强管理\n\n会议强调,要抓好落实。\n\n"
        "我区举办培训\n\n本报讯(记者 李四)1月11日,我区举办培训。\n",
        source="x.txt",
    )
    assert [article.headline for article in issue.articles] == ["我市召开会议", "我区举办培训"]
    assert issue.articles[0].paragraphs[1] == "会议要求加强管理"


# -- dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2024-01-12.txt", datetime.date(2024, 1, 12)),
        ("hhhtrb_20240112_p1.txt", datetime.date(2024, 1, 12)),
        ("issue_2023.05.25.txt", datetime.date(2023, 5, 25)),
        ("000_963b85495dc4bc2e.txt", None),
        ("20241312.txt", None),
    ],
)
def test_date_from_source(source, expected):
    assert date_from_source(source) == expected


@pytest.mark.parametrize(
    ("month", "day", "issue", "expected"),
    [
        (1, 11, datetime.date(2024, 1, 12), datetime.date(2024, 1, 11)),
        (12, 29, datetime.date(2024, 1, 3), datetime.date(2023, 12, 29)),
        (1, 2, datetime.date(2023, 12, 31), datetime.date(2024, 1, 2)),
        (2, 30, datetime.date(2024, 3, 1), None),
    ],
)
def test_resolve_year(month, day, issue, expected):
    assert resolve_year(month, day, issue) == expected


def test_issue_date_is_the_day_after_the_latest_dateline():
    text = "2023年全市经济平稳运行。到2025年将建成新城区。"
    assert infer_issue_date(text, [(5, 23), (5, 24)]) == datetime.date(2023, 5, 25)


def test_issue_date_from_a_year_in_chinese_digits():
    assert infer_issue_date("一九八五年春耕生产准备工作抓得早。", [(3, 11)]) == datetime.date(1985, 3, 12)


def test_issue_date_early_in_the_year_looking_back():
    assert infer_issue_date("回眸2023,2023年以来成效明显。", [(1, 10), (1, 11)]) == datetime.date(2024, 1, 12)


def test_issue_date_across_the_new_year():
    assert infer_issue_date("2024年工作部署。", [(12, 30), (1, 2)]) == datetime.date(2024, 1, 3)


def test_issue_date_order_of_precedence():
    text = "我市召开会议\n\n本报讯(记者 张三)1月11日,2024年全市工作会议召开。\n"
    assert parse_issue(text, source="x.txt", issue_date=datetime.date(2024, 2, 1)).issue_date == datetime.date(
        2024, 2, 1
    )
    from_name = parse_issue(text, source="2024-01-13.txt")
    assert (from_name.issue_date, from_name.issue_date_inferred) == (datetime.date(2024, 1, 13), False)
    inferred = parse_issue(text, source="x.txt")
    assert (inferred.issue_date, inferred.issue_date_inferred) == (datetime.date(2024, 1, 12), True)


# -- properties -------------------------------------------------------------------


def _compact(text: str) -> str:
    return _WHITESPACE.sub("", text)


def unaccounted_lines(text: str, issue: ParsedIssue) -> list[str]:
    """Input lines whose text is in no single field of the result.

    Each non-blank line, whitespace removed, must be a substring of one field:
    a headline, kicker, subtitle, column, paragraph, credit line or unassigned
    entry. Joined paragraphs contain their lines whole, so this holds for a
    correct parse; a line dropped, cut short or altered makes it fail.
    """
    fields = [_compact(entry) for entry in issue.unassigned]
    for article in issue.articles:
        fields.extend(
            _compact(value) for value in (article.headline, article.kicker, article.subtitle, article.column) if value
        )
        fields.extend(_compact(value) for value in article.paragraphs + article.credits)
    missing = []
    # Line breaks as the parser sees them: a lone carriage return ends a line too.
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        needle = _compact(line)
        if needle and not any(needle in field for field in fields):
            missing.append(line)
    return missing


def test_unaccounted_lines_check_can_fail():
    issue = parse_issue("标题\n\n本报讯(记者 张三)正文。\n", source="x.txt")
    issue.articles[0].paragraphs = ["本报讯(记者 张三)正"]
    assert unaccounted_lines("标题\n\n本报讯(记者 张三)正文。\n", issue) == ["本报讯(记者 张三)正文。"]


_SAMPLE_LINES = [line for path in SAMPLE_FILES for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
_SPECIAL_LINES = [
    "本报讯(记者 张三 通讯员 李四)1月11日,",
    "【新华社北京3月15日电】",
    "■本报记者 王五摄",
    "(刘沙沙)",
    "(上接第1版)",
    "(下转第3版)",
    "——二谈落实好今年重点工作",
    "短评",
    "第2版 要闻",
    "一、提前完成检修任务",
    "2023年12月30日",
    "记者:问题是什么?",
]
_line = st.one_of(
    st.sampled_from(_SAMPLE_LINES),
    st.sampled_from(_SPECIAL_LINES),
    st.sampled_from(_SAMPLE_LINES).map(lambda line: line[: len(line) // 2]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
    st.text(alphabet="，。、；：？！“”（）()【】《》—… \u3000\t■", max_size=20),
    st.builds(lambda a, b: a + b, st.sampled_from(_SAMPLE_LINES), st.sampled_from(_SPECIAL_LINES)),
    st.just("测" * 3000),
    st.just("Hohhot 呼和浩特 Хөх хот ᠬᠥᠬᠡᠬᠣᠲᠠ 1月11日"),
)
_issue_text = st.lists(st.tuples(_line, st.integers(min_value=0, max_value=3)), max_size=40).map(
    lambda items: "".join(line + "\n" * (gap + 1) for line, gap in items)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_issue_text)
def test_any_text_parses_and_every_line_is_accounted_for(text):
    issue = parse_issue(text, source="random.txt")
    assert unaccounted_lines(text, issue) == []
    for article in issue.articles:
        assert article.kind in KINDS
        assert set(article.topics) <= set(TOPICS)
    json.dumps(issue.to_contract(), ensure_ascii=False)


@settings(max_examples=60, deadline=None)
@given(st.permutations(_SAMPLE_LINES[:60]), st.integers(min_value=0, max_value=2))
def test_shuffled_sample_paragraphs_are_accounted_for(lines, gap):
    text = ("\n" * (gap + 1)).join(lines)
    assert unaccounted_lines(text, parse_issue(text, source="shuffled.txt")) == []


# -- layouts of other papers and dumps ------------------------------------------


def test_section_name_between_page_header_lines_is_part_of_the_header():
    issue = parse_text(
        "第3版\n\n要闻\n\n2023年3月7日　星期二\n\n我市召开会议\n\n本报讯(记者 张三)3月6日,我市召开会议。\n\n"
        "第4版\n\n要闻\n\n2023年3月7日　星期二\n\n我市开展植树活动\n\n本报讯(记者 李四)3月6日,我市开展植树活动。\n",
    )
    assert [a.column for a in issue.articles] == [None, None]
    assert issue.unassigned.count("要闻") == 2
    # The page's name joins its number in the article's section.
    assert [a.section for a in issue.articles] == ["第3版 要闻", "第4版 要闻"]


def test_a_page_label_with_its_name_is_not_renamed_by_the_next_header_line():
    issue = parse_text(
        "A3版 城事\n\n要闻\n\n2023年3月7日　星期二\n\n我市召开会议\n\n本报讯(记者 张三)3月6日,我市召开会议。\n",
    )
    assert [a.section for a in issue.articles] == ["A3版 城事"]


def test_headline_wrapped_onto_a_second_line_is_joined():
    article = one_article("我市出台二十条措施支持民营经济\n\n高质量发展\n\n本报讯(记者 高峰)3月6日,措施发布。\n")
    assert (article.kicker, article.headline) == (None, "我市出台二十条措施支持民营经济高质量发展")


def test_letter_to_the_editor_is_the_readers_view():
    article = one_article("公交站牌的字太小了\n\n编辑同志：\n\n我今年七十岁了,常常坐错车。\n\n（河东区　孙桂兰）\n")
    assert article.kind == "commentary"
    assert [(b.name, b.role) for b in article.bylines] == [("孙桂兰", "author")]


def test_results_table_with_its_own_heading_is_an_item_of_its_own():
    issue = parse_text(
        "海港主场力克蓉城\n\n本报讯(记者 李响)7月29日晚,海港队主场获胜。\n\n中超第20轮赛果\n\n7月27日至29日\n\n"
        "上海海港 3∶1 成都蓉城\n\n上海申花 2∶0 长春亚泰\n",
        issue_date=datetime.date(2024, 7, 30),
    )
    report, results = issue.articles
    assert report.headline == "海港主场力克蓉城"
    assert results.headline == "中超第20轮赛果"
    assert results.paragraphs == ["7月27日至29日", "上海海港 3∶1 成都蓉城", "上海申花 2∶0 长春亚泰"]


def test_fields_of_a_notice_are_paragraphs_of_their_own():
    issue = parse_text(
        "招聘启事\n\n医院公开招聘医生10名。\n\n联系电话：0312—5678123\n\n联系人：王老师\n\n遗失声明\n\n"
        "李红梅遗失毕业证书,声明作废。\n",
    )
    hiring, lost = issue.articles
    assert hiring.paragraphs == ["医院公开招聘医生10名。", "联系电话：0312—5678123", "联系人：王老师"]
    assert (lost.headline, lost.kicker) == ("遗失声明", None)


def test_hard_wrapped_indented_dump_joins_lines_into_paragraphs():
    issue = parse_text(
        "我省夏粮收获进度过半\n"
        "　　本报讯（记者 周建）记者6月11日从省农业农村厅获悉，截至\n"
        "目前，全省已收获小麦3200多万亩，占种植面积的56%。\n"
        "　　为确保夏粮颗粒归仓，全省共投入联合收割机12万台，各\n"
        "地组建农机抢收服务队1800多支，对缺少劳动力的农户提供\n"
        "代收代种服务。\n"
        "　　省农业农村厅派出20个工作组深入主产区指导抢收。\n"
        "─────────\n"
        "图片新闻\n"
        "　　6月10日，市民在市博物馆参观“非遗里的端午”主题展览。\n"
        "端午节前夕，我市各地举办丰富多彩的民俗文化活动，迎接传\n"
        "统佳节。\n"
        "　　　　　　　　　　本报记者　郑凯　摄\n",
        issue_date=datetime.date(2019, 6, 12),
    )
    news, photo = issue.articles
    assert news.paragraphs == [
        "本报讯（记者 周建）记者6月11日从省农业农村厅获悉，截至目前，全省已收获小麦3200多万亩，占种植面积的56%。",
        "为确保夏粮颗粒归仓，全省共投入联合收割机12万台，各地组建农机抢收服务队1800多支，对缺少劳动力的农户提供代收代种服务。",
        "省农业农村厅派出20个工作组深入主产区指导抢收。",
    ]
    assert (photo.kind, photo.column, photo.headline) == ("photo", "图片新闻", None)
    assert photo.paragraphs == [
        "6月10日，市民在市博物馆参观“非遗里的端午”主题展览。端午节前夕，我市各地举办丰富多彩的民俗文化活动，迎接传统佳节。"
    ]


def test_call_for_entries_datelined_by_the_paper_is_news_not_a_notice():
    article = one_article("我市启动民生实事项目征集\n\n本报讯(记者 刘佳)今天,我市启动项目征集活动。\n")
    assert article.kind == "news"


def test_editors_note_announcing_a_column_heads_a_datelined_story():
    issue = parse_text(
        "喜迎二十大 奋进新征程\n\n一个村的十年蝶变\n\n编者按：\n\n"
        "即日起，本报推出“喜迎二十大 奋进新征程”专栏。敬请关注。\n\n"
        "本报讯（记者 苏和）8月15日清晨，记者走进西湾村。\n",
        issue_date=datetime.date(2022, 8, 16),
    )
    (article,) = issue.articles
    assert (article.column, article.kicker, article.headline) == ("喜迎二十大 奋进新征程", None, "一个村的十年蝶变")
    assert article.event_date == datetime.date(2022, 8, 15)


@pytest.mark.parametrize("label", ["读者来信", "一线传真", "法官说法"])
def test_standing_column_names_above_a_headline(label):
    article = one_article(f"{label}\n\n农村需要更多的科技图书\n\n编辑同志：\n\n希望多出版农业科技读物。\n")
    assert (article.column, article.kicker) == (label, None)


def test_numbered_captions_of_a_picture_group_stay_with_its_text():
    issue = parse_text(
        "草原上的“那达慕”\n\n6月18日，那达慕大会开幕。\n\n①搏克手在比赛中角力。\n\n②骑手们策马奔腾。\n\n"
        "③小朋友在开幕式上表演。\n\n本报记者　巴特尔　乌兰　摄\n",
        issue_date=datetime.date(2023, 6, 20),
    )
    (photo,) = issue.articles
    assert photo.kind == "photo" and len(photo.paragraphs) == 4
    assert [b.name for b in photo.bylines] == ["巴特尔", "乌兰"]


def test_traditional_characters_are_read_for_topics_and_keywords_kept_as_printed():
    article = one_article(
        "天水圍居民促增設巴士路線\n\n【本報訊】記者林美琪報道：天水圍北一帶人口急增，但區內巴士路線未見增加。\n"
    )
    assert article.topics[0] == "交通"
    assert "巴士" in article.keywords and all("区" not in word for word in article.keywords)


def test_paired_phrase_line_in_a_paper_without_blank_lines_is_a_headline():
    issue = parse_text(
        "市区新增5处便民早餐点\n本报讯（记者 张敏）市商务局新设5处便民早餐点。\n早餐点每天早上6时至9时营业。\n"
        "雨雪天气将至 请注意防范\n据市气象台预报，8日夜间至9日，我市将出现雨夹雪天气。\n",
        issue_date=datetime.date(2012, 10, 8),
    )
    assert [a.headline for a in issue.articles] == ["市区新增5处便民早餐点", "雨雪天气将至 请注意防范"]


def test_profile_subtitle_is_reportage_not_an_interview():
    article = one_article(
        "“老支书”的民生账本\n\n——记土城子村党支部书记刘二虎\n\n本报记者　马晓慧\n\n"
        "二十年来，他带领村民修路、打井、发展产业。\n"
    )
    assert article.kind == "news"


def test_author_named_in_the_closing_note_signs_the_piece():
    article = one_article(
        "如何让种养结合带动农民增收\n\n发展种养结合的循环农业，是农民增收的有效途径。\n\n"
        "应当加大扶持力度，切实提高农牧民的组织化程度。\n\n（作者系县农牧业局局长　韩明）\n"
    )
    assert [(b.name, b.role) for b in article.bylines] == [("韩明", "author")]
    assert article.kind == "commentary"


def test_label_of_a_hotline_box_is_page_furniture():
    issue = parse_text(
        "春运返程高峰何时到来？\n\n本报讯(记者 赵磊)返程客流开始增加。\n\n晚报热线\n\n新闻热线：3456789\n",
        issue_date=datetime.date(2005, 2, 15),
    )
    assert issue.unassigned == ["晚报热线", "新闻热线：3456789"]


def test_essays_on_a_literary_page_are_other_and_signed_by_their_authors():
    issue = parse_text(
        "第7版　副刊\n\n书香里的春天\n\n文/王小川\n\n四月的风，翻动书页，也翻动了整个春天。\n\n"
        "世界读书日这天，书店里比往常热闹了许多。\n",
        issue_date=datetime.date(2023, 4, 23),
    )
    (essay,) = issue.articles
    assert essay.kind == "other" and essay.topics[0] == "文化"
    assert [(b.name, b.role) for b in essay.bylines] == [("王小川", "author")]


def test_column_wrapped_dump_with_long_paragraphs_keeps_them_whole():
    lines = [
        "国务院举行全体会议",
        "　　新华社北京五日电　国务院今天举行第二十五次全体会议。",
        "会议讨论并通过了关于加强农业生产合作社生产领导和组织",
        "建设的指示，讨论了一九五六年农业生产的安排问题。",
        "　　会议指出，今年是第一个五年计划的第四年，也是农业合作",
        "化以后的第一个生产年。各级人民委员会必须把领导农业生",
        "产作为当前的中心任务，帮助合作社做好春耕播种的准备工",
        "作，及时解决种子、肥料和农具的困难，全省覆盖率达到83",
        "%。",
        "　　会议还讨论了其他事项。",
    ]
    article = one_article("\n".join(lines) + "\n", issue_date=datetime.date(1956, 3, 6))
    assert article.paragraphs == [
        "新华社北京五日电　国务院今天举行第二十五次全体会议。会议讨论并通过了关于加强农业生产合作社生产领导和组织"
        "建设的指示，讨论了一九五六年农业生产的安排问题。",
        "会议指出，今年是第一个五年计划的第四年，也是农业合作化以后的第一个生产年。各级人民委员会必须把领导农业生"
        "产作为当前的中心任务，帮助合作社做好春耕播种的准备工作，及时解决种子、肥料和农具的困难，全省覆盖率达到83%。",
        "会议还讨论了其他事项。",
    ]


def test_pdf_text_with_kept_line_breaks_and_blank_lines_between_paragraphs():
    text = (
        "“刷单返利”骗局又出新花样\n\n记者　马丽　通讯员　何平\n\n"
        "今年6月，大学生小林在社交平台上看到一则“兼职刷单、日\n赚300元”的广告，便添加了对方为好友。对方先让她完成\n"
        "几笔小额任务，每次都按时返还本金和佣金。\n\n"
        "尝到甜头后，小林按照对方要求下载了一款App，连续垫付\n了5笔“任务款”共计4.8万元，却被告知“操作失误、账\n"
        "户冻结”，需继续转账才能解冻。意识到被骗后，小林立即报\n警。\n\n"
        "刷单本身就是违法行为，所谓“高额返利”不过是诈骗分子设\n下的诱饵。广大市民要提高警惕，凡是要求先垫付资金的兼职\n"
        "，一律不要相信。\n"
    )
    article = one_article(text, issue_date=datetime.date(2023, 11, 22))
    assert len(article.paragraphs) == 3
    assert article.paragraphs[0].endswith(
        "日赚300元”的广告，便添加了对方为好友。对方先让她完成几笔小额任务，每次都按时返还本金和佣金。"
    )
    assert article.paragraphs[1].endswith("小林立即报警。")
    assert article.paragraphs[2].endswith("凡是要求先垫付资金的兼职，一律不要相信。")


def test_numbered_subhead_after_a_page_break_goes_on_with_its_story():
    issue = parse_text(
        "第1版\n\n我市召开会议\n\n本报讯(记者 张三)1月11日,我市召开会议。\n\n"
        "一、抓好春耕生产\n\n会议要求,各地要抓好春耕。\n\n"
        "第2版\n\n二、做好防汛准备\n\n会议强调,要提前做好防汛准备。\n\n"
        "我区举办培训\n\n本报讯(记者 李四)1月11日,我区举办培训。\n",
    )
    assert [article.headline for article in issue.articles] == ["我市召开会议", "我区举办培训"]
    assert "二、做好防汛准备" in issue.articles[0].paragraphs


def test_a_poem_is_text_under_its_title_stanza_after_stanza():
    issue = parse_text(
        "第8版　副刊\n\n春天的歌\n\n□　李雪梅\n\n春风吹过田野\n\n柳枝抽出新芽\n\n燕子飞回屋檐\n\n孩子们在奔跑\n\n\n"
        "河水解冻了\n\n流向远方\n\n书香里的春天\n\n文/王小川\n\n四月的风，翻动书页，也翻动了整个春天。\n",
    )
    assert [article.headline for article in issue.articles] == ["春天的歌", "书香里的春天"]
    poem, essay = issue.articles
    assert poem.paragraphs == ["春风吹过田野", "柳枝抽出新芽", "燕子飞回屋檐", "孩子们在奔跑", "河水解冻了", "流向远方"]
    assert [(b.name, b.role) for b in poem.bylines] == [("李雪梅", "author")]
    assert [(b.name, b.role) for b in essay.bylines] == [("王小川", "author")]


def test_unbulleted_subheads_in_a_paper_without_datelines_stay_in_the_story():
    issue = parse_text(
        "春播时节话农机\n\n进入五月,农民开始忙着春播。\n\n今年全镇新添了二十台播种机。\n\n"
        "机手忙起来了\n\n张师傅天不亮就下地了。\n\n他说今年的活比往年多。\n\n"
        "合作社有了新办法\n\n机具由专人统一调度。\n\n"
        "少年宫里的欢声笑语\n\n星期天的市少年宫格外热闹。\n",
    )
    assert [article.headline for article in issue.articles] == ["春播时节话农机", "少年宫里的欢声笑语"]
    assert {"机手忙起来了", "合作社有了新办法"} <= set(issue.articles[0].paragraphs)


@pytest.mark.parametrize(
    ("text", "names"),
    [("李兆江　王由礼", ["李兆江", "王由礼"]), ("彭远光", ["彭远光"]), ("欧阳文华", ["欧阳文华"]), ("蒋匪增税", None)],
)
def test_names_alone_on_a_line(text, names):
    found = parse_names_line(text)
    assert (found and [b.name for b in found]) == names if names else found is None


def test_names_alone_after_an_item_sign_it_and_a_source_quoted_in_a_story_does_not_split_it():
    issue = parse_text(
        "果林村福利事业办得好\n\n江苏省盐城市郊龙冈镇果林村村办工业兴旺。\n\n李兆江　王由礼\n\n"
        "保建筑业试行工程队承包制\n\n保加利亚政府最近发布指示。\n\n"
        "据保加利亚《经济生活报》报道，这种承包制的基本要求是签订合同。\n",
    )
    assert [article.headline for article in issue.articles] == ["果林村福利事业办得好", "保建筑业试行工程队承包制"]
    assert [(b.name, b.role) for b in issue.articles[0].bylines] == [("李兆江", "author"), ("王由礼", "author")]
    assert len(issue.articles[1].paragraphs) == 2
