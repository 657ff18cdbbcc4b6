"""评分录入.xlsx: the blank score-entry workbook out, the clerk's filled copies in, double entry compared.

One sheet per judge group named after it, header 报名序号, 姓名, 职位代码 and one column per judge
(评委编号), one row per candidate in draw order, validation 0–100. Offices type every paper twice
(双人录入比对): 评分录入-复核.xlsx beside the first copy; nothing is computed until the two agree
(docs/reference.md, 双人录入).
"""
from __future__ import annotations

import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Sequence

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.errors import InputErrors, Problem, ProblemCollector
from pipeline.campaign.cleaning import CellError, parse_name
from pipeline.campaign.model import Judge
from pipeline.scoring.compute import Candidate, Key, ScoreEntry
from pipeline.scoring.scheme import JudgeGroup, ScoringScheme
from pipeline.engine.xlsx_safe import safe_cell
from pipeline.engine.xlsx_style import save_atomic
from pipeline.papers.common import SCORING_DIR

ENTRY_FILE = "评分录入.xlsx"
SECOND_ENTRY_FILE = "评分录入-复核.xlsx"  # the second typed copy (双人录入)
FIXED_HEADERS = ("报名序号", "姓名", "职位代码")
LIST_HEADER = "成绩"
HELP_SHEET = "填表说明"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_header_row(ws, headers: Sequence[str]) -> None:
    for col, text in enumerate(headers, start=1):
        cell = safe_cell(ws.cell(row=1, column=col), text)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = 12 if col > 3 else (10, 10, 10)[col - 1]
    ws.freeze_panes = "D2"


def write_candidate_rows(ws, candidates: Sequence[Candidate]) -> None:
    for row, cand in enumerate(candidates, start=2):
        for col, value in enumerate((cand.number, cand.name, cand.post_code), start=1):
            safe_cell(ws.cell(row=row, column=col), value).number_format = "@"


def _score_validation(ws, first_col: int, last_col: int, rows: int, full_marks: Decimal) -> None:
    if last_col < first_col or rows == 0:
        return
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=str(full_marks),
                        allow_blank=True, showErrorMessage=True, errorTitle="分数有误",
                        error=f"请输入 0 到 {full_marks} 之间的分数，最多一位小数。")
    dv.add(f"{get_column_letter(first_col)}2:{get_column_letter(last_col)}{rows + 1}")
    ws.add_data_validation(dv)
    for row in ws.iter_rows(min_row=2, max_row=rows + 1, min_col=first_col, max_col=last_col):
        for cell in row:
            cell.number_format = "0.0"


def write_score_entry_workbook(dest: Path, groups: Sequence[JudgeGroup], judges: Sequence[Judge],
                               candidates: Sequence[Candidate], lists: Sequence[str] = (),
                               full_marks: Decimal = Decimal(100)) -> Path:
    """Write the blank 评分录入.xlsx to dest (fixed zip timestamps: same input, same bytes)."""
    return save_atomic(score_entry_workbook(groups, judges, candidates, lists, full_marks), dest)


def score_entry_workbook(groups: Sequence[JudgeGroup], judges: Sequence[Judge], candidates: Sequence[Candidate],
                         lists: Sequence[str] = (), full_marks: Decimal = Decimal(100)) -> openpyxl.Workbook:
    """The blank 评分录入.xlsx: a sheet per judge group, and one per list score (笔试, 加分)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for group in groups:
        ws = wb.create_sheet(group.name)
        numbers = [j.number for j in judges if j.group == group.name]
        write_header_row(ws, FIXED_HEADERS + tuple(numbers))
        write_candidate_rows(ws, candidates)
        _score_validation(ws, 4, 3 + len(numbers), len(candidates), full_marks)
    for name in lists:
        ws = wb.create_sheet(name)
        write_header_row(ws, FIXED_HEADERS + (LIST_HEADER,))
        write_candidate_rows(ws, candidates)
        _score_validation(ws, 4, 4, len(candidates), full_marks)
    _help_sheet(wb.create_sheet(HELP_SHEET), judges)
    return wb


def _help_sheet(ws, judges: Sequence[Judge]) -> None:
    lines = ["每个评委组一张工作表；表头的 Z01 等是评委编号，对应下面的评委名单。",
             "请按纸质评分表逐格录入分数（0 到 100，最多一位小数），不要增删行列，不要改表头。",
             "建议两人各录一遍：第一遍存为 评分录入.xlsx，第二遍存为 评分录入-复核.xlsx，程序会逐格比对。",
             "", "评委编号、姓名、评委组："]
    for row, text in enumerate(lines, start=1):
        ws.cell(row=row, column=1, value=text)
    for row, judge in enumerate(judges, start=len(lines) + 1):
        for col, value in enumerate((judge.number, judge.name, judge.group), start=1):
            safe_cell(ws.cell(row=row, column=col), value)
    ws.column_dimensions["A"].width = 12


# ---------------------------------------------------------------- reading


def open_workbook(path: Path):
    """Open a typed workbook (values, not formulas); a file that is not .xlsx is the clerk's problem to fix."""
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise InputErrors([Problem(file=path.name, code="not-xlsx",
                                   message=f"无法打开（{type(exc).__name__}），请用 Excel 或 WPS 另存为 .xlsx 格式")])


def cell_text(value: Any) -> str:
    """Return a cell's value as the clerk sees it, trimmed ('' for blank)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_score(value: Any, full_marks: Decimal, decimals: int) -> tuple[Decimal | None, str | None]:
    """Return (score, None) or (None, what is wrong in words) for one typed cell."""
    if value is None or cell_text(value) == "":
        return None, "缺少分数，请按纸质评分表补录"
    if isinstance(value, bool):
        return None, f"“{value}”不是分数"
    try:
        score = Decimal(cell_text(value)) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        return None, f"“{cell_text(value)}”不是分数，请只填数字"
    if not score.is_finite() or not 0 <= score <= full_marks:
        return None, f"分数 {cell_text(value)} 超出 0 到 {full_marks} 的范围"
    if score != score.quantize(Decimal(1).scaleb(-decimals)):
        return None, f"分数 {cell_text(value)} 最多保留 {decimals} 位小数"
    return score, None


class SheetReader:
    """Read one entry sheet: map rows to candidates and columns to judges, recording every problem."""

    def __init__(self, file: str, ws, candidates: Sequence[Candidate], problems: ProblemCollector,
                 fixed: Sequence[str] = FIXED_HEADERS):
        """`fixed`: the leading headers. Without 职位代码 (a score per person, 笔试) a row is one person, and the
        candidates passed in are one per person with post_code "" (pipeline.scoring.rounds.per_person)."""
        self.file, self.ws, self.problems, self.fixed = file, ws, problems, tuple(fixed)
        self.headers = [cell_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
        self.by_key = {c.key: c for c in candidates}
        self.written_names = {c.name for c in candidates}  # as the blank has them, from 报名信息 (already checked)
        self.rows: dict[Key, int] = {}
        self._map_rows(candidates)

    def fail(self, message: str, row: int | None = None, col: int | None = None, code: str = "invalid") -> None:
        cell = f"{get_column_letter(col)}{row}" if row and col else None
        header = self.headers[col - 1] if col and col <= len(self.headers) else None
        self.problems.add(Problem(file=self.file, sheet=self.ws.title, row=row, cell=cell, column=header,
                                  message=message, code=code))

    def _map_rows(self, candidates: Sequence[Candidate]) -> None:
        width = len(self.fixed)
        if tuple(self.headers[:width]) != self.fixed:
            self.fail(f"前{'三' if width == 3 else '两'}列表头应为 {'、'.join(self.fixed)}，请用程序生成的空表录入",
                      row=1, code="bad-header")
            return
        for row in range(2, self.ws.max_row + 1):
            number, name, post = (cell_text(self.ws.cell(row=row, column=c).value) if c <= width else ""
                                  for c in (1, 2, 3))
            if not (number or name or post):
                continue
            key = (number, post)
            if name not in self.written_names:
                self._check_name(name, row)
            if key not in self.by_key:
                wording = (f"没有报名序号为 {number}、报考职位 {post} 的考生（{name}），请核对" if width == 3 else
                           f"报名序号 {number}（{name}）不是本轮的考生（没有报名、资格审查未通过或上一轮未入围），请核对")
                self.fail(wording, row, 1, code="unknown-candidate")
            elif key in self.rows:
                self.fail(f"考生 {number} {name} 重复出现（另见第{self.rows[key]}行）", row, 1, code="duplicate")
            else:
                self.rows[key] = row
        for cand in candidates:
            if cand.key not in self.rows:
                post_text = f"（职位 {cand.post_code}）" if cand.post_code else ""
                self.fail(f"缺少考生 {cand.number} {cand.name}{post_text}这一行，请补上", code="missing-candidate")

    def _check_name(self, name: str, row: int) -> None:
        """A 姓名 typed over the written ones is checked as every reader checks one (cleaning.parse_name); a blank
        one is left alone: rows are matched by 报名序号 and 职位代码."""
        try:
            if name:
                parse_name(name)
        except CellError as err:
            self.fail(err.message, row, 2, code=err.code)

    def read(self, row: int, col: int, scheme: ScoringScheme, full_marks: Decimal | None = None) -> Decimal | None:
        score, why = parse_score(self.ws.cell(row=row, column=col).value, full_marks or scheme.full_marks,
                                 scheme.score_decimals)
        if why:
            self.fail(why, row, col, code="bad-score")
        return score


def _judge_columns(reader: SheetReader, group: JudgeGroup, judges: Sequence[Judge]) -> list[tuple[int, str]]:
    """Map the sheet's judge columns to 评委编号; unknown or misplaced judges are problems."""
    known = {j.number: j for j in judges}
    columns = []
    for col, header in enumerate(reader.headers[3:], start=4):
        if not header:
            continue
        judge = known.get(header)
        if header in [number for _, number in columns]:
            reader.fail(f"评委 {header} 的分数列出现了两次，请删去多余的一列", 1, col, code="duplicate")
        elif judge is None:
            reader.fail(f"评委名单中没有编号为 {header} 的评委", 1, col, code="unknown-judge")
        elif judge.group != group.name:
            reader.fail(f"评委 {header} {judge.name} 属于“{judge.group}”，不应出现在本表", 1, col, code="unknown-judge")
        else:
            columns.append((col, header))
    present = {number for _, number in columns}
    for j in judges:  # a deleted column must not silently drop a judge's scores
        if j.group == group.name and j.number not in present:
            reader.fail(f"评委 {j.number} {j.name} 没有分数列；如该评委未到场评分，请在 评委名单.xlsx 中删去该评委后重新生成评分录入表，"
                        "否则请补上这一列", code="missing-judge")
    if len(columns) < group.min_judges:
        reader.fail(f"本组只有 {len(columns)} 位评委的分数列，按 campaign.toml 至少需要 {group.min_judges} 位",
                    code="group-too-small")
    return columns


def _read_group(reader: SheetReader, scheme: ScoringScheme, group: JudgeGroup, judges: Sequence[Judge],
                entry: ScoreEntry) -> None:
    columns = _judge_columns(reader, group, judges)
    marks = entry.scores.setdefault(group.name, {})
    for key, row in reader.rows.items():
        marks[key] = tuple((number, reader.read(row, col, scheme)) for col, number in columns)


def _read_list(reader: SheetReader, scheme: ScoringScheme, name: str, entry: ScoreEntry) -> None:
    if LIST_HEADER not in reader.headers[3:4]:
        reader.fail(f"第四列表头应为“{LIST_HEADER}”", row=1, col=4, code="bad-header")
        return
    top = scheme.bonus.max if scheme.bonus and name == scheme.bonus.name else scheme.full_marks
    entry.lists[name] = {key: reader.read(row, 4, scheme, top) for key, row in reader.rows.items()}


def read_score_entry(path: Path, scheme: ScoringScheme, judges: Sequence[Judge],
                     candidates: Sequence[Candidate]) -> ScoreEntry:
    """Read the filled 评分录入.xlsx; raise InputErrors listing every problem found."""
    problems = ProblemCollector()
    wb = open_workbook(path)
    entry = ScoreEntry()
    for name in [g.name for g in scheme.groups] + list(scheme.list_components()):
        if name not in wb.sheetnames:
            problems.add(Problem(file=path.name, sheet=name, code="missing-sheet",
                                 message="缺少这张工作表，请用程序生成的空表录入"))
            continue
        reader = SheetReader(path.name, wb[name], candidates, problems)
        if name in [g.name for g in scheme.groups]:
            _read_group(reader, scheme, scheme.group(name), judges, entry)
        else:
            _read_list(reader, scheme, name, entry)
    problems.raise_if_any()
    return entry


# ---------------------------------------------------------------- double entry


def _same(a: Any, b: Any) -> bool:
    """Compare two typed cells as values: 85, 85.0 and "85" agree; blanks agree."""
    ta, tb = cell_text(a), cell_text(b)
    try:
        return Decimal(ta) == Decimal(tb)
    except InvalidOperation:
        return ta == tb


def _shown(value: Any) -> str:
    return f"“{cell_text(value)}”" if cell_text(value) else "（空白）"


def _compare_sheet(ws_a, ws_b, file_b: str, column_word: str) -> Iterable[Problem]:
    headers = [cell_text(c.value) for c in next(ws_a.iter_rows(min_row=1, max_row=1), ())]
    for row in range(1, max(ws_a.max_row, ws_b.max_row) + 1):
        who = " ".join(cell_text(ws_a.cell(row=row, column=c).value) for c in (1, 2)).strip() or f"第{row}行"
        for col in range(1, max(ws_a.max_column, ws_b.max_column) + 1):
            a, b = ws_a.cell(row=row, column=col).value, ws_b.cell(row=row, column=col).value
            if _same(a, b):
                continue
            header = headers[col - 1] if col <= len(headers) else get_column_letter(col)
            where = "表头" if row == 1 else f"考生 {who}，{column_word}{header}" if col > 3 else f"考生 {who}"
            yield Problem(file=file_b, sheet=ws_a.title, row=row, cell=f"{get_column_letter(col)}{row}",
                          column=header, code="double-entry-mismatch",
                          message=f"{where}：第一遍录入为{_shown(a)}，复核录入为{_shown(b)}，请对照纸质评分表改正后再算分")


def compare_entries(a: Path, b: Path, column_word: str = "评委 ") -> list[Problem]:
    """List every cell where two typed copies differ (sheet, candidate, judge, both values)."""
    wa, wb = open_workbook(a), open_workbook(b)
    problems = []
    for name in wa.sheetnames + [n for n in wb.sheetnames if n not in wa.sheetnames]:
        if name == HELP_SHEET:
            continue
        if name not in wa.sheetnames or name not in wb.sheetnames:
            missing = a.name if name not in wa.sheetnames else b.name
            problems.append(Problem(file=missing, sheet=name, code="double-entry-mismatch",
                                    message=f"两份录入的工作表不一致：{missing} 中缺少这张表"))
            continue
        problems.extend(_compare_sheet(wa[name], wb[name], b.name, column_word))
    return problems


def blank_hint(file: str) -> str:
    """Where the blank of an entry workbook is: made per campaign, from its candidates and judges."""
    return f"运行 make scoresheets 后，在输出文件夹（默认 outputs）的 {SCORING_DIR}/ 中可找到为本次活动生成的空白{file}"


def load_scores(campaign_dir: Path, scheme: ScoringScheme, judges: Sequence[Judge],
                candidates: Sequence[Candidate]) -> ScoreEntry:
    """Read 评分录入.xlsx from the campaign folder, after comparing it with 评分录入-复核.xlsx if present."""
    first, second = campaign_dir / ENTRY_FILE, campaign_dir / SECOND_ENTRY_FILE
    if not first.exists():
        raise InputErrors([Problem(file=ENTRY_FILE, code="missing-file",
                                   message=f"找不到已录入的评分表；{blank_hint(ENTRY_FILE)}，按纸质评分表录入后放进 campaign 文件夹")])
    if second.exists():
        differences = compare_entries(first, second)
        if differences:
            raise InputErrors(differences)
    return read_score_entry(first, scheme, judges, candidates)
