"""Everything a CIO hands on, written into one folder: the roadmap (charts, workbook, MS
Project, Mermaid, JSON, CSV tables, Markdown summary) and the Monte Carlo forecast."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from planner.charts import (
    plot_burndown,
    plot_completion_histogram,
    plot_forecast_fan,
    plot_spend,
    roadmap_figure,
    save,
)
from planner.export.mspdi import write_mspdi
from planner.export.tables import safe_csv, write_csv, write_json, write_xlsx
from planner.export.text import write_markdown, write_mermaid

__all__ = ["MERMAID_TASKS", "PROJECT_FILE_TASKS", "write_forecast", "write_roadmap"]

#: Project and Mermaid files are written whole only up to these many projects (else per
#: organisation).
PROJECT_FILE_TASKS = 20_000
MERMAID_TASKS = 1_000

_LAID_OUT = {"roadmap", "roadmap-by-category"}


def write_roadmap(
    result,
    folder: str | Path,
    *,
    title: str = "Legacy replacement roadmap",
    today: pd.Timestamp | None = None,
) -> list[Path]:
    """Everything a CIO hands on, into one folder: charts (PNG and SVG), the workbook, the
    MS Project file, the Mermaid file, the CSV tables and a Markdown summary."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    projects = int(result.units["scheduled"].sum())
    organisations = result.inventory.systems["organisation"].nunique()
    overview = None
    if projects > 300:  # a bar per project is unreadable: one per organisation, or wave
        overview = "organisation" if organisations <= 300 else "wave"
    figures = {
        "roadmap": roadmap_figure(result, group_by=overview, today=today),
        "roadmap-by-category": roadmap_figure(result, group_by="category", today=today),
        "spend-by-year": plot_spend(result),
        "risk-burndown": plot_burndown(result),
    }
    for name, figure in figures.items():
        for suffix in (".png", ".svg"):
            written.append(save(figure, folder / f"{name}{suffix}", tight=name not in _LAID_OUT))
        plt.close(figure)
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
                "Roadmap by category": "roadmap-by-category.png",
                "Spend per year": "spend-by-year.png",
                "Risk burn-down": "risk-burndown.png",
            },
            notes=notes,
        )
    )
    return written


def write_forecast(forecast, folder: str | Path) -> list[Path]:
    """A Monte Carlo forecast into a folder: per-system and per-year CSV tables (safe cells),
    the fan chart and the completion histogram (PNG and SVG)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in (
        ("forecast-systems", forecast.systems.reset_index()),
        ("forecast-programme", forecast.programme.rename_axis("percentile").reset_index()),
        ("forecast-spend-by-year", forecast.spend_by_fy),
    ):
        path = folder / f"{name}.csv"
        safe_csv(table, path)
        written.append(path)
    for name, draw in (
        ("forecast-risk-fan", plot_forecast_fan),
        ("forecast-completion", plot_completion_histogram),
    ):
        figure = draw(forecast)
        written += [save(figure, folder / f"{name}{suffix}") for suffix in (".png", ".svg")]
        plt.close(figure)
    return written
