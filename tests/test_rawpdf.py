"""Pages copied as bytes (pipeline/engine/rawpdf.py) print the same as pypdf's copy of them; what rawpdf does not
copy exactly (pages inheriting from the page tree are copied; annotations, a member's own bookmarks and reference
cycles are not) goes to pypdf and still gives the right paper."""
from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

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


# --- inputs that once came out wrong instead of going to pypdf ---

def hand_made_pdf(path: Path, objects: dict[int, bytes], after: dict[int, bytes] | None = None,
                  free: Sequence[int] = (), info: int | None = None) -> Path:
    """A one-revision PDF with a classic table: objects by number (1 the catalog); after[n]: raw bytes written
    after object n (not in the table); free: numbers listed as free."""
    data, offsets = b"%PDF-1.6\n", {}
    for num in sorted(objects):
        offsets[num] = len(data)
        data += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num]) + (after or {}).get(num, b"")
    size = max([*objects, *free]) + 1
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % size
    data += b"".join(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 00001 f \n"
                     for n in range(1, size))
    data += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size, b"/Info %d 0 R" % info if info else b"", xref)
    path.write_bytes(data)
    return path


def one_page(**replace: bytes) -> dict[int, bytes]:
    text = b"BT /F1 24 Tf 20 150 Td (Hello) Tj ET"
    objects = {1: b"<</Type/Catalog/Pages 2 0 R>>", 2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 300]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
               4: b"<</Length %d>>\nstream\n%s\nendstream" % (len(text), text),
               5: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding 6 0 R>>",
               6: b"<</Type/Encoding/Differences[72/H]>>"}
    objects.update({int(key[1:]): value for key, value in replace.items()})
    return objects


def copy_page(pdf: Path) -> None:
    rawpdf.Writer().add_page(rawpdf.Source(pdf), 0)


def test_a_comment_inside_a_copied_object_is_not_copied_as_bytes(tmp_path):
    # 7.2.4: a comment may hold "(" and ")", so "6 0 R" between them would be taken for text and not renumbered.
    font = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica % (\n/Encoding 6 0 R % )\n>>"
    with pytest.raises(rawpdf.Unsupported):
        copy_page(hand_made_pdf(tmp_path / "c.pdf", one_page(_5=font)))
    with pytest.raises(rawpdf.Unsupported):
        rawpdf.refs(b"<</A 1 0 R % was 2 0 R\n>>")


def test_an_object_not_in_the_table_is_not_copied_inside_the_one_before_it(tmp_path):
    # A free entry's object still in the file: its bytes sat between the page and the next object in the table,
    # were copied as part of the page, and took the page's new /Parent.
    stray = {3: b"7 0 obj\n<</Old 5 0 R>>\nendobj\n", 4: b"7 0 obj\n<</Old 1 0 R>>\nendobj\n"}
    for num, junk in stray.items():
        pdf = hand_made_pdf(tmp_path / f"free{num}.pdf", one_page(), after={num: junk}, free=[7])
        with pytest.raises(rawpdf.Unsupported):
            copy_page(pdf)


def test_a_stream_is_copied_only_when_its_data_is_its_length(tmp_path):
    data = b"(endobj endstream) Tj\nendstream\nendobj"  # the keywords inside the data are data
    pdf = hand_made_pdf(tmp_path / "s.pdf", one_page(_4=b"<</Length 7 0 R>>\nstream\n%s\nendstream" % data,
                                                      _7=b"%d" % len(data)))
    assert rawpdf.Source(pdf).parts(4)[1] == b"stream\n%s\nendstream" % data
    wrong = hand_made_pdf(tmp_path / "w.pdf", one_page(_4=b"<</Length 5>>\nstream\n%s\nendstream" % data))
    with pytest.raises(rawpdf.Unsupported):
        rawpdf.Source(wrong).parts(4)


def test_an_author_given_by_reference_is_read_as_its_text(tmp_path):
    objects = {**one_page(), 8: b"<</Author 9 0 R>>", 9: rawpdf.text_string("临江镇人民政府")}
    assert rawpdf.Source(hand_made_pdf(tmp_path / "a.pdf", objects, info=8)).author() == "临江镇人民政府"


@pytestmark_lo
def test_indirect_media_box_and_output_intents_are_written_as_references(pdfs, tmp_path, monkeypatch):  # noqa: F811
    # "/MediaBox%s" % b"7 0 R" wrote the name /MediaBox7: a blank page without a size, a catalog without an intent.
    writer = PdfWriter(clone_from=pdfs[0])
    writer.pages[0][NameObject("/MediaBox")] = writer._add_object(ArrayObject(writer.pages[0]["/MediaBox"]))
    root = writer.root_object
    root[NameObject("/OutputIntents")] = writer._add_object(ArrayObject(root["/OutputIntents"]))
    indirect = tmp_path / "indirect.pdf"
    writer.write(indirect)
    no_pypdf(monkeypatch)
    dest = tmp_path / "duplex.pdf"
    assert assemble([("甲", indirect, 0, None), ("乙", pdfs[1], 0, None)], dest, INFO, duplex=True) == 4
    reader = PdfReader(dest, strict=True)
    assert reader.pages[1].mediabox == reader.pages[0].mediabox
    assert len(reader.trailer["/Root"]["/OutputIntents"]) == 1
    assert findings(dest) == []
