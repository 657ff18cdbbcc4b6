"""实施方案 (the target `plan`) with its 附件 职位表, and the 动员讲话."""
from __future__ import annotations

from pipeline.campaign.model import CampaignData
from pipeline.engine.jobs import DocJob, Plan
from pipeline.engine.safe_paths import component
from pipeline.outcome import Outcome

PLAN_DIR = "01-实施方案"
SPEECH_DIR = "02-动员讲话"


def plan_implementation(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """实施方案: published (四公开: 职位、方案、程序、结果), so it also goes into the 公示 bundle."""
    from pipeline.papers.implementation_contexts import plan_context

    title = f"{data.campaign.title}实施方案"
    plan.docs.append(DocJob(f"{PLAN_DIR}/{component(title)}", "实施方案.docx", plan_context(data, outcome.notice_days[1]), batch="plan",
                            title=title, public=True, bundles=("公示", "归档"), order=100))


def plan_speech(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """动员讲话 for the speaker of campaign.toml [speaker]."""
    from pipeline.papers.implementation_contexts import speech_context

    title = f"在{data.campaign.title}动员会上的讲话"
    plan.docs.append(DocJob(f"{SPEECH_DIR}/{component(title)}", "动员讲话.docx", speech_context(data, outcome.notice_days[1]), batch="speech",
                            title=title, bundles=("归档",), order=200))
