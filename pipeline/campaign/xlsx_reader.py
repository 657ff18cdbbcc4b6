"""Read one input workbook as its SheetSpec describes it, collecting every problem with its cell."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
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
from pipeline.campaign.columns import RANKS, Column, SheetSpec

# The first bytes of an Excel 97-2003 (.xls) or password-protected file (OLE2 compound document).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"


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
    """What read_sheet found: the rows it could read and every problem, in sheet order."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def normalise_header(text) -> str:
    """Compare headers without spaces, full-width forms or the '*' that marks required columns."""
    return "".join(cleaning.to_ascii(str(text or "")).split()).strip("*")


def read_sheet(path: Path, spec: SheetSpec) -> SheetData:
    """Read the spec's sheet from path; problems name file, sheet, row, column and cell."""
    data = SheetData()
    workbook = _open(path, spec, data.problems)
    if workbook is None:
        return data
    try:
        _read_workbook(workbook, spec, data)
    except (zipfile.BadZipFile, OSError, SyntaxError):  # SyntaxError: damaged XML inside the zip
        data.problems.append(_not_xlsx(spec, "文件内容已损坏，读到一半出错"))
    finally:
        workbook.close()
    return data


def _open(path: Path, spec: SheetSpec, problems: list[Problem]):
    """Open the workbook, or add one problem saying why it cannot be read."""
    if not path.is_file():
        problems.append(Problem(spec.file, f"找不到文件 {spec.file}，请把它放在 campaign 文件夹中", code="missing-file"))
        return None
    data = path.read_bytes()  # read once: the format check and the workbook use the same bytes
    if data[:4] == OLE2_MAGIC:
        problems.append(_not_xlsx(spec, "这是旧版 Excel 97-2003（.xls）文件或设置了打开密码"))
        return None
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        problems.append(_not_xlsx(spec, "这不是有效的 .xlsx 文件（可能是 CSV、WPS 的 .et 文件，或文件已损坏）"))
        return None


def _not_xlsx(spec: SheetSpec, why: str) -> Problem:
    what_to_do = "请用 Excel 或 WPS 打开，去掉打开密码，“另存为” Excel 工作簿（*.xlsx）后再试"
    return Problem(spec.file, f"{why}；{what_to_do}", code="not-xlsx")


def _read_workbook(workbook, spec: SheetSpec, data: SheetData) -> None:
    sheet = _find_sheet(workbook, spec, data.problems)
    if sheet is None:
        return
    # Read-only mode trusts the sheet's <dimension> tag, which some writers leave stale: rows would vanish.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, ())
    if not any(normalise_header(text) in _headers(spec) for text in header_row):
        data.problems.append(_no_header(spec))
        return
    columns = _map_headers(header_row, spec, data.problems)
    for number, values in enumerate(rows, start=2):
        if not all(cleaning.is_blank(v) for v in values):
            data.rows.append(_read_row(number, values, columns, spec, data.problems))


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


def _no_header(spec: SheetSpec) -> Problem:
    expected = "、".join(c.header for c in spec.columns if c.required)
    message = (f"第1行没有找到表头（应有 {expected} 等列）；表头必须在第1行，"
               "如果上面有标题行或空行请删去，如果工作表是空的请填入数据")
    return Problem(spec.file, message, sheet=spec.sheet, row=1, code="no-header")


def _map_headers(header_row, spec: SheetSpec, problems: list[Problem]) -> dict[int, Column]:
    """Match row 1 to the spec's columns by header; extra columns are ignored, missing required ones reported."""
    wanted = {normalise_header(c.header): c for c in spec.columns}
    found: dict[int, Column] = {}
    for index, text in enumerate(header_row):
        column = wanted.get(normalise_header(text))
        if column is None:
            continue
        if column in found.values():
            problems.append(_header_problem(spec, column, index, "表头重复出现，请删去多余的一列", "duplicate-column"))
            continue
        found[index] = column
    for column in spec.columns:
        if column.required and column not in found.values():
            problems.append(Problem(spec.file, f"缺少必需的列「{column.header}」；请在第1行表头中添加这一列",
                                    sheet=spec.sheet, row=1, column=column.header, code="missing-column"))
    return found


def _header_problem(spec: SheetSpec, column: Column, index: int, message: str, code: str) -> Problem:
    cell = f"{get_column_letter(index + 1)}1"
    return Problem(spec.file, message, sheet=spec.sheet, row=1, column=column.header, cell=cell, code=code)


def _read_row(number: int, values, columns: dict[int, Column], spec: SheetSpec, problems: list[Problem]) -> Row:
    row = Row(Source(spec.file, spec.sheet, number), {c.key: None for c in spec.columns}, {})
    for index, column in columns.items():
        row.cells[column.key] = f"{get_column_letter(index + 1)}{number}"
        value = values[index] if index < len(values) else None
        problem = _read_cell(row, column, value)
        if problem is not None:
            row.bad.add(column.key)
            problems.append(problem)
    return row


def _read_cell(row: Row, column: Column, value) -> Problem | None:
    """Parse one cell into row.values; return the problem if it cannot be read."""
    try:
        if cleaning.is_blank(value):
            if column.required:
                raise CellError("此项必填，不能为空，请补填", "missing-value")
            return None
        row.values[column.key] = PARSERS[column.kind](value, column)
        return None
    except CellError as err:
        return cell_problem(row, column.key, column.header, err.message, err.code)


def cell_problem(row: Row, key: str, header: str, message: str, code: str) -> Problem:
    """Make a problem that points at one cell of a row."""
    source = row.source
    return Problem(source.file, message, sheet=source.sheet, row=source.row, column=header,
                   cell=row.cells.get(key), code=code)
