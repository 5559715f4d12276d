"""Why a system ranks where it does and why it is planned when it is, in words.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> why = planner.explain(result, "pas")
>>> why.factors.set_index("factor").loc["= risk", "points"] > 0
np.True_
>>> print(why.timing[0])  # doctest: +ELLIPSIS
Planned: starts Jul 2027, goes live Jun 2029 (wave 1, on the critical path).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from inventory.names import system_ids
from planner.plan import PlanResult
from planner.scoring import explain as explain_scores

__all__ = ["Explanation", "explain_system"]


@dataclass(frozen=True)
class Explanation:
    """One system's explanation: ``factors`` (part, factor, points, why: every score's
    contributions) and ``timing`` (sentences on when it is planned and what holds it)."""

    system: str
    name: str
    factors: pd.DataFrame
    timing: list[str]

    def __str__(self) -> str:
        return "\n".join([f"{self.system}: {self.name}", *self.timing])

    def __repr__(self) -> str:
        return f"<Explanation of {self.system}: {' '.join(self.timing[:1])}>"

    def _repr_html_(self) -> str:
        lines = "".join(f"<p>{html.escape(line)}</p>" for line in self.timing)
        return (
            f"<h4>{html.escape(self.system)}: {html.escape(str(self.name))}</h4>"
            f"{self.factors.to_html(escape=True, index=False)}{lines}"
        )


def explain_system(result: PlanResult, system: str) -> Explanation:
    """Explain ``system`` (its id, or its name as people say it) in ``result``: its score,
    factor by factor, and its timing."""
    (key,) = system_ids(result.inventory.systems, [system])
    factors = explain_scores(result.scores, key, result.policy)
    name = str(result.inventory.systems.at[key, "name"])
    return Explanation(key, name, factors, _timing(result, key))


def _timing(result: PlanResult, key: str) -> list[str]:
    """When the system is planned, what set its earliest start, what held it month range by
    month range between then and its start, and which rule made each wait."""
    if key not in result.schedule.index:
        return ["Not planned: its disposition is retain (or it is retired)."]
    row = result.schedule.loc[key]
    unit = result.units.loc[row["unit"]]
    lines = []
    if row["scheduled"]:
        slack = (
            "on the critical path" if row["critical"] else f"slack {row['slack_months']:.0f} months"
        )
        verb: str = "is decommissioned" if unit["decommission"] else "goes live"
        lines.append(
            f"Planned: starts {row['start']:%b %Y}, {verb} {row['go_live']:%b %Y} "
            f"(wave {row['wave']}, {slack})."
        )
        if unit["months"] > unit["planned_months"]:
            lines.append(
                f"Phased over {unit['months']} months instead of {unit['planned_months']} to "
                "fit the yearly budgets (the same cost, spread thinner)."
            )
        if unit["approval"]:
            lines.append(
                f"Needs {unit['approval']} approval of its business case "
                f"({unit['approval_months']} months) before it starts."
            )
        if pd.notna(unit["safety_signoff"]):
            lines.append(
                f"Clinical safety case (DCB0160, class {unit['clinical_safety_class']}) signed "
                f"off by {unit['safety_signoff']:%b %Y}, before go-live."
            )
        lines.append(f"Earliest start {unit['earliest_start']:%b %Y}: {unit['earliest_because']}.")
        held = result.held[result.held["unit"] == row["unit"]]
        if len(held):
            lines.append("What held it from then to its start:")
            lines += [f"  {_held_line(result, h)}" for _, h in held.iterrows()]
    else:
        lines.append(f"Not scheduled: {row['not_scheduled_because']}")
    waits = result.links[result.links["after"] == row["unit"]]
    lines += [f"Waits for {link['before']}: {_rule(link)}." for _, link in waits.iterrows()]
    return lines


def _held_line(result: PlanResult, held: pd.Series) -> str:
    """One range of months and what held the start in it, in words."""
    span = f"{held['from']:%b %Y}" + (
        f" to {held['to']:%b %Y}"
        if held["to"].to_period("M") != held["from"].to_period("M")
        else ""
    )
    policy = result.policy.schedule
    what = held["what"]
    reasons = {
        "change freeze": "it would go live in a change-freeze month",
        "team capacity": f"the {what} team: it needs {held['need']:g} FTE a month and only "
        f"{held['free']:g} is free",
        "project cap": f"the project cap ({policy.max_concurrent_projects} at once) is reached",
        "capital budget": f"capital in {what}: it needs £{held['need']:,.0f} and "
        f"£{held['free']:,.0f} is left",
        "revenue budget": f"revenue in {what}: it needs £{held['need']:,.0f} and "
        f"£{held['free']:,.0f} is left",
        "go-live limit": f"its go-live month already has {policy.go_live.per_month} go-lives "
        "(the limit)",
        "go-live spacing": f"another go-live too close ({_group(what)})",
        "decommissioning window": "the systems it absorbs could not all be decommissioned "
        "within the window after that go-live",
        "contract deadline": f"it could not go live by its contract's end ({what})",
    }
    return f"{span}: {reasons.get(held['held_by'], held['held_by'])}"


def _group(name: str) -> str:
    if name.startswith("department: "):
        return f"clinical go-lives in {name.removeprefix('department: ')} are spaced apart"
    if name.startswith("engine: "):
        return f"clinical go-lives through {name.removeprefix('engine: ')} are spaced apart"
    return f"the stabilisation window after {name}"


def _rule(link: pd.Series) -> str:
    """Which rule made a precedence link, in words."""
    before, kind = link["before"], link["kind"]
    via = f" ({kind})" if isinstance(kind, str) and kind else ""
    return {
        "replaced_by": f"{before} absorbs it (replaced_by), so it is decommissioned after "
        f"{before} goes live",
        "after": f"the inventory says it comes after {before} (after)",
        "retire after dependents": f"it is switched off after {before}, which depends on it"
        f"{via}, has moved off it",
        "providers-first": f"it runs on {before}{via} and moves with or onto it "
        "(ordering.precedence: providers-first)",
        "consumers-first": f"{before} runs on it{via} and moves first "
        "(ordering.precedence: consumers-first)",
    }.get(link["reason"], str(link["reason"]))
