"""Templates of the plan family: 实施方案 (with 附件 职位表 on its own page) and 动员讲话.

The prose here is ours (the seed's five speeches guided structure and tone only); the facts come from
pipeline/papers/implementation.py, and so do the phrases that differ between a township, a bureau and a college.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402

from authoring import house_style as hs  # noqa: E402

LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def loop(doc, items: str, body: str, var: str = "t", level: int | None = None) -> None:
    """Add one paragraph repeated for every item (docxtpl {%p for %} … {%p endfor %})."""
    hs.add_body(doc, f"{{%p for {var} in {items} %}}")
    if level:
        hs.add_heading(doc, body, level)
    else:
        hs.add_body(doc, body)
    hs.add_body(doc, "{%p endfor %}")


def when(doc, condition: str, *texts: str) -> None:
    """Add body paragraphs kept only when condition holds (docxtpl {%p if %})."""
    hs.add_body(doc, f"{{%p if {condition} %}}")
    for text in texts:
        hs.add_body(doc, text)
    hs.add_body(doc, "{%p endif %}")


def signature(doc, body: str, date: str) -> None:
    """Issuing body and 成文日期, right-aligned; the date four characters in (GB/T 9704-2012 7.3.5)."""
    hs.add_body(doc, "")
    for text, chars in ((body, 2), (date, 4)):
        p = hs.add_body(doc, text, indent=False, align=RIGHT)
        p.paragraph_format.right_indent = hs.BODY_SIZE * chars


def annex_table(doc) -> None:
    """职位表 as in templates/职位表.docx: one row per post, places totalled."""
    table = hs.add_form_table(doc, 5, [12, 36, 40, 14, 12, 42])
    r = table.rows
    heads = ("序号", "部门", "职位名称", "类别", "职数", "职位特殊条件")
    for cell, text in zip(r[0].cells, heads):
        hs.set_cell(cell, text, label=True)
    hs.set_cell(r[1].cells[0].merge(r[1].cells[5]), "{%tr for p in posts %}")
    values = ("{{ loop.index }}", "{{ p.department }}", "{{ p.title }}", "{{ p.category }}", "{{ p.places }}",
              "{{ p.conditions }}")
    for i, (cell, text) in enumerate(zip(r[2].cells, values)):
        hs.set_cell(cell, text, align=CENTER if i in (0, 3, 4) else None)
    hs.set_cell(r[3].cells[0].merge(r[3].cells[5]), "{%tr endfor %}")
    hs.set_cell(r[4].cells[0].merge(r[4].cells[3]), "合　　计", label=True)
    hs.set_cell(r[4].cells[4], "{{ total_places }}", label=True)
    hs.repeat_as_header(r[0])
    for row in (r[0], r[2], r[4]):
        hs.set_row_height(row, 10)
        hs.keep_row_together(row)


def step_table(doc) -> None:
    """The timeline as a table: number, step, dates."""
    table = hs.add_form_table(doc, 4, [16, 64, 76])
    r = table.rows
    for cell, text in zip(r[0].cells, ("序号", "工作步骤", "时　　间")):
        hs.set_cell(cell, text, label=True)
    hs.set_cell(r[1].cells[0].merge(r[1].cells[2]), "{%tr for s in steps %}")
    for i, (cell, text) in enumerate(zip(r[2].cells, ("{{ s.no }}", "{{ s.name }}", "{{ s.dates }}"))):
        hs.set_cell(cell, text, align=CENTER if i != 1 else None)
    hs.set_cell(r[3].cells[0].merge(r[3].cells[2]), "{%tr endfor %}")
    hs.repeat_as_header(r[0])
    for row in (r[0], r[2]):
        hs.set_row_height(row, 9)
        hs.keep_row_together(row)


def plan() -> object:
    """实施方案: title, 发文字号, eight parts, 附件说明, signature, then 附件 职位表 on a new page."""
    doc = hs.new_document()
    hs.add_title(doc, "{{ org.name }}", "{{ campaign.title }}实施方案")
    hs.add_body(doc, "{%p if number %}")
    hs.add_body(doc, "（{{ number }}）", indent=False, align=CENTER)
    hs.add_body(doc, "{%p endif %}")
    hs.add_body(doc, "")
    hs.add_body(doc, "为了把{{ ph.scope }}的中层岗位交给愿干事、能干事、干成事的人，让干部在公开透明的比选中"
                     "脱颖而出，经{{ ph.committee }}研究，决定开展{{ campaign.title }}工作。为使这项工作有章可循、"
                     "平稳有序，结合{{ ph.we }}实际，制定本方案。")
    hs.add_heading(doc, "一、指导思想")
    hs.add_body(doc, "以新时代党的组织路线为指引，按照好干部标准和党政领导干部选拔任用的有关规定，把竞争机制"
                     "引入中层干部选用工作，做到以事择人、人岗相适，为{{ ph.work }}提供坚强的组织保证。")
    hs.add_heading(doc, "二、基本原则")
    for text in ("（一）坚持党管干部。{{ ph.committee }}统一领导，领导小组具体组织，各环节按程序办理。",
                 "（二）坚持公开透明。职位、条件、程序和结果向{{ ph.all_staff }}公开，接受群众监督。",
                 "（三）坚持平等竞争。符合条件的人员都可报名，同一标准衡量每一位竞争者，凭实绩和能力说话。",
                 "（四）坚持择优选用。综合看成绩、看考察、看一贯表现，把最合适的人放到最合适的岗位上。"):
        hs.add_body(doc, text)
    hs.add_heading(doc, "三、竞争职位")
    hs.add_body(doc, "本次拿出{{ posts_cn }}个中层职位进行竞争上岗，{{ split }}"
                     "{% if not same_count %}，职数合计{{ places_cn }}名{% endif %}。各职位的部门、名称、职数和"
                     "特殊条件见附件。")
    hs.add_heading(doc, "四、报名条件")
    hs.add_body(doc, "报名人员应当政治坚定、作风正派、遵纪守法、群众公认，热爱本职工作，身体健康，并同时具备"
                     "下列条件：")
    loop(doc, "conditions.general", "{{ t }}")
    when(doc, "conditions.per_post", "个别职位另有要求：")
    loop(doc, "conditions.per_post", "{{ t }}")
    hs.add_body(doc, "{{ conditions.counting }}")
    hs.add_heading(doc, "五、方法步骤和时间安排")
    hs.add_body(doc, "竞争上岗按下表所列步骤进行，遇有特殊情况由领导小组调整并另行通知。")
    step_table(doc)
    hs.add_body(doc, "")
    hs.add_body(doc, "{%p for s in steps %}")
    hs.add_body(doc, "（{{ s.no_cn }}）{{ s.name }}（{{ s.dates }}）。{{ s.note }}")
    hs.add_body(doc, "{%p endfor %}")
    hs.add_heading(doc, "六、成绩计算和考察对象的确定")
    loop(doc, "scoring", "{{ t }}")
    hs.add_heading(doc, "七、组织领导")
    hs.add_body(doc, "成立竞争上岗工作领导小组，负责本次竞争上岗的组织实施和重大事项的决定。")
    hs.add_body(doc, "组　长：{{ group.leader }}")
    when(doc, "group.deputies", "副组长：{{ group.deputies }}")
    when(doc, "group.members", "成　员：{{ group.members }}")
    hs.add_body(doc, "领导小组下设办公室，办公室设在{{ group.office }}，承担报名、审查、组织{{ round_names }}和成绩统计等日常工作。")
    hs.add_heading(doc, "八、纪律和监督")
    hs.add_body(doc, "（一）竞争者要如实填报个人信息，不得弄虚作假，不得拉票、打招呼或以其他方式干扰竞争；"
                     "违反的，取消竞争资格，并视情节追究责任。")
    hs.add_body(doc, "（二）评委和工作人员要客观公正地评分和统计，对评分情况保密；与竞争者有夫妻、直系血亲、"
                     "三代以内旁系血亲或者近姻亲关系的，应当回避。")
    hs.add_body(doc, "（三）{{ supervision.unit }}对竞争上岗全过程进行监督。干部群众对竞争上岗工作有意见的，"
                     "可以向{{ supervision.unit }}反映，举报电话：{{ supervision.phone }}；对公示对象有意见的，"
                     "可在公示期内通过电话{{ notice.phone }}或到{{ notice.address }}反映。")
    hs.add_body(doc, "")
    hs.add_body(doc, "附件：{{ campaign.title }}职位表")
    signature(doc, "{{ org.party_committee }}", "{{ plan_date|cn_date }}")
    # GB/T 9704-2012 7.3.7: the attachment starts a new page, "附件" in 3号 黑体 at the top left.
    label = hs.add_body(doc, "附件", indent=False, align=LEFT)
    label.paragraph_format.page_break_before = True
    hs.set_fonts(label.runs[0]._r, hs.HEITI, hs.LATIN)
    hs.add_body(doc, "")
    hs.add_title(doc, "{{ campaign.title }}职位表")
    hs.add_body(doc, "")
    annex_table(doc)
    return doc


def speech() -> object:
    """动员讲话: opening, why it matters, what is asked of the staff, discipline, closing."""
    doc = hs.new_document()
    hs.add_title(doc, "在{{ campaign.title }}", "动员会上的讲话")
    hs.add_body(doc, "")
    hs.add_body(doc, "{{ speaker.title }}　{{ speaker.name }}", indent=False, align=CENTER)
    hs.add_body(doc, "（{{ date|cn_date }}）", indent=False, align=CENTER)
    hs.add_body(doc, "")
    hs.add_body(doc, "同志们：", indent=False)
    hs.add_body(doc, "今天召开这次动员会，主要任务是部署{{ campaign.title }}工作。经{{ ph.committee }}研究决定，"
                     "这次拿出{{ posts_cn }}个中层职位面向{{ ph.staff }}公开竞争，{{ split }}"
                     "{% if not same_count %}，共选拔{{ places_cn }}名干部{% endif %}。实施方案刚才已经宣读，"
                     "职位、条件、程序和时间都写得清清楚楚。")
    hs.add_body(doc, "为什么选在这个时候做这件事？一方面，部分中层岗位空缺或者需要调整，工作等不得；另一方面，"
                     "{{ ph.we }}有一批年富力强、肯钻研的同志，需要一个公平的舞台。借这次竞争上岗，"
                     "我们要把用人的规矩立起来，把干事的劲头鼓起来。下面，我讲三点意见。")
    hs.add_heading(doc, "一、看清意义，把竞争上岗当作一件大事来办")
    hs.add_body(doc, "{{ ph.why }}。谁来担这个担子，不能只凭印象、论资排辈，而要拿到台面上比一比。"
                     "竞争上岗就是把选人的尺子交给制度：条件提前公布，程序人人看得见，结果凭实绩和能力说话。")
    hs.add_body(doc, "对每一位同志来说，这既是展示自己的机会，也是一次认识自己的过程。敢于站上讲台、"
                     "讲清楚自己想干什么、能干什么，本身就是一种担当。对{{ ph.we }}来说，这是一次队伍建设的"
                     "实践，能让{{ ph.work }}更有活力。")
    hs.add_heading(doc, "二、积极参与，以良好的状态迎接竞争")
    hs.add_body(doc, "第一，踊跃报名。符合条件的同志不要观望，不要有“陪跑”的顾虑。"
                     "{% if registration %}报名时间是{{ registration.dates }}{% if not registration.one_day %}，"
                     "共{{ registration.days_cn }}天{% endif %}，请抓紧准备材料，按时报名。{% endif %}")
    hs.add_body(doc, "第二，选准岗位。报名前要掂量一下自己的专长和经历，想一想哪个岗位最能发挥作用，"
                     "不要只盯着热门岗位，也不要一窝蜂挤到同一个职位上。愿意服从调剂的，请在登记表上写明。")
    hs.add_body(doc, "第三，认真准备。{{ schedule }}{{ method }}"
                     "评委看的是对岗位的理解和真实的工作思路，空话套话拿不到高分。")
    hs.add_body(doc, "第四，守好本职。竞争期间，{{ ph.day_job }}。手头的工作做得怎么样，"
                     "本身就是大家衡量一名干部的依据。")
    hs.add_body(doc, "第五，正确对待结果。职位有限，总会有同志这次没有竞争上。没上的不要灰心，这次的"
                     "准备和历练不会白费；竞争上的也不要自满，新岗位上的考验才刚刚开始。")
    hs.add_heading(doc, "三、严守纪律，确保竞争公平公正")
    hs.add_body(doc, "这次竞争上岗共分{{ steps_cn }}个环节：{{ step_names }}。每个环节都要按方案办，"
                     "程序不能省，标准不能降。{% if review %}{{ review.dates }}进行资格审查，"
                     "条件以方案为准，不符合的不能“打擦边球”。{% endif %}拟任人选确定后还要公示"
                     "{{ notice_days_cn }}个工作日，接受大家监督。")
    hs.add_body(doc, "竞争者不准拉票、打招呼、托关系，评委要独立打分、不受干扰，工作人员要保守秘密。"
                     "{{ supervision_unit }}全程监督，发现问题一查到底，决不让守规矩的同志吃亏。")
    hs.add_body(doc, "同志们，这次竞争上岗关系到每一位同志，也关系到{{ ph.we }}今后的发展。希望大家以积极的"
                     "姿态参与进来，用实实在在的表现赢得信任。{{ ph.committee }}相信，通过这次竞争，"
                     "一定能选出群众公认、能干事的中层干部。")
    hs.add_body(doc, "谢谢大家！")
    return doc


TEMPLATES = {
    "实施方案.docx": plan,
    "动员讲话.docx": speech,
}
