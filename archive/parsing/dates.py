"""Issue dates and event dates.

The issue date comes from the caller, else from the file name, else it is
inferred: a daily prints yesterday's news, so the issue is taken to be the
day after the latest dateline, in the year the text itself points to.
Datelines print only month and day; the year is the issue's, except that a
December dateline in a January issue belongs to the year before.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable

from archive.parsing.bylines import chinese_number

_SOURCE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
# A year as digits or, in older papers, as Chinese digits: 2023年, 一九八五年.
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2}|[一二][九〇零][〇零一二三四五六七八九]{2})\s*年")
_CHINESE_DIGIT_VALUES = str.maketrans("〇零一二三四五六七八九", "00123456789")
# "到2025年", "力争2025年建成", "2025年前完成": targets, which say nothing about
# the present year.
_TARGET_BEFORE = ("到", "至", "于", "前", "力争", "预计", "计划", "争取", "确保", "将在", "将于", "有望")
_TARGET_AFTER = re.compile(r"\s*年(?:底|末)?(?:前|以前)")
# "2023年以来", "2023年全年", "回眸2023": a look back, typical of the first
# weeks of the following year.
_LOOK_BACK = re.compile(r"(?:19|20)\d{2}\s*年(?:以来|全年|一年来|来)|回眸\s*(?:19|20)\d{2}")
_NUMBER = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_FIRST_DATE = re.compile(
    rf"(?<!\d)(?:(?:19|20)\d{{2}}年)?(?P<month>{_NUMBER})月(?P<day>{_NUMBER})日|(?<![\d月])(?P<day_only>\d{{1,2}})日"
)
_FUTURE_BEFORE = ("将于", "将在", "定于", "截至", "截止", "预计", "计划", "拟于", "到", "至")
# How far into the text the date of the event is looked for.
_EVENT_DATE_WINDOW = 120
# A day without month ("8日") counts only this close to the start.
_DAY_ONLY_WINDOW = 40
# How far past the issue date an event may lie before it is taken for last year's.
_FUTURE_TOLERANCE = datetime.timedelta(days=31)


def date_from_source(source: str) -> datetime.date | None:
    """A date such as 2024-01-12 or 20240112 in the file name."""
    for match in _SOURCE_DATE.finditer(source or ""):
        try:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def resolve_year(month: int | None, day: int, issue_date: datetime.date | None) -> datetime.date | None:
    """The latest date with this month and day that is not far after the issue date.

    News is about the recent past: a December dateline in a January issue is
    last year's, a "1月2日" in the issue of 31 December is next year's.
    """
    if issue_date is None:
        return None
    if month is None:
        # The day alone: this month's, unless that day has not come yet.
        month = issue_date.month if day <= issue_date.day + 1 else (issue_date.month - 2) % 12 + 1
    latest_allowed = issue_date + _FUTURE_TOLERANCE
    candidates = [_safe_date(year, month, day) for year in (issue_date.year - 1, issue_date.year, issue_date.year + 1)]
    eligible = [candidate for candidate in candidates if candidate is not None and candidate <= latest_allowed]
    return max(eligible, default=None)


def event_month_day(text: str) -> tuple[int | None, int] | None:
    """The date an article reports on, near the start of its first paragraph.

    Wire copy often gives the day alone ("国家林草局8日发布"): the month is
    then ``None`` and the issue's month is meant.
    """
    window = text[:_EVENT_DATE_WINDOW]
    for match in _FIRST_DATE.finditer(window):
        before = window[max(0, match.start() - 3) : match.start()]
        if any(before.endswith(word) for word in _FUTURE_BEFORE):
            continue
        if match["day_only"]:
            day = int(match["day_only"])
            if match.start() < _DAY_ONLY_WINDOW and 1 <= day <= 31:
                return None, day
            continue
        month, day = chinese_number(match["month"]), chinese_number(match["day"])
        if month and day and 1 <= month <= 12 and 1 <= day <= 31:
            return month, day
    return None


def mentioned_year(text: str, today: datetime.date | None = None) -> tuple[int | None, bool]:
    """The latest year the text speaks of as present or past, and whether it looks back on it."""
    limit = (today or datetime.date.today()).year + 1
    latest = None
    for match in _YEAR.finditer(text):
        year = int(match[1].translate(_CHINESE_DIGIT_VALUES))
        before = text[max(0, match.start() - 2) : match.start()]
        if year > limit or any(before.endswith(word) for word in _TARGET_BEFORE):
            continue
        if _TARGET_AFTER.match(text, match.end(1)):
            continue
        latest = year if latest is None else max(latest, year)
    if latest is None:
        return None, False
    look_back = any(str(latest) in match[0].translate(_CHINESE_DIGIT_VALUES) for match in _LOOK_BACK.finditer(text))
    return latest, look_back


def infer_issue_date(text: str, dateline_dates: Iterable[tuple[int, int]]) -> datetime.date | None:
    """The day after the latest dateline, in the year the text points to."""
    dates = list(dateline_dates)
    year, look_back = mentioned_year(text)
    if year is None or not dates:
        return None
    months = {month for month, _ in dates}
    spans_new_year = any(month >= 11 for month in months) and any(month <= 2 for month in months)
    # Early in the year papers review the year before ("2023年以来", "回眸2023")
    # while mentioning the new year seldom.
    if look_back and min(months) <= 2:
        year += 1
    candidates = []
    for month, day in dates:
        # A January issue that still carries December datelines: those are last year's.
        dated = _safe_date(year - 1 if spans_new_year and month >= 11 else year, month, day)
        if dated:
            candidates.append(dated)
    if not candidates:
        return None
    return max(candidates) + datetime.timedelta(days=1)


# A full date printed in the text: 2019年11月7日.
_FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A full date this far after the most common one is still taken for a recent one.
_RECENT_SPREAD = datetime.timedelta(days=3)


def issue_date_from_full_dates(text: str) -> datetime.date | None:
    """The day after the latest recent full date in the text, for an issue without datelines.

    A notice is signed ("市自来水有限公司 2019年11月7日") and a report dated a day
    or so before it is printed. Dates announced for the future ("定于2019年11月10日")
    are left out, and so are dates long after the one the text gives most often.
    """
    found: list[datetime.date] = []
    for match in _FULL_DATE.finditer(text):
        before = text[max(0, match.start() - 3) : match.start()]
        if any(before.endswith(word) for word in _FUTURE_BEFORE):
            continue
        dated = _safe_date(int(match[1]), int(match[2]), int(match[3]))
        if dated is not None:
            found.append(dated)
    if not found:
        return None
    counts = Counter(found)
    # Most frequent first; among equals the latest.
    usual = max(counts, key=lambda day: (counts[day], day))
    return max(day for day in found if day <= usual + _RECENT_SPREAD) + datetime.timedelta(days=1)
