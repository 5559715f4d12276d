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
>>> bool(result.spend_by_fy.loc["2027/28", "capital_gbp"] <= 5_000_000)
True
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from numbers import Integral
from pathlib import Path

import networkx as nx
import pandas as pd

from inventory import Inventory, Store, load_inventory
from inventory.errors import ArgumentTypeError, EmptyStoreError, InvalidArgumentError
from inventory.mapping import Mapping as ColumnMapping
from inventory.select import select_systems
from planner import blast
from planner.explain import Explanation, explain_system
from planner.impact import downstream_impact
from planner.levers import Levers
from planner.levers import levers as lever_values
from planner.montecarlo import Forecast, forecast_plan
from planner.plan import PlanResult, make_plan
from planner.policy import Policy, load_policy, policy_from_text
from planner.report import Report, build_report
from planner.scenarios import Comparison, compare_plans, scale_budget
from planner.scoring import beside_register
from planner.scoring import score as score_frames
from planner.stability import RankStability
from planner.stability import rank_stability as stability

__all__ = [
    "blast_radius",
    "board_pack",
    "compare",
    "explain",
    "forecast",
    "graph",
    "impact_table",
    "levers",
    "load",
    "plan",
    "rank",
    "rank_stability",
    "resolve_policy",
    "score",
    "systems",
]

PolicyLike = Policy | str | Path | Mapping | None

#: Keyword shortcuts for common settings; any other keyword uses '__' for '.'
#: (``priority__top_n=10``).
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
    mapping: ColumnMapping | str | Path | None = None,
) -> Inventory:
    """An inventory from a file or folder, from the store (``source=None``), or as given.

    ``mapping`` reads a register kept in its own layout through a column mapping (a
    :class:`inventory.mapping.Mapping` or the path of a mapping file; see
    ``docs/onboarding.md``).

    >>> load("data/sample-trust").systems.shape[0]
    252
    """
    if isinstance(source, Inventory):
        return source
    if isinstance(source, PlanResult):
        return source.inventory
    if not isinstance(source, str | os.PathLike | None):
        raise ArgumentTypeError(
            "source",
            "a file or folder path, an Inventory, a PlanResult or None (the store)",
            source,
        )
    if source is not None:
        return load_inventory(source, derive=derive, mapping=mapping)
    if mapping is not None:
        raise InvalidArgumentError(
            "mapping",
            "a column mapping reads a register file; the store holds an inventory already",
            hint="give the register file as well, or leave the mapping out",
        )
    with Store(db, read_only=True, busy_timeout=busy_timeout) as store:
        inventory = store.load(derive_end_of_support=derive)
    if inventory.systems.empty:  # imported, then emptied (an undo of its first import)
        raise EmptyStoreError(
            f"{db} holds no systems: a change in its history removed them all",
            hint="import an inventory into it, or undo the change that emptied it",
        )
    return inventory


def systems(source: str | Path | Inventory | None = None, **filters: str | None) -> pd.DataFrame:
    """The systems of an inventory, filtered by category, organisation, criticality,
    disposition, status, hosting, platform text or ``unsupported_by`` a date
    (:func:`inventory.select.select_systems`).

    >>> systems("data/sample-trust", criticality="T1", category="PAS").index.tolist()
    ['pas']
    """
    return select_systems(load(source).systems, **filters)


def graph(source: str | Path | Inventory | None = None, **kwargs) -> nx.DiGraph:
    """The dependency graph (edges consumer -> provider) of an inventory."""
    return load(source, **kwargs).graph()


def resolve_policy(policy: PolicyLike = None, **overrides: object) -> Policy:
    """A policy from a Policy, a YAML path, a dict of settings (nested or dotted), or the
    default, with keyword overrides applied.

    ``budget={"2027/28": 4.5e6}`` sets those years' budgets (others keep theirs);
    ``budget_scale=0.8`` multiplies every capital budget (each year's and the default) after
    the other changes, as a scaled scenario of :func:`compare` does;
    ``teams``, ``weights`` (all three, adding up to 1), ``precedence``, ``plan_start`` (or
    ``start``), ``freeze_months``, ``max_concurrent_projects``, ``horizon_months`` and
    ``impact`` (the impact method) name common settings; any other setting is reachable with
    ``__`` for ``.``, as in ``priority__top_n=10``.

    >>> resolve_policy(precedence="none", budget={"2027/28": "4.5m"}).budget_for("2027/28")
    4500000.0
    >>> resolve_policy(budget={"2027/28": "4.5m"}, budget_scale=0.5).budget_for("2027/28")
    2250000.0
    """
    if isinstance(policy, Policy):
        base = policy
    elif isinstance(policy, str | Path):
        base = load_policy(policy)
    elif isinstance(policy, Mapping):
        base = load_policy(overrides=dict(policy), source="the policy mapping")
    elif policy is None:
        base = load_policy()
    else:
        raise ArgumentTypeError(
            "policy", "a Policy, a YAML file path, a dict of settings or None", policy
        )
    scale = overrides.pop("budget_scale", None)
    changes = policy_changes(**overrides)
    chosen = base.with_overrides(changes, source="the keyword arguments") if changes else base
    if scale is None:
        return chosen
    if isinstance(scale, bool) or not isinstance(scale, int | float):
        raise ArgumentTypeError("budget_scale", "a number above 0", scale)
    return scale_budget(chosen, float(scale))


def kept_policy(inventory: Inventory) -> Policy | None:
    """The policy kept with ``inventory`` in its store ('modernise policy use'), if any."""
    if inventory.kept_policy is None:
        return None
    name, text = inventory.kept_policy
    return policy_from_text(text, name)


def _policy_of(inventory: Inventory, policy: PolicyLike, **overrides: object) -> Policy:
    """The policy to plan ``inventory`` under: ``policy``, else the one kept with it in the
    store, else the default; with ``overrides`` applied."""
    return resolve_policy(policy if policy is not None else kept_policy(inventory), **overrides)


def policy_changes(**overrides: object) -> dict[str, object]:
    """Keyword overrides as dotted settings: the shortcuts of :func:`resolve_policy`
    expanded, ``__`` read as ``.``.

    >>> policy_changes(budget={"2027/28": "4.5m"}, priority__weights__risk=0.7)
    {'schedule.budget.by_year.2027/28': '4.5m', 'priority.weights.risk': 0.7}
    """
    changes: dict[str, object] = {}
    for key, value in overrides.items():
        if key == "budget":
            if not isinstance(value, Mapping):
                raise InvalidArgumentError(
                    "budget", "budget= takes a mapping of financial year to amount"
                )
            for year, amount in value.items():
                changes[f"schedule.budget.by_year.{year}"] = amount
        elif key in _SHORTCUTS:
            changes[_SHORTCUTS[key]] = value
        elif not ("__" in key or "." in key or key in Policy.model_fields):
            known = [*_SHORTCUTS, "budget", "budget_scale", "policy", *Policy.model_fields]
            close = difflib.get_close_matches(key, known, n=1)
            raise InvalidArgumentError(
                key,
                f"unknown keyword '{key}'" + (f"; did you mean '{close[0]}'?" if close else ""),
                hint="a keyword names a setting (budget, teams, weights, plan_start, ...) or "
                "reaches one with __ for '.', as in priority__top_n=10",
            )
        else:
            changes[key.replace("__", ".")] = value
    return changes


def impact_table(
    source: str | Path | Inventory | PlanResult | None = None,
    policy: PolicyLike = None,
    **overrides,
) -> pd.DataFrame:
    """Downstream impact of every system, exact or approximate as the policy's
    ``impact.method`` says (see :mod:`planner.impact`). A plan's inventory is read under the
    plan's policy, unless another is given."""
    inventory, policy = _loaded(source, policy, overrides)
    chosen = _policy_of(inventory, policy, **overrides)
    return downstream_impact(
        inventory.systems,
        inventory.dependencies,
        criticality_weights=chosen.impact.criticality_weights.model_dump(),
        method=chosen.impact.method,
        exact_up_to=chosen.impact.exact_up_to,
        graph=inventory.array_graph,
    )


def score(
    source: str | Path | Inventory | PlanResult | None = None,
    policy: PolicyLike = None,
    **overrides,
) -> pd.DataFrame:
    """Risk, cost, impact and priority for every system, with every contribution, in rank
    order (see ``docs/scoring.md``), indexed by system id. It holds no column of the
    systems table, so ``systems.join(scores)`` adds the scores to the systems.

    >>> trust = load("data/examples/five-systems")
    >>> table = trust.systems[["name", "criticality"]].join(score(trust)[["risk_rating"]])
    >>> table["risk_rating"].max(), int((table["risk_rating"] >= "high").sum())
    ('extreme', 3)
    """
    inventory, policy = _loaded(source, policy, overrides)
    chosen = _policy_of(inventory, policy, **overrides)
    return score_frames(inventory.systems, impact_table(inventory, chosen), chosen)


def rank(
    source: str | Path | Inventory | PlanResult | None = None,
    policy: PolicyLike = None,
    *,
    include_retained: bool = False,
    **overrides,
) -> pd.DataFrame:
    """The replacement order: planned systems (or all with ``include_retained``, ``planned``
    saying which are in the plan) by priority; ranks count every system."""
    inventory, policy = _loaded(source, policy, overrides)
    scores = score(inventory, policy, **overrides)
    if not include_retained:
        scores = scores[scores["planned"]]
    named = scores.join(inventory.systems[["name", "category", "disposition"]])
    return named[
        ["rank", "name", "category", "disposition", "priority", "risk", "impact", "cost", "planned"]
    ]


def rank_stability(
    source: str | Path | Inventory | PlanResult | None = None,
    policy: PolicyLike = None,
    *,
    samples: int | None = None,
    concentration: float | None = None,
    top: int | None = None,
    seed: int | None = None,
    **overrides,
) -> RankStability:
    """How the ranking moves when the priority weights are redrawn around the chosen ones
    (:func:`planner.stability.rank_stability`): rank range, P(top N), fragile, driving weight."""
    for argument, value in (("samples", samples), ("top", top), ("seed", seed)):
        _whole(argument, value)
    if isinstance(source, PlanResult) and _unchanged(policy, overrides):
        scores, chosen = source.scored, source.policy
    else:
        inventory, policy = _loaded(source, policy, overrides)
        chosen = _policy_of(inventory, policy, **overrides)
        scored = score_frames(inventory.systems, impact_table(inventory, chosen), chosen)
        scores = beside_register(inventory.systems, scored)
    return stability(
        scores, chosen, samples=samples, concentration=concentration, top=top, seed=seed
    )


def plan(
    source: str | Path | Inventory | PlanResult | None = None,
    policy: PolicyLike = None,
    **overrides,
) -> PlanResult:
    """Score, order and schedule; the :class:`~planner.plan.PlanResult` holds every table.

    Given a plan, returns it as it is; with a policy or overrides as well, plans its
    inventory again under them (starting from the plan's own policy when only overrides are
    given), as every function here that takes a plan does:

    >>> base = plan("data/examples/five-systems")
    >>> plan(base) is base, plan(base, budget_scale=0.5).policy == base.policy
    (True, False)

    A register kept in its own layout is read through its column mapping: ``mapping=`` (a
    :class:`inventory.Mapping` or its file), as :func:`load` and every function here take.
    """
    if isinstance(source, PlanResult) and _unchanged(policy, overrides):
        return source
    inventory, policy = _loaded(source, policy, overrides)
    return make_plan(inventory, _policy_of(inventory, policy, **overrides))


def _loaded(
    source: str | Path | Inventory | PlanResult | None, policy: PolicyLike, overrides: dict
) -> tuple[Inventory, PolicyLike]:
    """The inventory to work on and the policy to start from (which ``overrides`` then
    change): a plan's inventory and, unless another policy is given, its own policy; any
    other source loaded, through the ``mapping`` among ``overrides`` (taken out of them)."""
    mapping = overrides.pop("mapping", None)
    if isinstance(source, PlanResult):
        return source.inventory, source.policy if policy is None else policy
    return load(source, mapping=mapping), policy


def _unchanged(policy: PolicyLike, overrides: dict) -> bool:
    """Whether a plan given is used as it is: no policy, and no override but a mapping."""
    return policy is None and not overrides.keys() - {"mapping"}


def explain(result: PlanResult, system: str) -> Explanation:
    """Why a system ranks where it does, factor by factor, and when it is planned
    (:class:`planner.explain.Explanation`)."""
    if not isinstance(result, PlanResult):
        raise ArgumentTypeError("result", "a PlanResult (from planner.plan)", result)
    if not isinstance(system, str):
        raise ArgumentTypeError("system", "a system id (str)", system)
    return explain_system(result, system)


def blast_radius(
    source: str | Path | Inventory | PlanResult | None,
    systems: str | list[str],
    policy: PolicyLike = None,
    *,
    window: bool = False,
    **overrides,
) -> blast.BlastRadius:
    """Everything that fails or degrades while ``systems`` are down, with the path and the
    interface kinds (:class:`planner.blast.BlastRadius`). With ``window=True``, during their
    planned cut-over instead: every system going live in the same month is down too, and
    ``windows`` lists the months and what is cut over in each."""
    names = [systems] if isinstance(systems, str) else _ids("systems", systems)
    if window:
        return blast.cutover_window(plan(source, policy, **overrides), names)
    if isinstance(source, PlanResult) and _unchanged(policy, overrides):
        inventory, chosen = source.inventory, source.policy
    else:
        inventory, policy = _loaded(source, policy, overrides)
        chosen = _policy_of(inventory, policy, **overrides)
    return blast.blast_radius(inventory, names, chosen)


def compare(
    source: str | Path | Inventory | None,
    scenarios: Mapping[str, PolicyLike | float],
    policy: PolicyLike = None,
) -> Comparison:
    """Plan the same inventory under each scenario and compare them
    (:func:`planner.scenarios.compare_plans`). A scenario is a policy (file, dict, Policy,
    or None for ``policy`` itself) or a number: ``policy`` with every budget scaled by it.
    The first scenario is the baseline."""
    if not isinstance(scenarios, Mapping):
        raise ArgumentTypeError(
            "scenarios", "a mapping of scenario name to policy or scale", scenarios
        )
    inventory = load(source)
    base = _policy_of(inventory, policy)
    plans = {}
    for name, scenario in scenarios.items():
        if isinstance(scenario, bool):
            raise InvalidArgumentError(
                "scenarios", f"scenario '{name}' is {scenario}, not a policy or a budget scale"
            )
        if isinstance(scenario, int | float):
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
) -> Forecast:
    """Monte Carlo forecast of a plan (:func:`planner.montecarlo.forecast_plan`): P50 / P80 /
    P95 go-live per system and for the programme, spend per year, deadline odds."""
    _whole("runs", runs)
    _whole("seed", seed)
    return forecast_plan(plan(source, policy, **overrides), runs=runs, seed=seed)


def levers(
    source: str | Path | Inventory | PlanResult | None = None,
    policy: PolicyLike = None,
    *,
    fte: float = 1.0,
    capital_uplift: float = 0.10,
    **overrides,
) -> Levers:
    """What would it take to go faster? For ``fte`` more people in each team,
    ``capital_uplift`` more capital in each year, each change freeze lifted and each contract
    that holds a project back: the programme's new end and the change in risk exposure,
    ranked (:func:`planner.levers.levers`).

    Here every project waits for its business case, which no lever changes:

    >>> levers("data/examples/five-systems")  # doctest: +NORMALIZE_WHITESPACE
    <Levers: 12 levers on the plan ending Jun 2029; none brings it sooner or cuts its risk
     exposure>
    """
    return lever_values(plan(source, policy, **overrides), fte=fte, capital_uplift=capital_uplift)


def board_pack(
    source: str | Path | Inventory | PlanResult | None = None,
    policy: PolicyLike = None,
    *,
    scenarios: Mapping[str, PolicyLike] | None = None,
    **options,
) -> Report:
    """The board pack of a plan (:func:`planner.report.build_report`): one report with the
    summary, options appraisal, roadmap, money, risks, assumptions and annexes; write it
    with ``.write("report.html")`` or ``.write("report.pdf")``. ``scenarios`` (name ->
    policy) join the options appraisal; other keywords (``organisation``, ``title``,
    ``runs``, ``levers``, ``inputs``, ...) go to ``build_report``.

    >>> pack = board_pack("data/examples/five-systems", runs=50, levers=False)
    >>> pack.parts[0].title
    'Executive summary'
    """
    chosen = {name: resolve_policy(value) for name, value in (scenarios or {}).items()}
    mapping = options.pop("mapping", None)
    return build_report(plan(source, policy, mapping=mapping), scenarios=chosen, **options)


def _whole(argument: str, value: object) -> None:
    """Refuse anything but a whole number (or None) for ``argument``."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, Integral)):
        raise ArgumentTypeError(argument, "a whole number", value)


def _ids(argument: str, values: object) -> list[str]:
    """System ids given as a list (or other collection) of strings."""
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise ArgumentTypeError(argument, "a system id or a list of system ids", values)
    names = list(values)
    wrong = [name for name in names if not isinstance(name, str)]
    if wrong:
        raise ArgumentTypeError(argument, "a system id or a list of system ids (str)", wrong[0])
    return names
