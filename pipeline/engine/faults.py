"""Fault injection for the kill tests: PIPELINE_KILL_AT=plan|convert|commit:N makes the build SIGKILL itself there.

A clerk's build can be killed at any instant (Ctrl-C, a closed terminal, a power cut); the tests kill it
at the three moments that matter — after planning, during conversion, after N moves of the commit — and
check that the next command leaves OUT exactly as the old build or the new one left it.
"""
from __future__ import annotations

import os
import signal

KILL_AT = "PIPELINE_KILL_AT"


# PIPELINE_KILL_AT=interrupt:plan sends SIGINT instead: the clerk's Ctrl-C at that point.
INTERRUPT = "interrupt:"


def kill_point(name: str, count: int | None = None) -> None:
    """SIGKILL this process when PIPELINE_KILL_AT names this point ("commit:3" = after the third move)."""
    wanted = os.environ.get(KILL_AT)
    point = name if count is None else f"{name}:{count}"
    if wanted == point:
        os.kill(os.getpid(), signal.SIGKILL)
    elif wanted == INTERRUPT + point:
        os.kill(os.getpid(), signal.SIGINT)
