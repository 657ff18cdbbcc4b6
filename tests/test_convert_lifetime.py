"""LibreOffice never outlives the build, never writes to /tmp, and never hangs silently.

The hanging converter is a fake `soffice` on PATH that sleeps: the thing under test is our timeout and
our messages, not LibreOffice. The kill tests use the real LibreOffice on the sample campaign.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from pipeline.engine import pdfs
from pipeline.run import build
from pipeline.errors import ConversionError

# Runs LibreOffice (pytest.ini: `make test-quick` leaves it out).
pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
# The font mapping is written once per machine into TMPDIR (pipeline/engine/fonts.py CACHE_DIR) and is kept on
# purpose between builds: it holds font file names only, nothing of a campaign.
FONT_CACHE = "pipeline-fontconfig"


def marked_processes(marker: str) -> list[str]:
    """Live processes whose environment carries marker (a reaped or zombie process has none)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if f"PIPELINE_TEST_MARKER={marker}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append(f"{proc.name} {command}")
        except OSError:
            continue
    return found


def wait_until(condition, seconds: float) -> bool:
    """Poll condition until it holds or seconds have passed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture
def private_env(tmp_path, monkeypatch):
    """A private TMPDIR and a marker that every child process inherits."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    marker = uuid.uuid4().hex
    env = {**os.environ, "TMPDIR": str(tmp), "PIPELINE_TEST_MARKER": marker}
    return env, tmp, marker


def fake_soffice(folder: Path) -> Path:
    """A `soffice` that hangs like a stuck LibreOffice: a child that sleeps, and waits for it."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text("#!/bin/sh\nsleep 600 &\nwait\n")
    script.chmod(0o755)
    return folder


@pytest.mark.e2e
def test_a_hanging_converter_stops_the_build_within_the_timeout_naming_the_paper(tmp_path, private_env):
    env, tmp, marker = private_env
    env["PATH"] = f"{fake_soffice(tmp_path / 'bin')}:{env['PATH']}"
    campaign = tmp_path / "campaign"
    shutil.copytree(ROOT / "inputs", campaign)
    out = tmp_path / "out"
    started = time.monotonic()
    run = subprocess.run(["make", "-s", "eligibility", f"CAMPAIGN={campaign}", f"OUT={out}", "CONVERT_TIMEOUT=5"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    waited = time.monotonic() - started
    assert run.returncode != 0
    assert "LibreOffice 在 5 秒内没有转换完成，已被终止" in run.stderr
    assert "04-资格审查/资格审查表" in run.stderr or "04-资格审查/资格审查结果公示" in run.stderr
    assert "CONVERT_TIMEOUT" in run.stderr  # what to do
    assert ".staging" not in run.stderr and ".convert" not in run.stderr and str(tmp_path) not in run.stderr
    assert "Traceback" not in run.stderr
    # Two papers convert side by side, each killed after 5 s; rendering the sample takes seconds. The old
    # fixed 600 s would have run for ten minutes and more.
    assert waited < 120, waited
    assert not list(out.rglob("*.docx")) and not list(out.rglob("*.pdf"))  # nothing written
    assert marked_processes(marker) == []  # the sleeping fake and its child were killed with their group
    assert {p.name for p in tmp.iterdir()} <= {FONT_CACHE}


def test_progress_lines_name_the_paper_while_waiting(tmp_path, private_env, monkeypatch):
    env, tmp, marker = private_env
    monkeypatch.setenv("PATH", f"{fake_soffice(tmp_path / 'bin')}:{os.environ['PATH']}")
    monkeypatch.setenv("PIPELINE_TEST_MARKER", marker)
    monkeypatch.setattr(pdfs, "PROGRESS_SECONDS", 1)  # instead of 30 s, so that the test is short
    campaign = tmp_path / "campaign"
    shutil.copytree(ROOT / "inputs", campaign)
    lines: list[str] = []
    with pytest.raises(ConversionError) as info:
        build(campaign, tmp_path / "out", ["eligibility"], log=lines.append, convert_timeout=4)
    progress = [line for line in lines if line.startswith("PDF 转换进行中")]
    assert len(progress) >= 2, lines
    assert "已完成 0/2 个合并文件、0/2 份文书" in progress[0]
    assert "正在转换：04-资格审查/资格审查" in progress[-1]
    assert "已等待 0 分" in progress[-1]
    assert "04-资格审查/" in str(info.value) and ".staging" not in str(info.value)
    assert marked_processes(marker) == []


def start_forms_build(campaign: Path, out: Path, env: dict[str, str], via_make: bool) -> subprocess.Popen:
    """Start a real build of every 报名登记表 in a session of its own (as a shell starts make)."""
    if via_make:
        cmd = ["make", "-s", "forms", f"CAMPAIGN={campaign}", f"OUT={out}"]
    else:
        cmd = [str(ROOT / ".venv/bin/python"), "-m", "pipeline", "--campaign", str(campaign), "--out", str(out),
               "build", "forms"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def soffice_bin_running(marker: str) -> bool:
    return any("soffice.bin" in p for p in marked_processes(marker))


@pytest.mark.parametrize("how", ["SIGKILL of python alone", "SIGKILL of make's group", "SIGTERM of make's group",
                                 "Ctrl-C (SIGINT to make's group)"])
@pytest.mark.e2e
def test_killing_the_build_leaves_no_libreoffice_and_nothing_in_tmp(tmp_path, private_env, how):
    env, tmp, marker = private_env
    campaign = tmp_path / "campaign"
    shutil.copytree(ROOT / "inputs", campaign)
    build_proc = start_forms_build(campaign, tmp_path / "out", env, via_make="make" in how)
    try:
        assert wait_until(lambda: soffice_bin_running(marker), 180), "LibreOffice never started"
        if how == "SIGKILL of python alone":
            os.kill(build_proc.pid, signal.SIGKILL)
        else:
            os.killpg(build_proc.pid, {"SIGKILL": signal.SIGKILL, "SIGTERM": signal.SIGTERM,
                                       "Ctrl-C": signal.SIGINT}[how.split()[0]])
        build_proc.wait(timeout=60)
        assert wait_until(lambda: not marked_processes(marker), 20), marked_processes(marker)
    finally:
        if build_proc.poll() is None:
            os.killpg(build_proc.pid, signal.SIGKILL)
    assert {p.name for p in tmp.iterdir()} <= {FONT_CACHE}, list(tmp.iterdir())


def test_a_failed_piece_stops_the_rendering_and_nothing_new_starts(tmp_path, monkeypatch):
    """The build does not render thousands more papers after a piece has failed, and a stopped converter
    starts no new LibreOffice call."""
    from pipeline.engine.convert import DEFAULT_TIMEOUT
    from pipeline.engine.jobs import DocJob
    from pipeline.engine.pdfs import Converter
    from pipeline.engine.staging import Staging
    from tests.test_batches import member

    monkeypatch.setenv("PATH", f"{fake_soffice(tmp_path / 'bin')}:{os.environ['PATH']}")
    with Staging(tmp_path / "out") as stage:
        converter = Converter(stage, workers=1, piece_bytes=1, timeout=DEFAULT_TIMEOUT.at_most(2))
        jobs = [DocJob(f"08-任职/任职通知/0{i}", "任职通知.docx", {}, batch="letters", title="任职通知")
                for i in (1, 2)]
        blob = member("任职通知", 1)
        stage.write(jobs[0].path + ".docx", blob)
        converter.add(jobs[0], blob)  # a full piece (piece_bytes=1): converting at once, and hanging
        assert wait_until(lambda: converter.futures[0].done(), 60)
        with pytest.raises(ConversionError, match="08-任职/任职通知/01：LibreOffice 在 2 秒内没有转换完成"):
            converter.add(jobs[1], blob)
        converter.close()
        with pytest.raises(ConversionError, match="PDF 转换已中止"):
            converter._pdf(stage.path(jobs[0].path + ".docx"), stage.path("pdf/x").parent, jobs[:1])


# --- a rebuild's head start (ProfilePool.head_start) ---

def processes_naming(path: Path) -> list[int]:
    """Live processes whose command line names path: a LibreOffice started in a profile there, or its watchdog."""
    from tests.test_kill import processes_writing_into

    return processes_writing_into(path)


def one_page_docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("竞争上岗报名登记表")
    doc.save(path)
    return path


def test_a_head_start_converts_the_first_call_of_its_profile_and_then_ends(tmp_path):
    from pipeline.engine.convert import ProfilePool, convert_to_pdf
    from pipeline.engine.pdf_check import pdf_pages_text
    from tests.pdfa_check import findings

    pool = ProfilePool(tmp_path / "profiles")
    try:
        pool.head_start(1)
        [(profile, (started, _))] = list(pool._running.items())
        assert wait_until(lambda: processes_naming(profile), 60), "the head start never started"
        time.sleep(1)  # up and listening, so the call below is handed to it
        assert started.poll() is None  # a head start waits for its call
        doc = one_page_docx(tmp_path / "登记表.docx")
        pdf = convert_to_pdf([doc], tmp_path / "pdf", workers=1, profiles=pool)[doc]
        assert "竞争上岗报名登记表" in pdf_pages_text(pdf)[0]
        assert findings(pdf) == []  # PDF/A-2b, as a call that starts its own LibreOffice makes it
        assert started.poll() is not None  # it served that call and ended by itself
        assert processes_naming(profile) == []
        assert pool.acquire() == profile  # and its profile is kept for the next call
    finally:
        pool.close()


def test_an_unused_head_start_ends_with_the_build(tmp_path):
    from pipeline.engine.convert import ProfilePool

    pool = ProfilePool(tmp_path / "profiles")
    pool.head_start(1)
    [profile] = list(pool._running)
    assert wait_until(lambda: processes_naming(profile), 60)
    pool.end_head_starts()
    assert wait_until(lambda: not processes_naming(profile), 20), processes_naming(profile)
    pool.close()
    assert not (tmp_path / "profiles").exists()


def test_a_rebuild_refused_at_planning_leaves_no_libreoffice_and_out_as_it_was(tmp_path):
    """A rebuild starts LibreOffice before it reads the inputs; a bad input ends it and writes nothing."""
    import openpyxl

    from pipeline.errors import InputErrors

    campaign, out = tmp_path / "campaign", tmp_path / "out"
    shutil.copytree(ROOT / "inputs", campaign)
    build(campaign, out, ["plan"], log=lambda msg: None)
    before = sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file())
    wb = openpyxl.load_workbook(campaign / "报名信息.xlsx")
    wb["报名信息"]["F2"] = "123"  # 身份证号 too short
    wb.save(campaign / "报名信息.xlsx")
    with pytest.raises(InputErrors):
        build(campaign, out, ["plan"], log=lambda msg: None)
    assert wait_until(lambda: not processes_naming(out), 20), processes_naming(out)
    assert sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file()) == before
