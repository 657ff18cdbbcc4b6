"""Period arithmetic for eligibility: 周岁, 满N年, year-month starts (民法典 第二百零一条、第二百零二条).

Convention, used everywhere eligibility counts years:
- A period of N years that starts on day S ends on the day of S's month and day N years later
  (民法典 第二百零二条: the corresponding day of the final month is the last day of the period).
  When that year has no corresponding day (S is 2月29日, the year is common), the period ends on
  the last day of that month, 2月28日.
- The period is complete (满N年, N周岁) on its last day, so a reference date equal to that day counts:
  someone born 1980-06-12 is 46 周岁 on 2026-06-12 and 45 周岁 on 2026-06-11; a rank held since
  2022-06-12 is 满4年 on 2026-06-12 and not on 2026-06-11.
  (The criminal-law rule "from the day after the birthday" is not used: docs/reference.md, 周岁和期间.)
- A date known only to the month (参加工作时间, 入党时间: "2010.07") counts from the first day of
  that month, i.e. whole calendar months: 2010.07 is 满16年 from 2026-07-01.
"""
from __future__ import annotations

import calendar
import datetime as dt

ONE_DAY = dt.timedelta(days=1)


def add_years(start: dt.date, years: int) -> dt.date:
    """Return the day a period of `years` years from `start` ends (民法典 第二百零二条)."""
    year = start.year + years
    last_day = calendar.monthrange(year, start.month)[1]
    return dt.date(year, start.month, min(start.day, last_day))


def completed_years(start: dt.date, on: dt.date) -> int:
    """Return the whole years completed from `start` to `on`, the day `on` included (周岁, 满N年)."""
    years = on.year - start.year
    if add_years(start, years) > on:
        years -= 1
    return years


def has_completed(start: dt.date, years: int, on: dt.date) -> bool:
    """Tell whether `years` whole years from `start` are complete on `on` (满N年 counts exactly N)."""
    return add_years(start, years) <= on


def age(birth: dt.date, on: dt.date) -> int:
    """Return the 周岁 of someone born on `birth`, counted on `on` (the birthday itself counts)."""
    return completed_years(birth, on)


def month_start(year_month: tuple[int, int]) -> dt.date:
    """Return the first day of a year-month typed as "2010.07" (the convention for month-only dates)."""
    year, month = year_month
    return dt.date(year, month, 1)


def earliest_birth_within_age(max_age: int, on: dt.date) -> dt.date:
    """Return the first birth date whose age on `on` is at most `max_age` (for "即…以后出生" in the plan)."""
    # Start near the answer, then step: age is monotone (non-increasing) in the birth date.
    day = add_years(on, -(max_age + 1)) + ONE_DAY
    while age(day, on) > max_age:
        day += ONE_DAY
    while age(day - ONE_DAY, on) <= max_age:
        day -= ONE_DAY
    return day


def chinese_date(day: dt.date) -> str:
    """Write a date the way official papers do: 2026年6月12日 (GB/T 9704-2012 7.3.5.4, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
