"""The store: transactions, audit, re-import, replace, migrations."""

from __future__ import annotations

import hashlib
import sqlite3

import pandas as pd
import pytest

from inventory import Store, import_inventory, load_inventory
from inventory.errors import StoreError
from inventory.store import READABLE_SINCE, SCHEMA_VERSION
from tests.conftest import BASIC_SYSTEMS, SAMPLE_TRUST


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_then_load_gives_the_same_inventory(make_inventory, db_path):
    path = make_inventory()
    result, report = import_inventory(path, db_path)
    assert report.valid
    assert (result.systems_added, result.dependencies_added) == (3, 2)
    with Store(db_path) as store:
        stored = store.load(derive_end_of_support=False)
    from_file = load_inventory(path, derive=False)
    pd.testing.assert_frame_equal(stored.systems, from_file.systems)
    pd.testing.assert_frame_equal(stored.dependencies, from_file.dependencies)


def test_csv_and_xlsx_give_the_same_store(tmp_path):
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        pass
    import_inventory(SAMPLE_TRUST, tmp_path / "a.db")
    import_inventory(SAMPLE_TRUST / "northshire-trust.xlsx", tmp_path / "b.db")
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        for table in ("systems", "dependencies"):
            rows_a = a.db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            rows_b = b.db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            assert rows_a == rows_b


def test_reimport_records_every_changed_field(make_inventory, db_path):
    import_inventory(make_inventory(), db_path)
    rows = [dict(r) for r in BASIC_SYSTEMS]
    rows[0]["criticality"] = "high"
    rows[0]["annual_run_cost_gbp"] = "£450k"
    result, _ = import_inventory(make_inventory(rows), db_path)
    assert (result.systems_added, result.systems_changed, result.fields_changed) == (0, 1, 2)
    with Store(db_path) as store:
        audit = store.audit(result.batch)
        batch = store.batches().loc[result.batch]
    assert audit[["entity", "key", "action", "field", "old", "new"]].values.tolist() == [
        ["system", "pas", "update", "criticality", '"critical"', '"high"'],
        ["system", "pas", "update", "annual_run_cost_gbp", "0.0", "450000.0"],
    ]
    assert batch["source"] == "systems.csv, dependencies.csv"
    assert len(batch["sha256"]) == 64 and batch["mode"] == "upsert"


def test_reimport_of_the_same_file_changes_nothing(make_inventory, db_path):
    path = make_inventory()
    import_inventory(path, db_path)
    result, _ = import_inventory(path, db_path)
    assert not result.changed_anything
    with Store(db_path) as store:
        assert store.audit(result.batch).empty


def test_upsert_keeps_systems_absent_from_the_file(make_inventory, db_path):
    import_inventory(make_inventory(), db_path)
    _, report = import_inventory(
        make_inventory([{"id": "lims", "name": "LIMS"}], [{"consumer": "lims", "provider": "pas"}]),
        db_path,
    )
    assert report.valid, str(report)
    with Store(db_path) as store:
        assert store.system_ids() == {"pas", "tie", "ed", "lims"}


def test_replace_removes_absent_systems_with_their_links_and_audits_them(make_inventory, db_path):
    import_inventory(make_inventory(), db_path)
    result, _ = import_inventory(
        make_inventory(BASIC_SYSTEMS[:2], [{"consumer": "tie", "provider": "pas"}]),
        db_path,
        replace=True,
    )
    assert (result.systems_removed, result.dependencies_removed) == (1, 1)
    with Store(db_path) as store:
        assert store.system_ids() == {"pas", "tie"}
        audit = store.audit(result.batch)
    deleted = audit[audit["action"] == "delete"]
    assert sorted(deleted["key"]) == ["ed", "ed -> tie"]
    assert '"name": "ED system"' in deleted.loc[deleted["key"] == "ed", "old"].item()


def test_invalid_file_leaves_the_store_byte_for_byte_unchanged(make_inventory, db_path):
    import_inventory(make_inventory(), db_path)
    before = digest(db_path)
    bad = [dict(r) for r in BASIC_SYSTEMS]
    bad[1]["criticality"] = "hgh"
    result, report = import_inventory(make_inventory(bad), db_path)
    assert result is None and not report.valid
    assert digest(db_path) == before


@pytest.mark.slow
def test_failure_half_way_rolls_everything_back(make_inventory, db_path, monkeypatch):
    import_inventory(make_inventory(), db_path)
    before = digest(db_path)
    rows = [{"id": f"sys-{i}", "name": f"System {i}"} for i in range(60_000)]
    path = make_inventory(rows, [])
    from inventory import store as store_module

    calls = {"n": 0}
    original = store_module.Store._apply

    def explode_on_second_table(self, diff, batch, progress):
        calls["n"] += 1
        written = original(self, diff, batch, progress)
        if calls["n"] == 2:  # systems already written inside the transaction
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return written

    monkeypatch.setattr(store_module.Store, "_apply", explode_on_second_table)
    with pytest.raises(StoreError, match=r"disk I/O error \(simulated\)"):
        import_inventory(path, db_path)
    assert digest(db_path) == before
    with Store(db_path) as store:
        assert store.system_ids() == {"pas", "tie", "ed"}
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_unknown_columns_survive_the_store(make_inventory, db_path):
    rows = [dict(r) for r in BASIC_SYSTEMS]
    rows[0]["business_owner"] = "Dr Patel"
    import_inventory(make_inventory(rows), db_path)
    with Store(db_path) as store:
        systems = store.load().systems
    assert systems.loc["pas", "business_owner"] == "Dr Patel"
    assert systems.loc["tie", "business_owner"] is None


def test_schema_version_and_newer_store_refused(db_path):
    with Store(db_path) as store:
        assert store.version == SCHEMA_VERSION
        store.db.execute("INSERT INTO schema_version VALUES (99, 'future')")
        store.db.conn.commit()
    with pytest.raises(StoreError, match="written by a newer modernise"):
        Store(db_path)


def test_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("hello, not sqlite " * 100)
    with pytest.raises(StoreError, match="is not a modernise store"):
        Store(path)


def test_missing_store_when_reading(tmp_path):
    with pytest.raises(StoreError, match="no inventory store at"):
        Store(tmp_path / "missing.db", create=False)


def test_load_derives_end_of_support_from_platform(make_inventory, db_path):
    import_inventory(make_inventory(), db_path)
    with Store(db_path) as store:
        systems = store.load().systems
    assert systems.loc["pas", "end_of_support"] == pd.Timestamp("2020-01-14")
    assert systems.loc["pas", "end_of_support_source"] == (
        "lifecycle: Windows Server 2008 R2 (published)"
    )
    assert systems.loc["tie", "end_of_support_source"] is None


def test_a_version_1_store_is_migrated_and_keeps_its_data(db_path, make_inventory):
    import sqlite_utils

    from inventory.store import _migration_1

    db = sqlite_utils.Database(db_path)
    db["schema_version"].create({"version": int, "applied_at": str}, pk="version")
    _migration_1(db)
    db["schema_version"].insert({"version": 1, "applied_at": "2026-01-01T00:00:00"})
    db.close()
    import_inventory(make_inventory(), db_path)  # migrates, then imports
    with Store(db_path) as store:
        assert store.version == SCHEMA_VERSION == 5
        indexes = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master")}
        assert "idx_audit_entity_key" not in indexes and "idx_audit_batch" in indexes
        assert len(store.load().systems) == 3


def test_bulk_import_rebuilds_indexes_and_audits_every_new_record(db_path, monkeypatch):
    """Above CHUNK_ROWS new rows the indexes are built once at the end and the insert audit
    is written by SQLite; the result must be the same as the row-by-row path."""
    from inventory import store as store_module
    from inventory.model import Inventory

    monkeypatch.setattr(store_module, "CHUNK_ROWS", 4)
    systems = [{"id": f"s{i}", "name": f"S{i}", "organisation": "RXX"} for i in range(10)]
    deps = [{"consumer": f"s{i}", "provider": f"s{i + 1}"} for i in range(9)]
    with Store(db_path) as store:
        result = store.import_inventory(
            Inventory.from_records(systems, deps), source="x", sha256="0" * 64
        )
        assert (result.systems_added, result.dependencies_added) == (10, 9)
        audit = store.audit(result.batch)
        assert sorted(audit.loc[audit["entity"] == "system", "key"]) == sorted(
            s["id"] for s in systems
        )
        assert set(audit.loc[audit["entity"] == "dependency", "key"]) == {
            f"s{i} -> s{i + 1}" for i in range(9)
        }
        assert set(audit["action"]) == {"insert"}
        plan = store.db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM dependencies WHERE provider = 's3'"
        ).fetchall()
        assert "idx_dependencies_provider" in str(plan)
        undone = store.undo(result.batch)
        assert (undone.systems_removed, undone.dependencies_removed) == (10, 9)
        assert store.counts()["systems"] == 0


def test_a_version_2_store_gains_routes_and_mappings(db_path):
    """Schema 3: a route kept with the extra columns before it was a field moves into it."""
    import sqlite_utils

    from inventory.store import _migration_1, _migration_2

    db = sqlite_utils.Database(db_path)
    db["schema_version"].create({"version": int, "applied_at": str}, pk="version")
    _migration_1(db)
    db.execute("ALTER TABLE dependencies DROP COLUMN route")  # as version 2 made it
    _migration_2(db)
    db["schema_version"].insert_all(
        [{"version": 1, "applied_at": "2026-01-01"}, {"version": 2, "applied_at": "2026-01-01"}]
    )
    db["systems"].insert_all([{"id": "pas", "name": "PAS"}, {"id": "ed", "name": "ED"}])
    db["dependencies"].insert_all(
        [
            {"consumer": "ed", "provider": "pas", "extra": '{"owner": "JP", "route": "via TIE"}'},
            {"consumer": "pas", "provider": "ed", "extra": '{"route": "direct"}'},
        ]
    )
    db.close()
    with Store(db_path) as store:
        assert store.version == SCHEMA_VERSION
        rows = store.db.execute(
            "SELECT consumer, route, extra FROM dependencies ORDER BY consumer"
        ).fetchall()
        assert rows == [("ed", "via TIE", '{"owner":"JP"}'), ("pas", "direct", None)]
        assert "mapping_sha256" in store.history().columns
        assert store.load().dependencies["route"].tolist() == ["via TIE", "direct"]


def test_each_batch_keeps_the_mapping_it_was_read_with(db_path):
    from inventory.model import Inventory

    inventory = Inventory.from_records([{"id": "pas", "name": "PAS"}])
    with Store(db_path) as store:
        first = store.import_inventory(inventory, source="a.csv", sha256="0" * 64)
        second = store.import_inventory(
            inventory, source="a.xlsx", sha256="1" * 64, mapping="version: 1\n"
        )
        third = store.import_inventory(
            inventory, source="a.xlsx", sha256="1" * 64, mapping="version: 1\n"
        )
        history = store.history()
        assert store.mapping(first.batch) is None
        assert store.mapping(second.batch) == store.mapping(third.batch) == "version: 1\n"
        assert store.db.execute("SELECT COUNT(*) FROM mappings").fetchone() == (1,)
    digest = "09bfcc6a14b83e2192b8673677725c84883ee9cd0c70e45c9ec09daa8f2b2847"  # sha256sum
    assert history["mapping_sha256"].fillna("").tolist() == ["", digest, digest]


def test_a_version_3_store_gains_the_new_system_fields_and_keeps_its_data(db_path, make_inventory):
    import sqlite3

    new = [
        "move_with",
        "capital_share",
        "spend_profile",
        "spend_by_year",
        "department",
        "clinical_safety_class",
        "hazard_log",
        "data_to_archive_gb",
    ]
    import_inventory(make_inventory(), db_path)
    with sqlite3.connect(db_path) as conn:  # as a version 3 store was: without them
        for column in new:
            conn.execute(f"ALTER TABLE systems DROP COLUMN {column}")
        conn.execute("DELETE FROM schema_version WHERE version >= 4")
    with Store(db_path) as store:
        assert store.version == SCHEMA_VERSION
        columns = store.db["systems"].columns_dict
        assert all(column in columns for column in new)
        systems = store.load().systems
    assert len(systems) == 3 and systems["move_with"].tolist() == [(), (), ()]


# --- reading never writes; what is not a store is left alone ---------------------------


def test_a_read_only_store_changes_nothing_and_writes_nothing(make_inventory, db_path):
    import_inventory(make_inventory(), db_path)
    with sqlite3.connect(db_path) as conn:  # a store left in the default rollback journal
        conn.execute("PRAGMA journal_mode = DELETE")
    before = digest(db_path)
    with Store(db_path, read_only=True) as store:
        assert store.load().systems.index.tolist() == ["pas", "tie", "ed"]
        with pytest.raises(StoreError, match="opened read-only"):
            store.undo(1)
    assert digest(db_path) == before  # no switch to WAL
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_sqlite_file_that_is_not_a_store_is_refused_unchanged(tmp_path):
    path = tmp_path / "clinic.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE patients (nhs_number TEXT)")
    before = digest(path)
    for read_only in (True, False):
        with pytest.raises(StoreError) as caught:
            Store(path, read_only=read_only)
        assert str(caught.value) == (
            f"{path} is not a modernise store: it is a SQLite database holding other tables "
            "(patients); it was left unchanged (choose another file for the store)"
        )
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clinic.sqlite"]


def test_an_older_store_is_read_only_as_far_as_it_goes(make_inventory, db_path):
    import_inventory(make_inventory(), db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM schema_version WHERE version >= ?", (READABLE_SINCE,))
    before = digest(db_path)
    with Store(db_path, read_only=True) as store:
        assert store.system_ids() == {"pas", "tie", "ed"}  # what an import compares with
        with pytest.raises(StoreError, match="is from an older modernise"):
            store.load()
    assert digest(db_path) == before


def test_a_store_of_the_previous_schema_is_read_as_it_is(make_inventory, db_path):
    # schema 5 only added the snapshot (a copy for fast loads): a reader needs none of it
    import_inventory(make_inventory(), db_path)
    with Store(db_path, read_only=True) as store:
        current = store.load()
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM schema_version WHERE version = ?", (SCHEMA_VERSION,))
        conn.execute("DROP TABLE snapshot")  # and its triggers, as schema 4 had none:
        for (trigger,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            conn.execute(f"DROP TRIGGER [{trigger}]")
    before = digest(db_path)
    with Store(db_path, read_only=True) as store:
        assert store.version == READABLE_SINCE == SCHEMA_VERSION - 1
        older = store.load()
        assert len(store.history()) == 1
    pd.testing.assert_frame_equal(older.systems, current.systems)
    pd.testing.assert_frame_equal(older.dependencies, current.dependencies)
    assert digest(db_path) == before


def test_a_damaged_store_is_named_as_damaged(make_inventory, db_path):
    rows = [{"id": f"sys-{i}", "name": f"System {i}"} for i in range(2_000)]
    import_inventory(make_inventory(rows, []), db_path)
    data = bytearray(db_path.read_bytes())
    data[8192:16384] = b"\x55" * 8192
    db_path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as caught, Store(db_path, read_only=True) as store:
        store.load()
    assert str(caught.value).startswith(f"{db_path} is damaged: database disk image is malformed")


def test_a_value_written_by_hand_of_the_wrong_type_is_named(make_inventory, db_path):
    import_inventory(make_inventory(), db_path)
    with sqlite3.connect(db_path) as conn:  # an analyst's fix in the sqlite3 shell
        conn.execute("UPDATE systems SET users = 12.5 WHERE id = 'pas'")
    before = digest(db_path)
    with pytest.raises(StoreError) as caught, Store(db_path, read_only=True) as store:
        store.load()
    assert digest(db_path) == before
    assert str(caught.value).startswith(
        f"{db_path}: systems.users holds a value of the wrong type ("
    )
    assert caught.value.hint == (
        "correct systems.users with the sqlite3 shell, or undo the batch that wrote it"
    )
