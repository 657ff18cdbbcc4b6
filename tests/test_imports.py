"""The module graph of pipeline/: no import cycle (imports inside functions count too), the engine knows nothing
of 竞争上岗, and the runtime package never reaches into authoring/ or devtools/.

The graph is read from the source with `ast`, not by importing: a lazy import inside a function is an edge like
any other, because it is the same knot, only tied later.
"""
from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

# The packages of the procedure; the engine may use none of them (it renders, converts and stages any papers).
DOMAIN_PACKAGES = ("campaign", "review", "scoring", "appointment", "papers")
# Template authoring and developer tools sit beside the runtime package and are not part of its code version.
OUTSIDE_RUNTIME = ("authoring", "devtools")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.source} → {self.target}（{self.path.as_posix()}:{self.line}）"


def modules_of(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package under root by dotted name; a package is named by its __init__.py."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module a `from … import` reads from, a relative one resolved against the importing module."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    anchor = parts if is_package else parts[:-1]
    anchor = anchor[:len(anchor) - (node.level - 1)]
    return ".".join([*anchor, *([node.module] if node.module else [])])


def _is_import_module(node: ast.AST) -> bool:
    """A call of importlib.import_module (or of import_module imported from importlib)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == "import_module") or \
        (isinstance(func, ast.Name) and func.id == "import_module")


def imports_of(path: Path, module: str, known: set[str]) -> list[tuple[str, int]]:
    """(module, line) for every module of `known` that this file imports, at any depth of the code.

    `from p import x` counts as importing p.x when p.x is a module, else as importing p. A file that calls
    importlib.import_module is taken to import every known module it names in a string literal: that is how a
    table of lazily imported planners reads.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: list[tuple[str, int]] = []
    dynamic = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            found += [(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base, node.lineno)
                      for alias in node.names]
        elif _is_import_module(node):
            dynamic = True
    if dynamic:
        found += [(node.value, node.lineno) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in known]
    return [(name, line) for name, line in found if name in known or name.split(".")[0] in OUTSIDE_RUNTIME]


def import_edges(root: Path, package: str) -> list[Edge]:
    """Every import edge from a module of the package, to a module of it or to authoring/devtools."""
    modules = modules_of(root, package)
    known = set(modules)
    edges = {Edge(module, target, path.relative_to(root), line)
             for module, path in modules.items()
             for target, line in imports_of(path, module, known) if target != module}
    return sorted(edges, key=lambda e: (e.source, e.target, e.line))


def cycles(edges: list[Edge]) -> list[list[Edge]]:
    """The edges inside each strongly connected group of modules (Tarjan's algorithm): each lies on a cycle."""
    graph: dict[str, list[Edge]] = {}
    for edge in edges:
        graph.setdefault(edge.source, []).append(edge)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for edge in graph.get(node, []):
            if edge.target not in index:
                visit(edge.target)
                low[node] = min(low[node], low[edge.target])
            elif edge.target in stack:
                low[node] = min(low[node], index[edge.target])
        if low[node] == index[node]:
            group, member = set(), None
            while member != node:
                member = stack.pop()
                group.add(member)
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(([e for e in edges if e.source in group and e.target in group] for group in groups), key=str)


def fail_listing(title: str, edges: list[Edge]) -> None:
    pytest.fail(title + "\n    " + "\n    ".join(map(str, edges)), pytrace=False)


def test_no_import_cycle_in_pipeline():
    found = cycles(import_edges(ROOT, "pipeline"))
    if found:
        pytest.fail("\n".join("import cycle (every edge listed lies on one):\n    " + "\n    ".join(map(str, group))
                              for group in found), pytrace=False)


def test_the_engine_imports_nothing_of_the_procedure():
    domain = tuple(f"pipeline.{name}" for name in DOMAIN_PACKAGES)
    offending = [e for e in import_edges(ROOT, "pipeline")
                 if e.source.startswith("pipeline.engine") and e.target.startswith(domain)]
    if offending:
        fail_listing("pipeline.engine imports the procedure's packages:", offending)


def test_the_runtime_package_imports_neither_authoring_nor_devtools():
    offending = [e for e in import_edges(ROOT, "pipeline") if e.target.split(".")[0] in OUTSIDE_RUNTIME]
    if offending:
        fail_listing("pipeline imports code outside the runtime package:", offending)


def write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_a_cycle_closed_by_an_import_inside_a_function_is_found(tmp_path):
    write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "def later():\n    from . import a\n    return a\n",
        "pkg/c.py": "import pkg.a\n",
    })
    assert [[str(e) for e in cycle] for cycle in cycles(import_edges(tmp_path, "pkg"))] == [[
        "pkg.a → pkg.b（pkg/a.py:1）",
        "pkg.b → pkg.a（pkg/b.py:2）",
    ]]


def test_relative_imports_from_a_subpackage_and_import_module_tables_are_edges(tmp_path):
    write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "from .inner import thing\n",
        "pkg/sub/inner.py": "from ..top import name\nthing = 1\n",
        "pkg/top.py": """\
            import importlib
            TABLE = {"x": "pkg.sub.inner", "y": "not a module"}
            def load(key):
                return importlib.import_module(TABLE[key])
            """,
        "pkg/tools.py": "def f():\n    import devtools.bench\n",
    })
    assert [str(e) for e in import_edges(tmp_path, "pkg")] == [
        "pkg.sub → pkg.sub.inner（pkg/sub/__init__.py:1）",
        "pkg.sub.inner → pkg.top（pkg/sub/inner.py:1）",
        "pkg.tools → devtools.bench（pkg/tools.py:2）",
        "pkg.top → pkg.sub.inner（pkg/top.py:2）",
    ]
    assert [[str(e) for e in c] for c in cycles(import_edges(tmp_path, "pkg"))] == [[
        "pkg.sub.inner → pkg.top（pkg/sub/inner.py:1）",
        "pkg.top → pkg.sub.inner（pkg/top.py:2）",
    ]]


def test_a_graph_without_a_cycle_has_none(tmp_path):
    write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "import pkg.b\nimport os\n",
        "pkg/b.py": "from pkg import c\n",
        "pkg/c.py": "",
    })
    assert cycles(import_edges(tmp_path, "pkg")) == []
