"""An independent check: LibreOffice Calc recomputes every group score and total from the same typed scores.

The data go through the real round trip (blank 评分录入.xlsx → filled by program → read → computed) with the
sample campaign's seed-5 scheme; Calc gets the same scores with formulas and recalculates them headless.
Two formulas per group, both rounded with ROUND(…, 2):
- (SUM − MAX − MIN) / (COUNT − 2): drop exactly one highest and one lowest for any group size;
- TRIMMEAN(range, 2.5 / COUNT(range)): Calc trims floor(α·n) = 2 points (one each end) for every n ≥ 3,
  where α = 2 / n could come out as 1.999… and trim nothing.
Total = ROUND(SUMPRODUCT(weights, rounded means) / SUM(weights), 2), as published.
"""
from __future__ import annotations

import csv
import random
import shutil
import subprocess
import tomllib
from decimal import Decimal as D

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from pipeline.campaign.model import Judge, Post
from pipeline.scoring.ranking import compute_results
from pipeline.scoring.score_entry import read_score_entry, write_score_entry_workbook
from pipeline.scoring.compute import Candidate
from pipeline.scoring.scheme import load_scheme
from tests.conftest import SAMPLE

SOFFICE = shutil.which("soffice")
CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'

# Runs LibreOffice Calc (pytest.ini: `make test-quick` leaves it out).
pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")]


def seed5_scheme():
    with open(SAMPLE / "campaign.toml", "rb") as f:
        return load_scheme(tomllib.load(f))


def make_data(scheme):
    """Judges at each group's minimum size (7, 5, 10, 30), ten candidates in two posts, seeded scores."""
    judges = [Judge(f"{g.name[0]}{i:02d}", f"{g.name}{i}", g.name) for g in scheme.groups
              for i in range(1, g.min_judges + 1)]
    cands = [Candidate(f"{n:03d}", f"考生{n}", "01" if n <= 6 else "02") for n in range(1, 11)]
    rng = random.Random(5)
    scores = {(c.key, j.number): D(rng.randint(600, 990)) / 10 for c in cands for j in judges}
    first = judges[0].number, judges[1].number  # 专家评委 Z01, Z02
    for j in judges[:7]:  # candidate 001, experts: the top score 95 shared by two judges
        scores[(cands[0].key, j.number)] = D(95) if j.number in first else D("80.5")
    # candidate 002, experts: 95 and 60 dropped; kept 87.5 87.4 87.3 87.5 87.5 → 437.2 / 5 = 87.44
    for j, s in zip(judges[:7], ("95", "87.5", "87.4", "87.3", "87.5", "60", "87.5")):
        scores[(cands[1].key, j.number)] = D(s)
    return judges, cands, scores


def fill(path, judges, scores):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets[:-1]:
        header = [c.value for c in ws[1]]
        for row in range(2, ws.max_row + 1):
            key = (ws.cell(row=row, column=1).value, ws.cell(row=row, column=3).value)
            for col in range(4, len(header) + 1):
                ws.cell(row=row, column=col, value=float(scores[(key, header[col - 1])]))
    wb.save(path)


def calc_workbook(path, scheme, judges, cands, scores):
    """One row per candidate and group: id, group, weight, two rounded means, total (first row), scores."""
    wb = openpyxl.Workbook()
    ws = wb.active
    row = 1
    for c in cands:
        top = row
        for g in scheme.groups:
            marks = [scores[(c.key, j.number)] for j in judges if j.group == g.name]
            rng = f"G{row}:{get_column_letter(6 + len(marks))}{row}"
            ws.append([c.number, g.name, float(g.weight),
                       f"=ROUND((SUM({rng})-MAX({rng})-MIN({rng}))/(COUNT({rng})-2),2)",
                       f"=ROUND(TRIMMEAN({rng},2.5/COUNT({rng})),2)", None] + [float(m) for m in marks])
            row += 1
        ws.cell(row=top, column=6, value=f"=ROUND(SUMPRODUCT(C{top}:C{row - 1},D{top}:D{row - 1})"
                                         f"/SUM(C{top}:C{row - 1}),2)")
    wb.save(path)


def recalc_with_calc(xlsx, tmp_path):
    """Have LibreOffice Calc load (and so recalculate) the workbook and export the values as CSV."""
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", CSV_FILTER,
                    "--outdir", str(tmp_path / "csv"), str(xlsx)], check=True, capture_output=True, timeout=120)
    (out,) = (tmp_path / "csv").glob("*.csv")
    with open(out, encoding="utf-8") as f:
        return list(csv.reader(f))


def test_calc_agrees_with_the_pipeline_to_the_cent(tmp_path):
    scheme = seed5_scheme()
    judges, cands, scores = make_data(scheme)
    entry_path = write_score_entry_workbook(tmp_path / "评分录入.xlsx", scheme.groups, judges, cands)
    fill(entry_path, judges, scores)
    entry = read_score_entry(entry_path, scheme, judges, cands)
    posts = [Post("01", "教务处", "处长", "正职", 1), Post("02", "人事处", "处长", "正职", 1)]
    results = {r.candidate.number: r for r in compute_results(scheme, posts, cands, entry)}

    calc_workbook(tmp_path / "calc.xlsx", scheme, judges, cands, scores)
    rows = recalc_with_calc(tmp_path / "calc.xlsx", tmp_path)
    calc_means = {(r[0], r[1]): (D(r[3]), D(r[4])) for r in rows}
    calc_totals = {r[0]: D(r[5]) for r in rows if r[5]}
    for number, result in results.items():
        for g in result.groups:
            assert calc_means[(number, g.group)] == (g.mean, g.mean), (number, g.group)
        assert calc_totals[number] == result.total, number
    assert len(calc_totals) == 10 and len(calc_means) == 40
    # The hand-made cases: 001 drops one 95 of two, keeps 95 + 4 × 80.5 = 417 / 5 = 83.40; 002 as above.
    assert results["001"].groups[0].mean == D("83.40") and results["001"].groups[0].dropped_high == ("专01",)
    assert results["002"].groups[0].mean == D("87.44")
    # The seeded data hold exact halves, so rounding is really exercised (Calc agreed on all of them above):
    # 005 中层干部 kept mean 85.925 → 85.93 (float round(): 85.92); 005 total 17057 / 200 = 85.285 → 85.29
    # (float round(): 85.28); 001 total 16059 / 200 = 80.295 → 80.30.
    assert (results["005"].groups[2].mean, results["005"].total, results["001"].total) == (
        D("85.93"), D("85.29"), D("80.30"))
