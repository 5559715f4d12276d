"""The store's columnar snapshot: a load from it gives exactly what reading the rows gives,
every way of changing the tables makes it stale, and a damaged or hostile one is not used.

Each test compares the snapshot's load with the row path's (the same store with its snapshot
deleted), and checks which of the two a load used.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import inventory.store as store_module
from inventory import Store, import_inventory
from inventory.model import Inventory
from inventory.snapshot import Coded, Part, decode, encode
from inventory.store import _layout
from tests.conftest import SAMPLE_TRUST
from tests.fuzz_targets import HOSTILE_TEXT

FIVE_SYSTEMS = SAMPLE_TRUST.parent / "examples" / "five-systems"


def _store(tmp_path: Path, systems, dependencies=()) -> Path:
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.import_inventory(
            Inventory.from_records(systems, dependencies), source="x", sha256="0" * 64
        )
    return path


def _sql(path: Path, *statements: str) -> None:
    """Change the file as the sqlite3 shell would: no modernise code involved."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()


def _snapshot_tables(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {t for (t,) in conn.execute("SELECT DISTINCT tbl FROM snapshot")}


def _load(path: Path, *, rows_read: set[str] | None = None, derive: bool = True) -> Inventory:
    """Load read-only; ``rows_read`` collects the tables read row by row."""
    read = store_module.Store._read

    def spy(self, table, **kwargs):
        if rows_read is not None:
            rows_read.add(table)
        return read(self, table, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_module.Store, "_read", spy)
        with Store(path, read_only=True) as store:
            return store.load(derive_end_of_support=derive)


def _by_rows(path: Path, tmp_path: Path, *, derive: bool = True) -> Inventory:
    """The same store loaded from its rows: a copy with the snapshot deleted."""
    copy = tmp_path / f"rows-{path.name}"
    shutil.copy(path, copy)
    _sql(copy, "DELETE FROM snapshot")
    rows_read: set[str] = set()
    loaded = _load(copy, rows_read=rows_read, derive=derive)
    assert rows_read == {"systems", "dependencies"}
    return loaded


def assert_snapshot_loads_as_rows(path: Path, tmp_path: Path) -> Inventory:
    """Both tables come from the snapshot and equal the row path, values and dtypes."""
    assert _snapshot_tables(path) == {"systems", "dependencies"}
    for derive in (True, False):
        rows_read: set[str] = set()
        fast = _load(path, rows_read=rows_read, derive=derive)
        assert rows_read == set()
        slow = _by_rows(path, tmp_path, derive=derive)
        pd.testing.assert_frame_equal(fast.systems, slow.systems)
        pd.testing.assert_frame_equal(fast.dependencies, slow.dependencies)
        assert fast.kept_policy == slow.kept_policy
    return fast


# --- the same frames as the rows give ------------------------------------------------------


@pytest.mark.parametrize("source", [SAMPLE_TRUST, FIVE_SYSTEMS], ids=["sample", "five"])
def test_imported_examples_load_from_the_snapshot_as_from_rows(source, tmp_path):
    path = tmp_path / "store.db"
    import_inventory(source, path)
    loaded = assert_snapshot_loads_as_rows(path, tmp_path)
    assert len(loaded.systems) > 0


def test_unmapped_columns_load_from_the_snapshot(tmp_path):
    path = _store(
        tmp_path,
        [
            {"id": "pas", "name": "PAS", "cost centre": "CC1", "ward": "A"},
            {"id": "lab", "name": "Lab", "cost centre": "CC2"},
            {"id": "ed", "name": "ED"},
        ],
        [{"consumer": "lab", "provider": "pas", "interface id": "IF-9"}],
    )
    loaded = assert_snapshot_loads_as_rows(path, tmp_path)
    assert loaded.systems["cost centre"].tolist() == ["CC1", "CC2", None]
    assert loaded.systems["ward"].tolist() == ["A", None, None]
    assert loaded.dependencies["interface id"].tolist() == ["IF-9"]


def test_nulls_in_every_column_load_from_the_snapshot(tmp_path):
    path = _store(
        tmp_path,
        [{"id": "pas", "name": "PAS", "users": 40}, {"id": "lab", "name": "Lab"}],
        [{"consumer": "lab", "provider": "pas"}],
    )
    columns = [c for c in store_module._COLUMNS["systems"] if c not in ("id", "name")]
    dependency_columns = [
        c for c in store_module._COLUMNS["dependencies"] if c not in ("consumer", "provider")
    ]
    _sql(
        path,
        f"UPDATE systems SET {', '.join(f'[{c}] = NULL' for c in columns)}, extra = NULL",
        f"UPDATE dependencies SET {', '.join(f'[{c}] = NULL' for c in dependency_columns)}",
    )
    assert _snapshot_tables(path) == set()  # the shell's edit made it stale
    with Store(path) as store:
        store.use_policy("p.yaml", "x: 1", "1" * 64)  # any write makes it again
    loaded = assert_snapshot_loads_as_rows(path, tmp_path)
    assert loaded.systems["users"].isna().all()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(
        HOSTILE_TEXT.map(lambda t: t.encode("utf-8", "replace").decode("utf-8")),
        min_size=6,
        max_size=6,
    )
)
def test_hostile_text_loads_from_the_snapshot_as_from_rows(texts, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hostile")
    path = _store(
        tmp_path,
        [
            {"id": texts[0] or "x", "name": texts[1], "notes": texts[2], texts[3] or "k": "v"},
            {"id": "pas", "name": "PAS", "supplier": texts[4], "after": (texts[5],)},
        ],
        [{"consumer": "pas", "provider": texts[0] or "x", "route": texts[5]}],
    )
    assert_snapshot_loads_as_rows(path, tmp_path)


def test_an_empty_store_keeps_an_empty_snapshot(tmp_path):
    path = tmp_path / "store.db"
    Store(path).close()
    assert _snapshot_tables(path) == {"systems", "dependencies"}
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert set(conn.execute("SELECT DISTINCT rows FROM snapshot")) == {(0,)}


# --- never stale ---------------------------------------------------------------------------


def test_imports_and_undo_and_redo_keep_it_current(tmp_path):
    path = _store(tmp_path, [{"id": "pas", "name": "PAS"}, {"id": "lab", "name": "Lab"}])
    with Store(path) as store:
        changed = Inventory.from_records(
            [{"id": "pas", "name": "PAS 2"}, {"id": "ed", "name": "ED"}],
            [{"consumer": "ed", "provider": "pas"}],
        )
        second = store.import_inventory(changed, source="y", sha256="1" * 64, replace=True)
    loaded = assert_snapshot_loads_as_rows(path, tmp_path)
    assert loaded.systems["name"].to_dict() == {"pas": "PAS 2", "ed": "ED"}
    assert len(loaded.dependencies) == 1
    with Store(path) as store:
        undo = store.undo(second.batch)
    loaded = assert_snapshot_loads_as_rows(path, tmp_path)
    assert loaded.systems["name"].to_dict() == {"pas": "PAS", "lab": "Lab"}
    assert len(loaded.dependencies) == 0
    with Store(path) as store:
        store.undo(undo.batch)  # redo: the undo undone
    loaded = assert_snapshot_loads_as_rows(path, tmp_path)
    assert loaded.systems["name"].to_dict() == {"pas": "PAS 2", "ed": "ED"}


def test_a_write_that_leaves_the_tables_alone_keeps_the_snapshot(tmp_path, monkeypatch):
    path = _store(tmp_path, [{"id": "pas", "name": "PAS"}])
    with contextlib.closing(sqlite3.connect(path)) as conn:
        before = conn.execute("SELECT tbl, col, data FROM snapshot ORDER BY 1, 2").fetchall()
    rows_read: list[str] = []
    read = store_module.Store._read
    monkeypatch.setattr(
        store_module.Store, "_read", lambda s, t, **k: rows_read.append(t) or read(s, t, **k)
    )
    with Store(path) as store:
        store.use_policy("p.yaml", "x: 1", "1" * 64)
    assert rows_read == []  # not made again
    with contextlib.closing(sqlite3.connect(path)) as conn:
        after = conn.execute("SELECT tbl, col, data FROM snapshot ORDER BY 1, 2").fetchall()
    assert after == before


@pytest.mark.parametrize(
    ("statement", "stale"),
    [
        ("UPDATE systems SET name = 'Patient admin' WHERE id = 'pas'", "systems"),
        ("INSERT INTO systems (id, name) VALUES ('ed', 'ED')", "systems"),
        ("DELETE FROM systems WHERE id = 'lab'", "systems"),
        ("UPDATE dependencies SET daily_volume = 7", "dependencies"),
        ("INSERT INTO dependencies (consumer, provider) VALUES ('pas', 'lab')", "dependencies"),
        ("DELETE FROM dependencies", "dependencies"),
    ],
)
def test_an_edit_in_the_sqlite_shell_makes_that_table_read_from_rows(statement, stale, tmp_path):
    path = _store(
        tmp_path,
        [{"id": "pas", "name": "PAS"}, {"id": "lab", "name": "Lab"}],
        [{"consumer": "lab", "provider": "pas", "daily_volume": 3}],
    )
    _sql(path, statement)
    assert _snapshot_tables(path) == {"systems", "dependencies"} - {stale}
    rows_read: set[str] = set()
    loaded = _load(path, rows_read=rows_read)
    assert rows_read == {stale}
    expected = _by_rows(path, tmp_path)
    pd.testing.assert_frame_equal(loaded.systems, expected.systems)
    pd.testing.assert_frame_equal(loaded.dependencies, expected.dependencies)
    with Store(path) as store:  # the next write makes it again
        store.use_policy("p.yaml", "x: 1", "1" * 64)
    assert_snapshot_loads_as_rows(path, tmp_path)


@pytest.mark.parametrize(
    "statements",
    [
        ["ALTER TABLE systems ADD COLUMN ward TEXT"],  # no trigger sees a change of definition
        ["DROP TRIGGER systems_update_stales_snapshot", "UPDATE systems SET name = 'New'"],
    ],
    ids=["altered", "trigger dropped"],
)
def test_a_table_altered_or_stripped_of_its_triggers_is_read_from_rows(statements, tmp_path):
    path = _store(tmp_path, [{"id": "pas", "name": "PAS"}])
    _sql(path, *statements)
    assert _snapshot_tables(path) == {"systems", "dependencies"}  # kept, but not to be trusted
    rows_read: set[str] = set()
    loaded = _load(path, rows_read=rows_read)
    assert rows_read == {"systems"}
    assert loaded.systems["name"].tolist() == ["New" if len(statements) == 2 else "PAS"]


def test_a_snapshot_table_dropped_by_hand_is_made_again_by_the_next_write(tmp_path):
    path = _store(tmp_path, [{"id": "pas", "name": "PAS"}])
    _sql(path, "DROP TABLE snapshot")  # the triggers, which name it, stay
    rows_read: set[str] = set()
    assert _load(path, rows_read=rows_read).systems.index.tolist() == ["pas"]
    assert rows_read == {"systems", "dependencies"}
    with Store(path) as store:  # opened for writing: the table is made again, then filled
        store.import_inventory(
            Inventory.from_records([{"id": "lab", "name": "Lab"}], []), source="y", sha256="1" * 64
        )
    loaded = assert_snapshot_loads_as_rows(path, tmp_path)
    assert sorted(loaded.systems.index) == ["lab", "pas"]


def test_a_trigger_dropped_by_hand_is_made_again_and_the_snapshot_with_it(tmp_path):
    path = _store(tmp_path, [{"id": "pas", "name": "PAS"}])
    _sql(path, "DROP TRIGGER systems_update_stales_snapshot", "UPDATE systems SET name = 'New'")
    Store(path).close()  # opened for writing: the trigger, and a snapshot of the rows as they are
    loaded = assert_snapshot_loads_as_rows(path, tmp_path)
    assert loaded.systems["name"].tolist() == ["New"]
    _sql(path, "UPDATE systems SET name = 'Newer'")  # the trigger works again
    assert _snapshot_tables(path) == {"dependencies"}


def test_a_snapshot_table_of_another_shape_is_not_read_and_is_replaced(tmp_path):
    path = _store(tmp_path, [{"id": "pas", "name": "PAS"}])
    _sql(path, "DROP TABLE snapshot", "CREATE TABLE snapshot (tbl TEXT, col TEXT)")
    rows_read: set[str] = set()
    assert _load(path, rows_read=rows_read).systems.index.tolist() == ["pas"]
    assert rows_read == {"systems", "dependencies"}
    Store(path).close()  # opened for writing: replaced by the store's own, and filled
    assert_snapshot_loads_as_rows(path, tmp_path)


def test_a_migration_makes_it_again(tmp_path):
    path = _store(tmp_path, [{"id": "pas", "name": "PAS"}])
    other = _store(tmp_path / "other", [{"id": "lab", "name": "Lab"}])
    # a whole, valid snapshot of other rows, and the store one schema version back
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("ATTACH DATABASE ? AS other", (str(other),))
        conn.execute("DELETE FROM snapshot")
        conn.execute("INSERT INTO snapshot SELECT * FROM other.snapshot")
        conn.execute("DELETE FROM schema_version WHERE version = ?", (store_module.SCHEMA_VERSION,))
        conn.commit()
    Store(path).close()  # migrated
    loaded = assert_snapshot_loads_as_rows(path, tmp_path)
    assert loaded.systems.index.tolist() == ["pas"]


def test_a_store_of_the_previous_version_loads_from_rows_then_gains_a_snapshot(tmp_path):
    path = _store(tmp_path, [{"id": "pas", "name": "PAS"}], [{"consumer": "pas", "provider": "x"}])
    _sql(  # as schema 4 left it: no snapshot table, no triggers
        path,
        "DROP TABLE snapshot",
        *(
            f"DROP TRIGGER [{t}_{e}_stales_snapshot]"
            for t in ("systems", "dependencies")
            for e in ("insert", "update", "delete")
        ),
        "DELETE FROM schema_version WHERE version = 5",
    )
    with Store(path) as store:
        assert store.version == store_module.SCHEMA_VERSION
    assert_snapshot_loads_as_rows(path, tmp_path)


# --- damaged or hostile snapshots are not used ---------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE snapshot SET data = substr(data, 2) WHERE col = 'name'",  # short
        "UPDATE snapshot SET rows = rows + 1, data = data || x'00' WHERE col = 'name'",
        "UPDATE snapshot SET dtype = '<i8' WHERE col = 'hosting'",
        "UPDATE snapshot SET dtype = 'O' WHERE col = 'hosting'",
        "UPDATE snapshot SET kind = 'float64' WHERE col = 'name'",
        "UPDATE snapshot SET data = x'0500' WHERE col = 'hosting'",  # code out of range
        "UPDATE snapshot SET distinct_values = CAST('[1, 2]' AS BLOB) WHERE col = 'name'",
        "UPDATE snapshot SET distinct_values = 'not bytes' WHERE col = 'name'",
        "UPDATE snapshot SET distinct_values = x'ff5b5d' WHERE col = 'name'",  # not UTF-8
        "UPDATE snapshot SET distinct_values = CAST(printf('%.*c', 5000, '[') AS BLOB) "
        "WHERE col = 'name'",  # nested beyond recursion
        "UPDATE snapshot SET crc32 = crc32 + 1 WHERE col = 'users'",
        "UPDATE snapshot SET data = zeroblob(length(data)) WHERE col = 'users'",  # bit rot
        "DELETE FROM snapshot WHERE col = 'notes' AND tbl = 'systems'",
        "INSERT INTO snapshot SELECT tbl, 'surplus', kind, dtype, rows, data, distinct_values, "
        "crc32, table_sql FROM snapshot WHERE tbl = 'systems' AND col = 'name'",
    ],
)
def test_a_damaged_or_hostile_snapshot_falls_back_to_the_rows(damage, tmp_path):
    path = _store(
        tmp_path,
        [
            {"id": "pas", "name": "PAS", "criticality": "high", "users": 10},
            {"id": "lab", "name": "Lab", "users": 20},
        ],
    )
    _sql(path, damage)
    if "crc32" not in damage and "zeroblob" not in damage:  # hostile: the checksums agree
        _fix_checksums(path)
    rows_read: set[str] = set()
    loaded = _load(path, rows_read=rows_read)
    assert rows_read == {"systems"}
    expected = _by_rows(path, tmp_path)
    pd.testing.assert_frame_equal(loaded.systems, expected.systems)


def _fix_checksums(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT tbl, col, data, distinct_values FROM snapshot").fetchall()
        for table, column, data, distinct in rows:
            data = data if isinstance(data, bytes) else str(data).encode()
            distinct = distinct if isinstance(distinct, bytes | None) else distinct.encode()
            conn.execute(
                "UPDATE snapshot SET crc32 = ? WHERE tbl = ? AND col = ?",
                (zlib.crc32(distinct or b"", zlib.crc32(data)), table, column),
            )
        conn.commit()


def test_values_a_snapshot_cannot_carry_leave_the_table_to_its_rows(tmp_path):
    path = _store(
        tmp_path,
        [{"id": "pas", "name": "PAS"}, {"id": "lab", "name": "Lab"}],
        [{"consumer": "lab", "provider": "pas"}],
    )
    _sql(
        path,
        "UPDATE systems SET notes = x'00ff' WHERE id = 'pas'",  # a BLOB in a text column
        "UPDATE dependencies SET notes = x'01'",
    )
    with Store(path) as store:
        store.use_policy("p.yaml", "x: 1", "1" * 64)
    assert _snapshot_tables(path) == set()
    rows_read: set[str] = set()
    loaded = _load(path, rows_read=rows_read)
    assert rows_read == {"systems", "dependencies"}
    assert loaded.systems.loc["pas", "notes"] == b"\x00\xff"


# --- the encoding, by hand -----------------------------------------------------------------


def test_encoding_by_hand():
    layout = {"id": ("cells", str), "hosting": ("coded", str), "users": ("cells", int)}
    columns = {
        "id": np.array(["a", "b", "c"], dtype=object),
        "hosting": Coded(np.array([1, -1, 1]), np.array(["", "cloud"], dtype=object)),
        "users": np.array([None, 7, 7], dtype=object),
    }
    parts = {p.column: p for p in encode(columns, layout) or []}
    assert parts["id"].data == bytes([0, 1, 2]) and parts["id"].distinct == b'["a", "b", "c"]'
    assert parts["hosting"].data == bytes([1, 255, 1])
    assert parts["hosting"].distinct == b'["", "cloud"]'
    assert parts["users"].data == bytes([255, 0, 0]) and parts["users"].distinct == b"[7]"
    back = decode(parts.values(), layout, rows=3)
    assert back is not None
    assert back["id"].tolist() == ["a", "b", "c"]
    assert back["hosting"].values(null="?").tolist() == ["cloud", "?", "cloud"]
    assert back["users"].tolist() == [None, 7, 7]
    # 200 distinct values need int16 codes
    many = Coded(np.arange(200), np.array([str(i) for i in range(200)], dtype=object))
    (wide,) = encode({"hosting": many}, {"hosting": ("coded", str)}) or []
    assert (wide.dtype, len(wide.data)) == ("<i2", 400)


def test_a_layout_mismatch_is_not_decoded():
    layout = {"users": ("cells", int)}
    (part,) = encode({"users": np.array([1, 2], dtype=object)}, layout) or []
    assert decode([part], {"users": ("cells", str)}, rows=2) is None  # ints are not text
    assert decode([part], {"users": ("coded", int)}, rows=2) is None
    assert decode([part, Part("x", "cells", "<i1", 0, b"", b"[]", 0)], layout, 2) is None
    assert encode({"users": np.array([1.5], dtype=object)}, layout) is None
    boolean = Part.of("users", "cells", "<i1", bytes([0, 0]), b"[true]")
    assert decode([boolean], layout, rows=2) is None  # JSON true is not a whole number
    assert decode([Part.of("users", "cells", "<i1", bytes([0, 0]), b"[1]")], layout, 2) is not None


def test_store_layout_is_what_the_row_reader_gives():
    layout = _layout("dependencies")
    assert layout["consumer"] == ("coded", str)  # only a single-column key is left uncoded
    assert layout["daily_volume"] == ("cells", int)
    assert _layout("systems")["id"] == ("cells", str)
    assert _layout("systems")["annual_run_cost_gbp"] == ("float64", float)
    assert _layout("systems")["extra"] == ("coded", str)


def test_a_column_too_long_for_a_sqlite_row_leaves_the_table_to_its_rows(tmp_path):
    path = tmp_path / "store.db"
    systems = [{"id": f"s{i}", "name": f"System number {i:04d}"} for i in range(200)]
    with Store(path) as store:
        store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 6000)  # the names' JSON is longer
        store.import_inventory(Inventory.from_records(systems), source="x", sha256="0" * 64)
    assert _snapshot_tables(path) == {"dependencies"}
    rows_read: set[str] = set()
    assert _load(path, rows_read=rows_read).systems["name"].tolist()[-1] == "System number 0199"
    assert rows_read == {"systems"}
