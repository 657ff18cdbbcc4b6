"""The plan's 报名条件 paragraphs, rendered from the same rule objects the review applies.

Wording follows 民法典 第一千二百五十九条: 以上/以下/满 include the number, and the plan says so.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Sequence

from pipeline.review.rules import Conditions, RankOption, RuleSet
from pipeline.campaign.model import Post
from pipeline.campaign.ranks import track_of
from pipeline.engine.jinja_env import chinese_date
from pipeline.review.periods import earliest_birth_within_age

# How the plan names an education level (the ladder's 本科 is 大学本科 in prose).
# The lowest level of GB/T 4658's scale names a range: its "及以上" is every level, said from 初中 up.
EDUCATION_PROSE = {"初中及以下": "初中"}
POLITICAL_PROSE = {"中共党员": "中共党员（含预备党员）", "中共正式党员": "中共正式党员（不含预备党员）"}


def rules_text(rules: RuleSet, posts: Sequence[Post]) -> list[str]:
    """Return the conditions section of the plan: general paragraphs, per-post extras, the counting rule."""
    on = rules.reference_date
    general = [clause + "。" for clause in condition_clauses(rules.general, on, detailed=True)]
    return general + post_paragraphs(rules, posts) + [counting_convention(on)]


def condition_clauses(c: Conditions, on: dt.date, detailed: bool = False,
                      only: Sequence[str] | None = None) -> list[str]:
    """Return one clause per condition set in `c` (all fields, or those named in `only`), in plan order."""
    names = [f.name for f in fields(Conditions)] if only is None else only
    clauses = [_clause(name, getattr(c, name), on, detailed) for name in names]
    return [clause for clause in clauses if clause]


def post_paragraphs(rules: RuleSet, posts: Sequence[Post]) -> list[str]:
    """Return "团委书记：…。" for posts whose conditions differ from the general ones; equal texts share a line."""
    groups: dict[str, list[Post]] = {}
    for post in posts:
        c = rules.for_post(post)
        changed = [f.name for f in fields(Conditions) if getattr(c, f.name) != getattr(rules.general, f.name)]
        clauses = condition_clauses(c, rules.reference_date, only=changed)
        if clauses:
            groups.setdefault("，".join(clauses), []).append(post)
    return [f"{_label(group, posts)}：{text}。" for text, group in groups.items()]


def counting_convention(on: dt.date) -> str:
    """Say how the numbers in the conditions are counted (民法典 第二百零二条、第一千二百五十九条)."""
    return (f"以上条件中的“以上”“以下”“以后”和“满N年”均包含本数或当日；年龄按周岁计算，年龄、任职年限、"
            f"工作年限和党龄均计算至{chinese_date(on)}；按年计算的期间到对应日届满，2月29日起算的，"
            f"非闰年以2月28日为届满日；只填年月的时间（如参加工作时间、入党时间）从该月1日起算。")


def rank_option_text(option: RankOption) -> str:
    """Return "现任副处级及以上职务", "任副科级职务满4年" or "任副科级及以上职务或四级主任科员及以上职级满2年".

    Ranks are grouped by track, each group followed by its word (职务, 职级, 岗位), so a 职级 is never
    called a 职务; the groups are joined by 或 in the order the campaign names them.
    """
    groups: dict[str, list[str]] = {}
    for name in option.ranks:
        groups.setdefault(track_of(name), []).append(name)
    above = "及以上" if option.or_above else ""
    held = "或".join(f"{'、'.join(names)}{above}{track}" for track, names in groups.items())
    return f"现任{held}" if option.years is None else f"任{held}满{option.years}年"


def _clause(name: str, value, on: dt.date, detailed: bool) -> str | None:
    if value is None or value == () or value is False:
        return None
    return {
        "min_education": lambda: f"具有{EDUCATION_PROSE.get(value, value)}及以上学历",
        "max_age": lambda: _age_clause(value, on, detailed),
        "born_on_or_after": lambda: f"{chinese_date(value)}以后（含当日）出生",
        "rank_tenure": lambda: _rank_clause(value, on, detailed),
        "political_requirement": lambda: POLITICAL_PROSE[value],
        "min_work_years": lambda: f"参加工作满{value}年",
        "min_party_years": lambda: f"党龄满{value}年（按入党时间计算）",
        "min_grassroots_years": lambda: f"具有{value}年以上基层工作经历",
        "min_title": lambda: f"具有{value}及以上专业技术职务",
        "no_current_penalty": lambda: "未受处分或所受处分影响期已满",
    }[name]()


def _age_clause(max_age: int, on: dt.date, detailed: bool) -> str:
    earliest = chinese_date(earliest_birth_within_age(max_age, on))
    counted = f"计算至{chinese_date(on)}，" if detailed else ""
    return f"年龄在{max_age}周岁以下（含{max_age}周岁，{counted}即{earliest}以后出生）"


def _rank_clause(options: tuple[RankOption, ...], on: dt.date, detailed: bool) -> str:
    text = "，或".join(rank_option_text(o) for o in options)
    if detailed and any(o.years for o in options):
        text += f"（任职年限计算至{chinese_date(on)}）"
    return text


def _label(group: list[Post], posts: Sequence[Post]) -> str:
    """Name posts as the plan does: by title, with the department where titles repeat; a whole category by name."""
    for category in {p.category for p in group}:
        members = [p for p in posts if p.category == category]
        if len(members) > 1 and members == group:
            return f"{category}职位"
    titles = [p.title for p in posts]
    return "、".join(p.title if titles.count(p.title) == 1 else f"{p.department}{p.title}" for p in group)
