"""The board pack: each section read from the plan (checked against the PlanResult's own
tables) or worked by hand on small inventories, the HTML page (escaping, no other host), the
PDF read back, and the command line."""

from __future__ import annotations

import csv
import hashlib
import html.parser
import json
from pathlib import Path

import matplotlib.pyplot as plt
import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

import planner
from inventory.errors import InvalidArgumentError
from planner.cli import main
from planner.levers import levers
from planner.montecarlo import forecast_plan
from planner.plan import make_plan
from planner.report import (
    annexes,
    build_report,
    do_minimum,
    options_appraisal,
    parts,
    run_manifest,
    unsupported_register,
    write_register,
)
from planner.report.assumptions import assumptions, changes_from_default
from planner.report.blocks import Alert, Facts, Note, Table, Text
from planner.report.constraints import binding_constraints, held_words
from planner.report.figures import inline_svg, plot_run_cost
from planner.report.gantt import gantt_view
from planner.report.headline import (
    headline,
    major_programmes,
    not_scheduled,
    project_list,
    roadmap_by_category,
)
from planner.report.milestones import approvals, clinical_safety
from planner.report.money import contract_extensions, run_cost_by_year, spend_by_year
from planner.report.quality import data_quality
from planner.report.risk import accepted_risks, burndown_by_year
from tests.planner.conftest import inventory, simple_policy, system

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "title": "</title><h1>taken</h1>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "template": "{{ 7*7 }} {% raw %}",
}


def plan_of(systems, dependencies=(), **policy):
    return make_plan(inventory(systems, dependencies), simple_policy(**policy))


def texts(part) -> str:
    """Every word of a part: its paragraphs, notes, alerts, facts and table cells."""
    words = []
    for block in part.blocks:
        if isinstance(block, Text | Note | Alert):
            words.append(block.text)
        elif isinstance(block, Facts):
            words += [f"{label}: {value}" for label, value in block.items]
        elif isinstance(block, Table):
            words += [" | ".join(block.columns)] + [" | ".join(row) for row in block.rows]
    return "\n".join(words)


@pytest.fixture(scope="module")
def left_out():
    """A PAS needing 2 integration engineers of the 1 there is, an ED after it (so left out
    too), and a lab system that fits: 1 of 3 projects planned."""
    return plan_of(
        [
            system("pas", team_demand={"integration": 2.0}, replacement_cost_gbp_likely=3e6),
            system("ed", after=("pas",), replacement_cost_gbp_likely=5e5),
            system("lab", replacement_cost_gbp_likely=1e6),
            system("kept", disposition="retain"),
        ],
        **{"schedule.teams": {"integration": 1}},
    )


# --- headline -----------------------------------------------------------------------------


def test_headline_and_major_programmes_by_cost_not_priority():
    result = plan_of(
        [
            system("urgent", replacement_cost_gbp_likely=1_000_000.0, platform="Windows XP"),
            system("dear", replacement_cost_gbp_likely=3_000_000.0),
            system("kept", disposition="retain"),
        ]
    )
    head = headline(result)
    assert head.text == result.headline == "2 of 2 projects planned (£4.0m), Apr 2027 to Mar 2028"
    assert (head.projects, head.total_projects, head.systems, head.retained) == (2, 2, 2, 1)
    assert (head.not_scheduled, head.not_scheduled_systems, head.not_scheduled_cost_gbp) == (
        0,
        0,
        0.0,
    )
    assert head.total_cost_gbp == 4_000_000.0
    assert head.months == 12  # Apr 2027 to Mar 2028, both at the start
    programmes = major_programmes(result)
    assert programmes.index.tolist() == ["dear", "urgent"]  # by cost, whatever the rank
    assert programmes["share"].tolist() == [0.75, 0.25]


def test_go_lives_after_end_of_support_count_those_already_unsupported():
    # 'xp' is out of support (Windows XP, 2014) before the plan starts; 'soon' ends in
    # Jun 2027 and goes live after it; 'later' ends in 2040, after its go-live.
    result = plan_of(
        [
            system("xp", platform="Windows XP"),
            system("soon", end_of_support="2027-06-30"),
            system("later", end_of_support="2040-01-01"),
        ]
    )
    assert sorted(result.late_for_end_of_support) == ["soon", "xp"]
    head = headline(result)
    assert (head.deadlines_missed, head.already_unsupported) == (2, 1)
    summary = parts.summary_part(
        head,
        not_scheduled(result),
        major_programmes(result),
        None,
        binding_constraints(result),
        None,
    )
    facts = dict(
        next(
            b
            for b in summary.blocks
            if isinstance(b, Facts)
            and b.items[-1:]
            and b.items[-1][0] == "Go-lives after end of support"
        ).items
    )
    assert facts["Go-lives after end of support"] == (
        "2 systems (1 already unsupported when the plan starts)"
    )


def test_the_headline_never_hides_what_is_not_scheduled(left_out):
    head = headline(left_out)
    assert head.text == left_out.headline
    assert head.text.endswith("; 2 not scheduled (2 systems, £3.5m)")
    assert (head.projects, head.total_projects, head.not_scheduled) == (1, 3, 2)
    assert head.not_scheduled_cost_gbp == left_out.unscheduled_cost == 3_500_000.0
    summary = parts.summary_part(
        head,
        not_scheduled(left_out),
        major_programmes(left_out),
        None,
        binding_constraints(left_out),
        None,
    )
    first = summary.blocks[0]
    assert isinstance(first, Alert)
    assert first.text.startswith("Not everything fits: 2 projects of 3 (2 systems, £3.5m)")
    assert "Not scheduled: 2 projects · 2 systems · £3.5m" in texts(summary)
    # the dearest project is not scheduled: the board sees it, not the cheaper one that fits
    programmes = major_programmes(left_out)
    assert programmes.index.tolist() == ["pas", "lab", "ed"]
    assert programmes.loc["pas", "share"] == pytest.approx(3 / 4.5)
    assert not programmes.loc["pas", "scheduled"] and pd.isna(programmes.loc["pas", "go_live"])
    by_category = roadmap_by_category(left_out)
    assert by_category[["projects", "not_scheduled"]].sum().tolist() == [1, 2]


def test_not_scheduled_counts_what_waits_against_what_holds_it(left_out):
    frame = not_scheduled(left_out)
    assert frame.index.tolist() == ["pas"]  # the ED only waits for it
    pas = frame.loc["pas"]
    assert pas["why"].startswith("needs 2 FTE of integration a month but the team has 1")
    assert (pas["cost_gbp"], pas["waiting"], pas["waiting_cost_gbp"]) == (3e6, 1, 5e5)


def test_a_cycle_of_constraints_is_listed_not_lost():
    result = plan_of([system("a", after=("b",)), system("b", after=("a",)), system("c")])
    frame = not_scheduled(result)
    assert sorted(frame.index) == ["a", "b"]  # each waits for the other: both are listed
    assert all(why.startswith("impossible constraint") for why in frame["why"])


def test_the_annex_lists_every_planned_system_those_not_scheduled_last(left_out):
    frame = project_list(left_out)
    assert frame.index.tolist()[0] == "lab" and sorted(frame.index[1:]) == ["ed", "pas"]
    pd.testing.assert_series_equal(
        frame["safety_signoff"], left_out.schedule.loc[frame.index, "safety_signoff"]
    )
    (table,) = annexes.project_list_part(frame).blocks
    go_live = table.columns.index("Go-live")
    assert [row[go_live] for row in table.rows] == ["Mar 2028", "not scheduled", "not scheduled"]


# --- money --------------------------------------------------------------------------------


@pytest.mark.slow
def test_spend_is_the_plans_capital_and_revenue_with_the_forecasts_odds():
    # 1.2m over 12 months, half capital: 600k of each in 2027/28 under a 12m capital budget
    result = plan_of(
        [system("a")], **{"money.capital_share.default": 0.5, "schedule.budget.default_gbp": 12e6}
    )
    frame = spend_by_year(result)
    assert frame.index.tolist() == ["2027/28"]
    row = frame.iloc[0]
    assert (row["capital_gbp"], row["revenue_gbp"], row["capital_headroom_gbp"]) == pytest.approx(
        (600_000, 600_000, 11_400_000)
    )
    assert pd.isna(row["revenue_budget_gbp"]) and pd.isna(row["p_capital_slips_past_31_march"])
    pd.testing.assert_frame_equal(frame[result.spend_by_fy.columns], result.spend_by_fy)
    outlook = forecast_plan(result, runs=40)
    joined = spend_by_year(result, outlook)
    expected = outlook.spend_by_fy["p_capital_slips_past_31_march"]
    assert joined["p_capital_slips_past_31_march"].tolist() == [expected["2027/28"]]
    words = texts(parts.spend_part(joined, None, [], []))  # type: ignore[arg-type]
    assert "£600k of capital and £600k of revenue (£1.2m in all)" in words
    assert "the policy sets no revenue budget" in words
    assert "Revenue budget" not in words  # no limit: the columns are left out


def test_run_cost_is_the_plans_with_double_running_worked_by_hand():
    # replaced: go-live Mar 2028 (month 11); the legacy system (120k a year) runs 3 months
    # more (money.parallel_running_months) beside its replacement (60k a year)
    result = plan_of([system("old", annual_run_cost_gbp=120_000.0, future_run_cost_gbp=60_000.0)])
    frame = run_cost_by_year(result)
    assert frame.index.tolist() == ["2027/28", "2028/29"]
    assert frame["do_nothing_gbp"].tolist() == pytest.approx([120_000, 120_000])
    assert frame["legacy_gbp"].tolist() == pytest.approx([120_000, 30_000])
    assert frame["double_running_gbp"].tolist() == pytest.approx([0, 30_000])
    assert frame["replacement_gbp"].tolist() == pytest.approx([0, 60_000])
    assert frame["planned_gbp"].tolist() == pytest.approx([120_000, 90_000])
    assert frame["saving_gbp"].tolist() == pytest.approx([0, 30_000])
    part = parts.run_cost_part(run_cost_by_year(result), None, 3)  # type: ignore[arg-type]
    words = texts(part)
    assert "In 2028/29 the plan brings that to £90k (£30k for the legacy systems" in words
    assert "that double running costs £30k over the plan, most in 2028/29 (£30k)" in words
    ax = plot_run_cost(result).axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "do nothing",
        "legacy systems",
        "double running",
        "new systems",
    ]
    plt.close(ax.figure)


def test_contract_extensions_are_the_plans_with_the_supplier():
    # late: its contract ends Sep 2027 but it runs to Jun 2028 (go-live Mar 2028, then 3
    # months' parallel running): Oct 2027 - Jun 2028, 9 months at 120k a year; a retained
    # system's contract is not the plan's to extend
    result = plan_of(
        [
            system(
                "late", contract_end="2027-09-30", annual_run_cost_gbp=120_000.0, supplier="Acme"
            ),
            system("kept", disposition="retain", contract_end="2027-06-30"),
            system("fine", contract_end="2030-03-31"),
        ],
        **{"schedule.respect_contract_end": False},
    )
    frame = contract_extensions(result)
    assert frame.index.tolist() == ["late"] == result.contract_extensions.index.tolist()
    late = frame.loc["late"]
    assert (late["months"], late["cost_gbp"], late["supplier"]) == (
        9,
        pytest.approx(90_000),
        "Acme",
    )
    assert late["runs_until"] == pd.Timestamp("2028-06-30")
    words = texts(annexes.contract_part(frame, 0, 3))
    assert words.startswith("1 legacy contract ends before its system stops running")
    assert "LATE | Acme | Sep 2027 | Jun 2028 | 9 | £90k" in words


def test_a_contract_of_a_system_not_scheduled_runs_to_the_horizon(left_out):
    result = plan_of(
        [
            system(
                "pas",
                team_demand={"integration": 2.0},
                contract_end="2027-12-31",
                annual_run_cost_gbp=12_000.0,
            )
        ],
        **{"schedule.teams": {"integration": 1}},
    )
    frame = contract_extensions(result)
    assert pd.isna(frame.loc["pas", "runs_until"])
    words = texts(annexes.contract_part(frame, 0, 1))
    assert "PAS | — | Dec 2027 | not scheduled |" in words
    assert "1 system of these is not scheduled" in words


# --- risk ---------------------------------------------------------------------------------


def test_accepted_risks_are_the_plans_with_why():
    result = plan_of(
        [
            system(
                "xp",
                disposition="retain",
                criticality="critical",
                platform="Windows XP",
                skills_scarcity="critical",
            ),
            system("calm", disposition="retain", criticality="low"),
            system("planned", criticality="critical", platform="Windows XP"),
        ]
    )
    frame = accepted_risks(result)
    pd.testing.assert_frame_equal(frame.drop(columns="why"), result.accepted_risks)
    assert frame.index.tolist() == ["xp"]
    assert "out of support" in frame.loc["xp", "why"] and "scarce skills" in frame.loc["xp", "why"]


def test_burndown_by_year_starts_each_financial_year():
    result = plan_of([system("a", platform="Windows XP", criticality="critical")])
    frame = burndown_by_year(result)
    assert frame["financial_year"].tolist() == ["2027/28", "2028/29"]
    assert frame.loc[1, "plan_risk"] == 0.0  # live in Mar 2028, gone from April
    assert frame.loc[1, "removed"] == 1.0


# --- milestones: approvals and clinical safety --------------------------------------------


def test_clinical_safety_sign_offs_are_the_plans():
    result = plan_of(
        [
            system("ed", clinical_safety_class="high"),
            system("portal", category="patient portal", patient_facing=True),  # low, derived
            system("ledger", category="finance"),
            system("old-lab", disposition="retire", clinical_safety_class="high"),
        ],
        **{"schedule.teams": {"integration": 100, "clinical safety": 10}},
    )
    frame = clinical_safety(result)
    units = result.units
    assert sorted(frame.index) == sorted(units.index[units["safety_signoff"].notna()])
    assert sorted(frame.index) == ["ed", "portal"]  # a retirement has no safety case
    assert frame["safety_class"].sort_index().to_dict() == {"ed": "high", "portal": "low"}
    for unit, row in frame.iterrows():
        assert row["safety_signoff"] == units.loc[unit, "safety_signoff"] < row["go_live"]
    words = texts(annexes.clinical_safety_part(frame, 2, 0))
    assert "2 clinical safety cases to sign off under DCB0160 (1 high, 1 low by class)" in words


def test_a_plan_with_no_clinical_class_says_the_register_may_understate_it():
    # no system is patient-facing or classed: nothing to sign off, and the page says why
    result = plan_of([system("ledger", category="finance"), system("hr", category="HR")])
    frame = clinical_safety(result)
    assert frame.empty
    (alert,) = annexes.clinical_safety_part(frame, 2, 0).blocks
    assert isinstance(alert, Alert)
    assert alert.text.startswith("No planned project has a clinical-safety class")
    assert "understates the clinical safety work" in alert.text
    (note,) = annexes.clinical_safety_part(frame, 2, 1).blocks[:1]
    assert note.text == "No clinical go-live is scheduled, so no safety case is to sign off."


def test_approvals_are_the_plans_business_cases():
    # 2m needs trust board approval (from 1m), 3 months: it starts Jul 2027, not Apr
    result = plan_of(
        [system("big", replacement_cost_gbp_likely=2e6), system("small")],
        **{"schedule.approval.board_gbp": 1.5e6},
    )
    frame = approvals(result)
    assert frame.index.tolist() == ["big"]
    big = frame.loc["big"]
    assert (big["approval"], big["approved_by"]) == ("trust board", pd.Timestamp("2027-07-01"))
    assert big["approved_by"] == result.units.loc["big", "approved_by"]
    assert result.units.loc["big", "start"] == pd.Timestamp("2027-07-01")
    words = texts(annexes.approvals_part(frame, 3, 9))
    assert words.startswith("1 business case needs trust board approval before")


def test_the_gantt_shows_approvals_and_sign_offs_as_milestones():
    result = plan_of(
        [system("ed", clinical_safety_class="high", replacement_cost_gbp_likely=2e6)],
        **{
            "schedule.approval.board_gbp": 1.5e6,
            "schedule.teams": {"integration": 100, "clinical safety": 10},
        },
    )
    (group,) = gantt_view(result).groups
    (bar,) = group.bars
    kinds = {mark.kind: mark for mark in bar.milestones}
    assert set(kinds) == {"approval", "safety"}
    assert kinds["approval"].left == bar.left  # approved when it starts
    assert bar.left < kinds["safety"].left < bar.left + bar.width
    assert "signed off" in kinds["safety"].tooltip and "trust board" in kinds["approval"].tooltip
    ax = planner.charts.plot_gantt(result, group_by="category").axes[0]
    markers = {line.get_marker() for line in ax.get_lines()}
    assert {"|", "d"} <= markers  # the sign-off tick and the approval diamond
    plt.close(ax.figure)


# --- what holds the programme back, levers -------------------------------------------------


@pytest.fixture(scope="module")
def one_engineer():
    """Two 12-month projects, each needing the one integration engineer: back to back."""
    return plan_of(
        [system(name, team_demand={"integration": 1.0}) for name in ("a", "b")],
        **{"schedule.teams": {"integration": 1, "training": 1}},
    )


def test_binding_constraints_add_up_what_held_each_project(one_engineer):
    frame = binding_constraints(one_engineer)
    assert frame.to_dict("records") == [
        {"constraint": "team capacity (integration)", "projects": 1, "project_months": 12}
    ]
    held = held_words(one_engineer)
    (waited,) = held.index  # the second of the two, whichever it is
    assert held[waited] == "held 12 months by team capacity (integration)"
    tooltips = [bar.tooltip for g in gantt_view(one_engineer).groups for bar in g.bars]
    assert sum("held 12 months by team capacity (integration)" in t for t in tooltips) == 1
    words = texts(parts.constraints_part(frame))
    assert (
        "In all, projects wait 12 project-months, most for team capacity (integration) (12)"
        in words
    )


@pytest.mark.slow
def test_levers_are_the_planners(one_engineer):
    found = levers(one_engineer)
    part = parts.levers_part(found)
    words = texts(part)
    assert (
        "Add 1 FTE to the integration team | integration 1 to 2 FTE (+1) | Mar 2028 | +12" in words
    )
    (table,) = [b for b in part.blocks if isinstance(b, Table)]
    assert len(table.rows) == len(found.helpful) == 1
    assert "Change nothing on their own" in words and "Add 1 FTE to the training team" in words
    report = build_report(one_engineer, runs=20)
    assert report.data["levers"].table.equals(found.table)
    summary = texts(report.parts[0])
    assert (
        "the one worth most is to add 1 FTE to the integration team (ends 12 months sooner"
        in summary
    )


# --- options ------------------------------------------------------------------------------


def test_do_minimum_keeps_what_must_go_and_what_it_waits_for():
    result = plan_of(
        [
            system("xp", platform="Windows XP", after=("tie",)),  # out of support: kept
            system("tie", end_of_support="2040-01-01"),  # kept: xp waits for it
            system("fine", end_of_support="2040-01-01"),  # in support, not extreme: retained
            system("kept", disposition="retain"),
        ]
    )
    dispositions = do_minimum(result).systems["disposition"].to_dict()
    assert dispositions == {"xp": "replace", "tie": "replace", "fine": "retain", "kept": "retain"}


def test_options_appraisal_names_every_option():
    result = plan_of([system("a"), system("b", platform="Windows XP")])
    comparison = options_appraisal(result, {"more teams": simple_policy()})
    assert comparison.table.index.tolist() == [
        "plan",
        "do minimum",
        "budget -20%",
        "budget +20%",
        "more teams",
    ]
    assert comparison.table.loc["do minimum", "projects_scheduled"] == 1


# --- data quality and assumptions ---------------------------------------------------------


def test_data_quality_counts_defaults_and_single_values():
    result = plan_of(
        [
            system("guessed", replacement_cost_gbp_likely=None, replacement_months_likely=None),
            system(
                "ranged",
                replacement_cost_gbp_low=1e6,
                replacement_cost_gbp_high=2e6,
                platform="Windows XP",
            ),
        ]
    )
    quality = data_quality(result)
    assert quality.loc["cost estimate defaulted", "which"] == "guessed"
    assert quality.loc["duration estimate defaulted", "systems"] == 1
    assert quality.loc["no range for the cost", "which"] == "guessed"  # no estimate: no range
    assert quality.loc["no platform", ["systems", "out_of"]].tolist() == [1, 2]
    # neither has a category, so both are 'other'
    assert quality.loc["category 'other'", ["systems", "which"]].tolist() == [2, "guessed, ranged"]


def test_changes_from_default_lists_each_changed_setting():
    policy = planner.load_policy().with_overrides({"schedule.budget.by_year.2027/28": "4.5m"})
    frame = changes_from_default(policy)
    assert frame.to_dict("records") == [
        {
            "setting": "schedule.budget.by_year.2027/28",
            "default": "12000000.0",
            "this plan": "4500000.0",
        }
    ]


# --- the register -------------------------------------------------------------------------


def test_unsupported_register_in_the_dspt_shape(tmp_path):
    result = plan_of(
        [
            system("xp", platform="Windows XP", product="Scan", version="2.1"),
            system("kept", disposition="retain", platform="Windows Server 2003"),
            system("fine", end_of_support="2040-01-01"),
        ]
    )
    register = unsupported_register(result)
    assert register["System id"].tolist() == ["xp", "kept"]  # XP Apr 2014, 2003 Jul 2015
    xp = register.set_index("System id").loc["xp"]
    assert (xp["Component"], xp["Version"], xp["Remediation financial year"]) == (
        "Scan",
        "2.1",
        "2027/28",
    )
    kept = register.set_index("System id").loc["kept"]
    assert kept["Remediation"] == "retain: none planned" and kept["Remediation go-live"] is pd.NaT
    assert (register["Compensating control"] == "").all() and (register["Risk owner"] == "").all()
    with (write_register(register, tmp_path / "r.csv", as_of=result.start)).open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["Compensating control"] == "" and rows[0]["System id"] == "xp"
    book = openpyxl.load_workbook(write_register(register, tmp_path / "r.xlsx", as_of=result.start))
    sheet = book["Unsupported systems"]
    assert "the trust completes them" in sheet["A1"].value
    assert [c.value for c in sheet[2]][9:11] == ["Compensating control", "Risk owner"]
    with pytest.raises(InvalidArgumentError, match=r"cannot write the register to 'r\.txt'"):
        write_register(register, tmp_path / "r.txt", as_of=result.start)


# --- the manifest -------------------------------------------------------------------------


def test_manifest_is_the_same_for_the_same_inputs_but_for_the_time(make_inventory):
    folder = make_inventory()
    result = planner.plan(folder)
    first = run_manifest(result, inputs=[folder])
    second = run_manifest(planner.plan(folder), inputs=[folder])
    assert {k for k in first if first[k] != second[k]} <= {"created"}
    systems = folder / "systems.csv"
    listed = {item["path"]: item["sha256"] for item in first["inputs"]}
    assert listed[systems.as_posix()] == hashlib.sha256(systems.read_bytes()).hexdigest()
    changed = run_manifest(planner.plan(folder, budget={"2027/28": 1e6}), inputs=[folder])
    assert changed["policy"]["sha256"] != first["policy"]["sha256"]
    assert changed["plan_id"] != first["plan_id"]
    assert changed["policy"]["differs_from_default"] == {
        "schedule.budget.by_year.2027/28": "1000000.0"
    }
    assert first["method"]["impact"] == "exact" and first["method"]["schedule"] == "fast"


# --- the page -----------------------------------------------------------------------------


class _Elements(html.parser.HTMLParser):
    """The elements and the text of a page, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_report():
    """The five-system example with markup and template syntax in names, notes and
    suppliers."""
    trust = planner.load("data/examples/five-systems")
    systems = trust.systems.copy()
    for (key, text), system_id in zip(HOSTILE.items(), ["pas", "tie", "ed", "lab-db"], strict=True):
        systems.loc[system_id, "name"] = f"{text} {key}"
        systems.loc[system_id, "supplier"] = text
        systems.loc[system_id, "notes"] = text
    result = make_plan(type(trust)(systems, trust.dependencies))
    return build_report(result, organisation="<b>Trust</b>", runs=50, levers=False)


@pytest.mark.slow
def test_markup_in_names_comes_out_as_text(hostile_report):
    page = hostile_report.to_html()
    parsed = _Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "b" not in parsed.tags
    assert not any(name.startswith("on") for name, _ in parsed.attributes)
    text = "".join(parsed.text)
    for value in HOSTILE.values():
        assert value in text
    assert "49 {% raw %}" not in text  # {{ 7*7 }} was never evaluated
    assert page.count("<title>") == 1 and "<b>Trust</b>" in text
    assert "http" not in page


def test_every_section_and_the_gantt_are_in_the_page(hostile_report):
    page = hostile_report.to_html()
    for part in hostile_report.parts:
        assert f'id="{part.key}"' in page
    (roadmap,) = [p for p in hostile_report.parts if p.key == "roadmap"]
    (gantt,) = [b for b in roadmap.blocks if b.kind == "gantt"]
    assert page.count("<details") == len(gantt.view.groups) == 4
    assert page.count('<span class="bar d-') == gantt.view.projects


def test_the_pack_says_what_the_plan_says(hostile_report):
    page = hostile_report.to_html()
    head = hostile_report.data["headline"]
    assert hostile_report.headline == head.text and f'<p class="headline">{head.text}' in page
    (summary,) = [p for p in hostile_report.parts if p.key == "summary"]
    (facts,) = [b for b in summary.blocks if isinstance(b, Facts)]
    shown = dict(facts.items)
    assert shown["Projects planned"] == f"{head.projects} of {head.total_projects}"
    assert shown["Not scheduled"] == "none"
    (warnings,) = [p for p in hostile_report.parts if p.key == "warnings"]
    (table,) = [b for b in warnings.blocks if isinstance(b, Table)]
    assert len(table.rows) == int(warnings.blocks[0].text.split()[0])


@pytest.mark.slow
def test_an_unscheduled_plan_says_so_first_everywhere(left_out, tmp_path):
    report = build_report(left_out, runs=20, levers=False)
    assert report.headline == left_out.headline and report.unscheduled
    page = report.to_html()
    assert f'<p class="headline alert">{left_out.headline}</p>' in page
    assert page.index('class="alert"') < page.index('id="programmes"')  # in the summary
    assert '<details class="group unscheduled" open>' in page
    assert "£3.0m · needs 2 FTE of integration a month" in page  # the PAS row in the Gantt
    assert "waits for pas, which is not scheduled" in page  # the ED row
    (clinical,) = [p for p in report.parts if p.key == "clinical-safety"]
    # neither is clinical: no "clinical project not scheduled" alert, only the one that says
    # the register gives no project a clinical-safety class
    assert [b.text[:44] for b in clinical.blocks if isinstance(b, Alert)] == [
        "No planned project has a clinical-safety cla"
    ]
    pdf = PdfReader(report.write(tmp_path / "r.pdf"))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Not everything fits: 2 projects of 3" in text
    assert left_out.headline in text  # on the cover


@pytest.mark.slow
def test_a_plan_with_nothing_scheduled_still_makes_a_pack(tmp_path):
    result = plan_of(
        [system("pas", team_demand={"integration": 2.0}), system("ed", after=("pas",))],
        **{"schedule.teams": {"integration": 1}},
    )
    report = build_report(result, runs=20)  # no forecast of nothing: no IndexError either
    assert report.data["forecast"] is None
    by_key = {part.key: texts(part) for part in report.parts}
    assert by_key["summary"].startswith("Nothing fits: none of the 2 projects (2 systems, £2.4m)")
    assert "Nothing is scheduled, so there are no dates to forecast." in by_key["confidence"]
    assert "Nothing is scheduled, so the roadmap is empty." in by_key["roadmap"]
    assert report.write(tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")


def test_the_summary_facts_are_the_plans_own():
    result = planner.plan("data/sample-trust")
    head = headline(result)
    summary = result.summary()
    assert head.contracts_to_extend == summary["contracts to extend"]
    assert round(head.contract_extension_gbp) == summary["contract extensions (GBP)"]
    assert round(head.double_running_gbp) == summary["double running (GBP)"]
    assert head.accepted_risks == summary["accepted risks"] == len(result.accepted_risks)
    assert head.not_scheduled == summary["not scheduled"]


@pytest.mark.slow
def test_forecast_warnings_go_where_a_board_reads_them():
    result = planner.plan("data/examples/five-systems")
    outlook = forecast_plan(result, runs=20)
    slip = "2027/28: in 60% of runs less capital is spent by 31 March than planned"
    spread = "3 of 4 systems give a single value: their ranges are the policy's spread"
    outlook = type(outlook)(**{**outlook.__dict__, "warnings": [spread, slip]})
    report = build_report(result, forecast=outlook, levers=False)
    by_key = {part.key: texts(part) for part in report.parts}
    assert "2027/28: In 60% of runs" not in by_key["spend"]
    assert "2027/28: in 60% of runs less capital" in by_key["spend"]
    assert "3 of 4 systems give a single value" in by_key["confidence"]
    assert "2027/28: in 60%" not in by_key["confidence"]


def test_assumptions_name_the_money_and_governance_rules():
    words = dict(assumptions(planner.load_policy()))
    assert words["Revenue budget per financial year"] == "no limit"
    assert words["Double running"] == "a replaced system runs 3 months beside its replacement"
    assert words["Business case approval"].startswith("trust board from £1.0m (3 months)")
    assert words["Clinical safety (DCB0160)"].startswith("signed off in the 2 months before")


def test_charts_are_inline_svg_without_namespaces_or_comments():
    figure = planner.charts.plot_spend(planner.plan("data/examples/five-systems"))
    svg = inline_svg(figure, "spend")
    assert svg.startswith('<svg role="img"') and svg.rstrip().endswith("</svg>")
    assert "xmlns" not in svg and "<!--" not in svg and "http" not in svg
    assert 'id="spend_' in svg and "url(#spend_" in svg


@pytest.mark.slow
def test_the_pdf_has_every_part_as_text(hostile_report, tmp_path):
    path = hostile_report.write(tmp_path / "report.pdf")
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= len(hostile_report.parts) + 1  # a cover, a page a part or more
    for part in hostile_report.parts:
        assert part.title in text
    assert HOSTILE["script"] in text
    assert reader.metadata.title == "Legacy replacement roadmap"


def test_a_report_is_written_as_html_or_pdf_only(hostile_report, tmp_path):
    with pytest.raises(InvalidArgumentError, match=r"cannot write a report to 'report\.docx'"):
        hostile_report.write(tmp_path / "report.docx")


# --- the command line ---------------------------------------------------------------------


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_report_command_writes_html_or_pdf(capsys, make_inventory, tmp_path):
    folder = make_inventory()
    code, out, _ = run(
        capsys, "report", folder, "-o", tmp_path / "r.html", "--runs", "20", "--no-levers"
    )
    assert code == 0 and f"Wrote {tmp_path / 'r.html'}" in out
    page = (tmp_path / "r.html").read_text()
    assert 'id="options"' in page and "Levers were not computed" in page
    assert "Nothing is planned, so there are no dates to forecast" in page  # all retained
    code, _, _ = run(capsys, "report", folder, "-o", tmp_path / "r.pdf", "--runs", "20")
    assert code == 0 and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    code, _, err = run(capsys, "report", folder, "-o", tmp_path / "r.docx")
    assert code == 2 and "is not a .html or .pdf file" in err


@pytest.mark.slow
def test_report_from_the_store_names_its_batch(capsys, make_inventory, tmp_path):
    db = tmp_path / "store.db"
    assert run(capsys, "import", make_inventory(), "--db", db)[0] == 0
    out = tmp_path / "r.html"
    code, _, _ = run(capsys, "report", "--db", db, "-o", out, "--runs", "20", "--no-levers")
    assert code == 0
    assert "&#34;batch&#34;: 1" in out.read_text() or "&quot;batch&quot;: 1" in out.read_text()


@pytest.mark.slow
def test_roadmap_writes_the_pack_and_a_manifest_that_repeats(capsys, make_inventory, tmp_path):
    folder = make_inventory()
    manifests = []
    for name in ("first", "second"):
        code, out, _ = run(capsys, "roadmap", folder, "--out", tmp_path / name)
        assert code == 0 and "start with" in out and "report.html" in out
        manifests.append(json.loads((tmp_path / name / "manifest.json").read_text()))
        written = {p.name for p in (tmp_path / name).iterdir()}
        assert {"report.html", "unsupported-systems.csv", "unsupported-systems.xlsx"} <= written
    first, second = manifests
    assert {k for k in first if first[k] != second[k]} == {"created"}
    assert [Path(i["path"]).name for i in first["inputs"]] == ["dependencies.csv", "systems.csv"]


def test_the_spend_words_never_deny_a_likely_slip_the_table_shows():
    spend = pd.DataFrame(
        {
            "capital_budget_gbp": [1e6, 1e6],
            "capital_gbp": [995_000.0, 500_000.0],
            "capital_headroom_gbp": [5_000.0, 500_000.0],
            "revenue_budget_gbp": [float("nan")] * 2,
            "revenue_gbp": [0.0, 0.0],
            "spend_gbp": [995_000.0, 500_000.0],
            "revenue_headroom_gbp": [float("nan")] * 2,
            "p_capital_slips_past_31_march": [0.81, 0.2],
            "median_capital_shortfall_gbp": [12_000.0, 0.0],
        },
        index=pd.Index(["2027/28", "2028/29"], name="financial_year"),
    )
    words = texts(parts.spend_part(spend, None, [], []))  # type: ignore[arg-type]
    assert "no year's capital is likely to slip" not in words
    assert (
        "In the forecast capital is more likely than not to slip past 31 March in 2027/28 "
        "(81% of runs, a median £12k short): small sums, under the share the forecast warns "
        "about." in words
    )
    # a year the forecast warns about (a shortfall of 5% or more) is said by its warning,
    # not twice
    spend.loc["2027/28", "median_capital_shortfall_gbp"] = 100_000.0
    warned = texts(parts.spend_part(spend, None, [], ["2027/28: in 81% of runs ..."]))  # type: ignore[arg-type]
    assert "small sums" not in warned


def test_the_board_pack_refuses_a_folder_of_other_files_before_its_work(
    left_out, tmp_path, monkeypatch
):
    from inventory.errors import OutputError
    from planner.report import pack

    folder = tmp_path / "board"
    folder.mkdir()
    (folder / "minutes.docx").write_text("ours")

    def never(*args, **kwargs):
        raise AssertionError("the report was built before the folder was checked")

    monkeypatch.setattr(pack, "build_report", never)
    with pytest.raises(OutputError, match=r"it holds minutes\.docx, which this did not write"):
        pack.write_board_pack(left_out, folder)
    assert [p.name for p in folder.iterdir()] == ["minutes.docx"]
