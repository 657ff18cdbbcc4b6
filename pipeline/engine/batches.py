"""A batch of papers (every 报名登记表, every 评分表) as one document: merge, convert once, split.

Measured here (README.md, "How it is fast"): LibreOffice's cost is per document, not per page, so one
merged document converts several times faster than its members one by one. Each member becomes its own section, restarts its
page numbers at 1 and has its first paragraph marked as an outline heading; LibreOffice exports those
headings as PDF bookmarks, which give the page where each member starts.
"""
from __future__ import annotations

import io
import re
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from typing import Sequence

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
DOCUMENT_XML = "word/document.xml"


def _w(tag: str) -> str:
    return _W + tag


@dataclass(frozen=True)
class Member:
    """One document of a merged batch: its first paragraph's text (the bookmark title expected)."""

    title: str


def _body(blob: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        root = etree.fromstring(z.read(DOCUMENT_XML))
    return root


def first_paragraph_text(blob: bytes) -> str:
    """The text of the first body paragraph (the title every template starts with)."""
    body = _body(blob).find(_w("body"))
    p = body.find(_w("p"))
    return "".join(p.itertext()).strip() if p is not None else ""


def _mark_outline(p: etree._Element) -> None:
    """Make paragraph p a level-1 outline heading without changing how it looks."""
    ppr = p.find(_w("pPr"))
    if ppr is None:
        ppr = etree.SubElement(p, _w("pPr"))
        p.insert(0, ppr)
    for old in ppr.findall(_w("outlineLvl")):
        ppr.remove(old)
    lvl = etree.Element(_w("outlineLvl"))
    lvl.set(_w("val"), "0")
    # CT_PPrBase order: outlineLvl comes late, before divId/cnfStyle/rPr/sectPr/pPrChange.
    anchor = next((c for c in ppr if c.tag in {_w(t) for t in ("divId", "cnfStyle", "rPr", "sectPr", "pPrChange")}), None)
    if anchor is None:
        ppr.append(lvl)
    else:
        anchor.addprevious(lvl)


def _restart_numbering(sect: etree._Element) -> None:
    """Each member's page numbers start at 1, as they would in the member printed alone."""
    pg = sect.find(_w("pgNumType"))
    if pg is None:
        pg = etree.Element(_w("pgNumType"))
        # CT_SectPr order: ... pgSz, pgMar, paperSrc, pgBorders, lnNumType, pgNumType, cols ...
        anchor = next((c for c in sect if c.tag in {_w(t) for t in ("cols", "formProt", "vAlign", "noEndnote",
                                                                     "titlePg", "textDirection", "bidi", "rtlGutter",
                                                                     "docGrid", "printerSettings", "sectPrChange")}), None)
        if anchor is None:
            sect.append(pg)
        else:
            anchor.addprevious(pg)
    pg.set(_w("start"), "1")
    typ = sect.find(_w("type"))
    if typ is None:
        typ = etree.Element(_w("type"))
        sect.insert(0, typ)
    typ.set(_w("val"), "nextPage")


def _member_elements(blob: bytes) -> tuple[list[etree._Element], etree._Element]:
    body = _body(blob).find(_w("body"))
    children = list(body)
    sect = children[-1] if children and children[-1].tag == _w("sectPr") else None
    content = children[:-1] if sect is not None else children
    if sect is None:
        sect = etree.Element(_w("sectPr"))
    return content, sect


def _end_section(last: etree._Element, sect: etree._Element) -> etree._Element:
    """Close a member's section: the break lives in the pPr of its last paragraph (ECMA-376 17.6.17).

    Returns the paragraph that carries it: the last one, or a new empty one after a closing table.
    """
    carrier = last if last.tag == _w("p") else etree.Element(_w("p"))
    ppr = carrier.find(_w("pPr"))
    if ppr is None:
        ppr = etree.Element(_w("pPr"))
        carrier.insert(0, ppr)
    ppr.append(sect)
    return carrier


def merge_batch(blobs: Sequence[bytes]) -> bytes:
    """Merge DOCX files rendered from one template into one DOCX, one section per member.

    Members' XML is joined as serialised text: moving element trees between lxml documents costs
    seconds for large tables, writing them out costs milliseconds.
    """
    if not blobs:
        raise ValueError("nothing to merge")
    with zipfile.ZipFile(io.BytesIO(blobs[0])) as z:
        names = z.namelist()
        parts = {n: z.read(n) for n in names}
    root = etree.fromstring(parts[DOCUMENT_XML])
    body = root.find(_w("body"))
    for child in list(body):
        body.remove(child)
    body.append(etree.Comment("MERGE"))
    head, tail = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).split(b"<!--MERGE-->")
    pieces: list[bytes] = []
    for i, blob in enumerate(blobs):
        content, sect = _member_elements(blob)
        if not content or content[0].tag != _w("p"):
            raise ValueError("every template must start with a paragraph (its title)")
        _mark_outline(content[0])
        _restart_numbering(sect)
        if i < len(blobs) - 1:
            carrier = _end_section(content[-1], sect)
            if carrier is not content[-1]:
                content.append(carrier)
        else:
            content.append(sect)
        pieces.extend(etree.tostring(el) for el in content)
    parts[DOCUMENT_XML] = head + b"".join(pieces) + tail
    return _zip(names, parts)


def _zip(names: Sequence[str], parts: dict[str, bytes]) -> bytes:
    """A DOCX package of these parts, in this order, with fixed timestamps (same input, same bytes). Stored, not
    deflated: every package made here is read once by LibreOffice from the staging folder and never kept, and
    deflating a merged piece's XML costs more than LibreOffice saves reading it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for n in names:
            z.writestr(zipfile.ZipInfo(n, date_time=(2000, 1, 1, 0, 0, 0)), parts[n], compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def page_ranges(starts: Sequence[int], total_pages: int) -> list[tuple[int, int]]:
    """Turn the 0-based start page of each member into (first, last_exclusive) ranges."""
    ends = list(starts[1:]) + [total_pages]
    ranges = list(zip(starts, ends))
    if any(b <= a for a, b in ranges) or (starts and starts[0] != 0):
        raise ValueError(f"page map out of order: {list(starts)} of {total_pages}")
    return ranges


def match_members(outline: Sequence[tuple[str, int]], titles: Sequence[str]) -> list[int] | None:
    """Walk the PDF's bookmarks in order and pick, for each member title, the page where it starts."""
    starts: list[int] = []
    it = iter(outline)
    norm = lambda s: "".join(s.split())  # noqa: E731 - LibreOffice may fold spaces in bookmark titles
    for title in titles:
        for text, page in it:
            if norm(text) == norm(title) and (not starts or page > starts[-1]):
                starts.append(page)
                break
        else:
            return None
    return starts


# LibreOffice lays out one long table in time that grows faster than its rows (measured here, 7.4.7:
# 1,000 rows 16 s, 3,000 rows 162 s; a 民主测评表 of 6,391 candidates outlasted 886 s). Cut into tables of
# this many rows, each starting on a new page with its header rows repeated, the same rows lay out in
# time proportional to their number. Only the PDF is laid out this way; the DOCX keeps its one table.
MAX_TABLE_ROWS = 200
# Below this size a DOCX cannot hold a table of MAX_TABLE_ROWS rows: not worth parsing.
SPLIT_MIN_BYTES = 200_000


def _page_break_paragraph() -> etree._Element:
    """An empty 1 pt paragraph that starts a new page: tables need a paragraph between them."""
    p = etree.Element(_w("p"))
    ppr = etree.SubElement(p, _w("pPr"))
    etree.SubElement(ppr, _w("pageBreakBefore"))
    spacing = etree.SubElement(ppr, _w("spacing"))
    for key, value in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(_w(key), value)
    rpr = etree.SubElement(ppr, _w("rPr"))
    etree.SubElement(rpr, _w("sz")).set(_w("val"), "2")
    return p


def _split_table(tbl: etree._Element, max_rows: int) -> list[etree._Element]:
    """The table itself cut to its first max_rows body rows, then page breaks and tables of the rest."""
    rows = tbl.findall(_w("tr"))
    header = [r for r in rows if r.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None]
    header = rows[:len(header)] if header == rows[:len(header)] else []  # only leading header rows repeat
    body = rows[len(header):]
    out: list[etree._Element] = []
    for start in range(max_rows, len(body), max_rows):
        chunk = etree.Element(tbl.tag, tbl.attrib)
        for child in tbl:
            if child.tag != _w("tr"):
                chunk.append(deepcopy(child))
        for row in header:
            chunk.append(deepcopy(row))
        for row in body[start:start + max_rows]:
            chunk.append(row)  # moved out of the original table
        out += [_page_break_paragraph(), chunk]
    return out


# LibreOffice 7.4.7 sometimes drops table rows at a page break when a table repeats its header rows
# (w:tblHeader) and its rows may not break across pages (w:cantSplit). Measured on a synthetic township
# campaign's 资格审查结果公示 (600 applicants): rows 2–6 of one post's table vanished between pages 14 and
# 15, 98 characters; with rows free to break nothing was lost there or in two other seeds. Rows that may
# break look worse (a two-line row can be cut at a page end), so this is the second try only, for a paper
# the self-check (pipeline.engine.pdf_check) found text missing from.
_CANT_SPLIT = re.compile(rb'<w:cantSplit(?: w:val="(?:1|true|on)")?/>')


def for_layout(blob: bytes, *, free_rows: bool = False) -> bytes:
    """The DOCX as LibreOffice should lay it out: long tables cut, and (free_rows) rows free to break where
    headers repeat. Only the PDF is made from this; the DOCX a clerk opens keeps the template's tables."""
    blob = split_long_tables(blob)
    if not free_rows:
        return blob
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        xml = z.read(DOCUMENT_XML)
        if b"<w:tblHeader/>" not in xml or not _CANT_SPLIT.search(xml):
            return blob
        names = z.namelist()
        parts = {n: z.read(n) for n in names}
    parts[DOCUMENT_XML] = _CANT_SPLIT.sub(b"", xml)
    return _zip(names, parts)


def split_long_tables(blob: bytes, max_rows: int = MAX_TABLE_ROWS) -> bytes:
    """The DOCX with each top-level table longer than max_rows body rows cut into page-long pieces."""
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        if z.getinfo(DOCUMENT_XML).file_size < SPLIT_MIN_BYTES:
            return blob
        names = z.namelist()
        parts = {n: z.read(n) for n in names}
    root = etree.fromstring(parts[DOCUMENT_XML])
    body = root.find(_w("body"))
    changed = False
    for tbl in body.findall(_w("tbl")):
        anchor = tbl
        for el in _split_table(tbl, max_rows):
            anchor.addnext(el)
            anchor, changed = el, True
    if not changed:
        return blob
    parts[DOCUMENT_XML] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _zip(names, parts)
