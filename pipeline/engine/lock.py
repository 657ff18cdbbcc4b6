"""One writer at a time in OUT: an exclusive flock on OUT/.pipeline.engine.lock, held for the whole command.

Two builds into one OUT interleave their moves and leave bundles made of the other campaign's pages.
flock(2) is released by the kernel when the holder dies, however it dies, so a lock file left by a
killed build never blocks; the text in it (pid, start time, command, campaign) only names the holder
for the message a second command prints. The file exists only while a command runs (or after a kill).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import PipelineError

LOCK_FILE = ".pipeline.engine.lock"


class OutBusy(PipelineError):
    """Another command is writing OUT; nothing was written."""


def command_line() -> str:
    """How this command was started, as a clerk would type it."""
    return shlex.join([Path(sys.executable).name, "-m", "pipeline", *sys.argv[1:]])


@contextmanager
def out_lock(out_dir: Path, campaign: Path, *, wait: bool = False,
             log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr)) -> Iterator[None]:
    """Hold OUT's lock for the body; refuse with the holder named, or (wait=True) block until it is free."""
    created = [d for d in (out_dir, *out_dir.parents) if not d.exists()]  # deepest first
    fd = _acquire(out_dir / LOCK_FILE, out_dir, wait, log)
    try:
        holder = {"pid": os.getpid(), "started": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                  "command": command_line(), "campaign": str(Path(campaign).resolve())}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder, ensure_ascii=False).encode("utf-8"), 0)
        yield
    finally:
        # Removed while still held, so a command that wrote nothing (bad input) leaves OUT exactly as it was;
        # a waiter blocked on this file notices it is gone (_still_the_lock_file) and locks the next one.
        (out_dir / LOCK_FILE).unlink(missing_ok=True)
        for folder in created:  # nor an empty OUT (and empty parents) it had to create for the lock
            if not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()
        os.close(fd)  # closing the descriptor releases the flock


def _acquire(path: Path, out_dir: Path, wait: bool, log: Callable[[str], None]) -> int:
    while True:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe(fd)
            if not wait:
                os.close(fd)
                raise OutBusy(f"输出文件夹 {out_dir} 正在被另一个命令使用，本次没有写入任何文件：\n  {holder}\n"
                              "请等它结束后再运行；或者运行 make all WAIT=1（命令行加 --wait），"
                              "等它结束后会自动开始。") from None
            log(f"输出文件夹 {out_dir} 正在被另一个命令使用（{holder}），正在等待它结束……")
            fcntl.flock(fd, fcntl.LOCK_EX)
        if _still_the_lock_file(fd, path):
            return fd
        os.close(fd)  # the holder removed the lock file while we waited: lock the file that is there now


def _still_the_lock_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _describe(fd: int) -> str:
    """The holder as the lock file names it: 进程号, 开始时间, 命令, 活动文件夹."""
    try:
        info = json.loads(os.pread(fd, 1 << 16, 0).decode("utf-8"))
        return (f"进程号 {info['pid']}，开始时间 {info['started']}，命令：{info['command']}，"
                f"活动文件夹：{info['campaign']}")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return "另一个命令刚刚开始，尚未写明进程号"
