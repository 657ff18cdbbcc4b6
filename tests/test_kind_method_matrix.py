"""Every kind of organisation × every method shape: the papers say only what this campaign does, in this
organisation's words (docs/reference.md, 单位类型 and 评分).

Each cell copies one campaign folder of the repository (the shape), turns it into a campaign of one kind of
templates/单位类型.toml by editing its campaign.toml as text (the organisation's names; the kind; the titles of
the leadership group, the speaker and the supervising unit, the committee's step and the 公示's address made
the kind's), plans it and renders, without LibreOffice, the 实施方案, the 动员讲话, every public notice and
the two results papers the committee reads (成绩汇总表, 考察对象名单). Half the cells write the office's own
party_committee_short, half leave it out so the kind's committee is used.

Kind words checked (the text first loses the strings the clerk typed in the workbooks and in [scoring]: post
departments and titles, applicants' current posts and addresses, judges' organisations, judge group names —
those are the office's own words, not the program's): for every other kind, its committee, we, staff,
all_staff, scope, why and day_job from the table, and these words of its own —
township 镇机关 站所 乡镇 全镇; subdistrict 街道 社区; bureau 局机关 全局; commission 委机关 全委;
college 学院 院系 系部 教职工 全院 教学 课堂 —
less every word the current kind's own phrases or its organisation's names also contain. The committee's
name the campaign gives (party_committee_short, or the kind's default when it is left out) must be there.

Method words checked (all those papers together; each must be present exactly when the campaign uses
the method, so the test fails both ways): the round names 笔试, 面试, 演讲答辩 (and 演讲), 民主测评, 民主推荐;
入围 (a shortlist); 得票率 (民主推荐); 折算后的平均分 (民主测评 counted in the total); 不计入总成绩 (a veto-only
民主测评); 票超过有效票 (a veto); 去掉一个最高分, 去掉两个最高分 and 不去掉 (groups dropping one, two or no
scores each end); 同分时只去掉 (any group drops); 加分 (a bonus); and 否决 absent where there is no veto.
"""
from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.campaign.org_kinds import load_org_kinds
from pipeline.engine.pdf_check import docx_text
from pipeline.engine.render import document_meta, make_render_environment, render_docx
from pipeline.run import plan_campaign
from tests.conftest import ROOT, TEMPLATES

KINDS = load_org_kinds(TEMPLATES)


@dataclass(frozen=True)
class Identity:
    """An organisation typical of a kind: full name, short name, the party committee, a short name of its own."""

    name: str
    short: str
    party_committee: str
    own_short: str  # party_committee_short as an office might write it, unlike the kind's default


IDENTITIES = {
    "township": Identity("临江镇", "临江", "中共临江镇委员会", "临江镇党委"),
    "subdistrict": Identity("江州市江阳区临湖街道", "临湖街道", "中共江州市江阳区临湖街道工作委员会", "临湖街道党工委"),
    "bureau": Identity("江阳县自然资源局", "江阳资规", "中共江阳县自然资源局党组", "资规局党组"),
    "commission": Identity("江阳区经济和信息化委员会", "江阳经信委", "中共江阳区经济和信息化委员会党组", "经信委党组"),
    "college": Identity("江州职业技术学院", "江职院", "中共江州职业技术学院委员会", "学院党委"),
}
# Words of a kind beyond its table's phrases (the phrases themselves are taken from the table).
OWN_WORDS = {
    "township": ("镇机关", "站所", "乡镇", "全镇"),
    "subdistrict": ("街道", "社区"),
    "bureau": ("局机关", "全局"),
    "commission": ("委机关", "全委"),
    "college": ("学院", "院系", "系部", "教职工", "全院", "教学", "课堂"),
}
WORD_KEYS = ("committee", "we", "staff", "all_staff", "scope", "why", "day_job")


def _drops(*pairs: tuple[int, int]):
    """Give the sample's four groups these (drop_highest, drop_lowest), as test_method_prose does."""
    def edit(text: str) -> str:
        names = iter(("专家评委", "党委成员", "中层干部", "教师代表"))
        for name, (high, low) in zip(names, pairs):
            head = f'[[scoring.groups]]\nname = "{name}"\n'
            assert head in text, name
            text = text.replace(head, f"{head}drop_highest = {high}\ndrop_lowest = {low}\n")
        return text
    return edit


def _bonus(text: str) -> str:
    assert "\n[inspection]" in text
    return text.replace("\n[inspection]", '\n[scoring.bonus]\nname = "加分"\nmax = "3"\n\n[inspection]', 1)


def _bonus_sheet(folder: Path) -> None:
    """The typed 评分录入.xlsx gains its 加分 sheet (the blank's layout): 2 points for the first candidate, 0 else."""
    import openpyxl

    from pipeline.scoring.score_entry import ENTRY_FILE, LIST_HEADER

    wb = openpyxl.load_workbook(folder / ENTRY_FILE)
    first = wb[wb.sheetnames[0]]
    ws = wb.create_sheet("加分", len(wb.sheetnames) - 1)
    header, *rows = first.iter_rows(values_only=True)
    ws.append([*header[:3], LIST_HEADER])
    for i, row in enumerate(rows):
        ws.append([*row[:3], 2 if i == 0 else 0])
    wb.save(folder / ENTRY_FILE)


# shape → (folder, edit of campaign.toml beyond the kind's, edit of the copied folder). The sample's step
# "演讲答辩及民主测评" names a 民主测评 its scoring does not hold: campaign_of renames it 演讲答辩, so the method
# check tests the program's words, not the clerk's.
SHAPES = {
    "judges": ("inputs", None, None),
    "exam_interview": ("examples/township", None, None),
    "ballot_counted": ("examples/bureau", None, None),
    "veto_only": ("examples/subdistrict", None, None),
    "recommendation": ("examples/commission", None, None),
    "drop_none": ("inputs", _drops((0, 0), (0, 0), (0, 0), (0, 0)), None),
    "drop_0_1_2": ("inputs", _drops((0, 0), (1, 1), (2, 2), (1, 1)), None),
    "bonus": ("inputs", _bonus, _bonus_sheet),
}
# Besides the public notices: the plan and the speech, and the two results papers the committee reads.
PAPERS = ("实施方案.docx", "动员讲话.docx", "成绩汇总表.docx", "考察对象名单.docx")
CELLS = [(kind, shape) for kind in IDENTITIES for shape in SHAPES]


def uses_default_short(kind: str, shape: str) -> bool:
    """Half the cells leave party_committee_short out (the kind's committee), half write the office's own."""
    return (list(IDENTITIES).index(kind) + list(SHAPES).index(shape)) % 2 == 0


def _set(text: str, key: str, value: str) -> str:
    """Replace the first `key = "…"` line's value (comments after it kept)."""
    new, n = re.subn(rf'^{key} = "[^"]*"', f'{key} = "{value}"', text, count=1, flags=re.M)
    assert n == 1, key
    return new


def _titles(text: str, key: str, titles: list[str]) -> str:
    """Replace the parenthesised titles of one leadership line (leader = "周建华（镇党委书记）"), in order."""
    line = re.search(rf"^{key} = .*$", text, flags=re.M)
    assert line, key
    it = iter(titles)
    new = re.sub(r"（[^）]*）", lambda m: f"（{next(it)}）", line[0])
    return text[:line.start()] + new + text[line.end():]


def campaign_of(kind: str, shape: str, dest: Path) -> Path:
    """Copy the shape's folder to dest and make it a campaign of `kind`, editing campaign.toml as text."""
    folder, edit, edit_folder = SHAPES[shape]
    shutil.copytree(ROOT / folder, dest)
    toml = dest / "campaign.toml"
    text = toml.read_text("utf-8")
    who, k = IDENTITIES[kind], KINDS[kind]
    text = _set(text, "name", who.name)  # the first name = is [organisation]'s
    text = _set(text, "short_name", who.short)
    text = _set(text, "party_committee", who.party_committee)
    text = _set(text, "kind", kind)
    if uses_default_short(kind, shape):
        text = re.sub(r'^party_committee_short = .*\n', "", text, count=1, flags=re.M)
    else:
        text = _set(text, "party_committee_short", who.own_short)
    committee = k.committee if uses_default_short(kind, shape) else who.own_short
    text, n = re.subn(r'^name = "[^"]*研究决定"', f'name = "{committee}研究决定"', text, count=1, flags=re.M)
    assert n == 1
    text = text.replace('name = "演讲答辩及民主测评"', 'name = "演讲答辩"')
    text = _set(text, "address", f"{who.name}二楼办公室")
    text = _set(text, "plan_number", f"{who.short}〔2026〕8号")
    text = _set(text, "appointment_number", f"{who.short}〔2026〕12号")
    text = _titles(text, "leader", [k.secretary])
    text = _titles(text, "deputy_leaders", [k.deputy_leader])
    text = _titles(text, "members", [k.member, k.discipline_secretary, "组织人事部门负责人"])
    text = re.sub(r'^(\[speaker\]\nname = "[^"]*"\n)title = "[^"]*"', rf'\1title = "{k.secretary}"', text,
                  flags=re.M)
    text = re.sub(r'^(\[supervision\]\n(?:.*\n)*?)unit = "[^"]*"', rf'\1unit = "{k.discipline}"', text, count=1,
                  flags=re.M)
    if edit:
        text = edit(text)
    toml.write_text(text, "utf-8")
    if edit_folder:
        edit_folder(dest)
    raw = tomllib.loads(text)
    org = raw["organisation"]
    assert (org["name"], org["kind"], org.get("party_committee_short")) == \
        (who.name, kind, None if uses_default_short(kind, shape) else who.own_short)
    assert raw["speaker"]["title"] == k.secretary and raw["supervision"]["unit"] == k.discipline
    return dest


@dataclass
class Cell:
    kind: str
    shape: str
    committee: str
    other_committee: str  # the committee's name this cell does not use (default or the office's own)
    scheme: object
    data: object
    texts: dict[str, str]  # paper path → text

    @property
    def all_text(self) -> str:
        return "\n".join(self.texts.values())


@pytest.fixture(scope="module")
def cells(tmp_path_factory):
    """Each cell planned and rendered once, on first use."""
    env = make_render_environment()
    done: dict[tuple[str, str], Cell] = {}

    def get(kind: str, shape: str) -> Cell:
        if (kind, shape) not in done:
            folder = campaign_of(kind, shape, tmp_path_factory.mktemp(f"{kind}-{shape}") / "campaign")
            prepared, plan = plan_campaign(folder, ["all"], TEMPLATES)
            jobs = [j for j in plan.docs if j.public or j.template in PAPERS]
            assert {j.template for j in jobs} >= {*PAPERS, "资格审查结果公示.docx", "考察对象公示.docx", "任前公示.docx"}
            texts = {j.path: docx_text(render_docx(TEMPLATES / j.template, j.context, env, meta=document_meta(j)))
                     for j in jobs}
            default = uses_default_short(kind, shape)
            own, kinds_word = IDENTITIES[kind].own_short, KINDS[kind].committee
            done[kind, shape] = Cell(kind, shape, kinds_word if default else own, own if default else kinds_word,
                                     prepared.data.scheme, prepared.data, texts)
        return done[kind, shape]
    return get


def strip(text: str, strings) -> str:
    for s in sorted(strings, key=len, reverse=True):
        text = text.replace(s, "")
    return text


def data_strings(cell: Cell) -> list[str]:
    """What the office typed that a paper quotes as typed, longest first (stripped before the kind check)."""
    d = cell.data
    words = {p.department for p in d.posts} | {p.title for p in d.posts}
    words |= {a.current_post for a in d.applicants} | {a.address for a in d.applicants if a.address}
    words |= {j.organisation for j in d.judges if j.organisation} | {g.name for g in cell.scheme.groups}
    return [w for w in words if w]


def foreign_words(kind: str) -> dict[str, str]:
    """Word → the kind it belongs to, for every other kind, less what this kind's own phrases or names contain."""
    k, who = KINDS[kind], IDENTITIES[kind]
    own = "|".join([*k.phrases().values(), k.name, k.secretary, k.deputy_leader, k.member, k.discipline,
                    k.discipline_secretary, who.name, who.short, who.party_committee, who.own_short])
    words = {}
    for other, ok in KINDS.items():
        if other == kind:
            continue
        for word in (*(getattr(ok, key) for key in WORD_KEYS), *OWN_WORDS[other]):
            if word not in own:
                words[word] = other
    return words


def test_the_word_lists_are_what_the_docstring_says():
    # every kind has words another kind's campaign must not show, and the committee of each is among them
    for kind in KINDS:
        words = foreign_words(kind)
        for other in KINDS:
            if other != kind:
                assert KINDS[other].committee in words or KINDS[other].committee in \
                    "|".join(KINDS[kind].phrases().values()), (kind, other)
    assert "学院" in foreign_words("township") and "学院" not in foreign_words("college")
    assert "街道" in foreign_words("bureau") and "街道" not in foreign_words("subdistrict")


@pytest.mark.parametrize("kind,shape", CELLS, ids=[f"{k}-{s}" for k, s in CELLS])
def test_only_this_kinds_words(cells, kind, shape):
    cell = cells(kind, shape)
    words = foreign_words(kind)
    texts = {path: strip(text, data_strings(cell)) for path, text in cell.texts.items()}
    problems = []
    for path, text in texts.items():
        for word, other in words.items():
            if word in text:
                at = text.index(word)
                problems.append(f"{path}: {other} 的“{word}”：…{text[max(0, at - 20):at + 20]}…")
    assert not problems, "\n".join(problems)
    plan_text = next(t for p, t in cell.texts.items() if p.startswith("01-"))
    assert f"提交{cell.committee}研究确定" in plan_text
    # the committee's other name (the kind's default, or the office's own) appears nowhere but inside the
    # names that legitimately contain it: the one in use, the full party committee, the officials' titles
    # and what the office typed (judge groups such as 委党组成员)
    rest = strip(cell.all_text, [cell.committee, IDENTITIES[kind].party_committee, *titles_of(kind),
                                 *data_strings(cell)])
    assert cell.other_committee not in rest
    speech = next(t for p, t in cell.texts.items() if p.startswith("02-"))
    assert KINDS[kind].staff in speech and KINDS[kind].scope in plan_text


def titles_of(kind: str) -> tuple[str, ...]:
    """The officials' titles of the kind, which contain its committee's default name (镇党委书记)."""
    k = KINDS[kind]
    return k.secretary, k.deputy_leader, k.member, k.discipline, k.discipline_secretary


def methods_used(scheme) -> dict[str, bool]:
    """Phrase → whether this campaign's scoring uses the method it names (worked out from the scheme)."""
    names = {c.name if c.source != "judges" else "judges" for c in scheme.rounds}
    # a campaign of one judges' round (no [[scoring.components]]) calls it 演讲答辩 (docs/reference.md, 评分)
    judges = next((c.name for c in scheme.components if c.source == "judges"), "演讲答辩")
    ballot = next((c for c in scheme.rounds if c.source == "ballot"), None)
    veto = scheme.ballot is not None and scheme.ballot.veto_over is not None
    groups = scheme.groups
    return {
        "笔试": "笔试" in names, "面试": judges == "面试", "演讲答辩": judges == "演讲答辩", "演讲": judges == "演讲答辩",
        "民主测评": ballot is not None, "民主推荐": "民主推荐" in names,
        "入围": any(c.shortlist is not None for c in scheme.rounds[:-1]),
        "得票率": any(c.source == "votes" for c in scheme.rounds),
        "折算后的平均分": ballot is not None and ballot.weight > 0,
        "不计入总成绩": ballot is not None and ballot.weight == 0,
        "票超过有效票": veto,
        "去掉一个最高分": any(g.drop_highest == 1 for g in groups),
        "去掉两个最高分": any(g.drop_highest == 2 for g in groups),
        "不去掉": any(not (g.drop_highest or g.drop_lowest) for g in groups),
        "同分时只去掉": any(g.drop_highest or g.drop_lowest for g in groups),
        "加分": scheme.bonus is not None,
    }


@pytest.mark.parametrize("kind,shape", CELLS, ids=[f"{k}-{s}" for k, s in CELLS])
def test_only_the_methods_used(cells, kind, shape):
    cell = cells(kind, shape)
    text = cell.all_text
    wrong = [f"{'缺少' if used else '多出'}“{phrase}”" for phrase, used in methods_used(cell.scheme).items()
             if (phrase in text) != used]
    if not (cell.scheme.ballot and cell.scheme.ballot.veto_over is not None) and "否决" in text:
        wrong.append("多出“否决”")
    assert not wrong, "；".join(wrong)


def test_the_shapes_cover_every_method():
    # the matrix is worth its time only if each checked phrase is used by some shape and left out by another
    from pipeline.scoring.scheme import load_scheme

    seen: dict[str, set[bool]] = {}
    for folder, edit, _ in SHAPES.values():
        text = (ROOT / folder / "campaign.toml").read_text("utf-8")
        scheme = load_scheme(tomllib.loads(edit(text) if edit else text))
        for phrase, used in methods_used(scheme).items():
            seen.setdefault(phrase, set()).add(used)
    assert all(both == {True, False} for both in seen.values()), seen


def test_the_checks_see_another_kinds_words_and_another_campaigns_methods(cells):
    # a college's papers read as a township's show the college's words; read against the township's 笔试 and
    # 面试 scheme, the sample's single 演讲答辩 round shows every difference
    college = cells("college", "judges")
    text = strip(college.all_text, data_strings(college))
    assert {"院党委", "我院", "全院教职工", "学院各职能处室和教学院系"} <= {w for w in foreign_words("township") if w in text}
    township = cells("township", "exam_interview")
    wrong = {p for p, used in methods_used(township.scheme).items() if (p in college.all_text) != used}
    assert wrong == {"笔试", "面试", "演讲答辩", "演讲", "入围"}
