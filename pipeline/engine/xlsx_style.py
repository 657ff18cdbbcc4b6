"""Shared look of the workbooks we write: header row, widths, number formats, drop-downs, atomic saves.

Used by the blank input workbooks, the sample campaign and the synthetic generator, so a clerk sees
the same layout whichever of them produced the file.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from typing import Protocol

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.engine.xlsx_safe import safe_cell



class Column(Protocol):
    """What the styling needs of a column (pipeline.campaign.columns.Column has it): header, width and kind."""

    header: str
    width: int
    kind: str

TEXT_FORMAT = "@"  # Excel "文本": keeps leading zeros and all 18 digits of an 身份证号
DATE_FORMAT = "yyyy-mm-dd"
INT_FORMAT = "0"
# Kinds whose cells must be text: IDs would lose precision past 15 digits, codes their leading
# zeros, and a year-month typed as 1978.10 would become the number 1978.1.
TEXT_KINDS = frozenset({"text", "name", "identifier", "idcard", "phone", "yearmonth", "codes", "choice"})
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
# Fixed stamp written into docProps/core.xml and every zip entry, so equal content gives equal bytes.
FIXED_STAMP = "2026-01-01T00:00:00Z"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def number_format(column: Column) -> str:
    """Return the Excel number format for a column's cells."""
    if column.kind == "date":
        return DATE_FORMAT
    if column.kind == "int":
        return INT_FORMAT
    if column.kind in TEXT_KINDS:
        return TEXT_FORMAT
    return "General"


def write_header(ws: Worksheet, columns: tuple[Column, ...]) -> None:
    """Write the bold header row, freeze it and set the column widths and formats."""
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width = column.width + 2  # the header's CJK glyphs are two units wide each
        dim.number_format = number_format(column)  # cells the clerk adds below inherit it
    ws.freeze_panes = "A2"


# Excel keeps a list typed into a data validation ("a,b,c") to 255 characters, separators included; a longer one
# makes Excel "repair" the file and drop every drop-down. Lists past that, or past INLINE_VALUES values (a long
# drop-down is easier to check on a sheet), are written to the CODE_SHEET and referenced as a range.
INLINE_LIMIT = 255
INLINE_VALUES = 20
CODE_SHEET = "代码表"


def add_choice_list(ws: Worksheet, col_index: int, column: Column, choices: tuple[str, ...], last_row: int) -> None:
    """Attach a drop-down list of the allowed values to rows 2..last_row of one column."""
    if not choices:
        return
    letter = get_column_letter(col_index)
    inline = ",".join(choices)
    plain = not any(mark in value for value in choices for mark in ',"')  # an inline list cannot quote them
    if plain and len(inline) <= INLINE_LIMIT and len(choices) <= INLINE_VALUES:
        formula, listed = f'"{inline}"', "、".join(choices)
    else:
        formula, listed = code_sheet_range(ws.parent, column.header, choices), f"见工作表「{CODE_SHEET}」"
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入值无效",
        error=f"「{column.header}」请从下拉列表中选择（可选值{listed}）",
    )
    dv.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(dv)


def code_sheet_range(wb: Workbook, header: str, choices: tuple[str, ...]) -> str:
    """Write choices under header in the next free column of the protected CODE_SHEET; return its range."""
    sheet = wb[CODE_SHEET] if CODE_SHEET in wb.sheetnames else _new_code_sheet(wb)
    col = 1 if sheet.max_column == 1 and sheet["A1"].value is None else sheet.max_column + 1
    letter = get_column_letter(col)
    head = safe_cell(sheet.cell(row=1, column=col), header)
    head.font, head.fill = HEADER_FONT, HEADER_FILL
    for row, value in enumerate(choices, start=2):  # values may come from campaign.toml (评委组): never a formula
        safe_cell(sheet.cell(row=row, column=col), value).number_format = TEXT_FORMAT
    sheet.column_dimensions[letter].width = max(len(v) for v in (header, *choices)) * 2 + 2
    return f"{CODE_SHEET}!${letter}$2:${letter}${len(choices) + 1}"


def _new_code_sheet(wb: Workbook) -> Worksheet:
    # Protected so that a drop-down's values cannot be edited away by accident; no password: nothing secret.
    sheet = wb.create_sheet(CODE_SHEET)
    sheet.protection.sheet = True
    sheet.freeze_panes = "A2"
    return sheet


def format_row(ws: Worksheet, row: int, columns: tuple[Column, ...]) -> None:
    """Give every cell of one row its column's number format."""
    for index, column in enumerate(columns, start=1):
        ws.cell(row=row, column=index).number_format = number_format(column)


def workbook_bytes(wb: Workbook) -> bytes:
    """A workbook's file, with fixed timestamps: same content, same bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return _normalise_zip(buffer.getvalue())


def save_atomic(wb: Workbook, path: Path) -> Path:
    """Save a workbook with fixed timestamps via a temp file in the same folder and os.replace."""
    data = workbook_bytes(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """Return the process umask (reading it means setting it, so put it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed entry times and document-property dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            payload = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + FIXED_STAMP.encode() + m.group(3),
                    payload,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(entry, payload)
    return out.getvalue()
