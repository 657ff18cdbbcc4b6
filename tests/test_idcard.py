"""身份证号 (GB 11643-1999): hand-worked check digits and Hypothesis properties."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings, strategies as st

from pipeline.campaign.cleaning import CellError
from pipeline.campaign.idcard import PRECISION_LOST, birth_date_of, check_digit, gender_of, make_id, mask_id, parse_id

regions = st.sampled_from(["110105", "320102", "320583", "440305", "510107", "650102"])
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
seqs = st.integers(0, 999)
valid_ids = st.builds(make_id, regions, births, seqs)


def test_check_digit_worked_by_hand():
    # 3 2 0 1 0 2 1 9 8 0 0 3 1 4 1 2 8 times weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
    # 21+18+0+5+0+8+2+9+48+0+0+27+10+20+8+8+16 = 200; 200 mod 11 = 2; remainder 2 -> X.
    assert check_digit("32010219800314128") == "X"
    # The example printed in GB 11643-1999 annex: 11010519491231002X.
    assert check_digit("11010519491231002") == "X"
    # 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 -> 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> X.
    with pytest.raises(ValueError):
        check_digit("1234")


def test_parse_id_accepts_lower_case_x_full_width_and_spaces():
    assert parse_id("11010519491231002x") == "11010519491231002X"
    assert parse_id(" １１０１０５ 19491231 002X ") == "11010519491231002X"


def test_parse_id_exact_integer_is_accepted():
    """An exact 18-digit integer (some tools write one) keeps every digit and validates."""
    number = make_id("320102", dt.date(1978, 5, 1), 123)
    assert not number.endswith("X")
    assert parse_id(int(number)) == number


@pytest.mark.parametrize("stored, message", [
    (3.20102197805011e17, PRECISION_LOST),  # Excel keeps 15 significant digits of 320102197805011239
    (320102197805011000, PRECISION_LOST),  # the same, handed over as an integer
    (32010219780501.0, "身份证号应为18位，现为14位，请核对"),  # short, but nothing was lost
])
def test_parse_id_stored_as_number(stored, message):
    with pytest.raises(CellError) as info:
        parse_id(stored)
    assert info.value.message == message


@pytest.mark.parametrize("typed, code, fragment", [
    ("11010519491231002", "bad-id", "现为17位"),
    ("11010519491231002Y", "bad-id", "最后一位可以是 X"),
    ("1101051949123100X2", "bad-id", "最后一位可以是 X"),
    ("110105194902300029", "bad-id-birth", "19490230"),
    ("110105189912310024", "bad-id-birth", "18991231"),
    ("110105194912310021", "bad-id-check", "校验位应为 X，现为 1"),
])
def test_parse_id_rejects(typed, code, fragment):
    with pytest.raises(CellError) as info:
        parse_id(typed)
    assert info.value.code == code and fragment in info.value.message


def test_mask_and_parts():
    assert mask_id("32010219800314128X") == "3201**********128X"
    assert birth_date_of("32010219800314128X") == dt.date(1980, 3, 14)
    assert gender_of("32010219800314128X") == "女"  # 17th digit 8 is even
    assert gender_of("320102197805011239") == "男"  # 17th digit 3 is odd


@settings(deadline=None)  # timing varies on a loaded CI machine; correctness does not
@given(regions, births, seqs)
def test_make_id_always_validates(region, born, seq):
    number = make_id(region, born, seq)
    assert parse_id(number) == number
    assert parse_id(number.lower()) == number
    assert birth_date_of(number) == born
    assert gender_of(number) == ("男" if seq % 2 else "女")


@settings(deadline=None)
@given(valid_ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_rejected(number, position, replacement):
    """MOD 11-2 catches every single substitution: each weight is non-zero mod 11 and 11 is prime."""
    assume(number[position] != replacement)
    changed = number[:position] + replacement + number[position + 1:]
    with pytest.raises(CellError):
        parse_id(changed)


@settings(deadline=None)
@given(valid_ids, st.integers(0, 15))
def test_swapping_neighbours_is_rejected(number, position):
    """Swapping digits i, i+1 (both before the check digit) changes the sum by (w_i - w_i+1)(d_i+1 - d_i);
    adjacent weights differ by 1..5, so the change is never a multiple of 11."""
    a, b = number[position], number[position + 1]
    assume(a != b and "X" not in (a, b))
    swapped = number[:position] + b + a + number[position + 2:]
    with pytest.raises(CellError):
        parse_id(swapped)


@settings(deadline=None)
@given(valid_ids)
def test_mask_keeps_only_the_ends(number):
    masked = mask_id(number)
    assert len(masked) == 18 and masked[:4] == number[:4] and masked[-4:] == number[-4:]
    assert set(masked[4:14]) == {"*"}
