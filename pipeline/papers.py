"""Which papers each target makes, from the validated campaign data (the plan of a build)."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Callable, Sequence

from pipeline.build import Plan
from pipeline.jobs import DocJob, FileJob
from pipeline.model import CampaignData

# Output folders, numbered in the order of the procedure (DOMAIN.md, "The procedure and the papers").
FORMS_DIR = "03-报名登记表"
REVIEW_DIR = "04-资格审查"
SCORING_DIR = "05-评分表"
BUNDLES_DIR = "bundles"

TARGET_ORDER = ("forms", "eligibility", "scoresheets")


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with BOM so that Excel opens the Chinese text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def timeline_date(data: CampaignData, key: str) -> dt.date | None:
    """The start date of a step of campaign.toml's [[timeline]]."""
    for step in data.campaign.raw.get("timeline", []):
        if step.get("key") == key:
            return step.get("start")
    return None


def plan_forms(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """报名登记表: a blank one, and one pre-filled per applicant."""
    from pipeline.contexts import blank_registration_context, registration_context

    c = data.campaign
    plan.docs.append(DocJob(f"{FORMS_DIR}/报名登记表（空白）", "报名登记表.docx", blank_registration_context(c),
                            family="registration-blank", title="报名登记表（空白）", order=300))
    for a in data.applicants:
        plan.docs.append(DocJob(
            f"{FORMS_DIR}/报名登记表-{a.number}-{a.name}", "报名登记表.docx",
            registration_context(c, a, data.posts), family="registration",
            title=f"报名登记表 {a.number} {a.name}", bundles=("归档",), order=301))


def review_results(data: CampaignData):
    """Eligibility review of every application (pure; see pipeline.eligibility)."""
    from pipeline.eligibility import load_rules, review

    return review(data, load_rules(data))


def plan_eligibility(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """eligibility.csv: one row per application (issue 4: 报名序号, 姓名, 职位代码, 资格审查结果, 原因)."""
    rows = [(r.applicant_number, r.name, r.post_code, r.verdict, r.reason_text) for r in review_results(data)]
    plan.files.append(FileJob("eligibility.csv", csv_bytes(("报名序号", "姓名", "职位代码", "资格审查结果", "原因"), rows)))


def plan_scoresheets(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """评分表 for every judge, candidates in the recorded draw order."""
    from pipeline.contexts import scoresheet_context
    from pipeline.draw import draw_order
    from pipeline.eligibility import eligible_candidates

    by_number = {a.number: a for a in data.applicants}
    eligible = {code: [by_number[n] for n in numbers]
                for code, numbers in eligible_candidates(review_results(data)).items()}
    seed = str(data.campaign.raw.get("scoring", {}).get("draw_seed", data.campaign.title))
    draws = draw_order(data.posts, eligible, seed)
    rows = [(d.order, d.post.code, d.post.title, d.applicant.number, d.applicant.name) for d in draws]
    plan.files.append(FileJob(f"{SCORING_DIR}/抽签顺序.csv",
                              csv_bytes(("抽签序号", "职位代码", "职位名称", "报名序号", "姓名"), rows)))
    date = timeline_date(data, "speech")
    candidates = [(d.order, d.applicant, d.post) for d in draws]
    for j in data.judges:
        plan.docs.append(DocJob(
            f"{SCORING_DIR}/评分表-{j.number}-{j.name}", "评分表.docx",
            scoresheet_context(data.campaign, j, candidates, date), family="scoresheet",
            title=f"评分表 {j.number} {j.name}（{j.group}）", bundles=("评委评分表", "归档"), order=500))


PLANNERS: dict[str, Callable[[CampaignData, Plan, Path], None]] = {
    "forms": plan_forms,
    "eligibility": plan_eligibility,
    "scoresheets": plan_scoresheets,
}

# Bundles (issue 3 part 5): file name, whether each paper starts on an odd page (duplex printing).
BUNDLES = {"评委评分表": True, "归档": True}


def expand_targets(targets: Sequence[str]) -> list[str]:
    """'all' and 'bundles' mean every target whose papers exist."""
    if any(t in ("all", "bundles") for t in targets):
        return list(TARGET_ORDER)
    return [t for t in TARGET_ORDER if t in targets]


def plan_outputs(data: CampaignData, targets: Sequence[str], *, campaign_dir: Path) -> Plan:
    """Every paper and file the targets ask for, plus the bundles when asked."""
    plan = Plan()
    for target in expand_targets(targets):
        PLANNERS[target](data, plan, campaign_dir)
    if any(t in ("all", "bundles") for t in targets):
        for name, duplex in BUNDLES.items():
            members = sorted((j for j in plan.docs if name in j.bundles), key=lambda j: j.order)
            if members:
                plan.bundles.append((f"{BUNDLES_DIR}/{name}.pdf", [(j.title, j.path) for j in members], duplex))
    return plan
