"""Find every problem in the clerk's Word templates before anything is rendered, and repair the safe ones.

What does the work (the linters already on PyPI first; our own checks only for what none of them has):
- docxtpl-lint 2.0.1 (`docxtpl_lint.lint`): unbalanced blocks, Jinja syntax, unknown filters,
  docxtpl's tr/tc/p prefixes, and every variable path (also inside loops, such as c.name) against
  the example context, each with paragraph and table-cell location. docxtpl's own
  get_undeclared_template_variables only sees top-level names (it misses judge.nmae), so it is
  not used; docxlint 0.1.0 only checks syntax.
- Added here, because no linter has them: tags typed with a Chinese input method (｛｛ ％ “ ” 。
  inside a tag), person fields a 公示 may not carry (pipeline.campaign.publish), and one trial render
  through the real environment with the example context (filters fed the wrong type).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import docxtpl_lint
import jinja2
from jinja2 import nodes
from lxml import etree

from pipeline.papers.contexts import EXAMPLE_APPLICANT, person
from pipeline.engine.docx_clean import clean_template
from pipeline.papers.examples import example_contexts
from pipeline.errors import InputErrors, Problem, TemplateError
from pipeline.engine.jinja_env import FILTERS, make_environment
from pipeline.engine.render import TAG, describe_failure, make_render_environment, render_template
from pipeline.campaign.publish import PRIVATE_PERSON_FIELDS, PUBLIC_PERSON_FIELDS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
PART_NAMES = {"document": "正文", "header": "页眉", "footer": "页脚"}

# Full-width characters a Chinese input method puts where Jinja needs ASCII (outside string literals).
FULL_WIDTH = {
    "｛": "{", "｝": "}", "％": "%", "“": '"', "”": '"', "‘": "'", "’": "'", "＂": '"', "＇": "'",
    "（": "(", "）": ")", "，": ",", "。": ".", "｜": "|", "：": ":", "＝": "=", "＜": "<", "＞": ">",
    "！": "!", "［": "[", "］": "]", "\u3000": " ",
}
QUOTES = {"“", "”", "‘", "’", "＂", "＇"}
# A public paper may show only the whitelist; everything else a person record carries is private.
NOT_PUBLIC = (set(person(EXAMPLE_APPLICANT)) | PRIVATE_PERSON_FIELDS) - PUBLIC_PERSON_FIELDS
AROUND = 18  # characters shown either side of a tag


@dataclass(frozen=True)
class Para:
    """One paragraph of a template part, located the way a clerk finds it in Word."""

    part: str  # 正文, 页眉1, 页脚2
    index: int  # 1-based over every paragraph of the part, as docxtpl-lint counts
    text: str
    cell: str  # "表1第3行第2列" or ""

    def where(self) -> str:
        return f"{self.part}第{self.index}段" + (f"（{self.cell}）" if self.cell else "")


def _part_label(name: str) -> str:
    kind = re.match(r"[a-z]+", name).group(0)
    return PART_NAMES[kind] + name[len(kind):]


def _cell_path(p: etree._Element) -> str:
    """Name the table cell holding p: table number in the part, row and column (outermost table)."""
    cells = [a for a in p.iterancestors(f"{W}tc")]
    if not cells:
        return ""
    tc = cells[-1]
    tr = tc.getparent()
    tbl = tr.getparent()
    tables = [t for t in tbl.getroottree().getroot().iter(f"{W}tbl") if not list(t.iterancestors(f"{W}tbl"))]
    row = [r for r in tbl if r.tag == f"{W}tr"].index(tr) + 1
    col = [c for c in tr if c.tag == f"{W}tc"].index(tc) + 1
    return f"表{tables.index(tbl) + 1}第{row}行第{col}列"


def read_paragraphs(blob: bytes) -> list[Para]:
    """Return the text of every paragraph of every part (body, headers, footers) of a .docx."""
    out = []
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        for name in sorted(n for n in z.namelist() if PARTS.fullmatch(n)):
            root = etree.fromstring(z.read(name))
            label = _part_label(PARTS.fullmatch(name).group(1))
            for i, p in enumerate(root.iter(f"{W}p"), start=1):
                text = "".join(t.text or "" for t in p.iter(f"{W}t"))
                out.append(Para(label, i, text, _cell_path(p)))
    return out


def around(text: str, start: int, end: int) -> str:
    """Return the tag with up to AROUND characters either side, marking cut ends with …."""
    left, right = max(0, start - AROUND), min(len(text), end + AROUND)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def _outside_literals(tag: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, character) of a tag's characters that are not inside an ASCII-quoted string."""
    quote = None
    for i, ch in enumerate(tag):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        else:
            yield i, ch


def full_width_in(tag: str) -> list[str]:
    """Return the full-width characters of a tag that Jinja would choke on, in order, once each."""
    found = [ch for _, ch in _outside_literals(tag) if ch in FULL_WIDTH] + [ch for ch in tag if ch in QUOTES]
    return list(dict.fromkeys(ch for ch in found if ch != "\u3000" or tag.startswith(("｛", "{"))))


def check_typing(name: str, paras: list[Para]) -> list[Problem]:
    """Find tags typed with a Chinese input method: ｛｛ ｝｝ ％, Chinese quotes, 。 or （ inside a tag."""
    problems = []
    for para in paras:
        for m in TAG.finditer(para.text):
            chars = [c for c in full_width_in(m.group(0)) if c != "\u3000"]
            if chars:
                shown = " ".join(chars)
                problems.append(Problem(name, (
                    f"{para.where()}「{around(para.text, m.start(), m.end())}」：标签 {m.group(0)} 里有中文输入法"
                    f"打出的全角符号 {shown}，请切换到英文输入法重新输入这个标签，或运行 repair-templates 自动改正。"
                ), code="full-width"))
    return problems


def _located(name: str, paras: list[Para], part: str, index: int, snippet: str) -> str:
    for para in paras:
        if para.index == index and (part == "body") == (para.part == "正文"):
            pos = para.text.find(snippet)
            if pos < 0:
                return f"{para.where()}「{around(para.text, 0, 0)}」"
            return f"{para.where()}「{around(para.text, pos, pos + len(snippet))}」"
    return f"{part}第{index}段「{snippet}」"


def _lint_message(issue, context: dict[str, Any]) -> str:
    """Say in a clerk's words what docxtpl-lint found."""
    if issue.rule == "DTL301":
        path = issue.params["path"]
        written = _as_written(path, issue.snippet)
        known = _known_names(context, path, written.rpartition(".")[0])
        hint = f"（这里可用的有 {'、'.join(known)}）" if known else ""
        return f"模板用了变量 {written}，但数据里没有这一项{hint}。请检查拼写，或对照《模板说明》改正。"
    if issue.rule == "DTL104":
        known = "、".join(sorted(FILTERS))
        return f"没有名为 {issue.params['name']} 的格式过滤器（本系统提供 {known} 以及 Jinja 自带的过滤器）。请检查拼写。"
    return issue.message_for("zh") + "。"


def _as_written(path: str, snippet: str) -> str:
    """Return the name as the clerk typed it: c.full_name rather than the linter's candidates[*].full_name."""
    last = path.rpartition(".")[2]
    m = re.search(r"[A-Za-z_][\w.]*\." + re.escape(last) + r"\b", snippet)
    return m.group(0) if m and "[*]" in path else path


def _known_names(context: dict[str, Any], path: str, prefix: str) -> list[str]:
    """List the names a clerk may use at the level where path went wrong, spelt with the clerk's prefix."""
    level: Any = context
    for key in path.replace("[*]", "").split(".")[:-1]:
        if not isinstance(level, dict) or key not in level:
            return []
        level = level[key]
        if isinstance(level, list):
            level = level[0] if level else {}
    return [f"{prefix}.{k}" if prefix else k for k in level] if isinstance(level, dict) else []


def check_with_lint(name: str, blob: bytes, paras: list[Para], context: dict[str, Any]) -> list[Problem]:
    """Run docxtpl-lint with the project's filters and the example context; keep only what it is sure of."""
    result = docxtpl_lint.lint(blob, context, jinja_env=make_environment())
    errors = [i for i in result.issues if i.severity == "error"]
    structural = [i for i in errors if not i.rule.startswith("DTL3")]
    # With a broken block the linter loses track of loop variables: report the structure first.
    for issue in structural or errors:
        where = _located(name, paras, issue.location.part, issue.location.paragraph, issue.snippet)
        code = "unknown-variable" if issue.rule == "DTL301" else "broken-tag"
        yield Problem(name, f"{where}：{_lint_message(issue, context)}", code=code)


def _attribute_names(env: jinja2.Environment, source: str) -> set[str]:
    """Return every attribute or constant subscript a template reads (a.phone, a['phone'])."""
    tree = env.parse(source)
    names = {n.attr for n in tree.find_all(nodes.Getattr)}
    names |= {n.arg.value for n in tree.find_all(nodes.Getitem) if isinstance(n.arg, nodes.Const)}
    return {n for n in names if isinstance(n, str)}


def check_public(name: str, paras: list[Para]) -> list[Problem]:
    """A 公示 template may use only the person fields in pipeline.campaign.publish.PUBLIC_PERSON_FIELDS."""
    env = make_environment()
    problems = []
    for para in paras:
        for m in TAG.finditer(para.text):
            try:
                used = _attribute_names(env, _as_expression(m.group(0)))
            except jinja2.TemplateSyntaxError:
                continue  # reported by the syntax check
            for field in sorted(used & NOT_PUBLIC):
                problems.append(Problem(name, (
                    f"{para.where()}「{around(para.text, m.start(), m.end())}」：公示类模板不能使用 {field}"
                    f"（身份证号、电话、住址、审查理由等个人信息不得公开），请删除这个标签。"
                ), code="private-field"))
    return problems


def _as_expression(tag: str) -> str:
    """Turn one tag into a parseable snippet: {%tr for x in y %} → {{ y }}, {{ a.b }} stays."""
    body = tag[2:-2].strip()
    body = re.sub(r"^(tr|tc|p|r)\s", "", body)
    if tag.startswith("{#"):
        return ""
    if tag.startswith("{%"):
        m = re.match(r"(?:if|elif|for\s+.+?\s+in|set\s+\w+\s*=)\s+(.*)", body)
        return "{{ %s }}" % m.group(1) if m else ""
    return "{{ %s }}" % body


def check_render(name: str, blob: bytes, context: dict[str, Any]) -> list[Problem]:
    """Render once with the example context exactly as the build will: cleaned, sandboxed, within the limits."""
    env = make_render_environment()
    try:
        render_template(name, clean_template(blob)[0], context, env)
    except TemplateError as exc:
        return [Problem(name, f"用示例数据试生成时出错：{describe_failure(exc.__cause__, env)}。", code="render-error")]
    return []


def template_warnings(path: Path) -> list[Problem]:
    """What a template holds that the papers will not (removed when rendering): worth tidying, not an error."""
    found = clean_template(path.read_bytes())[1]
    kinds = [(found.comments, "条批注"), (found.revisions, "处修订记录"), (found.hidden_runs, "段隐藏文字")]
    held = [f"{count} {what}" for count, what in kinds if count]
    if found.properties:
        held.append(f"文档属性（{'、'.join(found.properties)}）中填写的内容")
    if not held:
        return []
    return [Problem(path.name, (
        f"模板中有 {'、'.join(held)}。生成的文书会自动去掉这些内容、改用本单位的名称，不影响生成；"
        "这些内容可能含有个人信息，建议在 Word 中用“文件 → 信息 → 检查文档”全部删除后再保存。"
    ), code="template-leftovers")]


def check_template(path: Path, context: dict[str, Any] | None = None, *, deep: bool = True) -> list[Problem]:
    """Check one template; context defaults to its entry in EXAMPLE_CONTEXTS. Not deep: the typing and public-
    notice checks only, for a template that passed the lint and example render unchanged with this code."""
    name, blob = path.name, path.read_bytes()
    paras = read_paragraphs(blob)
    problems = check_typing(name, paras)
    if "公示" in name:
        problems += check_public(name, paras)
    context = context if context is not None else example_contexts().get(name)
    if context is None:
        return problems + [Problem(name, (
            "没有这个模板的示例数据，无法核对其中的变量。模板文件名要与程序中登记的一致"
            "（见《模板说明》）；新增模板请联系维护人员在 pipeline/papers/examples.py 中登记示例数据。"
        ), code="no-example")]
    if problems or not deep:
        return problems  # full-width tags make every later check report noise
    problems += list(check_with_lint(name, blob, paras, context))
    return problems or check_render(name, blob, context)


def check_templates(templates_dir: Path, *, deep: bool = True) -> list[Problem]:
    """Check every .docx in templates_dir (Word's ~$ lock files skipped) and return all problems (deep:
    check_template)."""
    problems: list[Problem] = []
    for path in sorted(templates_dir.glob("*.docx")):
        if not path.name.startswith("~$"):
            problems += check_template(path, deep=deep)
    return problems


# --- repair: only changes that cannot alter what a tag means ---

def fix_tag(tag: str) -> str:
    """Replace input-method characters in one tag by their ASCII forms, leaving quoted text alone."""
    chars = list(tag)
    for i, ch in _outside_literals(tag):
        if ch in FULL_WIDTH:
            chars[i] = FULL_WIDTH[ch]
    for i, ch in enumerate(chars):
        if ch in QUOTES:
            chars[i] = FULL_WIDTH[ch]
    return "".join(chars)


def _repair_paragraph(p: etree._Element, where: str) -> list[str]:
    """Put each tag of p into one run and fix its typing; return what changed, in words."""
    ts = list(p.iter(f"{W}t"))
    texts = [t.text or "" for t in ts]
    joined = "".join(texts)
    owner = [i for i, text in enumerate(texts) for _ in text]
    chars, changes = list(joined), []
    for m in TAG.finditer(joined):
        start, end = m.span()
        if len(set(owner[start:end])) > 1:
            owner[start:end] = [owner[start]] * (end - start)
            changes.append(f"{where}：把被拆成几段的标签 {m.group(0)} 合并到同一段文字中")
        fixed = fix_tag(m.group(0))  # one character for one, so offsets stay valid
        if fixed != m.group(0):
            chars[start:end] = fixed
            changes.append(f"{where}：把 {m.group(0)} 改为 {fixed}")
    if changes:
        for i, t in enumerate(ts):
            t.text = "".join(c for c, o in zip(chars, owner) if o == i)
            if t.text != t.text.strip():
                t.set(XML_SPACE, "preserve")
    return changes


def _repair_part(xml: bytes, label: str) -> tuple[bytes, list[str]]:
    root = etree.fromstring(xml)
    changes = []
    for i, p in enumerate(root.iter(f"{W}p"), start=1):
        cell = _cell_path(p)
        changes += _repair_paragraph(p, f"{label}第{i}段" + (f"（{cell}）" if cell else ""))
    if not changes:
        return xml, []
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), changes


def repair_template(path: Path) -> list[str]:
    """Merge tags split across runs and replace full-width tag characters in place; return what changed."""
    changes: list[str] = []
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            match = PARTS.fullmatch(info.filename)
            if match:
                data, done = _repair_part(data, _part_label(match.group(1)))
                changes += done
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    if changes:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(out.getvalue())
        tmp.replace(path)  # atomic: a failure leaves the clerk's file as it was
    return changes


def repair_templates(templates_dir: Path) -> list[str]:
    """Repair every template in templates_dir; return the changes, each prefixed with the file name."""
    changes = []
    for path in sorted(templates_dir.glob("*.docx")):
        if not path.name.startswith("~$"):
            changes += [f"{path.name} {c}" for c in repair_template(path)]
    return changes


def check_templates_command(templates_dir: Path) -> str:
    """For `check-templates`: raise InputErrors listing every problem, or return the all-clear line and the reminders."""
    problems = check_templates(templates_dir)
    if problems:
        raise InputErrors(problems)
    paths = [p for p in sorted(templates_dir.glob("*.docx")) if not p.name.startswith("~$")]
    warnings = [w for path in paths for w in template_warnings(path)]
    lines = [f"模板检查通过：{len(paths)} 个模板，没有发现问题。"]
    if warnings:
        lines += [f"提醒（{len(warnings)} 个模板，不影响生成）："] + [f"  {w}" for w in warnings]
    return "\n".join(lines)
