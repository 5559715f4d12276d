"""The quick commands import only what they use: no numba, matplotlib, OR-Tools or openpyxl.

Times are printed by ``benchmarks/startup.py``; here only the modules are checked, in a fresh
interpreter each (a test process has imported everything already).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SAMPLE_TRUST

pytestmark = pytest.mark.slow  # each test starts a fresh process

HEAVY = ["numba", "matplotlib", "ortools", "openpyxl"]

PROBE = """
import json, sys
from planner.cli import main
main(sys.argv[1:])
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def heavy_modules_after(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_help_imports_no_heavy_module():
    assert heavy_modules_after("--help") == []


def test_import_planner_alone_is_light():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, planner, inventory; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    loaded = set(eval(done.stdout))
    assert loaded.isdisjoint([*HEAVY, "pandas", "networkx", "scipy"])


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "sample.db"
    subprocess.run(
        [sys.executable, "-m", "planner", "import", str(SAMPLE_TRUST), "--db", str(db)],
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    return db


@pytest.mark.parametrize("args", [["systems"], ["show", "pas"]], ids=lambda args: " ".join(args))
def test_quick_commands_import_no_heavy_module(sample_store, args):
    assert heavy_modules_after(*args, "--db", str(sample_store)) == []
