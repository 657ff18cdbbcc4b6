"""The build record in OUT/manifest.json: what every output was made from, by content hash."""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.engine.safe_paths import UnsafePath, check_relative, resolve_inside

MANIFEST = "manifest.json"


def sha256_bytes(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, decimal.Decimal)):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot hash {type(value).__name__}")


def context_hash(context: Any) -> str:
    """A stable hash of a template context (dates and Decimals by their text)."""
    text = json.dumps(context, sort_keys=True, ensure_ascii=False, default=_plain, separators=(",", ":"))
    return sha256_bytes(text.encode("utf-8"))


@dataclass
class Manifest:
    """What the last successful build made. `documents` maps an output path to its record: the key it was
    made from, template, title, pages, and `converter`, which converter made its PDF ("local" for this
    machine's LibreOffice, host:port for a unoserver; docs/reference.md, 转换服务器)."""

    version: str = ""
    fingerprint: str = ""  # hash of every input, template and the code version
    inputs: dict[str, str] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # every output file: sha, size, mtime_ns
    bundles: dict[str, str] = field(default_factory=dict)  # bundle file → hash of its members and their keys
    # bundle file → [title, member path, member key] in order: which members a later build may replace in place
    bundle_members: dict[str, list[list[str]]] = field(default_factory=dict)
    # hash of the templates and code this build checked in full (template_check): the next build with the same
    # ones checks only what is cheap (typing, a 公示's fields)
    templates_checked: str = ""

    @classmethod
    def load(cls, out_dir: Path) -> "Manifest":
        try:
            raw = json.loads((out_dir / MANIFEST).read_text("utf-8"))
            manifest = cls(**{k: raw.get(k, v) for k, v in cls().__dict__.items()})
        except (OSError, ValueError, TypeError):
            return cls()
        # A record naming a path outside OUT was not written by us (a hand-edited or planted manifest):
        # drop it, so no later removal or bundle can reach outside OUT through it.
        for records in (manifest.documents, manifest.files, manifest.bundles, manifest.bundle_members):
            for rel in [rel for rel in records if not _safe(rel)]:
                del records[rel]
        return manifest

    def converters(self) -> dict[str, str | None]:
        """Each paper's PDF (its path under OUT) → the converter that made it (None: made before it was recorded)."""
        return {rel + ".pdf": rec.get("converter") for rel, rec in self.documents.items()}

    def dumps(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1, sort_keys=True)

    def file_intact(self, out_dir: Path, rel: str, *, by_content: bool = False) -> bool:
        """True when the file is there as the last build left it (size and mtime, then content).

        by_content: compare the content hash even when size and mtime agree (a copy made with cp -p or
        rsync -t keeps both, so they cannot tell another campaign's paper from ours).
        """
        rec = self.files.get(rel)
        try:
            path = resolve_inside(out_dir, rel)
            st = path.stat()
        except (OSError, UnsafePath):
            return False
        if rec is None or st.st_size != rec["size"]:
            return False
        if st.st_mtime_ns == rec["mtime_ns"] and not by_content:
            return True
        return sha256_file(path) == rec["sha256"]

    def record_file(self, root: Path, rel: str) -> None:
        """Record rel as it is under root (the staging folder: a rename into OUT keeps size and mtime)."""
        path = resolve_inside(root, rel)
        st = path.stat()
        self.files[rel] = {"sha256": sha256_file(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _safe(rel: str) -> bool:
    try:
        check_relative(rel)
    except UnsafePath:
        return False
    return True
