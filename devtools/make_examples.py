"""The sample campaigns of examples/ beside the college one in inputs/ (docs/reference.md, 样本来源): a township
at seed 1's scale, a county bureau (seed 2), a 街道 (seed 3) and a commission (seed 4). Every unit and person is
invented.

Run: .venv/bin/python -m devtools.make_examples [NAME ...]   (all four by default; deterministic: same bytes twice)

For each example: campaign.toml and the three input workbooks are written (devtools.synth's people, in the layout
of `make input-templates`); then round by round, in campaign.toml order, the pipeline's own planner makes the
round's blank entry workbook (pipeline.run.plan_campaign(dir, ["scoresheets"]), the FileJob of 05-评分表/<file>),
which is filled with seeded invented scores and saved into the folder, and the next round is planned over those
the shortlist let through, as an office would do it. No 任职决定.xlsx: the build proposes (拟任建议稿).

Scores (the style of devtools/make_sample_scores.py): each person has a seeded strength; a 笔试 is the strength
with a little noise (one paper per person, whatever their posts), each judge adds at most ±2.5 in half points to
the candidacy's strength, a ballot spreads its voters by strength. The deliberate cases of each example (a tie on
the 笔试 cut, a vetoed top scorer, a ballot exactly on the veto boundary, a candidate below the vote share) are
made after the blank workbook is filled; tests/test_examples.py checks them against the pipeline's own outcome.

Features being added in parallel ([allocation] reassignment, [scoring.ballot] grades) are written
into campaign.toml only when the pipeline in this checkout reads them (`supports`): run this again after they are
merged and the examples take them up.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from devtools import synth  # noqa: E402
from pipeline.engine.xlsx_style import save_atomic  # noqa: E402
from pipeline.scoring.rounds import round_file  # noqa: E402

EXAMPLES = ROOT / "examples"
SCORING_DIR = "05-评分表"
HALF_POINTS = [Decimal(k) / 2 for k in range(-5, 6)]  # a judge's noise: -2.5 … +2.5 in half points


def supports(feature: str) -> bool:
    """Whether this checkout's pipeline reads a campaign.toml feature being added in parallel."""
    if feature == "allocation":
        from pipeline.campaign import settings

        return "allocation" in settings.SECTIONS
    if feature == "grades":
        from pipeline.scoring.scheme import BallotRule

        return "grades" in BallotRule.__dataclass_fields__
    raise ValueError(feature)


# ---------------------------------------------------------------- campaign.toml


def campaign_toml(org: dict[str, str], replace: dict[str, str], scoring: str, inspection: str = "1:1",
                  extra: str = "") -> str:
    """The sample's campaign.toml with another organisation, another scoring block and extra sections."""
    text = synth.retitle_toml(synth.SAMPLE_TOML.read_text(encoding="utf-8"), org)
    for old, new in replace.items():
        if old not in text:
            raise ValueError(f"not in inputs/campaign.toml: {old}")
        text = text.replace(old, new)
    start = text.index("# ------------------------------------------------------------\n# 评分办法")
    end = text.index("# ------------------------------------------------------------\n# 公示")
    block = (scoring.strip() + "\n\n[inspection]\n"
             f'ratio = "{inspection}"                   # 考察对象与职数之比\n\n' + (extra.strip() + "\n\n" if extra else ""))
    return text[:start] + block + text[end:]


# ---------------------------------------------------------------- people


def eligible_person(rng: random.Random, names: synth.NamePool, ref: dt.date, unit: str) -> dict[str, Any]:
    """An invented applicant who meets the sample's general conditions (本科, 45 周岁, 副科级满4年 …)."""
    person = synth.make_person(rng, names, ref)
    born = synth.random_day(rng, dt.date(ref.year - 44, 1, 1), dt.date(ref.year - 31, 12, 31))
    rank = rng.choice(("副科级", "副科级", "正科级"))
    since = synth.random_day(rng, dt.date(ref.year - 9, 1, 1), dt.date(ref.year - 5, 1, 1))
    education = rng.choice(("大学本科", "大学本科", "硕士研究生"))
    person.update(born=born, birth_month=synth.yearmonth(born), rank=rank, rank_since=since, education=education,
                  degree={"大学本科": "学士", "硕士研究生": "硕士"}[education], penalty_until=None,
                  political_status="中共党员", current_post=synth.current_post(unit, rank),
                  work_start=synth.yearmonth(dt.date(born.year + 23, 7, 1)),
                  party_join_date=synth.yearmonth(dt.date(born.year + 22, rng.randint(1, 12), 1)))
    return person


def applicant_rows(rng: random.Random, names: synth.NamePool, ref: dt.date, wishes: Sequence[Sequence[str]],
                   units: Sequence[str], reassign: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Rows of 报名信息, one per list of 志愿 (职位代码 in order of preference), everyone eligible."""
    ids, phones, rows = set(), set(), []
    for i, posts in enumerate(wishes):
        person = eligible_person(rng, names, ref, units[i % len(units)])
        person.update(number=f"{i + 1:03d}", posts="、".join(posts),
                      id_number=synth.unique_id(rng, ids, person.pop("born"), person["gender"]),
                      phone=synth.unique_phone(rng, phones))
        if reassign is not None:
            person["accept_reassignment"] = reassign[i]
        rows.append(person)
    return rows


def judge_rows(rng: random.Random, names: synth.NamePool, sizes: Sequence[tuple[str, int]], org: str,
               outside: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Rows of 评委名单; the groups named in outside come from other units (as seed 5's 专家评委)."""
    rows = synth.make_judges(rng, names, sizes, org)
    for row in rows:
        if row["group"] in outside:
            row["organisation"] = rng.choice(("江州市委组织部", "江州市委党校", "江州大学"))
    return rows


def post_row(code: str, department: str, title: str, category: str, places: int = 1, **more: Any) -> dict[str, Any]:
    return {"code": code, "department": department, "title": title, "category": category, "places": places, **more}


# ---------------------------------------------------------------- rounds: plan, fill, save


def plan_round(folder: Path):
    """The first round not typed yet and the bytes of its blank entry workbook, from the pipeline's own planner
    (None when every round is typed)."""
    from pipeline.run import plan_campaign

    prepared, plan = plan_campaign(folder, ["scoresheets"])
    stage = prepared.outcome.pending()
    if stage is None:
        return prepared, None, None
    name = f"{SCORING_DIR}/{round_file(stage.round)}"
    blank = next((f.content for f in plan.files if f.path == name), None)
    if blank is None:
        raise SystemExit(f"{folder.name}: 计划中没有 {name}（{'; '.join(str(s) for s in plan.skipped)}）")
    return prepared, stage, openpyxl.load_workbook(io.BytesIO(blank))


def rows_of(ws, first: int = 2):
    """(row, 报名序号, third column) of each filled row of an entry sheet."""
    for row in range(first, ws.max_row + 1):
        number = ws.cell(row=row, column=1).value
        if number not in (None, ""):
            yield row, str(number), ws.cell(row=row, column=3).value


def half(value: Decimal, low: Decimal = Decimal(0), high: Decimal = Decimal(100)) -> Decimal:
    """A score a clerk types: half points, within the full marks."""
    return min(high, max(low, (value * 2).to_integral_value() / 2))


@dataclass
class Scores:
    """Seeded strengths: a person's (笔试, ballots) and a candidacy's (the judges)."""

    rng: random.Random
    person: dict[str, Decimal]
    low: int = 62
    high: int = 94

    def of(self, number: str) -> Decimal:
        if number not in self.person:
            self.person[number] = Decimal(self.rng.randint(self.low * 2, self.high * 2)) / 2
        return self.person[number]

    def candidacy(self, number: str, post: str) -> Decimal:
        # the same person interviews a little differently for different posts (seeded by both)
        return self.of(number) + Decimal(random.Random(f"{number}|{post}").randint(-6, 6)) / 2


def fill_list(ws, scores: Scores, spread: int = 8) -> None:
    """A list round (笔试): one score per row in the 成绩 column; per person when the round is per person."""
    col = [c.value for c in ws[1]].index("成绩") + 1
    for row, number, _ in rows_of(ws):
        noise = Decimal(scores.rng.randint(-spread * 2, spread * 2)) / 2
        ws.cell(row=row, column=col, value=float(half(scores.of(number) + noise)))


def fill_judges(wb, scores: Scores, groups: Sequence[str]) -> None:
    """Every judge of every group sheet scores every candidacy: its strength and a judge's noise."""
    for group in groups:
        ws = wb[group]
        for row, number, post in rows_of(ws):
            for col in range(4, ws.max_column + 1):
                mark = half(scores.candidacy(number, str(post)) + scores.rng.choice(HALF_POINTS))
                ws.cell(row=row, column=col, value=float(mark))


def ballot_counts(strength: Decimal, voters: int, grades: int, rng: random.Random) -> list[int]:
    """Spread voters over the grades (best first) by strength: strong people get mostly the best grade."""
    best = max(0, min(voters, int(voters * (strength - 50) / 50) + rng.randint(-2, 2)))
    worst = rng.randint(0, 2) if grades > 2 else 0
    middle = voters - best - worst
    if middle < 0:
        best, middle = voters - worst, 0
    counts = [best] + [0] * (grades - 2) + [worst]
    if grades > 2:
        counts[1] = middle - middle // 4
        counts[2] += middle // 4
    else:
        counts[0] += middle
    return counts


def fill_ballot(ws, scores: Scores, voters: int, special: dict[str, list[int]] | None = None) -> None:
    """民主测评: the count of each grade per row, the grades as the header names them after 报名序号, 姓名 and,
    on a per-candidacy sheet, 职位代码 (a per-person sheet has no 职位代码 column)."""
    headers = [c.value for c in ws[1]]
    first = 4 if headers[2] == "职位代码" else 3
    grades = [g for g in headers[first - 1:] if g]
    for row, number, _ in rows_of(ws):
        counts = (special or {}).get(number) or ballot_counts(scores.of(number), voters, len(grades), scores.rng)
        assert sum(counts) == voters and len(counts) == len(grades), (number, counts)
        for col, count in enumerate(counts, start=first):
            ws.cell(row=row, column=col, value=count)


def fill_votes(wb, scores: Scores, valid: int, special: dict[tuple[str, str], int] | None = None) -> None:
    """民主推荐: 推荐票 per row by strength, 有效票 per post."""
    votes, valid_ws = wb["推荐票"], wb["有效票"]
    headers = [c.value for c in votes[1]]
    col = headers.index("推荐票数") + 1
    for row, number, post in rows_of(votes):
        key = (number, str(post) if col == 4 else "")
        share = (scores.of(number) - 40) / 60  # 62 → 0.37, 94 → 0.9
        count = (special or {}).get(key, int(valid * share))
        votes.cell(row=row, column=col, value=max(0, min(valid, count)))
    for row, _, _ in rows_of(valid_ws):
        valid_ws.cell(row=row, column=3, value=valid)


def save_round(folder: Path, stage, wb) -> Path:
    return save_atomic(wb, folder / round_file(stage.round))


def run_rounds(folder: Path, fillers: dict[str, Callable]) -> Any:
    """Plan, fill and save each round in order, until every round is typed; return the final outcome."""
    done = []
    while True:
        prepared, stage, wb = plan_round(folder)
        if stage is None:
            return prepared
        name = stage.round.name
        if name in done:
            raise SystemExit(f"{folder.name}: {name} 录入后仍未读到，请检查")
        fillers[name](wb, prepared, stage)
        save_round(folder, stage, wb)
        done.append(name)


def fresh(folder: Path) -> None:
    """Remove what a previous run wrote (README.md is written by hand and stays)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        if path.name != "README.md":
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def write_inputs(folder: Path, toml: str, posts, applicants, judges) -> None:
    fresh(folder)
    synth.write_campaign(folder, toml, posts, applicants, judges)


# ---------------------------------------------------------------- 1. township (seed 1)

TOWNSHIP_ORG = dict(synth.TOWNSHIP_TOML, address="临江镇人民政府二楼党政办公室")
TOWNSHIP_GROUPS = (("镇党政班子成员", 6), ("中层干部代表", 8), ("群众代表", 7))  # 21 judges
TOWNSHIP_UNREACHABLE = "05"  # a 正职 post whose condition nobody meets: it ends 空缺
TOWNSHIP_SCORING = """
# ------------------------------------------------------------
# 评分办法（seed 1：先笔试，按职数1:3入围面试；总成绩 = 笔试×40% + 面试×60%）
# ------------------------------------------------------------
[scoring]
full_marks = 100
decimals = 2                    # 公布的分数保留两位小数，四舍五入
tie_break = ["面试", "笔试"]     # 总成绩相同时先比面试成绩，再比笔试成绩
draw_seed = "临江镇2026竞争上岗面试抽签"   # 面试顺序由它随机排出，记入 05-评分表/抽签顺序.csv；抽签后请勿再改

[[scoring.groups]]
name = "镇党政班子成员"
weight = "5"
min_judges = 5

[[scoring.groups]]
name = "中层干部代表"
weight = "3"
min_judges = 7

[[scoring.groups]]
name = "群众代表"
weight = "2"
min_judges = 7

# 第一轮：笔试，每人一份试卷，报考几个职位都只录一次成绩（笔试成绩.xlsx）
[[scoring.components]]
name = "笔试"
source = "list"
per = "person"
weight = "40"

[scoring.components.shortlist]
ratio = "1:3"                   # 每个职位按职数1:3从高分到低分确定入围面试人选，末位同分的一并入围

# 第二轮：面试，各评委组去掉一个最高分和一个最低分后取平均，再按 5:3:2 合成
[[scoring.components]]
name = "面试"
source = "judges"
weight = "60"
"""
TOWNSHIP_ALLOCATION = """
# ------------------------------------------------------------
# 志愿与调剂：一人只能进入一个职位的考察；同时进入几个职位的，按志愿先后确定；
# 服从调剂的人员，可调剂到同类别（正职或副职）仍有空缺的职位
# ------------------------------------------------------------
[allocation]
reassignment = "same_category"
"""


def township_wishes(rng: random.Random, posts: Sequence[dict], count: int) -> list[list[str]]:
    """2 or 3 志愿 each: the first goes round the posts, the others mostly of the same 类别 (调剂 follows 类别)."""
    codes = [p["code"] for p in posts]
    category = {p["code"]: p["category"] for p in posts}
    order = list(codes)
    rng.shuffle(order)
    wishes = []
    for i in range(count):
        first = order[i % len(order)]
        same = [c for c in codes if c != first and category[c] == category[first]]
        other = [c for c in codes if c != first and category[c] != category[first]]
        mine = [first]
        for _ in range(rng.choice((1, 2, 2))):
            pool = [c for c in (same if rng.random() < 0.8 else other) if c not in mine]
            mine.append(rng.choice(pool))
        wishes.append(mine)
    return wishes


def make_township(folder: Path, applicants: int = 220) -> Any:
    rng = random.Random("examples/township")
    org = TOWNSHIP_ORG
    toml = campaign_toml(org, {'name = "演讲答辩及民主测评"': 'name = "笔试和面试"',
                               "陈立新（院党委书记）": "周建华（镇党委书记）", '"王海峰（院长）"': '"李卫东（镇长）"',
                               '"刘敏（院党委副书记）", "赵建国（纪委书记）", "孙丽（组织人事处处长）"':
                                   '"陈海燕（镇党委副书记）", "吴志刚（镇纪委书记）", "朱丽萍（镇党委组织委员）"',
                               'name = "陈立新"': 'name = "周建华"', 'title = "院党委书记"': 'title = "镇党委书记"',
                               'name = "党委研究决定"': 'name = "镇党委研究决定"',
                               'unit = "院纪委"': 'unit = "镇纪委"', "江州职业技术学院": "临江镇"},
                         TOWNSHIP_SCORING, "1:1", TOWNSHIP_ALLOCATION if supports("allocation") else "")
    ref = dt.date(2026, 6, 12)
    posts = synth.make_posts(81, 28, ref)
    # Nobody invented here is born after ref - 30 years: a post asking it is left 空缺 even after 调剂.
    posts[int(TOWNSHIP_UNREACHABLE) - 1]["born_on_or_after"] = dt.date(ref.year - 28, 1, 1)
    names = synth.NamePool(rng)
    wishes = township_wishes(rng, posts, applicants)
    rows = synth.make_applicants(rng, names, applicants, [p["code"] for p in posts], ref)
    for row, mine in zip(rows, wishes):
        row["posts"] = "、".join(mine)
    judges = synth.make_judges(rng, names, TOWNSHIP_GROUPS, org["name"])
    write_inputs(folder, toml, posts, rows, judges)
    scores = Scores(random.Random("township-scores"), {}, 55, 95)

    def exam(wb, prepared, stage):
        ws = wb.worksheets[0]
        fill_list(ws, scores, spread=10)
        make_exam_tie(ws, stage)

    def interview(wb, prepared, stage):
        fill_judges(wb, scores, [g for g, _ in TOWNSHIP_GROUPS])

    return run_rounds(folder, {"笔试": exam, "面试": interview})


def make_exam_tie(ws, stage) -> None:
    """One tie on the 笔试 cut: in the first post (职位表 order) with more than three candidates, the fourth
    best is given the third's score, so both go on (末位同分，一并入围)."""
    col = [c.value for c in ws[1]].index("成绩") + 1
    score = {number: Decimal(str(ws.cell(row=row, column=col).value)) for row, number, _ in rows_of(ws)}
    where = {number: row for row, number, _ in rows_of(ws)}
    by_post: dict[str, list[str]] = {}
    for cand in stage.candidates:
        by_post.setdefault(cand.post_code, []).append(cand.number)
    for code in sorted(by_post):
        ranked = sorted(by_post[code], key=lambda n: (-score[n], n))
        if len(ranked) >= 5 and score[ranked[2]] > score[ranked[3]] > score[ranked[4]]:
            ws.cell(row=where[ranked[3]], column=col, value=float(score[ranked[2]]))
            return
    raise SystemExit("township: 找不到可以做成末位同分的职位")


# ---------------------------------------------------------------- 2. bureau (seed 2)

BUREAU_ORG = {"name": "江州市江阳县自然资源局", "short_name": "江阳资规", "party_committee": "中共江阳县自然资源局党组",
              "party_committee_short": "局党组", "kind": "bureau", "personnel_office": "人事科",
              "plan_number": "江阳资规党〔2026〕8号", "appointment_number": "江阳资规党〔2026〕12号",
              "address": "江阳县自然资源局三楼人事科", "office": "人事科"}
BUREAU_POSTS = (("01", "办公室", "办公室主任", "正职"), ("02", "国土空间规划股", "国土空间规划股股长", "正职"),
                ("03", "耕地保护股", "耕地保护股股长", "正职"), ("04", "不动产登记中心", "不动产登记中心副主任", "副职"),
                ("05", "执法监察大队", "执法监察大队副大队长", "副职"), ("06", "矿产资源股", "矿产资源股副股长", "副职"))
BUREAU_GROUPS = (("局党组成员", 5), ("外请评委", 5))
BUREAU_VOTERS = 42  # 民主测评 ballots per person: all staff of the bureau present
BUREAU_SCORING = """
# ------------------------------------------------------------
# 评分办法（seed 2：笔试、面试、民主测评；总成绩 = 笔试×30% + 面试×50% + 民主测评×20%）
# ------------------------------------------------------------
[scoring]
full_marks = 100
decimals = 2
tie_break = ["面试", "笔试"]
draw_seed = "江阳资规2026竞争上岗面试抽签"

[[scoring.groups]]
name = "局党组成员"
weight = "6"
min_judges = 5

[[scoring.groups]]
name = "外请评委"
weight = "4"
min_judges = 5

# 第一轮：笔试，每人一份试卷；达到60分的进入面试
[[scoring.components]]
name = "笔试"
source = "list"
per = "person"
weight = "30"

[scoring.components.shortlist]
pass_mark = "60"

[[scoring.components]]
name = "面试"
source = "judges"
weight = "50"

# 第三轮：民主测评，每人一张测评票（报考几个职位都只测评一次），按档次折算分数
[[scoring.components]]
name = "民主测评"
source = "ballot"
per = "person"
weight = "20"

[scoring.ballot]
points = { "优秀" = "100", "称职" = "80", "基本称职" = "60", "不称职" = "0" }
veto_grade = "不称职"
veto_over = "1/3"               # “不称职”票超过有效票三分之一的，不列为考察对象（恰好三分之一不算超过）
"""


def make_bureau(folder: Path) -> Any:
    rng = random.Random("examples/bureau")
    toml = campaign_toml(BUREAU_ORG, {'name = "演讲答辩及民主测评"': 'name = "笔试、面试和民主测评"',
                                      "陈立新（院党委书记）": "顾振东（局党组书记、局长）", '"王海峰（院长）"': '"钱文斌（局党组副书记）"',
                                      '"刘敏（院党委副书记）", "赵建国（纪委书记）", "孙丽（组织人事处处长）"':
                                          '"沈玉梅（局党组成员、副局长）", "陆国平（派驻纪检组组长）", "邹静（人事科科长）"',
                                      'name = "陈立新"': 'name = "顾振东"', 'title = "院党委书记"': 'title = "局党组书记、局长"',
                                      'name = "党委研究决定"': 'name = "局党组研究决定"',
                               'unit = "院纪委"': 'unit = "派驻纪检组"', "江州职业技术学院": "江阳县自然资源局"},
                         BUREAU_SCORING, "1:1")
    ref = dt.date(2026, 6, 12)
    posts = [post_row(*p) for p in BUREAU_POSTS]
    names = synth.NamePool(rng)
    # 22 applicants; 007 and 015 apply for two posts (their 笔试 is typed once); every post has three or more.
    wishes = [["01"], ["01"], ["01", "02"], ["02"], ["02"], ["02"], ["03", "01"], ["03"], ["03"], ["03"],
              ["04"], ["04"], ["04"], ["04", "05"], ["05", "04"], ["05"], ["05"], ["06"], ["06"], ["06"],
              ["06", "05"], ["01"]]
    units = [p[1] for p in BUREAU_POSTS]
    rows = applicant_rows(rng, names, ref, wishes, units)
    judges = judge_rows(rng, names, BUREAU_GROUPS, BUREAU_ORG["name"], outside=("外请评委",))
    write_inputs(folder, toml, posts, rows, judges)
    scores = Scores(random.Random("bureau-scores"), {}, 50, 93)
    vetoed: list[str] = []

    def exam(wb, prepared, stage):
        fill_list(wb.worksheets[0], scores, spread=6)

    def interview(wb, prepared, stage):
        fill_judges(wb, scores, [g for g, _ in BUREAU_GROUPS])

    def ballot(wb, prepared, stage):
        # The top scorer of post 01 (笔试 and 面试 weighted, as the pipeline has them so far) gets 不称职 from
        # 15 of 42 ballots: 15/42 > 1/3 (14/42 would be exactly one third and not over), so the veto applies.
        top = top_scorer(folder, prepared, stage, "01")
        vetoed.append(top)
        fill_ballot(wb.worksheets[0], scores, BUREAU_VOTERS, {top: [20, 5, 2, 15]})

    outcome = run_rounds(folder, {"笔试": exam, "面试": interview, "民主测评": ballot})
    return outcome


def top_scorer(folder: Path, prepared, stage, post: str) -> str:
    """The 报名序号 of the best candidate of a post on the rounds typed so far, weighted as the total is (the
    pipeline's own reading of the typed workbooks: pipeline.outcome.run_rounds, pure)."""
    from pipeline.outcome import run_rounds as read_rounds
    from pipeline.scoring.rounds import round_score

    data = prepared.data
    stages, entry = read_rounds(data, folder, prepared.outcome.reviews)
    typed = [s for s in stages if s.typed]
    totals = {c.number: sum(round_score(data.scheme, s.round, c, entry).score * s.round.weight for s in typed)
              for c in stage.candidates if c.post_code == post}
    return max(sorted(totals), key=lambda n: totals[n])


# ---------------------------------------------------------------- 3. subdistrict (seed 3; seed 5's grades)

SUBDISTRICT_ORG = {"name": "江州市江阳区临湖街道", "short_name": "临湖街道", "party_committee": "中共江州市江阳区临湖街道工作委员会",
                   "party_committee_short": "街道党工委", "kind": "subdistrict", "personnel_office": "党政办公室",
                   "plan_number": "临湖工委〔2026〕8号", "appointment_number": "临湖工委〔2026〕12号",
                   "address": "临湖街道办事处一楼党政办公室", "office": "党政办公室"}
SUBDISTRICT_POSTS = (("01", "党政办公室", "党政办公室主任", "正职"), ("02", "社区建设办公室", "社区建设办公室主任", "正职"),
                     ("03", "城市管理办公室", "城市管理办公室副主任", "副职"), ("04", "便民服务中心", "便民服务中心副主任", "副职"),
                     ("05", "网格化管理中心", "网格化管理中心副主任", "副职"))
SUBDISTRICT_GROUPS = (("街道党工委成员", 5), ("社区书记代表", 5), ("机关干部代表", 7))
SUBDISTRICT_VOTERS = 36  # 12 of 36 不合格 is exactly one third: not over, no veto; 13 of 36 is over


def subdistrict_scoring(grades: bool) -> str:
    if grades:
        ballot = ('grades = ["优秀", "合格", "基本合格", "不合格"]   # seed 5 的四个档次，从好到差\n'
                  'points = { "优秀" = "100", "合格" = "80", "基本合格" = "60", "不合格" = "0" }\n'
                  'veto_grade = "不合格"')
    else:  # this checkout does not read [scoring.ballot] grades yet: the common four stand in
        ballot = 'veto_grade = "不称职"'
    return f"""
# ------------------------------------------------------------
# 评分办法（seed 3：演讲答辩定成绩；民主测评只作否决，不计入总成绩）
# ------------------------------------------------------------
[scoring]
full_marks = 100
decimals = 2
tie_break = ["街道党工委成员", "社区书记代表"]
draw_seed = "临湖街道2026竞争上岗演讲答辩抽签"

[[scoring.groups]]
name = "街道党工委成员"
weight = "5"
min_judges = 5

[[scoring.groups]]
name = "社区书记代表"
weight = "2.5"
min_judges = 5

[[scoring.groups]]
name = "机关干部代表"
weight = "2.5"
min_judges = 7

[[scoring.components]]
name = "演讲答辩"
source = "judges"
weight = "100"

# 民主测评 weight 为 0：不计入总成绩，只看是否被否决
[[scoring.components]]
name = "民主测评"
source = "ballot"
per = "person"
weight = "0"

[scoring.ballot]
{ballot}
veto_over = "1/3"               # 最差一档的票超过有效票三分之一的，不列为考察对象（恰好三分之一不算超过）
"""


def make_subdistrict(folder: Path) -> Any:
    rng = random.Random("examples/subdistrict")
    grades = supports("grades")
    toml = campaign_toml(SUBDISTRICT_ORG, {'name = "演讲答辩及民主测评"': 'name = "演讲答辩和民主测评"',
                                           "陈立新（院党委书记）": "蒋立群（街道党工委书记）", '"王海峰（院长）"': '"韩志明（街道办事处主任）"',
                                           '"刘敏（院党委副书记）", "赵建国（纪委书记）", "孙丽（组织人事处处长）"':
                                               '"许文清（街道党工委副书记）", "石玉（街道纪工委书记）", "彭晓东（街道党工委组织委员）"',
                                           'name = "陈立新"': 'name = "蒋立群"', 'title = "院党委书记"': 'title = "街道党工委书记"',
                                           'name = "党委研究决定"': 'name = "街道党工委研究决定"',
                               'unit = "院纪委"': 'unit = "街道纪工委"', "江州职业技术学院": "临湖街道"},
                         subdistrict_scoring(grades), "1:1")
    ref = dt.date(2026, 6, 12)
    posts = [post_row(*p) for p in SUBDISTRICT_POSTS]
    names = synth.NamePool(rng)
    wishes = [["01"], ["01"], ["01"], ["02"], ["02"], ["02", "01"], ["03"], ["03"], ["03", "04"],
              ["04"], ["04"], ["05"], ["05"], ["05"], ["04", "05"]]
    rows = applicant_rows(rng, names, ref, wishes, [p[1] for p in SUBDISTRICT_POSTS])
    judges = judge_rows(rng, names, SUBDISTRICT_GROUPS, SUBDISTRICT_ORG["name"])
    write_inputs(folder, toml, posts, rows, judges)
    scores = Scores(random.Random("subdistrict-scores"), {}, 68, 93)

    def speech(wb, prepared, stage):
        fill_judges(wb, scores, [g for g, _ in SUBDISTRICT_GROUPS])

    def ballot(wb, prepared, stage):
        # 001: 12 of 36 worst-grade ballots, exactly one third: not over, not vetoed.
        # 004: 13 of 36: over one third, vetoed (whatever the 演讲答辩 score).
        fill_ballot(wb.worksheets[0], scores, SUBDISTRICT_VOTERS, {"001": [10, 10, 4, 12], "004": [9, 10, 4, 13]})

    return run_rounds(folder, {"演讲答辩": speech, "民主测评": ballot})


# ---------------------------------------------------------------- 4. commission (seed 4)

COMMISSION_ORG = {"name": "江州市江阳区经济和信息化委员会", "short_name": "江阳经信委", "party_committee": "中共江州市江阳区经济和信息化委员会党组",
                  "party_committee_short": "委党组", "kind": "commission", "personnel_office": "组织人事科",
                  "plan_number": "江阳经信党〔2026〕8号", "appointment_number": "江阳经信党〔2026〕12号",
                  "address": "江阳区行政中心八楼组织人事科", "office": "组织人事科"}
COMMISSION_POSTS = (("01", "综合科", "综合科科长", "正职"), ("02", "工业经济科", "工业经济科科长", "正职"),
                    ("03", "信息化推进科", "信息化推进科副科长", "副职"), ("04", "中小企业服务中心", "中小企业服务中心副主任", "副职"))
COMMISSION_GROUPS = (("委党组成员", 5), ("外请评委", 5))
COMMISSION_VALID = 40  # 有效票 of the 民主推荐 in each post
COMMISSION_VOTERS = 40
COMMISSION_SCORING = """
# ------------------------------------------------------------
# 评分办法（seed 4：民主推荐、演讲答辩、民主测评；
# 总成绩 = 民主推荐得票率×20% + 演讲答辩×60% + 民主测评×20%）
# ------------------------------------------------------------
[scoring]
full_marks = 100
decimals = 2
tie_break = ["演讲答辩", "民主推荐"]
draw_seed = "江阳经信委2026竞争上岗演讲答辩抽签"

[[scoring.groups]]
name = "委党组成员"
weight = "6"
min_judges = 5

[[scoring.groups]]
name = "外请评委"
weight = "4"
min_judges = 5

# 第一轮：民主推荐，按职位投推荐票；得票率（推荐票÷有效票）达到二分之一的进入演讲答辩，并按百分制计入总成绩
[[scoring.components]]
name = "民主推荐"
source = "votes"
per = "candidacy"
weight = "20"

[scoring.components.shortlist]
vote_share = "1/2"

[[scoring.components]]
name = "演讲答辩"
source = "judges"
weight = "60"

[[scoring.components]]
name = "民主测评"
source = "ballot"
per = "person"
weight = "20"

[scoring.ballot]
points = { "优秀" = "100", "称职" = "80", "基本称职" = "60", "不称职" = "0" }
veto_over = "1/3"
"""


def make_commission(folder: Path) -> Any:
    rng = random.Random("examples/commission")
    toml = campaign_toml(COMMISSION_ORG, {'name = "演讲答辩及民主测评"': 'name = "民主推荐、演讲答辩和民主测评"',
                                          "陈立新（院党委书记）": "林国庆（委党组书记、主任）", '"王海峰（院长）"': '"黄晓峰（委党组副书记）"',
                                          '"刘敏（院党委副书记）", "赵建国（纪委书记）", "孙丽（组织人事处处长）"':
                                              '"潘明（委党组成员、副主任）", "曹云（派驻纪检组组长）", "叶倩（组织人事科科长）"',
                                          'name = "陈立新"': 'name = "林国庆"', 'title = "院党委书记"': 'title = "委党组书记、主任"',
                                          'name = "党委研究决定"': 'name = "委党组研究决定"',
                               'unit = "院纪委"': 'unit = "派驻纪检组"', "江州职业技术学院": "江阳区经济和信息化委员会"},
                         COMMISSION_SCORING, "1:1")
    ref = dt.date(2026, 6, 12)
    posts = [post_row(*p) for p in COMMISSION_POSTS]
    names = synth.NamePool(rng)
    wishes = [["01"], ["01"], ["01"], ["01", "02"], ["02"], ["02"], ["02"], ["03"], ["03"], ["03"],
              ["04"], ["04"], ["04", "03"], ["04"]]
    rows = applicant_rows(rng, names, ref, wishes, [p[1] for p in COMMISSION_POSTS])
    judges = judge_rows(rng, names, COMMISSION_GROUPS, COMMISSION_ORG["name"], outside=("外请评委",))
    write_inputs(folder, toml, posts, rows, judges)
    scores = Scores(random.Random("commission-scores"), {}, 62, 94)

    def recommend(wb, prepared, stage):
        # 002 for post 01: 20 of 40 votes, exactly one half: goes on (达到 includes the number).
        # 003 for post 01: 19 of 40 (47.5%): below one half, not in the 演讲答辩.
        fill_votes(wb, scores, COMMISSION_VALID, {("002", "01"): 20, ("003", "01"): 19})

    def speech(wb, prepared, stage):
        fill_judges(wb, scores, [g for g, _ in COMMISSION_GROUPS])

    def ballot(wb, prepared, stage):
        fill_ballot(wb.worksheets[0], scores, COMMISSION_VOTERS)

    return run_rounds(folder, {"民主推荐": recommend, "演讲答辩": speech, "民主测评": ballot})


MAKERS = {"township": make_township, "bureau": make_bureau, "subdistrict": make_subdistrict,
          "commission": make_commission}


def make(name: str, dest: Path | None = None) -> Any:
    return MAKERS[name](dest or EXAMPLES / name)


def main(argv: list[str] | None = None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(MAKERS)
    for name in names:
        prepared = make(name)
        print(f"已生成 examples/{name}：{summary(prepared)}")
    return 0


def summary(prepared) -> str:
    """A line per example: rounds and shortlist sizes, 考察对象."""
    outcome = prepared.outcome
    parts = []
    for stage in outcome.stages:
        through = sum(r.passed for r in stage.shortlist)
        ties = sum(r.tied_at_cut for r in stage.shortlist)
        parts.append(f"{stage.round.name} {len(stage.candidates)} 人次" +
                     (f"，入围 {through} 人次（末位同分 {ties}）" if stage.round.shortlist else ""))
    inspected = sum(r.inspection for r in outcome.results or ())
    return "；".join(parts) + f"；考察对象 {inspected} 人次"


if __name__ == "__main__":
    raise SystemExit(main())
