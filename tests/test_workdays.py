"""Working-day calendar: the official 2026 arrangement, the office's 节假日安排.toml, and invariants."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings, strategies as st

from pipeline.errors import InputErrors, PipelineError
from pipeline.campaign.workdays import (
    HOLIDAY_FILE, CalendarGapError, add_working_days, is_working_day, load_campaign_holidays,
    load_holiday_file, notice_period,
)

D = dt.date
EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / f"{HOLIDAY_FILE}.example"

# 国务院办公厅关于2026年部分节假日安排的通知 (November 2025), typed from the notice, not from chinesecalendar:
# 元旦 1月1日至3日, 1月4日(周日)上班; 春节 2月15日至23日, 2月14日(周六)、2月28日(周六)上班;
# 清明 4月4日至6日; 劳动节 5月1日至5日, 5月9日(周六)上班; 端午 6月19日至21日; 中秋 9月25日至27日;
# 国庆 10月1日至7日, 9月20日(周日)、10月10日(周六)上班.
OFFICIAL_2026_OFF = [(D(2026, 1, 1), 3), (D(2026, 2, 15), 9), (D(2026, 4, 4), 3), (D(2026, 5, 1), 5),
                     (D(2026, 6, 19), 3), (D(2026, 9, 25), 3), (D(2026, 10, 1), 7)]
OFFICIAL_2026_WORK = [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20),
                      D(2026, 10, 10)]

# A made-up 2027 arrangement for tests only (the real one is whatever the State Council publishes):
# 2027-01-01 is a Friday; 春节 (正月初一 2027-02-06, a Saturday) 02-05..02-13 off, 02-20 (Sat) worked.
HYPOTHETICAL_2027 = """\
[2027]
basis = "测试用的假设安排"
days_off = [
    "2027-01-01至2027-01-03",
    "2027-02-05至2027-02-13",
    "2027-04-03至2027-04-05",
    "2027-05-01至2027-05-05",
    2027-06-09,
    2027-09-15,
    "2027-10-01至2027-10-07",
]
working_weekends = [2027-02-20, 2027-09-26, 2027-10-09]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / HOLIDAY_FILE
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def file_2027(tmp_path):
    return load_holiday_file(write(tmp_path, HYPOTHETICAL_2027))


def all_days(year: int) -> list[dt.date]:
    return [D(year, 1, 1) + dt.timedelta(days=i) for i in range((D(year + 1, 1, 1) - D(year, 1, 1)).days)]


# --- the official 2026 arrangement ---

def test_builtin_calendar_matches_the_2026_notice():
    off = {start + dt.timedelta(days=i) for start, n in OFFICIAL_2026_OFF for i in range(n)}
    assert len(off) == 33
    for day in all_days(2026):
        expected = day in OFFICIAL_2026_WORK or (day.weekday() < 5 and day not in off)
        assert is_working_day(day) is expected, day
    assert all(day.weekday() >= 5 for day in OFFICIAL_2026_WORK)  # 调休 days are weekends


def test_example_file_reproduces_2026_exactly():
    extra = load_holiday_file(EXAMPLE)
    assert extra.years == {2026}
    assert [d for d in all_days(2026) if extra.is_working_day(d) != chinese_calendar.is_workday(d)] == []


@pytest.mark.parametrize("start, n, first, last", [
    # 9-28 Mon, 9-29 Tue, 9-30 Wed (3); 10-01..10-07 国庆 off; 10-08 Thu (4), 10-09 Fri (5).
    (D(2026, 9, 28), 5, D(2026, 9, 28), D(2026, 10, 9)),
    # 9-30 Wed (1); 10-08 Thu (2), 10-09 Fri (3), 10-10 Sat 调休上班 (4); 10-11 Sun off; 10-12 Mon (5).
    (D(2026, 9, 30), 5, D(2026, 9, 30), D(2026, 10, 12)),
    # 2-12 Thu (1), 2-13 Fri (2), 2-14 Sat 调休上班 (3); 2-15..2-23 春节 off; 2-24 Tue (4), 2-25 Wed (5).
    (D(2026, 2, 12), 5, D(2026, 2, 12), D(2026, 2, 25)),
    # 2-24 Tue .. 2-27 Fri (4), 2-28 Sat 调休上班 (5): the period ends on a Saturday.
    (D(2026, 2, 24), 5, D(2026, 2, 24), D(2026, 2, 28)),
    # Posted on 10-01 (国庆): counting starts 10-08 Thu (1), 10-09 (2), 10-10 Sat (3), 10-12 Mon (4), 10-13 (5).
    (D(2026, 10, 1), 5, D(2026, 10, 8), D(2026, 10, 13)),
    # Posted on Sat 6-13: starts Mon 6-15; 6-15..6-18 (4); 6-19..6-21 端午 off; 6-22 Mon (5).
    (D(2026, 6, 13), 5, D(2026, 6, 15), D(2026, 6, 22)),
    # The sample campaign's 任前公示 (campaign.toml: 2026-07-08 Wed): 7-8, 7-9, 7-10, 7-13, 7-14.
    (D(2026, 7, 8), 5, D(2026, 7, 8), D(2026, 7, 14)),
    # Sunday 1-4 is 调休上班: a one-day period posted that day is that day.
    (D(2026, 1, 4), 1, D(2026, 1, 4), D(2026, 1, 4)),
    # 7 working days from Fri 4-3: 4-3 (1); 4-4..4-6 清明 off; 4-7..4-10 (5); 4-13, 4-14 (7).
    (D(2026, 4, 3), 7, D(2026, 4, 3), D(2026, 4, 14)),
])
def test_notice_periods_2026(start, n, first, last):
    assert notice_period(start, n) == (first, last)


def test_add_working_days_skips_the_labour_day_holiday():
    # 4-30 Thu; 5-01..5-05 off; 5-06 Wed (1), 5-07 (2), 5-08 (3), 5-09 Sat 调休上班 (4), 5-11 Mon (5).
    assert add_working_days(D(2026, 4, 30), 5) == D(2026, 5, 11)
    assert add_working_days(D(2026, 4, 30), 0) == D(2026, 4, 30)


def test_bad_period_length_is_a_bug_not_a_guess():
    with pytest.raises(ValueError):
        notice_period(D(2026, 6, 1), 0)


# --- years chinesecalendar does not know ---

def test_period_into_2027_is_refused_without_a_file():
    with pytest.raises(PipelineError) as info:
        notice_period(D(2026, 12, 28), 5)  # 12-28..12-31 are 4 working days; the 5th is in 2027
    message = str(info.value)
    assert "公示期跨入2027年" in message and "内置日历只有2004年至2026年" in message
    assert f"{HOLIDAY_FILE} 中加入 [2027]" in message and "2026年12月28日" in message


def test_period_ending_on_the_last_known_day_needs_no_file():
    assert notice_period(D(2026, 12, 28), 4) == (D(2026, 12, 28), D(2026, 12, 31))


def test_period_into_2027_works_with_the_office_file(file_2027):
    # 12-28 Mon (1) .. 12-31 Thu (4); 2027-01-01 Fri and the weekend off (file); 2027-01-04 Mon (5).
    assert notice_period(D(2026, 12, 28), 5, file_2027) == (D(2026, 12, 28), D(2027, 1, 4))
    # 2-17 Wed (1), 2-18 (2), 2-19 (3), 2-20 Sat worked per the file (4), 2-22 Mon (5).
    assert notice_period(D(2027, 2, 17), 5, file_2027) == (D(2027, 2, 17), D(2027, 2, 22))
    # Posted on 2-06 (春节 in the file): starts 2-15 Mon, 2-15..2-19 (5).
    assert notice_period(D(2027, 2, 6), 5, file_2027) == (D(2027, 2, 15), D(2027, 2, 19))


def test_period_beyond_the_file_names_the_next_missing_year(file_2027):
    # 2027-12-27 Mon .. 12-31 Fri is 5 days; a sixth needs 2028.
    assert notice_period(D(2027, 12, 27), 5, file_2027)[1] == D(2027, 12, 31)
    with pytest.raises(CalendarGapError, match=r"跨入2028年.*加入 \[2028\]"):
        notice_period(D(2027, 12, 27), 6, file_2027)


def test_office_file_wins_over_the_builtin_calendar(tmp_path):
    # Same as the official 2026 plus 10-08 off: 9-28, 9-29, 9-30 (3), 10-09 Fri (4), 10-10 Sat 调休 (5).
    text = EXAMPLE.read_text(encoding="utf-8").replace('"2026-10-01至2026-10-07"', '"2026-10-01至2026-10-08"')
    extra = load_holiday_file(write(tmp_path, text))
    assert notice_period(D(2026, 9, 28), 5, extra) == (D(2026, 9, 28), D(2026, 10, 10))
    assert notice_period(D(2026, 9, 28), 5) == (D(2026, 9, 28), D(2026, 10, 9))


def test_new_years_eve_listed_under_the_next_year_wins(tmp_path):
    text = HYPOTHETICAL_2027.replace('"2027-01-01至2027-01-03"', '"2026-12-31至2027-01-03"')
    extra = load_holiday_file(write(tmp_path, text))
    assert is_working_day(D(2026, 12, 31)) and not is_working_day(D(2026, 12, 31), extra)
    assert is_working_day(D(2026, 12, 30), extra)  # other 2026 days still from chinesecalendar


def test_campaign_folder_without_a_file(tmp_path):
    assert load_campaign_holidays(tmp_path) is None
    write(tmp_path, HYPOTHETICAL_2027)
    assert load_campaign_holidays(tmp_path).years == {2027}


# --- located errors in 节假日安排.toml ---

def problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(InputErrors) as info:
        load_holiday_file(write(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_bad_date_is_located(tmp_path):
    found = problems(tmp_path, HYPOTHETICAL_2027.replace("2027-06-09,", '"2027-06-31",'))
    assert found == [f"{HOLIDAY_FILE} 第8行 「[2027] days_off」：「2027-06-31」不是日期；"
                     "写成 2027-01-01，或一段 \"2027-02-06至2027-02-14\"。"]


def test_date_both_off_and_working(tmp_path):
    found = problems(tmp_path, HYPOTHETICAL_2027.replace("2027-02-20,", "2027-02-06,"))
    assert found == [f"{HOLIDAY_FILE} 第12行 「[2027] working_weekends」：2027-02-06 既写在放假日期（第5行）"
                     "又写在调休上班日期（第12行），只能留一处。"]


def test_year_without_working_weekends_is_incomplete(tmp_path):
    found = problems(tmp_path, HYPOTHETICAL_2027.replace("working_weekends = [2027-02-20, 2027-09-26, 2027-10-09]",
                                                         ""))
    assert found == [f"{HOLIDAY_FILE} 第1行 「[2027] working_weekends」：2027年的安排不完整：缺少 working_weekends"
                     "（没有调休上班日也要写 working_weekends = []）。"]


def test_year_missing_a_festival_is_incomplete(tmp_path):
    found = problems(tmp_path, HYPOTHETICAL_2027.replace('    "2027-10-01至2027-10-07",\n', ""))
    assert len(found) == 1 and "第3行" in found[0]
    assert "没有 10月1日（国庆节）、10月2日（国庆节）、10月3日（国庆节）" in found[0]


def test_too_few_days_off_is_incomplete(tmp_path):
    text = "[2027]\ndays_off = [2027-01-01, 2027-05-01, 2027-05-02, 2027-10-01, 2027-10-02, 2027-10-03]\n" \
           "working_weekends = []\n"
    (found,) = problems(tmp_path, text)
    assert "只写了6天放假，法定节假日就有13天" in found and "第2行" in found


def test_weekday_listed_as_working_weekend(tmp_path):
    (found,) = problems(tmp_path, HYPOTHETICAL_2027.replace("2027-09-26,", "2027-09-27,"))
    assert found.startswith(f"{HOLIDAY_FILE} 第12行 「[2027] working_weekends」：2027-09-27 是星期一")


def test_several_problems_reported_together(tmp_path):
    text = HYPOTHETICAL_2027.replace("basis", "basys").replace("2027-09-15,", '"2072-09-15",') \
        + '\n[abc]\nx = 1\n'
    found = problems(tmp_path, text)
    assert len(found) == 3
    assert "第2行 「[2027] basys」：不认识「basys」" in found[0]
    assert "第9行" in found[1] and "2072-09-15 不在2027年内" in found[1]
    assert "「abc」不是年份一节" in found[2] and "第14行" in found[2]


def test_syntax_error_gives_the_line(tmp_path):
    (found,) = problems(tmp_path, HYPOTHETICAL_2027.replace("2027-06-09,", "2027-06-09 端午,"))
    assert found.startswith(f"{HOLIDAY_FILE} 第8行：格式有误")


def test_backwards_or_overlong_range(tmp_path):
    text = HYPOTHETICAL_2027.replace('"2027-04-03至2027-04-05"', '"2027-04-05至2027-04-03"') \
        .replace('"2027-05-01至2027-05-05"', '"2027-05-01至2027-05-31"')
    found = problems(tmp_path, text)
    assert [f.split("：")[0] for f in found[:2]] == [f"{HOLIDAY_FILE} 第6行 「[2027] days_off」",
                                                    f"{HOLIDAY_FILE} 第7行 「[2027] days_off」"]
    assert all("起止日期不对" in f for f in found[:2])
    assert "没有 5月1日（劳动节）、5月2日（劳动节）" in found[2]  # the dropped range leaves the year short


# --- invariants (Hypothesis) ---

BUILTIN_STARTS = st.dates(D(2004, 1, 1), D(2026, 11, 30))  # + 20 working days stays inside 2026


@settings(max_examples=300, deadline=None)
@given(start=BUILTIN_STARTS, n=st.integers(1, 20))
def test_period_invariants_builtin(start, n):
    check_period(start, n, None)


@pytest.fixture(scope="module")
def shared_2027(tmp_path_factory):
    return load_holiday_file(write(tmp_path_factory.mktemp("holidays"), HYPOTHETICAL_2027))


@settings(max_examples=150, deadline=None)
@given(start=st.dates(D(2026, 11, 1), D(2027, 11, 30)), n=st.integers(1, 20))
def test_period_invariants_with_office_file(shared_2027, start, n):
    check_period(start, n, shared_2027)


def check_period(start, n, extra):
    first, last = notice_period(start, n, extra)
    span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    assert is_working_day(first, extra) and is_working_day(last, extra)
    assert sum(is_working_day(d, extra) for d in span) == n
    skipped = [start + dt.timedelta(days=i) for i in range((first - start).days)]
    assert first >= start and not any(is_working_day(d, extra) for d in skipped)
    assert notice_period(start, n + 1, extra)[1] > last


@pytest.mark.parametrize("year", range(2004, 2027))
def test_a_file_copied_from_the_builtin_calendar_agrees_every_day(tmp_path, year):
    """Round trip: every real arrangement 2004–2026 passes the checks and means the same days."""
    off = sorted(d for d in chinese_calendar.holidays if d.year == year)
    work = sorted(d for d in chinese_calendar.workdays if d.year == year)
    text = f"[{year}]\ndays_off = [{', '.join(map(str, off))}]\nworking_weekends = [{', '.join(map(str, work))}]\n"
    extra = load_holiday_file(write(tmp_path, text))
    assert [d for d in all_days(year) if extra.is_working_day(d) != chinese_calendar.is_workday(d)] == []
