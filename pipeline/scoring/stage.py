"""The scoring stage's workbooks: the blank entry workbooks out (scoresheets), the typed scores and ballots in."""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from pipeline.scoring.ballot_entry import BALLOT_FILE, ballot_workbook, load_ballots
from pipeline.engine.xlsx_style import workbook_bytes
from pipeline.errors import Problem
from pipeline.campaign.model import CampaignData, Judge
from pipeline.scoring.score_entry import ENTRY_FILE, load_scores, score_entry_workbook
from pipeline.scoring.compute import Candidate, ScoreEntry
from pipeline.scoring.scheme import ScoringScheme


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
    """The blank 评分录入.xlsx (and 民主测评.xlsx when the scheme uses ballots): (file name, bytes), in memory.

    The judge groups are full (the planner makes these only when the outcome found no shortfall).
    """
    found = [(ENTRY_FILE, workbook_bytes(score_entry_workbook(scheme.groups, judges, candidates,
                                                             lists=scheme.list_components(),
                                                             full_marks=scheme.full_marks)))]
    if scheme.uses_ballot():
        found.append((BALLOT_FILE, workbook_bytes(ballot_workbook(candidates))))
    return found


def write_entry_workbooks(out_dir: Path, scheme: ScoringScheme, judges: Sequence[Judge],
                          candidates: Sequence[Candidate]) -> list[Path]:
    """Write the blank entry workbooks into out_dir (the sample's generator and the tests)."""
    paths = []
    for name, content in entry_workbooks(scheme, judges, candidates):
        (out_dir / name).write_bytes(content)
        paths.append(out_dir / name)
    return paths


def read_entries(campaign_dir: Path, scheme: ScoringScheme, judges: Sequence[Judge],
                 candidates: Sequence[Candidate]) -> ScoreEntry:
    """Read the typed workbooks from the campaign folder (double entry compared first)."""
    entry = load_scores(campaign_dir, scheme, judges, candidates)
    if scheme.uses_ballot():
        entry.ballots = load_ballots(campaign_dir, candidates)
    return entry
