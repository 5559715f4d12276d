"""The exception tree: each error is the builtin it refines, and its text lists problems."""

from __future__ import annotations

import pytest

from inventory.errors import (
    InvalidArgumentError,
    InvalidInventoryError,
    InventoryFileError,
    MissingFileError,
    ModerniseError,
    SolverError,
    StoreBusyError,
    StoreError,
    UnknownSystemError,
)
from inventory.report import ValidationReport


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (UnknownSystemError(["a"]), KeyError),
        (InvalidArgumentError("runs", "runs must be 1 or more"), ValueError),
        (InventoryFileError("x.csv", "is not CSV"), ValueError),
        (MissingFileError("x.csv"), FileNotFoundError),
        (StoreBusyError("busy"), TimeoutError),
        (SolverError("no plan"), RuntimeError),
        (InvalidInventoryError(ValidationReport()), ValueError),
    ],
)
def test_each_error_is_the_builtin_it_refines(error, builtin):
    assert isinstance(error, builtin) and isinstance(error, ModerniseError)


def test_store_busy_is_a_store_error():
    assert issubclass(StoreBusyError, StoreError)


def test_unknown_systems_are_named_with_their_ids():
    error = UnknownSystemError(["lims-2", "pax"], where="in the inventory")
    assert str(error) == "no systems 'lims-2', 'pax' in the inventory"
    assert error.ids == ("lims-2", "pax")


def test_an_invalid_inventory_lists_its_first_ten_problems_and_a_count():
    report = ValidationReport()
    for row in range(2, 15):
        report.add("systems.csv", row, "criticality", "hgh", "criticality 'hgh' is wrong")
    report.add("systems.csv", 3, "notes", None, "a note", severity="warning")
    text = str(InvalidInventoryError(report)).splitlines()
    assert text[0] == (
        "13 problems in the inventory from systems.csv (fix the rows listed and try again; "
        "nothing was changed):"
    )
    assert text[1] == "  systems.csv row 2: criticality 'hgh' is wrong"
    assert len(text) == 12 and text[-1] == "  ... and 3 more"


def test_missing_file_gives_the_full_path_and_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    error = MissingFileError("in/trust.xlsx")
    assert error.message == f"trust.xlsx: no such file or folder ({tmp_path}/in/trust.xlsx)"
    assert error.hint == f"check the path; relative paths are read from {tmp_path}"
    assert error.path == "in/trust.xlsx"
