"""What a board reads first: the headline figures, what is not in the plan and why, the
major programmes by cost, the roadmap by category and the full project list.

Each function takes a :class:`~planner.plan.PlanResult` and returns plain data.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> major_programmes(result).index[0]
'pas'
>>> int(roadmap_by_category(result).loc["PAS", "projects"])
1
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "Headline",
    "headline",
    "major_programmes",
    "not_scheduled",
    "project_list",
    "roadmap_by_category",
]


@dataclass(frozen=True)
class Headline:
    """The executive summary's figures. ``p50_end`` and ``p80_end`` are the forecast's
    programme end (None without a forecast, NaT when beyond the horizon)."""

    start: pd.Timestamp
    end: pd.Timestamp | None
    months: int
    projects: int
    systems: int
    total_cost_gbp: float
    risk_now: float
    risk_at_end: float
    risk_exposure: float
    not_scheduled: int
    retained: int
    deadlines_missed: int
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
    scores = result.scores
    ends = forecast.programme["go-live"] if forecast is not None else None
    return Headline(
        start=result.start,
        end=end,
        months=months,
        projects=int(result.units["scheduled"].sum()),
        systems=int(result.schedule["scheduled"].sum()),
        total_cost_gbp=result.total_cost,
        risk_now=float(result.burndown["plan_risk"].iloc[0]),
        risk_at_end=float(result.burndown["plan_risk"].iloc[-1]),
        risk_exposure=result.risk_exposure,
        not_scheduled=int((~result.units["scheduled"]).sum()),
        retained=int((~scores["planned"]).sum()),
        deadlines_missed=int((result.warnings["kind"] == "deadline").sum()),
        p50_end=ends["P50"] if ends is not None else None,
        p80_end=ends["P80"] if ends is not None else None,
    )


def _unit_names(result, units: pd.DataFrame) -> pd.Series:
    """A project's name: its system's name, or the move group's members' names."""
    names = result.inventory.systems["name"]
    return units["members"].map(
        lambda m: names[m[0]] if len(m) == 1 else " + ".join(names[s] for s in m)
    )


def not_scheduled(result) -> pd.DataFrame:
    """The projects the plan could not fit, each with the reason the scheduler gives.

    >>> import planner
    >>> not_scheduled(planner.plan("data/examples/five-systems")).empty
    True
    """
    units = result.units[~result.units["scheduled"]]
    return pd.DataFrame(
        {
            "project": _unit_names(result, units),
            "cost_gbp": units["cost_gbp"],
            "why": units["not_scheduled_because"],
        },
        index=units.index,
    )


def major_programmes(result, top: int = 10) -> pd.DataFrame:
    """The ``top`` scheduled projects by cost, with their share of the plan's cost: the
    board's view of where the money goes (the priority order is another question)."""
    units = result.units[result.units["scheduled"]]
    units = units.sort_values(["cost_gbp", "start"], ascending=[False, True]).head(top)
    first = units["members"].map(lambda m: m[0])
    schedule = result.schedule
    total = result.total_cost
    return pd.DataFrame(
        {
            "project": _unit_names(result, units),
            "category": result.inventory.systems["category"].reindex(first).to_numpy(),
            "start": units["start"],
            "go_live": units["go_live"],
            "cost_gbp": units["cost_gbp"],
            "share": units["cost_gbp"] / total if total else 0.0,
            "risk_rating": schedule["risk_rating"].reindex(first).to_numpy(),
        },
        index=units.index,
    )


def roadmap_by_category(result) -> pd.DataFrame:
    """Per category: scheduled projects and systems, cost, first start and last go-live,
    in order of the first start."""
    schedule = result.scheduled
    grouped = schedule.groupby("category", observed=True)
    frame = pd.DataFrame(
        {
            "projects": grouped["unit"].nunique(),
            "systems": grouped.size(),
            "cost_gbp": grouped["cost_gbp"].sum(),
            "first_start": grouped["start"].min(),
            "last_go_live": grouped["go_live"].max(),
        }
    )
    return frame.sort_values(["first_start", "last_go_live"], kind="stable")


def project_list(result) -> pd.DataFrame:
    """Every planned system in go-live order: its project, category, wave, dates, cost and
    risk; those not scheduled last."""
    schedule = result.schedule
    frame = schedule[
        ["name", "category", "unit", "wave", "start", "go_live", "cost_gbp", "risk_rating"]
    ]
    return frame.sort_values(["go_live", "start"], na_position="last", kind="stable")
