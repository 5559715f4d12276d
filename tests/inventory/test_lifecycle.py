from __future__ import annotations

import csv

import pandas as pd
import pytest

from inventory.lifecycle import (
    derive_end_of_support,
    end_of_security_support,
    load_lifecycles,
    read_endoflife_json,
)
from tests.conftest import SHARED_DATA

ENDOFLIFE = SHARED_DATA / "lifecycles" / "endoflife.csv"
ENDOFLIFE_FULL = SHARED_DATA / "lifecycles" / "endoflife_full.csv"


@pytest.mark.parametrize(
    ("platform", "date", "source"),
    [
        ("Windows Server 2008 R2 SP1", "2020-01-14", "Windows Server 2008 R2 (published)"),
        ("Win2012 R2", "2023-10-10", "Windows Server 2012 R2 (published)"),
        ("Windows XP Embedded", "2014-04-08", "Windows XP (published)"),
        ("Oracle 11g on RHEL 6", "2015-01-31", "Oracle Database 11g (11.2) (published)"),
        ("InterSystems Caché 2010.2 on IBM AIX 6.1", "2017-04-30", "IBM AIX 6.1 (published)"),
        ("MUMPS on OpenVMS 8.3", "2020-12-31", "HP OpenVMS 8.4 and earlier (estimated)"),
        (
            "Microsoft Access 2003 on Windows 7",
            "2014-04-08",
            "Microsoft Office / Access 2003 (published)",
        ),
        (".NET 4.7.2 on Windows Server 2016", "2027-01-12", "Windows Server 2016 (published)"),
    ],
)
def test_platform_strings_match_their_weakest_layer(platform, date, source):
    assert end_of_security_support(platform, load_lifecycles()) == (pd.Timestamp(date), source)


def test_unknown_platform_has_no_date():
    assert end_of_security_support("SaaS", load_lifecycles()) == (None, None)


def test_given_dates_win_over_derived_ones():
    systems = pd.DataFrame(
        {
            "platform": ["Windows Server 2008", "Windows Server 2008", None],
            "end_of_support": pd.to_datetime(["2030-01-01", None, None]),
        },
        index=["a", "b", "c"],
    )
    result = derive_end_of_support(systems)
    assert result["end_of_support"].tolist()[:2] == [
        pd.Timestamp("2030-01-01"),
        pd.Timestamp("2020-01-14"),
    ]
    assert result["end_of_support_source"].tolist() == [
        "given",
        "lifecycle: Windows Server 2008 (published)",
        None,
    ]


def test_every_row_has_a_source_and_a_basis():
    table = load_lifecycles()
    assert table["source_url"].str.startswith("https://").all()
    assert set(table["basis"]) == {"published", "estimated"}
    estimated = table[table["basis"] == "estimated"]
    assert (estimated["notes"].str.len() > 20).all()


@pytest.mark.skipif(not ENDOFLIFE_FULL.exists(), reason="../shared/data/lifecycles is absent")
def test_published_dates_agree_with_endoflife_date():
    """Our curated table against the endoflife.date snapshot, field by field."""
    with ENDOFLIFE_FULL.open(encoding="utf-8") as handle:
        reference = {(r["product"], r["cycle"]): r for r in csv.DictReader(handle)}
    table = load_lifecycles()
    linked = table[table["endoflife_product"] != ""]
    assert len(linked) >= 60

    def as_date(text):
        return pd.Timestamp(text) if text[:1].isdigit() else pd.NaT

    mismatches = []
    for row in linked.itertuples():
        ref = reference[(row.endoflife_product, row.endoflife_cycle)]
        for ours, theirs in (
            (row.end_of_mainstream_support, ref["support_end"]),
            (row.end_of_security_support, ref["eol"]),
            (row.end_of_extended_support, ref["extended_support"]),
        ):
            expected = as_date(theirs)
            if not (pd.isna(ours) and pd.isna(expected)) and ours != expected:
                mismatches.append((row.product, row.cycle, ours, theirs))
    assert mismatches == []


def test_endoflife_api_v0_format():
    v0 = [
        {
            "cycle": "2008",
            "releaseDate": "2008-02-27",
            "support": "2015-01-13",
            "eol": "2020-01-14",
            "extendedSupport": True,
        }
    ]
    row = read_endoflife_json(v0, title="Windows Server").iloc[0]
    assert row["names"] == "windows server 2008"
    assert row["end_of_security_support"] == pd.Timestamp("2020-01-14")
    assert pd.isna(row["end_of_extended_support"])
