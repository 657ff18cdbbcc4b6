"""Hostile input: names that would climb out of OUT, personal data typed into text a 公示 prints, and
spreadsheet formula injection (OWASP "CSV injection") in the CSV and xlsx files we write."""
from __future__ import annotations

from types import SimpleNamespace

import csv
import dataclasses
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from broken.factory import ID_2, applicants, make_campaign, posts, write_workbook
from pipeline.errors import PipelineError
from pipeline.outcome import compute_outcome
from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.columns import APPLICANTS, JUDGES, POSTS
from tests.test_inputs import A, J, P, problems_of, where

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs"

# Formula payloads a tester typed (OWASP CSV injection): each starts with = + @ or -.
PAYLOADS = ("=cmd|' /C calc'!A0", "+1", "@SUM(1+1)", "-2+3")



def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file and folder under folder, files with their content hash."""
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest() if f.is_file() else "dir"
            for f in sorted(folder.rglob("*"))}


def set_cell(path: Path, ref: str, value) -> None:
    """Change one cell of the first sheet of a sample workbook, keeping everything else."""
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0][ref] = value
    wb.save(path)


def sample_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "campaign"
    shutil.copytree(SAMPLE, dest)
    return dest


def run(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


# --- names that would write outside OUT ---

@pytest.mark.e2e
def test_escaping_name_is_refused_and_nothing_is_written(tmp_path):
    """Sample row 4 is 邵明哲 (报名序号 03); the tester made his name climb five folders up."""
    campaign = sample_copy(tmp_path)
    set_cell(campaign / A, "B4", "../../../../../逃逸/邵明哲")
    out = tmp_path / "a" / "b" / "c" / "d" / "e" / "out"
    out.mkdir(parents=True)
    (out / "上次生成.txt").write_text("earlier output\n", encoding="utf-8")
    before = tree_hashes(tmp_path)
    located = "报名信息.xlsx 工作表「报名信息」 B4 「姓名」：姓名「../../../../../逃逸/邵明哲」含有不允许的字符「.」、「/」"
    for command in ("check", "build"):
        result = run("--campaign", str(campaign), "--out", str(out), *([command, "all"] if command == "build" else [command]))
        assert result.returncode != 0, result.stdout
        assert located in result.stderr
        assert "Traceback" not in result.stderr
        assert tree_hashes(tmp_path) == before  # OUT unchanged, nothing above it, campaign untouched
    assert not any(p.name == "逃逸" for p in tmp_path.rglob("*"))


def test_name_with_a_slash_is_refused(tmp_path):
    campaign = sample_copy(tmp_path)
    set_cell(campaign / A, "B6", "韩立川/子目录")  # sample row 6 is 韩立川 (05)
    [problem] = problems_of(campaign)
    assert where(problem) == (A, "报名信息", 6, "姓名", "B6", "bad-name")
    assert "「/」" in problem.message and "汉字" in problem.message


@pytest.mark.parametrize("sheet_file, ref, value, header", [
    (A, "A2", "../01", "报名序号"),
    (A, "A3", "02\\x", "报名序号"),
    (J, "A2", "Z01/..", "评委编号"),
    (P, "A6", "05 ", None),  # a trailing space is trimmed: accepted
])
def test_serials_and_codes_unfit_for_a_file_name(tmp_path, sheet_file, ref, value, header):
    campaign = sample_copy(tmp_path)
    set_cell(campaign / sheet_file, ref, value)
    if header is None:
        load_campaign_folder(campaign)
        return
    [problem] = problems_of(campaign)
    assert (problem.file, problem.cell, problem.column, problem.code) == (sheet_file, ref, header, "bad-identifier")
    assert "不能用于文件名" in problem.message and "字母、数字、汉字和“-”“_”" in problem.message


def test_post_code_with_a_separator_is_refused_where_it_is_defined(tmp_path):
    folder = make_campaign(tmp_path)
    rows = posts()
    rows[0]["职位代码"] = "0/1"
    write_workbook(folder / P, POSTS, rows)
    found = [where(p) for p in problems_of(folder)]
    assert (P, "职位表", 2, "职位代码", "A2", "bad-identifier") in found


@pytest.mark.parametrize("name", ["林振华", "阿依古丽·买买提", "John Smith", "𠀀𪚥", "評委Z甲"])
def test_names_that_are_accepted(name):
    from pipeline.campaign.cleaning import parse_name

    assert parse_name(name) == name


@pytest.mark.parametrize("typed, kept", [
    ("阿依古丽・买买提", "阿依古丽·买买提"),  # U+30FB katakana middle dot
    ("阿依古丽 • 买买提", "阿依古丽·买买提"),  # U+2022 bullet, with spaces
    ("阿依古丽．买买提", "阿依古丽·买买提"),  # U+FF0E full-width full stop
    ("John   Smith", "John Smith"),
])
def test_dot_look_alikes_become_the_middle_dot(typed, kept):
    from pipeline.campaign.cleaning import parse_name

    assert parse_name(typed) == kept


@pytest.mark.parametrize("name", ["林振华1", "林/振华", "..", "林..华", "·林", "林·", "林··华", "林\x00华", "林，华",
                                  "Tom-Lee", "=cmd|' /C calc'!A0", "+1", "@SUM(1+1)", "-2+3"])
def test_names_that_are_refused(name):
    from pipeline.campaign.cleaning import CellError, parse_name

    with pytest.raises(CellError) as info:
        parse_name(name)
    assert info.value.code == "bad-name"


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.characters(min_codepoint=0x20000,
                                                                                 max_codepoint=0x323AF)
PART = st.text(HAN, min_size=1, max_size=6)


@given(st.lists(PART, min_size=1, max_size=3))
def test_any_chinese_name_with_middle_dots_is_kept(parts):
    from pipeline.campaign.cleaning import parse_name

    name = "·".join(parts)
    assert parse_name(name) == name


@given(PART, st.sampled_from("0123456789/\\.:*?<>|,;!#$%&()[]{}'\"\x01\x7f"), PART)
def test_a_name_with_a_digit_separator_or_punctuation_is_refused(head, bad, tail):
    from pipeline.campaign.cleaning import CellError, parse_name

    with pytest.raises(CellError):
        parse_name(head + bad + tail)


# --- personal data in cells a 公示 prints ---

def with_current_post(tmp_path, text: str, row: int = 3, **changes) -> Path:
    rows = applicants()
    rows[row - 2].update({"现工作单位及职务": text, **changes})
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, rows)
    return folder


@pytest.mark.parametrize("text, kind", [
    ("教务处科长，身份证360402198006131021，手机13387103890", "身份证号"),
    ("教务处科长（320102 19800314 1325）", "身份证号"),
    ("教务处科长 360402800613102", "身份证号"),  # 15-digit first-generation number
    ("教务处科长，手机13387103890", "手机号"),
    ("教务处科长 +86 133-8710-3890", "手机号"),
    ("教务处科长 0086 133 8710 3890", "手机号"),
    ("教务处科长，电话 8316542", "固定电话"),
    ("教务处科长，电话0792-8316542", "固定电话"),
    ("教务处科长（0792）83165420", "固定电话"),
    ("教务处科长，家住江州市滨江路272号", "家庭住址"),
    ("教务处科长，梧桐苑3栋2单元", "家庭住址"),
    ("教务处科长，阳光小区12", "家庭住址"),
    ("教务处科长（住301室）", "家庭住址"),
])
def test_personal_data_in_current_post_is_refused(tmp_path, text, kind):
    [problem] = problems_of(with_current_post(tmp_path, text))
    assert where(problem) == (A, "报名信息", 3, "现工作单位及职务", "L3", "personal-data")
    assert "会在公示中公开" in problem.message and kind in problem.message
    assert "13387103890" not in problem.message and "360402198006131021" not in problem.message  # masked


@pytest.mark.parametrize("text", ["江州市教育局办公室主任", "第一党支部书记", "滨江路小学副校长", "教务处教学科科长",
                                  "2019-2021年任团委副书记", "第3党支部书记", "师范部办公室主任"])
def test_ordinary_posts_are_accepted(tmp_path, text):
    data = load_campaign_folder(with_current_post(tmp_path, text))
    assert data.applicants[1].current_post == text


def test_mobile_appended_to_a_name_is_refused(tmp_path):
    rows = applicants()
    rows[0]["姓名"] = "林晓雯13387103890"
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, rows)
    [problem] = problems_of(folder)
    assert where(problem) == (A, "报名信息", 2, "姓名", "B2", "bad-name")
    assert "数字" in problem.message


@pytest.mark.parametrize("column, letter, text, kind", [
    # dots: no phone shape, but it is his own number (民族 is a GB/T 3304 choice now: no free text gets through)
    ("现工作单位及职务", "L", "教务处副处长（139.1234.5678）", "本人联系电话"),
    ("现工作单位及职务", "L", "教务处副处长（住江州市梧桐苑）", "本人家庭住址"),
    ("现工作单位及职务", "L", f"教务处副处长（{'.'.join(ID_2[i:i + 4] for i in range(0, 18, 4))}）", "本人身份证号"),
])
def test_own_phone_or_address_in_another_public_field_is_refused(tmp_path, column, letter, text, kind):
    rows = applicants()
    rows[1].update({column: text, "联系电话": "13912345678", "家庭住址": "江州市梧桐苑"})
    folder = make_campaign(tmp_path)
    write_workbook(folder / A, APPLICANTS, rows)
    [problem] = problems_of(folder)
    assert where(problem) == (A, "报名信息", 3, column, f"{letter}3", "personal-data")
    assert kind in problem.message


def test_personal_data_in_a_post_title_is_refused(tmp_path):
    rows = posts()
    rows[1]["职位名称"] = "团委书记（联系人手机13387103890）"
    rows[0]["部门"] = "教务处（滨江路272号）"
    folder = make_campaign(tmp_path)
    write_workbook(folder / P, POSTS, rows)
    found = {(p.cell, p.column, p.code) for p in problems_of(folder)}
    assert found == {("C3", "职位名称", "personal-data"), ("B2", "部门", "personal-data")}


# --- defence in depth: the planner's last look at public papers ---

def test_a_leak_in_a_public_context_is_caught_and_masked():
    from pipeline.engine.jobs import DocJob
    from pipeline.campaign.publish import check_public_papers

    context = {"people": [{"name": "何晓岚", "current_post": "教学质量管理科科长"},
                          {"name": "苏婉清", "current_post": "师资科副科长，手机13387103890"}],
               "contact": {"telephone": "0512-58880000"}}
    leaky = DocJob("04-资格审查/资格审查结果公示", "资格审查结果公示.docx", context, batch="review-notice",
                   title="资格审查结果公示", public=True)
    office = SimpleNamespace(notice=SimpleNamespace(phone="0512-58880000", address=None),
                             supervision=SimpleNamespace(phone=None))  # the settings check_public_papers reads
    with pytest.raises(PipelineError) as info:
        check_public_papers([leaky], office)
    message = str(info.value)
    assert "公示《资格审查结果公示》的「people[1].current_post」中有手机号（133*****890）" in message
    assert "13387103890" not in message and "0512" not in message  # masked; the office phone is not a leak
    internal = dataclasses.replace(leaky, public=False)
    check_public_papers([internal], office)  # an internal paper may carry it (报名登记表)


def test_plan_outputs_runs_the_guard(tmp_path):
    """campaign.toml's title is not a workbook cell; a phone typed into it is caught before anything is written."""
    from pipeline.papers.registry import plan_outputs

    campaign = sample_copy(tmp_path)
    toml = campaign / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'title = "2026年中层干部竞争上岗"', 'title = "2026年中层干部竞争上岗（咨询13387103890）"'), encoding="utf-8")
    data = load_campaign_folder(campaign)
    with pytest.raises(PipelineError) as info:
        plan_outputs(data, compute_outcome(data, campaign), ["plan"])
    assert "公示《2026年中层干部竞争上岗（咨询13387103890）实施方案》" not in str(info.value)
    assert "「campaign.title」中有手机号（133*****890）" in str(info.value)


def test_a_title_that_climbs_cannot_add_a_folder(tmp_path):
    from pipeline.papers.registry import plan_outputs

    campaign = sample_copy(tmp_path)
    toml = campaign / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'title = "2026年中层干部竞争上岗"', 'title = "../../逃逸/2026年竞争上岗"'), encoding="utf-8")
    plan = plan_outputs(load_campaign_folder(campaign), compute_outcome(load_campaign_folder(campaign), campaign), ["plan", "speech"])
    # "/" becomes "_" and leading dots go (safe_paths.component): one file name inside its folder.
    assert [j.path for j in plan.docs] == ["01-实施方案/_.._逃逸_2026年竞争上岗实施方案",
                                           "02-动员讲话/在.._.._逃逸_2026年竞争上岗动员会上的讲话"]


def test_every_planned_path_keeps_its_folder_level(tmp_path):
    """Names that get past a reader (here put in directly) still make one file name each."""
    from pipeline.papers.registry import plan_outputs

    campaign = sample_copy(tmp_path)
    data = load_campaign_folder(campaign)
    outcome = compute_outcome(data, campaign)  # 任职决定.xlsx checks its 姓名 as every reader does: read first
    people = {a.number: dataclasses.replace(a, name=f"../{a.name}/x") for a in data.applicants}
    judges = tuple(dataclasses.replace(j, name=f"{j.name}/..") for j in data.judges)
    data = dataclasses.replace(data, applicants=tuple(people.values()), judges=judges)
    appointed = tuple(dataclasses.replace(a, applicant=people[a.applicant.number]) for a in outcome.appointments)
    plan = plan_outputs(data, dataclasses.replace(outcome, appointments=appointed), ["all"])
    assert any("聘任书" in j.path for j in plan.docs) and any("评分表-" in j.path for j in plan.docs)
    assert any(".._" in j.path for j in plan.docs if "聘任书" in j.path)  # the hostile names reached the paths
    for path in [j.path for j in plan.docs] + [f.path for f in plan.files]:
        parts = path.split("/")
        assert len(parts) <= 2 and ".." not in parts and not parts[-1].startswith("."), path


# --- formula injection in what we write ---

def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_fields_are_neutralised_and_numbers_stay_numbers():
    from pipeline.papers.common import csv_bytes

    rows = [(i, "01", name, -2, "合格") for i, name in enumerate(PAYLOADS, 1)]
    back = read_csv(csv_bytes(("序号", "职位代码", "姓名", "差", "结果"), rows))
    assert [r[2] for r in back[1:]] == ["'" + p for p in PAYLOADS]
    assert [r[0] for r in back[1:]] == ["1", "2", "3", "4"] and {r[3] for r in back[1:]} == {"-2"}


def test_payloads_that_get_past_the_readers_are_neutralised_everywhere(tmp_path):
    """Post titles are free text (accepted by the reader); names are put in after reading, as a later bug might."""
    from pipeline.papers.registry import plan_outputs

    campaign = sample_copy(tmp_path)
    (campaign / "任职决定.xlsx").unlink()  # the committee decided on the real names, not on the payloads below
    wb = openpyxl.load_workbook(campaign / P)
    for row, payload in enumerate(PAYLOADS, start=2):  # posts 01–04
        wb.worksheets[0][f"C{row}"].value = payload
        wb.worksheets[0][f"C{row}"].data_type = "s"  # typed as text: openpyxl would otherwise store a formula
    wb.save(campaign / P)
    data = load_campaign_folder(campaign)
    assert [p.title for p in data.posts[:4]] == list(PAYLOADS)
    hostile = {a.number: PAYLOADS[i % 4] + a.name for i, a in enumerate(data.applicants)}
    data = dataclasses.replace(data, applicants=tuple(dataclasses.replace(a, name=hostile[a.number])
                                                      for a in data.applicants))
    plan = plan_outputs(data, compute_outcome(data, campaign), ["eligibility", "scoresheets", "results"])
    files = {f.path: f.content for f in plan.files}
    assert set(files) == {"eligibility.csv", "05-评分表/抽签顺序.csv", "05-评分表/评分录入.xlsx", "results.csv",
                          "results.xlsx", "06-成绩汇总/职位分配记录.csv"}
    eligibility = read_csv(files["eligibility.csv"])
    draw = read_csv(files["05-评分表/抽签顺序.csv"])
    results = read_csv(files["results.csv"])
    assert {r[1] for r in eligibility[1:]} == {"'" + n for n in hostile.values()}
    assert {r[4] for r in draw[1:]} <= {"'" + n for n in hostile.values()}
    assert {r[2] for r in draw[1:] if r[1] in ("01", "02", "03", "04")} == {"'" + p for p in PAYLOADS}
    assert results[1:] and all(r[2].startswith("'") for r in results[1:])
    allocation = read_csv(files["06-成绩汇总/职位分配记录.csv"])  # its steps name people: neutralised too
    for cells in (csv_cells(eligibility), csv_cells(draw), csv_cells(results), csv_cells(allocation)):
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    for name in ("05-评分表/评分录入.xlsx", "results.xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(files[name]))
        risky = [c for ws in wb for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value.startswith(PAYLOADS)]
        assert risky, name
        assert all(c.data_type == "s" and c.quotePrefix for c in risky), name


def csv_cells(rows: list[list[str]]) -> list[str]:
    return [c for r in rows for c in r]


def test_synth_and_example_workbooks_write_payloads_as_text(tmp_path):
    from pipeline.campaign.blank_workbooks import write_workbook as write_input_workbook

    rows = [{"number": f"0{i}", "name": p, "group": "专家评委"} for i, p in enumerate(PAYLOADS, 1)]
    path = write_input_workbook(tmp_path / J, JUDGES, rows)
    ws = openpyxl.load_workbook(path).worksheets[0]
    cells = [ws[f"B{r}"] for r in range(2, 6)]
    assert [c.value for c in cells] == list(PAYLOADS)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
