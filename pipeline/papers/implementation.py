"""实施方案 (the target `plan`) with its 附件 职位表, and the 动员讲话.

The template contexts come first, then the planner that lists the papers (a pure function of the campaign
and its outcome).
"""
from __future__ import annotations

import dataclasses
from dataclasses import fields
from typing import Any, Sequence

from pipeline.campaign.model import CampaignData, Post
from pipeline.campaign.settings import PLAN_KEYS, SPEECH_KEYS
from pipeline.campaign.timeline import Step, date_span, find_step, short_span
from pipeline.engine.jinja_env import cn_numeral
from pipeline.engine.jobs import DocJob, Plan
from pipeline.engine.safe_paths import component
from pipeline.errors import InputErrors
from pipeline.outcome import Outcome
from pipeline.papers.contexts import EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, common_context
from pipeline.review.eligibility import load_rules, rules_text
from pipeline.review.rules import Conditions, RuleSet
from pipeline.review.rules_text import condition_clauses
from pipeline.scoring.scheme import ScoringScheme, load_scheme
from pipeline.scoring.scheme_text import (count_cn, join_cn, round_names, round_step_note, schedule_text,
                                          scoring_paragraphs, scoring_summary, step_rounds)


# What happens in each step of the timeline, by key (docs/reference.md, 程序). A step that holds a round (the
# seed's "speech", a campaign's own key = "exam", name = "笔试") is described from that round instead
# (scheme_text.round_step_note); any other step of the campaign's own gets NEUTRAL_NOTE, never a bare heading.
NEUTRAL_NOTE = "{name}按领导小组的安排进行，具体事项另行通知。"
STEP_NOTES = {
    "mobilisation": "召开动员大会，宣布实施方案，公开竞争职位、报名条件、程序和纪律要求。",
    "registration": "符合条件的人员自愿报名，填写报名登记表，按志愿先后填报职位并写明是否服从调剂，"
                    "连同相关证明材料交{office}。",
    "review": "{office}对照报名条件逐人审查，审查结果在本单位公示；审查未通过的，由{office}告知本人。",
    "inspection": "领导小组按规定比例确定考察对象，从德、能、勤、绩、廉等方面全面考察，广泛听取干部群众意见。",
    "decision": "{committee}根据成绩和考察情况集体讨论，确定拟任人选。",
    "pre_appointment_notice": "拟任人选在本单位公示，公示期不少于{notice_days}个工作日，公布受理意见的电话和地址。",
    "appointment": "公示期满无影响任职问题的，按规定办理任职手续；新提任的干部试用期{probation}。",
}




def require(data: CampaignData, paths: Sequence[str]) -> None:
    """Raise InputErrors naming every key of `paths` that campaign.toml leaves out, with its section's line."""
    missing = data.campaign.settings.missing(*paths)
    if missing:
        raise InputErrors(missing)


def phrases(data: CampaignData) -> dict[str, str]:
    """The kind's words from 单位类型.toml (docs/reference.md, 单位类型), naming the committee as campaign.toml does."""
    org = data.campaign.settings.organisation
    return {**org.kind_words.phrases(), "committee": org.committee}


def posts_facts(posts: Sequence[Post]) -> dict[str, Any]:
    """Count posts, places, 正职 and 副职 and say the split in words."""
    principal = sum(1 for p in posts if p.category == "正职")
    deputy = len(posts) - principal
    if not deputy:
        split = "全部为正职职位"
    elif not principal:
        split = "全部为副职职位"
    else:
        split = f"其中正职职位{count_cn(principal)}个、副职职位{count_cn(deputy)}个"
    places = sum(p.places for p in posts)
    return {"posts_cn": count_cn(len(posts)), "places_cn": count_cn(places), "split": split,
            "principal_cn": count_cn(principal), "deputy_cn": count_cn(deputy),
            "same_count": places == len(posts)}


def annex_rows(rules: RuleSet, posts: Sequence[Post]) -> list[dict[str, Any]]:
    """Rows of the 附件 职位表: each post's conditions beyond the general ones, in the plan's words."""
    rows = []
    for post in posts:
        c = rules.for_post(post)
        changed = [f.name for f in fields(Conditions) if getattr(c, f.name) != getattr(rules.general, f.name)]
        extra = condition_clauses(c, rules.reference_date, only=changed)
        if post.other_conditions and not extra:  # 其他条件 is a note only; it often restates the checked columns
            extra.append(post.other_conditions)
        rows.append({"code": post.code, "department": post.department, "title": post.title,
                     "category": post.category, "places": post.places, "conditions": "；".join(extra)})
    return rows


def split_conditions(rules: RuleSet, posts: Sequence[Post]) -> dict[str, list[str] | str]:
    """Cut rules_text into general conditions, per-post extras and the counting rule (same words, same order)."""
    text = rules_text(rules, posts)
    n = len(condition_clauses(rules.general, rules.reference_date, detailed=True))
    general = [f"{i}．{t}" for i, t in enumerate(text[:n], 1)]
    return {"general": general, "per_post": text[n:-1], "counting": text[-1]}


def step_rows(steps: Sequence[Step], notes: dict[str, str], scheme: ScoringScheme | None = None) -> list[dict[str, Any]]:
    """Rows of the timeline table and the step paragraphs: number, name, dates, what happens.

    A step holding rounds says what each round does; a known key its STEP_NOTES text; any other a neutral sentence.
    """
    held = step_rounds(steps, scheme) if scheme is not None else {}

    def note(step: Step) -> str:
        if step.key in held:
            return "".join(round_step_note(scheme, i) for i in held[step.key])
        return notes.get(step.key) or NEUTRAL_NOTE.format(name=step.name)

    return [{"no": i, "no_cn": cn_numeral(i), "name": s.name, "dates": date_span(s), "note": note(s)}
            for i, s in enumerate(steps, 1)]


def _notes(ph: dict[str, str], office: str, notice_days: int, probation_months: int) -> dict[str, str]:
    probation = "为一年" if probation_months == 12 else f"为{count_cn(probation_months)}个月"
    values = {"office": office, "committee": ph["committee"], "notice_days": count_cn(notice_days),
              "probation": probation}
    return {key: text.format(**values) for key, text in STEP_NOTES.items()}


def plan_context(data: CampaignData, pre_days: int) -> dict[str, Any]:
    """Context for 实施方案.docx: the campaign's facts, rule text, timeline, scoring text, annex rows.

    pre_days: the 任前公示's working days, as the outcome computed them (pipeline.campaign.notice_dates).
    """
    require(data, PLAN_KEYS)
    settings = data.campaign.settings
    docs, group, supervision, notice = settings.documents, settings.leadership_group, settings.supervision, settings.notice
    rules, scheme = data.rules, data.scheme
    steps = settings.timeline
    ph = phrases(data)
    office = group.office
    notes = _notes(ph, office, pre_days, docs.probation_months)
    return {
        **common_context(data.campaign), "ph": ph, **posts_facts(data.posts),
        "number": docs.plan_number, "plan_date": docs.plan_date,
        "conditions": split_conditions(rules, data.posts),
        "steps": step_rows(steps, notes, scheme), "scoring": scoring_paragraphs(scheme, data.posts, ph["committee"]),
        "round_names": join_cn(round_names(scheme)),
        "group": {"leader": group.leader, "deputies": "、".join(group.deputy_leaders),
                  "members": "、".join(group.members), "office": office},
        "supervision": {"unit": supervision.unit, "phone": supervision.phone},
        "notice": {"phone": notice.phone, "address": notice.address, "days_cn": count_cn(pre_days)},
        "posts": annex_rows(rules, data.posts), "total_places": sum(p.places for p in data.posts),
    }


def _step_facts(step: Step | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {"name": step.name, "dates": short_span(step), "days_cn": count_cn(step.days), "one_day": step.days == 1}


def speech_context(data: CampaignData, pre_days: int) -> dict[str, Any]:
    """Context for 动员讲话.docx: speaker, posts, the dates that matter to staff, the method in a sentence."""
    require(data, SPEECH_KEYS)
    settings = data.campaign.settings
    steps = settings.timeline
    meeting = find_step(steps, "mobilisation")
    return {
        **common_context(data.campaign), "ph": phrases(data), **posts_facts(data.posts),
        "speaker": {"name": settings.speaker.name, "title": settings.speaker.title},
        "date": meeting.start if meeting else settings.documents.plan_date,
        "registration": _step_facts(find_step(steps, "registration")),
        "review": _step_facts(find_step(steps, "review")),
        "speech": _step_facts(find_step(steps, "speech")),
        "steps_cn": count_cn(len(steps)), "step_names": "、".join(s.name for s in steps),
        "last_step": _step_facts(steps[-1]) if steps else None,
        "notice_days_cn": count_cn(pre_days),
        "method": scoring_summary(data.scheme), "schedule": schedule_text(steps, data.scheme),
        "supervision_unit": settings.supervision.unit,
    }


# --- realistic examples the template checker validates every template against ---

def _example_data() -> CampaignData:
    data = CampaignData(campaign=EXAMPLE_CAMPAIGN, posts=EXAMPLE_POSTS, applicants=(), judges=())
    raw = {"scoring": EXAMPLE_CAMPAIGN.settings.scoring, "inspection": EXAMPLE_CAMPAIGN.settings.inspection}
    return dataclasses.replace(data, rules=load_rules(data), scheme=load_scheme(raw, EXAMPLE_POSTS))


def _examples() -> dict[str, dict[str, Any]]:
    data = _example_data()
    return {"实施方案.docx": plan_context(data, 5), "动员讲话.docx": speech_context(data, 5)}


EXAMPLE_CONTEXTS: dict[str, dict[str, Any]] = _examples()


PLAN_DIR = "01-实施方案"
SPEECH_DIR = "02-动员讲话"


def plan_implementation(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """实施方案: published (四公开: 职位、方案、程序、结果), so it also goes into the 公示 bundle."""

    title = f"{data.campaign.title}实施方案"
    plan.docs.append(DocJob(f"{PLAN_DIR}/{component(title)}", "实施方案.docx", plan_context(data, outcome.notice_days[1]), batch="plan",
                            title=title, public=True, bundles=("公示", "归档"), order=100))


def plan_speech(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """动员讲话 for the speaker of campaign.toml [speaker]."""

    title = f"在{data.campaign.title}动员会上的讲话"
    plan.docs.append(DocJob(f"{SPEECH_DIR}/{component(title)}", "动员讲话.docx", speech_context(data, outcome.notice_days[1]), batch="speech",
                            title=title, bundles=("归档",), order=200))
