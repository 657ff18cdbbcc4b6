"""The golden listing of a build: what a reader of every output sees, as text that a git diff shows.

`listing(out)` maps each output's path relative to OUT to the text that is compared: a DOCX's text in
document order (body, tables row by row, text boxes, then headers and footers), a PDF's page count (and
its bookmarks), a CSV's text, an .xlsx's non-empty cells with formulas as written. What changes between
two builds of the same data (PDF dates, manifest hashes, lock and journal files) never enters it.

`python tests/golden.py` rebuilds the sample through the command line and rewrites tests/golden/sample/.
Nothing here imports the `pipeline` package: the listing must not move when the package's modules do.
"""
from __future__ import annotations

import posixpath
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pypdf
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs"
GOLDEN = ROOT / "tests" / "golden" / "sample"
INDEX = "INDEX.txt"
PAGES = "pages: "

# manifest.json holds content hashes and times of the run; it is bookkeeping, not a paper.
NOT_COMPARED = {"manifest.json"}

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

CELL_SEPARATOR = " | "
PARAGRAPH_IN_CELL = "¶"
LINE_BREAK = "↵"
TAB = "⇥"
PAGE_BREAK = "[page break]"
TEXT_BOX = "[text box] "


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# ---------------------------------------------------------------- DOCX


class TextCounter:
    """Counts the w:t elements read, so a part whose text sits where the walk does not look fails loudly."""

    def __init__(self) -> None:
        self.seen = 0


def _skipped(element: etree._Element) -> bool:
    # mc:Fallback repeats the mc:Choice content for older readers (ECMA-376 Part 3, 10.2.1): read it once.
    return element.tag == f"{{{MC}}}Fallback" or element.tag == w("sectPr")


def _inline_text(element: etree._Element, counter: TextCounter, boxes: list[str]) -> str:
    """The text of one paragraph's runs; text boxes found inside are listed in `boxes`, not inline."""
    parts = []
    for child in element:
        if _skipped(child) or child.tag == w("pPr"):
            continue
        if child.tag == w("t"):
            counter.seen += 1
            parts.append(child.text or "")
        elif child.tag == w("tab"):
            parts.append(TAB)
        elif child.tag == w("br"):
            parts.append(PAGE_BREAK if child.get(w("type")) == "page" else LINE_BREAK)
        elif child.tag == w("txbxContent"):
            boxes.extend(TEXT_BOX + line for line in _block_lines(child, counter))
        else:
            parts.append(_inline_text(child, counter, boxes))
    return "".join(parts)


def _table_lines(table: etree._Element, counter: TextCounter) -> list[str]:
    lines = []
    for row in table.iter(w("tr")):
        if next(row.iterancestors(w("tbl"))) is not table:
            continue  # a nested table's rows belong to its cell
        cells = [PARAGRAPH_IN_CELL.join(_block_lines(cell, counter)) for cell in row.iter(w("tc"))
                 if next(cell.iterancestors(w("tr"))) is row]
        lines.append("| " + CELL_SEPARATOR.join(cells) + " |")
    return lines


def _block_lines(container: etree._Element, counter: TextCounter) -> list[str]:
    """One line per paragraph or table row, in document order; other wrappers (w:sdt …) are looked through."""
    lines: list[str] = []
    for child in container:
        if _skipped(child):
            continue
        if child.tag == w("p"):
            boxes: list[str] = []
            lines.append(_inline_text(child, counter, boxes))
            lines.extend(boxes)
        elif child.tag == w("tbl"):
            lines.extend(_table_lines(child, counter))
        else:
            lines.extend(_block_lines(child, counter))
    return lines


def _part_lines(root: etree._Element) -> list[str]:
    counter = TextCounter()
    lines = _block_lines(root, counter)
    present = int(root.xpath("count(.//w:t[not(ancestor::mc:Fallback)])", namespaces={"w": W, "mc": MC}))
    if counter.seen != present:
        raise ValueError(f"{present - counter.seen} w:t elements lie outside paragraphs and tables")
    return lines


def _relationship_targets(archive: zipfile.ZipFile) -> dict[str, str]:
    rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    return {rel.get("Id"): posixpath.normpath(posixpath.join("word", rel.get("Target")))
            for rel in rels.iter(f"{{{PACKAGE_RELS}}}Relationship")}


def _has_text(xml: bytes) -> bool:
    return next(etree.fromstring(xml).iter(w("t")), None) is not None


def docx_text(path: Path) -> str:
    """Body, then each section's headers and footers in the order the sections name them."""
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        lines = ["== body =="] + _part_lines(document.find(w("body")))
        targets = _relationship_targets(archive)
        read_parts = {"word/document.xml"}
        for reference in document.iter(w("headerReference"), w("footerReference")):
            kind = "header" if reference.tag == w("headerReference") else "footer"
            part = targets[reference.get(f"{{{R}}}id")]
            read_parts.add(part)
            lines.append(f"== {kind} {reference.get(w('type'))} ==")
            lines += _part_lines(etree.fromstring(archive.read(part)))
        unread = [name for name in archive.namelist() if name.startswith("word/") and name.endswith(".xml")
                  and name not in read_parts and _has_text(archive.read(name))]
        if unread:
            raise ValueError(f"{path.name}: text in parts the listing does not read: {', '.join(unread)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- PDF, CSV, XLSX


def pdf_entry(pages: int, bookmarks: str) -> str:
    return f"{PAGES}{pages}\n{bookmarks}"


def pdf_summary(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return pdf_entry(len(reader.pages), _bookmarks(reader))


def _bookmarks(reader: pypdf.PdfReader) -> str:
    """The outline a reader clicks through (the bundles have one): title and 1-based page, indented by depth."""
    lines: list[str] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                lines.append(f"{'  ' * depth}{item.title} … {reader.get_destination_page_number(item) + 1}")

    walk(reader.outline, 0)
    return "".join(line + "\n" for line in lines)


def csv_text(path: Path) -> str:
    """The rows as written, with the byte-level facts a spreadsheet program cares about named on top."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    newline = "CRLF" if "\r\n" in text else "LF"
    return f"[encoding utf-8{', BOM' if bom else ''}; line ends {newline}]\n" + text.replace("\r\n", "\n")


def xlsx_cells(path: Path) -> str:
    """Every non-empty cell as `Sheet!A1 = value`; formulas as written, values by repr so 85 and '85' differ."""
    workbook = openpyxl.load_workbook(path)  # not data_only: a formula is compared as its text
    lines = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            lines += [f"{sheet.title}!{cell.coordinate} = {cell.value!r}" for cell in row
                      if cell.value is not None and cell.value != ""]
    return "".join(line + "\n" for line in lines)


READERS = {
    ".docx": docx_text,
    ".pdf": pdf_summary,
    ".csv": csv_text,
    ".xlsx": xlsx_cells,
}


def compared_outputs(out_dir: Path) -> list[Path]:
    """Every file of OUT except dot-files (the lock, the journal, staging of a killed run) and NOT_COMPARED."""
    files = []
    for path in sorted(out_dir.rglob("*")):
        relative = path.relative_to(out_dir)
        if path.is_dir() or any(part.startswith(".") for part in relative.parts):
            continue
        if relative.as_posix() in NOT_COMPARED:
            continue
        if path.suffix not in READERS:
            raise ValueError(f"{relative}: no rule for comparing a {path.suffix or 'suffix-less'} file")
        files.append(path)
    return files


def listing(out_dir: Path) -> dict[str, str]:
    return {path.relative_to(out_dir).as_posix(): READERS[path.suffix](path) for path in compared_outputs(out_dir)}


# ---------------------------------------------------------------- the committed form


def _pdf_parts(entry: str) -> tuple[str, str]:
    count, _, bookmarks = entry.partition("\n")
    return count.removeprefix(PAGES), bookmarks


def write_listing(entries: dict[str, str], golden_dir: Path) -> None:
    """One file per output (a PDF's only when it has bookmarks); INDEX.txt names every output, PDFs with pages."""
    if golden_dir.exists():
        shutil.rmtree(golden_dir)
    golden_dir.mkdir(parents=True)
    index = []
    for name, text in sorted(entries.items()):
        if name.endswith(".pdf"):
            pages, text = _pdf_parts(text)
            index.append(f"{name}\t{PAGES}{pages}")
        else:
            index.append(name)
        if text:
            target = golden_dir / f"{name}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
    (golden_dir / INDEX).write_text("".join(line + "\n" for line in index), encoding="utf-8", newline="")


def read_listing(golden_dir: Path) -> dict[str, str]:
    entries = {}
    for line in (golden_dir / INDEX).read_text(encoding="utf-8").splitlines():
        name, _, pages = line.partition("\t")
        file = golden_dir / f"{name}.txt"
        text = file.read_bytes().decode("utf-8") if file.exists() else ""
        entries[name] = pdf_entry(int(pages.removeprefix(PAGES)), text) if name.endswith(".pdf") else text
    return entries


# ---------------------------------------------------------------- building the sample


def build_sample(work_dir: Path) -> Path:
    """Builds a copy of the sample with the command line only (`build all`) and returns OUT."""
    campaign, out = work_dir / "campaign", work_dir / "out"
    shutil.copytree(SAMPLE, campaign)
    subprocess.run([sys.executable, "-m", "pipeline", "--campaign", str(campaign), "--out", str(out), "build", "all"],
                   cwd=ROOT, check=True, capture_output=True, text=True)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="golden-") as work:
        try:
            out = build_sample(Path(work))
        except subprocess.CalledProcessError as failure:
            sys.exit(f"生成示例文书失败（退出码 {failure.returncode}）：\n{failure.stdout}{failure.stderr}")
        entries = listing(out)
    write_listing(entries, GOLDEN)
    print(f"已写入 {GOLDEN.relative_to(ROOT)}：{len(entries)} 个输出文件")


if __name__ == "__main__":
    main()
