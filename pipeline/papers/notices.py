"""公示 and 任职 papers: 考察对象公示/成绩公示, 任前公示, 任职通知, 聘任书.

Their dates and periods: pipeline.campaign.notice_dates (computed once, in the outcome).

The template contexts come first, then the planner that lists the papers (a pure function of the campaign
and its outcome).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Sequence

from pipeline.campaign.model import Applicant, Campaign, CampaignData, Post
from pipeline.campaign.notice_dates import Period
from pipeline.engine.jinja_env import cn_numeral
from pipeline.engine.jobs import DocJob, Plan, Skipped
from pipeline.engine.safe_paths import component
from pipeline.outcome import Outcome
from pipeline.papers.contexts import (EXAMPLE_APPLICANT, EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, common_context,
                                      public_applicant)
from pipeline.scoring.compute import CandidateResult
from pipeline.scoring.scheme_text import formula_text, procedure_text


def objection(campaign: Campaign) -> dict[str, str]:
    """Where and how to object: the office's phone and address, and the supervisors' line ([notice], [supervision])."""
    notice, sup = campaign.settings.notice, campaign.settings.supervision
    return {"telephone": notice.phone or "", "location": notice.address or "",
            "supervisor": sup.unit or "", "supervisor_telephone": sup.phone or ""}


def committee_short(campaign: Campaign) -> str:
    """The party committee as the text names it: party_committee_short, else the kind's word (院党委, 局党组;
    docs/reference.md, 单位类型)."""
    return campaign.settings.organisation.committee


def probation_text(campaign: Campaign) -> str:
    """The probation in words: 12 months → 一年, otherwise 六个月 (条例 第五十五条: 一般为一年)."""
    months = campaign.settings.documents.probation_months
    return f"{cn_numeral(months // 12)}年" if months % 12 == 0 else f"{cn_numeral(months)}个月"


def _score_parts(result: CandidateResult) -> list[dict[str, Any]]:
    """The published parts of a total, so a reader can recompute it (docs/reference.md, 四舍五入)."""
    parts = [{"name": g.group, "value": g.mean} for g in result.groups] if not result.components else [
        {"name": c.name, "value": c.score} for c in result.components]
    if result.bonus is not None:
        parts.append({"name": result.bonus_name or "加分", "value": result.bonus})
    return parts


def _remark(result: CandidateResult) -> str:
    """备注 of the ranking: 考察对象, or a tie at the cut-off left to the committee (docs/reference.md, 名次和同分)."""
    if result.vetoed:  # shown, not dropped: the top scorer vetoed must not silently disappear (seed 2)
        return "民主测评否决"
    return "考察对象" if result.inspection else "同分待定" if result.tie_at_cutoff else ""


def inspection_people(results: Sequence[CandidateResult]) -> list[CandidateResult]:
    """The 考察对象 one per person, in the results' order: the result of the post their place went to.

    The allocation (pipeline.appointment.allocation) already makes a person a 考察对象 of one post at most; results
    that were not allocated may hold a person for several posts, and a public list names a person once:
    the post their place went to (`allocated_to`) when one of them says it, else the first in the results' order.
    """
    by_person: dict[str, list[CandidateResult]] = {}
    for r in results:
        if r.inspection:
            by_person.setdefault(r.candidate.number, []).append(r)
    went_to = {r.candidate.number: r.allocated_to for r in results if r.allocated_to}
    return [next((r for r in held if r.candidate.post_code == went_to.get(number)), held[0])
            for number, held in by_person.items()]


def inspection_notice_context(campaign: Campaign, posts: Sequence[Post], people: dict[str, Applicant],
                              results: Sequence[CandidateResult], period: Period, show_scores: bool,
                              formula: str = "", procedure: str = "") -> dict[str, Any]:
    """考察对象公示 (or 成绩公示 when [notice] publish_scores): the 考察对象 per post, the ranking if published.

    procedure: the steps held and what decided (scheme_text.procedure_text); formula: how the total is made."""
    by_code = {p.code: p for p in posts}
    chosen, ranking = [], []
    for r in results:
        post, a = by_code[r.candidate.post_code], people[r.candidate.number]
        # "place" is the 名次; the applicant's own "rank" (现职级) is not whitelisted and is dropped.
        extra = {"total": r.total, "place": r.rank or "", "scores": _score_parts(r)} if show_scores else {}
        ranking.append({"person": public_applicant(a, post, **extra), "selected": _remark(r)})
    for r in inspection_people(results):  # the public list: each person once, with the post their place went to
        chosen.append(public_applicant(people[r.candidate.number], by_code[r.candidate.post_code],
                                       **({"total": r.total, "place": r.rank or "", "scores": _score_parts(r)}
                                          if show_scores else {})))
    ties = [by_code[r.candidate.post_code].title for r in results if r.tie_at_cutoff]
    return {
        **common_context(campaign), "show_scores": show_scores,
        "notice_title": "成绩及考察对象公示" if show_scores else "考察对象公示",
        "people": chosen, "ranking": ranking if show_scores else [],
        "ties_text": "、".join(dict.fromkeys(ties)), "formula": formula, "procedure": procedure,
        "period": period.as_dict(),
        "objection": objection(campaign),
        "committee": committee_short(campaign), "date": period.start,
    }


def pre_appointment_context(campaign: Campaign, appointments: Sequence, period: Period,
                            proposed: bool) -> dict[str, Any]:
    """任前公示: the people the committee decided on, whitelisted fields and the post appointed to."""
    people = [public_applicant(a.applicant, a.post) for a in appointments]
    return {**common_context(campaign), "people": people, "proposed": proposed, "period": period.as_dict(),
            "objection": objection(campaign), "committee": committee_short(campaign), "date": period.start}


def _appointment_row(campaign: Campaign, a) -> dict[str, Any]:
    probation = f"试用期{probation_text(campaign)}" if a.newly_promoted else ""
    return {"name": a.applicant.name, "post_title": a.post.title, "department": a.post.department,
            "probation": probation}


def appointment_notice_context(campaign: Campaign, appointments: Sequence, proposed: bool) -> dict[str, Any]:
    """任职通知: the party committee's document listing every appointment (GB/T 9704 版头, 发文字号, 成文日期)."""
    docs = campaign.settings.documents
    rows = [_appointment_row(campaign, a) for a in appointments]
    names = "、".join(r["name"] for r in rows[:2]) + ("等" if len(rows) > 1 else "")
    return {**common_context(campaign), "number": docs.appointment_number,
            "date": docs.appointment_date or "", "appointments": rows, "proposed": proposed,
            "subject": f"关于{names}同志任职的通知", "committee": committee_short(campaign)}


def letter_context(campaign: Campaign, appointment, proposed: bool) -> dict[str, Any]:
    """聘任书 for one appointee (internal)."""
    docs = campaign.settings.documents
    return {**common_context(campaign), "p": _appointment_row(campaign, appointment), "proposed": proposed,
            "number": docs.appointment_number, "date": docs.appointment_date or "",
            "committee": committee_short(campaign)}


# --- realistic examples the template checker validates every template against ---

def _example() -> dict[str, dict[str, Any]]:
    from pipeline.appointment.decisions import Appointment
    from pipeline.scoring.compute import Candidate, GroupScore

    campaign = EXAMPLE_CAMPAIGN
    post = EXAMPLE_POSTS[0]
    group = GroupScore("专家评委", (), (), (), Decimal("440.0"), 5, Decimal("88.00"), Decimal(4))
    result = CandidateResult(Candidate(EXAMPLE_APPLICANT.number, EXAMPLE_APPLICANT.name, post.code), (group,),
                             Decimal("88.00"), (), None, Decimal("88.00"), rank=1, inspection=True)
    people = {EXAMPLE_APPLICANT.number: EXAMPLE_APPLICANT}
    first = Period(dt.date(2026, 6, 29), dt.date(2026, 7, 3), 5)
    second = Period(dt.date(2026, 7, 8), dt.date(2026, 7, 14), 5)
    appointment = Appointment(EXAMPLE_APPLICANT, post, True)
    return {
        "考察对象公示.docx": inspection_notice_context(
            campaign, EXAMPLE_POSTS, people, [result], first, True,
            "总成绩＝（专家评委×4＋党委成员×3＋中层干部×1.5＋教师代表×1.5）÷10；各评委组得分为该组评委评分去掉一个"
            "最高分和一个最低分后的平均分（同分时只去掉一个）。各项得分和总成绩均四舍五入保留两位小数。",
            "经个人报名、资格审查和演讲答辩，根据演讲答辩成绩和考察比例"),
        "任前公示.docx": pre_appointment_context(campaign, [appointment], second, False),
        "任职通知.docx": appointment_notice_context(campaign, [appointment], False),
        "聘任书.docx": letter_context(campaign, appointment, False),
    }


EXAMPLE_CONTEXTS: dict[str, dict[str, Any]] = _example()


NOTICES_DIR, LETTERS_DIR = "07-公示", "08-任职"
def _not_yet(outcome: Outcome, papers: Sequence[str]) -> list[Skipped]:
    """The papers that wait for a round's typed workbook, naming the round and its file (not always 评分录入)."""
    from pipeline.scoring.rounds import round_file

    waiting = outcome.pending()
    name, file = ("评分", "评分录入.xlsx") if waiting is None or waiting.round.source == "judges" else (
        f"{waiting.round.name}成绩", round_file(waiting.round))
    return [Skipped(paper, f"尚未录入{name}", f"把填好的 {file} 放进 campaign 文件夹后再运行 make notices / make letters")
            for paper in papers]
# A 拟任 draft never goes into the bundles printed for the notice board or the appointees, only the archive.
DRAFT_BUNDLES = ("归档",)
PROPOSAL_NOTE = "没有 任职决定.xlsx：任前公示、任职通知和聘任书按各职位排名第一的考察对象生成，标为“拟任建议稿”"
PROPOSAL_NEXT = "{committee}研究决定后，把 任职决定.xlsx 放进 campaign 文件夹再运行"


def score_formula(data: CampaignData) -> str:
    """Say how the published parts make the total, so a reader can recompute it (docs/reference.md, 四舍五入):
    generated from the rounds (pipeline/scoring/scheme_text.py formula_text), the same words as the 成绩汇总表."""
    return formula_text(data.scheme)


def plan_inspection_notice(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """考察对象公示, or 成绩公示 (with the scores) where [notice] publish_scores is true."""
    show = outcome.publish_scores
    people = {a.number: a for a in data.applicants}
    # the ranked, and the vetoed without a 名次 (a 调剂 placement was not ranked on the post it was placed on)
    ranked = [r for r in outcome.results if r.rank is not None or r.vetoed]
    context = inspection_notice_context(data.campaign, data.posts, people, ranked, outcome.inspection_notice, show,
                                        score_formula(data) if show else "", procedure_text(data.scheme))
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


def _note_proposal(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """Say once per build that the appointment papers are a proposal until 任职决定.xlsx arrives."""
    if not outcome.decided and not any(s.paper == "任职决定" for s in plan.skipped):
        plan.skipped.append(Skipped("任职决定", PROPOSAL_NOTE,
                                    PROPOSAL_NEXT.format(committee=committee_short(data.campaign))))


def plan_notices(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """考察对象公示 (or 成绩公示) and 任前公示, once the scores are typed in."""
    if outcome.results is None:
        plan.skipped += _not_yet(outcome, ("考察对象公示", "任前公示"))
        plan.retired.add(NOTICES_DIR)
        return
    plan_inspection_notice(data, outcome, plan)
    _note_proposal(data, outcome, plan)
    plan_pre_appointment_notice(data, outcome, plan)


def plan_letters(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """任职通知 (one party-committee document) and a 聘任书 per appointee."""
    if outcome.results is None:
        plan.skipped += _not_yet(outcome, ("任职通知", "聘任书"))
        plan.retired.add(LETTERS_DIR)
        return
    _note_proposal(data, outcome, plan)
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
