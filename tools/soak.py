"""The long reliability run: fuzzing, killed imports, concurrent imports. Prints the figures.

Usage: python tools/soak.py [--fuzz 5000] [--text 2000] [--foreign 200] [--kills 200]
                            [--concurrent 50] [--minutes M]

The same checks as the test suite, many more times:
- fuzz: random tables (hostile text in the cells too) and random bytes in every format
  through the importer and validator (a report or a clear error, never a crash; valid
  inventories survive a store round trip);
- text: plans whose every text field holds hostile text, every output read back by an
  independent reader (XML, Markdown, XLSX, CSV, JSON, Mermaid's own parser when Node and
  npm are there, and SVG charts);
- foreign: read and write commands pointed at SQLite files that are not stores, damaged
  stores and files that are not databases: an error line, never a traceback, and the file
  byte-for-byte unchanged;
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
    check_hostile_outputs,
    check_random_bytes,
    check_random_table,
    hostile_plans,
    random_tables,
)
from tests.readers import MermaidReader, mermaid_unavailable
from tests.reliability import concurrent_round, foreign_round, kill_round, prepare_kill_case


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


def text(examples: int) -> None:
    """Hostile text in every text field; every output read back by an independent reader."""
    import matplotlib

    matplotlib.use("Agg")
    why = mermaid_unavailable()
    mermaid = None if why else MermaidReader()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile_plans(), st.booleans())
    def outputs(plan, charts):
        check_hostile_outputs(plan, mermaid, charts=charts)

    start = time.perf_counter()
    try:
        outputs()
    finally:
        if mermaid is not None:
            mermaid.close()
    readers = "Mermaid's parser too" if mermaid else f"not Mermaid ({why})"
    print(
        f"text: {examples} plans of hostile text, every output read back ({readers}), "
        f"no malformed output, {time.perf_counter() - start:.0f} s"
    )


def foreign(rounds: int) -> None:
    """Commands pointed at files that are not stores: refused, and left unchanged."""
    import random
    import tempfile

    start = time.perf_counter()
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(rounds):
            kind = foreign_round(Path(tmp) / f"round{i}", random.Random(i))
            counts[kind] = counts.get(kind, 0) + 1
    shown = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
    print(
        f"foreign: {rounds} rounds of read and write commands on files that are not stores "
        f"({shown}); no traceback, and every file that is not a store refused and left "
        f"byte-for-byte unchanged, "
        f"{time.perf_counter() - start:.0f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=5000)
    parser.add_argument("--text", type=int, default=2000)
    parser.add_argument("--foreign", type=int, default=200)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--concurrent", type=int, default=50)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.fuzz:
        fuzz(args.fuzz)
    if args.text:
        text(args.text)
    if args.foreign:
        foreign(args.foreign)
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
    print(f"soak: {(time.perf_counter() - started) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
