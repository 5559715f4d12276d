"""modernise.planner: scores, replacement order, schedule, charts and exports.

The functions analysts use are here (see ``docs/python-api.md``); charts live in
:mod:`planner.charts`, writers in :mod:`planner.export` and the board pack in
:mod:`planner.report` (:func:`board_pack`).

Names are imported on first use (PEP 562), so ``import planner`` and the command line's
quick commands do not load numba, matplotlib or the solvers until something needs them.

Examples
--------
>>> import planner
>>> planner.plan.__name__
'plan'
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inventory.resources import sample_path
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

#: Where each public name lives: imported when first asked for.
_HOMES = {
    "PlanResult": "planner.plan",
    "Policy": "planner.policy",
    "load_policy": "planner.policy",
    "sample_path": "inventory.resources",
    **{
        name: "planner.api"
        for name in (
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
        )
    },
}

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
    "sample_path",
    "score",
    "systems",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


class _Package(types.ModuleType):
    """The package, where a function keeps its name when a module of the same name is first
    imported (``planner.plan`` is the function; the module is ``sys.modules['planner.plan']``)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _HOMES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
