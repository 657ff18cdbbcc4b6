"""A family of papers (every 报名登记表, every 评分表) as one document: merge, convert once, split.

FINDINGS.md: LibreOffice's cost is per document, not per page, so one merged document converts
several times faster than its members one by one. Each member becomes its own section, restarts its
page numbers at 1 and has its first paragraph marked as an outline heading; LibreOffice exports those
headings as PDF bookmarks, which give the page where each member starts.
"""
from __future__ import annotations

import io
import zipfile
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
    """One document of a merged family: its first paragraph's text (the bookmark title expected)."""

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


def merge_family(blobs: Sequence[bytes]) -> bytes:
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
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr(zipfile.ZipInfo(n, date_time=(2000, 1, 1, 0, 0, 0)), parts[n], compress_type=zipfile.ZIP_DEFLATED)
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
