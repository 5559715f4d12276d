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
from typing import Literal

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from inventory.graph import ArrayGraph

__all__ = [
    "DEFAULT_CRITICALITY_WEIGHTS",
    "approximate_reach_sums",
    "downstream_impact",
    "reach_sums",
]

DEFAULT_CRITICALITY_WEIGHTS = {"low": 1, "medium": 2, "high": 3, "critical": 4}
CHUNK_SOURCES = 2048  # bits per chunk: 32 words of 64 bits
ROW_BLOCK = 16384  # rows of bits read at once when summing weights


def _csr(sources: np.ndarray, targets: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(sources, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sources, minlength=n), out=indptr[1:])
    return indptr, targets[order]


def _gather(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray):
    """All (row, neighbour) pairs for the given rows, vectorised."""
    starts = indptr[rows]
    counts = indptr[rows + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    owner = np.repeat(rows, counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, indices[np.repeat(starts, counts) + offsets]


def _levels(indptr: np.ndarray, indices: np.ndarray, n: int) -> np.ndarray:
    """Longest-path level of each DAG node from the sources (Kahn, level by level)."""
    indegree = np.bincount(indices, minlength=n)
    level = np.zeros(n, dtype=np.int64)
    frontier = np.flatnonzero(indegree == 0)
    depth = 0
    seen = 0
    while len(frontier):
        level[frontier] = depth
        seen += len(frontier)
        _, targets = _gather(indptr, indices, frontier)
        if not len(targets):
            break
        hits = np.bincount(targets, minlength=n)
        touched = np.flatnonzero(hits)
        indegree[touched] -= hits[touched]
        frontier = touched[indegree[touched] == 0]
        depth += 1
    if seen != n:  # pragma: no cover - the condensation is acyclic by construction
        raise RuntimeError("condensed graph has a cycle")
    return level


def reach_sums(graph: ArrayGraph, weights: np.ndarray) -> np.ndarray:
    """For each node v, the sum of ``weights[u]`` over every u != v with a path u -> ... -> v.

    ``weights`` has one row per node and one column per quantity. Exact.
    """
    n = graph.n
    weights = np.asarray(weights, dtype=np.float64).reshape(n, -1)
    k = weights.shape[1]
    if n == 0:
        return np.zeros((0, k))
    ncomp, comp = connected_components(graph.matrix(), directed=True, connection="strong")
    comp_weights = np.zeros((ncomp, k))
    np.add.at(comp_weights, comp, weights)
    cu, cv = comp[graph.consumer], comp[graph.provider]
    keep = cu != cv
    pairs = np.unique(cu[keep].astype(np.int64) * ncomp + cv[keep])
    cu, cv = pairs // ncomp, pairs % ncomp
    indptr, indices = _csr(cu, cv, ncomp)
    level = _levels(indptr, indices, ncomp)
    sums = np.zeros((ncomp, k))
    # chunk the components that are someone's ancestor, in order of first appearance
    has_out = np.flatnonzero(np.diff(indptr) > 0)
    first_node = np.full(ncomp, n, dtype=np.int64)
    np.minimum.at(first_node, comp, np.arange(n))
    candidates = has_out[np.argsort(first_node[has_out], kind="stable")]
    slot = np.full(ncomp, -1, dtype=np.int64)
    for start in range(0, len(candidates), CHUNK_SOURCES):
        sources = candidates[start : start + CHUNK_SOURCES]
        _push_chunk(sources, indptr, indices, level, slot, comp_weights, sums)
    # members of the same cycle depend on each other: add the rest of one's own component
    own = comp_weights[comp] - weights
    return sums[comp] + own


def _push_chunk(sources, indptr, indices, level, slot, comp_weights, sums) -> None:
    words = (len(sources) + 63) // 64
    capacity = max(1024, 4 * len(sources))
    bits = np.zeros((capacity, words), dtype=np.uint64)
    self_bits = np.zeros((capacity, words), dtype=np.uint64)
    reached = list(sources)
    slot[sources] = np.arange(len(sources))
    positions = np.arange(len(sources))
    self_bits[positions, positions // 64] = np.left_shift(
        np.uint64(1), (positions % 64).astype(np.uint64)
    )
    used = len(sources)
    buckets: dict[int, list[np.ndarray]] = {}
    _by_level(sources, level, buckets)
    while buckets:
        lv = min(buckets)
        nodes = np.unique(np.concatenate(buckets.pop(lv)))
        owners, targets = _gather(indptr, indices, nodes)
        if not len(targets):
            continue
        new = np.unique(targets[slot[targets] < 0])
        if len(new):
            if used + len(new) > capacity:
                capacity = max(2 * capacity, used + len(new))
                bits = _grow(bits, capacity)
                self_bits = _grow(self_bits, capacity)
            slot[new] = np.arange(used, used + len(new))
            used += len(new)
            reached.extend(new.tolist())
            _by_level(new, level, buckets)
        carry = bits[slot[owners]] | self_bits[slot[owners]]
        target_slots = slot[targets]
        order = np.argsort(target_slots, kind="stable")
        target_slots, carry = target_slots[order], carry[order]
        boundaries = np.flatnonzero(np.r_[True, target_slots[1:] != target_slots[:-1]])
        merged = np.bitwise_or.reduceat(carry, boundaries, axis=0)
        bits[target_slots[boundaries]] |= merged
    reached_array = np.asarray(reached, dtype=np.int64)
    # weighted sums of the set bits, a byte at a time: for each byte position p, a table of
    # the summed weights of the 8 sources behind every possible byte value
    chunk_weights = np.zeros((words * 64, comp_weights.shape[1]))
    chunk_weights[: len(sources)] = comp_weights[sources]
    positions = words * 8
    tables = np.einsum("vb,pbk->pvk", _BYTE_BITS, chunk_weights.reshape(positions, 8, -1))
    for block in range(0, used, ROW_BLOCK):
        stop = min(used, block + ROW_BLOCK)
        octets = bits[block:stop].view(np.uint8)
        rows, columns = np.nonzero(octets)
        if not len(rows):
            continue
        values = tables[columns, octets[rows, columns]]
        targets = reached_array[block:stop]
        for q in range(values.shape[1]):
            sums[targets, q] += np.bincount(rows, weights=values[:, q], minlength=stop - block)
    slot[reached_array] = -1


#: _BYTE_BITS[v, b] is bit b (least significant first) of the byte value v.
_BYTE_BITS = ((np.arange(256)[:, None] >> np.arange(8)) & 1).astype(np.float64)


def _by_level(nodes: np.ndarray, level: np.ndarray, buckets: dict[int, list[np.ndarray]]) -> None:
    """Append nodes to the bucket of their topological level."""
    levels = level[nodes]
    order = np.argsort(levels, kind="stable")
    nodes, levels = nodes[order], levels[order]
    cuts = np.flatnonzero(np.r_[True, levels[1:] != levels[:-1]])
    for start, stop in zip(cuts, np.r_[cuts[1:], len(nodes)], strict=True):
        buckets.setdefault(int(levels[start]), []).append(nodes[start:stop])


def _grow(array: np.ndarray, capacity: int) -> np.ndarray:
    grown = np.zeros((capacity, array.shape[1]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


Method = Literal["exact", "approximate", "auto"]
#: With method "auto", inventories with more systems than this get the approximate method.
EXACT_UP_TO = 2_000_000


def downstream_impact(
    systems: pd.DataFrame,
    dependencies: pd.DataFrame,
    *,
    criticality_weights: Mapping[str, float] | None = None,
    method: Method = "auto",
    exact_up_to: int = EXACT_UP_TO,
) -> pd.DataFrame:
    """Downstream impact of every system.

    Columns: ``downstream`` (systems that depend on it directly or transitively),
    ``downstream_weighted`` (the same, each weighted by its criticality), ``direct_dependents``,
    ``interfaces`` (links in and out) and ``patient_facing_dependents`` (patient-facing systems
    among the downstream ones). Indexed like ``systems``.

    ``method`` is ``exact`` (default up to ``exact_up_to`` systems), ``approximate``
    (HyperLogLog reach sketches, see :func:`approximate_reach_sums`) or ``auto``. The method
    and its expected error are in ``frame.attrs["impact_method"]``.
    """
    weights_by_level = dict(criticality_weights or DEFAULT_CRITICALITY_WEIGHTS)
    graph = ArrayGraph.from_frames(systems, dependencies)
    criticality = systems["criticality"].map(weights_by_level).fillna(0).to_numpy(float)
    patient = systems["patient_facing"].fillna(False).to_numpy(bool).astype(float)
    node_weights = np.column_stack([np.ones(graph.n), criticality, patient])
    if method == "auto":
        method = "exact" if graph.n <= exact_up_to else "approximate"
    if method == "exact":
        sums = reach_sums(graph, node_weights)
        label = "exact"
    elif method == "approximate":
        if not np.allclose(node_weights, np.round(node_weights)):
            raise ValueError("approximate impact needs whole-number criticality weights")
        sums = approximate_reach_sums(graph, np.round(node_weights).astype(np.int64))
        error = 1.04 / np.sqrt(1 << SKETCH_PRECISION)
        label = f"approximate (HyperLogLog, about {100 * error:.0f}% standard error)"
    else:
        raise ValueError(f"impact method '{method}' is not one of: exact, approximate, auto")
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
    frame.attrs["impact_method"] = label
    return frame


# --- approximate reach: HyperLogLog sketches -------------------------------------------------

SKETCH_PRECISION = 9  # 2**9 = 512 registers a node and quantity: about 4.6% standard error
_HLL_EDGE_BLOCK = 131_072  # edges whose registers are gathered at once


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
    estimates = np.empty(len(registers))
    for start in range(0, len(registers), 65_536):
        block = registers[start : start + 65_536]
        harmonic = np.ldexp(1.0, -block.astype(np.int64)).sum(axis=1)
        raw = alpha * m * m / harmonic
        zeros = (block == 0).sum(axis=1)
        small = (raw <= 2.5 * m) & (zeros > 0)
        raw[small] = m * np.log(m / zeros[small])
        estimates[start : start + 65_536] = raw
    return estimates


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
    ncomp, comp = connected_components(graph.matrix(), directed=True, connection="strong")
    cu, cv = comp[graph.consumer], comp[graph.provider]
    keep = cu != cv
    pairs = np.unique(cu[keep].astype(np.int64) * ncomp + cv[keep])
    cu, cv = pairs // ncomp, pairs % ncomp
    indptr, indices = _csr(cu, cv, ncomp)
    level = _levels(indptr, indices, ncomp)
    order = np.argsort(level[cu], kind="stable")
    cu, cv = cu[order], cv[order]
    edge_level = level[cu]
    cuts = np.flatnonzero(np.r_[True, edge_level[1:] != edge_level[:-1], True])
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
        np.maximum.at(registers, (comp[owner], bucket), rank)
        for c in range(len(cuts) - 1):  # consumers' sketches flow into their providers
            for start in range(cuts[c], cuts[c + 1], _HLL_EDGE_BLOCK):
                stop = min(cuts[c + 1], start + _HLL_EDGE_BLOCK)
                sources, targets = cu[start:stop], cv[start:stop]
                by_target = np.argsort(targets, kind="stable")
                sources, targets = sources[by_target], targets[by_target]
                bounds = np.flatnonzero(np.r_[True, targets[1:] != targets[:-1]])
                merged = np.maximum.reduceat(registers[sources], bounds, axis=0)
                np.maximum(registers[targets[bounds]], merged, out=merged)
                registers[targets[bounds]] = merged
        estimate = _hll_estimate(registers)
        # whole-number weights make whole-number sums: rounding keeps exact zeros exact
        result[:, q] = np.maximum(np.rint(estimate[comp] - counts), 0.0)
    return result
