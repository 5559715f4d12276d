"""Validation: parse raw tables into a typed :class:`Inventory`, collecting every problem.

Nothing here raises for bad data. Each problem becomes an :class:`inventory.report.Issue`
naming the file, row and column, the value, and how to fix it; the report's ``valid`` says
whether the inventory may be imported.

Rules
-----
- every cell parses as its field's type (:mod:`inventory.parse`); enumerations suggest the
  closest allowed value;
- required fields (``id``, ``name``; ``consumer``, ``provider``) are present and not blank;
- ids are unique, ignoring case and surrounding spaces;
- money, counts and durations are not negative (durations more than zero), and ranges run
  low <= likely <= high;
- ``replaced_by``, ``after``, ``move_with``, ``consumer`` and ``provider`` name known
  systems, never the system itself; each (consumer, provider) pair appears once.

Examples
--------
>>> import pandas as pd
>>> from inventory.files import RawInventory, RawTable
>>> cells = pd.DataFrame({"id": ["pas", "ed"], "name": ["PAS", "ED"],
...                       "criticality": ["critical", "hgh"]}, index=[2, 3])
>>> raw = RawInventory({"systems": RawTable("systems", "systems.csv", cells)}, (), "")
>>> inventory, report = validate(raw)
>>> [issue.message for issue in report]
["criticality 'hgh' is not one of: low, medium, high, critical; did you mean 'high'?"]
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import cast

import numpy as np
import pandas as pd

from inventory import parse
from inventory.characters import (
    SOFT_BREAKS,
    describe,
    find_reordering,
    find_unprintable,
    normalise_breaks,
    printable,
)
from inventory.files import RawInventory, RawTable
from inventory.model import Inventory, conform_dependencies, conform_systems
from inventory.report import MISSING_COLUMN, Severity, ValidationReport
from inventory.schema import DEPENDENCIES, SYSTEMS, Field

__all__ = ["validate"]

#: Above this many known ids, unknown references are not matched for a "did you mean".
SUGGESTION_LIMIT = 20_000


def validate(
    raw: RawInventory, *, known_ids: Iterable[str] = ()
) -> tuple[Inventory, ValidationReport]:
    """Parse and check raw tables; return the typed inventory and every issue found.

    ``known_ids`` are systems already in the store, which dependencies and references in an
    incremental import may name without repeating them.
    """
    report = ValidationReport()
    report.extend(raw.issues)
    systems_table = raw.tables.get("systems")
    if systems_table is None:
        report.add("(input)", None, None, None, "no systems table was found")
        systems_frame = pd.DataFrame({"id": pd.Series([], dtype="object")})
    else:
        systems_frame = _parse_table(systems_table, SYSTEMS, report)
    systems_frame = _check_systems(systems_frame, systems_table, report, set(known_ids))
    dependencies_table = raw.tables.get("dependencies")
    if dependencies_table is None:
        dependencies_frame = pd.DataFrame()
    else:
        dependencies_frame = _parse_table(dependencies_table, DEPENDENCIES, report)
        known = set(systems_frame["id"].dropna()) | set(known_ids)
        dependencies_frame = _check_dependencies(
            dependencies_frame, dependencies_table, report, known
        )
    systems = conform_systems(systems_frame[systems_frame["id"].notna()])
    return Inventory(systems, conform_dependencies(dependencies_frame)), report


# --- parsing ---------------------------------------------------------------------------

_PARSERS = {
    "id": parse.parse_id,
    "ref": parse.parse_id,
    "ref_list": parse.parse_id_list,
    "text": parse.parse_text,
    "ods": parse.parse_ods,
    "bool": parse.parse_bool,
    "int": parse.parse_int,
    "team_demand": parse.parse_team_demand,
    "text_list": parse.parse_text_list,
    "fraction": parse.parse_fraction,
    "shares": parse.parse_shares,
}
_RANGE_PARSERS = {"money_range": parse.parse_money, "months_range": parse.parse_months}


def _add_problems(
    report: ValidationReport, table: RawTable, column: str, cells: pd.Series, parsed: parse.Parsed
) -> None:
    """Report each cell's problem as an error and what was assumed to read it as a warning."""
    kinds: tuple[tuple[pd.Series | None, Severity], ...] = (
        (parsed.problems, "error"),
        (parsed.assumed, "warning"),
    )
    for messages, severity in kinds:
        if messages is None:
            continue
        bad = messages.notna()
        for row, value, message in zip(messages.index[bad], cells[bad], messages[bad], strict=True):
            report.add(
                table.source,
                int(row),
                column,
                value,
                f"{column} {message}",
                severity=severity,
                row_label=table.row_label,
            )


def _parse_field(table: RawTable, f: Field, report: ValidationReport) -> pd.DataFrame:
    cells = table.cells
    blank = pd.Series(None, index=cells.index, dtype="object")
    if f.kind in _RANGE_PARSERS:
        one = _RANGE_PARSERS[f.kind]
        split_columns = [c for c in f.columns if c in cells]
        if f.name in cells and split_columns:
            report.add(
                table.source,
                None,
                f.name,
                None,
                f"give {f.name} either as one column or as {', '.join(f.columns)}, not both",
                row_label=table.row_label,
            )
        if split_columns and f.name not in cells:
            out = pd.DataFrame(index=cells.index)
            for column in f.columns:
                column_cells = cells.get(column, blank)
                parsed = one(column_cells)
                _add_problems(report, table, column, column_cells, parsed)
                out[column] = parsed.values
            return out
        column_cells = cells.get(f.name, blank)
        parsed = parse.parse_range(column_cells, one, f.name)
        _add_problems(report, table, f.name, column_cells, parsed)
        return cast(pd.DataFrame, parsed.values)  # a range parses into low/likely/high
    column_cells = cells.get(f.name, blank)
    if f.kind == "enum":
        parsed = parse.parse_enum(column_cells, f.allowed, synonyms=f.synonyms, readings=f.readings)
    elif f.kind == "date":
        parsed = parse.parse_date(column_cells, partial=f.partial_date)
    elif f.kind == "money":
        parsed = parse.parse_money(column_cells, per_year=f.per_year)
    else:
        parsed = _PARSERS[f.kind](column_cells)
    _add_problems(report, table, f.name, column_cells, parsed)
    return pd.DataFrame({f.name: parsed.values}, index=cells.index)


#: What :func:`_clean_characters` looks for: unprintable characters, soft line breaks,
#: carriage returns and characters that reorder text.
_UNUSUAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _clean_characters(table: RawTable, report: ValidationReport) -> RawTable:
    """Refuse cells holding characters no output can carry (each located, the character
    named), replace characters that reorder text (with a warning), and read soft line
    breaks as line breaks (with a warning) and carriage returns as line feeds; refused
    characters become U+FFFD so that later messages can show the cell. Each column is
    scanned once for anything unusual before it is read cell by cell.
    """
    cleaned = {}
    for column in table.cells.columns:
        cells = table.cells[column]
        text = [c for c in cells if isinstance(c, str)]
        if not text or _UNUSUAL.search("\n".join(text)) is None:
            continue
        values = cells.tolist()
        for position, (row, value) in enumerate(zip(cells.index.tolist(), values, strict=True)):
            if not isinstance(value, str) or _UNUSUAL.search(value) is None:
                continue
            said: list[tuple[str, Severity]] = []
            if (found := find_unprintable(value)) is not None:
                said.append(
                    (
                        f"{column} has {found[1]} at character {found[0] + 1}; delete it (it "
                        "comes from a paste or a damaged file, and no output can carry it)",
                        "error",
                    )
                )
            if (reordering := find_reordering(value)) is not None:
                said.append(
                    (
                        f"{column} has {reordering[1]} at character {reordering[0] + 1}, "
                        "which shows the text after it in another order than it is stored; "
                        "replaced by the replacement character U+FFFD (check the cell)",
                        "warning",
                    )
                )
            if (soft := SOFT_BREAKS.search(value)) is not None:
                said.append(
                    (
                        f"{column} has {describe(soft.group())}, as Word and PowerPoint paste "
                        "a soft line break; read as a line break",
                        "warning",
                    )
                )
            for message, severity in said:
                report.add(
                    table.source,
                    int(row),
                    column,
                    value,
                    message,
                    severity=severity,
                    row_label=table.row_label,
                )
            values[position] = printable(normalise_breaks(value))
        cleaned[column] = pd.Series(values, index=cells.index, dtype="object")
    if not cleaned:
        return table
    return replace(table, cells=table.cells.assign(**cleaned))


def _parse_table(
    table: RawTable, fields: dict[str, Field], report: ValidationReport
) -> pd.DataFrame:
    table = _clean_characters(table, report)
    cells = table.cells
    known_columns = {c for f in fields.values() for c in (f.name, *f.columns)}
    extras = [c for c in cells.columns if c not in known_columns]
    misspelt = (
        {}  # the mapping chose the fields; the rest are the register's own columns
        if table.mapped
        else _misspelt_columns(extras, [f.name for f in fields.values() if f.name not in cells])
    )
    for f in fields.values():
        # a table with no rows has nothing to check (an empty file is reported by the reader)
        if f.required and f.name not in cells and len(cells):
            report.add(
                table.source,
                None,
                f.name,
                None,
                f"{MISSING_COLUMN} '{f.name}'"
                + (f"; did you mean '{misspelt[f.name]}'?" if f.name in misspelt else "")
                + (
                    f"; the columns found are: {', '.join(cells.columns)}"
                    if len(cells.columns)
                    else ""
                ),
                row_label=table.row_label,
            )
        elif f.name in misspelt and len(cells):
            report.add(
                table.source,
                None,
                misspelt[f.name],
                None,
                f"column '{misspelt[f.name]}' is not a field, so it is kept as it is and "
                f"{f.name} takes its default ({f.default_text or 'blank'}); "
                f"did you mean '{f.name}'? "
                "rename the column (or, for a register read with a mapping, map it)",
                severity="warning",
                row_label=table.row_label,
            )
    parts = [_parse_field(table, f, report) for f in fields.values()]
    for column in extras:
        parsed = parse.parse_text(cells[column])
        _add_problems(report, table, column, cells[column], parsed)
        parts.append(pd.DataFrame({column: parsed.values}, index=cells.index))
    frame = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=cells.index)
    for f in fields.values():
        if f.required and f.name in cells:
            blank = frame[f.name].isna() & parse.blank_out(cells[f.name]).isna()
            for row in frame.index[blank]:
                report.add(
                    table.source,
                    int(row),
                    f.name,
                    None,
                    f"{f.name} is blank; every row needs one",
                    row_label=table.row_label,
                )
    return frame


def _misspelt_columns(extras: list[str], absent: list[str]) -> dict[str, str]:
    """Each absent field that one of the file's unknown columns is a typing slip of (one
    edit in up to every five letters, a swap of two letters counting as one): field name ->
    that column ('critcality' for 'criticality', 'nmae' for 'name'; not 'replace' for
    'replaced_by', a different word).

    >>> _misspelt_columns(["nmae", "critcality", "replace"], ["name", "criticality", "replaced_by"])
    {'name': 'nmae', 'criticality': 'critcality'}
    """
    found: dict[str, str] = {}
    for name in absent:
        allowed = max(1, len(name) // 5)
        slips = [c for c in extras if c not in found.values() and _edits(name, c) <= allowed]
        if slips:
            found[name] = min(slips, key=lambda c: _edits(name, c))
    return found


def _edits(a: str, b: str) -> int:
    """Edits (insert, delete, change, swap two neighbours) turning ``a`` into ``b``; words
    whose lengths differ by more than two are not compared (more than two, said as such).

    >>> _edits("name", "nmae"), _edits("criticality", "critcality"), _edits("ward", "wards")
    (1, 1, 1)
    """
    if abs(len(a) - len(b)) > 2:
        return abs(len(a) - len(b))
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


# --- rules -----------------------------------------------------------------------------


def _report_rows(
    report: ValidationReport,
    table: RawTable | None,
    mask: pd.Series,
    column: str,
    values: pd.Series,
    message,
    *,
    severity: Severity = "error",
) -> None:
    """Add one issue per row in ``mask``; ``message(value, row)`` builds the text."""
    if table is None or not mask.any():
        return
    for row, value in zip(mask.index[mask], values[mask], strict=True):
        report.add(
            table.source,
            int(row),
            column,
            value,
            message(value, row),
            severity=severity,
            row_label=table.row_label,
        )


def _raw(table: RawTable | None, name: str, fallback: pd.Series) -> pd.Series:
    """The cells as the user wrote them, for messages (a split range is joined with '/')."""
    if table is None:
        return fallback
    cells = table.cells
    if name in cells:
        return cells[name].reindex(fallback.index)
    split = [f"{name}_{part}" for part in ("low", "likely", "high")]
    if any(c in cells for c in split):
        joined = [cells[c] if c in cells else pd.Series("", index=cells.index) for c in split]
        text = joined[0].fillna("").astype("object")
        for part in joined[1:]:
            text = text + "/" + part.fillna("").astype("object")
        return text.reindex(fallback.index)
    return fallback


def _check_systems(
    frame: pd.DataFrame, table: RawTable | None, report: ValidationReport, store_ids: set[str]
) -> pd.DataFrame:
    if frame.empty:
        return frame
    ids = frame["id"]
    known = set(ids.dropna()) | store_ids
    for column, what in (
        ("annual_run_cost_gbp", "costs must be zero or more"),
        ("users", "it must be 0 or more"),
        ("known_vulnerabilities", "it must be 0 or more"),
    ):
        _report_rows(
            report,
            table,
            frame[column] < 0,
            column,
            _raw(table, column, frame[column]),
            lambda v, _r, c=column, w=what: f"{c} '{v}' is negative; {w}",
        )
    for name, rule, what in (
        ("replacement_cost_gbp", lambda v: v < 0, "is negative; costs must be zero or more"),
        ("replacement_months", lambda v: v <= 0, "must be more than 0 months"),
    ):
        parts = frame[list(SYSTEMS[name].columns)]
        low, likely, high = (parts[c] for c in parts.columns)
        broken = rule(parts).any(axis=1)
        disordered = ~broken & ((low > likely) | (likely > high))
        shown = _raw(table, name, low)
        _report_rows(
            report, table, broken, name, shown, lambda v, _r, n=name, w=what: f"{n} '{v}' {w}"
        )
        _report_rows(
            report,
            table,
            disordered,
            name,
            shown,
            lambda v, _r, n=name: (
                f"{n} '{v}' is not in the order low/likely/high; "
                "give the smallest first and the largest last"
            ),
        )
    _check_dates(frame, table, report)
    replaced_by = frame["replaced_by"]
    _report_rows(
        report,
        table,
        replaced_by.notna() & (replaced_by == ids),
        "replaced_by",
        replaced_by,
        lambda v, _r: f"replaced_by '{v}' is the system itself; name the system that absorbs it",
    )
    unknown = replaced_by.notna() & ~replaced_by.isin(known)
    _report_rows(
        report,
        table,
        unknown,
        "replaced_by",
        replaced_by,
        lambda v, _r: _unknown_system("replaced_by", v, known),
    )
    for column in ("after", "move_with"):
        refs = frame[column]
        for row in frame.index[refs.map(len) > 0]:
            for target in refs[row]:
                if target == ids[row]:
                    message = f"{column} '{target}' is the system itself; remove it"
                elif target not in known:
                    message = _unknown_system(column, target, known)
                else:
                    continue
                report.add(
                    table.source if table else "(input)",
                    int(row),
                    column,
                    target,
                    message,
                    row_label=table.row_label if table else "row",
                )
    return _drop_duplicate_ids(frame, table, report)


def _check_dates(frame: pd.DataFrame, table: RawTable | None, report: ValidationReport) -> None:
    """Warn of dates that cannot both be right: support ending before the system went live,
    and a live system going live in the future (scored as it is, so said)."""
    go_live, end = frame["go_live"], frame["end_of_support"]
    shown = _raw(table, "end_of_support", end.dt.strftime("%Y-%m-%d"))
    _report_rows(
        report,
        table,
        (end < go_live).fillna(False),
        "end_of_support",
        shown,
        lambda v, row: (
            f"end_of_support '{v}' is before go_live {go_live[row]:%Y-%m-%d}; check both "
            "(the end of support is scored as given)"
        ),
        severity="warning",
    )
    future = (frame["status"] == "live") & (go_live > pd.Timestamp.today()).fillna(False)
    _report_rows(
        report,
        table,
        future,
        "go_live",
        _raw(table, "go_live", go_live.dt.strftime("%Y-%m-%d")),
        lambda v, _row: (
            f"go_live '{v}' is in the future for a live system; check it, or give status "
            "planned (it is scored as a new system)"
        ),
        severity="warning",
    )


def _drop_duplicate_ids(
    frame: pd.DataFrame, table: RawTable | None, report: ValidationReport
) -> pd.DataFrame:
    ids = frame["id"]
    duplicated = ids.notna() & ids.duplicated(keep="first")
    if not duplicated.any():
        return frame
    first_rows = ids[ids.notna() & ~duplicated].reset_index().set_index("id")["index"]
    raw_ids = table.cells["id"] if table is not None else ids
    row_label = table.row_label if table is not None else "row"
    _report_rows(
        report,
        table,
        duplicated,
        "id",
        raw_ids,
        lambda value, row: (
            f"id '{str(value).strip()}' is already used on {row_label} "
            f"{first_rows[ids[row]]}; ids must be unique (case and spaces are ignored)"
        ),
    )
    return frame[~duplicated]


def _unknown_system(column: str, value: str, known: set[str]) -> str:
    message = f"{column} '{value}' is not a system in this inventory"
    if len(known) <= SUGGESTION_LIMIT:
        close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.75)
        if close:
            return f"{message}; did you mean '{close[0]}'?"
    return f"{message}; add it to systems or correct the id"


def _check_dependencies(
    frame: pd.DataFrame, table: RawTable, report: ValidationReport, known: set[str]
) -> pd.DataFrame:
    if frame.empty:
        return frame
    consumer, provider = frame["consumer"], frame["provider"]
    for column in ("consumer", "provider"):
        values = frame[column]
        unknown = values.notna() & ~values.isin(known)
        if unknown.any():
            messages = {v: _unknown_system(column, v, known) for v in values[unknown].unique()}
            _report_rows(report, table, unknown, column, values, lambda v, _r, m=messages: m[v])
    self_loop = consumer.notna() & (consumer == provider)
    _report_rows(
        report,
        table,
        self_loop,
        "provider",
        provider,
        lambda v, _r: f"consumer and provider are both '{v}'; a system cannot depend on itself",
    )
    pair = consumer.fillna("").astype("object") + " -> " + provider.fillna("").astype("object")
    complete = consumer.notna() & provider.notna()
    duplicated = complete & pair.duplicated(keep="first")
    if duplicated.any():
        first = pair[complete & ~duplicated]
        first_rows = pd.Series(first.index, index=first.values)
        _report_rows(
            report,
            table,
            duplicated,
            "provider",
            pair,
            lambda v, _r: (
                f"dependency {v} is already listed on "
                f"{table.row_label} {first_rows[v]}; put all its message types on one row"
            ),
        )
    daily = frame["daily_volume"]
    _report_rows(
        report,
        table,
        daily < 0,
        "daily_volume",
        _raw(table, "daily_volume", daily),
        lambda v, _r: f"daily_volume '{v}' is negative; it must be 0 or more",
    )
    keep = complete & ~duplicated & ~self_loop & consumer.isin(known) & provider.isin(known)
    return frame[np.asarray(keep)]
