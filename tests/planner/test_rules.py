"""Each planning rule of issue 12 on a case small enough to work by hand.

Plans start in April 2027 (month 0); ``simple_policy`` turns every rule off unless a test
turns it on, so each test sees only its own rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner import plan_checks
from planner.explain import explain_system
from planner.plan import make_plan
from planner.schedule.scheduler import schedule_units
from tests.planner.conftest import inventory, simple_policy, system

CLINICAL_TEAMS = {"integration": 100, "clinical safety": 10}


def plan(records, deps=(), **changes):
    return make_plan(inventory(records, deps), simple_policy(**changes))


def go_lives(result, units):
    return [f"{result.units.loc[u, 'go_live']:%Y-%m}" for u in units]


def starts(result, units):
    return [f"{result.units.loc[u, 'start']:%Y-%m}" for u in units]


# --- go-lives ---------------------------------------------------------------------------


def test_at_most_n_go_lives_a_month_and_decommissioning_is_not_one():
    """Four one-month replacements and a one-month retirement, at most two go-lives a month:
    two go live in April, two in May; the retirement is not counted and goes in April."""
    records = [system(s, replacement_months_likely=1) for s in "abcd"]
    records.append(system("old", disposition="retire", replacement_months_likely=1))
    result = plan(records, **{"schedule.go_live.per_month": 2, "ordering.retire.months": 1})
    assert sorted(go_lives(result, "abcd")) == ["2027-04", "2027-04", "2027-05", "2027-05"]
    assert go_lives(result, ["old"]) == ["2027-04"]


def test_the_go_live_limit_is_per_organisation():
    """Two trusts of a group, two go-lives a month each: all four go live in April."""
    records = [
        system(s, replacement_months_likely=1, organisation=org)
        for s, org in (("a", "RXX"), ("b", "RXX"), ("c", "RYY"), ("d", "RYY"))
    ]
    result = plan(records, **{"schedule.go_live.per_month": 2})
    assert go_lives(result, "abcd") == ["2027-04"] * 4


def test_clinical_go_lives_in_one_department_are_spaced():
    """Two patient-facing, high-criticality radiology systems (clinical-safety class medium),
    three months apart at least: April and July. A low-class go-live is not spaced."""
    records = [
        system(
            s,
            replacement_months_likely=1,
            patient_facing=True,
            criticality="high",
            department="Radiology",
        )
        for s in ("ris", "pacs")
    ]
    records.append(
        system(
            "scanner",
            replacement_months_likely=1,
            patient_facing=True,
            criticality="low",
            department="Radiology",
        )
    )
    records.append(system("coding", replacement_months_likely=1, department="Radiology"))
    result = plan(
        records,
        **{"schedule.go_live.clinical_gap_months": 3, "schedule.teams": CLINICAL_TEAMS},
    )
    assert sorted(go_lives(result, ["ris", "pacs"])) == ["2027-04", "2027-07"]
    assert go_lives(result, ["coding", "scanner"]) == ["2027-04", "2027-04"]


def test_clinical_go_lives_through_one_engine_are_spaced():
    records = [
        system("tie", category="integration engine", disposition="retain"),
        system("ed", replacement_months_likely=1, patient_facing=True, criticality="critical"),
        system("lims", replacement_months_likely=1, patient_facing=True, criticality="high"),
    ]
    deps = [
        {"consumer": "ed", "provider": "tie", "kind": "HL7 v2"},
        {"consumer": "lims", "provider": "tie", "kind": "HL7 v2"},
    ]
    result = plan(
        records,
        deps,
        **{"schedule.go_live.clinical_gap_months": 2, "schedule.teams": CLINICAL_TEAMS},
    )
    assert sorted(go_lives(result, ["ed", "lims"])) == ["2027-04", "2027-06"]
    assert result.units.loc["ed", "engines"] == ("tie",)


def test_no_major_go_live_in_the_stabilisation_window_of_another():
    """Two £6m projects of 12 months in one trust, a major go-live at £5m, 3 months'
    stabilisation: March 2028 and June 2028 (a small project is not held)."""
    records = [
        system(s, organisation="RXX", replacement_cost_gbp_likely=6e6) for s in ("epr", "lims")
    ]
    records.append(system("small", organisation="RXX"))
    result = plan(
        records,
        **{"schedule.go_live.stabilisation_months": 3, "schedule.go_live.major_cost_gbp": 5e6},
    )
    assert sorted(go_lives(result, ["epr", "lims"])) == ["2028-03", "2028-06"]
    assert go_lives(result, ["small"]) == ["2028-03"]


# --- approvals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cost", "run", "approval", "start"),
    [
        (500_000, 0, "", "2027-04"),  # below the board's limit
        (2_000_000, 0, "trust board", "2027-07"),  # board: 3 months
        (26_000_000, 0, "national", "2028-01"),  # capital above £25m: 9 months
        (10_000_000, 2_500_000, "national", "2028-01"),  # whole life 10m + 10 x 2.5m = 35m > 30m
    ],
)
def test_business_cases_are_approved_before_the_project_starts(cost, run, approval, start):
    rules = {
        "schedule.approval.board_gbp": 1e6,
        "schedule.approval.national_capital_gbp": 25e6,
        "schedule.approval.national_whole_life_gbp": 30e6,
    }
    result = plan([system("a", replacement_cost_gbp_likely=cost, annual_run_cost_gbp=run)], **rules)
    assert result.units.loc["a", "approval"] == approval
    assert starts(result, "a") == [start]
    if approval:
        assert result.units.loc["a", "earliest_because"] == "once its business case is approved"


# --- clinical safety ----------------------------------------------------------------------


def test_a_clinical_go_live_is_preceded_by_its_safety_case_sign_off():
    """A patient-facing critical system (class high) of 6 months from April: go-live
    September, sign-off two months before go-live starts: August."""
    result = plan(
        [system("ed", replacement_months_likely=6, patient_facing=True, criticality="critical")],
        **{"schedule.teams": CLINICAL_TEAMS},
    )
    row = result.units.loc["ed"]
    assert row["clinical_safety_class"] == "high"
    assert f"{row['safety_signoff']:%Y-%m-%d}" == "2027-08-01"
    assert f"{row['go_live']:%Y-%m-%d}" == "2027-09-30"


def test_the_safety_team_writes_one_case_at_a_time_when_it_has_room_for_one():
    """Two class-high go-lives need 0.4 FTE of the safety team in their last two months; a
    team of 0.5 holds one case at a time: the second's case starts when the first's ends
    (October), so it goes live in November and starts in June."""
    records = [
        system(s, replacement_months_likely=6, patient_facing=True, criticality="critical")
        for s in ("ed", "icu")
    ]
    result = plan(records, **{"schedule.teams": {"integration": 100, "clinical safety": 0.5}})
    assert sorted(go_lives(result, ["ed", "icu"])) == ["2027-09", "2027-11"]
    assert sorted(starts(result, ["ed", "icu"])) == ["2027-04", "2027-06"]


def test_a_system_that_asks_for_safety_effort_already_has_its_case_in_it():
    result = plan(
        [
            system(
                "ed",
                replacement_months_likely=6,
                patient_facing=True,
                criticality="critical",
                team_demand={"clinical safety": 0.3},
            ),
            system(
                "icu",
                replacement_months_likely=6,
                patient_facing=True,
                criticality="critical",
                team_demand={"clinical safety": 0.3},
            ),
        ],
        **{"schedule.teams": {"integration": 100, "clinical safety": 0.6}},
    )
    assert go_lives(result, ["ed", "icu"]) == ["2027-09", "2027-09"]  # no extra tail demand
    assert result.units["safety_signoff"].notna().all()


# --- money ------------------------------------------------------------------------------


def test_capital_and_revenue_are_separate_limits():
    """£1.2m over 12 months, a quarter capital: £75k of revenue a month against £600k a
    year. From April all 12 months fall in 2027/28 (£900k); the first start that keeps 2027/28
    to 8 months (£600k) is August."""
    result = plan(
        [system("a", replacement_cost_gbp_likely=1.2e6, capital_share=0.25)],
        **{"schedule.revenue_budget.default_gbp": 600_000},
    )
    assert starts(result, "a") == ["2027-08"]
    spend = result.spend_by_fy
    assert spend.loc["2027/28", ["capital_gbp", "revenue_gbp"]].round().tolist() == [
        200_000,
        600_000,
    ]
    held = result.held.iloc[0]
    assert (held["held_by"], held["what"], held["need"], held["free"]) == (
        "revenue budget",
        "2027/28",
        900_000,
        600_000,
    )
    assert "revenue in 2027/28: it needs £900,000 and £600,000 is left" in str(
        explain_system(result, "a")
    )


def test_spend_by_year_and_spend_profiles():
    """£10m over 24 months split 70/30 by project year; a 12-month front-loaded project of
    £780k spends (12 - k) / 78 of it in month k: £120k in April, £10k in March."""
    result = plan(
        [
            system(
                "epr",
                replacement_cost_gbp_likely=10e6,
                replacement_months_likely=24,
                spend_by_year=(0.7, 0.3),
            ),
            system("pas", replacement_cost_gbp_likely=780_000, spend_profile="front-loaded"),
        ]
    )
    by_year = result.unit_spend.loc["epr", ["2027/28", "2028/29"]].round().tolist()
    assert by_year == [7_000_000, 3_000_000]
    monthly = result.problem.place(result.sequence).by_month[0]
    assert monthly[0] == pytest.approx(10e6 * 0.7 / 12 + 120_000)
    assert monthly[11] == pytest.approx(10e6 * 0.7 / 12 + 10_000)


def test_decommissioning_cost_scales_with_the_data_to_archive():
    result = plan(
        [
            system("big", disposition="retire", data_to_archive_gb=1000),
            system("small", disposition="retire", replacement_cost_gbp_likely=500_000),
        ]
    )
    costs = result.schedule["cost_gbp"]
    assert costs["big"] == 15_000 + 40 * 1000  # base + £40 a GB
    assert costs["small"] == 50_000  # no size given: 10% of the replacement cost


# --- retire with the replacement -------------------------------------------------------


def window_case(busy_months: int):
    """A (12 months) absorbs B (a 3-month decommissioning that needs the one data migration
    engineer); C, placed first, holds that engineer for ``busy_months`` from month 12."""
    units = pd.DataFrame(
        {
            "months": [12, 3, busy_months, 12],
            "cost_gbp": 0.0,
            "team_demand": [{}, {"data migration": 1}, {"data migration": 1}, {}],
            "decommission": [False, True, False, False],
        },
        index=["a", "b", "c", "lead"],
    )
    # 'lead' (12 months) goes first and 'c' waits for it, so C holds months 12..
    links = pd.DataFrame(
        {"before": ["a", "lead"], "after": ["b", "c"], "reason": ["replaced_by", "after"]}
    )
    priority = pd.Series({"lead": 4.0, "c": 3.0, "a": 2.0, "b": 1.0})
    policy = simple_policy(**{"schedule.teams": {"data migration": 1}, "schedule.passes": 1})
    ties = pd.DataFrame({"absorber": ["a"], "absorbed": ["b"]})
    return schedule_units(units, links, priority, policy, ties=ties), ties


def test_an_absorber_waits_so_what_it_absorbs_is_decommissioned_in_the_window():
    """C holds months 12-17. At its first start (0) A goes live in month 11 and B would have
    to finish by 17: no room. From month 3 A goes live in 14 and B fits in 18-20 (<= 14 + 6)."""
    result, _ = window_case(6)
    units = result.units
    assert units.loc["c", "start_month"] == 12
    assert (units.loc["a", "start_month"], units.loc["b", "start_month"]) == (3, 18)
    held = result.held[result.held["unit"] == "a"]
    assert held["held_by"].tolist() == ["decommissioning window"]
    assert (f"{held['from'].iloc[0]:%Y-%m}", f"{held['to'].iloc[0]:%Y-%m}") == (
        "2027-04",
        "2027-06",
    )


def test_an_absorber_does_not_wait_longer_than_the_window_and_the_miss_is_warned():
    """C holds months 12-23: B cannot go before 24, so A would wait 9 months (more than the
    6-month window): A keeps month 0, B follows in its own turn and is warned."""
    result, ties = window_case(12)
    units = result.units
    assert (units.loc["a", "start_month"], units.loc["b", "start_month"]) == (0, 24)
    warnings = plan_checks.window_warnings(units, ties, 6, result.held)
    assert warnings[0]["message"].startswith(
        "1 system absorbed by a is decommissioned later than 6 months after it goes live: "
        "b (15 months)"
    )
    assert "mostly held by team capacity (data migration)" in warnings[0]["message"]


# --- contracts, accepted risks, run costs, the year end --------------------------------


def test_a_replacement_after_its_contract_end_is_warned_with_the_extension():
    """Contract ended March 2026; a 12-month replacement from April 2027 goes live March
    2028 and the old system runs 3 more months read-only: 15 months from the plan start
    to June 2028, at £10k a month."""
    result = plan(
        [system("a", contract_end="2026-03-31", annual_run_cost_gbp=120_000)],
        **{"schedule.respect_contract_end": False},
    )
    extension = result.contract_extensions.loc["a"]
    assert (int(extension["months"]), extension["cost_gbp"]) == (15, 150_000)
    assert f"{extension['runs_until']:%Y-%m}" == "2028-06"
    # it ends before the plan starts: said so, and its months before the plan are not the
    # plan's to cost
    assert result.warnings.loc[result.warnings["kind"] == "contract", "message"].tolist() == [
        "a's contract ends Mar 2026, before the plan starts (Apr 2027), and it runs until Jun "
        "2028 in the plan: extend it by 15 months from Apr 2027 (£150,000 at its current run "
        "rate), or negotiate the extension now"
    ]
    assert result.summary()["contracts to extend"] == 1


def test_a_contract_ending_during_the_plan_is_extended_from_its_end():
    """Contract ends September 2027 (month 5 of the plan); the system runs until June 2028
    (month 14): 9 months from October 2027, at £10k a month."""
    result = plan(
        [system("a", contract_end="2027-09-30", annual_run_cost_gbp=120_000)],
        **{"schedule.respect_contract_end": False},
    )
    extension = result.contract_extensions.loc["a"]
    assert (int(extension["months"]), extension["cost_gbp"]) == (9, 90_000)
    assert result.warnings.loc[result.warnings["kind"] == "contract", "message"].tolist() == [
        "a's contract ends Sep 2027 but it runs until Jun 2028 in the plan: extend it by 9 "
        "months (£90,000 at its current run rate), or negotiate the extension now"
    ]


def test_retained_systems_at_high_or_extreme_risk_are_accepted_risks():
    records = [
        system(
            "vms",
            disposition="retain",
            end_of_support="2019-01-01",
            criticality="critical",
            known_vulnerabilities=5,
            skills_scarcity="critical",
            hosting="on-premises",
        ),
        system("intranet", disposition="retain", criticality="low"),
        system("a"),
    ]
    result = plan(records)
    assert result.accepted_risks.index.tolist() == ["vms"]
    assert result.accepted_risks.loc["vms", "risk_rating"] in ("high", "extreme")
    assert result.summary()["accepted risks"] == 1
    (message,) = result.warnings.loc[result.warnings["kind"] == "accepted risk", "message"]
    assert message.startswith("1 retained system stays at high or extreme risk: vms (")


def test_run_costs_show_double_running_until_the_legacy_system_stops():
    """'old' (£120k a year) is replaced in 12 months by something costing £60k a year; it
    runs 3 months beside it (parallel running). 'pas' (£240k) is absorbed by the new 'epr'
    (£360k a year once live, nothing before) and decommissioned 3 months after its go-live.

    2027/28: old 120k + pas 240k = 360k, nothing new, no double running.
    2028/29: old 3 x 10k = 30k (all double running), its replacement 12 x 5k = 60k; pas
    3 x 20k = 60k (double running), the EPR 12 x 30k = 360k."""
    records = [
        system("old", annual_run_cost_gbp=120_000, future_run_cost_gbp=60_000),
        system("epr", status="planned", annual_run_cost_gbp=360_000),
        system("pas", disposition="retire", replaced_by="epr", annual_run_cost_gbp=240_000),
    ]
    result = plan(records, **{"ordering.retire.months": 3})
    assert result.schedule.loc["pas", "start_month"] == 12
    costs = result.run_costs.round()
    assert costs.loc["2027/28"].tolist() == [360_000, 360_000, 360_000, 0, 0]
    assert costs.loc["2028/29"].tolist() == [360_000, 510_000, 90_000, 420_000, 90_000]


def test_capital_bunched_before_31_march_is_warned():
    """A 3-month project that may not go live before its contract ends in March 2028
    spends all its capital in January-March 2028."""
    result = plan(
        [system("a", replacement_months_likely=3, contract_end="2028-03-31")],
    )
    assert starts(result, "a") == ["2028-01"]
    messages = result.warnings.loc[result.warnings["kind"] == "budget", "message"].tolist()
    assert messages == [
        "2027/28: £1,200,000 of its £1,200,000 capital (100%) falls in January-March; a slip "
        "of a few weeks leaves it unspent at 31 March, and NHS capital is not carried forward: "
        "keep schemes ready to draw it"
    ]


def test_every_month_between_the_earliest_and_the_planned_start_is_explained():
    """A freeze, then a team: each month from the earliest start to the start is held by
    something, and explain names it."""
    records = [
        system("first", replacement_months_likely=10, team_demand={"integration": 1}),
        system("second", replacement_months_likely=4, team_demand={"integration": 1}),
    ]
    result = plan(
        records, **{"schedule.teams": {"integration": 1}, "schedule.freeze_months": [12, 1, 2]}
    )
    later = result.units["start"].idxmax()
    held = result.held[result.held["unit"] == later]
    start = result.units.loc[later, "start"]
    covered = sum(
        (row["to"].to_period("M") - row["from"].to_period("M")).n + 1 for _, row in held.iterrows()
    )
    earliest = result.units.loc[later, "earliest_start"]
    assert covered == (start.to_period("M") - earliest.to_period("M")).n > 0
    text = str(explain_system(result, later))
    assert "the integration team: it needs 1 FTE a month and only 0 is free" in text
    assert np.all(held["from"].to_numpy()[1:] > held["to"].to_numpy()[:-1])


# --- the sample trust -------------------------------------------------------------------


def test_on_the_sample_trust_the_pas_goes_with_the_epr_and_no_money_lies_idle():
    """The PAS is decommissioned within 6 months of the EPR's go-live; no financial year
    leaves more than half its capital unspent while a project waits for money."""
    import planner

    result = planner.plan("data/sample-trust")
    schedule = result.schedule
    epr, pas = schedule.loc["epr", "go_live"], schedule.loc["pas", "go_live"]
    assert epr < pas <= epr + pd.offsets.MonthEnd(6)
    waiting_for_money = result.held[result.held["held_by"] == "capital budget"]
    spend = result.spend_by_fy
    for year in waiting_for_money["what"].unique():
        assert spend.loc[year, "capital_gbp"] >= 0.5 * spend.loc[year, "capital_budget_gbp"]


def test_a_contract_end_can_be_a_hard_deadline():
    """With contract_deadline on, a 12-month replacement of a system whose contract ends in
    December 2027 cannot go live by then: it is not scheduled, and the reason says so; with
    the contract ending in March 2028 it goes live exactly then."""
    rules = {"schedule.contract_deadline": True, "schedule.respect_contract_end": False}
    late = plan([system("a", contract_end="2027-12-31")], **rules)
    assert not late.units.loc["a", "scheduled"]
    assert late.units.loc["a", "not_scheduled_because"] == (
        "cannot go live by its contract's end (Dec 2027)"
    )
    assert late.headline == "0 of 1 projects planned (£0.0m); 1 not scheduled (1 systems, £1.2m)"
    on_time = plan([system("a", contract_end="2028-03-31")], **rules)
    assert go_lives(on_time, "a") == ["2028-03"]


def test_the_bundled_example_budgets_and_teams_are_named_as_such():
    from planner.plan_checks import example_warnings
    from planner.policy import load_policy

    both = example_warnings(load_policy())
    assert [w["kind"] for w in both] == ["assumption"]
    assert both[0]["message"].startswith(
        "the capital budgets (£10.0m a year; £12.0m-£22.0m in 2027/28-2032/33) and the team "
        "capacity (integration 4, infrastructure 6, clinical safety 1.5, data migration 3, "
        "training 4 full-time people) are the bundled example policy's"
    )
    own_money = load_policy(overrides={"schedule.budget.by_year": {"2027/28": 3e6}})
    (teams_only,) = example_warnings(own_money)
    assert teams_only["message"].startswith("the team capacity (integration 4")
    assert " is the bundled example policy's" in teams_only["message"]
    own_both = load_policy(
        overrides={"schedule.budget.default_gbp": 5e6, "schedule.teams.training": 1}
    )
    assert example_warnings(own_both) == []


def test_a_register_that_keeps_every_system_says_why_nothing_is_planned():
    result = plan([system("pas", disposition="retain"), system("ris", disposition="retain")])
    unscheduled = result.warnings[result.warnings["kind"] == "unscheduled"]["message"].tolist()
    assert unscheduled == [
        "nothing is planned: all 2 systems are kept (disposition retain) or already retired; the "
        "disposition of each system (replace, replatform, rehost, refactor or retire) says what "
        "the plan changes, and a register without one keeps every system"
    ]
    assert result.headline == "No projects: every system is retained or retired"


def test_a_system_replaced_by_one_in_the_register_is_not_costed_twice():
    """'pas' (£240k a year) is replaced by 'epr' (new, £360k a year once live): the EPR
    goes live at month 12, the PAS's own project after it (month 23), and the PAS stops 3
    months later (month 27). What replaced the PAS is the EPR, counted once on it.

    2027/28: pas 240k. 2028/29: pas 240k + epr 12 x 30k. 2029/30: pas 3 x 20k = 60k (all
    double running) + epr 360k."""
    records = [
        system("epr", status="planned", annual_run_cost_gbp=360_000),
        system("pas", replaced_by="epr", annual_run_cost_gbp=240_000),
    ]
    costs = plan(records, **{"ordering.retire.months": 3}).run_costs.round()
    columns = ["do_nothing_gbp", "planned_gbp", "legacy_gbp", "replacement_gbp"]
    assert costs[columns].to_numpy().tolist() == [
        [240_000, 240_000, 240_000, 0],
        [240_000, 600_000, 240_000, 360_000],
        [240_000, 420_000, 60_000, 360_000],
    ]
    assert costs["double_running_gbp"].tolist() == [0, 0, 60_000]


def test_a_large_cost_with_a_default_duration_is_warned():
    """A £4.5m replacement in category 'other' with no duration takes the category's 4
    months; the default nearest £4.5m in cost (PAS and LIMS, £5m) takes 24, and 4 is under
    half of that. A £20k one is about the category's own default (£30k, 4 months)."""
    result = plan(
        [
            system(
                "rio",
                category="other",
                replacement_cost_gbp_likely=4.5e6,
                replacement_months_likely=None,
            ),
            system(
                "kiosk",
                category="other",
                replacement_cost_gbp_likely=2e4,
                replacement_months_likely=None,
            ),
        ]
    )
    assert [m for m in result.warnings["message"] if "no duration" in m] == [
        "1 planned system has a cost but no duration, and the category default is short for "
        "such a cost: rio (£4.5m in 4 months; the defaults give a replacement of about that "
        "cost 24 months); give replacement_months"
    ]
    assert result.schedule.loc["rio", "months"] == 4  # warned, not changed
