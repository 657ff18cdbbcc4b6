"""Write spreadsheet cells safely: a typed value that looks like a formula stays text (formula injection)."""
from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell

# OWASP "CSV injection": a cell starting with one of these may be run as a formula by Excel, WPS or Calc.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """Tell whether a value is text that an office suite could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(cell: Cell, value: Any) -> Cell:
    """Put a value we did not write ourselves into a cell; risky text is stored as text with a quote prefix."""
    cell.value = value
    if is_risky(value):
        # A shared string is never evaluated; quotePrefix keeps it text if the clerk edits the cell in Excel.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_text(value: Any) -> Any:
    """Return a value fit for a CSV field: risky text gets a leading apostrophe, the usual neutraliser."""
    return "'" + value if is_risky(value) else value
