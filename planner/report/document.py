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
>>> report.headline
'4 of 4 projects planned (£7.2m), Apr 2027 to Jun 2029'
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
from planner.levers import levers as levers_of
from planner.montecarlo import Forecast, forecast_plan
from planner.report import annexes, parts
from planner.report.assumptions import assumptions, changes_from_default
from planner.report.blocks import Part
from planner.report.constraints import binding_constraints
from planner.report.figures import Chart, inline_svg, plot_run_cost
from planner.report.formatting import day, month, plural
from planner.report.gantt import gantt_view
from planner.report.headline import (
    headline,
    major_programmes,
    not_scheduled,
    project_list,
    roadmap_by_category,
)
from planner.report.manifest import run_manifest
from planner.report.milestones import approvals, clinical_safety
from planner.report.money import contract_extensions, run_cost_by_year, spend_by_year
from planner.report.options import options_appraisal
from planner.report.quality import data_quality
from planner.report.register import unsupported_register
from planner.report.risk import accepted_risks, burndown_by_year
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
    """A board pack: the cover's facts (with the plan's headline, which never hides what is
    not scheduled), the parts in order, the run manifest, and the sections' plain data
    (``data``, by section) for analysts."""

    title: str
    organisation: str
    date: pd.Timestamp
    parts: list[Part]
    manifest: dict
    headline: str = ""
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

    @property
    def unscheduled(self) -> bool:
        """Whether the plan leaves projects out (the cover says so in red)."""
        return self.data["headline"].not_scheduled > 0 if "headline" in self.data else False

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
    policy's, when not given; none when nothing is scheduled); ``scenarios`` adds policies
    (name -> Policy) to the options appraisal; ``levers=False`` skips the levers
    (:func:`planner.levers.levers`, which places the plan again once per lever).
    ``organisation`` goes on the cover (default: the inventory's ODS codes); ``date`` is the
    paper's date (default today). ``inputs``, ``store`` and ``created`` go to the run
    manifest (:func:`planner.report.manifest.run_manifest`).
    """
    when = pd.Timestamp(date).normalize() if date is not None else pd.Timestamp.today().normalize()
    planned = len(result.schedule) > 0  # a forecast of nothing planned is refused
    scheduled = bool(result.units["scheduled"].any())  # and of nothing scheduled, empty
    outlook = (
        None
        if not scheduled
        else forecast
        if forecast is not None
        else forecast_plan(result, runs=runs)
    )
    scored = result.scored  # the register beside the scores: joined once for the report
    stability = rank_stability(scored, result.policy) if planned else None
    head = headline(result, outlook)
    programmes = major_programmes(result)
    late = not_scheduled(result)
    by_category = roadmap_by_category(result)
    spend = spend_by_year(result, outlook)
    by_year = burndown_by_year(result)
    run_costs = run_cost_by_year(result)
    comparison = options_appraisal(result, scenarios)
    held = binding_constraints(result)
    lever_values = levers_of(result) if levers else None
    extensions = contract_extensions(result)
    accepted = accepted_risks(result)
    cases = approvals(result)
    sign_offs = clinical_safety(result)
    quality = data_quality(result)
    changes = changes_from_default(result.policy)
    register = unsupported_register(result)
    manifest = run_manifest(result, inputs=inputs, store=store, forecast=outlook, created=created)
    systems = result.inventory.systems
    warnings = result.warnings
    policy = result.policy

    def chart(key: str, caption: str, figure, tight: bool = True, wide: bool = False) -> Chart:
        return Chart(key, caption, inline_svg(figure, key, tight=tight), wide=wide)

    planned_months = head.months if head.end is not None else float(np.inf)
    forecast_warnings = outlook.warnings if outlook is not None else []
    years = set(spend.index)  # the forecast names a year slipping first
    slipping = [message for message in forecast_warnings if message.split(":")[0] in years]
    units = result.units
    report_parts = [
        parts.summary_part(
            head,
            late,
            programmes,
            parts.on_time_share(outlook, planned_months)
            if outlook is not None and head.end is not None
            else None,
            held,
            _best_lever(lever_values),
        ),
        parts.major_programmes_part(programmes),
        parts.roadmap_part(
            by_category,
            gantt_view(result),
            chart(
                "gantt",
                "The roadmap by category (one bar per category: its first start to last "
                "go-live; diamonds mark business cases approved, ticks safety cases signed off)",
                plot_gantt(result, group_by="category", today=when),
                wide=True,
            ),
        ),
        parts.spend_part(
            spend,
            chart("spend", "Capital and revenue per financial year", plot_spend(result)),
            warnings.loc[warnings["kind"].isin(["assumption", "budget"]), "message"].tolist(),
            slipping,
        ),
        parts.risk_part(
            by_year,
            chart("burndown", "Risk burn-down", plot_burndown(result)),
            chart("portfolio", "The portfolio: risk against impact", plot_portfolio(scored)),
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
            [message for message in forecast_warnings if message not in slipping],
        ),
        parts.run_cost_part(
            run_costs,
            chart("run-cost", "Running cost per year", plot_run_cost(result)),
            policy.money.parallel_running_months,
        ),
        parts.options_part(
            comparison.table,
            chart("options", "Options side by side", plot_comparison(comparison)),
        ),
        parts.constraints_part(held),
        parts.levers_part(lever_values),
        annexes.contract_part(extensions, int(systems["contract_end"].isna().sum()), len(systems)),
        annexes.accepted_risks_part(accepted),
        annexes.approvals_part(
            cases, policy.schedule.approval.board_months, policy.schedule.approval.national_months
        ),
        annexes.clinical_safety_part(
            sign_offs,
            policy.clinical_safety.lead_months,
            int((~units["scheduled"] & (units["clinical_safety_class"] != "none")).sum()),
        ),
        annexes.data_quality_part(quality),
        annexes.assumptions_part(assumptions(policy), changes, policy.source),
        annexes.register_part(register, result.start),
        annexes.project_list_part(project_list(result)),
        annexes.warnings_part(warnings),
        annexes.manifest_part(manifest),
    ]
    data = {
        "headline": head,
        "not scheduled": late,
        "major programmes": programmes,
        "roadmap by category": by_category,
        "spend": spend,
        "risk by year": by_year,
        "run cost": run_costs,
        "options": comparison,
        "binding constraints": held,
        "levers": lever_values,
        "contract extensions": extensions,
        "accepted risks": accepted,
        "approvals": cases,
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
        headline=head.text,
        data=data,
    )


def _best_lever(levers) -> str | None:
    """The lever worth most, in words, for the summary (None without levers)."""
    if levers is None:
        return None
    helpful = levers.helpful
    if helpful.empty:
        return "none brings the end sooner or cuts the risk carried"
    best = helpful.iloc[0]
    months = int(best["months_sooner"])
    when = (
        f"ends {plural(months, 'month')} sooner"
        if months > 0
        else f"ends {plural(-months, 'month')} later"
        if months < 0
        else "the same end"
    )
    more = int(best["newly_scheduled"])
    if more:
        when = f"schedules {plural(more, 'more project')} and {when}"
    return (
        f"the one worth most is to {best['lever'][0].lower()}{best['lever'][1:]} ({when}; "
        f"risk exposure {best['risk_exposure_change']:+,.0f} risk-months)"
    )
