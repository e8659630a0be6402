"""Datelines, bylines, captions, signatures and line kinds, line by line."""

from __future__ import annotations

import pytest

from archive.parsing import parse_issue
from archive.parsing.bylines import (
    match_dateline,
    parse_byline_line,
    parse_caption,
    parse_inline_caption,
    parse_signature,
)
from archive.parsing.lines import LineKind, split_lines
from tests.parsed import one_article


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
