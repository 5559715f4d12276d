"""The fast mode's search, the optimising mode (CP-SAT) and the PSPLIB reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.policy import load_policy
from planner.schedule import schedule_units
from planner.schedule.psplib import critical_path_length, read_sm, schedule_instance

DATA = Path(__file__).resolve().parent.parent / "data" / "psplib"


def units_frame(months, costs=None, demand=None):
    names = [f"u{i}" for i in range(len(months))]
    return pd.DataFrame(
        {
            "members": [(n,) for n in names],
            "cost_gbp": costs or [0.0] * len(months),
            "months": months,
            "team_demand": [dict(demand or {"team": 1.0}) for _ in names],
            "not_before": pd.NaT,
            "deadline": pd.NaT,
            "cost_estimated": False,
        },
        index=pd.Index(names, name="unit"),
    )


def no_links():
    return pd.DataFrame(columns=["before", "after", "reason"])


def policy(**schedule):
    changes = {
        "schedule.teams": {"team": 1.0},
        "schedule.budget.default_gbp": 1e12,
        "schedule.budget.by_year": {},
        "schedule.freeze_months": [],
        "schedule.max_concurrent_projects": None,
        "horizon_months": 60,
    }
    changes.update({f"schedule.{k}": v for k, v in schedule.items()})
    return load_policy(overrides=changes)


def check_feasible(instance, result):
    """Every month within capacity, every link respected."""
    units = result.units
    start = units["start_month"].astype(int)
    finish = start + units["months"]
    for _, link in instance.links.iterrows():
        assert start[link["after"]] >= finish[link["before"]]
    horizon = int(finish.max())
    for resource, capacity in instance.capacities.items():
        usage = np.zeros(horizon)
        for unit, row in units.iterrows():
            usage[start[unit] : finish[unit]] += row["team_demand"].get(resource, 0.0)
        assert usage.max() <= capacity + 1e-9


def test_read_sm_drops_the_dummy_jobs_and_keeps_precedence():
    instance = read_sm(DATA / "j301_1.sm")
    assert len(instance.units) == 30 and instance.units.index[0] == "job2"
    assert instance.capacities == {"R1": 12, "R2": 13, "R3": 4, "R4": 12}
    # job 2 (8 periods, 4 of R1) follows the source and precedes 6, 11 and 15
    assert instance.units.loc["job2", ["months", "team_demand"]].tolist() == [8, {"R1": 4.0}]
    after_2 = instance.links.loc[instance.links["before"] == "job2", "after"]
    assert sorted(after_2) == ["job11", "job15", "job6"]
    assert not instance.links.isin(["job1", "job32"]).any().any()
    assert critical_path_length(instance) == 38  # the MPM-Time in the file's header


def test_a_zero_length_job_passes_its_links_through(tmp_path):
    text = (DATA / "j301_1.sm").read_text(encoding="latin-1")
    lines = text.splitlines()
    # make job 5 (between 4 and 20) a zero-length milestone
    requests = next(i for i, line in enumerate(lines) if line.startswith("REQUESTS"))
    row = next(i for i, line in enumerate(lines) if i > requests and line.split()[:2] == ["5", "1"])
    lines[row] = "  5      1     0       0    0    0    0"
    path = tmp_path / "milestone.sm"
    path.write_text("\n".join(lines), encoding="latin-1")
    instance = read_sm(path)
    assert "job5" not in instance.units.index
    pairs = set(zip(instance.links["before"], instance.links["after"], strict=True))
    assert ("job4", "job20") in pairs


@pytest.mark.slow
@pytest.mark.parametrize(("name", "optimum"), [("j301_1", 43), ("j3010_1", 42), ("j601_1", 77)])
def test_psplib_instances_are_scheduled_feasibly_and_near_the_optimum(name, optimum):
    instance = read_sm(DATA / f"{name}.sm")
    one = schedule_instance(instance, passes=1)
    fast = schedule_instance(instance)
    for result in (one, fast):
        check_feasible(instance, result)
    assert optimum <= fast.search["programme (months)"] <= one.search["programme (months)"]
    assert fast.search["programme (months)"] <= optimum * 1.1


def test_the_optimiser_proves_the_j30_optimum():
    instance = read_sm(DATA / "j301_1.sm")
    result = schedule_instance(instance, method="optimal", time_limit_seconds=20)
    check_feasible(instance, result)
    assert result.search["programme (months)"] == 43
    assert result.search["solver"] == "optimal"


def test_risk_weighted_objective_puts_the_riskiest_first():
    """One team of 1 FTE, three one-month projects with risks 10, 1, 1, no makespan weight:
    the best order goes live in months 1, 2, 3 with the risk-10 project first, so the
    risk-weighted mean go-live is (10 x 1 + 1 x 2 + 1 x 3) / 12 = 1.25 months."""
    units = units_frame([1, 1, 1])
    risk = pd.Series({"u0": 1.0, "u1": 10.0, "u2": 1.0})
    priority = pd.Series({"u0": 3.0, "u1": 2.0, "u2": 1.0})  # a priority that gets it wrong
    one = schedule_units(
        units, no_links(), priority, policy(passes=1, makespan_weight=0.0), risk=risk
    )
    assert one.search["risk-weighted mean go-live (months)"] == pytest.approx((1 + 20 + 3) / 12)
    for method in ("fast", "optimal"):
        result = schedule_units(
            units, no_links(), priority, policy(method=method, makespan_weight=0.0), risk=risk
        )
        assert result.search["risk-weighted mean go-live (months)"] == pytest.approx(1.25)
        assert result.units.loc["u1", "start_month"] == 0


def test_the_optimiser_keeps_the_budget():
    """Three one-month projects of £10 each, £10 a year: one per financial year."""
    units = units_frame([1, 1, 1], costs=[10.0, 10.0, 10.0], demand={})
    rules = policy(method="optimal", **{"budget.default_gbp": 10.0})
    result = schedule_units(units, no_links(), pd.Series(0.0, index=units.index), rules)
    assert sorted(result.units["start_month"]) == [0, 12, 24]
    assert result.search["programme (months)"] == 25


@pytest.mark.slow
def test_the_search_is_reproducible_and_never_worse_than_one_pass():
    import planner

    first = planner.plan("data/sample-trust")
    again = planner.plan("data/sample-trust")
    single = planner.plan("data/sample-trust", **{"schedule.passes": 1})
    pd.testing.assert_frame_equal(first.schedule, again.schedule)
    assert first.search["objective"] <= single.search["objective"]
    assert first.search["passes"] == 300
