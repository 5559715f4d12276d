"""``Store.load`` alone on synthetic national estates: seconds, peak RSS, memory per column.

Usage: python benchmarks/store_load.py [10000 100000] [--stores DIR] [--runs 3] [--profile]

Each estate (``inventory.synthetic.national(n, seed=1)``) is imported once into a store in
``DIR`` (kept there, and reused when it is already there, so two trees can be compared on the
same files; a temporary folder when not given). Then ``--runs`` fresh processes each load it
once; the median seconds and peak RSS (``ru_maxrss``, the whole process: Python, pandas and
the inventory) are printed, with the systems frame's ten largest columns
(``memory_usage(deep=True)``, which counts a shared object once per row, and what the
column holds, each distinct object once). ``--profile`` prints a cProfile of one more load, by
cumulative time. These are measurements to read, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _load_once(path: str, columns: bool) -> dict:
    from inventory import Store

    start = time.perf_counter()
    with Store(path, read_only=True) as store:
        inventory = store.load()
    seconds = time.perf_counter() - start
    out: dict = {
        "seconds": seconds,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "systems": len(inventory.systems),
    }
    if columns:
        systems = inventory.systems
        usage = systems.memory_usage(deep=True, index=True)
        held = {"Index": _held(systems.index)} | {c: _held(systems[c]) for c in systems.columns}
        out["frame_mb"] = float(usage.sum()) / 1e6
        out["held_mb"] = sum(held.values()) / 1e6
        out["columns"] = {
            k: (float(v) / 1e6, held[k] / 1e6)
            for k, v in usage.sort_values(ascending=False).head(10).items()
        }
    return out


def _held(values) -> int:
    """Bytes a column holds: its array, plus each distinct Python object it points to once
    (``memory_usage(deep=True)`` counts an object once per row that shares it)."""
    import numpy as np
    import pandas as pd

    array = values.array if isinstance(values, pd.Series | pd.Index) else values
    if not (isinstance(array, np.ndarray) or hasattr(array, "_ndarray")):
        return int(array.nbytes)  # categoricals, nullable integers: no Python objects
    cells = np.asarray(array)
    if cells.dtype != object:
        return int(cells.nbytes)
    objects = {id(v): v for v in cells.tolist()}
    return int(cells.nbytes) + sum(_size(v) for v in objects.values())


def _size(value) -> int:
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(sys.getsizeof(k) + sys.getsizeof(v) for k, v in value.items())
    elif isinstance(value, tuple):
        size += sum(sys.getsizeof(v) for v in value)
    return size


def _build(n: int, folder: Path) -> Path:
    from inventory import Store
    from inventory.synthetic.national import national

    path = folder / f"national-{n}.db"
    if path.exists():
        return path
    estate = national(n, seed=1)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with Store(partial) as store:
        store.import_inventory(estate, source=f"national({n}, seed=1)", sha256="0" * 64)
    partial.rename(path)
    return path


def _fresh(path: Path, columns: bool) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--load", str(path), *(["--columns"] if columns else [])],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _profile(path: Path) -> None:
    import cProfile
    import pstats

    from inventory import Store

    with Store(path, read_only=True) as store:
        profiler = cProfile.Profile()
        profiler.enable()
        store.load()
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--load"]:
        print(json.dumps(_load_once(argv[1], "--columns" in argv)))
        return
    values = {i + 1 for i, a in enumerate(argv) if a in ("--runs", "--stores")}
    sizes = [int(a) for i, a in enumerate(argv) if a.isdigit() and i not in values]
    sizes = sizes or [10_000, 100_000]
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    given = argv[argv.index("--stores") + 1] if "--stores" in argv else None
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(given or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            path = _build(n, folder)
            loads = [_fresh(path, columns=False) for _ in range(runs)]
            detail = _fresh(path, columns=True)
            seconds = statistics.median(r["seconds"] for r in loads)
            rss = statistics.median(r["rss_mb"] for r in loads)
            print(
                f"{n:>9,} requested, {detail['systems']:,} systems: load {seconds:.2f} s "
                f"(runs {', '.join(format(r['seconds'], '.2f') for r in loads)}), "
                f"peak RSS {rss:.0f} MB; systems frame {detail['frame_mb']:.1f} MB deep, "
                f"{detail['held_mb']:.1f} MB held"
            )
            print(f"    {'column':<32} {'deep':>11} {'held':>11}")
            for column, (deep, held) in detail["columns"].items():
                print(f"    {column:<32} {deep:8.2f} MB {held:8.2f} MB")
            if "--profile" in argv:
                _profile(path)


if __name__ == "__main__":
    main(sys.argv[1:])
