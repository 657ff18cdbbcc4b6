"""The outcome of a campaign so far, computed once per command: review, draw, scores, ranking, decisions, 公示期.

Every planner and `make status` read this one record; none of them re-runs a stage or opens a file. The stages run
in the order of the procedure, and each runs only once its inputs exist: without 评分录入.xlsx there are no results,
and so no 考察对象 and no appointments yet (the papers that need them are skipped, with the next step named).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from pipeline.appointment.allocation import Allocation, allocate
from pipeline.appointment.decisions import Appointment, load_decisions
from pipeline.campaign.model import CampaignData
from pipeline.campaign.notice_dates import NoticeFacts, Period, campaign_dates, publish_scores
from pipeline.errors import Problem
from pipeline.review.eligibility import ReviewResult, eligible_candidates, review
from pipeline.scoring.compute import Candidate, CandidateResult
from pipeline.scoring.draw import Draw, draw_order
from pipeline.scoring.ranking import compute_results
from pipeline.scoring.score_entry import ENTRY_FILE
from pipeline.scoring.stage import check_judge_groups, read_entries



@dataclass(frozen=True)
class Outcome:
    """Where the campaign stands, stage by stage; a stage not reached yet is None (or empty)."""

    reviews: tuple[ReviewResult, ...]  # one per application, in input order
    draws: tuple[Draw, ...]  # the speaking order of every eligible candidacy (抽签顺序.csv)
    judge_shortfall: tuple[Problem, ...]  # groups short of min_judges: no 评分表 can be printed yet
    review_notice: NoticeFacts  # the 资格审查结果公示's period, contacts and date
    notice_days: tuple[int, int]  # working days of the 考察对象公示 and of the 任前公示
    results: tuple[CandidateResult, ...] | None = None  # None while 评分录入.xlsx is not in the campaign folder
    publish_scores: bool = False  # [notice] publish_scores: the 考察对象公示 carries the scores
    inspection_notice: Period | None = None  # dates from campaign.toml: known from the first day
    pre_appointment_notice: Period | None = None
    appointments: tuple[Appointment, ...] = ()
    decided: bool = False  # True: 任职决定.xlsx; False: the ranking's proposal (拟任建议稿)
    allocation: Allocation | None = None  # 志愿, 调剂 and 空缺 across posts (pipeline.appointment.allocation)

    @property
    def eligible(self) -> Mapping[str, list[str]]:
        """{职位代码: [报名序号 of those who passed]} in review order."""
        return eligible_candidates(self.reviews)

    @property
    def candidates(self) -> list[Candidate]:
        """Scoring candidates in exactly the order of 抽签顺序.csv."""
        return candidates_of(self.draws)


def candidates_of(draws) -> list[Candidate]:
    """Scoring candidates in the order of the draw."""
    return [Candidate(d.applicant.number, d.applicant.name, d.post.code) for d in draws]


def compute_outcome(data: CampaignData, campaign_dir: Path) -> Outcome:
    """Run every stage the campaign folder allows, once, in order; raise InputErrors with every problem found.

    What depends on campaign.toml alone (the papers' keys, every 公示's dates, the 任职通知's date) is checked on
    every command, from the first day: a campaign that cannot reach its appointments is refused at once.
    """
    dates = campaign_dates(data)
    reviews = tuple(review(data, data.rules))
    draws = tuple(speaking_order(data, reviews))
    shortfall = tuple(check_judge_groups(data.scheme, data.judges))
    outcome = Outcome(reviews, draws, shortfall, dates.review_notice, dates.notice_days,
                      publish_scores=publish_scores(data), inspection_notice=dates.inspection_notice,
                      pre_appointment_notice=dates.pre_appointment_notice)
    if not (Path(campaign_dir) / ENTRY_FILE).exists():
        return outcome
    candidates = outcome.candidates
    # InputErrors (double entry disagrees, a missing or bad score …) stop the command before anything is written.
    entry = read_entries(Path(campaign_dir), data.scheme, data.judges, candidates)
    ranked = compute_results(data.scheme, data.posts, candidates, entry)
    allocated, allocation = allocate(data.posts, ranked, data.applicants,
                                     data.campaign.settings.allocation.reassignment, data.scheme, data.rules)
    results = tuple(allocated)
    appointments, decided = load_decisions(campaign_dir, data, results)
    return dataclasses.replace(outcome, results=results, appointments=tuple(appointments), decided=decided,
                               allocation=allocation)


def speaking_order(data: CampaignData, reviews) -> list[Draw]:
    """The recorded 抽签 order of every eligible candidate (seed: [scoring].draw_seed, else the campaign title)."""
    by_number = {a.number: a for a in data.applicants}
    eligible = {code: [by_number[n] for n in numbers] for code, numbers in eligible_candidates(reviews).items()}
    seed = data.campaign.settings.draw_seed
    return draw_order(data.posts, eligible, seed)
