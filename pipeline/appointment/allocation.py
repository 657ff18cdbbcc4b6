"""Allocation across posts: one 考察对象 place per person by 志愿, then 调剂, then 空缺. Pure: no file, no clock.

The rule (docs/reference.md, 志愿和调剂): a person inside the cut for several posts goes
to the highest 志愿 they reached; the place they leave passes to the next candidate of that post, and so on until
nothing changes; candidates who accept 调剂 may then be placed on posts still unfilled, by the campaign's rule;
posts still short are 空缺. The software proposes and explains; the committee decides.

1. 志愿 — person-proposing deferred acceptance. A post's 考察名额 (capacity) is 职数 × N at "1:N"
   (scheme.ratio_for). Each person applies to their posts in 志愿 order (报名信息「报考职位」), skipping posts
   where they were not scored or were vetoed (民主测评 veto: not ranked, never a 考察对象, pipeline.scoring.ranking).
   Each post keeps, of everyone who has applied to it so far, the best by the ranking's own rank (equal rank =
   equal rank keys: total, then the scoring.tie_break scores), up to its capacity; those it does not keep try
   their next 志愿. Rounds repeat until nobody moves. A person is kept by at most one post.
   When every person has one scored candidacy this keeps exactly the ranking's 考察对象 (each post sees all its
   candidates), so the results equal compute_results'.
2. Ties at a cut are never broken here (docs/reference.md, 名次和同分). Of the people a post has seen, grouped
   by equal rank from the best: a group that fits entirely within the capacity is kept as 考察对象; the group
   that straddles the capacity (some of it inside, some beyond) is kept WHOLE as tied at the cut
   (tie_at_cutoff: the committee decides); groups after it are not kept.
   A tied person is held by that post like a kept one: they do not go on to a lower 志愿, and the place they
   had reached at a lower 志愿 passes to the next candidate there. The record says so in their step, so the
   committee knows that if it does not pick them at the higher post, their lower 志愿 has gone (they may
   still be placed by 调剂 when the campaign allows it, once the office reruns with the decision). This keeps
   "a person holds at most one post" without guessing the committee's choice.
3. 调剂 (campaign.toml [allocation] reassignment; "none" by default). Rule "same_category": for each post in
   职位表 order whose capacity is still unfilled after 1–2, the candidates are the people kept nowhere who
   accept 调剂 (是否服从调剂 = 是), vetoed in none of their candidacies, with a candidacy of the same 类别
   (正职/副职) as the post; they are ordered by their best total among their candidacies of that category.
   Each must meet the post's own conditions (pipeline.review.eligibility.review_one against data.rules); those
   who do not are skipped and the record names the condition. Equal best totals are grouped as in 2 (the
   tie-break scores order a post's own ranking and are not compared across posts): a group that fits the free
   places is placed, a group that straddles them is placed whole as tied at the cut for the committee. Someone
   placed (or tied) by 调剂 holds that post and is not considered for a later one.
   A 调剂 placement is a new CandidateResult for the target post: a copy of the person's best same-category
   result (their higher 志愿 of two equal bests) with candidate.post_code = the target, rank None (they were not
   ranked there), reassigned=True; their source result gets allocated_to = the target.
4. 空缺: a post whose kept people (考察对象 and tied) are fewer than its 职数 is short by the difference.

Every result keeps its rank; inspection and tie_at_cutoff are recomputed by 1–3. allocated_to names the post a
person's place went to (a higher 志愿, or a 调剂) on each candidacy that reached the cut (this post would keep or tie
them beside the people it keeps) and on the source of a 调剂; a candidacy that never reached the cut has none.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Any, Callable, Iterable, Mapping, Sequence

from pipeline.campaign.model import Applicant, Post
from pipeline.scoring.compute import CandidateResult

NO_REASSIGNMENT, SAME_CATEGORY = "none", "same_category"
REASSIGNED = "调剂"
_CHINESE_DIGITS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Allocation:
    """Where each person's place is and why: for the committee, the archive and `make status`."""

    rule: str  # [allocation] reassignment
    # post code -> ((报名序号, "志愿第N" | "调剂"), ...): the people the post keeps, 考察对象 and tied, by rank
    placements: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    ties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # post code -> 报名序号 tied at the cut
    vacancies: Mapping[str, int] = field(default_factory=dict)  # post code -> places still missing (空缺)
    explanations: tuple[str, ...] = ()  # one sentence per step, without its number

    @property
    def steps(self) -> tuple[str, ...]:
        """The record, step by step: 第1步：…"""
        return tuple(f"第{i}步：{text}" for i, text in enumerate(self.explanations, 1))

    def rows(self) -> list[tuple[str, str]]:
        """(步骤, 说明) for the CSV and the paper."""
        return [(f"第{i}步", text) for i, text in enumerate(self.explanations, 1)]


def choice_label(n: int) -> str:
    """第一志愿, 第二志愿 … (第11志愿 beyond ten, which the 报名登记表 never has)."""
    return f"第{_CHINESE_DIGITS[n - 1]}志愿" if 1 <= n <= len(_CHINESE_DIGITS) else f"第{n}志愿"


def needs_allocation(results: Iterable[CandidateResult], rule: str) -> bool:
    """True when allocation can change anything: someone has two scored candidacies, or 调剂 is on."""
    numbers = [r.candidate.number for r in results if not r.reassigned]
    return rule != NO_REASSIGNMENT or len(numbers) != len(set(numbers))


def _ratio_of(ratios: Any) -> Callable[[str], int]:
    """The scheme (ratio_for) or a mapping {post code: N}."""
    return ratios.ratio_for if hasattr(ratios, "ratio_for") else (lambda code: ratios[code])


def _cut(members: Iterable[CandidateResult], capacity: int, key: Callable[[CandidateResult], Any]
         ) -> tuple[list[CandidateResult], list[CandidateResult], list[CandidateResult]]:
    """Split members into (kept, tied at the cut, not kept): groups of equal key, best first (rule 2)."""
    kept: list[CandidateResult] = []
    tied: list[CandidateResult] = []
    out: list[CandidateResult] = []
    before = 0
    for _, group in groupby(sorted(members, key=key), key=key):
        group = list(group)
        if before + len(group) <= capacity:
            kept += group
        elif before < capacity:
            tied += group
        else:
            out += group
        before += len(group)
    return kept, tied, out


def _by_rank(r: CandidateResult) -> int:
    return r.rank


class _Allocator:
    def __init__(self, posts: Sequence[Post], results: Sequence[CandidateResult], applicants: Sequence[Applicant],
                 ratio_for: Callable[[str], int], committee: str = "党委"):
        self.committee = committee  # the deciding body as the record names it (docs/reference.md, 单位类型)
        self.posts = list(posts)
        self.post = {p.code: p for p in posts}
        self.order = {p.code: i for i, p in enumerate(posts)}
        self.results = list(results)
        self.people = {a.number: a for a in applicants}
        self.capacity = {p.code: p.places * ratio_for(p.code) for p in posts}
        self.result = {r.candidate.key: r for r in results}
        self.names = {r.candidate.number: r.candidate.name for r in results}
        # Ranked candidacies (not vetoed) of each person in 志愿 order (rule 1).
        self.wishes: dict[str, list[str]] = {}
        for r in results:
            if not r.vetoed and r.rank is not None and r.candidate.post_code in self.post:
                self.wishes.setdefault(r.candidate.number, []).append(r.candidate.post_code)
        for number, codes in self.wishes.items():
            codes.sort(key=lambda code: (self.choice(number, code), self.order[code]))
        self.explanations: list[str] = []
        self.tied_final: dict[str, set[str]] = {}  # post code -> 报名序号 tied at its cut after the 志愿 rounds

    # --- words ---

    def choice(self, number: str, code: str) -> int:
        """The 志愿 number of a candidacy (1 = 第一志愿); a post missing from 报考职位 comes after them all."""
        wished = self.people[number].posts if number in self.people else ()
        return wished.index(code) + 1 if code in wished else len(wished) + 1 + self.order.get(code, 0)

    def post_name(self, code: str) -> str:
        return f"{code} 职位 {self.post[code].title}"

    def who(self, r: CandidateResult, rank: bool = True) -> str:
        return f"{r.candidate.name}（第{r.rank}名）" if rank and r.rank is not None else r.candidate.name

    # --- rule 1 and 2: deferred acceptance ---

    def defer(self) -> dict[str, tuple[list[CandidateResult], list[CandidateResult]]]:
        """Run the rounds; return post code -> (kept, tied) at the end."""
        seen: dict[str, list[CandidateResult]] = {p.code: [] for p in self.posts}
        held: dict[str, tuple[list[CandidateResult], list[CandidateResult]]] = {p.code: ([], []) for p in self.posts}
        next_wish = {number: 0 for number in self.wishes}
        free = list(self.wishes)  # in results order: deterministic, though the outcome does not depend on it
        while free:
            touched = set()
            for number in free:
                if next_wish[number] < len(self.wishes[number]):
                    code = self.wishes[number][next_wish[number]]
                    next_wish[number] += 1
                    seen[code].append(self.result[(number, code)])
                    touched.add(code)
            free = []
            for code in sorted(touched, key=self.order.get):
                kept, tied, out = _cut(seen[code], self.capacity[code], _by_rank)
                held[code] = (kept, tied)
                free += [r.candidate.number for r in out if next_wish[r.candidate.number] <= len(self.wishes[r.candidate.number])
                         and self.wishes[r.candidate.number][next_wish[r.candidate.number] - 1] == code]
                # `out` also holds those rejected in an earlier round (they have moved on): only the newly
                # rejected, whose current 志愿 is this post, apply again.
        return held

    def reached(self, r: CandidateResult, held: tuple[list[CandidateResult], list[CandidateResult]]) -> bool:
        """Would the post keep r (or tie it at its cut) beside the people it keeps now?"""
        if r.vetoed or r.rank is None:
            return False
        kept, tied, _ = _cut([*held[0], *held[1], r], self.capacity[r.candidate.post_code], _by_rank)
        return r in kept or r in tied

    # --- the record of rule 1 and 2 ---

    def explain_wishes(self, before: Mapping[str, tuple[set, set]], after: Mapping[str, tuple[set, set]],
                       where: Mapping[str, str]) -> None:
        """One step per post whose kept people changed, leavers' posts first; ties left to the committee."""
        changed = [p.code for p in self.posts if before[p.code] != after[p.code]]
        # A post's step names where its leavers went; put the step that brought a leaver to their post first.
        joined_at = {n: code for code in changed
                     for n in (after[code][0] - before[code][0]) | (after[code][1] - before[code][1])}
        pending, done = list(changed), []
        while pending:
            ready = [c for c in pending if not any(
                joined_at.get(n) in pending and joined_at.get(n) != c
                for n in (before[c][0] | before[c][1]) - (after[c][0] | after[c][1]))]
            nxt = (ready or pending)[0]  # a cycle of 志愿 (each prefers the other's post): 职位表 order
            pending.remove(nxt)
            done.append(nxt)
        for code in done:
            self.explanations.append(self.wish_step(code, before[code], after[code], where))

    def wish_step(self, code: str, before: tuple[set, set], after: tuple[set, set], where: Mapping[str, str]) -> str:
        (kept0, tied0), (kept1, tied1) = before, after
        left = sorted((kept0 | tied0) - (kept1 | tied1), key=lambda n: self.result[(n, code)].rank)
        parts = []
        for n in left:
            target = where.get(n)
            r = self.result[(n, code)]
            if target is None:  # cannot happen (a place reached stays reached when others leave); said, not hidden
                parts.append(f"{r.candidate.name}（{code} 职位第{r.rank}名）未进入任何职位考察名额")
                continue
            tied = n in self.tied_final.get(target, set())
            keep = (f"按志愿保留在 {target} 职位（该职位考察名额末位同分，由{self.committee}研究确定；"
                    f"{self.committee}未确定其为考察对象的，"
                    f"{code} 职位的名额也不再保留）" if tied else f"按志愿确定为 {target} 职位考察对象")
            parts.append(f"{r.candidate.name} 在 {target} 职位（{choice_label(self.choice(n, target))}）和 "
                         f"{code} 职位（{choice_label(self.choice(n, code))}，第{r.rank}名）均进入考察名额，{keep}")
        joined = sorted((kept1 - kept0), key=lambda n: self.result[(n, code)].rank)
        newly_tied = sorted(tied1 - tied0, key=lambda n: self.result[(n, code)].rank)
        tail = []
        if joined:
            tail.append("名额依次递补给 " + "、".join(self.who(self.result[(n, code)]) for n in joined))
            # Better-ranked people passed over, neither kept here nor leavers: their place is at a higher 志愿.
            worst = max(self.result[(n, code)].rank for n in joined)
            passed = [r for r in self.results if r.candidate.post_code == code and r.rank is not None
                      and r.rank < worst and r.candidate.number not in kept1 | tied1 | set(left)
                      and where.get(r.candidate.number) not in (None, code)]
            if passed:
                tail.append("排在其前的 " + "、".join(
                    f"{self.who(r)}已按志愿确定为 {where[r.candidate.number]} 职位考察对象" for r in passed))
        if newly_tied:
            tail.append("、".join(self.who(self.result[(n, code)]) for n in newly_tied)
                        + f" 同分并列于考察名额末位，由{self.committee}研究确定")
        if not tail:
            tail.append("没有可递补的人员")
        parts.append(f"{self.post_name(code)}（考察名额 {self.capacity[code]} 名）" + "；".join(tail))
        return "；".join(parts)

    # --- rule 3: 调剂 ---

    def reassign(self, held, rules) -> tuple[dict[str, list[CandidateResult]], dict[str, list[CandidateResult]]]:
        """Place willing people kept nowhere on posts still short of their capacity; return placed and tied."""
        from pipeline.review.eligibility import review_one

        placed_anywhere = {r.candidate.number for kept, tied in held.values() for r in kept + tied}
        vetoed = {r.candidate.number for r in self.results if r.vetoed}
        pool = [n for n in self.wishes if n not in placed_anywhere and n not in vetoed
                and n in self.people and self.people[n].accept_reassignment is True]
        placed: dict[str, list[CandidateResult]] = {}
        tied_out: dict[str, list[CandidateResult]] = {}
        for post in self.posts:
            free = self.capacity[post.code] - sum(len(x) for x in held[post.code])
            if free <= 0:
                continue
            best = {}
            for n in pool:
                mine = [self.result[(n, c)] for c in self.wishes[n] if self.post[c].category == post.category]
                if mine:  # the best total; of two equal, the higher 志愿 (max keeps the first, wishes are in 志愿 order)
                    best[n] = max(mine, key=lambda r: r.total)
            ordered = sorted(best.values(), key=lambda r: -r.total)
            if not ordered:
                continue
            eligible, refused = [], []
            for r in ordered:
                check = review_one(self.people[r.candidate.number], post, post.code, rules)
                (eligible if check.passed else refused).append((r, check))
            # Only those reached before the free places are filled are recorded as refused (rule 3).
            kept, tied, _ = _cut([r for r, _ in eligible], free, lambda r: -r.total)
            last = (kept + tied)[-1].total if kept + tied else None
            refused = [(r, c) for r, c in refused if last is None or r.total >= last]
            copies = [self.copy_to(r, post.code) for r in kept]
            tied_copies = [self.copy_to(r, post.code) for r in tied]
            placed[post.code], tied_out[post.code] = copies, tied_copies
            for r in kept + tied:
                pool.remove(r.candidate.number)
            self.explanations.append(self.reassign_step(post, free, kept, tied, refused))
        return placed, tied_out

    def copy_to(self, r: CandidateResult, code: str) -> CandidateResult:
        return replace(r, candidate=replace(r.candidate, post_code=code), rank=None, tie_broken_by=None,
                       inspection=False, tie_at_cutoff=False, allocated_to=None, reassigned=True)

    def reassign_step(self, post: Post, free: int, kept, tied, refused) -> str:
        category = post.category
        said = [f"{self.post_name(post.code)} 考察名额尚缺 {free} 名；按调剂办法，在报考{category}职位、服从调剂且未进入"
                "任何职位考察名额的人员中，按其报考" + category + "职位的最高总成绩依次调剂"]
        for r, check in refused:
            said.append(f"{r.candidate.name}（总成绩 {r.total}，报考 {r.candidate.post_code} 职位）不符合该职位的资格条件"
                        f"（{check.reason_text}），不予调剂")
        if kept:
            said.append("调剂 " + "、".join(f"{r.candidate.name}（总成绩 {r.total}，报考 {r.candidate.post_code} 职位）"
                                           for r in kept) + "为该职位考察对象")
        if tied:
            said.append("、".join(r.candidate.name for r in tied) + f" 总成绩同为 {tied[0].total}，并列于调剂名额末位，"
                        f"由{self.committee}研究确定")
        if not kept and not tied:
            said.append("没有符合条件的人员")
        return "；".join(said)


def allocate(posts: Sequence[Post], results: Sequence[CandidateResult], applicants: Sequence[Applicant],
             rule: str = NO_REASSIGNMENT, ratios: Any = None, rules: Any = None, committee: str = "党委"
             ) -> tuple[list[CandidateResult], Allocation]:
    """Allocate the 考察对象 places across posts (see the module docstring); return the results and the record.

    posts: 职位表 order; results: what compute_results returns; applicants: 报名信息 (志愿 and 是否服从调剂);
    rule: [allocation] reassignment ("none" | "same_category"); ratios: the ScoringScheme (ratio_for) or a
    mapping {post code: N}; rules: data.rules (the RuleSet review_one checks a 调剂 against), needed for 调剂;
    committee: who decides a tie at a cut, as the record names it (organisation.committee: 局党组, 院党委).
    """
    if rule not in (NO_REASSIGNMENT, SAME_CATEGORY):
        raise ValueError(f"unknown reassignment rule {rule!r}")
    if ratios is None:
        raise ValueError("allocate needs the ratios (the scheme or {post code: N})")
    if rule == SAME_CATEGORY and rules is None:
        raise ValueError("调剂 needs the eligibility rules (data.rules)")
    a = _Allocator(posts, results, applicants, _ratio_of(ratios), committee)
    a.explanations.append("按各职位排名和考察比例（职数×N）确定考察名额；同一人进入多个职位考察名额的，按其志愿先后确定"
                          "一个职位，其在其他职位的名额依次递补给该职位的下一名，直至不再变化；末位同分的，"
                          f"由{committee}研究确定")
    held = a.defer()
    before = {p.code: ({r.candidate.number for r in results if r.candidate.post_code == p.code and r.inspection},
                       {r.candidate.number for r in results if r.candidate.post_code == p.code and r.tie_at_cutoff})
              for p in posts}
    after = {code: ({r.candidate.number for r in kept}, {r.candidate.number for r in tied})
             for code, (kept, tied) in held.items()}
    where = {n: code for code, (k, t) in after.items() for n in k | t}
    a.tied_final = {code: t for code, (_, t) in after.items()}
    a.explain_wishes(before, after, where)
    if all(before[p.code] == after[p.code] for p in posts):
        a.explanations.append("没有人同时进入两个以上职位的考察名额，各职位考察对象即按排名确定")
    placed, tied_by_reassignment = (a.reassign(held, rules) if rule == SAME_CATEGORY else ({}, {}))

    out: list[CandidateResult] = []
    for post in posts:
        kept, tied = after[post.code]
        for r in results:
            if r.candidate.post_code != post.code:
                continue
            n = r.candidate.number
            moved = next((c for c, rs in (*placed.items(), *tied_by_reassignment.items())
                          if any(x.candidate.number == n for x in rs)), None)
            # allocated_to: only where this candidacy reached the cut (kept or tied were the person here) and
            # the person's place is at another post; a candidacy that never reached the cut went nowhere.
            elsewhere = where.get(n) if where.get(n) not in (None, post.code) and a.reached(r, held[post.code]) \
                else None
            out.append(replace(r, inspection=n in kept, tie_at_cutoff=n in tied, allocated_to=elsewhere or moved))
        out += [replace(r, inspection=True) for r in placed.get(post.code, [])]
        out += [replace(r, tie_at_cutoff=True) for r in tied_by_reassignment.get(post.code, [])]

    placements: dict[str, tuple[tuple[str, str], ...]] = {}
    ties: dict[str, tuple[str, ...]] = {}
    vacancies: dict[str, int] = {}
    for post in posts:
        mine = [r for r in out if r.candidate.post_code == post.code and (r.inspection or r.tie_at_cutoff)]
        placements[post.code] = tuple(
            (r.candidate.number, REASSIGNED if r.reassigned else f"志愿第{a.choice(r.candidate.number, post.code)}")
            for r in mine)
        tied_here = tuple(r.candidate.number for r in mine if r.tie_at_cutoff)
        if tied_here:
            ties[post.code] = tied_here
        if len(mine) < post.places:
            vacancies[post.code] = post.places - len(mine)
            a.explanations.append(f"{a.post_name(post.code)} 职数 {post.places} 名，" +
                                  (f"考察对象只有 {len(mine)} 名" if mine else "没有考察对象") +
                                  f"，空缺 {post.places - len(mine)} 名")
    return out, Allocation(rule, placements, ties, vacancies, tuple(a.explanations))


def vacancy_text(posts: Sequence[Post], allocation: Allocation | None) -> str | None:
    """空缺职位 2 个：03 职位 综合科副科长 缺 1 名，… (None: no post is short)."""
    if allocation is None or not allocation.vacancies:
        return None
    titles = {p.code: p.title for p in posts}
    listed = "，".join(f"{code} 职位 {titles[code]} 缺 {n} 名" for code, n in allocation.vacancies.items())
    return f"空缺职位 {len(allocation.vacancies)} 个：{listed}"
