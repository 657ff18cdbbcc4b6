"""Fit every 发文机关标志 of a rendered document on one line of its section's type area.

GB/T 9704-2012 7.2.4: the issuing body's mark is centred, in red, 醒目、美观、庄重; a template sets it at one
size, and a long name (中共临安区青山湖街道工作委员会文件) would wrap. After the render, every paragraph in the
paragraph style named MARK_STYLE is measured and, only when it is wider than the type area, set smaller:
first the font size, in half points, down to MIN_SIZE; then the characters' width (w:w, 字符缩放) down to
MIN_SCALE; then the size again. Nothing is ever enlarged and a mark that fits is not touched, so its bytes
stay the template's (docs/reference.md, 公文格式).

The width is counted in ems, independent of the font a machine picks for the PDF or the office's Word: a
CJK ideograph or full-width mark is 1 em in every CJK face; half-width characters count 0.5 em, plus a
quarter em where the text changes script (room for the 中西文间距 a word processor may add), plus the
character spacing (w:spacing) after each character. Only paragraphs of the body are fitted, not marks in
tables, text boxes, headers or footers.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

MARK_STYLE = "发文机关标志"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# 2号 (22 pt), the title's size: a mark smaller than the title it heads would not be 醒目 (GB/T 9704-2012 7.2.4
# leaves the size to the issuer; 7.3.1 sets the title in 2号). Below it the characters narrow instead.
MIN_SIZE = 44  # half points
MIN_SCALE = 50  # percent of the normal character width; below it the size shrinks again
DEFAULT_SIZE = 20  # half points: ECMA-376 17.3.2.38, w:sz absent everywhere
HALF_WIDTH_EM, SCRIPT_GAP_EM = 0.5, 0.25
SLACK = 20  # twips (1 pt) kept free, so rounding in a layout engine cannot push the last character over

# CT_RPr child order (ECMA-376 Part 1, 17.3.2): a new w:w or w:sz goes before the first later sibling.
_R_PR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
               "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
               "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
               "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(element, attr: str = "val") -> str | None:
    return None if element is None else element.get(_w(attr))


def _int(value: str | None) -> int | None:
    try:  # w:w may be written "68%" (ECMA-376 strict)
        return None if value is None else int(float(value.rstrip("%")))
    except ValueError:
        return None


@dataclass
class _Run:
    """One run of a mark: its element, its text's width in ems, its character count and resolved formatting."""

    element: etree._Element
    ems: list[float]  # per line of the paragraph (a w:br starts a new one)
    chars: list[int]
    size: int  # half points
    spacing: int  # twips after each character (negative: condensed)
    scale: int  # percent


def em_width(text: str, previous: bool | None = None) -> tuple[float, bool | None]:
    """The width of text in ems: full-width 1 em, half-width 0.5 em, a script change 0.25 em.

    previous says whether the character before text (in an earlier run) was full-width; the result's second
    item says it of text's last character, for the next run.
    """
    ems = 0.0
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F", "A")
        ems += 1.0 if wide else HALF_WIDTH_EM
        if previous is not None and wide != previous and not ch.isspace():
            ems += SCRIPT_GAP_EM
        previous = wide
    return ems, previous


class _Styles:
    """The document's styles by id, resolving a run property through run, character style, paragraph style, defaults."""

    def __init__(self, root: etree._Element | None) -> None:
        self.by_id = {} if root is None else {s.get(_w("styleId")): s for s in root.iter(_w("style"))}
        defaults = None if root is None else root.find(_w("docDefaults"))
        self.run_default = None if defaults is None else defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}")
        self.para_default = None if defaults is None else defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}")

    def ids_named(self, name: str) -> set[str]:
        return {sid for sid, s in self.by_id.items()
                if s.get(_w("type")) == "paragraph" and _val(s.find(_w("name"))) == name}

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and those it is based on, nearest first (a loop in basedOn ends the chain)."""
        found, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            found.append(style)
            style_id = _val(style.find(_w("basedOn")))
        return found

    def run_property(self, run: etree._Element, p_style: str | None, tag: str) -> str | None:
        """The w:val of rPr/tag as the run sees it: direct, character style, paragraph style, docDefaults."""
        owners = [run.find(_w("rPr"))]
        r_style = _val(run.find(f"{_w('rPr')}/{_w('rStyle')}"))
        owners += [s.find(_w("rPr")) for s in self.chain(r_style) + self.chain(p_style)]
        owners.append(self.run_default)
        for owner in owners:
            node = None if owner is None else owner.find(_w(tag))
            if node is not None and _val(node) is not None:
                return _val(node)
        return None

    def indent(self, p: etree._Element, p_style: str | None, names: tuple[str, ...]) -> int:
        """An indent of the paragraph in twips (the first of names found: w:left or w:start …), 0 if none."""
        owners = [p.find(_w("pPr"))] + [s.find(_w("pPr")) for s in self.chain(p_style)] + [self.para_default]
        for owner in owners:
            ind = None if owner is None else owner.find(_w("ind"))
            for name in names:
                value = _int(_val(ind, name))
                if value is not None:
                    return value
        return 0


def _styles_root(document) -> etree._Element | None:
    """The styles part's element, or None: never python-docx's document.styles, which adds a part when missing."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.STYLES and not rel.is_external:
            return rel.target_part.element
    return None


def _section_widths(body: etree._Element) -> dict[etree._Element, int]:
    """Each top-level paragraph's type-area width in twips: page width less margins and gutter of its section.

    A section's w:sectPr sits in the pPr of its last paragraph, the body's last one in w:body.
    """
    widths, pending = {}, []

    def close(sect) -> None:
        size, margins = sect.find(_w("pgSz")), sect.find(_w("pgMar"))
        page = _int(_val(size, "w")) or 0
        width = page - sum(_int(_val(margins, side)) or 0 for side in ("left", "right", "gutter"))
        widths.update((p, width) for p in pending)
        pending.clear()

    for child in body:
        if child.tag == _w("p"):
            pending.append(child)
            sect = child.find(f"{_w('pPr')}/{_w('sectPr')}")
            if sect is not None:
                close(sect)
        elif child.tag == _w("sectPr"):
            close(child)
    return widths


def _runs(p: etree._Element, p_style: str | None, styles: _Styles) -> list[_Run]:
    """The paragraph's runs with text; line numbers count across runs, so a w:br in one ends the line for all."""
    runs, previous, line = [], None, 0
    for r in p.iter(_w("r")):
        ems, chars, text = [0.0] * (line + 1), [0] * (line + 1), ""

        def flush() -> None:
            nonlocal text, previous
            width, previous = em_width(text, previous)
            ems[-1] += width
            chars[-1] += len(text)
            text = ""

        for node in r:
            if node.tag == _w("t"):
                text += node.text or ""
            elif node.tag == _w("tab"):
                text += "\u3000"  # at least a full-width space; a tab stop may be wider
            elif node.tag in (_w("br"), _w("cr")):
                flush()
                previous = None
                ems.append(0.0)
                chars.append(0)
        flush()
        line = len(ems) - 1
        if not any(chars):
            continue
        runs.append(_Run(element=r, ems=ems, chars=chars,
                         size=_int(styles.run_property(r, p_style, "sz")) or DEFAULT_SIZE,
                         spacing=_int(styles.run_property(r, p_style, "spacing")) or 0,
                         scale=_int(styles.run_property(r, p_style, "w")) or 100))
    return runs


def _width(runs: list[_Run], size: int, scale: int) -> float:
    """The widest line in twips with every run at most size (half points) and scale (percent)."""
    lines: dict[int, float] = {}
    for run in runs:
        s, k = min(run.size, size), min(run.scale, scale)
        for line, (ems, chars) in enumerate(zip(run.ems, run.chars)):
            lines[line] = lines.get(line, 0.0) + ems * s * 10 * k / 100 + chars * run.spacing
    return max(lines.values(), default=0.0)


def fitted(runs: list[_Run], available: float) -> tuple[int, int] | None:
    """The (size, scale) to set, or None when the mark fits as it is.

    Sizes step down in half points to MIN_SIZE, then the width in percent to MIN_SCALE, then the size again;
    a run already smaller or narrower keeps its own.
    """
    size, scale = max(r.size for r in runs), max(r.scale for r in runs)
    if _width(runs, size, scale) <= available:
        return None
    for s in range(size - 1, min(size, MIN_SIZE) - 1, -1):
        if _width(runs, s, scale) <= available:
            return s, scale
    size = min(size, MIN_SIZE)
    for k in range(scale - 1, min(scale, MIN_SCALE) - 1, -1):
        if _width(runs, size, k) <= available:
            return size, k
    scale = min(scale, MIN_SCALE)
    for s in range(size - 1, 1, -1):
        if _width(runs, s, scale) <= available:
            return s, scale
    return 2, scale


def _set(rpr: etree._Element, tag: str, value: int) -> None:
    node = rpr.find(_w(tag))
    if node is None:
        node = etree.Element(_w(tag))
        later = set(_R_PR_ORDER[_R_PR_ORDER.index(tag) + 1:])
        anchor = next((c for c in rpr if etree.QName(c).localname in later), None)
        if anchor is None:
            rpr.append(node)
        else:
            anchor.addprevious(node)
    node.set(_w("val"), str(value))


def _apply(runs: list[_Run], size: int, scale: int) -> None:
    for run in runs:
        rpr = run.element.find(_w("rPr"))
        if rpr is None:
            rpr = etree.Element(_w("rPr"))
            run.element.insert(0, rpr)
        if run.size > size:
            _set(rpr, "sz", size)
            if rpr.find(_w("szCs")) is not None:
                _set(rpr, "szCs", size)
        if run.scale > scale:
            _set(rpr, "w", scale)


def fit_marks(document) -> int:
    """Set every paragraph in style MARK_STYLE of a python-docx document on one line; return how many changed."""
    styles = _Styles(_styles_root(document))
    ids = styles.ids_named(MARK_STYLE)
    if not ids:
        return 0
    body = document.element.find(_w("body"))
    widths = _section_widths(body)
    changed = 0
    for p, type_width in widths.items():
        p_style = _val(p.find(f"{_w('pPr')}/{_w('pStyle')}"))
        if p_style not in ids:
            continue
        available = (type_width - max(styles.indent(p, p_style, ("left", "start")), 0)
                     - max(styles.indent(p, p_style, ("right", "end")), 0)
                     - max(styles.indent(p, p_style, ("firstLine",)), 0) - SLACK)
        runs = _runs(p, p_style, styles)
        if not runs or available <= 0:
            continue
        result = fitted(runs, available)
        if result is not None:
            _apply(runs, *result)
            changed += 1
    return changed
