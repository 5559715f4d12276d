"""Scenarios: two or more plans of the same inventory side by side.

A scenario is a policy (a file, a dict of settings, or the base policy with its budgets
scaled). :func:`compare_plans` puts the plans' headline figures in one table, their spend per
financial year in another, and lists the systems whose wave or go-live changes against the
first scenario (the baseline).

Examples
--------
>>> import planner
>>> comparison = planner.compare(
...     "data/examples/five-systems", {"baseline": None, "half budget": 0.5}
... )
>>> comparison.table.index.tolist()
['baseline', 'half budget']
>>> "risk_exposure" in comparison.table.columns
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inventory.errors import InvalidArgumentError
from inventory.schema import tidy_tables
from planner.plan import PlanResult

__all__ = ["LABELS", "Comparison", "compare_plans", "labelled", "scale_budget", "scenario_set"]

#: Display labels of the comparison's columns, for the command line and the board pack
#: (``baseline_wave`` and ``baseline_go_live`` read with the baseline's name).
LABELS = {
    "last_go_live": "last go-live",
    "programme_months": "programme (months)",
    "projects_scheduled": "projects scheduled",
    "not_scheduled": "not scheduled",
    "cost_gbp": "cost (GBP)",
    "risk_now": "risk now",
    "risk_at_end": "risk at end",
    "risk_exposure": "risk exposure (risk-months)",
    "deadlines_missed": "running past end of support",
    "exposure_vs_baseline": "exposure vs baseline",
    "systems_changing_wave": "systems changing wave",
    "systems_moving": "systems moving",
    "go_live": "go-live",
    "months_later": "months later",
}


def labelled(frame: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """A comparison table with display labels (:data:`LABELS`) for its columns."""
    return frame.rename(
        columns={
            **LABELS,
            "baseline_wave": f"{baseline} wave",
            "baseline_go_live": f"{baseline} go-live",
        }
    )


def scenario_set(
    policies: Sequence[Path] = (),
    *,
    base: Path | None = None,
    budget_scales: Sequence[float] = (),
) -> tuple[dict[str, Path | float | None], Path | None]:
    """Name the scenarios of a comparison: policy files by their names, budget scales as
    'budget x0.8'. Returns the scenarios (baseline first) and the policy the budget scales
    apply to: ``base`` if given (the default policy when None), else the first file.

    >>> scenarios, baseline = scenario_set([Path("cuts.yaml")], budget_scales=[0.8])
    >>> list(scenarios), str(baseline)
    (['cuts', 'budget x0.8'], 'cuts.yaml')
    """
    policies = list(policies)
    scenarios: dict[str, Path | float | None] = {}
    if base is not None or not policies:
        scenarios["baseline" if base is None else base.stem] = base
    for path in policies:
        scenarios[path.stem if path.stem not in scenarios else str(path)] = path
    for factor in budget_scales:
        scenarios[f"budget x{factor:g}"] = factor
    if len(scenarios) < 2:
        raise InvalidArgumentError(
            "scenarios",
            "a comparison needs two or more scenarios",
            hint="add a policy file or a budget scale",
        )
    return scenarios, base if base is not None else (policies[0] if policies else None)


def scale_budget(policy, factor: float):
    """The policy with every capital budget (the default and each year's) times ``factor``.

    >>> from planner.policy import load_policy
    >>> scale_budget(load_policy(), 0.5).schedule.budget.default_gbp
    5000000.0
    """
    if not factor > 0:
        raise InvalidArgumentError("factor", f"a budget scale must be above 0, not {factor}")
    budget = policy.schedule.budget
    return policy.with_overrides(
        {
            "schedule.budget.default_gbp": budget.default_gbp * factor,
            "schedule.budget.by_year": {
                year: amount * factor for year, amount in budget.by_year.items()
            },
        }
    )


@dataclass(frozen=True)
class Comparison:
    """Plans side by side: ``table`` (one row per scenario), ``spend`` (financial year x
    scenario, GBP), ``changes`` (systems whose plan moves against the first scenario)."""

    plans: dict
    table: pd.DataFrame
    spend: pd.DataFrame
    changes: pd.DataFrame

    def __post_init__(self) -> None:
        tidy_tables(self)  # text as object, ordered categoricals (inventory.schema.tidy)

    @property
    def baseline(self) -> str:
        return next(iter(self.plans))

    def __repr__(self) -> str:
        names = ", ".join(self.plans)
        return f"<Comparison of {len(self.plans)} scenarios: {names}>"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>" + self.table.to_html(escape=True)


def _differs(a: pd.Series, b: pd.Series) -> pd.Series:
    """Element-wise a != b, where two blanks (not scheduled in either) are equal."""
    a, b = a.astype(object), b.astype(object)
    return ~((a == b) | (a.isna() & b.isna()))


def _months_between(first: pd.Timestamp, last: pd.Timestamp) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _row(result) -> dict:
    end = result.end
    return {
        "start": result.start,
        "last_go_live": end,
        "programme_months": _months_between(result.start, end) if end is not None else 0,
        "projects_scheduled": int(result.units["scheduled"].sum()),
        "not_scheduled": int((~result.units["scheduled"]).sum()),
        "cost_gbp": result.total_cost,
        "risk_now": float(result.burndown["plan_risk"].iloc[0]),
        "risk_at_end": float(result.burndown["plan_risk"].iloc[-1]),
        "risk_exposure": result.risk_exposure,
        "deadlines_missed": len(result.late_for_end_of_support),
        "warnings": len(result.warnings),
    }


def _moves(base: pd.DataFrame, other: pd.DataFrame, name: str, base_name: str) -> pd.DataFrame:
    """The systems whose wave or go-live differs between two schedules, side by side."""
    other = other.reindex(base.index)
    moved = (
        _differs(base["wave"], other["wave"]) | _differs(base["go_live"], other["go_live"])
    ).to_numpy()
    before, after = base[moved], other[moved]
    was, now = before["go_live"], after["go_live"]
    return pd.DataFrame(
        {
            "scenario": name,
            "system": before.index,
            "rank": before["rank"].to_numpy(),
            "baseline_wave": before["wave"].to_numpy(),
            "wave": after["wave"].to_numpy(),
            "baseline_go_live": was.to_numpy(),
            "go_live": now.to_numpy(),
            "months_later": (
                (now.dt.year - was.dt.year) * 12 + now.dt.month - was.dt.month
            ).to_numpy(dtype=float),
        }
    )


def compare_plans(plans: Mapping[str, PlanResult]) -> Comparison:
    """Compare plans (:class:`~planner.plan.PlanResult` by scenario name; the first is the
    baseline). Exposure is the area under each plan's risk burn-down over its own horizon."""
    if len(plans) < 2:
        raise InvalidArgumentError("plans", "a comparison needs two or more scenarios")
    plans = dict(plans)
    table = pd.DataFrame.from_dict(
        {name: _row(result) for name, result in plans.items()}, orient="index"
    )
    table.index.name = "scenario"
    base_name = next(iter(plans))
    base = plans[base_name]
    exposure = table["risk_exposure"].astype(float)
    table["exposure_vs_baseline"] = exposure / exposure.iloc[0] - 1
    spend = pd.concat(
        {name: result.spend_by_fy["spend_gbp"] for name, result in plans.items()},
        axis=1,
    ).fillna(0.0)
    changes_frame = pd.concat(
        [_moves(base.schedule, result.schedule, name, base_name) for name, result in plans.items()][
            1:
        ],
        ignore_index=True,
    ).sort_values(["scenario", "rank"], kind="stable")
    counts = changes_frame.groupby("scenario").size()
    wave_changed = _differs(changes_frame["baseline_wave"], changes_frame["wave"])
    table["systems_changing_wave"] = [
        int((changes_frame["scenario"].eq(name) & wave_changed).sum()) for name in plans
    ]
    table["systems_moving"] = [int(counts.get(name, 0)) for name in plans]
    return Comparison(
        plans=plans, table=table, spend=spend, changes=changes_frame.reset_index(drop=True)
    )
