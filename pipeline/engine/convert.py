"""Convert DOCX to PDF with LibreOffice headless: balanced parallel batches, own profiles, timeout, retry.

Every soffice call runs under pipeline/engine/watchdog.py, so LibreOffice dies with the pipeline whatever kills
it. A build hands in a folder of its own (inside its staging folder under OUT) for the profiles and
LibreOffice's temporary files: a profile's registrymodifications.xcu lists recently opened files, i.e.
applicants' names, and must not outlive the build in /tmp.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConversionError
from pipeline.engine.fonts import FONTS_DIR, fontconfig_env
from pipeline.engine.watchdog import KILLED

# Force the Word importer: without it LibreOffice reads a corrupt .docx as plain text and "succeeds".
DOCX_FILTER = "MS Word 2007 XML"
# writer_pdf_Export exports outline-level paragraphs as PDF bookmarks by default; split_pdf relies on them.
# SelectPdfVersion 2 writes PDF/A-2b (ISO 19005-2): every font embedded, an sRGB output intent, which the
# archive bundle carries over (pipeline/engine/pdfa.py). LibreOffice 7.4 reads the options in this JSON form.
PDF_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


class ProfilePool:
    """Hand out LibreOffice user profiles, one per running process, kept warm for later calls.

    root: the folder to keep them in (a build's own); without it a temporary folder, for standalone use.
    """

    def __init__(self, root: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._free: list[Path] = []
        self._root = root
        self._own_root = root is None
        self._count = 0
        self._running: dict[Path, tuple[subprocess.Popen, int]] = {}  # profile → its head start's watchdog, call

    @property
    def root(self) -> Path:
        """The folder holding the profiles (and LibreOffice's temporary files); made on first use."""
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="pipeline-lo-profiles-"))
            self._root.mkdir(parents=True, exist_ok=True)
            return self._root

    def acquire(self) -> Path:
        """Return an idle profile folder, or a new (cold) one."""
        root = self.root
        with self._lock:
            if self._free:
                return self._free.pop()
            self._count += 1
            return root / f"profile-{self._count}"

    def head_start(self, count: int, fonts_dir: Path = FONTS_DIR) -> None:
        """Start LibreOffice, without a document, in `count` new profiles while the build still plans.

        A later `soffice --convert-to` in the same profile hands its files to the running instance and waits
        until they are converted (measured with LibreOffice 7.4.7: 0.2 s instead of 1.2 s for a one-page paper,
        the same PDF/A); the instance ends after that call. A call that comes while the instance is still
        starting is served all the same, by whichever of the two got there first.

        Only a way to go faster: where LibreOffice cannot be started nothing is started and nothing is said, so
        that a rebuild still reports its inputs' errors first, and needs LibreOffice only if it converts."""
        env = soffice_env(fonts_dir, self)
        for _ in range(count):
            profile = self.acquire()
            try:
                started = start_watched(_soffice_command([], None, profile), env)
            except (ConversionError, OSError):
                self.release(profile, healthy=True)  # never used: still a cold profile
                return
            with self._lock:
                self._running[profile] = started
                self._free.append(profile)

    def _end_head_start(self, profile: Path, wait: float) -> bool:
        """Let a profile's head start end by itself within `wait` seconds (it has served its call), else end it;
        True when it ended by itself (the profile may be used again at once)."""
        with self._lock:
            started = self._running.pop(profile, None)
        if started is None:
            return True
        proc, call = started
        try:
            proc.wait(timeout=wait)
            return True
        except subprocess.TimeoutExpired:
            return False
        finally:
            CALLS.close(call)  # the watchdog kills whatever is left of that LibreOffice
            proc.wait()

    def release(self, profile: Path, healthy: bool) -> None:
        """Put a profile back, or delete it when its process was killed (it may be locked or half-written)."""
        if profile in self._running and not self._end_head_start(profile, HEAD_START_END if healthy else 0):
            healthy = False  # a head start that outlived its call: no second call may meet it in this profile
        if healthy:
            with self._lock:
                if profile not in self._free:
                    self._free.append(profile)
        else:
            shutil.rmtree(profile, ignore_errors=True)

    def end_head_starts(self) -> None:
        """End every head start that no call has used (the build needed fewer converters, or failed)."""
        for profile in list(self._running):
            self._end_head_start(profile, 0)

    def close(self) -> None:
        """Delete every profile; the next conversion starts cold."""
        self.end_head_starts()
        with self._lock:
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
            if self._own_root:
                self._root = None
            self._free = []


# A head start ends within a second of serving its call; a profile is not used again until it has.
HEAD_START_END = 10


def soffice_env(fonts_dir: Path, profiles: ProfilePool) -> dict[str, str]:
    """What every soffice of a conversion runs with: our font mapping, and TMPDIR beside the profiles (LibreOffice
    writes its own scratch files, lu*.tmp, there)."""
    return {**os.environ, **fontconfig_env(fonts_dir), "TMPDIR": str(profiles.root)}


PROFILES = ProfilePool()
atexit.register(PROFILES.close)


# Measured here (LibreOffice 7.4.7, 2 cores shared with other work): a cold start takes up to ~20 s; a
# table cut into 200-row pieces (pipeline.engine.batches.split_long_tables) lays out at about 29 s per MB of
# document.xml (3,000 rows, 1.44 MB: 42 s); merged one-page forms are several times faster. The scale gives
# each call twice the slowest rate on top of the floor; the ceiling stops a hung LibreOffice within the hour.
FLOOR_SECONDS = 120
PER_MB_SECONDS = 60
CEILING_SECONDS = 3600


@dataclass(frozen=True)
class Timeout:
    """How long one soffice call may take: a floor for start-up plus time per MB of layout work, capped.

    What costs time is layout work (document.xml size), not the number of files in the call.
    """

    floor: float
    per_mb: float
    ceiling: float

    def at_most(self, seconds: float) -> "Timeout":
        """The same scale with a lower or higher ceiling (make all CONVERT_TIMEOUT=seconds)."""
        return Timeout(min(self.floor, seconds), self.per_mb, seconds)

    def for_weight(self, weight: int) -> float:
        """The timeout for a call converting `weight` bytes of document.xml."""
        return min(self.ceiling, self.floor + self.per_mb * weight / 1_000_000)


DEFAULT_TIMEOUT = Timeout(floor=FLOOR_SECONDS, per_mb=PER_MB_SECONDS, ceiling=CEILING_SECONDS)


def layout_weight(path: Path) -> int:
    """How much layout work a DOCX is for LibreOffice: the unpacked size of its main part.

    The file size misleads: a merged batch of 300 forms compresses to little, but costs 300 forms.
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


def _is_complete_pdf(path: Path) -> bool:
    """Tell whether a file looks like a whole PDF: header at the start and %%EOF near the end."""
    size = path.stat().st_size if path.is_file() else 0
    if size < 64:
        return False
    with path.open("rb") as fh:
        head = fh.read(5)
        fh.seek(max(0, size - 1024))
        return head == b"%PDF-" and b"%%EOF" in fh.read()


def _soffice_command(files: Sequence[Path], outdir: Path | None, profile: Path) -> list[str]:
    """Build the soffice command line for one batch (no files: LibreOffice started for a later call)."""
    start = ["soffice", f"-env:UserInstallation={profile.as_uri()}",
             "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck"]
    if not files:
        return start
    return [*start, f"--infilter={DOCX_FILTER}", "--convert-to", PDF_FILTER, "--outdir", str(outdir),
            *map(str, files)]


WATCHDOG = Path(__file__).with_name("watchdog.py")


class _Calls:
    """The running soffice calls, so that a stopping build can end them all at once. A call is known by a number
    of its own, not by its pipe's descriptor, which the system hands out again once closed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pipes: dict[int, int] = {}  # call → write end of its watchdog's pipe
        self._next = 0

    def open(self) -> tuple[int, int]:
        """A pipe for one watchdog: its read end for the watchdog's stdin, and the call's number."""
        read, write = os.pipe()
        with self._lock:
            self._next += 1
            self._pipes[self._next] = write
            return read, self._next

    def close(self, call: int) -> None:
        """Close one watchdog's pipe: it kills its soffice group and exits."""
        with self._lock:
            write = self._pipes.pop(call, None)
        if write is not None:
            os.close(write)

    def stop_all(self) -> None:
        """End every running soffice call (the build failed or was interrupted)."""
        with self._lock:
            pipes, self._pipes = self._pipes, {}
        for write in pipes.values():
            os.close(write)


CALLS = _Calls()


def start_watched(cmd: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    """Start cmd under the watchdog; return the watchdog's process and the call's number in CALLS, which ends it."""
    if shutil.which(cmd[0], path=env.get("PATH")) is None:
        raise ConversionError("未找到 LibreOffice（soffice），请先运行 make sysdeps 安装。")
    read, call = CALLS.open()
    try:
        proc = subprocess.Popen([sys.executable, "-I", str(WATCHDOG), *cmd], env=env, stdin=read,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except BaseException:
        CALLS.close(call)
        raise
    finally:
        os.close(read)
    return proc, call


def run_soffice(cmd: list[str], env: dict[str, str], timeout: float) -> int | None:
    """Run soffice under the watchdog; kill its whole group on timeout. Return its exit code, None if killed.

    The pipe's write end lives only in this process (os.pipe makes it non-inheritable), so the kernel closes
    it when this process dies, however it dies, and the watchdog then kills soffice (pipeline/engine/watchdog.py).
    """
    proc, call = start_watched(cmd, env)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        CALLS.close(call)  # the watchdog kills the group: soffice wrapper, oosplash, soffice.bin
        proc.wait()
    return None if code in (None, KILLED) else code


# Measured here (LibreOffice 7.4.7): one `soffice --convert-to` call converts at most 246 files and then
# exits with status 0, silently skipping the rest, whatever the length of the paths. Stay well below.
MAX_FILES_PER_CALL = 100


@dataclass(frozen=True)
class Failure:
    """Why one document has no PDF, in Chinese; timed_out: LibreOffice was killed, not refused the file."""

    reason: str
    timed_out: bool = False


class ConversionFailed(ConversionError):
    """Some documents have no PDF; failures says which and why, for a caller that names them better."""

    def __init__(self, message: str, failures: dict[Path, Failure]) -> None:
        super().__init__(message)
        self.failures = failures


@dataclass(frozen=True)
class _Setup:
    """What every soffice call of one conversion shares."""

    env: dict[str, str]
    profiles: ProfilePool
    timeout: Timeout


def _run_batch(files: Sequence[Path], out_dir: Path, setup: _Setup) -> dict[Path, Failure]:
    """Convert one worker's batch in calls of at most MAX_FILES_PER_CALL files; return the failures."""
    failures: dict[Path, Failure] = {}
    for i in range(0, len(files), MAX_FILES_PER_CALL):
        failures.update(_run_call(files[i:i + MAX_FILES_PER_CALL], out_dir, setup))
    return failures


def _run_call(files: Sequence[Path], out_dir: Path, setup: _Setup) -> dict[Path, Failure]:
    """Convert files in one soffice call into a scratch folder, move complete PDFs into out_dir."""
    staging = Path(tempfile.mkdtemp(prefix=".soffice-", dir=out_dir))
    profile = setup.profiles.acquire()
    timeout = setup.timeout.for_weight(sum(map(layout_weight, files)))
    code = None
    try:
        code = run_soffice(_soffice_command(files, staging, profile), setup.env, timeout)
        failures = {}
        for f in files:
            pdf = staging / f"{f.stem}.pdf"
            if _is_complete_pdf(pdf):
                os.replace(pdf, out_dir / pdf.name)
            else:
                failures[f] = _failure(f, code is not None, timeout)
        return failures
    finally:
        setup.profiles.release(profile, healthy=code == 0)  # a killed or crashed process may leave a locked profile
        shutil.rmtree(staging, ignore_errors=True)


def _failure(f: Path, finished: bool, timeout: float) -> Failure:
    """Say in Chinese why a document has no PDF."""
    if not finished:
        return Failure(f"LibreOffice 在 {timeout:g} 秒内没有转换完成，已被终止", timed_out=True)
    if not f.is_file():
        return Failure("文件不存在")
    if not zipfile.is_zipfile(f):
        return Failure("文件不是有效的 Word（.docx）文档，可能已损坏，请用 Word 或 WPS 打开后另存一份")
    return Failure("LibreOffice 未能打开或转换此文件，请用 Word 或 WPS 打开检查后另存一份")


def _run_batches(batches: list[list[Path]], out_dir: Path, setup: _Setup, workers: int) -> dict[Path, Failure]:
    """Run batches, at most `workers` at a time; return the failures of all of them."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = pool.map(lambda b: _run_batch(b, out_dir, setup), batches)
        return {f: why for failures in results for f, why in failures.items()}


def _check_unique_stems(files: Sequence[Path]) -> None:
    """Refuse two inputs that would write the same PDF name."""
    seen: dict[str, Path] = {}
    for f in files:
        if f.stem in seen and seen[f.stem] != f:
            raise ValueError(f"two inputs would both become {f.stem}.pdf: {seen[f.stem]} and {f}")
        seen[f.stem] = f


def convert_to_pdf(docx_paths: Sequence[Path], out_dir: Path, *, workers: int = 2,
                   timeout: Timeout | float = DEFAULT_TIMEOUT, retries: int = 1, fonts_dir: Path = FONTS_DIR,
                   profiles: ProfilePool = PROFILES) -> dict[Path, Path]:
    """Convert DOCX files to PDFs in out_dir; return {docx: pdf} or raise ConversionFailed naming each failure.

    timeout: a Timeout scale, or seconds that no call may exceed. profiles: where the LibreOffice profiles
    and temporary files live (a build passes its own, inside its staging folder).
    """
    originals = {Path(p).resolve(): Path(p) for p in docx_paths}
    files = list(originals)
    _check_unique_stems(files)
    if not files:
        return {}
    target = Path(out_dir).resolve()
    target.mkdir(parents=True, exist_ok=True)
    scale = timeout if isinstance(timeout, Timeout) else DEFAULT_TIMEOUT.at_most(timeout)
    env = soffice_env(fonts_dir, profiles)
    setup = _Setup(env, profiles, scale)
    failures = _run_batches(balance(files, workers), target, setup, workers)
    for _ in range(retries):  # one file per call, so one bad document cannot sink the others
        # A timeout is not retried: the call was killed for its size, and a retry only doubles the wait.
        again = [f for f, why in failures.items() if not why.timed_out]
        if not again:
            break
        timed_out = {f: why for f, why in failures.items() if why.timed_out}
        failures = timed_out | _run_batches([[f] for f in again], target, setup, workers)
    if failures:
        head = f"以下 {len(failures)} 个文档未能转换为 PDF（已重试 {retries} 次）："
        lines = [f"  {originals[f]}：{failures[f].reason}" for f in files if f in failures]
        raise ConversionFailed("\n".join([head] + lines), {originals[f]: failures[f] for f in files if f in failures})
    return {originals[f]: Path(out_dir) / f"{f.stem}.pdf" for f in files}
