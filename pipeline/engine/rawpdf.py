"""Copy pages between PDFs as bytes: split a converted piece into papers and merge papers into bundles.

pypdf parses every object it copies into Python objects and writes them out again; at seed 1's scale that
is most of a build's Python time after rendering (2,000 pages split once and merged three times). The
files copied here are LibreOffice's PDF/A exports and what this module wrote from them: one revision, a
classic cross-reference table, no object streams. An object is copied as its bytes with only its
references renumbered; a stream's data is never decoded. Objects whose bytes come out the same (the font
subsets every paper of a piece shares) are written once (ISO 32000-1 7.3.10: any number of references may
point at one object).

A file or page this module does not handle exactly (another layout of the cross-reference, attributes a
page inherits from its page tree, annotations, a member's own bookmarks, a reference cycle) raises
Unsupported before anything is written, and the caller copies with pypdf instead (pipeline/engine/bundle.py).
"""
from __future__ import annotations

import bisect
import hashlib
import re
import zlib
from collections.abc import Sequence
from pathlib import Path

from pipeline.engine.pdfa import PRODUCER, DocumentInfo, xmp_packet


class Unsupported(Exception):
    """The file is not one this module copies exactly: the caller uses pypdf."""


STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
XREF_LINE = re.compile(rb"(\d+) (\d+)(?: ([nf]))?\s*?[\r\n ]")
OBJ = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
# A reference "12 0 R": not the tail of a name or a number (/F1 2 0 R is /F1 then 2 0 R).
REF = re.compile(rb"(?<![\w.+-])(\d+)\s+(\d+)\s+R(?![\w])")
KEY_REF = {key: re.compile(rb"/" + key + rb"\s*(\d+)\s+0\s+R") for key in (b"Root", b"Info", b"Pages", b"Outlines")}
DELIMS = re.compile(rb"[()<>\[\]\\%]")
INHERITED = (b"/Resources", b"/MediaBox", b"/CropBox", b"/Rotate")  # 7.7.3.4
PARENT = re.compile(rb"/Parent\s*\d+\s+\d+\s+R")
STRUCT_PARENTS = re.compile(rb"/StructParents\s*\d+")  # the structure tree is not copied (as pypdf does)
FONT_FILE = re.compile(rb"/FontFile\s*(\d+)\s+0\s+R")
BINARY_HEADER = b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n"  # PDF/A-2b 6.1.2: a comment of four bytes above 127


def _string_end(data: bytes, i: int) -> int:
    """The index after the literal string starting at data[i] == "(" (7.3.4.2: balanced parentheses, \\ escapes)."""
    depth, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise Unsupported("unterminated string")


def _value_end(data: bytes, i: int) -> int:
    """The index after the direct value starting at data[i]: a dictionary, array or string, skipping strings."""
    opener = data[i:i + 2]
    if opener[:1] == b"(":
        return _string_end(data, i)
    if opener == b"<<" or opener[:1] == b"[":
        depth = 0
        while True:
            m = DELIMS.search(data, i)
            if m is None:
                raise Unsupported("unbalanced value")
            i, c = m.start(), data[m.start()]
            if c == 0x28:
                i = _string_end(data, i)
                continue
            if data.startswith(b"<<", i) or c == 0x5B:
                depth += 1
                i += 2 if c == 0x3C else 1
            elif data.startswith(b">>", i) or c == 0x5D:
                depth -= 1
                i += 2 if c == 0x3E else 1
                if depth == 0:
                    return i
            elif c == 0x3C:  # a hexadecimal string: it holds no delimiter
                i = data.index(b">", i) + 1
            elif c == 0x25:  # a comment (7.2.4): it may hold any delimiter
                raise Unsupported("a comment inside an object")
            else:
                i += 1
    raise Unsupported("not a dictionary, array or string")


COMMENT_OR_STRING = re.compile(rb"[(%]")


def _outside_strings(head: bytes) -> list[tuple[int, int, bool]]:
    """head cut into (start, end, is_string) spans, so references are looked for only outside literal strings.
    Unsupported for a comment (7.2.4): its text may hold "(" or "N 0 R" that are neither a string nor a reference."""
    if b"(" not in head and b"%" not in head:
        return [(0, len(head), False)]
    spans, i = [], 0
    while (m := COMMENT_OR_STRING.search(head, i)) is not None:
        j = m.start()
        if head[j] == 0x25:
            raise Unsupported("a comment inside an object")
        end = _string_end(head, j)
        spans += [(i, j, False), (j, end, True)]
        i = end
    return spans + [(i, len(head), False)]


def refs(head: bytes) -> list[int]:
    """The object numbers head refers to; Unsupported for a generation other than 0 (LibreOffice writes none)."""
    out = []
    for start, end, is_string in _outside_strings(head):
        if is_string:
            continue
        for m in REF.finditer(head, start, end):
            if m[2] != b"0":
                raise Unsupported("object generation other than 0")
            out.append(int(m[1]))
    return out


def renumber(head: bytes, numbers: dict[int, int]) -> bytes:
    """head with every reference N 0 R outside strings replaced by numbers[N] 0 R."""
    parts = []
    for start, end, is_string in _outside_strings(head):
        piece = head[start:end]
        parts.append(piece if is_string else REF.sub(lambda m: b"%d 0 R" % numbers[int(m[1])], piece))
    return b"".join(parts)


WS = re.compile(rb"\s*")
NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*")
SIMPLE = re.compile(rb"\d+\s+\d+\s+R|/[^\s/<>\[\]()%{}]*|[^\s/<>\[\]()%{}]+")


def _span_end(head: bytes, i: int) -> int:
    """The index after the value starting at head[i]."""
    if head.startswith((b"(", b"[", b"<<"), i):
        return _value_end(head, i)
    if head.startswith(b"<", i):  # a hexadecimal string
        return head.index(b">", i) + 1
    m = SIMPLE.match(head, i)
    if m is None:
        raise Unsupported("no value")
    return m.end()


def value_of(head: bytes, key: bytes) -> bytes | None:
    """The raw value of a top-level key of the dictionary head: a reference, number, name or direct value."""
    if not head.startswith(b"<<"):
        raise Unsupported("not a dictionary")
    i = 2
    while True:
        i = WS.match(head, i).end()
        if i >= len(head) or head.startswith(b">>", i):
            return None
        name = NAME.match(head, i)
        if name is None:
            raise Unsupported("a dictionary key that is not a name")
        i = WS.match(head, name.end()).end()
        end = _span_end(head, i)
        if name[0] == key:
            return head[i:end]
        i = end


class Source:
    """One PDF's objects as bytes, by number."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data = self.data = path.read_bytes()
        m = STARTXREF.search(data, max(0, len(data) - 1024))
        if m is None:
            raise Unsupported("no startxref")
        xref = int(m[1])
        if not data.startswith(b"xref", xref):
            raise Unsupported("a cross-reference stream")
        trailer_at = data.find(b"trailer", xref)
        if trailer_at == -1:
            raise Unsupported("no trailer")
        self.trailer = data[trailer_at + 7:data.find(b"startxref", trailer_at)].strip()
        if any(key in self.trailer for key in (b"/Prev", b"/Encrypt", b"/XRefStm")):
            raise Unsupported("more than one revision, or encrypted")
        offsets: dict[int, int] = {}
        number = None
        for line in XREF_LINE.finditer(data, xref + 4, trailer_at):
            if line[3] is None:  # a subsection: first object number, count
                number = int(line[1])
                continue
            if number is None:
                raise Unsupported("cross-reference entry before a subsection")
            if line[3] == b"n":
                if line[2] != b"00000":
                    raise Unsupported("object generation other than 0")
                offsets[number] = int(line[1])
            number += 1
        self.offsets = offsets
        self._number_at = {offset: num for num, offset in offsets.items()}
        self._starts = sorted(offsets.values())
        ends = self._starts + [xref]
        self._end = dict(zip(ends, ends[1:]))
        self._parts: dict[int, tuple[bytes, bytes]] = {}
        self.root = self._key_ref(self.trailer, b"Root")
        catalog = self.head(self.root)
        if b"/Encrypt" in catalog:
            raise Unsupported("encrypted")
        self.catalog = catalog
        self.pages = self._page_list(self._key_ref(catalog, b"Pages"))

    def _key_ref(self, head: bytes, key: bytes) -> int:
        m = KEY_REF[key].search(head)
        if m is None:
            raise Unsupported(f"no /{key.decode()} reference")
        return int(m[1])

    def parts(self, num: int) -> tuple[bytes, bytes]:
        """An object's head (its dictionary or value) and, for a stream, the bytes from "stream" to "endstream"."""
        if num not in self._parts:
            if num not in self.offsets:
                raise Unsupported(f"object {num} is not in the cross-reference table")
            start = self.offsets[num]
            chunk = self.data[start:self._end[start]]
            m = OBJ.match(chunk)
            if m is None or int(m[1]) != num:
                raise Unsupported(f"object {num} is not where the table says")
            body = chunk[m.end():chunk.rindex(b"endobj")].strip()
            # The chunk runs to the next object in the table: bytes of an object not in it (a free entry's old
            # object) would be copied as part of this one, and a page's /Parent written into them.
            if body.endswith(b"endstream"):
                end = _value_end(body, 0)
                head, stream = body[:end], body[end:].lstrip()
                self._data_span(head, stream)
                self._parts[num] = (head, stream)
            else:
                if _span_end(body, 0) != len(body):
                    raise Unsupported(f"object {num} is not one value")
                self._parts[num] = (body, b"")
        return self._parts[num]

    def _data_span(self, head: bytes, stream: bytes) -> tuple[int, int]:
        """Where a stream's data lies in its part: after "stream" and its end of line, /Length bytes (7.3.8.1).
        Unsupported unless "endstream" follows right after them."""
        length = value_of(head, b"/Length") or b""
        if (ref := REF.fullmatch(length)) is not None:
            length = self.head(int(ref[1]))
        start = re.match(rb"stream\r?\n", stream)
        if start is None or not length.isdigit():
            raise Unsupported("a stream without its keyword or length")
        end = start.end() + int(length)
        if stream[end:].strip() != b"endstream":
            raise Unsupported("a stream whose data is not its /Length")
        return start.end(), end

    def head(self, num: int) -> bytes:
        return self.parts(num)[0]

    def _page_list(self, node: int) -> list[int]:
        """The page objects in order; a page's attributes inherited from its page tree (7.7.3.4) are kept in
        self.inherited, to be written into its own dictionary when it is copied."""
        out: list[int] = []
        self.inherited: dict[int, bytes] = {}
        todo: list[tuple[int, dict[bytes, bytes]]] = [(node, {})]
        seen = set()
        while todo:
            num, given = todo.pop()
            if num in seen:
                raise Unsupported("a cycle in the page tree")
            seen.add(num)
            head = self.head(num)
            kind = value_of(head, b"/Type")
            if kind == b"/Pages":
                given = {**given, **{key: v for key in INHERITED if (v := value_of(head, key)) is not None}}
                kids = value_of(head, b"/Kids") or b"[]"
                if (ref := REF.fullmatch(kids)) is not None:
                    kids = self.head(int(ref[1]))
                todo.extend((kid, given) for kid in reversed(refs(kids)))
            elif kind == b"/Page":
                if value_of(head, b"/Annots") is not None:
                    raise Unsupported("a page with annotations")
                extra = b"".join(key + b" " + v for key, v in given.items() if value_of(head, key) is None)
                if extra:
                    self.inherited[num] = extra
                if value_of(head, b"/MediaBox") is None and b"/MediaBox" not in extra:
                    raise Unsupported("a page without a media box")
                out.append(num)
            else:
                raise Unsupported("a page tree node of no known type")
        return out

    def stream_data(self, num: int) -> bytes:
        """A stream's data, decoded when it is deflated (7.4.4); Unsupported for any other filter."""
        head, stream = self.parts(num)
        start, end = self._data_span(head, stream)
        data = stream[start:end]
        kind = value_of(head, b"/Filter")
        if kind is None:
            return data
        if kind != b"/FlateDecode" or value_of(head, b"/DecodeParms") is not None:
            raise Unsupported("a stream filter other than plain FlateDecode")
        return zlib.decompress(data)

    def font_programs(self) -> list[int]:
        """The Type 1 font programs (/FontFile) the file's font descriptors embed."""
        found = set()
        for m in FONT_FILE.finditer(self.data):
            num = int(m[1])
            if b"/FontDescriptor" in self.head(self._holder(m.start())):
                found.add(num)
        return sorted(found)

    def _holder(self, position: int) -> int:
        """The number of the object whose bytes hold position."""
        starts = self._starts
        i = bisect.bisect_right(starts, position) - 1
        if i < 0:
            raise Unsupported("a position before the first object")
        return self._number_at[starts[i]]

    def has_bookmarks(self) -> bool:
        outlines = KEY_REF[b"Outlines"].search(self.catalog)
        return outlines is not None and b"/First" in self.head(int(outlines[1]))

    def author(self) -> str:
        m = KEY_REF[b"Info"].search(self.trailer)
        value = value_of(self.head(int(m[1])), b"/Author") if m else None
        if value is not None and (ref := REF.fullmatch(value)) is not None:
            value = self.head(int(ref[1]))
        if value is not None and not value.startswith((b"(", b"<")):
            raise Unsupported("an /Author that is not a string")
        return decode_text(value) if value else ""


def decode_text(value: bytes) -> str:
    """A PDF text string (7.9.2.2), literal or hexadecimal, UTF-16BE with its mark or PDFDocEncoding."""
    if value.startswith(b"<"):
        raw = bytes.fromhex(re.sub(rb"\s", b"", value[1:-1]).decode("ascii"))
    else:
        raw = re.sub(rb"\\([nrtbf()\\]|[0-7]{1,3}|\r\n|\r|\n)", _unescape, value[1:-1])
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return raw.decode("latin-1")


def _unescape(m: re.Match) -> bytes:
    e = m[1]
    simple = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
    if e in simple:
        return simple[e]
    if e[:1].isdigit():
        return bytes([int(e, 8) & 0xFF])
    return b""  # a line continuation


def text_string(text: str) -> bytes:
    """A text string for Info and bookmarks (7.9.2.2): ASCII as a literal string (dates must be), anything else
    UTF-16BE with its byte order mark, in hexadecimal."""
    if text.isascii() and text.isprintable():
        return b"(" + text.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


class Writer:
    """A new PDF/A-2b file made of pages copied from Sources."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = [BINARY_HEADER]
        self.size = len(BINARY_HEADER)
        self.offsets: dict[int, int] = {}
        self.next = 1
        self.by_content: dict[bytes, int] = {}
        self.copied: dict[tuple[int, int], int] = {}  # (id of source, its number) → number here
        self.kids: list[int] = []
        self.pages_num = self._reserve()
        self.sizes: list[bytes] = []  # each page's /MediaBox, for a blank page after it

    def _reserve(self) -> int:
        num, self.next = self.next, self.next + 1
        return num

    def _write(self, num: int, body: bytes) -> None:
        self.offsets[num] = self.size
        chunk = b"%d 0 obj\n%s\nendobj\n" % (num, body)
        self.chunks.append(chunk)
        self.size += len(chunk)

    def _add(self, body: bytes, dedupe: bool = True) -> int:
        key = hashlib.sha1(body).digest()
        if dedupe and key in self.by_content:
            return self.by_content[key]
        num = self._reserve()
        self._write(num, body)
        if dedupe:
            self.by_content[key] = num
        return num

    def _copy(self, src: Source, num: int, active: set[int]) -> int:
        """The number here of src's object num and everything it refers to, written children first."""
        key = (id(src), num)
        if key in self.copied:
            return self.copied[key]
        if num in active:
            raise Unsupported("a reference cycle")
        active.add(num)
        head, stream = src.parts(num)
        numbers = {child: self._copy(src, child, active) for child in refs(head)}
        active.discard(num)
        body = renumber(head, numbers) + (b"\n" + stream if stream else b"")
        self.copied[key] = new = self._add(body)
        return new

    def add_page(self, src: Source, index: int) -> None:
        num = src.pages[index]
        head = STRUCT_PARENTS.sub(b"", PARENT.sub(b"", src.head(num)))
        if num in src.inherited:
            head = head[:head.rindex(b">>")] + src.inherited[num] + b">>"
        numbers = {child: self._copy(src, child, {num}) for child in refs(head)}
        head = renumber(head, numbers)
        body = head[:head.rindex(b">>")] + b"/Parent %d 0 R>>" % self.pages_num
        self.kids.append(self._add(body, dedupe=False))  # two pages are never one object
        self.sizes.append(value_of(head, b"/MediaBox") or b"[0 0 595.28 841.89]")

    def add_blank_page(self) -> None:
        """A blank page the size of the last one (two-sided printing: the next paper starts on a recto)."""
        size = self.sizes[-1]
        self.kids.append(self._add(b"<</Type/Page/Parent %d 0 R/Resources<<>>/MediaBox %s>>"
                                   % (self.pages_num, size), dedupe=False))
        self.sizes.append(size)

    def finish(self, info: DocumentInfo, intents_from: Source, bookmarks: Sequence[tuple[str, int]] = ()) -> bytes:
        """The file: the page tree, bookmarks (title, 0-based page), the output intent of intents_from, XMP
        metadata and Info agreeing with each other (PDF/A-2b 6.6.3), a file identifier (6.1.3)."""
        intents = value_of(intents_from.catalog, b"/OutputIntents")
        if not intents:
            raise ValueError("the source PDF has no /OutputIntents: it was not exported as PDF/A")
        intents = renumber(intents, {c: self._copy(intents_from, c, set()) for c in refs(intents)})
        self._write(self.pages_num, b"<</Type/Pages/Kids[%s]/Count %d>>"
                    % (b" ".join(b"%d 0 R" % k for k in self.kids), len(self.kids)))
        catalog = b"<</Type/Catalog/Pages %d 0 R" % self.pages_num
        if bookmarks:
            outlines = self._reserve()
            items = [self._reserve() for _ in bookmarks]
            for i, ((title, page), num) in enumerate(zip(bookmarks, items)):
                links = b"".join(b"/%s %d 0 R" % (name, items[j]) for name, j in ((b"Prev", i - 1), (b"Next", i + 1))
                                 if 0 <= j < len(items))
                self._write(num, b"<</Title %s/Parent %d 0 R%s/Count 0/A<</S/GoTo/D[%d 0 R/Fit]>>>>"
                            % (text_string(title), outlines, links, self.kids[page]))
            self._write(outlines, b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>"
                        % (items[0], items[-1], len(items)))
            catalog += b"/Outlines %d 0 R" % outlines
        xmp = xmp_packet(info)
        meta = self._add(b"<</Type/Metadata/Subtype/XML/Length %d>>\nstream\n%s\nendstream" % (len(xmp), xmp), False)
        root = self._add(catalog + b"/OutputIntents %s/Metadata %d 0 R>>" % (intents, meta), dedupe=False)
        fields = [(b"Title", info.title), (b"Author", info.author), (b"Producer", PRODUCER),
                  (b"CreationDate", info.pdf_date()), (b"ModDate", info.pdf_date())]
        info_num = self._add(b"<<" + b"".join(b"/%s %s" % (k, text_string(v)) for k, v in fields) + b">>", False)
        body = b"".join(self.chunks)
        identity = hashlib.md5(body).hexdigest().upper().encode()
        xref = [b"xref\n0 %d\n0000000000 65535 f \n" % self.next]
        xref += [b"%010d 00000 n \n" % self.offsets[num] for num in range(1, self.next)]
        trailer = (b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
                   % (self.next, root, info_num, identity, identity, len(body)))
        return body + b"".join(xref) + trailer

    @property
    def page_count(self) -> int:
        return len(self.kids)
