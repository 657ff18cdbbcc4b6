"""The national code lists (pipeline/campaign/code_lists.py) as 报名信息.xlsx is read with them."""
from __future__ import annotations

import subprocess
import sys

import pytest

from broken.factory import applicants, make_campaign, write_workbook
from pipeline.campaign.code_lists import ETHNIC_GROUPS, POLITICAL_STATUS
from pipeline.campaign.columns import APPLICANTS, EDUCATION_ALIASES, EDUCATION_LEVELS
from pipeline.campaign.load import load_campaign_folder
from pipeline.errors import InputErrors
from tests.conftest import ROOT


def test_56_ethnic_groups_spelled_as_gb_t_3304():
    assert len(ETHNIC_GROUPS) == len(set(ETHNIC_GROUPS)) == 56
    assert (ETHNIC_GROUPS[0], ETHNIC_GROUPS[-1]) == ("汉族", "基诺族")  # codes 01 and 56
    for name in ("柯尔克孜族", "鄂温克族", "塔吉克族", "珞巴族", "乌孜别克族", "仡佬族", "畲族", "佤族"):
        assert name in ETHNIC_GROUPS
    assert all(name.endswith("族") for name in ETHNIC_GROUPS)


def test_political_status_lists_the_eight_parties_and_no_category():
    assert len(POLITICAL_STATUS.values) == 13 and "民主党派" not in POLITICAL_STATUS.values
    assert {"民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员", "致公党党员", "九三学社社员",
            "台盟盟员"} <= set(POLITICAL_STATUS.values)


def test_education_scale_keeps_its_meaning_for_min_education():
    # campaign.toml's min_education = "本科" is 大学本科; 大学专科 below it, 硕士研究生 above.
    level = EDUCATION_LEVELS.index
    assert EDUCATION_ALIASES["本科"] == "大学本科"
    assert level("大学专科") < level("大学本科") < level("硕士研究生") < level("博士研究生")
    assert level("中等专科") < level("大学专科")


def load_with(tmp_path, **cells):
    rows = applicants()
    for key, values in cells.items():
        for row, value in zip(rows, values):
            row[key] = value
    folder = make_campaign(tmp_path / "c")
    write_workbook(folder / APPLICANTS.file, APPLICANTS, rows)
    return folder


def test_short_forms_are_read_and_said(tmp_path):
    folder = load_with(tmp_path, 政治面貌=("党员", "民盟", "党员"), 民族=("汉", "蒙古", "汉族"),
                       学历=("本科", "大专", "大学本科"), 学位=("学士学位", None, "学士"))
    data = load_campaign_folder(folder)
    people = data.applicants
    assert [a.political_status for a in people] == ["中共党员", "民盟盟员", "中共党员"]
    assert [a.ethnicity for a in people] == ["汉族", "蒙古族", "汉族"]
    assert [a.education for a in people] == ["大学本科", "大学专科", "大学本科"]
    assert [a.degree for a in people] == ["学士", None, "学士"]
    assert all(type(a.political_status) is str for a in people)  # no record keeps the reader's marker
    assert [str(r) for r in data.readings] == [
        "报名信息.xlsx「民族」：“汉”按“汉族”读取（第2行）",
        "报名信息.xlsx「民族」：“蒙古”按“蒙古族”读取（第3行）",
        "报名信息.xlsx「政治面貌」：“党员”按“中共党员”读取（第2、4行）",
        "报名信息.xlsx「政治面貌」：“民盟”按“民盟盟员”读取（第3行）",
        "报名信息.xlsx「学历」：“本科”按“大学本科”读取（第2行）",
        "报名信息.xlsx「学历」：“大专”按“大学专科”读取（第3行）",
        "报名信息.xlsx「学位」：“学士学位”按“学士”读取（第2行）",
    ]


def refused(folder) -> dict[str, str]:
    with pytest.raises(InputErrors) as info:
        load_campaign_folder(folder)
    return {p.cell: f"{p.code}|{p.message}" for p in info.value.problems}


def test_democratic_parties_is_a_category_not_a_value(tmp_path):
    found = refused(load_with(tmp_path, 政治面貌=("中共党员", "民主党派", "中共党员")))
    assert found == {"G3": "category-not-value|「民主党派」是类别，不是GB/T 4762《政治面貌代码》中的值；请写明所在的"
                           "党派：民革党员、民盟盟员、民建会员、民进会员、农工党党员、致公党党员、九三学社社员、台盟盟员"}


def test_an_unknown_ethnicity_names_the_standard_and_the_closest(tmp_path):
    found = refused(load_with(tmp_path, 民族=("汉族", "维族", "汉族")))
    code, message = found["D3"].split("|")
    assert code == "bad-choice"
    assert message.startswith("「维族」不是GB/T 3304《中国各民族名称》中的值；最接近的是「维吾尔族」")
    assert "共56个" in message and "柯尔克孜族" not in message  # not all 56 names


def test_an_unknown_education_lists_the_standard_values(tmp_path):
    found = refused(load_with(tmp_path, 学历=("大学本科", "大学本科", "党校研究生")))
    assert found == {"I4": "bad-choice|「党校研究生」不是GB/T 4658《学历代码》中的值；请从以下选择："
                           "博士研究生、硕士研究生、大学本科、大学专科、中等专科、高中、初中及以下"}


def test_the_standards_names_of_a_completed_course_and_a_degree_by_discipline_are_read(tmp_path):
    # GB/T 4658 names a completed course 大学本科毕业 (21); GB/T 6864 codes degrees by discipline (工学学士).
    folder = load_with(tmp_path, 学历=("大学本科毕业", "博士研究生毕业", "中专毕业"),
                       学位=("工学学士", "管理学硕士学位", "公共管理硕士"), 民族=("汉族\u200b", "汉族", "汉族"))
    data = load_campaign_folder(folder)
    assert [(a.education, a.degree, a.ethnicity) for a in data.applicants] == [
        ("大学本科", "学士", "汉族"), ("博士研究生", "硕士", "汉族"), ("中等专科", "硕士", "汉族")]
    said = [str(r) for r in data.readings]
    assert "报名信息.xlsx「学位」：“管理学硕士学位”按“硕士”读取（第3行）" in said
    assert "报名信息.xlsx「学历」：“大学本科毕业”按“大学本科”读取（第2行）" in said


def test_a_degree_in_the_education_column_and_an_unfinished_course_are_refused(tmp_path):
    # 硕士 as a 学历 is often the 学位 of an 在职 degree over a 大学本科: reading it as 硕士研究生 would pass
    # a 硕士研究生 condition that the person does not meet. 结业 is not the 毕业 学历 a condition asks for.
    found = refused(load_with(tmp_path, 学历=("硕士", "大学本科", "大学本科结业"), 学位=("学士", "名誉博士", None)))
    assert found == {
        "I2": "not-this-column|「硕士」是学位，不是学历；「学历」请填写本人的毕业学历（如 硕士研究生 或 大学本科），"
              "硕士学位请填在「学位」列",
        "I4": "not-this-column|「大学本科结业」是结业，不是毕业学历；请填写本人已取得的毕业学历（如 大学专科），"
              "结业情况请在资格审查时说明",
        "J3": "not-this-column|「名誉博士」是荣誉称号，不是授予的学位；请填写本人取得的学位，没有的填“无”",
    }


def test_a_word_that_shares_only_zu_is_not_offered_as_the_closest(tmp_path):
    found = refused(load_with(tmp_path, 民族=("汉族", "漢族", "汉族")))
    assert "最接近" not in found["D3"]


@pytest.mark.e2e
def test_check_and_every_build_say_what_was_read(tmp_path):
    # A short form is read as the standard's value on every command, and every command says so.
    folder = load_with(tmp_path, 政治面貌=("党员", "中共党员", "中共党员"))
    said = "报名信息.xlsx「政治面貌」：“党员”按“中共党员”读取（第2行）"
    for command in (["check"], ["build", "plan"]):
        run = subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(folder), "--out",
                              str(tmp_path / "out"), *command], capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0, run.stderr
        assert said in run.stdout.splitlines(), (command, run.stdout)
