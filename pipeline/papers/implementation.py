"""The plan family (issue 8): 实施方案 with its 附件 职位表, and the 动员讲话."""
from __future__ import annotations

from pathlib import Path

from pipeline.engine.build import Plan
from pipeline.engine.jobs import DocJob
from pipeline.campaign.model import CampaignData
from pipeline.engine.safe_paths import component

PLAN_DIR = "01-实施方案"
SPEECH_DIR = "02-动员讲话"


def plan_plan(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """实施方案: published (四公开: 职位、方案、程序、结果), so it also goes into the 公示 bundle."""
    from pipeline.papers.implementation_contexts import plan_context
    from pipeline.papers.notices import notice_days

    notice_days(data, campaign_dir)  # the plan states the 任前公示 period: under 5 working days is refused here too
    title = f"{data.campaign.title}实施方案"
    plan.docs.append(DocJob(f"{PLAN_DIR}/{component(title)}", "实施方案.docx", plan_context(data), family="plan",
                            title=title, public=True, bundles=("公示", "归档"), order=100))


def plan_speech(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """动员讲话 for the speaker of campaign.toml [speaker]."""
    from pipeline.papers.implementation_contexts import speech_context

    title = f"在{data.campaign.title}动员会上的讲话"
    plan.docs.append(DocJob(f"{SPEECH_DIR}/{component(title)}", "动员讲话.docx", speech_context(data), family="speech",
                            title=title, bundles=("归档",), order=200))
