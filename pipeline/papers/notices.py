"""公示 and 任职 papers: 考察对象公示/成绩公示, 任前公示, 任职通知, 聘任书.

Their dates and periods: pipeline.campaign.notice_dates (computed once, in the outcome).
"""
from __future__ import annotations

from pipeline.campaign.model import CampaignData
from pipeline.engine.jobs import DocJob, Plan, Skipped
from pipeline.engine.safe_paths import component
from pipeline.outcome import Outcome
from pipeline.papers.notices_contexts import (appointment_notice_context, inspection_notice_context,
                                              letter_context, pre_appointment_context)

NOTICES_DIR, LETTERS_DIR = "07-公示", "08-任职"
NO_SCORES = "尚未录入评分"
NO_SCORES_NEXT = "把填好的 评分录入.xlsx 放进 campaign 文件夹后再运行 make notices / make letters"
# A 拟任 draft never goes into the bundles printed for the notice board or the appointees, only the archive.
DRAFT_BUNDLES = ("归档",)
PROPOSAL_NOTE = "没有 任职决定.xlsx：任前公示、任职通知和聘任书按各职位排名第一的考察对象生成，标为“拟任建议稿”"
PROPOSAL_NEXT = "党委研究决定后，把 任职决定.xlsx 放进 campaign 文件夹再运行"


def score_formula(data: CampaignData) -> str:
    """Say how the published parts make the total, so a reader can recompute it (docs/reference.md, 四舍五入)."""
    scheme = data.scheme
    parts = [(c.name, c.weight) for c in scheme.components] or [(g.name, g.weight) for g in scheme.groups]
    total = sum(w for _, w in parts)
    text = "＋".join(f"{name}×{weight.normalize():f}" for name, weight in parts)
    bonus = f"，再加{scheme.bonus.name}" if scheme.bonus else ""
    return (f"总成绩＝（{text}）÷{total.normalize():f}{bonus}；各部分得分为去掉一个最高分和一个最低分后的平均分，"
            f"均四舍五入保留{scheme.decimals}位小数。")


def plan_inspection_notice(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """考察对象公示, or 成绩公示 (with the scores) where [notice] publish_scores is true."""
    show = outcome.publish_scores
    people = {a.number: a for a in data.applicants}
    ranked = [r for r in outcome.results if r.rank is not None]
    context = inspection_notice_context(data.campaign, data.posts, people, ranked, outcome.inspection_notice, show,
                                        score_formula(data) if show else "")
    name = "成绩及考察对象公示" if show else "考察对象公示"
    plan.docs.append(DocJob(f"{NOTICES_DIR}/{name}", "考察对象公示.docx", context, batch="notice-inspection",
                            title=name, public=True, bundles=("公示", "归档"), order=700))


def plan_pre_appointment_notice(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """任前公示 of the people the committee decided on (or the proposal, marked 拟任建议稿)."""
    decided = outcome.decided
    name = "任前公示" if decided else "任前公示（拟任建议稿）"
    plan.docs.append(DocJob(f"{NOTICES_DIR}/{name}", "任前公示.docx",
                            pre_appointment_context(data.campaign, outcome.appointments, outcome.pre_appointment_notice,
                                                    not decided),
                            batch="notice-pre-appointment", title=name, public=True,
                            bundles=("公示", "归档") if decided else DRAFT_BUNDLES, order=710))


def _note_proposal(outcome: Outcome, plan: Plan) -> None:
    """Say once per build that the appointment papers are a proposal until 任职决定.xlsx arrives."""
    if not outcome.decided and not any(s.paper == "任职决定" for s in plan.skipped):
        plan.skipped.append(Skipped("任职决定", PROPOSAL_NOTE, PROPOSAL_NEXT))


def plan_notices(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """考察对象公示 (or 成绩公示) and 任前公示, once the scores are typed in."""
    if outcome.results is None:
        plan.skipped += [Skipped("考察对象公示", NO_SCORES, NO_SCORES_NEXT), Skipped("任前公示", NO_SCORES, NO_SCORES_NEXT)]
        plan.retired.add(NOTICES_DIR)
        return
    plan_inspection_notice(data, outcome, plan)
    _note_proposal(outcome, plan)
    plan_pre_appointment_notice(data, outcome, plan)


def plan_letters(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """任职通知 (one party-committee document) and a 聘任书 per appointee."""
    if outcome.results is None:
        plan.skipped += [Skipped("任职通知", NO_SCORES, NO_SCORES_NEXT), Skipped("聘任书", NO_SCORES, NO_SCORES_NEXT)]
        plan.retired.add(LETTERS_DIR)
        return
    _note_proposal(outcome, plan)
    decided, appointments = outcome.decided, outcome.appointments
    mark = "" if decided else "（拟任建议稿）"
    plan.docs.append(DocJob(f"{LETTERS_DIR}/任职通知{mark}", "任职通知.docx",
                            appointment_notice_context(data.campaign, appointments, not decided),
                            batch="appointment-notice", title=f"任职通知{mark}",
                            bundles=("任职", "归档") if decided else DRAFT_BUNDLES, order=800))
    for i, a in enumerate(appointments, 1):
        plan.docs.append(DocJob(
            f"{LETTERS_DIR}/{component(f'聘任书{mark}-{a.applicant.number}-{a.applicant.name}')}", "聘任书.docx",
            letter_context(data.campaign, a, not decided), batch="appointment-letter",
            title=f"聘任书 {a.applicant.name}（{a.post.title}）{mark}",
            bundles=("任职", "归档") if decided else DRAFT_BUNDLES, order=810))
