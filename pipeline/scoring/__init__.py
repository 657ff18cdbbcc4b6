"""评分: the scoring scheme, the draw, score and ballot entry, the computation and the ranking."""
