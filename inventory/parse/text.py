"""Parsing text-like values: free text, ids, lists, ODS codes, enumerations with their
synonyms and readings, yes/no, team demand."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import pandas as pd

from inventory.parse.core import (
    Parsed,
    as_text,
    blank_out,
    no_problems,
    on_distinct,
    problems_where,
)
from inventory.schema import enum_key

__all__ = [
    "parse_bool",
    "parse_enum",
    "parse_id",
    "parse_id_list",
    "parse_ods",
    "parse_team_demand",
    "parse_text",
    "parse_text_list",
    "slugify",
]


def parse_text(cells: pd.Series, *, max_length: int = 10_000) -> Parsed:
    """Strip free text; blank cells become NA. Cells longer than ``max_length`` are refused.

    >>> parse_text(pd.Series(["  Ward 7 kiosk ", ""])).values.fillna("<blank>").tolist()
    ['Ward 7 kiosk', '<blank>']
    """
    text = as_text(cells)
    text = text.where(text.str.len() > 0, None)
    too_long = text.str.len().fillna(0) > max_length
    problems = no_problems(text.index)
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
    text = as_text(cells)
    text = text.where(text.str.len() > 0, None)
    ids = text.str.lower()
    present = ids.dropna()
    if _ALL_IDS.fullmatch("\n".join(present) + "\n") is not None:  # one C-level scan
        bad = pd.Series(False, index=ids.index)
    else:
        bad = ids.notna() & ~ids.str.match(_ID.pattern).fillna(False).astype(bool)
    problems = no_problems(text.index)
    if bad.any():
        problems[bad] = [
            f"'{v}' is not a valid id: use letters, digits, '-', '_' or '.' (try '{slugify(v)}')"
            for v in text[bad]
        ]
    return Parsed(ids.where(~bad, None), problems)


@on_distinct
def parse_id_list(cells: pd.Series) -> Parsed:
    """Split ids separated by ';' or ',' into tuples of normalised ids.

    >>> parse_id_list(pd.Series(["TIE; pas", None])).values.tolist()
    [('tie', 'pas'), ()]
    """
    items = _split_list(cells)
    problems = no_problems(cells.index)
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


@on_distinct
def parse_text_list(cells: pd.Series) -> Parsed:
    """Split text separated by ';' or ',' into tuples (e.g. HL7 message types).

    >>> parse_text_list(pd.Series(["ADT^A01; ORU^R01"])).values.tolist()
    [('ADT^A01', 'ORU^R01')]
    """
    values = [tuple(dict.fromkeys(parts)) for parts in _split_list(cells)]
    return Parsed(pd.Series(values, index=cells.index, dtype="object"), no_problems(cells.index))


@on_distinct
def parse_ods(cells: pd.Series) -> Parsed:
    """Normalise ODS organisation codes to upper case; 3 to 10 letters and digits.

    >>> parse_ods(pd.Series(["rxx", "R-1"])).values.fillna("<blank>").tolist()
    ['RXX', '<blank>']
    >>> parse_ods(pd.Series(["R-1"])).problems[0]
    "'R-1' is not an ODS code: 3 to 10 letters and digits, like RXX or A81001"
    """
    text = blank_out(cells).str.upper()
    bad = text.notna() & ~text.str.match(r"^[A-Z0-9]{3,10}$").fillna(False).astype(bool)
    problems = problems_where(
        bad, text, "'{value}' is not an ODS code: 3 to 10 letters and digits, like RXX or A81001"
    )
    return Parsed(text.where(~bad, None), problems)


@on_distinct
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
    problems = no_problems(text.index)
    assumed = no_problems(text.index)
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


@on_distinct
def parse_bool(cells: pd.Series) -> Parsed:
    """Read yes/no, y/n, true/false and 1/0 (any case).

    >>> parse_bool(pd.Series(["Yes", "n", None])).values.tolist()
    [True, False, None]
    """
    text = blank_out(cells)
    values = text.str.lower().map(_BOOLS)
    values = values.astype("object").where(values.notna(), None)
    bad = text.notna() & values.isna()
    problems = problems_where(bad, text, "'{value}' is not yes or no")
    return Parsed(values, problems)


_TEAM_ITEM = re.compile(r"^(?P<team>[^:=]+?)\s*[:=]\s*(?P<amount>\d+(?:\.\d+)?|\.\d+)\s*$")


@on_distinct
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
    problems = no_problems(cells.index)
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
