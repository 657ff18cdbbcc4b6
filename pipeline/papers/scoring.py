"""评分 papers: score sheets, ballots and entry workbooks out; results, 成绩汇总表 and 考察对象名单 in.

One draw order is used everywhere: pipeline.scoring.draw (seeded by [scoring].draw_seed, recorded in 抽签顺序.csv)
orders the 评分表, the 民主测评表, the rows of 评分录入.xlsx and so the candidates the results are computed for.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from pipeline.campaign.model import CampaignData
from pipeline.campaign.notice_dates import timeline_date
from pipeline.engine.jobs import DocJob, FileJob, Plan, Skipped
from pipeline.engine.safe_paths import component
from pipeline.outcome import Outcome
from pipeline.papers.common import SCORING_DIR, csv_bytes
from pipeline.scoring.compute import Candidate
from pipeline.scoring.score_entry import ENTRY_FILE

RESULTS_DIR = "06-成绩汇总"
NO_SCORES = "尚未录入评分"
NO_SCORES_NEXT = (f"把 make scoresheets 生成的 05-评分表/{ENTRY_FILE} 按纸质评分表填好，"
                  "放进 campaign 文件夹后再运行 make results")


def entry_workbook_jobs(data: CampaignData, candidates: list[Candidate]) -> list[FileJob]:
    """评分录入.xlsx (and 民主测评.xlsx when the scheme uses ballots) as files the build stages atomically."""
    from pipeline.scoring.stage import write_entry_workbooks

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_entry_workbooks(Path(tmp), data.scheme, data.judges, candidates)
        return [FileJob(f"{SCORING_DIR}/{p.name}", p.read_bytes()) for p in paths]


def plan_scoresheets(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """抽签顺序.csv, a 评分表 per judge, the 民主测评表 ballot and the blank entry workbooks."""
    from pipeline.papers.contexts import scoresheet_context
    from pipeline.papers.scoring_contexts import ballot_context

    short = outcome.judge_shortfall
    if short:  # the panel is still being put together: not an error, nothing to print yet
        why = "；".join(p.message.removesuffix("，请补足评委") for p in short)
        plan.skipped.append(Skipped("评分表", f"评委不足（{why}）",
                                    "在 评委名单.xlsx 中补足评委后再运行 make scoresheets"))
        plan.retired.add(SCORING_DIR)
        return
    draws = outcome.draws
    rows = [(d.order, d.post.code, d.post.title, d.applicant.number, d.applicant.name) for d in draws]
    plan.files.append(FileJob(f"{SCORING_DIR}/抽签顺序.csv",
                              csv_bytes(("抽签序号", "职位代码", "职位名称", "报名序号", "姓名"), rows)))
    date = timeline_date(data, "speech")
    listed = [(d.order, d.applicant, d.post) for d in draws]
    for j in data.judges:
        plan.docs.append(DocJob(
            f"{SCORING_DIR}/{component(f'评分表-{j.number}-{j.name}')}", "评分表.docx",
            scoresheet_context(data.campaign, j, listed, date), batch="scoresheet",
            title=f"评分表 {j.number} {j.name}（{j.group}）", bundles=("评委评分表", "归档"), order=500))
    # One anonymous ballot lists every candidate; the clerk prints as many copies as there are voters.
    plan.docs.append(DocJob(f"{SCORING_DIR}/民主测评表", "民主测评表.docx", ballot_context(data.campaign, listed, date),
                            batch="ballot", title="民主测评表", bundles=("归档",), order=510))
    plan.files.extend(entry_workbook_jobs(data, outcome.candidates))


def plan_results(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """成绩汇总表, 考察对象名单, results.csv and results.xlsx from the typed 评分录入.xlsx (skipped without it)."""
    results = outcome.results
    if results is None:
        plan.skipped.append(Skipped("成绩汇总表", NO_SCORES, NO_SCORES_NEXT))
        plan.retired |= {RESULTS_DIR, "results.csv", "results.xlsx"}
        return
    from pipeline.papers.scoring_contexts import results_context, shortlist_context
    from pipeline.scoring.results_workbook import results_csv_rows, results_workbook_bytes
    scheme = data.scheme
    date = timeline_date(data, "speech")
    plan.docs.append(DocJob(f"{RESULTS_DIR}/成绩汇总表", "成绩汇总表.docx",
                            results_context(data.campaign, scheme, data.posts, results, date),
                            batch="results", title="成绩汇总表", bundles=("归档",), order=600))
    plan.docs.append(DocJob(f"{RESULTS_DIR}/考察对象名单", "考察对象名单.docx",
                            shortlist_context(data.campaign, data.applicants, data.posts, results, date),
                            batch="shortlist", title="考察对象名单", bundles=("归档",), order=610))
    header, rows = results_csv_rows(scheme, results)
    plan.files.append(FileJob("results.csv", csv_bytes(header, rows)))
    plan.files.append(FileJob("results.xlsx", results_workbook_bytes(scheme, data.posts, results)))
