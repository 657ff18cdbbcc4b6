"""Example contexts, one per template, that the template checker validates every template against.

Each document family keeps its examples beside its context builders (a module-level EXAMPLE_CONTEXTS);
a family that adds templates adds its module here.
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

EXAMPLE_MODULES = (
    "pipeline.papers.contexts",
    "pipeline.papers.review_contexts",
    "pipeline.papers.notices_contexts",
    "pipeline.papers.scoring_contexts",
    "pipeline.papers.implementation_contexts",
)


@lru_cache(maxsize=1)
def example_contexts() -> dict[str, dict[str, Any]]:
    """Every template's example context, by template file name."""
    merged: dict[str, dict[str, Any]] = {}
    for name in EXAMPLE_MODULES:
        merged.update(importlib.import_module(name).EXAMPLE_CONTEXTS)
    return merged
