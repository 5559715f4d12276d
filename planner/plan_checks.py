"""What a board must be told about a plan beyond its dates: contracts to extend, risks it
accepts, systems decommissioned late, capital bunched at the year end, systems left out of
support for years, and budgets or teams that are the bundled example's, not the
organisation's.

Each check takes the plan's tables and returns a table and/or warnings (dicts of kind,
system, message, months), so the plan, its summary and every export say the same.

Examples
--------
>>> import planner
>>> result = planner.plan("data/examples/five-systems")
>>> list(result.contract_extensions.columns)
['name', 'contract_end', 'runs_until', 'months', 'cost_gbp']
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from inventory.wording import plural, pounds, verb
from planner.policy import Policy, load_policy
from planner.schedule import Calendar
from planner.scoring import estimates

__all__ = [
    "EXPOSURE_MONTHS",
    "YEAR_END_SHARE",
    "accepted_risk_warnings",
    "accepted_risks",
    "contract_extensions",
    "contract_warnings",
    "example_warnings",
    "exposure_warnings",
    "listed",
    "nothing_planned_warnings",
    "window_warnings",
    "year_end_warnings",
]

#: Systems left out of support longer than this before their go-live are called out.
EXPOSURE_MONTHS = 24
#: A financial year whose January-March holds more than this share of its capital is warned
#: (an even spread puts a quarter there).
YEAR_END_SHARE = 0.4
#: A warning names this many systems, and says how many more.
LISTED = 12
#: Accepted risks: retained systems rated at these levels.
ACCEPTED_RATINGS = ("extreme", "high")


def listed(items: list[str], limit: int = LISTED, total: int | None = None, sep: str = ", ") -> str:
    """Up to ``limit`` items joined by commas (or ``sep``), and how many more (of ``total``,
    when only the first items are given).

    >>> listed(["a", "b", "c"], limit=2)
    'a, b and 1 more'
    >>> listed(["a", "b"], limit=2, total=40)
    'a, b and 38 more'
    """
    total = len(items) if total is None else total
    shown = sep.join(items[:limit])
    return shown + (f" and {total - limit} more" if total > limit else "")


def contract_extensions(
    systems: pd.DataFrame, schedule: pd.DataFrame, calendar: Calendar
) -> pd.DataFrame:
    """Every planned system that runs past its contract's end: the months it must be extended
    (to its stop, or to the horizon when it is not scheduled) and the cost at its run rate.

    Columns: ``name``, ``contract_end``, ``runs_until`` (NaT: beyond the plan),
    ``months``, ``cost_gbp``; indexed by system, longest first.
    """
    planned = schedule.index
    own = systems[["contract_end", "annual_run_cost_gbp"]].iloc[
        systems.index.get_indexer(planned)  # one lookup per system
    ]
    contract_end = own["contract_end"]
    has = contract_end.notna().to_numpy()
    ends_at = calendar.months_after_start(contract_end)
    stop = schedule["stop_month"].to_numpy(dtype=float)
    stop = np.where(np.isnan(stop), calendar.months, stop)  # not scheduled: to the horizon
    first_uncovered = np.maximum(np.nan_to_num(ends_at, nan=0.0) + 1, 0)
    months = np.where(has, stop - first_uncovered, 0.0)
    runs_over = has & (months > 0)
    rate = own["annual_run_cost_gbp"].fillna(0.0).to_numpy(dtype=float) / 12
    scheduled = schedule["scheduled"].to_numpy(dtype=bool)
    last = np.clip(stop - 1, 0, calendar.months - 1).astype(np.int64)
    frame = pd.DataFrame(
        {
            "name": schedule["name"].to_numpy(dtype=object),
            "contract_end": contract_end.to_numpy(),
            "runs_until": pd.Series(calendar.month_ends[last]).where(scheduled).to_numpy(),
            "months": months.astype(np.int64),
            "cost_gbp": months * rate,
        },
        index=planned,
    )[runs_over]
    return frame.sort_values(["months", "cost_gbp"], ascending=False, kind="stable")


def contract_warnings(extensions: pd.DataFrame, plan_start: pd.Timestamp) -> list[dict]:
    """One warning per contract to extend, with the months and the cost at the run rate.
    The months are those in the plan: of a contract ending before ``plan_start`` the
    warning says so, and counts from the plan's start."""
    if extensions.empty:
        return []
    ends = _month_names(extensions["contract_end"])
    until = _month_names(extensions["runs_until"])
    expired = (extensions["contract_end"] < plan_start).to_numpy()
    start = f"{plan_start:%b %Y}"
    warnings = []
    for system, end, last, months, cost, before in zip(
        extensions.index,
        ends,
        until,
        extensions["months"].to_numpy(dtype=int),
        extensions["cost_gbp"].to_numpy(dtype=float),
        expired,
        strict=True,
    ):
        runs = (
            f"it runs until {last} in the plan"
            if isinstance(last, str)
            else "it is not scheduled, so it runs beyond the plan"
        )
        ended = (
            f"{system}'s contract ends {end}, before the plan starts ({start}), and {runs}: "
            f"extend it by {months} months from {start}"
            if before
            else f"{system}'s contract ends {end} but {runs}: extend it by {months} months"
        )
        warnings.append(
            {
                "kind": "contract",
                "system": system,
                "message": f"{ended} (£{cost:,.0f} at its current run rate), or negotiate the "
                "extension now",
                "months": int(months),
            }
        )
    return warnings


def _month_names(dates: pd.Series) -> np.ndarray:
    """'Mar 2028' for each date (None where blank), formatting each distinct month once.

    >>> _month_names(pd.Series(pd.to_datetime(["2028-03-31", None, "2028-03-01"]))).tolist()
    ['Mar 2028', None, 'Mar 2028']
    """
    known = dates.notna().to_numpy()
    names = np.full(len(dates), None, dtype=object)
    if known.any():
        shown = dates[known]
        key = (shown.dt.year * 12 + shown.dt.month - 1).to_numpy(dtype=np.int64)
        months, inverse = np.unique(key, return_inverse=True)
        labels = np.array(
            [f"{pd.Timestamp(m // 12, m % 12 + 1, 1):%b %Y}" for m in months], dtype=object
        )
        names[known] = labels[inverse]
    return names


def accepted_risks(systems: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Retained systems at high or extreme risk: the risks the plan accepts.

    Columns: ``name``, ``category``, ``risk``, ``risk_rating``, ``end_of_support``;
    highest risk first.
    """
    retained = systems[systems["disposition"] == "retain"]
    rated = scores[["risk", "risk_rating"]].reindex(retained.index)
    keep = rated["risk_rating"].isin(ACCEPTED_RATINGS).to_numpy()
    frame = pd.DataFrame(
        {
            "name": retained["name"],
            "category": retained["category"],
            "risk": rated["risk"],
            "risk_rating": rated["risk_rating"],
            "end_of_support": retained["end_of_support"],
        }
    )[keep]
    return frame.sort_values(["risk", "name"], ascending=[False, True], kind="stable")


def accepted_risk_warnings(accepted: pd.DataFrame) -> list[dict]:
    """One warning naming the retained systems at high or extreme risk."""
    if accepted.empty:
        return []
    names = (
        accepted.index.to_series().astype(str)
        + " ("
        + accepted["risk_rating"].astype(str)
        + ", "
        + accepted["risk"].round().astype(int).astype(str)
        + ")"
    ).tolist()
    return [
        {
            "kind": "accepted risk",
            "system": None,
            "message": f"{plural(len(accepted), 'retained system')} "
            f"{verb(len(accepted), 'stay')} at high or extreme risk: "
            f"{listed(names)}; the plan accepts these risks: record them on the risk "
            "register with their compensating controls (isolation, extended support), or "
            "plan their replacement",
        }
    ]


def window_warnings(
    units: pd.DataFrame, ties: pd.DataFrame, window: int, held: pd.DataFrame | None = None
) -> list[dict]:
    """Per absorbing project, the systems it absorbs that are decommissioned later than
    ``window`` months after its go-live, and what held them most (from ``held``)."""
    if ties.empty:
        return []
    finish = units["finish_month"]
    late = finish.reindex(ties["absorbed"]).to_numpy(dtype=float) - finish.reindex(
        ties["absorber"]
    ).to_numpy(dtype=float)
    missed = ties.assign(late=late)[late > window]
    if missed.empty:
        return []
    missed = missed.sort_values(["absorber", "late", "absorbed"], ascending=[True, False, True])
    reasons = _most_held(missed, held) if held is not None else {}
    absorbers = missed["absorber"].to_numpy(dtype=object)
    absorbed = missed["absorbed"].to_numpy(dtype=object)
    months = missed["late"].to_numpy(dtype=int)
    first = np.flatnonzero(np.r_[True, absorbers[1:] != absorbers[:-1]])
    warnings = []
    for a, b in zip(first.tolist(), np.r_[first[1:], len(absorbers)].tolist(), strict=True):
        absorber = absorbers[a]
        names = [
            f"{u} ({m} months)"
            for u, m in zip(absorbed[a : a + LISTED], months[a : a + LISTED], strict=True)
        ]
        reason = reasons.get(absorber)
        why = (
            f"; mostly held by {reason}: widen ordering.retire.window_months or add capacity"
            if reason
            else ""
        )
        warnings.append(
            {
                "kind": "constraint",
                "system": absorber,
                "message": f"{plural(b - a, 'system')} absorbed by {absorber} "
                f"{verb(b - a, 'are', 'is')} decommissioned "
                f"later than {window} months after it goes live: "
                f"{listed(names, total=b - a)}; they run, and cost, twice meanwhile{why}",
                "months": int(months[a]),
            }
        )
    return warnings


def _most_held(missed: pd.DataFrame, held: pd.DataFrame) -> dict[str, str]:
    """Per absorber, what held the absorbed units it waited on most, in months ('team
    capacity (data migration)')."""
    rows = held[held["unit"].isin(missed["absorbed"])].merge(
        missed[["absorber", "absorbed"]], left_on="unit", right_on="absorbed"
    )
    if rows.empty:
        return {}
    months = (
        (rows["to"].dt.year - rows["from"].dt.year) * 12
        + rows["to"].dt.month
        - rows["from"].dt.month
        + 1
    )
    key = rows["held_by"] + np.where(rows["what"] != "", " (" + rows["what"] + ")", "")
    total = months.groupby([rows["absorber"], key]).sum().sort_values(ascending=False)
    top = total.reset_index().drop_duplicates("absorber")
    return dict(zip(top["absorber"], top.iloc[:, 1], strict=True))


def year_end_warnings(
    capital_by_month: np.ndarray, calendar: Calendar, share: float = YEAR_END_SHARE
) -> list[dict]:
    """Financial years whose capital is bunched in January-March: a slip of a few weeks
    leaves it unspent at 31 March, and NHS capital is not carried forward."""
    years = np.bincount(
        calendar.fy_index, weights=capital_by_month, minlength=len(calendar.fy_labels)
    )
    last_quarter = np.isin(calendar.month_of_year, (1, 2, 3))
    q4 = np.bincount(
        calendar.fy_index, weights=capital_by_month * last_quarter, minlength=len(years)
    )
    warnings = []
    for year in np.flatnonzero((years > 0) & (q4 > share * years)).tolist():
        warnings.append(
            {
                "kind": "budget",
                "system": None,
                "message": f"{calendar.fy_labels[year]}: £{q4[year]:,.0f} of its "
                f"£{years[year]:,.0f} capital ({q4[year] / years[year]:.0%}) falls in "
                "January-March; a slip of a few weeks leaves it unspent at 31 March, and NHS "
                "capital is not carried forward: keep schemes ready to draw it",
            }
        )
    return warnings


def exposure_warnings(schedule: pd.DataFrame) -> list[dict]:
    """One warning listing systems that stay out of support for years before replacement."""
    exposed = schedule.loc[
        (schedule["months_unsupported_in_plan"] > EXPOSURE_MONTHS)
        & schedule["risk_rating"].isin(["extreme", "high"]),
        ["months_unsupported_in_plan", "rank"],
    ].sort_values(["months_unsupported_in_plan", "rank"], ascending=[False, True])
    if exposed.empty:
        return []
    names = [
        f"{system} ({int(months)} months)"
        for system, months in exposed["months_unsupported_in_plan"].head(LISTED).items()
    ]
    return [
        {
            "kind": "exposure",
            "system": None,
            "message": f"{plural(len(exposed), 'high or extreme risk system')} "
            f"{verb(len(exposed), 'run')} out of support for more "
            f"than {EXPOSURE_MONTHS} months of the plan before they are replaced: "
            f"{listed(names, total=len(exposed))}; consider compensating controls (isolation, "
            "extended support) or a larger budget",
        }
    ]


@cache
def _example_schedule() -> tuple[dict, dict]:
    example = load_policy().schedule
    return example.budget.model_dump(), example.teams


def example_warnings(policy: Policy) -> list[dict]:
    """One warning when the capital budgets or the team capacity are still the bundled
    example policy's: a plan under them is a plan under another organisation's money and
    people, however real the register.

    >>> from planner.policy import load_policy
    >>> [w["message"][:60] for w in example_warnings(load_policy())]
    ['the capital budgets (£10.0m a year; £12.0m-£22.0m in 2027/28']
    >>> example_warnings(load_policy(overrides={"schedule.budget.default_gbp": 8e6,
    ...     "schedule.teams.integration": 2}))
    []
    """
    budget, teams = _example_schedule()
    schedule = policy.schedule
    example_budget = schedule.budget.model_dump() == budget
    parts = []
    if example_budget:
        years = list(budget["by_year"].values())
        span = (
            f"; £{min(years) / 1e6:,.1f}m-£{max(years) / 1e6:,.1f}m in "
            f"{min(budget['by_year'])}-{max(budget['by_year'])}"
            if years
            else ""
        )
        parts.append(f"the capital budgets (£{budget['default_gbp'] / 1e6:,.1f}m a year{span})")
    if schedule.teams == teams:
        people = ", ".join(f"{team} {size:g}" for team, size in teams.items())
        parts.append(f"the team capacity ({people} full-time people)")
    if not parts:
        return []
    verb = "are" if example_budget else "is"  # budgets are plural; capacity alone is not
    return [
        {
            "kind": "assumption",
            "system": None,
            "message": f"{' and '.join(parts)} {verb} the bundled example policy's, not this "
            "organisation's: the dates and spend follow them; set your own in a policy file "
            "(schedule.budget, schedule.teams; docs/planning.md)",
            "months": None,
        }
    ]


def nothing_planned_warnings(systems: pd.DataFrame, scores: pd.DataFrame) -> list[dict]:
    """One warning when there are systems but none is to change: most often a register
    without a disposition column, whose systems are all kept ('retain' is the default).

    >>> frame = pd.DataFrame({"disposition": ["retain", "retain"]}, index=["pas", "ris"])
    >>> nothing_planned_warnings(frame, pd.DataFrame({"planned": [False, False]}))[0]["message"]
    ... # doctest: +ELLIPSIS
    'nothing is planned: all 2 systems are kept (disposition retain) or already retired; ...'
    """
    if not len(systems) or bool(scores["planned"].any()):
        return []
    return [
        {
            "kind": "unscheduled",
            "system": None,
            "message": f"nothing is planned: all {len(systems):,} systems are kept (disposition "
            "retain) or already retired; the disposition of each system (replace, replatform, "
            "rehost, refactor or retire) says what the plan changes, and a register without "
            "one keeps every system",
            "months": None,
        }
    ]


def duration_warnings(systems: pd.DataFrame, scores: pd.DataFrame, policy: Policy) -> list[dict]:
    """One warning listing the planned systems whose cost is given but whose duration is not,
    where the default duration is under half what the policy's defaults give a replacement
    of about that cost (the category default nearest in cost): a £4.5m EPR with no
    duration, in category 'other', would otherwise be planned in 4 months.

    >>> systems = pd.DataFrame({"category": ["other", "other"], "disposition": ["replace"] * 2,
    ...     "hosting": ["on-premises"] * 2, "capital_share": [None, None],
    ...     "data_to_archive_gb": [None, None], "replacement_cost_gbp_likely": [4.5e6, 2e4],
    ...     "replacement_months_likely": [None, None]}, index=["rio", "kiosk"])
    >>> print(duration_warnings(systems, pd.DataFrame({"planned": [True, True]},
    ...     index=systems.index), load_policy())[0]["message"])  # doctest: +NORMALIZE_WHITESPACE
    1 planned system has a cost but no duration, and the category default is short for such
    a cost: rio (£4.5m in 4 months; the defaults give a replacement of about that cost 24
    months); give replacement_months
    """
    planned = scores["planned"].reindex(systems.index, fill_value=False).to_numpy(dtype=bool)
    suspect_rows = np.flatnonzero(
        planned
        & systems["replacement_months_likely"].isna().to_numpy()
        & systems["replacement_cost_gbp_likely"].notna().to_numpy()
        & (systems["disposition"] != "retire").to_numpy()
    )
    if not len(suspect_rows):
        return []
    used = estimates(systems.iloc[suspect_rows], policy)  # only the rows that may be short
    defaults = policy.defaults
    table = [
        (cost, months)
        for cost, months in [
            (defaults.replacement_cost_gbp, defaults.replacement_months),
            *((c.replacement_cost_gbp, c.replacement_months) for c in defaults.categories.values()),
        ]
        if cost is not None and months is not None
    ]
    costs = np.log(np.array([max(cost, 1.0) for cost, _ in table]))
    months = np.array([m for _, m in table], dtype=float)
    cost = used["cost_gbp"].to_numpy(dtype=float)
    defaulted = used["months"].to_numpy(dtype=float)  # the category default
    nearest = np.abs(np.log(np.maximum(cost, 1.0))[:, None] - costs[None, :]).argmin(axis=1)
    typical = months[nearest]
    short = defaulted < typical / 2
    if not short.any():
        return []
    ids = used.index[short]
    shown = [
        f"{system} ({pounds(c)} in {m:g} months; the defaults give a replacement of about "
        f"that cost {t:g} months)"
        for system, c, m, t in zip(
            ids[:LISTED],
            cost[short][:LISTED],
            defaulted[short][:LISTED],
            typical[short][:LISTED],
            strict=True,
        )
    ]
    return [
        {
            "kind": "estimate",
            "system": None,
            "message": f"{plural(len(ids), 'planned system')} {verb(len(ids), 'have', 'has')} "
            "a cost but no duration, and the category default is short for such a cost: "
            f"{listed(shown, total=len(ids), sep='; ')}; give replacement_months",
        }
    ]
