"""Fuzz targets shared by the test suite (few examples) and tools/soak.py (many).

Each target takes hypothesis-drawn input and asserts the importer's contract: it returns a
report or raises a ModerniseError with a message, never anything else, and a valid report
imports and reads back with every system.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from inventory import Store, read_inventory
from inventory.errors import ModerniseError
from inventory.schema import DEPENDENCIES, SYSTEMS

SUFFIXES = ("folder", ".json", ".yaml", ".xlsx")

HEADERS = (
    [f.name for f in SYSTEMS.values()]
    + [c for f in SYSTEMS.values() for c in f.columns if c != f.name]
    + ["System ID", "ODS code", "", "notes", "Notes", "extra thing"]
)
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
    path.write_text(buffer.getvalue(), encoding="utf-8")


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
