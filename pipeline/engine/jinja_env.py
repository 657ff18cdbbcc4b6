"""The one Jinja environment every template renders through: sandboxed, strict, escaping, with 公文 filters.

A template is something a clerk edits, so it is treated as untrusted code (OWASP, "Server-Side
Template Injection"): the sandbox is the immutable one (a template reads the data, it never changes
it), one range() and all range() loops of a paper together are capped, string and list repetition
is capped, and `limits()` stops a render that runs longer than the time limit. Every refusal says in
Chinese what was refused; pipeline.engine.render adds the template's name and the tag.

docxtpl compiles the document XML with `env.from_string`, so autoescape must be on in the
environment itself: `DocxTemplate.render(ctx, env)` leaves the env's setting alone, and
`render(ctx, env, autoescape=True)` merely sets `env.autoescape = True` again. Either way a
value such as "A&B" reaches the XML as "A&amp;B".
"""
from __future__ import annotations

import datetime as dt
import signal
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterator

from jinja2 import StrictUndefined
from jinja2.exceptions import TemplateRuntimeError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, modifies_known_mutable


_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))



def chinese_date(day: dt.date) -> str:
    """Write a date the way official papers do: 2026年6月12日 (GB/T 9704-2012 7.3.5.1, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"

def _is_blank(value: Any) -> bool:
    """Blank forms pass empty strings; every date/number filter prints them as nothing."""
    return value is None or value == ""


def cn_date(value: dt.date | str | None) -> str:
    """Format a date as 2026年6月18日, without leading zeros (GB/T 9704-2012 7.3.5.4)."""
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
    """Build a 发文字号 such as 江职院委〔2026〕12号 (GB/T 9704-2012 7.2.5: hexagonal brackets)."""
    if year is None and isinstance(value, (tuple, list)):
        value, year, number = value
    if _is_blank(value) or year is None or number is None:
        raise ValueError(f"发文字号需要机关代字、年份和序号，得到的是 {(value, year, number)!r}")
    # 〔 U+3014 and 〕 U+3015; the year in full, the serial without leading zeros.
    return f"{value}\u3014{int(year)}\u3015{int(number)}号"


def fixed(value: Decimal | int | str | None, places: int = 2) -> str:
    """Print a Decimal with exactly `places` decimals, rounded half up (docs/reference.md, 四舍五入)."""
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


# The largest table a paper has is a few hundred rows; 10,000 leaves room and stays far below
# Jinja's own MAX_RANGE (100,000), which a nested loop multiplies anyway.
MAX_RANGE = 10_000
MAX_RANGE_STEPS = 1_000_000  # every range() item of one paper together: stops nested loops
MAX_REPEAT = 1_000_000  # characters or items a `*` may produce ("-" * 20 is fine, "x" * 10**9 is not)
MAX_EXPONENT = 100  # 10 ** 100 is more than any paper prints; 9 ** 9 ** 9 would never finish
# Seconds one paper may take to render: a 10,000-row 评分表 takes about 3 s on an idle machine and
# 11 s on one shared with other work, so a real paper never meets the limit; a runaway loop does.
TIME_LIMIT = 60.0


class TemplateLimitError(TemplateRuntimeError):
    """A template asked for more than a paper can need: a huge loop, a huge string, too much time."""


class CountedRange:
    """range() for templates: sized and indexable like range, each item drawn from the paper's budget."""

    __slots__ = ("_env", "_items")

    def __init__(self, env: "PaperEnvironment", items: range) -> None:
        self._env, self._items = env, items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        return self._items[index]

    def __iter__(self) -> Iterator[int]:
        for item in self._items:
            self._env.take_step()
            yield item


class PaperEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox with caps on loops, repetition and rendering time."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, time_limit: float = TIME_LIMIT, **options: Any) -> None:
        super().__init__(**options)
        self.time_limit = time_limit
        self.steps_left = MAX_RANGE_STEPS
        self.expired = ""  # the time-limit message once the timer of the current render has fired
        self.globals["range"] = self.capped_range

    def capped_range(self, *args: int) -> CountedRange:
        items = range(*args)
        if len(items) > MAX_RANGE:
            raise TemplateLimitError(f"range() 最多生成 {MAX_RANGE} 个数，这里要生成 {len(items)} 个，请缩小循环的范围")
        return CountedRange(self, items)

    def take_step(self) -> None:
        self.steps_left -= 1
        if self.steps_left < 0:
            raise TemplateLimitError(
                f"循环次数超过 {MAX_RANGE_STEPS} 次（多半是 range() 循环套着循环），请减少循环的层数或范围")

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and right > MAX_EXPONENT:
            raise TemplateLimitError(f"乘方的指数不能超过 {MAX_EXPONENT}，这里是 {right}")
        if operator == "*":
            seq, times = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                raise TemplateLimitError(f"重复（*）得到的内容超过 {MAX_REPEAT} 个字符或项，请缩小重复的次数")
        return super().call_binop(context, operator, left, right)

    def unsafe_undefined(self, obj: Any, attribute: str):
        """Say in Chinese why obj.attribute is refused: it would change the data, or it is Python's internals."""
        if modifies_known_mutable(obj, attribute):
            why = f"模板只能读取数据，不能修改数据：不允许调用 {attribute}()"
        else:
            why = f"模板不允许使用 {attribute}（这是程序内部的属性，不是数据中的一项）"
        return self.undefined(why, obj=obj, name=attribute, exc=SecurityError)

    @contextmanager
    def limits(self) -> Iterator[None]:
        """Render one paper: a fresh loop budget and a main-thread timer (SIGALRM) that stops a runaway render.

        Papers are rendered in the main thread, in the build and in check-templates alike: only the main
        thread can take a signal (signal.signal raises ValueError anywhere else).
        """
        def expired(signum, frame):
            # Recorded as well as raised: the signal can land inside a filter or docxtpl's own code, which
            # may turn the exception into another kind (seen: a TypeError); the cause is still the timer.
            self.expired = f"生成时间超过 {self.time_limit:g} 秒，多半是循环太多或太大，请检查循环标签"
            raise TemplateLimitError(self.expired)

        self.steps_left = MAX_RANGE_STEPS
        self.expired = ""
        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, self.time_limit)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def make_environment(time_limit: float = TIME_LIMIT) -> PaperEnvironment:
    """Return the immutable sandboxed, strict, autoescaping environment with the 公文 filters."""
    env = PaperEnvironment(time_limit=time_limit, undefined=StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    env.globals["doc_number"] = doc_number
    return env
