"""Convert DOCX to PDF with LibreOffice headless: balanced parallel batches, own profiles, timeout, retry."""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.errors import ConversionError
from pipeline.fonts import FONTS_DIR, fontconfig_env

# Force the Word importer: without it LibreOffice reads a corrupt .docx as plain text and "succeeds".
DOCX_FILTER = "MS Word 2007 XML"
# writer_pdf_Export exports outline-level paragraphs as PDF bookmarks by default; split_pdf relies on them.
PDF_FILTER = "pdf:writer_pdf_Export"


class ProfilePool:
    """Hand out LibreOffice user profiles, one per running process, kept warm for later calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Path] = []
        self._root: Path | None = None
        self._count = 0

    def acquire(self) -> Path:
        """Return an idle profile folder, or a new (cold) one."""
        with self._lock:
            if self._free:
                return self._free.pop()
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="pipeline-lo-profiles-"))
            self._count += 1
            return self._root / f"profile-{self._count}"

    def release(self, profile: Path, healthy: bool) -> None:
        """Put a profile back, or delete it when its process was killed (it may be locked or half-written)."""
        if healthy:
            with self._lock:
                self._free.append(profile)
        else:
            shutil.rmtree(profile, ignore_errors=True)

    def close(self) -> None:
        """Delete every profile; the next conversion starts cold."""
        with self._lock:
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
            self._root, self._free = None, []


PROFILES = ProfilePool()
atexit.register(PROFILES.close)


def layout_weight(path: Path) -> int:
    """How much layout work a DOCX is for LibreOffice: the unpacked size of its main part.

    The file size misleads: a merged family of 300 forms compresses to little, but costs 300 forms.
    """
    try:
        with zipfile.ZipFile(path) as z:
            return z.getinfo("word/document.xml").file_size
    except (OSError, KeyError, zipfile.BadZipFile):
        return path.stat().st_size if path.exists() else 0


def balance(files: Sequence[Path], workers: int) -> list[list[Path]]:
    """Split files into at most `workers` batches of similar layout work (largest first, onto the lightest)."""
    size = {f: layout_weight(f) for f in files}
    batches: list[list[Path]] = [[] for _ in range(max(1, workers))]
    loads = [0] * len(batches)
    for f in sorted(files, key=size.__getitem__, reverse=True):
        i = loads.index(min(loads))
        batches[i].append(f)
        loads[i] += size[f]
    return [b for b in batches if b]


def _kill_group(pgid: int) -> None:
    """Kill a whole process group (soffice wrapper, oosplash, soffice.bin)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _is_complete_pdf(path: Path) -> bool:
    """Tell whether a file looks like a whole PDF: header at the start and %%EOF near the end."""
    size = path.stat().st_size if path.is_file() else 0
    if size < 64:
        return False
    with path.open("rb") as fh:
        head = fh.read(5)
        fh.seek(max(0, size - 1024))
        return head == b"%PDF-" and b"%%EOF" in fh.read()


def _soffice_command(files: Sequence[Path], outdir: Path, profile: Path) -> list[str]:
    """Build the soffice command line for one batch."""
    return [shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile.as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"--infilter={DOCX_FILTER}", "--convert-to", PDF_FILTER, "--outdir", str(outdir),
            *map(str, files)]


def _run_soffice(cmd: list[str], env: dict[str, str], timeout: float) -> int | None:
    """Run soffice in its own process group; kill the group on timeout. Return its exit code, None on timeout."""
    try:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    except FileNotFoundError as exc:
        raise ConversionError("未找到 LibreOffice（soffice），请先运行 make sysdeps 安装。") from exc
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    finally:
        _kill_group(proc.pid)  # also anything the wrapper left behind
        proc.wait()


# Measured here (LibreOffice 7.4.7): one `soffice --convert-to` call converts at most 246 files and then
# exits with status 0, silently skipping the rest, whatever the length of the paths. Stay well below.
MAX_FILES_PER_CALL = 100


def _run_batch(files: Sequence[Path], out_dir: Path, env: dict[str, str], timeout: float) -> dict[Path, str]:
    """Convert one worker's batch in calls of at most MAX_FILES_PER_CALL files; return {file: reason} failures."""
    failures: dict[Path, str] = {}
    for i in range(0, len(files), MAX_FILES_PER_CALL):
        failures.update(_run_call(files[i:i + MAX_FILES_PER_CALL], out_dir, env, timeout))
    return failures


def _run_call(files: Sequence[Path], out_dir: Path, env: dict[str, str], timeout: float) -> dict[Path, str]:
    """Convert files in one soffice call into a staging folder, move complete PDFs into out_dir."""
    staging = Path(tempfile.mkdtemp(prefix=".soffice-", dir=out_dir))
    profile = PROFILES.acquire()
    code = None
    try:
        code = _run_soffice(_soffice_command(files, staging, profile), env, timeout)
        failures = {}
        for f in files:
            pdf = staging / f"{f.stem}.pdf"
            if _is_complete_pdf(pdf):
                os.replace(pdf, out_dir / pdf.name)
            else:
                failures[f] = _reason(f, code is not None, timeout)
        return failures
    finally:
        PROFILES.release(profile, healthy=code == 0)  # a killed or crashed process may leave a locked profile
        shutil.rmtree(staging, ignore_errors=True)


def _reason(f: Path, finished: bool, timeout: float) -> str:
    """Say in Chinese why a document has no PDF."""
    if not finished:
        return f"LibreOffice 在 {timeout:g} 秒内没有转换完成，已被终止"
    if not f.is_file():
        return "文件不存在"
    if not zipfile.is_zipfile(f):
        return "文件不是有效的 Word（.docx）文档，可能已损坏，请用 Word 或 WPS 打开后另存一份"
    return "LibreOffice 未能打开或转换此文件，请用 Word 或 WPS 打开检查后另存一份"


def _run_batches(batches: list[list[Path]], out_dir: Path, env: dict[str, str],
                 workers: int, timeout: float) -> dict[Path, str]:
    """Run batches, at most `workers` at a time; return the failures of all of them."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = pool.map(lambda b: _run_batch(b, out_dir, env, timeout), batches)
        return {f: why for failures in results for f, why in failures.items()}


def _check_unique_stems(files: Sequence[Path]) -> None:
    """Refuse two inputs that would write the same PDF name."""
    seen: dict[str, Path] = {}
    for f in files:
        if f.stem in seen and seen[f.stem] != f:
            raise ValueError(f"two inputs would both become {f.stem}.pdf: {seen[f.stem]} and {f}")
        seen[f.stem] = f


def convert_to_pdf(docx_paths: Sequence[Path], out_dir: Path, *, workers: int = 2, timeout: float = 600,
                   retries: int = 1, fonts_dir: Path = FONTS_DIR) -> dict[Path, Path]:
    """Convert DOCX files to PDFs in out_dir; return {docx: pdf} or raise ConversionError naming each failure."""
    originals = {Path(p).resolve(): Path(p) for p in docx_paths}
    files = list(originals)
    _check_unique_stems(files)
    if not files:
        return {}
    target = Path(out_dir).resolve()
    target.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **fontconfig_env(fonts_dir)}
    failures = _run_batches(balance(files, workers), target, env, workers, timeout)
    for _ in range(retries):  # one file per call, so one bad document cannot sink the others
        if not failures:
            break
        failures = _run_batches([[f] for f in failures], target, env, workers, timeout)
    if failures:
        head = f"以下 {len(failures)} 个文档未能转换为 PDF（已重试 {retries} 次）："
        lines = [f"  {originals[f]}：{failures[f]}" for f in files if f in failures]
        raise ConversionError("\n".join([head] + lines))
    return {originals[f]: Path(out_dir) / f"{f.stem}.pdf" for f in files}
