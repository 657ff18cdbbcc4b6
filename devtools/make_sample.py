"""Write the sample campaign's three workbooks into inputs/ (campaign.toml there is edited by hand).

Modelled on seed 5 (a vocational college opening 8 posts); the college and every person are invented.
Run: .venv/bin/python devtools/make_sample.py [DEST]   (deterministic: same bytes every run)

Deliberate cases, counted to the reference date R = 2026-06-12 (campaign.toml [campaign] reference_date).
Counting words follow 民法典 第一千二百五十九条: 以下/满 include the number itself.

| no | who      | born       | what is special                                  | expected                      |
|----|----------|------------|--------------------------------------------------|-------------------------------|
| 01 | 林振华   | 1980-06-12 | 46th birthday is exactly R: 46 周岁 on R          | fails 年龄超过45周岁           |
| 02 | 何晓岚   | 1980-06-13 | 46th birthday is R + 1 day: 45 周岁 on R          | passes                        |
| 03 | 邵明哲   | 1986-09-21 | 副科级 since 2022-06-13: 4 years minus one day    | fails 任副科级职务不满4年      |
| 04 | 苏婉清   | 1987-04-02 | 副科级 since 2022-06-12: exactly 4 years on R     | passes                        |
| 05 | 韩立川   | 1983-11-08 | 正科级 since 2023-06-12: exactly 3 years on R     | passes                        |
| 06 | 郑雅文   | 1982-01-25 | currently 副处级                                  | passes                        |
| 07 | 吴国栋   | 1985-07-14 | 学历 大学专科                                    | fails 学历 (大学本科 required) |
| 08 | 宋佳音   | 1995-03-18 | 中共预备党员 applying for 05 团委书记             | fails 政治面貌 (正式党员)      |
| 09 | 唐文博   | 1991-05-30 | applies for 05 团委书记, born one day too early    | fails 出生日期                 |
| 10 | 许静怡   | 1991-05-31 | applies for 05 团委书记, born on the day itself   | passes (以后 includes the day) |
| 11 | 冯志远   | 1981-10-05 | 处分期满日期 2026-12-31, after R                   | fails 处分影响期内             |
| 12 | 曹欣然   | 1992-08-20 | 群众, applies for 05 团委书记 and 04 外语系主任    | fails 05, passes 04           |
| 13 | 蒋雨桐   | 1984-02-29 | born on 2-29: 42 周岁 on R                        | passes                        |
| 14 | 彭浩然   | 1983-04-17 | 处分期满日期 2025-08-31, before R (expired)        | passes                        |
| 15 | 田春生   | 1988-03-09 | 现职级 科员                                      | fails 职级                     |
| 29 | 魏子涵   | 1990-01-31 | 正科级 since 2023-06-13: 3 years minus one day    | fails 任正科级职务不满3年      |
| 25 | 孔令杰   | 1984-09-09 | 副处级, applies for 01 and 02                    | passes both                   |
| 30 | 方淑珍   | 1985-05-05 | applies for 04 and 03                            | passes both                   |
18 董思远 is a 民盟盟员 (GB/T 4762 names the party, never "民主党派"); 学历 and 学位 are GB/T 4658 and GB/T 6864
values (大学本科, 学士); 07 (大学专科) leaves 学位 blank.
The others (16-24, 26-28) meet every condition, so each post keeps at least two eligible candidates:
01: 02 16 25 · 02: 04 17 25 · 03: 05 06 18 30 · 04: 12 19 30 · 05: 10 20 · 06: 14 21 26 · 07: 13 22 27 · 08: 23 24 28.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.campaign.idcard import make_id  # noqa: E402
from pipeline.campaign.columns import APPLICANTS, JUDGES, POSTS  # noqa: E402
from pipeline.campaign.blank_workbooks import judge_groups_from, write_workbook  # noqa: E402
from devtools.synth import NamePool, yearmonth  # noqa: E402

D = dt.date
# 职位代码, 部门, 职位名称 (seed 5's eight posts, all 正职 with one place each).
POST_LIST = (
    ("01", "教务处", "教务处处长"),
    ("02", "人事处", "人事处处长"),
    ("03", "师范部", "师范部主任"),
    ("04", "外语系", "外语系主任"),
    ("05", "团委", "团委书记"),
    ("06", "机电工程系", "机电工程系主任"),
    ("07", "音乐系", "音乐系主任"),
    ("08", "基础部", "基础部主任"),
)
# Seed 5's 团委书记 extras, moved twenty years on to match our 2026 reference date.
YOUTH_POST_EXTRAS = {"born_on_or_after": D(1991, 5, 31), "political_requirement": "中共正式党员",
                     "other_conditions": "1991年5月31日以后出生，中共正式党员"}

# no, 姓名, 性别, 出生日期, 政治面貌, 学历, 现工作单位及职务, 现职级, 任现职级时间, 报考职位, 处分期满日期
PEOPLE = (
    ("01", "林振华", "男", D(1980, 6, 12), "中共党员", "大学本科", "教务处教学科科长", "正科级", D(2019, 3, 1), "01", None),
    ("02", "何晓岚", "女", D(1980, 6, 13), "中共党员", "硕士研究生", "教务处教学质量管理科科长", "正科级", D(2020, 3, 1), "01", None),
    ("03", "邵明哲", "男", D(1986, 9, 21), "中共党员", "大学本科", "人事处人事科副科长", "副科级", D(2022, 6, 13), "02", None),
    ("04", "苏婉清", "女", D(1987, 4, 2), "中共党员", "大学本科", "人事处师资科副科长", "副科级", D(2022, 6, 12), "02", None),
    ("05", "韩立川", "男", D(1983, 11, 8), "中共党员", "硕士研究生", "师范部办公室主任", "正科级", D(2023, 6, 12), "03", None),
    ("06", "郑雅文", "女", D(1982, 1, 25), "中共党员", "博士研究生", "师范部副主任", "副处级", D(2025, 1, 10), "03", None),
    ("07", "吴国栋", "男", D(1985, 7, 14), "中共党员", "大学专科", "外语系办公室主任", "正科级", D(2019, 6, 1), "04", None),
    ("08", "宋佳音", "女", D(1995, 3, 18), "中共预备党员", "大学本科", "团委组织科副科长", "副科级", D(2021, 5, 1), "05", None),
    ("09", "唐文博", "男", D(1991, 5, 30), "中共党员", "大学本科", "学生工作处学生管理科副科长", "副科级", D(2020, 9, 1), "05", None),
    ("10", "许静怡", "女", D(1991, 5, 31), "中共党员", "硕士研究生", "团委宣传科副科长", "副科级", D(2021, 12, 1), "05", None),
    ("11", "冯志远", "男", D(1981, 10, 5), "中共党员", "大学本科", "机电工程系办公室主任", "正科级", D(2018, 7, 1), "06", D(2026, 12, 31)),
    ("12", "曹欣然", "女", D(1992, 8, 20), "群众", "大学本科", "外语系教学科副科长", "副科级", D(2021, 3, 15), "05、04", None),
    ("13", "蒋雨桐", "女", D(1984, 2, 29), "中共党员", "大学本科", "音乐系办公室主任", "正科级", D(2022, 1, 4), "07", None),
    ("14", "彭浩然", "男", D(1983, 4, 17), "中共党员", "大学本科", "机电工程系实训中心主任", "正科级", D(2019, 9, 1), "06", D(2025, 8, 31)),
    ("15", "田春生", "男", D(1988, 3, 9), "中共党员", "大学本科", "基础部办公室科员", "科员", D(2016, 7, 1), "08", None),
    ("16", "罗俊峰", "男", D(1982, 5, 16), "中共党员", "大学本科", "教务处考务科副科长", "副科级", D(2016, 10, 1), "01", None),
    ("17", "谢丽萍", "女", D(1985, 12, 3), "中共党员", "硕士研究生", "人事处劳资科科长", "正科级", D(2021, 9, 1), "02", None),
    ("18", "董思远", "男", D(1986, 6, 12), "民盟盟员", "大学本科", "师范部教学科副科长", "副科级", D(2019, 4, 1), "03", None),
    ("19", "梁慧敏", "女", D(1989, 10, 10), "中共党员", "硕士研究生", "外语系办公室副主任", "副科级", D(2020, 12, 1), "04", None),
    ("20", "钟晨曦", "男", D(1992, 11, 11), "中共党员", "大学本科", "团委办公室主任", "正科级", D(2022, 12, 1), "05", None),
    ("21", "马德胜", "男", D(1981, 8, 8), "中共党员", "大学本科", "机电工程系教学科科长", "正科级", D(2017, 5, 1), "06", None),
    ("22", "白雪莹", "女", D(1987, 1, 19), "中共党员", "硕士研究生", "音乐系教学科副科长", "副科级", D(2019, 11, 1), "07", None),
    ("23", "高明辉", "男", D(1983, 3, 3), "中共党员", "大学本科", "基础部教学科科长", "正科级", D(2020, 6, 12), "08", None),
    ("24", "潘书瑶", "女", D(1990, 7, 7), "无党派人士", "硕士研究生", "基础部办公室副主任", "副科级", D(2021, 7, 1), "08", None),
    ("25", "孔令杰", "男", D(1984, 9, 9), "中共党员", "大学本科", "党委办公室副主任", "副处级", D(2023, 3, 1), "01、02", None),
    ("26", "沈亚楠", "女", D(1986, 2, 14), "中共党员", "大学本科", "机电工程系学生科副科长", "副科级", D(2018, 8, 1), "06", None),
    ("27", "杜永刚", "男", D(1982, 12, 1), "中共党员", "大学本科", "音乐系学生科科长", "正科级", D(2019, 1, 15), "07", None),
    ("28", "叶桂芳", "女", D(1988, 5, 20), "中共党员", "博士研究生", "科研处项目科副科长", "副科级", D(2020, 5, 20), "08", None),
    ("29", "魏子涵", "男", D(1990, 1, 31), "中共党员", "硕士研究生", "师范部学生科科长", "正科级", D(2023, 6, 13), "03", None),
    ("30", "方淑珍", "女", D(1985, 5, 5), "中共党员", "大学本科", "外语系学生科科长", "正科级", D(2018, 4, 1), "04、03", None),
)
# Age at first job by education, so 参加工作时间 is plausible.
START_AGE = {"大学专科": 21, "大学本科": 22, "硕士研究生": 25, "博士研究生": 28}
DEGREE = {"大学本科": "学士", "硕士研究生": "硕士", "博士研究生": "博士"}
PARTY_JOIN = {"中共党员": 21}  # 入党 at about 21; a 预备党员 joined within the past year
REGION = "360402"  # one region code (ID digits 1-6) for every sample ID; the people are invented
ROADS = ("浔阳路", "庐山路", "九龙街", "长虹大道", "湖滨路", "滨江路")
# Judges (seed 5's four groups and sizes); the first four 党委成员 and 孙丽 are campaign.toml's leadership.
PARTY_COMMITTEE = ("陈立新", "王海峰", "刘敏", "赵建国")
MIDDLE_LEADERS = ("孙丽",)
JUDGE_SIZES = (("Z", "专家评委", 7), ("D", "党委成员", 7), ("C", "中层干部", 12), ("J", "教师代表", 30))
# 教师代表: 13 of 30 hold a senior title, above seed 5's 40% (12 of 30).
TEACHER_TITLES = ("正高级",) * 3 + ("副高级",) * 10 + ("中级",) * 12 + ("初级",) * 5
EXPERT_UNITS = ("江州大学", "江州师范学院", "江州市教育科学研究院", "江州工程职业学院")


def post_rows() -> list[dict]:
    """Return the 职位表 rows."""
    rows = [{"code": c, "department": d, "title": t, "category": "正职", "places": 1} for c, d, t in POST_LIST]
    rows[4].update(YOUTH_POST_EXTRAS)
    return rows


def applicant_rows(rng: random.Random) -> list[dict]:
    """Return the 报名信息 rows, IDs built from the birth dates (sequence odd for men, GB 11643-1999 顺序码)."""
    rows = []
    for i, (no, name, gender, born, status, edu, post, rank, since, wanted, penalty) in enumerate(PEOPLE):
        seq = 100 + 2 * i + (1 if gender == "男" else 0)
        joined = (yearmonth(D(born.year + PARTY_JOIN[status], 6, 1)) if status in PARTY_JOIN
                  else "2025.09" if status == "中共预备党员" else None)
        rows.append({
            "number": no, "name": name, "gender": gender, "ethnicity": "回族" if i % 9 == 4 else "汉族",
            "birth_month": yearmonth(born), "id_number": make_id(REGION, born, seq), "political_status": status,
            "party_join_date": joined, "education": edu, "degree": DEGREE.get(edu),
            "work_start": f"{born.year + START_AGE[edu]}.07", "current_post": "江州职业技术学院" + post,
            "rank": rank, "rank_since": since, "grassroots_years": Decimal(rng.randint(0, 6)),
            "professional_title": rng.choice(("中级", "中级", "副高级", "初级")), "posts": wanted,
            "accept_reassignment": "否" if i % 7 == 3 else "是", "penalty_until": penalty,
            "phone": f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}",
            "address": f"江州市{rng.choice(ROADS)}{rng.randint(1, 300)}号",
        })
    return rows


def judge_rows(rng: random.Random) -> list[dict]:
    """Return the 评委名单 rows: 7 专家评委, 7 党委成员, 12 中层干部, 30 教师代表."""
    names = NamePool(rng)
    names.used.update(p[1] for p in PEOPLE)
    names.used.update(PARTY_COMMITTEE + MIDDLE_LEADERS)
    teacher_titles = list(TEACHER_TITLES)
    rng.shuffle(teacher_titles)
    fixed = {"党委成员": PARTY_COMMITTEE, "中层干部": MIDDLE_LEADERS}
    rows = []
    for prefix, group, size in JUDGE_SIZES:
        for j in range(size):
            known = fixed.get(group, ())
            rows.append({
                "number": f"{prefix}{j + 1:02d}", "name": known[j] if j < len(known) else names.take(),
                "group": group,
                "organisation": EXPERT_UNITS[j % len(EXPERT_UNITS)] if group == "专家评委" else "江州职业技术学院",
                "title_level": teacher_titles[j] if group == "教师代表" else "正高级" if group == "专家评委" else "副高级",
            })
    return rows


def make_sample(dest: Path) -> list[Path]:
    """Write 职位表, 报名信息 and 评委名单 of the sample campaign into dest."""
    rng = random.Random(5)  # seed 5 of the source material; any fixed number keeps the output stable
    groups = judge_groups_from(ROOT / "inputs" / "campaign.toml")
    return [
        write_workbook(dest / POSTS.file, POSTS, post_rows()),
        write_workbook(dest / APPLICANTS.file, APPLICANTS, applicant_rows(rng)),
        write_workbook(dest / JUDGES.file, JUDGES, judge_rows(rng), groups),
    ]


if __name__ == "__main__":
    for path in make_sample(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "inputs"):
        print(path)
