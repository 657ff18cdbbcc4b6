"""Replace some members' pages of a bundle by appending an incremental update (ISO 32000-1 7.5.6).

A clerk's one-row fix changes one paper of the 归档, which holds every paper of the campaign (2,774 pages at
seed 1's scale). Merging it whole again, or pypdf's own incremental mode, reads every object of the old
file; here only what changes is read and written: the new member's pages with what they use, the page tree's
root, the member's bookmark, the Info dictionary and the XMP metadata (PDF/A-2b 6.6: both say when the file
was modified), then a cross-reference stream pointing back at the old one. The old bytes stay as they are.
"""
from __future__ import annotations

import io
import re
import secrets
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject, IndirectObject,
                           NameObject, NumberObject, PdfObject, TextStringObject)

from pipeline.engine import pdfium
from pipeline.engine.pdfa import PRODUCER, DocumentInfo, xmp_packet

STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


class NotUpdatable(Exception):
    """The old file is not one this module can update (the caller merges the bundle whole)."""


def _outline_chain(reader: PdfReader) -> list[tuple[IndirectObject, DictionaryObject]]:
    """The top-level bookmarks as (reference, dictionary), in order."""
    outlines = reader.trailer["/Root"].get("/Outlines")
    if outlines is None:
        return []
    chain = []
    ref = outlines.get_object().raw_get("/First") if "/First" in outlines.get_object() else None
    while ref is not None:
        item = ref.get_object()
        if "/First" in item:  # a member's own bookmarks nested under its title
            raise NotUpdatable("nested bookmarks")
        chain.append((ref, item))
        ref = item.raw_get("/Next") if "/Next" in item else None
    return chain


def _rebind(obj: PdfObject, owner: PdfWriter, numbers: dict[int, int], seen: set[int]) -> None:
    """Renumber, in place, every reference to one of owner's objects inside obj (a direct object)."""
    if isinstance(obj, IndirectObject):
        if obj.pdf is owner and id(obj) not in seen:
            seen.add(id(obj))
            obj.idnum = numbers[obj.idnum]
        return
    if isinstance(obj, DictionaryObject):
        for value in list(dict.values(obj)):
            _rebind(value, owner, numbers, seen)
    elif isinstance(obj, ArrayObject):
        for value in list(obj):
            _rebind(value, owner, numbers, seen)


def _reachable(roots: Sequence[IndirectObject], owner: PdfWriter) -> list[int]:
    """owner's object numbers reachable from roots, in the order found."""
    found: list[int] = []
    known: set[int] = set()
    todo = [r.idnum for r in roots]
    while todo:
        num = todo.pop()
        if num in known:
            continue
        known.add(num)
        found.append(num)
        stack = [owner.get_object(num)]
        while stack:
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                if obj.pdf is owner and obj.idnum not in known:
                    todo.append(obj.idnum)
            elif isinstance(obj, DictionaryObject):
                stack.extend(dict.values(obj))
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
    return found


def update(old: Path, members: Sequence[Path], starts: Sequence[int], changed: set[int], info: DocumentInfo, *,
           duplex: bool) -> tuple[bytes, int]:
    """old's bytes with the members at the `changed` indices replaced by the PDFs in `members` (starts: each
    member's first page in old), and the new page count; NotUpdatable when old's layout is not ours."""
    data = old.read_bytes()
    last = STARTXREF.search(data[-64:])
    if last is None:
        raise NotUpdatable("no startxref at the end")
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    pages_ref = root.raw_get("/Pages")
    tree = pages_ref.get_object()
    kids = list(tree["/Kids"].get_object())
    # PDFium counts the pages without pypdf's walk of every page object; a flat tree has one kid per page.
    total = pdfium.page_count(old)
    if len(kids) != total or not isinstance(pages_ref, IndirectObject):
        raise NotUpdatable("the page tree is not flat")
    chain = _outline_chain(reader)
    if len(chain) != len(members):
        raise NotUpdatable("bookmarks do not match the members")
    meta_ref, info_ref = root.raw_get("/Metadata"), reader.trailer.raw_get("/Info")
    if not isinstance(meta_ref, IndirectObject) or not isinstance(info_ref, IndirectObject):
        raise NotUpdatable("metadata or Info is not an indirect object")

    # The new members' pages are cloned into a scratch writer, then renumbered after the old file's objects.
    scratch = PdfWriter()
    bounds = [*starts, total]
    new_kids: list[IndirectObject] = []
    first_page: dict[int, int] = {}
    added: list[IndirectObject] = []
    for i in range(len(members)):
        if i not in changed:
            new_kids.extend(kids[bounds[i]:bounds[i + 1]])
            continue
        member = PdfReader(members[i])
        if member.outline:
            raise NotUpdatable("a member has bookmarks of its own")
        first_page[i] = len(new_kids)
        pages = [scratch.add_page(page) for page in member.pages]
        if duplex and len(pages) % 2:  # two-sided printing: the next member starts on a recto page
            box = member.pages[-1].mediabox
            pages.append(scratch.add_blank_page(box.width, box.height))
        for page in pages:
            page[NameObject("/Parent")] = pages_ref
            added.append(page.indirect_reference)
            new_kids.append(page.indirect_reference)
    base = int(reader.trailer["/Size"])
    order = _reachable(added, scratch)
    numbers = {num: base + k for k, num in enumerate(order)}
    seen: set[int] = set()
    for num in order:
        _rebind(scratch.get_object(num), scratch, numbers, seen)
    for ref in new_kids:
        _rebind(ref, scratch, numbers, seen)
    objects: list[tuple[int, PdfObject]] = [(numbers[num], scratch.get_object(num)) for num in order]

    # The old objects that change keep their numbers; the new revision's definition wins (7.5.6).
    tree_copy = DictionaryObject({k: v for k, v in dict.items(tree) if k not in ("/Kids", "/Count")})
    tree_copy[NameObject("/Kids")] = ArrayObject(new_kids)
    tree_copy[NameObject("/Count")] = NumberObject(len(new_kids))
    objects.append((pages_ref.idnum, tree_copy))
    for i, start in first_page.items():
        ref, item = chain[i]
        copy = DictionaryObject({k: v for k, v in dict.items(item) if k not in ("/A", "/Dest")})
        copy[NameObject("/A")] = DictionaryObject({
            NameObject("/S"): NameObject("/GoTo"), NameObject("/D"): ArrayObject([new_kids[start], NameObject("/Fit")])})
        objects.append((ref.idnum, copy))
    old_info = info_ref.get_object()
    new_info = DictionaryObject({k: v for k, v in dict.items(old_info)})
    for key, value in (("/Title", info.title), ("/Author", info.author), ("/Producer", PRODUCER),
                       ("/CreationDate", info.pdf_date()), ("/ModDate", info.pdf_date())):
        new_info[NameObject(key)] = TextStringObject(value)
    objects.append((info_ref.idnum, new_info))
    meta = DecodedStreamObject()
    meta.set_data(xmp_packet(info))
    meta.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    objects.append((meta_ref.idnum, meta))

    out = io.BytesIO()
    out.write(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, int] = {}
    for num, obj in objects:
        offsets[num] = out.tell()
        out.write(f"{num} 0 obj\n".encode())
        obj.write_to_stream(out)
        out.write(b"\nendobj\n")
    _write_xref(out, offsets, base + len(order), reader, root, info_ref, int(last[1]))
    return out.getvalue(), len(new_kids)


def _write_xref(out: io.BytesIO, offsets: dict[int, int], xref_num: int, reader: PdfReader, root, info_ref,
                prev: int) -> None:
    """A cross-reference stream for the new revision (7.5.8), listing itself too, pointing back at the old one."""
    offsets = {**offsets, xref_num: out.tell()}
    nums = sorted(offsets)
    index: list[int] = []
    for num in nums:  # runs of consecutive numbers
        if index and index[-2] + index[-1] == num:
            index[-1] += 1
        else:
            index += [num, 1]
    rows = b"".join(b"\x01" + offsets[num].to_bytes(4, "big") + b"\x00\x00" for num in nums)
    ids = reader.trailer.get("/ID")
    first = ids[0] if ids else ByteStringObject(secrets.token_bytes(16))
    first = first.original_bytes if isinstance(first, TextStringObject) else bytes(first)  # the file's identity
    xref = DecodedStreamObject()
    xref.set_data(rows)
    xref.update({
        NameObject("/Type"): NameObject("/XRef"), NameObject("/Size"): NumberObject(xref_num + 1),
        NameObject("/Root"): reader.trailer.raw_get("/Root"), NameObject("/Info"): info_ref,
        NameObject("/Prev"): NumberObject(prev),
        NameObject("/ID"): ArrayObject([ByteStringObject(first), ByteStringObject(secrets.token_bytes(16))]),
        NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(4), NumberObject(2)]),
        NameObject("/Index"): ArrayObject([NumberObject(v) for v in index]),
    })
    start = offsets[xref_num]
    out.write(f"{xref_num} 0 obj\n".encode())
    xref.write_to_stream(out)
    out.write(f"\nendobj\nstartxref\n{start}\n%%EOF\n".encode())
