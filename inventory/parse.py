"""Value parsing, one column at a time: money, dates, numbers, yes/no, lists, team demand.

Every parser takes a :class:`pandas.Series` of raw text cells (missing cells as NA) and
returns a :class:`Parsed` holding the parsed values and, aligned with them, a problem
message for each cell that could not be read (NA where the cell was fine). Parsers never
raise for bad data and are vectorised, so a million-row column parses in about a second.

Cells holding ``n/a``, ``TBC``, ``unknown``, ``-`` or ``?`` count as blank in every field
that is not free text (:data:`BLANK_TOKENS`).

Examples
--------
>>> import pandas as pd
>>> parse_money(pd.Series(["£1.2m", "250k", "1,200,000", "lots"])).values.tolist()
[1200000.0, 250000.0, 1200000.0, nan]
>>> parse_money(pd.Series(["lots"])).problems[0]
"'lots' is not an amount of money; write it like 250000, 250k, £1.2m or 1,200,000"
>>> parse_date(pd.Series(["2026-11-25", "25/11/2026"])).values.dt.strftime("%Y-%m-%d").tolist()
['2026-11-25', '2026-11-25']
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory.schema import enum_key

__all__ = [
    "BLANK_TOKENS",
    "Parsed",
    "blank_out",
    "parse_bool",
    "parse_date",
    "parse_enum",
    "parse_id",
    "parse_id_list",
    "parse_int",
    "parse_money",
    "parse_months",
    "parse_ods",
    "parse_range",
    "parse_team_demand",
    "parse_text",
    "parse_text_list",
    "slugify",
]

BLANK_TOKENS = frozenset({"", "n/a", "na", "tbc", "tbd", "unknown", "-", "--", "?", "null", "nan"})

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


def _on_uniques(parser: Callable[..., Parsed]) -> Callable[..., Parsed]:
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
        return Parsed(values, problems)

    return parse_distinct


@dataclass(frozen=True)
class Parsed:
    """Parsed values and, per cell, a problem message (NaN when the cell was fine)."""

    values: pd.Series | pd.DataFrame
    problems: pd.Series


def _as_text(cells: pd.Series) -> pd.Series:
    """Return cells as stripped text with NA for missing cells (object dtype)."""
    text = cells.astype("object")
    if not text.map(type).isin([str, float]).all():  # numbers and dates from JSON/XLSX
        text = text.map(lambda v: v if isinstance(v, str) or pd.isna(v) else str(v))
    return text.str.strip()


def blank_out(cells: pd.Series) -> pd.Series:
    """Return stripped text with blank-like cells (``n/a``, ``TBC``, ...) as NA.

    >>> blank_out(pd.Series([" x ", "TBC", "n/a", None])).fillna("<blank>").tolist()
    ['x', '<blank>', '<blank>', '<blank>']
    """
    text = _as_text(cells)
    lowered = text.str.lower()
    return text.where(~lowered.isin(BLANK_TOKENS) & text.notna(), None)


def _no_problems(index: pd.Index) -> pd.Series:
    return pd.Series(None, index=index, dtype="object")


def _problems_where(mask: pd.Series, text: pd.Series, template: str) -> pd.Series:
    problems = _no_problems(text.index)
    if mask.any():
        problems[mask] = [template.format(value=v) for v in text[mask]]
    return problems


def parse_text(cells: pd.Series, *, max_length: int = 10_000) -> Parsed:
    """Strip free text; blank cells become NA. Cells longer than ``max_length`` are refused.

    >>> parse_text(pd.Series(["  Ward 7 kiosk ", ""])).values.fillna("<blank>").tolist()
    ['Ward 7 kiosk', '<blank>']
    """
    text = _as_text(cells)
    text = text.where(text.str.len() > 0, None)
    too_long = text.str.len().fillna(0) > max_length
    problems = _no_problems(text.index)
    if too_long.any():
        problems[too_long] = [
            f"text of {len(v):,} characters is longer than the {max_length:,} allowed; "
            "shorten it or move it to a document"
            for v in text[too_long]
        ]
    return Parsed(text.where(~too_long, None), problems)


def slugify(value: str) -> str:
    """Suggest an id for a name: lower case, runs of other characters become '-'.

    >>> slugify("PAS (Main) ")
    'pas-main'
    """
    return re.sub(r"[^a-z0-9._]+", "-", value.strip().lower()).strip("-._") or "system"


_ID = re.compile(r"^[a-z0-9][a-z0-9._\-]{0,99}$")
_ALL_IDS = re.compile(r"(?:[a-z0-9][a-z0-9._\-]{0,99}\n)*")


def parse_id(cells: pd.Series) -> Parsed:
    """Normalise ids: strip surrounding space and lower-case; refuse anything not a slug.

    >>> parse_id(pd.Series([" PAS ", "lims-2"])).values.tolist()
    ['pas', 'lims-2']
    >>> parse_id(pd.Series(["PAS main"])).problems[0]
    "'PAS main' is not a valid id: use letters, digits, '-', '_' or '.' (try 'pas-main')"
    """
    text = _as_text(cells)
    text = text.where(text.str.len() > 0, None)
    ids = text.str.lower()
    present = ids.dropna()
    if _ALL_IDS.fullmatch("\n".join(present) + "\n") is not None:  # one C-level scan
        bad = pd.Series(False, index=ids.index)
    else:
        bad = ids.notna() & ~ids.str.match(_ID.pattern).fillna(False).astype(bool)
    problems = _no_problems(text.index)
    if bad.any():
        problems[bad] = [
            f"'{v}' is not a valid id: use letters, digits, '-', '_' or '.' (try '{slugify(v)}')"
            for v in text[bad]
        ]
    return Parsed(ids.where(~bad, None), problems)


@_on_uniques
def parse_id_list(cells: pd.Series) -> Parsed:
    """Split ids separated by ';' or ',' into tuples of normalised ids.

    >>> parse_id_list(pd.Series(["TIE; pas", None])).values.tolist()
    [('tie', 'pas'), ()]
    """
    items = _split_list(cells)
    problems = _no_problems(cells.index)
    values = []
    for position, parts in enumerate(items):
        bad = [p for p in parts if not _ID.match(p.lower())]
        if bad:
            problems.iloc[position] = (
                f"'{bad[0]}' is not a valid id: use letters, digits, '-', '_' or '.' "
                f"(try '{slugify(bad[0])}')"
            )
        values.append(tuple(dict.fromkeys(p.lower() for p in parts if _ID.match(p.lower()))))
    return Parsed(pd.Series(values, index=cells.index, dtype="object"), problems)


def _split_list(cells: pd.Series) -> list[list[str]]:
    text = blank_out(cells)
    return [
        [part.strip() for part in re.split(r"[;,\n]", v) if part.strip()]
        if isinstance(v, str)
        else []
        for v in text
    ]


@_on_uniques
def parse_text_list(cells: pd.Series) -> Parsed:
    """Split text separated by ';' or ',' into tuples (e.g. HL7 message types).

    >>> parse_text_list(pd.Series(["ADT^A01; ORU^R01"])).values.tolist()
    [('ADT^A01', 'ORU^R01')]
    """
    values = [tuple(dict.fromkeys(parts)) for parts in _split_list(cells)]
    return Parsed(pd.Series(values, index=cells.index, dtype="object"), _no_problems(cells.index))


@_on_uniques
def parse_ods(cells: pd.Series) -> Parsed:
    """Normalise ODS organisation codes to upper case; 3 to 10 letters and digits.

    >>> parse_ods(pd.Series(["rxx", "R-1"])).values.fillna("<blank>").tolist()
    ['RXX', '<blank>']
    >>> parse_ods(pd.Series(["R-1"])).problems[0]
    "'R-1' is not an ODS code: 3 to 10 letters and digits, like RXX or A81001"
    """
    text = blank_out(cells).str.upper()
    bad = text.notna() & ~text.str.match(r"^[A-Z0-9]{3,10}$").fillna(False).astype(bool)
    problems = _problems_where(
        bad, text, "'{value}' is not an ODS code: 3 to 10 letters and digits, like RXX or A81001"
    )
    return Parsed(text.where(~bad, None), problems)


@_on_uniques
def parse_enum(
    cells: pd.Series,
    allowed: Iterable[str],
    *,
    synonyms: dict[str, str] | None = None,
) -> Parsed:
    """Match cells to allowed values, ignoring case, spaces, '-' and '_'; suggest the closest.

    >>> parse_enum(pd.Series(["HIGH", "on call"]), ["low", "high"]).values.tolist()
    ['high', None]
    >>> parse_enum(pd.Series(["hgh"]), ["low", "medium", "high"]).problems[0]
    "'hgh' is not one of: low, medium, high; did you mean 'high'?"
    """
    allowed = tuple(allowed)
    lookup = {enum_key(a): a for a in allowed}
    lookup.update({enum_key(k): v for k, v in (synonyms or {}).items()})
    text = blank_out(cells)
    keys = text.str.lower().str.replace(r"[\s_\-]+", " ", regex=True).str.strip()
    values = keys.map(lookup)
    values = values.astype("object").where(values.notna(), None)
    bad = text.notna() & values.isna()
    problems = _no_problems(text.index)
    if bad.any():
        messages = {}
        for raw in text[bad].unique():
            close = difflib.get_close_matches(enum_key(raw), list(lookup), n=1, cutoff=0.6)
            hint = f"; did you mean '{lookup[close[0]]}'?" if close else ""
            messages[raw] = f"'{raw}' is not one of: {', '.join(allowed)}{hint}"
        problems[bad] = text[bad].map(messages)
    return Parsed(values, problems)


_BOOLS = {
    "yes": True,
    "y": True,
    "true": True,
    "t": True,
    "1": True,
    "1.0": True,
    "no": False,
    "n": False,
    "false": False,
    "f": False,
    "0": False,
    "0.0": False,
}


@_on_uniques
def parse_bool(cells: pd.Series) -> Parsed:
    """Read yes/no, y/n, true/false and 1/0 (any case).

    >>> parse_bool(pd.Series(["Yes", "n", None])).values.tolist()
    [True, False, None]
    """
    text = blank_out(cells)
    values = text.str.lower().map(_BOOLS)
    values = values.astype("object").where(values.notna(), None)
    bad = text.notna() & values.isna()
    problems = _problems_where(bad, text, "'{value}' is not yes or no")
    return Parsed(values, problems)


_NUMBER = r"(?P<number>\d[\d,]*(?:\.\d+)?|\.\d+)"


@_on_uniques
def parse_int(cells: pd.Series) -> Parsed:
    """Read whole numbers, allowing thousands separators and a trailing '.0'.

    >>> parse_int(pd.Series(["1,200", "3.0", "2.5"])).values.tolist()
    [1200.0, 3.0, nan]
    """
    text = blank_out(cells)
    match = text.str.extract(r"^(?P<sign>-?)\s*(?P<digits>\d[\d,]*)(?:\.0+)?$")
    digits = match["digits"].str.replace(",", "", regex=False)
    values = pd.to_numeric(digits, errors="coerce").astype("float64")
    values = values.where(match["sign"] != "-", -values)
    bad = text.notna() & values.isna()
    problems = _problems_where(bad, text, "'{value}' is not a whole number")
    return Parsed(values, problems)


_MONEY = re.compile(
    r"^(?P<sign>-?)\s*(?:£|gbp)?\s*(?P<sign2>-?)\s*" + _NUMBER + r"\s*"
    r"(?P<suffix>k|thousand|m|mn|million|bn|billion)?\s*(?:gbp)?$",
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


@_on_uniques
def parse_money(cells: pd.Series) -> Parsed:
    """Read pounds: 250000, 250k, £1.2m, 1,200,000, £2bn, GBP 40k."""
    text = blank_out(cells)
    match = text.str.extract(_MONEY)
    number = pd.to_numeric(match["number"].str.replace(",", "", regex=False), errors="coerce")
    scale = match["suffix"].fillna("").str.lower().map(_MONEY_SCALE).astype("float64")
    negative = (match["sign"] == "-") | (match["sign2"] == "-")
    values = (number.astype("float64") * scale).where(~negative.fillna(False), -number * scale)
    bad = text.notna() & values.isna()
    problems = _problems_where(
        bad,
        text,
        "'{value}' is not an amount of money; write it like 250000, 250k, £1.2m or 1,200,000",
    )
    return Parsed(values.astype("float64"), problems)


_MONTHS_VALUE = re.compile(
    r"^(?P<sign>-?)\s*" + _NUMBER + r"\s*(?P<unit>months?|mos?|m|years?|yrs?|y)?$", re.IGNORECASE
)


@_on_uniques
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
    problems = _problems_where(
        bad, text, "'{value}' is not a number of months; write it like 18 or '2 years'"
    )
    return Parsed(values, problems)


@_on_uniques
def parse_range(cells: pd.Series, parse_one: Callable[[pd.Series], Parsed], name: str) -> Parsed:
    """Read a low/likely/high range written as one value or three separated by '/'.

    Returns a frame with columns ``<name>_low``, ``<name>_likely`` and ``<name>_high``.

    >>> parse_range(pd.Series(["£1m/£2m/£4m", "500k"]), parse_money, "cost").values
        cost_low  cost_likely  cost_high
    0  1000000.0    2000000.0  4000000.0
    1   500000.0     500000.0   500000.0
    """
    text = blank_out(cells)
    parts = text.str.split("/", expand=True, regex=False).reindex(columns=range(4))
    counts = parts.notna().sum(axis=1)
    single = counts == 1
    columns = [f"{name}_{part}" for part in ("low", "likely", "high")]
    frame = pd.DataFrame(np.nan, index=cells.index, columns=columns)
    problems = _no_problems(cells.index)
    parsed_parts = [parse_one(parts[i]) for i in range(3)]
    for i, column in enumerate(columns):
        frame[column] = parsed_parts[i].values.astype("float64")
    frame.loc[single, columns[1]] = frame.loc[single, columns[0]]
    frame.loc[single, columns[2]] = frame.loc[single, columns[0]]
    wrong_count = text.notna() & ~counts.isin([1, 3])
    problems[wrong_count] = [
        f"'{v}' is not a range: give one value, or low/likely/high separated by '/'"
        for v in text[wrong_count]
    ]
    for parsed in parsed_parts:
        first = problems.isna() & parsed.problems.notna() & ~wrong_count
        problems[first] = parsed.problems[first]
    frame[problems.notna() | wrong_count] = np.nan
    return Parsed(frame, problems)


_ISO = r"^(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
_UK = r"^(?P<ud>\d{1,2})[/.\-](?P<um>\d{1,2})[/.\-](?P<uy>\d{4})$"
_NAMED = r"^(?P<nd>\d{1,2})(?:st|nd|rd|th)?[\s\-]+(?P<nm>[A-Za-z]{3,9})\.?[\s\-,]+(?P<ny>\d{4})$"
_SERIAL = r"^(?P<serial>\d{5})(?:\.0+)?$"
_DATE = re.compile("|".join(f"(?:{p})" for p in (_ISO, _UK, _NAMED, _SERIAL)))


@_on_uniques
def parse_date(cells: pd.Series) -> Parsed:
    """Read dates: ISO (2026-11-25), UK day first (25/11/2026, 25.11.2026, 25 Nov 2026) or an
    Excel serial day number (46351). Impossible dates such as 31/02/2027 are refused.

    >>> parse_date(pd.Series(["31/02/2027"])).problems[0]
    "'31/02/2027' is not a real date: there is no day 31 in month 2 of 2027"
    >>> parse_date(pd.Series(["11/25/2026"])).problems[0]
    "'11/25/2026' is not a real date: there is no month 25 (dates are day/month/year)"
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
    problems = _no_problems(cells.index)
    unreadable = text.notna() & ~has_parts & ~is_serial
    problems[unreadable] = [
        f"'{v}' is not a date; write it as 2026-11-25 or 25/11/2026" for v in text[unreadable]
    ]
    out_of_range = has_parts & ~year.between(MIN_YEAR, MAX_YEAR)
    problems[out_of_range] = [
        f"'{v}' has the year {int(y)}; dates must fall between {MIN_YEAR} and {MAX_YEAR}"
        for v, y in zip(text[out_of_range], year[out_of_range], strict=True)
    ]
    impossible = in_range & values.isna()
    problems[impossible] = [
        _impossible_date(v, int(y), int(m), int(d))
        for v, y, m, d in zip(
            text[impossible], year[impossible], month[impossible], day[impossible], strict=True
        )
    ]
    values = values.where(problems.isna())
    return Parsed(values, problems)


def _impossible_date(text: str, year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"'{text}' is not a real date: there is no month {month} (dates are day/month/year)"
    return f"'{text}' is not a real date: there is no day {day} in month {month} of {year}"


_TEAM_ITEM = re.compile(r"^(?P<team>[^:=]+?)\s*[:=]\s*(?P<amount>\d+(?:\.\d+)?|\.\d+)\s*$")


@_on_uniques
def parse_team_demand(cells: pd.Series) -> Parsed:
    """Read 'team: amount' pairs separated by ';' into dicts of FTE per month.

    Team names are compared without case, so 'Clinical Safety' and 'clinical safety' are one
    team.

    >>> parse_team_demand(pd.Series(["integration: 0.5; Clinical Safety: 0.2"])).values[0]
    {'integration': 0.5, 'clinical safety': 0.2}
    >>> parse_team_demand(pd.Series(["integration half"])).problems[0]
    "'integration half' is not team demand; write it like 'integration: 0.5; infrastructure: 1'"
    """
    text = blank_out(cells)
    values: list[dict[str, float]] = []
    problems = _no_problems(cells.index)
    for position, cell in enumerate(text):
        demand: dict[str, float] = {}
        if isinstance(cell, str):
            for item in filter(None, (part.strip() for part in re.split(r"[;,\n]", cell))):
                match = _TEAM_ITEM.match(item)
                if not match:
                    problems.iloc[position] = (
                        f"'{cell}' is not team demand; write it like "
                        "'integration: 0.5; infrastructure: 1'"
                    )
                    demand = {}
                    break
                team = enum_key(match["team"])
                demand[team] = demand.get(team, 0.0) + float(match["amount"])
        values.append(demand)
    return Parsed(pd.Series(values, index=cells.index, dtype="object"), problems)
