"""Workbooks as offices keep them: title rows above the header, merged cells, hidden rows and columns,
formulas, .xls and .et files, and a run that lists every problem once.

The workbooks in tests/workbooks/ were saved by LibreOffice (devtools/make_workbook_fixtures.py), except
评委名单-公式无结果.xlsx, written by openpyxl: LibreOffice always stores a formula's result. Every message is
asserted whole, as the clerk reads it. The .xls/.et tests run LibreOffice (integration).
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest

from broken.factory import judges, make_campaign, write_workbook
from pipeline.campaign.columns import APPLICANTS, JUDGES
from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.xlsx_reader import read_sheet
from pipeline.errors import InputErrors

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "workbooks"
CORPUS = ROOT / "tests" / "broken_campaigns"
A, J = "报名信息", "评委名单"
SAVE_AS = "请用 Excel 或 WPS 打开它，去掉打开密码，点“文件→另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再把新文件放进 campaign 文件夹"
MERGED = ("这几格是合并单元格，合并后只有第一格有内容；请选中它们，点“取消合并”（合并后居中旁的下拉菜单），"
          "再在每一格中分别填上内容")
HIDDEN_COLUMN = "C列是隐藏列；请选中它两侧的列，右键点“取消隐藏”，核对这一列的内容，不需要的列请整列删除"
HIDDEN_ROW = ("这一行是隐藏行（也可能是筛选后被隐藏的）；请选中它上下两行，右键点“取消隐藏”（或清除筛选），"
              "核对这一行，不需要的行请整行删除")
# ID_2 of the fixture with its check character 3; MOD 11-2 of 32010219851102241, worked out by hand, is 2.
BAD_CHECK = "校验位应为 2，现为 3；号码中有错字，请对照身份证核对"


def messages(folder: Path) -> list[str]:
    with pytest.raises(InputErrors) as info:
        load_campaign_folder(folder)
    return [str(p) for p in info.value.problems]


def campaign_with(tmp_path: Path, fixture: str, as_name: str) -> Path:
    """The factory's small campaign with one workbook replaced by a fixture (removing its .xlsx)."""
    folder = make_campaign(tmp_path / "campaign")
    (folder / f"{Path(as_name).stem}.xlsx").unlink()
    shutil.copyfile(FIXTURES / fixture, folder / as_name)
    return folder


# --- item 1: the header under title rows; rows numbered as in the file ---

def test_header_on_row_3_under_a_merged_title_and_the_fill_in_line(tmp_path):
    folder = campaign_with(tmp_path, "报名信息-标题行.xlsx", "报名信息.xlsx")
    assert messages(folder) == [f"报名信息.xlsx 工作表「报名信息」 F5 「身份证号」：{BAD_CHECK}"]
    data = read_sheet(folder / "报名信息.xlsx", APPLICANTS)
    assert [(r.source.row, r.values["name"], r.values["address"]) for r in data.rows] == [
        (4, "林晓雯", None), (5, "周航", None), (6, "许志刚", None)]  # 姓名 of row 4 is LibreOffice's stored result


def test_title_blank_row_and_fill_in_line_above_the_header(tmp_path):
    folder = campaign_with(tmp_path, "评委名单-标题空行.xlsx", "评委名单.xlsx")
    loaded = load_campaign_folder(folder)
    # ="" in 工作单位 (LibreOffice: t="str", empty <v>) is a real blank; ="马"&"兰" has its stored result.
    assert [(j.source.row, j.name, j.organisation) for j in loaded.judges] == [(5, "韩东", None), (6, "马兰", None)]


def test_a_title_holding_header_words_is_not_the_header(tmp_path):
    folder = make_campaign(tmp_path / "campaign")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = J
    sheet.append(["评委编号、姓名、评委组一览"])
    sheet.append(["姓名"])  # a lone header word is not a header row either
    sheet.append([c.header for c in JUDGES.columns])
    sheet.append(["Z01", "韩东", "专家评委"])
    workbook.save(folder / "评委名单.xlsx")
    assert [j.source.row for j in load_campaign_folder(folder).judges] == [4]


def test_no_header_in_the_first_ten_rows(tmp_path):
    folder = make_campaign(tmp_path / "campaign")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = J
    sheet["A1"] = "评委名单"
    sheet["A11"], sheet["B11"], sheet["C11"] = "评委编号", "姓名", "评委组"
    workbook.save(folder / "评委名单.xlsx")
    assert messages(folder) == [
        "评委名单.xlsx 工作表「评委名单」：在第1–10行中没有找到表头（应有 评委编号、姓名、评委组 等列，至少2列的标题与此一致）；"
        "请在数据上方的第1–10行中放一行表头，如果工作表是空的请填入数据"]


# --- item 3: merged cells, hidden rows and columns, formulas without a stored result ---

def test_merged_data_cells_are_named_once_not_as_blank_required_cells(tmp_path):
    folder = campaign_with(tmp_path, "评委名单-合并单元格.xlsx", "评委名单.xlsx")
    # The merged title A1:E1 above the header is fine; C5, covered by C4:C5, gets no 此项必填.
    assert messages(folder) == [f"评委名单.xlsx 工作表「评委名单」 C4:C5 「评委组」：{MERGED}"]


def test_a_merge_reaching_into_the_header_row(tmp_path):
    folder = make_campaign(tmp_path / "campaign")
    write_workbook(folder / "评委名单.xlsx", JUDGES, judges())
    workbook = openpyxl.load_workbook(folder / "评委名单.xlsx")
    workbook.active.merge_cells("D1:D2")
    workbook.save(folder / "评委名单.xlsx")
    assert messages(folder) == [f"评委名单.xlsx 工作表「评委名单」 D1:D2 「工作单位」：{MERGED}"]


def test_hidden_row_and_hidden_column(tmp_path):
    folder = campaign_with(tmp_path, "评委名单-隐藏行列.xlsx", "评委名单.xlsx")
    assert messages(folder) == [f"评委名单.xlsx 工作表「评委名单」 「评委组」：{HIDDEN_COLUMN}",
                                f"评委名单.xlsx 工作表「评委名单」 第3行：{HIDDEN_ROW}"]


def test_formula_without_a_stored_result(tmp_path):
    folder = campaign_with(tmp_path, "评委名单-公式无结果.xlsx", "评委名单.xlsx")
    assert messages(folder) == [
        "评委名单.xlsx 工作表「评委名单」 B3 「姓名」：这一格是公式，但文件中没有保存公式的计算结果（由其他程序生成、"
        "没有用 Excel 或 WPS 保存过的文件常会这样）；请用 Excel 或 WPS 打开这个文件，保存一次后再试，或者直接在这一格中填入内容"]


def test_the_same_formula_saved_by_libreoffice_is_read(tmp_path):
    folder = campaign_with(tmp_path, "评委名单-公式.xlsx", "评委名单.xlsx")
    assert [j.name for j in load_campaign_folder(folder).judges] == ["韩东", "马兰"]


# --- item 2: which file; .xls and .et ---

def test_missing_workbook_names_the_other_formats(tmp_path):
    folder = make_campaign(tmp_path / "campaign")
    (folder / "评委名单.xlsx").unlink()
    assert messages(folder) == [
        "评委名单.xlsx：找不到文件 评委名单.xlsx，请把它放在 campaign 文件夹中（也可以是 Excel 97-2003 的 评委名单.xls 或 WPS 的 评委名单.et）；"
        "运行 make input-templates 后，在输出文件夹（默认 outputs）的 空白表格/ 中可找到空白的评委名单.xlsx"]


def test_two_files_for_one_workbook(tmp_path):
    folder = make_campaign(tmp_path / "campaign")
    shutil.copyfile(FIXTURES / "报名信息-标题行.xls", folder / "报名信息.xls")
    assert messages(folder) == [
        "报名信息.xlsx：文件夹中同时有 报名信息.xlsx、报名信息.xls，不知道该读哪一个；"
        "请只保留其中一个（把其余的删去或移出 campaign 文件夹）"]


def test_password_protected_xlsx(tmp_path):
    """An .xlsx with an opening password is an OLE2 compound document, as an .xls is: it is named, not converted."""
    folder = make_campaign(tmp_path / "campaign")
    (folder / "评委名单.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert messages(folder) == [f"评委名单.xlsx：这个文件设置了打开密码，或者其实是旧版 Excel 97-2003（.xls）文件；{SAVE_AS}"]


def test_xls_without_libreoffice(tmp_path, monkeypatch):
    folder = campaign_with(tmp_path, "评委名单-合并单元格.xls", "评委名单.xls")
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH where there is no soffice
    assert messages(folder) == [
        "评委名单.xls：读取 评委名单.xls 需要 LibreOffice，本机没有找到；请先运行 make sysdeps 安装，"
        "或者用 Excel 或 WPS 打开它，去掉打开密码，点“文件→另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再把新文件放进 campaign 文件夹"]


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The temporary folder the conversion uses, watched: it must be left empty."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.integration
def test_xls_is_read_through_libreoffice_and_left_as_it_was(tmp_path, private_tmp):
    folder = campaign_with(tmp_path, "报名信息-标题行.xls", "报名信息.xls")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert messages(folder) == [f"报名信息.xls 工作表「报名信息」 F5 「身份证号」：{BAD_CHECK}"]
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert after == before  # the clerk's .xls byte for byte, and no lock or converted file beside it
    assert list(private_tmp.iterdir()) == []


@pytest.mark.integration
@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_merged_and_hidden_cells_of_an_xls_or_et(tmp_path, private_tmp, suffix):
    """WPS's .et is the same OLE2/BIFF8 container as .xls: the .xls fixture under the .et name."""
    folder = campaign_with(tmp_path / "merged", "评委名单-合并单元格.xls", f"评委名单{suffix}")
    assert messages(folder) == [f"评委名单{suffix} 工作表「评委名单」 C4:C5 「评委组」：{MERGED}"]
    folder = campaign_with(tmp_path / "hidden", "评委名单-隐藏行列.xls", f"评委名单{suffix}")
    assert messages(folder) == [f"评委名单{suffix} 工作表「评委名单」 「评委组」：{HIDDEN_COLUMN}",
                                f"评委名单{suffix} 工作表「评委名单」 第3行：{HIDDEN_ROW}"]
    assert list(private_tmp.iterdir()) == []


@pytest.mark.integration
def test_an_xls_that_is_no_workbook(tmp_path, private_tmp):
    folder = make_campaign(tmp_path / "campaign")
    (folder / "评委名单.xlsx").unlink()
    (folder / "评委名单.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert messages(folder) == [
        f"评委名单.xls：LibreOffice 未能读取 评委名单.xls（文件可能设置了打开密码、已损坏，或不是 Excel/WPS 表格）；{SAVE_AS}"]
    assert list(private_tmp.iterdir()) == []


# --- item 4: every problem of a run at once, consequences not repeated ---

def test_empty_posts_workbook_and_campaign_toml_mistakes_listed_together(tmp_path):
    folder = make_campaign(tmp_path / "campaign")
    (folder / "职位表.xlsx").write_bytes(b"")
    # The corpus file without the 任前公示 step (a dates check), plus a post rule naming post 01 with a bad
    # max_age on line 195 (counted: the corpus file has 191 lines, then a blank line and three more).
    toml = (CORPUS / "41-no-pre-appointment-step.toml").read_text("utf-8")
    toml += '\n[[eligibility.post_rules]]\nposts = ["01"]\nmax_age = "45周岁"\n'
    (folder / "campaign.toml").write_text(toml, encoding="utf-8")
    assert messages(folder) == [
        "职位表.xlsx：这个文件是空的（0 字节），可能是保存或复制时出了错；请从原处重新复制一份，或用 Excel 或 WPS 重新保存这张表",
        "报名信息.xlsx 工作表「报名信息」 「报考职位」：职位表.xlsx 没能读出职位代码，所以暂未核对各行的报考职位是否在职位表中；"
        "改好职位表.xlsx后再运行，会逐行核对",
        'campaign.toml 第195行 「eligibility.post_rules[1].max_age」：应为 16 到 100 之间的整数（不加引号），现为 "45周岁"',
        'campaign.toml 第24行 「timeline」：缺少任前公示的日期：请在 [[timeline]] 中加入 key = "pre_appointment_notice"、'
        'name = "任前公示"、start = 2026-07-08 这样的一步',
    ]


def test_posts_workbook_damaged_halfway(tmp_path):
    """Rows before the damage were read, but the 报考职位 of the applicants are not checked against a part."""
    folder = make_campaign(tmp_path / "campaign")
    path = folder / "职位表.xlsx"
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[:sheet.index(b'<row r="3"') + 20]  # cut inside row 3
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert messages(folder) == [
        f"职位表.xlsx：文件内容已损坏，读到一半出错；{SAVE_AS}",
        "报名信息.xlsx 工作表「报名信息」 「报考职位」：职位表.xlsx 没能读出职位代码，所以暂未核对各行的报考职位是否在职位表中；"
        "改好职位表.xlsx后再运行，会逐行核对"]


def test_merged_or_hidden_cells_in_a_column_that_is_not_read_are_fine(tmp_path):
    folder = make_campaign(tmp_path / "campaign")
    headers = [c.header for c in JUDGES.columns] + ["备注"]
    rows = [{**j, "备注": "外聘专家"} for j in judges()]
    write_workbook(folder / "评委名单.xlsx", JUDGES, rows, headers=headers)
    workbook = openpyxl.load_workbook(folder / "评委名单.xlsx")
    workbook.active.merge_cells("F2:F3")  # 备注 (column F) is no column of 评委名单: never read
    workbook.active.column_dimensions["F"].hidden = True
    workbook.save(folder / "评委名单.xlsx")
    assert [j.number for j in load_campaign_folder(folder).judges] == ["Z01", "D01"]
