"""Where a key of a TOML file is written: key paths such as `scoring.groups[2].weight` mapped to line numbers.

tomllib gives values but no positions, so a message about a value could not say which line to change.
This reads the text once, line by line, the way TOML 1.0 lays a document out: `[table]` and `[[array]]`
headers (array elements counted from 1 under their own parent, so nested arrays restart), `key = value`
lines with dotted and quoted keys, and values that run over several lines (multi-line strings and
arrays), whose inner lines are never taken for keys or headers. It expects a file tomllib has accepted.
"""
from __future__ import annotations

import codecs
import re
import tomllib

from pipeline.errors import Problem, ProblemCollector

_INDEX = re.compile(r"\[\d+\]$")


class KeyLines:
    """The line of every table header and key of one TOML text, by key path."""

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        self._arrays: dict[str, int] = {}  # array-of-tables path (parent resolved) -> elements so far
        self._table = ""
        value = _ValueScanner()
        # TOML counts lines by "\n" alone, as tomllib's error messages do (str.splitlines splits on more).
        for number, line in enumerate(text.split("\n"), 1):
            if value.open:
                value.feed(line)
            else:
                value.feed(self._read_line(line.strip(), number))

    def line(self, path: str) -> int | None:
        """The line of `path`, else of the nearest enclosing key or table written (a missing key's table)."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = parent(path)
        return None

    def _read_line(self, line: str, number: int) -> str:
        """Record a header or a key on this line; return the rest of the line that holds a value."""
        if line.startswith("["):
            self._header(line, number)
            return ""
        key, rest = _split_at_equals(line)
        if key is None:
            return ""
        self._record(self._table, _segments(f"{key} = 0"), number)
        return rest

    def _header(self, line: str, number: int) -> None:
        """Enter the table a header names; count an array's elements; note the tables it opens on the way."""
        array = line.startswith("[[")
        segments = _segments(f"[{_until(line, 2 if array else 1, ']')}]")
        for i in range(1, len(segments)):
            self._lines.setdefault(self._resolve(segments[:i]), number)
        if array:
            path = _join(self._resolve(segments[:-1]), segments[-1])
            self._arrays[path] = self._arrays.get(path, 0) + 1
            self._lines.setdefault(path, number)
        self._table = self._resolve(segments)
        self._lines.setdefault(self._table, number)

    def _resolve(self, segments: list[str]) -> str:
        """The path of a header's table: each array of tables on the way stands for its latest element."""
        path = ""
        for segment in segments:
            path = _join(path, segment)
            if path in self._arrays:
                path = f"{path}[{self._arrays[path]}]"
        return path

    def _record(self, table: str, segments: list[str], number: int) -> None:
        """Remember the first line of the path and of every table a dotted key opens on the way."""
        path = table
        for segment in segments:
            path = _join(path, segment)
            self._lines.setdefault(path, number)


def parent(path: str) -> str:
    """`scoring.groups[2].weight` → `scoring.groups[2]` → `scoring.groups` → `scoring` → ``."""
    if _INDEX.search(path):
        return _INDEX.sub("", path)
    return path.rpartition(".")[0]


def _join(path: str, segment: str) -> str:
    return f"{path}.{segment}" if path else segment


def _segments(toml: str) -> list[str]:
    """The key names of a dotted key or header, quotes and escapes resolved by tomllib itself."""
    names, table = [], tomllib.loads(toml)
    while isinstance(table, dict) and table:
        name = next(iter(table))
        names.append(name)
        table = table[name]
    return names


def _split_at_equals(line: str) -> tuple[str | None, str]:
    """Split `key = value` at the first = outside quotes; (None, "") when the line holds no key."""
    i = 0
    while i < len(line):
        c = line[i]
        if c in "\"'":
            i = _after_string(line, i)
            continue
        if c == "=":
            return line[:i], line[i + 1:]
        if c == "#":
            break
        i += 1
    return None, ""


def _until(line: str, start: int, stop: str) -> str:
    """The text from `start` up to the first `stop` outside quotes."""
    i = start
    while i < len(line) and line[i] != stop:
        i = _after_string(line, i) if line[i] in "\"'" else i + 1
    return line[start:i]


def _after_string(line: str, i: int) -> int:
    """The index just past the one-line string starting at i (basic strings honour backslash escapes)."""
    quote, i = line[i], i + 1
    while i < len(line) and line[i] != quote:
        i += 2 if quote == '"' and line[i] == "\\" else 1
    return i + 1


class _ValueScanner:
    """Follow a value over lines: inside a multi-line string, or inside open brackets and braces."""

    def __init__(self) -> None:
        self.depth = 0
        self.string: str | None = None  # '"""' or "'''" while inside a multi-line string

    @property
    def open(self) -> bool:
        return self.depth > 0 or self.string is not None

    def feed(self, text: str) -> None:
        i = 0
        while i < len(text):
            if self.string:
                i = self._close_string(text, i)
            elif text.startswith(('"""', "'''"), i):
                self.string, i = text[i:i + 3], i + 3
            elif text[i] in "\"'":
                i = _after_string(text, i)
            elif text[i] == "#":
                return
            else:
                self.depth += (text[i] in "[{") - (text[i] in "]}")
                i += 1

    def _close_string(self, text: str, i: int) -> int:
        """Skip to the end of the multi-line string (up to two quotes may end its content) or of the line."""
        quote = self.string
        while i < len(text):
            if quote == '"""' and text[i] == "\\":
                i += 2
            elif text.startswith(quote, i):
                end = i + 3
                while end < len(text) and text[end] == quote[0] and end - i < 5:
                    end += 1
                self.string = None
                return end
            else:
                i += 1
        return i


def decode_text(data: bytes, file: str, problems: ProblemCollector) -> str | None:
    """A text file a clerk saved: UTF-8, with or without Notepad's BOM; anything else is named (GBK, UTF-16)."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problems.add(Problem(file, _encoding_message(data), code="bad-encoding"))
        return None


def _encoding_message(data: bytes) -> str:
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return ("文件不是 UTF-8 编码，无法读取；请用记事本打开，点“另存为”，"
                "在“编码”中选 UTF-8 后保存")
    return ("文件是 GBK 编码（记事本里叫“ANSI”），程序只读 UTF-8 编码；请另存为 UTF-8：用记事本打开，"
            "点“另存为”，在“编码”中选 UTF-8 后保存")
