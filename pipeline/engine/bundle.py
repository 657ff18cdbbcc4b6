"""Merge PDFs into print bundles with bookmarks, and split a merged PDF back into documents."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from pipeline.engine.pdfa import DocumentInfo, make_pdfa


def write_atomic(pdf: PdfWriter | bytes, dest: Path) -> None:
    """Write a PDF (a writer, or its bytes) through a temporary file in the same folder, so dest is never
    half-written."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(pdf, bytes):
                fh.write(pdf)
            else:
                pdf.write(fh)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def merge_bundle(items: Sequence[tuple[str, Path]], dest: Path, info: DocumentInfo, *, duplex: bool = False,
                 readers: Callable[[Path], PdfReader] = PdfReader) -> int:
    """Merge (title, PDF/A pdf) items into dest, a PDF/A-2b document with info's title, author and date and
    one top-level bookmark per item; return the page count.

    readers opens a member: a build merging several bundles passes one that keeps a member read for the next
    bundle holding it (parsing a member's fonts is half of a merge's cost)."""
    writer = PdfWriter()
    for title, pdf in items:
        start = len(writer.pages)
        writer.append(readers(pdf), outline_item=title)  # the document's own bookmarks nest under its title
        if duplex and (len(writer.pages) - start) % 2:
            writer.add_blank_page()  # two-sided printing: the next document starts on a recto (odd) page
    make_pdfa(writer, readers(items[0][1]), info)
    # The same CJK font subsets recur in every document; keep one copy of each identical object.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    write_atomic(writer, dest)
    return len(writer.pages)


# A bundle updated in place keeps each replaced member's old pages in an earlier revision of the file (PDF
# incremental update, ISO 32000-1 7.5.6). After this many revisions it is written whole again, which drops them.
MAX_REVISIONS = 4


def revisions(pdf: Path) -> int:
    """How many times the file was written: one cross-reference section per revision."""
    return pdf.read_bytes().count(b"startxref")


def update_bundle(old: Path, items: Sequence[tuple[str, Path]], changed: Sequence[int], dest: Path,
                  info: DocumentInfo, *, duplex: bool = False) -> int | None:
    """Write dest as old with the members at the `changed` indices of items replaced by their new PDFs (an
    incremental update, pipeline/engine/increment.py: the other members' pages are not read or copied again);
    return the page count.

    None when old cannot be updated this way: its top-level bookmarks are not items' titles in order, a member
    there or here has bookmarks of its own, or the file has had MAX_REVISIONS revisions. The caller then merges
    the bundle whole (merge_bundle). The result equals merge_bundle's page for page and bookmark for bookmark.
    """
    from pipeline.engine.increment import NotUpdatable, update

    if revisions(old) >= MAX_REVISIONS:
        return None
    starts = outline_starts(old)
    if [title for title, _ in starts] != [title for title, _ in items] or any(p is None for _, p in starts):
        return None
    try:
        blob, pages = update(old, [pdf for _, pdf in items], [p for _, p in starts], set(changed), info, duplex=duplex)
    except NotUpdatable:
        return None
    write_atomic(blob, dest)
    return pages


def split_pdf(pdf: Path, ranges: Sequence[tuple[int, int]], dests: Sequence[Path], titles: Sequence[str]) -> None:
    """Write each 0-based half-open page range [start, stop) of the PDF/A pdf into the matching dest, as a
    PDF/A-2b document with the matching title and the author of pdf (the organisation, pipeline/engine/render.py)."""
    if not len(ranges) == len(dests) == len(titles):
        raise ValueError(f"{len(ranges)} ranges but {len(dests)} destinations and {len(titles)} titles")
    reader = PdfReader(pdf)
    author = str((reader.metadata or {}).get("/Author", ""))
    created = dt.datetime.now().astimezone()
    for (start, stop), dest, title in zip(ranges, dests, titles):
        if not 0 <= start < stop <= len(reader.pages):
            raise ValueError(f"page range [{start}, {stop}) outside {pdf} ({len(reader.pages)} pages)")
        writer = PdfWriter()
        for i in range(start, stop):
            writer.add_page(reader.pages[i])
        make_pdfa(writer, reader, DocumentInfo(title, author, created))
        write_atomic(writer, dest)


def outline_starts(pdf: Path) -> list[tuple[str, int]]:
    """Return the top-level bookmarks of pdf as (title, 0-based page number)."""
    reader = PdfReader(pdf)
    # Nested lists in reader.outline hold the children of the preceding item: skip them.
    return [(item.title, reader.get_destination_page_number(item))
            for item in reader.outline if not isinstance(item, list)]


def page_count(pdf: Path) -> int:
    """Return the number of pages in pdf."""
    return len(PdfReader(pdf).pages)
