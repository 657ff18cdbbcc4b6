"""results.xlsx and results.csv: the working a supervisor re-checks, with formulas that recompute it.

results.xlsx: sheet 成绩汇总 (one row per candidate: our published figures, then Excel/Calc formulas that
recompute every group score and total from the raw scores, and a 核对 column), and one 计算-<评委组> sheet per
judge group (every judge's score; the dropped highest in red, the dropped lowest in blue; kept sum and count;
our mean beside ROUND((SUM-MAX-MIN)/(COUNT-2),2)). Every text we did not write ourselves goes through
xlsx_safe.safe_cell (formula injection), every CSV field through papers.csv_bytes; the only formulas are ours.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Sequence

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.scoring.scheme_text import parts, row_note, weight_text
from pipeline.campaign.model import Post
from pipeline.scoring.compute import CandidateResult, GroupScore
from pipeline.scoring.scheme import JudgeGroup, ScoringScheme
from pipeline.engine.xlsx_safe import safe_cell
from pipeline.engine.xlsx_style import workbook_bytes

SUMMARY_SHEET = "成绩汇总"
HIGH_FILL = PatternFill("solid", fgColor="FFC7CE")  # dropped highest score
LOW_FILL = PatternFill("solid", fgColor="BDD7EE")  # dropped lowest score
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SCORE_FORMAT = "0.00"


def working_sheet_name(group: str) -> str:
    """Sheet name of a group's working: 计算-专家评委 (Excel forbids []:*?/\\ and more than 31 characters)."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in group)
    return f"计算-{clean}"[:31]


def _header(ws, headers: Sequence[str]) -> None:
    for col, text in enumerate(headers, start=1):
        c = safe_cell(ws.cell(row=1, column=col), text)
        c.font, c.fill, c.alignment = Font(bold=True), HEADER_FILL, Alignment(horizontal="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.freeze_panes = "D2"


def _number(cell, value: Decimal | None, fmt: str = SCORE_FORMAT):
    cell.value = value
    cell.number_format = fmt
    return cell


def trimmed_mean_formula(group: JudgeGroup, cells: str, places: int) -> str:
    """ROUND((SUM-MAX-MIN)/(COUNT-2),2) for seed 5; LARGE/SMALL terms when more are dropped."""
    high = [f"-MAX({cells})"] if group.drop_highest == 1 else [
        f"-LARGE({cells},{k})" for k in range(1, group.drop_highest + 1)]
    low = [f"-MIN({cells})"] if group.drop_lowest == 1 else [
        f"-SMALL({cells},{k})" for k in range(1, group.drop_lowest + 1)]
    terms = high + low
    dropped = group.drop_highest + group.drop_lowest
    return f"=ROUND((SUM({cells}){''.join(terms)})/(COUNT({cells})-{dropped}),{places})"


def write_group_sheet(ws, group: JudgeGroup, results: Sequence[CandidateResult], places: int) -> str:
    """Write one group's working; return the column letter of its formula mean (rows follow `results`)."""
    first = next(g for g in results[0].groups if g.group == group.name) if results else None
    judges = [j for j, _ in first.scores] if first else []
    n = len(judges)
    tail = ("去掉的最高分", "去掉的最低分", "保留分数之和", "保留个数", "平均分", "权重", "平均分（公式）")
    _header(ws, ("职位代码", "报名序号", "姓名", *judges, *tail))
    last_judge = get_column_letter(3 + n)
    for row, result in enumerate(results, start=2):
        g: GroupScore = next(x for x in result.groups if x.group == group.name)
        for col, value in enumerate((result.candidate.post_code, result.candidate.number, result.candidate.name), 1):
            safe_cell(ws.cell(row=row, column=col), value)
        marks = dict(g.scores)
        for col, judge in enumerate(judges, start=4):
            c = _number(ws.cell(row=row, column=col), marks.get(judge), "0.0")
            if judge in g.dropped_high or judge in g.dropped_low:
                c.fill = HIGH_FILL if judge in g.dropped_high else LOW_FILL
        dropped = lambda who: "、".join(f"{j} {marks[j]}" for j in who)  # noqa: E731
        safe_cell(ws.cell(row=row, column=4 + n), dropped(g.dropped_high))
        safe_cell(ws.cell(row=row, column=5 + n), dropped(g.dropped_low))
        _number(ws.cell(row=row, column=6 + n), g.kept_sum, "0.0#")
        _number(ws.cell(row=row, column=7 + n), Decimal(g.kept_count), "0")
        _number(ws.cell(row=row, column=8 + n), g.mean)
        _number(ws.cell(row=row, column=9 + n), g.weight, "General")
        formula = trimmed_mean_formula(group, f"D{row}:{last_judge}{row}", places)
        _number(ws.cell(row=row, column=10 + n), None).value = formula
    return get_column_letter(10 + n)


def _weighted_formula(pairs: Sequence[tuple[Decimal, str]], places: int) -> str:
    """ROUND((4*E2+3*F2+…)/10,2): a weighted mean of cells, as scoring.weighted_mean computes it."""
    total = sum((w for w, _ in pairs), Decimal(0))
    body = "+".join(f"{weight_text(w)}*{ref}" for w, ref in pairs)
    return f"ROUND(({body})/{weight_text(total)},{places})"


class SummaryLayout:
    """Column letters of the 成绩汇总 sheet: our figures first, then the recomputing formulas."""

    def __init__(self, scheme: ScoringScheme):
        self.scheme = scheme
        self.headers: list[str] = []
        self.col: dict[str, str] = {}
        for name in ("职位代码", "职位名称", "报名序号", "姓名", *[n for n, _ in parts(scheme)],
                     "总成绩", "名次", "考察对象", "备注", *[f"{g.name}（公式）" for g in scheme.groups]):
            self.add(name)
        if scheme.ballot:
            for grade in scheme.ballot.grades:
                self.add(f"{grade}票")
            self.add("民主测评得分（公式）")
            if scheme.ballot.veto_over is not None:
                self.add("否决（公式）")
        self.judges = next((c for c in scheme.components if c.source == "judges"), None)
        if self.judges:
            self.add(f"{self.judges.name}（公式）")
        self.add("总成绩（公式）")
        self.add("核对")

    def add(self, header: str) -> None:
        self.headers.append(header)
        self.col[header] = get_column_letter(len(self.headers))

    def ref(self, header: str, row: int) -> str:
        return f"{self.col[header]}{row}"


def _ballot_cells(ws, lay: SummaryLayout, r: CandidateResult, row: int) -> str:
    """Write the tally and the formulas for 民主测评 points and veto; return the points formula's cell."""
    rule = lay.scheme.ballot
    counts = [lay.ref(f"{g}票", row) for g in rule.grades]
    for grade, ref in zip(rule.grades, counts):
        ws[ref] = r.ballot.counts.get(grade, 0) if r.ballot else None
    valid = f"SUM({counts[0]}:{counts[-1]})"
    points = "+".join(f"{weight_text(rule.points[g])}*{ref}" for g, ref in zip(rule.grades, counts))
    cell = lay.ref("民主测评得分（公式）", row)
    _number(ws[cell], None).value = f'=IF({valid}=0,"",ROUND(({points})/{valid},{lay.scheme.decimals}))'
    if rule.veto_over is not None:
        # 超过 = strictly more (民法典 第一千二百五十九条), compared in whole numbers: votes×den > num×valid.
        veto = counts[rule.grades.index(rule.veto_grade)]
        frac = rule.veto_over
        ws[lay.ref("否决（公式）", row)] = (f'=IF({veto}*{frac.denominator}>{frac.numerator}*{valid},'
                                          f'"否决","")')
    return cell


def _summary_row(ws, lay: SummaryLayout, r: CandidateResult, row: int, title: str,
                 formula_cols: dict[str, str], committee: str = "党委") -> None:
    scheme = lay.scheme
    for header, value in (("职位代码", r.candidate.post_code), ("职位名称", title),
                          ("报名序号", r.candidate.number), ("姓名", r.candidate.name)):
        safe_cell(ws[lay.ref(header, row)], value)
    for name, _ in parts(scheme):
        _number(ws[lay.ref(name, row)], r.part(name))
    _number(ws[lay.ref("总成绩", row)], r.total)
    ws[lay.ref("名次", row)] = r.rank
    safe_cell(ws[lay.ref("考察对象", row)], "是" if r.inspection else "否")
    safe_cell(ws[lay.ref("备注", row)], row_note(r, scheme.ballot, committee))
    for g in scheme.groups:
        _number(ws[lay.ref(f"{g.name}（公式）", row)], None).value = \
            f"='{working_sheet_name(g.name)}'!{formula_cols[g.name]}{row}"
    ballot_cell = _ballot_cells(ws, lay, r, row) if scheme.ballot else None
    formula = _weighted_formula([(g.weight, lay.ref(f"{g.name}（公式）", row)) for g in scheme.groups],
                                scheme.decimals)
    if lay.judges:
        judges_cell = lay.ref(f"{lay.judges.name}（公式）", row)
        _number(ws[judges_cell], None).value = "=" + formula
        source = {"judges": judges_cell, "ballot": ballot_cell}
        cells = [(c.weight, source.get(c.source) or lay.ref(c.name, row)) for c in scheme.components]
        if scheme.total == "last":  # the last round alone (compute.score_candidate)
            formula = cells[-1][1]
        else:  # a round of weight 0 only shortlisted or vetoed: it is not in the formula (its cell may be blank)
            formula = _weighted_formula([(w, ref) for w, ref in cells if w], scheme.decimals)
    if scheme.bonus:
        formula += f"+{lay.ref(scheme.bonus.name, row)}"
    total = lay.ref("总成绩（公式）", row)
    _number(ws[total], None).value = "=" + formula
    ws[lay.ref("核对", row)] = f'=IF(ROUND({lay.ref("总成绩", row)}-{total},2)=0,"一致","不一致")'


def write_summary_sheet(ws, scheme: ScoringScheme, posts: Sequence[Post], results: Sequence[CandidateResult],
                        formula_cols: dict[str, str], committee: str = "党委") -> None:
    """One row per candidate: our figures, then formulas recomputing them from the working sheets.

    committee: who decides a tie at the cut, as the 备注 names it (organisation.committee)."""
    titles = {p.code: p.title for p in posts}
    lay = SummaryLayout(scheme)
    _header(ws, lay.headers)
    for row, r in enumerate(results, start=2):
        _summary_row(ws, lay, r, row, titles.get(r.candidate.post_code, ""), formula_cols, committee)


def results_workbook_bytes(scheme: ScoringScheme, posts: Sequence[Post], results: Sequence[CandidateResult],
                           committee: str = "党委") -> bytes:
    """Build results.xlsx and return its bytes (same results, same bytes)."""
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    formula_cols = {}
    for group in scheme.groups:
        ws = wb.create_sheet(working_sheet_name(group.name))
        formula_cols[group.name] = write_group_sheet(ws, group, results, scheme.decimals)
    write_summary_sheet(summary, scheme, posts, results, formula_cols, committee)
    legend = wb.create_sheet("说明")
    for row, text in enumerate((
            "“成绩汇总”表左边是公布的成绩，右边带“（公式）”的各列由 Excel/WPS 公式根据各“计算-”表中的原始打分重新计算，“核对”列应全部为“一致”。",
            "各“计算-”表：红色底纹为去掉的最高分，蓝色底纹为去掉的最低分（两位评委同为最高分时只去掉一个，取靠前的一列）。",
            "平均分＝（分数之和－最高分－最低分）÷（评委人数－2），保留两位小数，四舍五入。"), start=1):
        legend.cell(row=row, column=1, value=text)
    return workbook_bytes(wb)


def results_csv_rows(scheme: ScoringScheme, results: Sequence[CandidateResult],
                     committee: str = "党委") -> tuple[list[str], list[list]]:
    """Header and rows of results.csv: 职位代码, 报名序号, 姓名, each part, 总成绩, 名次, 考察对象, 备注."""
    cols = parts(scheme)
    header = ["职位代码", "报名序号", "姓名", *[n for n, _ in cols], "总成绩", "名次", "考察对象", "备注"]
    rows = []
    for r in results:
        values = [r.part(n) for n, _ in cols]
        rows.append([r.candidate.post_code, r.candidate.number, r.candidate.name,
                     *["" if v is None else f"{v:.{scheme.decimals}f}" for v in values],
                     f"{r.total:.{scheme.decimals}f}", "" if r.rank is None else r.rank,
                     "是" if r.inspection else "否", row_note(r, scheme.ballot, committee)])
    return header, rows
