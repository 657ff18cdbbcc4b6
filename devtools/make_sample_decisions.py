"""Write the sample campaign's 任职决定.xlsx: the best-ranked 考察对象 of each post (deterministic).

Run after the filled 评分录入.xlsx is in the campaign folder (devtools/make_sample_scores.py):
    .venv/bin/python devtools/make_sample_decisions.py [--campaign inputs]
是否新提任 is presumed from the current rank and the rank the post carries
(pipeline.appointment.decisions.post_level: the kind's levels in templates/单位类型.toml).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.appointment.decisions import DECISION_FILE, NO, YES, Appointment, propose  # noqa: E402
from pipeline.campaign.blank_workbooks import write_workbook  # noqa: E402
from pipeline.campaign.columns import DECISIONS  # noqa: E402


def write_decision_workbook(dest: Path, appointments: Sequence[Appointment]) -> Path:
    """Write 任职决定.xlsx with one row per appointment, in the layout of its blank (make input-templates)."""
    rows = [{"number": a.applicant.number, "name": a.applicant.name, "post": a.post.code,
             "newly_promoted": YES if a.newly_promoted else NO} for a in appointments]
    return write_workbook(dest, DECISIONS, rows)


def sample_decisions(campaign_dir: Path) -> list[Appointment]:
    """The committee's sample decision: the top 考察对象 of every post."""
    from pipeline.run import prepare

    prepared = prepare(campaign_dir)
    data, results = prepared.data, prepared.outcome.results
    if results is None:
        raise SystemExit(f"{campaign_dir} 中没有 评分录入.xlsx；请先运行 devtools/make_sample_scores.py")
    return propose(data, results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成示例活动的 任职决定.xlsx（各职位排名第一的考察对象）")
    parser.add_argument("--campaign", type=Path, default=ROOT / "inputs")
    args = parser.parse_args(argv)
    dest = write_decision_workbook(args.campaign / DECISION_FILE, sample_decisions(args.campaign))
    print(f"已生成 {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
