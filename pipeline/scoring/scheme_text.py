"""The plan's 成绩计算 paragraphs and the speech's one-sentence summary, written from the ScoringScheme.

The words follow what pipeline/scoring/compute.py and pipeline/scoring/ranking.py compute, so the published method
and the arithmetic cannot drift apart: trimmed group means (seed 5: one highest and one lowest
dropped), the weighted mean Σ(weight × score) / Σweight, half-up rounding of every published figure,
the tie-break order, and 考察对象 at 1:N of the places.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from pipeline.campaign.model import Post
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


def scoring_paragraphs(scheme: ScoringScheme, posts: Sequence[Post] = (), committee: str = "党委") -> list[str]:
    """Return the plan's paragraphs on how scores are computed and 考察对象 are chosen."""
    paragraphs = [_groups_sentence(scheme) + _drop_sentence(scheme.groups), _weights_sentence(scheme)]
    if scheme.components:
        paragraphs.append(_components_sentence(scheme))
    if scheme.bonus:
        paragraphs.append(f"{scheme.bonus.name}按名单认定，最多加{number_text(scheme.bonus.max)}分，"
                          f"直接加在总成绩上。")
    paragraphs.append(_rounding_sentence(scheme))
    paragraphs.append(_ranking_sentence(scheme, posts, committee))
    return paragraphs


def scoring_summary(scheme: ScoringScheme) -> str:
    """Return the method in one sentence, for the speech."""
    drop = _drop_phrase(scheme.groups[0]) if _uniform_drop(scheme.groups) else "按方案去掉最高分和最低分"
    weights = RATIO_COLON.join(number_text(g.weight) for g in scheme.groups)
    if len(scheme.groups) == 1:
        text = f"现场由{scheme.groups[0].name}打分，{drop}后取平均分"
    else:
        text = (f"现场由{count_cn(len(scheme.groups))}个评委组打分，每组{drop}后取平均分，"
                f"各组得分再按{weights}的权重合成")
    if scheme.bonus:
        text += f"，{scheme.bonus.name}按名单另计"
    if scheme.components:
        text += "，与" + "、".join(c.name for c in scheme.components if c.source != "judges") + "成绩一并折算为总成绩"
    return text + f"，按职数与考察对象{ratio_text(scheme.inspection_ratio)}的比例确定考察人选。"


def _groups_sentence(s: ScoringScheme) -> str:
    names = "、".join(f"{g.name}（不少于{g.min_judges}人）" for g in s.groups)
    return (f"演讲答辩由{names}共{count_cn(len(s.groups))}个评委组当场评分，每位评委对每名竞争者打一个分数，"
            f"满分{number_text(s.full_marks)}分。")


def _uniform_drop(groups: Sequence[JudgeGroup]) -> bool:
    return len({(g.drop_highest, g.drop_lowest) for g in groups}) == 1


def _drop_phrase(g: JudgeGroup) -> str:
    """去掉一个最高分和一个最低分 (seed 5), or the configured numbers."""
    parts = [f"{count_cn(n)}个{word}" for n, word in ((g.drop_highest, "最高分"), (g.drop_lowest, "最低分")) if n]
    return "去掉" + "和".join(parts) if parts else "不去掉分数"


def _drop_sentence(groups: Sequence[JudgeGroup]) -> str:
    # seed 5: one score only is dropped even where two judges gave the same top score.
    same = "（几位评委打分相同的，也只去掉规定的个数）"
    if _uniform_drop(groups):
        return f"各评委组的分数{_drop_phrase(groups[0])}{same if groups[0].drop_highest or groups[0].drop_lowest else ''}" \
               f"后计算平均分，作为该组得分。"
    each = "；".join(f"{g.name}{_drop_phrase(g)}" for g in groups)
    return f"各评委组的分数按以下办法处理后计算平均分，作为该组得分：{each}{same}。"


def _weights_sentence(s: ScoringScheme) -> str:
    groups = s.groups
    result = "演讲答辩成绩" if s.components or s.bonus else "演讲答辩成绩，即总成绩"
    if len(groups) == 1:
        return f"{groups[0].name}的得分就是{result}。"
    weights = [number_text(g.weight) for g in groups]
    total = number_text(sum((g.weight for g in groups), Decimal(0)))
    names = "、".join(g.name for g in groups)
    return (f"{names}各组得分的权重之比为{RATIO_COLON.join(weights)}，即各组得分分别乘以本组权重后相加，"
            f"再除以权重之和{total}，得出{result}。")


def _components_sentence(s: ScoringScheme) -> str:
    total = sum((c.weight for c in s.components), Decimal(0))
    parts = "、".join(_component_part(c, total) for c in s.components)
    text = f"总成绩由{parts}加权合成。"
    if s.ballot:
        points = "、".join(f"{grade}{number_text(p)}分" for grade, p in s.ballot.points.items())
        text += f"民主测评按{points}折算，取全部有效票的平均分。"
        if s.ballot.veto_over is not None:
            share = s.ballot.veto_over
            text += (f"“{s.ballot.veto_grade}”票超过有效票{_fraction_text(share.numerator, share.denominator)}的，"
                     f"不列为考察对象。")
    return text


def _component_part(c: Component, total: Decimal) -> str:
    """笔试成绩（占40%）; the judges' part is the 演讲答辩成绩 computed above."""
    label = "民主测评得分" if c.source == "ballot" else f"{c.name}成绩"
    share = f"占{number_text(c.weight)}%" if total == 100 else f"权重{number_text(c.weight)}"
    if c.source == "judges":
        share = f"即上述演讲答辩成绩，{share}"
    return f"{label}（{share}）"


def _fraction_text(num: int, den: int) -> str:
    return f"{cn_numeral(den)}分之{cn_numeral(num)}"


def _rounding_sentence(s: ScoringScheme) -> str:
    places = "两" if s.decimals == 2 else cn_numeral(s.decimals)
    figures = "各组得分、演讲答辩成绩和总成绩" if s.components or s.bonus else "各组得分和总成绩"
    return (f"{figures}均保留{places}位小数，第{cn_numeral(s.decimals + 1)}位四舍五入；"
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


def row_note(result: CandidateResult, ballot: BallotRule | None = None) -> str:
    """The 备注 of a row: veto, a tie left to the committee, or the rule that broke a tie.

    A vetoed row stays in the table without a 名次; with the ballot rule the note says why (the
    vetoed top scorer must not silently disappear), e.g. 民主测评“不合格”票超过有效票的1/3，不列为考察对象.
    """
    if result.vetoed:
        return ballot.veto_note() if ballot is not None and ballot.veto_over is not None \
            else "民主测评否决，不列为考察对象"
    if result.tie_at_cutoff:
        return "末位并列，由党委研究确定"
    if result.reassigned:  # docs/reference.md, 志愿和调剂: placed here from a post of the same 类别
        return "服从调剂，由本人报考的同类职位调剂至本职位"
    if result.allocated_to:
        return f"按志愿确定为{result.allocated_to}职位考察对象，本职位名额依次递补"
    if result.tie_broken_by:
        return f"总成绩相同，按{result.tie_broken_by}得分排序"
    return ""
