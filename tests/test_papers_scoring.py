"""The scoring round trip: make scoresheets → fill 评分录入.xlsx by program → make results, checked independently.

Independent checks: the first candidate worked by hand below; every total recomputed here with sorted
lists and Decimal (not pipeline.scoring.compute); and every total recomputed by LibreOffice Calc from the
formulas in results.xlsx (Calc recalculates an openpyxl file on load; CSV export of all sheets: docs/reference.md,
Calc核算).
"""
from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from pipeline.run import build
from pipeline.errors import InputErrors
from pipeline.scoring.results_workbook import SUMMARY_SHEET, results_csv_rows, results_workbook_bytes
from pipeline.scoring.compute import Candidate, ScoreEntry
from pipeline.scoring.scheme import JudgeGroup, ScoringScheme
from pipeline.scoring.ranking import compute_results
from tests.conftest import SAMPLE
from tests.pii import docx_text, pdf_text

# Runs LibreOffice (pytest.ini: `make test-quick` leaves it out).
pytestmark = pytest.mark.integration

D = Decimal
WEIGHTS = {"专家评委": D(4), "党委成员": D(3), "中层干部": D("1.5"), "教师代表": D("1.5")}  # campaign.toml, seed 5
CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'  # docs/reference.md, Calc核算

# The first candidate in draw order, worked by hand (seed 5: drop ONE highest and ONE lowest per group):
# 专家评委 88 92 92 85 90 86.5 87 → drop one 92 (Z02, the earlier column) and 85;
#          kept 88+92+90+86.5+87 = 443.5, /5 = 88.70
# 党委成员 90 84 86 88 85 87 89 → drop 90 and 84; kept 86+88+85+87+89 = 435, /5 = 87.00
# 中层干部 95 80, nine 86, one 87 → drop 95 and 80; kept 9×86+87 = 861, /10 = 86.10
# 教师代表 96 78, twenty-seven 87.4, one 88.1 → kept 27×87.4+88.1 = 2447.9, /28 = 87.425 → 87.43 (half up;
#          binary round() would give 87.42)
# total = (4×88.70 + 3×87.00 + 1.5×86.10 + 1.5×87.43) / 10 = (354.8+261+129.15+131.145)/10 = 87.6095 → 87.61
HAND = {
    "专家评委": [88, 92, 92, 85, 90, 86.5, 87],
    "党委成员": [90, 84, 86, 88, 85, 87, 89],
    "中层干部": [95, 80] + [86] * 9 + [87],
    "教师代表": [96, 78] + [87.4] * 27 + [88.1],
}
HAND_MEANS = {"专家评委": "88.70", "党委成员": "87.00", "中层干部": "86.10", "教师代表": "87.43"}
HAND_TOTAL = "87.61"
TIE_POST = "05"  # both candidates of 团委书记 get identical scores: a tie at the 1:1 cut-off


def generic_score(profile: int, column: int) -> float:
    """A varied, deterministic score between 75 and 94.5."""
    return 75 + (profile * 7 + column * 3) % 20 + (0.5 if (profile + column) % 2 else 0)


def half_up(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def expected_total(scores: dict[str, list[float]]) -> tuple[dict[str, Decimal], Decimal]:
    """Recompute independently: sort, cut one each end, average, round; weight, divide, round."""
    means = {}
    for group, xs in scores.items():
        kept = sorted(D(str(x)) for x in xs)[1:-1]
        means[group] = half_up(sum(kept) / len(kept))
    total = half_up(sum(WEIGHTS[g] * m for g, m in means.items()) / sum(WEIGHTS.values()))
    return means, total


def fill_entry(blank: Path, dest: Path) -> dict[tuple[str, str], dict[str, list[float]]]:
    """Type scores into every judge cell; return what was typed, per (报名序号, 职位代码) and group."""
    wb = openpyxl.load_workbook(blank)
    typed: dict[tuple[str, str], dict[str, list[float]]] = {}
    for group in WEIGHTS:
        ws = wb[group]
        first_tied = None
        for row in range(2, ws.max_row + 1):
            key = (ws.cell(row=row, column=1).value, ws.cell(row=row, column=3).value)
            profile = row
            if key[1] == TIE_POST:
                first_tied = first_tied or row
                profile = first_tied
            values = [HAND[group][j] if row == 2 else generic_score(profile, j) for j in range(ws.max_column - 3)]
            for j, v in enumerate(values):
                ws.cell(row=row, column=4 + j, value=v)
            typed.setdefault(key, {})[group] = values
    wb.save(dest)
    return typed


def calc_csv(xlsx: Path, out: Path) -> dict[str, list[dict[str, str]]]:
    """Let LibreOffice Calc recalculate the workbook and export every sheet as CSV; read them back."""
    profile = out / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", CSV_FILTER,
                    "--outdir", str(out), str(xlsx)], check=True, capture_output=True, timeout=120)
    sheets = {}
    for path in out.glob(f"{xlsx.stem}-*.csv"):
        with path.open(encoding="utf-8") as fh:
            sheets[path.stem[len(xlsx.stem) + 1:]] = list(csv.DictReader(fh))
    return sheets


@pytest.fixture(scope="module")
def trip(tmp_path_factory):
    root = tmp_path_factory.mktemp("trip")
    campaign, out = root / "campaign", root / "out"
    shutil.copytree(SAMPLE, campaign)
    # New scores make other 考察对象: the sample committee's 任职决定.xlsx would no longer match them.
    for typed in ("评分录入.xlsx", "任职决定.xlsx"):
        (campaign / typed).unlink(missing_ok=True)
    skipped = build(campaign, out, ["results"], log=lambda m: None).skipped
    build(campaign, out, ["scoresheets"], log=lambda m: None)
    typed = fill_entry(out / "05-评分表" / "评分录入.xlsx", campaign / "评分录入.xlsx")
    build(campaign, out, ["results"], log=lambda m: None)
    with (out / "results.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    calc = calc_csv(out / "results.xlsx", root / "calc")
    return {"campaign": campaign, "out": out, "typed": typed, "rows": rows, "calc": calc, "skipped": skipped}


# ---------------------------------------------------------------- scoresheets


def test_no_scores_yet_is_skipped_with_what_to_do(trip):
    assert any(s.paper == "成绩汇总表" and "评分录入.xlsx" in s.next_step and "make results" in s.next_step
               for s in trip["skipped"])


def test_one_draw_order_everywhere(trip):
    folder = trip["out"] / "05-评分表"
    with (folder / "抽签顺序.csv").open(encoding="utf-8-sig") as fh:
        draw = [(r["报名序号"], r["职位代码"]) for r in csv.DictReader(fh)]
    ws = openpyxl.load_workbook(folder / "评分录入.xlsx")["专家评委"]
    assert [(r[0], r[2]) for r in ws.iter_rows(min_row=2, values_only=True)] == draw
    names = [r[1] for r in ws.iter_rows(min_row=2, values_only=True)]
    # a judge's 评分表 lists the candidates in the same order as the csv
    for paper in (docx_text(next(folder.glob("评分表-Z01-*.docx"))),):
        found = [paper.index(n) for n in dict.fromkeys(names)]
        assert found == sorted(found)


def test_ballot_is_anonymous_and_has_the_five_items_and_four_grades(trip, tmp_path):
    # The sample has no 民主测评 round, so no 民主测评表; the county bureau example has one (per person).
    assert not (trip["out"] / "05-评分表" / "民主测评表.pdf").exists()
    campaign = tmp_path / "bureau"
    shutil.copytree(SAMPLE.parent / "examples" / "bureau", campaign)
    build(campaign, tmp_path / "out", ["scoresheets"], log=lambda m: None)
    text = pdf_text(tmp_path / "out" / "05-评分表" / "民主测评表.pdf")
    for word in ("德", "能", "勤", "绩", "廉", "优秀", "称职", "基本称职", "不称职", "不记名"):
        assert word in text
    assert "测评人" not in text and "签名" not in text


# ---------------------------------------------------------------- results


def test_hand_worked_candidate(trip):
    first = next(iter(trip["typed"]))
    row = next(r for r in trip["rows"] if (r["报名序号"], r["职位代码"]) == first)
    assert {g: row[g] for g in WEIGHTS} == HAND_MEANS
    assert row["总成绩"] == HAND_TOTAL


def test_every_total_agrees_with_the_independent_computation(trip):
    rows = {(r["报名序号"], r["职位代码"]): r for r in trip["rows"]}
    assert rows.keys() == trip["typed"].keys()
    for key, scores in trip["typed"].items():
        means, total = expected_total(scores)
        assert rows[key]["总成绩"] == str(total), key
        assert {g: rows[key][g] for g in WEIGHTS} == {g: str(m) for g, m in means.items()}, key


def test_csv_has_bom_and_the_published_columns(trip):
    raw = (trip["out"] / "results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(trip["rows"][0]) == ["职位代码", "报名序号", "姓名", *WEIGHTS, "总成绩", "名次", "考察对象", "备注"]


def test_calc_recomputes_every_total_to_the_cent(trip):
    summary = trip["calc"][SUMMARY_SHEET]
    ours = {(r["报名序号"], r["职位代码"]): D(r["总成绩"]) for r in trip["rows"]}
    assert len(summary) == len(ours)
    for r in summary:
        key = (r["报名序号"], r["职位代码"])
        assert half_up(D(r["总成绩（公式）"])) == ours[key], key
        for g in WEIGHTS:
            assert half_up(D(r[f"{g}（公式）"])) == half_up(D(r[g])), (key, g)
        assert r["核对"] == "一致"


def test_working_sheet_marks_one_of_two_equal_top_scores(trip):
    wb = openpyxl.load_workbook(trip["out"] / "results.xlsx")
    ws = wb["计算-专家评委"]
    first = next(iter(trip["typed"]))
    row = next(r for r in range(2, ws.max_row + 1) if (ws.cell(r, 2).value, ws.cell(r, 1).value) == first)
    fills = [ws.cell(row, c).fill.fgColor.rgb for c in range(4, 11)]
    # Z02 and Z03 both gave 92: only Z02 (earlier column) is dropped (red); Z04's 85 is the low (blue).
    assert fills.count("00FFC7CE") == 1 and fills[1] == "00FFC7CE"
    assert fills.count("00BDD7EE") == 1 and fills[3] == "00BDD7EE"
    assert ws.cell(row, 11).value == "Z02 92" and ws.cell(row, 12).value == "Z04 85"
    assert ws.cell(row, 17).value.startswith("=ROUND((SUM(D")


def test_tie_at_cutoff_is_left_to_the_committee(trip):
    tied = [r for r in trip["rows"] if r["职位代码"] == TIE_POST]
    assert len(tied) == 2 and {r["名次"] for r in tied} == {"1"}
    assert all(r["考察对象"] == "否" and "党委" in r["备注"] for r in tied)
    winners = [r for r in trip["rows"] if r["考察对象"] == "是"]
    assert len(winners) == 7  # 8 posts of one place each; the tied post has none picked


def test_results_papers_show_totals_and_ties(trip):
    folder = trip["out"] / "06-成绩汇总"
    text = pdf_text(folder / "成绩汇总表.pdf")
    for r in trip["rows"]:
        assert r["总成绩"] in text and r["姓名"] in text
    flat = text.replace("\n", "").replace(" ", "")
    assert "由院党委研究确定" in flat and "权重1.5" in flat  # the sample's party_committee_short (docs/reference.md, 单位类型)
    shortlist = pdf_text(folder / "考察对象名单.pdf")
    # A person with two posts is listed once, for the post 志愿 gave their place (pipeline.appointment.allocation).
    for name in {r["姓名"] for r in trip["rows"]}:
        mine = [r for r in trip["rows"] if r["姓名"] == name]
        assert (name in shortlist) == any(r["考察对象"] == "是" or r["职位代码"] == TIE_POST for r in mine), name


def test_double_entry_mismatch_is_reported_and_nothing_written(trip, tmp_path):
    campaign, out = tmp_path / "campaign", tmp_path / "out"
    shutil.copytree(trip["campaign"], campaign)
    wb = openpyxl.load_workbook(campaign / "评分录入.xlsx")
    ws = wb["党委成员"]
    ws["E3"] = ws["E3"].value + 1  # the second typist slipped on one cell
    wb.save(campaign / "评分录入-复核.xlsx")
    with pytest.raises(InputErrors) as caught:
        build(campaign, out, ["results"], log=lambda m: None)
    [problem] = caught.value.problems
    assert problem.sheet == "党委成员" and problem.cell == "E3" and problem.column == "D02"
    assert "第一遍录入" in problem.message and "复核录入" in problem.message
    assert not (out / "results.csv").exists() and not (out / "06-成绩汇总").exists()


def test_formula_injection_name_comes_out_as_text(tmp_path):
    evil = '=HYPERLINK("http://example.com","点我")'
    scheme = ScoringScheme(groups=(JudgeGroup("专家评委", D(1), 3),))
    a, b = Candidate("01", evil, "01"), Candidate("02", "王明", "01")
    entry = ScoreEntry(scores={"专家评委": {a.key: (("Z1", D(90)), ("Z2", D(80)), ("Z3", D(85))),
                                         b.key: (("Z1", D(70)), ("Z2", D(75)), ("Z3", D(72)))}})
    from pipeline.campaign.model import Post
    posts = [Post("01", "教务处", "教务处处长", "正职", 1)]
    results = compute_results(scheme, posts, [a, b], entry)
    path = tmp_path / "r.xlsx"
    path.write_bytes(results_workbook_bytes(scheme, posts, results))
    ws = openpyxl.load_workbook(path)[SUMMARY_SHEET]
    cell = ws["D2"]
    assert cell.value == evil and cell.data_type == "s" and cell.quotePrefix
    # Calc shows the text itself, not the link's caption that an evaluated formula would give.
    calc = calc_csv(path, tmp_path / "calc")
    assert calc[SUMMARY_SHEET][0]["姓名"] == evil
    from pipeline.papers.common import csv_bytes  # every CSV field is neutralised where the CSV is written

    back = list(csv.reader(csv_bytes(*results_csv_rows(scheme, results)).decode("utf-8-sig").splitlines()))
    assert back[1][2] == "'" + evil


def test_written_exam_interview_and_bonus_formulas_recompute_in_calc(tmp_path):
    # 笔试 40% + 面试 60% (面试 = the judges' composite), 加分 added after rounding (scoring.py step 3).
    # 甲: 专家评委 90 80 85 → 85.00; 党委成员 88 86 70 → 86.00; 面试 = (2×85 + 1×86)/3 = 85.333… → 85.33
    #     total = (40×78.5 + 60×85.33)/100 = (3140 + 5119.8)/100 = 82.598 → 82.60, + 加分 1.5 = 84.10
    from pipeline.scoring.scheme import BonusRule, Component
    from pipeline.campaign.model import Post

    scheme = ScoringScheme(groups=(JudgeGroup("专家评委", D(2), 3), JudgeGroup("党委成员", D(1), 3)),
                           components=(Component("笔试", "list", D(40)), Component("面试", "judges", D(60))),
                           bonus=BonusRule("加分", D(5)))
    a, b = Candidate("01", "甲", "01"), Candidate("02", "乙", "01")
    entry = ScoreEntry(
        scores={"专家评委": {a.key: (("Z1", D(90)), ("Z2", D(80)), ("Z3", D(85))),
                         b.key: (("Z1", D("77.5")), ("Z2", D(81)), ("Z3", D(79)))},
                "党委成员": {a.key: (("D1", D(88)), ("D2", D(86)), ("D3", D(70))),
                         b.key: (("D1", D(90)), ("D2", D("84.5")), ("D3", D(83)))}},
        lists={"笔试": {a.key: D("78.5"), b.key: D(91)}, "加分": {a.key: D("1.5"), b.key: D(0)}})
    posts = [Post("01", "教务处", "教务处处长", "正职", 1)]
    results = compute_results(scheme, posts, [a, b], entry)
    assert next(r for r in results if r.candidate is a).total == D("84.10")
    path = tmp_path / "r.xlsx"
    path.write_bytes(results_workbook_bytes(scheme, posts, results))
    summary = calc_csv(path, tmp_path / "calc")[SUMMARY_SHEET]
    ours = {r.candidate.name: r.total for r in results}
    assert {r["姓名"]: half_up(D(r["总成绩（公式）"])) for r in summary} == ours
    assert all(r["核对"] == "一致" for r in summary)


def test_ballot_points_and_veto_recompute_in_calc(tmp_path):
    # 面试 70% + 民主测评 30% (优秀100 称职80 基本称职60 不称职0), veto: 不称职 over 1/3 of valid ballots.
    # 甲: 6 优秀 3 称职 → (600+240)/9 = 93.333… → 93.33; 专家评委 90 80 85 → 85.00 = 面试;
    #     total = (70×85 + 30×93.33)/100 = (5950 + 2799.9)/100 = 87.499 → 87.50
    # 乙: 3 不称职 of 9 is exactly one third, not over it: not vetoed.  丙: 4 of 9 → vetoed.
    from pipeline.campaign.model import Post
    from pipeline.scoring.compute import BallotTally
    from pipeline.scoring.scheme import BallotRule, Component
    from fractions import Fraction

    scheme = ScoringScheme(groups=(JudgeGroup("专家评委", D(1), 3),),
                           components=(Component("面试", "judges", D(70)), Component("民主测评", "ballot", D(30))),
                           ballot=BallotRule(veto_over=Fraction(1, 3)))
    people = [Candidate(str(i), n, "01") for i, n in enumerate(("甲", "乙", "丙"), 1)]
    marks = ((D(90), D(80), D(85)), (D(70), D(75), D(72)), (D(95), D(90), D(93)))
    tallies = ((6, 3, 0, 0), (2, 3, 1, 3), (1, 2, 2, 4))
    entry = ScoreEntry(
        scores={"专家评委": {c.key: tuple((f"Z{j}", s) for j, s in enumerate(m, 1)) for c, m in zip(people, marks)}},
        ballots={c.key: BallotTally(dict(zip(("优秀", "称职", "基本称职", "不称职"), t))) for c, t in zip(people, tallies)})
    posts = [Post("01", "教务处", "教务处处长", "正职", 1)]
    results = compute_results(scheme, posts, people, entry)
    by_name = {r.candidate.name: r for r in results}
    assert by_name["甲"].total == D("87.50") and by_name["甲"].inspection
    assert not by_name["乙"].vetoed and by_name["丙"].vetoed
    path = tmp_path / "r.xlsx"
    path.write_bytes(results_workbook_bytes(scheme, posts, results))
    summary = {r["姓名"]: r for r in calc_csv(path, tmp_path / "calc")[SUMMARY_SHEET]}
    assert summary["甲"]["民主测评得分（公式）"] == "93.33"
    assert {n: r["否决（公式）"] for n, r in summary.items()} == {"甲": "", "乙": "", "丙": "否决"}
    assert {n: half_up(D(r["总成绩（公式）"])) for n, r in summary.items()} == {n: r.total for n, r in by_name.items()}
    assert all(r["核对"] == "一致" for r in summary.values())
