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
import heapq
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory.schema import enum_key
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
    index_of = {u: i for i, u in enumerate(names)}
    count = len(names)
    predecessors: list[list[int]] = [[] for _ in range(count)]
    successors: list[list[int]] = [[] for _ in range(count)]
    for before, after in zip(links["before"], links["after"], strict=True):
        if before in impossible and after in impossible:
            continue  # the cycle itself: its units fail at once and release what waits on them
        if before in index_of and after in index_of:
            predecessors[index_of[after]].append(index_of[before])
            successors[index_of[before]].append(index_of[after])
    own = priority.reindex(units.index).fillna(0.0)
    acyclic = links[~(links["before"].isin(impossible) & links["after"].isin(impossible))]
    effective = effective_priority(own, acyclic)
    order = np.lexsort(
        (
            np.asarray(names, dtype=str),
            -own.to_numpy(dtype=float).round(9),
            -effective.to_numpy(dtype=float).round(9),
        )
    ).tolist()
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
    rows, cols = np.nonzero(demands)
    needs_of: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        needs_of[i].append((j, capacity[j] - demands[i, j] + EPS))
    waiting = np.array([len(p) for p in predecessors], dtype=np.int64)
    heap = [int(position[i]) for i in range(count) if waiting[i] == 0]
    heapq.heapify(heap)
    start_at = np.full(count, -1, dtype=np.int64)
    failed: dict[int, str] = {
        index_of[u]: "impossible constraint (see the cycle warning)" for u in impossible
    }
    root_cause: dict[int, int] = {}

    def release(i: int) -> None:
        for nxt in successors[i]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(heap, int(position[nxt]))

    while heap:
        i = order[heapq.heappop(heap)]
        blocked = [p for p in predecessors[i] if p in failed]
        if i in failed or blocked:
            if i not in failed:
                root = root_cause.get(blocked[0], blocked[0])
                root_cause[i] = root
                failed[i] = f"waits for {names[root]}, which is not scheduled"
            release(i)
            continue
        length = int(lengths[i])
        earliest, because = 0, ""
        for p in predecessors[i]:
            ready = int(start_at[p] + lengths[p])
            if ready > earliest:
                earliest, because = ready, f"after {names[p]} goes live"
        contract_start = int(contract_month[i]) - length + 1
        if contract_start > earliest:
            earliest = contract_start
            because = f"so as not to go live before its contract ends ({not_before.iat[i]:%b %Y})"
        demand = demands[i]
        per_month = per_month_cost[i]
        needs = needs_of[i]
        t = _first_start(
            earliest,
            length,
            needs,
            per_month,
            usage,
            running,
            cap_running,
            spent,
            budget,
            fy_cumulative,
            frozen,
        )
        if t is None:
            failed[i] = _why_not(
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
            )
            if earliest > 0:
                failed[i] += (
                    f" (it cannot start before {calendar.month_start(earliest):%b %Y}, {because})"
                )
            release(i)
            continue
        start_at[i] = t
        for row, _limit in needs:
            usage[row, t : t + length] += demand[row]
        running[t : t + length] += 1
        spend[t : t + length] += per_month
        spent += per_month * (fy_cumulative[t + length] - fy_cumulative[t])
        release(i)

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


def _first_start(
    earliest,
    length,
    needs,
    per_month,
    usage,
    running,
    cap_running,
    spent,
    budget,
    fy_cumulative,
    frozen,
) -> int | None:
    """The earliest start month at or after ``earliest`` at which the unit fits, or None.

    ``needs`` lists (team row, remaining-capacity threshold) pairs. A next-fit search: a month
    in the window where a team (or the project cap) would be over capacity rules out every
    start up to and including that month, so the search jumps past it; a budget or freeze
    clash moves it on by one month.
    """
    horizon = usage.shape[1]
    t = earliest
    while t + length <= horizon:
        end = t + length
        if frozen[end - 1]:
            t += 1
            continue
        clash = -1
        for row, limit in needs:
            over = np.flatnonzero(usage[row, t:end] > limit)
            if len(over):
                clash = max(clash, t + int(over[-1]))
        if cap_running is not None:
            full = np.flatnonzero(running[t:end] >= cap_running)
            if len(full):
                clash = max(clash, t + int(full[-1]))
        if clash >= 0:
            t = clash + 1
            continue
        if (
            per_month > 0
            and (spent + per_month * (fy_cumulative[end] - fy_cumulative[t]) > budget + EPS).any()
        ):
            t += 1
            continue
        return t
    return None


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
