"""Score candidates: per-group trimmed means, the weighted total, the 民主测评 points and veto. Pure, in Decimal.

Rounding convention (docs/reference.md, 四舍五入; stated once here, shown on every paper):
1. Group score = mean of the scores left after dropping one highest and one lowest (seed 5),
   rounded half up to 2 decimals. This rounded figure is the published group score.
2. Judges' composite = Σ(weight × published group score) / Σweight, rounded half up to 2 decimals.
   Seed 5 weights 4 : 3 : 1.5 : 1.5 sum to 10, so this is "divide by 10" and stays out of 100.
3. With other components (笔试, 民主测评 points), total = Σ(weight × published component) / Σweight,
   rounded half up to 2 decimals; 加分 is then added as typed.
Every step uses the already-rounded published figures, so a supervisor can recompute each total from
the papers alone. Rounding is exact (fractions), never binary floating point: 87.425 → 87.43.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any, Iterable, Sequence

from pipeline.scoring.scheme import JudgeGroup, ScoringScheme

Key = tuple[str, str]  # (报名序号, 职位代码): a candidate is one applicant competing for one post


@dataclass(frozen=True)
class Candidate:
    """One applicant competing for one post, in draw (抽签) order within the post."""

    number: str
    name: str
    post_code: str

    @property
    def key(self) -> Key:
        return (self.number, self.post_code)


@dataclass(frozen=True)
class BallotTally:
    """民主测评 for one candidate: votes per overall grade; the valid ballots are their sum."""

    counts: dict[str, int]

    @property
    def valid(self) -> int:
        return sum(self.counts.values())


@dataclass
class ScoreEntry:
    """Everything typed in: judges' scores, list scores (笔试, 加分) and ballot tallies."""

    # group -> candidate key -> ((评委编号, score), ...) in the workbook's column order
    scores: dict[str, dict[Key, tuple[tuple[str, Decimal], ...]]] = field(default_factory=dict)
    lists: dict[str, dict[Key, Decimal]] = field(default_factory=dict)  # round name -> key -> score (笔试, 得票率)
    ballots: dict[Key, BallotTally] = field(default_factory=dict)
    votes: dict[str, dict[Key, Any]] = field(default_factory=dict)  # 民主推荐 round -> key -> VoteTally


@dataclass(frozen=True)
class GroupScore:
    """The working for one group: every score, which were dropped (by 评委编号), the mean and the weight."""

    group: str
    scores: tuple[tuple[str, Decimal], ...]
    dropped_high: tuple[str, ...]
    dropped_low: tuple[str, ...]
    kept_sum: Decimal
    kept_count: int
    mean: Decimal  # rounded half up: the published group score
    weight: Decimal


@dataclass(frozen=True)
class ComponentScore:
    """One published component of the total (演讲答辩, 笔试, 民主测评) with its weight."""

    name: str
    source: str
    weight: Decimal
    score: Decimal


@dataclass(frozen=True)
class CandidateResult:
    """A candidate's full working and, after ranking, rank and inspection status."""

    candidate: Candidate
    groups: tuple[GroupScore, ...]
    judges_score: Decimal  # Σ(weight × group mean) / Σweight, rounded
    components: tuple[ComponentScore, ...]  # empty when the judges' composite is the total (seed 5)
    bonus: Decimal | None
    total: Decimal
    bonus_name: str | None = None
    ballot: BallotTally | None = None
    ballot_points: Decimal | None = None
    vetoed: bool = False  # 民主测评 veto: not ranked, not an inspection candidate
    rank: int | None = None  # competition ranking within the post (1, 2, 2, 4)
    tie_broken_by: str | None = None  # the tie-break criterion that separated an equal total
    tie_at_cutoff: bool = False  # tied across the inspection cut-off: the committee decides
    inspection: bool = False  # 考察对象
    # After allocation across posts (pipeline.appointment.allocation): the post this person's place went to when
    # not this one (a higher 志愿, or a 调剂), and whether this result is a 调剂 placement on a post not applied for.
    allocated_to: str | None = None
    reassigned: bool = False

    def part(self, name: str) -> Decimal | None:
        """Return the published score of a group, a component or the bonus, by name."""
        for g in self.groups:
            if g.group == name:
                return g.mean
        for c in self.components:
            if c.name == name:
                return c.score
        return self.bonus if name == self.bonus_name else None


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Round exactly, half up (away from zero for the non-negative scores we handle)."""
    scaled = Fraction(value) * 10 ** places
    sign = -1 if scaled < 0 else 1
    units = floor(abs(scaled) + Fraction(1, 2)) * sign
    return Decimal(units).scaleb(-places)


def score_group(group: JudgeGroup, marks: Sequence[tuple[str, Decimal]], places: int = 2) -> GroupScore:
    """Drop the configured highest and lowest scores (one each in seed 5) and average the rest."""
    if len(marks) < group.drop_highest + group.drop_lowest + 1:
        raise ValueError(f"评委组“{group.name}”只有 {len(marks)} 个分数，不够去掉最高分和最低分")
    order = {judge: i for i, (judge, _) in enumerate(marks)}
    # Seed 5: drop ONE highest even where two judges share it; of equal scores the earlier column goes.
    by_high = sorted(marks, key=lambda m: (-m[1], order[m[0]]))
    high = by_high[:group.drop_highest]
    rest = [m for m in marks if m not in high]
    low = sorted(rest, key=lambda m: (m[1], order[m[0]]))[:group.drop_lowest]
    kept = [m[1] for m in rest if m not in low]
    kept_sum = sum(kept, Decimal(0))
    return GroupScore(group.name, tuple(marks), tuple(j for j, _ in high), tuple(j for j, _ in low),
                      kept_sum, len(kept), round_half_up(Fraction(kept_sum) / len(kept), places), group.weight)


def weighted_mean(parts: Iterable[tuple[Decimal, Decimal]], places: int = 2) -> Decimal:
    """Return Σ(weight × score) / Σweight of (weight, score) pairs, rounded half up."""
    parts = list(parts)
    total_weight = sum((Fraction(w) for w, _ in parts), Fraction(0))
    return round_half_up(sum((Fraction(w) * Fraction(s) for w, s in parts), Fraction(0)) / total_weight, places)


def ballot_points(scheme: ScoringScheme, tally: BallotTally) -> Decimal:
    """Average the grade points over the valid ballots, in the campaign's grades ([scoring.ballot] points).

    Seed 5's grades: 优秀100 合格80 基本合格60 不合格0; 12, 10, 5, 3 of 30 → (1200 + 800 + 300 + 0) / 30 = 76.67.
    """
    points = scheme.ballot.points
    total = sum((Fraction(points[g]) * n for g, n in tally.counts.items()), Fraction(0))
    return round_half_up(total / tally.valid, scheme.decimals)


def is_vetoed(scheme: ScoringScheme, tally: BallotTally | None) -> bool:
    """Apply the veto: the veto grade's votes 超过 (strictly more than) the set share of valid ballots.

    超过 excludes the figure itself (民法典 第一千二百五十九条): 10 不合格 of 30 is one third, not over it.
    The comparison is exact (Fraction), so 1/3 of 31 = 10.33… is not rounded to 10.
    """
    rule = scheme.ballot
    if rule is None or rule.veto_over is None or tally is None:
        return False
    return tally.counts.get(rule.veto_grade, 0) > rule.veto_over * tally.valid


def score_candidate(scheme: ScoringScheme, candidate: Candidate, entry: ScoreEntry) -> CandidateResult:
    """Compute one candidate's working and total (not yet ranked)."""
    places = scheme.decimals
    groups = tuple(score_group(g, entry.scores[g.name][candidate.key], places) for g in scheme.groups)
    judges_score = weighted_mean(((g.weight, g.mean) for g in groups), places)
    tally = entry.ballots.get(candidate.key)
    points = ballot_points(scheme, tally) if tally is not None and tally.valid else None
    components = tuple(
        ComponentScore(c.name, c.source, c.weight,
                       judges_score if c.source == "judges" else points if c.source == "ballot"
                       else entry.lists[c.name][candidate.key])
        for c in scheme.components)
    if not components:
        total = judges_score
    elif scheme.total == "last":  # [scoring] total = "last": the last round alone (earlier ones only shortlisted)
        total = components[-1].score
    else:  # a round of weight 0 only shortlists or vetoes: it adds nothing to Σweight × score nor to Σweight
        total = weighted_mean(((c.weight, c.score) for c in components if c.weight), places)
    bonus = entry.lists[scheme.bonus.name][candidate.key] if scheme.bonus else None
    return CandidateResult(candidate, groups, judges_score, components, bonus, total + (bonus or 0),
                           scheme.bonus.name if scheme.bonus else None, tally, points, is_vetoed(scheme, tally))
