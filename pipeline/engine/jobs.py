"""What a build makes: documents rendered from templates, and plain files (CSV, xlsx)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class DocJob:
    """One paper: a template rendered with a context, saved as DOCX and converted to PDF."""

    path: str  # relative to OUT, without extension, e.g. "02-报名登记表/报名登记表-001-李明"
    template: str  # file name in templates/
    context: Mapping[str, Any] = field(compare=False)
    batch: str  # papers of one batch are merged and converted as one document
    title: str  # bookmark title in bundles
    public: bool = False  # a 公示: carries only what pipeline.campaign.publish allows
    bundles: tuple[str, ...] = ()  # print bundles this paper goes into, in order
    order: int = 0  # position in the procedure, for the archive bundle
    # The papers of this batch differ only in their opening, above a table they share (every judge's 评分表):
    # laid out once and personalised per paper (pipeline/engine/personalise.py), when the rendered files agree.
    shared_body: bool = False


@dataclass(frozen=True)
class FileJob:
    """A plain output file whose bytes a stage computed (eligibility.csv, 评分录入.xlsx …)."""

    path: str  # relative to OUT, with extension
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class Skipped:
    """A paper a build cannot make yet: which, why, and what the clerk does next."""

    paper: str
    reason: str
    next_step: str = ""

    def __str__(self) -> str:
        return f"{self.reason} — {self.next_step}" if self.next_step else self.reason


@dataclass
class Plan:
    """Everything a build would write, and the papers it cannot make yet."""

    docs: list[DocJob] = field(default_factory=list)
    files: list[FileJob] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    bundles: list[tuple[str, list[tuple[str, str]], bool]] = field(default_factory=list)  # (file, [(title, path)], duplex)
    # Output folders and files of papers skipped because their input is gone: their old copies are removed,
    # so OUT never shows results of scores that are no longer in the campaign folder.
    retired: set[str] = field(default_factory=set)
    title: str = ""  # the bundles' document title starts with it (PDF/A metadata)
    author: str = ""  # the bundles' author (PDF/A metadata)
    notes: list[str] = field(default_factory=list)  # said to the clerk with the build's report (what was read as what)
