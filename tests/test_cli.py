"""The command line: every command has help, every Make target maps to a command, mistakes read in Chinese."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import COMMANDS, main
from pipeline.papers.registry import PLANNERS

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
    for command in ("check", "check-templates", "repair-templates", "input-templates", "status", "clean"):
        assert f"$(RUN) {command}" in makefile
        assert command in COMMANDS


def test_make_wait_asks_the_command_to_wait_for_the_lock():
    dry = subprocess.run(["make", "-n", "all", "WAIT=1"], capture_output=True, text=True, cwd=ROOT)
    assert "-m pipeline  --wait --campaign inputs --out outputs build all" in dry.stdout
    assert "--wait" not in subprocess.run(["make", "-n", "all"], capture_output=True, text=True, cwd=ROOT).stdout


@pytest.mark.e2e
def test_unknown_target_is_named_in_chinese():
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", "公示"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stderr.startswith("不认识的文书类别：公示；可用的有：plan、speech、forms")
    assert "Traceback" not in proc.stderr


@pytest.mark.e2e
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
    assert re.search(r"campaign.toml 第\d+行 「eligibility.max_ag」：不认识的条件“max_ag”", proc.stderr)
    assert not (tmp_path / "o").exists()


@pytest.mark.e2e
def test_a_panel_still_short_of_judges_is_a_next_step_not_an_error(tmp_path):
    """Registration can start before every judge is named: check passes and says what the score sheets wait for."""
    from tests.broken.factory import make_campaign

    folder = make_campaign(tmp_path / "campaign")  # one 专家评委 and one 党委成员; campaign.toml wants 7 and 5
    proc = subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(folder), "--out", str(tmp_path / "o"),
                           "check"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert ("尚不能生成 评分表：评委不足（“专家评委”只有 1 位评委，按 campaign.toml 至少需要 7 位；"
            "“党委成员”只有 1 位评委，按 campaign.toml 至少需要 5 位；") in proc.stdout
    assert "在 评委名单.xlsx 中补足评委后再运行 make scoresheets" in proc.stdout


@pytest.mark.parametrize("old, new, message", [
    # Review findings: each of these used to pass `make check` silently.
    ("publish_scores = true", 'publish_scores = "false"', "campaign.toml 第167行 「notice.publish_scores」"),
    ("appointment_date = 2026-07-16", 'appointment_date = "2026-07-16"', "campaign.toml 第178行 「documents.appointment_date」"),
    ("working_days = 5 ", "working_days = 3 ", "任前公示不得少于5个工作日"),
])
@pytest.mark.e2e
def test_check_refuses_settings_that_would_print_wrong_papers(tmp_path, old, new, message):
    import shutil

    campaign = tmp_path / "campaign"
    shutil.copytree(ROOT / "inputs", campaign)
    toml = campaign / "campaign.toml"
    text = toml.read_text("utf-8")
    assert old in text
    toml.write_text(text.replace(old, new, 1), "utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(campaign), "--out", str(tmp_path / "o"),
                           "check"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1, proc.stdout
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.e2e
def test_a_build_refused_for_bad_input_leaves_no_out_folder(tmp_path):
    """The lock file is made inside OUT; a build that writes nothing takes it away again with the folder."""
    from tests.broken.factory import make_campaign

    folder = make_campaign(tmp_path / "campaign")
    (folder / "campaign.toml").write_text("title = \n", "utf-8")
    # OUT two folders deep, neither there yet: both were made for the lock, both go again.
    proc = subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(folder),
                           "--out", str(tmp_path / "o" / "deep"), "build", "forms"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1, proc.stdout
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("value", ["0", "-5", "abc", "nan", "inf"])
def test_convert_timeout_must_be_a_positive_number(value, tmp_path):
    from pipeline.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--out", str(tmp_path / "out"), "build", "forms", "--convert-timeout", value])
    assert stop.value.code == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e
def test_ctrl_c_is_said_in_chinese_and_the_next_build_works(tmp_path):
    # The clerk presses Ctrl-C once the build has planned (PIPELINE_KILL_AT=interrupt:plan sends this process
    # SIGINT there): a sentence, not a Python traceback; nothing half-made stays in OUT; the next run builds.
    import os
    import shutil

    campaign, out = tmp_path / "campaign", tmp_path / "out"
    shutil.copytree(ROOT / "inputs", campaign)
    command = [sys.executable, "-m", "pipeline", "--campaign", str(campaign), "--out", str(out), "build", "plan"]
    stopped = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                             env={**os.environ, "PIPELINE_KILL_AT": "interrupt:plan"})
    assert stopped.returncode == 130
    assert "Traceback" not in stopped.stderr
    assert "已中断，本次命令没有完成。输出文件夹会在下一次运行命令时恢复为完整的状态。" in stopped.stderr
    assert not out.exists()  # the OUT this run made, its staging area and its lock all went on the way out
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_KILL_AT"}
    again = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    assert again.returncode == 0, again.stderr
    assert (out / "01-实施方案").is_dir()
