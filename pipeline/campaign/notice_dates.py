"""When each 公示 is posted and how long it runs, from campaign.toml and the working-day calendar.

- 资格审查结果公示: [notice] review_notice_start if the office set it, otherwise the day after the 资格审查 step of
  [[timeline]] (key "review") ends (its start when it has no end); dated the day it is posted.
- 考察对象公示: [notice] inspection_notice_start if written; otherwise the day after the 演讲答辩 step
  ([[timeline]] key "speech") ends — the scores are totalled that day.
- 任前公示: [[timeline]] key "pre_appointment_notice" (required for this paper).
A start on a weekend or holiday moves to the next working day (pipeline.campaign.workdays.notice_period).
Length: [notice] working_days; the 任前公示 uses [notice] pre_appointment_working_days when written, and runs at
least 5 working days (《党政领导干部选拔任用工作条例》第四十四条: 公示期不少于五个工作日).
A period reaching a year the calendar does not know raises workdays.CalendarGapError, unchanged.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pipeline.campaign.model import CampaignData
from pipeline.errors import InputErrors, Problem

CONFIG = "campaign.toml"
DEFAULT_WORKING_DAYS = 5  # 《党政领导干部选拔任用工作条例》: a 公示 runs at least 五个工作日
MIN_PRE_APPOINTMENT_DAYS = 5  # 条例 第四十四条: 任前公示 不少于五个工作日


@dataclass(frozen=True)
class Period:
    """A 公示期: first and last day and its length in working days."""

    start: dt.date
    end: dt.date
    working_days: int

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "days": self.working_days}


@dataclass(frozen=True)
class NoticeFacts:
    """What a 公示 states besides the names: its period, where to object, who issues it and when."""

    start: dt.date
    end: dt.date
    working_days: int
    office_phone: str  # the office's 受理电话 from campaign.toml [notice], not a person's
    office_address: str  # the office's 受理地址 from campaign.toml [notice]
    issued: dt.date


def config_line(text: str, section: str, key: str) -> int | None:
    """Find the line of `key` in [section] of campaign.toml, so a message can point at it."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"^\s*\[", line):
            inside = re.match(rf"^\s*\[\s*{re.escape(section)}\s*\]", line) is not None
        elif inside and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _problem(data: CampaignData, section: str, key: str, message: str, code: str) -> Problem:
    return Problem(file=CONFIG, row=config_line(data.campaign.toml_text, section, key), column=f"[{section}] {key}",
                   message=message, code=code)


def _notice(data: CampaignData) -> dict[str, Any]:
    return data.campaign.raw.get("notice", {})


def timeline_date(data: CampaignData, key: str) -> dt.date | None:
    """The start date of a step of campaign.toml's [[timeline]]."""
    for step in data.campaign.raw.get("timeline", []):
        if step.get("key") == key:
            return step.get("start")
    return None


def timeline_end(data: CampaignData, key: str) -> dt.date | None:
    """The last day of a [[timeline]] step (its start when it has no end)."""
    for step in data.campaign.raw.get("timeline", []):
        if step.get("key") == key:
            return step.get("end") or step.get("start")
    return None


def period_from(data: CampaignData, start: dt.date, days: int) -> Period:
    """Compute a 公示期 with the campaign's holiday file; CalendarGapError propagates with its message."""
    from pipeline.campaign.workdays import notice_period

    first, last = notice_period(start, days, data.holidays)
    return Period(first, last, days)


# --- 资格审查结果公示 ---

def review_notice_start(data: CampaignData) -> dt.date:
    """The day the 资格审查结果公示 is posted: configured, or the day after the review step ends."""
    configured = _notice(data).get("review_notice_start")
    if isinstance(configured, dt.date):
        return configured
    end = timeline_end(data, "review")
    if end is None or configured is not None:
        raise InputErrors([Problem(CONFIG, (
            "无法确定资格审查结果公示的张贴日期：请在 [notice] 中写 review_notice_start = 2026-06-17"
            "（日期不加引号），或在 [[timeline]] 中写明 key = \"review\" 的资格审查步骤及其起止日期。"
        ), column="[notice] review_notice_start", code="bad-date")])
    return end + dt.timedelta(days=1)


def review_notice_facts(data: CampaignData) -> NoticeFacts:
    """The 公示期, the office's 受理电话 and 受理地址, and the issue date, from campaign.toml and the calendar."""
    from pipeline.campaign.workdays import notice_period

    notice = _notice(data)
    missing = [key for key in ("phone", "address") if not str(notice.get(key, "")).strip()]
    if missing:
        raise InputErrors([Problem(CONFIG, (
            f"[notice] 缺少 {key}：公示要写明受理电话（phone）和受理地址（address），请填单位的电话和地址。"
        ), column=f"[notice] {key}", code="missing-value") for key in missing])
    days = working_days(data, "working_days", DEFAULT_WORKING_DAYS)
    posted = review_notice_start(data)
    start, end = notice_period(posted, days, data.holidays)
    return NoticeFacts(start, end, days, str(notice["phone"]), str(notice["address"]), posted)


# --- 考察对象公示 and 任前公示 ---

def working_days(data: CampaignData, key: str, default: int) -> int:
    value = _notice(data).get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputErrors([_problem(data, "notice", key, f"公示期应写成正整数（工作日数），现在是 {value!r}",
                                    "bad-number")])
    return value


def notice_days(data: CampaignData) -> tuple[int, int]:
    """Return the working days of the 考察对象公示 and of the 任前公示 (at least 5, else a located error)."""
    days = working_days(data, "working_days", DEFAULT_WORKING_DAYS)
    key = "pre_appointment_working_days" if "pre_appointment_working_days" in _notice(data) else "working_days"
    pre = working_days(data, key, days)
    if pre < MIN_PRE_APPOINTMENT_DAYS:
        raise InputErrors([_problem(
            data, "notice", key, f"任前公示不得少于{MIN_PRE_APPOINTMENT_DAYS}个工作日（《党政领导干部选拔任用"
            f"工作条例》第四十四条），现在是{pre}个；请改为 {MIN_PRE_APPOINTMENT_DAYS} 或更多（只想缩短其他公示时，"
            f"另写 pre_appointment_working_days = {MIN_PRE_APPOINTMENT_DAYS}）", "notice-too-short")])
    return days, pre


def publish_scores(data: CampaignData) -> bool:
    """[notice] publish_scores: only a real true/false; "false" in quotes must not publish everyone's scores."""
    value = _notice(data).get("publish_scores", False)
    if not isinstance(value, bool):
        raise InputErrors([_problem(data, "notice", "publish_scores",
                                    f"应写 true（公布成绩）或 false（不公布），不加引号；现在是 {value!r}", "bad-flag")])
    return value


def inspection_notice_start(data: CampaignData) -> dt.date:
    """[notice] inspection_notice_start, else the day after the 演讲答辩 step ends."""
    start = _notice(data).get("inspection_notice_start")
    if isinstance(start, dt.date) and not isinstance(start, dt.datetime):
        return start
    if start is not None:
        raise InputErrors([_problem(data, "notice", "inspection_notice_start",
                                    f"应写成 2026-06-29 这样的日期，不加引号；现在是 {start!r}", "bad-date")])
    speech = timeline_end(data, "speech")
    if speech is None:
        raise InputErrors([_problem(data, "notice", "inspection_notice_start",
                                    "无法确定考察对象公示的日期：[[timeline]] 中没有 key = \"speech\" 的步骤；"
                                    "请在 [notice] 中写 inspection_notice_start = 2026-06-29 这样的日期", "missing-date")])
    return speech + dt.timedelta(days=1)


def pre_appointment_start(data: CampaignData) -> dt.date:
    """The start of the 任前公示: [[timeline]] key "pre_appointment_notice"."""
    start = timeline_date(data, "pre_appointment_notice")
    if not isinstance(start, dt.date):
        raise InputErrors([Problem(file=CONFIG, column="[[timeline]] pre_appointment_notice", code="missing-date",
                                   message="缺少任前公示的日期：请在 [[timeline]] 中加入 key = \"pre_appointment_notice\"、"
                                           "name = \"任前公示\"、start = 2026-07-08 这样的一步")])
    return start


def appointment_date(data: CampaignData) -> dt.date:
    """[documents] appointment_date, the 成文日期 of the 任职通知: required, a real date."""
    date = data.campaign.raw.get("documents", {}).get("appointment_date")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise InputErrors([_problem(data, "documents", "appointment_date",
                                    "任职通知的成文日期应写成 2026-07-16 这样的日期，不加引号"
                                    + ("；现在没有写" if date is None else f"；现在是 {date!r}"), "bad-date")])
    return date


def check_appointment_date(data: CampaignData, period: Period) -> dt.date:
    """The 任职通知 may only be dated after the 任前公示 has run its course."""
    date = appointment_date(data)
    if date <= period.end:
        raise InputErrors([_problem(data, "documents", "appointment_date",
                                    f"任职通知的成文日期 {date.isoformat()} 不在任前公示期满（{period.end.isoformat()}）"
                                    "之后；公示期满无异议才能办理任职，请改晚成文日期或提前任前公示", "date-order")])
    return date
