"""Proposing a mapping: from headers and synonyms, from values, with confidences."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from inventory import propose_mapping, read_inventory
from inventory.errors import InventoryFileError
from inventory.schema import SYSTEMS
from tests.conftest import ROOT, SAMPLE_TRUST, load_module

make = load_module(ROOT / "tests" / "data" / "registers" / "make_registers.py")


def register(tmp_path, text: str):
    path = tmp_path / "register.csv"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_file_in_the_inventory_format_maps_to_itself():
    mapping = propose_mapping(SAMPLE_TRUST)
    columns = mapping.systems.columns
    assert all(spec.column == name for name, spec in columns.items())
    assert len(columns) == len(SYSTEMS) and not mapping.systems.unused
    inventory, report = read_inventory(SAMPLE_TRUST, mapping=mapping)
    plain, _ = read_inventory(SAMPLE_TRUST)
    assert report.valid and not report.issues
    pd.testing.assert_frame_equal(inventory.systems, plain.systems)
    pd.testing.assert_frame_equal(inventory.dependencies, plain.dependencies)


def test_eastbrook_proposal_in_full(tmp_path):
    mapping = propose_mapping(make.make_eastbrook(tmp_path / "eastbrook"))
    assert mapping.to_yaml() == textwrap.dedent(
        """\
        # Column mapping for modernise: which column of the register fills which inventory
        # field. Columns are named by their headers as written; review every line (the
        # comments give each guess's confidence and reason), edit what is wrong, then
        # validate the register with this file.
        version: 1
        systems:
          sheet: applications.csv
          header_row: 4
          columns:
            id: Ref  # 0.90 header 'Ref' means id
            name: Application  # 0.90 header 'Application' means name
            supplier: Vendor  # 0.90 header 'Vendor' means supplier
            version: Version  # 1.00 header 'Version' means version
            platform: {join: [OS, DB], sep: ' / '}  # 0.90 2 columns say platform: joined
            hosting:  # 0.90 header 'Hosted' means hosting
              column: Hosted
              values:  # each value seen, and how it is read
                AWS: public cloud  # a public cloud provider
                Supplier hosted: private cloud  # run for the trust by a supplier
              # not understood, add it above: 'HSCN' (1 row)
            go_live: Implemented  # 0.90 header 'Implemented' means go_live
            end_of_support: EOL  # 0.90 header 'EOL' means end_of_support
            contract_end: Contract expiry  # 0.90 header 'Contract expiry' means contract_end
            criticality:  # 0.90 header 'Service level' means criticality
              column: Service level
              values:  # each value seen, and how it is read
                Gold: critical  # Gold, Silver, Bronze read as critical, high, medium
                Silver: high  # Gold, Silver, Bronze read as critical, high, medium
                Bronze: medium  # Gold, Silver, Bronze read as critical, high, medium
            users: Users  # 1.00 header 'Users' means users
            annual_run_cost_gbp: Run cost  # 0.90 header 'Run cost' means annual_run_cost_gbp
            replacement_cost_gbp: Capital estimate  # 0.90 header 'Capital estimate' means replacement_cost_gbp
            replacement_months: Duration  # 0.90 header 'Duration' means replacement_months
            disposition:  # 0.90 header 'Strategy' means disposition
              column: Strategy
              rules:  # first match wins; {system} is the system that replaces it
              - migrate to azure: rehost  # 1 value seen
              - replace by {system}|consolidate into {system}|replace: replace  # 3 values seen
              - retire: retire  # 1 value seen
              - tolerate|invest|no change: retain  # 3 values seen
            notes: Notes  # 1.00 header 'Notes' means notes
          unused:  # kept as extra columns, not used for planning
          - Lead
          - Section  # the section headings above each row
        catalogue:
          sheet: interfaces.csv
          header_row: 1
          columns:
            sender: From  # 0.90 header 'From' means sender
            receiver: To  # 0.90 header 'To' means receiver
            messages: Messages  # 1.00 header 'Messages' means messages
            kind:  # 0.90 header 'Type' means kind
              column: Type
              values:  # each value seen, and how it is read
                HL7 v2.4: HL7 v2  # HL7 version 2 messages
                HL7 v2.3: HL7 v2  # HL7 version 2 messages
                FHIR R4: FHIR  # HL7 FHIR
            route: Via  # 0.90 header 'Via' means route
            direction: Flow  # 0.90 header 'Flow' means direction
            daily_volume: Msgs/day  # 0.90 header 'Msgs/day' means daily_volume
            notes: Comments  # 0.90 header 'Comments' means notes
        """  # noqa: E501
    )


def test_westmoor_sheets_and_skipped_ones(tmp_path):
    mapping = propose_mapping(make.make_westmoor(tmp_path / "w.xlsx"))
    assert (mapping.systems.sheet, mapping.catalogue.sheet) == ("Applications", "Interfaces")
    assert mapping.dependencies is None
    text = mapping.to_yaml()
    assert "# Not used: 'Cover' (its headers match no inventory table)" in text
    assert "# Not used: 'Lookups' (its headers match no inventory table)" in text
    assert "    id: {slug: System}  # 0.50 no id column: ids made from 'System'" in text


def test_values_place_columns_no_header_names(tmp_path):
    path = register(
        tmp_path,
        """\
        Code,System,BIA,Live from,Supplier,Version
        A1,PAS,Tier 1,2011,Meridian,5
        A2,ED,Tier 2,Mar 2015,EMIS,2.3
        A3,LIMS,Tier 1,2004,Clinisys,5.3
        """,
    )
    mapping = propose_mapping(path)
    columns = mapping.systems.columns
    assert columns["id"].column == "Code"
    assert columns["criticality"].column == "BIA"
    frame = mapping.to_frame().set_index("field")
    assert frame.loc["id", ["confidence", "reason"]].tolist() == [
        0.6,
        "values of 'Code' are unique codes",
    ]
    assert frame.loc["criticality", "reason"] == "values of 'BIA' are tiers"
    assert mapping.systems.unused == ["Live from"]
    assert mapping.systems._unmapped == {"Live from": "looks like dates"}


def test_a_replace_question_answered_yes_or_no_is_the_disposition(tmp_path):
    path = register(
        tmp_path,
        """\
        Application,Supplier,Replace?
        PAS,Cerner,Yes - with the EPR
        RIS,Agfa,No
        LIMS,Clinisys,yes
        """,
    )
    mapping = propose_mapping(path)
    assert mapping.systems.columns["disposition"].column == "Replace?"
    inventory, report = read_inventory(path, mapping=mapping)
    assert report.valid, [str(issue) for issue in report.errors]
    assert inventory.systems["disposition"].to_dict() == {
        "pas": "replace",
        "ris": "retain",
        "lims": "replace",
    }


def test_a_replace_question_answered_y_or_n_is_the_disposition(tmp_path):
    path = register(
        tmp_path,
        """\
        Application,Supplier,Replace?
        PAS,Cerner,Y
        RIS,Agfa,N
        LIMS,Clinisys,y
        Yearbook,In-house,n
        """,
    )
    mapping = propose_mapping(path)
    inventory, report = read_inventory(path, mapping=mapping)
    assert report.valid, [str(issue) for issue in report.errors]
    assert inventory.systems["disposition"].to_dict() == {
        "pas": "replace",
        "ris": "retain",
        "lims": "replace",
        "yearbook": "retain",
    }


def test_a_header_whose_values_do_not_fit_loses_confidence(tmp_path):
    path = register(
        tmp_path,
        """\
        System,Go live,Supplier,Tier
        PAS,soon,Meridian,T1
        ED,later,EMIS,T2
        """,
    )
    frame = propose_mapping(path).to_frame().set_index("field")
    assert frame.loc["go_live", ["confidence", "reason"]].tolist() == [
        0.6,
        "header 'Go live' means go_live, but only 0% of its values read as go_live",
    ]


def test_platinum_makes_four_service_levels(tmp_path):
    path = register(
        tmp_path,
        """\
        System,Supplier,Service level
        PAS,M,Platinum
        ED,E,Gold
        LIMS,C,Silver
        Intranet,M,Bronze
        """,
    )
    criticality = propose_mapping(path).systems.columns["criticality"]
    assert criticality.values == {
        "Platinum": "critical",
        "Gold": "high",
        "Silver": "medium",
        "Bronze": "low",
    }


def test_bare_tier_numbers_are_proposed_as_tiers_saying_which_way(tmp_path):
    path = register(
        tmp_path,
        """\
        System,Supplier,Criticality (1-4 or High/Med/Low)
        PAS,M,1
        ED,E,2
        LIMS,C,High
        Intranet,M,4
        Kiosk,M,3
        """,
    )
    mapping = propose_mapping(path)
    criticality = mapping.systems.columns["criticality"]
    assert criticality.values == {"1": "critical", "2": "high", "4": "low", "3": "medium"}
    assert (
        "'1': critical  # tiers, 1 the most critical and 4 the least; if 1 is the least, swap "
        "them" in mapping.to_yaml()
    )


def test_no_table_of_systems(tmp_path):
    path = register(tmp_path, "Tier,Meaning\nTier 1,Critical\n")
    with pytest.raises(InventoryFileError, match="has no table that looks like a list of systems"):
        propose_mapping(path)


INTERFACES_ON_THE_SYSTEMS_SHEET = """\
    App ID,System,Supplier,Hosting,{header}
    MH001,RiO EPR,Servelec,Private cloud,"MH002; MH003"
    MH002,Spine PDS,NHS England,SaaS,
    MH003,Pathology LIMS,Clinisys,On-prem,"RiO EPR, MH004"
    MH004,Order comms,Sunquest,On-prem,
    """


@pytest.mark.parametrize(
    "header, direction, links",
    [
        # no direction said: each listed interface both ways (3 pairs, 6 links)
        (
            "Interfaces to",
            "<->",
            {
                ("mh001", "mh002"),
                ("mh002", "mh001"),
                ("mh001", "mh003"),
                ("mh003", "mh001"),
                ("mh003", "mh004"),
                ("mh004", "mh003"),
            },
        ),
        # "Feeds": data flows from the row's system to those listed, so they depend on it
        (
            "Feeds into",
            "->",
            {("mh002", "mh001"), ("mh003", "mh001"), ("mh001", "mh003"), ("mh004", "mh003")},
        ),
    ],
)
def test_a_column_listing_interfaces_on_the_systems_sheet_becomes_links(
    tmp_path, header, direction, links
):
    path = register(tmp_path, INTERFACES_ON_THE_SYSTEMS_SHEET.format(header=header))
    mapping = propose_mapping(path)
    catalogue = mapping.catalogue
    assert catalogue is not None and catalogue.sheet == mapping.systems.sheet
    assert catalogue.columns["sender"].column == "App ID"
    assert catalogue.columns["receiver"].column == header
    assert catalogue.columns["direction"].value == direction
    assert header not in mapping.systems.unused
    inventory, report = read_inventory(path, mapping=mapping)
    assert report.valid, str(report)
    ends = inventory.dependencies[["consumer", "provider"]].itertuples(index=False, name=None)
    assert set(ends) == links
    # the rows with none listed are systems without interfaces, and nothing is said twice
    assert [i.message for i in report.issues] == [
        "the catalogue has no interface type column, so each link's kind is worked out from its "
        "message types (ADT^A01 is HL7 v2, MWL is DICOM); 2 rows show none and are 'other'"
    ]


def test_an_unknown_system_in_an_interfaces_column_is_located_on_its_row(tmp_path):
    path = register(
        tmp_path,
        INTERFACES_ON_THE_SYSTEMS_SHEET.format(header="Interfaces").replace('MH004"', 'Ghost"'),
    )
    _, report = read_inventory(path, mapping=propose_mapping(path))
    assert not report.valid
    assert [str(i) for i in report.errors] == [
        "register.csv row 4: receiver 'Ghost' is not a system in the register; add it to the "
        "systems or use its id or name"
    ]


def test_a_second_interfaces_column_is_named_with_how_to_read_both(tmp_path):
    path = register(
        tmp_path,
        """\
        App ID,System,Supplier,Hosting,Interfaces to,Feeds into
        MH001,RiO EPR,Servelec,Private cloud,"MH002; MH003",MH004
        MH002,Spine PDS,NHS England,SaaS,,
        MH003,Pathology LIMS,Clinisys,On-prem,RiO EPR,
        MH004,Order comms,Sunquest,On-prem,,
        """,
    )
    mapping = propose_mapping(path)
    assert mapping.catalogue is not None
    assert mapping.catalogue.columns["receiver"].column == "Interfaces to"
    assert (
        "  - Feeds into  # also lists interfaces; the catalogue reads one such column, "
        "'Interfaces to': to read both (both ways), give it receiver: {join: [Interfaces to, "
        "Feeds into], sep: '; '}"
    ) in mapping.to_yaml().splitlines()
