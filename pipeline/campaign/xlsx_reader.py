"""Read one input workbook as its SheetSpec describes it, collecting every problem with its cell."""
from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, Callable

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from pipeline.campaign import cleaning
from pipeline.campaign.cleaning import CellError
from pipeline.errors import Problem
from pipeline.campaign.idcard import parse_id
from pipeline.campaign.model import Source
from pipeline.campaign.code_lists import CODE_LISTS, tag_reading
from pipeline.campaign.ranks import parse_rank
from pipeline.campaign.columns import RANKS, Column, SheetSpec, blank_hint
from pipeline.campaign.legacy_formats import CONVERTED, OLE2_MAGIC, SAVE_AS_XLSX, SUFFIXES, NotConverted, to_xlsx
from pipeline.campaign.sheet_layout import Merge, SheetLayout, scan_layout

# The header is looked for in the first rows: offices put a title, a 填表单位/填表日期 line or a blank row above it.
HEADER_SEARCH_ROWS = 10
# A header row holds at least this many of the spec's headers: one alone may be a title's word or a note.
MIN_HEADERS = 2


def _parse_choice(value, column: Column):
    """A choice cell: the rank table and the national code lists know their short forms (make check says what
    was read); any other list takes its values as written."""
    if column.choices == RANKS:  # its aliases, and 主任科员 alone naming four 职级, are the rank table's
        return tag_reading(value, parse_rank(value))
    code_list = CODE_LISTS.get(column.choices)
    return tag_reading(value, code_list.read(value) if code_list else cleaning.parse_choice(value, column.choices))


PARSERS: dict[str, Callable[[Any, Column], Any]] = {
    "text": lambda v, c: cleaning.parse_text(v),
    "name": lambda v, c: cleaning.parse_name(v),
    "identifier": lambda v, c: cleaning.parse_identifier(v),
    "int": lambda v, c: cleaning.parse_int(v),
    "decimal": lambda v, c: cleaning.parse_decimal(v),
    "date": lambda v, c: cleaning.parse_date(v),
    "yearmonth": lambda v, c: cleaning.parse_yearmonth(v),
    "choice": _parse_choice,
    "idcard": lambda v, c: parse_id(v),
    "phone": lambda v, c: cleaning.parse_phone(v),
    "codes": lambda v, c: cleaning.parse_codes(v),
}


@dataclass
class Row:
    """One data row: parsed values by key (None when empty or bad) and each key's cell reference."""

    source: Source
    values: dict[str, Any]
    cells: dict[str, str]
    bad: set[str] = field(default_factory=set)  # keys whose cell had a problem


@dataclass
class SheetData:
    """What read_sheet found: the rows it could read and every problem, in sheet order.

    keys: the columns found under the header; empty when the workbook could not be read at all, so that
    checks depending on it are skipped rather than repeated once per row.
    """

    file: str  # the file actually read, e.g. 职位表.xls
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    keys: frozenset[str] = frozenset()


# What offices write into a header to mark a column required or optional: 报名序号（必填）, 学位(选填), *姓名.
_HEADER_MARKS = re.compile(r"\((?:必填|选填|可选|可不填)\)$")


def normalise_header(text) -> str:
    """Compare headers without spaces, full-width forms or the marks of required and optional columns."""
    return _HEADER_MARKS.sub("", "".join(cleaning.to_ascii(str(text or "")).split()).strip("*")).strip("*")


def read_workbook(folder: Path, spec: SheetSpec) -> SheetData:
    """Find the spec's workbook in folder (.xlsx, else .xls or .et) and read it."""
    found = find_workbook(folder, spec)
    if isinstance(found, Problem):
        return SheetData(found.file, problems=[found])
    return read_sheet(found, spec)


def find_workbook(folder: Path, spec: SheetSpec) -> Path | Problem:
    """The one file holding the spec's workbook, or the problem: none, or several (报名信息.xlsx and .xls)."""
    stem = Path(spec.file).stem
    # 报名信息.XLS from Windows or an old system is the same file: suffixes are matched without regard to case.
    names = {name.lower(): name for name in _names_in(folder, stem)}
    present = [folder / names[f"{stem}{suffix}".lower()] for suffix in SUFFIXES if f"{stem}{suffix}".lower() in names]
    if len(present) == 1:
        return present[0]
    if not present:
        message = (f"找不到文件 {spec.file}，请把它放在 campaign 文件夹中"
                   f"（也可以是 Excel 97-2003 的 {stem}.xls 或 WPS 的 {stem}.et）；{blank_hint(spec.file)}")
        return Problem(spec.file, message, code="missing-file")
    names = "、".join(p.name for p in present)
    message = f"文件夹中同时有 {names}，不知道该读哪一个；请只保留其中一个（把其余的删去或移出 campaign 文件夹）"
    return Problem(present[0].name, message, code="several-files")


def _names_in(folder: Path, stem: str) -> list[str]:
    """The files of folder whose name starts with stem (报名信息.xlsx, 报名信息.XLS …)."""
    try:
        return [p.name for p in folder.iterdir() if p.name.startswith(stem) and p.is_file()]
    except OSError:
        return []


def read_sheet(path: Path, spec: SheetSpec) -> SheetData:
    """Read the spec's sheet from path; problems name the file read, sheet, row, column and cell."""
    spec = dataclasses.replace(spec, file=path.name)  # messages name the file actually read, e.g. 报名信息.xls
    data = SheetData(spec.file)
    opened = _open(path, spec, data.problems)
    if opened is None:
        return data
    workbook, archive = opened
    try:
        _read_workbook(workbook, archive, spec, data)
    except (zipfile.BadZipFile, OSError, SyntaxError):  # SyntaxError (lxml's too): damaged XML inside the zip
        data.problems.append(_not_xlsx(spec, "文件内容已损坏，读到一半出错"))
        data.keys = frozenset()
    finally:
        workbook.close()
    return data


def _open(path: Path, spec: SheetSpec, problems: list[Problem]):
    """Open the workbook (and its zip, for the layout), or add one problem saying why it cannot be read."""
    data = path.read_bytes()  # read once: the format check, the conversion and the workbook use the same bytes
    if not data:
        message = "这个文件是空的（0 字节），可能是保存或复制时出了错；请从原处重新复制一份，或用 Excel 或 WPS 重新保存这张表"
        problems.append(Problem(spec.file, message, code="empty-file"))
        return None
    if data[:4] == OLE2_MAGIC:
        if path.suffix.lower() not in CONVERTED:
            problems.append(_not_xlsx(spec, "这个文件设置了打开密码，或者其实是旧版 Excel 97-2003（.xls）文件"))
            return None
        try:
            data = to_xlsx(data, spec.file)
        except NotConverted as exc:
            problems.append(Problem(spec.file, str(exc), code="not-converted"))
            return None
    try:
        return (openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True),
                zipfile.ZipFile(io.BytesIO(data)))
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        problems.append(_not_xlsx(spec, "这不是有效的 Excel 工作簿（可能是 CSV 文本，或文件已损坏）"))
        return None


def _not_xlsx(spec: SheetSpec, why: str) -> Problem:
    return Problem(spec.file, f"{why}；{SAVE_AS_XLSX}", code="not-xlsx")


def _read_workbook(workbook, archive: zipfile.ZipFile, spec: SheetSpec, data: SheetData) -> None:
    sheet = _find_sheet(workbook, spec, data.problems)
    if sheet is None:
        return
    # Read-only mode trusts the sheet's <dimension> tag, which some writers leave stale: rows would vanish.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    top = list(islice(rows, HEADER_SEARCH_ROWS))
    header = _header_row(top, spec)
    if header is None:
        data.problems.append(_no_header(spec))
        return
    layout = scan_layout(archive, sheet.title)
    table = _Table(spec, header + 1, _map_headers(top[header], header + 1, spec, data.problems), layout)
    data.keys = frozenset(c.key for c in table.columns.values())
    data.problems.extend(table.header_problems())
    for number, values in enumerate(chain(top[header + 1:], rows), start=header + 2):
        data.problems.extend(table.row_problems(number, values))
        if table.repeats_header(values):  # offices repeat the header above each printed page
            message = f"这一行与第{table.header}行的表头相同，是重复的表头行，不是一条记录；请整行删除"
            data.problems.append(Problem(spec.file, message, sheet=spec.sheet, row=number, code="repeated-header"))
        elif not all(cleaning.is_blank(v) for v in values):
            data.rows.append(_read_row(number, values, table, data.problems))
    data.problems[:] = _hidden_rows_at_once(data.problems, spec)


# More hidden rows than this (a filter, collapsed groups) are said in one message, not one line each.
HIDDEN_ROWS_LISTED = 3


def _hidden_rows_at_once(problems: list[Problem], spec: SheetSpec) -> list[Problem]:
    hidden = [p for p in problems if p.code == "hidden-row"]
    if len(hidden) <= HIDDEN_ROWS_LISTED:
        return problems
    rows = "、".join(str(p.row) for p in hidden[:10]) + ("…" if len(hidden) > 10 else "")
    message = (f"第{rows}行等{len(hidden)}行是隐藏行（工作表设置了筛选，或这些行被隐藏、被分组折叠）；请点“清除筛选”，"
               "或选中整张表后右键点“取消隐藏”，核对这些行，不需要的行请整行删除")
    summary = Problem(spec.file, message, sheet=spec.sheet, row=hidden[0].row, code="hidden-rows")
    first = problems.index(hidden[0])
    return [p for p in problems[:first]] + [summary] + [p for p in problems[first:] if p.code != "hidden-row"]


def _find_sheet(workbook, spec: SheetSpec, problems: list[Problem]):
    names = {normalise_header(name): name for name in workbook.sheetnames}
    name = names.get(normalise_header(spec.sheet))
    if name is not None:
        return workbook[name]
    existing = "、".join(f"「{n}」" for n in workbook.sheetnames) or "无"
    message = f"找不到名为「{spec.sheet}」的工作表（现有工作表：{existing}）；请把数据所在的工作表改名为「{spec.sheet}」"
    problems.append(Problem(spec.file, message, sheet=spec.sheet, code="missing-sheet"))
    return None


def _headers(spec: SheetSpec) -> set[str]:
    return {normalise_header(c.header) for c in spec.columns}


def _header_row(top: list[tuple], spec: SheetSpec) -> int | None:
    """The index of the first row holding at least MIN_HEADERS of the spec's headers, each a whole cell.

    A title such as 江州职业技术学院2026年中层干部竞争上岗报名信息汇总表 holds header words but is no header.
    """
    known = _headers(spec)
    enough = min(MIN_HEADERS, len(known))
    for index, values in enumerate(top):
        if len(known & {normalise_header(v) for v in values}) >= enough:
            return index
    return None


def _no_header(spec: SheetSpec) -> Problem:
    expected = "、".join(c.header for c in spec.columns if c.required)
    message = (f"在第1–{HEADER_SEARCH_ROWS}行中没有找到表头（应有 {expected} 等列，至少{MIN_HEADERS}列的标题与此一致）；"
               f"请在数据上方的第1–{HEADER_SEARCH_ROWS}行中放一行表头，如果工作表是空的请填入数据")
    return Problem(spec.file, message, sheet=spec.sheet, code="no-header")


def _map_headers(header_row, number: int, spec: SheetSpec, problems: list[Problem]) -> dict[int, Column]:
    """Match the header row to the spec's columns; extra columns are ignored, missing required ones reported."""
    wanted = {normalise_header(c.header): c for c in spec.columns}
    found: dict[int, Column] = {}
    for index, text in enumerate(header_row):
        column = wanted.get(normalise_header(text))
        if column is None:
            continue
        if column in found.values():
            cell = f"{get_column_letter(index + 1)}{number}"
            problems.append(Problem(spec.file, "表头重复出现，请删去多余的一列", sheet=spec.sheet, row=number,
                                    column=column.header, cell=cell, code="duplicate-column"))
            continue
        found[index] = column
    for column in spec.columns:
        if column.required and column not in found.values():
            problems.append(Problem(spec.file, f"缺少必需的列「{column.header}」；请在第{number}行表头中添加这一列",
                                    sheet=spec.sheet, row=number, column=column.header, code="missing-column"))
    return found


@dataclass
class _Table:
    """The data area under the header: its columns and what the layout says about it."""

    spec: SheetSpec
    header: int  # the header's row number in the file; data starts on the next row
    columns: dict[int, Column]  # 0-based column index -> column
    layout: SheetLayout

    def __post_init__(self) -> None:
        # A merge wholly above the header is a title (fine); one reaching the header or below, over a column
        # that is read, is in the table. Columns the spec does not name are not read, merged or not.
        self.merges = [m for m in self.layout.merges
                       if m.max_row >= self.header and any(m.min_col <= i + 1 <= m.max_col for i in self.columns)]

    def header_problems(self) -> list[Problem]:
        """Hidden columns that are read, then merges that reach into the header row."""
        problems = []
        for index, column in self.columns.items():
            if index + 1 in self.layout.hidden_columns:
                message = (f"{get_column_letter(index + 1)}列是隐藏列；请选中它两侧的列，右键点“取消隐藏”，"
                           "核对这一列的内容，不需要的列请整列删除")
                problems.append(Problem(self.spec.file, message, sheet=self.spec.sheet, column=column.header,
                                        code="hidden-column"))
        return problems + [self._merge_problem(m) for m in self.merges if m.min_row <= self.header]

    def row_problems(self, number: int, values) -> list[Problem]:
        """A hidden row holding data, and the merges that start on this row."""
        problems = []
        if number in self.layout.hidden_rows and not all(cleaning.is_blank(v) for v in values):
            message = ("这一行是隐藏行（也可能是筛选后被隐藏的）；请选中它上下两行，右键点“取消隐藏”"
                       "（或清除筛选），核对这一行，不需要的行请整行删除")
            problems.append(Problem(self.spec.file, message, sheet=self.spec.sheet, row=number, code="hidden-row"))
        return problems + [self._merge_problem(m) for m in self.merges if m.min_row == number]

    def _merge_problem(self, merge: Merge) -> Problem:
        column = self.columns.get(merge.min_col - 1)
        message = ("这几格是合并单元格，合并后只有第一格有内容；请选中它们，点“取消合并”（合并后居中旁的下拉菜单），"
                   "再在每一格中分别填上内容")
        return Problem(self.spec.file, message, sheet=self.spec.sheet, row=merge.min_row,
                       column=column.header if column else None, cell=merge.ref, code="merged-cells")

    def repeats_header(self, values) -> bool:
        """Whether a row below the header is the header again: MIN_HEADERS of its cells are their column's header."""
        same = sum(1 for index, column in self.columns.items()
                   if index < len(values) and normalise_header(values[index]) == normalise_header(column.header))
        return same >= min(MIN_HEADERS, len(self.columns))

    def covered(self, number: int, index: int) -> bool:
        """Whether a cell lies in a merged range without being its first cell (it holds nothing of its own)."""
        col = index + 1
        return any(m.covers(number, col) and (number, col) != (m.min_row, m.min_col) for m in self.merges)


def _read_row(number: int, values, table: _Table, problems: list[Problem]) -> Row:
    spec = table.spec
    row = Row(Source(spec.file, spec.sheet, number), {c.key: None for c in spec.columns}, {})
    for index, column in table.columns.items():
        row.cells[column.key] = f"{get_column_letter(index + 1)}{number}"
        if table.covered(number, index):
            row.bad.add(column.key)  # the merge is reported once, not 此项必填 for each covered cell
            continue
        if (number, index + 1) in table.layout.uncached:
            problem = cell_problem(row, column.key, column.header, _FORMULA_WITHOUT_RESULT, "formula-without-value")
        else:
            problem = _read_cell(row, column, values[index] if index < len(values) else None)
        if problem is not None:
            row.bad.add(column.key)
            problems.append(problem)
    return row


_FORMULA_WITHOUT_RESULT = ("这一格是公式，但文件中没有保存公式的计算结果（由其他程序生成、没有用 Excel 或 WPS 保存过的文件"
                           "常会这样）；请用 Excel 或 WPS 打开这个文件，保存一次后再试，或者直接在这一格中填入内容")


def _read_cell(row: Row, column: Column, value) -> Problem | None:
    """Parse one cell into row.values; return the problem if it cannot be read."""
    try:
        if cleaning.is_blank(value):
            if column.required:
                raise CellError("此项必填，不能为空，请补填", "missing-value")
            return None
        cleaning.check_formula_error(value)  # #N/A from a lookup is no 性别 and no number: say what it is
        row.values[column.key] = PARSERS[column.kind](value, column)
        return None
    except CellError as err:
        return cell_problem(row, column.key, column.header, err.message, err.code)


def cell_problem(row: Row, key: str, header: str, message: str, code: str) -> Problem:
    """Make a problem that points at one cell of a row."""
    source = row.source
    return Problem(source.file, message, sheet=source.sheet, row=source.row, column=header,
                   cell=row.cells.get(key), code=code)
