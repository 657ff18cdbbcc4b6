"""民主测评 per person: one row per person, typed once, the tally and so the veto on every post.

Also the workbook and the 民主测评表 in the campaign's own grades. Expected figures worked out by hand.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import openpyxl
import pytest

from pipeline.campaign.model import Applicant, Post
from pipeline.errors import InputErrors
from pipeline.papers.contexts import EXAMPLE_APPLICANT, EXAMPLE_CAMPAIGN, EXAMPLE_POSTS
from pipeline.papers.scoring import ballot_context, grade_marks_rule
from pipeline.scoring.ballot_entry import (BALLOT_FILE, BALLOT_SECOND_ENTRY_FILE, BALLOT_SHEET, load_ballots,
                                           read_ballot_tally, write_ballot_workbook)
from pipeline.scoring.compute import Candidate, ScoreEntry
from pipeline.scoring.ranking import compute_results
from pipeline.scoring.scheme import load_scheme
from pipeline.scoring.score_entry import HELP_SHEET
from pipeline.scoring.scheme_text import row_note

SEED5 = ("优秀", "合格", "基本合格", "不合格")
# Draw order: 甲 (001) applied for posts 01 and 02, 乙 (002) for 01, 丙 (003) for 02.
CANDS = [Candidate("002", "乙", "01"), Candidate("001", "甲", "01"), Candidate("003", "丙", "02"),
         Candidate("001", "甲", "02")]
POSTS = [Post("01", "教务处", "教务处处长", "正职", 1), Post("02", "学生处", "学生处处长", "正职", 1)]
# 优秀, 合格, 基本合格, 不合格 per PERSON, 30 valid ballots each.
VOTES = {"001": (15, 3, 1, 11), "002": (20, 5, 3, 2), "003": (10, 10, 5, 5)}


def scheme():
    return load_scheme({"scoring": {
        "groups": [{"name": "评委", "weight": "1", "min_judges": 3}],
        "components": [{"name": "演讲答辩", "source": "judges", "weight": "70"},
                       {"name": "民主测评", "source": "ballot", "weight": "30"}],
        "ballot": {"grades": list(SEED5), "veto_over": "1/3"}}})


def fill(path, votes=VOTES, first_col=3):
    wb = openpyxl.load_workbook(path)
    ws = wb[BALLOT_SHEET]
    for row in range(2, ws.max_row + 1):
        for col, value in enumerate(votes[ws.cell(row=row, column=1).value], start=first_col):
            ws.cell(row=row, column=col, value=value)
    wb.save(path)
    return path


def test_per_person_workbook_has_one_row_per_person_and_the_campaigns_grades(tmp_path):
    path = write_ballot_workbook(tmp_path / BALLOT_FILE, CANDS, SEED5, per_person=True)
    wb = openpyxl.load_workbook(path)
    ws = wb[BALLOT_SHEET]
    rows = [tuple(c.value for c in r) for r in ws.iter_rows()]
    # 甲 once, at their first draw; no 职位代码 column
    assert rows == [("报名序号", "姓名", "优秀", "合格", "基本合格", "不合格"),
                    ("002", "乙", None, None, None, None), ("001", "甲", None, None, None, None),
                    ("003", "丙", None, None, None, None)]
    assert ws.freeze_panes == "C2"
    assert [str(r) for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges] == ["C2:F4"]
    help_text = [c.value for c in wb[HELP_SHEET]["A"]]
    assert help_text[0] == "每行一人：同一人报考几个职位也只有一行，测评结果用于其报考的每个职位。"
    assert help_text[1] == "按收回的测评票，逐人统计“总体评价”各档次的票数：优秀、合格、基本合格、不合格；没有人选的档次填 0，不要留空。"


def test_per_candidacy_workbook_in_the_campaigns_grades(tmp_path):
    path = write_ballot_workbook(tmp_path / BALLOT_FILE, CANDS, ("好", "较好", "一般", "差"))
    ws = openpyxl.load_workbook(path)[BALLOT_SHEET]
    assert [c.value for c in ws[1]] == ["报名序号", "姓名", "职位代码", "好", "较好", "一般", "差"]
    assert ws.max_row == 5  # one row per candidacy: 甲 twice
    fill(path, {"002": (1, 2, 3, 4), "001": (5, 0, 0, 1), "003": (0, 0, 0, 7)}, first_col=4)
    tallies = read_ballot_tally(path, CANDS, ("好", "较好", "一般", "差"))
    assert tallies[("002", "01")].counts == {"好": 1, "较好": 2, "一般": 3, "差": 4}
    assert tallies[("001", "02")].valid == 6  # 5 + 0 + 0 + 1


def test_a_person_with_two_candidacies_typed_once_is_vetoed_for_both(tmp_path):
    s = scheme()
    folder = tmp_path / "campaign"
    folder.mkdir()
    fill(write_ballot_workbook(folder / BALLOT_FILE, CANDS, s.ballot.grades, per_person=True))
    tallies = load_ballots(folder, CANDS, s.ballot.grades, per_person=True)
    # every candidacy gets its person's tally: 甲's one row serves posts 01 and 02
    assert set(tallies) == {c.key for c in CANDS}
    assert tallies[("001", "01")].counts == tallies[("001", "02")].counts == {
        "优秀": 15, "合格": 3, "基本合格": 1, "不合格": 11}
    marks = {"001": 95, "002": 80, "003": 70}
    entry = ScoreEntry(scores={"评委": {c.key: tuple((f"J{j}", D(marks[c.number])) for j in (1, 2, 3))
                                      for c in CANDS}}, ballots=tallies)
    results = {r.candidate.key: r for r in compute_results(s, POSTS, CANDS, entry)}
    # 甲: ballot (15×100 + 3×80 + 1×60 + 11×0) / 30 = (1500 + 240 + 60) / 30 = 1800 / 30 = 60.00;
    #     total (70×95 + 30×60) / 100 = (6650 + 1800) / 100 = 84.50, the best of both posts, but 11 不合格 of 30
    #     is over one third (10): vetoed on BOTH posts, as the person is.
    # 乙 (01): ballot (2000 + 400 + 180 + 0) / 30 = 2580 / 30 = 86.00; total (5600 + 2580) / 100 = 81.80, first.
    # 丙 (02): ballot (1000 + 800 + 300 + 0) / 30 = 2100 / 30 = 70.00; total (4900 + 2100) / 100 = 70.00, first.
    for post in ("01", "02"):
        jia = results[("001", post)]
        assert (jia.ballot_points, jia.total, jia.vetoed, jia.rank, jia.inspection) == (
            D("60.00"), D("84.50"), True, None, False)
        assert row_note(jia, s.ballot) == "民主测评“不合格”票超过有效票的1/3，不列为考察对象"
    assert (results[("002", "01")].total, results[("002", "01")].rank, results[("002", "01")].inspection) == (
        D("81.80"), 1, True)
    assert (results[("003", "02")].total, results[("003", "02")].rank, results[("003", "02")].inspection) == (
        D("70.00"), 1, True)


def test_per_person_problems_are_located(tmp_path):
    path = write_ballot_workbook(tmp_path / BALLOT_FILE, CANDS, SEED5, per_person=True)
    wb = openpyxl.load_workbook(path)
    ws = wb[BALLOT_SHEET]
    ws.append(["009", "丁", 1, 1, 1, 1])  # nobody of that number
    ws.append(["002", "乙", 1, 1, 1, 1])  # 乙 twice
    ws.delete_rows(4)                      # 丙's row deleted
    wb.save(path)
    fill(path, {**VOTES, "001": ("十", 3, 1, None), "009": (1, 1, 1, 1)})
    with pytest.raises(InputErrors) as exc:
        read_ballot_tally(path, CANDS, SEED5, per_person=True)
    found = [(p.cell, p.column, p.code, p.message) for p in exc.value.problems]
    assert found == [
        ("A4", "报名序号", "unknown-candidate", "没有报名序号为 009 的考生（丁），请核对"),
        ("A5", "报名序号", "duplicate", "考生 002 乙 重复出现（另见第2行）"),
        (None, None, "missing-candidate", "缺少考生 003 丙 这一行，请补上"),
        ("C3", "优秀", "bad-count", "“十”不是票数，请填 0 或正整数"),
        ("F3", "不合格", "bad-count", "缺少票数，没有人选此档请填 0"),
    ]


def test_a_workbook_in_other_grades_or_the_other_layout_is_refused_with_one_problem(tmp_path):
    # a blank of the old default grades (优秀 称职 基本称职 不称职), one row per candidacy
    old = write_ballot_workbook(tmp_path / BALLOT_FILE, CANDS)
    with pytest.raises(InputErrors) as exc:
        read_ballot_tally(old, CANDS, SEED5)
    # one problem, not one per blank count: the counts of the wrong blank are noise
    assert [(p.row, p.code, p.message) for p in exc.value.problems] == [
        (1, "bad-header", "表头应为 报名序号、姓名、职位代码，第4至7列为 优秀、合格、基本合格、不合格"
                          "（campaign.toml [scoring.ballot] grades 的档次），请用程序生成的空表录入")]
    per_post = write_ballot_workbook(tmp_path / "按职位.xlsx", CANDS, SEED5)
    with pytest.raises(InputErrors) as exc:
        read_ballot_tally(per_post, CANDS, SEED5, per_person=True)
    assert [p.message for p in exc.value.problems] == [
        "本次民主测评按人统计（每人一行，没有职位代码列），这张表却是按职位分行的，请用程序生成的空表录入"]
    per_head = write_ballot_workbook(tmp_path / "按人.xlsx", CANDS, SEED5, per_person=True)
    with pytest.raises(InputErrors) as exc:
        read_ballot_tally(per_head, CANDS, SEED5)
    assert [p.message for p in exc.value.problems] == [
        "本次民主测评按职位统计（每个报考职位一行，有职位代码列），这张表却是按人分行的，请用程序生成的空表录入"]


def test_per_person_double_entry_is_compared(tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    fill(write_ballot_workbook(folder / BALLOT_FILE, CANDS, SEED5, per_person=True))
    fill(write_ballot_workbook(folder / BALLOT_SECOND_ENTRY_FILE, CANDS, SEED5, per_person=True),
         {**VOTES, "001": (15, 3, 1, 10)})
    with pytest.raises(InputErrors) as exc:
        load_ballots(folder, CANDS, SEED5, per_person=True)
    (diff,) = exc.value.problems
    # 甲 is the second row; 不合格 is column F
    assert (diff.file, diff.cell, diff.column) == (BALLOT_SECOND_ENTRY_FILE, "F3", "不合格")
    assert "第一遍录入为“11”，复核录入为“10”" in diff.message


def test_the_ballot_paper_lists_each_person_once_and_prints_the_grades():
    second = Applicant(**{**EXAMPLE_APPLICANT.__dict__, "number": "2026-023", "name": "马骏"})
    listed = [(1, second, EXAMPLE_POSTS[0]), (2, EXAMPLE_APPLICANT, EXAMPLE_POSTS[0]), (3, second, EXAMPLE_POSTS[1])]
    date = dt.date(2026, 6, 26)
    per_person = ballot_context(EXAMPLE_CAMPAIGN, listed, date, SEED5, per_person=True)
    assert [(c["draw"], c["name"], c["post_title"]) for c in per_person["candidates"]] == [
        (1, "马骏", "教务处处长、团委书记"), (2, EXAMPLE_APPLICANT.name, "教务处处长")]
    assert per_person["number_header"] == "序号" and per_person["grades"] == list(SEED5)
    assert per_person["grade_columns"] == "四"
    assert per_person["item_rule"] == "每栏写一个字：优（优秀）、合（合格）、基（基本合格）、不（不合格）"
    per_candidacy = ballot_context(EXAMPLE_CAMPAIGN, listed, date)
    assert [c["draw"] for c in per_candidacy["candidates"]] == [1, 2, 3]
    assert per_candidacy["number_header"] == "抽签序号"
    assert per_candidacy["grades"] == ["优秀", "称职", "基本称职", "不称职"]


def test_how_a_voter_writes_a_grade():
    assert grade_marks_rule(("好", "较好", "一般", "差")) == "每栏写一个字：好、较（较好）、一（一般）、差"
    # 较好 and 较差 share 较: the grade is written out
    assert grade_marks_rule(("好", "较好", "一般", "较差", "差")) == "每栏写一个档次：好、较好、一般、较差、差"


@pytest.mark.parametrize("grades", [("称职", "不称职"), SEED5, ("优秀", "良好", "较好", "一般", "较差", "差")])
def test_the_ballot_template_prints_any_number_of_grades_in_equal_columns(grades):
    import io

    import docx

    from pipeline.engine.docx_clean import clean_template
    from pipeline.engine.render import make_render_environment, render_template
    from tests.conftest import ROOT

    blob = clean_template((ROOT / "templates" / "民主测评表.docx").read_bytes())[0]
    second = Applicant(**{**EXAMPLE_APPLICANT.__dict__, "number": "2026-023", "name": "马骏"})
    context = ballot_context(EXAMPLE_CAMPAIGN, [(1, second, EXAMPLE_POSTS[0]), (2, second, EXAMPLE_POSTS[1])],
                             dt.date(2026, 6, 26), grades, per_person=True)
    out = io.BytesIO()
    render_template("民主测评表.docx", blob, context, make_render_environment()).save(out)
    table = docx.Document(io.BytesIO(out.getvalue())).tables[0]
    header = [c.text for c in table.rows[1].cells]
    # 序号, 竞争职位, 姓名, 德 能 勤 绩 廉, then one column per grade; 总体评价 spans them all
    assert header == ["序号", "竞争职位", "姓　名", "德", "能", "勤", "绩", "廉", *grades]
    assert [c.text for c in table.rows[0].cells][8:] == ["总体评价（划“√”）"] * len(grades)
    assert [c.text for c in table.rows[2].cells][:3] == ["1", "教务处处长、团委书记", "马骏"]
    assert len(table.rows) == 3  # the person with two posts is listed once
    grid = [int(c.get(docx.oxml.ns.qn("w:w"))) for c in table._tbl.tblGrid.findall(docx.oxml.ns.qn("w:gridCol"))]
    assert len(grid) == 8 + len(grades) and max(grid[8:]) - min(grid[8:]) <= 1  # equal, to a twip's rounding
