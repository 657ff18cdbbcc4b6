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
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from pipeline.campaign.model import CampaignData
from pipeline.campaign.settings import PLAN_KEYS, SPEECH_KEYS
from pipeline.campaign.timeline import find_step
from pipeline.campaign.workdays import notice_period
from pipeline.errors import InputErrors, Problem, ProblemCollector

T = TypeVar("T")

CONFIG = "campaign.toml"


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


def _problem(data: CampaignData, path: str, message: str, code: str) -> Problem:
    """A campaign.toml problem at key path `path` (notice.working_days), with its line."""
    [located] = data.campaign.settings.locate([Problem(file=CONFIG, column=path, message=message, code=code)])
    return located


def timeline_date(data: CampaignData, key: str) -> dt.date | None:
    """The start date of a step of campaign.toml's [[timeline]]."""
    step = find_step(data.campaign.settings.timeline, key)
    return step.start if step else None


def timeline_end(data: CampaignData, key: str) -> dt.date | None:
    """The last day of a [[timeline]] step (its start when it has no end)."""
    step = find_step(data.campaign.settings.timeline, key)
    return (step.end or step.start) if step else None


def period_from(data: CampaignData, start: dt.date, days: int) -> Period:
    """Compute a 公示期 with the campaign's holiday file; CalendarGapError propagates with its message."""
    first, last = notice_period(start, days, data.holidays)
    return Period(first, last, days)


# --- 资格审查结果公示 ---

def _posted(data: CampaignData, configured: dt.date | None, step: str, path: str, missing: str) -> dt.date:
    """A 公示's first day: as configured, else the day after the [[timeline]] step `step` ends."""
    if configured is not None:
        return configured
    end = timeline_end(data, step)
    if end is None:
        raise InputErrors([_problem(data, path, missing, "missing-date")])
    return end + dt.timedelta(days=1)


def review_notice_start(data: CampaignData) -> dt.date:
    """The day the 资格审查结果公示 is posted: configured, or the day after the review step ends."""
    return _posted(data, data.campaign.settings.notice.review_notice_start, "review", "notice.review_notice_start",
                   "无法确定资格审查结果公示的张贴日期：请在 [notice] 中写 review_notice_start = 2026-06-17"
                   "（日期不加引号），或在 [[timeline]] 中写明 key = \"review\" 的资格审查步骤及其起止日期。")


def review_notice_facts(data: CampaignData) -> NoticeFacts:
    """The 公示期, the office's 受理电话 and 受理地址, and the issue date, from campaign.toml and the calendar."""
    settings = data.campaign.settings
    missing = settings.missing("notice.phone", "notice.address")  # every 公示 says where objections go
    if missing:
        raise InputErrors(missing)
    notice = settings.notice
    posted = review_notice_start(data)
    start, end = notice_period(posted, notice.working_days, data.holidays)
    return NoticeFacts(start, end, notice.working_days, notice.phone, notice.address, posted)


# --- 考察对象公示 and 任前公示 ---

def notice_days(data: CampaignData) -> tuple[int, int]:
    """The working days of the 考察对象公示 and of the 任前公示 (at least 5: checked when campaign.toml is read)."""
    notice = data.campaign.settings.notice
    return notice.working_days, notice.pre_appointment_days


def publish_scores(data: CampaignData) -> bool:
    """[notice] publish_scores: a real true/false (a quoted "false" is refused when campaign.toml is read)."""
    return data.campaign.settings.notice.publish_scores


def inspection_notice_start(data: CampaignData) -> dt.date:
    """[notice] inspection_notice_start, else the day after the 演讲答辩 step ends (the scores are totalled that day)."""
    return _posted(data, data.campaign.settings.notice.inspection_notice_start, "speech",
                   "notice.inspection_notice_start",
                   "无法确定考察对象公示的日期：[[timeline]] 中没有 key = \"speech\" 的步骤；"
                   "请在 [notice] 中写 inspection_notice_start = 2026-06-29 这样的日期")


def pre_appointment_start(data: CampaignData) -> dt.date:
    """The start of the 任前公示: [[timeline]] key "pre_appointment_notice"."""
    start = timeline_date(data, "pre_appointment_notice")
    if start is None:
        raise InputErrors([_problem(data, "timeline", "缺少任前公示的日期：请在 [[timeline]] 中加入 key = "
                                    "\"pre_appointment_notice\"、name = \"任前公示\"、start = 2026-07-08 这样的一步",
                                    "missing-date")])
    return start


def appointment_date(data: CampaignData) -> dt.date:
    """[documents] appointment_date, the 成文日期 of the 任职通知: required once there are appointments."""
    date = data.campaign.settings.documents.appointment_date
    if date is None:
        raise InputErrors([_problem(data, "documents.appointment_date",
                                    "任职通知的成文日期应写成 2026-07-16 这样的日期，不加引号；现在没有写", "bad-date")])
    return date


def check_appointment_date(data: CampaignData, period: Period) -> dt.date:
    """The 任职通知 may only be dated after the 任前公示 has run its course."""
    date = appointment_date(data)
    if date <= period.end:
        raise InputErrors([_problem(data, "documents.appointment_date",
                                    f"任职通知的成文日期 {date.isoformat()} 不在任前公示期满（{period.end.isoformat()}）"
                                    "之后；公示期满无异议才能办理任职，请改晚成文日期或提前任前公示", "date-order")])
    return date


@dataclass(frozen=True)
class CampaignDates:
    """Every 公示's period, known from campaign.toml and the calendar alone."""

    review_notice: NoticeFacts
    notice_days: tuple[int, int]  # working days of the 考察对象公示 and of the 任前公示
    inspection_notice: Period
    pre_appointment_notice: Period


def campaign_dates(data: CampaignData) -> CampaignDates:
    """The 公示 dates and the keys the papers need, all checked at once (InputErrors lists every problem).

    Every command checks them from the first day, so a campaign that cannot reach its appointments, or whose
    实施方案 lacks a key, is refused before anything is printed.
    """
    problems = ProblemCollector()
    settings = data.campaign.settings
    problems.extend(settings.missing(*dict.fromkeys(PLAN_KEYS + SPEECH_KEYS)))
    review = _attempt(problems, lambda: review_notice_facts(data))
    days = notice_days(data)
    inspection = _attempt(problems, lambda: period_from(data, inspection_notice_start(data), days[0]))
    pre = _attempt(problems, lambda: period_from(data, pre_appointment_start(data), days[1]))
    if pre is not None:
        _attempt(problems, lambda: check_appointment_date(data, pre))
    problems.raise_if_any()
    return CampaignDates(review, days, inspection, pre)


def _attempt(problems: ProblemCollector, step: Callable[[], T]) -> T | None:
    """Run one independent check; its problems join the others, so the clerk sees them all at once."""
    try:
        return step()
    except InputErrors as exc:
        problems.extend(exc.problems)
        return None
