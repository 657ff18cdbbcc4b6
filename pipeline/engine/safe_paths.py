"""Paths built from clerk-typed data (a name, a 报名序号, a title) never leave OUT.

Two layers: `component` turns one piece of data into a harmless file-name part, and `resolve_inside`
refuses any relative path that is absolute, climbs with `..`, or resolves (through links too) outside
the folder it is meant for. The readers refuse such names with the cell named; these functions are the
last line, so a value that slipped past a reader still cannot write outside the staging folder or OUT.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath

# Path separators (both kinds), characters Windows forbids in names, and every control character.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
MAX_COMPONENT = 120  # characters; ext4 allows 255 bytes, and a CJK character is 3 bytes in UTF-8


class UnsafePath(ValueError):
    """A path that would write outside its folder; a bug or a hostile value, never written."""


def _unsafe(c: str) -> bool:
    return bool(_UNSAFE.match(c)) or unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")


def unsafe_characters(text: str) -> list[str]:
    """The characters of text that may not stand in a file name (separators, control characters …), each once."""
    return list(dict.fromkeys(c for c in text if _unsafe(c)))


def component(text: str) -> str:
    """Make one file-name component from data: unsafe characters become _, no leading dots, bounded length."""
    cleaned = "".join("_" if _unsafe(c) else c for c in str(text)).strip()
    cleaned = cleaned.lstrip(".") or "_"
    return cleaned[:MAX_COMPONENT]


def check_relative(rel: str) -> PurePosixPath:
    """Refuse a relative output path that is absolute, has '..' or '.' parts, backslashes or control characters."""
    if not isinstance(rel, str) or not rel or "\\" in rel or rel.startswith("/"):
        raise UnsafePath(f"输出路径不安全：{rel!r}")
    parts = rel.split("/")
    for part in parts:
        if part in ("", ".", "..") or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in part):
            raise UnsafePath(f"输出路径不安全：{rel!r}")
    return PurePosixPath(rel)


def resolve_inside(root: Path, rel: str) -> Path:
    """root/rel, after checking that it stays inside root (links followed) — else UnsafePath."""
    check_relative(rel)
    base = Path(root).resolve()
    target = (base / rel).resolve()
    if target != base and base not in target.parents:
        raise UnsafePath(f"输出路径 {rel!r} 指向 {base} 之外")
    return base / rel
