"""CSV export of a plan of a synthetic national estate: ``write_csv`` in total and per table.

Usage: python benchmarks/csv_export.py [10000 100000 ...] [--repeat 3] [--profile]
[--cache DIR]

For each size, ``inventory.synthetic.national(n, seed=1)`` is planned under the scaled policy
(:mod:`scaled_policy`, as ``benchmarks/scale.py`` does); the plan is pickled into the cache
folder (default: the system's temporary folder) so that a second run, or a run against
another tree of the code (``PYTHONPATH=/other/tree``), times the export of the same plan
without planning again. Then it prints the median of ``--repeat`` runs of:

- ``write_csv(result, folder)`` in total (wall clock, and CPU seconds of this process),
  and the bytes it wrote;
- ``tables(result)`` alone (assembling the tables from the plan);
- ``safe_csv(table, path)`` for each table, with its rows and bytes.

``--profile`` also runs ``write_csv`` once under cProfile and prints the top 25 functions
by cumulative time. These are measurements to read, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scaled_policy import scaled_policy  # benchmarks/ is on sys.path when run


def plan(n: int, cache: Path):
    """The plan of a national estate of ``n`` systems, from the cache if it is there."""
    path = cache / f"csv-export-plan-{n}.pickle"
    if path.exists():
        with path.open("rb") as file:
            return pickle.load(file)
    from inventory.synthetic.national import national
    from planner.plan import make_plan

    estate = national(n, seed=1)
    result = make_plan(estate, scaled_policy(len(estate.systems)))
    cache.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def median_times(function, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU (process) seconds of ``repeat`` calls: on a shared
    machine the CPU seconds move less with the load than the wall clock does."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def measure(n: int, repeat: int, cache: Path, profile: bool) -> None:
    from planner.export.tables import csv_name, safe_csv, tables, write_csv

    result = plan(n, cache)
    print(f"\n== national({n:,}) -> {len(result.inventory.systems):,} systems ==")
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "roadmap"
        total, cpu = median_times(lambda: write_csv(result, out), repeat)
        written = folder_bytes(out)
        print(f"write_csv total: {total:7.3f} s (CPU {cpu:.3f} s)   {written / 1e6:8.2f} MB")
        assembled = median_times(lambda: tables(result), repeat)[0]
        print(f"tables() alone:  {assembled:7.3f} s")
        named = tables(result)
        print(f"{'table':<26}{'rows':>10}{'seconds':>10}{'MB':>9}")
        for name, table in named.items():
            path = Path(work) / csv_name(name)
            seconds = median_times(lambda t=table, p=path: safe_csv(t, p), repeat)[0]
            size = path.stat().st_size / 1e6
            print(f"{name:<26}{len(table):>10,}{seconds:>10.3f}{size:>9.2f}")
        if profile:
            profiler = cProfile.Profile()
            profiler.runcall(write_csv, result, Path(work) / "profiled")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    for n in args.sizes:
        measure(n, args.repeat, args.cache, args.profile)


if __name__ == "__main__":
    main()
