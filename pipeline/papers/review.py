"""资格审查 papers: eligibility.csv, the internal 资格审查表 and the public 资格审查结果公示.

Its dates: pipeline.campaign.notice_dates (computed once, in the outcome).

The template contexts come first, then the planner that lists the papers (a pure function of the campaign
and its outcome).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from pipeline.campaign.idcard import mask_id
from pipeline.campaign.model import Applicant, Campaign, CampaignData, Post
from pipeline.campaign.notice_dates import NoticeFacts
from pipeline.engine.jobs import DocJob, FileJob, Plan
from pipeline.engine.safe_paths import component
from pipeline.outcome import Outcome
from pipeline.papers.common import REVIEW_DIR, csv_bytes
from pipeline.papers.contexts import (EXAMPLE_APPLICANT, EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, common_context, person,
                                      public_applicant)
from pipeline.review.eligibility import ReviewResult


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


# Past this many applications the 资格审查表 and the 公示 become one paper per post. Measured here
# (LibreOffice 7.4.7): one 资格审查表 of 10,000 applicants (about 15,000 rows) outlasted a 600 s timeout twice
# with soffice.bin at 1.4 GB; per post, the family is merged and converted in pieces of bounded size
# (pipeline.engine.pdfs.PIECE_BYTES), and each post's table, with its own counts and signatures, reads as a whole.
REVIEW_ROWS_PER_PAPER = 2000


def review_parts(posts: Sequence[Post], results: Sequence[ReviewResult]):
    """[(post or None, code, results)]: everything at once, or past REVIEW_ROWS_PER_PAPER one part per post."""

    if len(results) <= REVIEW_ROWS_PER_PAPER:
        return [(None, None, list(results))]
    parts = [(post, code, [r for r in results if r.post_code == code]) for post, code in post_order(posts, results)]
    return [part for part in parts if part[2]]


def plan_eligibility(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """eligibility.csv, 资格审查表 (归档) and 资格审查结果公示 (公示, 归档), whole or one per post."""

    results = outcome.reviews
    rows = [(r.applicant_number, r.name, r.post_code, r.verdict, r.reason_text) for r in results]
    plan.files.append(FileJob("eligibility.csv", csv_bytes(("报名序号", "姓名", "职位代码", "资格审查结果", "原因"), rows)))
    c, people = data.campaign, data.applicants
    facts = outcome.review_notice
    for post, code, mine in review_parts(data.posts, results):
        posts = data.posts if code is None else [post] if post else []
        where, label = _part_names(post, code)
        plan.docs.append(DocJob(
            f"{REVIEW_DIR}/资格审查表{where}", "资格审查表.docx", review_table_context(c, posts, people, mine),
            batch="review-table", title=f"资格审查表{label}", bundles=("归档",), order=400))
        if code is not None and post is None:
            continue  # a code missing from 职位表 is shown on the internal table only; the 公示 lists posts
        plan.docs.append(DocJob(
            f"{REVIEW_DIR}/资格审查结果公示{where}", "资格审查结果公示.docx",
            review_notice_context(c, posts, people, mine, facts), batch="review-notice",
            title=f"资格审查结果公示{label}", public=True, bundles=("公示", "归档"), order=410))


def _part_names(post: Post | None, code: str | None) -> tuple[str, str]:
    """The path suffix and the title suffix of one part: nothing for the whole, the post for one post."""
    if code is None:
        return "", ""
    title = post.title if post else "职位表中无此职位"
    return f"/{component(code)}-{component(title)}", f" {code} {title}"
