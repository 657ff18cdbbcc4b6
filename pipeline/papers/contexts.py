"""Build the plain dicts templates render from pipeline.campaign.model records.

Convention: dates stay datetime.date, year-months stay (year, month) and scores stay Decimal;
templates format them with the filters in pipeline.engine.jinja_env (cn_date, yearmonth, score). Text
fields are strings, never None: a missing optional value is "" so a blank form prints nothing.
Public papers (公示) get their person dicts only through pipeline.campaign.publish.public_person.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Sequence

from pipeline.campaign.settings import settings_of
from pipeline.campaign.model import Applicant, Campaign, Judge, Post, Source
from pipeline.campaign.publish import public_person

REASSIGNMENT_BOXES = "□是　　□否"  # a blank form lets the applicant tick one


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def organisation(campaign: Campaign) -> dict[str, str]:
    """Return the issuing body's names as templates use them ({{ org.name }})."""
    return {
        "name": campaign.org_name,
        "short_name": campaign.org_short_name,
        "party_committee": campaign.party_committee,
        "personnel_office": campaign.personnel_office,
    }


def campaign_info(campaign: Campaign) -> dict[str, Any]:
    """Return the campaign's title, year and reference date ({{ campaign.title }})."""
    return {
        "title": campaign.title,
        "year": campaign.settings.campaign.year,
        "reference_date": campaign.reference_date,
    }


def common_context(campaign: Campaign) -> dict[str, Any]:
    """Return what every template may use: org and campaign."""
    return {"org": organisation(campaign), "campaign": campaign_info(campaign)}


def person(applicant: Applicant) -> dict[str, Any]:
    """Return every field of an applicant for internal papers (报名登记表, 资格审查表)."""
    yes_no = {True: "是", False: "否", None: ""}
    return {
        "number": applicant.number,
        "name": applicant.name,
        "gender": applicant.gender,
        "ethnicity": applicant.ethnicity,
        "birth_month": applicant.birth_month,
        "political_status": applicant.political_status,
        "party_join_date": applicant.party_join_date or "",
        "education": applicant.education,
        "degree": _text(applicant.degree),
        "work_start": applicant.work_start,
        "id_number": applicant.id_number,
        "phone": applicant.phone,
        "address": _text(applicant.address),
        "current_post": applicant.current_post,
        "rank": applicant.rank,
        "rank_since": applicant.rank_since,
        "professional_title": _text(applicant.professional_title),
        "accept_reassignment": yes_no[applicant.accept_reassignment],
    }


def public_applicant(applicant: Applicant, post: Post | None = None, **extra: Any) -> dict[str, Any]:
    """Return what a 公示 may show about an applicant (docs/reference.md, 公开字段)."""
    record = person(applicant)
    if post is not None:
        record.update(post_code=post.code, post_title=post.title, post_department=post.department)
    record.update(extra)
    return public_person(record)


def post_record(post: Post) -> dict[str, Any]:
    """Return a post as templates see it ({{ p.title }})."""
    return {
        "code": post.code,
        "department": post.department,
        "title": post.title,
        "category": post.category,
        "places": post.places,
        "conditions": post_conditions(post),
    }


def post_conditions(post: Post) -> str:
    """Describe a post's own extra conditions in words; the common ones live in the plan's text."""
    parts = []
    if post.min_education:
        parts.append(f"{post.min_education}及以上学历")
    if post.max_age is not None:
        parts.append(f"{post.max_age}周岁以下")
    if post.born_on_or_after:
        d = post.born_on_or_after
        # "以后出生" includes the day itself (docs/reference.md, 计数用语).
        parts.append(f"{d.year}年{d.month}月{d.day}日以后出生（含当日）")
    if post.political_requirement:
        parts.append(post.political_requirement)
    if post.other_conditions:
        parts.append(post.other_conditions)
    return "；".join(parts)


def registration_context(campaign: Campaign, applicant: Applicant, posts: Iterable[Post]) -> dict[str, Any]:
    """Context for one applicant's pre-filled 报名登记表; posts may be all posts of the campaign."""
    by_code = {p.code: p for p in posts}
    chosen = []
    for code in applicant.posts:
        post = by_code.get(code)
        chosen.append(post_record(post) if post else {"code": code, "title": "", "department": ""})
    return {**common_context(campaign), "a": person(applicant), "posts": chosen}


def blank_registration_context(campaign: Campaign) -> dict[str, Any]:
    """Context for a blank 报名登记表 that applicants fill in by hand."""
    fields = dict.fromkeys(person(EXAMPLE_APPLICANT), "")
    fields["accept_reassignment"] = REASSIGNMENT_BOXES
    rows = campaign.settings.registration.max_choices
    blank_post = {"code": "", "title": "", "department": ""}
    return {**common_context(campaign), "a": fields, "posts": [dict(blank_post) for _ in range(rows)]}


def scoresheet_context(
    campaign: Campaign, judge: Judge, candidates: Sequence[tuple[int, Applicant, Post]], date: dt.date | None,
) -> dict[str, Any]:
    """Context for one judge's 评分表: candidates as (draw number, applicant, post), printed in draw order."""
    rows = [
        {"draw": draw, "name": applicant.name, "post_title": post.title, "post_code": post.code}
        for draw, applicant, post in sorted(candidates, key=lambda c: c[0])
    ]
    return {
        **common_context(campaign),
        "judge": {"name": judge.name, "group": judge.group, "number": judge.number},
        "speech_date": date or "",
        "full_marks": campaign.settings.scoring.get("full_marks", 100),
        "candidates": rows,
    }


def post_list_context(campaign: Campaign, posts: Sequence[Post]) -> dict[str, Any]:
    """Context for the plan's annex 职位表."""
    return {
        **common_context(campaign),
        "posts": [post_record(p) for p in posts],
        "total_places": sum(p.places for p in posts),
    }


# --- realistic examples the template checker validates every template against ---

# An invented campaign.toml, checked like a real one, that every template's example context is built from.
EXAMPLE_TABLE: dict[str, Any] = {
    "organisation": {"name": "江州职业技术学院", "short_name": "江职院", "party_committee": "中共江州职业技术学院委员会",
                     "party_committee_short": "院党委", "kind": "college", "personnel_office": "组织人事处"},
    "campaign": {"title": "2026年中层干部竞争上岗", "reference_date": dt.date(2026, 6, 12), "year": 2026},
    "timeline": [
        {"key": "mobilisation", "name": "动员部署", "start": dt.date(2026, 6, 8)},
        {"key": "registration", "name": "个人报名", "start": dt.date(2026, 6, 8), "end": dt.date(2026, 6, 12)},
        {"key": "review", "name": "资格审查", "start": dt.date(2026, 6, 15), "end": dt.date(2026, 6, 16)},
        {"key": "speech", "name": "演讲答辩", "start": dt.date(2026, 6, 26)},
    ],
    "eligibility": {"min_education": "本科", "max_age": 45, "no_current_penalty": True,
                    "rank_tenure": [{"rank": "副处级"}, {"rank": "正科级", "years": 3}]},
    "scoring": {"full_marks": 100, "tie_break": ["专家评委"], "groups": [
        {"name": "专家评委", "weight": "4", "min_judges": 7}, {"name": "党委成员", "weight": "3", "min_judges": 5}]},
    "inspection": {"ratio": "1:1"},
    "notice": {"working_days": 5, "phone": "0512-58880000", "address": "行政楼305室组织人事处"},
    "documents": {"plan_number": "江职院委〔2026〕8号", "plan_date": dt.date(2026, 6, 5),
                  "appointment_number": "江职院委〔2026〕12号", "appointment_date": dt.date(2026, 7, 16),
                  "probation_months": 12},
    "leadership_group": {"leader": "陈立新（院党委书记）", "deputy_leaders": ["王海峰（院长）"],
                         "members": ["孙丽（组织人事处处长）"], "office": "组织人事处"},
    "speaker": {"name": "陈立新", "title": "院党委书记"},
    "supervision": {"unit": "院纪委", "phone": "0512-58880012"},
}
EXAMPLE_CAMPAIGN = Campaign(
    org_name="江州职业技术学院", org_short_name="江职院", party_committee="中共江州职业技术学院委员会",
    org_kind="college", personnel_office="组织人事处", title="2026年中层干部竞争上岗",
    reference_date=dt.date(2026, 6, 12), settings=settings_of(EXAMPLE_TABLE),
)
EXAMPLE_POSTS = (
    Post("01", "教务处", "教务处处长", "正职", 1, min_education="大学本科"),
    Post("05", "团委", "团委书记", "正职", 1, born_on_or_after=dt.date(1971, 5, 31),
         political_requirement="中共正式党员"),
    Post("06", "机电工程系", "机电工程系主任", "正职", 1),
)
EXAMPLE_APPLICANT = Applicant(
    number="2026-017", name="林晓燕", gender="女", ethnicity="汉族", birth_month=(1978, 5),
    id_number="110105197805312322", political_status="中共党员", education="硕士研究生", work_start=(2001, 7),
    current_post="教务处副处长", rank="副处级", rank_since=dt.date(2019, 3, 1), posts=("01", "06"),
    phone="13800000000", party_join_date=(1999, 6), degree="工学硕士", professional_title="副教授",
    accept_reassignment=True, source=Source("报名信息.xlsx", "报名信息", 3),
)
EXAMPLE_JUDGE = Judge(number="P07", name="周文涛", group="专家评委", organisation="江州大学")


def _example_candidates() -> list[tuple[int, Applicant, Post]]:
    second = Applicant(**{**EXAMPLE_APPLICANT.__dict__, "number": "2026-023", "name": "马骏",
                          "gender": "男", "posts": ("05",)})
    return [(2, EXAMPLE_APPLICANT, EXAMPLE_POSTS[0]), (1, second, EXAMPLE_POSTS[1])]


EXAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "报名登记表.docx": registration_context(EXAMPLE_CAMPAIGN, EXAMPLE_APPLICANT, EXAMPLE_POSTS),
    "评分表.docx": scoresheet_context(EXAMPLE_CAMPAIGN, EXAMPLE_JUDGE, _example_candidates(), dt.date(2026, 6, 26)),
    "职位表.docx": post_list_context(EXAMPLE_CAMPAIGN, EXAMPLE_POSTS),
}
