"""Print fidelity: every character of the DOCX on paper, every line inside the type area, every glyph drawn,
nothing printed that is not the paper's, the 版记 at the foot of the last page (GB/T 9704-2012 7.4).

Measured on real builds with real LibreOffice; the texts are read back with poppler's pdftotext and
python-docx, not with pipeline.engine.pdf_check, so the checks do not lean on the code they check.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from authoring import house_style as hs
from pipeline.run import build
from pipeline.papers.notices import EXAMPLE_CONTEXTS
from pipeline.engine.convert import convert_to_pdf
from pipeline.errors import ConversionError
from pipeline.engine.pdf_check import check_pdf, missing_glyphs
from pipeline.engine.render import DocumentMeta, make_render_environment, render_docx
from tests.conftest import ROOT, SAMPLE, TEMPLATES

# Runs LibreOffice (pytest.ini: `make test-quick` leaves it out).
pytestmark = pytest.mark.integration

MM = 72 / 25.4  # points per millimetre
MM_EMU = 12700  # python-docx lengths are EMU: 12700 to the point
# Each 3号 character is condensed by 0.25 pt (house_style: w:spacing -5) to set 28 a line; pdfplumber's box
# for the last character of a full line is its whole 16 pt, so it ends 0.25 pt past the line's advance.
CONDENSING = 0.25
# CJK Extension A, B, D and G: 䶮 U+4DAE, 𪚥 U+2A6A5, 𫝀 U+2B740, 𱍐 U+31350.
RARE_NAMES = {"罗俊峰": "罗䶮𪚥", "谢丽萍": "谢𱍐", "董思远": "董𫝀"}
EXT_I = "\U0002EBF0"  # 𮯰, CJK Extension I (Unicode 15.1): no font on a Debian 12 machine has it


def quiet(_message: str) -> None:
    """Swallow the build's progress lines."""


def rename_everywhere(campaign: Path, names: dict[str, str]) -> None:
    """Give applicants new names in every workbook of the campaign (报名信息, 评分录入, 任职决定)."""
    for path in campaign.glob("*.xlsx"):
        book = openpyxl.load_workbook(path)
        for sheet in book:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value in names:
                        cell.value = names[cell.value]
        book.save(path)


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "out"
    build(SAMPLE, out, ["all"], log=quiet)
    return out


@pytest.fixture(scope="module")
def rare_out(tmp_path_factory) -> Path:
    campaign = tmp_path_factory.mktemp("rare") / "campaign"
    shutil.copytree(SAMPLE, campaign)
    rename_everywhere(campaign, RARE_NAMES)
    out = campaign.parent / "out"
    build(campaign, out, ["all"], log=quiet)
    return out


def papers(out: Path) -> list[tuple[Path, Path]]:
    """Every (DOCX, PDF) pair the build wrote."""
    return [(d, d.with_suffix(".pdf")) for d in sorted(out.rglob("*.docx")) if d.with_suffix(".pdf").exists()]


def docx_text(path: Path) -> str:
    """Body and table text through python-docx."""
    body = Document(str(path)).element.body
    return "\n".join(Paragraph(p, None).text for p in body.iter(qn("w:p")))


def poppler_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def counts(text: str) -> Counter:
    return Counter(c for c in text if not c.isspace())


def test_sample_build_loses_no_character(sample_out):
    pairs = papers(sample_out)
    lost = {str(d.relative_to(sample_out)): dict(counts(docx_text(d)) - counts(poppler_text(p))) for d, p in pairs}
    assert len(pairs) == 105
    assert {name: chars for name, chars in lost.items() if chars} == {}


def type_area(page) -> tuple[float, float]:
    """Right edge and foot of the type area in points: portrait 210 − 26 mm and 297 − 35 mm; a landscape
    page (GB/T 9704-2012 8) turns the margins with it: 297 − 35 mm and 210 − 26 mm."""
    if page.width > page.height:
        return (hs.PAGE_HEIGHT - hs.BOTTOM) / MM_EMU, (hs.PAGE_WIDTH - hs.RIGHT) / MM_EMU
    return (hs.PAGE_WIDTH - hs.RIGHT) / MM_EMU, (hs.PAGE_HEIGHT - hs.BOTTOM) / MM_EMU


def test_every_line_of_every_paper_ends_inside_the_type_area(sample_out):
    outside, measured = [], 0
    for _, pdf in papers(sample_out):
        with pdfplumber.open(pdf) as doc:
            for number, page in enumerate(doc.pages, 1):
                right, foot = type_area(page)
                body = [c for c in page.chars if c["bottom"] <= foot]  # the page number sits below the foot
                measured += len(body)
                outside += [(pdf.name, number, c["text"], round(c["x1"] / MM, 2)) for c in body
                            if c["x1"] > right + CONDENSING]
    assert measured > 20_000
    assert outside == []


# A 任前公示 line whose ，falls at the end of a line (a sample paragraph of an earlier release): with hanging
# punctuation on, LibreOffice 7.x hangs it in the margin and drops it from the PDF.
HANGING_COMMA_LINE = ("3. 董思远，男，汉族，1986.06出生，民主党派，本科学历，2008.07参加工作，现任江州职业技术学院"
                      "师范部教学科副科长，拟任师范部主任。")


def test_self_check_refuses_a_pdf_that_lost_a_character(tmp_path):
    """A paper with LibreOffice's hanging punctuation back on (w:overflowPunct taken out): the line loses its ，."""
    doc = hs.new_document()
    hs.add_body(doc, HANGING_COMMA_LINE)
    saved = io.BytesIO()
    doc.save(saved)
    with zipfile.ZipFile(saved) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["word/styles.xml"] = re.sub(rb"<w:overflowPunct [^>]*/>", b"", parts["word/styles.xml"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    src = tmp_path / "任前公示.docx"
    src.write_bytes(buffer.getvalue())
    pdf = convert_to_pdf([src], tmp_path / "pdf")[src]
    assert poppler_text(pdf).count("，") == HANGING_COMMA_LINE.count("，") - 1  # the loss itself, seen by poppler
    with pytest.raises(ConversionError) as refused:
        check_pdf(pdf, [("07-公示/任前公示.pdf", src.read_bytes())])
    message = str(refused.value)
    assert message.startswith("PDF 与 Word 文书不一致，未生成任何文件：\n")
    assert ("  07-公示/任前公示.pdf：PDF 中少了 1 个「，」（U+FF0C），所在段落：3. 董思远，男，汉族，1986.06出生，"
            "民主党派，本科学历，2008.07参……") in message
    assert "不要设置「允许标点溢出边界」" in message


def test_self_check_refuses_a_pdf_that_draws_a_box(tmp_path):
    assert subprocess.run(["fc-list", ":charset=2ebf0"], capture_output=True, text=True).stdout == ""
    doc = hs.new_document()
    hs.add_body(doc, f"1. 张{EXT_I}，男，汉族。")
    src = tmp_path / "box.docx"
    doc.save(src)
    pdf = convert_to_pdf([src], tmp_path)[src]
    assert EXT_I in poppler_text(pdf)  # the text layer has it: only the font shows the box
    with pytest.raises(ConversionError) as refused:
        check_pdf(pdf, [("07-公示/任前公示.pdf", src.read_bytes())])
    message = str(refused.value)
    assert (f"  07-公示/任前公示.pdf：「{EXT_I}」（U+2EBF0）没有字体能显示，印出来是空框，"
            f"所在段落：1. 张{EXT_I}，男，汉族。") in message
    assert "请把含有该字的字体文件（.ttf/.otf）放入 fonts/ 文件夹" in message


@pytest.mark.e2e
def test_a_build_with_a_name_no_font_can_draw_writes_nothing(sample_campaign, tmp_path):
    rename_everywhere(sample_campaign, {"林振华": f"林{EXT_I}"})
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(sample_campaign), "--out", str(out),
                          "build", "forms"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert f"03-报名登记表/报名登记表-01-林{EXT_I}.pdf：「{EXT_I}」（U+2EBF0）没有字体能显示" in run.stderr
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


def test_rare_names_print_in_every_paper(rare_out):
    """Names with Extension A, B, D and G characters: every glyph drawn, each from a font that has it."""
    rare = set("".join(RARE_NAMES.values())) - set("罗谢董")
    fonts: dict[str, set[str]] = {c: set() for c in rare}
    with_names = 0
    for _, pdf in papers(rare_out):
        assert missing_glyphs(pdf) == {}, pdf
        with pdfplumber.open(pdf) as doc:
            found = [c for page in doc.pages for c in page.chars if c["text"] in rare]
        with_names += bool(found)
        for c in found:
            fonts[c["text"]].add(c["fontname"].split("+")[-1])
    assert with_names >= 30
    assert fonts["䶮"] <= {"NotoSerifCJKjp-Regular-VKana", "NotoSerifCJKjp-Bold-VKana", "NotoSansCJKjp-Regular"}
    assert all(fonts[c] == {"BabelStoneHan"} for c in "𪚥𫝀𱍐")


def test_rare_names_picture_of_the_pre_appointment_notice(rare_out):
    """A picture to look at: the 任前公示's first page at 70 dpi (kept beside the build)."""
    png = rare_out / "任前公示-1"
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(rare_out / "07-公示" / "任前公示.pdf"), str(png)], check=True)
    assert png.with_suffix(".png").stat().st_size > 10_000


def is_grey(colour) -> bool:
    """A grey fill, as the old （印章位置） had (#808080): equal components strictly between black and white."""
    values = list(colour or ())
    return len(values) in (1, 3) and len(set(values)) == 1 and 0 < values[0] < 1


def grey_or_placeholder(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        chars = [c for page in doc.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)
    grey = [c["text"] for c in chars if is_grey(c["non_stroking_color"])]
    return grey + (["（印章位置）"] if "印章位置" in text else [])


def test_nothing_printed_for_the_seal(sample_out):
    letters = sorted((sample_out / "08-任职").glob("*.pdf"))
    assert len(letters) == 9  # the 任职通知 and eight 聘任书
    assert {pdf.name: grey_or_placeholder(pdf) for pdf in letters} == {pdf.name: [] for pdf in letters}


def imprint_geometry(pdf: Path) -> dict:
    """Where the 版记 (the line ending 印发, 4号) and its rules sit on the last page, in mm from the top."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[-1]
        _, foot = type_area(page)
        imprint = [c for c in page.chars if round(c["size"]) == 14 and c["bottom"] <= foot]
        body = [c for c in page.chars if round(c["size"]) == 16]
        rules = sorted(r["top"] for r in page.rects + page.lines if r["height"] < 2 and r["width"] > 150 * MM)
        return {"pages": len(doc.pages), "text": "".join(c["text"] for c in imprint),
                "rules": [round(r / MM, 1) for r in rules[-2:]],
                "imprint_top": min(c["top"] for c in imprint) / MM, "body_bottom": max(c["bottom"] for c in body) / MM}


def check_imprint_at_foot(geometry: dict) -> None:
    assert geometry["text"].endswith("印发")
    top_rule, bottom_rule = geometry["rules"]
    assert 262 - 1 <= bottom_rule <= 262  # the last rule on the foot of the 225 mm type area (297 − 35 mm)
    assert top_rule < geometry["imprint_top"] and geometry["body_bottom"] < top_rule


def test_imprint_at_the_foot_of_the_sample_notice(sample_out):
    check_imprint_at_foot(imprint_geometry(sample_out / "08-任职" / "任职通知.pdf"))


LENGTHS = (14, 15, 16, 30)  # bodies that end just above the 版记, push the signature over, run to three pages


@pytest.fixture(scope="module")
def long_notices(tmp_path_factory) -> dict[int, Path]:
    """The 任职通知 template rendered with 14 … 30 appointments, converted in one LibreOffice call."""
    folder = tmp_path_factory.mktemp("long")
    sources = {}
    for n in LENGTHS:
        context = dict(EXAMPLE_CONTEXTS["任职通知.docx"])
        context["appointments"] = context["appointments"] * n
        sources[n] = folder / f"任职通知-{n}.docx"
        meta = DocumentMeta(organisation=context["org"]["name"], title="任职通知")
        sources[n].write_bytes(render_docx(TEMPLATES / "任职通知.docx", context, make_render_environment(), meta=meta))
    pdfs = convert_to_pdf(list(sources.values()), folder)
    return {n: pdfs[src] for n, src in sources.items()}


@pytest.mark.parametrize("appointments", LENGTHS)
def test_imprint_at_the_foot_whatever_the_length(long_notices, appointments):
    geometry = imprint_geometry(long_notices[appointments])
    assert geometry["pages"] >= 2
    check_imprint_at_foot(geometry)


def test_table_rows_survive_a_page_break_under_a_repeated_header(tmp_path):
    """LibreOffice 7.4 dropped rows 2–6 of a post's table at a page break in the default synthetic township's
    资格审查结果公示 (header rows repeat, rows may not split): the self-check refused the whole build. With rows
    free to break in a second layout of that paper (family.for_layout) every row reaches the PDF."""
    from devtools.synth import generate_campaign

    campaign, out = tmp_path / "synth", tmp_path / "out"
    generate_campaign(campaign, posts=81, principal=28, applicants=600, judges=60, seed=1)
    build(campaign, out, ["eligibility"], log=quiet)  # the self-check raised ConversionError here before
    notice = out / "04-资格审查" / "资格审查结果公示"
    assert "（四十二）水利站副站长（6人）" in docx_text(notice.with_suffix(".docx"))
    assert not counts(docx_text(notice.with_suffix(".docx"))) - counts(poppler_text(notice.with_suffix(".pdf")))


def test_for_layout_frees_rows_only_where_headers_repeat():
    from pipeline.engine.batches import DOCUMENT_XML, for_layout

    def docx(xml: str) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(DOCUMENT_XML, xml)
        return buf.getvalue()

    with_header = docx('<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr></w:tbl>')
    without = docx('<w:tbl><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr></w:tbl>')
    assert for_layout(with_header) == with_header  # first try: the template's layout as it is
    laid_out = zipfile.ZipFile(io.BytesIO(for_layout(with_header, free_rows=True))).read(DOCUMENT_XML)
    assert b"cantSplit" not in laid_out and b"<w:tblHeader/>" in laid_out
    assert for_layout(without, free_rows=True) == without
