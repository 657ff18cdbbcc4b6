"""The outcome of a campaign so far, computed once per command: review, draw, scores, ranking, decisions, 公示期.

Every planner and `make status` read this one record; none of them re-runs a stage or opens a file. The stages run
in the order of the procedure, and each runs only once its inputs exist: the rounds one after the other, each over
those the shortlist before it let through (pipeline.scoring.rounds); until the last round's workbook is typed there
are no results, and so no 考察对象 and no appointments yet (the papers that need them are skipped, with the next
step named).
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
from pipeline.errors import InputErrors, Problem, ProblemCollector
from pipeline.review.eligibility import ReviewResult, eligible_candidates, review
from pipeline.scoring.ballot_entry import load_ballots
from pipeline.scoring.compute import Candidate, CandidateResult, ScoreEntry
from pipeline.scoring.draw import Draw, draw_order
from pipeline.scoring.ranking import compute_results
from pipeline.scoring.rounds import RoundStage, apply_shortlist, load_list_round, round_file
from pipeline.scoring.score_entry import load_scores
from pipeline.scoring.stage import check_judge_groups



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
    stages: tuple[RoundStage, ...] = ()  # the rounds reached, in order (pipeline.scoring.rounds)

    def pending(self) -> RoundStage | None:
        """The first round whose workbook is not typed yet (None: all are, or none is reached)."""
        return next((s for s in self.stages if not s.typed), None)
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
    shortfall = tuple(check_judge_groups(data.scheme, data.judges))
    # InputErrors (double entry disagrees, a missing or bad score …) stop the command before anything is written.
    stages, entry = run_rounds(data, Path(campaign_dir), reviews)
    judges = next((s for s in stages if s.round.source == "judges"), None)
    draws = judges.draws if judges else ()
    outcome = Outcome(reviews, draws, shortfall, dates.review_notice, dates.notice_days,
                      publish_scores=publish_scores(data), inspection_notice=dates.inspection_notice,
                      pre_appointment_notice=dates.pre_appointment_notice, stages=stages)
    if len(stages) < len(data.scheme.rounds) or not all(s.typed for s in stages):
        return outcome
    ranked = compute_results(data.scheme, data.posts, list(stages[-1].candidates), entry)
    allocated, allocation = allocate(data.posts, ranked, data.applicants,
                                     data.campaign.settings.allocation.reassignment, data.scheme, data.rules,
                                     committee=data.campaign.settings.organisation.committee)
    results = tuple(allocated)
    appointments, decided = load_decisions(campaign_dir, data, results)
    return dataclasses.replace(outcome, results=results, appointments=tuple(appointments), decided=decided,
                               allocation=allocation)


def run_rounds(data: CampaignData, campaign_dir: Path, reviews) -> tuple[tuple[RoundStage, ...], ScoreEntry]:
    """Each round in order, over those the shortlists before it let through (docs/reference.md, 轮次和入围).

    A round is reached when every shortlist before it is typed; a round after an untyped one without a shortlist
    between them is reached too (笔试 and 加分 can be typed in any order). Reading stops at the first untyped
    round that has a shortlist: who takes the next round is not known yet.
    """
    by_number = {a.number: a for a in data.applicants}
    people = {code: [by_number[n] for n in numbers] for code, numbers in eligible_candidates(reviews).items()}
    candidates = [Candidate(a.number, a.name, code) for post in data.posts for code in (post.code,)
                  for a in people.get(code, ())]
    entry = ScoreEntry()
    stages: list[RoundStage] = []
    problems = ProblemCollector()
    for rnd in data.scheme.rounds:
        draws = tuple(speaking_order(data, candidates, rnd.name))
        ordered = candidates_of(draws)
        typed = (campaign_dir / round_file(rnd)).exists()
        if not typed:
            stages.append(RoundStage(rnd, draws))
            if rnd.shortlist is not None:
                break
            continue
        try:
            read_round(campaign_dir, data, rnd, ordered, entry)
        except InputErrors as err:
            problems.extend(err.problems)
            break
        shortlist = tuple(apply_shortlist(data.scheme, rnd, data.posts, ordered, entry)) if rnd.shortlist else ()
        stage = RoundStage(rnd, draws, True, shortlist)
        stages.append(stage)
        candidates = list(stage.passed) if rnd.shortlist else ordered
    problems.raise_if_any()
    return tuple(stages), entry


def read_round(campaign_dir: Path, data: CampaignData, rnd, candidates, entry: ScoreEntry) -> None:
    """Read one round's typed workbook into entry (the lists, scores, ballots or votes of its candidates)."""
    scheme = data.scheme
    if rnd.source == "judges":
        typed = load_scores(campaign_dir, scheme, data.judges, candidates)
        entry.scores.update(typed.scores)
        entry.lists.update(typed.lists)
    elif rnd.source == "ballot":
        entry.ballots.update(load_ballots(campaign_dir, candidates, scheme.ballot.grades, per_person=rnd.per == "person"))
    elif rnd.source == "votes":
        from pipeline.scoring.vote_entry import load_votes, vote_share

        tallies = load_votes(campaign_dir, candidates, data.posts, per_person=rnd.per == "person")
        entry.votes[rnd.name] = tallies
        entry.lists[rnd.name] = {key: vote_share(t, scheme.decimals) for key, t in tallies.items()}
    else:
        entry.lists[rnd.name] = load_list_round(campaign_dir, scheme, rnd, candidates)


def speaking_order(data: CampaignData, candidates, round_name: str = "") -> list[Draw]:
    """The recorded 抽签 order of a round's candidates (seed: [scoring].draw_seed, else the campaign title)."""
    by_number = {a.number: a for a in data.applicants}
    people: dict[str, list] = {}
    for c in candidates:
        people.setdefault(c.post_code, []).append(by_number[c.number])
    return draw_order(data.posts, people, data.campaign.settings.draw_seed, round_name)
