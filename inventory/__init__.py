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
from typing import TYPE_CHECKING, Any

from inventory.errors import (
    EmptyStoreError,
    InvalidInventoryError,
    ModerniseError,
    StoreBusyError,
    StoreError,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    from inventory.files import RawInventory
    from inventory.graph import ArrayGraph, downstream, neighbourhood, to_graph, upstream
    from inventory.lifecycle import derive_end_of_support, load_lifecycles
    from inventory.mapping import Mapping, load_mapping
    from inventory.model import Inventory
    from inventory.propose import propose_mapping
    from inventory.report import Issue, ValidationReport
    from inventory.store import ImportResult, Store

    MappingSource: TypeAlias = Mapping | str | Path

#: Where each public name that is not defined here lives: imported on first use (PEP 562),
#: so that ``import inventory`` stays light for the command line's quick commands.
_HOMES = {
    "ArrayGraph": "inventory.graph",
    "downstream": "inventory.graph",
    "neighbourhood": "inventory.graph",
    "to_graph": "inventory.graph",
    "upstream": "inventory.graph",
    "derive_end_of_support": "inventory.lifecycle",
    "load_lifecycles": "inventory.lifecycle",
    "Mapping": "inventory.mapping",
    "load_mapping": "inventory.mapping",
    "Inventory": "inventory.model",
    "propose_mapping": "inventory.propose",
    "Issue": "inventory.report",
    "ValidationReport": "inventory.report",
    "ImportResult": "inventory.store",
    "Store": "inventory.store",
}

__all__ = [
    "ArrayGraph",
    "ImportResult",
    "InvalidInventoryError",
    "Inventory",
    "Issue",
    "Mapping",
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
    "load_mapping",
    "neighbourhood",
    "propose_mapping",
    "read_inventory",
    "to_graph",
    "upstream",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'inventory' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


def _mapping(mapping: MappingSource) -> tuple[Mapping | None, ValidationReport]:
    from inventory.mapping import Mapping, read_mapping
    from inventory.report import ValidationReport

    if isinstance(mapping, Mapping):
        return mapping, ValidationReport()
    return read_mapping(mapping)


def _read(
    path: str | Path, mapping: MappingSource | None, known_ids: set[str] | frozenset[str]
) -> tuple[RawInventory | None, Mapping | None, ValidationReport]:
    """Raw tables of a file, through a column mapping if one is given (a file or an object)."""
    from inventory.apply_mapping import read_with_mapping
    from inventory.io import read_raw
    from inventory.report import ValidationReport

    if mapping is None:
        return read_raw(path), None, ValidationReport()
    checked, report = _mapping(mapping)
    if checked is None:
        return None, None, report
    raw = read_with_mapping(path, checked, known_ids=known_ids)
    if any(i.severity == "error" and i.source == checked.source for i in raw.issues):
        # the mapping names sheets or columns the file lacks: nothing more to say until fixed
        report.extend(i for i in raw.issues if i.source == checked.source)
        return None, checked, report
    return raw, checked, report


def read_inventory(
    path: str | Path,
    *,
    known_ids: set[str] | frozenset[str] = frozenset(),
    mapping: MappingSource | None = None,
) -> tuple[Inventory, ValidationReport]:
    """Read and validate an inventory file or folder; return it with every issue found.

    With ``mapping`` (a :class:`Mapping`, or the path of a mapping file) the file is read as a
    register kept in its own layout (:mod:`inventory.mapping`); problems in the mapping itself
    are reported too. The inventory holds only the rows that passed; check ``report.valid``
    before using it.
    """
    from inventory.model import Inventory, empty_dependencies, empty_systems
    from inventory.validate import validate

    raw, _, report = _read(path, mapping, known_ids)
    if raw is None:
        return Inventory(empty_systems(), empty_dependencies()), report
    inventory, found = validate(raw, known_ids=known_ids)
    report.extend(found.issues)
    return inventory, report


def load_inventory(
    path: str | Path, *, derive: bool = True, mapping: MappingSource | None = None
) -> Inventory:
    """Read an inventory and raise :class:`InvalidInventoryError` if it has any error.

    With ``derive`` (the default), blank end-of-support dates are filled from the platform
    lifecycle table and ``end_of_support_source`` says where each date came from. ``mapping``
    is as for :func:`read_inventory`.
    """
    from inventory.lifecycle import derive_end_of_support
    from inventory.model import Inventory

    inventory, report = read_inventory(path, mapping=mapping)
    if not report.valid:
        raise InvalidInventoryError(
            report, own_layout=mapping is None and report.lacks_required_columns
        )
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
    mapping: MappingSource | None = None,
) -> tuple[ImportResult | None, ValidationReport]:
    """Validate a file and, if it is valid, import it into the store in one transaction.

    Returns the import result (``None`` when validation failed and nothing was written) and
    the validation report. Dependencies and references may name systems already stored.
    ``busy_timeout`` (seconds) is how long to wait for another writer. With ``mapping`` (as
    for :func:`read_inventory`) the mapping's text is kept with the batch.
    """
    from inventory.store import Store
    from inventory.validate import validate

    known: set[str] = set()
    if str(db) != ":memory:" and Path(db).is_file() and Path(db).stat().st_size:
        # read-only: a rejected file leaves the store byte-for-byte as it was, and a file
        # that is not a store is refused before anything is read
        try:
            with Store(db, read_only=True, busy_timeout=busy_timeout) as store:
                known = set() if replace else store.system_ids()
        except EmptyStoreError:  # a SQLite file with no tables yet: the import makes them
            known = set()
    raw, used, report = _read(path, mapping, known)
    if raw is None:
        return None, report
    inventory, found = validate(raw, known_ids=known)
    report.extend(found.issues)
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
            mapping=used.text if used is not None else None,
        )
    return result, report
