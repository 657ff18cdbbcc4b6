"""Turn rendered DOCX files into PDFs: families merged and converted as one document, then split."""
from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from pipeline.family import first_paragraph_text, match_members, merge_family, page_ranges
from pipeline.jobs import DocJob
from pipeline.staging import Staging


def _chunks(jobs: list[DocJob], workers: int) -> list[list[DocJob]]:
    """Cut a family into as many pieces as there are converters, so each core gets a share."""
    if len(jobs) < 2 * workers:
        return [jobs]
    size = math.ceil(len(jobs) / workers)
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def convert_jobs(jobs: Sequence[DocJob], blobs: dict[str, bytes], stage: Staging, *, workers: int = 2,
                 merge: bool = True) -> dict[str, int]:
    """Write job.path + '.pdf' into the staging folder for every job; return each PDF's page count."""
    from pipeline.bundle import outline_starts, split_pdf
    from pipeline.convert import convert_to_pdf
    from pypdf import PdfReader

    families: dict[str, list[DocJob]] = defaultdict(list)
    for job in jobs:
        families[job.family].append(job)
    work_dir = stage.path(".convert/x").parent
    units: list[tuple[Path, list[DocJob]]] = []
    for family, members in families.items():
        pieces = _chunks(members, workers) if merge else [[m] for m in members]
        for n, piece in enumerate(pieces):
            if len(piece) == 1:
                src = stage.path(piece[0].path + ".docx")
            else:
                src = work_dir / f"{family}-{n}.docx"
                src.write_bytes(merge_family([blobs[j.path] for j in piece]))
            units.append((src, piece))
    pdf_of = convert_to_pdf([u[0] for u in units], work_dir / "pdf", workers=workers)
    pages: dict[str, int] = {}
    fallback: list[DocJob] = []
    for src, piece in units:
        pdf = pdf_of[src]
        if len(piece) == 1:
            dest = stage.path(piece[0].path + ".pdf")
            pdf.replace(dest)
            stage.add(piece[0].path + ".pdf")
            pages[piece[0].path] = len(PdfReader(dest).pages)
            continue
        total = len(PdfReader(pdf).pages)
        starts = match_members(outline_starts(pdf), [first_paragraph_text(blobs[j.path]) for j in piece])
        if starts is None:  # the page map cannot be trusted: convert these members one by one
            fallback.extend(piece)
            continue
        ranges = page_ranges(starts, total)
        dests = [stage.path(j.path + ".pdf") for j in piece]
        split_pdf(pdf, ranges, dests)
        for job, (a, b) in zip(piece, ranges):
            stage.add(job.path + ".pdf")
            pages[job.path] = b - a
    if fallback:
        pages.update(convert_jobs(fallback, blobs, stage, workers=workers, merge=False))
    return pages
