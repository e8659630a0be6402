"""Issue dates: from the file name, from datelines, across the new year."""

from __future__ import annotations

import datetime

import pytest

from archive.parsing import parse_issue
from archive.parsing.dates import date_from_source, infer_issue_date, resolve_year


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
