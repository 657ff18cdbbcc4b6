"""More habits of real workbooks, each found by trying to break the reader: a formula's error value in any
column, a header repeated above each printed page, headers marked （必填）, 报名信息.XLS in capitals, a filter
hiding many rows, and the copy of an .xls a killed run left in the temporary folder.
Every message is asserted whole, as the clerk reads it.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile

import openpyxl
import pytest

from broken.factory import applicants, judges, make_campaign, write_workbook
from pipeline.campaign.columns import APPLICANTS, JUDGES
from pipeline.campaign.legacy_formats import COPY_PREFIX, sweep_stale_copies
from pipeline.campaign.load import load_campaign_folder
from pipeline.errors import InputErrors


def problems(folder):
    with pytest.raises(InputErrors) as info:
        load_campaign_folder(folder)
    return info.value.problems


def test_a_formula_error_is_named_in_any_column(tmp_path):
    # Excel stores a VLOOKUP's #N/A, a dynamic array's #SPILL! as the cell's value: it is no 性别, no text
    # for a 公示, no number.
    rows = applicants()
    rows[0]["性别"], rows[1]["现工作单位及职务"], rows[2]["基层工作年限"] = "#N/A", "#SPILL!", "#CALC!"
    folder = make_campaign(tmp_path)
    write_workbook(folder / APPLICANTS.file, APPLICANTS, rows)
    found = [(p.cell, p.code, p.message) for p in problems(folder)]
    assert found == [(cell, "formula-error", f"单元格是公式错误 {value}（公式的计算出了错）；请改正公式，或者直接填写内容")
                     for cell, value in (("C2", "#N/A"), ("L3", "#SPILL!"), ("O4", "#CALC!"))]


def _judges_sheet(folder):
    path = folder / JUDGES.file
    wb = openpyxl.load_workbook(path)
    return wb, wb[JUDGES.sheet], path


def test_a_header_repeated_below_is_one_message_not_a_person(tmp_path):
    folder = make_campaign(tmp_path)
    wb, ws, path = _judges_sheet(folder)
    ws.insert_rows(4)
    for cell, header in zip(ws[4], [c.value for c in ws[1]]):
        cell.value = header  # the header again, as offices repeat it above each printed page
    wb.save(path)
    [problem] = problems(folder)
    assert (problem.file, problem.sheet, problem.row, problem.code) == (JUDGES.file, JUDGES.sheet, 4, "repeated-header")
    assert problem.message == "这一行与第1行的表头相同，是重复的表头行，不是一条记录；请整行删除"


def test_headers_marked_required_or_optional_are_read(tmp_path):
    folder = make_campaign(tmp_path)
    wb, ws, path = _judges_sheet(folder)
    ws["A1"], ws["B1"], ws["D1"], ws["D2"] = "评委编号（必填）", "姓名(必填)", "工作单位（选填）", "江州大学"
    wb.save(path)
    data = load_campaign_folder(folder)
    assert [j.number for j in data.judges] == [r["评委编号"] for r in judges()]
    assert data.judges[0].organisation == "江州大学"


def test_a_workbook_named_in_capitals_is_found(tmp_path):
    folder = make_campaign(tmp_path)
    (folder / JUDGES.file).rename(folder / "评委名单.XLSX")
    assert len(load_campaign_folder(folder).judges) == len(judges())


def test_many_hidden_rows_are_said_once(tmp_path):
    names = "韩东 马兰 王芳 李强 赵敏 周杰 吴磊 郑爽 孙悦 钱坤 冯涛 陈静".split()
    folder = make_campaign(tmp_path, judge_rows=[{"评委编号": f"Z{i:02d}", "姓名": name, "评委组": "专家评委"}
                                                 for i, name in enumerate(names, start=1)])
    wb, ws, path = _judges_sheet(folder)
    count = ws.max_row - 1
    for row in range(2, ws.max_row + 1):
        ws.row_dimensions[row].hidden = True  # what a filter or collapsed groups leave in the file
    wb.save(path)
    [problem] = problems(folder)
    rows = "、".join(str(r) for r in range(2, min(ws.max_row, 11) + 1)) + ("…" if count > 10 else "")
    assert (problem.row, problem.code) == (2, "hidden-rows")
    assert problem.message == (f"第{rows}行等{count}行是隐藏行（工作表设置了筛选，或这些行被隐藏、被分组折叠）；"
                               "请点“清除筛选”，或选中整张表后右键点“取消隐藏”，核对这些行，不需要的行请整行删除")


def test_the_copy_a_killed_run_left_is_swept_and_a_running_ones_kept(tmp_path):
    # The copy of a clerk's .xls holds ID numbers and addresses; a kill -9 skips its `finally`.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = tmp_path / f"{COPY_PREFIX}{int(dead.stdout)}-abc"
    left.mkdir()
    (left / "workbook.xls").write_bytes(b"320102198511022412")
    running = tmp_path / f"{COPY_PREFIX}{subprocess.os.getpid()}-def"
    running.mkdir()
    assert sweep_stale_copies(tmp_path) == [left]
    assert not left.exists() and running.is_dir()


def test_every_load_sweeps_what_a_killed_run_left(tmp_path, monkeypatch):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (temp / f"{COPY_PREFIX}{int(dead.stdout)}-abc").mkdir()
    load_campaign_folder(make_campaign(tmp_path / "c"))  # a campaign with no .xls at all
    assert list(temp.iterdir()) == []
