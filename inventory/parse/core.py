"""What every parser shares: :class:`Parsed` (values, problems, assumptions), blank cells,
and running a parser once per distinct value."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "BLANK_TOKENS",
    "Parsed",
    "as_text",
    "blank_out",
    "no_problems",
    "on_distinct",
    "problems_where",
]

BLANK_TOKENS = frozenset({"", "n/a", "na", "tbc", "tbd", "unknown", "-", "--", "?", "null", "nan"})


def on_distinct(parser: Callable[..., Parsed]) -> Callable[..., Parsed]:
    """Run ``parser`` once per distinct cell value and spread the result back over the rows.

    Inventory columns repeat themselves (dates, amounts, categories), so this turns a
    million-cell parse into a parse of a few thousand values plus one vectorised take.
    """

    @functools.wraps(parser)
    def parse_distinct(cells: pd.Series, *args, **kwargs) -> Parsed:
        codes, uniques = pd.factorize(cells.astype("object"), use_na_sentinel=True)
        if len(uniques) * 2 > len(cells):
            return parser(cells, *args, **kwargs)
        codes = np.where(codes < 0, len(uniques), codes)
        distinct = pd.Series([*uniques, None], dtype="object")
        parsed = parser(distinct, *args, **kwargs)
        values = parsed.values.iloc[codes]
        values.index = cells.index
        problems = parsed.problems.iloc[codes]
        problems.index = cells.index
        assumed = None
        if parsed.assumed is not None:
            assumed = parsed.assumed.iloc[codes]
            assumed.index = cells.index
        return Parsed(values, problems, assumed)

    return parse_distinct


@dataclass(frozen=True)
class Parsed:
    """Parsed values and, per cell, a problem message (NaN when the cell was fine).

    ``assumed`` says, per cell, what was assumed to read it (``'2011' gives only the year;
    read as 2011-07-01 ...``), NaN where the cell meant exactly what was read; ``None`` when
    the parser never assumes anything.
    """

    values: pd.Series | pd.DataFrame
    problems: pd.Series
    assumed: pd.Series | None = None


def as_text(cells: pd.Series) -> pd.Series:
    """Return cells as stripped text with NA for missing cells (object dtype).

    >>> as_text(pd.Series([None, float("nan")], dtype="object")).isna().tolist()  # no text
    [True, True]
    >>> as_text(pd.Series([1.5, 2.0, None], dtype="object")).fillna("<blank>").tolist()
    ['1.5', '2.0', '<blank>']
    """
    text = cells.astype("object")
    is_text = text.map(lambda v: isinstance(v, str))
    if not (is_text | text.isna()).all():  # numbers and dates from JSON/XLSX: their text
        text = text.map(lambda v: v if isinstance(v, str) or pd.isna(v) else str(v))
        is_text = text.notna()
    if not is_text.any():  # only blanks: .str refuses such a column
        return pd.Series(None, index=text.index, dtype="object")
    return text.str.strip()


def blank_out(cells: pd.Series) -> pd.Series:
    """Return stripped text with blank-like cells (``n/a``, ``TBC``, ...) as NA.

    >>> blank_out(pd.Series([" x ", "TBC", "n/a", None])).fillna("<blank>").tolist()
    ['x', '<blank>', '<blank>', '<blank>']
    """
    text = as_text(cells)
    lowered = text.str.lower()
    return text.where(~lowered.isin(BLANK_TOKENS) & text.notna(), None)


def no_problems(index: pd.Index) -> pd.Series:
    return pd.Series(None, index=index, dtype="object")


def problems_where(mask: pd.Series, text: pd.Series, template: str) -> pd.Series:
    problems = no_problems(text.index)
    if mask.any():
        problems[mask] = [template.format(value=v) for v in text[mask]]
    return problems
