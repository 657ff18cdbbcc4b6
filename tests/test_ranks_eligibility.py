"""Tenure conditions written with 职级 (campaign.toml [eligibility] rank_tenure with `ranks`, `or_above`).

Every expected outcome below is worked out by hand from the rank table of docs/reference.md, 职级: three tracks
(职务 办事员 < 科员 < 副科级 < 正科级 < 副处级 …; 职级 二级科员 < 一级科员 < 四级主任科员 < 三级主任科员 < …;
岗位 十级职员 < … < 三级职员), "及以上" within a track only, and 满N年 counted from 任现职级时间 to the reference
date with the day of the mark included (民法典 第二百零二条、第一千二百五十九条).
Only the public API of the review is used, as a campaign would: the tables are what campaign.toml holds.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from pipeline.errors import InputErrors
from pipeline.review.eligibility import load_rules, review, rules_text
from test_eligibility import POSTS, REF, campaign_data, person

D = dt.date
# 任副科级及以上职务或四级主任科员及以上职级满2年: one alternative, two tracks, time in either counts.
CROSS_TRACK = {"rank_tenure": [{"ranks": ["副科级", "四级主任科员"], "or_above": True, "years": 2}]}
# One track only: 任四级主任科员及以上职级满2年.
GRADE_ONLY = {"rank_tenure": [{"ranks": ["四级主任科员"], "or_above": True, "years": 2}]}
VERIFY_CROSS = "须按任职经历核实是否累计任副科级及以上职务或四级主任科员及以上职级满2年"


def reasons(table, *people):
    data = campaign_data(people, table=table)
    return [r.reasons for r in review(data, load_rules(data))]


def test_two_year_mark_the_day_before_of_and_after_the_reference_date():
    # Reference date 2026-06-12. A 四级主任科员 since 2024-06-11 completes 2 years on 2026-06-11 (the day before):
    # passes. Since 2024-06-12: completes them on 2026-06-12 itself, and 满 includes that day: passes.
    # Since 2024-06-13: completes them on 2026-06-13, the day after: short. Nothing the condition admits comes
    # before 四级主任科员 on its track (二级/一级科员 are not admitted) and no other track is named, so the
    # record decides: 不合格, "任四级主任科员职级不满2年".
    people = [person(f"00{i}", rank="四级主任科员", rank_since=since)
              for i, since in enumerate((D(2024, 6, 11), D(2024, 6, 12), D(2024, 6, 13)), start=1)]
    assert reasons(GRADE_ONLY, *people) == [(), (), ("任四级主任科员职级不满2年",)]


def test_a_rank_below_the_same_and_above_on_the_grade_track():
    # 一级科员 is below 四级主任科员 on the 职级 track: not admitted at all, whatever its tenure (since 2010).
    # 四级主任科员 since 2020 (6 years) is the rank named: passes. 三级主任科员 since 2020 is above it: passes.
    # 一级调研员 since 2025-06-12 (1 year) is above it, but the workbook only knows the 一级调研员 time: the person
    # was surely 四级主任科员 or higher before (any of 四级主任科员 … 二级调研员 counts), so only the 任职经历 can
    # tell whether the admitted time adds up to 2 years: 不合格 with what to verify.
    people = [person("001", rank="一级科员", rank_since=D(2010, 1, 1)),
              person("002", rank="四级主任科员", rank_since=D(2020, 1, 1)),
              person("003", rank="三级主任科员", rank_since=D(2020, 1, 1)),
              person("004", rank="一级调研员", rank_since=D(2025, 6, 12))]
    assert reasons(GRADE_ONLY, *people) == [
        ("现职级不符合“任四级主任科员及以上职级满2年”的条件",),
        (),
        (),
        ("任一级调研员职级不满2年，须按任职经历核实是否累计任四级主任科员及以上职级满2年",),
    ]


def test_above_on_the_post_track_and_across_tracks():
    # Condition 任副科级及以上职务或四级主任科员及以上职级满2年.
    # 正科级 since 2020: above 副科级, held 6 years: passes. 副处级 since 2024-06-12: exactly 2 years: passes.
    # 正科级 since 2025-06-12 (1 year): was 副科级 (or a 职级) before, unseen: 不合格, verify.
    # 副科级 since 2025-06-12 (1 year): the lowest 职务 named, but a 四级主任科员 (same level, 乡科级副职) may have
    # been made 副科级 and that time counts too: 不合格, verify.
    # 四级主任科员 since 2025-06-12: likewise may have been 副科级 before: 不合格, verify.
    people = [person("001", rank="正科级", rank_since=D(2020, 1, 1)),
              person("002", rank="副处级", rank_since=D(2024, 6, 12)),
              person("003", rank="正科级", rank_since=D(2025, 6, 12)),
              person("004", rank="副科级", rank_since=D(2025, 6, 12)),
              person("005", rank="四级主任科员", rank_since=D(2025, 6, 12))]
    assert reasons(CROSS_TRACK, *people) == [
        (), (),
        (f"任正科级职务不满2年，{VERIFY_CROSS}",),
        (f"任副科级职务不满2年，{VERIFY_CROSS}",),
        (f"任四级主任科员职级不满2年，{VERIFY_CROSS}",),
    ]


def test_the_staff_grade_track():
    # 任八级职员及以上岗位满2年. 七级职员 since 2020 is above 八级职员 and held 6 years: passes. 八级职员 since
    # 2024-06-13 is 1 day short, and nothing admitted precedes it: 不合格, "任八级职员岗位不满2年".
    table = {"rank_tenure": [{"rank": "八级职员", "or_above": True, "years": 2}]}
    people = [person("001", rank="七级职员", rank_since=D(2020, 1, 1)),
              person("002", rank="八级职员", rank_since=D(2024, 6, 13))]
    assert reasons(table, *people) == [(), ("任八级职员岗位不满2年",)]


def test_a_staff_grade_and_the_old_clerk_against_a_grade_condition():
    # 八级职员 corresponds to 四级主任科员 (科级副职) but is a 事业单位 grade, not a 公务员职级: a condition that
    # names the 职级 does not admit it (the office names 八级职员 too if it means to). The old 科员 (职务 track,
    # below 副科级) is not a 职级 either, and is below the level anyway.
    people = [person("001", rank="八级职员", rank_since=D(2015, 1, 1)),
              person("002", rank="科员", rank_since=D(2015, 1, 1))]
    expected = ("现职级不符合“任四级主任科员及以上职级满2年”的条件",)
    assert reasons(GRADE_ONLY, *people) == [expected, expected]


def test_the_old_forms_keep_their_meaning_on_the_post_track():
    # rank = "科员" alone is 现任科员及以上职务, as before ranks had tracks: the old 科员 and a 副科级 pass. An
    # 一级科员 is a 职级, not a 职务, so it does not: the text says 职务. rank with years stays exactly that rank:
    # a 正科级 of 10 years does not pass 任副科级职务满4年 (seed 5's rule), a 副科级 of 4 years does.
    clerk = {"rank_tenure": [{"rank": "科员"}]}
    assert reasons(clerk, person("001", rank="科员"), person("002", rank="副科级"),
                   person("003", rank="一级科员")) == [(), (), ("现职级不符合“现任科员及以上职务”的条件",)]
    exact = {"rank_tenure": [{"rank": "副科级", "years": 4}]}
    assert reasons(exact, person("001", rank="正科级", rank_since=D(2016, 1, 1)),
                   person("002", rank="副科级", rank_since=D(2022, 6, 12))) == [
        ("现职级不符合“任副科级职务满4年”的条件",), ()]


def test_or_above_false_names_only_the_ranks_listed_and_counts_them_together():
    # 任副科级职务或四级主任科员职级满2年 (no 及以上): a 正科级 of 10 years is not admitted; a 副科级 of 1 year may
    # have been 四级主任科员 before (same level, other track): verify. Without years: 现任副科级职务或四级主任科员职级.
    table = {"rank_tenure": [{"ranks": ["副科级", "四级主任科员"], "years": 2}]}
    assert reasons(table, person("001", rank="正科级", rank_since=D(2016, 1, 1)),
                   person("002", rank="副科级", rank_since=D(2025, 6, 12))) == [
        ("现职级不符合“任副科级职务或四级主任科员职级满2年”的条件",),
        ("任副科级职务不满2年，须按任职经历核实是否累计任副科级职务或四级主任科员职级满2年",),
    ]


def test_among_alternatives_the_one_to_verify_is_named():
    # Seed 5's three alternatives plus the 职级 one: a 三级主任科员 of 1 year meets none as recorded; the 职级
    # alternative may be met with earlier time, so the reason names that one.
    table = {"rank_tenure": [{"rank": "副处级"}, {"rank": "正科级", "years": 3}, {"rank": "副科级", "years": 4},
                             {"ranks": ["四级主任科员"], "or_above": True, "years": 4}]}
    assert reasons(table, person(rank="三级主任科员", rank_since=D(2025, 6, 12))) == [
        ("不符合职级和任职年限条件（任三级主任科员职级不满4年，须按任职经历核实是否累计任四级主任科员及以上职级满4年）",)]


# --- the plan's text --------------------------------------------------------------------------------

def test_the_plan_prints_the_condition_from_the_same_table():
    texts = rules_text(load_rules(campaign_data([], table=CROSS_TRACK)), POSTS)
    assert texts[0] == "任副科级及以上职务或四级主任科员及以上职级满2年（任职年限计算至2026年6月12日）。"
    table = {"rank_tenure": [{"ranks": ["八级职员", "四级主任科员", "三级主任科员"]},
                             {"ranks": ["副科级", "四级主任科员"], "years": 3}]}
    texts = rules_text(load_rules(campaign_data([], table=table)), POSTS)
    assert texts[0] == ("现任八级职员及以上岗位或四级主任科员、三级主任科员及以上职级，"
                        "或任副科级职务或四级主任科员职级满3年（任职年限计算至2026年6月12日）。")


def test_a_post_rule_with_ranks_prints_under_the_post():
    table = dict(CROSS_TRACK, post_rules=[{"posts": ["07"], "rank_tenure": [{"rank": "三级主任科员"}]}])
    texts = rules_text(load_rules(campaign_data([], table=table)), POSTS)
    assert "教务处副处长：现任三级主任科员及以上职级。" in texts


# --- campaign.toml mistakes -------------------------------------------------------------------------

def test_rank_set_mistakes_are_located_and_collected():
    table = {"rank_tenure": [
        {"ranks": ["副科级", "主任科员", "副科"]},
        {"ranks": []},
        {"ranks": "副科级", "years": 2},
        {"rank": "副科级", "ranks": ["正科级"]},
        {"ranks": ["四级主任科员", 4], "or_above": "是"},
        {"or_above": True, "years": 2},
    ]}
    with pytest.raises(InputErrors) as caught:
        load_rules(campaign_data([], table=table))
    found = [(p.file, p.column, p.code, p.message) for p in caught.value.problems]
    where = "eligibility.rank_tenure"
    assert found == [
        ("campaign.toml", f"{where}[1].ranks[2]", "bad-config",
         "“主任科员”不能确定是哪一级，请写明：一级主任科员、二级主任科员、三级主任科员、四级主任科员"),
        ("campaign.toml", f"{where}[1].ranks[3]", "bad-config", "“副科”不是可用的值，请写作“副科级”"),
        ("campaign.toml", f"{where}[2].ranks", "bad-config",
         "应写成 [\"副科级\", \"四级主任科员\"] 这样的职级列表（至少一个），现为 []"),
        ("campaign.toml", f"{where}[3].ranks", "bad-config",
         "应写成 [\"副科级\", \"四级主任科员\"] 这样的职级列表（至少一个），现为 \"副科级\""),
        ("campaign.toml", f"{where}[4].ranks", "bad-config",
         "rank 和 ranks 只写其一：一个职级写 rank = \"副科级\"，几个职级写 ranks = [\"副科级\", \"四级主任科员\"]"),
        ("campaign.toml", f"{where}[5].ranks[2]", "bad-config", found[5][3]),
        ("campaign.toml", f"{where}[5].or_above", "bad-config", "应为 true（是）或 false（否），现为 \"是\""),
        ("campaign.toml", f"{where}[6].rank", "missing-key", "每项都要写职级，如 rank = \"副科级\""),
    ]
    # A value that is no name at all lists the table by track, as the clerk would look it up.
    assert found[5][3].startswith("“4”不是可用的值，应为以下职级之一：职务 办事员、科员、副科级")
    assert "公务员职级 二级科员、一级科员、四级主任科员" in found[5][3] and "事业单位管理岗位 十级职员" in found[5][3]


def test_a_rank_named_twice_is_refused_where_it_repeats():
    # Accepted, it would print as 任副科级、副科级职务满2年 in the 实施方案.
    table = {"rank_tenure": [{"ranks": ["副科级", "四级主任科员", "副科级"], "years": 2}]}
    with pytest.raises(InputErrors) as caught:
        load_rules(campaign_data([], table=table))
    assert [(p.column, p.message) for p in caught.value.problems] == [
        ("eligibility.rank_tenure[1].ranks[3]", "“副科级”已在前面写过，请删去重复的一项")]


def test_a_rank_tenure_that_is_not_a_list_of_tables_says_how_to_write_it():
    with pytest.raises(InputErrors) as caught:
        load_rules(campaign_data([], table={"rank_tenure": {"rank": "副科级"}}))
    [problem] = caught.value.problems
    assert problem.column == "eligibility.rank_tenure"
    assert "每节写 rank（一个职级）或 ranks（几个职级）" in problem.message


def test_post_rules_with_an_unknown_rank_are_located_there():
    posts = POSTS + (replace(POSTS[2], code="08"),)
    table = dict(CROSS_TRACK, post_rules=[{"posts": ["08"], "rank_tenure": [{"ranks": ["处长"]}]}])
    with pytest.raises(InputErrors) as caught:
        load_rules(campaign_data([], table=table, posts=posts))
    assert [p.column for p in caught.value.problems] == ["eligibility.post_rules[1].rank_tenure[1].ranks[1]"]
