"""`make status`: one screen for the clerk — where the campaign stands and what to do next."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from pipeline.campaign.model import CampaignData
from pipeline.engine.jobs import Skipped
from pipeline.outcome import Outcome
from pipeline.engine.jinja_env import chinese_date as _cn


def _span(start: dt.date, end: dt.date | None) -> str:
    return _cn(start) if end is None or end == start else f"{_cn(start)}至{_cn(end)}"


def timeline_lines(data: CampaignData, today: dt.date, ends: dict[str, dt.date]) -> list[str]:
    """Each step with its dates, marked done / under way / to come against today.

    A step written with its start only lasts that day, except a notice step, which lasts its 公示期 (`ends`).
    """
    lines = []
    for step in data.campaign.settings.timeline:
        last = step.end or ends.get(step.key, step.start)
        mark = "已完成" if last < today else ("进行中" if step.start <= today else "未开始")
        lines.append(f"  [{mark}] {step.name}：{_span(step.start, last)}")
    return lines


def _both(numbers: Sequence[str]) -> str:
    """A count in candidacies and in people (报名序号 once each): 考察对象 77 人次（69 人）, or 8 人 when equal."""
    people = len(set(numbers))
    return f"{people} 人" if people == len(numbers) else f"{len(numbers)} 人次（{people} 人）"


def counts(data: CampaignData, outcome: Outcome) -> list[str]:
    """Posts, places, applicants, applications, eligible, scored, inspection candidates, appointed."""
    from pipeline.appointment.decisions import DECISION_FILE

    posts, reviews = data.posts, outcome.reviews
    principal = sum(1 for p in posts if p.category == "正职")
    eligible = [number for numbers in outcome.eligible.values() for number in numbers]  # 报名序号 per post
    lines = [f"  职位 {len(posts)} 个（正职 {principal} 个，副职 {len(posts) - principal} 个），职数 {sum(p.places for p in posts)} 名",
             f"  报名 {len(data.applicants)} 人，报考 {len(reviews)} 人次；资格审查合格 {_both(eligible)}，"
             f"不合格 {len(reviews) - len(eligible)} 人次"]
    results = outcome.results
    if results is None:
        lines.append("  评分：尚未录入")
        return lines
    inspected = [r.candidate.number for r in results if r.inspection]
    ties = sum(1 for r in results if r.tie_at_cutoff)
    committee = data.campaign.settings.organisation.committee  # docs/reference.md, 单位类型
    tie_text = f"，另有 {ties} 人在入围线上同分，待{committee}研究确定" if ties else ""
    scored = [r.candidate.number for r in results if not r.reassigned]  # a 调剂 placement is not scored on its own
    lines.append(f"  已录入评分 {_both(scored)}；考察对象 {_both(inspected)}{tie_text}")
    from pipeline.appointment.allocation import vacancy_text

    vacant = vacancy_text(posts, outcome.allocation)  # 空缺: posts short of 考察对象 after 志愿 and 调剂
    if vacant:
        lines.append(f"  {vacant}")
    lines.append(f"  已决定任职 {len(outcome.appointments)} 人" if outcome.decided
                 else f"  尚无 {DECISION_FILE}：按排名拟任 {len(outcome.appointments)} 人（建议稿）")
    return lines


def round_lines(outcome: Outcome) -> list[str]:
    """Each round reached: how many take part, whether it is typed, and how many its shortlist let through."""
    lines = []
    for stage in outcome.stages:
        people = len({c.number for c in stage.candidates})
        taking = f"参加 {len(stage.candidates)} 人次（{people} 人）"
        if not stage.typed:
            lines.append(f"  {stage.round.name}：{taking}，尚未录入")
            continue
        line = f"  {stage.round.name}：{taking}，已录入"
        if stage.shortlist:
            through = [r for r in stage.shortlist if r.passed]
            tied = sum(1 for r in through if r.tied_at_cut)
            line += f"；{stage.round.shortlist.text()}入围 {len(through)} 人次"
            line += f"（其中末位同分一并入围 {tied} 人次）" if tied else ""
        lines.append(line)
    return lines


def notice_periods(outcome: Outcome) -> list[tuple[str, dt.date, dt.date]]:
    """The notice periods the outcome has reached: (name, first day, last day)."""
    review = outcome.review_notice
    periods = [("资格审查结果公示", review.start, review.end)]
    for name, period in (("考察对象公示", outcome.inspection_notice), ("任前公示", outcome.pre_appointment_notice)):
        if period is not None:
            periods.append((name, period.start, period.end))
    return periods


def notice_lines(periods: Sequence[tuple[str, dt.date, dt.date]], today: dt.date) -> list[str]:
    """Each notice period with its state against today."""
    lines = []
    for name, start, end in periods:
        state = "已期满" if end < today else ("公示中" if start <= today else "未开始")
        lines.append(f"  {name}：{_span(start, end)}（{state}）")
    return lines


def next_step(skipped: Sequence[Skipped], out_dir: Path | str = "outputs") -> str:
    """What the clerk should do next, from what the build had to leave out; the bundles are named where this
    build writes them (make all OUT=…), not where the default would."""
    for s in skipped:
        return f"下一步：{s.next_step}" if s.next_step else f"下一步：{s.paper} — {s.reason}"
    return f"下一步：全部文书均可生成；运行 make bundles 后打印 {Path(out_dir) / 'bundles'}/ 中的打印包。"


def campaign_status(campaign_dir: Path, today: dt.date, out_dir: Path | str = "outputs") -> list[str]:
    """The status screen, line by line: the same outcome and plan a build computes."""
    from pipeline.run import plan_campaign

    prepared, plan = plan_campaign(campaign_dir, ["all"])
    data, outcome = prepared.data, prepared.outcome
    c = data.campaign
    periods = notice_periods(outcome)
    ends = {"pre_appointment_notice": end for name, _, end in periods if name == "任前公示"}
    lines = [f"{c.org_name} {c.title}（今天：{_cn(today)}；报名截止日：{_cn(c.reference_date)}）",
             "工作步骤：", *timeline_lines(data, today, ends),
             "人数：", *counts(data, outcome),
             *(["轮次："] + round_lines(outcome) if len(outcome.stages) > 1 else []),
             "公示期：", *(notice_lines(periods, today) or ["  暂无"])]
    if plan.skipped:
        lines.append("暂不能生成：")
        lines += [f"  {s.paper}：{s}" for s in plan.skipped]
    lines.append(next_step(plan.skipped, out_dir))
    return lines
