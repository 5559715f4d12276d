"""Exact downstream impact against networkx, on random graphs and across chunk boundaries."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.synthetic import sample_trust
from planner import impact as impact_module
from planner.impact import downstream_impact, impact_method

WEIGHTS = {"low": 1, "medium": 2, "high": 3, "critical": 4}


def naive(G: nx.DiGraph) -> pd.DataFrame:
    rows = {}
    for node in G:
        upstream = nx.ancestors(G, node)
        rows[node] = {
            "downstream": len(upstream),
            "downstream_weighted": sum(WEIGHTS[G.nodes[u]["criticality"]] for u in upstream),
            "direct_dependents": G.in_degree(node),
            "interfaces": G.in_degree(node) + G.out_degree(node),
            "patient_facing_dependents": sum(bool(G.nodes[u]["patient_facing"]) for u in upstream),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index = pd.Index(list(frame.index), dtype="object", name="id")
    return frame


def frames(n, edges, criticalities, patient):
    ids = [f"s{i}" for i in range(n)]
    systems = pd.DataFrame(
        {"criticality": criticalities[:n], "patient_facing": patient[:n]},
        index=pd.Index(ids, name="id"),
    )
    deps = pd.DataFrame(
        {"consumer": [f"s{u}" for u, v in edges], "provider": [f"s{v}" for u, v in edges]}
    ).drop_duplicates()
    G = nx.DiGraph()
    for i in ids:
        G.add_node(
            i,
            criticality=systems.at[i, "criticality"],
            patient_facing=systems.at[i, "patient_facing"],
        )
    G.add_edges_from(zip(deps["consumer"], deps["provider"], strict=True))
    return systems, deps, G


graphs = st.integers(1, 40).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1]),
            max_size=3 * n,
        ),
        st.lists(st.sampled_from(list(WEIGHTS)), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
    )
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(graphs)
def test_matches_networkx_on_random_graphs_with_cycles(graph):
    systems, deps, G = frames(*graph)
    result = downstream_impact(systems, deps)
    expected = naive(G).loc[result.index]
    pd.testing.assert_frame_equal(result, expected, check_dtype=False, check_index_type=False)


def test_many_small_chunks_give_the_same_answer(monkeypatch):
    """Force many chunks so every chunk boundary in the bit pushing is crossed."""
    monkeypatch.setattr(impact_module, "CHUNK_SOURCES", 3)

    @settings(max_examples=60, deadline=None)
    @given(graphs)
    def check(graph):
        systems, deps, G = frames(*graph)
        result = downstream_impact(systems, deps)
        pd.testing.assert_frame_equal(
            result, naive(G).loc[result.index], check_dtype=False, check_index_type=False
        )

    check()


def test_sample_trust_matches_networkx():
    trust = sample_trust()
    result = downstream_impact(trust.systems, trust.dependencies)
    expected = naive(trust.graph()).loc[result.index]
    pd.testing.assert_frame_equal(result, expected, check_dtype=False, check_index_type=False)
    assert impact_method(len(trust.systems)) == "exact"
    assert result.loc["pas", "downstream"] == 195


@pytest.mark.slow
def test_approximate_impact_ranks_like_the_exact_one_on_20k_systems():
    """The reach sketches: rank correlation above 0.99 and top-1% overlap above 0.9."""
    import numpy as np
    from scipy.stats import spearmanr

    from inventory.synthetic import national

    estate = national(20_000, seed=2)
    exact = downstream_impact(estate.systems, estate.dependencies, method="exact")
    approx = downstream_impact(estate.systems, estate.dependencies, method="approximate")
    assert impact_method(len(estate.systems), "approximate").startswith("approximate (Hyper")
    for column in ("downstream", "downstream_weighted", "patient_facing_dependents"):
        rho = spearmanr(exact[column], approx[column]).statistic
        assert rho > 0.99, (column, rho)
    k = len(exact) // 100
    top_exact = set(exact["downstream"].sort_values(ascending=False, kind="stable").index[:k])
    top_approx = set(approx["downstream"].sort_values(ascending=False, kind="stable").index[:k])
    assert len(top_exact & top_approx) / k > 0.9
    big = exact["downstream"] > 100
    error = (approx.loc[big, "downstream"] - exact.loc[big, "downstream"]).abs()
    assert float(np.mean(error / exact.loc[big, "downstream"])) < 0.05
    # what no sketch changes stays exact
    assert (approx["direct_dependents"] == exact["direct_dependents"]).all()


def test_auto_switches_method_by_size():
    trust = sample_trust()
    assert impact_method(len(trust.systems)) == "exact"
    assert impact_method(len(trust.systems), exact_up_to=100).startswith("approximate")


def test_the_plan_uses_the_policy_impact_method():
    import planner

    approximate = planner.plan("data/sample-trust", impact="approximate")
    assert approximate.summary()["impact method"].startswith("approximate (HyperLogLog")
    assert planner.plan("data/sample-trust").summary()["impact method"] == "exact"


@pytest.mark.parametrize("weights", [np.zeros(0), np.zeros((0, 3))], ids=["one", "three"])
def test_reach_sums_of_no_systems_is_empty(weights):
    # an inventory emptied by an undo: no rows, as many quantities as asked
    from inventory.graph import ArrayGraph
    from planner.impact import reach_sums

    empty = ArrayGraph.from_frames(
        pd.DataFrame(index=pd.Index([], name="id", dtype=object)),
        pd.DataFrame(
            {"consumer": pd.Series([], dtype=object), "provider": pd.Series([], dtype=object)}
        ),
    )
    assert reach_sums(empty, weights).shape == (0, 1 if weights.ndim == 1 else 3)
