"""Templates of a round's shortlist (入围): the public list (入围名单公示) and the internal ranking (成绩排名表).

Discovered by authoring/make_templates.py; contexts in pipeline/papers/shortlists.py. Chinese text stays outside
Jinja tags; each template opens with its title paragraph. The public list is a 公示-style paper in the body
format (GB/T 9704-2012 7.3), the ranking a form on a portrait page (six columns fit the 156 mm type area).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402

from authoring import house_style as hs  # noqa: E402
from authoring.templates_notices import signature, tag_paragraph  # noqa: E402

CENTER, RIGHT, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT
DATE = "{% if date %}{{ date|cn_date }}{% else %}　　年　　月　　日{% endif %}"  # no date known: the pen's
OBJECTION = (
    "对{{ round }}成绩和入围名单有异议的，可以向{{ org.personnel_office }}反映（电话：{{ objection.telephone }}；"
    "地址：{{ objection.location }}），也可以向{{ objection.supervisor }}反映"
    "（电话：{{ objection.supervisor_telephone }}）。"
)


def cell(row, i: int, text: str, label: bool = False, center: bool = True):
    return hs.set_cell(row.cells[i], text, label=label, align=CENTER if center else None)


def loop_row(row, tag: str, last: int) -> None:
    """A row holding only a {%tr %} tag, merged across the table."""
    row.cells[0].merge(row.cells[last])
    cell(row, 0, tag, center=False)


def public_list():
    """入围名单公示: per post those through, with their score and 名次 where the campaign publishes scores."""
    doc = hs.new_document()
    hs.add_title(doc, "{{ campaign.title }}", "{{ notice_title }}")
    hs.add_body(doc, "")
    hs.add_body(doc, "按照《{{ campaign.title }}实施方案》，{{ round }}已经结束。根据{{ round }}成绩，"
                     "{{ rule_sentence }}。现将{{ notice_title }}公布如下。")
    tag_paragraph(doc, "{%p for post in posts %}")
    head = hs.add_heading(doc, "{{ loop.index|cn_numeral }}、{{ post.title }}"
                               "（职数{{ post.places }}名，入围{{ post.passed }}名）")
    head.paragraph_format.keep_with_next = True
    tag_paragraph(doc, "{%p if not post.rows %}")
    hs.add_body(doc, "本职位无人达到入围要求。")
    tag_paragraph(doc, "{%p elif show_scores %}")
    table = hs.add_form_table(doc, 4, [14, 38, 36, 22, 46])
    r = table.rows
    for i, text in enumerate(("序号", "姓　名", "{{ score_label }}", "名次", "备　注")):
        cell(r[0], i, text, label=True)
    loop_row(r[1], "{%tr for c in post.rows %}", 4)
    for i, text in enumerate(("{{ loop.index }}", "{{ c.person.name }}", "{{ c.person.total|score(decimals) }}",
                              "{{ c.person.place }}", "{{ c.note }}")):
        cell(r[2], i, text)
    loop_row(r[3], "{%tr endfor %}", 4)
    hs.repeat_as_header(r[0])
    hs.keep_row_together(r[2])
    hs.set_row_height(r[0], 9)
    hs.set_row_height(r[2], 8)
    tag_paragraph(doc, "{%p else %}")
    hs.add_body(doc, "{{ post.names }}")
    tag_paragraph(doc, "{%p endif %}")
    tag_paragraph(doc, "{%p endfor %}")
    tag_paragraph(doc, "{%p if ties %}")
    hs.add_body(doc, "备注栏注明“末位同分，一并入围”的，与入围名额末位的成绩相同，按规定一并入围。")
    tag_paragraph(doc, "{%p endif %}")
    hs.add_body(doc, OBJECTION).paragraph_format.keep_with_next = True
    hs.add_body(doc, "").paragraph_format.keep_with_next = True
    signature(doc, "{{ org.name }}{{ org.personnel_office }}", DATE, chars_in=2)
    return doc


def internal_ranking():
    """成绩排名表（内部）: every candidacy of the round, its score, 名次, 是否入围 and why not."""
    doc = hs.new_form_document()
    hs.add_title(doc, "{{ org.name }}{{ campaign.title }}", "{{ round }}成绩排名表")
    note = doc.add_paragraph("（内部资料，供领导小组审核和存档，不对外公布）", style=hs.STYLE_FORM)
    note.paragraph_format.alignment = CENTER
    rule = doc.add_paragraph("入围{{ next_round }}的办法：{{ rule }}；末位同分的，一并入围。", style=hs.STYLE_FORM)
    rule.paragraph_format.space_before = hs.Pt(6)
    doc.add_paragraph("{%p for post in posts %}", style=hs.STYLE_FORM)
    head = doc.add_paragraph("职位 {{ post.code }}　{{ post.title }}　　职数：{{ post.places }}名　　{{ post.count }}",
                             style=hs.STYLE_FORM_LABEL)
    head.paragraph_format.alignment = LEFT
    head.paragraph_format.space_before = hs.Pt(10)
    head.paragraph_format.space_after = hs.Pt(4)
    head.paragraph_format.keep_with_next = True
    # Sums to the 156 mm type area (GB/T 9704-2012 5.2.1); 说明 holds 名次在入围人数（12名）之外 on one line.
    widths = [12, 20, 22, 22, 18, 62]
    table = hs.add_form_table(doc, 4, widths)
    r = table.rows
    for i, text in enumerate(("名次", "报名序号", "姓　名", "{{ score_label }}", "是否入围", "说　明")):
        cell(r[0], i, text, label=True)
    loop_row(r[1], "{%tr for row in post.rows %}", 5)
    for i, text in enumerate(("{{ row.rank }}", "{{ row.number }}", "{{ row.name }}", "{{ row.score|score(decimals) }}",
                              "{{ row.passed }}")):
        cell(r[2], i, text)
    cell(r[2], 5, "{{ row.note }}", center=False)
    loop_row(r[3], "{%tr endfor %}", 5)
    hs.repeat_as_header(r[0])
    hs.keep_row_together(r[2])
    hs.set_row_height(r[2], 8)
    doc.add_paragraph("{%p endfor %}", style=hs.STYLE_FORM)
    for text in ("注：1. 成绩按计分办法保留{{ decimals }}位小数（四舍五入）；名次在本职位达到入围条件的人员中排列，"
                 "成绩相同的名次相同。",
                 "2. 入围名额末位成绩相同的，一并入围，在说明栏注明；未入围的，在说明栏写明原因。"):
        p = doc.add_paragraph(text, style=hs.STYLE_FORM)
        p.paragraph_format.space_before = hs.Pt(4)
    sign = doc.add_paragraph("制表人：　　　　　　　复核人：　　　　　　　监督人：　　　　　　　", style=hs.STYLE_FORM)
    sign.paragraph_format.alignment = RIGHT
    sign.paragraph_format.space_before = hs.Pt(18)
    sign.paragraph_format.keep_with_next = True
    day = doc.add_paragraph(DATE, style=hs.STYLE_FORM)
    day.paragraph_format.alignment = RIGHT
    return doc


TEMPLATES = {
    "入围名单公示.docx": public_list,
    "成绩排名表.docx": internal_ranking,
}
