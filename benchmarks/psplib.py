"""The scheduler against the PSPLIB optimum: mean and worst deviation on j30 and j60.

Usage: python benchmarks/psplib.py [--data ../shared/data/psplib] [--sets j30,j60]
       [--optimal j30] [--limit N] [--time-limit 10] [--sample-trust]

Every instance is read by :mod:`planner.schedule.psplib` and scheduled by the planner's own
scheduler:
first with one pass of the priority rule (the planner's scheduler as it was), then with the
fast mode as configured by default (``schedule.passes``), then, for the sets named in
``--optimal``, with the optimising mode (CP-SAT, ``--time-limit`` seconds each). Deviation is
``makespan / reference - 1``, where the reference is the proven optimum (j30) or the best
known makespan (j60). ``--sample-trust`` also prints the fast mode's gap to the optimising
mode on the sample trust. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.schedule.psplib import read_sm, schedule_instance  # noqa: E402

REFERENCES = {
    "j30": ("j30_optimum.csv", "optimal_makespan"),
    "j60": ("j60_bounds.csv", "best_known_ub"),
}


def run_set(folder: Path, name: str, modes: dict[str, dict], limit: int | None) -> pd.DataFrame:
    table, column = REFERENCES[name]
    reference = pd.read_csv(folder / table).set_index("instance")[column]
    files = sorted((folder / name).glob("*.sm"))[:limit]
    rows = []
    for number, path in enumerate(files, start=1):
        instance = read_sm(path)
        row = {"instance": instance.name, "reference": reference[instance.name]}
        for mode, settings in modes.items():
            start = time.perf_counter()
            result = schedule_instance(instance, **settings)
            row[f"{mode} seconds"] = time.perf_counter() - start
            row[mode] = result.search["programme (months)"]
            row[f"{mode} proved"] = result.search.get("solver") == "optimal"
        rows.append(row)
        if number % 40 == 0:
            print(f"{name}: {number}/{len(files)}", file=sys.stderr)
    return pd.DataFrame(rows)


def summarise(frame: pd.DataFrame, name: str, modes: list[str]) -> list[str]:
    lines = []
    for mode in modes:
        deviation = frame[mode] / frame["reference"] - 1
        proved = (
            f", {int(frame[f'{mode} proved'].sum())} proved optimal" if "optimal" in mode else ""
        )
        lines.append(
            f"| {name} | {mode} | {len(frame)} | {100 * deviation.mean():.2f}% | "
            f"{100 * deviation.max():.2f}% | {int((deviation <= 1e-9).sum())}{proved} | "
            f"{frame[f'{mode} seconds'].mean():.3f} |"
        )
    return lines


def sample_trust_gap(time_limit: float) -> str:
    import planner

    fast = planner.plan(ROOT / "data" / "sample-trust")
    start = time.perf_counter()
    best = planner.plan(
        ROOT / "data" / "sample-trust",
        **{"schedule.method": "optimal", "schedule.time_limit_seconds": time_limit},
    )
    seconds = time.perf_counter() - start
    single = planner.plan(ROOT / "data" / "sample-trust", **{"schedule.passes": 1})
    rows = [("fast, one pass", single.search), ("fast", fast.search), ("optimal", best.search)]
    out = [
        "\nSample trust (objective = 0.75 x risk-weighted mean go-live + 0.25 x programme, "
        "months):\n",
        "| mode | objective | risk-weighted mean go-live | programme months | risk-months |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, search in rows:
        out.append(
            f"| {label} | {search['objective']:.2f} | "
            f"{search['risk-weighted mean go-live (months)']:.1f} | "
            f"{search['programme (months)']:.0f} | "
            f"{search['risk-weighted go-live (risk-months)']:,.0f} |"
        )
    gap = fast.search["objective"] / best.search["objective"] - 1
    out.append(
        f"\nfast is {100 * gap:.2f}% above the optimiser ({best.search['solver']}, "
        f"{seconds:.0f} s, bound {best.search['solver bound']:.2f})"
    )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "psplib")
    parser.add_argument("--sets", default="j30,j60")
    parser.add_argument("--optimal", default="j30")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sample-trust", action="store_true")
    args = parser.parse_args()
    lines = [
        "| set | mode | instances | mean deviation | worst | at reference | s / instance |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name in args.sets.split(","):
        modes = {"one pass": {"passes": 1}, "fast": {}}
        if name in args.optimal.split(","):
            modes["optimal"] = {"method": "optimal", "time_limit_seconds": args.time_limit}
        frame = run_set(args.data, name, modes, args.limit)
        lines += summarise(frame, name, list(modes))
    print("\n".join(lines))
    if args.sample_trust:
        print(sample_trust_gap(args.time_limit))


if __name__ == "__main__":
    main()
