"""Move groups and precedence rules."""

from __future__ import annotations

from planner.ordering import planning_units
from tests.planner.conftest import inventory, simple_policy, system


def links_of(records, deps=(), **policy_changes):
    inv = inventory(records, deps)
    ordering = planning_units(inv.systems, inv.dependencies, simple_policy(**policy_changes))
    links = ordering.links[["before", "after", "reason"]].values
    return ordering.units, sorted(map(tuple, links)), ordering.warnings


def test_only_systems_not_retained_or_retired_are_planned():
    units, _, _ = links_of(
        [system("a"), system("b", disposition="retain"), system("c", status="retired")]
    )
    assert list(units.index) == ["a"]


def test_a_dependency_cycle_is_one_move_group():
    records = [
        system("ris", replacement_months_likely=12, replacement_cost_gbp_likely=1e6),
        system(
            "pacs",
            replacement_months_likely=18,
            replacement_cost_gbp_likely=5e6,
            team_demand={"integration": 1},
        ),
    ]
    deps = [{"consumer": "ris", "provider": "pacs"}, {"consumer": "pacs", "provider": "ris"}]
    units, _, _ = links_of(records, deps)
    group = units.loc["pacs+ris"]
    assert group["members"] == ("ris", "pacs")
    assert (group["cost_gbp"], group["months"]) == (6e6, 18)
    assert group["team_demand"] == {"integration": 1.0}


def test_replaced_by_and_after():
    records = [
        system("epr"),
        system("pas", disposition="retire", replaced_by="epr"),
        system("lims", after=("epr",)),
    ]
    _, links, _ = links_of(records)
    assert links == [("epr", "lims", "after"), ("epr", "pas", "replaced_by")]


def test_providers_first_only_for_platforms():
    records = [system("tie", category="integration engine"), system("ed"), system("lims")]
    deps = [
        {"consumer": "ed", "provider": "tie", "kind": "HL7 v2"},
        {"consumer": "ed", "provider": "lims", "kind": "HL7 v2"},
    ]
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "providers-first"})
    assert links == [("tie", "ed", "providers-first")]
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "consumers-first"})
    assert links == [("ed", "tie", "consumers-first")]
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "none"})
    assert links == []


def test_platform_kinds_order_too():
    deps = [{"consumer": "app", "provider": "db", "kind": "database link"}]
    _, links, _ = links_of(
        [system("app"), system("db")], deps, **{"ordering.precedence": "providers-first"}
    )
    assert links == [("db", "app", "providers-first")]


def test_a_retiring_system_goes_after_dependents_unless_something_absorbs_it():
    deps = [{"consumer": "report", "provider": "old"}]
    records = [system("old", disposition="retire"), system("report")]
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "providers-first"})
    assert links == [("report", "old", "retire after dependents")]
    records = [
        system("new"),
        system("old", disposition="retire", replaced_by="new"),
        system("report"),
    ]
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "providers-first"})
    assert links == [("new", "old", "replaced_by")]


def test_graph_links_that_close_a_cycle_with_explicit_ones_are_dropped_with_a_warning():
    records = [system("tie", category="integration engine", after=("ed",)), system("ed")]
    deps = [{"consumer": "ed", "provider": "tie", "kind": "HL7 v2"}]
    _, links, warnings = links_of(records, deps, **{"ordering.precedence": "providers-first"})
    assert links == [("ed", "tie", "after")]
    assert warnings[-1]["message"] == (
        "dependency-order links among ed, tie form a cycle with explicit constraints; the 1 "
        "derived from the dependency graph were dropped"
    )


def test_explicit_cycles_are_impossible():
    records = [system("a", after=("b",)), system("b", after=("a",))]
    _, _, warnings = links_of(records)
    assert warnings[-1] == {
        "kind": "impossible",
        "system": None,
        "message": "impossible constraint: replaced_by/after links form a cycle through a, b; "
        "these are not scheduled until one link is removed",
    }


def test_contract_end_holds_back_live_systems_only():
    records = [
        system("a", contract_end="2029-03-31"),
        system("b", contract_end="2037-03-31", status="planned"),
    ]
    units, _, _ = links_of(records)
    assert str(units.loc["a", "not_before"].date()) == "2029-03-31"
    assert units["not_before"].isna().tolist() == [False, True]


def test_a_cycle_through_a_retained_system_does_not_make_a_move_group():
    """Two EPRs both feed and read a shared care record: while the record is retained each
    EPR is its own project; if the record is replaced too, all three move together."""
    records = [system("epr-a"), system("epr-b"), system("shcr", disposition="retain")]
    pairs = [("epr-a", "shcr"), ("shcr", "epr-a"), ("epr-b", "shcr"), ("shcr", "epr-b")]
    deps = [{"consumer": c, "provider": p} for c, p in pairs]
    units, _, _ = links_of(records, deps)
    assert sorted(units.index) == ["epr-a", "epr-b"]
    records[2] = system("shcr")
    units, _, _ = links_of(records, deps)
    assert list(units.index) == ["epr-a+epr-b+shcr"]


def test_systems_absorbed_by_the_same_replacement_do_not_wait_for_each_other():
    deps = [{"consumer": "tail", "provider": "pas"}, {"consumer": "other", "provider": "pas"}]
    records = [
        system("epr"),
        system("pas", disposition="retire", replaced_by="epr"),
        system("tail", disposition="retire", replaced_by="epr"),  # moves with the PAS
        system("other", disposition="retire"),  # switched off on its own: the PAS waits
    ]
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "providers-first"})
    assert sorted(links) == [
        ("epr", "pas", "replaced_by"),
        ("epr", "tail", "replaced_by"),
        ("other", "pas", "retire after dependents"),
    ]
