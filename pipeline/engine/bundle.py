"""Merge PDFs into print bundles with bookmarks, and split a merged PDF back into documents."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from pipeline.engine import pdfium, rawpdf
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


# A part of a new PDF: pages [start, stop) of a PDF/A file (stop None: to its end), under a bookmark (title) or none.
Part = tuple[str | None, Path, int, int | None]


def assemble(parts: Sequence[Part], dest: Path, info: DocumentInfo, *, duplex: bool = False,
             sources: Callable[[Path], rawpdf.Source] = rawpdf.Source,
             readers: Callable[[Path], PdfReader] = PdfReader) -> int:
    """Write dest, a PDF/A-2b document with info's title, author and date, from the parts' pages in order: one
    top-level bookmark per titled part, a blank page after a part of odd length (duplex); return its page count.

    The pages are copied as bytes (pipeline/engine/rawpdf.py); a file that module does not copy exactly is
    copied with pypdf, a member's own bookmarks nested under its title. sources and readers open a file: a
    build merging several bundles passes ones that keep a file read for the next bundle holding it."""
    try:
        blob, pages = _assemble_raw(parts, info, duplex, sources)
    except rawpdf.Unsupported:
        return _assemble_pypdf(parts, dest, info, duplex, readers)
    write_atomic(blob, dest)
    return pages


def _assemble_raw(parts: Sequence[Part], info: DocumentInfo, duplex: bool, sources) -> tuple[bytes, int]:
    writer = rawpdf.Writer()
    bookmarks = []
    opened = [sources(pdf) for _, pdf, _, _ in parts]
    for (title, pdf, start, stop), src in zip(parts, opened):
        stop = len(src.pages) if stop is None else stop
        if not 0 <= start < stop <= len(src.pages):
            raise ValueError(f"page range [{start}, {stop}) outside {pdf} ({len(src.pages)} pages)")
        if title is not None:
            if src.has_bookmarks():
                raise rawpdf.Unsupported("a member with bookmarks of its own")
            bookmarks.append((title, writer.page_count))
        for i in range(start, stop):
            writer.add_page(src, i)
        if duplex and (stop - start) % 2:
            writer.add_blank_page()  # two-sided printing: the next document starts on a recto (odd) page
    return writer.finish(info, opened[0], bookmarks), writer.page_count


def _assemble_pypdf(parts: Sequence[Part], dest: Path, info: DocumentInfo, duplex: bool, readers) -> int:
    writer = PdfWriter()
    for title, pdf, start, stop in parts:
        reader = readers(pdf)
        stop = len(reader.pages) if stop is None else stop
        if not 0 <= start < stop <= len(reader.pages):
            raise ValueError(f"page range [{start}, {stop}) outside {pdf} ({len(reader.pages)} pages)")
        first = len(writer.pages)
        if title is not None:  # the document's own bookmarks nest under its title
            writer.append(reader, outline_item=title, pages=(start, stop))
        else:
            for i in range(start, stop):
                writer.add_page(reader.pages[i])
        if duplex and (len(writer.pages) - first) % 2:
            writer.add_blank_page()  # two-sided printing: the next document starts on a recto (odd) page
    make_pdfa(writer, readers(parts[0][1]), info)
    if len(parts) > 1:  # the same CJK font subsets recur in every document; keep one copy of each identical object
        writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    write_atomic(writer, dest)
    return len(writer.pages)


def merge_bundle(items: Sequence[tuple[str, Path]], dest: Path, info: DocumentInfo, *, duplex: bool = False,
                 sources: Callable[[Path], rawpdf.Source] = rawpdf.Source,
                 readers: Callable[[Path], PdfReader] = PdfReader) -> int:
    """Merge (title, PDF/A pdf) items into dest, a PDF/A-2b document with info's title, author and date and
    one top-level bookmark per item; return the page count (assemble)."""
    return assemble([(title, pdf, 0, None) for title, pdf in items], dest, info, duplex=duplex,
                    sources=sources, readers=readers)


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
    sources, readers = Once(rawpdf.Source), Once(PdfReader)
    author = author_of(pdf, sources, readers)
    created = dt.datetime.now().astimezone()
    for (start, stop), dest, title in zip(ranges, dests, titles):
        assemble([(None, pdf, start, stop)], dest, DocumentInfo(title, author, created),
                 sources=sources, readers=readers)


def author_of(pdf: Path, sources: Callable[[Path], rawpdf.Source], readers: Callable[[Path], PdfReader]) -> str:
    """The Author in pdf's Info (LibreOffice writes the organisation there, pipeline/engine/render.py)."""
    try:
        return sources(pdf).author()
    except rawpdf.Unsupported:
        return str((readers(pdf).metadata or {}).get("/Author", ""))


class Once:
    """An opener that reads a file once for all the calls naming it (and says once that rawpdf cannot)."""

    def __init__(self, opener) -> None:
        self.opener, self.held = opener, {}

    def __call__(self, pdf: Path):
        if pdf not in self.held:
            try:
                self.held[pdf] = self.opener(pdf)
            except rawpdf.Unsupported as exc:
                self.held[pdf] = exc
        held = self.held[pdf]
        if isinstance(held, rawpdf.Unsupported):
            raise held
        return held

    def drop(self, pdf: Path) -> None:
        self.held.pop(pdf, None)


outline_starts = pdfium.outline_starts
page_count = pdfium.page_count
