"""The committee's decisions (任职决定.xlsx): whom it appointed to which post, or, without the file, a proposal.

docs/reference.md, 任用: the party committee decides among the 考察对象 of each post;
a name outside them is a located input error. Without the file the build proposes the top 考察对象 of
each post (as many as the post has places) and every paper marks them as 拟任 proposals.
The results read here are those of the allocation across posts (pipeline.appointment.allocation): a person is a
考察对象 of one post at most (the highest 志愿 they reached), the next candidate of a post they left is one
instead, and a 调剂 placement is a 考察对象 of the post it fills; so the committee may appoint what the
allocation proposes, the next candidate included.
试用期 (docs/reference.md, 试用期): a newly promoted cadre serves a probation
(一般为一年; campaign.toml [documents] probation_months).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from pipeline.errors import InputErrors, Problem, ProblemCollector
from pipeline.campaign.model import Applicant, CampaignData, Post
from pipeline.campaign.cleaning import CellError, parse_identifier, parse_name
from pipeline.campaign.columns import DECISIONS, blank_hint
from pipeline.campaign.org_kinds import OrgKind, load_org_kinds
from pipeline.campaign.post_levels import level_of_post, newly_promoted
from pipeline.scoring.compute import CandidateResult

DECISION_FILE, DECISION_SHEET = DECISIONS.file, DECISIONS.sheet
HEADERS = tuple(c.header for c in DECISIONS.columns)
YES, NO = DECISIONS.column("newly_promoted").choices
# Where a clerk finds the blank (pipeline/campaign/blank_workbooks.py, make input-templates).
BLANK_HINT = blank_hint(DECISION_FILE)
# The level a 中层 post carries when neither its 职位表 row (职位层级) nor campaign.toml ([documents] post_levels)
# says it is its kind's principal_level / deputy_level in templates/单位类型.toml (docs/reference.md, 单位类型 and
# 试用期): in a college 正处级/副处级, elsewhere 正科级/副科级 (a township's 站所长 is often 股级: such a
# campaign writes post_levels).


@dataclass(frozen=True)
class Appointment:
    """One appointment: an applicant to a post, newly promoted or not; proposed when nobody decided yet."""

    applicant: Applicant
    post: Post
    newly_promoted: bool
    proposed: bool = False
    row: int | None = None  # row of 任职决定.xlsx


def post_level(kind: str | OrgKind, post: Post, category_levels: Mapping[str, str] | None = None) -> str:
    """The level `post` carries: its 职位层级, else campaign.toml's for its category, else the kind's.

    kind: the campaign's OrgKind (organisation.kind_words), or a code of the program's own 单位类型.toml.
    """
    if isinstance(kind, str):
        kind = load_org_kinds()[kind]
    return level_of_post(post.category, post.level, category_levels or {}, kind.post_levels())


def presumed_promotion(kind: str | OrgKind, applicant: Applicant, post: Post,
                       category_levels: Mapping[str, str] | None = None) -> bool:
    """Presume 新提任 by comparing the applicant's 现职级 with the post's level (docs/reference.md, 试用期).

    A post at a rank's level: 新提任 iff the 现职级 corresponds to a lower level. A post at 股级 or 副股级 is no
    领导职务 level, so no appointment to it is presumed 新提任 (pipeline.campaign.post_levels).
    """
    return newly_promoted(applicant.rank, post_level(kind, post, category_levels))


def _proposal_order(r: CandidateResult) -> tuple:
    """Ranked 考察对象 by rank; 调剂 placements (not ranked on the post) after them, by total (allocation rule 3)."""
    return (r.reassigned, r.rank if r.rank is not None else 0, -r.total)


def propose(data: CampaignData, results: Sequence[CandidateResult]) -> list[Appointment]:
    """Propose the best 考察对象 of each post as allocated, up to its places (no 任职决定.xlsx).

    The allocation makes a person a 考察对象 of one post at most; `taken` still guards a result list that was not
    allocated (nobody is proposed for two posts).
    """
    people = {a.number: a for a in data.applicants}
    levels = dict(data.campaign.settings.documents.post_levels)
    taken: set[str] = set()
    out = []
    for post in data.posts:
        ranked = sorted((r for r in results if r.candidate.post_code == post.code and r.inspection),
                        key=_proposal_order)
        for r in [r for r in ranked if r.candidate.number not in taken][:post.places]:
            a = people[r.candidate.number]
            taken.add(a.number)
            promoted = presumed_promotion(data.campaign.settings.organisation.kind_words, a, post, levels)
            out.append(Appointment(a, post, promoted, proposed=True))
    return out


def eligible_for_decision(results: Sequence[CandidateResult]) -> set[tuple[str, str]]:
    """Return (报名序号, 职位代码) the committee may appoint: 考察对象, and those tied at the cut-off.

    With allocated results these are what the allocation proposes: the 志愿 placements (the next candidate of a
    post someone left included), the ties at a cut, and the 调剂 placements (results made for the target post).
    """
    return {r.candidate.key for r in results if r.inspection or r.tie_at_cutoff}


def read_decisions(path: Path, data: CampaignData, results: Sequence[CandidateResult]) -> list[Appointment]:
    """Read 任职决定.xlsx; raise InputErrors naming sheet, cell and header for every problem."""
    from pipeline.scoring.score_entry import cell_text, open_workbook

    wb = open_workbook(path)
    problems = ProblemCollector()
    committee = data.campaign.settings.organisation.committee
    if DECISION_SHEET not in wb.sheetnames:
        raise InputErrors([Problem(file=path.name, sheet=DECISION_SHEET, code="missing-sheet",
                                   message=f"缺少「{DECISION_SHEET}」工作表（表头为 {'、'.join(HEADERS)}）；{BLANK_HINT}")])
    ws = wb[DECISION_SHEET]
    from pipeline.campaign.xlsx_reader import normalise_header  # headers compared as every reader compares them

    header = tuple(normalise_header(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ()))
    if header[:4] != tuple(normalise_header(h) for h in HEADERS):
        raise InputErrors([Problem(file=path.name, sheet=DECISION_SHEET, row=1, code="bad-header",
                                   message=f"前四列表头应为 {'、'.join(HEADERS)}；{BLANK_HINT}，请照它填写")])
    rows = [(i, tuple(cell_text(ws.cell(row=i, column=c).value) for c in range(1, 5)))
            for i in range(2, ws.max_row + 1)]
    reader = _RowReader(path.name, data, eligible_for_decision(results), problems)
    # Where an allocated person's place went (a higher 志愿, a 调剂), to say so when they are named for another post.
    by_reassignment = {r.candidate.key for r in results if r.reassigned}
    reader.placed_at = {r.candidate.key: (r.allocated_to, (r.candidate.number, r.allocated_to) in by_reassignment)
                        for r in results if r.allocated_to}
    out = [a for i, values in rows if any(values) and (a := reader.read(i, *values))]
    if not out and not problems:
        problems.add(Problem(file=path.name, sheet=DECISION_SHEET, code="empty",
                             message=f"表中没有任何任职决定；{committee}尚未决定时请把本文件移出 campaign 文件夹"))
    problems.extend(_over_places(path.name, out))
    problems.raise_if_any()
    return out


class _RowReader:
    """Check one row of 任职决定 against 报名信息, 职位表 and the 考察对象."""

    def __init__(self, file: str, data: CampaignData, allowed: set[tuple[str, str]], problems: ProblemCollector):
        self.file, self.data, self.allowed, self.problems = file, data, allowed, problems
        self.committee = data.campaign.settings.organisation.committee  # 局党组, 街道党工委 (docs/reference.md, 单位类型)
        self.people = {a.number: a for a in data.applicants}
        self.posts = {p.code: p for p in data.posts}
        self.seen: dict[str, int] = {}
        # (报名序号, 职位代码) reached there but placed at another post -> (that post, by 调剂)
        self.placed_at: dict[tuple[str, str], tuple[str, bool]] = {}

    def fail(self, row: int, col: int, message: str, code: str) -> None:
        self.problems.add(Problem(file=self.file, sheet=DECISION_SHEET, row=row, cell=f"{'ABCD'[col - 1]}{row}",
                                  column=HEADERS[col - 1], message=message, code=code))

    def name(self, row: int, typed: str) -> str | None:
        """The 姓名 as every reader checks it (cleaning.parse_name), or None after saying what is wrong."""
        if not typed:
            self.fail(row, 2, "此项必填，不能为空，请补填", "missing-value")
            return None
        try:
            return parse_name(typed)
        except CellError as err:
            self.fail(row, 2, err.message, err.code)
            return None

    def identifier(self, row: int, col: int, typed: str) -> str | None:
        """报名序号 and 职位代码 as 报名信息 and 职位表 read them (full-width digits are digits)."""
        if not typed:
            self.fail(row, col, "此项必填，不能为空，请补填", "missing-value")
            return None
        try:
            return parse_identifier(typed)
        except CellError as err:
            self.fail(row, col, err.message, err.code)
            return None

    def read(self, row: int, number: str, name: str, code: str, promoted: str) -> Appointment | None:
        before = len(self.problems.problems)
        number, code = self.identifier(row, 1, number), self.identifier(row, 3, code)
        person, post = self.people.get(number), self.posts.get(code)
        name = self.name(row, name)
        if number is not None and person is None:
            self.fail(row, 1, f"报名信息中没有报名序号“{number}”{_lost_zero(number, self.people)}，请核对",
                      "unknown-applicant")
        elif person is not None and name is not None and person.name != name:
            self.fail(row, 2, f"报名序号 {number} 是“{person.name}”，不是“{name}”，请核对姓名或报名序号",
                      "name-mismatch")
        if post is None and code is not None:
            self.fail(row, 3, f"职位表中没有职位代码“{code}”{_lost_zero(code, self.posts)}，请核对", "unknown-post")
        elif person is not None and post is not None and (number, code) not in self.allowed:
            went, by_reassignment = self.placed_at.get((number, code), (None, False))
            how = "经调剂" if by_reassignment else "按志愿"
            where = f"{how}已确定为职位 {went} 的考察对象，" if went else ""
            self.fail(row, 1, f"{person.name}（{number}）{where}不是职位 {code} {post.title} 的考察对象，"
                              f"{self.committee}只能在考察对象中研究决定；请核对报名序号和职位代码",
                      "not-inspection-candidate")
        if promoted not in (YES, NO):
            self.fail(row, 4, f"请填“{YES}”或“{NO}”（新提任的实行一年试用期）", "bad-choice")
        if number in self.seen and person is not None:
            self.fail(row, 1, f"{person.name}（{number}）已在第{self.seen[number]}行任职，同一人只能任一个职位",
                      "duplicate")
        self.seen.setdefault(number, row)
        if len(self.problems.problems) > before:
            return None
        return Appointment(person, post, promoted == YES, row=row)


def _lost_zero(typed: str, known) -> str:
    """Name the code a spreadsheet made a number of: 4 typed (or stored) for 04 loses its leading zero."""
    padded = [k for k in known if k.lstrip("0") == typed.lstrip("0") and k != typed]
    if not padded:
        return ""
    return f"（是否应为“{padded[0]}”？表格软件会去掉数字开头的0，请把该列设为文本格式后重新输入）"


def _over_places(file: str, appointments: Sequence[Appointment]) -> list[Problem]:
    """A post may not receive more appointees than its 职数 (职位表)."""
    counts: Counter[str] = Counter()
    problems = []
    for a in appointments:
        counts[a.post.code] += 1
        if counts[a.post.code] > a.post.places:
            problems.append(Problem(file=file, sheet=DECISION_SHEET, row=a.row, cell=f"C{a.row}", column="任职职位代码",
                                    code="over-places",
                                    message=f"职位 {a.post.code} {a.post.title} 职数为 {a.post.places}，"
                                            f"本行已是第 {counts[a.post.code]} 人，请核对"))
    return problems


def load_decisions(campaign_dir: Path, data: CampaignData,
                   results: Sequence[CandidateResult]) -> tuple[list[Appointment], bool]:
    """Return the appointments and whether the committee decided them (False: a proposal from the ranking)."""
    path = Path(campaign_dir) / DECISION_FILE
    if path.exists():
        return read_decisions(path, data, results), True
    return propose(data, results), False
