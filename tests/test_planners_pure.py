"""Planners are pure functions of (campaign, outcome): planning every paper of the sample reads no file.

openpyxl spools each worksheet it writes to a temporary file of its own (worksheet/_writer.py), also when the
workbook is saved to memory; those are the only files allowed to open, and no folder may be made.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pipeline.papers.examples import example_contexts
from pipeline.papers.registry import plan_outputs
from pipeline.run import prepare

SAMPLE = Path(__file__).resolve().parent.parent / "inputs"


def test_planning_every_paper_opens_no_file():
    prepared = prepare(SAMPLE)
    example_contexts()  # imports every step's module first: importing reads .py files, planning must not
    plan_outputs(prepared.data, prepared.outcome, ["all"])  # warm: lazy imports of the planners happen here
    opened: list[str] = []
    watching = [True]

    def audit(event, args):
        if watching[0] and (event == "os.mkdir" or event == "open" and isinstance(args[0], (str, Path))):
            opened.append(f"{event} {args[0]}")

    sys.addaudithook(audit)  # cannot be removed: `watching` switches it off
    try:
        plan = plan_outputs(prepared.data, prepared.outcome, ["all"])
    finally:
        watching[0] = False
    assert len(plan.docs) == 105 and plan.files  # every paper of the sample, and its CSV and xlsx files
    spool = Path(tempfile.gettempdir())
    spooled = lambda path: path == spool or spool in path.parents  # noqa: E731
    assert [e for e in opened if e.startswith("os.mkdir") or not spooled(Path(e.split(" ", 1)[1]))] == []
