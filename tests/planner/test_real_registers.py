"""Registers written the way trusts keep them plan their core programme.

Riverside (``tests/data/registers/make_hub_register.py``): 62 systems and about 180 links,
an integration engine every clinical system talks to both ways, orders out and results back,
the PAS feeding the engine and fed by it, platforms (Citrix, the server farm, the LAN)
recorded as providers of systems that are replaced, one shared database. Westmoor and
Eastbrook (``make_registers.py``): the registers of the onboarding guide, read through a
reviewed column mapping.
"""

from __future__ import annotations

import pandas as pd
import pytest

import planner
from inventory import load_inventory, propose_mapping
from tests.conftest import ROOT, load_module
from tests.test_onboarding import EASTBROOK_EDITS, WESTMOOR_EDITS, edit

pytestmark = pytest.mark.slow  # plans of whole trust registers

REGISTERS = ROOT / "tests" / "data" / "registers"
hub = load_module(REGISTERS / "make_hub_register.py")
registers = load_module(REGISTERS / "make_registers.py")
CORE = ["epr", "pas", "lims", "pacs"]


@pytest.fixture(scope="module")
def riverside(tmp_path_factory):
    folder = hub.write(tmp_path_factory.mktemp("riverside"))
    return planner.plan(load_inventory(folder))


def test_the_core_programme_is_scheduled(riverside):
    schedule = riverside.schedule
    assert schedule.loc[CORE, "scheduled"].all()
    assert riverside.units["scheduled"].all()
    assert riverside.headline.startswith("57 of 57 projects planned")
    assert not (riverside.warnings["kind"] == "impossible").any()


def test_two_way_flows_and_the_engine_hub_make_no_move_group(riverside):
    """Only the RIS and its reporting module, which share a database, move as one."""
    groups = riverside.units[riverside.units["members"].map(len) > 1]
    assert groups["members"].tolist() == [("ris", "ris-reporting")]


def test_nothing_waits_for_a_platform_it_does_not_move_onto(riverside):
    """The LIMS, the EPR, the PACS and the new CTG system bring their own platforms: none
    waits for Citrix, the server farm, the LAN, MESH or the engine. What waits for a platform
    is what moves onto it: the rehosted, replatformed and refactored systems."""
    links = riverside.links
    graph_rule = links[links["reason"] == "providers-first"]
    assert sorted(zip(graph_rule["before"], graph_rule["after"], strict=True)) == [
        ("lan", "citrix"),
        ("lan", "rhapsody"),
        ("sql-cluster", "warehouse"),
        ("vm-farm", "ad"),
        ("vm-farm", "citrix"),
        ("vm-farm", "file-shares"),
        ("vm-farm", "rhapsody"),
        ("vm-farm", "warehouse"),
    ]
    assert set(links["reason"]) == {"providers-first", "replaced_by"}
    assert not links["after"].isin(["lims", "epr", "ctg", "pacs"]).any()


def test_the_pas_goes_with_the_epr_and_go_lives_are_spread(riverside):
    schedule = riverside.schedule
    epr, pas = schedule.loc["epr", "go_live"], schedule.loc["pas", "go_live"]
    assert epr < pas <= epr + pd.DateOffset(months=6)
    absorbed = schedule[riverside.inventory.systems.loc[schedule.index, "replaced_by"] == "epr"]
    assert (absorbed["go_live"] <= epr + pd.offsets.MonthEnd(6)).all()
    go_lives = riverside.units[~riverside.units["decommission"]]
    assert go_lives["finish_month"].value_counts().max() <= 3


@pytest.mark.parametrize("trust", ["westmoor", "eastbrook"])
def test_the_onboarding_registers_plan_every_replacement(trust, tmp_path):
    if trust == "westmoor":
        source = registers.make_westmoor(tmp_path / "westmoor.xlsx", mistakes=False)
        edits = WESTMOOR_EDITS
    else:
        source = registers.make_eastbrook(tmp_path / "eastbrook", mistakes=False)
        edits = EASTBROOK_EDITS
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(edit(propose_mapping(source).to_yaml(), *edits), encoding="utf-8")
    result = planner.plan(load_inventory(source, mapping=mapping))
    assert result.units["scheduled"].all()
    assert (result.units["members"].map(len) == 1).all()
    assert not (result.warnings["kind"] == "impossible").any()
