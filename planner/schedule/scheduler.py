"""Schedule planning units: the fast search or the optimiser, chosen in one place.

A serial schedule-generation scheme over a priority list, in whole months:

1. Units are ordered by *effective* priority: a unit inherits the highest priority of anything
   that must wait for it (so a low-scoring EPR that a high-risk PAS retirement waits on goes
   early), then by its own priority, then by id.
2. Repeatedly take the first unit whose predecessors are all scheduled and give it the earliest
   start month at which, for every month it runs:
   - each delivery team's demand fits the team's remaining capacity,
   - the number of projects running stays within ``max_concurrent_projects``,
   - the spend in each NHS financial year (1 April - 31 March) stays within its budget
     (a project's cost is spread evenly over its months),
   and its go-live month (its last month) is not a change-freeze month, it starts after every
   predecessor has gone live, and it goes live no earlier than its contract end.
3. A unit that fits nowhere before the horizon is left unscheduled with a warning saying which
   constraint stops it; anything waiting on it is left unscheduled too. Nothing is dropped
   silently.

``schedule.method: fast`` searches many such lists (:mod:`planner.schedule.search`);
``optimal`` hands the problem to CP-SAT (:mod:`planner.schedule.optimise`) and places its
answer by the same scheme, so every plan obeys the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from planner.policy import Policy
from planner.schedule.diagnose import ScheduleResult, schedule_result
from planner.schedule.optimise import optimise
from planner.schedule.problem import build_problem, complete_units
from planner.schedule.search import search

__all__ = ["schedule_units"]


def schedule_units(
    units: pd.DataFrame,
    links: pd.DataFrame,
    priority: pd.Series,
    policy: Policy,
    *,
    risk: pd.Series | None = None,
    impossible: Iterable[str] = (),
    ties: pd.DataFrame | None = None,
) -> ScheduleResult:
    """Schedule planning units (see :func:`planner.ordering.planning_units`).

    ``priority`` and ``risk`` are indexed by unit; ``impossible`` names units in a cycle of
    explicit constraints; ``ties`` (absorber, absorbed) are decommissioned within the window
    after the absorber's go-live. Returns each unit's ``start_month`` and ``finish_month``
    (month indices, NaN when unscheduled), dates, wave, slack and critical flag; ``search``
    says how the schedule was chosen and what it scores.
    """
    units = complete_units(units, policy)
    problem = build_problem(
        units, links, priority, policy, risk=risk, impossible=impossible, ties=ties
    )
    sequence, info = search(problem, policy)
    floor = None
    weight = policy.schedule.makespan_weight
    if policy.schedule.method == "optimal":
        fast = problem.place(sequence)
        solved = optimise(problem, policy, hint=fast)
        fast_score = problem.objective(fast, weight)
        sequence, floor = solved.sequence, solved.starts
        info = {**info, **solved.info, "fast objective": fast_score["objective"]}
    placement = problem.place(sequence, floor=floor, trace=True)
    info = {"method": policy.schedule.method, **info, **problem.objective(placement, weight)}
    return schedule_result(problem, placement, units, sequence, info)
