"""What each lever is worth, timed on the sample trust.

Usage: python benchmarks/levers.py [--runs 3]

After a warm-up (numba compiles the scheduler's kernels on first use, then caches them), times
``planner.plan`` on the sample trust and :func:`planner.levers.levers` on that plan, ``--runs``
times each, and prints the mean and the fastest, with how many levers there are and how each
was placed again. Then times the whole command, ``modernise levers data/sample-trust``, as a
user runs it (a fresh process: start-up, imports, reading, planning, levers, the table),
``--runs`` times.

These are measurements to read, not tests: nothing here asserts a time (the aim for the
command is under 10 seconds).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import planner  # noqa: E402
from planner.levers import levers  # noqa: E402

SAMPLE_TRUST = ROOT / "data" / "sample-trust"


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def seconds(values: list[float]) -> str:
    return f"mean {statistics.mean(values):.2f} s, fastest {min(values):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    inventory = planner.load(SAMPLE_TRUST)
    levers(planner.plan(inventory))  # warm-up: compile or load the kernels
    plans, lever_times = [], []
    for _ in range(runs):
        result, took = timed(planner.plan, inventory)
        plans.append(took)
        found, took = timed(levers, result)
        lever_times.append(took)
    command = [sys.executable, "-m", "planner", "levers", str(SAMPLE_TRUST), "--format", "csv"]
    commands = []
    for _ in range(runs):
        _, took = timed(subprocess.run, command, check=True, capture_output=True, cwd=ROOT)
        commands.append(took)
    placed_by = found.table["placed_by"].value_counts().to_dict()
    print(f"# levers on the sample trust ({platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, {runs} runs)")  # fmt: skip
    print(f"plan:    {seconds(plans)}")
    print(f"levers:  {seconds(lever_times)} ({len(found.table)} levers; placed by {placed_by})")
    print(f"command: {seconds(commands)} (modernise levers, in a fresh process)")
    print(repr(found))


if __name__ == "__main__":
    main()
