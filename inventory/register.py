"""Registers as trust IT teams keep them: title rows, section headings, several sheets.

A register is a workbook (or CSV files) kept by people for people: a title and a date above
the header, section-heading rows ("CORE PATIENT ADMINISTRATION & EPR") between groups of
systems, the team's own headers, an interface catalogue on another sheet, total rows at the
bottom. :func:`read_register` reads every sheet that holds a table *as it is kept*: headers as
written, every cell as text, rows numbered as the spreadsheet numbers them. Turning those
tables into the inventory's columns is the job of a column mapping (:mod:`inventory.mapping`).

Rules
-----
- **Header row**: the first of the top :data:`HEADER_SEARCH_ROWS` rows that has at least two
  cells, at least half as many cells as the rows below it typically have, mostly distinct
  values and hardly any numbers or dates (:func:`find_header_row`). Title and blank rows
  above it are skipped, and a warning says which row was used. With no such row, the first
  non-blank row is the header (as for files in the inventory format).
- **Section headings**: below the header, a row whose only content is one value (a cell
  merged across the row in a workbook, or one non-blank cell in a table whose other rows
  usually have three or more) is a heading, not data: its text goes into a ``Section`` column of the
  rows below it, and a warning names each one (:func:`find_section_rows`).
- **Total rows**: a row whose first value is ``Total``, ``Totals``, ``Grand total`` or
  ``Subtotal`` is left out, with a warning.
- **Sheets**: every sheet (and, for a folder, every CSV file) with a header and at least one
  row is read; a sheet with content but no table is named in a warning.

Examples
--------
>>> rows = [["Northshire IT register", None, None], [None, None, None],
...         ["System", "Supplier", "Go live"], ["CORE SYSTEMS", None, None],
...         ["PAS", "Meridian", "2011"]]
>>> find_header_row(rows)
2
>>> find_section_rows(rows[3:])
[0]
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inventory.errors import InventoryFileError
from inventory.files import (
    HEADER_SEARCH_ROWS,
    XLSX_FULL_CHECK_BYTES,
    cell_text,
    check_workbook,
    decode_text,
    encoding_issues,
    file_digest,
    filled_cells,
    find_header_row,
    resolve_merges_and_formulas,
    sheet_values,
    sniff_delimiter,
)
from inventory.report import Issue

__all__ = [
    "HEADER_SEARCH_ROWS",
    "SECTION_COLUMN",
    "Register",
    "RegisterTable",
    "find_header_row",
    "find_section_rows",
    "read_register",
]

#: The column that holds each row's section heading (``Section heading`` if the sheet has a
#: ``Section`` column of its own).
SECTION_COLUMN = "Section"

_TOTAL = re.compile(r"^(grand |sub ?)?totals?:?$", re.IGNORECASE)


@dataclass(frozen=True)
class RegisterTable:
    """One table as kept: headers as written, cells as stripped text (None when blank), index =
    spreadsheet row numbers.

    ``cells`` has one column per header (blank headers over values become ``column F``,
    repeated headers ``Notes (2)``) and, when the sheet has section headings, a ``Section``
    column.
    """

    sheet: str
    source: str
    header_row: int
    cells: pd.DataFrame

    @property
    def headers(self) -> list[str]:
        return list(self.cells.columns)


@dataclass(frozen=True)
class Register:
    """The tables of one workbook, CSV file or folder, the files read and their SHA-256."""

    tables: dict[str, RegisterTable]
    files: tuple[str, ...]
    sha256: str
    issues: tuple[Issue, ...] = ()


def _clean(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if value is None or value != value:  # None or NaN
        return None
    return str(value).strip() or None


def _text(cells: pd.DataFrame) -> pd.DataFrame:
    """Every cell as stripped text, None when blank."""
    return pd.DataFrame(
        {c: [_clean(v) for v in cells[c].tolist()] for c in cells.columns},
        index=cells.index,
        columns=cells.columns,
        dtype="object",
    )


def _section_mask(text: pd.DataFrame, merged: pd.Series) -> pd.Series:
    """Heading rows of a table of clean text (see :func:`find_section_rows`)."""
    filled = text.notna()
    counts = filled.sum(axis=1)
    present = counts[counts > 1].sort_values().to_numpy()
    typical = present[len(present) // 2] if len(present) else 0
    first = text.bfill(axis=1).iloc[:, 0] if len(text.columns) else counts.astype("object")
    lettered = first.astype("object").str.contains("[A-Za-z]", regex=True).fillna(False)
    # a heading sits in the left half of the row (typed in column A, or centred): a lone
    # value further right (a note, a hidden column's RAG rating) is not one
    at = filled.to_numpy().argmax(axis=1) if len(text.columns) else counts.to_numpy()
    leading = pd.Series(2 * at <= len(text.columns), index=text.index)
    return (counts == 1) & lettered.astype(bool) & (merged | ((typical >= 3) & leading))


def find_section_rows(
    rows: Sequence[Sequence[object]], *, merged: frozenset[int] = frozenset()
) -> list[int]:
    """Return the indexes of section-heading rows among data rows.

    A heading is a row whose only content is one value holding a letter, in a row listed in
    ``merged`` (a cell merged across the row), or in the left half of a table whose rows of
    more than one value usually have three or more.

    >>> find_section_rows([["DIAGNOSTICS", None, None], ["LIMS", "WinPath", "T1"],
    ...                    ["RIS", "CRIS", None], ["Dictation", None, None]])
    [0, 3]
    >>> find_section_rows([["Dictation", None], ["LIMS", "WinPath"]])
    []
    >>> find_section_rows([["LIMS", "WinPath", "T1", None, None],
    ...                    [None, None, None, None, "Red"]])
    []
    """
    cells = _text(pd.DataFrame([list(r) for r in rows], dtype="object"))
    mask = _section_mask(cells, pd.Series([i in merged for i in range(len(cells))]))
    return [i for i, heading in enumerate(mask) if heading]


def _column_name(position: int) -> str:
    label, n = "", position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        label = chr(65 + rem) + label
    return label


def _header_names(header: list[object], letters: bool) -> list[str]:
    """Headers as written; a blank one is named by its position, a repeat gets ' (2)'."""
    names: list[str] = []
    for position, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        name = text or (f"column {_column_name(position)}" if letters else f"column {position + 1}")
        if name in names:
            name = f"{name} ({sum(n == name or n.startswith(f'{name} (') for n in names) + 1})"
        names.append(name)
    return names


def _table(
    sheet: str,
    source: str,
    rows: list[list[object]],
    *,
    merged: frozenset[int] = frozenset(),
    notes: list[Issue] | None = None,
    header_row: int | None = None,
    sections: bool = True,
    letters: bool = True,
) -> tuple[RegisterTable | None, list[Issue]]:
    """Find the header, sections and totals in a sheet's rows; None if it holds no table.

    ``merged`` are the spreadsheet rows holding one cell merged across the row; ``notes``
    are merged-cell and formula issues naming a column letter, renamed here by header.
    """
    issues: list[Issue] = []
    if not any(filled_cells(r) for r in rows):
        return None, issues
    index = find_header_row(rows) if header_row is None else header_row - 1
    if index >= len(rows) or not filled_cells(rows[index]):
        issues.append(
            Issue(source, header_row, None, None, f"row {header_row} is blank; it is no header")
        )
        return None, issues
    above = [i + 1 for i in range(index) if filled_cells(rows[i])]
    if header_row is None and above:
        shown = f"row {above[0]} was" if len(above) == 1 else f"rows {above[0]}-{above[-1]} were"
        issues.append(
            Issue(
                source,
                index + 1,
                None,
                None,
                f"the header is on row {index + 1}; {shown} read as a title above it",
                severity="warning",
            )
        )
    data = rows[index + 1 :]
    width = max([len(rows[index]), *(len(r) for r in data)])
    header = list(rows[index]) + [None] * (width - len(rows[index]))
    names = _header_names(header, letters)
    frame = _text(
        pd.DataFrame(
            [list(r) + [None] * (width - len(r)) for r in data],
            columns=names,
            index=pd.RangeIndex(index + 2, index + 2 + len(data)),
            dtype="object",
        )
    )
    filled = frame.notna()
    for position, cell in enumerate(header):
        if cell is not None and str(cell).strip():
            continue
        column = names[position]
        if not filled[column].any():
            frame = frame.drop(columns=column)
            continue
        first = int(frame.index[filled[column].to_numpy()][0])
        issues.append(
            Issue(
                source,
                first,
                column,
                str(frame.at[first, column]),
                f"the column at position {position + 1} has no header but holds "
                f"{int(filled[column].sum())} value(s); it is read as '{column}'",
                severity="warning",
            )
        )
    frame = frame[filled.any(axis=1).to_numpy()]
    if frame.empty:
        return None, issues
    first_values = frame.bfill(axis=1).iloc[:, 0].astype("object")
    totals = first_values.str.match(_TOTAL.pattern, case=False).fillna(False).astype(bool)
    for row in frame.index[totals.to_numpy()]:
        issues.append(
            Issue(
                source,
                int(row),
                None,
                first_values[row],
                f"'{first_values[row]}' is a total row; it is left out",
                severity="warning",
            )
        )
    frame = frame[~totals.to_numpy()]
    # a formula in a total row left out is nobody's problem (a SUM with no saved value)
    left_out = {int(row) for row in totals.index[totals.to_numpy()]}
    notes = [note for note in notes or [] if note.row not in left_out]
    if sections:
        frame, found = _sections(frame, source, merged)
        issues += found
    issues += _name_notes(notes, names)
    return RegisterTable(sheet, source, index + 1, frame), issues


def _sections(
    frame: pd.DataFrame, source: str, merged: frozenset[int]
) -> tuple[pd.DataFrame, list[Issue]]:
    mask = _section_mask(frame, pd.Series(frame.index.isin(list(merged)), index=frame.index))
    if not mask.any():
        return frame, []
    headings = frame[mask.to_numpy()].bfill(axis=1).iloc[:, 0]
    issues = [
        Issue(
            source,
            int(str(row)),  # the spreadsheet row number the frame is indexed by
            None,
            heading,
            f"'{heading}' is a section heading; it is kept as the section of the rows below it, "
            "not read as data",
            severity="warning",
        )
        for row, heading in headings.items()
    ]
    column = SECTION_COLUMN if SECTION_COLUMN not in frame else f"{SECTION_COLUMN} heading"
    section = headings.reindex(frame.index).ffill().astype("object")
    out = frame.assign(**{column: section.where(section.notna(), None)})
    return out[~mask.to_numpy()], issues


def _name_notes(notes: list[Issue], names: list[str]) -> list[Issue]:
    """Merged-cell and formula notes name the column by its header instead of its letter."""
    from openpyxl.utils import column_index_from_string

    named = []
    for note in notes:
        column = note.column
        if column and column.isalpha():
            position = column_index_from_string(column) - 1
            column = names[position] if position < len(names) else column
        prefix = f"{column} " if column and note.severity == "error" else ""
        named.append(
            Issue(
                note.source,
                note.row,
                column,
                note.value,
                prefix + note.message.replace("{column}", str(column)),
                note.severity,
            )
        )
    return named


# --- reading files ---------------------------------------------------------------------


def read_register(
    path: str | Path,
    *,
    header_rows: dict[str, int] | None = None,
    sections: dict[str, bool] | None = None,
) -> Register:
    """Read every table of a workbook, a CSV file or a folder of CSV files, as kept.

    ``header_rows`` gives the header row of a sheet (by sheet or file name) instead of
    finding it; ``sections`` turns section-heading detection off for a sheet (``False``).

    Examples
    --------
    >>> register = read_register("data/sample-trust")
    >>> sorted(register.tables)
    ['dependencies.csv', 'systems.csv']
    >>> register.tables["systems.csv"].header_row
    1
    """
    path = Path(path)
    if not path.exists():
        raise InventoryFileError(path, "no such file or folder", hint="check the path")
    suffix = path.suffix.lower()
    given = {k.lower(): v for k, v in (header_rows or {}).items()}
    detect = {k.lower(): v for k, v in (sections or {}).items()}
    if path.is_dir() or suffix == ".csv":
        files = (
            sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
            if path.is_dir()
            else [path]
        )
        if not files:
            raise InventoryFileError(path, "holds no CSV files", hint="check the folder")
        tables: dict[str, RegisterTable] = {}
        issues: list[Issue] = []
        for file in files:
            rows, found = _csv_rows(file)
            issues += found
            table, found = _table(
                file.name,
                file.name,
                rows,
                header_row=given.get(file.name.lower()),
                sections=detect.get(file.name.lower(), True),
                letters=False,
            )
            issues += found
            if table is not None:
                tables[file.name] = table
        return Register(tables, tuple(str(f) for f in files), file_digest(files), tuple(issues))
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path, given, detect)
    raise InventoryFileError(
        path,
        f"'{path.suffix}' is not a register format",
        hint="registers are read from .xlsx workbooks, CSV files or folders of CSV files",
    )


def _csv_rows(path: Path) -> tuple[list[list[object]], list[Issue]]:
    text, encoding = decode_text(path)
    issues = encoding_issues(path.name, encoding)
    delimiter = sniff_delimiter(text.splitlines()[:HEADER_SEARCH_ROWS])
    try:
        rows: list[list[object]] = [
            [c if c.strip() else None for c in record]
            for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise InventoryFileError(
            path,
            f"cannot be read as CSV: {error}",
            hint="check for a stray delimiter or an unclosed quote",
        ) from error
    return rows, issues


def _read_workbook(path: Path, given: dict[str, int], detect: dict[str, bool]) -> Register:
    import openpyxl  # deferred: only needed for workbooks

    check_workbook(path)
    full_check = path.stat().st_size <= XLSX_FULL_CHECK_BYTES
    try:
        workbook = openpyxl.load_workbook(path, read_only=not full_check, data_only=True)
        formulas = (
            openpyxl.load_workbook(path, read_only=False, data_only=False) if full_check else None
        )
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise InventoryFileError(path, f"cannot be opened as a workbook: {error}") from error
    tables: dict[str, RegisterTable] = {}
    issues: list[Issue] = []
    try:
        for sheet_name in workbook.sheetnames:
            source = f"{path.name}[{sheet_name}]"
            grid = [
                [cell_text(v) for v in row]
                for row in sheet_values(
                    workbook[sheet_name], path, *([formulas[sheet_name]] if formulas else [])
                )
            ]
            merged: frozenset[int] = frozenset()
            notes: list[Issue] = []
            if formulas is not None:
                merged = _row_merges(formulas[sheet_name], grid)
                notes = resolve_merges_and_formulas(grid, formulas[sheet_name], source)
                for r in merged:  # a heading merged across the row keeps one cell
                    heading = next(c for c in grid[r] if c is not None and str(c).strip())
                    grid[r] = [heading, *([None] * (len(grid[r]) - 1))]
            table, found = _table(
                sheet_name,
                source,
                grid,
                merged=frozenset(r + 1 for r in merged),
                notes=notes,
                header_row=given.get(sheet_name.lower()),
                sections=detect.get(sheet_name.lower(), True),
            )
            if table is None:
                if any(filled_cells(r) for r in grid):
                    issues.append(
                        Issue(
                            source,
                            None,
                            None,
                            None,
                            "holds no table (no header row with data below it); not read",
                            severity="warning",
                        )
                    )
                continue
            tables[sheet_name] = table
            issues += found
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()
    return Register(tables, (str(path),), file_digest([path]), tuple(issues))


def _row_merges(sheet, grid: list[list[object]]) -> frozenset[int]:
    """Rows (0-based) whose only content is one cell merged across at least half the row."""
    width = max((len(r) for r in grid), default=0)
    rows = set()
    for merged in sheet.merged_cells.ranges:
        top = merged.min_row - 1
        if merged.max_row != merged.min_row or top >= len(grid):
            continue
        span = merged.max_col - merged.min_col + 1
        others = [
            c
            for position, c in enumerate(grid[top])
            if not merged.min_col - 1 <= position < merged.max_col
            and c is not None
            and str(c).strip()
        ]
        if span * 2 >= width and not others:
            rows.add(top)
    return frozenset(rows)
