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
    family: str  # papers of one family are merged and converted as one document
    title: str  # bookmark title in bundles
    public: bool = False  # a 公示: carries only what pipeline.campaign.publish allows
    bundles: tuple[str, ...] = ()  # print bundles this paper goes into, in order
    order: int = 0  # position in the procedure, for the archive bundle


@dataclass(frozen=True)
class FileJob:
    """A plain output file whose bytes a stage computed (eligibility.csv, 评分录入.xlsx …)."""

    path: str  # relative to OUT, with extension
    content: bytes = field(repr=False)
