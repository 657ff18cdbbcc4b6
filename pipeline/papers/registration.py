"""报名登记表: a blank one for the office, and one pre-filled per applicant (归档)."""
from __future__ import annotations

from pipeline.campaign.model import CampaignData
from pipeline.engine.jobs import DocJob, Plan
from pipeline.engine.safe_paths import component
from pipeline.outcome import Outcome
from pipeline.papers.common import FORMS_DIR


def plan_forms(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """报名登记表: a blank one, and one pre-filled per applicant."""
    from pipeline.papers.contexts import blank_registration_context, registration_context

    c = data.campaign
    plan.docs.append(DocJob(f"{FORMS_DIR}/报名登记表（空白）", "报名登记表.docx", blank_registration_context(c),
                            batch="registration-blank", title="报名登记表（空白）", order=300))
    for a in data.applicants:
        plan.docs.append(DocJob(
            f"{FORMS_DIR}/{component(f'报名登记表-{a.number}-{a.name}')}", "报名登记表.docx",
            registration_context(c, a, data.posts), batch="registration",
            title=f"报名登记表 {a.number} {a.name}", bundles=("归档",), order=301))
