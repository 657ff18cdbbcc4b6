"""Bundles: bookmarks, duplex padding, shared fonts deduplicated, split and outline round trip."""
from __future__ import annotations

import datetime as dt
import os

from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader, PdfWriter

from pipeline.engine.bundle import merge_bundle, outline_starts, page_count, split_pdf
from pipeline.engine.convert import convert_to_pdf
from pipeline.engine.pdfa import DocumentInfo, make_pdfa

# Runs LibreOffice (pytest.ini: `make test-quick` leaves it out).
pytestmark = pytest.mark.integration

INFO = DocumentInfo("测试包", "测试单位", dt.datetime(2026, 6, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))

LINE = "竞争上岗评分表第{}页"


def make_docx(path: Path, pages: int) -> Path:
    """Write a docx of `pages` pages with the same characters on each (so font subsets are identical)."""
    doc = Document()
    for n in range(1, pages + 1):
        if n > 1:
            doc.add_page_break()
        run = doc.add_paragraph().add_run(LINE.format(n % 2))
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    doc.save(path)
    return path


def font_files(pdf: Path) -> set[int]:
    """Return the object numbers of the embedded font programs (FontFile, FontFile2, FontFile3)."""
    found = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for f in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                desc = f.get("/FontDescriptor")
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if desc is not None and key in desc.get_object():
                        found.add(desc.get_object().raw_get(key).idnum)
    return found


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> list[Path]:
    """Three real LibreOffice PDFs of 1, 2 and 3 pages."""
    src = tmp_path_factory.mktemp("docx")
    docs = [make_docx(src / f"doc{n}.docx", n) for n in (1, 2, 3)]
    result = convert_to_pdf(docs, tmp_path_factory.mktemp("pdf"))
    return [result[d] for d in docs]


def test_pdfs_have_the_page_counts_asked_for(pdfs):
    assert [page_count(p) for p in pdfs] == [1, 2, 3]


def test_merge_gives_one_bookmark_per_document(pdfs, tmp_path):
    items = [("一号文件", pdfs[0]), ("二号文件", pdfs[1]), ("三号文件", pdfs[2])]
    assert merge_bundle(items, tmp_path / "b.pdf", INFO) == 6  # 1 + 2 + 3
    # starts: 0; 0 + 1 = 1; 1 + 2 = 3
    assert outline_starts(tmp_path / "b.pdf") == [("一号文件", 0), ("二号文件", 1), ("三号文件", 3)]


def test_duplex_starts_every_document_on_an_odd_page(pdfs, tmp_path):
    items = [("一", pdfs[0]), ("三", pdfs[2]), ("二", pdfs[1])]
    # 1 page + 1 blank = 2; 3 pages + 1 blank → 6; 2 pages → 8. Printed page numbers 1, 3, 7 (0-based 0, 2, 6).
    assert merge_bundle(items, tmp_path / "d.pdf", INFO, duplex=True) == 8
    assert outline_starts(tmp_path / "d.pdf") == [("一", 0), ("三", 2), ("二", 6)]
    with pdfplumber.open(tmp_path / "d.pdf") as pdf:
        blanks = [i for i, page in enumerate(pdf.pages) if not page.chars]
    assert blanks == [1, 5]


def test_identical_fonts_are_stored_once(pdfs, tmp_path):
    items = [(str(i), pdfs[1]) for i in range(10)]
    plain = PdfWriter()
    for title, pdf in items:
        plain.append(pdf, outline_item=title)
    make_pdfa(plain, PdfReader(pdfs[1]), INFO)  # the same PDF/A parts (an 8.5 kB ICC profile) as the bundle
    plain.write(tmp_path / "plain.pdf")
    merge_bundle(items, tmp_path / "dedup.pdf", INFO)
    plain_size, dedup_size = (tmp_path / "plain.pdf").stat().st_size, (tmp_path / "dedup.pdf").stat().st_size
    # Ten copies of one font subset become one: at least half the bytes go (measured 75.5 kB → 27.6 kB).
    assert dedup_size < plain_size / 2, (plain_size, dedup_size)
    assert len(font_files(tmp_path / "dedup.pdf")) == len(font_files(pdfs[1]))
    assert len(font_files(tmp_path / "plain.pdf")) == 10 * len(font_files(pdfs[1]))


def test_split_undoes_merge(pdfs, tmp_path):
    merged = tmp_path / "m.pdf"
    merge_bundle([("甲", pdfs[2]), ("乙", pdfs[0]), ("丙", pdfs[1])], merged, INFO)
    starts = [page for _, page in outline_starts(merged)]  # [0, 3, 4]
    ranges = list(zip(starts, starts[1:] + [page_count(merged)]))  # [(0, 3), (3, 4), (4, 6)]
    assert ranges == [(0, 3), (3, 4), (4, 6)]
    dests = [tmp_path / f"part{i}.pdf" for i in range(3)]
    split_pdf(merged, ranges, dests, ["甲", "乙", "丙"])
    for part, original in zip(dests, [pdfs[2], pdfs[0], pdfs[1]]):
        with pdfplumber.open(part) as a, pdfplumber.open(original) as b:
            assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]


def test_split_refuses_a_range_outside_the_document(pdfs, tmp_path):
    with pytest.raises(ValueError, match="outside"):
        split_pdf(pdfs[1], [(1, 3)], [tmp_path / "x.pdf"], ["x"])
    assert not (tmp_path / "x.pdf").exists()


def test_failed_write_leaves_the_previous_bundle(pdfs, tmp_path, monkeypatch):
    dest = tmp_path / "b.pdf"
    merge_bundle([("一", pdfs[0])], dest, INFO)
    before = dest.read_bytes()

    real_fdopen = os.fdopen

    class DiskFull:  # the disk fills up halfway through the bundle
        def __init__(self, fd, mode):
            self.fh = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(bytes(data)[:len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", DiskFull)
    with pytest.raises(OSError):
        merge_bundle([("一", pdfs[0]), ("二", pdfs[1])], dest, INFO)
    assert dest.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["b.pdf"]  # the half-written temporary file is gone
