"""Charts with matplotlib. Each ``plot_x(..., *, ax=None)`` draws on an Axes and returns it.

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
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

__all__ = ["CRITICALITY_COLOURS", "plot_dependency_map", "save"]

CRITICALITY_COLOURS = {
    "critical": "#b2182b",
    "high": "#ef8a62",
    "medium": "#fddbc7",
    "low": "#d1e5f0",
    None: "#e0e0e0",
}
SUPPORTED_FORMATS = (".png", ".svg", ".pdf")


def save(figure: Figure, path: str | Path, *, dpi: int = 150) -> Path:
    """Write a figure; the format follows the suffix (.png, .svg or .pdf)."""
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_FORMATS:
        from inventory.errors import UsageError

        raise UsageError(f"cannot draw to '{path.name}'", hint="use a .png, .svg or .pdf file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi, bbox_inches="tight", metadata=_metadata(path))
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
) -> Axes:
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
    return ax
