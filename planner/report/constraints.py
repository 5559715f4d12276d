"""What holds the programme back: the plan's record of what held each project between its
earliest start and its start (:attr:`~planner.plan.PlanResult.held`, month range by month
range), added up by constraint for the board, and per project for the Gantt's tooltips.

Each month a project could have started but did not counts once, against the rule that
stopped it (a change freeze, a team's capacity, the project cap, capital or revenue in a
year, the go-live limit, go-live spacing, the decommissioning window, a contract deadline);
the sum over projects is in project-months.

Examples
--------
>>> import planner
>>> result = planner.plan("data/sample-trust")
>>> frame = binding_constraints(result)
>>> frame.columns.tolist()
['constraint', 'projects', 'project_months']
>>> int(frame["project_months"].sum()) == int(held_months(result.held).sum())
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.wording import plural

__all__ = ["binding_constraints", "held_months", "held_words", "label"]


def held_months(held: pd.DataFrame) -> pd.Series:
    """The months in each range of ``held`` (its ``from`` and ``to`` inclusive).

    >>> held = pd.DataFrame({"from": pd.to_datetime(["2027-04-01"]),
    ...                      "to": pd.to_datetime(["2027-06-30"])})
    >>> held_months(held).tolist()
    [3]
    """
    first, last = held["from"], held["to"]
    months = (last.dt.year - first.dt.year) * 12 + last.dt.month - first.dt.month + 1
    return months.astype("int64")


def label(held: pd.DataFrame) -> pd.Series:
    """Each range's constraint in words: what held it, and the team, financial year or
    go-live group when it names one ('team capacity (integration)')."""
    what = held["what"].fillna("").astype(str)
    named = np.where(what != "", " (" + what + ")", "")
    return held["held_by"].astype(str) + named


def binding_constraints(result) -> pd.DataFrame:
    """Per constraint (see :func:`label`): how many projects it held and for how many
    project-months in all, most first. Empty when nothing waited."""
    held = result.held
    columns = ["constraint", "projects", "project_months"]
    if held.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {"constraint": label(held), "unit": held["unit"], "months": held_months(held)}
    )
    grouped = frame.groupby("constraint")
    table = pd.DataFrame(
        {"projects": grouped["unit"].nunique(), "project_months": grouped["months"].sum()}
    ).reset_index()
    return table.sort_values(
        ["project_months", "constraint"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)[columns]


def held_words(result) -> pd.Series:
    """Per project that waited: what held it, in a few words, longest first ('held 9 months
    by team capacity (infrastructure), 6 by change freeze'), by project.

    >>> import planner
    >>> words = held_words(planner.plan("data/sample-trust"))
    >>> words["cafm"]
    'held 13 months by go-live limit, 9 by change freeze, 8 by team capacity (infrastructure)'
    """
    held = result.held
    if held.empty:
        return pd.Series(dtype=object)
    frame = pd.DataFrame({"unit": held["unit"], "constraint": label(held)})
    frame["months"] = held_months(held).to_numpy()
    per = frame.groupby(["unit", "constraint"], sort=False)["months"].sum().reset_index()
    per = per.sort_values(["unit", "months", "constraint"], ascending=[True, False, True])
    words = {}
    for unit, rows in per.groupby("unit", sort=False):
        parts = [
            f"{plural(months, 'month')} by {text}" if i == 0 else f"{months} by {text}"
            for i, (text, months) in enumerate(zip(rows["constraint"], rows["months"], strict=True))
        ]
        words[unit] = "held " + ", ".join(parts)
    return pd.Series(words, dtype=object)
