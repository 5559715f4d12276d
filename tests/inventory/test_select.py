"""Selecting systems: filter words as the inventory files take them, errors with a fix."""

from __future__ import annotations

import pandas as pd
import pytest

from inventory.errors import InvalidArgumentError
from inventory.model import Inventory
from inventory.select import select_systems


@pytest.fixture
def systems() -> pd.DataFrame:
    return Inventory.from_records(
        [
            {
                "id": "pas",
                "name": "PAS",
                "category": "PAS",
                "criticality": "critical",
                "organisation": "RXX",
                "platform": "Windows Server 2008 R2",
                "end_of_support": pd.Timestamp("2020-01-14"),
            },
            {
                "id": "lims",
                "name": "LIMS",
                "category": "pathology LIMS",
                "criticality": "high",
                "organisation": "RYY",
                "hosting": "public cloud",
                "platform": "RHEL 8",
                "end_of_support": pd.Timestamp("2029-05-31"),
            },
            {"id": "fax", "name": "Fax", "criticality": "low", "disposition": "retire"},
        ]
    ).systems


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"criticality": "T1"}, ["pas"]),
        ({"criticality": "HIGH"}, ["lims"]),
        ({"category": "lims"}, ["lims"]),
        ({"category": "Pathology-LIMS"}, ["lims"]),
        ({"hosting": "cloud"}, ["lims"]),
        ({"organisation": "rxx"}, ["pas"]),
        ({"platform": "windows"}, ["pas"]),
        ({"disposition": "retire"}, ["fax"]),
        ({"unsupported_by": "31/12/2025"}, ["pas"]),
        ({"unsupported_by": "2030-01-01", "criticality": "high"}, ["lims"]),
        ({}, ["pas", "lims", "fax"]),
    ],
)
def test_filters(systems, filters, expected):
    assert select_systems(systems, **filters).index.tolist() == expected


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            {"criticality": "hgh"},
            "criticality 'hgh' is not one of: low, medium, high, critical; did you mean 'high'?",
        ),
        (
            {"status": "gone"},
            "status 'gone' is not one of: live, decommissioning, retired, planned",
        ),
        (
            {"unsupported_by": "soon"},
            "unsupported_by 'soon' is not a date; write it as 2026-11-25 or 25/11/2026",
        ),
        (
            {"organisation": "R!"},
            "organisation 'R!' is not an ODS code: 3 to 10 letters and digits, like RXX or A81001",
        ),
    ],
)
def test_a_word_that_matches_nothing_is_an_error_not_an_empty_table(systems, filters, message):
    with pytest.raises(InvalidArgumentError) as raised:
        select_systems(systems, **filters)
    assert raised.value.message == message
    assert raised.value.argument == next(iter(filters))
