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

import numpy as np
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
        return neutralise(_line_feeds(printable(value)))
    if isinstance(value, tuple | list):
        return neutralise(_line_feeds(printable("; ".join(map(str, value)))))
    if isinstance(value, dict):
        return neutralise(printable("; ".join(f"{k}: {v:g}" for k, v in value.items())))
    return value


def _line_feeds(text: str) -> str:
    """Carriage returns (alone or before a line feed) as line feeds: a CSV writer quotes a
    cell holding a line feed, but not one holding a bare carriage return, which a spreadsheet
    reads as the end of the row (and the rest as a new row, whose first cell might run).

    >>> _line_feeds("x\\r-2+3"), _line_feeds("a\\r\\nb")
    ('x\\n-2+3', 'a\\nb')
    """
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _safe_column(series: pd.Series) -> pd.Series:
    """:func:`safe_cell` of every cell, worked out once per distinct value (a column of a
    million rows has few distinct categories, platforms or statuses); blanks kept as they are.
    """
    if pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty"):
        return series.map(safe_cell)  # lists, team demands, mixed values: one at a time
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    safe = np.empty(len(uniques) + 1, dtype=object)
    safe[:-1] = [safe_cell(value) for value in uniques]
    values = safe[codes]
    blank = codes < 0
    if blank.any():
        values[blank] = series.to_numpy(dtype=object)[blank]
    return pd.Series(values, index=series.index, dtype=object, name=series.name)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text columns are safe for spreadsheets.

    >>> safe_frame(pd.DataFrame({"id": ["+44", "pas", "+44"], "n": [1, 2, 3]}))["id"].tolist()
    ["'+44", 'pas', "'+44"]
    >>> safe_frame(pd.DataFrame({"kind": pd.Categorical(["-1+2", "ok"])}))["kind"].tolist()
    ["'-1+2", 'ok']
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):  # categories are text too
            series = series.astype(object)
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = _safe_column(series)
    return out


def _iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns as ISO text (blank where missing), formatted by numpy in one pass."""
    dated = [c for c in frame.columns if pd.api.types.is_datetime64_dtype(frame[c])]
    if not dated:
        return frame
    out = frame.copy()
    for column in dated:
        values = frame[column].to_numpy(dtype="datetime64[ns]")
        text = np.datetime_as_string(values, unit="D").astype(object)
        text[np.isnat(values)] = None
        out[column] = pd.Series(text, index=frame.index, dtype=object)
    return out


#: Object columns of these kinds hold no dates, so the writer need not look at each cell.
_NO_DATES = ("string", "empty", "integer", "floating", "mixed-integer-float", "boolean")


def _date_format(frame: pd.DataFrame) -> str | None:
    """``%Y-%m-%d`` if any column still holds dates after :func:`_iso_dates`, else None (the
    CSV writer then formats no cell one at a time)."""
    for column in frame.columns:
        series = frame[column]
        if series.dtype == object:
            if pd.api.types.infer_dtype(series, skipna=True) not in _NO_DATES:
                return "%Y-%m-%d"
        elif series.dtype.kind in "Mm" or isinstance(
            series.dtype, pd.DatetimeTZDtype | pd.PeriodDtype
        ):
            return "%Y-%m-%d"
    return None


def safe_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """``frame`` as CSV with formula injection neutralised and ISO dates, to ``path`` (written
    whole or not at all), or returned as text when there is none.

    Text columns are made safe once per distinct value and dates formatted in one pass, so a
    table of a million rows writes in seconds.
    """
    safe = _iso_dates(safe_frame(frame))
    date_format = _date_format(safe)
    if path is None:
        return safe.to_csv(index=False, date_format=date_format, lineterminator="\n")
    with atomic_file(path) as temporary:
        safe.to_csv(temporary, index=False, date_format=date_format, lineterminator="\n")
    return None
