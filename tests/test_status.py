"""`make status` on the sample: steps marked against the day, counts, notice periods, next step."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from pipeline.status import campaign_status

SAMPLE = Path(__file__).resolve().parent.parent / "inputs"


def test_after_decisions_during_the_pre_appointment_notice():
    lines = campaign_status(SAMPLE, dt.date(2026, 7, 10))
    # 任前公示 from Wed 7-8, five working days: 7-8, 7-9, 7-10, (weekend 7-11/12), 7-13, 7-14.
    assert "  [进行中] 任前公示：2026年7月8日至2026年7月14日" in lines
    assert "  [已完成] 党委研究决定：2026年7月7日" in lines
    assert "  [未开始] 办理任职手续：2026年7月16日" in lines
    assert "  已决定任职 8 人" in lines
    assert lines[-1].startswith("下一步：全部文书均可生成")


def test_before_scores(tmp_path):
    for name in ("campaign.toml", "职位表.xlsx", "报名信息.xlsx", "评委名单.xlsx"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    lines = campaign_status(tmp_path, dt.date(2026, 6, 22))
    # 30 applicants, three of whom applied for two posts; the nine failures are listed in devtools/make_sample.py.
    # The 24 eligible candidacies are of 22 people: two of the three passed for both their posts.
    assert "  报名 30 人，报考 33 人次；资格审查合格 24 人次（22 人），不合格 9 人次" in lines
    assert "  评分：尚未录入" in lines
    assert "  资格审查结果公示：2026年6月17日至2026年6月24日（公示中）" in lines
    assert "暂不能生成：" in lines
    assert "make results" in lines[-1]
