"""Example contexts, one per template, that the template checker validates every template against.

Each document family keeps its examples beside its context builders (a module-level EXAMPLE_CONTEXTS);
a family that adds templates adds its module here.
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

EXAMPLE_MODULES = (
    "pipeline.contexts",
    "pipeline.contexts_review",
    "pipeline.contexts_notices",
    "pipeline.contexts_scoring",
    "pipeline.contexts_plan",
)


@lru_cache(maxsize=1)
def example_contexts() -> dict[str, dict[str, Any]]:
    """Every template's example context, by template file name."""
    merged: dict[str, dict[str, Any]] = {}
    for name in EXAMPLE_MODULES:
        merged.update(importlib.import_module(name).EXAMPLE_CONTEXTS)
    return merged
