"""Charts with matplotlib. Each ``plot_x(..., *, ax=None)`` draws on the given Axes (or a new
figure sized for its content) and returns the Figure.

Nothing here calls ``show()`` or writes files; :func:`save` writes a figure to PNG, SVG or
PDF (text in SVG output is escaped by matplotlib).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

__all__ = [
    "CRITICALITY_COLOURS",
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
    "roadmap_figure",
    "save",
]

CRITICALITY_COLOURS = {
    "critical": "#b2182b",
    "high": "#ef8a62",
    "medium": "#fddbc7",
    "low": "#d1e5f0",
    None: "#e0e0e0",
}
SUPPORTED_FORMATS = (".png", ".svg", ".pdf")


def save(figure: Figure, path: str | Path, *, dpi: int = 150, tight: bool = True) -> Path:
    """Write a figure; the format follows the suffix (.png, .svg or .pdf).

    ``tight`` trims the margins to the drawn content (one extra layout pass); figures that
    set their own margins, like :func:`roadmap_figure`, save faster without it.
    """
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_FORMATS:
        from inventory.errors import UsageError

        raise UsageError(f"cannot draw to '{path.name}'", hint="use a .png, .svg or .pdf file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi, bbox_inches="tight" if tight else None, metadata=_metadata(path))
    return path


def _metadata(path: Path) -> dict:
    return {"Creator": "modernise"} if path.suffix.lower() in (".png", ".pdf", ".svg") else {}


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
    messages = list(data.get("messages") or ())
    kind = data.get("kind") or ""
    if not messages:
        return kind
    shown = ", ".join(messages[:max_messages]) + (" …" if len(messages) > max_messages else "")
    return f"{kind}: {shown}" if kind else shown


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
        _, ax = plt.subplots(figsize=(max(8.0, 1.15 * x + 1.0), max(4.0, 0.55 * tallest + 1.6)))
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
        lines = [str(node), name[:30] + ("…" if len(name) > 30 else "")]
        link = None
        for c in centres:
            if G.has_edge(node, c):
                link = G.edges[node, c]
            elif G.has_edge(c, node):
                link = G.edges[c, node]
        if link is not None and node not in centre_set:
            interface = _interface_text(link, max_messages)
            if interface:
                lines.append(interface[:40] + ("…" if len(interface) > 40 else ""))
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
        f"Dependencies of {', '.join(centres)} (arrows point from consumer to provider)",
        fontsize=10,
    )
    return ax.figure


# --- the roadmap -----------------------------------------------------------------------

#: A qualitative palette that stays distinguishable for common colour-vision deficiencies.
PALETTE = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#bbbbbb",
    "#332288",
    "#117733",
    "#882255",
    "#44aa99",
    "#999933",
    "#cc6677",
    "#ddcc77",
)


def _colours(keys: list[str]) -> dict[str, str]:
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}


#: Categories grouped into the domains a board recognises, for colouring.
DOMAINS = {
    "clinical": (
        "PAS",
        "EPR",
        "ED",
        "theatres",
        "maternity",
        "critical care",
        "e-observations",
        "bed management",
        "order comms",
        "discharge",
        "cancer",
        "community",
        "mental health",
        "GP system",
        "other clinical",
    ),
    "diagnostics": (
        "pathology LIMS",
        "blood transfusion",
        "digital pathology",
        "radiology RIS",
        "PACS",
        "cardiology",
        "endoscopy",
    ),
    "medicines": ("pharmacy", "ePMA", "chemotherapy", "radiotherapy"),
    "records and information": (
        "EDMS",
        "dictation",
        "clinical portal",
        "patient portal",
        "clinical coding",
        "data warehouse",
        "outcomes",
    ),
    "corporate": ("finance", "procurement", "HR", "rostering", "estates"),
    "platform": (
        "integration engine",
        "messaging",
        "identity",
        "national service",
        "infrastructure",
        "database",
        "network",
        "end-user computing",
    ),
    "medical devices": ("medical device",),
    "other": ("other",),
}
_DOMAIN_OF = {category: domain for domain, categories in DOMAINS.items() for category in categories}


def _gantt_rows(result, group_by: str | None) -> pd.DataFrame:
    units = result.units[result.units["scheduled"]].copy()
    systems = result.inventory.systems
    first = units["members"].map(lambda m: m[0])
    units["category"] = systems.loc[first, "category"].to_numpy()
    units["domain"] = units["category"].map(_DOMAIN_OF).fillna("other")
    units["organisation"] = systems.loc[first, "organisation"].to_numpy()
    names = systems["name"]
    units["label"] = [
        (f"{names[m[0]][:34]}" if len(m) == 1 else f"Move group: {' + '.join(m)}"[:44])
        for m in units["members"]
    ]
    eos = result.schedule["end_of_support"]
    units["deadline_shown"] = [
        min((eos[m] for m in members if pd.notna(eos[m])), default=pd.NaT)
        for members in units["members"]
    ]
    if group_by:
        if group_by not in ("category", "wave", "organisation"):
            from inventory.errors import UsageError

            raise UsageError(f"--group-by '{group_by}' is not one of: category, wave, organisation")
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
            }
        )
        rows["label"] = [
            f"{'Wave ' if group_by == 'wave' else ''}{key} ({n} project{'s' if n != 1 else ''})"
            for key, n in zip(rows.index, rows["count"], strict=True)
        ]
        rows[group_by] = rows.index
        return rows.sort_values(["start", "go_live"]).reset_index(drop=True)
    return units.sort_values(["start", "go_live", "label"]).reset_index()


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
    on the left marks projects already out of support when the plan starts. Winter change
    freezes are shaded, financial years (1 April) gridded, and ``today`` drawn as a line.
    ``group_by`` (category, wave or organisation) summarises to one bar per group.
    """
    import matplotlib.dates as mdates

    rows = _gantt_rows(result, group_by)
    if colour_by not in ("domain", "category", "wave"):
        from inventory.errors import UsageError

        raise UsageError(f"colour by '{colour_by}' is not one of: domain, category, wave")
    if colour_by == "domain":
        keys = [d for d in DOMAINS if d in set(rows[colour_by])]
    else:
        keys = [str(k) for k in sorted(rows[colour_by].dropna().unique(), key=str)]
    colours = _colours(keys)
    n = len(rows)
    if ax is None:
        figure = plt.figure(figsize=(15, _gantt_height(n)))
        ax = figure.add_axes(_GANTT_BOX)
    start = result.start
    end = (rows["go_live"].max() if n else start) + pd.DateOffset(months=3)
    y = list(range(n))
    left = mdates.date2num(rows["start"]) if n else []
    width = (mdates.date2num(rows["go_live"]) - left) if n else []
    bar_colours = [colours.get(str(v), "#888888") for v in rows[colour_by]] if n else []
    ax.barh(y, width, left=left, height=0.72, color=bar_colours, linewidth=0, zorder=3)
    critical = rows["critical"].to_numpy(bool) if n else []
    if n and critical.any():
        ax.barh(
            np.asarray(y)[critical],
            np.asarray(width)[critical],
            left=np.asarray(left)[critical],
            height=0.72,
            fill=False,
            edgecolor="black",
            linewidth=1.4,
            zorder=4,
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
    ax.set_yticks(y, rows["label"].tolist(), fontsize=6.5 if n > 60 else 8)
    ax.invert_yaxis()
    ax.set_ylim(n - 0.4, -0.6)
    # freeze windows and financial years
    freeze = set(result.policy.freeze_months)
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
    ax.grid(axis="y", color="#eeeeee", lw=0.5, zorder=0)
    handles = [Patch(facecolor=c, label=k) for k, c in colours.items()]
    handles += [
        Patch(facecolor="white", edgecolor="black", lw=1.4, label="critical path"),
        Patch(facecolor="#9ecae1", alpha=0.5, label="change freeze"),
        plt.Line2D([], [], marker="D", color="#b2182b", ls="", label="end of support"),
        plt.Line2D([], [], marker=">", color="#b2182b", ls="", label="already unsupported"),
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.005, 1.0),
        fontsize=7,
        frameon=False,
        title=colour_by,
        title_fontsize=8,
    )
    title = "Replacement roadmap" + (f" by {group_by}" if group_by else "")
    ax.set_title(
        f"{title}: {n} {'groups' if group_by else 'projects'}, "
        f"{result.start:%b %Y} to {rows['go_live'].max():%b %Y}"
        if n
        else title,
        fontsize=11,
        pad=24,
    )
    return ax.figure


def plot_spend(result, *, ax: Axes | None = None) -> Figure:
    """Spend per NHS financial year against its capital budget."""
    frame = result.spend_by_fy
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    x = range(len(frame))
    ax.bar(x, frame["spend_gbp"] / 1e6, color="#4477aa", label="planned spend", zorder=3)
    ax.plot(
        x,
        frame["budget_gbp"] / 1e6,
        color="#b2182b",
        marker="_",
        markersize=18,
        lw=0,
        mew=2.2,
        label="budget",
        zorder=4,
    )
    ax.set_xticks(list(x), frame["financial_year"].tolist(), rotation=45, fontsize=8)
    ax.set_ylabel("£ million")
    ax.set_title("Spend per financial year", fontsize=10)
    ax.grid(axis="y", color="#eeeeee", zorder=0)
    ax.legend(fontsize=8, frameon=False)
    return ax.figure


def plot_burndown(result, *, ax: Axes | None = None) -> Figure:
    """Total risk still live each month: the plan against doing nothing."""
    frame = result.burndown
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    ax.plot(
        frame["month"],
        frame["do_nothing_risk"],
        color="#b2182b",
        lw=1.5,
        ls="--",
        label="do nothing",
    )
    ax.plot(frame["month"], frame["plan_risk"], color="#228833", lw=2, label="with the plan")
    ax.fill_between(
        frame["month"], frame["plan_risk"], frame["do_nothing_risk"], color="#228833", alpha=0.12
    )
    ax.set_ylim(bottom=0)
    ax.set_ylabel("total risk score")
    ax.set_title("Risk burn-down", fontsize=10)
    ax.grid(color="#eeeeee")
    ax.legend(fontsize=8, frameon=False)
    return ax.figure


def plot_forecast_fan(forecast, *, ax: Axes | None = None) -> Figure:
    """Risk still live each month across the Monte Carlo runs: the P5-P95 and P20-P80
    bands, the median and the plan's own line (:func:`planner.forecast`)."""
    remaining, planned = forecast.risk_remaining, forecast.planned_risk
    settled = np.flatnonzero(remaining.max(axis=0) > remaining[:, -1].max() + 1e-9)
    months = min(remaining.shape[1], (settled[-1] + 7) if settled.size else 12)
    x = forecast.month_starts[:months]
    bands = np.quantile(remaining[:, :months], [0.05, 0.2, 0.5, 0.8, 0.95], axis=0)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.8))
    ax.fill_between(x, bands[0], bands[4], color="#4477aa", alpha=0.18, lw=0, label="P5-P95")
    ax.fill_between(x, bands[1], bands[3], color="#4477aa", alpha=0.35, lw=0, label="P20-P80")
    ax.plot(x, bands[2], color="#224477", lw=1.8, label="median run")
    ax.plot(x, planned[:months], color="#b2182b", lw=1.2, ls="--", label="the plan")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("risk of planned systems still live")
    ax.set_title(f"Risk burn-down across {forecast.runs:,} runs", fontsize=10)
    ax.grid(color="#eeeeee")
    ax.legend(fontsize=8, frameon=False)
    return ax.figure


def plot_completion_histogram(forecast, *, ax: Axes | None = None) -> Figure:
    """When the whole programme finishes, run by run (one bar per go-live month), with the
    plan and P50 / P80 / P95 marked; runs that do not fit the horizon are counted in the title."""
    finished = forecast.completion_months[np.isfinite(forecast.completion_months)]
    beyond = forecast.runs - len(finished)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.6))
    if len(finished):
        # a run done after n months goes live in month n - 1 (counted from 0)
        months, counts = np.unique(finished.astype(np.int64) - 1, return_counts=True)
        starts = pd.date_range(forecast.month_starts[0], periods=months.max() + 1, freq="MS")
        ax.bar(starts[months], counts, width=25, align="edge", color="#4477aa", label="runs")
    styles = {"planned": ("#b2182b", "--"), "P50": ("#222222", "-"), "P80": ("#222222", "-.")}
    for label, when in forecast.programme["go-live"].items():
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
    return ax.figure


def plot_rank_stability(table: pd.DataFrame, *, limit: int = 30, ax: Axes | None = None) -> Figure:
    """The rank range of the first ``limit`` systems when the weights are redrawn
    (:func:`planner.rank_stability`): a bar from the P5 to the P95 rank, a dot at the median,
    a diamond at the chosen rank; fragile ones (top-N membership in doubt) in red."""
    rows = table.head(limit)
    top = table.attrs.get("summary", {}).get("top N")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(3.0, 0.24 * len(rows) + 1.2)))
    y = np.arange(len(rows))
    colours = np.where(rows["fragile"], "#b2182b", "#4477aa")
    ax.hlines(y, rows["best rank (P5)"], rows["worst rank (P95)"], colors=colours, lw=3, alpha=0.6)
    ax.scatter(rows["median rank"], y, color=colours, s=18, zorder=3, label="median rank")
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
    ax.set_yticks(y, rows.index.tolist(), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("rank (P5 to P95 of the draws)")
    draws = table.attrs.get("summary", {}).get("draws")
    title = "How the ranking moves with the priority weights"
    if draws:
        title += f"\n{draws:,} draws; red: in the top {top} or not depends on the weights"
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax.figure


#: Line and bar colours for scenarios, in order (colour-blind safe, Paul Tol's bright).
_SCENARIO_COLOURS = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb"]


def plot_comparison(comparison) -> Figure:
    """Scenarios side by side (:func:`planner.compare`): each plan's risk burn-down, and
    its spend per financial year as grouped bars against the baseline's budget."""
    figure, (burn, money) = plt.subplots(1, 2, figsize=(14, 4.4), width_ratios=[1, 1.1])
    names = list(comparison.plans)
    colours = {n: _SCENARIO_COLOURS[i % len(_SCENARIO_COLOURS)] for i, n in enumerate(names)}
    dashes = ["-", "--", ":", "-."]
    for i, (name, result) in enumerate(comparison.plans.items()):
        frame = result.burndown
        exposure = comparison.table.loc[name, "risk exposure (risk-months)"]
        burn.step(
            frame["month"],
            frame["plan_risk"],
            where="post",
            color=colours[name],
            ls=dashes[i % len(dashes)],
            lw=2.6 if i == 0 else 1.5,  # the baseline thicker, so identical stretches show
            label=f"{name} (exposure {exposure:,.0f})",
        )
    burn.set_ylim(bottom=0)
    burn.set_ylabel("total risk score")
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
            label=name,
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
    rows = len(_gantt_rows(result, group_by))
    gantt_height = _gantt_height(rows)
    total = gantt_height + 5.0
    figure = plt.figure(figsize=(15, total))
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
    plot_gantt(
        result,
        ax=figure.add_subplot(grid[0, :]),
        colour_by=colour_by,
        group_by=group_by,
        today=today,
    )
    plot_spend(result, ax=figure.add_subplot(grid[1, 0]))
    plot_burndown(result, ax=figure.add_subplot(grid[1, 1]))
    return figure


# --- the analysts' charts ----------------------------------------------------------------

#: TIME quadrants (Gartner) on risk (technical condition) against impact (business value).
TIME_QUADRANTS = {
    (True, True): "Migrate: high risk, high impact",
    (True, False): "Eliminate: high risk, low impact",
    (False, True): "Invest: low risk, high impact",
    (False, False): "Tolerate: low risk, low impact",
}


def _place_labels(ax: Axes, points: list[tuple[float, float, str]], fontsize: float = 7) -> None:
    """Annotate points, nudging each label to the first nearby spot that overlaps none placed."""
    figure = ax.figure
    renderer = figure.canvas.get_renderer()
    placed: list = []
    offsets = [
        (6, 6),
        (6, -10),
        (-6, 6),
        (-6, -10),
        (10, 14),
        (10, -18),
        (-10, 14),
        (-10, -18),
        (16, 0),
        (-16, 0),
        (0, 20),
        (0, -24),
        (22, 22),
        (-22, -26),
    ]
    for x, y, text in points:
        for dx, dy in offsets:
            label = ax.annotate(
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
            box = label.get_window_extent(renderer).expanded(1.05, 1.15)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            label.remove()
        else:  # nowhere free: keep the first spot rather than drop the name
            label = ax.annotate(
                text,
                (x, y),
                xytext=offsets[0],
                textcoords="offset points",
                fontsize=fontsize,
                zorder=6,
            )
            placed.append(label.get_window_extent(renderer))


def plot_portfolio(
    scores: pd.DataFrame,
    *,
    ax: Axes | None = None,
    label: int = 12,
    colour_by: str = "domain",
    threshold: float = 50.0,
) -> Figure:
    """The portfolio matrix: risk against downstream impact, bubble size = replacement cost.

    ``scores`` is :func:`planner.score` (or ``PlanResult.scores``). Quadrants follow Gartner's
    TIME (tolerate, invest, migrate, eliminate) with the lines at ``threshold``; the
    ``label`` systems with the highest priority are named. Colour by ``domain`` (default) or
    ``category``.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 8))
    frame = scores.copy()
    frame["domain"] = frame["category"].map(_DOMAIN_OF).fillna("other")
    if colour_by == "domain":
        keys = [d for d in DOMAINS if d in set(frame["domain"])]
    elif colour_by == "category":
        keys = sorted(frame["category"].unique())
    else:
        from inventory.errors import UsageError

        raise UsageError(f"colour by '{colour_by}' is not one of: domain, category")
    colours = _colours(keys)
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
            label=key,
            zorder=3,
        )
    for (high_risk, high_impact), text in TIME_QUADRANTS.items():
        # along the horizontal threshold line, where the matrix is emptiest
        ax.text(
            threshold + 1 if high_impact else threshold - 1,
            threshold + 1 if high_risk else threshold - 1,
            text,
            ha="left" if high_impact else "right",
            va="bottom" if high_risk else "top",
            fontsize=8,
            color="#555555",
            style="italic",
            zorder=2,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    ax.set_xlim(-5, 105)
    ax.set_ylim(-6, 106)
    ax.set_xlabel("downstream impact (0-100)")
    ax.set_ylabel("risk (0-100)")
    top = frame.sort_values("priority", ascending=False).head(label)
    _place_labels(ax, [(row["impact"], row["risk"], system) for system, row in top.iterrows()])
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
        handle.set_sizes([40])
    ax.set_title(
        f"Portfolio: {len(frame)} systems, bubble size = replacement cost; the {label} "
        "highest priorities named",
        fontsize=10,
    )
    return ax.figure


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
        _, ax = plt.subplots(figsize=(12, 4.5))
    eos = systems["end_of_support"].dropna()
    quarter = eos.dt.to_period("Q")
    rating = (
        scores["risk_rating"].reindex(eos.index).fillna("unrated")
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
    x = table.index.to_timestamp(how="start")
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
    top = ax.get_ylim()[1]
    for when, text, style, align in (
        (today, "today ", "-", "right"),
        (plan_start, " plan start", "--", "left"),
    ):
        if when is not None:
            ax.axvline(when, color="black", lw=1, ls=style, zorder=4)
            ax.text(when, top, text, fontsize=8, va="top", ha=align)
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
        running_total.set_ylim(bottom=0)
        running_total.set_ylabel("out of support, running total")
        running_total.legend(fontsize=8, frameon=False, loc="upper center")
    ax.grid(axis="y", color="#eeeeee", zorder=0)
    ax.legend(title="risk", fontsize=8, title_fontsize=8, frameon=False, loc="upper left")
    ax.set_title(
        f"End of support by quarter: {len(eos)} systems with a date, {unknown} unknown",
        fontsize=10,
    )
    return ax.figure


def plot_category_map(inventory, category: str, *, ax: Axes | None = None) -> Figure:
    """The dependency map of every system in a category and its direct neighbours."""
    from inventory.graph import neighbourhood
    from inventory.schema import enum_key

    systems = inventory.systems
    members = systems.index[systems["category"].map(enum_key) == enum_key(category)].tolist()
    if not members:
        from inventory.errors import UsageError

        raise UsageError(f"no systems in category '{category}'")
    G = inventory.graph()
    return plot_dependency_map(neighbourhood(G, members, depth=1), members, ax=ax)
