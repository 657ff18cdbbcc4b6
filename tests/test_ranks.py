"""The rank table (pipeline/campaign/ranks.py): the 现职级 column reads every rank of it, and the table agrees
with what docs/reference.md, 职级 prints for the office."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from broken.factory import applicants, make_campaign, write_workbook
from pipeline.appointment.decisions import presumed_promotion
from pipeline.campaign.columns import APPLICANTS
from pipeline.campaign.idcard import make_id
from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.ranks import RANK_NAMES, RANK_TABLE
from pipeline.errors import InputErrors
from test_eligibility import POSTS, person

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡林郭何高罗郑梁谢宋唐许邓冯韩曹"
# Written out by hand from the 并行规定 and the 事业单位岗位设置管理试行办法 (not from the table under test).
EXPECTED_NAMES = {
    "办事员", "科员", "副科级", "正科级", "副处级", "正处级", "副厅级", "正厅级",
    "二级科员", "一级科员", "四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员",
    "四级调研员", "三级调研员", "二级调研员", "一级调研员", "二级巡视员", "一级巡视员",
    "十级职员", "九级职员", "八级职员", "七级职员", "六级职员", "五级职员", "四级职员", "三级职员",
}


def rows_with_ranks(typed: list[str]) -> list[dict]:
    """One 报名信息 row per typed 现职级: the factory's first applicant (女, born 1980-03-14), own number and ID."""
    base = applicants()[0]
    return [dict(base, 报名序号=f"{i:03d}", 姓名=f"{SURNAMES[i]}明", 身份证号=make_id("320102", dt.date(1980, 3, 14),
                                                                                  100 + 2 * i), 现职级=rank)
            for i, rank in enumerate(typed)]


def test_the_rank_column_reads_every_rank_of_the_table(tmp_path):
    folder = make_campaign(tmp_path)
    write_workbook(folder / APPLICANTS.file, APPLICANTS, rows_with_ranks(list(RANK_NAMES)))
    data = load_campaign_folder(folder)
    assert set(RANK_NAMES) == EXPECTED_NAMES
    assert [a.rank for a in data.applicants] == list(RANK_NAMES)


def test_what_clerks_type_for_a_rank_is_read_as_the_table_names_it(tmp_path):
    # 乡科级副职 is the 公务员法's word for 副科级, 处级正职 the 试行办法's for 正处级, 管理八级 the usual record of
    # 八级职员; full-width spaces are tidied.
    folder = make_campaign(tmp_path)
    typed = ["乡科级副职", "处级正职", "管理八级", "副科", "　四级主任科员 ", "县处级副职"]
    write_workbook(folder / APPLICANTS.file, APPLICANTS, rows_with_ranks(typed))
    data = load_campaign_folder(folder)
    assert [a.rank for a in data.applicants] == ["副科级", "正处级", "八级职员", "副科级", "四级主任科员", "副处级"]


def test_an_ambiguous_or_unknown_rank_is_located_with_what_to_write(tmp_path):
    folder = make_campaign(tmp_path)
    write_workbook(folder / APPLICANTS.file, APPLICANTS, rows_with_ranks(["一级科员", "主任科员", "股长"]))
    with pytest.raises(InputErrors) as caught:
        load_campaign_folder(folder)
    found = [(p.file, p.sheet, p.row, p.column, p.cell, p.code) for p in caught.value.problems]
    assert found == [("报名信息.xlsx", "报名信息", 3, "现职级", "M3", "bad-choice"),
                     ("报名信息.xlsx", "报名信息", 4, "现职级", "M4", "bad-choice")]
    messages = [p.message for p in caught.value.problems]
    assert messages[0] == "“主任科员”不能确定是哪一级，请写明：一级主任科员、二级主任科员、三级主任科员、四级主任科员"
    # 股长 is a post's level in a township or a county bureau: the holder's own rank is asked for.
    assert messages[1] == "“股长”是职位的级别，不是职级；请填写本人现任的职务或职级，如 一级科员、四级主任科员、副科级"


def test_a_rank_with_an_invisible_character_is_read(tmp_path):
    # U+200B and U+FEFF come along when a rank is copied from a web page; nobody can see them in the cell.
    folder = make_campaign(tmp_path)
    write_workbook(folder / APPLICANTS.file, APPLICANTS, rows_with_ranks(["正科级\u200b", "\ufeff副科级"]))
    assert [a.rank for a in load_campaign_folder(folder).applicants][:2] == ["正科级", "副科级"]


def test_the_reference_table_of_ranks_is_the_code_table():
    # docs/reference.md, 职级 prints one row per level: the ranks of each track at that level. Each rank must sit at
    # its table level, and the order along each track must be the table's.
    text = (ROOT / "docs" / "reference.md").read_text("utf-8")
    section = text[text.index("\n## 职级\n"):]
    rows = re.findall(r"^\| (\d) \| [^|]+ \| ([^|]*) \| ([^|]*) \| ([^|]*) \|$", section, re.M)
    printed: dict[str, tuple[str, int]] = {}  # in print order: by level, then left to right within a cell
    for level, *tracks in rows:
        for track, cell in zip(("职务", "职级", "岗位"), tracks):
            for name in re.findall(r"\w+", cell):
                printed[name] = (track, int(level))
    assert printed == {r.name: (r.track, r.level) for r in RANK_TABLE}
    for track in ("职务", "职级", "岗位"):
        assert [n for n, (t, _) in printed.items() if t == track] == [r.name for r in RANK_TABLE if r.track == track]


def test_a_promotion_is_presumed_from_the_level_a_rank_corresponds_to():
    # A township 正职 post carries 正科级 (level 4). A 四级主任科员 (level 3, 乡科级副职) is below it: 新提任.
    # An 一级主任科员 (level 4) is not; nor is a 正科级. A 八级职员 (level 3) for a college 副职 post (副处级,
    # level 5) is below it; a 六级职员 (level 5, 处级副职) is not.
    principal, deputy = POSTS[0], POSTS[2]
    assert [presumed_promotion("township", person(rank=rank), principal)
            for rank in ("四级主任科员", "一级主任科员", "正科级")] == [True, False, False]
    assert [presumed_promotion("college", person(rank=rank), deputy) for rank in ("八级职员", "六级职员")] == [
        True, False]
