"""The eligibility rule set: read from campaign.toml's [eligibility] and the 职位表 columns, validated.

General conditions apply to every post. Per-post conditions override them key by key, in this order
(later wins): [[eligibility.post_rules]] with `category`, then with `posts`, then the post's own
columns of 职位表.xlsx (最低学历, 年龄上限, 出生日期不早于, 政治面貌要求).
A key, value, rank or post code the program does not know is a located configuration error.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Sequence, Mapping

from pipeline.campaign.toml_tables import CONFIG_FILE, TableReader
from pipeline.campaign.settings import shown
from pipeline.errors import Problem, ProblemCollector
from pipeline.campaign.model import Post
from pipeline.campaign.columns import EDUCATION_ALIASES, EDUCATION_LEVELS, POST_CATEGORIES, TITLE_LEVELS
from pipeline.campaign.ranks import RANKS_BY_NAME, at_or_above, rank_problem

# 中共党员 admits full and probationary members; 中共正式党员 admits full members only (seed 5, 团委书记).
POLITICAL_REQUIREMENTS = ("中共党员", "中共正式党员")


@dataclass(frozen=True)
class RankOption:
    """One alternative of the rank-and-tenure condition (docs/reference.md, 职级).

    `ranks` are the ranks named; with `or_above` each also admits the ranks above it on its own track
    (以上 includes the rank itself; a 三级主任科员 is above 四级主任科员, a 正科级 above 副科级, but a 职级 is
    not above a 职务). With `years` the admitted rank must have been held N years, counted from
    任现职级时间. `rank = "X"` alone means 现任X及以上 (seed 5 "现任副处级职务": a 正处级 meets it);
    with years it means exactly X (seed 5 follows the cadre rules, where 正科级 needs 3 years and 副科级 4:
    a 正科级 of one year must not pass through the 副科级 alternative).
    """

    ranks: tuple[str, ...]
    or_above: bool
    years: int | None = None

    def admits(self, rank: str) -> bool:
        """Tell whether someone now holding `rank` holds a rank this alternative names."""
        return any(rank == named or (self.or_above and at_or_above(rank, named)) for named in self.ranks)


@dataclass(frozen=True)
class Conditions:
    """The conditions one post's applicants must meet; None/empty/False means no such condition."""

    min_education: str | None = None
    max_age: int | None = None  # 周岁, the number included (45周岁以下 admits 45)
    born_on_or_after: dt.date | None = None  # the date included (以后出生 = on or after)
    rank_tenure: tuple[RankOption, ...] = ()  # any one suffices
    political_requirement: str | None = None
    min_work_years: int | None = None  # 工龄 from 参加工作时间
    min_party_years: int | None = None  # 党龄 from 入党时间
    min_grassroots_years: Decimal | None = None
    min_title: str | None = None  # 专业技术职务, TITLE_LEVELS
    no_current_penalty: bool = False


CONDITION_KEYS = tuple(Conditions.__dataclass_fields__)


@dataclass(frozen=True)
class PostRule:
    """[[eligibility.post_rules]]: overrides for the posts listed or for one post category."""

    overrides: dict[str, Any]
    posts: tuple[str, ...] = ()
    category: str | None = None

    def applies_to(self, post: Post) -> bool:
        return post.code in self.posts or post.category == self.category


@dataclass(frozen=True)
class RuleSet:
    """General conditions, per-post rules and the reference date they are counted to."""

    general: Conditions
    reference_date: dt.date
    post_rules: tuple[PostRule, ...] = field(default=())

    def for_post(self, post: Post) -> Conditions:
        """Return the conditions for one post: general, then category rules, post rules, 职位表 columns."""
        conditions = self.general
        ordered = [r for r in self.post_rules if r.category] + [r for r in self.post_rules if r.posts]
        for rule in ordered:
            if rule.applies_to(post):
                conditions = replace(conditions, **rule.overrides)
        return replace(conditions, **post_columns(post))


def post_columns(post: Post) -> dict[str, Any]:
    """Return the conditions a 职位表 row sets in its own columns."""
    names = ("min_education", "max_age", "born_on_or_after", "political_requirement")
    return {name: getattr(post, name) for name in names if getattr(post, name) is not None}


def parse_rules(table: Any, posts: Sequence[Post], reference_date: dt.date) -> tuple[RuleSet, list[Problem]]:
    """Read [eligibility]; return the rule set and every located problem (the caller raises them)."""
    problems = ProblemCollector()
    table = {} if table is None else table
    reader = _Reader(problems, "eligibility", table, CONDITION_KEYS + ("post_rules",))
    general = Conditions(**_read_conditions(reader))
    rules = tuple(_read_post_rules(problems, table.get("post_rules") if isinstance(table, Mapping) else None, posts))
    return RuleSet(general, reference_date, rules), problems.problems


def _read_post_rules(problems: ProblemCollector, tables: Any, posts: Sequence[Post]) -> Iterable[PostRule]:
    if tables is None:
        return
    if not isinstance(tables, (list, tuple)):
        problems.add(_problem("eligibility.post_rules", "应写成 [[eligibility.post_rules]] 的若干小节"))
        return
    codes = [p.code for p in posts]
    for i, table in enumerate(tables, start=1):
        reader = _Reader(problems, f"eligibility.post_rules[{i}]", table, CONDITION_KEYS + ("posts", "category"))
        selected, category = reader.codes("posts", codes), reader.choice("category", POST_CATEGORIES)
        if "posts" not in reader.table and "category" not in reader.table:
            reader.fail("", "每条职位规则要写 posts = [\"05\"]（职位代码）或 category = \"正职\"（职位类别）之一",
                        code="missing-key")
            continue
        yield PostRule(_read_conditions(reader), selected, category)


def _read_conditions(r: _Reader) -> dict[str, Any]:
    """Read the condition keys present in one table; unknown values become problems."""
    readers = {
        "min_education": lambda k: r.education(k),
        "max_age": lambda k: r.integer(k, 16, 100),
        "born_on_or_after": lambda k: r.date(k),
        "rank_tenure": lambda k: r.rank_tenure(k),
        "political_requirement": lambda k: r.choice(k, POLITICAL_REQUIREMENTS),
        "min_work_years": lambda k: r.integer(k, 0, 60),
        "min_party_years": lambda k: r.integer(k, 0, 80),
        "min_grassroots_years": lambda k: r.decimal(k),
        "min_title": lambda k: r.choice(k, TITLE_LEVELS),
        "no_current_penalty": lambda k: r.boolean(k),
    }
    values = {key: read(key) for key, read in readers.items() if key in r.table}
    return {key: value for key, value in values.items() if value is not None}


def _problem(where: str, message: str, code: str = "bad-config") -> Problem:
    return Problem(file=CONFIG_FILE, column=where, message=message, code=code)


class _Reader(TableReader):
    """Read one table of [eligibility]; record a located problem for anything unknown or malformed."""

    noun = "条件"

    def choice(self, key: str, choices: Sequence[str]) -> str | None:
        value = self.table.get(key)
        if value is not None and value not in choices:
            self.fail(key, f"“{value}”不是可用的值，应为以下之一：{'、'.join(choices)}")
            return None
        return value

    def education(self, key: str) -> str | None:
        value = self.table.get(key)
        level = EDUCATION_ALIASES.get(value) if isinstance(value, str) else None
        if level is None:
            self.fail(key, f"“{value}”不是可用的学历，应为以下之一：{'、'.join(EDUCATION_LEVELS)}")
        return level

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.table.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, f"应为 {low} 到 {high} 之间的整数（不加引号），现为 {shown(value)}")
            return None
        return value

    def decimal(self, key: str) -> Decimal | None:
        value = self.table.get(key)
        try:
            number = None if isinstance(value, bool) else Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            self.fail(key, f"应为不小于0的数，如 2 或 \"1.5\"，现为 {shown(value)}")
            return None
        return number

    def date(self, key: str) -> dt.date | None:
        value = self.table.get(key)
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.fail(key, f"应为日期，写成 1971-05-31 的形式，现为 {shown(value)}")
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.table.get(key)
        if not isinstance(value, bool):
            self.fail(key, f"应为 true（是）或 false（否），现为 {shown(value)}")
            return None
        return value

    def codes(self, key: str, known: Sequence[str]) -> tuple[str, ...]:
        value = self.table.get(key)
        if value is None:
            return ()
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            self.fail(key, "应写成 [\"05\", \"06\"] 这样的职位代码列表（代码加英文双引号）")
            return ()
        for i, code in enumerate(value, start=1):
            if code not in known:
                self.fail(f"{key}[{i}]", f"职位代码“{code}”不在职位表.xlsx 中，请核对", code="unknown-post")
        return tuple(v for v in value if v in known)

    def rank_tenure(self, key: str) -> tuple[RankOption, ...] | None:
        tables = self.table.get(key)
        if not isinstance(tables, (list, tuple)) or not tables:
            self.fail(key, f"应写成若干个 [[{self.path}.{key}]] 小节，每节写 rank（一个职级）或 ranks（几个职级），"
                           "可选 years（年限）和 or_above（是否含以上职级）")
            return None
        options = []
        for i, table in enumerate(tables, start=1):
            sub = _Reader(self.problems, f"{self.path}.{key}[{i}]", table, ("rank", "ranks", "or_above", "years"))
            named = sub.named_ranks()
            years = sub.integer("years", 1, 40) if "years" in sub.table else None
            # Without or_above: 现任X (no years) admits X and above, 任X满N年 only X, as before ranks had tracks.
            or_above = sub.boolean("or_above") if "or_above" in sub.table else years is None
            if named and (years is not None or "years" not in sub.table) and or_above is not None:
                options.append(RankOption(named, or_above, years))
        return tuple(options) if len(options) == len(tables) else None

    def named_ranks(self) -> tuple[str, ...]:
        """Read `rank = "副科级"` or `ranks = ["副科级", "四级主任科员"]`: exactly one of them, every name known."""
        if ("rank" in self.table) == ("ranks" in self.table):
            if "rank" in self.table:
                self.fail("ranks", "rank 和 ranks 只写其一：一个职级写 rank = \"副科级\"，"
                                   "几个职级写 ranks = [\"副科级\", \"四级主任科员\"]")
            else:
                self.fail("rank", "每项都要写职级，如 rank = \"副科级\"", code="missing-key")
            return ()
        if "rank" in self.table:
            return self._known_ranks([("rank", self.table["rank"])])
        values = self.table["ranks"]
        if not isinstance(values, (list, tuple)) or not values:
            self.fail("ranks", f"应写成 [\"副科级\", \"四级主任科员\"] 这样的职级列表（至少一个），现为 {shown(values)}")
            return ()
        return self._known_ranks([(f"ranks[{i}]", value) for i, value in enumerate(values, start=1)])

    def _known_ranks(self, located: list[tuple[str, Any]]) -> tuple[str, ...]:
        unknown = [(where, value) for where, value in located
                   if not isinstance(value, str) or value not in RANKS_BY_NAME]
        for where, value in unknown:
            self.fail(where, rank_problem(value if isinstance(value, str) else shown(value)))
        names = [value for _, value in located]
        repeated = [(where, value) for i, (where, value) in enumerate(located) if value in names[:i]]
        for where, value in repeated:  # printed twice in the plan's text otherwise (任副科级、副科级职务)
            self.fail(where, f"“{value}”已在前面写过，请删去重复的一项")
        return () if unknown or repeated else tuple(names)
