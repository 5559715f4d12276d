"""The pack's charts as inline SVG: drawn by :mod:`planner.charts` (and the run-cost chart
here), written as SVG with text as paths, then made fit to sit inside an HTML page: no XML
prolog, no metadata, no namespace declarations (HTML5 needs none, and so the page names no
other host), no comments (matplotlib writes each label's text in one), ids prefixed per
chart so that two charts never share one.

Examples
--------
>>> from planner.charts.style import new_figure
>>> figure = new_figure(figsize=(2, 1))
>>> ax = figure.subplots()
>>> _ = ax.plot([0, 1], [0, 1])
>>> svg = inline_svg(figure, "line")
>>> svg.startswith("<svg") and "http" not in svg and 'id="line_' in svg
True
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure

from planner.charts.style import new_figure
from planner.report.money import run_cost_by_year

__all__ = ["Chart", "inline_svg", "plot_run_cost", "svg_document"]


@dataclass(frozen=True)
class Chart:
    """A chart of the pack: its key (also its ids' prefix), caption and inline SVG;
    ``wide`` charts (the Gantt) are set on a landscape page in the PDF."""

    key: str
    caption: str
    svg: str
    kind: str = "chart"
    wide: bool = False


def inline_svg(figure: Figure, key: str, *, tight: bool = True) -> str:
    """``figure`` as an ``<svg>`` element for an HTML page (see the module docstring)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "modernise"}):
        figure.savefig(
            buffer, format="svg", bbox_inches="tight" if tight else None, metadata={"Date": None}
        )
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", text)
    text = text.replace("xlink:href", "href")
    text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.S)
    prefix = re.sub(r"\W", "_", key) + "_"  # ids stay word characters for SVG readers
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    text = text.replace('href="#', f'href="#{prefix}').replace("url(#", f"url(#{prefix}")
    return text.replace("<svg ", '<svg role="img" ', 1)


def svg_document(svg: str) -> str:
    """An inline ``<svg>`` as a standalone SVG file again (its namespaces restored), for
    readers that want one, such as the PDF writer."""
    return svg.replace(
        "<svg ",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ',
        1,
    ).replace(' href="#', ' xlink:href="#')


def plot_run_cost(result) -> Figure:
    """What the estate costs to run each financial year
    (:func:`planner.report.money.run_cost_by_year`), in £ million a year: with the plan, as
    stacked bars of the legacy systems still running, the double running among them (a
    legacy system paid beside its live replacement) and what replaced them; doing nothing
    as a line."""
    frame = run_cost_by_year(result)
    figure = new_figure(figsize=(7, 3.6))
    ax = figure.subplots()
    x = list(range(len(frame)))
    double = frame["double_running_gbp"] / 1e6
    legacy = frame["legacy_gbp"] / 1e6 - double
    new = frame["replacement_gbp"] / 1e6
    ax.bar(x, legacy, color="#bbbbbb", label="legacy systems", zorder=3)
    ax.bar(x, double, bottom=legacy, color="#ee7733", label="double running", zorder=3)
    ax.bar(x, new, bottom=legacy + double, color="#228833", label="new systems", zorder=3)
    ax.plot(x, frame["do_nothing_gbp"] / 1e6, color="#b2182b", ls="--", lw=1.5, label="do nothing")
    ax.set_xticks(x, frame.index.tolist(), rotation=45, fontsize=8)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("£ million a year")
    ax.set_xlabel("financial year")
    ax.set_title("Running cost of the estate", fontsize=10)
    ax.grid(axis="y", color="#eeeeee", zorder=0)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout()
    return figure
