"""The 发文机关标志 of the 任职通知 on one line inside the type area, however long the name (GB/T 9704-2012 7.2.4).

The rendered DOCX is read back with python-docx and the PDF that real LibreOffice makes of it with pdfplumber;
the expected sizes are worked out by hand below, not with pipeline.engine.one_line.
"""
from __future__ import annotations

import copy
import io
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt

from pipeline.engine.convert import convert_to_pdf
from pipeline.engine.docx_clean import clean_template
from pipeline.engine.one_line import fit_marks
from pipeline.engine.render import DocumentMeta, make_render_environment, render_docx, render_template
from pipeline.papers.notices import EXAMPLE_CONTEXTS
from tests.conftest import TEMPLATES

MM = 72 / 25.4  # points per millimetre
TEMPLATE = TEMPLATES / "任职通知.docx"
# Committee names whose mark (name + 文件) has 8, 15 (the sample's), 17 and 30 characters.
COMMITTEES = {8: "中共江州市委", 15: "中共江州职业技术学院委员会", 17: "中共临安区青山湖街道工作委员会",
              30: "中共江州市上城区人民政府国有资产监督管理委员会机关委员会"}
# Worked out from the template: pgSz 11906 twips less pgMar 1587 + 1474 leaves 8845 twips (442.25 pt) of type
# area, 1 pt of it kept free: 8825. Every character of the mark is condensed by 5 twips (Normal's w:spacing).
# 15 at 28 pt: 15 × (560 − 5) = 8325, fits. 17: 17 × (10·s − 5) ≤ 8825 gives s ≤ 52.4 half points, so 26 pt.
# 30 at the 22 pt floor: 30 × (440·k − 5) ≤ 8825 gives k ≤ 0.6799, so 67 % wide.
EXPECTED = {8: (Pt(28), None), 15: (Pt(28), None), 17: (Pt(26), None), 30: (Pt(22), 67)}


def context_for(committee: str) -> dict:
    context = copy.deepcopy(EXAMPLE_CONTEXTS["任职通知.docx"])
    context["org"]["party_committee"] = committee
    return context


def render(committee: str) -> bytes:
    context = context_for(committee)
    meta = DocumentMeta(organisation=context["org"]["name"], title="任职通知")
    return render_docx(TEMPLATE, context, make_render_environment(), meta=meta)


def width(run) -> int | None:
    """The run's w:w (character width in percent), None when it has none."""
    w = run._r.rPr.find(qn("w:w")) if run._r.rPr is not None else None
    return None if w is None else int(w.get(qn("w:val")))


def mark_paragraph(blob: bytes):
    head = Document(io.BytesIO(blob)).paragraphs[0]
    assert head.style.name == "发文机关标志"
    return head


@pytest.mark.parametrize("length", sorted(COMMITTEES))
def test_mark_size_and_width_in_the_docx(length):
    assert len(COMMITTEES[length]) + 2 == length
    head = mark_paragraph(render(COMMITTEES[length]))
    size, scale = EXPECTED[length]
    assert head.text == COMMITTEES[length] + "文件"
    assert [r.font.size for r in head.runs] == [size]
    assert [width(r) for r in head.runs] == [scale]


@pytest.mark.parametrize("length", [8, 15])
def test_a_mark_that_fits_is_left_byte_for_byte_as_rendered(length):
    context = context_for(COMMITTEES[length])
    blob = clean_template(TEMPLATE.read_bytes())[0]  # as render_docx does
    tpl = render_template(TEMPLATE.name, blob, context, make_render_environment())
    before = tpl.docx.part.blob
    assert fit_marks(tpl.docx) == 0
    assert tpl.docx.part.blob == before
    with zipfile.ZipFile(io.BytesIO(render(COMMITTEES[length]))) as z:
        assert z.read("word/document.xml") == before


def marked_document(*texts: str, break_between: bool = False):
    """A python-docx document with one paragraph in style 发文机关标志 at 28 pt, holding texts as runs."""
    doc = Document()
    style = doc.styles.add_style("发文机关标志", WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(28)
    p = doc.add_paragraph(style=style)
    for i, text in enumerate(texts):
        run = p.add_run(text)
        if break_between and i < len(texts) - 1:
            run.add_break()
    other = doc.add_paragraph("长" * 40)
    other.runs[0].font.size = Pt(28)
    return doc, p, other


def test_lines_broken_by_the_clerk_are_measured_one_by_one_and_other_styles_are_left_alone():
    # python-docx's default section: 12240 − 1800 − 1800 = 8640 twips (432 pt), 1 pt kept free: 8620 twips.
    # One line of 15 characters at 28 pt is 8400 twips and fits; two such lines on one would not.
    doc, p, other = marked_document("甲" * 15, "乙" * 15, break_between=True)
    assert fit_marks(doc) == 0
    assert [r.font.size for r in p.runs] == [None, None]  # untouched: the style's 28 pt
    assert other.runs[0].font.size == Pt(28)
    # Without the break the 30 characters need 30 × 440 · k ≤ 8620 at the 22 pt floor: k ≤ 0.653, so 65 %.
    doc, p, _ = marked_document("甲" * 15, "乙" * 15)
    assert fit_marks(doc) == 1
    assert [r.font.size for r in p.runs] == [Pt(22), Pt(22)]
    assert [width(r) for r in p.runs] == [65, 65]


def test_half_width_characters_count_half_and_a_smaller_run_is_never_enlarged():
    # 中共 at 20 pt: 2 em × 400 = 800 twips. Then 2026 (4 × 0.5 em) and 年度江州市评审委员会文件 (12 em) with a
    # quarter em at each of the two script changes: 14.5 em, 14.5 × 10 · s + 800 ≤ 8620 gives s ≤ 53.9 half
    # points, so 26.5 pt; the first run, already smaller, stays at 20 pt.
    doc, p, _ = marked_document("中共", "2026", "年度江州市评审委员会文件")
    p.runs[0].font.size = Pt(20)
    assert fit_marks(doc) == 1
    assert [r.font.size for r in p.runs] == [Pt(20), Pt(26.5), Pt(26.5)]
    assert [width(r) for r in p.runs] == [None, None, None]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[int, Path]:
    """Every length's 任职通知 converted in one LibreOffice call."""
    folder = tmp_path_factory.mktemp("marks")
    sources = {}
    for length, committee in COMMITTEES.items():
        sources[length] = folder / f"任职通知-{length}.docx"
        sources[length].write_bytes(render(committee))
    converted = convert_to_pdf(list(sources.values()), folder)
    return {length: converted[src] for length, src in sources.items()}


def red_chars(pdf: Path) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        return [c for c in page.chars if tuple(c["non_stroking_color"] or ()) == (1, 0, 0) and c["top"] < 250]


@pytest.mark.integration
@pytest.mark.parametrize("length", sorted(COMMITTEES))
def test_mark_on_one_line_inside_the_type_area(pdfs, length):
    chars = red_chars(pdfs[length])
    assert "".join(c["text"] for c in chars) == COMMITTEES[length] + "文件"
    tops = {round(c["top"], 1) for c in chars}
    assert max(tops) - min(tops) < 1, f"the mark runs over {len(tops)} lines"
    assert min(c["x0"] for c in chars) >= 28 * MM - 0.5  # 订口 28 mm
    assert max(c["x1"] for c in chars) <= (210 - 26) * MM + 0.5  # 26 mm on the right
    # Centred: as far from the left margin as from the right one, within a character's condensing.
    left, right = min(c["x0"] for c in chars) - 28 * MM, (210 - 26) * MM - max(c["x1"] for c in chars)
    assert abs(left - right) < 2
    # Narrowed characters still stand apart: none drawn over the next.
    assert all(a["x1"] <= b["x0"] + 0.5 for a, b in zip(chars, chars[1:]))
    size, _ = EXPECTED[length]
    assert {round(c["size"], 1) for c in chars} == {size.pt}


@pytest.mark.integration
def test_a_template_resaved_by_libreoffice_keeps_the_style_and_the_fitting(tmp_path):
    """A clerk's edit saves the template again: the style's name must survive so the mark is still found."""
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "docx",
                    "--outdir", str(tmp_path), str(TEMPLATE)], check=True, capture_output=True, timeout=120)
    resaved = tmp_path / TEMPLATE.name
    context = context_for(COMMITTEES[17])
    meta = DocumentMeta(organisation=context["org"]["name"], title="任职通知")
    head = mark_paragraph(render_docx(resaved, context, make_render_environment(), meta=meta))
    assert head.text == COMMITTEES[17] + "文件"
    assert {r.font.size for r in head.runs if r.text} == {Pt(26)}
