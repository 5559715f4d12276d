"""A table's columns in load-ready form, kept in the store beside the rows.

Reading a national store row by row through ``sqlite3`` costs seconds per million rows
before any conversion starts. So each write the store makes also keeps, in the same
transaction, every column of systems and dependencies as :meth:`Store._read` gives it, one
row of the ``snapshot`` table per column (the SQL is in :mod:`inventory.store`):

- ``float64``: the values as little-endian float64 bytes (NULL as NaN);
- ``coded``: a text column as :class:`Coded`: the codes as little-endian int8, int16 or
  int32 bytes (the narrowest that holds them; -1 for NULL) and the distinct values as one
  UTF-8 JSON array;
- ``cells``: any other column (a key, whole numbers) coded the same way, read back as the
  object array of the values SQLite gave (None for NULL).

:func:`decode` trusts nothing it reads: every kind, dtype, length, code and value type is
checked against what the store expects, and anything else gives None (the store then reads
the rows), never a wrong column. Nothing is pickled; JSON holds only strings and integers.

Examples
--------
>>> layout = {"name": ("coded", str), "users": ("cells", int), "cost": ("float64", float)}
>>> columns = {
...     "name": Coded(np.array([0, -1, 0]), np.array(["PAS", "x"], dtype=object)),
...     "users": np.array([12, None, 12], dtype=object),
...     "cost": np.array([1.5, np.nan, 2.0]),
... }
>>> parts = encode(columns, layout)
>>> [(p.column, p.kind, p.dtype, len(p.data)) for p in parts]
[('name', 'coded', '<i1', 3), ('users', 'cells', '<i1', 3), ('cost', 'float64', '<f8', 24)]
>>> back = decode(parts, layout, rows=3)
>>> back["name"].values().tolist(), back["users"].tolist(), back["cost"].tolist()
(['PAS', None, 'PAS'], [12, None, 12], [1.5, nan, 2.0])
>>> decode(parts, layout, rows=4) is None  # the table has changed under it: read the rows
True
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Coded", "Part", "decode", "encode"]

#: What a snapshot column holds, by kind: its one dtype, or the code dtypes allowed.
_DTYPES = {"float64": ("<f8",), "coded": ("<i1", "<i2", "<i4"), "cells": ("<i1", "<i2", "<i4")}


@dataclass(frozen=True)
class Coded:
    """A text column as read: ``codes`` (int64, -1 for NULL) into ``distinct`` (object)."""

    codes: np.ndarray
    distinct: np.ndarray

    def values(self, null: object = None) -> np.ndarray:
        """The cells, NULL as ``null``; rows with one value share one object."""
        lookup = np.empty(len(self.distinct) + 1, dtype=object)
        lookup[:-1] = self.distinct
        lookup[-1] = null
        return lookup[self.codes]

    def convert(self, convert: Callable[[pd.Series], pd.Series], index: pd.Index) -> pd.Series:
        """``convert`` (elementwise) applied to each distinct value once, NULL as None,
        then spread over the rows."""
        lookup = pd.Series([*self.distinct.tolist(), None], dtype="object")
        result = convert(lookup).take(self.codes)  # -1 takes the last: NULL
        result.index = index
        return result


@dataclass(frozen=True)
class Part:
    """One column of a snapshot, as stored: ``data`` holds ``rows`` values of ``dtype``;
    ``distinct`` the distinct values (UTF-8 JSON) of a coded or cells column; ``crc32`` the
    CRC-32 of both (a damaged page in a BLOB is not noticed by SQLite)."""

    column: str
    kind: str
    dtype: str
    rows: int
    data: bytes
    distinct: bytes | None
    crc32: int

    @classmethod
    def of(cls, column: str, kind: str, dtype: str, data: bytes, distinct: bytes | None) -> Part:
        """A part with its CRC-32 worked out."""
        rows = len(data) // np.dtype(dtype).itemsize
        return cls(column, kind, dtype, rows, data, distinct, _crc32(data, distinct))


#: column -> (kind, the Python type of its values) as the store reads it.
Layout = Mapping[str, tuple[str, type]]


def encode(columns: Mapping[str, np.ndarray | Coded], layout: Layout) -> list[Part] | None:
    """The snapshot of a table's columns (as :meth:`Store._read` gives them, laid out as
    ``layout`` says); None when a value is one a snapshot does not carry (a BLOB in a
    text column, a fraction in a whole-number one): the table is then read row by row."""
    parts = []
    for column, (kind, cell_type) in layout.items():
        values = columns[column]
        if kind == "float64":
            if not isinstance(values, np.ndarray) or values.dtype != np.float64:
                return None
            parts.append(Part.of(column, kind, "<f8", values.astype("<f8").tobytes(), None))
            continue
        if kind == "cells" and isinstance(values, np.ndarray):
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            values = Coded(codes, np.asarray(uniques, dtype=object))
        if not isinstance(values, Coded):
            return None
        distinct = values.distinct.tolist()
        if not _only(distinct, cell_type):
            return None
        dtype = _code_dtype(len(distinct))
        data = values.codes.astype(dtype).tobytes()
        text = json.dumps(distinct, ensure_ascii=False).encode("utf-8")
        parts.append(Part.of(column, kind, dtype, data, text))
    return parts


def decode(
    parts: Iterable[Part], layout: Layout, rows: int
) -> dict[str, np.ndarray | Coded] | None:
    """The columns a snapshot holds, as :meth:`Store._read` gives them, for a table of
    ``rows`` rows laid out as ``layout`` says; None unless every column is there, whole and
    of the kind expected."""
    found = {part.column: part for part in parts}
    if set(found) != set(layout):
        return None
    out: dict[str, np.ndarray | Coded] = {}
    for column, (kind, cell_type) in layout.items():
        column_values = _decoded(found[column], kind, cell_type, rows)
        if column_values is None:
            return None
        out[column] = column_values
    return out


def _decoded(part: Part, kind: str, cell_type: type, rows: int) -> np.ndarray | Coded | None:
    if part.kind != kind or part.dtype not in _DTYPES[kind] or part.rows != rows:
        return None
    if not isinstance(part.data, bytes) or len(part.data) != rows * np.dtype(part.dtype).itemsize:
        return None
    if not isinstance(part.distinct, bytes | None) or part.crc32 != _crc32(
        part.data, part.distinct
    ):
        return None
    array = np.frombuffer(part.data, dtype=part.dtype)
    if kind == "float64":
        return None if part.distinct is not None else array.astype(np.float64)
    distinct = _distinct(part.distinct, cell_type)
    if distinct is None:
        return None
    codes = array.astype(np.intp)
    if rows and (codes.min() < -1 or codes.max() >= len(distinct)):
        return None
    coded = Coded(codes, distinct)
    return coded if kind == "coded" else coded.values()


def _distinct(text: object, cell_type: type) -> np.ndarray | None:
    """The distinct values kept as JSON, when they are a list of ``cell_type`` alone."""
    if not isinstance(text, bytes):
        return None
    try:
        values = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(values, list) or not _only(values, cell_type):
        return None
    distinct = np.empty(len(values), dtype=object)
    distinct[:] = values
    return distinct


def _only(values: list, cell_type: type) -> bool:
    """Whether every value is exactly of ``cell_type`` (a bool is not an int here)."""
    return set(map(type, values)) <= {cell_type}


def _crc32(data: bytes, distinct: bytes | None) -> int:
    return zlib.crc32(distinct or b"", zlib.crc32(data))


def _code_dtype(distinct: int) -> str:
    """The narrowest little-endian integer that holds codes -1 .. distinct - 1."""
    for dtype in ("<i1", "<i2"):
        if distinct <= np.iinfo(dtype).max:
            return dtype
    return "<i4"
