"""Parsing dates people write: ISO, UK day-first, named months, Excel serial days, and,
where a field allows it, a year, a month or a financial year alone (which day is taken depends
on the field, and is reported).

Examples
--------
>>> parse_date(pd.Series(["2026-11-25", "25/11/2026"])).values.dt.strftime("%Y-%m-%d").tolist()
['2026-11-25', '2026-11-25']
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd

from inventory.parse.core import (
    Parsed,
    blank_out,
    no_problems,
    on_distinct,
)

__all__ = ["MAX_YEAR", "MIN_YEAR", "Partial", "parse_date"]

#: Dates outside these years are refused (a typo, or a serial number read as a year).
MIN_YEAR, MAX_YEAR = 1900, 2100

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


_ISO = r"^(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"


_UK = r"^(?P<ud>\d{1,2})[/.\-](?P<um>\d{1,2})[/.\-](?P<uy>\d{4})$"


_NAMED = r"^(?P<nd>\d{1,2})(?:st|nd|rd|th)?[\s\-]+(?P<nm>[A-Za-z]{3,9})\.?[\s\-,]+(?P<ny>\d{4})$"


_SERIAL = r"^(?P<serial>\d{5})(?:\.0+)?$"


# dates that name a period, not a day: a year, a month, an NHS financial year
_YEAR = r"^(?P<yy>\d{4})$"


_MONTH_NAMED = r"^(?P<pmn>[A-Za-z]{3,9})\.?[\s\-,/]+(?P<pny>\d{4})$"


_MONTH_NUMBER = r"^(?P<pm>\d{1,2})[/.\-](?P<pmy>\d{4})$"


_MONTH_ISO = r"^(?P<piy>\d{4})-(?P<pim>\d{1,2})$"


_FINANCIAL_YEAR = r"^(?:fy\s*)?(?P<fy>\d{4})\s*/\s*(?P<fy2>\d{2}|\d{4})$"


_DATE = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            _ISO,
            _UK,
            _NAMED,
            _SERIAL,
            _YEAR,
            _MONTH_NAMED,
            _MONTH_NUMBER,
            _MONTH_ISO,
            _FINANCIAL_YEAR,
        )
    ),
    re.IGNORECASE,
)


Partial = Literal["start", "middle", "end"]


#: What each reading of a period is called in messages.
_PARTIAL_WORDS = {"start": "the start", "middle": "the middle", "end": "the end"}


def _periods(match: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """First and last day of the period a partial date names, and its kind, per cell."""
    year_only = pd.to_numeric(match["yy"], errors="coerce")
    month_year = pd.to_numeric(
        match["pny"].fillna(match["pmy"]).fillna(match["piy"]), errors="coerce"
    )
    month = pd.to_numeric(match["pm"].fillna(match["pim"]), errors="coerce").fillna(
        match["pmn"].str.lower().map(_MONTHS)
    )
    fy = pd.to_numeric(match["fy"], errors="coerce")
    fy_next = pd.to_numeric(match["fy2"], errors="coerce")
    fy_ok = fy.notna() & ((fy_next == fy + 1) | (fy_next == (fy + 1) % 100))
    out = pd.DataFrame(
        {"kind": None, "year": np.nan, "first": pd.NaT, "last": pd.NaT, "middle": pd.NaT},
        index=index,
    )
    out["kind"] = out["kind"].astype("object")
    if year_only.notna().any():
        y = year_only[year_only.notna()]
        out.loc[y.index, "kind"] = "year"
        out.loc[y.index, "year"] = y
    good_month = month_year.notna() & month.between(1, 12)
    if good_month.any():
        out.loc[good_month, "kind"] = "month"
        out.loc[good_month, "year"] = month_year[good_month]
    bad_month = month_year.notna() & ~good_month
    out.loc[bad_month, "kind"] = "bad month"
    out.loc[fy.notna() & ~fy_ok, "kind"] = "bad financial year"
    if fy_ok.any():
        out.loc[fy_ok, "kind"] = "financial year"
        out.loc[fy_ok, "year"] = fy[fy_ok]
    usable = out["kind"].isin(["year", "month", "financial year"]) & out["year"].between(
        MIN_YEAR, MAX_YEAR - 1
    )
    for kind, first_month, last_months, middle in (
        ("year", 1, 12, (7, 1)),
        ("financial year", 4, 12, (10, 1)),
    ):
        rows = usable & (out["kind"] == kind)
        if rows.any():
            start = pd.to_datetime(
                pd.DataFrame({"year": out.loc[rows, "year"], "month": first_month, "day": 1})
            )
            out.loc[rows, "first"] = start
            out.loc[rows, "last"] = (
                start + pd.DateOffset(months=last_months) - pd.DateOffset(days=1)
            )
            out.loc[rows, "middle"] = pd.to_datetime(
                pd.DataFrame({"year": out.loc[rows, "year"], "month": middle[0], "day": middle[1]})
            )
    rows = usable & (out["kind"] == "month")
    if rows.any():
        start = pd.to_datetime(
            pd.DataFrame({"year": out.loc[rows, "year"], "month": month[rows], "day": 1})
        )
        out.loc[rows, "first"] = start
        out.loc[rows, "last"] = start + pd.offsets.MonthEnd(0)
        out.loc[rows, "middle"] = start + pd.DateOffset(days=14)
    out["usable"] = usable
    return out


def _period_words(text: str, kind: str, first: pd.Timestamp, last: pd.Timestamp) -> str:
    if kind == "financial year":
        return (
            f"'{text}' is a financial year ({first.day} {first:%B %Y} to {last.day} {last:%B %Y})"
        )
    return f"'{text}' gives only the {kind}"


@on_distinct
def parse_date(cells: pd.Series, *, partial: Partial | None = None) -> Parsed:
    """Read dates: ISO (2026-11-25), UK day first (25/11/2026, 25.11.2026, 25 Nov 2026) or an
    Excel serial day number (46351). Impossible dates such as 31/02/2027 are refused.

    With ``partial``, a date that names a period rather than a day is read as that period's
    ``start``, ``middle`` or ``end``, and ``assumed`` says which day was taken: a year
    (``2011``: 1 January, 1 July or 31 December), a month (``Mar 2015``, ``March 2015``,
    ``03/2017``, ``2017-03``: the 1st, the 15th or the last day) or an NHS financial year
    (``2026/27``: 1 April 2026, 1 October 2026 or 31 March 2027). Which reading suits which
    field is the schema's choice (``Field.partial_date``). Without ``partial`` such cells
    are refused.

    >>> parse_date(pd.Series(["31/02/2027"])).problems[0]
    "'31/02/2027' is not a real date: there is no day 31 in month 2 of 2027"
    >>> parse_date(pd.Series(["11/25/2026"])).problems[0]
    "'11/25/2026' is not a real date: there is no month 25 (dates are day/month/year)"
    >>> parsed = parse_date(pd.Series(["2011", "Mar 2015"]), partial="end")
    >>> parsed.values.dt.strftime("%Y-%m-%d").tolist()
    ['2011-12-31', '2015-03-31']
    >>> parsed.assumed[1]
    "'Mar 2015' gives only the month; read as 2015-03-31 (the end of the month)"
    """
    text = blank_out(cells)
    match = text.str.extract(_DATE)
    year = pd.to_numeric(match["iy"].fillna(match["uy"]).fillna(match["ny"]), errors="coerce")
    month = pd.to_numeric(match["im"].fillna(match["um"]), errors="coerce")
    named_month = match["nm"].str.lower().map(_MONTHS)
    month = month.fillna(named_month)
    day = pd.to_numeric(match["id"].fillna(match["ud"]).fillna(match["nd"]), errors="coerce")
    components = pd.DataFrame({"year": year, "month": month, "day": day})
    has_parts = components.notna().all(axis=1)
    values = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    in_range = has_parts & year.between(MIN_YEAR, MAX_YEAR)
    if in_range.any():
        values[in_range] = pd.to_datetime(components[in_range], errors="coerce")
    serial = pd.to_numeric(match["serial"], errors="coerce")
    is_serial = serial.notna()
    if is_serial.any():
        values[is_serial] = _EXCEL_EPOCH + pd.to_timedelta(serial[is_serial], unit="D")
    problems = no_problems(cells.index)
    assumed = no_problems(cells.index)
    periods = _periods(match, cells.index)
    is_period = periods["kind"].notna() & (partial is not None)
    unreadable = text.notna() & ~has_parts & ~is_serial & ~is_period
    problems[unreadable] = [
        f"'{v}' is not a date; write it as 2026-11-25 or 25/11/2026" for v in text[unreadable]
    ]
    if partial is not None and is_period.any():
        column = {"start": "first", "middle": "middle", "end": "last"}[partial]
        read = is_period & periods["usable"]
        values[read] = periods.loc[read, column]
        assumed[read] = [
            _period_words(v, kind, first, last)
            + f"; read as {day:%Y-%m-%d} ({_PARTIAL_WORDS[partial]} of the {kind})"
            for v, kind, first, last, day in zip(
                text[read],
                periods.loc[read, "kind"],
                periods.loc[read, "first"],
                periods.loc[read, "last"],
                values[read],
                strict=True,
            )
        ]
        broken = is_period & ~periods["usable"]
        problems[broken] = [
            _broken_period(v, kind, y)
            for v, kind, y in zip(
                text[broken], periods.loc[broken, "kind"], periods.loc[broken, "year"], strict=True
            )
        ]
    out_of_range = has_parts & ~year.between(MIN_YEAR, MAX_YEAR)
    problems[out_of_range] = [
        f"'{v}' has the year {int(y)}; dates must fall between {MIN_YEAR} and {MAX_YEAR}"
        for v, y in zip(text[out_of_range], year[out_of_range], strict=True)
    ]
    late_serial = is_serial & (values.dt.year > MAX_YEAR)
    problems[late_serial] = [
        f"'{v}' is Excel serial day {int(n)}, which is {day:%Y-%m-%d}; dates must fall "
        f"between {MIN_YEAR} and {MAX_YEAR}"
        for v, n, day in zip(
            text[late_serial], serial[late_serial], values[late_serial], strict=True
        )
    ]
    impossible = in_range & values.isna()
    problems[impossible] = [
        _impossible_date(v, int(y), int(m), int(d))
        for v, y, m, d in zip(
            text[impossible], year[impossible], month[impossible], day[impossible], strict=True
        )
    ]
    values = values.where(problems.isna())
    return Parsed(values, problems, assumed if partial is not None else None)


def _broken_period(text: str, kind: str, year: float) -> str:
    if kind == "bad month":
        return f"'{text}' is not a real month; write it like 'Mar 2015' or 03/2015"
    if kind == "bad financial year":
        return f"'{text}' is not a financial year: the second year must follow the first (2026/27)"
    return f"'{text}' has the year {int(year)}; dates must fall between {MIN_YEAR} and {MAX_YEAR}"


def _impossible_date(text: str, year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"'{text}' is not a real date: there is no month {month} (dates are day/month/year)"
    return f"'{text}' is not a real date: there is no day {day} in month {month} of {year}"
