"""Allocation across posts by 志愿, 调剂 and 空缺 (pipeline.appointment.allocation); every case worked by hand.

One judge group A of three judges, weight 1: each candidate's judges give m-10, m, m+5, so dropping the highest and
the lowest leaves m, and the total is m (total = A = m, rounded to 2 places: m.00).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import openpyxl
import pytest

from pipeline.appointment.allocation import Allocation, allocate, needs_allocation, vacancy_text
from pipeline.appointment.decisions import DECISION_FILE, propose, read_decisions
from pipeline.campaign.model import CampaignData, Post
from pipeline.errors import InputErrors
from pipeline.papers.contexts import EXAMPLE_APPLICANT, EXAMPLE_CAMPAIGN
from pipeline.review.rules import Conditions, RuleSet
from pipeline.scoring.compute import BallotTally, Candidate, ScoreEntry
from pipeline.scoring.ranking import compute_results
from pipeline.scoring.scheme import load_scheme

RAW = {"scoring": {"groups": [{"name": "A", "weight": "1", "min_judges": 3}]}, "inspection": {"ratio": "1:1"}}
RULES = RuleSet(Conditions(), dt.date(2026, 6, 12))  # no general condition: only the 职位表 columns count


def post(code: str, category: str = "副职", places: int = 1, **kw) -> Post:
    return Post(code, "综合办", f"岗位{code}", category, places, **kw)


def person(number: str, name: str, posts: tuple[str, ...], reassign: bool | None = None, **kw):
    kw.setdefault("professional_title", None)  # a title the review knows by level, or none
    return replace(EXAMPLE_APPLICANT, number=number, name=name, posts=posts, accept_reassignment=reassign, **kw)


def ranked(posts, people, scores, raw=RAW, ballots=None):
    """scores: {(报名序号, 职位代码): m}; candidates in the order given; returns the scheme and the ranking."""
    scheme = load_scheme(raw, posts)
    names = {a.number: a.name for a in people}
    cands = [Candidate(n, names[n], code) for n, code in scores]
    entry = ScoreEntry(scores={"A": {c.key: (("J1", D(scores[c.key]) - 10), ("J2", D(scores[c.key])),
                                             ("J3", D(scores[c.key]) + 5)) for c in cands}},
                       ballots=ballots or {})
    return scheme, compute_results(scheme, posts, cands, entry)


def by_key(results):
    return {r.candidate.key: r for r in results}


# --- 志愿: a chain of three, each first for two posts ---

def test_a_chain_of_three_is_resolved_by_their_wishes_and_the_places_passed_down():
    # Four posts of one place at 1:1 (考察名额 1 each). Totals (= m):
    #   01: 王一 90                      → 王一 1st
    #   02: 王一 90, 李二 85             → 王一 1st, 李二 2nd
    #   03: 李二 90, 张三 85             → 李二 1st, 张三 2nd
    #   04: 张三 90, 赵四 80             → 张三 1st, 赵四 2nd
    # 志愿: 王一 01 > 02; 李二 02 > 03; 张三 03 > 04; 赵四 04.
    # Post by post the ranking makes 王一 the 考察对象 of 01 and 02, 李二 of 03, 张三 of 04, and 赵四 nothing.
    # By 志愿 (person-proposing, first round everyone at their first wish): 01 keeps 王一, 02 keeps 李二 (王一 is
    # not there), 03 keeps 张三, 04 keeps 赵四. Nobody is refused, so that is final: each place passed down one.
    posts = [post("01"), post("02"), post("03"), post("04")]
    people = [person("1", "王一", ("01", "02")), person("2", "李二", ("02", "03")),
              person("3", "张三", ("03", "04")), person("4", "赵四", ("04",))]
    scheme, results = ranked(posts, people, {("1", "01"): 90, ("1", "02"): 90, ("2", "02"): 85, ("2", "03"): 90,
                                             ("3", "03"): 85, ("3", "04"): 90, ("4", "04"): 80})
    before = by_key(results)
    assert [k for k, r in before.items() if r.inspection] == [("1", "01"), ("1", "02"), ("2", "03"), ("3", "04")]

    out, alloc = allocate(posts, results, people, "none", scheme)
    after = by_key(out)
    assert [k for k, r in after.items() if r.inspection] == [("1", "01"), ("2", "02"), ("3", "03"), ("4", "04")]
    assert [r.rank for r in out] == [r.rank for r in results]  # ranks stay the ranking's
    assert (after[("1", "02")].allocated_to, after[("2", "03")].allocated_to,
            after[("3", "04")].allocated_to) == ("01", "02", "03")
    assert after[("1", "01")].allocated_to is None
    assert alloc.placements == {"01": (("1", "志愿第1"),), "02": (("2", "志愿第1"),),
                                "03": (("3", "志愿第1"),), "04": (("4", "志愿第1"),)}
    assert alloc.vacancies == {} and alloc.ties == {}
    # The record: the rule, then each post whose place passed down, in the order of the chain.
    assert alloc.steps[1:] == (
        "第2步：王一 在 01 职位（第一志愿）和 02 职位（第二志愿，第1名）均进入考察名额，按志愿确定为 01 职位考察对象；"
        "02 职位 岗位02（考察名额 1 名）名额依次递补给 李二（第2名）",
        "第3步：李二 在 02 职位（第一志愿）和 03 职位（第二志愿，第1名）均进入考察名额，按志愿确定为 02 职位考察对象；"
        "03 职位 岗位03（考察名额 1 名）名额依次递补给 张三（第2名）",
        "第4步：张三 在 03 职位（第一志愿）和 04 职位（第二志愿，第1名）均进入考察名额，按志愿确定为 03 职位考察对象；"
        "04 职位 岗位04（考察名额 1 名）名额依次递补给 赵四（第2名）",
    )
    assert alloc.steps[0].startswith("第1步：按各职位排名和考察比例")
    assert alloc.rows()[1] == ("第2步", alloc.explanations[1])


def test_two_people_who_each_prefer_the_others_post_both_get_their_first_wish():
    # Posts 01 and 02, one place at 1:1. 甲: 01 85 (2nd), 02 90 (1st), wishes 01 > 02.
    # 乙: 01 90 (1st), 02 85 (2nd), wishes 02 > 01. Post by post: 乙 at 01, 甲 at 02 — each at their SECOND wish.
    # By 志愿: first round 甲 applies to 01 (alone: kept), 乙 to 02 (alone: kept); nobody is refused: final.
    # (Person-proposing deferred acceptance: people get the highest 志愿 no better-ranked person takes from them.)
    posts = [post("01"), post("02")]
    people = [person("1", "甲", ("01", "02")), person("2", "乙", ("02", "01"))]
    scheme, results = ranked(posts, people, {("1", "01"): 85, ("1", "02"): 90, ("2", "01"): 90, ("2", "02"): 85})
    out, alloc = allocate(posts, results, people, "none", scheme)
    assert {k for k, r in by_key(out).items() if r.inspection} == {("1", "01"), ("2", "02")}
    assert alloc.placements == {"01": (("1", "志愿第1"),), "02": (("2", "志愿第1"),)}


def test_a_tied_person_is_held_at_the_higher_wish_and_their_lower_place_passes_down():
    # 01 (1 place, 1:1): 周 90, 吴 90 — equal totals, no tie-break: ranks 1, 1; the tie straddles the cut at 1.
    # 02 (1 place, 1:1): 周 88 (1st), 郑 80 (2nd). 周's wishes: 01 > 02.
    # Rule (module docstring, 2): 周 is held at 01 as tied (the committee decides between 周 and 吴), does not go
    # on to 02, and 02's place passes to 郑.
    posts = [post("01"), post("02")]
    people = [person("1", "周", ("01", "02")), person("2", "吴", ("01",)), person("3", "郑", ("02",))]
    scheme, results = ranked(posts, people, {("1", "01"): 90, ("2", "01"): 90, ("1", "02"): 88, ("3", "02"): 80})
    out, alloc = allocate(posts, results, people, "none", scheme)
    after = by_key(out)
    assert after[("1", "01")].tie_at_cutoff and after[("2", "01")].tie_at_cutoff
    assert not after[("1", "02")].inspection and after[("1", "02")].allocated_to == "01"
    assert after[("3", "02")].inspection
    assert alloc.ties == {"01": ("1", "2")}
    assert alloc.steps[1] == (
        "第2步：周 在 01 职位（第一志愿）和 02 职位（第二志愿，第1名）均进入考察名额，按志愿保留在 01 职位（该职位考察名额"
        "末位同分，由党委研究确定；党委未确定其为考察对象的，02 职位的名额也不再保留）；"
        "02 职位 岗位02（考察名额 1 名）名额依次递补给 郑（第2名）")


# --- 调剂, and a person the eligibility check refuses ---

def test_reassignment_fills_an_empty_post_and_skips_whoever_fails_its_conditions():
    # 01 副职 (1 place, 1:1): 钱 90 (1st), 孙 85 (2nd), 李 80 (3rd), 冯 75 (4th). 钱 is its 考察对象.
    # 02 副职 (1 place, 1:1, 学历 大学本科 required): nobody applied — capacity 1 unfilled.
    # 03 正职 (1 place): 陈 88 (1st), 褚 70 (2nd); full.
    # 调剂 "same_category" for 02: people kept nowhere who accept 调剂 with a 副职 candidacy, by best total:
    #   孙 85 (accepts, 大学专科: below 大学本科 → refused, recorded), 李 80 (accepts, 大学本科 → placed);
    #   冯 does not accept; 褚 accepts but applied to a 正职 post only.
    posts = [post("01"), post("02", min_education="大学本科"), post("03", "正职")]
    people = [person("1", "钱", ("01",)), person("2", "孙", ("01",), True, education="大学专科"),
              person("3", "李", ("01",), True, education="大学本科"), person("4", "冯", ("01",), False),
              person("5", "陈", ("03",)), person("6", "褚", ("03",), True)]
    scheme, results = ranked(posts, people, {("1", "01"): 90, ("2", "01"): 85, ("3", "01"): 80, ("4", "01"): 75,
                                             ("5", "03"): 88, ("6", "03"): 70})
    out, alloc = allocate(posts, results, people, "same_category", scheme, RULES)
    after = by_key(out)
    placed = after[("3", "02")]
    assert placed.reassigned and placed.inspection and placed.rank is None and placed.total == D("80.00")
    assert after[("3", "01")].allocated_to == "02" and not after[("3", "01")].inspection
    assert [r.candidate.key for r in out] == [("1", "01"), ("2", "01"), ("3", "01"), ("4", "01"), ("3", "02"),
                                              ("5", "03"), ("6", "03")]  # the copy closes its post's block
    assert alloc.placements["02"] == (("3", "调剂"),) and alloc.vacancies == {}
    assert alloc.steps[-1] == (
        "第3步：02 职位 岗位02 考察名额尚缺 1 名；按调剂办法，在报考副职职位、服从调剂且未进入任何职位考察名额的人员中，"
        "按其报考副职职位的最高总成绩依次调剂；孙（总成绩 85.00，报考 01 职位）不符合该职位的资格条件（学历低于大学本科），"
        "不予调剂；调剂 李（总成绩 80.00，报考 01 职位）为该职位考察对象")
    # The committee may appoint the one 调剂 placed there (decisions accept what the allocation proposes).
    data = CampaignData(EXAMPLE_CAMPAIGN, tuple(posts), tuple(people), ())
    assert {(a.applicant.number, a.post.code) for a in propose(data, out)} == {("1", "01"), ("3", "02"), ("5", "03")}


def test_equal_best_totals_at_the_reassignment_cut_go_to_the_committee():
    # 01 副职 (1 place): 甲 90 kept; 乙 80 and 丙 80 (equal, ranks 2, 2), both accept 调剂.
    # 02 副职 (1 place): empty. Pool by best total: 乙 80, 丙 80 — one group of 2 for 1 free place: it straddles,
    # so both are placed as tied at the cut (committee), neither silently.
    posts = [post("01"), post("02")]
    people = [person("1", "甲", ("01",)), person("2", "乙", ("01",), True), person("3", "丙", ("01",), True)]
    scheme, results = ranked(posts, people, {("1", "01"): 90, ("2", "01"): 80, ("3", "01"): 80})
    out, alloc = allocate(posts, results, people, "same_category", scheme, RULES)
    after = by_key(out)
    assert after[("2", "02")].tie_at_cutoff and after[("3", "02")].tie_at_cutoff
    assert not after[("2", "02")].inspection and alloc.ties == {"02": ("2", "3")}
    assert alloc.explanations[-1].endswith("乙、丙 总成绩同为 80.00，并列于调剂名额末位，由党委研究确定")
    assert alloc.vacancies == {}


# --- 空缺 ---

def test_a_post_left_empty_is_reported_with_the_places_missing():
    # 01 副职 (1 place): 甲 90. 02 副职 (1 place): nobody. 03 正职 (2 places, 1:1 → 考察名额 2): only 乙 85.
    # Without 调剂: 02 misses 1, 03 misses 2 - 1 = 1.
    posts = [post("01"), post("02"), post("03", "正职", places=2)]
    people = [person("1", "甲", ("01",), True), person("2", "乙", ("03",), True)]
    scheme, results = ranked(posts, people, {("1", "01"): 90, ("2", "03"): 85})
    out, alloc = allocate(posts, results, people, "none", scheme)
    assert alloc.vacancies == {"02": 1, "03": 1}
    assert alloc.steps[-2:] == ("第3步：02 职位 岗位02 职数 1 名，没有考察对象，空缺 1 名",
                                "第4步：03 职位 岗位03 职数 2 名，考察对象只有 1 名，空缺 1 名")
    assert vacancy_text(posts, alloc) == "空缺职位 2 个：02 职位 岗位02 缺 1 名，03 职位 岗位03 缺 1 名"

    from pipeline.outcome import Outcome
    from pipeline.status import counts
    data = CampaignData(EXAMPLE_CAMPAIGN, tuple(posts), tuple(people), ())
    outcome = Outcome((), (), (), None, (5, 5), results=tuple(out), allocation=alloc)
    assert "  空缺职位 2 个：02 职位 岗位02 缺 1 名，03 职位 岗位03 缺 1 名" in counts(data, outcome)


# --- seed 1: the next candidate of the post left behind is accepted by the decisions reader ---

def _decisions(tmp_path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任职决定"
    ws.append(["报名序号", "姓名", "任职职位代码", "是否新提任"])
    for row in rows:
        ws.append(list(row))
    wb.save(tmp_path / DECISION_FILE)
    return tmp_path / DECISION_FILE


def test_seed_1_the_next_candidate_of_the_post_left_is_proposed_and_accepted(tmp_path):
    # 01 and 02, one place each at 1:1. 林 is first for both (01: 92, 02: 91) and wishes 02 > 01 — the later post
    # of the 职位表. 何 is 2nd for 01 (86).
    # Seed-1 defect: post by post, 林 was 考察对象 of both, the proposal put 林 on 01 (职位表 order) and left 02 with
    # nobody; 何 (2nd for 01) was refused by the decisions reader.
    # By 志愿: 林 → 02 (第一志愿); 01's place passes to 何 (第2名).
    posts = [post("01"), post("02")]
    people = [person("1", "林", ("02", "01")), person("2", "何", ("01",))]
    scheme, results = ranked(posts, people, {("1", "01"): 92, ("2", "01"): 86, ("1", "02"): 91})
    data = CampaignData(EXAMPLE_CAMPAIGN, tuple(posts), tuple(people), ())
    path = _decisions(tmp_path, [("1", "林", "02", "否"), ("2", "何", "01", "否")])
    with pytest.raises(InputErrors) as before:  # the ranking alone: 何 is not a 考察对象
        read_decisions(path, data, results)
    assert [p.code for p in before.value.problems] == ["not-inspection-candidate"]

    out, alloc = allocate(posts, results, people, "none", scheme)
    assert {(a.applicant.number, a.post.code) for a in propose(data, out)} == {("2", "01"), ("1", "02")}
    decided = read_decisions(path, data, out)
    assert [(a.applicant.name, a.post.code) for a in decided] == [("林", "02"), ("何", "01")]
    # Appointing 林 to 01 after all is refused, and the message says where 林's place went.
    with pytest.raises(InputErrors) as wrong:
        read_decisions(_decisions(tmp_path, [("1", "林", "01", "否")]), data, out)
    [problem] = wrong.value.problems
    assert problem.code == "not-inspection-candidate" and "按志愿已确定为职位 02" in problem.message


# --- nothing changes when nobody has two candidacies and 调剂 is off ---

def test_one_candidacy_each_and_no_reassignment_leaves_the_ranking_as_it_was():
    # 01 (1 place, 1:2 → 考察名额 2): 甲 90, 乙 85, 丙 85 — 乙 and 丙 tie across the cut at 2 (committee).
    # 02 (1 place, 1:1): 丁 80 vetoed (11 of 30 不称职 > 30 × 1/3 = 10), 戊 70 → 戊 is the 考察对象.
    raw = {"scoring": {**RAW["scoring"], "ballot": {"veto_over": "1/3"}}, "inspection": {"ratio": "1:1"}}
    posts = [post("01", inspection_ratio="1:2"), post("02")]
    people = [person("1", "甲", ("01",)), person("2", "乙", ("01",)), person("3", "丙", ("01",)),
              person("4", "丁", ("02",)), person("5", "戊", ("02",))]
    ballots = {("4", "02"): BallotTally({"优秀": 19, "称职": 0, "基本称职": 0, "不称职": 11}),
               ("5", "02"): BallotTally({"优秀": 30, "称职": 0, "基本称职": 0, "不称职": 0})}
    scheme, results = ranked(posts, people, {("1", "01"): 90, ("2", "01"): 85, ("3", "01"): 85, ("4", "02"): 80,
                                             ("5", "02"): 70}, raw=raw, ballots=ballots)
    assert by_key(results)[("2", "01")].tie_at_cutoff and by_key(results)[("4", "02")].vetoed
    out, alloc = allocate(posts, results, people, "none", scheme)
    assert out == results
    assert not needs_allocation(results, "none") and needs_allocation(results, "same_category")
    assert alloc.vacancies == {} and alloc.ties == {"01": ("2", "3")}
    assert alloc.explanations[1] == "没有人同时进入两个以上职位的考察名额，各职位考察对象即按排名确定"


def test_a_mapping_of_ratios_does_as_the_scheme():
    posts = [post("01"), post("02")]
    people = [person("1", "林", ("02", "01")), person("2", "何", ("01",))]
    scheme, results = ranked(posts, people, {("1", "01"): 92, ("2", "01"): 86, ("1", "02"): 91})
    assert allocate(posts, results, people, "none", {"01": 1, "02": 1}) == allocate(posts, results, people,
                                                                                    "none", scheme)


# --- campaign.toml [allocation] ---

def test_the_reassignment_rule_is_read_and_a_wrong_one_is_located(tmp_path):
    from pathlib import Path

    from pipeline.campaign.settings import load_settings
    from pipeline.errors import ProblemCollector

    sample = (Path(__file__).resolve().parent.parent / "inputs" / "campaign.toml").read_text("utf-8")
    lines = sample.count("\n")
    for typed, expected in (('"same_category"', "same_category"), (None, "none")):
        path = tmp_path / "campaign.toml"
        path.write_text(sample + (f"\n[allocation]\nreassignment = {typed}\n" if typed else ""), "utf-8")
        problems = ProblemCollector()
        assert load_settings(path, problems).allocation.reassignment == expected
    path.write_text(sample + "\n[allocation]\nreassignment = \"按总成绩\"\n", "utf-8")
    problems = ProblemCollector()
    assert load_settings(path, problems) is None
    [p] = problems.problems
    assert (p.column, p.row, p.code) == ("allocation.reassignment", lines + 3, "bad-value")
    assert p.message.startswith('调剂办法应为 "none"（不调剂）、"same_category"')


# --- the 职位分配记录 paper and CSV ---

def test_the_record_is_planned_as_csv_and_paper_and_renders_every_step(tmp_path):
    from pathlib import Path

    from pipeline.engine.jobs import Plan
    from pipeline.engine.render import document_meta, make_render_environment, render_docx
    from pipeline.outcome import Outcome
    from pipeline.papers.allocation import CSV_PATH, plan_allocation
    from tests.pii import docx_text

    posts = [post("01"), post("02")]
    people = [person("1", "林", ("02", "01")), person("2", "何", ("01",))]
    scheme, results = ranked(posts, people, {("1", "01"): 92, ("2", "01"): 86, ("1", "02"): 91})
    out, alloc = allocate(posts, results, people, "none", scheme)
    data = CampaignData(EXAMPLE_CAMPAIGN, tuple(posts), tuple(people), ())
    plan = Plan()
    plan_allocation(data, Outcome((), (), (), None, (5, 5), results=tuple(out), allocation=alloc), plan)
    [csv] = plan.files
    assert csv.path == CSV_PATH == "06-成绩汇总/职位分配记录.csv"
    lines = csv.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "步骤,说明" and lines[2].startswith("第2步,林 在 02 职位（第一志愿）和 01 职位（第二志愿，第1名）")
    [doc] = plan.docs
    assert (doc.path, doc.template, doc.bundles) == ("06-成绩汇总/职位分配记录", "职位分配记录.docx", ("归档",))
    template = Path(__file__).resolve().parent.parent / "templates" / doc.template
    (tmp_path / "p.docx").write_bytes(render_docx(template, doc.context, make_render_environment(),
                                                  meta=document_meta(doc)))
    text = docx_text(tmp_path / "p.docx")
    assert "职位分配记录" in text and "调剂办法：不调剂" in text
    assert all(step in text for step in alloc.explanations)

    # One candidacy each and no 调剂: nothing to record, no paper.
    single = Plan()
    _, alone = allocate(posts[:1], results[:2], people, "none", scheme)
    plan_allocation(data, Outcome((), (), (), None, (5, 5), results=tuple(results[:2]), allocation=alone), single)
    assert not single.files and not single.docs
