"""The roadmap folder with the board pack in it: everything :func:`planner.export.write_roadmap`
writes, plus the report (``report.html``, and ``report.pdf`` when asked), the run manifest
(``manifest.json``) and the unsupported-systems register (CSV and XLSX).

Examples
--------
>>> import tempfile, planner
>>> result = planner.plan("data/examples/five-systems")
>>> folder = tempfile.mkdtemp()
>>> written = write_board_pack(result, folder, report_options={"runs": 50, "levers": False})
>>> sorted(p.name for p in written if p.suffix in (".html", ".json"))[:3]
['manifest.json', 'report.html', 'roadmap.json']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from inventory.output import atomic_folder, check_output_folder
from planner.export.bundle import ROADMAP_FILES, chart_formats, roadmap_files
from planner.report.document import Report, build_report
from planner.report.manifest import write_manifest
from planner.report.register import write_register

__all__ = ["REGISTER_NAME", "write_board_pack"]

#: The register's file name in the folder (.csv and .xlsx).
REGISTER_NAME = "unsupported-systems"


def write_board_pack(
    result,
    folder: str | Path,
    *,
    title: str = "Legacy replacement roadmap",
    pdf: bool = False,
    today: pd.Timestamp | None = None,
    report_options: Mapping | None = None,
    charts: Iterable[str] = ("png",),
) -> list[Path]:
    """Write the roadmap folder and the board pack into ``folder``; ``report_options`` go to
    :func:`planner.report.build_report` (organisation, inputs, store, scenarios, ...);
    ``charts`` are the formats of the folder's chart files (png, svg, pdf).

    The folder is written whole or not at all (as :func:`planner.export.write_roadmap`).
    """
    folder = check_output_folder(folder, ROADMAP_FILES)  # before the report's work
    formats = chart_formats(charts)
    report: Report = build_report(result, title=title, **dict(report_options or {}))
    with atomic_folder(folder, ROADMAP_FILES) as temporary:
        written = roadmap_files(result, temporary, title=title, today=today, charts=formats)
        written.append(report.write(temporary / "report.html"))
        if pdf:
            written.append(report.write(temporary / "report.pdf"))
        written.append(write_manifest(report.manifest, temporary / "manifest.json"))
        register = report.data["unsupported register"]
        for suffix in (".csv", ".xlsx"):
            written.append(
                write_register(register, temporary / f"{REGISTER_NAME}{suffix}", as_of=result.start)
            )
    return [folder / path.relative_to(temporary) for path in written]
