"""资格审查 (pipeline/review/eligibility.py): boundaries worked by hand, config errors located, text == review."""
from __future__ import annotations

from types import SimpleNamespace

import copy
import re
import datetime as dt
import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.review.eligibility import eligible_candidates, load_rules, review, rules_text
from pipeline.review.rules import parse_rules
from pipeline.errors import InputErrors
from pipeline.campaign.model import Applicant, Campaign, CampaignData, Post

D = dt.date
REF = D(2026, 6, 12)  # 报名截止日 of the sample campaign
# Seed 5's general conditions, written as campaign.toml's [eligibility] table.
SEED_RULES = {
    "min_education": "本科",
    "max_age": 45,
    "no_current_penalty": True,
    "rank_tenure": [{"rank": "副处级"}, {"rank": "正科级", "years": 3}, {"rank": "副科级", "years": 4}],
}
POSTS = (
    Post("01", "教务处", "教务处处长", "正职", 1),
    Post("05", "团委", "团委书记", "正职", 1, born_on_or_after=D(1991, 5, 31), political_requirement="中共正式党员"),
    Post("07", "教务处", "教务处副处长", "副职", 1),
)


def id_number(birth: dt.date, serial: str = "123", region: str = "320500") -> str:
    """Build a GB 11643 number: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainder → 1 0 X 9 8 7 6 5 4 3 2."""
    body = f"{region}{birth:%Y%m%d}{serial}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def test_id_helper_matches_the_standards_example():
    # GB 11643-1999's worked example is 11010519491231002X (check digit X).
    assert id_number(D(1949, 12, 31), "002", "110105") == "11010519491231002X"
    assert person(birth=D(1980, 2, 29)).birth_date == D(1980, 2, 29)


def person(number: str = "001", birth: dt.date = D(1985, 3, 1), **changes) -> Applicant:
    """A 副科级 of 2015 with 本科, a full party member: passes the seed's general conditions."""
    base = Applicant(
        number=number, name=f"报名人{number}", gender="男", ethnicity="汉族", birth_month=(birth.year, birth.month),
        id_number=id_number(birth), political_status="中共党员", education="大学本科", work_start=(2008, 7),
        current_post="教务处科长", rank="副科级", rank_since=D(2015, 1, 1), posts=("01",), phone="13800000000",
        party_join_date=(2006, 5),
    )
    return replace(base, **changes)


def campaign_data(applicants, table=None, posts=POSTS, reference_date=REF) -> CampaignData:
    campaign = Campaign(
        org_name="江州职业技术学院", org_short_name="江职院", party_committee="中共江州职业技术学院委员会",
        org_kind="college", personnel_office="组织人事处", title="2026年中层干部竞争上岗",
        reference_date=reference_date,
        settings=SimpleNamespace(eligibility=SEED_RULES if table is None else table),  # the rules read only this
    )
    return CampaignData(campaign, tuple(posts), tuple(applicants), ())


def run(applicants, **kwargs):
    data = campaign_data(applicants, **kwargs)
    return review(data, load_rules(data))


def reasons_of(applicant, **kwargs):
    (result,) = run([applicant], **kwargs)
    return list(result.reasons)


def test_a_fully_eligible_applicant_passes():
    (result,) = run([person()])
    assert (result.passed, result.verdict, result.reasons) == (True, "合格", ())


# --- 周岁 -----------------------------------------------------------------------------------------

def test_46th_birthday_on_the_reference_date_fails():
    # Born 1980-06-12; reference 2026-06-12: 2026-1980 = 46 and the birthday is that very day → 46 周岁 > 45.
    assert reasons_of(person(birth=D(1980, 6, 12))) == ["年龄超过45周岁"]


def test_46th_birthday_the_day_after_passes():
    # Born 1980-06-13: the 46th birthday is 2026-06-13, not yet reached on 2026-06-12 → 45 周岁, and 45 is included.
    assert reasons_of(person(birth=D(1980, 6, 13))) == []


def test_leap_day_birthday_in_a_common_year():
    # Reference 2026-02-28 (2026 is common). Born 1980-02-29: 2026 has no 2-29, so the birthday is the last
    # day of February, 2-28 (民法典 第二百零二条) → 46 周岁 on the reference date → fails.
    # Born 1980-03-01: the 46th birthday is 2026-03-01, not reached → 45 → passes.
    results = run([person("001", D(1980, 2, 29)), person("002", D(1980, 3, 1))], reference_date=D(2026, 2, 28))
    assert [(r.applicant_number, r.reasons) for r in results] == [("001", ("年龄超过45周岁",)), ("002", ())]


# --- rank and tenure -------------------------------------------------------------------------------

def test_tenure_one_day_short_fails_and_exactly_four_years_passes():
    # 副科级 since 2022-06-13: 满4年 on 2026-06-13, one day after the reference date → fails.
    # 副科级 since 2022-06-12: 满4年 on 2026-06-12, the reference date itself → passes (exactly N years).
    short = person("001", rank_since=D(2022, 6, 13))
    exact = person("002", rank_since=D(2022, 6, 12))
    results = run([short, exact])
    assert results[0].reasons == ("不符合职级和任职年限条件（任副科级职务不满4年）",)
    assert results[1].passed


def test_rank_alternatives():
    # 正处级 meets "现任副处级" (X or above); a 正科级 of one year is not rescued by the 副科级 rule
    # (that rule reads "任副科级职务", i.e. the current rank); a 科员 matches no alternative.
    senior = person("001", rank="正处级", rank_since=D(2025, 1, 1))
    new_chief = person("002", rank="正科级", rank_since=D(2025, 6, 12))
    clerk = person("003", rank="科员", rank_since=D(2010, 1, 1))
    results = run([senior, new_chief, clerk])
    assert [r.reasons for r in results] == [
        (),
        ("不符合职级和任职年限条件（任正科级职务不满3年）",),
        ("不符合职级和任职年限条件（现职级为科员）",),
    ]


def test_single_tenure_rule_gives_the_plain_reason():
    table = {"rank_tenure": [{"rank": "副科级", "years": 4}]}
    assert reasons_of(person(rank_since=D(2023, 1, 1)), table=table) == ["任副科级职务不满4年"]


# --- political status, per post -------------------------------------------------------------------

def test_probationary_member_for_a_post_needing_a_full_member():
    # 团委书记 (05) needs 中共正式党员 and birth on or after 1991-05-31.
    probationary = person("001", D(1991, 5, 31), political_status="中共预备党员", posts=("05",))
    full = person("002", D(1991, 5, 31), posts=("05",))
    results = run([probationary, full])
    assert results[0].reasons == ("非中共正式党员",)
    assert results[1].passed  # born on the day itself: "以后" includes it


def test_probationary_member_passes_where_any_member_will_do():
    table = dict(SEED_RULES, political_requirement="中共党员")
    assert reasons_of(person(political_status="中共预备党员"), table=table) == []
    assert reasons_of(person(political_status="群众"), table=table) == ["非中共党员"]


def test_eligible_for_one_of_two_posts():
    # Born 1985-03-01: fine for 01 (age 41), but 团委书记 (05) needs birth on or after 1991-05-31.
    results = run([person("001", posts=("01", "05")), person("002", D(1990, 1, 1), posts=("05",))])
    assert [(r.post_code, r.passed, r.reasons) for r in results] == [
        ("01", True, ()),
        ("05", False, ("出生日期早于1991年5月31日",)),
        ("05", False, ("出生日期早于1991年5月31日",)),
    ]
    assert eligible_candidates(results) == {"01": ["001"]}


def test_every_failed_condition_is_listed_in_order():
    # 大学专科 < 大学本科; born 1975-01-01 is 51 on 2026-06-12; a 科员; penalty runs to 2026-12-31.
    bad = person(education="大学专科", birth=D(1975, 1, 1), rank="科员", penalty_until=D(2026, 12, 31))
    assert reasons_of(bad) == [
        "学历低于大学本科", "年龄超过45周岁", "不符合职级和任职年限条件（现职级为科员）", "处分影响期未满",
    ]


def test_penalty_ending_on_the_reference_date_is_over():
    # 处分期满日期 2026-06-12: the period 届满 on that day (届满 includes it) → passes; 2026-06-13 → fails.
    assert reasons_of(person(penalty_until=REF)) == []
    assert reasons_of(person(penalty_until=D(2026, 6, 13))) == ["处分影响期未满"]


def test_work_party_grassroots_and_title():
    table = {"min_work_years": 10, "min_party_years": 5, "min_grassroots_years": 2, "min_title": "中级"}
    # 参加工作 2016.06 → from 2016-06-01, 满10年 on 2026-06-01 ≤ 2026-06-12; 入党 2021.06 likewise 满5年.
    ok = person(work_start=(2016, 6), party_join_date=(2021, 6), grassroots_years=Decimal(2), professional_title="中级")
    assert reasons_of(ok, table=table) == []
    # 2016.07 → 满10年 only on 2026-07-01; 入党 2021.07 → 2026-07-01; 1.5 < 2 years; 初级 < 中级.
    short = person(work_start=(2016, 7), party_join_date=(2021, 7), grassroots_years=Decimal("1.5"),
                   professional_title="初级")
    assert reasons_of(short, table=table) == [
        "工作年限不满10年", "党龄不满5年", "基层工作经历不满2年", "专业技术职务低于中级",
    ]


def test_post_rules_override_in_order():
    # 正职 posts: max_age 40; post 01 then back to 42; 职位表 column on 05 (max_age 38) wins over both.
    table = dict(SEED_RULES, post_rules=[{"category": "正职", "max_age": 40}, {"posts": ["01"], "max_age": 42}])
    posts = (POSTS[0], replace(POSTS[1], max_age=38, born_on_or_after=None), POSTS[2])
    # Born 1985-03-01 → 41 周岁 on 2026-06-12: 01 (≤42) passes, 05 (≤38) fails, 07 (副职, ≤45) passes.
    results = run([person(posts=("01", "05", "07"))], table=table, posts=posts)
    assert [(r.post_code, r.reasons) for r in results] == [("01", ()), ("05", ("年龄超过38周岁",)), ("07", ())]


def test_unknown_post_code_fails_with_a_reason():
    assert reasons_of(person(posts=("99",))) == ["报考的职位代码“99”不在职位表中"]


# --- configuration errors --------------------------------------------------------------------------

def test_configuration_errors_are_located_and_collected():
    table = {
        "min_education": "小学",
        "max_ag": 45,
        "rank_tenure": [{"rank": "副处级"}, {"rank": "副科级", "years": 4}, {"rank": "正科", "years": 3}],
        "min_title": "高级",
        "political_requirement": "党员",
        "post_rules": [{"posts": ["05", "09"], "max_age": 40}, {"max_age": 40}, {"category": "主任", "year": 1}],
    }
    with pytest.raises(InputErrors) as caught:
        load_rules(campaign_data([], table=table))
    found = [(p.file, p.column, p.code) for p in caught.value.problems]
    assert found == [
        ("campaign.toml", "eligibility.max_ag", "unknown-key"),
        ("campaign.toml", "eligibility.min_education", "bad-config"),
        ("campaign.toml", "eligibility.rank_tenure[3].rank", "bad-config"),
        ("campaign.toml", "eligibility.political_requirement", "bad-config"),
        ("campaign.toml", "eligibility.min_title", "bad-config"),
        ("campaign.toml", "eligibility.post_rules[1].posts[2]", "unknown-post"),
        ("campaign.toml", "eligibility.post_rules[2]", "missing-key"),
        ("campaign.toml", "eligibility.post_rules[3].year", "unknown-key"),
        ("campaign.toml", "eligibility.post_rules[3].category", "bad-config"),
    ]
    assert "“正科”不是可用的值" in caught.value.problems[2].message
    assert "campaign.toml 「eligibility.rank_tenure[3].rank」：" in str(caught.value)


def test_sample_campaign_rules_parse_cleanly():
    raw = tomllib.loads((Path(__file__).parent.parent / "inputs" / "campaign.toml").read_text("utf-8"))
    rules, problems = parse_rules(raw["eligibility"], POSTS, REF)
    assert problems == []
    assert rules.general.max_age == 45 and len(rules.general.rank_tenure) == 3


# --- the plan's text and the review agree ----------------------------------------------------------

def test_rules_text_for_the_seed():
    text = rules_text(load_rules(campaign_data([])), POSTS)
    assert text[:4] == [
        "具有大学本科及以上学历。",
        # 45 周岁 or under on 2026-06-12 ⇔ born on or after 1980-06-13 (see test_46th_birthday_* above).
        "年龄在45周岁以下（含45周岁，计算至2026年6月12日，即1980年6月13日以后出生）。",
        "现任副处级及以上职务，或任正科级职务满3年，或任副科级职务满4年（任职年限计算至2026年6月12日）。",
        "未受处分或所受处分影响期已满。",
    ]
    assert text[4] == "团委书记：1991年5月31日以后（含当日）出生，中共正式党员（不含预备党员）。"
    assert len(text) == 6 and "均包含本数或当日" in text[5] and "2026年6月12日" in text[5]


def test_text_and_review_move_together_when_max_age_changes():
    # Born 1985-03-01 → 41 周岁 on 2026-06-12. With max_age 45 the text says 45 and the applicant passes;
    # with 40 the text says 40 and the same applicant fails with 年龄超过40周岁.
    table = copy.deepcopy(SEED_RULES)
    for limit, passes in ((45, True), (40, False)):
        table["max_age"] = limit
        data = campaign_data([person()], table=table)
        rules = load_rules(data)
        assert f"年龄在{limit}周岁以下（含{limit}周岁" in rules_text(rules, POSTS)[1]
        assert review(data, rules)[0].passed is passes


def test_the_date_the_text_prints_is_the_date_the_review_applies():
    # Reference 2026-02-28, 45 周岁以下: the text names the first birth date admitted; the review must admit
    # exactly that day and refuse the day before (1980-03-01 admitted, 1980-02-29 refused: see the leap test).
    data = campaign_data([person("001", D(1980, 3, 1)), person("002", D(1980, 2, 29))], reference_date=D(2026, 2, 28))
    rules = load_rules(data)
    assert "即1980年3月1日以后出生" in rules_text(rules, POSTS)[1]
    assert [r.passed for r in review(data, rules)] == [True, False]


def test_category_rule_is_named_by_category_in_the_text():
    table = dict(SEED_RULES, post_rules=[{"category": "副职", "min_work_years": 5}])
    posts = POSTS + (Post("08", "人事处", "人事处副处长", "副职", 1),)
    text = rules_text(load_rules(campaign_data([], table=table, posts=posts)), posts)
    assert "副职职位：参加工作满5年。" in text


def test_the_commented_examples_in_campaign_toml_are_valid():
    # Uncomment every example key and [[eligibility.post_rules]] header the sample documents; all must parse.
    text = (Path(__file__).parent.parent / "inputs" / "campaign.toml").read_text("utf-8")
    text = re.sub(r"(?m)^# ((?:[a-z_]+ = |\[\[eligibility\.(?:post_rules|rank_tenure)\]\]).*)$", r"\1", text)
    raw = tomllib.loads(text)
    rules, problems = parse_rules(raw["eligibility"], POSTS, REF)
    assert problems == []
    assert rules.general.min_title == "中级" and len(rules.post_rules) == 2
    ranks = rules.general.rank_tenure[-1]  # the 职务与职级并行 example
    assert (ranks.ranks, ranks.or_above, ranks.years) == (("副科级", "四级主任科员"), True, 2)
