"""What the Python API says when it is called wrongly: one exact message per error path.

Each message lists the problems (the first ten and a count), names the keyword or file they
came from, gives the full path and the working folder for a missing file, and says which
type was expected; none names a command-line flag.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import planner
from inventory.errors import (
    ArgumentTypeError,
    InvalidArgumentError,
    InvalidInventoryError,
    InvalidPolicyError,
    MissingFileError,
)
from tests.conftest import BASIC_SYSTEMS, ROOT

FIVE = ROOT / "data" / "examples" / "five-systems"

HINT = "(fix the settings listed; the default policy.yaml documents each one)"


@pytest.fixture(scope="module")
def five():
    return planner.load(FIVE)


def test_a_policy_keyword_is_named_as_the_keyword_arguments_not_a_file(five):
    with pytest.raises(InvalidPolicyError) as raised:
        planner.score(five, weights={"risk": 1, "impact": "x", "cost": 0})
    assert str(raised.value) == (
        f"1 problem in the policy from the keyword arguments {HINT}:\n"
        "  the keyword arguments: priority.weights.impact 'x' is not a number of zero or more"
    )


def test_a_policy_dict_is_named_as_the_policy_mapping(five):
    with pytest.raises(InvalidPolicyError) as raised:
        planner.plan(five, {"horizon_months": 0})
    assert str(raised.value) == (
        f"1 problem in the policy from the policy mapping {HINT}:\n"
        "  the policy mapping: horizon_months '0' is not a whole number from 1 to 1,200"
    )


def test_a_policy_file_is_named_and_its_problems_listed(five, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("priority:\n  weights:\n    risk: lots\nschedule:\n  teams: 5\n")
    with pytest.raises(InvalidPolicyError) as raised:
        planner.plan(five, path)
    assert str(raised.value) == (
        f"2 problems in the policy from bad.yaml {HINT}:\n"
        "  bad.yaml: priority.weights.risk 'lots' is not a number of zero or more\n"
        "  bad.yaml: schedule.teams must be a group of settings"
    )


def test_partial_weights_are_refused_not_rescaled(five):
    # risk 0.7 with the default impact 0.30 and cost 0.15 adds up to 1.15
    with pytest.raises(InvalidPolicyError) as raised:
        planner.score(five, weights={"risk": 0.7})
    assert [issue.message for issue in raised.value.report.errors] == [
        "priority.weights add up to 1.15, not 1 (risk 0.7, impact 0.3, cost 0.15); give every "
        "weight, as shares adding up to 1"
    ]


def test_complete_weights_are_used_as_given(five):
    scores = planner.score(five, weights={"risk": 1.0, "impact": 0.0, "cost": 0.0})
    assert (scores["priority"] - scores["risk"]).abs().max() < 1e-9


def test_an_invalid_inventory_lists_ten_problems_a_count_and_the_file(make_inventory):
    rows = [dict(BASIC_SYSTEMS[0], id=f"s{i}", criticality="hgh") for i in range(12)]
    with pytest.raises(InvalidInventoryError) as raised:
        planner.load(make_inventory(rows, []))
    lines = str(raised.value).splitlines()
    assert lines[0] == (
        "12 problems in the inventory from systems.csv (fix the rows listed and try again; "
        "nothing was changed):"
    )
    assert lines[1] == (
        "  systems.csv row 2: criticality 'hgh' is not one of: low, medium, high, critical; "
        "did you mean 'high'?"
    )
    assert len(lines) == 12 and lines[-1] == "  ... and 2 more"


def test_a_missing_inventory_names_the_full_path_and_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MissingFileError) as raised:
        planner.load("data/sample-trust")
    assert str(raised.value) == (
        f"sample-trust: no such file or folder ({tmp_path}/data/sample-trust) "
        f"(check the path; relative paths are read from {tmp_path})"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda five: planner.score(42),
            "source must be a file or folder path, an Inventory, a PlanResult or None (the "
            "store), not int (42)",
        ),
        (
            lambda five: planner.plan(five, 3),
            "policy must be a Policy, a YAML file path, a dict of settings or None, not int (3)",
        ),
        (
            lambda five: planner.explain(five, "pas"),
            "result must be a PlanResult (from planner.plan), not Inventory (<Inventory: 5 "
            "systems, 5 dependencies>)",
        ),
        (
            lambda five: planner.forecast(five, runs="many"),
            "runs must be a whole number, not str ('many')",
        ),
        (
            lambda five: planner.blast_radius(five, 5),
            "systems must be a system id or a list of system ids, not int (5)",
        ),
        (
            lambda five: planner.compare(five, ["baseline"]),
            "scenarios must be a mapping of scenario name to policy or scale, not list "
            "(['baseline'])",
        ),
    ],
    ids=["source", "policy", "explain", "runs", "systems", "scenarios"],
)
def test_a_wrong_type_says_what_was_expected(five, call, message):
    with pytest.raises(ArgumentTypeError) as raised:
        call(five)
    assert isinstance(raised.value, TypeError) and str(raised.value) == message


def test_library_messages_never_name_command_line_flags():
    flag = re.compile(r"""["'][^"'\n]*(?<![\w-])--[a-z][\w-]*""")
    offenders = []
    for folder in ("inventory", "planner"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if Path("planner", "cli") in path.relative_to(ROOT).parents:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if flag.search(line) and not line.lstrip().startswith(("#", ">>>")):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_a_register_in_its_own_layout_is_pointed_to_a_column_mapping(tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("Application,Supplier\nPAS,Cerner\n")
    with pytest.raises(InvalidInventoryError) as raised:
        planner.plan(register)
    assert raised.value.own_layout
    assert str(raised.value).splitlines()[0] == (
        "2 problems in the inventory from register.csv (a register kept in its own layout? "
        "inventory.propose_mapping(path) proposes a column mapping to review; then read it "
        "with mapping=; nothing was changed):"
    )
    # a file in the standard layout with a bad row is told to fix the row
    bad = tmp_path / "systems.csv"
    bad.write_text("id,name,criticality\npas,PAS,T9\n")
    with pytest.raises(InvalidInventoryError) as raised:
        planner.plan(bad)
    assert not raised.value.own_layout
    assert "fix the rows listed and try again" in str(raised.value)


@pytest.fixture(scope="module")
def five_plan(five):
    return planner.plan(five)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: planner.forecast(r, runs=5, bogus=1),
        lambda r: planner.levers(r, bogus=1),
        lambda r: planner.blast_radius(r, ["pas"], bogus=1),
        lambda r: planner.rank_stability(r, samples=5, bogus=1),
        lambda r: planner.score(r, bogus=1),
        lambda r: planner.plan(r, bogus=1),
    ],
    ids=["forecast", "levers", "blast_radius", "rank_stability", "score", "plan"],
)
def test_a_plan_given_with_overrides_applies_them_never_ignores_them(five_plan, call):
    with pytest.raises(InvalidArgumentError) as raised:
        call(five_plan)
    assert str(raised.value) == (
        "unknown keyword 'bogus' (a keyword names a setting (budget, teams, weights, "
        "plan_start, ...) or reaches one with __ for '.', as in priority__top_n=10)"
    )


@pytest.mark.parametrize(
    ("keyword", "close"), [("budgett", "budget"), ("wieghts", "weights"), ("polcy", "policy")]
)
def test_a_misspelt_keyword_gets_a_suggestion(five, keyword, close):
    with pytest.raises(
        InvalidArgumentError,
        match=rf"^unknown keyword '{keyword}'; did you mean "
        rf"'{close}'\?",
    ):
        planner.plan(five, **{keyword: 1})


def test_a_dotted_setting_that_does_not_exist_is_named_by_the_policy(five):
    with pytest.raises(InvalidPolicyError) as raised:
        planner.plan(five, priority__bogus=1)
    assert str(raised.value).endswith("the keyword arguments: unknown setting 'priority.bogus'")


def test_a_plan_given_with_a_policy_is_planned_again_under_it(five_plan, tmp_path):
    with pytest.raises(ArgumentTypeError, match=r"^policy must be a Policy.*not int \(3\)"):
        planner.board_pack(five_plan, 3)
    with pytest.raises(MissingFileError, match=r"^nope\.yaml: no such policy file"):
        planner.board_pack(five_plan, tmp_path / "nope.yaml")
    # a fifth of the budget: the plan runs longer; the plan's own settings are kept
    scaled = planner.plan(five_plan, budget_scale=0.05)
    assert scaled.policy.budget_for("2027/28") == pytest.approx(
        five_plan.policy.budget_for("2027/28") * 0.05
    )
    assert scaled.policy.priority == five_plan.policy.priority
    assert scaled.schedule["go_live"].max() > five_plan.schedule["go_live"].max()
    assert planner.plan(five_plan) is five_plan


def test_a_plan_is_scored_under_its_own_policy(five):
    weighted = planner.plan(five, weights={"risk": 0.2, "impact": 0.2, "cost": 0.6})
    assert planner.score(weighted)["priority"].equals(weighted.scores["priority"])
    assert not planner.score(five)["priority"].equals(weighted.scores["priority"])


def test_every_function_reads_a_register_through_its_mapping(tmp_path):
    # planner.plan(path, mapping=...) read the file without it and said to use a mapping
    path = tmp_path / "register.csv"
    path.write_text(
        "Ref,System,Decision,Replacement cost\nA1,PAS,Replace,£2m\nA2,LIMS,Replace,£1m\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "version: 1\nsystems:\n  sheet: register.csv\n  columns:\n    id: Ref\n"
        "    name: System\n    disposition: {column: Decision, values: {Replace: replace}}\n"
        "    replacement_cost_gbp: Replacement cost\n",
        encoding="utf-8",
    )
    result = planner.plan(path, mapping=mapping)
    assert set(result.schedule.index) == {"a1", "a2"}
    assert planner.score(path, mapping=mapping).shape[0] == 2
    assert planner.rank(path, mapping=mapping).index.tolist() == result.scores.index.tolist()
    assert len(planner.forecast(path, mapping=mapping, runs=5).programme) == 4
