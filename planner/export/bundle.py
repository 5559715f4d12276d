"""Everything a CIO hands on, written into one folder: the roadmap (charts, workbook, MS
Project, Mermaid, JSON, CSV tables, Markdown summary) and the Monte Carlo forecast.

Each folder is built beside its target and swapped into place when complete
(:func:`inventory.output.atomic_folder`): a run that fails or is stopped leaves the previous
folder as it was, and a finished run leaves no file of an earlier one behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from inventory.errors import InvalidArgumentError
from inventory.output import atomic_folder
from planner.charts import (
    plot_burndown,
    plot_completion_histogram,
    plot_forecast_fan,
    plot_spend,
    roadmap_figure,
    save,
)
from planner.export.mspdi import write_mspdi
from planner.export.tables import CSV_FILES, safe_csv, write_csv, write_json, write_xlsx
from planner.export.text import write_markdown, write_mermaid

__all__ = [
    "CHART_FORMATS",
    "FORECAST_FILES",
    "MERMAID_TASKS",
    "PROJECT_FILE_TASKS",
    "ROADMAP_FILES",
    "chart_formats",
    "roadmap_files",
    "write_forecast",
    "write_roadmap",
]

#: Project and Mermaid files are written whole only up to these many projects (else per
#: organisation).
PROJECT_FILE_TASKS = 20_000
MERMAID_TASKS = 1_000

_LAID_OUT = {"roadmap", "roadmap-by-category"}
_FIGURES = ("roadmap", "roadmap-by-category", "spend-by-year", "risk-burndown")
#: The formats the roadmap folder's charts can be written in; it writes PNG unless asked.
CHART_FORMATS = ("png", "svg", "pdf")
_SUFFIXES = (".png", ".svg")  # the forecast's charts

#: Every file and folder a roadmap folder may hold (a folder holding anything else is not
#: replaced).
ROADMAP_FILES = frozenset(
    [f"{name}.{suffix}" for name in _FIGURES for suffix in CHART_FORMATS]
    + ["roadmap.xlsx", "roadmap.xml", "roadmap.mmd", "roadmap.json", "summary.md", "csv"]
    + [f"csv/{name}" for name in CSV_FILES]
    # the board pack's, which planner.report adds to the same folder
    + ["report.html", "report.pdf", "manifest.json"]
    + ["unsupported-systems.csv", "unsupported-systems.xlsx"]
)
_FORECAST_TABLES = ("forecast-systems", "forecast-programme", "forecast-spend-by-year")
_FORECAST_FIGURES = ("forecast-risk-fan", "forecast-completion")

#: Every file a forecast folder may hold.
FORECAST_FILES = frozenset(
    [f"{name}.csv" for name in _FORECAST_TABLES]
    + [f"{name}{suffix}" for name in _FORECAST_FIGURES for suffix in _SUFFIXES]
)


def chart_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """Chart formats as asked (``"svg"``, ``".PDF"``, ``"png,svg"``), checked, in the order
    given, each once.

    >>> chart_formats(["png,SVG", ".svg"])
    ('png', 'svg')
    """
    if isinstance(formats, str):
        formats = [formats]
    chosen: list[str] = []
    for given in formats:
        for word in str(given).split(","):
            word = word.strip().lower().lstrip(".")
            if word and word not in chosen:
                chosen.append(word)
    unknown = [word for word in chosen if word not in CHART_FORMATS]
    if unknown:
        raise InvalidArgumentError(
            "charts",
            f"chart format '{unknown[0]}' is not one of: {', '.join(CHART_FORMATS)}",
        )
    return tuple(chosen)


def write_roadmap(
    result,
    folder: str | Path,
    *,
    title: str = "Legacy replacement roadmap",
    today: pd.Timestamp | None = None,
    charts: Iterable[str] = ("png",),
) -> list[Path]:
    """Everything a CIO hands on, into one folder: charts (PNG; ``charts`` names the formats,
    any of png, svg and pdf), the workbook, the MS Project file, the Mermaid file, the CSV
    tables and a Markdown summary.

    The folder is written whole or not at all; an existing folder is replaced only if it
    holds nothing but a roadmap's files (:data:`ROADMAP_FILES`).
    """
    folder = Path(folder)
    formats = chart_formats(charts)
    with atomic_folder(folder, ROADMAP_FILES) as temporary:
        written = roadmap_files(result, temporary, title=title, today=today, charts=formats)
    return [folder / path.relative_to(temporary) for path in written]


def roadmap_files(
    result,
    folder: Path,
    *,
    title: str = "Legacy replacement roadmap",
    today=None,
    charts: Iterable[str] = ("png",),
) -> list[Path]:
    """The roadmap's files, written into ``folder`` as it is (not swapped into place: for a
    writer that adds its own files and swaps the whole folder, as the board pack does).

    Each chart is drawn once and saved in each of the ``charts`` formats (PNG unless asked:
    an SVG of the roadmap takes about as long again to write, and the board pack already
    holds its charts as SVG)."""
    formats = chart_formats(charts)
    written: list[Path] = []
    projects = int(result.units["scheduled"].sum())
    organisations = result.inventory.systems["organisation"].nunique()
    overview = None
    if projects > 300:  # a bar per project is unreadable: one per organisation, or wave
        overview = "organisation" if organisations <= 300 else "wave"
    drawers = {
        "roadmap": lambda: roadmap_figure(result, group_by=overview, today=today),
        "roadmap-by-category": lambda: roadmap_figure(result, group_by="category", today=today),
        "spend-by-year": lambda: plot_spend(result),
        "risk-burndown": lambda: plot_burndown(result),
    }
    for name, draw in drawers.items():
        if not formats:
            break
        figure = draw()  # held by no one else: freed when the next one is drawn
        for suffix in formats:
            path = folder / f"{name}.{suffix}"
            written.append(save(figure, path, tight=name not in _LAID_OUT))
    shown = next((suffix for suffix in ("png", "svg") if suffix in formats), None)
    written.append(write_xlsx(result, folder / "roadmap.xlsx"))
    notes = []
    if projects <= PROJECT_FILE_TASKS:
        written.append(write_mspdi(result, folder / "roadmap.xml", title=title))
    else:
        notes.append(
            f"{projects:,} projects are too many for one MS Project file: write one per "
            "organisation instead (an export for one organisation at a time)."
        )
    if projects <= MERMAID_TASKS:
        written.append(write_mermaid(result, folder / "roadmap.mmd", title=title))
    else:
        notes.append(
            f"{projects:,} projects are too many for one Mermaid chart: use "
            "one Mermaid chart per organisation instead."
        )
    written.append(write_json(result, folder / "roadmap.json"))
    written += write_csv(result, folder / "csv")
    written.append(
        write_markdown(
            result,
            folder / "summary.md",
            title=title,
            figures={
                "Roadmap by category": f"roadmap-by-category.{shown}",
                "Spend per year": f"spend-by-year.{shown}",
                "Risk burn-down": f"risk-burndown.{shown}",
            }
            if shown
            else None,
            notes=notes,
        )
    )
    return written


def write_forecast(forecast, folder: str | Path) -> list[Path]:
    """A Monte Carlo forecast into a folder: per-system and per-year CSV tables (safe cells),
    the fan chart and the completion histogram (PNG and SVG), written whole or not at all."""
    folder = Path(folder)
    written = []
    with atomic_folder(folder, FORECAST_FILES) as temporary:
        for name, table in zip(
            _FORECAST_TABLES,
            (
                forecast.systems.rename(columns=forecast.LABELS).reset_index(),
                forecast.programme.rename(columns=forecast.LABELS)
                .rename_axis("percentile")
                .reset_index(),
                forecast.spend_by_fy.rename(columns=forecast.LABELS).reset_index(),
            ),
            strict=True,
        ):
            safe_csv(table, temporary / f"{name}.csv")
            written.append(f"{name}.csv")
        for name, draw in zip(
            _FORECAST_FIGURES, (plot_forecast_fan, plot_completion_histogram), strict=True
        ):
            figure = draw(forecast)
            for suffix in _SUFFIXES:
                save(figure, temporary / f"{name}{suffix}")
                written.append(f"{name}{suffix}")
    return [folder / name for name in written]
