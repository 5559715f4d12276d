"""PSPLIB single-mode RCPSP instances (the ``.sm`` format) as planning units.

The standard benchmark for resource-constrained project scheduling (Kolisch & Sprecher 1996):
jobs with durations, finish-to-start precedence and per-period demands on renewable
resources. Read here into the planner's own shapes (units, links, a policy whose teams are
the resources) so the benchmark runs through the same scheduler as a roadmap: one period is
one month, the budget is unlimited and nothing is frozen.

Examples
--------
>>> from pathlib import Path
>>> instance = read_sm(Path("tests/data/psplib/j301_1.sm"))
>>> len(instance.units), len(instance.links), instance.capacities
(30, 42, {'R1': 12, 'R2': 13, 'R3': 4, 'R4': 12})
>>> result = schedule_instance(instance, passes=1)
>>> result.search["programme (months)"] >= 43  # the proven optimum of j301_1 is 43
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.errors import InventoryFileError
from planner.policy import Policy, load_policy
from planner.schedule.diagnose import ScheduleResult
from planner.schedule.scheduler import schedule_units

__all__ = [
    "Instance",
    "critical_path_length",
    "instance_policy",
    "latest_finish",
    "read_sm",
    "schedule_instance",
]


@dataclass(frozen=True)
class Instance:
    """One RCPSP instance: ``units`` (index ``job2``..., months, team_demand), ``links``
    (before, after) and resource ``capacities``."""

    name: str
    units: pd.DataFrame
    links: pd.DataFrame
    capacities: dict[str, int]


def _section(path: Path, text: str, title: str) -> list[str]:
    start = text.find(title)
    if start < 0:
        raise InventoryFileError(path, f"not a PSPLIB .sm file: no '{title.strip(':')}' section")
    lines = text[start:].splitlines()[1:]
    out = []
    for line in lines:
        if line.startswith("*"):
            break
        out.append(line)
    return out


def _numbers(line: str) -> list[int]:
    return [int(v) for v in re.findall(r"-?\d+", line)]


def read_sm(path: str | Path) -> Instance:
    """Read a single-mode ``.sm`` file.

    Jobs with zero duration (the dummy source and sink) are dropped and their predecessors
    linked straight to their successors, so precedence is kept.
    """
    path = Path(path)
    text = path.read_text(encoding="latin-1")
    successors: dict[int, list[int]] = {}
    for line in _section(path, text, "PRECEDENCE RELATIONS:")[1:]:
        values = _numbers(line)
        if values:
            job, _modes, count, *rest = values
            successors[job] = rest[:count]
    durations: dict[int, int] = {}
    demands: dict[int, list[int]] = {}
    for line in _section(path, text, "REQUESTS/DURATIONS:")[2:]:
        values = _numbers(line)
        if values:
            job, _mode, duration, *request = values
            durations[job], demands[job] = duration, request
    capacity_lines = _section(path, text, "RESOURCEAVAILABILITIES:")[1:]  # after the R 1 R 2 line
    capacities = next(_numbers(line) for line in capacity_lines if _numbers(line))
    resources = [f"R{k + 1}" for k in range(len(capacities))]
    if set(successors) != set(durations):
        raise InventoryFileError(path, "the precedence and duration tables list other jobs")
    edges = {(a, b) for a, after in successors.items() for b in after}
    for job in sorted(j for j, d in durations.items() if d == 0):
        before = {a for a, b in edges if b == job}
        after = {b for a, b in edges if a == job}
        edges = {(a, b) for a, b in edges if job not in (a, b)}
        edges |= {(a, b) for a in before for b in after}
    jobs = sorted(j for j, d in durations.items() if d > 0)
    units = pd.DataFrame(
        {
            "members": [(f"job{j}",) for j in jobs],
            "cost_gbp": 0.0,
            "months": [durations[j] for j in jobs],
            "team_demand": [
                {r: float(v) for r, v in zip(resources, demands[j], strict=True) if v} for j in jobs
            ],
            "not_before": pd.NaT,
            "deadline": pd.NaT,
            "cost_estimated": False,
        },
        index=pd.Index([f"job{j}" for j in jobs], name="unit"),
    )
    links = pd.DataFrame(
        sorted((f"job{a}", f"job{b}", "precedence") for a, b in edges),
        columns=["before", "after", "reason"],
    )
    return Instance(path.stem, units, links, dict(zip(resources, capacities, strict=True)))


def instance_policy(instance: Instance, **settings) -> Policy:
    """A policy for a benchmark instance: its resources as teams, no budget limit, no
    freezes or go-live limits, a horizon of the total duration, and the programme's length as
    the objective."""
    horizon = int(instance.units["months"].sum())
    changes = {
        "horizon_months": horizon,
        "schedule.teams": {r: float(c) for r, c in instance.capacities.items()},
        "schedule.budget.default_gbp": 1e15,
        "schedule.budget.by_year": {},
        "schedule.max_concurrent_projects": None,
        "schedule.freeze_months": [],
        "schedule.go_live.per_month": None,
        "schedule.makespan_weight": 1.0,
    }
    changes.update({f"schedule.{key}": value for key, value in settings.items()})
    return load_policy(overrides=changes)


def schedule_instance(instance: Instance, **settings) -> ScheduleResult:
    """Schedule an instance with the planner's scheduler (settings as in ``schedule:``)."""
    policy = instance_policy(instance, **settings)
    return schedule_units(instance.units, instance.links, -latest_finish(instance), policy)


def latest_finish(instance: Instance) -> pd.Series:
    """Each job's latest finish in a schedule as long as the critical path: the classic
    priority rule (smallest first), which the one-pass scheduler then follows."""
    months = instance.units["months"]
    after = instance.links.groupby("before")["after"].agg(list).to_dict()
    end = critical_path_length(instance)
    latest: dict[str, int] = {}
    for job in reversed(instance.units.index):  # PSPLIB numbers jobs topologically
        latest[job] = min((latest[s] - int(months[s]) for s in after.get(job, [])), default=end)
    return pd.Series(latest, dtype=float).reindex(instance.units.index)


def critical_path_length(instance: Instance) -> int:
    """The length of the longest chain of jobs: a lower bound on any schedule."""
    finish: dict[str, int] = {}
    months = instance.units["months"]
    before = instance.links.groupby("after")["before"].agg(list).to_dict()
    for job in instance.units.index:  # jobs are numbered topologically in PSPLIB
        finish[job] = int(months[job]) + max((finish[p] for p in before.get(job, [])), default=0)
    return int(np.max(list(finish.values()))) if finish else 0
