"""Interface catalogues to dependencies: each rule with a hand-worked example."""

from __future__ import annotations

import pandas as pd
import pytest

from inventory.catalogue import (
    catalogue_to_dependencies,
    kind_from_messages,
    normalise_messages,
    parse_direction,
    split_route,
)
from inventory.files import RawTable

SYSTEMS = pd.DataFrame(
    {
        "id": ["pas", "ed", "ocs", "lims", "tie", "mesh"],
        "name": ["Patient Administration", "ED", "Order Comms", "LIMS (WinPath)",
                 "Integration Engine (Rhapsody)", "MESH"],
    }
)  # fmt: skip


def convert(*rows, columns=("sender", "receiver", "messages", "route", "direction")):
    cells = pd.DataFrame([list(r) for r in rows], columns=list(columns), dtype="object")
    cells.index = pd.RangeIndex(2, 2 + len(cells))
    links, report = catalogue_to_dependencies(RawTable("catalogue", "ifaces.csv", cells), SYSTEMS)
    return links.cells, report


def pairs(links):
    return list(zip(links["consumer"], links["provider"], strict=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("->", "one-way"),
        ("→", "one-way"),
        ("One way", "one-way"),
        ("outbound", "one-way"),
        (None, "one-way"),
        ("", "one-way"),
        ("<-", "reverse"),
        ("<->", "two-way"),
        ("↔", "two-way"),
        ("Two-way", "two-way"),
        ("2 way", "two-way"),
        ("bidirectional", "two-way"),
        ("Bi-directional", "two-way"),
        ("both", "two-way"),
        ("two-way (orders out, results back)", "two-way"),
        ("sideways", None),
    ],
)
def test_directions(text, expected):
    assert parse_direction(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("via Rhapsody", ("Rhapsody",)),
        ("Rhapsody", ("Rhapsody",)),
        ("Through the TIE", ("the TIE",)),
        ("Ensemble > MESH", ("Ensemble", "MESH")),
        ("Rhapsody -> MESH", ("Rhapsody", "MESH")),
        ("via Rhapsody then MESH", ("Rhapsody", "MESH")),
        ("Rhapsody / Ensemble", ("Rhapsody", "Ensemble")),
        ("Rhapsody, Rhapsody", ("Rhapsody",)),
        ("direct", ()),
        ("Point to point", ()),
        ("P2P", ()),
        ("none", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_routes_split_into_engines(text, expected):
    assert split_route(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ADT^A01/A03/A08", ("ADT^A01", "ADT^A03", "ADT^A08")),
        ("ADT A01, A08", ("ADT^A01", "ADT^A08")),
        ("adt_a01; oru-r01", ("ADT^A01", "ORU^R01")),
        ("ADT (A01, A02, A03)", ("ADT^A01", "ADT^A02", "ADT^A03")),
        ("ORM/ORU", ("ORM", "ORU")),
        ("Discharge summary; ADT^A03", ("Discharge summary", "ADT^A03")),
        ("DICOM MWL", ("DICOM MWL",)),
        ("ADT^A01; ADT^A01", ("ADT^A01",)),
        (None, ()),
    ],
)
def test_messages_are_normalised(text, expected):
    assert normalise_messages(text) == expected


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        (("ADT^A01",), "HL7 v2"),
        (("ORU",), "HL7 v2"),
        (("Patient FHIR resource",), "FHIR"),
        (("DICOM MWL",), "DICOM"),
        (("Images",), "DICOM"),
        (("EDIFACT NHS003",), "messaging"),
        (("CSV extract",), "file transfer"),
        (("REST API",), "API"),
        (("Discharge summary",), None),
        ((), None),
    ],
)
def test_kind_from_messages(messages, expected):
    assert kind_from_messages(messages) == expected


def test_a_flow_makes_the_receiver_depend_on_the_sender():
    links, report = convert(["Patient Administration", "ED", "ADT^A01", "direct", "->"])
    assert report.valid
    assert pairs(links) == [("ed", "pas")]
    assert links.loc[1].tolist() == ["ed", "pas", "HL7 v2", None, "ADT^A01", None, "direct", None]


def test_an_engine_on_the_route_is_depended_on_by_both_ends():
    links, _ = convert(["pas", "ed", "ADT^A01", "via Rhapsody", "->"])
    assert pairs(links) == [("ed", "pas"), ("pas", "tie"), ("ed", "tie")]
    assert set(links["kind"]) == {"HL7 v2"} and set(links["route"]) == {"via Rhapsody"}


def test_two_engines_on_a_route():
    links, _ = convert(["pas", "ed", "ADT^A01", "Rhapsody > MESH", "->"])
    assert pairs(links) == [
        ("ed", "pas"), ("pas", "tie"), ("ed", "tie"), ("pas", "mesh"), ("ed", "mesh")
    ]  # fmt: skip


def test_a_two_way_flow_is_two_data_links_never_one():
    links, _ = convert(["Order Comms", "WinPath", "ORM^O01; ORU^R01", "direct", "<->"])
    assert pairs(links) == [("lims", "ocs"), ("ocs", "lims")]
    assert set(links["kind"]) == {"HL7 v2"}


def test_a_reversed_row_flows_from_receiver_to_sender():
    links, _ = convert(["ED", "pas", "ADT^A08", "", "<-"])
    assert pairs(links) == [("ed", "pas")]


def test_duplicates_merge_messages_volumes_and_routes():
    links, report = convert(
        ["pas", "ed", "ADT^A01/A08", "via Rhapsody", "->", "12,000", "low"],
        ["pas", "ed", "ADT^A04; ADT^A08", "Rhapsody", "->", "c. 2,000", "Tier 1"],
        ["pas", "ocs", "ADT^A01", "via Rhapsody", "->", "500 per hour", "high"],
        columns=("sender", "receiver", "messages", "route", "direction", "daily_volume",
                 "criticality"),
    )  # fmt: skip
    assert pairs(links) == [("ed", "pas"), ("pas", "tie"), ("ed", "tie"), ("ocs", "pas"),
                            ("ocs", "tie")]  # fmt: skip
    ed = links.loc[1]
    assert ed["messages"] == "ADT^A01; ADT^A08; ADT^A04"
    assert (ed["daily_volume"], ed["criticality"]) == ("12000", "critical")
    assert ed["route"] == "via Rhapsody; Rhapsody"
    feed = links.loc[2]  # the PAS sends one feed to the engine; volumes are not added
    assert (feed["messages"], feed["daily_volume"]) == ("ADT^A01; ADT^A08; ADT^A04", "12000")
    assert [str(w) for w in report.warnings] == [
        "ifaces.csv row 3: warning: criticality 'Tier 1' read as critical (tier 1 of 4, as T1)",
        "ifaces.csv row 3: warning: daily_volume 'c. 2,000' read as 2,000 a day (an estimate)",
        "ifaces.csv row 4: warning: daily_volume '500 per hour' read as 12,000 a day (an hourly "
        "figure x 24)",
        "ifaces.csv: warning: the catalogue has no interface type column, so each link's kind is "
        "worked out from its message types (ADT^A01 is HL7 v2, MWL is DICOM)",
    ]


def test_kinds_come_from_the_type_column_first():
    links, report = convert(
        ["pas", "ed", "ADT^A01", "", "", "HL7 v2.4"],
        ["pas", "ocs", "Patient", "", "", "FHIR R4"],
        ["pas", "lims", "ADT^A01", "", "", ""],
        ["ed", "lims", "Notes", "", "", ""],
        columns=("sender", "receiver", "messages", "route", "direction", "kind"),
    )
    assert links["kind"].tolist() == ["HL7 v2", "FHIR", "HL7 v2", "other"]
    assert [str(w) for w in report.warnings] == [
        "ifaces.csv row 2: warning: kind 'HL7 v2.4' read as HL7 v2 (HL7 version 2 messages)",
        "ifaces.csv row 3: warning: kind 'FHIR R4' read as FHIR (HL7 FHIR)",
        "ifaces.csv row 4: warning: kind is blank; read as HL7 v2 from its messages",
    ]


def test_every_problem_is_on_its_cell_and_its_row_gives_no_link():
    links, report = convert(
        ["Radiolgy", "ED", "ADT^A01", "", "->"],
        ["pas", "ED; Order Comms", "ADT^A01", "via Rhapsodie", "->"],
        ["pas", "ed", "ADT^A01", "", "sideways"],
        ["pas", "PAS", "ADT^A01", "", "->"],
        ["", "ed", "ADT^A01", "", "->"],
        ["pas", "ED, Order Comms", "ADT^A08", "", "->"],
    )
    assert [str(e) for e in report.errors] == [
        "ifaces.csv row 2: sender 'Radiolgy' is not a system in the register; add it to the "
        "systems or use its id or name",
        "ifaces.csv row 3: route engine 'Rhapsodie' is not a system in the register; did you "
        "mean 'Rhapsody' (tie)?",
        "ifaces.csv row 4: direction 'sideways' is not one of: ->, <-, <->, one-way, two-way, "
        "bidirectional",
        "ifaces.csv row 5: sender and receiver are both 'pas'; an interface joins two systems",
        "ifaces.csv row 6: sender is blank; every interface needs one",
    ]
    assert pairs(links) == [("ed", "pas"), ("ocs", "pas")]  # from the list in row 7


def test_missing_columns():
    cells = pd.DataFrame({"sender": ["pas"]}, index=[2])
    links, report = catalogue_to_dependencies(RawTable("c", "ifaces.csv", cells), SYSTEMS)
    assert [str(e) for e in report.errors] == ["ifaces.csv: missing required column 'receiver'"]
    assert links.cells.empty


def test_ids_already_in_the_store_may_be_named():
    cells = pd.DataFrame({"sender": ["spine-pds"], "receiver": ["pas"]}, index=[2])
    table = RawTable("c", "ifaces.csv", cells)
    links, report = catalogue_to_dependencies(table, SYSTEMS, known_ids={"spine-pds"})
    assert report.valid and pairs(links.cells) == [("pas", "spine-pds")]
