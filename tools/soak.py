"""The long reliability run: fuzzing, killed imports, concurrent imports. Prints the figures.

Usage: python tools/soak.py [--fuzz 5000] [--kills 200] [--concurrent 50]

The same checks as the test suite, many more times:
- fuzz: random tables and random bytes in every format through the importer and validator
  (a report or a clear error, never a crash; valid inventories survive a store round trip);
- kills: an import SIGKILLed at a random moment; the store must open, pass
  PRAGMA integrity_check and hold the old or the new inventory, never a mixture;
- concurrent: two imports and a plan at once; all succeed or say the database is busy, and
  no import's changes are lost.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz_targets import (
    SUFFIXES,
    check_random_bytes,
    check_random_table,
    random_tables,
)
from tests.reliability import concurrent_round, kill_round, prepare_kill_case


def fuzz(examples: int) -> None:
    settings_ = settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )

    @settings_
    @given(random_tables())
    def tables(table):
        check_random_table(table)

    @settings_
    @given(st.binary(max_size=4_000), st.sampled_from(SUFFIXES))
    def raw(data, suffix):
        check_random_bytes(data, suffix)

    for name, target in (("random tables", tables), ("random bytes", raw)):
        start = time.perf_counter()
        target()
        print(f"fuzz {name}: {examples} examples, no crash, {time.perf_counter() - start:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--concurrent", type=int, default=50)
    args = parser.parse_args()
    if args.fuzz:
        fuzz(args.fuzz)
    if args.kills:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            case = prepare_kill_case(Path(tmp))
            outcomes = {"old": 0, "new": 0}
            for i in range(args.kills):
                outcomes[kill_round(case, seed=i)] += 1
            print(
                f"kills: {args.kills} imports killed with SIGKILL; store intact every time; "
                f"old inventory {outcomes['old']} times, new {outcomes['new']} times"
            )
    if args.concurrent:
        import tempfile

        busy = 0
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(args.concurrent):
                busy += concurrent_round(Path(tmp) / f"round{i}")
        print(
            f"concurrent: {args.concurrent} rounds of 2 imports + 1 plan; nothing lost; "
            f"{busy} runs were told the database was busy"
        )


if __name__ == "__main__":
    main()
