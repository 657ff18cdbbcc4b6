"""Find personal data in public papers (docs/reference.md, 公开字段): a helper for tests.

A public paper (公示) never carries 身份证号, phone numbers or home addresses. The scanner looks for
- every listed applicant's 身份证号, phone and address, also with spaces, dashes or line breaks inside,
  in full-width digits, and in masked forms that still show more than MAX_VISIBLE characters
  (a public paper has no reason to show even part of them; "last four" is the most we tolerate);
- anything shaped like an 18-character ID number or an 11-digit mobile number, whoever's it is.
Office numbers (the 受理电话 in campaign.toml [notice]) are landlines and are not flagged unless an
applicant gave the same number.
"""
from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from typing import Iterable

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_TAGS = {W + "t", W + "delText", W + "instrText"}
BREAK_TAGS = {W + "br", W + "cr"}
# Characters people and layout engines put inside numbers: spaces, line breaks, dashes, dots, brackets.
SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_·.()/]+")
MASK = "*×●○"
MAX_VISIBLE = 4  # a masked form showing at most the last four characters is not flagged
ID_SHAPE = re.compile(r"(?<![0-9])\d{6}[ \t\-]?\d{4}[ \t\-]?\d{4}[ \t\-]?\d{3}[0-9Xx](?![0-9A-Za-z])")
MOBILE_SHAPE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ \t\-]?)?1[3-9]\d[ \t\-]?\d{4}[ \t\-]?\d{4}(?![0-9])")
MASKED_MOBILE_SHAPE = re.compile(rf"(?<![0-9])1[3-9]\d[{re.escape(MASK)}]{{4}}\d{{4}}(?![0-9])")
MASK_RUN = re.compile(rf"[{re.escape(MASK)}]+")
# Leading administrative divisions, stripped to get the street part of an address.
DIVISION = re.compile(r"^.{1,12}?(?:省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗|镇|乡|街道)")
MIN_ADDRESS = 6  # shorter address parts are too vague to be anyone's home
BUILDING = (("号楼", "幢"), ("栋", "幢"), ("座", "幢"))


# --- text out of papers ---

def docx_text(path: Path) -> str:
    """Return all text of a .docx: body, tables, text boxes, headers, footers, notes, comments, properties."""
    parts = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if re.fullmatch(r"(word|docProps|customXml)/[^/]+\.xml", name):
                parts.append(_xml_text(etree.fromstring(z.read(name))))
    return "\n".join(p for p in parts if p.strip())


def _xml_text(root) -> str:
    out: list[str] = []
    _walk(root, out)
    return "".join(out)


def _walk(element, out: list[str]) -> None:
    tag = element.tag
    if tag in TEXT_TAGS:
        out.append(element.text or "")
    elif tag == W + "tab":
        out.append("\t")
    elif tag in BREAK_TAGS:
        out.append("\n")
    elif not str(tag).startswith(W) and element.text and element.text.strip():
        out.append(element.text + "\n")  # docProps and custom XML: plain elements
    for child in element:
        _walk(child, out)
    if tag == W + "p":
        out.append("\n")


def pdf_text(path: Path) -> str:
    """Return the text of a PDF via poppler's pdftotext (reading order, no -layout)."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def xlsx_text(path: Path) -> str:
    """Return every cell value of every sheet of a .xlsx, one row a line."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows = ("\t".join("" if v is None else str(v) for v in row) for ws in wb for row in ws.iter_rows(values_only=True))
    return "\n".join(rows)


def paper_text(path: Path) -> str:
    """Return the text of a .docx, .pdf or .xlsx paper."""
    readers = {".docx": docx_text, ".pdf": pdf_text, ".xlsx": xlsx_text}
    return readers[Path(path).suffix.lower()](path)


def scan_paper(path: Path, applicants: Iterable) -> list[str]:
    """Return what personal data a paper carries, each finding prefixed by the file name."""
    return [f"{Path(path).name}: {f}" for f in find_personal_data(paper_text(path), applicants)]


# --- the scanner ---

def find_personal_data(text: str, applicants: Iterable) -> list[str]:
    """List every ID number, phone number or home address found in `text` (applicants: model.Applicant-like)."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits and ＊ become ASCII
    flat = SEPARATORS.sub("", text).upper()
    known: set[str] = set()
    findings: list[str] = []
    for person in applicants:
        name = getattr(person, "name", "?")
        id_number = (getattr(person, "id_number", "") or "").upper()
        if id_number:
            known.add(id_number)
            findings += _find_value(flat, id_number, f"{name}的身份证号")
        for phone in _phone_forms(getattr(person, "phone", "") or ""):
            known.add(phone)
            findings += _find_value(flat, phone, f"{name}的联系电话")
        findings += _find_address(text, getattr(person, "address", None), name)
    findings += _find_shapes(text, known)
    return list(dict.fromkeys(findings))


def _find_value(flat: str, value: str, label: str) -> list[str]:
    found = [f"{label}：{_around(flat, m.start(), len(value))}" for m in re.finditer(re.escape(value), flat)]
    for run in MASK_RUN.finditer(flat):
        shown, visible = _masked_form(flat, run.start(), run.end(), value)
        if visible > MAX_VISIBLE:
            found.append(f"{label}（遮盖不足，露出{visible}位）：{shown}")
    return found


def _masked_form(flat: str, s: int, e: int, value: str) -> tuple[str, int]:
    """Return the longest masked form of `value` around the mask run flat[s:e] and how many characters it shows."""
    n = len(value)
    head = max((k for k in range(n + 1) if flat[max(0, s - k):s] == value[:k] and s >= k), default=0)
    tail = max((k for k in range(n + 1) if flat[e:e + k] == value[n - k:] and e + k <= len(flat)), default=0)
    best = (flat[s - head:e + tail], head + tail)
    # Same length as the value, visible characters anywhere (e.g. only the birth date left showing).
    for i in range(max(0, e - n), min(s, len(flat) - n) + 1):
        window = flat[i:i + n]
        shown = [(c, v) for c, v in zip(window, value) if c not in MASK]
        if all(c == v for c, v in shown) and len(shown) > best[1]:
            best = (window, len(shown))
    return best


def _phone_forms(phone: str) -> list[str]:
    """Return the digit strings a phone number can be printed as: in full, and a landline without area code."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    forms = [digits] if len(digits) >= 7 else []
    if digits.startswith("0") and len(digits) >= 10:
        area = 3 if digits[1] in "12" else 4  # 010, 02x are three digits; other area codes four
        forms.append(digits[area:])
    return forms


def _find_address(text: str, address: str | None, name: str) -> list[str]:
    if not address:
        return []
    flat_text, flat_address = _address_key(text), _address_key(address)
    street = flat_address
    while (m := DIVISION.match(street)) and len(street) - m.end() >= MIN_ADDRESS:
        street = street[m.end():]
    for part in dict.fromkeys([flat_address, street]):
        if len(part) >= MIN_ADDRESS and part in flat_text:
            return [f"{name}的家庭住址：{part}"]
    return []


def _address_key(text: str) -> str:
    """Normalise an address for comparison: NFKC, no spaces or punctuation, one word for a building."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")
    for old, new in BUILDING:
        text = text.replace(old, new)
    return text


def _find_shapes(text: str, known: set[str]) -> list[str]:
    """Flag anything shaped like an ID number or a mobile number that the applicant search did not name."""
    found = []
    for pattern, label in ((ID_SHAPE, "疑似身份证号"), (MOBILE_SHAPE, "疑似手机号"), (MASKED_MOBILE_SHAPE, "疑似手机号（部分遮盖）")):
        for m in pattern.finditer(text):
            digits = SEPARATORS.sub("", m.group()).upper()
            if not any(k and k in digits for k in known):
                found.append(f"{label}：{m.group()}")
    return found


def _around(flat: str, start: int, length: int, margin: int = 8) -> str:
    return f"…{flat[max(0, start - margin):start + length + margin]}…"
