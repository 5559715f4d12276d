"""Charts: check what is drawn (bars, labels, markers), not only that a file appears."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from inventory import load_inventory
from inventory.graph import neighbourhood
from planner.charts import (
    plot_burndown,
    plot_dependency_map,
    plot_gantt,
    plot_spend,
    roadmap_figure,
    save,
)
from planner.plan import make_plan
from tests.conftest import SAMPLE_TRUST

TODAY = pd.Timestamp("2026-11-25")


@pytest.fixture(scope="module")
def result():
    return make_plan(load_inventory(SAMPLE_TRUST))


def bars(ax):
    return [
        p
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_height() == 0.72 and p.get_fill()
    ]


def test_gantt_has_one_bar_per_project_in_start_order(result):
    ax = plot_gantt(result, today=TODAY).axes[0]
    scheduled = result.units[result.units["scheduled"]]
    drawn = bars(ax)
    assert len(drawn) == len(scheduled)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(scheduled)
    first = min(drawn, key=lambda b: b.get_y())
    assert mdates.num2date(first.get_x()).date() == scheduled["start"].min().date()
    critical = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert len(critical) == int(scheduled["critical"].sum())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"platform", "critical path", "change freeze", "end of support"} <= set(legend)
    plt.close(ax.figure)


def test_gantt_shades_every_freeze_month_and_marks_years(result):
    ax = plot_gantt(result, today=TODAY).axes[0]
    spans = [p for p in ax.patches if not isinstance(p, Rectangle) or p.get_height() != 0.72]
    freeze_spans = [
        p
        for p in spans
        if getattr(p, "get_facecolor", None) and abs(p.get_facecolor()[3] - 0.25) < 1e-6
    ]
    years = {label.get_text() for label in ax.get_xticklabels()}
    assert "2027/28" in years and "2030/31" in years
    assert len(freeze_spans) >= 3 * 9  # Dec, Jan and Feb of each winter in the plan
    plt.close(ax.figure)


def test_gantt_grouped_by_category_summarises(result):
    ax = plot_gantt(result, group_by="category", today=TODAY).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    categories = result.inventory.systems.loc[
        [m[0] for m in result.units.loc[result.units["scheduled"], "members"]], "category"
    ].nunique()
    assert len(labels) == categories
    assert any(label.startswith("PAS (1 project)") for label in labels)
    plt.close(ax.figure)


def test_spend_chart_puts_capital_and_revenue_side_by_side_each_under_its_own_budget(result):
    ax = plot_spend(result).axes[0]
    spend = result.spend_by_fy
    assert len(ax.patches) == 2 * len(spend)
    heights = [round(p.get_height(), 6) for p in ax.patches]
    expected = [round(v / 1e6, 6) for v in [*spend["capital_gbp"], *spend["revenue_gbp"]]]
    assert heights == expected
    assert all(p.get_y() == 0 for p in ax.patches)  # side by side, not stacked
    capital, revenue = ax.patches[: len(spend)], ax.patches[len(spend) :]
    for left, right in zip(capital, revenue, strict=True):
        assert left.get_x() + left.get_width() == pytest.approx(right.get_x())
    (budget,) = ax.get_lines()  # the sample policy sets no revenue budget
    assert budget.get_label() == "capital budget"
    centres = [p.get_x() + p.get_width() / 2 for p in capital]
    assert list(budget.get_xdata()) == pytest.approx(centres)  # each mark over its own bar
    assert list(budget.get_ydata()) == pytest.approx(list(spend["capital_budget_gbp"] / 1e6))
    assert [t.get_text() for t in ax.get_xticklabels()] == spend.index.tolist()
    plt.close(ax.figure)


def test_burndown_draws_plan_against_doing_nothing(result):
    ax = plot_burndown(result).axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["do nothing", "with the plan"]
    plan_line = ax.get_lines()[1]
    assert plan_line.get_ydata()[0] == pytest.approx(result.burndown["plan_risk"].iloc[0])
    plt.close(ax.figure)


def test_dependency_map_labels_interfaces(result):
    G = result.inventory.graph()
    sub = neighbourhood(G, ["lims"], depth=1)
    ax = plot_dependency_map(sub, ["lims"]).axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("lims\n") for t in texts)
    assert any("HL7 v2: ORU^R01" in t for t in texts)
    assert "depended on by (1 step): 15" in texts
    plt.close(ax.figure)


@pytest.mark.slow
def test_roadmap_figure_saves_in_three_formats(result, tmp_path):
    figure = roadmap_figure(result, today=TODAY)
    assert len(figure.axes) == 3
    for suffix in ("png", "svg", "pdf"):
        path = save(figure, tmp_path / f"r.{suffix}", tight=False)
        assert path.stat().st_size > 5_000
    plt.close(figure)


def test_portfolio_matrix_has_a_bubble_per_system_quadrants_and_names(result):
    from planner.charts import plot_portfolio
    from planner.charts.estate import TIME_QUADRANTS

    ax = plot_portfolio(result.scored, label=10).axes[0]
    offsets = sum(len(c.get_offsets()) for c in ax.collections)
    assert offsets == len(result.scores)
    texts = {t.get_text() for t in ax.texts}
    assert set(TIME_QUADRANTS.values()) <= texts
    named = [t.get_text() for t in ax.texts if t.get_text() in result.scores.index]
    assert named == list(result.scores.sort_values("priority", ascending=False).index[:10])
    assert ax.get_xlabel() == "downstream impact (0-100)" and ax.get_ylabel() == "risk (0-100)"
    # labels do not overlap each other
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text() in named]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    plt.close(ax.figure)


def test_end_of_support_counts_systems_per_quarter_by_rating(result):
    from planner.charts import plot_end_of_support

    figure = plot_end_of_support(
        result.inventory.systems, result.scores, plan_start=result.start, today=TODAY
    )
    ax = figure.axes[0]
    total = sum(p.get_height() for p in ax.patches)
    assert total == result.inventory.systems["end_of_support"].notna().sum()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "extreme",
        "high",
        "moderate",
        "low",
    ]
    assert "17 unknown" in ax.get_title()
    running = figure.axes[1].get_lines()[0].get_ydata()
    assert running[-1] == total
    plt.close(figure)


def test_category_map_centres_every_system_of_the_category(result):
    from planner.charts import plot_category_map

    ax = plot_category_map(result.inventory, "medical device").axes[0]
    devices = (result.inventory.systems["category"] == "medical device").sum()
    assert f"selected: {devices}" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)


def test_an_interface_label_gives_its_kind_messages_and_route():
    from planner.charts.estate import _interface_text

    link = {"kind": "HL7 v2", "messages": ("ADT^A01", "ORU^R01", "ORM^O01")}
    assert _interface_text({**link, "route": "via Rhapsody"}, 2) == (
        "HL7 v2: ADT^A01, ORU^R01 … via Rhapsody"
    )
    assert _interface_text({**link, "messages": (), "route": "Ensemble"}, 2) == (
        "HL7 v2 via Ensemble"
    )
    assert _interface_text({"kind": None, "messages": (), "route": None}, 2) == ""


def test_category_map_takes_several_categories(result):
    from planner.charts import plot_category_map

    systems = result.inventory.systems
    both = systems["category"].isin(["PAS", "medical device"]).sum()
    ax = plot_category_map(result.inventory, ["PAS", "medical device"]).axes[0]
    assert f"selected: {both}" in [t.get_text() for t in ax.texts]


def test_category_map_names_the_categories_with_no_systems(result):
    from inventory.errors import InvalidArgumentError
    from planner.charts import plot_category_map

    with pytest.raises(InvalidArgumentError) as raised:
        plot_category_map(result.inventory, ["PAS", "abacus", "slide rule"])
    assert str(raised.value) == "no systems in categories 'abacus', 'slide rule'"
