"""职位层级 and 新提任 (docs/reference.md, 试用期), and counts in people and candidacies."""
from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pipeline.appointment.decisions import post_level, presumed_promotion
from pipeline.campaign.cleaning import CellError
from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.model import Post
from pipeline.campaign.post_levels import newly_promoted, parse_post_level
from pipeline.errors import InputErrors
from pipeline.papers.notices import inspection_people
from pipeline.scoring.compute import Candidate, CandidateResult
from pipeline.status import counts
from test_eligibility import person

TOWNSHIP = Path(__file__).resolve().parent.parent / "examples" / "township"


def test_a_clerk_made_head_of_a_section_level_post_is_not_newly_promoted():
    # 股级 is no 领导职务 level (公务员法 第十八条 starts at 乡科级副职), so a 科员 made 股长 keeps the rank 科员:
    # not 新提任, and a 副股长 (also 科员 by rank) made 股长 neither. Nothing below 副科级 is ever presumed.
    assert newly_promoted("科员", "股级") is False
    assert newly_promoted("一级科员", "副股级") is False
    assert newly_promoted("办事员", "股级") is False


def test_a_promotion_follows_from_the_levels_of_rank_and_post():
    # 副科级 is level 3, 正科级 level 4: 3 < 4, 新提任. 四级主任科员 is level 3 (乡科级副职), a 副科级 post level 3:
    # not below, not 新提任. A 正科级 made head of a 副科级 post: 4 > 3, not. A 八级职员 (3) to a 副处级 post (5): 新提任.
    assert newly_promoted("副科级", "正科级") is True
    assert newly_promoted("四级主任科员", "副科级") is False
    assert newly_promoted("正科级", "副科级") is False
    assert newly_promoted("八级职员", "副处级") is True


def test_the_post_level_comes_from_the_post_then_the_campaign_then_the_kind():
    principal = Post("01", "财政所", "财政所所长", "正职", 1)
    section = Post("02", "财政所", "财政所所长", "正职", 1, level="股级")
    # No level anywhere: the township's presumption, 正科级 (templates/单位类型.toml), as before post levels were read.
    assert post_level("township", principal) == "正科级"
    assert post_level("township", principal, {"正职": "股级"}) == "股级"
    assert post_level("township", section, {"正职": "正科级"}) == "股级"  # the 职位表 row wins
    # A 科员 for the 正科级 presumption: level 2 < 4, 新提任 (today's behaviour); for the 股级 post: not.
    clerk = person(rank="科员")
    assert presumed_promotion("township", clerk, principal) is True
    assert presumed_promotion("township", clerk, section) is False
    assert presumed_promotion("township", clerk, principal, {"正职": "股级"}) is False


def test_post_levels_are_read_with_their_aliases_and_refused_with_what_to_write():
    assert [parse_post_level(v) for v in ("副科", "乡科级正职", "正股级", "副股", " 股级 ")] == [
        "副科级", "正科级", "股级", "副股级", "股级"]
    with pytest.raises(CellError, match="是公务员职级，不是职位层级"):
        parse_post_level("一级主任科员")
    with pytest.raises(CellError, match="不是领导职务的层级"):
        parse_post_level("科员")
    with pytest.raises(CellError, match="不是可用的职位层级"):
        parse_post_level("所级")


def _copy_township(tmp_path: Path) -> Path:
    dest = tmp_path / "township"
    shutil.copytree(TOWNSHIP, dest)
    return dest


def test_a_bad_post_level_is_located(tmp_path):
    folder = _copy_township(tmp_path)
    wb = openpyxl.load_workbook(folder / "职位表.xlsx")
    ws = wb["职位表"]
    ws.cell(row=1, column=12, value="职位层级")
    ws.cell(row=2, column=12, value="股级")
    ws.cell(row=3, column=12, value="所级")  # no such level: row 3, column L
    wb.save(folder / "职位表.xlsx")
    with pytest.raises(InputErrors) as caught:
        load_campaign_folder(folder)
    [problem] = [p for p in caught.value.problems if p.column == "职位层级"]
    assert (problem.file, problem.sheet, problem.row, problem.cell) == ("职位表.xlsx", "职位表", 3, "L3")
    assert "“所级”不是可用的职位层级，应为以下之一：副股级、股级、副科级" in problem.message


def test_post_levels_per_category_in_campaign_toml(tmp_path):
    folder = _copy_township(tmp_path)
    toml = folder / "campaign.toml"
    text = toml.read_text("utf-8").replace(
        "probation_months = 12", 'probation_months = 12\npost_levels = { "正职" = "股级", "副职" = "副股" }', 1)
    toml.write_text(text, "utf-8")
    data = load_campaign_folder(folder)
    assert data.campaign.settings.documents.post_levels == (("正职", "股级"), ("副职", "副股级"))
    toml.write_text(text.replace('"副职" = "副股"', '"副职" = "一级科员"'), "utf-8")
    with pytest.raises(InputErrors) as caught:
        load_campaign_folder(folder)
    [problem] = caught.value.problems
    assert problem.column == "documents.post_levels" and problem.row == 177
    assert "副职的“一级科员”是公务员职级，不是职位层级" in problem.message


def test_status_counts_people_and_candidacies_of_the_township():
    from pipeline.run import prepare

    prepared = prepare(TOWNSHIP)
    lines = counts(prepared.data, prepared.outcome)
    # examples/township (its README): 220 applicants, 582 candidacies; 284 eligible candidacies of 110 people take
    # the 笔试; 1:3 of the places let 208 candidacies of 97 people into the 面试, the last round, whose results are
    # the scored ones; the allocation makes 77 people 考察对象 of one post each (4 posts 空缺), so 77 人 alone.
    assert "  报名 220 人，报考 582 人次；资格审查合格 284 人次（110 人），不合格 298 人次" in lines
    assert any(line.startswith("  已录入评分 208 人次（97 人）；考察对象 77 人") for line in lines)


def _result(number: str, post: str, inspection: bool, allocated_to: str | None = None) -> CandidateResult:
    return CandidateResult(Candidate(number, f"甲{number}", post), (), Decimal("80"), (), None, Decimal("80"),
                           inspection=inspection, allocated_to=allocated_to)


def test_a_person_is_listed_once_in_the_public_inspection_list():
    # Unallocated results holding 0001 as 考察对象 of posts 01 and 02: once, on the post the place went to (02,
    # said by the 01 result's allocated_to); 0002 once; 0003 (not a 考察对象) not at all.
    results = [_result("0001", "01", True, allocated_to="02"), _result("0002", "01", True),
               _result("0001", "02", True), _result("0003", "02", False)]
    assert [(r.candidate.number, r.candidate.post_code) for r in inspection_people(results)] == [
        ("0001", "02"), ("0002", "01")]
    # Without allocated_to, the first in the results' order (01).
    plain = [_result("0001", "01", True), _result("0001", "02", True)]
    assert [r.candidate.post_code for r in inspection_people(plain)] == ["01"]
