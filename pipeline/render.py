"""Render one Word template with one context into DOCX bytes that are the same on every run."""
from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path
from typing import Any, Mapping

import jinja2
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem  # private, but stable in the pinned python-docx
from docxtpl import DocxTemplate

from pipeline.errors import TemplateError

# A fixed timestamp for every zip member, so the same inputs give byte-identical DOCX files.
_ZIP_EPOCH = (2000, 1, 1, 0, 0, 0)


def make_render_environment() -> jinja2.Environment:
    """The project's sandboxed Jinja environment, compiling each template source once per run."""
    from pipeline.jinja_env import make_environment

    env = make_environment()
    # docxtpl calls env.from_string() on the same patched XML for every document of a family;
    # compiling it once per source makes rendering a family several times faster.
    env.from_string = functools.lru_cache(maxsize=64)(env.from_string)  # type: ignore[method-assign]
    return env


@functools.lru_cache(maxsize=64)
def _template_bytes(path: str, mtime_ns: int) -> bytes:
    return Path(path).read_bytes()


def render_docx(template: Path, context: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """Render template with context; raise TemplateError naming the template and the text around the tag."""
    stat = template.stat()
    tpl = DocxTemplate(io.BytesIO(_template_bytes(str(template), stat.st_mtime_ns)))
    try:
        tpl.render(dict(context), jinja_env=env, autoescape=True)
    except jinja2.TemplateError as exc:
        around = getattr(exc, "docx_context", None)
        text = " ".join(line.strip() for line in around or () if line.strip())
        detail = f"。出错处附近的文字：「{text}」" if text else ""
        raise TemplateError(f"模板 {template.name} 无法生成：{_describe(exc)}{detail}") from exc
    return package_bytes(tpl.docx.part.package)


def _describe(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"模板中使用了不存在的变量（{exc.message}）"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"标签写法有误（{exc.message}）"
    return str(exc)


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
