"""What a board reads first: the headline figures (never hiding what is not scheduled),
what is not in the plan and why, the major programmes by cost, the roadmap by category and
the full project list.

Each function takes a :class:`~planner.plan.PlanResult` and returns plain data.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> headline(result).text == result.headline
True
>>> major_programmes(result).index[0]
'pas'
>>> roadmap_by_category(result).loc["PAS", ["projects", "not_scheduled"]].tolist()
[1, 0]
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

__all__ = [
    "Headline",
    "headline",
    "major_programmes",
    "not_scheduled",
    "project_list",
    "project_names",
    "roadmap_by_category",
]


@dataclass(frozen=True)
class Headline:
    """The executive summary's figures. ``text`` is the plan's own headline
    (:attr:`~planner.plan.PlanResult.headline`: "N of M projects planned (£X); K not
    scheduled (S systems, £Y)"), and the counts behind it are the same: ``projects`` of
    ``total_projects`` scheduled, ``not_scheduled`` projects holding
    ``not_scheduled_systems`` systems and costing ``not_scheduled_cost_gbp``. ``p50_end``
    and ``p80_end`` are the forecast's programme end (None without a forecast, NaT when
    beyond the horizon)."""

    text: str
    start: pd.Timestamp
    end: pd.Timestamp | None
    months: int
    projects: int
    total_projects: int
    systems: int
    total_cost_gbp: float
    not_scheduled: int
    not_scheduled_systems: int
    not_scheduled_cost_gbp: float
    risk_now: float
    risk_at_end: float
    risk_exposure: float
    retained: int
    #: planned systems running past their end of support (PlanResult.late_for_end_of_support)
    deadlines_missed: int
    #: of which already out of support when the plan starts
    already_unsupported: int
    contracts_to_extend: int
    contract_extension_gbp: float
    double_running_gbp: float
    accepted_risks: int
    p50_end: pd.Timestamp | None = None
    p80_end: pd.Timestamp | None = None

    @property
    def risk_reduction(self) -> float:
        """The share of today's risk the plan removes (0 when there is none)."""
        return 1 - self.risk_at_end / self.risk_now if self.risk_now else 0.0


def headline(result, forecast=None) -> Headline:
    """The headline figures of a plan and, given one, of its Monte Carlo forecast.

    ``retained`` counts the systems nobody plans to replace (disposition retain).
    """
    end = result.end
    months = (
        (end.year - result.start.year) * 12 + end.month - result.start.month + 1
        if end is not None
        else 0
    )
    units, schedule = result.units, result.schedule
    ends = forecast.programme["go_live"] if forecast is not None else None
    run_costs = result.run_costs
    late = result.late_for_end_of_support
    return Headline(
        text=result.headline,
        start=result.start,
        end=end,
        months=months,
        projects=int(units["scheduled"].sum()),
        total_projects=len(units),
        systems=int(schedule["scheduled"].sum()),
        total_cost_gbp=result.total_cost,
        not_scheduled=int((~units["scheduled"]).sum()),
        not_scheduled_systems=int((~schedule["scheduled"]).sum()),
        not_scheduled_cost_gbp=result.unscheduled_cost,
        risk_now=float(result.burndown["plan_risk"].iloc[0]),
        risk_at_end=float(result.burndown["plan_risk"].iloc[-1]),
        risk_exposure=result.risk_exposure,
        retained=int((~result.scores["planned"]).sum()),
        deadlines_missed=len(late),
        already_unsupported=int((schedule.loc[late, "end_of_support"] < result.start).sum()),
        contracts_to_extend=len(result.contract_extensions),
        contract_extension_gbp=float(result.contract_extensions["cost_gbp"].sum())
        if len(result.contract_extensions)
        else 0.0,
        double_running_gbp=float(run_costs["double_running_gbp"].sum()) if len(run_costs) else 0.0,
        accepted_risks=len(result.accepted_risks),
        p50_end=ends["P50"] if ends is not None else None,
        p80_end=ends["P80"] if ends is not None else None,
    )


def project_names(result, units: pd.DataFrame) -> pd.Series:
    """A project's name: its system's name, or the move group's members' names."""
    names = result.inventory.systems["name"]
    return units["members"].map(
        lambda m: names[m[0]] if len(m) == 1 else " + ".join(names[s] for s in m)
    )


def not_scheduled(result) -> pd.DataFrame:
    """The projects the plan could not fit, each with the reason the scheduler gives. A
    project left out only because it waits for another that is left out is not listed on
    its own: it is counted against the project it waits for (``waiting`` projects costing
    ``waiting_cost_gbp``), so the one project holding many back reads as one line. Largest
    first, by the cost held up.

    A PAS needing two integration engineers, with one in the team, and the ED that comes
    after it:

    >>> import planner
    >>> from inventory.model import Inventory
    >>> trust = Inventory.from_records(
    ...     [{"id": "pas", "name": "PAS", "disposition": "replace",
    ...       "team_demand": {"integration": 2}, "replacement_cost_gbp_likely": 2e6},
    ...      {"id": "ed", "name": "ED", "disposition": "replace", "after": ["pas"],
    ...       "replacement_cost_gbp_likely": 5e5}], [])
    >>> frame = not_scheduled(planner.plan(trust, teams={"integration": 1}))
    >>> frame.index.tolist(), frame.loc["pas", "waiting"], frame.loc["pas", "waiting_cost_gbp"]
    (['pas'], np.int64(1), np.float64(500000.0))
    >>> frame.loc["pas", "why"]  # doctest: +ELLIPSIS
    'needs 2 FTE of integration a month but the team has 1 (...)'
    """
    units = result.units[~result.units["scheduled"]]
    columns = ["project", "cost_gbp", "why", "waiting", "waiting_cost_gbp"]
    if units.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="unit"))
    left_out = units.index
    links = result.links[
        result.links["before"].isin(left_out) & result.links["after"].isin(left_out)
    ]
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(left_out)
    graph.add_edges_from(zip(links["before"], links["after"], strict=True))
    roots = [unit for unit in left_out if graph.in_degree(unit) == 0]
    reached = set(roots).union(*(nx.descendants(graph, root) for root in roots))
    roots += [unit for unit in left_out if unit not in reached]  # in a cycle of constraints
    waiting = [sorted(nx.descendants(graph, root) - {root}) for root in roots]
    cost = units["cost_gbp"]
    frame = pd.DataFrame(
        {
            "project": project_names(result, units.loc[roots]).to_numpy(),
            "cost_gbp": cost.loc[roots].to_numpy(dtype=float),
            "why": units.loc[roots, "not_scheduled_because"].to_numpy(),
            "waiting": [len(w) for w in waiting],
            "waiting_cost_gbp": [float(cost.loc[w].sum()) for w in waiting],
        },
        index=pd.Index(roots, name="unit"),
    )
    held_up = frame["cost_gbp"] + frame["waiting_cost_gbp"]
    return frame.iloc[(-held_up).argsort(kind="stable")][columns]


def major_programmes(result, top: int = 10) -> pd.DataFrame:
    """The ``top`` projects by cost, scheduled or not (a programme too large to fit is the
    first thing a board must see), with their share of the whole cost: the board's view of
    where the money goes (the priority order is another question). ``start`` and
    ``go_live`` are NaT for a project not scheduled."""
    units = result.units.sort_values(["cost_gbp", "start"], ascending=[False, True]).head(top)
    first = units["members"].map(lambda m: m[0])
    schedule = result.schedule
    total = result.total_cost + result.unscheduled_cost
    return pd.DataFrame(
        {
            "project": project_names(result, units),
            "category": result.inventory.systems["category"].reindex(first).to_numpy(),
            "start": units["start"],
            "go_live": units["go_live"],
            "scheduled": units["scheduled"].astype(bool),
            "cost_gbp": units["cost_gbp"],
            "share": units["cost_gbp"] / total if total else 0.0,
            "risk_rating": schedule["risk_rating"].reindex(first).to_numpy(),
        },
        index=units.index,
    )


def roadmap_by_category(result) -> pd.DataFrame:
    """Per category (a project's is its first system's, as in the Gantt): projects scheduled
    and not, the systems and cost of those scheduled, first start and last go-live, in
    order of the first start (categories with nothing scheduled last)."""
    units = result.units
    first = units["members"].map(lambda m: m[0])
    category = result.inventory.systems["category"].reindex(first).astype(str).to_numpy()
    frame = units.assign(category=category, systems=units["members"].map(len))
    done = frame[frame["scheduled"]].groupby("category")
    table = pd.DataFrame(
        {
            "projects": done.size(),
            "not_scheduled": (~frame["scheduled"]).groupby(frame["category"]).sum(),
            "systems": done["systems"].sum(),
            "cost_gbp": done["cost_gbp"].sum(),
            "first_start": done["start"].min(),
            "last_go_live": done["go_live"].max(),
        }
    )
    table = table.fillna({"projects": 0, "systems": 0, "cost_gbp": 0.0})
    table = table.astype({"projects": "int64", "systems": "int64", "not_scheduled": "int64"})
    table.index.name = "category"
    return table.sort_values(["first_start", "last_go_live"], na_position="last", kind="stable")


def project_list(result) -> pd.DataFrame:
    """Every planned system in go-live order: its project, category, wave, dates (with the
    business case approval and the clinical safety sign-off before them), cost and risk;
    those not scheduled last."""
    schedule = result.schedule
    frame = schedule[
        [
            "name",
            "category",
            "unit",
            "wave",
            "approved_by",
            "start",
            "safety_signoff",
            "go_live",
            "scheduled",
            "cost_gbp",
            "risk_rating",
        ]
    ]
    return frame.sort_values(["go_live", "start"], na_position="last", kind="stable")
