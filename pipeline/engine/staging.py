"""Atomic output: everything is written into a staging folder inside OUT and committed through a journal.

A run that fails removes its staging folder, so OUT keeps the previous outputs exactly as they were. The
commit itself is made crash-safe the way databases do it (write-ahead log): the complete list of moves,
removals and the new manifest is written to OUT/.journal (atomically, fsynced) before the first move, so
a command killed half-way through is rolled forward by the next one. Every path goes through
`resolve_inside`: nothing is ever written or removed outside the staging folder or OUT.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pipeline.engine.faults import kill_point
from pipeline.engine.manifest import MANIFEST, Manifest
from pipeline.engine.safe_paths import resolve_inside

JOURNAL = ".journal"
STAGING_PREFIX = ".staging-"
# What a killed command of ours can leave in OUT besides its staging folder (which holds the LibreOffice
# work folders): half-written journal and manifest, and save_atomic's temporary workbooks (e.g. in 空白表格/).
LEFTOVER_PATTERNS = (f"{STAGING_PREFIX}*", ".*.tmp", "*/.~*.xlsx.tmp")


class Staging:
    """A scratch folder on the same file system as OUT, committed file by file with os.replace."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.dir: Path | None = None
        self.written: list[str] = []

    def __enter__(self) -> "Staging":
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out_dir))
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, rel: str) -> Path:
        """Where rel is staged; parent folders are created. A path leaving the staging folder is refused."""
        p = resolve_inside(self.dir, rel)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write(self, rel: str, blob: bytes) -> Path:
        p = self.path(rel)
        p.write_bytes(blob)
        self.add(rel)
        return p

    def add(self, rel: str) -> None:
        """Mark a file placed at self.path(rel) by someone else as part of the output."""
        resolve_inside(self.dir, rel)
        self.written.append(rel)
        if rel.endswith(".pdf"):
            kill_point("convert")  # a converter has just delivered a PDF: conversion is under way

    def commit(self, removals: Iterable[str], manifest: Manifest) -> list[str]:
        """Journal, then move every staged file into OUT, remove `removals`, write the manifest; return the moves."""
        journal = {"staging": self.dir.name, "moves": self.written, "removals": list(removals),
                   "manifest": manifest.dumps()}
        write_durably(self.out_dir / JOURNAL, json.dumps(journal, ensure_ascii=False))
        apply_journal(self.out_dir, journal)
        (self.out_dir / JOURNAL).unlink()
        return list(self.written)


def apply_journal(out_dir: Path, journal: dict) -> None:
    """Carry out a journal; safe to repeat after a kill (a file already moved is not in staging any more).

    A move whose file is gone from staging is skipped: then OUT keeps the old file, the manifest's hash no
    longer matches it, and the next build makes that paper again.
    """
    staging = resolve_inside(out_dir, journal["staging"])
    for n, rel in enumerate(journal["moves"], 1):
        src, dest = resolve_inside(staging, rel), resolve_inside(out_dir, rel)
        if src.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
        kill_point("commit", n)
    remove_outputs(out_dir, journal["removals"])
    write_durably(out_dir / MANIFEST, journal["manifest"])


def write_durably(path: Path, text: str) -> None:
    """Write text through a temporary file, fsync it and its folder, then rename: whole or not at all."""
    tmp = path.with_name(f".{path.name.lstrip('.')}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def recover(out_dir: Path, log=lambda msg: None) -> None:
    """At the start of a writing command (under the lock): finish a killed commit, remove what killed runs left."""
    journal = out_dir / JOURNAL
    if journal.exists():  # written whole by write_durably, so it always parses
        apply_journal(out_dir, json.loads(journal.read_text("utf-8")))
        journal.unlink()
        log(f"上次生成在写入 {out_dir} 时被中断，已按记录把它写完。")
    found = leftovers(out_dir)
    if found:
        log(f"已删除上次中断的命令在 {out_dir} 中留下的 {len(found)} 个临时文件夹或文件。")
    for p in found:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        else:
            p.unlink()


def leftovers(out_dir: Path) -> list[Path]:
    """Staging folders and temporary files of our commands that were killed."""
    return sorted(p for pattern in LEFTOVER_PATTERNS for p in out_dir.glob(pattern))


def remove_outputs(out_dir: Path, rels) -> None:
    """Delete outputs that the current data no longer produces, and folders left empty."""
    base = Path(out_dir).resolve()  # resolve_inside returns resolved paths: compare like with like
    for rel in rels:
        p = resolve_inside(out_dir, rel)
        p.unlink(missing_ok=True)
        parent = p.parent
        while parent != base and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def clean_out(out_dir: Path, lock_file: str, also_ours: Iterable[str] = ()) -> list[str]:
    """Remove everything our commands made in OUT (dot-folders too); return the files left, which are not ours.

    also_ours: files a command wrote outside the manifest (the blank input workbooks).
    """
    recover(out_dir)  # a killed commit's new files are ours too: roll it forward so the manifest lists them
    ours = [*Manifest.load(out_dir).files, MANIFEST, *also_ours]
    remove_outputs(out_dir, ours)
    # The lock file goes when the lock is released (pipeline.engine.lock), right after this.
    return sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file() and p.name != lock_file)
