"""Papers whose body is the same for many recipients, laid out once and personalised per recipient.

Every judge's 评分表 lists the same candidates in the same order; only the line naming the judge differs, and it
stands above the table. LibreOffice's cost for a long table is per page (README.md, "How it is fast"), so
converting the sheet of every judge lays the same pages out once per judge. Here one member (the prototype)
is converted whole; every other member is cut to its opening (everything up to the table, and the table's
first rows, enough to fill the first page), those openings are converted together, and each member's PDF is
its own first page followed by the prototype's other pages.

Nothing is assumed about the template a clerk may edit: a family is personalised only when the rendered
documents differ nowhere but before their first long table (headers, footers and every other part equal),
and a member's first page is used only when its text is the prototype's first page with the member's own
opening in place of the prototype's; any other member is converted whole. The assembled PDF is then checked
against the member's DOCX like every other paper (pipeline/engine/pdf_check.py).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Sequence

from lxml import etree

from pipeline.engine.batches import DOCUMENT_XML, _w, _zip

# Parts that name the paper itself (title, dates): they may differ between members; the PDF's own metadata
# is written by pipeline/engine/pdfa.py from the paper's title, not from these.
OWN_PARTS = ("docProps/core.xml", "docProps/app.xml")
# Rows of the table kept beyond those the prototype's first page holds: the first page of an opening must
# never be its last, or it could hold the notes below the table where the whole paper has a row.
SPARE_ROWS = 2


@dataclass(frozen=True)
class Family:
    """How the members of a family differ: body elements before `table` (its index among the body's
    children) vary; `varying` are the indices that do; the table and all after it are the same for all."""

    table: int
    varying: tuple[int, ...]


def _parts(blob: bytes) -> tuple[list[str], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        names = z.namelist()
        return names, {n: z.read(n) for n in names}


def _children(xml: bytes) -> list[bytes]:
    body = etree.fromstring(xml).find(_w("body"))
    return [etree.tostring(child) for child in body]


def family(blobs: Sequence[bytes]) -> Family | None:
    """The members' shared layout, or None when they differ anywhere but before a table they all share."""
    if len(blobs) < 2:
        return None
    names, first = _parts(blobs[0])
    proto = _children(first[DOCUMENT_XML])
    varying: set[int] = set()
    for blob in blobs[1:]:
        other_names, other = _parts(blob)
        if other_names != names or any(other[n] != first[n] for n in names if n not in OWN_PARTS + (DOCUMENT_XML,)):
            return None  # a header, a footer or a style names the recipient: every page may differ
        children = _children(other[DOCUMENT_XML])
        if len(children) != len(proto):
            return None
        varying |= {i for i, (a, b) in enumerate(zip(proto, children)) if a != b}
    if not varying:
        return None  # the same paper many times: nothing to personalise, convert as usual
    table = next((i for i in range(max(varying) + 1, len(proto)) if _is_table(proto[i])), None)
    if table is None:
        return None
    return Family(table=table, varying=tuple(sorted(varying)))


def _is_table(element_xml: bytes) -> bool:
    return etree.fromstring(element_xml).tag == _w("tbl")


def element_text(blob: bytes, indices: Sequence[int]) -> str:
    """The text of the body elements at these indices, whitespace removed (to find them on a page)."""
    body = etree.fromstring(_parts(blob)[1][DOCUMENT_XML]).find(_w("body"))
    children = list(body)
    return compact("".join("".join(t.text or "" for t in children[i].iter(_w("t"))) for i in indices))


def row_texts(blob: bytes, fam: Family) -> list[str]:
    """The text of each body row (header rows aside) of the family's table, whitespace removed."""
    tbl = list(etree.fromstring(_parts(blob)[1][DOCUMENT_XML]).find(_w("body")))[fam.table]
    return [compact("".join(t.text or "" for t in row.iter(_w("t")))) for row in _body_rows(tbl)]


def _body_rows(tbl: etree._Element) -> list[etree._Element]:
    rows = tbl.findall(_w("tr"))
    n = 0
    while n < len(rows) and rows[n].find(f"{_w('trPr')}/{_w('tblHeader')}") is not None:
        n += 1
    return rows[n:]


def rows_on_page(first_page_text: str, rows: Sequence[str]) -> int:
    """How many leading rows of the table the page shows (each row's text found on it, in order)."""
    page = compact(first_page_text)
    at = 0
    for n, row in enumerate(rows):
        found = page.find(row, at) if row else at
        if found < 0:
            return n
        at = found + len(row)
    return len(rows)


def opening(blob: bytes, fam: Family, rows: int) -> bytes:
    """The member cut to its opening: the body up to the table, the table's header and first `rows` rows."""
    names, parts = _parts(blob)
    root = etree.fromstring(parts[DOCUMENT_XML])
    body = root.find(_w("body"))
    children = list(body)
    for i, child in enumerate(children):
        if i > fam.table and child.tag != _w("sectPr"):
            body.remove(child)
    tbl = children[fam.table]
    for row in _body_rows(tbl)[rows + SPARE_ROWS:]:
        tbl.remove(row)
    parts[DOCUMENT_XML] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _zip(names, parts)


def compact(text: str) -> str:
    return "".join(text.split())


def same_first_page(member_page: str, member_opening: str, proto_page: str, proto_opening: str) -> bool:
    """Whether a member's first page is the prototype's with the member's own opening in place of its."""
    mine, theirs = compact(member_page), compact(proto_page)
    if member_opening not in mine or proto_opening not in theirs:
        return False
    return mine.replace(member_opening, "", 1) == theirs.replace(proto_opening, "", 1)
