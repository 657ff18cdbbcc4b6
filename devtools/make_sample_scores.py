"""Fill the sample campaign's 评分录入.xlsx with invented scores, so `make all` on a fresh clone has results.

Run: .venv/bin/python devtools/make_sample_scores.py [CAMPAIGN_DIR]   (default inputs/; deterministic)

The blank workbook comes from the engine itself (same draw order, same judges), then every cell is filled:
each post's candidates get well-separated strengths (6 points apart), so every post has a clear winner at
ratio 1:1; each judge adds noise of at most ±2.5 in half points. In the first candidate's 专家评委 row two
judges share the top score, and only one of them is dropped (seed 5).
"""
from __future__ import annotations

import random
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from pipeline.campaign.load import load_campaign_folder  # noqa: E402
from pipeline.outcome import candidates_of, speaking_order  # noqa: E402
from pipeline.review.eligibility import review  # noqa: E402
from pipeline.scoring.ranking import compute_results  # noqa: E402
from pipeline.scoring.score_entry import ENTRY_FILE, read_score_entry  # noqa: E402
from pipeline.scoring.stage import write_entry_workbooks  # noqa: E402
from pipeline.engine.xlsx_style import save_atomic  # noqa: E402

SEED = "sample-scores-2026"
TOP, GAP = Decimal(92), Decimal(6)
NOISE = [Decimal(k) / 2 for k in range(-5, 6)]  # -2.5 … +2.5 in half points


def strengths(candidates, rng: random.Random) -> dict:
    """Give each post's candidates distinct strengths 92, 86, 80 … in a seeded order."""
    out = {}
    for code in dict.fromkeys(c.post_code for c in candidates):
        mine = [c for c in candidates if c.post_code == code]
        rng.shuffle(mine)
        out.update({c.key: TOP - GAP * i for i, c in enumerate(mine)})
    return out


def fill(ws, by_key: dict, rng: random.Random) -> None:
    """Type a score into every judge cell of one group sheet (columns D onward)."""
    for row in range(2, ws.max_row + 1):
        key = (str(ws.cell(row=row, column=1).value), str(ws.cell(row=row, column=3).value))
        for col in range(4, ws.max_column + 1):
            ws.cell(row=row, column=col, value=float(by_key[key] + rng.choice(NOISE)))


def share_top_score(ws) -> None:
    """Make the first two judges of row 2 share the row's top score (drop only one of them)."""
    top = max(ws.cell(row=2, column=c).value for c in range(4, ws.max_column + 1)) + 1.0
    ws.cell(row=2, column=4, value=top)
    ws.cell(row=2, column=5, value=top)


def make(campaign_dir: Path) -> Path:
    data = load_campaign_folder(campaign_dir)
    scheme = data.scheme
    candidates = candidates_of(speaking_order(data, review(data, data.rules)))
    rng = random.Random(SEED)
    by_key = strengths(candidates, rng)
    with tempfile.TemporaryDirectory() as tmp:
        blank = write_entry_workbooks(Path(tmp), scheme, data.judges, candidates)[0]
        wb = openpyxl.load_workbook(blank)
    for group in scheme.groups:
        fill(wb[group.name], by_key, rng)
    share_top_score(wb[scheme.groups[0].name])
    dest = save_atomic(wb, campaign_dir / ENTRY_FILE)
    check(dest, scheme, data, candidates)
    return dest


def check(path: Path, scheme, data, candidates) -> None:
    """Refuse a sample without one clear 考察对象 per place in every post."""
    results = compute_results(scheme, data.posts, candidates, read_score_entry(path, scheme, data.judges, candidates))
    for post in data.posts:
        mine = [r for r in results if r.candidate.post_code == post.code]
        if mine and (any(r.tie_at_cutoff for r in mine) or sum(r.inspection for r in mine) != post.places):
            raise SystemExit(f"职位 {post.code} 没有明确的考察对象，请换一个 SEED")


if __name__ == "__main__":
    print(f"已生成 {make(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / 'inputs')}")
