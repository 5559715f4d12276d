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
:mod:`inventory.parse`'s job. :func:`write_inventory` writes an inventory back in the same
formats.

(Over 600 lines for now: one reader per format, each small; the readers move to their own
modules with the register reader, which finds headers, sections and mappings.)
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from inventory.errors import InventoryFileError, MissingFileError
from inventory.model import DERIVED_COLUMNS
from inventory.report import Issue, Severity
from inventory.schema import DEPENDENCIES, SYSTEMS, canonical_column, enum_key
from inventory.spreadsheet import neutralise

__all__ = [
    "RawInventory",
    "RawTable",
    "format_money",
    "inventory_tables",
    "read_raw",
    "write_inventory",
]

#: Limits that keep a hostile file from exhausting memory.
MAX_XLSX_UNCOMPRESSED_BYTES = 1_000_000_000
MAX_XLSX_COMPRESSION_RATIO = 200
MAX_JSON_DEPTH = 32
MAX_DOCUMENT_VALUES = 50_000_000
#: Workbooks up to this size are also read formulas-and-all to fill merged cells and check
#: formulas; bigger ones are streamed.
XLSX_FULL_CHECK_BYTES = 25_000_000


@dataclass(frozen=True)
class RawTable:
    """One table as read: canonical column names, text cells, index = row numbers shown."""

    name: str
    source: str
    cells: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    row_label: str = "row"


@dataclass(frozen=True)
class RawInventory:
    """The tables read from one input, the files they came from and their SHA-256."""

    tables: dict[str, RawTable]
    files: tuple[str, ...]
    sha256: str
    issues: tuple[Issue, ...] = ()


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
        return _read_document(path, _load_json)
    if suffix in (".yaml", ".yml"):
        return _read_document(path, _load_yaml)
    raise InventoryFileError(
        path,
        f"'{path.suffix}' is not an inventory format",
        hint="use a folder of CSV files, an .xlsx workbook, or a .json or .yaml file",
    )


def _sha256(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for p in paths:
        digest.update(p.name.encode())
        digest.update(p.read_bytes())
    return digest.hexdigest()


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

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_text(path: Path) -> tuple[str, str]:
    """Decode a text file: BOM-marked UTF-8/UTF-16, else UTF-8, else Windows-1252.

    Returns the text and the encoding used. Excel's "Unicode text" is UTF-16 with a BOM;
    older Excel CSV exports are Windows-1252, whose pound sign is byte 0xA3.
    """
    data = path.read_bytes()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if b"\x00" in data[:4096]:
        raise InventoryFileError(
            path,
            "looks like a binary file, not CSV text",
            hint="save it from Excel as 'CSV UTF-8 (Comma delimited)'",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError as error:
            raise InventoryFileError(
                path,
                f"is neither UTF-8 nor Windows-1252 text (byte {error.start})",
                hint="save it from Excel as 'CSV UTF-8 (Comma delimited)'",
            ) from error


#: An apostrophe-protected formula at the start of a CSV cell (quoted or not).
_PROTECTED_CELL = re.compile(r"(?:^|[,;\t])\"?'[=+\-@\t\r]", re.M)


def sniff_delimiter(lines: list[str]) -> str:
    """Pick ',', ';' or tab: whichever the most delimited of ``lines`` holds most of.

    >>> sniff_delimiter(["Trust register, 2024", "id;name;category", "pas;PAS;PAS"])
    ';'
    """
    best, most = ",", 0
    for delimiter in (",", ";", "\t"):
        count = max((line.count(delimiter) for line in lines), default=0)
        if count > most:
            best, most = delimiter, count
    return best


def _sniff_delimiter(text: str) -> str:
    """Pick ',', ';' or tab: whichever the header line holds most of (comma on a tie)."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv(path: Path, name: str) -> tuple[RawTable, list[Issue]]:
    text, encoding = decode_text(path)
    source = path.name
    issues: list[Issue] = []
    if encoding == "windows-1252":
        issues.append(
            Issue(
                source,
                None,
                None,
                None,
                "read as Windows-1252 because it is not valid UTF-8; check that '£' and accented "
                "names came through",
                severity="warning",
            )
        )
    if not text.strip():
        return RawTable(name, source, pd.DataFrame()), [
            *issues,
            Issue(source, None, None, None, "the file is empty; it needs a header row"),
        ]
    skip, header_index = _title_lines(text)
    if skip:
        issues.append(_title_issue(source, header_index))
        text = "".join(text.splitlines(keepends=True)[skip:])
    delimiter = _sniff_delimiter(text)
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


def _title_lines(text: str) -> tuple[int, int]:
    """Lines above the header (title and blank lines) and the header's record number (0-based).

    The header is found by :func:`inventory.register.find_header_row`; a file whose first line
    is the header gives ``(0, 0)``.
    """
    from inventory.register import HEADER_SEARCH_ROWS, find_header_row

    lines = text.splitlines(keepends=True)[: HEADER_SEARCH_ROWS + 10]
    reader = csv.reader(lines, delimiter=sniff_delimiter(lines[:HEADER_SEARCH_ROWS]))
    records, starts, line = [], [], 0
    try:
        for record in reader:
            starts.append(line)
            records.append(record)
            line = reader.line_num
    except csv.Error:
        return 0, 0
    index = find_header_row(records)
    return (starts[index], index) if records else (0, 0)


def _title_issue(source: str, header_index: int) -> Issue:
    return Issue(
        source,
        header_index + 1,
        None,
        None,
        f"the header is on row {header_index + 1}; the rows above it were read as a title",
        severity="warning",
    )


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
    return RawInventory(tables, tuple(str(f) for f in files), _sha256(files), tuple(issues))


# --- XLSX ------------------------------------------------------------------------------


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as error:
        raise InventoryFileError(
            path, "is not an Excel workbook (.xlsx files are zip archives)"
        ) from error
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_XLSX_UNCOMPRESSED_BYTES or total / packed > MAX_XLSX_COMPRESSION_RATIO:
        raise InventoryFileError(
            path,
            f"unpacks to {total:,} bytes from {packed:,} (a zip bomb?); refusing to open it",
            hint="export the sheets as CSV instead",
        )


def _cell_text(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> RawInventory:
    """Read the systems and dependencies sheets.

    Workbooks up to :data:`XLSX_FULL_CHECK_BYTES` are also opened a second time, formulas
    and all, so that merged cells can be filled and formulas reported; larger ones are
    streamed (values only).
    """
    import openpyxl  # deferred: only needed for workbooks

    _check_zip(path)
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
                        hint="name the sheets 'systems' and 'dependencies'",
                    )
                continue
            source = f"{path.name}[{sheet_name}]"
            grid = [list(row) for row in workbook[sheet_name].iter_rows(values_only=True)]
            notes: list[Issue] = []
            if formulas is not None:
                notes = _resolve_merges_and_formulas(grid, formulas[sheet_name], source)
            from inventory.register import find_header_row

            rows = [[_cell_text(v) for v in row] for row in grid]
            header_index = find_header_row(rows)
            if any(c is not None and str(c).strip() for row in rows[:header_index] for c in row):
                issues.append(_title_issue(source, header_index))
            rows = rows[header_index:]
            table, found = _frame_from_rows(name, source, rows, header_index + 1, letters=True)
            tables[name] = table
            issues += found + _name_columns(notes, rows[0] if rows else [])
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()
    return RawInventory(tables, (str(path),), _sha256([path]), tuple(issues))


_FORMULA_MISSING = "is a formula with no saved value"
_FORMULA_SAVED = "formula read as its saved value"


def _resolve_merges_and_formulas(grid: list[list], sheet, source: str) -> list[Issue]:
    """Fill merged ranges with their value and check formula cells; issues name a column
    *letter* for now (replaced by the header name in :func:`_name_columns`)."""
    from openpyxl.utils import get_column_letter

    notes: list[Issue] = []
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row.extend([None] * (width - len(row)))
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(grid) or left >= width:
            continue
        value = grid[top][left]
        for r in range(top, min(merged.max_row, len(grid))):
            for c in range(left, min(merged.max_col, width)):
                grid[r][c] = value
        if merged.max_row > merged.min_row:
            notes.append(
                Issue(
                    source,
                    merged.min_row,
                    get_column_letter(merged.min_col),
                    None if value is None else str(_cell_text(value)),
                    f"merged cells {merged.coord}: the value was applied to every row of the range",
                    severity="warning",
                )
            )
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type != "f":
                continue
            r, c = cell.row - 1, cell.column - 1
            missing = r < len(grid) and c < width and grid[r][c] is None
            severity: Severity
            message, severity = (
                (
                    f"{_FORMULA_MISSING}; open the workbook in Excel and save it, or "
                    "paste the values in place of the formulas",
                    "error",
                )
                if missing
                else (_FORMULA_SAVED, "warning")
            )
            notes.append(
                Issue(
                    source,
                    cell.row,
                    cell.column_letter,
                    str(cell.value)[:80],
                    message,
                    severity=severity,
                )
            )
    return _summarise_formulas(notes)


def _summarise_formulas(notes: list[Issue]) -> list[Issue]:
    """One warning per column for formulas read as saved values, not one per cell."""
    kept = [n for n in notes if n.message != _FORMULA_SAVED]
    by_column: dict[str, list[int]] = {}
    for note in notes:
        if note.message == _FORMULA_SAVED and note.column and note.row:
            by_column.setdefault(note.column, []).append(note.row)
    for column, rows in by_column.items():
        where = f"row {rows[0]}" if len(rows) == 1 else f"rows {min(rows)}-{max(rows)}"
        count = "1 formula" if len(rows) == 1 else f"{len(rows)} formulas"
        kept.append(
            Issue(
                notes[0].source,
                min(rows),
                column,
                None,
                f"{count} in column {{column}} ({where}) read as saved values from Excel",
                severity="warning",
            )
        )
    return kept


def _name_columns(notes: list[Issue], header: list[object]) -> list[Issue]:
    """Replace column letters in issues with the header's canonical name."""
    from openpyxl.utils import column_index_from_string

    named = []
    for note in notes:
        column = note.column
        if column and column.isalpha():
            position = column_index_from_string(column) - 1
            if position < len(header) and header[position] is not None:
                column = canonical_column(str(header[position])) or column
        prefix = f"{column} " if column and note.severity == "error" else ""
        message = note.message.replace("{column}", str(column))
        named.append(
            Issue(
                note.source,
                note.row,
                column,
                note.value,
                prefix + message,
                note.severity,
                note.row_label,
            )
        )
    return named


# --- JSON / YAML -----------------------------------------------------------------------


def _check_shape(path: Path, value: object) -> None:
    """Refuse documents nested deeper than MAX_JSON_DEPTH or holding more than
    MAX_DOCUMENT_VALUES values (checked without recursion)."""
    stack, seen = [(value, 1)], 0
    while stack:
        item, level = stack.pop()
        seen += 1
        if level > MAX_JSON_DEPTH:
            raise InventoryFileError(
                path, f"is nested more than {MAX_JSON_DEPTH} levels deep; refusing to read it"
            )
        if seen > MAX_DOCUMENT_VALUES:
            raise InventoryFileError(
                path,
                f"holds more than {MAX_DOCUMENT_VALUES:,} values; refusing to read it",
                hint="split it, or use CSV for very large inventories",
            )
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)


def _no_duplicate_keys(path: Path):
    def build(pairs: list[tuple[str, object]]) -> dict:
        record: dict = {}
        for key, value in pairs:
            if key in record:
                raise InventoryFileError(
                    path, f"has the key '{key}' twice in one object; keep one of them"
                )
            record[key] = value
        return record

    return build


def _load_json(path: Path) -> object:
    text, _ = decode_text(path)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys(path))
    except RecursionError as error:
        raise InventoryFileError(
            path, f"is nested more than {MAX_JSON_DEPTH} levels deep; refusing to read it"
        ) from error
    except json.JSONDecodeError as error:
        what = error.msg.removesuffix(" at").lower()
        raise InventoryFileError(
            path, f"is not valid JSON at line {error.lineno}, column {error.colno}: {what}"
        ) from error


class _PlainLoader(yaml.SafeLoader):
    """Safe loading, and no anchors or aliases: an inventory never needs them and they are
    how a small file expands into a huge one (the 'billion laughs')."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


def _load_yaml(path: Path) -> object:
    text, _ = decode_text(path)
    try:
        return yaml.load(text, Loader=_PlainLoader)
    except yaml.constructor.ConstructorError as error:
        raise InventoryFileError(
            path,
            f"uses a YAML tag that is not allowed ({error.problem}); only plain data is read",
            hint="remove tags such as !!python/object",
        ) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None)
        detail = f": {problem}" if problem else ""
        raise InventoryFileError(path, f"is not valid YAML{where}{detail}") from error
    except RecursionError as error:
        raise InventoryFileError(
            path, f"is nested more than {MAX_JSON_DEPTH} levels deep; refusing to read it"
        ) from error


def _document_cell(value: object) -> object:
    """Turn a JSON/YAML value into the text a spreadsheet cell would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime | dt.date):
        return _cell_text(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(_document_cell(v)) for v in value if v is not None)
    if isinstance(value, dict):
        keys = [str(k).lower() for k in value]
        if keys and set(keys) <= {"low", "likely", "high"}:
            parts = {str(k).lower(): _document_cell(v) for k, v in value.items()}
            if len(parts) == 1:
                return str(next(iter(parts.values())))
            return "/".join(str(parts.get(k, "")) for k in ("low", "likely", "high"))
        return "; ".join(f"{k}: {_document_cell(v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_document(path: Path, load) -> RawInventory:
    document = load(path)
    _check_shape(path, document)
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
    return RawInventory(tables, (str(path),), _sha256([path]), tuple(issues))


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


def format_money(value: float) -> str:
    """Write pounds the way people do, exactly: 5500000 -> '£5.5m', 250000 -> '£250k'.

    >>> format_money(5_500_000), format_money(250_000), format_money(1_234_567)
    ('£5.5m', '£250k', '£1,234,567')
    """
    if value != value:  # NaN
        return ""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000 and round(value / 10_000) * 10_000 == value:
        return f"{sign}£{value / 1_000_000:g}m"
    if value >= 1_000 and round(value / 100) * 100 == value:
        return f"{sign}£{value / 1_000:g}k"
    return f"{sign}£{value:,.0f}" if float(value).is_integer() else f"{sign}£{value:,.2f}"


def _format_number(value: float) -> str:
    return "" if value != value else f"{value:g}"


def inventory_tables(inventory) -> dict[str, pd.DataFrame]:
    """The inventory as text tables in the import format (one range per column).

    Reading these tables back gives the same inventory: dates are ISO, money uses
    :func:`format_money`, lists are separated by '; ', team demand is 'team: amount'.
    """
    out = {}
    frames = {
        "systems": inventory.systems.reset_index(),
        "dependencies": inventory.dependencies,
    }
    for name, fields in (("systems", SYSTEMS), ("dependencies", DEPENDENCIES)):
        frame = frames[name]
        table = pd.DataFrame(index=frame.index)
        for f in fields.values():
            if f.kind in ("money_range", "months_range"):
                show = format_money if f.kind == "money_range" else _format_number
                parts = [frame[c] for c in f.columns]
                table[f.name] = [_range_text(values, show) for values in zip(*parts, strict=True)]
                continue
            series = frame[f.name]
            if f.kind == "date":
                text = pd.to_datetime(series).dt.strftime("%Y-%m-%d")
                table[f.name] = text.astype("object").where(text.notna(), "")
            elif f.kind == "money":
                table[f.name] = series.map(format_money)
            elif f.kind == "bool":
                table[f.name] = series.map(lambda v: "yes" if v else "no")
            elif f.kind in ("ref_list", "text_list"):
                table[f.name] = series.map(lambda v: "; ".join(v) if v else "")
            elif f.kind == "team_demand":
                table[f.name] = series.map(
                    lambda v: "; ".join(f"{k}: {a:g}" for k, a in v.items()) if v else ""
                )
            elif f.kind == "int":
                table[f.name] = series.map(lambda v: "" if pd.isna(v) else str(int(v)))
            else:
                table[f.name] = series.map(lambda v: "" if v is None or pd.isna(v) else str(v))
        known = {c for f in fields.values() for c in (f.name, *f.columns)} | DERIVED_COLUMNS
        for column in [c for c in frame.columns if c not in known]:
            table[column] = frame[column].map(lambda v: "" if v is None or pd.isna(v) else str(v))
        out[name] = table.astype("object")
    return out


def _range_text(values: tuple, show) -> str:
    if all(v != v for v in values):
        return ""
    if values[0] == values[1] == values[2]:
        return show(values[0])
    return "/".join(show(v) for v in values)


def write_inventory(inventory, path: str | Path) -> list[Path]:
    """Write an inventory as a CSV folder, an .xlsx workbook, or a .json/.yaml document.

    Text that a spreadsheet would run as a formula is neutralised in CSV and XLSX.
    Returns the files written.
    """
    path = Path(path)
    tables = inventory_tables(inventory)
    suffix = path.suffix.lower()
    if suffix in (".json", ".yaml", ".yml"):
        document = {
            name: [
                {k: v for k, v in record.items() if v != ""} for record in table.to_dict("records")
            ]
            for name, table in tables.items()
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".json":
            path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
        else:
            path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
        return [path]
    safe = {
        name: table.map(lambda v: neutralise(v) if isinstance(v, str) else v)
        for name, table in tables.items()
    }
    if suffix == ".xlsx":
        import openpyxl
        from openpyxl.utils import get_column_letter

        workbook = openpyxl.Workbook()
        workbook.remove(workbook.worksheets[0])  # the blank sheet a new workbook starts with
        for name, table in safe.items():
            sheet = workbook.create_sheet(name)
            sheet.append(list(table.columns))
            for row in table.itertuples(index=False, name=None):
                sheet.append(list(row))
            sheet.freeze_panes = "A2"
            for position, column in enumerate(table.columns, 1):
                width = max([len(str(column))] + [len(str(v)) for v in table[column].head(200)])
                sheet.column_dimensions[get_column_letter(position)].width = min(60, width + 2)
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
        return [path]
    if suffix:
        raise InventoryFileError(
            path, f"cannot write '{suffix}'", hint="use a folder, .xlsx, .json or .yaml"
        )
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in safe.items():
        target = path / f"{name}.csv"
        table.to_csv(target, index=False, lineterminator="\n")
        written.append(target)
    return written
