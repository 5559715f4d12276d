from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inventory import read_inventory
from inventory.graph import ArrayGraph
from inventory.synthetic import deep, national, sample_trust
from inventory.write import write_inventory
from planner.impact import downstream_impact


def test_sample_trust_is_deterministic_and_realistic():
    trust = sample_trust()
    pd.testing.assert_frame_equal(trust.systems, sample_trust().systems)
    systems = trust.systems
    assert 240 <= len(systems) <= 300 and len(trust.dependencies) >= 500
    for category in (
        "PAS",
        "EPR",
        "pathology LIMS",
        "radiology RIS",
        "PACS",
        "ePMA",
        "integration engine",
        "maternity",
        "ED",
        "finance",
    ):
        assert (systems["category"] == category).any(), category
    assert systems["platform"].str.contains("Windows XP").sum() >= 8
    hl7 = trust.dependencies[trust.dependencies["kind"] == "HL7 v2"]
    messages = {m for ms in hl7["messages"] for m in ms}
    assert {"ADT^A01", "ADT^A08", "ORU^R01", "SIU^S12", "MDM^T02"} <= messages


def test_sample_trust_validates_after_a_round_trip(tmp_path):
    write_inventory(sample_trust(), tmp_path / "trust")
    _, report = read_inventory(tmp_path / "trust")
    assert report.valid, str(report)


@pytest.mark.slow
def test_national_estate_is_seeded_valid_and_sized(tmp_path):
    estate = national(20_000, seed=3)
    pd.testing.assert_frame_equal(estate.systems, national(20_000, seed=3).systems)
    assert 19_000 <= len(estate.systems) <= 21_000
    assert estate.systems["organisation"].nunique() > 100
    assert len(estate.dependencies) > 2 * len(estate.systems)
    hub_reach = estate.dependencies["provider"].value_counts()
    assert hub_reach["spine-pds"] > 100
    write_inventory(estate, tmp_path / "national")
    _, report = read_inventory(tmp_path / "national")
    assert report.valid, str(report)[:2000]


@pytest.mark.slow
def test_deep_estate_is_seeded_valid_and_cyclic_by_region(tmp_path):
    estate = deep(16_000, seed=3)
    pd.testing.assert_frame_equal(estate.systems, deep(16_000, seed=3).systems)
    pd.testing.assert_frame_equal(estate.dependencies, deep(16_000, seed=3).dependencies)
    assert 15_000 <= len(estate.systems) <= 17_000
    _, component = ArrayGraph.from_frames(estate.systems, estate.dependencies).strong_components()
    sizes = np.bincount(component)
    assert sorted(sizes[sizes > 1].tolist()) == [302, 302]  # two regions of 20 trusts
    reach = downstream_impact(estate.systems, estate.dependencies)["downstream"]
    flat = national(16_000, seed=3)
    assert (
        reach.mean() > 10 * downstream_impact(flat.systems, flat.dependencies)["downstream"].mean()
    )
    write_inventory(estate, tmp_path / "deep")
    _, report = read_inventory(tmp_path / "deep")
    assert report.valid, str(report)[:2000]
