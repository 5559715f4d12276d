"""The money a board asks about, as the plan holds it: capital and revenue per financial year
against their budgets (with the forecast's odds of capital slipping past 31 March), what
the estate costs to run year by year with double running, and the legacy contracts that
must be extended while their replacements are built.

The figures are the plan's own (:attr:`~planner.plan.PlanResult.spend_by_fy`,
``run_costs``, ``contract_extensions``), so the pack says what every other output says;
these functions only add what a board reads beside them.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> spend = spend_by_year(result)
>>> spend.index.name, spend.columns.tolist()[:2]
('financial_year', ['capital_budget_gbp', 'capital_gbp'])
>>> costs = run_cost_by_year(result)
>>> float(costs["do_nothing_gbp"].iloc[0])  # the five systems' run cost, a year
1151000.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["contract_extensions", "run_cost_by_year", "spend_by_year"]

#: The forecast's columns on capital at the year end, added to the plan's spend per year.
SLIP_COLUMNS = ["p_capital_slips_past_31_march", "median_capital_shortfall_gbp"]


def spend_by_year(result, forecast=None) -> pd.DataFrame:
    """The plan's spend per financial year (capital and revenue, each against its budget:
    NaN is no limit) and, given the Monte Carlo forecast, the probability that less capital
    is spent by 31 March than planned and the median shortfall (NaN without a forecast)."""
    spend = result.spend_by_fy.copy()
    if forecast is None:
        for column in SLIP_COLUMNS:
            spend[column] = np.nan
        return spend
    return spend.join(forecast.spend_by_fy[SLIP_COLUMNS])


def run_cost_by_year(result) -> pd.DataFrame:
    """The plan's running cost per financial year (doing nothing, with the plan: legacy
    systems still running and what replaced them, and the double running within the
    legacy cost) and the saving against doing nothing (negative: the plan costs more that
    year)."""
    costs = result.run_costs
    return costs.assign(saving_gbp=costs["do_nothing_gbp"] - costs["planned_gbp"])


def contract_extensions(result) -> pd.DataFrame:
    """The plan's contracts to extend (planned systems that run past their contract's end:
    the months and the cost at today's run rate; ``runs_until`` is NaT for a system not
    scheduled, which runs beyond the plan), with each system's supplier, longest first.

    >>> import planner
    >>> from planner.plan import make_plan
    >>> trust = planner.load("data/examples/five-systems")
    >>> systems = trust.systems.assign(contract_end=pd.Timestamp("2028-03-31"))
    >>> result = make_plan(type(trust)(systems, trust.dependencies))
    >>> extensions = contract_extensions(result)
    >>> extensions.index.tolist()
    ['pas', 'ed', 'tie']
    >>> int(extensions.loc["pas", "months"])  # Apr 2028 to 3 months past its go-live: Sep 2029
    18
    """
    extensions = result.contract_extensions
    supplier = result.inventory.systems["supplier"].reindex(extensions.index)
    return extensions.assign(supplier=supplier.to_numpy(dtype=object))
