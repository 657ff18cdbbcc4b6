"""Run one command so that it cannot outlive the pipeline: python watchdog.py COMMAND ARGS...

The pipeline starts this file with a pipe on stdin and keeps the pipe's other end. The watchdog starts
COMMAND in a process group of its own and kills that whole group (soffice → oosplash → soffice.bin) as
soon as stdin reaches end of file: the pipeline closed it on purpose (a timeout, Ctrl-C) or the kernel
closed it because the pipeline died, whatever killed it — SIGKILL of the python process alone, SIGKILL
or SIGTERM of make's process group. The watchdog runs in a session of its own, so a signal sent to
make's group does not reach it before it has done its job. PR_SET_PDEATHSIG would not do: prctl(2)
fires it when the spawning *thread* ends (a converter thread, not the build) and clears it in the
children of a fork, so soffice.bin, two forks down, would never get it.

Exit status: COMMAND's, or 128 + 9 when the watchdog killed it. Standard library only; started by path,
so it imports nothing of the pipeline.
"""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys

KILLED = 128 + signal.SIGKILL


def kill_group(pgid: int) -> None:
    """Kill a whole process group; a group already gone is fine."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def watch(command: list[str]) -> int:
    """Run command in its own process group until it ends or stdin closes; never leave the group behind."""
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    pidfd = os.pidfd_open(proc.pid)
    try:
        ready, _, _ = select.select([sys.stdin.fileno(), pidfd], [], [])
        code = proc.poll() if pidfd in ready else None
        return KILLED if code is None else code
    finally:
        kill_group(proc.pid)  # also whatever the wrapper left behind after it ended
        proc.wait()
        os.close(pidfd)


if __name__ == "__main__":
    sys.exit(watch(sys.argv[1:]))
