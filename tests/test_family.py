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


def without_content_types(blob: bytes) -> bytes:
    """The same DOCX without [Content_Types].xml: LibreOffice cannot load it (checked with 7.4.7)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name != "[Content_Types].xml":
                dst.writestr(name, src.read(name))
    return out.getvalue()


def test_a_merged_family_with_one_bad_member_names_only_that_paper(tmp_path):
    """The merged piece takes its package parts from its first member, so a first member LibreOffice
    cannot load sinks the piece; each member is then converted alone and only the bad one is named."""
    from pipeline.errors import ConversionError
    from pipeline.jobs import DocJob
    from pipeline.pdfs import Converter
    from pipeline.staging import Staging

    papers = [("08-任职/任职通知/01-王海燕", without_content_types(member("王海燕任职通知", 3))),
              ("08-任职/任职通知/02-李建国", member("李建国任职通知", 3)),
              ("08-任职/任职通知/03-张志强", member("张志强任职通知", 3))]
    with Staging(tmp_path / "out") as stage:
        converter = Converter(stage, workers=1)
        for path, blob in papers:
            job = DocJob(path, "任职通知.docx", {}, family="letters", title="任职通知")
            stage.write(path + ".docx", blob)
            converter.add(job, blob)
        with pytest.raises(ConversionError) as info:
            converter.finish()
        good = [stage.dir / f"{path}.pdf" for path, _ in papers[1:]]
        assert all(len(PdfReader(p).pages) == 1 for p in good)  # the good members did convert, alone
    message = str(info.value)
    assert message.splitlines() == [
        "以下 1 份文书未能转换为 PDF，未生成任何文件：",
        "  08-任职/任职通知/01-王海燕：LibreOffice 未能打开或转换此文件，请用 Word 或 WPS 打开检查后另存一份"
        "（模板 templates/任职通知.docx）"]
