"""Turn rendered DOCX files into PDFs while the next papers are still being rendered.

Papers of one batch are merged into pieces and each piece is converted as one document
(LibreOffice's cost is per document), then split back at the page where each member's bookmark
points. A piece is handed to a converter thread as soon as its last member is rendered, so
LibreOffice works on one core while Python renders on the other.

Everything LibreOffice writes — profiles, its temporary files, the merged pieces — lives in the
build's staging folder, which the build removes. A message names the papers (their output paths
relative to OUT and titles), never a staging path the clerk cannot see.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import sys
import threading
import time
import zipfile
from collections import defaultdict
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Callable, Sequence

from pipeline.engine.convert import CALLS, DEFAULT_TIMEOUT, ConversionFailed, ProfilePool, Timeout
from pipeline.engine.converters import Backend, LocalLanes, UnoPool
from pipeline.errors import ConversionError
from pipeline.engine.batches import first_paragraph_text, for_layout, match_members, merge_batch, page_ranges
from pipeline.engine.jobs import DocJob
from pipeline.engine.pdf_check import LostText, check_pdf
from pipeline.engine.staging import Staging

# A piece is flushed to a converter once its members' main XML passes this size: about 400 one-page
# forms, or a dozen 评分表 listing hundreds of candidates. Smaller pieces spread the work over the
# converters; larger ones save LibreOffice start-ups (about 1.5 s each).
PIECE_BYTES = 6_000_000
# While a converter has nothing to do, a piece goes to it once it holds 1/EARLY_SHARE of PIECE_BYTES: the first
# pieces of a build start LibreOffice after a second of rendering instead of several, and the pieces after
# them grow while the converters are busy.
EARLY_SHARE = 3
# While the build waits for LibreOffice it says what it is doing this often: a clerk should never
# watch a silent screen for minutes and wonder whether it hangs.
PROGRESS_SECONDS = 30
# Threads beyond the converters' number: a piece's Python work (checking its PDF, splitting it into papers) runs
# in one while the converter it came from already lays out the next piece (Converter.lanes).
AFTER_THREADS = 2
WORK_DIR = ".convert"  # inside the staging folder

Piece = list[tuple[DocJob, bytes]]


def build_profiles(stage: Staging) -> ProfilePool:
    """The LibreOffice profiles of one build, inside its staging folder."""
    return ProfilePool(stage.dir / WORK_DIR / "libreoffice")


def xml_size(blob: bytes) -> int:
    """The unpacked size of a DOCX's main part: a measure of its layout work."""
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return z.getinfo("word/document.xml").file_size


def paper_name(job: DocJob) -> str:
    """How a message names a paper: its place under OUT and, if it says more, its title."""
    return job.path if job.title in job.path else f"{job.path}（{job.title}）"


def _papers_failed(failures: Sequence[tuple[DocJob, str]], hint: str = "") -> ConversionError:
    """One Chinese message naming each paper that has no PDF and why, and what to do."""
    lines = [f"以下 {len(failures)} 份文书未能转换为 PDF，未生成任何文件："]
    lines += [f"  {paper_name(job)}：{why}" for job, why in failures]
    return ConversionError("\n".join(lines + ([hint] if hint else [])))


def _timed_out(papers: Sequence[DocJob], why: str) -> ConversionError:
    """The papers of a call LibreOffice did not finish in time."""
    return _papers_failed([(job, why) for job in papers],
                          "如果文书确实很大、电脑又忙，可以放宽时限后重新运行，例如 make all CONVERT_TIMEOUT=7200"
                          "（秒）；若仍超时，请检查这份文书的模板能否在 Word 或 WPS 中正常打开。")


class Converter:
    """Collect rendered papers batch by batch and convert full pieces in the background."""

    def __init__(self, stage: Staging, workers: int = 2, piece_bytes: int = PIECE_BYTES,
                 timeout: Timeout = DEFAULT_TIMEOUT, log: Callable[[str], None] | None = None,
                 pool: UnoPool | None = None, profiles: ProfilePool | None = None) -> None:
        from pipeline.engine.fonts import fontconfig_env

        fontconfig_env()  # write the font mapping once, before threads need it
        self.stage, self.piece_bytes = stage, piece_bytes
        self.timeout, self.log = timeout, log or (lambda msg: print(msg, file=sys.stderr))
        # Profiles stay warm for the whole build, and go with the staging folder (build_profiles).
        self.profiles = profiles or build_profiles(stage)
        # Local lanes by default; a pool of unoserver servers converts as many pieces at once as it has
        # servers (docs/reference.md, 转换服务器).
        self.backend: Backend = pool or LocalLanes(self.profiles, workers)
        self.workers = self.backend.workers
        # At most one conversion per converter at a time; the threads hold a lane only while LibreOffice works.
        self.lanes = threading.BoundedSemaphore(self.workers)
        self.made_by: dict[str, str] = {}  # paper → the converter that made its PDF, for the manifest
        self.pool = ThreadPoolExecutor(self.workers + AFTER_THREADS)
        self.pending: dict[str, Piece] = defaultdict(list)
        self.weight: dict[str, int] = defaultdict(int)
        self.futures: list[Future] = []
        self.count = 0
        self.papers_total = self.papers_done = 0
        self._lock = threading.Lock()
        self.running: dict[int, Piece] = {}
        self.unconverted: set[int] = set()  # pieces handed over that LibreOffice has not yet laid out
        self._piece = threading.local()  # the piece a converter thread works on
        self.stopping = threading.Event()
        self.personalised = 0  # papers made from a shared body and their own first page (personalise.py)
        # Papers alone in their batch (the plan, each 公示 …): converted together at the end, in one call per
        # converter, since a soffice call's start-up costs about as much as laying out a short paper.
        self.singles: Piece = []

    def add(self, job: DocJob, blob: bytes) -> None:
        """Take one rendered paper; convert its batch's piece once the piece is full, and every earlier batch's
        once a paper of another batch arrives (the build renders batch by batch, so those are complete and the
        converters need not wait for the end of rendering)."""
        self._raise_early()
        for batch in [b for b in self.pending if b != job.batch]:
            self.flush(batch)
        self.pending[job.batch].append((job, blob))
        self.weight[job.batch] += xml_size(blob)
        if job.shared_body:  # a family waits for all its members
            return
        if self.weight[job.batch] >= self.piece_bytes or (
                self.weight[job.batch] >= self.piece_bytes // EARLY_SHARE and self._idle_converter()):
            self.flush(job.batch, full=True)

    def _idle_converter(self) -> bool:
        """Fewer pieces handed over and not yet laid out than there are converters (a piece's checks and split
        after LibreOffice do not hold a converter)."""
        with self._lock:
            return len(self.unconverted) < self.workers

    def _raise_early(self) -> None:
        """Stop rendering as soon as a piece has failed: the build fails anyway."""
        for future in self.futures:
            if future.done() and future.exception() is not None:
                raise future.exception()

    def flush(self, batch: str, full: bool = False) -> None:
        """Hand a batch's piece to a converter; a lone paper of a finished batch waits for the others (full: the
        piece reached piece_bytes, so even a lone paper is long enough to convert by itself at once)."""
        piece = self.pending.pop(batch, [])
        self.weight.pop(batch, None)
        if len(piece) == 1 and not full and not self.stopping.is_set():
            self.singles += piece
        elif piece:
            self.count += 1
            self.papers_total += len(piece)
            with self._lock:
                self.unconverted.add(self.count)
            convert = self._convert_family if piece[0][0].shared_body else self._convert
            self.futures.append(self.pool.submit(self._convert_piece, piece, self.count, convert))

    def _flush_singles(self) -> None:
        """Share the single papers among the converters, heaviest first onto the lightest load."""
        groups: list[Piece] = [[] for _ in range(self.workers)]
        loads = [0] * self.workers
        for job, blob in sorted(self.singles, key=lambda member: -xml_size(member[1])):
            i = loads.index(min(loads))
            groups[i].append((job, blob))
            loads[i] += xml_size(blob)
        self.singles = []
        for group in groups:
            if group:
                self.count += 1
                self.papers_total += len(group)
                with self._lock:
                    self.unconverted.add(self.count)
                self.futures.append(self.pool.submit(self._convert_piece, group, self.count, self._convert_singles))

    def finish(self) -> dict[str, int]:
        """Convert what is left, wait for every piece (saying how far it is); return each paper's page count."""
        for batch in list(self.pending):
            self.flush(batch)
        self._flush_singles()
        self.log(f"正在等待 PDF 转换完成：{self.count} 个合并文件……")
        pages: dict[str, int] = {}
        started = time.monotonic()
        try:
            pending = set(self.futures)
            while pending:
                done, pending = wait(pending, timeout=PROGRESS_SECONDS, return_when=FIRST_EXCEPTION)
                for future in done:
                    pages.update(future.result())
                if pending:
                    self.log(self.progress(time.monotonic() - started))
        finally:
            self.close()
        return pages

    def progress(self, waited: float) -> str:
        """One Chinese line: pieces and papers done, how long the build has waited, what is converting."""
        with self._lock:
            running = [piece for _, piece in sorted(self.running.items())]
            done = self.papers_done
        finished = sum(f.done() for f in self.futures)
        now = "；".join(f"{piece[0][0].title} 等 {len(piece)} 份" if len(piece) > 1 else paper_name(piece[0][0])
                       for piece in running) or "（排队中）"
        minutes, seconds = divmod(int(waited), 60)
        return (f"PDF 转换进行中：已完成 {finished}/{len(self.futures)} 个合并文件、{done}/{self.papers_total} 份文书，"
                f"已等待 {minutes} 分 {seconds} 秒；正在转换：{now}")

    def close(self) -> None:
        """Stop at once (done, a piece failed, rendering failed, Ctrl-C): queued pieces are dropped and
        running LibreOffice calls are ended, so none outlives the build."""
        self.stopping.set()
        CALLS.stop_all()
        self.profiles.end_head_starts()
        self.backend.stop()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _convert_piece(self, piece: Piece, n: int, convert: Callable[[Piece, int], dict[str, int]]) -> dict[str, int]:
        with self._lock:
            self.running[n] = piece
        self._piece.n = n
        try:
            pages = convert(piece, n)
        finally:
            with self._lock:
                self.running.pop(n)
                self.unconverted.discard(n)
        with self._lock:
            self.papers_done += len(piece)
        return pages

    def _convert(self, piece: Piece, n: int) -> dict[str, int]:
        from pipeline.engine.bundle import split_pdf

        if len(piece) == 1:
            return self._one_by_one(piece, n)
        work = self.stage.path(f"{WORK_DIR}/{n}/x").parent
        merged = self._merged([blob for _, blob in piece], [job for job, _ in piece],
                              work / f"{piece[0][0].batch}-{n}.docx")
        if merged is None:  # find out which member LibreOffice refuses, or lay them out alone
            return self._one_by_one(piece, n)
        pdf, ranges = merged
        try:
            check_pdf(pdf, [(job.path + ".pdf", blob) for job, blob in piece], ranges)
        except LostText:  # LibreOffice dropped text: lay each paper out alone, with a second try if needed
            return self._one_by_one(piece, n)
        split_pdf(pdf, ranges, [self.stage.path(job.path + ".pdf") for job, _ in piece],
                  [job.title for job, _ in piece])
        for job, _ in piece:
            self.stage.add(job.path + ".pdf")
        return {job.path: b - a for (job, _), (a, b) in zip(piece, ranges)}

    def _merged(self, blobs: Sequence[bytes], papers: Sequence[DocJob],
                src: Path) -> tuple[Path, list[tuple[int, int]]] | None:
        """Convert the DOCX merged into src: the PDF and each member's pages [start, end); None when LibreOffice
        refused the merged file or its page map cannot be trusted (the caller then lays members out alone). A
        timeout is raised, naming the papers: a retry would only double the wait."""
        from pipeline.engine.bundle import outline_starts, page_count

        src.write_bytes(merge_batch([for_layout(blob) for blob in blobs]))
        try:
            pdf = self._pdf(src, src.parent / "pdf", papers)
        except ConversionFailed as exc:
            if any(why.timed_out for why in exc.failures.values()):
                raise _timed_out(list(papers), next(iter(exc.failures.values())).reason) from None
            return None
        starts = match_members(outline_starts(pdf), [first_paragraph_text(blob) for blob in blobs])
        if starts is None:
            return None
        return pdf, page_ranges(starts, page_count(pdf))

    def _convert_singles(self, piece: Piece, n: int) -> dict[str, int]:
        """Papers of different templates, each its own document, in one call of the converter; a paper that
        fails or loses text there is converted alone (_one_by_one names it and retries with free rows)."""
        from pipeline.engine.bundle import page_count

        work = self.stage.path(f"{WORK_DIR}/{n}/singles/x").parent
        staged: dict[Path, tuple[DocJob, bytes]] = {}
        for i, (job, blob) in enumerate(piece):
            src = work / f"{i:03d}-{Path(job.path).name}.docx"  # distinct stems: one PDF each
            src.write_bytes(for_layout(blob))
            staged[src] = (job, blob)
        try:
            with self._lane():
                made = self.backend.convert_many(list(staged), work / "pdf", self.timeout)
        except ConversionFailed as exc:
            if any(why.timed_out for why in exc.failures.values()):
                late = [staged[src][0] for src in staged if src in exc.failures] or [job for job, _ in piece]
                raise _timed_out(late, next(iter(exc.failures.values())).reason) from None
            return self._one_by_one(piece, n)
        pages: dict[str, int] = {}
        again: Piece = []
        for src, (job, blob) in staged.items():
            pdf = made[src].pdf
            try:
                check_pdf(pdf, [(job.path + ".pdf", blob)])
            except LostText:
                again.append((job, blob))
                continue
            dest = self.stage.path(job.path + ".pdf")
            pdf.replace(dest)
            self.stage.add(job.path + ".pdf")
            pages[job.path] = page_count(dest)
            with self._lock:
                self.made_by[job.path] = made[src].by
        if again:  # laid out alone it would lose the same text: the second try at once (_checked_pdf)
            pages.update(self._one_by_one(again, n, free_rows=True))
        return pages

    def _in_pieces(self, piece: Piece, n: int) -> dict[str, int]:
        """Convert a family that cannot be personalised as any batch: merged pieces of piece_bytes each."""
        pages: dict[str, int] = {}
        chunk: Piece = []
        weight = 0
        for i, (job, blob) in enumerate(piece):
            chunk.append((job, blob))
            weight += xml_size(blob)
            if weight >= self.piece_bytes or i == len(piece) - 1:
                pages.update(self._convert(chunk, n * 1000 + i))
                chunk, weight = [], 0
        return pages

    def _convert_family(self, piece: Piece, n: int) -> dict[str, int]:
        """Papers sharing their body (pipeline/engine/personalise.py): the first converted whole, the others'
        openings converted together, each paper its own first page and the first one's other pages."""
        from pypdf import PdfReader

        from pipeline.engine import personalise as ps
        from pipeline.engine import rawpdf
        from pipeline.engine.bundle import Once, assemble, author_of, split_pdf
        from pipeline.engine.pdf_check import pdf_pages_text
        from pipeline.engine.pdfa import DocumentInfo

        fam = ps.family([blob for _, blob in piece])
        if fam is None:
            return self._in_pieces(piece, n)
        (proto_job, proto_blob), members = piece[0], piece[1:]
        work = self.stage.path(f"{WORK_DIR}/{n}/x").parent
        proto_pdf = self._checked_pdf(proto_job, proto_blob, self.stage.path(f"{WORK_DIR}/{n}/prototype/x").parent)
        proto_pages = pdf_pages_text(proto_pdf)
        rows = ps.rows_on_page(proto_pages[0], ps.row_texts(proto_blob, fam))
        if len(proto_pages) < 2 or rows == 0:  # one page, or a first page without rows: nothing shared to reuse
            return self._in_pieces(piece, n)
        openings = [ps.opening(blob, fam, rows) for _, blob in members]
        # A personalised paper is recorded as made by the converter of its own first page.
        merged = self._merged(openings, [job for job, _ in members], work / f"{proto_job.batch}-{n}-openings.docx")
        if merged is None:
            return self._in_pieces(piece, n)
        pdf, ranges = merged
        texts = pdf_pages_text(pdf)
        proto_opening = ps.element_text(proto_blob, fam.varying)
        dest = self.stage.path(proto_job.path + ".pdf")
        split_pdf(proto_pdf, [(0, len(proto_pages))], [dest], [proto_job.title])
        self.stage.add(proto_job.path + ".pdf")
        done = {proto_job.path: len(proto_pages)}
        sources, readers = Once(rawpdf.Source), Once(PdfReader)
        author = author_of(dest, sources, readers)
        created = dt.datetime.now().astimezone()
        whole: Piece = []
        for (job, blob), (start, _) in zip(members, ranges):
            if not ps.same_first_page(texts[start], ps.element_text(blob, fam.varying), proto_pages[0], proto_opening):
                whole.append((job, blob))  # its opening laid out differently: this paper is converted whole
                continue
            out = self.stage.path(job.path + ".pdf")
            assemble([(None, pdf, start, start + 1), (None, dest, 1, None)], out,
                     DocumentInfo(job.title, author, created), sources=sources, readers=readers)
            try:
                # Its pages are the opening's and the prototype's, copied as they are: their text was read above.
                check_pdf(out, [(job.path + ".pdf", blob)], pages=[texts[start], *proto_pages[1:]])
            except LostText:
                out.unlink()
                whole.append((job, blob))
                continue
            self.stage.add(job.path + ".pdf")
            done[job.path] = len(proto_pages)
            with self._lock:
                self.personalised += 1
        if whole:
            done.update(self._one_by_one(whole, n))
        return done

    def _one_by_one(self, piece: Piece, n: int, free_rows: bool = False) -> dict[str, int]:
        """Convert each member alone; name exactly the ones that fail, with their reasons (free_rows: they lost
        text laid out as they are, so only the second try of _checked_pdf is made)."""
        from pipeline.engine.bundle import page_count

        pages: dict[str, int] = {}
        failures: list[tuple[DocJob, str]] = []
        work = self.stage.path(f"{WORK_DIR}/{n}/single/x").parent
        for job, blob in piece:
            try:
                pdf = self._checked_pdf(job, blob, work, free_rows=free_rows)
            except ConversionFailed as exc:
                why = next(iter(exc.failures.values()))
                if why.timed_out:
                    raise _timed_out([job], why.reason) from None
                failures.append((job, f"{why.reason}（模板 templates/{job.template}）"))
                continue
            dest = self.stage.path(job.path + ".pdf")
            pdf.replace(dest)
            self.stage.add(job.path + ".pdf")
            pages[job.path] = page_count(dest)
        if failures:
            raise _papers_failed(failures)
        return pages

    def _checked_pdf(self, job: DocJob, blob: bytes, work: Path, free_rows: bool = False) -> Path:
        """One paper converted and self-checked; laid out once more with table rows free to break when
        LibreOffice dropped text (pipeline.engine.batches.for_layout says when that happens), or only that way
        (free_rows)."""
        src = work / f"{Path(job.path).name}.docx"  # the paper as laid out: long tables cut
        src.write_bytes(for_layout(blob, free_rows=free_rows))
        pdf = self._pdf(src, work / "pdf", [job])
        try:
            check_pdf(pdf, [(job.path + ".pdf", blob)])
        except LostText:
            if free_rows:
                raise
            src.write_bytes(for_layout(blob, free_rows=True))
            pdf = self._pdf(src, work / "pdf", [job])
            check_pdf(pdf, [(job.path + ".pdf", blob)])  # still lost: the error names paper and characters
        return pdf

    @contextlib.contextmanager
    def _lane(self):
        """Hold one of the converters while LibreOffice works; nothing new starts once the build stops."""
        with self.lanes:
            if self.stopping.is_set():
                raise ConversionError("PDF 转换已中止。")
            try:
                yield
            finally:
                with self._lock:
                    self.unconverted.discard(getattr(self._piece, "n", None))

    def _pdf(self, src: Path, out_dir: Path, papers: Sequence[DocJob]) -> Path:
        """Convert one staged DOCX through this build's converter and timeout (nothing new once stopping);
        note which converter made it for the papers it holds (a later conversion of a paper overwrites it)."""
        with self._lane():
            made = self.backend.convert(src, out_dir, self.timeout)
        with self._lock:
            for job in papers:
                self.made_by[job.path] = made.by
        return made.pdf
