"""What the parser's rules must get right, one case each: paragraphs,
columns, photo news, author lines, kinds, section labels and dates in an issue."""

from __future__ import annotations

import datetime

import pytest

from archive.parsing import parse_issue
from archive.parsing.bylines import parse_byline_line
from archive.parsing.lines import LineKind, split_lines
from tests.parsed import one_article, parse_text


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
