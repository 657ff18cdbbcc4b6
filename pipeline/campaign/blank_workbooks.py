"""Blank input workbooks for clerks (职位表, 报名信息, 评委名单, 任职决定), each with a 填表说明 sheet.

The same builder writes the filled sample and synthetic workbooks, so all of them share one layout.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from pipeline.errors import ProblemCollector
from pipeline.campaign.columns import BLANK_FOLDER, BLANK_SHEETS, JUDGES, Column, SheetSpec
from pipeline.engine.xlsx_safe import safe_cell
from pipeline.engine.xlsx_style import HEADER_FONT, add_choice_list, format_row, save_atomic, write_header

PREPARED_ROWS = 300  # rows given formats in a blank workbook, enough for a large campaign's applicants
SPARE_ROWS = 200  # drop-downs reach this far below the last filled row
GUIDE_SHEET = "填表说明"
KIND_FORMATS = {
    "text": "文字",
    "name": "汉字，少数民族姓名各部分用“·”分隔；不含数字和符号",
    "identifier": "字母、数字、汉字或“-”“_”，不超过20个字（单元格为文本格式）",
    "int": "整数",
    "decimal": "数字，可带小数",
    "date": "日期，如 2026-06-12",
    "yearmonth": "年月，如 1978.05（单元格为文本格式）",
    "choice": "从下拉列表中选择",
    "idcard": "18位身份证号（单元格为文本格式）",
    "phone": "电话号码（单元格为文本格式）",
    "codes": "职位代码，多个用顿号分隔（单元格为文本格式）",
}


def write_blank_workbooks(dest: Path, judge_groups: tuple[str, ...] = ()) -> list[Path]:
    """Write every blank input workbook into dest; 评委组 gets a drop-down when groups are given.

    评分录入.xlsx and 民主测评.xlsx are not among them: make scoresheets makes them from the campaign's candidates.
    """
    return [write_workbook(dest / spec.file, spec, (), judge_groups) for spec in BLANK_SHEETS]


def input_templates(campaign_dir: Path, out_dir: Path) -> list[Path]:
    """Write the blank workbooks to OUT/空白表格/, with the campaign's judge groups as a drop-down."""
    return write_blank_workbooks(out_dir / BLANK_FOLDER, judge_groups_from(campaign_dir / "campaign.toml"))


def judge_groups_from(toml_path: Path) -> tuple[str, ...]:
    """Return the [[scoring.groups]] names of a campaign.toml, or () when there is no such file yet.

    A campaign.toml that is there is checked as every command checks it, every section (the 职位表 may not
    exist yet: the posts' own columns are checked when it does).
    """
    from pipeline.campaign.load import date_problems, holidays_of, read_campaign_toml, read_rules_and_scheme

    if not toml_path.is_file():
        return ()
    problems = ProblemCollector()
    campaign = read_campaign_toml(toml_path, problems)
    read_rules_and_scheme(campaign, (), problems)
    holidays = holidays_of(toml_path.parent, problems)
    if campaign is not None and not problems:  # dates are counted on a readable campaign.toml and calendar
        problems.extend(date_problems(campaign, holidays))  # what every command checks
    problems.raise_if_any()
    settings = campaign.settings
    groups = settings.scoring.get("groups", ())
    return tuple(str(g["name"]) for g in groups if isinstance(g, Mapping) and g.get("name"))


def write_workbook(
    path: Path, spec: SheetSpec, rows: Iterable[Mapping[str, Any]], judge_groups: tuple[str, ...] = ()
) -> Path:
    """Write one input workbook holding rows (dicts keyed by Column.key), atomically."""
    return save_atomic(build_workbook(spec, list(rows), judge_groups), path)


def build_workbook(spec: SheetSpec, rows: list[Mapping[str, Any]], judge_groups: tuple[str, ...] = ()) -> Workbook:
    """Build the data sheet and the 填表说明 sheet for one input workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet
    write_header(ws, spec.columns)
    for offset, row in enumerate(rows, start=2):
        for index, column in enumerate(spec.columns, start=1):
            value = row.get(column.key)
            safe_cell(ws.cell(row=offset, column=index), None if value in ("", None) else value)
    # A blank workbook gets PREPARED_ROWS formatted rows; a filled one formats its own rows, and its
    # drop-downs reach SPARE_ROWS further for the rows a clerk adds.
    formatted = len(rows) + 1 if rows else PREPARED_ROWS + 1
    last_row = len(rows) + 1 + SPARE_ROWS if rows else formatted
    for row in range(2, formatted + 1):
        format_row(ws, row, spec.columns)
    guide = wb.create_sheet(GUIDE_SHEET)  # before the 代码表 the long drop-downs add
    for index, column in enumerate(spec.columns, start=1):
        add_choice_list(ws, index, column, choices_for(spec, column, judge_groups), last_row)
    write_guide(guide, spec, judge_groups)
    return wb


def choices_for(spec: SheetSpec, column: Column, judge_groups: tuple[str, ...]) -> tuple[str, ...]:
    """Return a column's allowed values; 评委组 takes them from campaign.toml."""
    if spec is JUDGES and column.key == "group":
        return judge_groups
    return column.choices


def write_guide(ws, spec: SheetSpec, judge_groups: tuple[str, ...]) -> None:
    """Fill the 填表说明 sheet: one line per column with header, required, format, values and note."""
    ws.append([f"《{spec.file}》填表说明"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"请在工作表「{spec.sheet}」中填写：第一行是列名，请勿改动；从第二行起每行一条记录。"])
    ws.append([])
    ws.append(["列名", "是否必填", "填写格式", "可选值", "说明"])
    for cell in ws[4]:
        cell.font = HEADER_FONT
    for column in spec.columns:
        choices = choices_for(spec, column, judge_groups)
        ws.append([
            column.header,
            "必填" if column.required else "选填",
            "从下拉列表中选择" if choices else KIND_FORMATS.get(column.kind, column.kind),
            "、".join(choices),
            column.note,
        ])
    for letter, width in zip("ABCDE", (18, 10, 34, 40, 60)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
