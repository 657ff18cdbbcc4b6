"""Notices (考察对象公示/成绩公示, 任前公示), decisions (任职决定.xlsx) and appointment papers (任职通知, 聘任书)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import replace
import sys
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from tests.notices_scores import write_filled_scores
from tests.pii import docx_text, pdf_text, scan_paper
from pipeline.engine.jobs import Plan
from pipeline.outcome import compute_outcome
from pipeline.run import build
from pipeline.appointment.decisions import DECISION_FILE, read_decisions
from pipeline.errors import InputErrors
from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.notice_dates import notice_days
from pipeline.papers.notices import plan_letters, plan_notices
from pipeline.campaign.workdays import CalendarGapError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "devtools"))
from make_sample_decisions import main as make_decisions  # noqa: E402

SAMPLE = ROOT / "inputs"
NOTICES, LETTERS = "07-公示", "08-任职"


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> Path:
    """The sample campaign with a filled 评分录入.xlsx and no 任职决定.xlsx."""
    campaign = tmp_path_factory.mktemp("notices") / "campaign"
    shutil.copytree(SAMPLE, campaign)
    for name in (DECISION_FILE, "评分录入-复核.xlsx"):  # our own scores replace the sample's
        (campaign / name).unlink(missing_ok=True)
    write_filled_scores(campaign)
    return campaign


@pytest.fixture(scope="module")
def proposed(scored, tmp_path_factory) -> Path:
    """OUT of `make notices letters` without 任职决定.xlsx: the papers are 拟任 proposals."""
    out = tmp_path_factory.mktemp("out-proposed")
    build(scored, out, ["notices", "letters"], log=lambda m: None)
    return out


@pytest.fixture(scope="module")
def decided(scored, proposed, tmp_path_factory) -> Path:
    """OUT of the same build after the committee's 任职决定.xlsx (devtools/make_sample_decisions.py) arrives."""
    campaign = scored.parent / "decided"
    shutil.copytree(scored, campaign)
    assert make_decisions(["--campaign", str(campaign)]) == 0
    out = tmp_path_factory.mktemp("out-decided")
    build(campaign, out, ["notices", "letters"], log=lambda m: None)
    return out


@pytest.fixture(scope="module")
def data(scored):
    return load_campaign_folder(scored)


@pytest.mark.integration
def test_notice_periods_worked_out_by_hand(decided):
    # 考察对象公示: 演讲答辩 ends Fri 2026-06-26, so the notice is posted Sat 06-27; a Saturday cannot count,
    # so the period starts Mon 06-29: 06-29, 06-30, 07-01, 07-02, 07-03 = 5 working days (no holiday; 端午 was 06-19..21).
    text = docx_text(decided / NOTICES / "成绩及考察对象公示.docx")
    assert "公示时间：2026年6月29日至2026年7月3日，共五个工作日" in text
    # 任前公示: [[timeline]] pre_appointment_notice starts Wed 2026-07-08: 07-08, 07-09, 07-10, (weekend 11–12),
    # 07-13, 07-14 → ends Tue 2026-07-14, before the 任职通知's 成文日期 2026-07-16.
    text = docx_text(decided / NOTICES / "任前公示.docx")
    assert "公示时间：2026年7月8日至2026年7月14日，共五个工作日" in text
    assert re.search(r"江州职业技术学院组织人事处\s*2026年7月8日", text)  # the date under the office's name


@pytest.mark.integration
def test_objection_channels_are_the_office_ones(decided, data):
    text = docx_text(decided / NOTICES / "任前公示.docx")
    for value in ("0512-58880000", "江州职业技术学院行政楼305室组织人事处", "院纪委", "0512-58880012"):
        assert value in text


@pytest.mark.integration
def test_pre_appointment_notice_lists_the_decided_people_with_public_fields(decided, scored, data):
    rows = list(openpyxl.load_workbook(scored.parent / "decided" / DECISION_FILE)["任职决定"].iter_rows(
        min_row=2, values_only=True))
    assert len(rows) == len(data.posts)  # 8 posts, one place each, one appointee each
    text = docx_text(decided / NOTICES / "任前公示.docx")
    people = {a.number: a for a in data.applicants}
    for number, name, code, _ in rows:
        a = people[number]
        line = next(s for s in text.splitlines() if a.name in s)
        assert f"{a.birth_month[0]}.{a.birth_month[1]:02d}出生" in line
        assert f"拟任{data.post(code).title}" in line
    assert "拟任建议稿" not in text


@pytest.mark.integration
def test_without_decisions_the_papers_say_proposed(proposed):
    for path in (NOTICES + "/任前公示（拟任建议稿）", LETTERS + "/任职通知（拟任建议稿）"):
        assert "拟任建议稿" in docx_text(proposed / f"{path}.docx")
        assert "拟任建议稿" in pdf_text(proposed / f"{path}.pdf")
    letters = sorted((proposed / LETTERS).glob("聘任书（拟任建议稿）-*.pdf"))
    assert len(letters) == 8
    assert all("党委尚未作出任职决定" in pdf_text(p) for p in letters)


def test_without_decisions_the_build_says_so(scored):
    data = load_campaign_folder(scored)
    plan = Plan()
    plan_notices(data, compute_outcome(data, scored), plan)
    plan_letters(data, compute_outcome(data, scored), plan)
    notes = [str(s) for s in plan.skipped if s.paper == "任职决定"]
    assert len(notes) == 1 and "任职决定.xlsx" in notes[0]
    drafts = [j for j in plan.docs if j.template != "考察对象公示.docx"]
    assert len(drafts) == 10 and all(j.bundles == ("归档",) for j in drafts)  # never printed for the board


def test_without_scores_nothing_is_made(sample_campaign):
    (sample_campaign / "评分录入.xlsx").unlink(missing_ok=True)
    data = load_campaign_folder(sample_campaign)
    plan = Plan()
    plan_notices(data, compute_outcome(data, sample_campaign), plan)
    plan_letters(data, compute_outcome(data, sample_campaign), plan)
    assert plan.docs == []
    assert {s.paper for s in plan.skipped} == {"考察对象公示", "任前公示", "任职通知", "聘任书"}


@pytest.mark.integration
def test_public_papers_carry_no_personal_data(proposed, decided, data):
    papers = [p for out in (proposed, decided) for p in (out / NOTICES).glob("*公示*.*")]
    assert len(papers) == 8  # two notices × (DOCX, PDF) × two builds
    findings = [f for p in papers for f in scan_paper(p, data.applicants)]
    assert findings == []


@pytest.mark.integration
def test_scores_are_published_with_their_parts(decided, data):
    text = docx_text(decided / NOTICES / "成绩及考察对象公示.docx")
    assert "总成绩＝（专家评委×4＋党委成员×3＋中层干部×1.5＋教师代表×1.5）÷10" in text
    # 何晓岚 (报名序号 02, post 01): tests/notices_scores.py gives 70 + (2 × 7) % 23 = 84 plus 0.5 × (column % 4),
    # judge columns starting at D (column 4, offset 0).
    # 专家评委, 7 judges: 84, 84.5, 85, 85.5, 84, 84.5, 85; drop 85.5 and the first 84: 423 / 5 = 84.60.
    # 党委成员, 7 judges: the same, 84.60.
    # 中层干部, 12 judges: 12 × 84 + 3 × (0 + 0.5 + 1 + 1.5) = 1017; minus 85.5 and 84 = 847.5; / 10 = 84.75.
    # 教师代表, 30 judges: 30 × 84 + 7 × 3 + 0 + 0.5 = 2541.5; minus 169.5 = 2372; / 28 = 84.714… → 84.71.
    # Total: (84.60 × 4 + 84.60 × 3 + 84.75 × 1.5 + 84.71 × 1.5) / 10 = 846.39 / 10 = 84.639 → 84.64.
    row = text[text.rindex("何晓岚"):][:80]
    for part in ("专家评委 84.60", "党委成员 84.60", "中层干部 84.75", "教师代表 84.71", "84.64"):
        assert part in row


@pytest.mark.integration
def test_appointment_notice_has_red_head_and_document_number(decided):
    pdf = decided / LETTERS / "任职通知.pdf"
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        assert len(doc.pages) == 1
        head = [c for c in page.chars if c["top"] < 200 and c["size"] > 20]
        text = "".join(c["text"] for c in head)
        assert text == "中共江州职业技术学院委员会文件"
        assert {tuple(c["non_stroking_color"]) for c in head} == {(1, 0, 0)}  # red, GB/T 9704-2012 7.2.4
        body = [c for c in page.chars if c["top"] > 300]
        assert body and all(tuple(c["non_stroking_color"] or (0,)) != (1, 0, 0) for c in body)
        red_lines = [r for r in page.rects + page.lines if tuple(r.get("non_stroking_color") or ()) == (1, 0, 0)
                     or tuple(r.get("stroking_color") or ()) == (1, 0, 0)]
        assert red_lines, "the red separating line under the 发文字号 is missing"
        assert max(r["width"] for r in red_lines) == pytest.approx(156 / 25.4 * 72, abs=1)  # the type area
    text = re.sub(r"\s+", "", pdf_text(pdf))  # pdftotext puts spaces between digits and Chinese
    assert "江职院委〔2026〕12号" in text
    assert "2026年7月16日" in text and "（试用期一年）" in text and "拟任" not in text


@pytest.mark.integration
def test_one_letter_per_appointee(decided):
    letters = sorted((decided / LETTERS).glob("聘任书-*.pdf"))
    assert len(letters) == 8
    for path in letters:
        with pdfplumber.open(path) as doc:
            assert len(doc.pages) == 1
        name = path.stem.split("-")[-1]
        assert f"{name}同志" in pdf_text(path)


# --- decisions read with located errors ---

def _decision_file(campaign: Path, rows) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任职决定"
    ws.append(["报名序号", "姓名", "任职职位代码", "是否新提任"])
    for row in rows:
        ws.append(list(row))
    wb.save(campaign / DECISION_FILE)
    return campaign / DECISION_FILE


def _problems(path, data, results):
    with pytest.raises(InputErrors) as info:
        read_decisions(path, data, results)
    return info.value.problems


def test_decision_for_someone_not_an_inspection_candidate_is_located(scored, data, tmp_path):
    results = compute_outcome(data, scored).results
    loser = next(r for r in results if r.candidate.post_code == "01" and not r.inspection)
    path = _decision_file(tmp_path, [(loser.candidate.number, loser.candidate.name, "01", "是")])
    [problem] = _problems(path, data, results)
    assert (problem.file, problem.sheet, problem.cell, problem.code) == (
        DECISION_FILE, "任职决定", "A2", "not-inspection-candidate")
    assert f"{loser.candidate.name}（{loser.candidate.number}）不是职位 01 教务处处长 的考察对象" in str(problem)


def test_bad_decision_rows_are_all_reported(scored, data, tmp_path):
    results = compute_outcome(data, scored).results
    top = {r.candidate.post_code: r.candidate for r in results if r.inspection}
    first, second = top["01"], top["02"]
    path = _decision_file(tmp_path, [
        ("99", "无此人", "01", "是"),                    # row 2: unknown 报名序号
        (first.number, "张冠李", "01", "是"),           # row 3: name does not match the 报名序号
        (second.number, second.name, "02", "也许"),      # row 4: not 是/否
        (second.number, second.name, "09", "是"),        # row 5: unknown post
    ])
    found = {(p.cell, p.code) for p in _problems(path, data, results)}
    assert found == {("A2", "unknown-applicant"), ("B3", "name-mismatch"), ("D4", "bad-choice"),
                     ("C5", "unknown-post"), ("A5", "duplicate")}


def test_decisions_read_numbers_and_codes_as_the_other_workbooks_do(scored, data, tmp_path):
    results = compute_outcome(data, scored).results
    top = {r.candidate.post_code: r.candidate for r in results if r.inspection}
    first, second = top["01"], top["02"]
    wide = first.number.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})  # full-width digits: １６
    path = _decision_file(tmp_path, [(wide, first.name, "01", "是"), (second.number, second.name, "2", "否")])
    [problem] = _problems(path, data, results)  # row 2 is read as 报名信息 reads its 报名序号
    assert (problem.cell, problem.code) == ("C3", "unknown-post")
    assert problem.message == ("职位表中没有职位代码“2”（是否应为“02”？表格软件会去掉数字开头的0，"
                               "请把该列设为文本格式后重新输入），请核对")


def test_decision_headers_are_compared_as_every_reader_compares_them(scored, data, tmp_path):
    results = compute_outcome(data, scored).results
    top = next(r.candidate for r in results if r.inspection and r.candidate.post_code == "01")
    path = _decision_file(tmp_path, [(top.number, top.name, "01", "是")])
    wb = openpyxl.load_workbook(path)
    wb["任职决定"]["A1"] = "*报名 序号"  # a required-mark and a space, as clerks decorate headers
    wb.save(path)
    [appointment] = read_decisions(path, data, results)
    assert appointment.applicant.number == top.number


def test_post_over_its_places_is_located(scored, data, tmp_path):
    results = compute_outcome(data, scored).results
    # Post 01 has 1 place. Make its runner-up tied at the cut-off, so the committee may pick either of the
    # two, and let the file appoint both: the second row is one too many.
    top = next(r.candidate for r in results if r.inspection and r.candidate.post_code == "01")
    tied = [r.candidate for r in results if r.candidate.post_code == "01"][1]
    results = [replace(r, tie_at_cutoff=True) if r.candidate == tied else r for r in results]
    path = _decision_file(tmp_path, [(top.number, top.name, "01", "是"), (tied.number, tied.name, "01", "否")])
    [problem] = _problems(path, data, results)
    assert (problem.cell, problem.code) == ("C3", "over-places")


def test_sample_decisions_match_the_sample_scores():
    # inputs/任职决定.xlsx (devtools/make_sample_decisions.py) must name the 考察对象 of inputs/评分录入.xlsx.
    data = load_campaign_folder(SAMPLE)
    appointments = read_decisions(SAMPLE / DECISION_FILE, data, compute_outcome(data, SAMPLE).results)
    assert [a.post.code for a in appointments] == [p.code for p in data.posts]
    assert len({a.applicant.number for a in appointments}) == len(appointments)


# --- configuration errors ---

def test_short_pre_appointment_notice_is_a_located_config_error(sample_campaign):
    toml = sample_campaign / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("working_days = 5 ", "working_days = 3 "), encoding="utf-8")
    line = next(i for i, s in enumerate(toml.read_text(encoding="utf-8").splitlines(), 1)
                if s.startswith("working_days = 3"))
    with pytest.raises(InputErrors) as info:  # refused when campaign.toml is read, whatever the command
        load_campaign_folder(sample_campaign)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == ("campaign.toml", line, "notice.working_days")
    assert "不得少于5个工作日" in problem.message


def test_notice_crossing_into_an_unknown_year_is_refused(scored, tmp_path):
    campaign = tmp_path / "campaign"
    shutil.copytree(scored, campaign)
    toml = campaign / "campaign.toml"
    text = toml.read_text(encoding="utf-8").replace("start = 2026-07-08", "start = 2026-12-28")
    # The step after it (办理任职手续) follows it, as the timeline's order requires.
    toml.write_text(text.replace("start = 2026-07-16", "start = 2027-01-11"), encoding="utf-8")
    data = load_campaign_folder(campaign)
    # 2026-12-28 Mon … 12-31 Thu are four working days; the fifth falls in 2027, which the calendar lacks.
    with pytest.raises(CalendarGapError) as info:
        plan_notices(data, compute_outcome(data, campaign), Plan())
    assert "跨入2027年" in str(info.value) and "节假日安排.toml" in str(info.value)


def test_appointment_dated_inside_the_notice_period_is_refused(scored, tmp_path):
    campaign = tmp_path / "campaign"
    shutil.copytree(scored, campaign)
    toml = campaign / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("appointment_date = 2026-07-16",
                                                             "appointment_date = 2026-07-13"), encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        plan_notices(load_campaign_folder(campaign), compute_outcome(load_campaign_folder(campaign), campaign), Plan())
    [problem] = info.value.problems
    assert problem.column == "documents.appointment_date" and "2026-07-14" in problem.message
    lines = (SAMPLE / "campaign.toml").read_text("utf-8").splitlines()
    assert problem.row == 1 + next(i for i, line in enumerate(lines) if line.startswith("appointment_date = "))


def test_unpublished_scores_leave_them_out(scored, tmp_path):
    campaign = tmp_path / "campaign"
    shutil.copytree(scored, campaign)
    toml = campaign / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("publish_scores = true", "publish_scores = false"),
                    encoding="utf-8")
    plan = Plan()
    plan_notices(load_campaign_folder(campaign), compute_outcome(load_campaign_folder(campaign), campaign), plan)
    job = next(j for j in plan.docs if j.template == "考察对象公示.docx")
    assert job.path == f"{NOTICES}/考察对象公示" and job.public
    assert job.context["ranking"] == [] and all("total" not in p for p in job.context["people"])
    assert len(job.context["people"]) == 8
    assert job.context["period"]["start"] == dt.date(2026, 6, 29)


def test_public_contexts_carry_only_whitelisted_fields(scored):
    from pipeline.campaign.publish import PUBLIC_PERSON_FIELDS

    data = load_campaign_folder(scored)
    plan = Plan()
    plan_notices(data, compute_outcome(data, scored), plan)
    ranks = {a.rank for a in data.applicants}  # 现职级 (正科级 …): not what "rank" means on a 公示
    for job in plan.docs:
        people = job.context["people"] + [c["person"] for c in job.context.get("ranking", [])]
        assert people and all(set(p) <= PUBLIC_PERSON_FIELDS for p in people)
        assert not any(p.get("rank") in ranks for p in people)
        assert not any("rank" in p for p in people)  # the 现职级 key is dropped, not blanked


def test_tie_at_the_cut_off_is_shown_for_the_committee():
    from pipeline.papers.contexts import EXAMPLE_APPLICANT, EXAMPLE_CAMPAIGN, EXAMPLE_POSTS
    from pipeline.papers.notices import Period, inspection_notice_context
    from pipeline.scoring.compute import Candidate, CandidateResult

    tied = CandidateResult(Candidate(EXAMPLE_APPLICANT.number, EXAMPLE_APPLICANT.name, "01"), (), None, (), None,
                           total=None, rank=1, tie_at_cutoff=True)
    period = Period(dt.date(2026, 6, 29), dt.date(2026, 7, 3), 5)
    context = inspection_notice_context(EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, {EXAMPLE_APPLICANT.number: EXAMPLE_APPLICANT},
                                        [tied], period, True)
    assert context["people"] == [] and context["ties_text"] == "教务处处长"
    assert context["ranking"][0]["selected"] == "同分待定"
