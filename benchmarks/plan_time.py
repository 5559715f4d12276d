"""How long ``make_plan`` takes on synthetic national estates; prints a table.

Usage: python benchmarks/plan_time.py [10000 100000] [--repeat 3]

Each size is generated once (``inventory.synthetic.national``, seed 1) and planned under the
default policy with budgets and team capacity scaled to the estate (one trust's worth per
250 systems, as a national programme would fund it), every planning rule on: capital and
revenue, spend profiles, go-live limits and spacing per organisation, approvals, clinical
safety cases, retirement windows. A first, untimed plan warms the compiled kernels; then
each plan is timed: the median and fastest wall-clock seconds, and the median CPU seconds
(steadier than the wall clock on a shared machine).

The script runs unchanged on older versions of the planner (it only uses ``make_plan``,
``load_policy().with_overrides`` and the generator), so before/after numbers come from the
same code: ``git worktree add /tmp/before <commit>`` and run it there too.

These are measurements to read, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

from scaled_policy import scaled_policy  # benchmarks/ is on sys.path when run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from inventory.synthetic import national
    from planner.plan import make_plan

    print(f"python {platform.python_version()} on {platform.machine()}")
    print(
        f"{'systems':>9} {'projects':>9} {'scheduled':>10} {'median s':>9} {'best s':>8} "
        f"{'median CPU s':>13}"
    )
    for n in args.sizes:
        estate = national(n, seed=1)
        policy = scaled_policy(len(estate.systems))
        make_plan(estate, policy)  # compile and warm
        seconds, cpu = [], []
        result = None
        for _ in range(args.repeat):
            began, began_cpu = time.perf_counter(), time.process_time()
            result = make_plan(estate, policy)
            seconds.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        assert result is not None
        scheduled = int(result.units["scheduled"].sum())
        print(
            f"{len(estate.systems):>9,} {len(result.units):>9,} {scheduled:>10,} "
            f"{statistics.median(seconds):>9.2f} {min(seconds):>8.2f} "
            f"{statistics.median(cpu):>13.2f}"
        )


if __name__ == "__main__":
    main()
