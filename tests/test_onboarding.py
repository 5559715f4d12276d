"""Acceptance: two trusts' registers, kept their own way, from file to a valid inventory.

Each register goes through ONE proposed column mapping that a person edits in a few lines;
afterwards only the mistakes planted in the register remain as errors, each with its fix.
The registers are written by ``tests/data/registers/make_registers.py``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from inventory import (
    Mapping,
    Store,
    import_inventory,
    load_inventory,
    propose_mapping,
    read_inventory,
)
from inventory.register import read_register
from tests.conftest import ROOT, load_module

REGISTERS = ROOT / "tests" / "data" / "registers"
make = load_module(REGISTERS / "make_registers.py")


@pytest.fixture(scope="module")
def westmoor(tmp_path_factory):
    return make.make_westmoor(tmp_path_factory.mktemp("westmoor") / "westmoor-register.xlsx")


@pytest.fixture(scope="module")
def eastbrook(tmp_path_factory):
    return make.make_eastbrook(tmp_path_factory.mktemp("eastbrook") / "eastbrook")


def edit(text: str, *changes: tuple[str, str]) -> str:
    """A person's edit: each line replaced must be in the proposal exactly once."""
    for old, new in changes:
        assert text.count(old) == 1, f"the proposal should hold {old!r} once"
        text = text.replace(old, new)
    return text


WESTMOOR_EDITS = (
    # the trust's EPR and ePMA are sold as a service, not hosted privately
    ("        Supplier hosted: private cloud", "        Supplier hosted: SaaS"),
    # the application server is part of the platform too
    (
        "    platform: {join: [Server OS, Database], sep: ' / '}",
        "    platform: {join: [Server OS, Middleware, Database], sep: ' / '}",
    ),
)
EASTBROOK_EDITS = (
    # in this trust's business impact analysis, Bronze is deferrable
    ("        Bronze: medium", "        Bronze: low"),
    # every system belongs to the trust itself
    ("    id: Ref", "    id: Ref\n    organisation: {value: RBV}"),
)


def reviewed(path, changes, tmp_path):
    proposal = propose_mapping(path)
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(edit(proposal.to_yaml(), *changes), encoding="utf-8")
    return mapping_file


def test_westmoor_only_its_planted_mistakes_remain(westmoor, tmp_path):
    mapping_file = reviewed(westmoor, WESTMOOR_EDITS, tmp_path)
    inventory, report = read_inventory(westmoor, mapping=mapping_file)
    assert [str(e) for e in report.sorted() if e.severity == "error"] == [
        "westmoor-register.xlsx[Applications] row 10: contract_end '31/02/2026' is not a real "
        "date: there is no day 31 in month 2 of 2026",
        "westmoor-register.xlsx[Interfaces] row 6: receiver 'Radiolgy RIS' is not a system in "
        "the register; did you mean 'Radiology RIS' (radiology-ris-cris)?",
    ]
    systems = inventory.systems
    assert len(systems) == 12
    pas = systems.loc["meridian-pas"]
    assert pas["platform"] == "Windows Server 2008 R2 / SQL Server 2008 R2"
    assert pas["go_live"] == pd.Timestamp("2011-07-01")
    assert pas["end_of_support"] == pd.Timestamp("2020-01-01")
    assert pas["criticality"] == "critical"
    assert pas["annual_run_cost_gbp"] == 450_000
    assert pas[["replacement_cost_gbp_low", "replacement_cost_gbp_high"]].tolist() == [3e6, 5e6]
    assert (pas["disposition"], pas["replaced_by"]) == ("replace", "electronic-patient-record-epr")
    assert pas["section"] == "CORE PATIENT ADMINISTRATION & EPR"
    assert systems.loc["symphony-ed", "platform"] == (
        "Windows Server 2012 R2 / IIS 8 / SQL Server 2012"
    )
    assert systems.loc["epma", "hosting"] == "SaaS"
    assert systems.loc["pacs", "hosting"] == "public cloud"
    assert systems.loc["pharmacy-stock-jac", "replaced_by"] == "epma"
    assert systems.loc["pharmacy-stock-jac", "annual_run_cost_gbp"] == 24_000
    assert systems.loc["integration-engine-rhapsody", "disposition"] == "replatform"
    assert systems.loc["staff-intranet", "disposition"] == "retire"
    assert "Total" not in set(systems["name"])
    assert systems.loc["meridian-pas", "interfaces"] == "Rhapsody"  # kept, not used


def test_westmoor_catalogue_becomes_links(westmoor, tmp_path):
    mapping_file = reviewed(westmoor, WESTMOOR_EDITS, tmp_path)
    inventory, _ = read_inventory(westmoor, mapping=mapping_file)
    links = inventory.dependencies
    engine = "integration-engine-rhapsody"
    assert list(zip(links["consumer"], links["provider"], strict=True)) == [
        ("symphony-ed", "meridian-pas"),
        ("meridian-pas", engine),
        ("symphony-ed", engine),
        ("pathology-lims-winpath", "meridian-pas"),
        ("pathology-lims-winpath", engine),
        ("pathology-lims-winpath", "ice-order-comms"),
        ("ice-order-comms", engine),
        ("ice-order-comms", "pathology-lims-winpath"),
        ("pacs", "radiology-ris-cris"),
        ("epma", "meridian-pas"),
        ("epma", engine),
        ("finance-ledger", "pharmacy-stock-jac"),
        ("pharmacy-stock-jac", "epma"),
        ("pharmacy-stock-jac", engine),
    ]
    by_pair = links.set_index(["consumer", "provider"])
    ed = by_pair.loc[("symphony-ed", "meridian-pas")]  # rows 3, 9 and the reversed row 12
    assert ed["messages"] == ("ADT^A01", "ADT^A03", "ADT^A08", "ADT^A04")
    assert (ed["kind"], ed["daily_volume"], ed["route"]) == ("HL7 v2", 12_000, "via Rhapsody")
    feed = by_pair.loc[("meridian-pas", engine)]
    assert feed["messages"] == ("ADT^A01", "ADT^A03", "ADT^A08", "ADT^A02", "ADT^A04")
    assert feed["route"] == "via Rhapsody; Rhapsody"
    assert by_pair.loc[("pacs", "radiology-ris-cris"), "kind"] == "DICOM"
    assert by_pair.loc[("pacs", "radiology-ris-cris"), "daily_volume"] == 12_000
    assert by_pair.loc[("finance-ledger", "pharmacy-stock-jac"), "kind"] == "file transfer"


def test_eastbrook_only_its_planted_mistakes_remain(eastbrook, tmp_path):
    mapping_file = reviewed(eastbrook, EASTBROOK_EDITS, tmp_path)
    inventory, report = read_inventory(eastbrook, mapping=mapping_file)
    assert [str(e) for e in report.sorted() if e.severity == "error"] == [
        "applications.csv row 10: go_live '13/2019' is not a real month; write it like "
        "'Mar 2015' or 03/2015",
        "applications.csv row 12: hosting 'HSCN' is a network, not where the system runs; write "
        "on-premises, private cloud, public cloud or SaaS and put the network in notes",
        "interfaces.csv row 7: receiver 'Symphny' is not a system in the register; did you mean "
        "'Symphony' (app-003)?",
    ]
    systems = inventory.systems
    assert list(systems.index) == [f"app-00{i}" for i in range(1, 10)]
    assert set(systems["organisation"]) == {"RBV"}
    assert systems.loc["app-001", "replaced_by"] == "app-002"
    assert systems.loc["app-003", ["disposition", "replaced_by"]].tolist() == [
        "replace",
        "app-002",
    ]
    assert systems.loc["app-007", "disposition"] == "rehost"
    assert systems.loc["app-005", "annual_run_cost_gbp"] == 36_000
    assert systems.loc["app-001", "contract_end"] == pd.Timestamp("2027-03-31")
    assert systems.loc["app-008", "criticality"] == "high"
    assert systems.loc["app-001", "section"] == "CLINICAL"
    links = inventory.dependencies
    assert len(links) == 15  # the misspelt row gives none
    two_way = links.set_index(["consumer", "provider"])
    assert two_way.loc[("app-005", "app-002"), "messages"] == ("ORM", "ORU")
    assert two_way.loc[("app-002", "app-005"), "messages"] == ("ORM", "ORU")
    assert two_way.loc[("app-002", "app-001"), "kind"] == "FHIR"


@pytest.mark.slow
def test_both_registers_are_valid_once_their_mistakes_are_fixed_and_plan(tmp_path):
    from planner.plan import make_plan

    westmoor = make.make_westmoor(tmp_path / "w.xlsx", mistakes=False)
    eastbrook = make.make_eastbrook(tmp_path / "e", mistakes=False)
    for path, changes in ((westmoor, WESTMOOR_EDITS), (eastbrook, EASTBROOK_EDITS)):
        mapping_file = reviewed(path, changes, tmp_path)
        inventory = load_inventory(path, mapping=mapping_file)
        result = make_plan(inventory)
        assert len(result.scores) == len(inventory.systems)


def test_import_records_the_mapping_with_its_batch(eastbrook, tmp_path, db_path):
    fixed = make.make_eastbrook(tmp_path / "fixed", mistakes=False)
    mapping_file = reviewed(fixed, EASTBROOK_EDITS, tmp_path)
    result, report = import_inventory(fixed, db_path, mapping=mapping_file)
    assert report.valid and result.systems_added == 9 and result.dependencies_added == 15
    with Store(db_path) as store:
        history = store.history()
        text = store.mapping(result.batch)
        links = store.load().dependencies
    assert text == mapping_file.read_text(encoding="utf-8")
    assert history.loc[result.batch, "mapping_sha256"] == Mapping.from_yaml(text).sha256
    assert set(links["route"]) == {"Ensemble", "via Ensemble", "Ensemble; via Ensemble",
                                   "via Ensemble; Ensemble", "direct"}  # fmt: skip


def test_the_committed_registers_are_the_generators(tmp_path):
    """tests/data/registers holds the generator's output, for people to open; no drift."""
    generated = make.make_eastbrook(tmp_path / "eastbrook")
    for name in ("applications.csv", "interfaces.csv"):
        committed = (REGISTERS / "eastbrook" / name).read_text(encoding="utf-8")
        assert committed == (generated / name).read_text(encoding="utf-8")
    fresh = read_register(make.make_westmoor(tmp_path / "westmoor-register.xlsx"))
    committed = read_register(REGISTERS / "westmoor-register.xlsx")
    assert fresh.tables.keys() == committed.tables.keys()
    for sheet, table in fresh.tables.items():
        pd.testing.assert_frame_equal(table.cells, committed.tables[sheet].cells)


def test_the_mapping_in_the_onboarding_guide_reads_westmoor():
    """docs/onboarding.md shows Westmoor's reviewed mapping; it must still do what it says."""
    import re

    guide = (ROOT / "docs" / "onboarding.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- mapping:start -->\n```yaml\n(.*?)```\n<!-- mapping:end -->", guide, re.S
    )
    mapping = Mapping.from_yaml(block.group(1))
    _, report = read_inventory(REGISTERS / "westmoor-register.xlsx", mapping=mapping)
    assert [str(e) for e in report.sorted() if e.severity == "error"] == [
        "westmoor-register.xlsx[Applications] row 10: contract_end '31/02/2026' is not a real "
        "date: there is no day 31 in month 2 of 2026",
        "westmoor-register.xlsx[Interfaces] row 6: receiver 'Radiolgy RIS' is not a system in "
        "the register; did you mean 'Radiology RIS' (radiology-ris-cris)?",
    ]
    assert not any("not in the mapping" in w.message for w in report.warnings)
    for line in re.findall(r"^    westmoor-register\.xlsx.*$", guide, re.M):
        assert line.strip() in {str(i) for i in report.issues}, line
