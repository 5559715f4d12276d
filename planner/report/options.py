"""The options a board weighs: the plan against doing the minimum and against budgets 20%
lower and higher (and any other policies given). What each single lever would buy (a
person more, more capital, a freeze lifted, a contract ended early) is
:func:`planner.levers.levers`.

**Do minimum**, defined: replace only what must be replaced now. Of the systems the plan
would replace, keep those already out of support when the plan starts and those rated
extreme, with whatever they must wait for (the system that absorbs them, ``replaced_by``,
and the systems named in ``after``, followed through); every other system is retained as it
is. The budgets, teams and rules stay those of the plan.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> minimum = do_minimum(result).systems["disposition"]
>>> minimum.to_dict()  # each planned system is extreme or out of support: all stay planned
{'pas': 'replace', 'tie': 'replatform', 'ed': 'replace', 'lab-db': 'retire', 'portal': 'retain'}
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from inventory.model import Inventory
from planner.plan import make_plan
from planner.scenarios import Comparison, compare_plans, scale_budget

__all__ = ["BUDGET_STEPS", "do_minimum", "options_appraisal"]

#: The budget scenarios of every appraisal: 20% less and 20% more capital each year.
BUDGET_STEPS = {"budget -20%": 0.8, "budget +20%": 1.2}


def _must_replace(result) -> pd.Index:
    scores = result.scores
    systems = result.inventory.systems
    out_of_support = systems["end_of_support"].reindex(scores.index) < result.start
    chosen = scores["planned"] & (out_of_support | (scores["risk_rating"] == "extreme"))
    return scores.index[chosen.to_numpy()]


def do_minimum(result) -> Inventory:
    """The plan's inventory with only what must be replaced now still planned (the module
    docstring defines it); every other planned system is set to retain."""
    systems = result.inventory.systems
    planned = set(result.scores.index[result.scores["planned"]])
    keep = set(_must_replace(result))
    frontier = list(keep)
    while frontier:  # what the kept systems wait for, followed through
        system = frontier.pop()
        row = systems.loc[system]
        needs = (
            [row["replaced_by"], *row["after"]]
            if isinstance(row["replaced_by"], str)
            else [*row["after"]]
        )
        for other in needs:
            if other in planned and other not in keep:
                keep.add(other)
                frontier.append(other)
    retained = systems.index.isin(sorted(planned - keep))
    changed = systems.assign(disposition=systems["disposition"].where(~retained, "retain"))
    return Inventory(changed, result.inventory.dependencies)


def options_appraisal(result, scenarios: Mapping | None = None) -> Comparison:
    """The plan (the baseline) beside do minimum, budgets -20% and +20%, and each policy in
    ``scenarios`` (name -> :class:`~planner.policy.Policy`), as a
    :class:`~planner.scenarios.Comparison`. The downstream impact is the plan's own (the
    graph is the same in every option)."""
    policy = result.policy
    plans = {"plan": result}
    plans["do minimum"] = make_plan(do_minimum(result), policy, impact=result.impact)
    for name, factor in BUDGET_STEPS.items():
        plans[name] = make_plan(
            result.inventory, scale_budget(policy, factor), impact=result.impact
        )
    for name, other in (scenarios or {}).items():
        plans[str(name)] = make_plan(result.inventory, other, impact=result.impact)
    return compare_plans(plans)
