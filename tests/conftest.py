"""Shared fixtures: small inventories written as files, the sample trust, a fresh store."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TRUST = ROOT / "data" / "sample-trust"
SHARED_DATA = ROOT.parent / "shared" / "data"

BASIC_SYSTEMS = [
    {"id": "pas", "name": "PAS", "criticality": "critical", "platform": "Windows Server 2008 R2"},
    {"id": "tie", "name": "Integration engine", "criticality": "critical"},
    {"id": "ed", "name": "ED system", "criticality": "high"},
]
BASIC_DEPENDENCIES = [
    {"consumer": "tie", "provider": "pas", "kind": "HL7 v2", "messages": "ADT^A01"},
    {"consumer": "ed", "provider": "tie", "kind": "HL7 v2", "messages": "ADT^A01; ADT^A08"},
]


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    """Write rows to a CSV file (columns from the first row unless given)."""
    columns = columns or list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def make_inventory(tmp_path):
    """Factory: write systems.csv (and dependencies.csv) into a new folder; return it."""
    counter = {"n": 0}

    def make(systems=None, dependencies=None, *, columns=None) -> Path:
        counter["n"] += 1
        folder = tmp_path / f"inventory{counter['n']}"
        folder.mkdir()
        write_csv(folder / "systems.csv", BASIC_SYSTEMS if systems is None else systems, columns)
        deps = BASIC_DEPENDENCIES if dependencies is None else dependencies
        if deps:
            write_csv(folder / "dependencies.csv", deps)
        return folder

    return make


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "store.db"


def load_module(path: Path):
    """Import a script that is not in a package (a fixture generator) by its path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
