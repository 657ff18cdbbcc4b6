"""Typed records the stages work on. No openpyxl object, path or clock gets past the readers."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a record came from, so later stages can still point at the row."""

    file: str
    sheet: str
    row: int


@dataclass(frozen=True)
class Post:
    code: str
    department: str
    title: str
    category: str  # 正职 | 副职
    places: int
    min_education: str | None = None
    max_age: int | None = None
    born_on_or_after: dt.date | None = None
    political_requirement: str | None = None  # 中共党员 | 中共正式党员
    inspection_ratio: str | None = None  # "1:2"
    other_conditions: str | None = None
    level: str | None = None  # 职位层级 (正科级, 股级 …); None: by category (pipeline.campaign.post_levels)
    source: Source | None = None


@dataclass(frozen=True)
class Applicant:
    number: str
    name: str
    gender: str
    ethnicity: str
    birth_month: tuple[int, int]  # (year, month) as typed in 出生年月
    id_number: str  # 18 characters, upper-case X
    political_status: str
    education: str
    work_start: tuple[int, int]
    current_post: str
    rank: str
    rank_since: dt.date
    posts: tuple[str, ...]  # 职位代码 in order of preference
    phone: str
    party_join_date: tuple[int, int] | None = None
    degree: str | None = None
    grassroots_years: Decimal | None = None
    professional_title: str | None = None
    accept_reassignment: bool | None = None
    penalty_until: dt.date | None = None
    address: str | None = None
    source: Source | None = None

    @property
    def birth_date(self) -> dt.date:
        """Exact birth date from the ID number (GB 11643: digits 7-14)."""
        s = self.id_number
        return dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))


@dataclass(frozen=True)
class Judge:
    number: str
    name: str
    group: str
    organisation: str | None = None
    title_level: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Campaign:
    """campaign.toml, validated: the names every paper uses, and every section typed in `settings`."""

    org_name: str
    org_short_name: str
    party_committee: str
    org_kind: str  # a table of templates/单位类型.toml (township, subdistrict, bureau, commission, college)
    personnel_office: str
    title: str
    reference_date: dt.date
    settings: Any = field(default=None, compare=False)  # pipeline.campaign.settings.Settings: every section, typed


@dataclass(frozen=True)
class CampaignData:
    """Everything read from a campaign folder, validated once: no stage reads a file or re-checks a rule."""

    campaign: Campaign
    posts: tuple[Post, ...]
    applicants: tuple[Applicant, ...]
    judges: tuple[Judge, ...]
    rules: Any = None  # pipeline.review.rules.RuleSet of [eligibility] and the 职位表 columns
    scheme: Any = None  # pipeline.scoring.scheme.ScoringScheme of [scoring] and [inspection]
    holidays: Any = None  # pipeline.campaign.workdays.HolidayArrangement of 节假日安排.toml, or None
    readings: tuple = ()  # pipeline.campaign.code_lists.Reading: each word read as another (党员 → 中共党员)

    def post(self, code: str) -> Post:
        return next(p for p in self.posts if p.code == code)
