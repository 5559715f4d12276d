"""The milestones a board governs, as the plan places them: the business cases it (or the
centre) must approve before projects start, and the DCB0160 clinical safety cases signed
off before clinical go-lives.

Both are the plan's own dates (``approval`` and ``approved_by``, ``clinical_safety_class``
and ``safety_signoff`` in :attr:`~planner.plan.PlanResult.units`), so the pack, the Gantt
and every export agree.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> clinical_safety(result)["safety_class"].to_dict()  # the ED and PAS are patient-facing
{'ed': 'high', 'pas': 'high'}
>>> approvals(result)["approval"].tolist()  # £1m or more: the ED, the engine and the PAS
['trust board', 'trust board', 'trust board']
"""

from __future__ import annotations

import pandas as pd

from planner.report.headline import project_names

__all__ = ["approvals", "clinical_safety"]


def _first_category(result, units: pd.DataFrame) -> pd.Series:
    first = units["members"].map(lambda m: m[0])
    category = result.inventory.systems["category"].reindex(first).to_numpy()
    return pd.Series(category, index=units.index)


def clinical_safety(result) -> pd.DataFrame:
    """The scheduled projects with a DCB0160 safety case to sign off before go-live (class
    low, medium or high), in order of sign-off: the project, its category, class, the
    sign-off's month (``safety_signoff``, the first day of the month it falls in) and the
    go-live. A retirement has none of its own: its data and workflows move under the
    absorbing system's safety case."""
    units = result.units[result.units["scheduled"] & result.units["safety_signoff"].notna()]
    frame = pd.DataFrame(
        {
            "project": project_names(result, units),
            "category": _first_category(result, units),
            "safety_class": units["clinical_safety_class"],
            "safety_signoff": units["safety_signoff"],
            "go_live": units["go_live"],
        },
        index=units.index,
    )
    return frame.sort_values(["safety_signoff", "project"], kind="stable")


def approvals(result) -> pd.DataFrame:
    """The business cases to approve before their projects start, in date order: the
    project, who approves (trust board or national, by the policy's delegated limits), by
    when (``approved_by``, NaT when the project is not scheduled), the cost and the
    go-live. Those not scheduled come last."""
    units = result.units[result.units["approval"] != ""]
    frame = pd.DataFrame(
        {
            "project": project_names(result, units),
            "category": _first_category(result, units),
            "approval": units["approval"],
            "approved_by": units["approved_by"],
            "cost_gbp": units["cost_gbp"],
            "go_live": units["go_live"],
        },
        index=units.index,
    )
    return frame.sort_values(["approved_by", "project"], na_position="last", kind="stable")
