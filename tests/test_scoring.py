"""Scoring scheme parsing and the per-candidate arithmetic, with the expected numbers worked by hand."""
from __future__ import annotations

import tomllib
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.scoring.compute import (BallotTally, Candidate, ScoreEntry, ballot_points, is_vetoed, round_half_up,
                              score_candidate, score_group, weighted_mean)
from pipeline.scoring.scheme import JudgeGroup, load_scheme, parse_ratio, parse_scheme
from pipeline.errors import InputErrors
from tests.conftest import SAMPLE

G3 = JudgeGroup("专家评委", D(4), 3)


def marks(*scores):
    """Scores for judges J1, J2, ... in column order."""
    return tuple((f"J{i}", D(str(s))) for i, s in enumerate(scores, start=1))


def sample_raw():
    with open(SAMPLE / "campaign.toml", "rb") as f:
        return tomllib.load(f)


# ---------------------------------------------------------------- the scheme


def test_sample_campaign_is_seed_5_scheme_exactly():
    scheme = load_scheme(sample_raw())
    assert [(g.name, g.weight, g.drop_highest, g.drop_lowest) for g in scheme.groups] == [
        ("专家评委", D(4), 1, 1), ("党委成员", D(3), 1, 1), ("中层干部", D("1.5"), 1, 1), ("教师代表", D("1.5"), 1, 1)]
    assert scheme.components == () and scheme.bonus is None and scheme.ballot is None
    assert scheme.tie_break == ("专家评委", "党委成员") and scheme.inspection_ratio == 1


def test_unknown_keys_and_bad_values_are_located_in_campaign_toml():
    raw = sample_raw()
    raw["scoring"]["groups"][1]["wieght"] = "3"
    raw["scoring"]["groups"][2]["min_judges"] = 2  # cannot drop one high and one low and keep one
    raw["scoring"]["tie_break"] = ["专家评委", "评委会"]
    raw["inspection"]["ratio"] = "2:1"
    scheme, problems = parse_scheme(raw)
    assert scheme is None
    where = {p.column for p in problems}
    assert where == {"scoring.groups[2].wieght", "scoring.groups[3].min_judges", "scoring.tie_break",
                     "inspection.ratio"}
    assert all(p.file == "campaign.toml" for p in problems)
    with pytest.raises(InputErrors) as exc:
        load_scheme(raw)
    assert "campaign.toml 「scoring.groups[2].wieght」：不认识的设置项“wieght”" in str(exc.value)


def test_variants_parse():
    raw = {"scoring": {
        "groups": [{"name": "面试评委", "weight": "1", "min_judges": 5}],
        "components": [{"name": "笔试", "source": "list", "weight": "40"},
                       {"name": "面试", "source": "judges", "weight": "60"}],
        "ballot": {"veto_over": "1/3"}, "bonus": {"name": "加分", "max": "3"}, "tie_break": ["面试", "笔试"]},
        "inspection": {"ratio": "1:3"}}
    scheme = load_scheme(raw)
    assert scheme.list_components() == ("加分",)  # 笔试 is a round of its own, typed in 笔试成绩.xlsx
    assert scheme.ballot.veto_over == Fraction(1, 3) and scheme.ballot.points["基本称职"] == D(60)
    assert scheme.inspection_ratio == 3


def test_the_commented_variants_in_campaign_toml_parse_when_uncommented():
    text = (SAMPLE / "campaign.toml").read_text(encoding="utf-8")
    block = text[text.index("# 分轮进行并按比例合成"):text.index("[inspection]")]
    uncommented = "\n".join(line[4:] for line in block.splitlines() if line.startswith("#   "))
    scheme = load_scheme(tomllib.loads(text.replace(block, uncommented + "\n")))
    assert [(c.name, c.source, c.weight) for c in scheme.components] == [("笔试", "list", D(40)), ("面试", "judges", D(60))]
    assert scheme.ballot.veto_over == Fraction(1, 3) and scheme.bonus.max == D(5)


@pytest.mark.parametrize("text,n", [("1:1", 1), ("1:2", 2), (" 1：3 ", 3), ("2:1", None), ("1:0", None), ("", None)])
def test_parse_ratio(text, n):
    assert parse_ratio(text) == n


# ---------------------------------------------------------------- rounding and groups


def test_round_half_up_where_float_round_does_not():
    # 87.425 is stored in binary as 87.42499999..., so float round() gives 87.42; the rule says 87.43.
    assert round(87.425, 2) == 87.42
    assert round_half_up(D("87.425")) == D("87.43")
    assert round_half_up(Fraction(2, 3)) == D("0.67") and round_half_up(D("87.424999")) == D("87.42")


def test_two_judges_sharing_the_top_score_drop_only_one():
    # 90, 90, 85, 80, 70: drop ONE 90 (J1, the earlier column) and the 70 (J5);
    # kept 90 + 85 + 80 = 255, / 3 = 85.00. Dropping both 90s would give (85 + 80) / 2 = 82.50.
    g = score_group(G3, marks(90, 90, 85, 80, 70))
    assert g.dropped_high == ("J1",) and g.dropped_low == ("J5",)
    assert (g.kept_sum, g.kept_count, g.mean) == (D(255), 3, D("85.00"))


def test_mean_of_x_xx5_rounds_up():
    # 95, 87.5, 87.4, 87.3, 87.5, 60: drop 95 (J1) and 60 (J6);
    # kept 87.5 + 87.4 + 87.3 + 87.5 = 349.7, / 4 = 87.425 → 87.43 (float: round(349.7 / 4, 2) = 87.42).
    g = score_group(G3, marks(95, 87.5, 87.4, 87.3, 87.5, 60))
    assert round(349.7 / 4, 2) == 87.42
    assert (g.dropped_high, g.dropped_low, g.kept_sum, g.mean) == (("J1",), ("J6",), D("349.7"), D("87.43"))


def test_shared_lowest_drops_only_one_and_a_three_judge_group_keeps_the_middle():
    g = score_group(G3, marks(70, 88, 70, 95))  # drop 95 (J4) and one 70 (J1): (88 + 70) / 2 = 79.00
    assert (g.dropped_high, g.dropped_low, g.mean) == (("J4",), ("J1",), D("79.00"))
    assert score_group(G3, marks(60, 99, 80)).mean == D("80.00")
    with pytest.raises(ValueError):
        score_group(G3, marks(80, 90))


def test_seed_5_composite():
    # Σ(weight × group score) / Σweight with 4 : 3 : 1.5 : 1.5 (Σ = 10):
    # 4 × 85.00 + 3 × 87.43 + 1.5 × 80.50 + 1.5 × 90.25 = 340 + 262.29 + 120.75 + 135.375 = 858.415;
    # / 10 = 85.8415 → 85.84.
    parts = [(D(4), D("85.00")), (D(3), D("87.43")), (D("1.5"), D("80.50")), (D("1.5"), D("90.25"))]
    assert weighted_mean(parts) == D("85.84")


# ---------------------------------------------------------------- ballots and variants


def ballot_scheme(**ballot):
    return load_scheme({"scoring": {"groups": [{"name": "评委", "weight": "1", "min_judges": 3}],
                                    "components": [{"name": "演讲答辩", "source": "judges", "weight": "60"},
                                                   {"name": "笔试", "source": "list", "weight": "40"}],
                                    "ballot": ballot}})


def test_ballot_points_average_over_valid_ballots():
    scheme = ballot_scheme()
    # (20 × 100 + 8 × 80 + 1 × 60 + 1 × 0) / 30 = 2700 / 30 = 90.00
    assert ballot_points(scheme, BallotTally({"优秀": 20, "称职": 8, "基本称职": 1, "不称职": 1})) == D("90.00")
    # (7 × 100 + 2 × 80) / 9 = 860 / 9 = 95.555… → 95.56
    assert ballot_points(scheme, BallotTally({"优秀": 7, "称职": 2, "基本称职": 0, "不称职": 0})) == D("95.56")


def test_veto_is_strictly_over_the_share():
    scheme = ballot_scheme(veto_over="1/3")
    # 30 valid ballots: one third is 10. 10 不称职 is not 超过 (民法典 第一千二百五十九条); 11 is.
    assert not is_vetoed(scheme, BallotTally({"优秀": 15, "称职": 5, "基本称职": 0, "不称职": 10}))
    assert is_vetoed(scheme, BallotTally({"优秀": 14, "称职": 5, "基本称职": 0, "不称职": 11}))
    # 31 valid: one third is 10.33…, so 10 passes and 11 is vetoed.
    assert not is_vetoed(scheme, BallotTally({"优秀": 21, "称职": 0, "基本称职": 0, "不称职": 10}))


def test_written_exam_and_interview_combined_by_percentages_plus_bonus():
    scheme = load_scheme({"scoring": {
        "groups": [{"name": "评委", "weight": "1", "min_judges": 3}],
        "components": [{"name": "笔试", "source": "list", "weight": "40"},
                       {"name": "面试", "source": "judges", "weight": "60"}],
        "bonus": {"name": "加分", "max": "2"}}})
    cand = Candidate("001", "甲", "01")
    entry = ScoreEntry(scores={"评委": {cand.key: marks(90, 86, 85.5, 85.5, 70)}},
                       lists={"笔试": {cand.key: D("78.5")}, "加分": {cand.key: D("1.5")}})
    result = score_candidate(scheme, cand, entry)
    # 面试: drop 90 and 70, (86 + 85.5 + 85.5) / 3 = 257 / 3 = 85.666… → 85.67.
    # total: (40 × 78.5 + 60 × 85.67) / 100 = (3140 + 5140.2) / 100 = 82.802 → 82.80; + 加分 1.5 = 84.30.
    assert result.judges_score == D("85.67")
    assert [(c.name, c.score) for c in result.components] == [("笔试", D("78.5")), ("面试", D("85.67"))]
    assert result.total == D("84.30") and result.part("加分") == D("1.5")


def test_ballot_as_a_weighted_component():
    scheme = load_scheme({"scoring": {
        "groups": [{"name": "评委", "weight": "1", "min_judges": 3}],
        "components": [{"name": "演讲答辩", "source": "judges", "weight": "70"},
                       {"name": "民主测评", "source": "ballot", "weight": "30"}]}})
    cand = Candidate("002", "乙", "01")
    entry = ScoreEntry(scores={"评委": {cand.key: marks(80, 80, 80)}},
                       ballots={cand.key: BallotTally({"优秀": 7, "称职": 2, "基本称职": 0, "不称职": 0})})
    # (70 × 80.00 + 30 × 95.56) / 100 = (5600 + 2866.8) / 100 = 84.668 → 84.67
    assert score_candidate(scheme, cand, entry).total == D("84.67")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=3, max_size=40))
def test_group_mean_is_sum_minus_max_minus_min(tenths):
    # Dropping one highest and one lowest is the same as (Σ − max − min) / (n − 2), whatever ties there are.
    scores = [D(t) / 10 for t in tenths]
    g = score_group(G3, marks(*scores))
    assert g.kept_count == len(scores) - 2 and g.kept_sum == sum(scores) - max(scores) - min(scores)
    assert g.mean == (g.kept_sum / g.kept_count).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert {dict(g.scores)[g.dropped_high[0]], dict(g.scores)[g.dropped_low[0]]} == {max(scores), min(scores)}
