"""The scoring stage's workbooks: the blank entry workbooks out (scoresheets), the typed scores and ballots in."""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from pipeline.scoring.ballot_entry import ballot_workbook
from pipeline.engine.xlsx_style import workbook_bytes
from pipeline.errors import Problem
from pipeline.campaign.model import CampaignData, Judge, Post
from pipeline.scoring.score_entry import score_entry_workbook
from pipeline.scoring.compute import Candidate
from pipeline.scoring.rounds import list_workbook, round_file
from pipeline.scoring.scheme import Component, ScoringScheme


def make_candidates(data: CampaignData, passed: Mapping[str, Sequence[str]]) -> list[Candidate]:
    """Turn {职位代码: [报名序号 in draw order]} (e.g. eligibility.eligible_candidates) into candidates."""
    names = {a.number: a.name for a in data.applicants}
    return [Candidate(number, names[number], post.code) for post in data.posts
            for number in passed.get(post.code, ())]


def check_judge_groups(scheme: ScoringScheme, judges: Sequence[Judge]) -> list[Problem]:
    """List the groups whose 评委名单 falls short of min_judges (seed 5: a group needs at least 3 scores)."""
    return [Problem(file="评委名单.xlsx", sheet="评委名单", column="评委组", code="group-too-small",
                    message=f"“{g.name}”只有 {n} 位评委，按 campaign.toml 至少需要 {g.min_judges} 位，请补足评委")
            for g in scheme.groups if (n := sum(j.group == g.name for j in judges)) < g.min_judges]


def entry_workbooks(scheme: ScoringScheme, judges: Sequence[Judge],
                    candidates: Sequence[Candidate]) -> list[tuple[str, bytes]]:
    """The blank workbook of every round, all over the same candidates (a campaign without shortlists, the
    sample generators and the tests): (file name, bytes), in memory."""
    return [found for rnd in scheme.rounds for found in round_workbooks(scheme, judges, rnd, candidates)]


def round_workbooks(scheme: ScoringScheme, judges: Sequence[Judge], rnd: Component,
                    candidates: Sequence[Candidate], posts: Sequence[Post] = ()) -> list[tuple[str, bytes]]:
    """The blank entry workbook of one round over its candidates (the judge groups are full: the planner makes
    评分录入.xlsx only when the outcome found no shortfall)."""
    name = round_file(rnd)
    if rnd.source == "judges":
        book = score_entry_workbook(scheme.groups, judges, candidates, lists=scheme.list_components(),
                                    full_marks=scheme.full_marks)
    elif rnd.source == "ballot":
        book = ballot_workbook(candidates, scheme.ballot.grades, per_person=rnd.per == "person")
    elif rnd.source == "votes":
        from pipeline.scoring.vote_entry import vote_workbook

        book = vote_workbook(candidates, posts, per_person=rnd.per == "person")
    else:
        book = list_workbook(rnd, candidates, scheme.full_marks)
    return [(name, workbook_bytes(book))]


def write_entry_workbooks(out_dir: Path, scheme: ScoringScheme, judges: Sequence[Judge],
                          candidates: Sequence[Candidate]) -> list[Path]:
    """Write the blank entry workbooks into out_dir (the sample's generator and the tests)."""
    paths = []
    for name, content in entry_workbooks(scheme, judges, candidates):
        (out_dir / name).write_bytes(content)
        paths.append(out_dir / name)
    return paths


