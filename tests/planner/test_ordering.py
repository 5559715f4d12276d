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


def test_a_shared_database_cycle_is_one_move_group():
    records = [
        system("ris", replacement_months_likely=12, replacement_cost_gbp_likely=1e6),
        system(
            "pacs",
            replacement_months_likely=18,
            replacement_cost_gbp_likely=5e6,
            team_demand={"integration": 1},
        ),
    ]
    deps = [
        {"consumer": "ris", "provider": "pacs", "kind": "database link"},
        {"consumer": "pacs", "provider": "ris", "kind": "database link"},
    ]
    units, _, _ = links_of(records, deps)
    group = units.loc["pacs+ris"]
    assert group["members"] == ("ris", "pacs")
    assert (group["cost_gbp"], group["months"]) == (6e6, 18)
    assert group["team_demand"] == {"integration": 1.0}


def test_a_data_flow_cycle_never_makes_a_move_group_nor_an_order():
    """Orders out and results back (HL7 both ways), FHIR, files, APIs: each system is its own
    project and neither waits for the other, under every precedence rule."""
    records = [system("epr"), system("lims"), system("tie", category="integration engine")]
    deps = [
        {"consumer": "lims", "provider": "epr", "kind": "HL7 v2"},
        {"consumer": "epr", "provider": "lims", "kind": "HL7 v2"},
        {"consumer": "epr", "provider": "tie", "kind": "FHIR"},
        {"consumer": "tie", "provider": "epr", "kind": "file transfer"},
        {"consumer": "lims", "provider": "tie", "kind": "API"},
        {"consumer": "tie", "provider": "lims", "kind": "HL7 v2"},
    ]
    for rule in ("providers-first", "consumers-first", "none"):
        units, links, warnings = links_of(records, deps, **{"ordering.precedence": rule})
        assert sorted(units.index) == ["epr", "lims", "tie"]
        assert links == []
        assert not [w for w in warnings if w["kind"] in ("impossible", "constraint")]


def test_move_with_joins_systems_into_one_project():
    records = [system("ris"), system("ris-db", move_with=("ris",)), system("pacs")]
    units, _, _ = links_of(records)
    assert sorted(units.index) == ["pacs", "ris+ris-db"]


def test_replaced_by_and_after():
    records = [
        system("epr"),
        system("pas", disposition="retire", replaced_by="epr"),
        system("lims", after=("epr",)),
    ]
    _, links, _ = links_of(records)
    assert links == [("epr", "lims", "after"), ("epr", "pas", "replaced_by")]


def test_providers_first_only_where_the_consumer_moves_with_or_onto_its_platform():
    """A rehosted app waits for the new server farm it moves onto; a replacement product (its
    own new platform) does not wait for the old farm's refresh; data flows order nothing."""
    records = [
        system("vmware"),
        system("app", disposition="rehost"),
        system("ctg"),  # replaced by a new product
        system("tie", category="integration engine"),
    ]
    deps = [
        {"consumer": "app", "provider": "vmware", "kind": "infrastructure"},
        {"consumer": "ctg", "provider": "vmware", "kind": "infrastructure"},
        {"consumer": "app", "provider": "tie", "kind": "HL7 v2"},
    ]
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "providers-first"})
    assert links == [("vmware", "app", "providers-first")]
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "consumers-first"})
    assert links == [("app", "vmware", "consumers-first")]
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "none"})
    assert links == []


def test_a_database_link_orders_a_replatformed_consumer():
    deps = [{"consumer": "app", "provider": "db", "kind": "database link"}]
    _, links, _ = links_of(
        [system("app", disposition="replatform"), system("db")],
        deps,
        **{"ordering.precedence": "providers-first"},
    )
    assert links == [("db", "app", "providers-first")]


def test_precedence_links_carry_the_interface_kind():
    deps = [{"consumer": "app", "provider": "san", "kind": "infrastructure"}]
    inv = inventory([system("app", disposition="refactor"), system("san")], deps)
    ordering = planning_units(
        inv.systems, inv.dependencies, simple_policy(**{"ordering.precedence": "providers-first"})
    )
    assert ordering.links[["before", "after", "reason", "kind"]].values.tolist() == [
        ["san", "app", "providers-first", "infrastructure"]
    ]


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
    records = [system("farm", after=("app",)), system("app", disposition="rehost")]
    deps = [{"consumer": "app", "provider": "farm", "kind": "infrastructure"}]
    _, links, warnings = links_of(records, deps, **{"ordering.precedence": "providers-first"})
    assert links == [("app", "farm", "after")]
    assert warnings[-1]["message"] == (
        "dependency-order links among app, farm form a cycle with explicit constraints; the 1 "
        "derived from the dependency graph were dropped"
    )


def test_an_explicit_cycle_names_each_link_and_the_one_to_cut():
    records = [
        system("epr", after=("lims",)),
        system("lims", after=("pacs",)),
        system("pacs", disposition="retire", replaced_by="epr"),
    ]
    _, _, warnings = links_of(records)
    assert warnings[-1] == {
        "kind": "impossible",
        "system": None,
        "message": "impossible constraint: replaced_by/after links form a cycle through "
        "epr, lims, pacs (epr waits for lims (after); lims waits for pacs (after); pacs waits "
        "for epr (replaced_by)); these are not scheduled until one link is removed: cut 'epr "
        "waits for lims (after)'",
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
    """Two EPRs share a database with a care record: while the record is retained each EPR
    is its own project; if the record is replaced too, all three move together."""
    records = [system("epr-a"), system("epr-b"), system("shcr", disposition="retain")]
    pairs = [("epr-a", "shcr"), ("shcr", "epr-a"), ("epr-b", "shcr"), ("shcr", "epr-b")]
    deps = [{"consumer": c, "provider": p, "kind": "database link"} for c, p in pairs]
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
        system("other", disposition="retire"),  # switched off too: nothing to wait for
        system("report"),  # replaced: it moves off the PAS to the EPR, which absorbs it
    ]
    deps.append({"consumer": "report", "provider": "pas"})
    _, links, _ = links_of(records, deps, **{"ordering.precedence": "providers-first"})
    assert sorted(links) == [("epr", "pas", "replaced_by"), ("epr", "tail", "replaced_by")]


def test_the_ordering_gives_each_system_its_unit_and_each_tie_as_positions():
    """Units are numbered in the order their first member is planned; the plan joins systems
    to units and absorbers to the absorbed by these positions."""
    records = [
        system("epr"),
        system("pas", disposition="retire", replaced_by="epr"),
        system("ris"),
        system("old", disposition="retain"),
        system("pacs"),
    ]
    deps = [
        {"consumer": "ris", "provider": "pacs", "kind": "database link"},
        {"consumer": "pacs", "provider": "ris", "kind": "database link"},
    ]
    inv = inventory(records, deps)
    ordering = planning_units(inv.systems, inv.dependencies, simple_policy())
    assert list(ordering.units.index) == ["epr", "pas", "pacs+ris"]
    assert ordering.unit_at.tolist() == [0, 1, 2, -1, 2]
    assert ordering.tie_at.tolist() == [[0], [1]]
    assert ordering.ties.values.tolist() == [["epr", "pas"]]
