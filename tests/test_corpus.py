"""Every case of the bad-input corpus: exact messages, no traceback, store untouched."""

from __future__ import annotations

import hashlib
import shutil

import pandas as pd
import pytest
import yaml

from inventory import Store, import_inventory
from planner.cli import main
from tests.conftest import ROOT, write_csv
from tests.corpus.generated import GENERATED

CORPUS = ROOT / "tests" / "corpus"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


def test_the_corpus_is_large_and_varied():
    assert len(CASES) >= 60
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
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: Cases whose input is large on purpose (they run in the full suite, not the inner loop).
SLOW_CASES = {"csv_one_million_rows"}


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.slow) if c["case"] in SLOW_CASES else c for c in CASES],
    ids=[c["case"] for c in CASES],
)
def test_case(case, baseline, tmp_path, capsys):
    name = case.get("input", case["case"])
    source = GENERATED[name](tmp_path) if case.get("generated") else CORPUS / name
    db = tmp_path / "store.db"
    shutil.copy(baseline, db)
    before = digest(db)
    code = main(["import", str(source), "--db", str(db), *case.get("args", [])])
    captured = capsys.readouterr()
    lines = set((captured.out + captured.err).splitlines())
    assert "Traceback" not in captured.out + captured.err
    for message in case["messages"]:
        assert message in lines, f"missing: {message}\ngot:\n{captured.out}{captured.err}"
    if case["expect"] == "rejected":
        assert code == 1
        assert digest(db) == before, "a rejected import changed the store"
        return
    assert code == 0
    check = case.get("check")
    if check:
        with Store(db) as store:
            value = store.load().systems.loc[check["system"], check["field"]]
        expected = check["equals"]
        if isinstance(value, pd.Timestamp):
            value = value.date().isoformat()
        assert value == expected
