"""A scheduling problem as arrays over units, built once and placed by the compiled kernels.

The fast search, the optimiser, the Monte Carlo forecast and the levers all place units
through :meth:`Problem.place`, so every one of them keeps the same rules (see
:mod:`planner.schedule.kernels`), and all judge a schedule by :meth:`Problem.objective`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import chain

import numpy as np
import pandas as pd

from inventory.graph import csr, dag_levels
from inventory.schema import enum_key
from planner.policy import Policy
from planner.schedule import kernels
from planner.schedule.calendar import Calendar

__all__ = ["Placement", "Problem", "build_problem", "complete_units", "effective_priority"]

#: A custom spend profile gives shares for at most this many project years.
PROFILE_YEARS = 10
#: Rows of the placement trace per unit (what held each unit, month range by range).
TRACE_ROWS_PER_UNIT = 24


def complete_units(units: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """``units`` with every column the scheduler reads, a missing one filled with what asks
    nothing of the plan (no deadline, no approval, no clinical safety case, a flat profile,
    the policy's capital share), so a bare table of ``months``, ``cost_gbp`` and
    ``team_demand`` (PSPLIB, a notebook) can be scheduled.

    >>> from planner.policy import load_policy
    >>> bare = pd.DataFrame({"months": [3], "cost_gbp": [0.0]}, index=["a"])
    >>> row = complete_units(bare, load_policy()).loc["a"]
    >>> int(row["approval_months"]), bool(row["decommission"]), row["clinical_safety_class"]
    (0, False, 'none')
    """
    count = len(units)
    defaults = {
        "team_demand": lambda: [{} for _ in range(count)],
        "capital_share": lambda: policy.money.capital_share.default,
        "spend_profile": lambda: None,
        "spend_by_year": lambda: [() for _ in range(count)],
        "not_before": lambda: pd.NaT,
        "contract_deadline": lambda: pd.NaT,
        "deadline": lambda: pd.NaT,
        "approval": lambda: "",
        "approval_months": lambda: 0,
        "clinical_safety_class": lambda: "none",
        "departments": lambda: [() for _ in range(count)],
        "engines": lambda: [() for _ in range(count)],
        "organisation": lambda: "",
        "major": lambda: False,
        "decommission": lambda: False,
        "cost_estimated": lambda: False,
    }
    missing = [column for column in defaults if column not in units]
    if not missing:
        return units
    units = units.copy()
    for column in missing:
        units[column] = defaults[column]()  # type: ignore[call-overload]
    for column in ("not_before", "contract_deadline", "deadline"):
        units[column] = pd.to_datetime(units[column])
    return units


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
    values = _raised(effective.to_numpy(copy=True), before[keep], after[keep])
    return pd.Series(values, index=priority.index)


def _raised(values: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """``values`` (one per unit) raised to the highest value of anything that waits on each
    unit, through the acyclic links ``before[k] -> after[k]`` (unit positions).

    >>> before, after = np.array([3, 0, 0]), np.array([0, 1, 2])  # 3 -> 0 -> 1 and 2
    >>> _raised(np.array([20.0, 90.0, 50.0, 10.0]), before, after).tolist()
    [90.0, 90.0, 50.0, 90.0]
    """
    if not len(before):
        return values
    n = len(values)
    indptr, indices = csr(before, after, n)
    level = dag_levels(indptr, indices, n)  # links are acyclic once cycles are broken
    order = np.argsort(level[before], kind="stable")
    before, after = before[order], after[order]
    edge_level = level[before]
    cuts = np.flatnonzero(np.r_[True, edge_level[1:] != edge_level[:-1], True])
    for k in range(len(cuts) - 2, -1, -1):  # deepest level first: successors are final
        lo, hi = cuts[k], cuts[k + 1]
        np.maximum.at(values, before[lo:hi], values[after[lo:hi]])
    return values


@dataclass(frozen=True)
class Placement:
    """Where :meth:`Problem.place` put each unit, and the profiles it left."""

    start_at: np.ndarray  # month, -1 when not placed
    lengths: np.ndarray  # months, stretched where money needed it
    status: np.ndarray  # kernels.PLACED, NO_ROOM, WAITS, IMPOSSIBLE or UNREACHED
    root: np.ndarray  # for a unit that waits: the unplaced unit it waits on
    earliest_at: np.ndarray
    earliest_from: np.ndarray
    state: kernels.State
    trace: np.ndarray  # rows of unit, first month, last month, code, detail, need, free
    arrays: kernels.Arrays = field(repr=False)

    @property
    def usage(self) -> np.ndarray:
        return self.state.usage

    @property
    def running(self) -> np.ndarray:
        return self.state.running

    @functools.cached_property
    def by_month(self) -> tuple[np.ndarray, np.ndarray]:
        """Capital and revenue spent in each month."""
        return kernels.month_spend(self.arrays, self.start_at, self.lengths)

    @property
    def spend(self) -> np.ndarray:
        """Spend per month, capital and revenue."""
        capital, revenue = self.by_month
        return capital + revenue


@dataclass(frozen=True)
class Problem:
    """A scheduling problem as arrays over units ``0..n-1`` (``names[i]`` is unit i).

    ``arrays`` holds what the kernels read; the rest names and dates them.
    """

    names: list[str]
    calendar: Calendar
    team_names: list[str]
    fy_labels: list[str]
    group_names: list[str]
    arrays: kernels.Arrays
    deadline_month: np.ndarray  # end of support as a month index (large when none)
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

    @property
    def lengths(self) -> np.ndarray:
        return self.arrays.lengths

    @property
    def costs(self) -> np.ndarray:
        return self.arrays.costs

    def with_arrays(self, **changes: object) -> Problem:
        """The same problem with some of the kernels' arrays changed (a lever, a forecast
        run): ``problem.with_arrays(capacity=more)``."""
        if "frozen" in changes and "thaw" not in changes:
            changes["thaw"] = _thaw(np.asarray(changes["frozen"]))
        return replace(self, arrays=self.arrays._replace(**changes))  # type: ignore[arg-type]

    def place(
        self,
        sequence: np.ndarray,
        *,
        lengths: np.ndarray | None = None,
        costs: np.ndarray | None = None,
        floor: np.ndarray | None = None,
        capital_budget: np.ndarray | None = None,
        revenue_budget: np.ndarray | None = None,
        trace: bool = False,
    ) -> Placement:
        """Place units in ``sequence`` order, each at its earliest feasible month (and not
        before ``floor``); other durations, costs or budgets may be given (Monte Carlo).
        With ``trace``, record what held each unit between its earliest start and its start."""
        arrays = self.arrays
        changed = {
            name: value
            for name, value in (
                ("lengths", lengths),
                ("costs", costs),
                ("capital_budget", capital_budget),
                ("revenue_budget", revenue_budget),
            )
            if value is not None
        }
        if changed:
            arrays = arrays._replace(**changed)  # type: ignore[arg-type]
        floor = np.full(self.count, -1, dtype=np.int64) if floor is None else floor
        state = kernels.new_state(arrays, len(self.group_names))
        rows = TRACE_ROWS_PER_UNIT * self.count + 1 if trace else 1
        log = np.empty((rows, 7))  # the kernel writes the rows it uses; row 0 counts them
        log[0, 0] = 0.0
        start_at, used, status, root, earliest_at, earliest_from = kernels.place(
            sequence, arrays, floor, state, trace, log
        )
        return Placement(
            start_at,
            used,
            status,
            root,
            earliest_at,
            earliest_from,
            state,
            log[1 : int(log[0, 0]) + 1],
            arrays,
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
            # the weights times go-live months: what the search weighs, not the risk exposure
            # (the area under the burn-down, PlanResult.risk_exposure; docs/planning.md)
            "risk-weighted go-live (risk-months)": float(exposure),
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
    ties: pd.DataFrame | None = None,
) -> Problem:
    """The arrays for scheduling ``units`` (:func:`planner.ordering.planning_units`) under
    ``policy`` (see :class:`Problem`).

    ``impossible`` names the units caught in a cycle of explicit constraints: they fail at
    once, and the cycle's own links are dropped so that what waits on them is released.
    ``ties`` (absorber, absorbed) are decommissioned within the policy's window.
    """
    calendar = Calendar(policy.plan_start, policy.horizon_months)
    teams = dict(policy.schedule.teams)
    team_names = list(teams)
    fy_labels = calendar.fy_labels
    names = units.index.to_numpy(dtype=object).tolist()
    count = len(names)
    # each id is looked up once, in the units' own index (its hash table built once); from
    # here units are positions 0..count-1
    position_of = units.index
    impossible_at = position_of.get_indexer(pd.Index(sorted(set(impossible)), dtype=object))
    impossible_mask = np.zeros(count, dtype=np.bool_)
    impossible_mask[impossible_at[impossible_at >= 0]] = True
    before = position_of.get_indexer(pd.Index(links["before"], dtype=object))
    after = position_of.get_indexer(pd.Index(links["after"], dtype=object))
    keep = (before >= 0) & (after >= 0)
    keep[keep] = ~(impossible_mask[before[keep]] & impossible_mask[after[keep]])
    before, after = before[keep].astype(np.int64), after[keep].astype(np.int64)
    pred_indptr, pred_indices = csr(after, before, count)
    succ_indptr, succ_indices = csr(before, after, count)
    own = priority.reindex(units.index).fillna(0.0).to_numpy(dtype=float)
    effective = _raised(own.copy(), before, after)
    order = np.lexsort((np.asarray(names, dtype=str), -own.round(9), -effective.round(9)))
    position = np.empty(count, dtype=np.int64)
    position[order] = np.arange(count)
    demands, unknown_teams = _demands(units["team_demand"], team_names)
    tail, tail_months, unknown = _safety_case(units, team_names, policy, demands)
    unknown_teams |= unknown
    weights = (
        risk.reindex(units.index).fillna(0.0).to_numpy(dtype=float)
        if risk is not None
        else np.zeros(count)
    )
    group_names, group_indptr, group_indices, group_gap = _spacing_groups(units, policy)
    tie_indptr, tie_indices = _ties(ties, position_of, impossible_mask, position)
    profile, year_shares = _profiles(units, policy)
    go_live = policy.schedule.go_live
    frozen = np.isin(calendar.month_of_year, list(policy.schedule.freeze_months))
    arrays = kernels.Arrays(
        lengths=units["months"].to_numpy(dtype=np.int64),
        costs=units["cost_gbp"].to_numpy(dtype=float),
        capital_share=units["capital_share"].to_numpy(dtype=float),
        profile=profile,
        year_shares=year_shares,
        contract_month=_month_index(units["not_before"], calendar, -(10**9)),
        deadline=_month_index(units["contract_deadline"], calendar, 10**9),
        approval_month=units["approval_months"].to_numpy(dtype=np.int64),
        demands=demands,
        tail_demands=tail,
        tail_months=tail_months,
        capacity=np.array([teams[t] for t in team_names], dtype=float),
        cap_running=_or(policy.schedule.max_concurrent_projects, -1),
        capital_budget=np.array([policy.budget_for(label) for label in fy_labels]),
        revenue_budget=np.array([policy.revenue_budget_for(label) for label in fy_labels]),
        fy_index=calendar.fy_index.astype(np.int64),
        fy_next=_next_year_starts(calendar.fy_index),
        frozen=frozen,
        thaw=_thaw(frozen),
        is_go_live=~units["decommission"].to_numpy(dtype=bool),
        org=pd.factorize(units["organisation"].fillna(""))[0].astype(np.int64),
        golive_limit=_or(go_live.per_month, -1),
        group_indptr=group_indptr,
        group_indices=group_indices,
        group_gap=group_gap,
        pred_indptr=pred_indptr,
        pred_indices=pred_indices,
        succ_indptr=succ_indptr,
        succ_indices=succ_indices,
        tie_indptr=tie_indptr,
        tie_indices=tie_indices,
        tie_window=int(policy.ordering.retire.window_months),
        impossible=impossible_mask,
        max_stretch=float(policy.money.max_stretch),
    )
    return Problem(
        names=names,
        calendar=calendar,
        team_names=team_names,
        fy_labels=fy_labels,
        group_names=group_names,
        arrays=arrays,
        deadline_month=_month_index(units["deadline"], calendar, 10**9),
        position=position,
        weights=weights,
        not_before=units["not_before"],
        unknown_teams=frozenset(unknown_teams),
    )


def _thaw(frozen: np.ndarray) -> np.ndarray:
    """For each month, the first month from it that is not frozen (the horizon if none).

    >>> _thaw(np.array([False, True, True, False, True])).tolist()
    [0, 3, 3, 3, 5]
    """
    months = len(frozen)
    open_at = np.where(~frozen, np.arange(months), months)
    return np.minimum.accumulate(open_at[::-1])[::-1].astype(np.int64)


def _next_year_starts(fy_index: np.ndarray) -> np.ndarray:
    """For each month, the first month of the next financial year (the horizon for the last).

    >>> _next_year_starts(np.array([0, 0, 1, 1, 1, 2])).tolist()
    [2, 2, 5, 5, 5, 6]
    """
    starts = np.flatnonzero(np.r_[True, fy_index[1:] != fy_index[:-1]])
    following = np.r_[starts[1:], len(fy_index)]
    return following[fy_index - fy_index[0]].astype(np.int64)


def _or(value: int | None, missing: int) -> int:
    return missing if value is None else int(value)


def _month_index(dates: pd.Series, calendar: Calendar, missing: int) -> np.ndarray:
    months = calendar.months_after_start(dates)
    return np.where(np.isnan(months), missing, months).astype(np.int64)


def _demands(team_demand: pd.Series, team_names: list[str]) -> tuple[np.ndarray, set[str]]:
    """Units x teams FTE; the teams asked for that the policy does not have.

    >>> _demands(pd.Series([{"Integration": 1.0}, {"estates": 0.5}]), ["integration"])
    (array([[1.],
           [0.]]), {'estates'})
    """
    demands = np.zeros((len(team_demand), len(team_names)))
    asks = team_demand.to_numpy(dtype=object).tolist()
    keys = list(chain.from_iterable(asks))
    if not keys:
        return demands, set()
    amounts = np.fromiter(chain.from_iterable(d.values() for d in asks), float, len(keys))
    rows = np.repeat(np.arange(len(asks)), list(map(len, asks)))
    column_of = {enum_key(team): j for j, team in enumerate(team_names)}
    inverse, distinct = pd.factorize(np.asarray(keys, dtype=object), use_na_sentinel=False)
    columns = np.array([column_of.get(enum_key(str(k)), -1) for k in distinct])[inverse]
    known = columns >= 0
    np.add.at(demands, (rows[known], columns[known]), amounts[known])
    unknown = {enum_key(str(k)) for k in np.asarray(keys, dtype=object)[~known & (amounts > 0)]}
    return demands, unknown


def _safety_case(
    units: pd.DataFrame, team_names: list[str], policy: Policy, demands: np.ndarray
) -> tuple[np.ndarray, np.ndarray, set[str]]:
    """The clinical safety case (DCB0160): the clinical-safety team's effort, by class, in
    the last ``lead_months`` months before a clinical go-live (``demands``: units x teams,
    what each unit already asks of each team)."""
    rules = policy.clinical_safety
    tail = np.zeros((len(units), len(team_names)))
    fte = units["clinical_safety_class"].map(rules.fte.model_dump()).fillna(0.0).to_numpy(float)
    months = np.where(fte > 0, rules.lead_months, 0).astype(np.int64)
    months = np.minimum(months, units["months"].to_numpy(dtype=np.int64))
    if rules.team in team_names:
        column = team_names.index(rules.team)
        # a unit that already asks the team for effort has its safety case in that demand
        tail[:, column] = np.where(demands[:, column] > 0, 0.0, fte)
        return tail, months, set()
    return tail, months, {rules.team} if fte.any() else set()


def _spacing_groups(
    units: pd.DataFrame, policy: Policy
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Go-live spacing: clinical go-lives (of the policy's spaced clinical-safety classes) in
    one department of one organisation or through one integration engine, and major
    go-lives in one organisation (the stabilisation window)."""
    rules = policy.schedule.go_live
    units = units.reset_index(drop=True)  # keyed by position: each key's unit is its row
    clinical = units["clinical_safety_class"].isin(rules.spaced_classes).to_numpy()
    organisations = units["organisation"].fillna("").astype(str)
    parts: list[tuple[pd.Series, int]] = []  # (each unit's group keys, the groups' gap)
    if rules.clinical_gap_months > 0 and clinical.any():
        where = organisations.where(organisations == "", " (" + organisations + ")")[clinical]
        departments = units["departments"][clinical].explode().dropna()
        engines = units["engines"][clinical].explode().dropna()
        department_keys = "department: " + departments.astype(str)
        parts.append(
            (department_keys + where.reindex(departments.index), rules.clinical_gap_months)
        )
        parts.append(("engine: " + engines.astype(str), rules.clinical_gap_months))
    if rules.stabilisation_months > 0:
        major = units["major"].to_numpy(dtype=bool)
        owner_org = organisations[major].replace("", "the organisation")
        parts.append(("major go-lives in " + owner_org, rules.stabilisation_months))
    keys = pd.concat([p for p, _ in parts]) if parts else pd.Series([], dtype=object)
    gap_of = np.concatenate(
        [np.full(len(p), gap, dtype=np.int64) for p, gap in parts] or [np.zeros(0, dtype=np.int64)]
    )
    codes, names = pd.factorize(keys.to_numpy(dtype=object))
    gaps = np.zeros(len(names), dtype=np.int64)
    gaps[codes] = gap_of
    indptr, indices = csr(keys.index.to_numpy(dtype=np.int64), codes.astype(np.int64), len(units))
    return [str(n) for n in names], indptr, indices, gaps


def _ties(
    ties: pd.DataFrame | None, position_of: pd.Index, impossible: np.ndarray, rank: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Absorber unit -> the units it absorbs (highest priority first), as compressed rows."""
    count = len(position_of)
    if ties is None or ties.empty:
        return np.zeros(count + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    absorber = position_of.get_indexer(pd.Index(ties["absorber"]))
    absorbed = position_of.get_indexer(pd.Index(ties["absorbed"]))
    keep = (absorber >= 0) & (absorbed >= 0)
    keep[keep] &= ~impossible[absorber[keep]] & ~impossible[absorbed[keep]]
    absorber, absorbed = absorber[keep], absorbed[keep]
    order = np.lexsort((rank[absorbed], absorber))
    return csr(absorber[order].astype(np.int64), absorbed[order].astype(np.int64), count)


def _profiles(units: pd.DataFrame, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's spend profile code and, for a custom profile, its shares by year."""
    codes = {name: code for code, name in enumerate(kernels.PROFILES)}
    profile = (
        units["spend_profile"]
        .fillna(policy.money.spend_profile)
        .map(codes)
        .to_numpy(dtype=np.int64, copy=True)
    )
    shares = np.zeros((len(units), PROFILE_YEARS))
    for i, given in enumerate(units["spend_by_year"]):
        if given:
            kept = list(given[:PROFILE_YEARS])
            kept[-1] += sum(given[PROFILE_YEARS:])  # a longer split: the rest in the last year
            shares[i, : len(kept)] = kept
            profile[i] = kernels.CUSTOM
    return profile, shares
