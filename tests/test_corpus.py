"""Every case of the bad-input corpus: exact messages, no traceback, store untouched.

A case imports its input unless it gives ``commands`` (each a command line, with ``{input}``,
``{db}``, ``{out}`` and ``{tmp}`` for the places it uses); ``prepare`` sets the places up
first (a file where a folder goes, a foreign SQLite file as the store, ...). Whatever a
case names in ``unchanged`` (the store by default) must be byte-for-byte the same after a
rejected case; ``outputs`` are read back by independent readers (``tests/readers.py``).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from inventory import Store, import_inventory
from planner.cli import main
from tests.conftest import ROOT, write_csv
from tests.corpus.generated import GENERATED
from tests.corpus.hostile import INPUTS, PREPARE, release
from tests.readers import folder_problems

CORPUS = ROOT / "tests" / "corpus"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


def test_the_corpus_is_large_and_varied():
    assert len(CASES) >= 150
    assert sum(c["expect"] == "rejected" for c in CASES) >= 50
    names = [c["case"] for c in CASES]
    assert len(names) == len(set(names))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A store that already holds an inventory (ids that cannot clash with the corpus)."""
    folder = tmp_path_factory.mktemp("baseline")
    write_csv(
        folder / "systems.csv", [{"id": f"baseline-{i}", "name": f"Baseline {i}"} for i in range(5)]
    )
    db = folder / "store.db"
    result, report = import_inventory(folder, db)
    assert result is not None, str(report)
    return db


def digest(path) -> str:
    """SHA-256 of a file, or of every file in a folder (names and bytes); None if absent."""
    path = Path(path)
    if path.is_dir():
        sha = hashlib.sha256()
        for item in sorted(path.rglob("*")):
            sha.update(str(item.relative_to(path)).encode())
            if item.is_file():
                sha.update(item.read_bytes())
        return sha.hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def _fill(text: str, places: dict) -> str:
    for key, value in places.items():
        text = text.replace("{" + key + "}", str(value))
    return text


#: Cases whose input is large on purpose (they run in the full suite, not the inner loop).
#: Cases the inner loop (``-m "not slow"``) leaves to the full suite: the largest input, and
#: every case that writes a whole roadmap folder.
SLOW_CASES = {"csv_one_million_rows"} | {
    c["case"] for c in CASES if any(command[0] == "roadmap" for command in c.get("commands", []))
}


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.slow) if c["case"] in SLOW_CASES else c for c in CASES],
    ids=[c["case"] for c in CASES],
)
def test_case(case, baseline, tmp_path, capsys):
    name = case.get("input", case["case"])
    made = GENERATED | INPUTS
    source = made[name](tmp_path) if case.get("generated") else CORPUS / name
    db = tmp_path / "store.db"
    shutil.copy(baseline, db)
    places = {"input": source, "db": db, "out": tmp_path / "out", "tmp": tmp_path}
    for step in case.get("prepare", []):
        places.update(PREPARE[step](tmp_path, places))
    watched = {key: digest(places[key]) for key in case.get("unchanged", ["db"])}
    commands = case.get("commands") or [
        ["import", "{input}", "--db", "{db}", *case.get("args", [])]
    ]
    text = ""
    try:
        for command in commands:
            code = main([_fill(word, places) for word in command])
            captured = capsys.readouterr()
            text += captured.out + captured.err
        outputs = folder_problems(Path(_fill(case["outputs"], places))) if "outputs" in case else []
        after = {key: digest(places[key]) for key in watched}
    finally:
        if "locked" in places:
            release(Path(places["locked"]))
    lines = set(text.splitlines())
    assert "Traceback" not in text
    for message in case["messages"]:
        message = _fill(message, places)
        assert message in lines, f"missing: {message}\ngot:\n{text}"
    for part in case.get("contains", []):
        assert _fill(part, places) in text, f"missing: {part}\ngot:\n{text}"
    for part in case.get("absent", []):
        assert _fill(part, places) not in text, f"unexpected: {part}\ngot:\n{text}"
    for relative in case.get("absent_files", []):
        assert not list(tmp_path.glob(relative)), f"{relative} was left behind"
    assert outputs == []
    if case["expect"] == "rejected":
        assert code == case.get("exit", 1)
        assert after == watched, "a rejected case changed what it must leave alone"
        return
    assert code == 0, text
    check = case.get("check")
    if check:
        with Store(db) as store:
            value = store.load().systems.loc[check["system"], check["field"]]
        expected = check["equals"]
        if isinstance(value, pd.Timestamp):
            value = value.date().isoformat()
        assert value == expected
