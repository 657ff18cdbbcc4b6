"""The steps of a campaign and their dates: campaign.toml [[timeline]] as typed records, and how papers write them.

The steps are read and checked with the rest of campaign.toml (pipeline.campaign.settings).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Step:
    """One step of the procedure: its key (fixed), its name (the clerk's words) and its dates."""

    key: str
    name: str
    start: dt.date
    end: dt.date | None = None  # None: done on the start day

    @property
    def last(self) -> dt.date:
        return self.end or self.start

    @property
    def days(self) -> int:
        """Calendar days the step lasts, both ends included (6月8日至12日 is five days)."""
        return (self.last - self.start).days + 1


def find_step(steps: Sequence[Step], key: str) -> Step | None:
    """Return the step with this key, or None when the campaign leaves it out."""
    return next((s for s in steps if s.key == key), None)


def date_span(step: Step) -> str:
    """Write a step's dates as official papers do: 2026年6月8日, or 2026年6月8日至6月12日 (docs/reference.md, 日期写法)."""
    first = f"{step.start.year}年{step.start.month}月{step.start.day}日"
    if step.end is None or step.end == step.start:
        return first
    end = step.end
    tail = f"{end.month}月{end.day}日" if end.year == step.start.year else f"{end.year}年{end.month}月{end.day}日"
    return f"{first}至{tail}"


def short_span(step: Step) -> str:
    """Write the dates without the year, as a speech says them: 6月8日至12日, 6月29日至7月3日."""
    first = f"{step.start.month}月{step.start.day}日"
    if step.end is None or step.end == step.start:
        return first
    end = step.end
    tail = f"{end.day}日" if end.month == step.start.month else f"{end.month}月{end.day}日"
    return f"{first}至{tail}"
