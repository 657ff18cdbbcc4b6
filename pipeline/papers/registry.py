"""Which papers each target makes, from the validated campaign data (the plan of a build)."""
from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from pathlib import Path
from typing import Callable, Sequence

from pipeline.engine.build import Plan
from pipeline.engine.jobs import DocJob
from pipeline.campaign.model import CampaignData
from pipeline.campaign.publish import check_public_papers
from pipeline.engine.safe_paths import component
from pipeline.engine.xlsx_safe import safe_text

# Output folders, numbered in the order of the procedure (DOMAIN.md, "The procedure and the papers").
FORMS_DIR = "03-报名登记表"
REVIEW_DIR = "04-资格审查"
SCORING_DIR = "05-评分表"
BUNDLES_DIR = "bundles"


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with BOM so that Excel opens the Chinese text correctly; every field passes the CSV-injection guard."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    writer.writerows([safe_text(v) for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def timeline_date(data: CampaignData, key: str) -> dt.date | None:
    """The start date of a step of campaign.toml's [[timeline]]."""
    for step in data.campaign.raw.get("timeline", []):
        if step.get("key") == key:
            return step.get("start")
    return None


def plan_forms(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """报名登记表: a blank one, and one pre-filled per applicant."""
    from pipeline.papers.contexts import blank_registration_context, registration_context

    c = data.campaign
    plan.docs.append(DocJob(f"{FORMS_DIR}/报名登记表（空白）", "报名登记表.docx", blank_registration_context(c),
                            family="registration-blank", title="报名登记表（空白）", order=300))
    for a in data.applicants:
        plan.docs.append(DocJob(
            f"{FORMS_DIR}/{component(f'报名登记表-{a.number}-{a.name}')}", "报名登记表.docx",
            registration_context(c, a, data.posts), family="registration",
            title=f"报名登记表 {a.number} {a.name}", bundles=("归档",), order=301))


def _family(module: str, function: str) -> Callable[[CampaignData, Plan, Path], None]:
    """A planner that lives in its document family's module, imported when first used."""

    def run(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
        getattr(importlib.import_module(module), function)(data, plan, campaign_dir)

    return run


# Targets in the order of the procedure; `make all` runs them all.
PLANNERS: dict[str, Callable[[CampaignData, Plan, Path], None]] = {
    "plan": _family("pipeline.papers.implementation", "plan_plan"),
    "speech": _family("pipeline.papers.implementation", "plan_speech"),
    "forms": plan_forms,
    "eligibility": _family("pipeline.papers.review", "plan_eligibility"),
    "scoresheets": _family("pipeline.papers.scoring", "plan_scoresheets"),
    "results": _family("pipeline.papers.scoring", "plan_results"),
    "notices": _family("pipeline.papers.notices", "plan_notices"),
    "letters": _family("pipeline.papers.notices", "plan_letters"),
}
TARGET_ORDER = tuple(PLANNERS)

# Bundles (issue 3 part 5): file name → each paper starts on an odd page (duplex printing).
BUNDLES = {"评委评分表": True, "公示": False, "任职": False, "归档": True}


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
    check_public_papers(plan.docs, data.campaign.raw)
    if any(t in ("all", "bundles") for t in targets):
        for name, duplex in BUNDLES.items():
            members = sorted((j for j in plan.docs if name in j.bundles), key=lambda j: j.order)
            if members:
                plan.bundles.append((f"{BUNDLES_DIR}/{name}.pdf", [(j.title, j.path) for j in members], duplex))
    return plan
