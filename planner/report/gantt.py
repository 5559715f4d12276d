"""The interactive Gantt's content: one group per category (a ``<details>`` element in the
page, so groups open and close with no script), one bar per project placed in percent of
the plan's span, and for each bar the words its tooltip shows: dates, cost, risk and why
it starts when it does.

Examples
--------
>>> import planner
>>> gantt = gantt_view(planner.plan("data/examples/five-systems"))
>>> [group.label for group in gantt.groups]
['other', 'integration engine', 'PAS', 'ED']
>>> bar = gantt.groups[2].bars[0]
>>> bar.left, bar.width  # Apr 2027 to Mar 2029 of a span to Jun 2029
(0.0, 88.9)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner.charts.style import DOMAIN_OF
from planner.policy import financial_year
from planner.report.formatting import money, month

__all__ = ["Bar", "GanttGroup", "GanttView", "Tick", "gantt_view"]

#: Financial years starting further right than this (percent) are not labelled: the label
#: would not fit.
_LAST_TICK = 95.0


@dataclass(frozen=True)
class Bar:
    """A project: its label, place (percent of the span), colour class and tooltip."""

    label: str
    left: float
    width: float
    domain: str
    critical: bool
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
    groups: list[GanttGroup]
    ticks: list[Tick]
    domains: list[str]

    @property
    def projects(self) -> int:
        return sum(len(group.bars) for group in self.groups)


def _months(count: float) -> str:
    return f"{int(count)} month{'s' if int(count) != 1 else ''}"


def _why(unit: pd.Series, start: pd.Timestamp) -> str:
    """Why a project starts when it does: with the plan, or after what it waits for."""
    if unit["start"] <= start:
        return "starts with the plan"
    earliest, because = unit.get("earliest_start"), unit.get("earliest_because")
    reasons = []
    if pd.notna(earliest) and earliest > start and isinstance(because, str):
        reasons.append(f"cannot start before {month(earliest)}, {because}")
    if pd.isna(earliest) or unit["start"] > earliest:
        reasons.append("waits for budget, a team or the project cap")
    return "; then ".join(reasons)


def gantt_view(result) -> GanttView:
    """The scheduled projects grouped by category, groups in order of their first start."""
    units = result.units[result.units["scheduled"]]
    systems = result.inventory.systems
    schedule = result.schedule
    start = result.start
    end = (units["go_live"].max() if len(units) else start) + pd.DateOffset(months=3)
    span = (end - start).days or 1

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
        for _, unit in part.iterrows():
            members = unit["members"]
            name = (
                names[members[0]]
                if len(members) == 1
                else "Move group: " + " + ".join(names[m] for m in members)
            )
            lead = schedule.loc[members[0]]
            tooltip = (
                f"{name}: {month(unit['start'])} to go-live {month(unit['go_live'])} "
                f"({_months(unit['months'])}); {money(unit['cost_gbp'])}; risk "
                f"{lead['risk_rating']} ({lead['risk']:.0f}); {_why(unit, start)}"
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
                )
            )
        first_start, last = part["start"].min(), part["go_live"].max()
        count = len(part)
        groups.append(
            GanttGroup(
                label=str(label),
                summary=f"{count} · {money(part['cost_gbp'].sum())}",
                span=f"{label}: {count} project{'s' if count != 1 else ''}, "
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
    return GanttView(groups=groups, ticks=ticks, domains=domains)
