"""Turn rendered DOCX files into PDFs while the next papers are still being rendered.

Papers of one family are merged into pieces and each piece is converted as one document
(FINDINGS.md: LibreOffice's cost is per document), then split back at the page where each member's
bookmark points. A piece is handed to a converter thread as soon as its last member is rendered, so
LibreOffice works on one core while Python renders on the other.
"""
from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor

from pipeline.family import first_paragraph_text, match_members, merge_family, page_ranges
from pipeline.jobs import DocJob
from pipeline.staging import Staging

# A piece is flushed to a converter once its members' main XML passes this size: about 400 one-page
# forms, or a dozen 评分表 listing hundreds of candidates. Smaller pieces spread the work over the
# converters; larger ones save LibreOffice start-ups (about 1.5 s each).
PIECE_BYTES = 6_000_000


def xml_size(blob: bytes) -> int:
    """The unpacked size of a DOCX's main part: a measure of its layout work."""
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return z.getinfo("word/document.xml").file_size


class Converter:
    """Collect rendered papers family by family and convert full pieces in the background."""

    def __init__(self, stage: Staging, workers: int = 2, piece_bytes: int = PIECE_BYTES) -> None:
        from pipeline.fonts import fontconfig_env

        fontconfig_env()  # write the font mapping once, before threads need it
        self.stage, self.workers, self.piece_bytes = stage, max(1, workers), piece_bytes
        self.pool = ThreadPoolExecutor(self.workers)
        self.pending: dict[str, list[tuple[DocJob, bytes]]] = defaultdict(list)
        self.weight: dict[str, int] = defaultdict(int)
        self.futures: list[Future] = []
        self.count = 0

    def add(self, job: DocJob, blob: bytes) -> None:
        """Take one rendered paper; convert its family's piece once the piece is full."""
        self.pending[job.family].append((job, blob))
        self.weight[job.family] += xml_size(blob)
        if self.weight[job.family] >= self.piece_bytes:
            self.flush(job.family)

    def flush(self, family: str) -> None:
        piece = self.pending.pop(family, [])
        self.weight.pop(family, None)
        if piece:
            self.count += 1
            self.futures.append(self.pool.submit(self._convert, piece, self.count))

    def finish(self) -> dict[str, int]:
        """Convert what is left, wait for every piece; return each paper's page count."""
        for family in list(self.pending):
            self.flush(family)
        pages: dict[str, int] = {}
        try:
            for future in self.futures:
                pages.update(future.result())
        finally:
            self.close()
        return pages

    def close(self) -> None:
        """Stop: queued pieces are dropped, running conversions finish (no stray LibreOffice)."""
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _convert(self, piece: list[tuple[DocJob, bytes]], n: int, merge: bool = True) -> dict[str, int]:
        from pipeline.bundle import outline_starts, page_count, split_pdf
        from pipeline.convert import convert_to_pdf
        from pipeline.pdf_check import check_pdf

        work = self.stage.path(f".convert/{n}/x").parent
        if len(piece) == 1 or not merge:
            pages = {}
            for job, blob in piece:
                src = self.stage.path(job.path + ".docx")
                pdf = convert_to_pdf([src], work, workers=1)[src]
                check_pdf(pdf, [(job.path + ".pdf", blob)])
                dest = self.stage.path(job.path + ".pdf")
                pdf.replace(dest)
                self.stage.add(job.path + ".pdf")
                pages[job.path] = page_count(dest)
            return pages
        src = work / f"{piece[0][0].family}-{n}.docx"
        src.write_bytes(merge_family([blob for _, blob in piece]))
        pdf = convert_to_pdf([src], work / "pdf", workers=1)[src]
        starts = match_members(outline_starts(pdf), [first_paragraph_text(blob) for _, blob in piece])
        if starts is None:  # the page map cannot be trusted: convert these members one by one
            return self._convert(piece, n, merge=False)
        ranges = page_ranges(starts, page_count(pdf))
        check_pdf(pdf, [(job.path + ".pdf", blob) for job, blob in piece], ranges)
        split_pdf(pdf, ranges, [self.stage.path(job.path + ".pdf") for job, _ in piece])
        for job, _ in piece:
            self.stage.add(job.path + ".pdf")
        return {job.path: b - a for (job, _), (a, b) in zip(piece, ranges)}
