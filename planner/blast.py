"""Blast radius: what fails or degrades when systems go down, and through which interfaces.

Starting from the systems that are down, failure flows from each provider to its consumers
(the edges run consumer -> provider, so it flows against them). A consumer *fails* when it
reaches a failed (or down) provider through a hard link: a kind in ``blast_radius.hard_kinds``
(it runs on or through the provider: infrastructure, database link, authentication) or a
criticality in ``blast_radius.hard_criticality``. Through any other link, or from a provider
that only degrades, it *degrades*. Each affected system carries its shortest path back to a
system that is down, with the interface kind of every hop.

:func:`cutover_window` takes the same view of a planned go-live: the month a system is cut
over, everything else cut over in that month, and their blast radius together.

Breadth-first on arrays (edges grouped by provider), a level at a time: linear in the edges
of what is affected, so "what if Spine is down" works on a national estate too.

Examples
--------
>>> from inventory.model import Inventory
>>> from planner.policy import load_policy
>>> trust = Inventory.from_records(
...     [{"id": i, "name": i.upper()} for i in ("vm", "pas", "ed", "audit")],
...     [{"consumer": "pas", "provider": "vm", "kind": "infrastructure"},
...      {"consumer": "ed", "provider": "pas", "kind": "HL7 v2", "criticality": "critical"},
...      {"consumer": "audit", "provider": "ed", "kind": "file transfer", "criticality": "low"}])
>>> radius = blast_radius(trust, ["vm"], load_policy())
>>> radius
<BlastRadius: 1 down -> 2 fail, 1 degrade; 0 patient-facing (0 fail)>
>>> for row in radius.table[["effect", "hops", "path"]].itertuples():
...     print(*row)
pas fails 1 vm >(infrastructure) pas
ed fails 2 vm >(infrastructure) pas >(HL7 v2) ed
audit degrades 3 vm >(infrastructure) pas >(HL7 v2) ed >(file transfer) audit
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from inventory.errors import InvalidArgumentError
from inventory.graph import csr, gather
from inventory.names import system_ids
from inventory.schema import tidy_tables

__all__ = ["BlastRadius", "blast_radius", "cutover_window"]

_EFFECT_ORDER = {"fails": 0, "degrades": 1}
_CRITICALITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
COLUMNS = [
    "name",
    "category",
    "criticality",
    "patient_facing",
    "users",
    "effect",
    "hops",
    "via",
    "messages",
    "path",
]
_DOWN, _FAILS, _DEGRADES = 1, 2, 3


def _seeds(table: pd.DataFrame, systems: Iterable[str]) -> list[str]:
    """The ids of ``systems`` (by id or name; see :func:`inventory.names.system_ids`)."""
    keys = system_ids(table, systems)
    if not keys:
        raise InvalidArgumentError("systems", "name at least one system that is down")
    return list(dict.fromkeys(keys))


def _spread(frontier, indptr, edge_of, consumer, usable, state, parent_edge, mark) -> list:
    """Level by level from ``frontier`` to unreached consumers through ``usable`` edges;
    each newly reached node gets ``mark`` and the edge it was first reached through.
    Returns the nodes reached, in order."""
    reached = []
    while len(frontier):
        _, edges = gather(indptr, edge_of, frontier)
        edges = edges[usable[edges] & (state[consumer[edges]] == 0)]
        nodes, at = np.unique(consumer[edges], return_index=True)
        order = np.argsort(at, kind="stable")  # keep the order they were reached in
        nodes, edges = nodes[order], edges[at[order]]
        state[nodes] = mark
        parent_edge[nodes] = edges
        reached.append(nodes)
        frontier = nodes
    return reached


@dataclass(frozen=True)
class BlastRadius:
    """What fails or degrades while ``down`` are down.

    ``table`` has one row per affected system, indexed by id: name, category, criticality,
    patient_facing, users, effect (fails / degrades), hops from the nearest system down, via
    (the interface kind it is hit through), messages on that interface, and the path; sorted
    failures first, then by hops and criticality. ``windows`` (for a planned cut-over) has one
    row per go-live month: the systems cut over, the legacy ones switching to them, projects.
    """

    table: pd.DataFrame
    down: list[str]
    windows: pd.DataFrame | None = None
    #: named users of the systems down, and the organisation's staff (policy headcount)
    down_users: pd.Series = field(default_factory=lambda: pd.Series(dtype="float64"))
    headcount: int | None = None

    def __post_init__(self) -> None:
        tidy_tables(self)  # text as object, ordered categoricals (inventory.schema.tidy)

    @property
    def fails(self) -> int:
        return int((self.table["effect"] == "fails").sum())

    @property
    def users(self) -> int:
        """Users affected, without double counting: the same staff use many systems, so the
        sum over systems overstates it; the largest system's users (down or affected) are
        certainly affected, and that is the figure given.

        >>> BlastRadius(pd.DataFrame({"users": [300.0, None]}), ["pas"],
        ...             down_users=pd.Series({"pas": 1200.0})).users
        1200
        """
        both = pd.concat([self.table["users"], self.down_users]).dropna()
        return int(both.max()) if len(both) else 0

    def users_text(self) -> str:
        """'at least 1,200 users (16% of 7,500 staff)'; empty when no users are known."""
        users = self.users
        if not users:
            return ""
        share = (
            f" ({min(users / self.headcount, 1.0):.0%} of {self.headcount:,} staff)"
            if self.headcount
            else ""
        )
        return f"at least {users:,} users{share}"

    def summary(self) -> str:
        """One line: how many are down, fail, degrade, and the patient-facing among them."""
        patient = self.table[self.table["patient_facing"]]
        failing = int((patient["effect"] == "fails").sum())
        users = self.users_text()
        return (
            f"{len(self.down)} down -> {self.fails} fail, {len(self.table) - self.fails} "
            f"degrade; {len(patient)} patient-facing ({failing} fail)"
            + (f"; {users} affected" if users else "")
        )

    def __repr__(self) -> str:
        return f"<BlastRadius: {self.summary()}>"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.summary())}</p>" + self.table.to_html(escape=True)


def blast_radius(inventory, systems: Iterable[str], policy, *, gone=()) -> BlastRadius:
    """Every system that fails or degrades while ``systems`` are down (see the module notes
    and :class:`BlastRadius`). Systems in ``gone`` (no longer running) carry nothing."""
    table, links = inventory.systems, inventory.dependencies
    index = table.index
    down = _seeds(table, systems)
    rules = policy.blast_radius
    consumer = index.get_indexer(links["consumer"].to_numpy(dtype=object))
    provider = index.get_indexer(links["provider"].to_numpy(dtype=object))
    present = np.ones(len(index), dtype=bool)
    present[index.get_indexer(list(gone))] = False
    alive = (consumer >= 0) & (provider >= 0)
    alive[alive] = present[consumer[alive]] & present[provider[alive]]
    hard = (
        links["kind"].isin(rules.hard_kinds).to_numpy()
        | links["criticality"].isin(rules.hard_criticality).to_numpy()
    ) & alive
    living = np.flatnonzero(alive)
    indptr, by_provider = csr(provider[living], living, len(index))  # link ids by provider
    state = np.zeros(len(index), dtype=np.int8)
    parent_edge = np.full(len(index), -1, dtype=np.int64)
    seeds = index.get_indexer(down)
    state[seeds] = _DOWN
    spread = (indptr, by_provider, consumer)
    failing = _spread(seeds, *spread, hard, state, parent_edge, _FAILS)
    starts = np.concatenate([seeds, *failing])
    degrading = _spread(starts, *spread, alive, state, parent_edge, _DEGRADES)
    reached = np.concatenate([np.array([], dtype=np.int64), *failing, *degrading])
    return BlastRadius(
        _frame(table, links, reached, state, parent_edge, consumer, provider),
        down,
        down_users=table.loc[down, "users"].astype("float64"),
        headcount=rules.headcount,
    )


def _frame(table, links, reached, state, parent_edge, consumer, provider) -> pd.DataFrame:
    """The affected systems with their hops and paths (parents come before children)."""
    ids = table.index.to_numpy(dtype=object)
    kinds = links["kind"].to_numpy(dtype=object)
    hops: dict[int, int] = {}
    paths: dict[int, str] = {}
    for node in reached.tolist():
        edge = parent_edge[node]
        source = int(provider[edge])
        hops[node] = hops.get(source, 0) + 1
        kind = kinds[edge] if isinstance(kinds[edge], str) else "link"
        paths[node] = f"{paths.get(source, ids[source])} >({kind}) {ids[node]}"
    edges = parent_edge[reached]
    rows = table.iloc[reached]
    frame = pd.DataFrame(
        {
            "name": rows["name"].to_numpy(),
            "category": rows["category"].to_numpy(),
            "criticality": rows["criticality"].to_numpy(),
            "patient_facing": rows["patient_facing"].fillna(False).astype(bool).to_numpy(),
            "users": rows["users"].to_numpy(),
            "effect": np.where(state[reached] == _FAILS, "fails", "degrades"),
            "hops": [hops[n] for n in reached.tolist()],
            "via": kinds[edges],
            "messages": links["messages"].to_numpy(dtype=object)[edges],
            "path": [paths[n] for n in reached.tolist()],
        },
        index=pd.Index(ids[reached], name="id"),
    )
    if len(frame):
        keys = pd.DataFrame(
            {
                "effect": frame["effect"].map(_EFFECT_ORDER),
                "hops": frame["hops"],
                "criticality": frame["criticality"]
                .astype(object)
                .map(_CRITICALITY_ORDER)
                .fillna(4),
            }
        )
        frame = frame.loc[keys.sort_values(list(keys.columns), kind="stable").index]
    return frame


def cutover_window(result, systems: Iterable[str]) -> BlastRadius:
    """The blast radius of the planned cut-over of ``systems``, with its ``windows``.

    There is one window per go-live month involved: every system cut over in that month
    (the named ones and any other project going live then) and the legacy systems switching
    to them (``replaced_by`` one of them), which are down while their data moves across. The
    blast radius is that of all of them down together, as on a cut-over weekend, in the
    estate as it will be then: legacy systems the plan retires or replaces earlier are gone
    (their replacements' interfaces are not in the inventory, so they are not guessed).
    """
    named = _seeds(result.inventory.systems, systems)
    schedule = result.schedule
    unplanned = [s for s in named if s not in schedule.index or not schedule.at[s, "scheduled"]]
    if unplanned:
        raise InvalidArgumentError(
            "systems",
            f"{', '.join(unplanned)} {'is' if len(unplanned) == 1 else 'are'} not scheduled in "
            "this plan, so there is no cut-over to look at",
            hint="the plan's schedule says what is scheduled, and why not",
        )
    months = sorted(set(schedule.loc[named, "go_live"]))
    together = schedule[schedule["scheduled"] & schedule["go_live"].isin(months)]
    replaced_by = result.inventory.systems["replaced_by"]
    switching = replaced_by[replaced_by.isin(together.index)]
    rows = []
    for month in months:
        live = together.index[together["go_live"] == month]
        rows.append(
            {
                "go-live": month,
                "cut over": sorted(live),
                "switching to them": sorted(switching.index[switching.isin(live)]),
                "projects": together.loc[live, "unit"].nunique(),
            }
        )
    down = list(dict.fromkeys([*together.index, *switching.index]))
    # the estate at the window: legacy systems retired or replaced before it are gone
    earlier = schedule[
        schedule["scheduled"]
        & (schedule["go_live"] < months[0])
        & schedule["disposition"].isin(("retire", "replace"))
        & ~schedule.index.isin(down)
    ]
    radius = blast_radius(result.inventory, down, result.policy, gone=earlier.index)
    return replace(radius, windows=pd.DataFrame(rows))
