"""身份证号 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence, ISO 7064 MOD 11-2 check."""
from __future__ import annotations

import datetime as dt
import re

from pipeline.campaign.cleaning import CellError, to_ascii

# GB 11643-1999 / ISO 7064 MOD 11-2: weight of each of the first 17 digits, and remainder -> check character.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Excel keeps 15 significant digits of a number; an 18-digit ID typed as a number loses the rest.
EXCEL_DIGITS = 15
PRECISION_LOST = "身份证号被存成了数字，末几位已丢失，请把该列设为文本格式后重新输入"


def check_digit(first17: str) -> str:
    """Return the check character for the first 17 digits (GB 11643-1999, 校验码: ISO 7064 MOD 11-2)."""
    if not re.fullmatch(r"\d{17}", first17):
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def make_id(region: str, birth_date: dt.date, seq: int) -> str:
    """Build a valid ID from a 6-digit region code, a birth date and a 3-digit sequence (odd = male)."""
    first17 = f"{region}{birth_date:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def mask_id(id_number: str) -> str:
    """Hide the middle of an ID for internal papers: 3201**********123X."""
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def birth_date_of(id_number: str) -> dt.date:
    """Return the birth date in digits 7-14 of a validated ID."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_of(id_number: str) -> str:
    """Return 男 or 女 from the 17th digit (GB 11643-1999, 顺序码: odd for men)."""
    return "男" if int(id_number[16]) % 2 else "女"


def _from_number(value: int | float) -> str:
    """Read an ID that a spreadsheet stored as a number; refuse it where digits were lost."""
    digits = str(int(value))
    significant = len(digits.rstrip("0"))
    exact = isinstance(value, int) and (significant > EXCEL_DIGITS or _check_ok(digits))
    if len(digits) > EXCEL_DIGITS and not exact:
        raise CellError(PRECISION_LOST, "id-precision-lost")
    return digits


def _check_ok(text: str) -> bool:
    return bool(re.fullmatch(r"\d{17}[\dX]", text)) and check_digit(text[:17]) == text[17]


def parse_id(value) -> str:
    """Validate an ID: 18 characters, a real birth date, the right check character; returns it with upper-case X."""
    text = _from_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    text = re.sub(r"\s+", "", to_ascii(text)).upper()
    if len(text) != 18:
        raise CellError(f"身份证号应为18位，现为{len(text)}位，请核对", "bad-id")
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise CellError("身份证号只能是数字，仅最后一位可以是 X，请核对", "bad-id")
    _check_birth(text)
    expected = check_digit(text[:17])
    if text[17] != expected:
        raise CellError(f"校验位应为 {expected}，现为 {text[17]}；号码中有错字，请对照身份证核对", "bad-id-check")
    return text


def _check_birth(text: str) -> None:
    try:
        born = birth_date_of(text)
    except ValueError:
        born = None
    if born is None or born.year < 1900:
        raise CellError(f"身份证号第7至14位 {text[6:14]} 不是有效的出生日期，请核对", "bad-id-birth")
