"""The whole pipeline, inventory to roadmap, and the plan result it returns.

:func:`make_plan` composes the pure steps (impact, scores, planning units, schedule, risk
burn-down) and returns a :class:`PlanResult` whose parts are DataFrames.

Examples
--------
>>> from inventory import load_inventory
>>> result = make_plan(load_inventory("data/sample-trust"))
>>> result.schedule.loc["epr", "start"] <= result.schedule.loc["pas", "start"]
True
>>> spend = result.spend_by_fy
>>> bool((spend["capital_gbp"] <= spend["capital_budget_gbp"] + 1).all())
True
>>> result.headline  # doctest: +ELLIPSIS
'... of ... projects planned...'
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inventory.errors import InvalidArgumentError
from inventory.graph import first_occurrences
from inventory.lifecycle import derive_end_of_support
from inventory.model import Inventory
from inventory.schema import tidy_tables
from inventory.wording import plural
from planner import plan_checks
from planner.burndown import risk_burndown
from planner.impact import downstream_impact, impact_method
from planner.ordering import planning_units
from planner.policy import Policy, load_policy
from planner.run_costs import run_costs_by_fy
from planner.schedule import Calendar, Problem, ScheduleResult, schedule_units
from planner.scoring import beside_register, score

__all__ = ["ORGANISATION_LABELS", "PlanResult", "make_plan", "risk_burndown"]

WARNING_ORDER = (
    "impossible",
    "unscheduled",
    "assumption",
    "budget",
    "capacity",
    "deadline",
    "contract",
    "accepted risk",
    "exposure",
    "constraint",
    "estimate",
)

#: Display labels of :meth:`PlanResult.by_organisation`'s columns, for the workbook.
ORGANISATION_LABELS = {
    "systems_planned": "systems planned",
    "not_scheduled": "not scheduled",
    "first_start": "first start",
    "last_go_live": "last go-live",
    "extreme_risk": "extreme risk",
    "risk_now": "risk now",
}


@dataclass(frozen=True)
class PlanResult:
    """A roadmap: scores, the schedule, spend per financial year (capital and revenue, and
    the run cost), risk burn-down, contracts to extend, risks accepted, warnings."""

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
    #: running cost per financial year (see planner.run_costs)
    run_costs: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: planned systems that run past their contract's end (see planner.plan_checks)
    contract_extensions: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: retained systems at high or extreme risk
    accepted_risks: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: what held each project between its earliest start and its start (month ranges)
    held: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: (absorber, absorbed) projects: the absorbed is decommissioned after the absorber
    ties: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: the downstream impact method used, in words (see planner.impact.impact_method)
    impact_method: str = "exact"
    #: how the schedule was chosen and its objective (see planner.schedule.search)
    search: dict = field(default_factory=dict, repr=False)
    #: the scheduling problem and the processing order of the plan (for forecasts)
    problem: Problem | None = field(default=None, repr=False)
    sequence: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        tidy_tables(self)  # text as object, ordered categoricals (inventory.schema.tidy)

    @property
    def scored(self) -> pd.DataFrame:
        """The register beside its scores: ``inventory.systems.join(scores)``, in rank order.
        A column the register kept of its own under a score's name (a trust's own ``risk``
        or ``interfaces``) is suffixed ``_register``; the score keeps its name.

        >>> import planner
        >>> result = planner.plan("data/examples/five-systems")
        >>> first = result.scored.iloc[0]
        >>> first["name"], int(first["rank"]), "name" in result.scores
        ('Patient Administration System', 1, False)
        """
        return beside_register(self.inventory.systems, self.scores)

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
        """The cost of what is scheduled."""
        return float(self.scheduled["cost_gbp"].sum())

    @property
    def unscheduled_cost(self) -> float:
        """The cost of what is planned but could not be scheduled."""
        return float(self.schedule.loc[~self.schedule["scheduled"], "cost_gbp"].sum())

    @property
    def headline(self) -> str:
        """The plan in one line, never hiding what it leaves out: 'N of M projects planned
        (£X); K not scheduled (£Y)'.

        >>> import planner
        >>> planner.plan("data/examples/five-systems").headline  # doctest: +ELLIPSIS
        '4 of 4 projects planned (...), ... to ...'
        """
        done = int(self.units["scheduled"].sum())
        total = len(self.units)
        if not total:
            return "No projects: every system is retained or retired"
        missing = total - done
        when = f", {self.start:%b %Y} to {self.end:%b %Y}" if self.end is not None else ""
        text = f"{done} of {total} projects planned (£{self.total_cost / 1e6:,.1f}m){when}"
        if missing:
            systems = int((~self.schedule["scheduled"]).sum())
            text += (
                f"; {missing} not scheduled ({systems} systems, "
                f"£{self.unscheduled_cost / 1e6:,.1f}m)"
            )
        return text

    @property
    def late_for_end_of_support(self) -> pd.Index:
        """Planned systems that run past their end of support: live after it, or not
        scheduled at all; those already out of support when the plan starts included.

        >>> import planner
        >>> planner.plan("data/examples/five-systems").late_for_end_of_support.tolist()
        ['lab-db', 'pas', 'tie', 'ed']
        """
        schedule = self.schedule
        eos = schedule["end_of_support"]
        late = eos.notna() & (~schedule["scheduled"] | (schedule["go_live"] > eos))
        return schedule.index[late.to_numpy()]

    @property
    def risk_exposure(self) -> float:
        """The risk exposure: the area under the plan's risk burn-down (risk points x months,
        from the plan start to the horizon), the one figure ``summary()``, ``compare`` and
        ``levers`` report under that name (``docs/planning.md``)."""
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
        per_year = unit_spend.reindex(columns=spend.index).fillna(0.0)
        share = self.units["capital_share"].reindex(units.index).to_numpy(dtype=float)
        spend["capital_gbp"] = (per_year.to_numpy() * share[:, None]).sum(axis=0)
        spend["spend_gbp"] = per_year.sum().to_numpy()
        spend["revenue_gbp"] = spend["spend_gbp"] - spend["capital_gbp"]
        # budgets (and so headroom) are the programme's, not one organisation's
        budgets = [c for c in spend.columns if "budget" in c or "headroom" in c]
        spend[budgets] = np.nan
        scores = self.scores.loc[self.scores.index.intersection(mine)]
        burndown = risk_burndown(
            systems.loc[mine], scores, schedule["finish_month"], self.policy, self.calendar
        ).iloc[: len(self.burndown)]
        warnings = self.warnings[self.warnings["system"].isin(units.index)]
        run_costs = run_costs_by_fy(systems.loc[mine], schedule, self.calendar)
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
            burndown=burndown,
            warnings=warnings.reset_index(drop=True),
            calendar=self.calendar,
            impact_method=self.impact_method,
            run_costs=run_costs.iloc[: len(self.run_costs)],
            contract_extensions=self.contract_extensions[self.contract_extensions.index.isin(mine)],
            accepted_risks=self.accepted_risks[self.accepted_risks.index.isin(mine)],
            held=self.held[self.held["unit"].isin(units.index)],
            ties=self.ties[self.ties["absorber"].isin(units.index)],
        )

    def by_organisation(self) -> pd.DataFrame:
        """One row per organisation: what is planned, when, for how much, and the risk
        (display labels for the workbook in :data:`ORGANISATION_LABELS`)."""
        systems = self.inventory.systems
        schedule = self.schedule.join(systems["organisation"])
        scores = self.scores.join(systems["organisation"])
        risk = scores.assign(extreme=scores["risk_rating"] == "extreme").groupby("organisation")
        frame = pd.DataFrame(
            {
                "systems": risk.size(),
                "extreme_risk": risk["extreme"].sum().astype("int64"),
                "risk_now": risk["risk"].sum(),
            }
        )
        grouped = schedule.assign(unscheduled=~schedule["scheduled"]).groupby("organisation")
        planned = pd.DataFrame(
            {
                "systems_planned": grouped.size(),
                "not_scheduled": grouped["unscheduled"].sum().astype("int64"),
                "cost_gbp": grouped["cost_gbp"].sum(),
                "first_start": grouped["start"].min(),
                "last_go_live": grouped["go_live"].max(),
            }
        )
        frame = planned.join(frame, how="outer")
        frame = frame.fillna({"systems_planned": 0, "not_scheduled": 0, "cost_gbp": 0.0})
        frame = frame.astype({"systems_planned": "int64", "not_scheduled": "int64"})
        return frame.sort_values("risk_now", ascending=False)

    def summary(self) -> dict:
        """Headline figures for a board paper (what is left out is always among them)."""
        run = self.run_costs
        return {
            "plan": self.headline,
            "systems planned": len(self.schedule),
            "projects": len(self.units),
            "scheduled": int(self.units["scheduled"].sum()),
            "not scheduled": int((~self.units["scheduled"]).sum()),
            "not scheduled cost (GBP)": round(self.unscheduled_cost),
            "start": self.start.date().isoformat(),
            "last go-live": self.end.date().isoformat() if self.end is not None else None,
            "total cost (GBP)": round(self.total_cost),
            "capital (GBP)": round(float(self.spend_by_fy["capital_gbp"].sum())),
            "revenue (GBP)": round(float(self.spend_by_fy["revenue_gbp"].sum())),
            "run cost first year (GBP)": round(float(run["planned_gbp"].iloc[0]))
            if len(run)
            else None,
            "run cost last year (GBP)": round(float(run["planned_gbp"].iloc[-1]))
            if len(run)
            else None,
            "double running (GBP)": round(float(run["double_running_gbp"].sum()))
            if len(run)
            else 0,
            "contracts to extend": len(self.contract_extensions),
            "contract extensions (GBP)": round(float(self.contract_extensions["cost_gbp"].sum()))
            if len(self.contract_extensions)
            else 0,
            "accepted risks": len(self.accepted_risks),
            "risk now": round(float(self.burndown["plan_risk"].iloc[0]), 1),
            "risk at end": round(float(self.burndown["plan_risk"].iloc[-1]), 1),
            "risk exposure (risk-months)": round(self.risk_exposure),
            "warnings": len(self.warnings),
            "impact method": self.impact_method,
            **{
                key: (round(value, 1) if isinstance(value, float) else value)
                for key, value in self.search.items()
                if key
                in (
                    "method",
                    "programme (months)",
                    "risk-weighted mean go-live (months)",
                )
            },
        }

    def __repr__(self) -> str:
        return f"<PlanResult: {self.headline}; {plural(len(self.warnings), 'warning')}>"

    def _repr_html_(self) -> str:
        facts = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.summary().items()
        )
        head = self.schedule[
            ["name", "unit", "start", "go_live", "cost_gbp", "wave", "critical"]
        ].head(15)
        return f"<p>{html.escape(repr(self))}</p><table>{facts}</table>{head.to_html(escape=True)}"


def make_plan(
    inventory: Inventory,
    policy: Policy | None = None,
    *,
    impact: pd.DataFrame | None = None,
) -> PlanResult:
    """Score, order and schedule an inventory under a policy (the default policy if None)."""
    policy = policy or load_policy()
    systems, dependencies = inventory.systems, inventory.dependencies
    graph = inventory.array_graph  # ids become positions once per plan
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
            graph=graph,
        )
    )
    scores = score(systems, impact, policy)
    ordering = planning_units(systems, dependencies, policy, graph=graph)
    units, links, warnings = ordering.units, ordering.links, ordering.warnings
    # from here systems, scores and units join by position: scores are in rank order, so
    # each system's row in them is looked up once
    score_at = scores.index.get_indexer(systems.index)
    planned_at = np.flatnonzero(ordering.unit_at >= 0)
    by_unit = pd.DataFrame(
        {
            "priority": scores["priority"].to_numpy()[score_at[planned_at]],
            "risk": scores["risk"].to_numpy()[score_at[planned_at]],
        }
    ).groupby(ordering.unit_at[planned_at])
    unit_priority = pd.Series(by_unit["priority"].max().to_numpy(), index=units.index)
    unit_risk = pd.Series(by_unit["risk"].sum().to_numpy(), index=units.index)
    result = schedule_units(
        units,
        links,
        unit_priority,
        policy,
        risk=unit_risk,
        impossible=ordering.impossible,
        ties=ordering.ties,
    )
    warnings += result.warnings
    unit_frame = result.units
    calendar = result.calendar
    schedule = _system_schedule(
        systems, scores, unit_frame, ordering.unit_at, score_at, ordering.tie_at, policy, calendar
    )
    spend_by_fy = _spend_by_fy(result)
    burndown = risk_burndown(systems, scores, schedule["finish_month"], policy, calendar)
    end = int(np.nanmax(schedule["finish_month"])) + 13 if schedule["scheduled"].any() else 12
    burndown = burndown.iloc[: min(len(burndown), end)]
    run_costs = run_costs_by_fy(systems, schedule, calendar).iloc[: len(spend_by_fy) + 1]
    extensions = plan_checks.contract_extensions(systems, schedule, calendar)
    accepted = plan_checks.accepted_risks(systems, scores)
    capital = result.placement.by_month[0] if result.placement else np.zeros(0)
    warnings += (
        plan_checks.contract_warnings(extensions, calendar.start)
        + plan_checks.accepted_risk_warnings(accepted)
        + plan_checks.window_warnings(
            unit_frame, ordering.ties, policy.ordering.retire.window_months, result.held
        )
        + plan_checks.year_end_warnings(capital, calendar)
        + plan_checks.exposure_warnings(schedule)
        + plan_checks.example_warnings(policy)
        + plan_checks.nothing_planned_warnings(systems, scores)
        + plan_checks.duration_warnings(systems, scores, policy)
    )
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
        calendar=calendar,
        impact_method=impact_method(len(systems), policy.impact.method, policy.impact.exact_up_to),
        search=result.search,
        problem=result.problem,
        sequence=result.sequence,
        run_costs=run_costs,
        contract_extensions=extensions,
        accepted_risks=accepted,
        held=result.held,
        ties=ordering.ties,
    )


def _system_schedule(
    systems: pd.DataFrame,
    scores: pd.DataFrame,
    units: pd.DataFrame,
    unit_at: np.ndarray,
    score_at: np.ndarray,
    tie_at: np.ndarray,
    policy: Policy,
    calendar: Calendar,
) -> pd.DataFrame:
    """One row per planned system: its project's dates, its scores, when the legacy system
    stops running (``stop_month``) and when what replaces it goes live
    (``replaced_month``). Joined by position: ``unit_at`` and ``score_at`` are each system's
    row in ``units`` (-1 when not planned) and in ``scores``; ``tie_at`` the ties as unit rows
    (see :class:`planner.ordering.Ordering`)."""
    plan_start = policy.plan_start
    at = np.flatnonzero(unit_at >= 0)
    # rows in plan order: by start month (the unscheduled last), then rank
    order = np.lexsort(
        (
            scores["rank"].to_numpy()[score_at[at]],
            units["start_month"].to_numpy(dtype=float)[unit_at[at]],
        )
    )
    at = at[order]
    unit_row, score_row = unit_at[at], score_at[at]
    frame = systems[["name", "category", "disposition"]].iloc[at]
    frame.index = pd.Index(systems.index[at], name="id")
    frame["unit"] = units.index.to_numpy(dtype=object)[unit_row]
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
        "safety_signoff",
        "approval",
        "approved_by",
    ):
        values = units[column].array  # wave stays nullable whole numbers, as in units
        frame[column] = values.take(unit_row) if column == "wave" else values.to_numpy()[unit_row]
    frame["cost_gbp"] = scores["cost_gbp"].to_numpy()[score_row]
    frame["cost_estimated"] = scores["cost_estimated"].to_numpy()[score_row]
    frame["end_of_support"] = systems["end_of_support"].to_numpy()[at]
    exposed_from = frame["end_of_support"].where(frame["end_of_support"] > plan_start, plan_start)
    unsupported = (frame["go_live"] - exposed_from).dt.days / (365.25 / 12)
    frame["months_unsupported_in_plan"] = unsupported.clip(lower=0).round(0)
    for column in ("rank", "priority", "risk", "risk_rating", "impact", "cost"):
        frame[column] = scores[column].to_numpy()[score_row]
    frame["scheduled"] = frame["scheduled"].astype(bool)
    frame["critical"] = frame["critical"].fillna(False).astype(bool)
    _legacy_timing(frame, units, unit_row, tie_at, policy)
    return frame


def _legacy_timing(
    frame: pd.DataFrame,
    units: pd.DataFrame,
    unit_row: np.ndarray,
    tie_at: np.ndarray,
    policy: Policy,
) -> None:
    """Add ``replaced_month`` (the go-live of what replaces a system: its own project's, or
    for a retirement the project absorbing it) and ``stop_month`` (the first month it no
    longer runs: a replaced system runs ``money.parallel_running_months`` past its
    replacement's go-live). ``unit_row``: each row's unit; ``tie_at``: (absorber, absorbed)
    unit rows."""
    finish = frame["finish_month"].to_numpy(dtype=float)
    replace = (frame["disposition"] == "replace").to_numpy()
    absorber, absorbed = tie_at
    first = first_occurrences(absorbed)  # a unit absorbed twice follows its first absorber
    absorber_of = np.full(len(units), -1, dtype=np.int64)
    absorber_of[absorbed[first]] = absorber[first]
    by = absorber_of[unit_row]
    unit_finish = units["finish_month"].to_numpy(dtype=float)
    absorber_finish = np.where(by >= 0, unit_finish[by], np.nan)
    parallel = policy.money.parallel_running_months
    frame["replaced_month"] = np.where(replace, finish, absorber_finish)
    frame["stop_month"] = np.where(replace, finish + 1 + parallel, finish + 1)


def _spend_by_fy(result: ScheduleResult) -> pd.DataFrame:
    """Capital and revenue per financial year against their budgets (NaN: no limit), to
    the last year with spend."""
    calendar = result.calendar
    labels = calendar.fy_labels
    problem = result.problem
    state = result.placement.state if result.placement is not None else None
    years = len(labels)
    capital = state.capital if state is not None else np.zeros(years)
    revenue = state.revenue if state is not None else np.zeros(years)
    arrays = problem.arrays if problem is not None else None
    capital_budget = arrays.capital_budget if arrays is not None else np.full(years, np.inf)
    revenue_budget = arrays.revenue_budget if arrays is not None else np.full(years, np.inf)
    frame = pd.DataFrame(
        {
            "financial_year": labels,
            "capital_budget_gbp": np.where(np.isfinite(capital_budget), capital_budget, np.nan),
            "capital_gbp": capital,
            "revenue_budget_gbp": np.where(np.isfinite(revenue_budget), revenue_budget, np.nan),
            "revenue_gbp": revenue,
        }
    )
    frame["spend_gbp"] = frame["capital_gbp"] + frame["revenue_gbp"]
    frame["capital_headroom_gbp"] = frame["capital_budget_gbp"] - frame["capital_gbp"]
    frame["revenue_headroom_gbp"] = frame["revenue_budget_gbp"] - frame["revenue_gbp"]
    last = np.flatnonzero(frame["spend_gbp"] > 1e-6)
    return frame.iloc[: (last[-1] + 1 if len(last) else 1)].set_index("financial_year")
