"""公示 and 任职 papers (issue 6 parts 2–4): 考察对象公示/成绩公示, 任前公示, 任职通知, 聘任书.

Start dates (decided here, said in campaign.toml):
- 考察对象公示: [notice] inspection_notice_start if written; otherwise the day after the 演讲答辩 step
  ([[timeline]] key "speech") ends — the scores are totalled that day. A weekend start moves to the next
  working day (pipeline.campaign.workdays.notice_period).
- 任前公示: [[timeline]] key "pre_appointment_notice" (required for this paper).
Length: [notice] working_days; 任前公示 uses [notice] pre_appointment_working_days when written, and must be
at least 5 working days (《党政领导干部选拔任用工作条例》第四十四条: 公示期不少于五个工作日).
A period reaching a year the calendar does not know raises workdays.CalendarGapError, unchanged.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Sequence

from pipeline.engine.build import Plan
from pipeline.papers.notices_contexts import (Period, appointment_notice_context, inspection_notice_context,
                                       letter_context, pre_appointment_context)
from pipeline.errors import InputErrors, Problem
from pipeline.engine.jobs import DocJob
from pipeline.campaign.model import CampaignData
from pipeline.papers.registry import timeline_date
from pipeline.engine.safe_paths import component
from pipeline.scoring.compute import CandidateResult

NOTICES_DIR, LETTERS_DIR = "07-公示", "08-任职"
CONFIG = "campaign.toml"
MIN_PRE_APPOINTMENT_DAYS = 5  # 条例 第四十四条: 任前公示 不少于五个工作日
NO_SCORES = "尚未录入评分 — 把填好的 评分录入.xlsx 放进 campaign 文件夹后再运行 make notices / make letters"
# A 拟任 draft never goes into the bundles printed for the notice board or the appointees, only the archive.
DRAFT_BUNDLES = ("归档",)
PROPOSAL_NOTE = ("没有 任职决定.xlsx：任前公示、任职通知和聘任书按各职位排名第一的考察对象生成，标为“拟任建议稿”；"
                 "党委研究决定后，把 任职决定.xlsx 放进 campaign 文件夹再运行")


def config_line(campaign_dir: Path, section: str, key: str) -> int | None:
    """Find the line of `key` in [section] of campaign.toml, so a message can point at it."""
    path = Path(campaign_dir) / CONFIG
    if not path.exists():
        return None
    inside = False
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if re.match(r"^\s*\[", line):
            inside = re.match(rf"^\s*\[\s*{re.escape(section)}\s*\]", line) is not None
        elif inside and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _problem(campaign_dir: Path, section: str, key: str, message: str, code: str) -> Problem:
    return Problem(file=CONFIG, row=config_line(campaign_dir, section, key), column=f"[{section}] {key}",
                   message=message, code=code)


def _working_days(data: CampaignData, campaign_dir: Path, key: str, default: int) -> int:
    value = data.campaign.raw.get("notice", {}).get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputErrors([_problem(campaign_dir, "notice", key, f"公示期应写成正整数（工作日数），现在是 {value!r}",
                                    "bad-number")])
    return value


def notice_days(data: CampaignData, campaign_dir: Path) -> tuple[int, int]:
    """Return the working days of the 考察对象公示 and of the 任前公示 (at least 5, else a located error)."""
    days = _working_days(data, campaign_dir, "working_days", 5)
    key = "pre_appointment_working_days" if "pre_appointment_working_days" in data.campaign.raw.get("notice", {}) \
        else "working_days"
    pre = _working_days(data, campaign_dir, key, days)
    if pre < MIN_PRE_APPOINTMENT_DAYS:
        raise InputErrors([_problem(
            campaign_dir, "notice", key, f"任前公示不得少于{MIN_PRE_APPOINTMENT_DAYS}个工作日（《党政领导干部选拔任用"
            f"工作条例》第四十四条），现在是{pre}个；请改为 {MIN_PRE_APPOINTMENT_DAYS} 或更多（只想缩短其他公示时，"
            f"另写 pre_appointment_working_days = {MIN_PRE_APPOINTMENT_DAYS}）", "notice-too-short")])
    return days, pre


def _timeline_end(data: CampaignData, key: str) -> dt.date | None:
    for step in data.campaign.raw.get("timeline", []):
        if step.get("key") == key:
            return step.get("end") or step.get("start")
    return None


def publish_scores(data: CampaignData, campaign_dir: Path) -> bool:
    """[notice] publish_scores: only a real true/false; "false" in quotes must not publish everyone's scores."""
    value = data.campaign.raw.get("notice", {}).get("publish_scores", False)
    if not isinstance(value, bool):
        raise InputErrors([_problem(campaign_dir, "notice", "publish_scores",
                                    f"应写 true（公布成绩）或 false（不公布），不加引号；现在是 {value!r}", "bad-flag")])
    return value


def inspection_notice_start(data: CampaignData, campaign_dir: Path) -> dt.date:
    """[notice] inspection_notice_start, else the day after the 演讲答辩 step ends."""
    start = data.campaign.raw.get("notice", {}).get("inspection_notice_start")
    if isinstance(start, dt.date) and not isinstance(start, dt.datetime):
        return start
    if start is not None:
        raise InputErrors([_problem(campaign_dir, "notice", "inspection_notice_start",
                                    f"应写成 2026-06-29 这样的日期，不加引号；现在是 {start!r}", "bad-date")])
    speech = _timeline_end(data, "speech")
    if speech is None:
        raise InputErrors([_problem(campaign_dir, "notice", "inspection_notice_start",
                                    "无法确定考察对象公示的日期：[[timeline]] 中没有 key = \"speech\" 的步骤；"
                                    "请在 [notice] 中写 inspection_notice_start = 2026-06-29 这样的日期", "missing-date")])
    return speech + dt.timedelta(days=1)


def pre_appointment_start(data: CampaignData, campaign_dir: Path) -> dt.date:
    """The start of the 任前公示: [[timeline]] key "pre_appointment_notice"."""
    start = timeline_date(data, "pre_appointment_notice")
    if not isinstance(start, dt.date):
        raise InputErrors([Problem(file=CONFIG, column="[[timeline]] pre_appointment_notice", code="missing-date",
                                   message="缺少任前公示的日期：请在 [[timeline]] 中加入 key = \"pre_appointment_notice\"、"
                                           "name = \"任前公示\"、start = 2026-07-08 这样的一步")])
    return start


def period_from(campaign_dir: Path, start: dt.date, days: int) -> Period:
    """Compute a 公示期 with the campaign's holiday file; CalendarGapError propagates with its message."""
    from pipeline.campaign.workdays import load_campaign_holidays, notice_period

    first, last = notice_period(start, days, load_campaign_holidays(campaign_dir))
    return Period(first, last, days)


def appointment_date(data: CampaignData, campaign_dir: Path) -> dt.date:
    """[documents] appointment_date, the 成文日期 of the 任职通知: required, a real date."""
    date = data.campaign.raw.get("documents", {}).get("appointment_date")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise InputErrors([_problem(campaign_dir, "documents", "appointment_date",
                                    "任职通知的成文日期应写成 2026-07-16 这样的日期，不加引号"
                                    + ("；现在没有写" if date is None else f"；现在是 {date!r}"), "bad-date")])
    return date


def check_appointment_date(data: CampaignData, campaign_dir: Path, period: Period) -> None:
    """The 任职通知 may only be dated after the 任前公示 has run its course."""
    date = appointment_date(data, campaign_dir)
    if date <= period.end:
        raise InputErrors([_problem(campaign_dir, "documents", "appointment_date",
                                    f"任职通知的成文日期 {date.isoformat()} 不在任前公示期满（{period.end.isoformat()}）"
                                    "之后；公示期满无异议才能办理任职，请改晚成文日期或提前任前公示", "date-order")])


def scored_results(data: CampaignData, campaign_dir: Path) -> list[CandidateResult] | None:
    """Every candidate's rank and 考察对象 status, or None while 评分录入.xlsx is not in the campaign folder."""
    from pipeline.papers.scoring import campaign_results

    return campaign_results(data, Path(campaign_dir))


def score_formula(data: CampaignData) -> str:
    """Say how the published parts make the total, so a reader can recompute it (DOMAIN.md, Scoring)."""
    from pipeline.scoring.stage import scheme_of

    scheme = scheme_of(data)
    parts = [(c.name, c.weight) for c in scheme.components] or [(g.name, g.weight) for g in scheme.groups]
    total = sum(w for _, w in parts)
    text = "＋".join(f"{name}×{weight.normalize():f}" for name, weight in parts)
    bonus = f"，再加{scheme.bonus.name}" if scheme.bonus else ""
    return (f"总成绩＝（{text}）÷{total.normalize():f}{bonus}；各部分得分为去掉一个最高分和一个最低分后的平均分，"
            f"均四舍五入保留{scheme.decimals}位小数。")


def plan_inspection_notice(data: CampaignData, plan: Plan, campaign_dir: Path,
                           results: Sequence[CandidateResult]) -> None:
    """考察对象公示, or 成绩公示 (with the scores) where [notice] publish_scores is true."""
    show = publish_scores(data, campaign_dir)
    days, _ = notice_days(data, campaign_dir)
    period = period_from(campaign_dir, inspection_notice_start(data, campaign_dir), days)
    people = {a.number: a for a in data.applicants}
    ranked = [r for r in results if r.rank is not None]
    context = inspection_notice_context(data.campaign, data.posts, people, ranked, period, show,
                                        score_formula(data) if show else "")
    name = "成绩及考察对象公示" if show else "考察对象公示"
    plan.docs.append(DocJob(f"{NOTICES_DIR}/{name}", "考察对象公示.docx", context, family="notice-inspection",
                            title=name, public=True, bundles=("公示", "归档"), order=700))


def plan_pre_appointment_notice(data: CampaignData, plan: Plan, campaign_dir: Path, appointments,
                                decided: bool) -> None:
    """任前公示 of the people the committee decided on (or the proposal, marked 拟任建议稿)."""
    _, days = notice_days(data, campaign_dir)
    period = period_from(campaign_dir, pre_appointment_start(data, campaign_dir), days)
    check_appointment_date(data, campaign_dir, period)
    name = "任前公示" if decided else "任前公示（拟任建议稿）"
    plan.docs.append(DocJob(f"{NOTICES_DIR}/{name}", "任前公示.docx",
                            pre_appointment_context(data.campaign, appointments, period, not decided),
                            family="notice-pre-appointment", title=name, public=True,
                            bundles=("公示", "归档") if decided else DRAFT_BUNDLES, order=710))


def _decisions(data: CampaignData, plan: Plan, campaign_dir: Path, results, note: bool):
    from pipeline.appointment.decisions import load_decisions

    appointments, decided = load_decisions(campaign_dir, data, results)
    if not decided and note:
        plan.skipped.append(("任职决定", PROPOSAL_NOTE))
    return appointments, decided


def plan_notices(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """考察对象公示 (or 成绩公示) and 任前公示, once the scores are typed in."""
    results = scored_results(data, campaign_dir)
    if results is None:
        plan.skipped += [("考察对象公示", NO_SCORES), ("任前公示", NO_SCORES)]
        plan.retired.add(NOTICES_DIR)
        return
    plan_inspection_notice(data, plan, campaign_dir, results)
    appointments, decided = _decisions(data, plan, campaign_dir, results, note=True)
    plan_pre_appointment_notice(data, plan, campaign_dir, appointments, decided)


def plan_letters(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """任职通知 (one party-committee document) and a 聘任书 per appointee."""
    results = scored_results(data, campaign_dir)
    if results is None:
        plan.skipped += [("任职通知", NO_SCORES), ("聘任书", NO_SCORES)]
        plan.retired.add(LETTERS_DIR)
        return
    _, pre_days = notice_days(data, campaign_dir)
    check_appointment_date(data, campaign_dir,
                           period_from(campaign_dir, pre_appointment_start(data, campaign_dir), pre_days))
    already = any(paper == "任职决定" for paper, _ in plan.skipped)
    appointments, decided = _decisions(data, plan, campaign_dir, results, note=not already)
    mark = "" if decided else "（拟任建议稿）"
    plan.docs.append(DocJob(f"{LETTERS_DIR}/任职通知{mark}", "任职通知.docx",
                            appointment_notice_context(data.campaign, appointments, not decided),
                            family="appointment-notice", title=f"任职通知{mark}",
                            bundles=("任职", "归档") if decided else DRAFT_BUNDLES, order=800))
    for i, a in enumerate(appointments, 1):
        plan.docs.append(DocJob(
            f"{LETTERS_DIR}/{component(f'聘任书{mark}-{a.applicant.number}-{a.applicant.name}')}", "聘任书.docx",
            letter_context(data.campaign, a, not decided), family="appointment-letter",
            title=f"聘任书 {a.applicant.name}（{a.post.title}）{mark}",
            bundles=("任职", "归档") if decided else DRAFT_BUNDLES, order=810))
