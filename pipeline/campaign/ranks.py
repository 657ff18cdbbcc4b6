"""The rank table: every rank a 现职级 cell or a tenure condition may name, its track, its order and level.

Three tracks (docs/reference.md, 职级):
- 职务: the ladder of 领导职务 levels (公务员法, 2018 revision: 乡科级副职 … 厅局级正职), with the old 非领导职务
  科员 and 办事员 at its foot, as records written before 2019 still carry them. 股级 is not a 领导职务 level of
  the 公务员法: a 股长 holds a 职级 (e.g. 一级科员) or one of these, so it is no rank here.
- 职级: the 综合管理类 职级 of the 并行规定 (2019), 二级科员 … 一级巡视员.
- 岗位: the 管理岗位 grades of 事业单位 (事业单位岗位设置管理试行办法, 2006), 十级职员 … 三级职员.
`level` is the correspondence between tracks: 三级/四级主任科员 and 八级职员 stand where 副科级 (乡科级副职)
stands, and so on. 专业技术职务 is not a rank: it is the separate TITLE_LEVELS column.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.campaign.cleaning import CellError, choice_text

POST, GRADE, STAFF = "职务", "职级", "岗位"


@dataclass(frozen=True)
class Rank:
    """One rank: its track, its place on that track (`order`, 0 lowest) and its correspondence `level`."""

    name: str
    track: str
    order: int
    level: int  # 1 办事员, 2 科员, 3 乡科级副职, 4 乡科级正职, 5 县处级副职, 6 县处级正职, 7 厅局级副职, 8 厅局级正职


def _track(track: str, names_and_levels: tuple[tuple[str, int], ...]) -> tuple[Rank, ...]:
    return tuple(Rank(name, track, order, level) for order, (name, level) in enumerate(names_and_levels))


# Lowest first on each track. 职级 ↔ 领导职务 as the 并行规定 pairs them (一级/二级主任科员 ↔ 乡科级正职,
# 三级/四级主任科员 ↔ 乡科级副职, 一级/二级调研员 ↔ 县处级正职, 三级/四级调研员 ↔ 县处级副职,
# 一级/二级巡视员 ↔ 厅局级正职/副职; 一级科员 ↔ 科员, 二级科员 ↔ 办事员). 管理岗位 as the 试行办法 pairs them
# (三级/四级职员 ↔ 厅级正/副职, 五级/六级 ↔ 处级正/副职, 七级/八级 ↔ 科级正/副职, 九级/十级 ↔ 科员/办事员).
RANK_TABLE: tuple[Rank, ...] = (
    _track(POST, (("办事员", 1), ("科员", 2), ("副科级", 3), ("正科级", 4), ("副处级", 5), ("正处级", 6),
                  ("副厅级", 7), ("正厅级", 8)))
    + _track(GRADE, (("二级科员", 1), ("一级科员", 2), ("四级主任科员", 3), ("三级主任科员", 3),
                     ("二级主任科员", 4), ("一级主任科员", 4), ("四级调研员", 5), ("三级调研员", 5),
                     ("二级调研员", 6), ("一级调研员", 6), ("二级巡视员", 7), ("一级巡视员", 8)))
    + _track(STAFF, (("十级职员", 1), ("九级职员", 2), ("八级职员", 3), ("七级职员", 4), ("六级职员", 5),
                     ("五级职员", 6), ("四级职员", 7), ("三级职员", 8)))
)
RANKS_BY_NAME = {rank.name: rank for rank in RANK_TABLE}
# The 现职级 drop-down: the table's order (the old ladder first, as the sample and older records use it).
RANK_NAMES = tuple(RANKS_BY_NAME)

_LEADER_PAIRS = {"乡科级": "科", "县处级": "处", "厅局级": "厅"}
_STAFF_GRADES = "三四五六七八九十"
# What clerks type for a rank: 副科, 乡科级副职 (the 公务员法's words) and 科级副职 (the 试行办法's) for
# 副科级; 管理八级 and 八级职员岗位 for 八级职员.
RANK_ALIASES = {
    **{f"{kind}{short}": f"{kind}{short}级" for short in "科处厅" for kind in "副正"},
    **{f"{level}{kind}职": f"{kind}{short}级" for level, short in _LEADER_PAIRS.items() for kind in "副正"},
    **{f"{short}级{kind}职": f"{kind}{short}级" for short in "科处厅" for kind in "副正"},
    **{f"管理{g}级": f"{g}级职员" for g in _STAFF_GRADES},
    **{f"{g}级职员岗位": f"{g}级职员" for g in _STAFF_GRADES},
}
# Names that stand for several ranks (the old 非领导职务 were converted to one of several 职级 in 2019):
# refused with the ranks meant, never guessed.
AMBIGUOUS_RANKS = {
    **{word: tuple(f"{n}级主任科员" for n in "一二三四") for word in ("主任科员", "副主任科员")},
    **{word: tuple(f"{n}级调研员" for n in "一二三四") for word in ("调研员", "副调研员")},
    **{word: ("一级巡视员", "二级巡视员") for word in ("巡视员", "副巡视员")},
    "职员": tuple(f"{g}级职员" for g in _STAFF_GRADES),
}


def rank_problem(text: str) -> str:
    """Say why `text` is not a rank of the table and what to write instead (for a cell or a TOML value)."""
    if text in AMBIGUOUS_RANKS:
        return f"“{text}”不能确定是哪一级，请写明：{'、'.join(AMBIGUOUS_RANKS[text])}"
    if text in RANK_ALIASES:
        return f"“{text}”不是可用的值，请写作“{RANK_ALIASES[text]}”"
    if "股" in text:  # 股长, 股级, 副股级: a post's level in townships and county bureaus, not a rank (see above)
        return f"“{text}”是职位的级别，不是职级；请填写本人现任的职务或职级，如 一级科员、四级主任科员、副科级"
    tracks = {track: "、".join(r.name for r in RANK_TABLE if r.track == track) for track in (POST, GRADE, STAFF)}
    return (f"“{text}”不是可用的值，应为以下职级之一：职务 {tracks[POST]}；公务员职级 {tracks[GRADE]}；"
            f"事业单位管理岗位 {tracks[STAFF]}")


def parse_rank(value) -> str:
    """Read a 现职级 cell: a name of the table or an alias of one; anything else is a CellError saying why."""
    text = choice_text(value)
    text = RANK_ALIASES.get(text, text)
    if text in RANKS_BY_NAME:
        return text
    raise CellError(rank_problem(text), "bad-choice")


def at_or_above(rank: str, named: str) -> bool:
    """Tell whether `rank` is `named` or above it on the same track (以上 includes the rank itself)."""
    held, base = RANKS_BY_NAME[rank], RANKS_BY_NAME[named]
    return held.track == base.track and held.order >= base.order


def could_precede(earlier: str, current: str) -> bool:
    """Tell whether someone now at `current` may have held `earlier` before it, moving up or across.

    On one track a career moves up, so only a lower rank precedes; across tracks (a 四级主任科员 made
    副科级, a 副科级 given a 职级) any rank of the same or a lower level may have come first.
    """
    before, now = RANKS_BY_NAME[earlier], RANKS_BY_NAME[current]
    if before.track == now.track:
        return before.order < now.order
    return before.level <= now.level


def level_below(rank: str, target: str) -> bool:
    """Tell whether `rank` corresponds to a lower level than `target` (a 四级主任科员 is below 正科级)."""
    return RANKS_BY_NAME[rank].level < RANKS_BY_NAME[target].level


def track_of(rank: str) -> str:
    """Return the track of a rank: 职务, 职级 or 岗位 (the word the plan writes after it)."""
    return RANKS_BY_NAME[rank].track
