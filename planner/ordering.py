"""Replacement order: planning units (move groups) and the precedence between them.

- Only systems whose disposition is not ``retain`` (and that are not already retired) are
  planned.
- **Move groups** are systems that cannot be replaced apart: a cycle of *coupling* links
  (``ordering.coupling_kinds``: a shared database) or systems named in each other's
  ``move_with``. A group is one project: its cost and team demand are its members' sum, its
  duration the longest member's. Data flows between applications (HL7, FHIR, DICOM, files,
  APIs; orders out and results back) never make a move group, however many go both ways.
- Precedence, "A before B" meaning B may not start until A has gone live:
  - ``replaced_by``: the absorbing system goes live before the absorbed one is retired, and
    the absorbed one is decommissioned within ``ordering.retire.window_months`` of that
    go-live (a *tie*: the scheduler places them together);
  - ``after``: each listed system goes live before this one starts;
  - the graph rule from the policy: ``providers-first`` or ``consumers-first`` (or ``none``)
    orders a pair only where the consumer *runs on* the provider (a link of a kind in
    ``ordering.platform_kinds``: infrastructure, a database link) and moves with it or onto
    it: the consumer is rehosted, replatformed or refactored. A replacement product does not
    wait for the old platform's refresh, and a data flow never orders two projects (each
    go-live re-tests its interfaces instead);
  - a system being retired with nothing to absorb it goes after the planned systems that
    depend on it (they are moved off it first), unless they are being retired too.
- Precedence cycles are resolved by dropping the graph-rule links inside them (with a warning);
  a cycle of explicit links is impossible: its units are left unscheduled with a warning that
  names each link and the one to cut.

Examples
--------
>>> from inventory.model import Inventory
>>> from planner.policy import load_policy
>>> inv = Inventory.from_records(
...     [{"id": "pas", "name": "PAS", "disposition": "retire", "replaced_by": "epr"},
...      {"id": "epr", "name": "EPR", "disposition": "replace", "status": "planned"},
...      {"id": "ris", "name": "RIS", "disposition": "replace"},
...      {"id": "pacs", "name": "PACS", "disposition": "replace"}],
...     [{"consumer": "ris", "provider": "pacs", "kind": "database link"},
...      {"consumer": "pacs", "provider": "ris", "kind": "database link"},
...      {"consumer": "ris", "provider": "pas", "kind": "HL7 v2"},
...      {"consumer": "pas", "provider": "ris", "kind": "HL7 v2"}])
>>> ordering = planning_units(inv.systems, inv.dependencies, load_policy())
>>> sorted(ordering.units.index)
['epr', 'pacs+ris', 'pas']
>>> ordering.links[["before", "after", "reason"]].values.tolist()
[['epr', 'pas', 'replaced_by']]
>>> ordering.ties.values.tolist()
[['epr', 'pas']]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from inventory.schema import CLINICAL_SAFETY_CLASSES
from planner.policy import Policy
from planner.scoring import estimates

__all__ = ["EXPLICIT", "Ordering", "planning_units"]

#: Reasons for a precedence link that a person wrote down (the others come from the graph).
EXPLICIT = ("replaced_by", "after")
#: Dispositions that keep a system on its platform (moving with it or onto a new one).
STAYS_ON_PLATFORM = ("rehost", "replatform", "refactor")
#: A move group's unit id names at most this many of its members.
NAMED_MEMBERS = 3


@dataclass(frozen=True)
class Ordering:
    """The units to schedule and the precedence between them.

    ``units`` is indexed by unit id; ``links`` has ``before``, ``after``, ``reason`` and
    ``kind`` (the interface kind behind a graph-rule link); ``ties`` has ``absorber`` and
    ``absorbed`` (units decommissioned within the window after the absorber's go-live);
    ``impossible`` lists the units in a cycle of explicit constraints (never scheduled);
    ``warnings`` are dicts (kind, system, message).
    """

    units: pd.DataFrame
    links: pd.DataFrame
    ties: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"absorber": [], "absorbed": []}, dtype="object")
    )
    impossible: tuple[str, ...] = ()
    warnings: list[dict] = field(default_factory=list)


def _group_ids(planned: pd.Index, labels: np.ndarray) -> pd.Series:
    """Unit id per planned system: its own id, or for a move group its first members joined
    with '+' ('pacs+ris'; 'a+b+c+12-more' for a big group, so no id grows with the group)."""
    ids = pd.Series(planned.to_numpy(dtype=object), index=planned)
    sizes = np.bincount(labels, minlength=int(labels.max(initial=-1)) + 1)[labels]
    grouped = sizes > 1
    if not grouped.any():
        return ids
    frame = pd.DataFrame({"label": labels[grouped], "id": ids.to_numpy()[grouped]})
    frame = frame.sort_values(["label", "id"], kind="stable")
    rank = frame.groupby("label").cumcount()
    first = frame[rank < NAMED_MEMBERS].groupby("label")["id"].agg("+".join)
    names = first.reindex(frame["label"]).to_numpy(dtype=object)
    extra = sizes[grouped][frame.index.to_numpy()] - NAMED_MEMBERS
    names = np.where(extra > 0, names + "+" + extra.astype(str) + "-more", names)
    ids.loc[frame["id"].to_numpy()] = names
    return ids


def _move_groups(
    systems: pd.DataFrame, planned: pd.Index, dependencies: pd.DataFrame, policy: Policy
) -> np.ndarray:
    """Each planned system's move-group label: strong components of the coupling links
    (a shared database) among planned systems, with move_with pairs joined both ways."""
    position = pd.Index(planned)
    coupling = dependencies[dependencies["kind"].isin(policy.ordering.coupling_kinds)]
    consumer = position.get_indexer(coupling["consumer"].to_numpy(dtype=object))
    provider = position.get_indexer(coupling["provider"].to_numpy(dtype=object))
    keep = (consumer >= 0) & (provider >= 0)
    pairs = [(consumer[keep], provider[keep])]
    together = systems.loc[planned, "move_with"].explode().dropna()
    if len(together):
        a = position.get_indexer(together.index.to_numpy(dtype=object))
        b = position.get_indexer(together.to_numpy(dtype=object))
        both = (a >= 0) & (b >= 0)
        pairs += [(a[both], b[both]), (b[both], a[both])]
    u = np.concatenate([p[0] for p in pairs]).astype(np.int64)
    v = np.concatenate([p[1] for p in pairs]).astype(np.int64)
    n = len(position)
    matrix = sparse.csr_matrix((np.ones(len(u), dtype=np.int8), (u, v)), shape=(n, n))
    return connected_components(matrix, directed=True, connection="strong")[1]


def _clinical_class(systems: pd.DataFrame) -> pd.Series:
    """Each system's DCB0160 class: its own, else derived from patient_facing and criticality;
    none for a retirement (its data and workflows move under the absorbing system's safety
    case, signed off before that go-live)."""
    derived = np.select(
        [
            systems["patient_facing"] & (systems["criticality"] == "critical"),
            systems["patient_facing"] & (systems["criticality"] == "high"),
            systems["patient_facing"],
        ],
        ["high", "medium", "low"],
        default="none",
    )
    classes = systems["clinical_safety_class"].fillna(pd.Series(derived, index=systems.index))
    return classes.where(systems["disposition"] != "retire", "none")


def _engines(systems: pd.DataFrame, dependencies: pd.DataFrame) -> pd.Series:
    """The integration engines each system exchanges data through (the engine's id)."""
    engine_ids = systems.index[systems["category"] == "integration engine"]
    through = dependencies.loc[
        dependencies["provider"].isin(engine_ids), ["consumer", "provider"]
    ].drop_duplicates()
    through = through.sort_values(["consumer", "provider"])
    consumers = through["consumer"].to_numpy(dtype=object)
    providers = through["provider"].to_numpy(dtype=object)
    engines = pd.Series([()] * len(systems), index=systems.index, dtype=object)
    if len(consumers):
        first = np.flatnonzero(np.r_[True, consumers[1:] != consumers[:-1]])
        ends = np.r_[first[1:], len(consumers)]
        engines[consumers[first]] = [
            (providers[a],) if b - a == 1 else tuple(providers[a:b])
            for a, b in zip(first.tolist(), ends.tolist(), strict=True)
        ]
    return engines


def planning_units(systems: pd.DataFrame, dependencies: pd.DataFrame, policy: Policy) -> Ordering:
    """Build the units to schedule, the precedence links between them and the ties.

    ``units`` is indexed by unit id with ``members``, ``cost_gbp``, ``capital_share``
    (cost-weighted), ``months`` (whole months), ``team_demand``, ``spend_profile`` and
    ``spend_by_year`` (its largest member's), ``not_before`` (the latest contract end of a
    live system, when the policy respects contracts), ``contract_deadline`` (the earliest,
    when the policy makes contract ends deadlines), ``deadline`` (the earliest end of
    support still ahead), ``clinical_safety_class`` (the highest), ``departments``,
    ``engines``, ``organisation``, ``decommission`` (every member retires: switching off is
    not a go-live), ``major`` (a go-live that needs a stabilisation window),
    ``approval`` and ``approval_months`` (the business case gate) and ``cost_estimated``.
    """
    warnings: list[dict] = []
    is_planned = (systems["disposition"] != "retain") & (systems["status"] != "retired")
    planned = systems.index[is_planned]
    unit_of = _group_ids(planned, _move_groups(systems, planned, dependencies, policy))
    chosen = systems.loc[planned]
    sizes = estimates(chosen, policy)
    default_demand = policy.defaults.team_demand
    demand = chosen["team_demand"].map(lambda d: d if d else dict(default_demand))
    start = policy.plan_start
    eos = chosen["end_of_support"]
    # the current contract holds back the go-live of a system being replaced, not of a new
    # one, nor the decommissioning of one absorbed by another (that follows its absorber)
    absorbed = (chosen["disposition"] == "retire") & chosen["replaced_by"].isin(planned)
    contract = chosen["contract_end"].where((chosen["status"] != "planned") & ~absorbed)
    classes = _clinical_class(chosen)
    rank_of_class = {c: i for i, c in enumerate(CLINICAL_SAFETY_CLASSES)}
    frame = pd.DataFrame(
        {
            "unit": unit_of,
            "cost_gbp": sizes["cost_gbp"],
            "capital_gbp": sizes["cost_gbp"] * sizes["capital_share"],
            "months": sizes["months"],
            "cost_estimated": sizes["cost_estimated"] | sizes["months_estimated"],
            "deadline": eos.where(eos >= start),
            "not_before": contract.where(contract > start)
            if policy.schedule.respect_contract_end
            else pd.NaT,
            "contract_deadline": contract.where(contract > start)
            if policy.schedule.contract_deadline
            else pd.NaT,
            "demand": demand,
            "class_rank": classes.map(rank_of_class),
            "department": chosen["department"],
            "engines": _engines(systems, dependencies).reindex(planned),
            "organisation": chosen["organisation"],
            "retire": chosen["disposition"] == "retire",
            "run_cost_gbp": chosen["annual_run_cost_gbp"].fillna(0.0),
            "spend_profile": chosen["spend_profile"],
            "spend_by_year": chosen["spend_by_year"],
        }
    )
    units = _units(frame, policy)
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
    ties = _ties(chosen, unit_of, impossible)
    return Ordering(units, links, ties, impossible, warnings)


def _units(frame: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """One row per unit from its members' rows: a single-member unit's row is its system's
    (vectorised); a move group's is aggregated (costs summed, the longest duration, the
    largest member's spend profile, the earliest deadline, the highest clinical class...)."""
    order = pd.unique(frame["unit"].to_numpy(dtype=object))
    shared = frame["unit"].duplicated(keep=False).to_numpy()
    single = frame[~shared]
    rows = pd.DataFrame(
        {
            "members": [(s,) for s in single.index.to_numpy(dtype=object)],
            "cost_gbp": single["cost_gbp"].to_numpy(),
            "capital_gbp": single["capital_gbp"].to_numpy(),
            "run_cost_gbp": single["run_cost_gbp"].to_numpy(),
            "months": single["months"].to_numpy(),
            "team_demand": single["demand"].to_numpy(dtype=object),
            "spend_profile": [
                p if isinstance(p, str) else None
                for p in single["spend_profile"].to_numpy(dtype=object)
            ],
            "spend_by_year": single["spend_by_year"].to_numpy(dtype=object),
            "not_before": single["not_before"].to_numpy(),
            "contract_deadline": single["contract_deadline"].to_numpy(),
            "deadline": single["deadline"].to_numpy(),
            "class_rank": single["class_rank"].to_numpy(),
            "departments": [
                (d,) if isinstance(d, str) and d else ()
                for d in single["department"].to_numpy(dtype=object)
            ],
            "engines": single["engines"].to_numpy(dtype=object),
            "organisation": single["organisation"].to_numpy(dtype=object),
            "decommission": single["retire"].to_numpy(dtype=bool),
            "cost_estimated": single["cost_estimated"].to_numpy(dtype=bool),
        },
        index=pd.Index(single["unit"].to_numpy(dtype=object)),
    )
    if shared.any():
        rows = pd.concat([rows, _group_rows(frame[shared])]).reindex(order)
    cost, capital = rows["cost_gbp"], rows["capital_gbp"]
    approval_rules = policy.schedule.approval
    whole_life = cost + rows["run_cost_gbp"] * approval_rules.whole_life_years
    national = (capital > approval_rules.national_capital_gbp) | (
        whole_life > approval_rules.national_whole_life_gbp
    )
    board = ~national & (cost >= approval_rules.board_gbp)
    decommission = rows["decommission"].astype(bool)
    units = pd.DataFrame(
        {
            "members": rows["members"],
            "cost_gbp": cost,
            "capital_share": (capital / cost.where(cost > 0)).fillna(
                policy.money.capital_share.default
            ),
            "months": np.maximum(1, np.ceil(rows["months"].astype(float) - 1e-9)).astype(np.int64),
            "team_demand": rows["team_demand"],
            "spend_profile": rows["spend_profile"]
            .astype(object)
            .where(rows["spend_profile"].notna(), None),
            "spend_by_year": rows["spend_by_year"],
            "not_before": pd.to_datetime(rows["not_before"]),
            "contract_deadline": pd.to_datetime(rows["contract_deadline"]),
            "deadline": pd.to_datetime(rows["deadline"]),
            "clinical_safety_class": rows["class_rank"].map(
                dict(enumerate(CLINICAL_SAFETY_CLASSES))
            ),
            "departments": rows["departments"],
            "engines": rows["engines"],
            "organisation": rows["organisation"],
            "decommission": decommission,
            "major": ~decommission & (cost >= policy.schedule.go_live.major_cost_gbp),
            "approval": np.where(national, "national", np.where(board, "trust board", "")),
            "approval_months": np.where(
                national,
                approval_rules.national_months,
                np.where(board, approval_rules.board_months, 0),
            ),
            "cost_estimated": rows["cost_estimated"].astype(bool),
        },
        index=rows.index,
    )
    units.index.name = "unit"
    return units


def _group_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The move groups' rows, aggregated from their members' (see :func:`_units`)."""
    grouped = frame.groupby("unit", sort=False)
    largest = (
        frame.sort_values("cost_gbp", ascending=False, kind="stable")
        .groupby("unit", sort=False)
        .head(1)
        .set_index("unit")
    )
    rows = pd.DataFrame(
        {
            "cost_gbp": grouped["cost_gbp"].sum(),
            "capital_gbp": grouped["capital_gbp"].sum(),
            "run_cost_gbp": grouped["run_cost_gbp"].sum(),
            "months": grouped["months"].max(),
            "spend_profile": largest["spend_profile"],
            "spend_by_year": largest["spend_by_year"],
            "not_before": grouped["not_before"].max(),
            "contract_deadline": grouped["contract_deadline"].min(),
            "deadline": grouped["deadline"].min(),
            "class_rank": grouped["class_rank"].max(),
            "organisation": grouped["organisation"].first(),
            "decommission": grouped["retire"].all(),
            "cost_estimated": grouped["cost_estimated"].any(),
        }
    )
    unit = frame["unit"].to_numpy(dtype=object)
    members: dict[str, tuple] = {}
    demand: dict[str, dict[str, float]] = {}
    departments: dict[str, set] = {}
    engines: dict[str, set] = {}
    for u, system, asks, department, through in zip(
        unit,
        frame.index.to_numpy(dtype=object),
        frame["demand"].to_numpy(dtype=object),
        frame["department"].to_numpy(dtype=object),
        frame["engines"].to_numpy(dtype=object),
        strict=True,
    ):
        members[u] = (*members.get(u, ()), system)
        total = demand.setdefault(u, {})
        for team, amount in asks.items():
            total[team] = total.get(team, 0.0) + amount
        if isinstance(department, str) and department:
            departments.setdefault(u, set()).add(department)
        engines.setdefault(u, set()).update(through)
    order = rows.index
    rows.insert(0, "members", [members[u] for u in order])
    rows["team_demand"] = pd.Series([demand[u] for u in order], index=order, dtype=object)
    rows["departments"] = pd.Series(
        [tuple(sorted(departments.get(u, ()))) for u in order], index=order, dtype=object
    )
    rows["engines"] = pd.Series(
        [tuple(sorted(engines.get(u, ()))) for u in order], index=order, dtype=object
    )
    return rows


def _ties(chosen: pd.DataFrame, unit_of: pd.Series, impossible: tuple[str, ...]) -> pd.DataFrame:
    """(absorber, absorbed) units: a retired system and the planned system absorbing it."""
    absorber = chosen["replaced_by"]
    retired = (chosen["disposition"] == "retire") & absorber.isin(unit_of.index)
    ties = pd.DataFrame(
        {
            "absorber": unit_of.reindex(absorber[retired]).to_numpy(dtype=object),
            "absorbed": unit_of[retired[retired].index].to_numpy(dtype=object),
        }
    )
    inside = ties["absorber"].isin(impossible) | ties["absorbed"].isin(impossible)
    ties = ties[(ties["absorber"] != ties["absorbed"]) & ~inside]
    return ties.drop_duplicates().reset_index(drop=True)


def _links(
    systems, dependencies, unit_of: pd.Series, policy: Policy, warnings
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Precedence links between units (vectorised: a million systems take seconds) and the
    units caught in a cycle of explicit constraints."""
    parts: list[pd.DataFrame] = []
    planned = unit_of.index
    chosen = systems.loc[planned]

    def link(before, after, reason: str, kind: object = None) -> None:
        frame = pd.DataFrame(
            {"before": np.asarray(before, dtype=object), "after": np.asarray(after, dtype=object)}
        )
        frame["reason"] = reason
        frame["kind"] = kind if kind is not None else None  # type: ignore[call-overload]
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
        kinds = dependencies["kind"].to_numpy(dtype=object)[both]
        disposition = systems["disposition"].to_numpy(dtype=object)
        retiring = disposition == "retire"
        provider_retires, consumer_retires = retiring[provider_at], retiring[consumer_at]
        provider_absorbed = pd.notna(systems["replaced_by"].to_numpy(dtype=object)[provider_at])
        distinct = consumer_unit != provider_unit
        # a system retired with nothing to absorb it is switched off after what depends on
        # it has moved off (unless that is being switched off too)
        retire_after = distinct & provider_retires & ~consumer_retires & ~provider_absorbed
        link(
            consumer_unit[retire_after],
            provider_unit[retire_after],
            "retire after dependents",
            kinds[retire_after],
        )
        # the graph rule: only where the consumer runs on the provider and stays on it
        runs_on = pd.Series(kinds).isin(policy.ordering.platform_kinds).to_numpy()
        stays = np.isin(disposition[consumer_at], STAYS_ON_PLATFORM)
        ordered = distinct & ~provider_retires & ~consumer_retires & runs_on & stays
        if rule == "providers-first":
            link(provider_unit[ordered], consumer_unit[ordered], rule, kinds[ordered])
        else:
            link(consumer_unit[ordered], provider_unit[ordered], rule, kinds[ordered])
    links = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["before", "after", "reason", "kind"])
    )
    links = links[links["before"] != links["after"]]
    explicit = links["reason"].isin(EXPLICIT)
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


def _describe(row: pd.Series) -> str:
    """One explicit link in words: 'pas waits for epr (replaced_by)'."""
    return f"{row['after']} waits for {row['before']} ({row['reason']})"


def _break_cycles(
    links: pd.DataFrame, warnings: list[dict]
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    for cycle in _cycles(links):
        inside = links["before"].isin(cycle) & links["after"].isin(cycle)
        derived = inside & ~links["reason"].isin(EXPLICIT)
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
    for cycle in impossible:
        in_cycle: pd.DataFrame = links[
            links["before"].isin(cycle) & links["after"].isin(cycle)
        ].sort_values(["after", "before"], kind="stable")
        named = "; ".join(_describe(row) for _, row in in_cycle.iterrows())
        # an 'after' is a wish about timing; a 'replaced_by' says what absorbs what: cut the
        # first 'after' if there is one
        cut = in_cycle[in_cycle["reason"] == "after"]
        cut_row = (cut if len(cut) else in_cycle).iloc[0]
        warnings.append(
            {
                "kind": "impossible",
                "system": None,
                "message": "impossible constraint: replaced_by/after links form a cycle "
                f"through {', '.join(cycle)} ({named}); these are not scheduled until one "
                f"link is removed: cut '{_describe(cut_row)}'",
            }
        )
    return links, tuple(sorted(u for cycle in impossible for u in cycle))
