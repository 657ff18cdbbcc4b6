"""演讲答辩 speaking order (抽签): from a seeded draw, recorded so it can be audited, and stable.

Each candidate of a post gets a lot: the SHA-256 of "seed|round|职位代码|报名序号". A post's candidates speak in
the order of their lots. A lot depends on nobody else, so a withdrawal, a late correction or a shortlist between
rounds never changes the order of the others (issue: one withdrawal had moved 565 lines of 抽签顺序.csv); a
supervisor repeats the draw with any SHA-256 tool. The round is part of the lot: each round is drawn anew.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Mapping, Sequence

from pipeline.campaign.model import Applicant, Post


@dataclass(frozen=True)
class Draw:
    order: int  # 抽签序号, 1-based across the whole round
    applicant: Applicant
    post: Post


def lot(seed: str, round_name: str, post_code: str, number: str) -> str:
    """The lot of one candidate: hex SHA-256 of "seed|round|职位代码|报名序号" (UTF-8)."""
    return hashlib.sha256(f"{seed}|{round_name}|{post_code}|{number}".encode("utf-8")).hexdigest()


def draw_order(posts: Sequence[Post], candidates: Mapping[str, Sequence[Applicant]], seed: str,
               round_name: str = "") -> list[Draw]:
    """Posts speak in 职位代码 order; within a post, candidates in the order of their lots."""
    draws: list[Draw] = []
    for post in sorted(posts, key=lambda p: p.code):
        people = sorted(candidates.get(post.code, ()), key=lambda a: lot(seed, round_name, post.code, a.number))
        draws.extend(Draw(len(draws) + 1, a, post) for a in people)
    return draws
