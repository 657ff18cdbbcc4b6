"""Contexts for the notices (考察对象公示/成绩公示, 任前公示) and the appointment papers (任职通知, 聘任书).

Public notices get person data only through contexts.public_applicant (pipeline.campaign.publish whitelist).
Non-person names avoid the private field names (phone, address), which the template checker rejects
in a 公示 template: the office's own numbers travel as objection.telephone and objection.location.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Sequence

from pipeline.papers.contexts import EXAMPLE_APPLICANT, EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, common_context, public_applicant
from pipeline.engine.jinja_env import cn_numeral
from pipeline.campaign.model import Applicant, Campaign, Post
from pipeline.scoring.compute import CandidateResult
from pipeline.campaign.notice_dates import Period


def objection(campaign: Campaign) -> dict[str, str]:
    """Where and how to object: the office's phone and address, and the supervisors' line ([notice], [supervision])."""
    notice, sup = campaign.settings.notice, campaign.settings.supervision
    return {"telephone": notice.phone or "", "location": notice.address or "",
            "supervisor": sup.unit or "", "supervisor_telephone": sup.phone or ""}


def committee_short(campaign: Campaign) -> str:
    """The party committee as the text names it (院党委, 镇党委)."""
    return campaign.settings.organisation.party_committee_short or campaign.party_committee


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
    return "考察对象" if result.inspection else "同分待定" if result.tie_at_cutoff else ""


def inspection_notice_context(campaign: Campaign, posts: Sequence[Post], people: dict[str, Applicant],
                              results: Sequence[CandidateResult], period: Period, show_scores: bool,
                              formula: str = "") -> dict[str, Any]:
    """考察对象公示 (or 成绩公示 when [notice] publish_scores): the 考察对象 per post, the ranking if published."""
    by_code = {p.code: p for p in posts}
    chosen, ranking = [], []
    for r in results:
        post, a = by_code[r.candidate.post_code], people[r.candidate.number]
        # "place" is the 名次; the applicant's own "rank" (现职级) is not whitelisted and is dropped.
        extra = {"total": r.total, "place": r.rank or "", "scores": _score_parts(r)} if show_scores else {}
        record = public_applicant(a, post, **extra)
        if r.inspection:
            chosen.append(record)
        ranking.append({"person": record, "selected": _remark(r)})
    ties = [by_code[r.candidate.post_code].title for r in results if r.tie_at_cutoff]
    return {
        **common_context(campaign), "show_scores": show_scores,
        "notice_title": "成绩及考察对象公示" if show_scores else "考察对象公示",
        "people": chosen, "ranking": ranking if show_scores else [],
        "ties_text": "、".join(dict.fromkeys(ties)), "formula": formula, "period": period.as_dict(),
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
            "总成绩＝（专家评委×4＋党委成员×3＋中层干部×1.5＋教师代表×1.5）÷10，四舍五入保留两位小数。"),
        "任前公示.docx": pre_appointment_context(campaign, [appointment], second, False),
        "任职通知.docx": appointment_notice_context(campaign, [appointment], False),
        "聘任书.docx": letter_context(campaign, appointment, False),
    }


EXAMPLE_CONTEXTS: dict[str, dict[str, Any]] = _example()
