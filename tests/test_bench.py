"""`make bench` itself at a small scale: every build in a process of its own, every row printed.

The numbers are not checked here (speed is what the benchmark measures, not a test); that it runs, with the
pool on loopback, is.
"""
from __future__ import annotations

import pytest

from devtools import bench

# Runs LibreOffice, unoserver and the pipeline in subprocesses (pytest.ini: `make test-quick` leaves it out).
pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def test_the_benchmark_prints_every_row_at_a_small_scale(tmp_path, capsys):
    assert bench.main(["--posts", "3", "--principal", "1", "--applicants", "12", "--judges", "3",
                       "--sample", "2", "--work", str(tmp_path / "bench")]) == 0
    table = capsys.readouterr().out
    for row in ("pipeline: full build, total", "full build / 2-batch baseline", "rebuild, nothing changed",
                "rebuild, one applicant row changed", "pool / local full build",
                "peak memory: largest LibreOffice process"):
        assert row in table, table
    assert "(1 documents rebuilt" in table  # the changed row's 报名登记表, nothing else
