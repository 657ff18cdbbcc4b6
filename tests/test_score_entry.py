"""评分录入.xlsx: the blank workbook, reading it back with located problems, and double entry."""
from __future__ import annotations

import shutil
from decimal import Decimal as D

import openpyxl
import pytest

from pipeline.scoring.ballot_entry import BALLOT_FILE, BALLOT_SECOND_ENTRY_FILE, read_ballot_tally, write_ballot_workbook
from pipeline.errors import InputErrors
from pipeline.campaign.model import Judge, Post
from pipeline.scoring.ranking import compute_results
from pipeline.scoring.score_entry import (ENTRY_FILE, SECOND_ENTRY_FILE, compare_entries, load_scores, read_score_entry,
                                  write_score_entry_workbook)
from pipeline.scoring.compute import Candidate
from pipeline.scoring.scheme import load_scheme
from pipeline.scoring.rounds import list_workbook, load_list_round, round_file, second_file
from pipeline.scoring.ballot_entry import load_ballots
from pipeline.scoring.stage import check_judge_groups, write_entry_workbooks
from pipeline.engine.xlsx_safe import safe_cell, safe_text

SCHEME_RAW = {"groups": [{"name": "专家评委", "weight": "4", "min_judges": 3},
                         {"name": "党委成员", "weight": "3", "min_judges": 3}],
              "components": [{"name": "演讲答辩", "source": "judges", "weight": "60"},
                             {"name": "笔试", "source": "list", "weight": "40", "per": "candidacy"}]}
SCHEME = load_scheme({"scoring": SCHEME_RAW})
JUDGES = [Judge(f"Z0{i}", f"专家{i}", "专家评委") for i in range(1, 5)] + \
         [Judge(f"D0{i}", f"委员{i}", "党委成员") for i in range(1, 4)]
# Draw order: 003 speaks first. The third name tries a formula injection.
CANDS = [Candidate("003", "王五", "01"), Candidate("001", "张三", "01"), Candidate("002", "=HYPERLINK(\"x\")", "01")]
# Hand-chosen scores, judges in column order.
EXPERT = {"003": (88, 90, 85.5, 70), "001": (92, 92, 80, 86.5), "002": (75, 80, 85, 90)}
PARTY = {"003": (86, 84, 90), "001": (85, 85, 85), "002": (80, 99, 60)}
WRITTEN = {"003": 80, "001": 90, "002": 70}


LIST_ROUND = SCHEME.components[1]  # 笔试, typed in its own workbook 笔试成绩.xlsx (one row per candidacy here)


def list_path(entry_path):
    """The 笔试 workbook beside a 评分录入 copy: 笔试成绩.xlsx, or 笔试成绩-复核.xlsx beside 评分录入-复核.xlsx."""
    name = round_file(LIST_ROUND)
    return entry_path.with_name(second_file(name) if entry_path.name == SECOND_ENTRY_FILE else name)


def fill(path, expert=EXPERT, party=PARTY, written=WRITTEN):
    """Type the scores in as a clerk would, by 报名序号 in column A: the judges' in 评分录入, 笔试 beside it."""
    written_path = list_path(path)
    if not written_path.exists():
        list_workbook(LIST_ROUND, CANDS, D(100)).save(written_path)
    for book, sheets in ((path, (("专家评委", expert), ("党委成员", party))),
                         (written_path, (("笔试", {k: (v,) for k, v in written.items()}),))):
        wb = openpyxl.load_workbook(book)
        for sheet, table in sheets:
            ws = wb[sheet]
            for row in range(2, ws.max_row + 1):
                for col, value in enumerate(table[ws.cell(row=row, column=1).value], start=4):
                    ws.cell(row=row, column=col, value=value)
        wb.save(book)
    return path


def read_all(path):
    """What the outcome reads for these candidates: the judges' workbook, then the 笔试 workbook beside it."""
    entry = read_score_entry(path, SCHEME, JUDGES, CANDS)
    entry.lists["笔试"] = load_list_round(path.parent, SCHEME, LIST_ROUND, CANDS)
    return entry


@pytest.fixture
def blank(tmp_path):
    return write_score_entry_workbook(tmp_path / ENTRY_FILE, SCHEME.groups, JUDGES, CANDS,
                                      lists=SCHEME.list_components())


def test_blank_workbook_layout(blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == ["专家评委", "党委成员", "填表说明"]
    ws = wb["专家评委"]
    assert [c.value for c in ws[1]] == ["报名序号", "姓名", "职位代码", "Z01", "Z02", "Z03", "Z04"]
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == ["003", "001", "002"]  # draw order kept
    dv = ws.data_validations.dataValidation[0]
    assert (dv.type, dv.formula1, dv.formula2, str(dv.sqref)) == ("decimal", "0", "100", "D2:G4")
    written = list_workbook(LIST_ROUND, CANDS, D(100))["笔试"]
    assert [c.value for c in written[1]] == ["报名序号", "姓名", "职位代码", "成绩"]


def test_formula_like_name_is_stored_as_text(blank):
    cell = openpyxl.load_workbook(blank)["专家评委"]["B4"]
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s" and cell.quotePrefix


def test_round_trip_gives_the_hand_totals(blank):
    entry = read_all(fill(blank))
    results = {r.candidate.number: r for r in compute_results(SCHEME, [Post("01", "教务处", "处长", "正职", 1)],
                                                              CANDS, entry)}
    # 003 专家: 88, 90, 85.5, 70 → drop 90 and 70 → (88 + 85.5) / 2 = 86.75; 党委: 86, 84, 90 → 86.00
    #     演讲答辩 (4 × 86.75 + 3 × 86) / 7 = (347 + 258) / 7 = 86.428… → 86.43
    #     total (60 × 86.43 + 40 × 80) / 100 = (5185.8 + 3200) / 100 = 83.858 → 83.86
    # 001 专家: 92, 92, 80, 86.5 → drop one 92 and the 80 → (92 + 86.5) / 2 = 89.25; 党委 85.00
    #     (4 × 89.25 + 3 × 85) / 7 = (357 + 255) / 7 = 87.428… → 87.43; (5245.8 + 3600) / 100 = 88.458 → 88.46
    # 002 专家: (80 + 85) / 2 = 82.50; 党委: 80.00; (330 + 240) / 7 = 81.428… → 81.43;
    #     (4885.8 + 2800) / 100 = 76.858 → 76.86
    assert {n: r.total for n, r in results.items()} == {"003": D("83.86"), "001": D("88.46"), "002": D("76.86")}
    assert [results[n].rank for n in ("001", "003", "002")] == [1, 2, 3]
    assert results["001"].inspection and results["001"].groups[0].dropped_high == ("Z01",)


def test_every_problem_is_located_and_reported_together(blank):
    wb = openpyxl.load_workbook(fill(blank))
    ws = wb["专家评委"]
    ws["D2"], ws["E3"] = None, 101  # missing, out of range
    ws["A4"] = "009"  # unknown candidate (and so 002 is missing)
    wb["党委成员"]["G1"] = "X99"  # an extra column for a judge nobody listed
    wb["党委成员"]["D1"] = None  # leaves two known judge columns: below the minimum of 3
    wb.save(blank)
    with pytest.raises(InputErrors) as exc:
        read_score_entry(blank, SCHEME, JUDGES, CANDS)
    got = {(p.sheet, p.cell, p.code) for p in exc.value.problems}
    assert got == {("专家评委", "D2", "bad-score"), ("专家评委", "E3", "bad-score"),
                   ("专家评委", "A4", "unknown-candidate"), ("专家评委", None, "missing-candidate"),
                   ("党委成员", "G1", "unknown-judge"), ("党委成员", None, "group-too-small"),
                   ("党委成员", None, "missing-judge")}  # the judge whose header was blanked is named too
    text = str(exc.value)
    assert "评分录入.xlsx 工作表「专家评委」 D2 「Z01」：缺少分数" in text
    assert "E3 「Z02」：分数 101 超出 0 到 100 的范围" in text
    assert "A4 「报名序号」：没有报名序号为 009" in text
    assert "G1 「X99」：评委名单中没有编号为 X99 的评委" in text
    assert "本组只有 2 位评委的分数列" in text
    assert "没有分数列；如该评委未到场评分，请在 评委名单.xlsx 中删去该评委" in text


def test_text_score_is_rejected(blank):
    wb = openpyxl.load_workbook(fill(blank))
    wb["专家评委"]["F4"], wb["专家评委"]["G4"] = "八十", "85.25"
    wb.save(blank)
    with pytest.raises(InputErrors) as exc:
        read_score_entry(blank, SCHEME, JUDGES, CANDS)
    assert [(p.cell, p.message) for p in exc.value.problems] == [
        ("F4", "“八十”不是分数，请只填数字"), ("G4", "分数 85.25 最多保留 1 位小数")]


def test_double_entry_lists_every_difference_and_blocks_computing(blank, tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    first = fill(shutil.copy(blank, folder / ENTRY_FILE))
    expert = {**EXPERT, "001": (92, 29, 80, 86.5)}  # a transposed digit
    second = fill(shutil.copy(blank, folder / SECOND_ENTRY_FILE), expert=expert, written={**WRITTEN, "002": None})
    diffs = compare_entries(first, second) + compare_entries(list_path(first), list_path(second), column_word="")
    assert [(p.sheet, p.cell, p.column) for p in diffs] == [("专家评委", "E3", "Z02"), ("笔试", "D4", "成绩")]
    assert diffs[0].message == "考生 001 张三，评委 Z02：第一遍录入为“92”，复核录入为“29”，请对照纸质评分表改正后再算分"
    assert "复核录入为（空白）" in diffs[1].message
    with pytest.raises(InputErrors):
        load_scores(folder, SCHEME, JUDGES, CANDS)
    with pytest.raises(InputErrors):
        load_list_round(folder, SCHEME, LIST_ROUND, CANDS)
    fill(second)  # the second typist corrects the copy: now they agree and scores are read
    assert load_list_round(folder, SCHEME, LIST_ROUND, CANDS)[("002", "01")] == D(70)


# ---------------------------------------------------------------- 民主测评.xlsx


# 优秀, 称职, 基本称职, 不称职 per candidate; valid ballots are the sum (30 each).
VOTES = {"003": (20, 8, 1, 1), "001": (19, 0, 0, 11), "002": (15, 5, 0, 10)}


def fill_ballots(path, votes=VOTES):
    wb = openpyxl.load_workbook(path)
    ws = wb["民主测评"]
    for row in range(2, ws.max_row + 1):
        for col, value in enumerate(votes[ws.cell(row=row, column=1).value], start=4):
            ws.cell(row=row, column=col, value=value)
    wb.save(path)
    return path


def test_ballot_tally_round_trip_and_veto(tmp_path, blank):
    folder = tmp_path / "campaign"
    folder.mkdir()
    write_ballot_workbook(folder / BALLOT_FILE, CANDS)
    assert [c.value for c in openpyxl.load_workbook(folder / BALLOT_FILE)["民主测评"][1]] == [
        "报名序号", "姓名", "职位代码", "优秀", "称职", "基本称职", "不称职"]
    fill_ballots(folder / BALLOT_FILE)
    fill(shutil.copy(blank, folder / ENTRY_FILE))
    scheme = load_scheme({"scoring": {
        "groups": SCHEME_RAW["groups"], "components": SCHEME_RAW["components"], "ballot": {"veto_over": "1/3"}}})
    entry = read_all(folder / ENTRY_FILE)
    entry.ballots = load_ballots(folder, CANDS)
    assert entry.ballots[("003", "01")].counts == {"优秀": 20, "称职": 8, "基本称职": 1, "不称职": 1}
    results = {r.candidate.number: r for r in compute_results(scheme, [Post("01", "教务处", "处长", "正职", 1)],
                                                              CANDS, entry)}
    # 001 has the best total (88.46) but 11 of 30 不称职 > 10 = one third: vetoed, so 003 (83.86) is picked.
    # 002 has exactly 10 of 30: not over one third, not vetoed.
    assert results["001"].vetoed and results["001"].rank is None
    assert (results["003"].rank, results["003"].inspection, results["002"].vetoed) == (1, True, False)


def test_ballot_problems_are_located(tmp_path):
    path = fill_ballots(write_ballot_workbook(tmp_path / BALLOT_FILE, CANDS),
                        {"003": (None, 8, 1, 1), "001": ("十", 0, 0, -1), "002": (0, 0, 0, 0)})
    with pytest.raises(InputErrors) as exc:
        read_ballot_tally(path, CANDS)
    assert [(p.cell, p.code) for p in exc.value.problems] == [
        ("D2", "bad-count"), ("D3", "bad-count"), ("G3", "bad-count"), ("D4", "no-ballots")]
    assert "民主测评.xlsx 工作表「民主测评」 D3 「优秀」：“十”不是票数" in str(exc.value)


def test_ballot_double_entry(tmp_path):
    first = fill_ballots(write_ballot_workbook(tmp_path / BALLOT_FILE, CANDS))
    second = fill_ballots(write_ballot_workbook(tmp_path / BALLOT_SECOND_ENTRY_FILE, CANDS),
                          {**VOTES, "002": (15, 5, 1, 10)})
    (diff,) = compare_entries(first, second, column_word="")
    assert (diff.sheet, diff.cell) == ("民主测评", "F4")
    assert diff.message.startswith("考生 002 =HYPERLINK(\"x\")，基本称职：第一遍录入为“0”，复核录入为“1”")


def test_duplicate_judge_column_and_a_file_that_is_not_xlsx(blank, tmp_path):
    wb = openpyxl.load_workbook(fill(blank))
    wb["党委成员"]["G1"] = "D01"
    wb.save(blank)
    with pytest.raises(InputErrors) as exc:
        read_score_entry(blank, SCHEME, JUDGES, CANDS)
    assert [(p.cell, p.code) for p in exc.value.problems] == [("G1", "duplicate")]
    bad = tmp_path / "坏.xlsx"
    bad.write_text("不是表格", encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        read_score_entry(bad, SCHEME, JUDGES, CANDS)
    assert exc.value.problems[0].code == "not-xlsx"


@pytest.mark.parametrize("text", ["=1+2", "+86", "-5", "@SUM(A1)", "\t=cmd"])
def test_safe_cell_keeps_formula_like_text_as_text(text, tmp_path):
    wb = openpyxl.Workbook()
    safe_cell(wb.active["A1"], text)
    safe_cell(wb.active["A2"], "张三")
    wb.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert (ws["A1"].value, ws["A1"].data_type, ws["A1"].quotePrefix) == (text, "s", True)
    assert not ws["A2"].quotePrefix and safe_text(text) == "'" + text and safe_text("张三") == "张三"


def test_a_group_below_its_minimum_is_found_and_a_full_panel_gets_its_workbook(tmp_path):
    """The outcome records the shortfall (the planner then skips the score sheets); a full panel gets 评分录入.xlsx."""
    scheme = load_scheme({"scoring": {**SCHEME_RAW, "groups": [{"name": "专家评委", "weight": "4", "min_judges": 5},
                                                               {"name": "党委成员", "weight": "3", "min_judges": 3}]}})
    short = check_judge_groups(scheme, JUDGES)  # 4 experts listed, 5 required
    assert [p.message for p in short] == ["“专家评委”只有 4 位评委，按 campaign.toml 至少需要 5 位，请补足评委"]
    assert check_judge_groups(SCHEME, JUDGES) == []
    assert [p.name for p in write_entry_workbooks(tmp_path, SCHEME, JUDGES, CANDS)] == [ENTRY_FILE, "笔试成绩.xlsx"]
