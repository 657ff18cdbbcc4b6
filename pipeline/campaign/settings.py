"""campaign.toml, read once: every key of every section checked, typed into frozen records.

`load_settings` reads the bytes, decodes them (a Notepad BOM is fine; GBK is named as such), parses the
TOML and checks each key against the tables below: its type, its range or its known values, the keys a
section must have, keys and sections nobody reads (with the nearest known name suggested), and the
timeline's dates. Every problem comes back at once, each naming the key path (`notice.working_days`,
`timeline[3].end`) and its line, and saying what to write instead.

[eligibility], [scoring] and [inspection] are validated against the 职位表 by their own readers
(pipeline.review.rules, pipeline.scoring.scheme); Settings keeps those tables read-only for them,
and `Settings.locate` gives their problems the line of the key they name.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping

from pipeline.campaign.org_kinds import KINDS_FILE, OrgKind, guess_kind, kinds_text, load_org_kinds
from pipeline.campaign.timeline import Step
from pipeline.campaign.toml_lines import KeyLines, decode_text
from pipeline.campaign.cleaning import YEAR_RANGE, CellError, parse_date
from pipeline.errors import InputErrors, Problem, ProblemCollector

CAMPAIGN_FILE = "campaign.toml"
# 《党政领导干部选拔任用工作条例》第四十四条: 任前公示 公示期不少于五个工作日.
MIN_PRE_APPOINTMENT_DAYS = 5
# The steps of the procedure in their order (mobilisation → … → appointment); a campaign may add its own.
STEP_KEYS = ("mobilisation", "registration", "review", "speech", "inspection", "decision",
             "pre_appointment_notice", "appointment")
# The kinds of organisation are templates/单位类型.toml (pipeline.campaign.org_kinds; docs/reference.md, 单位类型).
# The keys the 实施方案 and the 动员讲话 need. Every campaign issues both, so every command requires them
# (pipeline.outcome), and every missing one is reported at once.
PLAN_KEYS = ("documents.plan_date", "leadership_group.leader", "leadership_group.office", "supervision.unit",
             "supervision.phone", "notice.working_days", "notice.phone", "notice.address")
SPEECH_KEYS = ("speaker.name", "speaker.title", "notice.working_days", "supervision.unit", "documents.plan_date")
# No rule caps these; the caps catch a slip of the keyboard (50 for 5) before it prints a 公示 of months or a
# registration form of pages. A 公示 runs 5 working days (任前公示: at least 5); 20 is four weeks.
MAX_NOTICE_DAYS = 20
MAX_CHOICES = 10  # 志愿 rows on the blank 报名登记表
# Validated by their own readers against the 职位表 (see the module docstring).
DELEGATED_SECTIONS = ("eligibility", "scoring", "inspection")


# --- the records ---

@dataclass(frozen=True)
class Organisation:
    """[organisation]: the issuing body."""

    name: str
    short_name: str
    party_committee: str
    kind: str  # a table of templates/单位类型.toml
    personnel_office: str
    party_committee_short: str | None = None  # 院党委; None: the kind's committee word (镇党委)
    kind_words: OrgKind | None = field(default=None, repr=False)  # the kind's table, resolved at load

    @property
    def committee(self) -> str:
        """The deciding body as every paper and message names it: party_committee_short, else the kind's word."""
        if self.party_committee_short:
            return self.party_committee_short
        return self.kind_words.committee if self.kind_words is not None else "党委"


@dataclass(frozen=True)
class CampaignInfo:
    """[campaign]."""

    title: str
    reference_date: dt.date  # 报名截止日: ages, tenures and education are counted to this day
    year: int


@dataclass(frozen=True)
class Notice:
    """[notice]: the 公示 periods and where objections go."""

    working_days: int = 5  # 公示期 in working days
    pre_appointment_working_days: int | None = None  # None: working_days
    phone: str | None = None  # the office's 受理电话, printed in every 公示
    address: str | None = None  # the office's 受理地址
    publish_scores: bool = False
    review_notice_start: dt.date | None = None  # None: the day after the review step ends
    inspection_notice_start: dt.date | None = None  # None: the day after the speech step ends

    @property
    def pre_appointment_days(self) -> int:
        """The 任前公示's working days: its own setting, else the general one."""
        return self.pre_appointment_working_days or self.working_days


@dataclass(frozen=True)
class Documents:
    """[documents]: 发文字号, 成文日期, 试用期."""

    plan_number: str = ""  # 发文字号 of the 实施方案; blank prints nothing
    appointment_number: str = ""  # 发文字号 of the 任职通知
    plan_date: dt.date | None = None  # 成文日期 of the 实施方案
    appointment_date: dt.date | None = None  # 成文日期 of the 任职通知
    probation_months: int = 12
    # 职位层级 per 职位类别, for the posts whose 职位表 row leaves it blank: ((正职, 股级), (副职, 副股级)).
    post_levels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LeadershipGroup:
    """[leadership_group]: the 领导小组 the 实施方案 names."""

    leader: str | None = None
    deputy_leaders: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    office: str | None = None


@dataclass(frozen=True)
class Speaker:
    """[speaker]: who gives the 动员讲话."""

    name: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Supervision:
    """[supervision]: the 纪检监察 unit and its public line."""

    phone: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Registration:
    """[registration]: the blank 报名登记表."""

    max_choices: int = 3  # rows for posts on the blank 报名登记表


# [allocation] reassignment: how 调剂 places willing candidates on posts still unfilled after the 志愿
# (pipeline.appointment.allocation). "none": no 调剂; "same_category": among those who applied to a post of the
# same 类别 (正职/副职), by their best total.
REASSIGNMENT_RULES = {"none": "不调剂", "same_category": "在报考同类别（正职或副职）职位的人员中按总成绩调剂"}


@dataclass(frozen=True)
class AllocationRule:
    """[allocation]: 志愿 and 调剂 across posts."""

    reassignment: str = "none"  # a key of REASSIGNMENT_RULES


@dataclass(frozen=True)
class Settings:
    """campaign.toml, checked: typed sections, and the delegated sections as read-only tables."""

    organisation: Organisation
    campaign: CampaignInfo
    timeline: tuple[Step, ...]
    notice: Notice
    documents: Documents
    leadership_group: LeadershipGroup
    speaker: Speaker
    supervision: Supervision
    registration: Registration
    draw_seed: str  # [scoring] draw_seed, else the campaign's title
    eligibility: Mapping[str, Any]
    scoring: Mapping[str, Any]
    inspection: Mapping[str, Any]
    allocation: AllocationRule = AllocationRule()
    written: frozenset[str] = field(default=frozenset(), repr=False)  # key paths the file writes
    text: str = field(default="", repr=False, compare=False)

    def locate(self, problems: Iterable[Problem]) -> list[Problem]:
        """Give campaign.toml problems that name a key path the line of that key."""
        return locate(problems, self.text)

    def missing(self, *paths: str) -> list[Problem]:
        """A problem for each key a paper needs that the file leaves out (the 实施方案 needs documents.plan_date)."""
        lines = KeyLines(self.text)
        return [_missing_key(path, lines.line(path)) for path in paths if path not in self.written]


def locate(problems: Iterable[Problem], text: str) -> list[Problem]:
    """Fill the line of every campaign.toml problem whose column is a key path and whose line is unknown."""
    lines = KeyLines(text)
    return [replace(p, row=lines.line(p.column)) if p.file == CAMPAIGN_FILE and p.row is None and p.column
            else p for p in problems]


# --- what each key may hold ---

class _Wrong(Exception):
    """A value a key cannot take; the message says what to write instead."""


@dataclass(frozen=True)
class Key:
    """One key of a section: what it means, a good value, how it is read."""

    name: str
    label: str  # what the key means, as the message names it
    example: str  # a good value, written as in campaign.toml
    read: Callable[[Any, Key], Any]  # the value typed, or _Wrong
    required: bool = False


# A text of campaign.toml is printed on the papers: a name or title never needs more, and a longer value is a
# pasted document (and costs every paper that prints it).
MAX_TEXT = 200


def _text(value: Any, key: Key) -> str:
    if not isinstance(value, str):
        raise _Wrong(f"应写成加英文双引号的文字，如 {key.name} = {key.example}")
    hidden = [c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]
    if hidden:  # control characters break the DOCX (XML forbids them); zero-width ones print as nothing
        shown = "、".join(f"U+{ord(c):04X}" for c in dict.fromkeys(hidden))
        raise _Wrong(f"含有看不见的控制字符（{shown}），请删去后重新输入这段文字")
    if not value.strip():
        raise _Wrong(f"不能为空，如 {key.name} = {key.example}")
    if len(value.strip()) > MAX_TEXT:
        raise _Wrong(f"有 {len(value.strip())} 个字，太长了（最多 {MAX_TEXT} 个字）；请只写名称本身")
    return value.strip()


def _texts(value: Any, key: Key) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Wrong(f"应写成 {key.name} = {key.example} 这样的列表：方括号，每项加英文双引号，用英文逗号隔开")
    return tuple(_text(v, key) for v in value)


def _kind(value: Any, key: Key) -> Any:
    """Read by _Checker.kind: a code of 单位类型.toml, a table each build reads from its templates folder."""
    return value


def kind_problem(value: Any, kinds: Mapping[str, OrgKind]) -> str:
    """Say which kinds 单位类型.toml has, and which one the clerk meant (高校 → college)."""
    guess = guess_kind(value, kinds)
    hint = f"；{value}应写 kind = \"{guess}\"" if guess else ""
    return f"应为 {kinds_text(kinds)}之一，加英文双引号{hint}"


def _reassignment(value: Any, key: Key) -> str:
    if isinstance(value, str) and value.strip() in REASSIGNMENT_RULES:
        return value.strip()
    choices = "、".join(f"\"{code}\"（{gloss}）" for code, gloss in REASSIGNMENT_RULES.items())
    raise _Wrong(f"应为 {choices}之一，加英文双引号，如 {key.name} = {key.example}")


def _flag(value: Any, key: Key) -> bool:
    if isinstance(value, bool):
        return value
    raise _Wrong(f"应写 true（是）或 false（否），小写，不加引号，如 {key.name} = {key.example}")


def _date(value: Any, key: Key) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Wrong(f"只写日期，不写时刻：应写成 {key.name} = {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return value
    try:
        example = parse_date(value).isoformat() if isinstance(value, (str, int)) else key.example
    except CellError:
        example = key.example
    raise _Wrong(f"应写成 {example} 这样的日期，不加引号（年-月-日，用减号连接）")


def _integer(low: int, high: int | None = None) -> Callable[[Any, Key], int]:
    """An integer from low to high (no upper limit when high is None), written as a TOML integer."""
    def read(value: Any, key: Key) -> int:
        write = f"{key.name} = {key.example}"
        if isinstance(value, bool):
            raise _Wrong(f"应写成阿拉伯数字，如 {write}；true、false 只用于“是否”一类的设置")
        if isinstance(value, str):
            digits = value.strip().lstrip("+-").isdigit()
            quoted = "数字不加引号" if digits else "应写阿拉伯数字，不写汉字，不加引号"
            raise _Wrong(f"{quoted}，如 {write}")
        if not isinstance(value, int) or not low <= value <= (high if high is not None else value):
            span = f" {low} 到 {high} 之间" if high is not None else f"不小于 {low} "
            raise _Wrong(f"应为{span}的整数，如 {write}")
        return value
    return read


def _seed(value: Any, key: Key) -> str:
    """The 抽签 seed: any text or number the office recorded (pipeline.draw hashes its text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value, key)


def _post_levels(value: Any, key: Key) -> tuple[tuple[str, str], ...]:
    """职位层级 per 职位类别 (docs/reference.md, 试用期): an inline table of 正职/副职 to a post's level."""
    from pipeline.campaign.columns import POST_CATEGORIES
    from pipeline.campaign.post_levels import parse_post_level

    if not isinstance(value, Mapping) or not value:
        raise _Wrong(f"应写成 {key.name} = {key.example} 这样的一对花括号，每类职位一项，用英文逗号隔开")
    unknown = [name for name in value if name not in POST_CATEGORIES]
    if unknown:
        raise _Wrong(f"只能写 {'、'.join(POST_CATEGORIES)}，“{'、'.join(unknown)}”不是职位类别，如 {key.name} = {key.example}")
    levels = []
    for category, level in value.items():
        try:
            levels.append((category, parse_post_level(level if isinstance(level, str) else shown(level))))
        except CellError as error:
            raise _Wrong(f"中{category}的{error.message}") from None
    return tuple(levels)


# 条例 第五十五条: 任职试用期为一年; the papers also word shorter ones (六个月), never longer.
PROBATION_MONTHS = (1, 12)

SECTIONS: dict[str, tuple[Key, ...]] = {
    "organisation": (
        Key("name", "单位全称", '"江州职业技术学院"', _text, True),
        Key("short_name", "单位简称", '"江职院"', _text, True),
        Key("party_committee", "党委（党组）全称", '"中共江州职业技术学院委员会"', _text, True),
        Key("party_committee_short", "党委简称", '"院党委"', _text),
        Key("kind", "单位类型", '"college"', _kind, True),
        Key("personnel_office", "承办部门", '"组织人事处"', _text, True),
    ),
    "campaign": (
        Key("title", "活动名称", '"2026年中层干部竞争上岗"', _text, True),
        Key("reference_date", "报名截止日", "2026-06-12", _date, True),
        Key("year", "年度", "2026", _integer(*YEAR_RANGE)),
    ),
    "notice": (
        Key("working_days", "公示期（工作日数）", "5", _integer(1, MAX_NOTICE_DAYS)),
        Key("pre_appointment_working_days", "任前公示的工作日数", "5", _integer(1, MAX_NOTICE_DAYS)),
        Key("phone", "受理电话", '"0512-58880000"', _text),
        Key("address", "受理地址", '"江州职业技术学院行政楼305室组织人事处"', _text),
        Key("publish_scores", "是否公布成绩", "true", _flag),
        Key("review_notice_start", "资格审查结果公示的张贴日期", "2026-06-17", _date),
        Key("inspection_notice_start", "考察对象公示的张贴日期", "2026-06-29", _date),
    ),
    "documents": (
        Key("plan_number", "实施方案的发文字号", '"江职院委〔2026〕8号"', _text),
        Key("appointment_number", "任职通知的发文字号", '"江职院委〔2026〕12号"', _text),
        Key("plan_date", "实施方案的成文日期", "2026-06-05", _date),
        Key("appointment_date", "任职通知的成文日期", "2026-07-16", _date),
        Key("probation_months", "试用期（月数）", "12", _integer(*PROBATION_MONTHS)),
        Key("post_levels", "各类职位的职位层级", '{ "正职" = "股级", "副职" = "副股级" }', _post_levels),
    ),
    "leadership_group": (
        Key("leader", "领导小组组长", '"陈立新（院党委书记）"', _text),
        Key("deputy_leaders", "领导小组副组长", '["王海峰（院长）"]', _texts),
        Key("members", "领导小组成员", '["刘敏（院党委副书记）", "赵建国（纪委书记）"]', _texts),
        Key("office", "领导小组办公室所在部门", '"组织人事处"', _text),
    ),
    "speaker": (
        Key("name", "讲话人姓名", '"陈立新"', _text),
        Key("title", "讲话人职务", '"院党委书记"', _text),
    ),
    "supervision": (
        Key("phone", "监督举报电话", '"0512-58880012"', _text),
        Key("unit", "监督单位", '"院纪委"', _text),
    ),
    "registration": (
        Key("max_choices", "报名登记表上的志愿数", "3", _integer(1, MAX_CHOICES)),
    ),
    "allocation": (
        Key("reassignment", "调剂办法", '"same_category"', _reassignment),
    ),
}
STEP = (
    Key("key", "步骤代号", '"review"', _text, True),
    Key("name", "步骤名称", '"资格审查"', _text, True),
    Key("start", "开始日期", "2026-06-15", _date, True),
    Key("end", "结束日期", "2026-06-16", _date),
)
DRAW_SEED = Key("draw_seed", "抽签种子", '"江职院2026竞争上岗抽签"', _seed)
RECORDS = {"organisation": Organisation, "campaign": CampaignInfo, "notice": Notice, "documents": Documents,
           "leadership_group": LeadershipGroup, "speaker": Speaker, "supervision": Supervision,
           "registration": Registration, "allocation": AllocationRule}
KNOWN_SECTIONS = (*SECTIONS, "timeline", *DELEGATED_SECTIONS)


# --- reading ---

def load_settings(path: Path, problems: ProblemCollector,
                  kinds: Mapping[str, OrgKind] | None = None) -> Settings | None:
    """Read and check campaign.toml; add every problem to `problems` and return None if there is any.

    kinds: the build's 单位类型.toml (pipeline.campaign.org_kinds); None reads the repository's templates/.
    """
    text = _decode(Path(path), problems)
    raw = _parse(text, problems) if text is not None else None
    if raw is None:
        return None
    if kinds is None:
        kinds = _default_kinds(problems)
        if kinds is None:
            return None
    check = _Checker(text, kinds)
    settings = check.settings(raw)
    problems.extend(check.problems)
    return None if check.problems else settings


def _default_kinds(problems: ProblemCollector) -> dict[str, OrgKind] | None:
    """The program's own 单位类型.toml, for a reader that names no templates folder."""
    try:
        return load_org_kinds()
    except InputErrors as exc:
        problems.extend(exc.problems)
        return None


def _decode(path: Path, problems: ProblemCollector) -> str | None:
    """The file's text: UTF-8, with or without the BOM Notepad writes."""
    if not path.is_file():
        problems.add(_problem("找不到配置文件，请把 campaign.toml 放在 campaign 文件夹中", "missing-file"))
        return None
    return decode_text(path.read_bytes(), CAMPAIGN_FILE, problems)


# Characters a Chinese input method slips into TOML, and what to type instead.
_SLIPS = (("“”‘’", "用了中文引号，请改成英文双引号 \"…\""), ("＝", "用了全角等号“＝”，请改成 ="),
          ("【】［］", "用了全角方括号，请改成 [ ]"), ("，", "列表中用了中文逗号“，”，请改成英文逗号 ,"))


def _parse(text: str, problems: ProblemCollector) -> dict[str, Any] | None:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.add(_syntax_problem(str(exc), text))
        return None
    if not raw:
        problems.add(_problem("文件是空的，没有任何设置；请以 inputs/campaign.toml 为样本填写", "empty-file"))
        return None
    return raw


def _syntax_problem(error: str, text: str) -> Problem:
    """Point at the line tomllib names ('… (at line N, column M)') and guess the slip from that line."""
    where = re.search(r"line (\d+), column (\d+)", error)
    if where is None:
        return _problem("文件没有写完整（末尾缺少引号或方括号）；请对照样本补全最后一项", "toml-syntax")
    line = int(where[1])
    code = text.split("\n")[line - 1].split("#", 1)[0]
    slips = [hint for chars, hint in _SLIPS if any(c in code for c in chars)]
    hint = "；".join(slips) or ("常见原因：文字没有加英文双引号、用了中文标点、同一项写了两次、"
                                "日期不是 2026-06-12 的写法")
    return _problem(f"第{where[2]}列附近格式有误：{hint}", "toml-syntax", row=line)


def _problem(message: str, code: str, column: str | None = None, row: int | None = None) -> Problem:
    return Problem(CAMPAIGN_FILE, message, row=row, column=column, code=code)


def _missing_key(path: str, row: int | None) -> Problem:
    section, _, name = path.rpartition(".")
    key = next(k for k in _keys_of(section) if k.name == name)
    return _problem(f"缺少{key.label}：请在{_where(section)}中写上 {name} = {key.example}", "missing-key", path, row)


def _where(section: str) -> str:
    """A table as the clerk finds it: [notice], or 第 3 个 [[timeline]]."""
    step = re.fullmatch(r"timeline\[(\d+)\]", section)
    return f"第 {step[1]} 个 [[timeline]] " if step else f" [{section}] "


def _keys_of(section: str) -> tuple[Key, ...]:
    return STEP if section.startswith("timeline[") else SECTIONS[section]


def _suggest(name: str, known: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(name, list(known), n=1)
    return match[0] if match else None


def _header(section: str) -> str:
    return f"[[{section}]]" if section == "timeline" else f"[{section}]"


def _frozen(value: Any) -> Any:
    """A read-only copy: tables become mappings, arrays tuples, floats exact Decimals (4.5 → Decimal("4.5"))."""
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return Decimal(str(value)) if isinstance(value, float) else value


def shown(value: Any) -> str:
    """A value as the clerk wrote it in the file (true, "2026-06-16", 2026-06-16 09:00:00, 7.0), never Python's repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"\"{value}\""
    if isinstance(value, Mapping):
        return "一个小节"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, Decimal) and not value.is_finite():  # TOML's inf and nan, read as Decimal
        return "nan" if value.is_nan() else ("-inf" if value < 0 else "inf")
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)


class _Checker:
    """Check one parsed campaign.toml; collect located problems."""

    def __init__(self, text: str, kinds: Mapping[str, OrgKind]) -> None:
        self.text, self.lines, self.kinds = text, KeyLines(text), kinds
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, code: str) -> None:
        self.problems.append(_problem(message, code, path, self.lines.line(path)))

    def settings(self, raw: dict[str, Any]) -> Settings | None:
        self.unknown_sections(raw)
        tables = {name: self.table(name, raw.get(name, {})) for name in (*SECTIONS, *DELEGATED_SECTIONS)}
        values = {name: self.keys(name, tables[name], keys) for name, keys in SECTIONS.items()}
        self.kind(values["organisation"], tables["organisation"])
        steps = self.timeline(raw.get("timeline", []))
        self.notice_days(values["notice"], tables["notice"])
        seed = self.value("scoring.draw_seed", tables["scoring"]["draw_seed"], DRAW_SEED) \
            if "draw_seed" in tables["scoring"] else None
        if self.problems:
            return None
        written = frozenset(f"{name}.{key}" for name in SECTIONS for key in values[name] if key != "kind_words")
        values["campaign"].setdefault("year", values["campaign"]["reference_date"].year)
        return Settings(
            **{name: RECORDS[name](**values[name]) for name in SECTIONS}, timeline=steps,
            draw_seed=seed or values["campaign"]["title"],
            **{name: _frozen(tables[name]) for name in DELEGATED_SECTIONS}, written=written, text=self.text)

    def kind(self, organisation: dict[str, Any], written: dict[str, Any]) -> None:
        """[organisation] kind names a table of 单位类型.toml; the record keeps that table (its words, levels)."""
        code = organisation.get("kind")
        if code is None or not self.kinds:  # no kinds: 单位类型.toml could not be read, and says so itself
            return
        if not isinstance(code, str) or code not in self.kinds:
            self.add("organisation.kind", f"单位类型{kind_problem(code, self.kinds)}；现在写的是 {shown(written['kind'])}"
                     f"；其他类型可在模板文件夹的 {KINDS_FILE} 中照样增加", "bad-value")
            # Checked after every key (it needs 单位类型.toml), said where the file has it, among the others.
            problem = self.problems.pop()
            at = next((i for i, p in enumerate(self.problems) if p.row is not None and problem.row is not None
                       and p.row > problem.row), len(self.problems))
            self.problems.insert(at, problem)
            return
        organisation["kind_words"] = self.kinds[code]

    def unknown_sections(self, raw: dict[str, Any]) -> None:
        for name, value in raw.items():
            if name in KNOWN_SECTIONS:
                continue
            tables = isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
            if not isinstance(value, dict) and not tables:
                self.add(name, f"“{name}”写在了所有小节之前，不属于任何小节；请把这一行移到相应的 [小节] 之下，"
                               "或删去", "unknown-key")
                continue
            guess = _suggest(name, KNOWN_SECTIONS)
            shown = f"[[{name}]]" if tables else f"[{name}]"
            self.add(name, f"不认识的小节“{shown}”，是不是“{_header(guess)}”？" if guess else
                     f"不认识的小节“{shown}”，可用的小节有：{'、'.join(KNOWN_SECTIONS)}；请改正或删去",
                     "unknown-section")

    def table(self, name: str, value: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.add(name, f"应写成一个 [{name}] 小节（一对方括号），其下每行一项", "bad-section")
        return {}

    def keys(self, path: str, table: dict[str, Any], keys: tuple[Key, ...]) -> dict[str, Any]:
        """The typed values of one table's keys; unknown, missing and malformed keys become problems."""
        by_name = {k.name: k for k in keys}
        for name in table:
            if name not in by_name:
                self.unknown_key(path, name, by_name)
        values = {}
        for key in keys:
            value = table.get(key.name)
            if value is None or (not key.required and isinstance(value, str) and not value.strip()):
                if key.required:
                    where = f"{path}.{key.name}"
                    self.problems.append(_missing_key(where, self.lines.line(where)))
                continue
            values[key.name] = self.value(f"{path}.{key.name}", value, key)
        return {name: value for name, value in values.items() if value is not None}

    def unknown_key(self, path: str, name: str, known: Iterable[str]) -> None:
        guess = _suggest(name, known)
        self.add(f"{path}.{name}", f"不认识的设置项“{name}”，是不是“{guess}”？" if guess else
                 f"不认识的设置项“{name}”，{_where(path).lstrip()}中可用的有：{'、'.join(known)}；请改正或删去这一行",
                 "unknown-key")

    def value(self, path: str, value: Any, key: Key) -> Any:
        try:
            return key.read(value, key)
        except _Wrong as wrong:
            self.add(path, f"{key.label}{wrong}；现在写的是 {shown(value)}", "bad-value")
            return None

    def notice_days(self, notice: dict[str, Any], written: dict[str, Any]) -> None:
        """任前公示 at least MIN_PRE_APPOINTMENT_DAYS working days, whichever key sets its length (条例 第四十四条)."""
        key = "pre_appointment_working_days" if "pre_appointment_working_days" in written else "working_days"
        days = notice.get(key, Notice.working_days)
        if days < MIN_PRE_APPOINTMENT_DAYS:
            other = "" if key != "working_days" else \
                f"（只想缩短其他公示时，另写 pre_appointment_working_days = {MIN_PRE_APPOINTMENT_DAYS}）"
            self.add(f"notice.{key}", f"任前公示不得少于{MIN_PRE_APPOINTMENT_DAYS}个工作日（《党政领导干部选拔任用"
                     f"工作条例》第四十四条），现在是{days}个；请改为 {MIN_PRE_APPOINTMENT_DAYS} 或更多{other}",
                     "notice-too-short")

    # --- [[timeline]] ---

    def timeline(self, value: Any) -> tuple[Step, ...]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add("timeline", "工作步骤应写成若干个 [[timeline]] 小节（两对方括号），每步一节", "bad-section")
            return ()
        steps = [(i, self.keys(f"timeline[{i}]", table, STEP)) for i, table in enumerate(value, 1)]
        complete = [(i, Step(**v)) for i, v in steps if {"key", "name", "start"} <= v.keys()]
        for i, step in complete:
            self.step_dates(i, step)
        self.step_order(complete)
        self.step_keys(complete)
        return tuple(step for _, step in complete)

    def step_dates(self, i: int, step: Step) -> None:
        if step.end is not None and step.end < step.start:
            self.add(f"timeline[{i}].end", f"“{step.name}”的结束日期 {step.end} 早于开始日期 {step.start}；"
                     "请改正其中之一（当天完成的步骤不写 end）", "date-order")

    def step_order(self, steps: list[tuple[int, Step]]) -> None:
        """Steps are written in the order they happen: the plan numbers them so, the speech ends with the last."""
        for (_, before), (i, step) in zip(steps, steps[1:]):
            if step.start < before.start:
                self.add(f"timeline[{i}].start", f"“{step.name}”的开始日期 {step.start} 早于上一步“{before.name}”"
                         f"的开始日期 {before.start}；各步骤应按时间先后书写，请核对日期", "date-order")

    def step_keys(self, steps: list[tuple[int, Step]]) -> None:
        """A key is written once (the papers look a step up by it); a near miss of a known key is a typo."""
        first: dict[str, int] = {}
        for i, step in steps:
            if step.key in first:
                self.add(f"timeline[{i}].key", f"步骤代号“{step.key}”与第 {first[step.key]} 个 [[timeline]] 重复；"
                         "每个代号只能用一次，请改正", "duplicate-step")
                continue
            first[step.key] = i
            guess = _suggest(step.key, STEP_KEYS) if step.key not in STEP_KEYS else None
            if guess and all(s.key != guess for _, s in steps):
                self.add(f"timeline[{i}].key", f"不认识的步骤代号“{step.key}”，是不是“{guess}”？", "unknown-key")


def settings_of(raw: dict[str, Any], kinds: Mapping[str, OrgKind] | None = None) -> Settings:
    """Settings from a table that is known to be right: the invented campaign of the template examples."""
    check = _Checker("", kinds if kinds is not None else load_org_kinds())
    settings = check.settings(raw)
    if check.problems:
        raise ValueError("; ".join(str(p) for p in check.problems))
    return settings
