"""Build python-docx documents in the house format, GB/T 9704-2012 (党政机关公文格式).

Fonts are named by their Windows names, the ones the office's Word has; pipeline/engine/fonts.py maps
them to free fonts for the PDF. Every East Asian font goes on w:rFonts/@w:eastAsia, because
Word and LibreOffice pick the Chinese face from that attribute alone (docs/reference.md, 字体).
"""
from __future__ import annotations

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.text.paragraph import Paragraph

# GB/T 9704-2012 5.1 and 5.2.1: A4, 天头 37 mm, 订口 28 mm, type area 156 × 225 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28  # GB/T 9704-2012 5.2.3

FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"  # digits and Latin letters in the body

BODY_SIZE, TITLE_SIZE, PAGE_NUMBER_SIZE, FORM_SIZE = Pt(16), Pt(22), Pt(14), Pt(12)  # 3号, 2号, 4号, 小4号
LABEL_SIZE = Pt(10.5)  # 5号: six-character labels such as 参加工作时间 fit a 25 mm column
CELL_PADDING = Mm(1.2)  # left and right inside every table cell

STYLE_TITLE, STYLE_H1, STYLE_H2, STYLE_H3 = "公文标题", "一级标题", "二级标题", "三级标题"
STYLE_FORM, STYLE_FORM_LABEL, STYLE_NOTE = "表格文字", "表格栏目", "表注"
# Word shows the Chinese name; the id stays ASCII because office suites rename non-ASCII ids on saving.
STYLE_IDS = {STYLE_TITLE: "DocTitle", STYLE_H1: "HeadingCN1", STYLE_H2: "HeadingCN2", STYLE_H3: "HeadingCN3",
             STYLE_FORM: "FormText", STYLE_FORM_LABEL: "FormLabel", STYLE_NOTE: "FormNote"}


# Schema order of the property children we add (ECMA-376 Part 1, 17.4.60, 17.4.82, 17.3.1.26);
# Word rejects a document whose children are out of order.
TBL_PR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook")
TR_PR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
               "tblHeader", "tblCellSpacing", "jc", "hidden")
R_PR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
              "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
              "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
P_PR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def insert_ordered(parent, child, order: tuple[str, ...]) -> None:
    """Insert child into parent before the first sibling that the schema puts after it."""
    name = child.tag.split("}")[1]
    later = set(order[order.index(name) + 1:])
    for i, sibling in enumerate(parent):
        if sibling.tag.split("}")[1] in later:
            parent.insert(i, child)
            return
    parent.append(child)


def _twips(length) -> int:
    return round(length / Twips(1))


def grid_line_pitch() -> int:
    """Line pitch in twips that puts exactly 22 lines in the 225 mm type area (rounded down)."""
    return (_twips(PAGE_HEIGHT) - _twips(TOP) - _twips(BOTTOM)) // LINES_PER_PAGE


def grid_char_space(font_size=BODY_SIZE) -> int:
    """Pitch shortfall per character for 28 characters in 156 mm, in 1/4096 pt (w:charSpace units)."""
    type_width_pt = (_twips(PAGE_WIDTH) - _twips(LEFT) - _twips(RIGHT)) / 20
    return int((type_width_pt / CHARS_PER_LINE - font_size.pt) * 4096)


def set_fonts(rpr_owner, east_asia: str, latin: str | None = None) -> None:
    """Name the East Asian font on w:eastAsia and the Latin font on ascii/hAnsi (no theme fonts)."""
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    latin = latin or east_asia
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), name)


def _set_language(doc: DocumentType) -> None:
    """Declare zh-CN in docDefaults: with en-US LibreOffice lays out Chinese differently (docs/reference.md, 字体)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    fonts = rpr.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), FANGSONG)
    # The character grid's pitch is counted from the default size: with python-docx's 11 pt default,
    # LibreOffice gave each 3号 character two cells and set 15 characters a line instead of 28.
    size = rpr.find(qn("w:sz"))
    if size is None:
        size = OxmlElement("w:sz")
        insert_ordered(rpr, size, R_PR_ORDER)
    size.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "zh-CN")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _no_hanging_punctuation(doc: DocumentType) -> None:
    """Keep every full-width mark inside the type area: w:overflowPunct in docDefaults.

    LibreOffice hangs a line-end ，、。 past the right margin (5.7 mm at 3号) and sometimes drops it from
    the PDF; most Chinese publications do not hang punctuation (W3C Requirements for Chinese Text
    Layout, 3.1.7). Measured with LibreOffice 7.4: w:val="1" turns its hanging off (the mark and the
    character before it go to the next line, so no ，、。 starts a line), w:val="0" or no element hangs.
    Word hangs by default, so the value changes nothing there.
    """
    ppr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    overflow = OxmlElement("w:overflowPunct")
    overflow.set(qn("w:val"), "1")
    insert_ordered(ppr, overflow, P_PR_ORDER)


def _paragraph_style(doc, name: str, font: str, size, latin: str | None = None, bold: bool = False):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name in STYLE_IDS:
        style.style_id = STYLE_IDS[name]
    if name != "Normal":
        style.base_style = styles["Normal"]
        style.quick_style = True
    style.font.size = size
    style.font.bold = bold
    set_fonts(style.element, font, latin)
    return style


def _define_styles(doc: DocumentType, line_pitch: int | None) -> None:
    """Normal 仿宋 3号; title 小标宋 2号 centred; headings 一、 黑体, （一） 楷体, 1. 仿宋 bold (GB/T 9704 7.3.3)."""
    normal = _paragraph_style(doc, "Normal", FANGSONG, BODY_SIZE, LATIN)
    if line_pitch:
        _condense(normal, grid_char_space())
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False
    if line_pitch:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(line_pitch)
    title = _paragraph_style(doc, STYLE_TITLE, XIAOBIAOSONG, TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.keep_with_next = True
    _off_grid(title)  # a 2号 character would take two cells of the 3号 grid and the title would spread out
    for name, font, bold in ((STYLE_H1, HEITI, False), (STYLE_H2, KAITI, False), (STYLE_H3, FANGSONG, True)):
        heading = _paragraph_style(doc, name, font, BODY_SIZE, LATIN, bold)
        heading.paragraph_format.first_line_indent = BODY_SIZE * 2  # headings start two characters in
        heading.paragraph_format.keep_with_next = True
    form = _paragraph_style(doc, STYLE_FORM, FANGSONG, FORM_SIZE, LATIN)
    form.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    label = _paragraph_style(doc, STYLE_FORM_LABEL, HEITI, LABEL_SIZE)
    label.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    note = _paragraph_style(doc, STYLE_NOTE, FANGSONG, Pt(14), LATIN)
    note.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for style in (form, label, note):
        _off_grid(style)


def _condense(style, char_space: int) -> None:
    """Condense each character by the shortfall (15.79 pt a character instead of 16) so 28 fit a line."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(-((-char_space * 20 + 4095) // 4096)))  # 1/4096 pt → 1/20 pt, rounded away from 0
    insert_ordered(style.element.get_or_add_rPr(), spacing, R_PR_ORDER)


def _off_grid(style) -> None:
    """Let small type in tables keep its own line height instead of snapping to the 22-line grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    insert_ordered(style.element.get_or_add_pPr(), snap, P_PR_ORDER)


def _set_page(section, landscape: bool = False) -> None:
    """A4 with the GB/T 9704-2012 5.2 margins; landscape tables per 8 keep the binding edge on top."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        # GB/T 9704-2012 8: the table's head lies on the binding edge of the portrait page.
        section.top_margin, section.bottom_margin = LEFT, RIGHT
        section.left_margin, section.right_margin = TOP, BOTTOM
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(15)
    # GB/T 9704-2012 7.5: the page number sits about 7 mm below the type area.
    section.footer_distance = BOTTOM - Mm(7) - PAGE_NUMBER_SIZE


def _set_grid(section, line_pitch: int | None) -> None:
    """Write w:docGrid: a 22-line grid for prose (28 characters come from _condense), none for forms.

    Not type="linesAndChars": LibreOffice 7.4 then gives every 3号 character two grid cells and
    sets 14-15 characters a line whatever charSpace says (measured); Word and LibreOffice both
    set 28 a line with a line grid and 0.25 pt condensed characters.
    """
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.clear()
    if line_pitch is None:
        grid.set(qn("w:linePitch"), "312")
        return
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch))


def _field_run(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Append a complex field (e.g. PAGE) whose cached value is placeholder."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", placeholder), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
            run._r.append(node)
        elif kind == "text":
            run.text = text
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
            run._r.append(node)


def _page_number_paragraph(paragraph: Paragraph, odd: bool) -> None:
    """Write "— 1 —" in 4号 宋体: odd pages right, even pages left, one character in (GB/T 9704-2012 7.5)."""
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.add_run("\u2014 ")
    _field_run(paragraph, " PAGE ", "1")
    paragraph.add_run(" \u2014")
    for run in paragraph.runs:
        run.font.size = PAGE_NUMBER_SIZE
        set_fonts(run._r, SONGTI)


def add_page_numbers(doc: DocumentType, section=None) -> None:
    """Give section (default: the first) odd and even footers with the GB/T 9704 page number."""
    section = section or doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.text = ""
        _page_number_paragraph(paragraph, odd)


def _new(line_pitch: int | None) -> DocumentType:
    doc = Document()
    _set_language(doc)
    _no_hanging_punctuation(doc)
    _define_styles(doc, line_pitch)
    section = doc.sections[0]
    _set_page(section)
    _set_grid(section, line_pitch)
    add_page_numbers(doc)
    _drop_empty_first_paragraph(doc)
    return doc


def new_document() -> DocumentType:
    """Return an empty 公文 document: A4, GB/T 9704 margins, 22 × 28 grid, styles, zh-CN, page numbers."""
    return _new(grid_line_pitch())


def new_form_document() -> DocumentType:
    """Return an empty form document (登记表, 评分表): the same page and fonts, 小4号 tables, no line grid."""
    return _new(None)


def _drop_empty_first_paragraph(doc: DocumentType) -> None:
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)


def add_landscape_section(doc: DocumentType):
    """Start a landscape A4 section for a wide table (GB/T 9704-2012 8), page numbers continuing."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _set_page(section, landscape=True)
    return section


def add_portrait_section(doc: DocumentType):
    """Return to portrait after a landscape section."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _set_page(section)
    return section


def add_title(doc: DocumentType, *lines: str) -> Paragraph:
    """Add the centred 2号 小标宋 title; several lines go in one paragraph, broken with line breaks."""
    paragraph = doc.add_paragraph(style=STYLE_TITLE)
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    return paragraph


def add_body(doc: DocumentType, text: str = "", indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY) -> Paragraph:
    """Add a body paragraph, two characters in on the first line (GB/T 9704-2012 7.3.3)."""
    paragraph = doc.add_paragraph(text)
    paragraph.paragraph_format.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
    return paragraph


def add_heading(doc: DocumentType, text: str, level: int = 1) -> Paragraph:
    """Add a heading: level 1 "一、" 黑体, level 2 "（一）" 楷体, level 3 "1." 仿宋 bold."""
    return doc.add_paragraph(text, style={1: STYLE_H1, 2: STYLE_H2, 3: STYLE_H3}[level])


def _cell_borders(table, size: int = 4) -> None:
    """Give every cell a single black border (0.5 pt, size in eighths of a point)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:val"), "single")
        node.set(qn("w:sz"), str(size))
        node.set(qn("w:space"), "0")
        node.set(qn("w:color"), "000000")
        borders.append(node)
    insert_ordered(tbl_pr, borders, TBL_PR_ORDER)


def _cell_margins(table) -> None:
    """Narrow the cells' left and right padding so form labels and dates fit on one line."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:w"), str(_twips(CELL_PADDING)))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    insert_ordered(table._tbl.tblPr, margins, TBL_PR_ORDER)


def add_form_table(doc: DocumentType, rows: int, widths_mm: list[float]):
    """Add a bordered, centred table of 小4号 cells whose column widths (mm) fill the type area."""
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_borders(table)
    table._tbl.tblPr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
    _cell_margins(table)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell.paragraphs[0].style = doc.styles[STYLE_FORM]
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    return table


def set_cell(cell, text: str, label: bool = False, align=None) -> Paragraph:
    """Write text into a cell's first paragraph: labels 黑体 centred, values 仿宋."""
    paragraph = cell.paragraphs[0]
    paragraph.style = STYLE_FORM_LABEL if label else STYLE_FORM
    paragraph.text = text
    if align is not None:
        paragraph.paragraph_format.alignment = align
    return paragraph


def set_row_height(row, height_mm: float, exact: bool = False) -> None:
    """Fix a table row's height (at least, or exactly) in millimetres."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    row.height = Mm(height_mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def repeat_as_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    insert_ordered(row._tr.get_or_add_trPr(), OxmlElement("w:tblHeader"), TR_PR_ORDER)


def keep_row_together(row) -> None:
    """Do not split the row across pages."""
    insert_ordered(row._tr.get_or_add_trPr(), OxmlElement("w:cantSplit"), TR_PR_ORDER)


# --- keeping templates small --------------------------------------------------------------------
# python-docx's default package carries ~170 style definitions, a Word 2010 stylesWithEffects copy
# of them and a thumbnail: 800 kB of XML that every rendered paper would parse and compress again.

_DROP_RELS = ("/stylesWithEffects", "/thumbnail")


def _used_style_ids(doc: DocumentType) -> set[str]:
    parts = [doc.part] + [rel.target_part for rel in doc.part.rels.values()
                          if rel.reltype.endswith(("/header", "/footer", "/numbering"))]
    used: set[str] = set()
    for part in parts:
        used.update(part.element.xpath(
            ".//w:pStyle/@w:val | .//w:rStyle/@w:val | .//w:tblStyle/@w:val | .//w:numStyleLink/@w:val"))
    return used


def slim(doc: DocumentType) -> None:
    """Drop styles no paragraph uses (keeping defaults and what they derive from), and optional parts."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep = _used_style_ids(doc) | {i for i, s in by_id.items() if s.get(qn("w:default")) == "1"}
    pending = list(keep)
    while pending:  # follow basedOn / next / link so every kept style stays complete
        s = by_id.get(pending.pop())
        if s is None:
            continue
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = s.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in keep:
                keep.add(ref.get(qn("w:val")))
                pending.append(ref.get(qn("w:val")))
    for style_id, s in by_id.items():
        if style_id not in keep:
            styles.remove(s)
    for owner in (doc.part, doc.part.package):
        for r_id, rel in list(owner.rels.items()):
            if rel.reltype.endswith(_DROP_RELS):
                del owner.rels[r_id]
