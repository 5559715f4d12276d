"""The SQLite store: every import is one transaction, every change is audited.

The store (``modernise.db`` unless told otherwise) holds the systems and dependencies as
given in the files (derived values such as a platform's end of support are worked out when
the inventory is loaded, never stored), plus:

- ``batches``: one row per import: when, from which file, its SHA-256, the mode, counts, and
  the SHA-256 of the column mapping it was read with (if any);
- ``mappings``: the text of every column mapping used, keyed by its SHA-256;
- ``audit``: one row per inserted or deleted record and per changed field, with the old and
  the new value as JSON, so any batch can be explained and undone;
- ``schema_version``: the migrations applied; a newer store is refused, an older one migrated.
- ``snapshot``: each column of systems and dependencies in load-ready form
  (:mod:`inventory.snapshot`), made again in every write transaction that changed its table;
  triggers delete a table's snapshot whenever a row of it changes (whoever changes it), and
  :meth:`Store.load` reads the rows whenever the snapshot is absent or not whole.

Imports take the write lock first (``BEGIN IMMEDIATE``), then compare with what is stored
and write, so two people importing at once cannot lose each other's changes; a crash or an
error rolls everything back. The database runs in WAL mode with a busy timeout: readers never
block, and a writer that waits too long gets :class:`StoreBusyError`.

A store opened ``read_only`` is opened by SQLite read-only (``mode=ro``): nothing is migrated
or switched to WAL, so reading never changes the file. A SQLite file that is not a store (it
holds other tables) is refused unchanged, read or write; a damaged file, a read-only one
opened for writing, and a store from an older or newer modernise are each named as such.

(Over 600 lines on purpose: migrations, the import diff, audit and undo share one write
transaction and one encoding of frames as rows; apart, each would need the others' insides.)

Why one module of this size: every SQL statement that touches the store is here, so the
transaction boundaries (the write lock, the audit rows, undo, migrations, read-only opening)
can be read, and reviewed, in one place.

Examples
--------
>>> from inventory.model import Inventory
>>> inv = Inventory.from_records([{"id": "pas", "name": "PAS", "criticality": "critical"}])
>>> with Store(":memory:") as store:
...     first = store.import_inventory(inv, source="systems.csv", sha256="0" * 64)
...     changed = Inventory.from_records([{"id": "pas", "name": "PAS", "criticality": "high"}])
...     second = store.import_inventory(changed, source="systems.csv", sha256="1" * 64)
...     audit = store.audit(second.batch)
>>> print(first)
batch 1: 1 system added, 0 changed, 0 removed; 0 dependencies added, 0 changed, 0 removed
>>> audit[["key", "action", "field", "old", "new"]].values.tolist()
[['pas', 'update', 'criticality', '"critical"', '"high"']]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import sqlite_utils

from inventory.errors import EmptyStoreError, StoreBusyError, StoreError
from inventory.lifecycle import derive_end_of_support as derive
from inventory.model import DERIVED_COLUMNS, DTYPES, Inventory, conform_column
from inventory.schema import DEPENDENCIES, ORDERED_DTYPES, SYSTEMS, Field
from inventory.snapshot import Coded, Part, decode, encode

__all__ = ["SCHEMA_VERSION", "ImportResult", "Store"]

SCHEMA_VERSION = 5
#: The oldest schema read as it is by a read-only open: migration 5 adds only the snapshot,
#: a copy of the tables for fast loads, so a store of schema 4 is read from its rows.
READABLE_SINCE = 4
BUSY_TIMEOUT_SECONDS = 30.0
CHUNK_ROWS = 50_000

Progress = Callable[[str, int, int], None]


def _sql_type(f: Field) -> type:
    if f.kind in ("money", "money_range", "months_range", "fraction"):
        return float
    if f.kind in ("int", "bool"):
        return int
    return str


_JSON_KINDS = ("ref_list", "text_list", "team_demand", "shares")
_COLUMNS = {
    "systems": {c: (f, _sql_type(f)) for f in SYSTEMS.values() for c in f.columns},
    "dependencies": {c: (f, _sql_type(f)) for f in DEPENDENCIES.values() for c in f.columns},
}
_KEYS = {"systems": ("id",), "dependencies": ("consumer", "provider")}
_ENTITY = {"systems": "system", "dependencies": "dependency"}


def _migration_1(db: sqlite_utils.Database) -> None:
    systems = {"id": str, **{c: t for c, (_f, t) in _COLUMNS["systems"].items() if c != "id"}}
    db.table("systems").create({**systems, "extra": str}, pk="id", not_null={"name"})
    dependencies = {c: t for c, (_f, t) in _COLUMNS["dependencies"].items()}
    db.table("dependencies").create(
        {**dependencies, "extra": str},
        pk=("consumer", "provider"),
        not_null={"consumer", "provider"},
    )
    db.table("dependencies").create_index(["provider"])
    db.table("systems").create_index(["organisation"])
    db.table("systems").create_index(["category"])
    db.table("batches").create(
        {
            "id": int,
            "started_at": str,
            "source": str,
            "sha256": str,
            "mode": str,
            "systems_added": int,
            "systems_changed": int,
            "systems_removed": int,
            "dependencies_added": int,
            "dependencies_changed": int,
            "dependencies_removed": int,
            "undoes": int,
        },
        pk="id",
    )
    db.table("audit").create(
        {
            "id": int,
            "batch": int,
            "entity": str,
            "key": str,
            "action": str,
            "field": str,
            "old": str,
            "new": str,
        },
        pk="id",
        foreign_keys=[("batch", "batches", "id")],
        not_null={"batch", "entity", "key", "action"},
    )
    db.table("audit").create_index(["batch"])
    db.table("audit").create_index(["entity", "key"])


def _migration_2(db: sqlite_utils.Database) -> None:
    # nothing reads the audit trail by key, and the index doubled the cost of a large import
    db.execute("DROP INDEX IF EXISTS idx_audit_entity_key")


def _migration_3(db: sqlite_utils.Database) -> None:
    # dependencies keep the route an interface catalogue gives (migration 1 builds the tables
    # from the current schema, so a new store already has it)
    if "route" not in db["dependencies"].columns_dict:
        db.execute("ALTER TABLE dependencies ADD COLUMN route TEXT")
        # a 'route' column imported before it was a field was kept with the extra columns
        db.execute(
            "UPDATE dependencies SET route = json_extract(extra, '$.route'), "
            "extra = NULLIF(json_remove(extra, '$.route'), '{}') "
            "WHERE json_extract(extra, '$.route') IS NOT NULL"
        )
    # each batch records the column mapping its file was read with
    db.table("mappings").create({"sha256": str, "yaml": str}, pk="sha256", not_null={"yaml"})
    db.execute("ALTER TABLE batches ADD COLUMN mapping_sha256 TEXT REFERENCES mappings(sha256)")


def _migration_4(db: sqlite_utils.Database) -> None:
    # systems gain the fields plans need of real programmes: moving together, money as trusts
    # hold it, departments and clinical safety, data to archive (a new store has them already)
    present = db["systems"].columns_dict
    for column, (_f, sql_type) in _COLUMNS["systems"].items():
        if column not in present:
            kind = {float: "FLOAT", int: "INTEGER"}.get(sql_type, "TEXT")
            db.execute(f"ALTER TABLE systems ADD COLUMN [{column}] {kind}")


#: The triggers that delete a table's snapshot when a row is inserted, updated or deleted.
_TRIGGERS = {
    table: tuple(f"{table}_{event}_stales_snapshot" for event in ("insert", "update", "delete"))
    for table in _COLUMNS
}


#: The snapshot table's columns, in order (:func:`_migration_5`).
_SNAPSHOT_COLUMNS = (
    "tbl",
    "col",
    "kind",
    "dtype",
    "rows",
    "data",
    "distinct_values",
    "crc32",
    "table_sql",
)


def _migration_5(db: sqlite_utils.Database) -> None:
    # the tables' columns in load-ready form (inventory.snapshot), one row per column, and
    # the triggers that delete a table's snapshot whenever a row of it changes, whoever
    # changes it (the next write of the store makes it again; until then loads read rows)
    db.execute(
        "CREATE TABLE IF NOT EXISTS snapshot (tbl TEXT NOT NULL, col TEXT NOT NULL, "
        "kind TEXT NOT NULL, dtype TEXT NOT NULL, rows INTEGER NOT NULL, data BLOB NOT NULL, "
        "distinct_values BLOB, crc32 INTEGER NOT NULL, table_sql TEXT NOT NULL, "
        "PRIMARY KEY (tbl, col))"
    )
    for table in _COLUMNS:
        for event, trigger in zip(("INSERT", "UPDATE", "DELETE"), _TRIGGERS[table], strict=True):
            db.execute(
                f"CREATE TRIGGER IF NOT EXISTS [{trigger}] "
                f"AFTER {event} ON [{table}] "
                f"WHEN EXISTS (SELECT 1 FROM snapshot WHERE tbl = '{table}') "
                f"BEGIN DELETE FROM snapshot WHERE tbl = '{table}'; END"
            )


def _snapshot_shaped(db: sqlite_utils.Database) -> bool:
    return tuple(db["snapshot"].columns_dict) == _SNAPSHOT_COLUMNS


def _remake_snapshot(db: sqlite_utils.Database) -> None:
    """The snapshot table and its triggers as :func:`_migration_5` makes them (a table of
    another shape by that name replaced), and empty: a row may have changed unseen."""
    if db["snapshot"].exists() and not _snapshot_shaped(db):
        db.execute("DROP TABLE snapshot")
    _migration_5(db)
    db.execute("DELETE FROM snapshot")


#: Migrations in order; migration n takes a store from version n-1 to n.
MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
)

#: Secondary indexes, rebuilt after a bulk insert into an empty table (cheaper than updating
#: them row by row).
_INDEXES = {
    "systems": {"idx_systems_organisation": "organisation", "idx_systems_category": "category"},
    "dependencies": {"idx_dependencies_provider": "provider"},
}
#: Page cache while importing (KiB, as SQLite's negative cache_size): large imports are
#: bound by B-tree page misses, and 256 MB halves the time of a million-row insert.
IMPORT_CACHE_KIB = 256 * 1024


@dataclass(frozen=True)
class ImportResult:
    """What one import changed."""

    batch: int
    systems_added: int
    systems_changed: int
    systems_removed: int
    dependencies_added: int
    dependencies_changed: int
    dependencies_removed: int
    fields_changed: int

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.systems_added,
                self.systems_changed,
                self.systems_removed,
                self.dependencies_added,
                self.dependencies_changed,
                self.dependencies_removed,
            )
        )

    def __str__(self) -> str:
        s = "" if self.systems_added == 1 else "s"
        return (
            f"batch {self.batch}: {self.systems_added:,} system{s} added, "
            f"{self.systems_changed:,} changed, {self.systems_removed:,} removed; "
            f"{self.dependencies_added:,} dependencies added, "
            f"{self.dependencies_changed:,} changed, {self.dependencies_removed:,} removed"
        )


def _is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _read_only_connection(path: Path, timeout: float) -> sqlite3.Connection:
    """Open ``path`` read-only. A store in WAL mode needs its shared-memory file; in a
    folder where that cannot be made (a read-only folder) and with no write-ahead log
    waiting, the file is opened as immutable, which SQLite reads without it."""
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError as error:
        wal = path.with_name(path.name + "-wal")
        if "unable to open" not in str(error) or wal.exists():
            raise
    conn = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=timeout)
    return conn


def _reads(method):
    """A reading method: a damaged file becomes StoreError naming it, not a traceback."""

    @functools.wraps(method)
    def read(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            raise self._failure(error) from error

    return read


class Store:
    """An inventory store in one SQLite file.

    Parameters
    ----------
    path : str or Path
        The database file, or ``":memory:"``.
    create : bool
        Create the file when it does not exist; otherwise a missing file is a StoreError.
    read_only : bool
        Open the file read-only: nothing is written, migrated or switched to WAL; a store of
        schema 4 is read from its rows, and one from an older modernise still is refused
        until it is opened for writing once.
    busy_timeout : float
        Seconds to wait for another writer before giving up with StoreBusyError.
    """

    def __init__(
        self,
        path: str | Path = "modernise.db",
        *,
        create: bool = True,
        read_only: bool = False,
        busy_timeout: float | None = None,
    ) -> None:
        busy_timeout = BUSY_TIMEOUT_SECONDS if busy_timeout is None else busy_timeout
        self.path = str(path)
        self.read_only = read_only
        memory = self.path == ":memory:"
        if not memory and (read_only or not create) and not Path(self.path).exists():
            raise EmptyStoreError(
                f"no inventory store at {self.path}",
                hint="import an inventory into it first, or choose another store",
            )
        if not memory and Path(self.path).is_dir():
            raise StoreError(f"{self.path} is a folder, not a store", hint="name a file")
        try:
            if read_only and not memory:
                conn = _read_only_connection(Path(self.path), busy_timeout)
            else:
                if not memory:
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=busy_timeout)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            self.db = sqlite_utils.Database(conn)
            self._check_is_store()
            if not read_only:
                if not memory and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
                raise self._busy("another import is running") from error
            raise self._failure(error) from error
        except OSError as error:  # the folder for a new store cannot be made
            raise StoreError(f"cannot write to {self.path}: {error.strerror or error}") from error

    def _check_is_store(self) -> None:
        """Refuse, changing nothing, a SQLite file holding tables but not a store's."""
        tables = {
            name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "schema_version" in tables:
            return
        if tables:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise StoreError(
                f"{self.path} is not a modernise store: it is a SQLite database holding other "
                f"tables ({shown}); it was left unchanged",
                hint="choose another file for the store",
            )
        if self.read_only:
            raise EmptyStoreError(
                f"{self.path} holds no inventory yet",
                hint="import an inventory into it first, or choose another store",
            )

    def _failure(self, error: sqlite3.DatabaseError) -> StoreError:
        """A StoreError that says what SQLite's error means for this file."""
        text = str(error)
        if "readonly" in text.replace("-", "").replace(" ", "").lower():
            return StoreError(
                f"cannot write to {self.path}: the file or its folder is read-only",
                hint="nothing was changed; use a store you may write to",
            )
        if "unable to open" in text and not self.read_only and Path(self.path).parent.is_dir():
            return StoreError(
                f"cannot write to {self.path}: SQLite cannot make its journal files beside it "
                "(is the folder read-only?)",
                hint="nothing was changed; use a store in a folder you may write to",
            )
        if "unable to open" in text:
            return StoreError(f"cannot open {self.path}: {text}")
        if "malformed" in text or "corrupt" in text:
            return StoreError(
                f"{self.path} is damaged: {text}",
                hint="restore it from a backup (PRAGMA integrity_check lists what is wrong)",
            )
        if "not a database" in text or "encrypted" in text:
            return StoreError(f"{self.path} is not a modernise store: {text}")
        return StoreError(f"{self.path}: {text}")

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction holding the write lock from the start (BEGIN IMMEDIATE).
        Anything that fails rolls back; a busy database becomes :class:`StoreBusyError`."""
        conn = self.db.conn
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only", hint="open it for writing")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _is_busy(error):
                raise self._busy("another import is running; nothing was changed") from error
            raise self._failure(error) from error
        try:
            yield
            self._keep_snapshots()
            conn.execute("COMMIT")
        except BaseException as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
                raise self._busy("nothing was changed") from error
            if isinstance(error, sqlite3.DatabaseError):
                raise self._failure(error) from error
            raise

    def _busy(self, hint: str) -> StoreBusyError:
        return StoreBusyError(f"{self.path}: database is busy, try again", hint=hint)

    @property
    @_reads
    def version(self) -> int:
        if not self.db["schema_version"].exists():
            return 0
        row = self.db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] or 0

    def _migrate(self) -> None:
        current = self.version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer modernise (schema {current}; "
                f"this one knows {SCHEMA_VERSION})",
                hint="upgrade modernise",
            )
        if current == SCHEMA_VERSION and not self.read_only and not self._snapshot_intact():
            with self._write():  # its table or a trigger dropped or changed by hand
                _remake_snapshot(self.db)
            return
        if current == SCHEMA_VERSION or (self.read_only and current > 0):
            return  # an older store read read-only: what it has in common is readable
        with self._write():
            current = self.version  # another process may have migrated meanwhile
            if not self.db["schema_version"].exists():
                self.db.table("schema_version").create(
                    {"version": int, "applied_at": str}, pk="version"
                )
            for number in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[number - 1](self.db)
                self.db.table("schema_version").insert(
                    {"version": number, "applied_at": _now()}, replace=True
                )
            # a migration may change what a column holds without a trigger seeing it
            self.db.execute("DELETE FROM snapshot")

    # -- reading ---------------------------------------------------------------------------

    @_reads
    def system_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM systems")}

    @_reads
    def counts(self) -> dict[str, int]:
        return {
            table: self.db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
            for table in ("systems", "dependencies", "batches")
        }

    def _stored(self, table: str) -> pd.DataFrame:
        """The table as stored (Python values, object dtype), keyed like the import frames;
        read in chunks, text shared by the rows that hold it (no list of every row)."""
        read = self._read(table, as_stored=True)
        columns = [*_COLUMNS[table], "extra"]
        frame = pd.DataFrame(
            {
                c: pd.Series(v.values(), dtype="object")
                if isinstance(v, Coded)
                else _as_records_give(v)
                for c, v in read.items()
            },
            columns=columns,
        )
        frame.index = _key_index(frame, table)
        return frame

    def _typed(self, table: str) -> pd.DataFrame:
        """The table as the typed frame :func:`conform_systems` / :func:`conform_dependencies`
        would give (see :meth:`_read`), from its snapshot when that is current."""
        columns = self._snapshot(table)
        try:
            return _typed_frame(self._read(table) if columns is None else columns, table)
        except _UnreadableColumn as error:
            raise StoreError(
                f"{self.path}: {error}; was the store edited by hand?",
                hint=f"correct {error.column} with the sqlite3 shell, or undo the batch that "
                "wrote it",
            ) from error

    def _snapshot_intact(self) -> bool:
        """Whether the snapshot table (with its columns) and all its triggers are there."""
        triggers = [t for table in _COLUMNS for t in _TRIGGERS[table]]
        (found,) = self.db.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
            f"AND name IN ({', '.join('?' * len(triggers))})",
            triggers,
        ).fetchone()
        return _snapshot_shaped(self.db) and found == len(triggers)

    def _snapshot(self, table: str) -> dict[str, np.ndarray | Coded] | None:
        """The table's columns from its snapshot (:mod:`inventory.snapshot`), as
        :meth:`_read` gives them; None when there is none or it is not whole and current."""
        # one statement, so read together: the snapshot, and what it must match (the table's
        # row count and definition, and its triggers, which someone may have altered or dropped)
        try:
            rows = self.db.execute(
                "SELECT col, kind, dtype, rows, data, distinct_values, crc32, "
                f"(SELECT COUNT(*) FROM [{table}] NOT INDEXED), "
                "table_sql = (SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?), "
                "(SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
                "AND name IN (?, ?, ?)) FROM snapshot WHERE tbl = ?",
                (table, table, *_TRIGGERS[table], table),
            ).fetchall()
        except sqlite3.OperationalError:  # no snapshot table (schema 4), or not as ours is
            return None
        if not rows or not all(row[8] == 1 and row[9] == 3 for row in rows):
            return None
        parts = [Part(*row[:7]) for row in rows]
        return decode(parts, _layout(table), rows=rows[0][7])

    def _keep_snapshots(self) -> None:
        """Make the snapshot of each table that has none (a write changed it), in the write
        transaction; a table holding values a snapshot cannot carry is left without."""
        if not self.db["snapshot"].exists():
            return  # migrating: the last migration makes the table
        kept = {t for (t,) in self.db.execute("SELECT DISTINCT tbl FROM snapshot")}
        # SQLite's longest row (a billion bytes unless built otherwise), less room for the rest
        limit = self.db.conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH) - 4096
        for table in _COLUMNS:
            if table in kept:
                continue
            parts = encode(self._read(table), _layout(table))
            if parts is None or any(len(p.data) + len(p.distinct or b"") > limit for p in parts):
                continue  # the table is read from its rows
            (table_sql,) = self.db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()
            self.db.conn.executemany(
                "INSERT INTO snapshot (tbl, col, kind, dtype, rows, data, distinct_values, crc32, "
                "table_sql) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        table,
                        p.column,
                        p.kind,
                        p.dtype,
                        p.rows,
                        p.data,
                        p.distinct,
                        p.crc32,
                        table_sql,
                    )
                    for p in parts
                ],
            )

    def _read(self, table: str, *, as_stored: bool = False) -> dict[str, np.ndarray | Coded]:
        """The table's columns, read in chunks of rows (no list of every row is kept).

        Text columns are kept as codes into their distinct values as they are read, so a
        chunk's rows (and their strings) are let go before the next is read, and each
        distinct value can be converted once (an enumeration, a date, a JSON list or team
        demand), then spread over the rows. Money and fractions are float64 (NULL as NaN)
        unless ``as_stored``: then every column but text holds the values SQLite gave."""
        columns = [*_COLUMNS[table], "extra"]
        quoted = ", ".join(f"[{c}]" for c in columns)
        cursor = self.db.execute(f"SELECT {quoted} FROM [{table}] ORDER BY rowid")
        readers = {c: _reader(table, c, as_stored=as_stored) for c in columns}
        while rows := cursor.fetchmany(CHUNK_ROWS):
            block = np.array(rows, dtype=object)  # rows x columns, then the rows are let go
            del rows
            for j, column in enumerate(columns):
                readers[column].add(block[:, j])
            del block
        return {c: reader.result() for c, reader in readers.items()}

    @_reads
    def load(self, *, derive_end_of_support: bool = True) -> Inventory:
        """Return the stored inventory as typed frames.

        With ``derive_end_of_support`` (the default) blank end-of-support dates are filled
        from the platform lifecycle table (:func:`inventory.lifecycle.derive_end_of_support`).
        """
        self._check_current()
        systems = self._typed("systems")
        if derive_end_of_support:
            systems = derive(systems)
        return Inventory(systems, self._typed("dependencies"), kept_policy=self.policy())

    @_reads
    def batches(self) -> pd.DataFrame:
        """Every import batch, newest last."""
        self._check_current()
        return pd.read_sql_query("SELECT * FROM batches ORDER BY id", self.db.conn).set_index("id")

    @_reads
    def audit(self, batch: int | None = None) -> pd.DataFrame:
        """The audit trail, for one batch or all of them."""
        if batch is None:
            return pd.read_sql_query("SELECT * FROM audit ORDER BY id", self.db.conn)
        return pd.read_sql_query(
            "SELECT * FROM audit WHERE batch = ? ORDER BY id", self.db.conn, params=(batch,)
        )

    def _check_current(self) -> None:
        """Refuse to read a store whose schema is older than this modernise's (read-only)."""
        version = self.version
        if version < READABLE_SINCE:
            raise StoreError(
                f"{self.path} is from an older modernise (schema {version}; this one uses "
                f"{SCHEMA_VERSION}) and is opened read-only here",
                hint="it is upgraded the first time it is opened for writing (an import does)",
            )

    def history(self) -> pd.DataFrame:
        """Every batch with what it changed; undo batches name the batch they undid, and
        ``mapping_sha256`` names the column mapping a file was read with (see :meth:`mapping`).
        """
        return self.batches()

    @_reads
    def mapping(self, batch: int) -> str | None:
        """The column mapping (YAML text) batch ``batch`` was read with; None if it had none."""
        row = self.db.execute(
            "SELECT m.yaml FROM batches b JOIN mappings m ON m.sha256 = b.mapping_sha256 "
            "WHERE b.id = ?",
            (batch,),
        ).fetchone()
        return row[0] if row else None

    @_reads
    def policy(self) -> tuple[str, str] | None:
        """The policy stored with the inventory (:meth:`use_policy`): its file name and YAML
        text, or None when none is (or the one stored was undone)."""
        if not self.db["policies"].exists():
            return None
        rows = self.db.execute(
            "SELECT b.id, p.name, p.yaml FROM batches b JOIN policies p ON p.sha256 = b.sha256 "
            "WHERE b.mode = 'policy' ORDER BY b.id DESC"
        ).fetchall()
        undos = self.db.execute(
            "SELECT id, undoes FROM batches WHERE mode = 'undo' AND undoes IS NOT NULL"
        ).fetchall()
        for batch, name, text in rows:
            # an undo of batch n reverts n and every batch after it up to the undo itself
            if not any(first <= batch < undo for undo, first in undos):
                return name, text
        return None

    # -- writing ---------------------------------------------------------------------------

    def use_policy(self, name: str, text: str, sha256: str) -> int:
        """Keep a policy (its file name and YAML text) with the inventory, so that plans of
        the store use it; an audited batch of its own (mode 'policy'), which :meth:`undo`
        reverts like any other. ``sha256`` is the hash every output names the policy by (the
        planner's hash of its settings, so two files with the same settings are one policy),
        recorded with the batch for ``history``. Returns the batch number."""
        with self._write():
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS policies "
                "(sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, yaml TEXT NOT NULL)"
            )
            self.db.execute(
                "INSERT OR REPLACE INTO policies (sha256, name, yaml) VALUES (?, ?, ?)",
                (sha256, name, text),
            )
            cursor = self.db.execute(
                "INSERT INTO batches (started_at, source, sha256, mode, systems_added, "
                "systems_changed, systems_removed, dependencies_added, dependencies_changed, "
                "dependencies_removed) VALUES (?, ?, ?, 'policy', 0, 0, 0, 0, 0, 0)",
                (_now(), name, sha256),
            )
            return int(cursor.lastrowid or 0)

    def import_inventory(
        self,
        inventory: Inventory,
        *,
        source: str,
        sha256: str,
        replace: bool = False,
        include_dependencies: bool = True,
        progress: Progress | None = None,
        mapping: str | None = None,
    ) -> ImportResult:
        """Upsert an inventory by id in one transaction, auditing every change.

        With ``replace``, systems (and dependencies) absent from ``inventory`` are removed,
        each removal audited with the full old record so it can be restored. Dependencies
        are left alone when ``include_dependencies`` is false (the input had none).
        Dependencies of removed systems are removed with them. ``mapping`` is the text of the
        column mapping the file was read with, kept with the batch.
        """
        progress = progress or (lambda stage, done, total: None)
        with self._write():
            return self._import(
                inventory, source, sha256, replace, include_dependencies, progress, mapping
            )

    def _import(
        self,
        inventory: Inventory,
        source: str,
        sha256: str,
        replace: bool,
        include_dependencies: bool,
        progress: Progress,
        mapping: str | None,
    ) -> ImportResult:
        conn = self.db.conn
        mapping_sha256 = None
        if mapping is not None:
            mapping_sha256 = hashlib.sha256(mapping.encode("utf-8")).hexdigest()
            conn.execute(
                "INSERT OR IGNORE INTO mappings (sha256, yaml) VALUES (?, ?)",
                (mapping_sha256, mapping),
            )
        cursor = conn.execute(
            "INSERT INTO batches (started_at, source, sha256, mode, mapping_sha256) "
            "VALUES (?, ?, ?, ?, ?)",
            (_now(), source, sha256, "replace" if replace else "upsert", mapping_sha256),
        )
        batch = int(cursor.lastrowid or 0)  # an INSERT always sets it
        incoming_systems = _to_storage(inventory.systems.reset_index(), "systems")
        system_diff = _diff(self._stored("systems"), incoming_systems, "systems", replace)
        if include_dependencies:
            incoming_dependencies = _to_storage(inventory.dependencies, "dependencies")
            dependency_diff = _diff(
                self._stored("dependencies"), incoming_dependencies, "dependencies", replace
            )
        else:
            dependency_diff = _Diff.empty("dependencies")
        orphans = self._orphaned_dependencies(system_diff.removed_keys, dependency_diff)
        dependency_diff = dependency_diff.with_removed(orphans)
        conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        try:
            for diff in (dependency_diff, system_diff):
                self._apply(diff, batch, progress)
        finally:
            conn.execute("PRAGMA cache_size = -2000")
        conn.execute(
            """UPDATE batches SET systems_added = ?, systems_changed = ?, systems_removed = ?,
               dependencies_added = ?, dependencies_changed = ?, dependencies_removed = ?
               WHERE id = ?""",
            (*system_diff.counts, *dependency_diff.counts, batch),
        )
        return ImportResult(
            batch,
            *system_diff.counts,
            *dependency_diff.counts,
            fields_changed=system_diff.fields_changed + dependency_diff.fields_changed,
        )

    def undo(self, batch: int) -> ImportResult:
        """Restore the store to its state just before ``batch``, in one audited transaction.

        Every batch from ``batch`` on is reverted, newest first, from the audit trail (an
        insert is deleted, an update set back to its old value, a delete re-inserted from
        the full record kept). The undo is itself a batch, so it can be undone too.
        """
        with self._write():
            return self._undo(batch)

    def _undo(self, batch: int) -> ImportResult:
        conn = self.db.conn
        known = [row[0] for row in conn.execute("SELECT id FROM batches ORDER BY id")]
        if batch not in known:
            raise StoreError(
                f"{self.path} has no import batch {batch}",
                hint="the store's history lists every batch",
            )
        cursor = conn.execute(
            "INSERT INTO batches (started_at, source, sha256, mode, undoes) VALUES (?, ?, ?, ?, ?)",
            (_now(), f"undo of batch {batch}", None, "undo", batch),
        )
        undo_batch = int(cursor.lastrowid or 0)  # an INSERT always sets it
        counts = {
            (e, a): 0 for e in ("system", "dependency") for a in ("insert", "update", "delete")
        }
        changed_records: set[tuple[str, str]] = set()
        for number in sorted((b for b in known if b >= batch), reverse=True):
            rows = conn.execute(
                "SELECT entity, key, action, field, old, new FROM audit WHERE batch = ? "
                "ORDER BY id DESC",
                (number,),
            ).fetchall()
            for entity, key, action, field, old, new in rows:
                done = self._revert(undo_batch, entity, key, action, field, old, new)
                counts[(entity, done)] += 1
                if done == "update":
                    changed_records.add((entity, key))
        updated = {
            e: len({k for ent, k in changed_records if ent == e}) for e in ("system", "dependency")
        }
        conn.execute(
            """UPDATE batches SET systems_added = ?, systems_changed = ?, systems_removed = ?,
               dependencies_added = ?, dependencies_changed = ?, dependencies_removed = ?
               WHERE id = ?""",
            (
                counts[("system", "insert")],
                updated["system"],
                counts[("system", "delete")],
                counts[("dependency", "insert")],
                updated["dependency"],
                counts[("dependency", "delete")],
                undo_batch,
            ),
        )
        return ImportResult(
            undo_batch,
            counts[("system", "insert")],
            updated["system"],
            counts[("system", "delete")],
            counts[("dependency", "insert")],
            updated["dependency"],
            counts[("dependency", "delete")],
            fields_changed=counts[("system", "update")] + counts[("dependency", "update")],
        )

    def _revert(self, undo_batch, entity, key, action, field, old, new) -> str:
        """Reverse one audit row; record the reversal; return the action it took."""
        conn = self.db.conn
        table = "systems" if entity == "system" else "dependencies"
        keys = _KEYS[table]
        key_values = [key] if table == "systems" else key.split(" -> ", 1)
        where = " AND ".join(f"[{k}] = ?" for k in keys)
        audit_sql = (
            "INSERT INTO audit (batch, entity, key, action, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        if action == "insert":
            columns = [*_COLUMNS[table], "extra"]
            quoted = ", ".join(f"[{c}]" for c in columns)
            current = conn.execute(
                f"SELECT {quoted} FROM [{table}] WHERE {where}", key_values
            ).fetchone()
            conn.execute(f"DELETE FROM [{table}] WHERE {where}", key_values)
            record = dict(zip(columns, current, strict=True)) if current else None
            conn.execute(
                audit_sql, (undo_batch, entity, key, "delete", None, json.dumps(record), None)
            )
            return "delete"
        if action == "delete":
            record = json.loads(old)
            columns = list(record)
            conn.execute(
                f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                [record[c] for c in columns],
            )
            conn.execute(audit_sql, (undo_batch, entity, key, "insert", None, None, None))
            return "insert"
        current = conn.execute(
            f"SELECT [{field}] FROM [{table}] WHERE {where}", key_values
        ).fetchone()
        conn.execute(
            f"UPDATE [{table}] SET [{field}] = ? WHERE {where}", [json.loads(old), *key_values]
        )
        conn.execute(
            audit_sql,
            (
                undo_batch,
                entity,
                key,
                "update",
                field,
                json.dumps(current[0] if current else None),
                old,
            ),
        )
        return "update"

    def _orphaned_dependencies(self, removed_systems: list[str], diff: _Diff) -> pd.DataFrame:
        if not removed_systems:
            return diff.removed.iloc[0:0]
        stored = self._stored("dependencies")
        gone = set(removed_systems)
        mask = stored["consumer"].isin(gone) | stored["provider"].isin(gone)
        return stored[mask]

    def _apply(self, diff: _Diff, batch: int, progress: Progress) -> None:
        conn = self.db.conn
        table = diff.table
        bulk = (
            len(diff.added) >= CHUNK_ROWS
            and not self.db.execute(f"SELECT 1 FROM [{table}] LIMIT 1").fetchone()
        )
        if bulk:  # first load of a large table: index once at the end
            for name in _INDEXES[table]:
                conn.execute(f"DROP INDEX [{name}]")
        entity = _ENTITY[table]
        columns = [*_COLUMNS[table], "extra"]
        keys = _KEYS[table]
        audit_sql = (
            "INSERT INTO audit (batch, entity, key, action, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        # deletions first: a replace may remove a record another one then re-adds
        if len(diff.removed):
            where = " AND ".join(f"[{k}] = ?" for k in keys)
            conn.executemany(
                f"DELETE FROM [{table}] WHERE {where}",
                diff.removed[list(keys)].itertuples(index=False, name=None),
            )
            conn.executemany(
                audit_sql,
                (
                    (batch, entity, key, "delete", None, json.dumps(record), None)
                    for key, record in zip(diff.removed.index, _records(diff.removed), strict=True)
                ),
            )
        names = ", ".join(f"[{c}]" for c in columns)
        marks = ", ".join("?" for _ in columns)
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in keys)
        statements = (
            (diff.added, f"INSERT INTO [{table}] ({names}) VALUES ({marks})"),
            (
                diff.changed_rows,
                f"INSERT INTO [{table}] ({names}) VALUES ({marks}) "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
            ),
        )
        # new rows get rowids above the current largest, so their audit rows can be written
        # by SQLite straight from the table
        (last_rowid,) = conn.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM [{table}]").fetchone()
        total, done = len(diff.added) + len(diff.changed_rows), 0
        for rows, sql in statements:
            values = rows[columns]
            for start in range(0, len(values), CHUNK_ROWS):
                chunk = values.iloc[start : start + CHUNK_ROWS]
                conn.executemany(sql, chunk.itertuples(index=False, name=None))
                done += len(chunk)
                progress(f"writing {table}", done, total)
            if rows is diff.added and len(rows):
                key = "id" if table == "systems" else "consumer || ' -> ' || provider"
                conn.execute(
                    f"INSERT INTO audit (batch, entity, key, action) "
                    f"SELECT ?, ?, {key}, 'insert' FROM [{table}] WHERE rowid > ? ORDER BY rowid",
                    (batch, entity, last_rowid),
                )
        conn.executemany(audit_sql, ((batch, entity, *change) for change in diff.changes))
        if bulk:
            for done, (name, column) in enumerate(_INDEXES[table].items(), start=1):
                conn.execute(f"CREATE INDEX [{name}] ON [{table}] ([{column}])")
                progress(f"indexing {table}", done, len(_INDEXES[table]))


# --- conversion between typed frames and stored rows -----------------------------------


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _key_index(frame: pd.DataFrame, table: str) -> pd.Index:
    if table == "systems":
        return pd.Index(frame["id"], dtype="object", name="key")
    return pd.Index((frame["consumer"] + " -> " + frame["provider"]).astype("object"), name="key")


def _json_cell(value: object) -> str:
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return json.dumps(list(value) if isinstance(value, list | tuple) else [])


def _json_column(series: pd.Series, empty: str) -> pd.Series:
    """Lists and dicts as JSON text, each distinct list encoded once."""
    encoded: dict[tuple, str] = {}
    cells = []
    for value in series:
        if not len(value):
            cells.append(empty)
        elif isinstance(value, dict):
            cells.append(_json_cell(value))
        else:
            key = tuple(value)
            if key not in encoded:
                encoded[key] = _json_cell(key)
            cells.append(encoded[key])
    return pd.Series(cells, index=series.index, dtype="object")


def _to_storage(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Typed frame -> stored values (Python str/int/float/None), object dtype."""
    out: dict[str, pd.Series] = {}
    for column, (f, sql_type) in _COLUMNS[table].items():
        series = frame[column] if column in frame else pd.Series(None, index=frame.index)
        if f.kind == "date":
            text = pd.to_datetime(series).dt.strftime("%Y-%m-%d")
            values = text.astype("object").where(text.notna(), None)
        elif f.kind in _JSON_KINDS:
            values = _json_column(series, "{}" if f.kind == "team_demand" else "[]")
        elif sql_type is float:
            numbers = pd.to_numeric(series, errors="coerce").astype("float64")
            values = numbers.astype("object").where(numbers.notna(), None)
        elif sql_type is int:
            numbers = pd.to_numeric(series, errors="coerce")
            present = numbers.notna().tolist()
            integers = numbers.fillna(0).astype("int64").tolist()
            values = pd.Series(
                [v if p else None for v, p in zip(integers, present, strict=True)],
                index=frame.index,
                dtype="object",
            )
        else:
            values = series.astype("object").where(series.notna(), None)
        out[column] = values.astype("object")
    extras = [c for c in frame.columns if c not in _COLUMNS[table] and c not in DERIVED_COLUMNS]
    if extras:
        extra_frame = frame[extras].astype("object")
        out["extra"] = pd.Series(
            [
                json.dumps(
                    {
                        k: v
                        for k, v in zip(extras, row, strict=True)
                        if v is not None and not pd.isna(v)
                    },
                    sort_keys=True,
                )
                if any(v is not None and not pd.isna(v) for v in row)
                else None
                for row in extra_frame.itertuples(index=False, name=None)
            ],
            index=frame.index,
            dtype="object",
        )
    else:
        out["extra"] = pd.Series(None, index=frame.index, dtype="object")
    result = pd.DataFrame(out, index=frame.index).astype("object")
    result = result.where(result.notna(), None)
    result.index = _key_index(result, table)
    return result


def _decoded(column: Coded, empty: object) -> np.ndarray:
    """A JSON column, each distinct text decoded once: lists as tuples, objects (team
    demand) as dicts, NULL as ``empty``. Rows with the same text share the decoded value,
    which callers read and never change in place."""
    decoded = [json.loads(u) if isinstance(u, str) else empty for u in column.distinct.tolist()]
    lookup = np.empty(len(decoded) + 1, dtype=object)
    for i, value in enumerate([*decoded, empty]):
        lookup[i] = tuple(value) if isinstance(value, list) else value
    return lookup[column.codes]


def _as_records_give(values: np.ndarray) -> pd.Series:
    """Stored numbers (an object column) as a frame of the rows gave them: a column of whole
    numbers with a NULL holds floats (what the audit trail has always recorded), NULL None."""
    series = pd.Series(values, dtype="object").infer_objects().astype("object")
    return series.where(series.notna(), None)


def _stored_type(table: str, column: str) -> type:
    return _COLUMNS[table][column][1] if column != "extra" else str


def _reader(table: str, column: str, *, as_stored: bool = False) -> _ColumnReader:
    return _ColumnReader(
        _stored_type(table, column),
        coded=(column,) != _KEYS[table],  # keys are distinct: coding them only costs time
        numeric=not as_stored,
    )


def _layout(table: str) -> dict[str, tuple[str, type]]:
    """How :meth:`Store._read` gives each column of ``table`` (its snapshot's layout): the
    kind (float64, coded or cells; see :mod:`inventory.snapshot`) and the values' type."""
    layout = {}
    for column in [*_COLUMNS[table], "extra"]:
        reader = _reader(table, column)
        kind = "float64" if reader.numeric else "coded" if reader.coded else "cells"
        layout[column] = (kind, reader.sql_type)
    return layout


class _ColumnReader:
    """One stored column, chunk by chunk: money and fractions as float64 (NULL as NaN; unless
    ``numeric`` is false), text as :class:`Coded` (unless ``coded`` is false: a key), the
    rest as the Python objects SQLite gave."""

    def __init__(self, sql_type: type, *, coded: bool = True, numeric: bool = True) -> None:
        self.sql_type = sql_type
        self.coded = coded and sql_type is str
        self.numeric = numeric and sql_type is float
        self.parts: list[np.ndarray] = []
        self.code_of: dict[object, int] = {}  # text: each distinct value's code, in order

    def add(self, values: np.ndarray) -> None:
        if self.numeric:
            self.parts.append(pd.to_numeric(values, errors="coerce").astype(np.float64))
        elif self.coded:  # TEXT affinity: str, bytes or NULL
            local, uniques = pd.factorize(values, use_na_sentinel=True)
            code_of = self.code_of
            codes = np.fromiter(
                (code_of.setdefault(u, len(code_of)) for u in uniques.tolist()),
                dtype=np.int64,
                count=len(uniques),
            )
            self.parts.append(np.append(codes, -1)[local])  # -1 (NULL) stays -1
        else:
            self.parts.append(values.copy())  # not a view that keeps the whole block alive

    def result(self) -> np.ndarray | Coded:
        if self.coded:
            codes = np.concatenate(self.parts) if self.parts else np.empty(0, dtype=np.int64)
            distinct = np.empty(len(self.code_of), dtype=object)
            distinct[:] = list(self.code_of)
            return Coded(codes, distinct)
        if self.parts:
            return np.concatenate(self.parts)
        return np.empty(0, dtype=np.float64 if self.numeric else object)


def _typed_frame(stored: dict[str, np.ndarray | Coded], table: str) -> pd.DataFrame:
    """Stored columns -> the frame ``conform_systems`` / ``conform_dependencies`` returns,
    one vectorised conversion per column, text by its distinct values (see
    :func:`inventory.model.conform_systems`)."""
    extra, ids = stored["extra"], stored.get("id")
    assert isinstance(extra, Coded)  # text, so coded; a key never is (see _reader)
    if table == "systems":
        assert isinstance(ids, np.ndarray)
        index: pd.Index = pd.Index(ids, dtype="object", name="id")
    else:
        index = pd.RangeIndex(len(extra.codes))
    out: dict[str, pd.Series] = {}
    for column, (f, _sql_type) in _COLUMNS[table].items():
        if table == "systems" and column == "id":
            continue
        try:
            out[column] = _typed_column(stored[column], f, column, table, index)
        except (TypeError, ValueError) as error:  # a value written by hand, not by an import
            raise _UnreadableColumn(f"{table}.{column}", error) from error
    frame = pd.DataFrame(out, index=index)
    extras = extra.values()
    has_extra = pd.notna(extras)
    if has_extra.any():
        expanded = pd.DataFrame.from_records(
            [json.loads(v) for v in extras[has_extra]], index=index[has_extra]
        )
        for column in expanded.columns:
            if column in out or column == "id":
                continue
            series = expanded[column].reindex(index).astype("object")
            frame[column] = series.where(series.notna(), None)
    return frame


class _UnreadableColumn(ValueError):
    """A stored column that cannot be read as its field's type (``column``: table.column)."""

    def __init__(self, column: str, error: Exception) -> None:
        super().__init__(f"{column} holds a value of the wrong type ({error})")
        self.column = column


def _typed_column(
    values: np.ndarray | Coded, f: Field, column: str, table: str, index: pd.Index
) -> pd.Series:
    """One stored column as the typed frame holds it (see :func:`_typed_frame`)."""
    dtype = DTYPES[table][column]
    if isinstance(values, Coded):
        if f.kind in _JSON_KINDS:
            empty: object = {} if f.kind == "team_demand" else ()
            return pd.Series(_decoded(values, empty), index=index, dtype="object")
        if dtype == "object" and column not in ORDERED_DTYPES[table]:
            return pd.Series(values.values(null=f.default), index=index, dtype="object")
        if dtype == "datetime64[ns]":
            return values.convert(_dates, index)
        # ordered enumerations, any other dtype: as conform gives them
        return values.convert(
            functools.partial(conform_column, f=f, column=column, table=table), index
        )
    missing = pd.isna(values)
    if dtype == "bool":
        default = 1 if f.default else 0
        return pd.Series(np.where(missing, default, values).astype(bool), index=index)
    if dtype == "float64" and values.dtype == np.float64 and f.default is None:
        return pd.Series(values, index=index)
    # whole numbers, any other dtype: as conform gives them
    return conform_column(pd.Series(values, index=index, dtype="object"), f, column, table)


def _dates(cells: pd.Series) -> pd.Series:
    return pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")


def _records(frame: pd.DataFrame) -> list[dict]:
    return [
        {k: v for k, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


@dataclass(frozen=True)
class _Diff:
    table: str
    added: pd.DataFrame
    changed_rows: pd.DataFrame
    changes: list[tuple[str, str, str, str, str]]  # key, "update", field, old, new
    removed: pd.DataFrame

    @classmethod
    def empty(cls, table: str) -> _Diff:
        frame = pd.DataFrame(columns=[*_COLUMNS[table], "extra"], dtype="object")
        return cls(table, frame, frame, [], frame)

    @property
    def removed_keys(self) -> list[str]:
        return list(self.removed.index)

    @property
    def fields_changed(self) -> int:
        return len(self.changes)

    @property
    def counts(self) -> tuple[int, int, int]:
        return len(self.added), len(self.changed_rows), len(self.removed)

    def with_removed(self, extra: pd.DataFrame) -> _Diff:
        extra = extra[~extra.index.isin(self.removed.index)]
        if extra.empty:
            return self
        keep_changed = ~self.changed_rows.index.isin(extra.index)
        changes = [c for c in self.changes if c[0] not in set(extra.index)]
        return _Diff(
            self.table,
            self.added[~self.added.index.isin(extra.index)],
            self.changed_rows[keep_changed],
            changes,
            pd.concat([self.removed, extra]),
        )


def _diff(stored: pd.DataFrame, incoming: pd.DataFrame, table: str, replace: bool) -> _Diff:
    """Compare stored and incoming rows (both in storage form, indexed by key)."""
    is_new = ~incoming.index.isin(stored.index)
    added = incoming[is_new]
    both = incoming[~is_new]
    old = stored.loc[both.index]
    columns = [*_COLUMNS[table], "extra"]
    changes: list[tuple[str, str, str, str, str]] = []
    changed_mask = np.zeros(len(both), dtype=bool)
    keys = both.index.to_numpy()
    for column in columns:
        new_values = both[column].to_numpy(dtype=object)
        old_values = old[column].to_numpy(dtype=object)
        differs = ~_equal(old_values, new_values)
        if differs.any():
            changed_mask |= differs
            changes.extend(
                (key, "update", column, json.dumps(o), json.dumps(n))
                for key, o, n in zip(
                    keys[differs], old_values[differs], new_values[differs], strict=True
                )
            )
    changes.sort(key=lambda c: c[0])
    removed = stored[~stored.index.isin(incoming.index)] if replace else stored.iloc[0:0]
    return _Diff(table, added, both[changed_mask], changes, removed)


def _equal(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Elementwise equality of stored values, where None equals None."""
    if len(old) == 0:
        return np.zeros(0, dtype=bool)
    return np.asarray(old == new, dtype=bool)
