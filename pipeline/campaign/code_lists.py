"""The national code lists a cadre's record uses: 政治面貌, 民族, 学历, 学位 (docs/reference.md, 国家标准代码表).

Each list holds the values the standard prints, the short forms clerks type for them (read as the standard's
value, and said so by `make check`), and words that name a category rather than a value.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from pipeline.campaign.cleaning import CellError, choice_text


@dataclass(frozen=True)
class CodeList:
    """One standard's values, the other names read as them, and category words refused with a hint."""

    standard: str  # e.g. "GB/T 4762《政治面貌代码》"
    values: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, str] = field(default_factory=dict)  # word → what to write instead
    refusals: Mapping[str, str] = field(default_factory=dict)  # a word that looks like a value but is not: why
    suffixes: tuple[str, ...] = ()  # values a longer name may end in, read as that value (工学学士 is a 学士)
    suggest: bool = False  # a long list: name the closest value rather than all of them

    def read(self, value) -> str:
        """Return the standard's value for what was typed, or raise CellError naming the standard."""
        text = choice_text(value)
        text = self.aliases.get(text, text)
        if text in self.values:
            return text
        if text in self.refusals:
            raise CellError(f"「{text}」{self.refusals[text]}", "not-this-column")
        ending = next((v for v in self.suffixes if text.removesuffix("学位").endswith(v)), None)
        if ending is not None:
            return ending
        if text in self.categories:
            raise CellError(f"「{text}」是类别，不是{self.standard}中的值；{self.categories[text]}", "category-not-value")
        raise CellError(f"「{text}」不是{self.standard}中的值；{self._hint(text)}", "bad-choice")

    def _hint(self, text: str) -> str:
        if not self.suggest:
            return f"请从以下选择：{'、'.join(self.values)}"
        # 0.6: 维族 finds 维吾尔族; at 0.5 any X族 would be offered for a word sharing only 族 (漢族 → 黎族).
        close = difflib.get_close_matches(text, self.values, n=3, cutoff=0.6)
        closest = f"最接近的是{'、'.join(f'「{c}」' for c in close)}；" if close else ""
        return (f"{closest}请填写标准中的全称（共{len(self.values)}个，如 {'、'.join(self.values[:3])}），"
                "可从空白表格的下拉列表中选择")


# GB/T 4762-1984《政治面貌代码》, codes 01–13, in the short forms a cadre's form prints. The standard's own
# short forms 民革会员 (04) and 无党派民主人士 (12) are read as the forms in current use (民革党员: the 民革
# constitution calls its members 党员; 无党派人士: the term of today's 统一战线 documents).
DEMOCRATIC_PARTIES = ("民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员", "致公党党员", "九三学社社员",
                      "台盟盟员")
POLITICAL_STATUS = CodeList(
    standard="GB/T 4762《政治面貌代码》",
    values=("中共党员", "中共预备党员", "共青团员", *DEMOCRATIC_PARTIES, "无党派人士", "群众"),
    aliases={
        "党员": "中共党员", "中国共产党党员": "中共党员", "共产党员": "中共党员", "正式党员": "中共党员",
        "预备党员": "中共预备党员", "中国共产党预备党员": "中共预备党员",
        "团员": "共青团员", "中国共产主义青年团团员": "共青团员",
        "民革": "民革党员", "民革会员": "民革党员", "中国国民党革命委员会会员": "民革党员",
        "民盟": "民盟盟员", "中国民主同盟盟员": "民盟盟员",
        "民建": "民建会员", "中国民主建国会会员": "民建会员",
        "民进": "民进会员", "中国民主促进会会员": "民进会员",
        "农工党": "农工党党员", "中国农工民主党党员": "农工党党员",
        "致公党": "致公党党员", "中国致公党党员": "致公党党员",
        "九三": "九三学社社员", "九三学社": "九三学社社员", "九三社员": "九三学社社员",
        "台盟": "台盟盟员", "台湾民主自治同盟盟员": "台盟盟员",
        "无党派": "无党派人士", "无党派民主人士": "无党派人士",
    },
    categories={"民主党派": f"请写明所在的党派：{'、'.join(DEMOCRATIC_PARTIES)}",
                "民主党派成员": f"请写明所在的党派：{'、'.join(DEMOCRATIC_PARTIES)}"},
)

# GB/T 3304-1991《中国各民族名称的罗马字母拼写法和代码》: the 56 names in the order of their codes 01–56.
ETHNIC_GROUPS = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
ETHNICITY = CodeList(
    standard="GB/T 3304《中国各民族名称》",
    values=ETHNIC_GROUPS,
    # The name without 族 (汉, 蒙古, 维吾尔) is what clerks type most.
    aliases={name.removesuffix("族"): name for name in ETHNIC_GROUPS},
    suggest=True,
)

# GB/T 4658-2006《学历代码》, the categories a cadre's form prints (研究生 split as the standard's 11 and 14),
# from the highest down: 11 博士研究生, 14 硕士研究生, 21 大学本科, 31 大学专科, 41 中等专科, 61 普通高中,
# 71 初中 and below. The eligibility scale is this order: a lower code is a higher level.
EDUCATION = CodeList(
    standard="GB/T 4658《学历代码》",
    values=("博士研究生", "硕士研究生", "大学本科", "大学专科", "中等专科", "高中", "初中及以下"),
    aliases={
        "研究生": "硕士研究生",
        "本科": "大学本科", "大学": "大学本科",
        "大专": "大学专科", "专科": "大学专科",
        "中专": "中等专科", "中等专业学校": "中等专科",
        "普通高中": "高中", "初中": "初中及以下",
        # The standard's own names of a completed course (11 博士研究生毕业, 21 大学本科毕业 …).
        "博士研究生毕业": "博士研究生", "硕士研究生毕业": "硕士研究生", "研究生毕业": "硕士研究生",
        "大学本科毕业": "大学本科", "本科毕业": "大学本科", "大学专科毕业": "大学专科", "专科毕业": "大学专科",
        "大专毕业": "大学专科", "中等专科毕业": "中等专科", "中专毕业": "中等专科", "普通高中毕业": "高中",
        "高中毕业": "高中", "初中毕业": "初中及以下",
    },
    refusals={
        # 硕士 and 博士 typed as a 学历 are often the 学位 of an 在职 degree over a 大学本科 学历: never guessed.
        **{degree: (f"是学位，不是学历；「学历」请填写本人的毕业学历（如 {degree}研究生 或 大学本科），"
                    f"{degree}学位请填在「学位」列") for degree in ("硕士", "博士")},
        # 结业 and 肄业 (the standard's codes 12, 13, 22, 23 …) are not the 毕业 学历 a condition asks for.
        **{f"{course}{end}": (f"是{end}，不是毕业学历；请填写本人已取得的毕业学历（如 {lower}），"
                              f"{end}情况请在资格审查时说明")
           for course, lower in (("博士研究生", "硕士研究生"), ("硕士研究生", "大学本科"), ("研究生", "大学本科"),
                                 ("大学本科", "大学专科"), ("本科", "大学专科"), ("大学专科", "中等专科"),
                                 ("专科", "中等专科"), ("大专", "中等专科"))
           for end in ("结业", "肄业")},
    },
)
# GB/T 6864-2003《中华人民共和国学位代码》: 博士, 硕士, 学士 (名誉博士 is not a degree a cadre applies with);
# 无 for a 学历 without a degree.
DEGREE = CodeList(
    standard="GB/T 6864《学位代码》",
    values=("博士", "硕士", "学士", "无"),
    aliases={"博士学位": "博士", "硕士学位": "硕士", "学士学位": "学士", "无学位": "无"},
    # The standard codes degrees by discipline and kind (工学学士, 管理学硕士, 公共管理硕士 …): read as their level.
    suffixes=("博士", "硕士", "学士"),
    refusals={"名誉博士": "是荣誉称号，不是授予的学位；请填写本人取得的学位，没有的填“无”"},
)

CODE_LISTS: dict[tuple[str, ...], CodeList] = {c.values: c for c in (POLITICAL_STATUS, ETHNICITY, EDUCATION, DEGREE)}


class ReadAs(str):
    """A cell value read as another word than typed (党员 → 中共党员); `typed` keeps what the clerk wrote."""

    typed: str

    def __new__(cls, value: str, typed: str) -> "ReadAs":
        word = super().__new__(cls, value)
        word.typed = typed
        return word


def tag_reading(value, read: str):
    """Mark a choice read as another word than the one typed, so the load can say what it read."""
    typed = choice_text(value)
    return ReadAs(read, typed) if typed != read else read


@dataclass(frozen=True)
class Reading:
    """Every row of one column where one typed word was read as a standard value."""

    file: str
    column: str
    typed: str
    read: str
    rows: tuple[int, ...]

    def __str__(self) -> str:
        rows = "、".join(str(r) for r in self.rows)
        return f"{self.file}「{self.column}」：“{self.typed}”按“{self.read}”读取（第{rows}行）"


def collect_readings(sheets: Iterable[tuple[Any, Iterable[Any]]]) -> tuple[Reading, ...]:
    """Gather the ReadAs values of each (SheetSpec, rows): one Reading per (file, column, typed, read), in
    sheet and column order. The rows keep plain text afterwards, so no record carries a ReadAs."""
    found: dict[tuple[int, int, str, str], list[int]] = defaultdict(list)
    specs, files = [], {}
    for sheet, (spec, rows) in enumerate(sheets):
        specs.append(spec)
        keys = [c.key for c in spec.columns]
        for row in rows:
            for key, value in row.values.items():
                if isinstance(value, ReadAs):
                    found[(sheet, keys.index(key), value.typed, str(value))].append(row.source.row)
                    files[sheet] = row.source.file  # the file read: 报名信息.xls when that is what the folder holds
                    row.values[key] = str(value)
    return tuple(Reading(files[sheet], specs[sheet].columns[col].header, typed, read, tuple(rows))
                 for (sheet, col, typed, read), rows in sorted(found.items(), key=lambda item: (*item[0][:2], item[1])))
