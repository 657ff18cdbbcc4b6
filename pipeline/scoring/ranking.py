"""Rank per post, apply the tie-break order, pick 考察对象 at the ratio; never break a cut-off tie silently.

docs/reference.md, 名次和同分: rank per post; ties are broken by the configured order (scoring.tie_break), and a
tie that remains at the cut-off is shown as a tie for the committee. 考察对象 = places × N at "1:N".
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Iterable, Sequence

from pipeline.campaign.model import Post
from pipeline.scoring.compute import Candidate, CandidateResult, ScoreEntry, score_candidate
from pipeline.scoring.scheme import ScoringScheme


def rank_key(scheme: ScoringScheme, result: CandidateResult) -> tuple[Decimal, ...]:
    """Return (total, tie-break scores in turn): higher is better, compared left to right."""
    return (result.total,) + tuple(result.part(name) or Decimal(0) for name in scheme.tie_break)


def _decider(scheme: ScoringScheme, a: tuple, b: tuple) -> str | None:
    """Name the first tie-break criterion on which two equal totals differ (None: still tied)."""
    for name, x, y in zip(scheme.tie_break, a[1:], b[1:]):
        if x != y:
            return name
    return None


def _competition_ranks(keys: Sequence[tuple]) -> list[int]:
    """Rank sorted keys 1, 2, 2, 4: equal keys share the better rank, the next rank skips."""
    ranks = []
    for i, key in enumerate(keys):
        ranks.append(ranks[i - 1] if i and key == keys[i - 1] else i + 1)
    return ranks


def rank_post(scheme: ScoringScheme, results: Iterable[CandidateResult], places: int,
              ratio: int) -> list[CandidateResult]:
    """Rank one post's results and mark 考察对象; vetoed candidates come last, unranked."""
    vetoed = [r for r in results if r.vetoed]
    ranked = sorted((r for r in results if not r.vetoed), key=lambda r: rank_key(scheme, r), reverse=True)
    keys = [rank_key(scheme, r) for r in ranked]
    ranks = _competition_ranks(keys)
    cutoff = places * ratio
    out = []
    for i, (result, key, rank) in enumerate(zip(ranked, keys, ranks)):
        last_rank = rank + keys.count(key) - 1  # the worst place this tie group occupies
        straddles = rank <= cutoff < last_rank  # seed rule: a cut-off tie goes to the committee
        neighbours = [keys[j] for j in (i - 1, i + 1) if 0 <= j < len(keys) and keys[j][0] == key[0]]
        decided = next((d for d in (_decider(scheme, key, n) for n in neighbours) if d), None)
        out.append(replace(result, rank=rank, tie_at_cutoff=straddles, tie_broken_by=decided,
                           inspection=rank <= cutoff and not straddles))
    return out + [replace(r, rank=None, inspection=False) for r in vetoed]


def compute_results(scheme: ScoringScheme, posts: Sequence[Post], candidates: Sequence[Candidate],
                    entry: ScoreEntry) -> list[CandidateResult]:
    """Score every candidate and rank each post; posts in 职位表 order, candidates by rank."""
    scored = [score_candidate(scheme, c, entry) for c in candidates]
    out = []
    for post in posts:
        mine = [r for r in scored if r.candidate.post_code == post.code]
        out.extend(rank_post(scheme, mine, post.places, scheme.ratio_for(post.code)))
    return out
