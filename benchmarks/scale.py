"""The whole pipeline on synthetic national estates, step by step; prints a table.

Usage: python benchmarks/scale.py [10000 100000 1000000] [--skip-naive]

For each size, in fresh processes so peak memory (RSS) is per phase:

1. **import**: ``inventory.synthetic.national`` written as CSV, then ``import_inventory``
   (read + validate + one SQLite transaction) timed; the store's size.
2. **plan**: load from the store; the array graph and its strongly connected components;
   downstream impact (exact); scoring alone; then ``make_plan`` (impact, scores, move groups,
   precedence, schedule, burn-down) under the default policy with budgets and team capacity
   scaled to the estate; CSV export.
2b. **approximate**: the same plan with HyperLogLog impact, in its own process.
3. **naive**: the networkx way, ``nx.ancestors`` for every node, timed in full up to 30,000
   systems and estimated above that from timed samples (see :func:`naive_impact_seconds`);
   the speed-up is naive seconds / exact impact seconds.

These are measurements to read, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FULL_NAIVE_UP_TO = 30_000
SAMPLE = 300


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scaled_policy(systems: int):
    """The default policy with budgets and team capacity scaled to the estate (per 250
    systems, one trust's worth), as a national programme would fund it."""
    from planner.policy import load_policy

    policy = load_policy()
    factor = max(1.0, systems / 250)
    budget = policy.schedule["budget"]
    return policy.with_overrides(
        {
            "schedule.teams": {t: c * factor for t, c in policy.teams.items()},
            "schedule.budget.default_gbp": budget["default_gbp"] * factor,
            "schedule.budget.by_year": {y: b * factor for y, b in budget["by_year"].items()},
            "schedule.max_concurrent_projects": None,
        }
    )


def import_phase(n: int, folder: Path) -> dict:
    from inventory import import_inventory
    from inventory.synthetic import national
    from inventory.write import write_inventory

    estate, t_generate = timed(national, n, seed=1)
    counts = {"systems": len(estate.systems), "dependencies": len(estate.dependencies)}
    _, t_write = timed(write_inventory, estate, folder / "csv")
    del estate
    (_, report), t_import = timed(import_inventory, folder / "csv", folder / "store.db")
    assert report.valid, str(report)[:500]
    return {
        **counts,
        "generate s": t_generate,
        "write csv s": t_write,
        "import s": t_import,
        "store MB": (folder / "store.db").stat().st_size / 1e6,
        "import RSS MB": peak_rss_mb(),
    }


def _load(folder: Path):
    from inventory import Store

    with Store(folder / "store.db") as store:
        return timed(store.load)


def plan_phase(n: int, folder: Path) -> dict:
    """The product's pipeline with exact impact: load, graph, impact, scores, plan, CSV."""
    from inventory.graph import ArrayGraph
    from inventory.model import Inventory
    from planner.export import write_csv
    from planner.impact import downstream_impact
    from planner.plan import make_plan
    from planner.scoring import score

    inventory, t_load = _load(folder)
    systems, dependencies = inventory.systems, inventory.dependencies
    start = time.perf_counter()
    ArrayGraph.from_frames(systems, dependencies).strong_components()
    t_graph = time.perf_counter() - start
    exact, t_exact = timed(downstream_impact, systems, dependencies, method="exact")
    policy = scaled_policy(len(systems))
    _, t_score = timed(score, systems, exact, policy)
    del exact
    result, t_plan = timed(make_plan, Inventory(systems, dependencies), policy)
    _, t_export = timed(write_csv, result, folder / "roadmap")
    (folder / "reach.json").write_text(result.impact["downstream"].to_json())
    return {
        "load s": t_load,
        "graph + SCC s": t_graph,
        "impact exact s": t_exact,
        "score s": t_score,
        "score + plan s": t_plan,
        "export csv s": t_export,
        "scheduled": int(result.units["scheduled"].sum()),
        "projects": len(result.units),
        "plan RSS MB": peak_rss_mb(),
    }


def approximate_phase(n: int, folder: Path) -> dict:
    """The same plan with HyperLogLog impact, in its own process for its own peak memory."""
    from inventory.model import Inventory
    from planner.impact import downstream_impact
    from planner.plan import make_plan

    inventory, _ = _load(folder)
    systems, dependencies = inventory.systems, inventory.dependencies
    _, t_approx = timed(downstream_impact, systems, dependencies, method="approximate")
    policy = scaled_policy(len(systems)).with_overrides({"impact.method": "approximate"})
    _, t_plan = timed(make_plan, Inventory(systems, dependencies), policy)
    return {
        "impact approx s": t_approx,
        "score + plan (approx) s": t_plan,
        "plan (approx) RSS MB": peak_rss_mb(),
    }


def naive_impact_seconds(G, reach, heavy: int = 200) -> float:
    """Seconds ``nx.ancestors`` would take over every node, from timed samples.

    Its cost grows with each node's ancestor set, whose size we know exactly. The ``heavy``
    nodes with the largest reach (the hubs, which dominate) are timed one by one; for the
    rest, a random sample gives seconds per (reach + 1) and that ratio is applied to their
    total. On graphs small enough to time in full this lands within about 20% of the truth.
    """
    import networkx as nx

    ordered = reach.sort_values(ascending=False)
    top, rest = ordered.index[:heavy], ordered.index[heavy:]
    start = time.perf_counter()
    for node in top:
        nx.ancestors(G, node)
    heavy_seconds = time.perf_counter() - start
    if not len(rest):
        return heavy_seconds
    sample = random.Random(0).sample(list(rest), min(SAMPLE, len(rest)))
    start = time.perf_counter()
    for node in sample:
        nx.ancestors(G, node)
    per_unit = (time.perf_counter() - start) / float((reach[sample] + 1).sum())
    return heavy_seconds + per_unit * float((reach[rest] + 1).sum())


def naive_phase(n: int, folder: Path) -> dict:
    import networkx as nx
    import pandas as pd

    from inventory import Store

    with Store(folder / "store.db") as store:
        edges = store.db.execute("SELECT consumer, provider FROM dependencies").fetchall()
        nodes = [row[0] for row in store.db.execute("SELECT id FROM systems")]
    G = nx.DiGraph()
    G.add_nodes_from(nodes)
    G.add_edges_from(edges)
    if len(G) <= FULL_NAIVE_UP_TO:
        start = time.perf_counter()
        for node in G:
            nx.ancestors(G, node)
        return {"naive impact s": time.perf_counter() - start, "naive is": "measured"}
    reach = pd.read_json(folder / "reach.json", typ="series")
    return {"naive impact s": naive_impact_seconds(G, reach), "naive is": "estimated"}


PHASES = {
    "import": import_phase,
    "plan": plan_phase,
    "approximate": approximate_phase,
    "naive": naive_phase,
}


def run_phase(phase: str, n: int, folder: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", phase, str(n), str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{phase} at {n:,} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{memory_gb:.0f} GB, Python {platform.python_version()}, {platform.system()}"
    )


def main(sizes: list[int], naive: bool) -> None:
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            row = {"size": n}
            for phase in PHASES:
                if phase == "naive" and not naive:
                    continue
                row.update(run_phase(phase, n, Path(folder)))
                print(f"{n:,}: {phase} done", file=sys.stderr)
            if naive:
                row["speed-up"] = row["naive impact s"] / row["impact exact s"]
            rows.append(row)
    print(f"Machine: {machine()}\n")
    columns = [c for c in rows[0] if c != "size"]
    print("| step | " + " | ".join(f"{row['systems']:,} systems" for row in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for column in columns:
        cells = []
        for row in rows:
            value = row.get(column, "")
            if isinstance(value, str):
                cells.append(value)
            elif column in ("systems", "dependencies", "scheduled", "projects", "speed-up"):
                cells.append(f"{value:,.0f}" + ("x" if column == "speed-up" else ""))
            elif column.endswith("MB"):
                cells.append(f"{value:,.0f}")
            else:
                cells.append(f"{value:,.2f}")
        print(f"| {column} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--phase":
        result = PHASES[sys.argv[2]](int(sys.argv[3]), Path(sys.argv[4]))
        print(json.dumps(result))
    else:
        arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
        main(
            [int(a) for a in arguments] or [10_000, 100_000, 1_000_000],
            naive="--skip-naive" not in sys.argv,
        )
