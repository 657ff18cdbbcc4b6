"""PDF/A-2b (ISO 19005-2:2011, conformance level B) for every PDF the build writes.

Every conversion leaves LibreOffice as PDF/A-2b (pipeline/engine/convert.py PDF_FILTER): fonts embedded, an sRGB
output intent. Splitting it into papers or merging papers into a bundle with pypdf keeps the pages but drops
the document-level parts; make_pdfa puts them back with the paper's or the bundle's own title: the output
intent (6.2.3), one XMP metadata stream identifying part 2, conformance B (6.6.4) and agreeing with the Info
dictionary (6.6.3), and a file identifier in the trailer (6.1.3).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from pipeline import __version__

PRODUCER = f"竞争上岗文书生成工具 {__version__}（pypdf 合并，LibreOffice 排版）"

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class DocumentInfo:
    """What an archive's catalogue reads from the file: title, author (the organisation), when it was made."""

    title: str
    author: str
    created: dt.datetime  # with its UTC offset

    def pdf_date(self) -> str:
        """The Info dictionary's date form (ISO 32000-1 7.9.4), e.g. D:20260620093000+08'00'."""
        offset = self.created.strftime("%z")
        return f"D:{self.created:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"

    def xmp_date(self) -> str:
        """The same instant in XMP's ISO 8601 form, which 6.6.3 requires to match the Info date."""
        return self.created.isoformat(timespec="seconds")


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _description(rdf: etree._Element, prefix: str) -> etree._Element:
    return etree.SubElement(rdf, _q("rdf", "Description"), {_q("rdf", "about"): ""}, nsmap={prefix: NS[prefix]})


def _leaf(parent: etree._Element, prefix: str, name: str, text: str) -> None:
    etree.SubElement(parent, _q(prefix, name)).text = text


def _list(parent: etree._Element, prefix: str, name: str, kind: str, text: str, **attrib: str) -> None:
    container = etree.SubElement(etree.SubElement(parent, _q(prefix, name)), _q("rdf", kind))
    etree.SubElement(container, _q("rdf", "li"), attrib).text = text


def xmp_packet(info: DocumentInfo) -> bytes:
    """The XMP metadata: PDF/A identification plus dc:title, dc:creator and the dates, as UTF-8 (6.6.2.1)."""
    meta = etree.Element(_q("x", "xmpmeta"), nsmap={"x": NS["x"]})
    rdf = etree.SubElement(meta, _q("rdf", "RDF"), nsmap={"rdf": NS["rdf"]})
    ident = _description(rdf, "pdfaid")
    _leaf(ident, "pdfaid", "part", "2")
    _leaf(ident, "pdfaid", "conformance", "B")
    dc = _description(rdf, "dc")
    _list(dc, "dc", "title", "Alt", info.title, **{XML_LANG: "x-default"})
    _list(dc, "dc", "creator", "Seq", info.author)
    xmp = _description(rdf, "xmp")
    _leaf(xmp, "xmp", "CreateDate", info.xmp_date())
    _leaf(xmp, "xmp", "ModifyDate", info.xmp_date())
    _leaf(_description(rdf, "pdf"), "pdf", "Producer", PRODUCER)
    body = etree.tostring(meta, encoding="utf-8")
    # The packet wrapper carries no bytes or encoding attribute (6.6.2.1); "w": may be edited in place.
    return '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'.encode() + body + b'\n<?xpacket end="w"?>'


def bundle_info(bundle_file: str, title: str, author: str) -> DocumentInfo:
    """A bundle's PDF/A metadata: title "<title><bundle>" (e.g. …竞争上岗归档), the author, now."""
    return DocumentInfo(f"{title}{Path(bundle_file).stem}", author, dt.datetime.now().astimezone())


def make_pdfa(writer: PdfWriter, intent_source: PdfReader, info: DocumentInfo) -> None:
    """Make a writer holding pages of PDF/A sources a PDF/A-2b document, taking the output intent from one."""
    intents = intent_source.trailer["/Root"].get("/OutputIntents")
    if not intents:
        raise ValueError("the source PDF has no /OutputIntents: it was not exported as PDF/A")
    root = writer.root_object
    root[NameObject("/OutputIntents")] = ArrayObject(o.clone(writer) for o in intents)
    writer.xmp_metadata = xmp_packet(info)  # left unfiltered, so an archive's tools read it without a PDF library
    root["/Metadata"].get_object().update({NameObject("/Type"): NameObject("/Metadata"),
                                           NameObject("/Subtype"): NameObject("/XML")})
    # These replace pypdf's own /Producer, which the XMP would not match (6.6.3).
    writer.add_metadata({"/Title": info.title, "/Author": info.author, "/Producer": PRODUCER,
                         "/CreationDate": info.pdf_date(), "/ModDate": info.pdf_date()})
    writer.generate_file_identifiers()
