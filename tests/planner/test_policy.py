from __future__ import annotations

import pandas as pd
import pytest

from inventory.errors import InvalidPolicyError
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
    ],
)
def test_uncertainty_and_blast_settings_are_checked(setting, value, message):
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy().with_overrides({setting: value})
    assert [issue.message for issue in raised.value.report.errors] == [message]
