"""What each lever is worth: hand-worked cases, a lever that cannot help, the command line.

Every project here costs £600,000 (under the trust board's approval threshold, so none
waits for a business case) and has no end of support, so its risk is the same every month
and a go-live ``k`` months sooner cuts risk exposure by ``k`` times its risk.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from inventory.errors import InvalidArgumentError
from planner.cli import app
from planner.levers import levers
from planner.plan import make_plan
from tests.conftest import write_csv
from tests.planner.conftest import inventory, simple_policy, system


def project(id, **fields):
    return system(id, replacement_cost_gbp_likely=600_000.0, **fields)


def plan(records, **policy_changes):
    return make_plan(inventory(records), simple_policy(**policy_changes))


def row(found, kind, contains=""):
    """The one lever of ``kind`` whose change mentions ``contains``."""
    table = found.table
    rows = table[(table["kind"] == kind) & table["change"].str.contains(contains, regex=False)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def unchanged(lever, end):
    """A lever that changes nothing: exactly 0, the plan as it is."""
    return (
        lever["months_sooner"] == 0
        and lever["risk_exposure_change"] == 0.0
        and lever["programme_end"] == end
        and lever["newly_scheduled"] == lever["newly_unscheduled"] == 0
        and lever["placed_by"] == "current plan"
    )


@pytest.mark.parametrize(
    "method", [{}, {"schedule.method": "optimal", "schedule.time_limit_seconds": 2}]
)
def test_one_more_person_lets_two_projects_run_together(method):
    # two 6-month projects each need the one integration FTE: a (critical) Apr-Sep 2027,
    # then b Oct 2027-Mar 2028. With 2 FTE both run Apr-Sep: b goes live 6 months sooner.
    records = [
        project("a", replacement_months_likely=6, team_demand={"integration": 1},
                criticality="critical"),
        project("b", replacement_months_likely=6, team_demand={"integration": 1}),
    ]  # fmt: skip
    result = plan(records, **{"schedule.teams": {"integration": 1}, **method})
    assert result.end == pd.Timestamp("2028-03-31")
    found = levers(result)
    team = row(found, "team", "integration")
    assert team["lever"] == "Add 1 FTE to the integration team"
    assert team["change"] == "integration 1 to 2 FTE (+1)"
    assert team["programme_end"] == pd.Timestamp("2027-09-30")
    assert team["months_sooner"] == 6
    assert result.scores.at["b", "risk"] == 16.0
    assert team["risk_exposure_change"] == -6 * 16.0
    assert found.table.index[0] == 1 and found.table.iloc[0]["kind"] == "team"
    # the plan spans one financial year, whose capital does not bind
    capital = row(found, "capital")
    assert capital["change"] == "2027/28 capital £1,000.0bn to £1,100.0bn (+£100.0bn)"
    assert unchanged(capital, result.end)


@pytest.mark.parametrize(
    ("uplift", "start", "months_sooner"),
    [
        # 2027/28's £750,000 + 10% = £825,000: a takes £600,000, b fits 4 months of £50,000
        (0.10, "2027-12", 1),
        # + 60% = £1.2m: b fits all 12 months in 2027/28 and starts with a
        (0.60, "2027-04", 9),
    ],
)
def test_more_capital_in_the_year_that_holds_a_project_back(uplift, start, months_sooner):
    # £600,000 over 12 months (£50,000 a month, all capital); £750,000 a year. a takes
    # £600,000 of 2027/28, b can put 3 months (£150,000) in it: Jan-Dec 2028.
    records = [project("a", criticality="critical"), project("b")]
    result = plan(
        records,
        **{"schedule.budget.default_gbp": 750_000, "money.capital_share.default": 1.0},
    )
    assert f"{result.units.at['b', 'start']:%Y-%m}" == "2028-01"
    found = levers(result, capital_uplift=uplift)
    first = row(found, "capital", "2027/28")
    assert first["lever"] == f"Add {uplift:.0%} to the 2027/28 capital budget"
    assert first["months_sooner"] == months_sooner
    assert first["risk_exposure_change"] == -months_sooner * result.scores.at["b", "risk"]
    go_live = pd.Period(start, "M") + 11
    assert first["programme_end"] == go_live.to_timestamp(how="end").normalize()
    # b spends only 9 months (£450,000) of 2028/29's £750,000: more there changes nothing
    assert unchanged(row(found, "capital", "2028/29"), result.end)


def test_lifting_a_freeze_month_brings_a_go_live_held_by_it_forward():
    # 9 months from April goes live in December; from May in January, from June in
    # February: with a December-February freeze it starts in July and goes live in March.
    result = plan([project("a", replacement_months_likely=9)], **{
        "schedule.freeze_months": [12, 1, 2]})  # fmt: skip
    assert result.end == pd.Timestamp("2028-03-31")
    found = levers(result)
    risk = result.scores.at["a", "risk"]
    for month, sooner in (("December", 3), ("January", 2), ("February", 1)):
        lever = row(found, "freeze", month)
        assert lever["lever"] == f"Lift the {month} change freeze"
        assert lever["months_sooner"] == sooner
        assert lever["risk_exposure_change"] == -sooner * risk
    assert found.table["change"].head(3).tolist() == [
        "go-lives allowed in December",
        "go-lives allowed in January",
        "go-lives allowed in February",
    ]


def test_ending_a_contract_early_lets_its_replacement_go_live_sooner():
    # the contract ends Sep 2028, so the 12-month replacement starts Oct 2027; ended early
    # (a break clause), it starts in April 2027 and goes live in March 2028
    result = plan([project("a", contract_end="2028-09-30")])
    assert result.units.at["a", "earliest_because"].startswith("so as not to go live before")
    found = levers(result)
    contract = row(found, "contract")
    assert contract["lever"] == "End the contract for A early (break clause)"
    assert contract["change"] == "a may go live before its contract ends (Sep 2028)"
    assert contract["programme_end"] == pd.Timestamp("2028-03-31")
    assert contract["months_sooner"] == 6
    assert contract["risk_exposure_change"] == -6 * result.scores.at["a", "risk"]
    assert found.table.index[0] == 1 and found.table.iloc[0]["kind"] == "contract"


def test_extending_a_contract_that_is_a_deadline_schedules_its_replacement():
    # contract ends are deadlines: a 12-month replacement cannot go live by Dec 2027, so
    # it is not scheduled; 12 more months let it run Apr 2027-Mar 2028. Its risk then
    # leaves in month 12 instead of never (the 180-month horizon).
    result = plan([project("a", contract_end="2027-12-31")], **{
        "schedule.contract_deadline": True})  # fmt: skip
    assert not result.units.at["a", "scheduled"]
    found = levers(result)
    assert found.end is None
    contract = row(found, "contract")
    assert contract["lever"] == "Extend the contract for A by 12 months"
    assert contract["change"] == "a must go live by Dec 2028, not Dec 2027"
    assert contract["newly_scheduled"] == 1 and contract["newly_unscheduled"] == 0
    assert contract["programme_end"] == pd.Timestamp("2028-03-31")
    assert contract["months_sooner"] == -12  # a programme where there was none
    horizon = result.calendar.months
    assert contract["risk_exposure_change"] == -(horizon - 12) * result.scores.at["a", "risk"]
    # go-live no earlier than the contract's end is not what holds it back: nothing to end
    assert (found.table["lever"].str.startswith("End the contract")).sum() == 0


def test_a_lever_that_cannot_help_reports_exactly_zero():
    # ample budgets and people, no freeze: both run April 2027 to March 2028
    result = plan([project("a"), project("b")])
    found = levers(result, fte=3)
    assert found.table["lever"].tolist() == [  # the one team, the one year the plan spans
        "Add 3 FTE to the integration team",
        "Add 10% to the 2027/28 capital budget",
    ]
    assert all(unchanged(lever, result.end) for _, lever in found.table.iterrows())
    assert found.helpful.empty
    assert repr(found) == (
        "<Levers: 2 levers on the plan ending Mar 2028; none brings it sooner or cuts its "
        "risk exposure>"
    )


def test_risk_exposure_is_the_area_under_the_plan_burndown():
    # a's risk counts from month 0 until it goes live in month 5: 6 months of it
    result = plan([project("a", replacement_months_likely=6)])
    found = levers(result)
    assert found.exposure == result.risk_exposure == 6 * result.scores.at["a", "risk"]


@pytest.mark.parametrize(
    ("options", "argument"),
    [({"fte": 0}, "fte"), ({"capital_uplift": -0.1}, "capital_uplift"),
     ({"fte": float("inf")}, "fte"), ({"fte": True}, "fte")],
)  # fmt: skip
def test_bad_options_are_refused(options, argument):
    result = plan([project("a")])
    with pytest.raises(InvalidArgumentError) as error:
        levers(result, **options)
    assert error.value.argument == argument


def test_the_command_prints_the_ranked_levers(tmp_path):
    folder = tmp_path / "trust"
    folder.mkdir()
    write_csv(
        folder / "systems.csv",
        [
            {"id": "pas", "name": "PAS", "disposition": "replace", "contract_end": "2028-09-30",
             "replacement_cost_gbp_likely": 600_000, "replacement_months_likely": 12},
        ],
    )  # fmt: skip
    runner = CliRunner()
    result = runner.invoke(app, ["levers", str(folder), "--capital-uplift", "0.2"])
    assert result.exit_code == 0, result.output
    policy_line, *lines = result.output.splitlines()  # which policy, then the levers
    assert policy_line.startswith("Policy: policy.yaml (sha256 ")
    # the default policy: five teams, two financial years, three freeze months, one contract
    assert lines[0].startswith("12 levers on the plan ending Sep 2028; 1 of them helps")
    assert "End the contract for PAS early" in lines[0]
    assert "Levers, most risk exposure cut first" in result.output
    assert "£14.4m" in result.output and "(+£2.4m)" in result.output  # 2027/28 + 20%
    result = runner.invoke(app, ["levers", str(folder), "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.startswith("rank,lever,kind,change,programme_end,months_sooner,")
    assert "\n1,End the contract for PAS early (break clause),contract," in result.output
    result = runner.invoke(app, ["levers", str(folder), "--fte", "0"])
    assert result.exit_code == 2
    assert "fte must be a number above 0, not 0" in result.output
    assert "Traceback" not in result.output


def test_a_binding_project_cap_has_a_lever():
    # three 6-month projects, at most 2 at once: a and b Apr-Sep 2027, c Oct 2027-Mar 2028.
    # Allowing 3 at once (2 + a fifth, rounded up) lets c run beside them: 6 months sooner.
    records = [
        project("a", replacement_months_likely=6, criticality="critical"),
        project("b", replacement_months_likely=6, criticality="critical"),
        project("c", replacement_months_likely=6),
    ]
    result = plan(records, **{"schedule.max_concurrent_projects": 2})
    assert result.end == pd.Timestamp("2028-03-31")
    cap = row(levers(result), "cap")
    assert cap["lever"] == "Allow 3 projects at once"
    assert cap["change"] == (
        "at most 2 to 3 projects running at once (schedule.max_concurrent_projects)"
    )
    assert cap["programme_end"] == pd.Timestamp("2027-09-30")
    assert cap["months_sooner"] == 6
    assert cap["risk_exposure_change"] == -6 * result.scores.at["c", "risk"]
    # no cap, no cap lever
    assert (levers(plan(records)).table["kind"] != "cap").all()
