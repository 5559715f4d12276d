"""Blast radius: hand-traced failure and degradation on small graphs, and cut-over windows."""

from __future__ import annotations

import pytest

import planner
from inventory.errors import InvalidArgumentError, UnknownSystemError
from inventory.model import Inventory
from planner.blast import blast_radius
from planner.policy import load_policy
from tests.planner.conftest import simple_policy, system

LINKS = [
    # consumer, provider, kind, criticality
    ("pas", "vm", "infrastructure", "medium"),  # runs on: hard whatever its criticality
    ("ed", "pas", "HL7 v2", "critical"),  # hard by criticality
    ("audit", "ed", "file transfer", "low"),  # soft: audit degrades
    ("clinic", "pas", "manual", "low"),  # soft: clinic degrades
    ("kiosk", "clinic", "infrastructure", "high"),  # hard, but clinic only degrades
    ("lims", "ed", "HL7 v2", "high"),
    ("ed", "lims", "HL7 v2", "high"),  # ed <-> lims: a cycle
    ("web", "cdn", "API", "critical"),  # not connected to vm at all
]


def estate(**changes):
    ids = sorted({x for link in LINKS for x in link[:2]})
    systems = [{"id": i, "name": i.upper(), "patient_facing": i in ("ed", "kiosk")} for i in ids]
    deps = [
        {"consumer": c, "provider": p, "kind": k, "criticality": level} for c, p, k, level in LINKS
    ]
    return Inventory.from_records(systems, deps)


def test_failure_flows_through_hard_links_and_degrades_through_soft_ones():
    result = blast_radius(estate(), ["vm"], load_policy())
    radius = result.table
    assert radius["effect"].to_dict() == {
        "pas": "fails",
        "ed": "fails",
        "lims": "fails",
        "clinic": "degrades",
        "audit": "degrades",
        "kiosk": "degrades",
    }
    assert radius["hops"].to_dict() == {
        "pas": 1,
        "ed": 2,
        "lims": 3,
        "clinic": 2,
        "audit": 3,
        "kiosk": 3,
    }
    assert (
        radius.loc["kiosk", "path"]
        == "vm >(infrastructure) pas >(manual) clinic >(infrastructure) kiosk"
    )
    assert radius.loc["lims", "via"] == "HL7 v2"
    assert radius.loc[radius["patient_facing"]].index.tolist() == ["ed", "kiosk"]
    assert "web" not in radius.index and "vm" not in radius.index
    assert result.down == ["vm"]


def test_a_system_in_a_cycle_with_the_one_down_fails_without_looping():
    radius = blast_radius(estate(), ["lims"], load_policy()).table
    assert radius["effect"].to_dict() == {"ed": "fails", "audit": "degrades"}
    assert radius.loc["audit", "path"] == "lims >(HL7 v2) ed >(file transfer) audit"


def test_several_down_take_the_nearest_path():
    radius = blast_radius(estate(), ["vm", "ed"], load_policy()).table
    assert radius.loc["audit", "hops"] == 1 and radius.loc["audit", "path"].startswith("ed ")
    assert "ed" not in radius.index


def test_the_policy_says_which_links_are_hard():
    soft = simple_policy(**{"blast_radius.hard_kinds": [], "blast_radius.hard_criticality": []})
    radius = blast_radius(estate(), ["vm"], soft).table
    assert set(radius["effect"]) == {"degrades"} and len(radius) == 6


def test_unknown_system_is_named():
    with pytest.raises(UnknownSystemError, match="no system 'nope'"):
        blast_radius(estate(), ["vm", "nope"], load_policy())


def test_systems_down_are_found_by_id_in_any_case_or_by_name_as_explain_finds_them():
    by_id = blast_radius(estate(), ["vm"], load_policy()).table
    assert blast_radius(estate(), [" VM "], load_policy()).table.equals(by_id)
    with pytest.raises(UnknownSystemError) as raised:
        blast_radius(estate(), ["vmm"], load_policy())
    assert str(raised.value).startswith("no system 'vmm' (did you mean")


@pytest.mark.slow
def test_cutover_window_takes_down_what_goes_live_that_month_in_the_estate_of_then():
    records = [
        system("old-pas", replaced_by="epr", disposition="retire", replacement_months_likely=2),
        system("epr", status="planned", replacement_months_likely=6),
        system("pacs", replacement_months_likely=6),  # live the same month as the EPR
        system("fax", disposition="retire", replacement_months_likely=1),  # gone by then
        system("ris", disposition="retain"),
        system("ward", disposition="retain"),
    ]
    deps = [
        {"consumer": "ris", "provider": "old-pas", "kind": "HL7 v2", "criticality": "high"},
        {"consumer": "ward", "provider": "fax", "kind": "file transfer", "criticality": "high"},
        {"consumer": "fax", "provider": "pacs", "kind": "DICOM", "criticality": "high"},
    ]
    trust = Inventory.from_records(records, deps)
    result = planner.plan(trust, simple_policy(**{"ordering.precedence": "none"}))
    assert f"{result.schedule.at['epr', 'go_live']:%Y-%m}" == "2027-09"
    window = planner.blast_radius(result, "epr", window=True)
    windows, radius = window.windows, window.table
    assert windows.loc[0, "cut over"] == ["epr", "pacs"]
    assert windows.loc[0, "switching to them"] == ["old-pas"]
    # old-pas is down while it switches to the EPR, so the RIS fails; fax retired in May,
    # so the ward no longer hears from PACS through it
    assert radius["effect"].to_dict() == {"ris": "fails"}
    with pytest.raises(InvalidArgumentError, match="ris is not scheduled"):
        planner.blast_radius(result, ["ris"], window=True)


def test_everything_that_depends_on_it_is_affected_on_a_national_estate():
    import networkx as nx

    from inventory.synthetic import national

    estate = national(5_000, seed=3)
    radius = blast_radius(estate, ["spine-pds"], load_policy()).table
    assert set(radius.index) == nx.ancestors(estate.graph(), "spine-pds")
    # every path starts at the system that is down and ends at the system it explains
    assert radius["path"].str.startswith("spine-pds >(").all()
    assert all(p.endswith(" " + i) for i, p in radius["path"].items())
    assert (radius["hops"] == radius["path"].str.count(" >\\(")).all()


def test_users_are_not_double_counted_and_shown_as_a_share_of_staff():
    """The same 1,200 clinicians use the PAS, the ED system and the LIMS: with the PAS down
    the users affected are the largest system's (1,200), not the sum (2,300); with a
    headcount of 7,500 that is 16% of staff."""
    inventory = Inventory.from_records(
        [
            {"id": "pas", "name": "PAS", "users": 1200},
            {"id": "ed", "name": "ED", "users": 800},
            {"id": "lims", "name": "LIMS", "users": 300},
        ],
        [
            {"consumer": "ed", "provider": "pas", "kind": "HL7 v2", "criticality": "critical"},
            {"consumer": "lims", "provider": "pas", "kind": "HL7 v2", "criticality": "high"},
        ],
    )
    radius = blast_radius(inventory, ["pas"], load_policy())
    assert radius.users == 1200
    assert radius.summary().endswith("at least 1,200 users affected")
    staffed = load_policy().with_overrides({"blast_radius.headcount": 7500})
    assert (
        blast_radius(inventory, ["pas"], staffed)
        .summary()
        .endswith("at least 1,200 users (16% of 7,500 staff) affected")
    )
