"""The resource-constrained scheduler and the NHS calendar.

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

Resource and budget profiles are arrays per month; finding a unit's start is a next-fit
search over them (a capacity clash in month m rules out every start up to m, so the search
jumps past it), never a Python loop over months.

Examples
--------
>>> cal = Calendar(pd.Timestamp("2027-04-01"), 24)
>>> cal.fy_labels[:2], cal.month_start(12).date().isoformat()
(['2027/28', '2028/29'], '2028-04-01')
>>> cal.month_end(0).date().isoformat()
'2027-04-30'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inventory.graph import csr, dag_levels
from inventory.schema import enum_key
from planner.jit import njit
from planner.policy import Policy, financial_year

__all__ = ["Calendar", "ScheduleResult", "effective_priority", "schedule_units"]

EPS = 1e-6


@dataclass(frozen=True)
class Calendar:
    """Months from a start date: month 0 is the plan's first month."""

    start: pd.Timestamp
    months: int

    def month_start(self, index: int) -> pd.Timestamp:
        return self.start + pd.DateOffset(months=int(index))

    def month_end(self, index: int) -> pd.Timestamp:
        return self.month_start(index + 1) - pd.Timedelta(days=1)

    def months_after_start(self, dates: pd.Series) -> np.ndarray:
        """Each date's month counted from the plan's first (0), as floats; NaN where blank.

        >>> Calendar(pd.Timestamp("2027-04-01"), 24).months_after_start(
        ...     pd.Series(pd.to_datetime(["2027-04-30", "2028-01-15", None]))).tolist()
        [0.0, 9.0, nan]
        """
        when = pd.to_datetime(dates)
        months = (when.dt.year - self.start.year) * 12 + when.dt.month - self.start.month
        return months.to_numpy(dtype=float, na_value=np.nan)

    def index_of(self, date: pd.Timestamp) -> int:
        """Month index holding ``date`` (negative before the start)."""
        return (date.year - self.start.year) * 12 + (date.month - self.start.month)

    @functools.cached_property
    def month_starts(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=self.months, freq="MS")

    @functools.cached_property
    def month_ends(self) -> pd.DatetimeIndex:
        return self.month_starts + pd.offsets.MonthEnd(0)

    @functools.cached_property
    def month_of_year(self) -> np.ndarray:
        return self.month_starts.month.to_numpy()

    @functools.cached_property
    def _years(self) -> tuple[list[str], np.ndarray]:
        labels = [financial_year(d) for d in self.month_starts]
        ordered = list(dict.fromkeys(labels))
        lookup = {label: i for i, label in enumerate(ordered)}
        return ordered, np.array([lookup[label] for label in labels], dtype=np.int64)

    @property
    def fy_labels(self) -> list[str]:
        return list(self._years[0])

    @property
    def fy_index(self) -> np.ndarray:
        return self._years[1]


@dataclass(frozen=True)
class ScheduleResult:
    """Per-unit timing plus the monthly resource profiles it produced."""

    units: pd.DataFrame
    calendar: Calendar
    spend: np.ndarray  # per month, all units
    team_usage: pd.DataFrame  # month x team
    running: np.ndarray  # projects running per month
    unit_spend: pd.DataFrame  # unit x financial year
    warnings: list[dict]
    problem: Problem | None = None
    sequence: np.ndarray | None = None  # the processing order that produced it
    search: dict = field(default_factory=dict)  # how it was chosen, and its objective


def effective_priority(priority: pd.Series, links: pd.DataFrame) -> pd.Series:
    """Each unit's priority raised to the highest priority of anything that waits on it.

    >>> prio = pd.Series({"epr": 20.0, "pas": 90.0, "ed": 50.0})
    >>> links = pd.DataFrame({"before": ["epr", "epr"], "after": ["pas", "ed"]})
    >>> effective_priority(prio, links).to_dict()
    {'epr': 90.0, 'pas': 90.0, 'ed': 50.0}
    """
    effective = priority.astype(float).copy()
    if links.empty:
        return effective
    position = pd.Index(priority.index)
    before = position.get_indexer(links["before"])
    after = position.get_indexer(links["after"])
    keep = (before >= 0) & (after >= 0)
    before, after = before[keep], after[keep]
    n = len(position)
    indptr, indices = csr(before, after, n)
    level = dag_levels(indptr, indices, n)  # links are acyclic once cycles are broken
    values = effective.to_numpy(copy=True)
    order = np.argsort(level[before], kind="stable")
    before, after = before[order], after[order]
    edge_level = level[before]
    cuts = np.flatnonzero(np.r_[True, edge_level[1:] != edge_level[:-1], True])
    for k in range(len(cuts) - 2, -1, -1):  # deepest level first: successors are final
        lo, hi = cuts[k], cuts[k + 1]
        np.maximum.at(values, before[lo:hi], values[after[lo:hi]])
    return pd.Series(values, index=priority.index)


@dataclass(frozen=True)
class Problem:
    """A scheduling problem as arrays over units ``0..n-1`` (``names[i]`` is unit i).

    Built once by :func:`build_problem`; the fast search, the optimiser and the Monte Carlo
    forecast all place units through :meth:`place`, so every one of them keeps the same
    rules (teams, project cap, budgets per financial year, freezes, contracts, precedence).
    """

    names: list[str]
    calendar: Calendar
    team_names: list[str]
    fy_labels: list[str]
    lengths: np.ndarray  # whole months
    costs: np.ndarray  # total cost, spread evenly over the months
    contract_month: np.ndarray  # go-live no earlier than this month
    deadline_month: np.ndarray  # end of support as a month index (large when none)
    demands: np.ndarray  # unit x team, FTE a month
    capacity: np.ndarray  # per team
    cap_running: int  # -1 for no cap
    budget: np.ndarray  # per financial year
    fy_cumulative: np.ndarray  # (months + 1) x years: months of each year before month t
    frozen: np.ndarray  # no go-live in these months
    pred_indptr: np.ndarray
    pred_indices: np.ndarray
    succ_indptr: np.ndarray
    succ_indices: np.ndarray
    impossible: np.ndarray  # units in a cycle of explicit constraints
    position: np.ndarray  # rank in the priority order (0 first)
    weights: np.ndarray  # risk of each unit, for the objective
    not_before: pd.Series
    unknown_teams: frozenset[str]

    @property
    def count(self) -> int:
        return len(self.names)

    @property
    def horizon(self) -> int:
        return self.calendar.months

    def place(
        self,
        sequence: np.ndarray,
        *,
        lengths: np.ndarray | None = None,
        costs: np.ndarray | None = None,
        floor: np.ndarray | None = None,
        budget: np.ndarray | None = None,
    ) -> Placement:
        """Place units in ``sequence`` order, each at its earliest feasible month (and not
        before ``floor``); other durations, costs or budgets may be given (Monte Carlo)."""
        lengths = self.lengths if lengths is None else lengths
        costs = self.costs if costs is None else costs
        floor = np.full(self.count, -1, dtype=np.int64) if floor is None else floor
        budget = self.budget if budget is None else budget
        horizon = self.horizon
        usage = np.zeros((len(self.team_names), horizon))
        running = np.zeros(horizon, dtype=np.int64)
        spent = np.zeros(len(self.fy_labels))
        spend = np.zeros(horizon)
        start_at, status, root, earliest_at, earliest_from = _place(
            sequence,
            lengths,
            costs / lengths,
            self.contract_month,
            floor,
            self.demands,
            self.capacity,
            usage,
            running,
            self.cap_running,
            spent,
            budget,
            self.fy_cumulative,
            self.frozen,
            spend,
            self.pred_indptr,
            self.pred_indices,
            self.impossible,
        )
        return Placement(
            start_at, status, root, earliest_at, earliest_from, usage, running, spend, lengths
        )

    def objective(self, placement: Placement, makespan_weight: float) -> dict[str, float]:
        """What the schedule is judged on: unscheduled units first, then
        ``(1 - w) * risk-weighted mean go-live + w * programme length`` (both in months)."""
        done = placement.status == PLACED
        go_live = np.where(
            done, placement.start_at + placement.lengths, self.horizon + placement.lengths
        )
        weights = self.weights if self.weights.sum() > 0 else np.ones(self.count)
        mean = float(weights @ go_live / weights.sum()) if self.count else 0.0
        makespan = float(go_live[done].max()) if done.any() else 0.0
        return {
            "unscheduled": int((~done).sum()),
            "risk-weighted mean go-live (months)": mean,
            "programme (months)": makespan,
            "risk exposure (risk-months)": float(self.weights @ go_live),
            "objective": (1 - makespan_weight) * mean + makespan_weight * makespan,
        }


@dataclass(frozen=True)
class Placement:
    """Where :meth:`Problem.place` put each unit, and the profiles it left."""

    start_at: np.ndarray  # month, -1 when not placed
    status: np.ndarray
    root: np.ndarray
    earliest_at: np.ndarray
    earliest_from: np.ndarray
    usage: np.ndarray
    running: np.ndarray
    spend: np.ndarray
    lengths: np.ndarray


def build_problem(
    units: pd.DataFrame,
    links: pd.DataFrame,
    priority: pd.Series,
    policy: Policy,
    *,
    risk: pd.Series | None = None,
) -> Problem:
    """The arrays for scheduling ``units`` under ``policy`` (see :class:`Problem`)."""
    calendar = Calendar(policy.plan_start, policy.horizon_months)
    horizon = calendar.months
    teams = {enum_key(t): float(c) for t, c in policy.teams.items()}
    team_names = list(teams)
    cap_running = policy.schedule.get("max_concurrent_projects")
    fy_labels = calendar.fy_labels
    month_fy = np.zeros((horizon, len(fy_labels)))
    month_fy[np.arange(horizon), calendar.fy_index] = 1.0
    impossible = set(links.attrs.get("impossible", ()))
    names = list(units.index)
    count = len(names)
    position_of = pd.Index(names)
    before = position_of.get_indexer(links["before"])
    after = position_of.get_indexer(links["after"])
    in_cycle = links["before"].isin(impossible) & links["after"].isin(impossible)
    keep = (before >= 0) & (after >= 0) & ~in_cycle.to_numpy()
    # the cycle's own links are dropped: its units fail at once and release what waits on them
    before, after = before[keep].astype(np.int64), after[keep].astype(np.int64)
    pred_indptr, pred_indices = csr(after, before, count)
    succ_indptr, succ_indices = csr(before, after, count)
    own = priority.reindex(units.index).fillna(0.0)
    effective = effective_priority(own, links[~in_cycle])
    order = np.lexsort(
        (
            np.asarray(names, dtype=str),
            -own.to_numpy(dtype=float).round(9),
            -effective.to_numpy(dtype=float).round(9),
        )
    )
    position = np.empty(count, dtype=np.int64)
    position[order] = np.arange(count)
    demands = np.zeros((count, len(team_names)))
    column_of = {team: j for j, team in enumerate(team_names)}
    unknown_teams: set[str] = set()
    for i, demand in enumerate(units["team_demand"]):
        for team, amount in demand.items():
            j = column_of.get(team)
            if j is None:
                key = enum_key(team)
                j = column_of.get(key)
                if j is None:
                    if amount > 0:
                        unknown_teams.add(key)
                    continue
            demands[i, j] += amount
    impossible_mask = np.zeros(count, dtype=np.bool_)
    impossible_mask[position_of.get_indexer(sorted(impossible))] = True
    weights = (
        risk.reindex(units.index).fillna(0.0).to_numpy(dtype=float)
        if risk is not None
        else np.zeros(count)
    )
    return Problem(
        names=names,
        calendar=calendar,
        team_names=team_names,
        fy_labels=fy_labels,
        lengths=units["months"].to_numpy(dtype=np.int64),
        costs=units["cost_gbp"].to_numpy(dtype=float),
        contract_month=_month_index(units["not_before"], calendar, -(10**9)),
        deadline_month=_month_index(units["deadline"], calendar, 10**9),
        demands=demands,
        capacity=np.array([teams[t] for t in team_names], dtype=float),
        cap_running=-1 if cap_running is None else int(cap_running),
        budget=np.array([policy.budget_for(label) for label in fy_labels]),
        fy_cumulative=np.vstack([np.zeros(len(fy_labels)), np.cumsum(month_fy, axis=0)]),
        frozen=np.isin(calendar.month_of_year, list(policy.freeze_months)),
        pred_indptr=pred_indptr,
        pred_indices=pred_indices,
        succ_indptr=succ_indptr,
        succ_indices=succ_indices,
        impossible=impossible_mask,
        position=position,
        weights=weights,
        not_before=units["not_before"],
        unknown_teams=frozenset(unknown_teams),
    )


def _month_index(dates: pd.Series, calendar: Calendar, missing: int) -> np.ndarray:
    months = calendar.months_after_start(dates)
    return np.where(np.isnan(months), missing, months).astype(np.int64)


def priority_sequence(problem: Problem) -> np.ndarray:
    """The single-pass processing order: highest priority first among the units whose
    prerequisites are placed."""
    return _processing_order(
        problem.position,
        np.diff(problem.pred_indptr).astype(np.int64),
        problem.succ_indptr,
        problem.succ_indices,
    )


def latest_finish(problem: Problem) -> np.ndarray:
    """Each unit's latest finish month ignoring resources: the end of support (if any), and
    early enough for everything that waits on it (a backward critical-path pass)."""
    total = int(problem.lengths.sum()) + problem.horizon
    latest = np.minimum(problem.deadline_month, total).astype(np.int64)
    for i in priority_sequence(problem)[::-1]:
        lo, hi = problem.succ_indptr[i], problem.succ_indptr[i + 1]
        for j in problem.succ_indices[lo:hi]:
            latest[i] = min(latest[i], latest[j] - problem.lengths[j])
    return latest


def search(problem: Problem, policy: Policy) -> tuple[np.ndarray, dict]:
    """The fast mode: try ``schedule.passes`` priority lists and keep the best schedule.

    Pass 1 is the risk priority order; pass 2 the latest-finish order (end-of-support and
    critical-path deadlines first); the rest are regret-biased random samples of the two
    (Drexl 1991; Kolisch 1996), seeded. Each is placed by the same serial scheme, so every
    constraint holds in every pass; the best by :meth:`Problem.objective` wins (ties go to
    the earlier pass). Above ``schedule.search_up_to`` units one pass is made.
    """
    settings = policy.schedule
    weight = float(settings["makespan_weight"])
    passes = int(settings["passes"]) if problem.count <= settings["search_up_to"] else 1
    first = priority_sequence(problem)
    if passes <= 1 or problem.count < 2:
        return first, {"passes": 1, "chosen pass": 1, "chosen rule": "priority"}
    latest = latest_finish(problem)
    lft_position = np.empty(problem.count, dtype=np.int64)
    lft_position[np.lexsort((problem.position, latest))] = np.arange(problem.count)
    best, chosen = _search(
        passes,
        int(settings["seed"]),
        weight,
        problem.position,
        lft_position,
        problem.weights,
        problem.lengths,
        problem.costs / problem.lengths,
        problem.contract_month,
        problem.demands,
        problem.capacity,
        problem.cap_running,
        problem.budget,
        problem.fy_cumulative,
        problem.frozen,
        problem.pred_indptr,
        problem.pred_indices,
        problem.succ_indptr,
        problem.succ_indices,
        problem.impossible,
    )
    rule = (
        "priority"
        if chosen == 0
        else "latest finish"
        if chosen == 1
        else f"sampled ({'priority' if chosen % 2 == 0 else 'latest finish'})"
    )
    return best, {"passes": passes, "chosen pass": int(chosen) + 1, "chosen rule": rule}


def schedule_units(
    units: pd.DataFrame,
    links: pd.DataFrame,
    priority: pd.Series,
    policy: Policy,
    *,
    risk: pd.Series | None = None,
) -> ScheduleResult:
    """Schedule planning units (see :func:`planner.ordering.planning_units`).

    ``priority`` and ``risk`` are indexed by unit. Returns each unit's ``start_month`` and
    ``finish_month`` (month indices, NaN when unscheduled), dates, wave, slack and critical
    flag; ``search`` says how the schedule was chosen and what it scores.
    """
    problem = build_problem(units, links, priority, policy, risk=risk)
    sequence, info = search(problem, policy)
    floor = None
    weight = float(policy.schedule["makespan_weight"])
    if policy.schedule["method"] == "optimal":
        from planner.optimise import optimise

        fast = problem.place(sequence)
        solved = optimise(problem, policy, hint=fast)
        fast_score = problem.objective(fast, weight)
        sequence, floor = solved.sequence, solved.starts
        info = {**info, **solved.info, "fast objective": fast_score["objective"]}
    placement = problem.place(sequence, floor=floor)
    info = {"method": policy.schedule["method"], **info, **problem.objective(placement, weight)}
    return _result(problem, placement, units, sequence, info)


def _result(
    problem: Problem, placement: Placement, units: pd.DataFrame, sequence: np.ndarray, info: dict
) -> ScheduleResult:
    names, calendar = problem.names, problem.calendar
    status, root = placement.status, placement.root
    failed: dict[int, str] = {}
    root_cause: dict[int, int] = {}
    reasons = _earliest_reasons(problem, placement)
    for i in np.flatnonzero(status != PLACED):
        if status[i] == IMPOSSIBLE:
            failed[i] = "impossible constraint (see the cycle warning)"
        elif status[i] == WAITS:
            root_cause[i] = int(root[i])
            failed[i] = f"waits for {names[root[i]]}, which is not scheduled"
        elif status[i] == NO_ROOM:
            earliest = int(placement.earliest_at[i])
            failed[i] = _why_not(
                int(problem.lengths[i]),
                problem.demands[i],
                problem.costs[i] / problem.lengths[i],
                problem.capacity,
                problem.budget,
                problem.fy_cumulative,
                problem.frozen,
                problem.team_names,
                problem.fy_labels,
                problem.horizon,
                earliest,
            )
            if earliest > 0:
                failed[i] += (
                    f" (it cannot start before {calendar.month_start(earliest):%b %Y}, "
                    f"{reasons[i]})"
                )
    start_at = placement.start_at
    failed_names = {names[i]: reason for i, reason in failed.items()}
    root_names = {names[i]: names[r] for i, r in root_cause.items()}
    for i in np.flatnonzero(start_at < 0):  # a safety net: nothing is left without a reason
        if names[i] not in failed_names:
            failed_names[names[i]] = "never reached: it waits in a cycle of constraints"
    warnings: list[dict] = []
    for team in sorted(problem.unknown_teams):
        warnings.append(
            {
                "kind": "capacity",
                "system": None,
                "message": f"team '{team}' has no capacity in the policy; its demand was not "
                "limited (add it under schedule.teams)",
            }
        )
    frame = _unit_frame(units, problem, start_at, failed_names, root_names, warnings)
    placed = placement.start_at >= 0
    earliest = calendar.month_starts[np.where(placed, placement.earliest_at, 0)]
    frame["earliest_start"] = pd.Series(earliest, index=frame.index).where(placed)
    frame["earliest_because"] = np.where(placed, reasons, None)
    team_usage = pd.DataFrame(
        placement.usage.T, index=calendar.month_starts, columns=problem.team_names
    )
    unit_spend = _unit_spend(frame, calendar, problem.fy_labels)
    return ScheduleResult(
        frame,
        calendar,
        placement.spend,
        team_usage,
        placement.running,
        unit_spend,
        warnings,
        problem=problem,
        sequence=sequence,
        search=info,
    )


PLACED, NO_ROOM, WAITS, IMPOSSIBLE, UNREACHED = 1, 2, 3, 4, 0


@njit(cache=True)
def _heap_push(heap, size, value):  # pragma: no cover - jit
    """Add ``value`` to the binary min-heap ``heap[:size]``; returns the new size."""
    heap[size] = value
    child = size
    while child > 0:
        parent = (child - 1) // 2
        if heap[parent] <= heap[child]:
            break
        heap[parent], heap[child] = heap[child], heap[parent]
        child = parent
    return size + 1


@njit(cache=True)
def _heap_pop(heap, size):  # pragma: no cover - jit
    """Remove the smallest value of ``heap[:size]``; returns it (the new size is size - 1)."""
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    parent = 0
    while True:
        left = 2 * parent + 1
        if left >= size:
            break
        smallest = left
        if left + 1 < size and heap[left + 1] < heap[left]:
            smallest = left + 1
        if heap[parent] <= heap[smallest]:
            break
        heap[parent], heap[smallest] = heap[smallest], heap[parent]
        parent = smallest
    return top


@njit(cache=True)
def _processing_order(position, waiting, succ_indptr, succ_indices):  # pragma: no cover - jit
    """The order of the serial scheme: always the highest-priority unit whose prerequisites
    have all been processed (a binary heap keyed on priority position)."""
    n = len(position)
    unit_at = np.empty(n, dtype=np.int64)
    for i in range(n):
        unit_at[position[i]] = i
    heap = np.empty(n, dtype=np.int64)
    size = 0
    for i in range(n):
        if waiting[i] == 0:
            size = _heap_push(heap, size, position[i])
    sequence = np.empty(n, dtype=np.int64)
    done = 0
    while size > 0:
        unit = unit_at[_heap_pop(heap, size)]
        size -= 1
        sequence[done] = unit
        done += 1
        for k in range(succ_indptr[unit], succ_indptr[unit + 1]):
            nxt = succ_indices[k]
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                size = _heap_push(heap, size, position[nxt])
    return sequence[:done]


@njit(cache=True)
def _place(
    sequence,
    lengths,
    per_month,
    contract_month,
    floor,
    demands,
    capacity,
    usage,
    running,
    cap_running,
    spent,
    budget,
    fy_cumulative,
    frozen,
    spend,
    pred_indptr,
    pred_indices,
    impossible,
):  # pragma: no cover - jit
    """Give each unit, in processing order, its earliest feasible start (next-fit search).

    A month in the window where a team (or the project cap) would be over capacity rules out
    every start up to and including that month, so the search jumps past it; a budget or
    freeze clash moves it on by one month. Profiles are updated in place.
    """
    n = len(lengths)
    teams, horizon = usage.shape
    years = budget.shape[0]
    start_at = np.full(n, -1, dtype=np.int64)
    status = np.zeros(n, dtype=np.int64)
    root = np.full(n, -1, dtype=np.int64)
    earliest_at = np.zeros(n, dtype=np.int64)
    earliest_from = np.full(n, -1, dtype=np.int64)
    for i in sequence:
        if impossible[i]:
            status[i] = 4
            root[i] = i
            continue
        blocked = -1
        earliest = 0
        source = -1
        for k in range(pred_indptr[i], pred_indptr[i + 1]):
            p = pred_indices[k]
            if status[p] != 1:
                blocked = p
                break
            ready = start_at[p] + lengths[p]
            if ready > earliest:
                earliest = ready
                source = p
        if blocked >= 0:
            status[i] = 3
            root[i] = root[blocked] if root[blocked] >= 0 else blocked
            continue
        length = lengths[i]
        contract_start = contract_month[i] - length + 1
        if contract_start > earliest:
            earliest = contract_start
            source = -2
        if floor[i] > earliest:
            earliest = floor[i]
            source = -3
        earliest_at[i] = earliest
        earliest_from[i] = source
        cost = per_month[i]
        t = earliest
        found = -1
        while t + length <= horizon:
            end = t + length
            if frozen[end - 1]:
                t += 1
                continue
            clash = -1
            for team in range(teams):
                need = demands[i, team]
                if need > 0.0:
                    limit = capacity[team] - need + 1e-6
                    for month in range(end - 1, t - 1, -1):
                        if usage[team, month] > limit:
                            if month > clash:
                                clash = month
                            break
            if cap_running >= 0:
                for month in range(end - 1, t - 1, -1):
                    if running[month] >= cap_running:
                        if month > clash:
                            clash = month
                        break
            if clash >= 0:
                t = clash + 1
                continue
            over = False
            if cost > 0.0:
                for year in range(years):
                    extra = cost * (fy_cumulative[end, year] - fy_cumulative[t, year])
                    if spent[year] + extra > budget[year] + 1e-6:
                        over = True
                        break
            if over:
                t += 1
                continue
            found = t
            break
        if found < 0:
            status[i] = 2
            root[i] = i
            continue
        start_at[i] = found
        status[i] = 1
        end = found + length
        for team in range(teams):
            need = demands[i, team]
            if need > 0.0:
                for month in range(found, end):
                    usage[team, month] += need
        for month in range(found, end):
            running[month] += 1
            spend[month] += cost
        for year in range(years):
            spent[year] += cost * (fy_cumulative[end, year] - fy_cumulative[found, year])
    return start_at, status, root, earliest_at, earliest_from


@njit(cache=True)
def _sampled_order(key, waiting, succ_indptr, succ_indices):  # pragma: no cover - jit
    """A processing order drawn by regret-biased random sampling: among the units whose
    prerequisites are processed, pick one with probability proportional to
    ``max(key) - key + 1`` (smaller key = more urgent)."""
    n = len(key)
    eligible = np.empty(n, dtype=np.int64)
    size = 0
    for i in range(n):
        if waiting[i] == 0:
            eligible[size] = i
            size += 1
    sequence = np.empty(n, dtype=np.int64)
    done = 0
    while size > 0:
        top = key[eligible[0]]
        for e in range(1, size):
            if key[eligible[e]] > top:
                top = key[eligible[e]]
        total = 0.0
        for e in range(size):
            total += top - key[eligible[e]] + 1.0
        r = np.random.random() * total
        pick = size - 1
        for e in range(size):
            r -= top - key[eligible[e]] + 1.0
            if r < 0.0:
                pick = e
                break
        unit = eligible[pick]
        size -= 1
        eligible[pick] = eligible[size]
        sequence[done] = unit
        done += 1
        for k in range(succ_indptr[unit], succ_indptr[unit + 1]):
            nxt = succ_indices[k]
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                eligible[size] = nxt
                size += 1
    return sequence[:done]


@njit(cache=True)
def _search(
    passes,
    seed,
    makespan_weight,
    position,
    lft_position,
    weights,
    lengths,
    per_month,
    contract_month,
    demands,
    capacity,
    cap_running,
    budget,
    fy_cumulative,
    frozen,
    pred_indptr,
    pred_indices,
    succ_indptr,
    succ_indices,
    impossible,
):  # pragma: no cover - jit
    """Place ``passes`` processing orders and return the best one and its pass number."""
    np.random.seed(seed)
    n = len(lengths)
    teams = demands.shape[1]
    horizon = len(frozen)
    years = len(budget)
    waiting = np.zeros(n, dtype=np.int64)
    for i in range(n):
        waiting[i] = pred_indptr[i + 1] - pred_indptr[i]
    floor = np.full(n, -1, dtype=np.int64)
    total_weight = 0.0
    for i in range(n):
        total_weight += weights[i]
    best = np.empty(0, dtype=np.int64)
    best_pass = -1
    best_missing = n + 1
    best_value = np.inf
    for p in range(passes):
        if p == 0:
            sequence = _processing_order(position, waiting.copy(), succ_indptr, succ_indices)
        elif p == 1:
            sequence = _processing_order(lft_position, waiting.copy(), succ_indptr, succ_indices)
        elif p % 2 == 0:
            sequence = _sampled_order(position, waiting.copy(), succ_indptr, succ_indices)
        else:
            sequence = _sampled_order(lft_position, waiting.copy(), succ_indptr, succ_indices)
        start_at, status, _, _, _ = _place(
            sequence,
            lengths,
            per_month,
            contract_month,
            floor,
            demands,
            capacity,
            np.zeros((teams, horizon)),
            np.zeros(horizon, dtype=np.int64),
            cap_running,
            np.zeros(years),
            budget,
            fy_cumulative,
            frozen,
            np.zeros(horizon),
            pred_indptr,
            pred_indices,
            impossible,
        )
        missing = 0
        weighted = 0.0
        plain = 0.0
        makespan = 0
        for i in range(n):
            if status[i] == 1:
                go_live = start_at[i] + lengths[i]
                if go_live > makespan:
                    makespan = go_live
            else:
                missing += 1
                go_live = horizon + lengths[i]
            weighted += weights[i] * go_live
            plain += go_live
        mean = weighted / total_weight if total_weight > 0 else plain / max(n, 1)
        value = (1.0 - makespan_weight) * mean + makespan_weight * makespan
        if missing < best_missing or (missing == best_missing and value < best_value - 1e-9):
            best, best_pass, best_missing, best_value = sequence, p, missing, value
    return best, best_pass


def _why_not(
    length,
    demand,
    per_month,
    capacity,
    budget,
    fy_cumulative,
    frozen,
    team_names,
    fy_labels,
    horizon,
    earliest,
) -> str:
    """The constraint that stops a unit from being scheduled, in words."""
    if length > horizon - earliest:
        return f"needs {length} months but only {max(0, horizon - earliest)} remain in the horizon"
    for i in np.flatnonzero(demand > capacity + EPS):
        return (
            f"needs {demand[i]:g} FTE of {team_names[i]} a month but the team has {capacity[i]:g}"
        )
    if per_month > 0:
        overlap = fy_cumulative[length:] - fy_cumulative[:-length]
        alone = (per_month * overlap <= budget + EPS).all(axis=1)
        if not alone[earliest:].any():
            # even the best-timed start overspends some year: report that start's worst year
            need = per_month * overlap[earliest:]
            excess = need - budget
            best = int(np.argmin(excess.max(axis=1)))
            year = int(np.argmax(excess[best]))
            return (
                f"budget too small: even at its best timing it needs £{need[best, year]:,.0f} "
                f"in {fy_labels[year]} alone and the budget is £{budget[year]:,.0f}"
            )
    if frozen.all():
        return "every month is a change-freeze month"
    return (
        "no start before the horizon fits the budget and team capacity left by "
        "higher-priority projects"
    )


def _earliest_reasons(problem: Problem, placement: Placement) -> np.ndarray:
    """What sets each unit's earliest start: a prerequisite's go-live, its contract, the
    optimiser, or the plan start (one text per unit, vectorised)."""
    names = np.asarray(problem.names, dtype=object)
    source = placement.earliest_from
    reason = np.full(len(names), "from the plan start", dtype=object)
    waits = source >= 0
    reason[waits] = "when " + names[source[waits]] + " goes live"
    contract = source == -2
    ends = problem.not_before.dt.strftime("%b %Y").to_numpy(dtype=object)
    reason[contract] = "so as not to go live before its contract ends (" + ends[contract] + ")"
    reason[source == -3] = "where the optimiser placed it"
    return reason


def _unit_frame(units, problem, start_at, failed, root_cause, warnings) -> pd.DataFrame:
    """The per-unit table: dates, wave, lateness, slack and critical path (units are in the
    problem's order, so ``start_at`` lines up with them)."""
    calendar = problem.calendar
    frame = units.copy()
    frame["start_month"] = np.where(start_at >= 0, start_at, np.nan)
    frame["finish_month"] = frame["start_month"] + frame["months"] - 1
    frame["scheduled"] = frame["start_month"].notna()
    done = frame["scheduled"].to_numpy()
    starts = frame["start_month"].fillna(0).to_numpy(dtype=np.int64)
    finishes = frame["finish_month"].fillna(0).to_numpy(dtype=np.int64)
    frame["start"] = pd.Series(calendar.month_starts[starts], index=frame.index).where(done)
    frame["go_live"] = pd.Series(calendar.month_ends[finishes], index=frame.index).where(done)
    frame["start"] = frame["start"].astype("datetime64[ns]")
    frame["go_live"] = frame["go_live"].astype("datetime64[ns]")
    fy_index = calendar.fy_index
    first_fy = fy_index[0] if calendar.months else 0
    frame["wave"] = pd.array(np.where(done, fy_index[starts] - first_fy + 1, 0), dtype="Int64")
    frame.loc[~done, "wave"] = pd.NA
    deadline_month = calendar.months_after_start(frame["deadline"])
    frame["months_late"] = (frame["finish_month"] - deadline_month).clip(lower=0)
    frame["not_scheduled_because"] = pd.Series(failed, dtype="object").reindex(frame.index)
    # slack: months a unit could slip before delaying a successor or the programme's end
    finish = frame["finish_month"].to_numpy(dtype=float)
    latest = np.full(len(frame), np.nanmax(finish) if done.any() else np.nan)
    source = np.repeat(np.arange(len(frame)), np.diff(problem.succ_indptr))
    target = problem.succ_indices
    placed = start_at[target] >= 0
    np.minimum.at(latest, source[placed], start_at[target[placed]] - 1.0)
    frame["slack_months"] = np.where(done, latest - finish, np.nan)
    frame["critical"] = frame["slack_months"] == 0
    waiting: dict[str, list[str]] = {}
    for unit, root in root_cause.items():
        waiting.setdefault(root, []).append(unit)
    for unit, reason in failed.items():
        if unit in root_cause:
            continue
        followers = sorted(waiting.get(unit, []))
        also = ""
        if followers:
            shown = ", ".join(followers[:10]) + (" ..." if len(followers) > 10 else "")
            also = f"; {len(followers)} more wait for it and are not scheduled either: {shown}"
        kind = (
            "budget"
            if reason.startswith("budget")
            else ("capacity" if "FTE" in reason else "unscheduled")
        )
        warnings.append(
            {"kind": kind, "system": unit, "message": f"{unit} is not scheduled: {reason}{also}"}
        )
    late = frame[frame["months_late"] > 0]
    for unit, row in late.iterrows():
        warnings.append(
            {
                "kind": "deadline",
                "system": unit,
                "message": f"{unit} goes live {row['go_live']:%b %Y}, {int(row['months_late'])} "
                f"months after its end of support ({row['deadline']:%d %b %Y})",
                "months": int(row["months_late"]),
            }
        )
    return frame


def _unit_spend(frame: pd.DataFrame, calendar: Calendar, fy_labels: list[str]) -> pd.DataFrame:
    """Spend of each unit in each financial year (vectorised: cumulative months per year)."""
    months_in_year = np.zeros((calendar.months + 1, len(fy_labels)))
    months_in_year[1:] = np.cumsum(np.eye(len(fy_labels))[calendar.fy_index], axis=0)
    done = frame["scheduled"].to_numpy()
    starts = frame["start_month"].fillna(0).to_numpy(dtype=np.int64)
    lengths = frame["months"].to_numpy(dtype=np.int64)
    ends = np.minimum(starts + lengths, calendar.months)
    per_month = frame["cost_gbp"].to_numpy(dtype=float) / lengths
    overlap = months_in_year[ends] - months_in_year[starts]
    table = overlap * (per_month * done)[:, None]
    return pd.DataFrame(table, index=frame.index, columns=fy_labels)
