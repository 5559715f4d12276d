"""What a part of the report is made of, for both the HTML page and the PDF: paragraphs,
notes, alerts, key facts, tables of text, charts and the interactive Gantt. Every value is already
text here; the HTML template escapes it and the PDF writer draws it as text.

Examples
--------
>>> from planner.report.formatting import money, month
>>> frame = pd.DataFrame({"cost_gbp": [5_000_000.0], "go_live": [pd.Timestamp("2029-03-31")]},
...                      index=pd.Index(["PAS"], name="system"))
>>> table = table_of(frame, {"cost_gbp": ("Cost", money), "go_live": ("Go-live", month)})
>>> table.columns, table.rows, table.numeric
(['system', 'Cost', 'Go-live'], [['PAS', '£5.0m', 'Mar 2029']], [False, True, False])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from planner.report.figures import Chart
from planner.report.formatting import BLANK, blank, money, number, share
from planner.report.gantt import GanttView

__all__ = ["Alert", "Block", "Facts", "Gantt", "Note", "Part", "Table", "Text", "table_of"]


@dataclass(frozen=True)
class Text:
    """A paragraph."""

    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Note:
    """A note set apart: what the plan does not hold, or what the trust must fill in."""

    text: str
    kind: str = "note"


@dataclass(frozen=True)
class Alert:
    """What the board must not miss, set apart in red: work the plan could not schedule."""

    text: str
    kind: str = "alert"


@dataclass(frozen=True)
class Facts:
    """Headline figures: (label, value) pairs."""

    items: list[tuple[str, str]]
    kind: str = "facts"


@dataclass(frozen=True)
class Table:
    """A table of text; ``numeric`` columns are right-aligned."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    caption: str = ""
    kind: str = "table"


@dataclass(frozen=True)
class Gantt:
    """The interactive Gantt (the HTML page only; the PDF has the chart by category)."""

    view: GanttView
    kind: str = "gantt"


Block = Text | Note | Alert | Facts | Table | Chart | Gantt


@dataclass(frozen=True)
class Part:
    """A section of the report: its anchor, title and blocks; ``annex`` parts come after
    the main paper."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    annex: bool = False


def _text(value: object) -> str:
    if blank(value):
        return BLANK
    return str(value)


#: Formatters whose columns are numbers (right-aligned).
_NUMERIC_FORMATS = (money, number, share)


def table_of(
    frame: pd.DataFrame,
    columns: Mapping[str, tuple],
    *,
    index: str | None = None,
    caption: str = "",
) -> Table:
    """A frame as a :class:`Table`. ``columns`` maps a column to its header and the function
    that writes its values, and optionally whether it holds numbers (by default, when the
    function is :func:`money`, :func:`number` or :func:`share`). The index comes first,
    headed ``index`` (or the index's name), unless ``index`` is the empty string."""
    specs = [
        (column, spec[0], spec[1], spec[2] if len(spec) > 2 else spec[1] in _NUMERIC_FORMATS)
        for column, spec in columns.items()
    ]
    headers = [header for _, header, _, _ in specs]
    numeric = [is_number for _, _, _, is_number in specs]
    keep_index = index != ""
    if keep_index:
        headers = [index or str(frame.index.name or ""), *headers]
        numeric = [False, *numeric]
    rows = []
    for key, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        values = dict(zip(frame.columns, row, strict=True))
        cells = [fmt(values[column]) for column, _, fmt, _ in specs]
        rows.append([_text(key), *cells] if keep_index else cells)
    return Table(columns=headers, rows=rows, numeric=numeric, caption=caption)
