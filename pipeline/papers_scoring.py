"""评分 papers (issue 5): 评分表 per judge in the recorded draw order; more to come."""
from __future__ import annotations

from pathlib import Path

from pipeline.build import Plan
from pipeline.jobs import DocJob, FileJob
from pipeline.model import CampaignData
from pipeline.papers import SCORING_DIR, csv_bytes, timeline_date
from pipeline.papers_review import review_results


def plan_scoresheets(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """评分表 for every judge, candidates in the recorded draw order."""
    from pipeline.contexts import scoresheet_context
    from pipeline.draw import draw_order
    from pipeline.eligibility import eligible_candidates

    by_number = {a.number: a for a in data.applicants}
    eligible = {code: [by_number[n] for n in numbers]
                for code, numbers in eligible_candidates(review_results(data)).items()}
    seed = str(data.campaign.raw.get("scoring", {}).get("draw_seed", data.campaign.title))
    draws = draw_order(data.posts, eligible, seed)
    rows = [(d.order, d.post.code, d.post.title, d.applicant.number, d.applicant.name) for d in draws]
    plan.files.append(FileJob(f"{SCORING_DIR}/抽签顺序.csv",
                              csv_bytes(("抽签序号", "职位代码", "职位名称", "报名序号", "姓名"), rows)))
    date = timeline_date(data, "speech")
    candidates = [(d.order, d.applicant, d.post) for d in draws]
    for j in data.judges:
        plan.docs.append(DocJob(
            f"{SCORING_DIR}/评分表-{j.number}-{j.name}", "评分表.docx",
            scoresheet_context(data.campaign, j, candidates, date), family="scoresheet",
            title=f"评分表 {j.number} {j.name}（{j.group}）", bundles=("评委评分表", "归档"), order=500))




def plan_results(data: CampaignData, plan: Plan, campaign_dir: Path) -> None:
    """成绩汇总 (issue 5 part 5): not written yet."""
    plan.skipped.append(("成绩汇总表", "尚未实现"))
