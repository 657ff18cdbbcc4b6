"""职位分配记录: why each person is where after 志愿 and 调剂, for the committee and the archive
(docs/reference.md, 志愿和调剂).

Made with the results (target `results`) when allocation can change anything: someone has two scored candidacies,
or the campaign enables 调剂 ([allocation] reassignment). The steps are those of pipeline.appointment.allocation,
word for word, as a CSV (步骤, 说明) and as an internal paper in the 归档 bundle.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from pipeline.appointment.allocation import Allocation, allocate, needs_allocation, vacancy_text
from pipeline.campaign.model import Campaign, CampaignData, Post
from pipeline.campaign.notice_dates import timeline_date
from pipeline.campaign.settings import REASSIGNMENT_RULES
from pipeline.engine.jobs import DocJob, FileJob, Plan
from pipeline.outcome import Outcome
from pipeline.papers.common import csv_bytes
from pipeline.papers.contexts import EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, common_context
from pipeline.papers.scoring import RESULTS_DIR
from pipeline.papers.scoring import plan_results as plan_scoring_results

TEMPLATE = "职位分配记录.docx"
CSV_PATH = f"{RESULTS_DIR}/职位分配记录.csv"
HEADER = ("步骤", "说明")


def allocation_context(campaign: Campaign, posts: Sequence[Post], allocation: Allocation,
                       date: dt.date | None) -> dict[str, Any]:
    """Context of the 职位分配记录: the rule, every step, and the posts still short (空缺)."""
    committee = campaign.settings.organisation.committee  # docs/reference.md, 单位类型
    return {**common_context(campaign), "date": date or "", "committee": committee,
            "reassignment": REASSIGNMENT_RULES[allocation.rule],
            "steps": [{"step": step, "text": text} for step, text in allocation.rows()],
            "vacancies": vacancy_text(posts, allocation) or ""}


def plan_allocation(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """职位分配记录.csv and the 职位分配记录 paper, when allocation can change anything (see the docstring)."""
    results, allocation = outcome.results, outcome.allocation
    if results is None or allocation is None:
        return
    vacant = vacancy_text(data.posts, allocation)
    if vacant:  # said with the build's report too, not only on the papers (issue: 70 of 82 places, said nothing)
        plan.notes.append(vacant)
    if not needs_allocation(results, allocation.rule):
        return
    plan.files.append(FileJob(CSV_PATH, csv_bytes(HEADER, allocation.rows())))
    date = timeline_date(data, "speech")
    plan.docs.append(DocJob(f"{RESULTS_DIR}/职位分配记录", TEMPLATE,
                            allocation_context(data.campaign, data.posts, allocation, date),
                            batch="allocation", title="职位分配记录", bundles=("归档",), order=605))


def plan_results(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """The `results` target: the scoring papers (pipeline.papers.scoring), then the allocation record."""
    plan_scoring_results(data, outcome, plan)
    plan_allocation(data, outcome, plan)


# --- the example the template checker validates the template against ---

def _example() -> dict[str, dict[str, Any]]:
    """林晓燕 first for 01 and 06; by her first 志愿 she goes to 01, and 06's place passes to 马骏 (2nd)."""
    from dataclasses import replace
    from decimal import Decimal

    from pipeline.papers.contexts import EXAMPLE_APPLICANT
    from pipeline.scoring.compute import Candidate, CandidateResult

    second = replace(EXAMPLE_APPLICANT, number="2026-023", name="马骏", posts=("06",))

    def result(a, code, total, rank):
        return CandidateResult(Candidate(a.number, a.name, code), (), Decimal(total), (), None, Decimal(total),
                               rank=rank, inspection=rank == 1)
    posts = (EXAMPLE_POSTS[0], EXAMPLE_POSTS[2])
    results = [result(EXAMPLE_APPLICANT, "01", "88.50", 1), result(EXAMPLE_APPLICANT, "06", "87.00", 1),
               result(second, "06", "84.25", 2)]
    _, allocation = allocate(posts, results, [EXAMPLE_APPLICANT, second], "none", {"01": 1, "06": 1},
                             committee=EXAMPLE_CAMPAIGN.settings.organisation.committee)
    return {TEMPLATE: allocation_context(EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, allocation, dt.date(2026, 6, 26))}


EXAMPLE_CONTEXTS: dict[str, dict[str, Any]] = _example()
