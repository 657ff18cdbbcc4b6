"""Synthetic campaigns (devtools/synth.py): requested counts, valid unique IDs, same seed → same bytes."""
from __future__ import annotations

import tomllib
from pathlib import Path

import openpyxl
import pytest

from pipeline.campaign.columns import ALL_SHEETS, APPLICANTS, JUDGES, POSTS, SheetSpec
from devtools.synth import generate_campaign, split_judges

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999 7.2
FILES = ["campaign.toml"] + [s.file for s in ALL_SHEETS]
# campaign.toml minimums: 专家评委 7, 党委成员 5, 中层干部 10, 教师代表 30 (sum 52).
MINIMUMS = [("专家评委", 7), ("党委成员", 5), ("中层干部", 10), ("教师代表", 30)]


def records(folder: Path, spec: SheetSpec) -> list[dict]:
    ws = openpyxl.load_workbook(folder / spec.file)[spec.sheet]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r)) for r in values[1:] if any(v is not None for v in r)]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("small")
    generate_campaign(dest, posts=12, principal=5, applicants=40, judges=56, seed=3)
    return dest


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("full")
    generate_campaign(dest)  # seed 1's scale: 81 posts (28 正职, 53 副职), 600 applicants, 60 judges
    return dest


def test_small_campaign_has_the_requested_counts(small):
    posts = records(small, POSTS)
    assert len(posts) == 12
    assert sum(p["职位类别"] == "正职" for p in posts) == 5
    assert [p["职位代码"] for p in posts] == [f"{i:02d}" for i in range(1, 13)]
    assert len(records(small, APPLICANTS)) == 40
    judges = records(small, JUDGES)
    # 56 judges = minimums 52 + 4 spare, one spare to each group in turn: 8, 6, 11, 31.
    assert {g: sum(j["评委组"] == g for j in judges) for g, _ in MINIMUMS} == {
        "专家评委": 8, "党委成员": 6, "中层干部": 11, "教师代表": 31}


def test_seed_1_scale(full):
    posts = records(full, POSTS)
    assert (len(posts), sum(p["职位类别"] == "正职" for p in posts), sum(p["职位类别"] == "副职" for p in posts)) == (81, 28, 53)
    assert len({p["职位名称"] for p in posts}) == 81
    applicants = records(full, APPLICANTS)
    assert len(applicants) == 600
    judges = records(full, JUDGES)
    assert len(judges) == 60
    sizes = {g: sum(j["评委组"] == g for j in judges) for g, _ in MINIMUMS}
    assert all(sizes[g] >= m for g, m in MINIMUMS)
    teachers = [j for j in judges if j["评委组"] == "教师代表"]
    assert sum(j["职称"] in ("副高级", "正高级") for j in teachers) / len(teachers) >= 0.4  # seed 5: 40%


def test_ids_are_unique_valid_and_agree_with_the_row(full):
    applicants = records(full, APPLICANTS)
    ids = [a["身份证号"] for a in applicants]
    assert len(set(ids)) == len(ids)
    assert len({a["报名序号"] for a in applicants}) == len(applicants)
    assert len({a["联系电话"] for a in applicants}) == len(applicants)
    for a in applicants:
        s = a["身份证号"]
        assert isinstance(s, str) and len(s) == 18
        assert "10X98765432"[sum(int(d) * w for d, w in zip(s, WEIGHTS)) % 11] == s[17]
        assert a["出生年月"] == f"{s[6:10]}.{s[10:12]}"
        assert (int(s[16]) % 2 == 1) == (a["性别"] == "男")


def test_everyone_applies_for_one_or_two_known_posts_and_every_post_gets_applicants(full):
    codes = {p["职位代码"] for p in records(full, POSTS)}
    wanted = [a["报考职位"].split("、") for a in records(full, APPLICANTS)]
    assert {len(w) for w in wanted} == {1, 2}
    assert all(len(set(w)) == len(w) and set(w) <= codes for w in wanted)
    assert {c for w in wanted for c in w} == codes


def test_campaign_toml_is_the_sample_retitled(small):
    config = tomllib.loads((small / "campaign.toml").read_text(encoding="utf-8"))
    assert config["organisation"]["name"] == "临江镇"
    assert config["organisation"]["kind"] == "township"
    assert str(config["campaign"]["reference_date"]) == "2026-06-12"
    assert [g["name"] for g in config["scoring"]["groups"]] == [g for g, _ in MINIMUMS]


def test_same_seed_same_bytes_other_seed_other_people(small, tmp_path):
    generate_campaign(tmp_path / "again", posts=12, principal=5, applicants=40, judges=56, seed=3)
    assert all((small / f).read_bytes() == (tmp_path / "again" / f).read_bytes() for f in FILES)
    generate_campaign(tmp_path / "other", posts=12, principal=5, applicants=40, judges=56, seed=4)
    assert records(tmp_path / "other", APPLICANTS) != records(small, APPLICANTS)


def test_judges_are_split_by_minimums_first():
    assert split_judges(60, MINIMUMS) == [("专家评委", 9), ("党委成员", 7), ("中层干部", 12), ("教师代表", 32)]
    # Too few for the minimums: scaled down, at least one each (26 of 52 → 7*26//52=3, 2, 5, 15).
    assert split_judges(26, MINIMUMS) == [("专家评委", 3), ("党委成员", 2), ("中层干部", 5), ("教师代表", 15)]


def test_bad_sizes_are_refused(tmp_path):
    with pytest.raises(ValueError):
        generate_campaign(tmp_path, posts=5, principal=6)


@pytest.mark.parametrize("folder", ["small", "full"])
def test_synthetic_campaign_loads_without_problems(folder, request):
    inputs = pytest.importorskip("pipeline.campaign.load")
    data = inputs.load_campaign_folder(request.getfixturevalue(folder))
    expected = {"small": (12, 40, 56), "full": (81, 600, 60)}[folder]
    assert (len(data.posts), len(data.applicants), len(data.judges)) == expected
