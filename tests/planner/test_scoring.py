"""Every scoring rule against a hand-computed expectation (default policy, plan date 1 Apr 2027)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from planner.scoring import explain, score
from tests.planner.conftest import inventory, system


def impact_frame(index, downstream=0, weighted=0, direct=0, interfaces=0, patient=0):
    return pd.DataFrame(
        {
            "downstream": downstream,
            "downstream_weighted": weighted,
            "direct_dependents": direct,
            "interfaces": interfaces,
            "patient_facing_dependents": patient,
        },
        index=index,
    )


def scored(records, policy, **impact):
    inv = inventory(records)
    return score(inv.systems, impact_frame(inv.systems.index, **impact), policy)


@pytest.mark.parametrize(
    ("end_of_support", "hosting", "expected"),
    [
        ("2020-01-14", "SaaS", 2.0),  # past
        ("2028-01-01", "SaaS", 1.5),  # 275 days = 9.0 months ahead: within 12
        ("2029-01-01", "SaaS", 1.0),  # 641 days = 21.1 months: within 24
        ("2030-01-01", "SaaS", 0.0),  # 33 months ahead
        (None, "on-premises", 1.0),  # unknown
        (None, "SaaS", 0.0),  # unknown, but the supplier keeps SaaS current
    ],
)
def test_likelihood_support(policy, end_of_support, hosting, expected):
    result = scored([system("a", end_of_support=end_of_support, hosting=hosting)], policy)
    assert result.loc["a", "likelihood_support"] == expected


@pytest.mark.parametrize(
    ("go_live", "expected"),
    [("2000-01-01", 0.75), ("2010-01-01", 0.5), ("2015-01-01", 0.0), (None, 0.0)],
)
def test_likelihood_age(policy, go_live, expected):
    # 2000-01-01 to 2027-04-01 is 27.2 years (>= 25); 2010 is 17.2 (>= 15); 2015 is 12.2
    assert scored([system("a", go_live=go_live)], policy).loc["a", "likelihood_age"] == expected


@pytest.mark.parametrize(("count", "expected"), [(0, 0.0), (2, 0.4), (4, 0.8), (9, 0.8)])
def test_likelihood_vulnerabilities(policy, count, expected):
    result = scored([system("a", known_vulnerabilities=count)], policy)
    assert result.loc["a", "likelihood_vulnerabilities"] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("scarcity", "expected"), [("none", 0), ("medium", 0.25), ("high", 0.5), ("critical", 0.75)]
)
def test_likelihood_skills(policy, scarcity, expected):
    result = scored([system("a", skills_scarcity=scarcity)], policy)
    assert result.loc["a", "likelihood_skills"] == expected


@pytest.mark.parametrize(
    ("hosting", "end_of_support", "expected"),
    [
        ("on-premises", "2020-01-14", 0.5),
        ("private cloud", "2020-01-14", 0.5),
        ("public cloud", "2020-01-14", 0.0),
        ("on-premises", "2031-01-01", 0.0),
    ],
)
def test_likelihood_unsupported_hosting(policy, hosting, end_of_support, expected):
    result = scored([system("a", hosting=hosting, end_of_support=end_of_support)], policy)
    assert result.loc["a", "likelihood_hosting"] == expected


def test_likelihood_adds_up_and_caps_at_5(policy):
    worst = system(
        "a",
        end_of_support="2020-01-14",  # 2.0
        go_live="2000-01-01",  # 0.75
        known_vulnerabilities=3,  # 0.6
        skills_scarcity="high",  # 0.5
        hosting="on-premises",  # 0.5 (past end of support, run by the trust)
    )
    mild = system("b", end_of_support="2029-01-01", hosting="SaaS", skills_scarcity="medium")
    result = scored([worst, mild], policy)
    assert result.loc["a", "likelihood"] == 5.0  # 1 + 4.35 = 5.35, capped
    assert result.loc["b", "likelihood"] == pytest.approx(1 + 1.0 + 0.25)


@pytest.mark.parametrize(
    ("criticality", "patient_facing", "downstream", "expected"),
    [
        ("low", False, 0, 1.0),
        ("medium", True, 0, 2.5),
        ("high", False, 12, 3.5),  # 3 + 0.5 (at least 10 downstream)
        ("critical", True, 60, 5.0),  # 4 + 0.5 + 1.0 = 5.5, capped
    ],
)
def test_consequence(policy, criticality, patient_facing, downstream, expected):
    result = scored(
        [system("a", criticality=criticality, patient_facing=patient_facing)],
        policy,
        downstream=downstream,
    )
    assert result.loc["a", "consequence"] == expected


def test_risk_is_four_times_likelihood_times_consequence(policy):
    record = system("a", end_of_support="2028-01-01", hosting="SaaS", criticality="high")
    result = scored([record], policy)
    # likelihood 1 + 1.5 = 2.5; consequence 3 -> register score 7.5 (moderate), risk 30
    assert result.loc["a", "risk"] == pytest.approx(30.0)
    assert result.loc["a", "risk_rating"] == "moderate"


def test_cost_score_by_hand(policy):
    record = system(
        "a",
        replacement_cost_gbp_likely=1_000_000,
        replacement_months_likely=12,
        annual_run_cost_gbp=100_000,
        disposition="replace",
    )
    row = scored([record], policy).loc["a"]
    saved = 0.3 * 100_000 * 5  # replace saves 30% of the running cost over 5 years
    net = 1_000_000 - saved
    money = 100 * math.log(net / 10_000) / math.log(50_000_000 / 10_000)
    months = 100 * 12 / 48
    assert row["run_cost_saved_gbp"] == saved
    assert row["cost_money"] == pytest.approx(money)
    assert row["cost_months"] == pytest.approx(25.0)
    assert row["cost"] == pytest.approx(0.7 * money + 0.3 * months)


def test_retirement_costs_decommissioning_only(policy):
    record = system("a", disposition="retire", replacement_cost_gbp_likely=2_000_000)
    row = scored([record], policy).loc["a"]
    assert row["cost_gbp"] == 200_000  # 10% of the replacement cost
    assert row["months"] == 3


def test_missing_estimates_use_category_then_global_defaults(policy):
    records = [
        system(
            "epr", category="EPR", replacement_cost_gbp_likely=None, replacement_months_likely=None
        ),
        system(
            "x",
            category="finance",
            replacement_cost_gbp_likely=None,
            replacement_months_likely=None,
        ),
    ]
    result = scored(records, policy)
    assert result.loc["epr", ["cost_gbp", "months"]].tolist() == [30_000_000, 30]
    assert result.loc["x", ["cost_gbp", "months"]].tolist() == [250_000, 9]
    assert result["cost_estimated"].all()


def test_impact_score_by_hand(policy):
    row = scored(
        [system("a")], policy, downstream=60, weighted=150, direct=15, interfaces=20, patient=30
    ).loc["a"]

    def part(x, ref):
        return 100 * math.log1p(x) / math.log1p(ref)

    expected = (
        0.35 * part(60, 200)
        + 0.25 * part(150, 600)
        + 0.15 * part(15, 50)
        + 0.10 * part(20, 60)
        + 0.15 * part(30, 100)
    )
    assert row["impact_downstream"] == pytest.approx(part(60, 200))
    assert row["impact"] == pytest.approx(expected)


def test_impact_parts_cap_at_100(policy):
    row = scored([system("a")], policy, downstream=5000).loc["a"]
    assert row["impact_downstream"] == 100.0


def test_priority_is_the_weighted_mean(policy):
    row = scored([system("a", end_of_support="2020-01-14", criticality="high")], policy).loc["a"]
    expected = 0.55 * row["risk"] + 0.30 * row["impact"] + 0.15 * (100 - row["cost"])
    assert row["priority"] == pytest.approx(expected)
    assert row["priority_risk"] + row["priority_impact"] + row["priority_cost"] == pytest.approx(
        expected
    )


def test_ties_break_deterministically_by_id(policy):
    result = scored([system("b"), system("a"), system("c")], policy)
    assert list(result.index) == ["a", "b", "c"]
    assert list(result["rank"]) == [1, 2, 3]


def test_weights_from_overrides_change_the_ranking(policy):
    risky = system("risky", end_of_support="2015-01-01", replacement_cost_gbp_likely=20_000_000)
    cheap = system("cheap", end_of_support="2031-01-01", replacement_cost_gbp_likely=20_000)
    by_risk = scored([risky, cheap], policy)
    by_cost = scored(
        [risky, cheap],
        policy.with_overrides({"priority.weights": {"risk": 0.0, "impact": 0.0, "cost": 1.0}}),
    )
    assert list(by_risk.index) == ["risky", "cheap"]
    assert list(by_cost.index) == ["cheap", "risky"]


def test_explain_lists_every_factor(policy):
    result = scored([system("a", end_of_support="2020-01-14")], policy)
    table = explain(result, "a", policy)
    assert table.loc[table["factor"] == "support status", "why"].item() == (
        "out of support for 86 months at the plan date"
    )
    assert table.loc[table["factor"] == "= risk", "points"].item() == result.loc["a", "risk"]
    assert {"likelihood", "consequence", "risk", "cost", "impact", "priority"} == set(table["part"])
