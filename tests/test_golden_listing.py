"""The golden listing reads what a reader sees, and says so when a file holds text where it does not look.

Small hand-made files, expected listings written out by hand (no LibreOffice here: tests/test_golden_sample.py
builds the sample).
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pypdf
import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml

from tests.golden import docx_text, listing, read_listing, write_listing

NAMESPACES = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
              'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
              'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
              'xmlns:v="urn:schemas-microsoft-com:vml"')

# A text box as Word writes it: the box's text once for new readers (mc:Choice) and again for old ones (mc:Fallback).
TEXT_BOX = f"""<w:p {NAMESPACES}><w:r><w:t>框外</w:t></w:r><w:r><mc:AlternateContent>
  <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>
    <w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
    <w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r></w:p>"""

CONTENT_CONTROL = f"<w:sdt {NAMESPACES}><w:sdtContent><w:p><w:r><w:t>控件内</w:t></w:r></w:p></w:sdtContent></w:sdt>"


def paper(path: Path) -> Path:
    document = Document()
    document.sections[0].header.paragraphs[0].text = "页眉"
    first = document.add_paragraph("甲")
    first.add_run("\t乙")
    first.add_run().add_break()
    first.add_run("丙")
    first.add_run().add_break(WD_BREAK.PAGE)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "林振华"
    table.cell(1, 0).paragraphs[0].text = "第一段"
    table.cell(1, 0).add_paragraph("第二段")
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "里"
    inner.cell(0, 1).text = "表"
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(TEXT_BOX))
    body.insert(len(body) - 1, parse_xml(CONTENT_CONTROL))
    document.save(path)
    return path


def test_a_docx_reads_in_document_order_with_tables_text_boxes_and_headers(tmp_path: Path) -> None:
    assert docx_text(paper(tmp_path / "纸.docx")) == (
        "== body ==\n"
        "甲⇥乙↵丙[page break]\n"
        "| 姓名 | 林振华 |\n"
        "| 第一段¶第二段 | ¶| 里 | 表 |¶ |\n"  # python-docx puts the nested table after an empty paragraph
        "框外\n"
        "[text box] 框内\n"
        "控件内\n"
        "== header default ==\n"
        "页眉\n")


def rewritten(path: Path, name: str, change) -> Path:
    """A copy of the DOCX with one part changed (or added) by `change(old_bytes_or_None) -> bytes`."""
    copy = path.with_name("改" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        target.writestr(name, change(source.read(name) if name in source.namelist() else None))
    return copy


def test_text_outside_paragraphs_and_tables_is_not_silently_dropped(tmp_path: Path) -> None:
    stray = rewritten(paper(tmp_path / "纸.docx"), "word/document.xml",
                      lambda xml: xml.replace(b"<w:body>", b"<w:body><w:r><w:t>\xe6\xbc\x8f</w:t></w:r>", 1))
    with pytest.raises(ValueError, match="1 w:t elements lie outside paragraphs and tables"):
        docx_text(stray)


def test_text_in_a_part_the_listing_does_not_read_is_named(tmp_path: Path) -> None:
    footnotes = f"<w:footnotes {NAMESPACES}><w:footnote><w:p><w:r><w:t>脚注</w:t></w:r></w:p></w:footnote></w:footnotes>"
    with_notes = rewritten(paper(tmp_path / "纸.docx"), "word/footnotes.xml", lambda _: footnotes.encode())
    with pytest.raises(ValueError, match="word/footnotes.xml"):
        docx_text(with_notes)


def out_folder(out: Path) -> Path:
    (out / "bundles").mkdir(parents=True)
    paper(out / "纸.docx")
    (out / "表.csv").write_bytes("\ufeff序号,姓名\r\n01,林振华\r\n".encode())
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "成绩"
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"], sheet["C2"] = "姓名", "85", 85.5, "=ROUND(A2,0)", dt.date(2026, 6, 12)
    workbook.save(out / "成绩.xlsx")
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    parent = writer.add_outline_item(title="公示", page_number=0)
    writer.add_outline_item(title="任前公示", page_number=2, parent=parent)
    writer.write(out / "bundles" / "公示.pdf")
    (out / "manifest.json").write_text('{"sha256": "…"}')
    (out / ".journal").mkdir()
    (out / ".journal" / "moves.json").write_text("[]")
    (out / ".lock").write_text("pid 1")
    return out


def test_the_listing_covers_every_output_and_leaves_out_bookkeeping(tmp_path: Path) -> None:
    entries = listing(out_folder(tmp_path / "out"))
    assert sorted(entries) == ["bundles/公示.pdf", "成绩.xlsx", "纸.docx", "表.csv"]
    assert entries["bundles/公示.pdf"] == "pages: 3\n公示 … 1\n  任前公示 … 3\n"
    assert entries["表.csv"] == "[encoding utf-8, BOM; line ends CRLF]\n序号,姓名\n01,林振华\n"
    assert entries["成绩.xlsx"] == ("成绩!A1 = '姓名'\n成绩!B1 = '85'\n成绩!A2 = 85.5\n成绩!B2 = '=ROUND(A2,0)'\n"
                                  "成绩!C2 = datetime.datetime(2026, 6, 12, 0, 0)\n")


def test_the_committed_form_reads_back_as_the_listing(tmp_path: Path) -> None:
    entries = listing(out_folder(tmp_path / "out"))
    write_listing(entries, tmp_path / "golden")
    assert (tmp_path / "golden" / "INDEX.txt").read_text(encoding="utf-8") == (
        "bundles/公示.pdf\tpages: 3\n成绩.xlsx\n纸.docx\n表.csv\n")
    assert read_listing(tmp_path / "golden") == entries


def test_an_output_of_a_kind_the_listing_has_no_rule_for_stops_it(tmp_path: Path) -> None:
    out = out_folder(tmp_path / "out")
    (out / "说明.md").write_text("新文件")
    with pytest.raises(ValueError, match="说明.md: no rule for comparing a .md file"):
        listing(out)
