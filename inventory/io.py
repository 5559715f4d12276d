"""Reading inventory files into raw text tables: encodings, delimiters, sheets, headers.

Supported inputs
----------------
- a folder holding ``systems.csv`` and, optionally, ``dependencies.csv`` (or the path of
  ``systems.csv`` itself);
- an ``.xlsx`` workbook with ``systems`` and ``dependencies`` sheets;
- a ``.json`` or ``.yaml``/``.yml`` document ``{"systems": [...], "dependencies": [...]}`` (a
  bare list is read as systems).

Every cell comes back as text (or NA), headers are matched case- and space-insensitively
(:func:`inventory.schema.canonical_column`) and file-level problems (a duplicate header, a
missing sheet) are returned as :class:`inventory.report.Issue`. Files that cannot be read at
all raise :class:`InventoryFileError`. Nothing here parses values; that is
:mod:`inventory.parse`'s job; :mod:`inventory.write` writes an inventory back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

from inventory.errors import InventoryFileError, MissingFileError
from inventory.files import (
    XLSX_FULL_CHECK_BYTES,
    RawInventory,
    RawTable,
    cell_text,
    check_shape,
    check_workbook,
    decode_text,
    encoding_issues,
    file_digest,
    find_header_row,
    load_json,
    load_yaml,
    name_columns,
    resolve_merges_and_formulas,
    sheet_values,
    sniff_delimiter,
    title_issue,
    title_lines,
)
from inventory.report import Issue
from inventory.schema import canonical_column, enum_key

__all__ = ["read_raw"]


def read_raw(path: str | Path) -> RawInventory:
    """Read an inventory file or folder into raw text tables.

    Examples
    --------
    >>> raw = read_raw("data/sample-trust")
    >>> sorted(raw.tables)
    ['dependencies', 'systems']
    >>> raw.tables["systems"].cells.index[0]  # spreadsheet row of the first system
    2
    """
    path = Path(path)
    if not path.exists():
        raise MissingFileError(path)
    if path.is_dir() or path.suffix.lower() == ".csv":
        return _read_csv_folder(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".json":
        return _read_document(path, load_json)
    if suffix in (".yaml", ".yml"):
        return _read_document(path, load_yaml)
    raise InventoryFileError(
        path,
        f"'{path.suffix}' is not an inventory format",
        hint="use a folder of CSV files, an .xlsx workbook, or a .json or .yaml file",
    )


def _normalise_headers(
    headers: list[object], source: str, letters: bool
) -> tuple[list[str], dict[str, str], list[Issue]]:
    """Canonical names for headers; duplicates and blanks become issues (first one wins)."""
    issues: list[Issue] = []
    names: list[str] = []
    seen: dict[str, int] = {}
    originals: dict[str, str] = {}
    for position, header in enumerate(headers):
        text = (
            "" if header is None or (isinstance(header, float) and pd.isna(header)) else str(header)
        )
        name = canonical_column(text)
        where = _column_label(position, letters)
        if not name:
            names.append(f"__blank_{position}")
            continue
        if name in seen:
            first = _column_label(seen[name], letters)
            issues.append(
                Issue(
                    source,
                    None,
                    name,
                    text,
                    f"column '{name}' appears twice ({first} and {where}); "
                    "delete or rename one of them",
                )
            )
            names.append(f"__duplicate_{position}")
            continue
        seen[name] = position
        originals[name] = text
        names.append(name)
    return names, originals, issues


def _column_label(position: int, letters: bool) -> str:
    if not letters:
        return f"column {position + 1}"
    label, n = "", position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        label = chr(65 + rem) + label
    return f"column {label}"


def _frame_from_rows(
    name: str, source: str, rows: list[list[object]], first_row: int, letters: bool
) -> tuple[RawTable, list[Issue]]:
    """Build a RawTable from a header row and data rows; blank rows are skipped."""
    if not rows:
        return RawTable(name, source, pd.DataFrame()), [
            Issue(source, None, None, None, "the file is empty; it needs a header row")
        ]
    header, *data = rows
    names, originals, issues = _normalise_headers(list(header), source, letters)
    width = len(names)
    frame = pd.DataFrame(
        [list(r[:width]) + [None] * (width - len(r)) for r in data],
        columns=names,
        dtype="object",
    )
    frame.index = pd.RangeIndex(first_row + 1, first_row + 1 + len(frame))
    return _finish_table(name, source, frame, originals, issues)


def _finish_table(
    name: str,
    source: str,
    frame: pd.DataFrame,
    originals: dict[str, str],
    issues: list[Issue],
    row_label: str = "row",
    protected_cells: bool = True,
) -> tuple[RawTable, list[Issue]]:
    for column in [c for c in frame.columns if c.startswith("__blank_")]:
        cells = frame[column].astype("object")
        filled = cells.notna() & cells.astype(str).str.strip().ne("")
        if filled.any():
            position = int(column.rsplit("_", 1)[1])
            first = frame.index[filled.to_numpy()][0]
            issues.append(
                Issue(
                    source,
                    int(first),
                    None,
                    str(cells[filled].iloc[0]),
                    f"the column at position {position + 1} has no header but holds "
                    f"{int(filled.sum())} value(s); give it a header or delete it",
                    row_label=row_label,
                )
            )
    frame = frame[[c for c in frame.columns if not c.startswith("__")]]
    blank = pd.Series(True, index=frame.index)
    for column in frame.columns:
        if not blank.any():
            break
        cells = frame.loc[blank, column].astype("object")
        blank[blank] = cells.str.strip().fillna("").eq("").to_numpy()
    frame = frame[~blank]
    for column in frame.columns if protected_cells else ():
        cells = frame[column].astype("object")
        protected = cells.str.match(r"^'[=+\-@\t\r]").fillna(False).astype(bool)
        if protected.any():
            frame = frame.copy() if frame is not None else frame
            frame.loc[protected, column] = cells[protected].str[1:]
    return RawTable(name, source, frame, originals, row_label), issues


# --- CSV -------------------------------------------------------------------------------


#: An apostrophe-protected formula at the start of a CSV cell (quoted or not).
_PROTECTED_CELL = re.compile(r"(?:^|[,;\t])\"?'[=+\-@\t\r]", re.M)


def _read_csv(path: Path, name: str) -> tuple[RawTable, list[Issue]]:
    text, encoding = decode_text(path)
    source = path.name
    issues = encoding_issues(source, encoding)
    if not text.strip():
        return RawTable(name, source, pd.DataFrame()), [
            *issues,
            Issue(source, None, None, None, "the file is empty; it needs a header row"),
        ]
    skip, header_index = title_lines(text)
    if skip:
        issues.append(title_issue(source, header_index))
        text = "".join(text.splitlines(keepends=True)[skip:])
    delimiter = sniff_delimiter(text.split("\n", 1)[:1])  # the header line's
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    except pd.errors.ParserError as error:
        raise InventoryFileError(
            path,
            f"cannot be read as CSV: {_short_parser_message(error)}",
            hint="check for a stray delimiter or an unclosed quote on that line",
        ) from error
    except pd.errors.EmptyDataError:
        return RawTable(name, source, pd.DataFrame()), [
            *issues,
            Issue(source, None, None, None, "the file is empty; it needs a header row"),
        ]
    header = frame.iloc[0].tolist()
    names, originals, header_issues = _normalise_headers(header, source, letters=False)
    data = frame.iloc[1:].copy()
    data.columns = names
    data = data.astype("object")
    data.index = pd.RangeIndex(header_index + 2, header_index + 2 + len(data))
    # only look cell by cell for apostrophe-protected formulas when the text has any
    protected = any(f"'{c}" in text for c in "=+-@\t\r") and bool(_PROTECTED_CELL.search(text))
    table, more = _finish_table(
        name, source, data, originals, header_issues, protected_cells=protected
    )
    return table, issues + more


def _short_parser_message(error: Exception) -> str:
    """pandas' parser message, with its 0-based 'row N' turned into the spreadsheet row."""
    message = str(error).strip().splitlines()[-1]
    message = message.replace("Error tokenizing data. C error: ", "")
    return re.sub(r"starting at row (\d+)", lambda m: f"starting on row {int(m[1]) + 1}", message)


def _find_file(folder: Path, stem: str) -> Path | None:
    for candidate in sorted(folder.iterdir()):
        is_csv = candidate.is_file() and candidate.suffix.lower() == ".csv"
        if is_csv and enum_key(candidate.stem) == enum_key(stem):
            return candidate
    return None


def _read_csv_folder(path: Path) -> RawInventory:
    folder = path if path.is_dir() else path.parent
    systems = path if not path.is_dir() else _find_file(folder, "systems")
    if systems is None:
        raise InventoryFileError(
            path,
            "holds no systems.csv",
            hint="put systems.csv (and dependencies.csv) in the folder",
        )
    dependencies = _find_file(folder, "dependencies")
    tables: dict[str, RawTable] = {}
    issues: list[Issue] = []
    files = [systems] + ([dependencies] if dependencies else [])
    for name, file in zip(("systems", "dependencies"), files, strict=False):
        table, found = _read_csv(file, name)
        tables[name] = table
        issues += found
    return RawInventory(tables, tuple(str(f) for f in files), file_digest(files), tuple(issues))


# --- XLSX ------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> RawInventory:
    """Read the systems and dependencies sheets.

    Workbooks up to :data:`XLSX_FULL_CHECK_BYTES` are also opened a second time, formulas
    and all, so that merged cells can be filled and formulas reported; larger ones are
    streamed (values only).
    """
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
    tables: dict[str, RawTable] = {}
    issues: list[Issue] = []
    try:
        sheets = {enum_key(name): name for name in workbook.sheetnames}
        for name in ("systems", "dependencies"):
            sheet_name = sheets.get(name)
            if sheet_name is None:
                if name == "systems":
                    raise InventoryFileError(
                        path,
                        f"has no 'systems' sheet (sheets: {', '.join(workbook.sheetnames)})",
                        hint="name the sheets 'systems' and 'dependencies', or, for a register "
                        "kept in its own layout, read it through a column mapping "
                        "(inventory.propose_mapping proposes one)",
                        own_layout=True,
                    )
                continue
            source = f"{path.name}[{sheet_name}]"
            grid = sheet_values(
                workbook[sheet_name], path, *([formulas[sheet_name]] if formulas else [])
            )
            notes: list[Issue] = []
            if formulas is not None:
                notes = resolve_merges_and_formulas(grid, formulas[sheet_name], source)
            rows = [[cell_text(v) for v in row] for row in grid]
            header_index = find_header_row(rows)
            if any(c is not None and str(c).strip() for row in rows[:header_index] for c in row):
                issues.append(title_issue(source, header_index))
            rows = rows[header_index:]
            table, found = _frame_from_rows(name, source, rows, header_index + 1, letters=True)
            tables[name] = table
            issues += found + name_columns(notes, rows[0] if rows else [])
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()
    return RawInventory(tables, (str(path),), file_digest([path]), tuple(issues))


# --- JSON / YAML -----------------------------------------------------------------------


def _document_cell(value: object) -> object:
    """Turn a JSON/YAML value into the text a spreadsheet cell would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime | dt.date):
        return cell_text(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(_document_cell(v)) for v in value if v is not None)
    if isinstance(value, dict):
        keys = [str(k).lower() for k in value]
        if keys and set(keys) <= {"low", "likely", "high"}:
            parts = {  # a null part is a blank one
                str(k).lower(): "" if v is None else str(_document_cell(v))
                for k, v in value.items()
            }
            if len(parts) == 1:
                return next(iter(parts.values()))
            return "/".join(parts.get(k, "") for k in ("low", "likely", "high"))
        return "; ".join(f"{k}: {_document_cell(v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_document(path: Path, load) -> RawInventory:
    document = load(path)
    check_shape(path, document)
    if isinstance(document, list):
        document = {"systems": document}
    if not isinstance(document, dict):
        raise InventoryFileError(
            path,
            "must hold an object with 'systems' and 'dependencies' lists",
            hint='write it as {"systems": [...], "dependencies": [...]}',
        )
    keys = {enum_key(str(k)): k for k in document}
    if "systems" not in keys:
        raise InventoryFileError(
            path,
            "has no 'systems' list",
            hint='write it as {"systems": [...], "dependencies": [...]}',
        )
    tables: dict[str, RawTable] = {}
    issues: list[Issue] = []
    for name in ("systems", "dependencies"):
        if name not in keys:
            continue
        records = document[keys[name]]
        source = f"{path.name}[{name}]"
        if not isinstance(records, list):
            raise InventoryFileError(path, f"'{name}' must be a list of records")
        table, found = _records_table(name, source, records)
        tables[name] = table
        issues += found
    return RawInventory(tables, (str(path),), file_digest([path]), tuple(issues))


def _records_table(name: str, source: str, records: list[object]) -> tuple[RawTable, list[Issue]]:
    issues: list[Issue] = []
    columns: dict[str, str] = {}
    rows: list[dict[str, object]] = []
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            issues.append(
                Issue(
                    source,
                    number,
                    None,
                    str(record)[:80],
                    "is not a record of field: value pairs",
                    row_label="item",
                )
            )
            rows.append({})
            continue
        row: dict[str, object] = {}
        for key, value in record.items():
            column = canonical_column(str(key))
            if column in row:
                issues.append(
                    Issue(
                        source,
                        number,
                        column,
                        str(key),
                        f"field '{column}' is given twice in this record; keep one",
                        row_label="item",
                    )
                )
                continue
            columns.setdefault(column, str(key))
            row[column] = _document_cell(value)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(columns), dtype="object")
    frame.index = pd.RangeIndex(1, 1 + len(frame))
    return _finish_table(name, source, frame, columns, issues, row_label="item")


# --- writing ---------------------------------------------------------------------------
