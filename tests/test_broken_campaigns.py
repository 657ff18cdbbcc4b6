"""Every broken campaign.toml of tests/broken_campaigns/ is refused the same way by every command.

`check`, `status`, `input-templates` and every build target: exit non-zero, the problem located (key path and
line as tests/broken_campaigns/expected.toml gives them), no traceback, nothing written. The accepted files (a
Notepad BOM, a weight written 4.5) pass `check` and build the 实施方案. The commands run in this process
through pipeline.cli.main, as `python -m pipeline` runs them; `make check` itself runs once in a subprocess.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.papers.registry import PLANNERS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "broken_campaigns"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text("utf-8"))
pytestmark = pytest.mark.e2e  # every command, end to end (in this process: some 500 runs take about a minute)
COMMANDS = [["check"], ["status"], ["input-templates"], *(["build", t] for t in (*PLANNERS, "bundles", "all"))]


@pytest.fixture(scope="module")
def campaigns(tmp_path_factory) -> dict[str, Path]:
    """A copy of the sample per corpus file, with that file as its campaign.toml."""
    root = tmp_path_factory.mktemp("broken")
    found = {}
    for toml in sorted(CORPUS.glob("*.toml")):
        if toml.name == "expected.toml":
            continue
        folder = root / toml.stem
        shutil.copytree(ROOT / "inputs", folder)
        shutil.copyfile(toml, folder / "campaign.toml")
        found[toml.name] = folder
    return found


def run(args: list[str], campaign: Path, out: Path, capsys) -> tuple[int, str]:
    code = cli.main(["--campaign", str(campaign), "--out", str(out), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def located(expected: dict) -> str:
    """How the message names the place: 'campaign.toml 第39行 「timeline[3].end」', or the file alone."""
    where = "campaign.toml"
    if "line" in expected:
        where += f" 第{expected['line']}行"
    if "column" in expected:
        where += f" 「{expected['column']}」"
    return where


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_command_refuses_the_broken_file_and_names_the_key(name, campaigns, tmp_path, capsys):
    expected = EXPECTED[name]
    for args in COMMANDS:
        out = tmp_path / "out"
        code, text = run(args, campaigns[name], out, capsys)
        assert code != 0, (args, text)
        assert "Traceback" not in text, (args, text)
        assert located(expected) in text and expected["says"] in text, (args, text)
        assert not out.exists(), (args, sorted(out.rglob("*")))


@pytest.mark.parametrize("name", ["ok-bom.toml", "ok-weight-float.toml"])
def test_the_accepted_files_pass_every_check(name, campaigns, tmp_path, capsys):
    code, text = run(["check"], campaigns[name], tmp_path / "out", capsys)
    assert code == 0, text
    assert "检查通过" in text


def test_make_check_refuses_a_broken_file_without_a_traceback(campaigns):
    name = "08-working-days-true.toml"
    proc = subprocess.run(["make", "--no-print-directory", "-s", "check", f"CAMPAIGN={campaigns[name]}"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode != 0
    assert located(EXPECTED[name]) in proc.stderr and "Traceback" not in proc.stderr
