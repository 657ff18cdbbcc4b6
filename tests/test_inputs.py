"""The broken-workbook corpus: each case is rejected with file, sheet, row, column header and cell named."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from broken.factory import ID_1, ID_2, ID_3, applicants, judges, make_campaign, posts, write_workbook
from pipeline.errors import InputErrors, Problem
from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.columns import APPLICANTS, JUDGES, POSTS

ROOT = Path(__file__).resolve().parent.parent
A, P, J = "报名信息.xlsx", "职位表.xlsx", "评委名单.xlsx"
# Column letters worked out by hand from the order in schema.py:
# 报名信息: A 报名序号 B 姓名 C 性别 D 民族 E 出生年月 F 身份证号 G 政治面貌 H 入党时间 I 学历 J 学位
#           K 参加工作时间 L 现工作单位及职务 M 现职级 N 任现职级时间 O 基层工作年限 P 专业技术职务 Q 报考职位
#           R 是否服从调剂 S 处分期满日期 T 联系电话 U 家庭住址
# 职位表:   A 职位代码 B 部门 C 职位名称 D 职位类别 E 职数 ...;  评委名单: A 评委编号 B 姓名 C 评委组


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(InputErrors) as info:
        load_campaign_folder(folder)
    return info.value.problems


def where(p: Problem) -> tuple:
    return (p.file, p.sheet, p.row, p.column, p.cell, p.code)


def applicants_with(row: int, **changes) -> list[dict]:
    """The good applicants with some cells of one sheet row (2, 3 or 4) changed; keys are headers."""
    rows = applicants()
    rows[row - 2].update(changes)
    return rows


def test_good_folder_loads(tmp_path):
    data = load_campaign_folder(make_campaign(tmp_path))
    assert [p.code for p in data.posts] == ["01", "02"]
    assert [a.name for a in data.applicants] == ["林晓雯", "周航", "许志刚"]  # "周　航" padded name tidied
    assert data.applicants[1].education == "硕士研究生"  # alias 硕士
    assert data.applicants[2].posts == ("01", "02") and data.applicants[2].accept_reassignment is True
    assert data.applicants[2].birth_month == (1979, 10) and data.applicants[2].source.row == 4
    assert data.applicants[0].rank_since == dt.date(2019, 6, 1)
    assert data.posts[1].born_on_or_after == dt.date(1971, 5, 31)


def test_what_clerks_type_is_accepted(tmp_path):
    """Full-width headers and digits, extra columns, blank rows, a lower-case x."""
    folder = make_campaign(tmp_path)
    headers = [c.header for c in APPLICANTS.columns]
    headers[0] = " 报名　序号 "
    headers.append("备注")
    rows = applicants()
    for row in rows:
        row[" 报名　序号 "], row["备注"] = row["报名序号"], "无"
    # Same birth date and sex as ID_1; check character worked out by hand in test_idcard.py.
    rows[0]["身份证号"] = "32010219800314128x"
    rows[2]["身份证号"] = ID_3.replace("5", "５")
    rows[2]["出生年月"] = dt.datetime(1979, 10, 1)
    rows[1]["联系电话"] = "０５１２－５８８８ ００００"
    rows.insert(1, {})  # a blank row 3; the applicants move to rows 2, 4, 5
    write_workbook(folder / A, APPLICANTS, rows, headers=headers)
    data = load_campaign_folder(folder)
    assert [a.source.row for a in data.applicants] == [2, 4, 5]
    assert data.applicants[0].id_number == "32010219800314128X" and data.applicants[2].id_number == ID_3
    assert data.applicants[1].phone == "0512-58880000"


def test_missing_file(tmp_path):
    folder = make_campaign(tmp_path)
    (folder / J).unlink()
    [p] = problems_of(folder)
    assert where(p) == (J, None, None, None, None, "missing-file")


def test_csv_saved_as_xlsx(tmp_path):
    folder = make_campaign(tmp_path)
    (folder / A).write_text("报名序号,姓名\n001,林晓雯\n", encoding="utf-8")
    [p] = problems_of(folder)
    assert where(p) == (A, None, None, None, None, "not-xlsx")
    assert "另存为" in p.message


def test_old_xls_renamed(tmp_path):
    folder = make_campaign(tmp_path)
    (folder / P).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    problems = problems_of(folder)
    assert where(problems[0]) == (P, None, None, None, None, "not-xlsx")
    assert "97-2003" in problems[0].message
    # The 报考职位 of each applicant cannot be checked without the posts: one line says so, not one per row.
    assert [where(p) for p in problems[1:]] == [(A, "报名信息", None, "报考职位", None, "check-skipped")]


def test_missing_sheet(tmp_path):
    folder = make_campaign(tmp_path)
    write_workbook(folder / J, JUDGES, judges(), sheet="Sheet1")
    [p] = problems_of(folder)
    assert where(p) == (J, "评委名单", None, None, None, "missing-sheet")
    assert "「Sheet1」" in p.message


def test_missing_column(tmp_path):
    folder = make_campaign(tmp_path)
    headers = [c.header for c in APPLICANTS.columns if c.header != "身份证号"]
    write_workbook(folder / A, APPLICANTS, applicants(), headers=headers)
    [p] = problems_of(folder)
    assert where(p) == (A, "报名信息", 1, "身份证号", None, "missing-column")
    assert str(p) == "报名信息.xlsx 工作表「报名信息」 第1行 「身份证号」：缺少必需的列「身份证号」；请在第1行表头中添加这一列"


def test_wrong_types(tmp_path):
    folder = make_campaign(tmp_path)
    rows = posts()
    rows[1]["职数"] = "一个"
    write_workbook(folder / P, POSTS, rows)
    write_workbook(folder / A, APPLICANTS, applicants_with(2, 任现职级时间="去年"))
    problems = problems_of(folder)
    assert [where(p) for p in problems] == [
        (P, "职位表", 3, "职数", "E3", "not-integer"),
        (A, "报名信息", 2, "任现职级时间", "N2", "bad-date"),
    ]
    assert str(problems[1]).startswith("报名信息.xlsx 工作表「报名信息」 N2 「任现职级时间」：无法识别的日期「去年」")


def test_unknown_post_code(tmp_path):
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, applicants_with(3, 报考职位="02，03"))
    [p] = problems_of(folder)
    assert where(p) == (A, "报名信息", 3, "报考职位", "Q3", "unknown-post")
    assert "03" in p.message and "02" not in p.message.split("（")[0]


def test_duplicate_number(tmp_path):
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, applicants_with(4, 报名序号="001"))
    problems = problems_of(folder)
    assert [where(p) for p in problems] == [
        (A, "报名信息", 2, "报名序号", "A2", "duplicate-number"),
        (A, "报名信息", 4, "报名序号", "A4", "duplicate-number"),
    ]
    assert "与第4行重复" in problems[0].message and "与第2行重复" in problems[1].message


def test_duplicate_id_number(tmp_path):
    folder = make_campaign(tmp_path)
    # Row 3 copies row 2's identity (ID, gender, birth month), so only the duplicate is wrong.
    write_workbook(folder / A, APPLICANTS, applicants_with(3, 身份证号=ID_1, 性别="女", 出生年月="1980.03"))
    problems = problems_of(folder)
    assert [where(p) for p in problems] == [
        (A, "报名信息", 2, "身份证号", "F2", "duplicate-id-number"),
        (A, "报名信息", 3, "身份证号", "F3", "duplicate-id-number"),
    ]


def test_wrong_check_digit(tmp_path):
    folder = make_campaign(tmp_path)
    wrong = "0" if ID_2[-1] != "0" else "1"
    write_workbook(folder / A, APPLICANTS, applicants_with(3, 身份证号=ID_2[:17] + wrong))
    [p] = problems_of(folder)
    assert where(p) == (A, "报名信息", 3, "身份证号", "F3", "bad-id-check")
    assert p.message.startswith(f"校验位应为 {ID_2[-1]}，现为 {wrong}")


def test_birth_month_disagrees_with_id(tmp_path):
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, applicants_with(2, 出生年月="1980.04"))  # ID_1 says 1980-03-14
    [p] = problems_of(folder)
    assert where(p) == (A, "报名信息", 2, "出生年月", "E2", "birth-mismatch")
    assert "1980.04" in p.message and "1980.03.14" in p.message


def test_gender_disagrees_with_id(tmp_path):
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, applicants_with(2, 性别="男"))  # ID_1's 17th digit 2 is even: 女
    [p] = problems_of(folder)
    assert where(p) == (A, "报名信息", 2, "性别", "C2", "gender-mismatch")


def test_impossible_dates(tmp_path):
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, applicants_with(4, 任现职级时间="2023-02-30", 参加工作时间="2003.13"))
    problems = problems_of(folder)
    assert [where(p) for p in problems] == [
        (A, "报名信息", 4, "参加工作时间", "K4", "bad-date"),
        (A, "报名信息", 4, "任现职级时间", "N4", "bad-date"),
    ]
    assert "2023年2月30日 不存在" in problems[1].message


def test_year_month_typed_as_ambiguous_number(tmp_path):
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, applicants_with(3, 参加工作时间=2003.1))
    [p] = problems_of(folder)
    assert where(p) == (A, "报名信息", 3, "参加工作时间", "K3", "ambiguous-number")
    assert "文本格式" in p.message and "2003.01 或 2003.10" in p.message


@pytest.mark.parametrize("stored", [float(ID_3), int(ID_3[:15] + "000")], ids=["float", "int-15-digits"])
def test_id_stored_as_number_lost_digits(tmp_path, stored):
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, applicants_with(4, 身份证号=stored))
    [p] = problems_of(folder)
    assert where(p) == (A, "报名信息", 4, "身份证号", "F4", "id-precision-lost")
    assert p.message == "身份证号被存成了数字，末几位已丢失，请把该列设为文本格式后重新输入"


def test_required_cell_empty_and_bad_choice(tmp_path):
    folder = make_campaign(tmp_path)
    rows = applicants_with(3, 姓名="  ", 政治面貌="党外人士")  # 党员 is read as 中共党员 (GB/T 4762 short form)
    write_workbook(folder / A, APPLICANTS, rows)
    problems = problems_of(folder)
    assert [where(p) for p in problems] == [
        (A, "报名信息", 3, "姓名", "B3", "missing-value"),
        (A, "报名信息", 3, "政治面貌", "G3", "bad-choice"),
    ]


def test_duplicate_post_code(tmp_path):
    folder = make_campaign(tmp_path)
    rows = posts()
    rows[1]["职位代码"] = "01"
    write_workbook(folder / P, POSTS, rows)
    problems = problems_of(folder)
    assert [where(p) for p in problems[:2]] == [
        (P, "职位表", 2, "职位代码", "A2", "duplicate-code"),
        (P, "职位表", 3, "职位代码", "A3", "duplicate-code"),
    ]
    # 02 is gone, so rows 3 and 4 of 报名信息 now name an unknown post.
    assert [p.cell for p in problems[2:]] == ["Q3", "Q4"]


def test_judges_duplicate_number_and_unknown_group(tmp_path):
    folder = make_campaign(tmp_path)
    rows = judges() + [{"评委编号": "Z01", "姓名": "曹雪", "评委组": "职工代表"}]
    write_workbook(folder / J, JUDGES, rows)
    problems = problems_of(folder)
    assert [where(p) for p in problems] == [
        (J, "评委名单", 2, "评委编号", "A2", "duplicate-number"),
        (J, "评委名单", 4, "评委编号", "A4", "duplicate-number"),
        (J, "评委名单", 4, "评委组", "C4", "unknown-group"),
    ]
    assert "专家评委、党委成员、中层干部、教师代表" in problems[2].message


def test_toml_syntax_error_names_the_line(tmp_path):
    folder = make_campaign(tmp_path)
    text = (folder / "campaign.toml").read_text(encoding="utf-8").splitlines()
    text[8] = "name = 江州职业技术学院"  # line 9 in the editor; the quotes are missing
    (folder / "campaign.toml").write_text("\n".join(text), encoding="utf-8")
    [p] = problems_of(folder)
    assert (p.file, p.row, p.code) == ("campaign.toml", 9, "toml-syntax")
    assert "双引号" in p.message


def test_toml_missing_key_and_bad_kind(tmp_path):
    folder = make_campaign(tmp_path)
    text = (folder / "campaign.toml").read_text(encoding="utf-8")
    text = text.replace('kind = "college"', 'kind = "school"').replace('title = "2026年中层干部竞争上岗"', "")
    (folder / "campaign.toml").write_text(text, encoding="utf-8")
    problems = problems_of(folder)
    assert [(p.file, p.row, p.column, p.code) for p in problems] == [
        ("campaign.toml", 12, "organisation.kind", "bad-value"),  # kind = "school"
        ("campaign.toml", 15, "campaign.title", "missing-key"),  # the [campaign] header: title is gone
    ]


def test_every_problem_reported_at_once(tmp_path):
    folder = make_campaign(tmp_path)
    (folder / J).unlink()
    rows = posts()
    rows[0]["职位类别"] = "正"
    write_workbook(folder / P, POSTS, rows)
    write_workbook(folder / A, APPLICANTS, applicants_with(2, 出生年月=1980.1, 联系电话="电话"))
    problems = problems_of(folder)
    assert [p.cell or p.file for p in problems] == ["D2", "E2", "T2", J]


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(folder.rglob("*")) if f.is_file()}


@pytest.mark.e2e
def test_cli_check_rejects_broken_folder_and_writes_nothing(tmp_path):
    folder = make_campaign(tmp_path / "campaign")
    write_workbook(folder / A, APPLICANTS, applicants_with(3, 身份证号=ID_2[:17] + "Y", 报名序号="001"))
    out = tmp_path / "out"
    (out / "公示").mkdir(parents=True)
    (out / "公示" / "earlier.pdf").write_bytes(b"%PDF-1.7 earlier output")
    (out / "README.txt").write_text("上次生成的文件\n", encoding="utf-8")
    before = tree_hashes(out)
    result = subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(folder), "--out", str(out), "check"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "输入有 3 处问题，未生成任何文件" in result.stderr
    assert "报名信息.xlsx 工作表「报名信息」 F3 「身份证号」：身份证号只能是数字，仅最后一位可以是 X" in result.stderr
    assert "报名信息.xlsx 工作表「报名信息」 A2 「报名序号」：报名序号「001」与第3行重复" in result.stderr
    assert tree_hashes(out) == before


JUDGE_SUFFIXES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东南西北"


@pytest.mark.e2e
def test_cli_check_passes_good_folder(tmp_path):
    # `check` also plans the score sheets, so the panel must meet campaign.toml's minimums: 7 + 5 + 10 + 30.
    # Names are made of characters only (digits are refused in a 姓名): 评委Z甲, 评委Z乙 …
    panel = [{"评委编号": f"{prefix}{i:02d}", "姓名": f"评委{prefix}{JUDGE_SUFFIXES[i - 1]}", "评委组": group}
             for prefix, group, size in (("Z", "专家评委", 7), ("D", "党委成员", 5), ("M", "中层干部", 10), ("T", "教师代表", 30))
             for i in range(1, size + 1)]
    folder = make_campaign(tmp_path / "campaign", judge_rows=panel)
    result = subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(folder), "--out",
                             str(tmp_path / "out"), "check"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "2 个职位，3 名报名人，52 名评委" in result.stdout
    assert not (tmp_path / "out").exists()


def test_title_row_above_the_headers(tmp_path):
    folder = make_campaign(tmp_path)
    workbook = openpyxl.load_workbook(folder / J)
    workbook.active.insert_rows(1)
    workbook.active["A1"] = "2026年中层干部竞争上岗评委名单"
    workbook.save(folder / J)
    # The header is found on row 2 under the title (tests/test_workbook_layout.py has the office's layouts).
    assert [j.source.row for j in load_campaign_folder(folder).judges] == [3, 4]


def test_missing_campaign_folder(tmp_path):
    [p] = problems_of(tmp_path / "没有这个文件夹")
    assert (p.file, p.code) == (str(tmp_path / "没有这个文件夹"), "missing-folder")


def test_a_stale_dimension_tag_does_not_hide_rows(tmp_path):
    """Some writers leave <dimension ref> stale; openpyxl's read-only mode would then stop after it."""
    import shutil
    import zipfile as zf


    sample = ROOT / "inputs"
    folder = tmp_path / "campaign"
    folder.mkdir()
    for name in ("campaign.toml", "职位表.xlsx", "评委名单.xlsx"):
        shutil.copy(sample / name, folder / name)
    with zf.ZipFile(sample / "报名信息.xlsx") as src, zf.ZipFile(folder / "报名信息.xlsx", "w", zf.ZIP_DEFLATED) as dst:
        for item in src.namelist():
            blob = src.read(item)
            if item == "xl/worksheets/sheet1.xml":
                blob = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:Z5"/>', blob)
            dst.writestr(item, blob)
    assert len(load_campaign_folder(folder).applicants) == 30


def test_post_age_limit_must_be_an_age(tmp_path):
    folder = make_campaign(tmp_path)
    wb = openpyxl.load_workbook(folder / "职位表.xlsx")
    ws = wb["职位表"]
    col = [c.value for c in ws[1]].index("年龄上限") + 1
    ws.cell(row=2, column=col, value=450)
    wb.save(folder / "职位表.xlsx")
    problems = problems_of(folder)
    assert [(p.cell, p.code) for p in problems] == [(f"{openpyxl.utils.get_column_letter(col)}2", "bad-value")]
    assert "年龄上限应为 16 到 100 之间的周岁数，现在是 450" in problems[0].message
