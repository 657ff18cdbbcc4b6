"""The method prose follows the campaign's rounds: the 考察对象公示's procedure, the formula of
the 公示 and the 成绩汇总表, the plan's 成绩计算 paragraphs, the speech's sentence, the steps, the 评分表 title and
the 民主测评表 only where there is a 民主测评.

Every expected sentence below is written out by hand from the campaign.toml it comes from (the examples' files,
read as they are, with the small edits each test states), and every test also checks that the words of methods
the campaign does not use are absent.
"""
from __future__ import annotations

import copy
import datetime as dt
import tomllib
from pathlib import Path

from pipeline.campaign.timeline import Step
from pipeline.papers.implementation import step_rows
from pipeline.papers.scoring import sheet_title
from pipeline.scoring.scheme import load_scheme
from pipeline.scoring.scheme_text import (formula_text, procedure_text, schedule_text, scoring_paragraphs,
                                          scoring_summary)

ROOT = Path(__file__).resolve().parent.parent


def raw_of(folder: str) -> dict:
    return tomllib.loads((ROOT / folder / "campaign.toml").read_text(encoding="utf-8"))


def scheme_of(folder: str, edit=None):
    raw = copy.deepcopy(raw_of(folder))
    if edit:
        edit(raw)
    return load_scheme(raw)


def all_text(s) -> str:
    return "".join([procedure_text(s), formula_text(s), scoring_summary(s), *scoring_paragraphs(s)])


def absent(text: str, *words: str) -> None:
    for word in words:
        assert word not in text, word


def test_single_judges_round_the_sample():
    # inputs/: four groups 4 : 3 : 1.5 : 1.5 (Σ 10), each drops one highest and one lowest, no components.
    s = scheme_of("inputs")
    assert procedure_text(s) == "经个人报名、资格审查和演讲答辩，根据演讲答辩成绩和考察比例"
    assert formula_text(s) == ("总成绩＝（专家评委×4＋党委成员×3＋中层干部×1.5＋教师代表×1.5）÷10；"
                               "各评委组得分为该组评委评分去掉一个最高分和一个最低分后的平均分（同分时只去掉一个）。"
                               "各项得分和总成绩均四舍五入保留两位小数。")
    assert scoring_summary(s) == ("演讲答辩由四个评委组现场打分，每组去掉一个最高分和一个最低分后取平均分，"
                                  "各组得分再按4∶3∶1.5∶1.5的权重合成；最后按职数与考察对象1∶1的比例确定考察人选。")
    absent(all_text(s), "笔试", "面试", "民主测评", "民主推荐", "加分", "入围")
    assert sheet_title(s) == {"round_name": "演讲答辩", "sheet_title": "演讲答辩评分表", "date_label": "演讲答辩日期"}


def test_written_exam_then_interview_with_a_1_to_3_shortlist():
    # examples/township: 笔试 (list, per person, 40) with shortlist 1:3, then 面试 (judges 5 : 3 : 2, Σ 10; 60).
    s = scheme_of("examples/township")
    assert procedure_text(s) == "经个人报名、资格审查、笔试和面试，根据总成绩和考察比例"
    assert formula_text(s) == ("总成绩＝（笔试×40＋面试×60）÷100；"
                               "面试成绩＝（镇党政班子成员×5＋中层干部代表×3＋群众代表×2）÷10；"
                               "各评委组得分为该组评委评分去掉一个最高分和一个最低分后的平均分（同分时只去掉一个）；"
                               "笔试成绩为登记的笔试分数（每人一个，报考的各职位通用）。"
                               "各项得分和总成绩均四舍五入保留两位小数。")
    paragraphs = scoring_paragraphs(s)
    assert paragraphs[0] == "竞争上岗依次进行笔试和面试，共两轮。"
    assert paragraphs[1] == ("笔试成绩为登记的笔试分数（每人一个，报考的各职位通用）。"
                             "笔试按职数1∶3的比例从高分到低分确定入围面试人选，末位同分的一并入围。")
    assert "总成绩由笔试成绩（占40%）、面试成绩（占60%）加权合成。" in paragraphs
    assert scoring_summary(s).startswith("笔试按职数1∶3的比例从高分到低分确定入围面试人选，末位同分的一并入围；"
                                         "面试由三个评委组现场打分，")
    absent(all_text(s), "演讲答辩", "民主测评", "民主推荐", "加分")
    assert sheet_title(s) == {"round_name": "面试", "sheet_title": "面试评分表", "date_label": "面试日期"}


def test_veto_only_ballot():
    # examples/subdistrict: 演讲答辩 (100) then 民主测评 weight 0, veto 不合格 over 1/3.
    s = scheme_of("examples/subdistrict")
    veto = "民主测评不计入总成绩，“不合格”票超过有效票三分之一的，不列为考察对象"
    assert procedure_text(s) == "经个人报名、资格审查、演讲答辩和民主测评，根据演讲答辩成绩、民主测评结果和考察比例"
    assert formula_text(s).startswith("总成绩为演讲答辩成绩；演讲答辩成绩＝（街道党工委成员×5＋社区书记代表×2.5＋"
                                      "机关干部代表×2.5）÷10；")
    assert veto in formula_text(s) and veto in scoring_summary(s) and veto + "。" in scoring_paragraphs(s)
    # weight 0: no points are described, and 民主测评 is no part of the total's formula
    absent(all_text(s), "折算", "民主测评×", "笔试", "面试", "民主推荐")


def test_recommendation_vote_with_a_vote_share_threshold():
    # examples/commission: 民主推荐 (votes, 20) with vote_share 1/2, 演讲答辩 (60), 民主测评 (20, veto 1/3).
    s = scheme_of("examples/commission")
    assert procedure_text(s) == "经个人报名、资格审查、民主推荐、演讲答辩和民主测评，根据总成绩和考察比例"
    paragraphs = scoring_paragraphs(s)
    assert paragraphs[1] == "民主推荐得分为得票率（推荐票÷有效票）×100。民主推荐得票率达到50%的，入围演讲答辩。"
    assert formula_text(s).startswith("总成绩＝（民主推荐×20＋演讲答辩×60＋民主测评×20）÷100；")
    assert ("民主测评得分为全部有效票按优秀100分、称职80分、基本称职60分、不称职0分折算后的平均分，"
            "“不称职”票超过有效票三分之一的，不列为考察对象") in formula_text(s)
    assert scoring_summary(s).startswith("民主推荐按职位投推荐票，计算得票率，得票率达到50%的，入围演讲答辩；")
    absent(all_text(s), "笔试", "面试")


def test_pass_mark_shortlist():
    # examples/bureau: 笔试 pass_mark 60 before 面试.
    s = scheme_of("examples/bureau")
    assert scoring_paragraphs(s)[1] == "笔试成绩为登记的笔试分数（每人一个，报考的各职位通用）。笔试成绩达到60分的，入围面试。"
    absent(all_text(s), "演讲答辩", "民主推荐")


def _drops(*pairs):
    def edit(raw):
        for group, (high, low) in zip(raw["scoring"]["groups"], pairs):
            group["drop_highest"], group["drop_lowest"] = high, low
            group["min_judges"] = max(group["min_judges"], high + low + 1)
    return edit


def test_groups_dropping_none():
    s = scheme_of("inputs", _drops((0, 0), (0, 0), (0, 0), (0, 0)))
    assert "各评委组得分为该组全部评委评分的平均分。" in formula_text(s)
    assert "各评委组不去掉分数，取全部评委评分的平均分，作为该组得分。" in scoring_paragraphs(s)[0]
    assert "每组取全部评分的平均分" in scoring_summary(s)
    absent(all_text(s), "去掉一个", "最高分", "最低分", "规定的个数", "同分时")


def test_groups_dropping_two():
    s = scheme_of("inputs", _drops((2, 2), (2, 2), (2, 2), (2, 2)))
    assert ("各评委组得分为该组评委评分去掉两个最高分和两个最低分后的平均分（同分时只去掉两个）。"
            in formula_text(s))
    assert "每组去掉两个最高分和两个最低分后取平均分" in scoring_summary(s)
    absent(all_text(s), "去掉一个")


def test_groups_dropping_zero_one_and_two():
    # 专家评委 drops none, 党委成员 one each end, 中层干部 two each end, 教师代表 one each end.
    s = scheme_of("inputs", _drops((0, 0), (1, 1), (2, 2), (1, 1)))
    formula = formula_text(s)
    assert ("专家评委得分为全部评委评分的平均分；"
            "党委成员得分为评委评分去掉一个最高分和一个最低分后的平均分（同分时只去掉一个）；"
            "中层干部得分为评委评分去掉两个最高分和两个最低分后的平均分（同分时只去掉两个）；") in formula
    assert ("各评委组的分数按以下办法处理后计算平均分，作为该组得分：专家评委不去掉分数；"
            "党委成员去掉一个最高分和一个最低分；中层干部去掉两个最高分和两个最低分；教师代表去掉一个最高分和一个最低分。"
            "几位评委打分相同的，也只去掉规定的个数。") in scoring_paragraphs(s)[0]
    assert ("专家评委取全部评分的平均分，党委成员去掉一个最高分和一个最低分后取平均分，"
            "中层干部去掉两个最高分和两个最低分后取平均分") in scoring_summary(s)
    absent(scoring_summary(s), "按方案")


def test_bonus_and_last_round_total():
    def edit(raw):
        raw["scoring"]["total"] = "last"
        raw["scoring"]["bonus"] = {"name": "加分", "max": "3"}
    s = scheme_of("examples/township", edit)
    # total = "last": the 面试 alone makes the total; the 笔试 only shortlists
    assert formula_text(s).startswith("总成绩为面试成绩，再加加分；")
    assert "加分按名单认定，最多3分" in formula_text(s)
    assert "总成绩为面试成绩，此前各轮成绩只用于确定入围人选。" in scoring_paragraphs(s)


def test_steps_are_described_from_the_rounds_or_neutrally():
    s = scheme_of("examples/township")
    d = dt.date
    steps = (Step("exam", "笔试", d(2026, 6, 20)), Step("speech", "面试", d(2026, 6, 26)),
             Step("talk", "个别谈话", d(2026, 6, 27)), Step("inspection", "组织考察", d(2026, 6, 29)))
    rows = step_rows(steps, {"inspection": "考察。"}, s)
    assert [r["note"] for r in rows] == [
        "符合条件的人员参加笔试，每人一个成绩，报考的各职位通用；"
        "笔试按职数1∶3的比例从高分到低分确定入围面试人选，末位同分的一并入围。",
        "竞争者按抽签顺序逐一参加面试，回答评委提问，评委当场独立评分。",
        "个别谈话按领导小组的安排进行，具体事项另行通知。",
        "考察。",
    ]
    assert schedule_text(steps, s) == "笔试安排在6月20日，面试安排在6月26日。"
    # the township's own timeline holds both rounds in one step, 笔试和面试 (key speech, 2026-06-26)
    one = (Step("speech", "笔试和面试", d(2026, 6, 26)),)
    assert schedule_text(one, s) == "笔试和面试安排在6月26日。"


def test_the_ballot_paper_only_with_a_ballot_round():
    from pipeline.engine.jobs import Plan
    from pipeline.papers.scoring import plan_scoresheets
    from pipeline.run import prepare

    for folder, expected in (("inputs", False), ("examples/subdistrict", True)):
        prepared = prepare(ROOT / folder)
        plan = Plan()
        plan_scoresheets(prepared.data, prepared.outcome, plan)
        assert any(j.path.endswith("民主测评表") for j in plan.docs) is expected, folder
        titles = {j.context.get("sheet_title") for j in plan.docs if j.template == "评分表.docx"}
        assert titles == {"演讲答辩评分表"}, folder
