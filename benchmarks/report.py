"""The board pack's time: the sample trust and a synthetic national estate; prints a table.

Usage: python benchmarks/report.py [10000 ...]

For the sample trust (``data/sample-trust``, the default policy) and each size given
(default 10,000 systems of ``inventory.synthetic.national``, with budgets and teams scaled to
the estate: one trust's worth per 250 systems, no project cap), it times the plan, then the
report: ``build_report`` (the forecast, the options appraisal and levers, which re-plan,
every chart drawn as SVG), the HTML page and the PDF, and prints the sizes written.

These are measurements to read, not tests: nothing here asserts a time (the target for the
sample trust's HTML report is under 5 seconds).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from scaled_policy import scaled_policy  # benchmarks/ is on sys.path when run

import planner
from inventory.synthetic import national
from planner.policy import load_policy
from planner.report import build_report

ROOT = Path(__file__).resolve().parent.parent


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def measure(name: str, inventory, policy, folder: Path) -> dict:
    result, plan_seconds = timed(planner.plan, inventory, policy)
    report, build_seconds = timed(build_report, result, organisation=name)
    html, html_seconds = timed(report.write, folder / "report.html")
    pdf, pdf_seconds = timed(report.write, folder / "report.pdf")
    return {
        "estate": name,
        "systems": len(result.inventory.systems),
        "projects": int(result.units["scheduled"].sum()),
        "plan s": plan_seconds,
        "build s": build_seconds,
        "html s": html_seconds,
        "report (build + html) s": build_seconds + html_seconds,
        "pdf s": pdf_seconds,
        "html MB": html.stat().st_size / 1e6,
        "pdf MB": pdf.stat().st_size / 1e6,
    }


def main(sizes: list[int]) -> None:
    planner.plan(ROOT / "data" / "examples" / "five-systems")  # compile the scheduler once
    rows = []
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        trust = planner.load(ROOT / "data" / "sample-trust")
        rows.append(measure("sample trust", trust, load_policy(), folder))
        for size in sizes:
            estate = national(size)
            rows.append(measure(f"national {size:,}", estate, scaled_policy(size), folder))
    columns = list(rows[0])
    print(" | ".join(columns))
    print(" | ".join("---" for _ in columns))
    for row in rows:
        print(
            " | ".join(
                f"{row[c]:,.2f}"
                if isinstance(row[c], float)
                else f"{row[c]:,}"
                if isinstance(row[c], int)
                else str(row[c])
                for c in columns
            )
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000])
