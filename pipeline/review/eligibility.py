"""资格审查 as a pure function of the records and the rule set: no I/O, no clock.

Every count runs to the campaign's reference date (报名截止日) with the conventions of
pipeline/review/periods.py. Counting words follow 民法典 第一千二百五十九条: a limit stated with 以上/以下/满
includes the number itself, so a failure is always "超过"/"不满"/"低于" the number.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable

from pipeline.review.rules import Conditions, RankOption, RuleSet, parse_rules
from pipeline.review.rules_text import rank_option_text, rules_text  # noqa: F401  (re-exported)
from pipeline.errors import InputErrors
from pipeline.campaign.model import Applicant, CampaignData, Post
from pipeline.engine.jinja_env import chinese_date
from pipeline.review.periods import age, completed_years, has_completed, month_start
from pipeline.campaign.columns import EDUCATION_LEVELS, TITLE_LEVELS
from pipeline.campaign.ranks import RANK_NAMES, could_precede, track_of

PASSED, FAILED = "合格", "不合格"


@dataclass(frozen=True)
class ReviewResult:
    """The review of one application: one applicant, one post applied for."""

    applicant_number: str
    name: str
    post_code: str
    passed: bool
    reasons: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        """资格审查结果 as the CSV and the 资格审查表 write it."""
        return PASSED if self.passed else FAILED

    @property
    def reason_text(self) -> str:
        """The reasons joined for one table cell."""
        return "；".join(self.reasons)


def load_rules(data: CampaignData) -> RuleSet:
    """Read the rule set of a campaign; raise InputErrors listing every configuration problem."""
    rules, problems = parse_rules(data.campaign.settings.eligibility, data.posts, data.campaign.reference_date)
    if problems:
        raise InputErrors(problems)
    return rules


def review(data: CampaignData, rules: RuleSet) -> list[ReviewResult]:
    """Review every application: one result per (applicant, post applied for), in input order."""
    posts = {p.code: p for p in data.posts}
    return [review_one(a, posts.get(code), code, rules) for a in data.applicants for code in a.posts]


def review_one(applicant: Applicant, post: Post | None, code: str, rules: RuleSet) -> ReviewResult:
    """Review one application against the conditions of its post."""
    if post is None:
        reasons = [f"报考的职位代码“{code}”不在职位表中"]
    else:
        reasons = failed_conditions(applicant, rules.for_post(post), rules.reference_date)
    return ReviewResult(applicant.number, applicant.name, code, not reasons, tuple(reasons))


def failed_conditions(a: Applicant, c: Conditions, on: dt.date) -> list[str]:
    """Return the reasons, in a clerk's words, for every condition the applicant does not meet."""
    checks: tuple[Callable[[Applicant, Conditions, dt.date], str | None], ...] = (
        _education, _age, _born, _rank_tenure, _political, _work_years, _party_years,
        _grassroots, _title, _penalty,
    )
    return [reason for check in checks if (reason := check(a, c, on))]


def eligible_candidates(results: Iterable[ReviewResult]) -> dict[str, list[str]]:
    """Return the 报名序号 of the applicants who passed, per post code, in review order."""
    passed: dict[str, list[str]] = {}
    for r in results:
        if r.passed:
            passed.setdefault(r.post_code, []).append(r.applicant_number)
    return passed


def _education(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    if c.min_education and EDUCATION_LEVELS.index(a.education) < EDUCATION_LEVELS.index(c.min_education):
        return f"学历低于{c.min_education}"
    return None


def _age(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    # "45周岁以下" includes 45: fail only above it (民法典 第一千二百五十九条).
    if c.max_age is not None and age(a.birth_date, on) > c.max_age:
        return f"年龄超过{c.max_age}周岁"
    return None


def _born(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    # "以后出生" is read as on or after the date (docs/reference.md, 计数用语).
    if c.born_on_or_after and a.birth_date < c.born_on_or_after:
        return f"出生日期早于{chinese_date(c.born_on_or_after)}"
    return None


def _rank_tenure(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    if not c.rank_tenure or any(_meets(a, o, on) for o in c.rank_tenure):
        return None
    detail = _rank_shortfall(a, c.rank_tenure)
    if len(c.rank_tenure) == 1:
        return detail
    return f"不符合职级和任职年限条件（{detail}）"


def _meets(a: Applicant, option: RankOption, on: dt.date) -> bool:
    return option.admits(a.rank) and (option.years is None or has_completed(a.rank_since, option.years, on))


def _rank_shortfall(a: Applicant, options: tuple[RankOption, ...]) -> str:
    """Name the alternative that matters: one the record cannot decide, the own rank held too short, the rank."""
    short = [o for o in options if o.years is not None and o.admits(a.rank)]
    undecided = [o for o in short if _earlier_rank_may_count(a.rank, o)]
    held = f"任{a.rank}{track_of(a.rank)}不满"
    if undecided:
        # The workbook holds only 任现职级时间: time in an earlier rank the alternative admits (a 正科级 who was
        # 副科级, a 副科级 who was 四级主任科员) counts too (累计), and only the 任职经历 shows it.
        return f"{held}{undecided[0].years}年，须按任职经历核实是否累计{rank_option_text(undecided[0])}"
    if short:
        return f"{held}{short[0].years}年"
    if len(options) == 1:
        return f"现职级不符合“{rank_option_text(options[0])}”的条件"
    return f"现职级为{a.rank}"


def _earlier_rank_may_count(rank: str, option: RankOption) -> bool:
    """Tell whether someone now at `rank` may have held another rank the option admits before it."""
    return any(option.admits(earlier) and could_precede(earlier, rank) for earlier in RANK_NAMES)


def _political(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    # 中共党员 admits 预备党员; 中共正式党员 does not (seed 5, 团委书记).
    admitted = {"中共党员": ("中共党员", "中共预备党员"), "中共正式党员": ("中共党员",)}
    if c.political_requirement and a.political_status not in admitted[c.political_requirement]:
        return f"非{c.political_requirement}"
    return None


def _work_years(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    # 工龄 from 参加工作时间 (a year-month), counted from the first day of that month.
    if c.min_work_years is not None and completed_years(month_start(a.work_start), on) < c.min_work_years:
        return f"工作年限不满{c.min_work_years}年"
    return None


def _party_years(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    # 党龄 from 入党时间 (a year-month) as typed, counted from the first day of that month.
    if c.min_party_years is None:
        return None
    joined = a.party_join_date if a.political_status in ("中共党员", "中共预备党员") else None
    if joined is None or completed_years(month_start(joined), on) < c.min_party_years:
        return f"党龄不满{c.min_party_years}年"
    return None


def _grassroots(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    if c.min_grassroots_years is not None and (a.grassroots_years or 0) < c.min_grassroots_years:
        return f"基层工作经历不满{c.min_grassroots_years}年"
    return None


def _title(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    held = TITLE_LEVELS.index(a.professional_title or "无")
    if c.min_title and held < TITLE_LEVELS.index(c.min_title):
        return f"专业技术职务低于{c.min_title}"
    return None


def _penalty(a: Applicant, c: Conditions, on: dt.date) -> str | None:
    # 处分期满日期 is the day the period ends (届满 includes it): still running only if it ends after the date.
    if c.no_current_penalty and a.penalty_until is not None and a.penalty_until > on:
        return "处分影响期未满"
    return None


__all__ = ["ReviewResult", "load_rules", "review", "review_one", "eligible_candidates", "rules_text",
           "failed_conditions"]
