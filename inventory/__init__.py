"""modernise.inventory: NHS legacy-system inventories in, validated, stored, as a graph.

The public API in one place; see ``docs/python-api.md``.

Examples
--------
>>> inventory = load_inventory("data/sample-trust")
>>> G = inventory.graph()
>>> G.number_of_nodes() == len(inventory.systems)
True
"""

from __future__ import annotations

from pathlib import Path

from inventory.errors import InvalidInventoryError, ModerniseError, StoreBusyError, StoreError
from inventory.graph import ArrayGraph, downstream, neighbourhood, to_graph, upstream
from inventory.io import read_raw
from inventory.lifecycle import derive_end_of_support, load_lifecycles
from inventory.model import Inventory
from inventory.report import Issue, ValidationReport
from inventory.store import ImportResult, Store
from inventory.validate import validate

__all__ = [
    "ArrayGraph",
    "ImportResult",
    "InvalidInventoryError",
    "Inventory",
    "Issue",
    "ModerniseError",
    "Store",
    "StoreBusyError",
    "StoreError",
    "ValidationReport",
    "derive_end_of_support",
    "downstream",
    "import_inventory",
    "load_inventory",
    "load_lifecycles",
    "neighbourhood",
    "read_inventory",
    "to_graph",
    "upstream",
]


def read_inventory(
    path: str | Path, *, known_ids: set[str] | frozenset[str] = frozenset()
) -> tuple[Inventory, ValidationReport]:
    """Read and validate an inventory file or folder; return it with every issue found.

    The inventory holds only the rows that passed; check ``report.valid`` before using it.
    """
    raw = read_raw(path)
    return validate(raw, known_ids=known_ids)


def load_inventory(path: str | Path, *, derive: bool = True) -> Inventory:
    """Read an inventory and raise :class:`InvalidInventoryError` if it has any error.

    With ``derive`` (the default), blank end-of-support dates are filled from the platform
    lifecycle table and ``end_of_support_source`` says where each date came from.
    """
    inventory, report = read_inventory(path)
    if not report.valid:
        raise InvalidInventoryError(report)
    if derive:
        inventory = Inventory(derive_end_of_support(inventory.systems), inventory.dependencies)
    return inventory


def import_inventory(
    path: str | Path,
    db: str | Path = "modernise.db",
    *,
    replace: bool = False,
    progress=None,
    busy_timeout: float | None = None,
) -> tuple[ImportResult | None, ValidationReport]:
    """Validate a file and, if it is valid, import it into the store in one transaction.

    Returns the import result (``None`` when validation failed and nothing was written) and
    the validation report. Dependencies and references may name systems already stored.
    ``busy_timeout`` (seconds) is how long to wait for another writer.
    """
    raw = read_raw(path)
    db_exists = str(db) == ":memory:" or Path(db).exists()
    known: set[str] = set()
    if db_exists and not replace:
        with Store(db, busy_timeout=busy_timeout) as store:
            known = store.system_ids()
    inventory, report = validate(raw, known_ids=known)
    if replace and inventory.systems.empty and report.valid:
        report.add(
            Path(raw.files[0]).name if raw.files else "(input)",
            None,
            None,
            None,
            "holds no systems; replacing with it would remove every system in the store, so "
            "nothing was imported (undo an import to roll it back instead)",
        )
    if not report.valid:
        return None, report
    with Store(db, busy_timeout=busy_timeout) as store:
        result = store.import_inventory(
            inventory,
            source=", ".join(Path(f).name for f in raw.files),
            sha256=raw.sha256,
            replace=replace,
            include_dependencies="dependencies" in raw.tables,
            progress=progress,
        )
    return result, report
