"""A family merged, converted once and split gives each member exactly the PDF it would get alone."""
from __future__ import annotations

import io


import pdfplumber
import pytest
from pypdf import PdfReader

from pipeline import house_style as hs
from pipeline.bundle import outline_starts
from pipeline.convert import convert_to_pdf
from pipeline.family import first_paragraph_text, match_members, merge_family, page_ranges


def member(title: str, paragraphs: int, end_with_table: bool = False) -> bytes:
    doc = hs.new_document()
    hs.add_title(doc, title)
    for i in range(paragraphs):
        hs.add_body(doc, f"第{i + 1}段：这一段正文用来把文书撑到需要的页数，检验合并以后每份文书的页数不变。")
    if end_with_table:
        table = doc.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "末尾是表格"
    hs.add_page_numbers(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Four members of one page, a few pages, more pages, and one page ending in a table; merged and alone."""
    work = tmp_path_factory.mktemp("family")
    blobs = [member("甲文书", 5), member("乙文书", 30), member("丙文书", 50), member("丁文书", 3, end_with_table=True)]
    alone = []
    for i, blob in enumerate(blobs):
        (work / f"alone{i}.docx").write_bytes(blob)
        alone.append(work / f"alone{i}.docx")
    (work / "merged.docx").write_bytes(merge_family(blobs))
    pdfs = convert_to_pdf([*alone, work / "merged.docx"], work / "pdf")
    return blobs, [pdfs[p] for p in alone], pdfs[work / "merged.docx"]


def test_each_member_keeps_its_page_count(converted):
    blobs, alone, merged = converted
    titles = [first_paragraph_text(b) for b in blobs]
    assert titles == ["甲文书", "乙文书", "丙文书", "丁文书"]
    starts = match_members(outline_starts(merged), titles)
    ranges = page_ranges(starts, len(PdfReader(merged).pages))
    assert [b - a for a, b in ranges] == [len(PdfReader(p).pages) for p in alone]
    counts = [len(PdfReader(p).pages) for p in alone]
    assert counts[0] == 1 < counts[1] < counts[2]  # the fixture really has members of different lengths


def test_page_numbers_restart_for_each_member(converted):
    blobs, _, merged = converted
    starts = match_members(outline_starts(merged), [first_paragraph_text(b) for b in blobs])
    with pdfplumber.open(merged) as pdf:
        for start in starts:
            numbers = "".join(c["text"] for c in pdf.pages[start].chars if round(c["size"]) == 14)
            assert numbers == "\u2014 1 \u2014"


def test_titles_missing_from_the_outline_are_not_guessed():
    assert match_members([("甲文书", 0), ("丙文书", 3)], ["甲文书", "乙文书", "丙文书"]) is None
    assert match_members([("甲文书", 0), ("附件", 0), ("乙文书", 2)], ["甲文书", "乙文书"]) == [0, 2]


def test_a_template_must_open_with_its_title_paragraph():
    doc = hs.new_document()
    doc.element.body.remove(doc.element.body[0]) if len(doc.paragraphs) else None
    doc.add_table(rows=1, cols=1)
    buf = io.BytesIO()
    doc.save(buf)
    with pytest.raises(ValueError):
        merge_family([buf.getvalue(), buf.getvalue()])


def test_page_ranges_refuse_a_disordered_map():
    assert page_ranges([0, 1, 3], 6) == [(0, 1), (1, 3), (3, 6)]
    with pytest.raises(ValueError):
        page_ranges([0, 3, 2], 6)
    with pytest.raises(ValueError):
        page_ranges([1, 2], 6)
