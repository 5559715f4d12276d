"""Column mappings: the file's checks (located, with suggestions) and applying one."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from inventory import (
    InvalidInventoryError,
    Mapping,
    import_inventory,
    load_mapping,
    propose_mapping,
    read_inventory,
)
from inventory.mapping import read_mapping


def mapping_errors(tmp_path, text: str) -> list[str]:
    path = tmp_path / "mapping.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    mapping, report = read_mapping(path)
    assert mapping is None
    return [str(e) for e in report.errors]


MINIMAL = """\
version: 1
systems:
  sheet: register.csv
  columns:
    id: Ref
    name: System
"""


def test_a_minimal_mapping():
    mapping = Mapping.from_yaml(MINIMAL)
    assert mapping.systems.columns["name"].column == "System"
    assert repr(mapping) == "<Mapping: systems <- 'register.csv' (2 fields)>"
    assert mapping.text == MINIMAL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MINIMAL + "    go_live: {colum: Go live}\n",
            "mapping.yaml line 7: systems.columns.go_live: unknown key 'colum'; did you mean "
            "'column'?",
        ),
        (
            MINIMAL + "    go_lve: Go live\n",
            "mapping.yaml line 7: systems.columns.go_lve: 'go_lve' is not a systems field; did "
            "you mean 'go_live'?",
        ),
        (
            MINIMAL.replace("  columns:", "  header_rw: 3\n  columns:"),
            "mapping.yaml line 4: systems: unknown key 'header_rw'; did you mean 'header_row'?",
        ),
        (
            MINIMAL + "    criticality: {column: Tier, values: {Gold: critcal}}\n",
            "mapping.yaml line 7: systems.columns.criticality.values.Gold: criticality "
            "'critcal' is not one of: low, medium, high, critical; did you mean 'critical'?",
        ),
        (
            MINIMAL + "    disposition:\n      column: Decision\n      rules:\n"
            "      - keep|retain: retian\n",
            "mapping.yaml line 10: systems.columns.disposition.rules.0.keep|retain: 'retian' is "
            "not one of: retain, retire, rehost, replatform, refactor, replace; did you mean "
            "'retain'?",
        ),
        (
            MINIMAL + "    disposition: {column: Decision, rules: [{'{system} replaces': "
            "replace}]}\n",
            "mapping.yaml line 7: systems.columns.disposition.rules.0: {system} may only end a "
            "pattern",
        ),
        (
            MINIMAL + "    hosting: {column: Hosted, rules: [{cloud: retire}]}\n",
            "mapping.yaml line 7: systems.columns.hosting.rules: rules are for the systems' "
            "disposition only",
        ),
        (
            MINIMAL + "    platform: {column: OS, join: [OS, DB]}\n",
            "mapping.yaml line 7: systems.columns.platform: give exactly one of column, join, "
            "slug or value (found column, join)",
        ),
        (
            MINIMAL + "    supplier: {join: []}\n",
            "mapping.yaml line 7: systems.columns.supplier: join needs at least one column: "
            "join: [Column A, Column B]",
        ),
        (
            MINIMAL.replace("    id: Ref\n", ""),
            "mapping.yaml line 4: systems.columns: the systems need 'id' (a column, or {slug: "
            "<names column>} for ids)",
        ),
        (
            MINIMAL.replace("version: 1", "version: 2"),
            "mapping.yaml line 1: version: version 2 is not known; this modernise reads version 1",
        ),
        (
            MINIMAL.replace("  header_row", "") + "  header_row: third\n",
            "mapping.yaml line 7: systems.header_row: Input should be a valid integer, unable to "
            "parse string as an integer",
        ),
        (
            MINIMAL
            + "catalogue: {sheet: a, columns: {sender: A, receiver: B}}\n"
            + "dependencies: {sheet: b, columns: {consumer: A, provider: B}}\n",
            "mapping.yaml line 7: catalogue: give either dependencies or a catalogue, not both",
        ),
        (
            "systems: [unclosed\n",
            "mapping.yaml line 2: is not valid YAML: expected ',' or ']', but got '<stream end>'",
        ),
        ("- just a list\n", "mapping.yaml: must be a YAML mapping with 'version: 1' and a "
         "'systems' section"),
    ],
)  # fmt: skip
def test_mapping_problems_are_located_with_a_fix(tmp_path, text, expected):
    assert mapping_errors(tmp_path, text)[0] == expected


def test_a_misspelt_section_is_missing_and_unknown(tmp_path):
    assert mapping_errors(tmp_path, MINIMAL.replace("systems:", "sytems:")) == [
        "mapping.yaml line 1: (top): 'systems' is missing",
        "mapping.yaml line 2: (top): unknown key 'sytems'; did you mean 'systems'?",
    ]


def test_yaml_is_read_safely_and_as_text(tmp_path):
    assert mapping_errors(tmp_path, "systems: !!python/object/apply:os.system ['echo']\n")[
        0
    ].startswith("mapping.yaml line 1: is not valid YAML: could not determine a constructor")
    assert mapping_errors(tmp_path, "a: &x 1\nb: *x\n") == [
        "mapping.yaml line 2: is not valid YAML: YAML aliases (*name) are not allowed"
    ]
    mapping = Mapping.from_yaml(
        MINIMAL + "    patient_facing: {column: Clinical, values: {Yes: yes, N: no, 1: yes}}\n"
    )
    assert mapping.systems.columns["patient_facing"].values == {"Yes": "yes", "N": "no", "1": "yes"}


def test_load_mapping_raises_with_every_problem(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(MINIMAL.replace("name: System", "nme: System"), encoding="utf-8")
    with pytest.raises(InvalidInventoryError) as raised:
        load_mapping(path)
    assert [e.message for e in raised.value.report.errors] == [
        "systems.columns.nme: 'nme' is not a systems field; did you mean 'name'?",
        "systems.columns: the systems need 'name'",
    ]


def register(tmp_path, text: str):
    path = tmp_path / "register.csv"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


REGISTER = """\
    Trust register,,,,,,,
    System,OS,DB,Tier,Decision,Category,Owner,Hosting
    PAS,Windows 2008,SQL 2008,Tier 1,Replace with New EPR - FBC 2027,PAS,JP,on site
    New EPR,,,tier 1,Keep,EPR,,SaaS
    PAS,AIX,,T2,Retire,,,
    Order comms,Windows 2012,,Tier 2,Replace by Clinical portal (2026),,,
    """


def test_applying_a_mapping(tmp_path):
    path = register(tmp_path, REGISTER)
    mapping = Mapping.from_yaml(
        textwrap.dedent(
            """\
            version: 1
            systems:
              sheet: REGISTER.CSV
              columns:
                id: {slug: System}
                name: System
                organisation: {value: RXX}
                platform: {join: [OS, DB], sep: ' on '}
                criticality: {column: tier, values: {TIER 1: critical}}
                disposition:
                  column: Decision
                  rules:
                  - replace with {system}|replace by {system}: replace
                  - keep: retain
                  - retire: retire
              unused: [Owner]
            """
        )
    )
    inventory, report = read_inventory(path, mapping=mapping)
    systems = inventory.systems
    assert list(systems.index) == ["pas", "new-epr", "pas-2", "order-comms"]
    assert systems["platform"].tolist() == ["Windows 2008 on SQL 2008", None, "AIX", "Windows 2012"]
    assert systems["organisation"].tolist() == ["RXX"] * 4
    assert systems["criticality"].tolist() == ["critical", "critical", "high", "high"]
    assert systems["disposition"].tolist() == ["replace", "retain", "retire", "replace"]
    # the system is cut from the decision at ' - '; the name in the second is not a system
    assert systems["replaced_by"].tolist() == ["new-epr", None, None, None]
    # columns the mapping does not use are kept, never as a field's column
    assert systems.loc["pas", ["category_extra", "owner", "hosting_extra"]].tolist() == [
        "PAS",
        "JP",
        "on site",
    ]
    assert systems["category"].tolist() == ["other"] * 4
    assert [str(i) for i in report.sorted()] == [
        "register.csv: warning: columns 'Category', 'Owner', 'Hosting' are kept as extra "
        "columns, not used for planning",
        "register.csv: warning: columns 'Category', 'Hosting' not in the mapping (has the "
        "register changed since the mapping was made?)",
        "register.csv: warning: ids are made from the column 'System' (lower case, '-' between "
        "words); they change when a name changes, so keep an id column if the register has one",
        "register.csv row 2: warning: the header is on row 2; row 1 was read as a title above it",
        "register.csv row 5: warning: id 'pas' made from 'PAS' is taken by an earlier row; "
        "this row's id is 'pas-2'",
        "register.csv row 6: replaced_by 'Clinical portal' is not a system in the register; "
        "add it to the systems or use its id or name",
        "register.csv row 6: warning: criticality 'Tier 2' read as high (tier 2 of 4, as T2)",
    ]


def test_a_header_row_past_the_table_is_named_in_the_mapping_not_as_a_missing_sheet(tmp_path):
    path = register(tmp_path, REGISTER)
    mapping = Mapping.from_yaml(
        "version: 1\nsystems:\n  sheet: register.csv\n  header_row: 500\n  columns:\n"
        "    id: {slug: System}\n    name: System\n"
    )
    _, report = read_inventory(path, mapping=mapping)
    assert [str(e) for e in report.errors] == [
        "mapping line 4: systems.header_row: row 500 of 'register.csv' is not a row of column "
        "names with data below it; give the row the headers are on"
    ]


def test_a_mapping_naming_what_the_register_lacks(tmp_path):
    path = register(tmp_path, REGISTER)
    mapping = Mapping.from_yaml(
        "version: 1\nsystems:\n  sheet: register.csv\n  columns:\n    id: {slug: Sytem}\n"
        "    name: System\ncatalogue:\n  sheet: interfaces\n  columns: {sender: A, receiver: B}\n"
    )
    _, report = read_inventory(path, mapping=mapping)
    assert [str(e) for e in report.sorted()] == [
        "mapping line 5: systems.columns.id: 'register.csv' has no column 'Sytem'; did you mean "
        "'System'?",
        "mapping line 8: catalogue.sheet: no sheet 'interfaces'; the tables found are: "
        "register.csv",
    ]


def test_a_bad_mapping_file_stops_validation_and_import(tmp_path, db_path):
    path = register(tmp_path, REGISTER)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MINIMAL.replace("id: Ref", "id: {slg: System}"), encoding="utf-8")
    inventory, report = read_inventory(path, mapping=mapping)
    assert inventory.systems.empty
    expected = [
        "mapping.yaml line 5: systems.columns.id: unknown key 'slg'; did you mean 'slug'?",
    ]
    assert [str(e) for e in report.errors] == expected
    result, report = import_inventory(path, db_path, mapping=mapping)
    assert result is None and [str(e) for e in report.errors] == expected
    assert not db_path.exists()


def test_a_proposal_survives_the_round_trip_through_yaml(tmp_path):
    path = register(tmp_path, REGISTER)
    proposal = propose_mapping(path)
    loaded = Mapping.from_yaml(proposal.to_yaml())
    assert loaded.model_dump() == proposal.model_dump()
    assert loaded.text == proposal.text and loaded.sha256 == proposal.sha256


def test_to_frame_lists_fields_and_unmapped_columns(tmp_path):
    frame = propose_mapping(register(tmp_path, REGISTER)).to_frame()
    assert frame.columns.tolist() == ["table", "sheet", "field", "source", "confidence", "reason"]
    rows = frame.astype("object").where(frame.notna(), "").values.tolist()
    assert rows[:2] == [
        [
            "systems",
            "register.csv",
            "id",
            "ids made from System",
            0.5,
            "no id column: ids made from 'System'; they change if a name does",
        ],
        ["systems", "register.csv", "name", "System", 0.9, "header 'System' means name"],
    ]
    assert ["systems", "register.csv", "", "Owner", "", "not used"] in rows
    assert pd.isna(frame.loc[frame["source"] == "Owner", "confidence"]).all()


def test_a_dependency_list_in_its_own_layout_names_systems(tmp_path):
    folder = tmp_path / "register"
    folder.mkdir()
    (folder / "systems.csv").write_text(
        "System,Supplier,Tier\nMeridian PAS,M,T1\nSymphony ED,E,T1\n", encoding="utf-8"
    )
    (folder / "links.csv").write_text(
        "System,Depends on,Type\nSymphony ED,meridian pas,HL7\nSymphony ED,Meridan PAS,HL7\n",
        encoding="utf-8",
    )
    mapping = propose_mapping(folder)
    assert mapping.dependencies.columns["consumer"].column == "System"
    assert mapping.dependencies.columns["provider"].column == "Depends on"
    inventory, report = read_inventory(folder, mapping=mapping)
    assert [str(e) for e in report.errors] == [
        "links.csv row 3: provider 'Meridan PAS' is not a system in the register; did you mean "
        "'Meridian PAS' (meridian-pas)?"
    ]
    assert inventory.dependencies[["consumer", "provider", "kind"]].values.tolist() == [
        ["symphony-ed", "meridian-pas", "HL7 v2"]
    ]


def test_a_registers_own_column_is_not_taken_for_a_misspelt_field(tmp_path):
    # 'Internal RAG' slugs to internal_rag, close to skills_scarcity: a mapping chose the
    # fields, so the register's other columns are kept without a "did you mean"
    path = tmp_path / "register.csv"
    path.write_text("Ref,System,Internal RAG\nA1,PAS,Red\n", encoding="utf-8")
    mapping = Mapping.from_yaml(
        "version: 1\nsystems:\n  sheet: register.csv\n  columns:\n    id: Ref\n"
        "    name: System\n  unused: [Internal RAG]\n"
    )
    inventory, report = read_inventory(path, mapping=mapping)
    assert report.valid
    assert [i.message for i in report.issues] == [
        "column 'Internal RAG' is kept as an extra column, not used for planning"
    ]
    assert inventory.systems.loc["a1", "internal_rag"] == "Red"


def test_a_row_with_values_only_in_columns_not_read_is_left_out_and_said(tmp_path):
    # a RAG rating in a column the mapping does not read, beside an otherwise blank row (in a
    # workbook, often a hidden column): neither a section heading nor a system without an id
    path = tmp_path / "register.csv"
    path.write_text(
        "Ref,System,Supplier,Hosting,RAG\nA1,PAS,Meridian,on-premises,Green\n,,,,Red\n"
        "A2,LIMS,Clinisys,on-premises,Amber\n",
        encoding="utf-8",
    )
    mapping = Mapping.from_yaml(
        "version: 1\nsystems:\n  sheet: register.csv\n  columns:\n    id: Ref\n"
        "    name: System\n    supplier: Supplier\n    hosting: Hosting\n  unused: [RAG]\n"
    )
    inventory, report = read_inventory(path, mapping=mapping)
    assert report.valid
    assert inventory.systems.index.tolist() == ["a1", "a2"]
    assert "section" not in inventory.systems
    assert (
        "register.csv: warning: row 3 has values only in columns the mapping does not read; "
        "left out"
    ) in [str(i) for i in report.issues]
