"""Every reader of a 姓名 applies the one check (cleaning.parse_name): 评委名单, 任职决定, 评分录入, 民主测评.

A formula, a path and a “..” are refused where they are typed; minority names with the 间隔号, a CJK Extension B
character and a Latin name are read. Cells are written as text (data type "s"), as a clerk's text-formatted
cell keeps “=1+1”.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from broken.factory import judges, make_campaign
from pipeline.appointment.decisions import DECISION_FILE, read_decisions
from pipeline.campaign.load import load_campaign_folder
from pipeline.errors import InputErrors
from pipeline.scoring.ballot_entry import BALLOT_FILE, read_ballot_tally, write_ballot_workbook
from pipeline.scoring.compute import Candidate
from pipeline.scoring.scheme import load_scheme
from pipeline.scoring.score_entry import ENTRY_FILE, read_score_entry, write_score_entry_workbook
from pipeline.campaign.model import Judge

REFUSED = ["@SUM(1+1)", "=1+1", "张三/.."]
ACCEPTED = ["阿依古丽·买买提", "\U0002000b", "John Smith"]  # 𠀋 U+2000B, CJK Extension B

SCHEME = load_scheme({"scoring": {"groups": [{"name": "专家评委", "weight": "1", "min_judges": 3}],
                                  "components": [{"name": "演讲答辩", "source": "judges", "weight": "100"}]}})
JUDGES = [Judge(f"Z0{i}", f"专家{i}", "专家评委") for i in (1, 2, 3)]
CANDS = [Candidate("001", "林晓雯", "01")]


def set_text(path: Path, sheet: str, cell: str, value) -> None:
    """Put value into one cell as text, as a clerk's text-formatted cell holds it."""
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell].value = value
    wb[sheet][cell].data_type = "s"
    wb.save(path)


def problems(call) -> list[tuple]:
    try:
        call()
    except InputErrors as exc:
        return [(p.cell, p.column, p.code) for p in exc.problems]
    return []


def judge_list(tmp_path: Path, name: str):
    folder = make_campaign(tmp_path / "c")
    set_text(folder / "评委名单.xlsx", "评委名单", "B2", name)
    return lambda: load_campaign_folder(folder)


def decision_file(tmp_path: Path, name: str):
    folder = make_campaign(tmp_path / "c")
    data = load_campaign_folder(folder)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任职决定"
    ws.append(["报名序号", "姓名", "任职职位代码", "是否新提任"])
    ws.append(["001", "x", "01", "是"])
    wb.save(folder / DECISION_FILE)
    set_text(folder / DECISION_FILE, "任职决定", "B2", name)
    return lambda: read_decisions(folder / DECISION_FILE, data, ())


def score_entry(tmp_path: Path, name: str):
    path = write_score_entry_workbook(tmp_path / ENTRY_FILE, SCHEME.groups, JUDGES, CANDS,
                                      lists=SCHEME.list_components())
    for cell in ("D2", "E2", "F2"):
        set_text(path, "专家评委", cell, "90")
    set_text(path, "专家评委", "B2", name)
    return lambda: read_score_entry(path, SCHEME, JUDGES, CANDS)


def ballot_tally(tmp_path: Path, name: str):
    path = write_ballot_workbook(tmp_path / BALLOT_FILE, CANDS)
    for cell, count in zip(("D2", "E2", "F2", "G2"), ("30", "5", "1", "0")):
        set_text(path, "民主测评", cell, count)
    set_text(path, "民主测评", "B2", name)
    return lambda: read_ballot_tally(path, CANDS)


READERS = {"评委名单": judge_list, "任职决定": decision_file, "评分录入": score_entry, "民主测评": ballot_tally}


@pytest.mark.parametrize("reader", READERS, ids=str)
@pytest.mark.parametrize("name", REFUSED)
def test_a_name_that_is_no_name_is_refused_where_it_is_typed(tmp_path, reader, name):
    assert ("B2", "姓名", "bad-name") in problems(READERS[reader](tmp_path, name))


@pytest.mark.parametrize("reader", READERS, ids=str)
@pytest.mark.parametrize("name", ACCEPTED)
def test_real_names_pass_the_name_check(tmp_path, reader, name):
    found = problems(READERS[reader](tmp_path, name))
    assert not [p for p in found if p[2] == "bad-name"]
    if reader == "任职决定":  # 001 is 林晓雯 and, with no scores given, nobody's 考察对象: both said, nothing else
        assert set(found) == {("B2", "姓名", "name-mismatch"), ("A2", "报名序号", "not-inspection-candidate")}
    else:
        assert found == []


def test_a_judge_name_is_read_as_written(tmp_path):
    folder = make_campaign(tmp_path / "c")
    set_text(folder / "评委名单.xlsx", "评委名单", "B2", "阿依古丽・买买提")  # katakana middle dot typed
    assert load_campaign_folder(folder).judges[0].name == "阿依古丽·买买提"
    assert judges()[0]["姓名"] == "韩东"  # the row the test replaced
