"""Write a small valid campaign folder with openpyxl; tests then break one thing in it."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl

from pipeline.campaign.idcard import make_id
from pipeline.campaign.columns import APPLICANTS, JUDGES, POSTS, SheetSpec

SAMPLE_TOML = Path(__file__).resolve().parents[2] / "inputs" / "campaign.toml"

# Invented people; IDs use the 320102 region code and are made valid by make_id.
ID_1 = make_id("320102", dt.date(1980, 3, 14), 132)  # even: 女
ID_2 = make_id("320102", dt.date(1985, 11, 2), 241)  # odd: 男
ID_3 = make_id("320583", dt.date(1979, 10, 30), 357)


def posts() -> list[dict]:
    """Two posts: 01 正职, 02 副职."""
    return [
        {"职位代码": "01", "部门": "教务处", "职位名称": "教务处处长", "职位类别": "正职", "职数": 1},
        {"职位代码": "02", "部门": "团委", "职位名称": "团委书记", "职位类别": "副职", "职数": 1,
         "出生日期不早于": dt.datetime(1971, 5, 31), "政治面貌要求": "中共正式党员"},
    ]


def applicants() -> list[dict]:
    """Three applicants in rows 2, 3, 4; the third applies for both posts."""
    common = {"民族": "汉族", "政治面貌": "中共党员", "学历": "大学本科", "参加工作时间": "2003.07",
              "现工作单位及职务": "教务处副处长", "现职级": "正科级", "任现职级时间": dt.datetime(2019, 6, 1),
              "联系电话": "13912345678"}
    return [
        {**common, "报名序号": "001", "姓名": "林晓雯", "性别": "女", "出生年月": "1980.03", "身份证号": ID_1,
         "报考职位": "01"},
        {**common, "报名序号": "002", "姓名": "周　航", "性别": "男", "出生年月": "1985-11", "身份证号": ID_2,
         "报考职位": "02", "学历": "硕士研究生"},
        {**common, "报名序号": "003", "姓名": "许志刚", "性别": "男", "出生年月": "1979年10月", "身份证号": ID_3,
         "报考职位": "01、02", "是否服从调剂": "是"},
    ]


def judges() -> list[dict]:
    """Two judges in rows 2 and 3."""
    return [
        {"评委编号": "Z01", "姓名": "韩东", "评委组": "专家评委"},
        {"评委编号": "D01", "姓名": "马兰", "评委组": "党委成员"},
    ]


def write_workbook(path: Path, spec: SheetSpec, rows: list[dict], headers: list[str] | None = None,
                   sheet: str | None = None) -> Path:
    """Write rows (dicts by header) under the spec's headers, in the spec's column order."""
    headers = headers or [c.header for c in spec.columns]
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet or spec.sheet
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    workbook.save(path)
    return path


def make_campaign(folder: Path, posts_rows=None, applicant_rows=None, judge_rows=None) -> Path:
    """Write campaign.toml and the three workbooks into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_TOML, folder / "campaign.toml")
    write_workbook(folder / POSTS.file, POSTS, posts() if posts_rows is None else posts_rows)
    write_workbook(folder / APPLICANTS.file, APPLICANTS, applicants() if applicant_rows is None else applicant_rows)
    write_workbook(folder / JUDGES.file, JUDGES, judges() if judge_rows is None else judge_rows)
    return folder
