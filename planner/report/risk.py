"""The risks a board accepts or must govern: the risk burn-down by financial year, the high
and extreme risks of systems nobody plans to replace, and the go-lives that need a DCB0160
clinical safety sign-off.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> accepted_risks(result).empty  # the portal is retained, at low risk
True
>>> clinical_safety(result).index.tolist()
['ed', 'pas']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.charts.style import DOMAIN_OF
from planner.policy import financial_year

__all__ = [
    "CLINICAL_DOMAINS",
    "SIGN_OFFS_NOT_IN_PLAN",
    "accepted_risks",
    "burndown_by_year",
    "clinical_safety",
    "risk_reasons",
]

#: Domains whose systems are health IT under DCB0160 (with anything patient-facing).
CLINICAL_DOMAINS = ("clinical", "diagnostics", "medicines", "medical devices")
#: Said above the clinical safety table: the plan derives it, it holds no milestones.
SIGN_OFFS_NOT_IN_PLAN = (
    "The plan holds no clinical safety sign-off milestones yet. Listed are the planned "
    "go-lives and decommissionings of clinical or patient-facing systems: under DCB0160 each "
    "needs a hazard log and a safety case signed off by the Clinical Safety Officer before it "
    "goes live."
)


def burndown_by_year(result) -> pd.DataFrame:
    """Total estate risk at the start of each financial year (1 April), with the plan and
    with nothing replaced, and the share the plan has removed by then.

    Risk is the sum over systems of 4 x likelihood x consequence (0-100 a system), so a
    figure of 1,000 is ten systems at the highest risk or forty at a quarter of it.
    """
    frame = result.burndown
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
    """Systems rated high or extreme that the plan leaves in place (disposition retain, or
    retired from planning): the risks the board accepts, highest first, with why."""
    scores = result.scores
    kept = scores[~scores["planned"] & scores["risk_rating"].isin(["extreme", "high"])]
    kept = kept.sort_values(["risk", "rank"], ascending=[False, True])
    systems = result.inventory.systems
    return pd.DataFrame(
        {
            "name": kept["name"],
            "category": kept["category"],
            "risk": kept["risk"],
            "risk_rating": kept["risk_rating"],
            "end_of_support": systems["end_of_support"].reindex(kept.index),
            "why": risk_reasons(result, kept.index),
        },
        index=kept.index,
    )


def clinical_safety(result) -> pd.DataFrame:
    """Scheduled go-lives (and decommissionings) of clinical or patient-facing systems, in
    date order: each needs a DCB0160 safety case signed off before it (see
    :data:`SIGN_OFFS_NOT_IN_PLAN`). Clinical means a category in :data:`CLINICAL_DOMAINS`."""
    schedule = result.scheduled
    systems = result.inventory.systems.loc[schedule.index]
    clinical = systems["category"].map(DOMAIN_OF).isin(CLINICAL_DOMAINS) | systems[
        "patient_facing"
    ].astype(bool)
    chosen = schedule[clinical.to_numpy()]
    frame = pd.DataFrame(
        {
            "name": chosen["name"],
            "category": chosen["category"],
            "change": np.where(chosen["disposition"] == "retire", "decommission", "deploy"),
            "criticality": systems.loc[chosen.index, "criticality"],
            "sign_off_by": chosen["go_live"],
        },
        index=chosen.index,
    )
    return frame.sort_values(["sign_off_by", "name"], kind="stable")
