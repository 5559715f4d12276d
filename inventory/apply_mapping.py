"""A register read through its column mapping: the raw tables validation checks.

:func:`apply_mapping` takes a register as kept (:mod:`inventory.register`) and a reviewed
mapping (:mod:`inventory.mapping`) and builds the inventory's raw tables: columns joined,
values mapped, free-text decisions turned into disposition and ``replaced_by`` by their rules,
ids made from names where the register has none, systems named by name resolved to ids, an
interface catalogue turned into dependencies (:mod:`inventory.catalogue`), and the columns the
mapping does not use kept apart and named. :func:`read_with_mapping` reads and applies.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import cast

import pandas as pd

from inventory import parse
from inventory.catalogue import catalogue_to_dependencies
from inventory.files import RawInventory, RawTable
from inventory.mapping import Mapping, TableMapping
from inventory.names import SystemNames, name_key
from inventory.register import Register, RegisterTable, read_register
from inventory.report import ValidationReport
from inventory.schema import DEPENDENCIES, SYSTEMS, canonical_column, enum_key

__all__ = ["apply_mapping", "read_with_mapping", "rule_pattern"]


def read_with_mapping(
    path: str | Path, mapping: Mapping, *, known_ids: Iterable[str] = ()
) -> RawInventory:
    """Read a register with a mapping into the raw tables validation checks."""
    register = read_register(
        path,
        header_rows={t.sheet: t.header_row for t in mapping.tables.values() if t.header_row},
        sections={t.sheet: t.sections for t in mapping.tables.values()},
    )
    return apply_mapping(register, mapping, known_ids=known_ids)


def apply_mapping(
    register: Register, mapping: Mapping, *, known_ids: Iterable[str] = ()
) -> RawInventory:
    """Turn a register's tables into raw ``systems`` and ``dependencies`` tables.

    Every problem (a sheet or column the register lacks, a decision naming no system, a name
    in the catalogue that fits no system) is an issue of the result, located in the mapping
    file or the register; columns the mapping does not use are kept as extra columns, with a
    warning listing them.
    """
    report = ValidationReport()
    tables: dict[str, RawTable] = {}
    used = {
        t.source
        for t in (_sheet(register, m.sheet) for m in mapping.tables.values())
        if t is not None
    }
    report.extend(i for i in register.issues if i.source in used)  # sheets not used are quiet
    systems = _register_table(register, mapping, "systems", report)
    if systems is None:
        return RawInventory({}, register.files, register.sha256, tuple(report.issues))
    frame = _without_unmapped_rows(
        _build(systems, mapping.systems, "systems", mapping, report), mapping, systems, report
    )
    names = SystemNames.from_frame(_ids_for_names(frame))
    known = list(known_ids)
    if known:  # a catalogue may also name systems already in the store, by id
        names = SystemNames.from_frame(
            pd.concat([_ids_for_names(frame), pd.DataFrame({"id": known})], ignore_index=True)
        )
    _resolve_references(frame, systems, names, report)
    tables["systems"] = RawTable(
        "systems", systems.source, frame, _originals(mapping.systems), "row", mapped=True
    )
    for kind in ("dependencies", "catalogue"):
        table_mapping = getattr(mapping, kind)
        if table_mapping is None:
            continue
        table = _register_table(register, mapping, kind, report)
        if table is None:
            continue
        cells = _build(table, table_mapping, kind, mapping, report, keep_extras=kind != "catalogue")
        if table_mapping.sheet == mapping.systems.sheet:
            cells = _with_both_ends(cells, kind)
        if kind == "dependencies":
            cells = _resolve_ends(cells, table, names, report)
        raw = RawTable(kind, table.source, cells, _originals(table_mapping), mapped=True)
        if kind == "catalogue":
            raw, found = catalogue_to_dependencies(raw, names)
            report.extend(found)
        tables["dependencies"] = RawTable(
            "dependencies", raw.source, raw.cells, raw.headers, raw.row_label, mapped=True
        )
    return RawInventory(tables, register.files, register.sha256, tuple(report.issues))


def _without_unmapped_rows(
    frame: pd.DataFrame, mapping: Mapping, table: RegisterTable, report: ValidationReport
) -> pd.DataFrame:
    """``frame`` less the rows holding nothing in any column the mapping reads, only in
    columns it does not (a RAG rating in a hidden column beside a blank row): left out,
    with a warning naming them, rather than each read as a system with no id or name."""
    read = [
        name
        for name, spec in mapping.systems.columns.items()
        if spec.value is None and name in frame
    ]
    if not read:
        return frame
    blank = frame[read].apply(lambda column: parse.blank_out(column).isna()).all(axis=1)
    if not blank.any():
        return frame
    rows = frame.index[blank]
    shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if len(rows) > 10 else "")
    report.add(
        table.source,
        None,
        None,
        None,
        f"{'row' if len(rows) == 1 else 'rows'} {shown} {'has' if len(rows) == 1 else 'have'} "
        "values only in columns the mapping does not read; left out",
        severity="warning",
    )
    return frame[~blank]


def _with_both_ends(cells: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Links read from the systems' own sheet (a column listing each system's interfaces):
    the rows that name both ends; a system with none listed has no links, not a broken one."""
    ends = ["sender", "receiver"] if kind == "catalogue" else ["consumer", "provider"]
    present = [parse.blank_out(cells[end]).notna() for end in ends if end in cells]
    if not present:
        return cells
    return cells[functools.reduce(lambda a, b: a & b, present).to_numpy()]


def _originals(table: TableMapping) -> dict[str, str]:
    return {name: spec.describe() for name, spec in table.columns.items()}


def _ids_for_names(frame: pd.DataFrame) -> pd.DataFrame:
    """id, name, product of the mapped systems, ids normalised as validation will."""
    out = pd.DataFrame(index=frame.index)
    out["id"] = parse.parse_id(frame["id"]).values if "id" in frame else None
    for column in ("name", "product"):
        out[column] = frame.get(column)
    return out


def _sheet(register: Register, sheet: str) -> RegisterTable | None:
    """The register table a mapping's sheet names (case and punctuation ignored)."""
    by_key = {name_key(n): n for n in register.tables}
    return register.tables.get(sheet) or register.tables.get(by_key.get(name_key(sheet), ""))


def _register_table(
    register: Register, mapping: Mapping, kind: str, report: ValidationReport
) -> RegisterTable | None:
    sheet = getattr(mapping, kind).sheet
    found = _sheet(register, sheet)
    if found is not None:
        return found
    said = [i for i in register.issues if i.source == sheet or i.source.endswith(f"[{sheet}]")]
    if said:  # the sheet is there but holds no table (where the mapping says it starts)
        report.extend(said)
        row = getattr(mapping, kind).header_row
        _mapping_issue(
            report,
            mapping,
            (kind, "header_row" if row else "sheet"),
            row or sheet,
            f"{kind}.header_row: row {row} of '{sheet}' is not a row of column names with data "
            "below it; give the row the headers are on"
            if row
            else f"{kind}.sheet: '{sheet}' holds no table",
        )
        return None
    close = difflib.get_close_matches(sheet, list(register.tables), n=1, cutoff=0.6)
    hint = (
        f"did you mean '{close[0]}'?"
        if close
        else f"the tables found are: {', '.join(register.tables) or 'none'}"
    )
    _mapping_issue(
        report, mapping, (kind, "sheet"), sheet, f"{kind}.sheet: no sheet '{sheet}'; {hint}"
    )
    return None


def _mapping_issue(report, mapping: Mapping, path: tuple, value, message: str) -> None:
    report.add(
        mapping.source,
        mapping.line_of(path),
        ".".join(str(p) for p in path),
        value,
        message,
        row_label="line",
    )


def _header(table: RegisterTable, header: str) -> str | None:
    """The register column a mapping's header names (case and punctuation ignored)."""
    if header in table.cells:
        return header
    matches = [c for c in table.cells.columns if name_key(c) == name_key(header)]
    return matches[0] if len(matches) == 1 else None


def _build(
    table: RegisterTable,
    spec: TableMapping,
    kind: str,
    mapping: Mapping,
    report: ValidationReport,
    *,
    keep_extras: bool = True,
) -> pd.DataFrame:
    """The table's text cells under the field names, plus extra columns. Columns another
    table of the mapping reads from the same sheet count as used."""
    cells = table.cells
    out = pd.DataFrame(index=cells.index)
    used = {
        found
        for other, other_spec in mapping.tables.items()
        if other != kind and other_spec.sheet == spec.sheet
        for column in other_spec.columns.values()
        for header in column.headers
        if (found := _header(table, header)) is not None
    }
    for name, column in spec.columns.items():
        path = (kind, "columns", name)
        headers = {}
        for header in column.headers:
            found = _header(table, header)
            if found is None:
                close = difflib.get_close_matches(header, list(cells.columns), n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else f"its columns are: {', '.join(cells.columns)}"
                )
                _mapping_issue(
                    report,
                    mapping,
                    path,
                    header,
                    f"{'.'.join(path)}: '{table.sheet}' has no column '{header}'; {hint}",
                )
            headers[header] = found
        if None in headers.values():
            continue
        present = cast(dict[str, str], headers)  # every header was found
        used.update(present.values())
        if column.value is not None:
            out[name] = column.value
            continue
        if column.join is not None:
            parts = [cells[present[h]].tolist() for h in column.join]
            text = pd.Series(
                [
                    column.sep.join(p for p in row if isinstance(p, str)) or None
                    for row in zip(*parts, strict=True)
                ],
                index=cells.index,
                dtype="object",
            )
        else:
            text = cells[present[str(column.column or column.slug)]]
        if column.slug is not None:
            out[name] = _slugs(text, table, column.slug, report)
            continue
        if column.values:
            text = _value_map(text, column.values)
        if column.rules:
            text = _apply_rules(text, column.rules, out)
        out[name] = text.astype("object")
    if kind == "systems" or spec.sheet != mapping.systems.sheet:  # else said for the systems
        _extras(cells, out, used, table, spec, report, keep=keep_extras)
    return out


def _value_map(text: pd.Series, values: dict[str, str | None]) -> pd.Series:
    """Cells found in the value map (case, spaces, '-' and '_' ignored) become its value."""
    lookup = {enum_key(k): v or None for k, v in values.items()}
    keys = text.map(lambda v: enum_key(v) if isinstance(v, str) else None)
    found = keys.isin(list(lookup))
    return text.where(~found, keys.map(lookup)).astype("object")


def _slugs(
    text: pd.Series, table: RegisterTable, header: str, report: ValidationReport
) -> pd.Series:
    """Ids made from a names column; a repeated id gets '-2', '-3', each with a warning."""
    slugs = text.map(lambda v: parse.slugify(v) if isinstance(v, str) else None)
    seen: dict[str, int] = {}
    out: list[str | None] = []
    for row, slug in zip(slugs.index.tolist(), slugs.tolist(), strict=True):
        if slug is None:
            out.append(None)
            continue
        seen[slug] = seen.get(slug, 0) + 1
        if seen[slug] > 1:
            new = f"{slug}-{seen[slug]}"
            report.add(
                table.source,
                int(row),
                "id",
                text[row],
                f"id '{slug}' made from '{text[row]}' is taken by an earlier row; this row's id "
                f"is '{new}'",
                severity="warning",
            )
            slug = new
        out.append(slug)
    report.add(
        table.source,
        None,
        "id",
        None,
        f"ids are made from the column '{header}' (lower case, '-' between words); they "
        "change when a name changes, so keep an id column if the register has one",
        severity="warning",
    )
    return pd.Series(out, index=text.index, dtype="object")


#: Where a system named in free text may end: a bracket, a dash, a comma, or a word.
_CUT = re.compile(
    r"\s*(?:\(|\[| - | – | — |,|;|:"
    r"|\b(?:in|by|from|when|once|after|during|via|for|as|to replace)\b)",
    re.I,
)


@functools.cache
def rule_pattern(pattern: str) -> re.Pattern:
    alternatives = []
    for alternative in pattern.split("|"):
        alternative = alternative.strip()
        capture = alternative.endswith("{system}")
        words = re.findall(r"[^\W_]+|[^\w\s]", alternative.removesuffix("{system}"))
        body = r"\W*".join(re.escape(w) for w in words)
        tail = r"\W+(\S.*)" if capture else r"(?:\b|$)"
        alternatives.append(rf"^\W*{body}{tail}")
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)


def _apply_rules(text: pd.Series, rules: list[dict[str, str]], out: pd.DataFrame) -> pd.Series:
    """Dispositions from free text; a captured system goes to ``replaced_by`` (as written)."""
    compiled = [(rule_pattern(p), d) for rule in rules for p, d in rule.items()]
    distinct: dict[str, tuple[str, str | None]] = {}
    for value in text.dropna().unique():
        for regex, disposition in compiled:
            match = regex.match(value)
            if match:
                target = next((g for g in match.groups() if g), None)
                distinct[value] = (disposition, target.strip() if target else None)
                break
    read = text.map(lambda v: distinct.get(v, (v, None)) if isinstance(v, str) else (None, None))
    captured = read.map(lambda r: r[1])
    if captured.notna().any():
        given = out["replaced_by"] if "replaced_by" in out else pd.Series(None, index=text.index)
        out["replaced_by"] = given.where(given.notna(), captured).astype("object")
    return read.map(lambda r: r[0])


def _resolve_references(
    frame: pd.DataFrame, table: RegisterTable, names: SystemNames, report: ValidationReport
) -> None:
    """``replaced_by`` and ``after`` written as names become ids; misses are errors."""
    known: dict[str, tuple[str | None, str | None]] = {}
    for column in ("replaced_by", "after"):
        if column not in frame:
            continue
        resolved: list[object] = []
        for row, value in zip(frame.index.tolist(), frame[column].tolist(), strict=True):
            if not isinstance(value, str):
                resolved.append(value)
                continue
            items = [value] if column == "replaced_by" else re.split(r"[;,\n]", value)
            ids: list[str] = []
            for item in (i.strip() for i in items if i.strip()):
                if item not in known:
                    known[item] = _resolve_target(item, names)
                system, problem = known[item]
                if problem:
                    report.add(table.source, int(row), column, item, f"{column} {problem}")
                elif system is not None:
                    ids.append(system)
            resolved.append("; ".join(ids) or None)
        frame[column] = pd.Series(resolved, index=frame.index, dtype="object")


def _resolve_ends(
    cells: pd.DataFrame, table: RegisterTable, names: SystemNames, report: ValidationReport
) -> pd.DataFrame:
    """A dependency list's consumers and providers, by id or name, become ids; a row naming
    a system that is not in the register is reported on its cell and left out."""
    keep = pd.Series(True, index=cells.index)
    out = cells.copy()
    for column in ("consumer", "provider"):
        if column not in cells:
            continue
        found = {v: names.resolve(v) for v in cells[column].dropna().unique()}
        for row, value in zip(cells.index.tolist(), cells[column].tolist(), strict=True):
            if value is None or value not in found:
                continue
            system, problem = found[value]
            if problem:
                report.add(table.source, int(row), column, value, f"{column} {problem}")
                keep[row] = False
            else:
                out.at[row, column] = system
    return out[keep.to_numpy()]


def _resolve_target(text: str, names: SystemNames) -> tuple[str | None, str | None]:
    """Resolve a system named in free text: the whole text, then shorter cuts of it."""
    candidates = [text.strip(" .")]
    for match in _CUT.finditer(text):
        cut = text[: match.start()].strip(" .")
        if cut:
            candidates.append(cut)
    for candidate in dict.fromkeys(candidates):
        system = names.find(candidate)
        if system is not None:
            return system, None
    return names.resolve(min(candidates, key=len))


def _extras(
    cells: pd.DataFrame,
    out: pd.DataFrame,
    used: set[str],
    table: RegisterTable,
    spec: TableMapping,
    report: ValidationReport,
    *,
    keep: bool,
) -> None:
    """Columns the mapping does not use: kept (when ``keep``) under their canonical names,
    never a field's, and named in a warning."""
    taken = set(out.columns) | {c for f in SYSTEMS.values() for c in (f.name, *f.columns)}
    taken |= set(DEPENDENCIES)
    extras = [c for c in cells.columns if c not in used]
    for header in extras if keep else ():
        name = canonical_column(header) or "extra"
        while name in taken:
            name = f"{name}_extra"
        taken.add(name)
        out[name] = cells[header]
    if extras:
        listed = ", ".join(repr(e) for e in extras)
        one = len(extras) == 1
        what = (
            (
                f"column {listed} is kept as an extra column"
                if one
                else f"columns {listed} are kept as extra columns"
            )
            + ", not used for planning"
            if keep
            else f"column{'' if one else 's'} {listed} not used (an interface becomes links; the "
            "catalogue's other columns are not kept)"
        )
        report.add(table.source, None, None, None, what, severity="warning")
    named = {name_key(h) for h in spec.unused}
    new = [e for e in extras if name_key(e) not in named]
    if new:
        report.add(
            table.source,
            None,
            None,
            None,
            f"column{'' if len(new) == 1 else 's'} {', '.join(repr(e) for e in new)} not in "
            "the mapping (has the register changed since the mapping was made?)",
            severity="warning",
        )
