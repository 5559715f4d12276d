"""Every table the library returns follows one set of conventions: snake_case column names,
keys as the index, text as ``object`` (one text dtype), severities as ordered categoricals,
and scores that join the systems table without repeating its columns."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

import planner
from inventory.errors import ArgumentTypeError, UnknownSystemError
from inventory.schema import CRITICALITY_DTYPE, RISK_RATING_DTYPE, SCARCITY_DTYPE
from tests.conftest import ROOT

FIVE = ROOT / "data" / "examples" / "five-systems"
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
#: Tables whose columns are named by the data: financial years, teams, scenarios.
DATA_NAMED = ("plan.unit_spend", "plan.team_usage", "compare.spend")


@pytest.fixture(scope="module")
def results():
    result = planner.plan(FIVE)
    return {
        "plan": result,
        "forecast": planner.forecast(result, runs=20),
        "stability": planner.rank_stability(result, samples=20),
        "compare": planner.compare(FIVE, {"baseline": None, "half": 0.5}),
        "blast": planner.blast_radius(result, ["pas"]),
        "levers": planner.levers(result),
    }


def tables(results):
    for name, record in results.items():
        for field in dataclasses.fields(record):
            value = getattr(record, field.name)
            if isinstance(value, pd.DataFrame):
                yield f"{name}.{field.name}", value


def test_text_is_object_everywhere(results):
    wrong = [
        (name, column, str(frame[column].dtype))
        for name, frame in tables(results)
        for column in frame.columns
        if pd.api.types.is_string_dtype(frame[column].dtype) and frame[column].dtype != object
    ]
    assert wrong == []


def test_severities_are_ordered_categoricals(results):
    dtypes = {"criticality": CRITICALITY_DTYPE, "risk_rating": RISK_RATING_DTYPE}
    found = [
        (name, column, frame[column].dtype == dtypes[column])
        for name, frame in tables(results)
        for column in frame.columns
        if column in dtypes
    ]
    assert len(found) >= 3 and all(ok for *_, ok in found), found
    trust = planner.load(FIVE)
    assert trust.systems["skills_scarcity"].dtype == SCARCITY_DTYPE
    assert trust.dependencies["criticality"].dtype == CRITICALITY_DTYPE


def test_criticality_sorts_by_severity_not_alphabetically():
    # five-systems: lab-db low, portal medium, pas/tie/ed critical
    trust = planner.load(FIVE)
    ordered = trust.systems.sort_values("criticality", kind="stable").index.tolist()
    assert ordered == ["lab-db", "portal", "pas", "tie", "ed"]


def test_library_columns_are_snake_case(results):
    odd = [
        (name, column)
        for name, frame in tables(results)
        for column in frame.columns
        if not SNAKE.match(str(column)) and name not in DATA_NAMED
    ]
    assert odd == []


def test_scores_join_the_systems_without_overlap():
    trust = planner.load(FIVE)
    scores = planner.score(trust)
    assert set(scores.columns).isdisjoint(trust.systems.columns)
    joined = trust.systems.join(scores)
    assert joined.shape == (5, trust.systems.shape[1] + scores.shape[1])
    assert scores.index.name == "id" and list(scores.index) == list(
        scores.sort_values("rank").index
    )


def test_a_plans_scores_join_its_systems_without_overlap():
    result = planner.plan(FIVE)
    systems = result.inventory.systems
    assert set(result.scores.columns).isdisjoint(systems.columns)
    joined = systems.join(result.scores)
    assert joined.shape == (5, systems.shape[1] + result.scores.shape[1])
    # scored is that join in rank order: the register's names beside the ranks
    assert list(result.scored.index) == list(result.scores.index)
    assert result.scored.at["pas", "name"] == "Patient Administration System"
    assert result.scored.at["pas", "rank"] == result.scores.at["pas", "rank"]


def test_each_plan_table_has_its_key_as_the_index(results):
    result, outlook = results["plan"], results["forecast"]
    keys = {
        "scores": (result.scores, "id"),
        "schedule": (result.schedule, "id"),
        "units": (result.units, "unit"),
        "unit_spend": (result.unit_spend, "unit"),
        "spend_by_fy": (result.spend_by_fy, "financial_year"),
        "run_costs": (result.run_costs, "financial_year"),
        "burndown": (result.burndown, "month"),
        "forecast.spend_by_fy": (outlook.spend_by_fy, "financial_year"),
    }
    wrong = {
        name: (frame.index.name, frame.index.is_unique)
        for name, (frame, key) in keys.items()
        if frame.index.name != key or not frame.index.is_unique or key in frame.columns
    }
    assert wrong == {}
    # five-systems: Apr 2027 start, so the first financial year is 2027/28 and month 1 April
    assert result.spend_by_fy.index[0] == "2027/28" == result.run_costs.index[0]
    assert result.burndown.index[0] == pd.Timestamp("2027-04-01")


def test_a_registers_own_column_named_like_a_score_is_kept_beside_it():
    trust = planner.load(FIVE)
    own = trust.systems.assign(risk="see the trust risk register", interfaces=3)
    result = planner.plan(type(trust)(own, trust.dependencies))
    scored = result.scored
    assert scored.at["pas", "risk_register"] == "see the trust risk register"
    assert scored.at["pas", "interfaces_register"] == 3
    assert scored.at["pas", "risk"] == result.scores.at["pas", "risk"] > 0


def test_explain_takes_a_name_and_suggests_the_nearest():
    result = planner.plan(FIVE)
    assert planner.explain(result, "Trust Integration Engine").system == "tie"
    with pytest.raises(UnknownSystemError) as raised:
        planner.explain(result, "Trust Integraton Engine")
    assert str(raised.value) == (
        "no system 'Trust Integraton Engine' (did you mean 'Trust Integration Engine' (tie)?)"
    )


def test_explain_says_when_a_name_is_several_systems():
    from inventory.model import Inventory

    inventory = Inventory.from_records(
        [{"id": "lab-a", "name": "Lab system"}, {"id": "lab-b", "name": "Lab system"}], []
    )
    with pytest.raises(UnknownSystemError) as raised:
        planner.explain(planner.plan(inventory), "Lab system")
    assert str(raised.value) == (
        "no system 'Lab system' ('Lab system' could be any of the systems lab-a, lab-b; use the id)"
    )


def test_the_portfolio_takes_a_plan_itself():
    from planner.charts import plot_portfolio

    result = planner.plan(FIVE)
    ax = plot_portfolio(result).axes[0]
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(result.scores)
    with pytest.raises(ArgumentTypeError):
        plot_portfolio(5)  # type: ignore[arg-type]


def test_tidy_converts_only_what_it_must_and_leaves_the_input_alone():
    from inventory.schema import tidy

    frame = pd.DataFrame(
        {"cost": [1.0, 2.0], "why": ["a", "b"], "risk_rating": ["high", "low"]},
        index=pd.Index(["x", "y"], dtype=object),
    )
    out = tidy(frame)
    assert out["why"].dtype == object and out["risk_rating"].dtype == RISK_RATING_DTYPE
    # copy-on-write: the numbers are the input's own, the input keeps its dtypes
    assert np.shares_memory(out["cost"].to_numpy(), frame["cost"].to_numpy())
    assert frame["why"].dtype != object and frame["risk_rating"].dtype != RISK_RATING_DTYPE
    out.loc["x", "cost"] = 9.0
    assert frame.loc["x", "cost"] == 1.0
