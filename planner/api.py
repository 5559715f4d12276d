"""The analysts' API: inventories, graphs, scores, rankings and plans as DataFrames.

The command line calls these functions and nothing else, so a notebook gets exactly what
``modernise`` prints. ``docs/python-api.md`` shows each one running on the sample trust.

Examples
--------
>>> import planner
>>> trust = planner.load("data/sample-trust")
>>> scores = planner.score(trust)
>>> row = scores.loc["pas"]
>>> float(row["risk"]), row["risk_rating"], int(row["rank"])
(100.0, 'extreme', 1)
>>> result = planner.plan(trust, budget={"2027/28": 5_000_000})
>>> bool(result.spend_by_fy.loc[0, "spend_gbp"] <= 5_000_000)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import pandas as pd

from inventory import Inventory, Store, load_inventory
from inventory.errors import UsageError
from planner.impact import downstream_impact
from planner.plan import PlanResult, make_plan
from planner.policy import Policy, load_policy
from planner.scoring import explain as explain_scores
from planner.scoring import score as score_frames

__all__ = [
    "blast_radius",
    "compare",
    "explain",
    "forecast",
    "graph",
    "impact_table",
    "load",
    "plan",
    "rank",
    "rank_stability",
    "resolve_policy",
    "score",
]

PolicyLike = Policy | str | Path | Mapping | None

#: Keyword shortcuts for common settings; any other keyword uses '__' for '.'
#: (``priority__weights__risk=0.7``).
_SHORTCUTS = {
    "plan_start": "plan_start",
    "start": "plan_start",
    "precedence": "ordering.precedence",
    "weights": "priority.weights",
    "teams": "schedule.teams",
    "freeze_months": "schedule.freeze_months",
    "max_concurrent_projects": "schedule.max_concurrent_projects",
    "horizon_months": "horizon_months",
    "impact": "impact.method",
}


def load(
    source: str | Path | Inventory | None = None,
    *,
    db: str | Path = "modernise.db",
    derive: bool = True,
    busy_timeout: float | None = None,
) -> Inventory:
    """An inventory from a file or folder, from the store (``source=None``), or as given.

    >>> load("data/sample-trust").systems.shape[0]
    252
    """
    if isinstance(source, Inventory):
        return source
    if source is not None:
        return load_inventory(source, derive=derive)
    timeout = {} if busy_timeout is None else {"busy_timeout": busy_timeout}
    with Store(db, create=False, **timeout) as store:
        return store.load(derive_end_of_support=derive)


def graph(source: str | Path | Inventory | None = None, **kwargs) -> nx.DiGraph:
    """The dependency graph (edges consumer -> provider) of an inventory."""
    return load(source, **kwargs).graph()


def resolve_policy(policy: PolicyLike = None, **overrides: object) -> Policy:
    """A policy from a Policy, a YAML path, a dict of settings (nested or dotted), or the
    default, with keyword overrides applied.

    ``budget={"2027/28": 4.5e6}`` sets those years' budgets (others keep theirs);
    ``teams``, ``weights``, ``precedence``, ``plan_start`` (or ``start``), ``freeze_months``,
    ``max_concurrent_projects``, ``horizon_months`` and ``impact`` (the impact method) name
    common settings; any other
    setting is reachable with ``__`` for ``.``, as in ``priority__weights__risk=0.7``.

    >>> resolve_policy(precedence="none", budget={"2027/28": "4.5m"}).budget_for("2027/28")
    4500000.0
    """
    if isinstance(policy, Policy):
        base = policy
    elif isinstance(policy, str | Path):
        base = load_policy(policy)
    elif isinstance(policy, Mapping):
        base = load_policy(overrides=dict(policy))
    elif policy is None:
        base = load_policy()
    else:
        raise UsageError(
            f"a policy cannot be a {type(policy).__name__}",
            hint="give a Policy, a YAML path or a dict of settings",
        )
    changes: dict[str, object] = {}
    for key, value in overrides.items():
        if key == "budget":
            if not isinstance(value, Mapping):
                raise UsageError("budget= takes a mapping of financial year to amount")
            for year, amount in value.items():
                changes[f"schedule.budget.by_year.{year}"] = amount
        elif key in _SHORTCUTS:
            changes[_SHORTCUTS[key]] = value
        else:
            changes[key.replace("__", ".")] = value
    return base.with_overrides(changes) if changes else base


def impact_table(
    source: str | Path | Inventory | None = None, policy: PolicyLike = None, **overrides
) -> pd.DataFrame:
    """Downstream impact of every system, exact or approximate as the policy's
    ``impact.method`` says (see :mod:`planner.impact`)."""
    inventory = load(source)
    chosen = resolve_policy(policy, **overrides)
    return downstream_impact(
        inventory.systems,
        inventory.dependencies,
        criticality_weights=chosen.impact["criticality_weights"],
        method=chosen.impact["method"],
        exact_up_to=chosen.impact["exact_up_to"],
    )


def score(
    source: str | Path | Inventory | None = None, policy: PolicyLike = None, **overrides
) -> pd.DataFrame:
    """Risk, cost, impact and priority for every system, with every contribution, in rank
    order (see ``docs/scoring.md``)."""
    inventory = load(source)
    chosen = resolve_policy(policy, **overrides)
    frame = impact_table(inventory, chosen)
    scores = score_frames(inventory.systems, frame, chosen)
    scores.attrs["impact_method"] = frame.attrs.get("impact_method", "exact")
    return scores


def rank(
    source: str | Path | Inventory | None = None,
    policy: PolicyLike = None,
    *,
    include_retained: bool = False,
    **overrides,
) -> pd.DataFrame:
    """The replacement order: planned systems (or all with ``include_retained``) by priority."""
    scores = score(source, policy, **overrides)
    if not include_retained:
        scores = scores[scores["planned"]]
    return scores[["rank", "name", "category", "disposition", "priority", "risk", "impact", "cost"]]


def rank_stability(
    source: str | Path | Inventory | PlanResult | None = None,
    policy: PolicyLike = None,
    *,
    samples: int | None = None,
    concentration: float | None = None,
    top: int | None = None,
    seed: int | None = None,
    **overrides,
) -> pd.DataFrame:
    """How the ranking moves when the priority weights are redrawn around the chosen ones
    (:func:`planner.stability.rank_stability`): rank range, P(top N), fragile, driving weight."""
    from planner.stability import rank_stability as stability

    if isinstance(source, PlanResult):
        scores, chosen = source.scores, source.policy
    else:
        chosen = resolve_policy(policy, **overrides)
        scores = score(source, chosen)
    return stability(
        scores, chosen, samples=samples, concentration=concentration, top=top, seed=seed
    )


def plan(
    source: str | Path | Inventory | None = None, policy: PolicyLike = None, **overrides
) -> PlanResult:
    """Score, order and schedule; the :class:`~planner.plan.PlanResult` holds every table."""
    return make_plan(load(source), resolve_policy(policy, **overrides))


def explain(result: PlanResult, system: str) -> pd.DataFrame:
    """Why a system ranks where it does, factor by factor."""
    key = system.strip().lower()
    if key not in result.scores.index:
        raise UsageError(f"no system '{system}'", hint="list them with 'modernise systems'")
    return explain_scores(result.scores, key, result.policy)


def blast_radius(
    source: str | Path | Inventory | PlanResult | None,
    systems: str | list[str],
    policy: PolicyLike = None,
    *,
    window: bool = False,
    **overrides,
) -> pd.DataFrame:
    """Everything that fails or degrades while ``systems`` are down, with the path and the
    interface kinds (:func:`planner.blast.blast_radius`). With ``window=True``, during their
    planned cut-over instead: every system going live in the same month is down too, and
    ``attrs["windows"]`` lists the months and what is cut over in each."""
    from planner import blast

    names = [systems] if isinstance(systems, str) else list(systems)
    if window:
        result = source if isinstance(source, PlanResult) else plan(source, policy, **overrides)
        windows, radius = blast.cutover_window(result, names)
        radius.attrs["windows"] = windows
        return radius
    if isinstance(source, PlanResult):
        inventory, chosen = source.inventory, source.policy
    else:
        inventory, chosen = load(source), resolve_policy(policy, **overrides)
    return blast.blast_radius(inventory, names, chosen)


def compare(
    source: str | Path | Inventory | None,
    scenarios: Mapping[str, PolicyLike | float],
    policy: PolicyLike = None,
):
    """Plan the same inventory under each scenario and compare them
    (:func:`planner.scenarios.compare_plans`). A scenario is a policy (file, dict, Policy,
    or None for ``policy`` itself) or a number: ``policy`` with every budget scaled by it.
    The first scenario is the baseline."""
    from planner.scenarios import compare_plans, scale_budget

    inventory = load(source)
    base = resolve_policy(policy)
    plans = {}
    for name, scenario in scenarios.items():
        if isinstance(scenario, int | float) and not isinstance(scenario, bool):
            chosen = scale_budget(base, float(scenario))
        else:
            chosen = base if scenario is None else resolve_policy(scenario)
        plans[name] = make_plan(inventory, chosen)
    return compare_plans(plans)


def forecast(
    source: str | Path | Inventory | PlanResult | None = None,
    policy: PolicyLike = None,
    *,
    runs: int | None = None,
    seed: int | None = None,
    **overrides,
):
    """Monte Carlo forecast of a plan (:func:`planner.montecarlo.forecast_plan`): P50 / P80 /
    P95 go-live per system and for the programme, spend per year, deadline odds."""
    from planner.montecarlo import forecast_plan

    result = source if isinstance(source, PlanResult) else plan(source, policy, **overrides)
    return forecast_plan(result, runs=runs, seed=seed)
