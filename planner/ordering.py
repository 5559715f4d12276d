"""Replacement order: planning units (move groups) and the precedence between them.

- Only systems whose disposition is not ``retain`` (and that are not already retired) are
  planned.
- Systems in one dependency cycle form a **move group**: one unit, replaced together, its cost
  and team demand the sum of its members', its duration the longest member's.
- Precedence, "A before B" meaning B may not start until A has gone live:
  - ``replaced_by``: the absorbing system goes live before the absorbed one is retired;
  - ``after``: each listed system goes live before this one starts;
  - the graph rule from the policy: ``providers-first`` (a provider is replaced before the
    systems that depend on it), ``consumers-first`` (the reverse) or ``none``. It orders a
    pair only when the provider is a *platform* for the consumer: a provider whose category
    is in ``ordering.platform_categories`` (the TIE, the VM farm, the database cluster, AD) or
    a link whose kind is in ``ordering.platform_kinds`` (infrastructure, authentication,
    database link). Clinical data flows between applications (the EPR reading LIMS results)
    do not order replacements; each go-live re-tests its interfaces instead.
  - whatever the rule (unless ``none``), a system being retired goes after the planned
    systems that depend on it when they are being retired too, or when nothing absorbs it (no
    ``replaced_by``): dependents are moved off before it is switched off. When another system
    absorbs it, that system's project re-points the interfaces, so its dependents' own
    replacements are not held up.
- Precedence cycles are resolved by dropping the graph-rule links inside them (with a warning);
  a cycle of explicit constraints is impossible, and its units are left unscheduled with a
  warning naming the cycle.

Examples
--------
>>> from inventory.model import Inventory
>>> from planner.policy import load_policy
>>> inv = Inventory.from_records(
...     [{"id": "pas", "name": "PAS", "disposition": "retire", "replaced_by": "epr"},
...      {"id": "epr", "name": "EPR", "disposition": "replace", "status": "planned"},
...      {"id": "ris", "name": "RIS", "disposition": "replace"},
...      {"id": "pacs", "name": "PACS", "disposition": "replace"}],
...     [{"consumer": "ris", "provider": "pacs"}, {"consumer": "pacs", "provider": "ris"},
...      {"consumer": "ris", "provider": "pas"}])
>>> ordering = planning_units(inv.systems, inv.dependencies, load_policy())
>>> sorted(ordering.units.index)
['epr', 'pacs+ris', 'pas']
>>> ordering.links[["before", "after", "reason"]].values.tolist()
[['epr', 'pas', 'replaced_by']]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from inventory.graph import ArrayGraph
from planner.policy import Policy
from planner.scoring import estimates

__all__ = ["Ordering", "planning_units"]


@dataclass(frozen=True)
class Ordering:
    """The units to schedule and the precedence between them.

    ``units`` is indexed by unit id; ``links`` has ``before``, ``after`` and ``reason``;
    ``impossible`` lists the units in a cycle of explicit constraints (never scheduled);
    ``warnings`` are dicts (kind, system, message).
    """

    units: pd.DataFrame
    links: pd.DataFrame
    impossible: tuple[str, ...] = ()
    warnings: list[dict] = field(default_factory=list)


def _group_ids(planned: pd.Index, labels: pd.Series) -> pd.Series:
    """Unit id per planned system: its own id, or 'a+b+c' for a move group."""
    frame = pd.DataFrame({"label": labels.loc[planned].to_numpy()}, index=planned)
    sizes = frame.groupby("label")["label"].transform("size")
    ids = pd.Series(planned.to_numpy(dtype=object), index=planned)
    grouped = frame[sizes > 1]
    if len(grouped):
        key = str(grouped.index.name or "index")
        names = (
            grouped.reset_index()
            .sort_values(key)
            .groupby("label")[key]
            .agg(lambda members: "+".join(members))
        )
        ids.loc[grouped.index] = grouped["label"].map(names).to_numpy()
    return ids


def _sum_demand(demands: pd.Series) -> dict[str, float]:
    total: dict[str, float] = {}
    for demand in demands:
        for team, amount in demand.items():
            total[team] = total.get(team, 0.0) + amount
    return total


def planning_units(systems: pd.DataFrame, dependencies: pd.DataFrame, policy: Policy) -> Ordering:
    """Build the units to schedule and the precedence links between them.

    ``units`` is indexed by unit id with ``members``,
    ``cost_gbp``, ``months`` (whole months), ``team_demand``, ``not_before`` (the latest
    contract end of a live system, when the policy respects contracts), ``deadline`` (the
    earliest end of support still ahead of the plan start) and ``cost_estimated``; ``links``
    with ``before``, ``after`` and ``reason``; warnings as dicts (kind, system, message).
    """
    warnings: list[dict] = []
    is_planned = (systems["disposition"] != "retain") & (systems["status"] != "retired")
    planned = systems.index[is_planned]
    # move groups are cycles among the systems being replaced: a cycle that runs through a
    # retained system (a shared care record fed by, and feeding, every trust's EPR) does not
    # bind the others together, since each is re-interfaced to it in turn
    graph = ArrayGraph.from_frames(systems.loc[planned], dependencies)
    _, labels = connected_components(graph.matrix(), directed=True, connection="strong")
    unit_of = _group_ids(planned, pd.Series(labels, index=planned))
    chosen = systems.loc[planned]
    sizes = estimates(chosen, policy)
    default_demand = policy.defaults.team_demand
    demand = chosen["team_demand"].map(lambda d: d if d else dict(default_demand))
    start = policy.plan_start
    eos = chosen["end_of_support"]
    future_eos = eos.where(eos >= start)
    # the current contract holds back the go-live of a system being replaced, not of a new one
    contract = (
        chosen["contract_end"].where(chosen["status"] != "planned")
        if policy.schedule.respect_contract_end
        else None
    )
    frame = pd.DataFrame(
        {
            "unit": unit_of,
            "cost_gbp": sizes["cost_gbp"],
            "months": sizes["months"],
            "cost_estimated": sizes["cost_estimated"] | sizes["months_estimated"],
            "deadline": future_eos,
            "not_before": contract.where(contract > start) if contract is not None else pd.NaT,
            "demand": demand,
        }
    )
    grouped = frame.groupby("unit", sort=False)
    members = pd.Series(frame.index.to_numpy(dtype=object), index=frame["unit"].to_numpy())
    shared = members.index.duplicated(keep=False)
    single_units = members.index.to_numpy(dtype=object)[~shared]
    single_systems = members.to_numpy(dtype=object)[~shared]
    member_tuples = {
        unit: (system,) for unit, system in zip(single_units, single_systems, strict=True)
    }
    demand_of = dict(
        zip(
            frame["unit"].to_numpy(dtype=object)[~shared],
            frame["demand"].to_numpy(dtype=object)[~shared],
            strict=True,
        )
    )
    for unit, group in frame[shared].groupby("unit", sort=False):
        member_tuples[unit] = tuple(group.index)
        demand_of[unit] = _sum_demand(group["demand"])
    units = pd.DataFrame(
        {
            "cost_gbp": grouped["cost_gbp"].sum(),
            "months": np.maximum(1, np.ceil(grouped["months"].max() - 1e-9)).astype(np.int64),
            "not_before": grouped["not_before"].max(),
            "deadline": grouped["deadline"].min(),
            "cost_estimated": grouped["cost_estimated"].any(),
        }
    )
    units.insert(0, "members", pd.Series(member_tuples).reindex(units.index))
    units.insert(3, "team_demand", pd.Series(demand_of).reindex(units.index))
    units.index.name = "unit"
    estimated = frame.index[frame["cost_estimated"]]
    if len(estimated):
        shown = ", ".join(estimated[:12]) + (" ..." if len(estimated) > 12 else "")
        warnings.append(
            {
                "kind": "estimate",
                "system": None,
                "message": f"{len(estimated)} planned systems have no cost or duration estimate; "
                f"policy defaults were used ({shown})",
            }
        )
    links, impossible = _links(systems, dependencies, unit_of, policy, warnings)
    return Ordering(units, links, impossible, warnings)


def _links(
    systems, dependencies, unit_of: pd.Series, policy: Policy, warnings
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Precedence links between units (vectorised: a million systems take seconds) and the
    units caught in a cycle of explicit constraints."""
    parts: list[pd.DataFrame] = []
    planned = unit_of.index
    chosen = systems.loc[planned]

    def link(before: pd.Series | np.ndarray, after: pd.Series | np.ndarray, reason: str) -> None:
        frame = pd.DataFrame(
            {"before": np.asarray(before, dtype=object), "after": np.asarray(after, dtype=object)}
        )
        frame["reason"] = reason
        parts.append(frame)

    absorber = chosen["replaced_by"]
    absorbed = absorber.notna() & absorber.isin(planned)
    link(
        unit_of.reindex(absorber[absorbed]).to_numpy(),
        unit_of[absorbed[absorbed].index],
        "replaced_by",
    )
    waits = chosen["after"].explode().dropna()
    if len(waits):
        inside = waits.isin(planned)
        link(
            unit_of.reindex(waits[inside]).to_numpy(), unit_of.reindex(waits.index[inside]), "after"
        )
        status = systems["status"].reindex(waits[~inside])
        for system, first in waits[~inside][status.to_numpy() == "planned"].items():
            warnings.append(
                {
                    "kind": "constraint",
                    "system": system,
                    "message": f"{system} waits for {first}, which is planned but has "
                    "disposition retain, so it is never scheduled; the wait is ignored",
                }
            )
    rule = policy.ordering.precedence
    if rule != "none" and len(dependencies):
        # look every id up once, then work on positions (each lookup of a million edges
        # by string costs a tenth of a second)
        position = systems.index.get_indexer(dependencies["consumer"].to_numpy(dtype=object))
        provider_position = systems.index.get_indexer(
            dependencies["provider"].to_numpy(dtype=object)
        )
        unit_at = np.full(len(systems), None, dtype=object)
        unit_at[systems.index.get_indexer(planned)] = unit_of.to_numpy(dtype=object)
        both = (position >= 0) & (provider_position >= 0)
        both[both] = (unit_at[position[both]] != None) & (  # noqa: E711 - element-wise
            unit_at[provider_position[both]] != None  # noqa: E711
        )
        consumer_at, provider_at = position[both], provider_position[both]
        consumer_unit, provider_unit = unit_at[consumer_at], unit_at[provider_at]
        retiring = (systems["disposition"] == "retire").to_numpy()
        provider_retires, consumer_retires = retiring[provider_at], retiring[consumer_at]
        absorber = systems["replaced_by"].to_numpy(dtype=object)
        provider_absorbed = pd.notna(absorber[provider_at])
        # two systems absorbed by the same replacement both move at its go-live: neither's
        # decommissioning waits for the other's
        moving_together = provider_absorbed & (absorber[consumer_at] == absorber[provider_at])
        rules = policy.ordering
        platform_category = systems["category"].isin(rules.platform_categories).to_numpy()
        platform = (
            platform_category[provider_at]
            | dependencies["kind"].isin(rules.platform_kinds).to_numpy()[both]
        )
        distinct = consumer_unit != provider_unit
        retire_after = (
            distinct & provider_retires & (consumer_retires | ~provider_absorbed) & ~moving_together
        )
        link(consumer_unit[retire_after], provider_unit[retire_after], "retire after dependents")
        ordered = distinct & ~provider_retires & ~consumer_retires & platform
        if rule == "providers-first":
            link(provider_unit[ordered], consumer_unit[ordered], "providers-first")
        else:
            link(consumer_unit[ordered], provider_unit[ordered], "consumers-first")
    links = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["before", "after", "reason"])
    )
    links = links[links["before"] != links["after"]]
    explicit = links["reason"].isin(["replaced_by", "after"])
    # keep one row per pair, preferring explicit reasons
    links = (
        links.assign(explicit=explicit)
        .sort_values(["explicit"], ascending=False, kind="stable")
        .drop_duplicates(["before", "after"])
        .drop(columns="explicit")
    )
    links, impossible = _break_cycles(links, warnings)
    return links.sort_values(["before", "after"]).reset_index(drop=True), impossible


def _cycles(links: pd.DataFrame) -> list[list[str]]:
    names = pd.Index(pd.unique(np.concatenate([links["before"], links["after"]])))
    if not len(names):
        return []
    u, v = names.get_indexer(links["before"]), names.get_indexer(links["after"])
    matrix = sparse.csr_matrix((np.ones(len(u)), (u, v)), shape=(len(names), len(names)))
    count, labels = connected_components(matrix, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=count)
    return [sorted(names[labels == k]) for k in np.flatnonzero(sizes > 1)]


def _break_cycles(
    links: pd.DataFrame, warnings: list[dict]
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    for cycle in _cycles(links):
        inside = links["before"].isin(cycle) & links["after"].isin(cycle)
        derived = inside & ~links["reason"].isin(["replaced_by", "after"])
        if derived.any():
            warnings.append(
                {
                    "kind": "constraint",
                    "system": None,
                    "message": "dependency-order links among "
                    f"{', '.join(cycle)} form a cycle with explicit constraints; the "
                    f"{int(derived.sum())} derived from the dependency graph were dropped",
                }
            )
            links = links[~derived]
    impossible = _cycles(links)
    if impossible:
        for cycle in impossible:
            warnings.append(
                {
                    "kind": "impossible",
                    "system": None,
                    "message": "impossible constraint: replaced_by/after links form a cycle "
                    f"through {', '.join(cycle)}; these are not scheduled until one link is "
                    "removed",
                }
            )
    return links, tuple(sorted(u for cycle in impossible for u in cycle))
