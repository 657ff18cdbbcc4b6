"""The scoring scheme: campaign.toml [scoring] and [inspection], validated into typed records.

docs/reference.md, 评分: judge groups with weights (seed 5: 4 : 3 : 1.5 : 1.5), one highest and one lowest
score dropped per group, and the common variants (笔试 + 面试 by percentages, 民主测评 as points or as a
veto, 加分 from a list, a per-post inspection ratio, a tie-break order). Every mistake in the file comes
back as a Problem naming campaign.toml and the key path, all of them at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Iterable, Mapping

from pipeline.campaign.toml_tables import CONFIG_FILE, TableReader
from pipeline.campaign.settings import shown
from pipeline.errors import Problem, ProblemCollector
from pipeline.campaign.model import Post
from pipeline.engine.safe_paths import unsafe_characters

SHEET_UNSAFE = "[]:*?/\\"  # characters Excel refuses in a sheet name (a round's name names its sheet)

SOURCES = ("judges", "list", "ballot", "votes")  # where a round's score comes from (votes: 民主推荐)
PER = ("person", "candidacy")  # a score per person (笔试: one paper for all their posts) or per post applied for
TOTALS = ("weighted", "last")  # the total: the rounds combined by weight, or the last round alone
BALLOT_ROUND = "民主测评"  # the round [scoring.ballot] adds when no [[scoring.components]] reads the ballot
JUDGES_ROUND = "评委评分"  # the one round of a campaign without [[scoring.components]] (seed 5)
# 民主测评 grades when campaign.toml names none (the common 优秀/称职/基本称职/不称职 of 公务员考核), best first,
# and the points each is worth; a campaign's own four grades (seed 5: 优秀、合格、基本合格、不合格) take the
# same points in order.
DEFAULT_BALLOT_GRADES = ("优秀", "称职", "基本称职", "不称职")
FOUR_GRADE_POINTS = (Decimal(100), Decimal(80), Decimal(60), Decimal(0))
DEFAULT_BALLOT_POINTS = dict(zip(DEFAULT_BALLOT_GRADES, FOUR_GRADE_POINTS))
MIN_GRADES, MAX_GRADES = 2, 6  # fewer is no scale; more does not fit the ballot's row (民主测评表)
RATIO_RE = re.compile(r"^\s*1\s*[:：]\s*(\d+)\s*$")


@dataclass(frozen=True)
class JudgeGroup:
    """One 评委组: its weight in the composite and how many scores it drops."""

    name: str
    weight: Decimal
    min_judges: int
    drop_highest: int = 1  # seed 5: drop ONE highest, even when two judges share it
    drop_lowest: int = 1


@dataclass(frozen=True)
class Shortlist:
    """Who goes on to the next round (入围): the top places × N of each post, a pass mark, a vote share, or a
    pass mark and a ratio together. Candidates tied on the last place all go on, and the list says so
    (docs/reference.md, 轮次和入围: 末位同分，一并入围): a tie at the cut is never broken silently."""

    ratio: int | None = None  # N of "1:N", 职数 counted: a post with 2 places at 1:3 lets 6 through
    pass_mark: Decimal | None = None  # 达到 = at least (民法典 第一千二百五十九条: 以上 includes the number)
    vote_share: Fraction | None = None  # 得票率 at least this share of 有效票 (votes rounds only)

    def text(self) -> str:
        """The rule in words, for the papers ("按职数1:3的比例" …)."""
        parts = []
        if self.pass_mark is not None:
            parts.append(f"成绩达到{_number(self.pass_mark)}分")
        if self.vote_share is not None:
            parts.append(f"得票率达到{_share_text(self.vote_share)}")
        if self.ratio is not None:
            parts.append(f"按职数1:{self.ratio}的比例从高分到低分")
        return "、".join(parts)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _share_text(share: Fraction) -> str:
    percent = share * 100
    return f"{percent.numerator}%" if percent.denominator == 1 else f"{share.numerator}/{share.denominator}"


@dataclass(frozen=True)
class Component:
    """One round of the campaign and its part of the total: the judges' composite (面试/演讲答辩), a list score
    (笔试), 民主测评 points or 民主推荐 得票率. Rounds run in the order campaign.toml lists them."""

    name: str
    source: str  # judges | list | ballot | votes
    weight: Decimal  # 0: the round only shortlists or vetoes, it is not part of the total
    per: str = "candidacy"  # person: one score for all the posts a person applied for
    shortlist: Shortlist | None = None  # who goes on to the next round


@dataclass(frozen=True)
class BallotRule:
    """民主测评: the grades (best first), points per grade, and an optional veto (e.g. 不合格 over 1/3 of valid ballots).

    `grades` left empty means the keys of `points` in order; `veto_grade` left None means the last (worst) grade.
    """

    points: dict[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_BALLOT_POINTS))
    veto_grade: str | None = None
    veto_over: Fraction | None = None  # 超过 = strictly more (民法典 第一千二百五十九条)
    grades: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        grades = tuple(self.grades) or tuple(self.points)
        object.__setattr__(self, "grades", grades)
        if self.veto_grade is None:
            object.__setattr__(self, "veto_grade", grades[-1])

    def veto_note(self) -> str:
        """The 备注 of a vetoed row, naming the grade and the share, so the public table says why it has no 名次."""
        share = f"{self.veto_over.numerator}/{self.veto_over.denominator}" if self.veto_over is not None else ""
        return f"民主测评“{self.veto_grade}”票超过有效票的{share}，不列为考察对象"


@dataclass(frozen=True)
class BonusRule:
    """加分 for listed merits, read from a sheet and added to the weighted total."""

    name: str = "加分"
    max: Decimal = Decimal(5)


@dataclass(frozen=True)
class ScoringScheme:
    """The validated [scoring] and [inspection] sections."""

    groups: tuple[JudgeGroup, ...]
    components: tuple[Component, ...] = ()  # empty: the judges' composite is the total (seed 5)
    tie_break: tuple[str, ...] = ()
    full_marks: Decimal = Decimal(100)
    decimals: int = 2
    score_decimals: int = 1  # how many decimals a judge may give (the entry workbook's validation)
    ballot: BallotRule | None = None
    bonus: BonusRule | None = None
    inspection_ratio: int = 1  # N of "1:N"
    post_ratios: dict[str, int] = field(default_factory=dict)  # 职位代码 -> N, from 职位表 考察比例
    total: str = "weighted"  # weighted | last ([scoring] total)

    def group(self, name: str) -> JudgeGroup:
        return next(g for g in self.groups if g.name == name)

    def list_components(self) -> tuple[str, ...]:
        """Names of the sheets of 评分录入.xlsx beside the judge groups: the 加分 list. A list round (笔试) has its
        own workbook (pipeline.scoring.rounds), since it is typed before the judges' round is held."""
        return (self.bonus.name,) if self.bonus else ()

    @property
    def rounds(self) -> tuple[Component, ...]:
        """The rounds in order; seed 5 has one, the judges' composite, which is the total."""
        rounds = self.components or (Component(JUDGES_ROUND, "judges", Decimal(1)),)
        if self.ballot is not None and not any(c.source == "ballot" for c in rounds):
            # [scoring.ballot] without a 民主测评 round: its veto still applies, as a last round worth nothing
            rounds += (Component(BALLOT_ROUND, "ballot", Decimal(0)),)
        return rounds

    def uses_ballot(self) -> bool:
        return self.ballot is not None

    def ratio_for(self, post_code: str) -> int:
        return self.post_ratios.get(post_code, self.inspection_ratio)


class _Reader(TableReader):
    """Read one table of [scoring]/[inspection]; record a located problem for anything unknown or malformed."""

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.table.get(key, default)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            self.fail(key, "应为加英文双引号的文字，不能为空")
            return default
        return value.strip() if isinstance(value, str) else value

    def decimal(self, key: str, default: Decimal | None = None, positive: bool = False) -> Decimal | None:
        value = self.table.get(key)
        if value is None:
            return default
        try:
            number = Decimal(str(value).strip()) if not isinstance(value, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0 or (positive and number == 0):
            self.fail(key, f"应为{'大于0' if positive else '不小于0'}的数，如 \"1.5\"，现为 {shown(value)}")
            return default
        return number

    def integer(self, key: str, default: int, low: int = 0, high: int = 10_000) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, f"应为 {low} 到 {high} 之间的整数，现为 {shown(value)}")
            return default
        return value


def parse_ratio(text: Any) -> int | None:
    """Return N for an inspection ratio written "1:N" (1:1, 1:2, 1:3); None if malformed."""
    match = RATIO_RE.match(text) if isinstance(text, str) else None
    return int(match.group(1)) if match and int(match.group(1)) >= 1 else None


def parse_fraction(text: Any) -> Fraction | None:
    """Return a fraction written "1/3" or "0.5" (between 0 and 1); None if malformed."""
    try:
        value = Fraction(str(text).strip()) if isinstance(text, (str, int)) and not isinstance(text, bool) else None
    except (ValueError, ZeroDivisionError):
        return None
    return value if value is not None and 0 <= value < 1 else None


def _read_groups(problems: ProblemCollector, tables: Any) -> list[JudgeGroup]:
    if not isinstance(tables, (list, tuple)) or not tables:
        problems.add(Problem(file=CONFIG_FILE, column="scoring.groups", code="bad-config",
                             message="至少要定义一个评委组（[[scoring.groups]]）"))
        return []
    groups = []
    allowed = ("name", "weight", "min_judges", "drop_highest", "drop_lowest")
    for i, table in enumerate(tables, start=1):
        r = _Reader(problems, f"scoring.groups[{i}]", table, allowed)
        name = r.text("name")
        if name is None:
            r.fail("name", "每个评委组都要有名称，如 name = \"专家评委\"", code="missing-key")
            continue
        drop_h, drop_l = r.integer("drop_highest", 1, 0, 5), r.integer("drop_lowest", 1, 0, 5)
        # A group needs at least one score left after dropping (seed 5: at least 3 scores).
        least = drop_h + drop_l + 1
        min_judges = r.integer("min_judges", least, 1)
        if min_judges < least:
            r.fail("min_judges", f"去掉 {drop_h} 个最高分和 {drop_l} 个最低分后还要留下分数，至少应为 {least}")
            min_judges = least
        weight = r.decimal("weight", positive=True)
        if weight is None and "weight" not in r.table:
            r.fail("weight", "每个评委组都要有权重，如 weight = \"4\"", code="missing-key")
        groups.append(JudgeGroup(name, weight or Decimal(1), min_judges, drop_h, drop_l))
    _check_unique(problems, "scoring.groups", [g.name for g in groups])
    return groups


def _read_components(problems: ProblemCollector, tables: Any, full_marks: Decimal = Decimal(100)) -> list[Component]:
    if tables is None:
        return []
    if not isinstance(tables, (list, tuple)):
        problems.add(Problem(file=CONFIG_FILE, column="scoring.components", code="bad-config",
                             message="应写成 [[scoring.components]] 的若干小节"))
        return []
    components = []
    for i, table in enumerate(tables, start=1):
        path = f"scoring.components[{i}]"
        r = _Reader(problems, path, table, ("name", "source", "weight", "per", "shortlist"))
        name, source = r.text("name"), r.text("source")
        if name and (unsafe := unsafe_characters(name) + [c for c in SHEET_UNSAFE if c in name]):
            # the name names the round's workbook (笔试成绩.xlsx) and its sheet: no path or sheet-name characters
            r.fail("name", f"轮次名称不能含有 {'、'.join(dict.fromkeys(unsafe))}，请改用汉字，如 \"笔试\"")
        elif name and len(name) > 20:
            r.fail("name", f"轮次名称最多20个字（它也是录入表的文件名和工作表名），现为 {len(name)} 个字")
        if source not in SOURCES:
            r.fail("source", "应为 judges（评委打分）、list（笔试等成绩单）、ballot（民主测评折算）或 votes（民主推荐得票率），"
                             f"现为 {shown(source)}")
        # A 笔试 is one paper per person, whatever the posts they applied for; the others are per post by default.
        per = r.text("per", "person" if source == "list" else "candidacy")
        if per not in PER:
            r.fail("per", f"应为 person（每人一个成绩）或 candidacy（每个报考职位一个成绩），现为 {shown(per)}")
            per = "candidacy"
        if source == "judges" and per == "person":
            r.fail("per", "评委打分按报考职位逐人评分，不能写 person")
        weight = r.decimal("weight")
        shortlist = _read_shortlist(problems, f"{path}.shortlist", r.get("shortlist"), source, full_marks)
        if name and source in SOURCES and weight is not None:
            components.append(Component(name, source, weight, per, shortlist))
        elif name is None or weight is None:
            r.fail("", "每个成绩组成部分都要有 name、source 和 weight", code="missing-key")
    for source, word, file in (("ballot", "民主测评", "民主测评.xlsx"), ("votes", "民主推荐", "民主推荐.xlsx")):
        if sum(c.source == source for c in components) > 1:  # one workbook and one tally per source
            problems.add(Problem(file=CONFIG_FILE, column="scoring.components", code="bad-config",
                                 message=f"成绩组成中最多只能有一项 source = \"{source}\"（{word}只录入一份 {file}）"))
    if components and sum(c.source == "judges" for c in components) != 1:
        problems.add(Problem(file=CONFIG_FILE, column="scoring.components", code="bad-config",
                             message="成绩组成中应有且只有一项 source = \"judges\"（评委打分）"))
    if components and not any(c.weight > 0 for c in components):
        problems.add(Problem(file=CONFIG_FILE, column="scoring.components", code="bad-config",
                             message="至少要有一轮的 weight 大于 0，总成绩才能合成"))
    if components and components[-1].shortlist is not None:
        problems.add(Problem(file=CONFIG_FILE, column=f"scoring.components[{len(components)}].shortlist",
                             code="bad-config",
                             message="最后一轮之后按 [inspection] ratio 确定考察对象，不再设入围；请删去这一小节"))
    _check_unique(problems, "scoring.components", [c.name for c in components])
    return components


def _read_shortlist(problems: ProblemCollector, path: str, table: Any, source: str | None,
                    full_marks: Decimal = Decimal(100)) -> Shortlist | None:
    """[scoring.components.shortlist]: ratio = "1:3", pass_mark = "60", vote_share = "1/2" (votes only)."""
    if table is None:
        return None
    r = _Reader(problems, path, table, ("ratio", "pass_mark", "vote_share"))
    ratio = share = None
    if r.get("ratio") is not None:
        ratio = parse_ratio(r.get("ratio"))
        if ratio is None:
            r.fail("ratio", f"应写成 \"1:3\" 这样的比例（职数与入围人数之比），现为 {shown(r.get('ratio'))}")
    mark = r.decimal("pass_mark")
    if mark is not None and mark > full_marks:
        r.fail("pass_mark", f"分数线不能高于满分 {_number(full_marks)}，现为 {_number(mark)}")
    if mark is not None and source == "votes":
        r.fail("pass_mark", "民主推荐按得票率入围，请写 vote_share（如 \"1/2\"），不用 pass_mark")
    if r.get("vote_share") is not None:
        raw_share = r.get("vote_share")
        share = Fraction(1) if str(raw_share).strip() == "1" else parse_fraction(raw_share)  # 全票 is a share too
        if share is None or share == 0:
            r.fail("vote_share", f"应为 0 到 1 之间的比例，如 \"1/2\"，现为 {shown(r.get('vote_share'))}")
            share = None
        elif source != "votes":
            r.fail("vote_share", "得票率只用于民主推荐（source = \"votes\"）；其他轮次请用 pass_mark 或 ratio")
    # Mapping, not dict: the settings reader hands tables over read-only (types.MappingProxyType)
    if isinstance(table, Mapping) and not any(k in table for k in ("ratio", "pass_mark", "vote_share")):
        r.fail("", "入围规则至少要写 ratio、pass_mark、vote_share 中的一项", code="missing-key")
    return Shortlist(ratio, mark, share)


class _GradeReader(_Reader):
    noun = "档次"  # an unknown key of [scoring.ballot].points is a grade the campaign did not name


def _read_grades(r: _Reader) -> tuple[str, ...]:
    """[scoring.ballot].grades: 2 to 6 distinct grade names, best first; the default four when omitted."""
    raw = r.get("grades")
    if raw is None:
        return DEFAULT_BALLOT_GRADES
    example = "grades = [\"优秀\", \"合格\", \"基本合格\", \"不合格\"]"
    if not isinstance(raw, (list, tuple)) or not all(isinstance(g, str) for g in raw):
        r.fail("grades", f"应写成 {example} 这样的列表，从好到差排列")
        return ()
    grades = [g.strip() for g in raw]
    ok = True
    if not MIN_GRADES <= len(grades) <= MAX_GRADES:
        r.fail("grades", f"档次应有 {MIN_GRADES} 到 {MAX_GRADES} 个，现为 {len(grades)} 个")
        ok = False
    for i, grade in enumerate(grades, start=1):
        if not grade:
            r.fail("grades", f"第{i}个档次是空的，请写上档次名称，如 {example}")
            ok = False
    for grade in sorted({g for g in grades if g and grades.count(g) > 1}, key=grades.index):
        r.fail("grades", f"档次“{grade}”出现了不止一次，每个档次只写一次", code="duplicate")
        ok = False
    return tuple(grades) if ok else ()


def _read_points(problems: ProblemCollector, r: _Reader, grades: tuple[str, ...]) -> dict[str, Decimal]:
    """[scoring.ballot].points: exactly one figure per grade; the default four, or any four in order, may omit it."""
    raw = r.get("points")
    if raw is None:
        if len(grades) == len(FOUR_GRADE_POINTS):  # 四档：默认按顺序折算 100、80、60、0
            return dict(zip(grades, FOUR_GRADE_POINTS))
        pairs = ", ".join(f"{g} = \"…\"" for g in grades)  # ASCII comma: the clerk may copy it into TOML
        r.fail("points", f"有 {len(grades)} 个档次时要写明每档的折算分，如 points = {{ {pairs} }}", code="missing-key")
        return {}
    pr = _GradeReader(problems, "scoring.ballot.points", raw, grades)
    missing = [g for g in grades if g not in pr.table]
    if missing and isinstance(raw, Mapping):
        r.fail("points", f"缺少档次“{'”“'.join(missing)}”的折算分，每个档次都要写", code="missing-key")
    points = {g: pr.decimal(g, Decimal(0)) for g in grades}
    # grades run best first, so the default veto grade is the worst; rising points mean the list is reversed
    for better, worse in zip(grades, grades[1:]):
        if better in pr.table and worse in pr.table and points[worse] > points[better]:
            r.fail("points", f"档次应按从好到差排列：“{worse}”的折算分不应高于前一档“{better}”")
    return points


def _read_ballot(problems: ProblemCollector, table: Any) -> BallotRule | None:
    if table is None:
        return None
    r = _Reader(problems, "scoring.ballot", table, ("grades", "points", "veto_grade", "veto_over"))
    grades = _read_grades(r)
    points = _read_points(problems, r, grades) if grades else {}
    veto_grade = r.text("veto_grade")
    if veto_grade is not None and grades and veto_grade not in grades:
        r.fail("veto_grade", f"应为 grades 中的一个档次：{'、'.join(grades)}，现为 {shown(veto_grade)}")
    veto_over = None
    if r.get("veto_over") is not None:
        veto_over = parse_fraction(r.get("veto_over"))
        if veto_over is None:
            r.fail("veto_over", f"应为 0 到 1 之间的比例，如 \"1/3\"，现为 {shown(r.get('veto_over'))}")
    if not grades:  # already reported; a placeholder so the rest of the scheme is still checked
        return BallotRule()
    return BallotRule(points, veto_grade if veto_grade in grades else None, veto_over, grades)


def _read_bonus(problems: ProblemCollector, table: Any) -> BonusRule | None:
    if table is None:
        return None
    r = _Reader(problems, "scoring.bonus", table, ("name", "max"))
    return BonusRule(r.text("name", "加分"), r.decimal("max", Decimal(5), positive=True))


def _check_unique(problems: ProblemCollector, path: str, names: list[str]) -> None:
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.add(Problem(file=CONFIG_FILE, column=path, code="duplicate",
                             message=f"名称“{name}”出现了不止一次，请改成不同的名称"))


def _read_tie_break(problems: ProblemCollector, value: Any, known: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        problems.add(Problem(file=CONFIG_FILE, column="scoring.tie_break", code="bad-config",
                             message="应写成 [\"专家评委\", \"党委成员\"] 这样的列表"))
        return ()
    for name in value:
        if name not in known:
            problems.add(Problem(file=CONFIG_FILE, column="scoring.tie_break", code="bad-config",
                                 message=f"“{name}”不是评委组或成绩组成部分，可用的有：{'、'.join(known)}"))
    return tuple(v for v in value if v in known)


def _read_post_ratios(problems: ProblemCollector, posts: Iterable[Post]) -> dict[str, int]:
    ratios = {}
    for post in posts:
        if post.inspection_ratio in (None, ""):
            continue
        n = parse_ratio(post.inspection_ratio)
        if n is None:
            src = post.source
            problems.add(Problem(file=src.file if src else "职位表.xlsx", sheet=src.sheet if src else "职位表",
                                 row=src.row if src else None, column="考察比例", code="bad-ratio",
                                 message=f"应写成 1:1、1:2 或 1:3 的形式，现为“{post.inspection_ratio}”"))
        else:
            ratios[post.code] = n
    return ratios


def _read_total(r: _Reader) -> str:
    total = r.text("total", "weighted")
    if total not in TOTALS:
        r.fail("total", f"应为 weighted（各轮按权重合成总成绩）或 last（以最后一轮成绩为总成绩），现为 {shown(total)}")
        return "weighted"
    return total


SCORING_KEYS = ("full_marks", "decimals", "score_decimals", "tie_break", "groups",
                "components", "ballot", "bonus", "draw_seed", "total")  # draw_seed: read by pipeline.scoring.draw (抽签), not by the arithmetic


def parse_scheme(raw: dict[str, Any], posts: Iterable[Post] = ()) -> tuple[ScoringScheme | None, list[Problem]]:
    """Validate [scoring] and [inspection] of campaign.toml; return the scheme (None if unusable) and problems."""
    problems = ProblemCollector()
    r = _Reader(problems, "scoring", raw.get("scoring", {}), SCORING_KEYS)
    groups = _read_groups(problems, r.get("groups"))
    full_marks = r.decimal("full_marks", Decimal(100), positive=True)
    components = _read_components(problems, r.get("components"), full_marks)
    ballot, bonus = _read_ballot(problems, r.get("ballot")), _read_bonus(problems, r.get("bonus"))
    if any(c.source == "ballot" for c in components) and ballot is None:
        ballot = BallotRule()
    known = [g.name for g in groups] + [c.name for c in components] + ([bonus.name] if bonus else [])
    ins = _Reader(problems, "inspection", raw.get("inspection", {}), ("ratio",))
    ratio = parse_ratio(ins.get("ratio", "1:1"))
    if ratio is None:
        ins.fail("ratio", f"应写成 \"1:1\"、\"1:2\" 或 \"1:3\" 的形式，现为 {shown(ins.get('ratio'))}")
    scheme = ScoringScheme(
        groups=tuple(groups), components=tuple(components),
        tie_break=_read_tie_break(problems, r.get("tie_break"), known),
        full_marks=full_marks,
        decimals=r.integer("decimals", 2, 0, 4), score_decimals=r.integer("score_decimals", 1, 0, 4),
        ballot=ballot, bonus=bonus,
        inspection_ratio=ratio or 1, post_ratios=_read_post_ratios(problems, posts),
        total=_read_total(r))
    return (None if problems else scheme), list(problems.problems)


def load_scheme(raw: dict[str, Any], posts: Iterable[Post] = ()) -> ScoringScheme:
    """Validate the scheme or raise InputErrors listing every problem."""
    scheme, problems = parse_scheme(raw, posts)
    collector = ProblemCollector()
    collector.extend(problems)
    collector.raise_if_any()
    return scheme
