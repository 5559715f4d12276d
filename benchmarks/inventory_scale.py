"""Time import and graph build for synthetic national inventories; prints a table.

Usage: python benchmarks/inventory_scale.py [10000 100000 1000000]

Each size runs in its own process so peak memory (RSS) is per size. Steps:
generate (inventory.synthetic.national), write CSV, import (read + validate + one SQLite
transaction), load from the store, build the networkx graph, build the array graph and its
strongly connected components.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(n: int) -> dict:
    from inventory import Store, import_inventory
    from inventory.graph import ArrayGraph, to_graph
    from inventory.io import write_inventory
    from inventory.synthetic import national

    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        start = time.perf_counter()
        estate = national(n, seed=1)
        timings["generate"] = time.perf_counter() - start
        start = time.perf_counter()
        write_inventory(estate, folder / "csv")
        timings["write csv"] = time.perf_counter() - start
        del estate
        start = time.perf_counter()
        _, report = import_inventory(folder / "csv", folder / "store.db")
        timings["import"] = time.perf_counter() - start
        assert report.valid, str(report)[:500]
        start = time.perf_counter()
        with Store(folder / "store.db") as store:
            inventory = store.load()
        timings["load"] = time.perf_counter() - start
        start = time.perf_counter()
        graph = ArrayGraph.from_frames(inventory.systems, inventory.dependencies)
        graph.strong_components()
        timings["array graph + SCC"] = time.perf_counter() - start
        start = time.perf_counter()
        G = to_graph(inventory.systems, inventory.dependencies)
        timings["networkx graph"] = time.perf_counter() - start
        edges = G.number_of_edges()
        size_mb = (folder / "store.db").stat().st_size / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "systems": len(inventory.systems),
        "dependencies": edges,
        **timings,
        "store MB": size_mb,
        "peak RSS MB": peak,
    }


def main(sizes: list[int]) -> None:
    rows = []
    for n in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"measured {n:,}", file=sys.stderr)
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        cells = [
            f"{row[c]:,.0f}" if c in ("systems", "dependencies") else f"{row[c]:.1f}"
            for c in columns
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
