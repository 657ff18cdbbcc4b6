"""The plan's 成绩计算 paragraphs and the speech's one-sentence summary, written from the ScoringScheme.

The words follow what pipeline/scoring/compute.py and pipeline/scoring/ranking.py compute, so the published method
and the arithmetic cannot drift apart: trimmed group means (seed 5: one highest and one lowest
dropped), the weighted mean Σ(weight × score) / Σweight, half-up rounding of every published figure,
the tie-break order, and 考察对象 at 1:N of the places.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from pipeline.campaign.model import Post
from pipeline.campaign.timeline import Step
from pipeline.engine.jinja_env import cn_numeral
from pipeline.scoring.compute import CandidateResult
from pipeline.scoring.scheme import BallotRule, Component, JudgeGroup, ScoringScheme

RATIO_COLON = "∶"  # U+2236, the ratio colon of printed Chinese (1∶1)


def count_cn(n: int) -> str:
    """Write a count before a measure word: 2 → 两 (两个职位), otherwise cn_numeral (十二个)."""
    return "两" if n == 2 else cn_numeral(n)


def number_text(value: Decimal) -> str:
    """Write a weight without trailing zeros: 4 → 4, 1.50 → 1.5."""
    return format(value.normalize(), "f")


def ratio_text(n: int) -> str:
    """Write the inspection ratio 1∶N."""
    return f"1{RATIO_COLON}{n}"


def judges_name(s: ScoringScheme) -> str:
    """The judges' round as the papers name it: its [[scoring.components]] name (面试, 演讲答辩), or 演讲答辩 for a
    campaign of one judges' round (seed 5, docs/reference.md 评分)."""
    return next((c.name for c in s.components if c.source == "judges"), "演讲答辩")


def round_names(s: ScoringScheme) -> list[str]:
    """Every round in order, as the papers name it (民主推荐, 演讲答辩, 民主测评 …)."""
    return [judges_name(s) if c.source == "judges" else c.name for c in s.rounds]


def join_cn(words: Sequence[str]) -> str:
    """笔试 / 笔试和面试 / 笔试、面试和民主测评: the last two joined by 和, as Chinese lists are written."""
    words = list(words)
    return words[0] if len(words) == 1 else "、".join(words[:-1]) + "和" + words[-1]


def share_text(share: Fraction) -> str:
    """A vote share as a percentage when whole (1/2 → 50%), else in words (1/3 → 三分之一)."""
    percent = share * 100
    return f"{percent.numerator}%" if percent.denominator == 1 else _fraction_text(share.numerator, share.denominator)


# --- the 考察对象公示's procedure, the 公示's and the 成绩汇总表's formula ---

def procedure_text(s: ScoringScheme) -> str:
    """经个人报名、资格审查、笔试和面试，根据总成绩和考察比例 — the steps actually held and what decided."""
    return f"经{join_cn(['个人报名', '资格审查', *round_names(s)])}，根据{_basis(s)}和考察比例"


def _basis(s: ScoringScheme) -> str:
    """What the 考察对象 were chosen on: the total, or the one round that makes it (a veto round said apart)."""
    weighted = [c for c in s.components if c.weight > 0]
    if s.total == "last" and s.components:
        basis = f"{_label(s, s.components[-1])}成绩"
    elif len(weighted) > 1 or s.bonus:
        basis = "总成绩"
    else:
        basis = f"{_label(s, weighted[0]) if weighted else judges_name(s)}成绩"
    vetoes = any(c.source == "ballot" and not _counted(s, c) for c in s.rounds)
    return f"{basis}、民主测评结果" if vetoes and s.ballot and s.ballot.veto_over is not None else basis


def _counted(s: ScoringScheme, c: Component) -> bool:
    """Whether a round is part of the total: weight above 0, and with total = "last" only the last round
    (pipeline/scoring/compute.py score_candidate)."""
    if not s.components:
        return c.source == "judges"
    return c.weight > 0 and (s.total == "weighted" or c is s.components[-1])


def _label(s: ScoringScheme, c: Component) -> str:
    return judges_name(s) if c.source == "judges" else c.name


def formula_text(s: ScoringScheme) -> str:
    """How every published figure is made, so a reader can recompute the total (the 公示 and the 成绩汇总表).

    One clause per fact: the total from the rounds, the judges' round from its groups, each group's trimmed
    mean, each other round as what it is (笔试 a typed score, 民主推荐 a vote share, 民主测评 graded points or a
    veto only), the 加分, the rounding (docs/reference.md 四舍五入: each step uses the published figure).
    """
    clauses = [_total_formula(s)]
    if s.components:
        clauses.append(_judges_formula(s))
    clauses.append(_groups_mean_clause(s.groups))
    clauses += [_round_clause(s, c) for c in s.rounds if c.source != "judges"]
    if s.bonus:
        clauses.append(f"{s.bonus.name}按名单认定，最多{number_text(s.bonus.max)}分")
    return "；".join(c for c in clauses if c) + f"。各项得分和总成绩均四舍五入保留{_places(s)}位小数。"


def _places(s: ScoringScheme) -> str:
    return "两" if s.decimals == 2 else cn_numeral(s.decimals)


def _weighted(parts: Sequence[tuple[str, Decimal]]) -> str:
    total = sum((w for _, w in parts), Decimal(0))
    return "（" + "＋".join(f"{name}×{number_text(w)}" for name, w in parts) + f"）÷{number_text(total)}"


def _total_formula(s: ScoringScheme) -> str:
    bonus = f"，再加{s.bonus.name}" if s.bonus else ""
    if not s.components:
        parts = [(g.name, g.weight) for g in s.groups]
        return (f"总成绩＝{_weighted(parts)}" if len(parts) > 1 else f"总成绩为{parts[0][0]}得分") + bonus
    if s.total == "last":
        return f"总成绩为{_label(s, s.components[-1])}成绩{bonus}"
    weighted = [(_label(s, c), c.weight) for c in s.components if c.weight > 0]
    if len(weighted) == 1:
        return f"总成绩为{weighted[0][0]}成绩{bonus}"
    return f"总成绩＝{_weighted(weighted)}{bonus}"


def _judges_formula(s: ScoringScheme) -> str:
    name = judges_name(s)
    if len(s.groups) == 1:
        return f"{name}成绩为{s.groups[0].name}得分"
    return f"{name}成绩＝{_weighted([(g.name, g.weight) for g in s.groups])}"


def _mean_phrase(g: JudgeGroup) -> str:
    """去掉一个最高分和一个最低分后的平均分 (seed 5), or the mean of every score when the group drops none."""
    if not (g.drop_highest or g.drop_lowest):
        return "全部评委评分的平均分"
    most = max(g.drop_highest, g.drop_lowest)
    # seed 5: one score only is dropped even where two judges gave the same top score
    return f"评委评分{_drop_phrase(g)}后的平均分（同分时只去掉{count_cn(most)}个）"


def _groups_mean_clause(groups: Sequence[JudgeGroup]) -> str:
    if len(groups) == 1:
        return f"{groups[0].name}得分为{_mean_phrase(groups[0])}"
    if _uniform_drop(groups):
        return f"各评委组得分为该组{_mean_phrase(groups[0])}"
    return "；".join(f"{g.name}得分为{_mean_phrase(g)}" for g in groups)


def _veto_clause(b: BallotRule) -> str:
    share = b.veto_over
    return f"“{b.veto_grade}”票超过有效票{_fraction_text(share.numerator, share.denominator)}的，不列为考察对象"


def _points_text(b: BallotRule) -> str:
    return "、".join(f"{grade}{number_text(b.points[grade])}分" for grade in b.grades)


def _round_clause(s: ScoringScheme, c: Component) -> str:
    """One round other than the judges': what its score is, in the 公示's words."""
    counted = _counted(s, c)
    if c.source == "list":
        return f"{c.name}成绩为登记的{c.name}分数" + ("（每人一个，报考的各职位通用）" if c.per == "person" else "")
    if c.source == "votes":
        text = f"{c.name}得分为得票率（推荐票÷有效票）×100"
        return text if counted else f"{c.name}不计入总成绩，只用于确定入围人选"
    if c.source == "ballot" and s.ballot is not None:
        veto = _veto_clause(s.ballot) if s.ballot.veto_over is not None else ""
        if not counted:
            return f"{c.name}不计入总成绩，{veto}" if veto else f"{c.name}不计入总成绩"
        text = f"{c.name}得分为全部有效票按{_points_text(s.ballot)}折算后的平均分"
        return f"{text}，{veto}" if veto else text
    return ""


# --- the rounds in the timeline: which [[timeline]] step holds which round, and what a step does ---

def step_rounds(steps: Sequence[Step], s: ScoringScheme) -> dict[str, list[int]]:
    """Step key → indexes of the rounds it holds. A round goes to the first step whose name contains the round's
    name (key = "exam", name = "笔试"; the township's "笔试和面试"), as pipeline/papers/shortlists.py round_date
    does; the judges' round not named in any step goes to the step keyed "speech" (the seed's 演讲答辩 step)."""
    held: dict[str, list[int]] = {}
    for i, name in enumerate(round_names(s)):
        step = next((st for st in steps if name in st.name), None)
        if step is None and s.rounds[i].source == "judges":
            step = next((st for st in steps if st.key == "speech"), None)
        if step is not None:
            held.setdefault(step.key, []).append(i)
    return held


def round_step(steps: Sequence[Step], s: ScoringScheme, index: int) -> Step | None:
    """The [[timeline]] step that holds round `index` (its date is the round's date), or None."""
    key = next((k for k, rounds in step_rounds(steps, s).items() if index in rounds), None)
    return next((st for st in steps if st.key == key), None) if key else None


def judges_round_index(s: ScoringScheme) -> int:
    return next(i for i, c in enumerate(s.rounds) if c.source == "judges")


def round_step_note(s: ScoringScheme, index: int) -> str:
    """What happens in a round, for the plan's step paragraph (one sentence, ending with 。)."""
    c, names = s.rounds[index], round_names(s)
    name = names[index]
    if c.source == "judges":
        text = ("竞争者按抽签顺序上台演讲，并回答评委提问" if "演讲" in name
                else f"竞争者按抽签顺序逐一参加{name}，回答评委提问") + "，评委当场独立评分"
    elif c.source == "list":
        text = f"符合条件的人员参加{name}，" + ("每人一个成绩，报考的各职位通用" if c.per == "person" else "按报考职位登记成绩")
    elif c.source == "votes":
        text = f"召开{name}会议，参加人员按职位投推荐票，当场计票，计算得票率"
    else:
        text = "参加人员对竞争者逐一填写不记名的民主测评表" + ("，每人测评一次" if c.per == "person" else "")
    if c.shortlist is not None and index + 1 < len(names):
        text += "；" + shortlist_sentence(s, c, names[index + 1])
    return text + "。"


# --- the plan's 成绩计算和考察对象的确定 ---

def scoring_paragraphs(scheme: ScoringScheme, posts: Sequence[Post] = (), committee: str = "党委") -> list[str]:
    """Return the plan's paragraphs on how scores are computed and 考察对象 are chosen, round by round."""
    s = scheme
    names = round_names(s)
    paragraphs = []
    if len(names) > 1:
        paragraphs.append(f"竞争上岗依次进行{join_cn(names)}，共{count_cn(len(names))}轮。")
    for i, c in enumerate(s.rounds):
        following = names[i + 1] if i + 1 < len(names) else None
        if c.source == "judges":
            paragraphs += [_groups_sentence(s) + _drop_sentence(s.groups), _weights_sentence(s)]
        else:
            paragraphs.append(_round_clause(s, c) + "。")
        if c.shortlist is not None and following:
            paragraphs[-1] += shortlist_sentence(s, c, following) + "。"
    if s.components:
        paragraphs.append(_components_sentence(s))
    if s.bonus:
        paragraphs.append(f"{s.bonus.name}按名单认定，最多加{number_text(s.bonus.max)}分，直接加在总成绩上。")
    paragraphs.append(_rounding_sentence(s))
    paragraphs.append(_ranking_sentence(s, posts, committee))
    return paragraphs


def shortlist_sentence(s: ScoringScheme, c: Component, following: str, named: bool = True) -> str:
    """笔试按职数1∶3的比例从高分到低分确定入围面试人选，末位同分的一并入围 (docs/reference.md 轮次和入围);
    named=False leaves the round's name out, where the sentence goes on from one that said it."""
    rule, name = c.shortlist, _label(s, c) if named else ""
    reach = []
    if rule.pass_mark is not None:
        reach.append(f"{name}成绩达到{number_text(rule.pass_mark)}分")
    if rule.vote_share is not None:
        reach.append(f"{name}得票率达到{share_text(rule.vote_share)}")
    if rule.ratio is None:
        return f"{'、'.join(reach)}的，入围{following}"
    among = f"{'、'.join(reach)}的人员中，" if reach else name
    return f"{among}按职数{ratio_text(rule.ratio)}的比例从高分到低分确定入围{following}人选，末位同分的一并入围"


def scoring_summary(scheme: ScoringScheme) -> str:
    """Return the method in one sentence, for the speech: each round as it is held, then how 考察对象 are chosen."""
    s = scheme
    names = round_names(s)
    said = []
    for i, c in enumerate(s.rounds):
        if c.source == "list" and c.shortlist is not None and i + 1 < len(names):
            said.append(shortlist_sentence(s, c, names[i + 1]))
            continue
        said.append(_round_summary(s, c))
        if c.shortlist is not None and i + 1 < len(names):
            said[-1] += "，" + shortlist_sentence(s, c, names[i + 1], named=False)
    weighted = [c for c in s.components if c.weight > 0]
    if s.total == "last" and s.components:
        said.append(f"以{_label(s, s.components[-1])}成绩为总成绩")
    elif len(weighted) > 1:
        said.append(f"{'、'.join(_label(s, c) for c in weighted)}成绩按"
                    f"{RATIO_COLON.join(number_text(c.weight) for c in weighted)}的权重折算为总成绩")
    if s.bonus:
        said.append(f"{s.bonus.name}按名单另计")
    return "；".join(said) + f"；最后按职数与考察对象{ratio_text(s.inspection_ratio)}的比例确定考察人选。"


def _round_summary(s: ScoringScheme, c: Component) -> str:
    if c.source == "judges":
        name, groups = judges_name(s), s.groups
        if len(groups) == 1:
            return f"{name}由{groups[0].name}现场打分，{_summary_drop(groups[0])}"
        weights = RATIO_COLON.join(number_text(g.weight) for g in groups)
        if _uniform_drop(groups):
            each = f"每组{_summary_drop(groups[0])}"
        else:
            each = "，".join(f"{g.name}{_summary_drop(g)}" for g in groups)
        return f"{name}由{count_cn(len(groups))}个评委组现场打分，{each}，各组得分再按{weights}的权重合成"
    if c.source == "list":
        return f"{c.name}每人一个成绩" if c.per == "person" else f"{c.name}按报考职位登记成绩"
    if c.source == "votes":
        return f"{c.name}按职位投推荐票，计算得票率"
    counted = _counted(s, c)
    veto = _veto_clause(s.ballot) if s.ballot and s.ballot.veto_over is not None else ""
    if not counted:
        return f"{c.name}不计入总成绩" + (f"，{veto}" if veto else "")
    return f"{c.name}按档次折算分数" + (f"，{veto}" if veto else "")


def _summary_drop(g: JudgeGroup) -> str:
    return "取全部评分的平均分" if not (g.drop_highest or g.drop_lowest) else f"{_drop_phrase(g)}后取平均分"


def _groups_sentence(s: ScoringScheme) -> str:
    names = "、".join(f"{g.name}（不少于{g.min_judges}人）" for g in s.groups)
    many = f"共{count_cn(len(s.groups))}个评委组" if len(s.groups) > 1 else ""
    return (f"{judges_name(s)}由{names}{many}当场评分，每位评委对每名竞争者打一个分数，"
            f"满分{number_text(s.full_marks)}分。")


def _uniform_drop(groups: Sequence[JudgeGroup]) -> bool:
    return len({(g.drop_highest, g.drop_lowest) for g in groups}) == 1


def _drop_phrase(g: JudgeGroup) -> str:
    """去掉一个最高分和一个最低分 (seed 5), or the configured numbers."""
    parts = [f"{count_cn(n)}个{word}" for n, word in ((g.drop_highest, "最高分"), (g.drop_lowest, "最低分")) if n]
    return "去掉" + "和".join(parts) if parts else "不去掉分数"


def _drop_sentence(groups: Sequence[JudgeGroup]) -> str:
    # seed 5: one score only is dropped even where two judges gave the same top score; said only where a group drops
    same = "几位评委打分相同的，也只去掉规定的个数。"
    drops = any(g.drop_highest or g.drop_lowest for g in groups)
    if _uniform_drop(groups):
        g = groups[0]
        if not drops:
            return "各评委组不去掉分数，取全部评委评分的平均分，作为该组得分。" if len(groups) > 1 else \
                "不去掉分数，取全部评委评分的平均分。"
        whose = "各评委组的分数" if len(groups) > 1 else "评委的分数"
        return f"{whose}{_drop_phrase(g)}后计算平均分，作为{'该组' if len(groups) > 1 else '评委组'}得分；{same}"
    each = "；".join(f"{g.name}{_drop_phrase(g)}" for g in groups)
    return f"各评委组的分数按以下办法处理后计算平均分，作为该组得分：{each}。{same}"


def _weights_sentence(s: ScoringScheme) -> str:
    groups = s.groups
    name = judges_name(s)
    result = f"{name}成绩" if s.components or s.bonus else f"{name}成绩，即总成绩"
    if len(groups) == 1:
        return f"{groups[0].name}的得分就是{result}。"
    weights = [number_text(g.weight) for g in groups]
    total = number_text(sum((g.weight for g in groups), Decimal(0)))
    names = "、".join(g.name for g in groups)
    return (f"{names}各组得分的权重之比为{RATIO_COLON.join(weights)}，即各组得分分别乘以本组权重后相加，"
            f"再除以权重之和{total}，得出{result}。")


def _components_sentence(s: ScoringScheme) -> str:
    weighted = [c for c in s.components if c.weight > 0]
    if s.total == "last":
        return f"总成绩为{_label(s, s.components[-1])}成绩，此前各轮成绩只用于确定入围人选。"
    if len(weighted) == 1:
        text = f"总成绩为{_label(s, weighted[0])}成绩。"
    else:
        total = sum((c.weight for c in weighted), Decimal(0))
        text = f"总成绩由{'、'.join(_component_part(s, c, total) for c in weighted)}加权合成。"
    unweighted = [c.name for c in s.components if c.weight == 0 and c.source != "ballot"]
    if unweighted:
        text += f"{join_cn(unweighted)}不计入总成绩。"
    return text


def _component_part(s: ScoringScheme, c: Component, total: Decimal) -> str:
    """笔试成绩（占40%）; the judges' part is the round's score computed above."""
    label = "民主测评得分" if c.source == "ballot" else f"{_label(s, c)}成绩"
    share = f"占{number_text(c.weight)}%" if total == 100 else f"权重{number_text(c.weight)}"
    return f"{label}（{share}）"


def _fraction_text(num: int, den: int) -> str:
    return f"{cn_numeral(den)}分之{cn_numeral(num)}"


def _rounding_sentence(s: ScoringScheme) -> str:
    # a list round (笔试) is published as typed; the judges', 民主测评 and 民主推荐 scores are computed and rounded
    scored = [f"{judges_name(s)}成绩" if c.source == "judges" else f"{c.name}得分" for c in s.components
              if c.source == "judges" or (c.source in ("ballot", "votes") and _counted(s, c))]
    figures = f"各组得分、{'、'.join(scored)}和总成绩" if s.components or s.bonus else "各组得分和总成绩"
    return (f"{figures}均保留{_places(s)}位小数，第{cn_numeral(s.decimals + 1)}位四舍五入；"
            f"每一步都用上一步公布的数计算，任何人都可以用公布的分数复核。")


def _ranking_sentence(s: ScoringScheme, posts: Sequence[Post], committee: str) -> str:
    text = (f"按报名职位分别从高分到低分排序，按职数与考察对象{ratio_text(s.inspection_ratio)}的比例"
            f"确定考察对象")
    special = [f"{p.title}为{ratio_text(s.post_ratios[p.code])}" for p in posts if p.code in s.post_ratios
               and s.post_ratios[p.code] != s.inspection_ratio]
    if special:
        text += f"（{'，'.join(special)}）"
    text += "。"
    if s.tie_break:
        text += f"总成绩相同的，依次比较{'、'.join(s.tie_break)}的得分，高者列前；"
    else:
        text += "总成绩相同的，"
    return text + f"仍然相同并影响考察对象人选的，并列提交{committee}研究确定。"


# --- how a result is written on the results papers and in results.xlsx ---

def weight_text(weight: Decimal) -> str:
    """Print a weight as typed in campaign.toml: 4, 1.5, 40 (never 4E+1)."""
    return format(weight.normalize(), "f")


def parts(scheme: ScoringScheme) -> list[tuple[str, Decimal | None]]:
    """Columns of the results: every judge group, then the other components, then 加分 (name, weight)."""
    cols: list[tuple[str, Decimal | None]] = [(g.name, g.weight) for g in scheme.groups]
    cols += [(c.name, c.weight) for c in scheme.components]
    if scheme.bonus:
        cols.append((scheme.bonus.name, None))
    return cols


def part_values(scheme: ScoringScheme, result: CandidateResult) -> list[Decimal | None]:
    """The published score of each column of `parts`, in order."""
    return [result.part(name) for name, _ in parts(scheme)]


def row_note(result: CandidateResult, ballot: BallotRule | None = None, committee: str = "党委") -> str:
    """The 备注 of a row: veto, a tie left to the committee, or the rule that broke a tie.

    A vetoed row stays in the table without a 名次; with the ballot rule the note says why (the
    vetoed top scorer must not silently disappear), e.g. 民主测评“不合格”票超过有效票的1/3，不列为考察对象.
    """
    if result.vetoed:
        return ballot.veto_note() if ballot is not None and ballot.veto_over is not None \
            else "民主测评否决，不列为考察对象"
    if result.tie_at_cutoff:
        return f"末位并列，由{committee}研究确定"  # committee: organisation.committee (docs/reference.md, 单位类型)
    if result.reassigned:  # docs/reference.md, 志愿和调剂: placed here from a post of the same 类别
        return "服从调剂，由本人报考的同类职位调剂至本职位"
    if result.allocated_to:
        return f"按志愿确定为{result.allocated_to}职位考察对象，本职位名额依次递补"
    if result.tie_broken_by:
        return f"总成绩相同，按{result.tie_broken_by}得分排序"
    return ""


def schedule_text(steps: Sequence[Step], s: ScoringScheme) -> str:
    """The speech's dates of the rounds: 笔试安排在6月20日，面试安排在6月26日。 (rounds no step holds: not said)."""
    from pipeline.campaign.timeline import short_span

    names = round_names(s)
    said = [f"{join_cn([names[i] for i in rounds])}安排在{short_span(step)}"
            for step in steps for key, rounds in step_rounds(steps, s).items() if key == step.key]
    return "，".join(said) + "。" if said else ""
