"""The command line: every command has help, every Make target maps to a command, mistakes read in Chinese."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import COMMANDS, main
from pipeline.papers import PLANNERS

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_chinese_help(name, capsys):
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    help_text, _ = COMMANDS[name]
    assert re.search(r"[\u4e00-\u9fff]", help_text)
    assert help_text in capsys.readouterr().out


def test_every_make_target_reaches_a_command():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    build_targets = re.search(r"^forms eligibility .*?: setup$", makefile, re.M).group(0).split(":")[0].split()
    assert set(build_targets) | {"all"} == set(PLANNERS) | {"bundles", "all"}
    for command in ("check", "check-templates", "repair-templates", "input-templates", "synth", "status"):
        assert f"$(RUN) {command}" in makefile
        assert command in COMMANDS


def test_unknown_target_is_named_in_chinese():
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", "公示"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stderr.startswith("不认识的文书类别：公示；可用的有：plan、speech、forms")
    assert "Traceback" not in proc.stderr


def test_check_reads_the_rules_too(tmp_path):
    """A mistyped key in [eligibility] is found by `make check`, not only by the first build."""
    import shutil

    campaign = tmp_path / "campaign"
    shutil.copytree(ROOT / "inputs", campaign)
    toml = campaign / "campaign.toml"
    toml.write_text(toml.read_text("utf-8").replace("max_age = 45", "max_ag = 45", 1), "utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(campaign), "--out", str(tmp_path / "o"),
                           "check"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert "campaign.toml 「eligibility.max_ag」：不认识的条件“max_ag”" in proc.stderr
    assert not (tmp_path / "o").exists()
