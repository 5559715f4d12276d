"""Fuzz targets shared by the test suite (few examples) and tools/soak.py (many).

Each target takes hypothesis-drawn input and asserts a contract:

- the importer (:func:`check_random_table`, :func:`check_random_bytes`) returns a report or
  raises a ModerniseError with a message, never anything else, and a valid report imports
  and reads back with every system;
- every writer (:func:`check_hostile_outputs`), given hostile text in every text field
  (:data:`HOSTILE_TEXT`: control characters, lone surrogates, the markup of each output's
  language, long strings), writes outputs that readers we did not write read back
  (``tests/readers.py``) with the text as written and nothing injected.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from inventory import Inventory, Store, read_inventory
from inventory.errors import ModerniseError
from inventory.schema import DEPENDENCIES, SYSTEMS

SUFFIXES = ("folder", ".json", ".yaml", ".xlsx")

HEADERS = (
    [f.name for f in SYSTEMS.values()]
    + [c for f in SYSTEMS.values() for c in f.columns if c != f.name]
    + ["System ID", "ODS code", "", "notes", "Notes", "extra thing"]
)
#: Pieces of the syntax of every output's reader, and characters that break them.
MARKUP = (
    "Click and Collect",
    "click ",
    "Section 136",
    "section ",
    "Title Deeds",
    "title ",
    "gantt",
    "excludes weekends",
    "dateFormat x",
    "accDescr {",
    "5% audit",
    "%%",
    '%%{init: {"theme": "dark"}}%%',
    ":",
    ";",
    "#lt;",
    "2027-01-01",
    "[x](http://evil.example)",
    "![](http://evil.example/p.png)",
    "<img src=x onerror=alert(1)>",
    "# heading",
    "\n# heading\n",
    "\r\n---\n",
    "*em* _em_ `code` ~~s~~",
    "| pipe |",
    "www.evil.example",
    "https://evil.example",
    "\\",
    "&amp; &lt;",
    "$x^2$",
    "$\\frac{1}{0}$",
    "\\$",
    "$",
    "[bold]",
    "[/bold]",
    "[/]",
    ":pill:",
    "]]>",
    "</Name>",
    "<!-- -- -->",
    '=HYPERLINK("http://evil")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\x00",
    "\x07",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "東京病院",
    "전자의무기록",
    "😀",
    "x" * 3_000,
)

#: Hostile text: pieces of markup, characters of every kind (control characters and lone
#: surrogates included) and long strings, joined.
HOSTILE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(MARKUP),
        st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=12),
        st.integers(0xD800, 0xDFFF).map(chr),
    ),
    min_size=1,
    max_size=5,
).map("".join)

CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "TBC",
            "n/a",
            "£1.2m",
            "250k",
            "-5",
            "31/02/2027",
            "2026-11-25",
            "critical",
            "hgh",
            "yes",
            "maybe",
            "pas",
            "PAS ",
            "a; b",
            "18/24/36",
            "1/2",
            "integration: 0.5",
            "=1+1",
            "@SUM(A1)",
            "\t",
            "0",
            "46351",
        ]
    ),
    st.text(max_size=30),
    HOSTILE_TEXT,
)


@st.composite
def random_tables(draw):
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    rows = draw(
        st.lists(st.lists(CELLS, min_size=len(headers), max_size=len(headers)), max_size=12)
    )
    dep_headers = draw(st.lists(st.sampled_from([*DEPENDENCIES, "x"]), max_size=5))
    dep_rows = draw(
        st.lists(st.lists(CELLS, min_size=len(dep_headers), max_size=len(dep_headers)), max_size=6)
    )
    return headers, rows, dep_headers, dep_rows


def _write_csv(path: Path, headers, rows) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))  # as a damaged file


def check_random_table(table) -> None:
    """Random headers and cells in a CSV folder: a report or a clear error, and a valid
    inventory survives a store round trip."""
    headers, rows, dep_headers, dep_rows = table
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inventory"
        folder.mkdir()
        _write_csv(folder / "systems.csv", headers, rows)
        if dep_headers:
            _write_csv(folder / "dependencies.csv", dep_headers, dep_rows)
        try:
            inventory, report = read_inventory(folder)
        except ModerniseError as error:
            assert str(error)
            return
        for issue in report:
            assert issue.source and issue.message
        if report.valid:
            with Store(":memory:") as store:
                store.import_inventory(inventory, source="fuzz", sha256="0" * 64)
                back = store.load(derive_end_of_support=False)
            assert list(back.systems.index) == list(inventory.systems.index)
            assert len(back.dependencies) == len(inventory.dependencies)


def check_random_bytes(data: bytes, suffix: str) -> None:
    """Arbitrary bytes as each input format: a report or a ModerniseError, nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        if suffix == "folder":
            path = Path(tmp) / "inventory"
            path.mkdir()
            (path / "systems.csv").write_bytes(data)
        else:
            path = Path(tmp) / f"inventory{suffix}"
            path.write_bytes(data)
        try:
            read_inventory(path)
        except ModerniseError as error:
            assert str(error)


@st.composite
def hostile_plans(draw):
    """A few systems and a dependency whose every text field holds hostile text, and a
    hostile title (built in code, so nothing is validated on the way: the writers alone
    must cope)."""
    count = draw(st.integers(1, 3))
    texts = [draw(HOSTILE_TEXT) for _ in range(count)]
    systems = [
        {
            "id": f"s{i}",
            "name": text,
            "notes": draw(HOSTILE_TEXT),
            "supplier": draw(HOSTILE_TEXT),
            "product": draw(HOSTILE_TEXT),
            "platform": draw(HOSTILE_TEXT),
            "disposition": "replace",
            "replacement_cost_gbp_likely": 100_000.0,
            "replacement_months_likely": float(3 + i),
        }
        for i, text in enumerate(texts)
    ]
    dependencies = []
    if count > 1:
        dependencies.append(
            {
                "consumer": "s1",
                "provider": "s0",
                "kind": "HL7 v2",
                "messages": (draw(HOSTILE_TEXT), draw(HOSTILE_TEXT)),
                "route": draw(HOSTILE_TEXT),
            }
        )
    return Inventory.from_records(systems, dependencies), draw(HOSTILE_TEXT)


def check_hostile_outputs(plan, mermaid=None, *, charts: bool = True) -> None:
    """Write every text output of a plan of hostile names (and a gantt chart as SVG); each
    must read back with an independent reader, with every name as written. ``mermaid``
    (a :class:`tests.readers.MermaidReader`) also reads the Mermaid file when given."""
    from planner import export
    from planner.charts import plot_dependency_map, plot_gantt, save
    from planner.plan import make_plan
    from tests.planner.conftest import simple_policy
    from tests.readers import (
        csv_problems,
        json_problems,
        markdown_problems,
        xlsx_problems,
        xml_problems,
    )

    inventory, title = plan
    result = make_plan(inventory, simple_policy())
    names = list(inventory.systems["name"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        problems = xml_problems(export.write_mspdi(result, folder / "r.xml", title=title))
        markdown = export.write_markdown(result, folder / "s.md", title=title)
        problems += markdown_problems(markdown.read_text(encoding="utf-8"), names, title)
        problems += xlsx_problems(export.write_xlsx(result, folder / "r.xlsx"))
        problems += json_problems(export.write_json(result, folder / "r.json"))
        for path in export.write_csv(result, folder / "csv"):
            problems += csv_problems(path)
        mermaid_file = export.write_mermaid(result, folder / "r.mmd", title=title)
        if mermaid is not None:
            problems += mermaid.problems(mermaid_file.read_text(encoding="utf-8"), names, title)
        if charts:
            import matplotlib.pyplot as plt

            for name, figure in (
                ("gantt.svg", plot_gantt(result)),
                ("map.svg", plot_dependency_map(inventory.graph(), ["s0"])),
            ):
                problems += xml_problems(save(figure, folder / name))
                plt.close(figure)
    assert problems == [], "\n".join(problems)
