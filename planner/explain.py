"""Why a system ranks where it does and why it is planned when it is, in words.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> why = planner.explain(result, "pas")
>>> why.factors.set_index("factor").loc["= risk", "points"] > 0
np.True_
>>> print(why.timing[0])  # doctest: +ELLIPSIS
Planned: starts Apr 2027, goes live Mar 2029 (wave 1, on the critical path).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from inventory.errors import UnknownSystemError
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
    """Explain ``system`` in ``result``: its score, factor by factor, and its timing."""
    key = system.strip().lower()
    if key not in result.scores.index:
        raise UnknownSystemError([system])
    factors = explain_scores(result.scores, key, result.policy)
    name = str(result.scores.at[key, "name"])
    return Explanation(key, name, factors, _timing(result, key))


def _timing(result: PlanResult, key: str) -> list[str]:
    """When the system is planned, what could let it start earlier, what it waits for."""
    if key not in result.schedule.index:
        return ["Not planned: its disposition is retain (or it is retired)."]
    row = result.schedule.loc[key]
    lines = []
    if row["scheduled"]:
        slack = (
            "on the critical path" if row["critical"] else f"slack {row['slack_months']:.0f} months"
        )
        lines.append(
            f"Planned: starts {row['start']:%b %Y}, goes live {row['go_live']:%b %Y} "
            f"(wave {row['wave']}, {slack})."
        )
        unit = result.units.loc[row["unit"]]
        if unit["earliest_start"] < row["start"]:
            lines.append(
                f"It could start {unit['earliest_start']:%b %Y} ({unit['earliest_because']}); "
                f"until {row['start']:%b %Y} the teams, budget or project cap go to projects "
                "placed before it (the schedule search judges the whole plan's risk-weighted "
                "go-live, not one system's)."
            )
    else:
        lines.append(f"Not scheduled: {row['not_scheduled_because']}")
    waits = result.links[result.links["after"] == row["unit"]]
    lines += [f"Waits for {link['before']} ({link['reason']})." for _, link in waits.iterrows()]
    return lines
