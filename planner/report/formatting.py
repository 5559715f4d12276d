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

from inventory.wording import plural

__all__ = [
    "BLANK",
    "NOT_SCHEDULED",
    "blank",
    "budget_text",
    "count_text",
    "day",
    "listed",
    "money",
    "month",
    "number",
    "or_not_scheduled",
    "plain_text",
    "plural",
    "sentence",
    "share",
    "signed",
]

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


#: What a date column shows for a project the plan could not fit.
NOT_SCHEDULED = "not scheduled"


def plain_text(value: object) -> str:
    return BLANK if blank(value) else str(value)


def or_not_scheduled(value: object) -> str:
    """A go-live (or a date only a scheduled project has): its month, or 'not scheduled'."""
    return NOT_SCHEDULED if blank(value) else month(value)


def count_text(value: object) -> str:
    """A count, or a dash for none."""
    return BLANK if blank(value) or not value else number(value)


def budget_text(value: object) -> str:
    """A budget: NaN is no limit."""
    return "no limit" if blank(value) else money(value)


def signed(value: object) -> str:
    """A change with its sign: '+4', '-21,410', and '0' for none."""
    if blank(value):
        return BLANK
    amount = round(float(value))  # type: ignore[arg-type]
    return "0" if amount == 0 else f"{amount:+,}"


def sentence(message: str) -> str:
    """A warning as a sentence: its first letter a capital, a full stop at the end."""
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def listed(items: list[str], limit: int = 3) -> str:
    """'a', 'a and b', 'a, b and c', or 'a, b, c and 4 more'."""
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit:,} more"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
