"""Value parsing, one column at a time: money, dates, numbers, yes/no, lists, team demand.

Every parser takes a :class:`pandas.Series` of raw text cells (missing cells as NA) and
returns a :class:`Parsed` holding the parsed values and, aligned with them, a problem
message for each cell that could not be read (NA where the cell was fine). Parsers never
raise for bad data and are vectorised, so a million-row column parses in about a second.

Cells holding ``n/a``, ``TBC``, ``unknown``, ``-`` or ``?`` count as blank in every field
that is not free text (:data:`BLANK_TOKENS`).

Values people write in registers are read too, and every such reading is reported in
``Parsed.assumed`` (a warning on that cell, never silent): a year or month alone as a date
(which day is taken depends on the field: see ``partial`` in :func:`parse_date`), money with a
period or a remark (``£45k pa``, ``£150k (staff+licences)``), two-value ranges (``9-12
months``) and the spellings a field's ``readings`` describe (``Tier 1``, ``Azure``).

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
from typing import Literal

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
    readings: Iterable[tuple[str, str | None, str]] = (),
) -> Parsed:
    """Match cells to allowed values, ignoring case, spaces, '-' and '_'; suggest the closest.

    ``readings`` are ``(pattern, value, why)`` triples for spellings that are not the value
    itself but say it (``Tier 1`` for ``critical``): a cell matching ``pattern`` (a regular
    expression searched in the cell's :func:`~inventory.schema.enum_key`) is read as
    ``value``, and ``assumed`` says so; with ``value`` None the cell is refused with ``why``.

    >>> parse_enum(pd.Series(["HIGH", "on call"]), ["low", "high"]).values.tolist()
    ['high', None]
    >>> parse_enum(pd.Series(["hgh"]), ["low", "medium", "high"]).problems[0]
    "'hgh' is not one of: low, medium, high; did you mean 'high'?"
    >>> tiers = [(r"^tier 1$", "critical", "tier 1 of 4")]
    >>> parsed = parse_enum(pd.Series(["Tier-1"]), ["high", "critical"], readings=tiers)
    >>> parsed.values[0], parsed.assumed[0]
    ('critical', "'Tier-1' read as critical (tier 1 of 4)")
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
    assumed = _no_problems(text.index)
    readings = tuple(readings)
    if bad.any():
        messages, read, notes = {}, {}, {}
        for raw in text[bad].unique():
            reading = next((r for r in readings if re.search(r[0], enum_key(raw))), None)
            if reading is not None and reading[1] is not None:
                read[raw] = reading[1]
                notes[raw] = f"'{raw}' read as {reading[1]} ({reading[2]})"
                continue
            if reading is not None:
                messages[raw] = f"'{raw}' {reading[2]}"
                continue
            close = difflib.get_close_matches(enum_key(raw), list(lookup), n=1, cutoff=0.6)
            hint = f"; did you mean '{lookup[close[0]]}'?" if close else ""
            messages[raw] = f"'{raw}' is not one of: {', '.join(allowed)}{hint}"
        if read:
            was_read = bad & text.isin(list(read))
            values[was_read] = text[was_read].map(read)
            assumed[was_read] = text[was_read].map(notes)
            bad = bad & ~was_read
        problems[bad] = text[bad].map(messages)
    return Parsed(values, problems, assumed)


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


@_on_uniques
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
    problems = _problems_where(
        bad,
        text,
        "'{value}' is not an amount of money; write it like 250000, 250k, £1.2m or 1,200,000",
    )
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
    assumed = _no_problems(text.index)
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
    return Parsed(values.astype("float64"), problems, assumed)


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


#: Two values joined by a dash or 'to' (``9-12 months``, ``£1m to £2m``); the low value
#: must not start with a minus sign.
_PAIR = re.compile(
    r"^(?P<low>[^\-–—/]*?\d[^\-–—/]*?)\s*(?:-|–|—|\bto\b)\s*(?P<high>[^\-–—/]*\d[^\-–—/]*)$",
    re.IGNORECASE,
)


def _number_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


@_on_uniques
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
    1   500000.0     500000.0   500000.0
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
    problems = _no_problems(cells.index)
    assumed = _no_problems(cells.index)
    parsed_parts = [parse_one(parts[i]) for i in range(3)]
    for i, column in enumerate(columns):
        frame[column] = parsed_parts[i].values.astype("float64")
    frame.loc[single, columns[1]] = frame.loc[single, columns[0]]
    frame.loc[single, columns[2]] = frame.loc[single, columns[0]]
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


@_on_uniques
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
    problems = _no_problems(cells.index)
    assumed = _no_problems(cells.index)
    periods = _periods(match, cells.index)
    is_period = periods["kind"].notna() & (partial is not None)
    unreadable = text.notna() & ~has_parts & ~is_serial & ~is_period
    problems[unreadable] = [
        f"'{v}' is not a date; write it as 2026-11-25 or 25/11/2026" for v in text[unreadable]
    ]
    if is_period.any():
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
