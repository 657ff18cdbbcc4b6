"""Contexts for the 资格审查 papers: the internal 资格审查表 and the public 资格审查结果公示.

The 资格审查表 is internal (it never goes up on a board): every application, the verdict, the reasons in the
clerk's words and a masked 身份证号. The 公示 gets person data only through
contexts.public_applicant (pipeline.campaign.publish whitelist): never an ID, phone, address or reason.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from pipeline.papers.contexts import (EXAMPLE_APPLICANT, EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, common_context, person,
                               public_applicant)
from pipeline.review.eligibility import ReviewResult
from pipeline.campaign.idcard import mask_id
from pipeline.campaign.model import Applicant, Campaign, Post
from pipeline.campaign.notice_dates import NoticeFacts


def post_order(posts: Sequence[Post], results: Sequence[ReviewResult]) -> list[tuple[Post | None, str]]:
    """Posts in 职位表 order, then any unknown code an application named, each once."""
    known = [(p, p.code) for p in posts]
    codes = {p.code for p in posts}
    unknown = dict.fromkeys(r.post_code for r in results if r.post_code not in codes)
    return known + [(None, code) for code in unknown]


# What the 资格审查表 does not carry: it shows the ID masked only, and no contact data, so a changed phone
# number does not rebuild it (the build hashes contexts).
NOT_ON_REVIEW_TABLE = ("id_number", "phone", "address")


def review_row(applicant: Applicant, result: ReviewResult) -> dict[str, Any]:
    """One row of the 资格审查表: the person's record without contact data, masked ID, verdict and reasons."""
    record = {k: v for k, v in person(applicant).items() if k not in NOT_ON_REVIEW_TABLE}
    record.update(id_masked=mask_id(applicant.id_number), verdict=result.verdict, reasons=result.reason_text)
    return record


def review_table_context(campaign: Campaign, posts: Sequence[Post], applicants: Sequence[Applicant],
                         results: Sequence[ReviewResult]) -> dict[str, Any]:
    """Context for the 资格审查表: applications grouped by post (职位表 order), counts per post and in all."""
    by_number = {a.number: a for a in applicants}
    groups = []
    for post, code in post_order(posts, results):
        mine = [r for r in results if r.post_code == code]
        if not mine:
            continue
        passed = sum(r.passed for r in mine)
        groups.append({
            "code": code, "title": post.title if post else "（职位表中无此职位）",
            "department": post.department if post else "",
            "applications": len(mine), "passed": passed, "failed": len(mine) - passed,
            "rows": [review_row(by_number[r.applicant_number], r) for r in mine],
        })
    passed = sum(r.passed for r in results)
    summary = {"applicants": len({r.applicant_number for r in results}), "applications": len(results),
               "passed": passed, "failed": len(results) - passed}
    return {**common_context(campaign), "groups": groups, "summary": summary}


def review_notice_context(campaign: Campaign, posts: Sequence[Post], applicants: Sequence[Applicant],
                          results: Sequence[ReviewResult], facts: NoticeFacts) -> dict[str, Any]:
    """Context for the 资格审查结果公示: the qualified applicants per post, whitelisted fields only."""
    by_number = {a.number: a for a in applicants}
    listed, unfilled = [], []
    for post in posts:
        passed = [r for r in results if r.post_code == post.code and r.passed]
        if passed:
            people = [public_applicant(by_number[r.applicant_number], post) for r in passed]
            listed.append({"code": post.code, "title": post.title, "department": post.department,
                           "count": len(people), "people": people})
        elif any(r.post_code == post.code for r in results):
            unfilled.append(post.title)
    return {
        **common_context(campaign),
        "posts": listed,
        "total": sum(p["count"] for p in listed),
        "unfilled": "、".join(unfilled),
        "period": {"start": facts.start, "end": facts.end, "working_days": facts.working_days},
        # Keys avoid the person-field names phone/address, which the 公示 checker rightly forbids.
        "objections": {"office_phone": facts.office_phone, "office_address": facts.office_address},
        "issued": facts.issued,
    }


# --- realistic examples the template checker validates both templates against ---

def _example() -> tuple[list[Applicant], list[ReviewResult]]:
    second = Applicant(**{**EXAMPLE_APPLICANT.__dict__, "number": "2026-023", "name": "马骏", "gender": "男",
                          "political_status": "中共预备党员", "posts": ("05",)})
    results = [
        ReviewResult(EXAMPLE_APPLICANT.number, EXAMPLE_APPLICANT.name, "01", True),
        ReviewResult(EXAMPLE_APPLICANT.number, EXAMPLE_APPLICANT.name, "06", True),
        ReviewResult(second.number, second.name, "05", False, ("非中共正式党员",)),
    ]
    return [EXAMPLE_APPLICANT, second], results


_APPLICANTS, _RESULTS = _example()
EXAMPLE_FACTS = NoticeFacts(dt.date(2026, 6, 17), dt.date(2026, 6, 24), 5, "0512-58880000",
                            "江州职业技术学院行政楼305室组织人事处", dt.date(2026, 6, 17))
EXAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "资格审查表.docx": review_table_context(EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, _APPLICANTS, _RESULTS),
    "资格审查结果公示.docx": review_notice_context(EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, _APPLICANTS, _RESULTS,
                                                 EXAMPLE_FACTS),
}
