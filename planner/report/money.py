"""The money a board asks about: spend per financial year against the budgets, what the
estate costs to run year by year, and the legacy contracts that must be extended while
their replacements are built.

Revenue budgets, the capital/revenue split and double running are not in the plan yet;
:func:`spend_against_budgets` says so and :func:`run_cost_trajectory` derives what it can
from the inventory (each system's ``annual_run_cost_gbp``, its go-live, its disposition).

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> spend_against_budgets(result).columns.tolist()[:3]
['financial_year', 'capital_budget_gbp', 'capital_spend_gbp']
>>> trajectory = run_cost_trajectory(result)
>>> float(trajectory["do_nothing_gbp"].iloc[0])  # the five systems' run cost, a year
1151000.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "REVENUE_NOT_IN_PLAN",
    "contract_exposure",
    "run_cost_trajectory",
    "spend_against_budgets",
]

#: Said where a revenue figure would be: the plan holds capital only.
REVENUE_NOT_IN_PLAN = (
    "Revenue budgets and the capital/revenue split are not in this plan: every cost is "
    "counted against the capital budget."
)


def spend_against_budgets(result) -> pd.DataFrame:
    """Per financial year: the capital budget, the planned capital spend and the headroom.

    The plan has no revenue budget or revenue spend yet (:data:`REVENUE_NOT_IN_PLAN`)."""
    spend = result.spend_by_fy
    return pd.DataFrame(
        {
            "financial_year": spend["financial_year"],
            "capital_budget_gbp": spend["budget_gbp"],
            "capital_spend_gbp": spend["spend_gbp"],
            "headroom_gbp": spend["headroom_gbp"],
        }
    )


def _years(result) -> tuple[list[str], np.ndarray]:
    """Financial-year labels over the months of the plan's risk burn-down (to a year past
    its last go-live), and the financial year (position) of each of those months."""
    calendar = result.calendar
    index = calendar.fy_index[: len(result.burndown)]
    return calendar.fy_labels[: int(index.max()) + 1], index


def run_cost_trajectory(result) -> pd.DataFrame:
    """What the estate costs to run in each financial year, with the plan and doing nothing.

    A live system costs its ``annual_run_cost_gbp`` until its replacement goes live, then
    the share ``cost.run_cost_saved`` of its disposition less (retiring saves all of it,
    replacing 30% by default); a system still to be built (status planned) costs nothing
    until it goes live and its whole run cost after; a retained or unscheduled system costs
    the same throughout; a retired one nothing. The years run to the plan's risk burn-down
    (a year past the last go-live); a year cut short by that end counts its months only.

    Double running (old and new side by side through cut-over) is not in the plan, so the
    saving shows from the go-live month.
    """
    labels, fy_of_month = _years(result)
    months = len(fy_of_month)
    systems = result.inventory.systems
    annual = systems["annual_run_cost_gbp"].fillna(0.0).to_numpy(dtype=float)
    status = systems["status"].to_numpy()
    saved = systems["disposition"].map(result.policy.cost.run_cost_saved.model_dump())
    saved = saved.fillna(0.0).to_numpy(dtype=float)
    live_month = (
        result.schedule["finish_month"].reindex(systems.index).to_numpy(dtype=float) + 1
    )  # the first month after go-live
    to_build = status == "planned"
    running = status != "retired"
    before = np.where(running & ~to_build, annual, 0.0) / 12
    after = np.where(to_build, annual, before * 12 * (1 - saved)) / 12
    after = np.where(np.isnan(live_month), before, after)
    month = np.arange(months)[:, None]
    changed = month >= np.nan_to_num(live_month, nan=np.inf)[None, :]
    plan = np.where(changed, after[None, :], before[None, :]).sum(axis=1)
    nothing = np.full(months, before.sum())
    frame = pd.DataFrame({"plan": plan, "nothing": nothing, "fy": fy_of_month})
    by_year = frame.groupby("fy").sum()
    return pd.DataFrame(
        {
            "financial_year": labels,
            "plan_gbp": by_year["plan"].to_numpy(),
            "do_nothing_gbp": by_year["nothing"].to_numpy(),
            "saving_gbp": (by_year["nothing"] - by_year["plan"]).to_numpy(),
        }
    )


def contract_exposure(result) -> pd.DataFrame:
    """Legacy contracts that end before their system stops being needed: planned systems
    whose contract ends before the replacement goes live (to be extended for the months
    between), and retained or unscheduled systems whose contract ends before the
    programme does (to be renewed). The cost of extending is the run cost for the months
    between, at today's rate; a renewal's months run to the programme's end.

    >>> import planner
    >>> from planner.plan import make_plan
    >>> trust = planner.load("data/examples/five-systems")
    >>> systems = trust.systems.assign(contract_end=pd.Timestamp("2028-03-31"))
    >>> result = make_plan(type(trust)(systems, trust.dependencies))
    >>> exposure = contract_exposure(result)
    >>> int(exposure.loc["pas", "months"]), exposure.loc["pas", "why"]  # Mar 2028 to Mar 2029
    (12, 'extend until the replacement goes live')
    """
    systems = result.inventory.systems
    schedule = result.schedule
    contract = systems["contract_end"]
    go_live = schedule["go_live"].reindex(systems.index)
    end = result.end
    planned_and_late = contract.notna() & go_live.notna() & (contract < go_live)
    needed_until = go_live.where(planned_and_late)
    if end is not None:
        renew = contract.notna() & go_live.isna() & (contract < end)
        needed_until = needed_until.where(~renew, end)
    else:
        renew = pd.Series(False, index=systems.index)
    exposed = planned_and_late | renew
    until = needed_until[exposed]
    ends = contract[exposed]
    months = ((until.dt.year - ends.dt.year) * 12 + until.dt.month - ends.dt.month).astype("int64")
    annual = systems.loc[exposed, "annual_run_cost_gbp"].fillna(0.0)
    frame = pd.DataFrame(
        {
            "name": systems.loc[exposed, "name"],
            "supplier": systems.loc[exposed, "supplier"],
            "contract_end": ends,
            "needed_until": until,
            "months": months,
            "annual_run_cost_gbp": annual,
            "extension_cost_gbp": annual * months / 12,
            "why": np.where(
                planned_and_late[exposed],
                "extend until the replacement goes live",
                "renew: retained or not scheduled",
            ),
        }
    )
    return frame.sort_values(["contract_end", "name"], kind="stable")
