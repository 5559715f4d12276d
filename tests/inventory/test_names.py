"""Finding systems by the names people use: case, punctuation, brackets, products."""

from __future__ import annotations

import pandas as pd
import pytest

from inventory.names import SystemNames, name_key

SYSTEMS = pd.DataFrame(
    {
        "id": ["lims", "ris", "tie", "pas", "pas-2"],
        "name": [
            "Pathology LIMS (WinPath)",
            "Radiology RIS",
            "Integration Engine (Rhapsody)",
            "Meridian PAS",
            "Meridian PAS (Community)",
        ],
        "product": ["WinPath Enterprise", "CRIS", None, None, None],
    }
)


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("LIMS", "lims"),  # the id, any case
        ("pathology lims (winpath)", "lims"),
        ("Pathology-LIMS (Win Path)", "lims"),  # punctuation and spaces never matter
        ("WinPath", "lims"),  # the part in brackets
        ("Pathology LIMS", "lims"),  # the part before the brackets
        ("WinPath Enterprise", "lims"),  # the product
        ("cris", "ris"),
        ("Rhapsody", "tie"),
        (" radiology ris ", "ris"),
        ("Meridian PAS", "pas"),
        ("Community", "pas-2"),
    ],
)
def test_names_resolve_to_ids(spelling, expected):
    assert SystemNames.from_frame(SYSTEMS).resolve(spelling) == (expected, None)


def test_near_misses_get_a_suggestion_and_misses_a_fix():
    names = SystemNames.from_frame(SYSTEMS)
    assert names.resolve("Radiolgy RIS") == (
        None,
        "'Radiolgy RIS' is not a system in the register; did you mean 'Radiology RIS' (ris)?",
    )
    assert names.resolve("Winpaht") == (
        None,
        "'Winpaht' is not a system in the register; did you mean 'WinPath' (lims)?",
    )
    assert names.resolve("Spine") == (
        None,
        "'Spine' is not a system in the register; add it to the systems or use its id or name",
    )


def test_a_name_two_systems_share_is_ambiguous():
    names = SystemNames(["pas", "pas-2"], ["Meridian PAS (Acute)", "Meridian PAS (Community)"])
    assert names.resolve("Meridian PAS") == (
        None,
        "'Meridian PAS' could be any of the systems pas, pas-2; use the id",
    )


def test_name_key():
    assert name_key("ICE (Order-Comms) v2") == "iceordercommsv2"
