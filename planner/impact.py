"""Downstream impact: for every system, what transitively depends on it.

Exact and fast without a per-node graph walk: condense the strongly connected components
(scipy, linear time), then push bit sets of "which sources reach me" along the condensed DAG
in topological order, one chunk of sources at a time, so memory stays bounded and work follows
only the part of the graph each chunk reaches. Sums of any node weights (a count, criticality
weights, patient-facing flags) come out of the same pass.

Examples
--------
>>> import pandas as pd
>>> systems = pd.DataFrame({"criticality": ["critical", "high", "low", "low"],
...                         "patient_facing": [True, True, False, True]},
...                        index=pd.Index(["pas", "tie", "ed", "lims"], name="id"))
>>> deps = pd.DataFrame({"consumer": ["tie", "ed", "lims"], "provider": ["pas", "tie", "tie"]})
>>> impact = downstream_impact(systems, deps)
>>> impact["downstream"].to_dict()
{'pas': 3, 'tie': 2, 'ed': 0, 'lims': 0}
>>> impact.loc["pas", ["direct_dependents", "patient_facing_dependents"]].tolist()
[1, 2]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from numba import njit

from inventory.errors import InvalidArgumentError
from inventory.graph import ArrayGraph, csr, dag_levels, sorted_unique

__all__ = [
    "DEFAULT_CRITICALITY_WEIGHTS",
    "approximate_reach_sums",
    "downstream_impact",
    "reach_sums",
]

DEFAULT_CRITICALITY_WEIGHTS = {"low": 1, "medium": 2, "high": 3, "critical": 4}
CHUNK_SOURCES = 2048  # bits per chunk: 32 words of 64 bits


class _Condensation(NamedTuple):
    """The graph with each strongly connected component shrunk to one node (a DAG)."""

    components: int  # how many
    comp: np.ndarray  # each node's component
    consumer: np.ndarray  # distinct component edges consumer -> provider
    provider: np.ndarray
    indptr: np.ndarray  # the same edges as CSR by consumer
    indices: np.ndarray
    level: np.ndarray  # each component's longest-path level from the sources


def _condensed_dag(graph: ArrayGraph) -> _Condensation:
    ncomp, comp = graph.strong_components()
    cu, cv = comp[graph.consumer], comp[graph.provider]
    keep = cu != cv
    pairs = sorted_unique(cu[keep].astype(np.int64) * ncomp + cv[keep])
    cu, cv = pairs // ncomp, pairs % ncomp
    indptr, indices = csr(cu, cv, ncomp)
    return _Condensation(ncomp, comp, cu, cv, indptr, indices, dag_levels(indptr, indices, ncomp))


def reach_sums(graph: ArrayGraph, weights: np.ndarray) -> np.ndarray:
    """For each node v, the sum of ``weights[u]`` over every u != v with a path u -> ... -> v.

    ``weights`` has one row per node and one column per quantity. Exact.
    """
    n = graph.n
    weights = np.asarray(weights, dtype=np.float64)
    if n == 0:  # no nodes: as many quantities as asked, no rows (reshape cannot infer them)
        return np.zeros((0, weights.shape[1] if weights.ndim == 2 else 1))
    weights = weights.reshape(n, -1)
    k = weights.shape[1]
    dag = _condensed_dag(graph)
    ncomp, comp, indptr, indices, level = (
        dag.components,
        dag.comp,
        dag.indptr,
        dag.indices,
        dag.level,
    )
    comp_weights = np.zeros((ncomp, k))
    np.add.at(comp_weights, comp, weights)
    # chunk the components that are someone's ancestor, in order of first appearance (the
    # systems of one organisation sit together, so a chunk reaches a small part of the graph)
    has_out = np.flatnonzero(np.diff(indptr) > 0)
    first_node = np.full(ncomp, n, dtype=np.int64)
    np.minimum.at(first_node, comp, np.arange(n))
    candidates = has_out[np.argsort(first_node[has_out], kind="stable")]
    sums = _reach_kernel(indptr, indices, level, candidates, comp_weights, CHUNK_SOURCES)
    # members of the same cycle depend on each other: add the rest of one's own component
    own = comp_weights[comp] - weights
    return sums[comp] + own


#: De Bruijn sequence and table: the index of the lowest set bit of a 64-bit word.
_DE_BRUIJN = np.uint64(0x03F79D71B4CB0A89)
_DE_BRUIJN_INDEX = np.zeros(64, dtype=np.int64)
_DE_BRUIJN_INDEX[
    (((np.uint64(1) << np.arange(64, dtype=np.uint64)) * _DE_BRUIJN) >> np.uint64(58))
] = np.arange(64)


@njit(cache=True)
def _reach_kernel(indptr, indices, level, candidates, comp_weights, width):  # pragma: no cover
    """Bit-parallel reach over the condensed DAG, ``width`` sources at a time.

    Per chunk: collect what the sources reach (breadth first), visit those nodes in level
    order OR-ing each node's bits (and its own, if it is a source) into its providers, then
    add each set bit's source weights to the node. Work follows only the reached subgraph.
    """
    ncomp = len(indptr) - 1
    k = comp_weights.shape[1]
    sums = np.zeros((ncomp, k))
    slot = np.full(ncomp, -1, dtype=np.int64)
    source_of = np.full(ncomp, -1, dtype=np.int64)
    reached = np.empty(ncomp, dtype=np.int64)
    capacity = 4096
    words = (width + 63) // 64
    bits = np.zeros((capacity, words), dtype=np.uint64)
    for start in range(0, len(candidates), width):
        stop = min(len(candidates), start + width)
        used = 0
        for i in range(start, stop):
            node = candidates[i]
            source_of[node] = i - start
            slot[node] = used
            reached[used] = node
            used += 1
        head = 0
        while head < used:
            u = reached[head]
            head += 1
            for e in range(indptr[u], indptr[u + 1]):
                v = indices[e]
                if slot[v] < 0:
                    slot[v] = used
                    reached[used] = v
                    used += 1
        order = reached[:used][np.argsort(level[reached[:used]], kind="mergesort")]
        if used > capacity:
            capacity = 2 * used
            bits = np.zeros((capacity, words), dtype=np.uint64)
        for j in range(used):
            slot[order[j]] = j
            for w in range(words):
                bits[j, w] = 0
        for j in range(used):
            u = order[j]
            own = source_of[u]
            for e in range(indptr[u], indptr[u + 1]):
                t = slot[indices[e]]
                for w in range(words):
                    bits[t, w] |= bits[j, w]
                if own >= 0:
                    bits[t, own // 64] |= np.uint64(1) << np.uint64(own % 64)
        for j in range(used):
            v = order[j]
            for w in range(words):
                x = bits[j, w]
                while x:
                    low = x & (~x + np.uint64(1))
                    b = w * 64 + _DE_BRUIJN_INDEX[(low * _DE_BRUIJN) >> np.uint64(58)]
                    source = candidates[start + b]
                    for q in range(k):
                        sums[v, q] += comp_weights[source, q]
                    x ^= low
            slot[v] = -1
            source_of[v] = -1
    return sums


Method = Literal["exact", "approximate", "auto"]
#: With method "auto", inventories with more systems than this get the approximate method.
EXACT_UP_TO = 2_000_000


APPROXIMATE_LABEL = "approximate (HyperLogLog, about {error:.0f}% standard error)"


def impact_method(count: int, method: Method = "auto", exact_up_to: int = EXACT_UP_TO) -> str:
    """The method :func:`downstream_impact` uses for ``count`` systems, in words (with the
    expected error of the approximate one).

    >>> impact_method(250), impact_method(250, "auto", exact_up_to=100)
    ('exact', 'approximate (HyperLogLog, about 5% standard error)')
    """
    if method == "auto":
        method = "exact" if count <= exact_up_to else "approximate"
    if method == "exact":
        return "exact"
    if method == "approximate":
        return APPROXIMATE_LABEL.format(error=100 * 1.04 / np.sqrt(1 << SKETCH_PRECISION))
    raise InvalidArgumentError(
        "method", f"impact method '{method}' is not one of: exact, approximate, auto"
    )


def downstream_impact(
    systems: pd.DataFrame,
    dependencies: pd.DataFrame,
    *,
    criticality_weights: Mapping[str, float] | None = None,
    method: Method = "auto",
    exact_up_to: int = EXACT_UP_TO,
    graph: ArrayGraph | None = None,
) -> pd.DataFrame:
    """Downstream impact of every system.

    Columns: ``downstream`` (systems that depend on it directly or transitively),
    ``downstream_weighted`` (the same, each weighted by its criticality), ``direct_dependents``,
    ``interfaces`` (links in and out) and ``patient_facing_dependents`` (patient-facing systems
    among the downstream ones). Indexed like ``systems``.

    ``method`` is ``exact`` (default up to ``exact_up_to`` systems), ``approximate``
    (HyperLogLog reach sketches, see :func:`approximate_reach_sums`) or ``auto``;
    :func:`impact_method` says which, in words. ``graph``, when given, is the dependencies
    already as positions (``Inventory.array_graph``), so no id is looked up again.
    """
    weights_by_level = dict(criticality_weights or DEFAULT_CRITICALITY_WEIGHTS)
    if graph is None:
        graph = ArrayGraph.from_frames(systems, dependencies)
    criticality = (
        systems["criticality"].astype(object).map(weights_by_level).fillna(0).to_numpy(float)
    )
    patient = systems["patient_facing"].fillna(False).to_numpy(bool).astype(float)
    node_weights = np.column_stack([np.ones(graph.n), criticality, patient])
    if impact_method(graph.n, method, exact_up_to) == "exact":
        sums = reach_sums(graph, node_weights)
    else:
        if not np.allclose(node_weights, np.round(node_weights)):
            raise InvalidArgumentError(
                "criticality_weights", "approximate impact needs whole-number criticality weights"
            )
        sums = approximate_reach_sums(graph, np.round(node_weights).astype(np.int64))
    direct = np.bincount(graph.provider, minlength=graph.n)
    outgoing = np.bincount(graph.consumer, minlength=graph.n)
    frame = pd.DataFrame(
        {
            "downstream": np.rint(sums[:, 0]).astype(np.int64),
            "downstream_weighted": sums[:, 1],
            "direct_dependents": direct.astype(np.int64),
            "interfaces": (direct + outgoing).astype(np.int64),
            "patient_facing_dependents": np.rint(sums[:, 2]).astype(np.int64),
        },
        index=systems.index,
    )
    return frame


# --- approximate reach: HyperLogLog sketches -------------------------------------------------

SKETCH_PRECISION = 9  # 2**9 = 512 registers a node and quantity: about 4.6% standard error


def _mix64(values: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: well-spread 64-bit hashes of integers (vectorised)."""
    z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _hll_estimate(registers: np.ndarray) -> np.ndarray:
    """HyperLogLog cardinality estimate of each row (with the small-range correction)."""
    m = registers.shape[1]
    alpha = 0.7213 / (1 + 1.079 / m)
    return _hll_rows(registers, np.ldexp(1.0, -np.arange(256)), alpha * m * m)


@njit(cache=True)
def _hll_rows(registers, inverse_powers, scale):  # pragma: no cover - compiled
    count, m = registers.shape
    estimates = np.empty(count)
    for row in range(count):
        harmonic = 0.0
        zeros = 0
        for j in range(m):
            r = registers[row, j]
            harmonic += inverse_powers[r]
            if r == 0:
                zeros += 1
        raw = scale / harmonic
        if raw <= 2.5 * m and zeros > 0:
            raw = m * np.log(m / zeros)
        estimates[row] = raw
    return estimates


@njit(cache=True)
def _hll_fill(registers, rows, bucket, rank):  # pragma: no cover - compiled
    """Each item's rank into its row's register, keeping the maximum."""
    for i in range(len(rows)):
        if rank[i] > registers[rows[i], bucket[i]]:
            registers[rows[i], bucket[i]] = rank[i]


@njit(cache=True)
def _hll_push(registers, sources, targets):  # pragma: no cover - compiled
    """Merge each source's sketch into its target's (register-wise maximum), edge by edge in
    the given order: sorted by the source's level, every sketch is complete before it moves."""
    m = registers.shape[1]
    for e in range(len(sources)):
        source, target = sources[e], targets[e]
        for j in range(m):
            if registers[source, j] > registers[target, j]:
                registers[target, j] = registers[source, j]


def approximate_reach_sums(
    graph: ArrayGraph, weights: np.ndarray, *, precision: int = SKETCH_PRECISION
) -> np.ndarray:
    """Estimate :func:`reach_sums` for whole-number weights with HyperLogLog sketches.

    Each node enters its quantity's sketch as ``weight`` distinct items, so one sketch
    estimates a weighted count. Sketches are merged (register-wise maximum) from consumers to
    providers over the condensed DAG in topological order. Memory is ``2**precision`` bytes a
    node and quantity; the standard error is about ``1.04 / sqrt(2**precision)``.
    """
    n = graph.n
    weights = np.asarray(weights).reshape(n, -1)
    k = weights.shape[1]
    if n == 0:
        return np.zeros((0, k))
    m = 1 << precision
    dag = _condensed_dag(graph)
    ncomp, comp, cu, cv = dag.components, dag.comp, dag.consumer, dag.provider
    order = np.argsort(dag.level[cu], kind="stable")  # every consumer before its providers
    cu, cv = cu[order], cv[order]
    result = np.zeros((n, k))
    for q in range(k):
        counts = weights[:, q].astype(np.int64)
        owner = np.repeat(np.arange(n), counts)
        copy = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        hashes = _mix64((owner * 16 + copy) * 8 + q)
        bucket = (hashes & np.uint64(m - 1)).astype(np.int64)
        rest = hashes >> np.uint64(precision)
        width = 64 - precision
        leading = np.where(
            rest == 0, width, width - 1 - np.floor(np.log2(np.maximum(rest, 1).astype(np.float64)))
        )
        rank = (leading + 1).astype(np.uint8)
        registers = np.zeros((ncomp, m), dtype=np.uint8)
        _hll_fill(registers, comp[owner], bucket, rank)
        _hll_push(registers, cu, cv)  # consumers' sketches flow into their providers
        estimate = _hll_estimate(registers)
        # whole-number weights make whole-number sums: rounding keeps exact zeros exact
        result[:, q] = np.maximum(np.rint(estimate[comp] - counts), 0.0)
    return result
