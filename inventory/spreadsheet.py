"""Text on its way to a spreadsheet: cells that would run as formulas are neutralised.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return as a formula (CSV injection). Every CSV and XLSX the tool writes
prefixes such text with an apostrophe; numbers stay numbers. The readers take the apostrophe
off again, so the files round-trip. Characters no spreadsheet can hold (control characters,
lone surrogates) are replaced (:func:`inventory.characters.printable`), and a CSV file is
written whole or not at all (:func:`inventory.output.atomic_file`).

Examples
--------
>>> print(safe_csv(pd.DataFrame({"id": ["=cmd()"], "cost": [-5]})), end="")
id,cost
'=cmd(),-5
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from inventory.characters import printable
from inventory.output import atomic_file

__all__ = [
    "FORMULA_PREFIXES",
    "as_text",
    "cell_text",
    "formula_like",
    "neutralise",
    "safe_cell",
    "safe_csv",
    "safe_frame",
]

#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("-5"), neutralise("Ward 7")
    ("'-5", 'Ward 7')
    """
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_cell(value: object) -> object:
    """A cell value safe for spreadsheets: formula-like text neutralised, lists and team
    demands joined as text, characters no spreadsheet holds replaced, numbers kept.

    >>> safe_cell(("ADT^A01", "ORU^R01")), safe_cell("@SUM(A1)"), safe_cell("\\x00") == "\\ufffd"
    ('ADT^A01; ORU^R01', "'@SUM(A1)", True)
    """
    cell = cell_text(value)
    return neutralise(cell) if isinstance(cell, str) else cell


def cell_text(value: object) -> object:
    """:func:`safe_cell` but for the apostrophe: for an XLSX writer, which keeps formula-like
    text as written and marks its cell as text (:func:`as_text`).

    >>> cell_text("=SUM(A1)"), cell_text({"clinical": 1.5})
    ('=SUM(A1)', 'clinical: 1.5')
    """
    if isinstance(value, str):
        return _line_feeds(printable(value))
    if isinstance(value, tuple | list):
        return _line_feeds(printable("; ".join(map(str, value))))
    if isinstance(value, dict):
        return printable("; ".join(f"{k}: {v:g}" for k, v in value.items()))
    return value


def formula_like(value: object) -> bool:
    """Whether a spreadsheet would run ``value`` as a formula (text starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def as_text(cell):
    """An openpyxl cell holding formula-like text kept as text: a string cell with Excel's
    quote prefix, which shows the text as written (no apostrophe) and keeps it text when
    someone edits the cell. openpyxl would otherwise write it as a formula."""
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _line_feeds(text: str) -> str:
    """Carriage returns (alone or before a line feed) as line feeds: a CSV writer quotes a
    cell holding a line feed, but not one holding a bare carriage return, which a spreadsheet
    reads as the end of the row (and the rest as a new row, whose first cell might run).

    >>> _line_feeds("x\\r-2+3"), _line_feeds("a\\r\\nb")
    ('x\\n-2+3', 'a\\nb')
    """
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _safe_column(series: pd.Series) -> pd.Series:
    """:func:`safe_cell` of every cell; blanks kept as they are. A column of text is made
    safe with array operations (:func:`_safe_texts`); others one value at a time.
    """
    if pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty"):
        return series.map(safe_cell)  # lists, team demands, mixed values: one at a time
    values = _safe_text_cells(series.to_numpy(dtype=object), quoted=False)
    return pd.Series(values, index=series.index, dtype=object, name=series.name)


class _Characters:
    """Every character of some texts in one array of code points, so that questions about
    the characters of a million texts are array operations, not a loop in Python.

    The texts are joined with NUL between them when none holds a NUL (the separators then
    mark where each starts), else end to end (each one's length says where it starts).
    """

    def __init__(self, texts: list[str]) -> None:
        joined = "\x00".join(texts)
        separated = joined.count("\x00") == len(texts) - 1
        if not separated:
            joined = "".join(texts)
        self.ascii: bytes | None = None
        if joined.isascii():
            self.ascii = joined.encode("ascii")
            self.points: np.ndarray = np.frombuffer(self.ascii, dtype=np.uint8)
        else:  # a lone surrogate is one code point, as it is one character in len()
            utf32 = joined.encode("utf-32-le", "surrogatepass")
            self.points = np.frombuffer(utf32, dtype=np.uint32)
        self.count = len(texts)
        self.separated = separated
        if separated:
            breaks = np.flatnonzero(self.points == 0)
            self.starts = np.concatenate(([0], breaks + 1))
            self.ends = np.concatenate((breaks, [len(self.points)]))
        else:
            lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
            self.ends = np.cumsum(lengths)
            self.starts = self.ends - lengths

    def _marked(self, codes: np.ndarray) -> np.ndarray:
        """Which characters are marked True in ``codes`` (see :func:`_marks`); never a
        separator."""
        if self.separated:
            codes = codes.copy()
            codes[0] = False
        if self.ascii is not None:  # bytes.translate: a table lookup a byte, in C
            marks = self.ascii.translate(codes.astype(np.uint8).tobytes())
            return np.frombuffer(marks, dtype=np.bool_)
        return codes[np.minimum(self.points, len(codes) - 1)]

    def holding(self, codes: np.ndarray) -> np.ndarray:
        """Which texts hold a character marked True in ``codes`` (see :func:`_marks`)."""
        return self._texts_at(self._marked(codes))

    def changed_beyond_ascii(self) -> np.ndarray:
        """Which texts hold a character beyond ASCII that :func:`printable` replaces (each
        distinct such character asked of :func:`printable` itself)."""
        if self.ascii is not None:
            return np.zeros(self.count, dtype=bool)
        beyond = np.unique(self.points[self.points > 0x7F]).tolist()
        changed = [code for code in beyond if printable(chr(code)) != chr(code)]
        if not changed:
            return np.zeros(self.count, dtype=bool)
        return self._texts_at(np.isin(self.points, changed))

    def _texts_at(self, marked: np.ndarray) -> np.ndarray:
        found = np.zeros(self.count, dtype=bool)
        hits = np.flatnonzero(marked)
        found[np.searchsorted(self.starts, hits, side="right") - 1] = True
        return found

    def starting(self, codes: np.ndarray) -> np.ndarray:
        """Which texts start with a character marked True in ``codes``."""
        nonempty = self.ends > self.starts
        found = np.zeros(self.count, dtype=bool)
        first = self.points[self.starts[nonempty]]  # never a separator: the texts hold text
        found[nonempty] = codes[np.minimum(first, len(codes) - 1)]
        return found


def _marks(codes: list[int]) -> np.ndarray:
    """A table of the code points up to 255 (any beyond is looked up as 255), True at
    ``codes``, which are ASCII."""
    table = np.zeros(256, dtype=bool)
    table[codes] = True
    return table


#: ASCII that may need :func:`safe_cell`'s full treatment: control characters and DEL.
_CONTROL = _marks([*range(0x20), 0x7F])
#: Printable ASCII that starts a formula (tab and carriage return are control characters).
_FORMULA = _marks([ord(p) for p in FORMULA_PREFIXES if " " <= p <= "~"])


def _safe_texts(texts: np.ndarray, quoted: bool = False) -> np.ndarray:
    """:func:`safe_cell` of each of ``texts`` (strings), as an array of object; quoted as a
    CSV cell (:func:`_csv_quoted`) too if ``quoted``.

    Text without ASCII control characters (tab, line breaks and the rest) or characters
    :func:`printable` replaces, which is nearly all text, is kept, or neutralised when it
    starts with one of the printable :data:`FORMULA_PREFIXES`: neither :func:`printable`
    nor :func:`_line_feeds` changes such text. Any other text goes through
    :func:`safe_cell` itself.
    """
    safe = np.array(texts, dtype=object)
    if not len(safe):
        return safe
    characters = _Characters(safe.tolist())
    other = characters.holding(_CONTROL) | characters.changed_beyond_ascii()
    formula = characters.starting(_FORMULA) & ~other
    quote = characters.holding(_QUOTED) & ~other if quoted else formula[:0]
    if formula.any():
        safe[formula] = ["'" + text for text in safe[formula].tolist()]
    if quote.any():
        safe[quote] = [_quote(text) for text in safe[quote].tolist()]
    if other.any():
        cells = (safe_cell(text) for text in safe[other].tolist())
        safe[other] = [_csv_quoted(c) for c in cells] if quoted else list(cells)
    return safe


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text columns are safe for spreadsheets.

    >>> safe_frame(pd.DataFrame({"id": ["+44", "pas", "+44"], "n": [1, 2, 3]}))["id"].tolist()
    ["'+44", 'pas', "'+44"]
    >>> safe_frame(pd.DataFrame({"kind": pd.Categorical(["-1+2", "ok"])}))["kind"].tolist()
    ["'-1+2", 'ok']
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):  # categories are text too
            series = series.astype(object)
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = _safe_column(series)
    return out


def _iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns as ISO text (blank where missing), formatted by numpy in one pass."""
    dated = [c for c in frame.columns if pd.api.types.is_datetime64_dtype(frame[c])]
    if not dated:
        return frame
    out = frame.copy()
    for column in dated:
        values = frame[column].to_numpy(dtype="datetime64[ns]")
        text = np.datetime_as_string(values, unit="D").astype(object)
        text[np.isnat(values)] = None
        out[column] = pd.Series(text, index=frame.index, dtype=object)
    return out


#: Object columns of these kinds hold no dates, so the writer need not look at each cell.
_NO_DATES = ("string", "empty", "integer", "floating", "mixed-integer-float", "boolean")


def _date_format(frame: pd.DataFrame) -> str | None:
    """``%Y-%m-%d`` if any column still holds dates after :func:`_iso_dates`, else None (the
    CSV writer then formats no cell one at a time)."""
    for column in frame.columns:
        series = frame[column]
        if series.dtype == object:
            if pd.api.types.infer_dtype(series, skipna=True) not in _NO_DATES:
                return "%Y-%m-%d"
        elif series.dtype.kind in "Mm" or isinstance(
            series.dtype, pd.DatetimeTZDtype | pd.PeriodDtype
        ):
            return "%Y-%m-%d"
    return None


#: The CSV dialect of pandas' writer, in which the files have always been written.
_DIALECT = {
    "delimiter": ",",
    "quotechar": '"',
    "quoting": csv.QUOTE_MINIMAL,
    "doublequote": True,
    "escapechar": None,
    "lineterminator": "\n",
}


def _quoted_by_csv() -> np.ndarray:
    """The ASCII characters that make the csv module quote a cell (asked of the module
    itself: Python versions differ over a bare carriage return); never any beyond ASCII."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, **_DIALECT)  # type: ignore[arg-type]
    quoted = []
    for code in range(128):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["a" + chr(code) + "b", "c"])
        if buffer.getvalue().startswith('"'):
            quoted.append(code)
    return _marks(quoted)


_QUOTED = _quoted_by_csv()
_QUOTED_CHARACTERS = tuple(chr(code) for code in np.flatnonzero(_QUOTED))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _csv_quoted(cell: object) -> str:
    """One cell as the csv module writes it in a row of more than one cell."""
    text = cell if isinstance(cell, str) else str(cell)
    return _quote(text) if any(c in text for c in _QUOTED_CHARACTERS) else text


#: Rows joined as text at a time by :func:`_write_rows`.
_CHUNK_ROWS = 50_000


def _csv_cells(series: pd.Series) -> np.ndarray | None:
    """Each cell of ``series`` made safe (as :func:`safe_frame` and :func:`_iso_dates` do)
    and written exactly as pandas' CSV writer writes it: blanks empty, numbers as Python
    writes them, text quoted where the csv module quotes it. None for a kind of column that
    is left to pandas (which then writes the whole table)."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):  # categories are text too
        series = series.astype(object)
        dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return np.array(["False", "True"], dtype=object)[series.to_numpy().astype(np.intp)]
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        values = series.to_numpy()
        return _each_distinct(values, _integers, np.zeros(len(values), dtype=bool))
    if isinstance(dtype, np.dtype) and dtype == np.float64:
        values = series.to_numpy()
        return _each_distinct(
            values.view(np.int64),
            lambda u: map(repr, u.view(np.float64).tolist()),
            np.isnan(values),
        )
    if pd.api.types.is_datetime64_dtype(dtype):  # as _iso_dates writes them
        values = series.to_numpy(dtype="datetime64[ns]")
        return _each_distinct(
            values.view(np.int64),
            lambda u: np.datetime_as_string(u.view("datetime64[ns]"), unit="D").tolist(),
            np.isnat(values),
        )
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iu":
        numbers = series.to_numpy(dtype=np.int64 if dtype.kind == "i" else np.uint64, na_value=0)
        return _each_distinct(numbers, _integers, series.isna().to_numpy())
    if not (dtype == np.dtype("O") or pd.api.types.is_string_dtype(dtype)):
        return None
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return _safe_text_cells(series.to_numpy(dtype=object), quoted=True, blank="")
    # lists, team demands: one at a time, and then they must be text
    blank = series.isna().to_numpy()
    cells = series.map(safe_cell).to_numpy(dtype=object)
    if pd.api.types.infer_dtype(cells, skipna=True) not in ("string", "empty"):
        return None
    cells[~blank] = [_csv_quoted(cell) for cell in cells[~blank].tolist()]
    cells[blank] = ""
    return cells


#: Texts looked at to judge whether a column's texts mostly repeat (see :func:`_safe_text_cells`).
_SAMPLE_TEXTS = 4096


def _safe_text_cells(cells: np.ndarray, *, quoted: bool, blank: object = None) -> np.ndarray:
    """:func:`_safe_texts` of each text cell (quoted as CSV cells if ``quoted``); missing
    cells as ``blank``, or as they are when it is None. Each distinct text is made safe once
    (and shared) when the first few thousand are mostly repeats, as ids in a table of links
    or a handful of kinds are, so a national table's characters are looked at once a value.

    >>> _safe_text_cells(np.array(["=1", "a,b", None, "=1"], dtype=object), quoted=True,
    ...                  blank="").tolist()
    ["'=1", '"a,b"', '', "'=1"]
    """
    sample = cells[:_SAMPLE_TEXTS]
    if 2 * len(pd.unique(sample)) > len(sample):  # mostly distinct: no sharing to gain
        missing = pd.isna(cells)
        out = cells.copy()
        out[~missing] = _safe_texts(cells[~missing], quoted=quoted)
    else:
        codes, distinct = pd.factorize(cells)  # missing: -1, which takes the None at the end
        safe = np.empty(len(distinct) + 1, dtype=object)  # the last is None
        safe[:-1] = _safe_texts(np.asarray(distinct, dtype=object), quoted=quoted)
        out = safe[codes]
        missing = codes < 0
        out[missing] = cells[missing]
    if blank is not None:
        out[missing] = blank
    return out


def _integers(values: np.ndarray) -> Iterator[str]:
    return map(str, values.tolist())


def _each_distinct(bits: np.ndarray, formatted, blank: np.ndarray) -> np.ndarray:
    """Cells of numbers or dates, each distinct value (by its bits: -0.0 stays itself)
    formatted once by ``formatted``; blank where ``blank``."""
    codes, uniques = pd.factorize(bits)
    text = np.array([*formatted(uniques), ""], dtype=object)
    cells = text[codes]
    cells[blank] = ""
    return cells


def _csv_columns(frame: pd.DataFrame) -> list[list[str]] | None:
    """The cells of every column of ``frame`` as CSV text, or None if pandas must write it
    (a single column, labels that are not text, or a column :func:`_csv_cells` leaves)."""
    if frame.shape[1] < 2 or not all(isinstance(c, str) for c in frame.columns):
        return None  # one column: the csv module quotes an empty row
    columns = []
    for position in range(frame.shape[1]):
        cells = _csv_cells(frame.iloc[:, position])
        if cells is None:
            return None
        columns.append(cells.tolist())
    return columns


def _write_rows(file: IO[str], frame: pd.DataFrame, columns: list[list[str]]) -> None:
    """The header (by the csv module) and the rows, joined a chunk at a time."""
    csv.writer(file, **_DIALECT).writerow(list(frame.columns))  # type: ignore[arg-type]
    for start in range(0, len(frame), _CHUNK_ROWS):
        chunk = [column[start : start + _CHUNK_ROWS] for column in columns]
        file.write("\n".join(map(",".join, zip(*chunk, strict=True))))
        file.write("\n")


def _pandas_csv(frame: pd.DataFrame, path: Path | None) -> str | None:
    """``frame`` made safe and written by pandas: for tables :func:`_csv_columns` leaves."""
    safe = _iso_dates(safe_frame(frame))
    date_format = _date_format(safe)
    return safe.to_csv(path, index=False, date_format=date_format, lineterminator="\n")


def safe_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """``frame`` as CSV with formula injection neutralised and ISO dates, to ``path`` (written
    whole or not at all), or returned as text when there is none.

    Each column is made safe and formatted as text with array operations (each distinct
    number or date formatted once) and the rows joined in chunks, so a table of a million
    rows writes in about a second. A table with a kind of column not formatted here (lists
    of numbers, time zones, periods; or a single column) is written by pandas, as before.
    """
    columns = _csv_columns(frame)
    if path is None:
        if columns is None:
            return _pandas_csv(frame, None)
        buffer = io.StringIO(newline="")
        _write_rows(buffer, frame, columns)
        return buffer.getvalue()
    with atomic_file(path) as temporary:
        if columns is None:
            _pandas_csv(frame, temporary)
        else:
            with open(temporary, "w", encoding="utf-8", newline="") as file:
                _write_rows(file, frame, columns)
    return None
