"""The array version of formula neutralising and the CSV writer against the per-cell rule.

The oracle here is the rule as the product applied it one cell at a time before the columns
were made safe with array operations (``safe_cell``: replace what no spreadsheet holds,
carriage returns as line feeds, an apostrophe before a formula), and pandas' own CSV
writer. It is kept here, not in the product, so the product cannot drift from it unseen.
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.spreadsheet import _safe_texts, safe_csv

# --- the oracle: the per-cell rule -------------------------------------------------------

_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_SOFT_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")


def oracle_cell(text: str) -> str:
    """One cell made safe, as it always was."""
    if not text.isascii() or not text.isprintable():
        text = _UNPRINTABLE.sub("\ufffd", _SOFT_BREAKS.sub("\n", text))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def oracle_quoted(text: str) -> str:
    """One cell as the csv module writes it in a row of two."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([text, ""])
    return buffer.getvalue()[: -len(",\n")]


def oracle_csv(frame: pd.DataFrame) -> str:
    """Text columns made safe a cell at a time, dates as ISO days, written by pandas."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_dtype(series):
            out[column] = series.dt.strftime("%Y-%m-%d").astype(object).where(series.notna())
        elif series.dtype == object or isinstance(series.dtype, pd.CategoricalDtype):
            values = series.astype(object)
            out[column] = values.map(lambda v: oracle_cell(v) if isinstance(v, str) else v)
    return out.to_csv(index=False, lineterminator="\n")


# --- text that tries everything ----------------------------------------------------------

PIECES = st.sampled_from(
    ["=", "+", "-", "@", "\t", "\r", "\r\n", "\n", ",", '"', "'", "\x00", "\x85", "\u2028",
     "\ufffe", "£", "é", "=SUM(A1)", " ", "\x7f", "\x1b[31m"]
)  # fmt: skip
TEXT = st.lists(
    st.one_of(
        PIECES,
        st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=8),
        st.integers(0xD800, 0xDFFF).map(chr),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=8),
    ),
    max_size=4,
).map("".join)
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@EXAMPLES
@given(st.lists(TEXT, max_size=30))
def test_array_neutralising_is_the_per_cell_rule(texts):
    values = np.array(texts, dtype=object)
    assert _safe_texts(values).tolist() == [oracle_cell(t) for t in texts]
    quoted = _safe_texts(values, quoted=True).tolist()
    assert quoted == [oracle_quoted(oracle_cell(t)) for t in texts]


@EXAMPLES
@given(st.lists(st.sampled_from(["\x00", "a", ""]), max_size=6))
def test_texts_holding_the_separator_are_found_by_their_lengths(texts):
    # a NUL in a text means the texts cannot be joined with NUL between them
    values = np.array(texts, dtype=object)
    assert _safe_texts(values, quoted=True).tolist() == [
        oracle_quoted(oracle_cell(t)) for t in texts
    ]


ROWS = st.integers(0, 12)


@st.composite
def frames(draw):
    rows = draw(ROWS)
    column = lambda strategy: draw(st.lists(strategy, min_size=rows, max_size=rows))  # noqa: E731
    days = st.integers(-25_000, 60_000).map(lambda d: np.datetime64(d, "D"))
    return pd.DataFrame(
        {
            "text": pd.Series(column(st.none() | TEXT), dtype=object),
            "kind": pd.Categorical(column(st.sampled_from(["-1", "ok", "@x", "a,b"]) | st.none())),
            "number": pd.Series(
                column(st.floats(allow_nan=True, allow_infinity=True)), dtype=float
            ),
            "count": pd.Series(column(st.integers(-(2**63), 2**63 - 1)), dtype=np.int64),
            "flag": pd.Series(column(st.booleans()), dtype=bool),
            "day": pd.Series(column(st.none() | days), dtype="datetime64[ns]"),
            "maybe": pd.array(column(st.none() | st.integers(-(10**12), 10**12)), dtype="Int64"),
        }
    )


@EXAMPLES
@given(frames())
def test_the_csv_is_what_pandas_wrote_of_the_cells_made_safe(frame):
    assert safe_csv(frame) == oracle_csv(frame)


def test_negative_zero_and_repeated_numbers_keep_their_own_text():
    frame = pd.DataFrame({"x": [0.0, -0.0, 1e16, 0.1, np.nan, 0.0], "y": ["a"] * 6})
    assert safe_csv(frame) == oracle_csv(frame)
    assert safe_csv(frame).splitlines()[1:3] == ["0.0,a", "-0.0,a"]
