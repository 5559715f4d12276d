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

Vectorised: each unit's feasible starts over the whole horizon are found with cumulative sums
over resource profiles held as arrays per month, not a loop over months.

Examples
--------
>>> cal = Calendar(pd.Timestamp("2027-04-01"), 24)
>>> cal.fy_labels[:2], cal.month_start(12).date().isoformat()
(['2027/28', '2028/29'], '2028-04-01')
>>> cal.month_end(0).date().isoformat()
'2027-04-30'
"""

from __future__ import annotations

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

    @property
    def month_starts(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=self.months, freq="MS")

    @property
    def month_of_year(self) -> np.ndarray:
        return self.month_starts.month.to_numpy()

    @property
    def fy_labels(self) -> list[str]:
        return list(dict.fromkeys(financial_year(d) for d in self.month_starts))

    @property
    def fy_index(self) -> np.ndarray:
        labels = self.fy_labels
        lookup = {label: i for i, label in enumerate(labels)}
        return np.array([lookup[financial_year(d)] for d in self.month_starts])


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
    successors: dict[str, list[str]] = {}
    indegree = {u: 0 for u in priority.index}
    for before, after in zip(links["before"], links["after"], strict=True):
        successors.setdefault(before, []).append(after)
        indegree[after] = indegree.get(after, 0) + 1
    order, queue = [], [u for u, d in indegree.items() if d == 0]
    while queue:
        unit = queue.pop()
        order.append(unit)
        for nxt in successors.get(unit, ()):
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    values = effective.to_dict()
    for unit in reversed(order):
        for nxt in successors.get(unit, ()):
            if values.get(nxt, -np.inf) > values.get(unit, -np.inf):
                values[unit] = values[nxt]
    return pd.Series(values).reindex(priority.index)


def _window_ok(bad: np.ndarray, length: int) -> np.ndarray:
    """ok[t] is True when bad[t : t + length] holds no True (for every start t)."""
    counts = np.concatenate([[0], np.cumsum(bad)])
    return (counts[length:] - counts[:-length]) == 0


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
    predecessors: dict[str, list[str]] = {u: [] for u in units.index}
    successors: dict[str, list[str]] = {u: [] for u in units.index}
    for before, after in zip(links["before"], links["after"], strict=True):
        if before in predecessors and after in predecessors:
            predecessors[after].append(before)
            successors[before].append(after)
    effective = effective_priority(priority.reindex(units.index).fillna(0.0), links)
    order = sorted(
        units.index, key=lambda u: (-round(effective[u], 9), -round(priority.get(u, 0.0), 9), u)
    )
    position = {u: i for i, u in enumerate(order)}
    waiting = {u: len(predecessors[u]) for u in units.index}
    heap = [position[u] for u in units.index if waiting[u] == 0]
    heapq.heapify(heap)
    start_month: dict[str, int] = {}
    failed: dict[str, str] = {
        u: "impossible constraint (see the cycle warning)" for u in impossible
    }
    root_cause: dict[str, str] = {}

    def release(unit: str) -> None:
        for nxt in successors[unit]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(heap, position[nxt])

    while heap:
        unit = order[heapq.heappop(heap)]
        row = units.loc[unit]
        blocked = [p for p in predecessors[unit] if p in failed]
        if unit in failed or blocked:
            if unit not in failed:
                root = root_cause.get(blocked[0], blocked[0])
                root_cause[unit] = root
                failed[unit] = f"waits for {root}, which is not scheduled"
            release(unit)
            continue
        length = int(row["months"])
        earliest, because = 0, ""
        for p in predecessors[unit]:
            ready = start_month[p] + int(units.at[p, "months"])
            if ready > earliest:
                earliest, because = ready, f"after {p} goes live"
        if pd.notna(row["not_before"]):
            contract_start = calendar.index_of(row["not_before"]) - length + 1
            if contract_start > earliest:
                earliest = contract_start
                because = (
                    f"so as not to go live before its contract ends ({row['not_before']:%b %Y})"
                )
        demand = np.zeros(len(team_names))
        for team, amount in row["team_demand"].items():
            key = enum_key(team)
            if key in teams:
                demand[team_names.index(key)] += amount
            elif amount > 0:
                unknown_teams.add(key)
        per_month = row["cost_gbp"] / length
        starts = _feasible_starts(
            length,
            demand,
            per_month,
            usage,
            capacity,
            running,
            cap_running,
            spent,
            budget,
            fy_cumulative,
            frozen,
        )
        candidates = np.flatnonzero(starts[earliest:]) + earliest if earliest < len(starts) else []
        if len(candidates) == 0:
            failed[unit] = _why_not(
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
                failed[unit] += (
                    f" (it cannot start before {calendar.month_start(earliest):%b %Y}, {because})"
                )
            release(unit)
            continue
        t = int(candidates[0])
        start_month[unit] = t
        usage[:, t : t + length] += demand[:, None]
        running[t : t + length] += 1
        spend[t : t + length] += per_month
        spent += per_month * (fy_cumulative[t + length] - fy_cumulative[t])
        release(unit)

    for team in sorted(unknown_teams):
        warnings.append(
            {
                "kind": "capacity",
                "system": None,
                "message": f"team '{team}' has no capacity in the policy; its demand was not "
                "limited (add it under schedule.teams)",
            }
        )
    frame = _unit_frame(units, start_month, failed, root_cause, calendar, successors, warnings)
    team_usage = pd.DataFrame(usage.T, index=calendar.month_starts, columns=team_names)
    unit_spend = _unit_spend(frame, calendar, fy_labels)
    return ScheduleResult(frame, calendar, spend, team_usage, running, unit_spend, warnings)


def _feasible_starts(
    length,
    demand,
    per_month,
    usage,
    capacity,
    running,
    cap_running,
    spent,
    budget,
    fy_cumulative,
    frozen,
) -> np.ndarray:
    """ok[t] for every start month t at which the unit fits (vectorised over t)."""
    horizon = usage.shape[1]
    if length > horizon:
        return np.zeros(0, dtype=bool)
    ok = np.ones(horizon - length + 1, dtype=bool)
    for team in np.flatnonzero(demand > 0):
        over = usage[team] + demand[team] > capacity[team] + EPS
        ok &= _window_ok(over, length)
    if cap_running is not None:
        ok &= _window_ok(running + 1 > cap_running, length)
    if per_month > 0:
        overlap = fy_cumulative[length:] - fy_cumulative[:-length]  # starts x years
        ok &= ((spent + per_month * overlap) <= budget + EPS).all(axis=1)
    ok &= ~frozen[length - 1 :]
    return ok


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
            need = per_month * overlap[earliest:]
            worst = need.max(axis=0)
            year = int(np.argmax(worst - budget))
            return (
                f"budget too small: it needs £{worst[year]:,.0f} in {fy_labels[year]} alone and "
                f"the budget is £{budget[year]:,.0f}"
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
    frame["start"] = [
        calendar.month_start(int(m)) if pd.notna(m) else pd.NaT for m in frame["start_month"]
    ]
    frame["go_live"] = [
        calendar.month_end(int(m)) if pd.notna(m) else pd.NaT for m in frame["finish_month"]
    ]
    frame["start"] = pd.to_datetime(frame["start"])
    frame["go_live"] = pd.to_datetime(frame["go_live"])
    first_fy = calendar.fy_index[0] if calendar.months else 0
    frame["wave"] = [
        int(calendar.fy_index[int(m)] - first_fy + 1) if pd.notna(m) else pd.NA
        for m in frame["start_month"]
    ]
    frame["wave"] = frame["wave"].astype("Int64")
    deadline_month = pd.Series(
        [calendar.index_of(d) if pd.notna(d) else np.nan for d in frame["deadline"]],
        index=frame.index,
        dtype="float64",
    )
    frame["months_late"] = (frame["finish_month"] - deadline_month).clip(lower=0)
    frame["not_scheduled_because"] = pd.Series(failed, dtype="object").reindex(frame.index)
    # slack: months a unit could slip before delaying a successor or the programme's end
    end = frame["finish_month"].max() if frame["scheduled"].any() else np.nan
    slack = {}
    for unit in frame.index[frame["scheduled"]]:
        later = [
            frame.at[s, "start_month"] - 1 for s in successors[unit] if frame.at[s, "scheduled"]
        ]
        latest_finish = min(later) if later else end
        slack[unit] = latest_finish - frame.at[unit, "finish_month"]
    frame["slack_months"] = pd.Series(slack, dtype="float64").reindex(frame.index)
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
    table = pd.DataFrame(0.0, index=frame.index, columns=fy_labels)
    fy_index = calendar.fy_index
    for unit, row in frame[frame["scheduled"]].iterrows():
        t, length = int(row["start_month"]), int(row["months"])
        per_month = row["cost_gbp"] / length
        counts = np.bincount(fy_index[t : t + length], minlength=len(fy_labels))
        table.loc[unit] = per_month * counts
    return table
