"""Shared fixtures: the sample campaign folder and scratch output folders."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs"
TEMPLATES = ROOT / "templates"


@pytest.fixture
def sample_campaign(tmp_path: Path) -> Path:
    """A private copy of the sample campaign folder that a test may change."""
    dest = tmp_path / "campaign"
    shutil.copytree(SAMPLE, dest)
    return dest
