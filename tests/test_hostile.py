"""Hostile text in every text field: each output read back by a reader we did not write.

The property tests draw names, notes, suppliers, platforms, interface messages, routes and
titles from ``HOSTILE_TEXT`` (control characters, lone surrogates, long strings and the
markup of Mermaid, Markdown, Rich, mathtext, XML and spreadsheets) and check that MS Project
XML and SVG parse as XML 1.0, the Markdown summary shows every name as written with no
heading, link, image or HTML of its own, the workbook and CSV files hold no formula, the
JSON is strict, and Mermaid's own parser (under Node) reads every task and the title as
written. ``tools/soak.py --text N`` runs the same checks many more times.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from rich.console import Console

from planner.cli.base import frame_table, plain
from tests.fuzz_targets import HOSTILE_TEXT, check_hostile_outputs, hostile_plans
from tests.readers import MermaidReader, mermaid_unavailable

EXAMPLES = settings(
    max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture(scope="module")
def mermaid():
    """Mermaid's own parser under Node (installed with npm into tests/data/mermaid)."""
    why = mermaid_unavailable()
    if why is not None:
        pytest.skip(f"Mermaid's parser is unavailable: {why}")
    reader = MermaidReader()
    yield reader
    reader.close()


@pytest.mark.slow
def test_mermaid_reader_finds_what_the_old_writer_broke(mermaid):
    """The reader has teeth: unescaped keywords, '%' comments and directives are caught."""
    written = (
        "gantt\n    title T\n    dateFormat YYYY-MM-DD\n    section Wave 1\n"
        "    Section 136 Suite :w1t0, 2027-04-01, 2027-06-01\n"
        "    5% Sample Audit :w1t1, 2027-04-01, 2027-06-01\n"
    )
    names = ["Section 136 Suite", "5% Sample Audit"]
    assert mermaid.problems(written, names, "T")
    clicked = written.replace("Section 136 Suite", "Click and Collect")
    assert "cannot parse" in mermaid.problems(clicked, ["Click and Collect"], "T")[0]


@pytest.mark.slow
@EXAMPLES
@given(hostile_plans())
def test_every_text_output_reads_back_with_hostile_text(mermaid, plan):
    check_hostile_outputs(plan, mermaid, charts=False)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(hostile_plans())
def test_charts_and_every_output_read_back_with_hostile_text(mermaid, plan):
    check_hostile_outputs(plan, mermaid)


@EXAMPLES
@given(HOSTILE_TEXT)
def test_the_terminal_shows_hostile_text_as_text(text):
    """Rich prints data as text: no markup error, no emoji code, no escape sequence."""
    buffer = io.StringIO()
    out = Console(file=buffer, width=200, emoji=False, highlight=False)
    out.print(frame_table(pd.DataFrame({"name": [text]}), title=text))
    out.print(plain(text))
    shown = buffer.getvalue()
    assert "\x1b" not in shown and "\x9b" not in shown
    for piece in ("[/bold]", "[bold]", ":pill:"):
        if piece in text:
            assert piece in shown
