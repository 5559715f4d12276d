"""Outputs are written whole or not at all, and say why when they cannot be."""

from __future__ import annotations

import os
import stat

import pytest

from inventory.errors import OutputError
from inventory.output import INCOMPLETE_NOTE, atomic_file, atomic_folder
from tests.corpus.hostile import deny, release

OURS = {"summary.md", "roadmap.xlsx", "csv", "csv/roadmap.csv"}


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_file_replaces_the_old_one_only_when_complete(tmp_path):
    target = tmp_path / "roadmap.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("the writer failed")
    assert target.read_text() == "old" and _leftovers(tmp_path) == []
    with atomic_file(target) as temporary:
        assert temporary.parent == tmp_path and temporary.suffix == ".json"
        temporary.write_text("new")
    assert target.read_text() == "new" and _leftovers(tmp_path) == []
    mode = stat.S_IMODE(target.stat().st_mode)
    assert mode & 0o044  # readable by others like any file written plainly, not 0600


def test_ctrl_c_while_writing_a_file_leaves_the_old_one(tmp_path):
    target = tmp_path / "summary.md"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_file(target) as temporary:
        temporary.write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old" and _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "cannot write to '': an empty path names no file or folder"),
        (".", "cannot write to .: it is a folder; name a file"),
    ],
)
def test_a_file_cannot_be_written_where_no_file_can_go(path, message):
    with pytest.raises(OutputError) as caught, atomic_file(path):
        pass
    assert str(caught.value) == message
    assert isinstance(caught.value, OSError)


def test_a_full_disk_is_named(tmp_path):
    with pytest.raises(OutputError) as caught, atomic_file("/dev/full") as target:
        target.write_text("x" * 100_000)
    assert str(caught.value) == "cannot write to /dev/full: No space left on device"


def test_a_read_only_folder_is_named(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    reason = deny(locked)
    try:
        with pytest.raises(OutputError) as caught, atomic_file(locked / "a.csv") as temporary:
            temporary.write_text("x")
    finally:
        release(locked)
    assert str(caught.value) == f"cannot write to {locked / 'a.csv'}: {reason}"


def test_a_folder_is_swapped_in_whole_and_leaves_no_stale_file(tmp_path):
    out = tmp_path / "roadmap"
    out.mkdir()
    (out / "roadmap.xlsx").write_text("old")
    (out / "csv").mkdir()
    (out / "csv" / "roadmap.csv").write_text("old")
    with atomic_folder(out, OURS) as temporary:
        assert (temporary / INCOMPLETE_NOTE).exists()  # says so while it is written
        assert temporary.name.startswith(".roadmap.incomplete-")
        (temporary / "summary.md").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["summary.md"]
    assert _leftovers(tmp_path) == []
    assert stat.S_IMODE(out.stat().st_mode) & 0o055


def test_a_failed_or_interrupted_folder_leaves_the_previous_one(tmp_path):
    out = tmp_path / "roadmap"
    out.mkdir()
    (out / "summary.md").write_text("previous run")
    for error in (RuntimeError, KeyboardInterrupt):
        with pytest.raises(error), atomic_folder(out, OURS) as temporary:
            (temporary / "summary.md").write_text("half")
            raise error
        assert (out / "summary.md").read_text() == "previous run"
        assert sorted(os.listdir(out)) == ["summary.md"] and _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda out: out.write_text("a report"),
            "cannot write to {out}: it is a file; name a folder",
        ),
        (
            lambda out: (out.mkdir(), (out / "notes.docx").write_text("mine")),
            "cannot write to {out}: it holds notes.docx, which this did not write; name a new "
            "or empty folder (nothing was changed)",
        ),
    ],
)
def test_a_folder_is_never_written_over_what_is_not_ours(tmp_path, make, message):
    out = tmp_path / "out"
    make(out)
    with pytest.raises(OutputError) as caught, atomic_folder(out, OURS):
        pass
    assert str(caught.value) == message.format(out=out)
    assert _leftovers(tmp_path) == []


def test_the_working_folder_is_not_an_output_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError) as caught, atomic_folder(".", OURS):
        pass
    assert str(caught.value) == (
        "cannot write to .: it is the working folder; name a new folder for the output"
    )


def test_no_output_replaces_a_sqlite_database_or_its_write_ahead_log(tmp_path):
    import sqlite3

    store = tmp_path / "store.db"
    connection = sqlite3.connect(store)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (1)")
    connection.commit()  # the WAL holds the change until a checkpoint
    try:
        for path in (store, tmp_path / "store.db-wal"):
            before = path.read_bytes()
            with (
                pytest.raises(OutputError, match="it is a SQLite database"),
                atomic_file(path) as temporary,
            ):
                temporary.write_text("not a database")
            assert path.read_bytes() == before
    finally:
        connection.close()
