"""Loading from the store: text read as codes into distinct values, converted once per value.

Hand-computed: what a store holds, and what ``Store.load`` must give for it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import inventory.store as store_module
from inventory.model import Inventory, conform_systems
from inventory.schema import SYSTEMS
from inventory.snapshot import Coded
from inventory.store import Store, _ColumnReader


def _stored(tmp_path, systems, dependencies=()):
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.import_inventory(
            Inventory.from_records(systems, dependencies), source="x", sha256="0" * 64
        )
    return path


def _load(path, *, derive: bool = True) -> Inventory:
    with Store(path, read_only=True) as store:
        return store.load(derive_end_of_support=derive)


def test_team_demand_reads_back_exactly(tmp_path):
    path = _stored(
        tmp_path,
        [
            {"id": "pas", "name": "PAS", "team_demand": {"integration": 0.5, "training": 1.25}},
            {"id": "ed", "name": "ED", "team_demand": {"clinical safety": 0.1}},
            {"id": "lab", "name": "Lab"},  # no team demand
            {"id": "ris", "name": "RIS", "team_demand": {"training": 1.25, "integration": 0.5}},
        ],
    )
    demand = _load(path).systems["team_demand"]
    assert demand.to_dict() == {
        "pas": {"integration": 0.5, "training": 1.25},
        "ed": {"clinical safety": 0.1},
        "lab": {},
        "ris": {"integration": 0.5, "training": 1.25},
    }
    assert all(type(d) is dict for d in demand)
    assert demand.dtype == object
    # the same stored demand (keys sorted when stored) is one dict, shared by its rows
    assert demand["pas"] is demand["ris"]
    assert demand["pas"] is not demand["ed"]


def test_enumeration_outside_its_categories_loads_as_conform_gives(tmp_path):
    path = _stored(
        tmp_path,
        [{"id": "pas", "name": "PAS", "criticality": "high"}, {"id": "lab", "name": "Lab"}],
        [{"consumer": "lab", "provider": "pas", "criticality": "low", "daily_volume": 1200}],
    )
    with Store(path) as store:  # written by an older or other tool, not through an import
        store.db.execute("UPDATE systems SET criticality = 'urgent', hosting = 'on the moon'")
        store.db.execute("UPDATE dependencies SET criticality = 'severe'")
        store.db.conn.commit()
    # reported as conform reports it (pandas warns of values outside the categories)
    with pytest.warns(pd.errors.Pandas4Warning, match="not in that dtype's categories"):
        loaded = _load(path)
    systems = loaded.systems
    # an ordered enumeration: not one of its categories, so missing (as conform gives)
    assert systems["criticality"].isna().tolist() == [True, True]
    assert list(systems["criticality"].cat.categories) == ["low", "medium", "high", "critical"]
    assert systems["criticality"].cat.ordered
    # an unordered one keeps the text, for validation to name
    assert systems["hosting"].tolist() == ["on the moon", "on the moon"]
    dependency = loaded.dependencies.iloc[0]
    assert math.isnan(dependency["criticality"])
    assert dependency["daily_volume"] == 1200
    with pytest.warns(pd.errors.Pandas4Warning, match="not in that dtype's categories"):
        expected = conform_systems(
            pd.DataFrame(
                {
                    "id": ["pas", "lab"],
                    "name": ["PAS", "Lab"],
                    "criticality": ["urgent", "urgent"],
                    "hosting": ["on the moon", "on the moon"],
                }
            )
        )
    pd.testing.assert_series_equal(systems["criticality"], expected["criticality"])


def test_chunks_share_codes_and_missing_values_take_defaults(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "CHUNK_ROWS", 2)  # five rows: three chunks
    records = [
        {"id": "a", "name": "A", "hosting": "cloud", "after": ("b",), "go_live": "2015-03-01"},
        {"id": "b", "name": "B", "go_live": "2015-03-01"},
        {"id": "c", "name": "C", "hosting": "cloud", "after": ("b",)},
        {"id": "d", "name": "D", "criticality": "critical", "after": ("a", "b")},
        {"id": "e", "name": "E", "hosting": "cloud", "go_live": "2019-12-31"},
    ]
    path = _stored(tmp_path, records)
    loaded = _load(path, derive=False).systems
    assert loaded.index.tolist() == ["a", "b", "c", "d", "e"]
    hosting_default = SYSTEMS["hosting"].default
    assert loaded["hosting"].tolist() == [
        "cloud",
        hosting_default,
        "cloud",
        hosting_default,
        "cloud",
    ]
    assert loaded["after"].tolist() == [("b",), (), ("b",), ("a", "b"), ()]
    assert loaded.loc["a", "after"] is loaded.loc["c", "after"]  # one tuple per stored list
    assert loaded["go_live"].tolist() == [
        pd.Timestamp("2015-03-01"),
        pd.Timestamp("2015-03-01"),
        pd.NaT,
        pd.NaT,
        pd.Timestamp("2019-12-31"),
    ]
    assert loaded["criticality"].tolist() == ["medium"] * 3 + ["critical", "medium"]
    pd.testing.assert_frame_equal(loaded, Inventory.from_records(records).systems)


def test_column_reader_codes_across_chunks():
    reader = _ColumnReader(str)
    reader.add(np.array(["x", None, "y"], dtype=object))
    reader.add(np.array(["y", "z", None, "x"], dtype=object))
    coded = reader.result()
    assert isinstance(coded, Coded)
    assert coded.codes.tolist() == [0, -1, 1, 1, 2, -1, 0]
    assert coded.distinct.tolist() == ["x", "y", "z"]
    assert coded.values(null="n/a").tolist() == ["x", "n/a", "y", "y", "z", "n/a", "x"]


@pytest.mark.parametrize("sql_type", [float, int, str])
def test_column_reader_of_an_empty_table(sql_type):
    result = _ColumnReader(sql_type).result()
    codes = result.codes if isinstance(result, Coded) else result
    assert len(codes) == 0
