"""入围 papers: for every typed round with a shortlist, its public list, its internal ranking and a CSV.

docs/reference.md, 轮次和入围: after a round, a shortlist says who takes the next one, and each shortlist has its
own papers: 「笔试成绩及入围面试人员名单」 for the notice board, 「笔试成绩排名表（内部）」 for the committee
and the archive, and 06-成绩汇总/笔试入围名单.csv. The rows come from the outcome (pipeline.scoring.rounds
RoundStage.shortlist: per post in 职位表 order, best first, those out after); nothing is recomputed here.

The public list (docs/reference.md, 公开字段; 个人信息保护法 第六条: no more than the purpose needs) names only
those through, by 姓名, with their round score and 名次 where the campaign publishes scores ([notice]
publish_scores, as the 考察对象公示 does), in rank order; without scores it lists the names in 报名序号 order, so
the order says nothing of the ranking. Those out, and why, are on the internal list only.

The template contexts come first, then the planner (a pure function of the campaign and its outcome).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any, Callable, Sequence

from pipeline.campaign.model import Campaign, CampaignData, Post
from pipeline.campaign.publish import public_person
from pipeline.engine.jobs import DocJob, FileJob, Plan
from pipeline.engine.safe_paths import component
from pipeline.outcome import Outcome
from pipeline.papers.common import csv_bytes
from pipeline.papers.contexts import EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, common_context
from pipeline.papers.notices import committee_short, objection
from pipeline.scoring.compute import round_half_up
from pipeline.scoring.rounds import RoundStage, ShortlistRow
from pipeline.scoring.scheme import Component, Shortlist

PUBLIC_TEMPLATE = "入围名单公示.docx"  # "公示" in the name: the template checker applies the public whitelist
INTERNAL_TEMPLATE = "成绩排名表.docx"
RESULTS_DIR = "06-成绩汇总"  # beside the 成绩汇总表: the `results` target owns this folder (see plan_round_lists)
TIED = "末位同分，一并入围"  # docs/reference.md, 轮次和入围: a tie at the cut is said, never broken silently
CSV_HEADER = ("报名序号", "姓名", "职位代码", "职位名称", "成绩", "名次", "是否入围", "说明")
# Archive order (DocJob.order): after the 资格审查 papers, before the judges' 评分表 (500); two per round, in order.
ORDER_BASE = 490


# ---------------------------------------------------------------- words


def next_round_name(rounds: Sequence[Component], rnd: Component) -> str:
    """The round the shortlist leads to ("" after the last round: its list leads to the 考察)."""
    names = [r.name for r in rounds]
    i = names.index(rnd.name)
    return names[i + 1] if i + 1 < len(names) else ""


def public_title(rnd: Component, following: str, show_scores: bool) -> str:
    """「笔试成绩及入围面试人员名单」, or 「入围面试人员名单」 where the scores are not published."""
    entered = f"入围{following}人员名单" if following else "入围人员名单"
    return f"{rnd.name}成绩及{entered}" if show_scores else entered


def internal_title(rnd: Component) -> str:
    return f"{rnd.name}成绩排名表（内部）"


def score_label(rnd: Component) -> str:
    """The score column's head: a 民主推荐 round's score is the 得票率 in per cent (vote_entry.vote_share)."""
    return "得票率（%）" if rnd.source == "votes" else f"{rnd.name}成绩"


def rule_sentence(rule: Shortlist, following: str) -> str:
    """How the shortlist was made, as a sentence of the public list (docs/reference.md, 轮次和入围)."""
    goes = f"入围{following}人员" if following else "入围人员"
    condition = dataclasses.replace(rule, ratio=None).text()  # 成绩达到60分、得票率达到50%
    if rule.ratio is None:
        return f"{condition}的，确定为{goes}"
    ranked = f"按职数1:{rule.ratio}的比例从高分到低分确定{goes}；末位同分的，一并入围"
    return f"各职位在{condition}的人员中，{ranked}" if condition else f"各职位{ranked}"


def published(score: Decimal | None, decimals: int) -> Decimal | None:
    """A round score as published: its own rounding at [scoring] decimals, half up (docs/reference.md, 四舍五入)."""
    return None if score is None else round_half_up(score, decimals)


def row_note(row: ShortlistRow) -> str:
    """说明 of the internal list and the CSV: the tie at the cut, or why the candidacy did not go on."""
    return TIED if row.tied_at_cut else row.reason


# ---------------------------------------------------------------- contexts


def _by_post(posts: Sequence[Post], rows: Sequence[ShortlistRow]) -> list[tuple[Post, list[ShortlistRow]]]:
    """The shortlist's rows grouped by post, posts in 职位表 order, rows in the shortlist's order."""
    return [(p, mine) for p in posts if (mine := [r for r in rows if r.candidate.post_code == p.code])]


def public_context(campaign: Campaign, rnd: Component, following: str, posts: Sequence[Post],
                   rows: Sequence[ShortlistRow], show_scores: bool, decimals: int,
                   date: dt.date | None) -> dict[str, Any]:
    """The public list: per post those through, by name (and score and 名次 when the campaign publishes scores)."""
    blocks = []
    for post, mine in _by_post(posts, rows):
        through = [r for r in mine if r.passed]
        if not show_scores:  # neutral order: the list must not tell the ranking it does not publish
            through.sort(key=lambda r: r.candidate.number)
        people = []
        for r in through:
            extra = {"total": published(r.score, decimals), "place": r.rank} if show_scores else {}
            people.append({"person": public_person({"name": r.candidate.name, **extra}),
                           "note": TIED if r.tied_at_cut else ""})
        blocks.append({"code": post.code, "title": post.title, "places": post.places, "passed": len(people),
                       "rows": people, "names": "、".join(p["person"]["name"] for p in people)})
    return {**common_context(campaign), "notice_title": public_title(rnd, following, show_scores),
            "round": rnd.name, "next_round": following, "rule": rnd.shortlist.text(),
            "rule_sentence": rule_sentence(rnd.shortlist, following), "show_scores": show_scores,
            "score_label": score_label(rnd), "decimals": decimals, "posts": blocks,
            "ties": any(r.tied_at_cut for r in rows), "objection": objection(campaign),
            "committee": committee_short(campaign), "date": date or ""}


def internal_context(campaign: Campaign, rnd: Component, following: str, posts: Sequence[Post],
                     rows: Sequence[ShortlistRow], decimals: int, date: dt.date | None) -> dict[str, Any]:
    """The internal ranking: every candidacy of the round with score, 名次, 是否入围 and why not."""
    rule = rnd.shortlist
    blocks = []
    for post, mine in _by_post(posts, rows):
        cut = f"按1:{rule.ratio}应入围{post.places * rule.ratio}名，" if rule.ratio is not None else ""
        table = [{"rank": r.rank if r.rank is not None else "—", "number": r.candidate.number,
                  "name": r.candidate.name, "score": published(r.score, decimals),
                  "passed": "是" if r.passed else "否", "note": row_note(r)} for r in mine]
        passed = sum(r.passed for r in mine)
        blocks.append({"code": post.code, "title": post.title, "places": post.places, "rows": table,
                       "count": f"{cut}实际入围{passed}名", "tie": any(r.tied_at_cut for r in mine)})
    return {**common_context(campaign), "round": rnd.name, "next_round": following or "下一环节",
            "rule": rule.text(), "score_label": score_label(rnd), "decimals": decimals, "posts": blocks,
            "date": date or ""}


def csv_rows(posts: Sequence[Post], rows: Sequence[ShortlistRow], decimals: int) -> list[tuple]:
    """06-成绩汇总/{round}入围名单.csv: one row per candidacy, as on the internal list."""
    titles = {p.code: p.title for p in posts}
    out = []
    for post, mine in _by_post(posts, rows):
        for r in mine:
            score = published(r.score, decimals)
            out.append((r.candidate.number, r.candidate.name, post.code, titles[post.code],
                        "" if score is None else format(score, "f"), "" if r.rank is None else r.rank,
                        "是" if r.passed else "否", row_note(r)))
    return out


# ---------------------------------------------------------------- planner


def round_date(data: CampaignData, rnd: Component) -> dt.date | None:
    """The list's date: the last day of the [[timeline]] step named after the round (a campaign may add its own
    steps, e.g. key = "exam", name = "笔试"), when there is one; else the paper leaves the date to the pen."""
    step = next((s for s in data.campaign.settings.timeline if rnd.name in s.name), None)
    return step.last if step else None


def shortlisted_stages(outcome: Outcome) -> list[tuple[int, RoundStage]]:
    """The typed rounds that have a shortlist, with their index among the rounds."""
    return [(i, s) for i, s in enumerate(outcome.stages) if s.typed and s.round.shortlist is not None]


def plan_round_lists(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """For every typed round with a shortlist: the public list (公示, 归档), the internal ranking (归档), the CSV.

    They go with the `results` target into 06-成绩汇总: a round's list is a results paper, and a build removes
    old files only in the folders its own targets write (pipeline.engine.build._obsolete), so they must live
    in a folder the `results` target owns. A round not typed yet has no list: the score sheets' planner says
    which workbook to type.
    """
    rounds, decimals, show = data.scheme.rounds, data.scheme.decimals, outcome.publish_scores
    for i, stage in shortlisted_stages(outcome):
        rnd = stage.round
        following = next_round_name(rounds, rnd)
        date = round_date(data, rnd)
        title = public_title(rnd, following, show)
        plan.docs.append(DocJob(
            f"{RESULTS_DIR}/{component(title)}", PUBLIC_TEMPLATE,
            public_context(data.campaign, rnd, following, data.posts, stage.shortlist, show, decimals, date),
            batch="round-list-public", title=title, public=True, bundles=("公示", "归档"),
            order=ORDER_BASE + 2 * i))
        plan.docs.append(DocJob(
            f"{RESULTS_DIR}/{component(internal_title(rnd))}", INTERNAL_TEMPLATE,
            internal_context(data.campaign, rnd, following, data.posts, stage.shortlist, decimals, date),
            batch="round-list-internal", title=internal_title(rnd), bundles=("归档",),
            order=ORDER_BASE + 2 * i + 1))
        plan.files.append(FileJob(f"{RESULTS_DIR}/{component(rnd.name)}入围名单.csv",
                                  csv_bytes(CSV_HEADER, csv_rows(data.posts, stage.shortlist, decimals))))


Planner = Callable[[CampaignData, Outcome, Plan], None]


def with_round_lists(planner: Planner) -> Planner:
    """The `results` target: the rounds' lists, then the planner's own papers (registry.PLANNERS)."""

    def plan_results(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
        plan_round_lists(data, outcome, plan)
        planner(data, outcome, plan)

    plan_results.__doc__ = f"{plan_round_lists.__doc__}\n\nThen: {planner.__doc__}"
    return plan_results


# --- realistic examples the template checker validates every template against ---


def _example_contexts() -> dict[str, dict[str, Any]]:
    """笔试 1:2 for 教务处处长 (one place): 林晓燕 88.5 first; 马骏 and 周宁 tie on 80 at the cut, both go on;
    陈岚 76 is out (名次4 > 1 × 2). 团委书记: 刘洋 90 through, 郑一 without a score (没有成绩)."""
    from pipeline.scoring.compute import Candidate
    from pipeline.scoring.rounds import RoundScore, shortlist_post

    rnd = Component("笔试", "list", Decimal(40), per="person", shortlist=Shortlist(ratio=2))
    d = Decimal
    first = [(Candidate("2026-017", "林晓燕", "01"), RoundScore(d("88.5"))),
             (Candidate("2026-023", "马骏", "01"), RoundScore(d("80"))),
             (Candidate("2026-031", "周宁", "01"), RoundScore(d("80"))),
             (Candidate("2026-040", "陈岚", "01"), RoundScore(d("76")))]
    second = [(Candidate("2026-008", "刘洋", "05"), RoundScore(d("90"))),
              (Candidate("2026-012", "郑一", "05"), RoundScore(None))]
    rows = shortlist_post(rnd, 1, first) + shortlist_post(rnd, 1, second)
    date = dt.date(2026, 6, 20)
    return {
        PUBLIC_TEMPLATE: public_context(EXAMPLE_CAMPAIGN, rnd, "面试", EXAMPLE_POSTS, rows, True, 2, date),
        INTERNAL_TEMPLATE: internal_context(EXAMPLE_CAMPAIGN, rnd, "面试", EXAMPLE_POSTS, rows, 2, date),
    }


EXAMPLE_CONTEXTS: dict[str, dict[str, Any]] = _example_contexts()
