"""The interactive Gantt's content: one group per category (a ``<details>`` element in the
page, so groups open and close with no script), one bar per project placed in percent of
the plan's span with its milestones (the business case approved, the clinical safety case
signed off), and for each bar the words its tooltip shows: dates, cost, risk, and why it
starts when it does (what set its earliest start, then what held it:
:func:`planner.report.constraints.held_words`). The projects not scheduled follow, each
with the scheduler's reason.

Examples
--------
>>> import planner
>>> gantt = gantt_view(planner.plan("data/examples/five-systems"))
>>> [group.label for group in gantt.groups]
['other', 'integration engine', 'ED', 'PAS']
>>> bar = gantt.groups[3].bars[0]
>>> bar.left, bar.width  # Jul 2027 to Jun 2029 of a span from Apr 2027 to Sep 2029
(10.0, 79.9)
>>> [(m.kind, m.left) for m in bar.milestones]  # approved Jul 2027, signed off May 2029
[('approval', 10.0), ('safety', 83.4)]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from planner.charts.style import DOMAIN_OF
from planner.policy import financial_year
from planner.report.constraints import held_words
from planner.report.formatting import money, month, plural
from planner.report.headline import project_names

__all__ = ["Bar", "GanttGroup", "GanttView", "Milestone", "Tick", "Unscheduled", "gantt_view"]

#: Financial years starting further right than this (percent) are not labelled: the label
#: would not fit.
_LAST_TICK = 95.0


@dataclass(frozen=True)
class Milestone:
    """A date on a project's bar: ``approval`` (its business case approved) or ``safety``
    (its DCB0160 safety case signed off), placed in percent of the span."""

    kind: str
    left: float
    tooltip: str


@dataclass(frozen=True)
class Bar:
    """A project: its label, place (percent of the span), colour class, tooltip and
    milestones."""

    label: str
    left: float
    width: float
    domain: str
    critical: bool
    tooltip: str
    milestones: list[Milestone] = field(default_factory=list)


@dataclass(frozen=True)
class Unscheduled:
    """A project the plan could not fit: its label, its cost and the scheduler's reason
    (``text``), and the same with its name (``tooltip``)."""

    label: str
    text: str
    tooltip: str


@dataclass(frozen=True)
class GanttGroup:
    """A category: its projects and the span they cover."""

    label: str
    summary: str  # projects and cost, beside the label
    span: str  # the same with the dates, the tooltip of the group's bar
    left: float
    width: float
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    """A financial year's start on the time axis."""

    label: str
    left: float


@dataclass(frozen=True)
class GanttView:
    """The groups of scheduled projects, the time axis, the domains coloured, and the
    projects not scheduled (``unscheduled_summary``: how many, how many systems, what they
    cost; ``unscheduled_label`` the same, short, beside the group's name)."""

    groups: list[GanttGroup]
    ticks: list[Tick]
    domains: list[str]
    unscheduled: list[Unscheduled] = field(default_factory=list)
    unscheduled_summary: str = ""
    unscheduled_label: str = ""

    @property
    def projects(self) -> int:
        return sum(len(group.bars) for group in self.groups)


def _months(count: float) -> str:
    return plural(int(count), "month")


def _why(unit: pd.Series, start: pd.Timestamp, held: str | None) -> str:
    """Why a project starts when it does: with the plan, or what set its earliest start and
    then what held it (``held``, from :func:`~planner.report.constraints.held_words`)."""
    if unit["start"] <= start:
        return "starts with the plan"
    earliest, because = unit.get("earliest_start"), unit.get("earliest_because")
    reasons = []
    if pd.notna(earliest) and earliest > start and isinstance(because, str):
        reasons.append(f"cannot start before {month(earliest)}, {because}")
    if held:
        reasons.append(held)
    return "; then ".join(reasons) or "starts at its earliest"


def _milestones(unit: pd.Series, at) -> list[Milestone]:
    marks = []
    if unit["approval"] and pd.notna(unit["approved_by"]):
        marks.append(
            Milestone(
                "approval",
                at(unit["approved_by"]),
                f"Business case approved by the {unit['approval']}: {month(unit['approved_by'])}",
            )
        )
    if pd.notna(unit["safety_signoff"]):
        marks.append(
            Milestone(
                "safety",
                at(unit["safety_signoff"]),
                f"Clinical safety case (DCB0160, class {unit['clinical_safety_class']}) signed "
                f"off: {month(unit['safety_signoff'])}",
            )
        )
    return marks


def gantt_view(result) -> GanttView:
    """The scheduled projects grouped by category, groups in order of their first start;
    then the projects not scheduled, dearest first."""
    units = result.units[result.units["scheduled"]]
    systems = result.inventory.systems
    schedule = result.schedule
    start = result.start
    end = (units["go_live"].max() if len(units) else start) + pd.DateOffset(months=3)
    span = (end - start).days or 1
    held = held_words(result)

    def at(when: pd.Timestamp) -> float:
        return round(100 * (when - start).days / span, 1)

    first = units["members"].map(lambda m: m[0])
    category = systems["category"].reindex(first).to_numpy()
    names = systems["name"]
    groups = []
    frame = units.assign(category=category).sort_values(["start", "go_live"], kind="stable")
    order = frame.groupby("category", sort=False)["start"].min().sort_values(kind="stable")
    for label in order.index:
        part = frame[frame["category"] == label]
        bars = []
        for key, unit in part.iterrows():
            members = unit["members"]
            name = (
                names[members[0]]
                if len(members) == 1
                else "Move group: " + " + ".join(names[m] for m in members)
            )
            lead = schedule.loc[members[0]]
            verb = "switch-off" if unit["decommission"] else "go-live"
            tooltip = (
                f"{name}: {month(unit['start'])} to {verb} {month(unit['go_live'])} "
                f"({_months(unit['months'])}); {money(unit['cost_gbp'])}; risk "
                f"{lead['risk_rating']} ({lead['risk']:.0f}); {_why(unit, start, held.get(key))}"
                + ("; on the critical path" if unit["critical"] else "")
            )
            bars.append(
                Bar(
                    label=name,
                    left=at(unit["start"]),
                    width=round(at(unit["go_live"]) - at(unit["start"]), 1),
                    domain=DOMAIN_OF.get(label, "other").replace(" ", "-"),
                    critical=bool(unit["critical"]),
                    tooltip=tooltip,
                    milestones=_milestones(unit, at),
                )
            )
        first_start, last = part["start"].min(), part["go_live"].max()
        count = len(part)
        groups.append(
            GanttGroup(
                label=str(label),
                summary=f"{count} · {money(part['cost_gbp'].sum())}",
                span=f"{label}: {plural(count, 'project')}, "
                f"{money(part['cost_gbp'].sum())}, {month(first_start)} to {month(last)}",
                left=at(first_start),
                width=round(at(last) - at(first_start), 1),
                bars=bars,
            )
        )
    ticks = [
        Tick(financial_year(april), at(april))
        for april in pd.date_range(f"{start.year - 1}-04-01", end, freq="12MS")
        if start <= april < end
    ]
    ticks = [tick for tick in ticks if tick.left <= _LAST_TICK]
    domains = sorted({bar.domain for group in groups for bar in group.bars})
    left_out = result.units[~result.units["scheduled"]].sort_values(
        "cost_gbp", ascending=False, kind="stable"
    )
    unscheduled = []
    for label, (_, row) in zip(project_names(result, left_out), left_out.iterrows(), strict=True):
        text = f"{money(row['cost_gbp'])} · {row['not_scheduled_because']}"
        unscheduled.append(Unscheduled(label, text, f"{label}: {text}"))
    count, cost = len(left_out), money(left_out["cost_gbp"].sum())
    systems = int(left_out["members"].map(len).sum())
    summary = f"{plural(count, 'project')} · {plural(systems, 'system')} · {cost}" if count else ""
    return GanttView(
        groups=groups,
        ticks=ticks,
        domains=domains,
        unscheduled=unscheduled,
        unscheduled_summary=summary,
        unscheduled_label=f"{count} · {cost}" if count else "",
    )
