"""How long the roadmap's Gantt takes to draw and to save; prints a table.

Usage: python benchmarks/gantt.py [2000 10000] [--repeat 3] [--formats png,svg,pdf]
[--profile] [--skip-folder] [--sample-only]

The sample trust (``data/sample-trust``, the default policy) is planned once, and each size
given (default 2,000 and 10,000 systems of ``inventory.synthetic.national``, seed 1, with
budgets and teams scaled to the estate as in ``benchmarks/scale.py``) once. Then, for each
figure, the median of ``--repeat`` rounds, each drawing a fresh figure and saving it in every
format (as the roadmap folder saves one figure as PNG and SVG):

- **build s**: ``roadmap_figure`` / ``plot_gantt`` alone (no drawing yet);
- **png s**, **svg s**, **pdf s**: ``planner.charts.save`` to that format, as the commands
  save these figures (``tight=False`` for the laid-out roadmap; the report's Gantt through
  ``inline_svg`` as the board pack draws it);
- the artists the figure draws (visible ones, counted after drawing): texts (non-empty),
  patches, lines and collections; and the PNG's size in pixels and the files' sizes.

The figures:

- sample trust ``roadmap``: one bar per project (207), the file ``modernise roadmap`` writes
  as ``roadmap.png`` / ``.svg`` and ``modernise gantt`` draws;
- sample trust ``roadmap-by-category`` (written by ``modernise roadmap`` too) and the board
  pack's Gantt by category (``report``, inline SVG);
- each national estate: the roadmap as the roadmap folder draws it (grouped by organisation,
  or wave above 300 organisations) and one bar per project (what ``modernise gantt`` draws).

``--skip-folder`` leaves out the time of the whole roadmap folder for the sample trust
(``planner.export.bundle.roadmap_files``: every chart in every format, the workbook, MS
Project, Mermaid, JSON, CSV and the summary; once). ``--profile`` prints where the sample
trust's ``roadmap`` time goes (cProfile: build, PNG and SVG once).

The script runs unchanged on the code before the Gantt's rework (it only uses
``roadmap_figure``, ``plot_gantt``, ``save`` and ``inline_svg``), so before/after numbers come
from the same script. These are measurements to read, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
from matplotlib.collections import Collection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from scaled_policy import scaled_policy  # benchmarks/ is on sys.path when run

ROOT = Path(__file__).resolve().parent.parent
TODAY = pd.Timestamp("2026-11-25")  # a fixed today, so every run draws the same picture


def timed(function: Callable, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def artists(figure) -> dict[str, int]:
    """The artists a drawn figure draws (visible ones: an axis keeps hidden lines and texts
    for every tick; tick labels exist only once drawn)."""

    def drawn(kind) -> list:
        return [a for a in figure.findobj(kind) if a.get_visible() and a.get_figure()]

    return {
        "texts": len([t for t in drawn(Text) if t.get_text()]),
        "patches": len(drawn(Patch)),
        "lines": len(drawn(Line2D)),
        "collections": len(drawn(Collection)),
    }


def measure(name: str, draw: Callable, formats: list[str], repeat: int, folder: Path) -> dict:
    """Median seconds to build ``draw()`` and save it in each format, over ``repeat`` rounds."""
    from planner.charts import save

    report = name == "report"
    seconds: dict[str, list[float]] = {"build": []} | {f: [] for f in formats}
    row: dict = {"figure": name}
    for round_ in range(repeat):
        figure, t_build = timed(draw)
        seconds["build"].append(t_build)
        for suffix in formats:
            path = folder / f"{name}.{suffix}"
            try:
                if report:
                    from planner.report.figures import inline_svg

                    if suffix != "svg":
                        continue
                    svg, t_save = timed(inline_svg, figure, "gantt", tight=True)
                    path.write_text(svg)
                else:
                    _, t_save = timed(save, figure, path, tight=False)  # laid out: as written
            except Exception as error:  # a figure too big to save is a result
                row[f"{suffix} s"] = f"failed: {type(error).__name__}: {str(error)[:60]}"
                continue
            seconds[suffix].append(t_save)
            if round_ == 0:
                row[f"{suffix} MB"] = round(path.stat().st_size / 1e6, 2)
                if suffix == "png":
                    from PIL import Image

                    Image.MAX_IMAGE_PIXELS = None
                    with Image.open(path) as image:
                        row["png px"] = "x".join(map(str, image.size))
        if round_ == 0:
            row |= artists(figure)
        del figure
    for key, values in seconds.items():
        if values:
            row[f"{key} s"] = round(statistics.median(values), 3)
    return row


def national_plan(size: int):
    from inventory.synthetic import national
    from planner.plan import make_plan

    return make_plan(national(size, seed=1), scaled_policy(size))


def overview(result) -> str | None:
    """The grouping the roadmap folder draws its roadmap with (``roadmap_files``)."""
    projects = int(result.units["scheduled"].sum())
    organisations = result.inventory.systems["organisation"].nunique()
    if projects > 300:
        return "organisation" if organisations <= 300 else "wave"
    return None


def show(rows: list[dict]) -> None:
    frame = pd.DataFrame(rows).set_index("figure").T
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(frame.fillna("").to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="png,svg,pdf")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-folder", action="store_true")
    parser.add_argument("--sample-only", action="store_true", help="no national estates")
    args = parser.parse_args()
    formats = [f.strip().lstrip(".") for f in args.formats.split(",") if f.strip()]

    import planner
    from planner.charts import plot_gantt, roadmap_figure, save

    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"load average at start: {os.getloadavg()}")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        result, t_plan = timed(planner.plan, ROOT / "data" / "sample-trust")
        print(f"sample trust planned in {t_plan:.1f} s")
        cases = {
            "roadmap": lambda: roadmap_figure(result, today=TODAY),
            "roadmap-by-category": lambda: roadmap_figure(result, group_by="category", today=TODAY),
            "report": lambda: plot_gantt(result, group_by="category", today=TODAY),
        }
        for name, draw in cases.items():
            rows.append(measure(name, draw, formats, args.repeat, folder))
            rows[-1]["figure"] = f"sample {name}"
        if not args.skip_folder:
            from planner.export.bundle import roadmap_files

            done = folder / "folder"
            done.mkdir()
            _, t_folder = timed(roadmap_files, result, done, today=TODAY)
            print(f"sample trust roadmap folder (roadmap_files, once): {t_folder:.2f} s")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            figure = roadmap_figure(result, today=TODAY)
            save(figure, folder / "p.png", tight=False)
            save(figure, folder / "p.svg", tight=False)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
            print(out.getvalue())
        for size in [] if args.sample_only else args.sizes:
            big, t_plan = timed(national_plan, size)
            scheduled = int(big.units["scheduled"].sum())
            grouping = overview(big)
            print(f"national {size:,}: planned in {t_plan:.1f} s; {scheduled:,} projects")
            row = measure(
                "roadmap",
                lambda big=big, grouping=grouping: roadmap_figure(
                    big, group_by=grouping, today=TODAY
                ),
                formats,
                args.repeat,
                folder,
            )
            row["figure"] = f"{size // 1000}k roadmap by {grouping or 'project'}"
            rows.append(row)
            row = measure(
                "gantt-per-project",
                lambda big=big: roadmap_figure(big, today=TODAY),
                formats,
                1 if scheduled > 1000 else args.repeat,
                folder,
            )
            row["figure"] = f"{size // 1000}k per project ({scheduled:,})"
            rows.append(row)
            del big
    print(f"load average at end: {os.getloadavg()}")
    show(rows)


if __name__ == "__main__":
    main()
