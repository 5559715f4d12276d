"""modernise.planner: scores, replacement order, schedule, charts and exports.

The functions analysts use are here (see ``docs/python-api.md``); charts live in
:mod:`planner.charts`, writers in :mod:`planner.export` and the board pack in
:mod:`planner.report` (:func:`board_pack`).
"""

from planner.api import (
    blast_radius,
    board_pack,
    compare,
    explain,
    forecast,
    graph,
    impact_table,
    levers,
    load,
    plan,
    rank,
    rank_stability,
    resolve_policy,
    score,
    systems,
)
from planner.plan import PlanResult
from planner.policy import Policy, load_policy

__all__ = [
    "PlanResult",
    "Policy",
    "blast_radius",
    "board_pack",
    "compare",
    "explain",
    "forecast",
    "graph",
    "impact_table",
    "levers",
    "load",
    "load_policy",
    "plan",
    "rank",
    "rank_stability",
    "resolve_policy",
    "score",
    "systems",
]
