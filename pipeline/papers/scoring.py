"""评分 papers: score sheets, ballots and entry workbooks out; results, 成绩汇总表 and 考察对象名单 in.

One draw order is used everywhere: pipeline.scoring.draw (seeded by [scoring].draw_seed, recorded in 抽签顺序.csv)
orders the 评分表, the 民主测评表, the rows of 评分录入.xlsx and so the candidates the results are computed for.

The template contexts come first, then the planner that lists the papers (a pure function of the campaign
and its outcome).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Mapping, Sequence

from pipeline.campaign.model import Applicant, Campaign, CampaignData, Post
from pipeline.campaign.notice_dates import timeline_date
from pipeline.engine.jobs import DocJob, FileJob, Plan, Skipped
from pipeline.engine.safe_paths import component
from pipeline.outcome import Outcome
from pipeline.papers.common import SCORING_DIR, csv_bytes
from pipeline.papers.contexts import EXAMPLE_APPLICANT, EXAMPLE_CAMPAIGN, EXAMPLE_POSTS, common_context
from pipeline.papers.notices import inspection_people
from pipeline.scoring.compute import Candidate, CandidateResult
from pipeline.scoring.rounds import round_file
from pipeline.scoring.scheme import DEFAULT_BALLOT_GRADES, ScoringScheme
from pipeline.scoring.scheme_text import (count_cn, formula_text, judges_name, judges_round_index, part_values, parts,
                                          procedure_text, round_step, row_note, weight_text)
from pipeline.scoring.score_entry import ENTRY_FILE


def method_text(scheme: ScoringScheme) -> str:
    """Say in words how the totals were computed, so a reader can recompute them from the table: the same
    sentence as the 公示's (pipeline/scoring/scheme_text.py formula_text, generated from the rounds)."""
    return formula_text(scheme)


def sheet_title(scheme: ScoringScheme) -> dict[str, str]:
    """The 评分表's title and date label follow the judges' round: 面试评分表 / 面试日期, 演讲答辩评分表 / 演讲答辩日期."""
    name = judges_name(scheme)
    return {"round_name": name, "sheet_title": f"{name}评分表", "date_label": f"{name}日期"}


def post_block(scheme: ScoringScheme, post: Post, results: Sequence[CandidateResult],
               vacant: int = 0, committee: str = "党委") -> dict[str, Any]:
    """One post's ranked rows for the 成绩汇总表; `vacant`: places still empty after 志愿 and 调剂 (空缺);
    committee: who decides a tie at the cut (organisation.committee)."""
    rows = [{"rank": r.rank if r.rank is not None else "—", "number": r.candidate.number,
             "name": r.candidate.name, "parts": part_values(scheme, r), "total": r.total,
             "inspection": "是" if r.inspection else "否", "note": row_note(r, scheme.ballot, committee)}
            for r in results]
    tie = any(r.tie_at_cutoff for r in results)
    return {"code": post.code, "title": post.title, "places": post.places,
            "ratio": f"1:{scheme.ratio_for(post.code)}", "rows": rows,
            "tie_note": (f"本职位考察名额末位有总成绩相同、按规定比较后仍无法区分者（见备注），由{committee}研究确定考察对象。"
                         if tie else "") + (f"本职位职数{post.places}名，按志愿和调剂确定考察对象后仍空缺{vacant}名。"
                                            if vacant else "")}


def results_context(campaign: Campaign, scheme: ScoringScheme, posts: Sequence[Post],
                    results: Sequence[CandidateResult], date: dt.date | None,
                    vacancies: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Context of the 成绩汇总表: every post with candidates, ranked (results in compute_results order)."""
    vacancies = vacancies or {}
    committee = campaign.settings.organisation.committee
    blocks = [post_block(scheme, p, [r for r in results if r.candidate.post_code == p.code], vacancies.get(p.code, 0),
                         committee) for p in posts]
    return {**common_context(campaign), "method": method_text(scheme), "date": date or "", "committee": committee,
            "parts": [{"name": n, "weight": weight_text(w) if w is not None else "—"} for n, w in parts(scheme)],
            "posts": [b for b in blocks if b["rows"]]}


def shortlist_context(campaign: Campaign, scheme: ScoringScheme, applicants: Sequence[Applicant],
                      posts: Sequence[Post], results: Sequence[CandidateResult], date: dt.date | None) -> dict[str, Any]:
    """Context of the 考察对象名单: inspection candidates, and the cut-off ties the committee decides.

    procedure: the rounds held and what decided, as the 考察对象公示 says it (scheme_text.procedure_text), so the
    paper names no round the campaign did not hold (docs/reference.md, 评分)."""
    people = {a.number: a for a in applicants}
    titles = {p.code: p.title for p in posts}
    selected = []
    for r in inspection_people(results):  # each person once, on the post their place went to
        a = people[r.candidate.number]
        selected.append({"post_title": titles[r.candidate.post_code], "name": a.name, "gender": a.gender,
                         "birth_month": a.birth_month, "current_post": a.current_post,
                         "total": r.total, "rank": r.rank})
    ties = []
    for p in posts:
        tied = [r for r in results if r.candidate.post_code == p.code and r.tie_at_cutoff]
        if tied:
            ties.append({"post_title": p.title, "names": "、".join(r.candidate.name for r in tied),
                         "total": tied[0].total})
    committee = campaign.settings.organisation.committee  # docs/reference.md, 单位类型
    return {**common_context(campaign), "selected": selected, "ties": ties, "date": date or "",
            "committee": committee, "procedure": procedure_text(scheme)}


def grade_marks_rule(grades: Sequence[str]) -> str:
    """How a voter writes a grade in the 德能勤绩廉 columns: one character each where the first characters differ
    (seed 5: 优（优秀）、合（合格）、基（基本合格）、不（不合格）), otherwise the grade's name."""
    firsts = [g[0] for g in grades]
    if len(set(firsts)) == len(firsts):
        return "每栏写一个字：" + "、".join(g if len(g) == 1 else f"{g[0]}（{g}）" for g in grades)
    return "每栏写一个档次：" + "、".join(grades)


def ballot_context(campaign: Campaign, candidates: Sequence[tuple[int, Applicant, Post]],
                   date: dt.date | None, grades: Sequence[str] = DEFAULT_BALLOT_GRADES,
                   per_person: bool = False) -> dict[str, Any]:
    """Context of the anonymous 民主测评表: candidates as (draw number, applicant, post), in draw order.

    The grades are the campaign's ([scoring.ballot] grades). Per person every person is
    listed once, numbered 1, 2, … in the order of their first draw, with every post they applied for.
    """
    ordered = sorted(candidates, key=lambda c: c[0])
    if per_person:
        posts: dict[str, tuple[Applicant, list[str]]] = {}
        for _, a, p in ordered:
            posts.setdefault(a.number, (a, []))[1].append(p.title)
        rows = [{"draw": i, "name": a.name, "post_title": "、".join(dict.fromkeys(titles))}
                for i, (a, titles) in enumerate(posts.values(), start=1)]
    else:
        rows = [{"draw": n, "name": a.name, "post_title": p.title} for n, a, p in ordered]
    return {**common_context(campaign), "candidates": rows, "date": date or "",
            "number_header": "序号" if per_person else "抽签序号", "grades": list(grades),
            "grade_columns": count_cn(len(grades)), "item_rule": grade_marks_rule(grades)}


# --- realistic examples the template checker validates every template against ---


def _example_results() -> tuple[ScoringScheme, list[CandidateResult]]:
    """Score two candidates for 教务处处长 with three judges in each of two groups."""
    from pipeline.scoring.ranking import compute_results
    from pipeline.scoring.compute import Candidate, ScoreEntry
    from pipeline.scoring.scheme import JudgeGroup

    scheme = ScoringScheme(groups=(JudgeGroup("专家评委", Decimal(4), 3), JudgeGroup("党委成员", Decimal(3), 3)),
                           tie_break=("专家评委",))
    a, b = Candidate("2026-017", "林晓燕", "01"), Candidate("2026-023", "马骏", "01")
    d = Decimal
    entry = ScoreEntry(scores={
        "专家评委": {a.key: (("Z01", d("88")), ("Z02", d("90")), ("Z03", d("86.5"))),
                 b.key: (("Z01", d("84")), ("Z02", d("85")), ("Z03", d("83")))},
        "党委成员": {a.key: (("D01", d("87")), ("D02", d("89")), ("D03", d("88"))),
                 b.key: (("D01", d("86")), ("D02", d("85.5")), ("D03", d("84")))}})
    return scheme, compute_results(scheme, EXAMPLE_POSTS[:1], [a, b], entry)


def _example_contexts() -> dict[str, dict[str, Any]]:
    scheme, results = _example_results()
    second = Applicant(**{**EXAMPLE_APPLICANT.__dict__, "number": "2026-023", "name": "马骏", "gender": "男"})
    date = dt.date(2026, 6, 26)
    from pipeline.papers.contexts import EXAMPLE_CONTEXTS as FORMS

    return {
        # the judge's sheet is built in contexts.py; its title follows the round (sheet_title)
        "评分表.docx": {**FORMS["评分表.docx"], **sheet_title(scheme)},
        "民主测评表.docx": ballot_context(EXAMPLE_CAMPAIGN, [(1, second, EXAMPLE_POSTS[0]),
                                                      (2, EXAMPLE_APPLICANT, EXAMPLE_POSTS[0])], date,
                                       grades=("优秀", "合格", "基本合格", "不合格")),
        "成绩汇总表.docx": results_context(EXAMPLE_CAMPAIGN, scheme, EXAMPLE_POSTS, results, date),
        "考察对象名单.docx": shortlist_context(EXAMPLE_CAMPAIGN, scheme, [EXAMPLE_APPLICANT, second],
                                          EXAMPLE_POSTS, results, date),
    }


EXAMPLE_CONTEXTS: dict[str, dict[str, Any]] = _example_contexts()


RESULTS_DIR = "06-成绩汇总"
NO_SCORES = "尚未录入评分"
NO_SCORES_NEXT = (f"把 make scoresheets 生成的 05-评分表/{ENTRY_FILE} 按纸质评分表填好，"
                  "放进 campaign 文件夹后再运行 make results")


def plan_scoresheets(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """For every round reached: its blank entry workbook; for the judges' round 抽签顺序.csv and a 评分表 per
    judge; the 民主测评表 ballot. A round after an untyped shortlist is not reached: it is said, not guessed."""
    from pipeline.scoring.stage import round_workbooks

    for stage in outcome.stages:
        if stage.round.source == "judges":
            if not _plan_judges_round(data, outcome, plan):
                continue
        plan.files.extend(FileJob(f"{SCORING_DIR}/{name}", content) for name, content in
                          round_workbooks(data.scheme, data.judges, stage.round, stage.candidates, data.posts))
    _plan_ballot_paper(data, outcome, plan)
    waiting = outcome.pending()
    for rnd in data.scheme.rounds[len(outcome.stages):]:
        plan.skipped.append(Skipped(f"{rnd.name}的评分表和录入表", f"{waiting.round.name}成绩尚未录入，入围{rnd.name}的人员未定",
                                    f"把 {SCORING_DIR}/{round_file(waiting.round)} 按{waiting.round.name}成绩填好，放进 campaign "
                                    "文件夹后再运行 make scoresheets"))
        if rnd.source == "judges":
            plan.retired.add(SCORING_DIR)


def _plan_judges_round(data: CampaignData, outcome: Outcome, plan: Plan) -> bool:
    """抽签顺序.csv and a 评分表 per judge; False when the panel is still short (nothing of this round printed)."""
    from pipeline.papers.contexts import scoresheet_context

    short = outcome.judge_shortfall
    if short:  # the panel is still being put together: not an error, nothing to print yet
        why = "；".join(p.message.removesuffix("，请补足评委") for p in short)
        plan.skipped.append(Skipped("评分表", f"评委不足（{why}）",
                                    "在 评委名单.xlsx 中补足评委后再运行 make scoresheets"))
        plan.retired.add(SCORING_DIR)
        return False
    draws = outcome.draws
    rows = [(d.order, d.post.code, d.post.title, d.applicant.number, d.applicant.name) for d in draws]
    plan.files.append(FileJob(f"{SCORING_DIR}/抽签顺序.csv",
                              csv_bytes(("抽签序号", "职位代码", "职位名称", "报名序号", "姓名"), rows)))
    scheme, steps = data.scheme, data.campaign.settings.timeline
    step = round_step(steps, scheme, judges_round_index(scheme))  # the step holding the judges' round, else speech
    date = step.start if step is not None else timeline_date(data, "speech")
    listed = [(d.order, d.applicant, d.post) for d in draws]
    titles = sheet_title(scheme)
    for j in data.judges:
        plan.docs.append(DocJob(
            f"{SCORING_DIR}/{component(f'评分表-{j.number}-{j.name}')}", "评分表.docx",
            {**scoresheet_context(data.campaign, j, listed, date), **titles}, batch="scoresheet",
            title=f"评分表 {j.number} {j.name}（{j.group}）", bundles=("评委评分表", "归档"), order=500,
            shared_body=True))
    return True


def _plan_ballot_paper(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """One anonymous ballot lists every candidate of the 民主测评 round; the clerk prints as many copies as there
    are voters. Only a campaign with a 民主测评 round ([scoring.ballot] or a ballot component) has one, and only
    once that round is reached (its candidates are those the earlier shortlists let through)."""
    stage = next((s for s in outcome.stages if s.round.source == "ballot"), None)
    if stage is None:
        return
    draws = stage.draws
    rule = data.scheme.ballot
    ballot_form = {"grades": rule.grades if rule else DEFAULT_BALLOT_GRADES, "per_person": stage.round.per == "person"}
    listed = [(d.order, d.applicant, d.post) for d in draws]
    index = next(i for i, r in enumerate(data.scheme.rounds) if r.source == "ballot")
    step = round_step(data.campaign.settings.timeline, data.scheme, index)
    date = step.start if step is not None else timeline_date(data, "speech")
    plan.docs.append(DocJob(f"{SCORING_DIR}/民主测评表", "民主测评表.docx",
                            ballot_context(data.campaign, listed, date, **ballot_form),
                            batch="ballot", title="民主测评表", bundles=("归档",), order=510))


def plan_results(data: CampaignData, outcome: Outcome, plan: Plan) -> None:
    """成绩汇总表, 考察对象名单, results.csv and results.xlsx from the typed 评分录入.xlsx (skipped without it)."""
    results = outcome.results
    if results is None:
        waiting = outcome.pending()
        if waiting is None or waiting.round.source == "judges":
            plan.skipped.append(Skipped("成绩汇总表", NO_SCORES, NO_SCORES_NEXT))
        else:
            plan.skipped.append(Skipped("成绩汇总表", f"尚未录入{waiting.round.name}成绩",
                                        f"把 make scoresheets 生成的 {SCORING_DIR}/{round_file(waiting.round)} 填好，"
                                        "放进 campaign 文件夹后再运行 make results"))
        plan.retired |= {RESULTS_DIR, "results.csv", "results.xlsx"}
        return
    from pipeline.scoring.results_workbook import results_csv_rows, results_workbook_bytes
    scheme = data.scheme
    date = timeline_date(data, "speech")
    plan.docs.append(DocJob(f"{RESULTS_DIR}/成绩汇总表", "成绩汇总表.docx",
                            results_context(data.campaign, scheme, data.posts, results, date,
                                            outcome.allocation.vacancies if outcome.allocation else None),
                            batch="results", title="成绩汇总表", bundles=("归档",), order=600))
    plan.docs.append(DocJob(f"{RESULTS_DIR}/考察对象名单", "考察对象名单.docx",
                            shortlist_context(data.campaign, scheme, data.applicants, data.posts, results, date),
                            batch="shortlist", title="考察对象名单", bundles=("归档",), order=610))
    committee = data.campaign.settings.organisation.committee
    header, rows = results_csv_rows(scheme, results, committee)
    plan.files.append(FileJob("results.csv", csv_bytes(header, rows)))
    plan.files.append(FileJob("results.xlsx", results_workbook_bytes(scheme, data.posts, results, committee)))
