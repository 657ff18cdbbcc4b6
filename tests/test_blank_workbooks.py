"""Blank input workbooks (pipeline/campaign/blank_workbooks.py): read back with openpyxl, checked against schema.py."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from pipeline.campaign.blank_workbooks import (
    GUIDE_SHEET, PREPARED_ROWS, input_templates, judge_groups_from, write_blank_workbooks,
)
from pipeline.errors import PipelineError
from pipeline.campaign.columns import APPLICANTS, BLANK_SHEETS, JUDGES, POSTS, SheetSpec
from pipeline.engine.xlsx_style import CODE_SHEET
from tests.conftest import SAMPLE

GROUPS = ("专家评委", "党委成员", "中层干部", "教师代表")  # inputs/campaign.toml [[scoring.groups]]
LAST = PREPARED_ROWS + 1  # header on row 1, prepared rows 2..301


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("blank")
    write_blank_workbooks(dest, GROUPS)
    return dest


def sheet(folder: Path, spec: SheetSpec):
    return openpyxl.load_workbook(folder / spec.file)[spec.sheet]


def letter(spec: SheetSpec, key: str) -> str:
    return get_column_letter(spec.columns.index(spec.column(key)) + 1)


def validations(ws) -> dict[str, str]:
    """Map each validated range (e.g. "C2:C301") to its list formula."""
    return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}


@pytest.mark.parametrize("spec", BLANK_SHEETS, ids=lambda s: s.file)
def test_headers_in_schema_order_bold_and_frozen(blank, spec):
    ws = sheet(blank, spec)
    assert [c.value for c in ws[1]] == [c.header for c in spec.columns]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, len(spec.columns) + 1)]
    assert widths == [c.width + 2 for c in spec.columns]


def listed(wb, formula: str) -> tuple[str, ...]:
    """The values a list validation offers: an inline "a,b" list, or a range such as 代码表!$A$2:$A$57."""
    if formula.startswith('"'):
        return tuple(formula.strip('"').split(","))
    sheet_name, cells = formula.split("!")
    return tuple(c.value for row in wb[sheet_name][cells.replace("$", "")] for c in row)


@pytest.mark.parametrize("spec", BLANK_SHEETS, ids=lambda s: s.file)
def test_every_choice_column_has_a_drop_down(blank, spec):
    wb = openpyxl.load_workbook(blank / spec.file)
    found = validations(wb[spec.sheet])
    for column in spec.columns:
        if column.kind == "choice":
            col = letter(spec, column.key)
            assert listed(wb, found[f"{col}2:{col}{LAST}"]) == column.choices, column.header


def test_the_56_ethnic_groups_drop_down_from_the_protected_code_sheet(blank):
    wb = openpyxl.load_workbook(blank / APPLICANTS.file)
    # 民族 is column D of 报名信息; its 56 names stand in column A of 代码表 under the header, rows 2..57.
    assert validations(wb[APPLICANTS.sheet])[f"D2:D{LAST}"] == f"{CODE_SHEET}!$A$2:$A$57"
    codes = wb[CODE_SHEET]
    assert codes["A1"].value == "民族" and codes["A2"].value == "汉族" and codes["A57"].value == "基诺族"
    assert codes.max_row == 57 and codes.protection.sheet
    (dv,) = [d for d in wb[APPLICANTS.sheet].data_validations.dataValidation if str(d.sqref).startswith("D2")]
    assert len(dv.error) <= 255 and CODE_SHEET in dv.error  # Excel's limit for the message too


def test_a_blank_decision_workbook_is_what_the_decision_reader_reads(blank):
    from pipeline.appointment.decisions import DECISION_FILE, DECISION_SHEET, HEADERS

    ws = openpyxl.load_workbook(blank / DECISION_FILE)[DECISION_SHEET]
    assert tuple(c.value for c in ws[1]) == HEADERS == ("报名序号", "姓名", "任职职位代码", "是否新提任")
    assert validations(ws)[f"D2:D{LAST}"] == '"是,否"'


@pytest.mark.integration
def test_libreoffice_reads_the_code_sheet_range_as_a_reference(blank, tmp_path):
    """Calc opens the blank 报名信息.xlsx and writes the 民族 validation back as a cell range, not as text."""
    import subprocess
    import zipfile

    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path / "ods"), str(blank / APPLICANTS.file)],
                   check=True, capture_output=True, timeout=180)
    (ods,) = (tmp_path / "ods").glob("*.ods")
    content = zipfile.ZipFile(ods).read("content.xml").decode()
    assert "of:cell-content-is-in-list([$代码表.$A$2:.$A$57])" in content
    assert content.count("<text:p>基诺族</text:p>") == 1


def test_judge_group_drop_down_lists_the_campaign_groups(blank):
    col = letter(JUDGES, "group")  # C
    assert validations(sheet(blank, JUDGES))[f"{col}2:{col}{LAST}"] == '"专家评委,党委成员,中层干部,教师代表"'


def test_drop_down_for_sex_is_exactly_the_two_values(blank):
    # 性别 is the third column of 报名信息 (报名序号, 姓名, 性别): C2:C301.
    assert validations(sheet(blank, APPLICANTS))["C2:C301"] == '"男,女"'


@pytest.mark.parametrize("key", ["id_number", "phone", "number", "birth_month", "work_start", "posts"])
def test_text_format_keeps_ids_and_codes(blank, key):
    ws = sheet(blank, APPLICANTS)
    col = letter(APPLICANTS, key)
    assert ws[f"{col}2"].number_format == "@"
    assert ws[f"{col}{LAST}"].number_format == "@"
    assert ws.column_dimensions[col].number_format == "@"  # rows the clerk adds below inherit it


def test_post_code_is_text_and_dates_are_dates(blank):
    posts = sheet(blank, POSTS)
    assert posts["A2"].number_format == "@"  # 职位代码 01 keeps its zero
    assert posts[f"{letter(POSTS, 'born_on_or_after')}2"].number_format == "yyyy-mm-dd"
    applicants = sheet(blank, APPLICANTS)
    for key in ("rank_since", "penalty_until"):
        assert applicants[f"{letter(APPLICANTS, key)}2"].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("spec", BLANK_SHEETS, ids=lambda s: s.file)
def test_guide_sheet_lists_every_column(blank, spec):
    wb = openpyxl.load_workbook(blank / spec.file)
    assert wb.sheetnames == [spec.sheet, GUIDE_SHEET] + ([CODE_SHEET] if spec is APPLICANTS else [])
    rows = list(wb[GUIDE_SHEET].iter_rows(min_row=4, values_only=True))
    assert rows[0] == ("列名", "是否必填", "填写格式", "可选值", "说明")
    body = rows[1:]
    assert [r[0] for r in body] == [c.header for c in spec.columns]
    assert [r[1] for r in body] == ["必填" if c.required else "选填" for c in spec.columns]
    for r, c in zip(body, spec.columns):
        assert (r[3] or "") == "、".join(c.choices if c.kind == "choice" else GROUPS if c.key == "group" else ())
        assert (r[4] or "") == c.note


def test_blank_sheets_hold_no_data(blank):
    for spec in BLANK_SHEETS:
        ws = sheet(blank, spec)
        values = [v for row in ws.iter_rows(min_row=2, values_only=True) for v in row if v is not None]
        assert values == [], spec.file


def test_output_is_byte_identical_and_leaves_no_temp_files(tmp_path):
    first = [p.read_bytes() for p in write_blank_workbooks(tmp_path / "a", GROUPS)]
    second = [p.read_bytes() for p in write_blank_workbooks(tmp_path / "b", GROUPS)]
    assert first == second
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(s.file for s in BLANK_SHEETS)


def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    (target,) = [p for p in write_blank_workbooks(tmp_path, GROUPS) if p.name == POSTS.file]
    before = target.read_bytes()

    def broken_save(self, filename):
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError):
        write_blank_workbooks(tmp_path, GROUPS)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(s.file for s in BLANK_SHEETS)


def test_input_templates_writes_to_the_blank_folder_with_the_campaign_groups(tmp_path):
    paths = input_templates(SAMPLE, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [f"空白表格/{s.file}" for s in BLANK_SHEETS]
    assert paths[-1].name == "任职决定.xlsx"
    assert validations(sheet(tmp_path / "空白表格", JUDGES))[f"C2:C{LAST}"] == '"专家评委,党委成员,中层干部,教师代表"'


def test_broken_campaign_toml_is_named(tmp_path):
    (tmp_path / "campaign.toml").write_text('[scoring\nname = "x"', encoding="utf-8")
    with pytest.raises(PipelineError, match="campaign.toml"):
        judge_groups_from(tmp_path / "campaign.toml")
    assert judge_groups_from(tmp_path / "missing.toml") == ()
