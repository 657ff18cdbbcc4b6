"""The workbooks of tests/workbooks/: laid out as offices keep them, saved by LibreOffice (.xlsx and .xls).

Each is built with openpyxl and then opened and saved by LibreOffice, so the tests read what an office's
spreadsheet program writes (shared strings, stored formula results, hidden="true", mergeCells), not what
openpyxl writes. The one exception is 评委名单-公式无结果.xlsx: LibreOffice always stores a formula's
result, so a formula without one can only come from a program such as openpyxl, and is kept as written.

    .venv/bin/python -m devtools.make_workbook_fixtures      # rewrites tests/workbooks/
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import openpyxl

from pipeline.campaign.columns import APPLICANTS, JUDGES
from pipeline.campaign.idcard import make_id
from pipeline.engine.convert import run_soffice

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "workbooks"
TITLE = "江州职业技术学院2026年中层干部竞争上岗报名信息汇总表"
FILLED_IN_BY = "填表单位：组织人事处（盖章）        填表日期：2026年5月20日"
# Invented applicants (the 320102 region code; IDs made valid by make_id), as tests/broken/factory.py has them.
ID_1 = make_id("320102", dt.date(1980, 3, 14), 132)
ID_3 = make_id("320583", dt.date(1979, 10, 30), 357)
# ID_2 with a wrong check character: GB 11643's MOD 11-2 over 32010219851102241 gives 2, not 3.
WRONG_ID_2 = "320102198511022413"


def _applicants() -> list[dict]:
    common = {"民族": "汉族", "政治面貌": "中共党员", "学历": "大学本科", "参加工作时间": "2003.07",
              "现工作单位及职务": "教务处副处长", "现职级": "正科级", "任现职级时间": dt.datetime(2019, 6, 1),
              "联系电话": "13912345678", "家庭住址": '=""'}  # a formula whose result is the empty string
    return [
        {**common, "报名序号": "001", "姓名": '="林"&"晓雯"', "性别": "女", "出生年月": "1980.03", "身份证号": ID_1,
         "报考职位": "01"},
        {**common, "报名序号": "002", "姓名": "周航", "性别": "男", "出生年月": "1985.11",
         "身份证号": WRONG_ID_2, "报考职位": "02"},
        {**common, "报名序号": "003", "姓名": "许志刚", "性别": "男", "出生年月": "1979.10", "身份证号": ID_3,
         "报考职位": "01、02", "是否服从调剂": "是"},
    ]


def titled_applicants() -> openpyxl.Workbook:
    """Row 1 a merged title, row 2 the 填表单位/填表日期 line, row 3 the header, rows 4–6 data; F5 is wrong."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = APPLICANTS.sheet
    headers = [c.header for c in APPLICANTS.columns]
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append([FILLED_IN_BY])
    sheet.append(headers)
    for row in _applicants():
        sheet.append([row.get(h) for h in headers])
    for cell in sheet["F"]:
        cell.number_format = "@"  # 身份证号 as text, as the blank workbooks have it
    return workbook


def _judges_sheet(workbook: openpyxl.Workbook):
    sheet = workbook.active
    sheet.title = JUDGES.sheet
    return sheet


JUDGE_HEADERS = [c.header for c in JUDGES.columns]


def judges_under_title_and_blank_row() -> openpyxl.Workbook:
    """Row 1 a merged title, row 2 blank, row 3 the 填表单位 line, row 4 the header, rows 5–6 data."""
    workbook = openpyxl.Workbook()
    sheet = _judges_sheet(workbook)
    sheet["A1"] = "2026年中层干部竞争上岗评委名单"
    sheet.merge_cells("A1:E1")
    sheet["A3"] = FILLED_IN_BY
    sheet.append(JUDGE_HEADERS)
    sheet.append(["Z01", "韩东", "专家评委", '=""'])
    sheet.append(["D01", '="马"&"兰"', "党委成员"])
    return workbook


def judges_with_merged_group() -> openpyxl.Workbook:
    """A merged title A1:E1 (fine), the header on row 2, and C4:C5 merged: one 评委组 for two judges."""
    workbook = openpyxl.Workbook()
    sheet = _judges_sheet(workbook)
    sheet["A1"] = "评委名单"
    sheet.merge_cells("A1:E1")
    sheet.append(JUDGE_HEADERS)
    sheet.append(["Z01", "韩东", "专家评委"])
    sheet.append(["Z02", "李明", "专家评委"])
    sheet.append(["Z03", "王芳"])
    sheet.merge_cells("C4:C5")
    return workbook


def judges_with_hidden_row_and_column() -> openpyxl.Workbook:
    """Header on row 1; row 3 (马兰) hidden, column C (评委组) hidden."""
    workbook = openpyxl.Workbook()
    sheet = _judges_sheet(workbook)
    sheet.append(JUDGE_HEADERS)
    sheet.append(["Z01", "韩东", "专家评委"])
    sheet.append(["D01", "马兰", "党委成员"])
    sheet.append(["Z02", "李明", "专家评委"])
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["C"].hidden = True
    return workbook


def judges_with_formula() -> openpyxl.Workbook:
    """B3 (姓名) a formula; openpyxl stores no result for it, LibreOffice computes and stores 马兰."""
    workbook = openpyxl.Workbook()
    sheet = _judges_sheet(workbook)
    sheet.append(JUDGE_HEADERS)
    sheet.append(["Z01", "韩东", "专家评委"])
    sheet.append(["D01", '="马"&"兰"', "党委成员"])
    return workbook


# name -> (builder, the formats LibreOffice saves it in)
FIXTURE_BUILDERS = {
    "报名信息-标题行": (titled_applicants, ("xlsx", "xls")),
    "评委名单-标题空行": (judges_under_title_and_blank_row, ("xlsx",)),
    "评委名单-合并单元格": (judges_with_merged_group, ("xlsx", "xls")),
    "评委名单-隐藏行列": (judges_with_hidden_row_and_column, ("xlsx", "xls")),
    "评委名单-公式": (judges_with_formula, ("xlsx",)),
}


def save_through_libreoffice(workbook: openpyxl.Workbook, target: Path, fmt: str) -> Path:
    """Save workbook with openpyxl, open and save it with LibreOffice as target (.xlsx or .xls)."""
    with tempfile.TemporaryDirectory(prefix="fixtures-") as tmp:
        folder = Path(tmp)
        source = folder / "source.xlsx"
        workbook.save(source)
        command = ["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                   "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--convert-to", fmt,
                   "--outdir", str(folder / "out"), str(source)]
        if run_soffice(command, {**os.environ, "TMPDIR": str(folder)}, 120) != 0:
            raise RuntimeError(f"LibreOffice could not save {target.name}")
        shutil.copyfile(folder / "out" / f"source.{fmt}", target)
    return target


def main() -> int:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, (build, formats) in FIXTURE_BUILDERS.items():
        for fmt in formats:
            print(save_through_libreoffice(build(), FIXTURES / f"{name}.{fmt}", fmt).relative_to(ROOT))
    written = judges_with_formula()
    written.save(FIXTURES / "评委名单-公式无结果.xlsx")  # as openpyxl writes it: no stored result
    print((FIXTURES / "评委名单-公式无结果.xlsx").relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
