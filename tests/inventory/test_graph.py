from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.errors import UnknownSystemError
from inventory.graph import (
    ArrayGraph,
    downstream,
    first_occurrences,
    move_groups,
    neighbourhood,
    to_graph,
    upstream,
)
from inventory.model import Inventory
from inventory.synthetic import sample_trust


def small() -> Inventory:
    return Inventory.from_records(
        [{"id": i, "name": i.upper(), "criticality": "high"} for i in ("pas", "tie", "ed", "lims")],
        [
            {"consumer": "tie", "provider": "pas", "kind": "HL7 v2", "messages": ("ADT^A01",)},
            {"consumer": "ed", "provider": "tie"},
            {"consumer": "lims", "provider": "tie"},
        ],
    )


def test_edges_point_from_consumer_to_provider_with_attributes():
    G = small().graph()
    assert G.has_edge("tie", "pas") and not G.has_edge("pas", "tie")
    assert G.edges["tie", "pas"]["messages"] == ("ADT^A01",)
    assert G.nodes["ed"]["criticality"] == "high"


def test_downstream_impact_is_everything_that_depends_on_it():
    assert downstream(small().graph(), "pas") == {"tie", "ed", "lims"}
    assert downstream(small().graph(), "ed") == set()


def test_an_id_in_another_case_or_spacing_is_found_and_an_unknown_one_named():
    G = small().graph()
    assert downstream(G, " TIE ") == {"ed", "lims"}
    assert upstream(G, "Ed") == {"tie", "pas"}
    assert set(neighbourhood(G, [" LIMS"], depth=1)) == {"lims", "tie"}
    for call in (downstream, upstream):
        with pytest.raises(UnknownSystemError) as raised:
            call(G, "nope")
        assert str(raised.value) == "no system 'nope' in the graph"
    with pytest.raises(UnknownSystemError, match=r"^no systems 'x', 'y' in the graph$"):
        neighbourhood(G, ["y", "pas", "x"])


def test_graph_round_trips_to_frames():
    inventory = sample_trust()
    back = Inventory.from_graph(to_graph(inventory.systems, inventory.dependencies))
    pd.testing.assert_frame_equal(back.systems, inventory.systems)
    pd.testing.assert_frame_equal(
        back.dependencies.sort_values(["consumer", "provider"]).reset_index(drop=True),
        inventory.dependencies.sort_values(["consumer", "provider"]).reset_index(drop=True),
    )


def test_move_groups_are_the_cycles_of_the_sample_trust():
    groups = move_groups(sample_trust().graph())
    assert {"ris", "pacs"} in groups and {"finance", "p2p"} in groups


def test_neighbourhood_depth():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    assert set(neighbourhood(G, ["a"], depth=2)) == {"a", "b", "c"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=60))
def test_array_strong_components_agree_with_networkx(edges):
    edges = [(u, v) for u, v in edges if u != v]
    ids = [f"s{i}" for i in range(15)]
    systems = pd.DataFrame(index=pd.Index(ids, name="id"))
    deps = pd.DataFrame(
        {"consumer": [f"s{u}" for u, _ in edges], "provider": [f"s{v}" for _, v in edges]}
    )
    graph = ArrayGraph.from_frames(systems, deps)
    _, labels = graph.strong_components()
    G = nx.DiGraph()
    G.add_nodes_from(ids)
    G.add_edges_from((f"s{u}", f"s{v}") for u, v in edges)
    expected = {frozenset(c) for c in nx.strongly_connected_components(G)}
    found = {frozenset(np.asarray(ids)[labels == k]) for k in np.unique(labels)}
    assert found == expected


def test_the_array_graph_keeps_the_dependency_row_of_each_edge():
    """A dependency naming an unknown system is left out; the others keep their rows, so
    their kinds are read by position."""
    systems = pd.DataFrame(index=pd.Index(["pas", "tie", "ed"], name="id"))
    deps = pd.DataFrame(
        {
            "consumer": ["tie", "ghost", "ed", "ed"],
            "provider": ["pas", "pas", "tie", "pas"],
            "kind": ["HL7 v2", "FHIR", "API", "database link"],
        }
    )
    graph = ArrayGraph.from_frames(systems, deps)
    assert graph.rows.tolist() == [0, 2, 3]
    assert graph.consumer.tolist() == [1, 2, 2]
    assert graph.provider.tolist() == [0, 1, 0]
    assert deps["kind"].to_numpy()[graph.rows].tolist() == ["HL7 v2", "API", "database link"]


def test_first_occurrences_keep_what_drop_duplicates_keeps():
    # pairs (before, after) over 10 units as before * 10 + after: (2, 3) and (0, 1) repeat
    keys = np.array([23, 1, 23, 45, 1, 7])
    assert first_occurrences(keys).tolist() == [0, 1, 3, 5]
    assert first_occurrences(np.zeros(0, dtype=np.int64)).tolist() == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-5, 5), max_size=40))
def test_first_occurrences_agree_with_pandas(values):
    expected = pd.Series(values, dtype="int64").drop_duplicates().index.tolist()
    assert first_occurrences(np.array(values, dtype=np.int64)).tolist() == expected
