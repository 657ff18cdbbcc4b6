"""资格审查 papers (issue 4): the CSV, and — to come — 资格审查表 and 资格审查结果公示."""
from __future__ import annotations

from pathlib import Path

from pipeline.build import Plan
from pipeline.jobs import FileJob
from pipeline.model import CampaignData
from pipeline.papers import csv_bytes


def review_results(data: CampaignData):
    """Eligibility review of every application (pure; see pipeline.eligibility)."""
    from pipeline.eligibility import load_rules, review

    return review(data, load_rules(data))


def plan_eligibility(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """eligibility.csv: one row per application (issue 4: 报名序号, 姓名, 职位代码, 资格审查结果, 原因)."""
    rows = [(r.applicant_number, r.name, r.post_code, r.verdict, r.reason_text) for r in review_results(data)]
    plan.files.append(FileJob("eligibility.csv", csv_bytes(("报名序号", "姓名", "职位代码", "资格审查结果", "原因"), rows)))


