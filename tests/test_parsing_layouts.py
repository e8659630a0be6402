"""Layouts of other papers and dumps: page headers, wrapped headlines,
letters, notices, hard-wrapped and PDF text, poems."""

from __future__ import annotations

import datetime

import pytest

from archive.parsing.bylines import parse_names_line
from tests.parsed import one_article, parse_text


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
