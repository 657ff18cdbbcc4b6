"""What the papers of every step share: the output folders (numbered in the order of the procedure) and CSV."""
from __future__ import annotations

import csv
import io
from typing import Sequence

from pipeline.engine.xlsx_safe import safe_text

FORMS_DIR = "03-报名登记表"
REVIEW_DIR = "04-资格审查"
SCORING_DIR = "05-评分表"
BUNDLES_DIR = "bundles"


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with BOM so that Excel opens the Chinese text correctly; every field passes the CSV-injection guard."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    writer.writerows([safe_text(v) for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
