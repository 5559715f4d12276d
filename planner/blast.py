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

Breadth-first over the reached part of the graph only: linear in what is affected.

Examples
--------
>>> from inventory.model import Inventory
>>> from planner.policy import load_policy
>>> trust = Inventory.from_records(
...     [{"id": i, "name": i.upper()} for i in ("vm", "pas", "ed", "audit")],
...     [{"consumer": "pas", "provider": "vm", "kind": "infrastructure"},
...      {"consumer": "ed", "provider": "pas", "kind": "HL7 v2", "criticality": "critical"},
...      {"consumer": "audit", "provider": "ed", "kind": "file transfer", "criticality": "low"}])
>>> radius = blast_radius(trust.graph(), ["vm"], load_policy())
>>> for row in radius[["effect", "hops", "path"]].itertuples():
...     print(*row)
pas fails 1 vm >(infrastructure) pas
ed fails 2 vm >(infrastructure) pas >(HL7 v2) ed
audit degrades 3 vm >(infrastructure) pas >(HL7 v2) ed >(file transfer) audit
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from itertools import pairwise

import networkx as nx
import pandas as pd

from inventory.errors import UsageError

__all__ = ["blast_radius", "cutover_window"]

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


def _seeds(G: nx.DiGraph, systems: Iterable[str]) -> list[str]:
    keys = [str(s).strip().lower() for s in systems]
    missing = [k for k in keys if k not in G]
    if missing:
        raise UsageError(
            f"no system {', '.join(repr(m) for m in missing)}",
            hint="list them with 'modernise systems'",
        )
    if not keys:
        raise UsageError("name at least one system that is down")
    return list(dict.fromkeys(keys))


def _spread(G, starts, parents, usable) -> list[str]:
    """Breadth-first from ``starts`` to consumers through edges ``usable(data)``; records each
    newly reached node's parent in ``parents`` and returns them in the order reached."""
    queue = deque(starts)
    reached = []
    while queue:
        provider = queue.popleft()
        for consumer in G.predecessors(provider):
            if consumer in parents:
                continue
            if usable(G.edges[consumer, provider]):
                parents[consumer] = provider
                reached.append(consumer)
                queue.append(consumer)
    return reached


def blast_radius(G: nx.DiGraph, systems: Iterable[str], policy) -> pd.DataFrame:
    """Every system that fails or degrades while ``systems`` are down (see the module notes).

    One row per affected system: name, category, criticality, patient_facing, users, effect
    (fails / degrades), hops from the nearest system down, via (the interface kind it is hit
    through), messages on that interface, and the path. Sorted: failures first, then by
    hops and criticality. ``attrs["down"]`` lists the systems taken as down.
    """
    down = _seeds(G, systems)
    rules = policy.settings["blast_radius"]
    hard_kinds, hard_levels = set(rules["hard_kinds"]), set(rules["hard_criticality"])

    def hard(data: dict) -> bool:
        return data.get("kind") in hard_kinds or data.get("criticality") in hard_levels

    parents: dict[str, str | None] = dict.fromkeys(down)
    failing = _spread(G, down, parents, hard)
    degrading = _spread(G, down + failing, parents, lambda data: True)
    rows = []
    hops: dict[str, int] = dict.fromkeys(down, 0)
    for effect, members in (("fails", failing), ("degrades", degrading)):
        for node in members:
            provider = parents[node]
            hops[node] = hops[provider] + 1
            edge = G.edges[node, provider]
            data = G.nodes[node]
            rows.append(
                {
                    "id": node,
                    "name": data.get("name"),
                    "category": data.get("category"),
                    "criticality": data.get("criticality"),
                    "patient_facing": bool(data.get("patient_facing")),
                    "users": data.get("users"),
                    "effect": effect,
                    "hops": hops[node],
                    "via": edge.get("kind"),
                    "messages": edge.get("messages"),
                    "path": _path(G, node, parents),
                }
            )
    frame = pd.DataFrame(rows, columns=["id", *COLUMNS]).set_index("id")
    if len(frame):
        keys = pd.DataFrame(
            {
                "effect": frame["effect"].map(_EFFECT_ORDER),
                "hops": frame["hops"],
                "criticality": frame["criticality"].map(_CRITICALITY_ORDER).fillna(4),
            }
        )
        frame = frame.loc[keys.sort_values(list(keys.columns), kind="stable").index]
    frame.attrs["down"] = down
    return frame


def _path(G: nx.DiGraph, node: str, parents: dict) -> str:
    """'down >(kind) hop >(kind) node': how the failure travels, from a system that is down."""
    chain = [node]
    while parents[chain[-1]] is not None:
        chain.append(parents[chain[-1]])
    chain.reverse()
    text = chain[0]
    for provider, consumer in pairwise(chain):
        text += f" >({G.edges[consumer, provider].get('kind') or 'link'}) {consumer}"
    return text


def cutover_window(result, systems: Iterable[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The planned cut-over of ``systems``: (windows, blast radius).

    ``windows`` has one row per go-live month involved: every system cut over in that month
    (the named ones and any other project going live then) and the legacy systems switching
    to them (``replaced_by`` one of them), which are down while their data moves across. The
    blast radius is that of all of them down together, as on a cut-over weekend, in the
    estate as it will be then: legacy systems the plan retires or replaces earlier are gone
    (their replacements' interfaces are not in the inventory, so they are not guessed).
    """
    G = result.inventory.graph()
    named = _seeds(G, systems)
    schedule = result.schedule
    unplanned = [s for s in named if s not in schedule.index or not schedule.at[s, "scheduled"]]
    if unplanned:
        raise UsageError(
            f"{', '.join(unplanned)} {'is' if len(unplanned) == 1 else 'are'} not scheduled in "
            "this plan, so there is no cut-over to look at",
            hint="see 'modernise plan' for what is scheduled, and why not",
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
    estate = G.subgraph(n for n in G if n not in set(earlier.index))
    return pd.DataFrame(rows), blast_radius(estate, down, result.policy)
