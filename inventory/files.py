"""Files as cells: decoding text, finding the delimiter and the header row, opening
workbooks safely (merged cells, formulas, zip bombs), loading JSON and YAML safely, and the
raw-table types every reader returns.

Both readers build on this: :mod:`inventory.io` for files in the inventory format and
:mod:`inventory.register` for registers kept in a trust's own layout.

Examples
--------
>>> find_header_row([["Register v3", None], [None, None], ["id", "name"], ["pas", "PAS"]])
2
>>> sniff_delimiter(["Trust register, 2024", "id;name;category", "pas;PAS;PAS"])
';'
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import datetime as dt
import hashlib
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import yaml

from inventory.characters import describe
from inventory.errors import InventoryFileError
from inventory.output import note_input
from inventory.report import Issue, Severity
from inventory.schema import canonical_column

__all__ = [
    "HEADER_SEARCH_ROWS",
    "XLSX_FULL_CHECK_BYTES",
    "DuplicateKeyError",
    "PlainLoader",
    "RawInventory",
    "RawTable",
    "cell_text",
    "check_shape",
    "check_workbook",
    "decode_text",
    "encoding_issues",
    "file_digest",
    "file_sha256",
    "filled_cells",
    "find_header_row",
    "load_json",
    "load_yaml",
    "name_columns",
    "resolve_merges_and_formulas",
    "sheet_values",
    "sniff_delimiter",
    "title_issue",
    "title_lines",
    "too_many_digits",
    "yaml_problem",
]

#: Limits that keep a hostile file from exhausting memory.
MAX_XLSX_UNCOMPRESSED_BYTES = 1_000_000_000


MAX_XLSX_COMPRESSION_RATIO = 200


MAX_JSON_DEPTH = 32


MAX_DOCUMENT_VALUES = 50_000_000


#: Workbooks up to this size are also read formulas-and-all to fill merged cells and check
#: formulas; bigger ones are streamed.
XLSX_FULL_CHECK_BYTES = 25_000_000

#: The most cells (rows x columns, up to the last cell holding a value) a sheet is read with:
#: a stray value at XFD1048576 would otherwise make a 5 KB workbook 17 billion cells.
XLSX_MAX_CELLS = 20_000_000

#: The most empty rows a value may lie below the rest of a sheet's table.
XLSX_MAX_BLANK_ROWS = 10_000


@dataclass(frozen=True)
class RawTable:
    """One table as read: canonical column names, text cells, index = row numbers shown;
    ``mapped`` when a column mapping named its fields (its other columns are the register's
    own, never misspelt fields)."""

    name: str
    source: str
    cells: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    row_label: str = "row"
    mapped: bool = False


@dataclass(frozen=True)
class RawInventory:
    """The tables read from one input, the files they came from and their SHA-256."""

    tables: dict[str, RawTable]
    files: tuple[str, ...]
    sha256: str
    issues: tuple[Issue, ...] = ()


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, in hex (what ``sha256sum`` prints), read a MiB at a
    time."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_digest(paths: Iterable[Path]) -> str:
    """The SHA-256 an import is recorded by: of the file's bytes for one file
    (:func:`file_sha256`), of each file's name and bytes in turn for a folder of them.
    Every reader takes it, so each file is noted as an input no output may replace."""
    paths = list(paths)
    for path in paths:
        note_input(path)
    if len(paths) == 1:
        return file_sha256(paths[0])
    digest = hashlib.sha256()
    for p in paths:
        digest.update(p.name.encode())
        digest.update(p.read_bytes())
    return digest.hexdigest()


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


#: Where :func:`decode_text` read bytes as Windows-1252 (the offsets, for its warning).
_LEGACY_BYTES: contextvars.ContextVar[list[int]] = contextvars.ContextVar("legacy_bytes")
_AS_WINDOWS_1252 = "modernise-windows-1252"


def _as_windows_1252(error: UnicodeError) -> tuple[str | bytes, int]:
    """A codec error handler: bytes that are not UTF-8 read as Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    _LEGACY_BYTES.get().append(error.start)
    try:
        return error.object[error.start : error.end].decode("cp1252"), error.end
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined: say where in the file
        raise UnicodeDecodeError(
            "cp1252", error.object, error.start, error.end, "undefined in Windows-1252"
        ) from None


codecs.register_error(_AS_WINDOWS_1252, _as_windows_1252)


def decode_text(path: Path) -> tuple[str, str]:
    """Decode a text file: BOM-marked UTF-8/UTF-16, else UTF-8, else Windows-1252.

    Returns the text and the encoding used ('utf-8', 'utf-8-sig', 'utf-16',
    'windows-1252', or 'windows-1252 on lines 3, 9' when only bytes on those lines are not
    UTF-8, read as Windows-1252 one by one).
    Excel's "Unicode text" is UTF-16 with a BOM; older Excel CSV exports are Windows-1252,
    whose pound sign is byte 0xA3. The file is noted as an input no output may replace.
    """
    note_input(path)
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
        pass
    # what is not UTF-8 is read as Windows-1252, byte by byte, and the rest stays UTF-8: a
    # file saved as UTF-8 with a few cells pasted in from a Windows-1252 one keeps its '£'
    legacy: list[int] = []  # where those bytes start
    token = _LEGACY_BYTES.set(legacy)
    try:
        text = data.decode("utf-8", errors=_AS_WINDOWS_1252)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InventoryFileError(
            path,
            f"is neither UTF-8 nor Windows-1252 text (line {line}, byte {error.start})",
            hint="save it from Excel as 'CSV UTF-8 (Comma delimited)'",
        ) from error
    finally:
        _LEGACY_BYTES.reset(token)
    if len(text) == len(data):  # every character from one byte: Windows-1252 throughout
        return text, "windows-1252"
    breaks = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    lines = np.unique(np.searchsorted(breaks, legacy) + 1).tolist()  # one pass, not per byte
    shown = ", ".join(map(str, lines[:10])) + (" ..." if len(lines) > 10 else "")
    return text, f"windows-1252 on line{'s' if len(lines) > 1 else ''} {shown}"


def encoding_issues(source: str, encoding: str) -> list[Issue]:
    """The warning for text :func:`decode_text` did not read as UTF-8 throughout (none when
    it did)."""
    if encoding == "windows-1252":
        message = (
            "read as Windows-1252 because it is not valid UTF-8; check that '£' and accented "
            "names came through"
        )
    elif encoding.startswith("windows-1252 on line"):
        where = encoding.removeprefix("windows-1252 on ")
        message = (
            f"{where} {'is' if where.startswith('line ') else 'are'} not all valid UTF-8; what "
            "is not was read as Windows-1252 (the rest as UTF-8); check that '£' and accented "
            "names there came through"
        )
    else:
        return []
    return [Issue(source, None, None, None, message, severity="warning")]


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


def title_lines(text: str) -> tuple[int, int]:
    """Lines above the header (title and blank lines) and the header's record number (0-based).

    The header is found by :func:`find_header_row`; a file whose first line
    is the header gives ``(0, 0)``.
    """
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


def title_issue(source: str, header_index: int) -> Issue:
    return Issue(
        source,
        header_index + 1,
        None,
        None,
        f"the header is on row {header_index + 1}; the rows above it were read as a title",
        severity="warning",
    )


#: The first bytes of an OLE compound file: an old .xls, or an .xlsx saved with a password
#: (Excel encrypts the workbook into one).
_OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_workbook(path: Path) -> None:
    """Refuse a file that cannot be a workbook we read: not a zip archive (a password-protected
    workbook or an old .xls is an OLE file), or a zip bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as error:
        with path.open("rb") as handle:
            ole = handle.read(len(_OLE_HEADER)) == _OLE_HEADER
        if ole:
            raise InventoryFileError(
                path,
                "is a password-protected workbook or an old Excel 97-2003 file, which cannot "
                "be read",
                hint="open it in Excel and save a copy as .xlsx without a password",
            ) from error
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


#: How Excel writes a character XML cannot hold in a cell (a control character): _x001B_.
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def cell_text(value: object) -> object:
    """A workbook cell's value as the text a person sees in Excel.

    Text keeps Excel's own escapes for characters XML cannot hold undone (``_x000B_`` is
    the vertical tab Excel shows as a line break; ``_x005F_`` an underscore), so that
    validation sees the characters themselves.

    >>> cell_text("PAS_x000B_main"), cell_text(3.0), cell_text("_x005F_x0041_")
    ('PAS\\x0bmain', '3', '_x0041_')
    """
    if isinstance(value, str):
        return _OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), value) if "_x" in value else value
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


_FORMULA_MISSING = "is a formula with no saved value"


_FORMULA_SAVED = "formula read as its saved value"


def sheet_values(sheet, path: Path, *others) -> list[list[object]]:
    """A sheet's values as rows from A1 to its last cell holding a value (in it or in
    ``others``, the same sheet loaded for formulas; a styled empty cell far below a table
    does not count; a sheet streamed read-only is read as it comes).
    Refused, naming the cell, when that is more than :data:`XLSX_MAX_CELLS` cells or a value
    lies more than :data:`XLSX_MAX_BLANK_ROWS` empty rows below the rest."""
    from openpyxl.utils import get_column_letter

    if getattr(sheet, "_cells", None) is None:  # streamed read-only: its rows as they come
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    filled: list[tuple[int, int]] = [
        at
        for one in (sheet, *others)
        for at, cell in getattr(one, "_cells", {}).items()  # a loaded sheet's cells by position
        if cell.value is not None
    ]
    rows = max((r for r, _ in filled), default=0)
    columns = max((c for _, c in filled), default=0)
    far = None
    if rows * columns > XLSX_MAX_CELLS:  # the cell furthest out where the extent is widest
        far = max(filled, key=lambda at: (at[1], at[0]) if columns > rows else at)
    elif filled:
        used = sorted({r for r, _ in filled})
        gaps = [(b - a, b) for a, b in zip([0, *used], used, strict=False)]
        gap, after = max(gaps)
        if gap > XLSX_MAX_BLANK_ROWS:
            far = min(at for at in filled if at[0] == after)
    if far is not None:
        raise InventoryFileError(
            path,
            f"sheet '{sheet.title}' has a value at {get_column_letter(far[1])}{far[0]}, far "
            "beyond the rest of its table",
            hint="delete what lies far below or to the right of the table, or save the table alone",
        )
    if not rows or not columns:
        return []
    return [
        list(row)
        for row in sheet.iter_rows(
            min_row=1, max_row=rows, min_col=1, max_col=columns, values_only=True
        )
    ]


def resolve_merges_and_formulas(grid: list[list], sheet, source: str) -> list[Issue]:
    """Fill merged ranges with their value and check formula cells; issues name a column
    *letter* for now (replaced by the header name in :func:`name_columns`)."""
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
                    None if value is None else str(cell_text(value)),
                    f"merged cells {merged.coord}: the value was applied to every row of the range",
                    severity="warning",
                )
            )
    for row in sheet.iter_rows(max_row=len(grid), max_col=width):
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


def name_columns(notes: list[Issue], header: list[object]) -> list[Issue]:
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


def check_shape(path: Path, value: object) -> None:
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


def _no_constants(path: Path):
    def refuse(name: str) -> float:
        raise InventoryFileError(
            path,
            f"holds {name}, which is not a number JSON allows",
            hint="write null for a blank value, or the number itself",
        )

    return refuse


def load_json(path: Path) -> object:
    """A JSON document, strictly: duplicate keys and NaN or Infinity are refused."""
    text, _ = decode_text(path)
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicate_keys(path), parse_constant=_no_constants(path)
        )
    except RecursionError as error:
        raise InventoryFileError(
            path, f"is nested more than {MAX_JSON_DEPTH} levels deep; refusing to read it"
        ) from error
    except json.JSONDecodeError as error:
        what = error.msg.removesuffix(" at").lower()
        raise InventoryFileError(
            path, f"is not valid JSON at line {error.lineno}, column {error.colno}: {what}"
        ) from error
    except InventoryFileError:  # a NaN or a key given twice, said by the hooks above
        raise
    except ValueError as error:  # Python refuses to read a whole number of over 4,300 digits
        raise InventoryFileError(path, too_many_digits()) from error


def too_many_digits() -> str:
    """What a file holding a whole number too long for Python to read says (JSON, a
    policy's YAML)."""
    return f"holds a number of more than {sys.get_int_max_str_digits():,} digits"


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A YAML mapping holds the same key twice (which plain YAML loading silently resolves
    by keeping the last)."""


class PlainLoader(yaml.SafeLoader):
    """Safe loading, no anchors or aliases (an inventory or a policy never needs them, and
    they are how a small file expands into a huge one: the 'billion laughs'), and no key
    twice in one mapping (:class:`DuplicateKeyError`, naming both lines)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            first: dict = {}
            for key_node, _value in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # a complex key is refused as unhashable by the constructor
                key = self.construct_object(key_node, deep=True)
                if key in first:
                    raise DuplicateKeyError(
                        None,
                        None,
                        f"the key '{key}' appears twice in one mapping (lines "
                        f"{first[key].line + 1} and {key_node.start_mark.line + 1}); "
                        "keep one of them",
                        key_node.start_mark,
                    )
                first[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


class TextLoader(PlainLoader):
    """:class:`PlainLoader` where every scalar but null is text, as a register's cells are:
    YAML 1.1 would read ``version: 5.20`` as 5.2, ``id: 012`` as 10 and ``users: 0x10`` as
    16."""

    yaml_implicit_resolvers: ClassVar[dict] = {  # type: ignore[misc]
        first: [(tag, pattern) for tag, pattern in resolvers if tag == "tag:yaml.org,2002:null"]
        for first, resolvers in PlainLoader.yaml_implicit_resolvers.items()
    }


def yaml_problem(error: yaml.YAMLError, text: str) -> tuple[str | None, int | None, int | None]:
    """What a YAML error says and where (line and column from 1, when known). A character
    YAML refuses (a control character) is named, with its line."""
    if isinstance(error, yaml.reader.ReaderError):
        before = text[: error.position]
        line = before.count("\n") + 1
        column = error.position - (before.rfind("\n") + 1) + 1
        character = chr(error.character) if isinstance(error.character, int) else error.character
        return f"{describe(character)} is not allowed in YAML; delete it", line, column
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None)
    return problem, (mark.line + 1 if mark else None), (mark.column + 1 if mark else None)


def load_yaml(path: Path) -> object:
    text, _ = decode_text(path)
    try:
        return yaml.load(text, Loader=TextLoader)
    except DuplicateKeyError as error:
        raise InventoryFileError(path, f"is not valid YAML: {error.problem}") from error
    except yaml.constructor.ConstructorError as error:
        raise InventoryFileError(
            path,
            f"uses a YAML tag that is not allowed ({error.problem}); only plain data is read",
            hint="remove tags such as !!python/object",
        ) from error
    except yaml.YAMLError as error:
        problem, line, column = yaml_problem(error, text)
        where = f" at line {line}, column {column}" if line and column else ""
        detail = f": {problem}" if problem else ""
        raise InventoryFileError(path, f"is not valid YAML{where}{detail}") from error
    except RecursionError as error:
        raise InventoryFileError(
            path, f"is nested more than {MAX_JSON_DEPTH} levels deep; refusing to read it"
        ) from error


# --- the header row ------------------------------------------------------------

#: How far down a sheet the header is looked for.
HEADER_SEARCH_ROWS = 30


_NUMBER_OR_DATE = re.compile(r"^[\d\s.,/:£$%+\-]+$")


def filled_cells(row: Sequence[object]) -> list[str]:
    return [str(c).strip() for c in row if c is not None and str(c).strip()]


def find_header_row(rows: Sequence[Sequence[object]], *, search: int = HEADER_SEARCH_ROWS) -> int:
    """Return the index of the header row: the first wide, textual, distinct row near the top.

    A row qualifies when it has at least two non-blank cells, at least half as many as the
    median of the ten non-blank rows after it, mostly distinct values (a merged title filled
    across the row repeats one) and at most a quarter of its cells looking like numbers or
    dates. If none of the first ``search`` rows qualifies,
    the first non-blank row is the header (0 for an empty sheet).

    >>> find_header_row([["Register v3", None], [None, None], ["id", "name"], ["pas", "PAS"]])
    2
    >>> find_header_row([["id", "name", None], ["pas", "PAS", "extra"]])
    0
    """
    filled = [filled_cells(r) for r in rows[: search + 10]]
    first_non_blank = next((i for i, f in enumerate(filled) if f), 0)
    for index, cells in enumerate(filled[:search]):
        if len(cells) < 2 or len(set(cells)) * 2 < len(cells):
            continue
        if sum(bool(_NUMBER_OR_DATE.match(c)) for c in cells) * 4 > len(cells):
            continue
        below = sorted([len(f) for f in filled[index + 1 :] if f][:10])
        if len(cells) * 2 >= (below[len(below) // 2] if below else 0):
            return index
    return first_non_blank
