"""Charts of the estate as it is: dependency maps, the portfolio matrix, end of support.

Each ``plot_x(..., *, ax=None)`` draws on the given Axes (or a new figure sized for its
content) and returns the Figure.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.dates as mdates
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from inventory.errors import ArgumentTypeError, InvalidArgumentError
from inventory.graph import neighbourhood
from inventory.schema import enum_key
from planner.charts.style import (
    CRITICALITY_COLOURS,
    DOMAIN_OF,
    DOMAINS,
    figure_of,
    new_figure,
    palette_for,
)
from planner.charts.style import label as as_label

__all__ = ["plot_category_map", "plot_dependency_map", "plot_end_of_support", "plot_portfolio"]


def _layers(G: nx.DiGraph, centres: list[str]) -> dict[str, int]:
    """Signed distance from the centres: providers positive, consumers negative."""
    layer = {c: 0 for c in centres}
    for direction, neighbours in ((1, G.successors), (-1, G.predecessors)):
        frontier, distance = list(centres), 0
        while frontier:
            distance += 1
            step = []
            for node in frontier:
                for other in neighbours(node):
                    if other not in layer:
                        layer[other] = direction * distance
                        step.append(other)
            frontier = step
    for node in G:
        layer.setdefault(node, 0)
    return layer


def _interface_text(data: dict, max_messages: int) -> str:
    """An interface in a few words: its kind, first message types and the route it takes
    as the catalogue wrote it ('HL7 v2: ADT^A01, ORU^R01 … via Rhapsody')."""
    messages = list(data.get("messages") or ())
    kind = data.get("kind") or ""
    route = data.get("route")
    shown = ", ".join(messages[:max_messages]) + (" …" if len(messages) > max_messages else "")
    text = f"{kind}: {shown}" if kind and shown else kind or shown
    if route:
        route = str(route)
        text += f" {route}" if route.lower().startswith("via ") else f" via {route}"
    return text.strip()


def plot_dependency_map(
    G: nx.DiGraph,
    centres: Iterable[str],
    *,
    ax: Axes | None = None,
    max_rows: int = 28,
    max_messages: int = 2,
) -> Figure:
    """Draw a dependency neighbourhood in columns: consumers left, providers right.

    ``G`` is usually :func:`inventory.graph.neighbourhood` of the centres. Nodes are coloured
    by criticality and the centres outlined; arrows point from consumer to provider. Each
    system linked directly to a centre shows that interface (kind and HL7 message types)
    under its name, so labels never pile up on crossing edges. A column longer than
    ``max_rows`` wraps into several, keeping 100-node maps legible.
    """
    centres = [c for c in centres if c in G]
    layer = _layers(G, centres)
    columns: dict[int, list[str]] = {}
    for node, column in layer.items():
        columns.setdefault(column, []).append(node)
    # x positions: each layer takes as many sub-columns as it needs
    position: dict[str, tuple[float, float]] = {}
    x = 0.0
    layer_x: dict[int, float] = {}
    width_step, row_step = 3.1, 1.0
    tallest = 1
    for column in sorted(columns):
        nodes = sorted(
            columns[column], key=lambda n: (str(G.nodes[n].get("category") or ""), str(n))
        )
        parts = -(-len(nodes) // max_rows)
        rows_here = -(-len(nodes) // parts)
        tallest = max(tallest, rows_here)
        centre_x = x + (parts - 1) * width_step / 2
        layer_x[column] = centre_x
        for i, node in enumerate(nodes):
            part, rank = divmod(i, rows_here)
            position[node] = (x + part * width_step, -rank * row_step)
        x += parts * width_step + 0.8
    # centre each column vertically
    for nodes in columns.values():
        ys = [position[n][1] for n in nodes]
        shift = (-(tallest - 1) * row_step - min(ys)) / 2
        for n in nodes:
            position[n] = (position[n][0], position[n][1] + shift)
    if ax is None:
        ax = new_figure(
            figsize=(max(8.0, 1.15 * x + 1.0), max(4.0, 0.55 * tallest + 1.6))
        ).subplots()
    centre_set = set(centres)
    for u, v in G.edges():
        near = u in centre_set or v in centre_set
        (x1, y1), (x2, y2) = position[u], position[v]
        ax.annotate(
            "",
            xy=(x2, y2),
            xytext=(x1, y1),
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#555555" if near else "#bbbbbb",
                "lw": 0.7 if near else 0.4,
                "shrinkA": 30,
                "shrinkB": 30,
                "connectionstyle": "arc3,rad=0.03",
            },
            zorder=1,
        )
    for node, (nx_, ny_) in position.items():
        data = G.nodes[node]
        colour = CRITICALITY_COLOURS.get(data.get("criticality"), CRITICALITY_COLOURS[None])
        name = str(data.get("name") or node)
        lines = [as_label(node), as_label(name[:30] + ("…" if len(name) > 30 else ""))]
        link = None
        for c in centres:
            if G.has_edge(node, c):
                link = G.edges[node, c]
            elif G.has_edge(c, node):
                link = G.edges[c, node]
        if link is not None and node not in centre_set:
            interface = _interface_text(link, max_messages)
            if interface:
                lines.append(as_label(interface[:40] + ("…" if len(interface) > 40 else "")))
        dark = data.get("criticality") == "critical"
        ax.text(
            nx_,
            ny_,
            "\n".join(lines),
            ha="center",
            va="center",
            fontsize=6.5,
            color="white" if dark else "black",
            zorder=3,
            bbox={
                "boxstyle": "round,pad=0.3",
                "fc": colour,
                "ec": "black" if node in centre_set else "#999999",
                "lw": 2.0 if node in centre_set else 0.5,
            },
        )
    xs = [p[0] for p in position.values()] or [0]
    ys = [p[1] for p in position.values()] or [0]
    ax.set_xlim(min(xs) - 1.6, max(xs) + 1.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 1.0)
    ax.set_axis_off()
    for column in sorted(columns):
        title = (
            "selected"
            if column == 0
            else (
                f"depends on ({column} step{'s' if column > 1 else ''})"
                if column > 0
                else f"depended on by ({-column} step{'s' if column < -1 else ''})"
            )
        )
        ax.text(
            layer_x[column],
            max(ys) + 0.7,
            f"{title}: {len(columns[column])}",
            ha="center",
            fontsize=8,
            weight="bold",
        )
    ax.legend(
        handles=[
            Patch(facecolor=c, edgecolor="#999999", label=k)
            for k, c in CRITICALITY_COLOURS.items()
            if k
        ],
        title="criticality",
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=7,
        title_fontsize=7,
        frameon=False,
    )
    ax.set_title(
        as_label(f"Dependencies of {', '.join(centres)} (arrows point from consumer to provider)"),
        fontsize=10,
    )
    return figure_of(ax)


#: TIME quadrants (Gartner) on risk (technical condition) against impact (business value).
TIME_QUADRANTS = {
    (True, True): "Migrate: high risk, high impact",
    (True, False): "Eliminate: high risk, low impact",
    (False, True): "Invest: low risk, high impact",
    (False, False): "Tolerate: low risk, low impact",
}


#: Where a point's label may go, in points from it, nearest first.
_LABEL_OFFSETS = [
    (dx * scale, dy * scale)
    for scale in (1, 2, 3.5)
    for dx, dy in ((6, 6), (6, -10), (-6, 6), (-6, -10), (12, 0), (-12, 0), (0, 14), (0, -18))
]


def _place_labels(
    ax: Axes,
    points: list[tuple[float, float, str]],
    fontsize: float = 7,
    *,
    taken: list | None = None,
) -> None:
    """Annotate points, each label at the nearest spot inside the axes that overlaps no label
    placed and nothing in ``taken`` (display boxes already drawn); where every spot overlaps
    something, at the one that overlaps least."""
    renderer = figure_of(ax).canvas.get_renderer()  # type: ignore[attr-defined]  # Agg, inline
    inside = ax.get_window_extent(renderer)
    placed: list = list(taken or [])

    def clash(box) -> float:
        """How much ``box`` overlaps what is placed (outside the axes counts as a lot)."""
        within = inside.x0 <= box.x0 and box.x1 <= inside.x1
        within = within and inside.y0 <= box.y0 and box.y1 <= inside.y1
        shared = sum(
            max(0.0, min(box.x1, o.x1) - max(box.x0, o.x0))
            * max(0.0, min(box.y1, o.y1) - max(box.y0, o.y0))
            for o in placed
        )
        return shared + (0.0 if within else 1e9)

    def annotate(x: float, y: float, text: str, dx: float, dy: float):
        return ax.annotate(
            text,
            (x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            fontsize=fontsize,
            ha="left" if dx >= 0 else "right",
            va="bottom" if dy >= 0 else "top",
            arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5},
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            zorder=6,
        )

    for x, y, text in points:
        best: tuple[float, float, float] | None = None  # clash, dx, dy
        for dx, dy in _LABEL_OFFSETS:
            label = annotate(x, y, text, dx, dy)
            box = label.get_window_extent(renderer).expanded(1.2, 1.15)
            score = clash(box)
            if score == 0:
                placed.append(box)
                break
            label.remove()
            if best is None or score < best[0]:
                best = (score, dx, dy)
        else:  # nowhere free: the spot that overlaps least, rather than drop the name
            assert best is not None
            label = annotate(x, y, text, best[1], best[2])
            placed.append(label.get_window_extent(renderer).expanded(1.2, 1.15))


def plot_portfolio(
    scores: pd.DataFrame,
    *,
    ax: Axes | None = None,
    label: int = 12,
    colour_by: str = "domain",
    threshold: float = 50.0,
) -> Figure:
    """The portfolio matrix: risk against downstream impact, bubble size = replacement cost.

    ``scores`` is ``systems.join(planner.score(...))``, ``PlanResult.scored`` or a
    ``PlanResult`` itself. Quadrants
    follow Gartner's TIME (tolerate, invest, migrate, eliminate) with the lines at
    ``threshold``; the ``label`` systems with the highest priority are named. Colour by
    ``domain`` (default) or ``category``.
    """
    scored = getattr(scores, "scored", None)  # a PlanResult: its register beside its scores
    if isinstance(scored, pd.DataFrame):
        scores = scored
    if not isinstance(scores, pd.DataFrame):
        raise ArgumentTypeError(
            "scores", "a table of scores (pandas DataFrame) or a PlanResult", scores
        )
    if "category" not in scores.columns:
        raise InvalidArgumentError(
            "scores",
            "the portfolio colours systems by category, which these scores do not hold",
            hint="pass systems.join(scores), or PlanResult.scored",
        )
    if ax is None:
        ax = new_figure(figsize=(11, 8)).subplots()
    frame = scores.copy()
    frame["domain"] = frame["category"].map(DOMAIN_OF).fillna("other")
    if colour_by == "domain":
        keys = [d for d in DOMAINS if d in set(frame["domain"])]
    elif colour_by == "category":
        keys = sorted(frame["category"].unique())
    else:
        raise InvalidArgumentError(
            "colour_by", f"colour by '{colour_by}' is not one of: domain, category"
        )
    colours = palette_for(keys)
    cost = frame["cost_gbp"].fillna(0).clip(lower=0)
    size = 15 + 600 * np.sqrt(cost / max(cost.max(), 1))
    ax.axvline(threshold, color="#999999", lw=0.8, ls="--", zorder=1)
    ax.axhline(threshold, color="#999999", lw=0.8, ls="--", zorder=1)
    for key in keys:
        part = frame[frame[colour_by] == key]
        ax.scatter(
            part["impact"],
            part["risk"],
            s=size[part.index],
            color=colours[key],
            alpha=0.65,
            edgecolor="white",
            linewidth=0.6,
            label=as_label(key),
            zorder=3,
        )
    ax.set_xlim(-5, 105)
    ax.set_ylim(-6, 106)
    quadrants = []
    for (high_risk, high_impact), text in TIME_QUADRANTS.items():
        # in the quadrant's outer corner, where no line runs; point labels keep clear of it
        quadrants.append(
            ax.text(
                0.99 if high_impact else 0.01,
                0.99 if high_risk else 0.01,
                text,
                transform=ax.transAxes,
                ha="right" if high_impact else "left",
                va="top" if high_risk else "bottom",
                fontsize=8,
                color="#555555",
                style="italic",
                zorder=2,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7},
            )
        )
    ax.set_xlabel("downstream impact (0-100)")
    ax.set_ylabel("risk (0-100)")
    top = frame.sort_values("priority", ascending=False).head(label)
    renderer = figure_of(ax).canvas.get_renderer()  # type: ignore[attr-defined]  # Agg, inline
    _place_labels(
        ax,
        [
            (float(impact), float(risk), as_label(system))
            for system, impact, risk in zip(top.index, top["impact"], top["risk"], strict=True)
        ],
        taken=[q.get_window_extent(renderer) for q in quadrants],
    )
    legend = ax.legend(
        title=colour_by,
        fontsize=7,
        title_fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        markerscale=0.6,
    )
    for handle in legend.legend_handles:
        if isinstance(handle, PathCollection):  # the scatter markers, shown at one size
            handle.set_sizes([40])
    ax.set_title(
        f"Portfolio: {len(frame)} systems, bubble size = replacement cost; the {label} "
        "highest priorities named",
        fontsize=10,
    )
    return figure_of(ax)


def plot_end_of_support(
    systems: pd.DataFrame,
    scores: pd.DataFrame | None = None,
    *,
    ax: Axes | None = None,
    plan_start: pd.Timestamp | None = None,
    today: pd.Timestamp | None = None,
) -> Figure:
    """How many systems fall out of support each quarter, stacked by risk rating.

    ``systems`` needs ``end_of_support`` (derived from platforms when loaded); ``scores``
    gives each system's risk rating (otherwise one colour). Systems already out of support
    at ``plan_start`` are to the left of its line.
    """
    if ax is None:
        ax = new_figure(figsize=(12, 4.5)).subplots()
    eos = systems["end_of_support"].dropna()
    quarter = eos.dt.to_period("Q")
    rating = (
        scores["risk_rating"].astype(object).reindex(eos.index).fillna("unrated")
        if scores is not None
        else pd.Series("systems", index=eos.index)
    )
    table = pd.crosstab(quarter, rating)
    if len(table):
        full = pd.period_range(table.index.min(), table.index.max(), freq="Q")
        table = table.reindex(full, fill_value=0)
    order = [
        r
        for r in ("extreme", "high", "moderate", "low", "unrated", "systems")
        if r in table.columns
    ]
    palette = {
        "extreme": "#b2182b",
        "high": "#ef8a62",
        "moderate": "#fddbc7",
        "low": "#67a9cf",
        "unrated": "#bbbbbb",
        "systems": "#4477aa",
    }
    x = pd.PeriodIndex(table.index).to_timestamp(how="start")
    bottom = np.zeros(len(table))
    for column in order:
        ax.bar(
            x,
            table[column],
            width=80,
            bottom=bottom,
            color=palette[column],
            label=column,
            align="edge",
            zorder=3,
        )
        bottom += table[column].to_numpy()
    # a third of headroom above the tallest bar and the running total, for the legends and
    # the date labels, so nothing is drawn over them or cut off
    headroom = 1.3
    ax.set_ylim(0, max(1.0, float(bottom.max()) if len(bottom) else 1.0) * headroom)
    top = ax.get_ylim()[1]
    marks = [
        (float(mdates.date2num(when)), text, style, align, height)
        for when, text, style, align, height in (
            (today, "today", "-", "right", 0.93),  # a line lower: the two are often close
            (plan_start, "plan start", "--", "left", 1.0),
        )
        if when is not None
    ]
    for at, _text, style, _align, _height in marks:
        ax.axvline(at, color="black", lw=1, ls=style, zorder=4)
    low, high = ax.get_xlim()  # once the lines are drawn
    for at, text, _style, align, height in marks:
        # beside its line, on the side with room: never over the other axis's labels
        if align == "left" and at > high - 0.12 * (high - low):
            align = "right"
        elif align == "right" and at < low + 0.12 * (high - low):
            align = "left"
        label = f" {text}" if align == "left" else f"{text} "
        ax.text(at, top * height, label, fontsize=8, va="top", ha=align)
    unknown = int(systems["end_of_support"].isna().sum())
    ax.set_ylabel("systems leaving support per quarter")
    if len(table):
        running_total = ax.twinx()
        running_total.step(
            x,
            table.sum(axis=1).cumsum(),
            where="post",
            color="#333333",
            lw=1.2,
            label="out of support (running total)",
        )
        running_total.set_ylim(0, float(table.sum(axis=1).sum()) * headroom)
        running_total.set_ylabel("out of support, running total")
        running_total.legend(fontsize=8, frameon=False, loc="upper center")
    ax.grid(axis="y", color="#eeeeee", zorder=0)
    if len(table):  # no system with an end of support: no bars to name
        ax.legend(title="risk", fontsize=8, title_fontsize=8, frameon=False, loc="upper left")
    ax.set_title(
        f"End of support by quarter: {len(eos)} systems with a date, {unknown} unknown",
        fontsize=10,
    )
    return figure_of(ax)


def plot_category_map(
    inventory, category: str | Iterable[str], *, depth: int = 1, ax: Axes | None = None
) -> Figure:
    """The dependency map of every system in one category or several (a list), with the
    systems within ``depth`` links of them.

    ``plot_category_map(trust, ["PAS", "pathology LIMS"])`` centres the PAS and the LIMS
    together (as ``modernise chart dependencies --category PAS --category "pathology LIMS"``).
    """
    wanted = [category] if isinstance(category, str) else list(category)
    if not wanted or not all(isinstance(c, str) for c in wanted):
        raise InvalidArgumentError(
            "category", "category must be a category name or a list of category names"
        )
    keys = inventory.systems["category"].map(enum_key)
    empty = [c for c in wanted if not (keys == enum_key(c)).any()]
    if empty:
        names = ", ".join(f"'{c}'" for c in empty)
        raise InvalidArgumentError(
            "category", f"no systems in categor{'y' if len(empty) == 1 else 'ies'} {names}"
        )
    members = inventory.systems.index[keys.isin([enum_key(c) for c in wanted])].tolist()
    G = inventory.graph()
    return plot_dependency_map(neighbourhood(G, members, depth=depth), members, ax=ax)
