"""Rank stability: hand-computed probabilities on two systems, and the sample trust."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import planner
from planner.scoring import rank
from planner.stability import rank_stability
from tests.planner.conftest import simple_policy


def scores(rows, weights):
    """A scores table for ``rows`` of (id, risk, impact, cost), ranked under ``weights``."""
    frame = pd.DataFrame(rows, columns=["id", "risk", "impact", "cost"]).set_index("id")
    total = sum(weights.values())
    frame["priority"] = (
        weights["risk"] * frame["risk"]
        + weights["impact"] * frame["impact"]
        + weights["cost"] * (100 - frame["cost"])
    ) / total
    frame["planned"] = True
    frame["name"] = frame.index.str.upper()
    return rank(frame)


def stability(rows, weights, **kw):
    """The stability table; its summary is ``.attrs``-free, see :func:`summary_of`."""
    return stability_of(rows, weights, **kw).table


def stability_of(rows, weights, **kw):
    policy = simple_policy(**{"priority.weights": weights})
    return rank_stability(scores(rows, weights), policy, **kw)


def test_two_systems_trading_risk_against_impact():
    # A wins on risk, B on impact; cost weighs nothing. A is first exactly when the drawn risk
    # weight w passes 0.5, with w ~ Beta(0.6 c, 0.4 c) = Beta(6, 4) for c = 10, and
    # P(Beta(6, 4) <= 0.5) = P(Binomial(9, 1/2) >= 6) = 130 / 512: so A is first with
    # probability 382 / 512 = 0.746.
    weights = {"risk": 0.6, "impact": 0.4, "cost": 0.0}
    result = stability_of(
        [("a", 100, 0, 50), ("b", 0, 100, 50)], weights, samples=20_000, concentration=10, top=1
    )
    table = result.table
    p = 382 / 512
    tolerance = 4 * (p * (1 - p) / 20_000) ** 0.5
    assert table.loc["a", "p_top_n"] == pytest.approx(p, abs=tolerance)
    assert table.loc["b", "p_top_n"] == pytest.approx(1 - p, abs=tolerance)
    assert table.loc["a", ["rank", "best_rank_p5", "worst_rank_p95"]].tolist() == [1, 1, 2]
    assert table["fragile"].tolist() == [True, True]
    assert (
        table.loc["a", "driven_by"] == "risk" and table.loc["a", "when_it_weighs_more"] == "earlier"
    )
    assert (
        table.loc["b", "driven_by"] == "risk" and table.loc["b", "when_it_weighs_more"] == "later"
    )
    summary = result.summary
    assert summary["top N unchanged in"] == pytest.approx(p, abs=tolerance)
    # two items: Spearman is +1 when the order holds, -1 when it flips
    assert summary["mean rank correlation with the chosen order"] == pytest.approx(
        2 * p - 1, abs=2 * tolerance
    )


def test_a_system_better_on_every_count_never_moves():
    weights = {"risk": 0.5, "impact": 0.3, "cost": 0.2}
    result = stability_of([("a", 90, 80, 10), ("b", 50, 40, 60), ("c", 10, 5, 90)], weights)
    table = result.table
    assert table["median_rank"].tolist() == [1, 2, 3]
    assert table["p_top_n"].tolist() == [1.0, 1.0, 1.0]  # top 20 of 3: everyone
    assert not table["fragile"].any()
    assert table["driven_by"].tolist() == ["", "", ""]
    assert result.summary["mean rank correlation with the chosen order"] == 1.0


def test_surer_weights_move_the_ranking_less():
    rows = [
        (f"s{i}", r, m, c)
        for i, (r, m, c) in enumerate(
            np.random.default_rng(4).integers(0, 100, size=(40, 3)).tolist()
        )
    ]
    weights = {"risk": 0.55, "impact": 0.3, "cost": 0.15}
    loose = stability_of(rows, weights, concentration=5, top=10)
    sure = stability_of(rows, weights, concentration=500, top=10)
    width = lambda t: (t["worst_rank_p95"] - t["best_rank_p5"]).mean()  # noqa: E731
    assert width(sure.table) < width(loose.table)
    corr = "mean rank correlation with the chosen order"
    assert sure.summary[corr] > loose.summary[corr]


def test_the_same_seed_draws_the_same_weights():
    rows = [("a", 100, 0, 50), ("b", 0, 100, 50), ("c", 50, 50, 50)]
    weights = {"risk": 0.5, "impact": 0.5, "cost": 0.0}
    one = stability(rows, weights, seed=3)
    pd.testing.assert_frame_equal(one, stability(rows, weights, seed=3))
    assert not one.equals(stability(rows, weights, seed=4))


def test_sample_trust_ranking_is_stable_at_the_top():
    result = planner.rank_stability("data/sample-trust", samples=300)
    table = result.table
    assert table.index[0] == "pas" and table.loc["pas", "p_top_n"] == 1.0
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert (table["best_rank_p5"] <= table["worst_rank_p95"]).all()
    assert result.summary["mean rank correlation with the chosen order"] > 0.95
    fragile = table[table["fragile"]]
    assert len(fragile) >= 1 and (fragile["rank"] <= 40).all()


def test_bad_settings_are_argument_errors():
    from inventory.errors import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match="samples must be 2 or more"):
        stability([("a", 1, 1, 1)], {"risk": 1, "impact": 0, "cost": 0}, samples=1)
    with pytest.raises(ValueError, match="concentration must be above 0"):
        stability([("a", 1, 1, 1)], {"risk": 1, "impact": 0, "cost": 0}, concentration=0)


def test_rank_range_chart_marks_the_fragile_in_red():
    from matplotlib.colors import to_hex

    from planner.charts import plot_rank_stability

    weights = {"risk": 0.6, "impact": 0.4, "cost": 0.0}
    rows = [("a", 100, 0, 50), ("b", 0, 100, 50), ("c", 0, 0, 100)]
    result = stability_of(rows, weights, top=1, concentration=10)  # a first in 75% of draws
    ax = plot_rank_stability(result).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    ranges = ax.collections[0]
    colours = [to_hex(c, keep_alpha=False) for c in ranges.get_colors()]
    assert colours == ["#b2182b", "#b2182b", "#4477aa"]
    segments = [(seg[0][0], seg[1][0]) for seg in ranges.get_segments()]
    assert segments == [(1, 2), (1, 2), (3, 3)]
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "top 1"
