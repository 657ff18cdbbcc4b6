"""资格审查 papers: eligibility.csv, the internal 资格审查表 and the public 资格审查结果公示.

When the 公示 is posted: campaign.toml [notice] review_notice_start if the office set it, otherwise the
day after the 资格审查 step of [[timeline]] (key "review") ends (its start when it has no end). The
公示期 then runs [notice] working_days 工作日 from that day (pipeline.campaign.workdays.notice_period: a start on a
weekend or holiday moves to the next working day), and the notice is dated the day it is posted.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from typing import Sequence

from pipeline.engine.build import Plan
from pipeline.review.eligibility import ReviewResult
from pipeline.errors import InputErrors, Problem
from pipeline.engine.jobs import DocJob, FileJob
from pipeline.campaign.model import CampaignData, Post
from pipeline.papers.registry import REVIEW_DIR, csv_bytes
from pipeline.engine.safe_paths import component

CAMPAIGN_FILE = "campaign.toml"
DEFAULT_WORKING_DAYS = 5  # 《党政领导干部选拔任用工作条例》: a 公示 runs at least 五个工作日


def review_results(data: CampaignData):
    """Eligibility review of every application (pure; see pipeline.review.eligibility)."""
    from pipeline.review.eligibility import load_rules, review

    return review(data, load_rules(data))


def review_step_end(data: CampaignData) -> dt.date | None:
    """The last day of the 资格审查 step in [[timeline]] (its start when it has no end)."""
    for step in data.campaign.raw.get("timeline", []):
        if step.get("key") == "review":
            return step.get("end") or step.get("start")
    return None


def notice_start(data: CampaignData) -> dt.date:
    """The day the 资格审查结果公示 is posted: configured, or the day after the review step ends."""
    configured = data.campaign.raw.get("notice", {}).get("review_notice_start")
    if isinstance(configured, dt.date):
        return configured
    end = review_step_end(data)
    if end is None or configured is not None:
        raise InputErrors([Problem(CAMPAIGN_FILE, (
            "无法确定资格审查结果公示的张贴日期：请在 [notice] 中写 review_notice_start = 2026-06-17"
            "（日期不加引号），或在 [[timeline]] 中写明 key = \"review\" 的资格审查步骤及其起止日期。"
        ), column="[notice] review_notice_start", code="bad-date")])
    return end + dt.timedelta(days=1)


def notice_facts(data: CampaignData, campaign_dir: Path):
    """The 公示期, the office's 受理电话 and 受理地址, and the issue date, from campaign.toml and the calendar."""
    from pipeline.papers.review_contexts import NoticeFacts
    from pipeline.campaign.workdays import load_campaign_holidays, notice_period

    notice = data.campaign.raw.get("notice", {})
    missing = [key for key in ("phone", "address") if not str(notice.get(key, "")).strip()]
    if missing:
        raise InputErrors([Problem(CAMPAIGN_FILE, (
            f"[notice] 缺少 {key}：公示要写明受理电话（phone）和受理地址（address），请填单位的电话和地址。"
        ), column=f"[notice] {key}", code="missing-value") for key in missing])
    days = int(notice.get("working_days", DEFAULT_WORKING_DAYS))
    posted = notice_start(data)
    start, end = notice_period(posted, days, load_campaign_holidays(campaign_dir))
    return NoticeFacts(start, end, days, str(notice["phone"]), str(notice["address"]), posted)


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


def plan_eligibility(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """eligibility.csv, 资格审查表 (归档) and 资格审查结果公示 (公示, 归档), whole or one per post."""
    from pipeline.papers.review_contexts import review_notice_context, review_table_context

    results = review_results(data)
    rows = [(r.applicant_number, r.name, r.post_code, r.verdict, r.reason_text) for r in results]
    plan.files.append(FileJob("eligibility.csv", csv_bytes(("报名序号", "姓名", "职位代码", "资格审查结果", "原因"), rows)))
    c, people = data.campaign, data.applicants
    facts = notice_facts(data, campaign_dir)
    for post, code, mine in review_parts(data.posts, results):
        posts = data.posts if code is None else [post] if post else []
        where, label = _part_names(post, code)
        plan.docs.append(DocJob(
            f"{REVIEW_DIR}/资格审查表{where}", "资格审查表.docx", review_table_context(c, posts, people, mine),
            family="review-table", title=f"资格审查表{label}", bundles=("归档",), order=400))
        if code is not None and post is None:
            continue  # a code missing from 职位表 is shown on the internal table only; the 公示 lists posts
        plan.docs.append(DocJob(
            f"{REVIEW_DIR}/资格审查结果公示{where}", "资格审查结果公示.docx",
            review_notice_context(c, posts, people, mine, facts), family="review-notice",
            title=f"资格审查结果公示{label}", public=True, bundles=("公示", "归档"), order=410))


def _part_names(post: Post | None, code: str | None) -> tuple[str, str]:
    """The path suffix and the title suffix of one part: nothing for the whole, the post for one post."""
    if code is None:
        return "", ""
    title = post.title if post else "职位表中无此职位"
    return f"/{component(code)}-{component(title)}", f" {code} {title}"
