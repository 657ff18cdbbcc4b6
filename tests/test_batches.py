"""A family merged, converted once and split gives each member exactly the PDF it would get alone."""
from __future__ import annotations

import io


import pdfplumber
import pytest
from pypdf import PdfReader

from authoring import house_style as hs
from pipeline.engine.bundle import outline_starts
from pipeline.engine.convert import convert_to_pdf
from pipeline.engine.batches import first_paragraph_text, match_members, merge_batch, page_ranges


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
    (work / "merged.docx").write_bytes(merge_batch(blobs))
    pdfs = convert_to_pdf([*alone, work / "merged.docx"], work / "pdf")
    return blobs, [pdfs[p] for p in alone], pdfs[work / "merged.docx"]


@pytest.mark.integration
def test_each_member_keeps_its_page_count(converted):
    blobs, alone, merged = converted
    titles = [first_paragraph_text(b) for b in blobs]
    assert titles == ["甲文书", "乙文书", "丙文书", "丁文书"]
    starts = match_members(outline_starts(merged), titles)
    ranges = page_ranges(starts, len(PdfReader(merged).pages))
    assert [b - a for a, b in ranges] == [len(PdfReader(p).pages) for p in alone]
    counts = [len(PdfReader(p).pages) for p in alone]
    assert counts[0] == 1 < counts[1] < counts[2]  # the fixture really has members of different lengths


@pytest.mark.integration
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
        merge_batch([buf.getvalue(), buf.getvalue()])


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


@pytest.mark.integration
def test_a_merged_family_with_one_bad_member_names_only_that_paper(tmp_path):
    """The merged piece takes its package parts from its first member, so a first member LibreOffice
    cannot load sinks the piece; each member is then converted alone and only the bad one is named."""
    from pipeline.errors import ConversionError
    from pipeline.engine.jobs import DocJob
    from pipeline.engine.pdfs import Converter
    from pipeline.engine.staging import Staging

    papers = [("08-任职/任职通知/01-王海燕", without_content_types(member("王海燕任职通知", 3))),
              ("08-任职/任职通知/02-李建国", member("李建国任职通知", 3)),
              ("08-任职/任职通知/03-张志强", member("张志强任职通知", 3))]
    with Staging(tmp_path / "out") as stage:
        converter = Converter(stage, workers=1)
        for path, blob in papers:
            job = DocJob(path, "任职通知.docx", {}, batch="letters", title="任职通知")
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


def long_table_document(rows: int) -> bytes:
    """A title and one table: a header row that repeats on every page, then numbered rows."""
    from docx.oxml import OxmlElement

    doc = hs.new_document()
    hs.add_title(doc, "长表格")
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "姓名"
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for i in range(rows):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = f"行{i + 1:03d}", "王建国"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.integration
def test_a_long_table_is_cut_into_tables_that_each_start_a_page(tmp_path, monkeypatch):
    from pipeline.engine import batches as family
    from pipeline.engine.batches import W, split_long_tables

    monkeypatch.setattr(family, "SPLIT_MIN_BYTES", 0)  # a short table stands in for a 6,000-row one
    blob = long_table_document(70)
    cut = split_long_tables(blob, max_rows=30)
    body = family._body(cut).find(f"{{{W}}}body")
    tables = body.findall(f"{{{W}}}tbl")
    texts = [["".join(row.itertext()) for row in t.findall(f"{{{W}}}tr")] for t in tables]
    assert [len(t) for t in texts] == [31, 31, 11]  # 30 + 30 + 10 rows, each with the header row first
    assert all(t[0] == "序号姓名" for t in texts)
    assert [r for t in texts for r in t[1:]] == [f"行{i:03d}王建国" for i in range(1, 71)]  # none lost, in order
    assert split_long_tables(blob, max_rows=70) == blob  # short enough: untouched
    (tmp_path / "cut.docx").write_bytes(cut)
    pdf = convert_to_pdf([tmp_path / "cut.docx"], tmp_path / "pdf")[tmp_path / "cut.docx"]
    with pdfplumber.open(pdf) as doc:
        pages = ["".join(page.extract_text().split()) for page in doc.pages]
    # The row after a cut opens a page, under the repeated header.
    assert [p[:len("序号姓名行031")] for p in pages if "行031" in p or "行061" in p] == ["序号姓名行031", "序号姓名行061"]
