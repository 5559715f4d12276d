"""Discovery tables as files: the interfaces, the alias table and the diff, as safe CSV.

Written with :func:`inventory.spreadsheet.safe_csv`: text a spreadsheet would run as a
formula gets an apostrophe, and dates are ISO days (``2026-03-02``). Read back with the
apostrophe removed and headers matched case- and space-insensitively, so a table edited in a
spreadsheet reads as written.

Examples
--------
>>> import tempfile, pathlib
>>> edges = pd.DataFrame({"sender": ["PAS"], "receiver": ["ENSEMBLE"],
...                       "messages": ["ADT^A01; ADT^A08"], "message_count": [12],
...                       "first_seen": pd.to_datetime(["2026-03-02 08:15"])})
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_interfaces(edges, pathlib.Path(folder) / "interfaces.csv")
...     print(path.read_text(), end="")
...     again = read_interfaces(path)
sender,receiver,messages,message_count,first_seen
PAS,ENSEMBLE,ADT^A01; ADT^A08,12,2026-03-02
>>> again.loc[0, "message_count"], again.loc[0, "first_seen"]
(np.int64(12), Timestamp('2026-03-02 00:00:00'))
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from inventory.discover.aliases import alias_mapping
from inventory.errors import InvalidArgumentError, InventoryFileError, MissingFileError
from inventory.files import decode_text
from inventory.schema import canonical_column
from inventory.spreadsheet import FORMULA_PREFIXES, safe_csv

__all__ = ["read_aliases", "read_interfaces", "write_interfaces"]

_COUNTS = ("message_count", "undated", "messages_sent", "messages_received")
_NUMBERS = ("messages_per_day", "confidence")
_DATES = ("first_seen", "last_seen")


def write_interfaces(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a discovery table (interfaces, aliases or a diff) to ``path`` as safe CSV.

    Returns the path written; its folder is created when missing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_csv(frame, path)
    return path


def read_interfaces(path: str | Path) -> pd.DataFrame:
    """Read an interface table written by :func:`write_interfaces` (and perhaps edited).

    ``sender``, ``receiver`` and ``messages`` are required; counts become whole numbers
    (blank is 0) and ``first_seen`` and ``last_seen`` dates.

    Raises
    ------
    InventoryFileError
        When the file is missing, is not CSV, lacks a required column or holds a count or
        date that cannot be read.
    """
    return _read_table(Path(path), ("sender", "receiver", "messages"))


def read_aliases(path: str | Path) -> pd.DataFrame:
    """Read a reviewed alias table; ``application`` and ``inventory_id`` are required.

    Raises
    ------
    InventoryFileError
        As :func:`read_interfaces`, and when one application is given two inventory ids.
    """
    path = Path(path)
    table = _read_table(path, ("application", "inventory_id"))
    try:
        alias_mapping(table)
    except InvalidArgumentError as error:
        raise InventoryFileError(path, error.message, hint=error.hint) from error
    return table


def _read_table(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise MissingFileError(path, what="file")
    text, _ = decode_text(path)
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False
        ).astype("object")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InventoryFileError(
            path, f"cannot be read as CSV ({str(error).strip()})", hint="save it as CSV"
        ) from error
    frame.columns = [canonical_column(c) for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InventoryFileError(
            path,
            f"has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}",
            hint=f"the table needs the columns {', '.join(required)}",
        )
    frame = frame.map(_unprotect)
    for column in [c for c in (*_COUNTS, *_NUMBERS) if c in frame.columns]:
        frame[column] = _numbers(path, frame, column, whole=column in _COUNTS)
    for column in [c for c in _DATES if c in frame.columns]:
        frame[column] = _dates(path, frame, column)
    return frame


def _unprotect(text: str) -> str:
    """Drop the apostrophe that :func:`inventory.spreadsheet.neutralise` put before a formula."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) else text


def _numbers(path: Path, frame: pd.DataFrame, column: str, *, whole: bool) -> pd.Series:
    cells = frame[column].str.strip()
    values = pd.to_numeric(cells.replace("", None), errors="coerce")
    bad = values.isna() & cells.ne("")
    if whole:
        bad |= values.notna() & (values % 1 != 0)
    if bad.any():
        row = int(bad.to_numpy().argmax())
        kind = "a whole number" if whole else "a number"
        raise InventoryFileError(
            path,
            f"row {row + 2}: {column} '{cells.iloc[row]}' is not {kind}",
            hint="correct the cell or leave it blank",
        )
    return values.fillna(0).astype("int64") if whole else values.astype("float64")


def _dates(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    cells = frame[column].str.strip()
    values = pd.to_datetime(cells.replace("", None), format="ISO8601", errors="coerce")
    bad = values.isna() & cells.ne("")
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise InventoryFileError(
            path,
            f"row {row + 2}: {column} '{cells.iloc[row]}' is not a date (YYYY-MM-DD)",
            hint="correct the cell or leave it blank",
        )
    return values.astype("datetime64[ns]")
