"""Read a campaign folder (campaign.toml and the three workbooks) into records, or report every problem at once."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Mapping

from pipeline.errors import InputErrors, Problem, ProblemCollector
from pipeline.campaign.idcard import birth_date_of, gender_of
from pipeline.campaign.settings import load_settings
from pipeline.campaign.model import Applicant, Campaign, CampaignData, Judge, Post
from pipeline.campaign.personal_data import Finding, describe, own_findings, shape_findings
from pipeline.campaign.publish import PUBLIC_APPLICANT_COLUMNS, PUBLIC_POST_COLUMNS
from pipeline.campaign.code_lists import collect_readings
from pipeline.campaign.legacy_formats import sweep_stale_copies
from pipeline.campaign.cleaning import CellError
from pipeline.campaign.columns import APPLICANTS, JUDGES, POSTS, SheetSpec
from pipeline.campaign.post_levels import parse_post_level
from pipeline.campaign.xlsx_reader import Row, SheetData, cell_problem, read_workbook

CAMPAIGN_FILE = "campaign.toml"


def load_campaign_folder(folder: Path, templates_dir: Path | None = None) -> CampaignData:
    """Read and validate everything in a campaign folder; raise InputErrors listing every problem.

    templates_dir: the build's templates, whose 单位类型.toml names the kinds of organisation (None: templates/).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputErrors([Problem(str(folder), "找不到这个 campaign 文件夹；请检查 CAMPAIGN= 后面的路径", code="missing-folder")])
    sweep_stale_copies()  # a killed run's copy of an .xls (personal data) goes at the next run, whatever it reads
    problems = ProblemCollector()
    campaign = read_campaign_toml(folder / CAMPAIGN_FILE, problems, org_kinds_of(templates_dir, problems))
    posts = read_posts(folder, problems)
    applicants = read_applicants(folder, problems)
    judges = read_judges(folder, problems)
    cross_check(campaign, posts, applicants, judges, problems)
    readings = collect_readings(((POSTS, posts.rows), (APPLICANTS, applicants.rows), (JUDGES, judges.rows)))
    post_records = tuple(Post(**r.values, source=r.source) for r in posts.rows if not r.bad)
    rules, scheme = read_rules_and_scheme(campaign, post_records, problems, posts_read="code" in posts.keys)
    holidays = holidays_of(folder, problems)
    check_campaign_dates(campaign, holidays, problems)
    problems.raise_if_any()
    return CampaignData(
        campaign=campaign,
        posts=tuple(Post(**r.values, source=r.source) for r in posts.rows),
        applicants=tuple(_applicant(r) for r in applicants.rows),
        judges=tuple(Judge(**r.values, source=r.source) for r in judges.rows),
        rules=rules, scheme=scheme, holidays=holidays, readings=readings,
    )


def read_rules_and_scheme(campaign: Campaign | None, posts: tuple[Post, ...], problems: ProblemCollector,
                          posts_read: bool = True):
    """[eligibility] with the 职位表 columns, [scoring] and [inspection]: checked once, for every command.

    posts_read False: the 职位表 could not be read, so post codes in [[eligibility.post_rules]] are not
    checked against it (each would be "not in 职位表", a consequence, not a mistake of campaign.toml).
    """
    from pipeline.review.rules import parse_rules
    from pipeline.scoring.scheme import parse_scheme

    if campaign is None:
        return None, None
    settings = campaign.settings
    rules, found = parse_rules(settings.eligibility, posts, campaign.reference_date)
    problems.extend(settings.locate(p for p in found if posts_read or p.code != "unknown-post"))
    scheme, found = parse_scheme({"scoring": settings.scoring, "inspection": settings.inspection}, posts)
    problems.extend(settings.locate(found))
    return rules, scheme


def holidays_of(folder: Path, problems: ProblemCollector):
    """节假日安排.toml, read once; its problems are reported with everything else."""
    from pipeline.campaign.workdays import load_campaign_holidays

    try:
        return load_campaign_holidays(folder)
    except InputErrors as exc:
        problems.extend(exc.problems)
        return None


def check_campaign_dates(campaign: Campaign | None, holidays, problems: ProblemCollector) -> None:
    """Every 公示's dates and the papers' keys (campaign.toml alone), when the workbooks already refuse the run.

    A run that passes checks them in pipeline.outcome; one refused here never gets there, and the clerk
    would meet these campaign.toml problems only after mending the workbooks. Skipped when 节假日安排.toml
    could not be read: without its days every date would be off, a consequence, not a mistake.
    """
    from pipeline.campaign.workdays import HOLIDAY_FILE

    if campaign is not None and problems and not any(p.file == HOLIDAY_FILE for p in problems.problems):
        problems.extend(date_problems(campaign, holidays))


def date_problems(campaign: Campaign, holidays) -> list[Problem]:
    """What pipeline.campaign.notice_dates finds in campaign.toml's dates alone (no workbook needed)."""
    from pipeline.campaign.notice_dates import campaign_dates

    try:
        campaign_dates(CampaignData(campaign, (), (), (), holidays=holidays))
    except InputErrors as exc:
        return list(exc.problems)
    return []


# --- campaign.toml ---

def org_kinds_of(templates_dir: Path | None, problems: ProblemCollector) -> dict:
    """单位类型.toml of the build's templates, read once; its problems are reported with everything else."""
    from pipeline.campaign.org_kinds import load_org_kinds

    try:
        return load_org_kinds(templates_dir)
    except InputErrors as exc:
        problems.extend(exc.problems)
        return {}


def read_campaign_toml(path: Path, problems: ProblemCollector, kinds=None) -> Campaign | None:
    """Read and check every section of campaign.toml (pipeline.campaign.settings); kinds: 单位类型.toml's."""
    settings = load_settings(path, problems, kinds)
    if settings is None:
        return None
    org, info = settings.organisation, settings.campaign
    return Campaign(org_name=org.name, org_short_name=org.short_name, party_committee=org.party_committee,
                    org_kind=org.kind, personnel_office=org.personnel_office, title=info.title,
                    reference_date=info.reference_date, settings=settings)


# --- workbooks ---

def _read(folder: Path, spec: SheetSpec, problems: ProblemCollector) -> SheetData:
    data = read_workbook(folder, spec)
    problems.extend(data.problems)
    return data


def read_posts(folder: Path, problems: ProblemCollector) -> SheetData:
    """Read 职位表.xlsx; 职数 must be at least 1, 年龄上限 a plausible age (as in campaign.toml: 16–100)."""
    data = _read(folder, POSTS, problems)
    for row in data.rows:
        places = row.values.get("places")
        if places is not None and places < 1:
            _bad(row, POSTS, "places", "职数应为正整数，如 1", "bad-value", problems)
        max_age = row.values.get("max_age")
        if max_age is not None and not 16 <= max_age <= 100:
            _bad(row, POSTS, "max_age", f"年龄上限应为 16 到 100 之间的周岁数，现在是 {max_age}", "bad-value", problems)
        _check_public_text(row, POSTS, PUBLIC_POST_COLUMNS, problems)
        _read_post_level(row, problems)
    return data


def _read_post_level(row: Row, problems: ProblemCollector) -> None:
    """职位层级 as its canonical name (副科 → 副科级); a value that is no post's level is a located problem."""
    typed = row.values.get("level")
    if typed is None:
        return
    try:
        row.values["level"] = parse_post_level(typed)
    except CellError as error:
        row.values["level"] = None
        _bad(row, POSTS, "level", f"{error.message}（说明：新提任和试用期由职位层级和本人现职级比较得出）",
             error.code, problems)


def read_applicants(folder: Path, problems: ProblemCollector) -> SheetData:
    """Read 报名信息.xlsx; 出生年月 and 性别 must agree with 身份证号."""
    data = _read(folder, APPLICANTS, problems)
    for row in data.rows:
        _check_birth_month(row, problems)
        _check_gender(row, problems)
        _check_public_text(row, APPLICANTS, PUBLIC_APPLICANT_COLUMNS, problems)
    return data


def read_judges(folder: Path, problems: ProblemCollector) -> SheetData:
    """Read 评委名单.xlsx."""
    return _read(folder, JUDGES, problems)


def _bad(row: Row, spec: SheetSpec, key: str, message: str, code: str, problems: ProblemCollector) -> None:
    row.bad.add(key)
    problems.add(cell_problem(row, key, spec.column(key).header, message, code))


def _check_birth_month(row: Row, problems: ProblemCollector) -> None:
    """A 身份证号 whose birth date disagrees with 出生年月 is an input error (docs/reference.md, 公民身份号码)."""
    month, id_number = row.values.get("birth_month"), row.values.get("id_number")
    if month is None or id_number is None:
        return
    born = birth_date_of(id_number)
    if (born.year, born.month) != month:
        message = (f"出生年月为 {month[0]}.{month[1]:02d}，身份证号中的出生日期为 {born:%Y.%m.%d}，两者不一致；"
                   "请对照身份证核对其中之一")
        _bad(row, APPLICANTS, "birth_month", message, "birth-mismatch", problems)


def _check_gender(row: Row, problems: ProblemCollector) -> None:
    """GB 11643-1999 (顺序码): the 17th digit is odd for men, even for women."""
    gender, id_number = row.values.get("gender"), row.values.get("id_number")
    if gender is not None and id_number is not None and gender != gender_of(id_number):
        message = f"性别填的是{gender}，身份证号第17位表明是{gender_of(id_number)}；请对照身份证核对"
        _bad(row, APPLICANTS, "gender", message, "gender-mismatch", problems)


def _check_public_text(row: Row, spec: SheetSpec, keys: tuple[str, ...], problems: ProblemCollector) -> None:
    """A cell that is printed in a 公示 must not carry an ID number, a phone number or a home address."""
    values = row.values
    for key in keys:
        text = values.get(key)
        if key in row.bad or not isinstance(text, str):
            continue
        own = own_findings(text, values.get("id_number"), values.get("phone"), values.get("address"))
        found = own + [f for f in shape_findings(text) if f.masked not in {o.masked for o in own}]
        if found:
            _bad(row, spec, key, _publication_message(spec.column(key).header, found), "personal-data", problems)


def _publication_message(header: str, found: list[Finding]) -> str:
    return (f"这一格的内容会在公示中公开，其中有{describe(found)}；{header}中不得填写身份证号、"
            "电话号码或家庭住址，请删去（身份证号、联系电话、家庭住址请只填在各自的列中）")


def _applicant(row: Row) -> Applicant:
    values = dict(row.values)
    if values["accept_reassignment"] is not None:
        values["accept_reassignment"] = values["accept_reassignment"] == "是"
    return Applicant(**values, source=row.source)


# --- checks across rows and files ---

def cross_check(campaign: Campaign | None, posts: SheetData, applicants: SheetData, judges: SheetData,
                problems: ProblemCollector) -> None:
    """Check what no single cell shows: duplicates, unknown 职位代码, 评委组 not in campaign.toml.

    A check that needs a workbook which could not be read is skipped, with one line saying so.
    """
    problems.extend(_duplicates(posts.rows, "code", POSTS))
    problems.extend(_duplicates(applicants.rows, "number", APPLICANTS))
    problems.extend(_duplicates(applicants.rows, "id_number", APPLICANTS))
    problems.extend(_duplicates(judges.rows, "number", JUDGES))
    if "code" in posts.keys:
        problems.extend(_unknown_posts(posts, applicants.rows))
    elif applicants.rows:
        problems.add(_skipped_post_check(posts.file, applicants.rows[0]))
    if campaign is not None:
        problems.extend(_unknown_groups(campaign, judges.rows))


def _skipped_post_check(posts_file: str, row: Row) -> Problem:
    header = APPLICANTS.column("posts").header
    message = (f"{posts_file} 没能读出职位代码，所以暂未核对各行的{header}是否在职位表中；"
               f"改好{posts_file}后再运行，会逐行核对")
    return Problem(row.source.file, message, sheet=row.source.sheet, column=header, code="check-skipped")


def _duplicates(rows: list[Row], key: str, spec: SheetSpec) -> Iterable[Problem]:
    """Name every row that repeats a value, and the other rows that hold it."""
    by_value: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        if row.values.get(key) is not None:
            by_value[row.values[key]].append(row)
    header = spec.column(key).header
    for value, same in by_value.items():
        for row in same if len(same) > 1 else ():
            others = "、".join(f"第{r.source.row}行" for r in same if r is not row)
            message = f"{header}「{value}」与{others}重复；{header}不得重复，请核对后改正或删去重复的行"
            yield cell_problem(row, key, header, message, f"duplicate-{key.replace('_', '-')}")


def _unknown_posts(posts: SheetData, applicants: list[Row]) -> Iterable[Problem]:
    known = {p.values["code"] for p in posts.rows if p.values.get("code")}
    header = APPLICANTS.column("posts").header
    for row in applicants:
        unknown = [c for c in row.values.get("posts") or () if c not in known]
        if unknown:
            message = (f"职位代码 {'、'.join(unknown)} 不在 {posts.file} 中（{_listing(sorted(known))}）；"
                       "请按职位表填写职位代码")
            yield cell_problem(row, "posts", header, message, "unknown-post")


def _listing(codes: list[str], shown: int = 10) -> str:
    """Say which codes exist, without a wall of 81 codes."""
    if not codes:
        return "职位表中没有可用的职位代码"
    more = f"…共{len(codes)}个" if len(codes) > shown else ""
    return f"已有 {'、'.join(codes[:shown])}{more}"


def _unknown_groups(campaign: Campaign, judges: list[Row]) -> Iterable[Problem]:
    groups = [g.get("name") for g in campaign.settings.scoring.get("groups", ()) if isinstance(g, Mapping)]
    header = JUDGES.column("group").header
    for row in judges:
        group = row.values.get("group")
        if group is not None and group not in groups:
            message = (f"评委组「{group}」未在 campaign.toml 的 [[scoring.groups]] 中定义"
                       f"（已定义：{'、'.join(groups) or '无'}）；请改为其中之一，或在 campaign.toml 中增加该组")
            yield cell_problem(row, "group", header, message, "unknown-group")
