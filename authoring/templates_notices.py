"""Templates of the notices (考察对象公示, 任前公示) and the appointment papers (任职通知, 聘任书).

Discovered by authoring/make_templates.py. Chinese text stays outside Jinja tags; every template starts
with its title paragraph. The 任职通知 follows GB/T 9704-2012 7.2 (版头) and 7.3.5 (署名, 成文日期).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt, RGBColor  # noqa: E402

from authoring import house_style as hs  # noqa: E402

CENTER, RIGHT, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT
RED = RGBColor(0xFF, 0x00, 0x00)  # GB/T 9704-2012 7.2.4: 发文机关标志 in red
HEAD_SIZE = Pt(28)  # 15 characters of 中共××××委员会文件 fit the 156 mm line at 28 pt; more are fitted
TYPE_WIDTH = Mm(156)
# GB/T 9704-2012 7.2.4: the 发文机关标志 paragraph style; a longer name is fitted at build time.
STYLE_MARK, STYLE_MARK_ID = "发文机关标志", "IssuerMark"

OBJECTION = (
    "公示期间，对公示对象有不同意见或者了解其他需要说明的情况，可以来电、来信或者当面向"
    "{{ org.personnel_office }}反映（电话：{{ objection.telephone }}；地址：{{ objection.location }}），"
    "也可以向{{ objection.supervisor }}反映（电话：{{ objection.supervisor_telephone }}）。"
    "反映情况应当实事求是，提倡署真实姓名，我们对反映人的信息严格保密。"
)
PERIOD = "公示时间：{{ period.start|cn_date }}至{{ period.end|cn_date }}，共{{ period.days|cn_numeral }}个工作日。"
PERSON = ("{{ p.name }}，{{ p.gender }}，{{ p.ethnicity }}，{{ p.birth_month|yearmonth }}出生，"
          "{{ p.political_status }}，{{ p.education }}学历，{{ p.work_start|yearmonth }}参加工作，"
          "现任{{ p.current_post }}")


def border(paragraph, edge: str, color: str = "000000", size: int = 8, space: int = 1) -> None:
    """Draw a line on one edge of a paragraph (size in eighths of a point)."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{edge}")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", str(space)), ("color", color)):
        line.set(qn(f"w:{key}"), value)
    bdr.append(line)
    hs.insert_ordered(ppr, bdr, hs.P_PR_ORDER)


def tag_paragraph(doc, tag: str):
    """A paragraph holding only a docxtpl {%p %} tag (removed when rendered)."""
    return doc.add_paragraph(tag)


def signature(doc, *lines: str, chars_in: int = 4) -> None:
    """Right-align the office and the date, chars_in characters from the right (GB/T 9704-2012 7.3.5.2)."""
    for text in lines:
        p = hs.add_body(doc, text, indent=False, align=RIGHT)
        p.paragraph_format.right_indent = hs.BODY_SIZE * chars_in
        p.paragraph_format.keep_with_next = text != lines[-1]


def closing(doc) -> None:
    """公示期, where to object, the office and the date, kept on one page with the objection text."""
    hs.add_body(doc, PERIOD)
    hs.add_body(doc, OBJECTION).paragraph_format.keep_with_next = True
    hs.add_body(doc, "").paragraph_format.keep_with_next = True
    signature(doc, "{{ org.name }}{{ org.personnel_office }}", "{{ date|cn_date }}", chars_in=2)


def seal_space(doc) -> None:
    """Leave two empty lines above the 署名 and print nothing for the seal (GB/T 9704-2012 7.3.5.1).

    The red seal is pressed over the 发文机关署名 and 成文日期, its top within one line of the body: a
    42 mm seal centred on those two lines reaches about one line above the 署名, so two empty lines
    keep its top 9.6 mm (under one 10.2 mm line) below the body. 7.3.5.1 forbids a blank seal; a
    printed placeholder would be neither the seal nor the paper.
    """
    for _ in range(2):
        hs.add_body(doc, "", indent=False).paragraph_format.keep_with_next = True


def proposal_note(doc, text: str) -> None:
    """The 拟任 warning, shown only while 任职决定.xlsx is missing."""
    tag_paragraph(doc, "{%p if proposed %}")
    p = hs.add_body(doc, text)
    p.runs[0].font.color.rgb = RED
    p.runs[0].bold = True
    tag_paragraph(doc, "{%p endif %}")


def ranking_table(doc) -> None:
    """成绩: every ranked candidate with the published parts of the total, one part a line."""
    table = hs.add_form_table(doc, 4, [34, 20, 44, 20, 12, 26])
    r = table.rows
    for i, text in enumerate(("竞争职位", "姓名", "各部分得分", "总成绩", "名次", "备注")):
        hs.set_cell(r[0].cells[i], text, label=True)
    r[1].cells[0].merge(r[1].cells[5])
    hs.set_cell(r[1].cells[0], "{%tr for c in ranking %}")
    cells = ("{{ c.person.post_title }}", "{{ c.person.name }}", "{%p for s in c.person.scores %}",
             "{{ c.person.total|score }}", "{{ c.person.place }}", "{{ c.selected }}")
    for i, text in enumerate(cells):
        hs.set_cell(r[2].cells[i], text, align=CENTER)
    parts = r[2].cells[2]
    for text in ("{{ s.name }} {{ s.value|score }}", "{%p endfor %}"):
        parts.add_paragraph(text, style=hs.STYLE_FORM).paragraph_format.alignment = CENTER
    r[3].cells[0].merge(r[3].cells[5])
    hs.set_cell(r[3].cells[0], "{%tr endfor %}")
    hs.repeat_as_header(r[0])
    hs.keep_row_together(r[2])
    hs.set_row_height(r[0], 9)


def inspection_notice():
    """考察对象公示, or 成绩及考察对象公示 when the plan publishes the scores."""
    doc = hs.new_document()
    hs.add_title(doc, "{{ campaign.title }}", "{{ notice_title }}")
    hs.add_body(doc, "")
    hs.add_body(doc, "按照《{{ campaign.title }}实施方案》，{{ procedure }}，确定了各职位的考察对象。"
                     "现将有关情况公示如下。")
    hs.add_heading(doc, "一、考察对象")
    tag_paragraph(doc, "{%p for p in people %}")
    hs.add_body(doc, PERSON + "，竞争职位为{{ p.post_title }}"
                     "{% if show_scores %}，总成绩{{ p.total|score }}分{% endif %}。")
    tag_paragraph(doc, "{%p endfor %}")
    tag_paragraph(doc, "{%p if ties_text %}")
    hs.add_body(doc, "{{ ties_text }}职位在考察对象名额处总成绩相同，由{{ committee }}研究确定考察对象。")
    tag_paragraph(doc, "{%p endif %}")
    tag_paragraph(doc, "{%p if show_scores %}")
    hs.add_heading(doc, "二、成绩")
    hs.add_body(doc, "{{ formula }}")
    ranking_table(doc)
    tag_paragraph(doc, "{%p endif %}")
    hs.add_heading(doc, "{% if show_scores %}三{% else %}二{% endif %}、公示时间和反映渠道")
    closing(doc)
    return doc


def pre_appointment_notice():
    """任前公示: the people the committee decided on, at least five working days (docs/reference.md, 公示期)."""
    doc = hs.new_document()
    hs.add_title(doc, "{{ org.name }}", "中层干部任前公示")
    hs.add_body(doc, "")
    proposal_note(doc, "【拟任建议稿】尚未收到{{ committee }}的任职决定（任职决定.xlsx），下列人选是按成绩排名提出的建议，"
                       "{{ committee }}研究决定前不得张贴。")
    hs.add_body(doc, "根据{{ campaign.title }}的成绩和组织考察情况，经{{ committee }}研究，拟任用下列同志。"
                     "按照干部选拔任用工作的有关规定，现予以任前公示。")
    tag_paragraph(doc, "{%p for p in people %}")
    hs.add_body(doc, "{{ loop.index }}. " + PERSON + "，拟任{{ p.post_title }}。")
    tag_paragraph(doc, "{%p endfor %}")
    closing(doc)
    return doc


def mark_style(doc):
    """The paragraph style 发文机关标志: the title's 小标宋, centred, in red at HEAD_SIZE (GB/T 9704-2012 7.2.4).

    A named style keeps the mark findable after a clerk edits the template: the build fits every paragraph
    in it on one line (pipeline/engine/one_line.py; docs/reference.md, 公文格式).
    """
    style = doc.styles.add_style(STYLE_MARK, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = STYLE_MARK_ID  # ASCII: office suites rename non-ASCII ids on saving
    style.base_style = doc.styles[hs.STYLE_TITLE]
    style.quick_style = True
    style.font.size = HEAD_SIZE
    style.font.color.rgb = RED
    return style


def red_head(doc) -> None:
    """版头: the issuing body in red, 发文字号 centred under it, a red line below (GB/T 9704-2012 7.2)."""
    head = doc.add_paragraph("{{ org.party_committee }}文件", style=mark_style(doc))
    head.runs[0].font.size = HEAD_SIZE
    head.runs[0].font.color.rgb = RED
    hs.add_body(doc, "", indent=False)
    number = hs.add_body(doc, "{{ number }}", indent=False, align=CENTER)
    # GB/T 9704-2012 7.2.7: the red separating line 4 mm below the 发文字号, as wide as the type area.
    border(number, "bottom", color="FF0000", size=12, space=4)
    hs.add_body(doc, "", indent=False)


def foot_of_page(paragraph) -> None:
    """Float the paragraph in a frame as wide as the type area at its foot, on the page it falls on.

    GB/T 9704-2012 7.4: the 版记 is on the last page with its last element on the last line. A frame
    aligned to the bottom of the margin stays there however long the body is; the body wraps above it.
    """
    frame = OxmlElement("w:framePr")
    for key, value in (("w", str(round(TYPE_WIDTH / hs.Twips(1)))), ("wrap", "around"), ("vAnchor", "margin"),
                       ("hAnchor", "margin"), ("xAlign", "center"), ("yAlign", "bottom")):
        frame.set(qn(f"w:{key}"), value)
    hs.insert_ordered(paragraph._p.get_or_add_pPr(), frame, hs.P_PR_ORDER)


def imprint(doc) -> None:
    """版记: the issuing office and the date of printing between two rules, at the foot of the last page
    (GB/T 9704-2012 7.4)."""
    p = hs.add_body(doc, "{{ org.personnel_office }}\t{{ date|cn_date }}印发", indent=False, align=LEFT)
    p.paragraph_format.left_indent = hs.BODY_SIZE
    p.paragraph_format.tab_stops.add_tab_stop(TYPE_WIDTH - hs.BODY_SIZE * 2, WD_TAB_ALIGNMENT.RIGHT)
    border(p, "top", size=8)
    border(p, "bottom", size=8)
    foot_of_page(p)
    for run in p.runs:
        run.font.size = Pt(14)
    # The frame's anchor: LibreOffice anchors a frame to the paragraph after it and, re-saving the
    # template, writes it before that anchor; a last empty 1 pt line keeps the 版记 after the 成文日期.
    anchor = hs.add_body(doc, "", indent=False)
    anchor.paragraph_format.line_spacing = Pt(1)


def appointment_notice():
    """任职通知: one party-committee document listing every appointment, 试用期 for the newly promoted."""
    doc = hs.new_document()
    red_head(doc)
    hs.add_title(doc, "{{ subject }}").paragraph_format.space_after = hs.BODY_SIZE
    proposal_note(doc, "【拟任建议稿】尚未收到{{ committee }}的任职决定（任职决定.xlsx），以下为按成绩排名提出的建议人选，"
                       "不得作为正式文件印发。")
    hs.add_body(doc, "各部门、各单位：", indent=False)
    hs.add_body(doc, "经{{ committee }}研究决定：")
    tag_paragraph(doc, "{%p for r in appointments %}")
    hs.add_body(doc, "{{ r.name }}同志任{{ r.post_title }}{% if r.probation %}（{{ r.probation }}）{% endif %}"
                     "{% if loop.last %}。{% else %}；{% endif %}")
    tag_paragraph(doc, "{%p endfor %}")
    seal_space(doc)
    signature(doc, "{{ org.party_committee }}", "{{ date|cn_date }}")
    imprint(doc)
    return doc


def appointment_letter():
    """聘任书: one page for one appointee, kept by the person and in the file."""
    doc = hs.new_document()
    title = hs.add_title(doc, "聘　任　书")
    title.paragraph_format.space_before = Mm(20)
    title.paragraph_format.space_after = Mm(10)
    proposal_note(doc, "【拟任建议稿】{{ committee }}尚未作出任职决定，本聘任书不得发出。")
    hs.add_body(doc, "{{ p.name }}同志：", indent=False)
    hs.add_body(doc, "经{{ committee }}研究决定，聘任你为{{ p.post_title }}"
                     "{% if p.probation %}，{{ p.probation }}{% endif %}。")
    hs.add_body(doc, "特发此书。")
    hs.add_body(doc, "")
    seal_space(doc)
    signature(doc, "{{ org.party_committee }}", "{{ date|cn_date }}")
    return doc


TEMPLATES = {
    "考察对象公示.docx": inspection_notice,
    "任前公示.docx": pre_appointment_notice,
    "任职通知.docx": appointment_notice,
    "聘任书.docx": appointment_letter,
}
