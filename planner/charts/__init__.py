"""Charts with matplotlib, by audience: the estate (:mod:`.estate`), the plan
(:mod:`.roadmap`) and its uncertainty (:mod:`.uncertainty`); shared colours and :func:`save`
in :mod:`.style`.

Each ``plot_x(..., *, ax=None)`` draws on the given Axes (or a new figure sized for its
content) and returns the Figure. Nothing here calls ``show()``, writes files other than
through :func:`save`, or chooses a matplotlib backend (a notebook keeps its inline one).
"""

from planner.charts.estate import (
    plot_category_map,
    plot_dependency_map,
    plot_end_of_support,
    plot_portfolio,
)
from planner.charts.roadmap import (
    plot_burndown,
    plot_comparison,
    plot_gantt,
    plot_spend,
    roadmap_figure,
)
from planner.charts.style import CRITICALITY_COLOURS, MAX_PNG_PIXELS, png_dpi, save
from planner.charts.uncertainty import (
    plot_completion_histogram,
    plot_forecast_fan,
    plot_rank_stability,
)

__all__ = [
    "CRITICALITY_COLOURS",
    "MAX_PNG_PIXELS",
    "plot_burndown",
    "plot_category_map",
    "plot_comparison",
    "plot_completion_histogram",
    "plot_dependency_map",
    "plot_end_of_support",
    "plot_forecast_fan",
    "plot_gantt",
    "plot_portfolio",
    "plot_rank_stability",
    "plot_spend",
    "png_dpi",
    "roadmap_figure",
    "save",
]
