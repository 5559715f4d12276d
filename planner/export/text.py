"""The plan as text other programs render: a Mermaid Gantt and a Markdown board summary.
Text from the inventory is sanitised so that neither reads it as its own syntax."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

__all__ = ["write_markdown", "write_mermaid"]


def _mermaid_text(text: str) -> str:
    """Task text Mermaid cannot misread: no ':', '#', ';' or line breaks."""
    return re.sub(r"[:#;\r\n]+", " ", str(text)).strip() or "task"


def write_mermaid(result, path: str | Path, *, title: str = "Legacy replacement roadmap") -> Path:
    """A Mermaid ``gantt`` diagram: one section per wave, critical projects marked, each
    clinical safety case sign-off (DCB0160) a milestone."""
    path = Path(path)
    units = result.units[result.units["scheduled"]].sort_values(["start_month", "finish_month"])
    names = result.inventory.systems["name"]
    lines = [
        "gantt",
        f"    title {_mermaid_text(title)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m",
    ]
    calendar = result.calendar
    for wave, wave_units in units.groupby("wave", sort=True):
        year = calendar.fy_labels[int(wave) - 1] if int(wave) - 1 < len(calendar.fy_labels) else ""
        lines.append(f"    section Wave {wave} {year}")
        for number, (_unit, row) in enumerate(wave_units.iterrows()):
            members = row["members"]
            name = names[members[0]] if len(members) == 1 else " + ".join(members)
            tags = "crit, " if row["critical"] else ""
            lines.append(
                f"    {_mermaid_text(name)} :{tags}w{wave}t{number}, "
                f"{row['start']:%Y-%m-%d}, {row['go_live']:%Y-%m-%d}"
            )
            if pd.notna(row["safety_signoff"]):
                lines.append(
                    f"    Safety case signed off {_mermaid_text(name)} :milestone, "
                    f"w{wave}s{number}, {row['safety_signoff']:%Y-%m-%d}, 0d"
                )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _md(text: object) -> str:
    """Text for a Markdown table cell: pipes and angle brackets escaped, no line breaks."""
    value = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return value.replace(">", "&gt;").replace("\n", " ")


def write_markdown(
    result,
    path: str | Path,
    *,
    title: str = "Legacy replacement roadmap",
    figures: dict[str, str] | None = None,
    notes: list[str] | None = None,
) -> Path:
    """A short board summary: headline dates, spend per year, top risks, warnings."""
    path = Path(path)
    s = result.summary()
    schedule = result.scheduled
    by_rank = result.scores[result.scores["planned"]].sort_values("rank")
    key_dates = schedule.sort_values("rank").drop_duplicates("unit").head(10)
    lines = [
        f"# {_md(title)}",
        "",
        f"**{_md(result.headline)}**. Estate risk falls from {s['risk now']:,.0f} to "
        f"{s['risk at end']:,.0f} ({100 * (1 - s['risk at end'] / s['risk now']):.0f}% lower)."
        if result.end is not None and s["risk now"]
        else f"**{_md(result.headline)}**: nothing could be scheduled; see the warnings.",
        "",
        f"Downstream impact: {_md(s['impact method'])}.",
        "",
    ]
    for label, file in (figures or {}).items():
        lines += [f"![{_md(label)}]({file})", ""]
    for note in notes or []:
        lines += [f"> {_md(note)}", ""]
    lines += ["## Headline dates", "", "| system | goes live | cost | risk |", "|---|---|---:|---|"]
    for system, row in key_dates.iterrows():
        lines.append(
            f"| {_md(row['name'])} (`{_md(system)}`) | {row['go_live']:%b %Y} | "
            f"£{row['cost_gbp'] / 1e6:,.2f}m | {row['risk_rating']} |"
        )
    lines += ["", *_money_lines(result)]
    lines += ["", "## Top risks", "", "| rank | system | risk | why |", "|---:|---|---:|---|"]
    for system, row in by_rank.head(10).iterrows():
        why = []
        if row["likelihood_support"] >= result.policy.risk.likelihood.support.past:
            why.append("out of support")
        if row["likelihood_skills"] >= 0.5:
            why.append("scarce skills")
        if row["downstream"] >= 50:
            why.append(f"{row['downstream']:.0f} systems depend on it")
        if row["likelihood_vulnerabilities"] > 0:
            why.append("known vulnerabilities")
        lines.append(
            f"| {row['rank']} | {_md(row['name'])} (`{_md(system)}`) | {row['risk']:.0f} | "
            f"{_md(', '.join(why) or row['risk_rating'])} |"
        )
    lines += _accepted_lines(result)
    lines += ["", "## Warnings", ""]
    if result.warnings.empty:
        lines.append("None.")
    for _, warning in result.warnings.iterrows():
        lines.append(f"- **{_md(warning['kind'])}**: {_md(warning['message'])}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _gbp(value: float) -> str:
    """'£1.2m', or 'no limit' for a blank budget."""
    return "no limit" if value != value else f"£{value / 1e6:,.1f}m"


def _money_lines(result) -> list[str]:
    """Capital and revenue per financial year against budget, the run cost, and the contracts
    the plan needs extended."""
    lines = [
        "## Spend per financial year",
        "",
        "| year | capital budget | capital | revenue budget | revenue |",
        "|---|---:|---:|---:|---:|",
    ]
    for _, row in result.spend_by_fy.iterrows():
        lines.append(
            f"| {row['financial_year']} | {_gbp(row['capital_budget_gbp'])} | "
            f"{_gbp(row['capital_gbp'])} | {_gbp(row['revenue_budget_gbp'])} | "
            f"{_gbp(row['revenue_gbp'])} |"
        )
    lines += [
        "",
        "## Running cost per financial year",
        "",
        "| year | doing nothing | with the plan | of which double running |",
        "|---|---:|---:|---:|",
    ]
    for _, row in result.run_costs.iterrows():
        lines.append(
            f"| {row['financial_year']} | {_gbp(row['do_nothing_gbp'])} | "
            f"{_gbp(row['planned_gbp'])} | {_gbp(row['double_running_gbp'])} |"
        )
    extensions = result.contract_extensions
    if len(extensions):
        lines += [
            "",
            f"## Contracts to extend ({len(extensions)}, "
            f"£{extensions['cost_gbp'].sum() / 1e6:,.1f}m at current run rates)",
            "",
            "| system | contract ends | runs until | months | cost |",
            "|---|---|---|---:|---:|",
        ]
        for system, row in extensions.iterrows():
            until = f"{row['runs_until']:%b %Y}" if pd.notna(row["runs_until"]) else "not scheduled"
            lines.append(
                f"| {_md(row['name'])} (`{_md(system)}`) | {row['contract_end']:%b %Y} | "
                f"{until} | {int(row['months'])} | £{row['cost_gbp']:,.0f} |"
            )
    return lines


def _accepted_lines(result) -> list[str]:
    """The risks the plan accepts: retained systems at high or extreme risk."""
    accepted = result.accepted_risks
    if accepted.empty:
        return []
    lines = [
        "",
        f"## Accepted risks ({len(accepted)} retained systems at high or extreme risk)",
        "",
        "| system | risk | rating |",
        "|---|---:|---|",
    ]
    for system, row in accepted.iterrows():
        lines.append(
            f"| {_md(row['name'])} (`{_md(system)}`) | {row['risk']:.0f} | {row['risk_rating']} |"
        )
    return lines
