"""Charts of the plan: the Gantt, spend per financial year, the risk burn-down, scenarios.

Each ``plot_x(result, *, ax=None)`` draws on the given Axes (or a new figure sized for its
content) and returns the Figure; :func:`roadmap_figure` puts the Gantt, spend and burn-down
on one page.
"""

from __future__ import annotations

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from inventory.errors import InvalidArgumentError
from planner.charts.style import (
    DOMAIN_OF,
    DOMAINS,
    figure_of,
    label,
    month_axis,
    new_figure,
    palette_for,
)

__all__ = ["plot_burndown", "plot_comparison", "plot_gantt", "plot_spend", "roadmap_figure"]


def _gantt_rows(result, group_by: str | None) -> pd.DataFrame:
    units = result.units[result.units["scheduled"]].copy()
    systems = result.inventory.systems
    first = units["members"].map(lambda m: m[0])
    units["category"] = systems.loc[first, "category"].to_numpy()
    units["domain"] = units["category"].map(DOMAIN_OF).fillna("other")
    units["organisation"] = systems.loc[first, "organisation"].to_numpy()
    names = systems["name"]
    units["label"] = [
        label(
            _shortened(names[m[0]], 36)
            if len(m) == 1
            else _shortened(f"Move group: {' + '.join(m)}", 44)
        )
        for m in units["members"]
    ]
    eos = result.schedule["end_of_support"]
    units["deadline_shown"] = [
        min((eos[m] for m in members if pd.notna(eos[m])), default=pd.NaT)
        for members in units["members"]
    ]
    if group_by:
        if group_by not in ("category", "wave", "organisation"):
            raise InvalidArgumentError(
                "group_by", f"group by '{group_by}' is not one of: category, wave, organisation"
            )
        grouped = units.groupby(group_by, sort=True)
        rows = pd.DataFrame(
            {
                "start": grouped["start"].min(),
                "go_live": grouped["go_live"].max(),
                "count": grouped.size(),
                "critical": grouped["critical"].any(),
                "deadline_shown": grouped["deadline_shown"].min(),
                "category": grouped["category"].first(),
                "domain": grouped["domain"].first(),
                "wave": grouped["wave"].min(),
                # a group's milestones: every one of its projects'
                "safety_signoff": grouped["safety_signoff"].agg(_dates),
                "approved_by": grouped["approved_by"].agg(_dates),
            }
        )
        rows["label"] = [
            label(
                f"{'Wave ' if group_by == 'wave' else ''}{key} ({n} project{'s' if n != 1 else ''})"
            )
            for key, n in zip(rows.index, rows["count"], strict=True)
        ]
        rows[group_by] = rows.index
        return rows.sort_values(["start", "go_live"]).reset_index(drop=True)
    return units.sort_values(["start", "go_live", "label"]).reset_index()


def _shortened(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, an ellipsis marking what was cut.

    >>> _shortened("Occupational therapy equipment database", 36)
    'Occupational therapy equipment data…'
    >>> _shortened("Storage area network", 36)
    'Storage area network'
    """
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _dates(values: pd.Series) -> list[pd.Timestamp]:
    return [value for value in values if pd.notna(value)]


def _milestones(rows: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """The dates (as plot numbers) and row positions of a milestone column: one date a row,
    or a list of them for a group of projects."""
    dates: list[pd.Timestamp] = []
    at: list[int] = []
    if len(rows) and column in rows:
        for position, value in enumerate(rows[column]):
            for date in value if isinstance(value, list) else (value,):
                if pd.notna(date):
                    dates.append(date)
                    at.append(position)
    return (mdates.date2num(dates) if dates else np.zeros(0)), np.asarray(at)


def plot_gantt(
    result,
    *,
    ax: Axes | None = None,
    colour_by: str = "domain",
    group_by: str | None = None,
    today: pd.Timestamp | None = None,
) -> Figure:
    """The roadmap as a Gantt chart: one bar per project (a system or a move group).

    Bars are coloured by ``colour_by`` (domain, category or wave); a black outline marks the
    critical path; red diamonds mark end-of-support dates that fall inside the plan; a red triangle
    on the left marks projects already out of support when the plan starts; black ticks mark
    clinical safety cases signed off and dark thin diamonds business cases approved. Winter
    change freezes are shaded, financial years (1 April) gridded, and ``today`` drawn as a line.
    ``group_by`` (category, wave or organisation) summarises to one bar per group, with every
    milestone of its projects.

    Drawn to stay quick at thousands of rows: the bars are one collection (and the critical
    path's outlines another), the row gridlines and row ticks one artist each, each kind of
    milestone one line of markers; the project names are the y tick labels. The title and the
    (empty) y axis label are placed once rather than measured against every name on each
    draw: a y label set afterwards sits at a fixed distance left of the axes (29% of its
    width; move it with ``ax.yaxis.set_label_coords``).
    """
    rows = _gantt_rows(result, group_by)
    return _draw_gantt(result, rows, ax, colour_by=colour_by, group_by=group_by, today=today)


#: The height of a Gantt bar, in rows.
BAR_HEIGHT = 0.72


def _bars(left: np.ndarray, width: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Horizontal bars as rectangles (n, 4, 2), centred on their rows, for a PolyCollection;
    the corners in the order a Rectangle draws them."""
    bottom, top = y - BAR_HEIGHT / 2, y + BAR_HEIGHT / 2
    right = left + width
    return np.stack(
        [
            np.column_stack([left, bottom]),
            np.column_stack([right, bottom]),
            np.column_stack([right, top]),
            np.column_stack([left, top]),
        ],
        axis=1,
    )


def _row_lines(ax: Axes, n: int) -> None:
    """The row gridlines and the row ticks, one artist each (a gridline and tick per tick
    label is three artists a row), styled as the axis would draw them."""
    ax.add_collection(
        LineCollection(
            [[(0, row), (1, row)] for row in range(n)],
            colors="#eeeeee",
            linewidths=0.5,
            capstyle=matplotlib.rcParams["lines.solid_capstyle"],  # as a gridline's ends
            transform=ax.get_yaxis_transform(),
            zorder=1.5,  # where the y axis draws its grid: over the freezes, under the bars
            label="_row gridlines",
        ),
        autolim=False,
    )
    if not n:
        return
    tick = ax.yaxis.get_major_ticks()[0].tick1line
    if tick.get_visible():
        ax.add_line(
            Line2D(
                np.zeros(n),
                np.arange(n),
                linestyle="none",
                marker=tick.get_marker(),
                markersize=tick.get_markersize(),
                markeredgewidth=tick.get_markeredgewidth(),
                color=tick.get_color(),
                transform=ax.get_yaxis_transform(),
                clip_on=False,
                zorder=tick.get_zorder(),
                label="_row ticks",
            )
        )
    ax.tick_params(axis="y", left=False)


def _draw_gantt(
    result,
    rows: pd.DataFrame,
    ax: Axes | None,
    *,
    colour_by: str,
    group_by: str | None,
    today: pd.Timestamp | None,
) -> Figure:
    if colour_by not in ("domain", "category", "wave"):
        raise InvalidArgumentError(
            "colour_by", f"colour by '{colour_by}' is not one of: domain, category, wave"
        )
    if colour_by == "domain":
        keys = [d for d in DOMAINS if d in set(rows[colour_by])]
    else:
        keys = [str(k) for k in sorted(rows[colour_by].dropna().unique(), key=str)]
    colours = palette_for(keys)
    n = len(rows)
    if ax is None:
        figure = new_figure(figsize=(15, _gantt_height(n)))
        ax = figure.add_axes(_GANTT_BOX)
    start = result.start
    end = (rows["go_live"].max() if n else start) + pd.DateOffset(months=3)
    y = np.arange(n)
    if n:
        left = mdates.date2num(rows["start"])
        width = mdates.date2num(rows["go_live"]) - left
        bar_colours = [colours.get(str(v), "#888888") for v in rows[colour_by]]
        critical = rows["critical"].to_numpy(bool)
        ax.add_collection(
            PolyCollection(
                _bars(left, width, y),  # type: ignore[arg-type]  # stubs: not an (n, 4, 2) array
                facecolors=bar_colours,
                edgecolors="none",
                linewidths=0,
                zorder=3,
                label="_bars",
            ),
            autolim=False,
        )
        if critical.any():
            ax.add_collection(
                PolyCollection(
                    _bars(left[critical], width[critical], y[critical]),  # type: ignore[arg-type]
                    facecolors="none",
                    edgecolors="black",
                    linewidths=1.4,
                    joinstyle="miter",  # as a Rectangle's corners
                    zorder=4,
                    label="_critical path",
                ),
                autolim=False,
            )
    deadlines = rows["deadline_shown"] if n else pd.Series(dtype="datetime64[ns]")
    inside = deadlines.notna() & (deadlines >= start)
    before = deadlines.notna() & (deadlines < start)
    if inside.any():
        ax.plot(
            mdates.date2num(deadlines[inside]),
            np.flatnonzero(inside),
            "D",
            color="#b2182b",
            markersize=4.5,
            zorder=5,
        )
    if before.any():
        ax.plot(
            np.full(int(before.sum()), mdates.date2num(start)),
            np.flatnonzero(before),
            ">",
            color="#b2182b",
            markersize=4,
            zorder=5,
        )
    signoff_at, signoff_rows = _milestones(rows, "safety_signoff")
    if len(signoff_at):
        ax.plot(signoff_at, signoff_rows, "|", color="black", markersize=7, mew=1.6, zorder=6)
    approval_at, approval_rows = _milestones(rows, "approved_by")
    if len(approval_at):
        ax.plot(
            approval_at,
            approval_rows,
            "d",
            color="#212b32",
            markeredgecolor="white",
            markeredgewidth=0.6,
            markersize=6,
            zorder=6,
        )
    ax.set_yticks(y, rows["label"].tolist(), fontsize=6.5 if n > 60 else 8)
    _row_lines(ax, n)
    ax.invert_yaxis()
    ax.set_ylim(n - 0.4, -0.6)
    # freeze windows and financial years
    freeze = set(result.policy.schedule.freeze_months)
    month = start
    while month <= end:
        if month.month in freeze:
            ax.axvspan(
                mdates.date2num(month),
                mdates.date2num(month + pd.DateOffset(months=1)),
                color="#9ecae1",
                alpha=0.25,
                lw=0,
                zorder=1,
            )
        if month.month == 4:
            ax.axvline(mdates.date2num(month), color="#666666", lw=0.6, ls=":", zorder=2)
        month = month + pd.DateOffset(months=1)
    today = today if today is not None else pd.Timestamp.today().normalize()
    if start - pd.DateOffset(months=36) <= today <= end:
        ax.axvline(mdates.date2num(today), color="#000000", lw=1.0, zorder=5)
        ax.text(mdates.date2num(today), -0.9, " today", fontsize=7, va="bottom")
    ax.set_xlim(
        mdates.date2num(min(start, today) if today >= start - pd.DateOffset(months=6) else start),
        mdates.date2num(end),
    )
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=4))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("FY%y/"))
    ax.set_xticks(ax.get_xticks())
    years = [mdates.num2date(t).year for t in ax.get_xticks()]
    ax.set_xticklabels(
        [f"{year}/{(year + 1) % 100:02d}" for year in years],
        fontsize=8,
    )
    ax.xaxis.tick_top()
    handles: list[Artist] = [Patch(facecolor=c, label=label(k)) for k, c in colours.items()]
    handles += [
        Patch(facecolor="white", edgecolor="black", lw=1.4, label="critical path"),
        Patch(facecolor="#9ecae1", alpha=0.5, label="change freeze"),
        Line2D([], [], marker="D", color="#b2182b", ls="", label="end of support"),
        Line2D([], [], marker=">", color="#b2182b", ls="", label="already unsupported"),
    ]
    if len(signoff_at):
        handles.append(
            Line2D(
                [], [], marker="|", color="black", mew=1.6, ls="", label="safety case signed off"
            )
        )
    if len(approval_at):
        handles.append(
            Line2D([], [], marker="d", color="#212b32", ls="", label="business case approved")
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.005, 1.0),
        fontsize=7,
        frameon=False,
        title=colour_by,
        title_fontsize=8,
    )
    missing = int((~result.units["scheduled"]).sum())
    left_out = (
        f"; {missing} not scheduled (£{result.unscheduled_cost / 1e6:,.1f}m)" if missing else ""
    )
    if group_by:
        heading = f"Replacement roadmap by {group_by}: {n} groups" + left_out
    else:
        heading = "Replacement roadmap: " + result.headline
    # y=1 given: matplotlib would otherwise measure every tick label of both axes on each
    # draw to see whether the title clears the year labels on top (24 points always does)
    ax.set_title(label(heading), fontsize=11, pad=24, y=1.0)
    ax.yaxis.set_label_coords(-0.29, 0.5)  # not measured against every name on each draw
    return figure_of(ax)


def plot_spend(result, *, ax: Axes | None = None) -> Figure:
    """Capital and revenue per NHS financial year, side by side, each against its own budget
    (a mark over its bar; the revenue budget where the policy sets one), so no bar reads as
    over a budget it is not held to."""
    frame = result.spend_by_fy
    if ax is None:
        ax = new_figure(figsize=(7, 3.6)).subplots()
    x = np.arange(len(frame), dtype=float)
    width = 0.4
    for offset, spend, budget, colour, mark in (
        (-width / 2, "capital_gbp", "capital_budget_gbp", "#4477aa", "#b2182b"),
        (width / 2, "revenue_gbp", "revenue_budget_gbp", "#88ccee", "#ee7733"),
    ):
        kind = spend.removesuffix("_gbp")
        ax.bar(x + offset, frame[spend] / 1e6, width, color=colour, label=kind, zorder=3)
        if frame[budget].notna().any():
            ax.plot(
                x + offset,
                frame[budget] / 1e6,
                color=mark,
                marker="_",
                markersize=11,
                lw=0,
                mew=2.2,
                label=f"{kind} budget",
                zorder=4,
            )
    ax.set_xticks(x, frame.index.tolist(), rotation=45, fontsize=8)
    ax.set_ylabel("£ million")
    ax.set_title("Spend per financial year", fontsize=10)
    ax.grid(axis="y", color="#eeeeee", zorder=0)
    ax.legend(fontsize=8, frameon=False)
    return figure_of(ax)


def plot_burndown(result, *, ax: Axes | None = None) -> Figure:
    """Total risk still live each month: the plan against doing nothing."""
    frame = result.burndown
    if ax is None:
        ax = new_figure(figsize=(7, 3.6)).subplots()
    ax.plot(
        frame.index,
        frame["do_nothing_risk"],
        color="#b2182b",
        lw=1.5,
        ls="--",
        label="do nothing",
    )
    ax.plot(frame.index, frame["plan_risk"], color="#228833", lw=2, label="with the plan")
    ax.fill_between(
        frame.index, frame["plan_risk"], frame["do_nothing_risk"], color="#228833", alpha=0.12
    )
    ax.set_ylim(bottom=0)
    month_axis(ax)
    ax.set_ylabel("estate risk (sum of 0-100 scores)")
    ax.set_title("Risk burn-down", fontsize=10)
    ax.grid(color="#eeeeee")
    ax.legend(fontsize=8, frameon=False)
    return figure_of(ax)


#: Line and bar colours for scenarios, in order (colour-blind safe, Paul Tol's bright).
_SCENARIO_COLOURS = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb"]


def plot_comparison(comparison) -> Figure:
    """Scenarios side by side (:func:`planner.compare`): each plan's risk burn-down, and
    its spend per financial year as grouped bars against the baseline's budget."""
    figure = new_figure(figsize=(14, 4.4))
    burn, money = figure.subplots(1, 2, width_ratios=[1, 1.1])
    names = list(comparison.plans)
    colours = {n: _SCENARIO_COLOURS[i % len(_SCENARIO_COLOURS)] for i, n in enumerate(names)}
    dashes = ["-", "--", ":", "-."]
    for i, (name, result) in enumerate(comparison.plans.items()):
        frame = result.burndown
        exposure = comparison.table.loc[name, "risk_exposure"]
        burn.step(
            frame.index,
            frame["plan_risk"],
            where="post",
            color=colours[name],
            ls=dashes[i % len(dashes)],
            lw=2.6 if i == 0 else 1.5,  # the baseline thicker, so identical stretches show
            label=label(f"{name} (exposure {exposure:,.0f})"),
        )
    burn.set_ylim(bottom=0)
    month_axis(burn)
    burn.set_ylabel("estate risk (sum of 0-100 scores)")
    burn.set_title("Risk burn-down by scenario (exposure: risk-months)", fontsize=10)
    burn.grid(color="#eeeeee")
    burn.legend(fontsize=8, frameon=False)
    spend = comparison.spend
    x = np.arange(len(spend))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        money.bar(
            x - 0.4 + width * (i + 0.5),
            spend[name] / 1e6,
            width=width,
            color=colours[name],
            label=label(name),
            zorder=3,
        )
    money.set_xticks(x, spend.index.tolist(), rotation=45, fontsize=8)
    money.set_ylabel("£ million")
    money.set_title("Spend per financial year by scenario", fontsize=10)
    money.grid(axis="y", color="#eeeeee", zorder=0)
    money.legend(fontsize=8, frameon=False)
    figure.tight_layout()
    return figure


#: Where the Gantt axes sit in its figure (left, bottom, width, height), leaving room for
#: the project names on the left and the legend on the right.
_GANTT_BOX = (0.2, 0.04, 0.64, 0.9)


def _gantt_height(rows: int) -> float:
    return max(3.5, 0.19 * rows + 1.8)


def roadmap_figure(
    result, *, colour_by: str = "domain", group_by: str | None = None, today=None
) -> Figure:
    """The Gantt with the spend-per-year chart and the risk burn-down beneath it."""
    rows = _gantt_rows(result, group_by)
    gantt_height = _gantt_height(len(rows))
    total = gantt_height + 5.0
    figure = new_figure(figsize=(15, total))
    # margins in inches: 0.9 above the Gantt (title, year labels), 1.3 between, 0.9 below
    grid = figure.add_gridspec(
        2,
        2,
        height_ratios=[gantt_height - 0.9, 3.1],
        left=0.2,
        right=0.84,
        top=1 - 0.9 / total,
        bottom=0.9 / total,
        hspace=1.3 / ((gantt_height + 2.2) / 2),
        wspace=0.25,
    )
    _draw_gantt(
        result,
        rows,
        figure.add_subplot(grid[0, :]),
        colour_by=colour_by,
        group_by=group_by,
        today=today,
    )
    plot_spend(result, ax=figure.add_subplot(grid[1, 0]))
    plot_burndown(result, ax=figure.add_subplot(grid[1, 1]))
    return figure
