"""实施方案 and 动员讲话: every fact from the campaign's data, none left stale after a change.

Two builds for the module: the sample as shipped, and a changed copy (posts, dates, weights, max_age,
notice period, plan date, organisation kind). Old values are looked for in both DOCX and PDF text.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import tomllib
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from pipeline.outcome import compute_outcome
from pipeline.run import build
from pipeline.campaign.org_kinds import PHRASE_KEYS, load_org_kinds
from pipeline.papers.implementation import posts_facts
from pipeline.review.eligibility import load_rules, review, rules_text
from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.settings import settings_of
from pipeline.campaign.model import Post
from pipeline.scoring.scheme import load_scheme
from pipeline.scoring.scheme_text import scoring_paragraphs, scoring_summary
from pipeline.campaign.timeline import Step, date_span, short_span
from tests.pii import docx_text, pdf_text

SAMPLE = Path(__file__).resolve().parent.parent / "inputs"
QUIET = lambda msg: None  # noqa: E731
PLAN = "01-实施方案/2026年中层干部竞争上岗实施方案"
SPEECH = "02-动员讲话/在2026年中层干部竞争上岗动员会上的讲话"

# campaign.toml edits: (old text, new text); each old text occurs once in the sample.
TOML_EDITS = (
    ('kind = "college"', 'kind = "township"'),
    ('party_committee_short = "院党委"', 'party_committee_short = ""'),
    ("reference_date = 2026-06-12", "reference_date = 2026-06-10"),
    ("start = 2026-06-08\nend = 2026-06-12", "start = 2026-06-08\nend = 2026-06-10"),
    ("start = 2026-06-26", "start = 2026-06-27"),
    ("max_age = 45", "max_age = 40"),
    ('name = "专家评委"\nweight = "4"', 'name = "专家评委"\nweight = "5"'),
    ("[notice]\nworking_days = 5", "[notice]\nworking_days = 7"),
    ("plan_date = 2026-06-05", "plan_date = 2026-06-04"),
    # Seven working days of 任前公示 end on 07-16: the 任职通知 is dated after it (checked from the first day).
    ("appointment_date = 2026-07-16", "appointment_date = 2026-07-20"),
)


def change_campaign(folder: Path) -> None:
    """Apply TOML_EDITS and change the posts: 07 and 08 become 副职, 09 (1 place) and 10 (2 places) are added."""
    toml = folder / "campaign.toml"
    text = toml.read_text("utf-8")
    for old, new in TOML_EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    toml.write_text(text, "utf-8")
    wb = openpyxl.load_workbook(folder / "职位表.xlsx")
    ws = wb["职位表"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in ("07", "08"):
            row[3].value = "副职"
    ws.append(["09", "办公室", "办公室副主任", "副职", 1])
    ws.append(["10", "学生处", "学生处副处长", "副职", 2])
    wb.save(folder / "职位表.xlsx")
    # Other rules make other candidates: the sample's typed scores and decisions are of the old ones.
    for typed in ("评分录入.xlsx", "任职决定.xlsx"):
        (folder / typed).unlink()


def texts(out: Path) -> dict[str, str]:
    """Plan and speech text from DOCX and PDF; the PDF's line breaks and spaces removed."""
    flat = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    return {"plan.docx": docx_text(out / f"{PLAN}.docx"), "speech.docx": docx_text(out / f"{SPEECH}.docx"),
            "plan.pdf": flat(pdf_text(out / f"{PLAN}.pdf")), "speech.pdf": flat(pdf_text(out / f"{SPEECH}.pdf"))}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[Path, dict[str, str]]]:
    """Build plan and speech for the sample and for the changed campaign (two LibreOffice runs)."""
    root = tmp_path_factory.mktemp("plan")
    found = {}
    for name in ("sample", "changed"):
        campaign = root / name
        shutil.copytree(SAMPLE, campaign)
        if name == "changed":
            change_campaign(campaign)
        build(campaign, root / f"{name}-out", ["plan", "speech"], log=QUIET)
        found[name] = (campaign, texts(root / f"{name}-out"))
    return found


@pytest.mark.integration
def test_sample_plan_carries_every_section_and_fact(builds):
    _, t = builds["sample"]
    plan = t["plan.docx"]
    for fact in ("江州职业技术学院", "2026年中层干部竞争上岗实施方案", "江职院委〔2026〕8号",
                 "本次拿出八个中层职位进行竞争上岗，全部为正职职位",
                 "年龄在45周岁以下", "4∶3∶1.5∶1.5", "再除以权重之和10", "1∶1", "保留两位小数",
                 "去掉一个最高分和一个最低分", "依次比较专家评委、党委成员的得分",
                 "2026年6月8日至6月12日", "2026年6月26日", "组　长：陈立新（院党委书记）", "副组长：王海峰（院长）",
                 "院纪委", "0512-58880012", "中共江州职业技术学院委员会\n2026年6月5日", "附件：2026年中层干部竞争上岗职位表",
                 "公示期不少于五个工作日", "院党委研究"):
        assert fact in plan, fact
    for heading in ("一、指导思想", "三、竞争职位", "四、报名条件", "五、方法步骤和时间安排", "六、成绩计算",
                    "七、组织领导", "八、纪律和监督"):
        assert heading in plan


@pytest.mark.integration
def test_plan_conditions_are_the_review_rules_text_word_for_word(builds):
    campaign, t = builds["sample"]
    data = load_campaign_folder(campaign)
    paragraphs = [p.text for p in Document(Path(str(campaign) + "-out") / f"{PLAN}.docx").paragraphs]
    expected = rules_text(load_rules(data), data.posts)
    # The general conditions carry the plan's numbering "1．"; the rest stands as written.
    n = len(expected) - 2  # sample: four general conditions, one per-post line (团委书记), the counting rule
    assert [p for p in paragraphs if p[:2] in {f"{i}．" for i in range(1, 10)}] == \
           [f"{i}．{s}" for i, s in enumerate(expected[:n], 1)]
    assert expected[-2] in paragraphs and expected[-1] in paragraphs


@pytest.mark.integration
def test_sample_speech_states_the_facts(builds):
    _, t = builds["sample"]
    speech = t["speech.docx"]
    for fact in ("院党委书记　陈立新", "（2026年6月8日）", "经院党委研究决定", "拿出八个中层职位面向全院教职工公开竞争",
                 "全部为正职职位", "报名时间是6月8日至12日，共五天", "演讲答辩安排在6月26日",
                 "4∶3∶1.5∶1.5", "去掉一个最高分和一个最低分", "公示五个工作日", "院纪委全程监督"):
        assert fact in speech, fact


@pytest.mark.integration
@pytest.mark.parametrize("paper", ["plan", "speech"])
@pytest.mark.parametrize("form", ["docx", "pdf"])
def test_changed_campaign_shows_new_values_and_no_stale_ones(builds, paper, form):
    _, t = builds["changed"]
    text = t[f"{paper}.{form}"]
    text = re.sub(r"\s+", "", text)
    new = {
        # 10 posts: 6 正职 (01–06), 4 副职 (07, 08, 09, 10); places 1×8 + 1 + 2 = 11.
        "plan": ("拿出十个中层职位", "其中正职职位六个、副职职位四个，职数合计十一名", "年龄在40周岁以下",
                 "计算至2026年6月10日", "5∶3∶1.5∶1.5", "再除以权重之和11",  # 5 + 3 + 1.5 + 1.5 = 11
                 "2026年6月8日至6月10日", "2026年6月27日", "不少于七个工作日", "2026年6月4日", "镇党委",
                 "镇机关各站所办", "办公室副主任", "学生处副处长"),
        "speech": ("拿出十个中层职位面向机关干部公开竞争", "其中正职职位六个、副职职位四个，共选拔十一名干部",
                   "报名时间是6月8日至10日，共三天", "演讲答辩安排在6月27日", "5∶3∶1.5∶1.5", "公示七个工作日",
                   "经镇党委研究决定"),
    }[paper]
    for fact in new:
        assert fact in text, fact
    stale = ("45周岁", "4∶3∶1.5∶1.5", "权重之和10", "6月12日", "至12日", "6月26日", "五个工作日", "五天",
             "2026年6月5日", "八个中层职位", "全部为正职", "院党委研究", "院党委统一", "我院", "全院", "教职工")
    for old in stale:
        assert old not in text, old
    # 八 may stand only as a heading number ("八、", "（八）") or for the timeline's eight steps ("八个环节"),
    # never as a count of posts.
    assert all(text[m.start():m.start() + 4] == "八个环节" or text[m.start() - 1:m.start() + 2] == "（八）"
               or text[m.start():m.start() + 2] == "八、" for m in re.finditer("八", text))


@pytest.mark.integration
def test_plan_and_review_agree_on_the_age_limit(builds):
    """孔令杰 (born 1984-09-09) is 41 on the reference date: fine under 45, out under 40 — as each plan says."""
    for name, limit, passes in (("sample", 45, True), ("changed", 40, False)):
        campaign, t = builds[name]
        assert f"年龄在{limit}周岁以下（含{limit}周岁" in t["plan.docx"]
        data = load_campaign_folder(campaign)
        results = [r for r in review(data, load_rules(data)) if r.name == "孔令杰"]
        assert results and all(r.passed is passes for r in results), results
        if not passes:
            assert all(any("40" in reason for reason in r.reasons) for r in results)
        # 谢丽萍 is exactly 40 (born 1985-12-03): "40周岁以下" includes 40 (民法典 第一千二百五十九条).
        assert all(r.passed for r in review(data, load_rules(data)) if r.name == "谢丽萍")


@pytest.mark.integration
def test_annex_lists_every_post_on_its_own_page(builds):
    campaign, t = builds["changed"]
    pdf = t["plan.pdf"]
    assert "附件2026年中层干部竞争上岗职位表" in pdf
    for title in ("教务处处长", "基础部主任", "办公室副主任", "学生处副处长"):
        assert title in pdf


@pytest.mark.integration
def test_plan_is_published_and_archived_first(builds):
    from pipeline.engine.jobs import Plan
    from pipeline.papers.implementation import plan_implementation, plan_speech

    campaign, _ = builds["sample"]
    plan = Plan()
    data = load_campaign_folder(campaign)
    outcome = compute_outcome(data, campaign)
    for planner in (plan_implementation, plan_speech):
        planner(data, outcome, plan)
    assert [(j.path, j.public, j.bundles, j.order) for j in plan.docs] == [
        (PLAN, True, ("公示", "归档"), 100), (SPEECH, False, ("归档",), 200)]


def test_kind_chooses_the_phrases():
    kinds = load_org_kinds()
    assert {k: v.phrases()["committee"] for k, v in kinds.items()} == {
        "township": "镇党委", "subdistrict": "街道党工委", "bureau": "局党组", "commission": "委党组", "college": "院党委"}
    assert all(tuple(v.phrases()) == PHRASE_KEYS for v in kinds.values())


def test_scoring_text_follows_the_scheme():
    raw = {"scoring": {"groups": [{"name": "甲组", "weight": "60", "min_judges": 5, "drop_highest": 0,
                                   "drop_lowest": 0},
                                  {"name": "乙组", "weight": "40", "min_judges": 7}], "decimals": 1},
           "inspection": {"ratio": "1:2"}}
    text = "".join(scoring_paragraphs(load_scheme(raw)))
    assert "甲组不去掉分数；乙组去掉一个最高分和一个最低分" in text
    assert "60∶40" in text and "权重之和100" in text and "1∶2" in text and "保留一位小数，第二位四舍五入" in text
    assert "1∶2的比例" in scoring_summary(load_scheme(raw))


def test_counts_and_dates_in_words():
    posts = [Post("01", "甲", "甲长", "正职", 1), Post("02", "乙", "乙长", "副职", 2), Post("03", "丙", "丙长", "副职", 1)]
    facts = posts_facts(posts)
    assert (facts["posts_cn"], facts["places_cn"], facts["split"]) == ("三", "四", "其中正职职位一个、副职职位两个")
    step = Step("inspection", "组织考察", dt.date(2026, 6, 29), dt.date(2026, 7, 3))
    assert (date_span(step), short_span(step), step.days) == ("2026年6月29日至7月3日", "6月29日至7月3日", 5)


def test_scoring_text_names_components_ballot_veto_and_bonus():
    raw = {"scoring": {"groups": [{"name": "评委", "weight": "1", "min_judges": 5}],
                       "components": [{"name": "笔试", "source": "list", "weight": "40"},
                                      {"name": "面试", "source": "judges", "weight": "60"}],
                       "ballot": {"veto_over": "1/3"}, "bonus": {"max": "3"}}}
    scheme = load_scheme(raw)
    text = "".join(scoring_paragraphs(scheme))
    assert "评委的得分就是面试成绩。" in text
    assert "笔试成绩（占40%）、面试成绩（占60%）加权合成" in text  # 40 + 60 = 100: percentages
    assert "“不称职”票超过有效票三分之一的，不列为考察对象" in text  # 超过: strictly more (民法典 第一千二百五十九条)
    assert "最多加3分" in text and "各组得分、面试成绩和总成绩均保留两位小数" in text


def test_missing_keys_are_reported_together(sample_campaign):
    from pipeline.papers.implementation import plan_context
    from pipeline.errors import InputErrors

    data = load_campaign_folder(sample_campaign)
    raw = tomllib.loads((sample_campaign / "campaign.toml").read_text(encoding="utf-8"))
    raw = {k: v for k, v in raw.items() if k not in ("leadership_group", "supervision")}
    campaign = dataclasses.replace(data.campaign, settings=settings_of(raw))
    with pytest.raises(InputErrors) as err:
        plan_context(dataclasses.replace(data, campaign=campaign), 5)
    assert [p.column for p in err.value.problems] == ["leadership_group.leader", "leadership_group.office",
                                                       "supervision.unit", "supervision.phone"]
