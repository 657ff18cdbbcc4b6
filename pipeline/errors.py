"""One error family: every problem a clerk can fix is a PipelineError; anything else is a bug."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One located input problem, e.g. 报名信息.xlsx 报名信息!F14 身份证号: 校验位应为 X。"""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # the column header as the clerk sees it
    cell: str | None = None  # e.g. "F14"
    code: str = "invalid"  # stable machine-readable kind: missing-column, bad-date, ...

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" 工作表「{self.sheet}」"
        if self.cell:
            where += f" {self.cell}"
        elif self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f" 「{self.column}」"
        return f"{where}：{self.message}"


class PipelineError(Exception):
    """A problem the clerk can fix; the CLI prints it in Chinese and exits non-zero."""

    exit_code = 1


@dataclass
class InputErrors(PipelineError):
    """All problems found in the inputs, reported together."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"输入有 {len(self.problems)} 处问题，未生成任何文件："
        return "\n".join([head] + [f"  {p}" for p in self.problems])


class TemplateError(PipelineError):
    """A template the clerk edited is broken; the message names the template and the text around the tag."""


class ConversionError(PipelineError):
    """LibreOffice could not turn a document into PDF."""


class ProblemCollector:
    """Gather problems while reading; raise them all at once at the end."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputErrors(list(self.problems))
