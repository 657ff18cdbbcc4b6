"""The sample's papers are those recorded in tests/golden/sample/ (regenerate: `.venv/bin/python tests/golden.py`).

One build of a copy of inputs/ through the command line; every DOCX's text, every PDF's page count (and a
bundle's bookmarks), every CSV and every workbook's cells must equal the committed listing.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.golden import GOLDEN, build_sample, listing, read_listing

pytestmark = pytest.mark.integration

SHOWN_PAPERS = 3
SHOWN_LINES = 40
INTENDED = "\nIf the change is intended: `.venv/bin/python tests/golden.py`, then read and commit the git diff."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return listing(build_sample(tmp_path_factory.mktemp("golden")))


@pytest.fixture(scope="module")
def committed() -> dict[str, str]:
    return read_listing(GOLDEN)


def differences(changed: list[str], expected: dict[str, str], actual: dict[str, str]) -> str:
    """A unified diff of the first few papers that differ, each cut short, and how many more there are."""
    shown = []
    for name in changed[:SHOWN_PAPERS]:
        diff = list(difflib.unified_diff(expected[name].splitlines(), actual[name].splitlines(),
                                         f"golden/{name}", f"built/{name}", lineterm=""))
        cut = f"\n… {len(diff) - SHOWN_LINES} more diff lines" if len(diff) > SHOWN_LINES else ""
        shown.append("\n".join(diff[:SHOWN_LINES]) + cut)
    more = f"\n… and {len(changed) - SHOWN_PAPERS} more papers differ" if len(changed) > SHOWN_PAPERS else ""
    head = f"{len(changed)} of {len(expected)} outputs differ from tests/golden/sample/:\n"
    return head + "\n\n".join(shown) + more + INTENDED


def test_the_sample_builds_the_same_set_of_files(committed: dict[str, str], built: dict[str, str]) -> None:
    missing, new = sorted(set(committed) - set(built)), sorted(set(built) - set(committed))
    if missing or new:
        pytest.fail(f"the build no longer writes: {missing}\nthe build now also writes: {new}" + INTENDED, pytrace=False)


def test_every_output_of_the_sample_reads_as_the_committed_listing(built: dict[str, str],
                                                                    committed: dict[str, str]) -> None:
    changed = [name for name in sorted(committed) if name in built and built[name] != committed[name]]
    if changed:
        pytest.fail(differences(changed, committed, built), pytrace=False)
