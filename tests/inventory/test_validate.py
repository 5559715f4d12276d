"""Every validation rule, with its exact message."""

from __future__ import annotations

import pandas as pd
import pytest

from inventory import read_inventory
from tests.conftest import BASIC_DEPENDENCIES, BASIC_SYSTEMS


def messages(path) -> list[str]:
    _, report = read_inventory(path)
    return [str(issue) for issue in report.sorted()]


def with_system(**changes) -> list[dict]:
    rows = [dict(r) for r in BASIC_SYSTEMS]
    rows[0].update(changes)
    return rows


def test_basic_inventory_is_valid(make_inventory):
    inventory, report = read_inventory(make_inventory())
    assert report.valid and not report.issues
    assert list(inventory.systems.index) == ["pas", "tie", "ed"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"criticality": "hgh"},
            "systems.csv row 2: criticality 'hgh' is not one of: low, medium, high, critical; "
            "did you mean 'high'?",
        ),
        (
            {"annual_run_cost_gbp": "-5k"},
            "systems.csv row 2: annual_run_cost_gbp '-5k' is negative; costs must be zero or more",
        ),
        (
            {"replacement_cost_gbp": "£5m/£3m/£9m"},
            "systems.csv row 2: replacement_cost_gbp '£5m/£3m/£9m' is not in the order "
            "low/likely/high; give the smallest first and the largest last",
        ),
        (
            {"replacement_months": "0"},
            "systems.csv row 2: replacement_months '0' must be more than 0 months",
        ),
        (
            {"replacement_cost_gbp": "-1m"},
            "systems.csv row 2: replacement_cost_gbp '-1m' is negative; costs must be zero or more",
        ),
        (
            {"go_live": "31/02/2027"},
            "systems.csv row 2: go_live '31/02/2027' is not a real date: there is no day 31 in "
            "month 2 of 2027",
        ),
        (
            {"users": "many"},
            "systems.csv row 2: users 'many' is not a whole number",
        ),
        (
            {"users": "-3"},
            "systems.csv row 2: users '-3' is negative; it must be 0 or more",
        ),
        (
            {"patient_facing": "sometimes"},
            "systems.csv row 2: patient_facing 'sometimes' is not yes or no",
        ),
        (
            {"organisation": "R-1"},
            "systems.csv row 2: organisation 'R-1' is not an ODS code: 3 to 10 letters and "
            "digits, like RXX or A81001",
        ),
        (
            {"replaced_by": "tie2"},
            "systems.csv row 2: replaced_by 'tie2' is not a system in this inventory; did you "
            "mean 'tie'?",
        ),
        (
            {"replaced_by": "pas"},
            "systems.csv row 2: replaced_by 'pas' is the system itself; name the system that "
            "absorbs it",
        ),
        (
            {"after": "tie; lims"},
            "systems.csv row 2: after 'lims' is not a system in this inventory; add it to "
            "systems or correct the id",
        ),
        ({"after": "pas"}, "systems.csv row 2: after 'pas' is the system itself; remove it"),
        (
            {"move_with": "tie; ris-db"},
            "systems.csv row 2: move_with 'ris-db' is not a system in this inventory; add it to "
            "systems or correct the id",
        ),
        (
            {"move_with": "pas"},
            "systems.csv row 2: move_with 'pas' is the system itself; remove it",
        ),
        (
            {"capital_share": "120%"},
            "systems.csv row 2: capital_share '120%' ",
        ),
        (
            {"spend_by_year": "40%; lots"},
            "systems.csv row 2: spend_by_year '40%; lots' ",
        ),
        (
            {"spend_profile": "hockey stick"},
            "systems.csv row 2: spend_profile 'hockey stick' ",
        ),
        (
            {"clinical_safety_class": "severe"},
            "systems.csv row 2: clinical_safety_class 'severe' ",
        ),
        (
            {"team_demand": "integration lots"},
            "systems.csv row 2: team_demand 'integration lots' is not team demand; write it "
            "like 'integration: 0.5; infrastructure: 1'",
        ),
        (
            {"id": "PAS main"},
            "systems.csv row 2: id 'PAS main' is not a valid id: use letters, digits, '-', "
            "'_' or '.' (try 'pas-main')",
        ),
        ({"name": ""}, "systems.csv row 2: name is blank; every row needs one"),
    ],
)
def test_system_rules(make_inventory, changes, expected):
    result = messages(make_inventory(with_system(**changes), []))
    assert len(result) == 1
    assert result[0].startswith(expected)


def test_duplicate_ids_ignore_case_and_spaces(make_inventory):
    rows = [*BASIC_SYSTEMS, {"id": " PAS ", "name": "Second PAS"}]
    assert messages(make_inventory(rows, [])) == [
        "systems.csv row 5: id 'PAS' is already used on row 2; ids must be unique (case and "
        "spaces are ignored)"
    ]


def test_missing_required_column(make_inventory):
    rows = [{"name": "PAS"}]
    assert messages(make_inventory(rows, [])) == [
        "systems.csv: missing required column 'id'; the columns found are: name"
    ]


def test_a_misspelt_header_is_named_with_the_field_it_was_meant_to_be(make_inventory):
    rows = [{"id": "pas", "nmae": "PAS", "critcality": "critical", "owner": "IT"}]
    assert messages(make_inventory(rows, [])) == [
        "systems.csv: missing required column 'name'; did you mean 'nmae'?; the columns found "
        "are: id, nmae, critcality, owner",
        "systems.csv: warning: column 'critcality' is not a field, so it is kept as it is and "
        "criticality takes its default (medium); did you mean 'criticality'? rename the column "
        "(or, for a register read with a mapping, map it)",
    ]


@pytest.mark.parametrize(
    ("dependency", "expected"),
    [
        (
            {"consumer": "ed", "provider": "pass"},
            "dependencies.csv row 4: provider 'pass' is not a system in this inventory; did "
            "you mean 'pas'?",
        ),
        (
            {"consumer": "lims", "provider": "pas"},
            "dependencies.csv row 4: consumer 'lims' is not a system in this inventory; add it "
            "to systems or correct the id",
        ),
        (
            {"consumer": "ed", "provider": "ed"},
            "dependencies.csv row 4: consumer and provider are both 'ed'; a system cannot "
            "depend on itself",
        ),
        (
            {"consumer": "tie", "provider": "pas"},
            "dependencies.csv row 4: dependency tie -> pas is already listed on row 2; put all "
            "its message types on one row",
        ),
        (
            {"consumer": "ed", "provider": "pas", "kind": "carrier pigeon"},
            "dependencies.csv row 4: kind 'carrier pigeon' is not one of: HL7 v2, FHIR, DICOM, "
            "messaging, file transfer, database link, API, authentication, infrastructure, "
            "manual, other",
        ),
        (
            {"consumer": "ed", "provider": "pas", "daily_volume": "-4"},
            "dependencies.csv row 4: daily_volume '-4' is negative; it must be 0 or more",
        ),
    ],
)
def test_dependency_rules(make_inventory, dependency, expected):
    result = messages(make_inventory(None, [*BASIC_DEPENDENCIES, dependency]))
    assert result == [expected]


def test_every_problem_is_reported_not_just_the_first(make_inventory):
    rows = with_system(criticality="hgh", go_live="31/02/2027", users="many")
    rows[1]["annual_run_cost_gbp"] = "lots"
    result = messages(make_inventory(rows, [{"consumer": "zz", "provider": "pas"}]))
    assert len(result) == 5


def test_unknown_columns_are_kept(make_inventory):
    rows = with_system(**{"Business Owner": "Dr Patel"})
    inventory, report = read_inventory(make_inventory(rows, []))
    assert report.valid
    assert inventory.systems.loc["pas", "business_owner"] == "Dr Patel"


def test_defaults_fill_blank_optional_fields(make_inventory):
    inventory, _ = read_inventory(make_inventory())
    row = inventory.systems.loc["tie"]
    assert (row["category"], row["hosting"], row["status"], row["disposition"]) == (
        "other",
        "on-premises",
        "live",
        "retain",
    )
    assert row["annual_run_cost_gbp"] == 0.0 and row["after"] == () and row["team_demand"] == {}


def test_split_range_columns(make_inventory):
    rows = with_system(
        replacement_cost_gbp_low="1m",
        replacement_cost_gbp_likely="2m",
        replacement_cost_gbp_high="4m",
    )
    inventory, report = read_inventory(make_inventory(rows, []))
    assert report.valid
    assert inventory.systems.loc["pas", "replacement_cost_gbp_high"] == 4e6


def test_range_given_both_ways_is_refused(make_inventory):
    rows = with_system(replacement_cost_gbp="1m", replacement_cost_gbp_low="1m")
    assert messages(make_inventory(rows, [])) == [
        "systems.csv: give replacement_cost_gbp either as one column or as "
        "replacement_cost_gbp_low, replacement_cost_gbp_likely, replacement_cost_gbp_high, "
        "not both"
    ]


def test_references_may_name_systems_already_stored(make_inventory):
    path = make_inventory(None, [{"consumer": "ed", "provider": "lims"}])
    _, report = read_inventory(path, known_ids={"lims"})
    assert report.valid


def test_values_read_by_assumption_are_warnings_on_their_cells(make_inventory):
    systems = with_system(
        go_live="2011",
        end_of_support="Mar 2025",
        contract_end="2026/27",
        criticality="Tier 1",
        annual_run_cost_gbp="£45k pa",
        replacement_months="9-12 months",
    )
    inventory, report = read_inventory(make_inventory(systems))
    assert report.valid
    assert [str(w) for w in report.warnings] == [
        "systems.csv row 2: warning: go_live '2011' gives only the year; read as 2011-07-01 "
        "(the middle of the year)",
        "systems.csv row 2: warning: end_of_support 'Mar 2025' gives only the month; read as "
        "2025-03-01 (the start of the month)",
        "systems.csv row 2: warning: contract_end '2026/27' is a financial year (1 April 2026 "
        "to 31 March 2027); read as 2027-03-31 (the end of the financial year)",
        "systems.csv row 2: warning: criticality 'Tier 1' read as critical (tier 1 of 4, as T1)",
        "systems.csv row 2: warning: replacement_months '9-12 months' gives two values; read as "
        "low 9, likely 10.5 (the middle), high 12",
    ]
    pas = inventory.systems.loc["pas"]
    assert pas["go_live"] == pd.Timestamp("2011-07-01")
    assert pas["contract_end"] == pd.Timestamp("2027-03-31")
    assert pas["annual_run_cost_gbp"] == 45_000
    assert pas[["replacement_months_low", "replacement_months_high"]].tolist() == [9, 12]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"go_live": "2010-06-01", "end_of_support": "31/12/1999"},
            "systems.csv row 2: warning: end_of_support '31/12/1999' is before go_live "
            "2010-06-01; check both (the end of support is scored as given)",
        ),
        (
            {"go_live": "2090-01-01", "status": "live"},
            "systems.csv row 2: warning: go_live '2090-01-01' is in the future for a live "
            "system; check it, or give status planned (it is scored as a new system)",
        ),
    ],
)
def test_dates_that_cannot_both_be_right_are_warned(make_inventory, changes, expected):
    path = make_inventory(systems=with_system(**changes))
    _, report = read_inventory(path)
    assert report.valid and [str(i) for i in report.sorted()] == [expected]


def test_a_planned_system_may_go_live_in_the_future(make_inventory):
    path = make_inventory(systems=with_system(go_live="2090-01-01", status="planned"))
    assert messages(path) == []
