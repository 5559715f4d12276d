"""How long the command line takes to start: whole processes, several runs, the median.

Usage: python benchmarks/startup.py [--repeat 7]

Each command runs as a fresh ``python -m planner`` process (what a user's shell starts),
against a store holding the sample trust (imported once, untimed, into a temporary folder):
``modernise --help``, ``systems``, ``show pas`` and, for scale, ``rank`` (which loads the
scorer). Prints the median and fastest wall-clock seconds of ``--repeat`` runs and the heavy
modules each command loaded. The targets are ``--help`` under 0.3 s and ``systems`` under
1 s; on a shared machine read the fastest run as well as the median.

These are measurements to read, not tests: nothing here asserts a time (the test suite
checks only which modules a quick command imports, in ``tests/test_startup.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("numba", "matplotlib", "ortools", "openpyxl", "scipy", "networkx")

#: Runs a command in-process after start-up and reports the heavy modules it loaded.
_PROBE = """
import json, sys
from planner.cli import main
main(sys.argv[1:])
print(json.dumps([m for m in {heavy!r} if m in sys.modules]), file=sys.stderr)
"""


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def time_command(args: list[str], repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` whole-process runs of ``modernise args``."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "planner", *args],
            env=_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        seconds.append(time.perf_counter() - start)
    return seconds


def heavy_modules(args: list[str]) -> list[str]:
    """The heavy modules ``modernise args`` imports."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), *args],
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "sample.db")
        sample = str(ROOT / "data" / "sample-trust")
        subprocess.run(
            [sys.executable, "-m", "planner", "import", sample, "--db", db],
            env=_environment(),
            stdout=subprocess.DEVNULL,
            check=True,
        )
        commands = {
            "modernise --help": ["--help"],
            "modernise systems": ["systems", "--db", db],
            "modernise show pas": ["show", "pas", "--db", db],
            "modernise rank": ["rank", "--db", db],
        }
        print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
        print(f"{'command':<22} {'median s':>9} {'fastest s':>10}  heavy modules loaded")
        for name, args in commands.items():
            seconds = time_command(args, options.repeat)
            loaded = ", ".join(heavy_modules(args)) or "none"
            print(f"{name:<22} {statistics.median(seconds):>9.2f} {min(seconds):>10.2f}  {loaded}")


if __name__ == "__main__":
    main()
