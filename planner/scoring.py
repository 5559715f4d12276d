"""Explainable scores: risk, cost, impact and priority, each 0-100, with every contribution.

Every rule is a column, so a board can see why a system ranks where it does:

- **risk** = 4 x likelihood x consequence, the NHS risk-register form. Likelihood is 1 plus
  points for support status, age, known vulnerabilities, skills scarcity and unsupported
  hosting (capped at 5); consequence is criticality plus points for being patient-facing and
  for downstream impact (capped at 5).
- **cost**: net cost (replacement, or decommissioning for a retirement, less the running cost
  it saves over the appraisal period) on a log scale, blended with duration.
- **impact**: transitive and direct dependents, criticality-weighted dependents, interfaces and
  patient-facing dependents, each on a log scale against a reference.
- **priority**: the policy-weighted mean of risk, impact and (100 - cost): cheaper first.

All weights and thresholds come from the policy (``data/policy.yaml``); ``docs/scoring.md``
works a 5-system example through by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.errors import UnknownSystemError
from inventory.schema import RISK_RATING_DTYPE
from inventory.wording import plural, verb
from planner.policy import Policy

__all__ = ["RISK_RATINGS", "explain", "rank", "score"]

#: NHS 5x5 risk matrix bands of likelihood x consequence (1-25).
RISK_RATINGS = ((15, "extreme"), (8, "high"), (4, "moderate"), (0, "low"))
_RUN_BY_TRUST = ("on-premises", "private cloud")
DAYS_PER_MONTH = 365.25 / 12


def _months_between(later: pd.Series, earlier: pd.Timestamp) -> pd.Series:
    return (later - earlier).dt.days / DAYS_PER_MONTH


def _log_scale(values: pd.Series | np.ndarray, reference: float) -> np.ndarray:
    """0 at 0, 100 at ``reference`` and above, logarithmic in between."""
    values = np.maximum(np.asarray(values, dtype=float), 0)
    return np.minimum(100.0, 100.0 * np.log1p(values) / np.log1p(reference))


def estimates(systems: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The cost, duration and capital share the planner uses for each system, and whether
    the cost and duration are defaults.

    Blank estimates fall back to the category default, then the global default. A retirement
    takes ``ordering.retire.months`` and costs its decommissioning: ``retire.base_gbp`` plus
    ``retire.archive_gbp_per_gb`` for each GB of ``data_to_archive_gb`` when that is given,
    otherwise ``retire.cost_fraction`` of the replacement cost. The capital share is the
    system's own, else the policy's for its category, for SaaS, or the default.
    """
    defaults = policy.defaults
    by_category = defaults.categories
    category_cost = systems["category"].map(
        {c: v.replacement_cost_gbp for c, v in by_category.items()}
    )
    category_months = systems["category"].map(
        {c: v.replacement_months for c, v in by_category.items()}
    )
    given_cost = systems["replacement_cost_gbp_likely"]
    given_months = systems["replacement_months_likely"]
    cost = given_cost.fillna(category_cost).fillna(defaults.replacement_cost_gbp).astype(float)
    months = given_months.fillna(category_months).fillna(defaults.replacement_months).astype(float)
    retire = systems["disposition"] == "retire"
    rules = policy.ordering.retire
    archive = systems["data_to_archive_gb"].astype("float64")
    decommissioning = (rules.base_gbp + rules.archive_gbp_per_gb * archive).fillna(
        cost * rules.cost_fraction
    )
    cost = cost.where(~retire, decommissioning)
    months = months.where(~retire, float(rules.months))
    shares = policy.money.capital_share
    default_share = pd.Series(
        np.where(systems["hosting"] == "SaaS", shares.SaaS, shares.default), index=systems.index
    )
    capital_share = (
        systems["capital_share"]
        .astype("float64")
        .fillna(systems["category"].map(shares.categories).astype("float64"))
        .fillna(default_share)
    )
    return pd.DataFrame(
        {
            "cost_gbp": cost,
            "months": months,
            "capital_share": capital_share,
            "cost_estimated": given_cost.isna() & ~(retire & archive.notna()),
            "months_estimated": given_months.isna() & ~retire,
        },
        index=systems.index,
    )


def score(
    systems: pd.DataFrame,
    impact: pd.DataFrame,
    policy: Policy,
    *,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Score every system; one row per system with each factor's contribution as a column.

    ``impact`` is :func:`planner.impact.downstream_impact` of the same inventory; ``as_of``
    defaults to the policy's plan start. Returns a new frame indexed like ``systems`` that
    holds no column of ``systems``, so ``systems.join(scores)`` adds the scores.
    """
    as_of = pd.Timestamp(as_of) if as_of is not None else policy.plan_start
    out = pd.DataFrame(index=systems.index)
    _likelihood(out, systems, policy, as_of)
    _consequence(out, systems, impact, policy)
    out["risk"] = 4.0 * out["likelihood"] * out["consequence"]
    register = out["likelihood"] * out["consequence"]
    out["risk_rating"] = pd.Series(
        np.select(
            [register >= threshold for threshold, _ in RISK_RATINGS],
            [label for _, label in RISK_RATINGS],
            default="low",
        ),
        index=out.index,
        dtype="object",
    ).astype(RISK_RATING_DTYPE)
    _cost(out, systems, policy)
    _impact(out, impact, policy)
    weights = policy.priority.weights
    total = weights.risk + weights.impact + weights.cost
    out["priority_risk"] = weights.risk * out["risk"] / total
    out["priority_impact"] = weights.impact * out["impact"] / total
    out["priority_cost"] = weights.cost * (100.0 - out["cost"]) / total
    out["priority"] = out["priority_risk"] + out["priority_impact"] + out["priority_cost"]
    out["planned"] = (systems["disposition"] != "retain") & (systems["status"] != "retired")
    return rank(out)


def beside_register(systems: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """The register beside its scores (``systems.join(scores)``), in the scores' order. A
    column the register kept of its own under a score's name (a trust's own ``risk``) is
    suffixed ``_register``; the score keeps its name.

    >>> systems = pd.DataFrame({"name": ["PAS"], "risk": ["see the risk log"]}, index=["pas"])
    >>> beside_register(systems, pd.DataFrame({"risk": [90.0]}, index=["pas"])).columns.tolist()
    ['name', 'risk_register', 'risk']
    """
    clash = systems.columns.intersection(scores.columns)
    register = systems.rename(columns={column: f"{column}_register" for column in clash})
    return register.join(scores, how="right")


def rank(scores: pd.DataFrame) -> pd.DataFrame:
    """Order by priority, then risk, then impact, then id (deterministic); add ``rank``."""
    keys = pd.DataFrame(
        {
            "priority": -scores["priority"].round(9),
            "risk": -scores["risk"].round(9),
            "impact": -scores["impact"].round(9),
            "id": scores.index.astype(str),
        }
    )
    order = np.lexsort([keys[c].to_numpy() for c in reversed(keys.columns)])
    ranked = scores.take(order)
    ranked["rank"] = np.arange(1, len(ranked) + 1)
    return ranked


def _likelihood(out: pd.DataFrame, systems: pd.DataFrame, policy: Policy, as_of) -> None:
    rules = policy.risk.likelihood
    support = rules.support
    eos = systems["end_of_support"]
    months = _months_between(eos, as_of)
    saas = systems["hosting"] == "SaaS"
    out["months_to_end_of_support"] = months.round(1)
    out["likelihood_support"] = np.select(
        [eos.isna() & saas, eos.isna(), months <= 0, months <= 12, months <= 24],
        [
            0.0,
            support.unknown,
            support.past,
            support.within_12_months,
            support.within_24_months,
        ],
        default=0.0,
    )
    age = (as_of - systems["go_live"]).dt.days / 365.25
    out["age_years"] = age.round(1)
    out["likelihood_age"] = np.select(
        [age >= 25, age >= 15], [rules.age.over_25_years, rules.age.over_15_years], 0.0
    )
    out["likelihood_vulnerabilities"] = np.minimum(
        systems["known_vulnerabilities"].astype(float) * rules.per_known_vulnerability,
        rules.max_vulnerability_points,
    )
    out["likelihood_skills"] = (
        systems["skills_scarcity"]
        .astype(object)
        .map(rules.skills_scarcity.model_dump())
        .astype(float)
        .fillna(0.0)
    )
    out["likelihood_hosting"] = np.where(
        (months <= 0) & systems["hosting"].isin(_RUN_BY_TRUST), rules.unsupported_hosting, 0.0
    )
    raw = 1.0 + out[
        [
            "likelihood_support",
            "likelihood_age",
            "likelihood_vulnerabilities",
            "likelihood_skills",
            "likelihood_hosting",
        ]
    ].sum(axis=1)
    out["likelihood"] = np.minimum(5.0, raw)


def _consequence(out: pd.DataFrame, systems, impact: pd.DataFrame, policy: Policy) -> None:
    rules = policy.risk.consequence
    criticality = rules.criticality.model_dump()
    out["consequence_criticality"] = (
        systems["criticality"].astype(object).map(criticality).astype(float).fillna(1.0)
    )
    out["consequence_patient_facing"] = np.where(
        systems["patient_facing"], rules.patient_facing, 0.0
    )
    downstream = impact["downstream"].reindex(systems.index).fillna(0)
    out["consequence_downstream"] = np.select(
        [downstream >= 50, downstream >= 10],
        [rules.downstream.at_least_50, rules.downstream.at_least_10],
        0.0,
    )
    raw = (
        out["consequence_criticality"]
        + out["consequence_patient_facing"]
        + out["consequence_downstream"]
    )
    out["consequence"] = np.minimum(5.0, raw)


def _cost(out: pd.DataFrame, systems: pd.DataFrame, policy: Policy) -> None:
    rules = policy.cost
    planned = estimates(systems, policy)
    out["cost_gbp"] = planned["cost_gbp"]
    out["months"] = planned["months"]
    out["cost_estimated"] = planned["cost_estimated"]
    saved_share = systems["disposition"].map(rules.run_cost_saved.model_dump()).fillna(0.0)
    out["run_cost_saved_gbp"] = (
        systems["annual_run_cost_gbp"].fillna(0.0) * saved_share * rules.appraisal_years
    )
    out["net_cost_gbp"] = np.maximum(0.0, out["cost_gbp"] - out["run_cost_saved_gbp"])
    floor, reference = rules.money_floor_gbp, rules.money_reference_gbp
    net = out["net_cost_gbp"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        money = 100.0 * np.log(np.maximum(net, floor) / floor) / np.log(reference / floor)
    out["cost_money"] = np.clip(money, 0.0, 100.0)
    out["cost_months"] = np.minimum(100.0, 100.0 * out["months"] / rules.months_reference)
    weights = rules.weights
    total = weights.money + weights.months
    out["cost"] = (weights.money * out["cost_money"] + weights.months * out["cost_months"]) / total


_IMPACT_PARTS = (
    "downstream",
    "downstream_weighted",
    "direct_dependents",
    "interfaces",
    "patient_facing_dependents",
)


def _impact(out: pd.DataFrame, impact: pd.DataFrame, policy: Policy) -> None:
    weights, references = policy.impact.weights, policy.impact.references
    total = sum(getattr(weights, p) for p in _IMPACT_PARTS)
    combined = np.zeros(len(out))
    for part in _IMPACT_PARTS:
        values = impact[part].reindex(out.index).fillna(0)
        out[part] = values
        scaled = _log_scale(values, getattr(references, part))
        out[f"impact_{part}"] = scaled
        combined += getattr(weights, part) * scaled
    out["impact"] = combined / total


def explain(scores: pd.DataFrame, system: str, policy: Policy) -> pd.DataFrame:
    """Why a system ranks where it does: one row per factor with its value and the reason.

    Returns a frame with columns ``part``, ``factor``, ``points`` and ``why``.
    """
    if system not in scores.index:
        raise UnknownSystemError([system])
    row = scores.loc[system]
    rules = policy.risk.likelihood
    rows: list[tuple[str, str, float, str]] = []
    eos = row["months_to_end_of_support"]
    if pd.isna(eos):
        support_why = "end of support unknown"
    elif eos <= 0:
        support_why = f"out of support for {-eos:.0f} months at the plan date"
    else:
        support_why = f"{eos:.0f} months of support left at the plan date"
    rows += [
        ("likelihood", "base", 1.0, "every system starts at 1"),
        ("likelihood", "support status", row["likelihood_support"], support_why),
        (
            "likelihood",
            "age",
            row["likelihood_age"],
            "go-live date unknown"
            if pd.isna(row["age_years"])
            else f"{row['age_years']:.0f} years since go-live",
        ),
        (
            "likelihood",
            "known vulnerabilities",
            row["likelihood_vulnerabilities"],
            f"{rules.per_known_vulnerability:g} per vulnerability, at most "
            f"{rules.max_vulnerability_points:g}",
        ),
        ("likelihood", "skills scarcity", row["likelihood_skills"], "from skills_scarcity"),
        (
            "likelihood",
            "unsupported hosting",
            row["likelihood_hosting"],
            "out of support and run by the trust"
            if row["likelihood_hosting"]
            else "not applicable",
        ),
        ("likelihood", "= likelihood", row["likelihood"], "1 + points, at most 5"),
        ("consequence", "criticality", row["consequence_criticality"], "from criticality"),
        ("consequence", "patient facing", row["consequence_patient_facing"], ""),
        (
            "consequence",
            "downstream impact",
            row["consequence_downstream"],
            f"{plural(int(row['downstream']), 'system')} "
            f"{verb(int(row['downstream']), 'depend')} on it",
        ),
        ("consequence", "= consequence", row["consequence"], "sum, at most 5"),
        (
            "risk",
            "= risk",
            row["risk"],
            f"4 x {row['likelihood']:g} x {row['consequence']:g} ({row['risk_rating']})",
        ),
        (
            "cost",
            "money",
            row["cost_money"],
            f"£{row['net_cost_gbp']:,.0f} net (£{row['cost_gbp']:,.0f} less "
            f"£{row['run_cost_saved_gbp']:,.0f} running cost saved)"
            + (" - cost is a policy default" if row["cost_estimated"] else ""),
        ),
        ("cost", "duration", row["cost_months"], f"{row['months']:g} months"),
        ("cost", "= cost", row["cost"], "weighted blend"),
    ]
    for part in _IMPACT_PARTS:
        rows.append(("impact", part.replace("_", " "), row[f"impact_{part}"], f"{row[part]:g}"))
    rows += [
        ("impact", "= impact", row["impact"], "weighted blend"),
        ("priority", "risk share", row["priority_risk"], ""),
        ("priority", "impact share", row["priority_impact"], ""),
        ("priority", "cheapness share", row["priority_cost"], "(100 - cost)"),
        ("priority", "= priority", row["priority"], f"rank {int(row['rank'])} of {len(scores)}"),
    ]
    frame = pd.DataFrame(rows, columns=["part", "factor", "points", "why"])
    frame["points"] = frame["points"].astype(float).round(2)
    return frame
