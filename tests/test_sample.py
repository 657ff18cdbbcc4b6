"""The sample campaign in inputs/: read the committed xlsx back and check the deliberate cases by hand.

Reference date R = 2026-06-12 (inputs/campaign.toml). Ages are 周岁: completed years on R, the birthday
itself counting (docs/reference.md, 计数用语: "以下" includes the number).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import tomllib
from functools import cache

import openpyxl
import pytest

from pipeline.campaign.columns import APPLICANTS, JUDGES, POSTS, SheetSpec
from tests.conftest import ROOT, SAMPLE

D = dt.date
R = D(2026, 6, 12)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999 7.2


def gb11643_ok(number: str) -> bool:
    """Check an ID the long way: weighted sum mod 11 → 1 0 X 9 8 7 6 5 4 3 2."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], WEIGHTS)) % 11] == number[17]


@cache
def rows(spec: SheetSpec) -> tuple[dict, ...]:
    """Rows of a sample sheet as {header: value}, values as stored (no reader involved)."""
    ws = openpyxl.load_workbook(SAMPLE / spec.file)[spec.sheet]
    values = list(ws.iter_rows(values_only=True))
    return tuple(dict(zip(values[0], r)) for r in values[1:] if any(v is not None for v in r))


def person(number: str) -> dict:
    return next(r for r in rows(APPLICANTS) if r["报名序号"] == number)


def born(number: str) -> dt.date:
    s = person(number)["身份证号"]
    return D(int(s[6:10]), int(s[10:12]), int(s[12:14]))


def since(number: str) -> dt.date:
    value = person(number)["任现职级时间"]
    return value.date() if isinstance(value, dt.datetime) else value


def test_gb11643_check_itself_on_the_standards_example():
    assert gb11643_ok("11010519491231002X")  # the worked example printed in GB 11643-1999
    assert not gb11643_ok("110105194912310021")


def test_posts_are_seed_5s_eight():
    posts = rows(POSTS)
    assert [p["职位名称"] for p in posts] == [
        "教务处处长", "人事处处长", "师范部主任", "外语系主任", "团委书记", "机电工程系主任", "音乐系主任", "基础部主任"]
    assert {(p["职位类别"], p["职数"]) for p in posts} == {("正职", 1)}
    youth = posts[4]
    assert (youth["职位代码"], youth["出生日期不早于"].date(), youth["政治面貌要求"]) == ("05", D(1991, 5, 31), "中共正式党员")
    assert all(p["出生日期不早于"] is None for p in posts if p is not youth)


def test_ids_are_valid_unique_text_and_match_birth_month_and_sex():
    people = rows(APPLICANTS)
    assert len(people) == 30
    ids = [p["身份证号"] for p in people]
    assert len(set(ids)) == 30
    for p in people:
        s = p["身份证号"]
        assert isinstance(s, str) and len(s) == 18 and gb11643_ok(s), p["姓名"]
        assert p["出生年月"] == f"{s[6:10]}.{s[10:12]}"
        assert (int(s[16]) % 2 == 1) == (p["性别"] == "男")  # GB 11643-1999 5.3: odd for men
        assert isinstance(p["联系电话"], str) and len(p["联系电话"]) == 11 and p["联系电话"].startswith("13")


def test_ids_and_phones_are_stored_as_text_cells():
    ws = openpyxl.load_workbook(SAMPLE / APPLICANTS.file)[APPLICANTS.sheet]
    for col in ("F", "T"):  # 身份证号 is the 6th column, 联系电话 the 20th
        assert {ws[f"{col}{r}"].data_type for r in range(2, 32)} == {"s"}
        assert {ws[f"{col}{r}"].number_format for r in range(2, 32)} == {"@"}


def test_age_boundaries():
    # 01 born 1980-06-12: 46th birthday is 2026-06-12 = R, so 46 周岁 on R (over 45: fails).
    assert born("01") == D(1980, 6, 12)
    # 02 born 1980-06-13: 46th birthday is 2026-06-13 = R + 1 day, so still 45 周岁 on R (passes).
    assert born("02") == D(1980, 6, 13)
    # 13 born on 2-29 1984: 2026 - 1984 = 42, birthday (Feb) already past by June: 42 周岁.
    assert born("13") == D(1984, 2, 29)


def test_tenure_boundaries():
    # 副科级 4 years: 2022-06-12 + 4 years = 2026-06-12 = R (满4年, passes); 2022-06-13 is one day short.
    assert (person("04")["现职级"], since("04")) == ("副科级", D(2022, 6, 12))
    assert (person("03")["现职级"], since("03")) == ("副科级", D(2022, 6, 13))
    # 正科级 3 years: 2023-06-12 + 3 = 2026-06-12 = R (passes); 29 from 2023-06-13 is one day short.
    assert (person("05")["现职级"], since("05")) == ("正科级", D(2023, 6, 12))
    assert (person("29")["现职级"], since("29")) == ("正科级", D(2023, 6, 13))
    assert person("06")["现职级"] == "副处级"
    assert person("15")["现职级"] == "科员"


def test_other_deliberate_cases():
    assert person("07")["学历"] == "大学专科"  # GB/T 4658, below the 大学本科 the sample requires
    assert person("18")["政治面貌"] == "民盟盟员"  # GB/T 4762 names the party, not "民主党派"
    assert (person("08")["政治面貌"], person("08")["报考职位"]) == ("中共预备党员", "05")
    assert (born("09"), person("09")["报考职位"]) == (D(1991, 5, 30), "05")  # one day before 1991-05-31
    assert (born("10"), person("10")["报考职位"]) == (D(1991, 5, 31), "05")  # the day itself counts
    assert person("11")["处分期满日期"].date() == D(2026, 12, 31)  # after R: still under penalty
    assert person("14")["处分期满日期"].date() == D(2025, 8, 31)  # before R: expired
    assert (person("12")["政治面貌"], person("12")["报考职位"]) == ("群众", "05、04")


def eligible(p: dict, post: dict) -> bool:
    """Seed 5's conditions, written out independently of pipeline/review/eligibility.py."""
    b = born(p["报名序号"])
    age = R.year - b.year - ((R.month, R.day) < (b.month, b.day))
    s = since(p["报名序号"])
    years_held = R.year - s.year - ((R.month, R.day) < (s.month, s.day))
    rank_ok = (p["现职级"] == "副处级" or (p["现职级"] == "正科级" and years_held >= 3)
               or (p["现职级"] == "副科级" and years_held >= 4))
    penalty = p["处分期满日期"]
    ok = (age <= 45 and p["学历"] in ("大学本科", "硕士研究生", "博士研究生") and rank_ok
          and (penalty is None or penalty.date() <= R))
    if post["出生日期不早于"] is not None:
        ok = ok and b >= post["出生日期不早于"].date() and p["政治面貌"] == "中共党员"
    return ok


# The table in devtools/make_sample.py: who is eligible for which post.
EXPECTED_ELIGIBLE = {
    "01": {"02", "16", "25"}, "02": {"04", "17", "25"}, "03": {"05", "06", "18", "30"},
    "04": {"12", "19", "30"}, "05": {"10", "20"}, "06": {"14", "21", "26"}, "07": {"13", "22", "27"},
    "08": {"23", "24", "28"},
}


def test_each_post_has_the_planned_eligible_candidates():
    posts = {p["职位代码"]: p for p in rows(POSTS)}
    found = {code: set() for code in posts}
    for p in rows(APPLICANTS):
        for code in p["报考职位"].split("、"):
            if eligible(p, posts[code]):
                found[code].add(p["报名序号"])
    assert found == EXPECTED_ELIGIBLE
    assert min(len(v) for v in found.values()) >= 2


def test_judges_match_seed_5_groups():
    judges = rows(JUDGES)
    toml = tomllib.loads((SAMPLE / "campaign.toml").read_text(encoding="utf-8"))
    groups = [g["name"] for g in toml["scoring"]["groups"]]
    sizes = {g: sum(j["评委组"] == g for j in judges) for g in groups}
    assert sizes == {"专家评委": 7, "党委成员": 7, "中层干部": 12, "教师代表": 30}
    assert all(sizes[g["name"]] >= g["min_judges"] for g in toml["scoring"]["groups"])
    teachers = [j for j in judges if j["评委组"] == "教师代表"]
    senior = sum(j["职称"] in ("副高级", "正高级") for j in teachers)
    assert senior / len(teachers) >= 0.4  # seed 5: at least 40% senior titles (13 of 30 here)
    assert len({j["评委编号"] for j in judges}) == len(judges) == 56
    assert not {j["姓名"] for j in judges} & {p["姓名"] for p in rows(APPLICANTS)}


def test_committed_sample_is_what_the_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "devtools" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in module.make_sample(tmp_path):
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), path.name


def test_sample_loads_without_problems():
    inputs = pytest.importorskip("pipeline.campaign.load")
    data = inputs.load_campaign_folder(SAMPLE)
    assert (len(data.posts), len(data.applicants), len(data.judges)) == (8, 30, 56)
    assert {a.number: a.birth_date for a in data.applicants}["13"] == D(1984, 2, 29)
