"""Text on its way to a spreadsheet: cells that would run as formulas are neutralised.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return as a formula (CSV injection). Every CSV and XLSX the tool writes
prefixes such text with an apostrophe; numbers stay numbers. The readers take the apostrophe
off again, so the files round-trip. Characters no spreadsheet can hold (control characters,
lone surrogates) are replaced (:func:`inventory.characters.printable`), and a CSV file is
written whole or not at all (:func:`inventory.output.atomic_file`).

Examples
--------
>>> print(safe_csv(pd.DataFrame({"id": ["=cmd()"], "cost": [-5]})), end="")
id,cost
'=cmd(),-5
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inventory.characters import printable
from inventory.output import atomic_file

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
    demands joined as text, characters no spreadsheet holds replaced, numbers kept.

    >>> safe_cell(("ADT^A01", "ORU^R01")), safe_cell("@SUM(A1)"), safe_cell("\\x00") == "\\ufffd"
    ('ADT^A01; ORU^R01', "'@SUM(A1)", True)
    """
    if isinstance(value, str):
        return neutralise(printable(value))
    if isinstance(value, tuple | list):
        return neutralise(printable("; ".join(map(str, value))))
    if isinstance(value, dict):
        return neutralise(printable("; ".join(f"{k}: {v:g}" for k, v in value.items())))
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text columns are safe for spreadsheets."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    return out


def safe_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """``frame`` as CSV with formula injection neutralised and ISO dates, to ``path`` (written
    whole or not at all), or returned as text when there is none."""
    safe = safe_frame(frame)
    if path is None:
        return safe.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
    with atomic_file(path) as temporary:
        safe.to_csv(temporary, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return None
