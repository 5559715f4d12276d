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
from dataclasses import dataclass

import numpy as np
import pandas as pd

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
    from planner.impact import _csr, _levels

    position = pd.Index(priority.index)
    before = position.get_indexer(links["before"])
    after = position.get_indexer(links["after"])
    keep = (before >= 0) & (after >= 0)
    before, after = before[keep], after[keep]
    n = len(position)
    indptr, indices = _csr(before, after, n)
    level = _levels(indptr, indices, n)  # links are acyclic once cycles are broken
    values = effective.to_numpy(copy=True)
    order = np.argsort(level[before], kind="stable")
    before, after = before[order], after[order]
    edge_level = level[before]
    cuts = np.flatnonzero(np.r_[True, edge_level[1:] != edge_level[:-1], True])
    for k in range(len(cuts) - 2, -1, -1):  # deepest level first: successors are final
        lo, hi = cuts[k], cuts[k + 1]
        np.maximum.at(values, before[lo:hi], values[after[lo:hi]])
    return pd.Series(values, index=priority.index)


def schedule_units(
    units: pd.DataFrame,
    links: pd.DataFrame,
    priority: pd.Series,
    policy: Policy,
) -> ScheduleResult:
    """Schedule planning units (see :func:`planner.ordering.planning_units`).

    ``priority`` is indexed by unit. Returns each unit's ``start_month`` and ``finish_month``
    (month indices, NaN when unscheduled), dates, wave, slack and critical flag.
    """
    calendar = Calendar(policy.plan_start, policy.horizon_months)
    horizon = calendar.months
    teams = {enum_key(t): float(c) for t, c in policy.teams.items()}
    team_names = list(teams)
    capacity = np.array([teams[t] for t in team_names], dtype=float)
    usage = np.zeros((len(team_names), horizon))
    running = np.zeros(horizon, dtype=np.int64)
    cap_running = policy.schedule.get("max_concurrent_projects")
    fy_index = calendar.fy_index
    fy_labels = calendar.fy_labels
    budget = np.array([policy.budget_for(label) for label in fy_labels])
    spent = np.zeros(len(fy_labels))
    month_fy = np.zeros((horizon, len(fy_labels)))
    month_fy[np.arange(horizon), fy_index] = 1.0
    fy_cumulative = np.vstack([np.zeros(len(fy_labels)), np.cumsum(month_fy, axis=0)])
    frozen = np.isin(calendar.month_of_year, list(policy.freeze_months))
    spend = np.zeros(horizon)
    warnings: list[dict] = []
    unknown_teams: set[str] = set()

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
    pred_indptr, pred_indices = _adjacency(after, before, count)
    succ_indptr, succ_indices = _adjacency(before, after, count)
    own = priority.reindex(units.index).fillna(0.0)
    acyclic = links[~in_cycle]
    effective = effective_priority(own, acyclic)
    order = np.lexsort(
        (
            np.asarray(names, dtype=str),
            -own.to_numpy(dtype=float).round(9),
            -effective.to_numpy(dtype=float).round(9),
        )
    )
    position = np.empty(count, dtype=np.int64)
    position[order] = np.arange(count)
    lengths = units["months"].to_numpy(dtype=np.int64)
    per_month_cost = units["cost_gbp"].to_numpy(dtype=float) / lengths
    not_before = units["not_before"]
    contract = pd.to_datetime(not_before)
    contract_month = (
        ((contract.dt.year - calendar.start.year) * 12 + contract.dt.month - calendar.start.month)
        .fillna(-(10**9))
        .to_numpy(dtype=np.int64)
    )
    demands = np.zeros((count, len(team_names)))
    column_of = {team: j for j, team in enumerate(team_names)}
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
    sequence = _processing_order(
        position, np.diff(pred_indptr).astype(np.int64), succ_indptr, succ_indices
    )
    start_at, status, root, earliest_at, earliest_from = _place(
        sequence,
        lengths,
        per_month_cost,
        contract_month,
        demands,
        capacity,
        usage,
        running,
        -1 if cap_running is None else int(cap_running),
        spent,
        budget,
        fy_cumulative,
        frozen,
        spend,
        pred_indptr,
        pred_indices,
        impossible_mask,
    )
    failed: dict[int, str] = {}
    root_cause: dict[int, int] = {}
    for i in np.flatnonzero(status != PLACED):
        if status[i] == IMPOSSIBLE:
            failed[i] = "impossible constraint (see the cycle warning)"
        elif status[i] == WAITS:
            root_cause[i] = int(root[i])
            failed[i] = f"waits for {names[root[i]]}, which is not scheduled"
        elif status[i] == NO_ROOM:
            earliest = int(earliest_at[i])
            failed[i] = _why_not(
                int(lengths[i]),
                demands[i],
                per_month_cost[i],
                capacity,
                budget,
                fy_cumulative,
                frozen,
                team_names,
                fy_labels,
                horizon,
                earliest,
            )
            if earliest > 0:
                source = int(earliest_from[i])
                because = (
                    f"after {names[source]} goes live"
                    if source >= 0
                    else "so as not to go live before its contract ends "
                    f"({not_before.iat[i]:%b %Y})"
                )
                failed[i] += (
                    f" (it cannot start before {calendar.month_start(earliest):%b %Y}, {because})"
                )
    successors = [succ_indices[succ_indptr[i] : succ_indptr[i + 1]] for i in range(count)]
    start_month = {names[i]: int(start_at[i]) for i in range(count) if start_at[i] >= 0}
    failed_names = {names[i]: reason for i, reason in failed.items()}
    root_names = {names[i]: names[r] for i, r in root_cause.items()}
    successor_names = {names[i]: [names[j] for j in successors[i]] for i in range(count)}
    for unit in units.index:  # a safety net: nothing is ever left without a reason
        if unit not in start_month and unit not in failed_names:
            failed_names[unit] = "never reached: it waits in a cycle of constraints"
    for team in sorted(unknown_teams):
        warnings.append(
            {
                "kind": "capacity",
                "system": None,
                "message": f"team '{team}' has no capacity in the policy; its demand was not "
                "limited (add it under schedule.teams)",
            }
        )
    frame = _unit_frame(
        units, start_month, failed_names, root_names, calendar, successor_names, warnings
    )
    team_usage = pd.DataFrame(usage.T, index=calendar.month_starts, columns=team_names)
    unit_spend = _unit_spend(frame, calendar, fy_labels)
    return ScheduleResult(frame, calendar, spend, team_usage, running, unit_spend, warnings)


def _adjacency(sources: np.ndarray, targets: np.ndarray, n: int):
    order = np.argsort(sources, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sources, minlength=n), out=indptr[1:])
    return indptr, targets[order].astype(np.int64)


PLACED, NO_ROOM, WAITS, IMPOSSIBLE, UNREACHED = 1, 2, 3, 4, 0


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
            heap[size] = position[i]
            child = size
            size += 1
            while child > 0:
                parent = (child - 1) // 2
                if heap[parent] <= heap[child]:
                    break
                heap[parent], heap[child] = heap[child], heap[parent]
                child = parent
    sequence = np.empty(n, dtype=np.int64)
    done = 0
    while size > 0:
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
        unit = unit_at[top]
        sequence[done] = unit
        done += 1
        for k in range(succ_indptr[unit], succ_indptr[unit + 1]):
            nxt = succ_indices[k]
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heap[size] = position[nxt]
                child = size
                size += 1
                while child > 0:
                    parent = (child - 1) // 2
                    if heap[parent] <= heap[child]:
                        break
                    heap[parent], heap[child] = heap[child], heap[parent]
                    child = parent
    return sequence[:done]


@njit(cache=True)
def _place(
    sequence,
    lengths,
    per_month,
    contract_month,
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


def _unit_frame(
    units, start_month, failed, root_cause, calendar, successors, warnings
) -> pd.DataFrame:
    frame = units.copy()
    frame["start_month"] = pd.Series(start_month, dtype="float64").reindex(frame.index)
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
    deadline = pd.to_datetime(frame["deadline"])
    deadline_month = (deadline.dt.year - calendar.start.year) * 12 + (
        deadline.dt.month - calendar.start.month
    )
    frame["months_late"] = (frame["finish_month"] - deadline_month).clip(lower=0)
    frame["not_scheduled_because"] = pd.Series(failed, dtype="object").reindex(frame.index)
    # slack: months a unit could slip before delaying a successor or the programme's end
    end = frame["finish_month"].max() if frame["scheduled"].any() else np.nan
    pairs = [(u, s) for u, after in successors.items() for s in after]
    latest = pd.Series(end, index=frame.index, dtype="float64")
    if pairs:
        edges = pd.DataFrame(pairs, columns=["unit", "successor"])
        edges["limit"] = frame["start_month"].reindex(edges["successor"]).to_numpy() - 1
        limits = edges.dropna(subset=["limit"]).groupby("unit")["limit"].min()
        latest.loc[limits.index] = limits
    frame["slack_months"] = (latest - frame["finish_month"]).where(frame["scheduled"])
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
