"""A build killed at any moment: the next command leaves OUT exactly as the old build or the new one left it.

Each scenario copies one OUT built from the sample, changes the campaign title (so every paper is stale),
kills the build — after planning, during conversion, after some moves of the commit, or by killing
make's whole process group as a closed terminal does — then runs the next command and compares every
file of OUT, dot-files included, with what it must be. The build runs with its own TMPDIR so that what it
leaves under /tmp can be seen.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

# Runs LibreOffice and the command line in a subprocess (pytest.ini: `make test-quick` leaves it out).
pytestmark = [pytest.mark.integration, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parent.parent
TITLE = "2026年中层干部竞争上岗"
NEW_TITLE = "2026年中层干部竞争上岗（第二轮）"
NOTHING_TO_DO = "新生成 0 份文书"


def sha(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    """Every file under folder (dot-files and dot-folders too) → its content hash."""
    return {str(p.relative_to(folder)): sha(p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def pipeline(campaign: Path, out: Path, *args: str, tmpdir: Path, kill: str | None = None):
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_KILL_AT"}
    env["TMPDIR"] = str(tmpdir)
    if kill:
        env["PIPELINE_KILL_AT"] = kill
    return subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(campaign), "--out", str(out), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True)


def processes_writing_into(out: Path) -> list[int]:
    """Pids of processes whose command line names a path in out (LibreOffice converting into its staging)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if entry.name.isdigit() and str(out) in cmdline:
            pids.append(int(entry.name))
    return pids


@dataclass
class Killed:
    """One scenario after the kill and the next command."""

    before: dict[str, str]  # OUT before the killed build
    after: dict[str, str]  # OUT after the next command
    expected_new: dict[str, str] | None  # for a kill in the commit: OUT as the killed build was committing it
    next_stdout: str
    next_stderr: str
    staging_left_by_kill: int  # staging folders the kill left
    papers_staged_by_kill: int  # papers (DOCX, PDF) in them: none after a kill right after planning
    soffice_after_kill: list[int]  # LibreOffice processes the killed build left running
    tmp_entries: list[str]  # what the runs left in their TMPDIR
    out: Path


@pytest.fixture(scope="module")
def old_build(tmp_path_factory):
    """The sample built once with `build all` through the command line (so OUT has its lock file too)."""
    root = tmp_path_factory.mktemp("kill")
    old, new = root / "campaign", root / "campaign-new"
    shutil.copytree(ROOT / "inputs", old)
    shutil.copytree(old, new)
    toml = new / "campaign.toml"
    toml.write_text(toml.read_text("utf-8").replace(f'title = "{TITLE}"', f'title = "{NEW_TITLE}"', 1), "utf-8")
    out = root / "out"
    tmpdir = root / "tmp"
    tmpdir.mkdir()
    done = pipeline(old, out, "build", "all", tmpdir=tmpdir)
    assert done.returncode == 0, done.stderr
    return old, new, out


def _scenario(old_build, tmp_path, kill_with) -> Killed:
    old, new, out0 = old_build
    out, tmpdir = tmp_path / "out", tmp_path / "tmp"
    shutil.copytree(out0, out)
    tmpdir.mkdir()
    before = tree(out)
    kill_with(new, out, tmpdir)
    staging = [p for p in out.iterdir() if p.name.startswith(".staging-")]
    papers = [p for folder in staging for p in folder.rglob("*") if p.suffix in (".docx", ".pdf")
              and ".convert" not in p.relative_to(folder).parts]
    # The watchdog kills soffice's group the moment the build's pipe closes; give the kernel a moment to
    # deliver that, then whatever still runs was left behind by the kill.
    deadline = time.monotonic() + 10
    while (soffice := processes_writing_into(out)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in soffice:  # started by our killed build: stop them before they write into OUT again
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    while processes_writing_into(out):
        time.sleep(0.1)
    expected_new = _what_the_commit_writes(out, before) if (out / ".journal").exists() else None
    # The next command: the killed build's campaign after a kill in the commit (it is rolled forward, so
    # there is nothing left to do), else the old campaign (its outputs are untouched: nothing to do).
    campaign = new if expected_new is not None else old
    nxt = pipeline(campaign, out, "build", "all", tmpdir=tmpdir)
    assert nxt.returncode == 0, nxt.stderr
    return Killed(before, tree(out), expected_new, nxt.stdout, nxt.stderr, len(staging), len(papers), soffice,
                  sorted(p.name for p in tmpdir.iterdir()), out)


def _what_the_commit_writes(out: Path, before: dict[str, str]) -> dict[str, str]:
    """OUT as the killed commit meant it: old files, less its removals, plus every staged output file."""
    journal = json.loads((out / ".journal").read_text("utf-8"))
    staging = out / journal["staging"]
    staged = {str(p.relative_to(staging)) for p in staging.rglob("*")
              if p.is_file() and not str(p.relative_to(staging)).startswith(".convert/")}
    moved = {rel for rel in journal["moves"] if not (staging / rel).exists()}
    assert staged | moved == set(journal["moves"])  # the journal lists every output the build staged
    assert moved, "the kill came before the first move"
    expected = {rel: h for rel, h in before.items() if rel not in journal["removals"]}
    for rel in journal["moves"]:
        expected[rel] = sha(((staging / rel) if rel in staged else (out / rel)).read_bytes())
    expected["manifest.json"] = sha(journal["manifest"].encode("utf-8"))
    return expected


def _self_kill(point: str):
    def kill(campaign, out, tmpdir):
        proc = pipeline(campaign, out, "build", "all", tmpdir=tmpdir, kill=point)
        assert proc.returncode == -signal.SIGKILL, proc.stderr

    return kill


def _killpg_during_conversion(sig: int):
    """`make all` in its own session, its whole process group killed once LibreOffice is converting."""

    def kill(campaign, out, tmpdir):
        env = {**os.environ, "TMPDIR": str(tmpdir)}
        env.pop("PIPELINE_KILL_AT", None)
        proc = subprocess.Popen(["make", "-s", "all", f"CAMPAIGN={campaign}", f"OUT={out}"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            # A piece's work folder (.convert/<n>): LibreOffice's profiles (.convert/libreoffice) are there earlier,
            # while the build plans (ProfilePool.head_start).
            while not list(out.glob(".staging-*/.convert/[0-9]*")):
                assert proc.poll() is None, "the build ended before its conversion could be interrupted"
                time.sleep(0.05)
            os.killpg(proc.pid, sig)
        finally:
            proc.wait()

    return kill


SCENARIOS = {
    "plan": _self_kill("plan"),
    "convert": _self_kill("convert"),
    "commit": _self_kill("commit:40"),
    "terminal-closed": _killpg_during_conversion(signal.SIGHUP),
}


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def killed(request, old_build, tmp_path_factory) -> Killed:
    return _scenario(old_build, tmp_path_factory.mktemp(request.param), SCENARIOS[request.param])


def test_after_a_kill_out_is_the_old_build_or_the_new_one(killed):
    assert not [rel for rel in killed.after if rel.startswith((".staging-", ".journal"))]
    assert NOTHING_TO_DO in killed.next_stdout
    if killed.expected_new is None:
        assert killed.after == killed.before
    else:
        assert killed.after == killed.expected_new
        manifest = json.loads((killed.out / "manifest.json").read_text("utf-8"))
        assert set(manifest["files"]) == set(killed.after) - {"manifest.json", ".pipeline.engine.lock"}
        for rel, rec in manifest["files"].items():
            assert sha((killed.out / rel).read_bytes()) == rec["sha256"], rel
        assert "上次生成在写入" in killed.next_stderr and "时被中断，已按记录把它写完。" in killed.next_stderr
    if killed.staging_left_by_kill:
        assert "已删除上次中断的命令" in killed.next_stderr


def test_the_kill_came_in_the_middle_of_the_build(killed, request):
    """The scenarios test what they say: each kill leaves a staging folder (a rebuild's LibreOffice starts in it
    while the build plans, ProfilePool.head_start), and only a kill after planning leaves no paper in it."""
    planned_only = request.node.callspec.params["killed"] == "plan"
    assert killed.staging_left_by_kill == 1
    assert (killed.papers_staged_by_kill == 0) == planned_only


def test_a_killed_build_leaves_no_libreoffice_and_nothing_in_tmp(killed):
    """soffice runs under pipeline.engine.watchdog, its profile and temporary files inside the staging folder."""
    assert killed.soffice_after_kill == []
    assert [name for name in killed.tmp_entries if name != "pipeline-fontconfig"] == []
