"""The input workbooks' columns: one place that the reader, the blank workbooks and the generator share.

Headers are what the clerk sees (Simplified Chinese); keys are the English field names of the records.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.campaign.code_lists import DEGREE, EDUCATION, ETHNICITY, POLITICAL_STATUS
from pipeline.campaign.ranks import RANK_NAMES


# Ordinal education scale for 最低学历 (docs/reference.md, 资格条件): the GB/T 4658 values, lowest first.
EDUCATION_LEVELS = tuple(reversed(EDUCATION.values))
# What an office writes for a level in campaign.toml or the 职位表 (本科 is 大学本科).
EDUCATION_ALIASES = {**{level: level for level in EDUCATION_LEVELS}, **EDUCATION.aliases}
# 现职级: every rank of the rank table (职务, 公务员职级, 管理岗位), in drop-down order.
RANKS = RANK_NAMES
POLITICAL_STATUSES = POLITICAL_STATUS.values
GENDERS = ("男", "女")
POST_CATEGORIES = ("正职", "副职")
YES_NO = ("是", "否")
TITLE_LEVELS = ("无", "初级", "中级", "副高级", "正高级")


# Where `make input-templates` writes the blank workbooks, inside OUT (pipeline/campaign/blank_workbooks.py).
BLANK_FOLDER = "空白表格"


def blank_hint(file: str) -> str:
    """Where a clerk finds the blank of an input workbook: every "missing" or "wrong header" message says it."""
    return f"运行 make input-templates 后，在输出文件夹（默认 outputs）的 {BLANK_FOLDER}/ 中可找到空白的{file}"


@dataclass(frozen=True)
class Column:
    """One column of an input sheet."""

    header: str
    key: str
    kind: str  # text | name | identifier | int | date | yearmonth | choice | idcard | phone | codes | decimal
    required: bool = True
    choices: tuple[str, ...] = ()
    width: int = 12
    note: str = ""  # what the 填表说明 sheet tells the clerk


@dataclass(frozen=True)
class SheetSpec:
    """One input workbook: its file name, sheet name and columns."""

    file: str
    sheet: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


POSTS = SheetSpec(
    file="职位表.xlsx",
    sheet="职位表",
    columns=(
        Column("职位代码", "code", "identifier", width=10, note="每个职位一个代码，如 01；报名信息中的报考职位填此代码"),
        Column("部门", "department", "text", width=16),
        Column("职位名称", "title", "text", width=18, note="如 办公室主任、综合科副科长"),
        Column("职位类别", "category", "choice", choices=POST_CATEGORIES, width=10),
        Column("职数", "places", "int", width=8, note="本职位拟选拔人数，正整数"),
        Column("最低学历", "min_education", "choice", required=False, choices=EDUCATION.values, width=12,
               note="本职位另有学历要求时填写，留空则按实施方案的一般条件"),
        Column("年龄上限", "max_age", "int", required=False, width=10, note="周岁，含本数；留空则按一般条件"),
        Column("出生日期不早于", "born_on_or_after", "date", required=False, width=14,
               note="如 1971-05-31，该日及以后出生者符合"),
        Column("政治面貌要求", "political_requirement", "choice", required=False,
               choices=("中共党员", "中共正式党员"), width=14, note="中共正式党员不含预备党员"),
        Column("考察比例", "inspection_ratio", "text", required=False, width=10, note="如 1:2；留空则按实施方案"),
        Column("其他条件", "other_conditions", "text", required=False, width=24, note="仅作说明，不参与自动审查"),
        # Read and checked in pipeline.campaign.load (post_levels.parse_post_level): 股级 is no rank, so no drop-down
        # of the rank table fits; blank means the level campaign.toml or the kind of organisation gives the category.
        Column("职位层级", "level", "text", required=False, width=10,
               note="如 正科级、副科级、股级、副股级；留空则按 campaign.toml 的 post_levels 或单位类型的惯例"),
    ),
)

APPLICANTS = SheetSpec(
    file="报名信息.xlsx",
    sheet="报名信息",
    columns=(
        Column("报名序号", "number", "identifier", width=10, note="每人一个，不得重复"),
        Column("姓名", "name", "name", width=10),
        Column("性别", "gender", "choice", choices=GENDERS, width=6),
        Column("民族", "ethnicity", "choice", choices=ETHNICITY.values, width=10, note="GB/T 3304 的民族全称，如 汉族、蒙古族"),
        Column("出生年月", "birth_month", "yearmonth", width=10, note="如 1978.05；须与身份证号一致"),
        Column("身份证号", "id_number", "idcard", width=21, note="18位，末位可为X；请设为文本格式"),
        Column("政治面貌", "political_status", "choice", choices=POLITICAL_STATUSES, width=14,
               note="GB/T 4762 的简称；民主党派成员写明党派，如 民盟盟员"),
        Column("入党时间", "party_join_date", "yearmonth", required=False, width=10),
        Column("学历", "education", "choice", choices=EDUCATION.values, width=12, note="GB/T 4658 的学历，如 大学本科；学位另填"),
        Column("学位", "degree", "choice", required=False, choices=DEGREE.values, width=8,
               note="GB/T 6864：博士、硕士、学士，没有学位的填“无”或留空"),
        Column("参加工作时间", "work_start", "yearmonth", width=12),
        Column("现工作单位及职务", "current_post", "text", width=24),
        Column("现职级", "rank", "choice", choices=RANKS, width=8),
        Column("任现职级时间", "rank_since", "date", width=12, note="如 2020-06-01，按任职文件日期"),
        Column("基层工作年限", "grassroots_years", "decimal", required=False, width=10, note="年，可留空"),
        Column("专业技术职务", "professional_title", "choice", required=False, choices=TITLE_LEVELS, width=12),
        Column("报考职位", "posts", "codes", width=14, note="填职位代码，报多个职位用顿号或逗号分隔，按志愿先后"),
        Column("是否服从调剂", "accept_reassignment", "choice", required=False, choices=YES_NO, width=10),
        Column("处分期满日期", "penalty_until", "date", required=False, width=12,
               note="受处分且尚在影响期内的填影响期满之日；无处分留空"),
        Column("联系电话", "phone", "phone", width=14),
        Column("家庭住址", "address", "text", required=False, width=24),
    ),
)

JUDGES = SheetSpec(
    file="评委名单.xlsx",
    sheet="评委名单",
    columns=(
        Column("评委编号", "number", "identifier", width=10, note="如 Z01；评分录入表按此编号列出"),
        Column("姓名", "name", "name", width=10),
        Column("评委组", "group", "text", width=14, note="须为 campaign.toml 中 [scoring] 定义的评委组之一"),
        Column("工作单位", "organisation", "text", required=False, width=20),
        Column("职称", "title_level", "choice", required=False, choices=TITLE_LEVELS, width=10),
    ),
)

# The committee's decisions (pipeline/appointment/decisions.py), put in the campaign folder after 讨论决定.
DECISIONS = SheetSpec(
    file="任职决定.xlsx",
    sheet="任职决定",
    columns=(
        Column("报名序号", "number", "identifier", width=10, note="与报名信息中的报名序号一致"),
        Column("姓名", "name", "name", width=10, note="与报名信息中的姓名一致"),
        Column("任职职位代码", "post", "identifier", width=14, note="须为该职位的考察对象"),
        Column("是否新提任", "newly_promoted", "choice", choices=YES_NO, width=12, note="新提任的实行试用期"),
    ),
)

ALL_SHEETS = (POSTS, APPLICANTS, JUDGES)  # read by every command
BLANK_SHEETS = (*ALL_SHEETS, DECISIONS)  # every workbook a clerk fills from a blank (make input-templates)
