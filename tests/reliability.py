"""Crash and concurrency drills shared by tests/test_reliability.py and tools/soak.py."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from inventory import import_inventory
from inventory.synthetic import national, sample_trust
from inventory.write import write_inventory
from tests.conftest import write_csv

PYTHON = [sys.executable, "-m", "planner"]


def fingerprint(db: Path) -> str:
    """What the store holds, independent of file layout: every system and dependency row."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        digest = hashlib.sha256()
        for table in ("systems", "dependencies"):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class KillCase:
    template: Path
    new: Path
    old_print: str
    new_print: str
    seconds: float


def prepare_kill_case(folder: Path, systems: int = 15_000) -> KillCase:
    """A store holding the sample trust, a bigger inventory to replace it, and how long the
    replacing import takes end to end (to aim the kills at its write)."""
    template = folder / "template.db"
    write_inventory(sample_trust(), folder / "old")
    import_inventory(folder / "old", template)
    new = folder / "new"
    write_inventory(national(systems, seed=7), new)
    trial = folder / "trial.db"
    shutil.copy(template, trial)
    start = time.perf_counter()
    subprocess.run(
        [*PYTHON, "import", str(new), "--db", str(trial), "--replace"],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    return KillCase(template, new, fingerprint(template), fingerprint(trial), seconds)


def kill_round(case: KillCase, seed: int) -> str:
    """Start the replacing import, SIGKILL it at a random moment, check the store."""
    rng = random.Random(seed)
    db = case.template.parent / f"kill-{seed}.db"
    shutil.copy(case.template, db)
    process = subprocess.Popen(
        [*PYTHON, "import", str(case.new), "--db", str(db), "--replace"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(rng.uniform(0.5, 1.05) * case.seconds)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    found = fingerprint(db)
    assert found in (case.old_print, case.new_print), "the store holds a mixture"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return "old" if found == case.old_print else "new"


def concurrent_round(folder: Path, size: int = 300) -> int:
    """Two imports of different systems and one plan, all at once, on one store.

    Every process succeeds or says the database is busy; every successful import's systems
    are all there (no lost update) and a busy one left nothing behind. Returns how many
    processes were told the database was busy.
    """
    folder.mkdir(parents=True)
    db = folder / "store.db"
    write_inventory(sample_trust(), folder / "base")
    import_inventory(folder / "base", db)
    batches = {}
    for name in ("a", "b"):
        target = folder / name
        target.mkdir()
        write_csv(
            target / "systems.csv",
            [
                {
                    "id": f"{name}-{i}",
                    "name": f"{name.upper()} {i}",
                    "disposition": "replace",
                    "replacement_cost_gbp": "10k",
                }
                for i in range(size)
            ],
        )
        write_csv(
            target / "dependencies.csv",
            [{"consumer": f"{name}-{i}", "provider": "pas"} for i in range(size)],
        )
        batches[name] = target
    commands = {
        "a": [*PYTHON, "import", str(batches["a"]), "--db", str(db)],
        "b": [*PYTHON, "import", str(batches["b"]), "--db", str(db)],
        "plan": [*PYTHON, "plan", "--db", str(db), "--format", "csv", "--limit", "0"],
    }
    running = {
        name: subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, command in commands.items()
    }
    busy = 0
    succeeded = []
    for name, process in running.items():
        _, err = process.communicate(timeout=300)
        if process.returncode == 0:
            succeeded.append(name)
            continue
        assert process.returncode == 1 and "database is busy, try again" in err, (name, err)
        busy += 1
    with sqlite3.connect(db) as conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM systems")}
        modes = [row[0] for row in conn.execute("SELECT mode FROM batches ORDER BY id")]
    for name in ("a", "b"):
        present = {f"{name}-{i}" for i in range(size)} & ids
        assert len(present) == (size if name in succeeded else 0), name
    assert len(modes) == 1 + sum(n in succeeded for n in ("a", "b"))
    return busy


def foreign_round(folder: Path, rng: random.Random) -> str:
    """Point a random read or write command at a file that is not a store (another
    program's SQLite database, a damaged store, a text file): it must print an error, no
    traceback, exit 1, and leave the file byte-for-byte unchanged. Returns the kind tried."""
    import contextlib
    import io

    from planner.cli import main

    folder.mkdir(parents=True)
    kind = rng.choice(["foreign", "damaged", "text", "empty"])
    path = folder / "some.sqlite"
    if kind == "foreign":
        with contextlib.closing(sqlite3.connect(path)) as conn:
            for t in range(rng.randint(1, 4)):
                conn.execute(f"CREATE TABLE t{t} (a, b)")
                conn.executemany(
                    f"INSERT INTO t{t} VALUES (?, ?)",
                    [(rng.random(), str(rng.random())) for _ in range(rng.randint(0, 50))],
                )
            if rng.random() < 0.5:
                conn.execute("PRAGMA user_version = 7")
            conn.commit()
    elif kind == "damaged":
        inventory = folder / "inventory"
        inventory.mkdir()
        write_csv(
            inventory / "systems.csv", [{"id": f"s{i}", "name": f"S {i}"} for i in range(300)]
        )
        import_inventory(inventory, path)
        data = bytearray(path.read_bytes())
        start = rng.randrange(100, max(101, len(data) - 1))
        for i in range(start, min(len(data), start + rng.randint(16, 8192))):
            data[i] = rng.randrange(256)
        path.write_bytes(bytes(data))
    elif kind == "text":
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randint(1, 5000))))
    else:
        path.write_bytes(b"")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    inventory = folder / "new"
    inventory.mkdir(exist_ok=True)
    write_csv(inventory / "systems.csv", [{"id": "pas", "name": "PAS"}])
    command = rng.choice(
        [
            ["systems", "--db", str(path)],
            ["history", "--db", str(path)],
            ["show", "pas", "--db", str(path)],
            ["rank", "--db", str(path)],
            ["import", str(inventory), "--db", str(path)],
            ["init", "--db", str(path)],
        ]
    )
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(command)
    text = out.getvalue() + err.getvalue()
    assert "Traceback" not in text, text
    changed = hashlib.sha256(path.read_bytes()).hexdigest() != before
    writes = command[0] in ("import", "init")
    if kind == "damaged":  # damage in pages a command never reads goes unnoticed
        assert writes or not changed, f"{command} changed a damaged store"
        assert code == 0 or "Error:" in text, text
        return "damaged (refused)" if code else "damaged (still readable)"
    if kind == "empty" and writes:
        assert code == 0, text  # an empty file is a new store
        return "empty (made a store)"
    assert code == 1 and "Error:" in text, (command, text)
    assert not changed, f"{command} changed a file that is not a store"
    return kind
