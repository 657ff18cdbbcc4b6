"""民主推荐.xlsx: 得票率 by hand, the blank workbook, reading it back with located problems, and double entry."""
from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import openpyxl
import pytest

from pipeline.campaign.model import Post
from pipeline.errors import InputErrors
from pipeline.scoring.compute import Candidate
from pipeline.scoring.vote_entry import (VOTE_FILE, VOTE_SECOND_ENTRY_FILE, VoteTally, compare_vote_entries,
                                         load_votes, meets_share, read_vote_tally, vote_share, write_vote_workbook)

POSTS = [Post("01", "教务处", "教务处处长", "正职", 1), Post("02", "人事处", "人事处处长", "正职", 1),
         Post("09", "后勤处", "后勤处处长", "正职", 1)]  # 09 has no candidates: no 有效票 row for it
# Draw order within each post; 001 张三 applied for 01 and 02.
CANDS = [Candidate("003", "王五", "01"), Candidate("001", "张三", "01"), Candidate("002", "李四", "01"),
         Candidate("001", "张三", "02"), Candidate("004", "赵六", "02")]
VOTES = {("003", "01"): 37, ("001", "01"): 26, ("002", "01"): 25, ("001", "02"): 10, ("004", "02"): 30}
VALID = {"01": 52, "02": 40}


def headers(ws) -> list:
    return [c.value for c in ws[1]]


def column(ws, col: int) -> list:
    return [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]


def fill(path, votes=VOTES, valid=VALID):
    """Type the counts in as a clerk would: 推荐票 by (报名序号, 职位代码), 有效票 by 职位代码."""
    wb = openpyxl.load_workbook(path)
    ws = wb["推荐票"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=4, value=votes[(ws.cell(row=row, column=1).value, ws.cell(row=row, column=3).value)])
    ws = wb["有效票"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=3, value=valid[ws.cell(row=row, column=1).value])
    wb.save(path)
    return path


PERSON_VOTES = {"003": 20, "001": 26, "002": 5, "004": 30}


def fill_per_person(path, votes=PERSON_VOTES, valid=52):
    wb = openpyxl.load_workbook(path)
    ws = wb["推荐票"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=3, value=votes[ws.cell(row=row, column=1).value])
    wb["有效票"]["C2"] = valid
    wb.save(path)
    return path


def messages(call) -> list[str]:
    with pytest.raises(InputErrors) as exc:
        call()
    return [str(p) for p in exc.value.problems]


# ---------------------------------------------------------------- 得票率 by hand


@pytest.mark.parametrize("votes, valid, share", [
    (37, 52, D("71.15")),  # 3700 / 52 = 71.153846…: the third decimal is 3, down to 71.15
    (57, 160, D("35.63")),  # 5700 / 160 = 35.625 exactly: half up gives 35.63 (float round(35.625, 2) gives 35.62)
    (2, 3, D("66.67")),  # 200 / 3 = 66.666…: up to 66.67
    (1, 3, D("33.33")),  # 100 / 3 = 33.333…
    (26, 52, D("50.00")),  # 2600 / 52 = 50 exactly
    (52, 52, D("100.00")),
    (0, 52, D("0.00")),
])
def test_vote_share_by_hand(votes, valid, share):
    assert vote_share(VoteTally(votes, valid)) == share
    assert str(vote_share(VoteTally(votes, valid))) == str(share)  # two decimals kept, as published


def test_vote_share_other_places_and_no_valid_votes():
    # 37 of 52 = 71.153846…%: one decimal 71.2 (the second decimal 5 rounds up), none 71.
    assert (vote_share(VoteTally(37, 52), 1), vote_share(VoteTally(37, 52), 0)) == (D("71.2"), D("71"))
    with pytest.raises(ValueError):
        vote_share(VoteTally(0, 0))


def test_meets_share_compares_the_exact_fraction():
    half, two_thirds = Fraction(1, 2), Fraction(2, 3)
    # 26 of 52: 26 × 2 = 52 ≥ 1 × 52, exactly one half reaches 1/2 (达到 / 以上 include the number).
    assert meets_share(VoteTally(26, 52), half)
    # 25 of 52: 25 × 2 = 50 < 52 (48.08%).
    assert not meets_share(VoteTally(25, 52), half)
    # 19999 of 40000 = 49.9975%, published as 50.00 (half up), yet 19999 × 2 = 39998 < 40000: it does not reach 1/2.
    assert vote_share(VoteTally(19999, 40000)) == D("50.00") and not meets_share(VoteTally(19999, 40000), half)
    # 2/3 of 52 is 34.67 votes: 35 × 3 = 105 ≥ 104 reaches it, 34 × 3 = 102 < 104 does not.
    assert meets_share(VoteTally(35, 52), two_thirds) and not meets_share(VoteTally(34, 52), two_thirds)


# ---------------------------------------------------------------- the blank workbook


def test_blank_workbook_per_candidacy(tmp_path):
    wb = openpyxl.load_workbook(write_vote_workbook(tmp_path / VOTE_FILE, CANDS, POSTS))
    assert wb.sheetnames == ["推荐票", "有效票", "填表说明"]
    ws = wb["推荐票"]
    assert headers(ws) == ["报名序号", "姓名", "职位代码", "推荐票数"]
    assert list(zip(column(ws, 1), column(ws, 3))) == [("003", "01"), ("001", "01"), ("002", "01"),
                                                       ("001", "02"), ("004", "02")]  # draw order kept
    assert column(ws, 4) == [None] * 5
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.operator, dv.formula1, str(dv.sqref)) == ("whole", "greaterThanOrEqual", "0", "D2:D6")
    ws = wb["有效票"]
    assert headers(ws) == ["职位代码", "职位名称", "有效票数"]
    # One row per post WITH candidates, in 职位表 order: 09 has none.
    assert list(zip(column(ws, 1), column(ws, 2))) == [("01", "教务处处长"), ("02", "人事处处长")]
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, str(dv.sqref)) == ("whole", "C2:C3")
    assert "没有得票请填 0" in wb["填表说明"]["A1"].value


def test_blank_workbook_per_person(tmp_path):
    wb = openpyxl.load_workbook(write_vote_workbook(tmp_path / VOTE_FILE, CANDS, POSTS, per_person=True))
    ws = wb["推荐票"]
    assert headers(ws) == ["报名序号", "姓名", "推荐票数"]
    # One row per person, where they first appear in the draw: 001 once, after 003.
    assert list(zip(column(ws, 1), column(ws, 2))) == [("003", "王五"), ("001", "张三"), ("002", "李四"),
                                                       ("004", "赵六")]
    assert str(ws.data_validations.dataValidation[0].sqref) == "C2:C5"
    ws = wb["有效票"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["职位代码", "职位名称", "有效票数"],
                                                                  ["全部", "全部职位", None]]


# ---------------------------------------------------------------- filled and read back


def test_filled_workbook_gives_the_tallies(tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    fill(write_vote_workbook(folder / VOTE_FILE, CANDS, POSTS))
    fill(write_vote_workbook(folder / VOTE_SECOND_ENTRY_FILE, CANDS, POSTS))  # the second copy agrees
    tallies = load_votes(folder, CANDS, POSTS)
    assert tallies == {("003", "01"): VoteTally(37, 52), ("001", "01"): VoteTally(26, 52),
                       ("002", "01"): VoteTally(25, 52), ("001", "02"): VoteTally(10, 40),
                       ("004", "02"): VoteTally(30, 40)}
    # 37/52 = 71.15 (above); 26/52 = 50.00; 25/52 = 48.076… → 48.08; 10/40 = 25.00; 30/40 = 75.00.
    assert [vote_share(t) for t in tallies.values()] == [D("71.15"), D("50.00"), D("48.08"), D("25.00"), D("75.00")]


def test_counts_typed_as_text_or_float_are_read(tmp_path):
    """A text-formatted cell holds "37", a calculated one 37.0: both are 37 votes."""
    path = fill(write_vote_workbook(tmp_path / VOTE_FILE, CANDS, POSTS),
                {**VOTES, ("003", "01"): "37", ("001", "01"): 26.0}, {"01": " 52 ", "02": 40})
    tallies = read_vote_tally(path, CANDS, POSTS)
    assert (tallies[("003", "01")], tallies[("001", "01")]) == (VoteTally(37, 52), VoteTally(26, 52))


def test_filled_per_person_gives_one_tally_for_every_post_of_a_person(tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    fill_per_person(write_vote_workbook(folder / VOTE_FILE, CANDS, POSTS, per_person=True))
    tallies = load_votes(folder, CANDS, POSTS, per_person=True)
    # Keyed by candidacy: 001's 26 of 52 stands for both 01 and 02.
    assert tallies == {("003", "01"): VoteTally(20, 52), ("001", "01"): VoteTally(26, 52),
                       ("002", "01"): VoteTally(5, 52), ("001", "02"): VoteTally(26, 52),
                       ("004", "02"): VoteTally(30, 52)}


# ---------------------------------------------------------------- bad input, every problem at once


def test_every_problem_per_candidacy_is_located_at_once(tmp_path):
    posts = POSTS + [Post("03", "办公室", "办公室主任", "正职", 1), Post("04", "保卫处", "保卫处处长", "正职", 1)]
    cands = CANDS + [Candidate("005", "钱七", "03"), Candidate("006", "孙八", "04")]
    path = write_vote_workbook(tmp_path / VOTE_FILE, cands, posts)
    wb = openpyxl.load_workbook(path)
    ws = wb["推荐票"]
    for cell, value in {"D2": None, "D3": "十", "D4": -1, "D5": 2.5, "D6": 45, "D8": 3}.items():
        ws[cell] = value  # row 7 (005 钱七) is deleted below; row 8 (006 孙八, post 04) moves up to row 7
    ws.delete_rows(7)
    ws.append(["099", "周九", "01", 4])  # nobody of that number applied
    ws = wb["有效票"]  # rows: 01, 02, 03, 04
    ws["C2"], ws["C3"], ws["C5"] = 52, 40, 0
    ws.delete_rows(4)  # the row of post 03
    ws.append(["08", "财务处处长", 30])  # no candidate of post 08
    wb.save(path)
    assert messages(lambda: read_vote_tally(path, cands, posts)) == [
        # 有效票 first: the 0 of post 04 (now row 4), the row of a post nobody competes for, the missing 03.
        "民主推荐.xlsx 工作表「有效票」 C4 「有效票数」：职位 04 保卫处处长 的有效票数为 0，无法计算得票率，请核对计票结果",
        "民主推荐.xlsx 工作表「有效票」 A5 「职位代码」：职位代码“08”不是有人选参加民主推荐的职位，请删去这一行",
        "民主推荐.xlsx 工作表「有效票」：缺少职位 03 办公室主任 这一行，请补上并填有效票数",
        # 推荐票: the unknown row, the missing row, then every count in row order.
        "民主推荐.xlsx 工作表「推荐票」 A8 「报名序号」：没有报名序号为 099、报考职位 01 的考生（周九），请核对",
        "民主推荐.xlsx 工作表「推荐票」：缺少考生 005 钱七（职位 03）这一行，请补上",
        "民主推荐.xlsx 工作表「推荐票」 D2 「推荐票数」：缺少推荐票数，没有得票请填 0",
        "民主推荐.xlsx 工作表「推荐票」 D3 「推荐票数」：“十”不是票数，请填 0 或正整数",
        "民主推荐.xlsx 工作表「推荐票」 D4 「推荐票数」：票数不能是负数（“-1”），请填 0 或正整数",
        "民主推荐.xlsx 工作表「推荐票」 D5 「推荐票数」：票数应为整数（“2.5”），请填 0 或正整数",
        # 45 votes, but post 02 had only 40 valid ballots.
        "民主推荐.xlsx 工作表「推荐票」 D6 「推荐票数」：推荐票数 45 多于职位 02 人事处处长 的有效票数 40，请核对",
        # D7 (孙八, post 04): 3 votes, but no ratio can be checked against the 0 above: said once, there.
    ]


def test_every_problem_per_person_is_located_at_once(tmp_path):
    path = write_vote_workbook(tmp_path / VOTE_FILE, CANDS, POSTS, per_person=True)
    wb = openpyxl.load_workbook(path)
    ws = wb["推荐票"]  # rows: 003, 001, 002, 004
    ws["C2"], ws["C3"], ws["C4"] = 53, "", "=1"
    ws["B4"] = "=HYPERLINK(\"x\")"  # a 姓名 typed over with a formula
    for cell in ("B4", "C4"):  # as a clerk's text-formatted cell holds them (else openpyxl writes a formula)
        ws[cell].data_type = "s"
    ws.delete_rows(5)  # 004 赵六
    ws.append(["003", "王五", 1])  # typed twice
    ws.append(["098", "吴十", 2])
    ws = wb["有效票"]
    ws["C2"] = 52
    ws.append(["01", "教务处处长", 40])  # per person there is one row only
    wb.save(path)
    found = messages(lambda: read_vote_tally(path, CANDS, POSTS, per_person=True))
    name_problem = [m for m in found if " B4 " in m]
    assert len(name_problem) == 1 and name_problem[0].startswith(
        "民主推荐.xlsx 工作表「推荐票」 B4 「姓名」：姓名「=HYPERLINK(\"x\")」含有不允许的字符「=」")
    assert [m for m in found if m not in name_problem] == [
        "民主推荐.xlsx 工作表「有效票」 A3 「职位代码」：按人推荐时本表只填一行，职位代码为“全部”；请删去职位代码为“01”的这一行",
        "民主推荐.xlsx 工作表「推荐票」 A5 「报名序号」：考生 003 王五 重复出现（另见第2行）",
        "民主推荐.xlsx 工作表「推荐票」 A6 「报名序号」：没有报名序号为 098 的考生（吴十），请核对",
        "民主推荐.xlsx 工作表「推荐票」：缺少考生 004 赵六 这一行，请补上",
        "民主推荐.xlsx 工作表「推荐票」 C2 「推荐票数」：推荐票数 53 多于有效票数 52，请核对",  # 53 > 52
        "民主推荐.xlsx 工作表「推荐票」 C3 「推荐票数」：缺少推荐票数，没有得票请填 0",
        "民主推荐.xlsx 工作表「推荐票」 C4 「推荐票数」：“=1”不是票数，请填 0 或正整数",
    ]


@pytest.mark.parametrize("valid, said", [
    (None, "民主推荐.xlsx 工作表「有效票」 C2 「有效票数」：缺少有效票数，请按计票结果填写"),
    (0, "民主推荐.xlsx 工作表「有效票」 C2 「有效票数」：有效票数为 0，无法计算得票率，请核对计票结果"),
])
def test_per_person_valid_votes_blank_or_zero(tmp_path, valid, said):
    path = fill_per_person(write_vote_workbook(tmp_path / VOTE_FILE, CANDS, POSTS, per_person=True), valid=valid)
    assert messages(lambda: read_vote_tally(path, CANDS, POSTS, per_person=True)) == [said]


def test_missing_sheet_header_and_file(tmp_path):
    path = fill(write_vote_workbook(tmp_path / VOTE_FILE, CANDS, POSTS))
    wb = openpyxl.load_workbook(path)
    wb["推荐票"]["D1"] = "票数"
    wb["有效票"]["C1"] = "总票数"
    wb.save(path)
    assert messages(lambda: read_vote_tally(path, CANDS, POSTS)) == [
        "民主推荐.xlsx 工作表「有效票」 第1行：表头应为 职位代码、职位名称、有效票数，请用程序生成的空表录入",
        "民主推荐.xlsx 工作表「推荐票」 D1 「票数」：第四列表头应为“推荐票数”"]
    del wb["有效票"]
    wb.save(path)
    assert messages(lambda: read_vote_tally(path, CANDS, POSTS)) == [
        "民主推荐.xlsx 工作表「有效票」：缺少这张工作表，请用程序生成的空表录入"]
    (said,) = messages(lambda: load_votes(tmp_path / "empty", CANDS, POSTS))
    assert said.startswith("民主推荐.xlsx：本次评分办法要用民主推荐结果，但找不到已录入的民主推荐票数表；运行 make scoresheets 后")


# ---------------------------------------------------------------- double entry


def test_double_entry_mismatch_is_located(tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    fill(write_vote_workbook(folder / VOTE_FILE, CANDS, POSTS))
    fill(write_vote_workbook(folder / VOTE_SECOND_ENTRY_FILE, CANDS, POSTS),
         {**VOTES, ("002", "01"): 52}, {"01": 52, "02": 46})
    assert messages(lambda: load_votes(folder, CANDS, POSTS)) == [
        "民主推荐-复核.xlsx 工作表「推荐票」 D4 「推荐票数」：考生 002 李四，推荐票数：第一遍录入为“25”，复核录入为“52”，"
        "请对照计票结果改正后再计算得票率",
        "民主推荐-复核.xlsx 工作表「有效票」 C3 「有效票数」：职位 02 人事处处长，有效票数：第一遍录入为“40”，复核录入为“46”，"
        "请对照计票结果改正后再计算得票率"]


def test_double_entry_per_person_and_a_blank_in_one_copy(tmp_path):
    first = fill_per_person(write_vote_workbook(tmp_path / VOTE_FILE, CANDS, POSTS, per_person=True))
    second = fill_per_person(write_vote_workbook(tmp_path / VOTE_SECOND_ENTRY_FILE, CANDS, POSTS, per_person=True),
                             {**PERSON_VOTES, "001": None})
    (diff,) = compare_vote_entries(first, second)
    assert (diff.sheet, diff.cell, diff.code) == ("推荐票", "C3", "double-entry-mismatch")
    assert diff.message == "考生 001 张三，推荐票数：第一遍录入为“26”，复核录入为（空白），请对照计票结果改正后再计算得票率"


def test_a_post_missing_from_the_list_still_gets_its_valid_votes_row(tmp_path):
    """Votes of a candidate whose post the caller left out of posts are asked for, not dropped unread."""
    cands = CANDS + [Candidate("005", "钱七", "07")]
    wb = openpyxl.load_workbook(write_vote_workbook(tmp_path / VOTE_FILE, cands, POSTS))
    assert list(zip(column(wb["有效票"], 1), column(wb["有效票"], 2))) == [("01", "教务处处长"), ("02", "人事处处长"),
                                                                         ("07", None)]
    path = fill(tmp_path / VOTE_FILE, {**VOTES, ("005", "07"): 9}, {**VALID, "07": 8})
    assert messages(lambda: read_vote_tally(path, cands, POSTS)) == [
        "民主推荐.xlsx 工作表「推荐票」 D7 「推荐票数」：推荐票数 9 多于职位 07 的有效票数 8，请核对"]
