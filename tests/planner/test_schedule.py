"""The scheduler: hand-worked cases and the invariants, property-tested on random inventories."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.ordering import planning_units
from planner.plan import make_plan
from planner.schedule import Calendar, schedule_units
from tests.planner.conftest import inventory, simple_policy, system


def plan(records, deps=(), **policy_changes):
    return make_plan(inventory(records, deps), simple_policy(**policy_changes))


def dates(result, unit):
    row = result.units.loc[unit]
    return f"{row['start']:%Y-%m}", f"{row['go_live']:%Y-%m-%d}"


def test_calendar_financial_years():
    calendar = Calendar(pd.Timestamp("2027-04-01"), 25)
    assert calendar.fy_labels == ["2027/28", "2028/29", "2029/30"]
    assert calendar.fy_index[[0, 11, 12, 24]].tolist() == [0, 0, 1, 2]
    assert calendar.index_of(pd.Timestamp("2028-03-31")) == 11


def test_a_chain_runs_back_to_back():
    records = [
        system("a", replacement_months_likely=3),
        system("b", replacement_months_likely=2, after=("a",)),
    ]
    result = plan(records)
    assert dates(result, "a") == ("2027-04", "2027-06-30")
    assert dates(result, "b") == ("2027-07", "2027-08-31")


def test_no_go_live_in_a_winter_freeze():
    # 9 months from April would go live in December; May -> January, June -> February.
    result = plan(
        [system("a", replacement_months_likely=9)], **{"schedule.freeze_months": [12, 1, 2]}
    )
    assert dates(result, "a") == ("2027-07", "2028-03-31")


def test_budget_per_financial_year():
    # each costs £1.2m over 12 months (£100k a month); the budget is £1.5m a year. 'a' takes
    # £1.2m of 2027/28; 'b' can put only 3 months (£0.3m) in 2027/28, so it starts in January.
    records = [system("a", criticality="critical"), system("b")]
    result = plan(records, **{"schedule.budget.default_gbp": 1_500_000})
    assert dates(result, "a") == ("2027-04", "2028-03-31")
    assert dates(result, "b") == ("2028-01", "2028-12-31")
    assert result.spend_by_fy["spend_gbp"].tolist() == pytest.approx([1_500_000, 900_000])


def test_a_project_can_straddle_years_to_use_the_budget():
    # budget £0.9m a year; a £1.2m, 12-month project fits only if it straddles two years
    result = plan([system("a")], **{"schedule.budget.default_gbp": 900_000})
    start, _ = dates(result, "a")
    # starting in April or May would put more than £0.9m in 2027/28; from July, 9 months
    # (£0.9m) fall in 2027/28 and 3 (£0.3m) in 2028/29
    assert start == "2027-07"
    assert result.spend_by_fy["spend_gbp"].tolist() == pytest.approx([900_000, 300_000])


def test_team_capacity():
    records = [
        system("a", team_demand={"integration": 1}, criticality="critical"),
        system("b", team_demand={"integration": 1}),
    ]
    result = plan(records, **{"schedule.teams": {"integration": 1.5}})
    assert dates(result, "b")[0] == "2028-04"
    assert result.team_usage["integration"].max() == 1.0


def test_cap_on_concurrent_projects():
    records = [system(x, replacement_months_likely=6) for x in "abc"]
    result = plan(records, **{"schedule.max_concurrent_projects": 2})
    starts = sorted(dates(result, x)[0] for x in "abc")
    assert starts == ["2027-04", "2027-04", "2027-10"]


def test_no_go_live_before_the_contract_ends():
    result = plan([system("a", contract_end="2028-09-30")])
    assert dates(result, "a") == ("2027-10", "2028-09-30")


def test_more_demand_than_the_team_has_is_warned_not_dropped():
    result = plan(
        [system("a", team_demand={"integration": 3})], **{"schedule.teams": {"integration": 2}}
    )
    assert not result.units.loc["a", "scheduled"]
    assert result.warnings["message"].tolist() == [
        "a is not scheduled: needs 3 FTE of integration a month but the team has 2"
    ]
    assert result.warnings["kind"].tolist() == ["capacity"]


def test_budget_too_small_is_named_with_the_year():
    result = plan(
        [system("a", replacement_cost_gbp_likely=24_000_000)],
        **{"schedule.budget.default_gbp": 10_000_000, "horizon_months": 36},
    )
    assert (
        result.warnings["message"]
        .iloc[0]
        .startswith(
            "a is not scheduled: capital budget too small: even at its best timing, phased over "
            "24 months it needs £12,000,000 of capital in 2027/28 alone and the capital budget "
            "is £10,000,000"
        )
    )


def test_a_project_too_dear_for_any_year_is_phased_not_dropped():
    """£36m over 24 months needs £18m in some year however it is timed (flat, 1.5m a month,
    12 months in one FY); phased over 30 months (the first step, a quarter longer) it spends
    £1.2m a month, at most 12 months a year: £14.4m, £14.4m and £7.2m from April 2027, inside
    a £15m budget."""
    result = plan(
        [system("a", replacement_cost_gbp_likely=36_000_000, replacement_months_likely=24)],
        **{"schedule.budget.default_gbp": 15_000_000, "horizon_months": 60},
    )
    assert dates(result, "a") == ("2027-04", "2029-09-30")
    assert result.units.loc["a", ["planned_months", "months"]].tolist() == [24, 30]
    assert result.spend_by_fy["capital_gbp"].round().tolist() == [14_400_000, 14_400_000, 7_200_000]
    assert "phased over 30 months instead of 24" in " ".join(result.warnings["message"])


def test_waiting_on_an_unscheduled_unit_is_reported_once_with_its_followers():
    records = [
        system("big", team_demand={"integration": 9}),
        system("x", after=("big",)),
        system("y", after=("x",)),
    ]
    result = plan(records, **{"schedule.teams": {"integration": 1}})
    assert result.warnings["message"].tolist() == [
        "big is not scheduled: needs 9 FTE of integration a month but the team has 1; 2 more "
        "wait for it and are not scheduled either: x, y"
    ]
    assert result.units.loc["y", "not_scheduled_because"] == "waits for big, which is not scheduled"


def test_deadline_missed_is_warned_in_months():
    records = [system("a", end_of_support="2027-09-30", replacement_months_likely=12)]
    result = plan(records)
    late = result.warnings[result.warnings["kind"] == "deadline"]
    assert late["message"].tolist() == [
        "a goes live Mar 2028, 6 months after its end of support (Sep 2027)"
    ]


def test_unknown_team_is_warned():
    result = plan([system("a", team_demand={"architects": 1})])
    assert "team 'architects' has no capacity in the policy" in result.warnings["message"].iloc[0]


def test_a_prerequisite_inherits_the_priority_of_what_waits_for_it():
    # 'enabler' scores low but the high-risk 'legacy' retirement waits for it: it goes first,
    # before 'other', which outranks it on its own score.
    records = [
        system("enabler", replacement_months_likely=6),
        system(
            "legacy",
            disposition="retire",
            replaced_by="enabler",
            end_of_support="2015-01-01",
            criticality="critical",
            known_vulnerabilities=5,
        ),
        system(
            "other", end_of_support="2020-01-01", criticality="high", replacement_months_likely=6
        ),
    ]
    result = plan(records, **{"schedule.max_concurrent_projects": 1})
    assert dates(result, "enabler")[0] == "2027-04"
    assert dates(result, "legacy")[0] == "2027-10"
    assert dates(result, "other")[0] == "2028-01"


def test_slack_and_critical_path():
    records = [
        system("a", replacement_months_likely=6),
        system("b", replacement_months_likely=6, after=("a",)),
        system("c", replacement_months_likely=2),
    ]
    result = plan(records)
    units = result.units
    assert units.loc["a", "critical"] and units.loc["b", "critical"]
    assert units.loc["c", "slack_months"] == 10


# --- property tests ------------------------------------------------------------------

TEAMS = ["integration", "infrastructure", "clinical safety"]
PROFILES = ["flat", "front-loaded", "back-loaded", "S-curve"]


def month_shares(profile: str, length: int) -> np.ndarray:
    """A project's cost share in each of its months, written out here from the documented
    profiles (planner.schedule.kernels.month_share) to check the scheduler's accounting."""
    k = np.arange(length)
    triangle = length * (length + 1) / 2
    return {
        "flat": np.full(length, 1 / length),
        "front-loaded": (length - k) / triangle,
        "back-loaded": (k + 1) / triangle,
        "S-curve": np.sin(np.pi * (k + 0.5) / length) * np.sin(np.pi / (2 * length)),
    }[profile]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("length", [1, 2, 7, 30])
def test_every_spend_profile_spends_the_whole_cost(profile, length):
    shares = month_shares(profile, length)
    assert shares.sum() == pytest.approx(1.0)
    assert (shares > 0).all()


@st.composite
def random_inventory(draw):
    n = draw(st.integers(2, 14))
    ids = [f"s{i}" for i in range(n)]
    records = []
    for i, sid in enumerate(ids):
        demand = {t: draw(st.sampled_from([0.0, 0.0, 0.5, 1.0, 2.0])) for t in TEAMS}
        records.append(
            system(
                sid,
                disposition=draw(
                    st.sampled_from(["replace", "replace", "retire", "retain", "rehost"])
                ),
                replacement_cost_gbp_likely=float(draw(st.integers(1, 40)) * 50_000),
                replacement_months_likely=float(draw(st.integers(1, 20))),
                team_demand={t: a for t, a in demand.items() if a},
                criticality=draw(st.sampled_from(["low", "medium", "high", "critical"])),
                patient_facing=draw(st.booleans()),
                department=draw(st.sampled_from([None, "radiology", "maternity"])),
                organisation=draw(st.sampled_from(["RXX", "RYY"])),
                capital_share=draw(st.sampled_from([None, 0.0, 0.5, 1.0])),
                spend_profile=draw(st.sampled_from([None, *PROFILES])),
                end_of_support=draw(
                    st.sampled_from([None, "2019-01-01", "2028-06-30", "2031-01-01"])
                ),
                contract_end=draw(st.sampled_from([None, "2028-03-31", "2029-09-30"])),
                after=tuple(draw(st.lists(st.sampled_from(ids[:i]), max_size=2, unique=True)))
                if i
                else (),
                replaced_by=draw(st.sampled_from([None, *ids[i + 1 :]])) if i + 1 < n else None,
                move_with=tuple(draw(st.lists(st.sampled_from(ids[:i]), max_size=1)))
                if i and draw(st.integers(0, 5)) == 0
                else (),
            )
        )
    edges = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=2 * n))
    kinds = ["HL7 v2", "infrastructure", "database link"]
    deps = [
        {"consumer": u, "provider": v, "kind": kinds[(len(u) + len(v) + i) % 3]}
        for i, (u, v) in enumerate(dict.fromkeys(edges))
        if u != v
    ]
    changes = {
        "schedule.teams": {t: draw(st.sampled_from([1.0, 2.0, 3.0])) for t in TEAMS},
        "schedule.budget.default_gbp": float(draw(st.sampled_from([500_000, 1_000_000, 3e6]))),
        "schedule.revenue_budget.default_gbp": draw(st.sampled_from([None, 200_000.0, 1e6])),
        "schedule.max_concurrent_projects": draw(st.sampled_from([None, 2, 4])),
        "schedule.freeze_months": draw(st.sampled_from([[], [12, 1, 2], [3, 4, 5]])),
        "schedule.go_live.per_month": draw(st.sampled_from([None, 1, 2])),
        "schedule.go_live.clinical_gap_months": draw(st.sampled_from([0, 1, 3])),
        "schedule.go_live.stabilisation_months": draw(st.sampled_from([0, 2])),
        "schedule.go_live.major_cost_gbp": 1_000_000.0,
        "schedule.approval.board_gbp": draw(st.sampled_from([1e15, 1_000_000.0])),
        "ordering.precedence": draw(
            st.sampled_from(["providers-first", "consumers-first", "none"])
        ),
        "horizon_months": 96,
        "schedule.method": draw(st.sampled_from(["fast", "fast", "optimal"])),
        "schedule.time_limit_seconds": 5,
    }
    return records, deps, changes


def months_apart(go_lives: list[int], gap: int) -> bool:
    ordered = sorted(go_lives)
    return all(b - a >= gap for a, b in itertools.pairwise(ordered))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_inventory())
def test_schedule_invariants(case):
    records, deps, changes = case
    result = plan(records, deps, **changes)
    policy = result.policy
    rules = policy.schedule
    units = result.units
    done = units[units["scheduled"]]
    start = done["start_month"].astype(int)
    finish = done["finish_month"].astype(int)
    messages = " ".join(result.warnings["message"])

    # 1. nothing starts before every prerequisite has gone live
    for before, after in zip(result.links["before"], result.links["after"], strict=True):
        if units.at[before, "scheduled"] and units.at[after, "scheduled"]:
            assert start[after] > finish[before]
        assert not (units.at[after, "scheduled"] and not units.at[before, "scheduled"])

    # 2. move groups come from hard coupling only: the strong components of database links
    # and move_with (both ways) among planned systems share a unit, and a unit is never more
    # than one of them (a cycle of data flows or of infrastructure links never makes one)
    planned = set(result.schedule.index)
    coupling = nx.DiGraph()
    coupling.add_nodes_from(planned)
    coupling.add_edges_from(
        (d["consumer"], d["provider"])
        for d in deps
        if d["kind"] == "database link" and {d["consumer"], d["provider"]} <= planned
    )
    for r in records:
        for other in r.get("move_with", ()):
            if {r["id"], other} <= planned:
                coupling.add_edges_from([(r["id"], other), (other, r["id"])])
    component = {m: k for k, c in enumerate(nx.strongly_connected_components(coupling)) for m in c}
    unit_of = result.schedule["unit"]
    for a_id in planned:
        for b_id in planned:
            assert (unit_of[a_id] == unit_of[b_id]) == (component[a_id] == component[b_id])

    # 3. capital and revenue per FY within budget (each spread by its profile); 4. teams,
    # with the clinical safety case in the last months; 5. the project cap
    horizon = policy.horizon_months
    calendar = Calendar(policy.plan_start, horizon)
    capital = np.zeros(len(calendar.fy_labels))
    revenue = np.zeros(len(calendar.fy_labels))
    usage = {t: np.zeros(horizon) for t in TEAMS}
    running = np.zeros(horizon)
    fte = policy.clinical_safety.fte.model_dump()
    lead = policy.clinical_safety.lead_months
    for unit, row in done.iterrows():
        s, f = start[unit], finish[unit]
        months = f - s + 1
        assert months == row["months"]
        profile = row["spend_profile"] or policy.money.spend_profile
        spent = row["cost_gbp"] * month_shares(profile, months)
        np.add.at(capital, calendar.fy_index[s : f + 1], spent * row["capital_share"])
        np.add.at(revenue, calendar.fy_index[s : f + 1], spent * (1 - row["capital_share"]))
        for team, amount in row["team_demand"].items():
            usage[team][s : f + 1] += amount
        if row["clinical_safety_class"] != "none" and "clinical safety" not in row["team_demand"]:
            tail = min(lead, int(row["planned_months"]))  # a short project: all of it
            usage["clinical safety"][max(s, f - tail + 1) : f + 1] += fte[
                row["clinical_safety_class"]
            ]
        running[s : f + 1] += 1
    for year, c, r in zip(calendar.fy_labels, capital, revenue, strict=True):
        assert c <= policy.budget_for(year) + 1e-3
        assert r <= policy.revenue_budget_for(year) + 1e-3
    for team, profile in usage.items():
        assert profile.max() <= rules.teams[team] + 1e-9
    if rules.max_concurrent_projects is not None:
        assert running.max() <= rules.max_concurrent_projects

    # 6. no go-live in a freeze month; not before the contract ends; not before approval
    for unit, row in done.iterrows():
        assert row["go_live"].month not in rules.freeze_months
        if pd.notna(row["not_before"]):
            assert row["go_live"] >= row["not_before"] - pd.offsets.MonthEnd(0)
        assert start[unit] >= row["approval_months"]

    # 7. go-lives per month within the limit (a decommissioning is not a go-live), and
    # spaced: clinical go-lives sharing a department or engine, major ones in one organisation
    go_lives = done[~done["decommission"]]
    if rules.go_live.per_month is not None:
        per_month = go_lives.groupby(["organisation", "finish_month"], dropna=False).size()
        assert (per_month <= rules.go_live.per_month).all()
    clinical = go_lives[go_lives["clinical_safety_class"].isin(rules.go_live.spaced_classes)]
    # a department is its organisation's own; an engine is one system
    shared: dict[tuple, list[int]] = {}
    for _, row in clinical.iterrows():
        for department in row["departments"]:
            shared.setdefault((row["organisation"], department), []).append(row["finish_month"])
        for engine in row["engines"]:
            shared.setdefault(("engine", engine), []).append(row["finish_month"])
    for months in shared.values():
        assert months_apart([int(m) for m in months], rules.go_live.clinical_gap_months)
    for _, major in go_lives[go_lives["major"]].groupby("organisation", dropna=False):
        gap = rules.go_live.stabilisation_months
        assert months_apart(major["finish_month"].astype(int).tolist(), gap)

    # 8. every clinical go-live is preceded by its safety case sign-off, inside the project
    for unit, row in go_lives.iterrows():
        if row["clinical_safety_class"] == "none":
            assert pd.isna(row["safety_signoff"])
        else:
            assert row["start"] <= row["safety_signoff"] <= row["go_live"]
            tail = min(lead, int(row["planned_months"]))  # as planned, before any stretch
            assert calendar.index_of(row["safety_signoff"]) == max(
                start[unit], finish[unit] - tail + 1
            )

    # 9. every absorbed system is decommissioned inside its window after the go-live of what
    # absorbs it, or the plan says it is not
    window = policy.ordering.retire.window_months
    for absorber, absorbed in zip(result.ties["absorber"], result.ties["absorbed"], strict=True):
        if units.at[absorber, "scheduled"] and units.at[absorbed, "scheduled"]:
            inside = finish[absorbed] - finish[absorber] <= window
            assert inside or f"absorbed by {absorber}" in messages

    # 10. every planned system is scheduled or explained, never silently dropped
    planned_ids = {r["id"] for r in records if r["disposition"] != "retain"}
    assert set(result.schedule.index) == planned_ids
    missing = units[~units["scheduled"]]
    for unit, row in missing.iterrows():
        reason = row["not_scheduled_because"]
        assert isinstance(reason, str)
        assert "never reached" not in reason
        # named in a warning, or waiting for a unit whose warning counts what waits for it
        root = reason.removeprefix("waits for ").partition(",")[0]
        assert unit in messages or (reason.startswith("waits for ") and root in messages)
    if len(units):
        assert f"{len(units) - len(missing)} of {len(units)} projects planned" in result.headline


def test_risk_burndown_starts_at_the_estate_risk_and_falls_at_go_live():
    records = [
        system(
            "a",
            end_of_support="2028-05-15",
            hosting="on-premises",
            replacement_months_likely=24,
            criticality="high",
        )
    ]
    result = plan(records)
    burndown = result.burndown
    scores = result.scores
    assert burndown["plan_risk"].iloc[0] == pytest.approx(scores["risk"].sum())
    # likelihood: 1 + 1.0 (support ends within 24 months) + 1.0 (support unknown? no) ...
    consequence = scores.loc["a", "consequence"]
    static = (
        1
        + scores.loc[
            "a", ["likelihood_age", "likelihood_vulnerabilities", "likelihood_skills"]
        ].sum()
    )
    expected = {
        "2027-04-01": 4 * (static + 1.0) * consequence,  # within 24 months of 15 May 2028
        "2027-06-01": 4 * (static + 1.5) * consequence,  # within 12 months
        "2028-06-01": 4 * min(5, static + 2.0 + 0.5) * consequence,  # past, run on-premises
        "2029-04-01": 0.0,  # replaced: went live 31 Mar 2029
    }
    for month, value in expected.items():
        assert burndown.loc[month, "plan_risk"] == pytest.approx(value), month
    assert burndown.loc["2029-04-01", "do_nothing_risk"] == pytest.approx(
        4 * min(5, static + 2.5) * consequence
    )
    assert math.isclose(result.risk_exposure, burndown["plan_risk"].sum())


def test_each_unit_says_when_it_could_start_and_what_sets_that():
    records = [
        system("a", criticality="critical"),
        system("b"),
        system("c", replacement_months_likely=2, after=("a",)),
    ]
    result = plan(records, **{"schedule.budget.default_gbp": 1_500_000})
    units = result.units
    # b could start at the plan start but the budget holds it until January (see above)
    assert f"{units.at['b', 'earliest_start']:%Y-%m}" == "2027-04"
    assert units.at["b", "earliest_because"] == "from the plan start"
    assert f"{units.at['b', 'start']:%Y-%m}" == "2028-01"
    assert f"{units.at['c', 'earliest_start']:%Y-%m}" == "2028-04"
    assert units.at["c", "earliest_because"] == "when a goes live"


def test_units_waiting_on_the_same_thing_share_one_reason_text():
    records = [
        system("a", criticality="critical", replacement_months_likely=3),
        system("b", replacement_months_likely=2, after=("a",)),
        system("c", replacement_months_likely=2, after=("a",)),
        system("d", contract_end="2028-09-30"),
        system("e", contract_end="2028-09-30"),
    ]
    result = plan(records)
    because = result.units["earliest_because"]
    # a: 3 months from April 2027, live 30 Jun 2027; b and c start when it is live
    assert because["b"] == because["c"] == "when a goes live"
    assert because["b"] is because["c"]  # made once, not once per unit
    # d and e go live no earlier than their contracts' end, 30 Sep 2028: they start Oct 2027
    ends = "so as not to go live before its contract ends (Sep 2028)"
    assert because["d"] == because["e"] == ends
    assert because["d"] is because["e"]
    assert because["a"] == "from the plan start"


def test_the_placement_kept_drops_its_trace_once_held_is_made():
    inv = inventory([system("a"), system("b")])
    policy = simple_policy(**{"schedule.budget.default_gbp": 1_500_000})
    ordering = planning_units(inv.systems, inv.dependencies, policy)
    priority = pd.Series({"a": 2.0, "b": 1.0})
    result = schedule_units(ordering.units, ordering.links, priority, policy)
    # b waits for budget (1.2m each over 12 months, 1.5m a year): held says so
    assert set(result.held["unit"]) == {"b"}
    assert set(result.held["held_by"]) == {"capital budget"}
    assert result.held["unit"].dtype == object
    assert result.placement is not None and result.placement.trace.shape == (0, 7)
