"""What the code cites lives in the repository: docs/reference.md by section, never a document outside it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

REFERENCE = ROOT / "docs" / "reference.md"
SCANNED = ("pipeline", "authoring", "devtools", "tests", "docs", "README.md", "Makefile", "templates/模板说明.md")
# Briefs and issue threads are not in the repository; a reader of the code cannot follow them.
OUTSIDE = re.compile(r"\b(?:DOMAIN|FINDINGS|STYLE)\.md\b|\b[Ii]ssue \d")
# "docs/reference.md, 公示期" in a comment (the section name may start the next comment line),
# or a link "reference.md#公示期".
CITATION = re.compile(r"reference\.md(?:,\s*(?:#\s*)?|#)([^\s).,;:，。）`]+)")


def scanned_files() -> list[Path]:
    files = []
    for name in SCANNED:
        path = ROOT / name
        found = sorted(path.rglob("*")) if path.is_dir() else [path]
        files += [p for p in found if p.suffix in {".py", ".md", ""} and p.is_file() and p != Path(__file__)]
    return files


def sections(markdown: str) -> set[str]:
    """The anchors of a Markdown file's headings as GitHub makes them (our headings have no spaces)."""
    return {line[3:].strip().lower() for line in markdown.splitlines() if line.startswith("## ")}


def test_nothing_cites_a_document_outside_the_repository():
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in scanned_files()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if OUTSIDE.search(line)]
    if found:
        pytest.fail("cites a document outside the repository (name the rule or docs/reference.md, <section>):\n  "
                    + "\n  ".join(found), pytrace=False)


def test_every_citation_of_the_reference_names_one_of_its_sections():
    known = sections(REFERENCE.read_text(encoding="utf-8"))
    cited = {(str(p.relative_to(ROOT)), name) for p in scanned_files()
             for name in CITATION.findall(p.read_text(encoding="utf-8"))}
    assert cited, "no citation found: the pattern no longer matches how the code cites the reference"
    unknown = sorted(f"{path}: {name}" for path, name in cited if name.lower() not in known)
    assert not unknown, "docs/reference.md has no such section:\n  " + "\n  ".join(unknown)


def test_the_section_pattern_reads_citations_as_written(tmp_path):
    text = ("x  # rounded (docs/reference.md, 四舍五入)\n"
            "# Chinese stays outside tags (docs/reference.md,\n# LibreOffice); more\n"
            "see [样本](docs/reference.md#样本来源).\n")
    assert CITATION.findall(text) == ["四舍五入", "LibreOffice", "样本来源"]
    assert sections("# Title\n## 公示期\n## Calc核算\n### 细节\n") == {"公示期", "calc核算"}
