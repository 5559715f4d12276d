"""Scenarios: plans side by side, hand-worked on a two-project budget case."""

from __future__ import annotations

import pandas as pd
import pytest

import planner
from inventory.errors import InvalidArgumentError
from planner.plan import make_plan
from planner.scenarios import compare_plans, scale_budget
from tests.planner.conftest import inventory, simple_policy, system


def two_projects():
    # each £1.2m over 12 months (£100k a month); 'a' is the more critical
    return inventory([system("a", criticality="critical"), system("b")])


def test_a_smaller_budget_delays_the_second_project():
    trust = two_projects()
    base = simple_policy(**{"schedule.budget.default_gbp": 2_400_000})
    plans = {
        "ample": make_plan(trust, base),
        "half": make_plan(trust, scale_budget(base, 0.5)),
    }
    comparison = compare_plans(plans)
    table = comparison.table
    # ample: both run Apr 2027 - Mar 2028. half (£1.2m a year): b waits for 2028/29.
    assert table.loc["ample", "last_go_live"] == pd.Timestamp("2028-03-31")
    assert table.loc["half", "last_go_live"] == pd.Timestamp("2029-03-31")
    assert table["programme_months"].tolist() == [12, 24]
    assert table["cost_gbp"].tolist() == [2_400_000, 2_400_000]
    assert comparison.spend.loc["2027/28"].tolist() == pytest.approx([2_400_000, 1_200_000])
    assert comparison.spend.loc["2028/29"].tolist() == pytest.approx([0, 1_200_000])
    # b's risk stays live 12 months longer: exposure grows by 12 x b's risk
    risk_b = plans["half"].scores.loc["b", "risk"]
    extra = table.loc["half", "risk_exposure"] - table.loc["ample", "risk_exposure"]
    assert extra == pytest.approx(12 * risk_b)
    changes = comparison.changes
    assert changes["system"].tolist() == ["b"]
    assert changes.loc[0, "months_later"] == 12
    assert table["systems_moving"].tolist() == [0, 1]
    assert table["systems_changing_wave"].tolist() == [0, 1]


def test_identical_scenarios_change_nothing():
    trust = two_projects()
    policy = simple_policy()
    comparison = compare_plans({"one": make_plan(trust, policy), "two": make_plan(trust, policy)})
    assert comparison.changes.empty
    assert comparison.table["exposure_vs_baseline"].tolist() == [0.0, 0.0]


def test_scale_budget_scales_every_year():
    policy = simple_policy(**{"schedule.budget.by_year": {"2027/28": 1_000_000}})
    scaled = scale_budget(policy, 1.5).schedule.budget
    assert scaled.by_year == {"2027/28": 1_500_000}
    assert scaled.default_gbp == 1.5e12
    with pytest.raises(InvalidArgumentError, match="above 0"):
        scale_budget(policy, 0)


def test_compare_needs_two_scenarios():
    with pytest.raises(InvalidArgumentError, match="two or more"):
        compare_plans({"only": make_plan(two_projects(), simple_policy())})


@pytest.mark.slow
def test_sample_trust_scenarios_and_chart():
    from planner.charts import plot_comparison

    comparison = planner.compare(
        "data/sample-trust",
        {
            "baseline": None,
            "cut": 0.5,
            "providers last": {"ordering.precedence": "consumers-first"},
        },
    )
    table = comparison.table
    assert table.index.tolist() == ["baseline", "cut", "providers last"]
    assert table.loc["cut", "risk_exposure"] > table.loc["baseline", "risk_exposure"]
    cut = comparison.plans["cut"].spend_by_fy
    assert (cut["capital_gbp"] <= cut["capital_budget_gbp"] + 1).all()
    assert cut["spend_gbp"].round().tolist() == comparison.spend["cut"].round().tolist()
    figure = plot_comparison(comparison)
    burn, money = figure.axes
    assert [
        t.get_text().split(" (")[0] for t in burn.get_legend().get_texts()
    ] == table.index.tolist()
    assert len(money.patches) == 3 * len(comparison.spend)
