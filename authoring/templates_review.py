"""Templates of the 资格审查 papers: 资格审查表 (internal form) and 资格审查结果公示 (public notice).

Discovered by authoring/make_templates.py. Chinese text stays outside Jinja tags (docs/reference.md,
LibreOffice); the first paragraph of each template is its title.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.shared import Pt  # noqa: E402

from authoring import house_style as hs  # noqa: E402

LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
SMALL = Pt(10.5)  # 5号: eleven columns across a landscape page (the masked ID takes 35 mm at 5号, measured)

# 资格审查表 columns: (label, cell text, width in mm, centred); widths fill the 225 mm landscape type area.
REVIEW_COLUMNS = (
    ("报名序号", "{{ r.number }}", 12, True),
    ("姓名", "{{ r.name }}", 16, True),
    ("性别", "{{ r.gender }}", 8, True),
    ("出生年月", "{{ r.birth_month|yearmonth }}", 16, True),
    ("身份证号", "{{ r.id_masked }}", 37, True),
    ("政治面貌", "{{ r.political_status }}", 21, True),
    ("学历", "{{ r.education }}", 21, True),
    ("现职级", "{{ r.rank }}", 14, True),
    ("任现职级时间", "{{ r.rank_since|cn_date }}", 34, True),
    ("审查结果", "{{ r.verdict }}", 14, True),
    ("不合格原因", "{{ r.reasons }}", 32, False),
)
REVIEW_NOTE = ("注：年龄、任职年限均计算到报名截止日（{{ campaign.reference_date|cn_date }}）；"
               "“以上”“以下”“满”均含本数。本表为内部材料，身份证号已作遮盖处理，不得对外公开。")
SIGNATURES = ("审查人（签名）：　　　　　　　　复核人（签名）：　　　　　　　　监督人（签名）：　　　　　　　　",
              "年　　月　　日")

# 公示 columns: the whitelisted fields only (pipeline.campaign.publish); the post applied for heads each table.
NOTICE_COLUMNS = (
    ("序号", "{{ loop.index }}", 10),
    ("姓名", "{{ a.name }}", 18),
    ("性别", "{{ a.gender }}", 10),
    ("出生年月", "{{ a.birth_month|yearmonth }}", 19),
    ("学历", "{{ a.education }}", 25),  # 硕士研究生 on one line
    ("政治面貌", "{{ a.political_status }}", 22),
    ("现任职务", "{{ a.current_post }}", 52),
)
NOTICE_OPENING = ("按照{{ campaign.title }}实施方案规定的报名条件，{{ org.personnel_office }}对报名人员逐一"
                  "进行了资格审查，审查合格{{ total }}人次。现将各职位资格审查合格人员名单予以公示。")
NOTICE_PERIOD = ("公示期为{{ period.start|cn_date }}至{{ period.end|cn_date }}"
                 "（{{ period.working_days }}个工作日）。")
NOTICE_OBJECTION = ("公示期内，对名单中人员的任职资格有不同意见的，可以通过电话、信函或当面反映的方式向"
                    "{{ org.personnel_office }}提出。反映时请说明具体事实并提供线索，以便核实；署真实姓名的，"
                    "我们将对反映人的情况予以保密。")
NOTICE_CONTACTS = ("受理电话：{{ objections.office_phone }}", "受理地址：{{ objections.office_address }}")


def _landscape_form():
    """A form document whose single section is landscape A4 (GB/T 9704-2012 8)."""
    doc = hs.new_form_document()
    hs._set_page(doc.sections[0], landscape=True)
    return doc


def _small(paragraph, label: bool = False) -> None:
    """Set a cell paragraph's runs in 5号 (labels already are)."""
    if not label:
        for run in paragraph.runs:
            run.font.size = SMALL


def _spanning(row, text: str, label: bool = False, align=None):
    """Merge a whole row into one cell and write text in it."""
    cell = row.cells[0].merge(row.cells[-1])
    return hs.set_cell(cell, text, label=label, align=align)


def review_table():
    """资格审查表: every application grouped by post, the verdict and the reasons, signature lines."""
    doc = _landscape_form()
    hs.add_title(doc, "{{ org.name }}{{ campaign.title }}资格审查表")
    line = doc.add_paragraph("填报单位：{{ org.personnel_office }}", style=hs.STYLE_FORM)
    line.paragraph_format.space_before = hs.Pt(6)
    line.paragraph_format.space_after = hs.Pt(4)
    table = hs.add_form_table(doc, 7, [c[2] for c in REVIEW_COLUMNS])
    r = table.rows
    for cell, (label, _, _, _) in zip(r[0].cells, REVIEW_COLUMNS):
        hs.set_cell(cell, label, label=True)
    _spanning(r[1], "{%tr for g in groups %}")
    group = _spanning(r[2], "{{ g.code }}　{{ g.title }}（报名{{ g.applications }}人次，"
                            "合格{{ g.passed }}人次，不合格{{ g.failed }}人次）", label=True, align=LEFT)
    group.paragraph_format.alignment = LEFT
    _spanning(r[3], "{%tr for r in g.rows %}")
    for cell, (_, text, _, centred) in zip(r[4].cells, REVIEW_COLUMNS):
        _small(hs.set_cell(cell, text, align=CENTER if centred else LEFT))
    _spanning(r[5], "{%tr endfor %}")
    _spanning(r[6], "{%tr endfor %}")
    hs.repeat_as_header(r[0])
    hs.set_row_height(r[0], 10)
    hs.set_row_height(r[2], 8)
    hs.set_row_height(r[4], 9)
    for row in (r[2], r[4]):
        hs.keep_row_together(row)
    _review_footer(doc)
    return doc


def _review_footer(doc) -> None:
    """The summary line, the counting note and the signature lines under the 资格审查表."""
    summary = doc.add_paragraph(
        "合计：报名{{ summary.applicants }}人，共{{ summary.applications }}人次；审查合格{{ summary.passed }}人次，"
        "不合格{{ summary.failed }}人次。", style=hs.STYLE_FORM)
    summary.paragraph_format.space_before = hs.Pt(8)
    note = doc.add_paragraph(REVIEW_NOTE, style=hs.STYLE_FORM)
    note.runs[0].font.size = SMALL
    note.paragraph_format.space_before = hs.Pt(4)
    for i, text in enumerate(SIGNATURES):
        sign = doc.add_paragraph(text, style=hs.STYLE_FORM)
        sign.paragraph_format.alignment = RIGHT if i else LEFT  # trailing blanks vanish when right-aligned
        sign.paragraph_format.space_before = hs.Pt(24 if i == 0 else 12)
        sign.paragraph_format.keep_with_next = i == 0


def review_notice():
    """资格审查结果公示: opening, one table per post of the qualified applicants, period, objections, signature."""
    doc = hs.new_document()
    hs.add_title(doc, "{{ org.name }}", "{{ campaign.title }}资格审查结果公示")
    hs.add_body(doc, "")
    hs.add_body(doc, NOTICE_OPENING)
    doc.add_paragraph("{%p for p in posts %}")
    hs.add_heading(doc, "（{{ loop.index|cn_numeral }}）{{ p.title }}（{{ p.count }}人）", level=2)
    table = hs.add_form_table(doc, 4, [c[2] for c in NOTICE_COLUMNS])
    r = table.rows
    for cell, (label, _, _) in zip(r[0].cells, NOTICE_COLUMNS):
        hs.set_cell(cell, label, label=True)
    _spanning(r[1], "{%tr for a in p.people %}")
    for i, (cell, (_, text, _)) in enumerate(zip(r[2].cells, NOTICE_COLUMNS)):
        hs.set_cell(cell, text, align=LEFT if i == len(NOTICE_COLUMNS) - 1 else CENTER)
    _spanning(r[3], "{%tr endfor %}")
    hs.repeat_as_header(r[0])
    hs.set_row_height(r[0], 9)
    hs.set_row_height(r[2], 9)
    hs.keep_row_together(r[2])
    doc.add_paragraph("{%p endfor %}")
    hs.add_body(doc, "{%p if unfilled %}")
    hs.add_body(doc, "以下职位无资格审查合格人员：{{ unfilled }}。")
    hs.add_body(doc, "{%p endif %}")
    _notice_closing(doc)
    return doc


def _notice_closing(doc) -> None:
    """The period, where to object, and the issuer with the date (GB/T 9704-2012 7.3.5.2)."""
    hs.add_body(doc, NOTICE_PERIOD)
    hs.add_body(doc, NOTICE_OBJECTION)
    for text in NOTICE_CONTACTS:
        hs.add_body(doc, text)
    hs.add_body(doc, "")
    # GB/T 9704-2012 7.3.5.2 (no seal): the issuer two characters in from the right, the date under it;
    # the date four characters in from the right, where 7.3.5.1 puts a date under a seal.
    for text, chars in (("{{ org.name }}{{ org.personnel_office }}", 2), ("{{ issued|cn_date }}", 4)):
        p = hs.add_body(doc, text, indent=False, align=RIGHT)
        p.paragraph_format.right_indent = hs.BODY_SIZE * chars
        p.paragraph_format.keep_with_next = True


TEMPLATES = {
    "资格审查表.docx": review_table,
    "资格审查结果公示.docx": review_notice,
}
