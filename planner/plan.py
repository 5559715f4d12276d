"""The whole pipeline, inventory to roadmap, and the plan result it returns.

:func:`make_plan` composes the pure steps (impact, scores, planning units, schedule, risk
burn-down) and returns a :class:`PlanResult` whose parts are DataFrames.

Examples
--------
>>> from inventory import load_inventory
>>> result = make_plan(load_inventory("data/sample-trust"))
>>> result.schedule.loc["epr", "start"] <= result.schedule.loc["pas", "start"]
True
>>> bool((result.spend_by_fy["spend_gbp"] <= result.spend_by_fy["budget_gbp"] + 1).all())
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inventory.errors import InvalidArgumentError
from inventory.lifecycle import derive_end_of_support
from inventory.model import Inventory
from planner.impact import downstream_impact, impact_method
from planner.ordering import planning_units
from planner.policy import Policy, load_policy
from planner.schedule import Calendar, Problem, schedule_units
from planner.scoring import score

__all__ = ["PlanResult", "make_plan", "risk_burndown"]

WARNING_ORDER = (
    "impossible",
    "unscheduled",
    "budget",
    "capacity",
    "deadline",
    "exposure",
    "constraint",
    "estimate",
)
#: Systems left out of support longer than this before their go-live are called out.
EXPOSURE_MONTHS = 24


@dataclass(frozen=True)
class PlanResult:
    """A roadmap: scores, the schedule, spend per financial year, risk burn-down, warnings."""

    inventory: Inventory
    policy: Policy
    scores: pd.DataFrame
    impact: pd.DataFrame
    units: pd.DataFrame
    links: pd.DataFrame
    schedule: pd.DataFrame
    spend_by_fy: pd.DataFrame
    unit_spend: pd.DataFrame
    team_usage: pd.DataFrame
    burndown: pd.DataFrame
    warnings: pd.DataFrame
    calendar: Calendar = field(repr=False)
    #: the downstream impact method used, in words (see planner.impact.impact_method)
    impact_method: str = "exact"
    #: how the schedule was chosen and its objective (see planner.schedule.search)
    search: dict = field(default_factory=dict, repr=False)
    #: the scheduling problem and the processing order of the plan (for forecasts)
    problem: Problem | None = field(default=None, repr=False)
    sequence: np.ndarray | None = field(default=None, repr=False)

    @property
    def scheduled(self) -> pd.DataFrame:
        return self.schedule[self.schedule["scheduled"]]

    @property
    def start(self) -> pd.Timestamp:
        return self.policy.plan_start

    @property
    def end(self) -> pd.Timestamp | None:
        done = self.scheduled["go_live"]
        return done.max() if len(done) else None

    @property
    def total_cost(self) -> float:
        return float(self.scheduled["cost_gbp"].sum())

    @property
    def risk_exposure(self) -> float:
        """Area under the plan's risk burn-down (risk points x months)."""
        return float(self.burndown["plan_risk"].sum())

    def for_organisation(self, organisation: str) -> PlanResult:
        """The part of the plan for one organisation (its systems, projects and spend), to
        hand to that organisation or to export as its own project file."""
        code = organisation.strip().upper()
        systems = self.inventory.systems
        mine = systems.index[systems["organisation"] == code]
        if not len(mine):
            raise InvalidArgumentError(
                "organisation", f"no systems belong to organisation '{organisation}'"
            )
        units = self.units[self.units["members"].map(lambda m: m[0] in set(mine))]
        schedule = self.schedule[self.schedule["unit"].isin(units.index)]
        deps = self.inventory.dependencies
        inventory = Inventory(
            systems.loc[mine],
            deps[deps["consumer"].isin(mine) & deps["provider"].isin(mine)],
        )
        unit_spend = self.unit_spend.loc[units.index]
        spend = self.spend_by_fy.copy()
        spend["spend_gbp"] = unit_spend.reindex(columns=spend["financial_year"]).sum().to_numpy()
        spend["budget_gbp"] = np.nan  # budgets are the programme's, not one organisation's
        spend["headroom_gbp"] = np.nan
        scores = self.scores.loc[self.scores.index.intersection(mine)]
        burndown = risk_burndown(
            systems.loc[mine], scores, schedule["finish_month"], self.policy, self.calendar
        ).iloc[: len(self.burndown)]
        warnings = self.warnings[self.warnings["system"].isin(units.index)]
        return PlanResult(
            inventory=inventory,
            policy=self.policy,
            scores=scores,
            impact=self.impact.loc[self.impact.index.intersection(mine)],
            units=units,
            links=self.links[
                self.links["before"].isin(units.index) & self.links["after"].isin(units.index)
            ],
            schedule=schedule,
            spend_by_fy=spend,
            unit_spend=unit_spend,
            team_usage=self.team_usage,
            burndown=burndown.reset_index(drop=True),
            warnings=warnings.reset_index(drop=True),
            calendar=self.calendar,
            impact_method=self.impact_method,
        )

    def by_organisation(self) -> pd.DataFrame:
        """One row per organisation: what is planned, when, for how much, and the risk."""
        systems = self.inventory.systems
        schedule = self.schedule.join(systems["organisation"])
        scores = self.scores.join(systems["organisation"])
        risk = scores.assign(extreme=scores["risk_rating"] == "extreme").groupby("organisation")
        frame = pd.DataFrame(
            {
                "systems": risk.size(),
                "extreme risk": risk["extreme"].sum().astype("int64"),
                "risk now": risk["risk"].sum(),
            }
        )
        grouped = schedule.assign(unscheduled=~schedule["scheduled"]).groupby("organisation")
        planned = pd.DataFrame(
            {
                "systems planned": grouped.size(),
                "not scheduled": grouped["unscheduled"].sum().astype("int64"),
                "cost_gbp": grouped["cost_gbp"].sum(),
                "first start": grouped["start"].min(),
                "last go-live": grouped["go_live"].max(),
            }
        )
        frame = planned.join(frame, how="outer")
        frame = frame.fillna({"systems planned": 0, "not scheduled": 0, "cost_gbp": 0.0})
        frame = frame.astype({"systems planned": "int64", "not scheduled": "int64"})
        return frame.sort_values("risk now", ascending=False)

    def summary(self) -> dict:
        """Headline figures for a board paper."""
        return {
            "systems planned": len(self.schedule),
            "projects": len(self.units),
            "scheduled": int(self.scheduled["unit"].nunique()),
            "not scheduled": int((~self.units["scheduled"]).sum()),
            "start": self.start.date().isoformat(),
            "last go-live": self.end.date().isoformat() if self.end is not None else None,
            "total cost (GBP)": round(self.total_cost),
            "risk now": round(float(self.burndown["plan_risk"].iloc[0]), 1),
            "risk at end": round(float(self.burndown["plan_risk"].iloc[-1]), 1),
            "warnings": len(self.warnings),
            "impact method": self.impact_method,
            **{
                key: (round(value, 1) if isinstance(value, float) else value)
                for key, value in self.search.items()
                if key
                in (
                    "method",
                    "programme (months)",
                    "risk exposure (risk-months)",
                    "risk-weighted mean go-live (months)",
                )
            },
        }

    def __repr__(self) -> str:
        end = f"{self.end:%b %Y}" if self.end is not None else "nothing scheduled"
        return (
            f"<PlanResult: {len(self.schedule)} systems in {len(self.units)} projects, "
            f"{self.start:%b %Y} to {end}, £{self.total_cost / 1e6:,.1f}m, "
            f"{len(self.warnings)} warnings>"
        )

    def _repr_html_(self) -> str:
        facts = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.summary().items()
        )
        head = self.schedule[
            ["name", "unit", "start", "go_live", "cost_gbp", "wave", "critical"]
        ].head(15)
        return f"<p>{html.escape(repr(self))}</p><table>{facts}</table>{head.to_html(escape=True)}"


def risk_burndown(
    systems: pd.DataFrame,
    scores: pd.DataFrame,
    go_live_month: pd.Series,
    policy: Policy,
    calendar: Calendar,
) -> pd.DataFrame:
    """Total estate risk in each month, with the plan and with nothing replaced.

    Likelihood moves as end-of-support dates pass (the support and unsupported-hosting points
    are re-evaluated month by month; other factors stay as scored). A system's risk leaves the
    plan line the month after its go-live (or decommissioning). Work is O(systems + months):
    each system adds at most four steps to a difference array.
    """
    months = calendar.months
    rules = policy.risk.likelihood
    support = rules.support
    scores = scores.reindex(systems.index)
    static = (
        1.0
        + scores["likelihood_age"]
        + scores["likelihood_vulnerabilities"]
        + scores["likelihood_skills"]
    ).to_numpy()
    consequence = scores["consequence"].to_numpy()
    eos = systems["end_of_support"]
    known = eos.notna().to_numpy()
    saas = (systems["hosting"] == "SaaS").to_numpy()
    by_trust = systems["hosting"].isin(("on-premises", "private cloud")).to_numpy()
    eos_index = (
        ((eos.dt.year - calendar.start.year) * 12 + eos.dt.month - calendar.start.month + 1)
        .fillna(0)
        .to_numpy(dtype=np.int64)
    )
    unknown_points = np.where(saas, 0.0, support.unknown)
    points = np.stack(
        [
            np.zeros(len(systems)),
            np.full(len(systems), support.within_24_months),
            np.full(len(systems), support.within_12_months),
            support.past + np.where(by_trust, rules.unsupported_hosting, 0.0),
        ]
    )
    points[:, ~known] = unknown_points[~known]
    values = 4.0 * np.minimum(5.0, static + points) * consequence  # 4 segments x systems
    bounds = np.stack([np.zeros(len(systems)), eos_index - 24, eos_index - 12, eos_index])
    bounds[:, ~known] = 0
    bounds = np.clip(bounds, 0, months).astype(np.int64)
    # the segment holding month 0 starts at 0
    difference = np.zeros(months + 1)
    for segment in range(4):
        previous = values[segment - 1] if segment else 0.0
        np.add.at(difference, bounds[segment], values[segment] - previous)
    do_nothing = np.cumsum(difference)[:months]
    removed = go_live_month.reindex(systems.index).to_numpy(dtype=float) + 1
    has = ~np.isnan(removed) & (removed < months)
    at = removed[has].astype(np.int64)
    segment_at = (at[None, :] >= bounds[:, has]).sum(axis=0) - 1
    value_at = values[segment_at, np.flatnonzero(has)]
    plan_difference = difference.copy()
    np.add.at(plan_difference, at, -value_at)
    # after removal the system's later steps must not come back
    for segment in range(1, 4):
        later = bounds[segment, has] > at
        previous = values[segment - 1, has]
        np.add.at(
            plan_difference, bounds[segment, has][later], -(values[segment, has] - previous)[later]
        )
    plan = np.cumsum(plan_difference)[:months]
    return pd.DataFrame(
        {"month": calendar.month_starts, "plan_risk": plan, "do_nothing_risk": do_nothing}
    )


def make_plan(
    inventory: Inventory,
    policy: Policy | None = None,
    *,
    impact: pd.DataFrame | None = None,
) -> PlanResult:
    """Score, order and schedule an inventory under a policy (the default policy if None)."""
    policy = policy or load_policy()
    systems, dependencies = inventory.systems, inventory.dependencies
    if "end_of_support_source" not in systems:
        systems = derive_end_of_support(systems)
        inventory = Inventory(systems, dependencies)
    impact = (
        impact
        if impact is not None
        else downstream_impact(
            systems,
            dependencies,
            criticality_weights=policy.impact.criticality_weights.model_dump(),
            method=policy.impact.method,
            exact_up_to=policy.impact.exact_up_to,
        )
    )
    scores = score(systems, impact, policy)
    ordering = planning_units(systems, dependencies, policy)
    units, links, warnings = ordering.units, ordering.links, ordering.warnings
    members = units["members"].explode()
    unit_priority = (
        scores["priority"].reindex(members.to_numpy()).groupby(members.index.to_numpy()).max()
    )
    unit_risk = scores["risk"].reindex(members.to_numpy()).groupby(members.index.to_numpy()).sum()
    result = schedule_units(
        units, links, unit_priority, policy, risk=unit_risk, impossible=ordering.impossible
    )
    warnings += result.warnings
    unit_frame = result.units
    member_unit = pd.Series(members.index.to_numpy(), index=members.to_numpy(), name="unit")
    schedule = _system_schedule(systems, scores, unit_frame, member_unit, policy.plan_start)
    spend_by_fy = _spend_by_fy(result, policy)
    burndown = risk_burndown(systems, scores, schedule["finish_month"], policy, result.calendar)
    end = int(np.nanmax(schedule["finish_month"])) + 13 if schedule["scheduled"].any() else 12
    burndown = burndown.iloc[: min(len(burndown), end)].reset_index(drop=True)
    warnings += _exposure_warnings(schedule, policy)
    warning_frame = pd.DataFrame(warnings, columns=["kind", "system", "message", "months"])
    warning_frame["kind"] = pd.Categorical(warning_frame["kind"], WARNING_ORDER, ordered=True)
    warning_frame = warning_frame.sort_values(["kind", "system"], kind="stable").reset_index(
        drop=True
    )
    warning_frame["kind"] = warning_frame["kind"].astype(str)
    return PlanResult(
        inventory=inventory,
        policy=policy,
        scores=scores,
        impact=impact,
        units=unit_frame,
        links=links,
        schedule=schedule,
        spend_by_fy=spend_by_fy,
        unit_spend=result.unit_spend,
        team_usage=result.team_usage,
        burndown=burndown,
        warnings=warning_frame,
        calendar=result.calendar,
        impact_method=impact_method(len(systems), policy.impact.method, policy.impact.exact_up_to),
        search=result.search,
        problem=result.problem,
        sequence=result.sequence,
    )


def _system_schedule(systems, scores, units, member_unit, plan_start) -> pd.DataFrame:
    planned = member_unit.index
    at = systems.index.get_indexer(planned)  # each lookup by id once, then positions
    unit_at = units.index.get_indexer(member_unit.to_numpy(dtype=object))
    score_at = scores.index.get_indexer(planned)
    frame = systems.iloc[at][["name", "category", "disposition"]].copy()
    frame.index = pd.Index(planned, name="id")
    frame["unit"] = member_unit.to_numpy(dtype=object)
    per_unit = units.iloc[unit_at]
    for column in (
        "start",
        "go_live",
        "start_month",
        "finish_month",
        "wave",
        "slack_months",
        "critical",
        "scheduled",
        "months_late",
        "not_scheduled_because",
        "months",
    ):
        frame[column] = per_unit[column].to_numpy()
    own_scores = scores.iloc[score_at]
    frame["cost_gbp"] = own_scores["cost_gbp"].to_numpy()
    frame["cost_estimated"] = own_scores["cost_estimated"].to_numpy()
    frame["end_of_support"] = systems["end_of_support"].to_numpy()[at]
    exposed_from = frame["end_of_support"].where(frame["end_of_support"] > plan_start, plan_start)
    unsupported = (frame["go_live"] - exposed_from).dt.days / (365.25 / 12)
    frame["months_unsupported_in_plan"] = unsupported.clip(lower=0).round(0)
    for column in ("rank", "priority", "risk", "risk_rating", "impact", "cost"):
        frame[column] = own_scores[column].to_numpy()
    frame["scheduled"] = frame["scheduled"].astype(bool)
    frame["critical"] = frame["critical"].fillna(False).astype(bool)
    return frame.sort_values(["start_month", "rank"], na_position="last", kind="stable")


def _exposure_warnings(schedule: pd.DataFrame, policy: Policy) -> list[dict]:
    """One warning listing systems that stay out of support for years before replacement."""
    exposed = schedule[
        (schedule["months_unsupported_in_plan"] > EXPOSURE_MONTHS)
        & schedule["risk_rating"].isin(["extreme", "high"])
    ].sort_values(["months_unsupported_in_plan", "rank"], ascending=[False, True])
    if exposed.empty:
        return []
    listed = ", ".join(
        f"{system} ({int(months)} months)"
        for system, months in exposed["months_unsupported_in_plan"].head(12).items()
    )
    more = f" and {len(exposed) - 12} more" if len(exposed) > 12 else ""
    return [
        {
            "kind": "exposure",
            "system": None,
            "message": f"{len(exposed)} high or extreme risk systems run out of support for more "
            f"than {EXPOSURE_MONTHS} months of the plan before they are replaced: {listed}{more}; "
            "consider "
            "compensating controls (isolation, extended support) or a larger budget",
        }
    ]


def _spend_by_fy(result, policy: Policy) -> pd.DataFrame:
    calendar = result.calendar
    labels = calendar.fy_labels
    spend = np.bincount(calendar.fy_index, weights=result.spend, minlength=len(labels))
    frame = pd.DataFrame(
        {
            "financial_year": labels,
            "budget_gbp": [policy.budget_for(label) for label in labels],
            "spend_gbp": spend,
        }
    )
    frame["headroom_gbp"] = frame["budget_gbp"] - frame["spend_gbp"]
    last = np.flatnonzero(frame["spend_gbp"] > 0)
    return frame.iloc[: (last[-1] + 1 if len(last) else 1)].reset_index(drop=True)
