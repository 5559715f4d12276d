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
- :func:`inventory.apply_mapping.apply_mapping` turns a register (:mod:`inventory.register`)
  into the raw tables that :func:`inventory.validate.validate` checks;
  :func:`inventory.apply_mapping.read_with_mapping` does both steps.

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
import hashlib
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
from pydantic_core import ErrorDetails

from inventory import parse
from inventory.catalogue import CATALOGUE_FIELDS
from inventory.errors import InvalidInventoryError, InventoryFileError
from inventory.files import PlainLoader, decode_text, yaml_problem
from inventory.report import ValidationReport
from inventory.schema import DEPENDENCIES, DISPOSITIONS, SYSTEMS

__all__ = [
    "ColumnSpec",
    "Mapping",
    "TableMapping",
    "load_mapping",
    "read_mapping",
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
        if self.join is not None and not self.join:
            raise ValueError("join needs at least one column: join: [Column A, Column B]")
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

    def line_of(self, path: tuple) -> int | None:
        """The line of the mapping file that holds a setting (or its nearest parent)."""
        return _line(self._lines, path)

    def to_yaml(self) -> str:
        """Write the mapping as commented YAML (the proposal's confidences as comments)."""
        return _to_yaml(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per field and per unmapped column: table, field, source, confidence, reason.

        Unmapped columns have no field; a proposal's confidence and reason are filled in.
        """
        rows: list[tuple[str, str, str | None, str, float | None, str]] = []
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


class _TextLoader(PlainLoader):
    """Safe loading with no aliases, where every scalar is text: ``Yes``, ``1`` and ``null``
    in a value map are the cells' own words, not a boolean, a number or nothing."""

    yaml_implicit_resolvers: ClassVar[dict] = {}  # type: ignore[misc]  # every scalar is text


def _parse(text: str, source: str) -> tuple[Mapping | None, ValidationReport]:
    report = ValidationReport()
    try:
        document = yaml.load(text, Loader=_TextLoader)
        lines = _node_lines(yaml.compose(text, Loader=_TextLoader))
    except yaml.YAMLError as error:
        what, line, _ = yaml_problem(error, text)
        report.add(
            source,
            line,
            None,
            None,
            f"is not valid YAML: {what or error}",
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


def _report_pydantic(
    report: ValidationReport, source: str, lines: dict, problem: ErrorDetails
) -> None:
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
