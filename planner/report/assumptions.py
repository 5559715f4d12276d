"""What the plan assumed: the policy in words, and every setting that differs from the
bundled default policy.

Examples
--------
>>> from planner.policy import load_policy
>>> policy = load_policy().with_overrides({"schedule.teams.integration": 6})
>>> changes_from_default(policy).to_dict("records")
[{'setting': 'schedule.teams.integration', 'default': '4.0', 'this plan': '6.0'}]
>>> dict(assumptions(policy))["Plan start"]
'1 April 2027'
"""

from __future__ import annotations

import json

import pandas as pd

from planner.policy import Policy, load_policy
from planner.report.formatting import day, money

__all__ = ["assumptions", "changes_from_default", "flatten"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def flatten(settings: dict, prefix: str = "") -> dict[str, object]:
    """Nested settings as dotted keys.

    >>> flatten({"a": {"b": 1, "c": [2]}})
    {'a.b': 1, 'a.c': [2]}
    """
    flat: dict[str, object] = {}
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _text(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)


def changes_from_default(policy: Policy) -> pd.DataFrame:
    """Every setting whose value differs from the bundled default policy, with both values
    (a setting only one of them has shows '(none)' for the other)."""
    mine = flatten(policy.model_dump(mode="json"))
    default = flatten(load_policy().model_dump(mode="json"))
    keys = sorted(k for k in mine.keys() | default.keys() if mine.get(k) != default.get(k))
    return pd.DataFrame(
        {
            "setting": keys,
            "default": [_text(default.get(k)) for k in keys],
            "this plan": [_text(mine.get(k)) for k in keys],
        }
    )


def _months(count: float) -> str:
    return f"{count:g} month" + ("" if count == 1 else "s")


def _budget(budget) -> str:
    """A budget per financial year in words: its years, and the rest (None: no limit)."""
    years = ", ".join(f"{year} {money(amount)}" for year, amount in budget.by_year.items())
    other = "no limit" if budget.default_gbp is None else money(budget.default_gbp)
    if not years:
        return other if budget.default_gbp is None else f"{other} every year"
    return f"{years}; {other} in any other year"


def assumptions(policy: Policy) -> list[tuple[str, str]]:
    """The policy in words, setting by setting, as a board reads it."""
    schedule = policy.schedule
    teams = ", ".join(f"{team} {amount:g}" for team, amount in schedule.teams.items())
    weights = policy.priority.weights
    total = weights.risk + weights.impact + weights.cost
    freeze = ", ".join(_MONTHS[m - 1] for m in schedule.freeze_months) or "none"
    uncertainty = policy.uncertainty
    defaults = policy.defaults
    categories = ", ".join(
        f"{name} {money(c.replacement_cost_gbp)} over {c.replacement_months:g} months"
        for name, c in defaults.categories.items()
        if c.replacement_cost_gbp is not None and c.replacement_months is not None
    )
    shares = policy.money.capital_share
    by_category = "".join(f", {name} {share:.0%}" for name, share in shares.categories.items())
    go_live = schedule.go_live
    approval = schedule.approval
    safety = policy.clinical_safety
    retire = policy.ordering.retire
    contracts = (
        "no go-live before the current contract ends"
        if schedule.respect_contract_end
        else "go-lives may come before a contract ends"
    )
    if schedule.contract_deadline:
        contracts += ", and none after it"
    return [
        ("Plan start", day(policy.plan_start)),
        ("Planning horizon", f"{policy.horizon_months} months"),
        ("Capital budget per financial year", _budget(schedule.budget)),
        ("Revenue budget per financial year", _budget(schedule.revenue_budget)),
        (
            "Capital share of a cost",
            f"{shares.default:.0%}, SaaS {shares.SaaS:.0%}{by_category} (the rest is revenue)",
        ),
        ("Delivery teams (full-time people a month)", teams or "none"),
        (
            "Projects at once",
            "no cap"
            if schedule.max_concurrent_projects is None
            else str(schedule.max_concurrent_projects),
        ),
        ("No go-live in", freeze),
        (
            "Go-lives",
            (
                "no limit a month"
                if go_live.per_month is None
                else f"at most {go_live.per_month} a month"
            )
            + f"; clinical ones {_months(go_live.clinical_gap_months)} apart in a department or "
            f"through an integration engine; none for {_months(go_live.stabilisation_months)} "
            f"after a major one ({money(go_live.major_cost_gbp)} or more)",
        ),
        ("Contracts", contracts),
        (
            "Business case approval",
            f"trust board from {money(approval.board_gbp)} ({_months(approval.board_months)}); "
            f"national above {money(approval.national_capital_gbp)} capital or "
            f"{money(approval.national_whole_life_gbp)} over {approval.whole_life_years} years "
            f"({_months(approval.national_months)})",
        ),
        (
            "Clinical safety (DCB0160)",
            f"signed off in the {_months(safety.lead_months)} before a clinical go-live by the "
            f"{safety.team} team ({safety.fte.low:g} / {safety.fte.medium:g} / "
            f"{safety.fte.high:g} FTE for a low / medium / high class)",
        ),
        (
            "Double running",
            f"a replaced system runs {_months(policy.money.parallel_running_months)} beside its "
            "replacement",
        ),
        (
            "Priority",
            f"{weights.risk / total:.0%} risk, {weights.impact / total:.0%} downstream impact, "
            f"{weights.cost / total:.0%} cheapness",
        ),
        (
            "Replacement order",
            f"{policy.ordering.precedence} (platforms before what runs on them)"
            if policy.ordering.precedence == "providers-first"
            else policy.ordering.precedence,
        ),
        (
            "A schedule is judged on",
            f"{1 - schedule.makespan_weight:.0%} how soon the risk goes, "
            f"{schedule.makespan_weight:.0%} how soon the programme ends",
        ),
        ("Schedule method", f"{schedule.method} (seed {schedule.seed})"),
        (
            "Estimates not given",
            f"{money(defaults.replacement_cost_gbp)} over {defaults.replacement_months:g} months; "
            f"by category: {categories}",
        ),
        (
            "Retiring a system",
            f"{money(retire.base_gbp)} plus {money(retire.archive_gbp_per_gb)} a GB of data to "
            f"archive (data not given: {retire.cost_fraction:.0%} of its replacement cost), "
            f"over {retire.months:g} months",
        ),
        (
            "Uncertainty",
            f"{uncertainty.runs:,} {uncertainty.distribution.upper()} runs (seed "
            f"{uncertainty.seed}); a single estimate spreads from {uncertainty.spread.low:g} to "
            f"{uncertainty.spread.high:g} times; overruns "
            + ("wait for budget" if uncertainty.budget == "hold" else "are spent"),
        ),
    ]
