"""templates/单位类型.toml: the kinds of organisation as one table, and the committee's name on every paper.

docs/reference.md, 单位类型. The words expected here are written out by hand from the table (not read back from
the loader), so a table or loader that drifts fails.
"""
from __future__ import annotations

import dataclasses
import json
import shutil
import tomllib
from pathlib import Path

import pytest
from docx import Document

from pipeline.campaign.load import load_campaign_folder
from pipeline.campaign.org_kinds import KINDS_FILE, LABELS, OrgKind, load_org_kinds, parse_org_kinds
from pipeline.campaign.settings import load_settings, settings_of
from pipeline.errors import InputErrors, ProblemCollector
from tests.conftest import ROOT, SAMPLE, TEMPLATES

KINDS = ("township", "subdistrict", "bureau", "commission", "college")
# What distinguishes each kind's papers: its committee, how it names itself, and the scope of its posts.
OWN_WORDS = {
    "township": ("镇党委", "我镇", "镇机关各站所办", "全镇的中心工作"),
    "subdistrict": ("街道党工委", "我街道", "街道机关各科室和社区", "城市管理"),
    "bureau": ("局党组", "我局", "局机关各科室和所属单位", "行业管理"),
    "commission": ("委党组", "我委", "委机关各处室和所属单位", "经济运行调节"),
    "college": ("院党委", "我院", "学院各职能处室和教学院系", "人才培养"),
}


def table_text() -> str:
    return (TEMPLATES / KINDS_FILE).read_text(encoding="utf-8")


def problems_of(text: str):
    problems = ProblemCollector()
    kinds = parse_org_kinds(text, problems)
    return kinds, problems.problems


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(needle))


# --- the table ---

def test_the_table_has_the_five_kinds_with_their_committee_name_and_levels():
    kinds = load_org_kinds()
    assert tuple(kinds) == KINDS
    assert set(LABELS) == {f.name for f in dataclasses.fields(OrgKind)} - {"code"}  # every field is read
    assert [(k.name, k.committee) for k in kinds.values()] == [
        ("乡镇", "镇党委"), ("街道", "街道党工委"), ("县局", "局党组"), ("委办", "委党组"), ("院校", "院党委")]
    assert kinds["college"].post_levels() == {"正职": "正处级", "副职": "副处级"}
    assert all(kinds[k].post_levels() == {"正职": "正科级", "副职": "副科级"} for k in KINDS[:4])
    # The township's words are those the papers always printed.
    assert kinds["township"].phrases() == {
        "committee": "镇党委", "we": "我镇", "staff": "机关干部", "all_staff": "镇机关全体干部",
        "scope": "镇机关各站所办", "work": "全镇的中心工作和为民服务",
        "why": "乡镇处在联系群众的最前沿，中层干部既要抓落实，又要带队伍",
        "day_job": "征地拆迁、安全生产、信访维稳这些工作一天也不能放松"}


def test_a_wrong_table_gives_every_problem_with_its_line():
    text = table_text()
    bad = (text.replace('we = "我局"\n', "")  # missing key
           .replace('scope = "委机关各处室和所属单位"', 'scope = 3\nslogan = "x"')  # wrong type, unknown key
           .replace('principal_level = "正处级"', 'principal_level = "一级主任科员"')  # a 职级, no post level
           + "\n[city]\n")  # an empty kind
    kinds, problems = problems_of(bad)
    found = {(p.column, p.code) for p in problems}
    assert found == {("bureau.we", "missing-key"), ("commission.scope", "bad-value"),
                     ("commission.slogan", "unknown-key"), ("college.principal_level", "bad-value"),
                     ("city", "empty-kind")}
    rows = {p.column: p.row for p in problems}
    assert rows["bureau.we"] == line_of(bad, "[bureau]")  # a missing key: its table's line
    assert rows["commission.scope"] == line_of(bad, "scope = 3")
    assert rows["commission.slogan"] == line_of(bad, 'slogan = "x"')
    assert rows["city"] == line_of(bad, "[city]")
    assert all(p.file == KINDS_FILE for p in problems)
    message = {p.column: p.message for p in problems}
    assert "缺少单位自称" in message["bureau.we"] and 'we = "…"' in message["bureau.we"]
    assert "是公务员职级，不是职位层级" in message["college.principal_level"]
    assert set(kinds) == {"township", "subdistrict"}  # the right ones are still read


def test_a_table_that_is_no_toml_is_located():
    _, problems = problems_of(table_text().replace('we = "我镇"', "we = 我镇"))
    assert [(p.code, p.row) for p in problems] == [("toml-syntax", line_of(table_text(), 'we = "我镇"'))]


# --- campaign.toml's kind ---

def sample_text() -> str:
    return (SAMPLE / "campaign.toml").read_text(encoding="utf-8")


def test_an_unknown_kind_lists_the_kinds_of_the_table_and_guesses_the_meant_one(tmp_path):
    path = tmp_path / "campaign.toml"
    path.write_text(sample_text().replace('kind = "college"', 'kind = "街道"'), encoding="utf-8")
    problems = ProblemCollector()
    assert load_settings(path, problems) is None
    [problem] = problems.problems
    assert (problem.column, problem.row) == ("organisation.kind", 12)
    assert ("township（乡镇）、subdistrict（街道）、bureau（县局）、commission（委办）、college（院校）之一"
            in problem.message)
    assert '街道应写 kind = "subdistrict"' in problem.message


def new_kind_templates(tmp_path: Path) -> Path:
    """A templates folder whose table has one more kind, a county hospital, written by a clerk."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    college = table_text().split("[college]\n", 1)[1]
    hospital = (college.replace('"院校"', '"医院"').replace("我院", "本院").replace("学院各职能处室和教学院系",
                                                                                 "医院各职能科室和临床医技科室")
                .replace("院党委", "医院党委"))
    (folder / KINDS_FILE).write_text(table_text() + "\n[hospital]\n" + hospital, encoding="utf-8")
    return folder


def test_a_new_kind_is_a_new_table_read_from_the_build_s_templates(tmp_path, sample_campaign):
    from pipeline.papers.implementation import plan_context

    templates = new_kind_templates(tmp_path)
    toml = sample_campaign / "campaign.toml"
    toml.write_text(sample_text().replace('kind = "college"', 'kind = "hospital"')
                    .replace('party_committee_short = "院党委"', 'party_committee_short = ""'), encoding="utf-8")
    with pytest.raises(InputErrors) as err:  # the program's own table has no hospital
        load_campaign_folder(sample_campaign)
    assert [p.column for p in err.value.problems] == ["organisation.kind"]
    data = load_campaign_folder(sample_campaign, templates)
    context = plan_context(data, 5)
    assert context["ph"]["scope"] == "医院各职能科室和临床医技科室" and context["ph"]["committee"] == "医院党委"


def test_editing_the_table_changes_the_build_fingerprint(tmp_path):
    from pipeline.engine.build import fingerprint

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    before = fingerprint(SAMPLE, templates, ["plan"], "code")[0]
    (templates / KINDS_FILE).write_text(table_text().replace("我镇", "本镇"), encoding="utf-8")
    assert fingerprint(SAMPLE, templates, ["plan"], "code")[0] != before


# --- the words of each kind in the 实施方案 and 动员讲话 ---

@pytest.fixture(scope="module")
def sample_data():
    return load_campaign_folder(SAMPLE)


def as_kind(data, kind: str, short: str = ""):
    raw = tomllib.loads(sample_text())
    raw["organisation"].update(kind=kind, party_committee_short=short)
    return dataclasses.replace(data, campaign=dataclasses.replace(data.campaign, settings=settings_of(raw)))


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_s_plan_and_speech_speak_its_words_and_no_other_s(sample_data, kind):
    from pipeline.papers.implementation import plan_context, speech_context

    data = as_kind(sample_data, kind)
    plan, speech = plan_context(data, 5), speech_context(data, 5)
    # What the kind decides: the phrases, the step notes (the 研究决定 step) and the scoring text (ties).
    text = json.dumps([plan["ph"], plan["steps"], plan["scoring"], speech["ph"]], ensure_ascii=False, default=str)
    for word in OWN_WORDS[kind]:
        assert word in text
    others = [w for k, words in OWN_WORDS.items() if k != kind for w in words if w not in OWN_WORDS[kind]]
    assert [w for w in others if w in text] == []
    assert f"并列提交{OWN_WORDS[kind][0]}研究确定" in "".join(plan["scoring"])


def test_the_campaign_s_short_name_overrides_the_kind_s(sample_data):
    from pipeline.papers.implementation import plan_context

    data = as_kind(sample_data, "township", short="镇党委会")
    assert data.campaign.settings.organisation.committee == "镇党委会"
    assert plan_context(data, 5)["ph"]["committee"] == "镇党委会"
    assert as_kind(sample_data, "bureau").campaign.settings.organisation.committee == "局党组"


# --- the committee everywhere: a 局党组 campaign never says 党委 ---

def test_a_bureau_s_ties_proposal_and_status_name_its_party_group():
    from tests.test_allocation import person, post, ranked
    from pipeline.appointment.allocation import allocate
    from pipeline.scoring.scheme_text import row_note

    # 01 (1 place, 1:1): 周 90, 吴 90 tie across the cut; 02: 周 88, 郑 80; 周 wants 01 first (test_allocation).
    posts = [post("01"), post("02")]
    people = [person("1", "周", ("01", "02")), person("2", "吴", ("01",)), person("3", "郑", ("02",))]
    scheme, results = ranked(posts, people, {("1", "01"): 90, ("2", "01"): 90, ("1", "02"): 88, ("3", "02"): 80})
    out, alloc = allocate(posts, results, people, "none", scheme, committee="局党组")
    record = "".join(alloc.explanations)
    assert "由局党组研究确定；局党组未确定其为考察对象的" in record and "党委" not in record
    tied = next(r for r in out if r.tie_at_cutoff)
    assert row_note(tied, scheme.ballot, "局党组") == "末位并列，由局党组研究确定"


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    """examples/bureau (局党组) with a tie at the inspection cut and no 任职决定.xlsx."""
    from pipeline.run import prepare

    folder = tmp_path_factory.mktemp("bureau") / "campaign"
    shutil.copytree(ROOT / "examples" / "bureau", folder)
    return prepare(folder)


def test_a_bureau_campaign_has_no_party_committee_in_its_lines(bureau):
    from pipeline.engine.jobs import Plan
    from pipeline.papers.notices import plan_notices
    from pipeline.papers.scoring import results_context, shortlist_context
    from pipeline.scoring.results_workbook import results_csv_rows
    from pipeline.status import counts

    data, outcome = bureau.data, bureau.outcome
    assert data.campaign.settings.organisation.committee == "局党组" and not outcome.decided
    plan = Plan()
    plan_notices(data, outcome, plan)
    lines = [*counts(data, outcome), *(s.next_step for s in plan.skipped)]
    assert any("局党组研究决定后" in line for line in lines)
    contexts = [results_context(data.campaign, data.scheme, data.posts, outcome.results, None),
                shortlist_context(data.campaign, data.scheme, data.applicants, data.posts, outcome.results, None),
                *(job.context for job in plan.docs)]
    text = json.dumps([lines, results_csv_rows(data.scheme, outcome.results, "局党组"), contexts],
                      ensure_ascii=False, default=str)
    assert "党委" not in text and "局党组" in text


@pytest.mark.parametrize("template", ["任前公示.docx", "任职通知.docx", "聘任书.docx", "成绩汇总表.docx", "考察对象名单.docx"])
def test_the_templates_name_the_committee_by_its_variable(template):
    body = "\n".join(p.text for p in Document(TEMPLATES / template).paragraphs)
    assert "{{ committee }}" in body and "党委" not in body.replace("{{ org.party_committee }}", "")


# --- make synth KIND=… ---

@pytest.mark.parametrize("kind, present, absent", [
    ("township", ("镇党委书记", "镇纪委", "镇党委成员", "镇党委研究决定"), ("教师代表", "院党委", "院纪委")),
    ("subdistrict", ("街道党工委书记", "街道纪工委", "社区干部代表"), ("教师代表", "院党委", "镇党委")),
    ("bureau", ("局党组书记", "派驻纪检组", "局党组成员"), ("教师代表", "院党委", "党委成员")),
    ("commission", ("委党组书记", "派驻纪检监察组", "委党组成员"), ("教师代表", "院党委", "党委成员")),
    ("college", ("院党委书记", "院纪委", "教师代表"), ("镇党委", "局党组")),
])
def test_synth_invents_a_coherent_campaign_of_each_kind(tmp_path, kind, present, absent):
    from devtools.synth import generate_campaign

    generate_campaign(tmp_path, posts=6, principal=2, applicants=24, judges=52, kind=kind)
    text = (tmp_path / "campaign.toml").read_text(encoding="utf-8")
    assert f'kind = "{kind}"' in text
    assert [w for w in present if w not in text] == [] and [w for w in absent if w in text] == []
    data = load_campaign_folder(tmp_path)  # a campaign every command accepts
    assert {j.group for j in data.judges} == set(load_org_kinds()[kind].judge_groups)


def test_the_decisions_messages_name_the_bureau_s_party_group(bureau, tmp_path):
    import openpyxl

    from pipeline.appointment.decisions import DECISION_FILE, DECISION_SHEET, HEADERS, read_decisions

    data, results = bureau.data, bureau.outcome.results
    path = tmp_path / DECISION_FILE
    wb = openpyxl.Workbook()
    wb.active.title = DECISION_SHEET
    wb.active.append(list(HEADERS))
    wb.save(path)
    with pytest.raises(InputErrors) as empty:
        read_decisions(path, data, results)
    assert "局党组尚未决定时" in str(empty.value) and "党委" not in str(empty.value)
    outsider = next(r for r in results if not r.inspection and not r.tie_at_cutoff and not r.reassigned)
    wb.active.append([outsider.candidate.number, outsider.candidate.name, outsider.candidate.post_code, "否"])
    wb.save(path)
    with pytest.raises(InputErrors) as wrong:
        read_decisions(path, data, results)
    assert "局党组只能在考察对象中研究决定" in str(wrong.value) and "党委" not in str(wrong.value)


def test_a_broken_table_is_reported_with_the_campaign_s_problems_and_nothing_else(tmp_path, sample_campaign):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / KINDS_FILE).write_text(table_text().replace('committee = "院党委"\n', ""), encoding="utf-8")
    with pytest.raises(InputErrors) as err:
        load_campaign_folder(sample_campaign, templates)
    assert [(p.file, p.column, p.code) for p in err.value.problems] == [(KINDS_FILE, "college.committee", "missing-key")]
