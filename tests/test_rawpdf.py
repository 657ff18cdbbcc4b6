"""Pages copied as bytes (pipeline/engine/rawpdf.py) print the same as pypdf's copy of them; what rawpdf does not
copy exactly (pages inheriting from the page tree are copied; annotations, a member's own bookmarks and reference
cycles are not) goes to pypdf and still gives the right paper."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import DictionaryObject, NameObject

from pipeline.engine import bundle, rawpdf
from pipeline.engine.bundle import assemble, merge_bundle, outline_starts, split_pdf
from pipeline.engine.pdf_check import pdf_pages_text
from tests.pdfa_check import findings
from tests.test_bundle import INFO, font_files, pdfs  # noqa: F401  (pdfs: three LibreOffice PDFs, 1–3 pages)


def pixels(pdf: Path, tmp: Path) -> list[bytes]:
    """Each page rendered by poppler at 40 dpi in grey: what a person sees, byte for byte."""
    out = tmp / f"{pdf.stem}-img"
    out.mkdir()
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(out / "p")], check=True)
    return [p.read_bytes() for p in sorted(out.iterdir())]


def no_pypdf(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("copied with pypdf, not as bytes")

    monkeypatch.setattr(bundle, "_assemble_pypdf", refuse)


# --- the parts of a dictionary, without LibreOffice ---

def test_references_inside_strings_are_text_not_references():
    head = rb"<</A 1 0 R/T(see 2 0 R (nested 3 0 R) \) 4 0 R)/B[5 0 R 6 0 R]/F1 7 0 R>>"
    assert rawpdf.refs(head) == [1, 5, 6, 7]
    assert rawpdf.renumber(head, {1: 11, 5: 15, 6: 16, 7: 17}) == (
        rb"<</A 11 0 R/T(see 2 0 R (nested 3 0 R) \) 4 0 R)/B[15 0 R 16 0 R]/F1 17 0 R>>")


def test_a_generation_other_than_zero_is_not_copied_as_bytes():
    with pytest.raises(rawpdf.Unsupported):
        rawpdf.refs(b"<</A 1 2 R>>")


def test_value_of_reads_only_the_top_level_keys():
    head = b"<</Type/Page/Kids[1 0 R 2 0 R]/Sub<</MediaBox 3 0 R>>/N 5/H<41>/S(a>>b)/R 9 0 R>>"
    assert rawpdf.value_of(head, b"/Type") == b"/Page"
    assert rawpdf.value_of(head, b"/Kids") == b"[1 0 R 2 0 R]"
    assert rawpdf.value_of(head, b"/Sub") == b"<</MediaBox 3 0 R>>"
    assert rawpdf.value_of(head, b"/N") == b"5"
    assert rawpdf.value_of(head, b"/H") == b"<41>"
    assert rawpdf.value_of(head, b"/S") == b"(a>>b)"
    assert rawpdf.value_of(head, b"/R") == b"9 0 R"
    assert rawpdf.value_of(head, b"/MediaBox") is None  # only inside /Sub


def test_text_strings_round_trip():
    for text in ["临江镇", "Plain (ASCII) \\ text", "D:20260620093000+08'00'"]:
        assert rawpdf.decode_text(rawpdf.text_string(text)) == text


# --- real LibreOffice PDFs ---

pytestmark_lo = pytest.mark.integration


@pytestmark_lo
def test_a_bundle_copied_as_bytes_prints_as_pypdfs_copy(pdfs, tmp_path, monkeypatch):  # noqa: F811
    parts = [("甲", pdfs[2], 0, None), ("乙", pdfs[0], 0, None), ("丙", pdfs[1], 0, None)]
    expected = tmp_path / "pypdf.pdf"
    assert bundle._assemble_pypdf(parts, expected, INFO, True, PdfReader) == 8  # 3 + blank, 1 + blank, 2
    no_pypdf(monkeypatch)
    made = tmp_path / "raw.pdf"
    assert assemble(parts, made, INFO, duplex=True) == 8
    assert pixels(made, tmp_path) == pixels(expected, tmp_path)
    assert pdf_pages_text(made) == pdf_pages_text(expected)
    assert outline_starts(made) == outline_starts(expected) == [("甲", 0), ("乙", 4), ("丙", 6)]
    assert findings(made) == []
    # The members' font subsets are written once each, as pypdf's deduplication does.
    deduplicated = tmp_path / "dedup.pdf"
    merge_bundle([(str(i), pdfs[1]) for i in range(5)], deduplicated, INFO)
    assert len(font_files(deduplicated)) == len(font_files(pdfs[1]))


@pytestmark_lo
def test_papers_split_as_bytes_print_as_their_own_conversion(pdfs, tmp_path, monkeypatch):  # noqa: F811
    merged = tmp_path / "m.pdf"
    merge_bundle([("甲", pdfs[2]), ("乙", pdfs[1])], merged, INFO)
    no_pypdf(monkeypatch)
    dests = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    split_pdf(merged, [(0, 3), (3, 5)], dests, ["评分表 甲", "评分表 乙"])
    for dest, original in zip(dests, [pdfs[2], pdfs[1]]):
        assert pixels(dest, tmp_path) == pixels(original, tmp_path)
        assert findings(dest) == []
    assert PdfReader(dests[1]).metadata.title == "评分表 乙"
    assert PdfReader(dests[1]).metadata.author == PdfReader(merged).metadata.author


@pytestmark_lo
def test_pages_inheriting_size_and_fonts_from_the_page_tree_keep_them(pdfs, tmp_path, monkeypatch):  # noqa: F811
    # ISO 32000-1 7.7.3.4: a page without /Resources or /MediaBox takes its page tree node's.
    writer = PdfWriter(clone_from=pdfs[1])
    tree = writer.root_object["/Pages"].get_object()
    for key in ("/Resources", "/MediaBox"):
        tree[NameObject(key)] = writer.pages[0][key]
        for page in writer.pages:
            del page[key]
    inheriting = tmp_path / "inheriting.pdf"
    writer.write(inheriting)
    assert rawpdf.Source(inheriting).inherited  # the case under test: the pages really inherit
    no_pypdf(monkeypatch)
    dest = tmp_path / "split.pdf"
    split_pdf(inheriting, [(0, 2)], [dest], ["二页"])
    assert pixels(dest, tmp_path) == pixels(pdfs[1], tmp_path)
    assert pdf_pages_text(dest) == pdf_pages_text(pdfs[1])


def _assert_goes_to_pypdf(parts, tmp_path) -> Path:
    with pytest.raises(rawpdf.Unsupported):
        bundle._assemble_raw(parts, INFO, False, rawpdf.Source)
    dest = tmp_path / "out.pdf"
    assemble(parts, dest, INFO)
    assert findings(dest) == []
    return dest


@pytestmark_lo
def test_a_page_with_a_link_is_copied_by_pypdf_link_and_all(pdfs, tmp_path):  # noqa: F811
    writer = PdfWriter(clone_from=pdfs[0])
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://example.org/"))
    linked = tmp_path / "linked.pdf"
    writer.write(linked)
    dest = _assert_goes_to_pypdf([(None, linked, 0, None)], tmp_path)
    assert len(PdfReader(dest).pages[0]["/Annots"]) == 1
    assert pdf_pages_text(dest) == pdf_pages_text(pdfs[0])


@pytestmark_lo
def test_a_members_own_bookmarks_nest_under_its_title(pdfs, tmp_path):  # noqa: F811
    writer = PdfWriter(clone_from=pdfs[1])
    writer.add_outline_item(title="第二页", page_number=1)
    marked = tmp_path / "marked.pdf"
    writer.write(marked)
    dest = _assert_goes_to_pypdf([("甲", marked, 0, None), ("乙", pdfs[0], 0, None)], tmp_path)
    outline = PdfReader(dest).outline
    assert [item.title for item in outline if not isinstance(item, list)] == ["甲", "乙"]
    assert [child.title for child in outline[1]] == ["第二页"]


@pytestmark_lo
def test_a_reference_cycle_is_copied_by_pypdf(pdfs, tmp_path):  # noqa: F811
    writer = PdfWriter(clone_from=pdfs[0])
    loop = DictionaryObject()
    ref = writer._add_object(loop)
    loop[NameObject("/Self")] = ref
    writer.pages[0][NameObject("/PieceInfo")] = ref
    looped = tmp_path / "looped.pdf"
    writer.write(looped)
    dest = _assert_goes_to_pypdf([(None, looped, 0, None)], tmp_path)
    assert pixels(dest, tmp_path) == pixels(pdfs[0], tmp_path)
