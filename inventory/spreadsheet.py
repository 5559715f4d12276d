"""Text on its way to a spreadsheet: cells that would run as formulas are neutralised.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return as a formula (CSV injection). Every CSV and XLSX the tool writes
prefixes such text with an apostrophe; numbers stay numbers. The readers take the apostrophe
off again, so the files round-trip.

Examples
--------
>>> print(safe_csv(pd.DataFrame({"id": ["=cmd()"], "cost": [-5]})), end="")
id,cost
'=cmd(),-5
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "neutralise", "safe_cell", "safe_csv", "safe_frame"]

#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("-5"), neutralise("Ward 7")
    ("'-5", 'Ward 7')
    """
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_cell(value: object) -> object:
    """A cell value safe for spreadsheets: formula-like text neutralised, lists and team
    demands joined as text, numbers kept."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, tuple | list):
        return neutralise("; ".join(map(str, value)))
    if isinstance(value, dict):
        return neutralise("; ".join(f"{k}: {v:g}" for k, v in value.items()))
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text columns are safe for spreadsheets."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    return out


def safe_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """``frame`` as CSV with formula injection neutralised and ISO dates, to ``path`` (or
    returned as text when there is none)."""
    return safe_frame(frame).to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n")
