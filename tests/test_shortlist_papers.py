"""Each shortlist has its own papers (docs/reference.md, 轮次和入围): the public 「笔试成绩及入围面试人员名单」, the internal
「笔试成绩排名表（内部）」 and 06-成绩汇总/笔试入围名单.csv, planned from a campaign built in tmp_path.

The campaign is a copy of the sample (inputs/ itself is never edited: its line numbers are asserted elsewhere)
with two rounds, 笔试 (a list, one score per person, 40%) with a 1:2 shortlist, then 面试 (the judges, 60%), and a
[[timeline]] step named 笔试 on 2026-06-20. The 笔试 scores are typed by hand below; every expected row is worked
out from them in the comments. Planning is pure; one test at the end renders the public list to PDF.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from pipeline.campaign.personal_data import strings_in
from pipeline.campaign.publish import PUBLIC_PERSON_FIELDS
from pipeline.papers.contexts import EXAMPLE_CAMPAIGN, EXAMPLE_POSTS
from pipeline.papers.shortlists import (EXAMPLE_CONTEXTS, csv_rows, internal_context, public_context,
                                        rule_sentence)
from pipeline.run import plan_campaign
from pipeline.scoring.compute import Candidate
from pipeline.scoring.vote_entry import VoteTally
from pipeline.scoring.rounds import RoundScore, list_workbook, round_file, shortlist_post
from pipeline.scoring.scheme import Component, Shortlist
from tests.conftest import SAMPLE, TEMPLATES

D = Decimal
EXAM_STEP = '[[timeline]]\nkey = "exam"\nname = "笔试"\nstart = 2026-06-20\n\n'
ROUNDS = ('\n[[scoring.components]]\nname = "笔试"\nsource = "list"\nweight = "40"\n'
          '[scoring.components.shortlist]\nratio = "1:2"\n\n'
          '[[scoring.components]]\nname = "面试"\nsource = "judges"\nweight = "60"\n')
PUBLIC = "06-成绩汇总/笔试成绩及入围面试人员名单"
INTERNAL = "06-成绩汇总/笔试成绩排名表（内部）"
CSV = "06-成绩汇总/笔试入围名单.csv"

# The 笔试 scores, one per person (报名序号 → score); every post has one place, so 1:2 lets 2 through:
#   01 罗俊峰(16) 85, 孔令杰(25) 78.5, 何晓岚(02) 78.5 → 1, 2, 2: the two on the 2nd place tie at the cut, all 3 go on
#   02 苏婉清(04) 90, 孔令杰(25) 78.5 (his one 笔试, counted for both his posts), 谢丽萍(17) 70 → 1, 2 on; 3 out
#   03 郑雅文(06) 88, 方淑珍(30) 86, 董思远(18) 82, 韩立川(05) 60 → 1, 2 on; 3, 4 out
#   04 方淑珍(30) 86, 梁慧敏(19) 80, 曹欣然(12) 75 → 1, 2 on; 3 out
#   05 钟晨曦(20) 81, 许静怡(10) 72 → both on (two candidates for two shortlist places)
#   06 马德胜(21) 91, 彭浩然(14) 77, 沈亚楠(26) 66 → 1, 2 on; 3 out
#   07 蒋雨桐(13), 杜永刚(27), 白雪莹(22) all 83.5 → all rank 1; the tie reaches past the 2nd place: all 3 go on
#   08 高明辉(23) 87, 叶桂芳(28) 79, 潘书瑶(24) 65 → 1, 2 on; 3 out
EXAM = {"16": 85, "25": 78.5, "02": 78.5, "04": 90, "17": 70, "06": 88, "30": 86, "18": 82, "05": 60,
        "19": 80, "12": 75, "20": 81, "10": 72, "21": 91, "14": 77, "26": 66, "13": 83.5, "27": 83.5,
        "22": 83.5, "23": 87, "28": 79, "24": 65}
TIED = "末位同分，一并入围"


def body_text(path: Path) -> str:
    """Body and table text of a DOCX through python-docx (not pipeline.engine.pdf_check, which is under test)."""
    return "\n".join(Paragraph(p, None).text for p in Document(str(path)).element.body.iter(qn("w:p")))


def rounds_campaign(folder: Path, publish_scores: bool = True) -> Path:
    """A copy of the sample with the 笔试 → 面试 rounds; no typed 面试 (评分录入) and no decisions yet."""
    shutil.copytree(SAMPLE, folder)
    for typed in ("评分录入.xlsx", "任职决定.xlsx"):
        (folder / typed).unlink()
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('[[timeline]]\nkey = "speech"', EXAM_STEP + '[[timeline]]\nkey = "speech"', 1)
    if not publish_scores:
        text = text.replace("publish_scores = true", "publish_scores = false", 1)
    toml.write_text(text + ROUNDS, encoding="utf-8")
    return folder


def type_exam(folder: Path) -> None:
    """Fill the blank 笔试成绩.xlsx of the round's candidates as the clerk would, by 报名序号 in column A."""
    prepared, _ = plan_campaign(folder, ["results"])
    stage = prepared.outcome.stages[0]
    book = list_workbook(stage.round, stage.candidates, prepared.data.scheme.full_marks)
    sheet = book.active
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=4, value=EXAM[sheet.cell(row=row, column=1).value])
    book.save(folder / round_file(stage.round))


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> Path:
    folder = rounds_campaign(tmp_path_factory.mktemp("rounds") / "campaign")
    type_exam(folder)
    return folder


@pytest.fixture(scope="module")
def plan(typed):
    return plan_campaign(typed, ["all"])[1]


def job(plan, path):
    return next(j for j in plan.docs if j.path == path)


def test_no_list_before_the_round_is_typed(tmp_path):
    folder = rounds_campaign(tmp_path / "campaign")
    _, plan = plan_campaign(folder, ["all"])
    assert [j.path for j in plan.docs if j.path.startswith("06-成绩汇总/")] == []
    assert [f.path for f in plan.files if f.path.startswith("06-成绩汇总/")] == []


def test_each_shortlist_has_a_public_and_an_internal_paper_and_a_csv(plan):
    public, internal = job(plan, PUBLIC), job(plan, INTERNAL)
    assert (public.template, public.public, public.bundles) == ("入围名单公示.docx", True, ("公示", "归档"))
    assert public.title == "笔试成绩及入围面试人员名单"
    assert (internal.template, internal.public, internal.bundles) == ("成绩排名表.docx", False, ("归档",))
    assert internal.title == "笔试成绩排名表（内部）"
    assert public.order < internal.order < 500  # before the 面试 评分表 in the archive
    assert CSV in [f.path for f in plan.files]
    assert any(PUBLIC in [rel for _, rel in members] for name, members, _ in plan.bundles if name.endswith("公示.pdf"))


def test_the_public_list_names_those_through_with_their_scores_in_rank_order(plan):
    context = job(plan, PUBLIC).context
    assert context["date"].isoformat() == "2026-06-20"  # the [[timeline]] step named 笔试
    assert context["rule_sentence"] == "各职位按职数1:2的比例从高分到低分确定入围面试人员；末位同分的，一并入围"
    rows = {p["code"]: [(r["person"]["name"], r["person"]["total"], r["person"]["place"], r["note"])
                        for r in p["rows"]] for p in context["posts"]}
    assert rows["01"] == [("罗俊峰", D("85.00"), 1, ""), ("何晓岚", D("78.50"), 2, TIED), ("孔令杰", D("78.50"), 2, TIED)]
    assert rows["02"] == [("苏婉清", D("90.00"), 1, ""), ("孔令杰", D("78.50"), 2, "")]
    assert rows["03"] == [("郑雅文", D("88.00"), 1, ""), ("方淑珍", D("86.00"), 2, "")]
    assert rows["04"] == [("方淑珍", D("86.00"), 1, ""), ("梁慧敏", D("80.00"), 2, "")]
    assert rows["05"] == [("钟晨曦", D("81.00"), 1, ""), ("许静怡", D("72.00"), 2, "")]
    assert [(n, p, t) for n, _, p, t in rows["07"]] == [("蒋雨桐", 1, TIED), ("白雪莹", 1, TIED), ("杜永刚", 1, TIED)]
    assert [p["passed"] for p in context["posts"]] == [3, 2, 2, 2, 2, 2, 3, 2]
    assert context["ties"] is True


def test_the_public_list_carries_only_what_may_be_published(plan):
    context = job(plan, PUBLIC).context
    people = [r["person"] for p in context["posts"] for r in p["rows"]]
    assert all(set(person) <= PUBLIC_PERSON_FIELDS for person in people)
    assert all(set(person) == {"name", "total", "place"} for person in people)
    text = " ".join(s for _, s in strings_in(context))
    assert "韩立川" not in text and "谢丽萍" not in text  # those out are on the internal list only
    assert "名次在入围人数" not in text  # nor why


def test_the_internal_list_has_every_candidacy_with_why_not(plan):
    context = job(plan, INTERNAL).context
    posts = {p["code"]: p for p in context["posts"]}
    assert context["rule"] == "按职数1:2的比例从高分到低分"
    # 03: 郑雅文 88 (1), 方淑珍 86 (2), 董思远 82 (3, out), 韩立川 60 (4, out)
    assert [(r["rank"], r["number"], r["name"], r["score"], r["passed"], r["note"]) for r in posts["03"]["rows"]] == [
        (1, "06", "郑雅文", D("88.00"), "是", ""), (2, "30", "方淑珍", D("86.00"), "是", ""),
        (3, "18", "董思远", D("82.00"), "否", "名次在入围人数（2名）之外"),
        (4, "05", "韩立川", D("60.00"), "否", "名次在入围人数（2名）之外")]
    assert posts["01"]["count"] == "按1:2应入围2名，实际入围3名" and posts["01"]["tie"]
    assert [r["note"] for r in posts["07"]["rows"]] == [TIED] * 3
    assert sum(len(p["rows"]) for p in context["posts"]) == 24  # every candidacy: 22 people, two of them twice


def test_the_csv_lists_every_candidacy(plan):
    content = next(f.content for f in plan.files if f.path == CSV)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["报名序号", "姓名", "职位代码", "职位名称", "成绩", "名次", "是否入围", "说明"]
    assert rows[1:4] == [["16", "罗俊峰", "01", "教务处处长", "85.00", "1", "是", ""],
                         ["02", "何晓岚", "01", "教务处处长", "78.50", "2", "是", TIED],
                         ["25", "孔令杰", "01", "教务处处长", "78.50", "2", "是", TIED]]
    assert ["17", "谢丽萍", "02", "人事处处长", "70.00", "3", "否", "名次在入围人数（2名）之外"] in rows
    assert len(rows) == 1 + 24


def test_without_published_scores_the_list_names_those_through_in_number_order(tmp_path):
    folder = rounds_campaign(tmp_path / "campaign", publish_scores=False)
    type_exam(folder)
    _, plan = plan_campaign(folder, ["results"])
    public = job(plan, "06-成绩汇总/入围面试人员名单")
    assert public.title == public.context["notice_title"] == "入围面试人员名单"
    posts = {p["code"]: p for p in public.context["posts"]}
    # 01: through are 16, 25, 02; by 报名序号: 02 何晓岚, 16 罗俊峰, 25 孔令杰 — the order tells no ranking
    assert posts["01"]["names"] == "何晓岚、罗俊峰、孔令杰"
    assert all(set(r["person"]) == {"name"} for p in posts.values() for r in p["rows"])


def test_a_pass_mark_with_a_ratio_is_said_and_applied():
    # 教务处处长 (1 place), 成绩达到60分 then 1:3: 马骏 59.5 is below the mark and out whatever the ratio;
    # of the other four 91, 75, 60, 60: 60 is exactly the mark (达到 includes it), ranks 1, 2, 3, 3 — the cut is 3,
    # the two 60s share the 3rd place: both go on, marked; 4 through.
    rule = Shortlist(ratio=3, pass_mark=D(60))
    rnd = Component("笔试", "list", D(40), per="person", shortlist=rule)
    assert rule_sentence(rule, "面试") == ("各职位在成绩达到60分的人员中，按职数1:3的比例从高分到低分确定入围面试人员；"
                                          "末位同分的，一并入围")
    assert rule_sentence(Shortlist(pass_mark=D(60)), "面试") == "成绩达到60分的，确定为入围面试人员"
    people = [("01", "甲一", "91"), ("02", "乙二", "75"), ("03", "丙三", "60"), ("04", "丁四", "60"),
              ("05", "马骏", "59.5")]
    rows = shortlist_post(rnd, 1, [(Candidate(n, name, "01"), RoundScore(D(s))) for n, name, s in people])
    internal = internal_context(EXAMPLE_CAMPAIGN, rnd, "面试", EXAMPLE_POSTS, rows, 2, None)
    assert [(r["name"], r["rank"], r["passed"], r["note"]) for r in internal["posts"][0]["rows"]] == [
        ("甲一", 1, "是", ""), ("乙二", 2, "是", ""), ("丙三", 3, "是", TIED), ("丁四", 3, "是", TIED),
        ("马骏", "—", "否", "成绩未达到60分")]
    public = public_context(EXAMPLE_CAMPAIGN, rnd, "面试", EXAMPLE_POSTS, rows, True, 2, None)
    assert public["posts"][0]["passed"] == 4 and public["date"] == ""
    assert [r[4] for r in csv_rows(EXAMPLE_POSTS, rows, 2)] == ["91.00", "75.00", "60.00", "60.00", "59.50"]


def test_a_vote_round_publishes_its_share_in_per_cent():
    rnd = Component("民主推荐", "votes", D(0), per="person", shortlist=Shortlist(vote_share=Fraction(1, 2)))
    # 37 of 52 = 71.153…% → 71.15 (published); 26 of 52 = exactly 1/2: 达到 includes it; 25 of 52 < 1/2: out
    rows = shortlist_post(rnd, 1, [
        (Candidate("01", "甲一", "01"), RoundScore(D("71.15"), tally=VoteTally(37, 52))),
        (Candidate("02", "乙二", "01"), RoundScore(D("50.00"), tally=VoteTally(26, 52))),
        (Candidate("03", "丙三", "01"), RoundScore(D("48.08"), tally=VoteTally(25, 52)))])
    public = public_context(EXAMPLE_CAMPAIGN, rnd, "演讲答辩", EXAMPLE_POSTS, rows, True, 2, None)
    assert public["score_label"] == "得票率（%）"
    assert public["rule_sentence"] == "得票率达到50%的，确定为入围演讲答辩人员"
    assert [r["person"]["name"] for r in public["posts"][0]["rows"]] == ["甲一", "乙二"]
    internal = internal_context(EXAMPLE_CAMPAIGN, rnd, "演讲答辩", EXAMPLE_POSTS, rows, 2, None)
    assert internal["posts"][0]["rows"][2]["note"] == "得票率未达到入围要求"


def test_the_examples_cover_both_templates():
    assert set(EXAMPLE_CONTEXTS) == {"入围名单公示.docx", "成绩排名表.docx"}
    assert (TEMPLATES / "入围名单公示.docx").exists() and (TEMPLATES / "成绩排名表.docx").exists()


@pytest.mark.integration
def test_the_public_list_prints_every_character_of_its_docx(plan, tmp_path):
    """One conversion: the planned public list rendered and converted, its PDF text read back with poppler."""
    from pipeline.engine.convert import convert_to_pdf
    from pipeline.engine.render import DocumentMeta, make_render_environment, render_docx

    public = job(plan, PUBLIC)
    src = tmp_path / "笔试成绩及入围面试人员名单.docx"
    src.write_bytes(render_docx(TEMPLATES / public.template, public.context, make_render_environment(),
                                meta=DocumentMeta(organisation="江州职业技术学院", title=public.title)))
    pdf = convert_to_pdf([src], tmp_path / "pdf")[src]
    printed = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
    count = lambda text: Counter(c for c in text if not c.isspace())  # noqa: E731
    assert count(body_text(src)) - count(printed) == Counter()
    assert "孔令杰" in printed and "78.50" in printed and TIED in printed.replace("\n", "")
    assert "韩立川" not in printed
