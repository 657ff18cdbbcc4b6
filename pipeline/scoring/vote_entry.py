"""民主推荐.xlsx: the blank vote workbook out, the clerk's counts in, double entry compared; 得票率.

民主推荐 (会议推荐) counts recommendation votes: 得票率 = 推荐票 ÷ 有效票 (seed 4, the district economic
commission: docs/reference.md, 样本来源). The workbook has two sheets:
- 「推荐票」: one row per candidacy (报名序号, 姓名, 职位代码, 推荐票数) in draw order, or, when the campaign
  recommends per person, one row per person (报名序号, 姓名, 推荐票数);
- 「有效票」: one row per post with candidates (职位代码, 职位名称, 有效票数), or per person a single row whose
  职位代码 is “全部”.
A second typed copy 民主推荐-复核.xlsx is compared cell by cell before anything is read
(docs/reference.md, 双人录入).

The counts are whole numbers; a blank is not read as 0 (the clerk types 0 for no votes), so a row skipped
while typing is found rather than counted as nobody's choice.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Sequence

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.campaign.cleaning import CellError, parse_name
from pipeline.campaign.model import Post
from pipeline.engine.xlsx_safe import safe_cell
from pipeline.engine.xlsx_style import save_atomic
from pipeline.errors import InputErrors, Problem, ProblemCollector
from pipeline.scoring.compute import Candidate, Key, round_half_up
from pipeline.scoring.score_entry import (FIXED_HEADERS, HELP_SHEET, SheetReader, blank_hint, cell_text,
                                          open_workbook, write_candidate_rows, write_header_row)

VOTE_FILE = "民主推荐.xlsx"
VOTE_SECOND_ENTRY_FILE = "民主推荐-复核.xlsx"  # the second typed copy (双人录入)
VOTES_SHEET = "推荐票"
VALID_SHEET = "有效票"
VOTES_HEADER = "推荐票数"
VALID_HEADER = "有效票数"
PERSON_HEADERS = ("报名序号", "姓名", VOTES_HEADER)
CANDIDACY_HEADERS = FIXED_HEADERS + (VOTES_HEADER,)
VALID_HEADERS = ("职位代码", "职位名称", VALID_HEADER)
ALL_POSTS = "全部"  # the 职位代码 of the single 有效票 row when the recommendation is per person


@dataclass(frozen=True)
class VoteTally:
    """民主推荐 for one candidacy (or one person): the recommendation votes and the valid ballots they count in."""

    votes: int
    valid: int


# ---------------------------------------------------------------- 得票率 (pure)


def vote_share(tally: VoteTally, decimals: int = 2) -> Decimal:
    """得票率 as a percentage, rounded half up: 37 of 52 = 71.153846…% → 71.15.

    This is the published figure and the round's points out of 100. It is computed from the exact fraction
    (never binary floating point), so 1 of 8 = 12.5% exactly and 1 of 3 = 33.333…% → 33.33.
    """
    if tally.valid <= 0:
        raise ValueError("有效票数为 0，无法计算得票率")
    return round_half_up(Fraction(tally.votes * 100, tally.valid), decimals)


def meets_share(tally: VoteTally, threshold: Fraction) -> bool:
    """Whether the 得票率 reaches the threshold (campaign.toml vote_share = "1/2").

    “达到1/2” and “1/2以上” include the number itself, and “低于1/2不列为人选” leaves exactly 1/2 in
    (民法典 第一千二百五十九条: 以上 includes, 低于 does not; docs/reference.md#计数用语), so the test is ≥.
    It compares the EXACT fraction votes/valid, in whole numbers (votes × denominator ≥ numerator × valid),
    never the rounded percentage: 19999 of 40000 is 49.9975%, published as 50.00, yet it does not reach 1/2.
    """
    if tally.valid <= 0:
        raise ValueError("有效票数为 0，无法比较得票率")
    return tally.votes * threshold.denominator >= threshold.numerator * tally.valid


# ---------------------------------------------------------------- the blank workbook


def persons(candidates: Sequence[Candidate]) -> list[Candidate]:
    """One candidate per 报名序号, in order of first appearance (the draw order of the first post they are in)."""
    seen: dict[str, Candidate] = {}
    for cand in candidates:
        seen.setdefault(cand.number, cand)
    return list(seen.values())


def voted_posts(candidates: Sequence[Candidate], posts: Sequence[Post]) -> list[tuple[str, str]]:
    """(职位代码, 职位名称) of the posts that have candidates, in 职位表 order: each needs its 有效票数.

    A candidate's post missing from posts still gets its row (title blank), so its votes are never dropped unread.
    """
    codes = list(dict.fromkeys(c.post_code for c in candidates))
    known = [(p.code, p.title) for p in posts if p.code in codes]
    listed = {code for code, _ in known}
    return known + [(code, "") for code in codes if code not in listed]


def write_vote_workbook(dest: Path, candidates: Sequence[Candidate], posts: Sequence[Post],
                        per_person: bool = False) -> Path:
    """Write the blank 民主推荐.xlsx to dest (fixed zip timestamps: same input, same bytes)."""
    return save_atomic(vote_workbook(candidates, posts, per_person), dest)


def _count_validation(ws, col: int, rows: int) -> None:
    if rows == 0:
        return
    letter = get_column_letter(col)
    dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                        showErrorMessage=True, errorTitle="票数有误", error="请输入 0 或正整数（票数）。")
    dv.add(f"{letter}2:{letter}{rows + 1}")
    ws.add_data_validation(dv)
    for row in range(2, rows + 2):
        ws.cell(row=row, column=col).number_format = "0"


def vote_workbook(candidates: Sequence[Candidate], posts: Sequence[Post], per_person: bool = False) -> openpyxl.Workbook:
    """The blank 民主推荐.xlsx: 「推荐票」 (a row per candidacy in draw order, or per person), 「有效票」, 填表说明."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = VOTES_SHEET
    if per_person:
        people = persons(candidates)
        write_header_row(ws, PERSON_HEADERS)
        for row, cand in enumerate(people, start=2):
            for col, value in enumerate((cand.number, cand.name), start=1):
                safe_cell(ws.cell(row=row, column=col), value).number_format = "@"
        ws.freeze_panes = "C2"
        _count_validation(ws, 3, len(people))
    else:
        write_header_row(ws, CANDIDACY_HEADERS)
        write_candidate_rows(ws, candidates)
        _count_validation(ws, 4, len(candidates))
    valid = wb.create_sheet(VALID_SHEET)
    write_header_row(valid, VALID_HEADERS)
    valid.freeze_panes = "C2"
    valid.column_dimensions["B"].width = 18
    rows = [(ALL_POSTS, "全部职位")] if per_person else voted_posts(candidates, posts)
    for row, (code, title) in enumerate(rows, start=2):
        for col, value in enumerate((code, title), start=1):
            safe_cell(valid.cell(row=row, column=col), value).number_format = "@"
    _count_validation(valid, 3, len(rows))
    _help_sheet(wb.create_sheet(HELP_SHEET), per_person)
    return wb


def _help_sheet(ws, per_person: bool) -> None:
    who = "每位报名人一行（按人推荐，不分职位）" if per_person else "每位人选每个职位一行（按职位、抽签顺序）"
    valid = ("只有一行（职位代码“全部”），填有效推荐票数（废票不计）" if per_person
             else "每个有人选的职位一行，填该职位的有效推荐票数（废票不计）")
    lines = [f"「{VOTES_SHEET}」：{who}，在“{VOTES_HEADER}”列填得到的推荐票数；没有得票请填 0，不要留空。",
             f"「{VALID_SHEET}」：{valid}；推荐票数不能多于有效票数，有效票数不能为 0。",
             "得票率 = 推荐票数 ÷ 有效票数，由程序计算，四舍五入保留两位小数，以百分数公布；"
             "是否达到得票率要求，按未经舍入的票数比较。",
             "请只填票数（0 或正整数），不要增删行列，不要改表头。",
             f"建议两人各录一遍：第一遍存为 {VOTE_FILE}，第二遍存为 {VOTE_SECOND_ENTRY_FILE}，程序会逐格比对。"]
    for row, text in enumerate(lines, start=1):
        ws.cell(row=row, column=1, value=text)
    ws.column_dimensions["A"].width = 12


# ---------------------------------------------------------------- reading


def parse_votes(value: Any, blank: str) -> tuple[int | None, str | None]:
    """Return (count, None) or (None, what is wrong in words) for one typed count; blank says what to do if empty."""
    text = cell_text(value)
    if text == "":
        return None, blank
    if isinstance(value, bool):
        return None, f"“{text}”不是票数，请填 0 或正整数"
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, f"“{text}”不是票数，请填 0 或正整数"
    if not number.is_finite():
        return None, f"“{text}”不是票数，请填 0 或正整数"
    if number < 0:
        return None, f"票数不能是负数（“{text}”），请填 0 或正整数"
    if number != number.to_integral_value():
        return None, f"票数应为整数（“{text}”），请填 0 或正整数"
    return int(number), None


class _Sheet:
    """Located problems on one sheet, worded as SheetReader words them (file, sheet, cell, column header)."""

    def __init__(self, file: str, ws, problems: ProblemCollector):
        self.file, self.ws, self.problems = file, ws, problems
        self.headers = [cell_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())]

    def fail(self, message: str, row: int | None = None, col: int | None = None, code: str = "invalid") -> None:
        cell = f"{get_column_letter(col)}{row}" if row and col else None
        header = self.headers[col - 1] if col and col <= len(self.headers) else None
        self.problems.add(Problem(file=self.file, sheet=self.ws.title, row=row, cell=cell, column=header,
                                  message=message, code=code))

    def text(self, row: int, col: int) -> str:
        return cell_text(self.ws.cell(row=row, column=col).value)

    def rows(self, cols: int) -> Iterable[int]:
        """The rows with anything in their first cols columns (a blank row between them is no problem)."""
        for row in range(2, self.ws.max_row + 1):
            if any(self.text(row, col) for col in range(1, cols + 1)):
                yield row

    def count(self, row: int, col: int, blank: str) -> int | None:
        votes, why = parse_votes(self.ws.cell(row=row, column=col).value, blank)
        if why:
            self.fail(why, row, col, code="bad-count")
        return votes


def _person_rows(sheet: _Sheet, candidates: Sequence[Candidate]) -> dict[str, int]:
    """Map 报名序号 → row on a per-person 推荐票 sheet; SheetReader needs a 职位代码 column, this layout has none."""
    people = persons(candidates)
    known = {c.number: c for c in people}
    written = {c.name for c in people}
    found: dict[str, int] = {}
    for row in sheet.rows(2):
        number, name = sheet.text(row, 1), sheet.text(row, 2)
        if name and name not in written:  # a 姓名 typed over is checked as every reader checks one
            try:
                parse_name(name)
            except CellError as err:
                sheet.fail(err.message, row, 2, code=err.code)
        if number not in known:
            sheet.fail(f"没有报名序号为 {number} 的考生（{name}），请核对", row, 1, code="unknown-candidate")
        elif number in found:
            sheet.fail(f"考生 {number} {name} 重复出现（另见第{found[number]}行）", row, 1, code="duplicate")
        else:
            found[number] = row
    for cand in people:
        if cand.number not in found:
            sheet.fail(f"缺少考生 {cand.number} {cand.name} 这一行，请补上", code="missing-candidate")
    return found


def _post_word(code: str, titles: dict[str, str]) -> str:
    return f"职位 {code} {titles[code]}" if titles.get(code) else f"职位 {code}"


def _read_valid(sheet: _Sheet, wanted: Sequence[tuple[str, str]], per_person: bool) -> dict[str, int | None]:
    """Read 有效票: 职位代码 → 有效票数 (None where it is wrong; the problem is recorded)."""
    if tuple(sheet.headers[:3]) != VALID_HEADERS:
        sheet.fail(f"表头应为 {'、'.join(VALID_HEADERS)}，请用程序生成的空表录入", row=1, code="bad-header")
        return {}
    titles = dict(wanted)  # every wanted code, its title possibly blank
    found: dict[str, int] = {}
    valid: dict[str, int | None] = {}
    for row in sheet.rows(3):
        code = sheet.text(row, 1)
        if code not in titles:
            if per_person:
                sheet.fail(f"按人推荐时本表只填一行，职位代码为“{ALL_POSTS}”；请删去职位代码为“{code}”的这一行",
                           row, 1, code="unknown-post")
            else:
                sheet.fail(f"职位代码“{code}”不是有人选参加民主推荐的职位，请删去这一行", row, 1, code="unknown-post")
            continue
        if code in found:
            sheet.fail(f"{_post_word(code, titles)} 重复出现（另见第{found[code]}行）", row, 1, code="duplicate")
            continue
        found[code] = row
        where = "" if per_person else f"{_post_word(code, titles)} 的"
        count = sheet.count(row, 3, f"缺少{where}有效票数，请按计票结果填写")
        if count == 0:
            sheet.fail(f"{where}有效票数为 0，无法计算得票率，请核对计票结果", row, 3, code="no-valid-votes")
            count = None
        valid[code] = count
    for code, title in wanted:
        if code not in found:
            what = f"职位代码为“{ALL_POSTS}”的一行" if per_person else f"{_post_word(code, titles)} 这一行"
            sheet.fail(f"缺少{what}，请补上并填有效票数", code="missing-post")
    return valid


def read_vote_tally(path: Path, candidates: Sequence[Candidate], posts: Sequence[Post],
                    per_person: bool = False) -> dict[Key, VoteTally]:
    """Read the filled 民主推荐.xlsx; raise InputErrors listing every problem found.

    The result is keyed by candidacy (报名序号, 职位代码) either way: per person, every post a person applied
    for carries that person's one tally, so a round reads its score by candidacy whatever the layout.
    """
    problems = ProblemCollector()
    wb = open_workbook(path)
    for name in (VOTES_SHEET, VALID_SHEET):
        if name not in wb.sheetnames:
            problems.add(Problem(file=path.name, sheet=name, code="missing-sheet",
                                 message="缺少这张工作表，请用程序生成的空表录入"))
    problems.raise_if_any()
    wanted = [(ALL_POSTS, "全部职位")] if per_person else voted_posts(candidates, posts)
    titles = {code: title for code, title in wanted if title}
    valid = _read_valid(_Sheet(path.name, wb[VALID_SHEET], problems), wanted, per_person)
    tallies: dict[Key, VoteTally] = {}
    blank = f"缺少{VOTES_HEADER}，没有得票请填 0"
    if per_person:
        sheet = _Sheet(path.name, wb[VOTES_SHEET], problems)
        if tuple(sheet.headers[:3]) != PERSON_HEADERS:
            sheet.fail(f"表头应为 {'、'.join(PERSON_HEADERS)}，请用程序生成的空表录入", row=1, code="bad-header")
            problems.raise_if_any()
        rows = _person_rows(sheet, candidates)
        total = valid.get(ALL_POSTS)
        by_person: dict[str, VoteTally] = {}
        for number, row in rows.items():
            votes = sheet.count(row, 3, blank)
            if votes is None or total is None:
                continue
            if votes > total:
                sheet.fail(f"{VOTES_HEADER} {votes} 多于有效票数 {total}，请核对", row, 3, code="votes-over-valid")
                continue
            by_person[number] = VoteTally(votes, total)
        tallies = {c.key: by_person[c.number] for c in candidates if c.number in by_person}
    else:
        reader = SheetReader(path.name, wb[VOTES_SHEET], candidates, problems)
        if tuple(reader.headers[3:4]) != (VOTES_HEADER,) and reader.rows:
            reader.fail(f"第四列表头应为“{VOTES_HEADER}”", row=1, col=4, code="bad-header")
            problems.raise_if_any()
        for (number, post), row in reader.rows.items():
            votes, why = parse_votes(reader.ws.cell(row=row, column=4).value, blank)
            if why:
                reader.fail(why, row, 4, code="bad-count")
                continue
            total = valid.get(post)
            if total is None:
                continue
            if votes > total:
                reader.fail(f"{VOTES_HEADER} {votes} 多于{_post_word(post, titles)} 的有效票数 {total}，请核对",
                            row, 4, code="votes-over-valid")
                continue
            tallies[(number, post)] = VoteTally(votes, total)
    problems.raise_if_any()
    return tallies


# ---------------------------------------------------------------- double entry


def _same(a: Any, b: Any) -> bool:
    """Two typed cells agree as values: 37, 37.0 and "37" agree; blanks agree."""
    ta, tb = cell_text(a), cell_text(b)
    try:
        return Decimal(ta) == Decimal(tb)
    except InvalidOperation:
        return ta == tb


def _shown(value: Any) -> str:
    return f"“{cell_text(value)}”" if cell_text(value) else "（空白）"


def _compare_sheet(ws_a, ws_b, file_b: str) -> Iterable[Problem]:
    headers = [cell_text(c.value) for c in next(ws_a.iter_rows(min_row=1, max_row=1), ())]
    for row in range(1, max(ws_a.max_row, ws_b.max_row) + 1):
        first = " ".join(cell_text(ws_a.cell(row=row, column=c).value) for c in (1, 2)).strip() or f"第{row}行"
        who = f"职位 {first}" if ws_a.title == VALID_SHEET else f"考生 {first}"
        for col in range(1, max(ws_a.max_column, ws_b.max_column) + 1):
            a, b = ws_a.cell(row=row, column=col).value, ws_b.cell(row=row, column=col).value
            if _same(a, b):
                continue
            header = headers[col - 1] if col <= len(headers) else get_column_letter(col)
            where = "表头" if row == 1 else f"{who}，{header}" if header in (VOTES_HEADER, VALID_HEADER) else who
            yield Problem(file=file_b, sheet=ws_a.title, row=row, cell=f"{get_column_letter(col)}{row}",
                          column=header, code="double-entry-mismatch",
                          message=f"{where}：第一遍录入为{_shown(a)}，复核录入为{_shown(b)}，请对照计票结果改正后再计算得票率")


def compare_vote_entries(a: Path, b: Path) -> list[Problem]:
    """List every cell where the two typed copies differ (sheet, candidate or post, both values).

    score_entry.compare_entries words every row as a 考生 and names a column only past the third; here the
    有效票 rows are posts and the per-person count is the third column, hence this small copy of it.
    """
    wa, wb = open_workbook(a), open_workbook(b)
    problems = []
    for name in wa.sheetnames + [n for n in wb.sheetnames if n not in wa.sheetnames]:
        if name == HELP_SHEET:
            continue
        if name not in wa.sheetnames or name not in wb.sheetnames:
            missing = a.name if name not in wa.sheetnames else b.name
            problems.append(Problem(file=missing, sheet=name, code="double-entry-mismatch",
                                    message=f"两份录入的工作表不一致：{missing} 中缺少这张表"))
            continue
        problems.extend(_compare_sheet(wa[name], wb[name], b.name))
    return problems


def load_votes(campaign_dir: Path, candidates: Sequence[Candidate], posts: Sequence[Post],
               per_person: bool = False) -> dict[Key, VoteTally]:
    """Read 民主推荐.xlsx from the campaign folder, after comparing it with 民主推荐-复核.xlsx if present."""
    first, second = campaign_dir / VOTE_FILE, campaign_dir / VOTE_SECOND_ENTRY_FILE
    if not first.exists():
        raise InputErrors([Problem(file=VOTE_FILE, code="missing-file",
                                   message=f"本次评分办法要用民主推荐结果，但找不到已录入的民主推荐票数表；"
                                           f"{blank_hint(VOTE_FILE)}，录入票数后放进 campaign 文件夹")])
    if second.exists():
        differences = compare_vote_entries(first, second)
        if differences:
            raise InputErrors(differences)
    return read_vote_tally(first, candidates, posts, per_person)
