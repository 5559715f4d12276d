"""A scheduling problem as arrays over units, built once and placed by the compiled kernels.

The fast search, the optimiser and the Monte Carlo forecast all place units through
:meth:`Problem.place`, so every one of them keeps the same rules (teams, project cap, budgets
per financial year, freezes, contracts, precedence), and all judge a schedule by
:meth:`Problem.objective`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory.graph import csr, dag_levels
from inventory.schema import enum_key
from planner.policy import Policy
from planner.schedule import kernels
from planner.schedule.calendar import Calendar

__all__ = ["Placement", "Problem", "build_problem", "effective_priority"]


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
class Placement:
    """Where :meth:`Problem.place` put each unit, and the profiles it left."""

    start_at: np.ndarray  # month, -1 when not placed
    status: np.ndarray  # kernels.PLACED, NO_ROOM, WAITS, IMPOSSIBLE or UNREACHED
    root: np.ndarray  # for a unit that waits: the unplaced unit it waits on
    earliest_at: np.ndarray
    earliest_from: np.ndarray
    usage: np.ndarray  # team x month
    running: np.ndarray
    spend: np.ndarray
    lengths: np.ndarray


@dataclass(frozen=True)
class Problem:
    """A scheduling problem as arrays over units ``0..n-1`` (``names[i]`` is unit i)."""

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

    def arrays(
        self,
        *,
        lengths: np.ndarray | None = None,
        costs: np.ndarray | None = None,
        budget: np.ndarray | None = None,
    ) -> kernels.Arrays:
        """The arrays the kernels read, with other durations, costs or budgets if given."""
        lengths = self.lengths if lengths is None else lengths
        costs = self.costs if costs is None else costs
        return kernels.Arrays(
            lengths=lengths,
            per_month=costs / lengths,
            contract_month=self.contract_month,
            demands=self.demands,
            capacity=self.capacity,
            cap_running=self.cap_running,
            budget=self.budget if budget is None else budget,
            fy_cumulative=self.fy_cumulative,
            frozen=self.frozen,
            pred_indptr=self.pred_indptr,
            pred_indices=self.pred_indices,
            succ_indptr=self.succ_indptr,
            succ_indices=self.succ_indices,
            impossible=self.impossible,
        )

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
        arrays = self.arrays(lengths=lengths, costs=costs, budget=budget)
        floor = np.full(self.count, -1, dtype=np.int64) if floor is None else floor
        horizon = self.horizon
        usage = np.zeros((len(self.team_names), horizon))
        running = np.zeros(horizon, dtype=np.int64)
        spend = np.zeros(horizon)
        start_at, status, root, earliest_at, earliest_from = kernels.place(
            sequence, arrays, floor, usage, running, np.zeros(len(self.fy_labels)), spend
        )
        return Placement(
            start_at,
            status,
            root,
            earliest_at,
            earliest_from,
            usage,
            running,
            spend,
            arrays.lengths,
        )

    def objective(self, placement: Placement, makespan_weight: float) -> dict[str, float]:
        """What the schedule is judged on (:func:`planner.schedule.kernels.objective`):
        unscheduled units first, then ``(1 - w) * risk-weighted mean go-live + w *
        programme length`` (both in months)."""
        missing, mean, makespan, exposure, value = kernels.objective(
            self.weights,
            placement.start_at,
            placement.status,
            placement.lengths,
            self.horizon,
            makespan_weight,
        )
        return {
            "unscheduled": int(missing),
            "risk-weighted mean go-live (months)": float(mean),
            "programme (months)": float(makespan),
            "risk exposure (risk-months)": float(exposure),
            "objective": float(value),
        }


def build_problem(
    units: pd.DataFrame,
    links: pd.DataFrame,
    priority: pd.Series,
    policy: Policy,
    *,
    risk: pd.Series | None = None,
    impossible: Iterable[str] = (),
) -> Problem:
    """The arrays for scheduling ``units`` under ``policy`` (see :class:`Problem`).

    ``impossible`` names the units caught in a cycle of explicit constraints: they fail at
    once, and the cycle's own links are dropped so that what waits on them is released.
    """
    calendar = Calendar(policy.plan_start, policy.horizon_months)
    horizon = calendar.months
    teams = dict(policy.schedule.teams)
    team_names = list(teams)
    cap_running = policy.schedule.max_concurrent_projects
    fy_labels = calendar.fy_labels
    month_fy = np.zeros((horizon, len(fy_labels)))
    month_fy[np.arange(horizon), calendar.fy_index] = 1.0
    impossible = set(impossible)
    names = list(units.index)
    count = len(names)
    position_of = pd.Index(names)
    before = position_of.get_indexer(links["before"])
    after = position_of.get_indexer(links["after"])
    in_cycle = links["before"].isin(impossible) & links["after"].isin(impossible)
    keep = (before >= 0) & (after >= 0) & ~in_cycle.to_numpy()
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
        frozen=np.isin(calendar.month_of_year, list(policy.schedule.freeze_months)),
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
