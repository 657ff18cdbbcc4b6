"""DOCX → PDF through real LibreOffice: page size, text, bookmarks, embedded fonts, font mapping, failures."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pipeline.engine.bundle import outline_starts
from pipeline.engine.convert import PROFILES, balance, convert_to_pdf
from pipeline.errors import ConversionError

A4 = (595.28, 841.89)  # 210 × 297 mm in points: 210 / 25.4 × 72 = 595.28, 297 / 25.4 × 72 = 841.89
MM = 72 / 25.4  # one millimetre in points

# (text, Windows font, size in pt, outline level or None): GB/T 9704-2012 7.2/7.3 type styles.
NOTICE = [
    ("关于开展竞争上岗工作的通知", "方正小标宋简体", 22, None),
    ("一、总体安排", "黑体", 16, 0),
    ("（一）报名时间", "楷体_GB2312", 16, None),
    ("本次工作按程序进行。", "仿宋_GB2312", 16, None),
    ("PAGEBREAK", "", 0, None),
    ("二、工作要求", "黑体", 16, 0),
]


def set_east_asian(run, font: str) -> None:
    """Name the font on w:eastAsia too, or LibreOffice ignores it for Chinese text (docs/reference.md, 字体)."""
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def set_language_zh(doc) -> None:
    """Declare zh-CN on the Normal style; python-docx's default template says en-US (docs/reference.md, 字体)."""
    lang = OxmlElement("w:lang")
    for attr in ("w:val", "w:eastAsia"):
        lang.set(qn(attr), "zh-CN")
    doc.styles["Normal"].element.get_or_add_rPr().append(lang)


def make_docx(path: Path, paragraphs=NOTICE) -> Path:
    """Write an A4 docx whose paragraphs use the given fonts; outline levels become PDF bookmarks."""
    doc = Document()
    set_language_zh(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for text, font, size, level in paragraphs:
        if text == "PAGEBREAK":
            doc.add_page_break()
            continue
        para = doc.add_paragraph()
        run = para.add_run(text)
        set_east_asian(run, font)
        run.font.size = Pt(size)
        if level is not None:
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level))
            para._p.get_or_add_pPr().append(outline)
    doc.save(path)
    return path


def live_soffice() -> str:
    """List live processes started with one of our profiles (a reaped zombie has no command line)."""
    if PROFILES._root is None:
        return ""
    return subprocess.run(["pgrep", "-af", str(PROFILES._root)], capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    """Convert two documents in two parallel batches, once for the module."""
    src = tmp_path_factory.mktemp("docx")
    docs = [make_docx(src / "通知.docx"), make_docx(src / "second.docx", NOTICE[:2])]
    result = convert_to_pdf(docs, tmp_path_factory.mktemp("pdf"), workers=2)
    return {d.stem: pdf for d, pdf in result.items()}


@pytest.mark.integration
def test_page_is_a4_and_text_present(converted):
    with pdfplumber.open(converted["通知"]) as pdf:
        assert len(pdf.pages) == 2  # the explicit page break
        for page in pdf.pages:
            assert page.width == pytest.approx(A4[0], abs=MM)
            assert page.height == pytest.approx(A4[1], abs=MM)
        text = pdf.pages[0].extract_text()
    for snippet in ("关于开展竞争上岗工作的通知", "（一）报名时间", "本次工作按程序进行。"):
        assert snippet in text


@pytest.mark.integration
def test_outline_level_paragraphs_become_bookmarks(converted):
    # split_pdf relies on these: one bookmark per outline-level paragraph, on its page.
    assert outline_starts(converted["通知"]) == [("一、总体安排", 0), ("二、工作要求", 1)]


@pytest.mark.integration
def test_every_font_is_embedded(converted):
    out = subprocess.run(["pdffonts", str(converted["通知"])], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]  # two header lines
    assert len(rows) == 4  # bold serif, serif, sans, kai
    for row in rows:
        emb = row.split()[-5]  # columns end with: emb sub uni object-number generation
        assert emb == "yes", row


def fonts_of(pdf_path: Path, snippet: str) -> set[str]:
    """Return the PDF font names (subset prefix removed) used for the characters of snippet."""
    with pdfplumber.open(pdf_path) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)
    start = text.index(snippet)
    return {c["fontname"].split("+", 1)[-1] for c in chars[start:start + len(snippet)]}


@pytest.mark.parametrize(("snippet", "expected"), [
    # LibreOffice embeds the CFF FontName of the Noto .ttc, which reads "NotoSerifCJKjp-…" for every
    # region, so we check family and weight. Without the mapping all five come out NotoSansCJK (docs/reference.md, 字体).
    ("关于开展竞争上岗工作的通知", ("NotoSerifCJK", "-Bold")),  # 方正小标宋简体
    ("本次工作按程序进行", ("NotoSerifCJK", "-Regular")),  # 仿宋_GB2312
    ("总体安排", ("NotoSansCJK", "-Regular")),  # 黑体
    ("报名时间", ("GBZenKai-Medium", "")),  # 楷体_GB2312 → AR PL KaitiM GB (PostScript name GBZenKai-Medium)
])
@pytest.mark.integration
def test_windows_font_names_print_in_mapped_fonts(converted, snippet, expected):
    family, weight = expected
    names = fonts_of(converted["通知"], snippet)
    assert len(names) == 1, names
    name = names.pop()
    assert name.startswith(family) and weight in name, name


@pytest.mark.integration
def test_broken_docx_is_named_and_no_process_is_left(tmp_path):
    good = make_docx(tmp_path / "good.docx", NOTICE[:1])
    broken = tmp_path / "损坏的报名表.docx"
    broken.write_bytes(b"this is not a zip archive\x00\xff" * 200)
    with pytest.raises(ConversionError) as info:
        convert_to_pdf([good, broken], tmp_path / "out", workers=2, retries=1)
    message = str(info.value)
    assert message.splitlines()[0] == "以下 1 个文档未能转换为 PDF（已重试 1 次）："
    assert f"{broken}：文件不是有效的 Word（.docx）文档" in message
    assert (tmp_path / "out" / "good.pdf").stat().st_size > 0  # the good one still converted
    assert not (tmp_path / "out" / "损坏的报名表.pdf").exists()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["good.pdf"]  # no staging folder left
    assert live_soffice() == ""


@pytest.mark.integration
def test_timeout_kills_the_whole_process_group(tmp_path):
    doc = make_docx(tmp_path / "slow.docx", NOTICE[:1])
    with pytest.raises(ConversionError) as info:
        # LibreOffice takes well over 0.3 s just to start, so this batch always times out.
        convert_to_pdf([doc], tmp_path / "out", timeout=0.3, retries=0)
    assert f"{doc}：LibreOffice 在 0.3 秒内没有转换完成，已被终止" in str(info.value)
    assert live_soffice() == ""  # oosplash and soffice.bin are both gone, not only the wrapper


def test_balance_puts_largest_first_onto_lightest_batch(tmp_path):
    sizes = {"a": 5, "b": 4, "c": 3, "d": 3, "e": 3}
    files = {}
    for name, size in sizes.items():
        files[name] = tmp_path / f"{name}.docx"
        files[name].write_bytes(b"x" * size)
    # a→[5 | 0]; b→[5 | 4]; c→[5 | 7]; d→[8 | 7]; e→[8 | 10]
    batches = balance(list(files.values()), 2)
    assert [[p.stem for p in b] for b in batches] == [["a", "d"], ["b", "c", "e"]]
    assert balance(list(files.values()), 9) == [[files[n]] for n in "abcde"]  # never an empty batch


def test_two_inputs_with_one_pdf_name_are_refused(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(ValueError, match="both become a.pdf"):
        convert_to_pdf([tmp_path / "a.docx", tmp_path / "x" / "a.docx"], tmp_path / "out")


def test_a_large_batch_is_cut_into_calls_of_at_most_100(monkeypatch, tmp_path):
    """LibreOffice 7.4 silently stops after 246 files in one call (measured); we never hand it more than 100."""
    from pipeline.engine import convert

    calls = []
    monkeypatch.setattr(convert, "_run_call", lambda files, *a: calls.append(len(files)) or {})
    files = [tmp_path / f"{i}.docx" for i in range(250)]
    setup = convert._Setup({}, convert.ProfilePool(tmp_path / "profiles"), convert.DEFAULT_TIMEOUT)
    assert convert._run_batch(files, tmp_path, setup) == {}
    assert calls == [100, 100, 50]


def test_the_timeout_grows_with_layout_work_between_floor_and_ceiling():
    from pipeline.engine.convert import Timeout

    scale = Timeout(floor=120, per_mb=60, ceiling=3600)
    assert scale.for_weight(0) == 120  # a cold start on a busy machine
    assert scale.for_weight(6_000_000) == 120 + 6 * 60  # a full piece of 6 MB: 480 s
    assert scale.for_weight(100_000_000) == 3600  # never more than the ceiling
    assert scale.at_most(5).for_weight(6_000_000) == 5  # CONVERT_TIMEOUT=5: every call within 5 s
    assert scale.at_most(7200).for_weight(100_000_000) == 120 + 100 * 60  # a higher ceiling lets it grow
    assert scale.at_most(7200).for_weight(200_000_000) == 7200
    assert scale.at_most(7200).for_weight(0) == 120
