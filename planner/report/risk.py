"""The risks a board accepts or must govern: the risk burn-down by financial year, and the
high and extreme risks of systems the plan retains (the plan's own
:attr:`~planner.plan.PlanResult.accepted_risks`) with why each is high.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> accepted_risks(result).empty  # the portal is retained, at low risk
True
>>> burndown_by_year(result)["financial_year"].tolist()
['2027/28', '2028/29', '2029/30', '2030/31']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.policy import financial_year

__all__ = ["accepted_risks", "burndown_by_year", "risk_reasons"]


def burndown_by_year(result) -> pd.DataFrame:
    """Total estate risk at the start of each financial year (1 April), with the plan and
    with nothing replaced, and the share the plan has removed by then.

    Risk is the sum over systems of 4 x likelihood x consequence (0-100 a system), so a
    figure of 1,000 is ten systems at the highest risk or forty at a quarter of it.
    """
    frame = result.burndown.reset_index()
    months = frame["month"]
    first = months.iloc[0]
    starts = frame[(months.dt.month == 4) | (months == first)]
    labels = [financial_year(m) for m in starts["month"]]
    return pd.DataFrame(
        {
            "financial_year": labels,
            "month": starts["month"].to_numpy(),
            "plan_risk": starts["plan_risk"].to_numpy(),
            "do_nothing_risk": starts["do_nothing_risk"].to_numpy(),
            "removed": 1 - starts["plan_risk"].to_numpy() / starts["do_nothing_risk"].to_numpy(),
        }
    )


def risk_reasons(result, systems: pd.Index) -> pd.Series:
    """Why each system's risk is high, in a few words (out of support, scarce skills,
    known vulnerabilities, many dependents, unsupported hosting)."""
    scores = result.scores.loc[systems]
    support = result.policy.risk.likelihood.support
    parts = [
        (scores["likelihood_support"] >= support.past, "out of support"),
        (
            (scores["likelihood_support"] > 0) & (scores["likelihood_support"] < support.past),
            "support ends soon or is unknown",
        ),
        (scores["likelihood_skills"] >= 0.5, "scarce skills"),
        (scores["likelihood_vulnerabilities"] > 0, "known vulnerabilities"),
        (scores["downstream"] >= 10, "many systems depend on it"),
    ]
    words: list[list[str]] = [[] for _ in range(len(scores))]
    for mask, text in parts:
        for position in np.flatnonzero(mask.to_numpy()):
            words[position].append(text)
    return pd.Series([", ".join(w) for w in words], index=scores.index, dtype=object)


def accepted_risks(result) -> pd.DataFrame:
    """The plan's accepted risks (retained systems rated high or extreme, highest first:
    name, category, risk, risk_rating, end_of_support) with why each is high."""
    accepted = result.accepted_risks
    return accepted.assign(why=risk_reasons(result, accepted.index))
