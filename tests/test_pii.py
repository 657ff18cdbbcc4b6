"""The personal-data scanner itself: it finds planted data and leaves ordinary notice text alone."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from docx import Document

from pipeline.campaign.model import Applicant
from tests.pii import docx_text, find_personal_data, pdf_text, scan_paper

ROOT = Path(__file__).resolve().parent.parent


def with_check_digit(first17: str) -> str:
    """Append the GB 11643 check digit (ISO 7064 MOD 11-2)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


ID_A = with_check_digit("32058219850312451")  # check digit worked out in test_check_digits_worked_out
ID_B = with_check_digit("32058119790924002")
STRANGER_ID = with_check_digit("11010519900101123")


def person(name, id_number, phone, address=None):
    return Applicant(
        number="001", name=name, gender="男", ethnicity="汉族", birth_month=(1985, 3), id_number=id_number,
        political_status="中共党员", education="大学本科", work_start=(2008, 7), current_post="教务处副处长",
        rank="副科级", rank_since=dt.date(2020, 6, 1), posts=("01",), phone=phone, address=address)


APPLICANTS = [
    person("张伟", ID_A, "13812345678", "江苏省江州市滨江区梧桐路18号3幢201室"),
    person("李娜", ID_B, "0512-66123456", None),
]
OFFICE_PHONE = tomllib.loads((ROOT / "inputs" / "campaign.toml").read_text(encoding="utf-8"))["notice"]["phone"]


def scan(text: str) -> list[str]:
    return find_personal_data(text, APPLICANTS)


def test_check_digits_worked_out():
    # 3·7+2·9+0·10+5·5+8·8+2·4+1·2+9·1+8·6+5·3+0·7+3·9+1·10+2·5+4·8+5·4+1·2 = 311; 311 mod 11 = 3 → "9".
    assert ID_A == "320582198503124519"
    # 1·7+1·9+0+1·5+0+5·4+1·2+9·1+9·6+0+0+1·9+0+1·5+1·8+2·4+3·2 = 142; 142 mod 11 = 10 → "2".
    assert STRANGER_ID == "110105199001011232"


# --- innocent text ---

def test_ordinary_notice_text_is_not_flagged():
    text = f"""
    江州职业技术学院2026年中层干部竞争上岗考察对象公示
    公示时间：2026年6月18日至2026年6月24日（5个工作日），即 2026-06-18 至 2026-06-24。
    序号 姓名 性别 出生年月 参加工作时间 总成绩 名次
    001 张伟 男 1985.03 2008.07 87.43 1
    002 李娜 女 1979.09 2001.08 86.20 2
    专家评委 88 90 85 92 87 91 89 93 86
    江职院委〔2026〕12号　受理电话：{OFFICE_PHONE}　纪检监察电话：0512-58880012
    受理地址：江州职业技术学院行政楼305室组织人事处　邮编 215600　第 1 页 共 3 页
    """
    assert scan(text) == []


def test_office_phone_comes_from_campaign_toml():
    assert OFFICE_PHONE == "0512-58880000"  # if the sample changes, re-check the innocent-text test


# --- planted data of listed applicants ---

@pytest.mark.parametrize("planted", [
    "身份证号：320582198503124519",
    "身份证号 320582 19850312 4519",
    "身份证号 3205-8219-8503-1245-19",
    "身份证号 32058219850312\n4519",  # wrapped in a table cell
    "身份证号 ３２０５８２１９８５０３１２４５１９",  # full-width digits
])
def test_id_number_found_in_any_spacing(planted):
    assert any(f.startswith("张伟的身份证号") for f in scan(planted))


@pytest.mark.parametrize("planted, visible", [
    ("320582********4519", 10),
    ("3205**********4519", 8),
    ("******19850312****", 8),  # only the birth date left showing
    ("320582****4519", 10),  # shortened mask
    ("3205 8219 85** **** 19", 12),
])
def test_masked_id_that_still_shows_too_much(planted, visible):
    assert f"张伟的身份证号（遮盖不足，露出{visible}位）" in "".join(scan(planted))


def test_masked_id_showing_only_the_last_four_is_tolerated():
    assert scan("**************4519") == []


@pytest.mark.parametrize("planted", [
    "电话13812345678", "电话 138 1234 5678", "电话 138-1234-5678", "电话 +86 138 1234 5678",
    "电话（138）1234 5678",
])
def test_mobile_found_in_any_spacing(planted):
    assert any(f.startswith("张伟的联系电话") for f in scan(planted))


def test_masked_mobile_is_flagged():
    found = scan("联系人 张伟 138****5678")
    assert found == ["张伟的联系电话（遮盖不足，露出7位）：138****5678", "疑似手机号（部分遮盖）：138****5678"]


@pytest.mark.parametrize("planted", ["电话 0512-66123456", "电话 0512 6612 3456", "电话 66123456"])
def test_landline_of_an_applicant_found_with_or_without_area_code(planted):
    assert any(f.startswith("李娜的联系电话") for f in scan(planted))


@pytest.mark.parametrize("planted", [
    "住址：江苏省江州市滨江区梧桐路18号3幢201室",
    "住址：江苏省 江州市 滨江区 梧桐路 18 号 3 栋 201 室",
    "家住梧桐路18号3号楼201室",
    "住址：江苏省江州市滨江区梧桐路１８号３幢２０１室",
])
def test_address_found_after_normalising(planted):
    assert any(f.startswith("张伟的家庭住址") for f in scan(planted))


def test_district_alone_is_not_an_address():
    assert scan("江苏省江州市滨江区人民政府") == []


# --- anyone's numbers, not only the listed applicants' ---

@pytest.mark.parametrize("planted, label", [
    (STRANGER_ID, "疑似身份证号"),
    ("11010519900101123" + "5", "疑似身份证号"),  # wrong check digit: still looks like an ID
    ("110105 19900101 1235", "疑似身份证号"),
    ("15987654321", "疑似手机号"),
    ("159 8765 4321", "疑似手机号"),
])
def test_numbers_of_people_not_in_the_list(planted, label):
    assert [f.split("：")[0] for f in scan(f"其他人：{planted}。")] == [label]


def test_listed_number_is_named_once_not_also_as_a_shape():
    assert [f.split("：")[0] for f in scan("13812345678")] == ["张伟的联系电话"]


# --- reading papers ---

@pytest.fixture(scope="module")
def planted_docx(tmp_path_factory) -> Path:
    """A notice with personal data hidden in a header, a footer, a table and runs split mid-number."""
    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "联系 138 1234 5678"
    section.footer.paragraphs[0].text = "备注 " + ID_B
    para = doc.add_paragraph("正文：身份证号 ")
    for piece in ("320582", "1985", "0312", "4519"):
        para.add_run(piece)  # docxtpl and Word split runs anywhere
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "住址"
    table.cell(0, 1).text = "梧桐路18号3幢201室"
    doc.add_paragraph("总成绩 87.43，公示时间 2026年6月18日")
    path = tmp_path_factory.mktemp("pii") / "planted.docx"
    doc.save(path)
    return path


EXPECTED_IN_PLANTED = {"张伟的联系电话", "李娜的身份证号", "张伟的身份证号", "张伟的家庭住址"}


def test_docx_text_reads_headers_footers_tables_and_split_runs(planted_docx):
    text = docx_text(planted_docx)
    assert "320582198503124519" in text  # the four runs join into one number
    assert "138 1234 5678" in text and ID_B in text and "梧桐路18号3幢201室" in text
    assert {f.split("：")[0] for f in scan(text)} == EXPECTED_IN_PLANTED


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_text_of_a_real_conversion(planted_docx, tmp_path):
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(planted_docx)], check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "planted.pdf"
    assert "87.43" in pdf_text(pdf)
    assert {f.split(": ", 1)[1].split("：")[0] for f in scan_paper(pdf, APPLICANTS)} == EXPECTED_IN_PLANTED
