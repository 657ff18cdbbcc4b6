"""The one Jinja environment every template renders through: sandboxed, strict, escaping, with 公文 filters.

docxtpl compiles the document XML with `env.from_string`, so autoescape must be on in the
environment itself: `DocxTemplate.render(ctx, env)` leaves the env's setting alone, and
`render(ctx, env, autoescape=True)` merely sets `env.autoescape = True` again. Either way a
value such as "A&B" reaches the XML as "A&amp;B".
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from pipeline.periods import chinese_date

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def _is_blank(value: Any) -> bool:
    """Blank forms pass empty strings; every date/number filter prints them as nothing."""
    return value is None or value == ""


def cn_date(value: dt.date | str | None) -> str:
    """Format a date as 2026年6月18日, without leading zeros (GB/T 9704-2012 7.3.5.5)."""
    if _is_blank(value):
        return ""
    if not isinstance(value, dt.date):
        raise TypeError(f"cn_date 需要日期，得到的是 {value!r}")
    return chinese_date(value)


def yearmonth(value: dt.date | tuple[int, int] | str | None) -> str:
    """Format a date or (year, month) as 1978.05, the form 出生年月 takes on a 公示."""
    if _is_blank(value):
        return ""
    if isinstance(value, dt.date):
        year, month = value.year, value.month
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        year, month = int(value[0]), int(value[1])
    else:
        raise TypeError(f"yearmonth 需要日期或（年, 月），得到的是 {value!r}")
    if not 1 <= month <= 12:
        raise ValueError(f"月份应在 1 到 12 之间，得到的是 {month}")
    return f"{year}.{month:02d}"


def cn_numeral(value: int) -> str:
    """Write 0 ≤ n ≤ 9999 in Chinese numerals as prose wants them: 12 → 十二, 101 → 一百零一."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 9999:
        raise ValueError(f"cn_numeral 只接受 0 到 9999 的整数，得到的是 {value!r}")
    if value == 0:
        return "零"
    out, pending_zero = [], False
    for size, unit in _UNITS:
        digit = value // size % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[digit] + unit)
    text = "".join(out)
    # 10–19 read 十、十一 …, not 一十一 (but 110 stays 一百一十).
    return text[1:] if 10 <= value <= 19 else text


def doc_number(value: Any, year: int | None = None, number: int | None = None) -> str:
    """Build a 发文字号 such as 江职院委〔2026〕12号 (GB/T 9704-2012 7.2.4: hexagonal brackets)."""
    if year is None and isinstance(value, (tuple, list)):
        value, year, number = value
    if _is_blank(value) or year is None or number is None:
        raise ValueError(f"发文字号需要机关代字、年份和序号，得到的是 {(value, year, number)!r}")
    # 〔 U+3014 and 〕 U+3015; the year in full, the serial without leading zeros.
    return f"{value}\u3014{int(year)}\u3015{int(number)}号"


def fixed(value: Decimal | int | str | None, places: int = 2) -> str:
    """Print a Decimal with exactly `places` decimals, rounded half up (DOMAIN.md: never binary floats)."""
    if _is_blank(value):
        return ""
    if isinstance(value, float):
        raise TypeError(f"分数不能用浮点数 {value!r}，请使用 Decimal")
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValueError(f"无法作为数字：{value!r}") from None
    quantum = Decimal(1).scaleb(-places)
    return str(number.quantize(quantum, rounding=ROUND_HALF_UP))


def money(value: Decimal | int | str | None) -> str:
    """Print an amount in yuan with two decimals and thousands separators: 12,345.60."""
    text = fixed(value, 2)
    if not text:
        return ""
    whole, cents = text.split(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}.{cents}"


FILTERS = {
    "cn_date": cn_date,
    "yearmonth": yearmonth,
    "cn_numeral": cn_numeral,
    "doc_number": doc_number,
    "score": fixed,
    "decimal": fixed,
    "money": money,
}


def make_environment() -> SandboxedEnvironment:
    """Return the sandboxed, strict, autoescaping environment with the 公文 filters."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    env.globals["doc_number"] = doc_number
    return env
