"""Which papers each target makes: planners, pure functions of (campaign, outcome), in the order of the procedure."""
from __future__ import annotations

from typing import Callable, Sequence

from pipeline.campaign.model import CampaignData
from pipeline.campaign.publish import check_public_papers
from pipeline.engine.jobs import Plan
from pipeline.outcome import Outcome
from pipeline.papers import allocation, implementation, notices, registration, review, scoring, shortlists
from pipeline.papers.common import BUNDLES_DIR

Planner = Callable[[CampaignData, Outcome, Plan], None]

# Targets in the order of the procedure; `make all` runs them all. "plan" is the target of the 实施方案.
PLANNERS: dict[str, Planner] = {
    "plan": implementation.plan_implementation,
    "speech": implementation.plan_speech,
    "forms": registration.plan_forms,
    "eligibility": review.plan_eligibility,
    "scoresheets": scoring.plan_scoresheets,
    "results": shortlists.with_round_lists(allocation.plan_results),  # shortlists, 成绩汇总, 职位分配记录
    "notices": notices.plan_notices,
    "letters": notices.plan_letters,
}
TARGET_ORDER = tuple(PLANNERS)

# Print bundles: file name → each paper starts on an odd page (duplex printing).
BUNDLES = {"评委评分表": True, "公示": False, "任职": False, "归档": True}


def expand_targets(targets: Sequence[str]) -> list[str]:
    """'all' and 'bundles' mean every target whose papers exist."""
    if any(t in ("all", "bundles") for t in targets):
        return list(TARGET_ORDER)
    return [t for t in TARGET_ORDER if t in targets]


def plan_outputs(data: CampaignData, outcome: Outcome, targets: Sequence[str]) -> Plan:
    """Every paper and file the targets ask for, plus the bundles when asked."""
    # Every short form read as a standard's value is said on every build, as make check says it.
    plan = Plan(title=data.campaign.title, author=data.campaign.org_name, notes=[str(r) for r in data.readings])
    for target in expand_targets(targets):
        PLANNERS[target](data, outcome, plan)
    check_public_papers(plan.docs, data.campaign.settings)
    if any(t in ("all", "bundles") for t in targets):
        for name, duplex in BUNDLES.items():
            members = sorted((j for j in plan.docs if name in j.bundles), key=lambda j: j.order)
            if members:
                plan.bundles.append((f"{BUNDLES_DIR}/{name}.pdf", [(j.title, j.path) for j in members], duplex))
    return plan
