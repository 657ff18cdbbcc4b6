"""Dates, year-months and text as clerks type them: examples worked by hand, and Hypothesis round trips."""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.campaign.cleaning import (CellError, normalise_text, parse_codes, parse_date, parse_decimal, parse_int,
                               parse_phone, parse_yearmonth)

FULL = str.maketrans("0123456789-./", "０１２３４５６７８９－．／")
dates = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31))


@pytest.mark.parametrize("typed", [
    "2020-06-01", "2020/6/1", "2020.06.01", "2020年6月1日", "２０２０－０６－０１", " 2020 - 6 - 1 ",
    "20200601", 20200601, dt.datetime(2020, 6, 1, 0, 0), dt.date(2020, 6, 1),
    # Excel serial: 2020-01-01 is the well-known 43831; Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 = 152 more days.
    43831 + 152, 43983.5,
])
def test_parse_date_accepts(typed):
    assert parse_date(typed) == dt.date(2020, 6, 1)


@pytest.mark.parametrize("typed, fragment", [
    ("2023-02-30", "2023年2月30日 不存在"),  # 2023 is not a leap year
    ("2024-13-01", "月份 13 不存在"),
    ("2020-06", "只有年月"),
    ("2020-06/01", "无法识别"),  # mixed separators
    ("去年", "无法识别"),
    (2020.06, "被存成了数字"),
    (2020, "只填了年份"),  # as an Excel serial 2020 would be a day in 1905
    ("1899-12-31", "年份 1899 不合理"),
])
def test_parse_date_rejects(typed, fragment):
    with pytest.raises(CellError) as info:
        parse_date(typed)
    assert fragment in info.value.message and info.value.code == "bad-date"


@pytest.mark.parametrize("typed, expected", [
    ("1978.05", (1978, 5)), ("1978-5", (1978, 5)), ("1978年5月", (1978, 5)), ("1978/05/01", (1978, 5)),
    ("１９７８．０５", (1978, 5)), ("1978.1", (1978, 1)),  # typed as text the 0 of October cannot be lost
    ("1978.10", (1978, 10)), ("197805", (1978, 5)), (197805, (1978, 5)), ("1978年05月", (1978, 5)),
    (1978.05, (1978, 5)), (1978.12, (1978, 12)), (1978.2, (1978, 2)), (dt.datetime(1978, 5, 20), (1978, 5)),
])
def test_parse_yearmonth_accepts(typed, expected):
    assert parse_yearmonth(typed) == expected


@pytest.mark.parametrize("typed, code", [
    (1978.1, "ambiguous-number"), (1978.10, "ambiguous-number"), ("1978.13", "bad-date"), ("1978.00", "bad-date"),
    (1978, "bad-date"), ("1978/02/30", "bad-date"), (1978.123, "bad-date"), ("五月", "bad-date"),
])
def test_parse_yearmonth_rejects(typed, code):
    with pytest.raises(CellError) as info:
        parse_yearmonth(typed)
    assert info.value.code == code


def test_ambiguous_number_message_says_what_to_do():
    with pytest.raises(CellError) as info:
        parse_yearmonth(1978.1)
    assert "文本格式" in info.value.message and "1978.01 或 1978.10" in info.value.message


def styles(d: dt.date) -> list:
    """Every way the reader promises to accept a full date."""
    text = [f"{d:%Y-%m-%d}", f"{d.year}/{d.month}/{d.day}", f"{d:%Y.%m.%d}", f"{d.year}年{d.month}月{d.day}日",
            f"{d:%Y%m%d}"]
    return text + [t.translate(FULL) for t in text] + [d, dt.datetime.combine(d, dt.time(8, 30))]


@settings(deadline=None)  # timing varies on a loaded CI machine; correctness does not
@given(dates)
def test_any_date_in_any_style_round_trips(d):
    for typed in styles(d):
        assert parse_date(typed) == d, typed


@settings(deadline=None)
@given(st.dates(min_value=dt.date(1906, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_excel_serial_round_trips(d):
    """Serials 1900..2100 (days in 1905) are read as a bare year instead, so start in 1906."""
    serial = (d - dt.date(1899, 12, 30)).days  # Excel 1900 system from 1900-03-01 on
    assert parse_date(serial) == d


@settings(deadline=None)
@given(dates)
def test_any_year_month_in_any_style_round_trips(d):
    ym = (d.year, d.month)
    for typed in [f"{d.year}.{d.month:02d}", f"{d.year}-{d.month}", f"{d.year}年{d.month}月", f"{d:%Y/%m/%d}",
                  f"{d.year}.{d.month}", f"{d.year}.{d.month:02d}".translate(FULL), d, f"{d:%Y%m}"]:
        assert parse_yearmonth(typed) == ym, typed


@settings(deadline=None)
@given(st.integers(1900, 2100), st.integers(1, 12))
def test_year_month_typed_as_number(year, month):
    """1978.05 stored as a float keeps its month, except October, which shows as 1978.1."""
    stored = float(f"{year}.{month:02d}")
    if month == 10:
        with pytest.raises(CellError, match="分不清"):
            parse_yearmonth(stored)
    else:
        assert parse_yearmonth(stored) == (year, month)


@settings(deadline=None)
@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(29, 31))
def test_days_past_month_end_are_errors(year, month, day):
    last = calendar.monthrange(year, month)[1]
    typed = f"{year}-{month:02d}-{day:02d}"
    if day <= last:
        assert parse_date(typed) == dt.date(year, month, day)
    else:
        with pytest.raises(CellError, match="不存在"):
            parse_date(typed)


@settings(deadline=None)
@given(st.integers(1900, 2100), st.integers(13, 99))
def test_months_past_12_are_errors(year, month):
    with pytest.raises(CellError, match="月份"):
        parse_yearmonth(f"{year}.{month}")


def test_normalise_text():
    assert normalise_text("　张　三  ") == "张三"  # padding between Chinese characters dropped
    assert normalise_text("ＡＢ１２　教务处  Python 讲师") == "AB12 教务处 Python 讲师"
    assert normalise_text("（兼）办公室主任") == "（兼）办公室主任"  # Chinese punctuation kept
    assert normalise_text(2.0) == "2"


@settings(deadline=None)
@given(st.text())
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once and once == once.strip()


def test_numbers_phone_and_codes():
    assert parse_int("２") == 2 and parse_int(3.0) == 3
    assert parse_decimal(2.1) == Decimal("2.1") and parse_decimal("３.５") == Decimal("3.5")
    with pytest.raises(CellError):
        parse_int(1.5)
    assert parse_phone(13912345678) == "13912345678" and parse_phone("0512 5888 0000") == "051258880000"
    with pytest.raises(CellError):
        parse_phone("见备注")
    assert parse_codes("01、02,03，04;05；06 07") == ("01", "02", "03", "04", "05", "06", "07")
    assert parse_codes(3) == ("3",)
    with pytest.raises(CellError, match="不止一次"):
        parse_codes("01、01")
