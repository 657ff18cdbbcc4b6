"""The 资格审查 papers of the sample: eligibility.csv, 资格审查表 and 资格审查结果公示.

Expected numbers come from the inputs and the deliberate cases documented in devtools/make_sample.py,
not from the code under test.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import shutil
import tomllib
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from docx import Document
from docx.text.paragraph import Paragraph

from pipeline.run import build
from pipeline.outcome import compute_outcome
from pipeline.engine.convert import convert_to_pdf
from pipeline.errors import InputErrors
from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.settings import settings_of
from pipeline.campaign.notice_dates import review_notice_facts, review_notice_start as notice_start
from tests.pii import docx_text, find_personal_data, pdf_text

ROOT = Path(__file__).resolve().parent.parent
REVIEW = "04-资格审查"
TABLE, NOTICE = f"{REVIEW}/资格审查表", f"{REVIEW}/资格审查结果公示"

# devtools/make_sample.py, "Deliberate cases": (报名序号, 职位代码) of every application that fails, and why.
FAILS = {
    ("01", "01"): "年龄超过45周岁",  # 林振华: 46th birthday is the reference date 2026-06-12
    ("03", "02"): "任副科级职务不满4年",  # 邵明哲: 副科级 since 2022-06-13, one day short
    ("07", "04"): "学历低于大学本科",  # 吴国栋: 大专
    ("08", "05"): "非中共正式党员",  # 宋佳音: 预备党员 for 团委书记
    ("09", "05"): "出生日期早于1991年5月31日",  # 唐文博: born 1991-05-30
    ("11", "06"): "处分影响期未满",  # 冯志远: penalty until 2026-12-31
    ("12", "05"): "非中共正式党员",  # 曹欣然: 群众 for 团委书记 (passes 04)
    ("15", "08"): "现职级为科员",  # 田春生: 科员
    ("29", "03"): "任正科级职务不满3年",  # 魏子涵: 正科级 since 2023-06-13, one day short
}
# Words that only a failure reason would put on a paper; none may reach the 公示.
REASON_WORDS = ("不合格", "超过45周岁", "不满4年", "不满3年", "学历低于", "非中共正式党员", "出生日期早于",
                "处分", "现职级为", "原因")
# 公示期 worked out by hand: the review step ends Tue 2026-06-16 (campaign.toml [[timeline]] "review"),
# so the notice goes up Wed 06-17. Five 工作日: 06-17 Wed (1), 06-18 Thu (2); 06-19 Fri to 06-21 Sun is
# 端午节 off (国务院办公厅 2026 arrangement, no 调休 for it); 06-22 Mon (3), 06-23 Tue (4), 06-24 Wed (5).
PERIOD = "公示期为2026年6月17日至2026年6月24日（5个工作日）"


def sheet_rows(path: Path) -> list[dict]:
    """Read the first sheet of a sample workbook as dicts keyed by its header row."""
    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h).strip() if h else "" for h in rows[0]]
    return [dict(zip(header, r)) for r in rows[1:] if r and r[0]]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample's eligibility papers, built once; the inputs read back independently."""
    root = tmp_path_factory.mktemp("review")
    campaign = root / "campaign"
    shutil.copytree(ROOT / "inputs", campaign)
    out = root / "out"
    build(campaign, out, ["eligibility"], log=lambda m: None)
    people = sheet_rows(campaign / "报名信息.xlsx")
    titles = {str(r["职位代码"]): r["职位名称"] for r in sheet_rows(campaign / "职位表.xlsx")}
    applications = [(str(p["报名序号"]), code) for p in people for code in re.split(r"[、，,;；\s]+", str(p["报考职位"]))]
    return SimpleNamespace(out=out, people=people, titles=titles, applications=applications,
                           names={str(p["报名序号"]): p["姓名"] for p in people})


@pytest.mark.integration
def test_sample_counts_worked_out(sample):
    # 30 applicants; 12, 25 and 30 apply for two posts each (make_sample.py): 30 + 3 = 33 applications.
    assert len(sample.people) == 30
    assert len(sample.applications) == 33
    assert set(FAILS) <= set(sample.applications)


@pytest.mark.integration
def test_csv_counts_agree_with_the_sample(sample):
    raw = (sample.out / "eligibility.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so that Excel opens it
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(rows[0]) == ["报名序号", "姓名", "职位代码", "资格审查结果", "原因"]
    assert [(r["报名序号"], r["职位代码"]) for r in rows] == sample.applications
    failed = {(r["报名序号"], r["职位代码"]): r["原因"] for r in rows if r["资格审查结果"] == "不合格"}
    assert set(failed) == set(FAILS)  # 9 failures, so 33 - 9 = 24 qualified
    assert sum(r["资格审查结果"] == "合格" for r in rows) == 24
    for key, words in FAILS.items():
        assert words in failed[key], key
    assert all(r["原因"] == "" for r in rows if r["资格审查结果"] == "合格")


def table_rows(path: Path) -> list[list[str]]:
    return [[c.text.strip() for c in row.cells] for t in Document(path).tables for row in t.rows]


@pytest.mark.integration
def test_internal_table_lists_every_application(sample):
    rows = table_rows(sample.out / f"{TABLE}.docx")
    data = [r for r in rows if re.fullmatch(r"\d\d", r[0]) and len(set(r)) > 2]
    assert len(data) == 33
    header = rows[0]
    col = {name: header.index(name) for name in ("报名序号", "姓名", "身份证号", "审查结果", "不合格原因")}
    by_key, code = {}, None
    for r in rows:
        if len(set(r)) == 1 and "报名" in r[0]:  # a post's heading row: "01　教务处处长（报名4人次，…）"
            code = re.match(r"(\d\d)　", r[0]).group(1)
        elif r in data:
            by_key[(r[col["报名序号"]], code)] = r
    assert set(by_key) == set(sample.applications)
    for key, row in by_key.items():
        assert row[col["姓名"]] == sample.names[key[0]]
        assert re.fullmatch(r"\d{4}\*{10}\d{3}[\dX]", row[col["身份证号"]])  # masked (idcard.mask_id)
        expected = "不合格" if key in FAILS else "合格"
        assert row[col["审查结果"]] == expected, key
    # Named deliberate cases: the boundary pairs and the applicant eligible for one of two posts.
    assert "年龄超过45周岁" in by_key[("01", "01")][col["不合格原因"]]  # 林振华, 46 on the day
    assert by_key[("02", "01")][col["审查结果"]] == "合格"  # 何晓岚, 46 the day after
    assert "任副科级职务不满4年" in by_key[("03", "02")][col["不合格原因"]]  # 邵明哲
    assert by_key[("04", "02")][col["审查结果"]] == "合格"  # 苏婉清, exactly 4 years
    assert by_key[("12", "05")][col["不合格原因"]] == "非中共正式党员"  # 曹欣然 fails 团委书记 …
    assert by_key[("12", "04")][col["审查结果"]] == "合格"  # … and passes 外语系主任
    assert by_key[("13", "07")][col["审查结果"]] == "合格"  # 蒋雨桐, born on 2-29


@pytest.mark.integration
def test_internal_table_summary_and_signatures(sample):
    text = docx_text(sample.out / f"{TABLE}.docx")
    assert "报名30人，共33人次；审查合格24人次，不合格9人次" in text
    # Per post, e.g. 03 师范部主任: 05 06 18 29 30 applied, 29 魏子涵 failed.
    assert "03　师范部主任（报名5人次，合格4人次，不合格1人次）" in text
    assert "05　团委书记（报名5人次，合格2人次，不合格3人次）" in text
    for who in ("审查人（签名）", "复核人（签名）", "监督人（签名）"):
        assert who in text


def notice_lists(path: Path) -> dict[str, list[str]]:
    """Read the 公示: each post heading, then the names in the table that follows it."""
    doc = Document(path)
    listed, counts, current = {}, {}, None
    for block in doc.element.body.iterchildren():
        tag = block.tag.split("}")[1]
        if tag == "p":
            m = re.fullmatch(r"（[一二三四五六七八九十]+）(.+)（(\d+)人）", Paragraph(block, doc).text.strip())
            if m:
                current = m.group(1)
                listed[current] = []
                counts[current] = int(m.group(2))
        elif tag == "tbl":
            table = next(t for t in doc.tables if t._tbl is block)
            names = [row.cells[1].text for row in table.rows[1:]]
            listed[current] += names
    assert counts == {post: len(names) for post, names in listed.items()}  # "（3人）" agrees with the table
    return listed


@pytest.mark.integration
def test_notice_lists_exactly_the_qualified(sample):
    expected: dict[str, list[str]] = {}
    for number, code in sample.applications:
        if (number, code) not in FAILS:
            expected.setdefault(sample.titles[code], []).append(sample.names[number])
    listed = notice_lists(sample.out / f"{NOTICE}.docx")
    assert {t: sorted(n) for t, n in listed.items()} == {t: sorted(n) for t, n in expected.items()}
    assert sum(map(len, listed.values())) == 24
    assert listed["团委书记"] == ["许静怡", "钟晨曦"]  # 10 and 20; 08, 09, 12 fail


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.integration
def test_notice_period_and_objection_contacts(sample):
    for text in (docx_text(sample.out / f"{NOTICE}.docx"), pdf_text(sample.out / f"{NOTICE}.pdf")):
        text = flat(text)
        assert PERIOD in text
        assert "受理电话：0512-58880000" in text  # the office's, campaign.toml [notice]
        assert "受理地址：江州职业技术学院行政楼305室组织人事处" in text
        assert "江州职业技术学院组织人事处2026年6月17日" in text  # issuer, then the date it is posted


def leaks(text: str, people: list[dict]) -> list[str]:
    """Personal data (tests/pii.py) and failure-reason words found in a public paper's text."""
    applicants = [SimpleNamespace(name=p["姓名"], id_number=str(p["身份证号"]), phone=str(p["联系电话"]),
                                  address=p.get("家庭住址")) for p in people]
    words = [f"失败原因用语：{w}" for w in REASON_WORDS if w in text]
    return find_personal_data(text, applicants) + words


@pytest.mark.integration
def test_public_notice_carries_no_personal_data(sample):
    docx, pdf = sample.out / f"{NOTICE}.docx", sample.out / f"{NOTICE}.pdf"
    assert leaks(docx_text(docx), sample.people) == []
    assert leaks(pdf_text(pdf), sample.people) == []


@pytest.mark.integration
def test_the_scan_catches_a_planted_leak(sample, tmp_path):
    """Plant one applicant's ID number, phone and a failure reason in a copy; both scans must fail."""
    someone = sample.people[0]
    doc = Document(sample.out / f"{NOTICE}.docx")
    doc.add_paragraph(f"身份证号{someone['身份证号']}，电话{someone['联系电话']}，年龄超过45周岁")
    planted = tmp_path / "planted.docx"
    doc.save(planted)
    found = leaks(docx_text(planted), sample.people)
    assert any("身份证号" in f for f in found) and any("联系电话" in f for f in found)
    assert any("超过45周岁" in f for f in found)
    pdf = convert_to_pdf([planted], tmp_path / "pdf")[planted]
    found = leaks(pdf_text(pdf), sample.people)
    assert any("身份证号" in f for f in found) and any("联系电话" in f for f in found)


# --- when the 公示 goes up (pipeline.papers.review.notice_start), on the validated sample data ---

@pytest.fixture(scope="module")
def data():
    return load_campaign_folder(ROOT / "inputs")


def sample_table() -> dict:
    return tomllib.loads((ROOT / "inputs" / "campaign.toml").read_text(encoding="utf-8"))


def with_raw(data, **changes):
    """The same campaign data with some campaign.toml tables replaced (checked as the loader checks them)."""
    campaign = dataclasses.replace(data.campaign, settings=settings_of({**sample_table(), **changes}))
    return dataclasses.replace(data, campaign=campaign)


def test_notice_starts_the_day_after_the_review_step(data):
    assert notice_start(data) == dt.date(2026, 6, 17)  # review: 2026-06-15 to 06-16
    one_day = [{"key": "review", "name": "资格审查", "start": dt.date(2026, 6, 15)}]  # no end: done the same day
    assert notice_start(with_raw(data, timeline=one_day)) == dt.date(2026, 6, 16)
    configured = {**sample_table()["notice"], "review_notice_start": dt.date(2026, 6, 20)}
    assert notice_start(with_raw(data, notice=configured)) == dt.date(2026, 6, 20)


def test_notice_start_that_cannot_be_worked_out_is_a_located_error(data):
    with pytest.raises(InputErrors) as exc:
        notice_start(with_raw(data, timeline=[]))
    assert "review_notice_start" in str(exc.value.problems[0])


def test_a_quoted_notice_start_is_refused_when_the_campaign_is_read(tmp_path):
    campaign = tmp_path / "campaign"
    shutil.copytree(ROOT / "inputs", campaign)
    toml = campaign / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[notice]\n", '[notice]\nreview_notice_start = "2026-06-20"\n', 1), encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_campaign_folder(campaign)
    [problem] = exc.value.problems
    line = next(i for i, s in enumerate(toml.read_text(encoding="utf-8").splitlines(), 1) if "review_notice_start" in s)
    assert (problem.column, problem.row) == ("notice.review_notice_start", line)


def test_saturday_notice_runs_from_monday(data, tmp_path):
    # Posted Sat 2026-06-27: the period starts Mon 06-29 (workdays.notice_period); five 工作日
    # 06-29, 06-30, 07-01, 07-02, 07-03 (no holiday that week) end Fri 07-03.
    configured = {**sample_table()["notice"], "review_notice_start": dt.date(2026, 6, 27)}
    facts = review_notice_facts(with_raw(data, notice=configured))
    assert (facts.start, facts.end, facts.issued) == (dt.date(2026, 6, 29), dt.date(2026, 7, 3), dt.date(2026, 6, 27))


def test_plan_files_the_papers_in_their_bundles(data):
    from pipeline.papers.registry import plan_outputs

    plan = plan_outputs(data, compute_outcome(data, ROOT / "inputs"), ["eligibility"])
    jobs = {j.path: j for j in plan.docs}
    assert (jobs[TABLE].public, jobs[TABLE].bundles, jobs[TABLE].order) == (False, ("归档",), 400)
    assert (jobs[NOTICE].public, jobs[NOTICE].bundles, jobs[NOTICE].order) == (True, ("公示", "归档"), 410)
    assert [f.path for f in plan.files] == ["eligibility.csv"]
    assert "公示" in NOTICE and "公示" not in TABLE  # public notices carry 公示 in their names


@pytest.mark.integration
def test_a_long_review_becomes_one_table_and_one_notice_per_post(tmp_path, monkeypatch):
    """Past REVIEW_ROWS_PER_PAPER applications (a low threshold here; 2000 in use) each post gets its own
    资格审查表 and 公示, with its own counts; together they list every application exactly once."""
    from pipeline.papers import review as papers_review
    from devtools.synth import generate_campaign

    generate_campaign(tmp_path / "campaign", posts=5, principal=2, applicants=120, judges=56, seed=4)
    monkeypatch.setattr(papers_review, "REVIEW_ROWS_PER_PAPER", 100)
    out = tmp_path / "out"
    build(tmp_path / "campaign", out, ["eligibility"], log=lambda m: None)
    with (out / "eligibility.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 100  # the threshold is passed: 120 applicants, some for two posts
    titles = {str(r["职位代码"]): r["职位名称"] for r in sheet_rows(tmp_path / "campaign" / "职位表.xlsx")}
    assert not (out / REVIEW / "资格审查表.docx").exists()
    for code, title in titles.items():
        mine = [r for r in rows if r["职位代码"] == code]
        passed = [r for r in mine if r["资格审查结果"] == "合格"]
        path = out / REVIEW / "资格审查表" / f"{code}-{title}.docx"
        assert f"{code}　{title}（报名{len(mine)}人次，合格{len(passed)}人次，不合格{len(mine) - len(passed)}人次）" in docx_text(path)
        table = Document(path).tables[0].rows  # header, the post's heading row, then one row per application
        assert [(row.cells[0].text, row.cells[1].text) for row in table[2:]] == [(r["报名序号"], r["姓名"]) for r in mine]
        notice = pdf_text(out / REVIEW / "资格审查结果公示" / f"{code}-{title}.pdf")
        assert sorted(r["姓名"] for r in passed if r["姓名"] in notice) == sorted(r["姓名"] for r in passed)
    papers = sorted(p.relative_to(out).as_posix() for p in (out / REVIEW).rglob("*.pdf"))
    assert papers == sorted([f"{REVIEW}/资格审查表/{c}-{t}.pdf" for c, t in titles.items()]
                            + [f"{REVIEW}/资格审查结果公示/{c}-{t}.pdf" for c, t in titles.items()])
