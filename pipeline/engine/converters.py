"""Who turns a DOCX into a PDF: this machine's LibreOffice lanes (the default) or a pool of unoserver servers.

Both sit behind one interface, `convert(src, out_dir, timeout) -> Converted` (the PDF and the name of the
converter that made it, recorded in the manifest), and both produce the same PDF: the Word import filter
forced (convert.DOCX_FILTER), writer_pdf_Export with SelectPdfVersion 2 (PDF/A-2b, convert.PDF_FILTER),
bookmarks exported (the filter's default; pdfs.py splits merged pieces at them), and, for a server this
machine starts, the same font mapping (fonts.fontconfig_env). docs/reference.md, 转换服务器.

A unoserver (PyPI `unoserver`, run by the system python3 that has Debian's python3-uno, from .venv-uno)
serves XML-RPC and converts one document at a time, so a pool of N servers converts N pieces at once. We
talk to it with the standard library's xmlrpc client, as its own client does, because that client has no
time limit per call and retries a refused connection for 50 s, which would defeat moving work away from a
server that died or hangs.
"""
from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, NamedTuple, Protocol, Sequence

from pipeline.engine import convert
from pipeline.engine.convert import DOCX_FILTER, ConversionFailed, Failure, ProfilePool, Timeout, layout_weight
from pipeline.errors import ConversionError, PipelineError

LOCAL = "local"  # the manifest's name for this machine's LibreOffice lanes
ENV_VAR = "PIPELINE_CONVERTERS"  # an office sets its pool once here; --converters / CONVERTERS= wins
ROOT = Path(__file__).resolve().parents[2]
UNO_PYTHON = ROOT / ".venv-uno" / "bin" / "python"  # made by `make setup` (Makefile, .venv-uno)
UNOSERVER_API = "3"  # what unoserver 3.x answers in info()["api"]
# The export filter and its option in unoserver's "Name=Value" form: the same PDF/A-2b as convert.PDF_FILTER.
PDF_EXPORT = "writer_pdf_Export"
PDF_OPTIONS = ["SelectPdfVersion=2"]

# How long a server may take to answer info() before it counts as not answering. unoserver serves one
# request at a time, so a shared server busy with another office's document answers late, not never.
PROBE_SECONDS = 15
# A server taken out of the rotation is asked again after this long (a supervisor may have restarted it).
REPROBE_SECONDS = 30
# When no server is left, wait this long for one to come back: a supervised unoserver restarted after
# its N conversions answers again after about 10 s here (it sleeps 7 s before serving, then LibreOffice starts).
RETURN_SECONDS = 90
# A document that hung one server is tried on one more; hanging a second one, it is the document's fault.
HANG_MOVES = 1
# A document during which two servers died is not handed to a third.
CRASH_MOVES = 2
# A server this machine starts restarts its LibreOffice after this many conversions (memory creeps up
# over long runs, as unoserver's tracker documents); `make converter-server RESTART_AFTER=n` changes it.
RESTART_AFTER = 200


class Converted(NamedTuple):
    pdf: Path
    by: str  # "local" or host:port


class Backend(Protocol):
    """What pdfs.Converter converts through."""

    workers: int  # how many pieces convert at once

    def check(self) -> None:
        """Raise ConversionError (in Chinese, naming what does not answer) when nothing can convert."""

    def convert(self, src: Path, out_dir: Path, timeout: Timeout) -> Converted:
        """Convert one DOCX into out_dir/<stem>.pdf; ConversionFailed names the document's failure."""

    def convert_many(self, srcs: Sequence[Path], out_dir: Path, timeout: Timeout) -> dict[Path, Converted]:
        """Convert several DOCX (distinct stems) into out_dir; ConversionFailed names the documents that failed."""

    def stop(self) -> None:
        """End running conversions at once (the build stops)."""


class LocalLanes:
    """Today's conversion: soffice processes on this machine, with the build's warm profiles."""

    def __init__(self, profiles: ProfilePool, workers: int = 2) -> None:
        self.profiles, self.workers = profiles, max(1, workers)

    def check(self) -> None:
        pass  # a missing soffice is said by convert.run_soffice, as before

    def convert(self, src: Path, out_dir: Path, timeout: Timeout) -> Converted:
        pdf = convert.convert_to_pdf([src], out_dir, workers=1, timeout=timeout, profiles=self.profiles)[src]
        return Converted(pdf, LOCAL)

    def convert_many(self, srcs: Sequence[Path], out_dir: Path, timeout: Timeout) -> dict[Path, Converted]:
        # One soffice call for all of them: LibreOffice's start-up (about a second here) is paid once, not per
        # document, as in the two-batch baseline of `make bench`.
        made = convert.convert_to_pdf(list(srcs), out_dir, workers=1, timeout=timeout, profiles=self.profiles)
        return {src: Converted(pdf, LOCAL) for src, pdf in made.items()}

    def stop(self) -> None:
        convert.CALLS.stop_all()


# --- choosing the converters ---

@dataclass(frozen=True)
class Server:
    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self}/RPC2"


EXAMPLE = "10.0.0.5:2003,10.0.0.6:2003"


def parse_servers(text: str, source: str) -> list[Server]:
    """Read "host:port,host:port"; refuse every wrong item at once, in Chinese, naming where it was set."""
    items = text.split(",")
    problems, servers = [], []
    for i, raw in enumerate(items, 1):
        item = raw.strip()
        where = f"第 {i} 项" + (f"“{item}”" if item else "")
        if not item:
            problems.append(f"{where}是空的（多了一个逗号？）")
            continue
        host, sep, port = item.rpartition(":")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if not sep or not host or ":" in host and not item.startswith("["):
            problems.append(f"{where}没有写端口，应写成 主机:端口")
            continue
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            problems.append(f"{where}的端口“{port}”不对，端口应是 1 到 65535 之间的整数")
            continue
        server = Server(host, int(port))
        if server in servers:
            problems.append(f"{where}重复了")
            continue
        servers.append(server)
    if problems:
        raise PipelineError(f"{source} 的值“{text}”有误，未做任何事：\n"
                            + "\n".join(f"  {p}" for p in problems)
                            + f"\n请写成 主机:端口，多台用英文逗号分隔，例如 {EXAMPLE}；"
                              f"写 local 或留空则用本机的 LibreOffice 转换。")
    return servers


def choose_servers(cli_value: str | None, environ: dict[str, str] | None = None) -> list[Server] | None:
    """The pool to convert through, or None for the local lanes: --converters first, then PIPELINE_CONVERTERS."""
    environ = os.environ if environ is None else environ
    if cli_value is not None:
        value, source = cli_value, "--converters（make all CONVERTERS=…）"
    else:
        value, source = environ.get(ENV_VAR, ""), f"环境变量 {ENV_VAR}"
    if value.strip().lower() in ("", LOCAL):
        return None
    return parse_servers(value, source)


# --- the pool ---

class _Transport(xmlrpc.client.Transport):
    """An XML-RPC transport with a time limit, whose socket another thread can cut (the build stops)."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.conn: http.client.HTTPConnection | None = None

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.seconds  # used by connect() and then by every read
        self.conn = conn
        return conn

    def cut(self) -> None:
        sock = self.conn.sock if self.conn is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _reason(exc: BaseException) -> str:
    """Why a server did not answer, in Chinese."""
    if isinstance(exc, ConnectionRefusedError):
        return "拒绝连接（该端口上没有运行转换服务）"
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)):
        return "连接被中断（转换服务可能已退出）"
    if isinstance(exc, socket.gaierror):
        return "找不到这台主机（请检查主机名或 IP 地址）"
    if isinstance(exc, OSError) and exc.strerror:
        return f"无法连接（{exc.strerror}）"
    return f"无法连接（{type(exc).__name__}）"


_TRANSPORT_ERRORS = (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError)


class UnoPool:
    """Convert through a pool of unoserver servers: health check, time limit per document, failover.

    A server that fails or hangs is taken out of the rotation and asked again after REPROBE_SECONDS; its
    document moves to another server. Restarting a server is its supervisor's business (converter_server
    below for the ones this machine starts).
    """

    def __init__(self, servers: Sequence[Server], log: Callable[[str], None] | None = None,
                 probe_seconds: float = PROBE_SECONDS, reprobe_seconds: float = REPROBE_SECONDS,
                 return_seconds: float = RETURN_SECONDS) -> None:
        if not servers:
            raise ValueError("a pool needs at least one server")
        self.servers = list(servers)
        self.workers = len(self.servers)
        self.log = log or (lambda msg: print(msg, file=sys.stderr))
        self.probe_seconds, self.reprobe_seconds, self.return_seconds = probe_seconds, reprobe_seconds, return_seconds
        self._lock = threading.Lock()
        self._down: dict[Server, tuple[float, str]] = {}  # server → (when taken out, why)
        self._probing: set[Server] = set()
        self._busy = {s: 0 for s in self.servers}
        self._active: set[_Transport] = set()
        self._stopping = threading.Event()
        self.made: dict[str, int] = {str(s): 0 for s in self.servers}  # conversions per server (bench, tests)

    # XML-RPC
    def _call(self, server: Server, seconds: float, method: str, *args):
        transport = _Transport(seconds)
        with self._lock:
            self._active.add(transport)
        try:
            with xmlrpc.client.ServerProxy(server.url, transport=transport, allow_none=True) as proxy:
                return getattr(proxy, method)(*args)
        finally:
            with self._lock:
                self._active.discard(transport)

    def probe(self, server: Server) -> str | None:
        """None when the server answers as a unoserver of our API; otherwise why not, in Chinese."""
        try:
            info = self._call(server, self.probe_seconds, "info")
        except TimeoutError:
            return f"{self.probe_seconds:g} 秒内没有应答（可能卡住了，或正忙于别的转换）"
        except xmlrpc.client.Fault:
            return "应答出错（可能不是 unoserver，或其 LibreOffice 没有启动成功）"
        except _TRANSPORT_ERRORS as exc:
            return _reason(exc)
        api = info.get("api") if isinstance(info, dict) else None
        if str(api) != UNOSERVER_API:
            return f"不是兼容的 unoserver（接口版本 {api}，需要 {UNOSERVER_API}，请安装 unoserver 3.x）"
        return None

    def check(self) -> None:
        """Ask every server before the build; stop when none answers, say which ones do not."""
        with ThreadPoolExecutor(len(self.servers)) as ex:
            answers = dict(zip(self.servers, ex.map(self.probe, self.servers)))
        silent = {s: why for s, why in answers.items() if why is not None}
        lines = [f"  {s}：{why}" for s, why in silent.items()]
        if len(silent) == len(self.servers):
            raise ConversionError("PDF 转换服务器都没有应答，未生成任何文件：\n" + "\n".join(lines)
                                  + "\n请确认这些服务器已用 make converter-server 启动、地址端口无误且防火墙放行；"
                                    "或去掉 CONVERTERS（及环境变量 PIPELINE_CONVERTERS）改用本机转换。")
        now = time.monotonic()
        with self._lock:
            for s, why in silent.items():
                self._down[s] = (now, why)
        if silent:
            self.log("以下 PDF 转换服务器没有应答，暂不使用，由其余服务器转换：\n" + "\n".join(lines))

    # choosing a server
    def _take_out(self, server: Server, why: str) -> None:
        with self._lock:
            fresh = server not in self._down
            self._down[server] = (time.monotonic(), why)
        if fresh:
            self.log(f"PDF 转换服务器 {server} {why}，暂停使用，其文书改由其余服务器转换。")

    def _reprobe(self, due_only: bool) -> None:
        """Ask servers out of the rotation again (only those out for REPROBE_SECONDS unless due_only is False)."""
        now = time.monotonic()
        with self._lock:
            todo = [s for s, (since, _) in self._down.items()
                    if s not in self._probing and (not due_only or now - since >= self.reprobe_seconds)]
            self._probing.update(todo)
        for s in todo:
            try:
                why = self.probe(s)
                with self._lock:
                    if why is None:
                        self._down.pop(s, None)
                    else:
                        self._down[s] = (time.monotonic(), why)
                if why is None:
                    self.log(f"PDF 转换服务器 {s} 已恢复应答，重新使用。")
            finally:
                with self._lock:
                    self._probing.discard(s)

    def _pick(self, exclude: set[Server]) -> Server | None:
        """The least busy server in the rotation; waits RETURN_SECONDS for one when none is left.

        None: every server left is one this document has already hung.
        """
        waited_since = None
        while True:
            if self._stopping.is_set():
                raise ConversionError("PDF 转换已中止。")
            self._reprobe(due_only=True)
            with self._lock:
                up = [s for s in self.servers if s not in self._down and s not in exclude]
                if up:
                    server = min(up, key=lambda s: (self._busy[s], self.made[str(s)]))
                    self._busy[server] += 1
                    return server
                if all(s in exclude for s in self.servers):
                    return None
                down = dict(self._down)
            waited_since = waited_since or time.monotonic()
            if time.monotonic() - waited_since > self.return_seconds:
                raise ConversionError(f"PDF 转换服务器都已无法使用（等待 {self.return_seconds:g} 秒仍未恢复），"
                                      "未生成任何文件：\n"
                                      + "\n".join(f"  {s}：{why}" for s, (_, why) in down.items())
                                      + "\n请检查这些服务器后重新运行，或去掉 CONVERTERS 改用本机转换。")
            self._reprobe(due_only=False)
            self._stopping.wait(2)

    def _release(self, server: Server) -> None:
        with self._lock:
            self._busy[server] -= 1

    # converting
    def convert(self, src: Path, out_dir: Path, timeout: Timeout) -> Converted:
        data = xmlrpc.client.Binary(src.read_bytes())
        seconds = timeout.for_weight(layout_weight(src))
        hung: set[Server] = set()
        crashed = 0
        while True:
            server = self._pick(hung)
            if server is None:
                names = "、".join(map(str, hung))
                raise ConversionFailed("timeout", {src: Failure(
                    f"转换服务器 {names} 都没有在 {seconds:g} 秒内转换完成", timed_out=True)})
            try:
                # unoserver's convert(inpath, indata, outpath, convert_to, filtername, filter_options,
                # update_index, infiltername, password); update_index off, as soffice --convert-to does.
                result = self._call(server, seconds, "convert", None, data, None, "pdf", PDF_EXPORT,
                                    PDF_OPTIONS, False, DOCX_FILTER, None)
            except TimeoutError:
                if self._stopping.is_set():
                    raise ConversionError("PDF 转换已中止。") from None
                self._take_out(server, f"在 {seconds:g} 秒内没有转换完成")
                hung.add(server)
                if len(hung) > HANG_MOVES:
                    raise ConversionFailed("timeout", {src: Failure(
                        f"转换服务器 {'、'.join(map(str, hung))} 都没有在 {seconds:g} 秒内转换完成",
                        timed_out=True)}) from None
                continue
            except xmlrpc.client.Fault:
                # The server refused the document, or its LibreOffice died under it: ask it which.
                why = self.probe(server)
                if why is None:
                    raise ConversionFailed("refused", {src: convert._failure(src, True, seconds)}) from None
                self._take_out(server, why)
                crashed += 1
            except _TRANSPORT_ERRORS as exc:
                if self._stopping.is_set():
                    raise ConversionError("PDF 转换已中止。") from None
                self._take_out(server, _reason(exc))
                crashed += 1
            else:
                return self._save(src, out_dir, result, server)
            finally:
                self._release(server)
            if crashed >= CRASH_MOVES:
                raise ConversionFailed("crashed", {src: Failure(
                    "转换服务器在转换这份文书时两次中断，请用 Word 或 WPS 打开检查后另存一份")})

    def convert_many(self, srcs: Sequence[Path], out_dir: Path, timeout: Timeout) -> dict[Path, Converted]:
        # A server's LibreOffice is already running: one document after another costs no start-up.
        made, failures = {}, {}
        for src in srcs:
            try:
                made[src] = self.convert(src, out_dir, timeout)
            except ConversionFailed as exc:
                failures.update(exc.failures)
        if failures:
            raise ConversionFailed("failed", failures)
        return made

    def _save(self, src: Path, out_dir: Path, result, server: Server) -> Converted:
        blob = result.data if isinstance(result, xmlrpc.client.Binary) else b""
        out_dir.mkdir(parents=True, exist_ok=True)
        pdf = out_dir / f"{src.stem}.pdf"
        tmp = out_dir / f".{src.stem}.{threading.get_ident()}.part"
        tmp.write_bytes(blob)
        if not convert._is_complete_pdf(tmp):
            tmp.unlink()
            raise ConversionFailed("incomplete", {src: convert._failure(src, True, 0)})
        os.replace(tmp, pdf)
        with self._lock:
            self.made[str(server)] += 1
        return Converted(pdf, str(server))

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            active = list(self._active)
        for transport in active:
            transport.cut()


def backend_for(servers: Sequence[Server] | None, profiles: ProfilePool, workers: int,
                log: Callable[[str], None] | None = None) -> Backend:
    return UnoPool(servers, log) if servers else LocalLanes(profiles, workers)


# --- a server on this machine: `make converter-server` ---

def free_port(interface: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET6 if ":" in interface else socket.AF_INET) as s:
        s.bind((interface, 0))
        return s.getsockname()[1]


def _port_taken(interface: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in interface else socket.AF_INET) as s:
        try:
            s.bind((interface, port))
        except OSError:
            return True
    return False


def unoserver_missing() -> str | None:
    """Why this machine cannot start a unoserver (Chinese), or None."""
    if not UNO_PYTHON.exists():
        return f"没有找到 {UNO_PYTHON.relative_to(ROOT)}（装有 unoserver 的 Python 环境），请先运行 make setup。"
    probe = subprocess.run([str(UNO_PYTHON), "-c", "import uno, unoserver.server"], capture_output=True)
    if probe.returncode != 0:
        return "系统 Python 缺少 uno 模块或 unoserver，请先运行 make setup（安装 python3-uno 和 unoserver）。"
    if shutil.which("soffice") is None:
        return "未找到 LibreOffice（soffice），请先运行 make sysdeps 安装。"
    return None


def converter_server(port: int, interface: str = "127.0.0.1", restart_after: int = RESTART_AFTER,
                     log: Callable[[str], None] | None = None, stop: threading.Event | None = None) -> int:
    """Run a unoserver on interface:port and restart it after each `restart_after` conversions, or when it
    dies, until SIGTERM/SIGINT (or `stop`). Its LibreOffice runs with our font mapping, its profile and
    temporary files (documents' content) in a private folder removed on exit. Returns the exit status.
    """
    from pipeline.engine.fonts import fontconfig_env

    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    missing = unoserver_missing()
    if missing:
        log(missing)
        return 1
    if _port_taken(interface, port):
        log(f"端口 {interface}:{port} 已被占用，请换一个端口，例如 make converter-server PORT={port + 1}。")
        return 1
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, lambda *_: stop.set())
    _remove_orphans()
    work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-"))  # mode 0700: applicants' names inside
    env = {**os.environ, **fontconfig_env(), "TMPDIR": str(work / "tmp")}
    (work / "tmp").mkdir()
    starts, quick_failures = 0, 0
    try:
        while not stop.is_set():
            cmd = [str(UNO_PYTHON), "-m", "unoserver.server", "--interface", interface, "--port", str(port),
                   "--uno-port", str(free_port()), "--user-installation", str(work / "profile"),
                   "--temp-dir", str(work / "tmp"), "--conversion-timeout", str(convert.CEILING_SECONDS),
                   "--stop-after", str(restart_after)]
            started = time.monotonic()
            starts += 1
            log(f"转换服务 {Server(interface, port)} 启动（第 {starts} 次），每转换 {restart_after} 份后重启 LibreOffice。")
            code = _run_watched(cmd, env, stop)
            if stop.is_set():
                break
            if code == 0:
                log(f"转换服务 {Server(interface, port)} 已转换 {restart_after} 份，重启以释放内存。")
                quick_failures = 0
                continue
            quick_failures = quick_failures + 1 if time.monotonic() - started < 60 else 1
            if quick_failures >= 5:
                log(f"转换服务 {Server(interface, port)} 连续 {quick_failures} 次启动后很快退出，已停止；"
                    "请检查 LibreOffice 能否运行（make sysdeps）。")
                return 1
            log(f"转换服务 {Server(interface, port)} 意外退出（状态 {code}），重新启动。")
            stop.wait(min(30, 2 ** quick_failures))
        log(f"转换服务 {Server(interface, port)} 已停止。")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


WORK_PREFIX = "pipeline-unoserver-"


def _remove_orphans() -> None:
    """Delete the work folders of supervisors that were killed (SIGKILL leaves no chance to clean up): they
    hold LibreOffice profiles and temporary copies of documents."""
    for folder in Path(tempfile.gettempdir()).glob(f"{WORK_PREFIX}*-*"):
        pid = folder.name[len(WORK_PREFIX):].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass  # another user's live supervisor


def _run_watched(cmd: list[str], env: dict[str, str], stop: threading.Event) -> int | None:
    """Run cmd under the watchdog (pipeline/engine/watchdog.py): it dies with this process, however it dies."""
    read, write = os.pipe()
    try:
        proc = subprocess.Popen([sys.executable, "-I", str(convert.WATCHDOG), *cmd], env=env, stdin=read,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    finally:
        os.close(read)
    try:
        while proc.poll() is None and not stop.wait(0.5):
            pass
    finally:
        os.close(write)  # the watchdog kills unoserver's group: unoserver, soffice, soffice.bin
        code = proc.wait()
    return code


@contextlib.contextmanager
def local_servers(count: int, restart_after: int = RESTART_AFTER, ready_seconds: float = 120,
                  log_dir: Path | None = None) -> Iterator[list[tuple[Server, subprocess.Popen]]]:
    """Start `count` supervised servers on loopback (free ports) for tests and the benchmark; wait until each
    answers; stop them on the way out. Each runs `python -m pipeline converter-server` in its own process
    group, so killing that group takes its unoserver and LibreOffice with it (through the watchdog)."""
    missing = unoserver_missing()
    if missing:
        raise ConversionError(missing)
    started: list[tuple[Server, subprocess.Popen]] = []
    logs = []
    try:
        for i in range(count):
            server = Server("127.0.0.1", free_port())
            log = open(log_dir / f"server-{i}.log", "w") if log_dir else subprocess.DEVNULL
            logs.append(log)
            proc = subprocess.Popen([sys.executable, "-m", "pipeline", "converter-server", "--port", str(server.port),
                                     "--restart-after", str(restart_after)], cwd=ROOT, stdout=log, stderr=log,
                                    start_new_session=True)
            started.append((server, proc))
        pool = UnoPool([s for s, _ in started], log=lambda msg: None, probe_seconds=5)
        deadline = time.monotonic() + ready_seconds
        for server, proc in started:
            while pool.probe(server) is not None:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise ConversionError(f"本机转换服务 {server} 没有启动成功。")
                time.sleep(0.5)
        yield started
    finally:
        for _, proc in started:
            if proc.poll() is None:
                proc.terminate()
        for _, proc in started:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for log in logs:
            if log is not subprocess.DEVNULL:
                log.close()
