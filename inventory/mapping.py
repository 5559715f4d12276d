"""Column mappings: how a register's own columns fill the inventory's fields.

A trust keeps its register in its own layout ("System", "Server OS", "Database", "Support
ends", "Clinical criticality", "Decision"). A *column mapping* says, in a short YAML file a
person reviews, which column fills which field:

.. code-block:: yaml

    version: 1
    systems:
      sheet: Application register      # the sheet (or CSV file) with one row per system
      header_row: 4                    # optional: found when left out
      columns:
        id: {slug: System}             # ids made from the names (no id column)
        name: System                   # a column, by its header as written
        platform: {join: [Server OS, Database], sep: ' / '}
        organisation: {value: RXX}     # the same value on every row
        criticality:
          column: Clinical criticality
          values: {Tier 1: critical, Tier 2: high}      # value map, case-insensitive
        disposition:
          column: Decision
          rules:                       # first match wins; {system} fills replaced_by
          - replace with {system}|replace by {system}: replace
          - retire|decommission: retire
      unused: [Owner, Section]         # kept as extra columns, not used for planning
    catalogue:                         # an interface catalogue (inventory.catalogue)
      sheet: Interfaces
      columns: {sender: From, receiver: To, messages: Message types, route: Via}

- :func:`propose_mapping` proposes one from the headers (names and synonyms) and the values
  (dates, money, tiers, ids), with a confidence and a reason for each field, value maps and
  free-text rules proposed from the distinct values seen, and the unmapped columns listed.
- :func:`read_mapping` / :func:`load_mapping` read a mapping file with YAML *safe* loading
  (every scalar is read as text) and check it; each problem is located by line, with a
  suggestion for an unknown key.
- :func:`apply_mapping` turns a register (:mod:`inventory.register`) into the raw tables that
  :func:`inventory.validate.validate` checks; :func:`read_with_mapping` does both steps.

Rules of a ``rules`` entry: alternatives are separated by ``|``; each is matched at the start
of the cell, ignoring case and punctuation between words; ``{system}`` at its end captures the
rest of the cell, cut at a bracket, a dash, a comma or a word such as ``in``/``by``/``when``,
and resolved to a system id by name (:class:`inventory.names.SystemNames`).

Examples
--------
>>> mapping = Mapping.from_yaml('''
... version: 1
... systems:
...   sheet: systems.csv
...   columns: {id: id, name: name, criticality: {column: criticality, values: {Gold: high}}}
... ''')
>>> mapping.systems.columns["criticality"].values
{'Gold': 'high'}
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar, Literal

import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from inventory import parse
from inventory.catalogue import CATALOGUE_FIELDS, catalogue_to_dependencies
from inventory.errors import InvalidInventoryError
from inventory.io import InventoryFileError, RawInventory, RawTable, _PlainLoader, decode_text
from inventory.names import SystemNames, name_key
from inventory.register import Register, RegisterTable, read_register
from inventory.report import ValidationReport
from inventory.schema import DEPENDENCIES, DISPOSITIONS, SYSTEMS, canonical_column, enum_key

__all__ = [
    "ColumnSpec",
    "Mapping",
    "TableMapping",
    "apply_mapping",
    "load_mapping",
    "read_mapping",
    "read_with_mapping",
]

TableKind = Literal["systems", "dependencies", "catalogue"]
TABLE_KINDS: tuple[TableKind, ...] = ("systems", "dependencies", "catalogue")

#: The fields each kind of table may map to.
FIELDS: dict[str, tuple[str, ...]] = {
    "systems": tuple(dict.fromkeys(c for f in SYSTEMS.values() for c in (f.name, *f.columns) if c)),
    "dependencies": tuple(DEPENDENCIES),
    "catalogue": CATALOGUE_FIELDS,
}
_REQUIRED = {
    "systems": ("id", "name"),
    "dependencies": ("consumer", "provider"),
    "catalogue": ("sender", "receiver"),
}


# --- the mapping file ------------------------------------------------------------------


class ColumnSpec(BaseModel):
    """Where one field's values come from: a column, a join of columns, a slug of a column or
    one value; optionally with a value map or (for ``disposition``) free-text rules.

    A plain string is short for ``{column: <string>}``.
    """

    model_config = ConfigDict(extra="forbid")

    column: str | None = None
    join: list[str] | None = None
    sep: str = " / "
    slug: str | None = None
    value: str | None = None
    values: dict[str, str | None] | None = None
    rules: list[dict[str, str]] | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_column(cls, data: object) -> object:
        return {"column": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_source(self) -> ColumnSpec:
        given = [k for k in ("column", "join", "slug", "value") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of column, join, slug or value"
                + (f" (found {', '.join(given)})" if given else "")
            )
        if (self.values is not None or self.rules is not None) and not (self.column or self.join):
            raise ValueError("values and rules read a column or a join; add one")
        for rule in self.rules or []:
            if len(rule) != 1:
                raise ValueError("each rule is one line 'pattern: disposition'")
        return self

    @property
    def headers(self) -> list[str]:
        """The register columns this spec reads."""
        if self.join is not None:
            return list(self.join)
        return [h for h in (self.column, self.slug) if h is not None]

    def describe(self) -> str:
        """One line saying where the values come from."""
        if self.join is not None:
            return f"{self.sep.join(self.join)} (joined)"
        if self.slug is not None:
            return f"ids made from {self.slug}"
        if self.value is not None:
            return f"'{self.value}' on every row"
        extra = " with a value map" if self.values else " with rules" if self.rules else ""
        return f"{self.column}{extra}"


class TableMapping(BaseModel):
    """One table of the register: its sheet, header row and the source of each field."""

    model_config = ConfigDict(extra="forbid")

    sheet: str
    header_row: int | None = Field(default=None, ge=1)
    sections: bool = True
    columns: dict[str, ColumnSpec]
    unused: list[str] = []

    # what the proposal saw: field -> (confidence, reason); header -> note
    _evidence: dict[str, tuple[float, str]] = PrivateAttr(default_factory=dict)
    _unmapped: dict[str, str] = PrivateAttr(default_factory=dict)
    _value_notes: dict[str, dict[str, str]] = PrivateAttr(default_factory=dict)
    _not_understood: dict[str, list[str]] = PrivateAttr(default_factory=dict)


class Mapping(BaseModel):
    """A column mapping: the systems table and, optionally, dependencies or a catalogue."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    systems: TableMapping
    dependencies: TableMapping | None = None
    catalogue: TableMapping | None = None

    _text: str | None = PrivateAttr(default=None)
    _source: str = PrivateAttr(default="mapping")
    _lines: dict[tuple, int] = PrivateAttr(default_factory=dict)
    _skipped: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version != 1:
            raise ValueError(f"version {version} is not known; this modernise reads version 1")
        return version

    @classmethod
    def from_yaml(cls, text: str, *, source: str = "mapping") -> Mapping:
        """Read a mapping from YAML text; raise InvalidInventoryError with every problem."""
        mapping, report = _parse(text, source)
        if mapping is None:
            raise InvalidInventoryError(report)
        return mapping

    @property
    def tables(self) -> dict[str, TableMapping]:
        """The tables given, by kind (systems, dependencies, catalogue)."""
        return {k: t for k in TABLE_KINDS if (t := getattr(self, k)) is not None}

    @property
    def source(self) -> str:
        """The name messages give the mapping: its file name, or 'mapping'."""
        return self._source

    @property
    def text(self) -> str:
        """The mapping as YAML: the file's own text when read from one."""
        return self._text if self._text is not None else self.to_yaml()

    @property
    def sha256(self) -> str:
        """SHA-256 of :attr:`text`, as the store records it with an import."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def to_yaml(self) -> str:
        """Write the mapping as commented YAML (the proposal's confidences as comments)."""
        return _to_yaml(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per field and per unmapped column: table, field, source, confidence, reason.

        Unmapped columns have no field; a proposal's confidence and reason are filled in.
        """
        rows = []
        for kind, table in self.tables.items():
            for name, spec in table.columns.items():
                confidence, reason = table._evidence.get(name, (None, ""))
                rows.append((kind, table.sheet, name, spec.describe(), confidence, reason))
            for header in table.unused:
                note = table._unmapped.get(header, "")
                rows.append((kind, table.sheet, None, header, None, note or "not used"))
        frame = pd.DataFrame(
            rows, columns=["table", "sheet", "field", "source", "confidence", "reason"]
        )
        frame["confidence"] = frame["confidence"].astype("float64")
        return frame

    def __repr__(self) -> str:
        parts = [f"{k} <- {t.sheet!r} ({len(t.columns)} fields)" for k, t in self.tables.items()]
        return f"<Mapping: {'; '.join(parts)}>"


class _TextLoader(_PlainLoader):
    """Safe loading with no aliases, where every scalar is text: ``Yes``, ``1`` and ``null``
    in a value map are the cells' own words, not a boolean, a number or nothing."""

    yaml_implicit_resolvers: ClassVar[dict] = {}


def _parse(text: str, source: str) -> tuple[Mapping | None, ValidationReport]:
    report = ValidationReport()
    try:
        document = yaml.load(text, Loader=_TextLoader)
        lines = _node_lines(yaml.compose(text, Loader=_TextLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        report.add(
            source,
            mark.line + 1 if mark else None,
            None,
            None,
            f"is not valid YAML: {problem}",
            row_label="line",
        )
        return None, report
    if not isinstance(document, dict):
        report.add(
            source,
            None,
            None,
            None,
            "must be a YAML mapping with 'version: 1' and a 'systems' section",
            row_label="line",
        )
        return None, report
    try:
        mapping = Mapping.model_validate(document)
    except ValidationError as error:
        for problem in error.errors():
            _report_pydantic(report, source, lines, problem)
        return None, report
    mapping._text, mapping._source, mapping._lines = text, source, lines
    _check(mapping, report)
    return (mapping if report.valid else None), report


def _node_lines(node, path: tuple = ()) -> dict[tuple, int]:
    """Line (from 1) of every key and value in a composed YAML document, by path."""
    lines = {path: node.start_mark.line + 1} if node is not None else {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*path, key.value)] = key.start_mark.line + 1
            lines.update(
                {p: n for p, n in _node_lines(value, (*path, key.value)).items() if p not in lines}
            )
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_node_lines(item, (*path, index)))
    return lines


def _line(lines: dict[tuple, int], path: tuple) -> int | None:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


_KEYS = {
    Mapping: list(Mapping.model_fields),
    TableMapping: list(TableMapping.model_fields),
    ColumnSpec: list(ColumnSpec.model_fields),
}


def _report_pydantic(report: ValidationReport, source: str, lines: dict, problem: dict) -> None:
    path = tuple(p for p in problem["loc"] if not str(p).startswith("function-"))
    where = ".".join(str(p) for p in path)
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "extra_forbidden":
        key = str(path[-1])
        allowed = _KEYS[ColumnSpec] if len(path) == 4 else _allowed_at(path)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"the keys allowed are: {', '.join(allowed)}"
        )
        message = f"unknown key '{key}'; {hint}"
        where = ".".join(str(p) for p in path[:-1]) or "(top)"
    elif problem["type"] == "missing":
        message = f"'{path[-1]}' is missing"
        where = ".".join(str(p) for p in path[:-1]) or "(top)"
    report.add(
        source,
        _line(lines, path),
        where,
        problem.get("input") if isinstance(problem.get("input"), str) else None,
        f"{where}: {message}",
        row_label="line",
    )


def _allowed_at(path: tuple) -> list[str]:
    if len(path) == 1:
        return _KEYS[Mapping]
    return _KEYS[TableMapping]


def _check(mapping: Mapping, report: ValidationReport) -> None:
    """The checks a mapping needs beyond its shape: fields, sources, value maps, rules."""

    def add(path: tuple, value: object, message: str) -> None:
        where = ".".join(str(p) for p in path)
        report.add(
            mapping._source,
            _line(mapping._lines, path),
            where,
            value,
            f"{where}: {message}",
            row_label="line",
        )

    if mapping.dependencies is not None and mapping.catalogue is not None:
        add(("catalogue",), None, "give either dependencies or a catalogue, not both")
    for kind, table in mapping.tables.items():
        fields = FIELDS[kind]
        for name, spec in table.columns.items():
            path = (kind, "columns", name)
            if name not in fields:
                close = difflib.get_close_matches(name, fields, n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else f"the fields are: {', '.join(fields)}"
                )
                add(path, name, f"'{name}' is not a {kind} field; {hint}")
                continue
            if spec.rules is not None and (kind, name) != ("systems", "disposition"):
                add((*path, "rules"), None, "rules are for the systems' disposition only")
            for number, rule in enumerate(spec.rules or []):
                ((pattern, disposition),) = rule.items()
                if disposition not in DISPOSITIONS:
                    close = difflib.get_close_matches(disposition, DISPOSITIONS, n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    add(
                        (*path, "rules", number, pattern),
                        disposition,
                        f"'{disposition}' is not one of: {', '.join(DISPOSITIONS)}{hint}",
                    )
                if any("{system}" in alt.strip()[:-8] for alt in pattern.split("|")):
                    add((*path, "rules", number), pattern, "{system} may only end a pattern")
            field = (SYSTEMS if kind == "systems" else DEPENDENCIES).get(name)
            if spec.values and field is not None and field.kind == "enum":
                for cell, target in spec.values.items():
                    if target is None or not target.strip():
                        continue
                    parsed = parse.parse_enum(
                        pd.Series([target]), field.allowed, synonyms=field.synonyms
                    )
                    if parsed.values[0] is None:
                        add((*path, "values", cell), target, f"{name} {parsed.problems[0]}")
        missing = [f for f in _REQUIRED[kind] if f not in table.columns]
        if missing:
            add(
                (kind, "columns"),
                None,
                f"the {kind} need {' and '.join(repr(m) for m in missing)}"
                + (" (a column, or {slug: <names column>} for ids)" if "id" in missing else ""),
            )


def read_mapping(path: str | Path) -> tuple[Mapping | None, ValidationReport]:
    """Read and check a mapping file; return it (None if it has errors) and every problem."""
    path = Path(path)
    if not path.exists():
        raise InventoryFileError(path, "no such mapping file", hint="check the path")
    text, _ = decode_text(path)
    return _parse(text, path.name)


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping file; raise :class:`InvalidInventoryError` with every problem found."""
    mapping, report = read_mapping(path)
    if mapping is None:
        raise InvalidInventoryError(report)
    return mapping


# --- applying a mapping ----------------------------------------------------------------


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
    frame = _build(systems, mapping.systems, "systems", mapping, report)
    names = SystemNames.from_frame(_ids_for_names(frame))
    known = list(known_ids)
    if known:  # a catalogue may also name systems already in the store, by id
        names = SystemNames.from_frame(
            pd.concat([_ids_for_names(frame), pd.DataFrame({"id": known})], ignore_index=True)
        )
    _resolve_references(frame, systems, names, report)
    tables["systems"] = RawTable(
        "systems", systems.source, frame, _originals(mapping.systems), "row"
    )
    for kind in ("dependencies", "catalogue"):
        table_mapping = getattr(mapping, kind)
        if table_mapping is None:
            continue
        table = _register_table(register, mapping, kind, report)
        if table is None:
            continue
        cells = _build(table, table_mapping, kind, mapping, report, keep_extras=kind != "catalogue")
        if kind == "dependencies":
            cells = _resolve_ends(cells, table, names, report)
        raw = RawTable(kind, table.source, cells, _originals(table_mapping))
        if kind == "catalogue":
            raw, found = catalogue_to_dependencies(raw, names)
            report.extend(found)
        tables["dependencies"] = RawTable(
            "dependencies", raw.source, raw.cells, raw.headers, raw.row_label
        )
    return RawInventory(tables, register.files, register.sha256, tuple(report.issues))


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
        mapping._source,
        _line(mapping._lines, path),
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
    """The table's text cells under the field names, plus extra columns."""
    cells = table.cells
    out = pd.DataFrame(index=cells.index)
    used: set[str] = set()
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
        used.update(headers.values())
        if column.value is not None:
            out[name] = column.value
            continue
        if column.join is not None:
            parts = [cells[headers[h]].tolist() for h in column.join]
            text = pd.Series(
                [
                    column.sep.join(p for p in row if isinstance(p, str)) or None
                    for row in zip(*parts, strict=True)
                ],
                index=cells.index,
                dtype="object",
            )
        else:
            text = cells[headers[column.column or column.slug]]
        if column.slug is not None:
            out[name] = _slugs(text, table, column.slug, report)
            continue
        if column.values:
            text = _value_map(text, column.values)
        if column.rules:
            text = _apply_rules(text, column.rules, out)
        out[name] = text.astype("object")
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
    out = []
    for row, slug in slugs.items():
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
def _rule_regex(pattern: str) -> re.Pattern:
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
    compiled = [(_rule_regex(p), d) for rule in rules for p, d in rule.items()]
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
        resolved = []
        for row, value in frame[column].items():
            if not isinstance(value, str):
                resolved.append(value)
                continue
            items = [value] if column == "replaced_by" else re.split(r"[;,\n]", value)
            ids = []
            for item in (i.strip() for i in items if i.strip()):
                if item not in known:
                    known[item] = _resolve_target(item, names)
                system, problem = known[item]
                if problem:
                    report.add(table.source, int(row), column, item, f"{column} {problem}")
                else:
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
        for row, value in cells[column].items():
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
    listed = {name_key(h) for h in spec.unused}
    new = [e for e in extras if name_key(e) not in listed]
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


# --- writing a mapping -----------------------------------------------------------------


def _scalar(value: object) -> str:
    """A YAML scalar, quoted only when YAML would read it otherwise."""
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
        .strip()
        .removesuffix("...")
        .strip()
    )


def _comment(text: str) -> str:
    return f"  # {text}" if text else ""


def _to_yaml(mapping: Mapping) -> str:
    lines = [
        "# Column mapping for modernise: which column of the register fills which inventory",
        "# field. Columns are named by their headers as written; review every line (the",
        "# comments give each guess's confidence and reason), edit what is wrong, then",
        "# validate the register with this file.",
    ]
    lines += [f"# Not used: {sheet!r} ({why})" for sheet, why in mapping._skipped.items()]
    lines.append("version: 1")
    for kind, table in mapping.tables.items():
        lines.append(f"{kind}:")
        lines.append(f"  sheet: {_scalar(table.sheet)}")
        if table.header_row is not None:
            lines.append(f"  header_row: {table.header_row}")
        if not table.sections:
            lines.append("  sections: false")
        lines.append("  columns:")
        for name, spec in table.columns.items():
            confidence, reason = table._evidence.get(name, (None, ""))
            note = f"{confidence:.2f} {reason}".strip() if confidence is not None else reason
            lines += _spec_lines(name, spec, note, table)
        if table.unused:
            lines.append("  unused:  # kept as extra columns, not used for planning")
            lines += [
                f"  - {_scalar(h)}{_comment(table._unmapped.get(h, ''))}" for h in table.unused
            ]
    return "\n".join(lines) + "\n"


def _spec_lines(name: str, spec: ColumnSpec, note: str, table: TableMapping) -> list[str]:
    if spec.join is not None and not spec.values and not spec.rules:
        joined = ", ".join(_scalar(h) for h in spec.join)
        return [f"    {name}: {{join: [{joined}], sep: {_scalar(spec.sep)}}}{_comment(note)}"]
    if spec.slug is not None:
        return [f"    {name}: {{slug: {_scalar(spec.slug)}}}{_comment(note)}"]
    if spec.value is not None:
        return [f"    {name}: {{value: {_scalar(spec.value)}}}{_comment(note)}"]
    if not spec.values and not spec.rules:
        return [f"    {name}: {_scalar(spec.column)}{_comment(note)}"]
    lines = [f"    {name}:{_comment(note)}"]
    if spec.join is not None:
        lines.append(f"      join: [{', '.join(_scalar(h) for h in spec.join)}]")
        lines.append(f"      sep: {_scalar(spec.sep)}")
    else:
        lines.append(f"      column: {_scalar(spec.column)}")
    notes = table._value_notes.get(name, {})
    if spec.values:
        lines.append("      values:  # each value seen, and how it is read")
        lines += [
            f"        {_scalar(cell)}: {_scalar(target) if target else repr('')}"
            f"{_comment(notes.get(cell, ''))}"
            for cell, target in spec.values.items()
        ]
    if spec.rules:
        lines.append("      rules:  # first match wins; {system} is the system that replaces it")
        for rule in spec.rules:
            ((pattern, disposition),) = rule.items()
            lines.append(
                f"      - {_scalar(pattern)}: {disposition}{_comment(notes.get(pattern, ''))}"
            )
    for value in table._not_understood.get(name, []):
        lines.append(f"      # not understood, add it above: {value}")
    return lines
