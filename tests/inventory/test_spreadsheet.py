"""Text on its way to a spreadsheet, read back by the csv module and openpyxl."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from inventory.spreadsheet import safe_csv, safe_frame


@pytest.mark.parametrize("breaking", ["\r", "\r\n"])
def test_a_carriage_return_never_starts_a_row_of_its_own(breaking):
    # a bare CR is not quoted by the csv writer, so a spreadsheet would start a new row at it
    # and run '-2+3' as a formula; as a line feed the cell is quoted and stays one cell
    frame = pd.DataFrame({"notes": [f"x{breaking}-2+3", "ok"], "n": [1, 2]})
    rows = list(csv.reader(io.StringIO(safe_csv(frame), newline="")))
    assert rows == [["notes", "n"], ["x\n-2+3", "1"], ["ok", "2"]]


def test_lists_and_categories_are_made_safe_like_text():
    frame = pd.DataFrame(
        {
            "messages": [("ADT^A01", "\r=1+1"), ()],
            "kind": pd.Categorical(["@SUM(A1)", "HL7 v2"]),
        }
    )
    safe = safe_frame(frame)
    assert safe["messages"].tolist() == ["ADT^A01; \n=1+1", ""]
    assert safe["kind"].tolist() == ["'@SUM(A1)", "HL7 v2"]
