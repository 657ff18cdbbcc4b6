"""Converting through a pool of unoserver servers (docs/reference.md, 转换服务器), for real: two servers on
loopback started as `python -m pipeline converter-server` does, the sample campaign built through them, one
server killed in the middle, a server that hangs, a server restarted after N conversions, no server at all.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from pipeline.engine import converters
from pipeline.engine.convert import ConversionFailed, Timeout
from pipeline.engine.converters import LOCAL, Server, UnoPool, choose_servers, local_servers, parse_servers
from pipeline.engine.lock import LOCK_FILE
from pipeline.engine.manifest import Manifest
from pipeline.errors import PipelineError
from pipeline.run import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs"
TEMPLATES = ROOT / "templates"

MISSING = converters.unoserver_missing()
needs_unoserver = pytest.mark.skipif(MISSING is not None, reason=f"{MISSING} (unoserver is installed by `make setup`)")


# --- choosing converters: pure ---

def test_a_list_of_servers_is_read_host_and_port():
    assert parse_servers("10.0.0.5:2003, 10.0.0.6:2004", "x") == [Server("10.0.0.5", 2003), Server("10.0.0.6", 2004)]
    assert parse_servers("[::1]:2003", "x") == [Server("::1", 2003)]
    assert str(Server("::1", 2003)) == "[::1]:2003"


@pytest.mark.parametrize("text, says", [
    ("127.0.0.1", "第 1 项“127.0.0.1”没有写端口"),
    ("127.0.0.1:0", "端口“0”不对"),
    ("127.0.0.1:65536", "端口“65536”不对"),
    ("127.0.0.1:x", "端口“x”不对"),
    ("127.0.0.1:2003,,127.0.0.1:2004", "第 2 项是空的"),
    ("127.0.0.1:2003,", "第 2 项是空的"),
    (":2003", "没有写端口"),
    ("127.0.0.1:2003,127.0.0.1:2003", "第 2 项“127.0.0.1:2003”重复了"),
])
def test_a_wrong_list_is_refused_in_chinese(text, says):
    with pytest.raises(PipelineError) as err:
        parse_servers(text, "--converters")
    assert says in str(err.value)
    assert "--converters" in str(err.value) and "主机:端口" in str(err.value)


def test_every_wrong_item_is_named_at_once():
    with pytest.raises(PipelineError) as err:
        parse_servers("127.0.0.1,127.0.0.1:99999,127.0.0.1:2003", "x")
    assert "第 1 项" in str(err.value) and "第 2 项" in str(err.value) and "第 3 项" not in str(err.value)


def test_the_command_line_wins_over_the_office_setting():
    office = {"PIPELINE_CONVERTERS": "127.0.0.1:2003"}
    assert choose_servers(None, office) == [Server("127.0.0.1", 2003)]
    assert choose_servers("127.0.0.1:2005", office) == [Server("127.0.0.1", 2005)]
    assert choose_servers("local", office) is None  # this machine's LibreOffice after all
    assert choose_servers(None, {}) is None
    with pytest.raises(PipelineError, match="环境变量 PIPELINE_CONVERTERS"):
        choose_servers(None, {"PIPELINE_CONVERTERS": "127.0.0.1"})


def _cli(out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(SAMPLE), "--out", str(out), *args],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)


@pytest.mark.e2e
@pytest.mark.parametrize("args, env, says", [
    (["--converters", "127.0.0.1:2003,,"], {}, "--converters"),
    ([], {"PIPELINE_CONVERTERS": "127.0.0.1"}, "环境变量 PIPELINE_CONVERTERS"),
])
def test_a_wrong_list_stops_the_command_before_anything_is_done(tmp_path, args, env, says):
    out = tmp_path / "out"
    proc = _cli(out, "build", "all", *args, env=env)
    assert proc.returncode == 1
    assert says in proc.stderr and "未做任何事" in proc.stderr
    assert not out.exists()  # not even the lock


def _free_ports(count: int) -> list[int]:
    """Ports on loopback that nothing listens on (bound and let go)."""
    return [converters.free_port() for _ in range(count)]


@pytest.mark.e2e
def test_no_server_answering_stops_the_build_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    servers = [f"127.0.0.1:{p}" for p in _free_ports(2)]
    proc = _cli(out, "build", "all", "--converters", ",".join(servers))
    assert proc.returncode == 1, proc.stderr
    assert "PDF 转换服务器都没有应答，未生成任何文件" in proc.stderr
    for server in servers:
        assert f"{server}：拒绝连接" in proc.stderr
    assert "make converter-server" in proc.stderr
    assert "正在生成 Word 文书" not in proc.stderr  # nothing was rendered
    assert [p.name for p in out.rglob("*")] in ([], [LOCK_FILE])


# --- two real servers ---

@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    if MISSING:
        pytest.skip(f"{MISSING} (unoserver is installed by `make setup`)")
    with local_servers(2, log_dir=tmp_path_factory.mktemp("server-logs")) as started:
        yield [server for server, _ in started]


@pytest.fixture(scope="module")
def local_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out"
    build(SAMPLE, out, ["all"], log=lambda msg: None)
    return out


@pytest.fixture(scope="module")
def pool_build(tmp_path_factory, two_servers):
    out = tmp_path_factory.mktemp("pool") / "out"
    report = build(SAMPLE, out, ["all"], converters=two_servers, log=lambda msg: None)
    return out, report


def _papers(out: Path) -> list[str]:
    return sorted(Manifest.load(out).documents)


@pytest.mark.integration
@needs_unoserver
def test_the_sample_builds_through_two_servers_and_the_manifest_names_them(pool_build, local_build, two_servers):
    out, report = pool_build
    papers = _papers(out)
    assert papers == _papers(local_build) and len(papers) > 50
    for rel in papers:
        assert (out / f"{rel}.docx").is_file() and (out / f"{rel}.pdf").is_file(), rel
    made_by = Manifest.load(out).converters()
    assert set(made_by.values()) == {str(s) for s in two_servers}  # both servers worked, nothing else did
    assert set(Manifest.load(local_build).converters().values()) == {LOCAL}


def _pdf_pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def _fonts(pdf: Path) -> set[str]:
    """The embedded fonts' names without the subset prefix (ABCDEF+)."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines}


@pytest.mark.integration
@needs_unoserver
def test_a_pool_pdf_is_the_local_pdf(pool_build, local_build):
    out, _ = pool_build
    pdfs = sorted(p.relative_to(local_build) for p in local_build.rglob("*.pdf"))
    assert len(pdfs) > 50
    for rel in pdfs:
        ours, theirs = out / rel, local_build / rel
        assert _pdf_pages_text(ours) == _pdf_pages_text(theirs), rel  # same pages, same text on each
        assert _fonts(ours) == _fonts(theirs), rel
        meta = subprocess.run(["pdfinfo", "-meta", str(ours)], capture_output=True, text=True, check=True).stdout
        assert re.search(r'pdfaid:part(>|=")2', meta), rel  # PDF/A-2 (b: pdfaid:conformance B)


@pytest.mark.integration
@needs_unoserver
def test_a_document_a_server_refuses_is_the_documents_fault_not_the_servers(two_servers, tmp_path):
    pool = UnoPool(two_servers[:1], log=lambda msg: None)
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"not a word document at all")
    with pytest.raises(ConversionFailed) as err:
        pool.convert(bad, tmp_path / "pdf", Timeout(60, 0, 60))
    assert "不是有效的 Word" in err.value.failures[bad].reason and not err.value.failures[bad].timed_out
    good = pool.convert(TEMPLATES / "任职通知.docx", tmp_path / "pdf", Timeout(60, 0, 60))  # still in the rotation
    assert good.by == str(two_servers[0]) and good.pdf.read_bytes().startswith(b"%PDF-")


@pytest.fixture
def hanging_server():
    """A server that accepts a connection and never answers (a hung unoserver)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield Server("127.0.0.1", listener.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


@pytest.mark.integration
@needs_unoserver
def test_a_hanging_server_loses_its_document_to_another(two_servers, hanging_server, tmp_path):
    said: list[str] = []
    pool = UnoPool([hanging_server, two_servers[0]], log=said.append)  # the hung one is asked first
    t = time.monotonic()
    made = pool.convert(TEMPLATES / "任职通知.docx", tmp_path, Timeout(5, 0, 5))
    assert made.by == str(two_servers[0]) and made.pdf.is_file()
    assert 5 <= time.monotonic() - t < 30
    assert any(str(hanging_server) in msg and "秒内没有转换完成" in msg for msg in said)
    again = pool.convert(TEMPLATES / "任前公示.docx", tmp_path, Timeout(5, 0, 5))  # out of the rotation now
    assert again.by == str(two_servers[0])
    assert pool.made == {str(hanging_server): 0, str(two_servers[0]): 2}


@pytest.mark.e2e
@needs_unoserver
def test_a_build_goes_on_without_a_server_that_does_not_answer(two_servers, tmp_path):
    out = tmp_path / "out"
    dead = f"127.0.0.1:{_free_ports(1)[0]}"
    proc = _cli(out, "build", "forms", "--converters", f"{dead},{two_servers[1]}")
    assert proc.returncode == 0, proc.stderr
    assert "以下 PDF 转换服务器没有应答" in proc.stderr and dead in proc.stderr
    made_by = Manifest.load(out).converters()
    assert made_by and set(made_by.values()) == {str(two_servers[1])}
    assert all((out / rel).is_file() for rel in made_by)


# --- a server killed in the middle of a build ---

@pytest.mark.integration
@needs_unoserver
def test_a_server_killed_in_the_middle_of_a_build_leaves_the_work_to_the_other(tmp_path):
    out = tmp_path / "out"
    said: list[str] = []
    with local_servers(2, log_dir=tmp_path) as started:
        (victim, victim_proc), (survivor, _) = started
        killed = threading.Event()
        at_kill: list[Path] = []

        def kill_after_first_papers():
            # The first PDFs split into the staging folder: the build is under way, most pieces still to convert.
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                staged = [p for p in out.glob(".staging-*/*/*.pdf")] if out.exists() else []
                if len(staged) >= 3:
                    os.killpg(victim_proc.pid, signal.SIGKILL)  # supervisor; its watchdog ends unoserver, soffice
                    at_kill.extend(staged)
                    killed.set()
                    return
                time.sleep(0.05)

        watcher = threading.Thread(target=kill_after_first_papers)
        watcher.start()
        report = build(SAMPLE, out, ["all"], converters=[victim, survivor], log=said.append)
        watcher.join()
        assert killed.is_set()
        assert UnoPool([victim], log=said.append, probe_seconds=2).probe(victim) is not None  # it is gone
        orphan = [p for p in Path(tempfile.gettempdir()).glob(f"{converters.WORK_PREFIX}{victim_proc.pid}-*")]
        assert orphan  # its work folder (profile, documents' copies) outlived it ...
        victim_proc.wait()  # reaped, as a shell reaps a killed `make converter-server`
        with local_servers(1):
            assert not any(p.exists() for p in orphan)  # ... until the next server on this machine starts
    papers = _papers(out)
    assert len(papers) == len(report.pages) > 50
    for rel in papers:
        assert (out / f"{rel}.docx").is_file() and (out / f"{rel}.pdf").is_file(), rel
    made_by = Manifest.load(out).converters()
    assert set(made_by.values()) <= {str(victim), str(survivor)} and None not in made_by.values()
    assert len(at_kill) < len(made_by) / 2  # most of the work was still to do when the server died
    assert str(survivor) in made_by.values()
    # The dead server was handed a document after it died (or died under one), and that document moved on.
    assert any(str(victim) in msg and "暂停使用" in msg for msg in said)


# --- a server this machine starts restarts after N conversions ---

@pytest.mark.integration
@needs_unoserver
def test_a_supervised_server_restarts_its_libreoffice_after_n_conversions(tmp_path):
    with local_servers(1, restart_after=2, log_dir=tmp_path) as started:
        server, _ = started[0]
        pool = UnoPool([server], log=lambda msg: None)
        docs = sorted(TEMPLATES.glob("*.docx"))[:5]
        made = [pool.convert(doc, tmp_path / "pdf", Timeout(120, 0, 120)) for doc in docs]
        assert [m.by for m in made] == [str(server)] * 5
        assert all(m.pdf.read_bytes().startswith(b"%PDF-") for m in made)
        time.sleep(1)
    log = (tmp_path / "server-0.log").read_text("utf-8")
    assert log.count("已转换 2 份，重启以释放内存") == 2, log  # after the 2nd and the 4th
    assert "启动（第 3 次）" in log


@pytest.mark.e2e
def test_converter_server_refuses_a_port_in_use(tmp_path):
    if MISSING:
        pytest.skip(f"{MISSING} (unoserver is installed by `make setup`)")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "pipeline", "converter-server", "--port", str(port)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and f"端口 127.0.0.1:{port} 已被占用" in proc.stderr
