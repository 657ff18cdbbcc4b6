"""The rendering environment: sandbox, strictness, escaping and every 公文 filter."""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import docx
import jinja2
import pytest
from docxtpl import DocxTemplate
from jinja2.sandbox import SecurityError

from pipeline.engine.jinja_env import cn_date, cn_numeral, doc_number, fixed, make_environment, money, yearmonth


def render(source: str, **context) -> str:
    return make_environment().from_string(source).render(**context)


@pytest.mark.parametrize("day, text", [
    (dt.date(2026, 6, 18), "2026年6月18日"),
    (dt.date(2026, 1, 1), "2026年1月1日"),  # no leading zeros in month or day
    (dt.date(2026, 10, 10), "2026年10月10日"),  # a trailing zero is not a leading one
    (dt.date(2024, 2, 29), "2024年2月29日"),
    ("", ""),  # blank form
])
def test_cn_date(day, text):
    assert cn_date(day) == text


def test_cn_date_rejects_a_string_date():
    with pytest.raises(TypeError, match="cn_date 需要日期"):
        cn_date("2026-06-18")


@pytest.mark.parametrize("value, text", [
    ((1978, 5), "1978.05"),
    (dt.date(1978, 5, 31), "1978.05"),
    ((1990, 12), "1990.12"),
    ([2001, 1], "2001.01"),
    ("", ""),
])
def test_yearmonth(value, text):
    assert yearmonth(value) == text


def test_yearmonth_rejects_month_13():
    with pytest.raises(ValueError, match="月份应在 1 到 12 之间"):
        yearmonth((1978, 13))


@pytest.mark.parametrize("n, text", [
    (0, "零"), (1, "一"), (8, "八"), (10, "十"), (11, "十一"), (12, "十二"), (19, "十九"),
    (20, "二十"), (28, "二十八"), (53, "五十三"), (81, "八十一"), (100, "一百"),
    (101, "一百零一"),  # one 零 for the missing tens
    (110, "一百一十"),  # above 19 the 一 before 十 is kept
    (1001, "一千零一"),  # one 零 for two missing places
    (1010, "一千零一十"), (2026, "二千零二十六"), (9999, "九千九百九十九"),
])
def test_cn_numeral(n, text):
    assert cn_numeral(n) == text


@pytest.mark.parametrize("bad", [-1, 10000, 2.0, True, "8"])
def test_cn_numeral_rejects(bad):
    with pytest.raises(ValueError, match="cn_numeral 只接受 0 到 9999 的整数"):
        cn_numeral(bad)


def test_doc_number_uses_hexagonal_brackets():
    text = doc_number(("江职院委", 2026, 12))
    assert text == "江职院委〔2026〕12号"
    assert [hex(ord(c)) for c in text if c in "〔〕"] == ["0x3014", "0x3015"]
    assert doc_number("金港委", 2026, 8) == "金港委〔2026〕8号"


def test_doc_number_needs_all_three_parts():
    with pytest.raises(ValueError, match="发文字号需要机关代字、年份和序号"):
        doc_number("", 2026, 1)


@pytest.mark.parametrize("value, places, text", [
    (Decimal("87.425"), 2, "87.43"),  # half up; Python's round(87.425, 2) gives 87.42
    (Decimal("87.424999"), 2, "87.42"),
    (Decimal("90"), 2, "90.00"),  # fixed places, zeros kept
    (Decimal("-1.005"), 2, "-1.01"),  # half away from zero
    (Decimal("85.5"), 0, "86"),
    (Decimal("85.4545"), 3, "85.455"),
    (91, 2, "91.00"),
    ("88.125", 2, "88.13"),
    ("", 2, ""),
])
def test_fixed(value, places, text):
    assert fixed(value, places) == text


def test_fixed_refuses_floats():
    with pytest.raises(TypeError, match="分数不能用浮点数"):
        fixed(87.425)


def test_money():
    assert money(Decimal("12345.6")) == "12,345.60"
    assert money(Decimal("-1234567.005")) == "-1,234,567.01"
    assert money(Decimal("0")) == "0.00"


def test_filters_from_a_template():
    text = render(
        "{{ d|cn_date }} {{ b|yearmonth }} {{ n|cn_numeral }}个职位 {{ s|score }} {{ s|decimal(1) }} "
        "{{ ('江职院委', 2026, 12)|doc_number }} {{ doc_number('江职院委', 2026, 8) }}",
        d=dt.date(2026, 6, 18), b=(1978, 5), n=8, s=Decimal("87.425"),
    )
    assert text == "2026年6月18日 1978.05 八个职位 87.43 87.4 江职院委〔2026〕12号 江职院委〔2026〕8号"


def test_undefined_names_raise():
    with pytest.raises(jinja2.UndefinedError, match="'nme' is undefined"):
        render("{{ nme }}", name="张三")
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nme'"):
        render("{{ a.nme }}", a={"name": "张三"})


def test_values_are_escaped():
    assert render("{{ v }}", v="研发&测试<部>") == "研发&amp;测试&lt;部&gt;"


def test_sandbox_blocks_dunder_access():
    with pytest.raises(SecurityError):
        render("{{ ''.__class__.__mro__ }}")


def _one_paragraph_docx(text: str) -> io.BytesIO:
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    buf.seek(0)
    return buf


@pytest.mark.parametrize("autoescape", [False, True])
def test_docxtpl_keeps_escaping_with_our_env(autoescape):
    """An ampersand in a department name must not break the document XML, however render() is called."""
    tpl = DocxTemplate(_one_paragraph_docx("部门：{{ dept }}"))
    tpl.render({"dept": "研发&测试<部>"}, make_environment(), autoescape=autoescape)
    out = io.BytesIO()
    tpl.save(out)
    out.seek(0)
    assert docx.Document(out).paragraphs[0].text == "部门：研发&测试<部>"


def test_sandbox_is_immutable():
    """A template reads the data; list.append, dict.update and the like are refused, in Chinese."""
    data = {"name": "张三", "posts": ["教务处处长"]}
    for source in ('{{ a.update({"name": "篡改"}) }}', "{{ a.posts.append('x') }}", "{{ a.pop('name') }}"):
        with pytest.raises(SecurityError, match="模板只能读取数据，不能修改数据"):
            render(source, a=data)
    assert data == {"name": "张三", "posts": ["教务处处长"]}


def test_small_ranges_behave_like_range():
    assert render("{{ range(5)|length }} {{ range(5)|list }} {{ range(1, 4)[1] }} {% for i in range(3) %}{{ i }}{% endfor %}") \
        == "5 [0, 1, 2, 3, 4] 2 012"


@pytest.mark.parametrize("source, words", [
    ("{{ range(10001)|length }}", "range() 最多生成 10000 个数，这里要生成 10001 个"),
    ("{% for i in range(2000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}", "循环次数超过 1000000 次"),
    ("{{ 'x' * 1000001 }}", "重复（*）得到的内容超过 1000000 个字符或项"),
    ("{{ 1000001 * [0] }}", "重复（*）得到的内容超过 1000000 个字符或项"),
    ("{{ 9 ** 101 }}", "乘方的指数不能超过 100，这里是 101"),
])
def test_limits(source, words):
    from pipeline.engine.jinja_env import TemplateLimitError

    with pytest.raises(TemplateLimitError, match=re.escape(words)):
        render(source)


def test_within_the_limits_arithmetic_is_ordinary():
    assert render("{{ '-' * 3 }}{{ 2 * 3 }}{{ 2 ** 10 }}{{ [0] * 2 }}") == "---61024[0, 0]"
