"""Working-day calendar for notice periods (公示期): weekends and statutory holidays off, 调休 weekends on.

Rules this module applies (docs/reference.md, 工作日 and 公示期):
- A 工作日 is a day the State Council's yearly arrangement (国务院办公厅关于某年部分节假日安排的通知)
  makes a working day: Monday to Friday unless it is a day off, plus the swapped working weekends (调休上班).
- The built-in calendar is chinesecalendar 1.11.0, which knows 2004–2026. For any other year the office
  writes that year's arrangement into 节假日安排.toml in the campaign folder (see
  inputs/节假日安排.toml.example). For every year the file covers, the file wins over chinesecalendar,
  and a date the file lists explicitly (e.g. a New Year's Eve off listed under the next year) wins too.
- A period that reaches a year known to neither is refused with a message saying what to add. Never guess.
- A 公示期 of N working days counts its start day when that is a working day; when the start is a weekend or
  a holiday (a notice posted on a Saturday), the period starts on the next working day, because a day on
  which the office cannot take objections cannot count toward the period.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import chinese_calendar

from pipeline.errors import PipelineError, Problem, ProblemCollector
from pipeline.engine.jinja_env import chinese_date

HOLIDAY_FILE = "节假日安排.toml"
ONE_DAY = dt.timedelta(days=1)
# 全国年节及纪念日放假办法 第二条: the fixed-date days off and the statutory total, by the version in force.
# 2024年修订 (from 2025): 元旦1天、春节4天、清明1天、劳动节2天（5月1日、2日）、端午1天、中秋1天、国庆3天 = 13.
# 2007年修订 (2008–2024): 元旦1、春节3、清明1、劳动节1、端午1、中秋1、国庆3 = 11.
# 1999年修订 (before 2008): 元旦1、春节3、劳动节3、国庆3 = 10.
STATUTORY_RULES = (
    (2025, ((1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"), (10, 1, "国庆节"), (10, 2, "国庆节"),
            (10, 3, "国庆节")), 13),
    (2008, ((1, 1, "元旦"), (5, 1, "劳动节"), (10, 1, "国庆节"), (10, 2, "国庆节"), (10, 3, "国庆节")), 11),
    (0, ((1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"), (5, 3, "劳动节"), (10, 1, "国庆节"),
         (10, 2, "国庆节"), (10, 3, "国庆节")), 10),
)
# The longest real stretch so far is 10 days (2020 春节, extended); more than this is almost surely a typo.
LONGEST_STRETCH = 15
KEYS = {"days_off", "working_weekends", "basis"}
RANGE_SEPARATORS = re.compile(r"\s*(?:至|到|~|～|—|--)\s*")
WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class HolidayArrangement:
    """The office's own holiday arrangement for the years chinesecalendar does not know (节假日安排.toml)."""

    years: frozenset[int]
    days_off: frozenset[dt.date] = frozenset()
    working_weekends: frozenset[dt.date] = frozenset()
    source: str = HOLIDAY_FILE
    basis: dict[int, str] = field(default_factory=dict, compare=False)

    def decides(self, day: dt.date) -> bool:
        """Say whether this file, not chinesecalendar, decides `day`."""
        return day.year in self.years or day in self.days_off or day in self.working_weekends

    def is_working_day(self, day: dt.date) -> bool:
        """Apply the file's arrangement: 调休 weekends on, listed days off off, otherwise Monday–Friday."""
        if day in self.working_weekends:
            return True
        return day.weekday() < 5 and day not in self.days_off


class CalendarGapError(PipelineError):
    """A notice period reaches a year that neither chinesecalendar nor 节假日安排.toml knows."""

    def __init__(self, year: int, start: dt.date | None = None, working_days: int | None = None):
        self.year = year
        first, last = builtin_years()
        where = "跨入" if start is not None and start.year != year else "落在"
        period = f"从{cn_date(start)}起{working_days}个工作日的公示期" if start is not None else "公示期"
        super().__init__(
            f"{period}{where}{year}年，内置日历只有{first}年至{last}年；请在 campaign 文件夹的 {HOLIDAY_FILE} 中"
            f"加入 [{year}] 一节，按国务院办公厅关于{year}年部分节假日安排的通知写明放假日期 days_off"
            f"（含周末）和调休上班日期 working_weekends（没有就写 []），格式见 inputs/{HOLIDAY_FILE}.example。"
        )


cn_date = chinese_date  # one formatter for 2026年6月18日 (pipeline/review/periods.py)


@lru_cache(maxsize=None)
def _builtin_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def builtin_years() -> tuple[int, int]:
    """Return the first and last year chinesecalendar knows (2004, 2026 for 1.11.0)."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def is_working_day(day: dt.date, extra: HolidayArrangement | None = None) -> bool:
    """Say whether `day` is a 工作日; the office file wins for the years and dates it covers."""
    if extra is not None and extra.decides(day):
        return extra.is_working_day(day)
    if not _builtin_knows(day.year):
        raise CalendarGapError(day.year)
    return chinese_calendar.is_workday(day)


def first_working_day(day: dt.date, extra: HolidayArrangement | None = None) -> dt.date:
    """Return `day` if it is a working day, else the next working day."""
    while not is_working_day(day, extra):
        day += ONE_DAY
    return day


def add_working_days(start: dt.date, n: int, extra: HolidayArrangement | None = None) -> dt.date:
    """Return the n-th working day after `start` (start itself not counted; n = 0 returns start)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    day = start
    while n:
        day += ONE_DAY
        if is_working_day(day, extra):
            n -= 1
    return day


def notice_period(start: dt.date, working_days: int = 5,
                  extra: HolidayArrangement | None = None) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a 公示期 of `working_days` working days posted on `start`."""
    if working_days < 1:
        raise ValueError(f"working_days must be >= 1, got {working_days}")
    try:
        first = first_working_day(start, extra)
        return first, add_working_days(first, working_days - 1, extra)
    except CalendarGapError as exc:
        raise CalendarGapError(exc.year, start, working_days) from None


def load_campaign_holidays(campaign_dir: Path) -> HolidayArrangement | None:
    """Read 节假日安排.toml from the campaign folder if the office wrote one."""
    path = Path(campaign_dir) / HOLIDAY_FILE
    return load_holiday_file(path) if path.exists() else None


def load_holiday_file(path: Path) -> HolidayArrangement:
    """Read and check 节假日安排.toml; raise InputErrors naming file, line and key for every problem."""
    from pipeline.campaign.toml_lines import decode_text

    path = Path(path)
    problems = ProblemCollector()
    text = decode_text(path.read_bytes(), path.name, problems)  # a Notepad BOM is fine, GBK is named as such
    problems.raise_if_any()
    reader = _HolidayFileReader(path.name, text)
    return reader.read()


class _HolidayFileReader:
    """Check one 节假日安排.toml, collecting every problem before giving up."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.lines = text.splitlines()
        self.text = text
        self.problems = ProblemCollector()

    def problem(self, message: str, line: int | None, key: str | None, code: str) -> None:
        self.problems.add(Problem(file=self.name, message=message, row=line, column=key, code=code))

    def read(self) -> HolidayArrangement:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+)", str(exc))
            self.problem("格式有误，无法读取（常见原因：日期没写成 2027-01-01、漏了引号、逗号或方括号）。",
                         int(match.group(1)) if match else None, None, "bad-toml")
            self.problems.raise_if_any()
        days_off: dict[dt.date, tuple[int, int | None]] = {}
        working: dict[dt.date, tuple[int, int | None]] = {}
        years, basis = set(), {}
        for name, section in data.items():
            year = self.year_of(name, section)
            if year is None:
                continue
            years.add(year)
            if isinstance(section.get("basis"), str):
                basis[year] = section["basis"]
            self.read_year(year, section, days_off, working)
        self.check_both(days_off, working)
        self.problems.raise_if_any()
        return HolidayArrangement(frozenset(years), frozenset(days_off), frozenset(working), self.name, basis)

    def year_of(self, name: str, section: Any) -> int | None:
        line = self.header_line(name) or self.key_line(None, name)
        if not (re.fullmatch(r"\d{4}", name) and isinstance(section, dict)):
            self.problem(f"「{name}」不是年份一节；每年写成一节，以 [2027] 这样的一行开头。", line, name, "bad-year")
            return None
        year = int(name)
        if not 2000 <= year <= 2100:
            self.problem(f"年份 {year} 不合理，请核对。", line, f"[{name}]", "bad-year")
            return None
        for key in sorted(set(section) - KEYS):
            self.problem(f"不认识「{key}」；每年一节只能有 days_off、working_weekends、basis。",
                         self.key_line(name, key), f"[{name}] {key}", "unknown-key")
        return year

    def read_year(self, year: int, section: dict, days_off: dict, working: dict) -> None:
        for key, target in (("days_off", days_off), ("working_weekends", working)):
            if key not in section:
                self.problem(f"{year}年的安排不完整：缺少 {key}"
                             + ("（没有调休上班日也要写 working_weekends = []）。" if key == "working_weekends"
                                else "（放假日期，含周末）。"),
                             self.header_line(str(year)), f"[{year}] {key}", "incomplete-year")
                continue
            for day, line in self.dates(year, key, section[key]):
                target.setdefault(day, (year, line))
        if "days_off" in section:
            self.check_complete(year, [d for d, (y, _) in days_off.items() if y == year])
        for day, (y, line) in working.items():
            if y == year and day.weekday() < 5:
                self.problem(f"{day.isoformat()} 是星期{WEEKDAY_NAMES[day.weekday()]}，本来就上班；"
                             "working_weekends 只写调休上班的周六、周日。", line, f"[{year}] working_weekends",
                             "not-a-weekend")

    def dates(self, year: int, key: str, value: Any) -> list[tuple[dt.date, int | None]]:
        """Expand a list of dates and "起至" ranges, reporting each bad item at its line."""
        where = f"[{year}] {key}"
        key_line = self.key_line(str(year), key)
        if not isinstance(value, list):
            self.problem(f"{key} 要写成方括号列表，如 {key} = [2027-01-01, \"2027-02-06至2027-02-14\"]。",
                         key_line, where, "bad-list")
            return []
        out = []
        for item in value:
            line = self.item_line(key_line, str(item)) if key_line else None
            days = self.expand(item, year, line, where)
            out.extend((d, line) for d in days)
        return out

    def expand(self, item: Any, year: int, line: int | None, where: str) -> list[dt.date]:
        if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            first = last = item
        elif isinstance(item, str):
            parts = RANGE_SEPARATORS.split(item.strip())
            try:
                first, last = dt.date.fromisoformat(parts[0]), dt.date.fromisoformat(parts[-1])
                if len(parts) > 2:
                    raise ValueError
            except ValueError:
                self.problem(f"「{item}」不是日期；写成 2027-01-01，或一段 \"2027-02-06至2027-02-14\"。",
                             line, where, "bad-date")
                return []
        else:
            self.problem(f"「{item}」不是日期；写成 2027-01-01。", line, where, "bad-date")
            return []
        if last < first or (last - first).days + 1 > LONGEST_STRETCH:
            self.problem(f"「{item}」这一段起止日期不对（结束早于开始，或超过{LONGEST_STRETCH}天），请核对。",
                         line, where, "bad-range")
            return []
        days = [first + ONE_DAY * i for i in range((last - first).days + 1)]
        # A New Year's arrangement may start in late December of the year before (e.g. 2018-12-30 for 2019).
        stray = [d for d in days if d.year != year and not (d.year == year - 1 and d.month == 12)]
        if stray:
            self.problem(f"{stray[0].isoformat()} 不在{year}年内（只有元旦放假可以从上一年12月开始），请核对年份。",
                         line, where, "wrong-year")
            return []
        return days

    def check_complete(self, year: int, days_off: list[dt.date]) -> None:
        """Check a year's days off hold the statutory holidays (全国年节及纪念日放假办法 第二条)."""
        where, line = f"[{year}] days_off", self.key_line(str(year), "days_off")
        fixed, total = next((f, t) for since, f, t in STATUTORY_RULES if year >= since)
        missing = [f"{m}月{d}日（{name}）" for m, d, name in fixed if dt.date(year, m, d) not in days_off]
        count = len([d for d in days_off if d.year == year])
        if missing:
            self.problem(f"{year}年的安排不完整：放假日期里没有 {'、'.join(missing)}；请把通知里每个节日的放假日期都写上。",
                         line, where, "incomplete-year")
        elif count < total:
            self.problem(f"{year}年的安排不完整：只写了{count}天放假，法定节假日就有{total}天"
                         "（元旦、春节、清明、劳动节、端午、中秋、国庆）；请把通知里的每一段都写上。",
                         line, where, "incomplete-year")

    def check_both(self, days_off: dict, working: dict) -> None:
        for day in sorted(set(days_off) & set(working)):
            (_, l1), (y2, l2) = days_off[day], working[day]
            self.problem(f"{day.isoformat()} 既写在放假日期（第{l1}行）又写在调休上班日期（第{l2}行），只能留一处。",
                         l2, f"[{y2}] working_weekends", "off-and-working")

    # --- finding lines in the raw text (tomllib reports no positions for values) ---
    def header_line(self, name: str) -> int | None:
        pattern = re.compile(rf'^\s*\[\s*"?{re.escape(name)}"?\s*\]')
        return next((i for i, s in enumerate(self.lines, 1) if pattern.match(s)), None)

    def key_line(self, section: str | None, key: str) -> int | None:
        start = self.header_line(section) if section else 0
        if start is None:
            return None
        pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
        for i in range(start, len(self.lines)):
            if section and self.lines[i].lstrip().startswith("["):
                break
            if pattern.match(self.lines[i]):
                return i + 1
        return None

    def item_line(self, key_line: int, needle: str) -> int:
        for i in range(key_line - 1, len(self.lines)):
            code = self.lines[i].split("#", 1)[0]
            if needle in code:
                return i + 1
            if i >= key_line and re.match(r"^\s*(\[|\w+\s*=)", code):
                break
        return key_line
