"""Large invented campaigns for tests and benchmarks (seed 1's scale: 81 posts, 28 正职 and 53 副职).

Every person, ID number, phone and address is made up; ID numbers are valid under GB 11643.
The same seed gives the same bytes. `kind` (make synth KIND=township) invents an organisation of one kind of
templates/单位类型.toml, its units, judge groups and officials named in that kind's words (docs/reference.md,
单位类型); without it the campaign is the township on the sample's college words that it always was, so the
benchmark's figures stay comparable.
"""
from __future__ import annotations

import datetime as dt
import math
import random
import re
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.campaign.blank_workbooks import write_workbook
from pipeline.campaign.idcard import make_id
from pipeline.campaign.columns import APPLICANTS, JUDGES, POSTS
from pipeline.campaign.org_kinds import OrgKind, load_org_kinds

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TOML = ROOT / "inputs" / "campaign.toml"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国志强海燕晓明丽娟文杰春梅国华秀英伟东红霞玉兰振宇思远佳怡子涵浩然雨欣嘉豪婧琪凯文雪莹立新晨曦博文静怡俊峰慧敏永刚桂芳德胜明辉亚楠宏伟淑珍新民晓丽家豪欣然天宇雅琴书瑶志远云飞"
ETHNICITIES = ("汉族",) * 17 + ("回族", "满族", "壮族")
# Region codes used for invented ID numbers (the real ones of a few counties; the people are not real).
REGIONS = ("320582", "320581", "320583", "321281", "320623", "320925")
ROADS = ("人民路", "长江路", "港城大道", "沙洲路", "暨阳路", "杨舍东街", "塘桥北路", "金港大道", "梁丰路", "华昌路")
PROFESSIONAL_TITLES = ("无", "初级", "中级", "中级", "副高级")
# Seed 1 is a township: its 科室 and 站所 (names common to Jiangsu townships; the township is invented).
TOWNSHIP_UNITS = (
    "党政办公室", "组织人事办公室", "宣传统战办公室", "纪检监察室", "经济发展办公室", "财政和资产管理办公室",
    "规划建设办公室", "国土资源所", "环境保护办公室", "安全生产监督管理办公室", "社会事业办公室",
    "社会保障服务所", "民政办公室", "农业服务中心", "水利站", "城市管理办公室", "招商服务中心", "统计站",
    "审计办公室", "信访办公室", "综治办公室", "文化体育服务中心", "卫生计生办公室", "教育办公室",
    "党群工作办公室", "村镇建设管理所", "交通管理所", "市场监督协调办公室", "应急管理办公室",
    "退役军人服务站", "便民服务中心", "网格化管理中心", "工会办公室", "妇联办公室", "经济管理站",
)
# What campaign.toml says about the organisation; replaced for the invented township.
TOWNSHIP_TOML = {
    "name": "临江镇", "short_name": "临江", "party_committee": "中共临江镇委员会",
    "party_committee_short": "镇党委", "kind": "township", "personnel_office": "党政办公室",
    "plan_number": "临江委〔2026〕8号", "appointment_number": "临江委〔2026〕12号",
    "address": "临江镇人民政府二楼党政办公室", "office": "党政办公室",
}
# The units of the other kinds (invented, as offices of such bodies commonly name them).
SUBDISTRICT_UNITS = (
    "党政办公室", "党群工作办公室", "社区建设办公室", "城市管理办公室", "社会事务办公室", "经济发展办公室",
    "平安建设办公室", "财政所", "便民服务中心", "网格化管理中心", "退役军人服务站", "综合行政执法队",
    "社区卫生管理办公室", "文化体育服务站", "应急管理办公室",
)
BUREAU_UNITS = (
    "办公室", "人事科", "财务审计科", "政策法规科", "规划科", "行政审批科", "执法监督科", "综合业务科",
    "信息中心", "执法大队", "不动产登记中心", "调查监测站", "耕地保护科", "测绘地理信息科",
)
COMMISSION_UNITS = (
    "办公室", "组织人事科", "综合科", "工业经济科", "信息化推进科", "经济运行科", "投资规划科",
    "节能与综合利用科", "科技质量科", "政策法规科", "中小企业服务中心", "价格监测中心", "重点项目办公室",
)
COLLEGE_UNITS = (
    "党委办公室", "院长办公室", "组织人事处", "教务处", "学生处", "科研处", "财务处", "招生就业处",
    "后勤管理处", "信息中心", "图书馆", "机电工程系", "信息工程系", "经济管理系", "基础部", "继续教育学院",
)
# The invented organisation of each kind: campaign.toml's [organisation], 发文字号 and addresses (retitle_toml keys).
KIND_TOML = {
    "township": {**TOWNSHIP_TOML, "draw_seed": "临江2026竞争上岗抽签"},
    "subdistrict": {
        "name": "江州市江阳区长河街道", "short_name": "长河街道", "party_committee": "中共江州市江阳区长河街道工作委员会",
        "personnel_office": "党政办公室", "plan_number": "长河工委〔2026〕8号",
        "appointment_number": "长河工委〔2026〕12号", "address": "长河街道办事处二楼党政办公室",
        "office": "党政办公室", "draw_seed": "长河街道2026竞争上岗抽签"},
    "bureau": {
        "name": "江州市江阳区自然资源局", "short_name": "江阳自然资源局", "party_committee": "中共江州市江阳区自然资源局党组",
        "personnel_office": "人事科", "plan_number": "江阳自然资源党〔2026〕8号",
        "appointment_number": "江阳自然资源党〔2026〕12号", "address": "江阳区行政中心五楼人事科", "office": "人事科",
        "draw_seed": "江阳自然资源局2026竞争上岗抽签"},
    "commission": {
        "name": "江州市江阳区发展和改革委员会", "short_name": "江阳发改委",
        "party_committee": "中共江州市江阳区发展和改革委员会党组", "personnel_office": "组织人事科",
        "plan_number": "江阳发改党〔2026〕8号", "appointment_number": "江阳发改党〔2026〕12号",
        "address": "江阳区行政中心七楼组织人事科", "office": "组织人事科", "draw_seed": "江阳发改委2026竞争上岗抽签"},
    "college": {},  # the sample is a college
}
KIND_UNITS = {"township": TOWNSHIP_UNITS, "subdistrict": SUBDISTRICT_UNITS, "bureau": BUREAU_UNITS,
              "commission": COMMISSION_UNITS, "college": COLLEGE_UNITS}
# The sample's four judge groups (inputs/campaign.toml), renamed by a kind's judge_groups in this order.
SAMPLE_GROUPS = ("专家评委", "党委成员", "中层干部", "教师代表")
JUDGE_PREFIXES = "ABCDEFGHKLMN"
AREAS = ("东片", "西片", "南片", "北片")



def generate_campaign(
    dest: Path, posts: int = 81, principal: int = 28, applicants: int = 600, judges: int = 60, seed: int = 1,
    kind: str | None = None,
) -> None:
    """Write campaign.toml and the three input workbooks of an invented campaign into dest.

    kind: a code of templates/单位类型.toml; None: the township campaign of the benchmark (the sample's words).
    """
    if not 0 <= principal <= posts or posts < 1 or applicants < 0 or judges < 0:
        raise ValueError("need 0 <= principal <= posts, posts >= 1 and non-negative counts")
    rng = random.Random(seed)
    sample = SAMPLE_TOML.read_text(encoding="utf-8")
    if kind is None:
        toml_text, units, org_name = retitle_toml(sample, TOWNSHIP_TOML), TOWNSHIP_UNITS, TOWNSHIP_TOML["name"]
    else:
        toml_text, units = kind_toml(sample, kind), KIND_UNITS.get(kind, TOWNSHIP_UNITS)
        org_name = tomllib.loads(toml_text)["organisation"]["name"]
    config = tomllib.loads(toml_text)
    ref = config["campaign"]["reference_date"]
    groups = [(g["name"], int(g.get("min_judges", 0))) for g in config["scoring"]["groups"]]
    post_rows = make_posts(posts, principal, ref, units)
    names = NamePool(rng)
    applicant_rows = make_applicants(rng, names, applicants, [p["code"] for p in post_rows], ref, units)
    judge_rows = make_judges(rng, names, split_judges(judges, groups), org_name)
    write_campaign(dest, toml_text, post_rows, applicant_rows, judge_rows)


def kind_toml(sample: str, code: str) -> str:
    """The sample's campaign.toml as an organisation of kind `code`: its names, officials and judge groups in the
    words of templates/单位类型.toml (a kind added there without an invented organisation here keeps the sample's
    names, in that kind's words)."""
    kinds = load_org_kinds()
    if code not in kinds:
        raise ValueError(f"单位类型表中没有“{code}”，可用的有：{'、'.join(kinds)}")
    kind: OrgKind = kinds[code]
    org = {**KIND_TOML.get(code, {}), "kind": code, "party_committee_short": kind.committee}
    text = retitle_toml(sample, org)
    office = org.get("personnel_office", "组织人事处")
    old_unit = "江州职业技术学院，虚构单位"
    replacements = {
        "陈立新（院党委书记）": f"陈立新（{kind.secretary}）", "王海峰（院长）": f"王海峰（{kind.deputy_leader}）",
        "刘敏（院党委副书记）": f"刘敏（{kind.member}）", "赵建国（纪委书记）": f"赵建国（{kind.discipline_secretary}）",
        "孙丽（组织人事处处长）": f"孙丽（{post_title(office, True)}）", 'title = "院党委书记"': f'title = "{kind.secretary}"',
        'unit = "院纪委"': f'unit = "{kind.discipline}"', 'name = "党委研究决定"': f'name = "{kind.committee}研究决定"',
        old_unit: f"{org.get('name', '江州职业技术学院')}，虚构单位",
        'tie_break = ["专家评委", "党委成员"]': f'tie_break = ["{kind.judge_groups[0]}", "{kind.judge_groups[1]}"]',
    }
    replacements.update({f'name = "{old}"': f'name = "{new}"' for old, new in zip(SAMPLE_GROUPS, kind.judge_groups)})
    for old, new in replacements.items():
        if old not in text:
            raise ValueError(f"not in inputs/campaign.toml: {old}")
        text = text.replace(old, new, 1)
    return text


def write_campaign(
    dest: Path, toml_text: str, posts: Sequence[Mapping[str, Any]], applicants: Sequence[Mapping[str, Any]],
    judges: Sequence[Mapping[str, Any]],
) -> list[Path]:
    """Write campaign.toml and the three filled input workbooks into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "campaign.toml").write_text(toml_text, encoding="utf-8")
    config = tomllib.loads(toml_text)
    groups = tuple(g["name"] for g in config["scoring"]["groups"])
    return [
        dest / "campaign.toml",
        write_workbook(dest / POSTS.file, POSTS, posts),
        write_workbook(dest / APPLICANTS.file, APPLICANTS, applicants),
        write_workbook(dest / JUDGES.file, JUDGES, judges, groups),
    ]


def retitle_toml(text: str, values: Mapping[str, str]) -> str:
    """Replace the first `key = "..."` line of each given key, keeping its comment."""
    for key, value in values.items():
        text = re.sub(rf'^({re.escape(key)}\s*=\s*)"[^"]*"', lambda m: f'{m.group(1)}"{value}"', text,
                      count=1, flags=re.M)
    return text


def code_width(count: int) -> int:
    """Return the digits of a 职位代码: at least two, so codes read 01, 02, ..."""
    return max(2, len(str(count)))


def post_title(unit: str, principal: bool) -> str:
    """Return the title of a unit's head or deputy (主任, 所长, 站长, 处长, 科长, 队长)."""
    head = {"所": "所长", "站": "站长", "处": "处长", "科": "科长", "队": "队长", "馆": "馆长"}.get(unit[-1:], "主任")
    return unit + (head if principal else "副" + head)


def unit_name(i: int, names: Sequence[str] = TOWNSHIP_UNITS) -> str:
    """Return the i-th unit: the list, then the same units of its 片区 (东片 党政办公室, ...)."""
    rounds, base = divmod(i, len(names))
    if rounds == 0:
        return names[base]
    area = AREAS[(rounds - 1) % len(AREAS)] + ("" if rounds <= len(AREAS) else str(rounds))
    return area + names[base]


def make_posts(count: int, principal: int, ref: dt.date,
               names: Sequence[str] = TOWNSHIP_UNITS) -> list[dict[str, Any]]:
    """Return rows of 职位表: principal 正职 first, then 副职, one place each."""
    units = [unit_name(i, names) for i in range(max(principal, 1))]
    rows, width, seen = [], code_width(count), {}
    for i in range(count):
        is_head = i < principal
        unit = units[i if is_head else (i - principal) % len(units)]
        title = post_title(unit, is_head)
        seen[title] = seen.get(title, 0) + 1
        row = {"code": f"{i + 1:0{width}d}", "department": unit, "category": "正职" if is_head else "副职",
               "title": title + ("" if seen[title] == 1 else f"（{seen[title]}）"), "places": 1}
        rows.append(row)
    if count > principal:  # one youth-work deputy post carries seed 5's 团委书记 extras, shifted to our years
        rows[principal].update(born_on_or_after=dt.date(ref.year - 35, 5, 31), political_requirement="中共正式党员")
    if principal >= 2:
        rows[1]["min_education"] = "硕士研究生"
    return rows


class NamePool:
    """Invented names, unique within one campaign."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set()

    def take(self) -> str:
        """Return a new name: a surname and one or two given characters."""
        while True:
            given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name


def yearmonth(day: dt.date) -> str:
    """Return a date as a clerk writes 出生年月: 1985.03."""
    return f"{day.year}.{day.month:02d}"


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """Return a day in [start, end]."""
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def unique_id(rng: random.Random, used: set[str], born: dt.date, gender: str) -> str:
    """Return an unused valid ID for a birth date; the sequence is odd for men (GB 11643-1999, 顺序码)."""
    while True:
        seq = rng.randrange(0, 500) * 2 + (1 if gender == "男" else 0)
        number = make_id(rng.choice(REGIONS), born, seq)
        if number not in used:
            used.add(number)
            return number


def unique_phone(rng: random.Random, used: set[str]) -> str:
    """Return an unused invented mobile number 13x xxxx xxxx."""
    while True:
        phone = f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
        if phone not in used:
            used.add(phone)
            return phone


def current_post(unit: str, rank: str) -> str:
    """Return an invented 现工作单位及职务 matching a rank."""
    return unit + "科员" if rank == "科员" else post_title(unit, rank != "副科级")


def make_applicants(
    rng: random.Random, names: NamePool, count: int, codes: Sequence[str], ref: dt.date,
    units: Sequence[str] = TOWNSHIP_UNITS,
) -> list[dict[str, Any]]:
    """Return rows of 报名信息 for invented applicants, each applying for one or two posts."""
    order = list(codes)
    rng.shuffle(order)
    ids, phones, rows = set(), set(), []
    width = max(4, len(str(count)))
    for i in range(count):
        wanted = [order[i % len(order)]]  # first choices go round the posts so every post has applicants
        if len(codes) > 1 and rng.random() < 0.3:
            wanted.append(rng.choice([c for c in codes if c != wanted[0]]))
        person = make_person(rng, names, ref, units)
        person.update(number=f"{i + 1:0{width}d}", posts="、".join(wanted),
                      id_number=unique_id(rng, ids, person.pop("born"), person["gender"]),
                      phone=unique_phone(rng, phones))
        rows.append(person)
    return rows


def make_person(rng: random.Random, names: NamePool, ref: dt.date,
                units: Sequence[str] = TOWNSHIP_UNITS) -> dict[str, Any]:
    """Return one invented applicant's details (without number, ID, phone and posts)."""
    born = random_day(rng, dt.date(ref.year - 48, 1, 1), dt.date(ref.year - 30, 12, 31))
    work = random_day(rng, dt.date(born.year + 21, 7, 1), dt.date(born.year + 25, 9, 1))
    rank = rng.choices(("科员", "副科级", "正科级", "副处级"), (4, 55, 36, 5))[0]
    status = rng.choices(("中共党员", "中共预备党员", "群众", "民盟盟员", "无党派人士"), (80, 3, 10, 4, 3))[0]
    education = rng.choices(("大学专科", "大学本科", "硕士研究生", "博士研究生"), (5, 65, 27, 3))[0]
    joined = None
    if status == "中共党员":
        joined = yearmonth(random_day(rng, dt.date(born.year + 19, 1, 1), ref - dt.timedelta(days=400)))
    elif status == "中共预备党员":
        joined = yearmonth(random_day(rng, ref - dt.timedelta(days=360), ref - dt.timedelta(days=30)))
    penalty = random_day(rng, ref - dt.timedelta(days=700), ref + dt.timedelta(days=700)) if rng.random() < 0.03 else None
    return {
        "name": names.take(), "gender": rng.choice(("男", "女")), "ethnicity": rng.choice(ETHNICITIES),
        "born": born, "birth_month": yearmonth(born), "political_status": status, "party_join_date": joined,
        "education": education, "degree": {"大学本科": "学士", "硕士研究生": "硕士", "博士研究生": "博士"}.get(education),
        "work_start": yearmonth(work), "current_post": current_post(rng.choice(units), rank),
        "rank": rank, "rank_since": random_day(rng, work + dt.timedelta(days=3 * 365), ref - dt.timedelta(days=60)),
        "grassroots_years": Decimal(rng.randint(0, 20)), "professional_title": rng.choice(PROFESSIONAL_TITLES),
        "accept_reassignment": rng.choice(("是", "是", "否")), "penalty_until": penalty,
        "address": f"江州市{rng.choice(ROADS)}{rng.randint(1, 399)}号",
    }


def split_judges(total: int, groups: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Share total judges among the groups: each its minimum first, the rest round the groups in turn."""
    floor = sum(m for _, m in groups)
    if total < floor:  # too few to meet every minimum: scale the minimums down, at least one each
        counts = [max(1, m * total // max(floor, 1)) for _, m in groups]
    else:
        counts = [m for _, m in groups]
        for i in range(total - floor):
            counts[i % len(groups)] += 1
    return [(name, n) for (name, _), n in zip(groups, counts)]


def make_judges(
    rng: random.Random, names: NamePool, sizes: Sequence[tuple[str, int]], org_name: str
) -> list[dict[str, Any]]:
    """Return rows of 评委名单; half of each group (rounded up) holds a senior title (seed 5 asks 40%)."""
    rows = []
    for prefix, (group, size) in zip(JUDGE_PREFIXES, sizes):
        senior = math.ceil(size / 2)
        titles = [rng.choice(("副高级", "正高级")) for _ in range(senior)] + ["中级"] * (size - senior)
        rng.shuffle(titles)
        for j, title in enumerate(titles, start=1):
            outside = group == "专家评委"  # seed 5: the experts all come from outside
            rows.append({"number": f"{prefix}{j:02d}", "name": names.take(), "group": group,
                         "organisation": rng.choice(("江州大学", "江州市委党校", "江州市行政学院")) if outside else org_name,
                         "title_level": title})
    return rows


def main(argv: list[str] | None = None) -> int:
    """`make synth`: write an invented campaign folder (python -m devtools.synth --posts 81 --to synth-out)."""
    import argparse

    parser = argparse.ArgumentParser(prog="devtools.synth", description="生成一个虚构的大规模活动（用于测试和性能测试）")
    parser.add_argument("--posts", type=int, default=81, help="职位数")
    parser.add_argument("--principal", type=int, default=28, help="其中正职职位数")
    parser.add_argument("--applicants", type=int, default=600, help="报名人数")
    parser.add_argument("--judges", type=int, default=60, help="评委人数")
    parser.add_argument("--seed", type=int, default=1, help="随机种子，相同种子生成相同数据")
    parser.add_argument("--to", type=Path, default=Path("synth-out"), help="写入的文件夹（默认 synth-out）")
    parser.add_argument("--kind", choices=tuple(load_org_kinds()), default=None,
                        help="单位类型（templates/单位类型.toml 中的代号）；不写则为性能测试用的默认活动")
    args = parser.parse_args(argv)
    generate_campaign(args.to, posts=args.posts, principal=args.principal, applicants=args.applicants,
                      judges=args.judges, seed=args.seed, kind=args.kind)
    print(f"已生成虚构活动：{args.to}（{args.posts} 个职位，{args.applicants} 名报名人，{args.judges} 名评委）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
