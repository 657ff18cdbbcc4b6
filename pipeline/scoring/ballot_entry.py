"""民主测评.xlsx: the blank tally workbook out, the clerk's counts in, double entry compared.

One row per candidacy (报名序号, 姓名, 职位代码), or with a per-person ballot one row per person (报名序号,
姓名), then the number of ballots giving each overall grade, in the campaign's own grades ([scoring.ballot]
grades, best first; by default 优秀, 称职, 基本称职, 不称职). The valid ballots are their sum. A second typed
copy 民主测评-复核.xlsx is compared cell by cell (docs/reference.md, 双人录入).

A per-person tally is returned once for every candidacy of that person, keyed like the per-candidacy one, so
the computation is the same and a veto applies to the person on every post they applied for.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.engine.xlsx_safe import safe_cell
from pipeline.errors import InputErrors, Problem, ProblemCollector
from pipeline.scoring.score_entry import (FIXED_HEADERS, HELP_SHEET, SheetReader, blank_hint, cell_text,
                                          compare_entries, open_workbook, write_header_row)
from pipeline.scoring.compute import BallotTally, Candidate, Key
from pipeline.scoring.scheme import DEFAULT_BALLOT_GRADES
from pipeline.engine.xlsx_style import save_atomic

BALLOT_FILE = "民主测评.xlsx"
BALLOT_SECOND_ENTRY_FILE = "民主测评-复核.xlsx"
BALLOT_SHEET = "民主测评"
GRADES = DEFAULT_BALLOT_GRADES  # 优秀, 称职, 基本称职, 不称职: when the campaign names no grades
PERSON_HEADERS = FIXED_HEADERS[:2]  # 报名序号, 姓名: a per-person ballot has no 职位代码


def people_of(candidates: Sequence[Candidate]) -> list[Candidate]:
    """One candidacy per person (the first, in draw order): the rows of a per-person ballot."""
    first: dict[str, Candidate] = {}
    for cand in candidates:
        first.setdefault(cand.number, cand)
    return list(first.values())


def write_ballot_workbook(dest: Path, candidates: Sequence[Candidate], grades: Sequence[str] = GRADES,
                          per_person: bool = False) -> Path:
    """Write the blank 民主测评.xlsx to dest."""
    return save_atomic(ballot_workbook(candidates, grades, per_person), dest)


def ballot_workbook(candidates: Sequence[Candidate], grades: Sequence[str] = GRADES,
                    per_person: bool = False) -> openpyxl.Workbook:
    """The blank 民主测评.xlsx: a row per candidacy (or per person), a whole-number column per grade."""
    grades = tuple(grades)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = BALLOT_SHEET
    fixed = PERSON_HEADERS if per_person else FIXED_HEADERS
    rows = people_of(candidates) if per_person else list(candidates)
    write_header_row(ws, fixed + grades)
    for row, cand in enumerate(rows, start=2):
        values = (cand.number, cand.name) if per_person else (cand.number, cand.name, cand.post_code)
        for col, value in enumerate(values, start=1):
            safe_cell(ws.cell(row=row, column=col), value).number_format = "@"
    first = len(fixed) + 1
    ws.freeze_panes = f"{get_column_letter(first)}2"
    if rows:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="票数有误", error="请输入 0 或正整数（票数）。")
        dv.add(f"{get_column_letter(first)}2:{get_column_letter(first + len(grades) - 1)}{len(rows) + 1}")
        ws.add_data_validation(dv)
    _help_sheet(wb.create_sheet(HELP_SHEET), grades, per_person)
    return wb


def help_lines(grades: Sequence[str], per_person: bool = False) -> list[str]:
    """The 填表说明 of 民主测评.xlsx, naming the campaign's grades."""
    rows = ("每行一人：同一人报考几个职位也只有一行，测评结果用于其报考的每个职位。" if per_person
            else "每行是一名考生报考的一个职位：同一人报考几个职位就有几行，每行分别统计。")
    return [rows,
            f"按收回的测评票，逐人统计“总体评价”各档次的票数：{'、'.join(grades)}；没有人选的档次填 0，不要留空。",
            "有效票数就是各档次票数之和；作废票不要计入任何一档。不要增删行列，不要改表头。",
            f"建议两人各录一遍：第一遍存为 {BALLOT_FILE}，第二遍存为 {BALLOT_SECOND_ENTRY_FILE}，程序会逐格比对。"]


def _help_sheet(ws, grades: Sequence[str], per_person: bool) -> None:
    for row, text in enumerate(help_lines(grades, per_person), start=1):
        ws.cell(row=row, column=1, value=text)
    ws.column_dimensions["A"].width = 12


def parse_count(value: Any) -> tuple[int | None, str | None]:
    """Return (count, None) or (None, what is wrong in words) for one typed vote count."""
    text = cell_text(value)
    if text == "":
        return None, "缺少票数，没有人选此档请填 0"
    if isinstance(value, bool) or not text.isdigit():
        return None, f"“{text}”不是票数，请填 0 或正整数"
    return int(text), None


class PersonSheetReader(SheetReader):
    """A per-person 民主测评 sheet: rows matched by 报名序号 alone; `person_rows` maps 报名序号 to its row."""

    def _map_rows(self, candidates: Sequence[Candidate]) -> None:
        self.person_rows: dict[str, int] = {}
        if tuple(self.headers[:2]) != PERSON_HEADERS:
            self.fail(f"前两列表头应为 {'、'.join(PERSON_HEADERS)}（按人测评，不分职位），请用程序生成的空表录入",
                      row=1, code="bad-header")
            return
        people = {c.number: c for c in people_of(candidates)}
        for row in range(2, self.ws.max_row + 1):
            number, name = (cell_text(self.ws.cell(row=row, column=c).value) for c in (1, 2))
            if not (number or name):
                continue
            if name not in self.written_names:
                self._check_name(name, row)
            if number not in people:
                self.fail(f"没有报名序号为 {number} 的考生（{name}），请核对", row, 1, code="unknown-candidate")
            elif number in self.person_rows:
                self.fail(f"考生 {number} {name} 重复出现（另见第{self.person_rows[number]}行）", row, 1,
                          code="duplicate")
            else:
                self.person_rows[number] = row
        for number, cand in people.items():
            if number not in self.person_rows:
                self.fail(f"缺少考生 {number} {cand.name} 这一行，请补上", code="missing-candidate")


def _read_row(reader: SheetReader, cand: Candidate, row: int, grades: tuple[str, ...],
              first: int) -> BallotTally | None:
    counts = {}
    for col, grade in enumerate(grades, start=first):
        count, why = parse_count(reader.ws.cell(row=row, column=col).value)
        if why:
            reader.fail(why, row, col, code="bad-count")
        counts[grade] = count
    if None in counts.values():
        return None
    if sum(counts.values()) == 0:
        reader.fail(f"考生 {cand.number} {cand.name} 的有效票数为 0，请核对", row, first, code="no-ballots")
        return None
    return BallotTally(counts)


def _header_problem(file: str, ws, grades: tuple[str, ...], per_person: bool) -> Problem | None:
    """The header row must be the blank's: the fixed columns, then the campaign's grades in order."""
    headers = tuple(cell_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ()))
    fixed = PERSON_HEADERS if per_person else FIXED_HEADERS
    if headers[:len(fixed)] == fixed and headers[len(fixed):len(fixed) + len(grades)] == grades:
        return None
    if per_person and headers[:3] == FIXED_HEADERS:
        why = "本次民主测评按人统计（每人一行，没有职位代码列），这张表却是按职位分行的"
    elif not per_person and headers[:2] == PERSON_HEADERS and headers[2:2 + len(grades)] == grades:
        why = "本次民主测评按职位统计（每个报考职位一行，有职位代码列），这张表却是按人分行的"
    else:
        first = len(fixed) + 1
        why = (f"表头应为 {'、'.join(fixed)}，第{first}至{first + len(grades) - 1}列为 {'、'.join(grades)}"
               f"（campaign.toml [scoring.ballot] grades 的档次）")
    return Problem(file=file, sheet=ws.title, row=1, code="bad-header", message=f"{why}，请用程序生成的空表录入")


def read_ballot_tally(path: Path, candidates: Sequence[Candidate], grades: Sequence[str] = GRADES,
                      per_person: bool = False) -> dict[Key, BallotTally]:
    """Read the filled 民主测评.xlsx; raise InputErrors listing every problem found.

    Keyed by candidacy (报名序号, 职位代码); a per-person row is given to every candidacy of that person.
    """
    grades = tuple(grades)
    problems = ProblemCollector()
    wb = open_workbook(path)
    if BALLOT_SHEET not in wb.sheetnames:
        raise InputErrors([Problem(file=path.name, sheet=BALLOT_SHEET, code="missing-sheet",
                                   message="缺少这张工作表，请用程序生成的空表录入")])
    ws = wb[BALLOT_SHEET]
    header_problem = _header_problem(path.name, ws, grades, per_person)
    if header_problem:  # the wrong blank (other grades, per post instead of per person): the counts are noise
        raise InputErrors([header_problem])
    reader = (PersonSheetReader if per_person else SheetReader)(path.name, ws, candidates, problems)
    first = (len(PERSON_HEADERS) if per_person else len(FIXED_HEADERS)) + 1
    if per_person:
        people = {c.number: c for c in people_of(candidates)}
        by_person = {n: _read_row(reader, people[n], row, grades, first) for n, row in reader.person_rows.items()}
        tallies = {c.key: by_person[c.number] for c in candidates if c.number in by_person}
    else:
        by_key = {c.key: c for c in candidates}
        tallies = {key: _read_row(reader, by_key[key], row, grades, first) for key, row in reader.rows.items()}
    problems.raise_if_any()
    return tallies


def load_ballots(campaign_dir: Path, candidates: Sequence[Candidate], grades: Sequence[str] = GRADES,
                 per_person: bool = False) -> dict[Key, BallotTally]:
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
    return read_ballot_tally(first, candidates, grades, per_person)
