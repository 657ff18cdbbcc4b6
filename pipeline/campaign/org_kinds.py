"""templates/单位类型.toml: the kinds of organisation (docs/reference.md, 单位类型), read and checked once.

Each [table] is one kind, named by the code campaign.toml writes in [organisation] kind. It holds the words the
实施方案 and the 动员讲话 use for that kind (镇机关各站所办, 我镇), the committee's default short name (镇党委),
the default level of a 正职 and a 副职 post (docs/reference.md, 试用期), and the titles `make synth` gives an
invented campaign of that kind. A new kind is a new table: no code names a kind.

Every problem comes back at once, located like campaign.toml's: the file, the key path (`township.scope`) and
its line, saying what to write.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from pipeline.campaign.cleaning import CellError
from pipeline.campaign.toml_lines import KeyLines
from pipeline.errors import InputErrors, Problem, ProblemCollector

KINDS_FILE = "单位类型.toml"
DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "templates"
# A kind's code is what a clerk types in campaign.toml: plain lower-case letters, as the seeds' kinds are.
CODE = re.compile(r"[a-z][a-z_]*")
MAX_TEXT = 200  # as campaign.toml's texts (pipeline.campaign.settings.MAX_TEXT): a phrase, never a document
JUDGE_GROUPS = 4  # the sample's four groups, weighted 4, 3, 1.5 and 1.5 (inputs/campaign.toml)


@dataclass(frozen=True)
class OrgKind:
    """One kind of organisation: its words, its default post levels, and the titles `make synth` invents."""

    code: str
    name: str  # 乡镇: how messages name the kind
    committee: str  # 镇党委: the deciding body, unless campaign.toml's party_committee_short says otherwise
    we: str
    staff: str
    all_staff: str
    scope: str
    work: str
    why: str
    day_job: str
    principal_level: str  # 正职's level when neither the 职位表 nor [documents] post_levels says it
    deputy_level: str
    judge_groups: tuple[str, ...]
    secretary: str
    deputy_leader: str
    member: str
    discipline: str
    discipline_secretary: str
    aliases: tuple[str, ...] = ()

    def phrases(self) -> dict[str, str]:
        """The words the 实施方案 and the 动员讲话 take as `ph` (templates: {{ ph.scope }})."""
        return {key: getattr(self, key) for key in PHRASE_KEYS}

    def post_levels(self) -> dict[str, str]:
        """职位类别 → the level a post of it carries by default (docs/reference.md, 试用期)."""
        return {"正职": self.principal_level, "副职": self.deputy_level}

    def matches(self, typed: str) -> bool:
        """Whether a clerk who typed `typed` for kind meant this one (街道 for subdistrict)."""
        return typed == self.name or typed in self.aliases


PHRASE_KEYS = ("committee", "we", "staff", "all_staff", "scope", "work", "why", "day_job")
# What each key means, as a message names it; every key but aliases must be written.
LABELS = {
    "name": "类型名称", "aliases": "其他说法", "committee": "对党委（党组）的称呼", "we": "单位自称",
    "staff": "对听众的称呼", "all_staff": "全体人员的说法", "scope": "职位所在的范围", "work": "单位的中心工作",
    "why": "中层干部为什么重要的一句话", "day_job": "日常工作不能放松的一句话",
    "principal_level": "正职的默认职位层级", "deputy_level": "副职的默认职位层级", "judge_groups": "评委组名称",
    "secretary": "党委（党组）书记的职务", "deputy_leader": "领导小组副组长的职务", "member": "党委（党组）成员的职务",
    "discipline": "监督单位的名称", "discipline_secretary": "监督单位负责人的职务",
}
LISTS = ("judge_groups", "aliases")
OPTIONAL = ("aliases",)
LEVELS = ("principal_level", "deputy_level")


def load_org_kinds(templates_dir: Path | None = None) -> dict[str, OrgKind]:
    """The kinds of `templates_dir`/单位类型.toml; InputErrors if wrong.

    A templates folder without the table (one an office kept from before it existed) uses the program's own.
    """
    path = Path(templates_dir or DEFAULT_DIR) / KINDS_FILE
    if not path.is_file():
        path = DEFAULT_DIR / KINDS_FILE
    if not path.is_file():
        raise InputErrors([Problem(KINDS_FILE, f"找不到单位类型表 {path}；请从程序自带的 templates/{KINDS_FILE} "
                                               "复制一份放在模板文件夹中", code="missing-file")])
    kinds, problems = _read(path.read_bytes())
    if problems:
        raise InputErrors(list(problems))
    return dict(kinds)


@lru_cache(maxsize=8)
def _read(data: bytes) -> tuple[tuple[tuple[str, OrgKind], ...], tuple[Problem, ...]]:
    """Parse and check the file's bytes once (every command of a run reads the same table)."""
    from pipeline.campaign.toml_lines import decode_text

    problems = ProblemCollector()
    text = decode_text(data, KINDS_FILE, problems)
    if text is None:
        return (), tuple(problems.problems)
    kinds = parse_org_kinds(text, problems)
    return tuple(kinds.items()), tuple(problems.problems)


def parse_org_kinds(text: str, problems: ProblemCollector) -> dict[str, OrgKind]:
    """Check every table of the text; add each problem, located, to `problems`; return the kinds that are right."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+)", str(exc))
        problems.add(Problem(KINDS_FILE, "格式有误：文字要加英文双引号，列表写成 [\"…\", \"…\"]，不要用中文标点；"
                                         "请对照文件中已有的小节改正", row=int(where[1]) if where else None,
                             code="toml-syntax"))
        return {}
    lines = KeyLines(text)
    kinds: dict[str, OrgKind] = {}
    if not raw:
        problems.add(Problem(KINDS_FILE, "文件中没有任何单位类型；每种类型写一个 [小节]，如 [township]", code="empty-file"))
    for code, table in raw.items():
        kind = _kind(code, table, lines, problems)
        if kind is not None:
            kinds[code] = kind
    return kinds


def _kind(code: str, table: Any, lines: KeyLines, problems: ProblemCollector) -> OrgKind | None:
    def fail(key: str, message: str, problem: str = "bad-value") -> None:
        path = f"{code}.{key}" if key else code
        problems.add(Problem(KINDS_FILE, message, row=lines.line(path), column=path, code=problem))

    before = len(problems.problems)
    if not isinstance(table, Mapping):
        fail("", f"“{code}”应写成一个 [{code}] 小节（一对方括号），其下每行一项", "bad-section")
        return None
    if not CODE.fullmatch(code):
        fail("", f"单位类型代号“{code}”只能用小写英文字母和下划线，如 [township]；"
                 "campaign.toml 中的 kind 要写同样的代号", "bad-code")
    if not table:
        fail("", f"[{code}] 小节是空的；请照其他小节写齐 {'、'.join(LABELS)} 各项", "empty-kind")
        return None
    values: dict[str, Any] = {}
    for key in table:
        if key not in LABELS:
            fail(key, f"不认识的项“{key}”，单位类型可写的项有：{'、'.join(LABELS)}；请改正或删去这一行", "unknown-key")
    for key, label in LABELS.items():
        if key not in table:
            if key not in OPTIONAL:
                fail(key, f"缺少{label}：请在 [{code}] 小节中写上 {key} = \"…\"（可参照其他小节）", "missing-key")
            continue
        value = table[key]
        if key in LISTS:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                fail(key, f"{label}应写成 {key} = [\"…\", \"…\"] 这样的列表：方括号，每项加英文双引号，用英文逗号隔开")
                continue
            value = tuple(v.strip() for v in value)
            if key == "judge_groups" and len(value) != JUDGE_GROUPS:
                fail(key, f"{label}应写 {JUDGE_GROUPS} 个（对应样本中权重为 4、3、1.5、1.5 的评委组），现在写了 {len(value)} 个")
                continue
        elif not isinstance(value, str):
            fail(key, f"{label}应写成加英文双引号的文字，如 {key} = \"…\"")
            continue
        elif not value.strip():
            fail(key, f"{label}不能为空；请写上文字，如 {key} = \"…\"")
            continue
        elif len(value.strip()) > MAX_TEXT:
            fail(key, f"{label}有 {len(value.strip())} 个字，太长了（最多 {MAX_TEXT} 个字）")
            continue
        else:
            value = value.strip()
        if key in LEVELS:
            value = _level(value, key, label, fail)
            if value is None:
                continue
        values[key] = value
    if len(problems.problems) > before:
        return None
    return OrgKind(code=code, **values)


def _level(value: str, key: str, label: str, fail) -> str | None:
    from pipeline.campaign.post_levels import parse_post_level

    try:
        return parse_post_level(value)
    except CellError as error:
        fail(key, f"{label}有误：{error.message}")
        return None


def kinds_text(kinds: Mapping[str, OrgKind]) -> str:
    """The kinds as a message lists them: township（乡镇）、subdistrict（街道）…"""
    return "、".join(f"{code}（{kind.name}）" for code, kind in kinds.items())


def guess_kind(typed: Any, kinds: Mapping[str, OrgKind]) -> str | None:
    """The code a clerk meant who typed a kind's Chinese name (街道 → subdistrict), or None."""
    if not isinstance(typed, str) or not typed.strip():
        return None
    typed = typed.strip()
    return next((code for code, kind in kinds.items() if kind.matches(typed)), None) or \
        next((code for code, kind in kinds.items() if typed in kind.name or kind.name in typed), None)
