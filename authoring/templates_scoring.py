"""Templates of the scoring papers: 民主测评表, 成绩汇总表, 考察对象名单, 职位分配记录.

Discovered by authoring/make_templates.py. Chinese text stays outside Jinja tags; each template opens with its
title paragraph. Wide tables go on landscape pages (GB/T 9704-2012 8).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402

from authoring import house_style as hs  # noqa: E402

CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
ITEMS = ("德", "能", "勤", "绩", "廉")
# The grades are the campaign's ([scoring.ballot] grades, 2 to 6): the template loops over them ({%tc %}), and
# the context words the notes that name them (pipeline/papers/scoring.py ballot_context).
BALLOT_NOTES = (
    "填写说明：",
    "1. 本表不记名，请勿在表上写姓名或作任何记号。",
    "2. “德、能、勤、绩、廉”五栏，{{ item_rule }}。",
    "3. “总体评价”{{ grade_columns }}栏中只在一栏内划“√”；多划、不划或无法辨认的，该竞争者的总体评价作废。",
    "4. 填好后当场投入票箱。",
)


def landscape_form():
    """Return a form document whose first page is landscape A4."""
    doc = hs.new_form_document()
    hs._set_page(doc.sections[0], landscape=True)
    return doc


def cell(row, i: int, text: str, label: bool = False, center: bool = True):
    """Write one cell, centred unless told otherwise."""
    return hs.set_cell(row.cells[i], text, label=label, align=CENTER if center else None)


def ballot():
    """民主测评表: one anonymous ballot listing every candidate in draw order (every person once, per person)."""
    doc = landscape_form()
    hs.add_title(doc, "{{ org.name }}{{ campaign.title }}", "民主测评表")
    info = doc.add_paragraph("测评日期：{{ date|cn_date }}", style=hs.STYLE_FORM)
    info.paragraph_format.alignment = RIGHT
    # Columns 8–10 are the grade loop ({%tc for %}, the grade, {%tc endfor %}). docxtpl keeps the grid by
    # position and gives added columns the average width (docxtpl fix_tables), so a grade column is set to
    # the average of the whole grid (fixed 168 mm = 8 × 21): every grade column then comes out equal, whatever
    # the number of grades, within the 231 mm landscape type area.
    widths = [22, 46, 30] + [14] * 5 + [21] * 3
    table = hs.add_form_table(doc, 5, widths)
    r = table.rows
    for i, text in enumerate(("{{ number_header }}", "竞争职位", "姓　名")):
        r[0].cells[i].merge(r[1].cells[i])
        cell(r[0], i, text, label=True)
    cell(r[0], 3, "单项评价", label=True)
    r[0].cells[3].merge(r[0].cells[7])
    # {% hm %}: one cell spanning every grade column (docxtpl horizontal merge inside a column loop)
    for i, text in enumerate(("{%tc for g in grades %}", "总体评价（划“√”）{% hm %}", "{%tc endfor %}"), start=8):
        cell(r[0], i, text, label=True)
    for i, text in enumerate(ITEMS, start=3):
        cell(r[1], i, text, label=True)
    for i, text in enumerate(("{%tc for g in grades %}", "{{ g }}", "{%tc endfor %}"), start=8):
        cell(r[1], i, text, label=True)
    r[2].cells[0].merge(r[2].cells[10])
    cell(r[2], 0, "{%tr for c in candidates %}", center=False)
    cell(r[3], 0, "{{ c.draw }}")
    cell(r[3], 1, "{{ c.post_title }}", center=False)
    cell(r[3], 2, "{{ c.name }}")
    cell(r[3], 8, "{%tc for g in grades %}")
    cell(r[3], 10, "{%tc endfor %}")
    r[4].cells[0].merge(r[4].cells[10])
    cell(r[4], 0, "{%tr endfor %}", center=False)
    hs.repeat_as_header(r[0])
    hs.repeat_as_header(r[1])
    hs.set_row_height(r[3], 10)
    hs.keep_row_together(r[3])
    for i, text in enumerate(BALLOT_NOTES):
        p = doc.add_paragraph(text, style=hs.STYLE_FORM)
        p.paragraph_format.space_before = hs.Pt(6 if i == 0 else 1)
    return doc


def results_table():
    """成绩汇总表: per post, the ranked candidates with each part, its weight, the total and 考察对象."""
    doc = landscape_form()
    hs.add_title(doc, "{{ org.name }}{{ campaign.title }}", "成绩汇总表")
    method = doc.add_paragraph("计分办法：{{ method }}", style=hs.STYLE_FORM)
    method.paragraph_format.space_before = hs.Pt(6)
    doc.add_paragraph("{%p for post in posts %}", style=hs.STYLE_FORM)
    head = doc.add_paragraph(
        "职位 {{ post.code }}　{{ post.title }}　　职数：{{ post.places }}名　　考察比例：{{ post.ratio }}",
        style=hs.STYLE_FORM_LABEL)
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    head.paragraph_format.space_before = hs.Pt(10)
    head.paragraph_format.space_after = hs.Pt(4)
    head.paragraph_format.keep_with_next = True
    # Column loop ({%tc %}): one column per judge group or component. docxtpl keeps the grid widths by
    # position and gives added columns the average, so only equal widths stay aligned whatever the count.
    widths = [25] * 9
    table = hs.add_form_table(doc, 4, widths)
    r = table.rows
    for i, text in enumerate(("名次", "报名序号", "姓　名", "{%tc for p in parts %}", "{{ p.name }}",
                              "{%tc endfor %}", "总成绩", "考察对象", "备　注")):
        cell(r[0], i, text, label=True)
    r[0].cells[4].add_paragraph("权重{{ p.weight }}", style=hs.STYLE_FORM_LABEL)
    r[1].cells[0].merge(r[1].cells[8])
    cell(r[1], 0, "{%tr for row in post.rows %}", center=False)
    for i, text in enumerate(("{{ row.rank }}", "{{ row.number }}", "{{ row.name }}", "{%tc for v in row.parts %}",
                              "{{ v|score }}", "{%tc endfor %}", "{{ row.total|score }}", "{{ row.inspection }}")):
        cell(r[2], i, text)
    cell(r[2], 8, "{{ row.note }}", center=False)
    r[3].cells[0].merge(r[3].cells[8])
    cell(r[3], 0, "{%tr endfor %}", center=False)
    hs.repeat_as_header(r[0])
    hs.keep_row_together(r[2])
    hs.set_row_height(r[2], 8)
    doc.add_paragraph("{%p if post.tie_note %}", style=hs.STYLE_FORM)
    doc.add_paragraph("{{ post.tie_note }}", style=hs.STYLE_FORM)
    doc.add_paragraph("{%p endif %}", style=hs.STYLE_FORM)
    doc.add_paragraph("{%p endfor %}", style=hs.STYLE_FORM)
    for text in ("注：1. 各项得分和总成绩均保留两位小数（四舍五入），总成绩可由各项得分和权重复算；"
                 "每位评委的打分和去掉的最高分、最低分见 results.xlsx 的计算表。",
                 "2. 考察名额末位出现总成绩相同、按规定比较后仍无法区分的，在备注栏注明“并列”，由{{ committee }}研究确定考察对象。"):
        p = doc.add_paragraph(text, style=hs.STYLE_FORM)
        p.paragraph_format.space_before = hs.Pt(4)
    sign = doc.add_paragraph("计分人：　　　　　　　复核人：　　　　　　　监督人：　　　　　　　{{ date|cn_date }}",
                             style=hs.STYLE_FORM)
    sign.paragraph_format.alignment = RIGHT
    sign.paragraph_format.space_before = hs.Pt(18)
    return doc


def shortlist():
    """考察对象名单: the inspection candidates per post, for the party committee."""
    doc = hs.new_form_document()
    hs.add_title(doc, "{{ org.name }}{{ campaign.title }}", "考察对象名单")
    intro = doc.add_paragraph(
        "按照《{{ campaign.title }}实施方案》，{{ procedure }}，确定以下人员为考察对象，请{{ committee }}审定。",
        style=hs.STYLE_FORM)
    intro.paragraph_format.first_line_indent = hs.FORM_SIZE * 2
    intro.paragraph_format.space_before = hs.Pt(6)
    intro.paragraph_format.space_after = hs.Pt(6)
    widths = [10, 30, 18, 10, 18, 44, 16, 10]  # sums to the 156 mm type area (GB/T 9704-2012 5.2.1)
    table = hs.add_form_table(doc, 4, widths)
    r = table.rows
    for i, text in enumerate(("序号", "竞争职位", "姓　名", "性别", "出生年月", "现任职务", "总成绩", "名次")):
        cell(r[0], i, text, label=True)
    r[1].cells[0].merge(r[1].cells[7])
    cell(r[1], 0, "{%tr for s in selected %}", center=False)
    for i, text in enumerate(("{{ loop.index }}", "{{ s.post_title }}", "{{ s.name }}", "{{ s.gender }}",
                              "{{ s.birth_month|yearmonth }}", "{{ s.current_post }}", "{{ s.total|score }}",
                              "{{ s.rank }}")):
        cell(r[2], i, text, center=i not in (1, 5))
    r[3].cells[0].merge(r[3].cells[7])
    cell(r[3], 0, "{%tr endfor %}", center=False)
    hs.repeat_as_header(r[0])
    hs.keep_row_together(r[2])
    hs.set_row_height(r[2], 9)
    doc.add_paragraph("{%p if ties %}", style=hs.STYLE_FORM)
    tie = doc.add_paragraph("以下职位考察名额末位总成绩相同，按规定比较后仍无法区分，请{{ committee }}研究确定考察对象：",
                            style=hs.STYLE_FORM)
    tie.paragraph_format.space_before = hs.Pt(8)
    doc.add_paragraph("{%p for t in ties %}", style=hs.STYLE_FORM)
    doc.add_paragraph("{{ t.post_title }}：{{ t.names }}（总成绩均为{{ t.total|score }}分）", style=hs.STYLE_FORM)
    doc.add_paragraph("{%p endfor %}", style=hs.STYLE_FORM)
    doc.add_paragraph("{%p endif %}", style=hs.STYLE_FORM)
    sign = doc.add_paragraph("{{ org.personnel_office }}", style=hs.STYLE_FORM)
    sign.paragraph_format.alignment = RIGHT
    sign.paragraph_format.space_before = hs.Pt(24)
    day = doc.add_paragraph("{{ date|cn_date }}", style=hs.STYLE_FORM)
    day.paragraph_format.alignment = RIGHT
    return doc


def allocation_record():
    """职位分配记录: why each person is where after 志愿 and 调剂, step by step, for the committee and the archive."""
    doc = hs.new_form_document()
    hs.add_title(doc, "{{ org.name }}{{ campaign.title }}", "职位分配记录")
    intro = doc.add_paragraph(
        "根据各职位排名、考察比例和报名人员的志愿确定各职位考察对象（同一人只确定为一个职位的考察对象）；"
        "调剂办法：{{ reassignment }}。分配过程如下，请{{ committee }}审定。", style=hs.STYLE_FORM)
    intro.paragraph_format.first_line_indent = hs.FORM_SIZE * 2
    intro.paragraph_format.space_before = hs.Pt(6)
    intro.paragraph_format.space_after = hs.Pt(6)
    widths = [20, 136]  # sums to the 156 mm type area (GB/T 9704-2012 5.2.1)
    table = hs.add_form_table(doc, 4, widths)
    r = table.rows
    for i, text in enumerate(("步　骤", "说　　明")):
        cell(r[0], i, text, label=True)
    r[1].cells[0].merge(r[1].cells[1])
    cell(r[1], 0, "{%tr for s in steps %}", center=False)
    cell(r[2], 0, "{{ s.step }}")
    cell(r[2], 1, "{{ s.text }}", center=False)
    r[3].cells[0].merge(r[3].cells[1])
    cell(r[3], 0, "{%tr endfor %}", center=False)
    hs.repeat_as_header(r[0])
    hs.keep_row_together(r[2])
    doc.add_paragraph("{%p if vacancies %}", style=hs.STYLE_FORM)
    vacant = doc.add_paragraph("{{ vacancies }}。", style=hs.STYLE_FORM)
    vacant.paragraph_format.space_before = hs.Pt(8)
    doc.add_paragraph("{%p endif %}", style=hs.STYLE_FORM)
    sign = doc.add_paragraph("{{ org.personnel_office }}", style=hs.STYLE_FORM)
    sign.paragraph_format.alignment = RIGHT
    sign.paragraph_format.space_before = hs.Pt(24)
    day = doc.add_paragraph("{{ date|cn_date }}", style=hs.STYLE_FORM)
    day.paragraph_format.alignment = RIGHT
    return doc


TEMPLATES = {
    "民主测评表.docx": ballot,
    "成绩汇总表.docx": results_table,
    "考察对象名单.docx": shortlist,
    "职位分配记录.docx": allocation_record,
}
