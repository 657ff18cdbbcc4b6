"""Render one Word template with one context into DOCX bytes that are the same on every run.

The template is cleaned first (pipeline.engine.docx_clean) and the paper gets the organisation's
properties, never the template's; every failure of a render is a TemplateError in Chinese naming
the template, the tag and the text around it.
"""
from __future__ import annotations

import datetime as dt
import functools
import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping
from xml.sax.saxutils import escape as xml_escape

import jinja2
from lxml import etree
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem  # private, but stable in the pinned python-docx
from docxtpl import DocxTemplate

from pipeline.engine.docx_clean import clean_template
from pipeline.errors import TemplateError
from pipeline.engine.jinja_env import TIME_LIMIT, PaperEnvironment, make_environment
from pipeline.engine.jobs import DocJob
from pipeline.engine.one_line import fit_marks

# A fixed timestamp for every zip member, so the same inputs give byte-identical DOCX files.
_ZIP_EPOCH = (2000, 1, 1, 0, 0, 0)
# The same moment for the created/modified properties: a paper's bytes depend on its data only.
_PROPERTIES_EPOCH = dt.datetime(*_ZIP_EPOCH, tzinfo=dt.timezone.utc)
_APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            '<Company>{company}</Company></Properties>')
_AROUND = 20  # characters of the failing paragraph shown before its first tag and after its last
_SHOWN = 200  # at most this much of it


@dataclass(frozen=True)
class DocumentMeta:
    """The document properties every paper carries instead of its template's (and its PDF's Author and Title)."""

    organisation: str
    title: str


# A tag with ASCII or full-width delimiters: {{ }}, {% %}, {# #} and ｛｛ ｝｝, ｛％ ％｝ typed by an input method.
# A tag never contains the opening of another, so "{{ a }" followed by "{{ b }}" is one broken tag, not one long tag.
TAG = re.compile(r"[{｛][{｛%％#](?:(?![{｛][{｛%％#]).)*?[%％#}｝][}｝]")

def document_meta(job: DocJob) -> DocumentMeta:
    """A paper's properties: the issuing organisation from its context, its own title."""
    return DocumentMeta(organisation=job.context["org"]["name"], title=job.title)


def make_render_environment(time_limit: float = TIME_LIMIT) -> PaperEnvironment:
    """The project's sandboxed Jinja environment, compiling each template source once per run.

    It remembers the source it handed out last, the part being rendered, so an error can quote the
    paragraph it happened in.
    """
    env = make_environment(time_limit)
    env.last_source = ""
    # docxtpl calls env.from_string() on the same patched XML for every document of a batch;
    # compiling it once per source makes rendering a batch several times faster.
    compile_once = functools.lru_cache(maxsize=64)(env.from_string)

    def from_string(source, *args, **kwargs):
        env.last_source = source
        return compile_once(source, *args, **kwargs)

    env.from_string = from_string  # type: ignore[method-assign]
    return env


@functools.lru_cache(maxsize=64)
def _clean_template(path: str, mtime_ns: int) -> bytes:
    return clean_template(Path(path).read_bytes())[0]


@functools.lru_cache(maxsize=64)
def _patched(src_xml: str) -> str:
    # patch_xml reads nothing of the instance: a pure function of the template's XML.
    return DocxTemplate.patch_xml(None, src_xml)  # type: ignore[arg-type]


# Text that docxtpl's resolve_listing turns into breaks, tabs, paragraphs or page breaks: \n \t \a \f inside
# a <w:t> (whose text holds no "<": XML escapes it).
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


class _Template(DocxTemplate):
    """docxtpl's template with its tag clean-up (patch_xml, a dozen regular expressions over the whole part)
    done once per template part and run, not once per paper: the parts are the same for every paper of a batch;
    and its listing pass (three nested regular-expression passes over every paragraph) skipped for a part
    without the characters it replaces, where it returns the part unchanged."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def resolve_listing(self, xml: str) -> str:
        if _LISTING_TEXT.search(xml) is None:
            return xml
        return super().resolve_listing(xml)

    def fix_tables(self, xml: str):
        # docxtpl's fix_tables (docxtpl 0.20.2) walks every cell of every table in Python to see whether a
        # {%tc%} loop left a row wider or narrower than its grid; here the same test reads each row with one
        # XPath query, and docxtpl's own pass runs only for a part where it changes something.
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        if tree.nsmap.get("w") == _W_NS and _grids_fit(tree):
            return tree
        return super().fix_tables(xml)


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % _W_NS
# The columns a cell spans, as docxtpl's get_cell_len reads them: the first w:gridSpan of the first w:tcPr.
_SPANS = etree.XPath("w:tc/w:tcPr[1]/w:gridSpan[1]/@w:val", namespaces={"w": _W_NS})


def _grids_fit(tree) -> bool:
    """True when docxtpl's fix_tables would change no table: in every table (nested ones too, whose rows count for
    their ancestors as well, as docxtpl's tbl.iter(tr) counts them), no row has more cells than the grid has
    columns, and the widest row, its spans counted, covers every column. False for anything it would read
    otherwise (a table without w:tblGrid, a span that is not a plain number): docxtpl's pass decides then."""
    for table in tree.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        if grid is None:
            return False
        columns = len(grid.findall(f"{_W}gridCol"))
        widest = 0
        for row in table.iter(f"{_W}tr"):
            cells = len(row.findall(f"{_W}tc"))
            spans = _SPANS(row)
            if cells > columns or not all(span.isdigit() for span in spans):
                return False
            widest = max(widest, cells + sum(int(span) - 1 for span in spans))
        if widest < columns:
            return False
    return True


def render_template(name: str, blob: bytes, context: Mapping[str, Any], env: PaperEnvironment) -> DocxTemplate:
    """Render a cleaned template within the environment's limits; any failure becomes a Chinese TemplateError.

    Whatever goes wrong inside the render comes from the template (the context is the program's), so
    every exception is the clerk's to fix: SecurityError, a limit, a filter fed the wrong type …
    """
    tpl = _Template(io.BytesIO(blob))
    try:
        with env.limits():
            tpl.render(dict(context), jinja_env=env, autoescape=True)
    except Exception as exc:
        raise TemplateError(f"模板 {name} 无法生成：{describe_failure(exc, env)}") from exc
    return tpl


def render_docx(template: Path, context: Mapping[str, Any], env: PaperEnvironment, *, meta: DocumentMeta) -> bytes:
    """Render template with context into a paper carrying meta's properties and nothing of the template's."""
    blob = _clean_template(str(template), template.stat().st_mtime_ns)
    tpl = render_template(template.name, blob, context, env)
    fit_marks(tpl.docx)  # a long 发文机关标志 stays on one line (docs/reference.md, 公文格式)
    _stamp_properties(tpl.docx, meta)
    return package_bytes(tpl.docx.part.package)


def _stamp_properties(document, meta: DocumentMeta) -> None:
    """Replace every core and extended property by the organisation's (LibreOffice copies them into the PDF)."""
    core = document.core_properties
    # python-docx has no "clear all": empty its element, so no property of the template's survives.
    for child in list(core._element):
        core._element.remove(child)
    core.author = core.last_modified_by = meta.organisation
    core.title = meta.title
    core.created = core.modified = _PROPERTIES_EPOCH
    core.revision = 1
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML.format(company=xml_escape(meta.organisation)).encode("utf-8")


def describe_failure(exc: BaseException, env: PaperEnvironment) -> str:
    """Say in Chinese what went wrong, which tag and which text of the template it was in."""
    return f"{env.expired or _describe(exc)}{_location(exc, env.last_source)}"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return _undefined(exc.message or "")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"标签写法有误（{exc.message}）"
    text = str(exc)
    if _CJK.search(text):  # the sandbox, the limits and the 公文 filters say it in Chinese already
        return text
    for kind, words in _KINDS.items():
        if isinstance(exc, kind):
            return words
    return "标签中的计算出错，请检查这个标签的写法"


_CJK = re.compile(r"[\u4e00-\u9fff]")
_KINDS = {
    TypeError: "数据类型不对（例如把文字当作数字、把数字当作日期使用），请检查这个标签的写法和过滤器",
    ZeroDivisionError: "标签中的计算除以了零",
}


def _undefined(message: str) -> str:
    """Jinja's UndefinedError messages ('x' is undefined, 'dict object' has no attribute 'y') in Chinese."""
    if m := re.search(r"'(.+)' is undefined", message):
        return f"模板用了变量 {m.group(1)}，但数据里没有这一项，请检查拼写"
    if m := re.search(r"has no attribute '(.+)'", message):
        return f"模板用了 {m.group(1)} 这一项，但数据里没有，请检查拼写"
    return "模板用了数据里没有的一项，请检查标签中的变量名"


def _location(exc: BaseException, source: str) -> str:
    """Quote the failing paragraph and its tags: the source line Jinja reports (docxtpl puts each <w:p> on its own line)."""

    lineno = exc.lineno if isinstance(exc, jinja2.TemplateSyntaxError) else _template_line(exc)
    lines = source.splitlines()
    line = lines[lineno - 1] if lineno and lineno <= len(lines) else ""
    text = html.unescape(re.sub(r"<[^>]+>", "", line)).strip()
    tags = [m.group(0) for m in TAG.finditer(text)]
    if not tags:
        return ""
    start = max(0, text.find(tags[0]) - _AROUND)
    end = min(len(text), text.rfind(tags[-1]) + len(tags[-1]) + _AROUND, start + _SHOWN)
    shown = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return f"。出错的标签：{'、'.join(tags)}（所在段落：「{shown}」）"


def _template_line(exc: BaseException) -> int | None:
    """The template line a runtime error happened on: Jinja rewrites tracebacks to name it as <template>."""
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def package_bytes(package) -> bytes:
    """Save a python-docx package as docx.opc.pkgwriter.PackageWriter does, with fixed zip timestamps.

    One pass instead of save-then-rewrite: compressing the parts is most of a render's cost.
    """
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        def put(uri, blob: bytes) -> None:
            z.writestr(zipfile.ZipInfo(uri.membername, date_time=_ZIP_EPOCH), blob, compress_type=zipfile.ZIP_DEFLATED)

        put(CONTENT_TYPES_URI, _ContentTypesItem.from_parts(parts).blob)
        put(PACKAGE_URI.rels_uri, package.rels.xml)
        for part in parts:
            put(part.partname, part.blob)
            if len(part.rels):
                put(part.partname.rels_uri, part.rels.xml)
    return out.getvalue()


def normalise_zip(blob: bytes) -> bytes:
    """Rewrite a DOCX zip with fixed timestamps and attributes, keeping member order and content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()
