"""Rounds and shortlists (入围): a campaign runs its rounds in order, and only those a shortlist lets through
take the next one.

docs/reference.md, 轮次和入围. Each round of campaign.toml [[scoring.components]] has its own entry workbook:
the judges' round 评分录入.xlsx, a list round 「笔试成绩.xlsx」 (one row per person: a written exam is one paper,
whatever the posts the person applied for), 民主测评.xlsx and 民主推荐.xlsx. A round is reached when the rounds
before it are typed; its blank workbook and its papers list only the candidates the shortlists let through.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Sequence

import openpyxl

from pipeline.campaign.model import Post
from pipeline.engine.safe_paths import component as file_component
from pipeline.errors import InputErrors, Problem, ProblemCollector
from pipeline.scoring.compute import Candidate, Key, ScoreEntry, ballot_points, is_vetoed, score_group, weighted_mean
from pipeline.scoring.scheme import Component, ScoringScheme
from pipeline.scoring.score_entry import (ENTRY_FILE, LIST_HEADER, SheetReader, _score_validation, blank_hint,
                                          compare_entries, open_workbook, write_header_row)
from pipeline.engine.xlsx_safe import safe_cell
from pipeline.scoring.vote_entry import meets_share

PERSON_HEADERS = ("报名序号", "姓名")
CANDIDACY_HEADERS = ("报名序号", "姓名", "职位代码")
POSTS_HEADER = "报考职位"  # informative on a per-person sheet: the posts the person applied for


def round_file(rnd: Component) -> str:
    """The entry workbook of a round, in the campaign folder and in OUT's 05-评分表/."""
    from pipeline.scoring.ballot_entry import BALLOT_FILE

    if rnd.source == "judges":
        return ENTRY_FILE
    if rnd.source == "ballot":
        return BALLOT_FILE
    if rnd.source == "votes":
        from pipeline.scoring.vote_entry import VOTE_FILE

        return VOTE_FILE
    return f"{file_component(rnd.name)}成绩.xlsx"


def second_file(name: str) -> str:
    """The second typed copy of an entry workbook (双人录入): 笔试成绩-复核.xlsx beside 笔试成绩.xlsx."""
    return name.removesuffix(".xlsx") + "-复核.xlsx"


def per_person(candidates: Sequence[Candidate]) -> list[Candidate]:
    """One row per person, in the order they first appear, for a score typed once for all their posts."""
    seen: dict[str, Candidate] = {}
    for c in candidates:
        seen.setdefault(c.number, Candidate(c.number, c.name, ""))
    return sorted(seen.values(), key=lambda c: c.number)


# ---------------------------------------------------------------- a list round's workbook (笔试)


def list_workbook(rnd: Component, candidates: Sequence[Candidate], full_marks: Decimal) -> openpyxl.Workbook:
    """The blank workbook of a list round: per person one row (报名序号 order), else one per candidacy."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = file_component(rnd.name)[:31]
    if rnd.per == "person":
        posts: dict[str, list[str]] = {}
        for c in candidates:
            posts.setdefault(c.number, []).append(c.post_code)
        people = per_person(candidates)
        write_header_row(ws, PERSON_HEADERS + (POSTS_HEADER, LIST_HEADER))
        for row, person in enumerate(people, start=2):
            for col, value in enumerate((person.number, person.name, "、".join(posts[person.number])), start=1):
                safe_cell(ws.cell(row=row, column=col), value).number_format = "@"
        _score_validation(ws, 4, 4, len(people), full_marks)
    else:
        from pipeline.scoring.score_entry import write_candidate_rows

        write_header_row(ws, CANDIDACY_HEADERS + (LIST_HEADER,))
        write_candidate_rows(ws, candidates)
        _score_validation(ws, 4, 4, len(candidates), full_marks)
    help_ws = wb.create_sheet("填表说明")
    once = "每人一行：报考几个职位，成绩都只录一次。" if rnd.per == "person" else "每个报考职位一行。"
    for row, text in enumerate((f"请按{rnd.name}成绩单逐人录入成绩（0 到 {full_marks}），{once}",
                                f"建议两人各录一遍：第一遍存为 {round_file(rnd)}，第二遍存为 {second_file(round_file(rnd))}，"
                                "程序会逐格比对。", "不要增删行列，不要改表头。"), start=1):
        help_ws.cell(row=row, column=1, value=text)
    return wb


def load_list_round(campaign_dir: Path, scheme: ScoringScheme, rnd: Component,
                    candidates: Sequence[Candidate]) -> dict[Key, Decimal]:
    """Read a list round's workbook (after the double-entry compare); every candidacy of a person gets the
    person's one score. Raise InputErrors listing every problem."""
    name = round_file(rnd)
    first, second = Path(campaign_dir) / name, Path(campaign_dir) / second_file(name)
    if second.exists():
        differences = compare_entries(first, second, column_word="")
        if differences:
            raise InputErrors(differences)
    wb = open_workbook(first)
    problems = ProblemCollector()
    sheet = file_component(rnd.name)[:31]
    if sheet not in wb.sheetnames:
        raise InputErrors([Problem(file=name, sheet=sheet, code="missing-sheet",
                                   message=f"缺少这张工作表；{blank_hint(name)}，请用它录入")])
    people = rnd.per == "person"
    rows = per_person(candidates) if people else list(candidates)
    reader = SheetReader(name, wb[sheet], rows, problems, fixed=PERSON_HEADERS if people else CANDIDACY_HEADERS)
    col = 4
    if not problems and reader.headers[col - 1:col] != [LIST_HEADER]:
        reader.fail(f"第四列表头应为“{LIST_HEADER}”", row=1, col=col, code="bad-header")
    scores = {key: reader.read(row, col, scheme) for key, row in reader.rows.items()}
    problems.raise_if_any()
    if people:
        return {c.key: scores[(c.number, "")] for c in candidates}
    return scores


def _mark(value: Decimal) -> str:
    return format(value.normalize(), "f")


# ---------------------------------------------------------------- one round's score and its shortlist


@dataclass(frozen=True)
class RoundScore:
    """A candidacy's score in one round (None: no score, e.g. no ballots) and whether the round vetoed it."""

    score: Decimal | None
    vetoed: bool = False
    tally: object = None  # 民主推荐: the VoteTally, whose exact share the threshold compares (not the rounding)


def round_score(scheme: ScoringScheme, rnd: Component, candidate: Candidate, entry: ScoreEntry) -> RoundScore:
    """The published score of one round for one candidacy, as the total uses it (compute.score_candidate)."""
    key = candidate.key
    if rnd.source == "judges":
        groups = [score_group(g, entry.scores[g.name][key], scheme.decimals) for g in scheme.groups]
        return RoundScore(weighted_mean(((g.weight, g.mean) for g in groups), scheme.decimals))
    if rnd.source == "ballot":
        tally = entry.ballots.get(key)
        points = ballot_points(scheme, tally) if tally is not None and tally.valid else None
        return RoundScore(points, is_vetoed(scheme, tally))
    tally = entry.votes.get(rnd.name, {}).get(key) if rnd.source == "votes" else None
    return RoundScore(entry.lists[rnd.name][key], tally=tally)


@dataclass(frozen=True)
class ShortlistRow:
    """One candidacy on a round's shortlist: its round score, its rank in the post, and whether it goes on."""

    candidate: Candidate
    score: Decimal | None
    rank: int | None  # competition rank within the post among those meeting the mark (1, 2, 2, 4)
    passed: bool
    tied_at_cut: bool = False  # shares the last place with others: all of them go on (末位同分，一并入围)
    reason: str = ""  # why not, in words, for the internal list


def shortlist_post(rnd: Component, places: int, rows: Sequence[tuple[Candidate, RoundScore]]) -> list[ShortlistRow]:
    """Apply the round's shortlist to one post's candidacies: vetoed and below the mark out, then the top
    places × N by score (ties on the last place all go on). Sorted best first; those out come after."""
    rule = rnd.shortlist
    out: list[ShortlistRow] = []
    meeting = []
    for cand, rs in rows:
        if rs.vetoed:
            out.append(ShortlistRow(cand, rs.score, None, False, reason="民主测评被否决"))
        elif rs.score is None:
            out.append(ShortlistRow(cand, None, None, False, reason="没有成绩"))
        elif rule.pass_mark is not None and rs.score < rule.pass_mark:
            out.append(ShortlistRow(cand, rs.score, None, False, reason=f"成绩未达到{_mark(rule.pass_mark)}分"))
        elif rule.vote_share is not None and (rs.tally is None or not meets_share(rs.tally, rule.vote_share)):
            out.append(ShortlistRow(cand, rs.score, None, False, reason="得票率未达到入围要求"))
        else:
            meeting.append((cand, rs))
    meeting.sort(key=lambda m: (-m[1].score, m[0].number))
    scores = [rs.score for _, rs in meeting]
    cut = places * rule.ratio if rule.ratio is not None else len(meeting)
    ranked = []
    for i, (cand, rs) in enumerate(meeting):
        rank = scores.index(rs.score) + 1  # competition ranking: the first of equal scores gives the rank
        last = rank + scores.count(rs.score) - 1
        passed = rank <= cut
        ranked.append(ShortlistRow(cand, rs.score, rank, passed, tied_at_cut=passed and last > cut,
                                   reason="" if passed else f"名次在入围人数（{cut}名）之外"))
    return ranked + sorted(out, key=lambda r: (r.score is None, -(r.score or 0), r.candidate.number))


def apply_shortlist(scheme: ScoringScheme, rnd: Component, posts: Sequence[Post], candidates: Sequence[Candidate],
                    entry: ScoreEntry) -> list[ShortlistRow]:
    """The shortlist of every post, posts in 职位表 order."""
    out = []
    for post in posts:
        mine = [(c, round_score(scheme, rnd, c, entry)) for c in candidates if c.post_code == post.code]
        if mine:
            out.extend(shortlist_post(rnd, post.places, mine))
    return out


@dataclass(frozen=True)
class RoundStage:
    """Where one round stands: who takes part, whether its workbook is typed, and its shortlist."""

    round: Component
    draws: tuple  # pipeline.scoring.draw.Draw of every candidate of this round, in this round's draw order
    typed: bool = False
    shortlist: tuple[ShortlistRow, ...] = ()

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """This round's candidates in its draw order."""
        return tuple(Candidate(d.applicant.number, d.applicant.name, d.post.code) for d in self.draws)

    @property
    def passed(self) -> tuple[Candidate, ...]:
        """Those who go on, in this round's order."""
        through = {r.candidate.key for r in self.shortlist if r.passed}
        return tuple(c for c in self.candidates if c.key in through)
