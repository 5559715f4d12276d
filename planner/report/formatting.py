"""How values read in a board paper: money in pounds with k and m, months as 'Mar 2037',
blanks as a dash. Every function takes any scalar and returns text.

Examples
--------
>>> money(94_191_100), money(620_000), money(3_000), money(float("nan"))
('£94.2m', '£620k', '£3k', '—')
>>> month(pd.Timestamp("2037-03-31")), month(pd.NaT)
('Mar 2037', '—')
>>> share(0.4712), number(11768.6)
('47%', '11,769')
"""

from __future__ import annotations

import pandas as pd

__all__ = ["BLANK", "blank", "day", "money", "month", "number", "share"]

#: What a cell with no value shows.
BLANK = "—"


def blank(value: object) -> bool:
    """True for None, NaN and NaT.

    >>> blank(None), blank(float("nan")), blank(0)
    (True, True, False)
    """
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))  # type: ignore[call-overload]


def money(value: object) -> str:
    """Pounds: millions to one decimal from £1m, thousands below, whole pounds under £1k."""
    if blank(value):
        return BLANK
    amount = float(value)  # type: ignore[arg-type]
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 999_500:
        return f"{sign}£{amount / 1e6:,.1f}m"
    if amount >= 1_000:
        return f"{sign}£{amount / 1e3:,.0f}k"
    return f"{sign}£{amount:,.0f}"


def month(value: object) -> str:
    """A date as its month and year."""
    return BLANK if blank(value) else f"{pd.Timestamp(value):%b %Y}"  # type: ignore[arg-type]


def day(value: object) -> str:
    """A date in full, as a board paper writes it: '31 March 2037'."""
    return BLANK if blank(value) else f"{pd.Timestamp(value):%-d %B %Y}"  # type: ignore[arg-type]


def share(value: object) -> str:
    """A fraction as a whole percentage."""
    return BLANK if blank(value) else f"{100 * float(value):.0f}%"  # type: ignore[arg-type]


def number(value: object, decimals: int = 0) -> str:
    """A number with thousands separators."""
    return BLANK if blank(value) else f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]
