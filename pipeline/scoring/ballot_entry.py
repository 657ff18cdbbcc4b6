"""民主测评.xlsx: the blank tally workbook out, the clerk's counts in, double entry compared.

One row per candidate with the number of ballots giving each overall grade (优秀, 称职, 基本称职,
不称职); the valid ballots are their sum. A second typed copy 民主测评-复核.xlsx is compared cell by cell
(docs/reference.md, 双人录入).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import openpyxl
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.errors import InputErrors, Problem, ProblemCollector
from pipeline.scoring.score_entry import (FIXED_HEADERS, SheetReader, blank_hint, cell_text, compare_entries,
                                          open_workbook, write_candidate_rows, write_header_row)
from pipeline.scoring.compute import BallotTally, Candidate, Key
from pipeline.scoring.scheme import DEFAULT_BALLOT_POINTS
from pipeline.engine.xlsx_style import save_atomic

BALLOT_FILE = "民主测评.xlsx"
BALLOT_SECOND_ENTRY_FILE = "民主测评-复核.xlsx"
BALLOT_SHEET = "民主测评"
GRADES = tuple(DEFAULT_BALLOT_POINTS)  # 优秀, 称职, 基本称职, 不称职


def write_ballot_workbook(dest: Path, candidates: Sequence[Candidate]) -> Path:
    """Write the blank 民主测评.xlsx to dest."""
    return save_atomic(ballot_workbook(candidates), dest)


def ballot_workbook(candidates: Sequence[Candidate]) -> openpyxl.Workbook:
    """The blank 民主测评.xlsx: a row per candidate, a whole-number column per grade."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = BALLOT_SHEET
    write_header_row(ws, FIXED_HEADERS + GRADES)
    write_candidate_rows(ws, candidates)
    if candidates:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="票数有误", error="请输入 0 或正整数（票数）。")
        dv.add(f"D2:G{len(candidates) + 1}")
        ws.add_data_validation(dv)
    return wb


def parse_count(value: Any) -> tuple[int | None, str | None]:
    """Return (count, None) or (None, what is wrong in words) for one typed vote count."""
    text = cell_text(value)
    if text == "":
        return None, "缺少票数，没有人选此档请填 0"
    if isinstance(value, bool) or not text.isdigit():
        return None, f"“{text}”不是票数，请填 0 或正整数"
    return int(text), None


def _read_row(reader: SheetReader, cand: Candidate, row: int) -> BallotTally | None:
    counts = {}
    for col, grade in enumerate(GRADES, start=4):
        count, why = parse_count(reader.ws.cell(row=row, column=col).value)
        if why:
            reader.fail(why, row, col, code="bad-count")
        counts[grade] = count
    if None in counts.values():
        return None
    if sum(counts.values()) == 0:
        reader.fail(f"考生 {cand.number} {cand.name} 的有效票数为 0，请核对", row, 4, code="no-ballots")
        return None
    return BallotTally(counts)


def read_ballot_tally(path: Path, candidates: Sequence[Candidate]) -> dict[Key, BallotTally]:
    """Read the filled 民主测评.xlsx; raise InputErrors listing every problem found."""
    problems = ProblemCollector()
    wb = open_workbook(path)
    if BALLOT_SHEET not in wb.sheetnames:
        raise InputErrors([Problem(file=path.name, sheet=BALLOT_SHEET, code="missing-sheet",
                                   message="缺少这张工作表，请用程序生成的空表录入")])
    reader = SheetReader(path.name, wb[BALLOT_SHEET], candidates, problems)
    if not problems and tuple(reader.headers[3:7]) != GRADES:
        reader.fail(f"第四至七列表头应为 {'、'.join(GRADES)}", row=1, code="bad-header")
    by_key = {c.key: c for c in candidates}
    tallies = {key: _read_row(reader, by_key[key], row) for key, row in reader.rows.items()}
    problems.raise_if_any()
    return tallies


def load_ballots(campaign_dir: Path, candidates: Sequence[Candidate]) -> dict[Key, BallotTally]:
    """Read 民主测评.xlsx, after comparing it with 民主测评-复核.xlsx if present."""
    first, second = campaign_dir / BALLOT_FILE, campaign_dir / BALLOT_SECOND_ENTRY_FILE
    if not first.exists():
        raise InputErrors([Problem(file=BALLOT_FILE, code="missing-file",
                                   message=f"本次评分办法要用民主测评结果，但找不到已录入的民主测评统计表；"
                                           f"{blank_hint(BALLOT_FILE)}，录入票数后放进 campaign 文件夹")])
    if second.exists():
        differences = compare_entries(first, second, column_word="")
        if differences:
            raise InputErrors(differences)
    return read_ballot_tally(first, candidates)
