"""Reading a table of campaign.toml: every unknown or malformed key becomes a located Problem."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from pipeline.errors import Problem, ProblemCollector

CONFIG_FILE = "campaign.toml"


class TableReader:
    """One TOML table at `path` (e.g. scoring.groups[2]); `noun` names its keys in messages."""

    noun = "设置项"

    def __init__(self, problems: ProblemCollector, path: str, table: Any, allowed: Iterable[str]):
        self.problems, self.path = problems, path
        self.table = table if isinstance(table, Mapping) else {}
        allowed = tuple(allowed)
        if not isinstance(table, Mapping):
            self.fail("", "应为一个表（[...] 小节）")
        for key in self.table:
            if key not in allowed:
                self.fail(key, f"不认识的{self.noun}“{key}”，可用的有：{'、'.join(allowed)}", code="unknown-key")

    def fail(self, key: str, message: str, code: str = "bad-config") -> None:
        where = f"{self.path}.{key}" if key else self.path
        self.problems.add(Problem(file=CONFIG_FILE, column=where, message=message, code=code))

    def get(self, key: str, default: Any = None) -> Any:
        return self.table.get(key, default)
