"""资格审查 papers: eligibility.csv, the internal 资格审查表 and the public 资格审查结果公示.

Its dates: pipeline.campaign.notice_dates (computed once, in the outcome).
"""
from __future__ import annotations

from typing import Sequence

from pipeline.campaign.model import CampaignData, Post
from pipeline.engine.jobs import DocJob, FileJob, Plan
from pipeline.engine.safe_paths import component
from pipeline.outcome import Outcome
from pipeline.papers.common import REVIEW_DIR, csv_bytes
from pipeline.review.eligibility import ReviewResult

# Past this many applications the 资格审查表 and the 公示 become one paper per post. Measured here
# (LibreOffice 7.4.7): one 资格审查表 of 10,000 applicants (about 15,000 rows) outlasted a 600 s timeout twice
# with soffice.bin at 1.4 GB; per post, the family is merged and converted in pieces of bounded size
# (pipeline.engine.pdfs.PIECE_BYTES), and each post's table, with its own counts and signatures, reads as a whole.
REVIEW_ROWS_PER_PAPER = 2000


def review_parts(posts: Sequence[Post], results: Sequence[ReviewResult]):
    """[(post or None, code, results)]: everything at once, or past REVIEW_ROWS_PER_PAPER one part per post."""
    from pipeline.papers.review_contexts import post_order

    if len(results) <= REVIEW_ROWS_PER_PAPER:
        return [(None, None, list(results))]
    parts = [(post, code, [r for r in results if r.post_code == code]) for post, code in post_order(posts, results)]
    return [part for part in parts if part[2]]


def plan_eligibility(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """eligibility.csv, 资格审查表 (归档) and 资格审查结果公示 (公示, 归档), whole or one per post."""
    from pipeline.papers.review_contexts import review_notice_context, review_table_context

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
