"""Turn what clerks really type into clean values: text, dates, year-months, numbers, codes, phones.

Each parser returns a value or raises CellError with a Chinese message saying what to do.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from openpyxl.utils.datetime import from_excel

from pipeline.engine.safe_paths import unsafe_characters

YEAR_RANGE = (1900, 2100)
# Excel serial numbers for 1900-01-01 .. 2100-12-31 (1900 date system).
SERIAL_RANGE = (1, 73415)

# Full-width ASCII block U+FF01..U+FF5E maps onto U+0021..U+007E; U+3000 is the ideographic space.
_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TO_ASCII = {**_FULL_WIDTH, 0x3000: " ", 0x00A0: " ", 0x3002: ".", 0x2014: "-", 0x2013: "-",
             0x2010: "-", 0x2212: "-", 0x3001: "、"}
# Only digits, letters and spaces become half-width in free text; Chinese punctuation stays as typed.
_TEXT_WIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_TEXT_WIDTH.update({0x3000: " ", 0x00A0: " "})
_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")


class CellError(ValueError):
    """A cell value the reader cannot accept; `message` is for the clerk, `code` is stable."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def to_ascii(text: str) -> str:
    """Map full-width digits, letters, punctuation and spaces to ASCII, for parsing."""
    return text.translate(_TO_ASCII).strip()


def normalise_text(value) -> str:
    """Return a cell as tidy text: half-width digits and letters, one space, none between Chinese characters."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).translate(_TEXT_WIDTH).split())
    # Clerks pad two-character names to line up ("张　三"); Chinese puts no space between words.
    return _SPACE_BETWEEN_CJK.sub("", text)


def is_blank(value) -> bool:
    """Tell whether a cell holds nothing but blanks."""
    return value is None or (isinstance(value, str) and not to_ascii(value))


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _make_date(year: int, month: int, day: int) -> dt.date:
    _check_month(year, month)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"日期 {year}年{month}月{day}日 不存在，请核对后改正", "bad-date") from None


def _check_month(year: int, month: int) -> tuple[int, int]:
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise CellError(f"年份 {year} 不合理，请填写四位年份，如 1978", "bad-date")
    if not 1 <= month <= 12:
        raise CellError(f"月份 {month} 不存在，应为1至12，请改正", "bad-date")
    return year, month


_SEP = r"\s*(?P<sep>[-/.])\s*"
_DATE_PATTERNS = (
    re.compile(rf"^(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<d>\d{{1,2}})"
               r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(rf"^(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})$"),
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
)


def _date_groups(text: str) -> tuple[int, int, int] | None:
    m = next((m for p in _DATE_PATTERNS if (m := p.match(text))), None)
    return (int(m["y"]), int(m["m"]), int(m["d"])) if m else None


def _serial_to_date(number: float) -> dt.date:
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise CellError(f"无法识别的日期数值 {number}，请按 2020-06-01 的格式填写", "bad-date")
    return from_excel(int(number)).date()


def _number_to_date(number: int | float) -> dt.date:
    """Read a number in a date cell: an Excel serial, or 20200601 typed without separators."""
    if isinstance(number, float) and not number.is_integer():
        if YEAR_RANGE[0] <= number < YEAR_RANGE[1] + 1:
            raise CellError(f"{number} 被存成了数字，且缺少日；请把该列设为文本格式，按 2020-06-01 的格式重新输入",
                            "bad-date")
        return _serial_to_date(number)
    digits = str(int(number))
    if len(digits) == 8:
        return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:  # a bare year; as a serial it would mean a day in 1905
        raise CellError(f"只填了年份 {digits}，这里需要具体到日，如 2020-06-01", "bad-date")
    return _serial_to_date(number)


def parse_date(value) -> dt.date:
    """Read a full date: an Excel date, a serial number, 2020-06-01, 2020/6/1, 2020.06.01 or 2020年6月1日."""
    if isinstance(value, dt.date):  # datetime too: openpyxl hands back Excel dates as datetime
        return _make_date(value.year, value.month, value.day)
    if _is_number(value):
        return _number_to_date(value)
    text = to_ascii(str(value))
    groups = _date_groups(text)
    if groups:
        return _make_date(*groups)
    if _month_groups(text):
        raise CellError(f"「{text}」只有年月，这里需要具体到日，如 2020-06-01", "bad-date")
    raise CellError(f"无法识别的日期「{text}」，请按 2020-06-01 的格式填写", "bad-date")


def _month_groups(text: str) -> tuple[int, int] | None:
    m = next((m for p in _MONTH_PATTERNS if (m := p.match(text))), None)
    return (int(m["y"]), int(m["m"])) if m else None


def _float_to_month(number: float) -> tuple[int, int]:
    """Read 1978.05 stored as a number; 1978.1 is refused (January, or October that lost its 0?)."""
    year_part, _, fraction = f"{number:.6f}".rstrip("0").partition(".")
    if len(fraction) == 2:
        return _check_month(int(year_part), int(fraction))
    if fraction == "1":
        raise CellError(
            f"{number} 被存成了数字，分不清是1月还是10月（10月末尾的0会被表格软件去掉）；"
            f"请把该列设为文本格式，重新输入为 {year_part}.01 或 {year_part}.10", "ambiguous-number")
    if len(fraction) == 1:
        return _check_month(int(year_part), int(fraction))
    raise CellError(f"无法识别的年月「{number}」，请按 1978.05 的格式填写", "bad-date")


def _int_to_month(number: int) -> tuple[int, int]:
    digits = str(number)
    if len(digits) == 6:
        return _check_month(int(digits[:4]), int(digits[4:]))
    if YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
        raise CellError(f"只填了年份 {number}，缺少月份；请按 1978.05 的格式填写", "bad-date")
    date = _number_to_date(number)
    return date.year, date.month


def parse_yearmonth(value) -> tuple[int, int]:
    """Read a year and month: 1978.05, 1978-5, 1978年5月, 1978/05/01, an Excel date or 197805."""
    if isinstance(value, dt.date):
        return _check_month(value.year, value.month)
    if isinstance(value, float) and not value.is_integer():
        return _float_to_month(value)
    if _is_number(value):
        return _int_to_month(int(value))
    text = to_ascii(str(value))
    groups = _month_groups(text)
    if groups:
        return _check_month(*groups)
    if _date_groups(text):
        date = _make_date(*_date_groups(text))
        return date.year, date.month
    raise CellError(f"无法识别的年月「{text}」，请按 1978.05 的格式填写", "bad-date")


def parse_int(value) -> int:
    """Read a whole number such as 职数 or 年龄上限."""
    if _is_number(value) and float(value).is_integer():
        return int(value)
    text = to_ascii(str(value))
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(Decimal(text))
    raise CellError(f"「{normalise_text(value)}」不是整数，请填写阿拉伯数字，如 2", "not-integer")


def parse_decimal(value) -> Decimal:
    """Read a number such as 基层工作年限, without binary rounding noise."""
    text = repr(value) if isinstance(value, float) else to_ascii(str(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(f"「{normalise_text(value)}」不是数字，请填写阿拉伯数字，如 3.5", "not-number")
    return number


# Zero-width characters a copy from a web page or a chat brings along, unseen (U+200B–U+200D, U+2060, U+FEFF).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def choice_text(value) -> str:
    """A choice cell as the word typed: tidy text without any space or invisible character ("党 员" is 党员)."""
    return normalise_text(value).translate(_INVISIBLE).replace(" ", "")


def parse_choice(value, choices: tuple[str, ...], aliases: dict[str, str] | None = None) -> str:
    """Read one of a fixed list of words, accepting the usual other names."""
    text = choice_text(value)
    text = (aliases or {}).get(text, text)
    if text in choices:
        return text
    raise CellError(f"「{text}」不是可选值，请从以下选择：{'、'.join(choices)}", "bad-choice")


def parse_phone(value) -> str:
    """Read a phone number: digits, '-' and spaces, 7 to 20 characters; spaces are dropped."""
    text = str(int(value)) if _is_number(value) and float(value).is_integer() else to_ascii(str(value))
    compact = re.sub(r"\s+", "", text)
    if not re.fullmatch(r"[\d-]{7,20}", compact) or not re.search(r"\d{3}", compact):
        raise CellError(f"「{text}」不像电话号码，只能含数字和“-”，7至20位，如 0512-58880000 或 13912345678",
                        "bad-phone")
    return compact


_CODE_SPLIT = re.compile(r"[、,;\s]+")


def parse_codes(value) -> tuple[str, ...]:
    """Split 报考职位 into 职位代码 in order; 、 , ， ; ； and spaces all separate."""
    text = str(int(value)) if _is_number(value) and float(value).is_integer() else to_ascii(str(value))
    codes = tuple(c for c in _CODE_SPLIT.split(text) if c)
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise CellError(f"职位代码 {'、'.join(repeated)} 填了不止一次，请删去重复的", "duplicate-code")
    if not codes:
        raise CellError("没有填写职位代码", "missing-value")
    return codes


# The error values a formula's stored result can be: Excel 2003's seven, and those of dynamic arrays, data
# types and add-ins (#SPILL!, #CALC!, #FIELD!, #BUSY!, #BLOCKED!, #CONNECT!, #UNKNOWN!, #GETTING_DATA).
FORMULA_ERRORS = frozenset(("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                            "#FIELD!", "#BUSY!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#GETTING_DATA"))


def check_formula_error(value) -> None:
    """Refuse a formula's error value in any column, with one message whatever the column reads."""
    if isinstance(value, str) and value.strip().upper() in FORMULA_ERRORS:
        raise CellError(f"单元格是公式错误 {value.strip()}（公式的计算出了错）；请改正公式，或者直接填写内容",
                        "formula-error")


def parse_text(value) -> str:
    """Read free text; a formula error such as #N/A is refused."""
    text = normalise_text(value)
    check_formula_error(text)
    return text


# 姓名: Chinese characters of every CJK block (basic, Ext A, compatibility, Ext B–H up to U+323AF), the
# 间隔号 of minority and foreign names (GB/T 15834-2011 间隔号 “·” U+00B7), and Latin letters.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
_LATIN = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
NAME_DOT = "\u00b7"
# What clerks type for the 间隔号: katakana middle dot, bullet, full-width full stop, hyphenation point.
_DOT_LOOKALIKES = {ord(c): NAME_DOT for c in "\u30fb\u2022\uff0e\u2027"}
# A space only between two Latin letters (John Smith); written so that matching takes linear time.
_NAME_WORD = rf"[{_HAN}{_LATIN}](?:[{_HAN}{_LATIN}]|(?<=[{_LATIN}]) (?=[{_LATIN}]))*"
_NAME = re.compile(rf"{_NAME_WORD}(?:{NAME_DOT}{_NAME_WORD})*")
_NAME_CHARACTER = re.compile(rf"[{_HAN}{_LATIN}{NAME_DOT} ]")
MAX_NAME = 40  # characters; the longest transliterated minority names stay well below


def parse_name(value) -> str:
    """Read a 姓名: Chinese characters, “·” between the parts of a name, Latin letters with single spaces.

    Anything else (digits, “/”, “..”, punctuation, control characters) is refused: a name is printed in
    public notices and becomes part of file names.
    """
    text = parse_text(value).translate(_DOT_LOOKALIKES)
    text = re.sub(rf"\s*{NAME_DOT}\s*", NAME_DOT, text)
    if len(text) <= MAX_NAME and _NAME.fullmatch(text):
        return text
    wrong = list(dict.fromkeys("数字" if c.isdigit() else f"「{_visible(c)}」"
                               for c in text if not _NAME_CHARACTER.match(c)))
    shown = "、".join(wrong)
    what = f"含有不允许的字符{shown}" if wrong else "格式不对（圆点或空格的位置不对，或超过40个字）"
    raise CellError(f"姓名「{_visible_text(text)}」{what}；姓名只能由汉字组成，少数民族或外国人姓名各部分之间用"
                    "间隔号“·”，英文字母之间可空一格；不能含数字、标点、“/”“..”等符号，电话等信息请填在对应的列中",
                    "bad-name")


def _visible(c: str) -> str:
    """A control or invisible character shown as its code point, e.g. U+0000."""
    return c if c.isprintable() and not c.isspace() else f"U+{ord(c):04X}"


def _visible_text(text: str) -> str:
    return "".join(_visible(c) if not c.isprintable() else c for c in text)


# 报名序号, 评委编号, 职位代码 become parts of file names (报名登记表-001-林振华): letters, digits, - and _.
MAX_IDENTIFIER = 20


def parse_identifier(value) -> str:
    """Read a serial or code: letters (Chinese too), digits, “-” and “_”, at most MAX_IDENTIFIER characters."""
    text = parse_text(value)
    wrong = list(dict.fromkeys(c for c in text if not (c.isalnum() or c in "-_")))
    if not wrong and len(text) <= MAX_IDENTIFIER:
        return text
    if wrong:
        # safe_paths names what a file system would misread (separators, control characters).
        kind = "不能用于文件名的字符" if unsafe_characters(text) or ".." in text else "不允许的字符"
        what = f"含有{kind}{'、'.join(f'「{_visible(c)}」' for c in wrong)}"
    else:
        what = f"超过{MAX_IDENTIFIER}个字符"
    raise CellError(f"「{_visible_text(text)}」{what}；编号和代码只能由字母、数字、汉字和“-”“_”组成，"
                    f"不超过{MAX_IDENTIFIER}个字符，不能有空格、“/”“\\”“.”等符号，如 001、Z01、A-01",
                    "bad-identifier")
