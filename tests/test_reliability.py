"""Crash safety, concurrency, undo and safe outputs (tools/soak.py runs these much longer)."""

from __future__ import annotations

import html
import sqlite3
import subprocess

import pandas as pd
import pytest

from inventory import Store, import_inventory
from planner.plan import make_plan
from tests.conftest import SAMPLE_TRUST, write_csv
from tests.planner.conftest import inventory, simple_policy, system
from tests.reliability import (
    PYTHON,
    concurrent_round,
    fingerprint,
    kill_round,
    prepare_kill_case,
)


@pytest.fixture(scope="module")
def kill_case(tmp_path_factory):
    return prepare_kill_case(tmp_path_factory.mktemp("kill"), systems=6_000)


@pytest.mark.slow
@pytest.mark.parametrize("seeds", [range(0, 4), range(4, 8)], ids=["kills-1-4", "kills-5-8"])
def test_killed_imports_leave_the_old_or_the_new_inventory_never_a_mixture(kill_case, seeds):
    outcomes = [kill_round(kill_case, seed) for seed in seeds]
    assert set(outcomes) <= {"old", "new"}


@pytest.mark.slow
def test_two_imports_and_a_plan_at_once_lose_nothing(tmp_path):
    for round_ in range(2):
        busy = concurrent_round(tmp_path / f"round{round_}")
        assert busy == 0  # with the default 30 s busy timeout everyone waits their turn


@pytest.mark.slow
def test_a_writer_that_waits_too_long_is_told_the_database_is_busy(tmp_path):
    db = tmp_path / "store.db"
    import_inventory(SAMPLE_TRUST, db)
    before = fingerprint(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process mid-import
    try:
        done = subprocess.run(
            [*PYTHON, "--busy-timeout", "0.5", "import", str(SAMPLE_TRUST), "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1
    assert "database is busy, try again" in done.stderr
    assert "Traceback" not in done.stderr
    assert fingerprint(db) == before


def snapshot(db):
    with Store(db) as store:
        return {
            t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in ("systems", "dependencies")
        }


def test_undo_restores_the_state_before_a_batch_and_is_itself_undoable(tmp_path):
    def folder(name, systems, deps):
        path = tmp_path / name
        path.mkdir()
        write_csv(path / "systems.csv", systems)
        write_csv(path / "dependencies.csv", deps)
        return path

    db = tmp_path / "store.db"
    v1 = folder(
        "v1",
        [{"id": "pas", "name": "PAS"}, {"id": "ed", "name": "ED"}],
        [{"consumer": "ed", "provider": "pas"}],
    )
    v2 = folder(
        "v2",
        [{"id": "pas", "name": "PAS", "criticality": "high"}, {"id": "lims", "name": "LIMS"}],
        [{"consumer": "lims", "provider": "pas"}],
    )
    import_inventory(v1, db)
    after_v1 = snapshot(db)
    second, _ = import_inventory(v2, db, replace=True)
    after_v2 = snapshot(db)
    with Store(db) as store:
        undo = store.undo(second.batch)
    assert snapshot(db) == after_v1
    with Store(db) as store:
        store.undo(undo.batch)
        history = store.history()
    assert snapshot(db) == after_v2
    assert history["mode"].tolist() == ["upsert", "replace", "undo", "undo"]
    assert history["undoes"].dropna().astype(int).tolist() == [2, 3]


def test_replace_never_deletes_without_an_audit_to_restore_it(tmp_path):
    db = tmp_path / "store.db"
    import_inventory(SAMPLE_TRUST, db)
    before = snapshot(db)
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    write_csv(smaller / "systems.csv", [{"id": "pas", "name": "PAS"}])
    result, _ = import_inventory(smaller, db, replace=True)
    assert result.systems_removed == 251
    with Store(db) as store:
        deleted = store.audit(result.batch)
        store.undo(result.batch)
    assert (deleted["action"] == "delete").sum() == 251 + 566 - 0
    assert snapshot(db) == before


# --- safe outputs --------------------------------------------------------------------


def test_html_output_escapes_every_value():
    records = [system("x", name="<img src=x onerror=alert(1)>", replacement_months_likely=2)]
    result = make_plan(inventory(records), simple_policy())
    page = result._repr_html_()
    assert "<img" not in page and html.escape("<img src=x onerror=alert(1)>") in page
    assert "<img" not in inventory(records)._repr_html_()
    assert "<img" not in result.policy._repr_html_()


def test_svg_text_is_escaped(tmp_path):
    from planner.charts import plot_gantt, save

    records = [system("x", name="</text><script>alert(1)</script>", replacement_months_likely=2)]
    result = make_plan(inventory(records), simple_policy())
    svg = save(plot_gantt(result, today=pd.Timestamp("2026-11-25")), tmp_path / "g.svg")
    text = svg.read_text()
    assert "<script>" not in text and "&lt;script&gt;" in text


@pytest.mark.slow
def test_file_names_never_come_from_data(tmp_path):
    from planner.export import write_roadmap

    records = [
        system("x", name="../../../etc/passwd", replacement_months_likely=2),
        system("y", name="C:\\Windows\\evil", replacement_months_likely=2),
    ]
    result = make_plan(inventory(records), simple_policy())
    out = tmp_path / "out"
    written = write_roadmap(result, out, today=pd.Timestamp("2026-11-25"))
    assert all(out in p.parents for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
