"""One writer at a time in OUT: a second command is refused with the holder named, or waits with --wait.

The holder in these tests is a plain process holding flock(2) on OUT/.pipeline.engine.lock with its details in
the file, as any build of ours does; the commands under test are the real command line.
"""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Runs the command line in a subprocess (pytest.ini: `make test-quick` leaves it out).
pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
HOLDER = """
import fcntl, json, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, json.dumps({"pid": os.getpid(), "started": "2026-06-12 09:30:00",
                         "command": "python -m pipeline build all", "campaign": sys.argv[2]}).encode())
print("locked", flush=True)
sys.stdin.readline()
"""


def pipeline(*args: str, campaign: Path, out: Path, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "pipeline", "--campaign", str(campaign), "--out", str(out), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture
def holder(tmp_path):
    """A process holding OUT's lock until its stdin is closed."""
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(out / ".pipeline.engine.lock"), "/某单位/2026活动"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "locked\n"
    yield proc, out
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_a_second_writer_is_refused_and_told_who_holds_out(holder, sample_campaign):
    proc, out = holder
    second = pipeline("input-templates", campaign=sample_campaign, out=out)
    stdout, stderr = second.communicate()
    assert second.returncode == 1
    assert f"输出文件夹 {out} 正在被另一个命令使用，本次没有写入任何文件" in stderr
    assert (f"进程号 {proc.pid}，开始时间 2026-06-12 09:30:00，命令：python -m pipeline build all，"
            "活动文件夹：/某单位/2026活动") in stderr
    assert "make all WAIT=1（命令行加 --wait）" in stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir()) == [".pipeline.engine.lock"]


def test_wait_starts_when_the_holder_ends(holder, sample_campaign):
    proc, out = holder
    waiting = pipeline("--wait", "input-templates", campaign=sample_campaign, out=out)
    line = waiting.stderr.readline()
    assert "正在被另一个命令使用" in line and f"进程号 {proc.pid}" in line and "正在等待它结束" in line
    assert not (out / "空白表格").exists()  # it waits before it writes anything
    proc.stdin.close()  # the holder ends, its lock goes with it
    stdout, _ = waiting.communicate()
    assert waiting.returncode == 0
    assert (out / "空白表格" / "报名信息.xlsx").is_file()
    assert "已生成" in stdout


def test_the_lock_file_of_a_killed_command_does_not_block(holder, sample_campaign):
    proc, out = holder
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert json.loads((out / ".pipeline.engine.lock").read_text("utf-8"))["pid"] == proc.pid  # its text is still there
    after = pipeline("input-templates", campaign=sample_campaign, out=out)
    after.communicate()
    assert after.returncode == 0
    assert (out / "空白表格" / "报名信息.xlsx").is_file()
    assert not (out / ".pipeline.engine.lock").exists()  # removed when the command ended


def test_check_and_status_write_nothing_and_need_no_lock(holder, sample_campaign):
    _, out = holder
    for command in ("check", "status"):
        proc = pipeline(command, campaign=sample_campaign, out=out)
        _, stderr = proc.communicate()
        assert proc.returncode == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == [".pipeline.engine.lock"]


def test_clean_while_another_waits_hands_the_lock_over(holder, sample_campaign):
    """clean removes the lock file it holds; a command that waited on the old file locks the new one."""
    proc, out = holder
    (out / "空白表格").mkdir()
    cleaner = pipeline("--wait", "clean", campaign=sample_campaign, out=out)
    assert "正在等待它结束" in cleaner.stderr.readline()
    proc.stdin.close()
    cleaner.communicate()
    assert cleaner.returncode == 0
    assert not (out / ".pipeline.engine.lock").exists()
    maker = pipeline("input-templates", campaign=sample_campaign, out=out)
    maker.communicate()
    assert maker.returncode == 0 and not (out / ".pipeline.engine.lock").exists()


def _title_changed(campaign: Path, dest: Path, title: str) -> Path:
    shutil.copytree(campaign, dest)
    toml = dest / "campaign.toml"
    toml.write_text(toml.read_text("utf-8").replace('title = "2026年中层干部竞争上岗"', f'title = "{title}"', 1),
                    "utf-8")
    return dest


@pytest.mark.integration
def test_two_campaigns_into_one_out_cannot_mix_their_bundles(tmp_path, sample_campaign):
    """The tester's story: build B runs; build A of another campaign starts into the same OUT meanwhile.

    Before the lock A ran alongside, and the 公示, 归档 and 评委评分表 bundles kept A's pages for good.
    """
    from pypdf import PdfReader

    b = _title_changed(sample_campaign, tmp_path / "b", "2026年中层干部竞争上岗（第二轮）")
    a = _title_changed(sample_campaign, tmp_path / "a", "2026年中层干部竞争上岗（另一单位）")
    out = tmp_path / "out"
    build_b = pipeline("build", "all", campaign=b, out=out)
    try:
        while not list(out.glob(".staging-*")):  # B is in the middle of its build
            assert build_b.poll() is None, build_b.communicate()
            time.sleep(0.05)
        build_a = pipeline("build", "all", campaign=a, out=out)
        _, a_err = build_a.communicate()
    finally:
        _, b_err = build_b.communicate()
    assert build_b.returncode == 0, b_err
    assert build_a.returncode == 1
    assert f"进程号 {build_b.pid}" in a_err and f"活动文件夹：{b.resolve()}" in a_err
    for bundle in ("公示", "归档", "评委评分表"):
        text = "".join(page.extract_text() for page in PdfReader(out / "bundles" / f"{bundle}.pdf").pages)
        assert "另一单位" not in text, bundle
        assert "第二轮" in text, bundle
    for _ in range(2):
        again = pipeline("build", "all", campaign=b, out=out)
        stdout, stderr = again.communicate()
        assert again.returncode == 0, stderr
        assert "新生成 0 份文书" in stdout
    assert not [p.name for p in out.iterdir() if p.name.startswith((".staging-", ".journal"))]
