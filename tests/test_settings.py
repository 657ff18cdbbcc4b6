"""campaign.toml read once (pipeline.campaign.settings): the broken corpus, the sample, the line locator."""
from __future__ import annotations

import codecs
import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.campaign.settings import STEP_KEYS, Step, load_settings, locate
from pipeline.campaign.toml_lines import KeyLines
from pipeline.errors import Problem, ProblemCollector

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "campaign.toml"
CORPUS = Path(__file__).resolve().parent / "broken_campaigns"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text("utf-8"))
SAMPLE_LINES = SAMPLE.read_text("utf-8").split("\n")


def load(path: Path):
    problems = ProblemCollector()
    return load_settings(path, problems), problems.problems


def load_text(tmp_path: Path, text: str):
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    return load(path)


# The lines of the sample these tests change, and how each begins (a changed sample fails here, not later).
SAMPLE_AT = {8: "name =", 12: "kind =", 18: "year =", 24: "[[timeline]]", 26: "name =", 39: "end =",
             65: "start =", 113: "draw_seed =", 127: "weight =", 162: "[notice]", 163: "working_days =",
             165: "phone =", 167: "publish_scores =", 175: "plan_number =", 177: "plan_date =",
             179: "probation_months =", 186: "deputy_leaders =", 187: "members =", 190: "[speaker]",
             191: "name =", 192: "title ="}


def test_the_sample_lines_these_tests_change_are_where_they_were():
    assert {n: SAMPLE_LINES[n - 1][:len(start)] for n, start in SAMPLE_AT.items()} == SAMPLE_AT
    assert SAMPLE_LINES[65] == SAMPLE_LINES[188] == SAMPLE_LINES[192] == ""  # the blank lines 66, 189, 193


def sample_with(**lines: str) -> str:
    """The sample's text with some lines replaced: sample_with(L163="working_days = true"); "" blanks a line."""
    text = list(SAMPLE_LINES)
    for name, new in lines.items():
        assert int(name[1:]) in SAMPLE_AT
        text[int(name[1:]) - 1] = new
    return "\n".join(text)


def delegated_problems(path: Path, settings) -> list[Problem]:
    """What the sections' own readers find (they need the 职位表; the sample's rules name no post)."""
    from pipeline.review.rules import parse_rules
    from pipeline.scoring.scheme import parse_scheme

    raw = tomllib.loads(path.read_text("utf-8-sig"))
    _, scoring = parse_scheme(raw, ())
    _, eligibility = parse_rules(raw.get("eligibility"), (), settings.campaign.reference_date)
    return settings.locate(scoring + eligibility)


def dates_problems(path: Path, settings) -> list[Problem]:
    """What the 公示 dates and the papers' keys find (campaign.toml and the calendar alone)."""
    from pipeline.campaign.model import Campaign, CampaignData
    from pipeline.campaign.notice_dates import campaign_dates
    from pipeline.errors import InputErrors

    campaign = Campaign("", "", "", "college", "", "", settings.campaign.reference_date, settings=settings)
    try:
        campaign_dates(CampaignData(campaign, (), (), ()))
    except InputErrors as exc:
        return exc.problems
    return []


# --- the corpus ---

@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gives_its_located_problem(name):
    expected = EXPECTED[name]
    settings, problems = load(CORPUS / name)
    if expected.get("checked_by") == "dates":
        assert problems == [] and settings is not None
        problems = dates_problems(CORPUS / name, settings)
    elif "checked_by" in expected:
        assert problems == [] and settings is not None
        problems = delegated_problems(CORPUS / name, settings)
    else:
        assert settings is None
    assert len(problems) == 1, [str(p) for p in problems]
    p = problems[0]
    assert (p.file, p.column, p.row, p.code) == ("campaign.toml", expected.get("column"), expected.get("line"),
                                                 expected["code"])
    assert expected["says"] in p.message


def test_the_corpus_holds_every_file_of_the_manifest_and_no_other():
    broken = {p.name for p in CORPUS.glob("*.toml")} - {"expected.toml"}
    assert {n for n in broken if not n.startswith("ok-")} == set(EXPECTED)
    assert len(EXPECTED) >= 30


def test_a_notepad_bom_is_accepted():
    assert (CORPUS / "ok-bom.toml").read_bytes().startswith(codecs.BOM_UTF8)
    settings, problems = load(CORPUS / "ok-bom.toml")
    assert problems == []
    assert settings.organisation.name == "江州职业技术学院"


def test_a_weight_written_as_a_float_becomes_the_exact_decimal():
    settings, problems = load(CORPUS / "ok-weight-float.toml")
    assert problems == []
    weight = settings.scoring["groups"][2]["weight"]
    # Decimal(4.5) would be exact too; 1.1 shows why str() matters, so check the type and the text.
    assert type(weight) is Decimal and str(weight) == "4.5"
    assert delegated_problems(CORPUS / "ok-weight-float.toml", settings) == []


def test_a_float_that_binary_cannot_hold_keeps_the_digits_the_clerk_typed(tmp_path):
    settings, problems = load_text(tmp_path, sample_with(L127="weight = 1.1"))
    assert problems == []
    assert str(settings.scoring["groups"][2]["weight"]) == "1.1"  # Decimal(1.1) is 1.100000000000000088…


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    text = sample_with(L39='end = "2026-06-16"', L163="working_days = true", L177='plan_date = "2026年6月5日"',
                       L179='probation_months = "一年"', L190="[speakr]")
    settings, problems = load_text(tmp_path, text)
    assert settings is None
    assert sorted((p.row, p.column) for p in problems) == [
        (39, "timeline[3].end"), (163, "notice.working_days"), (177, "documents.plan_date"),
        (179, "documents.probation_months"), (190, "speakr")]


# --- the sample ---

def test_the_sample_loads_with_the_values_it_writes():
    settings, problems = load(SAMPLE)
    assert problems == []
    org = settings.organisation
    assert (org.name, org.short_name, org.party_committee, org.party_committee_short, org.kind,
            org.personnel_office) == ("江州职业技术学院", "江职院", "中共江州职业技术学院委员会", "院党委",
                                      "college", "组织人事处")
    assert (settings.campaign.title, settings.campaign.reference_date, settings.campaign.year) == (
        "2026年中层干部竞争上岗", dt.date(2026, 6, 12), 2026)
    d = dt.date
    assert settings.timeline == (
        Step("mobilisation", "动员部署", d(2026, 6, 8)),
        Step("registration", "个人报名", d(2026, 6, 8), d(2026, 6, 12)),
        Step("review", "资格审查", d(2026, 6, 15), d(2026, 6, 16)),
        Step("speech", "演讲答辩及民主测评", d(2026, 6, 26)),
        Step("inspection", "组织考察", d(2026, 6, 29), d(2026, 7, 3)),
        Step("decision", "党委研究决定", d(2026, 7, 7)),
        Step("pre_appointment_notice", "任前公示", d(2026, 7, 8)),
        Step("appointment", "办理任职手续", d(2026, 7, 16)))
    n = settings.notice
    assert (n.working_days, n.pre_appointment_days, n.phone, n.address, n.publish_scores, n.review_notice_start,
            n.inspection_notice_start) == (5, 5, "0512-58880000", "江州职业技术学院行政楼305室组织人事处", True,
                                           None, None)
    docs = settings.documents
    assert (docs.plan_number, docs.appointment_number, docs.plan_date, docs.appointment_date,
            docs.probation_months) == ("江职院委〔2026〕8号", "江职院委〔2026〕12号", d(2026, 6, 5), d(2026, 7, 16), 12)
    group = settings.leadership_group
    assert (group.leader, group.deputy_leaders, group.members, group.office) == (
        "陈立新（院党委书记）", ("王海峰（院长）",), ("刘敏（院党委副书记）", "赵建国（纪委书记）", "孙丽（组织人事处处长）"),
        "组织人事处")
    assert (settings.speaker.name, settings.speaker.title) == ("陈立新", "院党委书记")
    assert (settings.supervision.phone, settings.supervision.unit) == ("0512-58880012", "院纪委")
    assert settings.registration.max_choices == 3  # not in the sample: the blank form's default
    assert settings.draw_seed == "江职院2026竞争上岗抽签"
    assert settings.inspection == {"ratio": "1:1"}
    assert settings.eligibility["rank_tenure"][1] == {"rank": "正科级", "years": 3}
    assert [g["name"] for g in settings.scoring["groups"]] == ["专家评委", "党委成员", "中层干部", "教师代表"]


def test_the_delegated_sections_are_read_only():
    settings, _ = load(SAMPLE)
    with pytest.raises(TypeError):
        settings.scoring["full_marks"] = 10
    with pytest.raises(TypeError):
        settings.eligibility["rank_tenure"][0]["rank"] = "正处级"
    assert isinstance(settings.scoring["tie_break"], tuple)


def test_the_step_keys_are_those_the_plan_describes():
    from pipeline.papers.implementation import STEP_NOTES

    # the speech step is described from the judges' round it holds (scheme_text.round_step_note), the others here
    assert tuple(STEP_NOTES) == tuple(k for k in STEP_KEYS if k != "speech")


# --- defaults, and what a paper may require ---

def test_left_out_keys_take_todays_defaults(tmp_path):
    text = sample_with(L18="", L113="", L163="", L167="", L179="", L186="", L187="")
    settings, problems = load_text(tmp_path, text)
    assert problems == []
    assert settings.campaign.year == 2026  # the reference date's year
    assert settings.draw_seed == "2026年中层干部竞争上岗"  # the campaign's title
    assert (settings.notice.working_days, settings.notice.publish_scores) == (5, False)
    assert settings.documents.probation_months == 12
    assert (settings.leadership_group.deputy_leaders, settings.leadership_group.members) == ((), ())


def test_a_blank_optional_text_counts_as_left_out(tmp_path):
    settings, problems = load_text(tmp_path, sample_with(L165='phone = ""', L175='plan_number = ""'))
    assert problems == []
    assert (settings.notice.phone, settings.documents.plan_number) == (None, "")
    missing = settings.missing("notice.phone", "notice.address", "documents.plan_number")
    assert [(p.column, p.row, p.code) for p in missing] == [
        ("notice.phone", 165, "missing-key"), ("documents.plan_number", 175, "missing-key")]  # the blank lines
    assert missing[0].message == '缺少受理电话：请在 [notice] 中写上 phone = "0512-58880000"'


def test_a_paper_names_what_it_needs_and_the_file_leaves_out(tmp_path):
    lines = list(SAMPLE_LINES)
    lines[162] = "# working_days left out"
    settings, problems = load_text(tmp_path, "\n".join(lines[:189] + lines[193:]))  # [speaker] (190-193) too
    assert problems == []
    missing = settings.missing("speaker.name", "speaker.title", "notice.working_days", "supervision.unit")
    assert [(p.column, p.row) for p in missing] == [("speaker.name", None), ("speaker.title", None),
                                                    ("notice.working_days", 162)]
    assert "working_days = 5" in missing[2].message


def test_the_offices_own_steps_are_allowed_and_a_near_miss_is_not_a_typo_when_the_key_is_there(tmp_path):
    extra = '\n[[timeline]]\nkey = "reviews"\nname = "复核"\nstart = 2026-07-20\n'
    text = sample_with(L65="start = 2026-07-16" + extra)
    settings, problems = load_text(tmp_path, text)
    assert problems == []
    assert settings.timeline[-1] == Step("reviews", "复核", dt.date(2026, 7, 20))


# --- what each kind of key refuses ---

@pytest.mark.parametrize("line, expected", [
    ('L12=kind = "city"', "应为 township（乡镇）、subdistrict（街道）、bureau（县局）、commission（委办）、college（院校）之一，"
                          "加英文双引号；"),
    ('L12=kind = ["college"]', "之一，加英文双引号；现在写的是 [\"college\"]"),
    ('L163=working_days = "-5"', "数字不加引号，如 working_days = 5"),
    ("L177=plan_date = 20260605", "应写成 2026-06-05 这样的日期"),
    ('L177=plan_date = "下周五"', "应写成 2026-06-05 这样的日期"),
    ("L177=plan_date = 2026.5", "应写成 2026-06-05 这样的日期"),
    ("L163=working_days = 5.0", "应为 1 到 20 之间的整数，如 working_days = 5；现在写的是 5.0"),
    ("L8=name = 2026", '应写成加英文双引号的文字，如 name = "江州职业技术学院"'),
    ('L8=name = " "', '单位全称不能为空'),
    ('L113=draw_seed = ""', "抽签种子不能为空"),
    ("L113=draw_seed = true", "抽签种子应写成加英文双引号的文字"),
    ('L187=members = ["刘敏", 3]', "领导小组成员应写成 members = "),
    ('L192=title = { text = "院党委书记" }', "讲话人职务应写成加英文双引号的文字，如 title = \"院党委书记\"；现在写的是 一个小节"),
    ("L191=name = 1979-05-01T08:00:00+08:00", "讲话人姓名应写成加英文双引号的文字，如 name = \"陈立新\"；"
                                              "现在写的是 1979-05-01 08:00:00+08:00"),
])
def test_a_value_of_the_wrong_kind_says_what_to_write(tmp_path, line, expected):
    number, new = line.split("=", 1)
    settings, problems = load_text(tmp_path, sample_with(**{number: new}))
    assert settings is None and len(problems) == 1
    assert expected in problems[0].message
    assert problems[0].row == int(number[1:])


def test_a_draw_seed_may_be_a_number(tmp_path):
    settings, problems = load_text(tmp_path, sample_with(L113="draw_seed = 20260626"))
    assert problems == [] and settings.draw_seed == "20260626"


@pytest.mark.parametrize("line, column, row, says", [
    ("L162=[foo]", "foo", 162, "不认识的小节“[foo]”，可用的小节有：organisation、campaign"),
    ("L24=[[timelines]]", "timelines", 24, "不认识的小节“[[timelines]]”，是不是“[[timeline]]”？"),
    ("L191=birthplace = \"江州\"", "speaker.birthplace", 191,
     "不认识的设置项“birthplace”，[speaker] 中可用的有：name、title；请改正或删去这一行"),
    ("L26=label = \"动员\"", "timeline[1].label", 26, "第 1 个 [[timeline]] 中可用的有：key、name、start、end"),
])
def test_unknown_names_are_refused_with_a_suggestion_or_the_list(tmp_path, line, column, row, says):
    number, new = line.split("=", 1)
    settings, problems = load_text(tmp_path, sample_with(**{number: new}))
    assert settings is None
    assert [(p.column, p.row) for p in problems][:1] == [(column, row)]
    assert says in problems[0].message


def test_a_list_before_the_first_section_is_a_stray_key_not_a_section(tmp_path):
    settings, problems = load_text(tmp_path, "members = [\"刘敏\"]\n" + SAMPLE.read_text("utf-8"))
    assert settings is None
    assert [(p.column, p.row, p.code) for p in problems] == [("members", 1, "unknown-key")]
    assert "不属于任何小节" in problems[0].message


def test_a_section_written_as_a_value_is_refused(tmp_path):
    text = "\n".join(["speaker = \"陈立新\""] + SAMPLE_LINES[:189] + SAMPLE_LINES[193:])
    settings, problems = load_text(tmp_path, text)
    assert settings is None
    assert [(p.column, p.row, p.code) for p in problems] == [("speaker", 1, "bad-section")]


def test_one_timeline_table_instead_of_an_array_is_refused(tmp_path):
    text = "\n".join(SAMPLE_LINES[:23] + ["[timeline]", 'key = "review"'] + SAMPLE_LINES[65:])
    settings, problems = load_text(tmp_path, text)
    assert settings is None
    assert [(p.column, p.row, p.code) for p in problems] == [("timeline", 24, "bad-section")]
    assert "[[timeline]] 小节（两对方括号）" in problems[0].message


# --- reading the bytes ---

def test_a_missing_file_is_named(tmp_path):
    settings, problems = load(tmp_path / "campaign.toml")
    assert settings is None and [p.code for p in problems] == ["missing-file"]


def test_a_file_neither_utf8_nor_gbk_gets_the_general_encoding_message(tmp_path):
    path = tmp_path / "campaign.toml"
    path.write_bytes(SAMPLE.read_text("utf-8").encode("utf-16"))  # Notepad's "Unicode"
    settings, problems = load(path)
    assert settings is None and [p.code for p in problems] == ["bad-encoding"]
    assert problems[0].message.startswith("文件不是 UTF-8 编码") and "GBK" not in problems[0].message


def test_a_file_of_comments_only_is_empty(tmp_path):
    settings, problems = load_text(tmp_path, "# 只有说明\n\n")
    assert settings is None and [p.code for p in problems] == ["empty-file"]


@pytest.mark.parametrize("line, says", [
    ("L8=name ＝ \"江州职业技术学院\"", "用了全角等号“＝”，请改成 ="),
    ("L24=【【timeline】】", "用了全角方括号，请改成 [ ]"),
    ("L187=members = [‘刘敏’]", "用了中文引号，请改成英文双引号"),
])
def test_a_syntax_error_names_the_slip_an_input_method_makes(tmp_path, line, says):
    number, new = line.split("=", 1)
    settings, problems = load_text(tmp_path, sample_with(**{number: new}))
    assert settings is None
    assert [(p.code, p.row) for p in problems] == [("toml-syntax", int(number[1:]))]
    assert says in problems[0].message


def test_a_file_cut_short_says_so(tmp_path):
    settings, problems = load_text(tmp_path, SAMPLE.read_text("utf-8") + 'extra = "未写完')
    assert settings is None
    assert [(p.code, p.row) for p in problems] == [("toml-syntax", None)]
    assert "没有写完整" in problems[0].message


# --- the locator ---

TRICKY = "\n".join([
    "# [not.a.table] key = 1",          # 1
    'title = "x"  # a = 1',             # 2
    '"quoted key" = 1',                 # 3
    "'dotted.literal' = 2",             # 4
    "a . b = 3",                        # 5
    'text = """',                       # 6: a multi-line string: no keys or headers inside
    "[fake]",                           # 7
    'fake = \\"""',                     # 8: an escaped quote, then two quotes: not the end
    'still = 1"""',                     # 9
    'after = """x""""',                 # 10: ends in a quote, then the closing three
    "list = [",                         # 11: an array over several lines
    "  { k = 1 },",                     # 12
    '  "]", "#[",',                     # 13
    "]",                                # 14
    "lit = '''",                         # 15
    "[x]",                              # 16
    "'''",                               # 17
    '[ "table name" . sub ]  # [y]',    # 18
    "x = 1",                            # 19
    "[[arr]]",                          # 20
    "[[arr.inner]]",                    # 21
    "[[arr.inner]]",                    # 22
    "y = [1, 2]",                       # 23
    "[[arr]]",                          # 24
    "[[arr.inner]]",                    # 25: counted again from 1 under the second arr
    "z.w = 1",                          # 26
])


def test_the_tricky_text_is_valid_toml():
    raw = tomllib.loads(TRICKY)
    assert (raw["text"], raw["after"], raw["list"][1]) == ('[fake]\nfake = """\nstill = 1', 'x"', "]")
    assert raw["arr"][1]["inner"][0]["z"] == {"w": 1}


@pytest.mark.parametrize("path, line", [
    ("title", 2), ("quoted key", 3), ("dotted.literal", 4), ("a.b", 5), ("a", 5), ("text", 6),
    ("fake", None), ("still", None), ("after", 10), ("list", 11), ("list[2]", 11), ("k", None), ("lit", 15),
    ("x", None), ("table name.sub", 18), ("table name.sub.x", 19), ("table name", 18), ("arr", 20),
    ("arr[1]", 20), ("arr[1].inner[1]", 21), ("arr[1].inner[2]", 22), ("arr[1].inner[2].y", 23),
    ("arr[1].inner[2].y[2]", 23), ("arr[2]", 24), ("arr[2].inner[1]", 25), ("arr[2].inner[1].z.w", 26),
    ("arr[2].inner[1].z", 26), ("arr[2].inner[1].missing", 25), ("arr[3]", 20), ("nothing", None),
])
def test_the_locator_finds_each_key_and_falls_back_to_its_table(path, line):
    assert KeyLines(TRICKY).line(path) == line


def test_the_locator_counts_lines_of_a_windows_file_alike():
    assert KeyLines(TRICKY.replace("\n", "\r\n")).line("arr[2].inner[1].z.w") == 26


def test_locate_fills_only_unlocated_campaign_toml_problems():
    text = SAMPLE.read_text("utf-8")
    given = [Problem("campaign.toml", "m", column="scoring.groups[4].weight"),
             Problem("campaign.toml", "m", column="eligibility.post_rules[1].posts[2]"),
             Problem("campaign.toml", "m", column="timeline[8]", row=3),
             Problem("职位表.xlsx", "m", sheet="职位表", column="考察比例"),
             Problem("campaign.toml", "m")]
    assert [p.row for p in locate(given, text)] == [132, 70, 3, None, None]


# --- found by trying the model as a careless clerk would ---

@pytest.mark.parametrize("typed, says", [
    ("江州\u200b职业技术学院", "U+200B"),  # a zero-width space pasted from a web page prints as nothing
    ("\u200b", "U+200B"),  # only a zero-width space: not a name at all
    ("江州\n职业技术学院", "U+000A"),  # a line break inside a name ("""…""" string)
])
def test_a_text_with_hidden_characters_is_refused(tmp_path, typed, says):
    escaped = typed.encode("unicode_escape").decode("ascii")
    text = (ROOT / "inputs" / "campaign.toml").read_text("utf-8").replace(
        'name = "江州职业技术学院"', f'name = "{escaped}"', 1)
    settings, problems = load_text(tmp_path, text)
    assert settings is None
    [p] = problems
    assert (p.column, p.row) == ("organisation.name", 8) and says in p.message


def test_a_text_longer_than_any_name_is_refused(tmp_path):
    text = (ROOT / "inputs" / "campaign.toml").read_text("utf-8").replace(
        'title = "2026年中层干部竞争上岗"', 'title = "' + "竞" * 201 + '"', 1)
    settings, problems = load_text(tmp_path, text)
    [p] = problems
    assert p.column == "campaign.title" and "有 201 个字，太长了（最多 200 个字）" in p.message


def test_a_gbk_holiday_file_is_named_as_such_not_a_traceback(tmp_path):
    from pipeline.campaign.workdays import load_holiday_file
    from pipeline.errors import InputErrors

    path = tmp_path / "节假日安排.toml"
    path.write_bytes("[2027]\n# 春节\n".encode("gbk"))
    with pytest.raises(InputErrors) as exc:
        load_holiday_file(path)
    [p] = exc.value.problems
    assert (p.file, p.code) == ("节假日安排.toml", "bad-encoding") and "GBK" in p.message


@pytest.mark.parametrize("typed, written", [("7.0", "7.0"), ("inf", "inf"), ('"七"', '"七"')])
def test_a_scoring_value_is_shown_as_written_never_as_python(tmp_path, typed, written):
    """[scoring] is checked by its own reader on the read-only tables Settings keeps (floats as Decimal)."""
    from pipeline.scoring.scheme import parse_scheme

    text = (ROOT / "inputs" / "campaign.toml").read_text("utf-8").replace("min_judges = 7", f"min_judges = {typed}", 1)
    settings, problems = load_text(tmp_path, text)
    assert problems == []
    _, found = parse_scheme({"scoring": settings.scoring, "inspection": settings.inspection})
    [p] = settings.locate(found)
    assert p.message.endswith(f"现为 {written}") and "Decimal" not in p.message and "'" not in p.message
    assert p.row is not None
