"""The optimising scheduler: the same problem as the fast mode, solved by OR-Tools CP-SAT.

For portfolios up to a few hundred projects. Each project is an optional fixed-length
interval whose start is restricted to months after its contract and business case allow,
going live in an unfrozen month by any hard deadline; precedence holds between present
projects (a project is present only if what it waits on is); each team (with the safety
case's extra demand in its last months) and the project cap are cumulative constraints, as
are go-lives per month; each spacing group's go-lives keep their gap; when budgets bind,
each start is also a set of booleans so that capital and revenue in every financial year are
linear sums. The objective is the fast mode's, in integer form: unscheduled projects first,
then ``(1 - w) * risk-weighted mean go-live + w * programme length``. The fast schedule is
the solver's starting hint, so the result is never worse than the fast mode's when the time
limit is reached.

Two rules are left to the placement that follows: phasing a project over more months for
money, and decommissioning absorbed systems inside their window. The solver's months are
handed back as start floors to :meth:`Problem.place`, so the plan that comes out is checked
by exactly the same rules as every other plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from inventory.errors import SolverError
from planner.policy import Policy
from planner.schedule import kernels
from planner.schedule.kernels import PLACED
from planner.schedule.problem import Placement, Problem
from planner.schedule.search import priority_sequence

__all__ = ["Solved", "optimise"]

SCALE = 100_000  # objective units per month (fine enough for small risk weights)
DEMAND_SCALE = 100  # FTE to integer hundredths
MONEY_STEPS = 100_000  # the smallest budget is this many money units (spend rounds up)


@dataclass(frozen=True)
class Solved:
    """The solver's plan: a processing order, start floors and what the solver reported."""

    sequence: np.ndarray
    starts: np.ndarray
    info: dict


def _solver_module():
    try:
        from ortools.sat.python import cp_model
    except ImportError as error:  # pragma: no cover - ortools is in the test extra
        raise SolverError(
            "schedule.method 'optimal' needs OR-Tools",
            hint="pip install 'modernise[optimise]', or use schedule.method: fast",
        ) from error
    return cp_model


def optimise(problem: Problem, policy: Policy, *, hint: Placement | None = None) -> Solved:
    """Solve ``problem`` under the policy's objective within ``schedule.time_limit_seconds``."""
    cp_model = _solver_module()
    settings = policy.schedule
    weight = float(settings.makespan_weight)
    a = problem.arrays
    n, horizon = problem.count, problem.horizon
    lengths = a.lengths
    model = cp_model.CpModel()
    present, starts, intervals = [], [], []
    allowed_starts = [_allowed_starts(problem, i) for i in range(n)]
    for i, candidates in enumerate(allowed_starts):
        length = int(lengths[i])
        is_present = model.new_bool_var(f"present{i}")
        if not len(candidates):
            model.add(is_present == 0)
            domain = cp_model.Domain(0, 0)
        else:
            domain = cp_model.Domain.from_values(candidates.tolist())
        start = model.new_int_var_from_domain(domain, f"start{i}")
        present.append(is_present)
        starts.append(start)
        intervals.append(
            model.new_optional_fixed_size_interval_var(start, length, is_present, f"run{i}")
        )
    for i in range(n):
        for k in range(a.pred_indptr[i], a.pred_indptr[i + 1]):
            p = int(a.pred_indices[k])
            model.add_implication(present[i], present[p])
            model.add(starts[i] >= starts[p] + int(lengths[p])).only_enforce_if(present[i])
    _add_teams(model, problem, starts, present, intervals)
    if a.cap_running >= 0:
        model.add_cumulative(intervals, [1] * n, a.cap_running)
    _add_go_lives(model, problem, starts, present)
    choice = _add_budgets(model, problem, starts, present, allowed_starts)
    weights = problem.weights if problem.weights.sum() > 0 else np.ones(n)
    weights = weights / weights.sum()
    makespan = model.new_int_var(0, horizon, "programme")
    for i in range(n):
        model.add(makespan >= starts[i] + int(lengths[i])).only_enforce_if(present[i])
    # an unscheduled project counts as going live after the horizon, and outweighs any gain
    penalty = SCALE * 4 * (horizon + int(lengths.max(initial=1)))
    terms = []
    go_lives = []
    for i in range(n):
        coefficient = round(SCALE * (1 - weight) * weights[i])
        go_live = model.new_int_var(0, 2 * horizon + int(lengths[i]), f"live{i}")
        model.add(go_live == starts[i] + int(lengths[i])).only_enforce_if(present[i])
        model.add(go_live == horizon + int(lengths[i])).only_enforce_if(present[i].Not())
        go_lives.append(go_live)
        if coefficient:
            terms.append(coefficient * go_live)
        terms.append(penalty * (1 - present[i]))
    terms.append(round(SCALE * weight) * makespan)
    model.minimize(sum(terms))
    if hint is not None:
        hinted = np.where(hint.status == PLACED, hint.start_at, -1)
        model.add_hint(makespan, int((hinted + lengths)[hinted >= 0].max(initial=0)))
        for i in range(n):
            placed = hinted[i] >= 0
            model.add_hint(present[i], bool(placed))
            model.add_hint(
                go_lives[i], int(hinted[i] + lengths[i] if placed else horizon + lengths[i])
            )
            if placed:
                model.add_hint(starts[i], int(hinted[i]))
                for s, b in zip(allowed_starts[i], choice.get(i, ()), strict=False):
                    model.add_hint(b, bool(s == hinted[i]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(settings.time_limit_seconds)
    solver.parameters.num_workers = int(settings.workers)
    solver.parameters.random_seed = int(settings.seed)
    # No repair_hint: the hint is the fast plan, feasible in this model; and OR-Tools 9.15
    # aborts the whole process with repair_hint on two or more workers ("Check failed:
    # heuristics.fixed_search != nullptr", google/or-tools#5025, fixed after 9.15).
    began = time.perf_counter()
    status = solver.solve(model)
    seconds = time.perf_counter() - began
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if found:
        is_present = np.array([solver.value(p) for p in present], dtype=bool)
        start_values = np.array([solver.value(s) for s in starts], dtype=np.int64)
    elif hint is not None:  # no plan of its own in time: keep the fast one
        is_present, start_values = hint.status == PLACED, hint.start_at.astype(np.int64)
    else:
        raise SolverError(
            f"the optimiser found no plan in {seconds:.0f} s ({solver.status_name(status)})",
            hint="raise schedule.time_limit_seconds or use schedule.method: fast",
        )
    # the solver's months are floors; what it left out is tried again after everything else
    floors = np.where(is_present, start_values, -1)
    topological = priority_sequence(problem)
    rank = np.empty(n, dtype=np.int64)
    rank[topological] = np.arange(len(topological))
    # placed projects by the solver's start; the rest after them, prerequisites first
    sequence = np.lexsort((rank, np.where(is_present, start_values, horizon + rank)))
    objective = solver.objective_value / SCALE if found else float("nan")
    bound = solver.best_objective_bound / SCALE if found else float("nan")
    return Solved(
        sequence=sequence.astype(np.int64),
        starts=floors.astype(np.int64),
        info={
            "solver": solver.status_name(status).lower() if found else "no plan in time",
            "solver seconds": round(seconds, 2),
            "solver objective": round(objective, 3),
            "solver bound": round(bound, 3),
        },
    )


def _allowed_starts(problem: Problem, i: int) -> np.ndarray:
    """The months unit ``i`` may start in on its own: after its contract and approval allow,
    going live in an unfrozen month by its deadline, within the horizon (none when it is
    impossible or needs more of a team than the team has)."""
    a = problem.arrays
    length = int(a.lengths[i])
    lowest = max(0, int(a.contract_month[i]) - length + 1, int(a.approval_month[i]))
    highest = min(problem.horizon - length, int(a.deadline[i]) - length + 1)
    candidates = np.arange(lowest, highest + 1)
    candidates = candidates[~a.frozen[candidates + length - 1]]
    fits = (a.demands[i] + a.tail_demands[i] <= a.capacity + 1e-6).all()
    if a.impossible[i] or not fits:
        return candidates[:0]
    return candidates


def _add_teams(model, problem: Problem, starts, present, intervals) -> None:
    """Each team as a cumulative resource: every unit's steady demand over its run, and the
    safety case's extra demand over its last months."""
    a = problem.arrays
    tails = []
    for i in range(problem.count):
        months = int(a.tail_months[i])
        if months > 0 and a.tail_demands[i].any():
            begin = model.new_int_var(0, problem.horizon, f"tail{i}")
            model.add(begin == starts[i] + int(a.lengths[i]) - months)
            tails.append(
                (
                    i,
                    model.new_optional_fixed_size_interval_var(
                        begin, months, present[i], f"case{i}"
                    ),
                )
            )
    for team in range(len(problem.team_names)):
        demand = np.round(a.demands[:, team] * DEMAND_SCALE).astype(int)
        extra = np.round(a.tail_demands[:, team] * DEMAND_SCALE).astype(int)
        users = [(intervals[i], int(demand[i])) for i in np.flatnonzero(demand > 0)]
        users += [(interval, int(extra[i])) for i, interval in tails if extra[i] > 0]
        if users:
            model.add_cumulative(
                [u for u, _ in users],
                [d for _, d in users],
                int(np.floor(a.capacity[team] * DEMAND_SCALE + 1e-6)),
            )


def _add_go_lives(model, problem: Problem, starts, present) -> None:
    """At most ``golive_limit`` go-lives a month, and each spacing group's go-lives at least
    its gap apart (go-live windows of that many months that may not overlap)."""
    a = problem.arrays
    n = problem.count
    go_live = []
    for i in range(n):
        month = model.new_int_var(0, problem.horizon, f"golive{i}")
        model.add(month == starts[i] + int(a.lengths[i]) - 1)
        go_live.append(month)
    for organisation in np.unique(a.org).tolist() if a.golive_limit >= 0 else []:
        counted = np.flatnonzero(a.is_go_live & (a.org == organisation)).tolist()
        if counted:
            model.add_cumulative(
                [
                    model.new_optional_fixed_size_interval_var(go_live[i], 1, present[i], f"gl{i}")
                    for i in counted
                ],
                [1] * len(counted),
                a.golive_limit,
            )
    for group, gap in enumerate(a.group_gap.tolist()):
        members = [
            i
            for i in range(n)
            if group in a.group_indices[a.group_indptr[i] : a.group_indptr[i + 1]]
        ]
        if len(members) > 1 and gap > 0:
            model.add_no_overlap(
                [
                    model.new_optional_fixed_size_interval_var(
                        go_live[i], int(gap), present[i], f"gap{group}_{i}"
                    )
                    for i in members
                ]
            )


def _add_budgets(model, problem: Problem, starts, present, allowed_starts) -> dict[int, list]:
    """Capital and revenue per financial year as linear sums over each unit's start choice
    (a boolean per allowed start, its spend by year from its profile). Returns the choices."""
    a = problem.arrays
    choice: dict[int, list] = {}
    budgets = [("capital", a.capital_budget), ("revenue", a.revenue_budget)]
    finite = [b[np.isfinite(b) & (b > 0)] for _, b in budgets]
    limits = np.concatenate(finite)
    if not len(limits) or a.costs.sum() <= 0:
        return choice
    money_unit = limits.min() / MONEY_STEPS
    terms: dict[tuple[int, int], list] = {}
    for i in np.flatnonzero(a.costs > 0).tolist():
        options = allowed_starts[i]
        if not len(options):
            continue
        chosen = [model.new_bool_var(f"at{i}_{s}") for s in options]
        choice[i] = chosen
        model.add(sum(chosen) == present[i])
        model.add(
            starts[i] == sum(int(s) * b for s, b in zip(options, chosen, strict=True))
        ).only_enforce_if(present[i])
        needs = kernels.start_needs(a, i, int(a.lengths[i]))
        for kind, (need, (_, budget)) in enumerate(zip(needs, budgets, strict=True)):
            amounts = np.ceil(need[options] / money_unit - 1e-9).astype(np.int64)
            for year in np.flatnonzero(amounts.any(axis=0) & np.isfinite(budget)).tolist():
                terms.setdefault((kind, year), []).extend(
                    (int(x), b) for x, b in zip(amounts[:, year], chosen, strict=True) if x
                )
    for (kind, year), parts in terms.items():
        limit = int(np.floor(budgets[kind][1][year] / money_unit + 1e-9))
        model.add(sum(x * b for x, b in parts) <= limit)
    return choice
