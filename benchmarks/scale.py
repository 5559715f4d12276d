"""The whole pipeline on synthetic estates of two shapes, step by step; prints a table.

Usage: python benchmarks/scale.py [10000 100000 1000000] [national] [deep] [--skip-naive]
[--skip-approximate]

Two generators: ``inventory.synthetic.national`` (trusts tiled from the sample trust, GP
practices, national hubs; mean downstream reach about 33) and ``inventory.synthetic.deep``
(layered infrastructure, engines, regional hubs and shared EPRs closing cycles of about 300;
reach in the hundreds or thousands). For each generator and size, every phase runs in a fresh
process so that peak memory (RSS) is the phase's own:

1. **import**: the estate written as CSV, then ``import_inventory`` (read + validate + one
   SQLite transaction) timed; the store's size.
2. **load**: ``Store.load`` alone.
3. **impact**: load, then exact downstream impact from ids twice (cold: the compiled kernel
   loaded from its cache; then warm) and once from positions (the inventory's array graph,
   built once, as a plan uses it); the ids' lookup and the strongly connected components.
4. **plan**: load, scoring alone, then ``make_plan`` (impact, scores, move groups, precedence,
   schedule, burn-down) under the default policy with budgets and team capacity scaled.
5. **export**: load, plan, then ``write_csv`` timed.
6. **approximate**: the plan with HyperLogLog impact.
7. **naive**: the networkx way, ``nx.ancestors`` for every node, timed in full up to 30,000
   systems and estimated above that from timed samples (see :func:`naive_impact_seconds`);
   the speed-up is naive seconds / warm exact impact seconds.

Then ``modernise roadmap`` and ``modernise --help`` on the sample trust, as a user runs them.
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

from scaled_policy import scaled_policy  # benchmarks/ is on sys.path when run

FULL_NAIVE_UP_TO = 30_000
SAMPLE = 300
ROOT = Path(__file__).resolve().parent.parent


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_phase(generator: str, n: int, folder: Path) -> dict:
    from inventory import import_inventory
    from inventory.synthetic.deep import deep
    from inventory.synthetic.national import national
    from inventory.write import write_inventory

    make = {"national": national, "deep": deep}[generator]
    estate, t_generate = timed(make, n, seed=1)
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


def load_phase(generator: str, n: int, folder: Path) -> dict:
    """Load from the store alone."""
    _, t_load = _load(folder)
    return {"load s": t_load, "load RSS MB": peak_rss_mb()}


def impact_phase(generator: str, n: int, folder: Path) -> dict:
    """Exact impact from ids (cold: the compiled kernel from its cache; then warm), and warm
    from positions (``Inventory.array_graph``, as a plan uses it); the graph alone."""
    from planner.impact import downstream_impact

    inventory, _ = _load(folder)
    systems, dependencies = inventory.systems, inventory.dependencies
    graph, t_graph = timed(lambda: inventory.array_graph)
    _, t_scc = timed(graph.strong_components)
    _, t_cold = timed(downstream_impact, systems, dependencies, method="exact")
    _, t_ids = timed(downstream_impact, systems, dependencies, method="exact")
    exact, t_warm = timed(downstream_impact, systems, dependencies, method="exact", graph=graph)
    (folder / "reach.json").write_text(exact["downstream"].to_json())
    return {
        "ids to positions s": t_graph,
        "strong components s": t_scc,
        "impact exact cold s": t_cold,
        "impact exact warm, from ids s": t_ids,
        "impact exact warm s": t_warm,
        "mean reach": float(exact["downstream"].mean()),
        "impact RSS MB": peak_rss_mb(),
    }


def plan_phase(generator: str, n: int, folder: Path) -> dict:
    """Scores alone, then the product's plan with exact impact."""
    from inventory.model import Inventory
    from planner.impact import downstream_impact
    from planner.plan import make_plan
    from planner.scoring import score

    inventory, _ = _load(folder)
    systems, dependencies = inventory.systems, inventory.dependencies
    policy = scaled_policy(len(systems))
    exact = downstream_impact(systems, dependencies, method="exact")
    _, t_score = timed(score, systems, exact, policy)
    del exact
    result, t_plan = timed(make_plan, Inventory(systems, dependencies), policy)
    return {
        "score s": t_score,
        "score + plan s": t_plan,
        "scheduled": int(result.units["scheduled"].sum()),
        "projects": len(result.units),
        "plan RSS MB": peak_rss_mb(),
    }


def export_phase(generator: str, n: int, folder: Path) -> dict:
    """The plan, then every CSV table written."""
    from planner.export import write_csv
    from planner.plan import make_plan

    inventory, _ = _load(folder)
    result = make_plan(inventory, scaled_policy(len(inventory.systems)))
    _, t_export = timed(write_csv, result, folder / "roadmap")
    return {"export csv s": t_export, "export RSS MB": peak_rss_mb()}


def approximate_phase(generator: str, n: int, folder: Path) -> dict:
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


def naive_phase(generator: str, n: int, folder: Path) -> dict:
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
    "load": load_phase,
    "impact": impact_phase,
    "plan": plan_phase,
    "export": export_phase,
    "approximate": approximate_phase,
    "naive": naive_phase,
}
GENERATORS = ("national", "deep")


def run_phase(phase: str, generator: str, n: int, folder: Path) -> dict:
    command = [sys.executable, __file__, "--phase", phase, generator, str(n), str(folder)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{phase} of {generator} {n:,} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def sample_trust_commands() -> dict:
    """``modernise roadmap`` and ``modernise --help`` on the sample trust, wall seconds."""
    with tempfile.TemporaryDirectory() as folder:
        modernise = [sys.executable, "-m", "planner"]
        roadmap = [*modernise, "roadmap", str(ROOT / "data" / "sample-trust"), "--out", folder]
        _, t_roadmap = timed(subprocess.run, roadmap, capture_output=True, check=True)
        _, t_help = timed(subprocess.run, [*modernise, "--help"], capture_output=True, check=True)
    return {"sample trust roadmap s": t_roadmap, "modernise --help s": t_help}


def machine() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{memory_gb:.0f} GB, Python {platform.python_version()}, {platform.system()}"
    )


def cell(column: str, value: object) -> str:
    if isinstance(value, str):
        return value
    if column in ("systems", "dependencies", "scheduled", "projects"):
        return f"{value:,.0f}"
    if column == "speed-up":
        return f"{value:,.0f}x"
    if column.endswith("MB") or column == "mean reach":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def main(sizes: list[int], generators: list[str], skip: set[str]) -> None:
    rows = []
    loads = [os.getloadavg()[0]]
    for generator in generators:
        for n in sizes:
            with tempfile.TemporaryDirectory() as folder:
                row: dict = {"generator": generator}
                for phase in PHASES:
                    if phase in skip:
                        continue
                    row.update(run_phase(phase, generator, n, Path(folder)))
                    loads.append(os.getloadavg()[0])
                    print(f"{generator} {n:,}: {phase} done", file=sys.stderr)
                if "naive" not in skip:
                    row["speed-up"] = row["naive impact s"] / row["impact exact warm s"]
                rows.append(row)
    commands = sample_trust_commands()
    print(f"Machine: {machine()}; {time.strftime('%Y-%m-%d')}")
    print(f"Load average (1 min) over the run: {min(loads):.1f}-{max(loads):.1f}\n")
    columns = [c for c in rows[0] if c != "generator"]
    print("| step | " + " | ".join(f"{r['generator']} {r['systems']:,}" for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for column in columns:
        print(f"| {column} | " + " | ".join(cell(column, r.get(column, "")) for r in rows) + " |")
    print()
    for name, seconds in commands.items():
        print(f"{name}: {seconds:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--phase":
        _, _, phase, generator, size, where = sys.argv
        print(json.dumps(PHASES[phase](generator, int(size), Path(where))))
    else:
        arguments = [a for a in sys.argv[1:] if a.isdigit()]
        only = [a for a in sys.argv[1:] if a in GENERATORS]
        main(
            [int(a) for a in arguments] or [10_000, 100_000, 1_000_000],
            only or list(GENERATORS),
            {p for p in ("naive", "approximate") if f"--skip-{p}" in sys.argv},
        )
