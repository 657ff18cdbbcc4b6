"""民主测评 grades named by the campaign ([scoring.ballot] grades/points/veto_grade/veto_over).

Every expected figure is worked out by hand in the comments, in exact decimals.
"""
from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from pipeline.campaign.model import Post
from pipeline.errors import InputErrors
from pipeline.scoring.compute import BallotTally, Candidate, ScoreEntry, ballot_points, is_vetoed
from pipeline.scoring.ranking import compute_results
from pipeline.scoring.scheme import DEFAULT_BALLOT_GRADES, BallotRule, load_scheme, parse_scheme
from pipeline.scoring.scheme_text import row_note

SEED5 = ["优秀", "合格", "基本合格", "不合格"]


def raw(ballot: dict) -> dict:
    return {"scoring": {"groups": [{"name": "评委", "weight": "1", "min_judges": 3}],
                        "components": [{"name": "演讲答辩", "source": "judges", "weight": "70"},
                                       {"name": "民主测评", "source": "ballot", "weight": "30"}],
                        "ballot": ballot}}


def seed5_scheme():
    return load_scheme(raw({"grades": SEED5, "points": {"优秀": "100", "合格": "80", "基本合格": "60", "不合格": "0"},
                            "veto_grade": "不合格", "veto_over": "1/3"}))


def tally(grades, *counts) -> BallotTally:
    return BallotTally(dict(zip(grades, counts)))


def messages(ballot: dict) -> list[tuple[str, str]]:
    scheme, problems = parse_scheme(raw(ballot))
    assert scheme is None and all(p.file == "campaign.toml" for p in problems)
    return [(p.column, p.message) for p in problems]


# ---------------------------------------------------------------- seed 5's grades and the veto boundary


def test_seed_5_grades_parse_in_order_with_their_points():
    rule = seed5_scheme().ballot
    assert rule.grades == tuple(SEED5) and list(rule.points) == SEED5
    assert rule.points == {"优秀": D(100), "合格": D(80), "基本合格": D(60), "不合格": D(0)}
    assert (rule.veto_grade, rule.veto_over) == ("不合格", Fraction(1, 3))


def test_seed_5_exactly_one_third_is_not_over_one_third():
    scheme = seed5_scheme()
    # 30 valid ballots: 12 优秀 + 5 合格 + 3 基本合格 + 10 不合格 = 30. One third of 30 is 10;
    # 10 不合格 is not 超过 10 (超过 excludes the figure itself): NOT vetoed.
    # points: (12×100 + 5×80 + 3×60 + 10×0) / 30 = (1200 + 400 + 180 + 0) / 30 = 1780 / 30 = 59.333… → 59.33
    at = tally(SEED5, 12, 5, 3, 10)
    assert at.valid == 30
    assert not is_vetoed(scheme, at)
    assert ballot_points(scheme, at) == D("59.33")
    # 11 不合格 of 30 (12 + 4 + 3 + 11 = 30) is over 10: vetoed.
    # points: (12×100 + 4×80 + 3×60 + 11×0) / 30 = (1200 + 320 + 180) / 30 = 1700 / 30 = 56.666… → 56.67
    over = tally(SEED5, 12, 4, 3, 11)
    assert over.valid == 30
    assert is_vetoed(scheme, over)
    assert ballot_points(scheme, over) == D("56.67")


def test_seed_5_points_may_be_omitted_for_four_grades():
    # four grades of the campaign's own take 100/80/60/0 in order; veto_grade defaults to the last one
    rule = load_scheme(raw({"grades": SEED5, "veto_over": "1/3"})).ballot
    assert rule.points == {"优秀": D(100), "合格": D(80), "基本合格": D(60), "不合格": D(0)}
    assert rule.veto_grade == "不合格"


def test_default_grades_are_unchanged_when_the_campaign_names_none():
    rule = load_scheme(raw({"veto_over": "1/3"})).ballot
    assert rule.grades == DEFAULT_BALLOT_GRADES == ("优秀", "称职", "基本称职", "不称职")
    assert rule.veto_grade == "不称职" and rule.points["基本称职"] == D(60)
    assert BallotRule().grades == DEFAULT_BALLOT_GRADES and BallotRule().veto_grade == "不称职"


def test_a_vetoed_top_scorer_stays_in_the_table_with_its_note():
    # Seed 5's grades, 演讲答辩 70 + 民主测评 30, one place.
    # 甲: judges 90 90 90 → 90.00; ballot 20 优秀 0 合格 0 基本合格 10 不合格 = 30 → (2000) / 30 = 66.666… → 66.67;
    #     total (70×90 + 30×66.67) / 100 = (6300 + 2000.1) / 100 = 83.001 → 83.00; 10 of 30 is not over 1/3.
    # 乙: judges 95 95 95 → 95.00; ballot 19 优秀 0 0 11 不合格 = 30 → 1900 / 30 = 63.333… → 63.33;
    #     total (70×95 + 30×63.33) / 100 = (6650 + 1899.9) / 100 = 85.499 → 85.50, the best total, but
    #     11 of 30 不合格 is over one third: vetoed, no 名次, not 考察对象; 甲 is first.
    scheme = seed5_scheme()
    a, b = Candidate("001", "甲", "01"), Candidate("002", "乙", "01")
    entry = ScoreEntry(
        scores={"评委": {a.key: (("J1", D(90)), ("J2", D(90)), ("J3", D(90))),
                       b.key: (("J1", D(95)), ("J2", D(95)), ("J3", D(95)))}},
        ballots={a.key: tally(SEED5, 20, 0, 0, 10), b.key: tally(SEED5, 19, 0, 0, 11)})
    results = {r.candidate.name: r for r in compute_results(scheme, [Post("01", "教务处", "处长", "正职", 1)],
                                                            [a, b], entry)}
    assert (results["甲"].total, results["甲"].ballot_points, results["甲"].rank) == (D("83.00"), D("66.67"), 1)
    assert results["甲"].inspection and not results["甲"].vetoed
    assert (results["乙"].total, results["乙"].ballot_points) == (D("85.50"), D("63.33"))
    assert results["乙"].vetoed and results["乙"].rank is None and not results["乙"].inspection
    assert row_note(results["乙"], scheme.ballot) == "民主测评“不合格”票超过有效票的1/3，不列为考察对象"
    assert row_note(results["甲"], scheme.ballot) == ""
    assert row_note(results["乙"]) == "民主测评否决，不列为考察对象"  # callers not yet passing the rule


# ---------------------------------------------------------------- other wordings


def test_grades_good_fair_poor_work_the_same():
    grades = ["好", "较好", "一般", "差"]
    scheme = load_scheme(raw({"grades": grades, "veto_over": "1/4"}))
    rule = scheme.ballot
    assert rule.points == {"好": D(100), "较好": D(80), "一般": D(60), "差": D(0)} and rule.veto_grade == "差"
    # 9 好 + 6 较好 + 3 一般 + 2 差 = 20 valid: (900 + 480 + 180 + 0) / 20 = 1560 / 20 = 78.00;
    # one quarter of 20 is 5: 2 差 is not over it; 6 差 (9 + 3 + 2 + 6 = 20) is.
    assert ballot_points(scheme, tally(grades, 9, 6, 3, 2)) == D("78.00")
    assert not is_vetoed(scheme, tally(grades, 9, 6, 3, 2))
    assert is_vetoed(scheme, tally(grades, 9, 3, 2, 6))
    # 5 差 of 20 is exactly one quarter: not over it.
    assert not is_vetoed(scheme, tally(grades, 9, 4, 2, 5))


def test_five_grades_with_their_own_points_and_another_veto_grade():
    grades = ["优秀", "良好", "一般", "较差", "差"]
    scheme = load_scheme(raw({"grades": grades, "veto_grade": "较差", "veto_over": "1/2",
                              "points": {"优秀": "100", "良好": "85", "一般": "70", "较差": "50", "差": "0"}}))
    # 3 优秀 + 3 良好 + 2 一般 + 1 较差 + 0 差 = 9: (300 + 255 + 140 + 50 + 0) / 9 = 745 / 9 = 82.777… → 82.78
    assert ballot_points(scheme, tally(grades, 3, 3, 2, 1, 0)) == D("82.78")
    # veto on 较差: half of 9 is 4.5; 5 较差 (1 + 1 + 1 + 5 + 1 = 9) is over it, 4 差 counts for nothing here.
    assert is_vetoed(scheme, tally(grades, 1, 1, 1, 5, 1))
    assert not is_vetoed(scheme, tally(grades, 1, 1, 2, 1, 4))


def test_two_grades_need_their_points():
    scheme = load_scheme(raw({"grades": ["称职", "不称职"], "points": {"称职": "100", "不称职": "0"},
                              "veto_over": "1/2"}))
    # 4 称职 + 3 不称职 = 7: 400 / 7 = 57.142… → 57.14; half of 7 is 3.5, 3 is not over it.
    assert ballot_points(scheme, tally(("称职", "不称职"), 4, 3)) == D("57.14")
    assert not is_vetoed(scheme, tally(("称职", "不称职"), 4, 3))


# ---------------------------------------------------------------- bad configuration, to the word


def test_duplicate_and_empty_grades():
    assert messages({"grades": ["优秀", "差", "优秀"], "points": {"优秀": "100", "差": "0"}}) == [
        ("scoring.ballot.grades", "档次“优秀”出现了不止一次，每个档次只写一次")]
    assert messages({"grades": ["好", " ", "差"]}) == [
        ("scoring.ballot.grades", "第2个档次是空的，请写上档次名称，如 "
                                  "grades = [\"优秀\", \"合格\", \"基本合格\", \"不合格\"]")]


def test_too_few_or_too_many_grades_and_not_a_list():
    assert messages({"grades": ["合格"]}) == [("scoring.ballot.grades", "档次应有 2 到 6 个，现为 1 个")]
    assert messages({"grades": list("甲乙丙丁戊己庚")}) == [("scoring.ballot.grades", "档次应有 2 到 6 个，现为 7 个")]
    assert messages({"grades": "优秀、合格、基本合格、不合格"}) == [
        ("scoring.ballot.grades", "应写成 grades = [\"优秀\", \"合格\", \"基本合格\", \"不合格\"] 这样的列表，从好到差排列")]


def test_points_must_name_exactly_the_grades():
    found = messages({"grades": SEED5, "points": {"优秀": "100", "称职": "80", "基本合格": "60", "不合格": "0"}})
    assert found == [
        ("scoring.ballot.points.称职", "不认识的档次“称职”，可用的有：优秀、合格、基本合格、不合格"),
        ("scoring.ballot.points", "缺少档次“合格”的折算分，每个档次都要写")]
    with pytest.raises(InputErrors) as exc:
        load_scheme(raw({"grades": SEED5, "points": {"优秀": "100", "称职": "80", "基本合格": "60", "不合格": "0"}}))
    assert "campaign.toml 「scoring.ballot.points.称职」：不认识的档次“称职”" in str(exc.value)


def test_points_are_required_beyond_four_grades_and_must_not_rise():
    assert messages({"grades": ["好", "一般", "差"]}) == [
        ("scoring.ballot.points", "有 3 个档次时要写明每档的折算分，如 points = { 好 = \"…\", 一般 = \"…\", 差 = \"…\" }")]
    assert messages({"grades": ["好", "一般", "差"], "points": {"好": "60", "一般": "80", "差": "0"}}) == [
        ("scoring.ballot.points", "档次应按从好到差排列：“一般”的折算分不应高于前一档“好”")]
    assert messages({"grades": ["好", "差"], "points": {"好": "一百", "差": "0"}}) == [
        ("scoring.ballot.points.好", "应为不小于0的数，如 \"1.5\"，现为 \"一百\"")]


def test_veto_grade_must_be_one_of_the_grades():
    # the old default grade is refused with seed 5's own grades, naming them
    assert messages({"grades": SEED5, "veto_grade": "不称职", "veto_over": "1/3"}) == [
        ("scoring.ballot.veto_grade", "应为 grades 中的一个档次：优秀、合格、基本合格、不合格，现为 \"不称职\"")]
    assert messages({"veto_grade": "不合格"}) == [
        ("scoring.ballot.veto_grade", "应为 grades 中的一个档次：优秀、称职、基本称职、不称职，现为 \"不合格\"")]
    assert messages({"grades": SEED5, "veto_over": "三分之一"}) == [
        ("scoring.ballot.veto_over", "应为 0 到 1 之间的比例，如 \"1/3\"，现为 \"三分之一\"")]
    assert messages({"grades": SEED5, "greades": []}) == [
        ("scoring.ballot.greades", "不认识的设置项“greades”，可用的有：grades、points、veto_grade、veto_over")]
