"""Charts of how sure the plan is: the Monte Carlo fan and completion histogram, and how
the ranking moves with the priority weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from planner.charts.style import figure_of, month_axis, new_figure
from planner.charts.style import label as as_label
from planner.stability import RankStability

__all__ = ["plot_completion_histogram", "plot_forecast_fan", "plot_rank_stability"]


def plot_forecast_fan(forecast, *, ax: Axes | None = None) -> Figure:
    """Risk still live each month across the Monte Carlo runs: the P5-P95 and P20-P80
    bands, the median and the plan's own line (:func:`planner.forecast`)."""
    remaining, planned = forecast.risk_remaining, forecast.planned_risk
    settled = np.flatnonzero(remaining.max(axis=0) > remaining[:, -1].max() + 1e-9)
    months = min(remaining.shape[1], (settled[-1] + 7) if settled.size else 12)
    x = forecast.month_starts[:months]
    bands = np.quantile(remaining[:, :months], [0.05, 0.2, 0.5, 0.8, 0.95], axis=0)
    if ax is None:
        ax = new_figure(figsize=(8, 3.8)).subplots()
    ax.fill_between(x, bands[0], bands[4], color="#4477aa", alpha=0.18, lw=0, label="P5-P95")
    ax.fill_between(x, bands[1], bands[3], color="#4477aa", alpha=0.35, lw=0, label="P20-P80")
    ax.plot(x, bands[2], color="#224477", lw=1.8, label="median run")
    ax.plot(x, planned[:months], color="#b2182b", lw=1.2, ls="--", label="the plan")
    ax.set_ylim(bottom=0)
    month_axis(ax)
    ax.set_ylabel("risk of planned systems still live")
    ax.set_title(f"Risk burn-down across {forecast.runs:,} runs", fontsize=10)
    ax.grid(color="#eeeeee")
    ax.legend(fontsize=8, frameon=False)
    return figure_of(ax)


def plot_completion_histogram(forecast, *, ax: Axes | None = None) -> Figure:
    """When the whole programme finishes, run by run (one bar per go-live month), with the
    plan and P50 / P80 / P95 marked; runs that do not fit the horizon are counted in the title."""
    finished = forecast.completion_months[np.isfinite(forecast.completion_months)]
    beyond = forecast.runs - len(finished)
    if ax is None:
        ax = new_figure(figsize=(8, 3.6)).subplots()
    if len(finished):
        # a run done after n months goes live in month n - 1 (counted from 0)
        months, counts = np.unique(finished.astype(np.int64) - 1, return_counts=True)
        starts = pd.date_range(forecast.month_starts[0], periods=months.max() + 1, freq="MS")
        ax.bar(starts[months], counts, width=25, align="edge", color="#4477aa", label="runs")
    styles = {"planned": ("#b2182b", "--"), "P50": ("#222222", "-"), "P80": ("#222222", "-.")}
    for label, when in forecast.programme["go_live"].items():
        if pd.notna(when):
            colour, dash = styles.get(label, ("#222222", ":"))
            ax.axvline(when, color=colour, ls=dash, lw=1.3, label=f"{label} {when:%b %Y}")
    title = f"Programme completion across {forecast.runs:,} runs"
    if beyond:
        title += f" ({beyond:,} beyond the horizon)"
    ax.set_title(title, fontsize=10)
    ax.set_ylabel("runs")
    ax.grid(axis="y", color="#eeeeee")
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return figure_of(ax)


def plot_rank_stability(
    stability: RankStability, *, limit: int = 30, ax: Axes | None = None
) -> Figure:
    """The rank range of the first ``limit`` systems when the weights are redrawn
    (:func:`planner.rank_stability`): a bar from the P5 to the P95 rank, a dot at the median,
    a diamond at the chosen rank; fragile ones (top-N membership in doubt) in red."""
    table = stability.table
    rows = table.head(limit)
    top = stability.summary["top N"]
    if ax is None:
        ax = new_figure(figsize=(8, max(3.0, 0.24 * len(rows) + 1.2))).subplots()
    y = np.arange(len(rows))
    colours = ["#b2182b" if fragile else "#4477aa" for fragile in rows["fragile"]]
    ax.hlines(y, rows["best_rank_p5"], rows["worst_rank_p95"], colors=colours, lw=3, alpha=0.6)
    ax.scatter(rows["median_rank"], y, color=colours, s=18, zorder=3, label="median rank")
    ax.scatter(
        rows["rank"],
        y,
        marker="D",
        facecolor="white",
        edgecolor="#222222",
        s=22,
        zorder=4,
        label="chosen weights",
    )
    if top:
        ax.axvline(top + 0.5, color="#888888", ls="--", lw=1, label=f"top {top}")
    ax.set_yticks(y, [as_label(i) for i in rows.index], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("rank (P5 to P95 of the draws)")
    draws = stability.summary["draws"]
    title = "How the ranking moves with the priority weights"
    title += f"\n{draws:,} draws; red: in the top {top} or not depends on the weights"
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return figure_of(ax)
