"""A post's level (职位层级) and whether appointing someone to it is 新提任 (docs/reference.md, 试用期).

A post's level is a 领导职务 level of the rank table's 职务 track (副科级 … 正厅级) or, in a 事业单位, a 管理岗位
grade (八级职员 … 三级职员); or 股级 / 副股级, the level a township's or county bureau's 站所长, 股长 and their
deputies usually carry. 股级 is no rank (pipeline.campaign.ranks: a 股长 holds a 职级 such as 一级科员), so it is
not in the rank table and is read here.

The rule (docs/reference.md, 试用期; 条例 第七章 任职 applies the probation to a cadre 提拔担任 a non-elected
领导职务):
- a post at a rank's level: 新提任 iff the applicant's 现职级 corresponds to a lower level (`ranks.level_below`,
  across tracks: a 四级主任科员 made 副科级 stays at level 3, not 新提任);
- a post at 股级 or 副股级: never presumed 新提任, whatever the 现职级 — it is not a 领导职务 level, so the
  appointment changes no rank (a 科员 made 股长 remains a 科员), and the 现职级 cannot tell a 副股长 from a 科员.
  Where a local rule on 股级干部 puts a new one on probation, the committee writes 是 in 任职决定.xlsx.
"""
from __future__ import annotations

from typing import Mapping

from pipeline.campaign.cleaning import CellError, choice_text
from pipeline.campaign.ranks import GRADE, POST, RANK_ALIASES, RANKS_BY_NAME, level_below

# The 股 levels, highest first; not ranks (see the module's docstring).
SECTION_LEVELS = ("股级", "副股级")
SECTION_ALIASES = {"正股级": "股级", "股": "股级", "正股": "股级", "副股": "副股级"}
# The lowest rank level a post may carry: 乡科级副职 (3); 科员 and 办事员 are no 领导职务 (公务员法 第十八条).
LOWEST_POST_LEVEL = 3
# Every level a 职位层级 cell or [documents] post_levels may name, lowest first (what a problem lists).
POST_LEVELS = (*reversed(SECTION_LEVELS),
               *(r.name for r in RANKS_BY_NAME.values() if r.track != GRADE and r.level >= LOWEST_POST_LEVEL))


def post_level_problem(text: str) -> str:
    """Say why `text` is not a post's level and what to write instead."""
    known = RANKS_BY_NAME.get(RANK_ALIASES.get(text, text))
    leaders = "、".join(n for n in POST_LEVELS if n in RANKS_BY_NAME and RANKS_BY_NAME[n].track == POST)
    if known is not None and known.track == GRADE:
        return (f"“{text}”是公务员职级，不是职位层级；请填写职位对应的领导职务层级，如 {leaders}，"
                f"或 {'、'.join(SECTION_LEVELS)}")
    if known is not None:  # 科员, 办事员, 九级/十级职员: no 领导职务 carries them
        return f"“{text}”不是领导职务的层级；站所、股室的职位请填 {'、'.join(SECTION_LEVELS)}"
    return f"“{text}”不是可用的职位层级，应为以下之一：{'、'.join(POST_LEVELS)}"


def parse_post_level(value) -> str:
    """Read a 职位层级: a name of POST_LEVELS or an alias of one (副科 → 副科级, 副股 → 副股级); else a CellError."""
    text = choice_text(value)
    text = SECTION_ALIASES.get(text, RANK_ALIASES.get(text, text))
    if text in POST_LEVELS:
        return text
    raise CellError(post_level_problem(choice_text(value)), "bad-choice")


def is_section_level(level: str) -> bool:
    """Tell whether a post's level is 股级 or 副股级 (no rank: see the module's rule)."""
    return level in SECTION_LEVELS


def level_of_post(category: str, own: str | None, by_category: Mapping[str, str],
                  kind_default: Mapping[str, str]) -> str:
    """The level a post carries: its 职位表 职位层级, else campaign.toml's for its category, else the kind's."""
    return own or by_category.get(category) or kind_default[category]


def newly_promoted(rank: str, level: str) -> bool:
    """新提任 by the module's rule: a rank-level post above the applicant's 现职级; a 股 level never."""
    if is_section_level(level):
        return False
    return level_below(rank, level)
