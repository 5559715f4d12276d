"""The board pack as one document: :func:`build_report` gathers every section of a plan
into a :class:`Report`, which writes itself as one self-contained HTML file (inline CSS,
charts as inline SVG, no request to any other host, prints to A4) or as a PDF.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> report = build_report(result, organisation="Example Trust", runs=100, levers=False)
>>> [part.key for part in report.parts][:4]
['summary', 'programmes', 'roadmap', 'spend']
>>> page = report.to_html()
>>> page.startswith("<!DOCTYPE html>") and "http" not in page
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from inventory.errors import InvalidArgumentError
from planner.charts import (
    plot_burndown,
    plot_comparison,
    plot_completion_histogram,
    plot_end_of_support,
    plot_forecast_fan,
    plot_gantt,
    plot_portfolio,
    plot_rank_stability,
    plot_spend,
)
from planner.montecarlo import Forecast, forecast_plan
from planner.report import parts
from planner.report.assumptions import assumptions, changes_from_default
from planner.report.blocks import Part
from planner.report.figures import Chart, inline_svg, plot_run_cost
from planner.report.formatting import day, month
from planner.report.gantt import gantt_view
from planner.report.headline import (
    headline,
    major_programmes,
    not_scheduled,
    project_list,
    roadmap_by_category,
)
from planner.report.manifest import run_manifest
from planner.report.money import contract_exposure, run_cost_trajectory, spend_against_budgets
from planner.report.options import levers as levers_of
from planner.report.options import options_appraisal
from planner.report.quality import data_quality
from planner.report.register import unsupported_register
from planner.report.risk import accepted_risks, burndown_by_year, clinical_safety
from planner.stability import rank_stability

__all__ = ["Report", "build_report"]

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("planner.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Report:
    """A board pack: the cover's facts, the parts in order, the run manifest, and the
    sections' plain data (``data``, by section) for analysts."""

    title: str
    organisation: str
    date: pd.Timestamp
    parts: list[Part]
    manifest: dict
    data: dict = field(default_factory=dict, repr=False)

    @property
    def version(self) -> str:
        """The plan's version: its manifest's plan id (the same inputs, the same id)."""
        return self.manifest["plan_id"]

    @property
    def period(self) -> str:
        """The plan's span as a board reads it: 'Apr 2027 to Mar 2037'."""
        plan = self.manifest["plan"]
        return f"{month(plan['start'])} to {month(plan['end'])}"

    def to_html(self) -> str:
        """The report as one self-contained HTML page."""
        css = files("planner.report").joinpath("templates/report.css").read_text("utf-8")
        return _TEMPLATES.get_template("report.html.j2").render(
            report=self,
            date=day(self.date),
            css=Markup(css),  # our own stylesheet, not data
            main=[p for p in self.parts if not p.annex],
            annexes=[p for p in self.parts if p.annex],
            svg=Markup,  # the charts: matplotlib's SVG, text drawn as paths
        )

    def to_pdf(self) -> bytes:
        """The same report as a PDF (A4)."""
        from planner.report.pdf import report_pdf

        return report_pdf(self)

    def write(self, path: str | Path) -> Path:
        """Write the report as HTML (.html, .htm) or PDF (.pdf), by the suffix."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".html", ".htm", ".pdf"):
            raise InvalidArgumentError(
                "path",
                f"cannot write a report to '{path.name}'",
                hint="use a .html or .pdf file name",
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".pdf":
            path.write_bytes(self.to_pdf())
        else:
            path.write_text(self.to_html(), encoding="utf-8")
        return path

    def __repr__(self) -> str:
        return (
            f"<Report '{self.title}' for {self.organisation}, {day(self.date)}: "
            f"{len(self.parts)} parts, plan {self.version}>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def _organisation(result) -> str:
    codes = sorted(result.inventory.systems["organisation"].dropna().unique())
    if not codes:
        return "Organisation not named"
    return ", ".join(codes[:5]) + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")


def build_report(
    result,
    *,
    title: str = "Legacy replacement roadmap",
    organisation: str | None = None,
    date: pd.Timestamp | str | None = None,
    forecast: Forecast | None = None,
    runs: int | None = None,
    scenarios: Mapping | None = None,
    levers: bool = True,
    inputs: Sequence[str | Path] = (),
    store: dict | None = None,
    created: datetime | None = None,
) -> Report:
    """Gather every section of a plan into a :class:`Report`.

    ``forecast`` is the plan's Monte Carlo forecast (run here with ``runs``, default the
    policy's, when not given); ``scenarios`` adds policies (name -> Policy) to the options
    appraisal; ``levers=False`` skips the levers (one plan per team and one for capital).
    ``organisation`` goes on the cover (default: the inventory's ODS codes); ``date`` is the
    paper's date (default today). ``inputs``, ``store`` and ``created`` go to the run
    manifest (:func:`planner.report.manifest.run_manifest`).
    """
    when = pd.Timestamp(date).normalize() if date is not None else pd.Timestamp.today().normalize()
    planned = len(result.schedule) > 0  # a forecast needs something planned
    outlook = forecast if forecast is not None or not planned else forecast_plan(result, runs=runs)
    stability = rank_stability(result.scores, result.policy) if planned else None
    head = headline(result, outlook)
    programmes = major_programmes(result)
    late = not_scheduled(result)
    by_category = roadmap_by_category(result)
    spend = spend_against_budgets(result)
    by_year = burndown_by_year(result)
    trajectory = run_cost_trajectory(result)
    comparison = options_appraisal(result, scenarios)
    lever_table = levers_of(result) if levers else None
    exposure = contract_exposure(result)
    accepted = accepted_risks(result)
    sign_offs = clinical_safety(result)
    quality = data_quality(result)
    changes = changes_from_default(result.policy)
    register = unsupported_register(result)
    manifest = run_manifest(result, inputs=inputs, store=store, forecast=outlook, created=created)
    systems = result.inventory.systems

    def chart(key: str, caption: str, figure, tight: bool = True) -> Chart:
        return Chart(key, caption, inline_svg(figure, key, tight=tight))

    planned_months = head.months if head.end is not None else float(np.inf)
    report_parts = [
        parts.summary_part(
            head,
            late,
            programmes,
            parts.on_time_share(outlook, planned_months)
            if outlook is not None and head.end is not None
            else None,
        ),
        parts.major_programmes_part(programmes),
        parts.roadmap_part(
            by_category,
            gantt_view(result),
            chart(
                "gantt",
                "The roadmap by category (one bar per category: its first start to last go-live)",
                plot_gantt(result, group_by="category", today=when),
            ),
        ),
        parts.spend_part(
            spend, chart("spend", "Capital spend per financial year", plot_spend(result))
        ),
        parts.risk_part(
            by_year,
            chart("burndown", "Risk burn-down", plot_burndown(result)),
            chart("portfolio", "The portfolio: risk against impact", plot_portfolio(result.scores)),
            chart(
                "support",
                "End of support by quarter",
                plot_end_of_support(systems, result.scores, plan_start=result.start, today=when),
            ),
        ),
        parts.confidence_part(
            outlook.programme if outlook is not None else None,
            [
                chart("completion", "Programme completion", plot_completion_histogram(outlook)),
                chart("fan", "Risk burn-down across the runs", plot_forecast_fan(outlook)),
            ]
            if outlook is not None
            else [],
            (
                stability.describe(),
                chart("stability", "Rank stability", plot_rank_stability(stability, limit=25)),
            )
            if stability is not None
            else None,
        ),
        parts.run_cost_part(
            trajectory, chart("run-cost", "Running cost per year", plot_run_cost(result))
        ),
        parts.options_part(
            comparison.table,
            chart("options", "Options side by side", plot_comparison(comparison)),
        ),
        parts.levers_part(lever_table),
        parts.contract_part(exposure, int(systems["contract_end"].isna().sum()), len(systems)),
        parts.accepted_risks_part(accepted),
        parts.clinical_safety_part(sign_offs),
        parts.data_quality_part(quality),
        parts.assumptions_part(assumptions(result.policy), changes, result.policy.source),
        parts.register_part(register, result.start),
        parts.project_list_part(project_list(result)),
        parts.manifest_part(manifest),
    ]
    data = {
        "headline": head,
        "not scheduled": late,
        "major programmes": programmes,
        "roadmap by category": by_category,
        "spend": spend,
        "risk by year": by_year,
        "run cost": trajectory,
        "options": comparison,
        "levers": lever_table,
        "contract exposure": exposure,
        "accepted risks": accepted,
        "clinical safety": sign_offs,
        "data quality": quality,
        "policy changes": changes,
        "unsupported register": register,
        "forecast": outlook,
        "rank stability": stability,
    }
    return Report(
        title=title,
        organisation=organisation or _organisation(result),
        date=when,
        parts=report_parts,
        manifest=manifest,
        data=data,
    )
