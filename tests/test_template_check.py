"""The template checker: each clerk's mistake is caught with the message a clerk sees, or repaired."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docxtpl import DocxTemplate

from pipeline.papers.examples import example_contexts
from pipeline.papers.examples import example_contexts
from pipeline.errors import InputErrors
from pipeline.engine.jinja_env import make_environment
from pipeline.papers.template_check import (
    check_template, check_templates, check_templates_command, repair_template, repair_templates,
)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
EXAMPLE_CONTEXTS = example_contexts()  # every template's example, the 评分表's title from its round
SCORE = "评分表.docx"


def edit(src: Path, dst: Path, old: str, new: str) -> Path:
    """Retype the run holding `old` in a copy of a template, as a clerk would in Word."""
    d = docx.Document(src)
    cells = [p for t in d.tables for c in t._cells for p in c.paragraphs]
    hits = 0
    for p in d.paragraphs + cells:
        for r in p.runs:
            if old in r.text:
                r.text = r.text.replace(old, new)
                hits += 1
    assert hits, f"{old} not found in {src.name}"
    d.save(dst)
    return dst


def document_text(blob: bytes) -> list[str]:
    """All paragraph texts of a rendered DOCX in document order, tables included."""
    root = docx.Document(io.BytesIO(blob)).element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p")]


def render(path: Path, context: dict) -> list[str]:
    tpl = DocxTemplate(str(path))
    tpl.render(context, make_environment())
    out = io.BytesIO()
    tpl.save(out)
    return document_text(out.getvalue())


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


@pytest.fixture(scope="module")
def resaved(tmp_path_factory) -> Path:
    """Every template, plus one with Chinese inside a tag, opened and re-saved by LibreOffice (one soffice run)."""
    src = tmp_path_factory.mktemp("src")
    for path in TEMPLATES.glob("*.docx"):
        shutil.copy(path, src / path.name)
    # docs/reference.md, LibreOffice: it cuts runs where the script changes, so Chinese inside a tag gets split.
    edit(TEMPLATES / SCORE, src / "拆分.docx", "{{ c.post_title }}", "{{ c.post_title|default('待定') }}")
    out = tmp_path_factory.mktemp("resaved")
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "docx",
         "--outdir", str(out), *sorted(map(str, src.glob("*.docx")))],
        check=True, capture_output=True, timeout=120,
    )
    return out


def test_committed_templates_are_clean():
    assert check_templates(TEMPLATES) == []
    count = len(list(TEMPLATES.glob("*.docx")))
    assert count >= 3
    assert check_templates_command(TEMPLATES) == f"模板检查通过：{count} 个模板，没有发现问题。"


def test_unknown_variable_is_named_with_its_neighbours(tmp_path):
    bad = edit(TEMPLATES / SCORE, tmp_path / SCORE, "{{ judge.name }}", "{{ judge.nmae }}")
    assert messages(check_templates(tmp_path)) == [
        "评分表.docx：正文第2段「评委：{{ judge.nmae }}　　　评委组：{{ judge.gr…」：模板用了变量 judge.nmae，"
        "但数据里没有这一项（这里可用的有 judge.name、judge.group、judge.number）。请检查拼写，或对照《模板说明》改正。"
    ]
    assert repair_template(bad) == []  # a misspelt name is not a safe fix


def test_unknown_variable_inside_a_row_loop(tmp_path):
    edit(TEMPLATES / SCORE, tmp_path / SCORE, "{{ c.name }}", "{{ c.full_name }}")
    assert messages(check_templates(tmp_path)) == [
        "评分表.docx：正文第11段（表1第3行第2列）「{{ c.full_name }}」：模板用了变量 c.full_name，但数据里没有这一项"
        "（这里可用的有 c.draw、c.name、c.post_title、c.post_code）。"
        "请检查拼写，或对照《模板说明》改正。"
    ]


def test_full_width_braces_are_caught_then_repaired(tmp_path):
    bad = edit(TEMPLATES / SCORE, tmp_path / SCORE, "{{ judge.group }}", "｛｛ judge.group ｝｝")
    assert messages(check_templates(tmp_path)) == [
        "评分表.docx：正文第2段「…dge.name }}　　　评委组：｛｛ judge.group ｝｝　　　{{ date_label }…」：标签 "
        "｛｛ judge.group ｝｝ 里有中文输入法打出的全角符号 ｛ ｝，请切换到英文输入法重新输入这个标签，"
        "或运行 repair-templates 自动改正。"
    ]
    assert repair_template(bad) == ["正文第2段：把 ｛｛ judge.group ｝｝ 改为 {{ judge.group }}"]
    assert check_templates(tmp_path) == []
    assert render(bad, EXAMPLE_CONTEXTS[SCORE]) == render(TEMPLATES / SCORE, EXAMPLE_CONTEXTS[SCORE])


def test_input_method_punctuation_inside_tags(tmp_path):
    edit(TEMPLATES / SCORE, tmp_path / SCORE, "{{ c.draw }}", "{{ c。draw|default(“无”) }}")
    assert messages(check_templates(tmp_path)) == [
        "评分表.docx：正文第10段（表1第3行第1列）「{{ c。draw|default(“无”) }}」：标签 {{ c。draw|default(“无”) }} "
        "里有中文输入法打出的全角符号 。 “ ”，请切换到英文输入法重新输入这个标签，或运行 repair-templates 自动改正。"
    ]
    assert repair_templates(tmp_path) == [
        '评分表.docx 正文第10段（表1第3行第1列）：把 {{ c。draw|default(“无”) }} 改为 {{ c.draw|default("无") }}'
    ]
    assert check_templates(tmp_path) == []


def test_chinese_text_in_a_string_literal_is_left_alone(tmp_path):
    edit(TEMPLATES / SCORE, tmp_path / SCORE, "{{ c.draw }}", "{{ c.draw|default('（空）。') }}")
    assert check_templates(tmp_path) == []


def test_unbalanced_row_loop(tmp_path):
    edit(TEMPLATES / SCORE, tmp_path / SCORE, "{%tr endfor %}", "{%tr endif %}")
    assert messages(check_templates(tmp_path)) == [
        "评分表.docx：正文第9段（表1第2行第1列）「{%tr for c in candidates %}」：`{% for %}` 没有闭合，缺少 `{% endfor %}`。",
        "评分表.docx：正文第15段（表1第4行第1列）「{%tr endif %}」：`{%tr endif %}` 找不到对应的开始标签。",
    ]


def test_tag_missing_a_brace(tmp_path):
    edit(TEMPLATES / SCORE, tmp_path / SCORE, "{{ judge.name }}", "{{ judge.name }")
    assert messages(check_templates(tmp_path)) == [
        "评分表.docx：正文第2段「评委：{{ judge.name }　　　评委组：{{ judge.group }}　…」：标签 `{{` 一直没有用 `}}` 闭合。"
    ]


def test_unknown_filter(tmp_path):
    edit(TEMPLATES / SCORE, tmp_path / SCORE, "speech_date|cn_date", "speech_date|cn_datum")
    [message] = messages(check_templates(tmp_path))
    assert message.startswith("评分表.docx：正文第2段「…　{{ date_label }}：{{ speech_date|cn_datum }}」：没有名为 cn_datum 的格式过滤器")


def test_filter_fed_the_wrong_type_fails_the_trial_render(tmp_path):
    edit(TEMPLATES / SCORE, tmp_path / SCORE, "{{ full_marks }}", "{{ full_marks|cn_date }}")
    assert messages(check_templates(tmp_path)) == [
        "评分表.docx：用示例数据试生成时出错：cn_date 需要日期，得到的是 100。"
        "出错的标签：{{ full_marks|cn_date }}（所在段落：「（满分{{ full_marks|cn_date }}分）」）。"
    ]


def test_public_template_may_not_show_private_fields(tmp_path):
    bad = edit(TEMPLATES / SCORE, tmp_path / "考察对象公示.docx", "{{ c.name }}", "{{ c.name }}{{ c.id_number }}")
    problems = check_template(bad, context=EXAMPLE_CONTEXTS[SCORE])
    assert messages(problems) == [
        "考察对象公示.docx：正文第11段（表1第3行第2列）「{{ c.name }}{{ c.id_number }}」：公示类模板不能使用 id_number"
        "（身份证号、电话、住址、审查理由等个人信息不得公开），请删除这个标签。"
    ]


def test_template_without_example_data(tmp_path):
    shutil.copy(TEMPLATES / SCORE, tmp_path / "新表.docx")
    with pytest.raises(InputErrors) as caught:
        check_templates_command(tmp_path)
    assert str(caught.value) == (
        "输入有 1 处问题，未生成任何文件：\n  新表.docx：没有这个模板的示例数据，无法核对其中的变量。模板文件名要与程序中登记的一致"
        "（见《模板说明》）；新增模板请联系维护人员在 pipeline/papers/examples.py 中登记示例数据。"
    )


def test_repair_leaves_a_clean_template_byte_for_byte(tmp_path):
    copy = shutil.copy(TEMPLATES / SCORE, tmp_path / SCORE)
    before = Path(copy).read_bytes()
    assert repair_template(Path(copy)) == []
    assert Path(copy).read_bytes() == before


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(example_contexts()))
def test_templates_resaved_by_libreoffice_render_the_same_text(resaved, name):
    assert check_template(resaved / name) == []
    context = example_contexts()[name]
    assert render(resaved / name, context) == render(TEMPLATES / name, context)


@pytest.mark.integration
def test_tag_split_by_a_resave_is_merged_back(resaved, tmp_path):
    split = Path(shutil.copy(resaved / "拆分.docx", tmp_path / "拆分.docx"))
    xml = zipfile.ZipFile(split).read("word/document.xml").decode()
    assert re.search(r"default\(&apos;</w:t>.*?<w:t>待定</w:t>", xml), "LibreOffice no longer splits this tag"
    context = EXAMPLE_CONTEXTS[SCORE]
    before = render(split, context)
    assert check_template(split, context) == []  # docxtpl joins split runs itself; nothing to report
    assert repair_template(split) == [
        "正文第12段（表1第3行第3列）：把被拆成几段的标签 {{ c.post_title|default('待定') }} 合并到同一段文字中"
    ]
    xml = zipfile.ZipFile(split).read("word/document.xml").decode()
    assert "<w:t>{{ c.post_title|default('待定') }}</w:t>" in xml
    assert render(split, context) == before
    assert "团委书记" in before and "教务处处长" in before


def _cells(blob_or_path) -> list[str]:
    d = docx.Document(blob_or_path)
    return [c.text for t in d.tables for row in t.rows for c in row.cells]


def _render_bytes(name: str, context: dict) -> io.BytesIO:
    tpl = DocxTemplate(str(TEMPLATES / name))
    tpl.render(context, make_environment())
    out = io.BytesIO()
    tpl.save(out)
    out.seek(0)
    return out


def test_scoresheet_lists_candidates_in_draw_order():
    # EXAMPLE candidates are given as draw 2 林晓燕, draw 1 马骏; the sheet prints draw 1 first.
    out = _render_bytes(SCORE, EXAMPLE_CONTEXTS[SCORE])
    d = docx.Document(out)
    assert d.paragraphs[0].text == "江州职业技术学院\n2026年中层干部竞争上岗\n演讲答辩评分表"
    assert d.paragraphs[1].text == "评委：周文涛　　　评委组：专家评委　　　演讲答辩日期：2026年6月26日"
    rows = [[c.text for c in row.cells] for row in d.tables[0].rows]
    assert rows == [
        ["抽签序号", "姓　名", "竞争职位", "得　分\n（满分100分）", "备　注"],
        ["1", "马骏", "团委书记", "", ""],
        ["2", "林晓燕", "教务处处长", "", ""],
    ]


def test_registration_form_filled_and_blank():
    from pipeline.papers.contexts import EXAMPLE_CAMPAIGN, blank_registration_context

    filled = _cells(_render_bytes("报名登记表.docx", EXAMPLE_CONTEXTS["报名登记表.docx"]))
    for text in ("林晓燕", "1978.05", "1999.06", "2001.07", "2019.03", "110105197805312322",
                 "第一志愿", "教务处处长", "第二志愿", "机电工程系主任", "是"):
        assert text in filled
    assert "第三志愿" not in filled  # she applied for two posts
    blank = _render_bytes("报名登记表.docx", blank_registration_context(EXAMPLE_CAMPAIGN))
    cells = _cells(blank)
    assert {"第一志愿", "第二志愿", "第三志愿", "□是　　□否"} <= set(cells)
    blank.seek(0)
    assert not any("{" in t or "}" in t for t in document_text(blank.getvalue()))


def test_public_person_drops_private_fields():
    from pipeline.papers.contexts import EXAMPLE_APPLICANT, EXAMPLE_POSTS, public_applicant

    record = public_applicant(EXAMPLE_APPLICANT, EXAMPLE_POSTS[0])
    assert record["name"] == "林晓燕" and record["post_title"] == "教务处处长"
    assert not {"id_number", "phone", "address", "rank_since", "party_join_date"} & set(record)
