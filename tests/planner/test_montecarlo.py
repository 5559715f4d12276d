"""The Monte Carlo forecast: distributions, and the statistics pinned on hand-worked cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inventory.errors import InvalidArgumentError
from planner.montecarlo import draw, forecast_plan
from planner.plan import make_plan
from tests.planner.conftest import inventory, simple_policy, system

UNCERTAIN = {"replacement_months_low": 1, "replacement_months_likely": 1}


def forecast(records, *, runs=4000, seed=0, **policy_changes):
    changes = {"uncertainty.distribution": "triangular", **policy_changes}
    result = make_plan(inventory(records), simple_policy(**changes))
    return result, forecast_plan(result, runs=runs, seed=seed)


def chain(high=3):
    """a -> b -> c, each 1 month at best and at likeliest, ``high`` at worst."""
    months = {**UNCERTAIN, "replacement_months_high": high}
    return [
        system("a", **months),
        system("b", after=("a",), **months),
        system("c", after=("b",), **months),
    ]


def test_pert_and_triangular_means():
    rng = np.random.default_rng(1)
    low, likely, high = np.array([10.0]), np.array([12.0]), np.array([24.0])
    pert = draw(low, likely, high, 200_000, rng, "pert")
    triangular = draw(low, likely, high, 200_000, rng, "triangular")
    assert pert.mean() == pytest.approx((10 + 4 * 12 + 24) / 6, rel=0.005)  # 13.67
    assert triangular.mean() == pytest.approx((10 + 12 + 24) / 3, rel=0.005)  # 15.33
    assert pert.min() >= 10 and pert.max() <= 24
    assert triangular.min() >= 10 and triangular.max() <= 24


def test_a_fixed_estimate_is_not_drawn():
    rng = np.random.default_rng(0)
    values = draw(np.array([5.0, 1.0]), np.array([5.0, 2.0]), np.array([5.0, 3.0]), 10, rng)
    assert (values[:, 0] == 5.0).all()
    assert len(np.unique(values[:, 1])) == 10


def test_three_system_chain_against_the_hand_computed_distribution():
    # Triangular(1, 1, 3): P(x <= 2) = 1 - (3 - 2)^2 / 4 = 0.75, so each project takes
    # 2 months (p .75) or 3 months (p .25). The chain takes 6, 7, 8 or 9 months with
    # p .421875, .421875, .140625, .015625: cumulative .42, .84, .98, 1 -> P50 = P80 = 7, P95 = 8.
    _, outlook = forecast(chain())
    expected = {6: 0.421875, 7: 0.421875, 8: 0.140625, 9: 0.015625}
    months, counts = np.unique(outlook.completion_months, return_counts=True)
    observed = dict(zip(months.astype(int).tolist(), (counts / outlook.runs).tolist(), strict=True))
    assert set(observed) == set(expected)
    for total, p in expected.items():
        sd = (p * (1 - p) / outlook.runs) ** 0.5
        assert abs(observed[total] - p) < 4 * sd
    # the plan itself uses the likely values: 1 month each, live at the end of June 2027
    assert outlook.programme["go_live"].dt.strftime("%Y-%m-%d").to_dict() == {
        "planned": "2027-06-30",
        "P50": "2027-10-31",  # 7 months from April
        "P80": "2027-10-31",
        "P95": "2027-11-30",
    }
    # the last in the chain carries the whole distribution; the first only its own
    first, last = outlook.systems.loc["a"], outlook.systems.loc["c"]
    assert (
        f"{first['p50_go_live']:%Y-%m}" == "2027-05"
        and f"{first['p95_go_live']:%Y-%m}" == "2027-06"
    )
    assert f"{last['p80_go_live']:%Y-%m}" == "2027-10"


def test_the_same_seed_gives_the_same_forecast_and_another_seed_does_not():
    _, one = forecast(chain(), runs=300, seed=7)
    _, again = forecast(chain(), runs=300, seed=7)
    _, other = forecast(chain(), runs=300, seed=8)
    np.testing.assert_array_equal(one.go_live_months, again.go_live_months)
    pd.testing.assert_frame_equal(one.systems, again.systems)
    assert not np.array_equal(one.go_live_months, other.go_live_months)


def test_certain_estimates_reproduce_the_plan():
    records = [
        system(
            "a",
            replacement_months_low=4,
            replacement_months_likely=4,
            replacement_months_high=4,
            replacement_cost_gbp_low=1e6,
            replacement_cost_gbp_likely=1e6,
            replacement_cost_gbp_high=1e6,
        ),
        system(
            "b",
            after=("a",),
            replacement_months_low=2,
            replacement_months_likely=2,
            replacement_months_high=2,
            replacement_cost_gbp_low=5e5,
            replacement_cost_gbp_likely=5e5,
            replacement_cost_gbp_high=5e5,
        ),
    ]
    result, outlook = forecast(records, runs=50)
    for label in ("P50", "P80", "P95"):
        assert (outlook.systems[f"{label.lower()}_go_live"] == result.schedule["go_live"]).all()
    spend = outlook.spend_by_fy
    assert spend["p95_gbp"].tolist() == pytest.approx(spend["planned_gbp"].tolist())
    assert spend["planned_gbp"].sum() == pytest.approx(1.5e6)
    assert np.allclose(outlook.risk_remaining, outlook.planned_risk)


def test_probability_of_going_live_before_end_of_support():
    # live after 2 months (p .75) or 3 (p .25); support ends in May 2027, the plan's 2nd month
    records = [system("a", end_of_support="2027-05-15", replacement_months_high=3, **UNCERTAIN)]
    _, outlook = forecast(records)
    assert outlook.systems.loc["a", "p_live_by_end_of_support"] == pytest.approx(0.75, abs=0.03)
    assert outlook.summary()["systems with an end-of-support deadline"] == 1


def test_spend_never_exceeds_the_budget_when_held():
    # two £1.2m, 12-month projects (up to £1.8m and 18 months) under £1.5m a year
    records = [system("a", criticality="critical", replacement_months_high=18), system("b")]
    result, outlook = forecast(records, runs=500, **{"schedule.budget.default_gbp": 1_500_000})
    assert (outlook.fy_spend <= 1_500_000 * (1 + 1e-9)).all()
    assert (outlook.completion_months >= result.units["finish_month"].max() + 1).mean() > 0.5
    _, flexed = forecast(
        records,
        runs=500,
        **{"schedule.budget.default_gbp": 1_500_000, "uncertainty.budget": "flex"},
    )
    assert (flexed.fy_spend > 1_500_000).any()


def test_reference_class_uplift_stretches_a_category():
    records = [
        system(
            "a",
            category="EPR",
            replacement_months_low=10,
            replacement_months_likely=10,
            replacement_months_high=10,
        ),
    ]
    _, outlook = forecast(records, runs=20, **{"uncertainty.uplift.months": {"EPR": 1.5}})
    assert set(outlook.completion_months.tolist()) == {15.0}


def test_a_run_that_cannot_fit_counts_as_later_than_every_date():
    records = [
        system(
            "a", replacement_months_likely=10, replacement_months_high=40, replacement_months_low=10
        )
    ]
    _, outlook = forecast(records, runs=400, **{"horizon_months": 24})
    fits = outlook.systems.loc["a", "p_fits_horizon"]
    assert 0 < fits < 1
    assert np.isinf(outlook.completion_months).mean() == pytest.approx(1 - fits)
    assert pd.isna(outlook.programme.loc["P95", "go_live"])
    assert outlook.summary()["programme end P95"] == "after horizon"


def test_fan_chart_bands_and_median():
    from planner.charts import plot_forecast_fan

    _, outlook = forecast(chain(), runs=500)
    ax = plot_forecast_fan(outlook).axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["P5-P95", "P20-P80", "median run", "the plan"]
    median, planned = ax.get_lines()
    months = len(median.get_ydata())
    assert median.get_ydata().tolist() == np.median(outlook.risk_remaining[:, :months], 0).tolist()
    assert planned.get_ydata().tolist() == outlook.planned_risk[:months].tolist()
    assert median.get_ydata()[-1] == 0  # the chart runs on past the last go-live
    assert ax.get_title() == "Risk burn-down across 500 runs"


def test_completion_histogram_counts_every_run():
    from planner.charts import plot_completion_histogram

    records = [system("a", replacement_months_likely=10, replacement_months_high=40)]
    _, outlook = forecast(records, runs=400, horizon_months=24)
    ax = plot_completion_histogram(outlook).axes[0]
    beyond = int(np.isinf(outlook.completion_months).sum())
    assert beyond > 0
    assert sum(p.get_height() for p in ax.patches) == 400 - beyond
    assert ax.get_title() == f"Programme completion across 400 runs ({beyond} beyond the horizon)"
    lines = [t.get_text() for t in ax.get_legend().get_texts()]
    assert lines[0] == "planned Jan 2028" and lines[1].startswith("P50 ")


def test_a_forecast_needs_at_least_one_run():
    from inventory.errors import InvalidArgumentError

    result = make_plan(inventory(chain()), simple_policy())
    with pytest.raises(InvalidArgumentError, match=r"^runs must be 1 or more, not 0$"):
        forecast_plan(result, runs=0)


def test_a_single_value_is_spread_by_the_policy_and_the_forecast_says_how_many():
    """A register's one value is the likely value, not a certainty: a 36-month EPR given as
    one number still finishes later than planned in the bad runs (spread x0.85 to x1.5)."""
    records = [
        system("epr", replacement_months_likely=36, replacement_cost_gbp_likely=30e6),
        system(
            "lims",
            replacement_months_low=10,
            replacement_months_likely=12,
            replacement_months_high=18,
            replacement_cost_gbp_low=1e6,
            replacement_cost_gbp_likely=1.2e6,
            replacement_cost_gbp_high=2e6,
        ),
    ]
    _, outlook = forecast(records, runs=2000, **{"uncertainty.distribution": "pert"})
    assert outlook.warnings[0].startswith(
        "1 of 2 systems give a single value or no estimate for cost or duration: their ranges "
        "are the policy's spread (low x0.85, high x1.5 of the likely value)"
    )
    epr = outlook.systems.loc["epr"]
    assert epr["p95_go_live"] > epr["planned_go_live"]


def test_capital_likely_to_slip_past_31_march_is_warned_with_its_median_shortfall():
    """£1.2m of capital planned in 2027/28 over 12 months from April; the duration is
    12/12/24 (PERT: 12 + 12 B, B ~ Beta(1, 5)), so almost every run runs longer and spends
    less of it by 31 March. The run length is ceil(12 + 12 B): P(<= 13) = 1 - (11/12)^5 =
    0.353 and P(<= 14) = 1 - (10/12)^5 = 0.598, so the median run takes 14 months and spends
    12/14 of £1.2m in the year: £171,429 short."""
    records = [
        system(
            "pas",
            replacement_cost_gbp_low=1.2e6,
            replacement_cost_gbp_likely=1.2e6,
            replacement_cost_gbp_high=1.2e6,
            replacement_months_low=12,
            replacement_months_likely=12,
            replacement_months_high=24,
        )
    ]
    _, outlook = forecast(records, runs=4000, **{"uncertainty.distribution": "pert"})
    year = outlook.spend_by_fy.loc["2027/28"]
    assert year["p_capital_slips_past_31_march"] == pytest.approx(1.0)
    assert year["median_capital_shortfall_gbp"] == pytest.approx(1.2e6 - 1.2e6 * 12 / 14)
    assert outlook.warnings == [
        "2027/28: in 100% of runs less capital is spent by 31 March than planned (median "
        "£171,429 short); unspent NHS capital is not carried forward, so keep a reserve of "
        "schemes ready to draw it"
    ]


def test_a_plan_with_nothing_planned_has_nothing_to_forecast():
    result = make_plan(inventory([system("a", disposition="retain")]), simple_policy())
    assert result.headline == "No projects: every system is retained or retired"
    with pytest.raises(InvalidArgumentError, match="nothing to forecast"):
        forecast_plan(result, runs=10)
