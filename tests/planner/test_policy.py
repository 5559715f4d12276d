from __future__ import annotations

import pandas as pd
import pytest

from inventory.errors import InvalidPolicyError, MissingFileError
from planner.policy import financial_year, load_policy


def messages(error) -> list[str]:
    return [str(issue) for issue in error.report.sorted()]


def test_default_policy_loads():
    policy = load_policy()
    assert policy.plan_start == pd.Timestamp("2027-04-01")
    assert policy.schedule.freeze_months == (12, 1, 2)
    assert policy.schedule.teams["clinical safety"] == 1.5


def test_a_policy_file_only_needs_what_it_changes(tmp_path):
    path = tmp_path / "board.yaml"
    path.write_text(
        "plan_start: 2028-04-01\npriority:\n  weights: {risk: 1, impact: 0, cost: 0}\n"
        "schedule:\n  teams: {Integration: 2}\n  budget:\n    by_year: {2028/29: 3.5m}\n"
    )
    policy = load_policy(path)
    assert policy.plan_start == pd.Timestamp("2028-04-01")
    assert policy.priority.weights.model_dump() == {"risk": 1.0, "impact": 0.0, "cost": 0.0}
    assert policy.schedule.teams == {"integration": 2.0}  # your teams replace the default ones
    assert policy.budget_for("2028/29") == 3_500_000
    assert policy.budget_for("2029/30") == 10_000_000  # the default for unlisted years
    assert policy.risk == load_policy().risk


def test_policy_errors_are_located_and_say_how_to_fix(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "risk:\n  likelyhood: {}\npriority:\n  weights: {risk: high}\n"
        "ordering:\n  precedence: sideways\nschedule:\n  freeze_months: [13]\n"
        "  budget:\n    by_year: {next year: 1m}\n"
    )
    with pytest.raises(InvalidPolicyError) as error:
        load_policy(path)
    assert messages(error.value) == [
        "bad.yaml: ordering.precedence 'sideways' is not one of: providers-first, "
        "consumers-first, none",
        "bad.yaml: priority.weights.risk 'high' is not a number of zero or more",
        "bad.yaml: unknown setting 'risk.likelyhood'; did you mean 'risk.likelihood'?",
        "bad.yaml: 'next year' is not a financial year; write it like 2027/28",
        "bad.yaml: schedule.freeze_months must be a list of month numbers 1-12, like [12, 1, 2]",
    ]


def test_dotted_overrides_change_one_entry():
    policy = load_policy(overrides={"schedule.budget.by_year.2027/28": "4.5m"})
    assert policy.budget_for("2027/28") == 4_500_000
    assert policy.budget_for("2028/29") == 16_000_000


def test_keyword_overrides():
    assert load_policy(plan_start="2030-06-15").plan_start == pd.Timestamp("2030-06-01")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("01/04/2028", "2028-04-01"),  # day first, as in the UK (pandas alone read 4 January)
        ("15/04/2028", "2028-04-01"),  # the month it falls in
        ("Apr 2028", "2028-04-01"),
        ("2028-04-01", "2028-04-01"),
    ],
)
def test_the_plan_start_is_read_as_the_inventorys_dates_are(written, expected):
    assert load_policy(overrides={"plan_start": written}).plan_start == pd.Timestamp(expected)


def test_an_impossible_plan_start_says_why():
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy(overrides={"plan_start": "31/02/2028"})
    assert [issue.message for issue in raised.value.report.errors] == [
        "plan_start '31/02/2028' is not a real date: there is no day 31 in month 2 of 2028"
    ]


def test_financial_year_boundaries():
    assert financial_year(pd.Timestamp("2027-03-31")) == "2026/27"
    assert financial_year(pd.Timestamp("2027-04-01")) == "2027/28"
    assert financial_year(pd.Timestamp("2099-12-31")) == "2099/00"


def test_policy_round_trips_through_yaml(tmp_path):
    policy = load_policy(overrides={"ordering.precedence": "none"})
    path = tmp_path / "copy.yaml"
    path.write_text(policy.to_yaml())
    assert load_policy(path) == policy


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (
            "stability.fragile_share",
            [0.9, 0.1],
            "stability.fragile_share must be two shares from 0 to 1, the lower first, "
            "like [0.2, 0.8]",
        ),
        (
            "blast_radius.hard_kinds",
            ["infra"],
            "blast_radius.hard_kinds has ['infra'], not in: HL7 v2, FHIR, DICOM, messaging, "
            "file transfer, database link, API, authentication, infrastructure, manual, other",
        ),
        (
            "uncertainty.distribution",
            "normal",
            "uncertainty.distribution 'normal' is not one of: triangular, pert",
        ),
        # a range turned around (low above the likely value, high below it)
        ("uncertainty.spread.low", 1.2, "uncertainty.spread.low '1.2' is not a number from 0 to 1"),
        (
            "uncertainty.spread.high",
            0.5,
            "uncertainty.spread.high '0.5' is below 1; the high estimate is at least the likely "
            "one",
        ),
    ],
)
def test_uncertainty_and_blast_settings_are_checked(setting, value, message):
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy().with_overrides({setting: value})
    assert [issue.message for issue in raised.value.report.errors] == [message]


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("risk.likelihood.support.past", float("nan"), "'nan' is not a number of zero or more"),
        ("schedule.budget.default_gbp", float("inf"), "'inf' is not a number of zero or more"),
        ("schedule.teams.integration", float("nan"), "'nan' is not a number of zero or more"),
        ("horizon_months", 0, "'0' is not a whole number from 1 to 1,200"),
        ("horizon_months", 100_000_000, "'100000000' is not a whole number from 1 to 1,200"),
        ("schedule.passes", 1e9, "'1000000000.0' is not a whole number from 1 to 100,000"),
        ("uncertainty.runs", 2.5, "'2.5' is not a whole number from 1 to 1,000,000"),
        ("plan_start", 9999, "'9999' is not a date from 1900 to 2100"),
        ("schedule.respect_contract_end", "yes", "'yes' is not true or false"),
        ("priority.weights", {"risk": 0, "impact": 0, "cost": 0}, None),
        # each impact score is a share of its reference: 0 made priorities blank (NaN)
        ("impact.references.downstream", 0, "'0' is not a number above 0"),
        (
            "cost.money_reference_gbp",
            10_000,
            "'10,000' is not above money_floor_gbp (10,000); the money score runs from the "
            "floor (0) to the reference (100)",
        ),
    ],
)
def test_numbers_are_finite_and_in_range(setting, value, message):
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy(overrides={setting: value})
    expected = (
        "priority.weights add up to 0; give at least one weight above 0"
        if message is None
        else f"{setting} {message}"
    )
    assert [issue.message for issue in raised.value.report.errors] == [expected]


def test_a_financial_year_given_twice_is_refused(tmp_path):
    path = tmp_path / "years.yaml"
    path.write_text("schedule:\n  budget:\n    by_year: {2027/28: 1m, FY2027-28: 2m}\n")
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy(path)
    assert messages(raised.value) == [
        "years.yaml: schedule.budget.by_year gives 2027/28 twice ('2027/28' and 'FY2027-28'); "
        "keep one of them"
    ]


def test_problems_name_where_they_came_from(tmp_path):
    path = tmp_path / "board.yaml"
    path.write_text("schedule:\n  passes: 0\n")
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy(path)
    assert [i.source for i in raised.value.report.errors] == ["board.yaml"]
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy(overrides={"schedule.passes": 0})
    assert [i.source for i in raised.value.report.errors] == ["the overrides"]
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy().with_overrides({"schedule.passes": 0}, source="the command line")
    assert messages(raised.value) == [
        "the command line: schedule.passes '0' is not a whole number from 1 to 100,000"
    ]


def test_unknown_settings_inside_a_users_own_mapping_get_a_suggestion():
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy(overrides={"defaults.categories": {"EPR": {"replacement_cost": "30m"}}})
    assert [issue.message for issue in raised.value.report.errors] == [
        "unknown setting 'defaults.categories.EPR.replacement_cost'; did you mean "
        "'defaults.categories.EPR.replacement_cost_gbp'?"
    ]


def test_the_error_lists_its_problems_and_is_a_value_error():
    with pytest.raises(ValueError) as raised:
        load_policy(overrides={"schedule.passes": 0, "horizon_months": -1})
    assert str(raised.value) == (
        "2 problems in the policy from the overrides (fix the settings listed; the default "
        "policy.yaml documents each one):\n"
        "  the overrides: horizon_months '-1' is not a whole number from 1 to 1,200\n"
        "  the overrides: schedule.passes '0' is not a whole number from 1 to 100,000"
    )


def test_a_missing_policy_file_names_the_full_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MissingFileError) as raised:
        load_policy("nowhere/policy.yaml")
    assert isinstance(raised.value, FileNotFoundError)
    assert (
        raised.value.message == f"policy.yaml: no such policy file ({tmp_path}/nowhere/policy.yaml)"
    )
    assert raised.value.hint == f"check the path; relative paths are read from {tmp_path}"


def test_broken_yaml_is_located(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("schedule:\n  teams: {a: 1\n")
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy(path)
    (issue,) = raised.value.report.errors
    assert (issue.source, issue.row_label) == ("broken.yaml", "line")
    assert issue.message.startswith("is not valid YAML:")


def test_typed_settings_read_as_attributes():
    policy = load_policy()
    assert policy.schedule.budget.by_year["2027/28"] == 12_000_000
    assert policy.risk.consequence.criticality.critical == 4.0
    assert policy.blast_radius.hard_kinds == ("infrastructure", "database link", "authentication")


def test_a_policy_naming_one_category_keeps_the_others_defaults(tmp_path):
    own = tmp_path / "trust.yaml"
    own.write_text("defaults:\n  categories:\n    other: {replacement_cost_gbp: 20000}\n")
    categories = load_policy(own).defaults.categories
    assert categories["other"].replacement_cost_gbp == 20_000
    assert categories["other"].replacement_months == 4  # the default's, kept
    assert categories["EPR"].replacement_cost_gbp == 30_000_000  # not dropped


def test_a_policys_teams_are_its_own_and_replace_the_examples(tmp_path):
    own = tmp_path / "trust.yaml"
    own.write_text("schedule:\n  teams: {integration: 2}\n")
    assert load_policy(own).schedule.teams == {"integration": 2.0}


def test_a_misspelt_team_in_the_policy_is_named():
    import planner
    from tests.planner.conftest import inventory, system

    result = planner.plan(
        inventory([system("a", team_demand={"integration": 1})]),
        teams={"integraton": 2},
    )
    (message,) = result.warnings.loc[result.warnings["kind"] == "capacity", "message"]
    assert message == (
        "team 'integration' has no capacity in the policy; its demand was not limited (the "
        "policy names a team 'integraton': a misspelling of 'integration'? add it under "
        "schedule.teams)"
    )
