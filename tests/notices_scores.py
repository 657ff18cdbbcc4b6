"""A filled 评分录入.xlsx for the sample campaign, made by program (tests of the notices and letters).

Scores are a fixed function of the 报名序号 and the judge's column, so every run gives the same ranking.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl

from pipeline.review.eligibility import eligible_candidates, review
from pipeline.campaign.load import load_campaign_folder
from pipeline.scoring.score_entry import ENTRY_FILE, write_score_entry_workbook
from pipeline.scoring.stage import make_candidates


def mark(number: str, column: int) -> float:
    """A score between 70.0 and 97.5: a person's level (distinct per 报名序号) plus a judge's spread."""
    level = 70 + (int(number) * 7) % 23  # 7 and 23 coprime: 23 distinct levels for 报名序号 1..23
    return level + (column % 4) * 0.5


def write_filled_scores(campaign_dir: Path) -> Path:
    """Write the campaign's 评分录入.xlsx with every score filled in."""
    data = load_campaign_folder(campaign_dir)
    scheme = data.scheme
    candidates = make_candidates(data, eligible_candidates(review(data, data.rules)))
    dest = write_score_entry_workbook(campaign_dir / ENTRY_FILE, scheme.groups, data.judges, candidates)
    wb = openpyxl.load_workbook(dest)
    for group in scheme.groups:
        ws = wb[group.name]
        for row in range(2, ws.max_row + 1):
            for col in range(4, ws.max_column + 1):
                ws.cell(row=row, column=col, value=mark(ws.cell(row=row, column=1).value, col))
    wb.save(dest)
    return dest
