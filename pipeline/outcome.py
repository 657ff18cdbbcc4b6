"""The outcome of a campaign so far, computed once per command: review, draw, scores, ranking, decisions, 公示期.

Every planner and `make status` read this one record; none of them re-runs a stage or opens a file. The stages run
in the order of the procedure, and each runs only once its inputs exist: without 评分录入.xlsx there are no results,
and so no 考察对象 and no appointments yet (the papers that need them are skipped, with the next step named).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, TypeVar

from pipeline.appointment.decisions import Appointment, load_decisions
from pipeline.campaign.model import CampaignData
from pipeline.campaign.notice_dates import (NoticeFacts, Period, check_appointment_date, inspection_notice_start,
                                            notice_days, period_from, pre_appointment_start, publish_scores,
                                            review_notice_facts)
from pipeline.errors import InputErrors, Problem, ProblemCollector
from pipeline.review.eligibility import ReviewResult, eligible_candidates, review
from pipeline.scoring.compute import Candidate, CandidateResult
from pipeline.scoring.draw import Draw, draw_order
from pipeline.scoring.ranking import compute_results
from pipeline.scoring.score_entry import ENTRY_FILE
from pipeline.scoring.stage import check_judge_groups, read_entries

T = TypeVar("T")


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
    inspection_notice: Period | None = None
    pre_appointment_notice: Period | None = None
    appointments: tuple[Appointment, ...] = ()
    decided: bool = False  # True: 任职决定.xlsx; False: the ranking's proposal (拟任建议稿)

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
    """Run every stage the campaign folder allows, once, in order; raise InputErrors with every problem found."""
    problems = ProblemCollector()
    reviews = tuple(review(data, data.rules))
    draws = tuple(speaking_order(data, reviews))
    shortfall = tuple(check_judge_groups(data.scheme, data.judges))
    review_notice = _attempt(problems, lambda: review_notice_facts(data))
    days = _attempt(problems, lambda: notice_days(data))
    problems.raise_if_any()
    outcome = Outcome(reviews, draws, shortfall, review_notice, days)
    if not (Path(campaign_dir) / ENTRY_FILE).exists():
        return outcome
    candidates = outcome.candidates
    # InputErrors (double entry disagrees, a missing or bad score …) stop the command before anything is written.
    entry = read_entries(Path(campaign_dir), data.scheme, data.judges, candidates)
    results = tuple(compute_results(data.scheme, data.posts, candidates, entry))
    show = _attempt(problems, lambda: publish_scores(data))
    inspection = _attempt(problems, lambda: period_from(data, inspection_notice_start(data), days[0]))
    pre = _attempt(problems, lambda: period_from(data, pre_appointment_start(data), days[1]))
    if pre is not None:
        _attempt(problems, lambda: check_appointment_date(data, pre))
    decisions = _attempt(problems, lambda: load_decisions(campaign_dir, data, results))
    problems.raise_if_any()
    appointments, decided = decisions
    return Outcome(reviews, draws, shortfall, review_notice, days, results, show, inspection, pre,
                   tuple(appointments), decided)


def speaking_order(data: CampaignData, reviews) -> list[Draw]:
    """The recorded 抽签 order of every eligible candidate (seed: [scoring].draw_seed, else the campaign title)."""
    by_number = {a.number: a for a in data.applicants}
    eligible = {code: [by_number[n] for n in numbers] for code, numbers in eligible_candidates(reviews).items()}
    seed = data.campaign.settings.draw_seed
    return draw_order(data.posts, eligible, seed)


def _attempt(problems: ProblemCollector, step: Callable[[], T]) -> T | None:
    """Run one independent check; its problems join the others, so the clerk sees them all at once."""
    try:
        return step()
    except InputErrors as exc:
        problems.extend(exc.problems)
        return None
