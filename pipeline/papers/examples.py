"""Example contexts, one per template, that the template checker validates every template against.

Each step's papers keep their examples beside their context builders (a module-level EXAMPLE_CONTEXTS);
a step that adds templates adds its module here.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def example_contexts() -> dict[str, dict[str, Any]]:
    """Every template's example context, by template file name (computed once per process, from invented data)."""
    from pipeline.papers import allocation, contexts, implementation, notices, review, scoring, shortlists

    merged: dict[str, dict[str, Any]] = {}
    for module in (contexts, review, notices, scoring, shortlists, allocation, implementation):
        merged.update(module.EXAMPLE_CONTEXTS)
    return merged
