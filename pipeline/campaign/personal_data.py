"""Personal data that must not stand in text bound for a public paper (公示): one set of patterns.

A 公示 names people but never carries their 身份证号, phone numbers or home address (docs/使用说明.md,
三、填写表格). A free-text cell on the publication whitelist (姓名, 现工作单位及职务, 部门 …) can still
carry one, so the reader checks those cells and the planner checks every public paper's context again.

Shapes looked for (on NFKC text, so full-width digits count):
- 身份证号: 18 characters, the last a digit or X (GB 11643-1999), or the 15-digit first-generation number;
- 手机号: 11 digits 1[3-9]…, also with +86/0086 and spaces or dashes inside;
- 固定电话: 区号 0xx/0xxx then 7–8 digits, with or without dash or brackets; 7–8 digits after 电话/座机;
- 住址: 路/街/巷/弄/道 + number + 号, number + 栋/幢/单元/号楼, 小区 + number, a 3–4 digit 室.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

# Characters people put inside a number: spaces and the dashes a keyboard or Word produces.
_SEP = r"[ \t\-‐‑‒–—―−]"
_DIGIT_GROUP = re.compile(rf"(?<![0-9A-Za-z])\d(?:{_SEP}?\d)*(?:{_SEP}?[Xx])?(?![0-9A-Za-z])")
_SEPARATORS = re.compile(_SEP)
# 区号 in brackets before the number: (0512)58880000, （0512）5888 0000.
_BRACKET_LANDLINE = re.compile(r"[(（]\s*0\d{2,3}\s*[)）]\s*\d{3,4}" + rf"{_SEP}?\d{{4}}(?!\d)")
_KEYWORD_LANDLINE = re.compile(rf"(?:电话|座机|手机|联系方式|tel|Tel|TEL|☎)\D{{0,3}}[2-9]\d{{2,3}}{_SEP}?\d{{4}}(?!\d)")
_ADDRESS = (
    re.compile(r"(?:路|街|巷|弄|道|胡同)\s*\d+(?:\s*[-之]\s*\d+)?\s*号"),
    re.compile(r"\d+\s*(?:号楼|栋|幢|单元)"),
    re.compile(r"小区\s*\d+"),
    re.compile(r"(?<!\d)\d{3,4}\s*室"),
)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
MOBILE_PREFIXES = ("86", "0086")
VISIBLE = 3  # a masked finding shows at most its first and last three characters


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text: what it looks like, and the match masked for messages."""

    kind: str  # 身份证号, 手机号, 固定电话, 家庭住址, 本人身份证号 …
    masked: str


def mask(text: str) -> str:
    """Hide the middle of a match so that a message never repeats a full ID or phone number."""
    if len(text) <= 2 * VISIBLE:
        return text[:1] + "*" * (len(text) - 1)
    return text[:VISIBLE] + "*" * (len(text) - 2 * VISIBLE) + text[-VISIBLE:]


def _number_kind(digits: str) -> str | None:
    """Classify one run of digits (separators removed) as an ID number or a phone number, or None."""
    for prefix in ("",) + MOBILE_PREFIXES:
        if digits.startswith(prefix) and re.fullmatch(r"1[3-9]\d{9}", digits[len(prefix):]):
            return "手机号"
    if len(digits) in (15, 18) and digits[:-1].isdigit():
        return "身份证号"
    if re.fullmatch(r"0[1-9]\d{8,10}", digits):  # 区号 (2–3 digits after the 0) and a 7–8 digit number
        return "固定电话"
    return None


def shape_findings(text: str) -> list[Finding]:
    """Every ID-number, phone-number or house-address shape in text."""
    text = unicodedata.normalize("NFKC", text)
    found = []
    for m in _DIGIT_GROUP.finditer(text):
        digits = _SEPARATORS.sub("", m.group()).upper()
        kind = _number_kind(digits)
        if kind:
            found.append(Finding(kind, mask(digits)))
    for pattern in (_BRACKET_LANDLINE, _KEYWORD_LANDLINE):
        found += [Finding("固定电话", mask(m.group())) for m in pattern.finditer(text)]
    for pattern in _ADDRESS:
        found += [Finding("家庭住址", re.sub(r"\d", "*", m.group())) for m in pattern.finditer(text)]
    return list(dict.fromkeys(found))


def redact(text: str) -> str:
    """text with every ID or phone number in it masked, for a message that must quote it."""
    def masked(m: re.Match) -> str:
        return mask(m.group()) if _number_kind(_SEPARATORS.sub("", m.group()).upper()) else m.group()

    return _DIGIT_GROUP.sub(masked, unicodedata.normalize("NFKC", text))


def flat(text: str) -> str:
    """Letters and digits only (NFKC, upper case): 139-1234 5678 and 13912345678 compare equal."""
    return _NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", text)).upper()


def own_findings(text: str, id_number: str | None, phone: str | None, address: str | None) -> list[Finding]:
    """The person's own 身份证号, 联系电话 or 家庭住址 inside text, also with separators removed."""
    haystack = flat(text)
    found = []
    for kind, value, shortest in (("本人身份证号", id_number, 15), ("本人联系电话", phone, 7), ("本人家庭住址", address, 6)):
        needle = flat(value or "")
        if len(needle) >= shortest and needle in haystack:
            found.append(Finding(kind, mask(needle)))
    return found


def describe(findings: list[Finding]) -> str:
    """疑似手机号（133*****890）、家庭住址（滨江*****号）: for messages, masked."""
    return "、".join(f"{f.kind}（{f.masked}）" for f in findings)


def strings_in(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside a template context (dicts, lists, tuples of them), with its path (people[2].current_post)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings_in(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from strings_in(item, f"{where}[{i}]")
