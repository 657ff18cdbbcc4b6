"""Atomic output: everything is written into a staging folder inside OUT and moved into place at the end.

A run that fails removes its staging folder, so OUT keeps the previous outputs exactly as they were.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class Staging:
    """A scratch folder on the same file system as OUT, committed file by file with os.replace."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.dir: Path | None = None
        self.written: list[str] = []

    def __enter__(self) -> "Staging":
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.out_dir))
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, rel: str) -> Path:
        """Where rel is staged; parent folders are created."""
        p = self.dir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write(self, rel: str, blob: bytes) -> Path:
        p = self.path(rel)
        p.write_bytes(blob)
        self.add(rel)
        return p

    def add(self, rel: str) -> None:
        """Mark a file placed at self.path(rel) by someone else as part of the output."""
        self.written.append(rel)

    def commit(self) -> list[str]:
        """Move every staged file into OUT (each move atomic) and return their paths."""
        for rel in self.written:
            dest = self.out_dir / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.dir / rel, dest)
        return list(self.written)


def remove_outputs(out_dir: Path, rels) -> None:
    """Delete outputs that the current data no longer produces, and folders left empty."""
    for rel in rels:
        p = out_dir / rel
        p.unlink(missing_ok=True)
        parent = p.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
