"""The estate's risk month by month: with the plan, and with nothing replaced."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.policy import Policy
from planner.schedule import Calendar

__all__ = ["risk_burndown"]


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
    scores = scores[
        ["likelihood_age", "likelihood_vulnerabilities", "likelihood_skills", "consequence"]
    ].reindex(systems.index)
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
        {"plan_risk": plan, "do_nothing_risk": do_nothing},
        index=pd.DatetimeIndex(calendar.month_starts, name="month"),
    )
