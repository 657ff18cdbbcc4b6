"""Generate templates/*.docx in the house format; the clerk edits the committed files in Word afterwards.

Run: .venv/bin/python authoring/make_templates.py [--out templates] [--force]
A template the clerk has edited since it was generated is never overwritten without --force: the generator
records the hash of every file it writes in OUT/.generated.json and refuses, writing nothing, when a template's
current bytes match neither that record nor what it would write now.
Rules kept here: Chinese text stays outside Jinja tags (LibreOffice splits runs where the script
changes: docs/reference.md, LibreOffice); the first paragraph of every template is its title, never a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402

from authoring import house_style as hs  # noqa: E402
from pipeline.engine.manifest import sha256_bytes, sha256_file  # noqa: E402
from pipeline.engine.render import normalise_zip  # noqa: E402
from pipeline.errors import InputErrors, Problem  # noqa: E402

LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT

PLEDGE = (
    "本人已读过本次竞争上岗的实施方案，了解报名条件、程序和纪律要求。表中所填内容和所交材料"
    "均属实；如有不实，本人同意取消竞争资格并承担相应责任。本人服从组织的决定和安排。"
)
SCORE_NOTES = (
    "填写说明：",
    "1. 请按抽签序号的顺序，在每位竞争者{{ round_name }}结束后当场评分；分数用阿拉伯数字填写，不得超过满分。",
    "2. 对每位竞争者只填一个分数；写错需改动时，在改动处签名。",
    "3. 评分结束后在表下方签名，把本表交给监督人员；本表不得带离会场，评分情况请勿外传。",
)


def merged(row, start: int, end: int):
    """Merge cells start..end of a row and return the merged cell."""
    return row.cells[start].merge(row.cells[end]) if end > start else row.cells[start]


def fill(row, *cells) -> None:
    """Fill a row from (start, end, text, is_label) tuples, merging where end > start."""
    for start, end, text, label in cells:
        hs.set_cell(merged(row, start, end), text, label=label)


def registration_form():
    """报名登记表: one page, pre-filled from the applicant's row or blank for handwriting."""
    doc = hs.new_form_document()
    hs.add_title(doc, "{{ org.name }}", "{{ campaign.title }}报名登记表")
    line = doc.add_paragraph("报名序号：{{ a.number }}", style=hs.STYLE_FORM)
    line.paragraph_format.space_after = hs.Pt(4)
    widths = [25, 31, 20, 27, 25, 28]
    table = hs.add_form_table(doc, 15, widths)
    r = table.rows
    fill(r[0], (0, 0, "姓　　名", True), (1, 1, "{{ a.name }}", False), (2, 2, "性　　别", True),
         (3, 3, "{{ a.gender }}", False), (4, 4, "民　　族", True), (5, 5, "{{ a.ethnicity }}", False))
    fill(r[1], (0, 0, "出生年月", True), (1, 1, "{{ a.birth_month|yearmonth }}", False), (2, 2, "政治面貌", True),
         (3, 3, "{{ a.political_status }}", False), (4, 4, "入党时间", True),
         (5, 5, "{{ a.party_join_date|yearmonth }}", False))
    fill(r[2], (0, 0, "学　　历", True), (1, 1, "{{ a.education }}", False), (2, 2, "学　　位", True),
         (3, 3, "{{ a.degree }}", False), (4, 4, "参加工作时间", True), (5, 5, "{{ a.work_start|yearmonth }}", False))
    fill(r[3], (0, 0, "身份证号", True), (1, 3, "{{ a.id_number }}", False), (4, 4, "联系电话", True),
         (5, 5, "{{ a.phone }}", False))
    fill(r[4], (0, 0, "现任职务", True), (1, 3, "{{ a.current_post }}", False), (4, 4, "现任职级", True),
         (5, 5, "{{ a.rank }}", False))
    fill(r[5], (0, 0, "任现职级时间", True), (1, 1, "{{ a.rank_since|yearmonth }}", False), (2, 2, "职　　称", True),
         (3, 5, "{{ a.professional_title }}", False))
    fill(r[6], (0, 5, "报名职位（按志愿先后填写）", True))
    fill(r[7], (0, 0, "志　　愿", True), (1, 1, "职位代码", True), (2, 3, "职位名称", True), (4, 5, "所在部门", True))
    fill(r[8], (0, 5, "{%tr for p in posts %}", False))
    fill(r[9], (0, 0, "第{{ loop.index|cn_numeral }}志愿", False), (1, 1, "{{ p.code }}", False),
         (2, 3, "{{ p.title }}", False), (4, 5, "{{ p.department }}", False))
    fill(r[10], (0, 5, "{%tr endfor %}", False))
    fill(r[11], (0, 0, "是否服从调剂", True), (1, 5, "{{ a.accept_reassignment }}", False))
    fill(r[12], (0, 0, "主要工作经历", True), (1, 5, "", False))
    fill(r[13], (0, 0, "本人承诺", True), (1, 5, PLEDGE, False))
    pledge = merged(r[13], 1, 5)
    sign = pledge.add_paragraph("本人签名：　　　　　　　　　　　年　　月　　日", style=hs.STYLE_FORM)
    sign.paragraph_format.alignment = RIGHT
    sign.paragraph_format.space_before = hs.Pt(12)
    fill(r[14], (0, 0, "资格审查意见", True), (1, 5, "", False))
    review = merged(r[14], 1, 5)
    for text in ("审查人签名：　　　　　　　　　　　年　　月　　日", "（{{ org.personnel_office }}盖章）"):
        p = review.add_paragraph(text, style=hs.STYLE_FORM)
        p.paragraph_format.alignment = RIGHT
    review.paragraphs[1].paragraph_format.space_before = hs.Pt(24)
    for i in (0, 1, 2, 3, 4, 5, 11):
        hs.set_row_height(r[i], 9)
    for i in (6, 7, 9):
        hs.set_row_height(r[i], 8)
    hs.set_row_height(r[12], 24)
    hs.set_row_height(r[13], 26)
    hs.set_row_height(r[14], 26)
    for row in r:
        hs.keep_row_together(row)
    for i in (0, 6, 9, 12, 13, 14):
        merged(r[i], 0, 0).paragraphs[0].paragraph_format.alignment = CENTER
    merged(r[13], 1, 5).paragraphs[0].paragraph_format.first_line_indent = hs.FORM_SIZE * 2
    note = doc.add_paragraph("注：本表一式一份，由本人如实填写（可打印后签名），交{{ org.personnel_office }}。", style=hs.STYLE_NOTE)
    note.paragraph_format.space_before = hs.Pt(4)
    note.runs[0].font.size = hs.Pt(10.5)
    return doc


def score_sheet():
    """评分表: one judge's sheet, one row per candidate in draw order."""
    doc = hs.new_form_document()
    # The title follows the judges' round (面试评分表, 演讲答辩评分表); on three lines, so a long organisation or
    # campaign name never wraps and leaves 表 alone on a line.
    hs.add_title(doc, "{{ org.name }}", "{{ campaign.title }}", "{{ sheet_title }}")
    info = doc.add_paragraph(
        "评委：{{ judge.name }}　　　评委组：{{ judge.group }}　　　{{ date_label }}：{{ speech_date|cn_date }}",
        style=hs.STYLE_FORM,
    )
    info.paragraph_format.space_before = hs.Pt(6)
    info.paragraph_format.space_after = hs.Pt(6)
    table = hs.add_form_table(doc, 4, [20, 28, 50, 34, 24])
    r = table.rows
    fill(r[0], (0, 0, "抽签序号", True), (1, 1, "姓　名", True), (2, 2, "竞争职位", True),
         (3, 3, "得　分", True), (4, 4, "备　注", True))
    r[0].cells[3].add_paragraph("（满分{{ full_marks }}分）", style=hs.STYLE_FORM_LABEL)
    fill(r[1], (0, 4, "{%tr for c in candidates %}", False))
    fill(r[2], (0, 0, "{{ c.draw }}", False), (1, 1, "{{ c.name }}", False), (2, 2, "{{ c.post_title }}", False),
         (3, 3, "", False), (4, 4, "", False))
    for cell in r[2].cells[:2]:
        cell.paragraphs[0].paragraph_format.alignment = CENTER
    fill(r[3], (0, 4, "{%tr endfor %}", False))
    hs.set_row_height(r[0], 12)
    hs.set_row_height(r[2], 11)
    hs.repeat_as_header(r[0])
    hs.keep_row_together(r[2])
    for i, text in enumerate(SCORE_NOTES):
        p = doc.add_paragraph(text, style=hs.STYLE_FORM)
        p.paragraph_format.space_before = hs.Pt(8 if i == 0 else 2)
    sign = doc.add_paragraph("评委签名：　　　　　　　　　　　年　　月　　日", style=hs.STYLE_FORM)
    sign.paragraph_format.alignment = RIGHT
    sign.paragraph_format.space_before = hs.Pt(24)
    return doc


def post_list():
    """职位表: the plan's annex listing every post, its places and its extra conditions."""
    doc = hs.new_document()
    hs.add_title(doc, "{{ campaign.title }}职位表")
    hs.add_body(doc, "")
    table = hs.add_form_table(doc, 5, [12, 36, 40, 14, 12, 42])
    r = table.rows
    fill(r[0], (0, 0, "序号", True), (1, 1, "部门", True), (2, 2, "职位名称", True), (3, 3, "类别", True),
         (4, 4, "职数", True), (5, 5, "职位特殊条件", True))
    fill(r[1], (0, 5, "{%tr for p in posts %}", False))
    fill(r[2], (0, 0, "{{ loop.index }}", False), (1, 1, "{{ p.department }}", False), (2, 2, "{{ p.title }}", False),
         (3, 3, "{{ p.category }}", False), (4, 4, "{{ p.places }}", False), (5, 5, "{{ p.conditions }}", False))
    for i in (0, 3, 4):
        r[2].cells[i].paragraphs[0].paragraph_format.alignment = CENTER
    fill(r[3], (0, 5, "{%tr endfor %}", False))
    fill(r[4], (0, 3, "合　　计", True), (4, 4, "{{ total_places }}", True), (5, 5, "", False))
    hs.repeat_as_header(r[0])
    for i in (0, 2, 4):
        hs.set_row_height(r[i], 10)
    note = doc.add_paragraph("共{{ posts|length }}个职位，职数合计{{ total_places }}名。", style=hs.STYLE_NOTE)
    note.paragraph_format.space_before = hs.Pt(6)
    return doc


TEMPLATES = {
    "报名登记表.docx": registration_form,
    "评分表.docx": score_sheet,
    "职位表.docx": post_list,
}


RECORD = ".generated.json"  # template file name → SHA-256 of the bytes this generator last wrote there


def docx_bytes(doc) -> bytes:
    """Serialise with fixed metadata and zip timestamps, so regenerating an unchanged template changes no byte."""
    props = doc.core_properties
    props.author = props.last_modified_by = "组织人事处"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.revision = 1
    hs.slim(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())


def all_templates() -> dict:
    """This file's templates and those of every authoring/templates_*.py module (one per document family)."""
    import importlib.util

    found = dict(TEMPLATES)
    for path in sorted(Path(__file__).parent.glob("templates_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.update(module.TEMPLATES)
    return found


def edited_templates(out: Path, fresh: dict[str, bytes]) -> list[Problem]:
    """Templates in out whose bytes are neither what was last generated nor what would be written now."""
    record_path = out / RECORD
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else {}
    return [Problem(str(out / name), "与上次生成时不同（已在 Word 或 WPS 中改过），重新生成会丢掉这些修改。"
                                     "请先备份这个模板；确要用生成的版本替换它时，加 --force 再运行。")
            for name, blob in fresh.items()
            if (out / name).exists() and sha256_file(out / name) not in (record.get(name), sha256_bytes(blob))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 templates/ 中的 Word 模板（国家标准公文格式）")
    parser.add_argument("--out", type=Path, default=ROOT / "templates")
    parser.add_argument("--force", action="store_true", help="连同在 Word 中改过的模板一起覆盖（改动会丢失）")
    args = parser.parse_args(argv)
    fresh = {name: docx_bytes(build()) for name, build in all_templates().items()}
    edited = [] if args.force else edited_templates(args.out, fresh)
    if edited:
        print(InputErrors(edited), file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, blob in fresh.items():
        (args.out / name).write_bytes(blob)
        print(f"已生成 {args.out / name}")
    record = {name: sha256_bytes(blob) for name, blob in sorted(fresh.items())}
    (args.out / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
