"""Write the sample campaign's 任职决定.xlsx: the best-ranked 考察对象 of each post (deterministic).

Run after the filled 评分录入.xlsx is in the campaign folder (devtools/make_sample_scores.py):
    .venv/bin/python devtools/make_sample_decisions.py [--campaign inputs]
是否新提任 is presumed from the current rank and the rank the post carries (pipeline.appointment.decisions.POST_RANK).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from openpyxl.styles import Alignment, Font, PatternFill  # noqa: E402
from openpyxl.worksheet.datavalidation import DataValidation  # noqa: E402

from pipeline.appointment.decisions import DECISION_FILE, DECISION_SHEET, HEADERS, NO, YES, Appointment, propose  # noqa: E402
from pipeline.engine.xlsx_safe import safe_cell  # noqa: E402
from pipeline.engine.xlsx_style import save_atomic  # noqa: E402

WIDTHS = (10, 10, 14, 12)


def write_decision_workbook(dest: Path, appointments: Sequence[Appointment]) -> Path:
    """Write 任职决定.xlsx with one row per appointment and a 是/否 choice list."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DECISION_SHEET
    for col, (text, width) in enumerate(zip(HEADERS, WIDTHS), start=1):
        cell = safe_cell(ws.cell(row=1, column=col), text)
        cell.font, cell.alignment = Font(bold=True), Alignment(horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions["ABCD"[col - 1]].width = width
    for row, a in enumerate(appointments, start=2):
        values = (a.applicant.number, a.applicant.name, a.post.code, YES if a.newly_promoted else NO)
        for col, value in enumerate(values, start=1):
            safe_cell(ws.cell(row=row, column=col), value).number_format = "@"
    choice = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=False)
    choice.add(f"D2:D{max(2, len(appointments) + 1) + 20}")
    ws.add_data_validation(choice)
    ws.freeze_panes = "A2"
    return save_atomic(wb, dest)


def sample_decisions(campaign_dir: Path) -> list[Appointment]:
    """The committee's sample decision: the top 考察对象 of every post."""
    from pipeline.run import prepare

    prepared = prepare(campaign_dir)
    data, results = prepared.data, prepared.outcome.results
    if results is None:
        raise SystemExit(f"{campaign_dir} 中没有 评分录入.xlsx；请先运行 devtools/make_sample_scores.py")
    return propose(data, results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成示例活动的 任职决定.xlsx（各职位排名第一的考察对象）")
    parser.add_argument("--campaign", type=Path, default=ROOT / "inputs")
    args = parser.parse_args(argv)
    dest = write_decision_workbook(args.campaign / DECISION_FILE, sample_decisions(args.campaign))
    print(f"已生成 {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
