"""Parsing numbers people write: whole numbers, money (with units, periods and remarks),
months and years, and low/likely/high ranges."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from inventory.parse.core import (
    Parsed,
    blank_out,
    no_problems,
    on_distinct,
    problems_where,
)

__all__ = [
    "MAX_MONEY",
    "MAX_MONTHS",
    "MAX_WHOLE",
    "parse_fraction",
    "parse_int",
    "parse_money",
    "parse_months",
    "parse_range",
    "parse_shares",
]

#: The largest whole number read: above it a float no longer holds every whole number, and
#: nothing counted in an inventory comes near it.
MAX_WHOLE = 2**53 - 1

#: The largest amount of money read (£1,000bn, several times the NHS's yearly budget).
MAX_MONEY = 1e12

#: The longest duration read, in months (100 years, the longest plan horizon).
MAX_MONTHS = 1200.0


def _too_large(values: pd.Series, text: pd.Series, limit: float, wording: str) -> pd.Series:
    """Cells whose value is above ``limit`` (or infinite): their problem message, else NA."""
    over = values.abs() > limit
    return problems_where(over, text, "'{value}' is too large; " + wording)


#: A number: digits, with commas only where they group thousands (1,200,000).
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"

#: A comma between digits that does not group thousands: a decimal comma (1,5m) or a list.
_NOT_THOUSANDS = r"\d,(?!\d{3}(?!\d))"


def _comma_problems(problems: pd.Series, text: pd.Series, bad: pd.Series) -> pd.Series:
    """``problems``, saying so where a cell that cannot be read has a comma that does not
    group thousands (a decimal comma, as European spreadsheets write 1,5): it is never read
    as a thousands separator, which would make 1,5m fifteen million."""
    comma = bad & text.str.contains(_NOT_THOUSANDS, regex=True).fillna(False)
    return problems.where(
        ~comma,
        problems_where(
            comma,
            text,
            "'{value}' has a comma that does not group thousands (a decimal comma?); write "
            "the decimal point as a point, like 1.5",
        ),
    )


@on_distinct
def parse_int(cells: pd.Series) -> Parsed:
    """Read whole numbers, allowing thousands separators and a trailing '.0'.

    >>> parse_int(pd.Series(["1,200", "3.0", "2.5"])).values.tolist()
    [1200.0, 3.0, nan]
    """
    text = blank_out(cells)
    match = text.str.extract(r"^(?P<sign>-?)\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?$")
    digits = match["digits"].str.replace(",", "", regex=False)
    values = pd.to_numeric(digits, errors="coerce").astype("float64")
    values = values.where(match["sign"] != "-", -values)
    bad = text.notna() & values.isna()
    problems = _comma_problems(
        problems_where(bad, text, "'{value}' is not a whole number"), text, bad
    )
    large = _too_large(values, text, MAX_WHOLE, f"a whole number here is at most {MAX_WHOLE:,}")
    problems = problems.fillna(large)
    return Parsed(values.where(large.isna()), problems)


_PER_YEAR = (
    r"p\.?\s?a\.?|per\s+annum|per\s+year|a\s+year|each\s+year|annually|yearly"
    r"|/\s*(?:yr|year|annum|pa)"
)


_PER_MONTH = r"p\.?\s?m\.?|pcm|per\s+month|a\s+month|each\s+month|monthly|/\s*(?:month|mth)"


_MONEY = re.compile(
    r"^(?P<approx>(?:c\.|ca\.|circa|approx\.?|approximately|about|around|est\.|estimated|~)\s*)?"
    r"(?P<sign>-?)\s*(?:£|gbp)?\s*(?P<sign2>-?)\s*" + _NUMBER + r"\s*"
    r"(?P<suffix>k|thousand|m|mn|million|bn|billion)?\s*(?:gbp)?"
    r"\s*(?:(?P<per_year>" + _PER_YEAR + r")|(?P<per_month>" + _PER_MONTH + r"))?"
    r"\s*(?P<words>\([^()]*\)|(?:inc|incl|including|ex|excl|excluding|plus|\+)\.?\s*vat)?\s*$",
    re.IGNORECASE,
)


_MONEY_SCALE = {
    "": 1.0,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "bn": 1e9,
    "billion": 1e9,
}


def _pounds(value: float) -> str:
    return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"


@on_distinct
def parse_money(cells: pd.Series, *, per_year: bool = False) -> Parsed:
    """Read pounds: 250000, 250k, £1.2m, 1,200,000, £2bn, GBP 40k.

    An amount may carry an estimate word (``c.``, ``approx``, ``about``), a remark in
    brackets or about VAT (``£150k (staff+licences)``, ``£40k + VAT``) and, for a yearly field
    (``per_year``), its period: ``pa``, ``p.a.``, ``per annum`` are the field's own unit,
    ``pm``/``per month`` is multiplied by 12. Each of these readings is reported in
    ``assumed``; a period on a one-off amount is refused.

    >>> parsed = parse_money(pd.Series(["£45k pa", "£2k pm", "£150k (staff+licences)"]),
    ...                      per_year=True)
    >>> parsed.values.tolist()
    [45000.0, 24000.0, 150000.0]
    >>> parsed.assumed[1]
    "'£2k pm' is an amount per month; read as £24,000 a year (12 x £2,000)"
    >>> parse_money(pd.Series(["£45k pa"])).problems[0]
    "'£45k pa' is an amount per year, but this is a one-off amount; give the total"
    """
    text = blank_out(cells)
    match = text.str.extract(_MONEY)
    number = pd.to_numeric(match["number"].str.replace(",", "", regex=False), errors="coerce")
    scale = match["suffix"].fillna("").str.lower().map(_MONEY_SCALE).astype("float64")
    negative = (match["sign"] == "-") | (match["sign2"] == "-")
    values = (number.astype("float64") * scale).where(~negative.fillna(False), -number * scale)
    bad = text.notna() & values.isna()
    problems = problems_where(
        bad,
        text,
        "'{value}' is not an amount of money; write it like 250000, 250k, £1.2m or 1,200,000",
    )
    problems = _comma_problems(problems, text, bad)
    # a point before three digits and no unit is a thousands point (£45.000 is forty-five
    # thousand in much of Europe), never read as pounds and pence to a tenth of a penny
    point = ~bad & match["number"].str.fullmatch(r"\d{1,3}(?:\.\d{3})+").fillna(False)
    point &= match["suffix"].isna()
    if point.any():
        problems[point] = [
            f"'{v}' has three digits after the point (a thousands point?); write it without "
            "(45000 or 45,000), or with two decimals for pence"
            for v in text[point]
        ]
        values = values.where(~point)
        bad = bad | point
    yearly = match["per_year"].notna() & ~bad
    monthly = match["per_month"].notna() & ~bad
    if not per_year:
        periodic = yearly | monthly
        problems[periodic] = [
            f"'{v}' is an amount per {'year' if y else 'month'}, but this is a one-off amount; "
            "give the total"
            for v, y in zip(text[periodic], yearly[periodic], strict=True)
        ]
        values = values.where(~periodic)
        bad = bad | periodic
    assumed = no_problems(text.index)
    if per_year and monthly.any():
        assumed[monthly] = [
            f"'{v}' is an amount per month; read as {_pounds(12 * a)} a year (12 x {_pounds(a)})"
            for v, a in zip(text[monthly], values[monthly], strict=True)
        ]
        values = values.where(~monthly, values * 12)
    remarked = (match["words"].notna() | match["approx"].notna()) & ~bad & assumed.isna()
    if remarked.any():
        assumed[remarked] = [
            f"'{v}' read as {_pounds(a)}"
            + (f"; '{w}' is not part of the amount" if isinstance(w, str) else " (an estimate)")
            for v, a, w in zip(
                text[remarked], values[remarked], match["words"][remarked], strict=True
            )
        ]
    large = _too_large(values, text, MAX_MONEY, "amounts here are at most £1,000bn")
    if large.notna().any():
        problems, assumed = problems.fillna(large), assumed.where(large.isna())
    return Parsed(values.where(large.isna()).astype("float64"), problems, assumed)


_MONTHS_VALUE = re.compile(
    r"^(?P<sign>-?)\s*" + _NUMBER + r"\s*(?P<unit>months?|mos?|m|years?|yrs?|y)?$", re.IGNORECASE
)


@on_distinct
def parse_months(cells: pd.Series) -> Parsed:
    """Read durations in months: 18, 18.5, '18 months', '2 years' (= 24).

    >>> parse_months(pd.Series(["18", "2 years", "soon"])).values.tolist()
    [18.0, 24.0, nan]
    """
    text = blank_out(cells)
    match = text.str.extract(_MONTHS_VALUE)
    number = pd.to_numeric(match["number"].str.replace(",", "", regex=False), errors="coerce")
    years = match["unit"].fillna("").str.lower().str.startswith("y")
    values: pd.Series = number.astype("float64") * np.where(years, 12.0, 1.0)
    values = values.where(match["sign"] != "-", -values)
    bad = text.notna() & values.isna()
    problems = _comma_problems(
        problems_where(
            bad, text, "'{value}' is not a number of months; write it like 18 or '2 years'"
        ),
        text,
        bad,
    )
    large = _too_large(values, text, MAX_MONTHS, "durations here are at most 1,200 months")
    return Parsed(values.where(large.isna()), problems.fillna(large))


#: Two values joined by a dash or 'to' (``9-12 months``, ``£1m to £2m``); the low value
#: must not start with a minus sign.
_PAIR = re.compile(
    r"^(?P<low>[^\-–—/]*?\d[^\-–—/]*?)\s*(?:-|–|—|\bto\b)\s*(?P<high>[^\-–—/]*\d[^\-–—/]*)$",
    re.IGNORECASE,
)


def _number_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


@on_distinct
def parse_range(cells: pd.Series, parse_one: Callable[[pd.Series], Parsed], name: str) -> Parsed:
    """Read a low/likely/high range written as one value or three separated by '/'.

    Two values joined by a dash or 'to' (``9-12 months``, ``£1m-£2m``) are read as the low
    and the high, with the middle as the likely value, and ``assumed`` says so; a unit
    written only after the high value applies to both (``1-2 years`` is 12 to 24 months).
    Two values separated by '/' are refused: '/' separates low/likely/high.

    Returns a frame with columns ``<name>_low``, ``<name>_likely`` and ``<name>_high``.

    >>> parse_range(pd.Series(["£1m/£2m/£4m", "500k"]), parse_money, "cost").values
        cost_low  cost_likely  cost_high
    0  1000000.0    2000000.0  4000000.0
    1        NaN     500000.0        NaN
    >>> parsed = parse_range(pd.Series(["9-12 months"]), parse_months, "months")
    >>> parsed.values.iloc[0].tolist(), parsed.assumed[0]
    ([9.0, 10.5, 12.0], "'9-12 months' gives two values; read as low 9, likely 10.5 (the middle), high 12")
    """  # noqa: E501
    text = blank_out(cells)
    pair = text.str.extract(_PAIR)
    is_pair = pair["low"].notna()
    parts = (
        text.where(~is_pair, None)
        .str.split("/", expand=True, regex=False)
        .reindex(columns=range(4))
    )
    counts = parts.notna().sum(axis=1)
    single = counts == 1
    columns = [f"{name}_{part}" for part in ("low", "likely", "high")]
    frame = pd.DataFrame(np.nan, index=cells.index, columns=columns)
    problems = no_problems(cells.index)
    assumed = no_problems(cells.index)
    parsed_parts = [parse_one(parts[i]) for i in range(3)]
    for i, column in enumerate(columns):
        frame[column] = parsed_parts[i].values.astype("float64")
    # one value is the likely value alone: its low and high are not given (the forecast
    # applies the policy's spread to them, and says so)
    frame.loc[single, columns[1]] = frame.loc[single, columns[0]]
    frame.loc[single, columns[0]] = np.nan
    wrong_count = text.notna() & ~is_pair & ~counts.isin([1, 3])
    problems[wrong_count] = [
        f"'{v}' is not a range: give one value, or low/likely/high separated by '/'"
        for v in text[wrong_count]
    ]
    for parsed in parsed_parts:
        first = problems.isna() & parsed.problems.notna() & ~wrong_count
        problems[first] = parsed.problems[first]
        if parsed.assumed is not None:
            note = assumed.isna() & parsed.assumed.notna()
            assumed[note] = parsed.assumed[note]
    if is_pair.any():
        high_text = pair.loc[is_pair, "high"].str.strip()
        unit = high_text.str.extract(r"\d[\d.,]*\s*(?P<unit>[^\d\s(]*)")["unit"].fillna("")
        low_text = pair.loc[is_pair, "low"].str.strip()
        bare = low_text.str.contains(r"\d$", regex=True)
        low_text = low_text.where(~bare, low_text + " " + unit)
        low, high = parse_one(low_text), parse_one(high_text)
        frame.loc[is_pair, columns[0]] = low.values.astype("float64")
        frame.loc[is_pair, columns[2]] = high.values.astype("float64")
        middle = (low.values.astype("float64") + high.values.astype("float64")) / 2
        frame.loc[is_pair, columns[1]] = middle
        failed = pd.Series(False, index=cells.index)
        failed[is_pair] = low.problems.notna() | high.problems.notna()
        if failed.any():
            problems[failed] = parse_one(text[failed]).problems
        fine = is_pair & ~failed
        show = _pounds if parse_one is parse_money else _number_text
        assumed[fine] = [
            f"'{v}' gives two values; read as low {show(lo)}, likely {show(mid)} (the middle), "
            f"high {show(hi)}"
            for v, lo, mid, hi in zip(
                text[fine],
                frame.loc[fine, columns[0]],
                frame.loc[fine, columns[1]],
                frame.loc[fine, columns[2]],
                strict=True,
            )
        ]
    frame[problems.notna() | wrong_count] = np.nan
    return Parsed(frame, problems, assumed.where(problems.isna(), None))


_FRACTION = re.compile(r"^(?P<number>\d+(?:\.\d+)?|\.\d+)\s*(?P<percent>%?)$")


@on_distinct
def parse_fraction(cells: pd.Series) -> Parsed:
    """Read a share from 0 to 1: ``0.8``, ``80%``; a bare number from 1 to 100 is read as a
    percentage, with a warning.

    >>> parsed = parse_fraction(pd.Series(["0.8", "80%", "80", "150%"]))
    >>> parsed.values.tolist()
    [0.8, 0.8, 0.8, nan]
    >>> parsed.assumed[2], parsed.problems[3]
    ("'80' read as 80%", "'150%' is not a share; write it like 0.8 or 80%")
    """
    text = blank_out(cells)
    match = text.str.extract(_FRACTION)
    number = pd.to_numeric(match["number"], errors="coerce").astype("float64")
    percent = match["percent"] == "%"
    bare_percent = ~percent & (number > 1) & (number <= 100)
    values = number.where(~(percent | bare_percent), number / 100)
    values = values.where(values.between(0, 1))
    bad = text.notna() & values.isna()
    problems = problems_where(bad, text, "'{value}' is not a share; write it like 0.8 or 80%")
    assumed = no_problems(text.index)
    read = bare_percent & ~bad
    assumed[read] = [f"'{v}' read as {v}%" for v in text[read]]
    return Parsed(values, problems, assumed)


@on_distinct
def parse_shares(cells: pd.Series) -> Parsed:
    """Read a split by project year: percentages (``40%; 40%; 20%``) or amounts (``£10m;
    £15m; £9m``), separated by ';' or '/'; returns the shares, adding up to 1.

    Percentages must add up to 100 (within a point); amounts are read as shares of their
    total, with a warning that says so.

    >>> parsed = parse_shares(pd.Series(["40%; 40%; 20%", "£10m/£15m/£25m", "50%; 20%"]))
    >>> parsed.values.tolist()[:2]
    [(0.4, 0.4, 0.2), (0.2, 0.3, 0.5)]
    >>> parsed.problems[2]
    "'50%; 20%' adds up to 70%, not 100%; give every year's share"
    """
    text = blank_out(cells)
    values: list[object] = []
    problems = no_problems(text.index)
    assumed = no_problems(text.index)
    for position, cell in enumerate(text.tolist()):
        if not isinstance(cell, str):
            values.append(())
            continue
        parts = [p.strip() for p in re.split(r"[;/]", cell) if p.strip()]
        percents = [m for p in parts if (m := re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", p))]
        if parts and len(percents) == len(parts):
            shares = [float(m.group(1)) / 100 for m in percents]
            total = sum(shares)
            if abs(total - 1) > 0.01:
                problems.iloc[position] = (
                    f"'{cell}' adds up to {100 * total:g}%, not 100%; give every year's share"
                )
                values.append(())
                continue
        else:
            amounts = parse_money(pd.Series(parts, dtype="object")).values
            if not parts or amounts.isna().any() or (amounts < 0).any() or amounts.sum() <= 0:
                problems.iloc[position] = (
                    f"'{cell}' is not a split by year; write it like 40%; 40%; 20% or "
                    "£10m; £15m; £9m"
                )
                values.append(())
                continue
            given = [float(a) for a in amounts.to_numpy(dtype=float)]
            total = sum(given)
            shares = [a / total for a in given]
            assumed.iloc[position] = (
                f"'{cell}' read as shares of the cost by project year "
                f"({', '.join(f'{100 * s:.0f}%' for s in shares)})"
            )
        values.append(tuple(round(s, 6) for s in shares))
    return Parsed(pd.Series(values, index=text.index, dtype="object"), problems, assumed)
