"""The dependency graph: frames -> networkx, and an array view for national scale.

Direction: an edge ``consumer -> provider`` means "consumer depends on provider". The
*downstream impact* of X is everything that transitively depends on X, i.e. every node with a
path **to** X (``nx.ancestors(G, X)``). Node attributes are the system's columns; edge
attributes are the dependency's columns.

:class:`ArrayGraph` holds the same edges as integer arrays (compressed sparse rows through
scipy) so that strongly connected components, condensation and reach run in compiled code on
graphs with millions of nodes.

Examples
--------
>>> systems = pd.DataFrame({"name": ["PAS", "TIE", "ED", "LIMS"]},
...                        index=["pas", "tie", "ed", "lims"])
>>> dependencies = pd.DataFrame({"consumer": ["tie", "ed", "lims"],
...                              "provider": ["pas", "tie", "tie"]})
>>> G = to_graph(systems, dependencies)
>>> sorted(downstream(G, "pas"))
['ed', 'lims', 'tie']
>>> sorted(upstream(G, "ed"))
['pas', 'tie']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from inventory.errors import UnknownSystemError

__all__ = [
    "ArrayGraph",
    "csr",
    "dag_levels",
    "downstream",
    "first_occurrences",
    "gather",
    "move_groups",
    "neighbourhood",
    "sorted_unique",
    "to_graph",
    "upstream",
]


def _clean(value: object) -> object:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA:
        return None
    return value


def to_graph(systems: pd.DataFrame, dependencies: pd.DataFrame) -> nx.DiGraph:
    """Build the dependency graph: one node per system, one edge consumer -> provider.

    Blank values (NaN, NaT, NA) become ``None`` so that attributes are plain Python.
    """
    G: nx.DiGraph = nx.DiGraph()
    records = systems.to_dict("records")
    G.add_nodes_from(
        (node_id, {str(k): _clean(v) for k, v in record.items()})
        for node_id, record in zip(systems.index, records, strict=True)
    )
    edge_columns = [c for c in dependencies.columns if c not in ("consumer", "provider")]
    G.add_edges_from(
        (row["consumer"], row["provider"], {k: _clean(row[k]) for k in edge_columns})
        for row in dependencies.to_dict("records")
    )
    return G


def downstream(G: nx.DiGraph, system: str) -> set[str]:
    """Everything that transitively depends on ``system`` (its downstream impact); the id
    may be given in any case, with spaces around it.

    >>> sorted(downstream(nx.DiGraph([("a", "b"), ("b", "c")]), " C "))
    ['a', 'b']
    """
    return nx.ancestors(G, _node(G, system))


def upstream(G: nx.DiGraph, system: str) -> set[str]:
    """Everything ``system`` transitively depends on (its id as for :func:`downstream`)."""
    return nx.descendants(G, _node(G, system))


def _node(G: nx.DiGraph, system: str) -> str:
    """``system`` as a node of ``G``; :class:`UnknownSystemError` when it is not there."""
    node = _find(G, system)
    if node is None:
        raise UnknownSystemError([system], where="in the graph")
    return node


def _find(G: nx.DiGraph, system: str) -> str | None:
    """``system`` as a node of ``G``: as given, or trimmed and in lower case (as ids are
    stored); None when neither is there."""
    if system in G:
        return system
    key = system.strip().lower() if isinstance(system, str) else system
    return key if key in G else None


def neighbourhood(G: nx.DiGraph, systems: Iterable[str], depth: int = 1) -> nx.DiGraph:
    """The subgraph within ``depth`` hops of ``systems`` in either direction.

    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(neighbourhood(G, ["b"], depth=1))
    ['a', 'b', 'c']
    """
    found = {system: _find(G, system) for system in systems}
    missing = sorted(system for system, node in found.items() if node is None)
    if missing:
        raise UnknownSystemError(missing, where="in the graph")
    frontier = {node for node in found.values() if node is not None}
    seen = set(frontier)
    for _ in range(depth):
        step: set[str] = set()
        for node in frontier:
            step.update(G.predecessors(node))
            step.update(G.successors(node))
        frontier = step - seen
        seen |= frontier
    return G.subgraph(seen).copy()


def move_groups(G: nx.DiGraph) -> list[set[str]]:
    """Systems that depend on each other in a cycle of any kind of link, largest first.

    These are the graph's cycles. The plan moves together only systems in a cycle of hard
    coupling (``ordering.coupling_kinds``: a shared database) among those being replaced, and
    those joined by ``move_with`` (docs/planning.md); a two-way HL7 or API interface is not
    one. The plan's own groups are the projects with several ``members`` in ``result.units``.

    >>> [sorted(group) for group in move_groups(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")]))]
    [['a', 'b']]
    """
    groups = [c for c in nx.strongly_connected_components(G) if len(c) > 1]
    return sorted(groups, key=lambda c: (-len(c), sorted(c)[0]))


@dataclass(frozen=True)
class ArrayGraph:
    """Edges as integer arrays over node positions ``0..n-1`` (``ids[i]`` is node i).

    ``consumer[k] -> provider[k]`` is edge k, row ``rows[k]`` of the dependencies it was
    built from (rows naming an unknown system are left out), so the edges' other columns
    (their ``kind``) are read by position too.
    """

    ids: np.ndarray
    consumer: np.ndarray
    provider: np.ndarray
    rows: np.ndarray

    @classmethod
    def from_frames(cls, systems: pd.DataFrame, dependencies: pd.DataFrame) -> ArrayGraph:
        """Index the systems and translate dependency ids to positions (vectorised)."""
        ids = np.asarray(systems.index, dtype=object)
        # the systems' own index keeps its hash table between calls: ids are hashed once
        consumer = systems.index.get_indexer(pd.Index(dependencies["consumer"], dtype=object))
        provider = systems.index.get_indexer(pd.Index(dependencies["provider"], dtype=object))
        keep = (consumer >= 0) & (provider >= 0)
        return cls(
            ids,
            consumer[keep].astype(np.int64),
            provider[keep].astype(np.int64),
            np.flatnonzero(keep),
        )

    @property
    def n(self) -> int:
        return len(self.ids)

    def matrix(self) -> sparse.csr_matrix:
        """Adjacency in CSR form, row = consumer, column = provider."""
        data = np.ones(len(self.consumer), dtype=np.int8)
        return sparse.csr_matrix((data, (self.consumer, self.provider)), shape=(self.n, self.n))

    def within(self, centres: np.ndarray, depth: int) -> np.ndarray:
        """Positions within ``depth`` links of ``centres``, in either direction.

        >>> g = ArrayGraph(np.array(["a", "b", "c", "d"], dtype=object),
        ...                np.array([0, 1, 2]), np.array([1, 2, 3]), np.arange(3))
        >>> g.within(np.array([1]), 1).tolist()
        [0, 1, 2]
        """
        undirected = self.matrix()
        undirected = (undirected + undirected.T).tocsr()
        seen = np.zeros(self.n, dtype=bool)
        seen[centres] = True
        frontier = np.asarray(centres)
        for _ in range(depth):
            reached = undirected[frontier].indices
            frontier = sorted_unique(reached[~seen[reached]])
            seen[frontier] = True
        return np.flatnonzero(seen)

    def strong_components(self) -> tuple[int, np.ndarray]:
        """Label each node with its strongly connected component (scipy, linear time)."""
        return connected_components(self.matrix(), directed=True, connection="strong")


# --- compressed sparse rows and DAG levels, shared by impact, schedule and blast radius


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique`` by sorting and masking repeats.

    numpy 2's ``np.unique`` hashes, which is 10-20x slower on millions of integers.

    >>> sorted_unique(np.array([3, 1, 3, 2, 1])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def first_occurrences(values: np.ndarray) -> np.ndarray:
    """The positions of the first occurrence of each distinct value, in position order: what
    ``drop_duplicates`` keeps, for integer keys (a pair of positions as ``a * n + b``).

    >>> first_occurrences(np.array([3, 1, 3, 2, 1])).tolist()
    [0, 1, 3]
    """
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return np.sort(order[first])


def csr(sources: np.ndarray, targets: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Compressed sparse rows of the pairs (source, target) over nodes ``0..n-1``: the
    targets of node i are ``indices[indptr[i]:indptr[i + 1]]``, in their given order.

    >>> csr(np.array([1, 0, 1]), np.array([5, 6, 7]), 3)
    (array([0, 1, 3, 3]), array([6, 5, 7]))
    """
    order = np.argsort(sources, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sources, minlength=n), out=indptr[1:])
    return indptr, targets[order]


def gather(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray):
    """All (row, neighbour) pairs for the given rows, vectorised."""
    starts = indptr[rows]
    counts = indptr[rows + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    owner = np.repeat(rows, counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, indices[np.repeat(starts, counts) + offsets]


def dag_levels(indptr: np.ndarray, indices: np.ndarray, n: int) -> np.ndarray:
    """Longest-path level of each DAG node from the sources (Kahn, level by level)."""
    indegree = np.bincount(indices, minlength=n)
    level = np.zeros(n, dtype=np.int64)
    frontier = np.flatnonzero(indegree == 0)
    depth = 0
    seen = 0
    while len(frontier):
        level[frontier] = depth
        seen += len(frontier)
        _, targets = gather(indptr, indices, frontier)
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
