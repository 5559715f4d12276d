"""Charts: check what is drawn (bars, labels, markers), not only that a file appears."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
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
from tests.planner.conftest import inventory, simple_policy, system

TODAY = pd.Timestamp("2026-11-25")


@pytest.fixture(scope="module")
def result():
    return make_plan(load_inventory(SAMPLE_TRUST))


def bars(ax, label="_bars"):
    """The Gantt's bars (or the critical path's outlines) as rows of (left, bottom, width,
    height) in data units: one collection of rectangles, none if it is not drawn."""
    drawn = [c for c in ax.collections if c.get_label() == label]
    if not drawn:
        return np.zeros((0, 4))
    (collection,) = drawn
    corners = np.array([path.vertices[:4] for path in collection.get_paths()])
    low, high = corners.min(axis=1), corners.max(axis=1)
    return np.column_stack([low, high - low])


def test_gantt_has_one_bar_per_project_in_start_order(result):
    ax = plot_gantt(result, today=TODAY).axes[0]
    scheduled = result.units[result.units["scheduled"]]
    drawn = bars(ax)
    assert len(drawn) == len(scheduled)
    assert np.allclose(drawn[:, 3], 0.72)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(scheduled)
    first = drawn[drawn[:, 1].argmin()]
    assert mdates.num2date(first[0]).date() == scheduled["start"].min().date()
    critical = bars(ax, "_critical path")
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


@pytest.fixture(scope="module")
def three():
    """Three projects under a simple calendar (start 1 April 2027, no freezes), worked out
    by hand: B (6 months, supported to 31 January 2028), A (12 months, out of support since
    2020) and ED (12 months, clinical; £2m needs the board, which approves it 1 July 2027,
    its safety case signed off 1 May 2028; the critical path). Names with mathtext and
    markup in them."""
    return make_plan(
        inventory(
            [
                system(
                    "a",
                    name="Costs in $ <b>",
                    replacement_months_likely=12,
                    end_of_support="2020-01-31",
                ),
                system(
                    "b",
                    name="Lab $x^2$ <LIMS>",
                    replacement_months_likely=6,
                    end_of_support="2028-01-31",
                ),
                system(
                    "c",
                    name="ED",
                    clinical_safety_class="high",
                    replacement_cost_gbp_likely=2e6,
                    replacement_months_likely=12,
                ),
            ]
        ),
        simple_policy(
            **{
                "schedule.approval.board_gbp": 1.5e6,
                "schedule.teams": {"integration": 100, "clinical safety": 10},
            }
        ),
    )


def day(text: str) -> float:
    return float(mdates.date2num(pd.Timestamp(text)))


def markers(ax) -> dict:
    """Each marker the Gantt draws (one line of markers per kind): its (x, row) points."""
    return {
        line.get_marker(): list(zip(line.get_xdata(), line.get_ydata(), strict=True))
        for line in ax.get_lines()
        if line.get_label() != "_row ticks"
        and line.get_marker() not in (None, "None", "")
        and line.get_linestyle() in ("None", "none", "")
    }


def test_gantt_of_three_projects_draws_what_was_worked_out_by_hand(three, tmp_path):
    ax = plot_gantt(three, today=TODAY).axes[0]
    # in start order, then go-live: B and A start 1 April 2027, B goes live first; ED waits
    # for the board until 1 July 2027
    assert bars(ax) == pytest.approx(
        np.array(
            [
                [day("2027-04-01"), -0.36, 182, 0.72],  # B: to 30 September 2027
                [day("2027-04-01"), 0.64, 365, 0.72],  # A: to 31 March 2028
                [day("2027-07-01"), 1.64, 365, 0.72],  # ED: to 30 June 2028 (2028 is a leap year)
            ]
        )
    )
    assert bars(ax, "_critical path") == pytest.approx(
        np.array([[day("2027-07-01"), 1.64, 365, 0.72]])
    )
    assert markers(ax) == {
        "D": [(day("2028-01-31"), 0)],  # B's end of support, inside the plan
        ">": [(day("2027-04-01"), 1)],  # A, already unsupported: at the plan's start
        "|": [(day("2028-05-01"), 2)],  # ED's safety case signed off
        "d": [(day("2027-07-01"), 2)],  # ED's business case approved
    }
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-4:] == [
        "end of support",
        "already unsupported",
        "safety case signed off",
        "business case approved",
    ]
    # the names as y tick labels, escaped for mathtext until saved, then drawn as written
    names = ["Lab $x^2$ <LIMS>", "Costs in $ <b>", "ED"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        name.replace("$", r"\$") for name in names
    ]
    assert list(ax.get_yticks()) == [0, 1, 2]
    save(ax.figure, tmp_path / "g.png", tight=False)
    drawn = ax.get_yticklabels()
    assert [t.get_text() for t in drawn] == names
    assert not any(t.get_parse_math() for t in drawn)
    plt.close(ax.figure)


def test_gantt_rows_are_gridded_and_ticked_by_one_artist_each(three):
    ax = plot_gantt(three, today=TODAY).axes[0]
    (grid,) = [c for c in ax.collections if c.get_label() == "_row gridlines"]
    assert [segment.tolist() for segment in grid.get_segments()] == [
        [[0, row], [1, row]] for row in range(3)
    ]
    (ticks,) = [line for line in ax.get_lines() if line.get_label() == "_row ticks"]
    assert list(ticks.get_xdata()) == [0, 0, 0] and list(ticks.get_ydata()) == [0, 1, 2]
    assert not any(tick.tick1line.get_visible() for tick in ax.yaxis.get_major_ticks())
    assert not any(tick.gridline.get_visible() for tick in ax.yaxis.get_major_ticks())
    plt.close(ax.figure)


def test_gantt_draws_as_many_artists_for_thirty_rows_as_for_three(three):
    def drawn(result):
        figure = plot_gantt(result, today=TODAY)
        figure.canvas.draw()
        ax = figure.axes[0]
        visible = {
            kind: sum(a.get_visible() for a in group)
            for kind, group in (
                ("lines", ax.get_lines()),
                ("collections", ax.collections),
                ("patches", ax.patches),
            )
        }
        visible["tick lines"] = sum(
            line.get_visible()
            for tick in ax.yaxis.get_major_ticks()
            for line in (tick.tick1line, tick.tick2line, tick.gridline)
        )
        visible["tick labels"] = sum(t.get_visible() for t in ax.get_yticklabels())
        plt.close(figure)
        return visible

    thirty = make_plan(
        inventory([system(f"s{i}", replacement_months_likely=12) for i in range(30)]),
        simple_policy(),
    )
    few = make_plan(
        inventory([system(f"s{i}", replacement_months_likely=12) for i in range(3)]),
        simple_policy(),
    )
    assert drawn(few) == {
        "lines": 4,  # the row ticks, 1 April 2027 and 2028, today
        "collections": 3,  # the row gridlines, the bars, the critical path's outlines
        "patches": 0,  # no freezes
        "tick lines": 0,
        "tick labels": 3,
    }
    assert drawn(thirty) == drawn(few) | {"tick labels": 30}


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


def test_tick_labels_from_data_are_drawn_as_written(tmp_path):
    """``set_yticks(..., labels)`` keeps its labels in a FuncFormatter (matplotlib 3.9 on), so
    the escaped ``\\$`` of :func:`label` was drawn with its backslash; saving unescapes it."""
    from planner.charts.style import label, new_figure

    figure = new_figure(figsize=(3, 2))
    ax = figure.subplots()
    ax.set_yticks([0, 1], [label("Costs in $ <b>"), label("$x^2$ & <i>")])
    ax.set_xticks([0], [label("£5 $")])
    save(figure, tmp_path / "t.png")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Costs in $ <b>", "$x^2$ & <i>"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["£5 $"]
    save(figure, tmp_path / "t.svg")  # and again: unescaped once only
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Costs in $ <b>", "$x^2$ & <i>"]
