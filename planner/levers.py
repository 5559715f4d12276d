"""What each lever is worth: the board's question, "what would it take to go faster?".

A lever relaxes one constraint of the plan's scheduling problem; the plan is placed again
under it and compared with the plan as it is:

- **team**: ``fte`` more people in one delivery team, every month (one lever per team);
- **capital**: ``capital_uplift`` more capital in one financial year (one lever per year
  the plan spans; a year without a limit, or with a budget of 0, has no lever);
- **cap**: a fifth more projects running at once (at least one more; :data:`CAP_UPLIFT`),
  where ``schedule.max_concurrent_projects`` sets a cap;
- **freeze**: go-lives allowed in one change-freeze month, every year of the horizon ("lift
  the December freeze"; one lever per month in ``schedule.freeze_months``);
- **contract**: see below.

For each lever: the programme's new end, how many months sooner that is (negative: later),
the change in risk exposure and the projects it newly schedules or leaves out. Levers are
ranked by the largest cut in risk exposure, then by months sooner.

**Contracts.** The issue asks for "each contract extended", but under the default policy
(``schedule.respect_contract_end: true``, ``contract_deadline: false``) a contract only
holds a go-live *back*: the replacement may not go live before the current contract ends.
Extending such a contract makes nothing sooner; it is a cost the plan already lists
(:func:`planner.plan_checks.contract_extensions`). The lever that goes faster is the
opposite one: **end the contract early** (a break clause or a negotiated exit), offered for
each project whose earliest start was set by its contract. Only where the policy makes
contract ends deadlines (``contract_deadline: true``) does an extension help: a project
that cannot go live by its contract's end is left unscheduled, and **extend the contract
by 12 months** gives it room. What breaking or extending a contract costs is not counted.

**Placing again.** Each lever's problem is placed again and the best of these is kept:
the plan as it is (it still fits, since a lever only relaxes a constraint), the plan's
processing order replayed, and the search run afresh (:func:`planner.schedule.search.search`),
which is fairer to the lever than the replay alone. Best means the fewest projects left
out, then the least risk exposure, then the earliest end; a placement that ends later than
the plan is set aside (a lever is a way to go faster). So a lever is never worth less than
nothing, and ties keep the plan as it is. A lever that leaves the
replay exactly as the plan is taken to change nothing and the search is not run for it: its
constraint does not bind on the plan's own path, and this keeps the sample trust's levers to
a few seconds. The baseline is placed the same way (the better of the replay and the search
on the unchanged problem, which for a plan made by the fast mode is the plan itself), so a
lever that changes nothing shows exactly 0. ``placed_by`` says which placement was kept. For
a plan made by the optimiser, both sides are placed by the fast scheduler.

**Risk exposure** is the area under the risk burn-down, as in
:attr:`planner.plan.PlanResult.risk_exposure` (:func:`planner.burndown.risk_burndown` of
the new go-live months), measured to the horizon for both plans so that a shorter
programme is not credited with the months after it ends. Negative is better.

Examples
--------
Two six-month projects that each need the one integration engineer run back to back; a
second engineer lets them run together:

>>> import planner
>>> from inventory.model import Inventory
>>> trust = Inventory.from_records(
...     [{"id": s, "name": s.upper(), "disposition": "replace", "replacement_months_likely": 6,
...       "replacement_cost_gbp_likely": 500_000, "team_demand": {"integration": 1}}
...      for s in ("pas", "lims")], [])
>>> found = levers(planner.plan(trust, teams={"integration": 1}))
>>> found
<Levers: 6 levers on the plan ending Mar 2028; 1 of them helps, most of all: Add 1 FTE to
 the integration team (6 months sooner, risk exposure -96 risk-months)>
>>> for row in found.table.head(2).itertuples():
...     print(row.Index, row.change, row.months_sooner, row.risk_exposure_change, row.placed_by)
1 integration 1 to 2 FTE (+1) 6 -96.0 plan order
2 2027/28 capital £12.0m to £13.2m (+£1.2m) 0 0.0 current plan
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory.errors import InvalidArgumentError
from inventory.schema import tidy_tables
from inventory.wording import plural, pounds, verb
from planner.burndown import risk_burndown
from planner.plan import PlanResult
from planner.policy import Policy
from planner.schedule import Calendar, Placement, Problem
from planner.schedule.kernels import NO_ROOM
from planner.schedule.search import search

__all__ = ["CAP_UPLIFT", "EXTENSION_MONTHS", "Levers", "levers"]

#: A contract that is a deadline is extended by this many months.
EXTENSION_MONTHS = 12
#: The cap lever allows this share more projects at once (rounded up, at least one more).
CAP_UPLIFT = 0.2
#: The kernels' "no contract" month (see :func:`planner.schedule.build_problem`).
NO_CONTRACT = -(10**9)
COLUMNS = [
    "lever",
    "kind",
    "change",
    "programme_end",
    "months_sooner",
    "risk_exposure_change",
    "newly_scheduled",
    "newly_unscheduled",
    "placed_by",
]


@dataclass(frozen=True)
class Levers:
    """What each lever is worth against a plan ending ``end`` (None: nothing scheduled).

    ``table`` has one row per lever, ranked (index ``rank``, 1 first): ``lever`` (in
    words), ``kind`` (team, capital, cap, freeze or contract), ``change`` (what it changes),
    ``programme_end`` (the last go-live; NaT when nothing is scheduled), ``months_sooner``
    (negative: later), ``risk_exposure_change`` (risk-months; negative is better),
    ``newly_scheduled`` and ``newly_unscheduled`` (projects), ``placed_by`` (current plan,
    plan order or search: see the module notes). ``exposure`` is the plan's risk exposure
    measured to the horizon.
    """

    table: pd.DataFrame
    end: pd.Timestamp | None
    exposure: float

    def __post_init__(self) -> None:
        tidy_tables(self)  # text as object, ordered categoricals (inventory.schema.tidy)

    @property
    def helpful(self) -> pd.DataFrame:
        """The levers that cut risk exposure or bring the end sooner."""
        table = self.table
        return table[(table["risk_exposure_change"] < 0) | (table["months_sooner"] > 0)]

    def summary(self) -> str:
        """One line: how many levers, the plan's end, and the lever worth most."""
        end = f"ending {self.end:%b %Y}" if self.end is not None else "with nothing scheduled"
        text = f"{len(self.table)} levers on the plan {end}"
        helpful = self.helpful
        if not len(helpful):
            return text + "; none brings it sooner or cuts its risk exposure"
        best = helpful.iloc[0]
        months = int(best["months_sooner"])
        when = (
            f"{plural(months, 'month')} sooner"
            if months > 0
            else f"{plural(-months, 'month')} later"
            if months < 0
            else "same end"
        )
        return (
            f"{text}; {len(helpful)} of them {verb(len(helpful), 'help')}, most of all: "
            f"{best['lever']} ({when}, "
            f"risk exposure {best['risk_exposure_change']:+,.0f} risk-months)"
        )

    def __repr__(self) -> str:
        return f"<Levers: {self.summary()}>"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.summary())}</p>" + self.table.to_html(escape=True)


@dataclass(frozen=True)
class _Lever:
    lever: str
    kind: str
    change: str
    arrays: dict[str, object]


def levers(result: PlanResult, *, fte: float = 1.0, capital_uplift: float = 0.10) -> Levers:
    """What ``fte`` more people in each team, ``capital_uplift`` more capital in each year,
    each change freeze lifted and each binding contract would do to ``result`` (see the
    module notes)."""
    for name, value in (("fte", fte), ("capital_uplift", capital_uplift)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidArgumentError(name, f"{name} must be a number, not {value!r}")
        if not (math.isfinite(value) and value > 0):
            raise InvalidArgumentError(name, f"{name} must be a number above 0, not {value:g}")
    problem, sequence = result.problem, result.sequence
    if problem is None or sequence is None:
        raise InvalidArgumentError(
            "result", "this plan carries no schedule to place again; make it with planner.plan"
        )
    policy = result.policy
    unit_at = pd.Index(problem.names).get_indexer(pd.Index(result.schedule["unit"]))

    def exposure(placement: Placement) -> float:
        return _exposure(result, unit_at, placement)

    if policy.schedule.method == "fast":  # the search on the same problem gives the same order
        base = problem.place(sequence)
    else:
        base, sequence, _ = _best(
            problem, policy, sequence, problem.place(sequence), None, exposure
        )

    base_end = _end(base)
    base_exposure = exposure(base)
    placed = base.start_at >= 0
    rows = []
    for lever in _levers(result, problem, base, fte, capital_uplift):
        changed = problem.with_arrays(**lever.arrays)
        replay = changed.place(sequence)
        if _same(replay, base):
            placement, how = base, "current plan"
        else:
            placement, _, how = _best(changed, policy, sequence, replay, base, exposure)
        end = _end(placement)
        now = placement.start_at >= 0
        rows.append(
            {
                "lever": lever.lever,
                "kind": lever.kind,
                "change": lever.change,
                "programme_end": _date(problem, end),
                "months_sooner": base_end - end,
                "risk_exposure_change": round(exposure(placement) - base_exposure, 6),
                "newly_scheduled": int((now & ~placed).sum()),
                "newly_unscheduled": int((placed & ~now).sum()),
                "placed_by": how,
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    table = table.astype({"programme_end": "datetime64[ns]", "risk_exposure_change": float})
    table = table.sort_values(
        ["risk_exposure_change", "months_sooner"], ascending=[True, False], kind="stable"
    )
    table.index = pd.RangeIndex(1, len(table) + 1, name="rank")
    return Levers(table, _date(problem, base_end), base_exposure)


def _levers(
    result: PlanResult, problem: Problem, base: Placement, fte: float, uplift: float
) -> Iterator[_Lever]:
    """Every lever on the plan, each as the arrays it changes."""
    a = problem.arrays
    for j, team in enumerate(problem.team_names):
        capacity = a.capacity.copy()
        capacity[j] += fte
        yield _Lever(
            f"Add {fte:g} FTE to the {team} team",
            "team",
            f"{team} {a.capacity[j]:g} to {capacity[j]:g} FTE (+{fte:g})",
            {"capacity": capacity},
        )
    end = _end(base)
    for year in np.unique(a.fy_index[: max(end, 1)]).tolist():
        budget = float(a.capital_budget[year])
        if not (np.isfinite(budget) and budget > 0):
            continue
        capital = a.capital_budget.copy()
        capital[year] = budget * (1 + uplift)
        label = problem.fy_labels[year]
        yield _Lever(
            f"Add {uplift:.0%} to the {label} capital budget",
            "capital",
            f"{label} capital {pounds(budget)} to {pounds(capital[year])} "
            f"(+{pounds(budget * uplift)})",
            {"capital_budget": capital},
        )
    if a.cap_running >= 0:
        more = a.cap_running + max(1, int(np.ceil(a.cap_running * CAP_UPLIFT)))
        yield _Lever(
            f"Allow {more} projects at once",
            "cap",
            f"at most {a.cap_running} to {more} projects running at once "
            "(schedule.max_concurrent_projects)",
            {"cap_running": more},
        )
    month_of_year = problem.calendar.month_of_year
    for month in result.policy.schedule.freeze_months:
        name = f"{pd.Timestamp(2000, month, 1):%B}"
        yield _Lever(
            f"Lift the {name} change freeze",
            "freeze",
            f"go-lives allowed in {name}",
            {"frozen": a.frozen & (month_of_year != month)},
        )
    yield from _contract_levers(result, problem, base)


def _contract_levers(result: PlanResult, problem: Problem, base: Placement) -> Iterator[_Lever]:
    """End early each contract that sets a project's earliest start; where contract ends are
    deadlines, extend each one that leaves its project unscheduled."""
    a = problem.arrays
    calendar = problem.calendar
    for i in np.flatnonzero(base.earliest_from == -2).tolist():
        contract = a.contract_month.copy()
        contract[i] = NO_CONTRACT
        unit = problem.names[i]
        ends = problem.not_before.iloc[i]
        yield _Lever(
            f"End the contract for {_label(result, unit)} early (break clause)",
            "contract",
            f"{unit} may go live before its contract ends ({ends:%b %Y})",
            {"contract_month": contract},
        )
    if not result.policy.schedule.contract_deadline:
        return
    missed = (base.status == NO_ROOM) & (a.deadline < problem.horizon)
    for i in np.flatnonzero(missed).tolist():
        deadline = a.deadline.copy()
        deadline[i] += EXTENSION_MONTHS
        unit = problem.names[i]
        yield _Lever(
            f"Extend the contract for {_label(result, unit)} by {EXTENSION_MONTHS} months",
            "contract",
            f"{unit} must go live by {_month(calendar, deadline[i])}, not "
            f"{_month(calendar, a.deadline[i])}",
            {"deadline": deadline},
        )


def _best(
    problem: Problem,
    policy: Policy,
    sequence: np.ndarray,
    replay: Placement,
    current: Placement | None,
    exposure,
) -> tuple[Placement, np.ndarray, str]:
    """The best of ``current`` (if any), ``replay`` (``sequence`` placed) and the search on
    ``problem``: the fewest unscheduled, then the least risk exposure (``exposure`` of a
    placement), then the earliest end, ties to the earlier candidate. A candidate that ends
    later than ``current`` is set aside while another does not. Returns the placement, its
    processing order and which it was."""
    order, _ = search(problem, policy)
    candidates = [("plan order", sequence, replay), ("search", order, problem.place(order))]
    if current is not None:
        candidates.insert(0, ("current plan", sequence, current))

    def unscheduled(candidate: tuple[str, np.ndarray, Placement]) -> int:
        return int((candidate[2].start_at < 0).sum())

    fewest = min(map(unscheduled, candidates))
    candidates = [c for c in candidates if unscheduled(c) == fewest]
    if current is not None:
        limit = _end(current)
        candidates = [c for c in candidates if _end(c[2]) <= limit] or candidates

    def judged(candidate: tuple[str, np.ndarray, Placement]) -> tuple[float, int]:
        return round(exposure(candidate[2]), 6), _end(candidate[2])

    how, order, placement = min(candidates, key=judged)
    return placement, order, how


def _same(one: Placement, other: Placement) -> bool:
    return np.array_equal(one.start_at, other.start_at) and np.array_equal(
        one.lengths, other.lengths
    )


def _end(placement: Placement) -> int:
    """The programme's end: months from the start to the last go-live (0: nothing placed)."""
    placed = placement.start_at >= 0
    ends = placement.start_at[placed] + placement.lengths[placed]
    return int(ends.max()) if len(ends) else 0


def _date(problem: Problem, end: int) -> pd.Timestamp | None:
    """The last day of the programme ending ``end`` months after the start (None: empty)."""
    return problem.calendar.month_end(end - 1) if end > 0 else None


def _exposure(result: PlanResult, unit_at: np.ndarray, placement: Placement) -> float:
    """Area under the risk burn-down, to the horizon, with the units placed as given."""
    placed = placement.start_at >= 0
    finish = np.where(placed, placement.start_at + placement.lengths - 1, np.nan)
    go_live = pd.Series(finish[unit_at], index=result.schedule.index)
    burndown = risk_burndown(
        result.inventory.systems, result.scores, go_live, result.policy, result.calendar
    )
    return float(burndown["plan_risk"].sum())


def _label(result: PlanResult, unit: str) -> str:
    """A project as a CIO knows it: its system's name, or the unit id for a move group."""
    names = result.schedule.loc[result.schedule["unit"] == unit, "name"]
    return str(names.iloc[0]) if len(names) == 1 else unit


def _month(calendar: Calendar, index: int) -> str:
    return f"{calendar.month_end(int(index)):%b %Y}"
