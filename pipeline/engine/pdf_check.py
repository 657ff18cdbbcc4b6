"""Check each converted PDF against its DOCX: every character printed, every glyph drawn.

LibreOffice reports success when it hangs a line-end ，past the margin and drops it, and when no font
has a character (罗䶮𪚥's U+2A6A5 printed as an empty box). Both are found here, once per converted
piece, before it is split into papers: one PDFium pass for the text of each page and one pass over
the embedded fonts.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

from pipeline.engine import pdfium, rawpdf
from pipeline.errors import ConversionError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONT_ADVICE = ("请把含有该字的字体文件（.ttf/.otf）放入 fonts/ 文件夹，或由管理员运行 make sysdeps 安装后备字体"
               "（fonts-babelstone-han、fonts-hanazono），然后重新生成。")
LOST_ADVICE = ("请检查该段在 Word 模板中的格式（不要设置「允许标点溢出边界」），然后重新生成；"
               "仍有此问题请把本消息交给维护人员。")
# A Type 1 font program's built-in Encoding: "dup 2 /.notdef put" is a code with no glyph.
ENCODING_ENTRY = re.compile(rb"dup (\d+) /(\S+) put")
BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def docx_text(blob: bytes) -> str:
    """The text of a DOCX's body and tables (word/document.xml), one paragraph a line."""
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))


pdf_pages_text = pdfium.pages_text


def lost_characters(expected: str, printed: str) -> Counter:
    """Characters (whitespace aside) that the DOCX has more often than the PDF, with how many are missing."""
    return Counter(c for c in expected if not c.isspace()) - Counter(c for c in printed if not c.isspace())


def _to_unicode(font) -> dict[int, str]:
    """Code → text from a font's ToUnicode CMap (LibreOffice writes one bfchar entry per code)."""
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return {}
    text = cmap.get_object().get_data().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in BFCHAR.findall(block):
            out[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be", "replace")
    return out


def _notdef_codes(font) -> set[int]:
    """Codes a Type 1 font program's own Encoding maps to /.notdef: LibreOffice draws a box for them."""
    descriptor = font.get("/FontDescriptor")
    program = descriptor.get_object().get("/FontFile") if descriptor is not None else None
    if program is None:
        return set()
    return _notdef_in(program.get_object().get_data())


def _notdef_in(program: bytes) -> set[int]:
    clear = program[:program.find(b"eexec")]  # the Encoding sits in the clear-text part, before eexec
    return {int(code) for code, name in ENCODING_ENTRY.findall(clear) if name == b".notdef"}


def _no_box_possible(pdf: Path) -> bool:
    """True when no embedded Type 1 program maps any code to /.notdef, read as bytes (rawpdf): then no page
    draws a box, and the pages need not be parsed. A file rawpdf does not read says False."""
    try:
        source = rawpdf.Source(pdf)
        return not any(_notdef_in(source.stream_data(num)) for num in source.font_programs())
    except (rawpdf.Unsupported, zlib.error):
        return False


def missing_glyphs(pdf: Path) -> dict[int, set[str]]:
    """Page index → the characters drawn there without a glyph (a code mapped to /.notdef whose
    ToUnicode entry is a real character)."""
    if _no_box_possible(pdf):
        return {}
    found: dict[int, set[str]] = {}
    cache: dict[int, set[str]] = {}
    for index, page in enumerate(PdfReader(pdf).pages):
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            key = getattr(ref, "idnum", id(ref))  # LibreOffice shares one font object between pages
            if key not in cache:
                font = ref.get_object()
                unicode = _to_unicode(font)
                cache[key] = {unicode[c] for c in _notdef_codes(font) if unicode.get(c, "").strip()}
            if cache[key]:
                found.setdefault(index, set()).update(cache[key])
    return found


def _describe(chars) -> str:
    return "、".join(f"「{c}」（U+{ord(c):04X}）" for c in sorted(chars))


def _compact(text: str) -> str:
    return "".join(text.split())


def _line_with(text: str, char: str, printed: str = "") -> str:
    """The DOCX paragraph with char, shortened, to say which field or person it is: for a lost character the
    first such paragraph the PDF does not print whole, else the first with char."""
    lines = [ln.strip() for ln in text.splitlines() if char in ln]
    whole = _compact(printed)
    line = ([ln for ln in lines if printed and _compact(ln) not in whole] + lines + [""])[0]
    return line if len(line) <= 40 else line[:40] + "……"


class LostText(ConversionError):
    """The PDF lacks characters of its DOCX and draws no box: LibreOffice dropped text while laying it out."""


def check_pdf(pdf: Path, members: Sequence[tuple[str, bytes]],
              ranges: Sequence[tuple[int, int]] | None = None, pages: Sequence[str] | None = None) -> None:
    """Refuse a PDF that lost a character of its DOCX or draws a box; members are (paper, DOCX bytes) and
    ranges their pages [start, end) in pdf (default: one member, every page). pages: the text of pdf's pages
    when they were read already, from the PDFs they were copied from as bytes (a personalised 评分表). Raises
    ConversionError listing every problem."""
    pages = pdf_pages_text(pdf) if pages is None else list(pages)
    boxes = missing_glyphs(pdf)
    lost_lines, box_lines = [], []
    for (paper, blob), (start, end) in zip(members, ranges or [(0, len(pages))]):
        expected = docx_text(blob)
        printed = "".join(pages[start:end])
        for char, count in sorted(lost_characters(expected, printed).items()):
            lost_lines.append(f"  {paper}：PDF 中少了 {count} 个{_describe(char)}，"
                              f"所在段落：{_line_with(expected, char, printed)}")
        for char in sorted(set().union(*(boxes.get(i, set()) for i in range(start, end)))):
            box_lines.append(f"  {paper}：{_describe(char)}没有字体能显示，印出来是空框，"
                             f"所在段落：{_line_with(expected, char)}")
    if lost_lines or box_lines:
        raise (ConversionError if box_lines else LostText)("\n".join(["PDF 与 Word 文书不一致，未生成任何文件："]
                                        + lost_lines + ([LOST_ADVICE] if lost_lines else [])
                                        + box_lines + ([FONT_ADVICE] if box_lines else [])))
