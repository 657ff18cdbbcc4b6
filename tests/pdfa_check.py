"""The PDF/A-2b rules (ISO 19005-2:2011) a test can check mechanically, plus the page-validation validator.

Run as `python -m tests.pdfa_check file.pdf …` to print both reports. The checks here are our own and
independent of pipeline/engine/pdfa.py: they read the file with pypdf and lxml only.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import page
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {"rdf": RDF, "pdfaid": "http://www.aiim.org/pdfa/ns/id/", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/"}
FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData"}  # 6.5.1


def xmp_value(root: etree._Element, prefix: str, name: str) -> str | None:
    """A simple XMP property, written as an attribute or as an element (both are valid RDF)."""
    key = f"{{{NS[prefix]}}}{name}"
    for desc in root.iter(f"{{{RDF}}}Description"):
        if key in desc.attrib:
            return desc.attrib[key]
    found = root.find(f".//{prefix}:{name}", NS)
    if found is None:
        return None
    items = found.findall(".//rdf:li", NS)
    return items[0].text if len(items) == 1 else (found.text if not items else None)


def pdf_date(value: str) -> dt.datetime:
    """Parse an Info date D:YYYYMMDDHHmmSS+HH'mm' (ISO 32000-1 7.9.4)."""
    m = re.fullmatch(r"D:(\d{14})(Z'?|[+-]\d\d'\d\d'?)?", value)
    stamp = dt.datetime.strptime(m.group(1), "%Y%m%d%H%M%S")
    zone = (m.group(2) or "Z").replace("'", "")
    return stamp.replace(tzinfo=dt.timezone.utc) if zone == "Z" else dt.datetime.strptime(
        m.group(1) + zone, "%Y%m%d%H%M%S%z")


def _fonts(resources, seen: set[int]):
    """Every font dictionary reachable from a resource dictionary, form XObjects included."""
    if not isinstance(resources, DictionaryObject):
        return
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        yield font
        yield from (d.get_object() for d in font.get("/DescendantFonts", []))
    for xobject in (resources.get("/XObject") or {}).values():
        ref = xobject.idnum if hasattr(xobject, "idnum") else id(xobject)
        xobject = xobject.get_object()
        if ref not in seen and xobject.get("/Subtype") == "/Form":
            seen.add(ref)
            yield from _fonts(xobject.get("/Resources"), seen)


def _actions(reader: PdfReader):
    """Every action dictionary the catalog, the pages and their annotations carry."""
    root = reader.trailer["/Root"]
    holders = [root, *reader.pages]
    holders += [a.get_object() for p in reader.pages for a in (p.get("/Annots") or [])]
    for holder in holders:
        for key in ("/OpenAction", "/A"):  # an /OpenAction may also be a destination array
            action = holder[key].get_object() if key in holder else None
            if isinstance(action, DictionaryObject):
                yield action
        for action in (holder.get("/AA") or {}).values():
            yield action.get_object()


def findings(path: Path) -> list[str]:
    """Every rule below that the file breaks, one line each; [] when it passes all of them."""
    out: list[str] = []
    raw = path.read_bytes()
    # 6.1.2: header %PDF-1.n, then a comment of at least four bytes above 127.
    lines = raw.split(b"\n", 2)
    if not re.fullmatch(rb"%PDF-1\.[0-7]\r?", lines[0]) or not (
            lines[1].startswith(b"%") and sum(b > 127 for b in lines[1][1:5]) == 4):
        out.append("6.1.2 header: not %PDF-1.n followed by a binary comment")
    reader = PdfReader(path)
    trailer, root = reader.trailer, reader.trailer["/Root"]
    if "/Encrypt" in trailer:
        out.append("6.1.3 encryption: trailer has /Encrypt")
    if len(trailer.get("/ID") or []) != 2:
        out.append("6.1.3 file identifier: trailer has no /ID of two strings")
    intents = [i.get_object() for i in root.get("/OutputIntents") or []]
    pdfa_intents = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if len(pdfa_intents) != 1:
        out.append(f"6.2.3 output intent: {len(pdfa_intents)} /GTS_PDFA1 output intents, not 1")
    else:
        icc = pdfa_intents[0].get("/DestOutputProfile")
        data = icc.get_object().get_data() if icc is not None else b""
        if data[36:40] != b"acsp" or data[16:20] != b"RGB ":
            out.append("6.2.3 output intent: /DestOutputProfile is not an embedded RGB ICC profile")
    seen: set[int] = set()
    for number, pg in enumerate(reader.pages, 1):
        for font in _fonts(pg.get("/Resources"), seen):
            if font.get("/Subtype") in ("/Type0", "/Type3"):
                continue  # Type0 fonts embed through their descendant; Type3 glyphs are content streams
            desc = font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                out.append(f"6.2.11.4 fonts: {font.get('/BaseFont')} on page {number} is not embedded")
    for action in _actions(reader):
        if action.get("/S") in FORBIDDEN_ACTIONS:
            out.append(f"6.5.1 actions: a {action['/S']} action")
    if "/JavaScript" in (root.get("/Names") or {}):
        out.append("6.5.1 actions: the catalog's name tree holds JavaScript")
    out += _metadata_findings(reader)
    return out


def _metadata_findings(reader: PdfReader) -> list[str]:
    """6.6: one XMP stream, unfiltered, with PDF/A identification part 2 / B, agreeing with Info (6.6.3)."""
    meta = reader.trailer["/Root"].get("/Metadata")
    if meta is None:
        return ["6.6.2 metadata: the catalog has no /Metadata stream"]
    meta = meta.get_object()
    out = []
    if meta.get("/Type") != "/Metadata" or meta.get("/Subtype") != "/XML":
        out.append("6.6.2 metadata: the stream is not /Type /Metadata /Subtype /XML")
    xmp = etree.fromstring(meta.get_data())
    part, level = xmp_value(xmp, "pdfaid", "part"), xmp_value(xmp, "pdfaid", "conformance")
    if (part, level) != ("2", "B"):
        out.append(f"6.6.4 identification: pdfaid:part={part} pdfaid:conformance={level}, not 2/B")
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else {}
    pairs = [("/Title", "dc", "title"), ("/Author", "dc", "creator"), ("/Producer", "pdf", "Producer"),
             ("/Creator", "xmp", "CreatorTool"), ("/CreationDate", "xmp", "CreateDate"),
             ("/ModDate", "xmp", "ModifyDate")]
    for key, prefix, name in pairs:
        value, twin = info.get(key), xmp_value(xmp, prefix, name)
        if value is None:
            continue
        same = (pdf_date(value) == dt.datetime.fromisoformat(twin) if twin and key.endswith("Date")
                else value == twin)
        if not same:
            out.append(f"6.6.3 Info {key} = {value!r} but XMP {prefix}:{name} = {twin!r}")
    return out


def validator_report(path: Path) -> page.ValidationReport:
    """The page-validation validator's PDF/A-2b report."""
    return page.validate_pdf(path, profile="2b")


def describe(path: Path) -> str:
    """Both reports, as printed in the closing note."""
    ours = findings(path)
    report = validator_report(path)
    verdict = "compliant" if report.is_compliant else "non-conformant"
    lines = [f"{path}:",
             f"  own checks (6.1.2 header, 6.1.3 encryption and /ID, 6.2.3 output intent, 6.2.11.4 fonts, "
             f"6.5.1 actions, 6.6 XMP identification and Info agreement): {'pass' if not ours else 'FAIL'}",
             *[f"    {line}" for line in ours],
             f"  page-validation {page.__version__} PDF/A-2b: {verdict}, {report.rules.total} rules, "
             f"{report.rules.failed} failed",
             *[f"    {f.rule_id}: {f.message[:160]}" for f in report.failures]]
    return "\n".join(lines)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(describe(Path(arg)))
