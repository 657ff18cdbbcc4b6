"""One `make all` reads each input file once and runs each stage once (counted, on the sample, real build).

Calls are counted with a profile hook on the functions' code objects, so a stage is counted however it was
imported; files with an audit hook on every open() of a file in the campaign folder.
"""
from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.appointment import decisions
from pipeline.campaign import load, workdays, xlsx_reader
from pipeline.engine import build as engine_build
from pipeline.outcome import compute_outcome, read_round, speaking_order
from pipeline.papers import registry
from pipeline.papers.examples import example_contexts
from pipeline.review import eligibility, rules
from pipeline.scoring import ranking, scheme, score_entry, stage

pytestmark = pytest.mark.integration

SAMPLE = Path(__file__).resolve().parent.parent / "inputs"

# Each stage of the procedure, in order: each must run exactly once in one `make all`.
STAGES = {
    "load_campaign_folder": load.load_campaign_folder,
    "parse_rules": rules.parse_rules,
    "parse_scheme": scheme.parse_scheme,
    "load_holiday_file": workdays.load_holiday_file,
    "compute_outcome": compute_outcome,
    "review": eligibility.review,
    "speaking_order": speaking_order,
    "check_judge_groups": stage.check_judge_groups,
    "read_round": read_round,
    "compute_results": ranking.compute_results,
    "load_decisions": decisions.load_decisions,
    "plan_outputs": registry.plan_outputs,
    "engine.build": engine_build.build,
}
# Where a workbook is opened for reading (the sheet reader's and the entry workbooks'): one call per file.
READERS = {"xlsx_reader._open": xlsx_reader._open, "score_entry.open_workbook": score_entry.open_workbook}


@pytest.fixture(scope="module")
def counted(tmp_path_factory):
    root = tmp_path_factory.mktemp("once")
    campaign, out = root / "campaign", root / "out"
    shutil.copytree(SAMPLE, campaign)
    (campaign / workdays.HOLIDAY_FILE).write_text("", encoding="utf-8")  # an empty holiday file is still read once
    codes = {fn.__code__: name for name, fn in {**STAGES, **READERS}.items()}
    calls: Counter[str] = Counter()
    opened: Counter[str] = Counter()
    watching = [True]

    def profile(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            calls[codes[frame.f_code]] += 1
            if codes[frame.f_code] in READERS:
                opened["parse:" + Path(frame.f_locals["path"]).name] += 1

    def audit(event, args):
        if watching[0] and event == "open" and isinstance(args[0], (str, Path)):
            path = Path(args[0])
            if path.parent == campaign:
                opened[path.name] += 1

    # The template checker's example contexts are invented data, computed once per process: not the campaign's stages.
    example_contexts()
    sys.addaudithook(audit)  # cannot be removed: `watching` switches it off after the build
    sys.setprofile(profile)
    try:
        code = cli.main(["--campaign", str(campaign), "--out", str(out), "build", "all"])
    finally:
        sys.setprofile(None)
        watching[0] = False
    assert code == 0
    return calls, opened, sorted(p.name for p in campaign.iterdir())


def test_each_stage_runs_once(counted):
    calls, _, _ = counted
    assert {name: calls[name] for name in STAGES} == {name: 1 for name in STAGES}


def test_each_input_file_is_opened_twice_hashed_once_and_parsed_once(counted):
    """Every input of the campaign folder: one open to hash it (the manifest's fingerprint), one to parse it.

    节假日安排.toml.example is not an input: it is hashed with the folder, never read.
    """
    _, opened, files = counted
    inputs = [name for name in files if not name.endswith(".example")]
    assert {name: opened[name] for name in files} == {name: 2 if name in inputs else 1 for name in files}
    # Every workbook of the folder parsed once, whichever reader reads it.
    assert {k: v for k, v in opened.items() if k.startswith("parse:")} == {
        f"parse:{name}": 1 for name in files if name.endswith(".xlsx")}
