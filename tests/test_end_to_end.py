"""A campaign from its first day to its last, through the CLI, as the guide (docs/使用说明.md) tells a clerk.

blank workbooks → filled by program → check → plan and speech → forms → eligibility → score sheets →
scores typed in → results → decisions → notices → letters → bundles. At every step: which papers exist,
which were skipped, and what the summary tells the clerk to do next.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

# Runs LibreOffice and the command line in a subprocess (pytest.ini: `make test-quick` leaves it out).
pytestmark = [pytest.mark.integration, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs"


def cli(campaign: Path, out: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(campaign), "--out", str(out), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def copy_rows(sample: Path, blank: Path, dest: Path) -> int:
    """Type the sample's rows into the blank workbook under the same headers, as a clerk would."""
    src = openpyxl.load_workbook(sample)
    wb = openpyxl.load_workbook(blank)
    s, d = src.worksheets[0], wb.worksheets[0]
    src_headers = [c.value for c in s[1]]
    dest_col = {c.value: c.column for c in d[1]}
    rows = 0
    for r, values in enumerate(s.iter_rows(min_row=2, values_only=True), start=2):
        if not any(v not in (None, "") for v in values):
            continue
        for header, value in zip(src_headers, values):
            d.cell(row=r, column=dest_col[header], value=value)
        rows += 1
    wb.save(dest)
    return rows


def fill_scores(blank: Path, dest: Path) -> None:
    """Every judge gives every candidate a score; candidate k of a post is 3 points behind candidate k-1."""
    wb = openpyxl.load_workbook(blank)
    for ws in wb.worksheets:
        if ws.title == "填表说明":
            continue
        seen: dict[str, int] = {}
        for row in range(2, ws.max_row + 1):
            post = ws.cell(row=row, column=3).value
            if post is None:
                continue
            place = seen[post] = seen.get(post, -1) + 1
            for col in range(4, ws.max_column + 1):
                ws.cell(row=row, column=col, value=90 - 3 * place - (col % 3))
    wb.save(dest)


def write_decisions(results_csv: Path, dest: Path) -> list[tuple[str, str, str]]:
    """The committee appoints each post's inspection candidate (考察对象 = 是), one post a person at most:
    someone shortlisted for two posts takes the first, and the other post stays vacant for now."""
    with results_csv.open(encoding="utf-8-sig") as fh:
        shortlisted = [(r["报名序号"], r["姓名"], r["职位代码"]) for r in csv.DictReader(fh) if r["考察对象"] == "是"]
    chosen, taken = [], set()
    for number, name, post in shortlisted:
        if number not in taken:
            chosen.append((number, name, post))
            taken.add(number)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任职决定"
    ws.append(["报名序号", "姓名", "任职职位代码", "是否新提任"])
    for number, name, post in chosen:
        ws.append([number, name, post, "是"])
    for row in ws.iter_rows(min_row=2):
        for cell in row[:3]:
            cell.number_format = "@"
    wb.save(dest)
    return chosen


@pytest.fixture(scope="module")
def journey(tmp_path_factory):
    return tmp_path_factory.mktemp("journey")


def test_a_whole_campaign_through_the_cli(journey):
    campaign, out = journey / "我单位2026", journey / "outputs"
    campaign.mkdir()
    shutil.copy(SAMPLE / "campaign.toml", campaign)

    # 1. Blank workbooks, filled in by program, saved into the campaign folder.
    cli(campaign, out, "input-templates")
    blanks = out / "空白表格"
    assert sorted(p.name for p in blanks.glob("*.xlsx")) == ["任职决定.xlsx", "报名信息.xlsx", "职位表.xlsx", "评委名单.xlsx"]
    counts = {name: copy_rows(SAMPLE / name, blanks / name, campaign / name)
              for name in ("职位表.xlsx", "报名信息.xlsx", "评委名单.xlsx")}
    assert counts == {"职位表.xlsx": 8, "报名信息.xlsx": 30, "评委名单.xlsx": 56}

    # 2. Check: no problems, nothing written; it already says which papers wait for later inputs.
    checked = cli(campaign, out, "check").stdout.strip().splitlines()
    assert checked[0] == "检查通过：8 个职位，30 名报名人，56 名评委，没有发现问题。"
    assert checked[1].startswith("尚不能生成 成绩汇总表：尚未录入评分")

    # 3. Plan and speech, then forms and eligibility.
    cli(campaign, out, "build", "plan", "speech")
    assert len(list((out / "01-实施方案").glob("*.pdf"))) == 1 and len(list((out / "02-动员讲话").glob("*.pdf"))) == 1
    cli(campaign, out, "build", "forms", "eligibility")
    assert len(list((out / "03-报名登记表").glob("*.pdf"))) == 31
    with (out / "eligibility.csv").open(encoding="utf-8-sig") as fh:
        verdicts = [r["资格审查结果"] for r in csv.DictReader(fh)]
    assert (len(verdicts), verdicts.count("合格")) == (33, 24)  # 30 people, 3 applied twice; 9 failures

    # 4. Score sheets; `make all` before any score is typed says what is missing and what to do.
    cli(campaign, out, "build", "scoresheets")
    assert len(list((out / "05-评分表").glob("评分表-*.pdf"))) == 56
    before = cli(campaign, out, "build", "all").stdout
    assert "未生成 成绩汇总表：尚未录入评分" in before
    assert "未生成 任前公示：尚未录入评分" in before
    assert before.strip().splitlines()[-1] == (
        "下一步：把 make scoresheets 生成的 05-评分表/评分录入.xlsx 按纸质评分表填好，放进 campaign 文件夹后再运行 make results")
    status = cli(campaign, out, "status", "--today", "2026-06-20").stdout
    assert "  评分：尚未录入" in status
    assert "  资格审查结果公示：2026年6月17日至2026年6月24日（公示中）" in status
    assert not (out / "06-成绩汇总").exists()

    # 5. Scores typed in (twice, by two people, identical) → results.
    fill_scores(out / "05-评分表" / "评分录入.xlsx", campaign / "评分录入.xlsx")
    shutil.copy(campaign / "评分录入.xlsx", campaign / "评分录入-复核.xlsx")
    cli(campaign, out, "build", "results")
    assert (out / "06-成绩汇总" / "成绩汇总表.pdf").exists() and (out / "results.csv").exists()

    # 6. Without decisions the notices and letters are proposals, and the summary says so.
    draft = cli(campaign, out, "build", "all").stdout
    assert "未生成 任职决定：没有 任职决定.xlsx" in draft
    assert (out / "07-公示" / "任前公示（拟任建议稿）.pdf").exists()

    # 7. The committee decides → notices, letters, bundles; nothing left to do.
    chosen = write_decisions(out / "results.csv", campaign / "任职决定.xlsx")
    assert 6 <= len(chosen) <= 8
    final = cli(campaign, out, "build", "all").stdout
    assert "未生成" not in final
    # The bundles are named where this build wrote them (OUT here is a scratch folder, not outputs/).
    assert final.strip().splitlines()[-1] == f"下一步：全部文书均可生成；运行 make bundles 后打印 {out / 'bundles'}/ 中的打印包。"
    assert (out / "07-公示" / "任前公示.pdf").exists()
    assert not (out / "07-公示" / "任前公示（拟任建议稿）.pdf").exists()  # the draft is gone once decided
    assert len(list((out / "08-任职").glob("聘任书-*.pdf"))) == len(chosen)
    bundles = {p.name: len(PdfReader(p).pages) for p in (out / "bundles").glob("*.pdf")}
    assert set(bundles) == {"评委评分表.pdf", "公示.pdf", "任职.pdf", "归档.pdf"}
    status = cli(campaign, out, "status", "--today", "2026-07-10").stdout
    assert f"  已决定任职 {len(chosen)} 人" in status
    assert "  任前公示：2026年7月8日至2026年7月14日（公示中）" in status

    # 8. A last `make all` with nothing changed builds nothing.
    assert "新生成 0 份文书" in cli(campaign, out, "build", "all").stdout
