"""The steps of a campaign and their dates: campaign.toml [[timeline]] as typed records.

Every mistake comes back as a Problem naming campaign.toml and the step (timeline[3].end), all at once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from pipeline.campaign.toml_tables import CONFIG_FILE
from pipeline.errors import Problem, ProblemCollector


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


def load_timeline(raw: dict[str, Any]) -> tuple[Step, ...]:
    """Read [[timeline]] of campaign.toml, in the order written; raise InputErrors listing every problem."""
    problems = ProblemCollector()
    table = raw.get("timeline", [])
    if not isinstance(table, list):
        table = []
        problems.add(_problem("timeline", "应写成若干个 [[timeline]] 小节"))
    steps = [step for i, entry in enumerate(table, 1) if (step := _read_step(problems, i, entry))]
    problems.raise_if_any()
    return tuple(steps)


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


def _read_step(problems: ProblemCollector, i: int, entry: Any) -> Step | None:
    where = f"timeline[{i}]"
    if not isinstance(entry, dict):
        problems.add(_problem(where, "应为一个 [[timeline]] 小节"))
        return None
    key, name, start, end = (entry.get(k) for k in ("key", "name", "start", "end"))
    ok = True
    for field, value in (("key", key), ("name", name)):
        if not isinstance(value, str) or not value.strip():
            problems.add(_problem(f"{where}.{field}", "不能为空，应为加英文双引号的文字"))
            ok = False
    if not _is_date(start):
        problems.add(_problem(f"{where}.start", f"应为日期，写成 2026-06-08 的形式（不加引号），现为 {start!r}"))
        ok = False
    if end is not None and not _is_date(end):
        problems.add(_problem(f"{where}.end", f"应为日期，写成 2026-06-12 的形式（不加引号），现为 {end!r}"))
        ok = False
    if ok and end is not None and end < start:
        problems.add(_problem(f"{where}.end", f"结束日期 {end} 早于开始日期 {start}，请改正"))
        ok = False
    return Step(key.strip(), name.strip(), start, end) if ok else None


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _problem(where: str, message: str) -> Problem:
    return Problem(file=CONFIG_FILE, column=where, message=message, code="bad-config")
