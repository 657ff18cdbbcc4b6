"""Ranking per post, the tie-break order, cut-off ties and 考察对象 at the ratio; numbers worked by hand."""
from __future__ import annotations

from decimal import Decimal as D

from pipeline.campaign.model import Post
from pipeline.scoring.ranking import compute_results
from pipeline.scoring.compute import BallotTally, Candidate, ScoreEntry
from pipeline.scoring.scheme import load_scheme

# Two groups A and B of weight 1 each: total = (A + B) / 2. Three judges each: the middle score is the mean.
RAW = {"scoring": {"groups": [{"name": "A", "weight": "1", "min_judges": 3},
                              {"name": "B", "weight": "1", "min_judges": 3}],
                   "tie_break": ["A"]},
       "inspection": {"ratio": "1:1"}}


def run(rows, places=1, ratio="1:1", raw=RAW, ballots=None):
    """rows: (number, A middle score, B middle score); each group's judges give middle-10, middle, middle+5."""
    scheme = load_scheme({**raw, "inspection": {"ratio": ratio}})
    cands = [Candidate(n, f"考生{n}", "01") for n, _, _ in rows]
    entry = ScoreEntry(ballots=ballots or {})
    for group, idx in (("A", 1), ("B", 2)):
        entry.scores[group] = {c.key: (("J1", D(r[idx]) - 10), ("J2", D(r[idx])), ("J3", D(r[idx]) + 5))
                               for c, r in zip(cands, rows)}
    results = compute_results(scheme, [Post("01", "教务处", "处长", "正职", places)], cands, entry)
    return {r.candidate.number: r for r in results}


def test_tie_broken_by_the_rule():
    # X: A 90, B 80 → (90 + 80) / 2 = 85.00; Y: A 80, B 90 → 85.00. Equal totals; tie_break ["A"]: 90 > 80.
    out = run([("Y", "80", "90"), ("X", "90", "80")])
    assert (out["X"].total, out["Y"].total) == (D("85.00"), D("85.00"))
    assert (out["X"].rank, out["Y"].rank) == (1, 2)
    assert out["X"].tie_broken_by == out["Y"].tie_broken_by == "A"
    assert out["X"].inspection and not out["Y"].inspection and not out["X"].tie_at_cutoff


def test_tie_left_for_the_committee_at_the_cut_off():
    # 1 place at 1:2 → cut-off 2. P: (90 + 90) / 2 = 90.00 rank 1; Q and R: (85 + 85) / 2 = 85.00 with equal A,
    # so still tied: ranks 1, 2, 2. The tie covers places 2 and 3 across the cut-off at 2: committee decides.
    out = run([("P", "90", "90"), ("Q", "85", "85"), ("R", "85", "85")], ratio="1:2")
    assert [out[n].rank for n in "PQR"] == [1, 2, 2]
    assert out["P"].inspection and not out["P"].tie_at_cutoff
    assert out["Q"].tie_at_cutoff and out["R"].tie_at_cutoff
    assert not out["Q"].inspection and not out["R"].inspection and out["Q"].tie_broken_by is None


def test_a_tie_inside_the_cut_off_is_no_problem_and_ranks_skip():
    # Totals 90, 85, 85, 80 → ranks 1, 2, 2, 4 (competition ranking). At 1:3 (cut-off 3) the tie at 2–3 fits.
    out = run([("P", "90", "90"), ("Q", "85", "85"), ("R", "85", "85"), ("S", "80", "80")], ratio="1:3")
    assert [out[n].rank for n in "PQRS"] == [1, 2, 2, 4]
    assert [out[n].inspection for n in "PQRS"] == [True, True, True, False]
    assert not any(out[n].tie_at_cutoff for n in "PQRS")


def test_ratio_1_to_2_picks_twice_the_places():
    # 1 place at 1:2: the top two of four. Totals: P 92.50 ((95 + 90) / 2), Q 85.00, R 82.50, S 80.00.
    out = run([("S", "80", "80"), ("R", "80", "85"), ("Q", "85", "85"), ("P", "95", "90")], ratio="1:2")
    assert [(out[n].total, out[n].rank, out[n].inspection) for n in "PQRS"] == [
        (D("92.50"), 1, True), (D("85.00"), 2, True), (D("82.50"), 3, False), (D("80.00"), 4, False)]


def test_per_post_ratio_overrides_the_global_one():
    scheme = load_scheme(RAW, [Post("01", "教务处", "处长", "正职", 1, inspection_ratio="1:2")])
    assert scheme.ratio_for("01") == 2 and scheme.ratio_for("02") == 1


def test_vetoed_candidate_is_not_ranked_and_the_next_moves_up():
    raw = {"scoring": {**RAW["scoring"], "ballot": {"veto_over": "1/3"}}}
    # P is first on scores (90.00) but 11 of 30 valid ballots are 不称职: 11 > 30 / 3 = 10 → vetoed.
    ballots = {("P", "01"): BallotTally({"优秀": 19, "称职": 0, "基本称职": 0, "不称职": 11}),
               ("Q", "01"): BallotTally({"优秀": 20, "称职": 0, "基本称职": 0, "不称职": 10})}
    out = run([("P", "90", "90"), ("Q", "85", "85")], raw=raw, ballots=ballots)
    assert out["P"].vetoed and out["P"].rank is None and not out["P"].inspection
    assert not out["Q"].vetoed and out["Q"].rank == 1 and out["Q"].inspection
