"""`make status`: one screen for the clerk — where the campaign stands and what to do next."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from pipeline.campaign.model import CampaignData
from pipeline.review.periods import chinese_date as _cn


def _span(start: dt.date, end: dt.date | None) -> str:
    return _cn(start) if end is None or end == start else f"{_cn(start)}至{_cn(end)}"


def timeline_lines(data: CampaignData, today: dt.date, ends: dict[str, dt.date]) -> list[str]:
    """Each step with its dates, marked done / under way / to come against today.

    A step written with its start only lasts that day, except a notice step, which lasts its 公示期 (`ends`).
    """
    from pipeline.campaign.timeline import load_timeline

    lines = []
    for step in load_timeline(data.campaign.raw):
        last = step.end or ends.get(step.key, step.start)
        mark = "已完成" if last < today else ("进行中" if step.start <= today else "未开始")
        lines.append(f"  [{mark}] {step.name}：{_span(step.start, last)}")
    return lines


def counts(data: CampaignData, campaign_dir: Path) -> tuple[list[str], dict]:
    """Posts, places, applicants, applications, eligible, scored, inspection candidates, appointed."""
    from pipeline.appointment.decisions import DECISION_FILE, load_decisions
    from pipeline.review.eligibility import eligible_candidates
    from pipeline.papers.review import review_results
    from pipeline.papers.scoring import campaign_results

    posts = data.posts
    principal = sum(1 for p in posts if p.category == "正职")
    reviews = review_results(data)
    eligible = sum(len(v) for v in eligible_candidates(reviews).values())
    lines = [f"  职位 {len(posts)} 个（正职 {principal} 个，副职 {len(posts) - principal} 个），职数 {sum(p.places for p in posts)} 名",
             f"  报名 {len(data.applicants)} 人，报考 {len(reviews)} 人次；资格审查合格 {eligible} 人次，不合格 {len(reviews) - eligible} 人次"]
    facts = {"results": None, "decided": False}
    results = campaign_results(data, campaign_dir)
    if results is None:
        lines.append("  评分：尚未录入")
        return lines, facts
    facts["results"] = results
    inspected = sum(1 for r in results if r.inspection)
    ties = sum(1 for r in results if r.tie_at_cutoff)
    tie_text = f"，另有 {ties} 人在入围线上同分，待党委研究确定" if ties else ""
    lines.append(f"  已录入评分 {len(results)} 人次；考察对象 {inspected} 人{tie_text}")
    appointments, decided = load_decisions(campaign_dir, data, results)
    facts["decided"] = decided
    lines.append(f"  已决定任职 {len(appointments)} 人" if decided
                 else f"  尚无 {DECISION_FILE}：按排名拟任 {len(appointments)} 人（建议稿）")
    return lines, facts


def notice_periods(data: CampaignData, campaign_dir: Path, facts: dict) -> list[tuple[str, dt.date, dt.date]]:
    """The notice periods the data allows to compute: (name, first day, last day)."""
    from pipeline.papers.notices import inspection_notice_start, notice_days, period_from, pre_appointment_start
    from pipeline.papers.review import notice_facts

    review = notice_facts(data, campaign_dir)
    periods = [("资格审查结果公示", review.start, review.end)]
    if facts["results"] is not None:
        days, pre_days = notice_days(data, campaign_dir)
        p = period_from(campaign_dir, inspection_notice_start(data, campaign_dir), days)
        periods.append(("考察对象公示", p.start, p.end))
        p = period_from(campaign_dir, pre_appointment_start(data, campaign_dir), pre_days)
        periods.append(("任前公示", p.start, p.end))
    return periods


def notice_lines(periods: Sequence[tuple[str, dt.date, dt.date]], today: dt.date) -> list[str]:
    """Each notice period with its state against today."""
    lines = []
    for name, start, end in periods:
        state = "已期满" if end < today else ("公示中" if start <= today else "未开始")
        lines.append(f"  {name}：{_span(start, end)}（{state}）")
    return lines


def next_step(skipped: Sequence[tuple[str, str]]) -> str:
    """What the clerk should do next, from what the build had to leave out."""
    for paper, why in skipped:
        if "—" in why:
            return f"下一步：{why.split('—', 1)[1].strip()}"
        return f"下一步：{paper} — {why}"
    return "下一步：全部文书均可生成；运行 make bundles 后打印 outputs/bundles/ 中的打印包。"


def campaign_status(campaign_dir: Path, today: dt.date) -> list[str]:
    """The status screen, line by line."""
    from pipeline.campaign.load import load_campaign_folder
    from pipeline.papers.registry import plan_outputs

    data = load_campaign_folder(campaign_dir)
    c = data.campaign
    count_lines, facts = counts(data, campaign_dir)
    periods = notice_periods(data, campaign_dir, facts)
    ends = {"pre_appointment_notice": end for name, _, end in periods if name == "任前公示"}
    plan = plan_outputs(data, ["all"], campaign_dir=campaign_dir)
    lines = [f"{c.org_name} {c.title}（今天：{_cn(today)}；报名截止日：{_cn(c.reference_date)}）",
             "工作步骤：", *timeline_lines(data, today, ends),
             "人数：", *count_lines,
             "公示期：", *(notice_lines(periods, today) or ["  暂无"])]
    if plan.skipped:
        lines.append("暂不能生成：")
        lines += [f"  {paper}：{why}" for paper, why in plan.skipped]
    lines.append(next_step(plan.skipped))
    return lines
