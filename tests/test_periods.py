"""周岁 and 满N年 arithmetic (pipeline/review/periods.py), worked by hand, plus Hypothesis properties."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from pipeline.review.periods import (
    add_years, age, chinese_date, completed_years, earliest_birth_within_age, has_completed, month_start,
)

D = dt.date


@pytest.mark.parametrize("start, years, expected", [
    (D(2022, 6, 12), 4, D(2026, 6, 12)),   # the corresponding day
    (D(2000, 2, 29), 1, D(2001, 2, 28)),   # 2001 has no 2-29: last day of February (民法典 第二百零二条)
    (D(2000, 2, 29), 4, D(2004, 2, 29)),   # 2004 is a leap year: the day exists
    (D(1980, 2, 29), 46, D(2026, 2, 28)),  # 2026 is common
    (D(2001, 2, 28), 3, D(2004, 2, 28)),   # a 2-28 start stays on 2-28 in a leap year
    (D(2026, 6, 12), -46, D(1980, 6, 12)),
])
def test_add_years(start, years, expected):
    assert add_years(start, years) == expected


@pytest.mark.parametrize("birth, on, expected", [
    # 46th birthday is the reference date: 2026-1980 = 46 and the birthday has come, so 46.
    (D(1980, 6, 12), D(2026, 6, 12), 46),
    # 46th birthday is the day after: the birthday has not come, so 46-1 = 45.
    (D(1980, 6, 13), D(2026, 6, 12), 45),
    # Leap-day birth, common year: the birthday falls on 2-28, so 46 on 2026-02-28 ...
    (D(1980, 2, 29), D(2026, 2, 28), 46),
    # ... and 45 the day before.
    (D(1980, 2, 29), D(2026, 2, 27), 45),
    # Leap-day birth, leap year: 2028-02-28 is one day short of the 48th birthday (2028-02-29).
    (D(1980, 2, 29), D(2028, 2, 28), 47),
    (D(1980, 2, 29), D(2028, 2, 29), 48),
])
def test_age_counted_to_the_day(birth, on, expected):
    assert age(birth, on) == expected


def test_tenure_exactly_and_one_day_short():
    # Rank since 2022-06-12; 4 years end on 2026-06-12 (the corresponding day).
    assert has_completed(D(2022, 6, 12), 4, D(2026, 6, 12))
    # Rank since 2022-06-13: the 4 years end on 2026-06-13, one day after the reference date.
    assert not has_completed(D(2022, 6, 13), 4, D(2026, 6, 12))
    assert completed_years(D(2022, 6, 13), D(2026, 6, 12)) == 3


def test_month_only_dates_count_from_the_first():
    # 参加工作 2016.06 counts from 2016-06-01: 满10年 on 2026-06-01, so on 2026-06-12 too.
    assert month_start((2016, 6)) == D(2016, 6, 1)
    assert completed_years(month_start((2016, 6)), D(2026, 6, 12)) == 10
    # 2016.07 counts from 2016-07-01: 满10年 only on 2026-07-01.
    assert completed_years(month_start((2016, 7)), D(2026, 6, 12)) == 9


@pytest.mark.parametrize("max_age, on, expected", [
    # Born 1980-06-12 is 46 on 2026-06-12 (fails); born 1980-06-13 is 45 (passes).
    (45, D(2026, 6, 12), D(1980, 6, 13)),
    # Reference 2026-02-28: born 1980-02-29 turns 46 on 2026-02-28 (202条), so the first who is 45 is 1980-03-01.
    (45, D(2026, 2, 28), D(1980, 3, 1)),
    # Reference 2028-02-29 (leap): born 1982-02-28 turns 46 on 2028-02-28; 1982-03-01 turns 46 on 2028-03-01.
    (45, D(2028, 2, 29), D(1982, 3, 1)),
])
def test_earliest_birth_within_age(max_age, on, expected):
    assert earliest_birth_within_age(max_age, on) == expected


def test_chinese_date_has_no_leading_zeros():
    assert chinese_date(D(2026, 6, 5)) == "2026年6月5日"


dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))


@given(dates, st.integers(min_value=0, max_value=80))
def test_age_on_the_nth_birthday_is_n(birth, n):
    assert age(birth, add_years(birth, n)) == n
    if n:
        assert age(birth, add_years(birth, n) - dt.timedelta(days=1)) == n - 1


@given(dates, dates, dates)
def test_age_is_monotone_in_the_reference_date(birth, a, b):
    early, late = sorted((a, b))
    assert age(birth, early) <= age(birth, late)


@given(st.integers(min_value=0, max_value=80), st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)))
def test_earliest_birth_is_the_boundary(max_age, on):
    first = earliest_birth_within_age(max_age, on)
    assert age(first, on) <= max_age < age(first - dt.timedelta(days=1), on)
