"""The house format (GB/T 9704-2012): the XML python-docx writes, and the page LibreOffice prints from it."""
from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from authoring import house_style as hs
from pipeline.engine.convert import convert_to_pdf
from pipeline.papers.contexts import EXAMPLE_CAMPAIGN, EXAMPLE_CONTEXTS, blank_registration_context
from pipeline.engine.jinja_env import make_environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MM = 72 / 25.4  # points per millimetre
SENTENCE = "坚持党管干部原则，坚持公开平等竞争择优，做到程序规范、结果公正。"  # 32 characters


def prose_document():
    doc = hs.new_document()
    hs.add_title(doc, "关于开展中层干部竞争上岗工作的通知")
    hs.add_heading(doc, "一、总体要求", 1)
    hs.add_heading(doc, "（一）工作原则", 2)
    for _ in range(30):
        hs.add_body(doc, SENTENCE * 3)
    return doc


# Two characters' indent and 25 leave room for one more on the 28-character line; the 29th is "，".
HANG = "测" * 25 + "试，" + "后面的文字继续写下去。"


def hang_document():
    doc = hs.new_document()
    hs.add_body(doc, HANG)
    return doc


def test_no_hanging_punctuation_in_doc_defaults():
    defaults = hang_document().styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    assert defaults.find(qn("w:pPr")).find(qn("w:overflowPunct")).get(qn("w:val")) == "1"


def test_page_and_grid_xml():
    sect = prose_document().sections[0]._sectPr
    size, margins, grid = (sect.find(qn(f"w:{t}")) for t in ("pgSz", "pgMar", "docGrid"))
    # 210 × 297 mm = 11906 × 16838 twips; 37/35/28/26 mm = 2098/1984/1587/1474 twips (1 mm = 56.69 twips).
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
    assert [margins.get(qn(f"w:{e}")) for e in ("top", "bottom", "left", "right")] == ["2098", "1984", "1587", "1474"]
    # (16838 - 2098 - 1984) / 22 = 579.8 → 579 twips a line, so 22 lines fit the 225 mm type area.
    assert grid.get(qn("w:linePitch")) == "579" and grid.get(qn("w:type")) == "lines"
    # (11906 - 1587 - 1474) / 20 / 28 = 15.795 pt a character; 15.795 - 16 = -0.205 pt = -841/4096 pt.
    assert hs.grid_char_space() == -841


def test_styles_name_east_asian_fonts_and_chinese():
    styles = prose_document().styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    expected = {"Normal": ("仿宋_GB2312", 16), hs.STYLE_TITLE: ("方正小标宋简体", 22),
                hs.STYLE_H1: ("黑体", 16), hs.STYLE_H2: ("楷体_GB2312", 16)}
    for name, (font, size) in expected.items():
        style = styles[name]
        assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == font
        assert style.font.size.pt == size
    normal_spacing = styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert normal_spacing.get(qn("w:val")) == "-5"  # 0.25 pt condensed: 28 × 15.75 pt ≤ 442.25 pt
    assert styles[hs.STYLE_TITLE].paragraph_format.alignment == 1  # centred


def test_odd_and_even_footers():
    doc = prose_document()
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = doc.sections[0].footer.paragraphs[0], doc.sections[0].even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        xml = paragraph._p.xml
        assert paragraph.text == "\u2014 1 \u2014" and " PAGE " in xml and "宋体" in xml
    assert (odd.alignment, even.alignment) == (2, 0)  # right, left


def test_landscape_section_swaps_the_page():
    doc = hs.new_document()
    hs.add_title(doc, "职位表")
    section = hs.add_landscape_section(doc)
    mm = [round(v.mm) for v in (section.page_width, section.page_height, section.top_margin, section.left_margin)]
    assert mm == [297, 210, 28, 37]  # GB/T 9704-2012 8: the table head on the binding edge


def _render(name: str, context: dict) -> bytes:
    tpl = DocxTemplate(str(TEMPLATES / name))
    tpl.render(context, make_environment())
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> Path:
    """The prose sample and the rendered forms, converted by LibreOffice in one run."""
    src = tmp_path_factory.mktemp("docx")
    prose_document().save(src / "prose.docx")
    hang_document().save(src / "hang.docx")
    from pipeline.papers.examples import example_contexts

    every = example_contexts()  # the forms' examples as the planners complete them (the 评分表's title from its round)
    for name in EXAMPLE_CONTEXTS:
        (src / name).write_bytes(_render(name, every[name]))
    (src / "blank.docx").write_bytes(_render("报名登记表.docx", blank_registration_context(EXAMPLE_CAMPAIGN)))
    out = tmp_path_factory.mktemp("pdf")
    # Through the pipeline's converter, so the geometry is checked with the project's font mapping.
    convert_to_pdf(sorted(src.glob("*.docx")), out)
    return out


def _lines(page, size: int) -> dict[int, list]:
    rows = defaultdict(list)
    for c in page.chars:
        if round(c["size"]) == size:
            rows[round(c["top"])].append(c)
    return rows


@pytest.mark.integration
def test_prose_page_in_the_pdf(pdfs):
    with pdfplumber.open(pdfs / "prose.pdf") as pdf:
        first, second = pdf.pages[0], pdf.pages[1]
        assert (round(first.width / MM), round(first.height / MM)) == (210, 297)
        body = [c for c in second.chars if round(c["size"]) == 16]
        assert abs(min(c["x0"] for c in body) / MM - 28) < 1  # 订口 28 mm
        assert abs(min(c["top"] for c in first.chars) / MM - 37) < 1  # 天头 37 mm
        assert {round(c["size"]) for c in first.chars} == {22, 16, 14}  # title, body, page number
        lines = _lines(second, 16)
        assert len(lines) == 22  # a full page holds 22 lines
        full = [row for row in lines.values() if len(row) == 28]
        assert len(full) >= 10  # full lines hold 28 characters ...
        assert max(len(row) for row in lines.values()) == 28
        assert all(row[-1]["x1"] / MM < 184.5 for row in full)  # ... and end inside 210 - 26 = 184 mm


@pytest.mark.integration
def test_a_line_end_comma_stays_inside_the_type_area(pdfs):
    """W3C Requirements for Chinese Text Layout 3.1.7: no hanging; the line-start rule still holds, so the
    "，" takes "试" with it to the next line instead of hanging 5.7 mm past the 184 mm margin."""
    with pdfplumber.open(pdfs / "hang.pdf") as pdf:
        lines = _lines(pdf.pages[0], 16)
    first, second = ("".join(c["text"] for c in lines[top]) for top in sorted(lines)[:2])
    assert (first, second[:2]) == ("测" * 25, "试，")
    assert max(c["x1"] for row in lines.values() for c in row) / MM < 184 + 0.25 / MM


@pytest.mark.integration
@pytest.mark.parametrize("page_no, edge_mm", [(1, 210 - 26 - 14 / MM), (2, 28 + 14 / MM)])
def test_page_numbers_in_the_pdf(pdfs, page_no, edge_mm):
    with pdfplumber.open(pdfs / "prose.pdf") as pdf:
        chars = [c for c in pdf.pages[page_no - 1].chars if round(c["size"]) == 14]
    assert "".join(c["text"] for c in chars) == f"\u2014 {page_no} \u2014"
    # Odd pages right, even pages left, one 4号 character (14 pt) in from the type area; below it.
    x = chars[-1]["x1"] if page_no % 2 else chars[0]["x0"]
    assert abs(x / MM - edge_mm) < 1
    assert chars[0]["top"] / MM > 297 - 35


@pytest.mark.integration
@pytest.mark.parametrize("name", ["报名登记表.pdf", "blank.pdf", "评分表.pdf", "职位表.pdf"])
def test_forms_fit_one_page(pdfs, name):
    with pdfplumber.open(pdfs / name) as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert "江州职业技术学院" in text or "2026年中层干部竞争上岗职位表" in text.replace(" ", "")
