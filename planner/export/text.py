"""The plan as text other programs render: a Mermaid Gantt and a Markdown board summary.
Text from the inventory is escaped so that neither reads it as its own syntax.

Examples
--------
>>> mermaid_text("Click and Collect: pharmacy")  # a zero-width space keeps 'click' a word
'\\u200bClick and Collect#58; pharmacy'
>>> print(markdown_text("[x](http://evil) *now*"))
\\[x\\](http\\://evil) \\*now\\*
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from inventory.characters import one_line
from inventory.output import atomic_file
from planner.scoring import beside_register

__all__ = ["markdown_text", "mermaid_text", "write_markdown", "write_mermaid"]

#: Words that open a statement of Mermaid's Gantt grammar (in any case) when a line starts
#: with them: a task named "Section 136 Suite" would become a section, "Click and Collect"
#: a click handler.
MERMAID_KEYWORDS = (
    "gantt",
    "dateformat",
    "inclusiveenddates",
    "topaxis",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "weekday",
    "weekend",
    "title",
    "section",
    "click",
    "acctitle",
    "accdescr",
    "accdescription",
)
_MERMAID_STATEMENT = re.compile(
    r"^(?:(?:" + "|".join(MERMAID_KEYWORDS) + r")(?![a-z0-9])|\d{4}-\d\d-\d\d|[{}\u200b])",
    re.IGNORECASE,
)
#: Characters Mermaid reads as syntax, written as its entity codes (``#58;``), which it draws
#: as the characters: ':' ends a task's name, '#' and ';' make entity codes, '%' starts a
#: comment or a ``%%{init}%%`` directive, '<' and '>' are read as HTML.
_MERMAID_ENTITIES = {"#": "#35;", ";": "#59;", ":": "#58;", "%": "#37;", "<": "#lt;", ">": "#gt;"}
_MERMAID_SYNTAX = re.compile("[" + re.escape("".join(_MERMAID_ENTITIES)) + "]")


def mermaid_text(text: object) -> str:
    """Text Mermaid draws as written and reads as a task's (or the title's) words only.

    One line, runs of spaces as one (U+FEFF counts as a space, as Mermaid's lexer reads
    it); the characters Mermaid reads as syntax written as its
    own entity codes (``:`` as ``#58;``, ``%`` as ``#37;``, ``<`` as ``#lt;``); and a name
    that would start a statement (a keyword such as ``section`` or ``click``, a date) is
    prefixed with an invisible zero-width space, which Mermaid draws as nothing and reads
    as text (so is a name that starts with one, so that the prefix is never ambiguous).
    """
    value = " ".join(one_line(str(text)).replace("\ufeff", " ").split())  # JS: a space
    value = _MERMAID_SYNTAX.sub(lambda m: _MERMAID_ENTITIES[m.group()], value)
    if _MERMAID_STATEMENT.match(value):
        value = "\u200b" + value
    return value or "task"


def write_mermaid(result, path: str | Path, *, title: str = "Legacy replacement roadmap") -> Path:
    """A Mermaid ``gantt`` diagram: one section per wave, critical projects marked, each
    clinical safety case sign-off (DCB0160) a milestone."""
    path = Path(path)
    units = result.units[result.units["scheduled"]].sort_values(["start_month", "finish_month"])
    names = result.inventory.systems["name"]
    lines = [
        "gantt",
        f"    title {mermaid_text(title)}",
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
                f"    {mermaid_text(name)} :{tags}w{wave}t{number}, "
                f"{row['start']:%Y-%m-%d}, {row['go_live']:%Y-%m-%d}"
            )
            if pd.notna(row["safety_signoff"]):
                lines.append(
                    f"    Safety case signed off {mermaid_text(name)} :milestone, "
                    f"w{wave}s{number}, {row['safety_signoff']:%Y-%m-%d}, 0d"
                )
    with atomic_file(path) as temporary:
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: Characters Markdown (CommonMark, and GitHub's extensions) reads as syntax inside a line:
#: emphasis, code, links and images, raw HTML and entities, table cells, strikethrough,
#: GitHub's math, and a heading's closing '#'.
_MARKDOWN_MARKS = re.compile(r"([\\`*_\[\]<>&|~$#])")


def markdown_text(text: object) -> str:
    """Text Markdown shows as written, in a table cell, a list item or a heading.

    One line (a line break would start a heading or end the table); every character that
    is Markdown syntax inside a line is escaped with a backslash, so ``[x](http://...)`` is
    no link, ``![](...)`` no image, ``<b>`` no HTML and ``*x*`` no emphasis; a web address's
    ``://`` and ``www.`` are escaped too, so that no renderer turns them into links.
    """
    value = _MARKDOWN_MARKS.sub(r"\\\1", one_line(str(text)))
    value = re.sub(r":(?=//)", r"\\:", value)
    return re.sub(r"(?i)\bwww\.", lambda m: m.group()[:3] + "\\.", value)


def _code(text: object) -> str:
    """An id in a code span: one line, no backquote to close it, pipes escaped for tables."""
    return one_line(str(text)).replace("`", "'").replace("|", "\\|")


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
    scores = result.scores  # in rank order
    top = beside_register(result.inventory.systems[["name"]], scores[scores["planned"]].head(10))
    key_dates = schedule.sort_values("rank").drop_duplicates("unit").head(10)
    lines = [
        f"# {markdown_text(title)}",
        "",
        f"**{markdown_text(result.headline)}**. Estate risk falls from {s['risk now']:,.0f} to "
        f"{s['risk at end']:,.0f} ({100 * (1 - s['risk at end'] / s['risk now']):.0f}% lower)."
        if result.end is not None and s["risk now"]
        else f"**{markdown_text(result.headline)}**: nothing could be scheduled; see the warnings.",
        "",
        f"Downstream impact: {markdown_text(s['impact method'])}.",
        "",
    ]
    for label, file in (figures or {}).items():
        lines += [f"![{markdown_text(label)}]({file})", ""]
    for note in notes or []:
        lines += [f"> {markdown_text(note)}", ""]
    lines += ["## Headline dates", "", "| system | goes live | cost | risk |", "|---|---|---:|---|"]
    for system, row in key_dates.iterrows():
        lines.append(
            f"| {markdown_text(row['name'])} (`{_code(system)}`) | {row['go_live']:%b %Y} | "
            f"£{row['cost_gbp'] / 1e6:,.2f}m | {row['risk_rating']} |"
        )
    lines += ["", *_money_lines(result)]
    lines += ["", "## Top risks", "", "| rank | system | risk | why |", "|---:|---|---:|---|"]
    for system, row in top.iterrows():
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
            f"| {row['rank']} | {markdown_text(row['name'])} (`{_code(system)}`) | "
            f"{row['risk']:.0f} | {markdown_text(', '.join(why) or row['risk_rating'])} |"
        )
    lines += _accepted_lines(result)
    lines += ["", "## Warnings", ""]
    if result.warnings.empty:
        lines.append("None.")
    for _, warning in result.warnings.iterrows():
        lines.append(f"- **{markdown_text(warning['kind'])}**: {markdown_text(warning['message'])}")
    with atomic_file(path) as temporary:
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
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
    for year, row in result.spend_by_fy.iterrows():
        lines.append(
            f"| {year} | {_gbp(row['capital_budget_gbp'])} | "
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
    for year, row in result.run_costs.iterrows():
        lines.append(
            f"| {year} | {_gbp(row['do_nothing_gbp'])} | "
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
                f"| {markdown_text(row['name'])} (`{_code(system)}`) | "
                f"{row['contract_end']:%b %Y} | {until} | {int(row['months'])} | "
                f"£{row['cost_gbp']:,.0f} |"
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
            f"| {markdown_text(row['name'])} (`{_code(system)}`) | {row['risk']:.0f} | "
            f"{row['risk_rating']} |"
        )
    return lines
