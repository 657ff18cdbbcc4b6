"""演讲答辩 speaking order (抽签): from a seeded draw, recorded so it can be audited."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Mapping, Sequence

from pipeline.campaign.model import Applicant, Post


@dataclass(frozen=True)
class Draw:
    order: int  # 抽签序号, 1-based across the whole campaign
    applicant: Applicant
    post: Post


def draw_order(posts: Sequence[Post], candidates: Mapping[str, Sequence[Applicant]], seed: str) -> list[Draw]:
    """Posts speak in 职位代码 order; within a post the candidates' order is drawn from `seed`.

    The same seed and the same candidates always give the same order, so a supervisor can repeat
    the draw (random.Random seeded with a string is stable across Python versions).
    """
    draws: list[Draw] = []
    for post in sorted(posts, key=lambda p: p.code):
        people = sorted(candidates.get(post.code, ()), key=lambda a: a.number)
        random.Random(f"{seed}|{post.code}").shuffle(people)
        draws.extend(Draw(len(draws) + 1, a, post) for a in people)
    return draws
